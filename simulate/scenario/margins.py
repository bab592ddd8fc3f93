"""Margins: the exact number of votes that would have changed the seats.

``margins(election, rules)`` answers, for the reported count:

* per list, all other counts fixed: the fewest new votes that win it one more seat outright
  (``votes_to_gain_seat``) or make that seat a tie (``votes_to_tie_seat``); the fewest votes
  whose loss costs it a seat outright or in a tie (``votes_to_lose_seat``,
  ``votes_to_tie_loss``); and the votes that carry it over the national threshold or drop it
  below (``votes_to_pass_threshold``, ``votes_to_fail_threshold``). Added or removed votes
  count in every base that contains them (the lists' votes, participants, valid votes; not
  registered voters), so a list 3,077 votes short of 7% of participants needs 3,309 new
  voters, each of whom also raises the bar;
* per ordered pair of lists: the fewest ballots moved from one to the other (every base
  unchanged) that change any seat, and the change;
* the closest calls: the fewest ballots moved between any two lists that change who holds a
  majority (more than half the seats), who holds two thirds, or which lists hold seats.

How it stays exact (the argument is in ``simulate.scenario.margin_paths``): along each path the
seats are a step function of the number of ballots x whose steps lie at rational breakpoints. A
superset of the breakpoints is computed, each breakpoint b gives the integers around it (ceil(b)
and floor(b) + 1 among them), and the engine allocates all those counts in one
``allocate_batch(..., detail=True)`` call: between two candidates nothing can change, so the
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
be filled (a cap or minimum the passing lists cannot meet) change nothing here. A regional
threshold is held as it stands at the reported count (which lists meet it): moved or added votes
are assumed to leave it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from simulate import engine
from simulate.allocation import allocate
from simulate.election import Election
from simulate.eligibility import regional_pass
from simulate.errors import InputError, TieError
from simulate.rules import Rules
from simulate.scenario.margin_paths import (
    Evaluated,
    Path,
    candidates,
    divisor_roots,
    evaluate,
    exact_limit,
    pieces,
    quota_roots,
    threshold_roots,
)
from simulate.threshold import min_votes_rows

CLOSEST_KINDS = ("majority", "two-thirds", "parliament")


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
class PairMargin:
    """Ballots moved from ``source`` to ``target``: the fewest that change a seat outright,
    the fewest that make a tie first (None when none comes before), and the seat changes."""

    source: str
    target: str
    ballots: int | None
    ballots_to_tie: int | None
    changes: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ClosestCall:
    """The fewest ballots moved between two lists that change ``kind``: who holds a majority
    or two thirds (``before``/``after``: the holder's name, or nothing), or which lists hold
    seats (``before``/``after``: their names)."""

    kind: str
    ballots: int
    source: str
    target: str
    before: tuple[str, ...]
    after: tuple[str, ...]


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


def margins(election: Election, rules: Rules, *, pairs: bool = True) -> Margins:
    """Every margin of ``election`` under ``rules`` (see the module docstring).

    Raises ``TieError`` when the seats at the reported count are tied (margins are measured
    from a result, not from a lot) and ``InfeasibleError`` when they cannot be filled.
    """
    try:
        result = allocate(election, rules.replace(ties="error"))
    except TieError as exc:
        raise TieError(
            f"margins need an untied result at the reported count: {exc}", exc.lists, exc.seats
        ) from None
    ctx = _Context(election, rules, result.seats)
    lists = tuple(_list_margin(ctx, i) for i in range(ctx.P))
    pair_out: list[PairMargin] = []
    best: dict[str, tuple[int, int, int, tuple[str, ...], tuple[str, ...]]] = {}
    if pairs:
        for f in range(ctx.P):
            for g in range(ctx.P):
                if f != g and ctx.votes[f] > 0:
                    pair_out.append(_pair(ctx, f, g, best))
    names = election.names
    closest = tuple(
        ClosestCall(kind, b[0], names[b[1]], names[b[2]], b[3], b[4])
        for kind in CLOSEST_KINDS
        if (b := best.get(kind)) is not None
    )
    notes = []
    if rules.regional_threshold:
        notes.append("the regional threshold is held as at the reported count")
    return Margins(election, rules, lists, tuple(pair_out), closest, tuple(notes))


class _Context:
    """What every path of one election shares."""

    def __init__(self, election: Election, rules: Rules, seats: np.ndarray):
        self.election, self.rules, self.method = election, rules, rules.method_spec
        self.votes = election.votes
        self.P = self.votes.size
        self.seats = seats.astype(np.int64)
        self.base = election.base(rules.threshold_base)
        self.base_step = 0 if rules.threshold_base == "registered" else 1
        self.eligible = np.array(regional_pass(election, rules), dtype=bool)
        self.bounded = rules.max_seats is not None or bool(rules.min_seats)

    def path(self, step: np.ndarray, base_step: int, limit: int) -> Path:
        return Path(self.votes, step, self.base, base_step, limit, self.eligible)

    def passes(self, path: Path, x: int) -> np.ndarray:
        need = min_votes_rows(
            self.rules.threshold, np.array([path.base + x * path.base_step]), self.rules.strict
        )[0]
        v = path.at(x)
        return (v >= need) & (v > 0) & path.eligible

    def run(self, path: Path, own: dict[int, np.ndarray] | None = None) -> Evaluated | None:
        """The seats at every candidate count of ``path`` (None: nothing can change)."""
        columns = np.flatnonzero(self.passes(path, 0) | self.passes(path, path.limit))
        if columns.size == 0 or path.limit < 1:
            return None
        path = Path(
            path.votes,
            path.step,
            path.base,
            path.base_step,
            exact_limit(path, self.method, self.rules, columns.size),
            path.eligible,
        )
        roots = threshold_roots(path, self.rules)
        parts = pieces(path, self.rules, roots)
        if self.method.family == "quota":
            more = quota_roots(path, self.method, self.rules, parts)
        else:
            more = divisor_roots(path, self.method, self.rules, parts, own)
        xs = candidates(path, np.concatenate([roots, more]))
        return evaluate(path, self.rules, xs, columns) if xs.size else None

    def best_for(
        self, path: Path, ev: Evaluated, rows: np.ndarray, i: int, first: bool
    ) -> np.ndarray:
        """Seats of list i at the tied ``rows`` when ties go its way (``first``) or against."""
        v = path.votes[None, :] + ev.x[rows, None] * path.step[None, :]
        base = path.base + ev.x[rows] * path.base_step
        need = min_votes_rows(self.rules.threshold, base, self.rules.strict)
        ok = (v >= need[:, None]) & path.eligible[None, :]
        vm = np.ascontiguousarray((v * ok).T.astype(np.float64))
        # ranks P … 1 (the earlier list higher, as by default; the kernels want them ≥ 0),
        # list i above all or below all
        prio = np.arange(self.P, 0, -1, dtype=np.float64)[:, None]
        prio[i, 0] = self.P + 1.0 if first else 0.0
        res = engine.allocate_pm(
            self.method,
            vm,
            None,
            self.rules.seats,
            max_seats=self.rules.max_seats,
            min_seats=self.rules.min_seats,
            priority=prio,
        )
        return np.where(res.status == engine.OK, res.seats[i], self.seats[i])


def _list_margin(ctx: _Context, i: int) -> ListMargin:
    rules, s0 = ctx.rules, int(ctx.seats[i])
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
        to_pass if rules.threshold or rules.strict else None,
        to_fail,
        gain[2],
        loss[2],
    )


def _gain_limit(ctx: _Context, i: int) -> int:
    """A count beyond every breakpoint of the gain path: quota and divisor roots lie below
    10·(h + 2)·(B + V); threshold roots are computed."""
    path = ctx.path(np.eye(ctx.P, dtype=np.int64)[i], ctx.base_step, 1)
    roots = threshold_roots(path, ctx.rules)
    roots = roots[np.isfinite(roots)]
    far = 10 * (ctx.rules.seats + 2) * (ctx.base + int(ctx.votes.sum()))
    return int(max(far, float(roots.max(initial=0.0)))) + 3


def _search(
    ctx: _Context, i: int, step: np.ndarray, limit: int, s0: int, *, up: bool
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
    ok = ev.status == engine.OK
    favour = ev.seats[:, i].copy()  # list i's seats when ties go its way, and against it
    against = favour.copy()
    tied_rows = np.flatnonzero(ok & ev.tied)
    if tied_rows.size:
        favour[tied_rows] = ctx.best_for(path, ev, tied_rows, i, first=True)
        against[tied_rows] = ctx.best_for(path, ev, tied_rows, i, first=False)

    def moved(seats):
        return seats > s0 if up else seats < s0

    if ctx.bounded:  # ranking list i last need not give its fewest seats when a cap or
        # minimum re-runs rounds: there a tied count is never sure and never a way back
        mine = ev.seats[:, i]
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


def _threshold_margins(ctx: _Context, i: int) -> tuple[int | None, int | None]:
    """New votes that carry list i over the national threshold (None if it passes), and the
    lost votes that drop it below (None if it fails or cannot fail), exactly."""
    t: Fraction = ctx.rules.threshold
    p, q = t.numerator, t.denominator
    v, B, dB = int(ctx.votes[i]), ctx.base, ctx.base_step
    c = q - p * dB  # > 0: each vote moves the list's side by q and the bar by p·dB
    strict = 1 if ctx.rules.strict else 0
    # passes at x added: q(v + x) − p(B + x·dB) ≥ strict  ⇔  c·x ≥ pB − qv + strict
    need = p * B - q * v + strict
    passes_now = need <= 0 and v > 0
    to_pass = None
    if not passes_now:
        to_pass = max(1, -(-need // c))
    to_fail = None
    if passes_now:  # fails at x removed: c·x > qv − pB − strict
        x = (q * v - p * B - strict) // c + 1
        to_fail = x if x <= v else None
    return to_pass, to_fail


def _pair(ctx: _Context, f: int, g: int, best: dict) -> PairMargin:
    names = ctx.election.names
    step = np.zeros(ctx.P, dtype=np.int64)
    step[f], step[g] = -1, 1
    path = ctx.path(step, 0, int(ctx.votes[f]))
    ev = ctx.run(path)
    if ev is None:
        return PairMargin(names[f], names[g], None, None)
    ok = ev.status == engine.OK
    changed = (ev.seats != ctx.seats[None, :]).any(1)
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
    _closest(ctx, ev, clean, f, g, best)
    return PairMargin(names[f], names[g], ballots, to_tie, changes)


def _closest(ctx: _Context, ev: Evaluated, clean: np.ndarray, f: int, g: int, best: dict) -> None:
    names, h = ctx.election.names, ctx.rules.seats
    for kind in CLOSEST_KINDS:
        before = _holders(kind, ctx.seats[None, :], h)[0]
        now = _holders(kind, ev.seats, h)
        differs = clean & (now != before[None, :]).any(1)
        rows = np.flatnonzero(differs)
        if not rows.size:
            continue
        x = int(ev.x[rows[0]])
        if kind not in best or x < best[kind][0]:
            who = tuple(names[j] for j in np.flatnonzero(before))
            after = tuple(names[j] for j in np.flatnonzero(now[rows[0]]))
            best[kind] = (x, f, g, who, after)


def _holders(kind: str, seats: np.ndarray, h: int) -> np.ndarray:
    """(n, P) bool: the majority holder, the two-thirds holder, or the lists with seats."""
    if kind == "majority":
        return 2 * seats > h
    if kind == "two-thirds":
        return 3 * seats >= 2 * h
    return seats > 0


__all__ = ["ClosestCall", "ListMargin", "Margins", "PairMargin", "margins"]
