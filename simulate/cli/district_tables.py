"""Terminal output for a districted allocation: the totals, then a district-by-list table."""

from __future__ import annotations

import csv
import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulate.cli.common import make_console
from simulate.cli.tables import print_allocation
from simulate.districts import DistrictAllocation

LONG_COLUMNS = ("district", "list", "votes", "seats", "official_seats", "took_part", "why_not")


def district_table(result: DistrictAllocation) -> Table:
    """Rows: districts; columns: the lists that won a seat somewhere; '·' where a list did not
    stand, '-' where it stood but took no part (a threshold)."""
    won = [i for i, s in enumerate(result.totals) if s > 0]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, title_justify="left")
    table.add_column("district", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("seats", justify="right")
    for i in won:
        table.add_column(result.names[i], justify="right", overflow="fold")
    for j, name in enumerate(result.districts):
        cells = []
        for i in won:
            if not result.stood[j, i]:
                cells.append(Text("·", style="dim"))
            elif not result.took_part[j, i]:
                cells.append(Text("-", style="dim"))
            else:
                cells.append(str(int(result.seats[j, i])))
        table.add_row(name, str(int(result.seats[j].sum())), *cells)
    table.add_row(
        Text("total", style="bold"),
        str(int(result.seats.sum())),
        *(str(int(result.totals[i])) for i in won),
    )
    return table


def print_districts(result: DistrictAllocation, out: Console | None = None) -> None:
    out = out or make_console()
    print_allocation(result.national, out=out)
    out.print()
    out.print(Text(f"seats by district ({len(result.districts)} districts)", style="table.title"))
    out.print(district_table(result))
    out.print(Text("· did not stand   - stood, took no part (threshold)", style="dim"))


def districts_csv(result: DistrictAllocation) -> str:
    """districts.csv: one row per district and list that stood there."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for row in result.long_rows():
        writer.writerow(["" if row[c] is None else row[c] for c in LONG_COLUMNS])
    return buffer.getvalue()
