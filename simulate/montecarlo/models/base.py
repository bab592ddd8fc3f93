"""What every vote model shares: ``VoteModel``, and turning drawn shares into whole votes that
add up to the reported total exactly (``counts_from_weights``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from functools import cached_property
from typing import ClassVar

import numpy as np

from simulate.errors import InputError


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


def _rows(out: np.ndarray) -> list[np.ndarray]:
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


def _counts(counts: Iterable[int]) -> tuple[int, ...]:
    out = tuple(int(c) for c in counts)
    if not out or min(out) < 0 or sum(out) < 1:
        raise InputError(
            "counts: need at least one category and non-negative counts with a positive total"
        )
    _check_total(sum(out))
    return out


class VoteModel(ABC):
    """What every model shares: ``counts`` (reported, K categories) and ``draw`` over the
    model's own ``fill(rng, out)``."""

    counts: tuple[int, ...]
    name: ClassVar[str] = "model"

    @cached_property
    def _counts(self) -> np.ndarray:
        return np.array(self.counts, dtype=np.float64)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """(K, n) int64 counts, party-major, each column summing to the total."""
        out = np.empty((len(self.counts), n), dtype=np.float64)
        self.fill_checked(rng, out)
        return out.astype(np.int64)

    def fill_checked(self, rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
        """``fill``, then check that every draw is counts: finite whole numbers ≥ 0 that sum to
        the total (an error, never garbage passed on, if parameters slipped past the checks)."""
        self.fill(rng, out)
        ok = (
            np.isfinite(out).all()
            and out.min(initial=0.0) >= 0
            and (np.rint(out) == out).all()
            and (out.sum(0) == self.total).all()
        )
        if not ok:
            raise InputError(
                f"model: the {self.name} model drew counts that are not whole numbers ≥ 0 "
                f"summing to {self.total:,}; its parameters are outside the range it can draw"
            )
        return out

    @abstractmethod
    def fill(self, rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
        """Write n draws as float64 exact integers into the (K, n) ``out`` (and return it)."""

    def _tile(self, out: np.ndarray) -> np.ndarray:
        out[...] = self._counts[:, None]
        return out
