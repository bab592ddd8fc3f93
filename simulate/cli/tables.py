"""Terminal tables (rich) for the results the commands print."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import SupportsFloat, TypedDict

from rich import box
from rich.box import Box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from simulate.allocation import Allocation
from simulate.cli.common import make_console, plain_text
from simulate.cli.fit import print_fitted
from simulate.cli.margin_tables import print_closest
from simulate.eligibility import why_not
from simulate.scenario.compare import Comparison, Outcome
from simulate.scenario.measures import Measures
from simulate.scenario.result import ScenarioRun
from simulate.scenario.sweep import Interval, Sweep
from simulate.threshold import format_percent
from simulate.wording import percent_text, plural


def _int(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


# ---------------------------------------------------------------------------------------------
# one allocation (seatsim allocate, and the first part of seatsim run), compare, sweep (kept
# narrow: readable at 100 columns)


class _TableStyle(TypedDict):
    box: Box
    collapse_padding: bool
    pad_edge: bool


_STYLE: _TableStyle = {"box": box.SIMPLE_HEAD, "collapse_padding": True, "pad_edge": False}


def _base_name(name: str) -> str:
    return name.replace("-", " ")


def _moved(n: int | float | None) -> str:
    return "" if n is None else f"{n:g}"


def _bound(x: SupportsFloat, decimals: int) -> str:
    return f"{100 * float(x):.{decimals}f}"


def decimals_apart(values: Iterable[Fraction], least: int = 2, most: int = 8) -> int:
    """The fewest decimals (at least ``least``) at which every distinct value, shown in
    percent, reads differently from every other: one count for a whole column or table."""
    distinct = sorted(set(values))
    for decimals in range(least, most):
        shown = [_bound(v, decimals) for v in distinct]
        if len(set(shown)) == len(shown):
            return decimals
    return most


def share_decimals(result: Allocation) -> int:
    """Decimals for the share column: enough that no list's share reads as the threshold
    itself (6,999 of 100,000 must not show as 7.00% beside a 7% threshold)."""
    t = result.rules.threshold
    if not t:
        return 2
    for decimals in range(2, 8):
        if all(
            r.share == t or _bound(r.share, decimals) != _bound(t, decimals) for r in result.lists
        ):
            return decimals
    return 8


def allocation_table(
    result: Allocation,
    title: str | None = None,
    label: str | None = None,
    decimals: int | None = None,
) -> Group:
    """Every list: votes, share of the threshold base, seats, official seats, and whether it
    passed the threshold or by how much it fell short; the title above and the rules below,
    as lines of the console's width (a table's own title wraps at the table's width)."""
    rules = result.rules
    caption = rules.describe() if label is None else f"{label}: {rules.describe()}"
    decimals = share_decimals(result) if decimals is None else decimals
    table = Table(**_STYLE)
    table.add_column("list", no_wrap=True, overflow="ellipsis", max_width=30)
    table.add_column("votes", justify="right")
    table.add_column("share", justify="right")
    table.add_column("seats", justify="right")
    has_official = any(r.official_seats is not None for r in result.lists)
    if has_official:
        table.add_column("official", justify="right")
    national = rules.threshold or rules.kind_thresholds or rules.regional_threshold
    judged = bool(national) or not all(r.passed for r in result.lists)
    if judged:  # (no national threshold: every list "passed" would say nothing)
        table.add_column("threshold")
    exempt = {p.name for p in result.election.parties if p.exempt}
    for r in result.lists:
        status = "passed" if r.passed else (why_not(r.shortfalls, r.share) or "; ".join(r.reasons))
        if r.passed and r.name in exempt:
            status = "exempt"
        row: list[str | Text] = [
            r.name,
            _int(r.votes),
            percent_text(r.share, decimals),
            str(r.seats),
        ]
        if has_official:
            row.append(_int(r.official_seats))
        if judged:
            row.append(plain_text(status, style="" if r.passed else "dim"))
        table.add_row(*row)
    return Group(
        plain_text(title or result.election.name, style="table.title"),
        table,
        plain_text(caption, style="table.caption"),
    )


def allocation_lines(result: Allocation) -> list[str]:
    """Below the table: the votes the threshold asks for, the seats filled, a tie, notes."""
    base = f"{result.base:,} {_base_name(result.rules.threshold_base)}"
    need = (
        f"{plural(result.threshold_votes, 'vote')} of {base}"
        if result.rules.threshold
        else f"per kind of list, at least {plural(result.threshold_votes, 'vote')} of {base}"
        if result.rules.kind_thresholds
        else f"none (base: {base})"
    )
    lines = [f"threshold: {need}; seats filled: {int(result.seats.sum())} of {result.rules.seats}"]
    if result.tie is not None:
        lines.append(result.tie.describe())
    return lines + [f"note: {n}" for n in result.notes]


