"""Alliances pooled for the allocation: the alliance stands as one list, then its seats are
split among its members by the same method (``simulate.alliance`` defines the rule).

Two stages, both plain allocations on the one engine:

1. among the lists that take part (``simulate.eligibility.assess``, which also pools the
   threshold of the alliances that pool it), each alliance pooled for the allocation stands
   as ONE list, named 'A+B', with its taking-part members' votes added up, at the place of
   its first member; the house is allocated among these;
2. each alliance's seats are allocated among its taking-part members (the alliance's seats
   the house, no threshold).

A tie in either stage follows the rules' tie policy: an error naming the lists (or the
alliance), or a lot drawn with the generator and reported. ``simulate.allocation.allocate``
calls ``allocate_pooled`` for rules with an alliance pooled for the allocation (each stage
is ``simulate.plain.allocate_plain``; ``simulate.outcome.settle`` puts the result together);
``allocate_batch_allied`` does the same for N draws with one batch call for stage 1 and one
per alliance for stage 2 (``simulate.districts`` uses it for the districts of an election).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from simulate import engine
from simulate.alliance import Alliance, check_members, columns, pool_rows
from simulate.batch import BatchAllocation, _BatchInput, allocate_batch_detail
from simulate.election import Election, Party
from simulate.eligibility import assess, threshold_notes
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.outcome import Allocation, Tie, settle
from simulate.plain import allocate_plain
from simulate.rules import Rules
from simulate.threshold import min_votes_rows
from simulate.wording import plural

BLOCK_ROWS = 4096
"""Rows per block when ``allocate_batch_allied`` applies the thresholds and merges columns."""


def bare(rules: Rules) -> Rules:
    """The rules of one stage: no threshold of any kind and no alliance (the thresholds have
    already decided who takes part); the method, the tie policy and the rest as given."""
    return rules.replace(
        threshold=Fraction(0),
        kind_thresholds=(),
        threshold_base="party-votes",
        regional_threshold=None,
        regional_threshold_base=None,
        district_threshold=None,
        alliances=(),
    )


def allocate_pooled(
    election: Election, rules: Rules, *, rng: np.random.Generator | None = None
) -> Allocation:
    """``allocate`` for rules with alliances pooled for the allocation (see the module)."""
    where = election.path or election.name
    elig = assess(election, rules)  # (checks the alliances' lists; pools the thresholds)
    names, votes = election.names, election.votes
    plain = bare(rules)
    member_of = {n: a for a in rules.alliances if a.pools_allocation for n in a.lists}
    pooled = {a.name for a in member_of.values()}
    groups: dict[str, list[int]] = {}  # stage-1 entry → the lists it stands for
    kinds: dict[str, str | None] = {}
    for i, p in enumerate(election.parties):
        if not elig.passed[i]:
            continue
        a = member_of.get(p.name)
        entry = p.name if a is None else a.name
        groups.setdefault(entry, []).append(i)
        kinds.setdefault(entry, p.kind if a is None else a.kind)
    if not groups:
        raise InfeasibleError(f"{where}: {engine.STATUS_TEXT[engine.NO_LIST]}")
    stage1 = Election(
        name=where,
        parties=tuple(Party(e, int(votes[g].sum()), kind=kinds[e]) for e, g in groups.items()),
    )
    first = allocate_plain(stage1, plain, rng=rng)
    seats = np.zeros(len(names), dtype=np.int64)
    ties: list[tuple[str, Tie]] = []
    if first.tie is not None:
        ties.append(("", first.tie))
    notes = []
    for entry, got in zip(groups, first.seats, strict=True):
        g = groups[entry]
        if entry not in pooled:
            seats[g[0]] = got
            continue
        split = _split(where, entry, g, int(got), names, votes, election, plain, rng)
        seats[g] = split.seats if split is not None else 0
        if split is not None and split.tie is not None:
            ties.append((f"alliance {entry}'s seats: ", split.tie))
        shares = ", ".join(f"{names[i]} {int(seats[i])}" for i in g)
        notes.append(
            f"alliance {entry} pooled for the allocation: {plural(int(votes[g].sum()), 'vote')}"
            f", {plural(int(got), 'seat')} together, split {shares}"
        )
    notes[:0] = threshold_notes(rules, names, votes, elig.passed)
    notes.extend(f"{at}{tie.describe()}" for at, tie in ties)
    return settle(election, rules, elig, seats, ties[0][1] if ties else None, notes)


def _split(
    where: str,
    entry: str,
    members: list[int],
    seats: int,
    names: tuple[str, ...],
    votes: np.ndarray,
    election: Election,
    plain: Rules,
    rng: np.random.Generator | None,
) -> Allocation | None:
    """Stage 2: an alliance's seats among its members taking part (None: no seats)."""
    if seats == 0:
        return None
    alone = Election(
        name=f"{where}: alliance {entry}'s {plural(seats, 'seat')}",
        parties=tuple(
            Party(names[i], int(votes[i]), kind=election.parties[i].kind) for i in members
        ),
    )
    return allocate_plain(alone, plain.replace(seats=seats), rng=rng)


