"""The rules of an allocation: ``Rules``, a frozen value checked on construction.

Settings only: ``simulate.allocation`` applies them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from simulate.alliance import Alliance, as_alliances
from simulate.election import BASE_WORDS, normalise_base
from simulate.errors import InputError
from simulate.filekeys import whole
from simulate.methods import (
    QUOTA_ROUNDINGS,
    Method,
    QuotaMethod,
    get_method,
)
from simulate.threshold import COMPARISONS, as_fraction, format_percent
from simulate.wording import plural

DISTRICT_BASES = ("party-votes", "valid")
"""Bases of a district threshold: the district's votes for lists, or its valid votes (the
lists' votes and the blank ballots, which the district seats table gives)."""

TIE_POLICIES = ("error", "lot", "first-listed", "most-votes", "most-votes-then-lot")
"""``Rules.ties``. "error" and "lot" as ever; the others are rules of a law: "first-listed"
(the list earlier in the election's order wins a tied seat), "most-votes" (the tied list with
more votes wins; lists tied on votes too are an error) and "most-votes-then-lot" (lists tied
on votes too are settled by lot)."""

LOT_POLICIES = ("lot", "most-votes-then-lot")
"""The tie policies that may draw a lot (a random generator must be given)."""

TIE_WORDS = {
    "first-listed": "ties to the list listed first",
    "most-votes": "ties to the list with more votes",
    "most-votes-then-lot": "ties to the list with more votes, then by lot",
}


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

    ``ties`` may also be a rule of a law (``TIE_POLICIES``): "first-listed", "most-votes" or
    "most-votes-then-lot"; a tie so decided is reported as such (``Tie.rule``), never silent.
    "most-votes" compares the tied lists' own votes (a district's, in a district); when lists
    with equal votes share the tie it cannot decide, and raises ``TieError`` (or, under
    "most-votes-then-lot", a lot decides among them).

    ``quota_rounding`` (quota methods only): "exact" (the default), "up", "down" or "nearest"
    (a half goes up): the quota made a whole number before the seats are handed out
    (``simulate.methods.QuotaMethod`` says what happens when that hands out too many seats:
    the surplus comes back from the smallest remainders). Not with ``max_seats``/``min_seats``.

    ``quotient_factors`` (divisor methods only): ``{"minority": "1.35"}`` multiplies the
    quotients of every list of that kind by the factor (Serbia's national-minority lists),
    kept exactly as a Fraction read from the decimal string (a float is read as the decimal
    it prints as). Every kind named must be the kind of some list of the election.
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
    quota_rounding: str = "exact"
    quotient_factors: tuple[tuple[str, Fraction], ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "alliances", as_alliances(self.alliances))
        set_(self, "quotient_factors", _factors(self.quotient_factors))
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
        family = get_method(self.method).family
        if self.quota_rounding not in QUOTA_ROUNDINGS:
            raise InputError(
                f"quota_rounding: {self.quota_rounding!r} is not one of "
                f"{', '.join(QUOTA_ROUNDINGS)}"
            )
        if self.quota_rounding != "exact":
            if family != "quota":
                raise InputError(
                    f"quota_rounding: {self.quota_rounding!r} rounds a quota, and "
                    f'{self.method} is a divisor method (it has none; quota_rounding = "exact" '
                    "drops it)"
                )
            if self.max_seats is not None or self.min_seats:
                raise InputError(
                    "quota_rounding: a rounded quota with max_seats or min_seats is not supported"
                )
        if self.quotient_factors and self.alliances:
            raise InputError(
                "quotient_factors: not defined with alliances (whether an alliance's quotients "
                "take its members' factors is a rule of its own): drop one or the other"
            )
        if self.quotient_factors and family != "divisor":
            raise InputError(
                f"quotient_factors: multiply the quotients of a divisor method, and "
                f"{self.method} is a quota method (quotient_factors = {{}} drops them)"
            )

    @property
    def method_spec(self) -> Method:
        method = get_method(self.method)
        if isinstance(method, QuotaMethod) and self.quota_rounding != "exact":
            return method.with_rounding(self.quota_rounding)
        return method

    @property
    def draws_lots(self) -> bool:
        """Whether a tie may be decided by lot (a random generator is needed)."""
        return self.ties in LOT_POLICIES

    def quotient_multipliers(self, kinds: Sequence[str | None], where: str) -> np.ndarray | None:
        """Whole numbers (P,) by which to multiply each list's votes so that a divisor method
        gives every list the quotients its factor asks for: the factor times the common
        denominator of all the factors (Serbia's 1.35 = 27/20: 27 for a minority list, 20
        for the others). A divisor method's result does not change when every list's votes
        are multiplied by one number, so this is exact. None without factors. ``kinds``: each
        list's kind; a factor for a kind no list has is an error (``where`` names the data).
        """
        if not self.quotient_factors:
            return None
        table = dict(self.quotient_factors)
        have = {k for k in kinds if k}
        missing = [k for k in table if k not in have]
        if missing:
            known = ", ".join(sorted(have)) or "none given"
            raise InputError(
                f"{where}: quotient_factors: no list is of kind {missing[0]!r} "
                f"(the lists' kinds: {known})"
            )
        common = math.lcm(*(f.denominator for f in table.values()))
        return np.array(
            [int(table.get(k or "", Fraction(1)) * common) for k in kinds], dtype=np.int64
        )

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
        for kind, factor in self.quotient_factors:
            parts.append(f"quotients of {kind} lists × {format_factor(factor)}")
        if self.ties in TIE_WORDS:
            parts.append(TIE_WORDS[self.ties])
        return ", ".join(parts)


def format_factor(factor: Fraction) -> str:
    """A factor as written: the decimal when it has one ("1.35"), else the fraction."""
    den = factor.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{factor.numerator}/{factor.denominator}"
    places = max(twos, fives)
    text = f"{factor.numerator * 10**places // factor.denominator}"
    if places:
        text = text.rjust(places + 1, "0")
        text = f"{text[:-places]}.{text[-places:]}".rstrip("0").rstrip(".")
    return text


def as_factor(value: Any, where: str) -> Fraction:
    """A quotient factor: a decimal or fraction string ("1.35", "27/20"), a whole number, a
    Fraction, or a float read as the decimal it prints as; it must be above 0."""
    if isinstance(value, bool):
        raise InputError(f'{where}: must be a number such as "1.35", not {value!r}')
    try:
        if isinstance(value, float):
            factor = Fraction(repr(value))
        elif isinstance(value, (int, Fraction, np.integer)):
            factor = Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
        elif isinstance(value, str):
            factor = Fraction(value.strip())
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f'{where}: must be a number such as "1.35" or "27/20", not {value!r}'
        ) from None
    if factor <= 0:
        raise InputError(f"{where}: must be above 0, not {value!r}")
    return factor


def _factors(given: Any) -> tuple[tuple[str, Fraction], ...]:
    """``quotient_factors`` as sorted (kind, Fraction) pairs, from a mapping or pairs."""
    if not given:
        return ()
    pairs = given.items() if isinstance(given, Mapping) else given
    out: dict[str, Fraction] = {}
    try:
        items = [(k, v) for k, v in pairs]
    except (TypeError, ValueError):
        raise InputError(
            f'quotient_factors: need {{kind: factor}}, e.g. {{minority = "1.35"}}, not {given!r}'
        ) from None
    for kind, value in items:
        key = str(kind).strip().lower()
        if not isinstance(kind, str) or not key or key in out:
            raise InputError(f"quotient_factors: kind {kind!r} is empty or given twice")
        out[key] = as_factor(value, f"quotient_factors.{key}")
    return tuple(sorted(out.items()))
