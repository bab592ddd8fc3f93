"""``seatsim margins SEED|SCENARIO``: the exact votes that would have changed the seats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from simulate.cli.allocate_cmd import threshold_option
from simulate.cli.common import command, fail, make_console, naming, percent_option
from simulate.cli.fit import print_fitted
from simulate.election import Election, normalise_base
from simulate.filekeys import read_toml
from simulate.methods import get_method
from simulate.report.margins_dict import margins_dict
from simulate.rules import Rules
from simulate.scenario.file import Scenario
from simulate.scenario.margins import Margins, margins


@command("margins")
def margins_command(
    source: Path = typer.Argument(  # noqa: B008
        ..., help="Seed file, results table (CSV), or scenario file (its [rules])."
    ),
    seats: int | None = typer.Option(None, min=1, help="House size; default: the seed's seats."),
    method: str | None = typer.Option(None, help="Allocation method (seed default: hare)."),
    threshold: str | None = typer.Option(
        None, help='Legal threshold, e.g. "7%", or one per kind: "party=5%,coalition=8%".'
    ),
    threshold_base: str | None = typer.Option(
        None, help="Base of the threshold: party-votes, participants, valid, registered."
    ),
    strict: bool = typer.Option(False, "--strict", help="A list must exceed the threshold (>)."),
    regional_threshold: str | None = typer.Option(
        None, help='Threshold to reach in every region, e.g. "0.7%" (held as it stands).'
    ),
    regional_threshold_base: str | None = typer.Option(
        None, help="Base of the regional threshold (default: the --threshold-base)."
    ),
    max_seats: int | None = typer.Option(None, min=1, help="Most seats one list may hold."),
    min_seats: int | None = typer.Option(None, min=0, help="Fewest seats a passing list gets."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
):
    """Per list, the fewest votes that win, tie or lose a seat and pass or fail the threshold;
    per pair of lists, the fewest ballots moved that change a seat; and the closest calls.
    For a scenario the options given override its [rules]."""
    if method is not None:
        with naming("--method"):
            get_method(method)
    if threshold_base is not None:
        with naming("--threshold-base"):
            normalise_base(threshold_base)
    if source.suffix.lower() == ".csv":
        election, rules = Election.from_csv(source), None
    else:
        raw = read_toml(source, "seed or scenario")
        if "election" in raw or "rules" in raw:
            scenario = Scenario.load(source)
            election, rules = scenario.election, scenario.rules
        else:
            election, rules = Election.load(source), None
    if rules is None:
        house = seats if seats is not None else election.seats
        if house is None:
            fail(f"{source}: seats: it gives no house size; pass --seats")
            return
        rules = Rules(seats=house)
    changes: dict = {
        "seats": seats,
        "method": method,
        "threshold_base": threshold_base,
        "threshold_comparison": ">" if strict else None,
        "regional_threshold": percent_option(regional_threshold, "--regional-threshold"),
        "regional_threshold_base": regional_threshold_base,
        "max_seats": max_seats,
        "min_seats": min_seats,
    }
    if threshold is not None:  # one threshold, or one per kind, in place of the rules' own
        changes.update(threshold=threshold_option(threshold), kind_thresholds=())
    rules = rules.replace(**{k: v for k, v in changes.items() if v is not None})
    result = margins(election, rules)
    if as_json:
        typer.echo(json.dumps(margins_dict(result, str(source)), indent=2, ensure_ascii=False))
    else:
        print_margins(result)


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


def print_margins(m: Margins, top: int = 5) -> None:
    from rich import box
    from rich.table import Table

    console = make_console()
    console.print(m.election.name)  # (a newline inside one string would print escaped)
    console.print(m.rules.describe())
    console.print()
    style: dict[str, Any] = {
        "title_justify": "left",
        "box": box.SIMPLE_HEAD,
        "caption_justify": "left",
    }
    closest = Table(title="Closest calls: fewest ballots moved between two lists", **style)
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
        console.print(f"Note: {note}")
