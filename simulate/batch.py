"""``allocate_batch``: N draws (an (N, P) array of votes) under one set of rules, on the one
engine, chunk by chunk in party-major work arrays; ``allocate_batch_detail`` gives per-draw
tie and status flags instead of raising. The Monte Carlo, the districts and the margins
search call it; ``simulate.allocation.allocate`` is the one-election path with its reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike

from simulate import engine
from simulate.batch_ties import Flags, settle_ties
from simulate.engine import take_cols
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.methods import (
    EXACT_LIMIT,
    check_exact,
    exactness_bound,
)
from simulate.outcome import check_call
from simulate.rules import Rules
from simulate.threshold import as_fraction, min_votes_rows

CHUNK_CELLS = 160_000
"""Cells (draws × lists) per engine call in ``allocate_batch``: keeps work arrays in cache."""


TRANSPOSE_BLOCK = 1024
"""Draws per block when turning (N, P) votes party-major."""


@dataclass(frozen=True)
class BatchAllocation:
    """``allocate_batch_detail``: seats (N, P) with per-draw flags (tied, decided_by_lot,
    status, and decided_by_rule: a tie decided by the rules' tie rule of a law, with
    ``decided_by_lot`` too where that rule left lists with equal votes to a lot)."""

    seats: np.ndarray
    tied: np.ndarray
    decided_by_lot: np.ndarray
    status: np.ndarray
    decided_by_rule: np.ndarray | None = None


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
    kinds: Sequence[str | None] | None = None,
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
    kinds: Sequence[str | None] | None = None,
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
    kinds: Sequence[str | None] | None = None,
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
    ``kinds=`` the kind of each column's list (P,), needed by ``rules.quotient_factors``.

    Under ties="error" a tied draw raises ``TieError`` naming the draw; under "lot" it is
    decided with ``rng`` (lots drawn in draw order: the same for any chunking; after an error,
    how many lots ``rng`` has given is not defined). Under "first-listed" the earlier list
    wins; under "most-votes" the list with more votes (in that draw), and a tie that lists
    with equal votes share raises ``TieError``, or under "most-votes-then-lot" goes to a lot
    among them (drawn only for such draws, in draw order). A draw whose seats cannot be filled
    raises ``InfeasibleError``. ``detail=True`` is ``allocate_batch_detail``.
    """
    if detail:
        return allocate_batch_detail(
            votes,
            rules,
            base=base,
            threshold=threshold,
            eligible=eligible,
            seats=seats,
            rng=rng,
            kinds=kinds,
        )
    batch = _BatchInput.check(votes, rules, base, threshold, rng, eligible, seats, kinds)
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
    kinds: Sequence[str | None] | None = None,
) -> BatchAllocation:
    """``allocate_batch`` that raises for neither a tie nor an unfillable draw: the seats
    come with per-draw flags (tied, decided_by_lot, decided_by_rule, status: 0 ok, 1 no list
    passes, 2 cap too low, 3 minimum too high, 4 a rounded quota cannot fill the seats;
    unfilled draws have zero seats)."""
    batch = _BatchInput.check(votes, rules, base, threshold, rng, eligible, seats, kinds)
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
    multipliers: np.ndarray | None = None

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
        kinds: Sequence[str | None] | None = None,
    ) -> _BatchInput:
        check_call(rules, rng)
        if rules.alliances:  # (the columns have no names to find the alliances' lists by)
            raise InputError(
                "rules.alliances: use simulate.alliances.allocate_batch_allied(votes, rules, "
                "names), which names the columns"
            )
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
        if rules.draws_lots and rng is None:
            raise InputError(
                f'ties = "{rules.ties}" needs a random generator to draw the lot: '
                "pass rng=numpy.random.default_rng(seed)"
            )
        mult = None
        if rules.quotient_factors:
            if kinds is None or len(kinds) != v.shape[1]:
                raise InputError(
                    f"kinds: quotient_factors need the kind of each of the {v.shape[1]} "
                    "lists (kinds=[...])"
                )
            mult = rules.quotient_multipliers(list(kinds), "kinds")
        house: int | np.ndarray = rules.seats
        if seats is not None:
            house = np.asarray(seats)
            if house.shape != (N,) or not np.issubdtype(house.dtype, np.integer):
                raise InputError(f"seats: need {N} whole numbers, got {house.dtype} {house.shape}")
            if N and house.min() < 1:
                raise InputError(f"seats: row {int(np.argmin(house))} has no seats")
        most = rules.seats if seats is None else int(np.max(house, initial=1))
        return cls(v, b, thr, one, house, most, e, mult)


