"""Shared pytest set-up.

- The tests mirror the package: ``engine/``, ``allocation/``, ``scenario/``, ``montecarlo/``,
  ``plots/``, ``cli/``; what spans layers (bad input, the docs, packaging) sits at the top.
- ``slow``: the long statistical runs, skipped unless ``--run-slow`` (CI runs their small
  form).
- ``e2e``: end-to-end runs of the commands (everything under ``cli/``, marked here, not in
  each file). ``python -m pytest -m "not e2e"`` runs the fast part alone.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KG2020 = ROOT / "seeds" / "kyrgyzstan-2020.toml"


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run the long statistical checks marked slow",
    )


def pytest_collection_modifyitems(config, items):
    cli = ROOT / "tests" / "cli"
    for item in items:
        if cli in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long statistical check: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def kg2020():
    """The Kyrgyz 2020 seed (preliminary CEC count; docs/elections.md), read once."""
    from simulate import Election

    return Election.load(KG2020)
