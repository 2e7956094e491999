"""All the bundled rules on N synthetic States as of a date (issue 21: 2019-06-01, when every rule is in force):
CPU seconds, States per second and peak RSS of one `ccmcheck.evaluate`, each engine in a fresh process of its
own (facts built as `run.py` builds them, then one warm-up evaluation, then the timed one).

    python benchmarks/throughput.py [N] [DATE]      # default 2,000 States, 2019-06-01
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(n: int, day: date, engine: str) -> dict[str, float | int]:
    sys.path.insert(0, str(HERE))
    import run  # the generator and the measures of the full benchmark

    import ccmcheck
    fb, book = run.build_facts(n), ccmcheck.load_rules()
    loaded = run.rss_mb()
    ccmcheck.evaluate(fb, day, rules=book, engine=engine)  # warm-up: the durable-rules registration
    cpu = time.process_time()
    ev = ccmcheck.evaluate(fb, day, rules=book, engine=engine)
    cpu = time.process_time() - cpu
    return {"cpu": cpu, "findings": len(ev.findings), "rules": len(book.rules), "loaded_mb": loaded,
            "peak_mb": run.peak_mb()}


def main(n: int, day: date) -> None:
    print(f"{n:,} synthetic States, every bundled rule, as of {day}; load average {os.getloadavg()[0]:.2f}; "
          f"Python {sys.version.split()[0]}")
    print("| engine | CPU (s) | States/s (CPU) | findings | RSS with facts (MB) | peak RSS (MB) |\n"
          "|---|---:|---:|---:|---:|---:|")
    for engine in ("durable", "reference"):
        out = subprocess.run([sys.executable, __file__, "--child", str(n), day.isoformat(), engine],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        print(f"| {engine} | {r['cpu']:.2f} | {n / r['cpu']:,.0f} | {r['findings']:,} | {r['loaded_mb']:.0f} | "
              f"{r['peak_mb']:.0f} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(int(sys.argv[2]), date.fromisoformat(sys.argv[3]), sys.argv[4])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
             date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else date(2019, 6, 1))
