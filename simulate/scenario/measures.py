"""The metrics of one ``Allocation``: ``simulate.metrics`` applied to an election and its seats.

Vote shares for Gallagher, Loosemore–Hanby and the effective number of parties are shares of
the lists' votes. Wasted votes are counted against the threshold base, so they include the
ballots the base counts that elect nobody (against-all, invalid): for a base of participants
or valid votes that is the base minus the lists' votes. A base of registered voters also
counts people who did not vote, so there the share is taken of the voters who took part.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulate import metrics
from simulate.allocation import Allocation
from simulate.election import Election


@dataclass(frozen=True)
class Measures:
    """The metrics of one allocation; holders are list names (or None)."""

    gallagher: float
    loosemore_hanby: float
    enp_votes: float
    enp_seats: float
    wasted_votes: int
    wasted_base: str
    wasted_base_votes: int
    majority: str | None
    two_thirds: str | None

    @property
    def wasted_share(self) -> float:
        return self.wasted_votes / self.wasted_base_votes


def wasted_base(election: Election, base_name: str) -> tuple[str, int, int]:
    """(name, size, ballots electing nobody that are not list votes) for wasted votes."""
    lists = election.party_votes
    if base_name == "registered":
        if election.participants is None:
            return "party-votes", lists, 0
        base_name = "participants"
    if base_name == "party-votes":
        return "party-votes", lists, 0
    size = election.base(base_name)
    return base_name, size, size - lists


def measure(result: Allocation) -> Measures:
    """Gallagher, Loosemore–Hanby, effective numbers, wasted votes and majorities."""
    e = result.election
    votes, seats = e.votes, result.seats
    name, size, other = wasted_base(e, result.rules.threshold_base)
    maj = metrics.majority_holder(seats)
    two = metrics.two_thirds_holder(seats)
    return Measures(
        gallagher=metrics.gallagher(votes, seats),
        loosemore_hanby=metrics.loosemore_hanby(votes, seats),
        enp_votes=metrics.effective_number_of_parties(votes),
        enp_seats=metrics.effective_number_of_parties(seats),
        wasted_votes=metrics.wasted_votes(votes, seats, other),
        wasted_base=name,
        wasted_base_votes=size,
        majority=None if maj is None else e.names[maj],
        two_thirds=None if two is None else e.names[two],
    )
