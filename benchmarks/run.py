"""Benchmarks for issue 4 (§4 memory, §5 speed): `python benchmarks/run.py [--quick]`.

Generates synthetic snapshot folders (119, 2,000 and 20,000 States) in a
temporary directory; loads each (timed) and evaluates it with both engines,
each measurement in a fresh subprocess so that its peak RSS is its own (the
evaluation runs validate the generator's mappings straight into a FactBase,
the objects `load_facts` would build, without paying for YAML again); runs 1,000 evaluations of facts/2017 in one process for RSS
growth; times the CLI against a bare import. Writes the numbers into
docs/performance.md between the RESULTS markers, keeping the prose around
them. `--quick` (a smoke run, under a minute on an idle machine) uses smaller
sizes and counts and writes to a temporary file unless `--out` is given.
`--check` is what CI runs (tests/test_benchmarks.py): every measurement, both
reports and every peer once on a few hundred States, in one process, failing
if anything breaks or any engine or peer disagrees, judging no timing.

ISO3 codes: up to 249 States get distinct codes from ccmcheck/facts/iso3166_alpha3.txt
and load through `load_facts`. Beyond that the 249 codes repeat (with
numbered names), since 26^3 = 17,576 three-letter codes could not give 20,000
States distinct ones anyway; such folders load through `load_snapshot`,
which does all `load_facts` does except the two checks that need distinct
codes. The engine does not mind: each State is its own session.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- RESULTS:BEGIN (written by benchmarks/run.py) -->", "<!-- RESULTS:END -->"
PEERS_BEGIN, PEERS_END = "<!-- PEERS:BEGIN (written by benchmarks/run.py) -->", "<!-- PEERS:END -->"
AS_OF = date(2025, 6, 30)
OPENED, CONVENTION_EIF = date(2008, 12, 3), date(2010, 8, 1)
SEED = 2008
AGREE_DATES = (date(2012, 1, 1), date(2019, 6, 1))  # besides AS_OF: every engine and peer must agree on these too
ENGINES = ("durable", "reference")

# The targets of issue 12 §2 for the five rules: ccmcheck durable at least as fast as each
# engine peer, and within this factor of the plain-Python floor.
TARGET_PEER_RATIO = 1.0
TARGET_FLOOR_FACTOR = {"durable": 25.0, "reference": 15.0}  # issue 21: the oracle within 15x, durable-rules within 25x

# The targets of issue 4 §5 and §4.
TARGET_SECONDS_20K = 15.0
TARGET_RATE = 1500.0
TARGET_LINEAR = 11.0
TARGET_PEAK_MB = 500.0
TARGET_CLI_RATIO = 1.5
TARGET_GROWTH_MB = 10.0


# --- synthetic snapshots -------------------------------------------------------------------------

def iso_codes() -> list[tuple[str, str]]:
    """(code, name) from the list the loader checks codes against."""
    lines = (ROOT / "ccmcheck" / "facts" / "iso3166_alpha3.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line and not line.startswith("#")]  # type: ignore[misc]


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def _eif(deposit: date) -> date:
    """Art. 17: first day of the sixth month after the deposit, not before 1 Aug 2010."""
    m = deposit.month + 6
    d = date(deposit.year + (m - 1) // 12, (m - 1) % 12 + 1, 1)
    return max(d, CONVENTION_EIF)


def _years(d: date, n: int) -> date:
    return d.replace(year=d.year + n, day=min(d.day, 28))


def _src(rng: random.Random) -> str:
    return f"synth#{rng.randint(1, 400)}"


def _event(rng: random.Random, due: date, earliest: date, p_done: float, p_open: float,
           partial: bool = False) -> dict[str, Any] | None:
    """A done (exact, `by` or `between`), not-done/partial or absent event around `due`."""
    r = rng.random()
    if r < p_done:
        late = rng.random() < 0.3
        on = max(due + timedelta(days=rng.randint(1, 500) if late else -rng.randint(0, 200)), earliest)
        form = rng.random()
        if form < 0.5:
            return {"status": "done", "on": on.isoformat(), "source": _src(rng)}
        if form < 0.85:
            return {"status": "done", "by": (on + timedelta(days=rng.randint(0, 180))).isoformat(), "source": _src(rng)}
        lo = max(on - timedelta(days=30), earliest)
        return {"status": "done", "between": [lo.isoformat(), (on + timedelta(days=30)).isoformat()],
                "source": _src(rng), "note": "submitted within the reporting period"}
    if r < p_done + p_open:
        checked = AS_OF if rng.random() < 0.7 else _day(rng, earliest, AS_OF)
        status = "partial" if partial and rng.random() < 0.3 else "not_done"
        return {"status": status, "checked_on": checked.isoformat(), "source": _src(rng)}
    return None


def _deposit_date(rng: random.Random) -> date:
    """Front-loaded like the real record: most deposits in the Convention's first years."""
    year = rng.choices(range(2008, 2025), weights=[4, 22, 20, 14, 8, 6, 5, 5, 4, 3, 3, 2, 2, 2, 2, 1, 1])[0]
    return _day(rng, max(OPENED, date(year, 1, 1)), date(year, 12, 31))



def _extension(rng: random.Random, eif: date, years: int, most: int) -> dict[str, Any]:
    """An extension decided a year before a `years`-year deadline, granting up to `most`
    more years; one in ten without a known new deadline."""
    ext: dict[str, Any] = {"decided_on": _years(eif, years - 1).isoformat(), "decided_by": "MSP", "source": _src(rng)}
    if rng.random() < 0.9:
        ext["new_deadline"] = _years(eif, years + rng.randint(1, most)).isoformat()
    return ext

