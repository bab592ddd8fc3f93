"""``DistrictSimulation``: what a districted Monte Carlo found, with standard errors.

Beside ``Simulation`` (one constituency, several rule sets): one rule set on a districted
election, the distribution of each list's total seats, the probability of each seat count and
of a majority, and the seats changing hands against the baseline (the rules on the reported
votes) in total and district by district. Probabilities come with their binomial standard
errors (``metrics.binomial_se``), means with the standard error of a mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulate.metrics import binomial_se, majority
from simulate.montecarlo.district_tally import DistrictTally
from simulate.rules import Rules


@dataclass(frozen=True)
class DistrictSimulation:
    """A districted Monte Carlo run: names, rules, the baseline seats (D, P), the tally."""

    election: str
    list_names: tuple[str, ...]
    district_names: tuple[str, ...]
    rules: Rules
    baseline: np.ndarray
    tally: DistrictTally
    settings: dict[str, Any]
    notes: tuple[str, ...] = ()

    @property
    def draws(self) -> int:
        return self.tally.draws

    @property
    def seats(self) -> int:
        return self.tally.seats

    @property
    def baseline_totals(self) -> np.ndarray:
        return self.baseline.sum(0)

    # -- seats per list ----------------------------------------------------------------------
    def seat_probabilities(self) -> np.ndarray:
        """(P, S + 1): P(list i holds s seats in total)."""
        return self.tally.seat_counts / self.draws

    def mean_seats(self) -> np.ndarray:
        s = np.arange(self.seats + 1)
        return self.seat_probabilities() @ s

    def sd_seats(self) -> np.ndarray:
        s = np.arange(self.seats + 1)
        p = self.seat_probabilities()
        return np.sqrt(np.maximum(p @ (s * s) - (p @ s) ** 2, 0.0))

    def mean_seats_se(self) -> np.ndarray:
        return self.sd_seats() / math.sqrt(self.draws)

    def interval(self, low: float = 0.05, high: float = 0.95) -> np.ndarray:
        """(P, 2): the low and high quantiles of each list's total seats (from the counts)."""
        cdf = np.cumsum(self.tally.seat_counts, 1) / self.draws
        lo = (cdf >= low).argmax(1)
        hi = (cdf >= high).argmax(1)
        return np.stack([lo, hi], 1)

    def p_pass(self) -> np.ndarray:
        """(P,) P(the list passes the national threshold)."""
        return self.tally.passed / self.draws

    def p_majority(self) -> np.ndarray:
        """(P + 1,) P(list i holds a majority, more than half the seats); last: no list."""
        return self.tally.majority / self.draws

    def p_same_seats(self) -> np.ndarray:
        """(P,) P(the list holds as many seats in total as in the baseline)."""
        t = self.baseline_totals
        return self.tally.seat_counts[np.arange(len(t)), t] / self.draws

    # -- seats changing hands ------------------------------------------------------------------
    def changed_mean(self) -> tuple[float, float]:
        """Mean seats changing hands in total against the baseline, and its standard error."""
        k = np.arange(self.seats + 1)
        p = self.tally.changed / self.draws
        mean = float(p @ k)
        sd = math.sqrt(max(float(p @ (k * k)) - mean * mean, 0.0))
        return mean, sd / math.sqrt(self.draws)

    def p_changed(self) -> float:
        """P(at least one seat changes hands in total)."""
        return 1.0 - self.tally.changed[0] / self.draws

    def district_changed(self) -> tuple[np.ndarray, np.ndarray]:
        """(D,) mean seats changing hands in each district, and their standard errors."""
        n = self.draws
        mean = self.tally.district_changed / n
        var = np.maximum(self.tally.district_changed_sq / n - mean * mean, 0.0)
        return mean, np.sqrt(var / n)

    def p_district_changed(self) -> np.ndarray:
        """(D,) P(the district's seats differ from the baseline)."""
        return self.tally.district_any / self.draws

    def se(self, p: float | np.ndarray) -> Any:
        return binomial_se(p, self.draws)

    # -- words and plain values ----------------------------------------------------------------
    def model_text(self) -> str:
        m = self.settings["model"]
        return (
            f"district swing: each list's share moved on the log scale by a national swing "
            f"(sd {m['sigma_national']:g}, the same in every district) plus district noise "
            f"(sd {m['sigma_district']:g}); district totals kept, counts rounded to whole "
            "votes; lists that did not stand stay absent"
        )

    def summary(self) -> dict[str, Any]:
        """Plain JSON values: per list and per district, with standard errors."""
        names, n = self.list_names, self.draws
        p_major = self.p_majority()
        mean, se = self.mean_seats(), self.mean_seats_se()
        iv = self.interval()
        probs = self.seat_probabilities()
        same = self.p_same_seats()
        lists = {}
        for i, name in enumerate(names):
            nz = np.flatnonzero(probs[i])
            lists[name] = {
                "baseline_seats": int(self.baseline_totals[i]),
                "mean_seats": float(mean[i]),
                "mean_seats_se": float(se[i]),
                "interval_90": [int(iv[i, 0]), int(iv[i, 1])],
                "p_seats": {int(s): float(probs[i, s]) for s in nz},
                "p_same_seats": float(same[i]),
                "p_same_seats_se": float(self.se(same[i])),
                "p_pass": float(self.p_pass()[i]),
                "p_majority": float(p_major[i]),
                "p_majority_se": float(self.se(p_major[i])),
            }
        d_mean, d_se = self.district_changed()
        d_any = self.p_district_changed()
        districts = {
            d: {
                "seats": int(self.baseline[j].sum()),
                "mean_seats_changing_hands": float(d_mean[j]),
                "mean_seats_changing_hands_se": float(d_se[j]),
                "p_changed": float(d_any[j]),
                "p_changed_se": float(self.se(d_any[j])),
            }
            for j, d in enumerate(self.district_names)
        }
        c_mean, c_se = self.changed_mean()
        return {
            "election": self.election,
            "draws": n,
            "seats": self.seats,
            "majority": majority(self.seats),
            "rules": self.rules.describe(),
            "model": self.model_text(),
            "lists": lists,
            "p_no_majority": float(p_major[-1]),
            "p_no_majority_se": float(self.se(p_major[-1])),
            "seats_changing_hands": {
                "mean": c_mean,
                "mean_se": c_se,
                "p_any": self.p_changed(),
                "p_any_se": float(self.se(self.p_changed())),
                "distribution": {int(k): int(c) for k, c in enumerate(self.tally.changed) if c},
            },
            "districts": districts,
            "draws_decided_by_lot": self.tally.lots,
            "draws_unfilled": self.tally.unfilled,
            "settings": self.settings,
            "notes": list(self.notes),
        }


__all__ = ["DistrictSimulation"]
