"""The rules of an allocation: ``Rules``, a frozen value checked on construction.

Settings only: ``simulate.allocation`` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from simulate.alliance import Alliance, as_alliances
from simulate.election import BASE_WORDS, normalise_base
from simulate.errors import InputError
from simulate.filekeys import whole
from simulate.methods import (
    Method,
    get_method,
)
from simulate.threshold import COMPARISONS, as_fraction, format_percent
from simulate.wording import plural

TIE_POLICIES = ("error", "lot")
DISTRICT_BASES = ("party-votes", "valid")
"""Bases of a district threshold: the district's votes for lists, or its valid votes (the
lists' votes and the blank ballots, which the district seats table gives)."""


@dataclass(frozen=True)
class Rules:
    """How seats are allocated.

    ``threshold`` is a fraction of ``threshold_base`` (0.07, Fraction(7, 100) or "7%");
    ``threshold_comparison`` is ">=" (a list exactly at the threshold passes) or ">".
    ``regional_threshold`` must be reached in every region of the seed's regional votes.
    ``max_seats``: a list above it keeps the cap and the rest go to the others by the same
    method; ``min_seats`` likewise from below. ``ties``: "error" raises ``TieError``; "lot"
    draws lots with the generator passed to ``allocate`` and says so in the result.

    A threshold per kind of list: ``threshold={"party": "5%", "coalition": "8%"}`` (kept in
    ``kind_thresholds`` as sorted (kind, fraction) pairs; ``threshold`` is then 0): each list
    must reach the threshold of its ``kind`` (a list whose kind has none is an error), and a
    list marked ``exempt`` in the data skips every threshold. ``district_threshold``: in a
    districted election, a list takes part in a district only with that share of the
    district's votes for lists, or of its valid votes (lists + blank ballots) with
    ``district_threshold_base="valid"`` (``threshold`` stays national: on the national base).

    ``alliances``: lists pooled for the threshold, the allocation or both
    (``simulate.alliance.Alliance``, or tables ``{"lists": ["A", "B"], "pool": "both"}``);
    not with seat caps or minimums, nor, when an alliance pools the threshold, with a
    regional threshold.
    """

    seats: int
    method: str = "hare"
    threshold: Fraction = Fraction(0)
    threshold_base: str = "party-votes"
    threshold_comparison: str = ">="
    regional_threshold: Fraction | None = None
    regional_threshold_base: str | None = None
    max_seats: int | None = None
    min_seats: int | None = None
    ties: str = "error"
    kind_thresholds: tuple[tuple[str, Fraction], ...] = ()
    district_threshold: Fraction | None = None
    district_threshold_base: str = "party-votes"
    alliances: tuple[Alliance, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "alliances", as_alliances(self.alliances))
        if isinstance(self.threshold, Mapping):
            if self.kind_thresholds:
                raise InputError("threshold: per kind, or kind_thresholds, not both")
            set_(self, "kind_thresholds", tuple(self.threshold.items()))
            set_(self, "threshold", Fraction(0))
        kinds = {}
        for kind, value in self.kind_thresholds:
            key = str(kind).strip().lower()
            if not key or key in kinds:
                raise InputError(f"threshold: kind {kind!r} is empty or given twice")
            kinds[key] = as_fraction(value, f"threshold.{key}")
        set_(self, "kind_thresholds", tuple(sorted(kinds.items())))
        if self.district_threshold is not None:
            set_(
                self,
                "district_threshold",
                as_fraction(self.district_threshold, "district_threshold"),
            )
        if self.district_threshold_base not in DISTRICT_BASES:
            raise InputError(
                f"district_threshold_base: {self.district_threshold_base!r} is not one of "
                f"{', '.join(DISTRICT_BASES)}"
            )
        if isinstance(self.seats, bool) or not isinstance(self.seats, (int, np.integer)):
            raise InputError(f"seats: must be a whole number, not {self.seats!r}")
        if self.seats < 1:
            raise InputError(f"seats: must be at least 1, not {self.seats}")
        set_(self, "seats", whole(self.seats, "seats", 1))
        set_(self, "method", get_method(self.method).name)
        set_(self, "threshold", as_fraction(self.threshold, "threshold"))
        if self.kind_thresholds and self.threshold:
            raise InputError("threshold: one threshold, or one per kind of list, not both")
        set_(self, "threshold_base", normalise_base(self.threshold_base))
        if self.threshold_comparison not in COMPARISONS:
            raise InputError(
                f"threshold_comparison: {self.threshold_comparison!r} is not one of "
                f"{', '.join(COMPARISONS)}"
            )
        if self.regional_threshold is not None:
            set_(
                self,
                "regional_threshold",
                as_fraction(self.regional_threshold, "regional_threshold"),
            )
        if self.regional_threshold_base is not None:
            set_(self, "regional_threshold_base", normalise_base(self.regional_threshold_base))
        for key, least in (("max_seats", 1), ("min_seats", 0)):
            value = getattr(self, key)
            if value is None:
                continue
            set_(self, key, whole(value, key, least))
        if (
            self.max_seats is not None
            and self.min_seats is not None
            and self.min_seats > self.max_seats
        ):
            raise InputError(f"min_seats ({self.min_seats}) exceeds max_seats ({self.max_seats})")
        if self.alliances and (self.max_seats is not None or self.min_seats is not None):
            raise InputError(
                "alliances: not defined with max_seats or min_seats (whether a cap holds the "
                "alliance or its lists is a rule of its own): drop one or the other"
            )
        if self.regional_threshold and any(a.pools_threshold for a in self.alliances):
            raise InputError(
                "alliances: pooling the threshold is not defined with a regional threshold "
                '(use pool = "allocation", or drop the regional threshold)'
            )
        if self.ties not in TIE_POLICIES:
            raise InputError(f"ties: {self.ties!r} is not one of {', '.join(TIE_POLICIES)}")

    @property
    def method_spec(self) -> Method:
        return get_method(self.method)

    @property
    def strict(self) -> bool:
        return self.threshold_comparison == ">"

    def threshold_of(self, kind: str | None, name: str, where: str) -> Fraction:
        """The national threshold of a list of ``kind`` (``name``, ``where``: for the error
        when its kind has no threshold)."""
        if not self.kind_thresholds:
            return self.threshold
        table = dict(self.kind_thresholds)
        if kind is None or kind not in table:
            what = "has no kind" if kind is None else f"is of kind {kind!r}"
            raise InputError(
                f"{where}: list {name!r} {what}, which has no threshold "
                f"(thresholds for: {', '.join(table)})"
            )
        return table[kind]

    def replace(self, **changes: Any) -> Rules:
        return replace(self, **changes)

    def describe(self) -> str:
        """One line: '120 seats, hare, 7% of participants, max 65'."""
        parts = [plural(self.seats, "seat"), self.method_spec.label]
        if self.threshold:
            cmp = "" if self.threshold_comparison == ">=" else "more than "
            parts.append(
                f"threshold {cmp}{format_percent(self.threshold)} of "
                f"{BASE_WORDS[self.threshold_base]}"
            )
        if self.kind_thresholds:
            cmp = "" if self.threshold_comparison == ">=" else "more than "
            each = ", ".join(f"{k} {cmp}{format_percent(t)}" for k, t in self.kind_thresholds)
            parts.append(f"threshold {each} of {BASE_WORDS[self.threshold_base]}")
        if self.district_threshold:
            of = " of valid votes" if self.district_threshold_base == "valid" else ""
            parts.append(
                f"{format_percent(self.district_threshold)}{of} in a district to take part"
            )
        if self.regional_threshold:
            parts.append(f"{format_percent(self.regional_threshold)} in every region")
        if self.max_seats is not None:
            parts.append(f"at most {self.max_seats} per list")
        if self.min_seats:
            parts.append(f"at least {self.min_seats} per list")
        parts.extend(f"alliance {a.describe()}" for a in self.alliances)
        return ", ".join(parts)
