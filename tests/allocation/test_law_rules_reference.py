"""The engine against the plain reference (``simulate.reference``) under the rules of a law:
tie rules, rounded quotas, quotient factors, for every method they apply to, on random small
counts (where ties are common), through ``allocate_batch_detail``; and districts against
each district allocated alone."""

import zlib
from fractions import Fraction

import numpy as np
import pytest

from simulate import (
    METHOD_NAMES,
    District,
    Election,
    Party,
    Rules,
    TieError,
    allocate,
    allocate_batch_detail,
    allocate_districts,
)
from simulate.engine import QUOTA_UNFIT, lot_priority
from simulate.methods import get_method
from simulate.reference import allocate_by_rule, allocate_one

QUOTA = [m for m in METHOD_NAMES if get_method(m).family == "quota"]
DIVISOR = [m for m in METHOD_NAMES if get_method(m).family == "divisor"]
CASES = 150


def seed_of(*key):
    """A seed from the test's parameters (the same in every run, unlike ``hash``)."""
    return zlib.crc32(repr(key).encode())


def draws(seed, n=CASES, lists=(2, 6), top=12, step=5, noise=2):
    """Random small counts: multiples of ``step`` plus up to ``noise`` − 1 (ties are
    common), a row of ``lists`` lists, a house of 1 to 12 seats; every row has votes."""
    gen = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        P = int(gen.integers(lists[0], lists[1] + 1))
        v = gen.integers(0, top, size=P) * step + gen.integers(0, noise, size=P)
        v[0] += 1
        rows.append((v.astype(np.int64), int(gen.integers(1, 13))))
    return rows


@pytest.mark.parametrize("method", METHOD_NAMES)
@pytest.mark.parametrize("rule", ["first-listed", "most-votes"])
@pytest.mark.parametrize("cap", [None, 4])
def test_tie_rules_match_the_reference(method, rule, cap):
    """Seats, the tie flag and whether the rule decided it, draw by draw."""
    m = get_method(method)
    threshold = Fraction(1, 10)
    decided = undecided = 0
    seed = seed_of(method, rule, cap)
    sample = draws(seed, n=300, noise=1) + draws(seed + 1, n=300, lists=(2, 4), top=8, step=6)
    for v, S in sample:
        rules = Rules(S, method, threshold=threshold, ties=rule, max_seats=cap)
        got = allocate_batch_detail(v[None, :], rules)
        want, how = allocate_by_rule(m, v.tolist(), S, rule, threshold=threshold, max_seats=cap)
        if want is None:  # unfilled (a cap too low for the lists that pass)
            assert got.status[0] != 0
            continue
        assert got.status[0] == 0
        assert got.seats[0].tolist() == want, (v.tolist(), S)
        assert bool(got.tied[0]) == (how != "none")
        assert bool(got.decided_by_rule[0]) == (how == "rule")
        decided += how == "rule"
        undecided += how == "undecided"
    assert decided + undecided > 5  # the sample has ties for the rule to decide
    if rule == "most-votes":
        assert undecided > 0  # some among equal votes


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_most_votes_then_lot_matches_the_reference(method):
    """The lots the engine drew (in draw order, for the undecided draws only) replayed in the
    reference give the same seats."""
    m = get_method(method)
    rows = draws(seed_of("lot", method), lists=(3, 3))
    S = 7
    votes = np.array([v for v, _ in rows])
    rules = Rules(S, method, ties="most-votes-then-lot")
    got = allocate_batch_detail(votes, rules, rng=np.random.default_rng(1))
    open_rows = np.flatnonzero(got.decided_by_lot)
    lots = lot_priority(np.random.default_rng(1), 3, open_rows.size)  # the same draws
    lot_of = {int(r): lots[:, k].astype(int).tolist() for k, r in enumerate(open_rows)}
    for r, v in enumerate(votes):
        want, how = allocate_by_rule(m, v.tolist(), S, "most-votes", lot=lot_of.get(r))
        assert got.seats[r].tolist() == want
        assert bool(got.decided_by_lot[r]) == (how == "lot")
    assert open_rows.size > 0


@pytest.mark.parametrize("method", QUOTA)
@pytest.mark.parametrize("rounding", ["up", "down", "nearest"])
def test_rounded_quotas_match_the_reference(method, rounding):
    m = get_method(method).with_rounding(rounding)
    filled = unfit = tied = 0
    for v, S in draws(seed_of(method, rounding), top=40, step=3):
        got = allocate_batch_detail(v[None, :], Rules(S, method, quota_rounding=rounding))
        want, was_tied = allocate_one(m, v.tolist(), S)
        if want is None:
            assert got.status[0] == QUOTA_UNFIT, (v.tolist(), S)
            unfit += 1
            continue
        assert got.status[0] == 0, (v.tolist(), S)
        assert got.seats[0].tolist() == want, (v.tolist(), S)
        assert bool(got.tied[0]) == was_tied
        filled += 1
        tied += was_tied
    assert filled > 50 and tied > 0


