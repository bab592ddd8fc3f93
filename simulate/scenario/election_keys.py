"""A scenario's election and where its rule sets apply: the ``election`` file (a TOML seed,
or a CSV results table with its ``district_seats`` table), ``constituency`` ("districts" or
"national"), and the rules a rule set by district cannot take. Used by
``simulate.scenario.file``; every error names the scenario file and the key."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simulate.election import Election
from simulate.errors import InputError
from simulate.filekeys import string

CONSTITUENCIES = ("districts", "national")
"""``constituency``: the election's districts, or one national constituency (pooled)."""
NOT_WITH_DISTRICTS = ("max_seats", "min_seats", "regional_threshold")
"""Rules ``simulate.districts.allocate_districts`` refuses: named when a districted rule set
has one."""
"""Written for an optional rule to switch it off, e.g. ``max_seats = "none"`` (no cap)."""


def _file(raw: Mapping[str, Any], key: str, where: str, folder: Path, what: str) -> str:
    """A file a scenario names, relative to the scenario's folder; it must exist."""
    name = string(raw, key, where, required=True)
    path = Path(name) if Path(name).is_absolute() else folder / name
    shown = os.path.normpath(path)
    if not path.is_file():
        raise InputError(f"{where}: {key}: no such {what} {name!r} (looked for {shown})")
    return shown


def load_election(raw: Mapping[str, Any], where: str, folder: Path) -> tuple[Election, str | None]:
    """The election (a TOML seed, or a CSV results table with its district seats table) and
    the district seats table's path, if any."""
    shown = _file(raw, "election", where, folder, "seed file")
    if not shown.lower().endswith(".csv"):
        if "district_seats" in raw:
            raise InputError(
                f"{where}: district_seats: goes with a results table (CSV) in election; a "
                "seed file (TOML) gives its districts in [[district]] tables"
            )
        return Election.load(shown), None
    seats = None
    if "district_seats" in raw:
        seats = _file(raw, "district_seats", where, folder, "district seats table")
    return Election.from_csv(shown, seats), seats


def constituency(
    table: Mapping[str, Any], election: Election, where: str, at: str, default: bool
) -> bool:
    """Whether a rule set is in one national constituency (``constituency = "national"``);
    ``default`` when the table does not say."""
    if "constituency" not in table:
        return default
    value = table["constituency"]
    if value not in CONSTITUENCIES:
        raise InputError(
            f"{where}: {at}.constituency: {value!r} is not one of {', '.join(CONSTITUENCIES)}"
        )
    if value == "districts" and not election.districts:
        raise InputError(
            f'{where}: {at}.constituency: "districts", but the election has no districts'
        )
    return value == "national"


def district_keys(
    fields: Mapping[str, Any],
    written: set[str],
    election: Election,
    national: bool,
    where: str,
    at: str,
) -> None:
    """The rules a rule set's constituency cannot take, named (``written``: the keys its own
    table gives, so that an inherited one is named where it was written)."""
    if fields.get("district_threshold") and not election.districts:
        key_at = at if "district_threshold" in written else "rules"
        raise InputError(f"{where}: {key_at}.district_threshold: the election has no districts")
    if national and "district_threshold" in written and fields.get("district_threshold"):
        raise InputError(
            f"{where}: {at}.district_threshold: the rule set is national "
            '(constituency = "national")'
        )
    if national or not election.districts:
        return
    house = int(election.district_seats().sum())
    if fields["seats"] != house:
        raise InputError(
            f"{where}: {at if 'seats' in written else 'rules'}.seats: {fields['seats']}, but "
            f"the districts have {house} seats (a different house needs "
            'constituency = "national")'
        )
    for key in NOT_WITH_DISTRICTS:
        if fields.get(key) is not None:
            key_at = at if key in written else "rules"
            raise InputError(
                f"{where}: {key_at}.{key}: not supported with districts (allocated district by "
                'district; constituency = "national" pools them)'
            )


def for_constituency(fields: dict[str, Any], national: bool) -> dict[str, Any]:
    """A national rule set drops the district threshold it inherits from [rules]."""
    if national:
        return {
            k: v
            for k, v in fields.items()
            if k not in ("district_threshold", "district_threshold_base")
        }
    return fields


__all__ = [
    "CONSTITUENCIES",
    "NOT_WITH_DISTRICTS",
    "constituency",
    "district_keys",
    "for_constituency",
    "load_election",
]
