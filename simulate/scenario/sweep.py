"""The exact threshold sweep: seats as a step function of the national threshold.

With votes v_i and base B, a list passes a threshold t exactly when v_i ≥ min_votes(t, B)
(``simulate.threshold``), which under ">=" means t ≤ v_i / B and under ">" means t < v_i / B.
The set of passing lists, and so the seats, can therefore change only at the lists' shares
v_i / B. The sweep takes those shares as exact fractions, cuts the range at them, and
allocates once per interval with ``simulate.allocation.allocate``; there is no grid. Every
other rule (regional threshold, cap, method) stays as the scenario has it.

With districts (``simulate.districts``) the threshold swept is the national one, on the
national base: between two breakpoints the lists taking part nationally are the same, and
with them the lists taking part in each district (a district threshold stays as it is), so
each interval allocates the districts once (``simulate.scenario.constituency``). A threshold
per kind of list is swept as one threshold for every kind; an exempt list passes everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from simulate.alliance import columns, pool_rows
from simulate.allocation import Allocation
from simulate.districts import DistrictAllocation
from simulate.election import Election
from simulate.eligibility import regional_pass
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.metrics import seats_changing_hands
from simulate.rules import Rules
from simulate.scenario.constituency import allocate_in
from simulate.scenario.measures import Measures, measure
from simulate.threshold import as_fraction, min_votes

TOP = Fraction(999_999, 1_000_000)
"""Thresholds stay below 1 (``simulate.threshold.check_fraction``); the sweep stops here."""


@dataclass(frozen=True)
class Interval:
    """Thresholds from ``low`` to ``high`` (ends included as flagged) and the one outcome they
    share. ``allocation`` is None when the seats cannot be allocated there; ``problem`` says
    why (no list passes, a cap leaves seats empty, an undecided tie)."""

    low: Fraction
    high: Fraction
    low_included: bool
    high_included: bool
    point: Fraction
    passed: tuple[str, ...]
    allocation: Allocation | None
    problem: str | None
    measures: Measures | None
    changed_from_previous: int | float | None
    changed_from_baseline: int | float | None
    districts: DistrictAllocation | None = None
    """The districted result there (None: one constituency, or not allocated)."""

    def __contains__(self, t: Fraction | float | str) -> bool:
        t = Fraction(t)
        above = t > self.low or (self.low_included and t == self.low)
        below = t < self.high or (self.high_included and t == self.high)
        return above and below

    @property
    def seats(self) -> np.ndarray | None:
        return None if self.allocation is None else self.allocation.seats


@dataclass(frozen=True)
class Sweep:
    """Intervals covering [low, high] in order; ``breakpoints`` are their inner boundaries."""

    election: Election
    rules: Rules
    base: int
    low: Fraction
    high: Fraction
    intervals: tuple[Interval, ...]
    baseline: Allocation | None

    @property
    def breakpoints(self) -> tuple[Fraction, ...]:
        return tuple(iv.high for iv in self.intervals[:-1])

    def at(self, threshold: Fraction | float | str) -> Interval:
        """The interval holding ``threshold``."""
        for iv in self.intervals:
            if threshold in iv:
                return iv
        raise InputError(f"threshold {threshold} is outside the sweep")


def shares(election: Election, rules: Rules) -> tuple[Fraction, ...]:
    """Every list's share of the threshold base, exact, smallest first, without repeats."""
    base = election.base(rules.threshold_base)
    if base <= 0:
        raise InputError(f"{election.path or election.name}: the threshold base is zero")
    pooled = [  # an alliance pooled for the threshold passes or fails at its own share
        sum(int(election.votes[i]) for i in columns(a, election.names))
        for a in rules.alliances
        if a.pools_threshold
    ]
    return tuple(sorted({Fraction(int(v), base) for v in (*election.votes, *pooled)}))


def sweep_range(
    election: Election, rules: Rules, low: object = None, high: object = None
) -> tuple[Fraction, Fraction]:
    """The thresholds a sweep covers: ``low`` (default 0) to ``high`` (default the largest
    list's share, below TOP), read exactly."""
    start = Fraction(0) if low is None else as_fraction(low, "sweep range start")
    end = (
        min(shares(election, rules)[-1], TOP)
        if high is None
        else as_fraction(high, "sweep range end")
    )
    return start, end


