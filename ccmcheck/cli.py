"""`ccmcheck` on the command line: parse arguments, call the library, print, exit.

Exit codes: 0 done; 1 a finding has a status named by `--fail-on` (the output is
printed as usual); 2 bad input (facts, rules or arguments: one line per problem
on stderr, nothing on stdout); 3 cannot run here (the engine is not importable);
4 the result could not be written to standard output (closed, or the disk is
full: one line on stderr, saying what was already written to disk); 130 (143 for
SIGTERM) interrupted: one line, any write in progress rolled back; 141 the reader of a pipe stopped reading (`| head`:
nothing on stderr, as for a Unix tool ended by SIGPIPE).

Every argument is declared here, and those several commands share are declared
once, in parent parsers (`_shared`). A command is a subparser plus a function
`_NAME(args) -> Result` in `COMMANDS`; adding one touches only those two places.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, Sequence, cast

from .engine.choices import ENGINES, LAST_KNOWN, STATUS_ORDER
from .errors import CcmcheckError, InputError
from . import __version__
from .facts.translations import LANGUAGES
from . import grammar
from .importers import commands as importer_commands
from .lazy import lazy_module
from .outputs.safe import printable

if TYPE_CHECKING:
    from .engine.results import Finding

# Each loaded when a command first uses it: `--version` and `--help` load none of them, and
# `evaluate` never loads the report's charts (matplotlib) or the spreadsheets (openpyxl).
api = lazy_module("ccmcheck.api")
localise = lazy_module("ccmcheck.facts.localise")
rules_loader = lazy_module("ccmcheck.rules.loader")
fileio = lazy_module("ccmcheck.fileio")  # tempfile and shutil: only when a result is written to a file
action, calendar, completion, legend, lists, render, report, schemas, scorecard, select, tables, terminal = (
    lazy_module(f"ccmcheck.outputs.{name}")
    for name in ("action", "calendar", "completion", "legend", "lists", "render", "report", "schemas", "scorecard",
                 "select", "tables", "terminal"))

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_ENV, EXIT_OUTPUT, EXIT_PIPE, EXIT_INTERRUPT = 0, 1, 2, 3, 4, 141, 128

EXAMPLES = """examples:
  ccmcheck evaluate facts/2017 --fail-on overdue
      counts per rule, then what needs action by State; exit 1 if anything is overdue
  ccmcheck audit facts/2017 Croatia --explain
      one State: every finding, with the facts, dates and legal text behind it
  ccmcheck deadlines facts/2017 --state Croatia --format ics > croatia.ics
      Croatia's deadlines for the year ahead, to import into a calendar
