"""The exact threshold sweep: seats per list as a step function of the national threshold
with the lists that drop out at each breakpoint (``plot_sweep``; lines of lists with equal
seats nudged side by side, ``dodge``; labels placed by ``flag_rows``), the seats changing hands
(``plot_sweep_changes``) and the votes electing nobody (``plot_sweep_wasted``) below it, each
in its own panel, and the three composed into one figure (``figure_sweep``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import matplotlib.ticker
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulate.plots.style import (
    DPI,
    FAINT,
    INK,
    MUTED,
    WIDTH,
    Colours,
    _ax_source,
    _own_axes,
    _palette,
    base_words,
    edge_for,
    election_line,
    figure_of,
    finish,
    house_style,
    line_effects,
    new_figure,
    pct,
    regional_sentences,
    source_line,
    text_width,
)
from simulate.scenario.sweep import Sweep
from simulate.threshold import format_percent


def sweep_edges(sweep: Sweep) -> np.ndarray:
    """The sweep's interval edges in percent: low, every breakpoint, high."""
    return np.array(
        [
            100 * float(sweep.low),
            *(100 * float(b) for b in sweep.breakpoints),
            100 * float(sweep.high),
        ]
    )


def dropouts(sweep: Sweep) -> list[tuple[Fraction, tuple[str, ...]]]:
    """At each breakpoint, the lists that pass just below it and not above it."""
    out = []
    for a, b in zip(sweep.intervals, sweep.intervals[1:]):
        gone = tuple(n for n in a.passed if n not in b.passed)
        out.append((a.high, gone))
    return out


