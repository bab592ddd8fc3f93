"""Which lists pass the thresholds, and by exactly how many votes the others missed.

The one place eligibility is decided: ``allocate`` (through ``simulate.plain`` and
``simulate.alliances``) and ``allocate_districts`` call ``assess`` (the sweep and the margins
``regional_pass``); reports read the ``Shortfall`` values it returns, and ``threshold_notes``
says how each alliance pooled for the threshold fared. A list passes the national
threshold with at least ``min_votes(threshold, base)`` votes (``simulate.threshold``) and,
under a regional threshold, the same in every region of the seed's regional votes. A seed
without regional votes cannot be checked regionally, and ``regional_checked`` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from simulate.alliance import check_members, columns
from simulate.election import BASE_WORDS, Election
from simulate.errors import InputError
from simulate.threshold import format_percent, min_votes, shortfall_text
from simulate.wording import below_text, plural

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from simulate.rules import Rules


@dataclass(frozen=True)
class Shortfall:
    """A threshold one list missed; ``region`` is None for the national threshold."""

    threshold: Fraction
    base: str
    region: str | None
    votes: int | None
    needed: int | None
    published: str | None = None
    """In a region given as percentages: the list's share there as published ("0.07%");
    ``votes`` and ``needed`` are then None."""
    alliance: str | None = None
    """The alliance ('A+B') that missed this threshold with its votes pooled; ``votes`` are
    then the alliance's."""

    @property
    def short_by(self) -> int | None:
        if self.votes is None or self.needed is None:
            return None
        return self.needed - self.votes

    def sentence(self, base_size: int | None = None, strict: bool = False) -> str:
        """'6.85% < 7% of participants (136,276 votes, 139,353 needed, short by 3,077)'."""
        if self.published is not None:
            return (
                f"{format_percent(self.threshold)} not reached in {self.region} "
                f"({self.published} published)"
            )
        assert self.votes is not None and self.needed is not None  # (no published share)
        counts = f"{self.votes:,} votes, {self.needed:,} needed"
        if self.region is not None:
            return f"{format_percent(self.threshold)} not reached in {self.region} ({counts})"
        share = shortfall_text(self.votes, base_size or 0, self.threshold, strict)
        if self.alliance is not None:
            share = f"alliance {self.alliance}: {share}"
        return f"{share} of {BASE_WORDS[self.base]} ({counts}, short by {self.short_by:,})"


@dataclass(frozen=True)
class Eligibility:
    """Per list (seed order): passed, and the thresholds missed; the national base and the
    smallest passing count; whether the regional rule was checked (None: no regional rule;
    True: in every region with votes in the seed, ``regional_unchecked`` naming the regions it
    could not be checked in), and the (list, region, published share) too close to tell."""

    passed: tuple[bool, ...]
    shortfalls: tuple[tuple[Shortfall, ...], ...]
    base: int
    threshold_votes: int
    regional_checked: bool | None
    regional_unchecked: tuple[str, ...] = ()
    regional_undecided: tuple[tuple[str, str, str], ...] = ()


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
    if rules.alliances:
        _pool_threshold(election, rules, base, needs, missed)
    checked: bool | None = None
    unchecked: tuple[str, ...] = ()
    undecided: list[tuple[str, str, str]] = []
    if rules.regional_threshold:
        checked = bool(election.region_names)
        unchecked = election.regions_without_votes
        for i, extra in enumerate(_regional_misses(election, rules, undecided)):
            if not election.parties[i].exempt:
                missed[i].extend(extra)
    return Eligibility(
        tuple(not m for m in missed),
        tuple(tuple(m) for m in missed),
        base,
        min(needs.values()),
        checked,
        unchecked,
        tuple(undecided),
    )


def _pool_threshold(
    election: Election,
    rules: Rules,
    base: int,
    needs: dict[Fraction, int],
    missed: list[list[Shortfall]],
) -> None:
    """The alliances pooled for the threshold (``simulate.alliance``): an alliance whose votes
    reach its threshold lets every member take part; when they fall short, each member that
    missed its own threshold also carries the alliance's shortfall."""
    where = election.path or election.name
    check_members(rules.alliances, election.names, where)
    kinds = dict(rules.kind_thresholds)
    for a in rules.alliances:
        if not a.pools_threshold:
            continue
        if kinds and a.kind not in kinds:
            raise InputError(
                f"{where}: alliance {a.name}: its kind {a.kind!r} has no threshold "
                f"(thresholds for: {', '.join(kinds)})"
            )
        t = kinds[a.kind] if kinds else rules.threshold
        need = needs[t] if t in needs else min_votes(t, base, rules.strict)
        cols = columns(a, election.names)
        together = sum(election.parties[i].votes for i in cols)
        for i in cols:
            if together >= need:
                missed[i] = []
            elif missed[i]:
                missed[i].append(
                    Shortfall(t, rules.threshold_base, None, together, need, alliance=a.name)
                )


