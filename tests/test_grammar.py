"""One grammar for every command (ccmcheck/grammar.py), and results as spreadsheets, calendars and PDF."""
from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ccmcheck import grammar
from ccmcheck.cli import main, parser, run

ROOT = Path(__file__).resolve().parent.parent
FACTS = str(ROOT / "facts" / "2017")
ENGINE = ("--engine", "reference")


def test_every_command_follows_the_grammar_or_says_why() -> None:
    assert grammar.departures(parser()) == []
    formats = grammar.formats_of(parser())
    for cmd, names in formats.items():
        assert names == [f for f in grammar.FORMATS if f in names], cmd  # the same names, in the same order
    for cmd in ("evaluate", "changes", "deadlines", "history", "matrix"):
        assert {"csv", "xlsx"} <= set(formats[cmd]), cmd


def test_a_departure_without_a_reason_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(grammar.DEPARTURES, ("report", "--as-of"))
    assert grammar.departures(parser()) == ["report --as-of"]


def test_docs_table_is_the_parsers() -> None:
    table = grammar.markdown(parser())
    assert table in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), \
        "paste grammar.markdown(parser()) into docs/cli.md, section 'One grammar'"


def test_as_of_everywhere_it_evaluates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    early = run(["deadlines", FACTS, *ENGINE, "--state", "Chile", "--as-of", "2017-01-01"])
    assert "status as of 2017-01-01" in " ".join(early.split())
    assert "pending" in early and "overdue" not in early  # Chile's report due 2017-04-30, seen before that day
    assert "overdue" in run(["deadlines", FACTS, *ENGINE, "--state", "Chile", "--from", "2017-01-01"])
    assert run(["changes", FACTS, *ENGINE, "--as-of", "2017-06-30", "--format", "json"]) == \
        run(["changes", FACTS, *ENGINE, "--to", "2017-06-30", "--format", "json"])
    with pytest.raises(Exception, match="say the same thing"):
        run(["history", FACTS, *ENGINE, "--as-of", "2017-06-30", "--to", "2017-06-30"])


def test_status_selects_the_same_everywhere() -> None:
    rows = list(csv.DictReader(io.StringIO(run(["deadlines", FACTS, *ENGINE, "--status", "pending", "--format", "csv"]))))
    assert rows and {r["status"] for r in rows} == {"pending"}
    rows = list(csv.DictReader(io.StringIO(run(["history", FACTS, *ENGINE, "--state", "Chile", "--status", "overdue",
                                                "--format", "csv"]))))
    assert rows and {r["status"] for r in rows} == {"overdue"}
    rows = list(csv.DictReader(io.StringIO(run(["changes", FACTS, *ENGINE, "--status", "met", "--format", "csv"]))))
    assert rows and {r["after"] for r in rows} == {"met"}


@pytest.mark.parametrize("cmd, sheets", [
    (["evaluate"], ["findings", "needs action", "counts"]),
    (["matrix"], ["scorecard", "totals"]),
    (["deadlines"], ["deadlines"]),
    (["changes", "--include-newly-known"], ["changed", "newly known"]),
    (["history", "--state", "Chile"], ["history"]),
])
def test_xlsx_and_csv_agree(cmd: list[str], sheets: list[str], tmp_path: Path) -> None:
    book = tmp_path / "out.xlsx"
    assert main([cmd[0], FACTS, *cmd[1:], *ENGINE, "--format", "xlsx", "-o", str(book)]) == 0
    wb = load_workbook(book)
    assert wb.sheetnames == sheets
    ws = wb.worksheets[0]
    assert ws.freeze_panes in ("A2", "D2") and ws.auto_filter.ref
    text = run([cmd[0], FACTS, *cmd[1:], *ENGINE, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(text)))
    assert [c.value for c in ws[1]] == rows[0]  # the same columns
    assert ws.max_row == len(rows)
    dated = [c for r in ws.iter_rows(min_row=2) for c in r if isinstance(c.value, date)]
    assert dated and all(c.number_format == "yyyy-mm-dd" for c in dated)  # typed dates, not text


