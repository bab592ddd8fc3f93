"""The allocation methods: one table of names and aliases, each entry a small value.

Two families share one engine (``simulate.engine``):

* quota methods (largest remainder): Hare, Droop;
* divisor methods (highest averages): d'Hondt, Sainte-Laguë, modified Sainte-Laguë, Imperiali,
  Adams, Danish, Huntington–Hill.

A divisor method is described by its signposts: the (k+1)-th seat of a list is won at the
quotient ``votes / d(k)``. Rational signposts are scaled to integers (Sainte-Laguë 1, 3, 5, …;
modified Sainte-Laguë 7, 15, 25, … which is 1.4, 3, 5, … times five), so every quotient is an
integer divided by an integer and two quotients compare exactly by cross-multiplication.
Huntington–Hill's signposts sqrt(k(k+1)) are irrational; its quotients are compared through
their squares ``votes² / (k(k+1))``, which are rational.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Literal

import numpy as np

from simulate.errors import InputError


@dataclass(frozen=True)
class QuotaMethod:
    """Largest remainder with the quota ``V / (seats + offset)``.

    ``offset`` 0 is the Hare quota; 1 is the exact Droop quota V/(h+1) (also called the
    Hagenbach-Bischoff quota), not the rounded variant floor(V/(h+1)) + 1.

    ``rounding`` (``Rules.quota_rounding``): "exact" keeps the quota a fraction; "up", "down"
    and "nearest" (a half goes up) make it a whole number q first, as some laws do (Slovakia's
    republic electoral number, V/(h+1) made whole). Then each list has floor(v/q) seats by
    whole quotas and the remainder v − floor(v/q)·q, and the seats left go to the largest
    remainders, one each. A quota rounded down can hand out more seats than the house by whole
    quotas: the surplus is taken back one seat each from the lists with the smallest remainders
    among those holding a seat (the Slovak rule). A draw the rounded quota cannot fill that way
    (a quota of 0, more seats left than lists, more surplus than lists holding seats) is
    reported unfilled, never patched up.
    """

    name: str
    label: str
    offset: int
    rounding: str = "exact"

    family: ClassVar[Literal["quota"]] = "quota"

    def rounded_quota(self, total: int, seats: int) -> int:
        """The whole-number quota for ``total`` votes and a house of ``seats`` (not "exact")."""
        d = seats + self.offset
        if self.rounding == "down":
            return total // d
        if self.rounding == "up":
            return -(-total // d)
        if self.rounding == "nearest":  # a half goes up
            return (2 * total + d) // (2 * d)
        raise ValueError(f"rounded_quota: the quota is {self.rounding}")

    def with_rounding(self, rounding: str) -> QuotaMethod:
        """This method with its quota rounded ``rounding`` (the label says so)."""
        if rounding == self.rounding:
            return self
        base = self.label.split(", quota rounded")[0]
        label = base if rounding == "exact" else f"{base}, quota {ROUNDING_WORDS[rounding]}"
        return replace(self, rounding=rounding, label=label)


QUOTA_ROUNDINGS = ("exact", "up", "down", "nearest")
"""``Rules.quota_rounding``: the quota kept exact, or made a whole number."""

ROUNDING_WORDS = {
    "exact": "exact",
    "up": "rounded up",
    "down": "rounded down",
    "nearest": "rounded to the nearest whole number (a half up)",
}


@dataclass(frozen=True)
class DivisorMethod:
    """Highest averages with integer signposts ``d(k) = step * k + start`` for k ≥ 0.

    ``first`` replaces d(0) when it differs from the linear rule (modified Sainte-Laguë).
    ``sqrt`` marks Huntington–Hill, whose signposts are sqrt(k(k+1)).
    """

    name: str
    label: str
    step: int = 1
    start: int = 1
    first: int | None = None
    sqrt: bool = False

    family: ClassVar[Literal["divisor"]] = "divisor"

    # -- signposts (vectorised on float arrays of seat counts; exact small integers) ---------
    @property
    def linear(self) -> bool:
        """Signposts a·k + b for every k (not modified Sainte-Laguë, not Huntington–Hill)."""
        return self.first is None and not self.sqrt

    @property
    def zero_first(self) -> bool:
        """d(0) = 0: every list with votes has an infinite claim to its first seat."""
        return self.sqrt or (self.first is None and self.start == 0)

    def next_div(self, s: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """d(s): the signpost of a list's next seat when it holds s (``out``: where to put it,
        for the common linear case)."""
        if self.sqrt:
            return np.sqrt(s * (s + 1.0))
        if self.first is None and out is not None:
            if self.step == 1:
                return np.add(s, float(self.start), out=out)
            np.multiply(s, float(self.step), out=out)
            out += float(self.start)
            return out
        d = (s if self.step == 1 else self.step * s) + float(self.start)
        if self.first is not None:
            d += (self.first - self.start) * (s == 0)
        return d

    def last_div(self, s: np.ndarray) -> np.ndarray:
        """d(s − 1): the signpost of the last seat a list holding s won; 0 where s = 0
        (so that votes / 0 = inf marks "no seat to give back")."""
        if self.sqrt:
            return np.sqrt(s * (s - 1.0))
        if self.first is None and self.start == self.step == 1:
            return s
        d = (s if self.step == 1 else self.step * s) + float(self.start - self.step)
        if self.first is not None:
            return np.maximum(d, 0.0) + (self.first - self.start) * (s == 1)
        if self.start < self.step:
            return np.maximum(d, 0.0)
        if self.start > self.step:
            return d * (s > 0)
        return d

    def divisor(self, k: np.ndarray) -> np.ndarray:
        """d(k) as floats (exact integers for rational signposts)."""
        return self.next_div(k)

    def divisor_exact(self, k: int) -> int:
        """d(k) exactly; for Huntington–Hill the square d(k)² = k(k+1)."""
        if self.sqrt:
            return k * (k + 1)
        if k == 0 and self.first is not None:
            return self.first
        return self.step * k + self.start

    def count(self, x: np.ndarray, inplace: bool = False) -> np.ndarray:
        """How many signposts are ≤ x: the seats won at divisor votes/x (for x ≥ 0; with
        ``zero_first`` this is at least 1, so callers zero the lists without votes).
        ``inplace`` lets d'Hondt overwrite x."""
        if inplace and self.step == self.start == 1 and self.first is None:
            return np.floor(x, out=x)
        if self.sqrt:
            return np.floor((np.sqrt(1.0 + 4.0 * x * x) - 1.0) / 2.0) + 1.0
        if self.first is not None:
            later = np.maximum(np.floor((x - self.start) / self.step), 0.0)
            return later + (x >= self.first)
        if self.step == self.start == 1:
            return np.floor(x)
        s = np.floor((x + float(self.step - self.start)) / self.step)
        return np.maximum(s, 0.0) if self.start > self.step else s

    def start_divisor(self, total: np.ndarray, seats: np.ndarray, lists: np.ndarray) -> np.ndarray:
        """A divisor that gives about ``seats`` seats in total: E / (a·(S + P·(r − ½)))."""
        r = 0.5 if self.sqrt or self.first is not None else self.start / self.step
        den = seats + lists * (r - 0.5)
        den = np.maximum(den, 0.5 * seats)
        scale = 1.0 if self.sqrt else self.step
        return total / (scale * den)

    def max_divisor(self, seats: int) -> float:
        """The largest signpost a house of ``seats`` can reach (for the exactness bound)."""
        if self.sqrt:
            return float(seats + 1)
        return float(self.step * (seats + 1) + max(self.start, self.first or 0))