def state_dict(i: int, code: str, name: str) -> dict[str, Any]:
    """One synthetic State, as the YAML loader would hand it to the model (dates as strings)."""
    rng = random.Random(SEED * 1_000_003 + i)
    st: dict[str, Any] = {"name": name, "iso3": code}
    kind = rng.random()
    if kind < 0.03:
        return st  # in the snapshot, nothing known yet
    signed = _day(rng, OPENED, date(2010, 7, 31)) if rng.random() < 0.8 else None
    if kind < 0.15:
        st["treaty"] = {"signature": {"on": (signed or OPENED).isoformat(), "source": "untc"}}
        return st
    deposit = max(_deposit_date(rng), signed or OPENED)
    treaty: dict[str, Any] = {"deposit": {"on": deposit.isoformat(), "source": "untc",
                                          "kind": "ratification" if signed else "accession"}}
    if signed:
        treaty["signature"] = {"on": signed.isoformat(), "source": "untc"}
    if rng.random() < 0.01:
        treaty["withdrawal"] = {"on": _day(rng, deposit + timedelta(days=400), date(2025, 3, 1)).isoformat(),
                                "source": "untc", "note": "Art. 20: effective six months after notice"}
    st["treaty"] = treaty
    eif = _eif(deposit)
    a7: dict[str, Any] = {}
    initial = _event(rng, eif + timedelta(days=180), deposit, 0.75, 0.15)
    if initial:
        a7["initial_report"] = initial
    annual = {}
    for year in range(eif.year, AS_OF.year):
        due = date(year + 1, 4, 30)
        rep = _event(rng, due, max(deposit, date(year + 1, 1, 1)), 0.65, 0.10)
        if rep:
            annual[year] = rep
    if annual:
        a7["annual_reports"] = annual
    if a7:
        st["article7"] = a7
    if rng.random() < 0.2:
        has = rng.random() < 0.75
        a3: dict[str, Any] = {"stockpile_at_eif": {"value": has, "source": _src(rng)}}
        if has:
            done = _event(rng, _years(eif, 8), eif, 0.6, 0.25)
            if done:
                a3["destruction_completed"] = done
            if rng.random() < 0.15:
                a3["extensions"] = [_extension(rng, eif, 8, 4)]
        st["article3"] = a3
    a4: dict[str, Any] = {}
    if rng.random() < 0.25:
        has = rng.random() < 0.6
        a4["contaminated_at_eif"] = {"value": has, "source": _src(rng)}
        if has:
            done = _event(rng, _years(eif, 10), eif, 0.3, 0.6)
            if done:
                a4["clearance_completed"] = done
            if rng.random() < 0.2:
                a4["extensions"] = [_extension(rng, eif, 10, 5)]
    if rng.random() < 0.03:
        a4["new_contamination"] = [{"hostilities_ended": _day(rng, date(2012, 1, 1), date(2024, 12, 31)).isoformat(),
                                    "source": _src(rng)}]
    if a4:
        st["article4"] = a4
    if rng.random() < 0.35:
        victims = rng.random() < 0.45
        a5: dict[str, Any] = {"victims": {"value": victims, "source": _src(rng)}}
        if victims:
            for key, due in (("va_focal_point", date(2016, 12, 31)), ("national_plan", date(2018, 12, 31))):
                ev = _event(rng, max(due, eif), eif, 0.6, 0.3, partial=True)
                if ev:
                    a5[key] = ev
        st["article5"] = a5
    if rng.random() < 0.4:
        value = rng.choice(["adopted", "existing_sufficient", "in_progress", "none"])
        st["article9"] = {"legislation": {"value": value, "source": _src(rng)}}
    reported = _reported(rng, st, deposit)
    if reported:
        st["reported"] = reported
    return st


INDICATOR_ARTICLE = {  # indicators only a State bound by that article reports on; the rest are for every State
    **dict.fromkeys(["stockpile_progress", "completion_date_update", "destruction_plan_in_place", "destruction_plan_in_development",
                     "destruction_plan_assistance", "destruction_standards", "no_retention_after_completion", "retention",
                     "retention_use_update"], "article3"),
    **dict.fromkeys(["contamination_extent", "clearance_progress", "land_release_other_methods", "new_contaminated_areas",
                     "risk_education_or_marking", "clearance_national_resources", "community_inclusion"], "article4"),
    **dict.fromkeys(["new_victims", "va_integrated_disability", "victims_involved", "va_data_collection",
                     "va_data_collection_challenges", "va_plan_information", "va_challenges", "va_regulation_improvements",
                     "va_temporary_focal_point", "va_feedback"], "article5"),
}


