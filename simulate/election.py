"""An election: the lists with their votes, the counts a threshold base needs, and sources.

Read from a seed file (TOML, keys in docs/formats.md) once, checked key by key, and kept as a
frozen value. Votes are integers; a count the seed does not give is ``None`` and using it as a
threshold base is an error, never a guess.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulate.colour_names import check_colour
from simulate.csvinput import read_election_csv
from simulate.district import District, check_districts, seed_districts
from simulate.errors import InputError
from simulate.filekeys import count, no_unknown_keys, read_toml, string

BASES = ("party-votes", "participants", "valid", "registered")
"""Threshold bases: the sum of the lists' votes (always known), or a count from the seed."""

BASE_WORDS = {
    "party-votes": "party votes",
    "participants": "participants",
    "valid": "valid votes",
    "registered": "registered voters",
}
"""How each base reads in a sentence ("7% of valid votes")."""

BASE_LONG_WORDS = {
    "participants": "voters who took part",
    "valid": "valid votes",
    "party-votes": "votes for lists",
    "registered": "registered voters",
}
"""How each base reads where there is room to say it in full (the figures' axes and notes)."""

BASE_ORDER = ("party-votes", "valid", "participants", "registered")
"""Threshold bases from narrowest to widest; each one contains the ones before it."""

COUNT_KEYS = ("participants", "valid", "registered", "against_all", "invalid")
_TOP_KEYS = {"name", "date", "seats", "sources", "notes", "party", "regions", "district"}
_TOP_KEYS |= set(COUNT_KEYS)
_PARTY_KEYS = {"name", "votes", "official_seats", "regions", "colour", "notes", "short"}
_PARTY_KEYS |= {"kind", "exempt"}
_REGION_KEYS = {"participants", "valid", "registered"}


@dataclass(frozen=True)
class Party:
    """One list: its name, national votes, optional official seats, regional votes, colour;
    ``kind`` (party, coalition, minority, …) picks its threshold under a per-kind rule, and an
    ``exempt`` list takes part whatever the thresholds (a national minority's list, say)."""

    name: str
    votes: int
    official_seats: int | None = None
    regions: Mapping[str, int] | None = None
    colour: str | None = None
    short: str | None = None
    notes: str = ""
    kind: str | None = None
    exempt: bool = False


