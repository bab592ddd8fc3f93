"""Measures of one allocation, as pure functions of vote and seat counts.

Definitions follow ``reference/methods.md`` (metrics section):

- Gallagher least-squares index  LSq = sqrt(½ Σ (v%_i − s%_i)²), in percentage points;
- Loosemore–Hanby  ½ Σ |v%_i − s%_i|, in percentage points;
- effective number of parties (Laakso–Taagepera)  1 / Σ p_i²;
- wasted votes: votes for lists that won no seat, plus other ballots the base counts;
- seats changing hands between two allocations  ½ Σ |s_i − s'_i|;
- the list holding a majority (more than half the seats) or two thirds (at least 2/3).

Votes and seats are counts (any sequence of non-negative numbers, one per list, in the same
order); shares are taken of their own totals, so a list without seats still counts.
"""

from __future__ import annotations

from fractions import Fraction
from typing import overload

import numpy as np
from numpy.typing import ArrayLike


def _shares(values: ArrayLike) -> np.ndarray:
    a = np.asarray(values, dtype=np.float64)
    total = a.sum()
    if a.ndim != 1 or total <= 0:
        raise ValueError("need one non-negative count per list with a positive total")
    return a / total


def _gaps(votes: ArrayLike, seats: ArrayLike) -> np.ndarray:
    v, s = _shares(votes), _shares(seats)
    if v.shape != s.shape:
        raise ValueError(f"{v.size} vote counts but {s.size} seat counts")
    return 100.0 * (v - s)


def gallagher(votes: ArrayLike, seats: ArrayLike) -> float:
    """Gallagher's least-squares index in percentage points (0 = perfectly proportional)."""
    return float(np.sqrt(0.5 * np.sum(_gaps(votes, seats) ** 2)))


def loosemore_hanby(votes: ArrayLike, seats: ArrayLike) -> float:
    """Loosemore–Hanby index ½ Σ |v% − s%| in percentage points."""
    return float(0.5 * np.sum(np.abs(_gaps(votes, seats))))


def effective_number_of_parties(values: ArrayLike) -> float:
    """Laakso–Taagepera: 1 / Σ p², p the shares of ``values`` (votes or seats)."""
    p = _shares(values)
    return float(1.0 / np.sum(p * p))


def wasted_votes(votes: ArrayLike, seats: ArrayLike, other: int = 0) -> int:
    """Votes cast for lists that won no seat, plus ``other`` ballots that elect nobody
    (against-all and invalid ballots, where the threshold base counts them)."""
    v = np.asarray(votes, dtype=np.int64)
    s = np.asarray(seats, dtype=np.int64)
    if v.shape != s.shape:
        raise ValueError(f"{v.size} vote counts but {s.size} seat counts")
    if other < 0:
        raise ValueError("other ballots must not be negative")
    return int(v[s == 0].sum()) + int(other)


def wasted_share(votes: ArrayLike, seats: ArrayLike, base: int, other: int = 0) -> float:
    """Wasted votes as a share (0–1) of ``base``."""
    if base <= 0:
        raise ValueError("the base must be positive")
    return wasted_votes(votes, seats, other) / base


def seats_changing_hands(seats: ArrayLike, other_seats: ArrayLike) -> int | float:
    """½ Σ |s_i − s'_i|: the seats that move between lists from one allocation to the other.

    An integer when both allocations fill the same number of seats (Σ|d| is then even);
    otherwise the half-integer, as a float.
    """
    a = np.asarray(seats, dtype=np.int64)
    b = np.asarray(other_seats, dtype=np.int64)
    if a.shape != b.shape:
        raise ValueError(f"{a.size} lists against {b.size}")
    moved = int(np.abs(a - b).sum())
    return moved // 2 if moved % 2 == 0 else moved / 2


def holder(seats: ArrayLike, quota: Fraction, *, strict: bool) -> int | None:
    """The index of the list whose seats are more than (``strict``) or at least ``quota`` of
    all seats, or None. Compared exactly in integers."""
    s = [int(x) for x in np.asarray(seats, dtype=np.int64)]
    total = sum(s)
    q = Fraction(quota)
    for i, n in enumerate(s):
        lhs, rhs = n * q.denominator, total * q.numerator
        if (lhs > rhs) if strict else (lhs >= rhs):
            return i
    return None


def majority_holder(seats: ArrayLike) -> int | None:
    """The list holding a simple majority: more than half of the seats (61 of 120)."""
    return holder(seats, Fraction(1, 2), strict=True)


def two_thirds_holder(seats: ArrayLike) -> int | None:
    """The list holding a two-thirds majority: at least two thirds of the seats (80 of 120)."""
    return holder(seats, Fraction(2, 3), strict=False)


@overload
def binomial_se(p: float, n: int) -> np.float64: ...
@overload
def binomial_se(p: np.ndarray, n: int) -> np.ndarray: ...
def binomial_se(p: float | np.ndarray, n: int) -> np.float64 | np.ndarray:
    """sqrt(p(1 − p)/n), the standard error of a proportion from n independent draws."""
    return np.sqrt(np.asarray(p) * (1 - np.asarray(p)) / n)


def majority(seats: int) -> int:
    """Seats for an absolute majority: 61 of 120."""
    return seats // 2 + 1


def two_thirds(seats: int) -> int:
    """Seats for two thirds: 80 of 120."""
    return -(-2 * seats // 3)


__all__ = [
    "binomial_se",
    "effective_number_of_parties",
    "gallagher",
    "holder",
    "loosemore_hanby",
    "majority_holder",
    "seats_changing_hands",
    "majority",
    "two_thirds",
    "two_thirds_holder",
    "wasted_share",
    "wasted_votes",
]
