"""Reading TOML files and checking their keys and values, for every file reader (seeds,
scenarios, [montecarlo] tables): each check names the file and key.

Every error is one line: ``<file>: <key path>: what is wrong``.
"""

from __future__ import annotations

import os
import stat
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


MAX_COUNT = 2**53
"""Counts of votes or seats stay below 2^53 (9.0e15, a million times any electorate): the
largest whole numbers float64 holds exactly, and far from int64's overflow when summed."""


def count(value: Any, where: str) -> int:
    """A count of votes or seats: a whole number ≥ 0 and below MAX_COUNT (``where`` names
    file, list and key)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{where}: must be a whole number, not {shown(value)}")
    if value < 0:
        raise InputError(f"{where}: must not be negative ({shown(value)})")
    if value >= MAX_COUNT:
        raise InputError(f"{where}: {shown(value)} is too large (counts stay below 2^53)")
    return int(value)


def shown(value: Any, limit: int = 40) -> str:
    """``repr(value)`` for an error line, cut to about ``limit`` characters (a 4,000-digit
    number or a long string is not repeated whole)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_FILE_BYTES = 8 * 2**20
"""Seed and scenario files are read up to this size (8 MiB; the largest shipped is 5 KiB)."""


def whole(value: Any, key: str, minimum: int, maximum: int = MAX_COUNT) -> int:
    """A whole number ≥ ``minimum`` and at most ``maximum`` (``key`` names the file and key;
    by default below 2^53, as counts are)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(f"{key}: must be a whole number ≥ {minimum}, not {shown(value)}")
    if value > maximum:
        raise InputError(f"{key}: {shown(value)} is more than the most allowed ({maximum:,})")
    return int(value)


def whole_or_none(value: Any, key: str, minimum: int) -> int | None:
    """``whole``, or None for the word "none"."""
    if value == NONE_WORD:
        return None
    try:
        return whole(value, key, minimum)
    except InputError:
        raise InputError(
            f'{key}: must be a whole number ≥ {minimum} or "none", not {shown(value)}'
        ) from None


def percent(value: Any, key: str, *, inclusive: bool = False) -> Fraction:
    """A percentage string such as "7%", read exactly (``simulate.threshold.parse_percent``):
    in [0%, 100%), or with ``inclusive`` (a share) in [0%, 100%]."""
    if not isinstance(value, str):
        raise InputError(f'{key}: must be a percentage string such as "7%", not {shown(value)}')
    return parse_percent(value, key, inclusive=inclusive)


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
    """A TOML file's contents; ``what`` ("seed", "scenario") words the errors.

    Only a regular file is read (a FIFO is opened without waiting for a writer, then refused;
    ``/dev/zero`` is refused, not read), and at most MAX_FILE_BYTES of it. A parse that gives
    up (nesting thousands deep, an integer of thousands of digits) is an error like any other.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"{what} file: needs a path, not {shown(path)}")
    where = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(f"{where}: no such {what} file") from None
    except IsADirectoryError:
        raise InputError(f"{where}: is a folder, not a {what} file") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{where}: cannot be read ({exc.__class__.__name__})") from None
    try:
        with os.fdopen(fd, "rb") as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise InputError(f"{where}: is a folder, not a {what} file")
            if not stat.S_ISREG(mode):
                raise InputError(
                    f"{where}: not a regular file (a device, a FIFO or a socket); "
                    f"a {what} file must be a file"
                )
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(
                f"{where}: larger than {MAX_FILE_BYTES // 2**20} MiB; not a {what} file"
            )
        return tomllib.loads(data.decode("utf-8"))
    except InputError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: cannot be read ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: not valid TOML ({exc})") from None
    except RecursionError:
        raise InputError(f"{where}: not valid TOML (nested too deep)") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise InputError(f"{where}: not valid TOML ({str(exc).split(':')[0]})") from None
