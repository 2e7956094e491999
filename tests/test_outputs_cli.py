"""What people see: `evaluate`'s default table, terminal widths, `--fail-on`, `changes`'
two kinds, the article order of rules, the library's date arguments and flat records,
and the command line's habits (no abbreviations, help text, examples)."""
from __future__ import annotations

import argparse
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

import ccmcheck
from ccmcheck.cli import main, parser, run
from ccmcheck.engine.results import RECORD_COLUMNS
from ccmcheck.outputs import terminal
from ccmcheck.outputs.common import contradiction_text, markdown_table, range_text, status_label
from ccmcheck.rules.order import rule_sort_key

ROOT = Path(__file__).resolve().parent.parent
FACTS = str(ROOT / "facts" / "2017")
ENGINE = "reference"  # the engines agree (the rule cases run on both); this one is quicker


@pytest.fixture(scope="module")
def ev() -> ccmcheck.Evaluation:
    return ccmcheck.evaluate(FACTS, engine=ENGINE)


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- evaluate's default table -------------------------------------------------------

def _action_rows(lines: list[str], heading: str) -> list[list[str]]:
    """The rows of one group of the default view (a row, then its reason indented under it)."""
    at = next(i for i, x in enumerate(lines) if x.startswith(heading))
    rows = []
    for x in lines[at + 3:]:
        if not x.strip():
            break
        if not x.startswith(" "):
            rows.append(re.split(r"\s{2,}", x.strip()))
    return rows


