"""The logit-normal model: each category's log-odds varied by a normal error, its spread
given in percentage points (overall, or per list).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simulate.errors import InputError
from simulate.montecarlo.models.base import VoteModel, _counts, _rows, counts_from_weights


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", _counts(self.counts))
        sd = tuple(float(s) for s in self.sd)
        if len(sd) != len(self.counts):
            raise InputError(f"sd: need {len(self.counts)} values, one per category, not {len(sd)}")
        for s, c in zip(sd, self.counts):
            if not math.isfinite(s) or s < 0:
                raise InputError(f"sd: must be a number of percentage points ≥ 0, not {s!r}")
            if 0 < s < LOGIT_SD_MIN:
                raise InputError(
                    f"sd: {s:g} points is below the smallest the model solves for "
                    f"({LOGIT_SD_MIN:g}; write 0 for no noise)"
                )
            p = c / self.total
            limit = 100 * LOGIT_SD_LIMIT * math.sqrt(p * (1 - p))
            if s and 0 < p < 1 and not s < limit:
                raise InputError(
                    f"sd: {s:g} points is more than a share of {100 * p:.3g}% "
                    f"can vary (keep it below {limit:.3g})"
                )
        object.__setattr__(self, "sd", sd)

    @cached_property
    def _params(self) -> tuple[np.ndarray, np.ndarray]:
        p = self._counts / self.total
        sd = np.array(self.sd) / 100
        sd[(p <= 0) | (p >= 1)] = 0.0
        a, tau = _logit_normal_params(p, sd)
        return a[:, None], tau[:, None]

    def fill(self, rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
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


LOGIT_SD_MIN = 1e-4
"""The smallest non-zero sd, in percentage points: below it the root search for the
parameters stops short of the tolerance it needs (measured: τ off by 35% at 1e-6 points, and
NaN shares from 1e-9), while 1e-4 points already moves no list by a vote in a million."""

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

    def centre(t: np.ndarray, q: np.ndarray) -> np.ndarray:
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

    def spread(t: np.ndarray, q: np.ndarray, target: np.ndarray) -> np.ndarray:
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
