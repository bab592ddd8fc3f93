"""Reading TOML files and checking their keys and values, for every file reader (seeds,
scenarios, [montecarlo] tables): each check names the file and key.

Every error is one line: ``<file>: <key path>: what is wrong``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np

from simulate.errors import InputError
from simulate.threshold import parse_percent

NONE_WORD = "none"
"""What a scenario writes for "no value" where a key may be switched off (``max_seats``)."""


def no_unknown_keys(
    raw: Mapping[str, Any], allowed: Collection[str], where: str, prefix: str = ""
) -> None:
    """Refuse any key not in ``allowed``; ``prefix`` is the key path so far ("party[1].")."""
    for key in raw:
        if key not in allowed:
            raise InputError(
                f"{where}: {prefix}{key}: unknown key "
                f"(expected one of {', '.join(sorted(allowed))})"
            )


@overload
def string(
    raw: Mapping[str, Any], key: str, where: str, *, at: str = "", required: Literal[True]
) -> str: ...
@overload
def string(
    raw: Mapping[str, Any], key: str, where: str, *, at: str = "", required: bool = False
) -> str | None: ...
def string(
    raw: Mapping[str, Any], key: str, where: str, *, at: str = "", required: bool = False
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


@overload
def table(
    raw: Mapping[str, Any], key: str, where: str, *, required: Literal[True]
) -> dict[str, Any]: ...
@overload
def table(
    raw: Mapping[str, Any], key: str, where: str, *, required: bool = False
) -> dict[str, Any] | None: ...
def table(
    raw: Mapping[str, Any], key: str, where: str, *, required: bool = False
) -> dict[str, Any] | None:
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


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
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
