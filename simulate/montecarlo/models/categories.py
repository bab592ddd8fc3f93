"""The categories a Monte Carlo draw varies: the lists, and the other ballots a threshold
base counts (against all, other valid votes, invalid, did not vote), nested base by base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from simulate.election import BASE_ORDER, Election, normalise_base
from simulate.errors import InputError

GAP_NAMES = {
    "valid": "other valid votes",
    "participants": "invalid / unaccounted",
    "registered": "did not vote",
}
"""Names of the categories between two nested bases."""


AGAINST_ALL = "against all"


@dataclass(frozen=True)
class Categories:
    """The categories a draw varies and their reported counts.

    ``names``/``counts`` list the P lists first, then the extra categories of the widest base
    (against all, other valid votes, invalid / unaccounted, did not vote — each only where the
    seed gives it and it is not empty). ``rows[base]`` is how many leading categories a base
    sums: every base is a prefix because the bases are nested.
    """

    names: tuple[str, ...]
    counts: tuple[int, ...]
    n_lists: int
    rows: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def widest(self) -> str:
        return max(self.rows, key=self.rows.__getitem__)

    def index(self, name: str) -> int:
        return self.names.index(name)


def widest_base(bases: Iterable[str]) -> str:
    """The widest of some threshold bases (they are nested: party votes ⊂ valid ⊂ …)."""
    keys = [normalise_base(b) for b in bases] or ["party-votes"]
    return max(keys, key=BASE_ORDER.index)


def vote_categories(election: Election, base: str = "party-votes") -> Categories:
    """The categories of ``election`` up to threshold base ``base`` (the widest one in use).

    Against-all ballots are a category of their own where the seed gives them and the base is
    wider than the lists' votes; each base the seed gives up to ``base`` adds the gap to the
    previous one. A gap below zero (a seed whose counts do not nest) is an error.
    """
    base = normalise_base(base)
    where = election.path or election.name
    election.base(base)  # the seed must give the widest base: the error names the count
    names = list(election.names)
    counts = [int(v) for v in election.votes]
    P = len(names)
    rows = {"party-votes": P}
    level, level_name = election.party_votes, "the lists' votes"
    if base != "party-votes" and election.against_all:
        names.append(AGAINST_ALL)
        counts.append(int(election.against_all))
        level += election.against_all
        level_name = "the lists' votes plus against-all"
    for key in BASE_ORDER[1 : BASE_ORDER.index(base) + 1]:
        value = getattr(election, key)
        if value is None:
            continue
        gap = value - level
        if gap < 0:
            raise InputError(
                f"{where}: {key} ({value:,}) is smaller than {level_name} "
                f"({level:,}); the counts do not nest"
            )
        if gap:
            names.append(GAP_NAMES[key])
            counts.append(int(gap))
        rows[key] = len(names)
        level, level_name = value, key
    return Categories(tuple(names), tuple(counts), P, rows)
