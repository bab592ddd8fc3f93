"""What several commands run alike: a scenario read and checked before anything is computed,
its Monte Carlo seed and its run with a progress bar. Commands import this module, never each
other."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from simulate.cli.common import make_rng
from simulate.cli.progress import draws_bar
from simulate.errors import InputError
from simulate.montecarlo.district_result import DistrictSimulation
from simulate.montecarlo.models import ModelSpec
from simulate.montecarlo.result import Simulation
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.scenario.file import Scenario
from simulate.scenario.run import baseline


def check_lot_seed(scenario: Scenario, seed: int | None) -> None:
    """A scenario whose rules draw lots needs a seed for them, so the lot can be repeated."""
    lots = [r.ties for r in (scenario.rules, *(a.rules for a in scenario.compare)) if r.draws_lots]
    if seed is None and lots:
        raise InputError(
            f'{scenario.path}: ties = "{lots[0]}" needs lot_seed in the scenario (or '
            "--lot-seed) so the lot can be repeated"
        )


def checked_scenario(path: Path) -> Scenario:
    """A scenario read and checked as ``validate`` checks it (its seeds, its lot seed, the
    model of a districted [montecarlo] table, its own rules on its votes), before a command
    computes or writes anything."""
    sc = Scenario.load(path)
    check_lot_seed(sc, sc.lot_seed)
    if sc.montecarlo is not None and sc.districted:
        scenario_spec(sc)  # its model: district-swing
    baseline(sc, make_rng(sc.lot_seed))
    return sc


NATIONAL_MONTECARLO = (
    "the districted Monte Carlo draws counts district by district; this baseline is one "
    'national constituency (constituency = "national"), so its [montecarlo] table is not run'
)


def scenario_spec(sc: Scenario) -> MonteCarloSpec:
    """The scenario's [montecarlo] table, checked (defaults when it has none). A baseline
    allocated by district is drawn by the district-swing model (its default there): any
    other model is refused naming the file and key; a districted election pooled in one
    national constituency is refused."""
    if sc.election.districts and sc.national:
        raise InputError(f"{sc.path}: montecarlo: {NATIONAL_MONTECARLO}")
    if not sc.districted:
        return sc.montecarlo_spec()
    spec = sc.montecarlo or MonteCarloSpec(model=ModelSpec(kind="district-swing"))
    if spec.model.kind != "district-swing":
        raise InputError(
            f"{sc.path}: montecarlo.model: a districted election is drawn by "
            '"district-swing" (a national swing shared by all districts plus district '
            f'noise): set model = "district-swing", not {spec.model.kind!r}'
        )
    return spec


def pick_seed(option: int | None, spec: MonteCarloSpec) -> int:
    """The command line's seed, else the scenario's, else a fresh one (printed on stderr so
    that the run can be repeated)."""
    chosen = option if option is not None else spec.seed
    if chosen is None:
        chosen = secrets.randbelow(10**9)  # short enough to read and retype
        typer.echo(
            f"seed: {chosen} (no seed given; pass --seed {chosen} to repeat this run)", err=True
        )
    return chosen


def run_with_progress(
    sc: Scenario, spec: MonteCarloSpec, seed: int, show: bool = True
) -> Simulation:
    """Run the scenario's Monte Carlo with a progress bar on stderr (``simulate.cli.progress``:
    on a terminal a bar with draws per second, elsewhere one line when it ends)."""
    with draws_bar("monte carlo", spec.draws, show) as update:
        return run_montecarlo(
            sc.election,
            sc.rule_sets(),
            spec,
            seed=seed,
            progress=lambda done, total: update(done),
        )


def run_district_with_progress(
    sc: Scenario, spec: MonteCarloSpec, seed: int, show: bool = True
) -> DistrictSimulation:
    """Run a districted scenario's Monte Carlo (its own rules, the district-swing model)
    with a progress bar on stderr, as ``run_with_progress``."""
    from simulate.montecarlo.district_run import run_district_montecarlo

    with draws_bar("monte carlo", spec.draws, show) as update:
        return run_district_montecarlo(
            sc.election,
            sc.rules,
            spec,
            seed=seed,
            progress=lambda done, total: update(done),
        )


def district_notes(sc: Scenario) -> list[str]:
    """What a reader of a districted scenario's Monte Carlo should know beside its tables."""
    if not sc.compare:
        return []
    return [
        f"the Monte Carlo on districts draws the scenario's own rules ({sc.label}) only, "
        "not its [[compare]] rule sets"
    ]
