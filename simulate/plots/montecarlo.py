"""The Monte Carlo figures over one run's draws: the seats that change hands (their
distribution, 90% interval and mean: ``plot_changes``, ``figure_changes``), the seats each list
wins (``plot_list_seats``, ``figure_list_seats``), and the source line describing the run and
its vote model (``mc_model_text``).

The chance of a majority against the threshold lives in ``majority``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.ticker
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulate.plots.hemicycle import seats_moved
from simulate.plots.mc_shape import SeatDraws
from simulate.plots.style import (
    INK,
    MUTED,
    WIDTH,
    Colours,
    _ax_source,
    _own_axes,
    _palette_names,
    edge_for,
    finish,
    house_style,
    new_figure,
    source_line,
    text_width,
)


def changes_distribution(
    sim: SeatDraws, r: int = 0, against: str = "baseline"
) -> tuple[np.ndarray, np.ndarray]:
    """(seats changing hands, draws) for every value with draws: ½ Σ|s − s'| against the
    baseline (the first rule set on the reported count) or the first rule set on the same
    draw (``against="first"``)."""
    hist = np.asarray(sim.changes_hist(r, against))
    k = np.flatnonzero(hist)
    return k / 2, hist[k]


def interval90(values: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """The smallest values with at least 5% and 95% of the draws at or below them."""
    cdf = np.cumsum(counts) / counts.sum()
    return float(values[np.searchsorted(cdf, 0.05 - 1e-12)]), float(
        values[np.searchsorted(cdf, 0.95 - 1e-12)]
    )


def median(values: np.ndarray, counts: np.ndarray) -> float:
    """The smallest value with at least half the draws at or below it."""
    cdf = np.cumsum(counts) / counts.sum()
    return float(values[np.searchsorted(cdf, 0.5 - 1e-12)])


@dataclass(frozen=True)
class Outcome:
    """A group of neighbouring values that holds a sizeable share of the draws: its range of
    values (``low`` to ``high``), its most frequent value (``mode``) and its share of the
    draws (0–1)."""

    low: float
    high: float
    mode: float
    share: float


def outcomes(
    values: np.ndarray,
    counts: np.ndarray,
    *,
    floor: float = 0.005,
    gap: float = 2.0,
    least: float = 0.1,
) -> list[Outcome]:
    """The separate outcomes of a distribution, largest value last: values holding at least
    ``floor`` of the draws, split where more than ``gap`` seats separate two of them (at
    least two seat values in between are all but empty); each value's draws count to the
    nearest group. Groups with less than ``least`` of the draws are left out, so one
    outcome is returned for a single-peaked distribution and two for the Kyrgyz 2020 count
    (about 2 seats change hands, or about 13)."""
    values, counts = np.asarray(values, dtype=float), np.asarray(counts)
    total = counts.sum()
    if not total:
        return []
    big = np.flatnonzero(counts >= floor * total)
    if not big.size:
        big = np.array([int(np.argmax(counts))])
    groups: list[list[int]] = [[int(big[0])]]
    for k in big[1:]:
        if values[k] - values[groups[-1][-1]] > gap:
            groups.append([])
        groups[-1].append(int(k))
    cuts = [(values[a[-1]] + values[b[0]]) / 2 for a, b in zip(groups, groups[1:])]
    found = []
    for g, group in enumerate(groups):
        lo = -np.inf if g == 0 else cuts[g - 1]
        hi = np.inf if g == len(groups) - 1 else cuts[g]
        inside = (values > lo) & (values <= hi)
        share = float(counts[inside].sum() / total)
        if share >= least:
            members = np.array(group)
            mode = float(values[members[np.argmax(counts[members])]])
            found.append(Outcome(values[group[0]], values[group[-1]], mode, share))
    return found


def _range(lo: float, hi: float) -> str:
    return f"{lo:g}–{hi:g}" if lo != hi else f"{lo:g}"


def plot_changes(
    sim: SeatDraws,
    r: int = 0,
    *,
    ax: Axes | None = None,
    against: str = "baseline",
    colour: str = "#0072B2",
    show_reported: bool = True,
    annotate: bool = True,
    interval: bool = True,
    title: str | None = None,
) -> Axes:
    """The distribution of the seats that change hands over the draws of rule set ``r``,
    against the baseline seats (or the first rule set on the same draw), with the median
    (black line, labelled "_median"), the most frequent value of each separate outcome
    written above its bar (``outcomes``: a distribution with two peaks has two, and the
    mean, which can fall in the empty gap between them, is only given in words) and the 90%
    interval (grey band; its range written at the top right with ``interval``). The bars (a
    container labelled "_draws") are shares of the draws in percent: their counts sum to
    the number of draws. With ``show_reported`` and r > 0, a triangle marks the seats rule
    set r moves on the reported count itself."""
    ax, owned = _own_axes(ax, 2.4)
    values, counts = changes_distribution(sim, r, against)
    n = sim.changes_draws(r, against)
    if not n:
        return _no_draws(ax, owned, title or f"Seats changing hands under {sim.labels[r]}", sim, r)
    share = 100 * counts / n
    width = 0.42 if np.any(values % 1) else 0.8
    lo, hi = interval90(values, counts)
    middle = median(values, counts)
    ax.axvspan(lo - 0.5, hi + 0.5, color="#EBEBEB", zorder=0, lw=0, label="_interval90")
    ax.bar(values, share, width=width, color=colour, zorder=2, label="_draws")
    ax.axvline(middle, color=INK, lw=1.2, zorder=3, label="_median")
    right = max(float(values.max()), hi)
    reported_seats = sim.reported_seats[r]
    if show_reported and against == "baseline" and r and reported_seats is not None:
        reported = seats_moved(reported_seats, sim.baseline)
        right = max(right, float(reported))
        ax.plot(
            [reported],
            [0],
            marker="^",
            ms=7,
            color=INK,
            clip_on=False,
            zorder=5,
            label="_reported",
            ls="",
            mec="white",
            mew=0.6,
        )
    ax.set_ylim(0, float(share.max()) * 1.3)
    ax.set_xlim(-0.9, right + 0.9)
    if annotate:
        for o in outcomes(values, counts):
            ax.text(  # on white: over the median line when the two meet
                o.mode,
                float(share[values == o.mode][0]),
                f"{o.mode:g}",
                ha="center",
                va="bottom",
                fontsize=7.5,
                fontweight="bold",
                color=INK,
                zorder=4,
                label="_mode",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8},
            )
    if annotate and interval:
        ax.text(
            0.99,
            0.97,
            _interval_text(lo, hi),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=7.5,
            color=MUTED,
        )
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("% of draws")
    ax.set_xlabel(f"seats changing hands (of {sim.rules[r].seats})")
    ax.yaxis.grid(True)
    if owned or title:
        what = (
            f"against {sim.labels[0]} on the reported count"
            if against == "baseline"
            else f"against {sim.labels[0]} on the same draw"
        )
        title = title or f"Seats changing hands under {sim.labels[r]}, {what}"
        _ax_source(owned, ax, title, None, _mc_source(sim, r))
    return ax


def _no_draws(ax: Axes, owned: bool, title: str, sim: SeatDraws, r: int) -> Axes:
    """An empty panel that says why: rule set r filled no draw."""
    ax.text(
        0.5,
        0.5,
        f"no draw could be filled under {sim.labels[r]}",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=8,
        color=MUTED,
    )
    if owned:  # (a panel's ticks are shared with its neighbours: left as they are)
        ax.set_xticks([])
        ax.set_yticks([])
    _ax_source(owned, ax, title, None, _mc_source(sim, r))
    return ax


def _left_out(sim: SeatDraws, rule_sets: Iterable[int]) -> str:
    """A subtitle's sentence on the draws whose seats a shown rule set could not fill."""
    counts = sorted({int(sim.tally.unfilled[r]) for r in rule_sets} - {0})
    if not counts:
        return ""
    n = f"{counts[0]:,}" if len(counts) == 1 else f"{counts[0]:,} to {counts[-1]:,}"
    return (
        f" Shares are of the counts whose seats could be filled: {n} of the {sim.n:,} "
        "could not be under these rules and are left out."
    )


