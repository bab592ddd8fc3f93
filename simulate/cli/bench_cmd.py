"""``seatsim bench``: allocations per second against a plain per-draw reference."""

from __future__ import annotations

import typer

from ..bench import run_bench
from ..threshold import format_percent
from .common import command
from .tables import console


@command("bench")
def bench_command(
    draws: int = typer.Option(1_000_000, min=1000, help="Draws per case."),
    seed: int = typer.Option(0, help="Seed of the benchmark's vote draws."),
    reference_seconds: float = typer.Option(
        1.0, help="Seconds to spend timing the per-draw reference in each case."),
):
    """Allocations per second for Hare and d'Hondt, next to a plain per-draw Python reference
    timed in the same run (exact integers, one draw at a time), and the ratio."""
    from rich.table import Table

    err = typer.echo
    rows = run_bench(draws=draws, seed=seed, reference_seconds=reference_seconds,
                     progress=lambda what: err(f"timing {what} …", err=True))
    table = Table(title=f"seatsim bench: {draws:,} draws per case (one core)",
                  title_justify="left", caption_justify="left",
                  caption="allocate_batch: threshold + layout + engine on an (N, P) array; "
                          "engine: party-major chunks only; reference: per draw in exact "
                          "Python integers, timed on a slice; agree: same seats and tie flags "
                          "on that slice")
    for col in ("method", "lists", "seats", "threshold", "allocate_batch /s", "engine /s",
                "reference /s", "ratio", "agree"):
        table.add_column(col, justify="left" if col in ("method", "agree") else "right")
    for r in rows:
        table.add_row(r.method, str(r.lists), str(r.seats), format_percent(r.threshold),
                      f"{r.batch_per_s:,.0f}", f"{r.engine_per_s:,.0f}",
                      f"{r.reference_per_s:,.0f}", f"{r.ratio:,.0f}×",
                      "yes" if r.agree else "NO")
    console.print(table)
    if not all(r.agree for r in rows):
        raise typer.Exit(1)
