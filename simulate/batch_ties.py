"""Tied draws of ``allocate_batch`` settled by the tie policy: a lot, or a tie rule of a law
("most-votes", "most-votes-then-lot"; "first-listed" needs no second run, the engine's own
order is the earlier list first)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import engine
from simulate.engine import take_cols
from simulate.errors import TieError
from simulate.methods import Method
from simulate.rules import Rules


@dataclass(frozen=True)
class Flags:
    """Where ``settle_ties`` writes: the seats (N, P) and the per-draw flags."""

    seats: np.ndarray
    lot: np.ndarray
    by_rule: np.ndarray
    status: np.ndarray


def settle_ties(
    method: Method,
    rules: Rules,
    rows: np.ndarray,
    vm: np.ndarray,
    votes: np.ndarray,
    house: int | np.ndarray,
    rng: np.random.Generator | None,
    flags: Flags,
    raise_ties: bool,
) -> None:
    """Tied draws ``rows`` (their votes taking part ``vm``, (P, k)) allocated again under the
    tie policy: "lot" by a lot; "most-votes…" by the lists' own votes (``votes`` (N, P)),
    equal votes in both list orders: where the two agree the rule decided, where they do
    not a lot does under "most-votes-then-lot" (drawn for those draws only, in draw order),
    or the draw raises (``raise_ties``) or stays flagged tied and undecided."""
    P = vm.shape[0]
    S = house if isinstance(house, int) else house[rows]

    def run(cols: np.ndarray | None, priority: np.ndarray) -> engine.EngineResult:
        return engine.allocate_pm(
            method,
            vm if cols is None else take_cols(vm, cols),
            None,
            S if isinstance(S, int) or cols is None else S[cols],
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            priority=priority,
        )

    def keep(at: np.ndarray, res: engine.EngineResult) -> None:
        flags.seats[at] = res.seats.T
        flags.status[at] = res.status

    if rules.ties == "lot":
        assert rng is not None  # _BatchInput.check refuses a lot without a generator
        keep(rows, run(None, engine.lot_priority(rng, P, rows.size)))
        flags.lot[rows] = True
        return
    real = np.ascontiguousarray(votes[rows].T, dtype=np.float64)
    first = run(None, engine.rule_priority(real))
    other = run(None, engine.rule_priority(real, later_first=True))
    keep(rows, first)
    agree = (first.seats == other.seats).all(0) & (first.status == other.status)
    flags.by_rule[rows[agree]] = True
    open_ = np.flatnonzero(~agree)
    if not open_.size:
        return
    if rules.ties == "most-votes":
        if raise_ties:
            row = int(rows[open_[0]])
            lists = tuple(f"list {i}" for i in np.flatnonzero(vm[:, open_[0]] > 0))
            raise TieError(
                f"votes: draw {row} is tied under {method.label} and the most-votes rule "
                "cannot decide it: lists with equal votes share the tie "
                f'(lists taking part: {", ".join(lists)}); use ties="most-votes-then-lot"',
                lists,
            )
        return  # flagged tied, decided neither way
    assert rng is not None  # _BatchInput.check refuses a lot without a generator
    lots = engine.lot_priority(rng, P, open_.size)
    keep(rows[open_], run(open_, engine.rule_priority(take_cols(real, open_), lot=lots)))
    flags.lot[rows[open_]] = True
    flags.by_rule[rows[open_]] = True
