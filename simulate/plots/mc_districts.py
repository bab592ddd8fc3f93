"""The Monte Carlo figures of a districted run (``DistrictSimulation``): the seats in total
through the one-constituency figures (``DistrictTotals`` gives them the ``SeatDraws`` shape,
one rule set), and the mean seats changing hands in each district with their standard errors
(``plot_district_mc_changes``, ``figure_district_mc_changes``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulate.montecarlo.district_result import DistrictSimulation
from simulate.plots.districts import ROW
from simulate.plots.montecarlo import model_text
from simulate.plots.style import (
    INK,
    MUTED,
    WIDTH,
    _ax_source,
    _own_axes,
    finish,
    house_style,
    new_figure,
    source_line,
)
from simulate.rules import Rules


@dataclass(frozen=True)
class _NoUnfilled:
    """A districted run counts every draw in its totals: none is left out of them."""

    unfilled: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))


@dataclass(frozen=True)
class DistrictTotals:
    """A districted run's seats in total as one rule set of a ``SeatDraws``: ``label`` names
    its rules, ``reported`` is each list's national votes (the order and colours of the
    rows). Seats changing hands are counted in half seats as ``Simulation.changes_hist``
    counts them (Σ|s − s'|, twice the seats)."""

    sim: DistrictSimulation
    reported: tuple[int, ...]
    label: str
    tally: _NoUnfilled = field(default_factory=_NoUnfilled)

    @property
    def election(self) -> str:
        return self.sim.election

    @property
    def list_names(self) -> tuple[str, ...]:
        return self.sim.list_names

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label,)

    @property
    def rules(self) -> tuple[Rules, ...]:
        return (self.sim.rules,)

    @property
    def baseline(self) -> tuple[int, ...]:
        return tuple(int(s) for s in self.sim.baseline_totals)

    @property
    def reported_seats(self) -> tuple[tuple[int, ...] | None, ...]:
        return (self.baseline,)

    @property
    def settings(self) -> dict[str, Any]:
        return self.sim.settings

    @property
    def notes(self) -> tuple[str, ...]:
        return self.sim.notes

    @property
    def n(self) -> int:
        return self.sim.draws

    def filled(self, r: int = 0) -> int:
        return self.sim.draws

    def joint(self, r: int) -> int:
        return self.sim.draws

    def reported_or_zero(self, r: int = 0) -> np.ndarray:
        return np.array(self.baseline)

    def seat_hist(self, r: int = 0) -> np.ndarray:
        return self.sim.tally.seat_counts

    def mean_seats(self, r: int = 0) -> np.ndarray:
        return self.sim.mean_seats()

    def interval(self, r: int = 0) -> np.ndarray:
        return self.sim.interval()

    def changes_hist(self, r: int = 0, against: str = "baseline") -> np.ndarray:
        whole = self.sim.tally.changed
        half = np.zeros(2 * len(whole) - 1, np.int64)
        if against == "baseline":
            half[::2] = whole
        else:  # one rule set: against itself on the same draw, nothing moves
            half[0] = self.sim.draws
        return half

    def changes_draws(self, r: int = 0, against: str = "baseline") -> int:
        return self.sim.draws

    def mean_changes(self, r: int = 0) -> float:
        return self.sim.changed_mean()[0]


def district_model_source(sim: DistrictSimulation, data: str) -> str:
    """The source line of a districted Monte Carlo figure: data, rules, draws, seed, model."""
    extra = (
        f"Monte Carlo: {sim.draws:,} draws, seed {sim.settings.get('seed')}; "
        f"{model_text(sim.settings.get('model', {}))}."
    )
    return source_line(data, sim.rules.describe(), extra)


def _mean_text(value: float) -> str:
    """A mean to two decimals; one above zero but below 0.005 is "<0.01", never "0.00"."""
    return "<0.01" if 0 < value < 0.005 else f"{value:.2f}"


def _share_text(p: float) -> str:
    """A share of draws as a whole percentage; one above zero but below 0.5% is "<1%"."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{100 * p:.0f}%"


def plot_district_mc_changes(
    sim: DistrictSimulation,
    *,
    ax: Axes | None = None,
    data: str | None = None,
    title: str | None = None,
) -> Axes:
    """One row per district, in file order: the mean seats changing hands there against the
    seats on the reported count (bar, labelled "_mean:<district>"), ±1 standard error
    (whisker), and at the right the mean and P(any seat in the district changes)."""
    names = sim.district_names
    D = len(names)
    ax, owned = _own_axes(ax, ROW * D + 1.0)
    mean, se = sim.district_changed()
    p_any = sim.p_district_changed()
    top = float(max((mean + se).max(), 0.5))
    for j, name in enumerate(names):
        y = D - 1 - j
        (bar,) = ax.barh(y, mean[j], height=0.7, color="#0072B2", zorder=2)
        bar.set_label(f"_mean:{name}")  # (for tests)
        if se[j] > 0:
            ax.errorbar(
                mean[j], y, xerr=se[j], fmt="none", ecolor=INK, elinewidth=0.8, capsize=2, zorder=3
            )
        ax.text(
            1.01,
            y,
            f"{_mean_text(float(mean[j]))}  ({_share_text(float(p_any[j]))})",
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=7,
            color=INK,
        )
    ax.text(
        1.01,
        D - 0.4,
        "mean (P any)",
        transform=ax.get_yaxis_transform(),
        va="bottom",
        ha="left",
        fontsize=7,
        color=MUTED,
    )
    ax.set_xlim(0, top * 1.08)
    ax.set_ylim(-0.6, D - 0.1)
    ax.set_yticks(list(range(D - 1, -1, -1)), labels=list(names))
    ax.tick_params(axis="y", length=0, labelsize=7)
    ax.set_xlabel("mean seats changing hands in the district (±1 standard error)")
    ax.grid(axis="x", color="#E3E3E3", lw=0.6)
    ax.spines["left"].set_visible(False)
    if owned or title:
        title = title or "Mean seats changing hands by district"
        _ax_source(owned, ax, title, None, district_model_source(sim, data or sim.election))
    return ax


def figure_district_mc_changes(
    sim: DistrictSimulation, *, data: str | None = None, heading: str | None = None
) -> Figure:
    """``plot_district_mc_changes`` as a whole figure, titled with the mean seats changing
    hands in total and summed over the districts."""
    D = len(sim.district_names)
    mean, _se = sim.district_changed()
    total, _ = sim.changed_mean()
    busiest = sim.district_names[int(np.argmax(mean))]
    with house_style():
        fig = new_figure(WIDTH, ROW * D + 0.8)
        ax = fig.add_subplot()
        plot_district_mc_changes(sim, ax=ax, data=data)
        title = (
            f"When the count varies, {float(mean.sum()):.1f} district seats change hands on "
            f"average, most in {busiest}"
        )
        sub = (
            f"{heading or sim.election}. {sim.draws:,} simulated counts, each allocated "
            "district by district; per district, the mean seats changing hands against the "
            "seats the rules give on the reported count (whisker: ±1 standard error; right: "
            "the mean and the share of draws in which any seat there changes). In the "
            f"totals {total:.1f} seats change hands on average: one list's gain in one "
            "district and loss in another cancel there. Each list's share moves by a national "
            "swing shared by all districts plus noise of its own in each district."
        )
        return finish(fig, title, sub, district_model_source(sim, data or sim.election))


__all__ = [
    "DistrictTotals",
    "district_model_source",
    "figure_district_mc_changes",
    "plot_district_mc_changes",
]
