"""The figures: every plot function's contract (returns its Axes, draws on a given ``ax``
without creating a figure), their content checked against the core's numbers (Kyrgyzstan
2020: 46 / 45 / 16 / 13 seats, reference/elections.md; the sweep's exact breakpoints; Monte
Carlo histograms that count every draw), the party palette, reproducible bytes, and image
comparisons against committed baselines."""

import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import matplotlib
import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.collections import EllipseCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch

from simulate import Election, Party
from simulate.errors import InputError
from simulate.montecarlo.curve import threshold_curve
from simulate.plots import (
    DPI,
    changes_distribution,
    dropouts,
    figure_comparison,
    figure_hemicycle,
    figure_sweep,
    hemicycle_layout,
    interval90,
    outcomes,
    plot_changes,
    plot_comparison,
    plot_hemicycle,
    plot_list_seats,
    plot_majority,
    plot_sweep,
    plot_sweep_changes,
    plot_sweep_wasted,
    render,
    spread,
    stable_svg_ids,
    sweep_edges,
)
from simulate.plots.colours import OKABE_ITO, OTHER, palette
from simulate.plots.sweep import LINE, flag_rows, seat_lines
from simulate.scenario.file import Scenario
from simulate.scenario.run import figure_montecarlo, run_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "baseline"
KG2020 = ROOT / "scenarios" / "kyrgyzstan-2020.toml"
HAND = ROOT / "scenarios" / "kyrgyzstan-2020-hand-count.toml"
DRAWS = 3000


@pytest.fixture(scope="module")
def scenario():
    return Scenario.load(KG2020)


@pytest.fixture(scope="module")
def run(scenario):
    return run_scenario(scenario)


@pytest.fixture(scope="module")
def sim(scenario):
    return figure_montecarlo(scenario, draws=DRAWS, seed=7)


@pytest.fixture(scope="module")
def curve(scenario):
    grid = [Fraction(k, 100) for k in (3, 7, 9, 11)]
    label, rules = scenario.rule_sets()[0]
    return threshold_curve(
        scenario.election, label, rules, scenario.montecarlo_spec(), grid, seed=7, draws=400
    )


@pytest.fixture
def figures_made(monkeypatch):
    """Counts every matplotlib Figure constructed while the test runs."""
    made = []
    original = Figure.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "__init__", counting)
    return made


def _calls(run, sim, curve):
    """Every plot function with its result (name, callable taking ax=)."""
    comp = run.comparison
    party = next(o for o in comp.alternatives if o.label == "party votes")
    return {
        "hemicycle": lambda ax=None: plot_hemicycle(run.allocation, ax=ax),
        "hemicycle pair": lambda ax=None: plot_hemicycle(
            party.allocation, ax=ax, baseline=run.allocation
        ),
        "sweep": lambda ax=None: plot_sweep(run.sweep, ax=ax),
        "sweep changes": lambda ax=None: plot_sweep_changes(run.sweep, ax=ax),
        "changes": lambda ax=None: plot_changes(sim, 0, ax=ax),
        "list seats": lambda ax=None: plot_list_seats(sim, ax=ax),
        "majority": lambda ax=None: plot_majority(curve, ax=ax),
        "comparison": lambda ax=None: plot_comparison(comp, ax=ax),
    }


NAMES = [
    "hemicycle",
    "hemicycle pair",
    "sweep",
    "sweep changes",
    "changes",
    "list seats",
    "majority",
    "comparison",
]


# ---------------------------------------------------------------------------------------------
# the contract: ax=None creates one figure; a given ax is drawn on and nothing is created


@pytest.mark.parametrize("name", NAMES)
def test_draws_on_the_given_axes_and_creates_no_figure(name, run, sim, curve, monkeypatch):
    fig = Figure()
    ax = fig.add_subplot()
    made = []
    original = Figure.__init__
    monkeypatch.setattr(
        Figure, "__init__", lambda self, *a, **k: (made.append(self), original(self, *a, **k))
    )
    result = _calls(run, sim, curve)[name](ax=ax)
    assert result is ax
    assert made == []
    assert ax.figure is fig
    assert ax.get_children() and (ax.collections or ax.patches or ax.lines or ax.texts)


@pytest.mark.parametrize("name", NAMES)
def test_without_axes_makes_one_finished_figure(name, run, sim, curve, figures_made):
    ax = _calls(run, sim, curve)[name]()
    assert len(figures_made) == 1
    assert ax.figure is figures_made[0]
    texts = [t.get_text() for t in ax.figure.texts]
    assert any(t.startswith("Data: ") and "Figure: seatsim." in t for t in texts), texts
    assert ax.figure.get_size_inches()[0] == pytest.approx(6.5)


