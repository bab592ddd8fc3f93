"""The one allocation engine: every method, one draw or millions, exact, ties flagged.

Only ``simulate.plain`` and ``simulate.batch``, the Monte Carlo run, the margins search
(to re-run a tied count with a chosen priority) and the benchmark call it, through the names
below. Inside: ``driver`` (thresholds already applied; unfillable draws, lots), ``contenders``
(under a divisor method, the lists that cannot win a seat, left out before allocating: most
lists of a small district), ``kernel`` (one round of a method) with its two kernels ``quota``
(largest remainder, ranked by the sorting network in ``sortnet``) and ``divisor`` (highest
averages), ``bounds`` (seat caps and minimums, round by round, and whether a tie on the way
changes the result) and ``workarrays`` (the kernels' reusable buffers).

Glossary of the short names used throughout (arrays are party-major: one row per list, one
column per draw, so reductions over lists run along long contiguous rows):

- ``P``: the number of lists; ``n``: the number of draws in a chunk (columns);
- ``S``: seats to allocate, per draw (an (n,) array) or one number;
- ``vm``: the votes of the lists that take part, float64 holding exact integers, (P, n),
  zero where a list is out (below the threshold, or held at a bound);
- ``E``: the total of ``vm`` per draw (the Hare quota's electorate);
- ``prio``: a priority rank per list and draw, higher wins a tie (by default the earlier
  list; every draw whose result depends on it is flagged tied);
- ``width``: how many columns of the work arrays are in use;
- status codes (``OK``, ``NO_LIST``, ``CAP_TOO_LOW``, ``MIN_TOO_HIGH``, ``QUOTA_UNFIT``) per
  draw, with ``STATUS_TEXT`` to say them;
- ``rule_priority``: the priority of a tie rule of a law ("most-votes"), in ``tierules``.
"""

from simulate.engine.driver import STATUS_TEXT, EngineResult, allocate_pm, lot_priority
from simulate.engine.kernel import CAP_TOO_LOW, MIN_TOO_HIGH, NO_LIST, OK, QUOTA_UNFIT
from simulate.engine.tierules import rule_priority
from simulate.engine.workarrays import take_cols

__all__ = [
    "CAP_TOO_LOW",
    "MIN_TOO_HIGH",
    "NO_LIST",
    "OK",
    "QUOTA_UNFIT",
    "STATUS_TEXT",
    "EngineResult",
    "allocate_pm",
    "lot_priority",
    "rule_priority",
    "take_cols",
]
