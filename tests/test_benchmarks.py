"""The benchmarks cannot rot: `benchmarks/run.py --check` runs every measurement, both reports
and every peer (Rego, zen-engine, plain Python) once on a few hundred States, and fails when a
benchmark breaks or any engine or peer gives other findings than ccmcheck. No timing is judged."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PEERS_MISSING = [m for m in ("regopy", "zen") if importlib.util.find_spec(m) is None]


@pytest.mark.slow
@pytest.mark.skipif(bool(PEERS_MISSING), reason=f"the peers need `pip install -e '.[bench]'` ({', '.join(PEERS_MISSING)} missing)")
def test_benchmark_check_runs_and_every_peer_agrees(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--check", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "peers: all agree with ccmcheck on" in done.stdout
    assert "durable and reference agree on 300 States" in done.stdout
    text = out.read_text(encoding="utf-8")
    for part in ("PEERS:BEGIN", "GoRules zen-engine", "OPA Rego", "plain Python", "**History.**", "RESULTS:BEGIN",
                 "### Against the targets", "### Profile"):
        assert part in text, part


@pytest.mark.slow
def test_throughput_and_startup_scripts_run() -> None:
    """The two scripts whose figures docs/performance.md records for issue 21 still run (a few States, one run)."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "throughput.py"), "40", "2019-06-01"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {line.split("|")[1].strip(): line.split("|")[4].strip() for line in done.stdout.splitlines()
            if line.startswith(("| durable", "| reference"))}
    assert set(rows) == {"durable", "reference"} and rows["durable"] == rows["reference"] != "0"  # same findings
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "startup.py"), "1"], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| `ccmcheck history facts/2017` |" in done.stdout