def spread(xs: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as close as possible to ``xs`` (sorted) but at least ``gap`` apart and
    inside [low, high]: pushed right, then back left from the upper end."""
    pos: list[float] = []
    for x in xs:
        pos.append(max(x, pos[-1] + gap) if pos else max(x, low))
    for k in range(len(pos) - 1, -1, -1):
        limit = high if k == len(pos) - 1 else pos[k + 1] - gap
        pos[k] = min(pos[k], limit)
    return pos


def _axes_width(ax: Axes) -> float:
    """The Axes' width in inches as laid out now (an estimate before constrained layout)."""
    fig = figure_of(ax)
    return max(ax.get_position().width * fig.get_size_inches()[0], 1.0)


def seat_lines(sweep: Sweep) -> np.ndarray:
    """Seats per interval (rows) and list (columns) as drawn: NaN where the list does not
    pass (its line ends where it drops out instead of running on along zero, where every
    list that dropped out would lie on top of the others) or the seats cannot be allocated."""
    names = sweep.election.names
    table = np.full((len(sweep.intervals), len(names)), np.nan)
    for k, iv in enumerate(sweep.intervals):
        if iv.seats is None:
            continue
        passed = set(iv.passed)
        for i, name in enumerate(names):
            if name in passed or iv.seats[i]:
                table[k, i] = iv.seats[i]
    return table


def dodge(table: np.ndarray, order: Sequence[int], apart: float) -> np.ndarray:
    """``table`` (intervals × lists) with the lines of ``order`` (columns, most prominent
    first) nudged apart where they would overlap: in each interval, lines less than
    ``apart`` (in seats) from one another are spread ``apart`` from one another around
    their mean (groups that then come too close are merged and spread again), the most
    prominent on top where seats are equal. Other columns, and lines with room, keep their
    values."""
    out = table.copy()
    rank = {i: k for k, i in enumerate(order)}
    for k in range(table.shape[0]):
        here = sorted(
            (i for i in order if np.isfinite(table[k, i])),
            key=lambda i: (table[k, i], -rank[i]),
        )
        groups = [[i] for i in here]

        def spread_out(group: list[int], row: np.ndarray = table[k]) -> list[float]:
            centre = float(np.mean([row[i] for i in group]))
            return [centre + (j - (len(group) - 1) / 2) * apart for j in range(len(group))]

        merged = True
        while merged:
            merged = False
            for g in range(len(groups) - 1):
                if spread_out(groups[g + 1])[0] - spread_out(groups[g])[-1] < apart - 1e-12:
                    groups[g : g + 2] = [groups[g] + groups[g + 1]]
                    merged = True
                    break
        for group in groups:
            if len(group) > 1:
                for i, y in zip(group, spread_out(group)):
                    out[k, i] = y
    return out


def dodge_lines(ax: Axes, sweep: Sweep, colours=None) -> None:
    """Nudge the coloured lines ``plot_sweep`` drew on ``ax`` apart for the Axes' height
    as laid out now (``dodge``), with their end dots; ``figure_sweep`` calls it again once
    the figure is laid out, as a line's width in seats depends on the final height."""
    pal = _palette(colours, sweep.election)
    names = sweep.election.names
    exact = seat_lines(sweep)
    coloured = [
        i
        for i in range(len(names))
        if np.nanmax(exact[:, i], initial=0) > 0 and not pal.is_other(names[i])
    ]
    low, high = ax.get_ylim()
    per_point = (high - low) / (72 * _axes_height(ax))  # seats per point of height
    table = dodge(exact, coloured, (LINE + 0.3) * per_point)
    edges = sweep_edges(sweep)
    for p in ax.patches:
        label = str(p.get_label())
        name = label[len("_seats:") :] if label.startswith("_seats:") else None
        if name is not None and names.index(name) in coloured:
            p.set_data(table[:, names.index(name)], edges)  # type: ignore[attr-defined]  # a StepPatch
    for line in ax.lines:
        label = str(line.get_label())
        if label.startswith("_end:"):
            i = names.index(label[len("_end:") :])
            if i in coloured:
                k = np.flatnonzero(np.isfinite(table[:, i]))[-1]
                line.set_ydata([table[k, i]])


def _axes_height(ax: Axes) -> float:
    """The Axes' height in inches as laid out now (an estimate before constrained layout)."""
    return max(ax.get_position().height * figure_of(ax).get_size_inches()[1], 0.8)


LINE = 1.9
"""Width of a coloured list's line, in points."""


def plot_sweep(
    sweep: Sweep,
    *,
    ax: Axes | None = None,
    colours: Colours = None,
    label_breakpoints: bool = True,
    legend: bool = True,
    title: str | None = None,
) -> Axes:
    """Seats per list as a step function of the national threshold, from the exact sweep:
    each step sits at a breakpoint (a list's share of the base), a list's line ends with a
    dot where it drops out, and lines that would lie on one another (two lists with the
    same seats) run side by side, nudged apart by less than a seat. Above the plot,
    every breakpoint is labelled with the list that drops out there, and the legal
    threshold (dashed) with its value: horizontally where the labels fit in three rows,
    else turned upright; a list within half a point of the legal threshold has its share
    written beside its name.

    Each list's steps are one ``StepPatch`` labelled ``"_seats:<list>"`` whose edges are
    ``sweep_edges(sweep)``; its values are the seats (``seat_lines``), nudged (``dodge``)."""
    ax, owned = _own_axes(ax, 3.2)
    pal = _palette(colours, sweep.election)
    edges = sweep_edges(sweep)
    names = sweep.election.names
    exact = seat_lines(sweep)
    held = [i for i in range(len(names)) if np.nanmax(exact[:, i], initial=0) > 0]
    grey = [i for i in held if pal.is_other(names[i])]
    coloured = [i for i in held if not pal.is_other(names[i])]
    top = np.nanmax(exact, initial=1)
    ax.set_ylim(0, top * 1.1 + 1)
    table = exact  # (coloured lines nudged apart below, once all is drawn: dodge_lines)
    for i in grey:
        ax.stairs(
            table[:, i],
            edges,
            baseline=None,
            color=pal[names[i]],
            lw=0.9,
            zorder=2,
            label=f"_seats:{names[i]}",
        )
    for i in reversed(coloured):
        colour = pal[names[i]]
        ax.stairs(
            table[:, i],
            edges,
            baseline=None,
            color=colour,
            lw=LINE,
            zorder=3,
            label=f"_seats:{names[i]}",
            path_effects=line_effects(colour, LINE),
        )
    for i in held:  # a dot where the list drops out (not where allocation fails)
        k = np.flatnonzero(np.isfinite(table[:, i]))
        if (
            k.size
            and k[-1] + 1 < len(sweep.intervals)
            and names[i] not in sweep.intervals[k[-1] + 1].passed
        ):
            grey_dot = i in grey
            ax.plot(
                [edges[k[-1] + 1]],
                [table[k[-1], i]],
                ls="",
                marker="o",
                ms=2.2 if grey_dot else 3.4,
                color=pal[names[i]],
                mec=edge_for(pal[names[i]], pal[names[i]]),
                mew=0.5,
                zorder=2 if grey_dot else 3,
                label=f"_end:{names[i]}",
            )
    dodge_lines(ax, sweep, pal)
    legal = 100 * float(sweep.rules.threshold)
    lo, hi = edges[0], edges[-1]
    for b in edges[1:-1]:
        ax.axvline(b, color="#DDDDDD", lw=0.6, zorder=1)
    _mark_unallocated(ax, sweep, edges)
    shown_legal = lo <= legal <= hi
    if shown_legal:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4, label="_legal")
    ax.set_xlim(lo, hi)
    ax.set_ylabel(f"seats (of {sweep.rules.seats})")
    ax.set_xlabel(f"national threshold (% of {base_words(sweep.rules.threshold_base)})")
    ax.yaxis.grid(True)
    handles = []
    if legend and coloured:
        handles = [
            Line2D(
                [],
                [],
                color=pal[names[i]],
                lw=2,
                label=names[i],
                path_effects=line_effects(pal[names[i]], 2),
            )
            for i in coloured
        ]
        if grey:
            handles.append(Line2D([], [], color=pal.other, lw=1, label="other lists"))
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=7.5,
            handlelength=1.2,
            borderaxespad=0.3,
        )
    if label_breakpoints or shown_legal:
        labels = []
        if label_breakpoints:
            for b, gone in dropouts(sweep):
                if gone:
                    x = 100 * float(b)
                    near = shown_legal and abs(x - legal) < 0.5
                    text = ", ".join(gone) + (f" ({pct(x, 2)})" if near else "")
                    labels.append((x, text, f"_dropout:{', '.join(gone)}", MUTED))
        if shown_legal:
            labels.append((legal, f"legal threshold {pct(legal, 2)}", "_legal_label", INK))
        legend_width = (
            max((text_width(str(h.get_label()), 7.5) for h in handles), default=-0.45) + 0.45
        )
        width = min(_axes_width(ax), figure_of(ax).get_size_inches()[0] - 0.75 - legend_width)
        _label_breakpoints(ax, sorted(labels), lo, hi, max(width, 1.0), legend_width)
    if owned or title:
        title = title or "Seats per list as the threshold changes"
        src = source_line(
            election_line(sweep.election),
            sweep.rules.describe(),
            "Exact sweep: seats change only where the threshold crosses a "
            "list's share. Names above the chart: the list that drops out at "
            "that threshold",
        )
        _ax_source(owned, ax, title, None, src)
    return ax


