"""Rules of a law: ties decided by a rule, quotas rounded to a whole number, quotient factors
per kind of list. Hand-worked examples (the derivation beside each expected value) and the
error paths; ``test_law_rules_reference.py`` checks the engine against the plain reference.

Sources for the rules themselves: Slovakia's republic electoral number is the valid votes of
the lists that pass divided by the seats plus one, made a whole number (N. Whyte, "A quirk in
Slovakia", nwhyte.livejournal.com/2965501.html: 439,522 / 14 → 31,394 in 2014). When whole
quotas hand out more seats than the house, the extra seats are taken one by one from the lists
with the smallest remainders (a comparative analysis of the National Council,
nrsr.sk/web/Dynamic/DocumentPreview.aspx?DocID=544003, quotes the rule; the statistics
office's results for the 2016 election, volby.statistics.sk/nrsr/nrsr2016/sk/data03.html,
under Act 180/2014, have a column "Odpočítané mandáty", seats taken back). Serbia multiplies
the quotients of national-minority lists by 1.35 under d'Hondt (issue 15).
"""

from fractions import Fraction

import numpy as np
import pytest

from simulate import (
    Election,
    InfeasibleError,
    InputError,
    Party,
    Rules,
    TieError,
    allocate,
    allocate_batch,
    allocate_batch_detail,
)
from simulate.methods import get_method


def election(*votes, kinds=None):
    kinds = kinds or [None] * len(votes)
    parties = tuple(Party(chr(65 + i), v, kind=k) for i, (v, k) in enumerate(zip(votes, kinds)))
    return Election(name="t", parties=parties)


# ---------------------------------------------------------------------------------------------
# tie rules


def test_first_listed_gives_the_tied_seat_to_the_earlier_list():
    # d'Hondt, 15 seats, A 280, B 360 (methods.md's 360/280 tie, the lists swapped): the
    # quotients at or above 40 are 280/1…280/7 and 360/1…360/9, sixteen of them, and the
    # last two are equal (280/7 = 360/9 = 40): one seat between A and B. First listed: A.
    res = allocate(election(280, 360), Rules(seats=15, method="dhondt", ties="first-listed"))
    assert res.as_dict() == {"B": 8, "A": 7}
    assert res.tie is not None
    assert (res.tie.lists, res.tie.seats, res.tie.decided_by_lot) == (("A", "B"), 1, False)
    assert res.tie.rule == "first-listed"
    assert res.tie.describe() == (
        "tie for the last 1 seat between A, B "
        "(decided by the rule of the law: the list listed first wins)"
    )


def test_most_votes_gives_the_tied_seat_to_the_larger_list():
    # The same tie; more votes: B (360 > 280), so B 9, A 6.
    res = allocate(election(280, 360), Rules(seats=15, method="dhondt", ties="most-votes"))
    assert res.as_dict() == {"B": 9, "A": 6}
    assert res.tie is not None and res.tie.rule == "most-votes"
    assert not res.tie.decided_by_lot
    assert "decided by the rule of the law: the list with more votes wins" in repr(res)


def test_tie_rules_on_a_quota_method():
    # Hare, 2 seats, A 5, B 15: quotas 5·2/20 = 0.5 and 15·2/20 = 1.5, so B has one whole
    # quota and both remainders are 0.5: the second seat is tied between A and B.
    first = allocate(election(5, 15), Rules(seats=2, method="hare", ties="first-listed"))
    most = allocate(election(5, 15), Rules(seats=2, method="hare", ties="most-votes"))
    assert first.as_dict() == {"A": 1, "B": 1}
    assert most.as_dict() == {"B": 2}


def test_most_votes_cannot_decide_between_equal_votes():
    # d'Hondt, 3 seats, A 300, B 300, C 100: quotients 300, 300, 150, 150, 100: the third
    # seat is A's 150 or B's 150, and A and B have equal votes.
    e = election(300, 300, 100)
    with pytest.raises(TieError) as err:
        allocate(e, Rules(seats=3, method="dhondt", ties="most-votes"))
    assert str(err.value) == (
        "t: tie for the last 1 seat between A, B under d'Hondt; the most-votes rule cannot "
        'decide it: A and B have 300 votes each; set ties = "most-votes-then-lot" to decide '
        "it by lot"
    )
    assert err.value.lists == ("A", "B")


def test_most_votes_then_lot_draws_the_lot_among_equal_votes():
    e = election(300, 300, 100)
    rules = Rules(seats=3, method="dhondt", ties="most-votes-then-lot")
    seen = set()
    for seed in range(20):
        res = allocate(e, rules, rng=np.random.default_rng(seed))
        assert res.tie is not None and res.tie.decided_by_lot and res.tie.rule == "most-votes"
        assert "decided by lot among lists with equal votes" in res.tie.describe()
        seen.add(tuple(res.seats))
    assert seen == {(2, 1, 0), (1, 2, 0)}  # either list can win the lot
    with pytest.raises(InputError, match='ties = "most-votes-then-lot" needs a random'):
        allocate(e, rules)


