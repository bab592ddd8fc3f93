"""The allocation engine: every method, one draw or millions, exact, ties detected.

Arrays are party-major: ``votes[i, j]`` is list i in draw j, so reductions over lists run along
long contiguous rows. Votes are float64 arrays holding exact integers; every product the engine
forms stays below 2^52 (``methods.check_exact``), so floors, remainders and quotient comparisons
are exact, not rounded. Ties are broken by a priority rank per list and draw (higher wins): by
default the earlier list, but every draw whose result depends on that choice is flagged as tied,
so callers either raise or re-run it with a priority drawn by lot.

``allocate_pm`` is the one entry point: ``simulate.rules`` calls it for a single election and for
batches, ``simulate.montecarlo`` for its chunks. This module holds the driver (thresholds
already applied: caps, minimums, infeasible draws, lots); the kernels are
``simulate.quota.largest_remainder`` and ``simulate.divisor.highest_averages``, their work arrays
come from ``simulate.scratch``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .divisor import highest_averages
from .divisor import tie_range as divisor_tie_range
from .methods import Method, QuotaMethod
from .quota import largest_remainder
from .quota import tie_range as quota_tie_range
from .scratch import count_true, fresh, scratch, take_cols

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


def default_priority(n_lists: int) -> np.ndarray:
    """Provisional tie order: the earlier list ranks higher. Shape (P, 1)."""
    return np.arange(n_lists - 1, -1, -1, dtype=np.float64)[:, None]


def lot_priority(rng: np.random.Generator, n_lists: int, n_draws: int) -> np.ndarray:
    """(P, n) a lot: a uniformly random order of the lists for each draw, drawn in draw order
    (each draw consumes the same amount of the generator, whatever the batch)."""
    ranks = rng.permuted(np.tile(np.arange(n_lists, dtype=np.float64), (n_draws, 1)), axis=1)
    return np.ascontiguousarray(ranks.T)


# ---------------------------------------------------------------------------------------------
# the driver: thresholds already applied; caps, minimums and infeasible draws handled here


def _kernel(method: Method, vm, S, prio, buf=fresh, width=None, E=None):
    if isinstance(method, QuotaMethod):
        return largest_remainder(method, vm, S, prio, buf, width, E)
    return highest_averages(method, vm, S, prio, buf, E)


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
            again = _allocate_batch(method, take_cols(votes, cols),
                                    None if eligible is None else take_cols(eligible, cols), S,
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
    pool = scratch()
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
        n_live = count_true(live).astype(np.int64)
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
            pc = prio if prio.shape[1] == 1 else take_cols(prio, cols)
            seats[:, cols], tied[cols] = _kernel(method, take_cols(vm, cols), S[cols], pc, width=width,
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
        if tied.any():  # a tie on the way: does breaking it otherwise change the result?
            cand = np.flatnonzero(tied)
            tied[cand] = _results_vary(method, take_cols(vm, cand), S[cand], max_seats,
                                       min_seats)
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


TIE_OUTCOMES = 4096
"""The most outcomes of tied rounds ``_results_vary`` follows for one draw."""


def _results_vary(method, vm, S, max_seats, min_seats) -> np.ndarray:
    """(k,) for k draws with a tie in some round under a cap or minimum: whether another way
    of breaking the rounds' ties gives another result (other seats, or unfilled seats
    against filled ones). Every outcome of a tied round is followed (``tie_range``: each list
    in the tie could have one seat more or fewer, as many seats at stake as it took); rounds
    that reach the same held lists continue alike, so each such state is followed once, and
    the states of a step go through the kernel together. Ties are rare and small: the
    outcomes are enumerated in Python, the rounds allocated by the kernels. A draw with more
    than TIE_OUTCOMES outcomes to follow (many lists tied at once) is flagged as tied
    without following the rest: a flag that may be one too many, never one missed."""
    from itertools import combinations, islice

    P, k = vm.shape
    cap = np.inf if max_seats is None else float(max_seats)
    low = -np.inf if min_seats is None else float(min_seats)
    live = vm > 0
    results: list[set] = [set() for _ in range(k)]
    budget = np.full(k, TIE_OUTCOMES)
    states, seen = [(j, ()) for j in range(k)], set()
    while states:
        m = len(states)
        held = np.zeros((P, m), dtype=bool)
        bound = np.zeros((P, m))
        for c, (_, fixed) in enumerate(states):
            for i, b in fixed:
                held[i, c], bound[i, c] = True, b
        cols = np.array([j for j, _ in states])
        free = live[:, cols] & ~held
        v = vm[:, cols] * free
        left = S[cols] - bound.sum(0)
        seats, tied = np.zeros((P, m)), np.zeros(m, dtype=bool)
        run = np.flatnonzero((left > 0) & free.any(0))
        if run.size:
            seats[:, run], tied[run] = _kernel(method, take_cols(v, run), left[run],
                                               default_priority(P), width=P)
        fewest, most = np.zeros((P, m)), np.zeros((P, m))
        if tied.any():
            t = np.flatnonzero(tied)
            fewest[:, t], most[:, t] = _tie_range(method, take_cols(v, t), take_cols(seats, t))
        nxt = []
        for c, (j, fixed) in enumerate(states):
            if budget[j] < 0:
                continue
            if tied[c]:  # every way of sharing the seats at stake among the lists in the tie
                group = np.flatnonzero(most[:, c] > fewest[:, c])
                stake = int((seats[group, c] - fewest[group, c]).sum())
                outcomes = []
                ways = combinations(group.tolist(), stake)
                for chosen in islice(ways, max(int(budget[j]), 0) + 1):
                    o = seats[:, c].copy()
                    o[group] = fewest[group, c]
                    o[list(chosen)] += 1
                    outcomes.append(o)
            else:
                outcomes = [seats[:, c]]
            budget[j] -= len(outcomes)
            if budget[j] < 0:  # too many to follow: flagged
                results[j].update({"many", "ways"})
                continue
            f = free[:, c]
            for o in outcomes:
                over = f & (o > cap)
                hold, b = (over, cap) if over.any() else (f & (o < low), low)
                if not hold.any():
                    results[j].add(tuple(np.where(held[:, c], bound[:, c], o).tolist()))
                    continue
                rest = left[c] - b * hold.sum()
                if rest < 0 or (not (f & ~hold).any() and rest != 0):
                    results[j].add(None)  # stuck
                    continue
                state = (j, tuple(sorted({*fixed, *((int(i), b) for i in np.flatnonzero(hold))})))
                if state not in seen:
                    seen.add(state)
                    nxt.append(state)
        states = nxt
    return np.array([len(r) > 1 for r in results], dtype=bool)


def _tie_range(method, v, s):
    tie_range = quota_tie_range if isinstance(method, QuotaMethod) else divisor_tie_range
    return tie_range(method, v, s)


def _holds_depend_on_tie(method, v, s, free, cap, low):
    """(k,) for k tied rounds — votes ``v`` and seats ``s`` (P, k), ``free`` the lists the
    round allocated among — whether some other way of breaking the tie holds other lists: the
    cap holds every list over it (if any list is over), else the minimum (``low``; None
    without one) every list under it. Only lists in the tie can move, each by one seat
    (``quota.tie_range``, ``divisor.tie_range``)."""
    fewest, most = _tie_range(method, v * free, s * free)
    over_always = free & (fewest > cap)
    over_maybe = free & (most > cap) & ~over_always
    varies = over_maybe.any(0)
    if low is not None:  # no list over the cap in any case: the minimum holds
        under_maybe = free & (fewest < low) & ~(most < low)
        varies |= ~over_always.any(0) & ~over_maybe.any(0) & under_maybe.any(0)
    return varies


def _hold_bounds(method, vm, S, prio, out, tied, free, status, cols, max_seats, min_seats,
                 pool=fresh, width=None):
    """Hold lists at the cap (first) or the minimum, one direction per round, re-allocating
    the rest among the free lists; a held list stays held. Works on compact copies of the
    breaking draws ``cols`` and writes them back once.

    A tie in a round that breaks a bound decides the result only through the lists it holds:
    the held lists get the bound whatever the tie, and the next round starts afresh among the
    others. So such a draw is flagged as tied when another way of breaking that round's tie
    would hold other lists (``_holds_depend_on_tie``), whatever the later rounds say
    (``tied`` is the last round's flag or'ed with these): a candidate, which
    ``_results_vary`` then settles by following every way."""
    hi = np.inf if max_seats is None else float(max_seats)
    lo = 0.0 if min_seats is None else float(min_seats)
    k = cols.size
    v, s, f = take_cols(vm, cols), take_cols(out, cols), take_cols(free, cols)
    Sc, st, t = S[cols], status[cols], tied[cols]
    sticky = np.zeros(k, dtype=bool)  # an earlier round's tie that may change the held lists
    pc = prio if prio.shape[1] == 1 else take_cols(prio, cols)
    at = np.arange(k)  # the draws (of the k) still breaking a bound
    while at.size:
        whole = at.size == k
        ss, ff = (s, f) if whole else (take_cols(s, at), take_cols(f, at))
        was_tied = np.flatnonzero(t[at])
        if was_tied.size:  # does the round's tie change which lists it holds?
            sticky[at[was_tied]] |= _holds_depend_on_tie(
                method, take_cols(v, at[was_tied]), take_cols(ss, was_tied),
                take_cols(ff, was_tied), hi, lo if min_seats is not None else None)
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
            fr = ff if every else take_cols(ff, idx)
            vf = np.multiply(v if whole and every else take_cols(v, sub), fr,
                             out=pool("vm_held", fr.shape))
            new, t[sub] = _kernel(method, vf, left[run],
                                  pc if pc.shape[1] == 1 else take_cols(pc, sub), pool, width)
            if every:
                np.copyto(ss, new, where=ff)
            else:
                part = take_cols(ss, idx)
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
