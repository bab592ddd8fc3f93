"""Margins: the exact number of votes that would have changed the seats.

``margins(election, rules)`` answers, for the reported count:

* per list, all other counts fixed: the fewest new votes that win it one more seat outright
  (``votes_to_gain_seat``) or make that seat a tie (``votes_to_tie_seat``); the fewest votes
  whose loss costs it a seat outright or in a tie (``votes_to_lose_seat``,
  ``votes_to_tie_loss``); and the votes that carry it over every threshold, national and
  regional, or drop it below one (``votes_to_pass_threshold``, ``votes_to_fail_threshold``).
  Added or removed votes count in every base that contains them (the lists' votes,
  participants, valid votes; not registered voters), so a list 3,077 votes short of 7% of
  participants needs 3,309 new voters, each of whom also raises the bar;
* per ordered pair of lists: the fewest ballots moved from one to the other (every base
  unchanged) that change any seat, and the change;
* the closest calls: the fewest ballots moved between any two lists that change who holds a
  majority (more than half the seats), who holds two thirds, or which lists hold seats.

How it stays exact (the argument is in ``simulate.scenario.margin_paths``): along each path the
seats are a step function of the number of ballots x whose steps lie at rational breakpoints. A
superset of the breakpoints is computed, each breakpoint b gives the integers around it (ceil(b)
and floor(b) + 1 among them), and the engine allocates all those counts in one
``allocate_batch(..., detail=True)`` call (the pairs' paths that need the same lists share one
call): between two candidates nothing can change, so the
smallest candidate whose seats differ is the exact answer, whatever the method does between
candidates. Nothing is bisected, so nothing assumes monotonicity; where a larger count on the
same path undoes a change (Hare's quota moves with the total; caps and minimums), the result
says so (``gain_undone``, ``loss_undone``). For divisor methods without caps or minimums a
list's seats are monotone in its own votes (more votes lower no comparison it wins, and a list
dropped by the rising threshold only frees seats), so there only the first change of the list's
own seats is searched: the comparisons of its next (or last) quotient with every other.

A list holds a seat *outright* when it holds it however the ties of that count are broken (the
engine re-runs tied counts with the list ranked last, and first): ``votes_to_tie_seat`` is the
fewest votes at which it could hold the extra seat by some way of breaking a tie but not by
every way (None when no such count comes before the outright one); likewise for a loss. With a
seat cap or minimum, ranking a list last need not give it its fewest seats (a tie between two
others can decide which list a cap holds), so there a count with a tie is never outright, and it
is a tie when some tie-break tried (the list first, last, or the earlier list first) changes the
list's seats. A tie elsewhere in the house does not make the list's own seat a tie. For pairs
and closest calls, a count with any tie is a tie, never a change. Counts where the seats cannot
be filled (a cap or minimum the passing lists cannot meet) change nothing here. In the seat
searches a regional threshold is held as it stands at the reported count (which lists meet it):
moved or added votes are assumed to leave it alone; the threshold margins count it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from simulate import engine
from simulate.allocation import allocate
from simulate.election import Election
from simulate.errors import InputError, TieError
from simulate.rules import Rules
from simulate.scenario.margin_context import Context, refuse_unsupported
from simulate.scenario.margin_pairs import (
    CLOSEST_KINDS,
    ClosestCall,
    PairMargin,
    pair_margin,
    pair_path,
)
from simulate.scenario.margin_paths import Evaluated, Path, threshold_roots


@dataclass(frozen=True)
class ListMargin:
    """One list's margins in votes (None where no such count exists)."""

    name: str
    votes: int
    seats: int
    votes_to_gain_seat: int | None
    votes_to_tie_seat: int | None
    votes_to_lose_seat: int | None
    votes_to_tie_loss: int | None
    votes_to_pass_threshold: int | None
    votes_to_fail_threshold: int | None
    gain_undone: bool = False  # more votes than votes_to_gain_seat take the seat away again
    loss_undone: bool = False  # losing more than votes_to_lose_seat gives the seat back


@dataclass(frozen=True)
class Margins:
    """The result of ``margins``: per list, per ordered pair, and the closest calls."""

    election: Election
    rules: Rules
    lists: tuple[ListMargin, ...]
    pairs: tuple[PairMargin, ...]
    closest: tuple[ClosestCall, ...]
    notes: tuple[str, ...] = field(default=())

    def of(self, name: str) -> ListMargin:
        for m in self.lists:
            if m.name == name:
                return m
        raise InputError(f"no list named {name!r}")

    def pair(self, source: str, target: str) -> PairMargin:
        self.of(source), self.of(target)
        for p in self.pairs:
            if p.source == source and p.target == target:
                return p
        raise InputError(f"no pair {source!r} → {target!r} (a list needs votes to give)")


