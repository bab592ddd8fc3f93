"""What allocating one election gives: ``Allocation`` (with each list's ``ListResult`` and the
``Tie`` if any), and the one place a result is put together from the seats won (``settle``),
for the plain allocation (``simulate.plain``) and for alliances pooled for the allocation
(``simulate.alliances``) alike. ``simulate.allocation`` is the public home of these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from simulate.election import BASE_WORDS, Election
from simulate.eligibility import Eligibility, Shortfall
from simulate.errors import InputError
from simulate.filekeys import shown
from simulate.rules import Rules, format_factor
from simulate.threshold import format_percent
from simulate.wording import and_list, plural


@dataclass(frozen=True)
class ListResult:
    """One list's outcome: seats, whether it took part, and why not: ``reasons`` in words,
    ``shortfalls`` in numbers (each threshold missed, the votes had and needed), ``short_by``
    the votes short of the national threshold."""

    name: str
    votes: int
    share: Fraction
    passed: bool
    seats: int
    reasons: tuple[str, ...] = ()
    short_by: int | None = None
    official_seats: int | None = None
    shortfalls: tuple[Shortfall, ...] = ()


RULE_DECIDES = {
    "first-listed": "the list listed first wins",
    "most-votes": "the list with more votes wins",
}
"""What each tie rule of a law (``Tie.rule``) says, in words."""


@dataclass(frozen=True)
class Tie:
    """The last seat(s) had more than one valid owner. ``rule``: the tie rule of the law that
    decided it ("first-listed", "most-votes"), or None; with ``decided_by_lot`` too, the rule
    left lists with equal votes tied and a lot settled them."""

    lists: tuple[str, ...]
    seats: int
    decided_by_lot: bool
    rule: str | None = None

    @property
    def how(self) -> str:
        """How the tie was settled, in words."""
        if self.rule is not None and self.decided_by_lot:
            return (
                f"decided by lot among lists with equal votes (the rule of the law: "
                f"{RULE_DECIDES[self.rule]})"
            )
        if self.rule is not None:
            return f"decided by the rule of the law: {RULE_DECIDES[self.rule]}"
        return "decided by lot" if self.decided_by_lot else "undecided"

    def describe(self) -> str:
        s = "seat" if self.seats == 1 else "seats"
        return f"tie for the last {self.seats} {s} between {', '.join(self.lists)} ({self.how})"


REPR_LISTS = 6
"""How many lists ``repr(Allocation)`` names before "… N more"."""


@dataclass(frozen=True)
class Allocation:
    """The result of ``allocate``: per-list seats, eligibility and why, ties, the rules used."""

    election: Election
    rules: Rules
    lists: tuple[ListResult, ...]
    base: int
    threshold_votes: int
    tie: Tie | None = None
    regional_checked: bool | None = None
    notes: tuple[str, ...] = field(default=())
    regional_unchecked: tuple[str, ...] = ()
    """Regions the seed names but gives no votes for: the regional rule was not checked there."""
    regional_notes: tuple[str, ...] = ()
    """What the result cannot say about the regional rule (also among ``notes``): where it was
    not checked, and shares too close to tell; the figures' captions repeat them."""

    @property
    def seats(self) -> np.ndarray:
        return np.array([r.seats for r in self.lists], dtype=np.int64)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.lists)

    def seats_of(self, name: str) -> int:
        for r in self.lists:
            if r.name == name:
                return r.seats
        raise InputError(f"no list named {name!r}")

    def as_dict(self) -> dict[str, int]:
        """{list name: seats} for the lists that won seats, largest first."""
        won = [r for r in self.lists if r.seats]
        return {r.name: r.seats for r in sorted(won, key=lambda r: -r.seats)}

    def __repr__(self) -> str:
        """One line: the method, the house, the threshold and cap, and the seats won, e.g.
        'Allocation(hare, 120 seats, 7% of participants, at most 65: Birimdik 46, …)'."""
        rules = self.rules
        parts = [rules.method, plural(rules.seats, "seat")]
        if rules.threshold:
            more = "more than " if rules.strict else ""
            parts.append(
                f"{more}{format_percent(rules.threshold)} of {BASE_WORDS[rules.threshold_base]}"
            )
        if rules.regional_threshold:
            parts.append(f"{format_percent(rules.regional_threshold)} in every region")
        if rules.max_seats is not None:
            parts.append(f"at most {rules.max_seats}")
        if rules.min_seats:
            parts.append(f"at least {rules.min_seats}")
        if rules.quota_rounding != "exact":
            parts.append(f"quota rounded {rules.quota_rounding}")
        for kind, factor in rules.quotient_factors:
            parts.append(f"{kind} × {format_factor(factor)}")
        won = [f"{name} {seats}" for name, seats in self.as_dict().items()]
        if len(won) > REPR_LISTS:
            won[REPR_LISTS:] = [f"… {len(won) - REPR_LISTS} more"]
        tie = ""
        if self.tie is not None:
            tie = f"; tie for {plural(self.tie.seats, 'seat')} {self.tie.how}"
        return f"Allocation({', '.join(parts)}: {', '.join(won) or 'no seats'}{tie})"


