"""`ccmcheck reconcile FACTS_DIR --against LIST.csv --rule ID` (engine/lists.py, outputs/lists.py).

tests/lists/overdue-initial-reports-2017.csv is the kind of list a statement publishes:
the twenty States Parties whose initial Article 7 report was overdue on 30 June 2017,
with due dates, written the way such lists write names ("Cape Verde", "Palestine").
One due date is deliberately wrong: Cape Verde's is its deposit (19 Oct 2010) + 180
days, when Art. 7(1) counts 180 days from entry into force for the State (Art. 17(2):
1 Apr 2011), so 28 Sep 2011.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccmcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
FACTS = str(ROOT / "facts" / "2017")
LIST = str(ROOT / "tests" / "lists" / "overdue-initial-reports-2017.csv")
RULE = ["--rule", "art7.initial-report"]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _csv(tmp_path: Path, text: str) -> str:
    p = tmp_path / "list.csv"
    p.write_text(text, encoding="utf-8")
    return str(p)


def _rows(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = _run([*argv, "--format", "json"], capsys)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_the_wrong_due_date_is_named_with_its_row_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["reconcile", FACTS, "--against", LIST, *RULE], capsys)
    assert (code, err) == (0, "")
    assert "20 rows: 19 agree, 1 wrong, 0 undecided" in out
    assert "Row 4, Cabo Verde (CPV): wrong" in out
    assert ("the list gives due 2011-04-17; the facts give 2011-09-28: the list's date is treaty.deposit 2010-10-19 "
            "+ 180 days; CCM Art. 7(1) counts 180 days from art17.entry-into-force (2011-04-01)") in out
    # the date chain, as `audit --explain` gives it
    assert "due (CCM Art. 7(1)): 2011-09-28 = art17.entry-into-force 2011-04-01 + 180 days" in out
    doc = _rows(["reconcile", FACTS, "--against", LIST, *RULE], capsys)
    assert [(r["row"], r["state"]) for r in doc["rows"] if r["verdict"] != "agrees"] == [(4, "Cabo Verde")]
    assert doc["omitted"] == []


def test_wrong_status_not_applying_and_left_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = _csv(tmp_path, "state,status\nCroatie,overdue\nBelize,overdue\nAngola,overdue\n")
    doc = _rows(["reconcile", FACTS, "--against", listed, *RULE], capsys)
    by_state = {r["state"]: r for r in doc["rows"]}
    assert by_state["Croatia"]["verdict"] == "wrong"
    assert by_state["Croatia"]["why"][0].startswith("the list says overdue; the facts say met")
    assert by_state["Belize"]["verdict"] == "agrees"
    assert by_state["Angola"]["verdict"] == "wrong"  # a Signatory: the rule does not apply
    assert "art7.initial-report does not apply to Angola as of 2017-06-30: Signatory" in by_state["Angola"]["why"][0]
    left_off = [o["state"] for o in doc["omitted"]]
    assert "Palau" in left_off and "Belize" not in left_off and len(left_off) == 19


def test_what_the_facts_cannot_decide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = _csv(tmp_path, "state,status,due\nAlbania,overdue,2011-01-28\n")
    doc = _rows(["reconcile", FACTS, "--against", listed, *RULE, "--as-of", "2015-06-18"], capsys)
    (row,) = doc["rows"]
    assert row["verdict"] == "undecided" and row["due"] == "2011-01-28"
    assert row["why"] == ["the list says overdue; the facts cannot decide; missing: article7.initial_report"]


def test_a_list_without_status_checks_the_due_dates_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = _csv(tmp_path, "\ufeffState,Due\nХорватия,2011-01-28\n")  # a spreadsheet's BOM and capitals
    doc = _rows(["reconcile", FACTS, "--against", listed, *RULE], capsys)
    assert [(r["state"], r["verdict"]) for r in doc["rows"]] == [("Croatia", "agrees")]
    assert doc["omitted"] == []


def test_bad_rows_are_bad_input_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = _csv(tmp_path, "state,status,due\nXyzzy,overdue,2011-01-01\nBelize,late,2015-08-28\n"
                            "Fiji,overdue,30/04/2011\nBelize,overdue,\nNauru,overdue\n")
    code, out, err = _run(["reconcile", FACTS, "--against", listed, *RULE], capsys)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 4
    assert lines[0] == f"ccmcheck: {listed}: row 2: state: 'Xyzzy': no State of that name, ISO3 code or alias"
    assert lines[1].startswith(f"ccmcheck: {listed}: row 3: status: 'late' is not a status; use one of met, met_late, "
                               "overdue, pending")
    assert lines[2:] == [f"ccmcheck: {listed}: row 4: due: '30/04/2011' is not a date (YYYY-MM-DD)",
                         f"ccmcheck: {listed}: row 6: 2 cells for 3 columns"]


@pytest.mark.parametrize("text,message", [
    ("name,due\nBelize,2015-08-28\n", "row 1: the header needs a `state` column (and optionally status, due)"),
    ("state,stauts\nBelize,overdue\n", "row 1: unknown column 'stauts'; the columns are state, status, due"),
    ("state\nBelize\nbelize\n", "row 3: state: 'belize' is the same State as row 2"),
])
def test_bad_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    listed = _csv(tmp_path, text)
    code, out, err = _run(["reconcile", FACTS, "--against", listed, *RULE], capsys)
    assert (code, out) == (2, "") and err.splitlines() == [f"ccmcheck: {listed}: {message}"]


def test_against_needs_a_rule_and_a_known_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["reconcile", FACTS, "--against", LIST], capsys)
    assert (code, out) == (2, "") and "--against LIST.csv and --rule ID go together" in err
    code, out, err = _run(["reconcile", FACTS, "--against", LIST, "--rule", "art7.initial"], capsys)
    assert (code, out) == (2, "") and "no rule with this id" in err
    code, out, err = _run(["reconcile", FACTS, "--against", "no-such.csv", *RULE], capsys)
    assert (code, out) == (2, "") and "no-such.csv: cannot read: No such file or directory" in err
