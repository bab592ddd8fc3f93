"""Ballots moved between two lists (``simulate.scenario.margins``): per ordered pair the
fewest that change a seat, and over all pairs the closest calls on a majority, two thirds and
the lists holding seats. Every count of a pair's path comes from one engine call; a count
with a tie is a tie, never a change.
"""

from __future__ import annotations

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
    moved = None
    if changed is None:
        changed = moved = (ev.seats != ctx.seats[None, :]).any(1)
    clean = ok & ~ev.tied
    hit = np.flatnonzero(clean & changed)
    ballots = int(ev.x[hit[0]]) if hit.size else None
    ties = np.flatnonzero(ok & ev.tied)
    to_tie = (
        int(ev.x[ties[0]]) if ties.size and (ballots is None or ev.x[ties[0]] < ballots) else None
    )
    changes: tuple[tuple[str, int], ...] = ()
    if hit.size:
        delta = ev.seats[hit[0]] - ctx.seats
        changes = tuple((names[j], int(delta[j])) for j in np.flatnonzero(delta))
    _closest(ctx, ev, clean, f, g, best, moved)
    return PairMargin(names[f], names[g], ballots, to_tie, changes)


def _closest(
    ctx: Context,
    ev: Evaluated,
    clean: np.ndarray,
    f: int,
    g: int,
    best: dict,
    moved: np.ndarray | None = None,
) -> None:
    """``moved`` (n,): where ``ev``'s seats differ from ``ctx.seats`` (when known): the
    holders are the seats' function, so only there can they differ."""
    names, h = ctx.election.names, ctx.rules.seats
    if moved is None:
        moved = (ev.seats != ctx.seats[None, :]).any(1)
    some = np.flatnonzero(clean & moved)
    if not some.size:
        return
    seats = ev.seats[some]
    for kind in CLOSEST_KINDS:
        before = _holders(kind, ctx.seats[None, :], h)[0]
        now = _holders(kind, seats, h)
        rows = some[(now != before[None, :]).any(1)]
        if not rows.size:
            continue
        x = int(ev.x[rows[0]])
        if kind not in best or x < best[kind][0]:
            who = tuple(names[j] for j in np.flatnonzero(before))
            after = tuple(names[j] for j in np.flatnonzero(_holders(kind, ev.seats[rows[0]], h)))
            best[kind] = (x, f, g, who, after)


def _holders(kind: str, seats: np.ndarray, h: int) -> np.ndarray:
    """(n, P) bool: the majority holder, the two-thirds holder, or the lists with seats."""
    if kind == "majority":
        return 2 * seats > h
    if kind == "two-thirds":
        return 3 * seats >= 2 * h
    return seats > 0


__all__ = ["CLOSEST_KINDS", "ClosestCall", "PairMargin", "pair_margin", "pair_path"]
