"""What a Monte Carlo run counts, and the ``Simulation`` value with its summaries.

A ``Tally`` holds only exact integer counts, so tallies of different chunks, blocks or worker
processes add up to the same numbers in any order: per rule set and list, a histogram of seats
(→ mean, 90% interval, P(≥ 1 seat), P(majority)) and how often the list passed the threshold;
per rule set, a histogram of the largest list's seats (→ P(one list holds a majority / two
thirds)), of the seats changing hands ½Σ|s − s_baseline| against the baseline (the scenario's
rules on the reported votes) and against the first rule set on the same draw; draws decided by
lot and draws whose seats could not be filled. For batch means it keeps, per seeding block, the
sums of those quantities, folded into exact sums of squares as each block completes.

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
        # batch means: per block, the sums of every mean the summary reports (see _block_sums)
        q = 2 * R * P + R
        self.blocks = 0
        self.n_sq = 0
        self.y = np.zeros(q, object)
        self.y_sq = np.zeros(q, object)
        self.n_y = np.zeros(q, object)
        self._open: dict[int, list] = {}

    # -- adding one window of draws --------------------------------------------------------
    def add(self, r: int, seats: np.ndarray, eligible: np.ndarray, filled: np.ndarray,
            baseline: np.ndarray, first: np.ndarray | None, lots: int, segments,
            rows: np.ndarray | None = None, first_rows: np.ndarray | None = None) -> None:
        """Count rule set r's seats (P, n) for a window: ``eligible`` (P, n) the lists that
        passed the threshold, ``filled`` (n,) the draws whose seats were filled (all S of
        them; the others hold none); ``first`` the first rule set's seats on the same draws
        (None for r = 0); ``segments`` (block, c0, c1) place the window's columns in their
        seeding blocks. ``rows`` (and ``first_rows``), when the caller knows them: the lists
        that passed the threshold in some draw of the window (every other row of ``seats``
        and ``eligible`` is zero)."""
        P, n = seats.shape
        S = self.houses[r]
        # Only lists holding a seat in some draw of the window need counting; the others
        # hold none in every draw (in a simulation around a real count, most small lists).
        # They are few, so the counting goes row by row (faster than on gathered blocks).
        if rows is None:
            self.passed[r] += np.add.reduce(eligible, axis=1, dtype=np.int64)
            rows = np.flatnonzero(seats.max(1) > 0)
        else:  # the lists that may hold seats are the ones that passed in some draw
            for i in rows.tolist():
                self.passed[r, i] += np.count_nonzero(eligible[i])
        rows = rows.tolist()
        hist = self.seat_hist[r]
        hist[:, 0] += n
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
        # Σ|s − b| = Σs + Σb − 2·Σmin(s, b), the last only over the lists b seats
        kept, scratch = np.zeros(n, np.int64), top  # (top is counted: reuse it)
        for i in np.flatnonzero(baseline).tolist():
            kept += np.minimum(seats[i], baseline[i], out=scratch)
        moved = np.where(filled, S + int(baseline.sum()), int(baseline.sum()))
        moved -= kept
        moved -= kept
        self.changes[r] += np.bincount(moved, minlength=len(self.changes[r]))
        if first is None:  # the first rule set against itself: nothing changes hands
            self.paired[r][0] += n
        else:  # only rows where either rule set seats someone can differ
            if first_rows is None:
                first_rows = np.flatnonzero(first.max(1) > 0)
            apart = np.zeros(n, np.int64)
            for i in np.union1d(rows, first_rows).tolist():
                diff = seats[i] - first[i]
                self.paired_sq[r, i] += int(np.dot(diff, diff))
                apart += np.abs(diff, out=diff)
            self.paired[r] += np.bincount(apart, minlength=len(self.paired[r]))
        self.lots[r] += lots
        self.unfilled[r] += n - np.count_nonzero(filled)
        R = len(self.houses)
        for block, c0, c1 in segments:
            sums = self._open.setdefault(block, [0, np.zeros(R * P + R, np.int64)])[1]
            for i in rows:
                sums[r * P + i] += totals[i] if len(segments) == 1 else \
                    int(seats[i, c0:c1].sum())
            sums[R * P + r] += moved[c0:c1].sum()

    def close(self, segments) -> None:
        """After every rule set has added a window: count its draws, fold finished blocks."""
        for block, c0, c1 in segments:
            entry = self._open[block]
            entry[0] += c1 - c0
            self.draws += c1 - c0
            size = min(self.block_size, self.total_draws - block * self.block_size)
            if entry[0] == size:
                del self._open[block]
                self._fold(size, entry[1])

    def _fold(self, n: int, sums: np.ndarray) -> None:
        R, P = len(self.houses), self.n_lists
        seats = sums[:R * P].reshape(R, P)
        y = np.concatenate([sums, (seats - seats[0]).ravel()]).astype(object)
        self.blocks += 1
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
        for key in ("passed", "paired_sq", "lots", "unfilled", "y", "y_sq", "n_y"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.blocks += other.blocks
        self.n_sq += other.n_sq
        return self

    # -- standard errors ------------------------------------------------------------------
    def batch_se(self, index: int) -> float | None:
        """Batch-means SE of the mean of quantity ``index`` (None below MIN_BATCHES)."""
        m = self.blocks
        if m < MIN_BATCHES:
            return None
        N = self.draws
        mean = Fraction(int(self.y[index]), N)
        ss = (self.y_sq[index] - 2 * mean * self.n_y[index] + mean * mean * self.n_sq)
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
    reported_seats: tuple[tuple[int, ...], ...]
    tally: Tally
    settings: dict
    notes: tuple[str, ...] = ()
    draws: Draws | None = None

    @property
    def n(self) -> int:
        return self.tally.draws

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
        return (h * np.arange(h.shape[1])).sum(1) / self.n

    def mean_seats_se(self, r: int = 0) -> np.ndarray:
        P = len(self.list_names)
        return np.array([self._mean_se(r * P + i, self.tally.seat_hist[r][i]) for i in range(P)])

    def interval(self, r: int = 0, level: tuple[float, float] = INTERVAL) -> np.ndarray:
        """(P, 2): the smallest k with P(seats ≤ k) ≥ 5% and the smallest with ≥ 95%."""
        cdf = np.cumsum(self.tally.seat_hist[r], axis=1)
        return np.stack([(cdf < q * self.n).sum(1) for q in level], axis=1)

    def p_pass(self, r: int = 0) -> np.ndarray:
        return self.tally.passed[r] / self.n

    def p_seat(self, r: int = 0) -> np.ndarray:
        return 1 - self.tally.seat_hist[r][:, 0] / self.n

    def p_list_majority(self, r: int = 0) -> np.ndarray:
        return self.tally.seat_hist[r][:, majority(self.rules[r].seats):].sum(1) / self.n

    # -- the parliament -------------------------------------------------------------------
    def p_majority(self, r: int = 0) -> float:
        return self.tally.largest[r][majority(self.rules[r].seats):].sum() / self.n

    def p_two_thirds(self, r: int = 0) -> float:
        return self.tally.largest[r][two_thirds(self.rules[r].seats):].sum() / self.n

    def changes_hist(self, r: int = 0, against: str = "baseline") -> np.ndarray:
        """Draws by Σ|s − s'| (twice the seats changing hands) against the baseline or the
        first rule set on the same draw (``against="first"``)."""
        return (self.tally.changes if against == "baseline" else self.tally.paired)[r]

    def mean_changes(self, r: int = 0) -> float:
        h = self.tally.changes[r]
        return float((h * np.arange(len(h))).sum()) / 2 / self.n

    def mean_changes_se(self, r: int = 0) -> float | None:
        se = self._mean_se(len(self.rules) * len(self.list_names) + r, self.tally.changes[r])
        return None if se is None else se / 2

    def mean_difference(self, r: int) -> np.ndarray:
        """(P,) mean seats under rule set r minus under the first, draw by draw."""
        return self.mean_seats(r) - self.mean_seats(0)

    def mean_difference_se(self, r: int) -> np.ndarray:
        t, R, P = self.tally, len(self.rules), len(self.list_names)
        out = []
        for i in range(P):
            se = t.batch_se(R * P + R + r * P + i)
            if se is None:
                mean = (self.mean_seats(r)[i] - self.mean_seats(0)[i])
                var = t.paired_sq[r][i] / self.n - mean * mean
                se = math.sqrt(max(var, 0.0) / self.n)
            out.append(se)
        return np.array(out)

    def _mean_se(self, index: int, hist: np.ndarray) -> float:
        se = self.tally.batch_se(index)
        if se is not None:
            return se
        k = np.arange(len(hist), dtype=np.float64)
        mean = (hist * k).sum() / self.n
        var = (hist * k * k).sum() / self.n - mean * mean
        return math.sqrt(max(var, 0.0) / self.n)

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
        mean, se = sim.mean_seats(r), sim.mean_seats_se(r)
        interval, p_pass, p_seat = sim.interval(r), sim.p_pass(r), sim.p_seat(r)
        p_major = sim.p_list_majority(r)
        lists = []
        for i, name in enumerate(sim.list_names):
            row = {"name": name, "reported_seats": sim.reported_seats[r][i],
                   "mean_seats": _num(mean[i]), "se": _num(se[i]),
                   "interval90": [int(v) for v in interval[i]],
                   "p_pass_threshold": _prob(p_pass[i], sim.n),
                   "p_at_least_one_seat": _prob(p_seat[i], sim.n),
                   "p_majority": _prob(p_major[i], sim.n)}
            if r:
                row["difference_vs_first"] = {"mean": _num(sim.mean_difference(r)[i]),
                                              "se": _num(sim.mean_difference_se(r)[i])}
            lists.append(row)
        entry = {
            "label": sim.labels[r], "description": rules.describe(), "seats": rules.seats,
            "decided_by_lot": int(t.lots[r]), "unfilled": int(t.unfilled[r]),
            "majority": {"seats": majority(rules.seats), **_prob(sim.p_majority(r), sim.n)},
            "two_thirds": {"seats": two_thirds(rules.seats),
                           **_prob(sim.p_two_thirds(r), sim.n)},
            "seats_changing_hands": {"against": sim.labels[0] + " on the reported votes",
                                     "mean": _num(sim.mean_changes(r)),
                                     "se": _num(sim.mean_changes_se(r)),
                                     "distribution": _distribution(t.changes[r], sim.n)},
        }
        if r:
            entry["vs_first"] = {"against": sim.labels[0] + " on the same draw",
                                 "distribution": _distribution(t.paired[r], sim.n)}
        entry["lists"] = lists
        rule_sets.append(entry)
    return {
        "election": sim.election,
        "draws": sim.n,
        "settings": copy.deepcopy(sim.settings),
        "standard_errors": {"probabilities": "binomial: sqrt(p (1 - p) / N)",
                            "means": sim.mean_se_method},
        "categories": [{"name": n, "reported": c} for n, c in zip(sim.categories, sim.reported)],
        "baseline": {"label": sim.labels[0],
                     "seats": dict(zip(sim.list_names, sim.baseline[:P]))},
        "notes": list(sim.notes),
        "rule_sets": rule_sets,
    }


def _num(x) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


def _prob(p: float, n: int) -> dict[str, float]:
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
