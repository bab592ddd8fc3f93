"""A districted election: the method applied in every district, on the one engine.

``allocate_districts(election, rules)`` makes the election's districts the rows of ONE
``allocate_batch`` call: a (D, P) array of votes (zero where a list did not stand), the
district seats per row, and an ``eligible`` mask that says who takes part where:

- the national threshold (``rules.threshold``, or one per kind of list) on the national base
  (the lists' votes summed over the districts, or a count the election gives): a list that
  fails it takes part in no district;
- the district threshold (``rules.district_threshold``) on the district's votes for lists,
  or on its valid votes (lists + blank ballots, ``district_threshold_base="valid"``);
- a list marked exempt skips both.

Thresholds are exact (``simulate.threshold``); a tie in a district is an error naming the
district and the lists, or, under ties="lot", decided with the generator and reported, or
decided by the tie rule of a law ("first-listed", "most-votes": on the district's votes) and
reported as such. Rounded quotas and quotient factors apply in every district (the factors
by the lists' kinds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.alliance import pool_rows, present
from simulate.alliances import allocate_batch_allied, district_notes
from simulate.allocation import Allocation, Tie, allocate
from simulate.batch import allocate_batch
from simulate.election import Election, Party
from simulate.eligibility import assess
from simulate.engine import STATUS_TEXT
from simulate.errors import InfeasibleError, InputError, TieError
from simulate.lawrules import equal_votes, factor_notes
from simulate.outcome import list_results
from simulate.rules import Rules
from simulate.threshold import format_percent, min_votes, shortfall_text


@dataclass(frozen=True)
class DistrictTie:
    """A district whose last seat(s) had more than one valid owner (decided by lot)."""

    district: str
    tie: Tie


@dataclass(frozen=True)
class DistrictAllocation:
    """Seats per district and list, and in total.

    ``national`` is an ``Allocation`` of the totals: each list's national votes, whether it
    passed the national threshold and why not, and its seats summed over the districts.
    ``seats``, ``stood``, ``took_part`` are (D, P) arrays in the order of ``districts`` and
    the election's lists; ``reasons[d][i]`` says why list i, standing in district d, took no
    part there. ``district_base`` (D,) is each district's votes for lists (or its valid votes,
    under ``district_threshold_base="valid"``) and
    ``district_threshold_votes`` (D,) the smallest count taking part there (0: no rule).
    """

    election: Election
    rules: Rules
    national: Allocation
    districts: tuple[str, ...]
    seats: np.ndarray
    stood: np.ndarray
    took_part: np.ndarray
    reasons: tuple[tuple[tuple[str, ...], ...], ...]
    district_base: np.ndarray
    district_threshold_votes: np.ndarray
    ties: tuple[DistrictTie, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.election.names

    @property
    def totals(self) -> np.ndarray:
        """(P,) seats per list over all districts."""
        return self.seats.sum(0)

    def totals_dict(self) -> dict[str, int]:
        """{list: seats} for every list, in the election's order."""
        return {n: int(s) for n, s in zip(self.names, self.totals, strict=True)}

    def districts_dict(self) -> dict[str, dict[str, int]]:
        """{district: {list: seats}} for the lists that stood in each district."""
        return {
            d: {n: int(self.seats[j, i]) for i, n in enumerate(self.names) if self.stood[j, i]}
            for j, d in enumerate(self.districts)
        }

    def long_rows(self) -> list[dict[str, object]]:
        """One row per district and list that stood there (the long form of a CSV table)."""
        rows = []
        for j, d in enumerate(self.election.districts):
            for i, n in enumerate(self.names):
                if self.stood[j, i]:
                    rows.append(
                        {
                            "district": d.name,
                            "list": n,
                            "votes": int(d.votes[n]),
                            "seats": int(self.seats[j, i]),
                            "official_seats": None
                            if d.official_seats is None
                            else d.official_seats.get(n),
                            "took_part": bool(self.took_part[j, i]),
                            "why_not": "; ".join(self.reasons[j][i]),
                        }
                    )
        return rows


