"""The engine's fast paths give what its plain paths give.

Speed work added ways into the engine that must not change a seat: writing the seats into the
caller's array (a transposed view in ``allocate_batch``), re-running tied draws by lot into
that array, telling callers which lists took part (``EngineResult.rows``, which the Monte Carlo
tallies count over), and drawing a Dirichlet's gammas one category at a time. Each is checked
against the path it replaced; the seats themselves are checked against the per-draw reference
in test_engine_reference.py.
"""

import numpy as np
import pytest

from simulate import engine, get_method
from simulate.montecarlo.models import Dirichlet, counts_from_weights
from simulate.montecarlo.tally import RuleSetWindow, Tally


def small_counts(seed, n=400, lists=6):
    """Small counts tie often (engine-notes.md: 'Small vote counts ... produce exact ties
    constantly: that is where a tie rule is tested')."""
    rng = np.random.default_rng(seed)
    votes = rng.choice([0, 10, 20, 30, 40, 60], size=(lists, n)).astype(np.float64)
    eligible = votes >= 20
    return votes, eligible


@pytest.mark.parametrize("method", ["hare", "dhondt", "sainte-lague", "droop"])
@pytest.mark.parametrize("cap", [None, 4])
def test_out_view_with_lots_equals_a_new_array(method, cap):
    votes, eligible = small_counts(1)
    m = get_method(method)

    def lots(seed):
        rng = np.random.default_rng(seed)
        return lambda cols: engine.lot_priority(rng, votes.shape[0], cols.size)

    plain = engine.allocate_pm(m, votes, eligible, 12, max_seats=cap, lots=lots(7))
    result = np.full((votes.shape[1], votes.shape[0]), -1, dtype=np.int64)
    into = engine.allocate_pm(m, votes, eligible, 12, max_seats=cap, lots=lots(7), out=result.T)
    assert plain.by_lot.any()  # the lot re-run path is taken
    assert into.seats.base is result or into.seats is result.T
    assert (plain.seats == result.T).all()
    assert (into.tied == plain.tied).all() and (into.status == plain.status).all()
    assert (result.sum(1)[plain.status == 0] == 12).all()


def test_rows_are_the_lists_eligible_somewhere_and_the_rest_hold_nothing():
    votes, eligible = small_counts(2, lists=8)
    eligible[[1, 5]] = False  # two lists never pass
    res = engine.allocate_pm(get_method("dhondt"), votes, eligible, 12)
    assert res.rows.tolist() == [0, 2, 3, 4, 6, 7]
    assert (res.seats[[1, 5]] == 0).all()


def test_a_reused_seats_array_keeps_only_this_batchs_seats():
    # The Monte Carlo reuses one seats array per rule set and tells the engine which rows
    # hold zeros already (``zeros``): rows a batch leaves idle are written only when the
    # last batch wrote them.
    m = get_method("hare")
    votes, eligible = small_counts(3, lists=8)
    out = np.zeros(votes.shape, dtype=np.int64)
    zeros = np.ones(8, dtype=bool)
    for idle in ([], [1, 5], [0, 1, 5, 6], [6], []):
        ok = eligible.copy()
        ok[idle] = False
        fresh = engine.allocate_pm(m, votes, ok, 12)
        res = engine.allocate_pm(m, votes, ok, 12, out=out, zeros=zeros)
        assert res.seats is out and (out == fresh.seats).all(), idle
        zeros[:] = True
        zeros[res.rows] = False
        assert zeros.tolist() == [i in idle for i in range(8)]


def test_zeros_without_an_array_to_write_into_is_ignored():
    # A review: ``zeros`` with no ``out`` left the idle rows of a new (uninitialised) array
    # unwritten. Memory freed just before is likely to come back: fill it with garbage.
    np.empty((4, 2), np.int64)[...] = 123456789
    votes = np.array([[100.0, 90], [50, 60], [0, 0], [10, 5]])
    ok = np.array([[1, 1], [1, 1], [0, 0], [0, 0]], bool)
    res = engine.allocate_pm(get_method("hare"), votes, ok, 5, zeros=np.ones(4, bool))
    assert res.seats.tolist() == [[3, 3], [2, 2], [0, 0], [0, 0]]


