"""Ties are never broken silently by list order (methods.md, "Ties").

methods.md's checks: d'Hondt, 15 seats, votes [360, 280] is a genuine tie (9/6 or 8/7 are
equally valid); d'Hondt, 19 seats, votes [397, 327, 274, 109] is a tie as well.
"""

import numpy as np
import pytest

from simulate import (
    Election,
    InfeasibleError,
    InputError,
    Rules,
    TieError,
    allocate,
    allocate_batch,
    allocate_batch_detail,
)


def election(*votes):
    return Election.from_votes({chr(65 + i): v for i, v in enumerate(votes)}, name="t")


def test_360_280_raises_naming_lists_and_seat():
    # 360/9 = 280/7 = 40: the 15th seat has two valid owners.
    with pytest.raises(TieError) as err:
        allocate(election(360, 280), Rules(seats=15, method="dhondt"))
    assert err.value.lists == ("A", "B")
    assert err.value.seats == 1
    assert str(err.value) == (
        "t: tie for the last 1 seat between A, B under d'Hondt; "
        'set ties = "lot" to decide it by lot'
    )


def test_397_327_274_109_raises():
    # Quotients: B's 6th seat 327/6 = 54.5 and D's 2nd 109/2 = 54.5 meet at the 19th seat.
    with pytest.raises(TieError) as err:
        allocate(election(397, 327, 274, 109), Rules(seats=19, method="dhondt"))
    assert err.value.lists == ("B", "D") and err.value.seats == 1


def test_lot_is_reported_and_reproducible():
    rules = Rules(seats=15, method="dhondt", ties="lot")
    outcomes = set()
    for seed in range(12):
        res = allocate(election(360, 280), rules, rng=np.random.default_rng(seed))
        assert res.tie is not None and res.tie.decided_by_lot
        assert res.tie.lists == ("A", "B") and res.tie.seats == 1
        outcomes.add(tuple(res.seats))
        again = allocate(election(360, 280), rules, rng=np.random.default_rng(seed))
        assert tuple(again.seats) == tuple(res.seats)
    # Both valid answers come up, and nothing else does.
    assert outcomes == {(9, 6), (8, 7)}


def test_lot_needs_a_generator():
    with pytest.raises(InputError, match="needs a random generator"):
        allocate(election(360, 280), Rules(seats=15, method="dhondt", ties="lot"))


def test_hare_equal_remainders():
    # Hare, 3 seats, votes (5, 5, 0...) -> quotas 1.5 and 1.5: the third seat is a tie.
    with pytest.raises(TieError) as err:
        allocate(election(5, 5), Rules(seats=3))
    assert err.value.lists == ("A", "B") and err.value.seats == 1


def test_no_tie_when_equal_quotients_are_both_in():
    # d'Hondt, 2 seats, (10, 10): each gets one; equal quotients on the same side of the cut.
    res = allocate(election(10, 10), Rules(seats=2, method="dhondt"))
    assert tuple(res.seats) == (1, 1) and res.tie is None


def test_batch_flags_tied_draws():
    # Equal lists and an odd house are a tie too: (100, 100) and 15 seats.
    votes = np.array([[360, 280], [361, 280], [397, 327], [100, 100]])
    rules = Rules(seats=15, method="dhondt")
    out = allocate_batch(votes, rules, detail=True)
    assert out.tied.tolist() == [True, False, False, True]
    assert out.seats[1].tolist() == [9, 6] and out.seats[2].tolist() == [8, 7]
    with pytest.raises(TieError, match="draw 0 is tied"):
        allocate_batch(votes, rules)
    lot = allocate_batch(
        votes, rules.replace(ties="lot"), rng=np.random.default_rng(1), detail=True
    )
    assert lot.decided_by_lot.tolist() == [True, False, False, True]
    assert tuple(lot.seats[0]) in {(9, 6), (8, 7)}
    assert tuple(lot.seats[3]) in {(8, 7), (7, 8)}
    assert lot.seats.sum(1).tolist() == [15] * 4


