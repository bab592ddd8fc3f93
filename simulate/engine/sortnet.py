"""Sorting a few keys per draw for many draws at once: a fixed network of compare-exchanges.

For a (P, n) party-major array, a comparator between rows a and b is two whole-row ufunc
calls (minimum into a, maximum into b), so the network sorts all n columns together with no
per-draw work and no transpose. Batcher's odd–even merge sort is used: it is defined for powers
of two; for other P the comparators touching rows ≥ P are dropped (think of those rows as +∞,
already in place), which leaves a valid network. It needs 63 comparators for 16 rows; past a
few dozen rows a per-draw sort is cheaper (``simulate.engine.quota`` chooses).
"""

from __future__ import annotations

from functools import cache

import numpy as np


@cache
def comparators(p: int) -> tuple[tuple[int, int], ...]:
    """The (low, high) row pairs of Batcher's odd–even merge sort for ``p`` rows, in order."""
    size = 1
    while size < p:
        size *= 2
    pairs = []
    block = 1
    while block < size:  # merge sorted runs of ``block`` rows into runs of 2·block
        gap = block
        while gap >= 1:
            for start in range(gap % block, size - gap, 2 * gap):
                for i in range(min(gap, size - start - gap)):
                    lo, hi = start + i, start + i + gap
                    if lo // (2 * block) == hi // (2 * block) and hi < p:
                        pairs.append((lo, hi))
            gap //= 2
        block *= 2
    return tuple(pairs)


@cache
def _plan(p: int) -> tuple[tuple[tuple[int, int, int], ...], tuple[int, ...]]:
    """The network as buffer rows: for each comparator (a, b, spare), the minimum of rows a
    and b goes to the spare row and the maximum to b (moving row buffers, not data, saves a
    copy per comparator; row a becomes the next spare). Also, for each sorted position k,
    the row that ends up holding it."""
    rows = list(range(p))  # rows[k]: the buffer row holding sorted position k
    spare = p
    steps = []
    for lo, hi in comparators(p):
        steps.append((rows[lo], rows[hi], spare))
        rows[lo], spare = spare, rows[lo]
    return tuple(steps), tuple(rows)


def sort_columns(keys: np.ndarray, work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort every column of ``keys`` (P, n) ascending, in ``work`` (P + 1, n) of any dtype
    that holds the keys exactly. Returns ``(work, row)``: ``work[row[k]]`` is the k-th
    smallest key of every column. ``keys`` is left unchanged."""
    p = keys.shape[0]
    np.copyto(work[:p], keys, casting="unsafe")
    steps, rows = _plan(p)
    view = list(work)  # one view per row, made once: the loop below is two ufunc calls
    for a, b, spare in steps:
        np.minimum(view[a], view[b], out=view[spare])
        np.maximum(view[a], view[b], out=view[b])
    return work, np.array(rows, dtype=np.intp)
