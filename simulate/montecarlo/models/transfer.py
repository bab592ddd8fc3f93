"""The transfer model: a share of one list's votes moved to others, fixed or drawn."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simulate.errors import InputError
from simulate.montecarlo.models.base import VoteModel, _counts


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

    def __post_init__(self) -> None:
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
    def _plan(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        to = self._receivers
        w = np.array([self.counts[i] for i in to], dtype=np.float64)
        cum = np.cumsum(w) / w.sum()
        cum[-1] = 1.0  # the whole amount moved arrives, exactly
        src = np.array(self.sources)
        return src, self._counts[src][:, None], np.array(to), cum[:, None]

    def fill(self, rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
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
