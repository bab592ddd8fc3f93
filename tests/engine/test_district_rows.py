"""Districts as rows of one batch: per-row seats, and the lists left out before allocating.

A districted election is one ``allocate_batch`` call with a house size per row (``seats=``).
Small districts with many lists are the usual case there, and under a divisor method the
engine leaves out the lists that cannot win a seat (``simulate.engine.contenders``) before
allocating. Checked against the plain per-draw reference (``simulate.reference``) row by row,
seats and tie flags, with per-row seats 1 to 10, many lists with no votes or absent from
whole batches, and small counts so that ties are common; then the bound itself on
hand-worked cases.
"""

import numpy as np
import pytest

from simulate import METHOD_NAMES, Rules, allocate_batch, engine, get_method
from simulate.engine.contenders import drop_hopeless, least_winning, signpost_terms
from simulate.reference import allocate_one


def districted_votes(rng, rows, lists, scale):
    """Votes (rows, lists) like a districted count: a few large lists, many small ones, a
    third of the cells empty, and the last two lists absent everywhere."""
    shares = rng.dirichlet(40.0 / np.arange(1, lists + 1), size=rows)
    votes = np.floor(shares * scale).astype(np.int64)
    votes[rng.random((rows, lists)) < 0.33] = 0
    votes[:, -2:] = 0
    votes[::5, 1] = votes[::5, 0]  # equal lists now and then: ties at the cut
    return votes


@pytest.mark.parametrize("method", METHOD_NAMES)
@pytest.mark.parametrize("lists", [5, 12, 20, 30])
def test_rows_with_their_own_seats_equal_the_reference(method, lists):
    rng = np.random.default_rng([lists, METHOD_NAMES.index(method)])
    m = get_method(method)
    tied = 0
    for scale, threshold in ((40, "0%"), (600, "0%"), (60_000, "0%"), (600, "4%")):
        votes = districted_votes(rng, 150, lists, scale)
        house = rng.integers(1, 11, size=len(votes))
        rules = Rules(seats=10, method=method, threshold=threshold)
        out = allocate_batch(votes, rules, seats=house, detail=True)
        for r, row in enumerate(votes):
            ref, ref_tied = allocate_one(m, row.tolist(), int(house[r]), threshold=rules.threshold)
            if ref is None:  # no list passes (a row with no votes)
                assert out.status[r] != 0
                continue
            assert out.status[r] == 0
            assert out.seats[r].tolist() == ref, (method, row.tolist(), int(house[r]))
            assert bool(out.tied[r]) == ref_tied, (method, row.tolist(), int(house[r]))
        tied += int(out.tied.sum())
    assert tied > 0  # the cases do exercise ties


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague", "modified-sainte-lague"])
def test_tied_rows_decided_by_lot_equal_the_reference_with_that_lot(method):
    # The tied rows are allocated again with a lot drawn in row order
    # (``engine.lot_priority``): the same lots given to the reference as priorities must
    # give the same seats.
    rng = np.random.default_rng(5)
    m = get_method(method)
    votes = districted_votes(rng, 400, 16, 40)
    house = rng.integers(1, 11, size=len(votes))
    rules = Rules(seats=10, method=method, ties="lot")
    out = allocate_batch(votes, rules, seats=house, rng=np.random.default_rng(11), detail=True)
    rows = np.flatnonzero(out.decided_by_lot)
    assert rows.size > 10
    lots = engine.lot_priority(np.random.default_rng(11), votes.shape[1], rows.size)
    for k, r in enumerate(rows.tolist()):
        prio = [int(p) for p in lots[:, k]]
        ref, _ = allocate_one(m, votes[r].tolist(), int(house[r]), priority=prio)
        assert out.seats[r].tolist() == ref


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague"])
def test_rows_with_their_own_seats_are_the_same_on_any_chunk_size(method, monkeypatch):
    # Which lists are left out depends on the draws of a chunk (a list is kept for a whole
    # chunk when it may win in one of its draws); the seats, the tie flags and the lots
    # (drawn in draw order) must not.
    import simulate.batch as batch_module

    rng = np.random.default_rng(8)
    votes = districted_votes(rng, 2000, 20, 300)
    house = rng.integers(1, 11, size=len(votes))
    rules = Rules(seats=10, method=method, ties="lot")

    def run(cells):
        monkeypatch.setattr(batch_module, "CHUNK_CELLS", cells)
        return allocate_batch(votes, rules, seats=house, rng=np.random.default_rng(2), detail=True)

    one, many = run(10**6), run(20 * 13)  # one chunk; chunks of 13 draws
    assert one.decided_by_lot.sum() > 20
    for field in ("seats", "tied", "decided_by_lot", "status"):
        assert np.array_equal(getattr(one, field), getattr(many, field)), field