def test_spreadsheet_cells_are_neutralised(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    (facts / "states").mkdir(parents=True)
    shutil.copy(Path(FACTS) / "snapshot.yaml", facts)
    text = (Path(FACTS) / "states" / "chile.yaml").read_text(encoding="utf-8")
    (facts / "states" / "chile.yaml").write_text(text.replace('name: "Chile"', 'name: "=HYPERLINK(1)"'), encoding="utf-8")
    out = run(["evaluate", str(facts), *ENGINE, "--format", "csv"])
    assert "'=HYPERLINK(1)" in out and "\n=HYPERLINK" not in out
    book = tmp_path / "e.xlsx"
    assert main(["evaluate", str(facts), *ENGINE, "--format", "xlsx", "-o", str(book)]) == 0
    values = {c.value for r in load_workbook(book).worksheets[0].iter_rows() for c in r}
    assert "'=HYPERLINK(1)" in values and "=HYPERLINK(1)" not in values


def test_xlsx_needs_a_file_and_o_never_writes_over_an_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", FACTS, *ENGINE, "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "add -o FILE.xlsx" in err
    assert main(["evaluate", FACTS, *ENGINE, "-o", str(Path(FACTS) / "snapshot.yaml")]) == 2
    assert "refusing to write" in capsys.readouterr().err


def test_o_writes_what_would_be_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for cmd in (["rules"], ["sources", FACTS], ["audit", FACTS, "Chile", *ENGINE], ["reconcile", FACTS, *ENGINE]):
        target = tmp_path / "out.txt"
        assert main([*cmd, "-o", str(target)]) == 0
        assert capsys.readouterr().out == ""
        assert target.read_text(encoding="utf-8") == run(cmd), cmd


def test_ics_reminders() -> None:
    icalendar = pytest.importorskip("icalendar")
    cal = icalendar.Calendar.from_ical(run(["deadlines", FACTS, *ENGINE, "--state", "Chile", "--format", "ics"]))
    events = [e for e in cal.walk("VEVENT")]
    alarms = [a for e in events for a in e.walk("VALARM")]
    assert events and len(alarms) == len(events)
    assert {str(a["TRIGGER"].dt) for a in alarms} == {"-30 days, 0:00:00"}
    cal = icalendar.Calendar.from_ical(run(["deadlines", FACTS, *ENGINE, "--state", "Chile", "--format", "ics",
                                            "--remind", "7"]))
    assert {a["TRIGGER"].dt.days for a in cal.walk("VALARM")} == {-7}
    assert not icalendar.Calendar.from_ical(run(["deadlines", FACTS, *ENGINE, "--format", "ics", "--remind", "0"])
                                            ).walk("VALARM")


def test_matrix_never_cuts_a_state_name(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [st.name for st in __import__("ccmcheck").load_facts(FACTS).states]
    monkeypatch.setenv("COLUMNS", "200")
    wide = run(["matrix", FACTS, *ENGINE])
    assert "…" not in wide and all(n in wide for n in names)
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run(["matrix", FACTS, *ENGINE])
    assert max(map(len, narrow.splitlines())) <= 80 and "…" not in narrow
    words = set(narrow.split())
    assert all(set(n.split()) <= words for n in names)  # wrapped at a space if need be, never cut


def test_area_selects_the_rules_of_one_thematic_area(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from ccmcheck.cli import main
    from ccmcheck.engine.areas import area_of_rule

    assert main(["evaluate", "2017", "--area", "B", "--format", "json"]) == 0
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert rules and {area_of_rule(r).letter for r in rules} == {"B"} and "art3.stockpile-destruction" in rules
    assert main(["deadlines", "2017", "--area", "stockpile", "--format", "json"]) == 0  # a word of its title
    assert {area_of_rule(d["rule"]).letter for d in json.loads(capsys.readouterr().out)} == {"B"}
    assert main(["evaluate", "2017", "--area", "F", "--rule", "art7.initial-report", "--format", "json"]) == 0
    assert {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"art7.initial-report"}
    assert main(["evaluate", "2017", "--area", "B", "--rule", "art7.initial-report"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == "ccmcheck: arguments: --area: no rule of area B among --rule art7.initial-report"