"""


class Result(NamedTuple):  # a NamedTuple: a frozen dataclass costs a millisecond of start-up to build
    text: str
    code: int = EXIT_OK
    wrote: str = ""  # what was written to disk, said if standard output then fails
    note: str = ""  # one line for standard error (what failed `--fail-on`)
    data: bytes | None = None  # a binary result (an .xlsx workbook), written to `-o FILE`


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


def _statuses(text: str, known: tuple[str, ...] = STATUS_ORDER) -> tuple[str, ...]:
    names = tuple(s.strip() for s in text.split(",") if s.strip())
    wrong = [s for s in names if s not in known]
    if wrong or not names:
        raise argparse.ArgumentTypeError(f"not a status: {', '.join(wrong) or repr(text)} (choose from {', '.join(known)})")
    return names


def _area(text: str) -> str:
    """--area: an area's letter (`B`) or a word of its title (`stockpile`), as the progress report names them."""
    from .engine.areas import area_letter

    try:
        return area_letter(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _fail_statuses(text: str) -> tuple[str, ...]:
    """--fail-on: a status, or `last_known` (unknown now, overdue when last checked)."""
    return _statuses(text, STATUS_ORDER + (LAST_KNOWN,))


def _shared() -> dict[str, argparse.ArgumentParser]:
    """Parent parsers: each argument several commands take, declared once."""
    def parent() -> argparse.ArgumentParser:
        return _Parser(add_help=False)

    facts, rules, engine, as_of, rule, state, fail, output, lang, status = (parent() for _ in range(10))
    facts.add_argument("facts", metavar="FACTS_DIR", help="a snapshot folder (facts/2017 is bundled in the repository)")
    rules.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled rules)")
    engine.add_argument("--engine", choices=ENGINES, default="durable",
                        help="the matcher: durable (durable-rules, default) or reference (pure Python, same findings)")
    as_of.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="evaluate as of this date (default: the snapshot's)")
    rule.add_argument("--rule", action="append", default=[], metavar="ID", help="only this rule (repeatable)")
    rule.add_argument("--area", action="append", default=[], type=_area, metavar="AREA",
                      help="only the rules of this thematic area, as the progress report groups them: A "
                           "universalization, B stockpiles, C clearance, D victim assistance, E cooperation, "
                           "F transparency, G national measures (a letter or a word of its title; repeatable; "
                           "with --rule, the rules in both)")
    state.add_argument("--state", action="append", default=[], metavar="NAME",
                       help="only this State: UN name, ISO3 code or alias, any case (repeatable)")
    fail.add_argument("--fail-on", type=_fail_statuses, default=(), metavar="STATUS[,STATUS]",
                      help=f"exit with 1 when any finding has one of these statuses ({', '.join(STATUS_ORDER)}, or "
                           f"{LAST_KNOWN}: overdue when last checked), to gate a pipeline")
    output.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE (default: standard output; "
                        "xlsx and pdf need a file)")
    lang.add_argument("--lang", choices=sorted(LANGUAGES), help="State names in this UN language where ISO 3166 has a "
                      "translation (default: the UN English names)")
    status.add_argument("--status", type=_statuses, default=(), metavar="STATUS[,STATUS]",
                        help=f"only what has one of these statuses ({', '.join(STATUS_ORDER)})")
    return {"facts": facts, "rules": rules, "engine": engine, "as_of": as_of, "rule": rule, "state": state,
            "fail_on": fail, "output": output, "lang": lang, "status": status}


def _format(sp: argparse.ArgumentParser, formats: Sequence[str], default: str = "table") -> None:
    """--format, its names the same everywhere (`grammar.FORMATS`), in that order."""
    assert set(formats) <= set(grammar.FORMATS), formats
    sp.add_argument("--format", choices=[f for f in grammar.FORMATS if f in formats], default=default,
                    help=f"output format (default: {default})")


class _Unheard:
    """A command's parser when only the list of commands is wanted (`ccmcheck --help`): what is added to it is
    dropped, so the top-level help costs no command's arguments (126 of them, each laid out by argparse)."""

    def add_argument(self, *args: object, **kwargs: object) -> None:
        return None

    def add_subparsers(self, *args: object, **kwargs: object) -> "_Unheard":
        return self

    def add_parser(self, *args: object, **kwargs: object) -> "_Unheard":
        return self