Method = QuotaMethod | DivisorMethod

_METHODS: tuple[tuple[Method, tuple[str, ...]], ...] = (
    (
        QuotaMethod("hare", "Hare (largest remainder)", 0),
        ("hamilton", "hare-niemeyer", "largest-remainder", "lr", "vinton"),
    ),
    (QuotaMethod("droop", "Droop (largest remainder, quota V/(h+1))", 1), ("hagenbach-bischoff",)),
    (
        DivisorMethod("dhondt", "d'Hondt", 1, 1),
        ("d'hondt", "jefferson", "hagenbach-bischoff-divisor", "greatest-divisors"),
    ),
    (
        DivisorMethod("sainte-lague", "Sainte-Laguë", 2, 1),
        ("sainte-laguë", "saintelague", "webster", "major-fractions", "schepers"),
    ),
    (
        DivisorMethod("modified-sainte-lague", "modified Sainte-Laguë (1.4)", 10, 5, first=7),
        ("modified-sainte-laguë", "msl", "sainte-lague-1.4"),
    ),
    (DivisorMethod("imperiali", "Imperiali", 1, 2), ()),
    (DivisorMethod("adams", "Adams", 1, 0), ("smallest-divisors", "cambridge")),
    (DivisorMethod("danish", "Danish", 3, 1), ()),
    (
        DivisorMethod("huntington-hill", "Huntington–Hill", sqrt=True),
        ("hill", "equal-proportions", "huntington"),
    ),
)

