"""Seat caps and minimums: lists held at a bound round by round, the rest re-allocated among
the others by the same method (``hold_bounds``), and whether a tie in one of those rounds
changes the result (``results_vary``). ``simulate.engine`` calls these for the draws whose
first allocation breaks a bound, or that are tied under bounds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import cast

import numpy as np

from simulate.engine.kernel import (
    CAP_TOO_LOW,
    MIN_TOO_HIGH,
    default_priority,
    kernel,
    tie_range,
)
from simulate.engine.workarrays import Pool, fresh, take_cols
from simulate.methods import Method

TIE_OUTCOMES = 4096
"""The most outcomes of tied rounds ``results_vary`` follows for one draw."""

Held = tuple[tuple[int, float], ...]
"""The lists a state holds, with the bound each is held at, sorted (``_canonical``)."""


def results_vary(
    method: Method,
    vm: np.ndarray,
    S: np.ndarray,
    max_seats: int | None,
    min_seats: int | None,
) -> np.ndarray:
    """(k,) for k draws with a tie in some round under a cap or minimum: whether another way
    of breaking the rounds' ties gives another result (other seats, or unfilled seats
    against filled ones). Every outcome of a tied round is followed (``tie_range``: each list
    in the tie could have one seat more or fewer, as many seats at stake as it took); rounds
    that reach the same held lists continue alike, so each such state is followed once, and
    the states of a step go through the kernel together. Ties are rare and small: the
    outcomes are enumerated in Python, the rounds allocated by the kernels, and a draw is
    left as soon as it has two results.

    Lists with equal votes (twins) are interchangeable: the rules see only votes, so
    swapping two twins in every round's tie-break swaps them in the result. So a result in
    which twins hold different seats is one of at least two (tied), and of the outcomes that
    differ only by which twins take the seats at stake, one is followed (``_choices``), and
    states that differ only by which twins are held are one state (``_canonical``). A dozen
    equal lists in a tie then cost a dozen outcomes, not thousands. A draw with more than
    TIE_OUTCOMES outcomes to follow even so (many lists with different votes tied at once,
    all leading to one result so far) is flagged as tied without following the rest: a flag
    that may be one too many, never one missed."""
    P, k = vm.shape
    cap = np.inf if max_seats is None else float(max_seats)
    low = -np.inf if min_seats is None else float(min_seats)
    live = vm > 0
    twin = [_twin_of(vm[:, j], live[:, j]) for j in range(k)]
    sets = [_twin_sets(t) for t in twin]
    results: list[set[tuple[float, ...] | None]] = [set() for _ in range(k)]
    vary = np.zeros(k, dtype=bool)  # two results found (or too many outcomes to follow)
    budget = np.full(k, TIE_OUTCOMES)
    states: list[tuple[int, Held]] = [(j, ()) for j in range(k)]
    seen: set[tuple[int, Held]] = set()
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
            seats[:, run], tied[run] = kernel(
                method, take_cols(v, run), left[run], default_priority(P), width=P
            )
        fewest, most = np.zeros((P, m)), np.zeros((P, m))
        if tied.any():
            t = np.flatnonzero(tied)
            fewest[:, t], most[:, t] = tie_range(method, take_cols(v, t), take_cols(seats, t))
        nxt: list[tuple[int, Held]] = []
        for c, (j, fixed) in enumerate(states):
            if vary[j]:  # two results already: tied, nothing more to learn
                continue
            outcomes: Iterator[np.ndarray]
            if tied[c]:  # the ways of sharing the seats at stake among the lists in the tie
                group = np.flatnonzero(most[:, c] > fewest[:, c])
                stake = int((seats[group, c] - fewest[group, c]).sum())
                outcomes = (
                    _share(seats[:, c], fewest[:, c], group, chosen)
                    for chosen in _choices(group.tolist(), twin[j], stake)
                )
            else:
                outcomes = iter([seats[:, c]])
            f = free[:, c]
            for o in outcomes:
                budget[j] -= 1
                vary[j] |= budget[j] < 0  # too many to follow: flagged
                if vary[j]:
                    break
                hold = _held(o, f, cap, low)
                b = cap if (hold & (o > cap)).any() else low
                if not hold.any():
                    got = np.where(held[:, c], bound[:, c], o)
                    results[j].add(tuple(got.tolist()))
                    # two results, or twins apart (swapping them is another)
                    vary[j] |= len(results[j]) > 1 or (got != got[twin[j]]).any()
                    continue
                rest = left[c] - b * hold.sum()
                if rest < 0 or (not (f & ~hold).any() and rest != 0):
                    results[j].add(None)  # stuck
                    vary[j] |= len(results[j]) > 1
                    continue
                state = (
                    j,
                    _canonical({*fixed, *((int(i), b) for i in np.flatnonzero(hold))}, sets[j]),
                )
                if state not in seen:
                    seen.add(state)
                    nxt.append(state)
        states = nxt
    return vary


def _twin_of(votes: np.ndarray, live: np.ndarray) -> np.ndarray:
    """(P,) int: for each list taking part, the first list with the same votes (its own
    index if none comes before it); every other list maps to itself."""
    twin = np.arange(votes.size)
    first: dict[float, int] = {}
    for i in np.flatnonzero(live).tolist():
        twin[i] = first.setdefault(float(votes[i]), i)
    return twin


def _twin_sets(twin: np.ndarray) -> list[list[int]]:
    """The lists grouped by their first twin (``_twin_of``), each set in list order."""
    sets: dict[int, list[int]] = {}
    for i, first in enumerate(twin.tolist()):
        sets.setdefault(first, []).append(i)
    return list(sets.values())


def _choices(group: list[int], twin: np.ndarray, stake: int) -> Iterator[tuple[int, ...]]:
    """The lists of ``group`` that take the ``stake`` seats, one way per number of seats each
    set of twins takes (the first twins of a set take them): the other ways only swap twins."""
    by_first: dict[int, list[int]] = {}
    for i in group:
        by_first.setdefault(int(twin[i]), []).append(i)
    sets = list(by_first.values())

    def pick(at: int, need: int) -> Iterator[tuple[int, ...]]:
        if at == len(sets):
            if need == 0:
                yield ()
            return
        rest = sum(len(s) for s in sets[at + 1 :])
        for n in range(max(0, need - rest), min(need, len(sets[at])) + 1):
            for tail in pick(at + 1, need - n):
                yield (*sets[at][:n], *tail)

    return pick(0, stake)


def _canonical(fixed: Iterable[tuple[int, float]], sets: list[list[int]]) -> Held:
    """Held lists (list, bound) as a sorted tuple, with the holds of each set of twins
    (``_twin_sets``) given to its first members in a fixed order: states that differ only by
    which twins are held continue alike, up to swapping twins."""
    bounds = dict(fixed)
    out: list[tuple[int, float]] = []
    for members in sets:
        held = sorted(bounds[i] for i in members if i in bounds)
        out.extend(zip(members, held))
    return tuple(sorted(out))


def _held(seats: np.ndarray, free: np.ndarray, cap: float, low: float) -> np.ndarray:
    """The lists a round holds (any shape, lists first): the free ones over the cap in a
    draw where any is, else the free ones under the minimum (``low`` 0 or −inf: none)."""
    over = free & (seats > cap)
    return np.where(over.any(0), over, free & (seats < low))


def _share(
    seats: np.ndarray, fewest: np.ndarray, group: np.ndarray, chosen: Sequence[int]
) -> np.ndarray:
    """One outcome of a tied round: the lists in ``group`` at their fewest seats, plus one for
    each list ``chosen``."""
    o = seats.copy()
    o[group] = fewest[group]
    o[list(chosen)] += 1
    return o


def _holds_depend_on_tie(
    method: Method,
    v: np.ndarray,
    s: np.ndarray,
    free: np.ndarray,
    cap: float,
    low: float | None,
) -> np.ndarray:
    """(k,) for k tied rounds — votes ``v`` and seats ``s`` (P, k), ``free`` the lists the
    round allocated among — whether some other way of breaking the tie holds other lists: the
    cap holds every list over it (if any list is over), else the minimum (``low``; None
    without one) every list under it. Only lists in the tie can move, each by one seat
    (``quota.tie_range``, ``divisor.tie_range``)."""
    fewest, most = tie_range(method, v * free, s * free)
    over_always = free & (fewest > cap)
    over_maybe = free & (most > cap) & ~over_always
    varies = cast(np.ndarray, over_maybe.any(0))  # (k,): numpy types any(0) as bool | array
    if low is not None:  # no list over the cap in any case: the minimum holds
        under_maybe = free & (fewest < low) & ~(most < low)
        varies |= ~over_always.any(0) & ~over_maybe.any(0) & under_maybe.any(0)
    return varies


def hold_bounds(
    method: Method,
    vm: np.ndarray,
    S: np.ndarray,
    prio: np.ndarray,
    out: np.ndarray,
    tied: np.ndarray,
    free: np.ndarray,
    status: np.ndarray,
    cols: np.ndarray,
    max_seats: int | None,
    min_seats: int | None,
    pool: Pool = fresh,
    width: int | None = None,
) -> None:
    """Hold lists at the cap (first) or the minimum, one direction per round, re-allocating
    the rest among the free lists; a held list stays held. Works on compact copies of the
    breaking draws ``cols`` and writes them back once.

    A tie in a round that breaks a bound decides the result only through the lists it holds:
    the held lists get the bound whatever the tie, and the next round starts afresh among the
    others. So such a draw is flagged as tied when another way of breaking that round's tie
    would hold other lists (``_holds_depend_on_tie``), whatever the later rounds say
    (``tied`` is the last round's flag or'ed with these): a candidate, which
    ``results_vary`` then settles by following every way."""
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
                method,
                take_cols(v, at[was_tied]),
                take_cols(ss, was_tied),
                take_cols(ff, was_tied),
                hi,
                lo if min_seats is not None else None,
            )
        brk = _held(ss, ff, hi, lo)
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
            sub = at if every else at[run]  # the draws re-allocated
            idx = None if every else np.flatnonzero(run)  # their columns in ss and ff
            fr = ff if idx is None else take_cols(ff, idx)
            vf = np.multiply(
                v if whole and every else take_cols(v, sub), fr, out=pool("vm_held", fr.shape)
            )
            new, t[sub] = kernel(
                method, vf, left[run], pc if pc.shape[1] == 1 else take_cols(pc, sub), pool, width
            )
            if idx is None:  # (every draw)
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
