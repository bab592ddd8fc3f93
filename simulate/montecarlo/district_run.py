"""The Monte Carlo of a districted election: a national swing and district noise per draw
(``models.district_swing``), every district of every draw allocated as a row of ONE
``allocate_batch`` call per window, counted against the baseline (``DistrictTally``).

Eligibility per draw, as ``allocate_districts`` builds it on the reported votes: the national
threshold (one, or one per kind of list; exempt lists skip it) on the national base, and the
district threshold on each district's votes for lists. District totals are kept in every
draw, so both bases are the reported ones (the lists' votes summed, or a count the election
gives) and each threshold is one smallest passing count, per list or per district; a
threshold variation (``[montecarlo]`` threshold keys) replaces the national threshold per draw.

Reproducible whatever the chunk size or number of processes, as ``montecarlo.run``: the
draws are cut into seeding blocks of ``block_size``; block b draws its noise whole, from
``SeedSequence(seed, spawn_key=(0, b, i))`` (i = 0 national swing, 1 district noise, 2
thresholds, 3 lots); a window (chunk) of draws takes columns of one or more blocks; a
district tied in a draw is decided by lot with its block's lot generator, consumed in draw
order (districts in order within a draw); workers take whole blocks; the tallies are integer
counts that add up in any order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulate.batch import allocate_batch, allocate_batch_detail
from simulate.districts import allocate_districts
from simulate.election import Election
from simulate.errors import InputError
from simulate.montecarlo.district_result import DistrictSimulation
from simulate.montecarlo.district_tally import DistrictTally
from simulate.montecarlo.models.district_swing import BlockNoise, DistrictSwing
from simulate.montecarlo.run import cores
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation
from simulate.rules import Rules
from simulate.threshold import min_votes, min_votes_rows

Progress = Callable[[int, int], None]

AUTO_ROWS = 2**17
"""An automatic window holds about this many district allocations (draws × districts).
Measured in CPU time on 52 districts × 20 lists (a loaded 2-core machine, ±15%): windows of
2,520 and 5,040 draws ran alike and about 20% faster than 512; the window's arrays are then
about 10 MB each."""


@dataclass(frozen=True)
class _Plan:
    """Everything a process needs to run any range of blocks (picklable)."""

    model: DistrictSwing
    rules: Rules  # the engine's: no thresholds (they are in the eligibility), ties="error"
    lot_rules: Rules  # the same with ties="lot"
    house: np.ndarray  # (D,) seats per district
    stood: np.ndarray  # (P, D) bool
    exempt: np.ndarray  # (P,) bool
    national_need: np.ndarray  # (P,) smallest passing national count per list (0: exempt)
    national_base: int
    district_need: np.ndarray  # (D,) smallest count taking part in each district (0: none)
    threshold: ThresholdVariation | None
    strict: bool
    baseline: np.ndarray  # (D, P)
    seed: int
    draws: int
    block_size: int
    chunk: int


def run_district_montecarlo(
    election: Election,
    rules: Rules,
    spec: MonteCarloSpec,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
    clock: dict[str, float] | None = None,
) -> DistrictSimulation:
    """Run ``spec`` (model "district-swing") on a districted ``election`` under ``rules``.

    ``seed`` overrides ``spec.seed``; one of them is required. ``clock`` (a dict) receives
    the seconds spent drawing votes ("votes"), on eligibility and the engine ("allocate")
    and counting ("tally"), for a run in this process.
    """
    where = election.path or election.name
    if spec.model.kind != "district-swing":
        raise InputError(
            f"{where}: montecarlo.model: a districted election is drawn by the district-swing "
            f"model, not {spec.model.kind!r}"
        )
    seed = spec.seed if seed is None else seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed: a Monte Carlo run needs a whole number ≥ 0, not {seed!r}")
    if spec.threshold is not None and rules.kind_thresholds:
        raise InputError(
            f"{where}: montecarlo.threshold: varies one national threshold; these rules have "
            "one per kind of list"
        )
    lot_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(1, 0))))
    base_alloc = allocate_districts(election, rules.replace(ties="lot"), rng=lot_rng)
    votes = election.district_votes().T.copy()  # (P, D)
    model = DistrictSwing(votes, spec.model.sigma_national, spec.model.sigma_district)
    P, D = votes.shape
    exempt = np.array([p.exempt for p in election.parties], dtype=bool)
    base = election.base(rules.threshold_base)  # district totals are kept: fixed
    need = np.array(
        [
            0
            if p.exempt
            else min_votes(rules.threshold_of(p.kind, p.name, where), base, rules.strict)
            for p in election.parties
        ],
        dtype=np.float64,
    )
    district_need = np.zeros(D)
    if rules.district_threshold:
        district_need = np.array(
            [min_votes(rules.district_threshold, int(t), rules.strict) for t in votes.sum(0)],
            dtype=np.float64,
        )
    plain = rules.replace(
        threshold=0, kind_thresholds=(), district_threshold=None, threshold_base="party-votes"
    )
    chunk = spec.chunk_size or max(1, AUTO_ROWS // D)
    plan = _Plan(
        model,
        plain.replace(ties="error"),
        plain.replace(ties="lot"),
        election.district_seats(),
        base_alloc.stood.T.copy(),
        exempt,
        need,
        base,
        district_need,
        spec.threshold,
        rules.strict,
        base_alloc.seats,
        int(seed),
        spec.draws,
        spec.block_size,
        chunk,
    )
    workers = min(spec.workers, -(-spec.draws // spec.block_size), cores())
    tally = _run(plan, workers, progress, clock)
    notes = [
        f"district {t.district}: {t.tie.describe()} on the reported votes (by lot)"
        for t in base_alloc.ties
    ]
    if workers != spec.workers:
        notes.append(f"workers: {spec.workers:,} asked for, {workers} used")
    if spec.threshold is not None:
        notes.append("the Monte Carlo threshold replaces the rules' national threshold")
    settings: dict[str, Any] = {
        "draws": spec.draws,
        "seed": int(seed),
        "block_size": spec.block_size,
        "chunk_size": spec.chunk_size,
        "workers": workers,
        "model": spec.model.describe(),
        "threshold": None if spec.threshold is None else spec.threshold.describe(),
        "seeding": "numpy SeedSequence(seed, spawn_key=(0, block, i)) per block of block_size "
        "draws → PCG64 streams: national swing, district noise, thresholds, lots",
        "ties": "decided by lot and counted, whatever the rules' tie policy",
        "numpy": np.__version__,
    }
    return DistrictSimulation(
        election=election.name,
        list_names=election.names,
        district_names=election.district_names,
        rules=rules,
        baseline=base_alloc.seats,
        tally=tally,
        settings=settings,
        notes=tuple(notes),
    )


def _run(
    plan: _Plan, workers: int, progress: Progress | None, clock: dict[str, float] | None
) -> DistrictTally:
    n_blocks = -(-plan.draws // plan.block_size)
    if workers <= 1 or n_blocks == 1:
        done = [0]

        def step(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], plan.draws)

        return _run_blocks(plan, 0, n_blocks, step, clock)
    per_task = max(1, -(-n_blocks // (workers * 8)))
    tally = _empty(plan)
    finished = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_run_blocks, plan, b, min(b + per_task, n_blocks))
            for b in range(0, n_blocks, per_task)
        ]
        for future in as_completed(futures):
            part = future.result()
            tally.merge(part)
            finished += part.draws
            if progress:
                progress(finished, plan.draws)
    return tally


def _empty(plan: _Plan) -> DistrictTally:
    P, D = plan.stood.shape
    return DistrictTally(P, D, int(plan.house.sum()))


class _Block:
    """One seeding block: its noise, thresholds and lot generator."""

    def __init__(self, plan: _Plan, b: int) -> None:
        self.plan, self.block = plan, b
        B = plan.block_size
        self.noise: BlockNoise = plan.model.draw_block(self._gen(0), self._gen(1), B)
        self.thresholds = None if plan.threshold is None else plan.threshold.draw(self._gen(2), B)
        self._lots: np.random.Generator | None = None

    def _gen(self, i: int) -> np.random.Generator:
        ss = np.random.SeedSequence(self.plan.seed, spawn_key=(0, self.block, i))
        return np.random.Generator(np.random.PCG64(ss))

    @property
    def lots(self) -> np.random.Generator:
        if self._lots is None:
            self._lots = self._gen(3)
        return self._lots


def _run_blocks(
    plan: _Plan,
    b0: int,
    b1: int,
    step: Callable[[int], None] | None = None,
    clock: dict[str, float] | None = None,
) -> DistrictTally:
    """Blocks [b0, b1) in windows of ``plan.chunk`` draws."""
    B = plan.block_size
    tally = _empty(plan)
    start, end = b0 * B, min(b1 * B, plan.draws)
    tally.first_draw = start
    blocks: dict[int, _Block] = {}
    spent = {"votes": 0.0, "eligibility": 0.0, "allocate": 0.0, "tally": 0.0}
    win: _Window | None = None
    pos = start
    while pos < end:
        n = min(plan.chunk, end - pos)
        t0 = time.perf_counter()
        if win is None or win.n != n:
            win = _Window(plan, n)
        pieces = []  # (block, c0, c1, window column)
        at = pos
        while at < pos + n:
            b = at // B
            for old in [k for k in blocks if k < b]:
                del blocks[old]
            if b not in blocks:
                blocks[b] = _Block(plan, b)
            c0, c1 = at - b * B, min(B, pos + n - b * B)
            pieces.append((blocks[b], c0, c1, at - pos))
            at += c1 - c0
        spent["votes"] += time.perf_counter() - t0
        win.draw(pieces, spent)
        t1 = time.perf_counter()
        seats, lots, unfilled = _allocate(plan, win, pieces)
        t2 = time.perf_counter()
        tally.add(seats, plan.baseline, win.passed, lots, unfilled)
        t3 = time.perf_counter()
        spent["allocate"] += t2 - t1
        spent["tally"] += t3 - t2
        pos += n
        if step:
            step(n)
    if clock is not None:
        for phase, seconds in spent.items():
            clock[phase] = clock.get(phase, 0.0) + seconds
    return tally


CACHE_CELLS = 2**18
"""Cells (lists × districts × draws) drawn at a time: the float work of a few hundred draws
(1 MiB in float32), small enough to stay in cache through the dozen passes that make whole
votes and eligibility, so that the window's arrays are written once each (measured: 2^16 to
2^19 within the machine's noise, 2^18 a little ahead)."""


