"""What a Monte Carlo run counts, and the ``Simulation`` value with its summaries.

A ``Tally`` holds only exact integer counts, so tallies of different chunks, blocks or worker
processes add up to the same numbers in any order: per rule set and list, a histogram of seats
(→ mean, 90% interval, P(≥ 1 seat), P(majority)) and how often the list passed the threshold;
per rule set, a histogram of the largest list's seats (→ P(one list holds a majority / two
thirds)), of the seats changing hands ½Σ|s − s_baseline| against the baseline (the scenario's
rules on the reported votes) and against the first rule set on the same draw; draws decided by
lot and draws whose seats could not be filled. For batch means it keeps, per seeding block, the
sums of those quantities and how many draws each sums over, folded into exact sums of squares
as each block completes.

A draw whose seats cannot all be filled under a rule set (a cap or a minimum that the passing
lists cannot meet, or no list passing) has no parliament to describe: it is counted as such
(P(unfilled)) and left out of that rule set's seat statistics, which are over the filled draws;
comparisons with the first rule set are over the draws both filled. P(passing the threshold)
is over every draw.

Standard errors: a probability p from N draws has the binomial SE sqrt(p(1 − p)/N); a mean
has the batch-means SE over the seeding blocks (the ratio estimator for blocks of unequal
size) when there are at least ``MIN_BATCHES`` blocks, else the i.i.d. SE sqrt(var/N) from the
exact second moment. Each summary says which.
"""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from .outputs import write_bytes, write_json
from .rules import Rules

MIN_BATCHES = 20
INTERVAL = (0.05, 0.95)


