"""Counting a districted Monte Carlo: exact integer tallies that add up in any order.

Per window of n draws the run hands over the seats (D, n, P) and what happened (lots,
unfilled districts); ``DistrictTally.add`` counts them against the baseline allocation (the
reported votes under the same rules). Everything is an integer count, so the tallies of
workers (or of any chunking) merge by addition into the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DistrictTally:
    """Counts over draws; P lists, D districts, a house of S seats.

    - ``seat_counts`` (P, S + 1): draws in which list i held s seats in total;
    - ``majority`` (P + 1,): draws in which list i held more than half of the seats (the
      last: no list did);
    - ``passed`` (P,): draws in which list i passed the national threshold (took part);
    - ``changed`` (S + 1,): draws by the seats changing hands in total against the baseline,
      ½ Σ_i |total_i − baseline_i| (a whole number: every draw fills the same house);
    - ``district_changed`` (D,) and ``district_changed_sq`` (D,): the sums over draws of the
      seats changing hands in each district, ½ Σ_i |s_di − baseline_di|, and of their
      squares; ``district_any`` (D,): draws in which the district's seats differ at all;
    - ``lots``: draws in which some district was decided by lot; ``unfilled``: draws in
      which some district had no list taking part (its seats stay empty; such a draw is
      still counted in the other tallies, and its seats changing hands are rounded down).
    """

    lists: int
    districts: int
    seats: int
    draws: int = 0
    seat_counts: np.ndarray = field(init=False)
    majority: np.ndarray = field(init=False)
    passed: np.ndarray = field(init=False)
    changed: np.ndarray = field(init=False)
    district_changed: np.ndarray = field(init=False)
    district_changed_sq: np.ndarray = field(init=False)
    district_any: np.ndarray = field(init=False)
    lots: int = 0
    unfilled: int = 0
    first_draw: int = 0

    def __post_init__(self) -> None:
        P, D, S = self.lists, self.districts, self.seats
        self.seat_counts = np.zeros((P, S + 1), np.int64)
        self.majority = np.zeros(P + 1, np.int64)
        self.passed = np.zeros(P, np.int64)
        self.changed = np.zeros(S + 1, np.int64)
        self.district_changed = np.zeros(D, np.int64)
        self.district_changed_sq = np.zeros(D, np.int64)
        self.district_any = np.zeros(D, np.int64)

    def add(
        self,
        seats: np.ndarray,
        baseline: np.ndarray,
        passed: np.ndarray,
        lots: int,
        unfilled: int,
        tiled: np.ndarray | None = None,
    ) -> None:
        """One window: ``seats`` (D, n, P), ``baseline`` (D, P), ``passed`` (P, n) bool.
        ``seats`` is overwritten (with |seats − baseline|: no temporary of its size).
        ``tiled``: the baseline repeated for every draw, (D, n, P) of the seats' dtype, when
        the caller keeps one (a subtraction of whole arrays is twice as fast as one that
        broadcasts 20 lists at a time)."""
        D, n, P = seats.shape
        S = self.seats
        # (summed in the seats' dtype: a list's seats in a draw are at most the house)
        totals = seats.sum(0, dtype=seats.dtype).astype(np.int64)  # (n, P)
        self.draws += n
        offsets = np.arange(P, dtype=np.int64) * (S + 1)
        self.seat_counts += np.bincount((totals + offsets).ravel(), minlength=P * (S + 1)).reshape(
            P, S + 1
        )
        holder = np.where(2 * totals > S, 1, 0)  # (n, P): at most one list per draw
        held = holder.sum(0)
        self.majority[:P] += held
        self.majority[P] += n - int(held.sum())
        self.passed += passed.sum(1)
        if tiled is None:
            tiled = baseline[:, None, :].astype(seats.dtype)
        diff = np.subtract(seats, tiled, out=seats)
        np.abs(diff, out=diff)
        # twice the seats moved (int32: at most twice a district's seats; 3.5× faster in
        # einsum than accumulating in int64)
        per_district = np.einsum("dnp->dn", diff).astype(np.int64)
        moved = np.abs(totals - baseline.sum(0)).sum(1) // 2  # (n,)
        self.changed += np.bincount(moved, minlength=S + 1)[: S + 1]
        half = per_district // 2
        self.district_changed += half.sum(1)
        self.district_changed_sq += np.einsum("dn,dn->d", half, half)
        self.district_any += np.count_nonzero(per_district, axis=1)
        self.lots += lots
        self.unfilled += unfilled

    def merge(self, other: DistrictTally) -> None:
        self.draws += other.draws
        for key in (
            "seat_counts",
            "majority",
            "passed",
            "changed",
            "district_changed",
            "district_changed_sq",
            "district_any",
        ):
            getattr(self, key)[...] += getattr(other, key)
        self.lots += other.lots
        self.unfilled += other.unfilled


__all__ = ["DistrictTally"]
