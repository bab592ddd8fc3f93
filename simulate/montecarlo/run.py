"""Monte Carlo runs: draw votes and thresholds, allocate them under every rule set, count.

The pipeline reads in its names: ``vote_categories`` → a vote model draws counts → each
rule set's threshold gives the eligible lists → ``engine.allocate_pm`` → ``Tally`` →
``Simulation``.

Reproducible whatever the chunk size or number of processes. The draws are cut into seeding
*blocks* of ``block_size`` draws (a fixed setting, recorded): block b takes its randomness from
``SeedSequence(seed, spawn_key=(0, b))``, spawned into one generator for the votes, one for the
thresholds and one per rule set for lots. A block's votes and thresholds are drawn whole (a
run of fewer draws uses a prefix of the same block), so the processing *chunk* — how many draws
go to the engine at once, which may cut across blocks — changes memory and speed, never a
number; workers (processes) each take whole blocks, and their tallies are exact integer counts
that add up in any order. A tie is decided by lot with the block's generator for that rule set,
consumed in draw order, and counted. Paired rule sets: every rule set allocates the same draws.

Memory is bounded by the chunk and block sizes, whatever the number of draws, unless per-draw
results are kept (``keep_draws``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np

from simulate.allocation import allocate
from simulate.election import Election
from simulate.errors import InfeasibleError, InputError
from simulate.methods import check_exact
from simulate.montecarlo.blocks import (
    Kept,
    RunPlan,
    empty_tally,
    kept_draws,
    run_blocks,
)
from simulate.montecarlo.models import (
    Categories,
    vote_categories,
    widest_base,
)
from simulate.montecarlo.result import Draws, Simulation
from simulate.montecarlo.spec import MonteCarloSpec, ThresholdVariation
from simulate.montecarlo.tally import Tally
from simulate.rules import Rules
from simulate.wording import plural

TASKS_PER_WORKER = 8
"""Work is handed to processes in about this many pieces each (whole blocks)."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``: draws finished so far, of all."""

RuleSets = Rules | Sequence[Rules | tuple[str, Rules]] | Mapping[str, Rules]
"""One ``Rules``, a sequence of Rules or of (label, Rules) pairs, or a mapping label → Rules."""


def run_montecarlo(
    election: Election,
    rule_sets: RuleSets,
    spec: MonteCarloSpec,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
    clock: dict[str, float] | None = None,
) -> Simulation:
    """Run ``spec`` on ``election`` under ``rule_sets``: one ``Rules``, a sequence of Rules or
    of (label, Rules) pairs, or a mapping label → Rules; the first is the scenario's rules.

    ``seed`` overrides ``spec.seed``; one of them is required (the command line picks one when
    neither gives it, and the result records it).

    ``clock``, a dict, receives the seconds spent in each phase of the draws: "votes"
    (drawing votes and thresholds), "allocate" (eligibility and the engine, lots included,
    every rule set) and "tally" (and the per-draw results, when kept). Only for a run in this
    process (one worker); what is left of the run's time is its set-up (``seatsim bench``).
    """
    if spec.model.kind == "district-swing":
        raise InputError(
            "montecarlo.model: district-swing draws an election's districts: run it with "
            "run_district_montecarlo (simulate.montecarlo), one rule set"
        )
    labels, rules = _rule_sets(rule_sets, spec.rule_sets)
    allied = [label for label, r in zip(labels, rules, strict=True) if r.alliances]
    if allied:  # (the draws are allocated on the engine directly, list by list)
        raise InputError(
            f"rule set {allied[0]!r}: the Monte Carlo does not apply alliances yet "
            "(run without the [montecarlo] table, or with --no-montecarlo)"
        )
    seed = spec.seed if seed is None else seed
    if (
        seed is None
        or isinstance(seed, bool)
        or not isinstance(seed, (int, np.integer))
        or seed < 0
    ):
        raise InputError(f"seed: a Monte Carlo run needs a whole number ≥ 0, not {seed!r}")
    for r in rules:
        election.base(r.threshold_base)  # the seed must give every base: the error names it
    cats = vote_categories(election, widest_base(r.threshold_base for r in rules))
    model = spec.model.build(cats)
    kinds = [p.kind for p in election.parties]
    where = election.path or election.name
    multipliers = tuple(r.quotient_multipliers(kinds, where) for r in rules)
    for r, mult in zip(rules, multipliers, strict=True):
        total = float(cats.total) * (1.0 if mult is None else float(mult.max()))
        check_exact(r.method_spec, total, total, r.seats, cats.n_lists)
    reported, tie_notes = _reported(election, labels, rules, int(seed))
    workers, worker_notes = _workers(spec)
    baseline = reported[0]
    assert baseline is not None  # (_reported raises when the first rule set cannot fill)
    plan = RunPlan(
        cats,
        model,
        rules,
        spec.threshold,
        int(seed),
        spec.draws,
        spec.block_size,
        spec.chunk_size,
        baseline,
        spec.keeps_draws,
        multipliers,
    )
    tally, kept = _run(plan, workers, progress, clock)
    return Simulation(
        election=election.name,
        list_names=election.names,
        categories=cats.names,
        reported=cats.counts,
        labels=labels,
        rules=rules,
        baseline=baseline,
        reported_seats=tuple(reported),
        tally=tally,
        settings=_settings(spec.replace(workers=workers), int(seed), labels, cats),
        notes=(*tie_notes, *worker_notes, *_notes(election, rules, spec)),
        draws=kept,
    )


