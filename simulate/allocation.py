"""``allocate``: rules applied to one election's votes on the one engine, with every list's
eligibility and why, and the tie if any (``Allocation``). ``simulate.batch.allocate_batch``
is the same for N draws at once. Both apply the threshold exactly (``simulate.threshold``)
and call ``simulate.engine.allocate_pm``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from simulate import engine
from simulate.alliance import threshold_notes
from simulate.election import BASE_WORDS, Election
from simulate.eligibility import Eligibility, Shortfall, assess
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.filekeys import shown
from simulate.lawrules import equal_votes, factor_notes, need_generator, rounded_tie_detail
from simulate.methods import (
    Method,
    QuotaMethod,
    check_exact,
)
from simulate.rules import Rules, format_factor
from simulate.threshold import format_percent
from simulate.wording import and_list, plural


@dataclass(frozen=True)
class ListResult:
    """One list's outcome: seats, whether it took part, and why not: ``reasons`` in words,
    ``shortfalls`` in numbers (each threshold missed, the votes had and needed), ``short_by``
    the votes short of the national threshold."""

    name: str
    votes: int
    share: Fraction
    passed: bool
    seats: int
    reasons: tuple[str, ...] = ()
    short_by: int | None = None
    official_seats: int | None = None
    shortfalls: tuple[Shortfall, ...] = ()


RULE_DECIDES = {
    "first-listed": "the list listed first wins",
    "most-votes": "the list with more votes wins",
}
"""What each tie rule of a law (``Tie.rule``) says, in words."""


@dataclass(frozen=True)
class Tie:
    """The last seat(s) had more than one valid owner. ``rule``: the tie rule of the law that
    decided it ("first-listed", "most-votes"), or None; with ``decided_by_lot`` too, the rule
    left lists with equal votes tied and a lot settled them."""

    lists: tuple[str, ...]
    seats: int
    decided_by_lot: bool
    rule: str | None = None

    @property
    def how(self) -> str:
        """How the tie was settled, in words."""
        if self.rule is not None and self.decided_by_lot:
            return (
                f"decided by lot among lists with equal votes (the rule of the law: "
                f"{RULE_DECIDES[self.rule]})"
            )
        if self.rule is not None:
            return f"decided by the rule of the law: {RULE_DECIDES[self.rule]}"
        return "decided by lot" if self.decided_by_lot else "undecided"

    def describe(self) -> str:
        s = "seat" if self.seats == 1 else "seats"
        return f"tie for the last {self.seats} {s} between {', '.join(self.lists)} ({self.how})"


REPR_LISTS = 6
"""How many lists ``repr(Allocation)`` names before "… N more"."""


@dataclass(frozen=True)
class Allocation:
    """The result of ``allocate``: per-list seats, eligibility and why, ties, the rules used."""

    election: Election
    rules: Rules
    lists: tuple[ListResult, ...]
    base: int
    threshold_votes: int
    tie: Tie | None = None
    regional_checked: bool | None = None
    notes: tuple[str, ...] = field(default=())
    regional_unchecked: tuple[str, ...] = ()
    """Regions the seed names but gives no votes for: the regional rule was not checked there."""
    regional_notes: tuple[str, ...] = ()
    """What the result cannot say about the regional rule (also among ``notes``): where it was
    not checked, and shares too close to tell; the figures' captions repeat them."""

    @property
    def seats(self) -> np.ndarray:
        return np.array([r.seats for r in self.lists], dtype=np.int64)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.lists)

    def seats_of(self, name: str) -> int:
        for r in self.lists:
            if r.name == name:
                return r.seats
        raise InputError(f"no list named {name!r}")

    def as_dict(self) -> dict[str, int]:
        """{list name: seats} for the lists that won seats, largest first."""
        won = [r for r in self.lists if r.seats]
        return {r.name: r.seats for r in sorted(won, key=lambda r: -r.seats)}

    def __repr__(self) -> str:
        """One line: the method, the house, the threshold and cap, and the seats won, e.g.
        'Allocation(hare, 120 seats, 7% of participants, at most 65: Birimdik 46, …)'."""
        rules = self.rules
        parts = [rules.method, plural(rules.seats, "seat")]
        if rules.threshold:
            more = "more than " if rules.strict else ""
            parts.append(
                f"{more}{format_percent(rules.threshold)} of {BASE_WORDS[rules.threshold_base]}"
            )
        if rules.regional_threshold:
            parts.append(f"{format_percent(rules.regional_threshold)} in every region")
        if rules.max_seats is not None:
            parts.append(f"at most {rules.max_seats}")
        if rules.min_seats:
            parts.append(f"at least {rules.min_seats}")
        if rules.quota_rounding != "exact":
            parts.append(f"quota rounded {rules.quota_rounding}")
        for kind, factor in rules.quotient_factors:
            parts.append(f"{kind} × {format_factor(factor)}")
        won = [f"{name} {seats}" for name, seats in self.as_dict().items()]
        if len(won) > REPR_LISTS:
            won[REPR_LISTS:] = [f"… {len(won) - REPR_LISTS} more"]
        tie = ""
        if self.tie is not None:
            tie = f"; tie for {plural(self.tie.seats, 'seat')} {self.tie.how}"
        return f"Allocation({', '.join(parts)}: {', '.join(won) or 'no seats'}{tie})"


