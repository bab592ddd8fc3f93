"""The parliament diagram: the hemicycle layout (rows of seats on half circles), the dots of
one allocation or of two side by side with the seats that change hands ringed
(``plot_hemicycle``), and the whole figure for ``seatsim figures`` (``figure_hemicycle``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import EllipseCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from simulate.allocation import Allocation
from simulate.metrics import majority
from simulate.plots.colours import Palette
from simulate.plots.style import (
    INK,
    MOVED,
    MUTED,
    WIDTH,
    Colours,
    _ax_source,
    _column_note,
    _own_axes,
    _palette,
    _sentences,
    edge_for,
    election_line,
    finish,
    house_style,
    new_figure,
    outcome_differences,
    outcome_rules,
    source_line,
)
from simulate.scenario.compare import Comparison, Outcome


@dataclass(frozen=True)
class Hemicycle:
    """Seat centres (x, y), ordered from the left end of the arc to the right, and the dot
    diameter, for a hemicycle of radius 1 centred at the origin."""

    x: np.ndarray
    y: np.ndarray
    diameter: float
    rows: int


def hemicycle_layout(seats: int, inner: float = 0.4) -> Hemicycle:
    """Rows of seats on concentric half circles, each row's share of the seats in proportion
    to its radius; the row count makes the spacing along a row about equal to the spacing
    between rows. Seats are ordered by angle, so consecutive seats form wedges."""
    if seats < 1:
        raise ValueError("a hemicycle needs at least one seat")
    best: tuple[float, int, np.ndarray] | None = None
    for rows in range(1, 60):
        radii = np.linspace(inner, 1.0, rows) if rows > 1 else np.array([1.0])
        along = math.pi * radii.sum() / seats
        across = (1.0 - inner) / (rows - 1) if rows > 1 else 1.0
        score = abs(math.log(along / across))
        if best is None or score < best[0]:
            best = (score, rows, radii)
    assert best is not None  # (the loop runs)
    _, rows, radii = best
    share = seats * radii / radii.sum()
    per = np.floor(share).astype(int)
    for i in np.argsort(-(share - per), kind="stable")[: seats - per.sum()]:
        per[i] += 1
    xs, ys, ang, rad = [], [], [], []
    spacing = []
    for r, k in zip(radii, per):
        if k == 0:
            continue
        theta = np.array([math.pi / 2]) if k == 1 else np.linspace(math.pi, 0, k)
        if k > 1:
            spacing.append(math.pi * r / (k - 1))
        xs.append(r * np.cos(theta))
        ys.append(r * np.sin(theta))
        ang.append(theta)
        rad.append(np.full(k, r))
    x, y = np.concatenate(xs), np.concatenate(ys)
    theta, r = np.concatenate(ang), np.concatenate(rad)
    order = np.lexsort((-r, -np.round(theta, 9)))
    across = (1.0 - inner) / (rows - 1) if rows > 1 else 1.0
    diameter = 0.82 * min([across, *spacing])
    return Hemicycle(x[order], y[order], diameter, rows)


OTHER_SHADES = ("#ABABAB", "#6F6F6F", "#D2D2D2")
"""Greys for lists beyond the palette that hold seats side by side in one diagram: shades
alternate so neighbouring groups stay apart (the legend names each)."""


def _seat_colours(
    names: Sequence[str], counts: Sequence[Sequence[int]], colours: Palette
) -> dict[str, str]:
    out: dict[str, str] = {}
    k = 0
    for i, name in enumerate(names):
        if not any(c[i] for c in counts):
            continue
        if colours.is_other(name):
            out[name] = OTHER_SHADES[k % len(OTHER_SHADES)]
            k += 1
        else:
            out[name] = colours[name]
    return out


def _draw_hemicycle(
    ax: Axes,
    names: Sequence[str],
    seats: Sequence[int],
    colours: Mapping[str, str],
    cx: float,
    side: str,
    moved: Sequence[int] | None = None,
) -> Hemicycle:
    layout = hemicycle_layout(int(sum(seats)))
    d = layout.diameter
    start = 0
    for name, n, m in zip(names, seats, moved if moved is not None else [0] * len(names)):
        if n == 0:
            continue
        idx = np.arange(start, start + n)
        start += n
        pts = np.column_stack([layout.x[idx] + cx, layout.y[idx]])
        ax.add_collection(
            EllipseCollection(
                np.full(n, d),
                np.full(n, d),
                np.zeros(n),
                units="xy",
                offsets=pts,
                offset_transform=ax.transData,
                facecolors=colours[name],
                edgecolors=edge_for(colours[name]),
                linewidths=0.4,
                zorder=3,
                label=f"_seats:{side}:{name}",
            )
        )
        if m:
            ring = pts[-m:]
            ax.add_collection(
                EllipseCollection(
                    np.full(m, d * 1.28),
                    np.full(m, d * 1.28),
                    np.zeros(m),
                    units="xy",
                    offsets=ring,
                    offset_transform=ax.transData,
                    facecolors="none",
                    edgecolors=MOVED,
                    linewidths=0.9,
                    zorder=4,
                    label=f"_moved:{side}:{name}",
                )
            )
    return layout


def change_hands(moved: int | float, of: int | None = None) -> str:
    """ "12 of 120 seats change hands", "1 seat changes hands"."""
    if moved == 1:
        return "1 seat changes hands" if of is None else f"1 of {of} seats changes hands"
    return (
        f"{moved:g} seats change hands" if of is None else f"{moved:g} of {of} seats change hands"
    )


def seats_moved(a: ArrayLike, b: ArrayLike) -> int | float:
    """½ Σ |a − b| (``simulate.metrics.seats_changing_hands``)."""
    from simulate.metrics import seats_changing_hands

    return seats_changing_hands(np.asarray(a), np.asarray(b))


def plot_hemicycle(
    result: Allocation,
    *,
    ax: Axes | None = None,
    baseline: Allocation | None = None,
    colours: Colours = None,
    labels: tuple[str, str] | None = None,
    majority_line: bool = True,
    legend: bool = True,
    title: str | None = None,
) -> Axes:
    """Parliament diagram: one dot per seat, grouped by list in seed order, the majority
    line marked. With ``baseline``, the baseline is drawn on the left and ``result`` on the
    right, and the seats that change hands are ringed: on the left the seats a list loses, on
    the right the seats a list gains (½ Σ |s − s'| of them on each side).

    Seat dots are ``EllipseCollection``s labelled ``"_seats:<side>:<list>"`` (side "result"
    or "baseline"); rings are labelled ``"_moved:<side>:<list>"``. ``labels`` name the two sides
    (default "baseline" and "scenario").
    """
    pair = baseline is not None
    ax, owned = _own_axes(ax, 2.45 if pair else 3.0)
    elections = [result.election] + ([baseline.election] if baseline is not None else [])
    pal = _palette(colours, *elections)
    names = result.names
    seats = [int(s) for s in result.seats]
    need = majority(result.rules.seats)
    sides: list[tuple[float, str, list[int], list[int] | None]]
    if baseline is None:
        sides = [(0.0, "result", seats, None)]
    else:
        if baseline.names != names:
            raise ValueError("baseline and result must list the same parties in the same order")
        before = [int(s) for s in baseline.seats]
        lost = [max(b - s, 0) for b, s in zip(before, seats)]
        won = [max(s - b, 0) for b, s in zip(before, seats)]
        sides = [(-1.13, "baseline", before, lost), (1.13, "result", seats, won)]
    shade = _seat_colours(names, [c for _, _, c, _ in sides], pal)
    left, right = labels or ("baseline", "scenario")
    for cx, side, counts, moved in sides:
        _draw_hemicycle(ax, names, counts, shade, cx, side, moved)
        if majority_line:
            ax.plot(
                [cx, cx],
                [0.33, 1.07],
                color=INK,
                lw=0.8,
                ls=(0, (3, 2)),
                zorder=2,
                label=f"_majority:{side}",
            )
            ax.text(
                cx, 1.09, f"majority: {need}", ha="center", va="bottom", fontsize=7.5, color=MUTED
            )
        ax.text(
            cx,
            0.04,
            f"{int(sum(counts))}\nseats",
            ha="center",
            va="bottom",
            fontsize=9,
            color=INK,
            linespacing=1.1,
        )
        if pair:
            ax.text(
                cx,
                -0.07,
                left if side == "baseline" else right,
                ha="center",
                va="top",
                fontsize=8.5,
                fontweight="bold",
                color=INK,
            )
    span = 2.3 if pair else 1.06
    ax.set_xlim(-span, span)
    radius = hemicycle_layout(max(int(sum(seats)), 1)).diameter / 2
    ax.set_ylim(-0.2 if pair else -radius - 0.02, 1.2)
    ax.set_aspect("equal")
    ax.set_anchor("S")
    ax.axis("off")
    if legend:
        handles = []
        for i, name in enumerate(names):
            after = seats[i]
            if baseline is None:
                if not after:
                    continue
                text = f"{name}  {after}"
            else:
                b = int(baseline.seats[i])
                if not b and not after:
                    continue
                text = f"{name}  {b} → {after}" if b != after else f"{name}  {b}"
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker="o",
                    ms=7,
                    mfc=shade[name],
                    mec=edge_for(shade[name]),
                    label=text,
                )
            )
        if baseline is not None:
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker="o",
                    ms=8,
                    mfc="none",
                    mec=MOVED,
                    mew=0.9,
                    label="ringed: " + change_hands(seats_moved(seats, baseline.seats)),
                )
            )
        ncol = min(3 if pair else 2, len(handles))
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=ncol,
            handletextpad=0.3,
            columnspacing=1.4,
            borderaxespad=0.2,
        )
    if owned or title:
        if title is None:
            n_won = sum(1 for s in seats if s)
            title = (
                f"{n_won} of {len(names)} lists win seats"
                if baseline is None
                else change_hands(seats_moved(seats, baseline.seats), result.rules.seats)
            )
        src = source_line(
            election_line(result.election), result.rules.describe(), _sentences(result.notes)
        )
        _ax_source(owned, ax, title, None, src)
    return ax


def figure_hemicycle(
    comparison: Comparison,
    alternative: str | None = None,
    *,
    colours: Colours = None,
    heading: str | None = None,
) -> Figure:
    """The baseline alone (``alternative`` None), or the baseline and the alternative
    labelled ``alternative`` side by side with the seats that change hands ringed."""
    base = comparison.baseline
    base_allocation = base.allocation
    assert base_allocation is not None  # (compare() raises when the baseline fails)
    e = comparison.election
    alt: Outcome | None = None
    if alternative is not None:
        found = [o for o in comparison.alternatives if o.label == alternative]
        if not found or found[0].allocation is None:
            raise ValueError(f"no alternative labelled {alternative!r} that can be allocated")
        alt = found[0]
    src = source_line(
        election_line(e),
        f"{base.label}: {outcome_rules(base)}",
        _sentences(base_allocation.notes),
    )
    with house_style():
        fig = new_figure(WIDTH, 2.45 if alt is not None else 3.0)
        ax = fig.add_subplot()
        if alt is None:
            plot_hemicycle(base_allocation, ax=ax, colours=colours)
            seats = base_allocation.seats
            won = int(np.count_nonzero(seats))
            lead = f"{won} of {len(seats)} lists win seats" if won < len(seats) else "Seats"
            title = f"{lead} under “{base.label}”: " + ", ".join(
                f"{n} {s}" for n, s in base_allocation.as_dict().items()
            )
            sub = (
                f"{heading or e.name}. Each dot is one of the {base.rules.seats} seats, "
                "grouped by list; the dashed line marks the majority."
            )
        else:
            # (an alternative that allocates, checked above, has its seats moved)
            assert alt.allocation is not None and alt.changed_from_baseline is not None
            plot_hemicycle(
                alt.allocation,
                ax=ax,
                baseline=base_allocation,
                colours=colours,
                labels=(base.label, alt.label),
            )
            moved = alt.changed_from_baseline
            title = (
                f"{change_hands(moved, base.rules.seats)} between “{base.label}” and “{alt.label}”"
            )
            what = _column_note(alt.label, outcome_differences(base, alt))
            what = alt.label if what == alt.label else f"{alt.label} ({what.split(' = ', 1)[1]})"
            sub = (
                f"{heading or e.name}. Left: {base.label}. Right: {what}. Each dot is a "
                "seat; ringed dots are the seats a list loses (left) or gains (right)."
            )
        return finish(fig, title, sub, src)
