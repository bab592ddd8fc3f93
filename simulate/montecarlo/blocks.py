"""The blocks of a Monte Carlo run: what a process needs (``RunPlan``), and running a range
of seeding blocks through windows of draws — votes and thresholds drawn per block, each rule
set's eligible lists, ``engine.allocate_pm`` in chunks, the ``Tally`` (and the per-draw arrays
when they are kept).

``simulate.montecarlo.run`` plans a run and hands ranges of blocks to this module, in this
process or in worker processes; the module docstring there says why the numbers do not depend
on the chunk size or the number of processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from simulate import engine
from simulate.montecarlo.models import (
    Categories,
    VoteModel,
)
from simulate.montecarlo.result import Draws
from simulate.montecarlo.spec import ThresholdVariation
from simulate.montecarlo.tally import RuleSetWindow, Tally
from simulate.rules import Rules
from simulate.threshold import min_votes, min_votes_rows

Kept = tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]
"""A range of blocks' per-draw votes, seats, thresholds (None: not varied) and lots."""


@dataclass(frozen=True)
class RunPlan:
    """Everything a process needs to run any range of blocks (picklable)."""

    cats: Categories
    model: VoteModel
    rules: tuple[Rules, ...]
    threshold: ThresholdVariation | None
    seed: int
    draws: int
    block_size: int
    chunk: int | None  # None: automatic (``auto_chunk``)
    baseline: tuple[int, ...]
    keep: bool
    multipliers: tuple[np.ndarray | None, ...] = ()  # per rule set: quotient factors as
    # whole multipliers of the lists' votes (``Rules.quotient_multipliers``), or None


AUTO_CELLS = 2**18
"""An automatic chunk holds about this many cells of the lists taking part (lists × draws);
above a few hundred thousand, the engine's work arrays stop fitting in the cache, below it
each call's fixed cost shows (measured: 16 lists, 2 blocks of 8,192 draws; 5–6 lists, 4–6)."""


