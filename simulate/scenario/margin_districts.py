"""Margins of a districted election: per district, and for the totals.

A district's seats depend on its own votes and on which lists passed the national threshold.
``district_margins`` searches each district alone, exactly, with the lists below the
national threshold kept out (their votes still count in the district's base for a district
threshold), first with the national outcome held as it stands. Votes added to a list in a
district count nationally too (in its votes and, unless the base is registered voters, in
the base), so lists may cross the national threshold on the way: where the held answer does
not come before the first such crossing, the search is redone with the national outcome
moving (``margin_district_lists``) and the list's seats in the whole house compared. The
values are then exact either way; ``national_moves`` names the counts found that move the
national outcome, and how.

For the totals: the votes to gain (lose) a seat in total are the fewest over the districts
(votes added in one district); the votes to pass or fail the national threshold are those of
the pooled national count (``margins``' threshold search on the national votes and base).
Ballots moved between two lists: ``margin_district_pairs``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from simulate.districts import DistrictAllocation, allocate_districts
from simulate.election import Election
from simulate.errors import InputError
from simulate.rules import Rules
from simulate.scenario.margin_context import Context, district_context, refuse_unsupported
from simulate.scenario.margin_district_lists import with_national
from simulate.scenario.margin_district_pairs import district_pairs
from simulate.scenario.margin_national import Outcomes
from simulate.scenario.margin_pairs import ClosestCall, PairMargin
from simulate.scenario.margins import ListMargin, _list_margin, _threshold_margins, untied


@dataclass(frozen=True)
class DistrictMargins:
    """``district_margins``: ``districts[d]`` the margins of each list in district d (votes
    added or lost there; a seat gained or lost in the house, which is one in district d
    unless the national outcome moves); ``totals`` each list's in total; ``national_moves``:
    (district, list, what) where the count found also moves a list across the national
    threshold; ``pairs`` and ``closest``: ballots moved between two lists in one district
    (``margin_district_pairs``)."""

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
    refuse_unsupported(election, rules)
    with untied():
        result = allocate_districts(election, rules.replace(ties="error"))
    names = election.names
    votes = election.district_votes()
    passed = np.array([r.passed for r in result.national.lists], dtype=bool)
    per: list[tuple[ListMargin, ...]] = []
    moves: list[tuple[str, str, str]] = []
    outcomes = Outcomes(election, rules, result)
    for j, district in enumerate(election.districts):
        ctx = district_context(election, rules, j, result.seats[j], passed, votes[j])
        found = []
        for i, name in enumerate(names):
            exact, what = with_national(
                election, rules, result, outcomes, ctx, j, i, _list_margin(ctx, i)
            )
            found.append(exact)
            moves.extend((district.name, name, w) for w in what)
        per.append(tuple(found))
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
        "votes added or lost in a district count in the national threshold too: where a "
        "count found moves a list across it (national_moves), every district's seats follow",
    ]
    found_pairs: tuple[PairMargin, ...] = ()
    closest: tuple[ClosestCall, ...] = ()
    if pairs:
        found_pairs, closest = district_pairs(election, rules, result, national, outcomes)
    return DistrictMargins(
        result, tuple(per), tuple(totals), tuple(moves), tuple(notes), found_pairs, closest
    )


__all__ = ["DistrictMargins", "district_margins"]
