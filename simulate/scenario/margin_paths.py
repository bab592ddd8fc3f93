"""Vote paths for ``simulate.scenario.margins``: where along a path the seats can change,
and the seats at those counts from one ``allocate_batch`` call.

A path moves the counts of an election linearly in a whole number x of ballots: list j holds
``v_j + x·dv_j`` votes and the threshold base is ``B + x·dB``. Three kinds are used: a list
gains x new votes (dv = e_i; dB = 1 when the base counts list votes, 0 for registered voters),
a list loses x votes (dv = −e_i), and x ballots move from list f to list g (dv = e_g − e_f,
dB = 0). Along a path every quantity the engine compares is a ratio of linear functions of x,
so the seats are a step function of x whose steps sit at *breakpoints*: the rational x where
one comparison turns into an equality.

``simulate.scenario.margin_roots`` returns a superset of them, as floats (each within far less
than one vote of the exact value); ``candidates`` turns each breakpoint b into the integers
floor(b) − 1 … floor(b) + 2, which contain ceil(b) and floor(b) + 1 however the float was
rounded. Claim: for any integer x ≥ 1 not among the candidates, the seats at x equal the seats
at x − 1. Proof: no breakpoint lies in [x − 1, x] (one in (x − 1, x] has ceil(b) = x; one at x − 1
has floor(b) + 1 = x), so x − 1 and x lie in one open interval between breakpoints, where every
comparison keeps its sign. Hence the seats at any x are those at the largest candidate ≤ x (or
at 0), and evaluating the candidates alone finds every change exactly; the engine does the
evaluating on integer counts, so no float decides a seat.

The breakpoints themselves are found in ``simulate.scenario.margin_roots``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from simulate.batch import BatchAllocation, allocate_batch
from simulate.methods import EXACT_LIMIT, Method, exactness_bound
from simulate.rules import Rules
from simulate.threshold import min_votes_rows

OFFSETS = np.array([-1, 0, 1, 2], dtype=np.int64)


@dataclass(frozen=True)
class Path:
    """Counts along a path: votes ``votes + x·step``, base ``base + x·base_step``, for the
    whole numbers 0 ≤ x ≤ ``limit``. Each list has its national ``thresholds`` (one per
    kind of list, or the same for all) unless ``exempt``; ``eligible`` holds the regional
    rule fixed as at the reported count."""

    votes: np.ndarray  # (P,) int64
    step: np.ndarray  # (P,) int64 in {−1, 0, 1}
    base: int
    base_step: int
    limit: int
    eligible: np.ndarray  # (P,) bool
    thresholds: tuple[Fraction, ...]
    exempt: np.ndarray  # (P,) bool
    strict: bool = False
    groups: tuple[tuple[Fraction, np.ndarray], ...] = ()  # the lists of each threshold

    def __post_init__(self) -> None:
        if self.groups:  # given (a path of the same lists, cut shorter): kept
            return
        groups: dict[Fraction, np.ndarray] = {}
        for j, t in enumerate(self.thresholds):
            groups.setdefault(t, np.zeros(len(self.thresholds), dtype=bool))[j] = True
        object.__setattr__(self, "groups", tuple(groups.items()))

    def at(self, x: float) -> np.ndarray:
        return self.votes + x * self.step

    def with_limit(self, limit: int) -> Path:
        return replace(self, limit=limit)

    def taking_part(self, xs: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """(n, len(columns)) which of the lists ``columns`` take part at the counts ``xs``."""
        votes = self.votes[columns][None, :] + xs[:, None] * self.step[columns][None, :]
        return self.taking_part_at(votes, self.base + xs * self.base_step, columns)

    def taking_part_at(
        self, votes: np.ndarray, base: np.ndarray, columns: np.ndarray
    ) -> np.ndarray:
        """``taking_part`` of the counts ``votes`` (n, len(columns)) with bases ``base`` (n,)
        (of this path or another with the same lists and rules)."""
        base = base.astype(np.int64)
        if len(self.groups) == 1:  # one bar for all lists (the usual case)
            ok = votes >= min_votes_rows(self.groups[0][0], base, self.strict)[:, None]
        else:
            ok = np.zeros(votes.shape, dtype=bool)
            for t, lists in self.groups:  # one bar per distinct threshold
                cols = lists[columns]
                if cols.any():
                    need = min_votes_rows(t, base, self.strict)
                    ok[:, cols] = votes[:, cols] >= need[:, None]
        exempt = self.exempt[columns]
        if exempt.any():
            ok |= exempt[None, :]
        ok &= votes > 0
        ok &= self.eligible[columns][None, :]
        return ok


# -- breakpoints ------------------------------------------------------------------------------


def threshold_roots(path: Path) -> np.ndarray:
    """x where a list's test against its threshold, or its votes, turn over (computed in
    integers, then rounded once)."""
    roots = []
    for j, t in enumerate(path.thresholds):
        v, dv = int(path.votes[j]), int(path.step[j])
        if dv:
            roots.append(-v / dv)
        den = t.denominator * dv - t.numerator * path.base_step
        if den and not path.exempt[j]:
            roots.append(float(Fraction(t.numerator * path.base - t.denominator * v, den)))
    return np.array(roots, dtype=np.float64)


def pieces(path: Path, roots: np.ndarray) -> list[tuple[float, float, np.ndarray]]:
    """The intervals between threshold roots with the lists taking part inside each. A piece
    with no whole number strictly inside is left out: the first whole number after any root
    in it is the first after its left end, a root itself, already a candidate."""
    cuts = np.unique(np.clip(np.concatenate([roots, [0.0, float(path.limit)]]), 0, path.limit))
    inside = np.floor(cuts[:-1]).astype(np.int64) + 1
    keep = inside < cuts[1:]
    if not keep.any():
        return []
    live = path.taking_part(inside[keep], np.arange(path.votes.size))
    return [
        (float(lo), float(hi), row)
        for lo, hi, row in zip(cuts[:-1][keep], cuts[1:][keep], live, strict=True)
    ]


def candidates(path: Path, roots: np.ndarray) -> np.ndarray:
    """The whole numbers 1 … limit that can hold a change, ascending (see the module)."""
    roots = roots[np.isfinite(roots) & (roots >= -2) & (roots <= path.limit + 2)]
    # distinct floors first (most roots are far apart), then the runs of four offsets,
    # nearly in order already: a stable (merging) sort and a drop of repeats
    floors = np.unique(np.floor(roots)).astype(np.int64)
    near = np.concatenate([(floors[:, None] + OFFSETS[None, :]).ravel(), [1]])
    near = near[(near >= 1) & (near <= path.limit)]
    near.sort(kind="stable")
    return near[np.concatenate([[True], near[1:] != near[:-1]])] if near.size else near


# -- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluated:
    """The seats (n, P) at the counts ``x`` (n,) of a path, with the engine's flags."""

    x: np.ndarray
    seats: np.ndarray
    tied: np.ndarray
    status: np.ndarray


