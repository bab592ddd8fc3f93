"""Margins against the plain reference (``simulate.reference.allocate_one``): every method
on a fixed election, random small elections for every method with thresholds on every base,
caps and minimums (Hypothesis), and every shipped scenario under each of its rule sets."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulate import METHOD_NAMES, Election, Rules, allocate, get_method, margins
from simulate.errors import InfeasibleError, TieError
from simulate.reference import allocate_one
from simulate.scenario.file import Scenario
from simulate.threshold import min_votes

ROOT = Path(__file__).resolve().parents[2]


def election(votes, **counts) -> Election:
    return Election.from_votes({f"L{i}": v for i, v in enumerate(votes)}, **counts)


BRUTE = 400
"""Counts below a margin are checked one by one up to this many; beyond it, the count just
below the margin is."""


def _seats(election, rules, votes, base, favour=None, against=None):
    method = get_method(rules.method)
    n = len(votes)
    prio = None
    if favour is not None or against is not None:
        prio = list(range(n - 1, -1, -1))
        if favour is not None:
            prio[favour] = n
        if against is not None:
            prio[against] = -1
    return allocate_one(
        method,
        list(votes),
        rules.seats,
        threshold=rules.threshold,
        base=base,
        strict=rules.strict,
        max_seats=rules.max_seats,
        min_seats=rules.min_seats,
        priority=prio,
    )


def _base(election, rules, votes, change):
    """The threshold base after ``change`` votes were added (negative: removed) to a list:
    the lists' votes count them, so do participants and valid votes; registered voters not."""
    if rules.threshold_base == "party-votes":
        return sum(votes)
    fixed = election.base(rules.threshold_base)
    return fixed if rules.threshold_base == "registered" else fixed + change


def _state(election, rules, i, x, up):
    """(list i's seats change however ties are broken, they change only by some tie-breaks)
    at x votes added (``up``) or removed."""
    v = [p.votes for p in election.parties]
    v[i] += x if up else -x
    base = _base(election, rules, v, x if up else -x)
    s0 = allocate(election, rules.replace(ties="error")).seats[i]
    seats, tied = _seats(election, rules, v, base)
    if seats is None:
        return False, False
    favour, against = seats, seats
    if tied:  # the seats of list i when ties go its way, and against it
        favour, _ = _seats(election, rules, v, base, favour=i)
        against, _ = _seats(election, rules, v, base, against=i)
        if favour is None or against is None:
            return False, False
    if rules.max_seats is not None or rules.min_seats:  # see simulate.scenario.margins

        def moved(s):
            return s[i] > s0 if up else s[i] < s0

        maybe = moved(seats) or moved(favour) or moved(against)
        return moved(seats) and not tied, maybe and not (moved(seats) and not tied)
    if up:
        sure, maybe = against[i] > s0, favour[i] > s0
    else:
        sure, maybe = favour[i] < s0, against[i] < s0
    return sure, maybe and not sure


def _check_first(value, at, limit):
    """``value`` is the first count where at(x) holds: it holds there and not below (every
    count below up to ``BRUTE``, else the one just below)."""
    if value is None:
        assert not any(at(x) for x in range(1, min(limit, BRUTE) + 1))
        return
    assert at(value)
    below = range(1, value) if value <= BRUTE else [value - 1]
    assert not any(at(x) for x in below)


def _check_list(el, rules, lm):
    i = el.names.index(lm.name)
    vi = el.parties[i].votes
    big = 10 * BRUTE
    _check_first(lm.votes_to_gain_seat, lambda x: _state(el, rules, i, x, True)[0], big)
    _check_first(lm.votes_to_lose_seat, lambda x: _state(el, rules, i, x, False)[0], vi)
    if lm.votes_to_tie_seat is not None:
        _check_first(lm.votes_to_tie_seat, lambda x: _state(el, rules, i, x, True)[1], big)
    if lm.votes_to_tie_loss is not None:
        _check_first(lm.votes_to_tie_loss, lambda x: _state(el, rules, i, x, False)[1], vi)

    def passes(x, up):
        v = [p.votes for p in el.parties]
        v[i] += x if up else -x
        base = _base(el, rules, v, x if up else -x)
        return v[i] > 0 and v[i] >= min_votes(rules.threshold, base, rules.strict)

    if lm.votes_to_pass_threshold is not None:
        _check_first(lm.votes_to_pass_threshold, lambda x: passes(x, True), big)
    if lm.votes_to_fail_threshold is not None:
        _check_first(lm.votes_to_fail_threshold, lambda x: not passes(x, False), vi)


