"""The exact threshold sweep: seats per list as a step function of the national threshold
with the lists that drop out at each breakpoint (``plot_sweep``), the seats changing hands and
the votes electing nobody below it (``plot_sweep_changes``), and the two composed into one
figure (``figure_sweep``).
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
    FAINT,
    INK,
    MUTED,
    WIDTH,
    Colours,
    _ax_source,
    _own_axes,
    _palette,
    base_words,
    election_line,
    figure_of,
    finish,
    house_style,
    line_effects,
    new_figure,
    pct,
    source_line,
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
    each step sits at a breakpoint (a list's share of the base), the legal threshold is
    marked, and every breakpoint is labelled above the plot with the list that drops out
    there (labels nudged apart where breakpoints crowd, each with a leader to its tick).

    Each list's steps are one ``StepPatch`` labelled ``"_seats:<list>"`` whose edges are
    ``sweep_edges(sweep)``."""
    ax, owned = _own_axes(ax, 3.2)
    pal = _palette(colours, sweep.election)
    edges = sweep_edges(sweep)
    names = sweep.election.names
    table = np.array(
        [[np.nan] * len(names) if iv.seats is None else iv.seats for iv in sweep.intervals],
        dtype=float,
    )
    held = [i for i in range(len(names)) if np.nanmax(table[:, i], initial=0) > 0]
    grey = [i for i in held if pal.is_other(names[i])]
    coloured = [i for i in held if not pal.is_other(names[i])]
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
        ax.stairs(
            table[:, i],
            edges,
            baseline=None,
            color=pal[names[i]],
            lw=1.9,
            zorder=3,
            label=f"_seats:{names[i]}",
            path_effects=line_effects(pal[names[i]], 1.9),
        )
    legal = 100 * float(sweep.rules.threshold)
    lo, hi = edges[0], edges[-1]
    for b in edges[1:-1]:
        ax.axvline(b, color="#DDDDDD", lw=0.6, zorder=1)
    top = np.nanmax(table, initial=1)
    ax.set_ylim(0, top * 1.1 + 1)
    _mark_unallocated(ax, sweep, edges)
    if lo <= legal <= hi:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4, label="_legal")
        ax.text(
            legal,
            0.985,
            f" legal threshold {pct(legal, 2)}",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="top",
            fontsize=7.5,
            color=INK,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
        )
    ax.set_xlim(lo, hi)
    ax.set_ylabel(f"seats (of {sweep.rules.seats})")
    ax.set_xlabel(f"national threshold (% of {base_words(sweep.rules.threshold_base)})")
    ax.yaxis.grid(True)
    if label_breakpoints:
        size = 7.0
        points = [(100 * float(b), ", ".join(gone)) for b, gone in dropouts(sweep) if gone]
        gap = (size * 1.5 / 72) / (0.8 * _axes_width(ax)) * (hi - lo)
        where = spread([x for x, _ in points], gap, lo, hi)
        fig_h = figure_of(ax).get_size_inches()[1]
        rise = (9 / 72) / max(ax.get_position().height * fig_h, 1.0)  # 9 points, as a fraction
        through = ax.get_xaxis_transform()
        for (x, text), at in zip(points, where):
            ax.plot(
                [x, x, at],
                [1.0, 1.0 + 0.35 * rise, 1.0 + 0.9 * rise],
                transform=through,
                clip_on=False,
                color=FAINT,
                lw=0.6,
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
                fontsize=size,
                color=MUTED,
                clip_on=False,
                label=f"_dropout:{text}",
            )
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


def plot_sweep_changes(
    sweep: Sweep,
    *,
    ax: Axes | None = None,
    baseline_label: str = "baseline",
    title: str | None = None,
) -> Axes:
    """Second panel of the sweep: seats changing hands against the baseline (left axis,
    black) and the share of the votes that elect nobody (right axis, blue dashed, on a twin
    Axes of ``ax``); a legend under the panel says which is which."""
    ax, owned = _own_axes(ax, 2.2)
    edges = sweep_edges(sweep)
    moved = np.array(
        [
            np.nan if iv.changed_from_baseline is None else iv.changed_from_baseline
            for iv in sweep.intervals
        ],
        dtype=float,
    )
    wasted = np.array(
        [
            np.nan if iv.measures is None else 100 * iv.measures.wasted_share
            for iv in sweep.intervals
        ],
        dtype=float,
    )
    wbase = next((iv.measures.wasted_base for iv in sweep.intervals if iv.measures), None)
    blue = "#0072B2"
    ax.stairs(moved, edges, baseline=None, color=INK, lw=1.9, label="_changes", zorder=3)
    ax.set_ylim(0, max(np.nanmax(moved, initial=0) * 1.12, 5))
    ax.set_ylabel(f"seats changing hands\nvs “{baseline_label}”")
    twin = ax.twinx()
    twin.stairs(
        wasted, edges, baseline=None, color=blue, lw=1.4, ls=(0, (5, 2)), label="_wasted", zorder=2
    )
    twin.set_ylim(0, max(np.nanmax(wasted, initial=0) * 1.12, 10))
    twin.spines["right"].set_visible(True)
    twin.spines["right"].set_color(blue)
    twin.spines["top"].set_visible(False)
    twin.set_ylabel(
        f"votes electing nobody\n(% of {base_words(wbase or 'participants')})", color=blue
    )
    twin.tick_params(axis="y", colors=blue)
    twin.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(decimals=0))
    legal = 100 * float(sweep.rules.threshold)
    if edges[0] <= legal <= edges[-1]:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4)
    for b in edges[1:-1]:
        ax.axvline(b, color="#DDDDDD", lw=0.6, zorder=1)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel(f"national threshold (% of {base_words(sweep.rules.threshold_base)})")
    ax.yaxis.grid(True)
    _mark_unallocated(ax, sweep, edges, text=False)
    handles = [
        Line2D([], [], color=INK, lw=1.9, label="seats changing hands (left axis)"),
        Line2D(
            [], [], color=blue, lw=1.4, ls=(0, (5, 2)), label="votes electing nobody (right axis)"
        ),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.32),
        ncol=2,
        fontsize=7.5,
        borderaxespad=0,
    )
    if owned or title:
        title = title or "Seats changing hands and votes electing nobody, by threshold"
        src = source_line(election_line(sweep.election), sweep.rules.describe())
        _ax_source(owned, ax, title, None, src)
    return ax


def figure_sweep(
    sweep: Sweep, *, label: str = "baseline", colours: Colours = None, heading: str | None = None
) -> Figure:
    """Seats per list against the threshold (top) and, sharing its axis, seats changing hands
    and votes electing nobody (bottom)."""
    e = sweep.election
    with house_style():
        fig = new_figure(WIDTH, 5.6)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.55])
        plot_sweep(sweep, ax=top, colours=colours)
        plot_sweep_changes(sweep, ax=bottom, baseline_label=label)
        top.set_xlabel("")
        top.tick_params(labelbottom=False)
        fig.align_ylabels([top, bottom])
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
            "lists that drop out there. Below: seats that change hands against "
            f"“{label}”, and the votes that elect nobody."
        )
        problems = sorted({iv.problem for iv in sweep.intervals if iv.problem})
        src = source_line(
            election_line(e),
            f"{label}: {sweep.rules.describe()}; only the national threshold varies",
            "Hatched, no allocation: " + "; ".join(problems) if problems else None,
        )
        return finish(fig, title, sub, src)