def evaluate(path: Path, rules: Rules, xs: np.ndarray, columns: np.ndarray) -> Evaluated:
    """One ``allocate_batch`` call at the counts ``xs``; lists outside ``columns`` (they take
    part nowhere on the path) hold no seats and are left out of the call. Who takes part
    (each list's threshold, exemptions, the regional rule) goes in as ``eligible``."""
    P = path.votes.size
    votes = path.votes[columns][None, :] + xs[:, None] * path.step[columns][None, :]
    res: BatchAllocation = allocate_batch(
        votes,
        plain(rules),
        base=(path.base + xs * path.base_step).astype(np.int64),
        eligible=path.taking_part(xs, columns),
        detail=True,
    )
    seats = np.zeros((xs.size, P), dtype=np.int64)
    seats[:, columns] = res.seats
    return Evaluated(xs, seats, res.tied, res.status)


def evaluate_many(
    items: list[tuple[Path, np.ndarray, np.ndarray]], rules: Rules
) -> list[Evaluated]:
    """``evaluate`` for several (path, counts, lists): one ``allocate_batch`` call for all the
    paths that need the same lists (rows of a list that takes part nowhere cost time)."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, (_, _, columns) in enumerate(items):
        groups.setdefault(tuple(columns.tolist()), []).append(k)
    out: list[Evaluated | None] = [None] * len(items)
    for key, members in groups.items():
        columns = np.array(key, dtype=np.int64)
        chunk = [items[k] for k in members]
        votes = np.concatenate(
            [
                p.votes[columns][None, :] + xs[:, None] * p.step[columns][None, :]
                for p, xs, _ in chunk
            ]
        )
        base = np.concatenate([p.base + xs * p.base_step for p, xs, _ in chunk])
        first = chunk[0][0]
        if all(_same_rules(p, first) for p, _, _ in chunk):  # (one context's paths)
            eligible = first.taking_part_at(votes, base, columns)
        else:
            eligible = np.concatenate([p.taking_part(xs, columns) for p, xs, _ in chunk])
        res = allocate_batch(
            votes, plain(rules), base=base.astype(np.int64), eligible=eligible, detail=True
        )
        start = 0
        for k, (p, xs, _) in zip(members, chunk, strict=True):
            rows = slice(start, start + xs.size)
            seats = np.zeros((xs.size, p.votes.size), dtype=np.int64)
            seats[:, columns] = res.seats[rows]
            out[k] = Evaluated(xs, seats, res.tied[rows], res.status[rows])
            start += xs.size
    return [e for e in out if e is not None]


def _same_rules(a: Path, b: Path) -> bool:
    """Whether who takes part is decided alike on both paths (the same arrays and rules)."""
    return (
        a.groups is b.groups
        and a.eligible is b.eligible
        and a.exempt is b.exempt
        and a.strict == b.strict
    )


def plain(rules: Rules) -> Rules:
    """``rules`` without thresholds (the caller says who takes part) and without lots."""
    return rules.replace(
        threshold=Fraction(0),
        kind_thresholds=(),
        threshold_comparison=">=",
        regional_threshold=None,
        district_threshold=None,
        ties="error",
    )


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
    "evaluate",
    "evaluate_many",
    "exact_limit",
    "pieces",
    "plain",
    "threshold_roots",
]