def shortfalls(result: Allocation) -> tuple[tuple[Shortfall, ...], ...]:
    """For each list (seed order), the thresholds it missed; empty for a list that passed."""
    return tuple(r.shortfalls for r in result.lists)


def check_call(rules: Rules, rng: np.random.Generator | None) -> None:
    """The rules must be a ``Rules`` and a generator a ``numpy.random.Generator`` (checked at
    once, not when a tie first needs the lot)."""
    if not isinstance(rules, Rules):
        raise InputError(f"rules: need a Rules, not {shown(rules)}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise InputError(
            f"rng: need a numpy.random.Generator (numpy.random.default_rng(seed)), not {shown(rng)}"
        )


def allocate(
    election: Election, rules: Rules, *, rng: np.random.Generator | None = None
) -> Allocation:
    """Allocate the seats of one election under ``rules``.

    Raises ``TieError`` naming the tied lists under ties="error", ``InfeasibleError`` when no
    list passes or a cap or minimum (or a rounded quota) makes the seats impossible to fill.
    Under ties="lot" a tie is decided with ``rng`` (required then) and reported in
    ``Allocation.tie``; under a tie rule of a law ("first-listed", "most-votes",
    "most-votes-then-lot") it is decided by the rule and reported with ``Tie.rule`` (a
    most-votes tie among equal votes raises ``TieError``, or goes to a lot with ``rng``).
    ``rules.quotient_factors`` look up each list's ``kind``.
    """
    if not isinstance(election, Election):
        raise InputError(f"election: need an Election, not {shown(election)}")
    check_call(rules, rng)
    if any(a.pools_allocation for a in rules.alliances):
        # allocated as one, then split: two plain allocations composed by the layer above
        # (imported here, when needed: simulate.alliances imports this module)
        from simulate.alliances import allocate_pooled

        return allocate_pooled(election, rules, rng=rng)
    method = rules.method_spec
    elig = assess(election, rules)
    passed = np.array(elig.passed)
    base, vmin, checked = elig.base, elig.threshold_votes, elig.regional_checked
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
    results = []
    for i, p in enumerate(election.parties):
        missed = elig.shortfalls[i]
        why = [m.sentence(base, rules.strict) for m in missed]
        if passed[i] and votes[i] == 0:
            why.append("no votes")
        national = [m for m in missed if m.region is None]
        results.append(
            ListResult(
                name=p.name,
                votes=int(votes[i]),
                share=Fraction(int(votes[i]), base) if base else Fraction(0),
                passed=bool(passed[i]),
                seats=int(seats[i]),
                reasons=tuple(why),
                short_by=national[0].short_by if national else None,
                official_seats=p.official_seats,
                shortfalls=missed,
            )
        )
    notes = []
    reg = regional_notes(election, rules, elig)
    notes.extend(reg)
    notes.extend(threshold_notes(rules, election.names, votes, elig.passed))
    notes.extend(factor_notes(election, rules))
    if election.districts:  # said, not silent: allocate_districts allocates them one by one
        notes.append(
            f"one national constituency: the {len(election.districts)} districts' votes pooled"
        )
    return Allocation(
        election,
        rules,
        tuple(results),
        base,
        vmin,
        tie,
        checked,
        tuple(notes),
        regional_unchecked=elig.regional_unchecked,
        regional_notes=tuple(reg),
    )


def regional_notes(election: Election, rules: Rules, elig: Eligibility) -> list[str]:
    """What the results cannot say about the regional rule: not checked at all, checked in some
    regions only (naming them, and those given as published percentages), or too close to tell
    from a published percentage."""
    if rules.regional_threshold is None or elig.regional_checked is None:
        return []
    if not elig.regional_checked:
        return (
            []
            if elig.regional_checked is None
            else [
                f"regional threshold {format_percent(rules.regional_threshold)} not "
                "checked: the seed has no regional votes"
            ]
        )
    t = format_percent(rules.regional_threshold)
    notes = []
    if elig.regional_unchecked:
        shares = election.share_regions
        how = (
            ""
            if not shares
            else ", from published percentages"
            if len(shares) == len(election.region_names)
            else f" ({and_list(shares)} from published percentages)"
        )
        notes.append(
            f"regional threshold {t} checked in {and_list(election.region_names)} only{how}; "
            f"not checked in {and_list(elig.regional_unchecked)}, where the seed gives no "
            "votes: no list is failed or passed there"
        )
    for name, region, text in elig.regional_undecided:
        notes.append(
            f"{name} has {text} in {region} as published, too close to {t} to tell at that "
            "rounding: not failed there"
        )
    return notes


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
