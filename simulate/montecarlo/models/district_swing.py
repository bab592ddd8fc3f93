"""The district-swing model: a national swing shared by every district, plus district noise.

For a districted election with votes v[i, d] (list i, district d; zero where the list did not
stand), one draw is

    w[i, d] = v[i, d] · exp(σ_national · Z[i] + σ_district · E[i, d])

with Z[i] one standard normal per list and draw (the national swing, the same in every
district) and E[i, d] one per list, district and draw (the district's own noise). Each
district's total is kept: its lists' counts are w[:, d] scaled to the district's reported
total of votes for lists and rounded to whole votes. So a list's share in a district moves by
σ_national · Z[i] + σ_district · E[i, d] on the log scale relative to the others (a
multinomial-logit shift: log(share_i / share_j) moves by the difference of the two lists'
shifts); a list with no votes in a district, and so a list that did not stand there, stays at
zero.

Floats, then whole votes: the shifts and the weights are floats (float32 when every
district's total times (lists + 2) is below 2^22, else float64: ``FLOAT32_LIMIT``); the counts
are made by cumulative rounding per district (the cumulative sums of the scaled weights
rounded to the nearest whole vote, half to even, and differenced), so every count is within
one vote of its weight's share of the total (1.5 with float32's rounding) and the counts add
up to the total exactly. With both σ zero the
draws are the reported counts.

E is a standard normal discretised to 65,536 equally likely values (the normal quantiles at
the midpoints of 65,536 equal bins of probability, one 16-bit random number each), which is
three times cheaper to draw than a float normal and matters here because there is one per
list, district and draw; its tails stop at ±4.33 (a district noise beyond that has probability
1.5e-5). Z is drawn as float normals (one per list and draw: cheap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simulate.errors import InputError

SIGMA_LIMIT = 3.0
"""The largest σ accepted (log scale): exp(3 · 4.33) moves a share by a factor of 4·10^5
already; more is no longer a model of a count."""

FLOAT32_LIMIT = 2**22
"""When every district's total times (lists + 2) is below this, the weights are float32 (half
the memory traffic of float64, which is most of the cost of a draw): a cumulative sum of the
lists' weights, scaled to the total, is then off by at most (lists + 2)·total·2^-24 < ¼ vote
before rounding, so every count is within 1.5 votes of its weight's share, and the counts
still add up to the total exactly (below 2^22, float32 holds every whole vote)."""

NOISE_BITS = 16
"""Bits per district noise: the number of equally likely values is 2 ** NOISE_BITS."""


def check_sigma(value: object, key: str) -> float:
    """A σ on the log scale: a number in [0, SIGMA_LIMIT]; the error names the key."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not 0 <= value <= SIGMA_LIMIT
    ):
        raise InputError(
            f"{key}: must be a number from 0 to {SIGMA_LIMIT:g} (log scale), not {value!r}"
        )
    return float(value)


@dataclass(frozen=True)
class BlockNoise:
    """The randomness of one seeding block of B draws: national factors exp(σ_n·Z), (P, B),
    and district noise indices, (P·D, B) uint16 (None when that σ is zero)."""

    national: np.ndarray | None
    district: np.ndarray | None


@dataclass(frozen=True, eq=False)
class DistrictSwing:
    """The model for one election: ``votes`` (P, D) whole votes, ``sigma_national``,
    ``sigma_district`` (log scale)."""

    votes: np.ndarray
    sigma_national: float
    sigma_district: float

    name = "district-swing"

    def __post_init__(self) -> None:
        check_sigma(self.sigma_national, "sigma_national")
        check_sigma(self.sigma_district, "sigma_district")
        v = np.asarray(self.votes)
        if v.ndim != 2 or not np.issubdtype(v.dtype, np.integer) or v.min(initial=0) < 0:
            raise InputError("votes: need a (lists, districts) array of whole votes ≥ 0")
        if (v.sum(0) < 1).any():
            raise InputError("votes: every district needs votes for lists")
        if v.sum(0).max() >= 2**52:
            raise InputError("votes: a district's total is too large for exact float64 counts")

    @property
    def shape(self) -> tuple[int, int]:
        P, D = self.votes.shape
        return P, D

    @cached_property
    def dtype(self) -> type:
        """float32 when every district's total × (lists + 2) is below FLOAT32_LIMIT, else
        float64."""
        P = self.votes.shape[0]
        return np.float32 if self.votes.sum(0).max() * (P + 2) < FLOAT32_LIMIT else np.float64

    @cached_property
    def totals(self) -> np.ndarray:
        """(D,) each district's votes for lists (kept in every draw)."""
        return self.votes.sum(0).astype(self.dtype)

    @cached_property
    def _votes(self) -> np.ndarray:
        return self.votes.astype(self.dtype)[:, :, None]

    @cached_property
    def _table(self) -> np.ndarray:
        """exp(σ_district · q_u) for the 2^16 normal quantiles q_u at the bins' midpoints."""
        from scipy.special import ndtri

        n = 2**NOISE_BITS
        q = ndtri((np.arange(n, dtype=np.float64) + 0.5) / n)
        return np.exp(self.sigma_district * q).astype(self.dtype)

    def draw_block(
        self, national: np.random.Generator, district: np.random.Generator, size: int
    ) -> BlockNoise:
        """The noise of a block of ``size`` draws, each from its own generator (drawn whole,
        so a window of any size over the block sees the same numbers)."""
        P, D = self.shape
        z = None
        if self.sigma_national:
            z = national.standard_normal((P, size))
            z *= self.sigma_national
            np.exp(z, out=z)
            z = z.astype(self.dtype)
        e = None
        if self.sigma_district:
            cells = P * D * size
            raw = district.bit_generator.random_raw(-(-cells // 4))
            e = raw.view(np.uint16)[:cells].reshape(P * D, size)
        return BlockNoise(z, e)

    def fill(self, noise: BlockNoise, c0: int, c1: int, out: np.ndarray) -> np.ndarray:
        """Draws c0 … c1 − 1 of a block as whole votes into ``out`` (P, D, c1 − c0) of
        ``dtype``."""
        P, D = self.shape
        if not out.flags.c_contiguous or out.dtype != self.dtype:
            raise ValueError(f"out: need a C-contiguous {np.dtype(self.dtype)} array")
        if noise.district is not None:
            index = noise.district[:, c0:c1]  # uint16: always inside the table (no check)
            np.take(self._table, index, out=out.reshape(P * D, c1 - c0), mode="clip")
            out *= self._votes
        else:
            out[...] = self._votes
        if noise.national is not None:
            out *= noise.national[:, None, c0:c1]
            return round_to_totals(out, self.totals)
        if noise.district is not None:
            return round_to_totals(out, self.totals)
        return out  # the reported counts, exactly


def round_to_totals(w: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """(P, D, n) float weights ≥ 0 → whole votes, in place: per district and draw, the
    cumulative sums over the lists scaled to ``totals`` (D,), rounded (half to even) and
    differenced. Each count is within one vote of its weight's share and they add up to the
    total exactly. A district whose weights are all zero (only if every weight underflowed)
    gives its total to the last list."""
    for i in range(1, len(w)):
        np.add(w[i - 1], w[i], out=w[i])
    last = w[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(last > 0, totals[:, None] / last, 0.0)
    w *= scale
    np.rint(w, out=w)
    w[-1] = totals[:, None]
    for i in range(len(w) - 1, 0, -1):
        np.subtract(w[i], w[i - 1], out=w[i])
    return w


__all__ = ["SIGMA_LIMIT", "BlockNoise", "DistrictSwing", "check_sigma", "round_to_totals"]
