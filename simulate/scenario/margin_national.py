"""The national threshold of a districted election along a vote path
(``simulate.scenario.margin_district_pairs``, ``margin_district_lists``).

Votes changed in one district change the lists' national votes, and added or lost votes
change the national base too (unless it is registered voters). Along a path of x votes, list
k passes a threshold p/q while q·(V_k + x·dv_k) − p·(B + x·dB) is ≥ 0 (> 0 under a strict
rule): linear in x, so each list turns over at most once (``national_flips``, exact in
integers). Between those counts the national outcome is constant, and so are the seats of
every other district (``Outcomes``, one engine call per outcome met).
"""

from __future__ import annotations

import numpy as np

from simulate import engine
from simulate.batch import allocate_batch
from simulate.districts import DistrictAllocation
from simulate.election import Election
from simulate.rules import Rules
from simulate.scenario.margin_context import Context, district_context
from simulate.scenario.margin_paths import plain


def national_flips(
    election: Election,
    rules: Rules,
    passed: np.ndarray,
    step: np.ndarray,
    base_step: int,
    limit: int,
) -> list[tuple[int, int]]:
    """(x, list), ascending: the count x in 1 … limit at which each list turns over the
    national threshold along the path (votes ``V + x·step``, base ``B + x·base_step``)."""
    base = election.base(rules.threshold_base)
    where = election.path or election.name
    out = []
    for k, p in enumerate(election.parties):
        if p.exempt or (base_step == 0 and step[k] == 0):  # its test does not move
            continue
        t = rules.threshold_of(p.kind, p.name, where)
        a = t.denominator * p.votes - t.numerator * base  # the test at x = 0
        b = t.denominator * int(step[k]) - t.numerator * base_step  # its change per vote
        if passed[k] and b < 0:  # fails once a + b·x < 0 (≤ 0 when strict)
            x = -(a // b) if rules.strict else a // -b + 1
        elif not passed[k] and b > 0:  # passes once a + b·x ≥ 0 (> 0 when strict)
            x = -a // b + 1 if rules.strict else -(a // b)
        else:
            continue
        if x <= limit:
            out.append((max(int(x), 1), k))
    return sorted(out)


def outcome_at(passed: np.ndarray, flips: list[tuple[int, int]], x: int) -> np.ndarray:
    """Which lists pass the national threshold after x votes of the path."""
    state = passed.copy()
    for at, k in flips:
        if at <= x:
            state[k] = not state[k]
    return state


def turned(
    names: tuple[str, ...], passed: np.ndarray, flips: list[tuple[int, int]], x: int
) -> str | None:
    """How x votes of the path turn the national threshold's outcome (None: they do not)."""
    which = [k for at, k in flips if at <= x]
    if not which:
        return None
    return ", ".join(
        f"{names[k]} {'fails' if passed[k] else 'passes'} the national threshold" for k in which
    )


class Outcomes:
    """The seats of every district under a national outcome (which lists pass), at the
    reported district votes; one engine call per outcome met, kept."""

    def __init__(self, election: Election, rules: Rules, result: DistrictAllocation):
        self.votes = election.district_votes()
        self.house = election.district_seats()
        self.result = result
        self.method = rules.method_spec
        exempt = np.array([p.exempt for p in election.parties], dtype=bool)
        need = result.district_threshold_votes
        self.local = result.stood & ((self.votes >= need[:, None]) | exempt[None, :])
        self.rules = plain(rules)
        self.done: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.outside: dict[tuple[bytes, int], tuple[np.ndarray, bool, bool, bool]] = {}
        self.ranked: dict[tuple[bytes, int, bool], np.ndarray] = {}
        self.election, self.given = election, rules
        self.contexts: dict[int, Context] = {}

    def district(self, j: int, passed: np.ndarray) -> Context:
        """District j at its reported votes as a constituency of its own, with the lists
        that fail the national threshold under ``passed`` held out."""
        if j not in self.contexts:
            self.contexts[j] = district_context(
                self.election, self.given, j, self.result.seats[j], passed, self.votes[j]
            )
        return self.contexts[j].holding_out(~passed)

    def under(self, passed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(D, P) seats, (D,) tied and (D,) status with ``passed`` the national outcome."""
        key = passed.tobytes()
        if key not in self.done:
            out = allocate_batch(
                self.votes,
                self.rules,
                threshold=0,
                eligible=self.local & passed[None, :],
                seats=self.house,
                detail=True,
            )
            self.done[key] = (out.seats.astype(np.int64), out.tied, out.status)
        return self.done[key]

    def elsewhere(self, passed: np.ndarray, j: int) -> tuple[np.ndarray, bool, bool, bool]:
        """Outside district j: (P,) seats in total, and whether they differ from the reported
        ones, hold a tie, and can all be filled."""
        key = (passed.tobytes(), j)
        if key not in self.outside:
            seats, tied, status = self.under(passed)
            rest = np.arange(seats.shape[0]) != j
            self.outside[key] = (
                seats[rest].sum(0),
                bool((seats[rest] != self.result.seats[rest]).any()),
                bool(tied[rest].any()),
                bool((status[rest] == engine.OK).all()),
            )
        return self.outside[key]

    def list_seats(self, passed: np.ndarray, i: int, first: bool) -> np.ndarray:
        """(D,) list i's seats in each district when every tie goes its way (``first``) or
        against it (the other lists ranked as by default, the earlier higher)."""
        key = (passed.tobytes(), i, first)
        if key not in self.ranked:
            P = self.votes.shape[1]
            ok = self.local & passed[None, :]
            vm = np.ascontiguousarray((self.votes * ok).T.astype(np.float64))
            prio = np.arange(P, 0, -1, dtype=np.float64)[:, None]
            prio[i, 0] = P + 1.0 if first else 0.0
            res = engine.allocate_pm(self.method, vm, None, self.house, priority=prio)
            self.ranked[key] = res.seats[i].astype(np.int64)
        return self.ranked[key]


__all__ = ["Outcomes", "national_flips", "outcome_at", "turned"]
