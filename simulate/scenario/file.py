"""Scenario files: an election (a seed), its rules, alternatives to compare, a sweep range.

A scenario is read once with ``tomllib`` and checked key by key; every error is one line that
names the file and the key path, e.g. ``scenarios/x.toml: rules.threshold: "7" needs a % sign``.
Schema (keys not listed are errors)::

    title = "..."                      # required
    election = "../seeds/x.toml"       # required; relative to the scenario file: a seed
                                       # (TOML, maybe with [[district]] tables) or a results
                                       # table (CSV: [district,]list,votes[,kind]…)
    district_seats = "seats.csv"       # with a CSV with a district column: district,seats
    notes = "..."                      # optional
    lot_seed = 1                       # optional; seeds the lot when ties = "lot"

    [rules]                            # required
    label = "rules in force"           # optional name of the baseline (default "baseline")
    seats = 120                        # default: the seed's seats
    method = "hare"                    # any name or alias in simulate.methods.METHODS
    threshold = "7%"                   # a percentage string; default "0%"; or one per
                                       # kind of list: {party = "5%", coalition = "8%"}
    threshold_base = "participants"    # party-votes | participants | valid | registered
    threshold_comparison = ">="        # ">=" (a list exactly at it passes) or ">"
    regional_threshold = "0.7%"        # or "none"
    regional_threshold_base = "..."    # default: threshold_base
    max_seats = 65                     # or "none"
    min_seats = 1                      # or "none"
    alliances = [{lists = ["A", "B"], pool = "both"}]  # pool: threshold | allocation | both;
                                       # optional kind = "coalition" (its per-kind threshold)
    ties = "error"                     # error | lot | first-listed | most-votes |
                                       # most-votes-then-lot
    quota_rounding = "exact"           # exact | up | down | nearest (quota methods)
    quotient_factors = {minority = "1.35"}   # kind -> factor (divisor methods)
    district_threshold = "3%"          # districts only: share of a district's votes for
                                       # lists needed to take part there; or "none"
    district_threshold_base = "valid"  # party-votes (default) | valid (lists + blank)
    constituency = "districts"         # districts (default with districts) | national: the
                                       # districts' votes pooled in one constituency whose
                                       # house is the districts' seats added up (or seats)

    [[compare]]                        # optional, any number
    label = "d'Hondt"                  # required, unique
    method = "dhondt"                  # any [rules] key except label overrides the baseline
    constituency = "national"          # e.g. the same votes in one national constituency

    [sweep]                            # optional: ``seatsim run`` sweeps only if present
    range = ["0%", "12%"]              # default: 0% to the largest list's share

    [montecarlo]                       # optional; parsed by simulate.montecarlo.spec

With districts (a seed's [[district]] tables, or a CSV with a district column), every rule
set is allocated district by district unless it says ``constituency = "national"``; its
seats must then be the districts' seats added up, and the rules districts cannot take
(``max_seats``, ``min_seats``, ``regional_threshold``) are refused by name. A rule set in
one national constituency drops the district threshold it would inherit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from simulate.alliance import as_alliances, check_members
from simulate.election import Election, normalise_base
from simulate.errors import InputError
from simulate.filekeys import (
    no_unknown_keys,
    percent,
    percent_or_none,
    read_toml,
    string,
    whole,
    whole_or_none,
)
from simulate.filekeys import table as get_table
from simulate.methods import QUOTA_ROUNDINGS, get_method
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.rules import DISTRICT_BASES, TIE_POLICIES, Rules, as_factor
from simulate.scenario.election_keys import (
    constituency,
    district_keys,
    for_constituency,
    load_election,
)
from simulate.threshold import COMPARISONS

TOP_KEYS = (
    "title",
    "election",
    "district_seats",
    "notes",
    "lot_seed",
    "rules",
    "compare",
    "sweep",
    "montecarlo",
)
RULE_KEYS = (
    "seats",
    "method",
    "threshold",
    "threshold_base",
    "threshold_comparison",
    "regional_threshold",
    "regional_threshold_base",
    "max_seats",
    "min_seats",
    "ties",
    "alliances",
    "quota_rounding",
    "quotient_factors",
    "district_threshold",
    "district_threshold_base",
)
SWEEP_KEYS = ("range",)


@dataclass(frozen=True)
class Alternative:
    """A rule set to compare with the baseline: a label, the rules, and the keys it changed."""

    label: str
    rules: Rules
    changes: Mapping[str, Any]
    national: bool = False
    """In one national constituency (``constituency = "national"``), not by district."""


@dataclass(frozen=True)
class SweepRange:
    """The thresholds a sweep covers, both ends included, as exact fractions (None: the
    sweep's default, 0% and the largest list's share)."""

    low: Fraction | None = None
    high: Fraction | None = None


@dataclass(frozen=True)
class Scenario:
    """A checked scenario file. ``montecarlo`` is its ``[montecarlo]`` table, parsed and checked
    once when the file is read (None when the file has none)."""

    path: str
    title: str
    election: Election
    rules: Rules
    label: str = "baseline"
    compare: tuple[Alternative, ...] = ()
    sweep: SweepRange | None = None
    montecarlo: MonteCarloSpec | None = None
    notes: str = ""
    lot_seed: int | None = None
    national: bool = False
    """The baseline in one national constituency (``constituency = "national"``)."""
    district_seats: str | None = None
    """The district seats table (CSV) the election was read with, if any."""

    @property
    def districted(self) -> bool:
        """Whether the baseline is allocated district by district."""
        return bool(self.election.districts) and not self.national

    def rule_sets(self) -> list[tuple[str, Rules]]:
        """The scenario's rules first, then its [[compare]] rule sets, by label."""
        return [(self.label, self.rules), *((a.label, a.rules) for a in self.compare)]

    @property
    def inputs(self) -> tuple[str, ...]:
        """The files a run of this scenario reads (no output may replace one): the scenario
        and its seed."""
        seeds = (self.election.path, self.district_seats)
        return (self.path, *(p for p in seeds if p))

    def montecarlo_spec(self) -> MonteCarloSpec:
        """The [montecarlo] settings (the defaults when the file has no such table)."""
        if self.montecarlo is not None:
            return self.montecarlo
        return MonteCarloSpec.from_mapping({}, self.path, self.election, dict(self.rule_sets()))

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and check a scenario file and the seed it names."""
        return cls.from_mapping(read_toml(path, "scenario"), str(path), Path(path).parent)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], where: str, folder: Path) -> Scenario:
        """Check a parsed scenario; ``folder`` is where a relative seed path starts."""
        if "party" in raw and "election" not in raw and "rules" not in raw:
            raise InputError(
                f"{where}: a seed file (it has [[party]] tables), not a scenario: "
                "name it in a scenario's election key, or use seatsim allocate"
            )
        no_unknown_keys(raw, TOP_KEYS, where, "")
        title = string(raw, "title", where, required=True)
        notes = string(raw, "notes", where) or ""
        lot_seed = raw.get("lot_seed")
        if lot_seed is not None and (
            isinstance(lot_seed, bool) or not isinstance(lot_seed, int) or lot_seed < 0
        ):
            raise InputError(f"{where}: lot_seed: must be a whole number ≥ 0, not {lot_seed!r}")
        election, seats_table = load_election(raw, where, folder)

        rules_table = get_table(raw, "rules", where, required=True)
        no_unknown_keys(rules_table, ("label", *RULE_KEYS, "constituency"), where, "rules.")
        label = string(rules_table, "label", where, at="rules") or "baseline"
        fields = _rule_fields(rules_table, where, "rules")
        national = constituency(rules_table, election, where, "rules", False)
        if "seats" not in fields:
            if election.seats is None:
                raise InputError(f"{where}: rules.seats: missing, and the seed gives no seats")
            fields["seats"] = election.seats
        district_keys(fields, set(rules_table), election, national, where, "rules")
        rules = _make_rules(for_constituency(fields, national), election, where, "rules")

        alternatives = []
        labels = {label}
        compare = raw.get("compare", [])
        if not isinstance(compare, list):
            raise InputError(f"{where}: compare: must be an array of tables ([[compare]])")
        for i, item in enumerate(compare):
            at = f"compare[{i}]"
            if not isinstance(item, dict):
                raise InputError(f"{where}: {at}: must be a table")
            no_unknown_keys(item, ("label", *RULE_KEYS, "constituency"), where, at + ".")
            alt_label = string(item, "label", where, at=at, required=True)
            if alt_label in labels:
                raise InputError(f"{where}: {at}.label: {alt_label!r} is used twice")
            labels.add(alt_label)
            changes = _rule_fields(item, where, at)
            alt_national = constituency(item, election, where, at, national)
            if not changes and alt_national == national:
                raise InputError(f"{where}: {at}: changes no rule (give at least one rule key)")
            merged = {**fields, **changes}
            district_keys(merged, set(item), election, alt_national, where, at)
            alt_rules = _make_rules(for_constituency(merged, alt_national), election, where, at)
            written = {k: item[k] for k in (*RULE_KEYS, "constituency") if k in item}
            alternatives.append(Alternative(alt_label, alt_rules, written, alt_national))

        sweep = None
        if "sweep" in raw:
            sweep = _sweep_range(get_table(raw, "sweep", where, required=True), where)
        montecarlo = None
        if "montecarlo" in raw:  # parsed now, so that `seatsim validate` checks it
            montecarlo = MonteCarloSpec.from_mapping(
                get_table(raw, "montecarlo", where) or {},
                where,
                election,
                {label: rules, **{a.label: a.rules for a in alternatives}},
            )
        return cls(
            path=where,
            title=title,
            election=election,
            rules=rules,
            label=label,
            compare=tuple(alternatives),
            sweep=sweep,
            montecarlo=montecarlo,
            notes=notes,
            lot_seed=lot_seed,
            national=national,
            district_seats=seats_table,
        )


# ---------------------------------------------------------------------------------------------
# one small check per kind of value


def _choice(value: Any, choices: Sequence[str], where: str, path: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{where}: {path}: {value!r} is not one of {', '.join(choices)}")
    return value


def _named(value: Any, where: str, path: str, lookup: Callable[[str], str]) -> str:
    """A method or base name, checked by the core's own lookup (which lists the valid names)."""
    if not isinstance(value, str):
        raise InputError(f"{where}: {path}: must be a string, not {value!r}")
    try:
        return lookup(value)
    except InputError as exc:
        raise InputError(f"{where}: {path}: {exc}") from None


