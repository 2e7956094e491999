"""Start-up and whole-process CPU: each command as a fresh process, its CPU time (user + system,
from `resource.getrusage(RUSAGE_CHILDREN)`, so other processes on a shared machine do not count),
median of RUNS, as a ratio to `python -c "import pydantic"` measured in the same run, the runs
interleaved so that a change in the machine's load touches every command alike. Each command runs once
untimed first, with PYTHONDONTWRITEBYTECODE cleared, so that ccmcheck's bytecode is cached as in an install.

    python benchmarks/startup.py [RUNS]
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).with_name("ccmcheck")
BASE = 'python -c "import pydantic"'
# (label, argv, target as a ratio to BASE, or None; or ("s", seconds) for an absolute CPU target)
COMMANDS: list[tuple[str, list[str], tuple[str, float] | None]] = [
    ("python -c pass", [sys.executable, "-c", "pass"], None),
    (BASE, [sys.executable, "-c", "import pydantic"], None),
    ('python -c "import ccmcheck"', [sys.executable, "-c", "import ccmcheck"], ("x", 1.5)),
    ("ccmcheck --version", [str(BIN), "--version"], ("x", 1.2)),
    ("ccmcheck --help", [str(BIN), "--help"], ("x", 1.2)),
    ("ccmcheck evaluate facts/2017 --format json", [str(BIN), "evaluate", "facts/2017", "--format", "json"], ("x", 5.0)),
    ("ccmcheck evaluate facts/2017", [str(BIN), "evaluate", "facts/2017"], None),
    ("ccmcheck history facts/2017", [str(BIN), "history", "facts/2017"], ("s", 1.5)),
]


# As a user's installed copy runs: with its modules' bytecode cached (pip writes it for an install; a session
# with PYTHONDONTWRITEBYTECODE set would otherwise compile every ccmcheck module from source on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cpu_of(argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(runs: int) -> None:
    times: dict[str, list[float]] = {label: [] for label, _, _ in COMMANDS}
    load = os.getloadavg()
    for _, argv, _ in COMMANDS:  # a first run of each, untimed: the bytecode written
        cpu_of(argv)
    for _ in range(runs):
        for label, argv, _ in COMMANDS:
            times[label].append(cpu_of(argv))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med[BASE]
    print(f"load average {load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; {os.cpu_count()} cores; "
          f"Python {sys.version.split()[0]}; median of {runs} runs, CPU time (user + system)")
    print("| command | CPU (s) | x import pydantic | target | verdict |\n|---|---:|---:|---|---|")
    for label, _, target in COMMANDS:
        ratio = med[label] / base
        if target is None:
            goal, ok = "", None
        elif target[0] == "x":
            goal, ok = f"<= {target[1]:g}x", ratio <= target[1]
        else:
            goal, ok = f"<= {target[1]:g} s", med[label] <= target[1]
        verdict = "" if ok is None else ("met" if ok else "**missed**")
        print(f"| `{label}` | {med[label]:.3f} | {ratio:.2f} | {goal} | {verdict} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
