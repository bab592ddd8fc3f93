"""Timing ``margins``: every margin of one election (per list, per pair, closest calls),
best and median of a few repeats; and ``district_margins`` of a districted election (each
list per district and in total, every pair in every district, the closest calls), on a
real seed and on a synthetic case of 52 districts and 20 lists. Returns values; ``seatsim
bench`` prints them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from simulate.bench.allocation import make_votes
from simulate.bench.districts import district_magnitudes
from simulate.district import District
from simulate.election import Election, Party
from simulate.rules import Rules
from simulate.scenario.margin_districts import district_margins
from simulate.scenario.margins import margins


@dataclass(frozen=True)
class MarginsTiming:
    label: str
    lists: int
    seats: int
    method: str
    pairs: int
    best_s: float
    median_s: float
    repeats: int
    districts: int = 0  # a districted election's districts (0: one constituency)


T = TypeVar("T")


def _timed(run: Callable[[], T], repeats: int) -> tuple[list[float], T]:
    """Sorted seconds of ``repeats`` runs (at least one), and the last run's result."""
    times = []
    for _ in range(max(1, repeats) - 1):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    result = run()
    times.append(time.perf_counter() - start)
    times.sort()
    return times, result


def bench_margins(election: Election, rules: Rules, label: str, repeats: int = 3) -> MarginsTiming:
    """Time ``margins(election, rules)`` ``repeats`` times after one warm-up run."""
    result = margins(election, rules)
    times, _ = _timed(lambda: margins(election, rules), repeats)
    return MarginsTiming(
        label,
        len(result.lists),
        rules.seats,
        rules.method,
        len(result.pairs),
        times[0],
        times[len(times) // 2],
        repeats,
    )


def bench_district_margins(
    election: Election, rules: Rules, label: str, repeats: int = 1
) -> MarginsTiming:
    """Time ``district_margins(election, rules)`` ``repeats`` times (no warm-up: one run is
    seconds, and the engine's first call has been made by then)."""
    times, result = _timed(lambda: district_margins(election, rules), repeats)
    return MarginsTiming(
        label,
        len(election.names),
        rules.seats,
        rules.method,
        len(result.pairs),
        times[0],
        times[len(times) // 2],
        repeats,
        len(election.districts),
    )


def synthetic_districts(
    seed: int = 0, districts: int = 52, seats: int = 350, lists: int = 20
) -> Election:
    """A districted election of the districts benchmark's shape: ``districts`` districts
    sharing ``seats`` seats, ``lists`` lists standing everywhere with zipf shares of 60,000
    votes per district (``simulate.bench.allocation.make_votes``)."""
    rng = np.random.default_rng(seed)
    votes = make_votes(rng, districts, lists, total=60_000, shares="zipf")
    magnitude = district_magnitudes(districts, seats)
    names = [f"L{i + 1}" for i in range(lists)]
    return Election(
        name=f"synthetic: {districts} districts, {lists} lists",
        parties=tuple(Party(n, int(votes[:, i].sum())) for i, n in enumerate(names)),
        seats=seats,
        districts=tuple(
            District(f"D{j + 1}", int(magnitude[j]), dict(zip(names, map(int, row), strict=True)))
            for j, row in enumerate(votes)
        ),
    )


__all__ = ["MarginsTiming", "bench_district_margins", "bench_margins", "synthetic_districts"]
