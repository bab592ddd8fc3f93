"""The threshold curve: P(one list holds a majority / two thirds) at fixed thresholds.

Every threshold uses the same seed, hence the same vote draws (common random numbers): the
curve moves only because the threshold does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from simulate.metrics import binomial_se, majority, two_thirds
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import ThresholdVariation
from simulate.scenario.file import Scenario

CURVE_DRAWS = 4000
"""Draws per threshold for the majority curve (binomial s.e. at most 0.8 points)."""


CURVE_STEP = Fraction(1, 400)
"""Spacing of the majority curve's thresholds: 0.25 percentage points."""


@dataclass(frozen=True)
class ThresholdCurve:
    """P(one list holds a majority / two thirds) at fixed thresholds, from Monte Carlo.

    Every threshold uses the same seed, hence the same vote draws (common random numbers):
    the curve moves only because the threshold does. ``p_unfilled``: draws whose seats could
    not all be filled (too few lists pass for a cap), which hold no majority."""

    election: str
    label: str
    thresholds: tuple[Fraction, ...]
    per_threshold: int
    p_majority: np.ndarray
    p_two_thirds: np.ndarray
    p_unfilled: np.ndarray
    seats: int
    base: str
    legal: Fraction | None
    cap: int | None
    source: str

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


def threshold_grid(scenario: Scenario, step: Fraction = CURVE_STEP) -> tuple[Fraction, ...]:
    """Thresholds every ``step`` over the scenario's sweep range (default 0% to the largest
    list's share of the base, at most 15%)."""
    if scenario.sweep is not None:
        low, high = scenario.sweep.low, scenario.sweep.high
    else:
        e, rules = scenario.election, scenario.rules
        largest = Fraction(int(e.votes.max()), e.base(rules.threshold_base))
        low, high = Fraction(0), min(largest, Fraction(15, 100))
    first = -(-low // step)
    out = []
    k = first
    while k * step <= high:
        out.append(k * step)
        k += 1
    return tuple(out)


def threshold_curve(
    scenario: Scenario,
    *,
    seed: int,
    draws: int = CURVE_DRAWS,
    thresholds: Sequence[Fraction] | None = None,
    r: int = 0,
) -> ThresholdCurve:
    """Run rule set ``r`` of the scenario (default its own rules) at each threshold, with
    ``draws`` draws and the same seed each time."""
    from simulate.plots import (  # text helpers only
        base_words,
        election_line,
        source_line,
    )

    label, rules = scenario.rule_sets()[r]
    spec = scenario.montecarlo_spec().replace(draws=draws, keep_draws=False, rule_sets=())
    grid = tuple(thresholds) if thresholds is not None else threshold_grid(scenario)
    p_maj, p_two, p_none = [], [], []
    for t in grid:
        sim = run_montecarlo(
            scenario.election,
            [(label, rules)],
            spec.replace(threshold=ThresholdVariation.fixed(t)),
            seed=seed,
        )
        # shares of every draw (the Simulation's are of the filled ones): an unfilled draw
        # has no majority, and the curve shows it apart
        largest = sim.tally.largest[0]
        p_maj.append(largest[majority(rules.seats) :].sum() / sim.n)
        p_two.append(largest[two_thirds(rules.seats) :].sum() / sim.n)
        p_none.append(sim.p_unfilled(0))
        model = sim
    from simulate.plots import mc_model_text

    src = source_line(
        election_line(scenario.election),
        f"{label}: {rules.describe()}, the "
        f"national threshold set to each value on the axis (on the "
        f"{base_words(rules.threshold_base)})",
        f"Monte Carlo: {draws:,} draws per threshold, seed {seed} (the same "
        f"draws at every threshold); {mc_model_text(model)}. Regional thresholds "
        "are not applied to the draws",
    )
    return ThresholdCurve(
        election=scenario.election.name,
        label=label,
        thresholds=grid,
        per_threshold=draws,
        p_majority=np.array(p_maj),
        p_two_thirds=np.array(p_two),
        p_unfilled=np.array(p_none),
        seats=rules.seats,
        base=rules.threshold_base,
        legal=rules.threshold,
        cap=rules.max_seats,
        source=src,
    )
