"""``seatsim montecarlo SCENARIO``: vary the votes and the threshold, count the seats.

Reads the scenario's ``[montecarlo]`` table (keys in ``simulate.montecarlo.spec``; without one, the
defaults), lets the options override it, runs every rule set of the scenario on the same
draws with a progress bar on stderr, and prints tables or JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from simulate.cli.common import command, fail, naming
from simulate.cli.mc_district_tables import print_district_simulation
from simulate.cli.mc_districts import (
    DEFAULT_SIGMA,
    DISTRICT_SEATS,
    DISTRICT_THRESHOLD,
    METHOD,
    SIGMA_DISTRICT,
    SIGMA_NATIONAL,
    THRESHOLD,
    THRESHOLD_BASE,
    DistrictOptions,
    run_district_command,
)
from simulate.cli.mc_tables import print_simulation
from simulate.cli.runs import (
    checked_scenario,
    district_notes,
    pick_seed,
    run_district_with_progress,
    run_with_progress,
    scenario_spec,
)
from simulate.report.atomic import check_outputs, json_bytes, write_files
from simulate.report.json_dicts import montecarlo_report_dict


@command("montecarlo")
def montecarlo_command(
    scenario: Path = typer.Argument(
        ..., help="Scenario file (TOML), or a results table with districts (CSV)."
    ),
    draws: int | None = typer.Option(
        None, "--draws", min=1, help="Number of draws (default: the scenario's)."
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        min=0,
        help=(
            "Seed (default: the scenario's; else a fresh one, printed so the run can be repeated)."
        ),
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Processes; never changes the numbers."
    ),
    chunk_size: int | None = typer.Option(
        None,
        "--chunk-size",
        min=1,
        help=(
            "Draws per engine call; memory and speed only, never the numbers (default: "
            "sized by the run from the lists taking part)."
        ),
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    save_json: Path | None = typer.Option(
        None, "--save-json", metavar="FILE", help="Also write the JSON summary to FILE."
    ),
    save_draws: Path | None = typer.Option(
        None,
        "--save-draws",
        metavar="FILE",
        help=(
            "Keep every draw and write them to FILE (.npz with votes, seats, decided_by_lot, "
            "list_names, categories, rule_sets, seed; and thresholds when they vary)."
        ),
    ),
    progress: bool = typer.Option(
        True, "--progress/--no-progress", help="Show a progress bar on stderr."
    ),
    district_seats: Path | None = DISTRICT_SEATS,
    method: str = METHOD,
    threshold: str | None = THRESHOLD,
    district_threshold: str | None = DISTRICT_THRESHOLD,
    threshold_base: str = THRESHOLD_BASE,
    sigma_national: float = SIGMA_NATIONAL,
    sigma_district: float = SIGMA_DISTRICT,
) -> None:
    """Vary the vote shares (and the threshold, if the scenario says so) around the reported
    count, allocate every draw under every rule set of the scenario, and report per list the
    mean seats, a 90% interval, P(pass the threshold) and P(at least one seat); per rule set
    P(one list holds a majority / two thirds) and the seats changing hands against the
    scenario's rules on the reported votes, with Monte Carlo standard errors.

    A results table with districts (RESULTS.csv --district-seats SEATS.csv, rules as options)
    is drawn by the district-swing model: a national swing per list shared by every district
    plus district noise; it prints the seats in total and the seats changing hands by
    district. So is a scenario whose rules are allocated by district (its [montecarlo]
    model "district-swing", its own rules only)."""
    if scenario.suffix.lower() == ".csv":
        run_district_command(
            scenario,
            DistrictOptions(
                district_seats,
                method,
                threshold,
                district_threshold,
                threshold_base,
                sigma_national,
                sigma_district,
            ),
            draws=draws,
            seed=seed,
            workers=workers,
            chunk_size=chunk_size,
            as_json=as_json,
            save_json=save_json,
            save_draws=save_draws,
            progress=progress,
        )
        return
    given = {
        "--district-seats": district_seats is not None,
        "--method": method != "dhondt",
        "--threshold": threshold is not None,
        "--district-threshold": district_threshold is not None,
        "--threshold-base": threshold_base != "party-votes",
        "--sigma-national": sigma_national != DEFAULT_SIGMA,
        "--sigma-district": sigma_district != DEFAULT_SIGMA,
    }
    for option, used in given.items():
        if used:
            fail(f"{option}: goes with a results table (CSV); a scenario gives its own rules")
    sc = checked_scenario(scenario)  # as run and validate check it: a tie in its rules too
    if sc.districted:
        if save_draws is not None:
            fail("--save-draws: not available for a districted run (only the tallies are kept)")
        check_outputs({"--save-json": save_json}, sc.inputs)
        dspec = scenario_spec(sc).replace(draws=draws, workers=workers, chunk_size=chunk_size)
        with naming(sc.path):
            dsim = run_district_with_progress(sc, dspec, pick_seed(seed, dspec), show=progress)
        summary = {**dsim.summary(), "notes": [*dsim.notes, *district_notes(sc)]}
        ddata = montecarlo_report_dict(sc, summary)
        if as_json:
            typer.echo(json.dumps(ddata, indent=2, ensure_ascii=False))
        else:
            print_district_simulation(dsim, sc.title, extra_notes=district_notes(sc))
            if sc.montecarlo is None:
                typer.echo("note: the scenario has no [montecarlo] table; defaults were used")
        if save_json is not None:
            for path in write_files({Path(save_json): json_bytes(ddata)}):
                typer.echo(f"wrote {path}", err=True)
        return
    # refuse a bad target before computing anything
    check_outputs({"--save-json": save_json, "--save-draws": save_draws}, sc.inputs)
    spec = scenario_spec(sc).replace(
        draws=draws, workers=workers, chunk_size=chunk_size, keep_draws=True if save_draws else None
    )
    with naming(sc.path):
        sim = run_with_progress(sc, spec, pick_seed(seed, spec), show=progress)
    data = montecarlo_report_dict(sc, sim.summary())
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_simulation(sim, sc.title)
        if sc.montecarlo is None:
            typer.echo("note: the scenario has no [montecarlo] table; defaults were used")
    outputs: dict[Path, bytes] = {}  # written together: never a new summary beside old draws
    if save_json is not None:
        outputs[Path(save_json)] = json_bytes(data)
    if save_draws is not None:
        outputs[Path(save_draws)] = sim.draws_npz()
    for path in write_files(outputs):
        typer.echo(f"wrote {path}", err=True)
