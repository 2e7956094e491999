"""`ccmcheck import-reports`: a list of Article 7 transparency reports received, into the State files.

The list is a CSV or XLSX with the columns `state, report, year, received, link`:
`report` is `initial` or `annual`, `year` the calendar year an annual report covers
(empty for an initial report), `received` the day the report was received, `link` where
it is published. Each row is `article7.initial_report` or `article7.annual_reports.YEAR`
done on the day received, citing the list (`--source KEY`).

A State the list does not name is not thereby shown to have failed to report: only with
`--complete-as-of DATE` (the list says it is complete as of that day) does the absence
of a report the State owed by then become `not_done`, checked on that day, citing the
list. Owed means what the rules say as of DATE: a finding of art7.initial-report or
art7.annual-report (the ISU's practice: owed once the initial report is in) falling due
on or before DATE; an annual report only for a year the list covers. A State whose
finding is undecided (its initial report unknown) is not marked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..engine.evaluate import evaluate
from ..errors import InputError, Problem
from ..facts.loader import FactBase, load_facts
from ..facts.merge import Row, files_written, plan_rows
from ..facts.model import Event, StateFacts
from ..facts.rows import COLUMNS
from ..outputs import sheets
from .names import known, suggestions
from .store import write_files

REPORT_COLUMNS = ("state", "report", "year", "received", "link")
KINDS = ("initial", "annual")


@dataclass
class ReportsSummary:
    rows: int = 0
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_done: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not submitted per the list, but the State file says otherwise
    files: list[Path] = field(default_factory=list)
    dry_run: bool = False

    def text(self, sheet: str, facts: str) -> str:
        lines = [f"{sheet} into {facts}{' (dry run: nothing written)' if self.dry_run else ''}:",
                 f"  reports listed: {self.rows}",
                 f"  facts added: {len(self.added)}, replaced: {len(self.replaced)}, unchanged: {self.unchanged}"]
        lines += [f"    + {a}" for a in self.added] + [f"    ~ {r}" for r in self.replaced]
        if self.not_done or self.kept:
            lines.append(f"  not in the complete list, so not submitted by then: {len(self.not_done)}")
            lines += [f"    - {n}" for n in self.not_done]
        if self.kept:
            lines.append(f"  not in the list but the State file says submitted (kept): {', '.join(self.kept)}")
        lines.append(files_written(self.files, self.dry_run))
        return "\n".join(lines) + "\n"


def _day(v: object) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v).strip())


def _existing(st: StateFacts, path: str) -> tuple[Event, ...]:
    """The observations the State file holds of the report (none: an empty tuple)."""
    if path == "article7.initial_report":
        return st.article7.initial_report or ()
    return st.article7.annual_reports.get(int(path.rsplit(".", 1)[1]), ())


def _same_source(a: str, b: str) -> bool:
    """Whether two citations name the same document (whatever the locator after '#')."""
    return a.split("#", 1)[0] == b.split("#", 1)[0]


def import_reports(facts: str | Path, path: str | Path, source: str, *, complete_as_of: date | None = None,
                   replace: bool = False, dry_run: bool = False) -> ReportsSummary:
    """Merge the report list in `path` into the snapshot `facts`; InputError (nothing written) on any problem."""
    root, file = Path(facts), Path(path)
    if not root.is_dir():
        raise InputError.single(root, "", "", "no such facts folder")
    header, raw = sheets.read(file)
    missing = [c for c in REPORT_COLUMNS[:4] if c not in header]
    if missing:
        raise InputError.single(file, "row 1", missing[0], f"missing column (columns: {', '.join(REPORT_COLUMNS)})")
    fb = load_facts(root)
    key = source.split("#", 1)[0]
    if key not in fb.snapshot.sources:
        raise InputError.single(file, "", "--source", f"{key!r} is not listed in snapshot.yaml sources (add it: "
                                f"ccmcheck source add {root} {key} --title TITLE --publisher BODY --date YYYY-MM-DD --url URL)")
    summary = ReportsSummary(rows=len(raw), dry_run=dry_run)
    problems: list[Problem] = []
    listed: set[tuple[str, str]] = set()
    years: set[int] = set()
    rows: list[Row] = []
    for n, cells in raw:
        def bad(col: str, msg: str) -> None:
            problems.append(Problem(str(file), f"row {n}", col, msg))
        name = str(cells.get("state", "")).strip()
        st = known(fb, name) if name else None
        if st is None:
            bad("state", f"no State {name!r} in {root}{suggestions(fb, name)}" if name else "empty: give the State")
            continue
        kind, year = str(cells.get("report", "")).strip().lower(), str(cells.get("year", "")).strip()
        if kind not in KINDS:
            bad("report", f"{st.name}: report is initial or annual, not {kind!r}")
            continue
        if kind == "annual" and not (year.isdigit() and len(year) == 4):
            bad("year", f"{st.name}: an annual report needs the calendar year it covers (YYYY), not {year!r}")
            continue
        if kind == "initial" and year:
            bad("year", f"{st.name}: an initial report covers no calendar year; leave year empty")
            continue
        try:
            received = _day(cells.get("received", ""))
        except ValueError:
            bad("received", f"{st.name}: not a date (YYYY-MM-DD): {cells.get('received')!r}")
            continue
        fact = "article7.initial_report" if kind == "initial" else f"article7.annual_reports.{year}"
        if (st.iso3, fact) in listed:
            bad("state", f"{st.name}: {fact} is listed twice")
            continue
        listed.add((st.iso3, fact))
        if kind == "annual":
            years.add(int(year))
        obs = _existing(st, fact)
        if any(ev.status == "done" and ev.on == received and _same_source(ev.source, source) for ev in obs):
            summary.unchanged += 1  # this list already saw it: not a second observation
            continue
        link = str(cells.get("link", "") or "").strip()
        label = f"{st.name}: {fact} received {received}"
        # The same source's done observation with another day is corrected (--replace); anything
        # else is a further observation, kept beside the earlier ones (e.g. a `not_done` check).
        corrects = any(ev.status == "done" and ev.checked_on is None and ev.source == source for ev in obs)
        (summary.replaced if corrects else summary.added).append(label)
        rows.append(Row(n, {"state": st.name, "iso3": st.iso3, "fact": fact, "status": "done", "on": received,
                            "source": source, "note": f"published at {link}" if link else ""}))
    if problems:
        raise InputError(problems)
    if complete_as_of is not None:
        rows += _absent(fb, listed, years, complete_as_of, source, summary, start=max([r.number for r in rows] + [1]) + 1)
    if not rows:
        return summary
    _, texts, before = plan_rows(root, list(COLUMNS), rows, str(file), replace=replace)
    summary.files = write_files(root, texts, based_on=before, dry_run=dry_run)
    return summary


def _absent(fb: FactBase, listed: set[tuple[str, str]], years: set[int], day: date, source: str,
            summary: ReportsSummary, start: int) -> list[Row]:
    """`not_done` rows for each report a State owed by `day` (the rules' findings as of that day, due
    on or before it) that the complete list does not name; an annual report only for a year the list covers."""
    ev = evaluate(fb, day, rule_ids=["art7.initial-report", "art7.annual-report"])
    out: list[Row] = []
    for f in ev.findings:
        if f.iso3 is None or f.due is None or f.due > day:
            continue
        if f.rule == "art7.initial-report":
            fact = "article7.initial_report"
        elif f.due.year - 1 in years:
            fact = f"article7.annual_reports.{f.due.year - 1}"
        else:
            continue
        if (f.iso3, fact) in listed:
            continue
        st = fb.find(f.iso3)
        obs = _existing(st, fact)
        if any(ev.status == "done" for ev in obs):
            summary.kept.append(f"{st.name} {fact}")
            continue
        if any(ev.status == "not_done" and ev.checked_on == day and _same_source(ev.source, source) for ev in obs):
            continue  # this list's check on this day is recorded already
        summary.not_done.append(f"{st.name}: {fact}")
        out.append(Row(start + len(out), {"state": st.name, "iso3": st.iso3, "fact": fact, "status": "not_done",
                                          "checked_on": day, "source": source,
                                          "note": f"not in the list, complete as of {day}"}))
    return out
