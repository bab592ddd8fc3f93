"""A scenario's figure set from results already computed, written as PNG (200 dpi) and SVG:
what ``seatsim figures`` and ``seatsim run`` call.

Nothing here computes: the caller hands over the scenario run (``simulate.scenario.run``),
and optionally its Monte Carlo ``Simulation`` and threshold curve. Every figure is rendered
to bytes first and only then written, each file atomically (``simulate.report.atomic``), so
a failure while drawing leaves earlier figures as they were.

Importing this module imports matplotlib (through ``simulate.plots``)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from matplotlib.figure import Figure

from simulate import plots
from simulate.montecarlo.curve import ThresholdCurve
from simulate.montecarlo.result import Simulation
from simulate.plots.colours import Palette, palette
from simulate.report.atomic import write_bytes
from simulate.scenario.run import ScenarioRun

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
    run: ScenarioRun,
    *,
    montecarlo: Simulation | None = None,
    curve: ThresholdCurve | None = None,
    colours: Palette | None = None,
) -> dict[str, Figure]:
    """The scenario's figures by name (matplotlib Figures, not yet rendered): the parliament
    under its rules and beside each alternative that moves a seat, the sweep (if the run has
    one), the comparison (if the scenario has [[compare]] tables); with ``montecarlo``, the
    seats changing hands and the seats per list; with ``curve``, the majority against the
    threshold."""
    scenario = run.scenario
    colours = colours if colours is not None else palette(scenario.election)
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
    if curve is not None:
        out["mc-majority"] = plots.figure_majority(curve, heading=heading)
    return out


def write_scenario_figures(
    run: ScenarioRun,
    out_dir: str | Path,
    *,
    montecarlo: Simulation | None = None,
    curve: ThresholdCurve | None = None,
    colours: Palette | None = None,
) -> list[Path]:
    """Write the figures of ``scenario_figures`` to ``out_dir`` as ``<stem>-<figure>.png``
    and ``.svg``, where ``<stem>`` is the scenario file's name. ``colours`` is a
    ``simulate.plots.colours.Palette`` (share one across scenarios to keep a party's colour
    in all of their figures). Returns the paths written, in order."""
    figures = scenario_figures(run, montecarlo=montecarlo, curve=curve, colours=colours)
    stem = Path(run.scenario.path).stem
    blobs = [
        (Path(out_dir) / f"{stem}-{name}.{fmt}", plots.render(fig, fmt))
        for name, fig in figures.items()
        for fmt in FORMATS
    ]
    return [write_bytes(path, data) for path, data in blobs]