def allocate_districts(
    election: Election, rules: Rules, *, rng: np.random.Generator | None = None
) -> DistrictAllocation:
    """Allocate each district's seats by ``rules.method`` among the lists taking part there.

    ``rules.seats`` must be the districts' seats added up. Seat caps, minimums and regional
    thresholds are not defined per district and are refused.
    """
    where = election.path or election.name
    if not election.districts:
        raise InputError(f"{where}: no districts (allocate serves one constituency)")
    house = int(election.district_seats().sum())
    if rules.seats != house:
        raise InputError(f"{where}: seats: the rules say {rules.seats}, the districts have {house}")
    for key in ("max_seats", "min_seats", "regional_threshold"):
        if getattr(rules, key) is not None:
            raise InputError(f"{where}: {key} is not supported with districts")
    names = election.names
    votes = election.district_votes()  # (D, P)
    seats = election.district_seats()  # (D,)
    D, P = votes.shape
    stood = np.array(
        [[n in d.votes for n in names] for d in election.districts], dtype=bool
    ).reshape(D, P)
    exempt = np.array([p.exempt for p in election.parties], dtype=bool)

    elig = assess(election, rules)  # national thresholds, per kind, exemptions
    national_ok = np.array(elig.passed, dtype=bool)
    base, need = district_needs(election, rules)
    district_ok = (votes >= need[:, None]) | exempt[None, :]
    district_ok = pool_rows(district_ok, votes, need, rules.alliances, names)
    eligible = national_ok[None, :] & district_ok & stood

    plain = engine_rules(rules)
    kinds = [p.kind for p in election.parties]
    if rules.alliances:  # (quotient factors are refused with alliances: no kinds needed)
        out = allocate_batch_allied(
            votes, plain, names, threshold=0, eligible=eligible, seats=seats, rng=rng, detail=True
        )
    else:
        out = allocate_batch(
            votes,
            plain,
            threshold=0,
            eligible=eligible,
            seats=seats,
            rng=rng,
            detail=True,
            kinds=kinds,
        )
    by_rule = np.zeros(D, dtype=bool) if out.decided_by_rule is None else out.decided_by_rule
    undecided = np.flatnonzero(out.tied & ~out.decided_by_lot & ~by_rule)
    if undecided.size:  # ties = "error", or "most-votes" left lists with equal votes tied
        _raise_tie(election, votes, eligible, seats, int(undecided[0]), plain)
    ties = tuple(
        DistrictTie(
            election.districts[j].name,
            _tie_in(
                election,
                votes,
                eligible,
                seats,
                int(j),
                plain,
                lot=bool(out.decided_by_lot[j]),
                rule=_rule_of(rules) if by_rule[j] else None,
            ),
        )
        for j in np.flatnonzero(out.decided_by_lot | by_rule)
    )
    bad = np.flatnonzero(out.status)
    if bad.size:
        j = int(bad[0])
        raise InfeasibleError(
            f"{where}: district {election.districts[j].name!r}: {STATUS_TEXT[int(out.status[j])]}"
        )
    result_seats = out.seats.astype(np.int64)

    reasons = []
    for j in range(D):
        row = []
        for i in range(P):
            why: list[str] = []
            if stood[j, i] and not eligible[j, i]:
                if not national_ok[i]:
                    why.append("missed the national threshold")
                if not district_ok[j, i]:
                    assert rules.district_threshold is not None  # only then can a list miss it
                    share = shortfall_text(
                        int(votes[j, i]), int(base[j]), rules.district_threshold, rules.strict
                    )
                    why.append(
                        f"{share} of the district's {_BASE_WORDS[rules.district_threshold_base]} "
                        f"({int(votes[j, i]):,} votes, {int(need[j]):,} needed)"
                    )
            row.append(tuple(why))
        reasons.append(tuple(row))

    totals = result_seats.sum(0)
    lists = list_results(election, rules, elig, totals)  # (every shortfall is national)
    notes = [f"district {t.district}: {t.tie.describe()}" for t in ties]
    notes += district_notes(rules, names, election.votes, national_ok, result_seats)
    notes += factor_notes(election, rules)
    notes += [f"list {p.name}: exempt from the thresholds" for p in election.parties if p.exempt]
    if rules.district_threshold:
        notes.append(
            f"district threshold {format_percent(rules.district_threshold)} of each "
            f"district's {_BASE_WORDS[rules.district_threshold_base]}"
        )
    national = Allocation(
        election, rules, lists, elig.base, elig.threshold_votes, None, None, tuple(notes)
    )
    return DistrictAllocation(
        election,
        rules,
        national,
        election.district_names,
        result_seats,
        stood,
        eligible,
        tuple(reasons),
        base,
        need,
        ties,
    )


