"""The allocation engine: every method, one draw or millions, exact, ties detected.

Arrays are party-major: ``votes[i, j]`` is list i in draw j, so reductions over lists run along
long contiguous rows. Votes are float64 arrays holding exact integers; every product the engine
forms stays below 2^52 (``methods.check_exact``), so floors, remainders and quotient comparisons
are exact, not rounded. Ties are broken by a priority rank per list and draw (higher wins): by
default the earlier list, but every draw whose result depends on that choice is flagged as tied,
so callers either raise or re-run it with a priority drawn by lot.

``allocate_pm`` is the one entry point: ``simulate.plain`` calls it for a single
election, ``simulate.batch`` for batches, ``simulate.montecarlo.run`` for its chunks. This
module holds the driver (thresholds already applied: infeasible draws, lots; under a divisor
method without bounds the lists that cannot win are left out first, ``contenders``);
``kernel`` is one round of the method (``quota.largest_remainder``,
``divisor.highest_averages``), ``bounds`` the caps and minimums, and the kernels' work arrays
come from ``workarrays``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulate.engine.bounds import hold_bounds, results_vary
from simulate.engine.contenders import drop_hopeless
from simulate.engine.kernel import (
    CAP_TOO_LOW,
    MIN_TOO_HIGH,
    NO_LIST,
    OK,
    QUOTA_UNFIT,
    default_priority,
    kernel,
)
from simulate.engine.quota import rounded_unfit
from simulate.engine.workarrays import Pool, count_true, scratch, take_cols
from simulate.methods import DivisorMethod, Method, QuotaMethod

STATUS_TEXT = {
    NO_LIST: "no list passes the threshold",
    CAP_TOO_LOW: "the seat cap leaves seats that no list may take",
    MIN_TOO_HIGH: "the minimum seats per list add up to more than the house",
    QUOTA_UNFIT: "the rounded quota cannot hand out the seats (a quota of 0, more seats left "
    "over than lists, or more handed out than lists holding a seat to give one back)",
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


def lot_priority(rng: np.random.Generator, n_lists: int, n_draws: int) -> np.ndarray:
    """(P, n) a lot: a uniformly random order of the lists for each draw, drawn in draw order
    (each draw consumes the same amount of the generator, whatever the batch)."""
    ranks = rng.permuted(np.tile(np.arange(n_lists, dtype=np.float64), (n_draws, 1)), axis=1)
    return np.ascontiguousarray(ranks.T)


# ---------------------------------------------------------------------------------------------
# the driver: thresholds already applied; caps, minimums and infeasible draws handled here


def allocate_pm(
    method: Method,
    votes: np.ndarray,
    eligible: np.ndarray | None,
    seats: int | np.ndarray,
    *,
    max_seats: int | None = None,
    min_seats: int | None = None,
    priority: np.ndarray | None = None,
    lots: Callable[[np.ndarray], np.ndarray] | None = None,
    out: np.ndarray | None = None,
    zeros: np.ndarray | None = None,
    totals: np.ndarray | None = None,
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
    view of an (n, P) result saves a copy); by default a new int64 array. ``zeros``: (P,)
    bool, the rows of ``out`` known to hold zeros already (an array reused from a batch
    whose seats went to other lists): rows where no list takes part are written only when
    not among them. ``totals``: (n,) the sums of ``votes`` per draw when the caller has them
    (with ``eligible`` None; saves a pass over the votes).
    """
    result = _allocate_batch(
        method, votes, eligible, seats, max_seats, min_seats, priority, out, zeros, totals
    )
    if lots is not None:
        result.by_lot = result.tied.copy()
        cols = np.flatnonzero(result.tied)
        if cols.size:
            S = np.broadcast_to(np.asarray(seats), (votes.shape[1],))[cols]
            again = _allocate_batch(
                method,
                take_cols(votes, cols),
                None if eligible is None else take_cols(eligible, cols),
                S,
                max_seats,
                min_seats,
                lots(cols),
                None,
                None,
                None if totals is None else totals[cols],
            )
            result.seats[:, cols] = again.seats
            result.status[cols] = again.status  # the lot may decide whether seats fill
            if result.free is not None:
                result.free[:, cols] = False if again.free is None else again.free
    return result


