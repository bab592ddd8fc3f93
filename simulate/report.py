"""Results as JSON-ready dictionaries and CSV text, and writing them atomically.

The dictionaries are the stable ``--json`` output documented in README.md ("JSON output"):
counts are exact integers, exact thresholds are strings "p/q" beside a rounded percentage,
shares are floats rounded to 6 decimals. Nothing here computes seats or prints.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path
from typing import Any

from .analysis import ScenarioRun
from .compare import Comparison, Outcome
from .eligibility import Shortfall
from .measure import Measures
from .outputs import write_text
from .rules import Allocation, Rules
from .scenario import Scenario
from .sweep import Interval, Sweep
from .threshold import format_percent, shortfall_text

SCHEMA = 1
"""Bumped whenever a key is renamed or removed (adding keys does not bump it)."""


# ---------------------------------------------------------------------------------------------
# one allocation, and its rules


def rules_summary(rules: Rules) -> dict[str, Any]:
    return {
        "seats": rules.seats,
        "method": rules.method,
        "threshold": format_percent(rules.threshold),
        "threshold_base": rules.threshold_base,
        "threshold_comparison": rules.threshold_comparison,
        "regional_threshold": None if rules.regional_threshold is None
        else format_percent(rules.regional_threshold),
        "max_seats": rules.max_seats,
        "min_seats": rules.min_seats,
        "ties": rules.ties,
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
        "tie": None if result.tie is None else {
            "lists": list(result.tie.lists),
            "seats": result.tie.seats,
            "decided_by_lot": result.tie.decided_by_lot,
        },
        "regional_checked": result.regional_checked,
        "notes": list(result.notes),
    }


# ---------------------------------------------------------------------------------------------
# small formatters shared with the terminal tables


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """'1 vote', '3,077 votes', '1.5 seats': the count with the word made to agree."""
    text = f"{n:,}" if isinstance(n, int) else f"{n:,g}"
    return f"{text} {word if n == 1 else (many or word + 's')}"


def percent_text(share: Fraction, decimals: int = 2) -> str:
    return f"{100 * float(share):.{decimals}f}%"


def below_text(share: Fraction, threshold: Fraction) -> str:
    """'6.85% < 7%', with as many decimals as it takes for the comparison to read true; a
    share exactly at the threshold (which fails only under a strict rule) '7% ≤ 7%'. The
    same words as the allocation's reasons (``threshold.shortfall_text``)."""
    return shortfall_text(share.numerator, share.denominator, threshold)


def why_not(shortfalls: tuple[Shortfall, ...], share: Fraction) -> str:
    """Short reason a list did not take part: 'short by 3,077 votes (6.85% < 7%)'."""
    parts = []
    for s in shortfalls:
        if s.region is None:
            parts.append(f"short by {plural(s.short_by, 'vote')} "
                         f"({below_text(share, s.threshold)})")
    regional = [s for s in shortfalls if s.region is not None]
    if regional:
        first = regional[0]
        text = (f"short by {plural(first.short_by, 'vote')} in {first.region} "
                f"({format_percent(first.threshold)})")
        if len(regional) > 1:
            text += f" and in {plural(len(regional) - 1, 'more region', 'more regions')}"
        parts.append(text)
    return "; ".join(parts)