METHODS: dict[str, Method] = {}
"""Every accepted name and alias (lower case) mapped to its method."""
for _method, _aliases in _METHODS:
    for _alias in (_method.name, *_aliases):
        METHODS[_alias] = _method

METHOD_NAMES: tuple[str, ...] = tuple(m.name for m, _ in _METHODS)
"""The canonical names, in the order of the table."""


def get_method(name: str | Method) -> Method:
    """The method called ``name`` (any alias, any case); an error lists the valid names."""
    if isinstance(name, (QuotaMethod, DivisorMethod)):
        return name
    key = str(name).strip().lower().replace("_", "-").replace(" ", "-")
    if key in METHODS:
        return METHODS[key]
    raise InputError(
        f"unknown method {name!r}; valid methods: {', '.join(METHOD_NAMES)} "
        f"(aliases: {', '.join(sorted(set(METHODS) - set(METHOD_NAMES)))})"
    )


EXACT_LIMIT = 2.0**52
"""Products of votes and seats (or signposts) must stay below this for float64 to be exact."""


def exactness_bound(
    method: Method, max_votes: float, total: float, seats: int, lists: int
) -> float:
    """The largest integer the engine forms for these inputs (must be < 2^52): products of
    votes and seats or signposts, and the total itself (a threshold's base is summed in
    float64, exact only below 2^53)."""
    if method.family == "quota":
        return max(max_votes * (seats + method.offset) * lists + lists, total * lists * 2)
    if method.sqrt:
        return max(max_votes * (seats + 1), total)
    bound = max(max_votes * method.max_divisor(seats) * 2.0, total)
    if method.linear:  # the exact start (divisor._exact_start): v·Q + 2(a − b)·E, and the
        # divisor 2a·E, exact below 2^53
        a, b = method.step, method.start
        q = 2 * a * seats + abs(2 * b - a) * lists
        bound = max(bound, max_votes * q + 2 * abs(a - b) * total, a * total)
    return bound


def check_exact(method: Method, max_votes: float, total: float, seats: int, lists: int) -> None:
    """Refuse inputs too large for exact float64 integer arithmetic rather than round them."""
    bound = exactness_bound(method, max_votes, total, seats, lists)
    if not bound < EXACT_LIMIT:
        raise InputError(
            f"votes too large for exact arithmetic with {method.name} and {seats} seats "
            f"(a product or total of {bound:.3g} ≥ 2^52); scale the counts down"
        )


__all__ = [
    "METHODS",
    "METHOD_NAMES",
    "Method",
    "QuotaMethod",
    "QUOTA_ROUNDINGS",
    "DivisorMethod",
    "get_method",
    "check_exact",
]
