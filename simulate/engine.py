"""The allocation engine: every method, one draw or millions, exact, ties detected.

Arrays are party-major: ``votes[i, j]`` is list i in draw j, so reductions over lists run along
long contiguous rows. Votes are float64 arrays holding exact integers; every product the engine
forms stays below 2^52 (``methods.check_exact``), so floors, remainders and quotient comparisons
are exact, not rounded. Ties are broken by a priority rank per list and draw (higher wins): by
default the earlier list, but every draw whose result depends on that choice is flagged as tied,
so callers either raise or re-run it with a priority drawn by lot.

``allocate_pm`` is the one entry point: ``simulate.rules`` calls it for a single election and for
batches, ``simulate.montecarlo`` for its chunks.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from . import sortnet
from .methods import DivisorMethod, Method, QuotaMethod

OK, NO_LIST, CAP_TOO_LOW, MIN_TOO_HIGH = 0, 1, 2, 3
STATUS_TEXT = {
    NO_LIST: "no list passes the threshold",
    CAP_TOO_LOW: "the seat cap leaves seats that no list may take",
    MIN_TOO_HIGH: "the minimum seats per list add up to more than the house",
}


@dataclass
class EngineResult:
    """Seats (P, n) int64; ``tied`` (n,) marks draws whose last seats had more than one valid
    owner; ``status`` (n,) is OK or why the seats could not be filled; ``free`` (P, n) marks the
    lists that took part in the final allocation round (not held at a cap or minimum); it is
    None without caps or minimums, when it is every eligible list with votes."""

    seats: np.ndarray
    tied: np.ndarray
    status: np.ndarray
    free: np.ndarray | None
    by_lot: np.ndarray | None = None  # (n,) the tied draws re-run with a lot (``lots=``)
    rows: np.ndarray | None = None  # lists eligible in some draw (or with votes, eligible=None)


def _count(mask: np.ndarray) -> np.ndarray:
    """True entries per draw (column). Summing the bytes as int8 needs no cast and is several
    times faster than a bool or int16 sum; it holds up to 127 lists (int64 beyond). Compare
    the result, or promote it (``astype``, or arithmetic with a float), before adding to it:
    int8 arithmetic would wrap."""
    if mask.shape[0] < 128:
        return np.add.reduce(mask.view(np.int8), axis=0, dtype=np.int8)
    return np.add.reduce(mask, axis=0, dtype=np.int64)


def _cols(a: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Columns ``cols`` (indices) of a (P, n) array as a new C-ordered array. ``a[:, cols]``
    comes out in Fortran order, and mixing orders slows every later ufunc threefold."""
    return np.take(a, cols, axis=1)


def default_priority(n_lists: int) -> np.ndarray:
    """Provisional tie order: the earlier list ranks higher. Shape (P, 1)."""
    return np.arange(n_lists - 1, -1, -1, dtype=np.float64)[:, None]


def lot_priority(rng: np.random.Generator, n_lists: int, n_draws: int) -> np.ndarray:
    """(P, n) a lot: a uniformly random order of the lists for each draw, drawn in draw order
    (each draw consumes the same amount of the generator, whatever the batch)."""
    ranks = rng.permuted(np.tile(np.arange(n_lists, dtype=np.float64), (n_draws, 1)), axis=1)
    return np.ascontiguousarray(ranks.T)