@contextmanager
def untied() -> Iterator[None]:
    """Margins are measured from a result, not from a lot: a tie at the reported count is an
    error that says so."""
    try:
        yield
    except TieError as exc:
        raise TieError(
            f"margins need an untied result at the reported count: {exc}", exc.lists, exc.seats
        ) from None


def margins(election: Election, rules: Rules, *, pairs: bool = True) -> Margins:
    """Every margin of ``election`` under ``rules`` (see the module docstring).

    Raises ``TieError`` when the seats at the reported count are tied (margins are measured
    from a result, not from a lot) and ``InfeasibleError`` when they cannot be filled.
    """
    if election.districts:
        raise InputError(
            f"{election.path or election.name}: a districted election: its margins are "
            "simulate.district_margins's (per district and in total)"
        )
    refuse_unsupported(election, rules)
    with untied():
        result = allocate(election, rules.replace(ties="error"))
    ctx = Context(election, rules, result.seats)
    lists = tuple(_list_margin(ctx, i) for i in range(ctx.P))
    pair_out: list[PairMargin] = []
    best: dict[str, tuple[int, int, int, tuple[str, ...], tuple[str, ...]]] = {}
    if pairs:  # every pair's candidate counts in one engine call
        which = [(f, g) for f in range(ctx.P) for g in range(ctx.P) if f != g and ctx.votes[f]]
        evaluated = ctx.run_many([pair_path(ctx, f, g) for f, g in which])
        for (f, g), ev in zip(which, evaluated, strict=True):
            pair_out.append(pair_margin(ctx, f, g, ev, best))
    names = election.names
    closest = tuple(
        ClosestCall(kind, b[0], names[b[1]], names[b[2]], b[3], b[4])
        for kind in CLOSEST_KINDS
        if (b := best.get(kind)) is not None
    )
    notes = []
    if ctx.stopped:
        notes.append(
            "counts past exact arithmetic (products of 2^52) were not searched: some searches "
            f"stop at {min(ctx.stopped):,} votes moved or added"
        )
    if rules.regional_threshold:
        out = [n for n, ok in zip(names, ctx.eligible, strict=True) if not ok]
        notes.append(
            "the regional threshold is held as at the reported count"
            + (
                f" ({', '.join(out)} {'misses' if len(out) == 1 else 'miss'} it and "
                f"{'stays' if len(out) == 1 else 'stay'} out)"
                if out
                else ""
            )
        )
    return Margins(election, rules, lists, tuple(pair_out), closest, tuple(notes))


def _list_margin(ctx: Context, i: int) -> ListMargin:
    s0 = int(ctx.seats[i])
    step = np.zeros(ctx.P, dtype=np.int64)
    step[i] = 1
    gain = _search(ctx, i, step, _gain_limit(ctx, i), s0, up=True)
    step[i] = -1
    loss = _search(ctx, i, step, int(ctx.votes[i]), s0, up=False)
    to_pass, to_fail = _threshold_margins(ctx, i)
    return ListMargin(
        ctx.election.names[i],
        int(ctx.votes[i]),
        s0,
        gain[0],
        gain[1],
        loss[0],
        loss[1],
        to_pass,
        to_fail,
        gain[2],
        loss[2],
    )


def _gain_limit(ctx: Context, i: int) -> int:
    """A count beyond every breakpoint of the gain path: quota and divisor roots lie below
    10·(h + 2)·(B + V); threshold roots are computed."""
    path = ctx.path(np.eye(ctx.P, dtype=np.int64)[i], ctx.base_step, 1)
    roots = threshold_roots(path)
    roots = roots[np.isfinite(roots)]
    far = 10 * (ctx.rules.seats + 2) * (ctx.base + int(ctx.votes.sum()))
    return int(max(far, float(roots.max(initial=0.0)))) + 3


def _search(
    ctx: Context, i: int, step: np.ndarray, limit: int, s0: int, *, up: bool
) -> tuple[int | None, int | None, bool]:
    """(outright, tie, undone) along a path that adds (``up``) or removes votes of list i."""
    if (up and s0 >= ctx.rules.seats) or (not up and s0 == 0):
        return None, None, False
    path = ctx.path(step, ctx.base_step * int(step[i]), limit)  # the base moves with the list
    own = None
    if ctx.method.family == "divisor" and not ctx.bounded:
        own = {i: np.array([s0 if up else s0 - 1])}
    ev = ctx.run(path, own)
    if ev is None:
        return None, None, False
    favour, against = ways(ctx, path, ev, i)
    return decide(ctx, ev, ev.seats[:, i], favour, against, s0, up=up)


