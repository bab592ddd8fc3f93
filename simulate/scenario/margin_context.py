"""What every vote path of one election shares (``simulate.scenario.margins``): the reported
count, its seats, the threshold base, and running a path's candidate counts through the engine.
"""

from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np

from simulate import engine
from simulate.election import Election, Party
from simulate.eligibility import regional_pass
from simulate.errors import InputError
from simulate.rules import Rules
from simulate.scenario.margin_paths import (
    Evaluated,
    Path,
    candidates,
    evaluate,
    evaluate_many,
    exact_limit,
    pieces,
    threshold_roots,
)
from simulate.scenario.margin_roots import divisor_roots, quota_roots


def refuse_unsupported(election: Election, rules: Rules) -> None:
    """Margins are found from the exact quotas and quotients: a rounded quota or quotient
    factors would move them, and alliances pool lists the searches hold apart, so they are
    refused rather than measured wrong."""
    where = election.path or election.name
    if rules.alliances:
        raise InputError(
            f"{where}: margins are not searched under alliances (pooled thresholds or allocations)"
        )
    if rules.quota_rounding != "exact":
        raise InputError(
            f"{where}: margins with quota_rounding = {rules.quota_rounding!r} are not "
            "supported (they are found from the exact quota)"
        )
    if rules.quotient_factors:
        raise InputError(
            f"{where}: margins with quotient_factors are not supported (they are found from "
            "the plain quotients)"
        )


class Context:
    """What every path of one election shares."""

    def __init__(
        self,
        election: Election,
        rules: Rules,
        seats: np.ndarray,
        held_out: np.ndarray | None = None,
    ):
        self.election, self.rules, self.method = election, rules, rules.method_spec
        self.votes = election.votes
        self.P = self.votes.size
        self.seats = seats.astype(np.int64)
        self.base = election.base(rules.threshold_base)
        self.base_step = 0 if rules.threshold_base == "registered" else 1
        self.eligible = np.array(regional_pass(election, rules), dtype=bool)
        self.exempt = np.array([p.exempt for p in election.parties], dtype=bool)
        self.eligible |= self.exempt
        self.open = self.eligible.copy()  # before any list is held out
        if held_out is not None:  # lists kept out by a rule held as it stands (a district's
            self.eligible &= ~held_out  # lists below the national threshold)
        where = election.path or election.name
        self.thresholds = tuple(rules.threshold_of(p.kind, p.name, where) for p in election.parties)
        self.bounded = rules.max_seats is not None or bool(rules.min_seats)
        self.groups = Path(
            self.votes, self.votes, 0, 0, 0, self.eligible, self.thresholds, self.exempt
        ).groups  # the lists of each threshold, worked out once for all paths
        self.stopped: list[int] = []  # counts where a search met the limit of exactness

    def holding_out(self, held_out: np.ndarray) -> Context:
        """The same constituency with the lists ``held_out`` kept out instead (a copy)."""
        other = copy.copy(self)
        other.eligible = self.open & ~held_out
        other.stopped = self.stopped  # (one record of where exact arithmetic ended)
        return other

    def path(self, step: np.ndarray, base_step: int, limit: int, shift: int = 0) -> Path:
        """The counts ``votes + x·step`` for 0 ≤ x ≤ limit, starting ``shift`` steps on."""
        return Path(
            self.votes + shift * step if shift else self.votes,
            step,
            self.base + shift * base_step,
            base_step,
            limit,
            self.eligible,
            self.thresholds,
            self.exempt,
            self.rules.strict,
            self.groups,
        )

    def prepare(
        self, path: Path, own: dict[int, np.ndarray] | None = None
    ) -> tuple[Path, np.ndarray, np.ndarray] | None:
        """The path (cut where exact arithmetic ends), its candidate counts and the lists that
        take part somewhere on it; None when no count can change anything."""
        ends = np.array([0, path.limit])
        columns = np.flatnonzero(path.taking_part(ends, np.arange(self.P)).any(0))
        if columns.size == 0 or path.limit < 1:
            return None
        limit = exact_limit(path, self.method, self.rules, self.P)
        if limit < path.limit:
            self.stopped.append(limit)
        path = path.with_limit(limit)
        roots = threshold_roots(path)
        parts = pieces(path, roots)
        if self.method.family == "quota":
            more = quota_roots(path, self.method, self.rules, parts)
        else:
            more = divisor_roots(path, self.method, self.rules, parts, own)
        xs = candidates(path, np.concatenate([roots, more]))
        return (path, xs, columns) if xs.size else None

    def run(self, path: Path, own: dict[int, np.ndarray] | None = None) -> Evaluated | None:
        """The seats at every candidate count of ``path`` (None: nothing can change)."""
        ready = self.prepare(path, own)
        return None if ready is None else evaluate(ready[0], self.rules, ready[1], ready[2])

    def run_many(self, paths: list[Path]) -> list[Evaluated | None]:
        """``run`` for several paths, their candidate counts allocated in one engine call."""
        ready = [self.prepare(p) for p in paths]
        todo = [r for r in ready if r is not None]
        if not todo:
            return [None] * len(paths)
        done = iter(evaluate_many(todo, self.rules))
        return [None if r is None else next(done) for r in ready]

    def best_for(
        self, path: Path, ev: Evaluated, rows: np.ndarray, i: int, first: bool
    ) -> np.ndarray:
        """Seats of list i at the tied ``rows`` when ties go its way (``first``) or against."""
        v = path.votes[None, :] + ev.x[rows, None] * path.step[None, :]
        ok = path.taking_part(ev.x[rows], np.arange(self.P))
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


def district_context(
    election: Election,
    rules: Rules,
    j: int,
    seats: np.ndarray,
    passed: np.ndarray,
    row: np.ndarray | None = None,
) -> Context:
    """District j of a districted election as a constituency of its own: its votes (or
    ``row``), its seats, the district threshold on its votes for lists, and the lists that
    fail the national threshold (``~passed``) held out (their votes still in its base)."""
    district = election.districts[j]
    if row is None:
        row = election.district_votes()[j]
    parties = tuple(
        Party(name=n, votes=int(row[i]), exempt=p.exempt)
        for i, (n, p) in enumerate(zip(election.names, election.parties, strict=True))
    )
    valid = None  # Spain's base: the district's valid votes, its lists' and blank ballots
    if rules.district_threshold_base == "valid" and district.blank is not None:
        valid = int(row.sum()) + int(district.blank)
    local = Rules(
        seats=int(district.seats),
        method=rules.method,
        threshold=rules.district_threshold or Fraction(0),
        threshold_base="party-votes" if valid is None else "valid",
        threshold_comparison=rules.threshold_comparison,
        ties="error",
    )
    alone = Election(name=f"{election.name}: {district.name}", parties=parties, valid=valid)
    return Context(alone, local, seats, held_out=~passed)


__all__ = ["Context", "district_context", "refuse_unsupported"]
