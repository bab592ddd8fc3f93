"""seatsim: exact seat allocation and what-if simulation for proportional elections.

The house, from the bottom up (each layer imports only the layers below it):

- vocabulary (plain frozen values, checked on construction): ``errors``; ``election``
  (Election, Party, seed files, the threshold bases; ``district``: District and a seed's
  ``[[district]]`` tables; ``csvinput``: results and district seats from CSV tables);
  ``methods`` (the METHODS table); ``threshold`` (exact fractions, smallest passing counts);
  ``eligibility`` (who passes and by how much the others missed); ``alliance`` (Alliance,
  lists pooled for the threshold or the allocation); ``rules`` (Rules, settings only);
  ``metrics`` (pure functions of votes and seats: disproportionality, majority, two thirds,
  binomial SE);
  ``wording`` (counts, shares and reasons in words); ``filekeys`` (reading TOML, checking
  keys and values).
- ``engine/``: the one allocation engine (party-major arrays, exact, ties flagged).
- on the engine, from the bottom up: ``outcome`` (Allocation, ListResult, Tie: one
  election's result, put together in one place); ``plain`` (one election, every list on its
  own); ``batch``: ``allocate_batch`` (N draws) with its result object; ``alliances``
  (alliances pooled for the allocation: two plain allocations composed, and
  ``allocate_batch_allied`` for N draws); ``allocation``: ``allocate`` (one election, with
  every list's reasons), the public entry above ``plain`` and ``alliances`` and the public
  home of the result types; ``districts``: ``allocate_districts``, a districted election as
  one batch of districts;
  ``reference``: the plain per-draw yardstick the tests and the benchmarks compare against.
- ``montecarlo/``: settings, vote models, the chunked seeded run, tally, result, threshold
  curve. ``scenario/``: scenario files, the scenario run, compare, sweep, measures, and
  ``margins`` (the exact votes that would have changed a seat).
- ``report/`` (JSON, CSV, atomic writes) and ``plots/`` (figures from results already
  computed; the only layer that imports matplotlib). ``bench/``: the benchmarks.
- ``cli/``: the ``seatsim`` commands, the only code that prints, exits, seeds generators
  and chooses where files go.

``import simulate`` imports neither matplotlib nor typer (nor, until a name is used, numpy).
"""

from typing import TYPE_CHECKING

_HOMES = {
    "Allocation": "simulate.allocation",
    "BatchAllocation": "simulate.batch",
    "ListResult": "simulate.allocation",
    "Tie": "simulate.allocation",
    "allocate": "simulate.allocation",
    "allocate_batch": "simulate.batch",
    "allocate_batch_detail": "simulate.batch",
    "Alliance": "simulate.alliance",
    "allocate_batch_allied": "simulate.alliances",
    "District": "simulate.district",
    "DistrictAllocation": "simulate.districts",
    "DistrictTie": "simulate.districts",
    "allocate_districts": "simulate.districts",
    "Election": "simulate.election",
    "Party": "simulate.election",
    "InfeasibleError": "simulate.errors",
    "InputError": "simulate.errors",
    "SeatsimError": "simulate.errors",
    "TieError": "simulate.errors",
    "METHOD_NAMES": "simulate.methods",
    "METHODS": "simulate.methods",
    "get_method": "simulate.methods",
    "MonteCarloSpec": "simulate.montecarlo",
    "Simulation": "simulate.montecarlo",
    "ThresholdVariation": "simulate.montecarlo",
    "run_montecarlo": "simulate.montecarlo",
    "Rules": "simulate.rules",
    "Scenario": "simulate.scenario",
    "ScenarioRun": "simulate.scenario",
    "run_scenario": "simulate.scenario",
    "Margins": "simulate.scenario.margins",
    "margins": "simulate.scenario.margins",
    "DistrictMargins": "simulate.scenario.margin_districts",
    "district_margins": "simulate.scenario.margin_districts",
}
"""Where each public name lives. They are imported when first used (``simulate.allocate``,
``from simulate import Rules``), so that ``import simulate`` itself is quick and a Ctrl-C
while the command line starts up reaches ``simulate.cli.main``, which answers it with one
line and exit code 130 rather than a traceback."""


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'simulate' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


if TYPE_CHECKING:  # the names as type checkers and editors see them
    from simulate.alliance import Alliance
    from simulate.alliances import allocate_batch_allied
    from simulate.allocation import Allocation, ListResult, Tie, allocate
    from simulate.batch import BatchAllocation, allocate_batch, allocate_batch_detail
    from simulate.district import District
    from simulate.districts import DistrictAllocation, DistrictTie, allocate_districts
    from simulate.election import Election, Party
    from simulate.errors import InfeasibleError, InputError, SeatsimError, TieError
    from simulate.methods import METHOD_NAMES, METHODS, get_method
    from simulate.montecarlo import MonteCarloSpec, Simulation, ThresholdVariation, run_montecarlo
    from simulate.rules import Rules
    from simulate.scenario import Scenario, ScenarioRun, run_scenario
    from simulate.scenario.margin_districts import DistrictMargins, district_margins
    from simulate.scenario.margins import Margins, margins

__version__ = "0.1.0"

__all__ = [
    "Alliance",
    "Allocation",
    "BatchAllocation",
    "District",
    "DistrictAllocation",
    "DistrictTie",
    "Election",
    "InfeasibleError",
    "InputError",
    "ListResult",
    "DistrictMargins",
    "Margins",
    "METHODS",
    "METHOD_NAMES",
    "MonteCarloSpec",
    "Party",
    "Rules",
    "Scenario",
    "ScenarioRun",
    "SeatsimError",
    "Simulation",
    "ThresholdVariation",
    "Tie",
    "TieError",
    "__version__",
    "allocate",
    "allocate_batch",
    "allocate_batch_allied",
    "allocate_batch_detail",
    "allocate_districts",
    "get_method",
    "district_margins",
    "margins",
    "run_montecarlo",
    "run_scenario",
]
