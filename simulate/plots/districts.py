"""Districted elections: the seats of every list in every district as a table of tinted cells
(``plot_district_seats``, ``figure_district_seats``); the seats a rule set moves in each
district are ``simulate.plots.district_changes``'s.

Both figures are as tall as their districts need (``ROW`` inches a district) and the seat
table as wide as its lists need, so 52 districts and a dozen lists stay legible.
"""

from __future__ import annotations

import math

import matplotlib.patches
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from simulate.districts import DistrictAllocation
from simulate.plots.style import (
    INK,
    WIDTH,
    Colours,
    _ax_source,
    _own_axes,
    _palette,
    edge_for,
    election_line,
    finish,
    house_style,
    new_figure,
    source_line,
    text_width,
)

ROW = 0.2
"""Height of one district's row, in inches."""

COLUMN = 0.36
"""Width of one list's column in the seat table, in inches."""

FAINT_TEXT = "#9A9A9A"
"""Zeros, '·' and '–' in the seat table: there, but quieter than the seats."""

HEADER_ANGLE = 50
"""The seat table's list names are turned this many degrees to sit above narrow columns."""


def shown_lists(result: DistrictAllocation) -> list[int]:
    """The lists the seat table shows: those winning a seat somewhere, most seats first (ties
    in the election's order)."""
    totals = result.totals
    won = [i for i in range(len(totals)) if totals[i] > 0]
    return sorted(won, key=lambda i: (-int(totals[i]), i))


def _tint(colour: str, strength: float) -> tuple[float, float, float]:
    """``colour`` mixed into white: 0 is white, 1 the colour itself."""
    rgb = np.array(to_rgb(colour))
    r, g, b = (1 - strength) + strength * rgb
    return (float(r), float(g), float(b))


def _dark(rgb: tuple[float, float, float]) -> bool:
    """A fill dark enough to need white text (relative luminance below 0.4)."""
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4


def _district_labels(result: DistrictAllocation) -> list[str]:
    return [f"{d} ({int(result.seats[j].sum())})" for j, d in enumerate(result.districts)]


def plot_district_seats(
    result: DistrictAllocation,
    *,
    ax: Axes | None = None,
    colours: Colours = None,
    title: str | None = None,
) -> Axes:
    """Districts down (with their seats), lists across (those winning a seat somewhere, most
    seats first), the seats written in each cell, tinted in the list's colour by its share of
    the district's seats; '·' where the list did not stand, '–' where it stood and took no part
    (a threshold). The last row is the totals."""
    lists = shown_lists(result)
    D, L = len(result.districts), len(lists)
    ax, owned = _own_axes(ax, ROW * (D + 1) + 1.2)
    palette = _palette(colours, result.election)
    names = result.names
    for j in range(D + 1):
        y = D - j  # districts from the top; the totals at y = 0
        house = int(result.seats.sum()) if j == D else int(result.seats[j].sum())
        for k, i in enumerate(lists):
            if j == D:
                seats, stood, took = int(result.totals[i]), True, True
            else:
                seats = int(result.seats[j, i])
                stood, took = bool(result.stood[j, i]), bool(result.took_part[j, i])
            share = seats / house if house else 0.0
            fill = _tint(palette[names[i]], 0.12 + 0.78 * share) if seats else (1.0, 1.0, 1.0)
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (k, y - 0.5), 1, 1, facecolor=fill, edgecolor="white", lw=0.8, zorder=1
                )
            )
            text = str(seats) if seats else ("·" if not stood else "–" if not took else "0")
            ax.text(
                k + 0.5,
                y,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if _dark(fill) else (INK if seats else FAINT_TEXT),
                fontweight="bold" if j == D else "normal",
                label=f"_cell:{result.districts[j] if j < D else 'total'}:{names[i]}",
            )
    ax.plot([0, L], [0.5, 0.5], color=INK, lw=0.8)
    ax.set_xlim(0, L)
    ax.set_ylim(-0.5, D + 0.5)
    ax.set_yticks(list(range(D, 0, -1)) + [0], labels=_district_labels(result) + ["total"])
    ax.get_yticklabels()[-1].set_fontweight("bold")
    ax.tick_params(axis="y", length=0, pad=3, labelsize=7)
    ax.xaxis.tick_top()
    ax.set_xticks(
        [k + 0.5 for k in range(L)],
        labels=[names[i] for i in lists],
        rotation=HEADER_ANGLE,
        ha="left",
        rotation_mode="anchor",
    )
    ax.tick_params(axis="x", length=0, pad=6, labelsize=7)  # above the colour keys
    for k, i in enumerate(lists):  # a colour key under each name
        colour = palette[names[i]]
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (k + 0.2, D + 0.56),
                0.6,
                0.22,
                facecolor=colour,
                edgecolor=edge_for(colour, "none"),
                lw=0.5,
                clip_on=False,
            )
        )
    for spine in ax.spines.values():
        spine.set_visible(False)
    if owned or title:
        src = source_line(election_line(result.election), result.rules.describe())
        _ax_source(owned, ax, title or "Seats by district and list", None, src)
    return ax


def seat_table_size(result: DistrictAllocation) -> tuple[float, float]:
    """(width, height) in inches the seat table's panel needs: the district names, a column
    per list, the turned list names above (their height, and their overhang right of the
    last column)."""
    lists = shown_lists(result)
    names = [result.names[i] for i in lists]
    left = max(text_width(s, 7) for s in [*_district_labels(result), "total"]) + 0.15
    turn = math.radians(HEADER_ANGLE)
    longest = max(text_width(n, 7) for n in names)
    last = text_width(names[-1], 7)
    head = longest * math.sin(turn) + 0.25
    right = max(last * math.cos(turn) - COLUMN / 2, 0) + 0.1
    width = left + COLUMN * len(lists) + right
    height = ROW * (len(result.districts) + 1) + head
    return width, height


def figure_district_seats(
    result: DistrictAllocation,
    *,
    label: str = "baseline",
    colours: Colours = None,
    heading: str | None = None,
) -> Figure:
    """The seat table as a whole figure, sized to its districts and lists (at least a report
    column wide, so that the title has room), titled with the largest list's seats."""
    with house_style():
        width, height = seat_table_size(result)
        fig = new_figure(max(width, WIDTH), height)
        ax = fig.add_subplot()
        plot_district_seats(result, ax=ax, colours=colours)
        if width < WIDTH:  # keep the cells square-ish: the spare width stays blank
            ax.set_anchor("W")
            ax.set_box_aspect(None)
        D = len(result.districts)
        won = [i for i in range(len(result.names)) if result.totals[i] > 0]
        title = (
            f"{len(won)} lists win seats in {D} districts under “{label}”"
            if len(won) > 1
            else f"One list wins every seat in {D} districts under “{label}”"
        )
        shown = shown_lists(result)
        marks = []
        if not result.stood[:, shown].all():
            marks.append("· did not stand")
        if (result.stood & ~result.took_part)[:, shown].any():
            marks.append("– stood but took no part (a threshold)")
        sub = (
            f"{heading or result.election.name}. Seats of each list in each district (the "
            "district's seats in brackets); the deeper the tint, the larger the list's share "
            "of the district's seats." + (f" {'; '.join(marks)}." if marks else "")
        )
        src = source_line(
            election_line(result.election), f"{label}: {result.rules.describe()}, by district"
        )
        return finish(fig, title, sub, src)


__all__ = [
    "COLUMN",
    "ROW",
    "figure_district_seats",
    "plot_district_seats",
    "seat_table_size",
    "shown_lists",
]
