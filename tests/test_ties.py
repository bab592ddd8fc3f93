"""Ties are never broken silently by list order (methods.md, "Ties").

methods.md's checks: d'Hondt, 15 seats, votes [360, 280] is a genuine tie (9/6 or 8/7 are
equally valid); d'Hondt, 19 seats, votes [397, 327, 274, 109] is a tie as well.
"""

import numpy as np
import pytest

from simulate import Election, InputError, Rules, TieError, allocate, allocate_batch


def election(*votes):
    return Election.from_votes({chr(65 + i): v for i, v in enumerate(votes)}, name="t")


def test_360_280_raises_naming_lists_and_seat():
    # 360/9 = 280/7 = 40: the 15th seat has two valid owners.
    with pytest.raises(TieError) as err:
        allocate(election(360, 280), Rules(seats=15, method="dhondt"))
    assert err.value.lists == ("A", "B")
    assert err.value.seats == 1
    assert str(err.value) == ("t: tie for the last 1 seat between A, B under d'Hondt; "
                              'set ties = "lot" to decide it by lot')


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
    lot = allocate_batch(votes, rules.replace(ties="lot"), rng=np.random.default_rng(1),
                         detail=True)
    assert lot.decided_by_lot.tolist() == [True, False, False, True]
    assert tuple(lot.seats[0]) in {(9, 6), (8, 7)}
    assert tuple(lot.seats[3]) in {(8, 7), (7, 8)}
    assert lot.seats.sum(1).tolist() == [15] * 4


def test_sainte_lague_exact_tie_at_5000_seats():
    # engine-notes.md: Sainte-Laguë, votes [27, 21], 5,000 seats is an exact tie that a float
    # bisection on the divisor misses: 27/(2*2812+1) = 21/(2*2187+1) (27 * 4375 = 21 * 5625).
    out = allocate_batch(np.array([[27, 21]]), Rules(seats=5000, method="sainte-lague"),
                         detail=True)
    assert out.tied.tolist() == [True]
    assert out.seats.sum() == 5000
