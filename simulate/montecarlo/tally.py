"""What a Monte Carlo run counts, block by block: ``Tally``, mergeable across workers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

MIN_BATCHES = 20


@dataclass(frozen=True)
class RuleSetWindow:
    """One rule set's results on a window of n draws, as ``Tally.add`` counts them.

    ``seats`` (P, n) and ``eligible`` (P, n) the lists that passed the threshold; ``filled``
    (n,) the draws whose seats were all filled (the others hold none and are left out of the
    seat statistics); ``rows``, when the caller knows them, the lists that passed in some
    draw of the window (every other row of ``seats`` and ``eligible`` is zero)."""

    seats: np.ndarray
    eligible: np.ndarray
    filled: np.ndarray
    rows: np.ndarray | None = None

    def seated_rows(self) -> np.ndarray:
        """The lists that may hold a seat in some draw of the window."""
        return self.rows if self.rows is not None else np.flatnonzero(self.seats.max(1) > 0)


class Tally:
    """Exact integer counts of a run (or of part of one); ``merge`` adds another.

    The batch means are kept in flat vectors of ``2·R·P + R`` quantities, in this order:
    the seats of list i under rule set r (``seat_q(r, i)``), the seats moved under rule set
    r (``moved_q(r)``), and the difference of list i's seats from the first rule set's under
    rule set r (``diff_q(r, i)``).
    """

    def seat_q(self, r: int, i: int = 0) -> int:
        return r * self.n_lists + i

    def moved_q(self, r: int) -> int:
        return len(self.houses) * self.n_lists + r

    def diff_q(self, r: int, i: int = 0) -> int:
        R, P = len(self.houses), self.n_lists
        return R * P + R + r * P + i

    def __init__(self, n_lists: int, houses: tuple[int, ...], block_size: int, draws: int):
        P, R = n_lists, len(houses)
        S0 = houses[0]
        self.n_lists, self.houses, self.block_size, self.total_draws = P, houses, block_size, draws
        self.draws = 0
        self.first_draw = 0
        self.seat_hist = [np.zeros((P, S + 1), np.int64) for S in houses]
        self.passed = np.zeros((R, P), np.int64)
        self.largest = [np.zeros(S + 1, np.int64) for S in houses]
        self.changes = [np.zeros(S + S0 + 1, np.int64) for S in houses]  # Σ|s − baseline|
        self.paired = [np.zeros(S + S0 + 1, np.int64) for S in houses]  # Σ|s − s_first|
        self.paired_sq = np.zeros((R, P), np.int64)  # Σ (s − s_first)²
        self.lots = np.zeros(R, np.int64)
        self.unfilled = np.zeros(R, np.int64)
        # batch means: per block, the sums of every mean the summary reports and the number
        # of draws each is over (filled ones): R·P seats, R seats moved, R·P differences
        # with the first rule set (over the draws both filled); their totals are ``n_q``
        # and ``y`` once every block is folded (``joint`` and ``diff_sum`` read them)
        q = self.diff_q(R)  # 2·R·P + R quantities
        self.blocks = 0
        self.n_q = np.zeros(q, np.int64)
        self.n_sq = np.zeros(q, object)
        self.y = np.zeros(q, object)
        self.y_sq = np.zeros(q, object)
        self.n_y = np.zeros(q, object)
        self._open: dict[int, list[Any]] = {}  # block → [draws, sums, counts]

    # -- adding one window of draws --------------------------------------------------------
    def add(
        self,
        r: int,
        got: RuleSetWindow,
        first: RuleSetWindow | None,
        baseline: np.ndarray,
        lots: int,
        segments: Sequence[tuple[int, int, int]],
    ) -> None:
        """Count rule set r's results on a window: ``got``; ``first`` the first rule set's on
        the same draws (None for r = 0); ``baseline`` (P,) the seats on the reported count;
        ``lots`` how many of the window's draws went to a lot; ``segments`` (block, c0, c1)
        place the window's columns in their seeding blocks."""
        seats, eligible, filled, rows = got.seats, got.eligible, got.filled, got.rows
        P, n = seats.shape
        S = self.houses[r]
        n_filled = int(np.count_nonzero(filled))
        # Only lists holding a seat in some draw of the window need counting; the others
        # hold none in every draw (in a simulation around a real count, most small lists).
        # They are few, so the counting goes row by row (faster than on gathered blocks).
        # An unfilled draw holds no seats: it adds to no count but the zero bins, taken off.
        if rows is None:
            self.passed[r] += np.add.reduce(eligible, axis=1, dtype=np.int64)
            rows = np.flatnonzero(seats.max(1) > 0)
        else:  # the lists that may hold seats are the ones that passed in some draw
            for i in rows.tolist():
                self.passed[r, i] += np.count_nonzero(eligible[i])
        live = rows.tolist()
        hist = self.seat_hist[r]
        hist[:, 0] += n_filled
        top = np.zeros(n, np.int64)
        levels = np.arange(S + 1)
        totals: dict[int, int] = {}  # seats per list over the window
        for i in live:
            counts = np.bincount(seats[i], minlength=S + 1)
            totals[i] = int(counts @ levels)
            counts[0] -= n
            hist[i] += counts
            np.maximum(top, seats[i], out=top)
        self.largest[r] += np.bincount(top, minlength=S + 1)
        self.largest[r][0] -= n - n_filled
        # Σ|s − b| = Σs + Σb − 2·Σmin(s, b), the last only over the lists b seats
        kept, scratch = np.zeros(n, np.int64), top  # (top is counted: reuse it)
        for i in np.flatnonzero(baseline).tolist():
            kept += np.minimum(seats[i], baseline[i], out=scratch)
        moved = np.full(n, S + int(baseline.sum()))
        moved -= kept
        moved -= kept
        if n_filled < n:
            moved[~filled] = 0
        self.changes[r] += np.bincount(moved, minlength=len(self.changes[r]))
        self.changes[r][0] -= n - n_filled
        if first is None:  # the first rule set against itself: nothing changes hands
            both, n_both = filled, n_filled
            self.paired[r][0] += n_filled
            diffs: dict[int, np.ndarray] = {}
        else:  # only rows where either rule set seats someone can differ
            first_rows = first.seated_rows()
            both = filled & first.filled
            n_both = int(np.count_nonzero(both))
            apart = np.zeros(n, np.int64)
            diffs = {}
            for i in np.union1d(rows, first_rows).tolist():
                diff = seats[i] - first.seats[i]
                if n_both < n:
                    diff *= both
                diffs[i] = diff
                self.paired_sq[r, i] += int(np.dot(diff, diff))
                apart += np.abs(diff)
            self.paired[r] += np.bincount(apart, minlength=len(self.paired[r]))
            self.paired[r][0] -= n - n_both
        self.lots[r] += lots
        self.unfilled[r] += n - n_filled
        R = len(self.houses)
        for block, c0, c1 in segments:
            q = self.diff_q(R)  # the number of quantities
            entry = self._open.setdefault(block, [0, np.zeros(q, np.int64), np.zeros(q, np.int64)])
            sums, counts = entry[1], entry[2]
            whole = len(segments) == 1
            for i in live:
                sums[self.seat_q(r, i)] += totals[i] if whole else int(seats[i, c0:c1].sum())
            sums[self.moved_q(r)] += moved[c0:c1].sum()
            for i, diff in diffs.items():
                d = int(diff.sum()) if whole else int(diff[c0:c1].sum())
                sums[self.diff_q(r, i)] += d
            k = c1 - c0 if n_filled == n else int(np.count_nonzero(filled[c0:c1]))
            counts[self.seat_q(r) : self.seat_q(r + 1)] += k
            counts[self.moved_q(r)] += k
            k = c1 - c0 if n_both == n else int(np.count_nonzero(both[c0:c1]))
            counts[self.diff_q(r) : self.diff_q(r + 1)] += k

    def close(self, segments: Sequence[tuple[int, int, int]]) -> None:
        """After every rule set has added a window: count its draws, fold finished blocks."""
        for block, c0, c1 in segments:
            entry = self._open[block]
            entry[0] += c1 - c0
            self.draws += c1 - c0
            size = min(self.block_size, self.total_draws - block * self.block_size)
            if entry[0] == size:
                del self._open[block]
                self._fold(entry[2], entry[1])

    def _fold(self, n: np.ndarray, sums: np.ndarray) -> None:
        """A finished block: ``sums`` of each quantity over ``n`` draws (per quantity)."""
        y, n = sums.astype(object), n.astype(object)
        self.blocks += 1
        self.n_q += n.astype(np.int64)
        self.n_sq += n * n
        self.y += y
        self.y_sq += y * y
        self.n_y += n * y

    def merge(self, other: Tally) -> Tally:
        if other._open or self._open:
            raise ValueError("only tallies of whole blocks merge")
        self.draws += other.draws
        for mine, theirs in (
            (self.seat_hist, other.seat_hist),
            (self.largest, other.largest),
            (self.changes, other.changes),
            (self.paired, other.paired),
        ):
            for a, b in zip(mine, theirs):
                a += b
        for key in ("passed", "paired_sq", "lots", "unfilled", "n_q", "n_sq", "y", "y_sq", "n_y"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.blocks += other.blocks
        return self

    @property
    def joint(self) -> np.ndarray:
        """(R,) draws filled under each rule set and the first (folded blocks)."""
        P = self.n_lists
        return self.n_q[self.diff_q(0) :: P][: len(self.houses)]

    @property
    def diff_sum(self) -> np.ndarray:
        """(R, P) Σ (s − s_first) over those draws (folded blocks), exact integers."""
        return self.y[self.diff_q(0) :].reshape(len(self.houses), self.n_lists).astype(np.int64)

    # -- standard errors ------------------------------------------------------------------
    def batch_se(self, index: int) -> float | None:
        """Batch-means SE of the mean of quantity ``index`` (None below MIN_BATCHES)."""
        m = self.blocks
        if m < MIN_BATCHES:
            return None
        N = int(self.n_q[index])
        if not N:
            return math.nan
        mean = Fraction(int(self.y[index]), N)
        ss = self.y_sq[index] - 2 * mean * self.n_y[index] + mean * mean * self.n_sq[index]
        return math.sqrt(max(float(ss * Fraction(m, m - 1) / (N * N)), 0.0))
