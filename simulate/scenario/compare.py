"""One election under several rule sets, side by side with the baseline.

Each alternative is allocated with ``simulate.allocation.allocate``; its metrics and the seats that
change hands against the baseline (½ Σ |s − s'|) are kept with it. An alternative that cannot
be allocated (no list passes, a cap too low, an undecided tie) is kept with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from simulate.allocation import Allocation, allocate
from simulate.election import Election
from simulate.errors import InfeasibleError, TieError
from simulate.metrics import seats_changing_hands
from simulate.rules import Rules
from simulate.scenario.measures import Measures, measure


class LabelledRules(Protocol):
    """An alternative rule set as ``compare`` reads it (``scenario.Alternative`` is one); it
    may also have ``changes``, the rule keys it sets."""

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
) -> Comparison:
    """The baseline ``rules`` and each alternative (objects with ``label``, ``rules`` and
    optionally ``changes``). The baseline must allocate; its errors are raised."""
    base = baseline if baseline is not None else allocate(election, rules, rng=rng)
    first = Outcome(label, rules, base, None, measure(base), 0)
    others = []
    for alt in alternatives:
        try:
            result, problem = allocate(election, alt.rules, rng=rng), None
        except (InfeasibleError, TieError) as exc:
            result, problem = None, _strip(str(exc), election)
        others.append(
            Outcome(
                alt.label,
                alt.rules,
                result,
                problem,
                None if result is None else measure(result),
                None if result is None else seats_changing_hands(base.seats, result.seats),
                dict(getattr(alt, "changes", {}) or {}),
            )
        )
    return Comparison(election, first, tuple(others))


def _strip(text: str, election: Election) -> str:
    prefix = f"{election.path or election.name}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


__all__ = ["Comparison", "Outcome", "compare"]
