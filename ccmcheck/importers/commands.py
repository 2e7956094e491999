"""The importers' commands: their arguments, and what each prints.

cli.py registers them (`register`) and runs them (`RUN`), so that its own edits stay
two lines; each command's work is in its importer module.
"""
from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..lazy import lazy_module

# Loaded when one of these commands runs, not when the command line builds its parser.
facts_loader = lazy_module("ccmcheck.facts.loader")
legend, sheets = lazy_module("ccmcheck.outputs.legend"), lazy_module("ccmcheck.outputs.sheets")
reports, snapshot_edits, status = (lazy_module(f"ccmcheck.importers.{n}") for n in ("reports", "snapshot_edits", "status"))
# The columns of a `source add --from` and a `figure add --from` sheet (here: the parser's help names them, and
# building the parser must not load the editing modules).
SOURCE_FIELDS = ("key", "title", "publisher", "date", "url", "symbol", "citation", "note")
FIGURE_FIELDS = ("id", "value", "as_of", "source", "where", "text", "rules", "statuses", "among",
                 "changed_during_period", "shortfall", "not_computed", "note")

Command = Callable[..., argparse.ArgumentParser]


def register(command: Command, day: Callable[[str], date], parser_class: type) -> None:
    """Add import-status, import-reports, source and figure to the parser `command` makes."""
    st = command("import-status", "the UN depositary's status table (MTDSG XXVI-6: saved page, copied table or "
                 "CSV) into the State files", "facts")
    st.add_argument("file", metavar="FILE", help="the status page saved as .html, or its table as tab-separated text or .csv")
    st.add_argument("--read-on", type=day, metavar="YYYY-MM-DD", help="the day the page was read (default: its "
                    "'Status as at' date)")
    st.add_argument("--replace", action="store_true", help="record the table's date where a State file has a different one")
    st.add_argument("--dry-run", action="store_true", help="check everything and show what would change; write nothing")

    rp = command("import-reports", "a list of Article 7 reports received (state, report, year, received, link) "
                 "into the State files", "facts")
    rp.add_argument("file", metavar="FILE", help="a .csv or .xlsx file with columns state, report, year, received, link")
    rp.add_argument("--source", required=True, metavar="KEY", help="the snapshot's source key for the list")
    rp.add_argument("--complete-as-of", type=day, metavar="YYYY-MM-DD", help="the list is complete as of this day: a "
                    "report a State owed by then and the list does not name is recorded not submitted")
    rp.add_argument("--replace", action="store_true", help="let a row change a different fact already there")
    rp.add_argument("--dry-run", action="store_true", help="check everything and show what would change; write nothing")

    so = command("source", "the documents facts cite: source add FACTS_DIR KEY --title ...; source list FACTS_DIR")
    sosub = so.add_subparsers(dest="action", required=True, parser_class=parser_class, metavar="ACTION")
    add = sosub.add_parser("add", help="add a source to snapshot.yaml (or every row of --from FILE)", allow_abbrev=False)
    add.add_argument("facts", metavar="FACTS_DIR")
    add.add_argument("key", nargs="?", metavar="KEY", help="the key facts cite it by, e.g. 8msp")
    add.add_argument("--title")
    add.add_argument("--publisher", help="the body that issued or keeps it")
    add.add_argument("--date", type=day, metavar="YYYY-MM-DD", help="the date it bears")
    add.add_argument("--url", help="a public address")
    add.add_argument("--symbol", help="its official document symbol")
    add.add_argument("--citation", help="how it is cited in print")
    add.add_argument("--note")
    add.add_argument("--from", dest="sheet", metavar="FILE", help="a .csv or .xlsx with columns "
                     + ", ".join(SOURCE_FIELDS))
    add.add_argument("--dry-run", action="store_true")
    ls = sosub.add_parser("list", help="the sources a snapshot lists", allow_abbrev=False)
    ls.add_argument("facts", metavar="FACTS_DIR")
    ls.add_argument("--format", choices=("table", "json", "markdown"), default="table")

    fg = command("figure", "a figure the progress report publishes: figure add FACTS_DIR --id ... (for reconcile)")
    fgsub = fg.add_subparsers(dest="action", required=True, parser_class=parser_class, metavar="ACTION")
    fa = fgsub.add_parser("add", help="add a published figure to snapshot.yaml (or every row of --from FILE)",
                          allow_abbrev=False)
    fa.add_argument("facts", metavar="FACTS_DIR")
    fa.add_argument("--id", help="e.g. II.universalization.a.total")
    fa.add_argument("--value", type=int, help="the number published")
    fa.add_argument("--as-of", type=day, metavar="YYYY-MM-DD", help="the date the figure describes")
    fa.add_argument("--source", metavar="KEY#LOCATOR", help="where it is published, e.g. 8msp#II")
    fa.add_argument("--where", help="section, table or paragraph, as a reader finds it")
    fa.add_argument("--text", help="the report's words")
    fa.add_argument("--rule", dest="rules", action="append", default=[], metavar="ID",
                    help="measure: count the findings of this rule (repeatable)")
    fa.add_argument("--statuses", metavar="STATUS[,STATUS]", help="measure: ... whose status is one of these")
    fa.add_argument("--among", metavar="ID", help="measure: only States with a finding of this rule")
    fa.add_argument("--changed-during-period", action="store_true", help="measure: only those that changed in the period")
    fa.add_argument("--shortfall", metavar="ID", help="measure: a target rule's target minus the States it counts")
    fa.add_argument("--not-computed", metavar="WHY", help="instead of a measure: why no rule computes it")
    fa.add_argument("--note")
    fa.add_argument("--from", dest="sheet", metavar="FILE", help="a .csv or .xlsx with columns "
                    + ", ".join(FIGURE_FIELDS))
    fa.add_argument("--dry-run", action="store_true")


