"""Plain, JSON-ready dictionaries of results (for --json, golden files and other programs).

Shares are floats rounded to 6 decimals (for reading); every count stays an exact integer.
"""

from __future__ import annotations

from typing import Any

from .rules import Allocation, Rules
from .threshold import format_percent


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
