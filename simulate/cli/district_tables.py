"""Terminal output for a districted allocation: the totals, then a district-by-list table."""

from __future__ import annotations

import csv
import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulate.cli.common import make_console
from simulate.cli.fit import print_fitted
from simulate.cli.tables import print_allocation
from simulate.districts import DistrictAllocation

LONG_COLUMNS = ("district", "list", "votes", "seats", "official_seats", "took_part", "why_not")


LABEL_WIDTH = 8
"""Lists head the columns by name (or short name) up to this many characters; longer ones
by number, with a legend below the table."""


def column_labels(result: DistrictAllocation, lists: list[int]) -> tuple[list[str], str]:
    """The columns' headings and, when they are numbers, the legend that names them."""
    parties = result.election.parties
    labels = [parties[i].short or parties[i].name for i in lists]
    if all(len(label) <= LABEL_WIDTH for label in labels):
        return labels, ""
    legend = ", ".join(f"{k} {parties[i].name}" for k, i in enumerate(lists, 1))
    return [str(k) for k in range(1, len(lists) + 1)], f"lists: {legend}"


def district_table(result: DistrictAllocation) -> tuple[Table, str]:
    """Rows: districts; columns: the lists that won a seat somewhere; '·' where a list did not
    stand, '-' where it stood but took no part (a threshold). With the legend of the columns
    when they are numbered."""
    won = [i for i, s in enumerate(result.totals) if s > 0]
    labels, legend = column_labels(result, won)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, title_justify="left")
    table.add_column("district", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("seats", justify="right", no_wrap=True)
    for label in labels:
        table.add_column(label, justify="right", no_wrap=True)
    for j, name in enumerate(result.districts):
        cells = []
        for i in won:
            if not result.stood[j, i]:
                cells.append(Text("·", style="dim"))
            elif not result.took_part[j, i]:
                cells.append(Text("-", style="dim"))
            else:
                cells.append(Text(str(int(result.seats[j, i]))))
        table.add_row(name, str(int(result.seats[j].sum())), *cells)
    table.add_row(
        Text("total", style="bold"),
        str(int(result.seats.sum())),
        *(str(int(result.totals[i])) for i in won),
    )
    return table, legend


def print_districts(result: DistrictAllocation, out: Console | None = None) -> None:
    out = out or make_console()
    print_allocation(result.national, out=out)
    out.print()
    out.print(Text(f"seats by district ({len(result.districts)} districts)", style="table.title"))
    table, legend = district_table(result)
    print_fitted(out, table)
    if legend:
        out.print(legend)
    out.print(Text("· did not stand   - stood, took no part (threshold)", style="dim"))


def districts_csv(result: DistrictAllocation) -> str:
    """districts.csv: one row per district and list that stood there."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for row in result.long_rows():
        writer.writerow(["" if row[c] is None else row[c] for c in LONG_COLUMNS])
    return buffer.getvalue()
