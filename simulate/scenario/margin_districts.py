"""Margins of a districted election: per district, and for the totals.

A district's seats depend on its own votes and on which lists passed the national threshold.
``district_margins`` holds the national outcome as it stands (as ``margins`` holds a
regional rule): for each district it searches that district alone, exactly, with the lists
below the national threshold kept out (their votes still count in the district's base for a
district threshold). A count that would also move a list across the national threshold (the
list's own, or another's as the national base grows) is flagged in ``national_moves``: there
the district's answer holds only if the national outcome did not change.

For the totals: a list gains a seat in total as soon as it gains one in some district (the
others stand still), so its votes to gain (lose) a seat in total are the fewest over the
districts; its votes to pass or fail the national threshold are those of the pooled national
count (``margins``' threshold search on the national votes and base).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from simulate.districts import DistrictAllocation, allocate_districts
from simulate.election import Election
from simulate.errors import InputError
from simulate.rules import Rules
from simulate.scenario.margin_context import Context, district_context
from simulate.scenario.margin_district_pairs import district_pairs
from simulate.scenario.margin_pairs import ClosestCall, PairMargin
from simulate.scenario.margins import ListMargin, _list_margin, _threshold_margins, untied
from simulate.threshold import min_votes


@dataclass(frozen=True)
class DistrictMargins:
    """``district_margins``: ``districts[d]`` the margins of each list in district d (votes
    added or lost there); ``totals`` each list's in total; ``national_moves``: (district,
    list, what) where the count found would also move a list across the national threshold."""

    allocation: DistrictAllocation
    districts: tuple[tuple[ListMargin, ...], ...]
    totals: tuple[ListMargin, ...]
    national_moves: tuple[tuple[str, str, str], ...]
    notes: tuple[str, ...] = ()
    pairs: tuple[PairMargin, ...] = ()
    closest: tuple[ClosestCall, ...] = ()

    def pair(self, district: str, source: str, target: str) -> PairMargin:
        """Ballots moved from ``source`` to ``target`` in ``district``."""
        if district not in self.allocation.districts:
            raise InputError(f"no district named {district!r}")
        for name in (source, target):
            if name not in self.allocation.names:
                raise InputError(f"no list named {name!r}")
        for p in self.pairs:
            if (p.district, p.source, p.target) == (district, source, target):
                return p
        raise InputError(
            f"no pair {source!r} → {target!r} in {district!r} (both must stand there, and "
            "the first needs votes to give)"
        )


def _fewest(values: list[int | None]) -> int | None:
    found = [v for v in values if v is not None]
    return min(found) if found else None


def _before(tie: int | None, outright: int | None) -> int | None:
    """A tie counts only when it comes before the outright change (as in ``margins``)."""
    return tie if tie is not None and (outright is None or tie < outright) else None


def district_margins(election: Election, rules: Rules, *, pairs: bool = True) -> DistrictMargins:
    """Every list's margins in every district of ``election`` under ``rules``, and in total;
    with ``pairs``, every pair's in every district and the closest calls
    (``simulate.scenario.margin_district_pairs``)."""
    with untied():
        result = allocate_districts(election, rules.replace(ties="error"))
    names = election.names
    votes = election.district_votes()
    passed = np.array([r.passed for r in result.national.lists], dtype=bool)
    per: list[tuple[ListMargin, ...]] = []
    moves: list[tuple[str, str, str]] = []
    for j, district in enumerate(election.districts):
        ctx = district_context(election, rules, j, result.seats[j], passed, votes[j])
        found = tuple(_list_margin(ctx, i) for i in range(len(names)))
        per.append(found)
        for i, m in enumerate(found):
            for count, sign in ((m.votes_to_gain_seat, 1), (m.votes_to_lose_seat, -1)):
                if count is not None:
                    what = _national_move(election, rules, passed, i, sign * count)
                    if what:
                        moves.append((district.name, names[i], what))
    national = Context(
        replace(election, districts=()),
        rules.replace(district_threshold=None),
        result.totals,
    )
    totals = []
    for i, n in enumerate(names):
        col = [per[j][i] for j in range(len(per))]
        to_pass, to_fail = _threshold_margins(national, i)
        gain = _fewest([m.votes_to_gain_seat for m in col])
        lose = _fewest([m.votes_to_lose_seat for m in col])
        totals.append(
            ListMargin(
                n,
                int(election.votes[i]),
                int(result.totals[i]),
                gain,
                _before(_fewest([m.votes_to_tie_seat for m in col]), gain),
                lose,
                _before(_fewest([m.votes_to_tie_loss for m in col]), lose),
                to_pass,
                to_fail,
            )
        )
    notes = [
        "each list's margins in a district are searched with the national threshold's "
        "outcome held as it stands (lists below it take no seat); counts that would also move "
        "a list across it are listed in national_moves",
    ]
    found_pairs: tuple[PairMargin, ...] = ()
    closest: tuple[ClosestCall, ...] = ()
    if pairs:
        found_pairs, closest = district_pairs(election, rules, result, national)
        notes.append(
            "ballots moved between two lists in a district count in the national threshold "
            "too: where that changes who passes it, every district's seats are allocated anew"
        )
    return DistrictMargins(
        result, tuple(per), tuple(totals), tuple(moves), tuple(notes), found_pairs, closest
    )


def _national_move(
    election: Election, rules: Rules, passed: np.ndarray, i: int, added: int
) -> str | None:
    """Whether ``added`` votes (negative: lost) for list i would move any list across its
    national threshold (the base moves with them, unless it is registered voters)."""
    base = election.base(rules.threshold_base)
    if rules.threshold_base != "registered":
        base += added
    where = election.path or election.name
    for j, p in enumerate(election.parties):
        if p.exempt:
            continue
        need = min_votes(rules.threshold_of(p.kind, p.name, where), base, rules.strict)
        v = p.votes + (added if j == i else 0)
        if (v >= need) != bool(passed[j]):
            return f"{p.name} would {'pass' if v >= need else 'fail'} the national threshold"
    return None


__all__ = ["DistrictMargins", "district_margins"]
