"""Work arrays for the allocation kernels, and two helpers on party-major (P, n) arrays.

``scratch()`` is this thread's pool of work arrays, reused across calls (fresh large
temporaries cost page faults, which here cost as much as the arithmetic); ``fresh`` has the
same signature and hands out new arrays. ``count_true`` and ``take_cols`` are the per-draw
count and the column gather every kernel uses.
"""

from __future__ import annotations

import math
import threading
from typing import Protocol

import numpy as np


def count_true(mask: np.ndarray) -> np.ndarray:
    """True entries per draw (column). Summing the bytes as int8 needs no cast and is several
    times faster than a bool or int16 sum; it holds up to 127 lists (int64 beyond). Compare
    the result, or promote it (``astype``, or arithmetic with a float), before adding to it:
    int8 arithmetic would wrap."""
    if mask.shape[0] < 128:
        return np.add.reduce(mask.view(np.int8), axis=0, dtype=np.int8)
    return np.add.reduce(mask, axis=0, dtype=np.int64)


def take_cols(a: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Columns ``cols`` (indices) of a (P, n) array as a new C-ordered array. ``a[:, cols]``
    comes out in Fortran order, and mixing orders slows every later ufunc threefold."""
    return np.take(a, cols, axis=1)


class Pool(Protocol):
    """Where a kernel gets a work array: ``scratch()`` (reused across calls) or ``fresh``."""

    def __call__(
        self, name: str, shape: tuple[int, ...], dtype: type = np.float64
    ) -> np.ndarray: ...


class Scratch:
    """Work arrays reused across calls (fresh large temporaries cost page faults, which here
    cost as much as the arithmetic). One pool per thread; ``fresh`` hands out new arrays for
    calls whose results must outlive the next call."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, type], np.ndarray] = {}
        # the last view handed out per request (name, shape, dtype)
        self._views: dict[tuple[str, tuple[int, ...], type], np.ndarray] = {}

    def __call__(self, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        request = (name, shape, dtype)
        view = self._views.get(request)
        if view is not None:
            return view
        size = math.prod(shape)
        key = (name, dtype)
        buf = self._store.get(key)
        if buf is None or buf.size < size:
            buf = np.empty(size + 64, dtype=dtype)  # a little slack: fewer re-allocations
            self._store[key] = buf
            self._views = {k: v for k, v in self._views.items() if k[::2] != key}
        if len(self._views) > 256:  # shapes of subsets vary from call to call
            self._views.clear()
        view = self._views[request] = buf[:size].reshape(shape)
        return view


def fresh(name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    return np.empty(shape, dtype=dtype)


_local = threading.local()


def scratch() -> Scratch:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = Scratch()
    return pool