def test_a_batch_of_no_lists_is_unfilled_not_an_error():
    res = engine.allocate_pm(get_method("hare"), np.zeros((0, 3)), None, 5)
    assert res.seats.shape == (0, 3)
    assert (res.status == engine.NO_LIST).all()


def test_tally_with_the_engines_rows_counts_what_it_counts_without():
    votes, eligible = small_counts(3, n=500)
    m = get_method("hare")
    first = engine.allocate_pm(
        m,
        votes,
        eligible,
        12,
        lots=lambda c: engine.lot_priority(np.random.default_rng(0), votes.shape[0], c.size),
    )
    second = engine.allocate_pm(
        get_method("dhondt"),
        votes,
        eligible,
        12,
        lots=lambda c: engine.lot_priority(np.random.default_rng(1), votes.shape[0], c.size),
    )
    baseline = np.array([4, 3, 0, 3, 2, 0])
    segments = [(0, 0, 200), (1, 200, 500)]  # a window over two seeding blocks
    tallies = []
    for with_rows in (False, True):
        t = Tally(votes.shape[0], (12, 12), 300, 600)
        for r, res in enumerate((first, second)):
            got = RuleSetWindow(
                res.seats, eligible, res.status == 0, res.rows if with_rows else None
            )
            first_got = RuleSetWindow(
                first.seats, eligible, first.status == 0, first.rows if with_rows else None
            )
            t.add(r, got, None if r == 0 else first_got, baseline, int(res.by_lot.sum()), segments)
        tallies.append(t)
    a, b = tallies
    for key in ("seat_hist", "largest", "changes", "paired"):
        for x, y in zip(getattr(a, key), getattr(b, key)):
            assert (x == y).all(), key
    for key in ("passed", "paired_sq", "lots", "unfilled"):
        assert (getattr(a, key) == getattr(b, key)).all(), key
    assert all((a._open[k][1] == b._open[k][1]).all() for k in a._open)


def test_dirichlet_gammas_one_category_at_a_time_are_the_broadcast_draw():
    # numpy fills a (K, n) array with (K, 1) shapes row after row, consuming the generator in
    # the same order as one call per row; the models rely on this for unchanged numbers.
    model = Dirichlet(counts=(500, 0, 3, 120_000, 7), concentration=300.0)
    out = np.empty((5, 1000))
    model.fill(np.random.default_rng(11), out)
    rng = np.random.default_rng(11)
    weights = rng.standard_gamma(model._alpha, size=(5, 1000))
    assert (counts_from_weights(weights, model.total) == out).all()
    assert (out.sum(0) == model.total).all() and (out[1] == 0).all()


def test_more_lists_than_an_int16_count_holds():
    # Lists are counted per draw in int16 for speed; past 32,767 lists that would wrap (40,000
    # lists with a cap of one seat read as too few lists to fill 10 seats).
    from simulate import Rules, allocate_batch
    from simulate.reference import allocate_one

    votes = np.arange(40_000) % 997 + 1
    votes[:10] = 5000 + np.arange(10)  # ten clear winners: no tie at the cut
    rules = Rules(seats=10, method="dhondt", max_seats=1)
    out = allocate_batch(votes[None, :], rules, detail=True)
    seats, tied = allocate_one(get_method("dhondt"), votes.tolist(), 10, max_seats=1)
    assert out.status.tolist() == [0] and out.tied.tolist() == [tied] == [False]
    assert out.seats[0].tolist() == seats and out.seats[0, :10].tolist() == [1] * 10


@pytest.mark.parametrize("lists", [127, 128, 257])
def test_counts_of_equal_quotients_do_not_wrap(lists):
    # Equal quotients are counted per draw in int8 below 128 lists (int64 from 128). With 257
    # equal lists an int8 count would wrap to 1 and read as one clear winner, not a tie.
    from simulate import Rules, allocate_batch

    votes = np.full((1, lists), 100)
    out = allocate_batch(votes, Rules(seats=10, method="dhondt"), detail=True)
    assert out.tied.tolist() == [True]  # 10 seats among equal lists: list order would decide
    assert out.seats.sum() == 10 and out.seats.max() == 1
    votes[0, :10] = 101  # ten clear winners
    out = allocate_batch(votes, Rules(seats=10, method="dhondt"), detail=True)
    assert out.tied.tolist() == [False] and out.seats[0, :10].tolist() == [1] * 10


