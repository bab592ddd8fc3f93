"""simulate.metrics: the worked values of reference/methods.md ("Metrics") and the Kyrgyz 2020
count of reference/elections.md."""

import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate import metrics
from simulate.allocation import allocate
from simulate.election import Election
from simulate.rules import Rules
from simulate.scenario.measures import measure

ROOT = Path(__file__).resolve().parents[2]


def test_gallagher_worked_example():
    # methods.md: vote shares 42/31/17/10 against seat shares 48/28/18/6 give sqrt(31) = 5.5678
    value = metrics.gallagher([42, 31, 17, 10], [48, 28, 18, 6])
    assert value == pytest.approx(math.sqrt(31))
    assert round(value, 4) == 5.5678


def test_gallagher_takes_shares_of_counts():
    # the same example given as vote and seat counts of a 200-seat house
    assert metrics.gallagher([4200, 3100, 1700, 1000], [96, 56, 36, 12]) == pytest.approx(
        math.sqrt(31)
    )


def test_loosemore_hanby_same_example():
    # methods.md: ½ Σ |v% − s%| = ½ (6 + 3 + 1 + 4) = 7
    assert metrics.loosemore_hanby([42, 31, 17, 10], [48, 28, 18, 6]) == pytest.approx(7.0)


def test_effective_number_of_parties_worked_values():
    # methods.md: shares (0.4, 0.3, 0.2, 0.1) give 10/3; (0.75, 0.25) give 1.6
    assert metrics.effective_number_of_parties([0.4, 0.3, 0.2, 0.1]) == pytest.approx(10 / 3)
    assert metrics.effective_number_of_parties([75, 25]) == pytest.approx(1.6)


def test_seats_changing_hands():
    # methods.md: ½ Σ |s_i − s'_i|
    assert metrics.seats_changing_hands([46, 45, 16, 13, 0], [41, 40, 15, 12, 12]) == 12
    assert metrics.seats_changing_hands([5, 5], [5, 5]) == 0
    assert metrics.seats_changing_hands([3, 0], [2, 0]) == 0.5  # different houses


def test_wasted_votes_counts_other_ballots():
    assert metrics.wasted_votes([50, 30, 20], [3, 1, 0]) == 20
    assert metrics.wasted_votes([50, 30, 20], [3, 1, 0], other=7) == 27
    assert metrics.wasted_share([50, 30, 20], [3, 1, 0], base=200, other=20) == pytest.approx(0.2)


def test_majority_and_two_thirds_are_exact():
    assert metrics.majority_holder([61, 59]) == 0  # 61 of 120 is more than half
    assert metrics.majority_holder([60, 60]) is None  # exactly half is not a majority
    assert metrics.two_thirds_holder([80, 40]) == 0  # 80 of 120 is two thirds
    assert metrics.two_thirds_holder([79, 41]) is None
    assert metrics.holder([30, 70], Fraction(7, 10), strict=False) == 1


def test_bad_inputs_are_errors():
    with pytest.raises(ValueError):
        metrics.gallagher([1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        metrics.effective_number_of_parties([0, 0])


@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=8).filter(lambda v: sum(v) > 0))
def test_identical_shares_are_perfectly_proportional(votes):
    assert metrics.gallagher(votes, votes) == pytest.approx(0, abs=1e-9)
    assert metrics.loosemore_hanby(votes, votes) == pytest.approx(0, abs=1e-9)
    assert (
        metrics.gallagher(votes, votes[::-1]) <= metrics.loosemore_hanby(votes, votes[::-1]) + 1e-9
    )


@given(st.lists(st.integers(0, 50), min_size=2, max_size=8))
def test_seats_changing_hands_is_a_symmetric_whole_number(seats):
    other = sorted(seats)
    moved = metrics.seats_changing_hands(seats, other)
    assert moved == metrics.seats_changing_hands(other, seats)
    assert isinstance(moved, int) and moved >= 0


def test_kyrgyzstan_2020_wastes_about_a_third():
    # elections.md / methods.md: "around a third of the ballots elected nobody"; on the base of
    # voters who took part (1,990,753), the four seated lists hold 1,279,314 votes.
    e = Election.load(ROOT / "seeds/kyrgyzstan-2020.toml")
    result = allocate(
        e, Rules(seats=120, threshold="7%", threshold_base="participants", max_seats=65)
    )
    m = measure(result)
    assert m.wasted_votes == 1_990_753 - 1_279_314 == 711_439
    assert m.wasted_share == pytest.approx(0.3574, abs=1e-4)
    assert m.majority is None and m.two_thirds is None


def test_wasted_votes_follow_the_threshold_base():
    # methods.md: wasted votes include against-all and invalid ballots where the base counts
    # them. Lists A 60 and B 30 (B fails); 10 more ballots took part; 200 registered.
    e = Election.from_votes({"A": 60, "B": 30}, participants=100, registered=200)

    def wasted(base, threshold):
        m = measure(allocate(e, Rules(seats=3, threshold=threshold, threshold_base=base)))
        return m.wasted_base, m.wasted_votes, m.wasted_base_votes

    assert wasted("party-votes", "40%") == ("party-votes", 30, 90)
    assert wasted("participants", "40%") == ("participants", 40, 100)
    # registered voters include people who did not vote: counted against participants
    assert wasted("registered", "20%") == ("participants", 40, 100)
