"""Text renderings of results: table (for a terminal), csv, markdown. JSON is `to_json`.

Tables fit the terminal (`terminal.table`); Markdown and CSV keep the full text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal, Sequence

if TYPE_CHECKING:  # annotations only: `evaluate` need not import changes, history or reconcile
    from ..engine.changes import Changes
    from ..engine.history import History
    from ..engine.reconcile import FigureResult, Reconciliation
from ..engine.results import Audit, Evaluation, Finding
from ..rules.loader import RuleBook
from .safe import csv_text, markdown_text, printable
from ..rules.model import KIND_STATUSES
from ..rules.order import rule_sort_key
from . import action, tables, terminal
from .common import contradiction_text, figure_range, markdown_table, status_label

STALE_HEADING = "was overdue"  # of the unknown: overdue when last checked (fits 80 columns)
GroupBy = Literal["state", "rule"]
Format = Literal["table", "markdown"]


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(map(str, v))
    return str(v)


def _why(f: Finding) -> str:
    return f.explanation + (f" [missing: {_cell(f.missing)}]" if f.missing else "")


NAMES = ("state", "rule")  # never cut in a table while anything else can give way


def _grid(fmt: Format) -> Callable[[Sequence[str], Sequence[Sequence[str]]], str]:
    return markdown_table if fmt == "markdown" else lambda head, rows: terminal.table(head, rows, keep=NAMES)


def _heading(fmt: Format, level: int, text: str) -> str:
    return f"{'#' * level} {markdown_text(text)}\n\n" if fmt == "markdown" else f"{printable(text)}\n"


def _note(fmt: Format, text: str) -> str:
    return f"{text}\n\n" if fmt == "markdown" else terminal.wrap(text)


# ---------------------------------------------------------------- evaluate

KIND_NAMES = {"obligation": "obligations", "indicator": "indicators (what the year's report said)",
              "derived-date": "derived dates", "standing": "standings", "convention-target": "Convention-wide targets"}


def counts_table(ev: Evaluation, fmt: Format) -> str:
    """One table per kind of rule (each kind has statuses of its own), one column per status, and
    one for the unknown findings that were overdue when last checked (where there are any)."""
    stale: dict[str, int] = {}
    for f in ev.findings:
        if f.status == "unknown" and f.last_known is not None:
            stale[f.rule] = stale.get(f.rule, 0) + 1
    out = []
    for kind, statuses in KIND_STATUSES.items():
        counts = {rule: c for rule, c in ev.counts.items() if tuple(c) == statuses}
        if counts:
            cols = [s for s in statuses if any(c[s] for c in counts.values())] or list(statuses[:1])
            rows = [[rule, *[str(c[s]) for s in cols]] for rule, c in counts.items()]
            head = ["rule", *[status_label(s) for s in cols]]
            if any(stale.get(rule) for rule in counts):  # of the unknown: overdue when last checked
                head.append(STALE_HEADING)
                rows = [[*row, str(stale.get(row[0], 0))] for row in rows]
            out.append(_note(fmt, f"{KIND_NAMES[kind].capitalize()}:") + _grid(fmt)(head, rows))
    return "\n".join(out)


def grouped(findings: Sequence[Finding], group_by: GroupBy, fmt: Format) -> str:
    """Findings as a table grouped by State (or by rule): the group's name is written once,
    on its first row; in a terminal, each explanation whole under its row."""
    if group_by == "state":
        ordered = sorted(findings, key=lambda f: (f.state, rule_sort_key(f.rule)))
        head, key = ["state", "rule"], lambda f: (f.state, f.rule)
    else:
        ordered = sorted(findings, key=lambda f: (rule_sort_key(f.rule), f.state))
        head, key = ["rule", "state"], lambda f: (f.rule, f.state)
    rows, last = [], None
    for f in ordered:
        group, member = key(f)
        rows.append([group if group != last or fmt == "markdown" else "", member, status_label(f.status),
                     _cell(f.due), _cell(f.met_on)])
        last = group
    if fmt == "markdown":
        return markdown_table([*head, "status", "due", "met on", "explanation"],
                              [[*r, _why(f)] for r, f in zip(rows, ordered)])
    return terminal.table([*head, "status", "due", "met on"], rows, keep=NAMES, notes=[_why(f) for f in ordered])


@dataclass(frozen=True)
class Selection:
    """Which findings `evaluate` lists, and how."""

    statuses: tuple[str, ...] = ()  # --status; empty: the findings that need action
    everything: bool = False  # --all
    group_by: GroupBy | None = None  # None: what needs action most urgent first, the lists by State
    counts: bool = False  # --counts: the full counts table per rule instead of one line per kind


def counts_lines(ev: Evaluation, fmt: Format) -> str:
    """The counts, compactly: one line per kind of rule, its findings per status."""
    lines = []
    for kind, statuses in KIND_STATUSES.items():
        counts = [c for c in ev.counts.values() if tuple(c) == statuses]
        if counts:
            total = {s: sum(c[s] for c in counts) for s in statuses}
            what = ", ".join(f"{n} {status_label(s)}" for s, n in total.items() if n) or "no findings"
            lines.append(f"{KIND_NAMES[kind].split(' (')[0].capitalize()} ({len(counts)} "
                         f"rule{'s' if len(counts) != 1 else ''}): {what}")
    if fmt == "markdown":
        return "".join(f"- {printable(x)}\n" for x in lines) + "\n"
    return "".join(terminal.wrap(x, first="  ", indent="    ") for x in lines)


def action_table(items: Sequence[action.Item], fmt: Format) -> str:
    """One group of what needs action, most urgent first: each row, then its reason whole under it (a
    table) or in a column of its own (Markdown)."""
    head = ["state", "rule", "due", "late by"]
    rows = [[i.finding.state, i.finding.rule, _cell(i.finding.due), i.late_for] for i in items]
    if fmt == "markdown":
        return markdown_table([*head, "reason"], [[*r, i.reason] for r, i in zip(rows, items)])
    return terminal.table(head, rows, keep=NAMES, notes=[i.reason for i in items])


def evaluation(ev: Evaluation, fmt: str, sel: Selection = Selection()) -> str:
    if fmt == "json":
        return ev.to_json()
    f_: Format = "markdown" if fmt == "markdown" else "table"
    out = _heading(f_, 1, f"{ev.snapshot}, as of {ev.as_of}") + ("" if f_ == "markdown" else "\n")
    if sel.everything or sel.statuses:  # only the findings asked for
        shown = [f for f in ev.findings if sel.everything or f.status in sel.statuses]
        what = "All findings" if sel.everything else "Findings " + ", ".join(status_label(s) for s in sel.statuses)
        by = sel.group_by or "state"
        out += _heading(f_, 2, f"{what} ({len(shown)}), by {by}")
        out += grouped(shown, by, f_) if shown else _note(f_, "None.")
        return out + ("\n" + _heading(f_, 2, "Counts per rule") + counts_table(ev, f_) if sel.counts else "")
    items = action.needs_action(ev)
    sizes = {g.name: sum(1 for i in items if i.group == g.name) for g in action.GROUPS}
    tally = ", ".join(f"{n} {name}" for name, n in sizes.items() if n or name == "overdue")
    period = f" (period from {ev.period_start})" if ev.period_start else ""
    out += _heading(f_, 2, f"Needs action: {tally}{period}")
    if not items:
        out += _note(f_, "Nothing is overdue or was met late.")
    elif sel.group_by:
        out += grouped([i.finding for i in items], sel.group_by, f_)
    for g in action.GROUPS if not sel.group_by else ():
        mine = [i for i in items if i.group == g.name]
        if mine:
            out += ("\n" if f_ == "table" and mine[0] is not items[0] else "") + _heading(
                f_, 3, f"{g.name.capitalize()} ({len(mine)}), {g.order}" + (":" if f_ == "table" else "")) + action_table(
                mine, f_)
    if sel.counts:
        out += "\n" + _heading(f_, 2, "Counts per rule") + counts_table(ev, f_)
    else:
        out += "\n" + _heading(f_, 2, "Counts (`--counts`: per rule)") + counts_lines(ev, f_)
    return out + "\n" + _not_listed(ev, f_)


def _not_listed(ev: Evaluation, fmt: Format) -> str:
    notes = []
    silent = [f for f in ev.findings if f.status == "not_reported"]
    if silent:
        notes.append(f"Not listed: {len(silent)} findings of {len({f.rule for f in silent})} DAP indicator rules that "
                     f"a year's report did not mention (in {len({f.state for f in silent})} States); "
                     "`--status not_reported` lists them.")
    unknown = [f for f in ev.findings if f.status == "unknown"]
    if unknown:
        per_rule = sorted({f.rule for f in unknown}, key=rule_sort_key)
        notes.append(f"Unknown: {len(unknown)} findings of {len(per_rule)} rules, where the facts do not say; "
                     "`--status unknown` lists them, `--rule ID --status unknown` one rule's.")
    notes.append("Every finding: `--all`; full text: `--format csv` or `--format json`.")
    return "".join(_note(fmt, n) for n in notes)


# ---------------------------------------------------------------- audit

def audit(a: Audit, fmt: str, explain: bool = False) -> str:
    if fmt == "json":
        return a.to_json(explain)
    if fmt == "csv":
        return str(tables.render([tables.findings(a.findings)], "csv"))
    f_: Format = "markdown" if fmt == "markdown" else "table"
    if f_ == "markdown":  # a document has room for the citation; a terminal leaves it to --explain
        head, rows = (["rule", "status", "due", "met on", "source", "explanation"],
                      [[f.rule, status_label(f.status), _cell(f.due), _cell(f.met_on), f.source, _why(f)] for f in a.findings])
    else:  # in a terminal, each explanation whole under its row, as evaluate writes it
        head, rows = (["rule", "status", "due", "met on"],
                      [[f.rule, status_label(f.status), _cell(f.due), _cell(f.met_on)] for f in a.findings])
    out = _heading(f_, 1, f"{a.state} ({a.iso3}): {a.standing}; as of {a.as_of}") + ("" if f_ == "markdown" else "\n")
    out += markdown_table(head, rows) if f_ == "markdown" else terminal.table(head, rows, keep=NAMES,
                                                                              notes=[_why(f) for f in a.findings])
    if explain:
        for f in a.findings:
            if f_ == "markdown":
                out += f"\n## {f.rule}: {status_label(f.status)}\n\n" + "".join(f"- {printable(x)}\n" for x in f.explain)
            else:
                out += f"\n{f.rule}: {status_label(f.status)}\n" + "".join(terminal.wrap(x, indent="    ", first="  ")
                                                                           for x in f.explain)
    if f_ == "table" and not explain and a.findings:
        out += "\n" + _note(f_, "Legal sources, the facts and dates used, and why: `--explain`; full text: "
                                 "`--format csv` or `--format json`.")
    if a.undecided:
        out += "\n" + _heading(f_, 2, f"Not decided whether these rules apply ({len(a.undecided)}): facts missing")
        out += _grid(f_)(["rule", "missing facts"], [[u.rule, ", ".join(u.missing)] for u in a.undecided])
    if explain and a.out_of_force:
        out += "\n" + _heading(f_, 2, f"Not in force on {a.as_of} ({len(a.out_of_force)}): no finding")
        out += "".join(f"- `{o.rule}`: {printable(o.window)}\n" if f_ == "markdown"
                       else terminal.wrap(f"{o.rule}  {o.window}", indent="    ", first="  ") for o in a.out_of_force)
    return out


# ---------------------------------------------------------------- rules

def rules(book: RuleBook, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"id": r.id, "title": r.title, "kind": r.kind, "instrument": r.source.instrument,
                            "provision": r.source.provision, "text": r.source.text,
                            "file": str(book.files[r.id])} for r in book.rules], indent=2) + "\n"
    rows = [[r.id, f"{r.source.instrument} {r.source.provision}", r.title] for r in book.rules]
    if fmt != "markdown":
        return terminal.table(["id", "source", "title"], rows, keep=("id",))
    out = ["# Rules", "", "Generated by `ccmcheck rules --format markdown`; rule ids are a public contract.", "",
           markdown_table(["id", "source", "title"], rows)]
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


# ---------------------------------------------------------------- reconcile

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
    by_id = {f.id: f for f in r.figures}
    if fmt == "markdown":
        rows = [[f"`{f.id}`", f.where, f.text, str(f.published), figure_range(f), f"**{f.verdict}**", _behind(f)]
                for f in r.figures]
        out = [f"# Reconciliation: {r.snapshot}", "",
               f"Generated by `ccmcheck reconcile --format markdown`; as of {r.as_of}, period from {r.period_start}.", "",
               "Each figure the progress report publishes, against what the facts and rules compute. `computed` is",
               "a range where unknown facts leave it open; the States behind it follow (\"possibly\" = unknown).", "",
               f"Verdicts: {summary}.", "",
               markdown_table(["figure", "where", "the report says", "published", "computed", "verdict", "States / why"], rows),
               "## Contradictions in the report", ""]
        out += [f"- {markdown_text(contradiction_text(c, by_id, lambda i: f'`{i}`'))}" for c in r.contradictions] \
            or ["None recorded."]
        return "\n".join(out) + "\n"
    rows = [[f.id, str(f.published), figure_range(f), f.verdict, f.where] for f in r.figures]
    out = terminal.wrap(f"{r.snapshot}: as of {r.as_of}; {summary}") + "\n"
    out += terminal.table(["figure", "published", "computed", "verdict", "where"], rows)
    details = [f"{f.id}: {_behind(f)}" for f in r.figures if f.verdict != "match" and _behind(f)]
    if details:
        out += "\nNot an exact match:\n" + "".join(terminal.wrap(d, indent="  ", first="- ") for d in details)
    if r.contradictions:
        out += "\nContradictions in the report:\n" + "".join(
            terminal.wrap(contradiction_text(c, by_id), indent="  ", first="- ") for c in r.contradictions)
    return out


# ---------------------------------------------------------------- changes

def changes(c: Changes, fmt: str, include_newly_known: bool = False) -> str:
    if fmt == "json":
        return c.to_json(include_newly_known)
    shown = c.changes if include_newly_known else c.happened
    rows = [[ch.state, ch.rule, status_label(ch.before) if ch.before else "-",
             status_label(ch.after) if ch.after else "-", _cell(ch.due), ch.explanation] for ch in shown]
    head = ["state", "rule", "before", "after", "due", "now"]
    more = len(c.newly_known)
    what = (f"{len(shown)} findings changed ({len(c.happened)} during the period, {more} only became known)"
            if include_newly_known else
            f"{len(shown)} findings changed during the period" + (f"; {more} more only became known (the earlier "
                                                                    "status was unknown): --include-newly-known" if more else ""))
    if fmt == "markdown":
        return f"# Changes\n\nFrom {c.before}\nto {c.after}: {what}.\n\n" + markdown_table(head, rows)
    return terminal.wrap(f"From {c.before} to {c.after}: {what}") + "\n" + _grid("table")(head, rows)


HISTORY_COLUMNS = ("state", "iso3", "rule", "from", "to", "status", "due")


def history(h: History, fmt: str) -> str:
    """One row per interval: the State, the rule, the days it covers, its status and due date."""
    if fmt == "json":
        return h.to_json()
    rows = [[t.state, _cell(t.iso3), t.rule, str(iv.start), str(iv.end), iv.status, _cell(iv.due)]
            for t in h.tracks for iv in t.intervals]
    if fmt == "csv":
        return csv_text([HISTORY_COLUMNS, *rows])
    if fmt == "markdown":
        return (f"# History\n\n{h.snapshot}: status intervals from {h.start} to {h.end} ({len(rows)}).\n\n"
                + markdown_table(["state", "rule", "from", "to", "status", "due"], [[r[0], *r[2:]] for r in rows]))
    title = terminal.wrap(f"{h.snapshot}: status intervals from {h.start} to {h.end} ({len(rows)})")
    return title + _grid("table")(["state", "rule", "from", "to", "status", "due"], [[r[0], *r[2:]] for r in rows])
