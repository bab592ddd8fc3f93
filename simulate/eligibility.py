"""Which thresholds a list missed, and by exactly how many votes.

``simulate.rules.allocate`` decides eligibility; this module only explains it in numbers for
reports: for every threshold a list failed (national, and regional in each region), the votes
it had, the votes it needed (``simulate.threshold.min_votes``), and the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .election import Election
from .rules import Allocation, Rules
from .threshold import min_votes


@dataclass(frozen=True)
class Shortfall:
    """A threshold one list missed; ``region`` is None for the national threshold."""

    threshold: Fraction
    base: str
    region: str | None
    votes: int
    needed: int

    @property
    def short_by(self) -> int:
        return self.needed - self.votes


def regional_pass(election: Election, rules: Rules) -> tuple[bool, ...]:
    """Which lists meet the regional threshold in every region (all of them when the rules have
    none or the seed has no regional votes: the rule is then reported as not checked)."""
    return tuple(not misses for misses in _regional_misses(election, rules))


def shortfalls(result: Allocation) -> tuple[tuple[Shortfall, ...], ...]:
    """For each list (seed order), the thresholds it missed; empty for a list that passed."""
    rules = result.rules
    regional = _regional_misses(result.election, rules)
    out = []
    for i, r in enumerate(result.lists):
        missed = []
        if r.votes < result.threshold_votes:
            missed.append(Shortfall(rules.threshold, rules.threshold_base, None, r.votes,
                                    result.threshold_votes))
        missed.extend(regional[i])
        out.append(tuple(missed))
    return tuple(out)


def _regional_misses(election: Election, rules: Rules) -> list[list[Shortfall]]:
    misses: list[list[Shortfall]] = [[] for _ in election.parties]
    if not rules.regional_threshold or not election.region_names:
        return misses
    base_name = rules.regional_threshold_base or rules.threshold_base
    rbase = election.regional_base(base_name)
    rvotes = election.regional_votes()
    for j, region in enumerate(election.region_names):
        need = min_votes(rules.regional_threshold, int(rbase[j]), rules.strict)
        for i in range(len(election.parties)):
            if int(rvotes[i, j]) < need:
                misses[i].append(Shortfall(rules.regional_threshold, base_name, region,
                                           int(rvotes[i, j]), need))
    return misses


__all__ = ["Shortfall", "regional_pass", "shortfalls"]
