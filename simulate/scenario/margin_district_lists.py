"""A list's votes to gain or lose a seat in one district, with the national threshold moving
(``district_margins``).

Votes added to list i in district d (or lost there) count in its national votes and, unless
the base is registered voters, in the national base: list i may pass (or fail) the national
threshold, and other lists fail (or pass) it as the base grows (or shrinks). Each list turns
over at most once along the path (``margin_national.national_flips``), so the path falls into
pieces with one national outcome each. ``margins``' own search (``_search``) answers with
the reported outcome held; that answer is exact when it comes before the first turn and
nothing after it is in doubt (its ``undone`` then looks past the turn with the outcome held:
a list that gains votes only sees others drop out, one that loses them others come in).
Otherwise the whole path is searched piece by piece: district d exactly as ``margins``
searches a list (the candidate counts of the piece, its ties with the list ranked first and
last), every other district under the piece's outcome once, and the list's seats in the
house compared with its reported ones by ``margins.decide``: it gains a seat outright when it
holds more in total however the ties of every district are broken.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simulate import engine
from simulate.districts import DistrictAllocation
from simulate.election import Election
from simulate.rules import Rules
from simulate.scenario.margin_context import Context
from simulate.scenario.margin_national import Outcomes, national_flips, outcome_at, turned
from simulate.scenario.margin_paths import Evaluated
from simulate.scenario.margins import ListMargin, _gain_limit, decide, ways

Found = tuple[int | None, int | None, bool]
FAR = 1 << 62  # no count of a path reaches it (the engine stops at products of 2^52)


def list_in_district(
    election: Election,
    rules: Rules,
    result: DistrictAllocation,
    outcomes: Outcomes,
    ctx: Context,
    j: int,
    i: int,
    limit: int,
    held: Found,
    *,
    up: bool,
) -> tuple[Found, list[tuple[int, int]]]:
    """(outright, tie, undone) for list i gaining (``up``) or losing votes in district j,
    with the national outcome moving, and the counts where it turns over (``ctx``: district
    j with the reported outcome; ``held``: the answer with that outcome held). ``limit``:
    the last count searched, beyond every breakpoint of district j's path (a gain path is
    searched that far past the last count where a list turns over)."""
    sign = 1 if up else -1
    step = np.zeros(ctx.P, dtype=np.int64)
    step[i] = sign
    base_step = 0 if rules.threshold_base == "registered" else sign
    passed = np.array([r.passed for r in result.national.lists], dtype=bool)
    if up:  # past the last turn the district's own breakpoints come again: search on
        flips = national_flips(election, rules, passed, step, base_step, FAR)
        limit += max((x for x, _ in flips), default=0)
    flips = national_flips(election, rules, passed, step, base_step, limit)
    first = held[0]
    if not flips or (first is not None and first < flips[0][0] and not held[2]):
        return held, flips
    s0 = int(result.totals[i])
    if (up and s0 >= rules.seats) or (not up and s0 == 0):
        return (None, None, False), flips
    starts = [0, *sorted({x for x, _ in flips})]
    parts = []
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else limit
        state = outcome_at(passed, flips, start)
        if start == 0:
            if end < 1:
                continue
            path = ctx.path(step, ctx.base_step * sign, end)
            here, shift = ctx, 0
        else:  # from start − 1, so that start itself is a candidate
            shift = start - 1
            here = outcomes.district(j, state)
            path = here.path(step, here.base_step * sign, end - start + 1, shift=shift)
        ev = here.run(path)
        if ev is None:  # no candidate: nothing changes in the piece from its start on
            if start == 0:
                continue
            ev = _nobody(ctx.P, 1)  # (nobody takes part in district j)
        favour, against = ways(here, path, ev, i)
        parts.append((replace(ev, x=ev.x + shift), ev.seats[:, i], favour, against, state))
    if not parts:
        return (None, None, False), flips
    xs, mine, best, worst, tied, status = [], [], [], [], [], []
    for ev, own, favour, against, state in parts:
        seats, other_tied, ok = _elsewhere(outcomes, state, j, i)
        xs.append(ev.x)
        mine.append(own + seats[0])
        best.append(favour + seats[1])
        worst.append(against + seats[2])
        tied.append(ev.tied | other_tied)
        status.append(ev.status if ok else np.full_like(ev.status, engine.NO_LIST))
    whole = Evaluated(
        np.concatenate(xs), np.zeros((0, 0)), np.concatenate(tied), np.concatenate(status)
    )
    found = decide(
        ctx, whole, np.concatenate(mine), np.concatenate(best), np.concatenate(worst), s0, up=up
    )
    return found, flips


def with_national(
    election: Election,
    rules: Rules,
    result: DistrictAllocation,
    outcomes: Outcomes,
    ctx: Context,
    j: int,
    i: int,
    held: ListMargin,
) -> tuple[ListMargin, list[str]]:
    """List i's margins in district j (``held``: with the reported national outcome held)
    made exact with the national outcome moving, and how the counts found move it."""
    passed = np.array([r.passed for r in result.national.lists], dtype=bool)
    gain, up = list_in_district(
        election,
        rules,
        result,
        outcomes,
        ctx,
        j,
        i,
        _gain_limit(ctx, i),
        (held.votes_to_gain_seat, held.votes_to_tie_seat, held.gain_undone),
        up=True,
    )
    loss, down = list_in_district(
        election,
        rules,
        result,
        outcomes,
        ctx,
        j,
        i,
        int(ctx.votes[i]),
        (held.votes_to_lose_seat, held.votes_to_tie_loss, held.loss_undone),
        up=False,
    )
    moves = []
    for (count, _, _), flips in ((gain, up), (loss, down)):
        if count is not None and (what := turned(election.names, passed, flips, count)):
            moves.append(what)
    exact = replace(
        held,
        votes_to_gain_seat=gain[0],
        votes_to_tie_seat=gain[1],
        gain_undone=gain[2],
        votes_to_lose_seat=loss[0],
        votes_to_tie_loss=loss[1],
        loss_undone=loss[2],
    )
    return exact, moves


def _nobody(P: int, x: int) -> Evaluated:
    return Evaluated(
        np.array([x], dtype=np.int64),
        np.zeros((1, P), dtype=np.int64),
        np.zeros(1, dtype=bool),
        np.full(1, engine.NO_LIST),
    )


def _elsewhere(
    outcomes: Outcomes, state: np.ndarray, j: int, i: int
) -> tuple[tuple[int, int, int], bool, bool]:
    """List i's seats outside district j under the outcome ``state`` (as allocated, ties its
    way, ties against it), whether a tie is there, and whether every district is filled."""
    seats, tied, status = outcomes.under(state)
    rest = np.arange(seats.shape[0]) != j
    return (
        (
            int(seats[rest, i].sum()),
            int(outcomes.list_seats(state, i, True)[rest].sum()),
            int(outcomes.list_seats(state, i, False)[rest].sum()),
        ),
        bool(tied[rest].any()),
        bool((status[rest] == engine.OK).all()),
    )


__all__ = ["list_in_district", "with_national"]