def _allocate_batch(
    method: Method,
    votes: np.ndarray,
    eligible: np.ndarray | None,
    seats: int | np.ndarray,
    max_seats: int | None,
    min_seats: int | None,
    priority: np.ndarray | None,
    out: np.ndarray | None,
    zeros: np.ndarray | None,
    totals: np.ndarray | None = None,
) -> EngineResult:
    P, n = votes.shape
    E = totals if eligible is None else None  # (rows without votes add nothing to them)
    S = (
        np.full(n, float(seats))
        if np.ndim(seats) == 0
        else np.broadcast_to(np.asarray(seats, dtype=np.float64), (n,)).copy()
    )
    prio = default_priority(P) if priority is None else np.asarray(priority, dtype=np.float64)
    pool = scratch()
    if out is None:
        out, zeros = np.empty((P, n), dtype=np.int64), None
    rows = np.flatnonzero(votes.max(1) > 0) if eligible is None else np.flatnonzero(eligible.any(1))
    # Lists that take part in no draw of the batch are left out of the work arrays, and so,
    # under a divisor method without bounds, are those that can win no seat in any draw.
    if rows.size == P:
        vm = votes if eligible is None else np.multiply(votes, eligible, out=pool("vm_in", (P, n)))
    else:
        vm = pool("vm_in", (rows.size, n))
        np.take(votes, rows, axis=0, out=vm, mode="clip")  # (an unbuffered copy; rows are valid)
        if eligible is not None:
            vm *= eligible[rows]
    work = rows  # the rows the kernel works on
    if max_seats is None and min_seats is None and isinstance(method, DivisorMethod):
        fewer = drop_hopeless(method, vm, S, pool, E)
        if fewer is not None:
            (kept, vm), E = fewer, None
            work = rows[kept]
    if work.size == P:
        seats_f, tied, status, free = _allocate(
            method, vm, S, prio, P, max_seats, min_seats, pool, E
        )
        np.copyto(out, seats_f, casting="unsafe")
        return EngineResult(out, tied, status, free, rows=rows)
    seats_f, tied, status, part_free = _allocate(
        method, vm, S, prio[work], P, max_seats, min_seats, pool, E
    )
    if zeros is None:  # (one pass in memory order, whatever the strides of ``out``)
        out.fill(0)
    else:
        idle = np.ones(P, dtype=bool)
        idle[work] = False
        idle &= ~zeros
        if idle.any():
            out[idle] = 0
    out[work] = seats_f
    free = None
    if part_free is not None:
        free = np.zeros((P, n), dtype=bool)
        free[work] = part_free
    return EngineResult(out, tied, status, free, rows=rows)


def _allocate(
    method: Method,
    vm: np.ndarray,
    S: np.ndarray,
    prio: np.ndarray,
    width: int,
    max_seats: int | None,
    min_seats: int | None,
    pool: Pool,
    E: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Seats (P, n) float64 (a pooled array when every draw is filled: read it before the
    next engine call), tied (n,), status (n,), free (P, n) or None."""
    P, n = vm.shape
    E = vm.sum(0) if E is None else E
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
    if isinstance(method, QuotaMethod) and method.rounding != "exact":
        status[(status == OK) & rounded_unfit(method, vm, S, E)] = QUOTA_UNFIT
    if not status.any():
        cols = None
        seats, tied = kernel(method, vm, S, prio, pool, width, E)
    else:
        cols = np.flatnonzero(status == OK)
        seats = np.zeros((P, n))
        tied = np.zeros(n, dtype=bool)
        if cols.size:
            pc = prio if prio.shape[1] == 1 else take_cols(prio, cols)
            seats[:, cols], tied[cols] = kernel(
                method, take_cols(vm, cols), S[cols], pc, width=width, E=E[cols]
            )
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
            hold_bounds(
                method,
                vm,
                S,
                prio,
                seats,
                tied,
                free,
                status,
                np.flatnonzero(breaks),
                max_seats,
                min_seats,
                pool,
                width,
            )
        # Where every list taking part must hold exactly the cap (or the minimum) to fill
        # the house, there is one valid result, and with one bound that binds (or two equal
        # ones) the rounds always reach it: no tie can change it. (With a cap above the
        # minimum, a list held at the minimum on the way can leave the rest unable to fill
        # the house.) A cap of S or more, or a minimum of 0, never binds.
        if tied.any():
            cap = (
                np.full(n, np.nan)
                if max_seats is None
                else np.where(max_seats < S, float(max_seats), np.nan)
            )
            low = np.nan if not min_seats else float(min_seats)
            one = np.isnan(cap) | np.isnan(low) | (cap == low)
            forced = (n_live * cap == S) | (n_live * low == S)
            tied &= ~(forced & one & (status == OK))
        if tied.any():  # a tie on the way: does breaking it otherwise change the result?
            # (after the forced results above, which need no search)
            cand = np.flatnonzero(tied)
            tied[cand] = results_vary(method, take_cols(vm, cand), S[cand], max_seats, min_seats)
    return seats, tied, status, free
