"""Vote models for Monte Carlo runs: small frozen values that draw integer vote counts.

A model varies every *category* a threshold base counts (``Categories``): the lists, and, where
the widest base of the rule sets includes them, against-all ballots and the rest of the base
(invalid or unaccounted ballots; non-voters for a base of registered voters). Every draw keeps
the total at the seed's count of that base.

``model.draw(rng, n)`` returns a (K, n) int64 array, party-major: row i is category i, column j
is draw j; the lists come first, in seed order, so ``counts[:P]`` are the lists' votes.
``model.fill(rng, out)`` writes the same counts as float64 exact integers into a (K, n) buffer
(what the allocation engine takes) and consumes the generator identically.

From weights to counts: each model produces non-negative weights per category and draw; the
counts are the differences of the *rounded cumulative* weights,
``c_k = rint(T · (w_1 + … + w_k) / (w_1 + … + w_K))`` with c_K = T exactly, so the counts are
non-negative integers that sum to the total T, each within one vote of T·w_k/Σw. With no noise
the weights are the seed's counts themselves, and the cumulative sums are exact integers, so the
seed's counts come back exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from simulate.election import BASE_ORDER, Election, normalise_base
from simulate.errors import InputError
from simulate.threshold import format_percent

GAP_NAMES = {
    "valid": "other valid votes",
    "participants": "invalid / unaccounted",
    "registered": "did not vote",
}
"""Names of the categories between two nested bases."""

AGAINST_ALL = "against all"


# ---------------------------------------------------------------------------------------------
# categories: what a draw varies


@dataclass(frozen=True)
class Categories:
    """The categories a draw varies and their reported counts.

    ``names``/``counts`` list the P lists first, then the extra categories of the widest base
    (against all, other valid votes, invalid / unaccounted, did not vote — each only where the
    seed gives it and it is not empty). ``rows[base]`` is how many leading categories a base
    sums: every base is a prefix because the bases are nested.
    """

    names: tuple[str, ...]
    counts: tuple[int, ...]
    n_lists: int
    rows: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def widest(self) -> str:
        return max(self.rows, key=self.rows.__getitem__)

    def index(self, name: str) -> int:
        return self.names.index(name)


def widest_base(bases) -> str:
    """The widest of some threshold bases (they are nested: party votes ⊂ valid ⊂ …)."""
    keys = [normalise_base(b) for b in bases] or ["party-votes"]
    return max(keys, key=BASE_ORDER.index)


def vote_categories(election: Election, base: str = "party-votes") -> Categories:
    """The categories of ``election`` up to threshold base ``base`` (the widest one in use).

    Against-all ballots are a category of their own where the seed gives them and the base is
    wider than the lists' votes; each base the seed gives up to ``base`` adds the gap to the
    previous one. A gap below zero (a seed whose counts do not nest) is an error.
    """
    base = normalise_base(base)
    where = election.path or election.name
    election.base(base)  # the seed must give the widest base: the error names the count
    names = list(election.names)
    counts = [int(v) for v in election.votes]
    P = len(names)
    rows = {"party-votes": P}
    level, level_name = election.party_votes, "the lists' votes"
    if base != "party-votes" and election.against_all:
        names.append(AGAINST_ALL)
        counts.append(int(election.against_all))
        level += election.against_all
        level_name = "the lists' votes plus against-all"
    for key in BASE_ORDER[1 : BASE_ORDER.index(base) + 1]:
        value = getattr(election, key)
        if value is None:
            continue
        gap = value - level
        if gap < 0:
            raise InputError(
                f"{where}: {key} ({value:,}) is smaller than {level_name} "
                f"({level:,}); the counts do not nest"
            )
        if gap:
            names.append(GAP_NAMES[key])
            counts.append(int(gap))
        rows[key] = len(names)
        level, level_name = value, key
    return Categories(tuple(names), tuple(counts), P, rows)


# ---------------------------------------------------------------------------------------------
# from weights to counts


def counts_from_weights(weights: np.ndarray, total: int) -> np.ndarray:
    """(K, n) non-negative float64 weights → exact integer counts summing to ``total``, in
    place (the array is returned).

    Rounds the cumulative shares (see the module docstring), row by row (about 15× faster
    than ``np.cumsum(axis=0)``), then differences them from the last row back. A draw whose
    weights are all zero (only when every gamma underflows) gives all to the last row.
    """
    for k in range(1, len(weights)):
        np.add(weights[k - 1], weights[k], out=weights[k])
    last = weights[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(last > 0, total / last, 0.0)
    np.multiply(weights, scale, out=weights)
    np.rint(weights, out=weights)
    weights[-1] = total
    for k in range(len(weights) - 1, 0, -1):
        np.subtract(weights[k], weights[k - 1], out=weights[k])
    return weights


def _rows(out: np.ndarray):
    """The rows of a (K, n) array to draw into one after the other: the same numbers as
    drawing into the whole array at once when it is C-ordered (the generators fill in memory
    order), and the same again when it is a block of columns of a wider array (whose rows are
    contiguous but not each other's neighbours)."""
    if out.strides[-1] != out.itemsize:
        raise ValueError("draws go into arrays whose rows are contiguous")
    return list(out)


def _check_total(total: int) -> int:
    if isinstance(total, bool) or not isinstance(total, (int, np.integer)) or total < 1:
        raise InputError(f"total: must be a whole number ≥ 1, not {total!r}")
    if total >= 2**52:
        raise InputError(f"total: {total:,} is too large for exact float64 counts")
    return int(total)


def _counts(counts) -> tuple[int, ...]:
    out = tuple(int(c) for c in counts)
    if not out or min(out) < 0 or sum(out) < 1:
        raise InputError(
            "counts: need at least one category and non-negative counts with a positive total"
        )
    _check_total(sum(out))
    return out


class VoteModel:
    """What every model shares: ``counts`` (reported, K categories) and ``draw`` over the
    model's own ``fill(rng, out)``."""

    counts: tuple[int, ...]

    @cached_property
    def _counts(self) -> np.ndarray:
        return np.array(self.counts, dtype=np.float64)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """(K, n) int64 counts, party-major, each column summing to the total."""
        out = np.empty((len(self.counts), n), dtype=np.float64)
        self.fill(rng, out)
        return out.astype(np.int64)

    def _tile(self, out: np.ndarray) -> np.ndarray:
        out[...] = self._counts[:, None]
        return out


# ---------------------------------------------------------------------------------------------
# the models


@dataclass(frozen=True)
class Dirichlet(VoteModel):
    """Shares ~ Dirichlet(concentration · reported shares), counts held at the reported total.

    The concentration is an effective sample size: a category with share p varies with
    standard deviation sqrt(p(1 − p)/(concentration + 1)) — 2,000 moves a list at 24.5% by
    about ±1 point. ``math.inf`` means no noise (the reported counts in every draw). Drawn as
    independent gammas in party-major layout, normalised by the rounded cumulative sums. A
    category with no reported votes stays at zero.
    """

    counts: tuple[int, ...]
    concentration: float

    name = "dirichlet"

    def __post_init__(self):
        object.__setattr__(self, "counts", _counts(self.counts))
        c = self.concentration
        if isinstance(c, bool) or not isinstance(c, (int, float)) or math.isnan(c) or c <= 0:
            raise InputError(f"concentration: must be a number > 0, not {c!r}")
        object.__setattr__(self, "concentration", float(c))

    @cached_property
    def _alpha(self) -> np.ndarray:
        return (self.concentration * self._counts / self.total)[:, None]

    def fill(self, rng, out):
        if math.isinf(self.concentration):
            return self._tile(out)
        # One call per category with a scalar shape: the same numbers as one call with the
        # (K, 1) shapes (both fill row after row), about 20% faster.
        for row, a in zip(_rows(out), self._alpha[:, 0].tolist()):
            rng.standard_gamma(a, size=row.shape, out=row)
        return counts_from_weights(out, self.total)


@dataclass(frozen=True)
class LogitNormal(VoteModel):
    """Each category's share drawn from a logit-normal with the reported share as its mean and
    ``sd`` (one per category, in percentage points) as its standard deviation; then the shares
    are renormalised to sum to one.

    The logit-normal q = expit(a + τ·Z), Z ~ N(0, 1), has its two parameters solved per
    category so that E[q] = p and sd(q) = sd/100 exactly (Gauss–Hermite quadrature), so a list
    at 0.2% with a common sd of 1 point is skewed, not pushed below zero. After renormalising,
    a share p varies by about sqrt((1 − p)²·sd² + p²·Σ_others sd²) points. Categories with
    no votes stay at zero; sd 0 everywhere gives the reported counts.
    """

    counts: tuple[int, ...]
    sd: tuple[float, ...]

    name = "logit-normal"

    def __post_init__(self):
        object.__setattr__(self, "counts", _counts(self.counts))
        sd = tuple(float(s) for s in self.sd)
        if len(sd) != len(self.counts):
            raise InputError(f"sd: need {len(self.counts)} values, one per category, not {len(sd)}")
        for s, c in zip(sd, self.counts):
            if not math.isfinite(s) or s < 0:
                raise InputError(f"sd: must be a number of percentage points ≥ 0, not {s!r}")
            p = c / self.total
            limit = 100 * LOGIT_SD_LIMIT * math.sqrt(p * (1 - p))
            if s and 0 < p < 1 and not s < limit:
                raise InputError(
                    f"sd: {s:g} points is more than a share of {100 * p:.3g}% "
                    f"can vary (keep it below {limit:.3g})"
                )
        object.__setattr__(self, "sd", sd)

    @cached_property
    def _params(self):
        p = self._counts / self.total
        sd = np.array(self.sd) / 100
        sd[(p <= 0) | (p >= 1)] = 0.0
        a, tau = _logit_normal_params(p, sd)
        return a[:, None], tau[:, None]

    def fill(self, rng, out):
        if not any(self.sd):
            return self._tile(out)
        a, tau = self._params
        for row in _rows(out):
            rng.standard_normal(out=row)
        x = out
        x *= tau
        x += a
        np.negative(x, out=x)
        np.exp(x, out=x)
        x += 1.0
        np.reciprocal(x, out=x)
        return counts_from_weights(x, self.total)


LOGIT_SD_LIMIT = 0.9
"""A logit-normal share with mean p can vary by at most sqrt(p(1 − p)) (a coin flip between 0
and 1); beyond this fraction of that the parameters grow too large to solve reliably."""


def _logit_normal_params(p: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per category (a, τ) with E[expit(a + τZ)] = p and sd(expit(a + τZ)) = sd.

    Nested bracketing root searches (scipy's elementwise ``find_root``), vectorised over
    categories, on the moments of ``_logit_moments``: for fixed τ the mean rises with a; with
    the mean held at p the sd rises with τ. p = 0 or 1 gives a = ∓inf. The bracket of a
    widens with τ (a small share with a wide spread needs a far below logit p).
    """
    from scipy.optimize.elementwise import find_root

    inner = (p > 0) & (p < 1)
    with np.errstate(divide="ignore"):
        a = np.where(inner, np.log(p) - np.log1p(-p), np.where(p > 0, np.inf, -np.inf))
    tau = np.zeros_like(p)
    todo = inner & (sd > 0)
    if not todo.any():
        return a, tau
    pt, st = p[todo], sd[todo]
    exact = dict(xatol=1e-13, xrtol=1e-15, fatol=1e-14, frtol=0.0)

    def centre(t, q):
        # |Φ⁻¹(q)|·sqrt(τ² + 3) (about where a must go) is below the bracket's half width
        half = np.abs(np.log(q) - np.log1p(-q)) + 10.0 + 9.0 * np.sqrt(t * t + 3.0)
        res = find_root(
            lambda x, t, q: _logit_moments(x, t)[0] / q - 1.0,
            (-half, half),
            args=(t, q),
            tolerances=exact,
            maxiter=200,
        )
        return res.x

    def spread(t, q, target):
        m1, m2 = _logit_moments(centre(t, q), t)
        return np.sqrt(np.maximum(m2 - m1 * m1, 0.0)) / target - 1.0

    res = find_root(
        spread,
        (np.zeros_like(pt), np.full_like(pt, 200.0)),
        args=(pt, st),
        tolerances=exact,
        maxiter=200,
    )
    tau[todo] = res.x
    a[todo] = centre(tau[todo], pt)
    return a, tau


_GH_Z, _GH_W = np.polynomial.hermite_e.hermegauss(160)
_GH_W = _GH_W / _GH_W.sum()
_GRID_H = 0.05
_GRID_X = np.arange(1, 801) * _GRID_H  # (0, 40]: expit's distance from a step is below e^-40
_GRID_W = np.where(np.arange(1, 801) % 2 == 1, 4.0, 2.0) * _GRID_H / 3  # Simpson, from 0
_GRID_W[-1] = _GRID_H / 3


def _logit_moments(a: np.ndarray, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E[q] and E[q²] for q = expit(X), X ~ N(a, τ²), per element.

    Below τ = 1, Gauss–Hermite in Z (160 nodes: q varies slowly on their spacing). From τ = 1
    q is nearly a step at X = 0 on the scale of Z, which the nodes cannot resolve; there
    E[q^k] = P(X > 0) + ∫ (expit(x)^k − 1{x > 0}) N(x; a, τ²) dx, where P(X > 0) = Φ(a/τ)
    is exact and the integrand is smooth on either side of 0 and below e^−|x|: Simpson's rule
    on [−40, 0] and [0, 40] with steps of 0.05.
    """
    from scipy.special import ndtr

    a, tau = np.asarray(a, dtype=np.float64), np.asarray(tau, dtype=np.float64)
    q = _expit(a[:, None] + tau[:, None] * _GH_Z)
    m1, m2 = (q * _GH_W).sum(1), (q * q * _GH_W).sum(1)
    wide = tau >= 1.0
    if wide.any():
        aw, tw = a[wide][:, None], tau[wide][:, None]
        e = _expit(-_GRID_X)  # expit(−x) for x > 0: the left side's q
        up = np.exp(-((_GRID_X - aw) ** 2) / (2 * tw * tw)) / (tw * math.sqrt(2 * math.pi))
        down = np.exp(-((_GRID_X + aw) ** 2) / (2 * tw * tw)) / (tw * math.sqrt(2 * math.pi))
        at0 = np.exp(-(aw[:, 0] ** 2) / (2 * tw[:, 0] ** 2)) / (tw[:, 0] * math.sqrt(2 * math.pi))
        # x < 0 (mirrored to x > 0): q = expit(−x); x > 0: q − 1 = −expit(−x)
        g1 = ((e * down - e * up) * _GRID_W).sum(1)
        g2 = ((e * e * down - e * (2 - e) * up) * _GRID_W).sum(1)
        # x = 0 itself: q is ½ from the left and ½ − 1 from the right (they cancel); q² is ¼
        # and ¼ − 1
        g2 -= _GRID_H / 3 * 0.5 * at0
        step = ndtr(a[wide] / tau[wide])
        m1[wide], m2[wide] = step + g1, step + g2
    return m1, m2


def _expit(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass(frozen=True)
class Transfer(VoteModel):
    """A share of some categories' votes, drawn per draw, moved to others.

    In each draw a share f ~ Uniform[low, high] (fractions in [0, 1]; low = high fixes it) of
    every source's votes, rint(f · votes), is taken away; the total moved goes to ``targets``
    in proportion to their reported votes, or, with no targets, to every other category
    (lists, and against-all and the rest of the base where the base counts them) in
    proportion. Shares 0 give the reported counts. "What if the count was inflated?"
    """

    counts: tuple[int, ...]
    sources: tuple[int, ...]
    low: float
    high: float
    targets: tuple[int, ...] = ()

    name = "transfer"

    def __post_init__(self):
        object.__setattr__(self, "counts", _counts(self.counts))
        K = len(self.counts)
        for key in ("sources", "targets"):
            idx = tuple(int(i) for i in getattr(self, key))
            if any(not 0 <= i < K for i in idx) or len(set(idx)) != len(idx):
                raise InputError(
                    f"transfer_{'from' if key == 'sources' else 'to'}: "
                    f"indices must be distinct categories 0…{K - 1}"
                )
            object.__setattr__(self, key, idx)
        if not self.sources:
            raise InputError("transfer_from: name at least one list")
        if set(self.sources) & set(self.targets):
            raise InputError("transfer_to: a list cannot be both a source and a target")
        for key in ("low", "high"):
            v = float(getattr(self, key))
            if not 0 <= v <= 1:
                raise InputError(f"transfer_share: {v:g} is outside [0, 1]")
            object.__setattr__(self, key, v)
        if self.low > self.high:
            raise InputError(
                f"transfer_share: the range is inverted ({self.low:g} > {self.high:g})"
            )
        to = self._receivers
        if not to or sum(self.counts[i] for i in to) == 0 and self.high > 0:
            raise InputError("transfer_to: the receiving categories have no votes to share by")

    @property
    def _receivers(self) -> tuple[int, ...]:
        return self.targets or tuple(i for i in range(len(self.counts)) if i not in self.sources)

    @cached_property
    def _plan(self):
        to = self._receivers
        w = np.array([self.counts[i] for i in to], dtype=np.float64)
        cum = np.cumsum(w) / w.sum()
        cum[-1] = 1.0  # the whole amount moved arrives, exactly
        src = np.array(self.sources)
        return src, self._counts[src][:, None], np.array(to), cum[:, None]

    def fill(self, rng, out):
        self._tile(out)
        if self.high == 0:
            return out
        src, c_src, to, cum = self._plan
        n = out.shape[1]
        f = (
            np.full(n, self.low)
            if self.high == self.low
            else self.low + (self.high - self.low) * rng.random(n)
        )
        moved = np.rint(c_src * f)
        got = np.rint(moved.sum(0) * cum)
        got[1:] -= got[:-1].copy()
        out[src] -= moved
        out[to] += got
        return out


@dataclass(frozen=True)
class Uniform(VoteModel):
    """Shares uniform on the simplex (Dirichlet(1, …, 1)) over all K categories, for method
    studies; ``counts`` only give K and the total. With ``min_share`` m every share is at least
    m: w = m + (1 − K·m)·Dirichlet(1), uniform on {w_k ≥ m} (Schwingenschlögl & Pukelsheim
    2006)."""

    counts: tuple[int, ...]
    min_share: float = 0.0

    name = "uniform"

    def __post_init__(self):
        object.__setattr__(self, "counts", _counts(self.counts))
        m, K = float(self.min_share), len(self.counts)
        if not m >= 0 or not m * K < 1:
            raise InputError(
                f"min_share: {100 * m:g}% for each of {K} categories (the lists "
                f"and the other ballots the threshold base counts) is "
                f"{100 * m * K:g}% in all; it must stay below 100%"
            )
        object.__setattr__(self, "min_share", m)

    def fill(self, rng, out):
        for row in _rows(out):
            rng.standard_exponential(out=row)
        w = out
        m = self.min_share
        if m:
            w /= w.sum(0)
            w *= 1 - len(self.counts) * m
            w += m
        return counts_from_weights(w, self.total)


# ---------------------------------------------------------------------------------------------
# a model as written in a scenario, before the categories are known

MODEL_PARAMETERS = {
    "dirichlet": ("concentration",),
    "logit-normal": ("sd", "sd_lists"),
    "transfer": ("transfer_from", "transfer_share", "transfer_to"),
    "uniform": ("min_share",),
}
"""Each model's parameters (the ``ModelSpec`` fields and ``[montecarlo]`` keys it reads)."""
MODEL_KINDS = tuple(MODEL_PARAMETERS)


@dataclass(frozen=True)
class ModelSpec:
    """A model's parameters by list name; ``build(categories)`` makes the model itself.

    ``sd`` is the common standard deviation (percentage points) and ``sd_lists`` overrides it
    for named lists; ``transfer_share`` is a (low, high) pair of fractions.
    """

    kind: str = "dirichlet"
    concentration: float = 2000.0
    sd: float = 0.0
    sd_lists: tuple[tuple[str, float], ...] = ()
    transfer_from: tuple[str, ...] = ()
    transfer_share: tuple[Fraction, Fraction] = (Fraction(0), Fraction(0))
    transfer_to: tuple[str, ...] = ()
    min_share: Fraction = Fraction(0)

    def describe(self) -> dict:
        """The kind and its parameters as plain JSON values (shares as "x%" strings)."""
        out: dict = {"kind": self.kind}
        for key in MODEL_PARAMETERS.get(self.kind, ()):
            value = getattr(self, key)
            if key == "concentration" and math.isinf(value):
                value = "inf"
            elif key == "transfer_share":
                value = [format_percent(Fraction(v)) for v in value]
            elif key == "min_share":
                value = format_percent(Fraction(value))
            elif key == "sd_lists":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[key] = value
        return out

    def build(self, cats: Categories) -> VoteModel:
        def at(names, key):
            out = []
            for name in names:
                if name not in cats.names[: cats.n_lists]:
                    raise InputError(f"{key}: no list named {name!r}")
                out.append(cats.index(name))
            return tuple(out)

        if self.kind == "dirichlet":
            return Dirichlet(cats.counts, self.concentration)
        if self.kind == "logit-normal":
            sd = [self.sd] * len(cats.counts)
            for i, (_name, s) in zip(at([n for n, _ in self.sd_lists], "sd_lists"), self.sd_lists):
                sd[i] = s
            return LogitNormal(cats.counts, tuple(sd))
        if self.kind == "transfer":
            low, high = self.transfer_share
            return Transfer(
                cats.counts,
                at(self.transfer_from, "transfer_from"),
                float(low),
                float(high),
                at(self.transfer_to, "transfer_to"),
            )
        if self.kind == "uniform":
            return Uniform(cats.counts, float(self.min_share))
        raise InputError(
            f"model: unknown model {self.kind!r}; valid models: {', '.join(MODEL_KINDS)}"
        )


__all__ = [
    "Categories",
    "Dirichlet",
    "LogitNormal",
    "MODEL_KINDS",
    "ModelSpec",
    "Transfer",
    "Uniform",
    "VoteModel",
    "counts_from_weights",
    "vote_categories",
    "widest_base",
]
