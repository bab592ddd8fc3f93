"""A plain per-draw allocation in exact Python integers: the yardstick, not the engine.

``seatsim bench`` times it beside the engine, and the tests check the engine against it row by
row. It follows the textbook definitions one seat or one list at a time, with no arrays and
no floats, so that a mistake in the engine's shortcuts cannot hide in both. Nothing else in
seatsim calls it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from fractions import Fraction

from simulate.methods import DivisorMethod, Method, QuotaMethod
from simulate.threshold import min_votes


def allocate_one(
    method: Method,
    votes: list[int],
    seats: int,
    *,
    threshold: Fraction = Fraction(0),
    base: int | None = None,
    strict: bool = False,
    max_seats: int | None = None,
    min_seats: int | None = None,
    priority: list[int] | None = None,
    factors: list[Fraction] | None = None,
) -> tuple[list[int] | None, bool]:
    """Seats for one draw and whether the result was decided by a tie: whether another way
    of breaking the ties of its rounds (a cap or minimum holds lists round by round) gives
    another result.

    ``priority`` ranks lists for breaking ties (higher wins; default: the earlier list).
    ``factors``: each list's quotient factor (divisor methods; the quotients are
    v·factor / d(k), as exact fractions). A quota method's ``rounding`` rounds its quota.
    Returns None for the seats when they cannot be filled (tied when another tie-break
    fills them).
    """
    n = len(votes)
    prio = priority or list(range(n - 1, -1, -1))
    base = sum(votes) if base is None else base
    vmin = min_votes(threshold, base, strict)
    live = [i for i in range(n) if votes[i] >= vmin and votes[i] > 0]
    if not live:
        return None, False
    if max_seats is not None and len(live) * max_seats < seats:
        return None, False
    if min_seats is not None and len(live) * min_seats > seats:
        return None, False
    # every list taking part at exactly the cap (or minimum): one valid result, which the
    # rounds always reach with one bound that binds, or two equal ones: no tie (a cap of
    # the house or more, or a minimum of 0, never binds)
    cap = max_seats if max_seats is not None and max_seats < seats else None
    low = min_seats or None
    forced = (cap is None or low is None or cap == low) and any(
        b and len(live) * b == seats for b in (cap, low)
    )
    fixed: dict[int, int] = {}
    any_tie = False
    result: list[int] | None
    while True:  # the result under ``prio``
        free = [i for i in live if i not in fixed]
        left = seats - sum(fixed.values())
        got, tied = _once(method, votes, free, left, prio, factors)
        if got is None:  # a rounded quota that cannot hand out the seats
            return None, False
        any_tie |= tied
        held, bound = _held(got, max_seats, min_seats)
        if not held:
            result = _vector(n, {**got, **fixed})
            break
        assert bound is not None  # lists are held only at a bound that is set
        left -= bound * len(held)
        if left < 0 or (len(held) == len(free) and left != 0):
            result = None  # stuck
            break
        fixed.update({i: bound for i in held})
    if not any_tie or forced:  # no round was tied: every tie-break gives this result
        return result, False
    if max_seats is None and min_seats is None:  # one round: its tie decides the result
        return result, True
    every = _every_result(method, votes, live, seats, max_seats, min_seats, prio, factors)
    return result, len(every) > 1


def _vector(n: int, seats: dict[int, int]) -> list[int]:
    out = [0] * n
    for i, s in seats.items():
        out[i] = s
    return out


def _every_result(
    method: Method,
    votes: list[int],
    live: list[int],
    seats: int,
    max_seats: int | None,
    min_seats: int | None,
    prio: list[int],
    factors: list[Fraction] | None = None,
) -> set[tuple[int, ...] | None]:
    """The results (a seat tuple, or None where the rounds get stuck) that ways of breaking
    each round's tie lead to, until there are two: a draw is tied when there is more than
    one. Rounds that reach the same held lists continue alike, so each is followed once."""
    n = len(votes)
    results: set[tuple[int, ...] | None] = set()
    todo: list[tuple[tuple[int, int], ...]] = [()]
    seen: set[tuple[tuple[int, int], ...]] = set()
    while todo:
        fixed = dict(todo.pop())
        free = [i for i in live if i not in fixed]
        left = seats - sum(fixed.values())
        got, tied = _once(method, votes, free, left, prio, factors)
        assert got is not None  # (a rounded quota, which could not fill it, has no bounds)
        for outcome in _tie_outcomes(method, votes, free, left, got, factors) if tied else [got]:
            if len(results) > 1:  # tied: nothing more to learn
                return results
            held, bound = _held(outcome, max_seats, min_seats)
            if not held:
                results.add(tuple(_vector(n, {**outcome, **fixed})))
                continue
            assert bound is not None  # lists are held only at a bound that is set
            rest = left - bound * len(held)
            if rest < 0 or (len(held) == len(free) and rest != 0):
                results.add(None)
                continue
            state = tuple(sorted({**fixed, **{i: bound for i in held}}.items()))
            if state not in seen:
                seen.add(state)
                todo.append(state)
    return results


def _held(
    got: dict[int, int], max_seats: int | None, min_seats: int | None
) -> tuple[list[int], int | None]:
    """The lists a round holds and the bound they are held at: those over the cap, else
    those under the minimum."""
    over = [i for i, s in got.items() if max_seats is not None and s > max_seats]
    if over:
        return over, max_seats
    return [i for i, s in got.items() if min_seats is not None and s < min_seats], min_seats


def _tie_outcomes(
    method: Method,
    votes: list[int],
    free: list[int],
    seats: int,
    got: dict[int, int],
    factors: list[Fraction] | None = None,
) -> Iterator[dict[int, int]]:
    """Every allocation of a tied round: the seats at the cut shared out among the lists
    whose claim is exactly the cut's in every possible way."""
    from itertools import combinations

    if method.family == "quota":
        total = sum(votes[i] for i in free)
        house = seats + method.offset
        floor = {i: votes[i] * house // total for i in free}
        rem = {i: votes[i] * house % total for i in free}
        if sum(floor.values()) > seats:  # all remainders zero: one holder gives one back
            base = {i: floor[i] for i in free}
            group = [i for i in free if floor[i] > 0]
            at_stake = len(group) - 1
            for i in group:
                base[i] -= 1
        else:
            cut = min(rem[i] for i in free if got[i] > floor[i])
            group = [i for i in free if votes[i] > 0 and rem[i] == cut]
            base = {i: floor[i] if i in group else got[i] for i in free}
            at_stake = sum(got[i] - floor[i] for i in group)
    else:
        last = {
            i: _quotient(method, votes, i, got[i] - 1, {i: 0}, factors) for i in free if got[i] > 0
        }
        cut_q = min(last.values(), key=lambda q: (1, 0) if q.key() is None else (0, q.key()))
        nxt = {
            i: _quotient(method, votes, i, got[i], {i: 0}, factors) for i in free if votes[i] > 0
        }
        down = [i for i in last if last[i].same_value(cut_q)]
        up = [i for i in nxt if nxt[i].same_value(cut_q) and i not in down]
        group, at_stake = down + up, len(down)
        base = dict(got)
        for i in down:
            base[i] -= 1
    for chosen in combinations(group, at_stake):
        yield {i: base[i] + (i in chosen) for i in free}


def _once(
    method: Method,
    votes: list[int],
    free: list[int],
    seats: int,
    prio: list[int],
    factors: list[Fraction] | None = None,
) -> tuple[dict[int, int] | None, bool]:
    if seats == 0 or not free:
        return {i: 0 for i in free}, False
    if method.family == "quota":
        if method.rounding != "exact":
            return _rounded_remainder(method, votes, free, seats, prio)
        return _largest_remainder(method, votes, free, seats, prio)
    return _highest_averages(method, votes, free, seats, prio, factors)


def _rounded_remainder(
    method: QuotaMethod, votes: list[int], free: list[int], seats: int, prio: list[int]
) -> tuple[dict[int, int] | None, bool]:
    """Largest remainder with a whole-number quota, as a law would do it by hand: whole
    quotas first; the seats left to the largest remainders one each, or a surplus taken
    back one each from the smallest remainders of the lists holding seats. None when that
    cannot hand out exactly the seats."""
    q = method.rounded_quota(sum(votes[i] for i in free), seats)
    if q < 1:
        return None, False
    floor = {i: votes[i] // q for i in free}
    rem = {i: votes[i] % q for i in free}
    left = seats - sum(floor.values())
    if left >= 0:
        order = sorted(free, key=lambda i: (rem[i], prio[i]), reverse=True)
        if left > len(order):
            return None, False
        for i in order[:left]:
            floor[i] += 1
        return floor, 0 < left < len(order) and rem[order[left - 1]] == rem[order[left]]
    holders = sorted((i for i in free if floor[i] > 0), key=lambda i: (rem[i], prio[i]))
    k = -left
    if k > len(holders):
        return None, False
    for i in holders[:k]:
        floor[i] -= 1
    return floor, k < len(holders) and rem[holders[k - 1]] == rem[holders[k]]


def _largest_remainder(
    method: QuotaMethod, votes: list[int], free: list[int], seats: int, prio: list[int]
) -> tuple[dict[int, int], bool]:
    total = sum(votes[i] for i in free)
    house = seats + method.offset
    floor = {i: votes[i] * house // total for i in free}
    rem = {i: votes[i] * house % total for i in free}
    left = seats - sum(floor.values())
    if left < 0:  # exact Droop quota, all remainders zero: one seat comes back
        holders = sorted((i for i in free if floor[i] > 0), key=lambda i: prio[i])
        floor[holders[0]] -= 1
        return floor, len(holders) >= 2
    order = sorted(free, key=lambda i: (rem[i], prio[i]), reverse=True)
    for i in order[:left]:
        floor[i] += 1
    tied = 0 < left < len(order) and rem[order[left - 1]] == rem[order[left]]
    return floor, tied


class _Quotient:
    """votes / d(k) (squared for Huntington–Hill) compared exactly; ties by priority."""

    __slots__ = ("num", "den", "prio", "i")

    def __init__(self, num: int, den: int, prio: int, i: int) -> None:
        self.num, self.den, self.prio, self.i = num, den, prio, i

    def key(self) -> Fraction | None:
        return Fraction(self.num, self.den) if self.den else None  # None: infinite

    def __lt__(self, other: _Quotient) -> bool:  # "comes first in the heap" = larger quotient
        a, b = self.num * other.den, other.num * self.den
        if self.den == 0 or other.den == 0:
            a, b = (self.den == 0) * 1, (other.den == 0) * 1
        if a != b:
            return a > b
        return self.prio > other.prio

    def same_value(self, other: _Quotient) -> bool:
        if self.den == 0 or other.den == 0:
            return self.den == other.den == 0
        return self.num * other.den == other.num * self.den


def _quotient(
    method: DivisorMethod,
    votes: list[int],
    i: int,
    k: int,
    prio: Mapping[int, int] | list[int],
    factors: list[Fraction] | None = None,
) -> _Quotient:
    """votes·factor / d(k) (squared for Huntington–Hill) as a numerator and denominator."""
    f = Fraction(1) if factors is None else factors[i]
    num, den = votes[i] * f.numerator, f.denominator
    if method.sqrt:
        num, den = num * num, den * den
    return _Quotient(num, den * method.divisor_exact(k), prio[i], i)


def _highest_averages(
    method: DivisorMethod,
    votes: list[int],
    free: list[int],
    seats: int,
    prio: list[int],
    factors: list[Fraction] | None = None,
) -> tuple[dict[int, int], bool]:
    got = {i: 0 for i in free}
    heap = [_quotient(method, votes, i, 0, prio, factors) for i in free]
    heapq.heapify(heap)
    last = None
    for _ in range(seats):
        last = heapq.heappop(heap)
        got[last.i] += 1
        heapq.heappush(heap, _quotient(method, votes, last.i, got[last.i], prio, factors))
    tied = last is not None and last.same_value(heap[0])
    return got, tied


def allocate_by_rule(
    method: Method,
    votes: list[int],
    seats: int,
    rule: str,
    *,
    threshold: Fraction = Fraction(0),
    factors: list[Fraction] | None = None,
    lot: list[int] | None = None,
    max_seats: int | None = None,
    min_seats: int | None = None,
) -> tuple[list[int] | None, str]:
    """Seats under a tie rule of a law, and what decided the result: "none" (no tie),
    "rule" (the rule decided a tie), "lot" (lists tied on votes too, settled by ``lot``, a
    rank per list, higher wins) or "undecided" (tied on votes too and no lot: the rule cannot
    decide). ``rule``: "first-listed" (the earlier list wins a tie) or "most-votes" (more
    votes win; equal votes are tried in both list orders: the rule decides only when both
    give the same seats)."""
    n = len(votes)

    def run(priority: list[int] | None = None) -> tuple[list[int] | None, bool]:
        return allocate_one(
            method,
            votes,
            seats,
            threshold=threshold,
            factors=factors,
            priority=priority,
            max_seats=max_seats,
            min_seats=min_seats,
        )

    first, tied = run()
    if not tied:
        return first, "none"
    if rule == "first-listed":
        return first, "rule"

    def ranks(second: list[int]) -> list[int]:
        order = sorted(range(n), key=lambda i: (votes[i], second[i]))
        out = [0] * n
        for r, i in enumerate(order):
            out[i] = r
        return out

    earlier = list(range(n - 1, -1, -1))
    fwd, _ = run(ranks(earlier))
    rev, _ = run(ranks(list(range(n))))
    if fwd == rev:  # (None for both: unfilled either way)
        return fwd, "rule"
    if lot is None:
        return fwd, "undecided"
    by_lot, _ = run(ranks(lot))
    return by_lot, "lot"
