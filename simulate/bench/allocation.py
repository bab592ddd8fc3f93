"""Measuring the engine: allocations per second against the plain per-draw reference.

Both run in the same process on the same draws (Dirichlet(1) shares of 2,000,000 votes, made
integer), so the ratio does not depend on how fast this machine is today. The reference is timed
on a slice of the draws (it is some thousand times slower) and the engine's seats are checked
against it on that slice. Returns values; ``seatsim bench`` prints them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from simulate import engine
from simulate.batch import CHUNK_CELLS, allocate_batch, allocate_batch_detail
from simulate.methods import get_method
from simulate.reference import allocate_one
from simulate.rules import Rules

CASES: tuple[tuple[int, int, Fraction, str], ...] = (
    (16, 120, Fraction(5, 100), "uniform"),
    (16, 120, Fraction(7, 100), "zipf"),
    (4, 650, Fraction(5, 100), "uniform"),
    (50, 5000, Fraction(1, 100), "uniform"),
)
"""(lists, seats, threshold of the lists' votes, shares) for each benchmark row. "uniform":
shares uniform on the simplex (every list may pass); "zipf": shares scattered around 1/k
(Dirichlet, concentration 2000), like a real count with a few large lists and many small
ones that never reach the threshold."""


@dataclass(frozen=True)
class BenchRow:
    method: str
    shares: str
    lists: int
    seats: int
    threshold: Fraction
    draws: int
    batch_per_s: float  # allocate_batch on an (N, P) array: threshold, layout, engine
    engine_per_s: float  # the engine alone on party-major chunks (what Monte Carlo calls)
    reference_per_s: float  # the plain per-draw reference, exact Python integers
    reference_draws: int
    agree: bool  # the engine's seats equal the reference's on the reference slice

    @property
    def ratio(self) -> float:
        return self.batch_per_s / self.reference_per_s


def make_votes(
    rng: np.random.Generator,
    draws: int,
    lists: int,
    total: int = 2_000_000,
    shares: str = "uniform",
) -> np.ndarray:
    """(draws, lists) int64 votes: shares (see CASES) times ``total``, floored."""
    if shares == "zipf":
        centre = 1.0 / np.arange(1, lists + 1)
        alpha = 2000 * centre / centre.sum()
    else:
        alpha = np.ones(lists)
    return np.floor(rng.dirichlet(alpha, size=draws) * total).astype(np.int64)


def _best_of(fn: Callable[[], object], repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_case(
    method_name: str,
    lists: int,
    seats: int,
    threshold: Fraction,
    draws: int,
    rng: np.random.Generator,
    reference_seconds: float = 1.0,
    repeats: int = 5,
    shares: str = "uniform",
) -> BenchRow:
    method = get_method(method_name)
    votes = make_votes(rng, draws, lists, shares=shares)
    rules = Rules(seats=seats, method=method.name, threshold=threshold, ties="lot")
    lot = np.random.default_rng(0)
    batch_s = _best_of(lambda: allocate_batch(votes, rules, rng=lot), repeats)

    step = max(1, CHUNK_CELLS // lists)
    chunks = [
        np.ascontiguousarray(votes[a : a + step].T, dtype=np.float64) for a in range(0, draws, step)
    ]
    masks = [c >= np.ceil(c.sum(0) * float(threshold)) for c in chunks]

    def run_engine() -> None:
        for c, m in zip(chunks, masks):
            engine.allocate_pm(method, c, m, seats)

    engine_s = _best_of(run_engine, repeats)

    ref_rows: list[tuple[list[int] | None, bool]] = []
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < reference_seconds and len(ref_rows) < draws:
        row = [int(x) for x in votes[len(ref_rows)]]
        ref_rows.append(allocate_one(method, row, seats, threshold=threshold))
    ref_s = time.perf_counter() - t0
    n_ref = len(ref_rows)
    got = allocate_batch_detail(votes[:n_ref], rules.replace(ties="error"))
    agree = all(
        (r is None and got.status[i] != 0)
        or (r is not None and list(got.seats[i]) == r and bool(got.tied[i]) == tied)
        for i, (r, tied) in enumerate(ref_rows)
    )
    return BenchRow(
        method.name,
        shares,
        lists,
        seats,
        threshold,
        draws,
        draws / batch_s,
        draws / engine_s,
        n_ref / ref_s,
        n_ref,
        agree,
    )


def run_bench(
    draws: int = 1_000_000,
    seed: int = 0,
    methods: Sequence[str] = ("hare", "dhondt"),
    cases: Sequence[tuple[int, int, Fraction, str]] = CASES,
    reference_seconds: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> list[BenchRow]:
    rng = np.random.default_rng(seed)
    rows = []
    for lists, seats, threshold, shares in cases:
        for m in methods:
            if progress:
                progress(f"{m}, {lists} lists, {seats} seats, {shares} shares")
            rows.append(
                bench_case(m, lists, seats, threshold, draws, rng, reference_seconds, shares=shares)
            )
    return rows
