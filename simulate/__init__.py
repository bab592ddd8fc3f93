"""seatsim: exact seat allocation and what-if simulation for proportional elections.

Where things live (one concern per module):

- ``election``    Election, Party: results and counts; seed files (``checks``: key checks).
- ``methods``     the METHODS table (Hare, Droop, d'Hondt, Sainte-Laguë, …) and signposts.
- ``threshold``   thresholds as exact fractions; the smallest passing vote count.
- ``eligibility`` which lists pass (national and regional), and by how much others missed.
- ``engine``      the one allocation engine (party-major arrays, exact, ties flagged, lots):
                  the driver; ``kernel``: one round of a method, by its kernels ``quota``
                  (largest remainder; ``sortnet`` ranks the remainders) and ``divisor``
                  (highest averages); ``bounds``: seat caps and minimums, round by round,
                  and whether a tie on the way changes the result; ``scratch``: the
                  kernels' work arrays.
- ``rules``       Rules, allocate (one election) and allocate_batch (N draws).
- ``reference``   the plain per-draw yardstick the tests and ``bench`` compare against.
- ``scenario``    Scenario files; ``compare``, ``sweep``, ``metrics``, ``measure``,
                  ``analysis``: what a scenario computes; ``report``: JSON-ready
                  dictionaries and CSV.
- ``models``, ``mcspec``, ``montecarlo``, ``simulation``: the Monte Carlo (vote models, its
                  settings, the chunked seeded run, the ``Simulation`` result); ``mcbench``.
- ``plots``, ``colours``, ``figures``: figures (matplotlib is imported only there).
- ``outputs``     atomic file writes (used by report, simulation and figures when asked).
- ``cli``         the ``seatsim`` commands: the only code that prints, exits, and decides
                  what is saved where.

The core never prints or imports matplotlib; it reads only seed and scenario files, and
writes only when a command asks it to.
"""

from simulate.allocation import (
    Allocation,
    BatchAllocation,
    ListResult,
    Tie,
    allocate,
    allocate_batch,
)
from simulate.election import Election, Party
from simulate.errors import InfeasibleError, InputError, SeatsimError, TieError
from simulate.methods import METHOD_NAMES, METHODS, get_method
from simulate.montecarlo.result import Simulation
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation
from simulate.rules import Rules
from simulate.scenario.margins import Margins, margins

__version__ = "0.1.0"

__all__ = [
    "Allocation",
    "BatchAllocation",
    "Election",
    "InfeasibleError",
    "InputError",
    "ListResult",
    "Margins",
    "METHODS",
    "METHOD_NAMES",
    "Party",
    "Rules",
    "SeatsimError",
    "Tie",
    "TieError",
    "allocate",
    "allocate_batch",
    "get_method",
    "margins",
    "MonteCarloSpec",
    "ThresholdVariation",
    "run_montecarlo",
    "Simulation",
]
