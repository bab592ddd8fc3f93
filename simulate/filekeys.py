"""Reading TOML files and checking their keys and values, for every file reader (seeds,
scenarios, [montecarlo] tables): each check names the file and key.

Every error is one line: ``<file>: <key path>: what is wrong``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from simulate.errors import InputError
from simulate.threshold import parse_percent

NONE_WORD = "none"
"""What a scenario writes for "no value" where a key may be switched off (``max_seats``)."""


def no_unknown_keys(raw: Mapping, allowed, where: str, prefix: str = "") -> None:
    """Refuse any key not in ``allowed``; ``prefix`` is the key path so far ("party[1].")."""
    for key in raw:
        if key not in allowed:
            raise InputError(
                f"{where}: {prefix}{key}: unknown key "
                f"(expected one of {', '.join(sorted(allowed))})"
            )


def string(
    raw: Mapping, key: str, where: str, *, at: str = "", required: bool = False
) -> str | None:
    """``raw[key]`` as a string (None when absent and not required; never empty if required)."""
    path = f"{at}.{key}" if at else key
    if key not in raw:
        if required:
            raise InputError(f"{where}: {path}: missing")
        return None
    value = raw[key]
    if not isinstance(value, str):
        raise InputError(f"{where}: {path}: must be a string, not {value!r}")
    if required and not value.strip():
        raise InputError(f"{where}: {path}: must not be empty")
    return value


def table(raw: Mapping, key: str, where: str, *, required: bool = False) -> dict | None:
    """``raw[key]`` as a TOML table."""
    if key not in raw:
        if required:
            raise InputError(f"{where}: {key}: missing (a [{key}] table)")
        return None
    value = raw[key]
    if not isinstance(value, dict):
        raise InputError(f"{where}: {key}: must be a table ([{key}]), not {value!r}")
    return value


def count(value: Any, where: str) -> int:
    """A count of votes or seats: a whole number ≥ 0 (``where`` names file, list and key)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{where}: must be a whole number, not {value!r}")
    if value < 0:
        raise InputError(f"{where}: must not be negative ({value})")
    return int(value)


def whole(value: Any, key: str, minimum: int) -> int:
    """A whole number ≥ ``minimum`` (``key`` names the file and key)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(f"{key}: must be a whole number ≥ {minimum}, not {value!r}")
    return int(value)


def whole_or_none(value: Any, key: str, minimum: int) -> int | None:
    """``whole``, or None for the word "none"."""
    if value == NONE_WORD:
        return None
    try:
        return whole(value, key, minimum)
    except InputError:
        raise InputError(
            f'{key}: must be a whole number ≥ {minimum} or "none", not {value!r}'
        ) from None


def percent(value: Any, key: str) -> Fraction:
    """A percentage string such as "7%", read exactly (``simulate.threshold.parse_percent``)."""
    if not isinstance(value, str):
        raise InputError(f'{key}: must be a percentage string such as "7%", not {value!r}')
    return parse_percent(value, key)


def percent_or_none(value: Any, key: str) -> Fraction | None:
    """``percent``, or None for the word "none"."""
    if value == NONE_WORD:
        return None
    if not isinstance(value, str):
        raise InputError(
            f'{key}: must be a percentage string such as "7%" or "none", not {value!r}'
        )
    return parse_percent(value, key)


def read_toml(path: str | Path, what: str) -> dict:
    """A TOML file's contents; ``what`` ("seed", "scenario") words the errors."""
    where = str(path)
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{where}: no such {what} file") from None
    except IsADirectoryError:
        raise InputError(f"{where}: is a folder, not a {what} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: cannot be read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: not valid TOML ({exc})") from None


# ---------------------------------------------------------------------------------------------
# colours (a seed's party colours; ``simulate.colours`` hands them out)

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
CSS_NAMES = frozenset(
    [
        "aliceblue",
        "antiquewhite",
        "aqua",
        "aquamarine",
        "azure",
        "beige",
        "bisque",
        "black",
        "blanchedalmond",
        "blue",
        "blueviolet",
        "brown",
        "burlywood",
        "cadetblue",
        "chartreuse",
        "chocolate",
        "coral",
        "cornflowerblue",
        "cornsilk",
        "crimson",
        "cyan",
        "darkblue",
        "darkcyan",
        "darkgoldenrod",
        "darkgray",
        "darkgreen",
        "darkgrey",
        "darkkhaki",
        "darkmagenta",
        "darkolivegreen",
        "darkorange",
        "darkorchid",
        "darkred",
        "darksalmon",
        "darkseagreen",
        "darkslateblue",
        "darkslategray",
        "darkslategrey",
        "darkturquoise",
        "darkviolet",
        "deeppink",
        "deepskyblue",
        "dimgray",
        "dimgrey",
        "dodgerblue",
        "firebrick",
        "floralwhite",
        "forestgreen",
        "fuchsia",
        "gainsboro",
        "ghostwhite",
        "gold",
        "goldenrod",
        "gray",
        "green",
        "greenyellow",
        "grey",
        "honeydew",
        "hotpink",
        "indianred",
        "indigo",
        "ivory",
        "khaki",
        "lavender",
        "lavenderblush",
        "lawngreen",
        "lemonchiffon",
        "lightblue",
        "lightcoral",
        "lightcyan",
        "lightgoldenrodyellow",
        "lightgray",
        "lightgreen",
        "lightgrey",
        "lightpink",
        "lightsalmon",
        "lightseagreen",
        "lightskyblue",
        "lightslategray",
        "lightslategrey",
        "lightsteelblue",
        "lightyellow",
        "lime",
        "limegreen",
        "linen",
        "magenta",
        "maroon",
        "mediumaquamarine",
        "mediumblue",
        "mediumorchid",
        "mediumpurple",
        "mediumseagreen",
        "mediumslateblue",
        "mediumspringgreen",
        "mediumturquoise",
        "mediumvioletred",
        "midnightblue",
        "mintcream",
        "mistyrose",
        "moccasin",
        "navajowhite",
        "navy",
        "oldlace",
        "olive",
        "olivedrab",
        "orange",
        "orangered",
        "orchid",
        "palegoldenrod",
        "palegreen",
        "paleturquoise",
        "palevioletred",
        "papayawhip",
        "peachpuff",
        "peru",
        "pink",
        "plum",
        "powderblue",
        "purple",
        "rebeccapurple",
        "red",
        "rosybrown",
        "royalblue",
        "saddlebrown",
        "salmon",
        "sandybrown",
        "seagreen",
        "seashell",
        "sienna",
        "silver",
        "skyblue",
        "slateblue",
        "slategray",
        "slategrey",
        "snow",
        "springgreen",
        "steelblue",
        "tan",
        "teal",
        "thistle",
        "tomato",
        "turquoise",
        "violet",
        "wheat",
        "white",
        "whitesmoke",
        "yellow",
        "yellowgreen",
    ]
)
"""The 148 colour names of CSS Color Module Level 4 (what a figure's colour name may be)."""


def check_colour(value, where: str) -> str:
    """A colour as "#rgb", "#rrggbb" or a CSS colour name; an error names ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f'{where}: a colour must be a string such as "#0072B2", not {value!r}')
    text = value.strip()
    if _HEX.match(text):
        return text.upper() if len(text) == 7 else text
    if text.lower() not in CSS_NAMES:
        raise InputError(
            f'{where}: {value!r} is not a colour (write "#rrggbb" or a CSS colour name)'
        )
    return text