@pytest.mark.parametrize("method", ["hare", "dhondt"])
def test_batch_lots_are_the_same_on_any_chunk_size(method, monkeypatch):
    # The lot of a tied draw is drawn in draw order, whether the tied draws of a batch come
    # from one chunk or many (allocate_batch settles them together once a quarter of a
    # chunk's draws wait, and at the end). Small counts tie often; a cap of 2 with a minimum
    # of 1 also leaves some draws unfilled.
    import simulate.batch as rules_module

    votes = np.random.default_rng(5).integers(0, 12, size=(3000, 5))
    rules = Rules(seats=7, method=method, max_seats=2, min_seats=1, ties="lot")

    def run(cells):
        monkeypatch.setattr(rules_module, "CHUNK_CELLS", cells)
        return allocate_batch(votes, rules, rng=np.random.default_rng(9), detail=True)

    one, many = run(10**6), run(35)  # one chunk; chunks of 7 draws
    assert one.decided_by_lot.sum() > 300 and (one.status != 0).sum() > 10
    assert (one.tied == one.decided_by_lot).all()
    for field in ("seats", "tied", "decided_by_lot", "status"):
        assert np.array_equal(getattr(one, field), getattr(many, field)), field


def test_sainte_lague_exact_tie_at_5000_seats():
    # engine-notes.md: Sainte-Laguë, votes [27, 21], 5,000 seats is an exact tie that a float
    # bisection on the divisor misses: 27/(2*2812+1) = 21/(2*2187+1) (27 * 4375 = 21 * 5625).
    out = allocate_batch(
        np.array([[27, 21]]), Rules(seats=5000, method="sainte-lague"), detail=True
    )
    assert out.tied.tolist() == [True]
    assert out.seats.sum() == 5000


# A tie in a round that a seat cap or minimum then corrects still decides the result when it
# decides which lists are held (found by an exhaustive search over tie-break orders).


def test_a_tie_before_the_cap_decides_which_list_is_held():
    # Hare, 4 seats, votes 7, 1, 4 (total 12): quotas 7/3, 1/3, 4/3, floors 2, 0, 1 and
    # three equal remainders 1/3 for the 4th seat. A taking it is over the cap of 2, held at
    # 2, and B, C share the other 2 seats 0 + 2: seats 2, 0, 2. B or C taking it is final:
    # 2, 1, 1 or 2, 0, 2. Two valid results, so the draw is a tie.
    rules = Rules(seats=4, method="hare", max_seats=2)
    with pytest.raises(TieError) as err:
        allocate(election(7, 1, 4), rules)
    assert err.value.lists == ("A", "B", "C") and err.value.seats == 1
    assert "before the seat cap applies (it decides which lists it holds)" in str(err.value)
    res = allocate_batch(np.array([[7, 1, 4], [1, 7, 4]]), rules, detail=True)
    assert res.tied.tolist() == [True, True]
    outcomes = {
        tuple(
            allocate(
                election(7, 1, 4), rules.replace(ties="lot"), rng=np.random.default_rng(seed)
            ).seats
        )
        for seed in range(20)
    }
    assert outcomes == {(2, 0, 2), (2, 1, 1)}


def test_a_tie_before_the_minimum_decides_which_list_is_held():
    # Hare, 5 seats, minimum 1, votes 5, 8, 2: floors 1, 2, 0 and three equal remainders for
    # the last 2 seats. C left out is raised to 1 and the others share 4 (2, 2, 1); C in is
    # final (1, 3, 1 or 2, 2, 1).
    rules = Rules(seats=5, method="hare", min_seats=1)
    with pytest.raises(TieError, match="before the minimum applies"):
        allocate(election(5, 8, 2), rules)
    assert allocate_batch(np.array([[5, 8, 2]]), rules, detail=True).tied.tolist() == [True]


