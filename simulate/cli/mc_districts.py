"""``seatsim montecarlo RESULTS.csv --district-seats SEATS.csv``: the districted Monte Carlo
from a results table, the rules given as options (as ``seatsim allocate`` takes them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import typer

from simulate.cli.common import fail, naming, percent_option, threshold_option
from simulate.cli.mc_district_tables import print_district_simulation
from simulate.cli.progress import draws_bar
from simulate.cli.runs import pick_seed
from simulate.election import Election, normalise_base
from simulate.methods import get_method
from simulate.montecarlo.models import ModelSpec
from simulate.montecarlo.models.district_swing import check_sigma
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.report.atomic import check_outputs, json_bytes, write_files
from simulate.report.json_dicts import SCHEMA
from simulate.rules import Rules

DEFAULT_SIGMA = 0.1

DISTRICT_SEATS = typer.Option(
    None, help="Seats per district (CSV: district,seats), with a results table (CSV)."
)
METHOD = typer.Option("dhondt", help="With a results table: the method in every district.")
THRESHOLD = typer.Option(
    None,
    help='With a results table: the national threshold, "5%", or one per kind of list, '
    '"party=5%,coalition=8%".',
)
DISTRICT_THRESHOLD = typer.Option(
    None, help='With a results table: the share of a district\'s votes to take part there, "3%".'
)
THRESHOLD_BASE = typer.Option(
    "party-votes", help="With a results table: the base of the national threshold."
)
SIGMA_NATIONAL = typer.Option(
    DEFAULT_SIGMA,
    help="With a results table: sd of each list's national swing (log scale, shared by every "
    "district).",
)
SIGMA_DISTRICT = typer.Option(
    DEFAULT_SIGMA, help="With a results table: sd of the noise per list and district (log scale)."
)


@dataclass(frozen=True)
class DistrictOptions:
    district_seats: Path | None
    method: str
    threshold: str | None
    district_threshold: str | None
    threshold_base: str
    sigma_national: float
    sigma_district: float


def run_district_command(
    results: Path,
    opts: DistrictOptions,
    *,
    draws: int | None,
    seed: int | None,
    workers: int | None,
    chunk_size: int | None,
    as_json: bool,
    save_json: Path | None,
    save_draws: Path | None,
    progress: bool,
) -> None:
    """Read, check, run, print (and write the JSON summary when asked)."""
    from simulate.montecarlo.district_run import run_district_montecarlo

    if save_draws is not None:
        fail("--save-draws: not available for a districted run (only the tallies are kept)")
    if opts.district_seats is None:
        fail(f"{results}: --district-seats: a districted Monte Carlo needs the seats per district")
    check_outputs({"--save-json": save_json}, (results, opts.district_seats))
    with naming("--method"):
        get_method(opts.method)
    with naming("--threshold-base"):
        normalise_base(opts.threshold_base)
    with naming("--sigma-national"):
        check_sigma(opts.sigma_national, "--sigma-national")
    with naming("--sigma-district"):
        check_sigma(opts.sigma_district, "--sigma-district")
    election = Election.from_csv(results, opts.district_seats)
    if not election.districts:
        fail(f"{results}: no district column: a districted Monte Carlo needs districts")
    rules = Rules(
        seats=int(election.district_seats().sum()),
        method=opts.method,
        threshold=threshold_option(opts.threshold),
        district_threshold=percent_option(opts.district_threshold, "--district-threshold"),
        threshold_base=opts.threshold_base,
        ties="lot",
    )
    model = ModelSpec(
        kind="district-swing",
        sigma_national=opts.sigma_national,
        sigma_district=opts.sigma_district,
    )
    spec = MonteCarloSpec(model=model).replace(draws=draws, workers=workers, chunk_size=chunk_size)
    chosen = pick_seed(seed, spec)
    with draws_bar("monte carlo", spec.draws, progress) as update:
        sim = run_district_montecarlo(
            election, rules, spec, seed=chosen, progress=lambda done, total: update(done)
        )
    data = {
        "schema": SCHEMA,
        "kind": "montecarlo-districts",
        "results": str(results),
        "district_seats": str(opts.district_seats),
        **sim.summary(),
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_district_simulation(sim, str(results))
    if save_json is not None:
        for path in write_files({Path(save_json): json_bytes(data)}):
            typer.echo(f"wrote {path}", err=True)


__all__ = ["DistrictOptions", "run_district_command"]
