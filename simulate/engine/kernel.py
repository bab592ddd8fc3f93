"""One allocation round, for every draw of a batch: the method's kernel (largest remainder or
highest averages), the ranks that break its ties provisionally, and which lists a tie involves.
``simulate.engine`` and ``simulate.engine.bounds`` call these."""

from __future__ import annotations

import numpy as np

from simulate.engine.divisor import highest_averages
from simulate.engine.divisor import tie_range as divisor_tie_range
from simulate.engine.quota import largest_remainder
from simulate.engine.quota import tie_range as quota_tie_range
from simulate.engine.workarrays import Pool, fresh
from simulate.methods import Method, QuotaMethod

OK, NO_LIST, CAP_TOO_LOW, MIN_TOO_HIGH, QUOTA_UNFIT = 0, 1, 2, 3, 4
"""A draw's status: filled, no list passes, a cap or a minimum the lists cannot meet, a
rounded quota that cannot hand out the seats (``simulate.engine.STATUS_TEXT`` says them)."""


def default_priority(n_lists: int) -> np.ndarray:
    """Provisional tie order: the earlier list ranks higher. Shape (P, 1)."""
    return np.arange(n_lists - 1, -1, -1, dtype=np.float64)[:, None]


def kernel(
    method: Method,
    vm: np.ndarray,
    S: np.ndarray,
    prio: np.ndarray,
    buf: Pool = fresh,
    width: int | None = None,
    E: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Seats (P, n) float64 and tied (n,) for ``vm`` (P, n), the lists taking part with their
    votes (zero for the others), S seats per draw, ``prio`` the ranks breaking ties."""
    if isinstance(method, QuotaMethod):
        return largest_remainder(method, vm, S, prio, buf, width, E)
    return highest_averages(method, vm, S, prio, buf, E)


def tie_range(method: Method, v: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For tied draws (P, k): each list's fewest and most seats over the ways of breaking the
    tie (``quota.tie_range``, ``divisor.tie_range``)."""
    if isinstance(method, QuotaMethod):
        return quota_tie_range(method, v, s)
    return divisor_tie_range(method, v, s)
