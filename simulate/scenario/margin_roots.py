"""Breakpoints of a vote path (``simulate.scenario.margin_paths``): a superset of the x where
one comparison the engine makes turns into an equality, as floats.

The breakpoints, for the lists S that take part (the passing set is constant between
threshold breakpoints, so the others are computed per piece):

* threshold (``margin_paths.threshold_roots``): list j passes when q·v_j(x) ≥ p·B(x) for
  t = p/q, linear in x: one root each; likewise a list's votes reaching zero;
* quota methods (house H = h + offset, W(x) the votes of the lists in the round): list j's
  quota v_j·H/W crosses an integer m, and two remainders are equal when
  (v_j − v_k)·H/W = m for an integer m. Each is a Möbius function of x, monotone on a piece,
  so the integers m between its values at the ends of the piece give every root. With a seat
  cap or minimum, later rounds share H' = h − (held seats) among the lists not held, and the
  held lists are the largest (cap) and smallest (minimum) in some order of the votes on the
  piece (``held_sets``): each such round is a variant;
* divisor methods: v_j(x)/d(a) = v_k(x)/d(b) for lists j ≠ k and signposts a, b < h (the
  h-th quotient of a list never wins: its own h quotients above it fill the house), for pairs
  where at least one list moves. Each round (the lists not held, sharing the seats left) is a
  plain divisor method, whose seats change only where two quotients are equal at its cut, the
  H-th largest quotient; the cut does not fall when any list's votes rise, so on a piece it
  lies between its values at the lowest and at the highest counts, and only roots whose
  common quotient lies in some round's band are kept.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.errors import InputError
from simulate.methods import DivisorMethod, Method, QuotaMethod
from simulate.rules import Rules
from simulate.scenario.margin_paths import Path


def quota_roots(
    path: Path, method: Method, rules: Rules, parts: list[tuple[float, float, np.ndarray]]
) -> np.ndarray:
    offset = method.offset if isinstance(method, QuotaMethod) else 0
    found = []
    for lo, hi, live in parts:
        idx = np.flatnonzero(live)
        if idx.size:
            free, left = held_sets(path, idx, rules, lo, hi)
            found.append(_quota_piece(path, idx, free, left + offset, lo, hi))
    return np.concatenate(found) if found else np.empty(0)


def held_sets(
    path: Path, idx: np.ndarray, rules: Rules, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every set of lists a round of the cap and minimum could hold on the piece [lo, hi]:
    (V, len(idx)) bool, the lists *not* held, and (V,) the seats left to them.

    Within a round a list with more votes never gets fewer seats (its quota or quotients
    are larger), so a list over the cap has every larger list over it too, and a list
    under the minimum every smaller one: the held lists are the k largest (at the cap)
    and the m smallest (at the minimum) of the lists in the piece, in the order of their
    votes at some x. The order changes only where a moving list's votes cross another's,
    so the orders on both sides of every crossing are tried."""
    cap, low, h = rules.max_seats, rules.min_seats or 0, rules.seats
    n = idx.size
    if cap is None and not low:
        return np.ones((1, n), dtype=bool), np.array([h])
    v, dv = path.votes[idx].astype(np.float64), path.step[idx].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = ((v[None, :] - v[:, None]) / (dv[:, None] - dv[None, :])).ravel()
    cross = np.unique(cross[np.isfinite(cross) & (cross > lo) & (cross < hi)])
    points = np.concatenate(
        [[lo, hi], cross, (np.concatenate([[lo], cross]) + np.concatenate([cross, [hi]])) / 2]
    )
    # k lists held at the cap (or m at the minimum) must leave seats to the others
    tops = range(0, min(n, (h - 1) // cap) + 1) if cap is not None else range(1)
    bottoms = range(0, min(n, (h - 1) // low) + 1) if low else range(1)
    km = [(k, m) for k in tops for m in bottoms if k + m < n and h - k * (cap or 0) - m * low > 0]
    if not km:
        return np.zeros((0, n), dtype=bool), np.zeros(0, dtype=np.int64)
    # each point's order of the votes as ranks: the k largest and m smallest are held
    order = np.argsort(-(v[None, :] + points[:, None] * dv[None, :]), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[None, :], axis=1)
    ks = np.array([k for k, _ in km])[None, :, None]
    ms = np.array([m for _, m in km])[None, :, None]
    free = ((rank[:, None, :] >= ks) & (rank[:, None, :] < n - ms)).reshape(-1, n)
    left = np.tile([h - k * (cap or 0) - m * low for k, m in km], points.size)
    # every distinct set once, as first met (points in turn, then k, then m)
    if n < 63:  # a set as the bits of one number
        keys = free.astype(np.int64) @ (np.int64(1) << np.arange(n, dtype=np.int64))
        _, first = np.unique(keys, return_index=True)
    else:
        _, first = np.unique(free, axis=0, return_index=True)
    first.sort()
    return free[first], left[first].astype(np.int64)


def _quota_piece(
    path: Path, idx: np.ndarray, free: np.ndarray, house: np.ndarray, lo: float, hi: float
) -> np.ndarray:
    """Roots of v_j·H/W ∈ ℤ and (v_j − v_k)·H/W ∈ ℤ on [lo, hi], for every variant (a row
    of ``free``: the lists in the round, W their votes; H its ``house``)."""
    v = path.votes[idx].astype(np.float64)
    dv = path.step[idx].astype(np.float64)
    j, k = np.triu_indices(idx.size, 1)
    c0 = np.concatenate([v, v[j] - v[k]])[None, :]
    c1 = np.concatenate([dv, dv[j] - dv[k]])[None, :]
    inside = np.concatenate([free, free[:, j] & free[:, k]], axis=1)  # (V, terms)
    w0 = (free * v).sum(1)[:, None]
    dw = (free * dv).sum(1)[:, None]
    H = house.astype(np.float64)[:, None]
    inside &= (c1 != 0) | (dw != 0)
    rows, cols = np.nonzero(inside)
    c0, c1 = c0[0, cols], c1[0, cols]
    w0, dw, H = w0[rows, 0], dw[rows, 0], H[rows, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        g_lo = (c0 + c1 * lo) * H / (w0 + dw * lo)
        g_hi = (c0 + c1 * hi) * H / (w0 + dw * hi)
    # |v_j − v_k| ≤ W and 0 ≤ v_j ≤ W for lists in the round: every value lies in [−H, H]
    # (an end where the round's votes reach zero gives nan: the whole range is then tried)
    g_lo = np.where(np.isfinite(g_lo), g_lo, -H)
    g_hi = np.where(np.isfinite(g_hi), g_hi, H)
    m_lo = np.clip(np.floor(np.minimum(g_lo, g_hi)), -H, H).astype(np.int64) - 1
    m_hi = np.clip(np.ceil(np.maximum(g_lo, g_hi)), -H, H).astype(np.int64) + 1
    n = m_hi - m_lo + 1
    rep = np.repeat(np.arange(c0.size), n)
    m = (m_lo[rep] + np.arange(rep.size) - np.repeat(np.cumsum(n) - n, n)).astype(np.float64)
    den = H[rep] * c1[rep] - m * dw[rep]
    ok = den != 0
    return (m[ok] * w0[rep][ok] - H[rep][ok] * c0[rep][ok]) / den[ok]


def divisor_roots(
    path: Path,
    method: Method,
    rules: Rules,
    parts: list[tuple[float, float, np.ndarray]],
    own: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    """Roots of v_j(x)/d(a) = v_k(x)/d(b) for pairs with a moving list, piece by piece.
    ``own`` fixes the signposts tried for some moving lists (a list's own next or last seat,
    when only the first change of its seats is wanted).

    Each round (the lists not held, sharing the seats left) is a plain divisor method,
    whose seats change only where two quotients are equal at its cut, the H-th largest
    quotient; the cut rises with every list's votes, so on a piece it lies between its
    values at the lowest and at the highest counts. Roots whose common quotient lies in no
    round's band are dropped."""
    h = rules.seats
    d = _signposts(method, h)
    usable = np.flatnonzero(d > 0)
    found = []
    for lo, hi, live in parts:
        idx = np.flatnonzero(live)
        if not idx.size or not path.step[idx].any():
            continue
        free, left = held_sets(path, idx, rules, lo, hi)
        ends = np.stack([path.at(lo)[idx], path.at(hi)[idx]]).astype(np.float64)
        bands = np.array(
            [
                [_cut(ends.min(0)[f], d, H, low=True), _cut(ends.max(0)[f], d, H, low=False)]
                for f, H in zip(free, left, strict=True)
            ]
        )
        span = (float(bands[:, 0].min()), float(bands[:, 1].max()))
        found.append(_divisor_piece(path, idx, ends, d, usable, bands, span, lo, hi, own))
    return np.concatenate(found) if found else np.empty(0)


def _divisor_piece(path, idx, ends, d, usable, bands, span, lo, hi, own) -> np.ndarray:
    lows, highs = ends.min(0), ends.max(0)
    pos = {int(j): n for n, j in enumerate(idx)}
    moving = [int(j) for j in idx if path.step[j] != 0]
    signposts = {}  # each list's, worked out once for the piece
    for j in (int(j) for j in idx):
        a = own[j] if own and j in own else _indices(lows[pos[j]], highs[pos[j]], d, usable, span)
        signposts[j] = a[d[a] > 0]  # d = 0: an infinite quotient, no root
    starts, ends = _union(bands)
    found = []
    for j in moving:  # every other list at once: its signposts side by side
        others = [
            int(k)
            for k in idx
            if k != j and not (path.step[k] != 0 and k < j) and signposts[int(k)].size
        ]
        a = signposts[j]
        if a.size == 0 or not others:
            continue
        b = np.concatenate([signposts[k] for k in others])
        width = [signposts[k].size for k in others]
        vk = np.repeat(path.votes[others], width)
        dvk = np.repeat(path.step[others], width)
        da, db = d[a][:, None], d[b][None, :]
        num = vk[None, :] * da - path.votes[j] * db
        den = path.step[j] * db - dvk[None, :] * da
        ok = den != 0
        x = num[ok] / den[ok]
        near = (x >= lo - 1) & (x <= hi + 1)
        x = x[near]
        q = (path.votes[j] + x * path.step[j]) / np.broadcast_to(da, num.shape)[ok][near]
        found.append(x[_within(q, starts, ends)])
    return np.concatenate(found) if found else np.empty(0)


def _union(bands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The closed intervals ``bands`` (V, 2) as disjoint ones, ascending: (starts, ends)."""
    bands = bands[np.argsort(bands[:, 0], kind="stable")]
    starts, ends = [float(bands[0, 0])], [float(bands[0, 1])]
    for a, b in bands[1:].tolist():
        if a <= ends[-1]:  # overlaps or touches the last: one interval
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return np.array(starts), np.array(ends)


def _within(q: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which of ``q`` lie in one of the disjoint closed intervals (NaN in none)."""
    at = np.searchsorted(starts, q, side="right") - 1
    return (at >= 0) & (q <= ends[np.maximum(at, 0)])


@lru_cache(maxsize=64)
def _signposts(method: Method, h: int) -> np.ndarray:
    """d(0) … d(h − 1) as floats (read-only: one array per method and house, shared)."""
    k = np.arange(h, dtype=np.float64)
    if not isinstance(method, DivisorMethod):
        raise InputError(f"{method.name} has no signposts")
    if method.sqrt:
        d = np.sqrt(k * (k + 1))
    else:
        d = np.array([method.divisor_exact(i) for i in range(h)], dtype=np.float64)
    d.flags.writeable = False
    return d


def _cut(v: np.ndarray, d: np.ndarray, house: int, *, low: bool) -> float:
    """The ``house``-th largest quotient of votes ``v`` (a list's quotients from d(0) on),
    widened by a relative 1e-9 against rounding (down for a low end, up for a high one)."""
    if v.size == 0:
        return 0.0 if low else np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        quotients = (v[:, None] / d[None, :]).ravel()
    quotients[np.isnan(quotients)] = 0.0
    if house > quotients.size:
        return 0.0 if low else np.inf
    cut = float(np.partition(quotients, quotients.size - house)[quotients.size - house])
    return cut * (1 - 1e-9) if low else cut * (1 + 1e-9)


def _indices(lo_v: float, hi_v: float, d: np.ndarray, usable: np.ndarray, span) -> np.ndarray:
    """The signposts of a list with lo_v … hi_v votes whose quotient can lie in the span."""
    smallest = lo_v / span[1] if span[1] > 0 else 0.0  # (both divisions guarded)
    largest = hi_v / span[0] if span[0] > 0 else np.inf
    du = d[usable]
    return usable[(du >= smallest * (1 - 1e-9)) & (du <= largest * (1 + 1e-9))]


__all__ = ["divisor_roots", "held_sets", "quota_roots"]