@pytest.mark.parametrize("cap", [None, 2])
def test_the_benchmarks_districts_equal_the_reference(cap):
    # The districts benchmark's own inputs (simulate.bench.districts): 52 districts of 6-7
    # seats, 20 lists with zipf shares of 60,000 votes, d'Hondt; and with a cap, under which
    # no list is left out (a list seated by no one at first may be once a larger one is held).
    from simulate.bench.allocation import make_votes
    from simulate.bench.districts import district_magnitudes

    votes = make_votes(np.random.default_rng(3), 52 * 8, 20, total=60_000, shares="zipf")
    house = np.tile(district_magnitudes(52, 350), 8)
    m = get_method("dhondt")
    out = allocate_batch(votes, Rules(seats=7, method="dhondt", max_seats=cap), seats=house)
    for r, row in enumerate(votes):
        ref, _ = allocate_one(m, row.tolist(), int(house[r]), max_seats=cap)
        assert out[r].tolist() == ref


def kept(method, votes, seats):
    """The lists ``drop_hopeless`` keeps in each draw: (P, n) bool."""
    vm = np.asarray(votes, dtype=np.float64)
    got = drop_hopeless(get_method(method), vm, np.asarray(seats, dtype=np.float64))
    assert got is not None
    rows, part = got
    keep = np.zeros(vm.shape, dtype=bool)
    keep[rows] = part > 0
    assert (part == vm[rows] * keep[rows]).all()  # the votes of the kept lists, unchanged
    return keep


def test_the_bound_on_a_hand_worked_draw():
    # d'Hondt, 2 seats, votes 100, 60, 30, 9. The last seat's quotient λ is at least
    # E / (S − 1 + P_e) = 199 / 5 = 39.8: lists 30 and 9 cannot win. Among the other two,
    # 160 / 3 = 53.3 keeps both. (The seats: quotients 100, 60, 50, … give 1 and 1.)
    keep = kept("dhondt", [[100], [60], [30], [9]], [2])
    assert keep[:, 0].tolist() == [True, True, False, False]
    # Sainte-Laguë (d(k) = 2k + 1), same draw: λ ≥ 199 / (2·1 + 4·1) = 33.2, then
    # 160 / (2 + 2) = 40: lists 30 and 9 are out again.
    keep = kept("sainte-lague", [[100], [60], [30], [9]], [2])
    assert keep[:, 0].tolist() == [True, True, False, False]


def test_a_list_exactly_at_the_bound_is_kept_and_its_tie_flagged():
    # d'Hondt, 2 seats, votes 60, 30, 30, 5. First round, every row counted: the fewest
    # votes that may win are ceil(125 / (1 + 4)) = 25, so 5 is out. Second round:
    # 120 / (1 + 3) = 30, and both lists of 30 are exactly there. The quotients are 60,
    # 30, 30, 30 (60/2): the second seat is a three-way tie, so neither may be left out.
    keep = kept("dhondt", [[60], [30], [30], [5]], [2])
    assert keep[:, 0].tolist() == [True, True, True, False]
    out = allocate_batch(np.array([[60, 30, 30, 5]]), Rules(seats=2, method="dhondt"), detail=True)
    assert out.seats[0].tolist() == [2, 0, 0, 0] and out.tied[0]  # the earlier list, flagged


def test_draws_are_bounded_each_with_its_own_seats():
    # One count, two houses; votes 50, 30, 20, 1 (E = 101). With 1 seat: at least
    # ceil(101 / (0 + 4)) = 26 votes may win, leaving 20 and 1 out, then 80 / (0 + 2) = 40
    # leaves 30 out. With 5 seats: ceil(101 / (4 + 4)) = 13 leaves only 1 out, then
    # ceil(100 / (4 + 3)) = 15 keeps the other three (and each wins: quotients 50, 30, 25,
    # 20, 16.7 give 3, 1 and 1 seats).
    votes = np.array([[50, 50], [30, 30], [20, 20], [1, 1]])
    keep = kept("dhondt", votes, [1, 5])
    assert keep[:, 0].tolist() == [True, False, False, False]
    assert keep[:, 1].tolist() == [True, True, True, False]
    out = allocate_batch(votes.T, Rules(seats=5, method="dhondt"), seats=np.array([1, 5]))
    assert out.tolist() == [[1, 0, 0, 0], [3, 1, 1, 0]]