def print_allocation(
    result: Allocation, title: str | None = None, out: Console | None = None
) -> None:
    """One allocation as ``seatsim run`` shows it: the table and the lines below it."""
    out = out or make_console()
    print_fitted(out, allocation_table(result, title), wrap=(-1,))  # the reason may wrap
    for line in allocation_lines(result):
        out.print(line)


def scenario_table(run: ScenarioRun, decimals: int | None = None) -> Group:
    """The scenario's own allocation, titled and labelled as the scenario says."""
    return allocation_table(run.allocation, run.scenario.title, run.scenario.label, decimals)


def measures_lines(m: Measures, changed_from_official: int | float | None = None) -> list[str]:
    lines = [
        f"Gallagher {m.gallagher:.2f} · Loosemore–Hanby {m.loosemore_hanby:.2f} · "
        f"effective parties {m.enp_votes:.2f} by votes, {m.enp_seats:.2f} by seats",
        f"wasted: {m.wasted_votes:,} of {m.wasted_base_votes:,} {_base_name(m.wasted_base)} "
        f"({100 * m.wasted_share:.2f}%) elected nobody",
        f"majority (more than half): {m.majority or 'no single list'} · "
        f"two thirds: {m.two_thirds or 'no single list'}",
    ]
    if changed_from_official is not None:
        lines.append(f"seats changing hands against the official seats: {changed_from_official:g}")
    return lines


def _word_width(text: str) -> int:
    return max((len(w) for w in str(text).split()), default=0)


def comparison_table(
    c: Comparison, title: str | None = None, outcomes: Iterable[Outcome] | None = None
) -> Table:
    """Lists (those with a seat under some rule set) down, rule sets across (by default all
    of ``c.outcomes``; pass a subset to split a wide comparison)."""
    outcomes = c.outcomes if outcomes is None else tuple(outcomes)

    def each(fn: Callable[..., str]) -> list[str]:  # fn(outcome): one that allocates
        return ["—" if o.allocation is None else fn(o) for o in outcomes]

    shown = [
        i
        for i in range(len(c.election.parties))
        if any(o.seats is not None and o.seats[i] for o in outcomes)
    ]
    body = [[c.election.names[i], *each(lambda o, i=i: str(int(o.seats[i])))] for i in shown]
    foot = [
        ["seats moved", *each(lambda o: _moved(o.changed_from_baseline))],
        ["lists seated", *each(lambda o: str(int((o.seats > 0).sum())))],
        ["Gallagher", *each(lambda o: f"{o.measures.gallagher:.1f}")],
        ["wasted %", *each(lambda o: f"{100 * o.measures.wasted_share:.1f}")],
        ["majority", *each(lambda o: o.measures.majority or "none")],
    ]
    table = Table(title=title or "alternative rule sets", title_justify="left", **_STYLE)
    names = min(24, max(len(row[0]) for row in body + foot))
    table.add_column("list", width=names, no_wrap=True, overflow="ellipsis")
    for k, o in enumerate(outcomes, start=1):
        # wide enough for every cell and every word of the label: labels wrap between words
        width = max(_word_width(o.label), *(len(row[k]) for row in body + foot))
        table.add_column(o.label, justify="right", width=width)
    for row in body:
        table.add_row(*row)
    table.add_section()
    for row in foot:
        table.add_row(*row)
    return table


def _table_width(table: Table) -> int:
    """Characters a table of fixed-width columns takes: columns, 2-space gaps, 2 edges."""
    return sum(col.width or 0 for col in table.columns) + 2 * (len(table.columns) - 1) + 2


def comparison_tables(c: Comparison, width: int, title: str | None = None) -> list[Table]:
    """The comparison in as many tables as it takes to fit ``width`` columns, each repeating
    the baseline, so no rule set is squeezed out of a narrow terminal."""
    rest = list(c.alternatives)
    tables: list[Table] = []
    while True:
        group = [c.baseline]
        while rest:
            trial = comparison_table(c, title, group + rest[:1])
            if len(group) > 1 and _table_width(trial) > width:
                break
            group.append(rest.pop(0))
        more = f"{title or 'alternative rule sets'} (continued)"
        tables.append(comparison_table(c, title if not tables else more, group))
        if not rest:
            return tables


