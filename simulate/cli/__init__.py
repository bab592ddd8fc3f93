"""The ``seatsim`` command line: the only place that prints, exits, seeds generators and saves.

Each command lives in its own module and registers itself on ``app`` (see ``common.command``).
Every domain error becomes one line on stderr and exit code 2, with no traceback.
"""

from __future__ import annotations

import sys

COMMANDS = (
    "allocate_cmd",
    "bench_cmd",
    "figures_cmd",
    "margins_cmd",
    "montecarlo_cmd",
    "scenario_cmd",
)
"""The modules whose commands register on ``app`` when imported."""


def _app():
    """The typer app with every command registered (imported here, not when this package is:
    ``main`` answers a Ctrl-C during these imports, the slow part of starting up)."""
    import importlib

    for name in COMMANDS:
        importlib.import_module(f"simulate.cli.{name}")
    from simulate.cli.common import app

    return app


def __getattr__(name: str):
    if name == "app":  # ``from simulate.cli import app``: the app with its commands
        return _app()
    raise AttributeError(f"module 'simulate.cli' has no attribute {name!r}")


def _interrupted() -> None:
    print("seatsim: interrupted", file=sys.stderr)
    sys.exit(130)


def main() -> None:
    """Console entry point. Usage mistakes (an unknown option, a value out of range, a
    missing argument) are one line on stderr and exit code 2, like every other error; a
    Ctrl-C, even while the modules load, is one line and exit code 130."""
    try:
        app = _app()
        import typer

        from simulate.cli.common import printable
    except KeyboardInterrupt:
        _interrupted()

    usage_error = typer.BadParameter.__mro__[1]  # click's UsageError, as typer ships it
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit raised inside
    except KeyboardInterrupt:
        _interrupted()
    except usage_error as exc:  # type: ignore[misc]  # click's class, found at run time
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `seatsim`: the help is the answer
            print(exc.format_message(), file=sys.stderr)
            sys.exit(2)
        command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "seatsim"
        message = printable(f"{command}: error: {exc.format_message()} (see --help)")
        print(message, file=sys.stderr)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:  # click's word for a Ctrl-C outside a command's own code
        _interrupted()
    sys.exit(code if isinstance(code, int) else 0)
