"""``seatsim margins --json``: the ``Margins`` result as JSON-ready dictionaries."""

from __future__ import annotations

from typing import Any

from simulate.report.json_dicts import (
    SCHEMA,
    closest_call_dict,
    list_margin_dict,
    pair_margin_dict,
    rules_summary,
)
from simulate.scenario.margin_districts import DistrictMargins
from simulate.scenario.margins import Margins


def margins_dict(m: Margins, source: str) -> dict[str, Any]:
    """The whole result: ``{"schema", "kind": "margins", "lot_seed", "source", "election",
    "rules", "lists", "pairs", "closest", "notes"}`` (null where a value does not exist)."""
    return {
        "schema": SCHEMA,
        "kind": "margins",
        "lot_seed": None,
        "source": source,
        "election": m.election.name,
        "rules": rules_summary(m.rules),
        "lists": [list_margin_dict(x) for x in m.lists],
        "pairs": [pair_margin_dict(p) for p in m.pairs],
        "closest": [closest_call_dict(c) for c in m.closest],
        "notes": list(m.notes),
    }


def district_margins_dict(m: DistrictMargins, source: str) -> dict[str, Any]:
    """A districted election's margins: ``{"schema", "kind": "margins", "source", "election",
    "rules", "totals": [list margins], "districts": {district: [list margins]},
    "national_moves": [{district, list, what}], "pairs": [{district, from, to, ballots,
    ballots_to_tie, changes, national}], "closest": [{district, kind, ballots, from, to,
    before, after, national}], "notes"}``. Pairs and closest calls are shaped as
    ``margins_dict``'s, with the district the ballots move in and, in ``"national"``, how
    they turn the national threshold's outcome (null: they do not); the closest calls add
    the kind ``"seat"``, any seat (``before``: the lists that lose one, ``after``: gain)."""
    return {
        "schema": SCHEMA,
        "kind": "margins",
        "lot_seed": None,
        "source": source,
        "election": m.allocation.election.name,
        "rules": rules_summary(m.allocation.rules),
        "totals": [list_margin_dict(x) for x in m.totals],
        "districts": {
            name: [list_margin_dict(x) for x in lists]
            for name, lists in zip(m.allocation.districts, m.districts, strict=True)
        },
        "national_moves": [{"district": d, "list": n, "what": w} for d, n, w in m.national_moves],
        "pairs": [
            {"district": p.district, **pair_margin_dict(p), "national": p.national} for p in m.pairs
        ],
        "closest": [
            {"district": c.district, **closest_call_dict(c), "national": c.national}
            for c in m.closest
        ],
        "notes": list(m.notes),
    }


__all__ = ["district_margins_dict", "margins_dict"]
