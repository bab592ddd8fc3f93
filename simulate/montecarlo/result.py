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
exact second moment. Each summary says which."""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, SupportsFloat, overload

import numpy as np
from numpy.typing import ArrayLike

from simulate.election import Election
from simulate.metrics import binomial_se, majority, two_thirds
from simulate.montecarlo.tally import MIN_BATCHES, Tally
from simulate.rules import Rules

REPR_LISTS = 6
"""How many lists ``repr(Simulation)`` names before "… N more"."""

INTERVAL = (0.05, 0.95)


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
    settings: dict[str, Any]
    notes: tuple[str, ...] = ()
    draws: Draws | None = None

    @property
    def n(self) -> int:
        """Draws in the run."""
        return self.tally.draws

    def __repr__(self) -> str:
        """One line: draws, seed, model, rule sets, and the mean seats under the first rule
        set, e.g. "Simulation(2,000 draws, seed 1, dirichlet; rule sets: in force, d'Hondt;
        mean seats (in force): Birimdik 46.0, …)"."""
        model = self.settings.get("model", {}).get("kind", "?")
        head = f"{self.n:,} draws, seed {self.settings.get('seed')}, {model}"
        labels = ", ".join(self.labels)
        if not self.filled(0):
            return f"Simulation({head}; rule sets: {labels}; no draw filled {self.labels[0]})"
        mean = self.mean_seats(0)
        order = [i for i in np.argsort(-mean, kind="stable") if mean[i] > 0]
        shown = [f"{self.list_names[i]} {mean[i]:.1f}" for i in order[:REPR_LISTS]]
        if len(order) > REPR_LISTS:
            shown.append(f"… {len(order) - REPR_LISTS} more")
        return (
            f"Simulation({head}; rule sets: {labels}; mean seats ({self.labels[0]}): "
            f"{', '.join(shown)})"
        )

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
            return f"batch means over {t.blocks} seeding blocks of up to {t.block_size} draws"
        return (
            f"i.i.d. sqrt(variance / N): fewer than {MIN_BATCHES} seeding blocks "
            f"({t.blocks}) for batch means"
        )

    # -- per list -------------------------------------------------------------------------
    def seat_hist(self, r: int = 0) -> np.ndarray:
        """(P, S + 1) how many draws gave each list each number of seats."""
        return self.tally.seat_hist[r]

    def mean_seats(self, r: int = 0) -> np.ndarray:
        h = self.tally.seat_hist[r]
        return _ratio((h * np.arange(h.shape[1])).sum(1), self.filled(r))

    def mean_seats_se(self, r: int = 0) -> np.ndarray:
        P = len(self.list_names)
        return np.array(
            [
                self._mean_se(self.tally.seat_q(r, i), self.tally.seat_hist[r][i], self.filled(r))
                for i in range(P)
            ]
        )

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
        return _ratio(h[:, majority(self.rules[r].seats) :].sum(1), self.filled(r))

    # -- the parliament -------------------------------------------------------------------
    def p_majority(self, r: int = 0) -> float:
        return float(
            _ratio(self.tally.largest[r][majority(self.rules[r].seats) :].sum(), self.filled(r))
        )

    def p_two_thirds(self, r: int = 0) -> float:
        return float(
            _ratio(self.tally.largest[r][two_thirds(self.rules[r].seats) :].sum(), self.filled(r))
        )

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
        se = self._mean_se(self.tally.moved_q(r), self.tally.changes[r], self.filled(r))
        return None if se is None else se / 2

    def mean_difference(self, r: int) -> np.ndarray:
        """(P,) mean seats under rule set r minus under the first, draw by draw (over the
        draws both filled)."""
        return _ratio(self.tally.diff_sum[r], self.joint(r))

    def mean_difference_se(self, r: int) -> np.ndarray:
        t, P = self.tally, len(self.list_names)
        N, mean = self.joint(r), self.mean_difference(r)
        out = []
        for i in range(P):
            se = t.batch_se(t.diff_q(r, i))
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

    def draws_npz(self) -> bytes:
        """The per-draw results as a compressed ``.npz`` file's bytes (the command line's
        ``--save-draws`` writes them); an error if the run did not keep its draws."""
        if self.draws is None:
            raise ValueError("this run did not keep its draws (keep_draws)")
        d = self.draws
        arrays = {
            "votes": d.votes,
            "seats": d.seats,
            "decided_by_lot": d.decided_by_lot,
            "list_names": np.array(self.list_names),
            "categories": np.array(self.categories),
            "rule_sets": np.array(self.labels),
            "seed": np.array(self.settings["seed"]),
        }
        if d.thresholds is not None:
            arrays["thresholds"] = d.thresholds
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # stub: ** vs allow_pickle
        return buf.getvalue()


