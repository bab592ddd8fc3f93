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
from typing import Any

import numpy as np

from simulate.batch import CHUNK_CELLS
from simulate.districts import allocate_districts, district_needs, engine_rules
from simulate.election import Election
from simulate.errors import InputError
from simulate.montecarlo.district_result import DistrictSimulation
from simulate.montecarlo.district_tally import DistrictTally
from simulate.montecarlo.district_windows import Block, Plan, Window, allocate_window
from simulate.montecarlo.models.district_swing import DistrictSwing
from simulate.montecarlo.run import cores
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.rules import Rules
from simulate.threshold import min_votes

Progress = Callable[[int, int], None]

MAX_BLOCK_CELLS = 2**27
"""The most cells (lists × districts × draws) in a seeding block, whose noise is held whole:
2^27 16-bit numbers are 256 MiB (the default block of 8,192 draws holds 2^27 cells from
16,384 lists × districts)."""

AUTO_ROWS = 2**17
"""An automatic window that cannot be one engine chunk per district (``MAX_WINDOW_CELLS``)
holds about this many district allocations (draws × districts). Measured in CPU time on 52
districts × 20 lists (a loaded 2-core machine, ±15%): windows of 2,520 and 5,040 draws ran
alike and about 20% faster than 512; the window's arrays are then about 10 MB each."""

MAX_WINDOW_CELLS = 2**22
"""An automatic window is the most draws that divide the rows ``allocate_batch`` takes per
engine call (``CHUNK_CELLS`` // lists) with at most this many cells (lists × districts ×
draws: 16 MiB of int32 votes, as much for the seats and the baseline), so that every engine
call holds the draws of whole districts (the lists that take part in none of its rows are left
out of the engine's work arrays, and few house sizes mix). Measured in CPU time on 52
districts × 20 lists (8,000 rows per engine call; a loaded 2-core machine): windows of 4,000
and 8,000 draws about 14.5 s per million draws end to end, 2,000 about 16, and 2,520 (engine
calls straddling districts) 16.5–17."""


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
    for present, what in (
        (rules.alliances, "alliances"),
        (rules.quotient_factors, "quotient_factors"),
    ):
        if present:
            raise InputError(f"{where}: the districted Monte Carlo does not apply {what} yet")
    cells = len(election.names) * len(election.districts)
    if cells * spec.block_size > MAX_BLOCK_CELLS:
        raise InputError(
            f"{where}: montecarlo.block_size: {spec.block_size:,} draws of {cells:,} lists × "
            f"districts is more than a block holds ({MAX_BLOCK_CELLS:,} cells); at most "
            f"{max(1, MAX_BLOCK_CELLS // cells):,}"
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
    district_need = district_needs(election, rules)[1].astype(np.float64)
    plain = engine_rules(rules)
    chunk = spec.chunk_size or window_draws(P, D)
    plan = Plan(
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
        f"on the reported votes, district {t.district}: {t.tie.describe()} with lots from "
        f'seed {seed}, so "now" is one of the ways the lot could fall'
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


def window_draws(lists: int, districts: int) -> int:
    """The automatic window, in draws, for ``lists`` × ``districts`` (``MAX_WINDOW_CELLS``);
    ``AUTO_ROWS`` // districts when that would be fewer than 256 draws."""
    per_call = max(1, CHUNK_CELLS // max(lists, 1))  # allocate_batch's rows per engine call
    cells = max(1, lists * districts)
    for parts in range(1, per_call + 1):
        n = per_call // parts
        if per_call % parts == 0 and n * cells <= MAX_WINDOW_CELLS:
            return n if n >= 256 else max(1, AUTO_ROWS // districts)
    return max(1, AUTO_ROWS // districts)


def _run(
    plan: Plan, workers: int, progress: Progress | None, clock: dict[str, float] | None
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


def _empty(plan: Plan) -> DistrictTally:
    P, D = plan.stood.shape
    return DistrictTally(P, D, int(plan.house.sum()))


def _run_blocks(
    plan: Plan,
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
    blocks: dict[int, Block] = {}
    spent = {"votes": 0.0, "eligibility": 0.0, "allocate": 0.0, "tally": 0.0}
    win: Window | None = None
    pos = start
    while pos < end:
        n = min(plan.chunk, end - pos)
        t0 = time.perf_counter()
        if win is None or win.n != n:
            win = Window(plan, n)
        pieces = []  # (block, c0, c1, window column)
        at = pos
        while at < pos + n:
            b = at // B
            for old in [k for k in blocks if k < b]:
                del blocks[old]
            if b not in blocks:
                blocks[b] = Block(plan, b)
            c0, c1 = at - b * B, min(B, pos + n - b * B)
            pieces.append((blocks[b], c0, c1, at - pos))
            at += c1 - c0
        spent["votes"] += time.perf_counter() - t0
        win.draw(pieces, spent)
        t1 = time.perf_counter()
        seats, lots, unfilled = allocate_window(plan, win, pieces)
        t2 = time.perf_counter()
        tally.add(seats, plan.baseline, win.passed, lots, unfilled, win.baseline)
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


__all__ = ["run_district_montecarlo"]
