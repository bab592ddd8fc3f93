"""What a scenario run found (``ScenarioRun``): plain values the reports and the figures read
without importing the runner (``simulate.scenario.run``)."""

from __future__ import annotations

from dataclasses import dataclass

from simulate.allocation import Allocation
from simulate.districts import DistrictAllocation
from simulate.eligibility import Shortfall
from simulate.scenario.compare import Comparison
from simulate.scenario.constituency import DistrictMeasures
from simulate.scenario.file import Scenario
from simulate.scenario.margin_districts import DistrictMargins
from simulate.scenario.margins import Margins
from simulate.scenario.measures import Measures
from simulate.scenario.sweep import Sweep


@dataclass(frozen=True)
class ScenarioRun:
    """Everything ``seatsim run`` reports for one scenario."""

    scenario: Scenario
    allocation: Allocation
    measures: Measures
    shortfalls: tuple[tuple[Shortfall, ...], ...]
    changed_from_official: int | float | None
    comparison: Comparison
    sweep: Sweep | None
    margins: Margins | None = None
    """The exact margins under the scenario's own rules (None where they cannot be found, e.g.
    a districted election: ``margins_problem`` says why)."""
    margins_problem: str | None = None
    districts: DistrictAllocation | None = None
    """The baseline district by district (None: one constituency); ``allocation`` is then its
    totals (``districts.national``)."""
    district_measures: tuple[DistrictMeasures, ...] = ()
    """Each district's metrics under the baseline (empty without districts)."""
    district_margins: DistrictMargins | None = None
    """With districts, the margins per district and in total (``margins`` is then None)."""


__all__ = ["ScenarioRun"]
