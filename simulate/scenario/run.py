"""A whole scenario run: the baseline allocation, its metrics, the comparison and the sweep.

``run_scenario`` only computes; reading the files is ``simulate.scenario``'s job and showing
the result is ``simulate.report``'s and the command line's.
"""

from __future__ import annotations

import numpy as np

from simulate.allocation import Allocation, shortfalls
from simulate.districts import DistrictAllocation
from simulate.errors import InfeasibleError, SeatsimError, TieError
from simulate.metrics import seats_changing_hands
from simulate.montecarlo.curve import CURVE_DRAWS, threshold_curve, threshold_grid
from simulate.montecarlo.district_result import DistrictSimulation
from simulate.montecarlo.district_run import run_district_montecarlo
from simulate.montecarlo.result import Simulation, ThresholdCurve
from simulate.montecarlo.run import run_montecarlo
from simulate.montecarlo.spec import MonteCarloSpec
from simulate.scenario.compare import Comparison, compare
from simulate.scenario.constituency import allocate_in, measure_districts
from simulate.scenario.file import Scenario
from simulate.scenario.margin_districts import DistrictMargins, district_margins
from simulate.scenario.margins import Margins, margins
from simulate.scenario.measures import measure
from simulate.scenario.result import ScenarioRun
from simulate.scenario.sweep import Sweep, sweep, sweep_range


def baseline(scenario: Scenario, rng: np.random.Generator | None = None) -> Allocation:
    """The scenario's own rules applied (the totals, with districts); an error names the
    scenario's [rules] as well."""
    return baseline_in(scenario, rng)[0]


def baseline_in(
    scenario: Scenario, rng: np.random.Generator | None = None
) -> tuple[Allocation, DistrictAllocation | None]:
    """The scenario's own rules applied: the totals, and the districted result when the
    baseline is allocated district by district (else None)."""
    try:
        return allocate_in(scenario.election, scenario.rules, national=scenario.national, rng=rng)
    except TieError as exc:
        raise TieError(f"{scenario.path}: rules: {exc}", exc.lists, exc.seats) from None
    except InfeasibleError as exc:
        raise InfeasibleError(f"{scenario.path}: rules: {exc}") from None


def official_change(result: Allocation) -> int | float | None:
    """Seats changing hands against the official seats, when the seed gives all of them."""
    official = [r.official_seats for r in result.lists]
    known = [s for s in official if s is not None]
    if len(known) < len(official):
        return None
    return seats_changing_hands(known, result.seats)


def compare_scenario(
    scenario: Scenario,
    *,
    base: Allocation | None = None,
    rng: np.random.Generator | None = None,
    split: DistrictAllocation | None = None,
) -> Comparison:
    """The scenario's rule sets side by side (``base`` and ``split``: the baseline's totals
    and districted result, when already found)."""
    if base is None:
        base, split = baseline_in(scenario, rng)
    return compare(
        scenario.election,
        scenario.rules,
        scenario.compare,
        label=scenario.label,
        baseline=base,
        rng=rng,
        national=scenario.national,
        baseline_districts=split,
    )


def sweep_scenario(
    scenario: Scenario,
    low: object = None,
    high: object = None,
    *,
    base: Allocation | None = None,
    rng: np.random.Generator | None = None,
) -> Sweep:
    """The sweep over the scenario's range (``low``/``high`` override it)."""
    if scenario.sweep is not None:
        low = scenario.sweep.low if low is None else low
        high = scenario.sweep.high if high is None else high
    return sweep(
        scenario.election,
        scenario.rules,
        low,
        high,
        baseline=base,
        rng=rng,
        national=scenario.national,
    )


def run_scenario(scenario: Scenario, rng: np.random.Generator | None = None) -> ScenarioRun:
    """Allocate the baseline, measure it, compare the alternatives, sweep the threshold (if
    the scenario has a [sweep] table), and find the exact margins under its own rules. With
    districts: the baseline district by district, each district's metrics, the seats
    changing hands in each district under every rule set also allocated by district, and the
    margins per district and in total (``district_margins``)."""
    result, split = baseline_in(scenario, rng)
    found: Margins | None = None
    problem = None
    by_district: DistrictMargins | None = None
    try:
        if split is not None:
            by_district = district_margins(scenario.election, scenario.rules)
        else:
            found = margins(scenario.election, scenario.rules)
    except SeatsimError as exc:  # (the report goes on without them, and says why)
        problem = str(exc)
    return ScenarioRun(
        scenario=scenario,
        allocation=result,
        measures=measure(result),
        shortfalls=shortfalls(result),
        changed_from_official=official_change(result),
        comparison=compare_scenario(scenario, base=result, rng=rng, split=split),
        sweep=None if scenario.sweep is None else sweep_scenario(scenario, base=result, rng=rng),
        margins=found,
        margins_problem=problem,
        districts=split,
        district_measures=() if split is None else measure_districts(split),
        district_margins=by_district,
    )


__all__ = [
    "ScenarioRun",
    "baseline",
    "baseline_in",
    "compare_scenario",
    "official_change",
    "run_scenario",
    "sweep_scenario",
]


FIGURE_SEED = 20201004
"""Seed of the figures' Monte Carlo when the scenario's [montecarlo] table gives none."""


def figure_montecarlo(
    scenario: Scenario, *, draws: int | None = None, seed: int | None = None
) -> Simulation:
    """The scenario's Monte Carlo for its figures: its [montecarlo] settings, ``seed`` (else
    its own, else ``FIGURE_SEED``), per-draw results not kept."""
    spec = scenario.montecarlo_spec().replace(draws=draws, keep_draws=False)
    chosen = seed if seed is not None else spec.seed if spec.seed is not None else FIGURE_SEED
    return run_montecarlo(scenario.election, scenario.rule_sets(), spec, seed=chosen)


def figure_district_montecarlo(
    scenario: Scenario,
    spec: MonteCarloSpec,
    *,
    draws: int | None = None,
    seed: int | None = None,
) -> DistrictSimulation:
    """A districted scenario's Monte Carlo for its figures: ``spec`` (its [montecarlo]
    settings, model "district-swing"), under its own rules, with ``seed`` (else its own, else
    ``FIGURE_SEED``)."""
    spec = spec.replace(draws=draws)
    chosen = seed if seed is not None else spec.seed if spec.seed is not None else FIGURE_SEED
    return run_district_montecarlo(scenario.election, scenario.rules, spec, seed=chosen)


def scenario_curve(
    scenario: Scenario, *, seed: int, draws: int = CURVE_DRAWS
) -> ThresholdCurve | None:
    """The chance of a single-list majority as the threshold varies, over the scenario's
    [sweep] range (None without one: only thresholds the scenario says make sense), under
    its own rules and its [montecarlo] vote model, with ``seed`` at every threshold."""
    if scenario.sweep is None:
        return None
    label, rules = scenario.rule_sets()[0]
    # (a [sweep] table without a range covers the sweep's default range)
    low, high = sweep_range(scenario.election, rules, scenario.sweep.low, scenario.sweep.high)
    return threshold_curve(
        scenario.election,
        label,
        rules,
        scenario.montecarlo_spec(),
        threshold_grid(low, high),
        seed=seed,
        draws=draws,
    )
