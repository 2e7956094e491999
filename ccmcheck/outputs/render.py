"""Text renderings of results: table (for a terminal), csv, markdown. JSON is `to_json`."""
from __future__ import annotations

import csv
import io
from typing import Callable, Sequence

from ..engine.results import Audit, Evaluation, Finding
from ..engine.changes import Changes
from ..engine.reconcile import FigureResult, Reconciliation
from ..rules.loader import RuleBook
from .safe import printable, spreadsheet_cell
from ..rules.model import KIND_STATUSES

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
    rows = [[printable(str(x)) for x in r] for r in rows]
    """Aligned columns; the last column is left to run on."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    fmt = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r[:-1], widths)) + "  " + str(r[-1])  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]) + "\n"


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    esc = lambda x: printable(str(x)).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(x) for x in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def findings_csv(findings: Sequence[Finding]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FINDING_COLUMNS)
    w.writerows([spreadsheet_cell(c) for c in _row(f)] for f in findings)
    return buf.getvalue()


KIND_NAMES = {"obligation": "obligations", "indicator": "indicators (what the year's report said)",
              "derived-date": "derived dates", "standing": "standings", "convention-target": "Convention-wide targets"}


def _counts_tables(ev: Evaluation, render: Callable[[Sequence[str], Sequence[Sequence[str]]], str]) -> list[tuple[str, str]]:
    """One counts table per kind of rule, each with that kind's statuses: (heading, table)."""
    out = []
    for kind, statuses in KIND_STATUSES.items():
        rows = [[rule, *(str(c[s]) for s in statuses)] for rule, c in ev.counts.items() if tuple(c) == statuses]
        if rows:
            out.append((KIND_NAMES[kind], render(["rule", *statuses], rows)))
    return out


def evaluation(ev: Evaluation, fmt: str, everything: bool) -> str:
    if fmt == "json":
        return ev.to_json()
    if fmt == "csv":
        return findings_csv(ev.findings)
    shown = ev.findings if everything else [f for f in ev.findings if f.status in NEEDS_ATTENTION]
    what = "All findings" if everything else "Overdue and unknown findings"
    cols = ["state", "rule", "status", "due", "met on", "explanation"]
    rows = [[f.state, f.rule, f.status, _cell(f.due), _cell(f.met_on), f.explanation
             + (f" [missing: {_cell(f.missing)}]" if f.missing else "")] for f in shown]
    render = markdown if fmt == "markdown" else table
    title = printable(f"{ev.snapshot}, as of {ev.as_of}")
    if fmt == "markdown":
        counts = "".join(f"### {head}\n\n{t}\n" for head, t in _counts_tables(ev, render))
        return f"# {title}\n\n## Counts\n\n{counts}## {what}\n\n{render(cols, rows)}"
    counts = "".join(f"Counts per rule: {head}\n{t}\n" for head, t in _counts_tables(ev, render))
    return f"{title}\n\n{counts}{what} ({len(shown)})\n{render(cols, rows)}"


def audit(a: Audit, fmt: str, explain: bool = False) -> str:
    if fmt == "json":
        return a.to_json(explain)
    if fmt == "csv":
        return findings_csv(a.findings)
    cols = ["rule", "status", "due", "met on", "source", "explanation"]
    rows = [[f.rule, f.status, _cell(f.due), _cell(f.met_on), f.source,
             f.explanation + (f" [missing: {_cell(f.missing)}]" if f.missing else "")] for f in a.findings]
    open_rows = [[u.rule, "not decided whether it applies; missing: " + ", ".join(u.missing)] for u in a.undecided]
    render = markdown if fmt == "markdown" else table
    head = printable(f"{a.state} ({a.iso3}): {a.standing}; as of {a.as_of}")
    out = f"# {head}\n\n" if fmt == "markdown" else f"{head}\n\n"
    out += render(cols, rows)
    if explain:
        for f in a.findings:
            lines = [f"{'## ' if fmt == 'markdown' else ''}{f.rule}: {f.status}"] + [f"  - {x}" if fmt == "markdown" else f"  {x}" for x in map(printable, f.explain)]
            out += "\n" + "\n".join(lines) + "\n"
    if explain:
        open_rows += [[o.rule, o.window] for o in a.out_of_force]
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
    if fmt != "markdown":
        return table(["id", "source", "title"], rows)
    out = ["# Rules", "", "Generated by `ccmcheck rules --format markdown`; rule ids are a public contract.", "",
           markdown(["id", "source", "title"], rows)]
    for r in book.rules:
        out += [f"## `{r.id}` — {r.title}", "",
                f"**Legal basis.** {r.source.instrument} {r.source.provision}: \"{r.source.text}\"", ""]
        if r.exception is not None:
            e = r.exception.source
            out += [f"**Exception.** {e.instrument} {e.provision}: \"{e.text}\" Applies when {r.exception.why}.", ""]
        if book.uses.get(r.id):
            out += ["**Population.** " + "; ".join(f"`{n}`: {book.populations.named[n].title}" for n in book.uses[r.id])
                    + " (see [Populations](#populations)).", ""]
        out += [f"**In force.** {w.describe()}." for w in book.windows.get(r.id, ())] + ([""] if book.windows.get(r.id) else [])
        out += [f"**What it checks.** {r.doc.checks}", "", f"**Example.** {r.doc.example}", "",
                f"**Known limits.** {r.doc.limits}", "", f"Kind: {r.kind}. File: `{book.files[r.id].relative_to(book.path)}`.", ""]
    out += _populations(book)
    return "\n".join(out)


