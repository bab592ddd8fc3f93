"""The Monte Carlo: its settings (``spec``), the vote models (``models``), the chunked seeded
run (``run``), what it counts (``tally``), the ``Simulation`` result (``result``) and the
majority-against-threshold curve (``curve``)."""

from simulate.montecarlo.result import Simulation
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation

__all__ = ["MonteCarloSpec", "Simulation", "ThresholdVariation", "run_montecarlo"]
