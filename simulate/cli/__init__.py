"""The ``seatsim`` command line: the only place that prints, exits, seeds generators and saves.

Each command lives in its own module and registers itself on ``app`` (see ``common.command``).
Every domain error becomes one line on stderr and exit code 2, with no traceback.
"""

from __future__ import annotations

from simulate.cli import (  # noqa: E402,F401  (commands register on import)
    allocate_cmd,
    bench_cmd,
    figures_cmd,
    margins_cmd,
    montecarlo_cmd,
    scenario_cmd,
)
from simulate.cli.common import app


def main() -> None:
    """Console entry point. Usage mistakes (an unknown option, a value out of range, a
    missing argument) are one line on stderr and exit code 2, like every other error."""
    import sys

    import typer

    usage_error = typer.BadParameter.__mro__[1]  # click's UsageError, as typer ships it
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit raised inside
    except usage_error as exc:  # type: ignore[misc]  # click's class, found at run time
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `seatsim`: the help is the answer
            print(exc.format_message(), file=sys.stderr)
            sys.exit(2)
        command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "seatsim"
        print(f"{command}: error: {exc.format_message()} (see --help)", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("seatsim: aborted", file=sys.stderr)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
