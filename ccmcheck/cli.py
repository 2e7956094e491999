"""`ccmcheck` on the command line: parse arguments, call the library, print, exit.

Exit codes: 0 done; 1 a finding has a status named by `--fail-on` (the output is
printed as usual); 2 bad input (facts, rules or arguments: one line per problem
on stderr, nothing on stdout); 3 cannot run here (the engine is not importable).

Every argument is declared here, and those several commands share are declared
once, in parent parsers (`_shared`). A command is a subparser plus a function
`_NAME(args) -> Result` in `COMMANDS`; adding one touches only those two places.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from . import api
from .engine.core import ENGINES
from .engine.results import STATUS_ORDER, Finding
from .errors import CcmcheckError, InputError
from .facts.translations import LANGUAGES, localised
from .outputs import calendar, completion, lists, render, report, schemas, scorecard

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_ENV = 0, 1, 2, 3

EXAMPLES = """examples:
  ccmcheck evaluate facts/2017 --fail-on overdue
      counts per rule, then what needs action by State; exit 1 if anything is overdue
  ccmcheck audit facts/2017 Croatia --explain
      one State: every finding, with the facts, dates and legal text behind it
  ccmcheck deadlines facts/2017 --state Croatia --format ics > croatia.ics
      Croatia's deadlines for the year ahead, to import into a calendar
"""


@dataclass(frozen=True)
class Result:
    text: str
    code: int = EXIT_OK


class _Parser(argparse.ArgumentParser):
    """No abbreviated options (`--rule` is never taken for `--rules`); errors are bad input."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError.single("arguments", "", "", f"{message} (see `{self.prog} --help`)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _statuses(text: str) -> tuple[str, ...]:
    names = tuple(s.strip() for s in text.split(",") if s.strip())
    wrong = [s for s in names if s not in STATUS_ORDER]
    if wrong or not names:
        raise argparse.ArgumentTypeError(f"not a status: {', '.join(wrong) or repr(text)} (choose from {', '.join(STATUS_ORDER)})")
    return names


def _shared() -> dict[str, argparse.ArgumentParser]:
    """Parent parsers: each argument several commands take, declared once."""
    def parent() -> argparse.ArgumentParser:
        return _Parser(add_help=False)

    facts, rules, engine, as_of, rule, state, fail = (parent() for _ in range(7))
    facts.add_argument("facts", metavar="FACTS_DIR", help="a snapshot folder (facts/2017 is bundled in the repository)")
    rules.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled rules)")
    engine.add_argument("--engine", choices=ENGINES, default="durable",
                        help="the matcher: durable (durable-rules, default) or reference (pure Python, same findings)")
    as_of.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="evaluate as of this date (default: the snapshot's)")
    rule.add_argument("--rule", action="append", default=[], metavar="ID", help="only this rule (repeatable)")
    state.add_argument("--state", action="append", default=[], metavar="NAME",
                       help="only this State: UN name, ISO3 code or alias, any case (repeatable)")
    fail.add_argument("--fail-on", type=_statuses, default=(), metavar="STATUS[,STATUS]",
                      help=f"exit with 1 when any finding has one of these statuses ({', '.join(STATUS_ORDER)}), to "
                           "gate a pipeline")
    return {"facts": facts, "rules": rules, "engine": engine, "as_of": as_of, "rule": rule, "state": state,
            "fail_on": fail}