def test_only_the_plots_layer_imports_matplotlib():
    # Every layer below the figures (and the command line, which imports plots only when it
    # draws) loads without matplotlib; ``import simulate`` loads neither matplotlib nor typer.
    code = (
        "import sys, simulate, simulate.scenario.run, simulate.montecarlo.run, "
        "simulate.montecarlo.curve, simulate.report, simulate.bench.allocation, "
        "simulate.bench.montecarlo; print('matplotlib' in sys.modules, 'typer' in sys.modules);"
        "import simulate.cli; print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


# ---------------------------------------------------------------------------------------------
# content


def _seat_dots(ax, side="result"):
    return [
        c
        for c in ax.collections
        if isinstance(c, EllipseCollection) and c.get_label().startswith(f"_seats:{side}:")
    ]


def test_kyrgyz_2020_hemicycle_has_120_dots_46_45_16_13_by_colour(run):
    """reference/elections.md: Birimdik 46, Mekenim Kyrgyzstan 45, Kyrgyzstan 16, Butun
    Kyrgyzstan 13 under the rules in force."""
    ax = plot_hemicycle(run.allocation)
    dots = _seat_dots(ax)
    assert sum(len(c.get_offsets()) for c in dots) == 120
    colours = palette(run.allocation.election)
    by_colour = {}
    for c in dots:
        faces = {to_hex(f) for f in c.get_facecolor()}
        assert len(faces) == 1  # one colour per list
        key = faces.pop()
        by_colour[key] = by_colour.get(key, 0) + len(c.get_offsets())
    expected = {"Birimdik": 46, "Mekenim Kyrgyzstan": 45, "Kyrgyzstan": 16, "Butun Kyrgyzstan": 13}
    assert by_colour == {colours[name].lower(): n for name, n in expected.items()}
    assert len(set(by_colour)) == 4  # four different colours
    assert [line.get_label() for line in ax.lines] == ["_majority:result"]


def test_hemicycle_pair_rings_the_seats_that_change_hands(run):
    party = next(o for o in run.comparison.alternatives if o.label == "party votes")
    ax = plot_hemicycle(party.allocation, baseline=run.allocation)
    for side in ("baseline", "result"):
        assert sum(len(c.get_offsets()) for c in _seat_dots(ax, side)) == 120
        rings = [c for c in ax.collections if c.get_label().startswith(f"_moved:{side}:")]
        assert sum(len(c.get_offsets()) for c in rings) == party.changed_from_baseline == 12
    gained = {
        c.get_label().split(":")[2]: len(c.get_offsets())
        for c in ax.collections
        if c.get_label().startswith("_moved:result:")
    }
    assert gained == {"Mekenchil": 12}


@pytest.mark.parametrize("seats", [1, 2, 5, 54, 90, 120, 299, 650])
def test_hemicycle_layout_places_every_seat_once_on_the_half_disc(seats):
    h = hemicycle_layout(seats)
    assert len(h.x) == len(h.y) == seats
    r = np.hypot(h.x, h.y)
    assert np.all(r <= 1 + 1e-9) and np.all(h.y >= -1e-9)
    points = np.column_stack([h.x, h.y])
    if seats > 1:
        gaps = np.linalg.norm(points[:, None] - points[None], axis=2) + np.eye(seats) * 9
        assert gaps.min() >= h.diameter  # dots do not overlap
    angle = np.arctan2(h.y, h.x)
    assert np.all(np.diff(np.round(angle, 9)) <= 0)  # ordered from left to right


def test_sweep_steps_sit_at_the_exact_breakpoints(run):
    sweep = run.sweep
    ax = plot_sweep(sweep)
    steps = {
        p.get_label()[len("_seats:") :]: p
        for p in ax.patches
        if isinstance(p, StepPatch) and p.get_label().startswith("_seats:")
    }
    expected_edges = [
        100 * float(sweep.low),
        *(100 * float(b) for b in sweep.breakpoints),
        100 * float(sweep.high),
    ]
    # the shares of the 14 lists below 12%, less the three the regional rule keeps out at every
    # threshold (Social Democrats, Ordo, Afghan War Veterans: below 0.7% in Talas or Bishkek)
    assert len(sweep.breakpoints) == 11
    names = sweep.election.names
    lines = seat_lines(sweep)
    for i, name in enumerate(names):
        seats = [iv.seats[i] for iv in sweep.intervals]
        if not any(seats):
            assert name not in steps
            continue
        # the seats while the list passes, nothing after it drops out (no pile-up at zero)
        passes = [name in iv.passed for iv in sweep.intervals]
        np.testing.assert_array_equal(lines[:, i], np.where(passes, seats, np.nan))
        data = steps[name].get_data()
        np.testing.assert_allclose(data.edges, expected_edges, rtol=0, atol=1e-12)
        # drawn at the seats, or nudged by less than a seat beside an equal line
        np.testing.assert_allclose(data.values, lines[:, i], rtol=0, atol=1.0)
    # Mekenchil's seats stop exactly at its share of the voters who took part
    mek = steps["Mekenchil"].get_data()
    drop = np.flatnonzero(np.isfinite(mek.values))[-1] + 1
    assert mek.edges[drop] == pytest.approx(100 * 136276 / 1990753, abs=1e-12)
    np.testing.assert_allclose(sweep_edges(sweep), expected_edges)


def _coloured_steps(ax):
    return {
        p.get_label()[len("_seats:") :]: p
        for p in ax.patches
        if isinstance(p, StepPatch) and p.get_label().startswith("_seats:") and p.get_lw() > 1
    }


def test_sweep_lines_of_lists_with_equal_seats_run_side_by_side(run):
    # Issue 18, item 6: Mekenchil's line (8 to 12 seats) lay under Butun Kyrgyzstan's, and
    # Birimdik's and Mekenim Kyrgyzstan's read as one at 30 seats.
    fig = figure_sweep(run.sweep, label="in force")
    top = fig.axes[0]
    fig.draw_without_rendering()
    steps = _coloured_steps(top)
    assert {"Mekenchil", "Butun Kyrgyzstan", "Birimdik", "Mekenim Kyrgyzstan"} <= set(steps)
    names = run.sweep.election.names
    mek, butun = names.index("Mekenchil"), names.index("Butun Kyrgyzstan")
    equal = [k for k, iv in enumerate(run.sweep.intervals) if iv.seats[mek] == iv.seats[butun]]
    assert len(equal) >= 4  # 9, 10, 11 and 12 seats each
    points = 72 / fig.dpi
    for k in range(len(run.sweep.intervals)):
        ys = sorted(
            top.transData.transform((0, p.get_data().values[k]))[1] * points
            for p in steps.values()
            if np.isfinite(p.get_data().values[k])
        )
        # every pair of coloured lines at least a line's width apart: none hides another
        assert np.all(np.diff(ys) >= LINE - 1e-6), k


def _boxes(fig, artists):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    renderer = FigureCanvasAgg(fig).get_renderer()
    return [Text.get_window_extent(a, renderer) for a in artists]


@pytest.mark.parametrize("stem", ["kyrgyzstan-2015", "kyrgyzstan-2020", "kyrgyzstan-2021"])
def test_sweep_labels_above_the_plot_do_not_overlap(stem):
    from simulate.plots import freeze_layout

    sweep = run_scenario(Scenario.load(ROOT / "scenarios" / f"{stem}.toml")).sweep
    fig = freeze_layout(figure_sweep(sweep, label="in force"))
    top = fig.axes[0]
    texts = [t for t in top.texts if t.get_label().startswith(("_dropout:", "_legal_label"))]
    assert sum(t.get_label() == "_legal_label" for t in texts) == 1
    boxes = _boxes(fig, texts)  # (the text alone, not an annotation's leader)
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            assert not boxes[a].overlaps(boxes[b]), (texts[a].get_text(), texts[b].get_text())
    axes_top = top.get_window_extent().y1
    assert all(box.y0 >= axes_top for box in boxes)  # above the plot, off the lines
    width, height = fig.get_size_inches() * fig.dpi
    assert all(box.x0 >= 0 and box.x1 <= width and box.y1 <= height for box in boxes)
    if stem == "kyrgyzstan-2015":  # four labels and the legal one: flat, in a few rows
        assert all(t.get_rotation() == 0 for t in texts)
        assert max(box.y1 for box in boxes) - axes_top < 0.8 * fig.dpi


def test_flag_rows_keep_labels_and_leaders_apart():
    rows = flag_rows([0.0, 1.0, 5.0], [2.0, 1.0, 1.0], gap=0.1, low=0.0)
    assert rows == [(1, "right"), (0, "right"), (0, "right")]  # the first over the second
    # room on the left: the second goes left of its leader, all in one row
    assert flag_rows([0.0, 3.0], [2.5, 2.5], gap=0.1) == [(0, "right"), (0, "right")]
    assert flag_rows([2.0, 2.2], [1.0, 1.0], gap=0.1, low=0.0) == [(0, "left"), (0, "right")]
    assert flag_rows([0.0] * 6, [1.0] * 6, gap=0.1, low=0.0) is None  # too many rows


def test_sweep_labels_each_breakpoint_with_the_list_that_drops_out(run):
    ax = plot_sweep(run.sweep)
    labels = sorted(
        t.get_label()[len("_dropout:") :] for t in ax.texts if t.get_label().startswith("_dropout:")
    )
    gone = sorted(", ".join(g) for _, g in dropouts(run.sweep) if g)
    assert labels == gone
    assert "Mekenchil" in labels and "Butun Kyrgyzstan" in labels
    texts = {t.get_label(): t.get_text() for t in ax.texts}
    # within half a point of the legal 7%, the share is written: 6.85% and 7.13% vs 7%
    assert texts["_dropout:Mekenchil"] == "Mekenchil (6.85%)"
    assert texts["_dropout:Butun Kyrgyzstan"] == "Butun Kyrgyzstan (7.13%)"
    assert texts["_dropout:Respublika"] == "Respublika"
    assert texts["_legal_label"] == "legal threshold 7%"
    legal = [line for line in ax.lines if line.get_label() == "_legal"]
    assert legal and legal[0].get_xdata()[0] == pytest.approx(7.0)
    # a dot ends the line of each list that drops out, at its share
    ends = {
        line.get_label()[len("_end:") :]: line for line in ax.lines if "_end:" in line.get_label()
    }
    assert ends["Mekenchil"].get_xdata()[0] == pytest.approx(100 * 136276 / 1990753)
    assert "Birimdik" not in ends  # it never drops out below 12%


def test_a_list_that_stops_where_allocation_fails_gets_no_dropout_dot():
    # Kyrgyzstan 2021: above Ishenim's share only Ata-Jurt passes and the cap leaves seats
    # empty; Ata-Jurt's line stops there, but it does not drop out
    sweep = run_scenario(Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2021.toml")).sweep
    ax = plot_sweep(sweep)
    ends = {line.get_label()[len("_end:") :] for line in ax.lines if "_end:" in line.get_label()}
    assert "Ishenim" in ends and "Ata-Jurt Kyrgyzstan" not in ends


def test_spread_keeps_labels_apart_and_inside():
    pos = spread([0.0, 0.1, 0.15, 5.0, 11.9, 12.0], gap=0.5, low=0.0, high=12.0)
    assert np.all(np.diff(pos) >= 0.5 - 1e-12)
    assert pos[0] >= 0 and pos[-1] <= 12.0
    assert pos[3] == 5.0


def test_sweep_changes_and_wasted_votes_have_a_panel_each(run):
    # Issue 18, item 6: on twin axes the two lines overlapped and read as one
    ax = plot_sweep_changes(run.sweep)
    assert ax.figure.axes == [ax]  # no twin
    changes = next(p for p in ax.patches if p.get_label() == "_changes").get_data()
    assert list(changes.values) == [iv.changed_from_baseline for iv in run.sweep.intervals]
    ax = plot_sweep_wasted(run.sweep)
    assert ax.figure.axes == [ax]
    wasted = next(p for p in ax.patches if p.get_label() == "_wasted").get_data()
    at7 = run.sweep.at(Fraction(7, 100))
    assert 100 * at7.measures.wasted_share in list(wasted.values)
    fig = figure_sweep(run.sweep, label="in force")
    assert len(fig.axes) == 3
    assert [a.get_title(loc="left") for a in fig.axes[1:]] == [
        "Seats changing hands against “in force”",
        "Votes that elect nobody (% of voters who took part)",
    ]


def test_monte_carlo_histogram_counts_sum_to_the_draws(sim):
    for r in range(len(sim.labels)):
        ax = plot_changes(sim, r)
        bars = next(c for c in ax.containers if c.get_label() == "_draws")
        heights = np.array([b.get_height() for b in bars])
        counts = np.rint(heights * sim.n / 100).astype(int)
        assert counts.sum() == sim.n == DRAWS
        values, expected = changes_distribution(sim, r)
        np.testing.assert_array_equal(counts, expected)
        np.testing.assert_allclose([b.get_x() + b.get_width() / 2 for b in bars], values)
        middle = next(line for line in ax.lines if line.get_label() == "_median")
        cdf = np.cumsum(expected) / expected.sum()
        assert middle.get_xdata()[0] == values[np.argmax(cdf >= 0.5)]
        assert not any(line.get_label() == "_mean" for line in ax.lines)


def test_outcomes_split_a_two_peaked_distribution_at_its_empty_gap():
    # the shape of Kyrgyzstan 2020 under the rules in force: 36% of draws around 2 seats,
    # 64% around 13, nothing from 6 to 10 (the mean, 9.4, sits in that gap)
    values = np.arange(18.0)
    counts = np.array([1, 8, 13, 9, 4, 1, 0, 0, 0, 0, 0, 0, 12, 33, 7, 7, 4, 1]) * 100
    found = outcomes(values, counts)
    assert [(o.low, o.high, o.mode) for o in found] == [(0, 5, 2), (12, 17, 13)]
    assert [round(o.share, 2) for o in found] == [0.36, 0.64]
    # one peak with a thin tail: one outcome; a small bump under 10% is not an outcome
    assert len(outcomes(values, np.array([0] * 12 + [1, 5, 30, 40, 20, 4]))) == 1
    bump = np.array([0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 5, 20, 40, 20, 9, 0])
    assert [(o.low, o.high) for o in outcomes(values, bump)] == [(12, 16)]


def test_changes_figure_names_two_outcomes_and_stacks_its_panels(sim):
    from simulate.plots import figure_changes

    fig = figure_changes(sim)
    title = fig.texts[0].get_text().replace("\n", " ")
    values, counts = changes_distribution(sim, 0)
    low, high = outcomes(values, counts)
    assert (low.low, low.mode) == (0, 2) and high.mode == 13  # around 2, or around 13
    assert title.startswith("Two outcomes if the count had been slightly different: 0–")
    assert f"({100 * low.share:.0f}% of draws) or {high.low:g}–{high.high:g}" in title
    # d'Hondt differs from the rules in force by less than half a seat: three panels, in
    # one column (no empty cell), sharing the seat axis, each titled with its outcomes
    assert len(fig.axes) == 3 and all(ax.get_visible() for ax in fig.axes)
    lefts = {round(ax.get_position().x0, 6) for ax in fig.axes}
    assert len(lefts) == 1
    assert fig.axes[0].get_shared_x_axes().joined(fig.axes[0], fig.axes[2])
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles[0].startswith("in force: two outcomes, 0–")
    assert titles[2].startswith("5%: median ")
    modes = [t.get_text() for t in fig.axes[0].texts if t.get_label() == "_mode"]
    assert modes == ["2", "13"]


def test_interval90_is_the_5th_and_95th_percentile():
    values = np.arange(10.0)
    counts = np.array([5, 0, 0, 0, 0, 0, 0, 0, 0, 95])
    assert interval90(values, counts) == (0.0, 9.0)
    assert interval90(values, np.array([4, 1] + [0] * 7 + [95])) == (1.0, 9.0)


def test_list_seat_rows_follow_votes_and_mark_the_reported_seats(sim):
    ax = plot_list_seats(sim)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    votes = dict(zip(sim.list_names, sim.reported))
    assert rows == sorted(rows, key=lambda n: -votes[n])
    assert rows[:4] == ["Birimdik", "Mekenim Kyrgyzstan", "Kyrgyzstan", "Butun Kyrgyzstan"]
    for name in rows:
        i = sim.list_names.index(name)
        tick = next(line for line in ax.lines if line.get_label() == f"_reported:{name}")
        assert tick.get_xdata()[0] == sim.reported_seats[0][i]
        bars = next(c for c in ax.containers if c.get_label() == f"_seats:{name}")
        assert [int(round(b.get_x() + b.get_width() / 2)) for b in bars] == list(
            np.flatnonzero(sim.seat_hist(0)[i])
        )


def test_the_reported_seats_mark_sits_under_the_bars_and_hides_none(sim):
    # Issue 18, item 6: a black tick at 0 seats covered the bar of the draws giving none.
    ax = plot_list_seats(sim)
    fig = ax.figure
    fig.draw_without_rendering()
    for name in ("Mekenchil", "Butun Kyrgyzstan", "Birimdik"):
        mark = next(line for line in ax.lines if line.get_label() == f"_reported:{name}")
        bars = next(c for c in ax.containers if c.get_label() == f"_seats:{name}")
        assert mark.get_linestyle() == "None" and mark.get_marker() == "^"
        x, y = mark.get_xdata()[0], mark.get_ydata()[0]
        bottom = bars[0].get_y()
        # the triangle's top (half its size above its centre) is at or below the bars' foot
        centre = ax.transData.transform((x, y))[1]
        foot = ax.transData.transform((x, bottom))[1]
        assert centre + mark.get_markersize() / 2 * fig.dpi / 72 <= foot + 0.5
    assert sim.reported_seats[0][sim.list_names.index("Mekenchil")] == 0  # a mark at 0


def test_each_monte_carlo_rule_set_gets_its_seats_per_list_figure(run, sim):
    from simulate.plots.write import figure_labels, scenario_figures

    assert list(sim.labels) == ["in force", "d'Hondt", "party votes", "5%"]
    names = [n for n in scenario_figures(run, montecarlo=sim) if n.startswith("mc-list-seats")]
    assert names == [
        "mc-list-seats",
        "mc-list-seats-d-hondt",
        "mc-list-seats-party-votes",
        "mc-list-seats-5pct",
    ]
    labels = figure_labels(run, sim)
    assert [labels[n] for n in names] == list(sim.labels)
    assert labels["seats-vs-party-votes"] == "party votes"


def test_majority_curve_plots_the_probabilities(curve):
    ax = plot_majority(curve)
    lines = {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}
    major = next(v for k, v in lines.items() if "majority" in k)
    np.testing.assert_allclose(major.get_ydata(), 100 * curve.p_majority)
    np.testing.assert_allclose(major.get_xdata(), [3, 7, 9, 11])
    assert curve.p_majority[0] == 0  # at 3% nine lists share the seats
    assert curve.p_majority[3] > 0.5  # at 11% two lists are left
    # at most 65 seats per list: 80 cannot happen, so no flat line hides on the axis, and
    # the legend says it in words, without a line beside it
    assert np.all(curve.p_two_thirds == 0)
    assert not any("two thirds" in k for k in lines)
    legend = {
        t.get_text(): h for t, h in zip(ax.get_legend().texts, ax.get_legend().legend_handles)
    }
    assert list(legend) == [
        "one list holds a majority (61+ of 120 seats)",
        "one list holds two thirds (80+ seats): in no draw",
    ]
    assert legend["one list holds two thirds (80+ seats): in no draw"].get_linewidth() == 0
    assert not any(t.get_label() == "_no_majority" for t in ax.texts)


def test_majority_panel_says_so_when_no_draw_gives_a_majority(scenario):
    # below 4% at least six lists share 120 seats: no list comes near 61
    grid = [Fraction(k, 100) for k in (1, 2, 3)]
    label, rules = scenario.rule_sets()[0]
    low = threshold_curve(
        scenario.election, label, rules, scenario.montecarlo_spec(), grid, seed=7, draws=300
    )
    assert np.all(low.p_majority == 0)
    ax = plot_majority(low)
    assert [line.get_label() for line in ax.lines if not line.get_label().startswith("_")] == []
    note = next(t for t in ax.texts if t.get_label() == "_no_majority")
    assert note.get_text() == "no draw gives one list a majority\nat any threshold shown"
    assert [t.get_text() for t in ax.get_legend().texts] == [
        "one list holds a majority (61+ of 120 seats): in no draw",
        "one list holds two thirds (80+ seats): in no draw",
    ]


def test_comparison_cells_give_the_seats_and_changes(run):
    comp = run.comparison
    ax = plot_comparison(comp)
    cells = {t.get_label(): t.get_text() for t in ax.texts if t.get_label().startswith("_")}
    assert cells["_cell:Birimdik:in force"] == "46"
    assert cells["_cell:Mekenchil:party votes"] == "12"
    assert cells["_cell:Kyrgyzstan:9% (2019)"] == "–"
    for o in comp.outcomes:
        assert cells[f"_moved:{o.label}"] == f"{o.changed_from_baseline:g}"


# ---------------------------------------------------------------------------------------------
# colours


def _election(name, votes, **kw):
    return Election(
        name=name, parties=tuple(Party(n, v, **kw.get(n, {})) for n, v in votes.items())
    )


def test_palette_gives_the_largest_lists_distinct_safe_hues_and_greys_the_rest(scenario):
    pal = palette(scenario.election)
    hues = [pal[n] for n in scenario.election.names[:7]]
    assert hues == list(OKABE_ITO)
    assert all(pal[n] == OTHER for n in scenario.election.names[7:])
    assert pal["no such list"] == OTHER


def test_a_party_keeps_its_hue_across_elections_drawn_together():
    a = _election("a", {"Red": 500, "Blue": 300, "Green": 100})
    b = _election("b", {"Blue": 600, "Teal": 450, "Red": 50})
    pa, pb = palette(a, b), palette(b, a)
    for name in ("Red", "Blue"):
        assert pa[name] == pb[name]
    assert len({pb[n] for n in ("Blue", "Teal", "Red")}) == 3
    assert pa == palette(a, b) and pb == palette(b, a, b)  # the order given does not matter


def test_a_colour_from_another_seed_goes_grey_where_this_election_shows_it():
    # Found by a fresh-eyes run: the 2021 seed colours Yiman Nuru sky blue, which the 2020
    # seed gives Respublika; drawn together, both were sky blue in the 2020 figures.
    a = _election(
        "a",
        {"Big": 500, "Sky": 300, "Small": 10},
        Big={"colour": "#0072B2"},
        Sky={"colour": "#56B4E9"},
    )
    b = _election("b", {"Small": 400}, Small={"colour": "#56B4E9"})
    assert palette(a, b)["Small"] == OTHER and palette(a, b)["Sky"] == "#56B4E9"
    assert palette(b, a)["Small"] == "#56B4E9"  # its own seed's colour, in its own election
    c = _election("c", {"Small": 400}, Small={"colour": "#009E73"})
    assert palette(a, c)["Small"] == "#009E73"  # a hue nobody in a shows: kept


def test_seed_colours_and_overrides_win_and_bad_colours_are_named():
    e = _election("e", {"A": 10, "B": 5}, A={"colour": "#112233"})
    assert palette(e)["A"] == "#112233"
    assert palette(e, overrides={"B": "teal"})["B"] == "teal"
    bad = _election("e", {"A": 10}, A={"colour": "reddish"})
    with pytest.raises(InputError, match="list 'A': colour"):
        palette(bad)


# ---------------------------------------------------------------------------------------------
# files: reproducible bytes (what seatsim figures writes: tests/test_figures_cli.py)


def test_render_is_byte_identical_and_carries_no_date_or_version(run):
    a = render(figure_hemicycle(run.comparison), "png", dpi=40)
    b = render(figure_hemicycle(run.comparison), "png", dpi=40)
    assert a == b and a.startswith(b"\x89PNG") and b"Software" not in a
    s1 = render(figure_sweep(run.sweep), "svg")
    s2 = render(figure_sweep(run.sweep), "svg")
    assert s1 == s2 and b"<dc:date>" not in s1 and b"Matplotlib v" not in s1


def test_stable_svg_ids_renumber_hashed_ids_everywhere():
    svg = (
        b'<clipPath id="p0123456789"/><g clip-path="url(#p0123456789)"/>'
        b'<path id="mabcdef0123"/><use xlink:href="#mabcdef0123"/>'
    )
    out = stable_svg_ids(svg)
    assert b"0123456789" not in out and b"abcdef0123" not in out
    assert out.count(b"pseatsim0") == 2 and out.count(b"mseatsim1") == 2


@pytest.mark.parametrize("stem, columns", [("kyrgyzstan-2010", 3), ("kyrgyzstan-2020", 9)])
def test_comparison_figure_is_as_wide_as_its_columns(stem, columns):
    # Issue 18, item 6: with few rule sets half the width was empty. The table now ends
    # near the right edge of the figure, its last rotated header inside it.
    from simulate.plots import freeze_layout

    comparison = run_scenario(Scenario.load(ROOT / "scenarios" / f"{stem}.toml")).comparison
    fig = freeze_layout(figure_comparison(comparison))
    width = fig.get_size_inches()[0]
    ax = fig.axes[0]
    assert len(ax.get_xticklabels()) == columns
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    box = ax.get_tightbbox(FigureCanvasAgg(fig).get_renderer())
    right = box.x1 / fig.dpi
    assert right <= width  # nothing cut
    assert width - right < 0.35  # no empty band at the right
    assert width == pytest.approx(6.5) if columns == 9 else width < 5


# ---------------------------------------------------------------------------------------------
# image comparison against committed baselines (locked style, DejaVu Sans, fixed dpi)

TOLERANCE = 2.0
"""Largest RMS difference allowed, on the 0–255 scale, over every pixel and channel: room for
anti-aliasing differences between FreeType builds, far below any change a reader would see
(a moved label or a different colour gives tens)."""

BASELINE_DPI = 50


def _baselines(run):
    hand = run_scenario(Scenario.load(HAND))
    return {
        "hemicycle-kyrgyzstan-2020": lambda: figure_hemicycle(run.comparison),
        "sweep-hand-count": lambda: figure_sweep(hand.sweep, label="in force"),
        "compare-kyrgyzstan-2020": lambda: figure_comparison(run.comparison),
    }


@pytest.mark.parametrize(
    "name", ["hemicycle-kyrgyzstan-2020", "sweep-hand-count", "compare-kyrgyzstan-2020"]
)
def test_image_matches_the_committed_baseline(name, run, tmp_path):
    png = render(_baselines(run)[name](), "png", dpi=BASELINE_DPI)
    expected = BASELINE / f"{name}.png"
    actual = BASELINE / f"{name}.actual.png"
    if os.environ.get("SEATSIM_UPDATE_BASELINES"):
        expected.write_bytes(png)
    tmp = tmp_path / "actual.png"
    tmp.write_bytes(png)
    want, got = mpimg.imread(expected), mpimg.imread(tmp)
    if want.shape != got.shape:
        actual.write_bytes(png)
        pytest.fail(
            f"{name}: size {got.shape} differs from the baseline {want.shape}; wrote {actual}"
        )
    rms = float(np.sqrt(np.mean((255 * (want - got)) ** 2)))
    if rms > TOLERANCE:
        actual.write_bytes(png)
        pytest.fail(f"{name}: RMS difference {rms:.2f} > {TOLERANCE}; wrote {actual}")
    if actual.exists():
        actual.unlink()


def test_house_style_is_locked_whatever_the_user_rc(run):
    with matplotlib.rc_context(
        {"font.size": 20, "axes.spines.top": True, "font.sans-serif": ["Liberation Sans"]}
    ):
        png = render(figure_hemicycle(run.comparison), "png", dpi=40)
    assert png == render(figure_hemicycle(run.comparison), "png", dpi=40)
    assert DPI == 200


def test_monte_carlo_figures_of_draws_that_could_not_be_filled():
    # Two lists, shares uniform on [0, 1], a 60% threshold: in about 20% of the draws no list
    # passes. The bars are shares of the filled draws (they sum to 100%), and the subtitle
    # and source line say how many were left out.
    from simulate import Rules, run_montecarlo
    from simulate.montecarlo.models import ModelSpec
    from simulate.montecarlo.spec import MonteCarloSpec
    from simulate.plots import figure_changes

    e = Election.from_votes({"A": 700_000, "B": 300_000}, name="two lists")
    sim = run_montecarlo(
        e,
        [("60%", Rules(seats=11, threshold="60%"))],
        MonteCarloSpec(draws=2000, seed=8, model=ModelSpec(kind="uniform")),
    )
    gone = int(sim.tally.unfilled[0])
    assert 300 < gone < 500
    ax = plot_changes(sim)
    bars = next(c for c in ax.containers if c.get_label() == "_draws")
    assert sum(b.get_height() for b in bars) == pytest.approx(100)
    fig = figure_changes(sim)
    texts = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")  # (wrapped lines)
    assert f"{gone:,} of the 2,000 could not be under these rules and are left out" in texts
    assert f"{gone:,} draws ({100 * gone / 2000:.1f}%) whose seats could not be filled" in texts


def test_a_rule_set_that_fills_no_draw_gets_an_empty_panel_that_says_so():
    # At the Monte Carlo's 20% only A and B pass (60/30/10 around the reported count), and a
    # cap of 5 leaves 1 of 11 seats that no list may take, in every draw; without the cap
    # every draw is filled.
    from simulate import Rules, run_montecarlo
    from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation
    from simulate.plots import figure_changes, figure_list_seats

    e = Election.from_votes({"A": 600_000, "B": 300_000, "C": 100_000}, name="three lists")
    rules = Rules(seats=11)
    sim = run_montecarlo(
        e,
        [("open", rules), ("cap 5", rules.replace(max_seats=5))],
        MonteCarloSpec(draws=500, seed=2, threshold=ThresholdVariation.fixed(Fraction(1, 5))),
    )
    assert sim.filled(0) == 500 and sim.filled(1) == 0
    fig = figure_changes(sim)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles[1] == "cap 5: no draw could be filled"
    assert any(t.get_text() == "no draw could be filled under cap 5" for t in fig.axes[1].texts)
    assert fig.axes[0].get_yticks().size > 0  # the shared axes keep their ticks
    fig = figure_list_seats(sim, 1)
    assert any(t.get_text() == "no draw could be filled under cap 5" for t in fig.axes[0].texts)