def _reported(rng: random.Random, st: dict[str, Any], deposit: date) -> dict[int, dict[str, Any]]:
    """What the State's Article 7 reports for the last two years said, indicator by indicator:
    those of the articles that bind it (stockpiles, contamination, victims) and the general ones."""
    from ccmcheck.facts.indicators import INDICATORS

    binds = {"article3": st.get("article3", {}).get("stockpile_at_eif", {}).get("value", False),
             "article4": st.get("article4", {}).get("contaminated_at_eif", {}).get("value", False),
             "article5": st.get("article5", {}).get("victims", {}).get("value", False)}
    relevant = [name for name in INDICATORS if binds.get(INDICATOR_ARTICLE.get(name, ""), True)]
    out: dict[int, dict[str, Any]] = {}
    for year in (AS_OF.year - 2, AS_OF.year - 1):
        if rng.random() > 0.6 or date(year + 1, 1, 1) <= deposit:
            continue
        block: dict[str, Any] = {}
        for name in relevant:
            r = rng.random()
            if r < 0.5:
                block[name] = {"status": "done", "by": _day(rng, date(year + 1, 3, 1), date(year + 1, 6, 30)).isoformat(),
                               "source": _src(rng)}
            elif r < 0.7:
                block[name] = {"status": "not_done", "checked_on": min(date(year + 1, 6, 30), AS_OF).isoformat(),
                               "source": _src(rng)}
        if block:
            out[year] = block
    return out


def snapshot_dict(n: int) -> dict[str, Any]:
    return {
        "title": f"Synthetic benchmark snapshot, {n} States",
        "as_of": AS_OF.isoformat(),
        "period": {"start": "2024-07-01", "end": AS_OF.isoformat()},
        "sources": {"untc": {"title": "Synthetic depositary record", "where": "benchmarks/run.py"},
                    "synth": {"title": "Synthetic implementation data", "where": "benchmarks/run.py"}},
        "convention": {"opened_for_signature": {"on": OPENED.isoformat(), "source": "synth#15"},
                       "entry_into_force": {"on": CONVENTION_EIF.isoformat(), "source": "synth#17"}},
    }


def states(n: int) -> Iterator[dict[str, Any]]:
    """n States, one at a time. Up to 249, distinct real codes; beyond, the 249 codes again with
    numbered names (26^3 = 17,576 three-letter codes could not cover 20,000 States anyway)."""
    codes = iso_codes()
    if n <= len(codes):
        picked = sorted(random.Random(SEED).sample(range(len(codes)), n))
        return (state_dict(i, *codes[i]) for i in picked)
    return (state_dict(i, codes[i % len(codes)][0], f"{codes[i % len(codes)][1]} {i // len(codes) + 1}")
            for i in range(n))


