"""The Monte Carlo figures of a districted run: the per-district chart of mean seats changing
hands (bars equal ``DistrictSimulation.district_changed``, whiskers its standard errors), and
the one-constituency figures drawn on the totals through ``DistrictTotals``; every source
line names the model with both σ.

The example (d'Hondt, hand-worked): D1, 3 seats, A 600, B 310, C 90 -> A 2, B 1; D2, 2
seats, A 200, B 390, C 410 -> B 1, C 1."""

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from simulate import plots
from simulate.election import Election
from simulate.montecarlo.district_run import run_district_montecarlo
from simulate.montecarlo.models import ModelSpec
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.plots.mc_districts import (
    DistrictTotals,
    figure_district_mc_changes,
    plot_district_mc_changes,
)
from simulate.rules import Rules

MODEL_WORDS = "national swing σ=0.2 shared by all districts + district noise σ=0.1"


def simulation(sigma_national=0.2, sigma_district=0.1, draws=400):
    e = Election.from_mapping(
        {
            "name": "example",
            "district": [
                {"name": "D1", "seats": 3, "votes": {"A": 600, "B": 310, "C": 90}},
                {"name": "D2", "seats": 2, "votes": {"A": 200, "B": 390, "C": 410}},
            ],
        },
        "example",
    )
    model = ModelSpec(
        kind="district-swing", sigma_national=sigma_national, sigma_district=sigma_district
    )
    spec = MonteCarloSpec(draws=draws, model=model)
    return run_district_montecarlo(e, Rules(seats=5, method="dhondt"), spec, seed=3)


def texts(fig):
    return [" ".join(t.get_text().split()) for t in fig.texts]


def test_district_bars_are_the_means_with_their_errors():
    sim = simulation()
    ax = plot_district_mc_changes(sim)
    bars = {
        p.get_label()[len("_mean:") :]: p.get_width()
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_label().startswith("_mean:")
    }
    mean, se = sim.district_changed()
    assert bars == pytest.approx({"D1": mean[0], "D2": mean[1]})
    assert mean.sum() > 0 and (se > 0).all()  # σ moves seats here
    # file order, top down: D1 on the upper row
    assert {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()} == {"D1": 1, "D2": 0}


def test_figures_name_the_model():
    sim = simulation()
    fig = figure_district_mc_changes(sim, heading="Example")
    assert any(MODEL_WORDS in t for t in texts(fig)), texts(fig)
    totals = DistrictTotals(sim, (800, 700, 500), "law")
    for fig in (plots.figure_changes(totals), plots.figure_list_seats(totals)):
        assert any(MODEL_WORDS in t for t in texts(fig)), texts(fig)


def test_totals_with_no_noise_are_the_baseline():
    sim = simulation(0, 0, draws=50)
    totals = DistrictTotals(sim, (800, 700, 500), "law")
    # A 2, B 2, C 1 in every draw (the hand-worked baseline)
    assert totals.seat_hist()[:, :3].tolist() == [[0, 0, 50], [0, 0, 50], [0, 50, 0]]
    assert totals.interval().tolist() == [[2, 2], [2, 2], [1, 1]]
    assert np.array_equal(totals.changes_hist(), [50] + [0] * 10)
    assert totals.mean_changes() == 0
    fig = plots.figure_changes(totals)
    assert any("0 seats would change hands" in t for t in texts(fig)), texts(fig)
