"""Results as JSON-ready dictionaries: the stable ``--json`` output.

The layout is documented in README.md ("JSON output"): counts are exact integers, exact
thresholds are strings "p/q" beside a rounded percentage, shares are floats rounded to 6
decimals. Nothing here computes seats, prints or writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from fractions import Fraction
from typing import Any, SupportsFloat

from simulate.allocation import Allocation
from simulate.districts import DistrictAllocation
from simulate.eligibility import Shortfall, why_not
from simulate.rules import Rules, format_factor
from simulate.scenario.compare import Comparison, Outcome
from simulate.scenario.constituency import DistrictMeasures
from simulate.scenario.file import Scenario
from simulate.scenario.margins import ClosestCall, ListMargin, PairMargin
from simulate.scenario.measures import Measures
from simulate.scenario.result import ScenarioRun
from simulate.scenario.sweep import Interval, Sweep
from simulate.threshold import format_percent

SCHEMA = 2
"""Bumped whenever a key is renamed or removed (adding keys does not bump it)."""


def rules_summary(rules: Rules) -> dict[str, Any]:
    return {
        "seats": rules.seats,
        "method": rules.method,
        "threshold": format_percent(rules.threshold),
        "threshold_base": rules.threshold_base,
        "threshold_comparison": rules.threshold_comparison,
        "regional_threshold": None
        if rules.regional_threshold is None
        else format_percent(rules.regional_threshold),
        "max_seats": rules.max_seats,
        "min_seats": rules.min_seats,
        "ties": rules.ties,
        # the district rules' keys only when set (outputs without them stay as they were)
        **(
            {"threshold_by_kind": {k: format_percent(t) for k, t in rules.kind_thresholds}}
            if rules.kind_thresholds
            else {}
        ),
        **(
            {
                "alliances": [
                    {"lists": list(a.lists), "pool": a.pool, "kind": a.kind}
                    for a in rules.alliances
                ]
            }
            if rules.alliances
            else {}
        ),
        **(
            {"district_threshold": format_percent(rules.district_threshold)}
            if rules.district_threshold is not None
            else {}
        ),
        # the rules of a law likewise, only when set
        **({"quota_rounding": rules.quota_rounding} if rules.quota_rounding != "exact" else {}),
        **(
            {"quotient_factors": {k: format_factor(f) for k, f in rules.quotient_factors}}
            if rules.quotient_factors
            else {}
        ),
    }


def allocation_summary(result: Allocation) -> dict[str, Any]:
    e = result.election
    return {
        "election": e.name,
        "seed": e.path,
        "rules": rules_summary(result.rules),
        "description": result.rules.describe(),
        "base": {"name": result.rules.threshold_base, "votes": result.base},
        "threshold_votes": result.threshold_votes,
        "lists": [
            {
                "name": r.name,
                "votes": r.votes,
                "share": round(float(r.share), 6),
                "passed": r.passed,
                "seats": r.seats,
                "official_seats": r.official_seats,
                "short_by": r.short_by,
                "reasons": list(r.reasons),
            }
            for r in result.lists
        ],
        "seats_total": int(result.seats.sum()),
        "tie": None
        if result.tie is None
        else {
            "lists": list(result.tie.lists),
            "seats": result.tie.seats,
            "decided_by_lot": result.tie.decided_by_lot,
            "decided_by_rule": result.tie.rule,
        },
        "regional_checked": result.regional_checked,
        "regional_regions_checked": list(result.election.region_names)
        if result.regional_checked
        else [],
        "regional_regions_not_checked": list(result.regional_unchecked),
        "notes": list(result.notes),
    }


def round_share(x: SupportsFloat | None, digits: int = 6) -> float | None:
    return None if x is None else round(float(x), digits)


def exact_ratio(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def _exact(x: Fraction) -> dict[str, Any]:
    return {"exact": exact_ratio(x), "percent": round_share(100 * x)}


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    e = scenario.election
    return {
        "path": scenario.path,
        "title": scenario.title,
        "notes": scenario.notes.strip(),
        "election": {
            "name": e.name,
            "seed": e.path,
            "date": None if e.date is None else e.date.isoformat(),
            "seats": e.seats,
            "party_votes": e.party_votes,
            "participants": e.participants,
            "valid": e.valid,
            "registered": e.registered,
            "against_all": e.against_all,
            "invalid": e.invalid,
        },
    }


def measures_dict(m: Measures | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "gallagher_pct": round_share(m.gallagher),
        "loosemore_hanby_pct": round_share(m.loosemore_hanby),
        "enp_votes": round_share(m.enp_votes),
        "enp_seats": round_share(m.enp_seats),
        "wasted_votes": m.wasted_votes,
        "wasted_base": m.wasted_base,
        "wasted_base_votes": m.wasted_base_votes,
        "wasted_share": round_share(m.wasted_share),
        "majority": m.majority,
        "two_thirds": m.two_thirds,
    }


def shortfall_dict(s: Shortfall) -> dict[str, Any]:
    return {
        "threshold": format_percent(s.threshold),
        "base": s.base,
        "region": s.region,
        "votes": s.votes,
        "needed": s.needed,
        "short_by": s.short_by,
        "published": s.published,
    }


def allocation_dict(
    result: Allocation, shortfalls: Sequence[tuple[Shortfall, ...]], label: str
) -> dict[str, Any]:
    """``summary.allocation_summary`` plus the label, and each list's shortfalls and why-not."""
    out = {"label": label, **allocation_summary(result)}
    for entry, r, missed in zip(out["lists"], result.lists, shortfalls, strict=True):
        entry["shortfalls"] = [shortfall_dict(s) for s in missed]
        entry["why_not"] = why_not(missed, r.share) or None
    return out