def _rule_fields(table: Mapping[str, Any], where: str, at: str) -> dict[str, Any]:
    """The Rules keyword arguments a [rules] or [[compare]] table gives, each checked."""
    out: dict[str, Any] = {}
    for key in RULE_KEYS:
        if key not in table:
            continue
        value, path = table[key], f"{at}.{key}"
        if key == "seats":
            out[key] = whole(value, f"{where}: {path}", 1)
        elif key == "method":
            out[key] = _named(value, where, path, lambda v: get_method(v).name)
        elif key == "threshold" and isinstance(value, dict):
            out[key] = _kind_thresholds(value, where, path)
        elif key == "threshold":
            out[key] = percent(value, f"{where}: {path}")
        elif key in ("district_threshold", "regional_threshold"):
            out[key] = percent_or_none(value, f"{where}: {path}")
        elif key in ("threshold_base", "regional_threshold_base"):
            out[key] = _named(value, where, path, normalise_base)
        elif key == "threshold_comparison":
            out[key] = _choice(value, COMPARISONS, where, path)
        elif key == "max_seats":
            out[key] = whole_or_none(value, f"{where}: {path}", 1)
        elif key == "min_seats":
            out[key] = whole_or_none(value, f"{where}: {path}", 0)
        elif key == "ties":
            out[key] = _choice(value, TIE_POLICIES, where, path)
        elif key == "district_threshold_base":
            out[key] = _choice(value, DISTRICT_BASES, where, path)
        elif key == "alliances":
            if not isinstance(value, list):
                raise InputError(
                    f'{where}: {path}: must be an array such as [{{lists = ["A", "B"], '
                    f'pool = "both"}}], not {value!r}'
                )
            try:
                out[key] = as_alliances(value)
            except InputError as exc:
                raise InputError(f"{where}: {path}: {exc}") from None
        elif key == "quota_rounding":
            out[key] = _choice(value, QUOTA_ROUNDINGS, where, path)
        elif key == "quotient_factors":
            out[key] = _factor_table(value, where, path)
    return out


