"""The plain allocation of one election: every list on its own, the rules' threshold, cap,
minimum, tie rule and quotient factors applied on the one engine (``simulate.engine``), ties
named exactly (``Tie``) and seats that cannot be filled explained (``InfeasibleError``).

``simulate.allocation.allocate`` is the public entry: it checks its arguments and sends rules
with an alliance pooled for the allocation to ``simulate.alliances``, whose two stages are
each a plain allocation.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from simulate import engine
from simulate.election import Election
from simulate.eligibility import assess, threshold_notes
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.lawrules import equal_votes, factor_notes, need_generator, rounded_tie_detail
from simulate.methods import Method, QuotaMethod, check_exact
from simulate.outcome import Allocation, Tie, settle
from simulate.rules import Rules
from simulate.wording import plural


def allocate_plain(
    election: Election, rules: Rules, *, rng: np.random.Generator | None = None
) -> Allocation:
    """``allocate`` for an election whose lists all stand on their own (no alliance pooled for
    the allocation; the arguments already checked): see ``simulate.allocation.allocate``."""
    assert not any(a.pools_allocation for a in rules.alliances), "use allocate"
    method = rules.method_spec
    elig = assess(election, rules)
    passed = np.array(elig.passed)
    votes = election.votes
    where = election.path or election.name
    mult = rules.quotient_multipliers([p.kind for p in election.parties], where)
    scale = 1.0 if mult is None else float(mult.max())
    try:
        check_exact(
            method,
            float(votes.max(initial=0)) * scale,
            float(votes.sum()) * scale,
            rules.seats,
            len(votes),
        )
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    quotient_votes = votes if mult is None else votes * mult  # (divisor methods only)
    v = quotient_votes.astype(np.float64)[:, None]

    def run(priority: np.ndarray | None = None, lots=None) -> engine.EngineResult:
        return engine.allocate_pm(
            method,
            v,
            passed[:, None],
            rules.seats,
            max_seats=rules.max_seats,
            min_seats=rules.min_seats,
            priority=priority,
            lots=lots,
        )

    res = run()
    tie = None
    if res.tied[0]:
        free = passed & (votes > 0) if res.free is None else res.free[:, 0]
        if res.status[0] == engine.OK and _last_round_tied(method, v, res, free, rules.seats):
            lists, at_stake = _tie_detail(method, quotient_votes, res.seats[:, 0], free, election)
            when = ""
        else:  # a tie before a cap or minimum held lists (or left the seats unfilled)
            lists, at_stake, when = _earlier_tie(method, quotient_votes, v, passed, rules, election)
        what = f"{where}: tie for the last {plural(at_stake, 'seat')} between {', '.join(lists)}"
        if rules.ties == "error":
            raise TieError(
                f'{what} under {method.label}{when}; set ties = "lot" to decide it by lot',
                lists,
                at_stake,
            )
        if rules.ties == "first-listed":  # the engine's own order: the earlier list first
            tie = Tie(lists, at_stake, False, "first-listed")
        elif rules.ties == "lot":
            gen = need_generator(rng, where, rules.ties)
            res = run(lots=lambda cols: engine.lot_priority(gen, len(votes), 1))
            tie = Tie(lists, at_stake, True)
        else:  # most-votes: both list orders among equal votes; they agree: the rule decides
            real = votes.astype(np.float64)[:, None]
            res = run(engine.rule_priority(real))
            other = run(engine.rule_priority(real, later_first=True))
            if np.array_equal(res.seats, other.seats) and res.status[0] == other.status[0]:
                tie = Tie(lists, at_stake, False, "most-votes")
            elif rules.ties == "most-votes":
                raise TieError(
                    f"{what} under {method.label}{when}; the most-votes rule cannot decide it: "
                    f'{equal_votes(election, lists)}; set ties = "most-votes-then-lot" to '
                    "decide it by lot",
                    lists,
                    at_stake,
                )
            else:
                lot = engine.lot_priority(need_generator(rng, where, rules.ties), len(votes), 1)
                res = run(engine.rule_priority(real, lot=lot))
                tie = Tie(lists, at_stake, True, "most-votes")
    status = int(res.status[0])  # (after a lot: whether the seats fill may hang on it)
    if status != engine.OK:
        detail, text = "", engine.STATUS_TEXT[status]
        n_pass = int((passed & (votes > 0)).sum())
        passing = f"{n_pass} list passes" if n_pass == 1 else f"{n_pass} lists pass"
        counts_fit = (rules.max_seats is None or n_pass * rules.max_seats >= rules.seats) and (
            rules.min_seats is None or n_pass * rules.min_seats <= rules.seats
        )
        house = plural(rules.seats, "seat")
        if status in (engine.CAP_TOO_LOW, engine.MIN_TOO_HIGH) and counts_fit:
            # the counts allow it, but holding lists at the bounds round by round got stuck
            # (with one bound, counts that fit always fill the house: both bounds are set)
            assert rules.max_seats is not None and rules.min_seats is not None
            text = (
                "holding lists at the seat cap and at the minimum round by round (a held "
                "list stays held) cannot fill the seats exactly"
            )
            detail = (
                f" ({passing}, at most {rules.max_seats} and at least "
                f"{plural(rules.min_seats, 'seat')} each, {house})"
            )
        elif status == engine.CAP_TOO_LOW:
            assert rules.max_seats is not None  # the engine reports it only under a cap
            detail = f" ({passing}, at most {plural(rules.max_seats, 'seat')} each, {house})"
        elif status == engine.MIN_TOO_HIGH:
            assert rules.min_seats is not None  # the engine reports it only under a minimum
            detail = f" ({passing}, at least {plural(rules.min_seats, 'seat')} each, {house})"
        elif status == engine.QUOTA_UNFIT:
            assert isinstance(method, QuotaMethod)  # the engine reports it only then
            taking = votes[passed & (votes > 0)]
            q = method.rounded_quota(int(taking.sum()), rules.seats)
            whole = int((taking // q).sum()) if q else 0
            detail = (
                f" (quota {q:,}, {method.label}: {plural(whole, 'seat')} by whole quotas, "
                f"{passing}, {house})"
            )
        if tie is not None:
            detail += (
                f"; a lot decided it (the tie between {', '.join(tie.lists)}): "
                "another lot may fill the seats"
            )
        raise InfeasibleError(f"{where}: {text}{detail}")

    seats = res.seats[:, 0]
    notes = [
        *threshold_notes(rules, election.names, votes, elig.passed),
        *factor_notes(election, rules),
    ]
    return settle(election, rules, elig, seats, tie, notes)


def _last_round_tied(
    method: Method, v: np.ndarray, res: engine.EngineResult, free: np.ndarray, seats: int
) -> bool:
    """Whether the last round (the free lists sharing what the held ones left) is tied: the
    engine's flag also covers ties in earlier rounds that could change the held lists."""
    left = seats - int(res.seats[~free, 0].sum())
    if left <= 0 or not free.any():
        return False
    return bool(engine.allocate_pm(method, v * free[:, None], None, left).tied[0])