@dataclass(frozen=True)
class Election:
    """An election's results. Build one with ``Election.load(path)`` or ``Election.from_votes``."""

    name: str
    parties: tuple[Party, ...]
    seats: int | None = None
    date: _dt.date | None = None
    participants: int | None = None
    valid: int | None = None
    registered: int | None = None
    against_all: int | None = None
    invalid: int | None = None
    regions: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    notes: str = ""
    path: str | None = None
    districts: tuple[District, ...] = ()

    def __post_init__(self) -> None:
        where = self.path or self.name
        if not self.parties:
            raise InputError(f"{where}: no lists")
        seen: dict[str, str] = {}  # a name folded (``fold_name``) → the name
        for p in self.parties:
            if not isinstance(p.name, str) or not fold_name(p.name):
                raise InputError(f"{where}: a list has an empty name")
            if p.name != p.name.strip():
                raise InputError(f"{where}: list {p.name!r}: the name has spaces at its ends")
            folded = fold_name(p.name)
            if folded in seen:  # "Ata-Meken" and "ata-meken" are one list typed twice
                other = seen[folded]
                how = (
                    "case or spacing"
                    if " ".join(other.casefold().split()) == " ".join(p.name.casefold().split())
                    else "how its letters are encoded (Unicode form, invisible characters)"
                )
                raise InputError(
                    f"{where}: duplicate list name {p.name!r}"
                    + ("" if other == p.name else f" (the same as {other!r} but for {how})")
                )
            seen[folded] = p.name
            count(p.votes, f"{where}: list {p.name!r}: votes")
            if p.official_seats is not None:
                count(p.official_seats, f"{where}: list {p.name!r}: official_seats")
            for region, v in (p.regions or {}).items():
                count(v, f"{where}: list {p.name!r}: regions.{region}")
        if self.seats is not None:
            count(self.seats, f"{where}: seats")
            if self.seats < 1:
                raise InputError(f"{where}: seats: must be at least 1, not {self.seats}")
        for key in COUNT_KEYS:
            value = getattr(self, key)
            if value is not None:
                count(value, f"{where}: {key}")
        total = sum(p.votes for p in self.parties)
        for key in ("participants", "valid", "registered"):
            value = getattr(self, key)
            if value is not None and value < total:
                raise InputError(
                    f"{where}: {key} ({value:,}) is smaller than the lists' votes ({total:,})"
                )
        names = self.region_names
        for p in self.parties:
            if names and set(p.regions or {}) != set(names):
                raise InputError(
                    f"{where}: list {p.name!r}: regions must name every region ({', '.join(names)})"
                )
        if self.districts:
            check_districts(
                self.districts, {p.name: p.votes for p in self.parties}, self.seats, where
            )

    # -- derived values --------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parties)

    @property
    def votes(self) -> np.ndarray:
        """The lists' votes, int64, in seed order."""
        return np.array([p.votes for p in self.parties], dtype=np.int64)

    @property
    def party_votes(self) -> int:
        return sum(p.votes for p in self.parties)

    @property
    def region_names(self) -> tuple[str, ...]:
        """Regions with votes per list, in the order of the first list that gives them (empty
        when no list does)."""
        first = next((p.regions for p in self.parties if p.regions), None)
        return tuple(first) if first else ()

    def regional_votes(self) -> np.ndarray:
        """(P, R) int64 votes per list and region."""
        names = self.region_names
        # (with regions named, every list has them: __post_init__)
        rows = [[(p.regions or {})[r] for r in names] for p in self.parties]
        return np.array(rows, dtype=np.int64)

    def base(self, name: str) -> int:
        """The size of a threshold base; an error names the seed and the missing count."""
        key = normalise_base(name)
        if key == "party-votes":
            return self.party_votes
        value = getattr(self, key)
        if value is None:
            raise InputError(
                f"{self.path or self.name}: threshold base {key!r} needs the count "
                f"'{key}' in the seed, which does not give it"
            )
        return value

    def regional_base(self, name: str) -> np.ndarray:
        """(R,) the base of a regional threshold in each region."""
        key = normalise_base(name)
        if key == "party-votes":
            return self.regional_votes().sum(0)
        missing = [r for r in self.region_names if key not in self.regions.get(r, {})]
        if missing:
            raise InputError(
                f"{self.path or self.name}: regional threshold on base {key!r} needs "
                f"regions.{missing[0]}.{key} in the seed"
            )
        return np.array([self.regions[r][key] for r in self.region_names], dtype=np.int64)

    @property
    def district_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.districts)

    def district_votes(self) -> np.ndarray:
        """(D, P) int64 votes per district and list (zero where a list did not stand)."""
        names = self.names
        return np.array(
            [[d.votes.get(n, 0) for n in names] for d in self.districts], dtype=np.int64
        ).reshape(len(self.districts), len(names))

    def district_seats(self) -> np.ndarray:
        """(D,) int64 seats per district."""
        return np.array([d.seats for d in self.districts], dtype=np.int64)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_csv(cls, path: str | Path, district_seats: str | Path | None = None) -> Election:
        """Read results from a CSV table (``list,votes[,kind][,exempt][,official_seats]``, or
        with a ``district`` column first and the seats in ``district_seats``, a table
        ``district,seats``); see ``simulate.csvinput``."""
        raw = read_election_csv(path, district_seats)
        return cls(**{**raw, "parties": tuple(Party(**fields) for fields in raw["parties"])})

    @classmethod
    def from_votes(
        cls, votes: Mapping[str, int], *, name: str = "election", **counts: Any
    ) -> Election:
        """A minimal election from ``{list name: votes}`` and optional counts."""
        parties = tuple(Party(str(k), v) for k, v in votes.items())
        return cls(name=name, parties=parties, **counts)

    @classmethod
    def load(cls, path: str | Path) -> Election:
        """Read and check a seed file; every error names the file and the key."""
        return cls.from_mapping(read_toml(path, "seed"), str(path))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], where: str) -> Election:
        if "party" not in raw and ("election" in raw or "rules" in raw):
            raise InputError(
                f"{where}: a scenario file (it has an election key or a [rules] "
                "table), not a seed: use seatsim run, or name the seed it names"
            )
        no_unknown_keys(raw, _TOP_KEYS, where)
        name = string(raw, "name", where, required=True)
        districts = seed_districts(raw.get("district"), where)
        totals: dict[str, int] = {}  # each list's votes summed over the districts
        for d in districts:
            for n, v in d.votes.items():
                totals[n] = totals.get(n, 0) + v
        official: dict[str, int] = {}  # summed only when every district gives them
        if districts and all(d.official_seats is not None for d in districts):
            for d in districts:
                for n, v in (d.official_seats or {}).items():
                    official[n] = official.get(n, 0) + v
        parties_raw = raw.get("party")
        if districts and (parties_raw is None or isinstance(parties_raw, list)):
            # [[party]] tables add kinds, colours, …; the other lists of the districts follow
            named = {item.get("name") for item in parties_raw or () if isinstance(item, dict)}
            parties_raw = [*(parties_raw or ()), *({"name": n} for n in totals if n not in named)]
        if not isinstance(parties_raw, list) or not parties_raw:
            raise InputError(f"{where}: party: needs at least one [[party]] table")
        parties = []
        for i, item in enumerate(parties_raw):
            at = f"party[{i}]"
            if not isinstance(item, dict):
                raise InputError(f"{where}: {at}: must be a table")
            no_unknown_keys(item, _PARTY_KEYS, where, at + ".")
            pname = string(item, "name", where, required=True, at=at)
            label = f"{where}: list {pname!r}"
            if "votes" not in item and (not districts or pname not in totals):
                where_votes = " (in no [[district]] either)" if districts else ""
                raise InputError(f"{label}: votes: missing{where_votes}")
            votes = count(item.get("votes", totals.get(pname, 0)), f"{label}: votes")
            exempt = item.get("exempt", False)
            if not isinstance(exempt, bool):
                raise InputError(f"{label}: exempt: must be true or false, not {exempt!r}")
            kind = string(item, "kind", where, at=at)
            seats = item.get("official_seats", official.get(pname, 0) if official else None)
            if seats is not None:
                seats = count(seats, f"{label}: official_seats")
            regions = item.get("regions")
            if regions is not None:
                if not isinstance(regions, dict):
                    raise InputError(f"{label}: regions: must be a table of region = votes")
                regions = {k: count(v, f"{label}: regions.{k}") for k, v in regions.items()}
            parties.append(
                Party(
                    name=pname,
                    votes=votes,
                    official_seats=seats,
                    regions=regions,
                    colour=None
                    if item.get("colour") is None
                    else check_colour(item["colour"], f"{label}: colour"),
                    short=string(item, "short", where, at=at),
                    notes=string(item, "notes", where, at=at) or "",
                    kind=None if kind is None else kind.strip().lower() or None,
                    exempt=exempt,
                )
            )
        regions = raw.get("regions", {})
        if not isinstance(regions, dict):
            raise InputError(f"{where}: regions: must be a table of region tables")
        region_counts = {}
        for rname, counts in regions.items():
            if not isinstance(counts, dict):
                raise InputError(f"{where}: regions.{rname}: must be a table")
            no_unknown_keys(counts, _REGION_KEYS, where, f"regions.{rname}.")
            region_counts[rname] = {
                k: count(v, f"{where}: regions.{rname}.{k}") for k, v in counts.items()
            }
        date = raw.get("date")
        if date is not None and not isinstance(date, _dt.date):
            raise InputError(f"{where}: date: must be a TOML date such as 2020-10-04")
        sources = raw.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise InputError(f"{where}: sources: must be a list of strings")
        seats = raw.get("seats", sum(d.seats for d in districts) if districts else None)
        counts = {k: count(raw[k], f"{where}: {k}") for k in COUNT_KEYS if k in raw}
        return cls(
            name=name,
            parties=tuple(parties),
            seats=None if seats is None else count(seats, f"{where}: seats"),
            date=date,
            regions=region_counts,
            sources=tuple(sources),
            notes=string(raw, "notes", where) or "",
            path=where,
            districts=districts,
            **counts,
        )


def fold_name(name: str) -> str:
    """A list name as two names are compared: format characters (zero-width spaces and
    joiners, bidirectional marks) removed, NFKC (composed and decomposed "É" alike, full-width
    letters as letters), case folded, inner spaces collapsed. Two names that fold alike are
    one list typed twice."""
    visible = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", visible).casefold().split())


def normalise_base(name: str) -> str:
    key = str(name).strip().lower().replace("_", "-")
    if key in ("party-votes", "lists", "list-votes"):
        return "party-votes"
    if key in BASES:
        return key
    raise InputError(f"unknown threshold base {name!r}; valid bases: {', '.join(BASES)}")
