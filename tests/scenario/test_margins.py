"""Margins (``simulate.margins``, in ``simulate/scenario/margins.py``): hand-worked cases, the
Kyrgyz 2020 seed, and a property over random small elections checked count by count against the
plain reference (``simulate.reference.allocate_one``).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulate import METHOD_NAMES, Election, Rules, allocate, get_method, margins
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.reference import allocate_one
from simulate.scenario.file import Scenario
from simulate.threshold import min_votes

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
KG2020 = ROOT / "scenarios" / "kyrgyzstan-2020.toml"


def election(votes, **counts) -> Election:
    return Election.from_votes({f"L{i}": v for i, v in enumerate(votes)}, **counts)


# -- hand-worked cases --------------------------------------------------------------------------


def test_dhondt_three_lists_by_hand():
    # d'Hondt, 5 seats, votes A 700, B 300, C 100. Quotients: A 700, 350, 233⅓, 175, 140;
    # B 300, 150; C 100. The five largest: 700, 350, 300, 233⅓, 175 → A 4, B 1, C 0; the
    # last seat is won at 175 (A's 4th) and the best loser is 150 (B's 2nd).
    # B gains when (300 + x)/2 > 175, x > 50: a tie at 50, outright at 51.
    # C gains when 100 + x > 175: tie at 75, outright at 76.
    # A loses its 4th when (700 − x)/4 < 150, x > 100: tie at 100, outright at 101.
    # A gains a 5th when (700 + x)/5 > 300 (B's 1st, the lowest other winner): tie at 800.
    # B loses its seat when 300 − x < 140 (A's 5th, the best loser): tie at 160.
    m = margins(election([700, 300, 100]), Rules(seats=5, method="dhondt"))
    a, b, c = m.lists
    assert (a.seats, b.seats, c.seats) == (4, 1, 0)
    assert (b.votes_to_tie_seat, b.votes_to_gain_seat) == (50, 51)
    assert (c.votes_to_tie_seat, c.votes_to_gain_seat) == (75, 76)
    assert (a.votes_to_tie_loss, a.votes_to_lose_seat) == (100, 101)
    assert (a.votes_to_tie_seat, a.votes_to_gain_seat) == (800, 801)
    assert (b.votes_to_tie_loss, b.votes_to_lose_seat) == (160, 161)
    assert c.votes_to_lose_seat is None and c.votes_to_tie_loss is None
    assert a.votes_to_pass_threshold is None and a.votes_to_fail_threshold is None
    # Moving ballots C → B: B's 2nd quotient (300 + x)/2 passes 175 at x > 50 as above,
    # and C's seat count (0) cannot fall: tie at 50, outright at 51, B takes A's 4th seat.
    p = m.pair("L2", "L1")
    assert (p.ballots_to_tie, p.ballots) == (50, 51)
    assert dict(p.changes) == {"L0": -1, "L1": 1}


def test_hare_three_lists_by_hand():
    # Hare, 10 seats, votes A 4,700, B 3,400, C 1,900 (total 10,000, quota 1,000): quotas
    # 4.7, 3.4, 1.9 → floors 4, 3, 1 and the two seats left go to C (.9) and A (.7): 5, 3, 2.
    # B gains x new votes: total 10,000 + x; remainders over the common denominator
    # 10,000 + x are A 7,000 − 4x, B 4,000 + 7x, C 9,000 − x (floors unchanged for x < 1,000).
    # B passes A when 4,000 + 7x > 7,000 − 4x, x > 272.7: outright at 273, never a tie.
    # A loses x votes: remainders over 10,000 − x are A 7,000 − 6x, B 4,000 + 3x,
    # C 9,000 + x (C's floor stays 1 below x = 500): B passes A at x > 333.3, so 334.
    m = margins(election([4700, 3400, 1900]), Rules(seats=10, method="hare"))
    a, b, _ = m.lists
    assert [x.seats for x in m.lists] == [5, 3, 2]
    assert (b.votes_to_gain_seat, b.votes_to_tie_seat) == (273, None)
    assert (a.votes_to_lose_seat, a.votes_to_tie_loss) == (334, None)


def test_threshold_margins_by_hand():
    # 10% of the lists' votes; votes 500, 400, 60, 40 (total 1,000; bar 100).
    # L2 (60) passes after x new votes when 60 + x ≥ (1,000 + x)/10, 9x ≥ 400: x = 45
    # (44 gives 104 < 104.4). L1 (400) fails after losing x when 400 − x < (1,000 − x)/10,
    # 9x > 3,000: x = 334.
    m = margins(election([500, 400, 60, 40]), Rules(seats=10, method="dhondt", threshold="10%"))
    assert m.of("L2").votes_to_pass_threshold == 45
    assert m.of("L1").votes_to_fail_threshold == 334
    assert m.of("L0").votes_to_pass_threshold is None
    assert m.of("L2").votes_to_fail_threshold is None


def test_kyrgyzstan_2020_threshold_and_closest_calls():
    # README and seed: Mekenchil had 136,276 votes, 6.85% of 1,990,753 participants, short
    # of the 7% bar (139,353) by 3,077. Ballots moved to it from another list leave the
    # base alone: 3,077 is then exactly enough. New voters raise the bar as well:
    # 136,276 + x ≥ 0.07·(1,990,753 + x) ⇔ 0.93x ≥ 3,076.71 ⇔ x ≥ 3,308.3, so 3,309.
    sc = Scenario.load(KG2020)
    m = margins(sc.election, sc.rules)
    mek = m.of("Mekenchil")
    assert mek.votes_to_pass_threshold == 3309
    assert mek.votes_to_gain_seat == 3309  # passing wins it seats at once (Hare, 7%)
    assert m.pair("Birimdik", "Mekenchil").ballots == 3077
    # Butun Kyrgyzstan (141,940) is 2,587 above the bar: 2,588 ballots moved away drop it
    # out of parliament, the closest call on the set of lists holding seats.
    assert m.pair("Butun Kyrgyzstan", "Birimdik").ballots is not None
    (parliament,) = [c for c in m.closest if c.kind == "parliament"]
    assert parliament.ballots == 141940 - 139353 + 1
    assert "Butun Kyrgyzstan" in parliament.before and "Butun Kyrgyzstan" not in parliament.after
    # two thirds (80 seats) is out of reach under the 65-seat cap
    assert not [c for c in m.closest if c.kind == "two-thirds"]
    for lm in m.lists:
        _check_list(sc.election, sc.rules, lm)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_checked_against_the_reference(path, monkeypatch):
    # every list of every shipped scenario under each of its rule sets ([rules] and every
    # [[compare]]: Hare, d'Hondt, Sainte-Laguë, caps, thresholds on several bases): each
    # margin holds at its value and not one vote below, by the reference
    monkeypatch.setitem(globals(), "BRUTE", 1)
    sc = Scenario.load(path)
    for _, rules in sc.rule_sets():
        m = margins(sc.election, rules)
        for lm in m.lists:
            _check_list(sc.election, rules, lm)
        for pm in m.pairs[:: max(1, len(m.pairs) // 20)]:  # a spread of 20 pairs
            _check_pair(sc.election, rules, pm)


def test_a_cap_makes_a_gain_undone():
    # Hare, 6 seats, cap 3, votes A 1, B 6, C 14 + x, D 53. Round one shares the 6 seats by
    # quotas 6·v/(74 + x). At x = 19 (total 93): D 3.419, C 2.129, B 0.387, A 0.065; floors
    # 3 + 2, and the last seat goes to D's remainder .419 > B's .387: D holds 4 > 3, so D is
    # held at 3 and A, B, C share 3 seats (total 40): quotas .075, .45, 2.475, C's remainder
    # .475 beats B's .45: C 3 seats (at x = 18 it was a tie: D's and B's remainders equal).
    # At x = 21 (total 95): D 3.347, C 2.211, B 0.379: B's remainder beats D's, no cap
    # binds, and C is back to 2 seats: more votes undid the gain.
    el, rules = election([1, 6, 14, 53]), Rules(seats=6, method="hare", max_seats=3)
    c = margins(el, rules).of("L2")
    assert (c.seats, c.votes_to_tie_seat, c.votes_to_gain_seat) == (2, 18, 19)
    assert c.gain_undone
    hare = get_method("hare")
    assert allocate_one(hare, [1, 6, 33, 53], 6, max_seats=3) == ([0, 0, 3, 3], False)
    assert allocate_one(hare, [1, 6, 35, 53], 6, max_seats=3) == ([0, 1, 2, 3], False)


# -- errors ---------------------------------------------------------------------------------------


def test_unknown_list_and_bad_rules():
    m = margins(election([700, 300, 100]), Rules(seats=5, method="dhondt"))
    with pytest.raises(InputError, match="no list named 'X'"):
        m.of("X")
    with pytest.raises(InputError, match="no list named"):
        m.pair("L0", "X")
    with pytest.raises(InputError, match="unknown method"):
        Rules(seats=5, method="borda")
    with pytest.raises(InputError, match="participants"):  # a base the seed does not give
        margins(election([700, 300]), Rules(seats=5, threshold="5%", threshold_base="participants"))


def test_tied_or_unfilled_count_is_refused():
    # d'Hondt, 15 seats, 360 / 280 is a genuine tie (methods.md)
    with pytest.raises(TieError, match="untied result"):
        margins(election([360, 280]), Rules(seats=15, method="dhondt"))
    with pytest.raises(InfeasibleError):
        margins(election([10, 10]), Rules(seats=5, threshold="60%"))


# -- the property --------------------------------------------------------------------------------

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


def test_result_is_frozen():
    m = margins(election([700, 300, 100]), Rules(seats=5, method="dhondt"))
    with pytest.raises(AttributeError):
        m.lists[0].seats = 3  # type: ignore[misc]
    assert isinstance(m.lists, tuple) and np.all([p.source != p.target for p in m.pairs])


def test_bench_margins_times_the_whole_result():
    from simulate.bench.margins import bench_margins

    t = bench_margins(election([700, 300, 100]), Rules(seats=5, method="dhondt"), "hand", 2)
    assert (t.lists, t.pairs, t.repeats) == (3, 6, 2)  # 3 lists, 3·2 ordered pairs
    assert 0 < t.best_s <= t.median_s


def test_plot_margins_draws_on_the_given_axes():
    # plots contract (STYLE.md): ax in, the same Axes out, nothing else created; one row per
    # list with seats or a seat within reach (Kyrgyz 2020: the four elected lists first)
    from matplotlib.figure import Figure

    from simulate.plots.margins import margins_table, plot_margins

    sc = Scenario.load(KG2020)
    m = margins(sc.election, sc.rules)
    rows = margins_table(m)
    assert [r[0] for r in rows[:4]] == [
        "Birimdik",
        "Mekenim Kyrgyzstan",
        "Kyrgyzstan",
        "Butun Kyrgyzstan",
    ]
    assert rows[4] == ("Mekenchil", 136276, 3309, None, 3077)
    ax = Figure().add_subplot()
    assert plot_margins(m, ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == [
        "Birimdik",
        "Mekenim Kyrgyzstan",
    ]
    own = plot_margins(m)
    assert own.figure is not ax.figure


def test_notes_say_what_was_held_or_not_searched():
    # B has no votes in region S, so it misses a 1% regional threshold and stays out however
    # many votes it gains nationally (the regional rule is held as at the reported count)
    from simulate import Party

    el = Election(
        name="two regions",
        parties=(
            Party("A", 600, regions={"N": 300, "S": 300}),
            Party("B", 390, regions={"N": 390, "S": 0}),
        ),
    )
    m = margins(el, Rules(seats=10, method="dhondt", regional_threshold="1%"))
    assert m.of("B").votes_to_gain_seat is None
    assert m.notes == (
        "the regional threshold is held as at the reported count (B misses it and stays out)",
    )
    # counts near 2^52 / (h·P) cannot all be allocated exactly: the search says where it stops
    # Hare, 5 seats, 10^13 and 3·10^12: quotas 3.85 and 1.15, seats 4 and 1. L1 with x more
    # passes L0's remainder when 5(3e12 + x) − (13e12 + x) > 5e13 − 3(13e12 + x), i.e.
    # 7x > 9e12: x = 1,285,714,285,715.
    big = margins(election([10**13, 3 * 10**12]), Rules(seats=5))
    assert big.of("L1").votes_to_gain_seat == 1_285_714_285_715
    assert any("past exact arithmetic" in n for n in big.notes)


def test_threshold_margins_count_every_region():
    # Two regions, 12% nationally and 5% in each region, both of the lists' votes.
    #          N     S    total     regional bars: N 5% of 700 = 35, S 5% of 400 = 20
    #   A    300   300     600      national bar: 12% of 1,100 = 132
    #   B    380    10     390      B misses S
    #   C     20    90     110      C misses N and the national bar
    # B: 10 + x ≥ 0.05·(400 + x) ⇔ 0.95x ≥ 10 ⇔ x ≥ 10.5: 11 (S only; it passes nationally).
    # C: in N 20 + x ≥ 0.05·(700 + x) ⇔ x ≥ 15.8: 16; nationally 110 + x ≥ 0.12·(1,100 + x)
    #    ⇔ 0.88x ≥ 22 ⇔ x = 25; votes added in N count nationally too: max(25, 16) = 25.
    # A fails after losing x: in N 300 − x < 0.05·(700 − x) ⇔ 0.95x > 265 ⇔ x ≥ 279; in S
    #    0.95x > 280: 295; nationally 600 − x < 0.12·(1,100 − x) ⇔ 0.88x > 468: 532. So 279.
    from simulate import Party

    el = Election(
        name="two regions",
        parties=(
            Party("A", 600, regions={"N": 300, "S": 300}),
            Party("B", 390, regions={"N": 380, "S": 10}),
            Party("C", 110, regions={"N": 20, "S": 90}),
        ),
    )
    rules = Rules(seats=10, method="dhondt", threshold="12%", regional_threshold="5%")
    m = margins(el, rules)
    assert [x.votes_to_pass_threshold for x in m.lists] == [None, 11, 25]
    assert [x.votes_to_fail_threshold for x in m.lists] == [279, None, None]
    assert m.of("A").seats == 10  # B and C are out, and stay out in the seat searches
    assert "B, C miss it and stay out" in m.notes[0]


def test_thresholds_per_kind_and_an_exempt_list():
    # 5% for parties, 8% for coalitions, of the lists' votes (615); D is exempt.
    # B (coalition, 45) passes after x new votes when 45 + x ≥ 0.08·(615 + x) ⇔ 0.92x ≥ 4.2
    #   ⇔ x ≥ 4.57: 5. It wins a seat under d'Hondt (A 9 seats, C 1) when 45 + x beats A's
    #   9th quotient 500/9 = 55.6: x = 11.
    # C (party, 60) fails after losing x when 60 − x < 0.05·(615 − x) ⇔ 0.95x > 29.25: 31.
    # D (exempt, 10) has no threshold to pass or fail; it wins a seat at 10 + x > 55.6: 46.
    import dataclasses

    from simulate import Party

    el = Election(
        name="kinds",
        parties=(
            Party("A", 500, kind="party"),
            Party("B", 45, kind="coalition"),
            Party("C", 60, kind="party"),
            Party("D", 10, kind="party", exempt=True),
        ),
    )
    rules = Rules(seats=10, method="dhondt", threshold={"party": "5%", "coalition": "8%"})
    m = margins(el, rules)
    b, c, d = m.of("B"), m.of("C"), m.of("D")
    assert (b.votes_to_pass_threshold, b.votes_to_gain_seat) == (5, 11)
    assert c.votes_to_fail_threshold == 31
    assert (d.votes_to_pass_threshold, d.votes_to_fail_threshold) == (None, None)
    assert d.votes_to_gain_seat == 46

    def seats_of(name, votes):  # allocate (kinds and exemptions included) with one count moved
        parties = tuple(
            dataclasses.replace(p, votes=votes) if p.name == name else p for p in el.parties
        )
        return allocate(dataclasses.replace(el, parties=parties), rules).seats_of(name)

    assert (seats_of("B", 45 + 10), seats_of("B", 45 + 11)) == (0, 1)
    assert (seats_of("D", 10 + 45), seats_of("D", 10 + 46)) == (0, 1)


def test_districted_elections_are_refused_for_now():
    # item 5 of the issue (per district and totals) is not built: a clear error, not a guess
    from simulate import District, Party

    votes = {"A": 60, "B": 40}
    el = Election(
        name="two districts",
        parties=(Party("A", 120), Party("B", 80)),
        districts=(District("N", 3, votes), District("S", 3, votes)),
    )
    with pytest.raises(InputError, match="districted election"):
        margins(el, Rules(seats=6))
