"""Terminal tables (rich) for the results the commands print."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..rules import Allocation

console = Console(highlight=False)


def _int(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


def allocation_table(result: Allocation, title: str | None = None) -> Table:
    rules = result.rules
    table = Table(title=title or result.election.name, caption=rules.describe(),
                  title_justify="left", caption_justify="left")
    table.add_column("list")
    table.add_column("votes", justify="right")
    table.add_column(f"% of {rules.threshold_base.replace('-', ' ')}", justify="right")
    table.add_column("passed", justify="center")
    table.add_column("seats", justify="right")
    has_official = any(r.official_seats is not None for r in result.lists)
    if has_official:
        table.add_column("official", justify="right")
    table.add_column("why not")
    for r in result.lists:
        row = [r.name, _int(r.votes), f"{100 * float(r.share):.2f}",
               "yes" if r.passed else "no", str(r.seats)]
        if has_official:
            row.append(_int(r.official_seats))
        row.append("; ".join(r.reasons))
        table.add_row(*row)
    return table


def print_allocation(result: Allocation, title: str | None = None) -> None:
    console.print(allocation_table(result, title))
    console.print(f"threshold: {result.threshold_votes:,} votes of {result.base:,} "
                  f"({result.rules.threshold_base.replace('-', ' ')}); "
                  f"seats filled: {int(result.seats.sum())} of {result.rules.seats}")
    if result.tie is not None:
        console.print(result.tie.describe())
    for note in result.notes:
        console.print(f"note: {note}")