def _format(sp: argparse.ArgumentParser, formats: Sequence[str], default: str = "table") -> None:
    sp.add_argument("--format", choices=formats, default=default, help=f"output format (default: {default})")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ccmcheck", description="Convention on Cluster Munitions compliance, as rules over sourced facts.",
                epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    s = _shared()

    def command(name: str, help: str, *parents: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                              parents=[s[x] for x in parents])

    ev = command("evaluate", "findings and counts for a snapshot", "facts", "as_of", "rule", "state", "rules", "engine",
                 "fail_on")
    _format(ev, ("table", "json", "csv", "markdown"))
    ev.add_argument("--status", type=_statuses, default=(), metavar="STATUS[,STATUS]",
                    help="table/markdown: list the findings with these statuses (default: those that need action, "
                         "overdue and met late); csv: only those rows")
    ev.add_argument("--group-by", choices=("state", "rule"), default="state", help="table/markdown: group the list "
                    "by State (default) or by rule")
    ev.add_argument("--all", action="store_true", help="table/markdown: list every finding")

    au = command("audit", "one State's standing and findings", "facts", "as_of", "rule", "rules", "engine", "fail_on")
    au.add_argument("state", metavar="STATE", help="UN name, ISO3 code or alias, any case")
    au.add_argument("--explain", action="store_true", help="for each finding: the rule's text, each fact and date used, why")
    _format(au, ("table", "json", "csv", "markdown"))

    ch = command("changes", "findings whose status changed between two dates or two snapshots", "facts", "rule",
                 "state", "rules", "engine")
    ch.add_argument("--against", metavar="OTHER_FACTS_DIR", help="compare with this snapshot (default: FACTS_DIR itself)")
    ch.add_argument("--from", dest="from_date", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day before the period began (with --against: FACTS_DIR's as-of date)")
    ch.add_argument("--to", dest="to_date", type=_date, metavar="YYYY-MM-DD", help="default: the as-of date of the later snapshot")
    ch.add_argument("--include-newly-known", action="store_true",
                    help="also list changes from an unknown status (facts missing at the earlier date)")
    _format(ch, ("table", "json", "markdown"))

    rc = command("reconcile", "each figure the snapshot publishes against what the engine computes", "facts", "rules",
                 "engine")
    _format(rc, ("table", "json", "markdown"))

    ru = command("rules", "list the rules with their legal sources", "rules")
    _format(ru, ("table", "json", "markdown"))

    dl = command("deadlines", "what falls due per State, looking ahead from the snapshot", "facts", "state", "rule",
                 "rules", "engine")
    dl.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                    help="only deadlines due on or after this date (default: the snapshot's as-of date)")
    dl.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                    help="only deadlines due on or before this date (default: the end of the next calendar year)")
    dl.add_argument("--all", action="store_true", help="add the DAP indicators (what an annual report mentions)")
    _format(dl, ("table", "json", "ics"))

    mx = command("matrix", "scorecard: one row per State, one column per obligation and DAP area", "facts", "as_of",
                 "rules", "engine")
    _format(mx, ("table", "csv", "markdown", "html", "json"))

    rp = command("report", "the progress report as a document: Markdown, or HTML with charts", "facts", "rules",
                 "engine")
    _format(rp, ("markdown", "html"), default="markdown")
    rp.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: standard output)")

    command("validate", "check facts and rules, reporting every problem", "facts", "rules")
    sc = command("schema", "the JSON Schema of a file format, for editors and other tools")
    sc.add_argument("kind", choices=sorted(schemas.KINDS), help="facts (a State file), snapshot, rules or findings "
                    "(the JSON of `evaluate`)")
    rc.add_argument("--against", metavar="LIST.csv", help="instead: check someone else's list (columns state, and "
                    "optionally status and due) row by row against the facts; needs --rule")
    rc.add_argument("--rule", metavar="ID", help="with --against: the rule the list is about, e.g. art7.initial-report")
    rc.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="with --against: the list's date (default: the snapshot's)")
    co = command("completion", "the shell completion script for bash, zsh or fish (see README)")
    co.add_argument("shell", choices=completion.SHELLS, help="the shell to complete for")
    co.add_argument("--words", choices=completion.WORDS, help=argparse.SUPPRESS)  # the scripts' call back
    co.add_argument("line", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    for name in ("evaluate", "audit", "changes", "deadlines", "matrix", "reconcile", "report"):
        sub.choices[name].add_argument("--lang", choices=sorted(LANGUAGES), help="State names in this UN language "
                                       "where ISO 3166 has a translation (default: the UN English names)")
    return p


def _localise(a: argparse.Namespace) -> None:
    """With --lang, the facts folders the command reads, with each State named in that language."""
    if getattr(a, "lang", None):
        a.facts = localised(api.load_facts(a.facts), a.lang)
        if a.command == "changes" and a.against is not None:
            a.against = localised(api.load_facts(a.against), a.lang)


# ---------------------------------------------------------------- commands

def _failing(findings: Sequence[Finding], statuses: Sequence[str]) -> int:
    return EXIT_FAIL if statuses and any(f.status in statuses for f in findings) else EXIT_OK


def _evaluate(a: argparse.Namespace) -> Result:
    ev = api.evaluate(a.facts, a.as_of, rules=a.rules, engine=a.engine, states=a.state, rule_ids=a.rule)
    sel = render.Selection(statuses=a.status, everything=a.all, group_by=a.group_by)
    return Result(render.evaluation(ev, a.format, sel), _failing(ev.findings, a.fail_on))


def _audit(a: argparse.Namespace) -> Result:
    au = api.audit(a.facts, a.state, a.as_of, rules=a.rules, engine=a.engine, rule_ids=a.rule)
    return Result(render.audit(au, a.format, a.explain), _failing(au.findings, a.fail_on))


def _changes(a: argparse.Namespace) -> Result:
    c = api.changes(a.facts, a.against, from_date=a.from_date, to_date=a.to_date, rules=a.rules, engine=a.engine,
                    states=a.state, rule_ids=a.rule)
    return Result(render.changes(c, a.format, a.include_newly_known))


def _reconcile(a: argparse.Namespace) -> Result:
    if a.against or a.rule or a.as_of:
        if not (a.against and a.rule):
            raise InputError.single("arguments", "", "", "reconcile --against LIST.csv and --rule ID go together")
        return Result(lists.render(api.check_list(a.facts, a.against, a.rule, a.as_of, rules=a.rules, engine=a.engine),
                                   a.format))
    return Result(render.reconciliation(api.reconcile(a.facts, rules=a.rules, engine=a.engine), a.format))


def _rules(a: argparse.Namespace) -> Result:
    return Result(render.rules(api.load_rules(a.rules), a.format))


def _deadlines(a: argparse.Namespace) -> Result:
    cal = api.deadlines(a.facts, a.start, a.end, states=a.state, rules=a.rules, engine=a.engine, everything=a.all,
                        rule_ids=a.rule)
    return Result(calendar.render(cal, a.format))


def _matrix(a: argparse.Namespace) -> Result:
    return Result(scorecard.render(api.matrix(a.facts, a.as_of, rules=a.rules, engine=a.engine), a.format))


def _report(a: argparse.Namespace) -> Result:
    return Result(report.command(a.facts, a.format, a.output, rules=a.rules, engine=a.engine))


def _validate(a: argparse.Namespace) -> Result:
    """Load each once, collecting the problems of both before failing."""
    problems = []
    try:
        book = api.load_rules(a.rules)
    except InputError as e:
        problems += e.problems
    try:
        facts = api.load_facts(a.facts)
    except InputError as e:
        problems += e.problems
    if problems:
        raise InputError(problems)
    return Result(f"ok: {len(facts.states)} States in {a.facts}, {len(book.rules)} rules in {book.path}\n")


def _schema(a: argparse.Namespace) -> Result:
    return Result(schemas.text(a.kind))


def _completion(a: argparse.Namespace) -> Result:
    if a.words:
        return Result(completion.words(a.words, a.line[1:] if a.line[:1] == ["--"] else a.line))
    return Result(completion.script(parser(), a.shell))


COMMANDS: dict[str, Callable[[argparse.Namespace], Result]] = {
    "evaluate": _evaluate, "audit": _audit, "changes": _changes, "reconcile": _reconcile, "rules": _rules,
    "deadlines": _deadlines, "matrix": _matrix, "report": _report, "validate": _validate, "schema": _schema,
    "completion": _completion,
}


def execute(argv: Sequence[str]) -> Result:
    """Do what the arguments say: the text to print and the exit code; raises on bad input."""
    a = parser().parse_args(argv)
    _localise(a)
    return COMMANDS[a.command](a)


def run(argv: Sequence[str]) -> str:
    """The text `execute` prints (for tests and docs)."""
    return execute(argv).text


def main(argv: Sequence[str] | None = None) -> int:
    try:
        result = execute(sys.argv[1:] if argv is None else argv)
    except InputError as e:
        for p in e.problems:
            print(f"ccmcheck: {p}", file=sys.stderr)
        return EXIT_INPUT
    except CcmcheckError as e:
        print(f"ccmcheck: {e}", file=sys.stderr)
        return EXIT_ENV
    sys.stdout.write(result.text)
    return result.code