def _factor_table(value: Any, where: str, path: str) -> dict[str, Fraction]:
    """``quotient_factors = {minority = "1.35"}``: a table of kinds and exact factors."""
    if not isinstance(value, dict):
        raise InputError(
            f'{where}: {path}: must be a table of kinds and factors, e.g. {{minority = "1.35"}}, '
            f"not {value!r}"
        )
    return {kind: as_factor(f, f"{where}: {path}.{kind}") for kind, f in value.items()}


def _kind_thresholds(value: Mapping[str, Any], where: str, path: str) -> dict[str, Fraction]:
    """``threshold = {party = "5%", coalition = "8%"}``: one threshold per kind of list."""
    if not value:
        raise InputError(f'{where}: {path}: an empty table (write {{party = "5%", …}})')
    return {str(k): percent(v, f"{where}: {path}.{k}") for k, v in value.items()}


def _make_rules(fields: dict[str, Any], election: Election, where: str, at: str) -> Rules:
    """Rules from checked fields; then check the seed has the counts the bases need."""
    try:
        rules = Rules(**fields)
    except InputError as exc:  # a rule that contradicts another (e.g. min above max)
        raise InputError(f"{where}: {at}: {exc}") from None
    check_members(rules.alliances, election.names, f"{where}: {at}.alliances")
    try:
        election.base(rules.threshold_base)
    except InputError:
        raise InputError(
            f"{where}: {at}.threshold_base: {rules.threshold_base!r} needs the "
            f"count '{rules.threshold_base}' in the seed {election.path}, which "
            "does not give it"
        ) from None
    if rules.quotient_factors:  # every kind named must be some list's kind
        rules.quotient_multipliers([p.kind for p in election.parties], f"{where}: {at}")
    if rules.kind_thresholds:  # every list needs a threshold for its kind
        for p in election.parties:
            if p.exempt:
                continue
            try:
                rules.threshold_of(p.kind, p.name, election.path or election.name)
            except InputError as exc:
                raise InputError(f"{where}: {at}.threshold: {exc}") from None
    if rules.regional_threshold and election.region_names:
        try:
            election.regional_base(rules.regional_threshold_base or rules.threshold_base)
        except InputError as exc:
            raise InputError(f"{where}: {at}.regional_threshold_base: {exc}") from None
    return rules


def _sweep_range(table: Mapping[str, Any], where: str) -> SweepRange:
    no_unknown_keys(table, SWEEP_KEYS, where, "sweep.")
    if "range" not in table:
        return SweepRange()
    value = table["range"]
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(
            f'{where}: sweep.range: must be two percentages such as ["0%", "12%"], not {value!r}'
        )
    low = percent(value[0], f"{where}: sweep.range[0]")
    high = percent(value[1], f"{where}: sweep.range[1]")
    if not low < high:
        raise InputError(
            f"{where}: sweep.range: the start ({value[0]}) must be below the end ({value[1]})"
        )
    return SweepRange(low, high)


__all__ = ["Alternative", "Scenario", "SweepRange"]