def test_most_votes_then_lot_draws_no_lot_when_the_votes_decide():
    rng = np.random.default_rng(5)
    state = rng.bit_generator.state
    res = allocate(
        election(280, 360), Rules(seats=15, method="dhondt", ties="most-votes-then-lot"), rng=rng
    )
    assert res.as_dict() == {"B": 9, "A": 6}
    assert res.tie is not None and not res.tie.decided_by_lot
    assert rng.bit_generator.state == state  # no lot drawn


def test_batch_tie_rules_flag_each_draw():
    votes = np.array([[280, 360], [360, 280], [300, 300], [100, 200]])
    # d'Hondt, 15 seats. Rows 0 and 1: the 280/360 tie above. Row 2: 300/k for k ≤ 8 is 16
    # quotients ≥ 37.5, the last two equal (300/8 twice): tied, and on equal votes. Row 3:
    # the quotients ≥ 20 are 100/1…100/5 and 200/1…200/10, fifteen, and the next (200/11,
    # 100/6) are below 20: no tie.
    first = allocate_batch_detail(votes, Rules(seats=15, method="dhondt", ties="first-listed"))
    assert first.seats.tolist() == [[7, 8], [9, 6], [8, 7], [5, 10]]
    assert first.tied.tolist() == [True, True, True, False]
    assert first.decided_by_rule.tolist() == [True, True, True, False]
    most = allocate_batch_detail(votes, Rules(seats=15, method="dhondt", ties="most-votes"))
    assert most.seats[:2].tolist() == [[6, 9], [9, 6]]
    assert most.decided_by_rule.tolist() == [True, True, False, False]  # row 2: equal votes
    with pytest.raises(TieError, match="draw 2 is tied under d'Hondt and the most-votes rule"):
        allocate_batch(votes, Rules(seats=15, method="dhondt", ties="most-votes"))
    lot = allocate_batch_detail(
        votes,
        Rules(seats=15, method="dhondt", ties="most-votes-then-lot"),
        rng=np.random.default_rng(0),
    )
    assert lot.decided_by_lot.tolist() == [False, False, True, False]
    assert lot.seats[2].sum() == 15 and sorted(lot.seats[2].tolist()) == [7, 8]
    with pytest.raises(InputError, match='ties = "most-votes-then-lot" needs a random'):
        allocate_batch(votes, Rules(seats=15, method="dhondt", ties="most-votes-then-lot"))


def test_same_seed_same_lots_on_any_chunk_size(monkeypatch):
    """Lots under most-votes-then-lot are drawn in draw order, only for the draws whose
    tie the votes cannot decide: the same seed gives the same seats however the batch is
    cut into chunks."""
    import simulate.batch as batch

    gen = np.random.default_rng(11)
    votes = gen.integers(0, 6, size=(3000, 4)) * 10  # small counts: ties everywhere
    votes[:, 0] += 1
    rules = Rules(seats=7, method="sainte-lague", ties="most-votes-then-lot")
    whole = allocate_batch_detail(votes, rules, rng=np.random.default_rng(3))
    assert whole.decided_by_lot.any() and (whole.decided_by_rule & ~whole.decided_by_lot).any()
    monkeypatch.setattr(batch, "CHUNK_CELLS", 4 * 97)
    cut = allocate_batch_detail(votes, rules, rng=np.random.default_rng(3))
    assert np.array_equal(whole.seats, cut.seats)
    assert np.array_equal(whole.decided_by_lot, cut.decided_by_lot)


# ---------------------------------------------------------------------------------------------
# rounded quotas


def test_rounded_quota_values():
    hare, droop = get_method("hare"), get_method("droop")
    # 45 votes, 10 seats: 4.5 → up 5, down 4, nearest 5 (a half goes up); 44 → 4.4 → 4.
    assert [hare.with_rounding(r).rounded_quota(45, 10) for r in ("up", "down", "nearest")] == [
        5,
        4,
        5,
    ]
    assert hare.with_rounding("nearest").rounded_quota(44, 10) == 4
    # Droop: 78 votes, 4 seats: 78/5 = 15.6 → down 15, up 16, nearest 16.
    assert [droop.with_rounding(r).rounded_quota(78, 4) for r in ("down", "up", "nearest")] == [
        15,
        16,
        16,
    ]