def test_a_tie_among_lists_far_from_the_cap_is_not_flagged():
    # d'Hondt, 9 seats, cap 5, votes 800, 100, 100: A's quotients 800/k are above 100 up to
    # k = 7, so seats 8 and 9 go to three equal quotients of 100 (A's 8th, B's and C's
    # first): a tie in the first round. A holds 7 or 8 seats, over the cap either way: held
    # at 5, and B and C share the other 4 (100, 100, 50, 50): 5, 2, 2 whatever the tie-break.
    # With 700, 100, 100 and 10 seats the first round is not tied but the last is: B and C
    # share 5 seats, and the 5th is 33.3 against 33.3.
    rules = Rules(seats=9, method="dhondt", max_seats=5)
    first = allocate_batch(np.array([[800, 100, 100]]), rules.replace(max_seats=None), detail=True)
    assert first.tied.tolist() == [True]
    res = allocate_batch(np.array([[800, 100, 100]]), rules, detail=True)
    assert res.seats.tolist() == [[5, 2, 2]] and res.tied.tolist() == [False]
    res = allocate_batch(np.array([[700, 100, 100]]), rules.replace(seats=10), detail=True)
    assert res.seats.tolist() == [[5, 3, 2]] and res.tied.tolist() == [True]


def test_a_tie_that_every_tie_break_corrects_alike_is_not_a_tie():
    # Found by a review: the first round's tie (B or D takes the 15th seat; d'Hondt: A's
    # 7th seat against E's first) leaves the same result whichever way it goes, so there is
    # no tie. Hare: A has 6 seats either way, over the cap: held at 5, and B, C, D, E share
    # 10 (floors 5, 1, 1, 1; C and D the remainders): 5, 5, 2, 2, 1. d'Hondt: A with 7 is
    # held at 6 and the others share 9: 5, 2, 1, 1; A with 6 is final with the same seats.
    # All 120 priority orders give one result in each (simulate.reference.allocate_one).
    hare = Rules(seats=15, method="hare", threshold="5%", max_seats=5)
    res = allocate(election(392, 304, 110, 104, 90), hare)
    assert list(res.seats) == [5, 5, 2, 2, 1] and res.tie is None
    dhondt = Rules(seats=15, method="dhondt", threshold="5%", max_seats=6)
    res = allocate(election(406, 337, 128, 71, 58), dhondt)
    assert list(res.seats) == [6, 5, 2, 1, 1] and res.tie is None
    batch = allocate_batch(np.array([[392, 304, 110, 104, 90]]), hare, detail=True)
    assert batch.tied.tolist() == [False]


def test_every_result_that_depends_on_the_tie_break_is_flagged():
    # Exhaustive over small elections: the draw is flagged exactly when two priority orders
    # give different seats, or fill the seats under one and not the other (the engine and
    # the plain reference alike).
    import itertools

    from simulate.methods import get_method
    from simulate.reference import allocate_one

    rng = np.random.default_rng(3)
    checked = 0
    for method in ("hare", "droop", "dhondt", "sainte-lague"):
        m = get_method(method)
        for _ in range(150):
            P, S = int(rng.integers(2, 5)), int(rng.integers(2, 9))
            votes = [int(x) for x in rng.integers(0, 10, P)]
            cap = [None, 1, 2, 3][int(rng.integers(4))]
            low = [None, None, 1][int(rng.integers(3))]
            if cap is not None and low is not None and low > cap:
                continue
            results = {
                tuple(
                    allocate_one(m, votes, S, max_seats=cap, min_seats=low, priority=list(p))[0]
                    or ()
                )
                for p in itertools.permutations(range(P))
            }
            seats, tied = allocate_one(m, votes, S, max_seats=cap, min_seats=low)
            rules = Rules(seats=S, method=method, max_seats=cap, min_seats=low)
            batch = allocate_batch(np.array([votes]), rules, detail=True)
            assert batch.tied[0] == tied
            assert (batch.status[0] != 0) == (seats is None)  # () above: not filled
            assert list(batch.seats[0]) == (seats or [0] * P)
            assert tied == (len(results) > 1), (method, votes, S, cap, low, results)
            checked += len(results) > 1
    assert checked > 30