def threshold_notes(
    rules: Rules,
    names: Sequence[str],
    votes: Sequence[int] | np.ndarray,
    passed: Sequence[bool] | np.ndarray,
    prefix: str = "",
) -> list[str]:
    """One line per alliance pooled for the national threshold (when the rules have one): its
    votes together and who of it takes part."""
    out: list[str] = []
    if not (rules.threshold or rules.kind_thresholds):
        return out
    for a in rules.alliances:
        if not a.pools_threshold:
            continue
        cols = columns(a, names)
        together = sum(int(votes[i]) for i in cols)
        taking = [names[i] for i in cols if passed[i]]
        what = (
            "all its lists take part"
            if len(taking) == len(cols)
            else "none of its lists takes part"
            if not taking
            else f"{', '.join(taking)} take{'s' if len(taking) == 1 else ''} part"
        )
        out.append(
            f"{prefix}alliance {a.name} pooled for the threshold: "
            f"{together:,} {'vote' if together == 1 else 'votes'} together, {what}"
        )
    return out


def regional_pass(election: Election, rules: Rules) -> tuple[bool, ...]:
    """Which lists meet the regional threshold in every region (all of them when the rules have
    none or the seed has no regional votes: the rule is then reported as not checked)."""
    return tuple(not misses for misses in _regional_misses(election, rules))


def _regional_misses(
    election: Election, rules: Rules, undecided: list | None = None
) -> list[list[Shortfall]]:
    misses: list[list[Shortfall]] = [[] for _ in election.parties]
    if not rules.regional_threshold or not election.region_names:
        return misses
    base_name = rules.regional_threshold_base or rules.threshold_base
    rbase = election.regional_base(base_name)  # also refuses a base the percentages are not of
    t = rules.regional_threshold
    rvotes = election.regional_votes()
    column = {r: j for j, r in enumerate(election.count_regions)}
    for region in election.region_names:  # seed order
        if region not in column:  # published percentages
            for i, s in enumerate(election.regional_shares(region)):
                top, bottom = s.value + s.half_unit, s.value - s.half_unit
                if top < t or (rules.strict and top <= t):  # below at any reading of the rounding
                    misses[i].append(Shortfall(t, base_name, region, None, None, s.text))
                elif undecided is not None and (bottom < t or (rules.strict and bottom <= t)):
                    undecided.append((election.parties[i].name, region, s.text))  # straddles t
            continue
        j = column[region]
        need = min_votes(t, int(rbase[j]), rules.strict)
        for i in range(len(election.parties)):
            if int(rvotes[i, j]) < need:
                misses[i].append(Shortfall(t, base_name, region, int(rvotes[i, j]), need))
    return misses


def why_not(shortfalls: tuple[Shortfall, ...], share: Fraction) -> str:
    """Short reason a list did not take part: 'short by 3,077 votes (6.85% < 7%)'."""
    parts = []
    for s in shortfalls:
        if s.region is None:
            short = f"short by {plural(s.short_by or 0, 'vote')}"
            if s.alliance is not None:  # (the share is the list's, not the alliance's)
                parts.append(f"alliance {s.alliance} {short} ({format_percent(s.threshold)})")
            else:
                parts.append(f"{short} ({below_text(share, s.threshold)})")
    regional = [s for s in shortfalls if s.region is not None]
    if regional:
        first = regional[0]
        text = (
            f"short by {plural(first.short_by, 'vote')} in {first.region} "
            f"({format_percent(first.threshold)})"
            if first.short_by is not None
            else f"below {format_percent(first.threshold)} in {first.region} "
            f"({first.published} published)"
        )
        if len(regional) > 1:
            text += f" and in {plural(len(regional) - 1, 'more region', 'more regions')}"
        parts.append(text)
    return "; ".join(parts)


__all__ = ["Eligibility", "Shortfall", "assess", "regional_pass", "threshold_notes", "why_not"]
