"""The seats a rule set moves in each district against the baseline: per district, the seats
each list gains right of zero and loses left of it, in the list's colour
(``plot_district_changes``, ``figure_district_changes``), as tall as the districts need."""

from __future__ import annotations

import math

import matplotlib.patches
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulate.districts import DistrictAllocation
from simulate.plots.districts import ROW
from simulate.plots.hemicycle import _seat_colours
from simulate.plots.style import (
    INK,
    MUTED,
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
    outcome_rules,
    source_line,
)
from simulate.scenario.compare import Comparison, Outcome


def district_deltas(base: DistrictAllocation, other: DistrictAllocation) -> np.ndarray:
    """(D, P) seats each list gains (+) or loses (−) in each district, ``other`` against
    ``base``."""
    return other.seats.astype(np.int64) - base.seats.astype(np.int64)


def plot_district_changes(
    comparison: Comparison,
    alternative: str,
    *,
    ax: Axes | None = None,
    colours: Colours = None,
    title: str | None = None,
) -> Axes:
    """One row per district: the seats each list gains under ``alternative`` (a rule set of
    ``comparison`` allocated by district) stacked right of zero, the seats it loses stacked
    left, in the list's colour; the seats changing hands in the district at the right end."""
    base, alt = comparison.baseline, _alternative(comparison, alternative)
    assert base.districts is not None and alt.districts is not None
    delta = district_deltas(base.districts, alt.districts)
    D, P = delta.shape
    ax, owned = _own_axes(ax, ROW * D + 1.0)
    names = comparison.election.names
    # lists beyond the palette in alternating greys, as in the hemicycle (the legend names each)
    palette = _seat_colours(names, [np.abs(delta).sum(0)], _palette(colours, comparison.election))
    reach = max(int(np.abs(delta).sum(1).max() // 2), 1)  # the most a side holds in a row
    for j in range(D):
        y = D - 1 - j
        right = left = 0.0
        for i in range(P):
            d = int(delta[j, i])
            if not d:
                continue
            colour = palette[names[i]]
            start = right if d > 0 else left + d
            (bar,) = ax.barh(
                y,
                abs(d),
                left=start,
                height=0.72,
                color=colour,
                edgecolor=edge_for(colour),
                lw=0.6,
            )
            bar.set_label(f"_bar:{base.districts.districts[j]}:{names[i]}")  # (for tests)
            if d > 0:
                right += d
            else:
                left += d
        moved = int(np.abs(delta[j]).sum() // 2)
        if moved:
            ax.text(reach + 0.6, y, f"{moved}", va="center", ha="left", fontsize=7, color=INK)
    ax.text(reach + 0.6, D - 0.4, "moved", va="bottom", ha="left", fontsize=7, color=MUTED)
    ax.axvline(0, color=INK, lw=0.8)
    ax.set_xlim(-reach - 0.5, reach + 1.4)
    ax.set_ylim(-0.6, D - 0.1)
    ax.set_yticks(list(range(D - 1, -1, -1)), labels=list(base.districts.districts))
    ax.tick_params(axis="y", length=0, labelsize=7)
    ticks = list(range(-reach, reach + 1))
    ax.set_xticks(ticks, labels=[str(abs(t)) for t in ticks])
    ax.set_xlabel(f"← seats lost · seats gained →   (under “{alt.label}”, per district)")
    ax.grid(axis="x", color="#E3E3E3", lw=0.6)
    ax.spines["left"].set_visible(False)
    moved_lists = [i for i in range(P) if np.any(delta[:, i])]
    handles = [
        matplotlib.patches.Patch(
            facecolor=palette[names[i]], edgecolor=edge_for(palette[names[i]]), label=names[i]
        )
        for i in moved_lists
    ]
    if handles:
        ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=min(3, len(handles)),
            fontsize=7,
        )
    if owned or title:
        src = source_line(election_line(comparison.election))
        _ax_source(owned, ax, title or f"Seats changing hands by district: {alt.label}", None, src)
    return ax


def _alternative(comparison: Comparison, label: str) -> Outcome:
    found = [o for o in comparison.alternatives if o.label == label]
    if not found or found[0].districts is None or comparison.baseline.districts is None:
        raise ValueError(f"no rule set {label!r} allocated by district beside the baseline")
    return found[0]


def figure_district_changes(
    comparison: Comparison,
    alternative: str,
    *,
    colours: Colours = None,
    heading: str | None = None,
) -> Figure:
    """``plot_district_changes`` as a whole figure, titled with the seats moved and the
    districts they move in."""
    base, alt = comparison.baseline, _alternative(comparison, alternative)
    assert base.districts is not None and alt.districts is not None
    changes = alt.district_changes or ()
    D = len(base.districts.districts)
    touched = sum(1 for c in changes if c)
    moved = sum(changes)
    lists = int(np.any(district_deltas(base.districts, alt.districts), axis=0).sum())
    rows = math.ceil(lists / 3)
    with house_style():
        fig = new_figure(WIDTH, ROW * D + 0.75 + 0.2 * rows)
        ax = fig.add_subplot()
        plot_district_changes(comparison, alternative, ax=ax, colours=colours)
        title = (
            f"“{alt.label}” moves {moved:g} district seats in {touched} of {D} districts"
            if moved
            else f"“{alt.label}” moves no seat in any of the {D} districts"
        )
        total = alt.changed_from_baseline
        sub = (
            f"{heading or comparison.election.name}. Against “{base.label}”, district by "
            "district: the seats each list gains (right of zero) or loses (left), and the "
            "seats changing hands in the district (right)."
            + (
                ""
                if total is None or total == moved
                else f" In the totals {total:g} seats change hands: gains and losses of one "
                "list in different districts cancel there."
            )
        )
        src = source_line(
            election_line(comparison.election),
            f"{base.label}: {outcome_rules(base)}; {alt.label}: {outcome_rules(alt)}",
        )
        return finish(fig, title, sub, src)


__all__ = [
    "district_deltas",
    "figure_district_changes",
    "plot_district_changes",
]
