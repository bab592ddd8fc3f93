"""Ballots moved between two lists in one district (``district_margins``): for every district
and ordered pair of lists standing there, the fewest that change any seat, and over them all
the closest calls for the house (its majority, two thirds, the lists holding seats, any seat).

Moving x ballots from list f to list g in district d changes d's votes and the two lists'
national votes (f by −x, g by +x); every threshold base stays as it was (a moved ballot is
still cast). So the national threshold's outcome can change only for f, which fails it from
x_f = V_f − need_f + 1 on, and for g, which passes it from x_g = need_g − V_g on; nothing else
outside district d depends on x. The path is cut at those counts into at most three pieces,
each with one national outcome. Inside a piece district d is a constituency of its own with
the lists below the national threshold held out, searched as ``margins`` searches a pair (the
same candidate counts and engine calls, the first piece of every pair of a district in one
call); the other districts' seats under each national outcome come from one
``allocate_batch`` call. A count changes a seat when any district's seats differ from the
reported ones, and a count with a tie in any district is a tie, never a change. The answers
are therefore exact with the national effect included; a pair's ``national`` says when the
count found also moves the national outcome.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simulate import engine
from simulate.districts import DistrictAllocation
from simulate.election import Election
from simulate.rules import Rules
from simulate.scenario.margin_context import Context
from simulate.scenario.margin_national import Outcomes, national_flips, turned
from simulate.scenario.margin_pairs import (
    CLOSEST_KINDS,
    ClosestCall,
    PairMargin,
    pair_margin,
    pair_path,
)
from simulate.scenario.margin_paths import Evaluated

DISTRICT_CLOSEST_KINDS = (*CLOSEST_KINDS, "seat")


def _move(P: int, f: int, g: int) -> np.ndarray:
    step = np.zeros(P, dtype=np.int64)
    step[f], step[g] = -1, 1
    return step


def district_pairs(
    election: Election,
    rules: Rules,
    result: DistrictAllocation,
    house: Context,
    outcomes: Outcomes | None = None,
) -> tuple[tuple[PairMargin, ...], tuple[ClosestCall, ...]]:
    """Every (district, source, target) pair's margin and the closest calls (see the
    module). ``house`` is the national count as one constituency with the reported totals
    (its names, seats and house size measure the closest calls)."""
    names = election.names
    votes = election.district_votes()
    D, P = votes.shape
    passed = np.array([r.passed for r in result.national.lists], dtype=bool)
    outcomes = outcomes or Outcomes(election, rules, result)
    best: dict = {}
    found_in: dict[str, int] = {}
    events_of: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    pairs: list[PairMargin] = []
    for j, district in enumerate(election.districts):
        ctx = outcomes.district(j, passed)
        which = [
            (f, g)
            for f in range(P)
            for g in range(P)
            if f != g and votes[j, f] > 0 and result.stood[j, g]
        ]
        events = [
            national_flips(election, rules, passed, _move(P, f, g), 0, int(votes[j, f]))
            for f, g in which
        ]
        first = []
        for (f, g), ev in zip(which, events, strict=True):
            path = pair_path(ctx, f, g)
            first.append(path.with_limit(ev[0][0] - 1) if ev else path)
        evaluated = ctx.run_many(first)
        events_of.update({(j, f, g): ev for (f, g), ev in zip(which, events, strict=True)})
        seen = dict(best)
        for (f, g), ev0, ev in zip(which, evaluated, events, strict=True):
            pm = _pair(election, ctx, house, outcomes, j, f, g, ev0, ev, passed, best)
            pairs.append(replace(pm, district=district.name))
        for kind, value in best.items():
            if seen.get(kind) is not value:  # found in this district
                found_in[kind] = j
    closest = []
    for kind in CLOSEST_KINDS:
        if (b := best.get(kind)) is not None:
            x, f, g, before, after = b
            j = found_in[kind]
            national = turned(names, passed, events_of[(j, f, g)], x)
            where = election.districts[j].name
            closest.append(ClosestCall(kind, x, names[f], names[g], before, after, where, national))
    moved = [p for p in pairs if p.ballots is not None]
    if moved:
        p = min(moved, key=lambda p: p.ballots or 0)  # the first of the fewest
        lose = tuple(n for n, d in p.changes if d < 0)
        gain = tuple(n for n, d in p.changes if d > 0)
        closest.append(
            ClosestCall(
                "seat", p.ballots or 0, p.source, p.target, lose, gain, p.district, p.national
            )
        )
    return tuple(pairs), tuple(closest)


def _pair(
    election: Election,
    ctx: Context,
    house: Context,
    outcomes: Outcomes,
    j: int,
    f: int,
    g: int,
    ev0: Evaluated | None,
    events: list[tuple[int, int]],
    passed: np.ndarray,
    best: dict,
) -> PairMargin:
    """One pair of district j: its pieces put together, measured on the house's seats."""
    limit = int(ctx.votes[f])
    pieces: list[tuple[Evaluated, np.ndarray]] = []  # (district j at the counts, the outcome)
    if ev0 is not None:
        pieces.append((ev0, passed))
    state = passed.copy()
    starts = [x for x, _ in events]
    for k, (start, who) in enumerate(events):
        state = state.copy()
        state[who] = not state[who]
        end = starts[k + 1] - 1 if k + 1 < len(starts) else limit
        if end < start:  # both lists turn over at the same count
            continue
        pieces.append((_piece(outcomes, j, f, g, start, end, state), state))
    if not pieces:
        return pair_margin(house, f, g, None, best)
    xs, seats, tied, status, changed = [], [], [], [], []
    reported = ctx.seats
    for ev, outcome in pieces:
        rest, differs, rest_tied, rest_ok = outcomes.elsewhere(outcome, j)
        xs.append(ev.x)
        seats.append(ev.seats + rest[None, :])
        tied.append(ev.tied | rest_tied)
        status.append(ev.status if rest_ok else np.full_like(ev.status, engine.NO_LIST))
        changed.append(differs | (ev.seats != reported[None, :]).any(1))
    whole = Evaluated(
        np.concatenate(xs), np.concatenate(seats), np.concatenate(tied), np.concatenate(status)
    )
    pm = pair_margin(house, f, g, whole, best, np.concatenate(changed))
    if pm.ballots is None:
        return pm
    return replace(pm, national=turned(election.names, passed, events, pm.ballots))


def _piece(
    outcomes: Outcomes, j: int, f: int, g: int, start: int, end: int, state: np.ndarray
) -> Evaluated:
    """District j's seats at the candidate counts start … end of f → g with the national
    outcome ``state``: a path from start − 1 (so that start itself is a candidate)."""
    here = outcomes.district(j, state)
    ev = here.run(here.path(_move(here.P, f, g), 0, end - start + 1, shift=start - 1))
    if ev is None:  # nobody takes part in district j: its seats cannot be filled
        x = np.array([1], dtype=np.int64)
        return Evaluated(
            x + start - 1,
            np.zeros((1, here.P), dtype=np.int64),
            np.zeros(1, dtype=bool),
            np.full(1, engine.NO_LIST),
        )
    return replace(ev, x=ev.x + start - 1)


__all__ = ["DISTRICT_CLOSEST_KINDS", "district_pairs"]