def _rule_sets(
    rule_sets: RuleSets, chosen: Sequence[str]
) -> tuple[tuple[str, ...], tuple[Rules, ...]]:
    pairs: list[tuple[Any, ...]]  # (label, Rules) pairs as given: checked below
    if isinstance(rule_sets, Rules):
        pairs = [("rules", rule_sets)]
    elif isinstance(rule_sets, Mapping):
        pairs = list(rule_sets.items())
    else:
        pairs = [
            (f"rules {i}", item) if isinstance(item, Rules) else tuple(item)
            for i, item in enumerate(rule_sets)
        ]
    if not pairs or not all(isinstance(r, Rules) for _, r in pairs):
        raise InputError("rule_sets: need at least one Rules")
    if chosen:
        known = dict(pairs)
        for label in chosen:
            if label not in known:
                raise InputError(
                    f"rule_sets: no rule set labelled {label!r} (labels: {', '.join(known)})"
                )
        pairs = [(label, known[label]) for label in chosen]
    return tuple(str(label) for label, _ in pairs), tuple(r for _, r in pairs)


def cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _workers(spec: MonteCarloSpec) -> tuple[int, list[str]]:
    """The processes a run uses: those asked for, at most one per seeding block (the unit of
    work a process takes) and one per core; a note says so when that is fewer."""
    blocks = -(-spec.draws // spec.block_size)
    used = min(spec.workers, blocks, cores())
    if used == spec.workers:
        return used, []
    why = (
        f"{plural(blocks, 'block')} of work"
        if used == blocks
        else f"{plural(cores(), 'core')} on this machine"
    )
    return used, [f"workers: {spec.workers:,} asked for, {used} used ({why})"]


def _reported(
    election: Election, labels: tuple[str, ...], rules: tuple[Rules, ...], seed: int
) -> tuple[list[tuple[int, ...] | None], list[str]]:
    """Each rule set on the reported votes, a tie decided by the rule set's tie rule of a law
    if it has one, else by lot from the rule set's own stream (as in every draw, whatever the
    tie policy), and a note that says each such tie and the rule set's own policy; None for a
    rule set after the first whose seats cannot be filled there (the first is the baseline
    every draw is compared with: it must be).
    ``seatsim montecarlo`` refuses a tie in the scenario's own rules under ties = "error"
    before it gets here, as ``seatsim run`` does."""
    out: list[tuple[int, ...] | None] = []
    notes: list[str] = []
    for r, (label, rs) in enumerate(zip(labels, rules, strict=True)):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(1, r))))
        what = f"rule set {label!r} on the reported votes"
        # a tie rule of the law decides the reported count as it does in seatsim run (a lot
        # only where it leaves equal votes tied); error and lot policies draw the lot
        policy = "most-votes-then-lot" if rs.ties == "most-votes" else rs.ties
        if policy not in ("first-listed", "most-votes-then-lot"):
            policy = "lot"
        try:
            result = allocate(election, rs.replace(ties=policy), rng=rng)
        except InfeasibleError as exc:
            if r:
                out.append(None)
                continue
            raise InfeasibleError(
                f"{what}, the Monte Carlo's baseline (lots from seed {seed}): {exc}"
            ) from None
        if result.tie is not None and not result.tie.decided_by_lot:
            notes.append(f"{what}: {result.tie.describe()}")
        elif result.tie is not None:
            own = (
                '; its own rules say ties = "error": seatsim run refuses this count'
                if rs.ties == "error"
                else ""
            )
            notes.append(
                f'{what}: {result.tie.describe()} with lots from seed {seed}, so its "now" is '
                f"one of the ways the lot could fall{own}"
            )
        out.append(tuple(int(s) for s in result.seats))
    return out, notes


