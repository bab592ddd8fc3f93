"""``allocate`` and ``allocate_batch``: rules applied to votes on the one engine.

``allocate(election, rules)`` answers for one election with every list's eligibility and why;
``allocate_batch(votes, rules)`` answers for an (N, P) array of draws. Both apply the threshold
exactly (``simulate.threshold``) and call ``simulate.engine.allocate_pm``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike

from simulate import engine
from simulate.election import BASE_WORDS, Election
from simulate.eligibility import Shortfall, assess
from simulate.engine import take_cols
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.filekeys import shown
from simulate.methods import (
    EXACT_LIMIT,
    Method,
    check_exact,
    exactness_bound,
)
from simulate.rules import Rules
from simulate.threshold import as_fraction, format_percent, min_votes_rows
from simulate.wording import plural

CHUNK_CELLS = 160_000
"""Cells (draws × lists) per engine call in ``allocate_batch``: keeps work arrays in cache."""


TRANSPOSE_BLOCK = 1024
"""Draws per block when turning (N, P) votes party-major."""


@dataclass(frozen=True)
class ListResult:
    """One list's outcome: seats, whether it took part, and why not: ``reasons`` in words,
    ``shortfalls`` in numbers (each threshold missed, the votes had and needed), ``short_by``
    the votes short of the national threshold."""

    name: str
    votes: int
    share: Fraction
    passed: bool
    seats: int
    reasons: tuple[str, ...] = ()
    short_by: int | None = None
    official_seats: int | None = None
    shortfalls: tuple[Shortfall, ...] = ()


@dataclass(frozen=True)
class Tie:
    """The last seat(s) had more than one valid owner."""

    lists: tuple[str, ...]
    seats: int
    decided_by_lot: bool

    def describe(self) -> str:
        s = "seat" if self.seats == 1 else "seats"
        how = "decided by lot" if self.decided_by_lot else "undecided"
        return f"tie for the last {self.seats} {s} between {', '.join(self.lists)} ({how})"


REPR_LISTS = 6
"""How many lists ``repr(Allocation)`` names before "… N more"."""


@dataclass(frozen=True)
class Allocation:
    """The result of ``allocate``: per-list seats, eligibility and why, ties, the rules used."""

    election: Election
    rules: Rules
    lists: tuple[ListResult, ...]
    base: int
    threshold_votes: int
    tie: Tie | None = None
    regional_checked: bool | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def seats(self) -> np.ndarray:
        return np.array([r.seats for r in self.lists], dtype=np.int64)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.lists)

    def seats_of(self, name: str) -> int:
        for r in self.lists:
            if r.name == name:
                return r.seats
        raise InputError(f"no list named {name!r}")

    def as_dict(self) -> dict[str, int]:
        """{list name: seats} for the lists that won seats, largest first."""
        won = [r for r in self.lists if r.seats]
        return {r.name: r.seats for r in sorted(won, key=lambda r: -r.seats)}

    def __repr__(self) -> str:
        """One line: the method, the house, the threshold and cap, and the seats won, e.g.
        'Allocation(hare, 120 seats, 7% of participants, at most 65: Birimdik 46, …)'."""
        rules = self.rules
        parts = [rules.method, plural(rules.seats, "seat")]
        if rules.threshold:
            more = "more than " if rules.strict else ""
            parts.append(
                f"{more}{format_percent(rules.threshold)} of {BASE_WORDS[rules.threshold_base]}"
            )
        if rules.regional_threshold:
            parts.append(f"{format_percent(rules.regional_threshold)} in every region")
        if rules.max_seats is not None:
            parts.append(f"at most {rules.max_seats}")
        if rules.min_seats:
            parts.append(f"at least {rules.min_seats}")
        won = [f"{name} {seats}" for name, seats in self.as_dict().items()]
        if len(won) > REPR_LISTS:
            won[REPR_LISTS:] = [f"… {len(won) - REPR_LISTS} more"]
        tie = ""
        if self.tie is not None:
            tie = f"; tie for {plural(self.tie.seats, 'seat')} decided by lot"
        return f"Allocation({', '.join(parts)}: {', '.join(won) or 'no seats'}{tie})"


def shortfalls(result: Allocation) -> tuple[tuple[Shortfall, ...], ...]:
    """For each list (seed order), the thresholds it missed; empty for a list that passed."""
    return tuple(r.shortfalls for r in result.lists)


def check_call(rules: Rules, rng: np.random.Generator | None) -> None:
    """The rules must be a ``Rules`` and a generator a ``numpy.random.Generator`` (checked at
    once, not when a tie first needs the lot)."""
    if not isinstance(rules, Rules):
        raise InputError(f"rules: need a Rules, not {shown(rules)}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise InputError(
            f"rng: need a numpy.random.Generator (numpy.random.default_rng(seed)), not {shown(rng)}"
        )


def allocate(
    election: Election, rules: Rules, *, rng: np.random.Generator | None = None
) -> Allocation:
    """Allocate the seats of one election under ``rules``.

    Raises ``TieError`` naming the tied lists under ties="error", ``InfeasibleError`` when no
    list passes or a cap or minimum makes the seats impossible to fill. Under ties="lot" a tie
    is decided with ``rng`` (required then) and reported in ``Allocation.tie``.
    """
    if not isinstance(election, Election):
        raise InputError(f"election: need an Election, not {shown(election)}")
    check_call(rules, rng)
    method = rules.method_spec
    elig = assess(election, rules)
    passed = np.array(elig.passed)
    base, vmin, checked = elig.base, elig.threshold_votes, elig.regional_checked
    votes = election.votes
    where = election.path or election.name
    try:
        check_exact(
            method, float(votes.max(initial=0)), float(votes.sum()), rules.seats, len(votes)
        )
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    v = votes.astype(np.float64)[:, None]
    res = engine.allocate_pm(
        method,
        v,
        passed[:, None],
        rules.seats,
        max_seats=rules.max_seats,
        min_seats=rules.min_seats,
    )
    tie = None
    if res.tied[0]:
        free = passed & (votes > 0) if res.free is None else res.free[:, 0]
        if res.status[0] == engine.OK and _last_round_tied(method, v, res, free, rules.seats):
            lists, at_stake = _tie_detail(method, votes, res.seats[:, 0], free, election)
            when = ""
        else:  # a tie before a cap or minimum held lists (or left the seats unfilled)
            lists, at_stake, when = _earlier_tie(method, votes, v, passed, rules, election)
        if rules.ties == "error":
            raise TieError(
                f"{where}: tie for the last {plural(at_stake, 'seat')} between {', '.join(lists)} "
                f'under {method.label}{when}; set ties = "lot" to decide it by lot',
                lists,
                at_stake,
            )
        if rng is None:
            raise InputError(
                f'{where}: ties = "lot" needs a random generator to draw the lot: '
                "pass rng=numpy.random.default_rng(seed)"
            )
        res = engine.allocate_pm(
            method,
            v,
            passed[:, None],
            rules.seats,
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            lots=lambda cols: engine.lot_priority(rng, len(votes), 1),
        )
        tie = Tie(lists, at_stake, True)
    status = int(res.status[0])  # (after a lot: whether the seats fill may hang on it)
    if status != engine.OK:
        detail, text = "", engine.STATUS_TEXT[status]
        n_pass = int((passed & (votes > 0)).sum())
        passing = f"{n_pass} list passes" if n_pass == 1 else f"{n_pass} lists pass"
        counts_fit = (rules.max_seats is None or n_pass * rules.max_seats >= rules.seats) and (
            rules.min_seats is None or n_pass * rules.min_seats <= rules.seats
        )
        house = plural(rules.seats, "seat")
        if status in (engine.CAP_TOO_LOW, engine.MIN_TOO_HIGH) and counts_fit:
            # the counts allow it, but holding lists at the bounds round by round got stuck
            # (with one bound, counts that fit always fill the house: both bounds are set)
            assert rules.max_seats is not None and rules.min_seats is not None
            text = (
                "holding lists at the seat cap and at the minimum round by round (a held "
                "list stays held) cannot fill the seats exactly"
            )
            detail = (
                f" ({passing}, at most {rules.max_seats} and at least "
                f"{plural(rules.min_seats, 'seat')} each, {house})"
            )
        elif status == engine.CAP_TOO_LOW:
            assert rules.max_seats is not None  # the engine reports it only under a cap
            detail = f" ({passing}, at most {plural(rules.max_seats, 'seat')} each, {house})"
        elif status == engine.MIN_TOO_HIGH:
            assert rules.min_seats is not None  # the engine reports it only under a minimum
            detail = f" ({passing}, at least {plural(rules.min_seats, 'seat')} each, {house})"
        if tie is not None:
            detail += (
                f"; a lot decided it (the tie between {', '.join(tie.lists)}): "
                "another lot may fill the seats"
            )
        raise InfeasibleError(f"{where}: {text}{detail}")
    seats = res.seats[:, 0]
    results = []
    for i, p in enumerate(election.parties):
        missed = elig.shortfalls[i]
        why = [m.sentence(base, rules.strict) for m in missed]
        if passed[i] and votes[i] == 0:
            why.append("no votes")
        national = [m for m in missed if m.region is None]
        results.append(
            ListResult(
                name=p.name,
                votes=int(votes[i]),
                share=Fraction(int(votes[i]), base) if base else Fraction(0),
                passed=bool(passed[i]),
                seats=int(seats[i]),
                reasons=tuple(why),
                short_by=national[0].short_by if national else None,
                official_seats=p.official_seats,
                shortfalls=missed,
            )
        )
    notes = []
    if checked is False:  # (False only under a regional threshold: see eligibility.assess)
        assert rules.regional_threshold is not None
        notes.append(
            f"regional threshold {format_percent(rules.regional_threshold)} not "
            "checked: the seed has no regional votes"
        )
    if election.districts:  # said, not silent: allocate_districts allocates them one by one
        notes.append(
            f"one national constituency: the {len(election.districts)} districts' votes pooled"
        )
    return Allocation(election, rules, tuple(results), base, vmin, tie, checked, tuple(notes))


def _last_round_tied(
    method: Method, v: np.ndarray, res: engine.EngineResult, free: np.ndarray, seats: int
) -> bool:
    """Whether the last round (the free lists sharing what the held ones left) is tied: the
    engine's flag also covers ties in earlier rounds that could change the held lists."""
    left = seats - int(res.seats[~free, 0].sum())
    if left <= 0 or not free.any():
        return False
    return bool(engine.allocate_pm(method, v * free[:, None], None, left).tied[0])