def test_batch_seats_are_int32():
    from simulate import Rules, allocate_batch

    out = allocate_batch(np.array([[60, 40]]), Rules(seats=5, method="hare"))
    assert out.dtype == np.int32 and out.tolist() == [[3, 2]]


def test_the_exact_starts_product_is_bounded_and_exact_just_below():
    # The divisor start forms v·(2·seats + lists) (divisor._exact_start): with 40 lists and 2
    # seats that is 44·v, so 1.1·10^14 votes a list (4.84·10^15 ≥ 2^52 ≈ 4.50·10^15) are
    # refused although the total (4.4·10^15) and v·2·(seats + 2) are below 2^52; 1.0·10^14
    # (4.4·10^15) still allocates, and agrees with the per-draw reference in exact integers.
    from simulate import InputError, Rules, allocate_batch
    from simulate.reference import allocate_one

    rules = Rules(seats=2, method="dhondt")
    with pytest.raises(InputError, match=r"a product or total of 4.84e\+15 ≥ 2\^52"):
        allocate_batch(np.full((1, 40), 110_000_000_000_000), rules)
    row = np.full(40, 100_000_000_000_000) - np.arange(40)  # distinct: no tie
    row[7] += 10  # the largest
    got = allocate_batch(row[None, :], rules)
    seats, tied = allocate_one(get_method("dhondt"), row.tolist(), 2)
    assert not tied and got[0].tolist() == seats and seats[7] == 1 and seats[0] == 1


def test_a_base_below_the_votes_sum_does_not_loosen_the_exactness_bound():
    # Sainte-Laguë's exact start forms v·Q + 2·E (E: the votes taking part). 40 lists of 10^14
    # votes with 1 seat: 2·E = 8·10^15 ≥ 2^52. A caller's base of 1 per draw must not stand in
    # for E in the bound (it did: the check read the base as the total).
    from simulate import InputError, Rules, allocate_batch

    votes = np.full((1, 40), 100_000_000_000_000)
    with pytest.raises(InputError, match=r"≥ 2\^52"):
        allocate_batch(votes, Rules(seats=1, method="sainte-lague"), base=np.array([1]))


@pytest.mark.parametrize("method", ["hare", "dhondt"])
def test_party_major_votes_equal_row_major_votes(method):
    """``allocate_batch`` copies votes held party-major (the transposed view of a (P, N)
    array, as the districted Monte Carlo passes them) in one piece, row-major votes in
    blocks: the same seats, flags and lots either way, over several engine chunks."""
    from simulate.batch import CHUNK_CELLS, allocate_batch_detail
    from simulate.rules import Rules

    lists = 5
    rows = 2 * CHUNK_CELLS // lists + 123  # three chunks, the last one short
    rng = np.random.default_rng(7)
    votes = rng.choice([0, 10, 20, 30, 40, 60], size=(rows, lists)).astype(np.int32)
    party_major = np.ascontiguousarray(votes.T).T
    assert party_major.strides[0] == party_major.itemsize
    rules = Rules(seats=7, method=method, ties="lot")
    a = allocate_batch_detail(votes, rules, rng=np.random.default_rng(1))
    b = allocate_batch_detail(party_major, rules, rng=np.random.default_rng(1))
    assert a.tied.any()  # (small counts: ties by lot are exercised)
    for key in ("seats", "tied", "decided_by_lot", "status"):
        np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    # one draw by hand, [60, 0, 30, 10, 0] and 7 seats. d'Hondt: the 7 largest quotients are
    # 60, 30, 30, 20, 15, 15, 12 (list 0: 60, 30, 20, 15, 12; list 2: 30, 15), next 10.
    # Hare: 7 × share = 4.2, 2.1, 0.7: floors 4 + 2, the last seat to the largest remainder
    # (0.7, list 3).
    one = np.array([[60, 0, 30, 10, 0]], dtype=np.int32)
    want = {"dhondt": [5, 0, 2, 0, 0], "hare": [4, 0, 2, 1, 0]}[method]
    got = allocate_batch_detail(np.ascontiguousarray(one.T).T, rules, rng=rng).seats
    assert got.tolist() == [want]