def sweep(
    election: Election,
    rules: Rules,
    low: object = None,
    high: object = None,
    *,
    baseline: Allocation | None = None,
    rng: np.random.Generator | None = None,
    national: bool = False,
) -> Sweep:
    """Seats in every interval of the national threshold between ``low`` and ``high``.

    ``low`` defaults to 0 and ``high`` to the largest list's share. ``baseline`` is the
    allocation "seats changing hands against the baseline" refers to (default: ``rules``
    themselves, if they can be allocated). ``rng`` decides ties by lot under ties="lot".
    With districts, each interval is allocated district by district unless ``national``.
    """
    cuts = shares(election, rules)
    base = election.base(rules.threshold_base)
    low, high = sweep_range(election, rules, low, high)
    if not 0 <= low < high < 1:
        raise InputError(
            f"sweep range: need 0 ≤ start < end < 100%, got {float(100 * low):g}% "
            f"to {float(100 * high):g}%"
        )
    if baseline is None:
        baseline, _, _ = _try_allocate(election, rules, rng, national)
    votes = election.votes
    regional = regional_pass(election, rules)
    allied = (rules.alliances, election.names)
    exempt = [p.exempt for p in election.parties]
    one = rules.replace(kind_thresholds=())  # one threshold for every kind of list
    points = sorted({low, high, *(c for c in cuts if low < c < high)})

    def passing(t: Fraction) -> tuple[bool, ...]:  # which lists take part at threshold t
        need = min_votes(t, base, rules.strict)
        own = (votes >= need) | np.array(exempt, dtype=bool)
        own = pool_rows(own[None, :], votes[None, :], np.array([need]), *allied)[0]
        return tuple(bool(v) and ok for v, ok in zip(own, regional))

    # Elementary pieces: each cut point alone, and the open gap after it; then runs of pieces
    # with the same passing lists. Each run is allocated at one inner point.
    pieces: list[tuple[Fraction, Fraction, Fraction]] = []
    for k, p in enumerate(points):
        pieces.append((p, p, p))
        if k + 1 < len(points):
            pieces.append((p, points[k + 1], (p + points[k + 1]) / 2))
    runs: list[tuple[tuple[bool, ...], list[tuple[Fraction, Fraction, Fraction]]]] = []
    for piece in pieces:
        key = passing(piece[2])
        if runs and runs[-1][0] == key:
            runs[-1][1].append(piece)
        else:
            runs.append((key, [piece]))

    intervals: list[Interval] = []
    previous = None
    for key, run in runs:
        first, last = run[0], run[-1]
        gaps = [p for p in run if p[0] != p[1]]
        rep = gaps[0][2] if gaps else first[2]
        result, split, problem = _try_allocate(election, one.replace(threshold=rep), rng, national)
        seats = None if result is None else result.seats
        intervals.append(
            Interval(
                low=first[0],
                high=last[1],
                low_included=first[0] == first[1],
                high_included=last[0] == last[1],
                point=rep,
                passed=tuple(n for n, ok in zip(election.names, key) if ok),
                allocation=result,
                problem=problem,
                measures=None if result is None else measure(result),
                changed_from_previous=_moved(previous, seats),
                changed_from_baseline=_moved(None if baseline is None else baseline.seats, seats),
                districts=split,
            )
        )
        previous = seats
    return Sweep(election, rules, base, low, high, tuple(intervals), baseline)


def _moved(a: np.ndarray | None, b: np.ndarray | None) -> int | float | None:
    if a is None or b is None:
        return None
    return seats_changing_hands(a, b)


def _try_allocate(
    election: Election, rules: Rules, rng: np.random.Generator | None, national: bool = False
) -> tuple[Allocation | None, DistrictAllocation | None, str | None]:
    """The allocation (and the districted one, if any), or None and a short reason when it
    cannot be made."""
    try:
        result, split = allocate_in(election, rules, national=national, rng=rng)
        return result, split, None
    except (InfeasibleError, TieError) as exc:
        text = str(exc)
        prefix = f"{election.path or election.name}: "
        return None, None, text[len(prefix) :] if text.startswith(prefix) else text


__all__ = ["Interval", "Sweep", "shares", "sweep"]