LABEL_PT = 7.0
ROW_PT = 10.0
MAX_ROWS = 4


def flag_rows(
    xs: Sequence[float],
    widths: Sequence[float],
    gap: float,
    low: float = -np.inf,
    high: float = np.inf,
) -> list[tuple[int, str]] | None:
    """(row, side) for horizontal labels with a leader down from one end to the axis at
    their x: each label runs ``widths`` to the right of its x ("right") or to the left
    ("left"), inside [``low``, ``high``]. Labels in one row do not overlap (``gap`` apart),
    and no leader crosses (or comes within a quarter ``gap`` of) a label below its own row.
    Labels are placed from the right, each in the lowest row it can take; of two ways
    (flags to the right only, or to either side) the one with fewer rows is kept. None when
    more than ``MAX_ROWS`` rows would be needed."""

    pad = gap / 4  # between a leader and a label

    def place(sides: tuple[str, ...]) -> list[tuple[int, str]] | None:
        placed: dict[int, tuple[int, str, float, float]] = {}  # label: row, side, span
        for k in range(len(xs) - 1, -1, -1):
            best = None
            for side in sides:
                x, w = xs[k], widths[k]
                a, b = (x, x + w) if side == "right" else (x - w, x)
                if a < low or b > high:
                    continue
                above, below, barred = 0, MAX_ROWS, set()
                for j, (row, _, c, d) in placed.items():
                    if a - pad <= xs[j] <= b + pad:  # its leader would cross this label
                        above = max(above, row + 1)
                    if c - pad <= x <= d + pad:  # this leader would cross its label
                        below = min(below, row)
                    if a - gap < d and c - gap < b:  # the two would overlap in one row
                        barred.add(row)
                free = next((r for r in range(above, below) if r not in barred), None)
                if free is not None and (best is None or free < best[0]):
                    best = (free, side, a, b)
            if best is None:
                return None
            placed[k] = best
        return [placed[k][:2] for k in range(len(xs))]

    found = [f for f in (place(("right",)), place(("right", "left"))) if f is not None]
    return min(found, key=lambda rows: max(r for r, _ in rows)) if found else None


