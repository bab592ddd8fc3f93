"""Measuring districted elections: district allocations per second, against the reference.

The issue's case: 52 districts, 350 seats, 20 lists, d'Hondt. Every district of every
election is one row of ONE ``allocate_batch`` call with its own seats (``seats=``); the plain
per-draw reference (``simulate.reference.allocate_one``) allocates the same rows one at a time
in exact Python integers, timed on a slice, and the seats are checked against it there.
``allocate_districts`` (one election with its eligibility and reasons) is timed too. Returns
values; ``seatsim bench`` prints them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from simulate.batch import allocate_batch, allocate_batch_detail
from simulate.bench.allocation import make_votes
from simulate.district import District
from simulate.districts import allocate_districts
from simulate.election import Election, Party
from simulate.methods import get_method
from simulate.reference import allocate_one
from simulate.rules import Rules


@dataclass(frozen=True)
class DistrictBench:
    method: str
    districts: int
    lists: int
    seats: int
    elections: int
    batch_per_s: float  # district allocations per second, allocate_batch with seats per row
    whole_per_s: float  # allocate_districts calls per second (one election each)
    reference_per_s: float  # district allocations per second, the per-draw reference
    reference_rows: int
    agree: bool

    @property
    def elections_per_s(self) -> float:
        return self.batch_per_s / self.districts

    @property
    def ratio(self) -> float:
        return self.batch_per_s / self.reference_per_s


def district_magnitudes(districts: int, seats: int) -> np.ndarray:
    """Seats per district: ``seats // districts`` each, one more for the first ones."""
    out = np.full(districts, seats // districts, dtype=np.int64)
    out[: seats - int(out.sum())] += 1
    return out


def bench_districts(
    draws: int = 1_000_000,
    seed: int = 0,
    method_name: str = "dhondt",
    districts: int = 52,
    seats: int = 350,
    lists: int = 20,
    reference_seconds: float = 1.0,
    repeats: int = 3,
) -> DistrictBench:
    """``draws`` district allocations (as whole elections of ``districts`` rows each)."""
    method = get_method(method_name)
    rng = np.random.default_rng(seed)
    elections = max(1, draws // districts)
    magnitude = district_magnitudes(districts, seats)
    votes = make_votes(rng, elections * districts, lists, total=60_000, shares="zipf")
    house = np.tile(magnitude, elections)
    rules = Rules(seats=seats, method=method.name, ties="lot")

    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        allocate_batch(votes, rules, seats=house, rng=np.random.default_rng(0))
        best = min(best, time.perf_counter() - t0)

    rows: list[tuple[list[int] | None, bool]] = []
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < reference_seconds and len(rows) < len(votes):
        i = len(rows)
        rows.append(allocate_one(method, [int(x) for x in votes[i]], int(house[i])))
    ref_s = time.perf_counter() - t0
    got = allocate_batch_detail(
        votes[: len(rows)], rules.replace(ties="error"), seats=house[: len(rows)]
    )
    agree = all(
        r is not None and list(got.seats[i]) == r and bool(got.tied[i]) == tied
        for i, (r, tied) in enumerate(rows)
    )

    names = [f"L{i}" for i in range(lists)]
    one = votes[:districts]
    election = Election(
        name="bench",
        parties=tuple(Party(n, int(one[:, i].sum())) for i, n in enumerate(names)),
        districts=tuple(
            District(f"D{j}", int(magnitude[j]), {n: int(one[j, i]) for i, n in enumerate(names)})
            for j in range(districts)
        ),
    )
    calls, t0 = 0, time.perf_counter()
    while calls < 3 or time.perf_counter() - t0 < 0.2:
        allocate_districts(election, rules, rng=np.random.default_rng(calls))
        calls += 1
    whole = calls / (time.perf_counter() - t0)

    return DistrictBench(
        method.name,
        districts,
        lists,
        seats,
        elections,
        elections * districts / best,
        whole,
        len(rows) / ref_s,
        len(rows),
        agree,
    )


__all__ = ["DistrictBench", "bench_districts", "district_magnitudes"]