def test_a_draw_with_no_votes_keeps_no_list():
    # The second draw: ceil(16 / (0 + 3)) = 6 votes may win the one seat: 5 and 1 are out.
    keep = kept("dhondt", [[0, 10], [0, 5], [0, 1]], [1, 1])
    assert keep[:, 0].tolist() == [False, False, False]
    assert keep[:, 1].tolist() == [True, False, False]


def test_nothing_left_out_where_it_does_not_pay():
    m = get_method("dhondt")
    # A house as large as the lists: few lists, if any, win nothing.
    assert drop_hopeless(m, np.array([[50.0], [30.0], [1.0]]), np.array([3.0])) is None
    # No row left out by the first round (every list may win in some draw): zeroing a few
    # draws' lists alone is not worth the copy. Here 30 may win the second seat of the first
    # draw (at least ceil(100 / (1 + 3)) = 25 votes), 20 the second of the other (20).
    votes = np.array([[50.0, 60.0], [30.0, 0.0], [20.0, 20.0]])
    assert drop_hopeless(m, votes, np.array([2.0, 2.0])) is None


@pytest.mark.parametrize("method", ["adams", "huntington-hill"])
def test_no_bound_where_every_list_has_a_claim_to_a_first_seat(method):
    # d(0) = 0: every list with votes has an infinite quotient for its first seat.
    assert signpost_terms(get_method(method)) is None
    assert drop_hopeless(get_method(method), np.array([[9.0], [1.0]]), np.array([1.0])) is None


def test_signposts_bounded_above_by_a_line():
    # d(k) ≤ a·k + c for every k: modified Sainte-Laguë's signposts (scaled by five) are
    # 7, 15, 25, …: 10k + 7 bounds them all, and d(0) = 7.
    assert signpost_terms(get_method("modified-sainte-lague")) == (10.0, 7.0, 7.0)
    assert signpost_terms(get_method("dhondt")) == (1.0, 1.0, 1.0)
    assert signpost_terms(get_method("imperiali")) == (1.0, 2.0, 2.0)


def test_no_bound_when_the_products_would_not_be_exact():
    # A total of 2^52: d(0)·E is no longer below 2^52, where float64 quotients of integers
    # may round across an integer: nothing is left out (the engine allocates every list).
    big = np.zeros((20, 1))
    big[0, 0] = 2.0**52
    assert drop_hopeless(get_method("dhondt"), big, np.array([3.0])) is None
    big[0, 0] = 2.0**52 - 1.0
    assert drop_hopeless(get_method("dhondt"), big, np.array([3.0])) is not None


def test_no_bound_for_a_house_of_no_seats():
    assert drop_hopeless(get_method("dhondt"), np.array([[9.0], [1.0]]), np.array([0.0])) is None


def test_fewest_winning_votes_are_exact_up_to_the_limit():
    # least_winning: the smallest v ≥ 1 with v·den ≥ need, as the ceiling of a float
    # quotient. Against Python's integers on totals up to 2^52, at exact multiples of den
    # and one vote either side of them (where a rounded quotient would cross an integer).
    rng = np.random.default_rng(4)
    den = rng.integers(1, 5_000, size=30_000)
    need = rng.integers(0, 2**52 - 5_000, size=den.size)
    need = (need // den) * den + np.tile([0, 1, -1, 7], den.size // 4 + 1)[: den.size]
    need = np.clip(need, 0, 2**52 - 1)
    got = least_winning(need.astype(np.float64), den.astype(np.float64))
    want = [max(1, -(-int(a) // int(d))) for a, d in zip(need, den, strict=True)]
    assert got.astype(np.int64).tolist() == want


@pytest.mark.parametrize("method", ["dhondt", "sainte-lague", "hare"])
def test_totals_from_the_caller_change_nothing(method):
    # allocate_batch hands the engine the sums it computed (with no threshold to mask),
    # saving a pass: the same seats, tie flags and lots as when the engine sums itself.
    rng = np.random.default_rng(6)
    votes = districted_votes(rng, 500, 16, 40).T.astype(np.float64)
    house = rng.integers(1, 11, size=votes.shape[1])
    m = get_method(method)

    def run(totals):
        lot = np.random.default_rng(3)
        return engine.allocate_pm(
            m,
            votes,
            None,
            house,
            lots=lambda cols: engine.lot_priority(lot, votes.shape[0], cols.size),
            totals=totals,
        )

    plain, given = run(None), run(votes.sum(0))
    assert plain.by_lot.sum() > 10
    for field in ("seats", "tied", "status", "by_lot"):
        assert np.array_equal(getattr(plain, field), getattr(given, field)), field