def test_slovak_surplus_seat_comes_back_from_the_smallest_remainder():
    # Droop (Hagenbach-Bischoff) quota, 4 seats, A 46, B 15, C 17 (78 votes).
    # Rounded down, as Slovakia does: q = floor(78/5) = 15. Whole quotas: A 46 // 15 = 3
    # (remainder 1), B 1 (remainder 0), C 1 (remainder 2): 5 seats for a house of 4. The
    # surplus seat comes back from the smallest remainder among the lists holding a seat: B.
    # Result A 3, B 0, C 1.
    # Exact quota 15.6: A 46/15.6 = 2.95 → 2 (remainder 14.8), B 0.96 → 0 (15), C 1.09 → 1
    # (1.4): 3 seats, the fourth to the largest remainder, B: A 2, B 1, C 1.
    # Rounded up (16): A 2 (14), B 0 (15), C 1 (1): again B's remainder wins: A 2, B 1, C 1.
    e = election(46, 15, 17)
    down = allocate(e, Rules(seats=4, method="droop", quota_rounding="down"))
    assert down.seats.tolist() == [3, 0, 1]
    assert down.tie is None
    assert allocate(e, Rules(seats=4, method="droop")).seats.tolist() == [2, 1, 1]
    up = allocate(e, Rules(seats=4, method="droop", quota_rounding="up"))
    assert up.seats.tolist() == [2, 1, 1]
    assert "quota rounded down" in Rules(seats=4, method="droop", quota_rounding="down").describe()
    batch = allocate_batch(np.array([[46, 15, 17]]), Rules(4, "droop", quota_rounding="down"))
    assert batch.tolist() == [[3, 0, 1]]


def test_rounded_quota_tie_at_the_surplus_is_a_tie():
    # Droop rounded down, 2 seats, A 34, B 34, C 33 (101 votes): q = floor(101/3) = 33; whole
    # quotas 1, 1, 1 with remainders 1, 1, 0: one seat too many, and C (remainder 0) gives it
    # back: no tie. With A 34, B 34, C 34 (102): q = 34, remainders all 0, three seats: one
    # comes back from one of three equal remainders: a tie; first-listed keeps it for A and
    # B (the last list gives it back), most-votes cannot decide (equal votes).
    rules = Rules(seats=2, method="droop", quota_rounding="down")
    assert allocate(election(34, 34, 33), rules).seats.tolist() == [1, 1, 0]
    with pytest.raises(TieError) as err:
        allocate(election(34, 34, 34), rules)
    assert err.value.lists == ("A", "B", "C") and err.value.seats == 1
    first = allocate(election(34, 34, 34), rules.replace(ties="first-listed"))
    assert first.seats.tolist() == [1, 1, 0]


def test_a_rounded_quota_that_cannot_fill_the_house_is_refused():
    # Hare rounded up, 10 seats, A 8, B 7 (15 votes): q = ceil(1.5) = 2; whole quotas 4 and 3,
    # 3 seats left over for 2 lists: largest remainder cannot hand them out.
    e = election(8, 7)
    with pytest.raises(InfeasibleError, match="the rounded quota cannot hand out the seats"):
        allocate(e, Rules(seats=10, method="hare", quota_rounding="up"))
    out = allocate_batch_detail(np.array([[8, 7]]), Rules(10, "hare", quota_rounding="up"))
    assert out.status.tolist() == [4]
    # A quota of 0: 3 votes for 10 seats rounded down.
    with pytest.raises(InfeasibleError, match="quota 0"):
        allocate(election(2, 1), Rules(seats=10, method="hare", quota_rounding="down"))


# ---------------------------------------------------------------------------------------------
# quotient factors


def test_serbian_factor_moves_a_seat_to_the_minority_list():
    # d'Hondt, 5 seats, A 1000 (a party), B 800 (a national minority).
    # Plain quotients: A 1000, 500, 333.3, 250; B 800, 400, 266.7: the five largest are
    # 1000, 800, 500, 400, 333.3: A 3, B 2.
    # B's quotients × 1.35: 1080, 540, 360, 270: the five largest are 1080, 1000, 540, 500,
    # 360: B 3, A 2.
    e = election(1000, 800, kinds=["party", "minority"])
    assert allocate(e, Rules(seats=5, method="dhondt")).seats.tolist() == [3, 2]
    rules = Rules(seats=5, method="dhondt", quotient_factors={"minority": "1.35"})
    res = allocate(e, rules)
    assert res.seats.tolist() == [2, 3]
    assert res.notes == ("quotients of the minority lists (B) multiplied by 1.35",)
    assert rules.quotient_factors == (("minority", Fraction(27, 20)),)
    assert rules.describe() == "5 seats, d'Hondt, quotients of minority lists × 1.35"
    batch = allocate_batch(np.array([[1000, 800]]), rules, kinds=["party", "minority"])
    assert batch.tolist() == [[2, 3]]