def auto_chunk(plan: RunPlan, active: int) -> int:
    """Draws per engine call when the run does not set ``chunk_size``: whole seeding blocks
    (a window then copies nothing), enough for about AUTO_CELLS cells of the ``active`` lists
    (the most that took part in the first window under any rule set), at most 2^17 draws."""
    draws = min(AUTO_CELLS // max(active, 1), 2**17)
    return max(1, round(draws / plan.block_size)) * plan.block_size


def empty_tally(plan: RunPlan) -> Tally:
    return Tally(plan.cats.n_lists, tuple(r.seats for r in plan.rules), plan.block_size, plan.draws)


def kept_draws(plan: RunPlan, parts: list[tuple[int, Kept | None]]) -> Draws | None:
    if not plan.keep:
        return None
    # (with keep, every part has its arrays; only the thresholds may be None, in all)
    kept = [k for _, k in sorted(parts, key=lambda p: p[0]) if k is not None]

    def joined(i: int) -> np.ndarray:
        return np.concatenate([k[i] for k in kept])

    return Draws(joined(0), joined(1), None if kept[0][2] is None else joined(2), joined(3))


def run_blocks(
    plan: RunPlan,
    b0: int,
    b1: int,
    step: Callable[[int], None] | None = None,
    clock: dict[str, float] | None = None,
) -> tuple[Tally, Kept | None]:
    """Blocks [b0, b1): the tally, and per-draw results if kept (``clock``: see
    ``run_montecarlo``)."""
    preps = [_Prep(plan, r) for r in range(len(plan.rules))]
    tally = empty_tally(plan)
    start, end = b0 * plan.block_size, min(b1 * plan.block_size, plan.draws)
    tally.first_draw = start
    kept = _Kept(end - start, plan.cats, plan) if plan.keep else None
    baseline = np.array(plan.baseline, dtype=np.int64)
    stream = _Stream(plan)
    pos = start
    spent = {"votes": 0.0, "allocate": 0.0, "tally": 0.0}
    chunk = plan.chunk or plan.block_size  # automatic: one block, then sized (below)
    while pos < end:
        n = min(chunk, end - pos)
        t0 = time.perf_counter()
        win = stream.window(pos, n)
        t1 = time.perf_counter()
        spent["votes"] += t1 - t0
        first = None
        active = 0
        for r, prep in enumerate(preps):
            seats, eligible, lot_cols, filled, rows = prep.allocate(win)
            active = max(active, plan.cats.n_lists if rows is None else rows.size)
            t2 = time.perf_counter()
            got = RuleSetWindow(seats, eligible, filled, rows)
            tally.add(r, got, first, baseline, lot_cols.size, win.segments)
            if r == 0:
                first = got
            if kept is not None:
                kept.add(pos - start, r, seats, lot_cols)
            t3 = time.perf_counter()
            spent["allocate"] += t2 - t1
            spent["tally"] += t3 - t2
            t1 = t3
        tally.close(win.segments)
        if not plan.chunk and pos == start:
            chunk = auto_chunk(plan, active)
        if kept is not None:
            kept.add_votes(pos - start, win, plan.threshold)
        spent["tally"] += time.perf_counter() - t1
        pos += n
        if step:
            step(n)
    if clock is not None:
        for phase, seconds in spent.items():
            clock[phase] = clock.get(phase, 0.0) + seconds
    return tally, None if kept is None else kept.arrays()


# ---------------------------------------------------------------------------------------------
# blocks and windows


class _Block:
    """One seeding block: its votes (K, B), per-draw thresholds, and lot generators."""

    def __init__(self, plan: RunPlan, b: int, spare: np.ndarray | None) -> None:
        self.seed, self.block = plan.seed, b
        shape = (len(plan.cats.counts), plan.block_size)
        self.votes = spare if spare is not None else np.empty(shape)
        plan.model.fill_checked(self._generator(0), self.votes)
        self.thresholds = (
            None
            if plan.threshold is None
            else plan.threshold.draw(self._generator(1), plan.block_size)
        )
        self._lots: dict[int, np.random.Generator] = {}
        self.side_by_side = False  # its votes are columns of a window's array (not recycled)

    @property
    def drawn(self) -> np.ndarray:
        """The thresholds drawn (a block has them under a threshold variation)."""
        assert self.thresholds is not None
        return self.thresholds

    def _generator(self, i: int) -> np.random.Generator:
        """The generator of the block's i-th spawned seed: votes 0, thresholds 1, rule set r's
        lots 2 + r. (``SeedSequence(seed, spawn_key=(0, b)).spawn(k)[i]`` is this seed; made
        directly, without its siblings, it costs a third as much.)"""
        return np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(0, self.block, i)))
        )

    def lots(self, r: int) -> np.random.Generator:
        """Rule set r's lot generator, made when first needed (most blocks draw no lot, and
        making a generator costs about as much as allocating a hundred draws)."""
        if r not in self._lots:
            self._lots[r] = self._generator(2 + r)
        return self._lots[r]


@dataclass
class _Window:
    """Draws [start, start + n): votes (K, n), thresholds (n,) or None, and the pieces of
    seeding blocks they come from: ``segments`` (block, c0, c1), ``blocks`` the _Block each."""

    start: int
    votes: np.ndarray
    thresholds: np.ndarray | None
    segments: list[tuple[int, int, int]]
    blocks: list[_Block]
    passing: dict[tuple[int, tuple[Fraction, ...], bool], np.ndarray] = field(
        default_factory=dict
    )  # the lists passing, per threshold rule

    @property
    def drawn(self) -> np.ndarray:
        """The thresholds drawn (a window has them under a threshold variation)."""
        assert self.thresholds is not None
        return self.thresholds


