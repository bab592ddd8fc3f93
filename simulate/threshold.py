"""Thresholds as exact fractions, and the smallest vote count that passes one.

A threshold t on a base B is passed by ``votes >= t·B`` (or ``votes > t·B`` under a strict
rule). With t = p/q exact, the smallest passing count is ceil(p·B/q) (strict: floor(p·B/q) + 1),
an integer computed without rounding, so a list exactly at the threshold passes under ``>=``.

In files and on the command line a threshold is an explicit percentage string (``"7%"``);
in the Python API it is a fraction (``0.07``, read as the decimal it prints as, or
``Fraction(7, 100)``). Nothing guesses whether 7 meant 7% from its size.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

from simulate.errors import InputError

PER_ROW_DENOMINATOR = 10**9
"""Per-draw thresholds given as floats are read to the nearest billionth (1e-7 %)."""

COMPARISONS = (">=", ">")


PERCENT_DIGITS = 40
"""A percentage has at most this many characters, and an exponent (``"1e-3%"``) at most this
size: checked before the number is read (``"1e-99999999%"`` would take minutes)."""


def parse_percent(text: str, where: str = "threshold", *, inclusive: bool = False) -> Fraction:
    """``"7%"`` → Fraction(7, 100). A string without a % sign is an error. A threshold lies in
    [0%, 100%); a share (``inclusive``: of votes moved, at least per list) may also be 100%."""
    s = str(text).strip()
    shown = s if len(s) <= PERCENT_DIGITS else s[: PERCENT_DIGITS - 1] + "…"
    if not s.endswith("%"):
        raise InputError(
            f'{where}: "{shown}" needs a % sign (write "{shown}%" for {shown} percent)'
        )
    number = s[:-1].strip()
    exponent = re.search(r"[eE]\s*([+-]?\d+)", number)
    if len(number) > PERCENT_DIGITS or (exponent and abs(int(exponent[1])) > PERCENT_DIGITS):
        raise InputError(
            f'{where}: "{shown}" is not a percentage (more than {PERCENT_DIGITS} '
            "characters, or an exponent beyond ±40)"
        )
    try:
        value = Fraction(number) / 100
    except (ValueError, ZeroDivisionError):
        raise InputError(f'{where}: "{shown}" is not a percentage') from None
    if inclusive and value == 1:
        return value
    if not 0 <= value < 1:
        raise InputError(f'{where}: "{shown}" is outside [0%, {"100%]" if inclusive else "100%)"}')
    return value


def as_fraction(value: object, where: str = "threshold") -> Fraction:
    """A threshold from the API: a fraction in [0, 1), or a percentage string."""
    if isinstance(value, str):
        return parse_percent(value, where)
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}: {value!r} is not a threshold")
    if isinstance(value, Rational):
        frac = value if type(value) is Fraction else Fraction(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"{where}: {value!r} is not a threshold")
        frac = Fraction(value)
    elif isinstance(value, (float, np.floating)):
        narrow_float(value, where)
        if not np.isfinite(value):
            raise InputError(f"{where}: {value!r} is not a threshold")
        frac = Fraction(repr(float(value)))
    else:
        raise InputError(f"{where}: {value!r} is not a threshold")
    return check_fraction(frac, where)


def narrow_float(value, where: str) -> None:
    """Refuse a float32 (or float16) threshold, one value or an array: it is not the decimal
    it was written as (float32 0.07 is 0.0700000003, and a list at exactly 7% fails), and
    which decimal was meant cannot be told from it."""
    dtype = np.asarray(value).dtype
    if dtype.kind == "f" and dtype.itemsize < 8:
        one = np.ndim(value) == 0
        example = f" ({float(value)!r} as a double)" if one else ""
        raise InputError(
            f"{where}: {'a' if one else 'an array of'} {dtype.name}{example}: give Python "
            'floats (float64), Fractions or percentage strings such as "7%"'
        )


def check_fraction(value: Fraction, where: str) -> Fraction:
    if not 0 <= value < 1:
        hint = f' (for {value}% write {float(value) / 100:g} or "{value}%")' if value >= 1 else ""
        raise InputError(f"{where}: {float(value):g} is outside [0, 1){hint}")
    return value


def format_percent(value: Fraction) -> str:
    """Fraction(7, 100) → "7%"; Fraction(7, 1000) → "0.7%"."""
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    text = f"{float(pct):.6f}".rstrip("0").rstrip(".")
    return f"{text}%"


def min_votes(threshold: Fraction, base: int, strict: bool = False) -> int:
    """The smallest vote count that passes ``threshold`` of ``base``, exactly."""
    p, q = threshold.numerator, threshold.denominator
    if strict:
        return (p * base) // q + 1
    return -((-p * base) // q)


def min_votes_rows(threshold: Any, base: np.ndarray, strict: bool = False) -> np.ndarray:
    """Per-draw smallest passing counts as float64 exact integers.

    ``threshold`` is one exact fraction, or an array with one threshold per draw; an array of
    floats is read to the nearest 1/PER_ROW_DENOMINATOR (thresholds drawn from a continuous
    distribution have no exact decimal to keep); an array of Fractions or percentage strings
    ("7%") is read exactly, value by value.
    """
    base = np.asarray(base, dtype=np.int64)
    array = np.asarray(threshold)
    if array.ndim != 0 and array.dtype.kind in "OUS":
        if array.shape != base.shape:
            raise InputError(f"threshold: {array.shape} thresholds for {base.shape[0]} draws")
        values = array.tolist()
        exact: dict[Fraction, list[int]] = {}
        for row, value in enumerate(values):
            exact.setdefault(as_fraction(value), []).append(row)
        out = np.empty(base.shape[0], dtype=np.float64)
        for frac, rows in exact.items():  # one exact pass per distinct threshold
            out[rows] = min_votes_rows(frac, base[rows], strict)
        return out
    p: int | np.ndarray  # one numerator, or one per draw (over PER_ROW_DENOMINATOR)
    if np.ndim(threshold) == 0:
        frac = as_fraction(threshold.item() if isinstance(threshold, np.ndarray) else threshold)
        p, q = frac.numerator, frac.denominator
        big = int(base.max(initial=0)) * p
        if big >= 2**62:
            out = np.array([min_votes(frac, int(b), strict) for b in base], dtype=np.float64)
            return out
    else:
        narrow_float(threshold, "threshold")
        t = np.asarray(threshold, dtype=np.float64)
        if t.shape != base.shape:
            raise InputError(f"threshold: {t.shape[0]} thresholds for {base.shape[0]} draws")
        if not (np.isfinite(t).all() and (t >= 0).all() and (t < 1).all()):
            raise InputError("threshold: per-draw thresholds must lie in [0, 1)")
        p = np.rint(t * PER_ROW_DENOMINATOR).astype(np.int64)
        q = PER_ROW_DENOMINATOR
        if int(base.max(initial=0)) >= 2**62 // q:
            raise InputError("threshold: bases above 4.6e9 need one exact threshold, not per draw")
    out = p * base // q + 1 if strict else -(-p * base // q)
    return out.astype(np.float64)


def shortfall_text(votes: int, base: int, threshold: Fraction, strict: bool = False) -> str:
    """Why a share misses a threshold, in percent with as many decimals as it takes to read
    true: '6.85% < 7%', '6.999% < 7%'; under a strict rule a share exactly at it is '7% ≤ 7%'
    (it must be more than 7%)."""
    share = Fraction(votes, base) * 100 if base else Fraction(0)
    limit = format_percent(threshold)
    if share == threshold * 100:
        return f"{limit} ≤ {limit}"
    own = len(limit[:-1].partition(".")[2])  # the threshold's own decimals: 7.0001% → 4
    for decimals in range(max(2, own), 12):
        text = f"{float(share):.{decimals}f}"
        if Fraction(text) < threshold * 100:
            return f"{text}% < {limit}"
    return f"{share} < {limit}"
