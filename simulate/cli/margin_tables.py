"""Terminal tables (rich) for margins: the closest calls, the quickest seat changes, and each
list's votes to gain, lose, pass or fail. ``seatsim margins`` prints them all; ``seatsim
run`` prints the closest calls under its report."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from simulate.cli.common import make_console
from simulate.cli.fit import print_fitted
from simulate.scenario.margin_districts import DistrictMargins
from simulate.scenario.margins import ListMargin, Margins

_STYLE: dict[str, Any] = {
    "title_justify": "left",
    "box": box.SIMPLE_HEAD,
    "caption_justify": "left",
}


def _n(value: int | None, tie: int | None = None, undone: bool = False) -> str:
    if value is None:
        return "–" if tie is None else f"(tie {tie:,})"
    text = f"{value:,}" + (f" (tie {tie:,})" if tie is not None else "")
    return text + (" *" if undone else "")


def _change(kind: str, before: tuple[str, ...], after: tuple[str, ...]) -> str:
    if kind == "seat":
        return ", ".join([f"{name} −1" for name in before] + [f"{name} +1" for name in after])
    if kind != "parliament":
        return f"{', '.join(before) or 'nobody'} → {', '.join(after) or 'nobody'}"
    out = [f"{name} out" for name in before if name not in after]
    return ", ".join(out + [f"{name} in" for name in after if name not in before])


_WORDS = {
    "majority": "majority",
    "two-thirds": "two thirds",
    "parliament": "parliament",
    "seat": "any seat",
}


def print_closest(console: Console, m: Margins | DistrictMargins) -> None:
    """The closest calls: the fewest ballots moved between two lists that change who holds a
    majority, two thirds, or the set of lists in parliament (in a districted election: in
    one district, and also any seat)."""
    districted = isinstance(m, DistrictMargins)
    title = "Closest calls: fewest ballots moved between two lists"
    closest = Table(title=title + (" in one district" if districted else ""), **_STYLE)
    columns = ("what changes", "ballots", *(("district",) if districted else ()), "from", "to")
    for col in (*columns, "change"):
        closest.add_column(col, justify="right" if col == "ballots" else "left")
    words = {k: w for k, w in _WORDS.items() if districted or k != "seat"}
    for c in m.closest:
        where = (c.district or "",) if districted else ()
        closest.add_row(
            words[c.kind],
            f"{c.ballots:,}",
            *where,
            c.source,
            c.target,
            _change(c.kind, c.before, c.after),
        )
    if len(m.closest) < len(words):
        missing = [words[k] for k in words if k not in {c.kind for c in m.closest}]
        closest.caption = f"no move between two lists changes: {', '.join(missing)}"
    print_fitted(console, closest)
    for c in m.closest:
        if c.national:
            console.print(
                f"{words[c.kind]}: with {c.ballots:,} ballots moved, {c.national} "
                "(the seats of every district follow)"
            )


def print_margins(m: Margins, top: int = 5) -> None:
    console = make_console()
    console.print(m.election.name)  # (a newline inside one string would print escaped)
    console.print(m.rules.describe())
    console.print()
    style = _STYLE
    print_closest(console, m)
    console.print()
    pairs = sorted((p for p in m.pairs if p.ballots is not None), key=lambda p: p.ballots or 0)
    moves = Table(title=f"The {top} moves of ballots that change a seat soonest", **style)
    for col in ("ballots", "from", "to", "seats change"):
        moves.add_column(col, justify="right" if col == "ballots" else "left")
    for p in pairs[:top]:
        moves.add_row(
            f"{p.ballots:,}",
            p.source,
            p.target,
            ", ".join(f"{name} {d:+d}" for name, d in p.changes),
        )
    print_fitted(console, moves)
    console.print()
    lists = Table(
        title="Per list, all other counts fixed: votes to …",
        caption="new or lost votes count in the threshold base too (not registered voters); "
        "(tie N): N votes make it a tie first; *: a larger count undoes it",
        **style,
    )
    for col in ("list", "votes", "seats", "gain a seat", "lose a seat", "pass", "fail"):
        lists.add_column(col, justify="left" if col == "list" else "right")
    for lm in m.lists:
        lists.add_row(
            lm.name,
            f"{lm.votes:,}",
            str(lm.seats),
            _n(lm.votes_to_gain_seat, lm.votes_to_tie_seat, lm.gain_undone),
            _n(lm.votes_to_lose_seat, lm.votes_to_tie_loss, lm.loss_undone),
            _n(lm.votes_to_pass_threshold),
            _n(lm.votes_to_fail_threshold),
        )
    print_fitted(console, lists)
    for note in m.notes:
        console.print(f"note: {note}")


def _gain_lose(lm: ListMargin) -> str:
    return f"{_n(lm.votes_to_gain_seat)} / {_n(lm.votes_to_lose_seat)}"


def print_district_margins(m: DistrictMargins) -> None:
    """A districted election's margins: each list's in total, then per district the votes
    to gain and to lose a seat there (list by list, in the lists' order)."""
    console = make_console()
    console.print(m.allocation.election.name)
    console.print(m.allocation.rules.describe())
    console.print()
    if m.pairs:
        print_closest(console, m)
        console.print()
    totals = Table(title="In total, all other counts fixed: votes to …", **_STYLE)
    for col in ("list", "votes", "seats", "gain a seat", "lose a seat", "pass", "fail"):
        totals.add_column(col, justify="left" if col == "list" else "right")
    for lm in m.totals:
        totals.add_row(
            lm.name,
            f"{lm.votes:,}",
            str(lm.seats),
            _n(lm.votes_to_gain_seat, lm.votes_to_tie_seat),
            _n(lm.votes_to_lose_seat, lm.votes_to_tie_loss),
            _n(lm.votes_to_pass_threshold),
            _n(lm.votes_to_fail_threshold),
        )
    print_fitted(console, totals)
    console.print()
    per = Table(title="Per district: votes there to gain / to lose a seat", **_STYLE)
    per.add_column("district")
    shown = [i for i, lm in enumerate(m.totals) if lm.seats or lm.votes_to_gain_seat]
    for i in shown:
        per.add_column(m.totals[i].name, justify="right")
    for name, lists in zip(m.allocation.districts, m.districts, strict=True):
        per.add_row(
            name,
            *(
                f"{_n(lists[i].votes_to_gain_seat)} / {_n(lists[i].votes_to_lose_seat)}"
                for i in shown
            ),
        )
    print_fitted(console, per)
    shown_moves = 5
    for d, n, what in m.national_moves[:shown_moves]:
        console.print(f"note: in {d}, {n}'s count moves the national result too: {what}")
    if len(m.national_moves) > shown_moves:
        more = len(m.national_moves) - shown_moves
        console.print(f"note: … and {more:,} more such counts (--json: national_moves)")
    for note in m.notes:
        console.print(f"note: {note}")