class Tally:
    """Exact integer counts of a run (or of part of one); ``merge`` adds another."""

    def __init__(self, n_lists: int, houses: tuple[int, ...], block_size: int, draws: int):
        P, R = n_lists, len(houses)
        S0 = houses[0]
        self.n_lists, self.houses, self.block_size, self.total_draws = P, houses, block_size, draws
        self.draws = 0
        self.first_draw = 0
        self.seat_hist = [np.zeros((P, S + 1), np.int64) for S in houses]
        self.passed = np.zeros((R, P), np.int64)
        self.largest = [np.zeros(S + 1, np.int64) for S in houses]
        self.changes = [np.zeros(S + S0 + 1, np.int64) for S in houses]   # Σ|s − baseline|
        self.paired = [np.zeros(S + S0 + 1, np.int64) for S in houses]    # Σ|s − s_first|
        self.paired_sq = np.zeros((R, P), np.int64)                      # Σ (s − s_first)²
        self.lots = np.zeros(R, np.int64)
        self.unfilled = np.zeros(R, np.int64)
        # batch means: per block, the sums of every mean the summary reports and the number
        # of draws each is over (filled ones): R·P seats, R seats moved, R·P differences
        # with the first rule set (over the draws both filled); their totals are ``n_q``
        # and ``y`` once every block is folded (``joint`` and ``diff_sum`` read them)
        q = 2 * R * P + R
        self.blocks = 0
        self.n_q = np.zeros(q, np.int64)
        self.n_sq = np.zeros(q, object)
        self.y = np.zeros(q, object)
        self.y_sq = np.zeros(q, object)
        self.n_y = np.zeros(q, object)
        self._open: dict[int, list] = {}

    # -- adding one window of draws --------------------------------------------------------
    def add(self, r: int, seats: np.ndarray, eligible: np.ndarray, filled: np.ndarray,
            baseline: np.ndarray, first: np.ndarray | None, lots: int, segments,
            rows: np.ndarray | None = None, first_rows: np.ndarray | None = None,
            first_filled: np.ndarray | None = None) -> None:
        """Count rule set r's seats (P, n) for a window: ``eligible`` (P, n) the lists that
        passed the threshold, ``filled`` (n,) the draws whose seats were filled (all S of
        them; the others hold none, and are left out of the seat statistics); ``first`` and
        ``first_filled`` the first rule set's seats and filled draws on the same draws (None
        for r = 0); ``segments`` (block, c0, c1) place the window's columns in their seeding
        blocks. ``rows`` (and ``first_rows``), when the caller knows them: the lists that
        passed the threshold in some draw of the window (every other row of ``seats`` and
        ``eligible`` is zero)."""
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
        rows = rows.tolist()
        hist = self.seat_hist[r]
        hist[:, 0] += n_filled
        top = np.zeros(n, np.int64)
        levels = np.arange(S + 1)
        totals = {}  # seats per list over the window
        for i in rows:
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
            diffs = {}
        else:  # only rows where either rule set seats someone can differ
            if first_rows is None:
                first_rows = np.flatnonzero(first.max(1) > 0)
            both = filled if first_filled is None else filled & first_filled
            n_both = int(np.count_nonzero(both))
            apart = np.zeros(n, np.int64)
            diffs = {}
            for i in np.union1d(rows, first_rows).tolist():
                diff = seats[i] - first[i]
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
            entry = self._open.setdefault(block, [0, np.zeros(2 * R * P + R, np.int64),
                                                  np.zeros(2 * R * P + R, np.int64)])
            sums, counts = entry[1], entry[2]
            whole = len(segments) == 1
            for i in rows:
                sums[r * P + i] += totals[i] if whole else int(seats[i, c0:c1].sum())
            sums[R * P + r] += moved[c0:c1].sum()
            for i, diff in diffs.items():
                d = int(diff.sum()) if whole else int(diff[c0:c1].sum())
                sums[R * P + R + r * P + i] += d
            k = c1 - c0 if n_filled == n else int(np.count_nonzero(filled[c0:c1]))
            counts[r * P:(r + 1) * P] += k
            counts[R * P + r] += k
            k = c1 - c0 if n_both == n else int(np.count_nonzero(both[c0:c1]))
            counts[R * P + R + r * P:R * P + R + (r + 1) * P] += k

    def close(self, segments) -> None:
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

    def merge(self, other: "Tally") -> "Tally":
        if other._open or self._open:
            raise ValueError("only tallies of whole blocks merge")
        self.draws += other.draws
        for mine, theirs in ((self.seat_hist, other.seat_hist), (self.largest, other.largest),
                             (self.changes, other.changes), (self.paired, other.paired)):
            for a, b in zip(mine, theirs):
                a += b
        for key in ("passed", "paired_sq", "lots", "unfilled", "n_q", "n_sq", "y", "y_sq",
                    "n_y"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.blocks += other.blocks
        return self

    @property
    def joint(self) -> np.ndarray:
        """(R,) draws filled under each rule set and the first (folded blocks)."""
        R, P = len(self.houses), self.n_lists
        return self.n_q[R * P + R::P][:R]

    @property
    def diff_sum(self) -> np.ndarray:
        """(R, P) Σ (s − s_first) over those draws (folded blocks), exact integers."""
        R, P = len(self.houses), self.n_lists
        return self.y[R * P + R:].reshape(R, P).astype(np.int64)

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
        ss = (self.y_sq[index] - 2 * mean * self.n_y[index] + mean * mean * self.n_sq[index])
        return math.sqrt(max(float(ss * Fraction(m, m - 1) / (N * N)), 0.0))


@dataclass(frozen=True)
class Draws:
    """Per-draw results, kept on request: votes (N, K) of every category, seats (N, R, P),
    thresholds (N,) when they vary (else None), decided_by_lot (N, R)."""

    votes: np.ndarray
    seats: np.ndarray
    thresholds: np.ndarray | None
    decided_by_lot: np.ndarray


@dataclass(frozen=True)
class Simulation:
    """The result of a Monte Carlo run: exact counts, per-draw results if kept, settings."""

    election: str
    list_names: tuple[str, ...]
    categories: tuple[str, ...]
    reported: tuple[int, ...]
    labels: tuple[str, ...]
    rules: tuple[Rules, ...]
    baseline: tuple[int, ...]
    reported_seats: tuple[tuple[int, ...] | None, ...]  # None: not filled on the reported votes
    tally: Tally
    settings: dict
    notes: tuple[str, ...] = ()
    draws: Draws | None = None

    @property
    def n(self) -> int:
        """Draws in the run."""
        return self.tally.draws

    def filled(self, r: int = 0) -> int:
        """Draws whose seats rule set r could fill: what its seat statistics are over."""
        return int(self.tally.draws - self.tally.unfilled[r])

    def joint(self, r: int) -> int:
        """Draws filled under both rule set r and the first: what comparisons are over."""
        return int(self.tally.joint[r])

    def reported_or_zero(self, r: int = 0) -> np.ndarray:
        """(P,) rule set r's seats on the reported votes; zeros where it cannot fill them
        (``reported_seats[r]`` is None)."""
        seats = self.reported_seats[r]
        return np.array(seats if seats is not None else [0] * len(self.list_names))

    def p_unfilled(self, r: int = 0) -> float:
        """Share of the draws whose seats rule set r could not fill."""
        return float(self.tally.unfilled[r]) / self.n

    @property
    def mean_se_method(self) -> str:
        t = self.tally
        if t.blocks >= MIN_BATCHES:
            return (f"batch means over {t.blocks} seeding blocks of up to "
                    f"{t.block_size} draws")
        return (f"i.i.d. sqrt(variance / N): fewer than {MIN_BATCHES} seeding blocks "
                f"({t.blocks}) for batch means")

    # -- per list -------------------------------------------------------------------------
    def seat_hist(self, r: int = 0) -> np.ndarray:
        """(P, S + 1) how many draws gave each list each number of seats."""
        return self.tally.seat_hist[r]

    def mean_seats(self, r: int = 0) -> np.ndarray:
        h = self.tally.seat_hist[r]
        return _ratio((h * np.arange(h.shape[1])).sum(1), self.filled(r))

    def mean_seats_se(self, r: int = 0) -> np.ndarray:
        P = len(self.list_names)
        return np.array([self._mean_se(r * P + i, self.tally.seat_hist[r][i], self.filled(r))
                         for i in range(P)])

    def interval(self, r: int = 0, level: tuple[float, float] = INTERVAL) -> np.ndarray:
        """(P, 2): the smallest k with P(seats ≤ k) ≥ 5% and the smallest with ≥ 95%, over
        the filled draws (0–0 when there are none)."""
        cdf = np.cumsum(self.tally.seat_hist[r], axis=1)
        return np.stack([(cdf < q * self.filled(r)).sum(1) for q in level], axis=1)

    def p_pass(self, r: int = 0) -> np.ndarray:
        return self.tally.passed[r] / self.n

    def p_seat(self, r: int = 0) -> np.ndarray:
        h = self.tally.seat_hist[r]
        return _ratio(self.filled(r) - h[:, 0], self.filled(r))

    def p_list_majority(self, r: int = 0) -> np.ndarray:
        h = self.tally.seat_hist[r]
        return _ratio(h[:, majority(self.rules[r].seats):].sum(1), self.filled(r))

    # -- the parliament -------------------------------------------------------------------
    def p_majority(self, r: int = 0) -> float:
        return float(_ratio(self.tally.largest[r][majority(self.rules[r].seats):].sum(),
                            self.filled(r)))

    def p_two_thirds(self, r: int = 0) -> float:
        return float(_ratio(self.tally.largest[r][two_thirds(self.rules[r].seats):].sum(),
                            self.filled(r)))

    def changes_hist(self, r: int = 0, against: str = "baseline") -> np.ndarray:
        """Filled draws by Σ|s − s'| (twice the seats changing hands) against the baseline,
        or against the first rule set on the same draw (``against="first"``: the draws both
        filled)."""
        return (self.tally.changes if against == "baseline" else self.tally.paired)[r]

    def changes_draws(self, r: int = 0, against: str = "baseline") -> int:
        """How many draws ``changes_hist`` counts."""
        return self.filled(r) if against == "baseline" else self.joint(r)

    def mean_changes(self, r: int = 0) -> float:
        h = self.tally.changes[r]
        return float(_ratio(float((h * np.arange(len(h))).sum()) / 2, self.filled(r)))

    def mean_changes_se(self, r: int = 0) -> float | None:
        se = self._mean_se(len(self.rules) * len(self.list_names) + r, self.tally.changes[r],
                           self.filled(r))
        return None if se is None else se / 2

    def mean_difference(self, r: int) -> np.ndarray:
        """(P,) mean seats under rule set r minus under the first, draw by draw (over the
        draws both filled)."""
        return _ratio(self.tally.diff_sum[r], self.joint(r))

    def mean_difference_se(self, r: int) -> np.ndarray:
        t, R, P = self.tally, len(self.rules), len(self.list_names)
        N, mean = self.joint(r), self.mean_difference(r)
        out = []
        for i in range(P):
            se = t.batch_se(R * P + R + r * P + i)
            if se is None:
                var = _ratio(t.paired_sq[r][i], N) - mean[i] * mean[i]
                se = math.sqrt(max(var, 0.0) / N) if N else math.nan
            out.append(se)
        return np.array(out)

    def _mean_se(self, index: int, hist: np.ndarray, N: int) -> float:
        se = self.tally.batch_se(index)
        if se is not None:
            return se
        if not N:
            return math.nan
        k = np.arange(len(hist), dtype=np.float64)
        mean = (hist * k).sum() / N
        var = (hist * k * k).sum() / N - mean * mean
        return math.sqrt(max(var, 0.0) / N)

    # -- output ---------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """A JSON-ready dictionary of every summary with its standard error."""
        return simulation_summary(self)

    def save_json(self, path: str | Path) -> Path:
        """Write the summary as JSON (atomically)."""
        return write_json(path, self.summary())

    def save_draws(self, path: str | Path) -> Path:
        """Write the per-draw results as a compressed ``.npz`` (atomically)."""
        if self.draws is None:
            raise ValueError("this run did not keep its draws (keep_draws)")
        d = self.draws
        arrays = {
            "votes": d.votes, "seats": d.seats, "decided_by_lot": d.decided_by_lot,
            "list_names": np.array(self.list_names), "categories": np.array(self.categories),
            "rule_sets": np.array(self.labels), "seed": np.array(self.settings["seed"]),
        }
        if d.thresholds is not None:
            arrays["thresholds"] = d.thresholds
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return write_bytes(path, buf.getvalue())


def simulation_summary(sim: Simulation) -> dict[str, Any]:
    """Every summary of ``sim`` as plain JSON values; probabilities and means carry "se"."""
    t, P = sim.tally, len(sim.list_names)
    rule_sets = []
    for r, rules in enumerate(sim.rules):
        nf = sim.filled(r)
        mean, se = sim.mean_seats(r), sim.mean_seats_se(r)
        interval, p_pass, p_seat = sim.interval(r), sim.p_pass(r), sim.p_seat(r)
        p_major = sim.p_list_majority(r)
        lists = []
        for i, name in enumerate(sim.list_names):
            reported = sim.reported_seats[r]
            row = {"name": name, "reported_seats": None if reported is None else reported[i],
                   "mean_seats": _num(mean[i]), "se": _num(se[i]),
                   "interval90": [int(v) for v in interval[i]] if nf else None,
                   "p_pass_threshold": _prob(p_pass[i], sim.n),
                   "p_at_least_one_seat": _prob(p_seat[i], nf),
                   "p_majority": _prob(p_major[i], nf)}
            if r:
                row["difference_vs_first"] = {"mean": _num(sim.mean_difference(r)[i]),
                                              "se": _num(sim.mean_difference_se(r)[i])}
            lists.append(row)
        entry = {
            "label": sim.labels[r], "description": rules.describe(), "seats": rules.seats,
            "decided_by_lot": int(t.lots[r]), "unfilled": int(t.unfilled[r]),
            "filled_draws": nf, "p_unfilled": _prob(sim.p_unfilled(r), sim.n),
            "majority": {"seats": majority(rules.seats), **_prob(sim.p_majority(r), nf)},
            "two_thirds": {"seats": two_thirds(rules.seats),
                           **_prob(sim.p_two_thirds(r), nf)},
            "seats_changing_hands": {"against": sim.labels[0] + " on the reported votes",
                                     "mean": _num(sim.mean_changes(r)),
                                     "se": _num(sim.mean_changes_se(r)),
                                     "distribution": _distribution(t.changes[r], nf)},
        }
        if r:
            entry["vs_first"] = {"against": sim.labels[0] + " on the same draw",
                                 "draws": sim.joint(r),
                                 "distribution": _distribution(t.paired[r], sim.joint(r))}
        entry["lists"] = lists
        rule_sets.append(entry)
    return {
        "election": sim.election,
        "draws": sim.n,
        "settings": copy.deepcopy(sim.settings),
        "standard_errors": {"probabilities": "binomial: sqrt(p (1 - p) / N), N the draws the "
                                             "probability is over: every draw for "
                                             "p_pass_threshold and p_unfilled, the filled "
                                             "ones for the rest",
                            "means": sim.mean_se_method},
        "categories": [{"name": n, "reported": c} for n, c in zip(sim.categories, sim.reported)],
        "baseline": {"label": sim.labels[0],
                     "seats": dict(zip(sim.list_names, sim.baseline[:P]))},
        "notes": list(sim.notes),
        "rule_sets": rule_sets,
    }


def _ratio(a, n: int):
    """a / n, NaN where n is 0 (a rule set that filled no draw has no seat statistics)."""
    if n:
        return np.asarray(a) / n
    return np.full(np.shape(a), math.nan) if np.ndim(a) else math.nan


def _num(x) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


def _prob(p: float, n: int) -> dict[str, float | None]:
    if not n:
        return {"p": None, "se": None}
    return {"p": _num(p), "se": _num(float(binomial_se(p, n)))}


def _distribution(hist: np.ndarray, n: int) -> list[dict[str, Any]]:
    """Σ|s − s'| histogram → seats changing hands (half of it), draws and share."""
    return [{"seats": int(k) // 2 if k % 2 == 0 else k / 2, "draws": int(c), "p": _num(c / n)}
            for k, c in enumerate(hist) if c]


def binomial_se(p: float | np.ndarray, n: int):
    """sqrt(p(1 − p)/n), the standard error of a proportion from n independent draws."""
    return np.sqrt(np.asarray(p) * (1 - np.asarray(p)) / n)


def majority(seats: int) -> int:
    """Seats for an absolute majority: 61 of 120."""
    return seats // 2 + 1


def two_thirds(seats: int) -> int:
    """Seats for two thirds: 80 of 120."""
    return -(-2 * seats // 3)


__all__ = ["Draws", "MIN_BATCHES", "Simulation", "Tally", "binomial_se", "majority",
           "two_thirds"]
