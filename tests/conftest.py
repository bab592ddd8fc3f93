"""Shared pytest set-up: the ``slow`` marker (registered in pyproject.toml) runs only with
``--run-slow``; CI runs the small form of each statistical check."""

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run the long statistical checks marked slow",
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long statistical check: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