@dataclass(frozen=True)
class ThresholdCurve:
    """P(one list holds a majority / two thirds) at fixed thresholds, from Monte Carlo.

    Every threshold uses the same seed, hence the same vote draws (common random numbers):
    the curve moves only because the threshold does. ``p_unfilled``: draws whose seats could
    not all be filled (too few lists pass for a cap), which hold no majority."""

    election: Election
    label: str
    rules: Rules
    thresholds: tuple[Fraction, ...]
    per_threshold: int
    p_majority: np.ndarray
    p_two_thirds: np.ndarray
    p_unfilled: np.ndarray
    seats: int
    base: str
    legal: Fraction | None
    cap: int | None
    seed: int
    model: dict[str, Any]
    """The vote model's settings, as ``Simulation.settings["model"]``."""

    @property
    def majority(self) -> int:
        return majority(self.seats)

    @property
    def two_thirds(self) -> int:
        return two_thirds(self.seats)

    @property
    def se_majority(self) -> np.ndarray:
        return binomial_se(self.p_majority, self.per_threshold)

    @property
    def se_two_thirds(self) -> np.ndarray:
        return binomial_se(self.p_two_thirds, self.per_threshold)


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
            row = {
                "name": name,
                "reported_seats": None if reported is None else reported[i],
                "mean_seats": _num(mean[i]),
                "se": _num(se[i]),
                "interval90": [int(v) for v in interval[i]] if nf else None,
                "p_pass_threshold": _prob(p_pass[i], sim.n),
                "p_at_least_one_seat": _prob(p_seat[i], nf),
                "p_majority": _prob(p_major[i], nf),
            }
            if r:
                row["difference_vs_first"] = {
                    "mean": _num(sim.mean_difference(r)[i]),
                    "se": _num(sim.mean_difference_se(r)[i]),
                }
            lists.append(row)
        entry = {
            "label": sim.labels[r],
            "description": rules.describe(),
            "seats": rules.seats,
            "decided_by_lot": int(t.lots[r]),
            "unfilled": int(t.unfilled[r]),
            "filled_draws": nf,
            "p_unfilled": _prob(sim.p_unfilled(r), sim.n),
            "majority": {"seats": majority(rules.seats), **_prob(sim.p_majority(r), nf)},
            "two_thirds": {"seats": two_thirds(rules.seats), **_prob(sim.p_two_thirds(r), nf)},
            "seats_changing_hands": {
                "against": sim.labels[0] + " on the reported votes",
                "mean": _num(sim.mean_changes(r)),
                "se": _num(sim.mean_changes_se(r)),
                "distribution": _distribution(t.changes[r], nf),
            },
        }
        if r:
            entry["vs_first"] = {
                "against": sim.labels[0] + " on the same draw",
                "draws": sim.joint(r),
                "distribution": _distribution(t.paired[r], sim.joint(r)),
            }
        entry["lists"] = lists
        rule_sets.append(entry)
    return {
        "election": sim.election,
        "draws": sim.n,
        "settings": copy.deepcopy(sim.settings),
        "standard_errors": {
            "probabilities": "binomial: sqrt(p (1 - p) / N), N the draws the "
            "probability is over: every draw for "
            "p_pass_threshold and p_unfilled, the filled "
            "ones for the rest",
            "means": sim.mean_se_method,
        },
        "categories": [{"name": n, "reported": c} for n, c in zip(sim.categories, sim.reported)],
        "baseline": {"label": sim.labels[0], "seats": dict(zip(sim.list_names, sim.baseline[:P]))},
        "notes": list(sim.notes),
        "rule_sets": rule_sets,
    }


@overload
def _ratio(a: np.ndarray, n: int) -> np.ndarray: ...
@overload
def _ratio(a: float, n: int) -> float: ...
def _ratio(a: ArrayLike, n: int) -> np.ndarray | float:
    """a / n, NaN where n is 0 (a rule set that filled no draw has no seat statistics)."""
    if n:
        return np.asarray(a) / n
    return np.full(np.shape(a), math.nan) if np.ndim(a) else math.nan


def _num(x: SupportsFloat | None) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


def _prob(p: float, n: int) -> dict[str, float | None]:
    if not n:
        return {"p": None, "se": None}
    return {"p": _num(p), "se": _num(float(binomial_se(p, n)))}


def _distribution(hist: np.ndarray, n: int) -> list[dict[str, Any]]:
    """Σ|s − s'| histogram → seats changing hands (half of it), draws and share."""
    return [
        {"seats": int(k) // 2 if k % 2 == 0 else k / 2, "draws": int(c), "p": _num(c / n)}
        for k, c in enumerate(hist)
        if c
    ]
