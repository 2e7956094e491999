"""Shared test set-up.

Fixtures shared by test modules: `ccmcheck serve` on facts/2017, started once for the session
(tests/test_web_api.py and tests/test_web_browser.py both call it).

Slow tests (`@pytest.mark.slow`: the benchmark check, the longest property and schema runs)
run with `--slow` or when CI is set (.ci/run sets it); by default they are skipped, with that
reason shown, so the everyday run stays quick and nothing is dropped.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/rules", timeout=30) as r:
            return r.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


@pytest.fixture(scope="session")
def web_server() -> Iterator[str]:
    """The base URL of `ccmcheck serve facts/2017` on a free local port, as a person starts it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ccmcheck", "serve", "facts/2017", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while not _up(base):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"ccmcheck serve did not start: {proc.communicate()[1][-2000:]}")
        time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    assert "Traceback" not in err, err

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
