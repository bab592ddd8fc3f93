"""A scenario's figures, written as PNG (200 dpi) and SVG: what ``seatsim figures`` and
``seatsim run`` call.

``write_scenario_figures`` computes what it needs with the core (the baseline, the rule
comparison, the exact sweep; with a Monte Carlo ``Simulation`` also the majority curve, from
runs at fixed thresholds), draws with ``simulate.plots``, renders every figure to bytes first
and only then writes the files, each atomically (``simulate.outputs.write_bytes``), so a
failure leaves earlier figures as they were.

Importing this module does not import matplotlib; drawing does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import numpy as np

from .analysis import run_scenario
from .mcspec import ThresholdVariation
from .montecarlo import run_montecarlo
from .outputs import write_bytes
from .scenario import Scenario
from .simulation import Simulation, binomial_se, majority, two_thirds

FORMATS = ("png", "svg")
FIGURES = ("seats", "seats-vs-<alternative>", "sweep", "compare", "mc-changes",
           "mc-list-seats", "mc-majority")
"""File name suffixes, in the order figures are written: ``<scenario stem>-<suffix>.png``;
``seats-vs-<alternative>`` is written for each [[compare]] rule set that moves a seat."""

FIGURE_SEED = 20201004
"""Seed of the figures' Monte Carlo when the scenario's [montecarlo] table gives none."""

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


def slug(label: str) -> str:
    """A file-name form of a rule set's label: "9% (2019)" → "9pct-2019"."""
    text = label.lower().replace("%", "pct")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-z]+", "-", text).strip("-")
    return text or "rules"


def figure_montecarlo(scenario: Scenario, *, draws: int | None = None, seed: int | None = None
                      ) -> Simulation:
    """The scenario's Monte Carlo for its figures: its [montecarlo] settings, ``seed`` (else
    its own, else ``FIGURE_SEED``), per-draw results not kept."""
    spec = scenario.montecarlo_spec().replace(draws=draws, keep_draws=False)
    chosen = seed if seed is not None else spec.seed if spec.seed is not None else FIGURE_SEED
    return run_montecarlo(scenario.election, scenario.rule_sets(), spec, seed=chosen)


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


def threshold_curve(scenario: Scenario, *, seed: int, draws: int = CURVE_DRAWS,
                    thresholds: Sequence[Fraction] | None = None, r: int = 0) -> ThresholdCurve:
    """Run rule set ``r`` of the scenario (default its own rules) at each threshold, with
    ``draws`` draws and the same seed each time."""
    from .plots import base_words, election_line, source_line  # text helpers only

    label, rules = scenario.rule_sets()[r]
    spec = scenario.montecarlo_spec().replace(draws=draws, keep_draws=False, rule_sets=())
    grid = tuple(thresholds) if thresholds is not None else threshold_grid(scenario)
    p_maj, p_two, p_none = [], [], []
    for t in grid:
        sim = run_montecarlo(scenario.election, [(label, rules)],
                             spec.replace(threshold=ThresholdVariation.fixed(t)), seed=seed)
        # shares of every draw (the Simulation's are of the filled ones): an unfilled draw
        # has no majority, and the curve shows it apart
        largest = sim.tally.largest[0]
        p_maj.append(largest[majority(rules.seats):].sum() / sim.n)
        p_two.append(largest[two_thirds(rules.seats):].sum() / sim.n)
        p_none.append(sim.p_unfilled(0))
        model = sim
    from .plots import mc_model_text
    src = source_line(election_line(scenario.election), f"{label}: {rules.describe()}, the "
                      f"national threshold set to each value on the axis (on the "
                      f"{base_words(rules.threshold_base)})",
                      f"Monte Carlo: {draws:,} draws per threshold, seed {seed} (the same "
                      f"draws at every threshold); {mc_model_text(model)}. Regional thresholds "
                      "are not applied to the draws")
    return ThresholdCurve(
        election=scenario.election.name, label=label, thresholds=grid, per_threshold=draws,
        p_majority=np.array(p_maj), p_two_thirds=np.array(p_two),
        p_unfilled=np.array(p_none), seats=rules.seats,
        base=rules.threshold_base, legal=rules.threshold, cap=rules.max_seats, source=src)


def scenario_figures(scenario: Scenario, *, montecarlo: Simulation | None = None,
                     colours=None, rng: np.random.Generator | None = None,
                     curve_draws: int = CURVE_DRAWS) -> dict[str, object]:
    """The scenario's figures by name (matplotlib Figures, not yet rendered)."""
    from . import plots
    from .colours import palette

    colours = colours if colours is not None else palette(scenario.election)
    run = run_scenario(scenario, rng)
    data = plots.election_line(scenario.election)
    heading = scenario.election.name
    out = {"seats": plots.figure_hemicycle(run.comparison, colours=colours, heading=heading)}
    for alt in run.comparison.alternatives:
        if alt.allocation is not None and alt.changed_from_baseline:
            out[f"seats-vs-{slug(alt.label)}"] = plots.figure_hemicycle(
                run.comparison, alt.label, colours=colours, heading=heading)
    if run.sweep is not None:
        out["sweep"] = plots.figure_sweep(run.sweep, label=scenario.label, colours=colours,
                                          heading=heading)
    if scenario.compare:
        out["compare"] = plots.figure_comparison(run.comparison, colours=colours,
                                                 heading=heading)
    if montecarlo is not None:
        out["mc-changes"] = plots.figure_changes(montecarlo, data=data, heading=heading)
        out["mc-list-seats"] = plots.figure_list_seats(montecarlo, colours=colours, data=data,
                                                       heading=heading)
        if scenario.sweep is not None:  # only over thresholds the scenario says make sense
            curve = threshold_curve(scenario, seed=int(montecarlo.settings["seed"]),
                                    draws=curve_draws)
            out["mc-majority"] = plots.figure_majority(curve, heading=heading)
    return out


def write_scenario_figures(scenario: Scenario, out_dir: str | Path, *,
                           montecarlo: Simulation | None = None, colours=None,
                           rng: np.random.Generator | None = None,
                           curve_draws: int = CURVE_DRAWS) -> list[Path]:
    """Write the scenario's figures to ``out_dir`` as ``<stem>-<figure>.png`` and ``.svg``.

    Without ``montecarlo`` (a ``Simulation`` of this scenario) only the figures that need no
    Monte Carlo are drawn: the parliament diagrams, the threshold sweep (if the scenario has a
    [sweep] table) and the rule comparison (if it has [[compare]] tables). With it, also the
    seats changing hands, the per-list seat distributions and, over the [sweep] range, the
    majority probability against the threshold (run here with the simulation's seed and the
    scenario's vote model). ``colours`` is a ``simulate.colours.Palette`` (share one
    across scenarios to keep a party's colour in all of their figures); ``rng`` decides ties
    by lot under ties = "lot". Returns the paths written, in order."""
    from .plots import render

    figures = scenario_figures(scenario, montecarlo=montecarlo, colours=colours, rng=rng,
                               curve_draws=curve_draws)
    stem = Path(scenario.path).stem
    blobs = [(Path(out_dir) / f"{stem}-{name}.{fmt}", render(fig, fmt))
             for name, fig in figures.items() for fmt in FORMATS]
    return [write_bytes(path, data) for path, data in blobs]


__all__ = ["CURVE_DRAWS", "FIGURES", "FIGURE_SEED", "FORMATS", "ThresholdCurve",
           "figure_montecarlo", "scenario_figures", "threshold_curve",
           "threshold_grid", "write_scenario_figures"]