def _label_breakpoints(
    ax: Axes,
    labels: list[tuple[float, str, str, str]],
    lo: float,
    hi: float,
    width: float,
    room: float,
) -> None:
    """Write (x, text, artist label, colour) above the plot, each with a leader down to x:
    horizontal flags in up to ``MAX_ROWS`` rows where they fit (``flag_rows``), else upright
    labels nudged apart (``spread``). ``width``: the Axes' width in inches (an estimate),
    ``room``: inches free right of it (over the legend)."""
    if not labels:
        return
    per_inch = (hi - lo) / width
    xs = [x for x, *_ in labels]
    widths = [(text_width(t, LABEL_PT) + 0.04) * per_inch for _, t, *_ in labels]
    rows = flag_rows(xs, widths, 0.08 * per_inch, lo - 0.45 * per_inch, hi + room * per_inch)
    if rows is not None:
        through = ax.get_xaxis_transform()
        for (x, text, name, colour), (row, side) in zip(labels, rows):
            legal = name == "_legal_label"
            ax.annotate(
                text,
                xy=(x, 1.0),
                xycoords=through,
                xytext=(0, 4 + ROW_PT * row),
                textcoords="offset points",
                ha="left" if side == "right" else "right",
                va="bottom",
                fontsize=LABEL_PT,
                color=colour,
                annotation_clip=False,
                label=name,
                arrowprops={
                    "arrowstyle": "-",
                    "color": INK if legal else FAINT,
                    "lw": 1.0 if legal else 0.6,
                    "ls": (0, (4, 2)) if legal else "-",
                    "shrinkA": 0,
                    "shrinkB": 0,
                    "relpos": (0.0, 0.0) if side == "right" else (1.0, 0.0),
                },
            )
        return
    gap = (LABEL_PT * 1.5 / 72) * per_inch
    where = spread(xs, gap, lo, hi)
    fig_h = figure_of(ax).get_size_inches()[1]
    rise = (9 / 72) / max(ax.get_position().height * fig_h, 1.0)  # 9 points, as a fraction
    through = ax.get_xaxis_transform()
    for (x, text, name, colour), at in zip(labels, where):
        legal = name == "_legal_label"
        ax.plot(
            [x, x, at],
            [1.0, 1.0 + 0.35 * rise, 1.0 + 0.9 * rise],
            transform=through,
            clip_on=False,
            color=INK if legal else FAINT,
            lw=1.0 if legal else 0.6,
            zorder=1,
            label="_leader",
        )
        ax.text(
            at,
            1.0 + rise,
            text,
            transform=through,
            rotation=90,
            rotation_mode="anchor",
            ha="left",
            va="center",
            fontsize=LABEL_PT,
            color=colour,
            clip_on=False,
            label=name,
        )


