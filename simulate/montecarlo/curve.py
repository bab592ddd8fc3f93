"""The threshold curve: P(one list holds a majority / two thirds) at fixed thresholds.

Every threshold uses the same seed, hence the same vote draws (common random numbers): the
curve moves only because the threshold does. The figure is ``simulate.plots.majority``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from simulate.election import Election
from simulate.metrics import majority, two_thirds
from simulate.montecarlo.result import ThresholdCurve
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation
from simulate.rules import Rules

CURVE_DRAWS = 4000
"""Draws per threshold for the majority curve (binomial s.e. at most 0.8 points)."""

CURVE_STEP = Fraction(1, 400)
"""Spacing of the majority curve's thresholds: 0.25 percentage points."""


def threshold_grid(
    low: Fraction, high: Fraction, step: Fraction = CURVE_STEP
) -> tuple[Fraction, ...]:
    """Thresholds every ``step`` from ``low`` to ``high``, both included when on the grid."""
    first = -(-low // step)
    out = []
    k = first
    while k * step <= high:
        out.append(k * step)
        k += 1
    return tuple(out)


def threshold_curve(
    election: Election,
    label: str,
    rules: Rules,
    spec: MonteCarloSpec,
    thresholds: Sequence[Fraction],
    *,
    seed: int,
    draws: int = CURVE_DRAWS,
) -> ThresholdCurve:
    """Run ``rules`` on ``election`` at each threshold, with ``draws`` draws of ``spec``'s vote
    model and the same seed each time."""
    spec = spec.replace(draws=draws, keep_draws=False, rule_sets=())
    grid = tuple(thresholds)
    p_maj, p_two, p_none = [], [], []
    model: dict[str, Any] = {}
    for t in grid:
        sim = run_montecarlo(
            election,
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
        model = dict(sim.settings.get("model", {}))
    return ThresholdCurve(
        election=election,
        label=label,
        rules=rules,
        thresholds=grid,
        per_threshold=draws,
        p_majority=np.array(p_maj),
        p_two_thirds=np.array(p_two),
        p_unfilled=np.array(p_none),
        seats=rules.seats,
        base=rules.threshold_base,
        legal=rules.threshold,
        cap=rules.max_seats,
        seed=seed,
        model=model,
    )
