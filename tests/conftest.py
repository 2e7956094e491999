"""Fixtures shared by test modules: `ccmcheck serve` on facts/2017, started once for the session
(tests/test_web_api.py and tests/test_web_browser.py both call it)."""
from __future__ import annotations

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
