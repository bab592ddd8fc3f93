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

from dataclasses import dataclass

import numpy as np

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
    lists that took part in the final allocation round (not held at a cap or minimum)."""

    seats: np.ndarray
    tied: np.ndarray
    status: np.ndarray
    free: np.ndarray


def default_priority(n_lists: int) -> np.ndarray:
    """Provisional tie order: the earlier list ranks higher. Shape (P, 1)."""
    return np.arange(n_lists - 1, -1, -1, dtype=np.float64)[:, None]


# ---------------------------------------------------------------------------------------------
# quota methods


def _quota(method: QuotaMethod, v, live, S, prio):
    P, n = v.shape
    vm = np.where(live, v, 0.0)
    E = vm.sum(0)
    a = vm * (S + method.offset)
    f = np.floor(a / E)
    rem = a - f * E
    fix = np.floor(rem / E)  # -1, 0 or +1 where the float floor missed by one
    if fix.any():
        f += fix
        rem -= fix * E
    R = S - f.sum(0)
    key = np.where(live, rem * P + np.broadcast_to(prio, v.shape), -1.0)
    order = np.sort(key.T, axis=1)
    take = np.clip(P - R, 0, P - 1).astype(np.intp)[:, None]
    cut = np.take_along_axis(order, take, 1)[:, 0]
    below = np.take_along_axis(order, np.maximum(take - 1, 0), 1)[:, 0]
    give = R > 0
    cut = np.where(give, cut, np.inf)
    seats = f + (key >= cut)
    tied = give & (take[:, 0] > 0) & (below >= 0) & (np.floor(cut / P) == np.floor(below / P))
    over = R < 0
    if over.any():  # exact Droop quota with every remainder zero: one seat too many
        _quota_take_back(seats, live, prio, over, tied)
    return seats, tied


def _quota_take_back(seats, live, prio, over, tied):
    """Σ floor = S + 1 happens only when every remainder is zero: every list holding a seat
    has an equal claim to lose it. The lowest priority loses it; a tie if two could."""
    cols = np.flatnonzero(over)
    s = seats[:, cols]
    holders = (s > 0) & live[:, cols]
    pr = np.where(holders, np.broadcast_to(prio, seats.shape)[:, cols], np.inf)
    s -= pr == pr.min(0)
    seats[:, cols] = s
    tied[cols] = holders.sum(0) >= 2


# ---------------------------------------------------------------------------------------------
# divisor methods


def _next_keys(method, v, live, s):
    with np.errstate(divide="ignore"):
        return np.where(live, v / method.divisor(s), -np.inf)


def _last_keys(method, v, s):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, v / method.divisor(np.maximum(s - 1, 0)), np.inf)


def _pick_max(keys, prio):
    """One-hot (P, n): the largest key, the highest priority among equals."""
    cand = keys == keys.max(0)
    pr = np.where(cand, prio, -1.0)
    return pr == pr.max(0)


def _pick_min(keys, prio):
    """One-hot (P, n): the smallest key, the lowest priority among equals."""
    cand = keys == keys.min(0)
    pr = np.where(cand, prio, np.inf)
    return pr == pr.min(0)


def _divisor(method: DivisorMethod, v, live, S, prio):
    P, n = v.shape
    vm = np.where(live, v, 0.0)
    E = vm.sum(0)
    D = method.start_divisor(E, S, live.sum(0))
    with np.errstate(divide="ignore", invalid="ignore"):
        seats = np.where(live, method.count(vm / D), 0.0)
    prio = np.broadcast_to(prio, v.shape)
    # Balance: one seat per round to the largest next quotient, or from the smallest last one.
    deficit = S - seats.sum(0)
    cols = np.flatnonzero(deficit)
    while cols.size:
        vs, ls, ss, ps = v[:, cols], live[:, cols], seats[:, cols], prio[:, cols]
        d = deficit[cols]
        up, down = d > 0, d < 0
        if up.any():
            ss += _pick_max(_next_keys(method, vs, ls, ss), ps) & up
        if down.any():
            ss -= _pick_min(_last_keys(method, vs, ss), ps) & down
        seats[:, cols] = ss
        deficit[cols] = d - up + down
        cols = cols[deficit[cols] != 0]
    # Verify: no quotient left out may beat one taken in. Equal ones at the cut are a tie.
    hi = _next_keys(method, v, live, seats).max(0)
    lo = _last_keys(method, v, seats).min(0)
    tied = np.zeros(n, dtype=bool)
    near = hi >= lo * (1.0 - 1e-9) if method.sqrt else hi >= lo
    cols = np.flatnonzero(near)
    if cols.size:
        ss, t = _settle(method, v[:, cols], live[:, cols], seats[:, cols], prio[:, cols])
        seats[:, cols] = ss
        tied[cols] = t
    return seats, tied


def _settle(method, v, live, seats, prio):
    """Exchange seats until no left-out quotient beats a taken one (priority breaking equal
    quotients), then flag the draws where the cut has equal quotients on both sides.
    Huntington–Hill compares exact squared quotients here."""
    keys = _exact_keys if method.sqrt else _float_keys
    while True:
        nk, lk = keys(method, v, live, seats)
        add, drop = _pick_max(nk, prio), _pick_min(lk, prio)
        hi, lo = nk.max(0), lk.min(0)
        p_hi = np.where(add, prio, -1.0).max(0)
        p_lo = np.where(drop, prio, np.inf).min(0)
        wrong = (hi > lo) | ((hi == lo) & (p_hi > p_lo))
        if not wrong.any():
            return seats, hi == lo
        seats = seats + (add & wrong) - (drop & wrong)


def _float_keys(method, v, live, seats):
    return _next_keys(method, v, live, seats), _last_keys(method, v, seats)


def _exact_keys(method, v, live, seats):
    """Squared quotients v² / d(k)² as exact fractions (object arrays), ±inf at the ends."""
    from fractions import Fraction

    P, n = v.shape
    nk = np.empty((P, n), dtype=object)
    lk = np.empty((P, n), dtype=object)
    for i in range(P):
        for j in range(n):
            vv, s = int(v[i, j]), int(seats[i, j])
            d_next, d_last = method.divisor_exact(s), method.divisor_exact(max(s - 1, 0))
            nk[i, j] = (Fraction(vv * vv, d_next) if d_next else np.inf) if live[i, j] else -np.inf
            lk[i, j] = (Fraction(vv * vv, d_last) if d_last else np.inf) if s > 0 else np.inf
    return nk, lk


# ---------------------------------------------------------------------------------------------
# the driver: thresholds already applied; caps, minimums and infeasible draws handled here


def _kernel(method: Method, v, live, S, prio):
    if isinstance(method, QuotaMethod):
        return _quota(method, v, live, S, prio)
    return _divisor(method, v, live, S, prio)


def allocate_pm(
    method: Method,
    votes: np.ndarray,
    eligible: np.ndarray,
    seats: int | np.ndarray,
    *,
    max_seats: int | None = None,
    min_seats: int | None = None,
    priority: np.ndarray | None = None,
) -> EngineResult:
    """Allocate ``seats`` among the eligible lists of every draw.

    ``votes`` (P, n) float64 exact integers; ``eligible`` (P, n) bool (the lists that passed
    every threshold); ``seats`` a house size for all draws or one per draw; ``priority``
    (P, n) or (P, 1) distinct ranks per draw for breaking ties (higher wins).

    A list held at ``max_seats`` keeps the cap and the remaining seats go to the others by the
    same method; a list below ``min_seats`` is raised to it likewise; repeated until no list
    breaks a bound.
    """
    P, n = votes.shape
    S = np.broadcast_to(np.asarray(seats, dtype=np.float64), (n,)).copy()
    prio = default_priority(P) if priority is None else np.asarray(priority, dtype=np.float64)
    live = eligible & (votes > 0)
    n_live = live.sum(0)
    status = np.zeros(n, dtype=np.int8)
    status[n_live == 0] = NO_LIST
    if max_seats is not None:
        status[(status == OK) & (n_live * max_seats < S)] = CAP_TOO_LOW
    if min_seats is not None:
        status[(status == OK) & (n_live * min_seats > S)] = MIN_TOO_HIGH
    out = np.zeros((P, n), dtype=np.float64)
    tied = np.zeros(n, dtype=bool)
    free = live.copy()
    cols = np.flatnonzero(status == OK)
    if cols.size == n:
        out, tied = _kernel(method, votes, live, S, prio)
    elif cols.size:
        pc = prio if prio.shape[1] == 1 else prio[:, cols]
        out[:, cols], tied[cols] = _kernel(method, votes[:, cols], live[:, cols], S[cols], pc)
    if (max_seats is not None or min_seats is not None) and cols.size:
        _hold_bounds(method, votes, live, S, prio, out, tied, free, cols, max_seats, min_seats)
    return EngineResult(out.astype(np.int64), tied, status, free)


def _hold_bounds(method, votes, live, S, prio, out, tied, free, cols, max_seats, min_seats):
    hi = np.inf if max_seats is None else float(max_seats)
    lo = 0.0 if min_seats is None else float(min_seats)

    def breaking(c):
        s, f = out[:, c], free[:, c]
        return f & ((s > hi) | ((s < lo) & live[:, c]))

    cols = cols[breaking(cols).any(0)]
    while cols.size:
        s, f = out[:, cols], free[:, cols]
        brk = breaking(cols)
        held = np.clip(s, lo, hi)
        f &= ~brk
        s = np.where(brk, held, s)
        left = S[cols] - np.where(f, 0.0, s).sum(0)
        pc = prio if prio.shape[1] == 1 else prio[:, cols]
        new, t = _kernel(method, votes[:, cols], f, left, pc)
        out[:, cols] = np.where(f, new, s)
        free[:, cols] = f
        tied[cols] = t
        cols = cols[breaking(cols).any(0)]
