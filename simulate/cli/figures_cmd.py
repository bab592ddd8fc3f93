"""``seatsim figures [SCENARIO…]``: rebuild the report figures (PNG at 200 dpi and SVG).

Without scenarios it draws every scenario in ``./scenarios`` into ``./figures``. A figure of a
drawn scenario that this run no longer makes is removed only when the folder's manifest
(``simulate.report.manifest``) shows seatsim wrote it and it is unchanged; a kind of figure
an option skipped this time (``--no-montecarlo``) is kept. One palette is agreed over all the
scenarios drawn together, so a party keeps its colour in every figure. The same scenarios,
seeds and software give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import typer

from simulate.cli.common import command, fail, make_rng, naming
from simulate.cli.progress import stage
from simulate.cli.runs import checked_scenario, scenario_spec
from simulate.report.atomic import check_folder, write_files
from simulate.report.manifest import Entry, digest, is_ours, read_manifest, write_manifest
from simulate.scenario.run import (
    figure_district_montecarlo,
    figure_montecarlo,
    run_scenario,
    scenario_curve,
)


def _per_threshold(draws: int | None) -> dict[str, int]:
    """The draws per threshold of the majority curve: --draws when given, else its default."""
    return {} if draws is None else {"draws": draws}


def _shipped() -> tuple[Path, list[Path]]:
    """The scenarios folder of the project this is run in (./scenarios) and its files."""
    folder = Path("scenarios")
    if not folder.is_dir():
        fail(
            "no scenarios/ folder here: run seatsim figures in the project folder, or name "
            "the scenario files to draw"
        )
    return folder, sorted(folder.glob("*.toml"))


@command("figures")
def figures_command(
    scenarios: list[Path] | None = typer.Argument(
        None, help="Scenario files (default: every scenario in ./scenarios)."
    ),
    out: Path | None = typer.Option(
        None, "--out", metavar="DIR", help="Folder to write to (default: ./figures)."
    ),
    draws: int | None = typer.Option(
        None,
        "--draws",
        min=1,
        help="Monte Carlo draws (default: the scenario's [montecarlo] draws, else 100,000), "
        "and draws per threshold of the majority figure (default: 4,000).",
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        min=0,
        help="Monte Carlo seed (default: the scenario's, else "
        "20201004: figures are always reproducible).",
    ),
    montecarlo: bool | None = typer.Option(
        None,
        "--montecarlo/--no-montecarlo",
        help="Draw the Monte Carlo figures (seats changing hands, seats per list, majority "
        "against the threshold) for every scenario, or for none (default: for the "
        "scenarios with a [montecarlo] table, as seatsim run does).",
    ),
) -> None:
    """Draw each scenario's figures: the parliament under its rules and beside each
    alternative that moves seats, the threshold sweep, the rule comparison and, from Monte
    Carlo (scenarios with a [montecarlo] table), the seats that change hands, the seats per
    list and the chance of a single-list majority as the threshold varies. Written as
    <scenario>-<figure>.png (200 dpi) and .svg, each file atomically."""
    from simulate.plots.colours import palette
    from simulate.plots.write import render_scenario_figures

    if not scenarios:  # the shipped scenarios, into figures/ beside them
        folder, paths = _shipped()
        if not paths:
            fail(f"{folder}: no scenario files to draw")
        target = out if out is not None else folder.parent / "figures"
    else:
        paths = list(scenarios)
        target = out if out is not None else Path("figures")
    check_folder(target, "--out")
    # every scenario is read and checked, and its Monte Carlo run, before any file is written
    loaded = [checked_scenario(p) for p in paths]
    elections = [sc.election for sc in loaded]
    computed = []
    for sc in loaded:
        wanted = montecarlo if montecarlo is not None else sc.montecarlo is not None
        wanted = wanted and not (sc.election.districts and sc.national)  # (pooled: none)
        with naming(sc.path):
            run = run_scenario(sc, make_rng(sc.lot_seed))
            sim = dsim = curve = None
            if wanted and sc.districted:
                dsim = figure_district_montecarlo(sc, scenario_spec(sc), draws=draws, seed=seed)
            elif wanted:
                sim = figure_montecarlo(sc, draws=draws, seed=seed)
            if sim is not None:  # --draws sets the draws per threshold too
                curve = scenario_curve(sc, seed=int(sim.settings["seed"]), **_per_threshold(draws))
        computed.append((run, sim, curve, dsim))
    # render everything before writing anything
    made: dict[str, tuple[Entry, bytes]] = {}
    skipped: set[tuple[str, str]] = set()  # (stem, "mc-"): kinds this run did not draw
    with stage("figures") as done:
        for sc, (run, sim, curve, dsim) in zip(loaded, computed):
            colours = palette(sc.election, *elections)
            stem = Path(sc.path).stem
            files = render_scenario_figures(
                run, montecarlo=sim, curve=curve, colours=colours, district_montecarlo=dsim
            )
            for f in files:
                made[f.name] = (Entry(digest(f.data), stem, f.figure, f.label), f.data)
            if sim is None and dsim is None:
                skipped.add((stem, "mc-"))
            typer.echo(f"{sc.path}: {len(files)} files in {target}")
            for f in files:
                if f.label is not None and f.name.endswith(".png"):
                    typer.echo(f"  {f.name[: -len('.png')]}: {f.label}")
        done(f"{len(made)} files rendered")
    old = read_manifest(target)
    drawn = {Path(sc.path).stem for sc in loaded}
    try:
        write_files({target / name: data for name, (_entry, data) in made.items()})
        entries = {name: entry for name, (entry, _data) in made.items()}
        for name, entry in sorted(old.items()):
            if name in entries:
                continue
            if entry.scenario not in drawn or (entry.scenario, entry.figure[:3]) in skipped:
                if (target / name).exists():  # not drawn this time: kept, and still listed
                    entries[name] = entry
            elif is_ours(target, name, entry):
                (target / name).unlink()
                typer.echo(f"removed {target / name} (no longer made)")
            elif (target / name).exists():
                typer.echo(f"kept {target / name} (changed since seatsim wrote it)")
        write_manifest(target, entries)
    except OSError as exc:
        fail(f"{target}: cannot write figures ({exc.strerror or exc})")
