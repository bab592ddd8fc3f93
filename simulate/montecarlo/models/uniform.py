"""The uniform model: shares drawn uniformly on the simplex, each at least a least share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.errors import InputError
from simulate.montecarlo.models.base import VoteModel, _counts, _rows, counts_from_weights


@dataclass(frozen=True)
class Uniform(VoteModel):
    """Shares uniform on the simplex (Dirichlet(1, …, 1)) over all K categories, for method
    studies; ``counts`` only give K and the total. With ``min_share`` m every share is at least
    m: w = m + (1 − K·m)·Dirichlet(1), uniform on {w_k ≥ m} (Schwingenschlögl & Pukelsheim
    2006)."""

    counts: tuple[int, ...]
    min_share: float = 0.0

    name = "uniform"

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", _counts(self.counts))
        m, K = float(self.min_share), len(self.counts)
        if not m >= 0 or not m * K < 1:
            raise InputError(
                f"min_share: {100 * m:g}% for each of {K} categories (the lists "
                f"and the other ballots the threshold base counts) is "
                f"{100 * m * K:g}% in all; it must stay below 100%"
            )
        object.__setattr__(self, "min_share", m)

    def fill(self, rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
        for row in _rows(out):
            rng.standard_exponential(out=row)
        w = out
        m = self.min_share
        if m:
            w /= w.sum(0)
            w *= 1 - len(self.counts) * m
            w += m
        return counts_from_weights(w, self.total)
