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

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from simulate.allocation import BatchAllocation, allocate_batch
from simulate.errors import InputError
from simulate.methods import EXACT_LIMIT, DivisorMethod, Method, QuotaMethod, exactness_bound
from simulate.rules import Rules

MAX_VARIANTS = 4096
"""Most held sets (cap and minimum rounds) a quota search follows before refusing."""
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
            free, left = _variants(path, idx, rules, lo, hi)
            found.append(_quota_piece(path, idx, free, left + offset, lo, hi))
    return np.concatenate(found) if found else np.empty(0)


def _variants(
    path: Path, idx: np.ndarray, rules: Rules, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every set of lists a round could hold: (V, len(idx)) bool, the lists not held, and
    (V,) the seats left to them. A list is held at the cap only when some round gives it
    more: its round quota v·H_r/W_r is at most v_max·(h + 1)/(W_min − votes of the lists that
    could be held before it), so only lists whose bound passes the cap are tried there."""
    cap, low, h = rules.max_seats, rules.min_seats, rules.seats
    n = idx.size
    if cap is None and not low:
        return np.ones((1, n), dtype=bool), np.array([h])
    ends = np.stack([path.at(lo)[idx], path.at(hi)[idx]]).astype(np.float64)
    v_max, w_min = ends.max(0), float(ends.sum(1).min())
    can_cap = np.zeros(n, dtype=bool)
    if cap is not None:
        while True:  # (h + 1: the Droop quota's house, an upper bound for Hare's too)
            rest = w_min - float(v_max[can_cap].sum())
            grown = can_cap | (v_max * (h + 1) >= (cap - 1) * rest) if rest > 0 else can_cap | True
            if (grown == can_cap).all():
                break
            can_cap = grown
    kinds = [[0] + ([1] if c else []) + ([2] if low else []) for c in can_cap]
    count = int(np.prod([len(k) for k in kinds]))
    if count > MAX_VARIANTS:
        raise InputError(
            f"margins: {n} lists with a seat cap or minimum give {count:,} ways to hold "
            "lists, too many for an exact search"
        )
    choices = np.array(list(itertools.product(*kinds)), dtype=np.int64).reshape(-1, n)
    left = h - (choices == 1).sum(1) * (cap or 0) - (choices == 2).sum(1) * (low or 0)
    keep = (left > 0) & (choices == 0).any(1)
    return choices[keep] == 0, left[keep]


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
    any_live: np.ndarray,
    all_live: np.ndarray,
    own: dict[int, np.ndarray] | None = None,
) -> np.ndarray:
    """Roots of v_j(x)/d(a) = v_k(x)/d(b) for pairs with a moving list. ``own`` fixes the
    signposts tried for some moving lists (a list's own next or last seat, when only the
    first change of its seats is wanted)."""
    h = rules.seats
    d = _signposts(method, h)
    usable = np.flatnonzero(d > 0)
    band = None
    if rules.max_seats is None and not rules.min_seats:
        band = (
            _cut(method, path, all_live, low=True, h=h, d=d),
            _cut(method, path, any_live, low=False, h=h, d=d),
        )
    live = [int(j) for j in np.flatnonzero(any_live)]
    moving = [j for j in live if path.step[j] != 0]
    found = []
    for j in moving:
        for k in live:
            if k == j or (path.step[k] != 0 and k < j and k in moving):
                continue
            a = own[j] if own and j in own else _indices(path, j, d, usable, band)
            b = own[k] if own and k in own else _indices(path, k, d, usable, band)
            if a.size == 0 or b.size == 0:
                continue
            da, db = d[a][:, None], d[b][None, :]
            num = path.votes[k] * da - path.votes[j] * db
            den = path.step[j] * db - path.step[k] * da
            ok = den != 0
            x = num[ok] / den[ok]
            if band is not None:  # keep roots whose common quotient can be the cut
                q = (path.votes[j] + x * path.step[j]) / np.broadcast_to(da, num.shape)[ok]
                x = x[(q >= band[0]) & (q <= band[1])]
            found.append(x.ravel())
    return np.concatenate(found) if found else np.empty(0)


def _signposts(method: Method, h: int) -> np.ndarray:
    k = np.arange(h, dtype=np.float64)
    if not isinstance(method, DivisorMethod):
        raise InputError(f"{method.name} has no signposts")
    if method.sqrt:
        return np.sqrt(k * (k + 1))
    return np.array([method.divisor_exact(i) for i in range(h)], dtype=np.float64)


def _cut(method, path: Path, live: np.ndarray, *, low: bool, h: int, d) -> float:
    """The h-th largest quotient with every moving list at its lowest (or highest) count on
    the path, widened by a relative 1e-9 against rounding."""
    ends = np.stack([path.at(0), path.at(path.limit)]).astype(np.float64)
    v = (ends.min(0) if low else ends.max(0))[live]
    if v.size == 0:
        return 0.0 if low else np.inf
    with np.errstate(divide="ignore"):
        quotients = np.sort((v[:, None] / d[None, :]).ravel())[::-1]
    quotients[np.isnan(quotients)] = 0.0
    cut = quotients[min(h, quotients.size) - 1]
    return cut * (1 - 1e-9) if low else cut * (1 + 1e-9)


def _indices(path: Path, j: int, d: np.ndarray, usable: np.ndarray, band) -> np.ndarray:
    """The signposts of list j whose quotient can lie in the band over the path."""
    if band is None:
        return usable
    lo_v, hi_v = sorted((float(path.at(0)[j]), float(path.at(path.limit)[j])))
    with np.errstate(divide="ignore"):
        smallest = lo_v / band[1] if band[1] > 0 else 0.0
        largest = hi_v / band[0] if band[0] > 0 else np.inf
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