def ways(ctx: Context, path: Path, ev: Evaluated, i: int) -> tuple[np.ndarray, np.ndarray]:
    """List i's seats at the counts of ``ev`` when ties go its way, and against it."""
    ok = ev.status == engine.OK
    favour = ev.seats[:, i].copy()
    against = favour.copy()
    tied_rows = np.flatnonzero(ok & ev.tied)
    if tied_rows.size:
        favour[tied_rows] = ctx.best_for(path, ev, tied_rows, i, first=True)
        against[tied_rows] = ctx.best_for(path, ev, tied_rows, i, first=False)
    return favour, against


def decide(
    ctx: Context,
    ev: Evaluated,
    mine: np.ndarray,
    favour: np.ndarray,
    against: np.ndarray,
    s0: int,
    *,
    up: bool,
) -> tuple[int | None, int | None, bool]:
    """(outright, tie, undone) from list i's seats at the counts of ``ev`` (as allocated,
    ties its way, ties against it), ``s0`` at the reported count."""
    ok = ev.status == engine.OK

    def moved(seats):
        return seats > s0 if up else seats < s0

    if ctx.bounded:  # ranking list i last need not give its fewest seats when a cap or
        # minimum re-runs rounds: there a tied count is never sure and never a way back
        sure, back = moved(mine) & ~ev.tied, ~moved(mine) & ~ev.tied
        maybe = moved(mine) | moved(favour) | moved(against)
    elif up:
        sure, maybe, back = against > s0, favour > s0, favour <= s0
    else:
        sure, maybe, back = favour < s0, against < s0, against >= s0
    outright = np.flatnonzero(ok & sure)
    first = int(ev.x[outright[0]]) if outright.size else None
    tie_rows = np.flatnonzero(ok & maybe & ~sure)
    tie = None
    if tie_rows.size and (first is None or ev.x[tie_rows[0]] < first):
        tie = int(ev.x[tie_rows[0]])
    undone = first is not None and bool((ok & back & (ev.x > first)).any())
    return first, tie, undone


def _threshold_margins(ctx: Context, i: int) -> tuple[int | None, int | None]:
    """New votes that carry list i over every threshold (None if it passes them all), and
    the fewest lost votes that drop it below one (None if it fails one now, or cannot fail).

    National (each list's own, under thresholds per kind; none for an exempt list) and
    regional thresholds alike: a list passes t = p/q of a base B with v votes
    when q·v − p·B ≥ 0 (≥ 1 under a strict rule). A vote added in a region raises that
    region's votes and, unless the base is registered voters, its base: each region needs its
    own count, and the national count needs the sum of the regions' or its own, whichever is
    larger (votes beyond a region's need go anywhere: more votes never hurt a region). To fail,
    one threshold suffices: the smallest of the national and regional counts."""
    rules, strict = ctx.rules, 1 if ctx.rules.strict else 0
    if ctx.exempt[i]:  # it takes part whatever it polls
        return None, None
    tests = [(ctx.thresholds[i], int(ctx.votes[i]), ctx.base, ctx.base_step)]
    regional = []
    if rules.regional_threshold and ctx.election.region_names:
        name = rules.regional_threshold_base or rules.threshold_base
        bases = ctx.election.regional_base(name)
        votes = ctx.election.regional_votes()[i]
        step = 0 if name == "registered" else 1
        regional = [
            (rules.regional_threshold, int(v), int(b), step)
            for v, b in zip(votes, bases, strict=True)
        ]
    needs, falls = [], []
    for t, v, base, step in tests + regional:
        p, q = t.numerator, t.denominator
        c = q - p * step  # > 0: each vote moves the list's side by q and the bar by p·step
        gap = p * base - q * v + strict  # passes after x more when c·x ≥ gap
        passes = gap <= 0
        needs.append(0 if passes else max(1, -(-gap // c)))
        fail = (q * v - p * base - strict) // c + 1  # fails after x fewer: c·x > −gap
        falls.append(fail if passes and fail <= v else None)
    national, regions = needs[0], needs[1:]
    to_pass = max(national, sum(regions)) or None
    to_fail = None
    if not any(needs):
        to_fail = min((x for x in falls if x is not None), default=None)
    return to_pass, to_fail


__all__ = ["ClosestCall", "ListMargin", "Margins", "PairMargin", "margins"]