def test_a_result_the_bounds_force_is_not_a_tie():
    # 5 lists × at most 2 seats = the 10 seats: every list holds exactly 2 whatever the order
    # of the rounds, so the equal remainders on the way (11·10/35 and 8·10/35 …) decide
    # nothing. Likewise 4 lists × at least 2 = 8 seats.
    res = allocate(
        Election.from_votes({"A": 5, "B": 11, "C": 3, "D": 8, "E": 8}),
        Rules(seats=10, method="hare", max_seats=2),
    )
    assert res.seats.tolist() == [2] * 5 and res.tie is None
    batch = allocate_batch(
        np.array([[11, 12, 12, 4]]),
        Rules(seats=8, method="sainte-lague", max_seats=2, min_seats=2),
        detail=True,
    )
    assert batch.seats.tolist() == [[2, 2, 2, 2]] and batch.tied.tolist() == [False]


def test_a_tie_that_decides_whether_the_seats_fill_is_a_tie():
    # Hare, 4 seats, at most 3 and at least 2 per list, votes 1 and 7: floors 0 and 3, and
    # the 4th seat is tied between equal remainders (1·4 ≡ 7·4 ≡ 4 mod 8). B taking it
    # (0, 4) is over the cap, held at 3; A's 1 is then below the minimum, held at 2: 5 seats,
    # stuck. A taking it (1, 3) is raised to 2 and B keeps 2: (2, 2). Whether the seats fill
    # at all hangs on the tie.
    rules = Rules(seats=4, method="hare", max_seats=3, min_seats=2)
    with pytest.raises(TieError):
        allocate(election(1, 7), rules)
    res = allocate_batch(
        np.array([[1, 7]] * 200),
        rules.replace(ties="lot"),
        rng=np.random.default_rng(0),
        detail=True,
    )
    filled = res.status == 0
    assert res.tied.all() and res.decided_by_lot.all()
    assert 50 < filled.sum() < 150  # a fair lot decides it
    assert (res.seats[filled] == [2, 2]).all() and (res.seats[~filled] == 0).all()


def test_a_bound_that_never_binds_does_not_undo_a_forced_result():
    # 5 lists × at most 1 seat = 5 seats: forced (1, 1, 1, 1, 1). A minimum of 0, or a cap of
    # the whole house beside a minimum, binds nothing and must not make it a tie.
    e = Election.from_votes({"A": 10, "B": 9, "C": 4, "D": 5, "E": 4})
    for rules in (
        Rules(seats=5, method="imperiali", max_seats=1),
        Rules(seats=5, method="imperiali", max_seats=1, min_seats=0),
    ):
        assert allocate(e, rules).seats.tolist() == [1] * 5
    e = Election.from_votes({"A": 15, "B": 15, "C": 3, "D": 3, "E": 2})
    rules = Rules(seats=10, method="danish", min_seats=2, max_seats=10)
    assert allocate(e, rules).seats.tolist() == [2] * 5


def test_a_tie_before_the_cap_is_named_by_its_own_lists():
    # Droop, 9 seats, cap 4, votes 3, 14, 2, 11 (total 30, quota 30/10 = 3): floors 1, 4, 0,
    # 3 (8 seats), and B, C and D have equal remainders 2/3 for the 9th. B taking it is over
    # the cap, held at 4, and A, C, D share 5 (1, 0, 4): (1, 4, 0, 4); D taking it gives
    # the same; C taking it gives (1, 4, 1, 3). The tie is B's, C's and D's, not A's.
    with pytest.raises(TieError) as err:
        allocate(
            Election.from_votes({"A": 3, "B": 14, "C": 2, "D": 11}),
            Rules(seats=9, method="droop", max_seats=4),
        )
    assert err.value.lists == ("B", "C", "D")
    assert "before the seat cap applies" in str(err.value)