def test_default_evaluate_fits_100_columns_and_lists_every_overdue_obligation(
        ev: ccmcheck.Evaluation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Done when: none over 100 characters, every overdue finding, longest overdue first, each with its
    reason whole under it; the counts after them, one line per kind of rule."""
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = _main(capsys, "evaluate", FACTS, "--engine", ENGINE)
    lines = out.splitlines()
    assert code == 0 and max(map(len, lines)) <= 100, max(map(len, lines))
    overdue = [f for f in ev.findings if f.status == "overdue"]
    assert overdue
    rows = _action_rows(lines, "Overdue (")
    assert {(f.state, f.rule, str(f.due)) for f in overdue} == {(r[0], r[1], r[2]) for r in rows}
    dues = [r[2] for r in rows]
    assert dues == sorted(dues) and dues[0] < dues[-1]  # longest overdue (earliest deadline) first
    # each reason is the deciding fact with its source key, on the line under its row, never cut
    text = " ".join(out.split())
    assert "…" not in out and "article7.initial_report not done as of 2017-06-30 [7msp#84]" in text
    assert out.index("Overdue (") < out.index("Met late (") < out.index("Counts (")
    assert "Obligations (6 rules): " in text and "art7.annual-report" not in out.split("Counts (")[1]
    # the DAP indicators not reported and the unknowns are summarised, with the way to list them
    assert "`--status not_reported` lists them" in text and "`--status unknown`" in text


def test_default_evaluate_at_80_columns(ev: ccmcheck.Evaluation, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A new user at 80 columns sees the first overdue State within the first 10 lines."""
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = _main(capsys, "evaluate", FACTS, "--engine", ENGINE)
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80
    first = min((f for f in ev.findings if f.status == "overdue"), key=lambda f: (f.due, f.state))
    assert any(x.startswith(first.state + " ") for x in lines[:10]), lines[:10]
    assert "Bolivia (Plurinational State of)" in out and "2011-10-28" in out  # names and dates are never cut


def test_status_prints_only_those_findings(ev: ccmcheck.Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run(["evaluate", FACTS, "--engine", ENGINE, "--status", "overdue"])
    assert "Counts" not in out and "Needs action" not in out and "Not listed" not in out
    rows = [x for x in out.splitlines()[5:] if re.search(r"\S\s{2,}overdue\s{2,}\d{4}-", x)]  # not the reasons under them
    assert len(rows) == sum(1 for f in ev.findings if f.status == "overdue")
    counted = run(["evaluate", FACTS, "--engine", ENGINE, "--counts"])
    assert "Counts per rule" in counted and "art7.annual-report " in counted.split("Counts per rule")[1]


def test_fail_on_says_what_failed_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(capsys, "evaluate", FACTS, "--engine", ENGINE, "--fail-on", "overdue,pending")
    assert code == 1 and out and len(err.splitlines()) == 1
    assert err.startswith("ccmcheck: --fail-on: 25 overdue: Belize, Bolivia (Plurinational State of), Cabo Verde, …; ")
    assert " pending: " in err
    code, _, err = _main(capsys, "evaluate", FACTS, "--engine", ENGINE, "--fail-on", "overdue", "--state", "Chile")
    assert code == 1 and err == "ccmcheck: --fail-on: 1 overdue: Chile\n"
    code, _, err = _main(capsys, "evaluate", FACTS, "--engine", ENGINE, "--fail-on", "overdue", "--state", "Austria")
    assert code == 0 and err == ""


def test_status_group_by_and_all(ev: ccmcheck.Evaluation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run(["evaluate", FACTS, "--engine", ENGINE, "--status", "met_late,pending", "--group-by", "rule"])
    title = next(x for x in out.splitlines() if x.startswith("Findings"))
    n = sum(1 for f in ev.findings if f.status in ("met_late", "pending"))
    assert title.startswith(f"Findings met late, pending ({n}), by rule")
    body = out.split(title)[1].splitlines()[3:]
    assert len([x for x in body if re.search(r"\S\s{2,}(met late|pending)\s{2,}\d{4}-", x)]) == n  # reasons under them
    assert body[0].startswith("art3.stockpile-destruction")  # by rule, in article order
    rows = run(["evaluate", FACTS, "--engine", ENGINE, "--status", "met_late", "--format", "csv"]).splitlines()
    assert len(rows) == 1 + sum(1 for f in ev.findings if f.status == "met_late") and rows[1].split(",")[3] == "met_late"
    every = run(["evaluate", FACTS, "--engine", ENGINE, "--all", "--rule", "art7.initial-report"])
    assert f"All findings ({len([f for f in ev.findings if f.rule == 'art7.initial-report'])})" in every


def test_counts_tables_show_each_kind_its_own_statuses() -> None:
    """One counts table per kind of rule, each with the statuses of that kind that occur: an indicator's
    table has no `overdue`, a standing's only `holds`."""
    table = run(["evaluate", FACTS, "--engine", ENGINE, "--rule", "art15.signatory-only", "--counts"])
    lines = table.splitlines()
    at = lines.index("Standings:")
    assert lines[at + 1].split() == ["rule", "holds"]
    table = run(["evaluate", FACTS, "--engine", ENGINE, "--rule", "dap.2.1.completion-date", "--rule", "art7.initial-report",
                 "--counts"])
    lines = table.splitlines()
    header = lines[lines.index("Indicators (what the year's report said):") + 1]
    assert header.split() == ["rule", "reported", "not", "reported"] and "overdue" not in header
    obligations = lines[lines.index("Obligations:") + 1]
    assert obligations.split()[:4] == ["rule", "met", "met", "late"] and "overdue" in obligations


def test_audit_fits_the_terminal_and_explain_is_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    out = run(["audit", FACTS, "Croatia", "--engine", ENGINE, "--explain"])
    assert all(len(line) <= 90 or " " not in line.strip() for line in out.splitlines())  # an address is not broken
    assert '"as soon as possible but not later than eight years' in " ".join(out.split())  # full text, wrapped


def test_table_wraps_what_does_not_fit_and_cuts_nothing() -> None:
    rows = [["2017-04-30", "Bolivia (Plurinational State of)", "x" * 200]]
    out = terminal.table(["due", "state", "why"], rows, limit=60)
    assert all(len(x) <= 60 for x in out.splitlines()) and "2017-04-30" in out and "…" not in out
    assert "".join(out.split()).count("x") == 200  # the long cell wraps onto more lines, whole
    kept = terminal.table(["due", "state", "why"], rows, limit=60, keep=("state",))
    assert all(len(x) <= 60 for x in kept.splitlines()) and "Bolivia (Plurinational State of)" in kept
    tight = terminal.table(["due", "state", "why"], rows, limit=40, keep=("state",))
    assert all(len(x) <= 40 for x in tight.splitlines())  # a kept column gives way when nothing else can
    assert {"Bolivia", "(Plurinational", "State", "of)"} <= set(tight.split())  # ... at spaces: no word is cut
    assert terminal.table(["a", "b"], [["1", "2"]], limit=60) == "a  b\n-  -\n1  2\n"
    assert "met on" not in terminal.table(["due", "met on", "why"], [["2017-04-30", "", "because"]], limit=60)


def test_table_measures_display_width() -> None:
    """A name in a double-width script takes two columns per character: the columns after it align."""
    rows = [["中国", "overdue"], ["Chile", "met"]]
    lines = terminal.table(["state", "status"], rows, limit=60).splitlines()
    assert [terminal.display_width(x[: x.index(s)]) for x, s in zip(lines[2:], ("overdue", "met"))] == [7, 7]


def test_plain_text_shortcut_measures_as_wcwidth_does() -> None:
    """ASCII text is measured and cut a column a character without asking wcwidth (the history table's
    12,000 rows): the same widths and pieces wcwidth's own measure gives, a word cut at any limit."""
    import random
    import string

    from wcwidth import wcswidth

    rng = random.Random(21)
    for _ in range(2000):
        text = "".join(rng.choice(string.ascii_letters + string.digits + ".-() ") for _ in range(rng.randint(0, 50)))
        assert terminal.display_width(text) == wcswidth(text)
        word, limit = text.replace(" ", "") or "x", rng.randint(0, 20)
        pieces = terminal._chunks(word, limit)
        assert "".join(pieces) == word and all(len(p) == max(limit, 1) for p in pieces[:-1])
        assert 0 < len(pieces[-1]) <= max(limit, 1)
        assert all(terminal.display_width(x) <= max(limit, 1) for x in terminal.lines_of(text, max(limit, 1)))
        assert " ".join(terminal.lines_of(text, max(limit, 1))).split() == [
            p for w in text.split() for p in (terminal._chunks(w, max(limit, 1)) if len(w) > max(limit, 1) else [w])]


@pytest.mark.parametrize("columns", ["60", "80", "100", "200"])
def test_help_lists_the_commands_without_building_them(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str], columns: str) -> None:
    """`ccmcheck --help` is answered by a parser that knows the commands but not their arguments (start-up,
    issue 21): the same text, at any width, as the whole parser's."""
    monkeypatch.setenv("COLUMNS", columns)
    whole = parser().format_help()
    assert parser(listing=True).format_help() == whole
    for flag in ("--help", "-h"):
        assert main([flag]) == 0
        assert capsys.readouterr().out == whole
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    assert capsys.readouterr().out == whole  # what argparse itself prints


# --- --fail-on ----------------------------------------------------------------------

def test_fail_on_overdue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(capsys, "evaluate", FACTS, "--engine", ENGINE, "--fail-on", "overdue")[0] == 1
    assert _main(capsys, "evaluate", FACTS, "--engine", ENGINE, "--fail-on", "met_late,pending")[0] == 1
    assert _main(capsys, "audit", FACTS, "Guinea-Bissau", "--engine", ENGINE, "--fail-on", "overdue")[0] == 1
    small = tmp_path / "facts"
    (small / "states").mkdir(parents=True)
    shutil.copy(Path(FACTS) / "snapshot.yaml", small)
    for name in ("austria", "france", "norway"):
        shutil.copy(Path(FACTS) / "states" / f"{name}.yaml", small / "states")
    code, out, _ = _main(capsys, "evaluate", str(small), "--engine", ENGINE, "--fail-on", "overdue", "--format", "json")
    statuses = {f["status"] for f in json.loads(out)["findings"]}
    assert code == 0 and statuses and "overdue" not in statuses
    assert _main(capsys, "audit", FACTS, "Austria", "--engine", ENGINE, "--fail-on", "overdue")[0] == 0
    assert _main(capsys, "evaluate", FACTS, "--engine", ENGINE)[0] == 0  # without --fail-on: 0 as before


def test_fail_on_bad_status_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(capsys, "evaluate", FACTS, "--fail-on", "late")
    assert code == 2 and out == "" and "not a status: late" in err and len(err.splitlines()) == 1


# --- changes ------------------------------------------------------------------------

def test_changes_separate_what_happened_from_what_became_known(monkeypatch: pytest.MonkeyPatch) -> None:
    c = ccmcheck.changes(FACTS, engine=ENGINE)
    assert c.changes and all(ch.kind == ("newly_known" if ch.before == "unknown" or (ch.before is None and ch.after == "unknown")
                                          else "happened") for ch in c.changes)
    pairs = {(ch.before, ch.after) for ch in c.happened}
    assert {("pending", "met"), ("pending", "overdue"), ("overdue", "met_late")} <= pairs
    assert not any(ch.before == "unknown" for ch in c.happened)
    monkeypatch.setenv("COLUMNS", "100")
    default = run(["changes", FACTS, "--engine", ENGINE])
    full = run(["changes", FACTS, "--engine", ENGINE, "--include-newly-known"])
    assert f"{len(c.happened)} findings changed during the period" in " ".join(default.split())
    assert len(full.splitlines()) - len(default.splitlines()) >= len(c.newly_known) - 2
    header = default.splitlines()[default.splitlines().index(next(x for x in default.splitlines() if x.startswith("state")))]
    assert header.split()[:4] == ["state", "rule", "before", "after"]  # as in evaluate
    as_json = json.loads(run(["changes", FACTS, "--engine", ENGINE, "--format", "json"]))
    assert {x["kind"] for x in as_json["changes"]} == {"happened"}


def test_changes_now_column_when_a_finding_disappears() -> None:
    c = ccmcheck.changes(FACTS, engine=ENGINE)
    [gone] = [ch for ch in c.changes if ch.rule == "art15.signatory-only" and ch.state == "Madagascar"]
    assert (gone.before, gone.after) == ("holds", None)
    assert gone.explanation.startswith("no finding as of 2017-06-30: the rule no longer applies")
    assert "State Party (ratification deposited 2017-05-20)" in gone.explanation


# --- order, dates, records, public API ----------------------------------------------

def test_rules_sort_by_article_and_action_number(ev: ccmcheck.Evaluation) -> None:
    ids = ["dap.10.1.x", "art17.a", "dap.2.1.x", "art3.a", "dap.4.1a.x", "art15.a", "art7.b", "dap.4.1.x", "art7.a"]
    assert sorted(ids, key=rule_sort_key) == ["art3.a", "art7.a", "art7.b", "art15.a", "art17.a", "dap.2.1.x",
                                              "dap.4.1.x", "dap.4.1a.x", "dap.10.1.x"]
    book = [r.id for r in ccmcheck.load_rules().rules]
    assert book == sorted(book, key=rule_sort_key) and book.index("art3.stockpile-destruction") < book.index("art15.signatory-only")
    assert list(ev.counts) == book
    assert [f.rule for f in ev.findings] == sorted((f.rule for f in ev.findings), key=rule_sort_key)
    assert run(["rules"]).splitlines()[2].startswith("art3.")


def test_dates_as_date_datetime_or_iso_string() -> None:
    fb = ccmcheck.load_facts(FACTS)
    a = ccmcheck.evaluate(fb, date(2018, 1, 1), engine=ENGINE, rule_ids=["art3.stockpile-destruction"])
    b = ccmcheck.evaluate(fb, datetime(2018, 1, 1, 17, 30), engine=ENGINE, rule_ids=["art3.stockpile-destruction"])
    c = ccmcheck.evaluate(fb, "2018-01-01", engine=ENGINE, rule_ids=["art3.stockpile-destruction"])
    assert a.to_json() == b.to_json() == c.to_json() and a.as_of == date(2018, 1, 1)
    assert ccmcheck.audit(fb, "Croatia", "2018-01-01", engine=ENGINE).as_of == date(2018, 1, 1)
    ch = ccmcheck.changes(fb, from_date="2016-06-30", to_date=datetime(2017, 6, 30), engine=ENGINE)
    assert ch.before.endswith("as of 2016-06-30") and ch.after.endswith("as of 2017-06-30")
    with pytest.raises(ccmcheck.InputError, match="not a date"):
        ccmcheck.evaluate(fb, "30/06/2017", engine=ENGINE)


def test_to_records_are_flat_rows(ev: ccmcheck.Evaluation) -> None:
    rows = ev.to_records()
    assert len(rows) == len(ev.findings) and all(tuple(r) == RECORD_COLUMNS for r in rows)
    assert all(isinstance(v, (str, date, type(None))) for r in rows for v in r.values())
    gnb = next(r for r in rows if r["iso3"] == "GNB" and r["rule"] == "art7.initial-report")
    assert gnb["due"] == date(2011, 10, 28) and gnb["status"] == "overdue" and gnb["as_of"] == date(2017, 6, 30)
    assert any(r["missing"] and "; " in r["missing"] for r in rows) or all(len(f.missing) <= 1 for f in ev.findings)


def test_public_api_has_typed_results() -> None:
    for name in ("deadlines", "changes", "reconcile", "Calendar", "Deadline", "Changes", "Change", "Reconciliation",
                 "FigureResult", "as_date"):
        assert name in ccmcheck.__all__ and hasattr(ccmcheck, name)
    assert isinstance(ccmcheck.deadlines(FACTS, engine=ENGINE, states=["Croatia"]), ccmcheck.Calendar)


def test_shared_renderers() -> None:
    assert status_label("met_late") == "met late" and status_label(None) == "no finding"
    assert range_text(6, 9) == "6–9" and range_text(3, 3) == "3" and range_text(None, None) == "not computed"
    assert markdown_table(["a", "b"], [["x|y", "1\n2"]]) == "| a | b |\n|---|---|\n| x\\|y | 1\\n2 |\n"  # a newline adds no row
    rec = ccmcheck.reconcile(FACTS, engine=ENGINE)
    by_id = {f.id: f for f in rec.figures}
    c = rec.contradictions[0]
    text = contradiction_text(c, by_id, lambda i: f"`{i}`")
    assert text.startswith(f"`{c.figures[0]}` ({by_id[c.figures[0]].published}, ") and f"[{c.source}]" in text


# --- the command line's habits ------------------------------------------------------

def _parsers() -> list[argparse.ArgumentParser]:
    top = parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return [top, *sub.choices.values()]


def test_no_abbreviated_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert all(p.allow_abbrev is False for p in _parsers())
    code, out, err = _main(capsys, "changes", FACTS, "--rule", "art3.stockpile-destruction", "--engine", ENGINE)
    assert code == 0 and "no such rules folder" not in err  # --rule is the rule, not --rules
    code, out, err = _main(capsys, "evaluate", FACTS, "--form", "json")
    assert code == 2 and out == "" and "unrecognized arguments: --form" in err


def test_rule_and_state_where_they_make_sense(capsys: pytest.CaptureFixture[str]) -> None:
    for cmd in ("evaluate", "changes", "deadlines"):
        p = next(p for p in _parsers() if p.prog.endswith(cmd))
        assert {"--rule", "--state"} <= set(p._option_string_actions), cmd
    out = run(["audit", FACTS, "Croatia", "--engine", ENGINE, "--rule", "art3.stockpile-destruction", "--format", "json"])
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["art3.stockpile-destruction"]
    out = run(["changes", FACTS, "--engine", ENGINE, "--state", "France", "--format", "json"])
    assert {c["state"] for c in json.loads(out)["changes"]} == {"France"}


def test_every_option_has_help_and_the_top_help_ends_with_three_examples() -> None:
    for p in _parsers():
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert all(a.help for a in action._choices_actions)
            else:
                assert action.help, (p.prog, action.dest)
    engine_flags = [p for p in _parsers() if "--engine" in p._option_string_actions]
    assert len({id(p._option_string_actions["--engine"]) for p in engine_flags}) == 1  # declared once, shared
    text = parser().format_help()
    tail = text[text.index("examples:"):].splitlines()[1:]
    assert len([x for x in tail if x.startswith("  ccmcheck ")]) == 3 and text.rstrip().endswith(tail[-1].strip())
