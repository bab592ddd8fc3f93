"""Vote paths for ``simulate.scenario.margins``: where along a path the seats can change,
and the seats at those counts from one ``allocate_batch`` call.

A path moves the counts of an election linearly in a whole number x of ballots: list j holds
``v_j + x·dv_j`` votes and the threshold base is ``B + x·dB``. Three kinds are used: a list
gains x new votes (dv = e_i; dB = 1 when the base counts list votes, 0 for registered voters),
a list loses x votes (dv = −e_i), and x ballots move from list f to list g (dv = e_g − e_f,
dB = 0). Along a path every quantity the engine compares is a ratio of linear functions of x,
so the seats are a step function of x whose steps sit at *breakpoints*: the rational x where
one comparison turns into an equality.

``breakpoints`` returns a superset of them, as floats (each within far less than one vote of
the exact value); ``candidates`` turns each breakpoint b into the integers floor(b) − 1 …
floor(b) + 2, which contain ceil(b) and floor(b) + 1 however the float was rounded. Claim: for
any integer x ≥ 1 not among the candidates, the seats at x equal those at x − 1. Proof: no
breakpoint lies in [x − 1, x] (one in (x − 1, x] has ceil(b) = x; one at x − 1 has
floor(b) + 1 = x), so x − 1 and x lie in one open interval between breakpoints, where every
comparison keeps its sign. Hence the seats at any x are those at the largest candidate ≤ x
(or at 0), and evaluating the candidates alone finds every change exactly; the engine does the
evaluating on integer counts, so no float decides a seat.

The breakpoints, for the lists S that take part (the passing set is constant between
threshold breakpoints, so the others are computed per piece):

* threshold: list j passes when q·v_j(x) ≥ p·B(x) for t = p/q, linear in x: one root each;
  likewise a list's votes reaching zero;
* quota methods (house H = h + offset, W(x) the votes of the lists in the round): list j's
  quota v_j·H/W crosses an integer m, and two remainders are equal when
  (v_j − v_k)·H/W = m for an integer m. Each is a Möbius function of x, monotone on a piece,
  so the integers m between its values at the ends of the piece give every root. With a seat
  cap or minimum, later rounds share H' = h − (held seats) among the lists not held: every
  reachable held set is a variant (at most ``MAX_VARIANTS``);
* divisor methods: v_j(x)/d(a) = v_k(x)/d(b) for lists j ≠ k and signposts a, b < h (the
  h-th quotient of a list never wins: its own h quotients above it fill the house), for pairs
  where at least one list moves. Without a cap or minimum a change needs two quotients equal
  at the cut D(x), the h-th largest quotient; D is non-decreasing in every list's votes and in
  the set of lists taking part, so D(x) lies between D at the path's lowest counts (the lists
  passing everywhere) and D at its highest (the lists passing anywhere), and only signposts
  whose quotients can reach that band are tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from simulate.allocation import BatchAllocation, allocate_batch
from simulate.errors import InputError
from simulate.methods import EXACT_LIMIT, DivisorMethod, Method, QuotaMethod, exactness_bound
from simulate.rules import Rules

OFFSETS = np.array([-1, 0, 1, 2], dtype=np.int64)


@dataclass(frozen=True)
class Path:
    """Counts along a path: votes ``votes + x·step``, base ``base + x·base_step``, for the
    whole numbers 0 ≤ x ≤ ``limit``; ``eligible`` holds the regional rule fixed."""

    votes: np.ndarray  # (P,) int64
    step: np.ndarray  # (P,) int64 in {−1, 0, 1}
    base: int
    base_step: int
    limit: int
    eligible: np.ndarray  # (P,) bool

    def at(self, x: float) -> np.ndarray:
        return self.votes + x * self.step

    def passing(self, x: float, threshold: Fraction, strict: bool) -> np.ndarray:
        """Which lists pass the national threshold at x (float: for the inside of a piece)."""
        p, q = threshold.numerator, threshold.denominator
        lhs = q * self.at(x).astype(np.float64)
        rhs = p * float(self.base + x * self.base_step)
        ok = lhs > rhs if strict else lhs >= rhs
        return ok & (self.at(x) > 0) & self.eligible


# -- breakpoints ------------------------------------------------------------------------------


def threshold_roots(path: Path, rules: Rules) -> np.ndarray:
    """x where a list's test against the threshold, or its votes, turn over."""
    p, q = rules.threshold.numerator, rules.threshold.denominator
    v, dv = path.votes.astype(np.float64), path.step.astype(np.float64)
    den = q * dv - p * path.base_step
    num = p * float(path.base) - q * v
    roots = [num[den != 0] / den[den != 0], -v[dv != 0] / dv[dv != 0]]
    return np.concatenate(roots)