def districts_dict(result: DistrictAllocation) -> dict[str, Any]:
    """The keys a districted allocation adds: ``totals`` {list: seats}, ``districts``
    {district: {list: seats}} (the lists that stood there), and ``district_detail``: per
    district its seats, votes for lists, the smallest count taking part, and each list's
    votes, seats, whether it took part and why not."""
    detail = []
    for j, name in enumerate(result.districts):
        detail.append(
            {
                "district": name,
                "seats": int(result.seats[j].sum()),
                "votes": int(result.district_base[j]),
                "threshold_votes": int(result.district_threshold_votes[j]),
                "lists": [
                    {
                        "name": n,
                        "votes": int(result.election.districts[j].votes[n]),
                        "seats": int(result.seats[j, i]),
                        "took_part": bool(result.took_part[j, i]),
                        "why_not": list(result.reasons[j][i]),
                    }
                    for i, n in enumerate(result.names)
                    if result.stood[j, i]
                ],
            }
        )
    return {
        "totals": result.totals_dict(),
        "districts": result.districts_dict(),
        "district_detail": detail,
        "district_ties": [
            {
                "district": t.district,
                "lists": list(t.tie.lists),
                "seats": t.tie.seats,
                "decided_by_lot": t.tie.decided_by_lot,
                "decided_by_rule": t.tie.rule,
            }
            for t in result.ties
        ],
    }


def district_measures_dict(m: DistrictMeasures) -> dict[str, Any]:
    """One district's metrics (``simulate.scenario.constituency.DistrictMeasures``)."""
    return {
        "district": m.district,
        "seats": m.seats,
        "votes": m.votes,
        "gallagher_pct": round_share(m.gallagher),
        "loosemore_hanby_pct": round_share(m.loosemore_hanby),
        "enp_votes": round_share(m.enp_votes),
        "enp_seats": round_share(m.enp_seats),
        "wasted_votes": m.wasted_votes,
        "wasted_share": round_share(m.wasted_share),
    }


def constituency_dict(o: Outcome) -> dict[str, Any]:
    """The keys a rule set of a districted election adds: ``constituency`` ("districts" or
    "national"), and when by district its ``districts`` {district: {list: seats}} and
    ``district_changes`` {district: seats changing hands against the baseline} (null when
    the baseline is national)."""
    if o.national:
        return {"constituency": "national"}
    if o.districts is None:
        return {"constituency": "districts"} if o.problem is not None else {}
    changes = o.district_changes
    return {
        "constituency": "districts",
        "districts": o.districts.districts_dict(),
        "district_changes": None
        if changes is None
        else dict(zip(o.districts.districts, changes, strict=True)),
    }


def outcome_dict(o: Outcome, districted: bool = False) -> dict[str, Any]:
    """One rule set; with ``districted`` (an election with districts), its
    ``constituency_dict`` keys too."""
    a = o.allocation
    return {
        "label": o.label,
        "changes": {k: v for k, v in o.changes.items()},
        "rules": rules_summary(o.rules),
        "description": o.rules.describe(),
        "problem": o.problem,
        "seats": None if a is None else {r.name: r.seats for r in a.lists},
        "passed": None if a is None else [r.name for r in a.lists if r.passed],
        "changed_from_baseline": o.changed_from_baseline,
        "metrics": measures_dict(o.measures),
        **(constituency_dict(o) if districted else {}),
    }


def comparison_dict(c: Comparison) -> dict[str, Any]:
    districted = bool(c.election.districts)
    return {
        "baseline": c.baseline.label,
        "rule_sets": [outcome_dict(o, districted) for o in c.outcomes],
    }


def interval_dict(iv: Interval) -> dict[str, Any]:
    a = iv.allocation
    return {
        "low": _exact(iv.low),
        "high": _exact(iv.high),
        "low_included": iv.low_included,
        "high_included": iv.high_included,
        "passed": list(iv.passed),
        "seats": None if a is None else {r.name: r.seats for r in a.lists if r.passed},
        "problem": iv.problem,
        "wasted_share": None if iv.measures is None else round_share(iv.measures.wasted_share),
        "majority": None if iv.measures is None else iv.measures.majority,
        "two_thirds": None if iv.measures is None else iv.measures.two_thirds,
        "changed_from_previous": iv.changed_from_previous,
        "changed_from_baseline": iv.changed_from_baseline,
        # by district: the seats in each district ({district: {list: seats}})
        **({} if iv.districts is None else {"districts": iv.districts.districts_dict()}),
    }


