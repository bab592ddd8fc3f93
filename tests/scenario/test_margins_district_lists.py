"""A list's margins in one district with the national threshold moving (issue 16, item 5):
votes added or lost in a district count in the list's national votes and in the national
base, so lists can pass or fail the national threshold on the way. Each value is checked on
the plain reference (``simulate.reference.allocate_one``) over every way of breaking the ties
of every district: at the value the list's seats in the house change outright, one vote
fewer they do not; on tiny elections every count below the value is checked too."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from simulate import Election, Party, Rules, TieError, allocate_districts, get_method
from simulate.district import District
from simulate.reference import allocate_one
from simulate.scenario.margin_districts import district_margins
from simulate.threshold import min_votes


def _election(votes: np.ndarray, seats: list[int]) -> Election:
    names = [f"L{i}" for i in range(votes.shape[1])]
    districts = tuple(
        District(name=f"D{j}", seats=s, votes={n: int(v) for n, v in zip(names, votes[j])})
        for j, s in enumerate(seats)
    )
    parties = tuple(Party(name=n, votes=int(votes[:, i].sum())) for i, n in enumerate(names))
    return Election(name="test", parties=parties, seats=sum(seats), districts=districts)


def _every_way(votes: np.ndarray, seats: list[int], rules: Rules, i: int):
    """List i's fewest and most seats in the house over every way of breaking the ties of
    every district (each district's ties broken independently), or None when a district
    cannot be filled. The national threshold is on the lists' summed votes."""
    method = get_method(rules.method)
    need = min_votes(rules.threshold, int(votes.sum()), rules.strict)
    passed = votes.sum(0) >= need
    low = high = 0
    for j, row in enumerate(votes):
        local = min_votes(rules.district_threshold or Fraction(0), int(row.sum()), rules.strict)
        kept = [int(v) if ok and v >= local else 0 for v, ok in zip(row, passed, strict=True)]
        got = []
        for order in itertools.permutations(range(len(row))):
            out, _ = allocate_one(method, kept, seats[j], priority=list(order))
            if out is None:
                return None
            got.append(out[i])
        low, high = low + min(got), high + max(got)
    return low, high


def _outright(votes, seats, rules, i, s0, sign) -> tuple[bool, bool]:
    """(the change is sure, the change is possible by some tie-break)."""
    found = _every_way(votes, seats, rules, i)
    if found is None:
        return False, False
    low, high = found
    return (low > s0, high > s0) if sign > 0 else (high < s0, low < s0)


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague", "hare"])
def test_every_value_at_the_value_and_one_vote_below(method):
    rng = np.random.default_rng(1)
    checked = moved = 0
    for _ in range(10):
        votes = rng.integers(0, 300, size=(3, 4))
        seats = [int(s) for s in rng.integers(1, 5, size=3)]
        rules = Rules(seats=sum(seats), method=method, threshold="12%", district_threshold="4%")
        try:
            m = district_margins(_election(votes, seats), rules, pairs=False)
        except TieError:
            continue
        flagged = {(d, n) for d, n, _ in m.national_moves}
        for d in range(3):
            for i in range(4):
                lm, s0 = m.districts[d][i], m.totals[i].seats
                for count, sign in ((lm.votes_to_gain_seat, 1), (lm.votes_to_lose_seat, -1)):
                    if count is None:
                        continue
                    v = votes.copy()
                    v[d, i] += sign * count
                    assert _outright(v, seats, rules, i, s0, sign)[0]
                    v[d, i] -= sign
                    assert not _outright(v, seats, rules, i, s0, sign)[0]
                    checked += 1
                    moved += (f"D{d}", f"L{i}") in flagged
    assert checked > 100 and moved > 10  # the national outcome moves at many of them


@pytest.mark.parametrize("method", ["dhondt", "hare", "modified-sainte-lague"])
def test_every_count_below_the_value_on_tiny_elections(method):
    # the outright change and the tie before it, count by count (gains up to 400 votes)
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(4):
        votes = rng.integers(0, 40, size=(2, 3))
        seats = [int(s) for s in rng.integers(1, 4, size=2)]
        rules = Rules(seats=sum(seats), method=method, threshold="20%", district_threshold="8%")
        try:
            m = district_margins(_election(votes, seats), rules, pairs=False)
        except TieError:
            continue
        for d, i, sign in itertools.product(range(2), range(3), (1, -1)):
            lm, s0 = m.districts[d][i], m.totals[i].seats
            if sign > 0:
                count, tie, top = lm.votes_to_gain_seat, lm.votes_to_tie_seat, 400
            else:
                count, tie, top = lm.votes_to_lose_seat, lm.votes_to_tie_loss, int(votes[d, i])
            first = first_tie = None
            for x in range(1, top + 1):
                v = votes.copy()
                v[d, i] += sign * x
                sure, maybe = _outright(v, seats, rules, i, s0, sign)
                if sure:
                    first = x
                    break
                if maybe and first_tie is None:
                    first_tie = x
            assert (count, tie) == (first, first_tie), (d, i, sign)
            checked += 1
    assert checked >= 24


def test_a_small_district_is_searched_as_far_as_the_national_threshold():
    # D0 (5 seats): L0 50,000, L1 40,000, L2 1,000; D1 (2 seats): 10 votes each. L2 holds
    # 1,010 of 91,030 votes, 10% needed: with x more in D1, 10·(1,010 + x) ≥ 91,030 + x,
    # x ≥ 8,992.2: at 8,993 it passes and takes both of D1's seats by d'Hondt (9,003 and
    # 4,501.5 against 10, 10); D0 stays L0 3, L1 2 (50,000, 40,000, 25,000, 20,000, 16,667).
    # D1's own breakpoints end long before (30 votes, 2 seats): the search goes on past them
    votes = np.array([[50_000, 40_000, 1_000], [10, 10, 10]])
    m = district_margins(_election(votes, [5, 2]), Rules(seats=7, method="dhondt", threshold="10%"))
    assert m.districts[1][2].votes_to_gain_seat == 8993
    assert ("D1", "L2", "L2 passes the national threshold") in m.national_moves
    v = votes.copy()
    v[1, 2] += 8993
    assert _every_way(v, [5, 2], m.allocation.rules, 2) == (2, 2)


def _blank_election(c_votes: int) -> Election:
    a, blank = 970, 20
    return Election(
        name="blank",
        parties=(Party("A", a), Party("C", c_votes)),
        districts=(District("d", 33, {"A": a, "C": c_votes}, blank=blank),),
    )


def test_a_district_threshold_on_valid_votes_counts_the_blank_ballots():
    # One district of 33 seats: A 970, C 30, 20 blank ballots; 3% of the district's valid votes
    # (lists + blank, Spain's base) to take part. Valid votes 1,020: 3% is 30.6, so C (30) is
    # out and A holds all 33. One more vote for C makes the base 1,021 (3%: 30.63) and C's 31
    # reach it; C's 31 then beat A's 33rd d'Hondt quotient 970/33 = 29.4: C takes a seat. So
    # C's margin to gain a seat is exactly 1 on valid votes. On the lists' votes alone (1,000:
    # 3% is 30) C already takes part and holds a seat (32/1).
    rules = Rules(
        seats=33, method="dhondt", district_threshold="3%", district_threshold_base="valid"
    )
    found = district_margins(_blank_election(30), rules, pairs=False)
    assert found.allocation.totals.tolist() == [33, 0]
    assert found.districts[0][1].votes_to_gain_seat == 1
    # checked at the value and one vote below, by allocating
    assert allocate_districts(_blank_election(31), rules).totals.tolist() == [32, 1]
    assert allocate_districts(_blank_election(30), rules).totals.tolist() == [33, 0]
    on_lists = district_margins(
        _blank_election(30), rules.replace(district_threshold_base="party-votes"), pairs=False
    )
    assert on_lists.allocation.totals.tolist() == [32, 1]
