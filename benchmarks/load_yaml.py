"""Loading facts/2017: `load_facts` against its floor, LibYAML + pydantic alone.

The floor parses every file with `yaml.CSafeLoader` carrying the project's resolvers
(dates stay text, only true/false are booleans) and validates the models, nothing else.
`load_facts` adds every check (duplicate keys after conversion, tags, regular files,
sources, ISO3 codes, names). The two are timed alternately in one process, in CPU time,
and the ratio of the medians is the figure (target: at most 2).

    PYTHONPATH=. python benchmarks/load_yaml.py [REPEATS]
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

from ccmcheck import yaml_io
from ccmcheck.facts.loader import load_facts
from ccmcheck.facts.model import Snapshot, StateFacts

FACTS = Path(__file__).resolve().parents[1] / "facts" / "2017"


class _Floor(yaml.CSafeLoader):  # type: ignore[misc]
    yaml_implicit_resolvers = yaml_io._FastLoader.yaml_implicit_resolvers


def floor() -> None:
    Snapshot.model_validate(yaml.load((FACTS / "snapshot.yaml").read_bytes(), Loader=_Floor))  # noqa: S506
    for f in sorted((FACTS / "states").glob("*.yaml")):
        StateFacts.model_validate(yaml.load(f.read_bytes(), Loader=_Floor))  # noqa: S506


def full() -> None:
    load_facts(FACTS)


def main(repeats: int) -> None:
    times: dict[str, list[float]] = {"floor": [], "load_facts": []}
    full(), floor()  # warm: imports, pydantic's first validations
    for _ in range(repeats):
        for name, fn in (("floor", floor), ("load_facts", full)):
            t = time.process_time()
            fn()
            times[name].append(time.process_time() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{k:11s} median {med[k] * 1000:7.1f} ms  min {min(v) * 1000:7.1f} ms  ({len(v)} runs, CPU time)")
    print(f"ratio load_facts / floor: {med['load_facts'] / med['floor']:.2f} (target <= 2)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