def sweep_dict(s: Sweep) -> dict[str, Any]:
    return {
        "threshold_base": s.rules.threshold_base,
        "base_votes": s.base,
        "comparison": s.rules.threshold_comparison,
        "range": {"low": _exact(s.low), "high": _exact(s.high)},
        "breakpoints": [_exact(b) for b in s.breakpoints],
        "intervals": [interval_dict(iv) for iv in s.intervals],
    }


# ---------------------------------------------------------------------------------------------
# margins (``seatsim margins``; the closest calls in ``seatsim run``)

LIST_KEYS = (
    "name",
    "votes",
    "seats",
    "votes_to_gain_seat",
    "votes_to_tie_seat",
    "votes_to_lose_seat",
    "votes_to_tie_loss",
    "votes_to_pass_threshold",
    "votes_to_fail_threshold",
    "gain_undone",
    "loss_undone",
)


def list_margin_dict(m: ListMargin) -> dict[str, Any]:
    data = asdict(m)
    return {key: data[key] for key in LIST_KEYS}


def pair_margin_dict(p: PairMargin) -> dict[str, Any]:
    return {
        "from": p.source,
        "to": p.target,
        "ballots": p.ballots,
        "ballots_to_tie": p.ballots_to_tie,
        "changes": dict(p.changes),
    }


def closest_call_dict(c: ClosestCall) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "ballots": c.ballots,
        "from": c.source,
        "to": c.target,
        "before": list(c.before),
        "after": list(c.after),
    }


def run_margins_dict(run: ScenarioRun) -> dict[str, Any] | None:
    """The margins in a run's report: each list's and the closest calls (the pairs are
    ``seatsim margins``'s), or ``{"problem"}`` when they could not be found. With districts,
    ``seatsim margins --json``'s keys: ``totals``, ``districts``, ``national_moves``,
    ``notes``."""
    dm = run.district_margins
    if dm is not None:
        return {
            "totals": [list_margin_dict(x) for x in dm.totals],
            "districts": {
                name: [list_margin_dict(x) for x in lists]
                for name, lists in zip(dm.allocation.districts, dm.districts, strict=True)
            },
            "national_moves": [
                {"district": d, "list": n, "what": w} for d, n, w in dm.national_moves
            ],
            "notes": list(dm.notes),
        }
    if run.margins is None:
        return None if run.margins_problem is None else {"problem": run.margins_problem}
    m = run.margins
    return {
        "lists": [list_margin_dict(x) for x in m.lists],
        "closest": [closest_call_dict(c) for c in m.closest],
        "notes": list(m.notes),
    }


def run_districts_dict(run: ScenarioRun) -> dict[str, Any]:
    """The keys a districted baseline adds to ``run --json``: those of ``districts_dict``
    (totals, districts, district_detail, district_ties) and ``district_metrics``, one entry
    per district; a national baseline of a districted election adds only ``constituency``."""
    if run.districts is None:
        return {"constituency": "national"} if run.scenario.election.districts else {}
    return {
        "constituency": "districts",
        **districts_dict(run.districts),
        "district_metrics": [district_measures_dict(m) for m in run.district_measures],
    }


def run_dict(run: ScenarioRun) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "kind": "run",
        "scenario": scenario_dict(run.scenario),
        "allocation": allocation_dict(run.allocation, run.shortfalls, run.scenario.label),
        "metrics": measures_dict(run.measures),
        "changed_from_official": run.changed_from_official,
        "compare": comparison_dict(run.comparison),
        "sweep": None if run.sweep is None else sweep_dict(run.sweep),
        "margins": run_margins_dict(run),
        **run_districts_dict(run),
    }


def compare_dict(scenario: Scenario, c: Comparison) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "kind": "compare",
        "scenario": scenario_dict(scenario),
        "compare": comparison_dict(c),
    }


def sweep_report_dict(scenario: Scenario, s: Sweep) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "kind": "sweep",
        "scenario": scenario_dict(scenario),
        "sweep": sweep_dict(s),
    }


def montecarlo_report_dict(scenario: Scenario, summary: dict[str, Any]) -> dict[str, Any]:
    """``seatsim montecarlo --json``: the envelope, then a ``Simulation.summary()``. Its lots
    come from the run's seed (``settings.seed``), so ``lot_seed`` is null."""
    return {
        "schema": SCHEMA,
        "kind": "montecarlo",
        "lot_seed": None,
        "scenario": scenario_dict(scenario),
        **summary,
    }


METRIC_KEYS = [
    "gallagher_pct",
    "loosemore_hanby_pct",
    "enp_votes",
    "enp_seats",
    "wasted_votes",
    "wasted_share",
    "majority",
    "two_thirds",
]