@pytest.mark.parametrize("method", DIVISOR)
def test_quotient_factors_match_the_reference(method):
    """Kinds drawn at random, factors among 1.35, 3/2, 1/2 and 7/5: the engine multiplies the
    votes by whole numbers, the reference multiplies each quotient by the factor."""
    m = get_method(method)
    gen = np.random.default_rng(seed_of("factors", method))
    table = {"minority": Fraction(27, 20), "b": Fraction(3, 2), "c": Fraction(1, 2)}
    checked = ties = 0
    for v, S in draws(seed_of("f", method), top=30, step=7):
        kinds = [str(k) for k in gen.choice(["party", "minority", "b", "c"], size=v.size)]
        factors = {k: f for k, f in table.items() if k in kinds}
        if not factors:
            continue
        rules = Rules(S, method, quotient_factors=factors)
        got = allocate_batch_detail(v[None, :], rules, kinds=kinds)
        per_list = [factors.get(k, Fraction(1)) for k in kinds]
        want, was_tied = allocate_one(m, v.tolist(), S, factors=per_list)
        assert got.seats[0].tolist() == want, (v.tolist(), kinds, S)
        assert bool(got.tied[0]) == was_tied
        checked += 1
        ties += was_tied
    assert checked > 50
    assert ties > 0 or method != "dhondt"  # (d'Hondt's whole quotients tie often)


# ---------------------------------------------------------------------------------------------
# districts honour the rules, district by district


def districted(rows, seats, kinds):
    names = list(dict.fromkeys(n for votes in rows.values() for n in votes))
    parties = tuple(
        Party(n, sum(v.get(n, 0) for v in rows.values()), kind=kinds.get(n)) for n in names
    )
    districts = tuple(District(d, seats[d], dict(v)) for d, v in rows.items())
    return Election(name="test", parties=parties, seats=sum(seats.values()), districts=districts)


@pytest.mark.parametrize(
    "rules",
    [
        dict(method="dhondt", ties="first-listed"),
        dict(method="sainte-lague", ties="most-votes-then-lot"),
        dict(method="hare", ties="most-votes-then-lot", quota_rounding="down"),
        dict(method="droop", ties="first-listed", quota_rounding="nearest"),
        dict(method="dhondt", ties="first-listed", quotient_factors={"minority": "1.35"}),
        dict(method="danish", ties="most-votes-then-lot", quotient_factors={"minority": "3/2"}),
    ],
)
def test_districts_equal_each_district_alone(rules):
    gen = np.random.default_rng(7)
    kinds = {"A": "party", "B": "party", "C": "minority", "D": "party"}
    for _ in range(25):
        rows = {f"d{j}": {n: int(gen.integers(0, 8)) * 10 + 1 for n in "ABCD"} for j in range(4)}
        seats = {f"d{j}": int(gen.integers(1, 9)) for j in range(4)}
        e = districted(rows, seats, kinds)
        r = Rules(seats=e.seats, **rules)
        try:
            got = allocate_districts(e, r, rng=np.random.default_rng(0))
        except TieError:
            continue  # (most-votes can leave ties; tested elsewhere)
        except Exception as exc:  # a rounded quota that cannot fill a district
            assert "rounded quota" in str(exc)
            continue
        tied = {t.district: t.tie for t in got.ties}
        for j, d in enumerate(e.districts):
            alone = Election(
                name=d.name, parties=tuple(Party(n, v, kind=kinds[n]) for n, v in d.votes.items())
            )
            if d.name in tied and tied[d.name].decided_by_lot:
                assert got.seats[j].sum() == d.seats  # (a lot of its own)
                continue
            want = allocate(alone, r.replace(seats=d.seats), rng=np.random.default_rng(0))
            assert got.seats[j].tolist() == want.seats.tolist()
            if want.tie is not None:
                assert tied[d.name].rule == want.tie.rule
                assert tied[d.name].lists == want.tie.lists
            else:
                assert d.name not in tied


def test_districts_most_votes_names_the_district_it_cannot_decide():
    # District "n": d'Hondt, 3 seats, A 300, B 300, C 100: the third seat is A's 150 or B's
    # 150 on equal votes.
    e = districted(
        {"n": {"A": 300, "B": 300, "C": 100}, "s": {"A": 50, "B": 10, "C": 5}},
        {"n": 3, "s": 1},
        {},
    )
    with pytest.raises(TieError) as err:
        allocate_districts(e, Rules(seats=4, method="dhondt", ties="most-votes"))
    assert str(err.value) == (
        "test: district 'n': tie for the last 1 seat between A, B (undecided) under d'Hondt; "
        "the most-votes rule cannot decide it: A and B have 300 votes each; set ties = "
        '"most-votes-then-lot" to decide it by lot'
    )