def _interval_text(lo: float, hi: float) -> str:
    return f"90% of draws: {lo:g}–{hi:g}" if lo != hi else f"90% of draws: {lo:g}"


def paired_mean(sim: SeatDraws, r: int) -> float:
    """Mean seats changing hands between rule set r and the first on the same draw."""
    values, counts = changes_distribution(sim, r, "first")
    n = sim.joint(r)
    return float((values * counts).sum() / n) if n else math.nan


def mc_model_text(sim: SeatDraws) -> str:
    return model_text(sim.settings.get("model", {}))


def model_text(settings: Mapping[str, Any]) -> str:
    """The vote model in words, from its settings (``Simulation.settings["model"]``)."""
    model = dict(settings)
    kind = model.pop("kind", "model")
    if kind == "dirichlet":
        c = model.get("concentration")
        if c == "inf":
            return "no noise (Dirichlet, infinite concentration)"
        assert c is not None  # (a Dirichlet model's settings give its concentration)
        sd = 100 * math.sqrt(0.07 * 0.93 / (float(c) + 1))
        return (
            f"vote shares drawn around the reported count (Dirichlet, concentration "
            f"{float(c):g}: a list at 7% varies by ±{sd:.2f} points, one s.d.)"
        )
    if kind == "district-swing":
        return (
            f"national swing σ={float(model.get('sigma_national', 0)):g} shared by all "
            f"districts + district noise σ={float(model.get('sigma_district', 0)):g} (each "
            "list's share, log scale; district totals kept)"
        )
    params = ", ".join(f"{k} {v}" for k, v in model.items())
    return f"vote shares drawn around the reported count ({kind}{': ' + params if params else ''})"


