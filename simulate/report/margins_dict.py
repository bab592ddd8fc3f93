"""``seatsim margins --json``: the ``Margins`` result as JSON-ready dictionaries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from simulate.report.json_dicts import SCHEMA, rules_summary
from simulate.scenario.margins import ClosestCall, ListMargin, Margins, PairMargin

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


__all__ = ["margins_dict"]
