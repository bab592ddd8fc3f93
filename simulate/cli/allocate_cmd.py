"""``seatsim allocate SEED``: one election under rules given as options."""

from __future__ import annotations

import json
import secrets
from fractions import Fraction
from pathlib import Path

import typer

from simulate.allocation import allocate, shortfalls
from simulate.cli.common import command, fail, make_rng, naming, percent_option
from simulate.cli.tables import print_allocation
from simulate.election import Election, normalise_base
from simulate.errors import TieError
from simulate.methods import get_method
from simulate.report.json_dicts import SCHEMA, allocation_dict
from simulate.rules import TIE_POLICIES, Rules


@command("allocate")
def allocate_command(
    seed: Path = typer.Argument(..., help="Seed file (TOML) with the election's results."),
    seats: int | None = typer.Option(None, min=1, help="House size; default: the seed's seats."),
    method: str = typer.Option("hare", help="Allocation method or alias (hare, dhondt, …)."),
    threshold: str | None = typer.Option(None, help='Legal threshold as a percentage, e.g. "7%".'),
    threshold_base: str = typer.Option(
        "party-votes", help="Base of the threshold: party-votes, participants, valid, registered."
    ),
    strict: bool = typer.Option(False, "--strict", help="A list must exceed the threshold (>)."),
    regional_threshold: str | None = typer.Option(
        None, help='Threshold to reach in every region of the seed, e.g. "0.7%".'
    ),
    regional_threshold_base: str | None = typer.Option(
        None,
        help="Base of the regional threshold, region by region (default: the --threshold-base).",
    ),
    max_seats: int | None = typer.Option(None, min=1, help="Most seats one list may hold."),
    min_seats: int | None = typer.Option(None, min=0, help="Fewest seats a passing list gets."),
    ties: str = typer.Option("error", help="Tie policy: error or lot."),
    seed_lot: int | None = typer.Option(
        None,
        "--lot-seed",
        help=(
            "Seed for drawing lots under --ties lot (default: a fresh one, printed so the run "
            "can be repeated)."
        ),
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
):
    """Allocate the seats of one election (a seed file) under the rules given as options."""
    with naming("--method"):
        get_method(method)
    with naming("--threshold-base"):
        normalise_base(threshold_base)
    if regional_threshold_base is not None:
        with naming("--regional-threshold-base"):
            normalise_base(regional_threshold_base)
    if ties not in TIE_POLICIES:
        fail(f"--ties: {ties!r} is not one of {', '.join(TIE_POLICIES)}")
    made_up = ties == "lot" and seed_lot is None
    if made_up:  # as montecarlo does with --seed: said once the run is done, to repeat it
        seed_lot = secrets.randbelow(10**9)  # short enough to read and retype
    rng = make_rng(seed_lot)
    election = Election.load(seed)
    house = seats if seats is not None else election.seats
    if house is None:
        fail(f"{seed}: seats: the seed gives no house size; pass --seats")
    rules = Rules(
        seats=house,
        method=method,
        threshold=percent_option(threshold, "--threshold") or Fraction(0),
        threshold_base=threshold_base,
        threshold_comparison=">" if strict else ">=",
        regional_threshold=percent_option(regional_threshold, "--regional-threshold"),
        regional_threshold_base=regional_threshold_base,
        max_seats=max_seats,
        min_seats=min_seats,
        ties=ties,
    )
    try:
        result = allocate(election, rules, rng=rng)
    except TieError as exc:  # the option, not the file key, on the command line
        fail(str(exc).replace('set ties = "lot"', "pass --ties lot --lot-seed N"))
    if made_up:
        typer.echo(
            f"lot seed: {seed_lot} (no --lot-seed given; pass --lot-seed {seed_lot} "
            "to repeat this run)",
            err=True,
        )
    if as_json:
        data = {
            "schema": SCHEMA,
            "kind": "allocate",
            "lot_seed": seed_lot,
            **allocation_dict(result, shortfalls(result), "options"),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_allocation(result)
