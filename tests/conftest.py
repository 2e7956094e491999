"""Slow tests (`@pytest.mark.slow`: the benchmark check, the longest property and schema runs)
run with `--slow` or when CI is set (.ci/run sets it); by default they are skipped, with that
reason shown, so the everyday run stays quick and nothing is dropped."""
from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI does)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes long; run with --slow or when CI is set")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: run with `pytest --slow` (CI runs it)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