def _mc_source(sim: SeatDraws, r: int = 0, data: str | None = None) -> str:
    s = sim.settings
    unfilled = int(sim.tally.unfilled[r])
    left_out = (
        f" {unfilled:,} draws ({100 * unfilled / sim.n:.1f}%) whose seats could not be "
        f"filled under {sim.labels[r]} are left out of its seat figures."
        if unfilled
        else ""
    )
    extra = (
        f"Monte Carlo: {sim.n:,} draws, seed {s.get('seed')}; {mc_model_text(sim)}."
        + left_out
        + " "
        + " ".join(n[:1].upper() + n[1:] + "." for n in sim.notes)
    )
    return source_line(
        data or sim.election, f"{sim.labels[r]}: {sim.rules[r].describe()}", extra.strip()
    )


# ---------------------------------------------------------------------------------------------
# seats per list


def plot_list_seats(
    sim: SeatDraws,
    r: int = 0,
    *,
    ax: Axes | None = None,
    colours: Colours = None,
    lists: Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """One row per list, largest reported vote first: the share of draws giving the list
    each number of seats (bars scaled to the row's tallest), the seats on the reported count
    (black triangle under the row, so it hides no bar), and the mean and 90% interval written
    at the right. Lists that never win a seat and win none on the reported count are left
    out unless named in ``lists``."""
    colours = _palette_names(colours, sim)
    hist = sim.seat_hist(r)
    n = sim.filled(r)
    P = len(sim.list_names)
    shown = sim.reported_seats[r] is not None  # (None: not filled on the reported count)
    reported = sim.reported_or_zero(r)
    order = sorted(range(P), key=lambda i: (-sim.reported[i], i))
    if lists is None:
        rows = [i for i in order if hist[i, 1:].any() or reported[i]]
    else:
        rows = [sim.list_names.index(name) for name in lists]
    ax, owned = _own_axes(ax, 0.42 * len(rows) + 0.9)
    if not n:
        return _no_draws(ax, owned, title or f"Seats per list ({sim.labels[r]})", sim, r)
    means = sim.mean_seats(r)
    ivs = sim.interval(r)
    top = 0
    for k, i in enumerate(rows):
        y0 = len(rows) - 1 - k
        h = hist[i] / n
        support = np.flatnonzero(h)
        top = max(top, int(support.max()), int(reported[i]))
        scale = 0.76 / h.max()
        colour = colours[sim.list_names[i]]
        heights = h[support] * scale
        bars = ax.bar(
            support,
            heights,
            bottom=y0,
            width=0.9,
            color=colour,
            linewidth=0.4,
            label=f"_seats:{sim.list_names[i]}",
            zorder=2,
            align="center",
        )
        for bar, height in zip(bars, heights):  # outline a pale hue, but not a sliver
            bar.set_edgecolor(edge_for(colour, "none") if height > 0.04 else "none")
        if shown:  # a triangle under the row: it points at the bar, never covers one
            ax.plot(
                [reported[i]],
                [y0 - 0.1],
                ls="",
                marker="^",
                ms=5.5,
                color=INK,
                mec="white",
                mew=0.5,
                zorder=3,
                clip_on=False,
                label=f"_reported:{sim.list_names[i]}",
            )
        p0 = h[0]
        lo, hi = ivs[i]
        note = f"{means[i]:.1f}  ({lo}–{hi})"
        if p0 > 0.005:
            note += "; none in " + ("over 99%" if 0.995 <= p0 < 1 else f"{100 * p0:.0f}%")
        ax.text(
            1.01,
            y0 + 0.3,
            note,
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=7.5,
            color=INK,
        )
    ax.set_yticks(
        [len(rows) - 1 - k + 0.35 for k in range(len(rows))],
        labels=[sim.list_names[i] for i in rows],
    )
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-0.25, len(rows))
    ax.set_xlim(-1, top + 2)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(f"seats (of {sim.rules[r].seats})")
    ax.xaxis.grid(True)
    ax.text(
        1.01,
        len(rows) - 0.02,
        "mean (90% range)",
        transform=ax.get_yaxis_transform(),
        ha="left",
        va="bottom",
        fontsize=7.5,
        color=MUTED,
    )
    handles = [
        Patch(color="#888888", label="share of draws (scaled per row)"),
        Line2D([], [], ls="", marker="^", ms=5.5, color=INK, label="seats on the reported count"),
    ]
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=2,
        fontsize=7.5,
        borderaxespad=0.1,
    )
    if owned or title:
        title = title or f"Seats per list over {n:,} simulated counts ({sim.labels[r]})"
        _ax_source(owned, ax, title, None, _mc_source(sim, r))
    return ax


_COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


def _panel_title(sim: SeatDraws, r: int, width: float) -> str:
    """A panel's title: the rule set, its outcomes or its median and mode, its mean; shorter
    forms when the long one is wider than ``width`` inches."""
    values, counts = changes_distribution(sim, r)
    lo, hi = interval90(values, counts)
    middle, mean = median(values, counts), sim.mean_changes(r)
    found = outcomes(values, counts)
    label = sim.labels[r]
    if len(found) > 1:
        words = _COUNT_WORDS.get(len(found), str(len(found)))
        ranges = " or ".join(
            f"{_range(o.low, o.high)}{' seats' if k == 0 else ''} ({100 * o.share:.0f}%)"
            for k, o in enumerate(found)
        )
        options = [
            f"{label}: {words} outcomes, {ranges}; median {middle:g}, mean {mean:.1f}",
            f"{label}: {words} outcomes, {ranges}; median {middle:g}",
            f"{label}: {words} outcomes; median {middle:g}",
        ]
    else:
        mode = found[0].mode if found else float(values[np.argmax(counts)])
        options = [
            f"{label}: median {middle:g}, most often {mode:g}, mean {mean:.1f}; "
            f"{_interval_text(lo, hi)}",
            f"{label}: median {middle:g}, most often {mode:g}; {_interval_text(lo, hi)}",
            f"{label}: median {middle:g}; {_interval_text(lo, hi)}",
        ]
    for text in options:
        if text_width(text, 8, "bold") <= width:
            return text
    return options[-1]


def _changes_title(sim: SeatDraws) -> str:
    """The figure's title, from the first rule set's draws: its separate outcomes when the
    distribution has more than one, else its 90% range and median."""
    if not sim.filled(0):
        return (
            f"Under {sim.labels[0]}, no simulated count could fill the seats: none "
            "has a parliament to compare"
        )
    values, counts = changes_distribution(sim, 0)
    found = outcomes(values, counts)
    if len(found) > 1:
        words = _COUNT_WORDS.get(len(found), str(len(found))).capitalize()
        first, *others = found
        rest = " or ".join(f"{_range(o.low, o.high)} ({100 * o.share:.0f}%)" for o in others)
        return (
            f"{words} outcomes if the count had been slightly different: "
            f"{_range(first.low, first.high)} seats change hands ({100 * first.share:.0f}% of "
            f"draws) or {rest}"
        )
    lo, hi = interval90(values, counts)
    span = f"{lo:g} to {hi:g} seats" if lo != hi else f"{lo:g} seats"
    return (
        f"If the count had been slightly different, {span} would change hands in 90% of "
        f"cases (median {median(values, counts):g})"
    )


