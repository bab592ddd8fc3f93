"""A scenario's figures, written as PNG (200 dpi) and SVG: what ``seatsim figures`` and
``seatsim run`` call.

``write_scenario_figures`` computes what it needs with the core (the baseline, the rule
comparison, the exact sweep; with a Monte Carlo ``Simulation`` also the majority curve, from
runs at fixed thresholds), draws with ``simulate.plots``, renders every figure to bytes first
and only then writes the files, each atomically (``simulate.outputs.write_bytes``), so a
failure leaves earlier figures as they were.

Importing this module does not import matplotlib; drawing does."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np

from simulate.montecarlo.curve import CURVE_DRAWS, threshold_curve
from simulate.montecarlo.result import Simulation
from simulate.report.atomic import write_bytes
from simulate.scenario.file import Scenario
from simulate.scenario.run import run_scenario

FORMATS = ("png", "svg")


FIGURES = (
    "seats",
    "seats-vs-<alternative>",
    "sweep",
    "compare",
    "mc-changes",
    "mc-list-seats",
    "mc-majority",
)
"""File name suffixes, in the order figures are written: ``<scenario stem>-<suffix>.png``;
``seats-vs-<alternative>`` is written for each [[compare]] rule set that moves a seat."""


def slug(label: str) -> str:
    """A file-name form of a rule set's label: "9% (2019)" → "9pct-2019"."""
    text = label.lower().replace("%", "pct")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-z]+", "-", text).strip("-")
    return text or "rules"


def scenario_figures(
    scenario: Scenario,
    *,
    montecarlo: Simulation | None = None,
    colours=None,
    rng: np.random.Generator | None = None,
    curve_draws: int = CURVE_DRAWS,
) -> dict[str, object]:
    """The scenario's figures by name (matplotlib Figures, not yet rendered)."""
    from simulate import plots
    from simulate.plots.colours import palette

    colours = colours if colours is not None else palette(scenario.election)
    run = run_scenario(scenario, rng)
    data = plots.election_line(scenario.election)
    heading = scenario.election.name
    out = {"seats": plots.figure_hemicycle(run.comparison, colours=colours, heading=heading)}
    for alt in run.comparison.alternatives:
        if alt.allocation is not None and alt.changed_from_baseline:
            out[f"seats-vs-{slug(alt.label)}"] = plots.figure_hemicycle(
                run.comparison, alt.label, colours=colours, heading=heading
            )
    if run.sweep is not None:
        out["sweep"] = plots.figure_sweep(
            run.sweep, label=scenario.label, colours=colours, heading=heading
        )
    if scenario.compare:
        out["compare"] = plots.figure_comparison(run.comparison, colours=colours, heading=heading)
    if montecarlo is not None:
        out["mc-changes"] = plots.figure_changes(montecarlo, data=data, heading=heading)
        out["mc-list-seats"] = plots.figure_list_seats(
            montecarlo, colours=colours, data=data, heading=heading
        )
        if scenario.sweep is not None:  # only over thresholds the scenario says make sense
            curve = threshold_curve(
                scenario, seed=int(montecarlo.settings["seed"]), draws=curve_draws
            )
            out["mc-majority"] = plots.figure_majority(curve, heading=heading)
    return out


def write_scenario_figures(
    scenario: Scenario,
    out_dir: str | Path,
    *,
    montecarlo: Simulation | None = None,
    colours=None,
    rng: np.random.Generator | None = None,
    curve_draws: int = CURVE_DRAWS,
) -> list[Path]:
    """Write the scenario's figures to ``out_dir`` as ``<stem>-<figure>.png`` and ``.svg``.

    Without ``montecarlo`` (a ``Simulation`` of this scenario) only the figures that need no
    Monte Carlo are drawn: the parliament diagrams, the threshold sweep (if the scenario has a
    [sweep] table) and the rule comparison (if it has [[compare]] tables). With it, also the
    seats changing hands, the per-list seat distributions and, over the [sweep] range, the
    majority probability against the threshold (run here with the simulation's seed and the
    scenario's vote model). ``colours`` is a ``simulate.colours.Palette`` (share one
    across scenarios to keep a party's colour in all of their figures); ``rng`` decides ties
    by lot under ties = "lot". Returns the paths written, in order."""
    from simulate.plots import render

    figures = scenario_figures(
        scenario, montecarlo=montecarlo, colours=colours, rng=rng, curve_draws=curve_draws
    )
    stem = Path(scenario.path).stem
    blobs = [
        (Path(out_dir) / f"{stem}-{name}.{fmt}", render(fig, fmt))
        for name, fig in figures.items()
        for fmt in FORMATS
    ]
    return [write_bytes(path, data) for path, data in blobs]