def allocate_batch_allied(
    votes: ArrayLike,
    rules: Rules,
    names: Sequence[str],
    *,
    base: ArrayLike | None = None,
    threshold: Any = None,
    eligible: ArrayLike | None = None,
    seats: ArrayLike | None = None,
    rng: np.random.Generator | None = None,
    detail: bool = False,
) -> Any:
    """``allocate_batch`` under rules with alliances: ``names`` (P,) names the columns.

    The threshold (``rules.threshold`` or ``threshold=``, one value or one per row, on
    ``base`` or the row's sum) is pooled for the alliances that pool it; ``eligible`` (N, P)
    narrows who takes part. Stage 1 is one batch call over the merged columns, stage 2 one
    call per alliance over its members with the alliance's seats of each row as the house;
    under ties="lot" the lots are drawn in that order (the same for any chunking). Thresholds
    per kind of list are refused (the columns have no kinds). Returns (N, P) seats, or with
    ``detail=True`` a ``BatchAllocation`` (a row is tied, or decided by lot, when either
    stage is).
    """
    if rules.kind_thresholds:
        raise InputError(
            "rules: thresholds per kind of list need the lists' kinds: use allocate or "
            "allocate_districts"
        )
    names = tuple(names)
    plain = bare(rules)
    batch = _BatchInput.check(votes, plain, base, threshold, rng, eligible, seats)
    v = batch.votes
    N, P = v.shape
    if len(names) != P:
        raise InputError(f"names: {len(names)} names for {P} columns of votes")
    check_members(rules.alliances, names, "names")
    b = v.sum(axis=1) if batch.base is None else batch.base
    need = min_votes_rows(batch.threshold, b, rules.strict)
    entries = _entries(rules.alliances, names)
    order = np.concatenate([np.array(m, dtype=np.intp) for m in entries])
    starts = np.cumsum([0, *(len(m) for m in entries[:-1])])
    pooled = {e: np.array(m, dtype=np.intp) for e, m in enumerate(entries) if len(m) > 1}
    merged = np.empty((N, len(entries)), dtype=np.int64)
    members = {e: np.empty((N, m.size), dtype=np.int64) for e, m in pooled.items()}

    def taking(a: int, z: int) -> np.ndarray:
        """Rows [a, z): the votes of the lists taking part there, zero for the others."""
        ok = pool_rows(v[a:z] >= need[a:z, None], v[a:z], need[a:z], rules.alliances, names)
        if batch.eligible is not None:
            ok &= batch.eligible[a:z]
        return np.where(ok, v[a:z], 0)

    for a in range(0, N, BLOCK_ROWS):  # in blocks of rows: they stay in the cache
        z = min(N, a + BLOCK_ROWS)
        part = taking(a, z)
        merged[a:z] = np.add.reduceat(part[:, order], starts, axis=1)
        for e, cols in pooled.items():
            members[e][a:z] = part[:, cols]
    first = allocate_batch_detail(  # (each entry's columns side by side, added up)
        merged, plain, threshold=0, seats=batch.seats if seats is not None else None, rng=rng
    )
    out = np.zeros_like(first.seats, shape=(N, P))
    alone = [e for e, m in enumerate(entries) if len(m) == 1]
    out[:, [entries[e][0] for e in alone]] = first.seats[:, alone]
    tied, lot = first.tied.copy(), first.decided_by_lot.copy()
    rule = np.zeros(N, dtype=bool) if first.decided_by_rule is None else first.decided_by_rule
    rule = rule.copy()
    for e, cols in pooled.items():
        rows = np.flatnonzero(first.seats[:, e] > 0)
        if not rows.size:
            continue
        split = allocate_batch_detail(
            members[e][rows],
            plain,
            threshold=0,
            seats=first.seats[rows, e].astype(np.int64),
            rng=rng,
        )
        out[np.ix_(rows, cols)] = split.seats
        tied[rows] |= split.tied
        lot[rows] |= split.decided_by_lot
        if split.decided_by_rule is not None:
            rule[rows] |= split.decided_by_rule
    result = BatchAllocation(out, tied, lot, first.status, rule)
    if detail:
        return result
    undecided = tied & ~lot & ~rule  # (ties = "error", or "most-votes" left equal votes)
    if undecided.any():
        row = int(np.flatnonzero(undecided)[0])
        lists = tuple(names[i] for i in np.flatnonzero(taking(row, row + 1)[0] > 0))
        raise TieError(
            f"votes: draw {row} is tied under {rules.method_spec.label} with alliances "
            f"pooled: its seats depend on how a tie is broken (lists taking part: "
            f'{", ".join(lists)}); use ties="lot"',
            lists,
        )
    bad = np.flatnonzero(first.status)
    if bad.size:
        row = int(bad[0])
        raise InfeasibleError(f"votes: draw {row}: {engine.STATUS_TEXT[int(first.status[row])]}")
    return out


def district_notes(
    rules: Rules,
    names: Sequence[str],
    votes: np.ndarray,
    passed: Sequence[bool] | np.ndarray,
    seats: np.ndarray,
) -> list[str]:
    """The alliances of a districted election: national threshold pooling (on the national
    votes), and the seats of each alliance pooled for the allocation in every district."""
    out = threshold_notes(rules, names, votes, passed, prefix="national threshold: ")
    for a in rules.alliances:
        if a.pools_allocation:
            cols = columns(a, names)
            total = int(seats[:, cols].sum())
            split = ", ".join(f"{names[i]} {int(seats[:, i].sum())}" for i in cols)
            out.append(
                f"alliance {a.name} pooled for the allocation in every district: "
                f"{plural(total, 'seat')} together, split {split}"
            )
    return out


def _entries(alliances: Sequence[Alliance], names: Sequence[str]) -> list[list[int]]:
    """The columns of stage 1, each the lists it stands for: an alliance pooled for the
    allocation at the place of its first member, every other list alone."""
    member_of = {n: a for a in alliances if a.pools_allocation for n in a.lists}
    out: list[list[int]] = []
    placed: set[str] = set()
    for i, n in enumerate(names):
        a = member_of.get(n)
        if a is None:
            out.append([i])
        elif a.name not in placed:
            placed.add(a.name)
            out.append(columns(a, names))
    return out


__all__ = ["allocate_batch_allied", "allocate_pooled", "bare", "district_notes"]