def _earlier_tie(
    method: Method,
    votes: np.ndarray,
    v: np.ndarray,
    passed: np.ndarray,
    rules: Rules,
    election: Election,
) -> tuple[tuple[str, ...], int, str]:
    """The tie of a round before the last (it decided which lists a cap or minimum held):
    the first round's, when it is tied; else every list the engine could hold either way."""
    which = "seat cap" if rules.max_seats is not None else "minimum"
    if rules.max_seats is not None and rules.min_seats is not None:
        which = "seat cap and minimum"
    first = engine.allocate_pm(method, v, passed[:, None], rules.seats)
    if first.tied[0]:
        lists, at_stake = _tie_detail(
            method, votes, first.seats[:, 0], passed & (votes > 0), election
        )
        return lists, at_stake, f", before the {which} applies (it decides which lists it holds)"
    names = tuple(p.name for p, ok in zip(election.parties, passed & (votes > 0)) if ok)
    return names, 1, f", in a round of the {which} (it decides which lists it holds)"


def _tie_detail(
    method: Method, votes: np.ndarray, seats: np.ndarray, free: np.ndarray, election: Election
) -> tuple[tuple[str, ...], int]:
    """Which lists share the cut, and how many seats are at stake among them (exact)."""
    names = election.names
    idx = [i for i in range(len(votes)) if free[i]]
    v = {i: int(votes[i]) for i in idx}
    s = {i: int(seats[i]) for i in idx}
    if isinstance(method, QuotaMethod) and method.rounding != "exact":
        return rounded_tie_detail(method, v, s, idx, names)
    if method.family == "quota":
        total = sum(v.values())
        house = sum(s.values()) + method.offset
        rem = {i: Fraction(v[i] * house, total) - (v[i] * house) // total for i in idx}
        floors = {i: (v[i] * house) // total for i in idx}
        bonus = [i for i in idx if s[i] > floors[i]]
        if bonus:
            cut = min(rem[i] for i in bonus)
        else:  # exact Droop quota, one seat taken back from equal zero remainders
            cut = Fraction(0)
            return tuple(names[i] for i in idx if floors[i] > 0), 1
        tied = [i for i in idx if rem[i] == cut]
        return tuple(names[i] for i in tied), sum(1 for i in tied if i in bonus)

    def key(i: int, k: int) -> Fraction:
        # the quotient (squared for Huntington–Hill) of list i's (k+1)-th seat
        d = method.divisor_exact(k)
        num = v[i] * v[i] if method.sqrt else v[i]
        return Fraction(num, d) if d else Fraction(10**30)

    last = {i: key(i, s[i] - 1) for i in idx if s[i] > 0}
    nxt = {i: key(i, s[i]) for i in idx if v[i] > 0}
    cut = min(last.values())
    tied = [i for i in idx if last.get(i) == cut or nxt.get(i) == cut]
    return tuple(names[i] for i in tied), sum(1 for i in tied if last.get(i) == cut)


__all__ = ["allocate_plain"]