def write_snapshot(root: Path, n: int) -> Path:
    folder = root / f"synthetic-{n}"
    (folder / "states").mkdir(parents=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (folder / "snapshot.yaml").write_text(yaml.dump(snapshot_dict(n), Dumper=dumper, sort_keys=False), encoding="utf-8")
    for i, st in enumerate(states(n)):
        text = yaml.dump(st, Dumper=dumper, sort_keys=False, default_flow_style=None, allow_unicode=True, width=200)
        (folder / "states" / f"{i:05d}-{st['iso3'].lower()}.yaml").write_text(text, encoding="utf-8")
    return folder


def build_facts(n: int):
    """The FactBase of `write_snapshot(..., n)` without the YAML: the same mappings validated into
    the same models. (A pickled FactBase would do too, but unpickled models take half as much
    memory again as validated ones, which would inflate the peaks measured.)"""
    from ccmcheck.facts.loader import FactBase
    from ccmcheck.facts.model import Snapshot, StateFacts
    from ccmcheck.facts.names import NameIndex

    out = sorted((StateFacts.model_validate(d) for d in states(n)), key=lambda s: s.name)
    return FactBase(Path(f"synthetic-{n}"), Snapshot.model_validate(snapshot_dict(n)), tuple(out),
                    {f"{s.iso3}:{i}": Path(f"{i:05d}.yaml") for i, s in enumerate(out)}, NameIndex(out))


def load_snapshot(folder: Path):
    """`load_facts` where the ISO3 codes are unique; otherwise the same reading, model validation
    and per-State checks (sources, dates, codes in the list), without only the two cross-file checks
    that need unique codes (one file per code, no clashing names)."""
    from ccmcheck import load_facts
    from ccmcheck.errors import InputError
    from ccmcheck.facts import loader as fl
    from ccmcheck.facts.model import Snapshot, StateFacts
    from ccmcheck.facts.names import NameIndex

    files = sorted((folder / "states").glob("*.yaml"))
    if len(files) <= len(iso_codes()):
        return load_facts(folder)
    snap = Snapshot.model_validate(fl._mapping(folder / "snapshot.yaml", ""))
    out, problems = [], []
    for f in files:
        data = fl._mapping(f, f.stem)
        st = StateFacts.model_validate(data)
        problems += fl._check_state(f, st, data, snap)
        out.append(st)
    if problems:
        raise InputError(problems)
    out.sort(key=lambda s: s.name)
    return fl.FactBase(folder, snap, tuple(out), {f"{s.iso3}:{i}": f for i, (s, f) in enumerate(zip(out, files))},
                       NameIndex(out))


# --- measurements, each run in a fresh interpreter ---------------------------------------------------

def rss_mb() -> float:
    """Current resident set size (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rules(rules: str):
    import ccmcheck
    return ccmcheck.load_rules(None if rules == "-" else rules)


def child_load(folder: str) -> dict[str, Any]:
    import ccmcheck  # noqa: F401  (importing is not loading)
    wall, cpu = time.perf_counter(), time.process_time()
    fb = load_snapshot(Path(folder))
    return {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "states": len(fb.states),
            "peak_mb": peak_mb()}


def child_eval(n: int, engine: str, reps: int, rules: str) -> dict[str, Any]:
    """Evaluate n States `reps` times; the fastest run counts (the first included)."""
    import ccmcheck
    fb, book = build_facts(n), _rules(rules)
    gc.collect()
    loaded = rss_mb()
    runs, n = [], 0
    for _ in range(reps):
        wall, cpu = time.perf_counter(), time.process_time()
        ev = ccmcheck.evaluate(fb, rules=book, engine=engine)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
        n = len(ev.findings)
        del ev
    best = min(runs)
    return {"seconds": best[0], "cpu": best[1], "runs": runs, "states": len(fb.states), "findings": n,
            "rss_loaded_mb": loaded, "peak_mb": peak_mb()}


def child_repeat(engine: str, count: int, rules: str) -> dict[str, Any]:
    """facts/2017 evaluated `count` times in one process: RSS after the first and at the end."""
    import ccmcheck
    fb, book = ccmcheck.load_facts(ROOT / "facts" / "2017"), _rules(rules)
    ccmcheck.evaluate(fb, rules=book, engine=engine)
    gc.collect()
    first = rss_mb()
    trace, wall = [(1, first)], time.perf_counter()
    for i in range(2, count + 1):
        ccmcheck.evaluate(fb, rules=book, engine=engine)
        if i % max(count // 10, 1) == 0:
            trace.append((i, rss_mb()))
    each = (time.perf_counter() - wall) / max(count - 1, 1)
    gc.collect()
    last = rss_mb()
    return {"count": count, "rss_first_mb": first, "rss_last_mb": last, "growth_mb": last - first,
            "trace": trace, "seconds_each": each, "peak_mb": peak_mb()}


def child_phases(engine: str, rules: str) -> dict[str, Any]:
    """Where the CLI's time goes, phase by phase, in one process."""
    t0 = time.perf_counter()
    import ccmcheck
    from ccmcheck.outputs import render
    t1 = time.perf_counter()
    fb = ccmcheck.load_facts(ROOT / "facts" / "2017")
    t2 = time.perf_counter()
    book = _rules(rules)
    t3 = time.perf_counter()
    ev = ccmcheck.evaluate(fb, rules=book, engine=engine)
    t4 = time.perf_counter()
    render.evaluation(ev, "table")
    t5 = time.perf_counter()
    return {"import ccmcheck": t1 - t0, "load facts/2017": t2 - t1, "load rules": t3 - t2, "evaluate": t4 - t3,
            "render table": t5 - t4}


def child_profile(n: int, engine: str, top: int, rules: str) -> dict[str, Any]:
    """cProfile of one evaluation (after a first one, so registration is out of the way)."""
    import ccmcheck
    fb, book = build_facts(n), _rules(rules)
    ccmcheck.evaluate(fb, rules=book, engine=engine)
    prof = cProfile.Profile()
    prof.runcall(ccmcheck.evaluate, fb, rules=book, engine=engine)
    st = pstats.Stats(prof)
    rows = [(tt, ct, nc, f"{_short(file)}:{line}({func})")
            for (file, line, func), (_cc, nc, tt, ct, _callers) in st.stats.items()]  # type: ignore[attr-defined]
    rows.sort(reverse=True)
    return {"total": st.total_tt, "states": len(fb.states), "rows": rows[:top]}  # type: ignore[attr-defined]


PEER_LABELS = {  # name: what runs
    "durable": "ccmcheck, durable-rules",
    "reference": "ccmcheck, reference matcher",
    "rego": "OPA Rego (regopy), policy compiled once, one query per State",
    "zen": "GoRules zen-engine, a function-node decision, one evaluation per 50 States",
    "floor": "plain Python function, no engine (the floor)",
}


def child_peers(n: int, reps: int) -> dict[str, Any]:
    """The five rules on n States in every peer: first each must agree with ccmcheck (durable) on
    every finding's status and due date; then all are timed, `reps` rounds, the order rotating
    each round; the best CPU time of each counts."""
    import shutil

    import ccmcheck
    from peers import common, floor, rego, zen_peer

    fb = build_facts(n)
    folder = common.five_rules_folder()
    try:
        book = ccmcheck.load_rules(folder)
    finally:
        shutil.rmtree(folder)
    as_of = fb.snapshot.as_of
    rego_peer, zen = rego.RegoPeer(), zen_peer.ZenPeer()
    run: dict[str, Callable[[], common.Findings]] = {
        "durable": lambda: common.ccmcheck_findings(fb, book, "durable"),
        "reference": lambda: common.ccmcheck_findings(fb, book, "reference"),
        "rego": lambda: rego_peer.findings(fb, as_of),
        "zen": lambda: zen.findings(fb, as_of),
        "floor": lambda: floor.findings(fb, as_of),
    }
    want = run["durable"]()
    wrong = [line for name, f in run.items() if name != "durable" for line in common.disagreements(name, f(), want)]
    for when in AGREE_DATES:  # and on dates when other rules and windows are in play
        ref = common.ccmcheck_findings(fb, book, "durable", when)
        wrong += [line for name, got in (("reference", common.ccmcheck_findings(fb, book, "reference", when)),
                                         ("rego", rego_peer.findings(fb, when)), ("zen", zen.findings(fb, when)),
                                         ("floor", floor.findings(fb, when)))
                  for line in common.disagreements(f"{name} on {when}", got, ref)]
    if wrong:
        raise SystemExit(f"{len(wrong)} findings differ from ccmcheck's; not timing:\n" + "\n".join(wrong[:20]))
    names, cpu = list(run), {name: [] for name in run}
    for i in range(reps):
        for name in names[i % len(names):] + names[:i % len(names)]:
            gc.collect()
            t = time.process_time()
            run[name]()
            cpu[name].append(time.process_time() - t)
    return {"states": len(fb.states), "findings": len(want), "rules": len(book.rules), "reps": reps,
            "cpu": {name: min(times) for name, times in cpu.items()}, "runs": cpu}


HISTORY_RANGE = (date(2010, 8, 1), date(2026, 11, 1))
TARGET_HISTORY_CPU = 2.0


def child_history(engine: str, reps: int = 2, start: str = HISTORY_RANGE[0].isoformat(),
                  end: str = HISTORY_RANGE[1].isoformat()) -> dict[str, Any]:
    """`ccmcheck.history` over facts/2017, every State and rule, HISTORY_RANGE: CPU of the call
    (facts and rules loaded, and the matcher registered, beforehand), best of `reps`."""
    import ccmcheck
    from ccmcheck.engine import history as hist

    fb, book = ccmcheck.load_facts(ROOT / "facts" / "2017"), ccmcheck.load_rules()
    ccmcheck.evaluate(fb, rules=book, engine=engine, states=[fb.states[0].iso3])  # registration out of the way
    runs = []
    calls = {"matches": 0}
    matches = hist.state_matches

    def counted(*args: Any) -> Any:
        calls["matches"] += 1
        return matches(*args)

    hist.state_matches = counted  # type: ignore[assignment]
    for _ in range(reps):
        calls["matches"] = 0
        t = time.process_time()
        h = ccmcheck.history(fb, rules=book, engine=engine, start=date.fromisoformat(start), end=date.fromisoformat(end))
        runs.append(time.process_time() - t)
    t = time.process_time()
    ccmcheck.evaluate(fb, rules=book, engine=engine)
    one = time.process_time() - t
    hist.state_matches = matches  # type: ignore[assignment]
    return {"cpu": min(runs), "runs": runs, "start": start, "end": end, "tracks": len(h.tracks), "intervals": sum(len(x.intervals) for x in h.tracks),
            "matcher_runs": calls["matches"], "states": len(fb.states), "evaluate_cpu": one}


def _short(file: str) -> str:
    """A profiled function's file, without the interpreter's or the venv's prefix."""
    for marker in ("/site-packages/", f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/", str(ROOT) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "load": child_load, "eval": child_eval, "repeat": child_repeat, "phases": child_phases, "profile": child_profile,
    "peers": child_peers, "history": child_history,
}


IN_PROCESS = False  # --check: every measurement in this process (quicker; its peaks are not its own)


def run_child(kind: str, *args: object) -> dict[str, Any]:
    """One measurement in a fresh interpreter; its result is the last line it prints."""
    if IN_PROCESS:
        return json.loads(json.dumps(CHILDREN[kind](*(int(x) if str(x).isdigit() else str(x) for x in args))))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *map(str, args)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {kind} {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_wall(cmd: list[str], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("ccmcheck")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ccmcheck"]


# --- the report --------------------------------------------------------------------------------

def machine(rules: str) -> list[tuple[str, str]]:
    from importlib.metadata import version
    info = {k.strip(): v.strip() for k, _, v in
            (line.partition(":") for line in Path("/proc/cpuinfo").read_text().splitlines()) if k.strip()}
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:"))
    book = _rules(rules)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    local = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "ccmcheck", "rules"]).returncode
    return [("CPU", info.get("model name", "unknown")), ("cores", str(os.cpu_count())), ("memory", f"{mem / 1024 / 1024:.1f} GiB"),
            ("OS", f"{platform.system()} {platform.release()}"),
            ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
            ("durable-rules", version("durable-rules")), ("pydantic", version("pydantic")),
            ("PyYAML", f"{version('PyYAML')} (LibYAML {'built in' if getattr(yaml, '__with_libyaml__', False) else 'absent'}"
                       ", not used by the loader)"),
            ("rules", f"{len(book.rules)} rules, {len(book.plan.patterns)} patterns, {book.plan.stages} stages ({book.path})"),
            ("code", f"{head or 'unknown'}{' with local changes to ccmcheck/ or rules/' if local else ''} ({ROOT})"),
            ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg()))]


