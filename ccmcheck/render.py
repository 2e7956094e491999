"""Text renderings of results: table (for a terminal), csv, markdown. JSON is `to_json`."""
from __future__ import annotations

import csv
import io
from typing import Sequence

from .results import STATUS_ORDER, Audit, Evaluation, Finding
from .rules_loader import RuleBook

FINDING_COLUMNS = ("state", "iso3", "rule", "status", "due", "met_on", "source", "explanation", "missing")
NEEDS_ATTENTION = ("overdue", "unknown")


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(map(str, v))
    return str(v)


def _row(f: Finding) -> list[str]:
    return [_cell(getattr(f, c)) for c in FINDING_COLUMNS]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned columns; the last column is left to run on."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    fmt = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r[:-1], widths)) + "  " + str(r[-1])  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]) + "\n"


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    esc = lambda x: str(x).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(x) for x in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def findings_csv(findings: Sequence[Finding]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FINDING_COLUMNS)
    w.writerows(_row(f) for f in findings)
    return buf.getvalue()


def _counts_rows(ev: Evaluation) -> list[list[str]]:
    return [[rule] + [str(c[s]) for s in STATUS_ORDER] for rule, c in ev.counts.items()]


def evaluation(ev: Evaluation, fmt: str, everything: bool) -> str:
    if fmt == "json":
        return ev.to_json()
    if fmt == "csv":
        return findings_csv(ev.findings)
    shown = ev.findings if everything else [f for f in ev.findings if f.status in NEEDS_ATTENTION]
    what = "All findings" if everything else "Overdue and unknown findings"
    head = ["rule", *STATUS_ORDER]
    cols = ["state", "rule", "status", "due", "met on", "explanation"]
    rows = [[f.state, f.rule, f.status, _cell(f.due), _cell(f.met_on), f.explanation
             + (f" [missing: {_cell(f.missing)}]" if f.missing else "")] for f in shown]
    render = markdown if fmt == "markdown" else table
    title = f"{ev.snapshot}, as of {ev.as_of}"
    if fmt == "markdown":
        return f"# {title}\n\n## Counts\n\n{render(head, _counts_rows(ev))}\n## {what}\n\n{render(cols, rows)}"
    return f"{title}\n\nCounts per rule\n{render(head, _counts_rows(ev))}\n{what} ({len(shown)})\n{render(cols, rows)}"


def audit(a: Audit, fmt: str) -> str:
    if fmt == "json":
        return a.to_json()
    if fmt == "csv":
        return findings_csv(a.findings)
    cols = ["rule", "status", "due", "met on", "source", "explanation"]
    rows = [[f.rule, f.status, _cell(f.due), _cell(f.met_on), f.source,
             f.explanation + (f" [missing: {_cell(f.missing)}]" if f.missing else "")] for f in a.findings]
    open_rows = [[u.rule, "not decided whether it applies; missing: " + ", ".join(u.missing)] for u in a.undecided]
    render = markdown if fmt == "markdown" else table
    head = f"{a.state} ({a.iso3}): {a.standing}; as of {a.as_of}"
    out = f"# {head}\n\n" if fmt == "markdown" else f"{head}\n\n"
    out += render(cols, rows)
    if open_rows:
        out += "\n" + render(["rule", "applicability"], open_rows)
    return out


def rules(book: RuleBook, fmt: str) -> str:
    if fmt == "json":
        import json

        return json.dumps([{"id": r.id, "title": r.title, "kind": r.kind, "instrument": r.source.instrument,
                            "provision": r.source.provision, "text": r.source.text,
                            "file": str(book.files[r.id])} for r in book.rules], indent=2) + "\n"
    rows = [[r.id, f"{r.source.instrument} {r.source.provision}", r.title] for r in book.rules]
    return (markdown if fmt == "markdown" else table)(["id", "source", "title"], rows)
