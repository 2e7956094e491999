"""`ccmcheck` on the command line: parse arguments, call the library, print, exit.

Exit codes: 0 done; 2 bad input (facts, rules or arguments: one line per
problem on stderr, nothing on stdout); 3 cannot run here (the engine is not
importable).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Sequence

from . import api
from .engine.core import ENGINES
from .errors import CcmcheckError, InputError
from .outputs import calendar, render, report, scorecard

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

    mx = sub.add_parser("matrix", help="scorecard: one row per State, one column per obligation and DAP area")
    mx.add_argument("facts", metavar="FACTS_DIR")
    evaluating(mx)
    common(mx, ("table", "csv", "markdown", "html", "json"))

    rp = sub.add_parser("report", help="the progress report as a document: Markdown, or HTML with charts")
    rp.add_argument("facts", metavar="FACTS_DIR")
    rp.add_argument("--format", choices=("markdown", "html"), default="markdown")
    rp.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: standard output)")
    rp.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled rules)")
    rp.add_argument("--engine", choices=ENGINES, default="durable")

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
        return render.audit(api.audit(a.facts, a.state, a.as_of, rules=a.rules, engine=a.engine), a.format, a.explain)
    if a.command == "changes":
        return render.changes(api.changes(a.facts, a.against, from_date=a.from_date, to_date=a.to_date, rules=a.rules,
                                      engine=a.engine), a.format)
    if a.command == "reconcile":
        return render.reconciliation(api.reconcile(a.facts, rules=a.rules, engine=a.engine), a.format)
    if a.command == "deadlines":
        return calendar.render(api.deadlines(a.facts, a.start, a.end, states=a.state, rules=a.rules, engine=a.engine), a.format)
    if a.command == "matrix":
        return scorecard.render(api.matrix(a.facts, a.as_of, rules=a.rules, engine=a.engine), a.format)
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