def _earlier_tie(
    method: Method,
    votes: np.ndarray,
    v: np.ndarray,
    passed: np.ndarray,
    rules: Rules,
    election: Election,
) -> tuple[tuple[str, ...], int, str]:
    """The tie of a round before the last (it decided which lists a cap or minimum held):
    the first round's, when it is tied; else every list the engine could hold either way."""
    which = "seat cap" if rules.max_seats is not None else "minimum"
    if rules.max_seats is not None and rules.min_seats is not None:
        which = "seat cap and minimum"
    first = engine.allocate_pm(method, v, passed[:, None], rules.seats)
    if first.tied[0]:
        lists, at_stake = _tie_detail(
            method, votes, first.seats[:, 0], passed & (votes > 0), election
        )
        return lists, at_stake, f", before the {which} applies (it decides which lists it holds)"
    names = tuple(p.name for p, ok in zip(election.parties, passed & (votes > 0)) if ok)
    return names, 1, f", in a round of the {which} (it decides which lists it holds)"


def _tie_detail(
    method: Method, votes: np.ndarray, seats: np.ndarray, free: np.ndarray, election: Election
) -> tuple[tuple[str, ...], int]:
    """Which lists share the cut, and how many seats are at stake among them (exact)."""
    names = election.names
    idx = [i for i in range(len(votes)) if free[i]]
    v = {i: int(votes[i]) for i in idx}
    s = {i: int(seats[i]) for i in idx}
    if method.family == "quota":
        total = sum(v.values())
        house = sum(s.values()) + method.offset
        rem = {i: Fraction(v[i] * house, total) - (v[i] * house) // total for i in idx}
        floors = {i: (v[i] * house) // total for i in idx}
        bonus = [i for i in idx if s[i] > floors[i]]
        if bonus:
            cut = min(rem[i] for i in bonus)
        else:  # exact Droop quota, one seat taken back from equal zero remainders
            cut = Fraction(0)
            return tuple(names[i] for i in idx if floors[i] > 0), 1
        tied = [i for i in idx if rem[i] == cut]
        return tuple(names[i] for i in tied), sum(1 for i in tied if i in bonus)

    def key(i: int, k: int) -> Fraction:
        # the quotient (squared for Huntington–Hill) of list i's (k+1)-th seat
        d = method.divisor_exact(k)
        num = v[i] * v[i] if method.sqrt else v[i]
        return Fraction(num, d) if d else Fraction(10**30)

    last = {i: key(i, s[i] - 1) for i in idx if s[i] > 0}
    nxt = {i: key(i, s[i]) for i in idx if v[i] > 0}
    cut = min(last.values())
    tied = [i for i in idx if last.get(i) == cut or nxt.get(i) == cut]
    return tuple(names[i] for i in tied), sum(1 for i in tied if last.get(i) == cut)


@dataclass(frozen=True)
class BatchAllocation:
    """``allocate_batch_detail``: seats (N, P) with per-draw flags (tied, decided_by_lot,
    status)."""

    seats: np.ndarray
    tied: np.ndarray
    decided_by_lot: np.ndarray
    status: np.ndarray


@overload
def allocate_batch(
    votes: ArrayLike,
    rules: Rules,
    *,
    base: ArrayLike | None = None,
    threshold: Any = None,
    eligible: ArrayLike | None = None,
    seats: ArrayLike | None = None,
    rng: np.random.Generator | None = None,
    detail: Literal[False] = False,
) -> np.ndarray: ...


@overload
def allocate_batch(
    votes: ArrayLike,
    rules: Rules,
    *,
    base: ArrayLike | None = None,
    threshold: Any = None,
    eligible: ArrayLike | None = None,
    seats: ArrayLike | None = None,
    rng: np.random.Generator | None = None,
    detail: Literal[True],
) -> BatchAllocation: ...


def allocate_batch(
    votes: ArrayLike,
    rules: Rules,
    *,
    base: ArrayLike | None = None,
    threshold: Any = None,
    eligible: ArrayLike | None = None,
    seats: ArrayLike | None = None,
    rng: np.random.Generator | None = None,
    detail: bool = False,
) -> np.ndarray | BatchAllocation:
    """Allocate every row of an (N, P) integer array of votes; returns (N, P) int32 seats
    (half the memory of int64, and moving memory is much of this function's time; int64 for
    a house of 2^31 seats or more).

    The threshold base of each row defaults to its sum; ``base=`` takes an (N,) array.
    ``threshold=`` overrides ``rules.threshold`` with one value or an (N,) array (floats read
    to the nearest billionth; Fractions and "7%" strings exactly). ``eligible=`` an (N, P)
    bool array of lists allowed to take part (a regional rule computed by the caller).
    Regional thresholds in ``rules`` are not applied here. ``seats=`` an (N,) array of
    house sizes, one per row, in place of ``rules.seats`` (the districts of an election).

    Under ties="error" a tied draw raises ``TieError`` naming the draw; under "lot" it is
    decided with ``rng`` (lots drawn in draw order: the same for any chunking; after an error,
    how many lots ``rng`` has given is not defined). A draw whose seats cannot be filled
    raises ``InfeasibleError``. ``detail=True`` is ``allocate_batch_detail``.
    """
    if detail:
        return allocate_batch_detail(
            votes, rules, base=base, threshold=threshold, eligible=eligible, seats=seats, rng=rng
        )
    batch = _BatchInput.check(votes, rules, base, threshold, rng, eligible, seats)
    res = _run(batch, rules, rng, raise_ties=True)
    bad = np.flatnonzero(res.status)
    if bad.size:
        row = int(bad[0])
        raise InfeasibleError(f"votes: draw {row}: {engine.STATUS_TEXT[int(res.status[row])]}")
    return res.seats


def allocate_batch_detail(
    votes: ArrayLike,
    rules: Rules,
    *,
    base: ArrayLike | None = None,
    threshold: Any = None,
    eligible: ArrayLike | None = None,
    seats: ArrayLike | None = None,
    rng: np.random.Generator | None = None,
) -> BatchAllocation:
    """``allocate_batch`` that raises for neither a tie nor an unfillable draw: the seats
    come with per-draw flags (tied, decided_by_lot, status: 0 ok, 1 no list passes, 2 cap
    too low, 3 minimum too high; unfilled draws have zero seats)."""
    batch = _BatchInput.check(votes, rules, base, threshold, rng, eligible, seats)
    return _run(batch, rules, rng, raise_ties=False)


@dataclass(frozen=True)
class _BatchInput:
    """``allocate_batch``'s inputs, checked: whole votes (N, P), bases (N,) ≥ 0 or None, the
    threshold as one exact fraction or an (N,) array (no float32), eligibility (N, P) or
    None, the rules a Rules and the generator a Generator; the house size of every row, or
    an (N,) array of them, and the largest."""

    votes: np.ndarray
    base: np.ndarray | None
    threshold: Any
    one_threshold: bool
    seats: int | np.ndarray
    most_seats: int
    eligible: np.ndarray | None = None

    @classmethod
    def check(
        cls,
        votes: ArrayLike,
        rules: Rules,
        base: ArrayLike | None,
        threshold: Any,
        rng: np.random.Generator | None,
        eligible: ArrayLike | None = None,
        seats: ArrayLike | None = None,
    ) -> _BatchInput:
        check_call(rules, rng)
        try:
            v = np.asarray(votes)
        except (ValueError, TypeError):  # ragged rows
            raise InputError("votes: need an (N, P) array (rows of one length)") from None
        if v.ndim != 2:
            raise InputError(f"votes: need an (N, P) array, got shape {v.shape}")
        if not np.issubdtype(v.dtype, np.integer):
            if (
                np.issubdtype(v.dtype, np.floating)
                and np.isfinite(v).all()
                and (v == np.round(v)).all()
            ):
                v = v.astype(np.int64)
            else:
                raise InputError("votes: must be whole numbers (an integer array)")
        N = v.shape[0]
        b = None
        if base is not None:
            b = np.asarray(base)
            if b.shape != (N,) or not np.issubdtype(b.dtype, np.integer):
                raise InputError(f"base: need {N} whole numbers, got {b.dtype} {b.shape}")
            if b.min(initial=0) < 0:
                row = int(np.argmax(b < 0))
                raise InputError(f"base: must be ≥ 0, not {int(b[row])} (draw {row})")
        e = None
        if eligible is not None:
            e = np.asarray(eligible)
            if e.shape != v.shape or not (
                e.dtype == bool
                or (np.issubdtype(e.dtype, np.integer) and ((e == 0) | (e == 1)).all())
            ):
                raise InputError(
                    f"eligible: need booleans of shape {v.shape}, one per draw and list "
                    f"(as the votes), got {e.dtype} {e.shape}"
                )
            e = e.astype(bool, copy=False)
        thr: Any = rules.threshold if threshold is None else threshold
        if np.ndim(thr) != 0 and np.shape(thr) != (N,):
            raise InputError(f"threshold: need one value or {N}, got shape {np.shape(thr)}")
        one = np.ndim(thr) == 0
        if one:
            thr = as_fraction(thr.item() if isinstance(thr, np.ndarray) else thr)
        if rules.ties == "lot" and rng is None:
            raise InputError(
                'ties = "lot" needs a random generator to draw the lot: '
                "pass rng=numpy.random.default_rng(seed)"
            )
        house: int | np.ndarray = rules.seats
        if seats is not None:
            house = np.asarray(seats)
            if house.shape != (N,) or not np.issubdtype(house.dtype, np.integer):
                raise InputError(f"seats: need {N} whole numbers, got {house.dtype} {house.shape}")
            if N and house.min() < 1:
                raise InputError(f"seats: row {int(np.argmin(house))} has no seats")
        most = rules.seats if seats is None else int(np.max(house, initial=1))
        return cls(v, b, thr, one, house, most, e)


def _run(
    batch: _BatchInput,
    rules: Rules,
    rng: np.random.Generator | None,
    *,
    raise_ties: bool,
) -> BatchAllocation:
    """The engine over the batch, chunk by chunk (party-major work arrays); tied draws go to
    the lot under ties="lot", or raise under "error" when ``raise_ties``."""
    votes, base, thr = batch.votes, batch.base, batch.threshold
    N, P = votes.shape
    method = rules.method_spec
    eligible = batch.eligible

    def lots_for(cols: np.ndarray) -> np.ndarray:
        assert rng is not None  # _BatchInput.check refuses ties="lot" without a generator
        return engine.lot_priority(rng, P, cols.size)

    draw_lots = lots_for if rules.ties == "lot" else None
    house, most_seats = batch.seats, batch.most_seats
    out = np.empty((N, P), dtype=np.int32 if most_seats < 2**31 else np.int64)
    tied = np.zeros(N, dtype=bool)
    lot = np.zeros(N, dtype=bool)
    status = np.zeros(N, dtype=np.int8)
    step = max(1, CHUNK_CELLS // max(P, 1))
    work = np.empty((P, min(step, N)), dtype=np.float64)
    # (rows, thresholded votes (P, k)) of tied draws waiting for the lot
    pending: list[tuple[np.ndarray, np.ndarray]] = []

    def draw_the_lots() -> None:
        # The tied draws of several chunks are allocated again with their lot in one engine
        # call, not one call per chunk for a few draws each: the same lots (a lot is drawn in
        # draw order). They go once a quarter of a chunk's draws wait (fewer at the end), so
        # a batch full of ties holds no more than that apart.
        rows = np.concatenate([r for r, _ in pending])
        again = engine.allocate_pm(
            method,
            np.concatenate([v for _, v in pending], axis=1),
            None,
            house if isinstance(house, int) else house[rows],
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            priority=lots_for(rows),  # (only tied draws under ties="lot" wait here)
        )
        out[rows] = again.seats.T
        lot[rows] = True
        status[rows] = again.status
        pending.clear()

    for a in range(0, N, step):
        b = min(N, a + step)
        v = work if b - a == work.shape[1] else np.empty((P, b - a))
        for j in range(0, b - a, TRANSPOSE_BLOCK):  # in blocks: about twice as fast here
            np.copyto(
                v[:, j : j + TRANSPOSE_BLOCK], votes[a + j : min(b, a + j + TRANSPOSE_BLOCK)].T
            )
        if v.min(initial=0) < 0:
            row = a + int(np.argwhere(v < 0)[0][1])
            raise InputError(f"votes: negative votes in draw {row}")
        sums = v.sum(0)
        bs = sums.astype(np.int64) if base is None else base[a:b]
        # a draw's sum bounds its votes: look for the largest vote only when that bound fails
        # (the total bound is the larger of the base and the votes' sum: a caller's base may
        # be smaller than the votes it counts)
        top = float(sums.max(initial=0))
        most = max(top, float(bs.max(initial=0)))
        if not exactness_bound(method, top, most, most_seats, P) < EXACT_LIMIT:
            check_exact(method, float(v.max(initial=0)), most, most_seats, P)
        t = thr if batch.one_threshold else np.asarray(thr)[a:b]
        ok = v >= min_votes_rows(t, bs, rules.strict)
        if eligible is not None:
            ok &= eligible[a:b].T
        v *= ok  # the lists that fail take part with no votes (cheaper than a mask)
        res = engine.allocate_pm(
            method,
            v,
            None,
            house if isinstance(house, int) else house[a:b],
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            out=out[a:b].T,
        )
        cols = np.flatnonzero(res.tied)
        if cols.size and rules.ties == "error" and raise_ties:
            row = a + int(cols[0])
            free = (
                ok[:, cols[0]] & (v[:, cols[0]] > 0) if res.free is None else res.free[:, cols[0]]
            )
            lists = tuple(f"list {i}" for i in np.flatnonzero(free))
            raise TieError(
                f"votes: draw {row} is tied under {method.label}: its seats depend "
                f"on how a tie is broken (lists taking part: {', '.join(lists)}); "
                f'use ties="lot"',
                lists,
            )
        tied[a:b] = res.tied
        status[a:b] = res.status
        if cols.size and draw_lots is not None:
            pending.append((a + cols, take_cols(v, cols)))
            if sum(r.size for r, _ in pending) >= step // 4:
                draw_the_lots()
    if pending:
        draw_the_lots()
    return BatchAllocation(out, tied, lot, status)