def _round(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(float(x), digits)


def _ratio(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def _exact(x: Fraction) -> dict[str, Any]:
    return {"exact": _ratio(x), "percent": _round(100 * x)}


# ---------------------------------------------------------------------------------------------
# JSON-ready dictionaries


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    e = scenario.election
    return {
        "path": scenario.path,
        "title": scenario.title,
        "notes": scenario.notes.strip(),
        "election": {
            "name": e.name, "seed": e.path, "date": None if e.date is None else e.date.isoformat(),
            "seats": e.seats, "party_votes": e.party_votes, "participants": e.participants,
            "valid": e.valid, "registered": e.registered, "against_all": e.against_all,
            "invalid": e.invalid,
        },
    }


def measures_dict(m: Measures | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "gallagher": _round(m.gallagher),
        "loosemore_hanby": _round(m.loosemore_hanby),
        "enp_votes": _round(m.enp_votes),
        "enp_seats": _round(m.enp_seats),
        "wasted_votes": m.wasted_votes,
        "wasted_base": m.wasted_base,
        "wasted_base_votes": m.wasted_base_votes,
        "wasted_share": _round(m.wasted_share),
        "majority": m.majority,
        "two_thirds": m.two_thirds,
    }


def shortfall_dict(s: Shortfall) -> dict[str, Any]:
    return {"threshold": format_percent(s.threshold), "base": s.base, "region": s.region,
            "votes": s.votes, "needed": s.needed, "short_by": s.short_by}


def allocation_dict(result: Allocation, shortfalls, label: str) -> dict[str, Any]:
    """``summary.allocation_summary`` plus the label, and each list's shortfalls and why-not."""
    out = {"label": label, **allocation_summary(result)}
    for entry, r, missed in zip(out["lists"], result.lists, shortfalls):
        entry["shortfalls"] = [shortfall_dict(s) for s in missed]
        entry["why_not"] = why_not(missed, r.share) or None
    return out


def outcome_dict(o: Outcome) -> dict[str, Any]:
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
    }


def comparison_dict(c: Comparison) -> dict[str, Any]:
    return {"baseline": c.baseline.label, "rule_sets": [outcome_dict(o) for o in c.outcomes]}


def interval_dict(iv: Interval) -> dict[str, Any]:
    a = iv.allocation
    return {
        "low": _exact(iv.low), "high": _exact(iv.high),
        "low_included": iv.low_included, "high_included": iv.high_included,
        "passed": list(iv.passed),
        "seats": None if a is None else {r.name: r.seats for r in a.lists if r.passed},
        "problem": iv.problem,
        "wasted_share": None if iv.measures is None else _round(iv.measures.wasted_share),
        "majority": None if iv.measures is None else iv.measures.majority,
        "two_thirds": None if iv.measures is None else iv.measures.two_thirds,
        "changed_from_previous": iv.changed_from_previous,
        "changed_from_baseline": iv.changed_from_baseline,
    }


def sweep_dict(s: Sweep) -> dict[str, Any]:
    return {
        "threshold_base": s.rules.threshold_base, "base_votes": s.base,
        "comparison": s.rules.threshold_comparison,
        "range": {"low": _exact(s.low), "high": _exact(s.high)},
        "breakpoints": [_exact(b) for b in s.breakpoints],
        "intervals": [interval_dict(iv) for iv in s.intervals],
    }


def run_dict(run: ScenarioRun) -> dict[str, Any]:
    return {
        "schema": SCHEMA, "kind": "run",
        "scenario": scenario_dict(run.scenario),
        "allocation": allocation_dict(run.allocation, run.shortfalls, run.scenario.label),
        "metrics": measures_dict(run.measures),
        "changed_from_official": run.changed_from_official,
        "compare": comparison_dict(run.comparison),
        "sweep": None if run.sweep is None else sweep_dict(run.sweep),
    }


def compare_dict(scenario: Scenario, c: Comparison) -> dict[str, Any]:
    return {"schema": SCHEMA, "kind": "compare", "scenario": scenario_dict(scenario),
            "compare": comparison_dict(c)}


def sweep_report_dict(scenario: Scenario, s: Sweep) -> dict[str, Any]:
    return {"schema": SCHEMA, "kind": "sweep", "scenario": scenario_dict(scenario),
            "sweep": sweep_dict(s)}


def montecarlo_report_dict(scenario: Scenario, summary: dict[str, Any]) -> dict[str, Any]:
    """``seatsim montecarlo --json``: the envelope, then a ``Simulation.summary()``. Its lots
    come from the run's seed (``settings.seed``), so ``lot_seed`` is null."""
    return {"schema": SCHEMA, "kind": "montecarlo", "lot_seed": None,
            "scenario": scenario_dict(scenario), **summary}


# ---------------------------------------------------------------------------------------------
# CSV


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if x is None else x for x in row])
    return buf.getvalue()


def lists_csv(result: Allocation, shortfalls) -> str:
    rows = [[r.name, r.votes, _round(r.share), r.passed, r.seats, r.official_seats,
             r.short_by, why_not(m, r.share)] for r, m in zip(result.lists, shortfalls)]
    return _csv(["list", "votes", "share", "passed", "seats", "official_seats", "short_by",
                 "why_not"], rows)


def compare_csv(c: Comparison) -> str:
    """One row per list, one seat column per rule set."""
    outcomes = c.outcomes
    rows = []
    for i, name in enumerate(c.election.names):
        rows.append([name, *(None if o.seats is None else int(o.seats[i]) for o in outcomes)])
    return _csv(["list", *(o.label for o in outcomes)], rows)


_METRIC_KEYS = ["gallagher", "loosemore_hanby", "enp_votes", "enp_seats", "wasted_votes",
                "wasted_share", "majority", "two_thirds"]


def metrics_csv(c: Comparison) -> str:
    """One row per rule set: its metrics and the seats changing hands against the baseline."""
    rows = []
    for o in c.outcomes:
        m = measures_dict(o.measures) or {}
        rows.append([o.label, o.rules.describe(), o.changed_from_baseline,
                     *(m.get(k) for k in _METRIC_KEYS), o.problem])
    return _csv(["rule_set", "rules", "changed_from_baseline", *_METRIC_KEYS, "problem"], rows)


def sweep_csv(s: Sweep) -> str:
    """One row per interval, with one seat column per list."""
    names = s.election.names
    rows = []
    for iv in s.intervals:
        seats = iv.seats
        rows.append([
            _ratio(iv.low), _ratio(iv.high),
            _round(100 * iv.low), _round(100 * iv.high), iv.low_included, iv.high_included,
            len(iv.passed), None if iv.measures is None else _round(iv.measures.wasted_share),
            iv.changed_from_previous, iv.changed_from_baseline, iv.problem,
            *([None] * len(names) if seats is None else [int(x) for x in seats]),
        ])
    return _csv(["low", "high", "low_percent", "high_percent", "low_included", "high_included",
                 "lists_passing", "wasted_share", "changed_from_previous",
                 "changed_from_baseline", "problem", *names], rows)


def write_csv_files(folder: str | Path, stem: str, tables: dict[str, str]) -> list[Path]:
    """Write ``{name: csv text}`` as ``folder/stem.name.csv``, each file atomically. All text
    is made before the first file is written, so a failure cannot leave a mix of runs."""
    folder = Path(folder)
    return [write_text(folder / f"{stem}.{name}.csv", text) for name, text in tables.items()]


def run_csv_tables(run: ScenarioRun) -> dict[str, str]:
    tables = {
        "lists": lists_csv(run.allocation, run.shortfalls),
        "compare": compare_csv(run.comparison),
        "metrics": metrics_csv(run.comparison),
    }
    if run.sweep is not None:
        tables["sweep"] = sweep_csv(run.sweep)
    return tables
