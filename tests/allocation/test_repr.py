"""``repr`` of the result objects is one short line (``print(res)`` used to dump the whole
election, thousands of characters)."""

from pathlib import Path

import numpy as np

from simulate import Election, Rules, allocate, run_montecarlo
from simulate.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]
KG = Election.load(ROOT / "seeds" / "kyrgyzstan-2020.toml")


def test_allocation_repr_names_the_rules_and_the_seats():
    res = allocate(
        KG, Rules(seats=120, threshold="7%", threshold_base="participants", max_seats=65)
    )
    assert repr(res) == (
        "Allocation(hare, 120 seats, 7% of participants, at most 65: Birimdik 46, "
        "Mekenim Kyrgyzstan 45, Kyrgyzstan 16, Butun Kyrgyzstan 13)"
    )
    assert str(res) == repr(res)


def test_allocation_repr_cuts_long_lists_and_says_strict_regional_and_ties():
    res = allocate(KG, Rules(seats=120, method="dhondt", threshold="1%", threshold_comparison=">"))
    text = repr(res)
    # 13 lists hold seats at 1% of the lists' votes: six are named, and how many more there are
    assert text.startswith("Allocation(dhondt, 120 seats, more than 1% of party votes: Birimdik")
    assert text.endswith(", … 7 more)")
    assert len(text) < 200
    regional = allocate(KG, Rules(seats=120, threshold="7%", regional_threshold="0.7%"))
    assert "7% of party votes, 0.7% in every region:" in repr(regional)
    tied = Election.from_votes({"A": 360, "B": 280}, name="tie")
    lot = allocate(tied, Rules(seats=15, method="dhondt", ties="lot"), rng=np.random.default_rng(3))
    assert repr(lot) in (
        "Allocation(dhondt, 15 seats: A 9, B 6; tie for 1 seat decided by lot)",
        "Allocation(dhondt, 15 seats: A 8, B 7; tie for 1 seat decided by lot)",
    )


def test_simulation_repr_is_one_short_line():
    sc = Scenario.load(ROOT / "scenarios" / "kyrgyzstan-2020.toml")
    spec = sc.montecarlo_spec().replace(draws=500)
    sim = run_montecarlo(sc.election, sc.rule_sets(), spec, seed=7)
    text = repr(sim)
    assert text.startswith(
        "Simulation(500 draws, seed 7, dirichlet; rule sets: in force, d'Hondt, party votes, 5%;"
        " mean seats (in force): Birimdik 4"
    )
    assert "\n" not in text and len(text) < 300
    mean = sim.mean_seats(0)
    assert f"Kyrgyzstan {mean[2]:.1f}" in text
    assert "Ordo" not in text  # no seat in any draw: not named
    assert str(sim) == text