def shortfalls(result: Allocation) -> tuple[tuple[Shortfall, ...], ...]:
    """For each list (seed order), the thresholds it missed; empty for a list that passed."""
    return tuple(r.shortfalls for r in result.lists)


def check_call(rules: Rules, rng: np.random.Generator | None) -> None:
    """The rules must be a ``Rules`` and a generator a ``numpy.random.Generator`` (checked at
    once, not when a tie first needs the lot)."""
    if not isinstance(rules, Rules):
        raise InputError(f"rules: need a Rules, not {shown(rules)}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise InputError(
            f"rng: need a numpy.random.Generator (numpy.random.default_rng(seed)), not {shown(rng)}"
        )


def list_results(
    election: Election, rules: Rules, elig: Eligibility, seats: Sequence[int] | np.ndarray
) -> tuple[ListResult, ...]:
    """Each list's result (seed order): its ``seats``, whether it took part (``elig``), and
    why not: every threshold it missed, in words and in numbers, and "no votes" for a list
    that took part with none."""
    votes, base = election.votes, elig.base
    results = []
    for i, p in enumerate(election.parties):
        missed = elig.shortfalls[i]
        why = [m.sentence(base, rules.strict) for m in missed]
        if elig.passed[i] and votes[i] == 0:
            why.append("no votes")
        national = [m for m in missed if m.region is None]
        results.append(
            ListResult(
                name=p.name,
                votes=int(votes[i]),
                share=Fraction(int(votes[i]), base) if base else Fraction(0),
                passed=bool(elig.passed[i]),
                seats=int(seats[i]),
                reasons=tuple(why),
                short_by=national[0].short_by if national else None,
                official_seats=p.official_seats,
                shortfalls=missed,
            )
        )
    return tuple(results)


def settle(
    election: Election,
    rules: Rules,
    elig: Eligibility,
    seats: Sequence[int] | np.ndarray,
    tie: Tie | None,
    notes: Sequence[str],
) -> Allocation:
    """The ``Allocation`` of one election: the lists' results (``list_results``) and the notes,
    those on the regional rule first, then ``notes``, then, for a seed with districts, that
    their votes were pooled into one constituency."""
    reg = regional_notes(election, rules, elig)
    said = [*reg, *notes]
    if election.districts:  # said, not silent: allocate_districts allocates them one by one
        said.append(
            f"one national constituency: the {len(election.districts)} districts' votes pooled"
        )
    return Allocation(
        election,
        rules,
        list_results(election, rules, elig, seats),
        elig.base,
        elig.threshold_votes,
        tie,
        elig.regional_checked,
        tuple(said),
        regional_unchecked=elig.regional_unchecked,
        regional_notes=tuple(reg),
    )


def regional_notes(election: Election, rules: Rules, elig: Eligibility) -> list[str]:
    """What the results cannot say about the regional rule: not checked at all, checked in some
    regions only (naming them, and those given as published percentages), or too close to tell
    from a published percentage."""
    if rules.regional_threshold is None or elig.regional_checked is None:
        return []
    if not elig.regional_checked:
        return (
            []
            if elig.regional_checked is None
            else [
                f"regional threshold {format_percent(rules.regional_threshold)} not "
                "checked: the seed has no regional votes"
            ]
        )
    t = format_percent(rules.regional_threshold)
    notes = []
    if elig.regional_unchecked:
        shares = election.share_regions
        how = (
            ""
            if not shares
            else ", from published percentages"
            if len(shares) == len(election.region_names)
            else f" ({and_list(shares)} from published percentages)"
        )
        notes.append(
            f"regional threshold {t} checked in {and_list(election.region_names)} only{how}; "
            f"not checked in {and_list(elig.regional_unchecked)}, where the seed gives no "
            "votes: no list is failed or passed there"
        )
    for name, region, text in elig.regional_undecided:
        notes.append(
            f"{name} has {text} in {region} as published, too close to {t} to tell at that "
            "rounding: not failed there"
        )
    return notes


__all__ = [
    "Allocation",
    "ListResult",
    "Tie",
    "check_call",
    "list_results",
    "regional_notes",
    "settle",
    "shortfalls",
]
