"""Results as rows: the parts a spreadsheet shows, one sheet each, with typed cells.

Each result that `--format xlsx` writes is a list of `Part`s (a sheet's name, its
columns and its rows; dates stay `date`, counts `int`). `--format csv` writes the
first part with the same columns, so a CSV and the workbook's first sheet agree.
Text cells are neutralised (`safe.spreadsheet_cell`) by the writer in `sheets`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Sequence

from ..engine.results import Evaluation, Finding, ordered
from . import action

if TYPE_CHECKING:  # annotations only: `evaluate` need not import changes, deadlines, history or the scorecard
    from ..engine.changes import Change, Changes
    from ..engine.deadlines import Calendar
    from ..engine.history import History
    from ..engine.scorecard import Scorecard

Value = str | int | date | None


@dataclass(frozen=True)
class Part:
    """One sheet: its name (at most 31 characters, as Excel allows), columns and rows."""

    name: str
    columns: tuple[str, ...]
    rows: list[list[Value]]


FINDING_COLUMNS = ("state", "iso3", "rule", "status", "due", "met_on", "source", "explanation", "missing",
                   "last_known_status", "last_known_on", "last_known_source")


def _finding(f: Finding) -> list[Value]:
    k = f.last_known
    return [f.state, f.iso3, f.rule, f.status, f.due, f.met_on, f.source, f.explanation, "; ".join(f.missing),
            k.status if k else None, k.on if k else None, k.source if k else None]


def findings(found: Sequence[Finding]) -> Part:
    """Findings as rows: the CSV of `evaluate` and `audit`, the first sheet of evaluate's workbook."""
    return Part("findings", FINDING_COLUMNS, [_finding(f) for f in found])


def evaluation(ev: Evaluation, statuses: Sequence[str] = ()) -> list[Part]:
    """The findings (those with `statuses`, if given), what needs action, and the counts per rule."""
    shown = [f for f in ev.findings if not statuses or f.status in statuses]
    items = action.needs_action(ev, shown)
    every = ordered(s for c in ev.counts.values() for s in c)
    return [findings(shown),
            Part("needs action", ("group", "state", "iso3", "rule", "due", "met_on", "late_by", "reason"),
                 [[i.group, i.finding.state, i.finding.iso3, i.finding.rule, i.finding.due, i.finding.met_on,
                   i.late_for, i.reason] for i in items]),
            Part("counts", ("rule", *every), [[rule, *[c.get(s) for s in every]] for rule, c in ev.counts.items()])]


CHANGE_COLUMNS = ("state", "iso3", "rule", "before", "after", "due", "explanation")


def _change(c: Change) -> list[Value]:
    return [c.state, c.iso3, c.rule, c.before, c.after, c.due, c.explanation]


def changes(c: Changes, include_newly_known: bool = False) -> list[Part]:
    """What changed during the period; then, on a sheet of its own, what only became known."""
    parts = [Part("changed", CHANGE_COLUMNS, [_change(x) for x in c.happened])]
    if include_newly_known:
        parts.append(Part("newly known", CHANGE_COLUMNS, [_change(x) for x in c.newly_known]))
    return parts


DEADLINE_COLUMNS = ("due", "state", "iso3", "rule", "status", "met_on", "what", "citation")


def deadlines(cal: Calendar) -> list[Part]:
    return [Part("deadlines", DEADLINE_COLUMNS, [[d.due, d.state, d.iso3, d.rule, d.status, d.met_on, d.what,
                                                  d.citation] for d in cal.deadlines])]


HISTORY_COLUMNS = ("state", "iso3", "rule", "from", "to", "status", "due")


def history(h: History) -> list[Part]:
    return [Part("history", HISTORY_COLUMNS, [[t.state, t.iso3, t.rule, iv.start, iv.end, iv.status, iv.due]
                                              for t in h.tracks for iv in t.intervals])]


def scorecard(sc: Scorecard) -> list[Part]:
    """One row per State; per obligation its status and due date, per DAP area its indicators per status;
    then the totals per column."""
    cols: list[str] = ["state", "iso3"]
    for c in sc.columns:
        cols += [c.key, f"{c.key} due"] if c.kind == "obligation" else [f"{c.key} {s}" for s in sc.statuses]
    rows: list[list[Value]] = []
    for r in sc.rows:
        row: list[Value] = [r.state, r.iso3]
        for c in sc.columns:
            cell = r.cells.get(c.key)
            if c.kind == "obligation":
                row += [cell.status, cell.due] if cell else [None, None]
            else:
                row += [cell.counts.get(s, 0) if cell else None for s in sc.statuses]
        rows.append(row)
    totals = [[c.key, *[c.totals.get(s, 0) for s in sc.statuses]] for c in sc.columns]
    return [Part("scorecard", tuple(cols), rows), Part("totals", ("column", *sc.statuses), totals)]


def render(parts: Sequence[Part], fmt: str) -> str | bytes:
    """`csv`: the first part as text; `xlsx`: every part, one sheet each, as the bytes of a workbook."""
    from .sheets import csv_bytes, workbook

    if fmt == "xlsx":
        return workbook([(p.name, p.columns, p.rows) for p in parts])
    return csv_bytes(parts[0].columns, parts[0].rows)
