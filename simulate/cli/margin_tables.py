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
from simulate.scenario.margins import Margins

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
    if kind != "parliament":
        return f"{', '.join(before) or 'nobody'} → {', '.join(after) or 'nobody'}"
    out = [f"{name} out" for name in before if name not in after]
    return ", ".join(out + [f"{name} in" for name in after if name not in before])


def print_closest(console: Console, m: Margins) -> None:
    """The closest calls: the fewest ballots moved between two lists that change who holds a
    majority, two thirds, or the set of lists in parliament."""
    closest = Table(title="Closest calls: fewest ballots moved between two lists", **_STYLE)
    for col in ("what changes", "ballots", "from", "to", "change"):
        closest.add_column(col, justify="right" if col == "ballots" else "left")
    words = {"majority": "majority", "two-thirds": "two thirds", "parliament": "parliament"}
    for c in m.closest:
        closest.add_row(
            words[c.kind], f"{c.ballots:,}", c.source, c.target, _change(c.kind, c.before, c.after)
        )
    if len(m.closest) < len(words):
        missing = [words[k] for k in words if k not in {c.kind for c in m.closest}]
        closest.caption = f"no move between two lists changes: {', '.join(missing)}"
    print_fitted(console, closest)


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