def figure_changes(
    sim: SeatDraws,
    *,
    rule_sets: Sequence[int] | None = None,
    data: str | None = None,
    heading: str | None = None,
    min_difference: float = 0.5,
) -> Figure:
    """Seats changing hands against the baseline over the draws: one panel per rule set
    (the baseline first), stacked in one column on shared axes. By default a rule set is
    left out (and named in the subtitle) when on the same draws it differs from the first
    by less than ``min_difference`` seats on average. The title names the separate outcomes
    when the first rule set's distribution has more than one (``outcomes``)."""
    R = len(sim.labels)
    close = []
    if rule_sets is None:
        rule_sets = [0]
        for r in range(1, R):
            if paired_mean(sim, r) < min_difference:
                close.append(r)
            else:
                rule_sets.append(r)
    rule_sets = list(rule_sets)
    with house_style():
        fig = new_figure(WIDTH, 1.3 * len(rule_sets) + 0.35)
        axes = list(
            np.atleast_1d(
                fig.subplots(len(rule_sets), 1, sharex=True, sharey=True, squeeze=False)
            ).ravel()
        )
        right, peak = 0.0, 0.0
        for ax, r in zip(axes, rule_sets):
            plot_changes(sim, r, ax=ax, interval=False)
            ax.set_xlabel("")
            ax.set_ylabel("% of draws")
            ax.tick_params(labelbottom=True)  # every panel reads on its own: seat numbers
            if not sim.filled(r):  # an empty panel that says so
                ax.set_title(f"{sim.labels[r]}: no draw could be filled", loc="left", fontsize=8)
                continue
            ax.set_title(_panel_title(sim, r, 0.97 * (WIDTH - 0.7)), loc="left", fontsize=8)
            right = max(right, ax.get_xlim()[1])
            peak = max(peak, ax.get_ylim()[1])
        for ax in axes:
            if right:
                ax.set_xlim(-0.9, right)
            if peak:
                ax.set_ylim(0, peak)
        axes[-1].set_xlabel(f"seats changing hands (of {sim.rules[0].seats})")
        each = (
            "each allocated under every rule set; for each, the seats that change hands"
            if R > 1
            else f"each allocated under “{sim.labels[0]}”; the seats that change hands"
        )
        sub = (
            f"{heading or sim.election}. {sim.n:,} simulated counts around the reported "
            f"one, {each} against the seats “{sim.labels[0]}” gives on the reported count. "
            "Bars: share of draws; bold figures: the most frequent value of each outcome; "
            "black line: median; grey band: 90% of draws"
        )
        sub += (
            f"; triangle: each other rule set on the reported count itself (on it, "
            f"“{sim.labels[0]}” moves none)."
            if len(rule_sets) > 1
            else "."
        )
        sub += _left_out(sim, rule_sets)
        if close:
            sub += (
                f" Not shown, as they differ from “{sim.labels[0]}” by less than "
                f"{min_difference:g} seat on average on the same draw: "
                + ", ".join(f"{sim.labels[r]} ({paired_mean(sim, r):.2f})" for r in close)
                + "."
            )
        return finish(fig, _changes_title(sim), sub, _mc_source(sim, 0, data))


def figure_list_seats(
    sim: SeatDraws,
    r: int = 0,
    *,
    colours: Colours = None,
    data: str | None = None,
    heading: str | None = None,
) -> Figure:
    """Per-list seat distributions from the Monte Carlo run (one row per list)."""
    hist = sim.seat_hist(r)
    rows = sum(
        1 for i in range(len(sim.list_names)) if hist[i, 1:].any() or sim.reported_or_zero(r)[i]
    )
    with house_style():
        fig = new_figure(WIDTH, 0.45 * rows + 0.7)
        ax = fig.add_subplot()
        plot_list_seats(sim, r, ax=ax, colours=colours)
        never = len(sim.list_names) - rows
        title = f"How many seats each list wins when the count varies ({sim.labels[r]})"
        sub = (
            f"{heading or sim.election}. Share of {sim.n:,} simulated counts giving each "
            "list each number of seats, lists in order of reported votes; black triangle: "
            "seats on the reported count; right: mean seats, 90% interval and how often "
            "the list wins no seat."
        )
        if never:
            sub += f" {never} lists won no seat in any draw and are not shown."
        sub += _left_out(sim, [r])
        return finish(fig, title, sub, _mc_source(sim, r, data))
