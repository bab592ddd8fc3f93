"""Scenarios: a file naming an election and its rules (``file``), and what a scenario
computes from it: the baseline run with its metrics (``run``, ``measures``), the rule sets
side by side (``compare``) and the exact threshold sweep (``sweep``)."""

from simulate.scenario.file import Alternative, Scenario, SweepRange
from simulate.scenario.result import ScenarioRun
from simulate.scenario.run import run_scenario

__all__ = ["Alternative", "Scenario", "ScenarioRun", "SweepRange", "run_scenario"]
