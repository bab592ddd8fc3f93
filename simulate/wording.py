"""Words for people, in one place: counts with their nouns, shares, why a list missed.

Used by the rules' descriptions, the terminal tables, the figures and the JSON reasons.
"""

from __future__ import annotations

from fractions import Fraction

from simulate.threshold import shortfall_text


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """'1 vote', '3,077 votes', '1.5 seats': the count with the word made to agree."""
    text = f"{n:,}" if isinstance(n, int) else f"{n:,g}"
    return f"{text} {word if n == 1 else (many or word + 's')}"


def percent_text(share: Fraction, decimals: int = 2) -> str:
    return f"{100 * float(share):.{decimals}f}%"


def below_text(share: Fraction, threshold: Fraction) -> str:
    """'6.85% < 7%', with as many decimals as it takes for the comparison to read true; a
    share exactly at the threshold (which fails only under a strict rule) '7% ≤ 7%'. The
    same words as the allocation's reasons (``threshold.shortfall_text``)."""
    return shortfall_text(share.numerator, share.denominator, threshold)
