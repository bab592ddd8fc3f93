"""The margins of an election: per list, the votes it held against the votes that would have
won or lost it a seat (``plot_margins``, from ``simulate.margins``'s result).

Import it as ``simulate.plots.margins`` (the package's re-exports are the lead's to extend).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from simulate.plots.style import (
    INK,
    MUTED,
    Colours,
    _ax_source,
    _own_axes,
    _palette,
    edge_for,
    election_line,
    figure_of,
    house_style,
    source_line,
)
from simulate.scenario.margins import Margins

WHAT = {
    "majority": "who holds a majority",
    "two-thirds": "who holds two thirds",
    "parliament": "which lists hold seats",
}


def margins_table(m: Margins) -> list[tuple[str, int, int | None, int | None, int | None]]:
    """(list, votes held, votes to gain a seat, votes to lose one, fewest ballots moved in
    from another list that win it a seat), for the lists with seats or a seat within reach
    of twice their votes, largest first."""
    moved: dict[str, int] = {}
    for p in m.pairs:
        if p.ballots is not None and dict(p.changes).get(p.target, 0) > 0:
            moved[p.target] = min(moved.get(p.target, p.ballots), p.ballots)
    rows = []
    for lm in sorted(m.lists, key=lambda x: -x.votes):
        near = lm.votes_to_gain_seat is not None and lm.votes_to_gain_seat <= 2 * lm.votes
        if lm.seats or near:
            rows.append(
                (
                    lm.name,
                    lm.votes,
                    lm.votes_to_gain_seat,
                    lm.votes_to_lose_seat,
                    moved.get(lm.name),
                )
            )
    return rows


def plot_margins(
    m: Margins, *, ax: Axes | None = None, colours=None, title: str | None = None
) -> Axes:
    """One row per list (those with seats, and those within reach of one): a bar for the
    votes it held and, on the same logarithmic scale, markers for the new votes that would
    win it one more seat outright (▲), the lost votes that would cost it one (▼), and the
    fewest ballots moved to it from one other list that win it a seat (◆)."""
    rows = margins_table(m)
    ax, owned = _own_axes(ax, 0.32 * max(len(rows), 1) + 1.4)
    colours = _palette(colours, m.election)
    y = np.arange(len(rows))[::-1]
    for yi, (name, votes, gain, lose, moved) in zip(y, rows, strict=True):
        colour = colours[name]
        ax.barh(yi, votes, height=0.6, color=colour, edgecolor=edge_for(colour), alpha=0.35)
        # each marker on a lane of its own within the row: close values stay apart
        for value, marker, lane in ((gain, "^", 0.17), (lose, "v", -0.17), (moved, "D", 0.0)):
            if value is not None:
                ax.plot([value], [yi + lane], marker=marker, color=INK, ms=4.5, ls="none")
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xscale("log")
    # plain numbers: the house style draws text as written (no mathtext), so the log axis's
    # default "10^{3}" labels would print their markup
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("votes (log scale)")
    ax.grid(axis="x", color=MUTED, alpha=0.3, lw=0.5)
    for marker, label in (
        ("^", "new votes to gain a seat"),
        ("v", "lost votes to lose one"),
        ("D", "ballots moved in to gain one"),
    ):
        ax.plot([], [], marker=marker, color=INK, ls="none", label=label)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=3,
        frameon=False,
        fontsize=8,
        handletextpad=0.3,
        columnspacing=1.2,
    )
    closest = min((c for c in m.closest), key=lambda c: c.ballots, default=None)
    subtitle = None
    if closest is not None:
        subtitle = (
            f"{m.election.name}. Closest call: {closest.ballots:,} ballots moved from "
            f"{closest.source} to {closest.target} change {WHAT[closest.kind]}. Votes on a "
            "log scale"
        )
    _ax_source(
        owned,
        ax,
        title or "Votes held, and votes that would have changed a seat",
        subtitle,
        source_line(election_line(m.election), m.rules.describe()),
    )
    return ax


def figure_margins(m: Margins, *, colours: Colours = None) -> Figure:
    """The margins figure in the house style, for a scenario's figure set."""
    with house_style():
        return figure_of(plot_margins(m, colours=colours))


__all__ = ["figure_margins", "margins_table", "plot_margins"]
