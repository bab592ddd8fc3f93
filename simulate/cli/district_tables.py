"""Terminal output for a districted allocation: the totals, then a district-by-list table;
and for a scenario run on districts, each district's metrics and the seats changing hands
there under the other rule sets."""

from __future__ import annotations

import csv
import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from simulate.cli.common import make_console, plain_text
from simulate.cli.fit import print_fitted
from simulate.cli.tables import print_allocation
from simulate.districts import DistrictAllocation
from simulate.scenario.compare import Comparison
from simulate.scenario.result import ScenarioRun

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
    print_district_seats(result, out)


def print_district_seats(
    result: DistrictAllocation, out: Console, heading: str = "seats by district"
) -> None:
    """The district-by-list table, titled, with its legend."""
    out.print(Text(f"{heading} ({len(result.districts)} districts)", style="table.title"))
    table, legend = district_table(result)
    print_fitted(out, table)
    if legend:
        out.print(legend)
    out.print(Text("· did not stand   - stood, took no part (threshold)", style="dim"))


def district_changes_table(c: Comparison) -> Table | None:
    """Districts down; the seats changing hands in each under every other rule set allocated
    by district (against the baseline), and in total. None when there is no such rule set."""
    others = [o for o in c.alternatives if not o.national]
    base = c.baseline.districts
    if base is None or not others:
        return None
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("district", no_wrap=True, overflow="ellipsis", max_width=24)
    for o in others:
        table.add_column(o.label, justify="right")
    for j, name in enumerate(base.districts):
        table.add_row(
            name,
            *("—" if o.district_changes is None else f"{o.district_changes[j]:g}" for o in others),
        )
    table.add_row(
        Text("all districts", style="bold"),
        *("—" if o.district_changes is None else f"{sum(o.district_changes):g}" for o in others),
    )
    return table


def district_metrics_table(run: ScenarioRun) -> Table:
    """Districts down: seats, votes for lists, Gallagher, Loosemore–Hanby and the share of
    the votes electing nobody there, under the baseline."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("district", no_wrap=True, overflow="ellipsis", max_width=24)
    for head in ("seats", "votes", "Gallagher", "L–H", "wasted %", "lists seated"):
        table.add_column(head, justify="right", no_wrap=True)
    assert run.districts is not None
    for j, m in enumerate(run.district_measures):
        table.add_row(
            m.district,
            str(m.seats),
            f"{m.votes:,}",
            f"{m.gallagher:.2f}",
            f"{m.loosemore_hanby:.2f}",
            f"{100 * m.wasted_share:.1f}",
            str(int((run.districts.seats[j] > 0).sum())),
        )
    return table


def closest_lines(run: ScenarioRun, shown: int = 3) -> list[str]:
    """The closest seats by district: the fewest votes for a list (all other counts fixed)
    that would win it one more seat in a district, and the fewest it could lose before it
    lost one, ``shown`` of each, smallest first."""
    m = run.district_margins
    if m is None:
        return []
    gains, losses = [], []
    for name, lists in zip(m.allocation.districts, m.districts, strict=True):
        for lm in lists:
            if lm.votes_to_gain_seat is not None:
                gains.append((lm.votes_to_gain_seat, lm.name, name))
            if lm.votes_to_lose_seat is not None:
                losses.append((lm.votes_to_lose_seat, lm.name, name))
    lines = []
    for what, found in (("win one more seat", gains), ("lose a seat", losses)):
        closest = sorted(found)[:shown]
        if closest:
            each = "; ".join(f"{n} {v:,} in {d}" for v, n, d in closest)
            verb = "more" if what.startswith("win") else "fewer"
            lines.append(f"closest by district, {verb} votes to {what}: {each}")
    return lines


def print_run_districts(run: ScenarioRun, out: Console | None = None) -> None:
    """What a districted run adds to ``print_run``: seats by district, each district's
    metrics, and the seats changing hands in each district under the other rule sets."""
    if run.districts is None:
        return
    out = out or make_console()
    lines = closest_lines(run)
    if lines:
        out.print()
        for line in lines:
            out.print(plain_text(line))
        out.print("  (every list's margins in every district: seatsim margins)")
    out.print()
    print_district_seats(run.districts, out, f"{run.scenario.label}: seats by district")
    out.print()
    out.print(Text(f"{run.scenario.label}: metrics by district", style="table.title"))
    print_fitted(out, district_metrics_table(run))
    out.print(
        Text(
            "Gallagher, L–H (Loosemore–Hanby): percentage points, on each district's votes for "
            "lists; wasted %: its votes for lists that won no seat there",
            style="dim",
        )
    )
    changes = district_changes_table(run.comparison)
    if changes is not None:
        out.print()
        out.print(
            Text(
                f"seats changing hands by district, against {run.scenario.label}",
                style="table.title",
            )
        )
        print_fitted(out, changes)
        out.print(
            Text(
                "½ Σ |s − s'| in each district; all districts can exceed the seats moved in "
                "the totals (a list's gain in one district and loss in another cancel there)",
                style="dim",
            )
        )
        national = [o.label for o in run.comparison.alternatives if o.national]
        if national:
            out.print(
                Text(
                    f"(not shown: {', '.join(national)}, in one national constituency)",
                    style="dim",
                )
            )


def districts_csv(result: DistrictAllocation) -> str:
    """districts.csv: one row per district and list that stood there."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for row in result.long_rows():
        writer.writerow(["" if row[c] is None else row[c] for c in LONG_COLUMNS])
    return buffer.getvalue()