def parser(listing: bool = False) -> argparse.ArgumentParser:
    """The command line's parser; with `listing`, one that knows the commands but not their arguments: it
    can print the top-level help (the same text) and nothing else."""
    p = _Parser(prog="ccmcheck", description="Convention on Cluster Munitions compliance, as rules over sourced facts.",
                epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=VERSION)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    s = {} if listing else _shared()

    def command(name: str, help: str, *parents: str) -> argparse.ArgumentParser:
        made = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                              parents=[s[x] for x in parents if not listing], add_help=not listing)
        return cast(argparse.ArgumentParser, _Unheard()) if listing else made

    ev = command("evaluate", "what needs action, then the counts, for a snapshot", "facts", "as_of", "rule", "state",
                 "status", "rules", "engine", "fail_on", "output", "lang")
    _format(ev, ("table", "json", "csv", "markdown", "xlsx"))
    ev.add_argument("--group-by", choices=("state", "rule"), help="table/markdown: group the list by State or by rule "
                    "(default: what needs action most urgent first; other lists by State)")
    ev.add_argument("--counts", action="store_true", help="table/markdown: the counts per rule and status in full "
                    "(default: one line per kind of rule)")
    ev.add_argument("--all", action="store_true", help="table/markdown: list every finding")

    au = command("audit", "one State's standing and findings", "facts", "as_of", "rule", "status", "rules", "engine",
                 "fail_on", "output", "lang")
    au.add_argument("state", metavar="STATE", help="UN name, ISO3 code or alias, any case")
    au.add_argument("--explain", action="store_true", help="for each finding: the rule's text, each fact and date used, why")
    au.add_argument("--history", action="store_true", help="instead: the State's status intervals over time (see `history`)")
    _format(au, ("table", "json", "csv", "markdown"))

    ch = command("changes", "findings whose status changed between two dates or two snapshots", "facts", "as_of",
                 "rule", "state", "status", "rules", "engine", "output", "lang")
    ch.add_argument("--against", metavar="OTHER_FACTS_DIR", help="compare with this snapshot (default: FACTS_DIR itself)")
    ch.add_argument("--from", dest="from_date", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day before the period began (with --against: FACTS_DIR's as-of date)")
    ch.add_argument("--to", dest="to_date", type=_date, metavar="YYYY-MM-DD", help="default: the as-of date of the later snapshot")
    ch.add_argument("--include-newly-known", action="store_true",
                    help="also list changes from an unknown status (facts missing at the earlier date)")
    _format(ch, ("table", "json", "csv", "markdown", "xlsx"))

    rc = command("reconcile", "each figure the snapshot publishes against what the engine computes", "facts", "rules",
                 "engine", "output", "lang")
    _format(rc, ("table", "json", "markdown"))

    ru = command("rules", "list the rules with their legal sources", "rules", "output")
    _format(ru, ("table", "json", "markdown"))

    dl = command("deadlines", "what falls due per State, looking ahead from the snapshot", "facts", "as_of", "state",
                 "rule", "status", "rules", "engine", "output", "lang")
    dl.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                    help="only deadlines due on or after this date (default: the snapshot's as-of date)")
    dl.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                    help="only deadlines due on or before this date (default: the end of the next calendar year)")
    dl.add_argument("--all", action="store_true", help="add the DAP indicators (what an annual report mentions)")
    _format(dl, ("table", "json", "csv", "markdown", "xlsx", "ics"))
    dl.add_argument("--remind", type=int, default=30, metavar="DAYS",
                    help="ics: a reminder this many days before each due date (default: 30; 0: none)")

    hi = command("history", "for each State and rule, the exact intervals over which its status holds", "facts",
                 "as_of", "state", "rule", "status", "rules", "engine", "output", "lang")
    hi.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day the Convention opened for signature")
    hi.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                    help="default: the day after the latest date the facts or rules name")
    _format(hi, ("table", "json", "csv", "markdown", "xlsx"))

    mx = command("matrix", "scorecard: one row per State, one column per obligation and DAP area", "facts", "as_of",
                 "rules", "engine", "output", "lang")
    _format(mx, ("table", "json", "csv", "markdown", "xlsx", "html"))

    rp = command("report", "the progress report as a document: Markdown, HTML with charts, or PDF", "facts", "rules",
                 "engine", "output", "lang")
    _format(rp, ("markdown", "html", "pdf"), default="markdown")
    rp.add_argument("--include-newly-known", action="store_true",
                    help="also list, under the changes during the period, those from an unknown status")

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

    so = command("sources", "the documents a snapshot's source keys stand for", "facts", "output")
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
    rc.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="with --against: the list's date (default: the "
                    "snapshot's); without it, the report's figures are the snapshot's own dates'")
    importer_commands.register(command, _date, _Parser)
    co = command("completion", "the shell completion script for bash, zsh or fish (see README)")
    co.add_argument("shell", choices=completion.SHELLS, help="the shell to complete for")
    co.add_argument("--words", choices=completion.WORDS, help=argparse.SUPPRESS)  # the scripts' call back
    co.add_argument("line", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    si = command("site", "a static website of the snapshot: scorecard, a page per State and per rule (docs/web.md)",
                 "facts", "as_of", "rules", "engine", "lang")
    si.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write (new, empty, or an "
                    "earlier site, which is replaced)")
    se = command("serve", "a read-only JSON API and the site over HTTP (docs/web.md)", "facts", "rules", "engine")
    se.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)")
    se.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    return p