class _Scratch:
    """Work arrays reused across calls (fresh large temporaries cost page faults, which here
    cost as much as the arithmetic). One pool per thread; ``fresh`` hands out new arrays for
    calls whose results must outlive the next call."""

    def __init__(self):
        self._store: dict[tuple[str, type], np.ndarray] = {}
        self._views: dict[tuple, np.ndarray] = {}  # the last view handed out per request

    def __call__(self, name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
        request = (name, shape, dtype)
        view = self._views.get(request)
        if view is not None:
            return view
        size = math.prod(shape)
        key = (name, dtype)
        buf = self._store.get(key)
        if buf is None or buf.size < size:
            buf = np.empty(size + 64, dtype=dtype)  # a little slack: fewer re-allocations
            self._store[key] = buf
            self._views = {k: v for k, v in self._views.items() if k[::2] != key}
        if len(self._views) > 256:  # shapes of subsets vary from call to call
            self._views.clear()
        view = self._views[request] = buf[:size].reshape(shape)
        return view


def fresh(name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
    return np.empty(shape, dtype=dtype)


_local = threading.local()


def _scratch() -> _Scratch:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = _Scratch()
    return pool


# ---------------------------------------------------------------------------------------------
# quota methods
#
# Every kernel takes ``vm``: the votes of the lists taking part, zero for the others, so a
# list takes part exactly where vm > 0 (a list with no votes can win no seat anyway).


NETWORK_LISTS = 20
"""Up to this many lists, remainders are ranked by a sorting network (``simulate.sortnet``);
beyond it a sort per draw is faster (measured: 48 against 75 ms per million draws at 20
lists, 67 against 58 at 24)."""


def _quota(method: QuotaMethod, vm, S, prio, buf=fresh, width=None, E=None):
    """Largest remainder. With the quota E/(S + c): a = v·(S + c)·P + priority; the floor
    seats are floor(a / (E·P)) (the priority, < P, cannot change them) and the remainder keys
    a − floor·E·P = remainder·P + priority are distinct integers. True division of integers
    below 2^52 is never rounded across an integer, so the floors are exact. ``width`` (≥ the
    number of rows) bounds the priorities: every priority is < width."""
    P, n = vm.shape
    W = P if width is None else width
    E = vm.sum(0) if E is None else E
    EP = E * W
    key = np.multiply(vm, (S + method.offset) * W, out=buf("key", (P, n)))
    key += prio
    f = np.divide(key, EP, out=buf("seats", (P, n)))
    np.floor(f, out=f)
    key -= np.multiply(f, EP, out=buf("tmp", (P, n)))
    R = S - f.sum(0)
    # The R largest keys win a seat each. Lists not taking part have key = priority < W and
    # never reach the cut: when R > 0 at least R + 1 lists have a positive remainder.
    give = R > 0
    # Sorted ascending, the winners are positions P − R … P − 1: the cut is the key at P − R,
    # the largest loser the one below it. Keys below 2^31 are sorted as int32 (half the memory
    # traffic of float64); a few lists by a sorting network on the party-major rows, more by a
    # sort per draw on a transposed copy.
    small = float(EP.max(initial=0)) < 2.0**31
    dtype = np.int32 if small else np.float64
    cols = np.arange(n)
    take = np.clip(P - R, 1.0, P - 1.0).astype(np.intp)
    under = np.maximum(take - 1, 0)
    if P <= NETWORK_LISTS:
        work, row = sortnet.sort_columns(key, buf("sorted" + dtype.__name__, (P + 1, n), dtype))
        at, at_under = row[take] * n + cols, row[under] * n + cols
    else:
        work = buf("order" + dtype.__name__, (n, P), dtype)
        np.copyto(work, key.T, casting="unsafe")
        work.sort(axis=1)
        at, at_under = cols * P + take, cols * P + under
    flat = work.reshape(-1)
    cut = flat.take(at).astype(np.float64)
    below = flat.take(at_under).astype(np.float64)
    cut[~give] = np.inf
    f += np.greater_equal(key, cut, out=buf("mask", (P, n), bool)).view(np.int8)
    # Tied: the last winner and the first loser have the same remainder (keys differ only by
    # priority).
    tied = give & (np.floor(cut / W) == np.floor(below / W))
    over = R < 0
    if over.any():  # exact Droop quota with every remainder zero: one seat too many
        _quota_take_back(f, prio, over, tied)
    return f, tied


def _quota_take_back(seats, prio, over, tied):
    """Σ floor = S + 1 happens only when every remainder is zero: every list holding a seat
    has an equal claim to lose it. The lowest priority loses it; a tie if two could."""
    cols = np.flatnonzero(over)
    s = seats[:, cols]
    holders = s > 0
    pr = np.where(holders, np.broadcast_to(prio, seats.shape)[:, cols], np.inf)
    s -= pr == pr.min(0)
    seats[:, cols] = s
    tied[cols] = _count(holders) >= 2


# ---------------------------------------------------------------------------------------------
# divisor methods


def _next_keys(method, vm, s):
    """Quotient of each list's next seat; NaN for lists not taking part."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(vm > 0, vm / method.next_div(s), np.nan)


def _last_keys(method, vm, s):
    """Quotient of each list's last seat won; NaN for lists holding none (nothing to give
    back; distinct from Adams' infinite claim on a first seat)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, vm / method.last_div(s), np.nan)


def _max(keys):
    return keys.max(0) if keys.dtype == object else np.fmax.reduce(keys, axis=0)


def _min(keys):
    return keys.min(0) if keys.dtype == object else np.fmin.reduce(keys, axis=0)


def _pick_max(keys, prio):
    """One-hot (P, n): the largest key, the highest priority among equals (NaN skipped)."""
    pr = (keys == _max(keys)).astype(bool) * (prio + 1.0)
    return (pr == pr.max(0)) & (pr > 0)


def _pick_min(keys, prio):
    """One-hot (P, n): the smallest key, the lowest priority among equals (NaN skipped)."""
    pr = (keys == _min(keys)).astype(bool) * (prio + 1.0)
    pr[pr == 0] = np.inf
    return (pr == pr.min(0)) & (pr < np.inf)


def _divisor(method: DivisorMethod, vm, S, prio, buf=fresh, E=None):
    """Highest averages: start from the seats at an estimated divisor, then correct."""
    P, n = vm.shape
    E = vm.sum(0) if E is None else E
    live = np.greater(vm, 0, out=buf("live", (P, n), bool))
    # The start is at most a few seats off the house size. Draws that are off are stepped one
    # seat at a time while that is safe (one candidate), gathered into fewer and fewer columns;
    # the rest (ties, or an unsound float start) go the careful way.
    if method.linear:  # the start is exact and sound: only draws of the wrong size move
        seats, deficit = _exact_start(method, vm, E, S, live, buf)
        ok = _sound_step(method, vm, seats, deficit, buf)
        more = np.flatnonzero(ok & (deficit != 0))
    else:  # a float start, checked by a first step over every draw
        D = method.start_divisor(E, S, _count(live))
        with np.errstate(divide="ignore", invalid="ignore"):
            seats = method.count(np.multiply(vm, 1.0 / D, out=buf("seats", (P, n))),
                                 inplace=True)
            if method.zero_first:
                seats *= live
        deficit = S - seats.sum(0)
        ok = _step(method, vm, seats, deficit, buf)
        more = np.flatnonzero(ok & (deficit != 0))
    if more.size:
        vs, ss, ds = _cols(vm, more), _cols(seats, more), deficit[more]
        for _ in range(5):
            ok_m = _step(method, vs, ss, ds, buf)
            seats[:, more], deficit[more], ok[more] = ss, ds, ok_m
            keep = np.flatnonzero(ok_m & (ds != 0))
            if not keep.size:
                break
            more, vs, ss, ds = more[keep], _cols(vs, keep), _cols(ss, keep), ds[keep]
    tied = np.zeros(n, dtype=bool)
    cols = np.flatnonzero(~ok | (deficit != 0))
    if cols.size:
        pc = _cols(np.broadcast_to(prio, vm.shape), cols)
        vs, ss = _cols(vm, cols), _cols(seats, cols)
        _balance(method, vs, ss, pc, deficit[cols])
        ss, tied[cols] = _settle(method, vs, ss, pc, _float_keys)
        seats[:, cols] = ss
    if method.sqrt:  # float quotients of sqrt signposts are not exact: settle near-ties exactly
        nk, lk = _float_keys(method, vm, seats)
        near = np.flatnonzero(np.fmax.reduce(nk, axis=0) >= np.fmin.reduce(lk, axis=0) * (1 - 1e-9))
        if near.size:
            pc = _cols(np.broadcast_to(prio, vm.shape), near)
            ss, tied[near] = _settle(method, _cols(vm, near), _cols(seats, near), pc,
                                     _exact_keys)
            seats[:, near] = ss
    return seats, tied


def _exact_start(method: DivisorMethod, vm, E, S, live, buf=fresh):
    """Seats (P, n) and deficit (n,) at the start divisor taken as an exact fraction.

    With signposts d(k) = a·k + b and P_e lists taking part, D = 2E / Q with
    Q = 2a·S + P_e·(2b − a) (at least a·S) gives each list #{k : d(k) ≤ v/D} =
    floor((v·Q + 2(a − b)·E) / (2a·E)) seats (none below zero): a floor of a quotient of
    integers below 2^52 (``methods.exactness_bound``), which float64 division gets exactly.
    Every quotient left out is then below D and every one taken at or above it, so these seats
    are the method's result for their own total, with no tie."""
    P, n = vm.shape
    a, b = float(method.step), float(method.start)
    Q = np.maximum(2.0 * a * S + _count(live) * (2.0 * b - a), a * S)
    seats = np.multiply(vm, Q, out=buf("seats", (P, n)))
    if a != b:
        seats += 2.0 * (a - b) * E
    with np.errstate(divide="ignore", invalid="ignore"):  # (a draw with no votes: unfilled)
        seats /= 2.0 * a * E
    np.floor(seats, out=seats)
    if b > a:
        np.maximum(seats, 0.0, out=seats)
    if method.zero_first:
        seats *= live
    return seats, S - seats.sum(0)


def _sound_step(method: DivisorMethod, vm, seats, deficit, buf=fresh):
    """``_step`` for seats known to be a valid allocation of their own size (the exact
    start), in place: one quotient per list instead of two. A draw short of seats looks at
    each list's next quotient v / d(s) (the largest wins), a draw over at its last one,
    negated (−v / d(s − 1): the smallest gives one back; −∞ for a list with no seat, or with
    only Adams' first seat, to give back), a draw of the right size at none (NaN). Returns
    ``ok`` as ``_step`` does: False where two lists share the best quotient."""
    P, n = vm.shape
    a, b = float(method.step), float(method.start)
    up, down = deficit > 0, deficit < 0
    sign = np.where(up, 1.0, np.where(down, -1.0, np.nan))
    # d(s) for a draw short of seats, d(s − 1) (0 for a list holding none) for one over
    den = np.multiply(seats, a, out=buf("nk", (P, n)))
    den += b * up
    if a != b:
        den += np.minimum(seats, 1.0, out=buf("lk", (P, n))) * ((b - a) * down)
    den *= sign
    with np.errstate(divide="ignore", invalid="ignore"):
        key = np.divide(vm, den, out=den)
    best = np.fmax.reduce(key, axis=0)
    at = np.equal(key, best, out=buf("at_hi", (P, n), bool))
    one = _count(at) == 1
    move = np.logical_and(at, one, out=at).view(np.int8)
    seats += np.multiply(move, np.sign(deficit).astype(np.int8), out=buf("move", (P, n), np.int8))
    deficit -= np.sign(deficit) * one
    return one | (deficit == 0)


def _step(method, vm, seats, deficit, buf=fresh):
    """One seat towards the house size, in place on ``seats`` and ``deficit``, for the draws
    where that is safe: the seats are a valid allocation of their own size (the best
    quotient left out is below the worst taken in) and exactly one list has that best (or
    worst) quotient. Returns those draws, and the ones already complete, as ``ok`` (n,);
    the others are left untouched."""
    P, n = vm.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        # The best quotient left out (hi) and the worst taken in (lo); NaN (0/0) is skipped.
        nk = np.divide(vm, method.next_div(seats, out=buf("nk", (P, n))), out=buf("nk", (P, n)))
        lk = np.divide(vm, method.last_div(seats), out=buf("lk", (P, n)))
    hi = np.fmax.reduce(nk, axis=0)
    lo = np.fmin.reduce(lk, axis=0)
    sound = hi < lo
    at_hi = np.equal(nk, hi, out=buf("at_hi", (P, n), bool))
    at_lo = np.equal(lk, lo, out=buf("at_lo", (P, n), bool))
    up = sound & (deficit > 0) & (_count(at_hi) == 1)
    down = sound & (deficit < 0) & (_count(at_lo) == 1)
    ok = up | down | (sound & (deficit == 0))
    # One seat up or down as an int8 difference of the masks: a single casting add.
    seats += np.subtract(np.logical_and(at_hi, up, out=at_hi).view(np.int8),
                         np.logical_and(at_lo, down, out=at_lo).view(np.int8),
                         out=buf("move", (P, n), np.int8))
    deficit -= up
    deficit += down
    return ok


def _balance(method, vm, seats, prio, deficit):
    """One seat per round to the largest next quotient, or from the smallest last one, until
    every draw has its house size (in place on ``seats``)."""
    cols = np.flatnonzero(deficit)
    while cols.size:
        vs, ss, ps = _cols(vm, cols), _cols(seats, cols), _cols(prio, cols)
        d = deficit[cols]
        up, down = d > 0, d < 0
        if up.any():
            ss += _pick_max(_next_keys(method, vs, ss), ps) & up
        if down.any():
            ss -= _pick_min(_last_keys(method, vs, ss), ps) & down
        seats[:, cols] = ss
        deficit[cols] = d - up + down
        cols = cols[deficit[cols] != 0]


def _settle(method, vm, seats, prio, keys):
    """Exchange seats until no left-out quotient beats a taken one (priority breaking equal
    quotients), then flag the draws where the cut has equal quotients on both sides.
    ``keys`` computes the quotients: floats (exact for rational signposts) or exact
    fractions (Huntington–Hill near a tie)."""
    while True:
        nk, lk = keys(method, vm, seats)
        add, drop = _pick_max(nk, prio), _pick_min(lk, prio)
        hi, lo = _max(nk), _min(lk)
        p_hi = np.where(add, prio, -1.0).max(0)
        p_lo = np.where(drop, prio, np.inf).min(0)
        wrong = np.asarray((hi > lo) | ((hi == lo) & (p_hi > p_lo)), dtype=bool)
        if not wrong.any():
            return seats, np.asarray(hi == lo, dtype=bool)
        seats = seats + (add & wrong) - (drop & wrong)


def _float_keys(method, vm, seats):
    return _next_keys(method, vm, seats), _last_keys(method, vm, seats)


def _exact_keys(method, vm, seats):
    """Squared quotients v² / d(k)² as exact fractions (object arrays). An infinite claim
    (d = 0) is a number above every finite quotient; "no seat to give back" is above that,
    and "not taking part" below every quotient."""
    from fractions import Fraction

    inf, none_held, out = Fraction(2**200), Fraction(2**201), Fraction(-1)

    P, n = vm.shape
    nk = np.empty((P, n), dtype=object)
    lk = np.empty((P, n), dtype=object)
    for i in range(P):
        for j in range(n):
            vv, s = int(vm[i, j]), int(seats[i, j])
            d_next, d_last = method.divisor_exact(s), method.divisor_exact(max(s - 1, 0))
            nk[i, j] = (Fraction(vv * vv, d_next) if d_next else inf) if vv > 0 else out
            lk[i, j] = (Fraction(vv * vv, d_last) if d_last else inf) if s > 0 else none_held
    return nk, lk


# ---------------------------------------------------------------------------------------------
# the driver: thresholds already applied; caps, minimums and infeasible draws handled here


def _kernel(method: Method, vm, S, prio, buf=fresh, width=None, E=None):
    if isinstance(method, QuotaMethod):
        return _quota(method, vm, S, prio, buf, width, E)
    return _divisor(method, vm, S, prio, buf, E)


def allocate_pm(
    method: Method,
    votes: np.ndarray,
    eligible: np.ndarray | None,
    seats: int | np.ndarray,
    *,
    max_seats: int | None = None,
    min_seats: int | None = None,
    priority: np.ndarray | None = None,
    lots=None,
    out: np.ndarray | None = None,
) -> EngineResult:
    """Allocate ``seats`` among the eligible lists of every draw.

    ``votes`` (P, n) float64 exact integers; ``eligible`` (P, n) bool (the lists that passed
    every threshold), or None when ``votes`` already holds zero for the lists that did not;
    ``seats`` a house size for all draws or one per draw; ``priority`` (P, n) or (P, 1)
    distinct ranks per draw for breaking ties (higher wins; default: the earlier list).

    A list held at ``max_seats`` keeps the cap and the remaining seats go to the others by the
    same method; a list below ``min_seats`` is raised to it likewise; repeated until no list
    breaks a bound. A list with no votes takes no seat.

    Only the lists that take part in some draw of the batch are worked on: in a simulation
    around real results most small lists never pass the threshold and then cost nothing.

    ``lots``: a function that, given the indices of the tied draws, returns their lot
    (``lot_priority``, (P, k)); the tied draws are then allocated again with it, and
    ``by_lot`` marks them. Without it, ties stay flagged and are settled provisionally.

    ``out``: a (P, n) integer array to write the seats into (any strides: the transposed
    view of an (n, P) result saves a copy); by default a new int64 array.
    """
    result = _allocate_batch(method, votes, eligible, seats, max_seats, min_seats, priority,
                             out)
    if lots is not None:
        result.by_lot = result.tied.copy()
        cols = np.flatnonzero(result.tied)
        if cols.size:
            S = np.broadcast_to(np.asarray(seats), (votes.shape[1],))[cols]
            again = _allocate_batch(method, _cols(votes, cols),
                                    None if eligible is None else _cols(eligible, cols), S,
                                    max_seats, min_seats, lots(cols), None)
            result.seats[:, cols] = again.seats
            result.status[cols] = again.status  # the lot may decide whether seats fill
            if result.free is not None:
                result.free[:, cols] = False if again.free is None else again.free
    return result


def _allocate_batch(method, votes, eligible, seats, max_seats, min_seats, priority, out
                    ) -> EngineResult:
    P, n = votes.shape
    S = np.full(n, float(seats)) if np.ndim(seats) == 0 else \
        np.broadcast_to(np.asarray(seats, dtype=np.float64), (n,)).copy()
    prio = default_priority(P) if priority is None else np.asarray(priority, dtype=np.float64)
    pool = _scratch()
    if out is None:
        out = np.empty((P, n), dtype=np.int64)
    if eligible is None:
        rows = np.flatnonzero(votes.max(1) > 0)
    else:
        rows = np.flatnonzero(eligible.any(1))
    if rows.size == P:
        vm = votes if eligible is None else \
            np.multiply(votes, eligible, out=pool("vm_in", (P, n)))
        seats_f, tied, status, free = _allocate(method, vm, S, prio, P, max_seats, min_seats,
                                                pool)
        np.copyto(out, seats_f, casting="unsafe")
        return EngineResult(out, tied, status, free, rows=rows)
    # Lists that take part in no draw of the batch are left out of the work arrays.
    vm = pool("vm_in", (rows.size, n))
    np.take(votes, rows, axis=0, out=vm, mode="clip")  # (an unbuffered copy; rows are valid)
    if eligible is not None:
        vm *= eligible[rows]
    seats_f, tied, status, part_free = _allocate(method, vm, S, prio[rows], P, max_seats,
                                                 min_seats, pool)
    out[...] = 0
    out[rows] = seats_f
    free = None
    if part_free is not None:
        free = np.zeros((P, n), dtype=bool)
        free[rows] = part_free
    return EngineResult(out, tied, status, free, rows=rows)


def _allocate(method, vm, S, prio, width, max_seats, min_seats, pool):
    """Seats (P, n) float64 (a pooled array when every draw is filled: read it before the
    next engine call), tied (n,), status (n,), free (P, n) or None."""
    P, n = vm.shape
    E = vm.sum(0)
    status = np.zeros(n, dtype=np.int8)
    bounded = max_seats is not None or min_seats is not None
    if bounded:
        live = vm > 0
        n_live = _count(live).astype(np.int64)
        status[n_live == 0] = NO_LIST
        if max_seats is not None:
            status[(status == OK) & (n_live * max_seats < S)] = CAP_TOO_LOW
        if min_seats is not None:
            status[(status == OK) & (n_live * min_seats > S)] = MIN_TOO_HIGH
    else:
        status[E <= 0] = NO_LIST
    if not status.any():
        cols = None
        seats, tied = _kernel(method, vm, S, prio, pool, width, E)
    else:
        cols = np.flatnonzero(status == OK)
        seats = np.zeros((P, n))
        tied = np.zeros(n, dtype=bool)
        if cols.size:
            pc = prio if prio.shape[1] == 1 else _cols(prio, cols)
            seats[:, cols], tied[cols] = _kernel(method, _cols(vm, cols), S[cols], pc, width=width,
                                                 E=E[cols])
    free = None
    if bounded and (cols is None or cols.size):
        breaks = np.zeros(n, dtype=bool)
        if max_seats is not None:
            breaks |= seats.max(0) > max_seats
        if min_seats is not None:
            breaks |= ((seats < min_seats) & live).any(0)
        if cols is not None:
            breaks &= status == OK
        free = live
        if breaks.any():
            # the re-allocation below reuses the pooled work arrays: keep these seats apart
            seats = seats.copy() if cols is None else seats
            free = live.copy()
            _hold_bounds(method, vm, S, prio, seats, tied, free, status,
                         np.flatnonzero(breaks), max_seats, min_seats, pool, width)
        # Where every list taking part must hold exactly the cap (or the minimum) to fill
        # the house, there is one valid result, and with one bound that binds (or two equal
        # ones) the rounds always reach it: no tie can change it. (With a cap above the
        # minimum, a list held at the minimum on the way can leave the rest unable to fill
        # the house.) A cap of S or more, or a minimum of 0, never binds.
        if tied.any():
            cap = np.full(n, np.nan) if max_seats is None else \
                np.where(max_seats < S, float(max_seats), np.nan)
            low = np.nan if not min_seats else float(min_seats)
            one = np.isnan(cap) | np.isnan(low) | (cap == low)
            forced = (n_live * cap == S) | (n_live * low == S)
            tied &= ~(forced & one & (status == OK))
    return seats, tied, status, free


def _hold_bounds(method, vm, S, prio, out, tied, free, status, cols, max_seats, min_seats,
                 pool=fresh, width=None):
    """Hold lists at the cap (first) or the minimum, one direction per round, re-allocating
    the rest among the free lists; a held list stays held. Works on compact copies of the
    breaking draws ``cols`` and writes them back once.

    A tie in a round that breaks a bound decides the result only through the lists it holds:
    the held lists get the bound whatever the tie, and the next round starts afresh among the
    others. A tie moves each list's seats by at most one, so it can change which lists are
    held only where a free list is within one seat of the bound (at the cap or one above it;
    at the minimum or one below it); such a draw stays flagged as tied, whatever the later
    rounds say (``tied`` is the last round's flag or'ed with these)."""
    hi = np.inf if max_seats is None else float(max_seats)
    lo = 0.0 if min_seats is None else float(min_seats)
    k = cols.size
    v, s, f = _cols(vm, cols), _cols(out, cols), _cols(free, cols)
    Sc, st, t = S[cols], status[cols], tied[cols]
    sticky = np.zeros(k, dtype=bool)  # an earlier round's tie that may change the held lists
    pc = prio if prio.shape[1] == 1 else _cols(prio, cols)
    at = np.arange(k)  # the draws (of the k) still breaking a bound
    while at.size:
        whole = at.size == k
        ss, ff = (s, f) if whole else (_cols(s, at), _cols(f, at))
        was_tied = t[at]
        if was_tied.any():
            near = np.zeros(ss.shape, dtype=bool)
            if max_seats is not None:
                near |= (ss == hi) | (ss == hi + 1)
            if min_seats is not None:
                near |= (ss == lo) | (ss == lo - 1)
            sticky[at] |= was_tied & (ff & near).any(0)
        over = ff & (ss > hi)
        brk = over if min_seats is None else \
            np.where(over.any(0), over, ff & (ss < lo))
        ff &= ~brk
        if min_seats is None:  # only the lists over the cap are above it
            np.minimum(ss, hi, out=ss)
        else:
            np.clip(ss, lo, hi, out=ss, where=brk)
        left = Sc[at] - np.where(ff, 0.0, ss).sum(0)
        some = ff.any(0)
        run = some & (left > 0)
        stuck = (left < 0) | (~some & (left != 0))
        st[at[stuck]] = CAP_TOO_LOW if max_seats is not None else MIN_TOO_HIGH
        ss[:, stuck] = 0.0
        ss *= ~(ff & ~run)  # free lists of a draw with no seats left to give take none
        t[at[~run]] = False
        if run.any():
            every = run.all()
            sub = at if every else at[run]                    # the draws re-allocated
            idx = None if every else np.flatnonzero(run)      # their columns in ss and ff
            fr = ff if every else _cols(ff, idx)
            vf = np.multiply(v if whole and every else _cols(v, sub), fr,
                             out=pool("vm_held", fr.shape))
            new, t[sub] = _kernel(method, vf, left[run],
                                  pc if pc.shape[1] == 1 else _cols(pc, sub), pool, width)
            if every:
                np.copyto(ss, new, where=ff)
            else:
                part = _cols(ss, idx)
                np.copyto(part, new, where=fr)
                ss[:, idx] = part
        if not whole:
            s[:, at], f[:, at] = ss, ff
        keep = ~stuck
        keep &= (ff & (ss > hi)).any(0)
        if min_seats is not None:
            keep |= ~stuck & (ff & (ss < lo)).any(0)
        at = at[keep]
    out[:, cols] = s
    free[:, cols] = f
    status[cols] = st
    tied[cols] = t | sticky  # (a draw left unfilled may be one another tie-break fills)
