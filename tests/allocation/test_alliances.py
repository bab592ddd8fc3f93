"""List alliances (``Rules.alliances``): pooled for the threshold, for the allocation, or both.

Expected values are worked by hand in the comments (d'Hondt quotients v/1, v/2, …; Hare
quotas and remainders), and checked again by composing two plain allocations: the alliance
as one list, then its seats among its members.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate import (
    District,
    Election,
    InfeasibleError,
    InputError,
    Party,
    Rules,
    TieError,
    allocate,
    allocate_batch,
    allocate_districts,
)
from simulate import batch as batch_module
from simulate.alliance import Alliance, as_alliances
from simulate.alliances import allocate_batch_allied


def both(*names, kind="coalition"):
    return Alliance(tuple(names), "both", kind)


def pooled(*names):
    return Alliance(tuple(names), "allocation")


def for_threshold(*names, kind="coalition"):
    return Alliance(tuple(names), "threshold", kind)


# ---------------------------------------------------------------------------------------------
# pooled for the allocation


def test_an_alliance_wins_a_seat_its_lists_would_not_win_apart():
    # d'Hondt, 5 seats. Apart: quotients A 4500, 2250, 1500, 1125; B 3100, 1550; C 1300;
    # D 1100. The five largest: 4500 A, 3100 B, 2250 A, 1550 B, 1500 A -> A 3, B 2 (C's 1300
    # is sixth). C+D as one list: 2400, 1200. The five largest: 4500 A, 3100 B, 2400 C+D,
    # 2250 A, 1550 B -> A 2, B 2, C+D 1 (A's 1500 is sixth). C+D's one seat by d'Hondt
    # between C 1300 and D 1100 -> C.
    e = Election.from_votes({"A": 4500, "B": 3100, "C": 1300, "D": 1100})
    rules = Rules(seats=5, method="dhondt")
    assert allocate(e, rules).as_dict() == {"A": 3, "B": 2}
    res = allocate(e, rules.replace(alliances=(pooled("C", "D"),)))
    assert [r.seats for r in res.lists] == [2, 2, 1, 0]
    assert res.tie is None
    assert any("alliance C+D pooled for the allocation" in n and "split C 1, D 0" in n
               for n in res.notes)  # fmt: skip
    # the same as two plain allocations composed
    one = allocate(Election.from_votes({"A": 4500, "B": 3100, "C+D": 2400}), rules)
    split = allocate(Election.from_votes({"C": 1300, "D": 1100}), rules.replace(seats=1))
    assert one.as_dict() == {"A": 2, "B": 2, "C+D": 1}
    assert split.as_dict() == {"C": 1}


def test_the_split_of_an_alliances_seats():
    # d'Hondt, 10 seats; C+D+E pooled for the allocation: 1500 + 900 + 400 = 2800.
    # Quotients: A 4600, 2300, 1533.3, 1150, 920, 766.7; B 2600, 1300, 866.7;
    # C+D+E 2800, 1400, 933.3, 700. The ten largest: 4600 A, 2800 X, 2600 B, 2300 A,
    # 1533.3 A, 1400 X, 1300 B, 1150 A, 933.3 X, 920 A -> A 5, B 2, C+D+E 3 (B's 866.7 next).
    # Split 3 by d'Hondt: C 1500, 750; D 900, 450; E 400 -> 1500 C, 900 D, 750 C: C 2, D 1.
    # Apart: ... 1500 C, 1300 B, 1150 A, 920 A, 900 D, 866.7 B -> A 5, B 3, C 1, D 1.
    e = Election.from_votes({"A": 4600, "B": 2600, "C": 1500, "D": 900, "E": 400})
    rules = Rules(seats=10, method="dhondt")
    assert [r.seats for r in allocate(e, rules).lists] == [5, 3, 1, 1, 0]
    res = allocate(e, rules.replace(alliances=(pooled("C", "D", "E"),)))
    assert [r.seats for r in res.lists] == [5, 2, 2, 1, 0]
    assert all(r.passed for r in res.lists)


def test_the_split_uses_the_same_method_hare():
    # Hare, 10 seats; A 5200, B+C pooled 4800 (B 2700, C 2100). Quota 1000: A 5 r .2,
    # B+C 4 r .8 -> the last seat to B+C: A 5, B+C 5. Split 5 by Hare over 4800: quota 960:
    # B 2700/960 = 2 r 780, C 2100/960 = 2 r 180 -> the fifth seat to B: B 3, C 2.
    e = Election.from_votes({"A": 5200, "B": 2700, "C": 2100})
    res = allocate(e, Rules(seats=10, method="hare", alliances=(pooled("B", "C"),)))
    assert [r.seats for r in res.lists] == [5, 3, 2]


# ---------------------------------------------------------------------------------------------
# pooled for the threshold


def test_threshold_pooling_lets_small_lists_in():
    # Hare, 20 seats, 5% of 10,000 = 500 votes. D 450 and E 350 miss it alone; D+E pooled for
    # the threshold have 800 and both take part. All five: quota 10000/20 = 500: A 10, B 6,
    # C 2 r 200, D 0 r 450, E 0 r 350 -> the two seats left to D and E.
    # Without the alliance: 9,200 votes among A, B, C: A 10.87, B 6.52, C 2.61 -> floors
    # 18, the two left to A (.87) and C (.61): A 11, B 6, C 3.
    e = Election.from_votes({"A": 5000, "B": 3000, "C": 1200, "D": 450, "E": 350})
    rules = Rules(seats=20, method="hare", threshold="5%")
    assert [r.seats for r in allocate(e, rules).lists] == [11, 6, 3, 0, 0]
    res = allocate(e, rules.replace(alliances=(for_threshold("D", "E"),)))
    assert [r.seats for r in res.lists] == [10, 6, 2, 1, 1]
    assert [r.passed for r in res.lists] == [True] * 5
    assert res.lists[3].reasons == ()
    assert "alliance D+E pooled for the threshold: 800 votes together, all its lists take part" in (
        res.notes
    )


def test_an_alliance_short_of_the_threshold_says_so():
    # 11% of 10,000 = 1,100: C 600 and D 400 miss it alone and C+D's 1,000 misses it too,
    # by 100. Each member's reasons give its own miss, then the alliance's.
    e = Election.from_votes({"A": 6000, "B": 3000, "C": 600, "D": 400})
    res = allocate(
        e, Rules(seats=10, method="dhondt", threshold="11%", alliances=(both("C", "D"),))
    )
    c = res.lists[2]
    assert not c.passed and c.seats == 0
    assert c.reasons == (
        "6.00% < 11% of party votes (600 votes, 1,100 needed, short by 500)",
        "alliance C+D: 10.00% < 11% of party votes (1,000 votes, 1,100 needed, short by 100)",
    )
    assert c.short_by == 500  # (its own: the national threshold it missed first)
    assert "none of its lists takes part" in res.notes[0]


def test_a_member_above_the_threshold_alone_passes_whatever_its_alliance():
    # Per kind: party 5%, coalition 8% of 10,000. C+D is judged as a coalition: 420 + 600 =
    # 1,020 >= 800, both in. As kind "bloc" with 12% (1,200) it fails; D (600 >= 500, a party)
    # still passes on its own, C (420 < 500) does not.
    parties = (
        Party("A", 5980, kind="party"),
        Party("B", 3000, kind="party"),
        Party("C", 420, kind="party"),
        Party("D", 600, kind="party"),
    )
    e = Election(name="kinds", parties=parties)
    kinds = {"party": "5%", "coalition": "8%", "bloc": "12%"}
    res = allocate(
        e, Rules(seats=10, method="dhondt", threshold=kinds, alliances=(both("C", "D"),))
    )
    assert [r.passed for r in res.lists] == [True, True, True, True]
    res = allocate(
        e,
        Rules(seats=10, method="dhondt", threshold=kinds, alliances=(both("C", "D", kind="bloc"),)),
    )
    assert [r.passed for r in res.lists] == [True, True, False, True]
    # the pooled column is D's alone then: A 5980, B 3000, C+D 600 -> d'Hondt 10 seats:
    # A 5980, 2990, 1993, 1495, 1196, 997, 854 (7th); B 3000, 1500, 1000 (3rd); 600 -> A 7, B 3
    assert [r.seats for r in res.lists] == [7, 3, 0, 0]
    with pytest.raises(InputError, match=r"alliance C\+D: its kind 'league' has no threshold"):
        allocate(
            e,
            Rules(
                seats=10,
                method="dhondt",
                threshold=kinds,
                alliances=(both("C", "D", kind="league"),),
            ),
        )


def test_an_exempt_member_takes_part_whatever_its_alliance():
    parties = (Party("A", 9000), Party("B", 300, exempt=True), Party("C", 200))
    e = Election(name="exempt", parties=parties)
    res = allocate(e, Rules(seats=10, method="dhondt", threshold="6%", alliances=(both("B", "C"),)))
    # B+C 500 < 6% of 9,500 (570): C fails; B is exempt and stands alone in the pooled column
    assert [r.passed for r in res.lists] == [True, True, False]


# ---------------------------------------------------------------------------------------------
# ties in either stage


def test_a_tie_in_the_first_stage_names_the_alliance():
    # d'Hondt, 15 seats, 360 against 280 (= 200 + 80) is a tie (9/6 or 8/7; methods.md).
    e = Election.from_votes({"A": 360, "B": 200, "C": 80})
    rules = Rules(seats=15, method="dhondt", alliances=(pooled("B", "C"),))
    with pytest.raises(TieError, match=r"between A, B\+C") as exc:
        allocate(e, rules)
    assert exc.value.lists == ("A", "B+C")
    res = allocate(e, rules.replace(ties="lot"), rng=np.random.default_rng(1))
    assert res.tie is not None and res.tie.lists == ("A", "B+C") and res.tie.decided_by_lot
    assert res.seats.sum() == 15 and res.seats[0] in (8, 9)


def test_a_tie_in_the_split_names_the_members():
    # d'Hondt, 7 seats: A 950, 475, 316.7, 237.5, 190, 158.3, 135.7; C+D 200, 100. The seven
    # largest: A's first four, 200 C+D, A's 190 and 158.3 -> A 6, C+D 1 (A's 135.7 next).
    # C+D's one seat between C 100 and D 100: a tie.
    e = Election.from_votes({"A": 950, "C": 100, "D": 100})
    rules = Rules(seats=7, method="dhondt", alliances=(pooled("C", "D"),))
    with pytest.raises(
        TieError, match=r"alliance C\+D's 1 seat: tie for the last 1 seat between C, D"
    ):
        allocate(e, rules)
    res = allocate(e, rules.replace(ties="lot"), rng=np.random.default_rng(3))
    assert res.seats[0] == 6 and res.seats[1] + res.seats[2] == 1
    assert res.tie is not None and res.tie.lists == ("C", "D")
    assert any(n.startswith("alliance C+D's seats: tie") for n in res.notes)


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("alliances", "message"),
    [
        ([{"lists": ["A"]}], r"alliance A: needs at least two lists, not 1"),
        ([{"lists": ["A", "A"]}], r"alliance A\+A: names 'A' twice"),
        ([{"lists": ["A", "B"], "pool": "seats"}], r"pool 'seats' is not one of threshold"),
        ([{"lists": ["A", "B"]}, {"lists": ["B", "C"]}], r"list 'B' is in two alliances"),
        ([{"lists": ["A", "B"], "share": 1}], r"alliances\[0\]: unknown key 'share'"),
        ([{"pool": "both"}], r"alliances\[0\]: lists: missing"),
        ([{"lists": "A+B"}], r"lists must be a list of list names"),
        ("A+B", r"need a list of alliances"),
    ],
)
def test_bad_alliances_are_refused(alliances, message):
    with pytest.raises(InputError, match=message):
        Rules(seats=5, alliances=alliances)


def test_an_alliance_naming_an_unknown_list():
    e = Election.from_votes({"A": 10, "B": 5}, name="seed.toml")
    with pytest.raises(InputError, match=r"^seed.toml: alliance A\+Z: no list named 'Z'$"):
        allocate(e, Rules(seats=3, alliances=[{"lists": ["A", "Z"]}]))
    with pytest.raises(InputError, match=r"alliance A\+Z: no list named 'Z'"):
        allocate(e, Rules(seats=3, alliances=[{"lists": ["A", "Z"], "pool": "threshold"}]))


def test_caps_minimums_and_regional_pooling_are_refused():
    with pytest.raises(InputError, match="not defined with max_seats or min_seats"):
        Rules(seats=5, max_seats=3, alliances=(both("A", "B"),))
    with pytest.raises(InputError, match="not defined with max_seats or min_seats"):
        Rules(seats=5, min_seats=1, alliances=(pooled("A", "B"),))
    with pytest.raises(InputError, match="not defined with a regional threshold"):
        Rules(seats=5, regional_threshold="1%", alliances=(for_threshold("A", "B"),))
    Rules(seats=5, regional_threshold="1%", alliances=(pooled("A", "B"),))  # per list: fine


def test_as_alliances_reads_tables():
    got = as_alliances([{"lists": ["A", "B"], "pool": "threshold", "kind": " Bloc "}])
    assert got == (Alliance(("A", "B"), "threshold", "bloc"),)
    assert (
        Rules(seats=5, alliances=got).describe().endswith(", alliance A+B pooled for the threshold")
    )


# ---------------------------------------------------------------------------------------------
# N draws at once


def _per_row(votes, rules, names, threshold=None):
    """Each row through ``allocate``: seats, or None for a tie."""
    out = []
    for k, row in enumerate(votes):
        e = Election.from_votes(dict(zip(names, (int(x) for x in row), strict=True)))
        r = rules if threshold is None else rules.replace(threshold=Fraction(threshold[k]))
        try:
            out.append(allocate(e, r).seats)
        except TieError:
            out.append(None)
    return out


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague", "hare", "droop", "adams"])
@pytest.mark.parametrize("pool", ["both", "allocation", "threshold"])
def test_batch_equals_allocate_row_by_row(method, pool):
    gen = np.random.default_rng(hash((method, pool)) % 2**32)
    names = ("A", "B", "C", "D", "E", "F")
    votes = gen.integers(1, 400, size=(250, 6)) * gen.integers(1, 4, size=(250, 1))
    votes[::7, 4] = 0  # lists with no votes too
    thresholds = [Fraction(int(x), 100) for x in gen.integers(0, 12, size=250)]
    rules = Rules(
        seats=11,
        method=method,
        alliances=(Alliance(("B", "D"), pool), Alliance(("C", "E", "F"), pool)),
    )
    got = allocate_batch_allied(
        votes, rules, names, threshold=np.array(thresholds, dtype=object), detail=True
    )
    want = _per_row(votes, rules, names, thresholds)
    tied = 0
    for k, w in enumerate(want):
        if w is None:
            assert got.tied[k], k
            tied += 1
        else:
            assert not got.tied[k], k
            assert got.seats[k].tolist() == w.tolist(), (k, votes[k], thresholds[k])
    assert tied < len(want) // 2  # most rows untied: the comparison means something


def test_batch_lots_do_not_depend_on_the_chunk_size(monkeypatch):
    gen = np.random.default_rng(5)
    votes = gen.integers(0, 6, size=(3000, 4))  # small counts: ties everywhere
    votes[:, 0] += 1
    rules = Rules(seats=5, method="dhondt", ties="lot", alliances=(pooled("B", "C"),))
    names = ("A", "B", "C", "D")
    first = allocate_batch_allied(votes, rules, names, rng=np.random.default_rng(9))
    monkeypatch.setattr(batch_module, "CHUNK_CELLS", 37)
    again = allocate_batch_allied(votes, rules, names, rng=np.random.default_rng(9))
    assert (first == again).all()
    assert (first.sum(1) == 5).all()


def test_batch_errors():
    rules = Rules(seats=5, method="dhondt", alliances=(pooled("A", "B"),))
    votes = np.array([[10, 9, 8]])
    with pytest.raises(InputError, match="allocate_batch_allied"):
        allocate_batch(votes, rules)
    with pytest.raises(InputError, match="2 names for 3 columns"):
        allocate_batch_allied(votes, rules, ("A", "B"))
    with pytest.raises(InputError, match=r"names: alliance A\+B: no list named 'B'"):
        allocate_batch_allied(votes, rules, ("A", "X", "Y"))
    with pytest.raises(InputError, match="per kind"):
        allocate_batch_allied(votes, rules.replace(threshold={"party": "5%"}), ("A", "B", "C"))
    # d'Hondt, 15 seats, 360 against 200 + 80: the tie of the first stage
    with pytest.raises(TieError, match="draw 0 is tied"):
        allocate_batch_allied(np.array([[360, 200, 80]]), rules.replace(seats=15), ("C", "A", "B"))


def test_batch_with_seats_per_row_and_a_base():
    # Row 0 is the first example (5 seats): A 2, B 2, C 1, D 0. Row 1, 3 seats, 10% of a base
    # of 20,000 (2,000): C 1,300 and D 1,100 pass only together (2,400); pooled: A 4500,
    # B 3100, C+D 2400 -> 3 seats: one each; C+D's seat to C.
    votes = np.array([[4500, 3100, 1300, 1100], [4500, 3100, 1300, 1100]])
    rules = Rules(seats=5, method="dhondt", alliances=(both("C", "D"),))
    got = allocate_batch_allied(
        votes,
        rules,
        ("A", "B", "C", "D"),
        seats=np.array([5, 3]),
        base=np.array([10000, 20000]),
        threshold=np.array(["0%", "10%"], dtype=object),
    )
    assert got.tolist() == [[2, 2, 1, 0], [1, 1, 1, 0]]


# ---------------------------------------------------------------------------------------------
# districts


def _districted():
    rows = {
        "X": {"A": 4500, "B": 3100, "C": 1300, "D": 1100},
        "Y": {"A": 3000, "B": 1200, "C": 400, "D": 900},
    }
    seats = {"X": 5, "Y": 3}
    names = ["A", "B", "C", "D"]
    parties = tuple(Party(n, sum(r[n] for r in rows.values())) for n in names)
    districts = tuple(District(d, seats[d], dict(v)) for d, v in rows.items())
    return Election(name="two", parties=parties, seats=8, districts=districts)


def test_districts_pool_in_every_district():
    # National votes A 7500, B 4300, C 1700, D 2000 (15,500); 12% of it is 1,860: C misses it
    # alone, C+D (3,700) passes together.
    # X (5 seats, d'Hondt): as the first example, A 2, B 2, C+D 1 -> C.
    # Y (3 seats): A 3000, 1500, 1000; B 1200; C+D 1300 -> 3000 A, 1500 A, 1300 C+D: A 2,
    # C+D 1; C+D's seat between C 400 and D 900 -> D.
    e = _districted()
    rules = Rules(seats=8, method="dhondt", threshold="12%", alliances=(both("C", "D"),))
    res = allocate_districts(e, rules)
    assert res.seats.tolist() == [[2, 2, 1, 0], [2, 0, 0, 1]]
    assert res.totals_dict() == {"A": 4, "B": 2, "C": 1, "D": 1}
    assert [r.passed for r in res.national.lists] == [True] * 4
    assert any("national threshold: alliance C+D" in n for n in res.national.notes)
    assert any(
        "in every district: 2 seats together, split C 1, D 1" in n for n in res.national.notes
    )
    # each district is allocate on its own votes with the same alliance
    for j, d in enumerate(e.districts):
        alone = Election.from_votes(d.votes)
        got = allocate(alone, rules.replace(seats=d.seats, threshold=0))
        assert got.seats.tolist() == res.seats[j].tolist()


def test_districts_pooled_for_the_allocation_only():
    # C fails the 12% national threshold (1,700 < 1,860), pooled for the allocation only:
    # the C+D column is D alone. X: A 4500, B 3100, D 1100 -> 4500, 3100, 2250, 1550, 1500:
    # A 3, B 2. Y: A 3000, B 1200, D 900 -> 3000, 1500, 1200: A 2, B 1.
    e = _districted()
    res = allocate_districts(
        e, Rules(seats=8, method="dhondt", threshold="12%", alliances=(pooled("C", "D"),))
    )
    assert res.seats.tolist() == [[3, 2, 0, 0], [2, 1, 0, 0]]
    assert not res.national.lists[2].passed


def test_district_threshold_pooled():
    # 10% of each district's votes: X 10,000 -> 1,000, Y 5,500 -> 550. In Y C (400) misses
    # it alone; C+D (1,300) reach it together, so C takes part there when the alliance pools
    # the threshold, and not when it pools the allocation only.
    e = _districted()
    res = allocate_districts(
        e, Rules(seats=8, method="dhondt", district_threshold="10%", alliances=(both("C", "D"),))
    )
    assert res.took_part[1].tolist() == [True, True, True, True]
    res = allocate_districts(
        e, Rules(seats=8, method="dhondt", district_threshold="10%", alliances=(pooled("C", "D"),))
    )
    assert res.took_part[1].tolist() == [True, True, False, True]
    # Y then: A 3000, 1500; B 1200; C+D = D's 900 -> A 2, B 1
    assert res.seats[1].tolist() == [2, 1, 0, 0]


def test_districts_tie_names_the_district():
    # Y': A 360, C 200, D 80 for 15 seats: 360 against C+D 280, the d'Hondt tie.
    rows = {"Y": {"A": 360, "C": 200, "D": 80}}
    parties = tuple(Party(n, v) for n, v in rows["Y"].items())
    e = Election(name="t", parties=parties, seats=15, districts=(District("Y", 15, rows["Y"]),))
    with pytest.raises(TieError, match=r"district 'Y': tie for the last 1 seat between A, C\+D"):
        allocate_districts(e, Rules(seats=15, method="dhondt", alliances=(pooled("C", "D"),)))


# ---------------------------------------------------------------------------------------------
# properties


def _untied(call):
    try:
        return call()
    except TieError:
        return None


@given(
    votes=st.lists(st.integers(0, 5000), min_size=3, max_size=7).filter(lambda v: sum(v) > 0),
    seats=st.integers(1, 40),
    pct=st.integers(0, 12),
    pool=st.sampled_from(["both", "allocation", "threshold"]),
    method=st.sampled_from(["dhondt", "sainte-lague", "hare", "droop"]),
)
@settings(max_examples=150, deadline=None)
def test_one_district_is_allocate(votes, seats, pct, pool, method):
    # allocate_districts on one district (the batch path) equals allocate (the one-election
    # path) under the same alliance: two routes through the same two stages
    names = [f"L{i}" for i in range(len(votes))]
    rows = {n: v for n, v in zip(names, votes, strict=True)}
    parties = tuple(Party(n, v) for n, v in rows.items())
    e1 = Election(name="one", parties=parties, seats=seats)
    ed = Election(name="one", parties=parties, seats=seats, districts=(District("D", seats, rows),))
    rules = Rules(
        seats=seats,
        method=method,
        threshold=Fraction(pct, 100),
        alliances=(Alliance(tuple(names[1:3]), pool),),
    )
    try:
        want = allocate(e1, rules).seats.tolist()
    except (TieError, InfeasibleError) as exc:
        with pytest.raises(type(exc)):
            allocate_districts(ed, rules)
        return
    assert allocate_districts(ed, rules).seats[0].tolist() == want


@given(
    votes=st.lists(st.integers(1, 5000), min_size=3, max_size=7),
    seats=st.integers(1, 40),
)
@settings(max_examples=200, deadline=None)
def test_dhondt_an_alliance_never_loses_seats_by_pooling(votes, seats):
    # Balinski and Young, Fair Representation (1982; 2nd ed. 2001): Jefferson's method
    # (d'Hondt) is the divisor method that encourages coalitions: two lists that merge get
    # at least as many seats together as they had apart (here: untied allocations).
    e = Election.from_votes({f"L{i}": v for i, v in enumerate(votes)})
    rules = Rules(seats=seats, method="dhondt")
    apart = _untied(lambda: allocate(e, rules))
    together = _untied(lambda: allocate(e, rules.replace(alliances=(pooled("L0", "L1"),))))
    if apart is None or together is None:
        return
    assert together.seats[:2].sum() >= apart.seats[:2].sum()