def _select_area(a: argparse.Namespace) -> None:
    """--area as the rule ids it stands for (those also named by --rule, if any), so that every command selects by
    rule alone."""
    if not getattr(a, "area", None):
        return
    from .engine.areas import rules_of_areas

    a.rule = rules_of_areas((r.id for r in api.load_rules(a.rules).rules), a.area, a.rule)


def _localise(a: argparse.Namespace) -> None:
    """With --lang, the facts folders the command reads, with each State named in that language (the site
    localises its own facts: its search keeps the English names)."""
    if getattr(a, "lang", None) and a.command != "site":
        a.facts = localise.localised(api.load_facts(a.facts), a.lang)
        if a.command == "changes" and a.against is not None:
            a.against = localise.localised(api.load_facts(a.against), a.lang)


# ---------------------------------------------------------------- commands

def _failing(text: str, findings: Sequence[Finding], statuses: Sequence[str]) -> Result:
    """The result, failed (exit 1, with what failed it on standard error) if a finding has one of `statuses`."""
    why = action.failed(findings, statuses) if statuses else ""
    return Result(text, EXIT_FAIL, note=f"--fail-on: {why}") if why else Result(text)


def _sheet(parts: Callable[[], list[tables.Part]], fmt: str) -> Result | None:
    """A result as a spreadsheet (`csv`, `xlsx`), or None for the command's own renderer (the rows are built
    only for a spreadsheet)."""
    if fmt not in ("csv", "xlsx"):
        return None
    out = tables.render(parts(), fmt)
    return Result("", data=out) if isinstance(out, bytes) else Result(out)


def _evaluate(a: argparse.Namespace) -> Result:
    ev = api.evaluate(a.facts, a.as_of, rules=a.rules, engine=a.engine, states=a.state, rule_ids=a.rule)
    sel = render.Selection(statuses=a.status, everything=a.all, group_by=a.group_by, counts=a.counts)
    sheet = _sheet(lambda: tables.evaluation(ev, a.status), a.format)
    text = sheet.text if sheet else render.evaluation(ev, a.format, sel)
    return _failing(text, ev.findings, a.fail_on)._replace(data=sheet.data if sheet else None)


def _audit(a: argparse.Namespace) -> Result:
    if a.history:
        if a.fail_on or a.explain:
            raise InputError.single("arguments", "", "--history", f"{'--fail-on' if a.fail_on else '--explain'} does "
                                    "not apply to --history (it lists intervals, not findings); drop one")
        h = api.history(a.facts, states=[a.state], rules=a.rules, engine=a.engine, end=a.as_of, rule_ids=a.rule)
        return Result(render.history(select.history(h, a.status), a.format))
    fb = a.facts if isinstance(a.facts, api.FactBase) else api.load_facts(a.facts)  # a FactBase with --lang
    au = select.audit(api.audit(fb, a.state, a.as_of, rules=a.rules, engine=a.engine, rule_ids=a.rule), a.status)
    return _failing(render.audit(au, a.format, a.explain) + _legend(fb, au, a.format, a.explain), au.findings,
                    a.fail_on)


def _legend(fb: api.FactBase, au: api.Audit, fmt: str, explain: bool) -> str:
    """Table and Markdown audits end with what their bracketed source keys stand for."""
    if fmt not in ("table", "markdown"):
        return ""
    texts = [f.explanation for f in au.findings] + ([x for f in au.findings for x in f.explain] if explain else [])
    keys = legend.cited(fb.snapshot.sources, texts=texts)
    return (legend.markdown if fmt == "markdown" else legend.text)(fb.snapshot.sources, keys)


def _until(a: argparse.Namespace, given: date | None, option: str) -> date | None:
    """--as-of, where a command's own --to already says the last day: the same date, given once."""
    if a.as_of and given:
        raise InputError.single("arguments", "", option, f"--as-of and {option} say the same thing: give one")
    return a.as_of or given


