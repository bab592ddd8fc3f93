"""The rule comparison: seats per list under the baseline and each alternative rule set, as a
table with gains and losses tinted (``comparison_table``, ``plot_comparison``), and the whole
figure whose title names the largest change (``figure_comparison``).
"""

from __future__ import annotations

import math
from typing import cast

import matplotlib.patches
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from simulate.plots.style import (
    INK,
    MUTED,
    STYLE,
    WIDTH,
    Colours,
    _ax_source,
    _column_note,
    _own_axes,
    _palette,
    edge_for,
    election_line,
    finish,
    house_style,
    new_figure,
    outcome_differences,
    outcome_rules,
    regional_sentences,
    source_line,
    text_width,
)
from simulate.scenario.compare import Comparison


def comparison_table(comparison: Comparison) -> tuple[list[str], list[str], np.ndarray]:
    """(rule set labels, list names shown, seats (lists × rule sets), NaN where a rule set
    could not be applied). A list is shown when any rule set gives it a seat."""
    outcomes = comparison.outcomes
    names = comparison.election.names
    seats = np.array(
        [[np.nan] * len(names) if o.seats is None else o.seats for o in outcomes], dtype=float
    ).T
    shown = [i for i in range(len(names)) if np.nanmax(seats[i], initial=0) > 0]
    return [o.label for o in outcomes], [names[i] for i in shown], seats[shown]


def plot_comparison(
    comparison: Comparison,
    *,
    ax: Axes | None = None,
    colours: Colours = None,
    title: str | None = None,
    room: float = 0.45,
) -> Axes:
    """A table of seats: one row per list that wins a seat anywhere, one column per rule set
    (the baseline first). Each cell gives the seats and, below, the gain or loss against the
    baseline; cells are tinted blue for a gain and red for a loss. The last row gives the
    seats that change hands against the baseline. ``room``: blank space right of the last
    column, in columns, for its rotated header."""
    labels, names, seats = comparison_table(comparison)
    R, L = len(labels), len(names)
    ax, owned = _own_axes(ax, 0.34 * (L + 1) + 1.2)
    colours = _palette(colours, comparison.election)
    base = seats[:, 0]
    delta = seats - base[:, None]
    biggest = max(np.nanmax(np.abs(delta), initial=0), 1)
    gain, loss = np.array(to_rgb("#2166AC")), np.array(to_rgb("#B2182B"))
    fill: str | tuple[float, ...]  # a colour name, or RGB components
    for j in range(R):
        for i in range(L):
            s, d = seats[i, j], delta[i, j]
            y = L - i
            if np.isnan(s):
                fill, text, sub = "#F2F2F2", "n/a", ""
            else:
                strength = 0.12 + 0.5 * abs(d) / biggest if d else 0
                tint = gain if d > 0 else loss
                fill = tuple((1 - strength) + strength * tint) if d else "#FFFFFF"
                text = f"{int(s)}" if s else "–"
                sub = "" if not d or j == 0 else f"{int(d):+d}".replace("-", "−")
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (j, y - 0.5), 1, 1, facecolor=fill, edgecolor="white", lw=1.2, zorder=1
                )
            )
            ax.text(
                j + 0.5,
                y + (0.1 if sub else 0),
                text,
                ha="center",
                va="center",
                fontsize=8.5,
                color=INK if s else MUTED,
                fontweight="bold" if j == 0 else "normal",
                label=f"_cell:{names[i]}:{labels[j]}",
            )
            if sub:
                ax.text(j + 0.5, y - 0.25, sub, ha="center", va="center", fontsize=6.5, color=INK)
    for j, o in enumerate(comparison.outcomes):
        moved = o.changed_from_baseline
        text = "n/a" if moved is None else f"{moved:g}"
        ax.text(
            j + 0.5,
            0,
            text,
            ha="center",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color=INK,
            label=f"_moved:{labels[j]}",
        )
    ax.plot([0, R], [0.5, 0.5], color=INK, lw=0.8)
    ax.plot([1, 1], [-0.5, L + 0.5], color=INK, lw=0.8)
    ax.set_xlim(0, R + room)  # room for the last rotated header
    ax.set_ylim(-0.5, L + 0.5)
    ax.set_yticks(list(range(L, 0, -1)) + [0], labels=list(names) + ["seats changing hands"])
    for tick, name in zip(ax.get_yticklabels(), list(names) + [None]):
        if name is None:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0, pad=14)
    for i, name in enumerate(names):  # a colour key beside each name
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (-0.012, L - i - 0.22),
                -0.018,
                0.44,
                transform=ax.get_yaxis_transform(),
                facecolor=colours[name],
                edgecolor=edge_for(colours[name], "none"),
                lw=0.5,
                clip_on=False,
            )
        )
    ax.xaxis.tick_top()
    ax.set_xticks(
        [j + 0.5 for j in range(R)], labels=labels, rotation=35, ha="left", rotation_mode="anchor"
    )
    ax.tick_params(axis="x", length=0, pad=2)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if owned or title:
        title = title or "Seats per list under each rule set"
        b = comparison.baseline
        src = source_line(election_line(comparison.election), f"{b.label}: {outcome_rules(b)}")
        _ax_source(owned, ax, title, None, src)
    return ax


