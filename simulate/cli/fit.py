"""Tables that fit the terminal without losing a value.

A rich table narrower than its content crops or wraps its cells ("5,24…", a name broken over
two rows that reads as two lists). ``print_fitted`` prints a table whole when it fits; else
as two tables side by side in turn (the first column, the list, repeated in each); else
stacked: a row's first cell on a line of its own, then its values as ``header value`` pairs,
indented, wrapped at spaces between pairs. Every value is printed in every layout.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text


def _width(console: Console, table: Table) -> int:
    """The width ``table`` takes unconstrained (``console.measure`` clamps to the console)."""
    return Measurement.get(console, console.options.update_width(10_000), table).maximum


def _cells(table: Table) -> list[list[str | Text]]:
    columns = [list(c.cells) for c in table.columns]
    return [list(row) for row in zip(*columns)] if columns else []


def _subtable(table: Table, keep: list[int]) -> Table:
    """A table of the columns ``keep`` (indices), with ``table``'s style and rows."""
    out = Table(box=table.box, pad_edge=table.pad_edge, show_header=table.show_header)
    for i in keep:
        c = table.columns[i]
        out.add_column(c.header, justify=c.justify, no_wrap=True)
    for row in _cells(table):
        out.add_row(*[row[i] for i in keep])
    return out


def print_fitted(
    console: Console, table: Table | Group, wrap: tuple[int, ...] = (), key: int = 1
) -> None:
    """Print ``table`` (title and caption as wrapped lines around it) in the first layout
    that fits ``console.width``: whole, in two halves (its first ``key`` columns, which name
    a row, repeated in each), or stacked. Only the columns in ``wrap`` (indices; sentences,
    not numbers or names) may wrap inside their cells. A ``Group`` is printed part by part,
    its tables fitted."""
    if isinstance(table, Group):
        for part in table.renderables:
            if isinstance(part, Table):
                print_fitted(console, part, wrap, key)
            else:
                console.print(part)
        return
    n = len(table.columns)
    wrap = tuple(k % n for k in wrap)  # (-1: the last column)
    for k, c in enumerate(table.columns):
        c.no_wrap = k not in wrap
        if k not in wrap:  # a name or a number: whole, never cut to an ellipsis
            c.max_width = None
        if k in wrap:  # a sentence: it fits if it has 20 columns to wrap in
            c.min_width, c.max_width = 20, 20
    title, caption = table.title, table.caption
    table.title = table.caption = None
    if title:
        console.print(title)
    fits = _width(console, table) <= console.width
    for k in wrap:  # measured narrow; printed as wide as the room left
        table.columns[k].max_width = None
    if fits or n <= key + 1:
        console.print(table)
    else:
        names = list(range(key))
        half = key + (n - key + 1) // 2
        parts = [_subtable(table, [*names, *range(key, half)])]
        parts.append(_subtable(table, [*names, *range(half, n)]))
        if all(_width(console, p) <= console.width for p in parts):
            for part in parts:
                console.print(part)
        else:
            _stacked(console, table, key)
    if caption:
        console.print(caption)


def _stacked(console: Console, table: Table, key: int = 1) -> None:
    headers = [str(c.header) for c in table.columns]
    for row in _cells(table):
        console.print(Text(" ").join(c if isinstance(c, Text) else Text(str(c)) for c in row[:key]))
        pairs = Text()
        for k, (header, value) in enumerate(zip(headers[key:], row[key:])):
            if k:
                pairs.append(" · ")
            pairs.append(f"{header} ", style="dim")
            pairs.append(value if isinstance(value, Text) else Text(str(value)))
        console.print(Padding(pairs, (0, 0, 0, 4)))