def _changes(a: argparse.Namespace) -> Result:
    c = api.changes(a.facts, a.against, from_date=a.from_date, to_date=_until(a, a.to_date, "--to"), rules=a.rules,
                    engine=a.engine, states=a.state, rule_ids=a.rule)
    c = select.changes(c, a.status)
    return _sheet(lambda: tables.changes(c, a.include_newly_known), a.format) or Result(
        render.changes(c, a.format, a.include_newly_known))


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
                        rule_ids=a.rule, as_of=a.as_of)
    cal = select.calendar(cal, a.status)
    return _sheet(lambda: tables.deadlines(cal), a.format) or Result(calendar.render(cal, a.format, remind=a.remind))


def _history(a: argparse.Namespace) -> Result:
    h = api.history(a.facts, start=a.start, end=_until(a, a.end, "--to"), rules=a.rules, engine=a.engine,
                    states=a.state, rule_ids=a.rule)
    h = select.history(h, a.status)
    return _sheet(lambda: tables.history(h), a.format) or Result(render.history(h, a.format))


def _matrix(a: argparse.Namespace) -> Result:
    sc = api.matrix(a.facts, a.as_of, rules=a.rules, engine=a.engine)
    return _sheet(lambda: tables.scorecard(sc), a.format) or Result(scorecard.render(sc, a.format))


def _report(a: argparse.Namespace) -> Result:
    text = report.command(a.facts, a.format, rules=a.rules, engine=a.engine, newly_known=a.include_newly_known)
    return Result("", data=text) if isinstance(text, bytes) else Result(text)


def _site(a: argparse.Namespace) -> Result:
    from .web import site  # the web layer sits above the library: imported only by its commands
    return Result(site.build(a.facts, a.output, a.as_of, lang=a.lang, rules=a.rules, engine=a.engine).text())


def _serve(a: argparse.Namespace) -> Result:
    from .web import server
    server.serve(a.facts, host=a.host, port=a.port, rules=a.rules, engine=a.engine)
    return Result("")


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
    wrote = "" if a.dry_run else f"the facts were written to {len(summary.files)} file(s) in {a.facts}"
    return Result(summary.text(a.file, Path(a.facts)), wrote=wrote)


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
    found = api.conflicts(facts)
    listed = "".join(f"  {c.text()}\n" for c in found)
    return Result(f"ok: {len(facts.states)} States in {a.facts}, {len(book.rules)} rules in {book.where}\n"
                  + (f"{len(found)} conflicting observations (findings they decide are unknown until one is "
                     f"marked prevails):\n{listed}" if found else ""))


def _schema(a: argparse.Namespace) -> Result:
    return Result(schemas.text(a.kind))


def _completion(a: argparse.Namespace) -> Result:
    if a.words:
        return Result(completion.words(a.words, a.line[1:] if a.line[:1] == ["--"] else a.line))
    return Result(completion.script(parser(), a.shell))


COMMANDS: dict[str, Callable[[argparse.Namespace], Result]] = {
    "evaluate": _evaluate, "audit": _audit, "changes": _changes, "reconcile": _reconcile, "rules": _rules,
    "deadlines": _deadlines, "history": _history, "matrix": _matrix, "report": _report, "site": _site,
    "serve": _serve, "snapshot": _snapshot,
    "snapshots": _snapshots, "sources": _sources, "export": _export, "import": _import, "validate": _validate,
    "schema": _schema, "completion": _completion,
    **{name: (lambda a, run=run: Result(run(a))) for name, run in importer_commands.RUN.items()},
}


def execute(argv: Sequence[str]) -> Result:
    """Do what the arguments say: the text to print and the exit code; raises on bad input."""
    a = parser().parse_args(argv)
    _check_output(a)
    _select_area(a)
    _localise(a)
    return _written(a, COMMANDS[a.command](a))


VERSION = f"ccmcheck {__version__}"
BINARY = ("xlsx", "pdf")
OWN_OUTPUT = ("export", "site")  # their -o is their own (a sheet of facts; a folder): they write it themselves


