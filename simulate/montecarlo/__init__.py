"""The Monte Carlo: its settings (``spec``), the vote models (``models``), the chunked seeded
run (``run``), what it counts (``tally``), the ``Simulation`` result (``result``) and the
majority-against-threshold curve (``curve``); for an election with districts, the
district-swing run (``district_run``), its tally and its ``DistrictSimulation`` result."""

from simulate.montecarlo.district_result import DistrictSimulation
from simulate.montecarlo.district_run import run_district_montecarlo
from simulate.montecarlo.result import Simulation
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation

__all__ = [
    "DistrictSimulation",
    "MonteCarloSpec",
    "Simulation",
    "ThresholdVariation",
    "run_district_montecarlo",
    "run_montecarlo",
]