CELL = 0.62
"""Width of one rule set's column in inches."""

MIN_WIDTH = 4.6
"""The narrowest comparison figure (room for its title and subtitle), in inches."""


def comparison_width(comparison: Comparison) -> tuple[float, float]:
    """(figure width in inches, room right of the last column in columns) for the table:
    the list names and their colour keys, one ``CELL`` per rule set, and the overhang of the
    last header (rotated 35°); at least ``MIN_WIDTH`` (the columns widen) and at most one
    report column, ``WIDTH`` (they narrow)."""
    labels, names, _ = comparison_table(comparison)
    size = STYLE["ytick.labelsize"]
    left = max(
        [text_width(n, size) for n in names] + [text_width("seats changing hands", size, "bold")]
    )
    size = STYLE["xtick.labelsize"]
    turn = math.radians(35)  # the header's width, turned, and its height's share
    header = text_width(labels[-1], size) * math.cos(turn) + size / 72 * math.sin(turn)
    fixed = 0.12 + left + 0.3 + 0.15
    R = len(labels)
    need = fixed + R * CELL + max(header - CELL / 2, 0)
    width = min(max(need, MIN_WIDTH), WIDTH)
    # the cell width that fills ``width``: R cells and the header's overhang beyond the last
    cell = (width - fixed) / R
    if header > cell / 2:
        cell = (width - fixed - header) / (R - 0.5)
    return width, max(header - cell / 2, 0) / cell + 0.04


def figure_comparison(
    comparison: Comparison, *, colours: Colours = None, heading: str | None = None
) -> Figure:
    """The rule comparison table with a title naming the largest change; the figure is as
    wide as its columns need (``comparison_width``)."""
    _, names, _ = comparison_table(comparison)
    with house_style():
        width, room = comparison_width(comparison)
        fig = new_figure(width, 0.3 * (len(names) + 1) + 1.1)
        ax = fig.add_subplot()
        plot_comparison(comparison, ax=ax, colours=colours, room=room)
        alts = [o for o in comparison.alternatives if o.changed_from_baseline]
        e = comparison.election
        # (alts move seats: changed_from_baseline is a number)
        most = max(alts, key=lambda o: cast(float, o.changed_from_baseline), default=None)
        title = "Seats per list under each rule set"
        if (
            comparison.alternatives
            and most is None
            and not any(o.problem for o in comparison.alternatives)
        ):
            n = len(comparison.alternatives)
            title = (
                f"None of the {n} other rule sets moves a seat"
                if n > 1
                else f"“{comparison.alternatives[0].label}” moves no seat"
            )
        if most is not None:
            title = (
                f"Changing one rule moves up to {most.changed_from_baseline:g} of "
                f"{comparison.baseline.rules.seats} seats"
            )
        changes = "; ".join(
            _column_note(o.label, outcome_differences(comparison.baseline, o))
            for o in comparison.alternatives
        )
        sub = (
            f"{heading or e.name}. First column: {comparison.baseline.label}; each other "
            "column changes one rule. Small figures: seats gained (blue) or lost (red) "
            "against the first column."
        )
        failed = [f"{o.label}: {o.problem}" for o in comparison.alternatives if o.problem]
        extra = (
            "Columns: "
            + changes
            + "."
            + ("" if not failed else " Not applicable: " + "; ".join(failed) + ".")
        )
        regional = regional_sentences(comparison.baseline.allocation)
        if regional:
            extra += " " + regional
        src = source_line(
            election_line(e),
            f"{comparison.baseline.label}: {outcome_rules(comparison.baseline)}",
            extra,
        )
        return finish(fig, title, sub, src)