def _mark_unallocated(ax: Axes, sweep: Sweep, edges: np.ndarray, text: bool = True) -> None:
    """Hatch the thresholds where the seats cannot be allocated, and say so once."""
    spans = [
        (edges[k], edges[k + 1], iv.problem or "")
        for k, iv in enumerate(sweep.intervals)
        if iv.allocation is None and edges[k + 1] > edges[k]
    ]
    for lo, hi, _ in spans:
        ax.axvspan(
            lo,
            hi,
            facecolor="none",
            edgecolor=FAINT,
            hatch="///",
            lw=0,
            zorder=0,
            label="_unallocated",
        )
    if text and spans:
        lo, hi, problem = spans[-1]
        why = (
            "no list\npasses"
            if "no list passes" in problem
            else "undecided\ntie"
            if "tie for" in problem
            else "seats cannot\nall be filled"
        )
        ax.text(
            (lo + hi) / 2,
            0.5,
            "no allocation:\n" + why,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            fontsize=7,
            color=MUTED,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        )


def _threshold_marks(ax: Axes, sweep: Sweep, edges: np.ndarray) -> None:
    """The breakpoints (faint), the legal threshold (dashed), the unallocated spans."""
    legal = 100 * float(sweep.rules.threshold)
    if edges[0] <= legal <= edges[-1]:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4)
    for b in edges[1:-1]:
        ax.axvline(b, color="#DDDDDD", lw=0.6, zorder=1)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel(f"national threshold (% of {base_words(sweep.rules.threshold_base)})")
    ax.yaxis.grid(True)
    _mark_unallocated(ax, sweep, edges, text=False)


def plot_sweep_changes(
    sweep: Sweep,
    *,
    ax: Axes | None = None,
    baseline_label: str = "baseline",
    title: str | None = None,
) -> Axes:
    """Seats changing hands against the baseline (black steps, labelled "_changes") as the
    threshold varies; the votes that elect nobody have their own panel
    (``plot_sweep_wasted``), so no two lines share a panel on different scales."""
    ax, owned = _own_axes(ax, 2.0)
    edges = sweep_edges(sweep)
    moved = np.array(
        [
            np.nan if iv.changed_from_baseline is None else iv.changed_from_baseline
            for iv in sweep.intervals
        ],
        dtype=float,
    )
    ax.stairs(moved, edges, baseline=None, color=INK, lw=1.9, label="_changes", zorder=3)
    ax.set_ylim(0, max(np.nanmax(moved, initial=0) * 1.12, 5))
    ax.set_ylabel("seats")
    _threshold_marks(ax, sweep, edges)
    heading = f"Seats changing hands against “{baseline_label}”"
    return _panel_heading(ax, sweep, heading, owned, title)


def _panel_heading(ax: Axes, sweep: Sweep, heading: str, owned: bool, title: str | None) -> Axes:
    """A lower panel's heading: over it when it is a panel of a figure; else a title (and,
    on its own figure, the source line)."""
    if not owned and not title:  # a panel of a figure: what it shows, over it
        ax.set_title(heading, loc="left", fontsize=8)
    if owned or title:
        title = title or f"{heading}, by threshold"
        src = source_line(election_line(sweep.election), sweep.rules.describe())
        _ax_source(owned, ax, title, None, src)
    return ax


