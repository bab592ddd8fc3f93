"""The chance that a single list wins a majority (or two thirds) of the seats as the
threshold varies, from Monte Carlo runs at fixed thresholds
(``simulate.montecarlo.curve.ThresholdCurve``): the title naming the value at the legal
threshold (``majority_title``), the panel (``plot_majority``) and the whole figure
(``figure_majority``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulate.montecarlo.result import ThresholdCurve
from simulate.plots.montecarlo import model_text
from simulate.plots.style import (
    INK,
    MUTED,
    WIDTH,
    _ax_source,
    _own_axes,
    base_words,
    election_line,
    finish,
    house_style,
    new_figure,
    pct,
    source_line,
)
from simulate.threshold import format_percent


def majority_title(curve: ThresholdCurve) -> str:
    """ "How likely one list wins a majority …", with the value at the legal threshold."""
    if curve.cap is not None and curve.cap < curve.majority:
        return (
            f"No single list can win a majority at any threshold: none may hold more "
            f"than {curve.cap} of {curve.seats} seats"
        )
    if not np.any(np.asarray(curve.p_majority) > 0):
        return (
            f"No single list wins a majority in any of {curve.per_threshold:,} simulated "
            f"counts, at any threshold from {format_percent(curve.thresholds[0])} to "
            f"{format_percent(curve.thresholds[-1])}"
        )
    text = "How likely a single list wins a majority, by threshold"
    if curve.legal and curve.legal in curve.thresholds:
        p = float(curve.p_majority[curve.thresholds.index(curve.legal)])
        hits = round(p * curve.per_threshold)
        share = (
            f"{hits:,} of {curve.per_threshold:,} simulated counts"
            if p < 0.01
            else f"{100 * p:.0f}% of simulated counts"
        )
        text += f" (at the legal {format_percent(curve.legal)}: {share})"
    return text


def curve_source(curve: ThresholdCurve) -> str:
    """The source line: the data, the rules with the threshold on the axis, the Monte Carlo."""
    rules = curve.rules
    return source_line(
        election_line(curve.election),
        f"{curve.label}: {rules.describe()}, the national threshold set to each value on the "
        f"axis (on the {base_words(rules.threshold_base)})",
        f"Monte Carlo: {curve.per_threshold:,} draws per threshold, seed {curve.seed} (the "
        f"same draws at every threshold); {model_text(curve.model)}. Regional thresholds "
        "are not applied to the draws",
    )


def plot_majority(
    curve: ThresholdCurve, *, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """P(one list holds a majority) and P(one list holds two thirds) against the threshold,
    from a Monte Carlo run at fixed thresholds (``simulate.montecarlo.curve.ThresholdCurve``), with
    95% bands (± 1.96 binomial standard errors) and the legal threshold marked.

    A line that no draw reaches (every point at 0%) is not drawn: the legend says "in no
    draw" without a line beside it and, when no draw gives a majority at all, the panel says
    so in words."""
    ax, owned = _own_axes(ax, 2.8)
    x = 100 * np.array([float(t) for t in curve.thresholds])
    handles: list[Line2D] = []
    for p, se, colour, style, label in (
        (
            curve.p_majority,
            curve.se_majority,
            "#0072B2",
            "-",
            f"one list holds a majority ({curve.majority}+ of {curve.seats} seats)",
        ),
        (
            curve.p_two_thirds,
            curve.se_two_thirds,
            "#D55E00",
            (0, (4, 1.5)),
            f"one list holds two thirds ({curve.two_thirds}+ seats)",
        ),
    ):
        p, se = 100 * np.asarray(p), 100 * np.asarray(se)
        if not np.any(p > 0):  # a flat zero would hide on the axis: said in words instead
            handles.append(Line2D([], [], lw=0, label=f"{label}: in no draw"))
            continue
        ax.fill_between(
            x,
            np.clip(p - 1.96 * se, 0, 100),
            np.clip(p + 1.96 * se, 0, 100),
            color=colour,
            alpha=0.18,
            lw=0,
            zorder=1,
        )
        major = "majority" in label
        (line,) = ax.plot(
            x,
            p,
            color=colour,
            lw=1.7,
            ls=style,
            marker="o",
            ms=2.6,
            zorder=3.5 if major else 3,
            label=label,
        )
        handles.append(line)
    unfilled = 100 * np.asarray(getattr(curve, "p_unfilled", np.zeros_like(x)))
    if np.any(unfilled > 0):
        (line,) = ax.plot(
            x,
            unfilled,
            color="#777777",
            lw=1.3,
            ls=(0, (1, 1.5)),
            zorder=2,
            label="seats cannot all be filled (too few lists pass)",
        )
        handles.append(line)
    if not np.any(np.asarray(curve.p_majority) > 0):
        ax.text(
            0.5,
            0.5,
            "no draw gives one list a majority\nat any threshold shown",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=9,
            color=MUTED,
            label="_no_majority",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 2},
        )
    legal = 100 * float(curve.legal) if curve.legal else None
    if legal is not None and x[0] <= legal <= x[-1]:
        ax.axvline(legal, color=INK, lw=1.0, ls=(0, (4, 2)), zorder=4)
        ax.text(
            legal,
            0.985,
            f" legal threshold {pct(legal, 2)}",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="top",
            fontsize=7.5,
            color=INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )
    ax.set_ylim(-2, 102)
    ax.set_xlim(x[0], x[-1])
    ax.set_yticks([0, 25, 50, 75, 100], labels=["0%", "25%", "50%", "75%", "100%"])
    ax.set_ylabel("share of draws")
    ax.set_xlabel(f"national threshold (% of {base_words(curve.base)})")
    ax.yaxis.grid(True)
    ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=7.5,
        bbox_to_anchor=(0.0, -0.2),
        ncol=1 if len(handles) > 2 or any(not h.get_linewidth() for h in handles) else 2,
        borderaxespad=0,
    )
    if owned or title:
        title = title or majority_title(curve)
        _ax_source(owned, ax, title, None, curve_source(curve))
    return ax


def figure_majority(curve: ThresholdCurve, *, heading: str | None = None) -> Figure:
    with house_style():
        fig = new_figure(WIDTH, 2.9)
        ax = fig.add_subplot()
        plot_majority(curve, ax=ax)
        sub = (
            f"{heading or curve.election.name}. For each threshold, {curve.per_threshold:,} "
            "simulated counts around the reported one; share of them in which a single "
            "list holds more than half (two thirds) of the seats. Bands: 95% Monte Carlo "
            "uncertainty."
        )
        if curve.cap is not None and curve.cap < curve.majority:
            sub += (
                f" No list may hold more than {curve.cap} seats, so neither a majority "
                f"({curve.majority}) nor two thirds can happen."
            )
        elif curve.cap is not None and curve.cap < curve.two_thirds:
            sub += f" No list may hold more than {curve.cap} seats, so two thirds cannot happen."
        if np.any(np.asarray(curve.p_unfilled) > 0):
            sub += (
                " Dotted: counts where too few lists pass to fill the seats under the "
                "cap; they hold no majority."
            )
        return finish(fig, majority_title(curve), sub, curve_source(curve))
