"""The sorting network that ranks Hare's remainders (``simulate.engine.sortnet``).

Expected values: a network is correct iff it sorts every 0/1 input (the zero–one principle,
Knuth, TAOCP vol. 3, §5.3.4, Theorem Z), checked exhaustively up to 12 rows; larger sizes
against np.sort. Batcher's odd–even merge network for n = 2^k inputs has
(k² − k + 4)·2^(k−2) − 1 comparators (Batcher 1968, "Sorting networks and their
applications"): 63 for n = 16.
"""

import itertools

import numpy as np
import pytest

from simulate.engine.sortnet import comparators, sort_columns


@pytest.mark.parametrize("p", range(1, 13))
def test_sorts_every_zero_one_input(p):
    x = np.array(list(itertools.product([0, 1], repeat=p)), dtype=np.int32).T
    work, row = sort_columns(x, np.empty((p + 1, x.shape[1]), np.int32))
    assert (work[row] == np.sort(x, axis=0)).all()


@pytest.mark.parametrize("p", [13, 16, 17, 20, 33])
def test_sorts_random_keys_with_repeats(p):
    rng = np.random.default_rng(p)
    x = rng.integers(0, 4, (p, 5000)).astype(np.float64)
    before = x.copy()
    work, row = sort_columns(x, np.empty((p + 1, 5000)))
    assert (work[row] == np.sort(x, axis=0)).all()
    assert (x == before).all()  # the keys are left alone


def test_batcher_sizes():
    assert len(comparators(16)) == 63
    assert len(comparators(1)) == 0
    assert comparators(2) == ((0, 1),)
    assert all(lo < hi < 20 for lo, hi in comparators(20))
