"""Timing ``margins``: every margin of one election (per list, per pair, closest calls),
best and median of a few repeats. Returns values; ``seatsim bench`` prints them."""

from __future__ import annotations

import time
from dataclasses import dataclass

from simulate.election import Election
from simulate.rules import Rules
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


def bench_margins(election: Election, rules: Rules, label: str, repeats: int = 3) -> MarginsTiming:
    """Time ``margins(election, rules)`` ``repeats`` times after one warm-up run."""
    result = margins(election, rules)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        margins(election, rules)
        times.append(time.perf_counter() - start)
    times.sort()
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


__all__ = ["MarginsTiming", "bench_margins"]
