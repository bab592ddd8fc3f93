"""A window of a districted Monte Carlo: the plan a process runs, the seeding blocks, and a
window of draws drawn (votes and who takes part, a few hundred draws at a time in cache) and
allocated as rows of one ``allocate_batch`` call (``montecarlo.district_run`` runs them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from simulate.batch import allocate_batch, allocate_batch_detail
from simulate.montecarlo.models.district_swing import BlockNoise, DistrictSwing
from simulate.montecarlo.spec import ThresholdVariation
from simulate.rules import Rules
from simulate.threshold import min_votes, min_votes_rows


@dataclass(frozen=True)
class Plan:
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


class Block:
    """One seeding block: its noise, thresholds and lot generator."""

    def __init__(self, plan: Plan, b: int) -> None:
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


CACHE_CELLS = 2**18
"""Cells (lists × districts × draws) drawn at a time: the float work of a few hundred draws
(1 MiB in float32), small enough to stay in cache through the dozen passes that make whole
votes and eligibility, so that the window's arrays are written once each (measured: 2^16 to
2^19 within the machine's noise, 2^18 a little ahead)."""


class Window:
    """A window of n draws: the votes of the lists taking part (P, D, n), zero for the others
    (``allocate_batch`` treats a list with no votes as one that takes no part, and a district
    with none taking part as unfilled), and who passed the national threshold (P, n)."""

    def __init__(self, plan: Plan, n: int) -> None:
        P, D = plan.stood.shape
        self.plan, self.n = plan, n
        big = plan.model.totals.max() >= 2**31
        self.votes = np.empty((P, D, n), np.int64 if big else np.int32)
        self.passed = np.empty((P, n), bool)
        self.national_rule = bool(plan.national_need.any()) or plan.threshold is not None
        self.district_rule = bool(plan.district_need.any())
        if not self.national_rule:  # (every list passes: no national sums to make)
            self.passed.fill(True)
        # the district threshold compared in the weights' dtype: exact, as the counts are
        # whole numbers below 2^24 in float32 (a need above that fails them all either way)
        need = plan.district_need
        if plan.model.dtype == np.float32:
            need = np.minimum(need, 2.0**24)
        self.district_need: np.ndarray = need.astype(plan.model.dtype)[None, :, None]
        self.any_exempt = bool(plan.exempt.any())
        self.sub = max(1, CACHE_CELLS // (P * D))
        self.work = np.empty((P, D, self.sub), plan.model.dtype)
        self.ok = np.empty((P, D, self.sub), bool)
        self.house = np.repeat(plan.house, n)
        seat_type = np.int32 if int(plan.house.max()) < 2**31 else np.int64  # (as the engine's)
        self.baseline = np.empty((D, n, P), seat_type)  # the baseline seats in every draw
        self.baseline[...] = plan.baseline[:, None, :]
        # national sums exact: float32 adds whole numbers exactly only below 2^24
        exact32 = plan.model.totals.sum(dtype=np.float64) < 2**24
        self.sum_dtype = plan.model.dtype if exact32 else np.float64

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
                if self.national_rule:
                    here = need if need.shape[1] == 1 else need[:, a - c0 : a - c0 + k]
                    np.greater_equal(w.sum(1, dtype=self.sum_dtype), here, out=passed)
                # the lists that fail get zero votes, in the weights' dtype (in cache), then
                # one cast into the window (cheaper than a mixed-type multiply into it)
                if self.district_rule:
                    np.greater_equal(w, self.district_need, out=ok)
                    if self.any_exempt:
                        ok |= plan.exempt[:, None, None]
                    if self.national_rule:
                        ok &= passed[:, None, :]
                    np.multiply(w, ok, out=w)
                elif self.national_rule:
                    np.multiply(w, passed[:, None, :], out=w)
                np.copyto(out, w, casting="unsafe")
                spent["votes"] += t1 - t0
                spent["eligibility"] += time.perf_counter() - t1


def _national_need(plan: Plan, blk: Block, c0: int, c1: int) -> np.ndarray:
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


def allocate_window(plan: Plan, win: Window, pieces: list) -> tuple[np.ndarray, int, int]:
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


__all__ = ["CACHE_CELLS", "Block", "Plan", "Window", "allocate_window"]