def comparison_legend(c: Comparison) -> list[str]:
    lines = [
        "seats moved: seats changing hands against the first column (½ Σ |s − s'|); "
        "wasted %: share of each rule set's threshold base that elected nobody"
    ]
    for o in c.alternatives:
        what = ", ".join(f"{k} = {v}" for k, v in o.changes.items())
        lines.append(f"{o.label}: {what}" + (f" — {o.problem}" if o.problem else ""))
    return lines


def sweep_decimals(s: Sweep) -> int:
    """One count of decimals for a whole sweep table: enough to tell every breakpoint and
    both ends of the range apart, so that no two rows seem to overlap."""
    return decimals_apart([s.low, s.high, *s.breakpoints])


def sweep_range_text(s: Sweep) -> str:
    """'0% to 15.89%': each end exactly when it needs no more decimals than the table shows
    (``sweep_decimals``), else rounded to them (not '15.892644%')."""
    d = sweep_decimals(s)

    def end(x: Fraction) -> str:
        exact = format_percent(x)
        return exact if len(exact[:-1].partition(".")[2]) <= d else f"{_bound(x, d)}%"

    return f"{end(s.low)} to {end(s.high)}"


def interval_text(iv: Interval, decimals: int = 2) -> str:
    """'(6.85, 7.13]' in percent with ``decimals`` decimals (``sweep_decimals``)."""
    if iv.low == iv.high:
        return f"[{_bound(iv.low, decimals)}]"
    left = "[" if iv.low_included else "("
    right = "]" if iv.high_included else ")"
    return f"{left}{_bound(iv.low, decimals)}, {_bound(iv.high, decimals)}{right}"


def sweep_table(s: Sweep, title: str | None = None, decimals: int | None = None) -> Table:
    """One row per threshold interval: lists passing, seats, wasted share, seats moved; the
    bounds all with the same decimals (default ``sweep_decimals``)."""
    decimals = sweep_decimals(s) if decimals is None else decimals
    table = Table(
        title=title or "threshold sweep",
        title_justify="left",
        **_STYLE,
        caption=f"threshold in % of {_base_name(s.rules.threshold_base)} "
        f"({s.base:,}); a list at a boundary "
        f"{'passes' if not s.rules.strict else 'fails'}; moved = seats "
        "changing hands against the row above / the baseline",
        caption_justify="left",
    )
    table.add_column("threshold %", no_wrap=True)
    table.add_column("lists", justify="right")
    table.add_column("seats")
    table.add_column("wasted", justify="right")
    table.add_column("moved", justify="right", no_wrap=True)
    for iv in s.intervals:
        a = iv.allocation
        seats: str | Text
        if a is None:
            seats = plain_text(iv.problem or "", style="dim")
        else:
            seats = ", ".join(f"{r.name} {r.seats}" for r in a.lists if r.passed and r.seats)
            if iv.measures and iv.measures.majority:
                seats += f" (majority: {iv.measures.majority})"
        table.add_row(
            interval_text(iv, decimals),
            str(len(iv.passed)),
            seats,
            "" if iv.measures is None else f"{100 * iv.measures.wasted_share:.1f}%",
            f"{_moved(iv.changed_from_previous) or '·'} / "
            f"{_moved(iv.changed_from_baseline) or '·'}",
        )
    return table


def print_run(run: ScenarioRun, out: Console | None = None) -> None:
    out = out or make_console()
    result = run.allocation
    # the share column and the sweep show the same fractions (shares of the threshold base):
    # one count of decimals for both
    decimals = share_decimals(result)
    if run.sweep is not None:
        decimals = max(decimals, sweep_decimals(run.sweep))
    print_fitted(out, scenario_table(run, decimals), wrap=(-1,))  # the reason may wrap
    for line in allocation_lines(result) + measures_lines(run.measures, run.changed_from_official):
        out.print(line)
    if run.margins is not None:
        out.print()
        print_closest(out, run.margins)
        out.print("  (every list's and every pair's margins: seatsim margins)")
    elif run.margins_problem:
        out.print(plain_text(f"margins: not computed ({run.margins_problem})", "dim"))
    if run.comparison.alternatives:
        out.print()
        print_comparison(run.comparison, out=out)
    if run.sweep is not None:
        out.print()
        out.print(sweep_table(run.sweep, decimals=decimals))
    if run.scenario.notes.strip():
        out.print()
        out.print(plain_text("about this scenario: " + " ".join(run.scenario.notes.split()), "dim"))


def print_comparison(c: Comparison, title: str | None = None, out: Console | None = None) -> None:
    out = out or make_console()
    for table in comparison_tables(c, out.width, title):
        out.print(table)
    for line in comparison_legend(c):
        out.print(line)


def print_sweep(s: Sweep, title: str | None = None, out: Console | None = None) -> None:
    (out or make_console()).print(sweep_table(s, title))
