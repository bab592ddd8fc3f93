"""A plain per-draw allocation in exact Python integers: the yardstick, not the engine.

``seatsim bench`` times it beside the engine, and the tests check the engine against it row by
row. It follows the textbook definitions one seat or one list at a time, with no arrays and
no floats, so that a mistake in the engine's shortcuts cannot hide in both. Nothing else in
seatsim calls it.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

from .methods import Method
from .threshold import min_votes


def allocate_one(method: Method, votes: list[int], seats: int, *, threshold: Fraction = Fraction(0),
                 base: int | None = None, strict: bool = False, max_seats: int | None = None,
                 min_seats: int | None = None, priority: list[int] | None = None
                 ) -> tuple[list[int] | None, bool]:
    """Seats for one draw and whether the result was decided by a tie at the cut.

    ``priority`` ranks lists for breaking ties (higher wins; default: the earlier list).
    Returns (None, False) when the seats cannot be filled.
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
    forced = (cap is None or low is None or cap == low) and \
        any(b and len(live) * b == seats for b in (cap, low))
    fixed: dict[int, int] = {}
    earlier = False  # a tie in a round that held lists, and might have held others
    while True:
        free = [i for i in live if i not in fixed]
        left = seats - sum(fixed.values())
        got, tied = _once(method, votes, free, left, prio)
        broke = [i for i in free if max_seats is not None and got[i] > max_seats]
        bound = max_seats
        if not broke:  # the cap first; the minimum only when no list is over the cap
            broke = [i for i in free if min_seats is not None and got[i] < min_seats]
            bound = min_seats
        if not broke:
            out = [0] * n
            for i, s in {**got, **fixed}.items():
                out[i] = s
            return out, (tied or earlier) and not forced
        # A tie moves a list by at most one seat: it can change which lists are held only
        # through a list within one seat of a bound.
        if tied and any((max_seats is not None and got[i] in (max_seats, max_seats + 1))
                        or (min_seats is not None and got[i] in (min_seats - 1, min_seats))
                        for i in free):
            earlier = True
        left = seats - sum(fixed.values()) - bound * len(broke)
        if left < 0 or (len(broke) == len(free) and left != 0):
            return None, earlier  # stuck; another tie-break might not have been
        for i in broke:
            fixed[i] = bound


def _once(method, votes, free, seats, prio) -> tuple[dict[int, int], bool]:
    if seats == 0 or not free:
        return {i: 0 for i in free}, False
    if method.family == "quota":
        return _largest_remainder(method, votes, free, seats, prio)
    return _highest_averages(method, votes, free, seats, prio)


def _largest_remainder(method, votes, free, seats, prio):
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

    def __init__(self, num, den, prio, i):
        self.num, self.den, self.prio, self.i = num, den, prio, i

    def key(self):
        return Fraction(self.num, self.den) if self.den else None  # None: infinite

    def __lt__(self, other):  # "comes first in the heap" = larger quotient
        a, b = self.num * other.den, other.num * self.den
        if self.den == 0 or other.den == 0:
            a, b = (self.den == 0) * 1, (other.den == 0) * 1
        if a != b:
            return a > b
        return self.prio > other.prio

    def same_value(self, other):
        if self.den == 0 or other.den == 0:
            return self.den == other.den == 0
        return self.num * other.den == other.num * self.den


def _quotient(method, votes, i, k, prio):
    num = votes[i] * votes[i] if method.sqrt else votes[i]
    return _Quotient(num, method.divisor_exact(k), prio[i], i)


def _highest_averages(method, votes, free, seats, prio):
    got = {i: 0 for i in free}
    heap = [_quotient(method, votes, i, 0, prio) for i in free]
    heapq.heapify(heap)
    last = None
    for _ in range(seats):
        last = heapq.heappop(heap)
        got[last.i] += 1
        heapq.heappush(heap, _quotient(method, votes, last.i, got[last.i], prio))
    tied = last is not None and last.same_value(heap[0])
    return got, tied
