"""Lists that cannot win a seat under a divisor method, left out before the allocation.

In a small district most lists win nothing: 20 lists, 6 seats, three or four lists seated.
Under a divisor method the seats go to the S largest quotients v / d(k), so a list whose
first quotient is below the S-th largest quotient λ wins no seat, whatever the tie-break,
and takes part in no tie at the cut. Leaving such lists out of a draw changes neither its
seats nor its tie flag (the quotients of the other lists are their own), while the kernel
then works on fewer rows and starts closer to the result (``divisor._exact_start`` counts
the lists taking part). ``simulate.engine.driver`` calls ``drop_hopeless`` for divisor
methods without seat caps or minimums (under a cap a list seated by nobody at first may be
seated once a larger list is held).

The bound. With signposts d(k) ≤ a·k + c for every k and P_e lists with votes, fewer than
S quotients exceed λ, and a list with v votes has at least (v/λ − c)/a quotients above λ,
so (E/λ − P_e·c)/a ≤ S − 1, that is λ ≥ E / (a·(S − 1) + P_e·c). A list with
v·(a·(S − 1) + P_e·c) < d(0)·E therefore wins nothing. Once the hopeless lists are out, the
same bound on the rest (a smaller E, but a smaller P_e) rules out more: it is applied
``ROUNDS`` times, the rows held by no list in any draw dropped after each round. Exactly:
the bound becomes the fewest votes that may win, ceil(d(0)·E / (a·(S − 1) + P_e·c)),
exact in float64 while d(0)·E < 2^52 (``least_winning``), and each list is compared with it.
"""

from __future__ import annotations

import numpy as np

from simulate.engine.workarrays import Pool, count_true, fresh
from simulate.methods import EXACT_LIMIT, DivisorMethod

ROUNDS = 2
"""Rounds of the bound. On the districts benchmark (20 lists, 6–7 seats, zipf shares) the
first keeps 13 rows of 20, the second 7, a third no fewer."""


def signpost_terms(method: DivisorMethod) -> tuple[float, float, float] | None:
    """(a, c, d(0)) with d(k) ≤ a·k + c for every k; None when d(0) is 0 (Adams,
    Huntington–Hill: every list with votes has an infinite claim to a first seat)."""
    if method.sqrt:
        return None
    d0 = method.start if method.first is None else method.first
    if d0 <= 0:
        return None
    return float(method.step), float(max(method.start, d0)), float(d0)


def least_winning(need: np.ndarray, den: np.ndarray) -> np.ndarray:
    """(n,) the fewest votes v ≥ 1 with v·den ≥ need, for integers need < 2^52 and den ≥ 1 in
    float64: the ceiling of the float quotient, which is exact. (A quotient that is an
    integer is computed exactly; any other lies at least 1/den from the integers on either
    side, while rounding moves it by at most need/den · 2^-53 < 1/(2·den).)"""
    t = np.ceil(need / den)
    return np.maximum(t, 1.0, out=t)


def drop_hopeless(
    method: DivisorMethod,
    vm: np.ndarray,
    S: np.ndarray,
    buf: Pool = fresh,
    E: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """For votes ``vm`` (P, n) (zero for lists not taking part) and S seats per draw: the
    rows of the lists that may win a seat in some draw, and their votes (k, n) with zero
    where the bound rules a list out of a draw. None when the method or the size of the
    numbers allows no such bound (nothing is left out then). ``E``: the totals of ``vm``
    per draw, when the caller has them.

    Each round turns the bound into the fewest votes that may win, per draw
    (``least_winning``), so a list is kept or left out by one comparison. The first round
    counts every row as a list with votes (P_e is at most that: a lower bound, still
    sound); the later ones count the lists kept. When the first round leaves out no row
    (a large house, where nearly every list wins), nothing is left out at all: zeroing
    some draws' lists alone does not pay for the copy."""
    terms = signpost_terms(method)
    P, n = vm.shape
    if terms is None or P == 0 or n == 0 or S.min() < 1:
        return None
    if S.min() >= P:  # (a house as large as the lists: few lists, if any, win nothing)
        return None
    a, c, d0 = terms
    E = vm.sum(0) if E is None else E
    if not d0 * float(E.max()) < EXACT_LIMIT:  # (the products the bound compares: d(0)·E)
        return None
    rows = np.arange(P)
    lists: np.ndarray | float = float(P)
    for r in range(ROUNDS):
        least = least_winning(d0 * E, a * (S - 1.0) + c * lists)
        keep = np.greater_equal(vm, least, out=buf("hope_keep", vm.shape, bool))
        some = np.flatnonzero(keep.any(1))
        if r == 0 and some.size == P:  # no row to drop: not worth copying for the draws
            return None
        part = np.take(vm, some, axis=0, out=buf(f"hope_vm{r}", (some.size, n)), mode="clip")
        keep = np.greater_equal(part, least, out=buf("hope_keep", part.shape, bool))
        vm = np.multiply(part, keep, out=part)
        rows = rows[some]
        if r + 1 < ROUNDS:
            E = vm.sum(0)
            lists = np.maximum(count_true(keep), 1).astype(np.float64)  # (den ≥ 1)
    return rows, vm


__all__ = ["ROUNDS", "drop_hopeless", "least_winning", "signpost_terms"]
