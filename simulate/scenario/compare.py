"""One election under several rule sets, side by side with the baseline.

Each alternative is allocated with ``simulate.allocation.allocate``, or district by district
when the election has districts (``simulate.scenario.constituency``); its metrics and the seats
that change hands against the baseline (½ Σ |s − s'|, on the totals, and district by district
when both are districted) are kept with it. An alternative that cannot be allocated (no list
passes, a cap too low, an undecided tie) is kept with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from simulate.allocation import Allocation
from simulate.districts import DistrictAllocation
from simulate.election import Election
from simulate.errors import InfeasibleError, TieError
from simulate.metrics import seats_changing_hands
from simulate.rules import Rules
from simulate.scenario.constituency import allocate_in, district_changes
from simulate.scenario.measures import Measures, measure


class LabelledRules(Protocol):
    """An alternative rule set as ``compare`` reads it (``scenario.Alternative`` is one); it
    may also have ``changes``, the rule keys it sets, and ``national`` (true: in one national
    constituency, not by district)."""

    @property
    def label(self) -> str: ...

    @property
    def rules(self) -> Rules: ...


@dataclass(frozen=True)
class Outcome:
    """One rule set's result; ``allocation`` is None (and ``problem`` says why) if it failed."""

    label: str
    rules: Rules
    allocation: Allocation | None
    problem: str | None
    measures: Measures | None
    changed_from_baseline: int | float | None
    changes: Mapping[str, Any] = field(default_factory=dict)
    districts: DistrictAllocation | None = None
    """The districted result (None: one constituency, or not allocated)."""
    district_changes: tuple[int | float, ...] | None = None
    """Seats changing hands in each district against the baseline (None unless both are
    districted)."""
    national: bool = False
    """Allocated in one national constituency although the election has districts."""

    @property
    def seats(self) -> np.ndarray | None:
        return None if self.allocation is None else self.allocation.seats


@dataclass(frozen=True)
class Comparison:
    """The baseline and its alternatives, all on the same election."""

    election: Election
    baseline: Outcome
    alternatives: tuple[Outcome, ...]

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return (self.baseline, *self.alternatives)


def compare(
    election: Election,
    rules: Rules,
    alternatives: Sequence[LabelledRules] = (),
    *,
    label: str = "baseline",
    baseline: Allocation | None = None,
    rng: np.random.Generator | None = None,
    national: bool = False,
    baseline_districts: DistrictAllocation | None = None,
) -> Comparison:
    """The baseline ``rules`` and each alternative (objects with ``label``, ``rules`` and
    optionally ``changes`` and ``national``). The baseline must allocate; its errors are
    raised. With districts, each rule set is allocated district by district unless it is
    ``national`` (``national`` here: the baseline's); ``baseline`` and
    ``baseline_districts`` are the baseline's results when already found."""
    if baseline is None:
        baseline, baseline_districts = allocate_in(election, rules, national=national, rng=rng)
    base = baseline
    first = Outcome(
        label,
        rules,
        base,
        None,
        measure(base),
        0,
        districts=baseline_districts,
        district_changes=None
        if baseline_districts is None
        else (0,) * len(baseline_districts.districts),
        national=national and bool(election.districts),
    )
    others = []
    for alt in alternatives:
        alt_national = bool(getattr(alt, "national", False))
        split: DistrictAllocation | None = None
        try:
            result, split = allocate_in(election, alt.rules, national=alt_national, rng=rng)
            problem = None
        except (InfeasibleError, TieError) as exc:
            result, problem = None, _strip(str(exc), election)
        by_district = (
            None
            if split is None or baseline_districts is None
            else district_changes(baseline_districts, split)
        )
        others.append(
            Outcome(
                alt.label,
                alt.rules,
                result,
                problem,
                None if result is None else measure(result),
                None if result is None else seats_changing_hands(base.seats, result.seats),
                dict(getattr(alt, "changes", {}) or {}),
                split,
                by_district,
                alt_national and bool(election.districts),
            )
        )
    return Comparison(election, first, tuple(others))


def _strip(text: str, election: Election) -> str:
    prefix = f"{election.path or election.name}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


__all__ = ["Comparison", "Outcome", "compare"]
