"""The settings of a Monte Carlo run, and the parser of a scenario's ``[montecarlo]`` table.

Keys (every one optional; any other key is an error)::

    [montecarlo]
    draws = 100000                  # ≥ 1
    seed = 20201004                 # whole number ≥ 0; none: the command line picks one and
                                    # records it
    block_size = 8192               # draws per seeding block: part of the seed (a different
                                    # block size gives different draws); at most 2^20
    chunk_size = 8192               # draws per engine call (at most 2^20): memory and speed
                                    # only, never the numbers (default: chosen by the run,
                                    # whole blocks for about 2^18 cells of the lists)
    workers = 1                     # processes; never changes the numbers (at most one
                                    # per seeding block and per core are used)
    rule_sets = ["in force", "d'Hondt"]   # labels of the scenario's rule sets to run (default:
                                    # all); the first is the baseline

    model = "dirichlet"             # dirichlet | logit-normal | transfer | uniform |
                                    # district-swing (an election with districts)
    concentration = 2000            # dirichlet: > 0, times the largest share within
                                    # [0.05, 1e300]; inf for no noise
    sd = 1.0                        # logit-normal: percentage points (0, or from 1e-4)
    sd_lists = { Birimdik = 2.0 }   # logit-normal: percentage points for named lists
    transfer_from = ["Birimdik"]    # transfer: lists whose votes are partly moved
    transfer_share = ["0%", "20%"]  # transfer: share moved, uniform on a range (or one "10%")
    transfer_to = ["Mekenim Kyrgyzstan"]  # transfer: receiving lists (default: every other
                                    # category in proportion to its votes)
    min_share = "1%"                # uniform: every share at least this
    sigma_national = 0.1            # district-swing (a districted election): the national
    sigma_district = 0.1            # swing per list and the noise per list and district,
                                    # standard deviations on the log scale, 0 to 3

    threshold = "7%"                # replaces the threshold of every rule set: fixed
    threshold_range = ["5%", "9%"]  # … or drawn uniformly per draw
    threshold_values = ["5%", "7%", "9%"]   # … or drawn from a set
    threshold_weights = [1, 2, 1]   #     with these weights (default equal)

    keep_draws = true               # keep per-draw seats (default: when draws ≤ the limit)
    keep_draws_limit = 100000

Give only the keys of the chosen model and at most one threshold key. A threshold key replaces
the threshold of every chosen rule set (each keeps its own base and comparison), so rule sets
that differ only in their thresholds would become one: that is refused. In every draw ties are
decided by lot and counted, whatever the rules' tie policy; regional thresholds are not
applied (only national votes are drawn). Percentages are read as in ``[rules]``
(``simulate.threshold.parse_percent``). Every bad value is one line naming the file and the
key, e.g.
``scenarios/x.toml: montecarlo.concentration: must be a number > 0, not -5``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np

from simulate.election import Election
from simulate.errors import InputError
from simulate.filekeys import MAX_COUNT, no_unknown_keys, percent, whole
from simulate.montecarlo.models import (
    MODEL_KINDS,
    MODEL_PARAMETERS,
    ModelSpec,
    vote_categories,
    widest_base,
)
from simulate.montecarlo.models.district_swing import check_sigma
from simulate.rules import Rules
from simulate.threshold import as_fraction, format_percent

BLOCK_SIZE = 8192
"""Draws per seeding block by default (about the engine's best chunk for 16 lists)."""

KEEP_DRAWS_LIMIT = 100_000

MAX_BLOCK = 2**20
"""The most draws in a seeding block or an engine chunk: a block's votes are held whole
(categories × block_size float64; 2^20 draws of 20 categories is 160 MiB)."""

HIGHEST = {"block_size": MAX_BLOCK, "chunk_size": MAX_BLOCK, "seed": 2**128 - 1}
"""Settings with an upper bound of their own; every other whole number stays below 2^53."""

THRESHOLD_KEYS = ("threshold", "threshold_range", "threshold_values")
KEYS = (
    "draws",
    "seed",
    "block_size",
    "chunk_size",
    "workers",
    "rule_sets",
    "model",
    *(k for keys in MODEL_PARAMETERS.values() for k in keys),
    *THRESHOLD_KEYS,
    "threshold_weights",
    "keep_draws",
    "keep_draws_limit",
)


@dataclass(frozen=True)
class ThresholdVariation:
    """The threshold of every rule set, per draw: ``fixed`` (one value), ``uniform`` on
    [low, high], or ``discrete`` values with weights. Values are exact fractions (given as
    0.07, Fraction(7, 100) or "7%", as thresholds are in the API); a uniform draw is a float,
    applied to the nearest billionth (``simulate.threshold``)."""

    kind: str
    values: tuple[Fraction, ...]
    weights: tuple[float, ...] = ()

    @classmethod
    def fixed(cls, value: object) -> ThresholdVariation:
        return cls("fixed", (as_fraction(value, "threshold"),))

    @classmethod
    def uniform(cls, low: object, high: object) -> ThresholdVariation:
        low = as_fraction(low, "threshold_range")
        high = as_fraction(high, "threshold_range")
        if low > high:
            raise InputError(
                f"threshold_range: inverted ({format_percent(low)} > {format_percent(high)})"
            )
        return cls("uniform", (low, high))

    @classmethod
    def discrete(
        cls, values: Iterable[object], weights: Iterable[float] | None = None
    ) -> ThresholdVariation:
        fractions = tuple(as_fraction(v, "threshold_values") for v in values)
        if not fractions:
            raise InputError("threshold_values: give at least one value")
        given = weights if weights is not None else [1] * len(fractions)
        floats = tuple(float(w) for w in given)
        if len(floats) != len(fractions):
            raise InputError(
                f"threshold_weights: {_count(len(floats), 'weight')} for "
                f"{_count(len(fractions), 'value')}"
            )
        if any(not math.isfinite(w) or w < 0 for w in floats) or not sum(floats) > 0:
            raise InputError("threshold_weights: must be numbers ≥ 0 with a positive sum")
        return cls("discrete", fractions, floats)

    def __post_init__(self) -> None:
        for v in self.values:
            if not 0 <= v < 1:
                raise InputError(f"threshold: {float(v):g} is outside [0, 1)")

    @property
    def cdf(self) -> np.ndarray:
        """The weights' cumulative shares, the last exactly 1 (the weights are scaled by the
        largest first, so that weights of 1e308 do not overflow their sum)."""
        w = np.array(self.weights) / max(self.weights)
        c = np.cumsum(w) / w.sum()
        c[-1] = 1.0
        return c

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray | None:
        """Per draw: thresholds as floats (uniform), value indices (discrete), or None."""
        if self.kind == "fixed":
            return None
        u = rng.random(n)
        if self.kind == "uniform":
            low, high = (float(v) for v in self.values)
            return low + (high - low) * u
        return np.searchsorted(self.cdf, u, side="right")

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "values": [format_percent(v) for v in self.values],
        }
        if self.kind == "discrete":
            out["weights"] = list(self.weights)
        return out