def _run(
    batch: _BatchInput,
    rules: Rules,
    rng: np.random.Generator | None,
    *,
    raise_ties: bool,
) -> BatchAllocation:
    """The engine over the batch, chunk by chunk (party-major work arrays); tied draws go to
    the lot under ties="lot", or raise under "error" when ``raise_ties``; under the tie rules
    of a law they are decided by the rule (``simulate.batch_ties.settle_ties``)."""
    votes, base, thr = batch.votes, batch.base, batch.threshold
    N, P = votes.shape
    method = rules.method_spec
    eligible = batch.eligible
    mult = batch.multipliers
    scale = 1.0 if mult is None else float(mult.max())

    house, most_seats = batch.seats, batch.most_seats
    out = np.empty((N, P), dtype=np.int32 if most_seats < 2**31 else np.int64)
    tied = np.zeros(N, dtype=bool)
    lot = np.zeros(N, dtype=bool)
    by_rule = np.zeros(N, dtype=bool)
    status = np.zeros(N, dtype=np.int8)
    step = max(1, CHUNK_CELLS // max(P, 1))
    work = np.empty((P, min(step, N)), dtype=np.float64)
    # votes held party-major (the transposed view of a (P, N) array, as the districted Monte
    # Carlo hands them over): each list's votes of a chunk are one contiguous run
    party_major = votes.strides[0] == votes.itemsize
    # (rows, thresholded votes (P, k)) of tied draws waiting for the lot or a rule
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    flags = Flags(out, lot, by_rule, status)

    def settle() -> None:
        # The tied draws of several chunks are allocated again in one engine call, not one
        # call per chunk for a few draws each: the same lots (a lot is drawn in draw order).
        # They go once a quarter of a chunk's draws wait (fewer at the end), so a batch full
        # of ties holds no more than that apart.
        rows = np.concatenate([r for r, _ in pending])
        vm = np.concatenate([v for _, v in pending], axis=1)
        pending.clear()
        settle_ties(method, rules, rows, vm, votes, house, rng, flags, raise_ties)

    for a in range(0, N, step):
        b = min(N, a + step)
        v = work if b - a == work.shape[1] else np.empty((P, b - a))
        if party_major:  # one copy of whole rows (about twice as fast as in blocks)
            np.copyto(v, votes[a:b].T)
        else:
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
        # be smaller than the votes it counts); quotient factors multiply both
        top = float(sums.max(initial=0)) * scale
        most = max(top, float(bs.max(initial=0)) * scale)
        if not exactness_bound(method, top, most, most_seats, P) < EXACT_LIMIT:
            check_exact(method, float(v.max(initial=0)) * scale, most, most_seats, P)
        t = thr if batch.one_threshold else np.asarray(thr)[a:b]
        # (with no threshold every list with votes passes: nothing to mask, and the sums are
        # the totals the engine allocates)
        totals = sums
        if not (batch.one_threshold and t == 0 and eligible is None):
            ok = v >= min_votes_rows(t, bs, rules.strict)
            if eligible is not None:
                ok &= eligible[a:b].T
            v *= ok  # the lists that fail take part with no votes (cheaper than a mask)
            totals = None
        if mult is not None:  # quotients × factor: votes × a whole multiplier (exact)
            v *= mult[:, None]
            totals = None
        res = engine.allocate_pm(
            method,
            v,
            None,
            house if isinstance(house, int) else house[a:b],
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            out=out[a:b].T,
            totals=totals,
        )
        cols = np.flatnonzero(res.tied)
        if cols.size and rules.ties == "error" and raise_ties:
            row = a + int(cols[0])
            free = v[:, cols[0]] > 0 if res.free is None else res.free[:, cols[0]]
            lists = tuple(f"list {i}" for i in np.flatnonzero(free))
            raise TieError(
                f"votes: draw {row} is tied under {method.label}: its seats depend "
                f"on how a tie is broken (lists taking part: {', '.join(lists)}); "
                f'use ties="lot"',
                lists,
            )
        tied[a:b] = res.tied
        status[a:b] = res.status
        if cols.size and rules.ties == "first-listed":  # the engine's own order decided it
            by_rule[a + cols] = True
        elif cols.size and rules.ties != "error":
            pending.append((a + cols, take_cols(v, cols)))
            if sum(r.size for r, _ in pending) >= step // 4:
                settle()
    if pending:
        settle()
    return BatchAllocation(out, tied, lot, status, by_rule)