def _populations(book: RuleBook) -> list[str]:
    """The named populations (rules/populations.yaml), each with the rules that name it."""
    if not book.populations.named:
        return []
    out = ["# Populations", "", "Defined once in `populations.yaml`; a rule names one in `applies_when` or `counts`.", ""]
    for name, pop in book.populations.named.items():
        users = [rid for rid, names in book.uses.items() if name in names]
        named = ", ".join(f"`{n}`" for n in book.populations.named_in(pop.when, deep=False))
        out += [f"## `{name}` — {pop.title}", "", f"**Source.** {pop.source}", ""]
        out += [f"**In force.** {pop.in_force.describe()}: {pop.in_force.source}", ""] if pop.in_force else []
        out += [f"**Builds on.** {named}.", ""] if named else []
        out += [f"**Named by** ({len(users)}): {', '.join(f'`{u}`' for u in sorted(users))}." if users else "**Named by** no rule directly.", ""]
    return out


def _computed(f: FigureResult) -> str:
    if f.low is None:
        return "-"
    return str(f.low) if f.low == f.high else f"{f.low}-{f.high}"


def _behind(f: FigureResult) -> str:
    parts = []
    if f.counted:
        parts.append(", ".join(f.counted))
    if f.possible:
        parts.append("possibly: " + ", ".join(f.possible))
    if f.note:
        parts.append(f.note)
    return "; ".join(parts)


def reconciliation(r: Reconciliation, fmt: str) -> str:
    if fmt == "json":
        return r.to_json()
    tally: dict[str, int] = {}
    for f in r.figures:
        tally[f.verdict] = tally.get(f.verdict, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(tally.items()))
    if fmt == "markdown":
        rows = [[f"`{f.id}`", f.where, f.text, str(f.published), _computed(f), f"**{f.verdict}**", _behind(f)]
                for f in r.figures]
        out = [f"# Reconciliation: {r.snapshot}", "",
               f"Generated by `ccmcheck reconcile --format markdown`; as of {r.as_of}, period from {r.period_start}.", "",
               "Each figure the progress report publishes, against what the facts and rules compute. `computed` is",
               "a range where unknown facts leave it open; the States behind it follow (\"possibly\" = unknown).", "",
               f"Verdicts: {summary}.", "",
               markdown(["figure", "where", "the report says", "published", "computed", "verdict", "States / why"], rows),
               "## Contradictions in the report", ""]
        out += [f"- **{' vs '.join(c.figures)}** ({c.source}): {c.note}" for c in r.contradictions] or ["None recorded."]
        return "\n".join(out) + "\n"
    rows = [[f.id, str(f.published), _computed(f), f.verdict, f.where] for f in r.figures]
    out = printable(f"{r.snapshot}: as of {r.as_of}; {summary}") + "\n\n" + table(["figure", "published", "computed", "verdict", "where"], rows)
    details = [printable(f"{f.id}: {_behind(f)}") for f in r.figures if f.verdict != "match" and _behind(f)]
    if details:
        out += "\nNot an exact match:\n" + "\n".join(details) + "\n"
    if r.contradictions:
        out += "\nContradictions in the report:\n" + "\n".join(printable(f"{' vs '.join(c.figures)} ({c.source}): {c.note}") for c in r.contradictions) + "\n"
    return out


def changes(c: Changes, fmt: str) -> str:
    if fmt == "json":
        return c.to_json()
    rows = [[ch.rule, ch.state, ch.before or "-", ch.after or "-", _cell(ch.due), ch.explanation] for ch in c.changes]
    head = ["rule", "state", "before", "after", "due", "now"]
    if fmt == "markdown":
        return f"# Changes\n\nFrom {printable(c.before)}\nto {printable(c.after)}: {len(rows)} findings changed.\n\n" + markdown(head, rows)
    return f"From {printable(c.before)}\nto {printable(c.after)}: {len(rows)} findings changed\n\n" + table(head, rows)
