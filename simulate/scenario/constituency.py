"""A rule set applied to an election in its districts or in one national constituency, and
what districts add to a scenario's results: the seats changing hands district by district,
and the metrics of each district.

``allocate_in`` is the one place a scenario chooses between ``allocate_districts`` (each
district allocated on its own; the totals are the ``national`` Allocation of the result) and
``allocate`` (the districts' votes pooled in one constituency). Both are the one engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import metrics
from simulate.allocation import Allocation, allocate
from simulate.districts import DistrictAllocation, allocate_districts
from simulate.election import Election
from simulate.rules import Rules


def allocate_in(
    election: Election,
    rules: Rules,
    *,
    national: bool = False,
    rng: np.random.Generator | None = None,
) -> tuple[Allocation, DistrictAllocation | None]:
    """(the totals, the districted result or None): district by district when the election
    has districts and ``national`` is false, else one constituency (pooled districts)."""
    if election.districts and not national:
        found = allocate_districts(election, rules, rng=rng)
        return found.national, found
    return allocate(election, rules, rng=rng), None


def district_changes(a: DistrictAllocation, b: DistrictAllocation) -> tuple[int | float, ...]:
    """Seats changing hands in each district between two allocations of the same districts
    (½ Σ |s − s'| over the lists; a whole number, as both fill the same seats)."""
    return tuple(
        metrics.seats_changing_hands(a.seats[j], b.seats[j]) for j in range(len(a.districts))
    )


@dataclass(frozen=True)
class DistrictMeasures:
    """The metrics of one district: Gallagher and Loosemore–Hanby (percentage points, vote
    shares of the district's votes for lists), the effective numbers of parties, and the votes
    for lists that won no seat there (``wasted_votes``, a ``wasted_share`` of ``votes``)."""

    district: str
    seats: int
    votes: int
    gallagher: float
    loosemore_hanby: float
    enp_votes: float
    enp_seats: float
    wasted_votes: int

    @property
    def wasted_share(self) -> float:
        return self.wasted_votes / self.votes if self.votes else 0.0


def measure_districts(result: DistrictAllocation) -> tuple[DistrictMeasures, ...]:
    """Each district's metrics, on its own votes for lists and seats (the lists that did not
    stand there count with zero votes and seats, which changes none of them)."""
    votes = result.election.district_votes()
    out = []
    for j, name in enumerate(result.districts):
        v, s = votes[j], result.seats[j]
        out.append(
            DistrictMeasures(
                district=name,
                seats=int(s.sum()),
                votes=int(v.sum()),
                gallagher=metrics.gallagher(v, s),
                loosemore_hanby=metrics.loosemore_hanby(v, s),
                enp_votes=metrics.effective_number_of_parties(v),
                enp_seats=metrics.effective_number_of_parties(s),
                wasted_votes=metrics.wasted_votes(v, s),
            )
        )
    return tuple(out)


__all__ = ["DistrictMeasures", "allocate_in", "district_changes", "measure_districts"]
