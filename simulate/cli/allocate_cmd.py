"""``seatsim allocate SEED``: one election under rules given as options.

SEED is a seed file (TOML) or a results table (CSV); a table with a district column needs
``--district-seats`` and is allocated district by district (``simulate.districts``).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import typer

from simulate.alliance import Alliance, check_members
from simulate.allocation import allocate, shortfalls
from simulate.cli.common import (
    command,
    factors_option,
    fail,
    make_rng,
    naming,
    percent_option,
    threshold_option,
)
from simulate.cli.district_tables import districts_csv, print_districts
from simulate.cli.tables import print_allocation
from simulate.districts import allocate_districts
from simulate.election import Election, normalise_base
from simulate.errors import TieError
from simulate.methods import get_method
from simulate.report.atomic import check_folder, write_text
from simulate.report.json_dicts import SCHEMA, allocation_dict, districts_dict
from simulate.rules import LOT_POLICIES, TIE_POLICIES, Rules

SEED_ARGUMENT = typer.Argument(
    ..., help="Seed file (TOML), or a results table (CSV: [district,]list,votes[,kind]…)."
)
DISTRICT_SEATS_OPTION = typer.Option(
    None, help="Seats per district (CSV: district,seats), for a table with districts."
)
ALLIANCE_OPTION = typer.Option(
    None,
    "--alliance",
    help='Lists in alliance, joined by "+", e.g. "A+B" (repeat for more alliances).',
)
ALLIANCE_POOL_OPTION = typer.Option(
    "both",
    help="What every --alliance pools: threshold, allocation or both.",
)
CSV_OPTION = typer.Option(
    None, "--csv", help="Folder to write districts.csv into (districted elections)."
)


@command("allocate")
def allocate_command(
    seed: Path = SEED_ARGUMENT,
    district_seats: Path | None = DISTRICT_SEATS_OPTION,
    seats: int | None = typer.Option(None, min=1, help="House size; default: the seed's seats."),
    method: str = typer.Option("hare", help="Allocation method or alias (hare, dhondt, …)."),
    threshold: str | None = typer.Option(
        None,
        help='Legal threshold as a percentage, e.g. "7%", or one per kind of list, '
        'e.g. "party=5%,coalition=8%" (the kind column of a CSV).',
    ),
    district_threshold: str | None = typer.Option(
        None, help='Share of a district\'s votes a list needs to take part there, e.g. "3%".'
    ),
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
    alliance: list[str] | None = ALLIANCE_OPTION,
    alliance_pool: str = ALLIANCE_POOL_OPTION,
    ties: str = typer.Option(
        "error",
        help="Tie policy: error, lot, or a rule of the law: first-listed (the list listed "
        "first wins), most-votes (the list with more votes wins; equal votes are an error), "
        "most-votes-then-lot (equal votes go to a lot).",
    ),
    quota_rounding: str = typer.Option(
        "exact",
        help="Quota methods: keep the quota exact, or round it to a whole number first: up, "
        "down, nearest (a half goes up).",
    ),
    quotient_factor: list[str] | None = typer.Option(
        None,
        help='Divisor methods: multiply the quotients of a kind of list, e.g. "minority=1.35" '
        "(the kind column of a CSV; repeatable).",
    ),
    seed_lot: int | None = typer.Option(
        None,
        "--lot-seed",
        help=(
            "Seed for drawing lots under --ties lot (default: a fresh one, printed so the run "
            "can be repeated)."
        ),
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    csv: Path | None = CSV_OPTION,
) -> None:
    """Allocate the seats of one election (a seed file or a CSV table) under the rules given
    as options; a table with districts is allocated district by district."""
    with naming("--method"):
        get_method(method)
    with naming("--threshold-base"):
        normalise_base(threshold_base)
    if regional_threshold_base is not None:
        with naming("--regional-threshold-base"):
            normalise_base(regional_threshold_base)
    if ties not in TIE_POLICIES:
        fail(f"--ties: {ties!r} is not one of {', '.join(TIE_POLICIES)}")
    made_up = ties in LOT_POLICIES and seed_lot is None
    if made_up:  # as montecarlo does with --seed: said once the run is done, to repeat it
        seed_lot = secrets.randbelow(10**9)  # short enough to read and retype
    rng = make_rng(seed_lot)
    if csv is not None:
        check_folder(csv, "--csv")
    if seed.suffix.lower() == ".csv":
        election = Election.from_csv(seed, district_seats)
    elif district_seats is not None:
        fail("--district-seats: goes with a results table (CSV), not a seed file")
    else:
        election = Election.load(seed)
    if election.districts and seats is not None and seats != election.seats:
        fail(f"--seats: {seats}, but the districts of {seed} have {election.seats} seats")
    if csv is not None and not election.districts:
        fail(f"--csv: writes districts.csv, and {seed} has no districts")
    house = seats if seats is not None else election.seats
    if house is None:
        what = "table" if seed.suffix.lower() == ".csv" else "seed"
        fail(f"{seed}: seats: the {what} gives no house size; pass --seats")
    with naming("--alliance"):
        alliances = tuple(
            Alliance(tuple(n.strip() for n in text.split("+")), alliance_pool)
            for text in alliance or ()
        )
        check_members(alliances, election.names, "--alliance")
    with naming("--alliance"):  # (a list in two alliances; an alliance with a cap)
        Rules(seats=house, alliances=alliances, max_seats=max_seats, min_seats=min_seats)
    rules = Rules(
        alliances=alliances,
        seats=house,
        method=method,
        threshold=threshold_option(threshold),
        district_threshold=percent_option(district_threshold, "--district-threshold"),
        threshold_base=threshold_base,
        threshold_comparison=">" if strict else ">=",
        regional_threshold=percent_option(regional_threshold, "--regional-threshold"),
        regional_threshold_base=regional_threshold_base,
        max_seats=max_seats,
        min_seats=min_seats,
        ties=ties,
        quota_rounding=quota_rounding,
        quotient_factors=factors_option(quotient_factor),
    )
    try:
        if election.districts:
            districted = allocate_districts(election, rules, rng=rng)
            result = districted.national
        else:
            districted, result = None, allocate(election, rules, rng=rng)
    except TieError as exc:  # the option, not the file key, on the command line
        text = str(exc).replace('set ties = "lot"', "pass --ties lot --lot-seed N")
        fail(text.replace('set ties = "most-votes-then-lot"', "pass --ties most-votes-then-lot"))
    if made_up:
        typer.echo(
            f"lot seed: {seed_lot} (no --lot-seed given; pass --lot-seed {seed_lot} "
            "to repeat this run)",
            err=True,
        )
    if csv is not None and districted is not None:  # (refused above without districts)
        written = write_text(csv / "districts.csv", districts_csv(districted))
        typer.echo(f"wrote {written}", err=True)
    if as_json:
        data = {
            "schema": SCHEMA,
            "kind": "allocate",
            "lot_seed": seed_lot,
            **allocation_dict(result, shortfalls(result), "options"),
        }
        if districted is not None:
            data.update(districts_dict(districted))
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif districted is not None:
        print_districts(districted)
    else:
        print_allocation(result)
