"""The districts of a districted election: ``District``, the ``[[district]]`` tables of a seed
file, and the checks that a districted election's districts agree with its lists.

Vocabulary below ``simulate.election`` (which holds the lists and calls these checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulate.errors import InputError
from simulate.filekeys import count, no_unknown_keys, string

DISTRICT_KEYS = {"name", "seats", "votes", "official_seats", "blank"}


@dataclass(frozen=True)
class District:
    """One district of a districted election: its seats and the votes of the lists that stood
    there (a list absent from ``votes`` did not stand); ``official_seats`` when known;
    ``blank``: the district's blank ballots when known (valid votes = the lists' votes +
    blank, the base of a district threshold on valid votes)."""

    name: str
    seats: int
    votes: Mapping[str, int]
    official_seats: Mapping[str, int] | None = None
    blank: int | None = None


def seed_districts(raw, where: str) -> tuple[District, ...]:
    """``[[district]]`` tables of a seed: name, seats, votes = {list = n, …}, and optionally
    official_seats = {list = n, …} and blank (the district's blank ballots)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise InputError(f"{where}: district: needs [[district]] tables")
    out = []
    for i, item in enumerate(raw):
        at = f"district[{i}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: {at}: must be a table")
        no_unknown_keys(item, DISTRICT_KEYS, where, at + ".")
        name = string(item, "name", where, required=True, at=at)
        label = f"{where}: district {name!r}"
        if "seats" not in item:
            raise InputError(f"{label}: seats: missing")
        tables = {}
        for key in ("votes", "official_seats"):
            value = item.get(key)
            if value is None and key == "official_seats":
                continue
            if not isinstance(value, dict) or not value:
                raise InputError(f"{label}: {key}: must be a table {{list = count, …}}")
            tables[key] = {str(k): count(v, f"{label}: {key}.{k}") for k, v in value.items()}
        out.append(
            District(
                name,
                count(item["seats"], f"{label}: seats"),
                tables["votes"],
                tables.get("official_seats"),
                None if item.get("blank") is None else count(item["blank"], f"{label}: blank"),
            )
        )
    return tuple(out)


def check_districts(
    districts: tuple[District, ...], votes: Mapping[str, int], seats: int | None, where: str
) -> None:
    """A districted election's districts agree with its lists (``votes``: each list's national
    votes, in seed order) and house size: each district has seats, names only known lists,
    and every list's votes are the sum of its district votes."""
    names = set(votes)
    totals = dict.fromkeys(votes, 0)
    seen = set()
    for d in districts:
        if d.name in seen:
            raise InputError(f"{where}: duplicate district {d.name!r}")
        seen.add(d.name)
        count(d.seats, f"{where}: district {d.name!r}: seats")
        if d.seats < 1:
            raise InputError(f"{where}: district {d.name!r}: has no seats")
        if d.blank is not None:
            count(d.blank, f"{where}: district {d.name!r}: blank")
        for n, v in d.votes.items():
            if n not in names:
                raise InputError(f"{where}: district {d.name!r}: unknown list {n!r}")
            totals[n] += count(v, f"{where}: district {d.name!r}: list {n!r}: votes")
    for name, v in votes.items():
        if v != totals[name]:
            raise InputError(
                f"{where}: list {name!r}: votes ({v:,}) are not the sum of its "
                f"district votes ({totals[name]:,})"
            )
    house = sum(d.seats for d in districts)
    if seats is not None and seats != house:
        raise InputError(
            f"{where}: seats ({seats}) are not the sum of the districts' seats ({house})"
        )


__all__ = ["DISTRICT_KEYS", "District", "check_districts", "seed_districts"]