class _Window:
    """A window of n draws: the votes of the lists taking part (P, D, n), zero for the others
    (``allocate_batch`` treats a list with no votes as one that takes no part, and a district
    with none taking part as unfilled), and who passed the national threshold (P, n)."""

    def __init__(self, plan: _Plan, n: int) -> None:
        P, D = plan.stood.shape
        self.plan, self.n = plan, n
        big = plan.model.totals.max() >= 2**31
        self.votes = np.empty((P, D, n), np.int64 if big else np.int32)
        self.passed = np.empty((P, n), bool)
        self.open = not plan.district_need.any() and not plan.national_need.any()
        self.open &= plan.threshold is None
        self.district_rule = bool(plan.district_need.any())
        self.any_exempt = bool(plan.exempt.any())
        self.sub = max(1, CACHE_CELLS // (P * D))
        self.work = np.empty((P, D, self.sub), plan.model.dtype)
        self.ok = np.empty((P, D, self.sub), bool)
        self.house = np.repeat(plan.house, n)

    def draw(self, pieces: list, spent: dict[str, float]) -> None:
        plan = self.plan
        model = plan.model
        for blk, c0, c1, at in pieces:
            need = _national_need(plan, blk, c0, c1)
            for a in range(c0, c1, self.sub):
                t0 = time.perf_counter()
                k = min(self.sub, c1 - a)
                w, ok = self.work, self.ok
                if k != self.sub:
                    w, ok = np.empty((*w.shape[:2], k), w.dtype), np.empty((*w.shape[:2], k), bool)
                model.fill(blk.noise, a, a + k, w)
                t1 = time.perf_counter()
                col = at + a - c0
                out = self.votes[:, :, col : col + k]
                passed = self.passed[:, col : col + k]
                here = need if need.shape[1] == 1 else need[:, a - c0 : a - c0 + k]
                np.greater_equal(w.sum(1), here, out=passed)
                if self.open:
                    out[...] = w
                elif self.district_rule:
                    np.greater_equal(w, plan.district_need[None, :, None], out=ok)
                    if self.any_exempt:
                        ok |= plan.exempt[:, None, None]
                    ok &= passed[:, None, :]
                    np.multiply(w, ok, out=out, casting="unsafe")
                else:
                    np.multiply(w, passed[:, None, :], out=out, casting="unsafe")
                spent["votes"] += t1 - t0
                spent["eligibility"] += time.perf_counter() - t1


def _national_need(plan: _Plan, blk: _Block, c0: int, c1: int) -> np.ndarray:
    """(P, c1 − c0) or (P, 1): the smallest passing national count per list (and draw)."""
    P = len(plan.exempt)
    if plan.threshold is None:
        return plan.national_need[:, None]
    if plan.threshold.kind == "fixed":
        value = min_votes(plan.threshold.values[0], plan.national_base, plan.strict)
        need = np.full((P, 1), float(value))
    else:
        assert blk.thresholds is not None  # (drawn under a varying threshold)
        drawn = blk.thresholds[c0:c1]
        if plan.threshold.kind == "discrete":
            table = np.array(
                [min_votes(v, plan.national_base, plan.strict) for v in plan.threshold.values],
                dtype=np.float64,
            )
            row = table[drawn]
        else:
            base = np.full(c1 - c0, plan.national_base, dtype=np.int64)
            row = min_votes_rows(drawn, base, plan.strict)
        need = np.broadcast_to(row, (P, c1 - c0)).copy()
    need[plan.exempt] = 0
    return need


def _allocate(plan: _Plan, win: _Window, pieces: list) -> tuple[np.ndarray, int, int]:
    """The window's draws allocated: seats (D, n, P), draws with a lot, draws with a district
    left unfilled."""
    P, D, n = win.votes.shape
    rows_votes = win.votes.reshape(P, D * n).T  # (D·n, P), row d·n + j: a view, party-major
    house = win.house
    out = allocate_batch_detail(rows_votes, plan.rules, threshold=0, seats=house)
    seats = out.seats
    tied = np.flatnonzero(out.tied)
    lot_draws = 0
    if tied.size:
        # Lots from each block's generator in draw order (districts in order within a draw):
        # one call per block's piece of the window (a lot takes the same amount of the
        # generator per row, whatever the call), so any chunking gives the same lots.
        tied = tied[np.lexsort((tied // n, tied % n))]
        draw_of = tied % n
        lot_draws = int(np.unique(draw_of).size)
        for blk, c0, c1, at in pieces:
            rows = tied[(draw_of >= at) & (draw_of < at + c1 - c0)]
            if rows.size:
                seats[rows] = allocate_batch(
                    rows_votes[rows], plan.lot_rules, threshold=0, seats=house[rows], rng=blk.lots
                )
    unfilled = int(np.unique(np.flatnonzero(out.status) % n).size)
    return seats.reshape(D, n, P), lot_draws, unfilled


__all__ = ["run_district_montecarlo"]