@dataclass(frozen=True)
class MonteCarloSpec:
    """What a Monte Carlo run does (see the module docstring for the file keys)."""

    draws: int = 100_000
    seed: int | None = None
    block_size: int = BLOCK_SIZE
    chunk_size: int | None = None
    workers: int = 1
    rule_sets: tuple[str, ...] = ()
    model: ModelSpec = field(default_factory=ModelSpec)
    threshold: ThresholdVariation | None = None
    keep_draws: bool | None = None
    keep_draws_limit: int = KEEP_DRAWS_LIMIT

    def __post_init__(self) -> None:
        for key, low in (("draws", 1), ("block_size", 1), ("workers", 1), ("keep_draws_limit", 0)):
            whole(getattr(self, key), key, low, HIGHEST.get(key, MAX_COUNT))
        if self.chunk_size is not None:
            whole(self.chunk_size, "chunk_size", 1, MAX_BLOCK)
        if self.seed is not None:
            whole(self.seed, "seed", 0, HIGHEST["seed"])

    @property
    def chunk(self) -> int:
        """The chunk set, or else the first chunk of the run (one block; the run then sizes
        the rest, ``montecarlo.auto_chunk``)."""
        return self.chunk_size or self.block_size

    @property
    def keeps_draws(self) -> bool:
        if self.keep_draws is not None:
            return self.keep_draws
        return self.draws <= self.keep_draws_limit

    def replace(self, **changes: Any) -> MonteCarloSpec:
        """A copy with some settings changed (the command-line options); None keeps one."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_mapping(
        cls,
        raw: Mapping[str, Any],
        where: str,
        election: Election,
        labels: Sequence[str] | Mapping[str, Rules] | None = None,
    ) -> MonteCarloSpec:
        """Check a ``[montecarlo]`` table; list names are checked against ``election`` and
        rule set labels against ``labels`` when given. Given as a mapping label → Rules,
        a threshold key is also checked against the rule sets it would replace
        (``check_threshold_replacement``)."""
        if not isinstance(raw, Mapping):
            raise InputError(f"{where}: montecarlo: must be a table ([montecarlo]), not {raw!r}")
        no_unknown_keys(raw, KEYS, where, "montecarlo.")
        names = None if labels is None else list(labels)
        try:
            spec = _parse(raw, election, names)
            if isinstance(labels, Mapping):
                chosen = spec.rule_sets or tuple(labels)
                key = next((k for k in THRESHOLD_KEYS if k in raw), "threshold")
                check_threshold_replacement(spec.threshold, [(c, labels[c]) for c in chosen], key)
        except InputError as exc:
            raise InputError(f"{where}: montecarlo.{exc}") from None
        if isinstance(labels, Mapping) and spec.model.kind == "district-swing":
            if not election.districts:
                raise InputError(
                    f"{where}: montecarlo.model: district-swing needs an election with districts"
                )
        elif isinstance(labels, Mapping):  # the model on the categories the run will draw
            cats = vote_categories(election, widest_base(labels[c].threshold_base for c in chosen))
            try:
                spec.model.build(cats)
            except InputError as exc:
                raise InputError(f"{where}: montecarlo.{exc}") from None
        return spec


def check_threshold_replacement(
    threshold: ThresholdVariation | None,
    rule_sets: Sequence[tuple[str, Rules]],
    key: str = "threshold",
) -> None:
    """Refuse a threshold variation that makes two of ``rule_sets`` (label, Rules) the same:
    their Rules with the threshold replaced are equal though they differed before."""
    if threshold is None:
        return
    value = threshold.values[0]
    seen: dict[Rules, list[tuple[str, Rules]]] = {}
    for label, rules in rule_sets:
        seen.setdefault(rules.replace(threshold=value), []).append((label, rules))
    for group in seen.values():
        if len({rules for _, rules in group}) > 1:
            names = _and([f'"{label}"' for label, _ in group])
            raise InputError(
                f"{key}: replaces the thresholds of rule sets {names}, which then "
                "differ in nothing; choose rule_sets that differ in something "
                "else"
            )


# ---------------------------------------------------------------------------------------------
# the parser: each error message starts with the key (the caller adds the file)


def _parse(raw: Mapping[str, Any], election: Election, labels: list[str] | None) -> MonteCarloSpec:
    kind = raw.get("model", "dirichlet")
    if kind not in MODEL_KINDS:
        raise InputError(f"model: unknown model {kind!r}; valid models: {', '.join(MODEL_KINDS)}")
    for other, keys in MODEL_PARAMETERS.items():
        for key in keys:
            if key in raw and other != kind:
                raise InputError(f"{key}: belongs to model {other!r}, not {kind!r}")
    names = set(election.names)
    out: dict[str, Any] = {}
    for key, low in (
        ("draws", 1),
        ("seed", 0),
        ("block_size", 1),
        ("chunk_size", 1),
        ("workers", 1),
        ("keep_draws_limit", 0),
    ):
        if key in raw:
            out[key] = whole(raw[key], key, low, HIGHEST.get(key, MAX_COUNT))
    if "keep_draws" in raw:
        if not isinstance(raw["keep_draws"], bool):
            raise InputError(f"keep_draws: must be true or false, not {raw['keep_draws']!r}")
        out["keep_draws"] = raw["keep_draws"]
    if "rule_sets" in raw:
        chosen = _strings(raw["rule_sets"], "rule_sets")
        for label in chosen:
            if labels is not None and label not in labels:
                raise InputError(
                    f"rule_sets: no rule set labelled {label!r} (labels: {', '.join(labels)})"
                )
        out["rule_sets"] = tuple(chosen)
    out["model"] = _model(raw, kind, names)
    out["threshold"] = _threshold(raw)
    return MonteCarloSpec(**out)


def _model(raw: Mapping[str, Any], kind: str, names: set[str]) -> ModelSpec:
    params: dict[str, Any] = {"kind": kind}
    if "concentration" in raw:
        c = raw["concentration"]
        if isinstance(c, bool) or not isinstance(c, (int, float)) or math.isnan(c) or c <= 0:
            raise InputError(f"concentration: must be a number > 0 (inf for no noise), not {c!r}")
        params["concentration"] = float(c)
    if "sd" in raw:
        params["sd"] = _points(raw["sd"], "sd")
    if "sd_lists" in raw:
        table = raw["sd_lists"]
        if not isinstance(table, Mapping):
            raise InputError("sd_lists: must be a table of list name = percentage points")
        params["sd_lists"] = tuple(
            (_list_name(k, names, "sd_lists"), _points(v, f"sd_lists.{k}"))
            for k, v in table.items()
        )
    if kind == "transfer":
        if "transfer_from" not in raw:
            raise InputError("transfer_from: missing (the lists whose votes are moved)")
        sources = tuple(
            _list_name(n, names, "transfer_from")
            for n in _strings(raw["transfer_from"], "transfer_from")
        )
        if not sources:
            raise InputError("transfer_from: name at least one list")
        targets = tuple(
            _list_name(n, names, "transfer_to")
            for n in _strings(raw.get("transfer_to", []), "transfer_to")
        )
        both = set(sources) & set(targets)
        if both:
            raise InputError(f"transfer_to: {sorted(both)[0]!r} is also in transfer_from")
        share = raw.get("transfer_share")
        if share is None:
            raise InputError(
                'transfer_share: missing (a percentage "10%" or a range ["0%", "20%"])'
            )
        low, high = _range(share, "transfer_share", share=True)
        params.update(transfer_from=sources, transfer_to=targets, transfer_share=(low, high))
    if "min_share" in raw:
        params["min_share"] = _percent(raw["min_share"], "min_share", share=True)
    for key in ("sigma_national", "sigma_district"):
        if key in raw:
            params[key] = check_sigma(raw[key], key)
    return ModelSpec(**params)


def _threshold(raw: Mapping[str, Any]) -> ThresholdVariation | None:
    given = [k for k in THRESHOLD_KEYS if k in raw]
    if len(given) > 1:
        raise InputError(f"{given[1]}: give only one of {', '.join(THRESHOLD_KEYS)}")
    if "threshold_weights" in raw and "threshold_values" not in raw:
        raise InputError("threshold_weights: needs threshold_values")
    if not given:
        return None
    key = given[0]
    if key == "threshold":
        return ThresholdVariation.fixed(_percent(raw[key], key))
    if key == "threshold_range":
        return ThresholdVariation.uniform(*_range(raw[key], key))
    values = raw[key]
    if not isinstance(values, list) or not values:
        raise InputError(f'{key}: must be a list of percentages such as ["5%", "7%"]')
    fracs = [_percent(v, f"{key}[{i}]") for i, v in enumerate(values)]
    weights = raw.get("threshold_weights")
    if weights is not None and (
        not isinstance(weights, list)
        or any(isinstance(w, bool) or not isinstance(w, (int, float)) for w in weights)
    ):
        raise InputError("threshold_weights: must be a list of numbers")
    return ThresholdVariation.discrete(fracs, weights)


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{key}: must be a list of names, not {value!r}")
    return value


def _list_name(name: str, names: set[str], key: str) -> str:
    if name not in names:
        raise InputError(f"{key}: no list named {name!r} in the seed")
    return name


def _points(value: Any, key: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise InputError(f"{key}: must be a number of percentage points ≥ 0, not {value!r}")
    return float(value)


def _percent(value: Any, key: str, *, share: bool = False) -> Fraction:
    """A percentage string read as ``[rules]`` reads one (``parse_percent``): a threshold in
    [0%, 100%); a ``share`` (of votes moved, or a least share) may also be 100%."""
    return percent(value, key, inclusive=share)


def _range(value: Any, key: str, *, share: bool = False) -> tuple[Fraction, Fraction]:
    if isinstance(value, str):
        v = _percent(value, key, share=share)
        return v, v
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(f'{key}: must be two percentages such as ["0%", "20%"], not {value!r}')
    low = _percent(value[0], f"{key}[0]", share=share)
    high = _percent(value[1], f"{key}[1]", share=share)
    if low > high:
        raise InputError(f"{key}: inverted: the start ({value[0]}) is above the end ({value[1]})")
    return low, high


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _and(names: list[str]) -> str:
    """'"a"', '"a" and "b"', '"a", "b" and "c"'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


__all__ = [
    "BLOCK_SIZE",
    "KEEP_DRAWS_LIMIT",
    "MonteCarloSpec",
    "ThresholdVariation",
    "check_threshold_replacement",
]
