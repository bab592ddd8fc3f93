"""``seatsim run | compare | sweep | validate | list``: the scenario commands.

Each command reads its scenario once (``Scenario.load``), computes with the core, then either
prints tables (rich), prints JSON (``--json``), and/or writes CSV files (``--csv DIR``,
atomically, only after everything has been computed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import typer

from simulate import report
from simulate.cli.common import (
    command,
    error_line,
    fail,
    make_console,
    make_rng,
    percent_option,
    printable,
)
from simulate.cli.district_tables import district_changes_table, print_run_districts
from simulate.cli.progress import stage
from simulate.cli.runs import (
    NATIONAL_MONTECARLO,
    check_lot_seed,
    checked_scenario,
    district_notes,
    pick_seed,
    run_district_with_progress,
    run_with_progress,
    scenario_spec,
)
from simulate.cli.tables import (
    print_comparison,
    print_run,
    print_sweep,
    sweep_range_text,
)
from simulate.errors import InputError, SeatsimError
from simulate.filekeys import read_toml
from simulate.report.atomic import check_folder
from simulate.report.csv_tables import districts_csv
from simulate.scenario.file import Scenario
from simulate.scenario.run import compare_scenario, run_scenario, scenario_curve, sweep_scenario

JSON_OPTION = typer.Option(
    False, "--json", help="Print JSON (schema in README.md) instead of tables."
)
CSV_OPTION = typer.Option(
    None,
    "--csv",
    metavar="DIR",
    help="Also write CSV files to DIR (atomically), named after the scenario.",
)
LOT_OPTION = typer.Option(
    None,
    "--lot-seed",
    help='Seed for drawing lots under ties = "lot" (default: lot_seed in the scenario).',
)
SCENARIO_ARG = typer.Argument(..., help="Scenario file (TOML).")


def _load(
    path: Path, lot_seed: int | None, csv: Path | None = None
) -> tuple[Scenario, np.random.Generator | None, int | None]:
    if csv is not None:  # refuse a bad target before computing anything
        check_folder(csv, "--csv")
    scenario = Scenario.load(path)
    seed = lot_seed if lot_seed is not None else scenario.lot_seed
    check_lot_seed(scenario, seed)
    return scenario, make_rng(seed), seed


def _emit(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _write_csv(folder: Path | None, scenario: Scenario, tables: dict[str, str]) -> None:
    if folder is None:
        return
    written = report.write_csv_files(folder, Path(scenario.path).stem, tables, scenario.inputs)
    for path in written:
        typer.echo(f"wrote {path}", err=True)


@command("run")
def run_command(
    scenario: Path = SCENARIO_ARG,
    as_json: bool = JSON_OPTION,
    csv: Path | None = CSV_OPTION,
    lot_seed: int | None = LOT_OPTION,
    montecarlo: bool = typer.Option(
        True,
        "--montecarlo/--no-montecarlo",
        help="Run the scenario's [montecarlo] table (when it has one).",
    ),
    draws: int | None = typer.Option(
        None,
        "--draws",
        min=1,
        help="Monte Carlo draws (default: the scenario's), and draws per threshold of the "
        "majority figure (default: 4,000).",
    ),
    seed: int | None = typer.Option(
        None, "--seed", min=0, help="Monte Carlo seed (default: the scenario's)."
    ),
    figures: Path | None = typer.Option(
        None,
        "--figures",
        metavar="DIR",
        help="Where to write the scenario's figures (default: out/<scenario name>).",
    ),
    draw: bool = typer.Option(True, "--draw/--no-draw", help="Write the figures."),
) -> None:
    """The whole scenario: every list and why it passed or not, the metrics, the alternative
    rule sets side by side, the threshold sweep, and the Monte Carlo when the scenario has a
    [montecarlo] table."""
    folder = figures if figures is not None else Path("out") / scenario.stem
    if draw:
        check_folder(folder, "--figures")
    sc, rng, lots = _load(scenario, lot_seed, csv)
    wanted = montecarlo and sc.montecarlo is not None
    spec = None
    if wanted and sc.election.districts and sc.national:
        typer.echo(f"monte carlo: skipped: {NATIONAL_MONTECARLO}", err=True)
    elif wanted:  # checked before anything is computed: a wrong model is one line
        spec = scenario_spec(sc).replace(draws=draws)
    result = run_scenario(sc, rng)
    sim = None
    dsim = None
    if spec is not None and sc.districted:
        dsim = run_district_with_progress(sc, spec, pick_seed(seed, spec))
    elif spec is not None:
        sim = run_with_progress(sc, spec, pick_seed(seed, spec))
    tables = report.run_csv_tables(result) if csv is not None else {}
    if as_json:
        data = {**report.run_dict(result), "lot_seed": lots}
        if sim is not None:
            data["montecarlo"] = sim.summary()
        if dsim is not None:
            data["montecarlo"] = {**dsim.summary(), "notes": [*dsim.notes, *district_notes(sc)]}
        _emit(data)
    else:
        print_run(result)
        print_run_districts(result)
        if sim is not None:
            from simulate.cli.mc_tables import print_simulation

            typer.echo("")
            print_simulation(sim, sc.title)
        if dsim is not None:
            from simulate.cli.mc_district_tables import print_district_simulation

            typer.echo("")
            print_district_simulation(dsim, sc.title, extra_notes=district_notes(sc))
    _write_csv(csv, sc, tables)
    if draw:
        from simulate.plots.write import write_scenario_figures

        with stage("figures") as done:
            per = {} if draws is None else {"draws": draws}  # --draws: per threshold too
            seed_of = int(sim.settings["seed"]) if sim is not None else 0
            curve = None if sim is None else scenario_curve(sc, seed=seed_of, **per)
            written = write_scenario_figures(
                result, folder, montecarlo=sim, curve=curve, district_montecarlo=dsim
            )
            done(f"{len(written)} files")
        stems = sorted({p.stem for p in written})
        typer.echo(
            f"wrote {len(stems)} figures to {folder}/, each as PNG and SVG: {', '.join(stems)}",
            err=True,
        )


@command("compare")
def compare_command(
    scenario: Path = SCENARIO_ARG,
    as_json: bool = JSON_OPTION,
    csv: Path | None = CSV_OPTION,
    lot_seed: int | None = LOT_OPTION,
) -> None:
    """The scenario's rules and its [[compare]] rule sets side by side, with the seats that
    change hands against the baseline."""
    sc, rng, seed = _load(scenario, lot_seed, csv)
    result = compare_scenario(sc, rng=rng)
    tables = (
        {"compare": report.compare_csv(result), "metrics": report.metrics_csv(result)}
        if csv is not None
        else {}
    )
    if csv is not None and result.baseline.districts is not None:
        tables["districts"] = districts_csv(result.baseline.districts, result)
    if as_json:
        _emit({**report.compare_dict(sc, result), "lot_seed": seed})
    else:
        print_comparison(result, sc.title)
        if not sc.compare:
            typer.echo("note: the scenario has no [[compare]] tables")
        by_district = district_changes_table(result)
        if by_district is not None:
            from simulate.cli.fit import print_fitted

            typer.echo(f"\nseats changing hands by district, against {result.baseline.label}")
            print_fitted(make_console(), by_district)
    _write_csv(csv, sc, tables)


@command("sweep")
def sweep_command(
    scenario: Path = SCENARIO_ARG,
    start: str | None = typer.Option(
        None,
        "--from",
        help='Lowest threshold, e.g. "0%" (default: the scenario\'s [sweep] range, else 0%).',
    ),
    end: str | None = typer.Option(
        None,
        "--to",
        help='Highest threshold, e.g. "12%" '
        "(default: the scenario's range, else the largest share).",
    ),
    as_json: bool = JSON_OPTION,
    csv: Path | None = CSV_OPTION,
    lot_seed: int | None = LOT_OPTION,
) -> None:
    """Seats in every threshold interval, computed exactly at the lists' shares (no grid),
    with the seats that change hands against the row above and the baseline."""
    sc, rng, seed = _load(scenario, lot_seed, csv)
    low, high = percent_option(start, "--from"), percent_option(end, "--to")
    result = sweep_scenario(sc, low, high, rng=rng)
    tables = {"sweep": report.sweep_csv(result)} if csv is not None else {}
    if as_json:
        _emit({**report.sweep_report_dict(sc, result), "lot_seed": seed})
    else:
        print_sweep(result, f"{sc.title}: threshold sweep {sweep_range_text(result)}")
        if sc.sweep is None and start is None and end is None:
            typer.echo(
                "note: the scenario has no [sweep] table: the default range, 0% to the "
                "largest share\n(the scenario's notes say what a sweep means for it)"
            )
    _write_csv(csv, sc, tables)


@command("validate")
def validate_command(
    scenarios: list[Path] = typer.Argument(..., help="Scenario files (TOML) to check."),
) -> None:
    """Check scenario files and the seeds they name, and that the scenario's own rules can
    be applied to its votes (one allocation; the rest of a run is not computed)."""
    bad = 0
    for path in scenarios:
        try:
            sc = checked_scenario(path)
        except SeatsimError as exc:
            bad += 1
            typer.echo(error_line(str(exc)), err=True)
            continue
        n = len(sc.compare)
        parts = [f"{len(sc.election.parties)} lists", f"{n} alternative{'' if n == 1 else 's'}"]
        if sc.election.districts:
            parts.insert(1, f"{len(sc.election.districts)} districts")
        if sc.montecarlo is not None:
            parts.append("monte carlo")
        typer.echo(printable(f"ok  {path}: {sc.title} ({', '.join(parts)})"))
    if bad:
        raise typer.Exit(2)


def _default_folders() -> list[Path]:
    """./scenarios and ./seeds: the project this is run in."""
    here = [Path("scenarios"), Path("seeds")]
    if not any(p.is_dir() for p in here):
        fail(
            "no scenarios/ or seeds/ folder here: run seatsim list in the project folder, or "
            "name the folders to look in"
        )
    return here


def _describe(path: Path) -> dict[str, Any]:
    """What a file is, and its title, read without the full check (``validate`` does that)."""
    try:
        raw = read_toml(path, "TOML")
    except InputError as exc:
        why = str(exc).removeprefix(f"{path}: ")
        return {"path": str(path), "kind": "unreadable", "title": f"({why})"}
    if "election" in raw or "rules" in raw:
        return {"path": str(path), "kind": "scenario", "title": str(raw.get("title", ""))}
    if "party" in raw:
        return {"path": str(path), "kind": "seed", "title": str(raw.get("name", ""))}
    return {"path": str(path), "kind": "other", "title": ""}


@command("list")
def list_command(
    folders: list[Path] | None = typer.Argument(
        None, help="Folders to look in (default: ./scenarios and ./seeds)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a list."),
) -> None:
    """The scenarios and seeds found (TOML files), with their titles."""
    found: list[dict[str, Any]] = []
    for folder in folders or _default_folders():
        if not folder.is_dir():
            if folders:
                fail(
                    f"{folder}: "
                    + ("a file, not a folder" if folder.exists() else "no such folder")
                )
            continue
        found.extend(_describe(p) for p in sorted(folder.glob("*.toml")))
    if as_json:
        _emit({"schema": report.SCHEMA, "kind": "list", "files": found})
        return
    if not found:
        typer.echo("no scenario or seed files found")
    width = max((len(f["path"]) for f in found), default=0)  # titles in one column
    for kind in ("scenario", "seed", "unreadable", "other"):
        items = [f for f in found if f["kind"] == kind]
        if items:
            typer.echo(f"{kind}s:")
        for f in items:
            typer.echo(printable(f"  {f['path']:<{width}}  {f['title']}".rstrip()))
