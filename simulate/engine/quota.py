"""The largest-remainder kernel (Hare, Droop) on party-major arrays; see ``simulate.engine``.

Every kernel takes ``vm``: the votes of the lists taking part, zero for the others, so a list
takes part exactly where vm > 0 (a list with no votes can win no seat anyway).
"""

from __future__ import annotations

import numpy as np

from simulate.engine import sortnet
from simulate.engine.workarrays import Pool, count_true, fresh
from simulate.methods import QuotaMethod

NETWORK_LISTS = 20
"""Up to this many lists, remainders are ranked by a sorting network (``simulate.engine.sortnet``);
beyond it a sort per draw is faster (measured: 48 against 75 ms per million draws at 20
lists, 67 against 58 at 24)."""


def largest_remainder(
    method: QuotaMethod,
    vm: np.ndarray,
    S: np.ndarray,
    prio: np.ndarray,
    buf: Pool = fresh,
    width: int | None = None,
    E: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Largest remainder. With the quota E/(S + c): a = v·(S + c)·P + priority; the floor
    seats are floor(a / (E·P)) (the priority, < P, cannot change them) and the remainder keys
    a − floor·E·P = remainder·P + priority are distinct integers. True division of integers
    below 2^52 is never rounded across an integer, so the floors are exact. ``width`` (≥ the
    number of rows) bounds the priorities: every priority is < width."""
    P, n = vm.shape
    W = P if width is None else width
    E = vm.sum(0) if E is None else E
    if method.rounding != "exact":
        return _rounded_remainder(method, vm, S, prio, W, E)
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


def _quota_take_back(
    seats: np.ndarray, prio: np.ndarray, over: np.ndarray, tied: np.ndarray
) -> None:
    """Σ floor = S + 1 happens only when every remainder is zero: every list holding a seat
    has an equal claim to lose it. The lowest priority loses it; a tie if two could."""
    cols = np.flatnonzero(over)
    s = seats[:, cols]
    holders = s > 0
    pr = np.where(holders, np.broadcast_to(prio, seats.shape)[:, cols], np.inf)
    s -= pr == pr.min(0)
    seats[:, cols] = s
    tied[cols] = count_true(holders) >= 2


def tie_range(
    method: QuotaMethod, vm: np.ndarray, seats: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For draws whose allocation ``seats`` (P, k) among the lists with votes ``vm`` was tied:
    each list's fewest and most seats over the ways the tie could be broken, (lo, hi).

    The tie is at the cut: the lists whose remainder equals the last winning one could each
    have the remainder seat or not (floor or floor + 1); every other list's seats are fixed.
    With the exact Droop quota and every remainder zero, each list holding a seat could be the
    one that gives it back."""
    S = seats.sum(0)
    E = vm.sum(0)
    a = vm * (S + method.offset)
    floor = np.floor(a / E)  # exact: integers below 2^52 (see largest_remainder)
    rem = a - floor * E
    won = seats > floor
    cut = np.where(won, rem, np.inf).min(0)
    group = (vm > 0) & (rem == cut)
    lo, hi = seats.copy(), seats.copy()
    lo[group], hi[group] = floor[group], floor[group] + 1
    back = floor.sum(0) > S  # every remainder zero: one holder gives a seat back
    if back.any():
        holders = (floor > 0) & back
        lo[holders], hi[holders] = floor[holders] - 1, floor[holders]
    return lo, hi


# ---------------------------------------------------------------------------------------------
# a quota made a whole number (``QuotaMethod.rounding``)


def rounded_quota(method: QuotaMethod, E: np.ndarray, S: np.ndarray) -> np.ndarray:
    """(n,) the whole-number quota of every draw, as exact float64 integers (true division
    of integers below 2^52 is never rounded across an integer, so floor and ceil are exact;
    ``QuotaMethod.rounded_quota`` is the same for one count)."""
    d = S + method.offset
    if method.rounding == "down":
        return np.floor(E / d)
    if method.rounding == "up":
        return np.ceil(E / d)
    return np.floor((2.0 * E + d) / (2.0 * d))  # nearest, a half up


def _whole_quotas(
    method: QuotaMethod, vm: np.ndarray, S: np.ndarray, E: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The quota (n,) (1 where it rounds to 0, flagged by ``rounded_unfit``), seats by whole
    quotas (P, n), remainders (P, n) and the seats left over (n,), negative for a surplus."""
    q = rounded_quota(method, E, S)
    q = np.where(q > 0, q, 1.0)
    f = np.floor(vm / q)
    rem = vm - f * q
    return q, f, rem, S - f.sum(0)


def rounded_unfit(method: QuotaMethod, vm: np.ndarray, S: np.ndarray, E: np.ndarray) -> np.ndarray:
    """(n,) the draws a rounded quota cannot fill: a quota of 0, more seats left over than
    lists taking part (one remainder seat each), or a surplus larger than the lists holding a
    seat (one given back each)."""
    q = rounded_quota(method, E, S)
    _, f, _, left = _whole_quotas(method, vm, S, E)
    return (q < 1) | (left > count_true(vm > 0)) | (-left > count_true(f > 0))


def _rounded_remainder(
    method: QuotaMethod,
    vm: np.ndarray,
    S: np.ndarray,
    prio: np.ndarray,
    W: int,
    E: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Largest remainder with a whole-number quota q: floor(v/q) seats each, then the seats
    left go one each to the largest remainders v − floor(v/q)·q (the key (rem + 1)·W + priority
    puts every list taking part, even with remainder 0, above the others, whose key is the
    priority alone), or a surplus comes back one each from the lists holding a seat with the
    smallest remainders (key rem·W + priority: the lower priority gives back first). Tied
    where the last list served and the next have the same remainder. Draws that cannot be
    filled so (``rounded_unfit``) come back with meaningless seats; the driver flags them."""
    P, n = vm.shape
    _, f, rem, left = _whole_quotas(method, vm, S, E)
    prio = np.broadcast_to(prio, (P, n))
    cols = np.arange(n)
    tied = np.zeros(n, dtype=bool)
    live = vm > 0
    give = (left > 0) & (left <= count_true(live))
    if give.any():
        key = np.where(live, (rem + 1.0) * W, 0.0) + prio
        ranked = np.sort(key, axis=0)
        at = np.clip(P - left, 0, P - 1).astype(np.intp)
        cut = np.where(give, ranked[at, cols], np.inf)
        below = np.where(at >= 1, ranked[np.maximum(at - 1, 0), cols], -1.0)
        f += key >= cut
        level = np.floor(below / W)
        tied |= give & (level >= 1) & (level == np.floor(cut / W))
    held = f > 0
    back = (left < 0) & (-left <= count_true(held))
    if back.any():
        key = np.where(held, rem * W + prio, np.inf)
        ranked = np.sort(key, axis=0)
        k = (-left).astype(np.intp)
        cut = np.where(back, ranked[np.clip(k - 1, 0, P - 1), cols], -np.inf)
        above = np.where(k < P, ranked[np.clip(k, 0, P - 1), cols], np.inf)
        f -= key <= cut
        tied |= back & np.isfinite(above) & (np.floor(above / W) == np.floor(cut / W))
    return f, tied