class _Stream:
    """Hands out windows of consecutive draws, drawing each block once, when first needed."""

    def __init__(self, plan: RunPlan) -> None:
        self.plan = plan
        self.cache: dict[int, _Block] = {}
        self.spare: list[np.ndarray] = []
        self.joined: np.ndarray | None = None  # the votes of a window across blocks
        self.wide: np.ndarray | None = None  # blocks drawn side by side for a whole window

    def window(self, start: int, n: int) -> _Window:
        B = self.plan.block_size
        for b in [b for b in self.cache if (b + 1) * B <= start]:  # finished blocks
            block = self.cache.pop(b)
            if not block.side_by_side:
                self.spare.append(block.votes)
        # A window of whole fresh blocks (the automatic chunks) has them drawn side by side
        side = start % B == 0 and n > B and not self.cache
        if side:
            self._draw_side_by_side(start // B, -(-n // B))
        pieces, pos, end = [], start, start + n
        while pos < end:
            b = pos // B
            if b not in self.cache:
                self.cache[b] = _Block(self.plan, b, self.spare.pop() if self.spare else None)
            i0, i1 = pos - b * B, min(B, end - b * B)
            pieces.append((b, i0, i1))
            pos = b * B + i1
        blocks = [self.cache[b] for b, _, _ in pieces]
        if len(pieces) == 1:
            b, i0, i1 = pieces[0]
            votes = blocks[0].votes[:, i0:i1]
            thr = None if blocks[0].thresholds is None else blocks[0].thresholds[i0:i1]
        else:
            if side:  # the window is a view of the blocks side by side: no copy
                assert self.wide is not None  # (drawn above)
                votes = self.wide[:, :n]
            else:  # into one reused buffer (a new array each window costs page faults)
                shape = (blocks[0].votes.shape[0], n)
                if self.joined is None or self.joined.shape != shape:
                    self.joined = np.empty(shape)
                votes = np.concatenate(
                    [k.votes[:, i0:i1] for k, (_, i0, i1) in zip(blocks, pieces)],
                    axis=1,
                    out=self.joined,
                )
            thr = (
                None
                if blocks[0].thresholds is None
                else np.concatenate([k.drawn[i0:i1] for k, (_, i0, i1) in zip(blocks, pieces)])
            )
        segments, c = [], 0
        for b, i0, i1 in pieces:
            segments.append((b, c, c + i1 - i0))
            c += i1 - i0
        return _Window(start, votes, thr, segments, blocks)

    def _draw_side_by_side(self, b0: int, count: int) -> None:
        """Blocks b0 … b0 + count − 1, drawn into the columns of one array (each block's
        votes a view of its columns), so that a window over them needs no copy. The array is
        reused from window to window: only when no block is cached (none is a view of it)."""
        assert not self.cache
        B, K = self.plan.block_size, len(self.plan.cats.counts)
        if self.wide is None or self.wide.shape != (K, count * B):
            self.wide = np.empty((K, count * B))
        for i in range(count):
            block = _Block(self.plan, b0 + i, self.wide[:, i * B : (i + 1) * B])
            block.side_by_side = True
            self.cache[b0 + i] = block


# ---------------------------------------------------------------------------------------------
# one rule set on one window


class _Prep:
    """A rule set made ready for windows: its method, base rows and fixed thresholds."""

    def __init__(self, plan: RunPlan, r: int) -> None:
        rules, cats = plan.rules[r], plan.cats
        self.r, self.rules, self.method = r, rules, rules.method_spec
        self.P, self.total = cats.n_lists, float(cats.total)
        mult = plan.multipliers[r] if plan.multipliers else None
        self.mult = None if mult is None else mult.astype(np.float64)[:, None]
        self.tail = cats.rows[rules.threshold_base]  # base = total − categories[tail:]
        self.variation = plan.threshold
        varied = plan.threshold
        self.values = [rules.threshold] if varied is None else list(varied.values)
        self.const = self.tail == len(cats.counts)  # the widest base: the fixed total
        self.table = np.array([float(min_votes(v, cats.total, rules.strict)) for v in self.values])
        self.rule = (self.tail, tuple(self.values), rules.strict)  # what decides who passes
        self._seats: np.ndarray | None = None  # the seats array, reused window after window
        self._zeros: np.ndarray | None = None  # its rows that hold zeros (no list passed)

    def vmin(self, win: _Window) -> float | np.ndarray:
        """The smallest passing count: a scalar, or one per draw (n,)."""
        strict = self.rules.strict
        base = None if self.const else self.total - win.votes[self.tail :].sum(0)
        kind = None if self.variation is None else self.variation.kind
        if kind in (None, "fixed", "discrete"):
            if base is None:
                return self.table[0] if kind != "discrete" else self.table[win.drawn]
            rows = [min_votes_rows(v, base, strict) for v in self.values]
            if kind != "discrete":
                return rows[0]
            return np.take_along_axis(np.stack(rows), win.drawn[None, :], 0)[0]
        if base is None:
            base = np.full(win.votes.shape[1], self.total)
        return min_votes_rows(win.thresholds, base, strict)

    def allocate(
        self, win: _Window
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """Seats (P, n), eligibility (P, n), the columns decided by lot, filled draws (n,),
        and the lists that may hold seats (the others hold none in any of these draws)."""
        P, rules = self.P, self.rules
        votes = win.votes[:P]
        # Rule sets with one threshold rule share it (read-only: the engine and the tallies
        # of each read it). ``rule`` must hold everything ``vmin`` depends on.
        eligible = win.passing.get(self.rule)
        if eligible is None:
            eligible = win.passing[self.rule] = votes >= self.vmin(win)
            eligible.flags.writeable = False

        def draw_lots(
            tied: np.ndarray,
        ) -> np.ndarray:  # each block's own lot generator, in draw order
            prio = []
            for (_, c0, c1), block in zip(win.segments, win.blocks):
                k0, k1 = np.searchsorted(tied, [c0, c1])
                if k1 > k0:
                    prio.append(engine.lot_priority(block.lots(self.r), P, int(k1 - k0)))
            return np.concatenate(prio, axis=1)

        # The seats go into this rule set's own array, reused from window to window (a new
        # one each window costs page faults when it is first written; and the rows of lists
        # that passed in no draw, most of them around a real count, are zero already): read
        # them before the next window.
        if self._seats is None or self._seats.shape != votes.shape:
            self._seats = np.zeros(votes.shape, dtype=np.int64)
            self._zeros = np.ones(P, dtype=bool)
        assert self._zeros is not None  # (made with the seats array)
        res = engine.allocate_pm(
            self.method,
            votes if self.mult is None else votes * self.mult,  # quotient factors (exact)
            eligible,
            rules.seats,
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            lots=draw_lots,
            out=self._seats,
            zeros=self._zeros,
        )
        self._zeros[:] = True
        self._zeros[res.rows] = False
        seats = res.seats
        tied = np.flatnonzero(res.tied)
        return seats, eligible, tied, res.status == engine.OK, res.rows


class _Kept:
    """Per-draw results of one range of blocks, filled window by window."""

    def __init__(self, n: int, cats: Categories, plan: RunPlan) -> None:
        R, P = len(plan.rules), cats.n_lists
        dtype = np.int16 if max(r.seats for r in plan.rules) < 2**15 else np.int32
        self.votes = np.empty((n, len(cats.counts)), np.int64)
        self.seats = np.empty((n, R, P), dtype)
        self.thresholds = (
            None if plan.threshold is None or plan.threshold.kind == "fixed" else np.empty(n)
        )
        self.lots = np.zeros((n, R), bool)
        self.values = (
            None if plan.threshold is None else np.array([float(v) for v in plan.threshold.values])
        )

    def add(self, at: int, r: int, seats: np.ndarray, lot_cols: np.ndarray) -> None:
        n = seats.shape[1]
        self.seats[at : at + n, r] = seats.T
        self.lots[at + lot_cols, r] = True

    def add_votes(self, at: int, win: _Window, variation: ThresholdVariation | None) -> None:
        n = win.votes.shape[1]
        self.votes[at : at + n] = win.votes.T
        if self.thresholds is not None:  # (kept only under a threshold variation)
            assert variation is not None and self.values is not None
            t = win.thresholds
            self.thresholds[at : at + n] = self.values[t] if variation.kind == "discrete" else t

    def arrays(self) -> Kept:
        return self.votes, self.seats, self.thresholds, self.lots


__all__ = [
    "AUTO_CELLS",
    "Kept",
    "RunPlan",
    "auto_chunk",
    "empty_tally",
    "kept_draws",
    "run_blocks",
]