def _check_output(a: argparse.Namespace) -> None:
    """Before any work: a binary format needs `-o FILE`, and FILE must not be an input."""
    out = getattr(a, "output", None)
    if a.command in OWN_OUTPUT:
        return
    if out is None:
        if getattr(a, "format", None) in BINARY:
            raise InputError.single("arguments", "", "--format", f"{a.format} is a file format: add -o FILE.{a.format}")
        return
    facts = getattr(a, "facts", None)
    rules = getattr(a, "rules", None)
    fileio.check_output_path(out, [Path(x) for x in (facts, rules or rules_loader.default_rules_dir()) if x])


def _written(a: argparse.Namespace, result: Result) -> Result:
    """With `-o FILE`, the result written to FILE (atomically; never over an input) and nothing printed.
    A binary format (xlsx, pdf) needs a file."""
    out = getattr(a, "output", None)
    if a.command in OWN_OUTPUT or out is None:
        return result
    try:
        fileio.write_atomic(Path(out), result.data if result.data is not None else result.text)
    except OSError as e:
        raise InputError.single(out, "", "", f"cannot write the result: {e.strerror or e}") from None
    return result._replace(text="", data=None)


def run(argv: Sequence[str]) -> str:
    """The text `execute` prints (for tests and docs)."""
    return execute(argv).text


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:  # what the parser would print, without building it (a script asks this often)
        return _output(VERSION + "\n")
    if args in (["--help"], ["-h"]):  # the list of commands, without building their arguments
        return _output(parser(listing=True).format_help())
    stop = _on_sigterm()
    earlier = len(_committed())
    try:
        result = execute(args)
        code = _output(result.text, result.wrote)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: a write in progress was rolled back (facts/transaction.py)
        wrote = _committed()[earlier:]
        _error(f"ccmcheck: interrupted after the facts were written to {printable(', '.join(map(str, wrote)))}; "
               "only the summary was lost" if wrote else "ccmcheck: interrupted; nothing was written")
        return EXIT_INTERRUPT + stop.get("signal", 2)
    except OSError as e:  # an output path the checks could not foresee (permissions, a file for a folder)
        _error(f"ccmcheck: {printable(str(e.filename or 'a file'))}: cannot write or read: {e.strerror or e}")
        return EXIT_INPUT
    except InputError as e:
        for p in e.problems:
            _error(f"ccmcheck: {printable(str(p))}")
        return EXIT_INPUT
    except CcmcheckError as e:
        _error(f"ccmcheck: {printable(str(e))}")
        return EXIT_ENV
    if argv is None:  # the process's own run, its work done: a signal from here on ends it as it would any tool
        _default_signals()
    if code == EXIT_OK and result.note:
        _error(f"ccmcheck: {printable(result.note)}")
    return code if code != EXIT_OK else result.code


def _on_sigterm() -> dict[str, int]:
    """SIGTERM ends the run as Ctrl-C does (so a write in progress is rolled back); the
    returned mapping records which signal came, for the exit code 128 + N."""
    got: dict[str, int] = {}

    def stop(signum: int, frame: object) -> None:
        got["signal"] = signum
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # not the main thread (a library caller): leave SIGTERM alone
        pass
    return got


def _committed() -> list[Path]:
    """The folders this process has committed a write of facts to (none if the write path never loaded)."""
    tx = sys.modules.get("ccmcheck.facts.transaction")
    return list(tx.COMMITTED) if tx is not None else []


def _default_signals() -> None:
    """Ctrl-C and SIGTERM back to the system's handling: after the result, never a KeyboardInterrupt traceback."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (ValueError, OSError):  # not the main thread
            pass


def _error(line: str) -> None:
    """One line on standard error; if that is closed, nowhere (never on standard output)."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _output(text: str, wrote: str = "") -> int:
    """Write the result; a standard output that is closed, full or a broken pipe ends
    the run with its exit code and at most one line, not a traceback. `wrote` says what
    the command already wrote to disk, so that line does not read as a failed write."""
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
        done = f" ({wrote}; only the summary was lost)" if wrote else ""
        _error(f"ccmcheck: standard output: cannot write the result: {getattr(e, 'strerror', None) or e}{done}")
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
