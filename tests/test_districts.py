"""Districted elections on the one engine, and thresholds per kind of list.

The districts of an election are the rows of one ``allocate_batch`` call; these tests check
it against the single-constituency path (``allocate``) district by district, and against
hand-worked examples whose derivation is written beside the expected values.
"""

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate import (
    METHOD_NAMES,
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


def districted(rows, seats, kinds=None, exempt=(), official=None):
    """An election from {district: {list: votes}} and {district: seats}."""
    names = list(dict.fromkeys(n for votes in rows.values() for n in votes))
    kinds = kinds or {}
    parties = tuple(
        Party(
            n,
            sum(v.get(n, 0) for v in rows.values()),
            kind=kinds.get(n),
            exempt=n in exempt,
        )
        for n in names
    )
    districts = tuple(District(d, seats[d], dict(v)) for d, v in rows.items())
    return Election(name="test", parties=parties, seats=sum(seats.values()), districts=districts)


# ---------------------------------------------------------------------------------------------
# one district is today's single constituency (every method)


@given(
    votes=st.lists(st.integers(0, 10**6), min_size=1, max_size=8).filter(lambda v: sum(v) > 0),
    seats=st.integers(1, 120),
    method=st.sampled_from(METHOD_NAMES),
    pct=st.integers(0, 15),
)
@settings(max_examples=300, deadline=None)
def test_one_district_is_the_single_constituency(votes, seats, method, pct):
    names = {f"L{i}": v for i, v in enumerate(votes)}
    rules = Rules(seats=seats, method=method, threshold=f"{pct}%")
    single = Election.from_votes(names)
    one = districted({"all": names}, {"all": seats})
    try:
        expected = allocate(single, rules)
    except (TieError, InfeasibleError) as exc:
        with pytest.raises(type(exc)) as got:
            allocate_districts(one, rules)
        if isinstance(exc, TieError):
            assert set(got.value.lists) == set(exc.lists)
        return
    result = allocate_districts(one, rules)
    assert tuple(result.totals) == tuple(expected.seats)
    assert tuple(result.seats[0]) == tuple(expected.seats)
    assert [r.passed for r in result.national.lists] == [r.passed for r in expected.lists]
    assert [r.reasons for r in result.national.lists] == [r.reasons for r in expected.lists]


# ---------------------------------------------------------------------------------------------
# allocate_batch with seats per row equals one allocation per row


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_batch_with_seats_per_row_equals_each_row_alone(method):
    rng = np.random.default_rng(15)
    votes = rng.integers(0, 50_000, size=(300, 7))
    votes[rng.random(votes.shape) < 0.2] = 0  # lists that did not stand
    votes[:, 0] += 1  # no empty district
    seats = rng.integers(1, 40, size=300)
    rules = Rules(seats=1, method=method, threshold="3%")
    batch = allocate_batch(votes, rules, seats=seats, detail=True)
    for j in range(len(votes)):
        alone = allocate_batch(votes[j : j + 1], rules.replace(seats=int(seats[j])), detail=True)
        assert batch.tied[j] == alone.tied[0]
        assert batch.status[j] == alone.status[0]
        if not alone.tied[0]:
            assert (batch.seats[j] == alone.seats[0]).all()


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague", "hare", "droop"])
def test_districts_equal_allocate_district_by_district(method):
    """Random districted elections with national and district thresholds: each district's
    seats are what ``allocate`` gives that district alone, among the lists taking part."""
    rng = np.random.default_rng(2026)
    checked = 0
    for _ in range(40):
        D, P = rng.integers(1, 9), rng.integers(2, 9)
        votes = rng.integers(0, 20_000, size=(D, P))
        stood = rng.random((D, P)) < 0.8
        stood[:, 0] = True
        votes[:, 0] += 1
        rows = {
            f"d{j}": {f"L{i}": int(votes[j, i]) for i in range(P) if stood[j, i]} for j in range(D)
        }
        seats = {f"d{j}": int(rng.integers(1, 15)) for j in range(D)}
        election = districted(rows, seats)
        rules = Rules(
            seats=sum(seats.values()),
            method=method,
            threshold=f"{rng.integers(0, 8)}%",
            district_threshold=f"{rng.integers(0, 6)}%",
        )
        try:
            result = allocate_districts(election, rules)
        except (TieError, InfeasibleError):
            continue
        national = allocate(
            Election.from_votes({p.name: p.votes for p in election.parties}),
            rules.replace(seats=1, district_threshold=None),
        )
        passed = {r.name for r in national.lists if r.passed}
        for j, d in enumerate(election.districts):
            base = sum(d.votes.values())
            need = -(
                (-rules.district_threshold.numerator * base) // rules.district_threshold.denominator
            )
            taking = {n: v for n, v in d.votes.items() if n in passed and v >= need}
            alone = allocate(Election.from_votes(taking), Rules(seats=d.seats, method=method))
            got = {n: int(result.seats[j, i]) for i, n in enumerate(election.names)}
            assert {n: got[n] for n in taking} == dict(
                zip(alone.names, alone.seats.tolist(), strict=True)
            )
            assert all(got[n] == 0 for n in got if n not in taking)
        checked += 1
    assert checked >= 20  # most random elections have no tie


def test_speed_shape_52_districts_of_20_lists():
    """The issue's benchmark shape runs (as one batch of 52 rows), seats add up per district."""
    rng = np.random.default_rng(52)
    votes = rng.integers(1, 100_000, size=(52, 20))
    seats = rng.integers(1, 15, size=52)
    rows = {f"d{j}": {f"L{i}": int(votes[j, i]) for i in range(20)} for j in range(52)}
    election = districted(rows, {f"d{j}": int(s) for j, s in enumerate(seats)})
    result = allocate_districts(
        election,
        Rules(seats=int(seats.sum()), method="dhondt", ties="lot"),
        rng=np.random.default_rng(1),
    )
    assert (result.seats.sum(1) == seats).all()


# ---------------------------------------------------------------------------------------------
# hand-worked: Poland's 5% for a party, 8% for a coalition, minorities exempt

# A made-up two-district election in the shape of the Polish rule (Electoral Code art. 196:
# 5% for a party, 8% for a coalition, national-minority lists exempt), d'Hondt per district.
# National votes (10,000): A 4200, B 2500, C 1500 (coalition, 15%), D 700 (coalition, 7%),
# E 600 (6%), M 450 (minority, 4.5%), F 50.
POLAND = {
    "North": {"A": 3200, "B": 1800, "C": 1100, "D": 180, "E": 300, "F": 50},
    "South": {"A": 1000, "B": 700, "C": 400, "D": 520, "E": 300, "M": 450},
}
POLAND_SEATS = {"North": 6, "South": 4}
POLAND_KINDS = {
    "A": "party",
    "B": "party",
    "C": "coalition",
    "D": "coalition",
    "E": "party",
    "F": "party",
    "M": "minority",
}


def test_poland_5_and_8_percent_with_a_minority_exempt():
    election = districted(POLAND, POLAND_SEATS, POLAND_KINDS, exempt={"M"})
    rules = Rules(
        seats=10,
        method="dhondt",
        threshold={"party": "5%", "coalition": "8%", "minority": "5%"},
    )
    r = allocate_districts(election, rules)
    # 5% of 10,000 is 500, 8% is 800: D (coalition, 700 < 800) and F (50 < 500) fail;
    # M (450 < 500) passes as exempt; A, B, C, E pass.
    assert [x.passed for x in r.national.lists] == [True, True, True, False, True, False, True]
    assert r.national.lists[3].short_by == 100  # D: 800 − 700
    # North, 6 seats among A 3200, B 1800, C 1100, E 300: quotients 3200 A, 1800 B,
    # 1600 A, 1100 C, 1066.7 A, 900 B | next 800 A → A 3, B 2, C 1.
    assert r.districts_dict()["North"] == {"A": 3, "B": 2, "C": 1, "D": 0, "E": 0, "F": 0}
    # South, 4 seats among A 1000, B 700, C 400, E 300, M 450: 1000 A, 700 B, 500 A, 450 M
    # | next 400 C → A 2, B 1, M 1.
    assert r.districts_dict()["South"] == {"A": 2, "B": 1, "C": 0, "D": 0, "E": 0, "M": 1}
    assert r.totals_dict() == {"A": 5, "B": 3, "C": 1, "D": 0, "E": 0, "F": 0, "M": 1}
    assert r.reasons[1][3] == ("missed the national threshold",)


def test_poland_under_one_flat_5_percent():
    """The same votes under a flat 5% and no exemption: D (700 ≥ 500) passes and M
    (450 < 500) fails. South: 1000 A, 700 B, 520 D, 500 A | next 350 B → A 2, B 1, D 1."""
    election = districted(POLAND, POLAND_SEATS, POLAND_KINDS)
    r = allocate_districts(election, Rules(seats=10, method="dhondt", threshold="5%"))
    assert r.districts_dict()["South"] == {"A": 2, "B": 1, "C": 0, "D": 1, "E": 0, "M": 0}
    assert r.totals_dict() == {"A": 5, "B": 3, "C": 1, "D": 1, "E": 0, "F": 0, "M": 0}


# ---------------------------------------------------------------------------------------------
# hand-worked: Slovakia 2020's rule for coalitions

# Act 180/2014 on elections, § 66: 5% for a party, 7% for a coalition of two or three parties,
# 10% for four or more; one national constituency. In 2020 the PS–SPOLU coalition polled
# 6.96% and won no seat. A made-up example of 100,000 votes, 10 seats, Hare largest
# remainder (Slovakia's own quota is Hagenbach-Bischoff; the threshold is what is tested).
SLOVAKIA = {
    "A": (40_000, "party"),
    "B": (25_000, "party"),
    "C": (6_960, "coalition"),  # 6.96% < 7%: out, though above 5%
    "D": (5_000, "party"),  # exactly 5%: in ("at least")
    "E": (9_000, "coalition4"),  # 9% < 10% for four or more parties: out
    "F": (7_000, "coalition"),  # exactly 7%: in
    "G": (7_040, "party"),
}
SLOVAK_RULE = {"party": "5%", "coalition": "7%", "coalition4": "10%"}


def test_slovakia_2020_coalition_rule():
    election = Election(
        name="sk", parties=tuple(Party(n, v, kind=k) for n, (v, k) in SLOVAKIA.items())
    )
    rules = Rules(seats=10, method="hare", threshold=SLOVAK_RULE)
    r = allocate(election, rules)
    assert [x.passed for x in r.lists] == [True, True, False, True, False, True, True]
    # Passing votes: 40000 + 25000 + 5000 + 7000 + 7040 = 84040. Hare, 10 seats: floors of
    # 10·v/84040 are A 4, B 2, D 0, F 0, G 0 (6 seats); remainders 10·v mod 84040 are
    # A 63840, B 81920, D 50000, F 70000, G 70400; the 4 seats left go to B, G, F, A.
    assert r.as_dict() == {"A": 5, "B": 3, "F": 1, "G": 1}
    # the same as one district of a districted election
    one = districted(
        {"SK": {n: v for n, (v, _) in SLOVAKIA.items()}},
        {"SK": 10},
        {n: k for n, (_, k) in SLOVAKIA.items()},
    )
    assert allocate_districts(one, rules).totals_dict() == {
        "A": 5,
        "B": 3,
        "C": 0,
        "D": 0,
        "E": 0,
        "F": 1,
        "G": 1,
    }


def test_a_kind_without_a_threshold_is_an_error_naming_the_list():
    election = Election(name="sk", parties=(Party("A", 10, kind="party"), Party("X", 5)))
    with pytest.raises(InputError, match=r"list 'X' has no kind"):
        allocate(election, Rules(seats=3, threshold={"party": "5%"}))
    election = Election(
        name="sk", parties=(Party("A", 10, kind="party"), Party("Y", 5, kind="bloc"))
    )
    with pytest.raises(InputError, match=r"list 'Y' is of kind 'bloc'.*thresholds for: party"):
        allocate(election, Rules(seats=3, threshold={"party": "5%"}))


def test_one_threshold_or_one_per_kind():
    with pytest.raises(InputError, match="not both"):
        Rules(seats=3, threshold="5%", kind_thresholds=(("party", "5%"),))
    assert Rules(seats=3, threshold={"Party": "5%"}).kind_thresholds == (
        ("party", Fraction(1, 20)),
    )


# ---------------------------------------------------------------------------------------------
# the district threshold, ties and bad rules


def test_district_threshold_on_the_district_votes():
    """Spain's kind of rule (3% of the district's votes), hand-worked: district X has 1000
    votes, 3% is 30; L3 with 29 takes no part there, L3 with 40 in Y (40 ≥ 30 of 1000) does.
    X, 5 seats, d'Hondt among 600, 371: 600, 371, 300, 200, 185.5 → 3, 2.
    Y, 3 seats among 560, 400, 40: 560, 400, 280 → 2, 1, 0."""
    election = districted(
        {"X": {"L1": 600, "L2": 371, "L3": 29}, "Y": {"L1": 560, "L2": 400, "L3": 40}},
        {"X": 5, "Y": 3},
    )
    r = allocate_districts(election, Rules(seats=8, method="dhondt", district_threshold="3%"))
    assert r.districts_dict() == {
        "X": {"L1": 3, "L2": 2, "L3": 0},
        "Y": {"L1": 2, "L2": 1, "L3": 0},
    }
    assert list(r.district_threshold_votes) == [30, 30]
    assert not r.took_part[0, 2] and r.took_part[1, 2]
    assert "29 votes, 30 needed" in r.reasons[0][2][0]


def test_a_tie_in_a_district_names_the_district_and_the_lists():
    # methods.md: d'Hondt, 15 seats, votes [360, 280] is a genuine tie
    election = districted(
        {"calm": {"A": 500, "B": 100}, "tied": {"A": 360, "B": 280}}, {"calm": 3, "tied": 15}
    )
    with pytest.raises(TieError, match=r"district 'tied'.*A, B") as exc:
        allocate_districts(election, Rules(seats=18, method="dhondt"))
    assert set(exc.value.lists) == {"A", "B"}
    r = allocate_districts(
        election, Rules(seats=18, method="dhondt", ties="lot"), rng=np.random.default_rng(3)
    )
    assert [t.district for t in r.ties] == ["tied"]
    assert r.seats[1].sum() == 15 and tuple(r.seats[1]) in {(9, 6), (8, 7)}


def test_a_district_where_no_list_takes_part_is_named():
    election = districted({"N": {"A": 900, "B": 100}, "S": {"B": 50}}, {"N": 2, "S": 1})
    with pytest.raises(InfeasibleError, match="district 'S'"):
        allocate_districts(election, Rules(seats=3, method="dhondt", threshold="20%"))


def test_rules_that_do_not_fit_the_districts():
    election = districted({"N": {"A": 900, "B": 100}}, {"N": 2})
    with pytest.raises(InputError, match="the rules say 3, the districts have 2"):
        allocate_districts(election, Rules(seats=3))
    with pytest.raises(InputError, match="max_seats is not supported"):
        allocate_districts(election, Rules(seats=2, max_seats=1))
    with pytest.raises(InputError, match="no districts"):
        allocate_districts(Election.from_votes({"A": 1}), Rules(seats=2))


def test_districts_must_add_up_to_the_lists():
    with pytest.raises(InputError, match="not the sum of its district votes"):
        Election(name="e", parties=(Party("A", 5),), districts=(District("N", 1, {"A": 4}),))
    with pytest.raises(InputError, match="has no seats"):
        Election(name="e", parties=(Party("A", 4),), districts=(District("N", 0, {"A": 4}),))
    with pytest.raises(InputError, match="unknown list 'B'"):
        Election(name="e", parties=(Party("A", 4),), districts=(District("N", 1, {"B": 4}),))


# ---------------------------------------------------------------------------------------------
# districts in a seed file (TOML)

SEED = """
name = "made-up, the Polish-rule example above"
[[district]]
name = "North"
seats = 6
votes = {A = 3200, B = 1800, C = 1100, D = 180, E = 300, F = 50}
official_seats = {A = 3, B = 2, C = 1}

[[district]]
name = "South"
seats = 4
votes = {A = 1000, B = 700, C = 400, D = 520, E = 300, M = 450}
official_seats = {A = 2, B = 1, M = 1}

[[party]]
name = "C"
kind = "coalition"

[[party]]
name = "D"
kind = "coalition"

[[party]]
name = "M"
kind = "minority"
exempt = true
"""


def test_a_seed_with_districts(tmp_path):
    path = tmp_path / "seed.toml"
    kinds = "\n".join(f'[[party]]\nname = "{n}"\nkind = "party"\n' for n in "ABEF")
    path.write_text(SEED + kinds, encoding="utf-8")
    e = Election.load(path)
    assert e.seats == 10 and e.district_names == ("North", "South")
    assert e.names == ("C", "D", "M", "A", "B", "E", "F")  # [[party]] order, then the rest
    assert list(e.votes) == [1500, 700, 450, 4200, 2500, 600, 50]
    assert [p.official_seats for p in e.parties] == [1, 0, 1, 5, 3, 0, 0]
    rules = Rules(
        seats=10, method="dhondt", threshold={"party": "5%", "coalition": "8%", "minority": "5%"}
    )
    r = allocate_districts(e, rules)
    assert r.totals_dict() == {"C": 1, "D": 0, "M": 1, "A": 5, "B": 3, "E": 0, "F": 0}
    assert [x.seats == x.official_seats for x in r.national.lists] == [True] * 7


@pytest.mark.parametrize(
    "extra, message",
    [
        ('[[district]]\nname = "East"\nvotes = {A = 1}\n', "district 'East': seats: missing"),
        ('[[district]]\nname = "East"\nseats = 0\nvotes = {A = 1}\n', "'East': has no seats"),
        ('[[district]]\nname = "East"\nseats = 1\nvotes = {A = -1}\n', "votes.A: must not be"),
        ('[[district]]\nname = "North"\nseats = 1\nvotes = {A = 1}\n', "duplicate district"),
        ('[[party]]\nname = "Z"\n', "list 'Z': votes: missing (in no [[district]] either)"),
        ('[[party]]\nname = "A"\nvotes = 7\n', "not the sum of its district votes"),
        ('[[party]]\nname = "A"\nexempt = "yes"\n', "exempt: must be true or false"),
    ],
)
def test_bad_seed_districts(tmp_path, extra, message):
    path = tmp_path / "seed.toml"
    path.write_text(SEED + extra, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as exc:
        Election.load(path)
    assert str(exc.value).startswith(str(path))


def test_a_national_threshold_on_participants_and_a_tie_named_under_it():
    """The national base may be a count of the seed (participants): 10% of 1,000 is 100, so
    C (90 votes in all) takes part nowhere. District 'tied' is methods.md's d'Hondt tie
    (15 seats, 360 against 280), named through the single-district path."""
    election = Election(
        name="e",
        parties=(Party("A", 360 + 200), Party("B", 280 + 50), Party("C", 90)),
        districts=(
            District("calm", 3, {"A": 200, "B": 50, "C": 60}),
            District("tied", 15, {"A": 360, "B": 280, "C": 30}),
        ),
        participants=1000,
    )
    rules = Rules(seats=18, method="dhondt", threshold="10%", threshold_base="participants")
    with pytest.raises(TieError, match=r"district 'tied'.*between A, B"):
        allocate_districts(election, rules)
    r = allocate_districts(election, rules.replace(ties="lot"), rng=np.random.default_rng(0))
    assert r.national.base == 1000 and r.national.threshold_votes == 100
    assert not r.took_part[:, 2].any()
    # calm, 3 seats among A 200, B 50: 200, 100, 66.7 (A) before 50 (B) -> A 3
    assert r.districts_dict()["calm"] == {"A": 3, "B": 0, "C": 0}


# ---------------------------------------------------------------------------------------------
# a real districted election: Norway 2021, the 150 district seats (seeds/norway-2021.md)

NORWAY = Path(__file__).resolve().parent.parent / "seeds"


def test_norway_2021_district_seats():
    """Every list's official district seats in every one of the 19 districts (source:
    Valgdirektoratet's results, see seeds/norway-2021.md), modified Sainte-Laguë, no
    threshold."""
    e = Election.from_csv(
        NORWAY / "norway-2021-results.csv", NORWAY / "norway-2021-district-seats.csv"
    )
    assert len(e.districts) == 19 and e.seats == 150
    r = allocate_districts(e, Rules(seats=150, method="modified-sainte-lague"))
    for j, d in enumerate(e.districts):
        got = {n: int(r.seats[j, i]) for i, n in enumerate(e.names) if r.stood[j, i]}
        assert got == dict(d.official_seats), d.name
    assert [x.seats for x in r.national.lists] == [x.official_seats for x in e.parties]
    # Finnmark's four district seats, one of them Pasientfokus's (source 2 in the notes)
    assert r.districts_dict()["Finnmark Finnmárku"]["Pasientfokus"] == 1


def test_allocate_on_a_districted_election_pools_it_and_says_so():
    """The national-constituency counterfactual: ``allocate`` pools the districts (the
    Poland-rule example: 10,000 votes, d'Hondt, 10 seats, no threshold)."""
    election = districted(POLAND, POLAND_SEATS)
    result = allocate(election, Rules(seats=10, method="dhondt"))
    assert result.notes == ("one national constituency: the 2 districts' votes pooled",)
    # A 4200, B 2500, C 1500, D 700, E 600, M 450, F 50: the ten largest quotients are
    # 4200 A, 2500 B, 2100 A, 1500 C, 1400 A, 1250 B, 1050 A, 840 A, 833.3 B, 750 C
    # | next 700 (A's sixth, D's first) -> A 5, B 3, C 2
    assert result.as_dict() == {"A": 5, "B": 3, "C": 2}
