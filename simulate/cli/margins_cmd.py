"""``seatsim margins SEED|SCENARIO``: the exact votes that would have changed the seats."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from simulate.cli.common import (
    command,
    fail,
    naming,
    percent_option,
    threshold_option,
)
from simulate.cli.margin_tables import print_district_margins, print_margins
from simulate.election import Election, normalise_base
from simulate.filekeys import read_toml
from simulate.methods import get_method
from simulate.report.margins_dict import district_margins_dict, margins_dict
from simulate.rules import Rules
from simulate.scenario.file import Scenario
from simulate.scenario.margin_districts import district_margins
from simulate.scenario.margins import margins


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
    district_seats: Path | None = typer.Option(
        None, help="Seats per district (CSV: district,seats), for a table with districts."
    ),
    district_threshold: str | None = typer.Option(
        None, help='Share of a district\'s votes a list needs to take part there, e.g. "3%".'
    ),
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
        election, rules = Election.from_csv(source, district_seats), None
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
        "district_threshold": percent_option(district_threshold, "--district-threshold"),
    }
    if threshold is not None:  # one threshold, or one per kind, in place of the rules' own
        changes.update(threshold=threshold_option(threshold), kind_thresholds=())
    rules = rules.replace(**{k: v for k, v in changes.items() if v is not None})
    if election.districts:
        found = district_margins(election, rules)
        if as_json:
            data = district_margins_dict(found, str(source))
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            print_district_margins(found)
        return
    result = margins(election, rules)
    if as_json:
        typer.echo(json.dumps(margins_dict(result, str(source)), indent=2, ensure_ascii=False))
    else:
        print_margins(result)
