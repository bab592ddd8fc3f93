"""The ``seatsim`` command line: the only place that prints, exits, seeds generators and saves.

Each command lives in its own module and registers itself on ``app`` (see ``common.command``).
Every domain error becomes one line on stderr and exit code 2, with no traceback.
"""

from __future__ import annotations

from .common import app

from . import (  # noqa: E402,F401  (commands register on import)
    allocate_cmd, bench_cmd, figures_cmd, montecarlo_cmd, scenario_cmd,
)


def main() -> None:
    """Console entry point."""
    app()
