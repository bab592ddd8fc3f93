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
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from simulate import plots
from simulate.montecarlo.district_result import DistrictSimulation
from simulate.montecarlo.result import Simulation, ThresholdCurve
from simulate.plots.colours import Palette, palette
from simulate.plots.district_changes import figure_district_changes
from simulate.plots.districts import figure_district_seats
from simulate.plots.margins import figure_margins
from simulate.plots.mc_districts import DistrictTotals, figure_district_mc_changes
from simulate.report.atomic import write_files
from simulate.scenario.result import ScenarioRun

FORMATS = ("png", "svg")


FIGURES = (
    "seats",
    "seats-vs-<alternative>",
    "sweep",
    "compare",
    "districts",
    "district-changes-vs-<alternative>",
    "mc-changes",
    "mc-list-seats",
    "mc-list-seats-<rule set>",
    "mc-majority",
    "mc-district-changes",
    "margins",
)
"""File name suffixes, in the order figures are written: ``<scenario stem>-<suffix>.png``;
``seats-vs-<alternative>`` is written for each [[compare]] rule set that moves a seat,
``mc-list-seats`` for the first rule set of the Monte Carlo run and
``mc-list-seats-<rule set>`` for each of its others. With districts, ``districts`` is the
baseline's seats by district and list, and ``district-changes-vs-<alternative>`` is written
for each rule set allocated by district that moves a seat in some district. A districted
Monte Carlo (one rule set, the scenario's own) writes ``mc-changes`` and ``mc-list-seats`` on
the totals and ``mc-district-changes``, the mean seats changing hands in each district."""


_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ң": "ng",
    "ө": "o",
    "ү": "u",
    "і": "i",
}
"""Russian and Kyrgyz letters in Latin (a label written in Cyrillic keeps a readable file
name instead of falling back to "rules"); the hard and soft signs are dropped."""


def slug(label: str) -> str:
    """A file-name form of a rule set's label: "9% (2019)" → "9pct-2019", "д'Хондт" →
    "d-khondt"; a label with no letter or digit left → "rules"."""
    text = label.lower().replace("%", "pct")
    text = "".join(_CYRILLIC.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-z]+", "-", text).strip("-")
    return text or "rules"


def unique_slugs(labels: list[str]) -> dict[str, str]:
    """Each label's file-name form, made unique: when two labels give the same slug ("9%"
    and "9pct"), the later ones get "-2", "-3", … in file order."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for label in labels:
        base = slug(label)
        name, k = base, 1
        while name in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name)
        out[label] = name
    return out


@dataclass(frozen=True)
class FigureFile:
    """One rendered figure file: its name (``<stem>-<figure>.<format>``), what it shows and,
    for a ``seats-vs-…`` figure, the label of the rule set it sets beside the baseline (for
    an ``mc-list-seats…`` figure, of the rule set it shows)."""

    name: str
    figure: str
    label: str | None
    data: bytes


def scenario_figures(
    run: ScenarioRun,
    *,
    montecarlo: Simulation | None = None,
    curve: ThresholdCurve | None = None,
    colours: Palette | None = None,
    district_montecarlo: DistrictSimulation | None = None,
) -> dict[str, Figure]:
    """The scenario's figures by name (matplotlib Figures, not yet rendered): the parliament
    under its rules and beside each alternative that moves a seat, the sweep (if the run has
    one), the comparison (if the scenario has [[compare]] tables); with ``montecarlo``, the
    seats changing hands and the seats per list under each of its rule sets; with ``curve``,
    the majority against the threshold."""
    scenario = run.scenario
    colours = colours if colours is not None else palette(scenario.election)
    data = plots.election_line(scenario.election)
    heading = scenario.election.name
    out = {"seats": plots.figure_hemicycle(run.comparison, colours=colours, heading=heading)}
    names = unique_slugs([alt.label for alt in run.comparison.alternatives])
    for alt in run.comparison.alternatives:
        if alt.allocation is not None and alt.changed_from_baseline:
            out[f"seats-vs-{names[alt.label]}"] = plots.figure_hemicycle(
                run.comparison, alt.label, colours=colours, heading=heading
            )
    if run.sweep is not None:
        out["sweep"] = plots.figure_sweep(
            run.sweep, label=scenario.label, colours=colours, heading=heading
        )
    if scenario.compare:
        out["compare"] = plots.figure_comparison(run.comparison, colours=colours, heading=heading)
    if run.districts is not None:
        out["districts"] = figure_district_seats(
            run.districts, label=scenario.label, colours=colours, heading=heading
        )
        for alt in run.comparison.alternatives:
            if alt.district_changes is not None and any(alt.district_changes):
                out[f"district-changes-vs-{names[alt.label]}"] = figure_district_changes(
                    run.comparison, alt.label, colours=colours, heading=heading
                )
    if montecarlo is not None:
        out["mc-changes"] = plots.figure_changes(montecarlo, data=data, heading=heading)
        for r, name in enumerate(list_seats_names(montecarlo)):
            out[name] = plots.figure_list_seats(
                montecarlo, r, colours=colours, data=data, heading=heading
            )
    if district_montecarlo is not None:
        totals = district_totals(run, district_montecarlo)
        out["mc-changes"] = plots.figure_changes(totals, data=data, heading=heading)
        out["mc-list-seats"] = plots.figure_list_seats(
            totals, colours=colours, data=data, heading=heading
        )
        out["mc-district-changes"] = figure_district_mc_changes(
            district_montecarlo, data=data, heading=heading
        )
    if curve is not None:
        out["mc-majority"] = plots.figure_majority(curve, heading=heading)
    if run.margins is not None:
        out["margins"] = figure_margins(run.margins, colours=colours)
    return out


def district_totals(run: ScenarioRun, sim: DistrictSimulation) -> DistrictTotals:
    """A districted run's totals in the shape of the one-constituency figures."""
    election = run.scenario.election
    votes = tuple(int(v) for v in election.district_votes().sum(0))
    return DistrictTotals(sim, votes, run.scenario.label)