def pieces(path: Path, rules: Rules, roots: np.ndarray) -> list[tuple[float, float, np.ndarray]]:
    """The intervals between threshold roots with the lists taking part inside each."""
    cuts = np.unique(np.clip(np.concatenate([roots, [0.0, float(path.limit)]]), 0, path.limit))
    out = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        if hi > lo:
            out.append(
                (float(lo), float(hi), path.passing((lo + hi) / 2, rules.threshold, rules.strict))
            )
    if not out:
        out.append((0.0, float(path.limit), path.passing(0, rules.threshold, rules.strict)))
    return out


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
    tops = range(0, n + 1) if cap is not None else range(1)
    bottoms = range(0, n + 1) if low else range(1)
    seen: set[tuple[bool, ...]] = set()
    free, left = [], []
    for x in points:
        order = np.argsort(-(v + x * dv), kind="stable")
        for k in tops:
            for m in bottoms:
                if k + m > n or k + m == n:
                    continue
                rest = h - k * (cap or 0) - m * low
                mask = np.ones(n, dtype=bool)
                mask[order[:k]] = False
                mask[order[n - m :]] = False
                key = tuple(mask)
                if rest > 0 and key not in seen:
                    seen.add(key)
                    free.append(mask)
                    left.append(rest)
    return np.array(free, dtype=bool).reshape(-1, n), np.array(left, dtype=np.int64)


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
    found = []
    for j in moving:
        for k in (int(k) for k in idx):
            if k == j or (path.step[k] != 0 and k < j):
                continue
            a = (
                own[j]
                if own and j in own
                else _indices(lows[pos[j]], highs[pos[j]], d, usable, span)
            )
            b = (
                own[k]
                if own and k in own
                else _indices(lows[pos[k]], highs[pos[k]], d, usable, span)
            )
            a, b = a[d[a] > 0], b[d[b] > 0]  # d = 0: an infinite quotient, no root
            if a.size == 0 or b.size == 0:
                continue
            da, db = d[a][:, None], d[b][None, :]
            num = path.votes[k] * da - path.votes[j] * db
            den = path.step[j] * db - path.step[k] * da
            ok = den != 0
            x = num[ok] / den[ok]
            q = (path.votes[j] + x * path.step[j]) / np.broadcast_to(da, num.shape)[ok]
            keep = (x >= lo - 1) & (x <= hi + 1)
            keep &= ((q[:, None] >= bands[None, :, 0]) & (q[:, None] <= bands[None, :, 1])).any(1)
            found.append(x[keep])
    return np.concatenate(found) if found else np.empty(0)


def _signposts(method: Method, h: int) -> np.ndarray:
    k = np.arange(h, dtype=np.float64)
    if not isinstance(method, DivisorMethod):
        raise InputError(f"{method.name} has no signposts")
    if method.sqrt:
        return np.sqrt(k * (k + 1))
    return np.array([method.divisor_exact(i) for i in range(h)], dtype=np.float64)


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
    with np.errstate(divide="ignore", invalid="ignore"):
        smallest = lo_v / span[1] if span[1] > 0 else 0.0
        largest = hi_v / span[0] if span[0] > 0 else np.inf
    du = d[usable]
    return usable[(du >= smallest * (1 - 1e-9)) & (du <= largest * (1 + 1e-9))]


def candidates(path: Path, roots: np.ndarray) -> np.ndarray:
    """The whole numbers 1 … limit that can hold a change, ascending (see the module)."""
    roots = roots[np.isfinite(roots) & (roots >= -2) & (roots <= path.limit + 2)]
    near = (np.floor(roots).astype(np.int64)[:, None] + OFFSETS[None, :]).ravel()
    near = np.concatenate([near, [1]])
    near = near[(near >= 1) & (near <= path.limit)]
    return np.unique(near)


# -- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluated:
    """The seats (n, P) at the counts ``x`` (n,) of a path, with the engine's flags."""

    x: np.ndarray
    seats: np.ndarray
    tied: np.ndarray
    status: np.ndarray


def evaluate(path: Path, rules: Rules, xs: np.ndarray, columns: np.ndarray) -> Evaluated:
    """One ``allocate_batch`` call at the counts ``xs``; lists outside ``columns`` (they pass
    nowhere on the path) hold no seats and are left out of the call."""
    P = path.votes.size
    votes = path.votes[columns][None, :] + xs[:, None] * path.step[columns][None, :]
    base = path.base + xs * path.base_step
    res: BatchAllocation = allocate_batch(
        votes,
        rules.replace(ties="error"),
        base=base.astype(np.int64),
        eligible=np.broadcast_to(path.eligible[columns], votes.shape),
        detail=True,
    )
    seats = np.zeros((xs.size, P), dtype=np.int64)
    seats[:, columns] = res.seats
    return Evaluated(xs, seats, res.tied, res.status)


def exact_limit(path: Path, method: Method, rules: Rules, columns: int) -> int:
    """The largest x ≤ path.limit whose counts the engine takes exactly (it refuses products
    of 2^52 and more rather than round them)."""

    def fits(x: int) -> bool:
        v = path.at(x)
        total = max(float(v.sum()), float(path.base + x * path.base_step))
        return (
            exactness_bound(method, float(v.max()), total, rules.seats, max(columns, 1))
            < EXACT_LIMIT
        )

    if fits(path.limit):
        return path.limit
    lo, hi = 0, path.limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


__all__ = [
    "Evaluated",
    "Path",
    "candidates",
    "divisor_roots",
    "evaluate",
    "exact_limit",
    "pieces",
    "quota_roots",
    "threshold_roots",
]
