"""`ccmcheck` on the command line: parse arguments, call the library, print, exit.

Exit codes: 0 done; 2 bad input (facts, rules or arguments: one line per
problem on stderr, nothing on stdout); 3 cannot run here (the engine is not
importable).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

from . import api
from .engine.core import ENGINES
from .errors import CcmcheckError, InputError
from . import __version__
from .outputs import calendar, legend, render, report

EXIT_OK, EXIT_INPUT, EXIT_ENV = 0, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError.single("arguments", "", "", f"{message} (see `{self.prog} --help`)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ccmcheck", description="Convention on Cluster Munitions compliance, as rules over sourced facts.")
    p.add_argument("--version", action="version", version=f"ccmcheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser, formats: Sequence[str]) -> None:
        sp.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled rules)")
        sp.add_argument("--format", choices=formats, default="table")

    def evaluating(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="default: the snapshot's as-of date")
        sp.add_argument("--engine", choices=ENGINES, default="durable")

    ev = sub.add_parser("evaluate", help="findings and counts for a snapshot")
    ev.add_argument("facts", metavar="FACTS_DIR")
    evaluating(ev)
    common(ev, ("table", "json", "csv", "markdown"))
    ev.add_argument("--rule", action="append", default=[], metavar="ID", help="only this rule (repeatable)")
    ev.add_argument("--state", action="append", default=[], metavar="NAME", help="only this State (repeatable)")
    ev.add_argument("--all", action="store_true", help="table/markdown: list every finding, not only overdue and unknown")

    au = sub.add_parser("audit", help="one State's standing and findings")
    au.add_argument("facts", metavar="FACTS_DIR")
    au.add_argument("state", metavar="STATE", help="UN name, ISO3 code or alias, any case")
    au.add_argument("--explain", action="store_true", help="for each finding: the rule's text, each fact and date used, why")
    evaluating(au)
    common(au, ("table", "json", "csv", "markdown"))

    ch = sub.add_parser("changes", help="findings whose status changed between two dates or two snapshots")
    ch.add_argument("facts", metavar="FACTS_DIR")
    ch.add_argument("--against", metavar="OTHER_FACTS_DIR", help="compare with this snapshot (default: FACTS_DIR itself)")
    ch.add_argument("--from", dest="from_date", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day before the period began (with --against: FACTS_DIR's as-of date)")
    ch.add_argument("--to", dest="to_date", type=_date, metavar="YYYY-MM-DD", help="default: the as-of date of the later snapshot")
    ch.add_argument("--engine", choices=ENGINES, default="durable")
    common(ch, ("table", "json", "markdown"))

    rc = sub.add_parser("reconcile", help="each figure the snapshot publishes against what the engine computes")
    rc.add_argument("facts", metavar="FACTS_DIR")
    rc.add_argument("--engine", choices=ENGINES, default="durable")
    common(rc, ("table", "json", "markdown"))

    ru = sub.add_parser("rules", help="list the rules with their legal sources")
    common(ru, ("table", "json", "markdown"))

    dl = sub.add_parser("deadlines", help="upcoming and missed deadlines per State, by date")
    dl.add_argument("facts", metavar="FACTS_DIR")
    dl.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD", help="only deadlines due on or after this date")
    dl.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help="only deadlines due on or before this date")
    dl.add_argument("--state", action="append", default=[], metavar="NAME", help="only this State (repeatable)")
    dl.add_argument("--engine", choices=ENGINES, default="durable")
    common(dl, ("table", "json", "ics"))

    rp = sub.add_parser("report", help="the progress report as a document: Markdown, or HTML with charts")
    report.arguments(rp, ENGINES)

    sn = sub.add_parser("snapshot", help="start next year's snapshot: ccmcheck snapshot new NEW_DIR --from FACTS_DIR --as-of DATE")
    snsub = sn.add_subparsers(dest="action", required=True, parser_class=_Parser)
    new = snsub.add_parser("new", help="a new snapshot folder from the last one: same States and facts, new dates")
    new.add_argument("new_dir", metavar="NEW_DIR", help="the folder to create (must not exist, or be empty)")
    new.add_argument("--from", dest="from_dir", required=True, metavar="FACTS_DIR", help="last year's snapshot")
    new.add_argument("--as-of", type=_date, required=True, metavar="YYYY-MM-DD", help="the new snapshot's as-of date")
    new.add_argument("--period-start", type=_date, metavar="YYYY-MM-DD", help="default: the day after FACTS_DIR's as-of date")
    new.add_argument("--title", help="default: 'CCM snapshot as of DATE (period)'")

    sub.add_parser("snapshots", help="the snapshots bundled with the package (usable by name: ccmcheck evaluate 2017)")

    so = sub.add_parser("sources", help="the documents a snapshot's source keys stand for")
    so.add_argument("facts", metavar="FACTS_DIR")
    so.add_argument("--format", choices=("table", "json", "markdown"), default="table")

    ex = sub.add_parser("export", help="the facts as a spreadsheet, one row per fact (or the fill-in template)")
    ex.add_argument("facts", metavar="FACTS_DIR")
    ex.add_argument("-o", "--output", required=True, metavar="FILE", help="a .csv or .xlsx file to create")
    ex.add_argument("--format", choices=("csv", "xlsx"), help="default: from FILE's extension (which must agree)")
    ex.add_argument("--missing", action="store_true", help="the fill-in template: one row per fact that would decide an unknown finding")
    ex.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="with --missing: evaluate as of this date")
    ex.add_argument("--rules", metavar="DIR", help="with --missing: rules folder (default: the bundled rules)")
    ex.add_argument("--engine", choices=ENGINES, default="durable")

    im = sub.add_parser("import", help="merge a .csv or .xlsx of fact rows into the State files (all rows or none)")
    im.add_argument("facts", metavar="FACTS_DIR")
    im.add_argument("file", metavar="FILE", help="a .csv or .xlsx file with the export's columns")
    im.add_argument("--replace", action="store_true", help="let a row overwrite a different fact already there")
    im.add_argument("--dry-run", action="store_true", help="check every row and show what would change; write nothing")

    va = sub.add_parser("validate", help="check facts and rules, reporting every problem")
    va.add_argument("facts", metavar="FACTS_DIR")
    va.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled rules)")
    return p


def run(argv: Sequence[str]) -> str:
    """Do what the arguments say and return the text to print; raises on bad input."""
    a = parser().parse_args(argv)
    if a.command == "evaluate":
        ev = api.evaluate(a.facts, a.as_of, rules=a.rules, engine=a.engine, states=a.state, rule_ids=a.rule)
        return render.evaluation(ev, a.format, a.all)
    if a.command == "audit":
        fb = api.load_facts(a.facts)
        au = api.audit(fb, a.state, a.as_of, rules=a.rules, engine=a.engine)
        return render.audit(au, a.format, a.explain) + _legend(fb, au, a.format, a.explain)
    if a.command in ("snapshot", "snapshots", "sources", "export", "import"):
        return _cycle(a)
    if a.command == "changes":
        return render.changes(api.changes(a.facts, a.against, from_date=a.from_date, to_date=a.to_date, rules=a.rules,
                                      engine=a.engine), a.format)
    if a.command == "reconcile":
        return render.reconciliation(api.reconcile(a.facts, rules=a.rules, engine=a.engine), a.format)
    if a.command == "deadlines":
        return calendar.render(api.deadlines(a.facts, a.start, a.end, states=a.state, rules=a.rules, engine=a.engine), a.format)
    if a.command == "report":
        return report.command(a.facts, a.format, a.output, rules=a.rules, engine=a.engine)
    if a.command == "rules":
        return render.rules(api.load_rules(a.rules), a.format)
    problems = []
    for load, arg in ((api.load_rules, a.rules), (api.load_facts, a.facts)):
        try:
            load(arg)
        except InputError as e:
            problems += e.problems
    if problems:
        raise InputError(problems)
    book, facts = api.load_rules(a.rules), api.load_facts(a.facts)
    return f"ok: {len(facts.states)} States in {a.facts}, {len(book.rules)} rules in {book.path}\n"


def _legend(fb: api.FactBase, au: api.Audit, fmt: str, explain: bool) -> str:
    """Table and Markdown audits end with what their bracketed source keys stand for."""
    if fmt not in ("table", "markdown"):
        return ""
    texts = [f.explanation for f in au.findings] + ([x for f in au.findings for x in f.explain] if explain else [])
    keys = legend.cited(fb.snapshot.sources, texts=texts)
    return (legend.markdown if fmt == "markdown" else legend.text)(fb.snapshot.sources, keys)


def _cycle(a: argparse.Namespace) -> str:
    """The yearly cycle: roll forward, export, import, and what sources and snapshots there are."""
    if a.command == "snapshot":
        return api.new_snapshot(a.new_dir, a.from_dir, a.as_of, start=a.period_start, title=a.title).text()
    if a.command == "snapshots":
        found = api.bundled_snapshots()
        if not found:
            return "no bundled snapshots\n"
        rows = []
        for name, path in found.items():
            fb = api.load_facts(path)
            rows.append([name, str(fb.snapshot.as_of), str(len(fb.states)), fb.snapshot.title])
        return render.table(["name", "as of", "States", "title"], rows) + "use a name where a FACTS_DIR goes: ccmcheck evaluate 2017\n"
    if a.command == "sources":
        srcs = api.sources(a.facts)
        if a.format == "json":
            import json
            return json.dumps({k: v.model_dump(mode="json", exclude_defaults=True, exclude={"where"}) for k, v in srcs.items()},
                              indent=2, ensure_ascii=False) + "\n"
        keys = list(srcs)
        out = (legend.markdown if a.format == "markdown" else legend.text)(srcs, keys, heading=f"Sources of {a.facts}")
        return out.lstrip("\n")
    if a.command == "export":
        out = Path(a.output)
        if a.format and out.suffix.lower() != f".{a.format}":
            raise InputError.single("arguments", "", "--format", f"{a.format} does not match the file {out.name}; name it *.{a.format}")
        n = api.export_facts(a.facts, out, missing=a.missing, as_of=a.as_of, rules=a.rules, engine=a.engine)
        what = "facts to fill in" if a.missing else "facts"
        return f"wrote {out}: {n} rows ({what})\n"
    summary = api.import_facts(a.facts, a.file, replace=a.replace, dry_run=a.dry_run)
    return summary.text(a.file, Path(a.facts))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        out = run(sys.argv[1:] if argv is None else argv)
    except InputError as e:
        for p in e.problems:
            print(f"ccmcheck: {p}", file=sys.stderr)
        return EXIT_INPUT
    except CcmcheckError as e:
        print(f"ccmcheck: {e}", file=sys.stderr)
        return EXIT_ENV
    sys.stdout.write(out)
    return EXIT_OK