def _settings(
    spec: MonteCarloSpec, seed: int, labels: tuple[str, ...], cats: Categories
) -> dict[str, Any]:
    return {
        "draws": spec.draws,
        "seed": seed,
        "block_size": spec.block_size,
        "chunk_size": spec.chunk_size,
        "workers": spec.workers,
        "rule_sets": list(labels),
        "model": spec.model.describe(),
        "categories": list(cats.names),
        "threshold": None if spec.threshold is None else spec.threshold.describe(),
        "keep_draws": spec.keeps_draws,
        "seeding": "numpy SeedSequence(seed, spawn_key=(0, block)) per block of block_size "
        "draws → PCG64 streams: votes, thresholds, one lot stream per rule set",
        "ties": "decided by lot and counted, whatever the rules' tie policy",
        "numpy": np.__version__,
    }


def _notes(election: Election, rules: tuple[Rules, ...], spec: MonteCarloSpec) -> tuple[str, ...]:
    notes = []
    if spec.threshold is not None:
        notes.append("the Monte Carlo threshold replaces every rule set's own threshold")
    if any(r.regional_threshold for r in rules):
        notes.append(
            "regional thresholds are not applied to the draws (only national votes "
            "are drawn)" + ("" if not election.region_names else "; the baseline applies them")
        )
    return tuple(notes)


# ---------------------------------------------------------------------------------------------
# running: in this process or over worker processes, whole blocks each


def _run(
    plan: RunPlan, workers: int, progress: Progress | None, clock: dict[str, float] | None = None
) -> tuple[Tally, Draws | None]:
    n_blocks = -(-plan.draws // plan.block_size)
    per_task = max(1, -(-n_blocks // (workers * TASKS_PER_WORKER)))
    tasks = [(b, min(b + per_task, n_blocks)) for b in range(0, n_blocks, per_task)]
    if workers == 1 or len(tasks) == 1:
        finished = [0]

        def step(n: int) -> None:
            finished[0] += n
            if progress:
                progress(finished[0], plan.draws)

        tally, kept = run_blocks(plan, 0, n_blocks, step, clock)
        return tally, kept_draws(plan, [(0, kept)])
    tally = empty_tally(plan)
    parts: list[tuple[int, Kept | None]] = []
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_blocks, plan, b0, b1) for b0, b1 in tasks]
        for future in as_completed(futures):
            part, kept = future.result()
            tally.merge(part)
            parts.append((part.first_draw, kept))
            done += part.draws
            if progress:
                progress(done, plan.draws)
    return tally, kept_draws(plan, parts)


__all__ = ["MonteCarloSpec", "Progress", "ThresholdVariation", "run_montecarlo"]
