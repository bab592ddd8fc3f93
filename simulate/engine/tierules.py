"""Priorities for the tie rules of a law (``Rules.ties``), on party-major arrays.

The engine breaks every tie by a priority rank per list and draw (higher wins). "first-listed"
is its default priority (the earlier list ranks higher). "most-votes" ranks the lists by their
votes; lists with equal votes are then ranked by list order, either way round
(``later_first``), or by a lot. The callers run a tied draw under both list orders: where the
seats agree, the rule has decided the tie; where they differ, lists with equal votes shared it
and the rule cannot decide it.
"""

from __future__ import annotations

import numpy as np


def rule_priority(
    votes: np.ndarray, *, later_first: bool = False, lot: np.ndarray | None = None
) -> np.ndarray:
    """(P, k) distinct ranks 0 … P − 1 per draw: more votes rank higher; among equal votes,
    a higher ``lot`` rank (P, k) if given, else the earlier list (the later with
    ``later_first``). ``votes`` (P, k): each list's own votes (not scaled by any factor)."""
    P, k = votes.shape
    if lot is not None:
        second = np.asarray(lot, dtype=np.float64)
    else:
        order = np.arange(P, dtype=np.float64) if later_first else np.arange(P - 1, -1, -1.0)
        second = np.broadcast_to(order[:, None], (P, k))
    # ascending by votes, then by the second key: position r holds the list of rank r
    by_rank = np.lexsort((second.T, np.asarray(votes, dtype=np.float64).T))  # (k, P)
    ranks = np.empty((k, P), dtype=np.float64)
    np.put_along_axis(ranks, by_rank, np.arange(P, dtype=np.float64)[None, :], axis=1)
    return np.ascontiguousarray(ranks.T)


__all__ = ["rule_priority"]
