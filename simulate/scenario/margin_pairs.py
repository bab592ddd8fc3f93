"""Ballots moved between two lists (``simulate.scenario.margins``): per ordered pair the
fewest that change a seat, and over all pairs the closest calls on a majority, two thirds and
the lists holding seats. Every count of a pair's path comes from one engine call; a count
with a tie is a tie, never a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulate import engine
from simulate.scenario.margin_context import Context
from simulate.scenario.margin_paths import Evaluated, Path

CLOSEST_KINDS = ("majority", "two-thirds", "parliament")


@dataclass(frozen=True)
class PairMargin:
    """Ballots moved from ``source`` to ``target``: the fewest that change a seat outright,
    the fewest that make a tie first (None when none comes before), and the seat changes
    (in the house). In a districted election the ballots move in ``district``, and
    ``national`` says how the national threshold's outcome changes with them (None: not)."""

    source: str
    target: str
    ballots: int | None
    ballots_to_tie: int | None
    changes: tuple[tuple[str, int], ...] = ()
    district: str | None = None
    national: str | None = None


@dataclass(frozen=True)
class ClosestCall:
    """The fewest ballots moved between two lists that change ``kind``: who holds a majority
    or two thirds (``before``/``after``: the holder's name, or nothing), or which lists hold
    seats (``before``/``after``: their names); in a districted election also ``"seat"``,
    any seat (``before``: the lists that lose one, ``after``: those that gain), and the
    ``district`` the ballots move in (``national``: how they turn the national threshold's
    outcome, if they do). When several pairs need as few ballots, the first in
    the lists' order (district, source, then target) is given."""

    kind: str
    ballots: int
    source: str
    target: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    district: str | None = None
    national: str | None = None


def pair_path(ctx: Context, f: int, g: int) -> Path:
    """Ballots moved from list f to list g: every base unchanged, at most f's votes."""
    step = np.zeros(ctx.P, dtype=np.int64)
    step[f], step[g] = -1, 1
    return ctx.path(step, 0, int(ctx.votes[f]))


def pair_margin(
    ctx: Context,
    f: int,
    g: int,
    ev: Evaluated | None,
    best: dict,
    changed: np.ndarray | None = None,
) -> PairMargin:
    """Lists f → g from the seats at the path's candidate counts (``ev``); ``best`` keeps, per
    closest call kind, (ballots, f, g, before, after) of the fewest ballots seen so far.
    ``changed`` (n,) says at which counts a seat changes when more seats than ``ev``'s can
    (a districted election: ``ev`` holds the house's, ``ctx.seats`` the reported ones)."""
    names = ctx.election.names
    if ev is None:
        return PairMargin(names[f], names[g], None, None)
    ok = ev.status == engine.OK
    clean = ok & ~ev.tied
    if changed is None:  # the first clean count where a seat moves
        first = _first(clean, lambda rows: (ev.seats[rows] != ctx.seats[None, :]).any(1))
        start = 0 if first is None else first
    else:
        hits = np.flatnonzero(clean & changed)
        first = int(hits[0]) if hits.size else None
        start = 0
    ballots = int(ev.x[first]) if first is not None else None
    ties = np.flatnonzero(ok & ev.tied)
    to_tie = (
        int(ev.x[ties[0]]) if ties.size and (ballots is None or ev.x[ties[0]] < ballots) else None
    )
    changes: tuple[tuple[str, int], ...] = ()
    if first is not None:
        delta = ev.seats[first] - ctx.seats
        changes = tuple((names[j], int(delta[j])) for j in np.flatnonzero(delta))
    if changed is not None or first is not None:  # (no seat moved: no holder changed)
        _closest(ctx, ev, clean, f, g, best, start)
    return PairMargin(names[f], names[g], ballots, to_tie, changes)


def _first(
    rows_ok: np.ndarray, test: Callable[[slice], np.ndarray], stop: int | None = None
) -> int | None:
    """The first row r < ``stop`` with ``rows_ok[r]`` and ``test(slice)[r]``, scanning in
    growing blocks (most paths change early, or a search ends at a bound)."""
    stop = rows_ok.size if stop is None else stop
    a, block = 0, 64
    while a < stop:
        b = min(stop, a + block)
        hit = np.flatnonzero(rows_ok[a:b] & test(slice(a, b)))
        if hit.size:
            return a + int(hit[0])
        a, block = b, block * 4
    return None


def _closest(
    ctx: Context, ev: Evaluated, clean: np.ndarray, f: int, g: int, best: dict, start: int = 0
) -> None:
    """Each kind's first clean count where its holders differ from the reported ones, kept
    in ``best`` when fewer ballots than any before. The holders are a function of the seats:
    no count before ``start`` (the first where a seat moves, when known) need be looked at,
    nor any with as many ballots as the best so far."""
    names, h = ctx.election.names, ctx.rules.seats
    seats = ev.seats[start:]
    for kind in CLOSEST_KINDS:
        before = _holders(kind, ctx.seats[None, :], h)[0]
        stop = int(np.searchsorted(ev.x, best[kind][0])) if kind in best else ev.x.size
        if stop <= start:
            continue

        def differs(rows: slice, kind: str = kind, before: np.ndarray = before) -> np.ndarray:
            return (_holders(kind, seats[rows], h) != before[None, :]).any(1)

        first = _first(clean[start:], differs, stop - start)
        if first is None:
            continue
        row = start + first
        who = tuple(names[j] for j in np.flatnonzero(before))
        after = tuple(names[j] for j in np.flatnonzero(_holders(kind, ev.seats[row], h)))
        best[kind] = (int(ev.x[row]), f, g, who, after)


def _holders(kind: str, seats: np.ndarray, h: int) -> np.ndarray:
    """(n, P) bool: the majority holder, the two-thirds holder, or the lists with seats."""
    if kind == "majority":
        return 2 * seats > h
    if kind == "two-thirds":
        return 3 * seats >= 2 * h
    return seats > 0


__all__ = ["CLOSEST_KINDS", "ClosestCall", "PairMargin", "pair_margin", "pair_path"]
