"""`ccmcheck` on the command line: parse arguments, call the library, print, exit.

Exit codes: 0 done; 1 a finding has a status named by `--fail-on` (the output is
printed as usual); 2 bad input (facts, rules or arguments: one line per problem
on stderr, nothing on stdout); 3 cannot run here (the engine is not importable);
4 the result could not be written to standard output (closed, or the disk is
full: one line on stderr); 141 the reader of a pipe stopped reading (`| head`:
nothing on stderr, as for a Unix tool ended by SIGPIPE).

Every argument is declared here, and those several commands share are declared
once, in parent parsers (`_shared`). A command is a subparser plus a function
`_NAME(args) -> Result` in `COMMANDS`; adding one touches only those two places.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .engine.choices import ENGINES, STATUS_ORDER
from .errors import CcmcheckError, InputError
from . import __version__
from .facts.translations import LANGUAGES
from .lazy import lazy_module
from .outputs.safe import printable

if TYPE_CHECKING:
    from .engine.results import Finding

# Each loaded when a command first uses it: `--version` and `--help` load none of them, and
# `evaluate` never loads the report's charts (matplotlib) or the spreadsheets (openpyxl).
api = lazy_module("ccmcheck.api")
localise = lazy_module("ccmcheck.facts.localise")
calendar, completion, legend, lists, render, report, schemas, scorecard, terminal = (
    lazy_module(f"ccmcheck.outputs.{name}")
    for name in ("calendar", "completion", "legend", "lists", "render", "report", "schemas", "scorecard", "terminal"))

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_ENV, EXIT_OUTPUT, EXIT_PIPE = 0, 1, 2, 3, 4, 141

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
    from .daterange import ISO_DAY, out_of_range  # with pydantic: only when a date is given

    try:
        day = date.fromisoformat(text) if ISO_DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")
    if out_of_range(day):
        raise argparse.ArgumentTypeError(out_of_range(day))
    return day


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
    p.add_argument("--version", action="version", version=f"ccmcheck {__version__}")
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
    au.add_argument("--history", action="store_true", help="instead: the State's status intervals over time (see `history`)")
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

    hi = command("history", "for each State and rule, the exact intervals over which its status holds", "facts",
                 "state", "rule", "rules", "engine")
    hi.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day the Convention opened for signature")
    hi.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day after the latest date the facts or rules name")
    _format(hi, ("table", "json", "csv"))

    mx = command("matrix", "scorecard: one row per State, one column per obligation and DAP area", "facts", "as_of",
                 "rules", "engine")
    _format(mx, ("table", "csv", "markdown", "html", "json"))

    rp = command("report", "the progress report as a document: Markdown, or HTML with charts", "facts", "rules",
                 "engine")
    _format(rp, ("markdown", "html"), default="markdown")
    rp.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: standard output)")

    sn = command("snapshot", "start next year's snapshot: ccmcheck snapshot new NEW_DIR --from FACTS_DIR --as-of DATE")
    snsub = sn.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="ACTION")
    new = snsub.add_parser("new", help="a new snapshot folder from the last one: same States and facts, new dates",
                           allow_abbrev=False)
    new.add_argument("new_dir", metavar="NEW_DIR", help="the folder to create (must not exist, or be empty)")
    new.add_argument("--from", dest="from_dir", required=True, metavar="FACTS_DIR", help="last year's snapshot")
    new.add_argument("--as-of", type=_date, required=True, metavar="YYYY-MM-DD", help="the new snapshot's as-of date")
    new.add_argument("--period-start", type=_date, metavar="YYYY-MM-DD", help="default: the day after FACTS_DIR's as-of date")
    new.add_argument("--title", help="default: 'CCM snapshot as of DATE (period)'")

    command("snapshots", "the snapshots bundled with the package (usable by name: ccmcheck evaluate 2017)")

    so = command("sources", "the documents a snapshot's source keys stand for", "facts")
    _format(so, ("table", "json", "markdown"))

    ex = command("export", "the facts as a spreadsheet, one row per fact (or the fill-in template)", "facts", "as_of",
                 "rules", "engine")
    ex.add_argument("-o", "--output", required=True, metavar="FILE", help="a .csv or .xlsx file to create")
    ex.add_argument("--format", choices=("csv", "xlsx"), help="default: from FILE's extension (which must agree)")
    ex.add_argument("--missing", action="store_true",
                    help="the fill-in template: one row per fact that would decide an unknown finding (--as-of, "
                         "--rules and --engine apply to it)")

    im = command("import", "merge a .csv or .xlsx of fact rows into the State files (all rows or none)", "facts")
    im.add_argument("file", metavar="FILE", help="a .csv or .xlsx file with the export's columns")
    im.add_argument("--replace", action="store_true", help="let a row overwrite a different fact already there")
    im.add_argument("--dry-run", action="store_true", help="check every row and show what would change; write nothing")

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
        a.facts = localise.localised(api.load_facts(a.facts), a.lang)
        if a.command == "changes" and a.against is not None:
            a.against = localise.localised(api.load_facts(a.against), a.lang)


# ---------------------------------------------------------------- commands

def _failing(findings: Sequence[Finding], statuses: Sequence[str]) -> int:
    return EXIT_FAIL if statuses and any(f.status in statuses for f in findings) else EXIT_OK


def _evaluate(a: argparse.Namespace) -> Result:
    ev = api.evaluate(a.facts, a.as_of, rules=a.rules, engine=a.engine, states=a.state, rule_ids=a.rule)
    sel = render.Selection(statuses=a.status, everything=a.all, group_by=a.group_by)
    return Result(render.evaluation(ev, a.format, sel), _failing(ev.findings, a.fail_on))


def _audit(a: argparse.Namespace) -> Result:
    if a.history:
        return Result(render.history(api.history(a.facts, states=[a.state], rules=a.rules, engine=a.engine, end=a.as_of,
                                                 rule_ids=a.rule), a.format))
    fb = a.facts if isinstance(a.facts, api.FactBase) else api.load_facts(a.facts)  # a FactBase with --lang
    au = api.audit(fb, a.state, a.as_of, rules=a.rules, engine=a.engine, rule_ids=a.rule)
    return Result(render.audit(au, a.format, a.explain) + _legend(fb, au, a.format, a.explain),
                  _failing(au.findings, a.fail_on))


def _legend(fb: api.FactBase, au: api.Audit, fmt: str, explain: bool) -> str:
    """Table and Markdown audits end with what their bracketed source keys stand for."""
    if fmt not in ("table", "markdown"):
        return ""
    texts = [f.explanation for f in au.findings] + ([x for f in au.findings for x in f.explain] if explain else [])
    keys = legend.cited(fb.snapshot.sources, texts=texts)
    return (legend.markdown if fmt == "markdown" else legend.text)(fb.snapshot.sources, keys)


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


def _history(a: argparse.Namespace) -> Result:
    return Result(render.history(api.history(a.facts, start=a.start, end=a.end, rules=a.rules, engine=a.engine,
                                             states=a.state, rule_ids=a.rule), a.format))


def _matrix(a: argparse.Namespace) -> Result:
    return Result(scorecard.render(api.matrix(a.facts, a.as_of, rules=a.rules, engine=a.engine), a.format))


def _report(a: argparse.Namespace) -> Result:
    return Result(report.command(a.facts, a.format, a.output, rules=a.rules, engine=a.engine))


def _snapshot(a: argparse.Namespace) -> Result:
    return Result(api.new_snapshot(a.new_dir, a.from_dir, a.as_of, start=a.period_start, title=a.title).text())


def _snapshots(a: argparse.Namespace) -> Result:
    found = api.bundled_snapshots()
    if not found:
        return Result("no bundled snapshots\n")
    rows = []
    for name, path in found.items():
        fb = api.load_facts(path)
        rows.append([name, str(fb.snapshot.as_of), str(len(fb.states)), fb.snapshot.title])
    return Result(terminal.table(["name", "as of", "States", "title"], rows)
                  + "use a name where a FACTS_DIR goes: ccmcheck evaluate 2017\n")


def _sources(a: argparse.Namespace) -> Result:
    srcs = api.sources(a.facts)
    if a.format == "json":
        return Result(json.dumps({k: v.model_dump(mode="json", exclude_defaults=True, exclude={"where"})
                                  for k, v in srcs.items()}, indent=2, ensure_ascii=False) + "\n")
    out = (legend.markdown if a.format == "markdown" else legend.text)(srcs, list(srcs), heading=f"Sources of {a.facts}")
    return Result(out.lstrip("\n"))


def _export(a: argparse.Namespace) -> Result:
    out = Path(a.output)
    if a.format and out.suffix.lower() != f".{a.format}":
        raise InputError.single("arguments", "", "--format", f"{a.format} does not match the file {out.name}; name it *.{a.format}")
    n = api.export_facts(a.facts, out, missing=a.missing, as_of=a.as_of, rules=a.rules, engine=a.engine)
    return Result(f"wrote {out}: {n} rows ({'facts to fill in' if a.missing else 'facts'})\n")


def _import(a: argparse.Namespace) -> Result:
    summary = api.import_facts(a.facts, a.file, replace=a.replace, dry_run=a.dry_run)
    return Result(summary.text(a.file, Path(a.facts)))


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
    "deadlines": _deadlines, "history": _history, "matrix": _matrix, "report": _report, "snapshot": _snapshot,
    "snapshots": _snapshots, "sources": _sources, "export": _export, "import": _import, "validate": _validate,
    "schema": _schema, "completion": _completion,
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
            _error(f"ccmcheck: {printable(str(p))}")
        return EXIT_INPUT
    except CcmcheckError as e:
        _error(f"ccmcheck: {printable(str(e))}")
        return EXIT_ENV
    code = _output(result.text)
    return code if code != EXIT_OK else result.code


def _error(line: str) -> None:
    """One line on standard error; if that is closed, nowhere (never on standard output)."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _output(text: str) -> int:
    """Write the result; a standard output that is closed, full or a broken pipe ends
    the run with its exit code and at most one line, not a traceback."""
    try:
        if sys.stdout is None:
            raise OSError(9, "standard output is closed")
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except (OSError, ValueError) as e:
        _silence_stdout()
        _error(f"ccmcheck: standard output: cannot write the result: {getattr(e, 'strerror', None) or e}")
        return EXIT_OUTPUT
    return EXIT_OK


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the interpreter's last flush of what is
    still buffered cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