def _import_status(a: argparse.Namespace) -> str:
    s = status.import_status(a.facts, a.file, read_on=a.read_on, replace=a.replace, dry_run=a.dry_run)
    return s.text(a.file, a.facts)


def _import_reports(a: argparse.Namespace) -> str:
    s = reports.import_reports(a.facts, a.file, a.source, complete_as_of=a.complete_as_of, replace=a.replace,
                               dry_run=a.dry_run)
    return s.text(a.file, a.facts)


def _rows(path: str, columns: tuple[str, ...], key: str) -> list[tuple[str, dict[str, object]]]:
    header, rows = sheets.read(Path(path))
    unknown = [c for c in header if c and c not in columns]
    if unknown or key not in header:
        col = unknown[0] if unknown else key
        raise InputError.single(path, "row 1", col, f"{'unknown' if unknown else 'missing'} column (columns: "
                                f"{', '.join(columns)})")
    return [(f"row {n}", cells) for n, cells in rows]


def _source(a: argparse.Namespace) -> str:
    if a.action == "list":
        srcs = facts_loader.load_facts(a.facts).snapshot.sources
        if a.format == "json":
            return json.dumps({k: v.model_dump(mode="json", exclude_defaults=True, exclude={"where"})
                               for k, v in srcs.items()}, indent=2, ensure_ascii=False) + "\n"
        out = (legend.markdown if a.format == "markdown" else legend.text)(srcs, list(srcs), heading=f"Sources of {a.facts}")
        return out.lstrip("\n")
    if a.sheet:
        if a.key or a.title:
            raise InputError.single("arguments", "", "--from", "give either KEY with its fields, or --from FILE")
        found, problems = {}, []
        for where, cells in _rows(a.sheet, SOURCE_FIELDS, "key"):
            try:
                found[str(cells.get("key", "")).strip()] = snapshot_edits.source_doc(cells, a.sheet, where)
            except InputError as e:
                problems += e.problems
        if problems:
            raise InputError(problems)
        return snapshot_edits.add_sources(a.facts, found, where=a.sheet, dry_run=a.dry_run).text()
    if not a.key:
        raise InputError.single("arguments", "", "KEY", "source add needs KEY (and --title ...), or --from FILE")
    doc = snapshot_edits.source_doc({"title": a.title, "publisher": a.publisher, "date": a.date, "url": a.url,
                                     "symbol": a.symbol, "citation": a.citation, "note": a.note}, "arguments", a.key)
    return snapshot_edits.add_sources(a.facts, {a.key: doc}, dry_run=a.dry_run).text()


def _figure(a: argparse.Namespace) -> str:
    if a.sheet:
        figs, problems = [], []
        for where, cells in _rows(a.sheet, FIGURE_FIELDS, "id"):
            try:
                figs.append(snapshot_edits.figure(cells, a.sheet, where))
            except InputError as e:
                problems += e.problems
        if problems:
            raise InputError(problems)
        return snapshot_edits.add_figures(a.facts, figs, where=a.sheet, dry_run=a.dry_run).text()
    cells = {"id": a.id, "value": a.value, "as_of": a.as_of, "source": a.source, "where": a.where, "text": a.text,
             "rules": ",".join(a.rules), "statuses": a.statuses, "among": a.among,
             "changed_during_period": "true" if a.changed_during_period else "", "shortfall": a.shortfall,
             "not_computed": a.not_computed, "note": a.note}
    fig = snapshot_edits.figure(cells, "arguments", a.id or "figure")
    return snapshot_edits.add_figures(a.facts, [fig], dry_run=a.dry_run).text()


RUN: dict[str, Callable[[argparse.Namespace], str]] = {
    "import-status": _import_status, "import-reports": _import_reports, "source": _source, "figure": _figure,
}