def test_factor_ties_compare_exact_quotients():
    # d'Hondt, A 27 (party), B 20 (minority, × 1.35 = 27): the quotients are 27, 13.5, 9, …
    # for both, exactly equal (no float near-miss). 3 seats: 27, 27, then A's 13.5 or B's
    # 13.5: tied.
    e = election(27, 20, kinds=["party", "minority"])
    rules = Rules(seats=3, method="dhondt", quotient_factors={"minority": "1.35"})
    with pytest.raises(TieError):
        allocate(e, rules)
    # most-votes: A has more votes (27 > 20): A 2, B 1.
    assert allocate(e, rules.replace(ties="most-votes")).seats.tolist() == [2, 1]


def test_factors_check_exactness_on_the_scaled_votes():
    # d'Hondt, 2 seats: the largest product the engine forms is about votes · 2 · d(3) =
    # 8 · votes (methods.exactness_bound). 8 · 2^46 = 2^49 is exact; multiplied by 27
    # (1.35 = 27/20), 27 · 2^49 > 2^52 is not, and is refused rather than rounded.
    big = 2**46
    e = election(big, big, kinds=["party", "minority"])
    allocate(e, Rules(seats=2, method="dhondt", ties="first-listed"))  # exact alone
    with pytest.raises(InputError, match="too large for exact arithmetic"):
        allocate(e, Rules(seats=2, method="dhondt", quotient_factors={"minority": "1.35"}))


# ---------------------------------------------------------------------------------------------
# bad rules


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (dict(ties="coin"), "ties: 'coin' is not one of error, lot, first-listed, most-votes"),
        (dict(quota_rounding="half"), "quota_rounding: 'half' is not one of exact, up, down"),
        (
            dict(method="dhondt", quota_rounding="up"),
            "quota_rounding: 'up' rounds a quota, and dhondt is a divisor method",
        ),
        (
            dict(quota_rounding="down", max_seats=5),
            "a rounded quota with max_seats or min_seats is not supported",
        ),
        (
            dict(quotient_factors={"minority": "1.35"}),
            "quotient_factors: multiply the quotients of a divisor method, and hare is a quota",
        ),
        (dict(method="dhondt", quotient_factors={"minority": "0"}), "must be above 0"),
        (dict(method="dhondt", quotient_factors={"minority": "1,35"}), "not '1,35'"),
        (dict(method="dhondt", quotient_factors={"minority": True}), "not True"),
        (dict(method="dhondt", quotient_factors={"": "2"}), "kind '' is empty or given twice"),
        (dict(method="dhondt", quotient_factors=5), "need {kind: factor}"),
    ],
)
def test_bad_rules_are_one_line_errors(rules, message):
    with pytest.raises(InputError) as err:
        Rules(seats=10, **rules)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_factor_forms():
    f = Rules(seats=3, method="dhondt", quotient_factors={"Minority": 1.35, "b": "3/2"})
    assert f.quotient_factors == (("b", Fraction(3, 2)), ("minority", Fraction(27, 20)))
    assert f.quotient_multipliers(["minority", "b", None], "x").tolist() == [27, 30, 20]


def test_unknown_kind_in_factors():
    e = election(100, 50, kinds=["party", "minority"])
    rules = Rules(seats=3, method="dhondt", quotient_factors={"minorty": "1.35"})
    with pytest.raises(InputError) as err:
        allocate(e, rules)
    assert str(err.value) == (
        "t: quotient_factors: no list is of kind 'minorty' (the lists' kinds: minority, party)"
    )
    with pytest.raises(InputError, match="kinds: quotient_factors need the kind of each"):
        allocate_batch(np.array([[100, 50]]), rules)
    with pytest.raises(InputError, match="kinds: quotient_factors: no list is of kind"):
        allocate_batch(np.array([[100, 50]]), rules, kinds=["party", "minority"])


def test_margins_refuse_what_they_cannot_measure():
    from simulate import margins

    e = election(1000, 800, kinds=["party", "minority"])
    with pytest.raises(InputError, match="margins with quotient_factors are not supported"):
        margins(e, Rules(seats=5, method="dhondt", quotient_factors={"minority": "1.35"}))
    with pytest.raises(InputError, match="margins with quota_rounding = 'down' are not"):
        margins(e, Rules(seats=5, method="hare", quota_rounding="down"))


def test_repr_says_the_law_rules():
    e = election(1000, 800, kinds=["party", "minority"])
    factor = Rules(seats=5, method="dhondt", quotient_factors={"minority": "1.35"})
    assert repr(allocate(e, factor)) == "Allocation(dhondt, 5 seats, minority × 1.35: B 3, A 2)"
    # Hare, 5 seats, 1800 votes: the quota 360 is whole already; A 2 (280), B 2 (80): A 3.
    rounded = Rules(seats=5, method="hare", quota_rounding="nearest")
    assert (
        repr(allocate(e, rounded)) == "Allocation(hare, 5 seats, quota rounded nearest: A 3, B 2)"
    )