def test_seats_a_lot_leaves_unfilled_say_a_lot_decided_it():
    # d'Hondt, 3 seats, at most 2 and at least 1, votes 2, 2, 6: the tie between A and B
    # decides whether the rounds fill the seats; with seed 1 the lot does not.
    e = Election.from_votes({"A": 2, "B": 2, "C": 6}, name="e")
    rules = Rules(seats=3, method="dhondt", max_seats=2, min_seats=1, ties="lot")
    assert allocate(e, rules, rng=np.random.default_rng(0)).seats.tolist() == [1, 1, 1]
    with pytest.raises(InfeasibleError) as err:
        allocate(e, rules, rng=np.random.default_rng(1))
    assert str(err.value).endswith(
        "; a lot decided it (the tie between A, B, C): another lot may fill the seats"
    )
    assert "at least 1 seat each, 3 seats" in str(err.value)


def test_a_dozen_equal_lists_tied_at_once_are_followed_exactly():
    # Imperiali (divisors 2, 3, 4, …), 14 seats, at most 4 and at least 1 per list, votes 28
    # and twelve lists of 5. Round 1: A's quotients 28/2 … 28/11 ≈ 2.55 beat the small lists'
    # 5/2 = 2.5, so A takes 10, over the cap: held at 4; 4 of the 12 equal lists take the
    # rest, a tie. Round 2: 10 seats among the 12 at 2.5 each: 10 take one, a tie again, and
    # the 2 left without are raised to the minimum; and so on, 2 at a time, until 4 + 10 · 1
    # leaves no seat for the last 2, which need one each: stuck. Every way of breaking the
    # ties ends there, so the seats cannot be filled and no lot could change that
    # (simulate.reference.allocate_one, every outcome followed: (None, not tied)). Up to
    # stop 10 the engine gave up after 4,096 outcomes and flagged the draw as tied.
    from simulate.methods import get_method
    from simulate.reference import allocate_one

    votes = [28] + [5] * 12
    rules = Rules(seats=14, method="imperiali", max_seats=4, min_seats=1)
    assert allocate_one(get_method("imperiali"), votes, 14, max_seats=4, min_seats=1) == (
        None,
        False,
    )
    batch = allocate_batch(np.array([votes]), rules, detail=True)
    assert batch.tied.tolist() == [False] and batch.status.tolist() == [2]
    with pytest.raises(InfeasibleError) as err:
        allocate(Election.from_votes({f"L{i}": v for i, v in enumerate(votes)}, name="e"), rules)
    assert "round by round" in str(err.value) and "lot" not in str(err.value)
    # Without the minimum, A is held at 4 and 10 of the 12 equal lists take a seat: which
    # 10 is a tie (two equal lists end with different seats).
    batch = allocate_batch(np.array([votes]), rules.replace(min_seats=None), detail=True)
    assert batch.tied.tolist() == [True]
    assert batch.seats[0, 0] == 4 and sorted(batch.seats[0, 1:]) == [0] * 2 + [1] * 10


def test_allocate_batch_detail_is_detail_true():
    # One return type per call shape: allocate_batch_detail gives what detail=True gives,
    # flags and lots included (small counts tie often: the lots come from the same rng).
    votes = np.random.default_rng(3).integers(0, 9, size=(400, 4))
    rules = Rules(seats=5, method="dhondt", max_seats=2, ties="lot")
    a = allocate_batch(votes, rules, rng=np.random.default_rng(4), detail=True)
    b = allocate_batch_detail(votes, rules, rng=np.random.default_rng(4))
    assert a.decided_by_lot.sum() > 20 and (a.status != 0).sum() > 0
    for key in ("seats", "tied", "decided_by_lot", "status"):
        assert np.array_equal(getattr(a, key), getattr(b, key)), key
