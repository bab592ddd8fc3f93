"""Benchmark of the districted Monte Carlo, end to end, against a plain per-draw reference.

The issue's case: 52 districts, 350 seats, 20 lists standing everywhere (Zipf-like shares,
60,000 votes per district), d'Hondt, a 3% district threshold, the district-swing model
(σ_national 0.1, σ_district 0.1). ``bench_district_montecarlo`` times the whole run in this
process and splits it into drawing votes, eligibility and the engine, and tallies; the plain
reference draws the same model one draw at a time and allocates every district with
``simulate.reference.allocate_one`` (exact Python integers), timed on a slice; the peak
memory of a run is measured in a fresh process. It returns numbers; ``seatsim bench`` prints.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from simulate.bench.allocation import make_votes
from simulate.bench.districts import district_magnitudes
from simulate.bench.montecarlo import _peak_rss_mb
from simulate.district import District
from simulate.election import Election, Party
from simulate.montecarlo.models import ModelSpec
from simulate.montecarlo.models.district_swing import DistrictSwing
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.reference import allocate_one
from simulate.rules import Rules
from simulate.threshold import min_votes

DISTRICTS, SEATS, LISTS = 52, 350, 20
SIGMA = 0.1


@dataclass(frozen=True)
class DistrictMonteCarloBench:
    """Draws per second end to end (wall clock; ``cpu_seconds`` is the process's CPU time,
    which a machine shared with other work inflates less) and seconds per million draws of
    each part (timed inside the run, so they add up to it with the set-up), the reference's
    draws per second and the ratio, and the peak resident memory of a run of
    ``memory_draws`` (MB, whole process)."""

    draws: int
    seconds: float
    cpu_seconds: float
    draws_per_second: float
    votes_s_per_million: float
    eligibility_s_per_million: float
    allocate_s_per_million: float
    tally_s_per_million: float
    overhead_s_per_million: float
    reference_draws: int
    reference_draws_per_second: float
    ratio: float
    memory_draws: int | None
    peak_memory_mb: float | None
    settings: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def bench_district_election(seed: int = 0) -> tuple[Election, Rules]:
    """The issue's case: 52 districts, 350 seats, 20 lists, d'Hondt, 3% in a district."""
    rng = np.random.default_rng(seed)
    votes = make_votes(rng, DISTRICTS, LISTS, total=60_000, shares="zipf")
    magnitude = district_magnitudes(DISTRICTS, SEATS)
    names = [f"L{i}" for i in range(LISTS)]
    election = Election(
        name="bench (52 districts)",
        parties=tuple(Party(n, int(votes[:, i].sum())) for i, n in enumerate(names)),
        districts=tuple(
            District(f"D{j}", int(magnitude[j]), {n: int(votes[j, i]) for i, n in enumerate(names)})
            for j in range(DISTRICTS)
        ),
    )
    return election, Rules(
        seats=SEATS, method="dhondt", district_threshold=Fraction(3, 100), ties="lot"
    )


def bench_spec(draws: int, seed: int, chunk_size: int | None = None) -> MonteCarloSpec:
    model = ModelSpec(kind="district-swing", sigma_national=SIGMA, sigma_district=SIGMA)
    return MonteCarloSpec(draws=draws, seed=seed, chunk_size=chunk_size, model=model)


def bench_district_montecarlo(
    draws: int = 1_000_000,
    *,
    seed: int = 1,
    reference_seconds: float = 1.0,
    memory_draws: int | None = 1_000_000,
    chunk_size: int | None = None,
    repeats: int = 1,
) -> DistrictMonteCarloBench:
    """Run the benchmark (module docstring); ``memory_draws=None`` skips the memory run."""
    from simulate.montecarlo.district_run import run_district_montecarlo

    election, rules = bench_district_election()
    spec = bench_spec(draws, seed, chunk_size)
    seconds, cpu, parts = math.inf, math.inf, {}
    for _ in range(repeats):
        clock: dict[str, float] = {}
        t0, c0 = time.perf_counter(), time.process_time()
        run_district_montecarlo(election, rules, spec, clock=clock)
        spent = time.perf_counter() - t0
        if spent < seconds:
            seconds, cpu, parts = spent, time.process_time() - c0, clock
    per_million = {k: v / draws * 1e6 for k, v in parts.items()}
    ref_draws, ref_rate = reference_loop(election, rules, seed, reference_seconds)
    peak = _peak_memory(memory_draws, seed, chunk_size) if memory_draws else None
    return DistrictMonteCarloBench(
        draws=draws,
        seconds=seconds,
        cpu_seconds=cpu,
        draws_per_second=draws / seconds,
        votes_s_per_million=per_million["votes"],
        eligibility_s_per_million=per_million["eligibility"],
        allocate_s_per_million=per_million["allocate"],
        tally_s_per_million=per_million["tally"],
        overhead_s_per_million=seconds / draws * 1e6 - sum(per_million.values()),
        reference_draws=ref_draws,
        reference_draws_per_second=ref_rate,
        ratio=(draws / seconds) / ref_rate,
        memory_draws=memory_draws,
        peak_memory_mb=peak,
        settings={
            "districts": DISTRICTS,
            "seats": SEATS,
            "lists": LISTS,
            "method": rules.method,
            "district_threshold": "3%",
            "model": spec.model.describe(),
            "block_size": spec.block_size,
            "chunk_size": chunk_size,
            "workers": 1,
            "numpy": np.__version__,
        },
    )


def reference_loop(
    election: Election, rules: Rules, seed: int, seconds: float
) -> tuple[int, float]:
    """The plain reference for ``seconds``: one draw at a time, the same model (its block
    drawn for one draw), the district threshold in Python integers, every district by
    ``allocate_one``. Returns the draws done and draws per second."""
    votes = election.district_votes().T.copy()  # (P, D)
    model = DistrictSwing(votes, SIGMA, SIGMA)
    rng = np.random.default_rng(seed)
    house = [int(s) for s in election.district_seats()]
    method = rules.method_spec
    assert rules.district_threshold is not None  # (the benchmark's rules have one)
    done, start = 0, time.perf_counter()
    out = np.empty((*votes.shape, 1), model.dtype)
    while done < 3 or time.perf_counter() - start < seconds:
        noise = model.draw_block(rng, rng, 1)
        drawn = model.fill(noise, 0, 1, out)[:, :, 0]
        for d, seats in enumerate(house):
            column = [int(v) for v in drawn[:, d]]
            need = min_votes(rules.district_threshold, sum(column), rules.strict)
            taking = [v if v >= need else 0 for v in column]
            allocate_one(method, taking, seats)
        done += 1
    return done, done / (time.perf_counter() - start)


def _peak_memory(draws: int, seed: int, chunk_size: int | None) -> float:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_memory_run, draws, seed, chunk_size).result()


def _memory_run(draws: int, seed: int, chunk_size: int | None) -> float:
    from simulate.montecarlo.district_run import run_district_montecarlo

    election, rules = bench_district_election()
    run_district_montecarlo(election, rules, bench_spec(draws, seed, chunk_size))
    return _peak_rss_mb()


__all__ = [
    "DistrictMonteCarloBench",
    "bench_district_election",
    "bench_district_montecarlo",
    "reference_loop",
]