def list_seats_names(sim: Simulation) -> list[str]:
    """The seats-per-list figure of each of the run's rule sets, in order: ``mc-list-seats``
    for the first, ``mc-list-seats-<slug>`` for the others."""
    names = unique_slugs(list(sim.labels))
    return ["mc-list-seats"] + [f"mc-list-seats-{names[label]}" for label in sim.labels[1:]]


def figure_labels(
    run: ScenarioRun,
    montecarlo: Simulation | None = None,
    district_montecarlo: DistrictSimulation | None = None,
) -> dict[str, str]:
    """The rule set each per-rule-set figure shows, by figure name: ``seats-vs-…`` (the
    alternative beside the baseline) and ``mc-list-seats…``."""
    names = unique_slugs([alt.label for alt in run.comparison.alternatives])
    out = {f"seats-vs-{name}": label for label, name in names.items()}
    out.update({f"district-changes-vs-{name}": label for label, name in names.items()})
    if montecarlo is not None:
        out.update(zip(list_seats_names(montecarlo), montecarlo.labels))
    if district_montecarlo is not None:
        out["mc-list-seats"] = run.scenario.label
    return out


def render_scenario_figures(
    run: ScenarioRun,
    *,
    montecarlo: Simulation | None = None,
    curve: ThresholdCurve | None = None,
    colours: Palette | None = None,
    district_montecarlo: DistrictSimulation | None = None,
) -> list[FigureFile]:
    """The figures of ``scenario_figures`` rendered to PNG and SVG bytes, in order, named
    ``<stem>-<figure>.<format>`` where ``<stem>`` is the scenario file's name."""
    figures = scenario_figures(
        run,
        montecarlo=montecarlo,
        curve=curve,
        colours=colours,
        district_montecarlo=district_montecarlo,
    )
    stem = Path(run.scenario.path).stem
    label_of = figure_labels(run, montecarlo, district_montecarlo)
    return [
        FigureFile(f"{stem}-{name}.{fmt}", name, label_of.get(name), plots.render(fig, fmt))
        for name, fig in figures.items()
        for fmt in FORMATS
    ]


def write_scenario_figures(
    run: ScenarioRun,
    out_dir: str | Path,
    *,
    montecarlo: Simulation | None = None,
    curve: ThresholdCurve | None = None,
    colours: Palette | None = None,
    district_montecarlo: DistrictSimulation | None = None,
) -> list[Path]:
    """Render the scenario's figures, then write them to ``out_dir`` together (none is
    replaced unless all could be written: ``simulate.report.atomic.write_files``).
    ``colours`` is a ``simulate.plots.colours.Palette`` (share one across scenarios to keep a
    party's colour in all of their figures). Returns the paths written, in order."""
    files = render_scenario_figures(
        run,
        montecarlo=montecarlo,
        curve=curve,
        colours=colours,
        district_montecarlo=district_montecarlo,
    )
    return write_files({Path(out_dir) / f.name: f.data for f in files})