def md_table(header: list[str], rows: list[list[object]]) -> str:
    """Columns of numbers right-aligned, the others left."""
    numeric = [bool(rows) and all(str(r[i]).lstrip("+-").replace(",", "").replace(".", "", 1).isdigit() for r in rows)
               for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(r: dict[str, Any], quick: bool) -> str:
    out = [BEGIN, "",
           f"Measured {r['when']} by `python benchmarks/run.py{' --quick' if quick else ''}` ({r['wall']:.0f} s in all)."
           + (" A quick smoke run: smaller sizes and counts." if quick else ""),
           f"Load average at the end: {r['load_end']}. Wall times count while other processes compete for the "
           "cores; CPU times (`time.process_time`) do not, and are what an idle machine's wall time would be.", "",
           "### Machine", "", md_table(["", ""], [list(x) for x in r["machine"]]), ""]

    out += ["### Loading synthetic snapshots", "",
            "Reading, parsing and validating the snapshot folder, timed in a fresh process after `import ccmcheck`.", "",
            md_table(["States", "on disk", "load wall (s)", "load CPU (s)", "States/s (CPU)", "peak RSS (MB)"],
                     [[f"{n:,}", f"{x['bytes'] / 1e6:.1f} MB", f"{x['seconds']:.2f}", f"{x['cpu']:.2f}",
                       f"{x['states'] / x['cpu']:,.0f}", f"{x['peak_mb']:.0f}"] for n, x in r["load"].items()]), ""]

    rows = []
    for n, by_engine in r["eval"].items():
        for engine, x in by_engine.items():
            rows.append([f"{n:,}", engine, f"{x['seconds']:.2f}", f"{x['cpu']:.2f}", f"{x['states'] / x['cpu']:,.0f}",
                         f"{x['findings']:,}", f"{x['rss_loaded_mb']:.0f}", f"{x['peak_mb']:.0f}"])
    out += ["### Evaluating synthetic snapshots (all rules)", "",
            "`ccmcheck.evaluate(facts, rules=book, engine=...)` on the same States, validated into a FactBase beforehand "
            "(as `load_facts` builds it, without the YAML), "
            "in a fresh process per row; the best of the repetitions (the first included, with the durable-rules "
            "registration). Peak RSS is the whole process's: interpreter, facts, rules, findings.", "",
            md_table(["States", "engine", "wall (s)", "CPU (s)", "States/s (CPU)", "findings", "RSS with facts loaded (MB)",
                      "peak RSS (MB)"], rows), ""]

    out += ["### 1,000 evaluations in one process (facts/2017)", "",
            "Facts and rules loaded once, then `evaluate(fb, rules=book)` again and again; RSS (VmRSS, after "
            "`gc.collect()`) from after the first evaluation to the end.", "",
            md_table(["engine", "evaluations", "per evaluation, wall (ms)", "RSS after the 1st (MB)", "RSS at the end (MB)",
                      "growth (MB)"],
                     [[e, f"{x['count']:,}", f"{x['seconds_each'] * 1000:.0f}", f"{x['rss_first_mb']:.1f}",
                       f"{x['rss_last_mb']:.1f}", f"{x['growth_mb']:+.2f}"] for e, x in r["repeat"].items()]), ""]
    out += [f"RSS trace, {e} (evaluation: MB): " + ", ".join(f"{i}: {m:.1f}" for i, m in x["trace"]) + "\n"
            for e, x in r["repeat"].items()]

    c = r["cli"]
    out += ["### End to end: the CLI against a bare import", "",
            f"Wall time of a fresh process, median of {c['runs']} runs each, output discarded.", "",
            md_table(["command", "median (s)", "runs (s)"],
                     [[f"`{k}`", f"{v[0]:.3f}", ", ".join(f"{t:.2f}" for t in v[1])] for k, v in c["times"].items()]), "",
            "Where the CLI's time goes, measured inside one process (`--engine durable`, table output):", "",
            md_table(["phase", "seconds"], [[k, f"{v:.3f}"] for k, v in c["phases"].items()]), ""]

    p = r["profile"]
    out += [f"### Profile: durable-rules evaluation of {p['states']:,} States (cProfile, top {len(p['rows'])} by own time)",
            "", f"Total under the profiler: {p['total']:.2f} s (it slows Python code down more than C code).", "",
            md_table(["own (s)", "cumulative (s)", "calls", "function"],
                     [[f"{tt:.3f}", f"{ct:.3f}", f"{nc:,}", f"`{fn}`"] for tt, ct, nc, fn in p["rows"]]), ""]

    out += ["### Against the targets", "", md_table(["target", "measured", "verdict"], targets(r)), "", END]
    return "\n".join(out)


def history_report(hs: dict[str, dict[str, Any]]) -> str:
    rows = [[e, f"{x['cpu']:.2f}", ", ".join(f"{t:.2f}" for t in x["runs"]), f"{x['matcher_runs']:,}",
             f"{x['intervals']:,}", f"{x['evaluate_cpu']:.2f}", verdict(x["cpu"] <= TARGET_HISTORY_CPU)] for e, x in hs.items()]
    x = next(iter(hs.values()))
    return "\n".join([
        "", f"**History.** `ccmcheck.history(facts/2017, start={x['start']}, end={x['end']})`: "
        f"{x['states']} States, every rule, {x['tracks']:,} tracks; CPU of the call, best of {len(x['runs'])}, facts "
        "and rules loaded beforehand. For scale, one `evaluate` of the same snapshot on one date. Target: at most "
        f"{TARGET_HISTORY_CPU:g} s CPU.", "",
        md_table(["engine", "CPU (s)", "runs (s)", "matcher runs (State, day)", "intervals", "one evaluate, CPU (s)",
                  f"<= {TARGET_HISTORY_CPU:g} s"], rows)])


def peers_report(p: dict[str, Any], when: str, command: str, conditions: str) -> str:
    """The peers table: States/s (CPU) and the ratio to ccmcheck durable, and the targets."""
    rate = {name: p["states"] / cpu for name, cpu in p["cpu"].items()}
    base = rate["durable"]
    rows = [[PEER_LABELS[name], f"{p['cpu'][name]:.3f}", f"{rate[name]:,.0f}", f"{rate[name] / base:.2f}"]
            for name in sorted(rate, key=lambda k: list(PEER_LABELS).index(k))]
    checks = [[f"ccmcheck durable at least {TARGET_PEER_RATIO:g}x {PEER_LABELS[k].split(',')[0]}",
               f"{base / rate[k]:.2f}x", verdict(base / rate[k] >= TARGET_PEER_RATIO)] for k in ("zen", "rego")]
    for engine, most in TARGET_FLOOR_FACTOR.items():
        floor = rate["floor"] / rate[engine]
        checks.append([f"ccmcheck {engine} within {most:g}x the plain-Python floor", f"the floor is {floor:.1f}x faster",
                       verdict(floor <= most)])
    return "\n".join([
        PEERS_BEGIN, "",
        f"Measured {when} by `{command}`: {p['states']:,} synthetic States (the generator above), the five rules "
        f"({p['rules']} rule files: entry into force, initial report, annual report, stockpile destruction, clearance), "
        f"{p['findings']:,} findings. Before timing, every peer's findings (status and due date) were checked "
        "equal to ccmcheck's, finding by finding. Then "
        f"{p['reps']} rounds, each peer once per round, the order rotating; the best CPU time (`time.process_time`) "
        f"of each. {conditions}", "",
        md_table(["engine", "CPU (s)", "States/s (CPU)", "vs ccmcheck durable"], rows), "",
        md_table(["target", "measured", "verdict"], checks), "",
        "CPU of each round (s): " + "; ".join(f"{k} " + ", ".join(f"{t:.2f}" for t in v) for k, v in p["runs"].items()),
        history_report(p["history"]), "", PEERS_END])


def targets(r: dict[str, Any]) -> list[list[str]]:
    """Each target of issue 4, scaled to the sizes measured (a --quick run's are smaller)."""
    sizes = sorted(r["eval"])
    big, mid = sizes[-1], sizes[-2]
    d = r["eval"][big]["durable"]
    limit = TARGET_SECONDS_20K * big / 20_000
    rows = [[f"{big:,} States, all rules, durable-rules, in at most {limit:g} s (>= {TARGET_RATE:,.0f} States/s)",
             f"wall {d['seconds']:.1f} s, CPU {d['cpu']:.1f} s = {d['states'] / d['cpu']:,.0f} States/s, "
             f"{d['cpu'] / limit:.1f}x the limit (with loading: {d['cpu'] + r['load'][big]['cpu']:.0f} s CPU)",
             verdict(d["cpu"] <= limit)]]
    allowed = TARGET_LINEAR * big / mid / 10
    for engine in ENGINES:
        ratio = r["eval"][big][engine]["cpu"] / r["eval"][mid][engine]["cpu"]
        rows.append([f"linear: {big:,} States in at most {allowed:.1f}x the time of {mid:,} ({engine})",
                     f"{ratio:.2f}x (CPU)", verdict(ratio <= allowed)])
    worst = max((x["peak_mb"], f"{n:,} States, {e}") for n, by in r["eval"].items() for e, x in by.items())
    rows.append([f"peak memory at most {TARGET_PEAK_MB:.0f} MB", f"{worst[0]:.0f} MB ({worst[1]})", verdict(worst[0] <= TARGET_PEAK_MB)])
    c = r["cli"]["times"]
    cli, imp = c[CLI_LABEL][0], c[IMPORT_LABEL][0]
    rows.append([f"CLI on facts/2017 in at most {TARGET_CLI_RATIO}x the bare import", f"{cli / imp:.2f}x ({cli:.2f} s against {imp:.2f} s)",
                 verdict(cli / imp <= TARGET_CLI_RATIO)])
    for e, x in r["repeat"].items():
        rows.append([f"{x['count']:,} evaluations grow RSS by < {TARGET_GROWTH_MB:.0f} MB ({e})", f"{x['growth_mb']:+.2f} MB",
                     verdict(x["growth_mb"] < TARGET_GROWTH_MB)])
    return rows


def write_doc(path: Path, section: str, begin: str = BEGIN, end: str = END) -> None:
    """Replace the section between `begin` and `end`, keeping what is written around it."""
    old = path.read_text(encoding="utf-8") if path.is_file() else f"# Performance\n\n{begin}\n{end}\n"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + section + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


CLI_LABEL, IMPORT_LABEL = "ccmcheck evaluate facts/2017", 'python -c "import ccmcheck"'


def child_agree(n: int, rules: str) -> dict[str, Any]:
    """durable-rules and the reference matcher on n States, every rule, on AS_OF and AGREE_DATES:
    the same findings, field by field, or the run stops."""
    import ccmcheck
    fb, book = build_facts(n), _rules(rules)
    counted = {}
    for when in (AS_OF, *AGREE_DATES):
        got = {e: [f.model_dump(mode="json") for f in ccmcheck.evaluate(fb, when, rules=book, engine=e).findings]
               for e in ENGINES}
        if got["durable"] != got["reference"]:
            diff = next(f"{a} != {b}" for a, b in zip(got["durable"], got["reference"]) if a != b) \
                if len(got["durable"]) == len(got["reference"]) else f"{len(got['durable'])} != {len(got['reference'])} findings"
            raise SystemExit(f"durable and reference differ on {n} States as of {when}: {diff}")
        counted[when.isoformat()] = len(got["durable"])
    return {"states": n, "findings": counted}


CHILDREN["agree"] = child_agree


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run (under a minute): 119 and 300 States, fewer repetitions")
    ap.add_argument("--check", action="store_true",
                    help="CI's mode: every measurement, peer and report once on a few hundred States, in this process; "
                         "fails if a benchmark breaks or an engine or peer disagrees; asserts no timing")
    ap.add_argument("--rules", default="-", metavar="DIR", help="rules folder (default: the bundled rules)")
    ap.add_argument("--out", type=Path, help="report file (default: docs/performance.md; with --quick or --check, a temporary file)")
    ap.add_argument("--peers", action="store_true",
                    help="only the five rules against the peers (needs `pip install -e '.[bench]'`): 20,000 States (--quick: 300)")
    ap.add_argument("--peers-states", type=int, metavar="N", help="with --peers: this many States")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, *args = a.child
        print(json.dumps(CHILDREN[kind](*(int(x) if x.isdigit() else x for x in args))))
        return
    if a.check:
        global IN_PROCESS
        IN_PROCESS = a.quick = True
    out = a.out or (Path(tempfile.gettempdir()) / f"ccmcheck-performance-{os.getpid()}.md" if a.quick else DOC)
    peers_at, peer_reps = (300, 1 if a.check else 2) if a.quick else (20_000, 3)
    peers_at = a.peers_states or peers_at
    if a.peers or a.check:
        print(f"peers: the five rules on {peers_at:,} States", flush=True)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        p = run_child("peers", peers_at, peer_reps)
        span = ("2016-07-01", "2017-06-30") if a.check else ()
        p["history"] = {e: run_child("history", e, 1 if a.check else 2, *span) for e in ENGINES}
        conditions = (f"Load average {load} at the start and {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end "
                      f"(the machine's {os.cpu_count()} cores shared); Python {platform.python_version()}.")
        write_doc(out, peers_report(p, time.strftime("%Y-%m-%d %H:%M %Z"),
                                    f"python benchmarks/run.py --peers{' --quick' if a.quick else ''}"
                                    + (f" --peers-states {a.peers_states}" if a.peers_states else ""), conditions),
                  PEERS_BEGIN, PEERS_END)
        print(f"peers: all agree with ccmcheck on {p['findings']:,} findings ({p['states']:,} States) on {AS_OF} and "
              + ", ".join(map(str, AGREE_DATES)), json.dumps(p["cpu"]), flush=True)
        if not a.check:
            print(f"wrote {out}")
            return

    started = time.perf_counter()
    sizes = (119, 300) if a.quick else (119, 2_000, 20_000)
    reps = {119: 1 if a.check else 2, 300: 1} if a.quick else {119: 5, 2_000: 3, 20_000: 1}
    repeat_count, cli_runs = (2, 1) if a.check else (20, 3) if a.quick else (1_000, 9)
    r: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(a.rules), "load": {}, "eval": {}}
    with tempfile.TemporaryDirectory(prefix="ccmcheck-bench-") as tmp:
        for n in sizes:
            t = time.perf_counter()
            folder = write_snapshot(Path(tmp), n)
            size = sum(f.stat().st_size for f in folder.rglob("*.yaml"))
            print(f"{n:>6,} States: written in {time.perf_counter() - t:.1f} s ({size / 1e6:.1f} MB)", flush=True)
            r["load"][n] = x = {**run_child("load", folder), "bytes": size}
            print(f"{n:>6,} States: loaded in {x['seconds']:.1f} s ({x['cpu']:.1f} s CPU)", flush=True)
            r["eval"][n] = {}
            for engine in ENGINES:
                r["eval"][n][engine] = x = run_child("eval", n, engine, reps[n], a.rules)
                print(f"{n:>6,} States: {engine:9} {x['seconds']:.2f} s ({x['cpu']:.2f} s CPU, "
                      f"{x['states'] / x['cpu']:,.0f} States/s), peak {x['peak_mb']:.0f} MB", flush=True)
    if a.check:
        x = run_child("agree", sizes[-1], a.rules)
        print(f"durable and reference agree on {sizes[-1]} States, every rule: findings by date {x['findings']}", flush=True)
    r["profile"] = run_child("profile", sizes[1], "durable", 5 if a.check else 15, a.rules)
    r["repeat"] = {}
    for engine in ENGINES:
        r["repeat"][engine] = x = run_child("repeat", engine, repeat_count, a.rules)
        print(f"{repeat_count:,} evaluations ({engine}): RSS {x['growth_mb']:+.2f} MB", flush=True)
    rules_arg = [] if a.rules == "-" else ["--rules", a.rules]
    times = {"python -c pass": median_wall([sys.executable, "-c", "pass"], cli_runs),
             IMPORT_LABEL: median_wall([sys.executable, "-c", "import ccmcheck"], cli_runs),
             CLI_LABEL: median_wall(cli_command() + ["evaluate", "facts/2017", *rules_arg], cli_runs),
             CLI_LABEL + " --engine reference": median_wall(cli_command() + ["evaluate", "facts/2017", "--engine", "reference",
                                                                              *rules_arg], cli_runs)}
    r["cli"] = {"runs": cli_runs, "times": times, "phases": run_child("phases", "durable", a.rules)}
    print(f"CLI {times[CLI_LABEL][0]:.2f} s, import {times[IMPORT_LABEL][0]:.2f} s", flush=True)
    r["wall"] = time.perf_counter() - started
    r["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    write_doc(out, report(r, a.quick))
    if a.check:  # timings of a check say nothing: shown, not judged
        print(f"check: every benchmark ran and every engine and peer agreed; report in {out}")
        return
    print("\n".join(f"{row[0]}: {row[1]} -> {row[2]}" for row in targets(r)))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
