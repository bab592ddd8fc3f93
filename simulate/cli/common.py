"""What every command shares: the typer app, consoles, error handling, option parsing."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TextIO, TypeVar

import numpy as np
import typer
from rich.console import Console
from rich.text import Text

from simulate.errors import InputError, SeatsimError
from simulate.rules import as_factor
from simulate.threshold import parse_percent

if TYPE_CHECKING:
    from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="seatsim",
    help="Exact seat allocation and what-if simulation for proportional elections.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters that steer a terminal rather than show: C0 and C1 controls (newline, ESC, the
start of OSC 8 links), DEL, line and paragraph separators, bidirectional overrides."""


def printable(text: str) -> str:
    """``text`` (a list name, a title, a message naming them) as plain text for a terminal:
    every control character written as its escape, ``\\n``, ``\\x1b``, ``\\u202e``; so a
    name cannot colour the terminal, make a link, or start a line of its own."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), str(text))


def error_line(message: str) -> str:
    """An error as the one line a command prints on stderr."""
    return f"seatsim: error: {printable(message)}"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit with ``code`` (no traceback)."""
    typer.echo(error_line(message), err=True)
    raise typer.Exit(code)


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``@command()`` registers a function on the app and turns domain errors into one line."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def guarded(*a: P.args, **k: P.kwargs) -> R:
            try:
                return fn(*a, **k)
            except SeatsimError as exc:
                fail(str(exc))
            except KeyboardInterrupt:
                typer.echo("seatsim: interrupted", err=True)
                raise typer.Exit(130) from None

        return app.command(*args, **kwargs)(guarded)

    return wrap


@contextmanager
def naming(path: object) -> Iterator[None]:
    """Errors raised inside name ``path`` first (the scenario a command was running, or the
    option whose value is being read), unless they already do."""
    try:
        yield
    except SeatsimError as exc:
        if str(exc).startswith(str(path)):
            raise
        fail(f"{path}: {exc}")


def percent_option(text: str | None, option: str) -> Fraction | None:
    """A threshold from the command line: "7%" (a bare 7 is refused, naming the option)."""
    if text is None:
        return None
    return parse_percent(text, option)


def make_rng(seed: int | None) -> np.random.Generator | None:
    """A generator for drawing lots from a seed given on the command line or in a scenario
    (the scenario's is checked when it is read: a bad one here came from ``--lot-seed``)."""
    if seed is not None and seed < 0:
        raise InputError(f"--lot-seed: must be a whole number ≥ 0, not {seed}")
    return None if seed is None else np.random.default_rng(seed)


@app.callback()
def _root() -> None:
    """Exact seat allocation and what-if simulation for proportional elections.

    Thresholds are percentages with a % sign ("7%"). Every command has --help.
    """


def make_console(stderr: bool = False, width: int | None = 100) -> Console:
    """A rich console for tables: the terminal's width, or ``width`` columns when the output
    is a file or a pipe (rich would otherwise wrap at 80) unless COLUMNS says otherwise.

    Text is plain: no rich markup (a list named "[/]" or "[link=file:///etc/passwd]" is shown
    as it is written), no emoji codes, and control characters escaped (``printable``) in every
    string it prints, table cells and titles included."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return _PlainConsole(stderr=stderr)
    if os.environ.get("COLUMNS"):
        width = None
    # into a file or a pipe: tables are padded to the width; the padding is taken off
    return _PlainConsole(
        file=_Trimmed(stream),  # a stream that writes and flushes (rich wants no more)
        width=width,
        color_system=None,
    )


def plain_text(text: str, style: str = "") -> Text:
    """A rich Text of ``text`` made printable (what the console does for a plain string)."""
    return Text(printable(text), style=style)


class _PlainConsole(Console):
    """A console whose strings are shown as plain text (``printable``): no markup, no emoji
    codes, no highlighting."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(highlight=False, markup=False, emoji=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)


class _Trimmed:
    """A text stream that drops the spaces at the end of every line it passes on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.pending = stream, ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.stream.write(line.rstrip(" ") + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False


def threshold_option(text: str | None) -> Any:
    """``--threshold``: "5%", or "party=5%,coalition=8%" (one per kind of list)."""
    if text is None:
        return 0
    if "=" not in text:
        return percent_option(text, "--threshold")
    kinds = {}
    for part in text.split(","):
        kind, eq, value = part.partition("=")
        if not eq or not kind.strip():
            raise InputError(f'--threshold: {part.strip()!r} is not kind=percent, e.g. "party=5%"')
        kinds[kind.strip().lower()] = percent_option(value, f"--threshold {kind.strip()}")
    return kinds


def factors_option(texts: list[str] | None) -> tuple[tuple[str, Fraction], ...]:
    """``--quotient-factor minority=1.35`` (repeatable, or comma-separated): (kind, factor)
    pairs, each factor exact."""
    out: dict[str, Fraction] = {}
    for text in texts or []:
        for part in text.split(","):
            kind, eq, value = part.partition("=")
            if not eq or not kind.strip() or not value.strip():
                raise InputError(
                    f'--quotient-factor: {part.strip()!r} is not kind=factor, e.g. "minority=1.35"'
                )
            key = kind.strip().lower()
            if key in out:
                raise InputError(f"--quotient-factor: kind {key!r} given twice")
            out[key] = as_factor(value.strip(), f"--quotient-factor {key}")
    return tuple(out.items())