def _check_pair(el, rules, pm):
    f, g = el.names.index(pm.source), el.names.index(pm.target)
    s0 = list(allocate(el, rules.replace(ties="error")).seats)

    def state(x):
        v = [p.votes for p in el.parties]
        v[f] -= x
        v[g] += x
        return _seats(el, rules, v, _base(el, rules, v, 0))

    def changed(x):
        seats, tied = state(x)
        return seats is not None and not tied and list(seats) != s0

    _check_first(pm.ballots, changed, el.parties[f].votes)
    if pm.ballots is not None:
        after = state(pm.ballots)[0]
        assert {el.names[j]: after[j] - s0[j] for j in range(len(s0)) if after[j] != s0[j]} == dict(
            pm.changes
        )
    if pm.ballots_to_tie is not None:
        _check_first(
            pm.ballots_to_tie,
            lambda x: state(x)[0] is not None and state(x)[1],
            el.parties[f].votes,
        )


@st.composite
def small_elections(draw):
    n = draw(st.integers(2, 4))
    votes = draw(st.lists(st.integers(0, 150), min_size=n, max_size=n))
    assume(sum(votes) > 0)
    seats = draw(st.integers(1, 8))
    method = draw(st.sampled_from(METHOD_NAMES))
    threshold = draw(
        st.sampled_from([Fraction(0), Fraction(1, 20), Fraction(1, 8), Fraction(1, 4)])
    )
    cap = draw(st.one_of(st.none(), st.integers(1, seats)))
    low = draw(st.one_of(st.none(), st.integers(0, 2)))
    if cap is not None and low is not None and low > cap:
        low = cap
    strict = draw(st.booleans())
    base = draw(st.sampled_from(["party-votes", "participants", "registered"]))
    others = draw(st.integers(0, 60))  # voters who took part but chose no list
    rules = Rules(
        seats=seats,
        method=method,
        threshold=threshold,
        threshold_base=base,
        max_seats=cap,
        min_seats=low,
        threshold_comparison=">" if strict else ">=",
    )
    el = election(votes, participants=sum(votes) + others, registered=2 * sum(votes) + others)
    return el, rules


def _check_closest(el, rules, m):
    """Every closest call is the smallest count, over every ordered pair, at which the
    holders differ without a tie; a kind not reported changes on no pair."""
    h = rules.seats
    s0 = list(allocate(el, rules.replace(ties="error")).seats)
    tests = {
        "majority": lambda s: tuple(j for j, x in enumerate(s) if 2 * x > h),
        "two-thirds": lambda s: tuple(j for j, x in enumerate(s) if 3 * x >= 2 * h),
        "parliament": lambda s: tuple(j for j, x in enumerate(s) if x > 0),
    }
    got = {c.kind: c.ballots for c in m.closest}
    for kind, holders in tests.items():
        best = None
        for f in range(len(s0)):
            for g in range(len(s0)):
                if f == g:
                    continue
                for x in range(1, el.parties[f].votes + 1):
                    if best is not None and x >= best:
                        break
                    v = [p.votes for p in el.parties]
                    v[f] -= x
                    v[g] += x
                    seats, tied = _seats(el, rules, v, _base(el, rules, v, 0))
                    if seats is not None and not tied and holders(seats) != holders(s0):
                        best = x
                        break
        assert got.get(kind) == best, kind


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_every_method_has_a_hand_checked_gain(method):
    # one fixed election per method, checked count by count (the property below draws the
    # methods at random; this makes sure each is exercised)
    el, rules = election([97, 55, 23]), Rules(seats=6, method=method)
    m = margins(el, rules)
    for lm in m.lists:
        _check_list(el, rules, lm)
    for pm in m.pairs:
        _check_pair(el, rules, pm)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(small_elections())
def test_margins_match_the_reference_count_by_count(case):
    el, rules = case
    try:
        m = margins(el, rules)
    except (TieError, InfeasibleError):
        assume(False)
        return
    for lm in m.lists:
        _check_list(el, rules, lm)
    for pm in m.pairs:
        _check_pair(el, rules, pm)
    _check_closest(el, rules, m)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_checked_against_the_reference(path, monkeypatch):
    # every list of every shipped scenario under each of its rule sets ([rules] and every
    # [[compare]]: Hare, d'Hondt, Sainte-Laguë, caps, thresholds on several bases): each
    # margin holds at its value and not one vote below, by the reference
    monkeypatch.setitem(globals(), "BRUTE", 1)
    sc = Scenario.load(path)
    if sc.election.districts:  # (districted margins: test_margins_districts.py)
        pytest.skip("a districted election: margins() serves one constituency")
    for _, rules in sc.rule_sets():
        # margins() refuses a rounded quota; the reference has one threshold, not one per kind
        # (Slovakia 2020: its per-kind margins are checked by hand in test_slovakia_2020.py)
        if rules.quota_rounding != "exact" or rules.kind_thresholds:
            continue
        m = margins(sc.election, rules)
        for lm in m.lists:
            _check_list(sc.election, rules, lm)
        for pm in m.pairs[:: max(1, len(m.pairs) // 20)]:  # a spread of 20 pairs
            _check_pair(sc.election, rules, pm)
