"""What every peer shares: the five rules' ids, a rules folder holding only them, the
per-State input document the Rego and zen peers read, and the comparison with ccmcheck."""
from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIVE = {"art17.entry-into-force": "rules/ccm/art17/entry-into-force.yaml",
        "art7.initial-report": "rules/ccm/art7/initial-report.yaml",
        "art7.annual-report": "rules/ccm/art7/annual-report.yaml",
        "art3.stockpile-destruction": "rules/ccm/art3/stockpile-destruction.yaml",
        "art4.clearance": "rules/ccm/art4/clearance.yaml"}

Findings = dict[tuple[str, str], tuple[str, str | None]]  # (rule, State name) -> (status, due as ISO date)


def five_rules_folder() -> Path:
    """A temporary rules folder with the five rule files and the named populations they use
    (`applies_when: {population: ...}`), which the caller removes."""
    root = Path(tempfile.mkdtemp(prefix="ccmcheck-five-"))
    shutil.copy(ROOT / "rules" / "populations.yaml", root / "populations.yaml")
    for rel in FIVE.values():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, root / rel)
    return root


def ccmcheck_findings(fb: Any, book: Any, engine: str, as_of: date | None = None) -> Findings:
    import ccmcheck
    ev = ccmcheck.evaluate(fb, as_of, rules=book, engine=engine)
    return {(f.rule, f.state): (f.status, f.due.isoformat() if f.due else None) for f in ev.findings}


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _event(obs: Any, as_of: date) -> dict[str, str]:
    """An event fact (its dated observations) as known on `as_of`, as ccmcheck reads it (records._event: a
    date implies what came before; a conflict or a stale check decides nothing): v done/not_done/partial or ""
    (unknown). The peers share that reading and differ in how they apply the rules to it."""
    from ccmcheck.engine.records import _event as seen_on

    seen = seen_on(obs, as_of) if obs else None
    if seen is None or seen.value not in ("done", "not_done", "partial"):
        return {"v": "", "lo": "", "hi": ""}
    if seen.value == "done":
        return {"v": "done", "lo": _iso(seen.earliest), "hi": _iso(seen.latest)}
    return {"v": seen.value, "lo": "", "hi": ""}


def _flag(f: Any) -> str:
    return "" if f is None else ("yes" if f.value else "no")


def _extensions(exts: Any, as_of: date) -> list[dict[str, str]]:
    """Extensions decided by `as_of`, in the order ccmcheck applies them."""
    known = sorted(exts, key=lambda e: (e.decided_on, e.model_dump_json()))
    return [{"decided": _iso(e.decided_on), "new": _iso(e.new_deadline)} for e in known if e.decided_on <= as_of]


def document(st: Any, convention_eif: date, as_of: date) -> dict[str, Any]:
    """One State's facts as known on `as_of`, as JSON-ready data (dates as ISO strings, "" for none)."""
    t, a3, a4 = st.treaty, st.article3, st.article4
    occurrence = date(as_of.year if (as_of.month, as_of.day) >= (4, 30) else as_of.year - 1, 4, 30)
    annual = st.article7.annual_reports.get(occurrence.year - 1)
    return {
        "name": st.name, "as_of": _iso(as_of), "convention_eif": _iso(convention_eif) if convention_eif <= as_of else "",
        "deposit": _iso(t.deposit.on) if t.deposit is not None and t.deposit.on <= as_of else "",
        "withdrawn": t.withdrawal is not None and t.withdrawal.on <= as_of,
        "initial_report": _event(st.article7.initial_report, as_of),
        "annual_due": _iso(occurrence), "annual_report": _event(annual, as_of),
        "stockpile_at_eif": _flag(a3.stockpile_at_eif), "destruction": _event(a3.destruction_completed, as_of),
        "art3_extensions": _extensions(a3.extensions, as_of),
        "contaminated_at_eif": _flag(a4.contaminated_at_eif),
        "new_contamination": sorted(_iso(n.hostilities_ended) for n in a4.new_contamination if n.hostilities_ended <= as_of),
        "clearance": _event(a4.clearance_completed, as_of), "art4_extensions": _extensions(a4.extensions, as_of),
    }


def disagreements(name: str, got: Findings, want: Findings) -> list[str]:
    """Every finding where a peer and ccmcheck differ, one line each."""
    out = []
    for key in sorted(set(got) | set(want)):
        if got.get(key) != want.get(key):
            out.append(f"{name}: {key[0]} {key[1]}: {got.get(key)} (ccmcheck: {want.get(key)})")
    return out
