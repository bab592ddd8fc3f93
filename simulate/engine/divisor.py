"""The highest-averages kernel (d'Hondt, Sainte-Laguë and the other divisor methods) on
party-major arrays; see ``simulate.engine``. ``vm`` as in ``simulate.engine.quota``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulate.engine.workarrays import Pool, count_true, fresh, take_cols
from simulate.methods import DivisorMethod

Keys = Callable[[DivisorMethod, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""Each list's next and last quotients (``_float_keys``, ``_exact_keys``)."""


def _next_keys(method: DivisorMethod, vm: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Quotient of each list's next seat; NaN for lists not taking part."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(vm > 0, vm / method.next_div(s), np.nan)


def _last_keys(method: DivisorMethod, vm: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Quotient of each list's last seat won; NaN for lists holding none (nothing to give
    back; distinct from Adams' infinite claim on a first seat)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, vm / method.last_div(s), np.nan)


def _max(keys: np.ndarray) -> np.ndarray:
    return keys.max(0) if keys.dtype == object else np.fmax.reduce(keys, axis=0)


def _min(keys: np.ndarray) -> np.ndarray:
    return keys.min(0) if keys.dtype == object else np.fmin.reduce(keys, axis=0)


def _pick_max(keys: np.ndarray, prio: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-hot (P, n): the largest key, the highest priority among equals (NaN skipped); with
    the largest key (n,) and the priority of the list picked (n,; −1 where none is)."""
    top = _max(keys)
    pr = np.asarray(keys == top, dtype=bool) * (prio + 1.0)
    rank = pr.max(0)
    return (pr == rank) & (pr > 0), top, rank - 1.0


def _pick_min(keys: np.ndarray, prio: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-hot (P, n): the smallest key, the lowest priority among equals (NaN skipped); with
    the smallest key (n,) and the priority of the list picked (n,; ∞ where none is)."""
    low = _min(keys)
    pr = np.asarray(keys == low, dtype=bool) * (prio + 1.0)
    pr[pr == 0] = np.inf
    rank = pr.min(0)
    return (pr == rank) & (pr < np.inf), low, rank - 1.0


def highest_averages(
    method: DivisorMethod,
    vm: np.ndarray,
    S: np.ndarray,
    prio: np.ndarray,
    buf: Pool = fresh,
    E: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
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
    else:  # a float start, checked by a first step over every draw
        D = method.start_divisor(E, S, count_true(live))
        with np.errstate(divide="ignore", invalid="ignore"):
            seats = method.count(np.multiply(vm, 1.0 / D, out=buf("seats", (P, n))), inplace=True)
            if method.zero_first:
                seats *= live
        deficit = S - seats.sum(0)
        ok = _step(method, vm, seats, deficit, buf)
    # Every draw still off is now a sound allocation of its own size (it moved one seat, to
    # or from a single best candidate), so a linear method's later steps need only one
    # quotient per list.
    more = np.flatnonzero(ok & (deficit != 0))
    step = _sound_step if method.linear else _step
    if more.size:
        vs, ss, ds = take_cols(vm, more), take_cols(seats, more), deficit[more]
        for _ in range(5):
            ok_m = step(method, vs, ss, ds, buf)
            seats[:, more], deficit[more], ok[more] = ss, ds, ok_m
            keep = np.flatnonzero(ok_m & (ds != 0))
            if not keep.size:
                break
            more, vs, ss, ds = more[keep], take_cols(vs, keep), take_cols(ss, keep), ds[keep]
    tied = np.zeros(n, dtype=bool)
    cols = np.flatnonzero(~ok | (deficit != 0))
    if cols.size:
        pc = _prio_cols(prio, cols)
        vs, ss = take_cols(vm, cols), take_cols(seats, cols)
        _balance(method, vs, ss, pc, deficit[cols])
        ss, tied[cols] = _settle(method, vs, ss, pc, _float_keys)
        seats[:, cols] = ss
    if method.sqrt:  # float quotients of sqrt signposts are not exact: settle near-ties exactly
        nk, lk = _float_keys(method, vm, seats)
        near = np.flatnonzero(np.fmax.reduce(nk, axis=0) >= np.fmin.reduce(lk, axis=0) * (1 - 1e-9))
        if near.size:
            pc = _prio_cols(prio, near)
            ss, tied[near] = _settle(
                method, take_cols(vm, near), take_cols(seats, near), pc, _exact_keys
            )
            seats[:, near] = ss
    return seats, tied


def _prio_cols(prio: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The priorities of draws ``cols``: one column shared by every draw (the default order,
    (P, 1)) stays as it is and broadcasts; gathering it column by column from a broadcast
    view was a tenth of the districts benchmark's time."""
    return prio if prio.shape[1] == 1 else take_cols(prio, cols)


def _exact_start(
    method: DivisorMethod,
    vm: np.ndarray,
    E: np.ndarray,
    S: np.ndarray,
    live: np.ndarray,
    buf: Pool = fresh,
) -> tuple[np.ndarray, np.ndarray]:
    """Seats (P, n) and deficit (n,) at the start divisor taken as an exact fraction.

    With signposts d(k) = a·k + b and P_e lists taking part, D = 2E / Q with
    Q = 2a·S + P_e·(2b − a) (at least a·S) gives each list #{k : d(k) ≤ v/D} =
    floor((v·Q + 2(a − b)·E) / (2a·E)) seats (none below zero): a floor of a quotient of
    integers below 2^52 (``methods.exactness_bound``), which float64 division gets exactly.
    Every quotient left out is then below D and every one taken at or above it, so these seats
    are the method's result for their own total, with no tie."""
    P, n = vm.shape
    a, b = float(method.step), float(method.start)
    Q = np.maximum(2.0 * a * S + count_true(live) * (2.0 * b - a), a * S)
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


def _sound_step(
    method: DivisorMethod,
    vm: np.ndarray,
    seats: np.ndarray,
    deficit: np.ndarray,
    buf: Pool = fresh,
) -> np.ndarray:
    """``_step`` for seats known to be a valid allocation of their own size (the exact
    start), in place: one quotient per list instead of two. A draw short of seats looks at
    each list's next quotient v / d(s) (the largest wins), a draw over at its last one,
    negated (−v / d(s − 1): the smallest gives one back; −∞ for a list with no seat, or with
    only Adams' first seat, to give back), a draw of the right size at none (NaN). Returns
    ``ok`` as ``_step`` does: False where two lists share the best quotient."""
    P, n = vm.shape
    a, b = float(method.step), float(method.start)
    sign = np.sign(deficit)  # +1 short of seats, −1 over, 0 right
    # d(s) for a draw short of seats, d(s − 1) (0 for a list holding none) for one over
    if a == 1:  # (d'Hondt, Adams, Imperiali: one pass fewer)
        den = np.add(seats, b * (sign > 0), out=buf("nk", (P, n)))
    else:
        den = np.multiply(seats, a, out=buf("nk", (P, n)))
        den += b * (sign > 0)
    if a != b:
        den += np.minimum(seats, 1.0, out=buf("lk", (P, n))) * ((b - a) * (sign < 0))
    den *= np.where(sign != 0, sign, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        key = np.divide(vm, den, out=den)
    best = np.fmax.reduce(key, axis=0)
    at = np.equal(key, best, out=buf("at_hi", (P, n), bool))
    one = count_true(at) == 1
    move = np.logical_and(at, one, out=at).view(np.int8)
    seats += np.multiply(move, sign.astype(np.int8), out=buf("move", (P, n), np.int8))
    deficit -= sign * one
    return one | (deficit == 0)


def _step(
    method: DivisorMethod,
    vm: np.ndarray,
    seats: np.ndarray,
    deficit: np.ndarray,
    buf: Pool = fresh,
) -> np.ndarray:
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
    up = sound & (deficit > 0) & (count_true(at_hi) == 1)
    down = sound & (deficit < 0) & (count_true(at_lo) == 1)
    ok = up | down | (sound & (deficit == 0))
    # One seat up or down as an int8 difference of the masks: a single casting add.
    seats += np.subtract(
        np.logical_and(at_hi, up, out=at_hi).view(np.int8),
        np.logical_and(at_lo, down, out=at_lo).view(np.int8),
        out=buf("move", (P, n), np.int8),
    )
    deficit -= up
    deficit += down
    return ok


def _balance(
    method: DivisorMethod,
    vm: np.ndarray,
    seats: np.ndarray,
    prio: np.ndarray,
    deficit: np.ndarray,
) -> None:
    """One seat per round to the largest next quotient, or from the smallest last one, until
    every draw has its house size (in place on ``seats``)."""
    cols = np.flatnonzero(deficit)
    while cols.size:
        vs, ss, ps = take_cols(vm, cols), take_cols(seats, cols), _prio_cols(prio, cols)
        d = deficit[cols]
        up, down = d > 0, d < 0
        if up.any():
            ss += _pick_max(_next_keys(method, vs, ss), ps)[0] & up
        if down.any():
            ss -= _pick_min(_last_keys(method, vs, ss), ps)[0] & down
        seats[:, cols] = ss
        deficit[cols] = d - up + down
        cols = cols[deficit[cols] != 0]


def _settle(
    method: DivisorMethod, vm: np.ndarray, seats: np.ndarray, prio: np.ndarray, keys: Keys
) -> tuple[np.ndarray, np.ndarray]:
    """Exchange seats until no left-out quotient beats a taken one (priority breaking equal
    quotients), then flag the draws where the cut has equal quotients on both sides.
    ``keys`` computes the quotients: floats (exact for rational signposts) or exact
    fractions (Huntington–Hill near a tie)."""
    while True:
        nk, lk = keys(method, vm, seats)
        add, hi, p_hi = _pick_max(nk, prio)
        drop, lo, p_lo = _pick_min(lk, prio)
        wrong = np.asarray((hi > lo) | ((hi == lo) & (p_hi > p_lo)), dtype=bool)
        if not wrong.any():
            return seats, np.asarray(hi == lo, dtype=bool)
        seats = seats + (add & wrong) - (drop & wrong)


def _float_keys(
    method: DivisorMethod, vm: np.ndarray, seats: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    return _next_keys(method, vm, seats), _last_keys(method, vm, seats)


def _exact_keys(
    method: DivisorMethod, vm: np.ndarray, seats: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
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


def tie_range(
    method: DivisorMethod, vm: np.ndarray, seats: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For draws whose allocation ``seats`` (P, k) among the lists with votes ``vm`` was tied:
    each list's fewest and most seats over the ways the tie could be broken, (lo, hi).

    The tie is a quotient λ shared by the last seat taken and the best left out: a list whose
    last quotient is λ could lose that seat, one whose next quotient is λ could win it (a list
    has at most one quotient equal to λ); every other list's seats are fixed. Exact fractions
    for Huntington–Hill, whose float quotients are not exact."""
    nk, lk = (_exact_keys if method.sqrt else _float_keys)(method, vm, seats)
    lam = _min(lk)
    lo, hi = seats.copy(), seats.copy()
    down = np.asarray(lk == lam, dtype=bool) & (seats > 0)
    up = np.asarray(nk == lam, dtype=bool) & (vm > 0)
    lo[down] -= 1
    hi[up] += 1
    return lo, hi