_BASE_WORDS = {"party-votes": "votes for lists", "valid": "valid votes"}


def district_needs(election: Election, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """(D,) each district's threshold base (its votes for lists, plus its blank ballots under
    ``district_threshold_base = "valid"``) and (D,) the fewest votes taking part there (0: no
    district threshold)."""
    base = election.district_votes().sum(1) + _blank(election, rules)
    need = np.zeros(base.shape[0], dtype=np.int64)
    if rules.district_threshold:
        need = np.array(
            [min_votes(rules.district_threshold, int(b), rules.strict) for b in base],
            dtype=np.int64,
        )
    return base, need


def engine_rules(rules: Rules) -> Rules:
    """The rules the engine gets once the thresholds are in an eligibility mask: none."""
    return rules.replace(
        threshold=0, kind_thresholds=(), district_threshold=None, threshold_base="party-votes"
    )


def _blank(election: Election, rules: Rules) -> np.ndarray | int:
    """Each district's blank ballots when the district threshold is on valid votes (lists +
    blank), else 0; a district without a blank count is an error naming it."""
    if rules.district_threshold_base != "valid":
        return 0
    missing = [d.name for d in election.districts if d.blank is None]
    if missing:
        raise InputError(
            f"{election.path or election.name}: district {missing[0]!r}: no blank count, "
            "needed by district_threshold_base = valid (a blank column in the district "
            "seats table)"
        )
    return np.array([d.blank for d in election.districts], dtype=np.int64)


def _district_election(
    election: Election, votes: np.ndarray, eligible: np.ndarray, seats: np.ndarray, j: int
) -> tuple[Election, int]:
    """District j alone, with the votes (and kinds) of the lists taking part there (ties and
    error paths only)."""
    taking = tuple(
        Party(p.name, int(votes[j, i]), kind=p.kind)
        for i, p in enumerate(election.parties)
        if eligible[j, i]
    )
    name = f"district {election.districts[j].name!r}"
    return Election(name=name, parties=taking), int(seats[j])


def _rule_of(rules: Rules) -> str | None:
    """The tie rule of a law the rules name ("most-votes-then-lot" is "most-votes")."""
    if rules.ties in ("first-listed", "most-votes"):
        return rules.ties
    return "most-votes" if rules.ties == "most-votes-then-lot" else None


def _alone_rules(rules: Rules, alone: Election, house: int) -> Rules:
    """The rules for one district alone: its house, ties raised (to name the tied lists),
    and the quotient factors of the kinds that take part there."""
    kinds = {p.kind for p in alone.parties}
    factors = tuple((k, f) for k, f in rules.quotient_factors if k in kinds)
    here = present(rules.alliances, alone.names)  # (those of its lists taking part)
    return rules.replace(seats=house, ties="error", quotient_factors=factors, alliances=here)


def _tie_in(
    election, votes, eligible, seats, j, rules: Rules, lot: bool, rule: str | None = None
) -> Tie:
    """The tie in district j, named by the single-election path (run on that district only)."""
    alone, house = _district_election(election, votes, eligible, seats, j)
    try:
        allocate(alone, _alone_rules(rules, alone, house))
    except TieError as exc:
        return Tie(exc.lists, exc.seats, lot, rule)
    return Tie((), 0, lot, rule)  # pragma: no cover (the batch flagged it)


def _raise_tie(election, votes, eligible, seats, j, rules: Rules) -> None:
    where = election.path or election.name
    tie = _tie_in(election, votes, eligible, seats, j, rules, lot=False)
    district = f"{where}: district {election.districts[j].name!r}"
    if rules.ties == "most-votes":
        alone, _ = _district_election(election, votes, eligible, seats, j)
        raise TieError(
            f"{district}: {tie.describe()} under {rules.method_spec.label}; the most-votes "
            f"rule cannot decide it: {equal_votes(alone, tie.lists)}; set ties = "
            '"most-votes-then-lot" to decide it by lot',
            tie.lists,
            tie.seats,
        )
    raise TieError(
        f"{district}: {tie.describe()} under "
        f'{rules.method_spec.label}; set ties = "lot" to decide it by lot',
        tie.lists,
        tie.seats,
    )


__all__ = [
    "DistrictAllocation",
    "DistrictTie",
    "allocate_districts",
    "district_needs",
    "engine_rules",
]
