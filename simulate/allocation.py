"""``allocate``: rules applied to one election's votes on the one engine, with every list's
eligibility and why, and the tie if any (``Allocation``). ``simulate.batch.allocate_batch``
is the same for N draws at once. Both apply the threshold exactly (``simulate.threshold``)
and call ``simulate.engine.allocate_pm``.

The public entry above its two paths: ``simulate.plain`` (every list on its own) and
``simulate.alliances`` (alliances pooled for the allocation, two plain allocations composed).
The result types live in ``simulate.outcome`` and are named here too, their public home.
"""

from __future__ import annotations

import numpy as np

from simulate.alliances import allocate_pooled
from simulate.election import Election
from simulate.errors import InputError
from simulate.filekeys import shown
from simulate.outcome import (
    Allocation,
    ListResult,
    Tie,
    check_call,
    regional_notes,
    shortfalls,
)
from simulate.plain import allocate_plain
from simulate.rules import Rules


def allocate(
    election: Election, rules: Rules, *, rng: np.random.Generator | None = None
) -> Allocation:
    """Allocate the seats of one election under ``rules``.

    Raises ``TieError`` naming the tied lists under ties="error", ``InfeasibleError`` when no
    list passes or a cap or minimum (or a rounded quota) makes the seats impossible to fill.
    Under ties="lot" a tie is decided with ``rng`` (required then) and reported in
    ``Allocation.tie``; under a tie rule of a law ("first-listed", "most-votes",
    "most-votes-then-lot") it is decided by the rule and reported with ``Tie.rule`` (a
    most-votes tie among equal votes raises ``TieError``, or goes to a lot with ``rng``).
    ``rules.quotient_factors`` look up each list's ``kind``.
    """
    if not isinstance(election, Election):
        raise InputError(f"election: need an Election, not {shown(election)}")
    check_call(rules, rng)
    if any(a.pools_allocation for a in rules.alliances):
        return allocate_pooled(election, rules, rng=rng)  # allocated as one, then split
    return allocate_plain(election, rules, rng=rng)


__all__ = [
    "Allocation",
    "ListResult",
    "Tie",
    "allocate",
    "check_call",
    "regional_notes",
    "shortfalls",
]