def plot_sweep_wasted(
    sweep: Sweep,
    *,
    ax: Axes | None = None,
    colour: str = "#0072B2",
    title: str | None = None,
) -> Axes:
    """The share of the votes that elect nobody (steps labelled "_wasted", in percent of
    the base the measure uses) as the threshold varies."""
    ax, owned = _own_axes(ax, 2.0)
    edges = sweep_edges(sweep)
    wasted = np.array(
        [
            np.nan if iv.measures is None else 100 * iv.measures.wasted_share
            for iv in sweep.intervals
        ],
        dtype=float,
    )
    wbase = next((iv.measures.wasted_base for iv in sweep.intervals if iv.measures), None)
    ax.stairs(wasted, edges, baseline=None, color=colour, lw=1.9, label="_wasted", zorder=3)
    ax.set_ylim(0, max(np.nanmax(wasted, initial=0) * 1.12, 10))
    ax.set_ylabel("share")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(decimals=0))
    _threshold_marks(ax, sweep, edges)
    heading = f"Votes that elect nobody (% of {base_words(wbase or 'participants')})"
    return _panel_heading(ax, sweep, heading, owned, title)


def figure_sweep(
    sweep: Sweep, *, label: str = "baseline", colours: Colours = None, heading: str | None = None
) -> Figure:
    """Seats per list against the threshold (top) and, sharing its axis, seats changing hands
    (middle) and votes electing nobody (bottom), each on its own axis."""
    e = sweep.election
    with house_style():
        fig = new_figure(WIDTH, 6.2)
        top, middle, bottom = fig.subplots(3, 1, sharex=True, height_ratios=[3, 1.15, 1.15])
        plot_sweep(sweep, ax=top, colours=colours)
        plot_sweep_changes(sweep, ax=middle, baseline_label=label)
        plot_sweep_wasted(sweep, ax=bottom)
        for ax in (top, middle):
            ax.set_xlabel("")
            ax.tick_params(labelbottom=False)
        fig.align_ylabels([top, middle, bottom])
        legal = format_percent(sweep.rules.threshold)
        iv = (
            sweep.at(sweep.rules.threshold)
            if sweep.low <= sweep.rules.threshold <= sweep.high
            else None
        )
        bits = []
        if iv is not None and iv.allocation is not None:
            bits.append(f"At {legal}, {len(iv.passed)} lists win seats")
            if iv.measures is not None:
                bits.append(
                    f"{100 * iv.measures.wasted_share:.0f}% of "
                    f"{base_words(iv.measures.wasted_base)} elect nobody"
                )
        title = "How the threshold decides who sits in parliament" + (
            ": " + " and ".join(bits) if bits else ""
        )
        title = title.replace(": At ", ": at ")
        sub = (
            f"{heading or e.name}. Seats per list for every threshold from "
            f"{format_percent(sweep.low)} to {format_percent(sweep.high)}, computed exactly: "
            "seats change only where the threshold crosses a list's share of the "
            f"{base_words(sweep.rules.threshold_base)}; the names above the chart are the "
            "lists that drop out there (a dot ends each list's line). Lines of lists with "
            "equal seats run side by side. Below: seats that change hands against "
            f"“{label}”, and the votes that elect nobody."
        )
        problems = sorted({iv.problem for iv in sweep.intervals if iv.problem})
        extra = [
            "Hatched, no allocation: " + "; ".join(problems) + "." if problems else None,
            regional_sentences(
                next((iv.allocation for iv in sweep.intervals if iv.allocation), None)
            ),
        ]
        src = source_line(
            election_line(e),
            f"{label}: {sweep.rules.describe()}"
            + (", by district" if any(iv.districts for iv in sweep.intervals) else "")
            + "; only the national threshold varies",
            " ".join(x for x in extra if x) or None,
        )
        finish(fig, title, sub, src)
        fig.set_dpi(DPI)
        fig.draw_without_rendering()  # the layout, for the top panel's final height
        dodge_lines(top, sweep, colours)
        return fig
