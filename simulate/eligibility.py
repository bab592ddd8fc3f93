"""Which lists pass the thresholds, and by exactly how many votes the others missed.

The one place eligibility is decided: ``simulate.allocation.allocate`` and the sweep call
``assess``; reports read the ``Shortfall`` values it returns. A list passes the national
threshold with at least ``min_votes(threshold, base)`` votes (``simulate.threshold``) and,
under a regional threshold, the same in every region of the seed's regional votes. A seed
without regional votes cannot be checked regionally, and ``regional_checked`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from simulate.election import BASE_WORDS, Election
from simulate.threshold import format_percent, min_votes, shortfall_text
from simulate.wording import below_text, plural

if TYPE_CHECKING:  # pragma: no cover
    from simulate.rules import Rules


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

    def sentence(self, base_size: int | None = None, strict: bool = False) -> str:
        """'6.85% < 7% of participants (136,276 votes, 139,353 needed, short by 3,077)'."""
        counts = f"{self.votes:,} votes, {self.needed:,} needed"
        if self.region is not None:
            return f"{format_percent(self.threshold)} not reached in {self.region} ({counts})"
        share = shortfall_text(self.votes, base_size or 0, self.threshold, strict)
        return f"{share} of {BASE_WORDS[self.base]} ({counts}, short by {self.short_by:,})"


@dataclass(frozen=True)
class Eligibility:
    """Per list (seed order): passed, and the thresholds missed; the national base and the
    smallest passing count; whether the regional rule was checked (None: no regional rule)."""

    passed: tuple[bool, ...]
    shortfalls: tuple[tuple[Shortfall, ...], ...]
    base: int
    threshold_votes: int
    regional_checked: bool | None


def assess(election: Election, rules: Rules) -> Eligibility:
    """Which lists pass. Under thresholds per kind each list meets its kind's (an error names
    a list whose kind has none); an exempt list passes whatever it polled. ``threshold_votes``
    is then the smallest passing count of any kind that a list of the election has."""
    where = election.path or election.name
    base = election.base(rules.threshold_base)
    needs: dict[Fraction, int] = {}
    missed: list[list[Shortfall]] = []
    for p in election.parties:
        t = rules.threshold_of(p.kind, p.name, where)
        need = needs.setdefault(t, min_votes(t, base, rules.strict))
        if p.votes < need and not p.exempt:
            missed.append([Shortfall(t, rules.threshold_base, None, p.votes, need)])
        else:
            missed.append([])
    checked = None
    if rules.regional_threshold:
        checked = bool(election.region_names)
        for i, extra in enumerate(_regional_misses(election, rules)):
            if not election.parties[i].exempt:
                missed[i].extend(extra)
    return Eligibility(
        tuple(not m for m in missed),
        tuple(tuple(m) for m in missed),
        base,
        min(needs.values()),
        checked,
    )


def regional_pass(election: Election, rules: Rules) -> tuple[bool, ...]:
    """Which lists meet the regional threshold in every region (all of them when the rules have
    none or the seed has no regional votes: the rule is then reported as not checked)."""
    return tuple(not misses for misses in _regional_misses(election, rules))


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
                misses[i].append(
                    Shortfall(rules.regional_threshold, base_name, region, int(rvotes[i, j]), need)
                )
    return misses


def why_not(shortfalls: tuple[Shortfall, ...], share: Fraction) -> str:
    """Short reason a list did not take part: 'short by 3,077 votes (6.85% < 7%)'."""
    parts = []
    for s in shortfalls:
        if s.region is None:
            parts.append(
                f"short by {plural(s.short_by, 'vote')} ({below_text(share, s.threshold)})"
            )
    regional = [s for s in shortfalls if s.region is not None]
    if regional:
        first = regional[0]
        text = (
            f"short by {plural(first.short_by, 'vote')} in {first.region} "
            f"({format_percent(first.threshold)})"
        )
        if len(regional) > 1:
            text += f" and in {plural(len(regional) - 1, 'more region', 'more regions')}"
        parts.append(text)
    return "; ".join(parts)


__all__ = ["Eligibility", "Shortfall", "assess", "regional_pass", "why_not"]
