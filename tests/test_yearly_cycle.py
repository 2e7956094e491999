"""The yearly cycle (issue 10): roll a snapshot forward, enter a year's facts from a
spreadsheet, evaluate; export and import round trips; sources anyone can follow; the
snapshot bundled with the package. Every new snapshot here lives in tmp_path: only
sourced facts go in the repository's facts/."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from generated import check_section
from openpyxl import load_workbook

import ccmcheck
from ccmcheck.cli import main, run
from ccmcheck.facts.loader import load_facts

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "2017"
# A source for the invented entries of the tests and the guide's worked example.
EXAMPLE_SOURCE = '''  example:
    title: "Worked example: entries invented for illustration, not a real document"
'''


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _add_example_source(snapshot: Path) -> None:
    text = (snapshot / "snapshot.yaml").read_text(encoding="utf-8")
    (snapshot / "snapshot.yaml").write_text(text.replace("\nconvention:\n", "\n" + EXAMPLE_SOURCE + "convention:\n", 1),
                                            encoding="utf-8")


@pytest.fixture
def rolled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    new = tmp_path / "2018"
    code, out, err = _cli(["snapshot", "new", new, "--from", FACTS, "--as-of", "2018-06-30"], capsys)
    assert (code, err) == (0, "")
    assert "119 State files carried over" in out and "period 2017-07-01 to 2018-06-30" in out
    return new


def _status(facts: Path, state: str, rule: str) -> ccmcheck.Finding:
    ev = ccmcheck.evaluate(facts, states=[state], rule_ids=[rule])
    (f,) = ev.findings
    return f


# --- 1. Roll forward -------------------------------------------------------------------------

def test_roll_forward_carries_states_and_sources_not_figures(rolled: Path) -> None:
    fb = load_facts(rolled)
    old = load_facts(FACTS)
    assert fb.snapshot.as_of.isoformat() == "2018-06-30"
    assert (fb.snapshot.period.start.isoformat(), fb.snapshot.period.end.isoformat()) == ("2017-07-01", "2018-06-30")
    assert fb.snapshot.sources == old.snapshot.sources and fb.snapshot.convention == old.snapshot.convention
    assert fb.snapshot.published == [] and old.snapshot.published
    for f in (FACTS / "states").glob("*.yaml"):
        assert (rolled / "states" / f.name).read_bytes() == f.read_bytes()


def test_rolled_snapshot_needs_new_facts(rolled: Path) -> None:
    # Croatia's 2016 report is history; the report covering 2017 (due 2018-04-30) has no fact yet.
    annual = _status(rolled, "Croatia", "art7.annual-report")
    assert (annual.status, str(annual.due), annual.missing) == ("unknown", "2018-04-30", ["article7.annual_report"])
    # Chad's "not done, checked on 2017-06-30" says nothing about 2018.
    assert _status(rolled, "Chad", "art7.annual-report").status == "unknown"
    stock = _status(rolled, "Croatia", "art3.stockpile-destruction")
    assert (stock.status, str(stock.due)) == ("pending", "2018-08-01")


def test_roll_forward_refuses_a_non_empty_folder_and_an_earlier_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    code, out, err = _cli(["snapshot", "new", tmp_path / "taken", "--from", FACTS, "--as-of", "2018-06-30"], capsys)
    assert (code, out) == (2, "") and "not an empty folder" in err
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    code, out, err = _cli(["snapshot", "new", tmp_path / "new", "--from", FACTS, "--as-of", "2017-01-01"], capsys)
    assert (code, out) == (2, "") and "is not after" in err and not (tmp_path / "new").exists()


# --- The issue's "Done when": the whole cycle ------------------------------------------------

CYCLE_CSV = """state,iso3,fact,status,value,on,by,between_from,between_to,checked_on,kind,source,note
Croatia,HRV,article7.annual_reports.2017,done,,2018-04-20,,,,,,example,
Chad,TCD,article7.annual_reports.2017,done,,2018-05-15,,,,,,example,
Sri Lanka,,treaty.deposit,,,2018-03-01,,,,,accession,untc,103rd State Party
"""


def test_the_whole_cycle(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_example_source(rolled)
    sheet = tmp_path / "2018-entries.csv"
    sheet.write_text(CYCLE_CSV, encoding="utf-8")
    code, out, err = _cli(["import", rolled, sheet], capsys)
    assert (code, err) == (0, "")
    assert "States created: 1: Sri Lanka (LKA)" in out and "facts added: 3, replaced: 0, unchanged: 0" in out

    croatia = _status(rolled, "Croatia", "art7.annual-report")
    assert (croatia.status, str(croatia.met_on)) == ("met", "2018-04-20")
    chad = _status(rolled, "Chad", "art7.annual-report")
    assert (chad.status, str(chad.met_on), str(chad.due)) == ("met_late", "2018-05-15", "2018-04-30")
    eif = _status(rolled, "Sri Lanka", "art17.entry-into-force")
    assert (eif.status, str(eif.due)) == ("pending", "2018-09-01")
    initial = _status(rolled, "Sri Lanka", "art7.initial-report")
    assert (initial.status, str(initial.due)) == ("pending", "2019-02-28")

    # A second file with one bad row (an unknown State): exit 2, the row named, no file changed.
    before = _tree(rolled)
    bad = tmp_path / "more.csv"
    bad.write_text("state,iso3,fact,status,on,source\n"
                   "Croatia,,reported.2017.stockpile_progress,done,2018-04-20,example\n"
                   "Atlantis,,article7.annual_reports.2017,done,2018-04-02,example\n", encoding="utf-8")
    code, out, err = _cli(["import", rolled, bad], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"ccmcheck: {bad}: row 3: state: no State 'Atlantis' in {rolled} "
                                "(a row with treaty.signature or treaty.deposit creates one)"]
    assert _tree(rolled) == before


def test_import_edits_in_place_keeping_comments_and_layout(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_example_source(rolled)
    croatia = rolled / "states" / "croatia.yaml"
    original = "# Croatia: checked against the depositary record\n" + croatia.read_text(encoding="utf-8")
    croatia.write_text(original, encoding="utf-8")
    sheet = tmp_path / "one.csv"
    sheet.write_text("state,fact,status,on,source\nCroatia,article7.annual_reports.2017,done,2018-04-20,example\n")
    assert _cli(["import", rolled, sheet], capsys)[0] == 0
    old_lines, new_lines = original.splitlines(), croatia.read_text(encoding="utf-8").splitlines()
    added = [line for line in new_lines if line not in old_lines]
    assert added == ["    2017: {status: done, on: 2018-04-20, source: example}"]
    assert [line for line in new_lines if line != added[0]] == old_lines
    assert new_lines.index(added[0]) == old_lines.index('    2016: {status: done, by: 2017-06-30, source: "7msp#30"}') + 1


def test_a_new_observation_is_added_beside_the_old_one(rolled: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # Chad's 2016 report was seen not done on 2017-06-30; a report on 2017-08-01 is a further observation.
    chad = rolled / "states" / "chad.yaml"
    sheet = tmp_path / "more.csv"
    sheet.write_text("state,fact,status,on,source\nChad,article7.annual_reports.2016,done,2017-08-01,7msp#30\n")
    code, out, err = _cli(["import", rolled, sheet], capsys)
    assert (code, err) == (0, "") and "facts added: 1, replaced: 0" in out
    assert ("  annual_reports:\n    2016:\n"
            "      - {status: not_done, checked_on: 2017-06-30, source: \"7msp#30\"}\n"
            "      - {status: done, on: 2017-08-01, source: \"7msp#30\"}\n") in chad.read_text()
    again = _tree(rolled)
    assert _cli(["import", rolled, sheet], capsys)[:2] == (0, _cli(["import", rolled, sheet, "--dry-run"], capsys)[1]
                                                           .replace("would write", "wrote").replace(" (dry run: nothing written)", ""))
    assert _tree(rolled) == again  # the same observation twice is one observation


def test_replace_only_corrects_the_same_observation(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Same status, day checked and source: the same observation, so a different note is a correction.
    sheet = tmp_path / "fix.csv"
    sheet.write_text("state,fact,status,checked_on,source,note\n"
                     "Chad,article7.annual_reports.2016,not_done,2017-06-30,7msp#30,corrected\n")
    before = _tree(rolled)
    code, out, err = _cli(["import", rolled, sheet], capsys)
    assert (code, out) == (2, "")
    assert "row 2: fact: Chad already has a different observation of article7.annual_reports.2016 in chad.yaml" in err
    assert "--replace" in err and _tree(rolled) == before
    code, out, err = _cli(["import", rolled, sheet, "--dry-run", "--replace"], capsys)
    assert code == 0 and "replaced: 1" in out and "would write 1 file" in out and _tree(rolled) == before
    assert _cli(["import", rolled, sheet, "--replace"], capsys)[0] == 0
    text = (rolled / "states" / "chad.yaml").read_text()
    assert '    2016: {status: not_done, checked_on: 2017-06-30, source: "7msp#30", note: "corrected"}' in text


@pytest.mark.parametrize("row, column, message", [
    ("Croatia,,article7.annual_reports.2017,done,2018-04-31,,untc", "on", "not a date"),
    ("Croatia,,article7.annual_report.2017,done,2018-04-20,,untc", "fact", "no fact 'article7.annual_report.2017'"),
    ("Croatia,,article7.annual_reports.2017,done,2018-04-20,,monitor", "source", "'monitor' is not listed in snapshot.yaml sources"),
    ("Croatia,,article7.annual_reports.2017,submitted,2018-04-20,,untc", "status", "Input should be 'done', 'not_done' or 'partial'"),
    ("Croatia,,article7.annual_reports.2017,not_done,2018-04-20,,untc", "on", "a not_done event takes checked_on, not on"),
    ("Croatia,,treaty.deposit,,2018-04-20,treaty,untc", "kind", "Input should be 'ratification'"),
    ("Croatia,,article3.stockpile_at_eif,,2018-04-20,,untc", "on", "article3.stockpile_at_eif takes no on"),
    ("Croatia,ALB,article7.annual_reports.2017,done,2018-04-20,,untc", "iso3", "state 'Croatia' and iso3 'ALB' do not name the same State (Croatia is Croatia (HRV); ALB is Albania (ALB))"),
    ("Benin,,article7.initial_report,done,2017-01-05,,untc", "on", "before the State's deposit on 2017-07-10"),
    ("Narnia,,treaty.deposit,,2018-04-20,accession,untc", "state", "'Narnia' is not in the ISO 3166 list"),
])
def test_each_bad_row_is_one_line_naming_row_and_column(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          row: str, column: str, message: str) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("state,iso3,fact,status,on,kind,source\nCroatia,,reported.2017.stockpile_progress,done,2018-04-20,,untc\n"
                     + row + "\n", encoding="utf-8")
    before = _tree(rolled)
    code, out, err = _cli(["import", rolled, sheet], capsys)
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith(f"ccmcheck: {sheet}: row 3: {column}: ") and message in line, line
    assert _tree(rolled) == before


def test_a_failed_write_puts_back_the_files_already_written(rolled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from ccmcheck.facts import transaction

    _add_example_source(rolled)
    sheet = tmp_path / "entries.csv"
    sheet.write_text(CYCLE_CSV, encoding="utf-8")
    real, calls = os.replace, []

    def failing(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(transaction.os, "replace", failing)
    before = _tree(rolled)
    code, out, err = _cli(["import", rolled, sheet], capsys)
    monkeypatch.undo()
    assert (code, out) == (3, "") and "No space left on device; no file was changed" in err
    assert _tree(rolled) == before and len(calls) >= 3  # the first file was renamed, then put back
    assert not [p for p in rolled.rglob("*") if p.name.endswith(".tmp")]


def test_an_xlsx_formula_is_refused(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["state", "fact", "status", "on", "source"])
    wb.active.append(["Croatia", "article7.annual_reports.2017", "done", "=DATE(2018,4,20)", "untc"])
    wb.save(tmp_path / "f.xlsx")
    code, out, err = _cli(["import", rolled, tmp_path / "f.xlsx"], capsys)
    assert (code, out) == (2, "") and err.strip().endswith("f.xlsx: row 2: column D: a formula; enter the value itself")


def test_unknown_column_and_two_rows_for_one_fact(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("state,fact,status,on,source,chcked_on\n")
    code, _, err = _cli(["import", rolled, sheet], capsys)
    assert code == 2 and "row 1: chcked_on: unknown column" in err
    sheet.write_text("state,fact,status,on,source\nChad,article7.annual_reports.2017,done,2018-05-15,untc\n"
                     "Chad,article7.annual_reports.2017,done,2018-05-16,untc\n")
    code, _, err = _cli(["import", rolled, sheet], capsys)
    assert code == 2 and "row 3: fact: row 2 gives a different article7.annual_reports.2017" in err


@pytest.mark.slow  # over 3 s on the 2-core machine (tests/conftest.py): CI runs it, `pytest --slow` too
def test_fill_in_template(rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "fill-in.xlsx"
    code, out, _ = _cli(["export", rolled, "--missing", "-o", template], capsys)
    assert code == 0
    book = load_workbook(template)
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:3] == ["state", "iso3", "fact"] and header[-1] == "decides"
    # one sheet per thematic area, in the areas' order, each with the same header and only its area's rows
    rows, where = [], []
    for ws in book.worksheets:
        assert [c.value for c in ws[1]] == header
        mine = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
        assert mine and {r["area"][:1] for r in mine} == {ws.title[:1]}, ws.title
        rows += mine
        where += [(ws.title, n) for n in range(2, len(mine) + 2)]
    assert [ws.title[:1] for ws in book.worksheets] == sorted({r["area"][:1] for r in rows})
    assert f"{len(rows)} rows" in out
    croatia = [r for r in rows if r["state"] == "Croatia" and r["fact"] == "article7.annual_reports.2017"]
    assert len(croatia) == 1 and croatia[0]["decides"] == "art7.annual-report (unknown, due 2018-04-30)"
    assert all(r["status"] is None and r["source"] is None for r in rows)
    # Nothing entered: importing the template as it is changes nothing.
    before = _tree(rolled)
    code, out, _ = _cli(["import", rolled, template], capsys)
    assert code == 0 and f"rows left blank (skipped): {len(rows)}" in out and _tree(rolled) == before
    # Fill in one row, the way a person would in a spreadsheet, on its area's sheet; and a bad one elsewhere.
    title, n = where[next(i for i, r in enumerate(rows) if r is croatia[0])]
    ws = book[title]
    ws.cell(n, header.index("status") + 1, "done")
    ws.cell(n, header.index("on") + 1).value = __import__("datetime").date(2018, 4, 20)
    ws.cell(n, header.index("source") + 1, "untc")
    other = next(w for w in book.worksheets if w.title != title)
    other.cell(2, header.index("source") + 1, "no-such-source")
    book.save(template)
    code, out, err = _cli(["import", rolled, template], capsys)
    assert code == 2 and out == "" and f"sheet {other.title!r} row 2: " in err and _tree(rolled) == before
    other.cell(2, header.index("source") + 1).value = None
    book.save(template)
    code, out, err = _cli(["import", rolled, template], capsys)
    assert code == 0, err
    assert "facts added: 1" in out
    assert _status(rolled, "Croatia", "art7.annual-report").status == "met"


# --- 2. Round trips ---------------------------------------------------------------------------

def test_csv_round_trip_is_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "2017"
    shutil.copytree(FACTS, copy)
    sheet = tmp_path / "facts.csv"
    code, out, _ = _cli(["export", copy, "--format", "csv", "-o", sheet], capsys)
    n = int(re.search(r"(\d+) rows", out).group(1))  # type: ignore[union-attr]
    assert code == 0 and n > 800
    code, out, _ = _cli(["import", copy, sheet], capsys)
    assert code == 0 and f"facts added: 0, replaced: 0, unchanged: {n}" in out
    assert _tree(copy) == _tree(FACTS)


def test_xlsx_round_trip_gives_the_same_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "facts.xlsx"
    assert _cli(["export", FACTS, "-o", sheet], capsys)[0] == 0
    wb = load_workbook(sheet)
    ws = wb.active
    assert ws.freeze_panes == "D2" and ws["A1"].font.b
    on = [c for c in ws[1] if c.value == "on"][0].column
    assert ws.cell(2, on).is_date and ws.cell(2, on).number_format == "yyyy-mm-dd"
    # Rebuild every State from the workbook alone, into a snapshot holding only Afghanistan.
    rebuilt = tmp_path / "rebuilt"
    (rebuilt / "states").mkdir(parents=True)
    shutil.copy(FACTS / "snapshot.yaml", rebuilt)
    shutil.copy(FACTS / "states" / "afghanistan.yaml", rebuilt / "states")
    code, out, err = _cli(["import", rebuilt, sheet], capsys)
    assert (code, err) == (0, ""), err
    assert "States created: 118" in out
    fb, again = load_facts(FACTS), load_facts(rebuilt)
    assert [s.iso3 for s in fb.states] == [s.iso3 for s in again.states]
    for a, b in zip(fb.states, again.states):
        assert a.model_dump(exclude={"aliases"}) == b.model_dump(exclude={"aliases"}), a.name


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_formula_cells_are_neutralised_and_come_back_exactly(rolled: Path, tmp_path: Path, ext: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    notes = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "'quoted", "''=twice", "plain"]
    chad = rolled / "states" / "chad.yaml"
    text = chad.read_text(encoding="utf-8")
    for i, note in enumerate(notes):  # a JSON string is a YAML double-quoted string
        text = text.replace("  annual_reports:\n", f"  annual_reports:\n    {2030 + i}: {{status: not_done, "
                            f"checked_on: 2017-06-30, source: untc, note: {json.dumps(note)}}}\n", 1)
    chad.write_text(text, encoding="utf-8")
    fb = load_facts(rolled)
    sheet = tmp_path / f"facts.{ext}"
    assert _cli(["export", rolled, "-o", sheet], capsys)[0] == 0
    if ext == "xlsx":
        cells = [c for row in load_workbook(sheet).active.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in cells)  # nothing a spreadsheet runs
        shown = {c.value for c in cells}
    else:
        shown = set(sheet.read_text(encoding="utf-8-sig").replace('"', "").split(","))
    assert "'=HYPERLINK(http://x)" in shown or "'=HYPERLINK(\"http://x\")" in shown
    assert {"'+1", "'-2", "'@SUM(A1)", "''quoted", "'''=twice", "plain"} <= {s.strip() for s in shown}
    before = _tree(rolled)
    code, out, _ = _cli(["import", rolled, sheet], capsys)
    assert code == 0 and "facts added: 0, replaced: 0" in out and _tree(rolled) == before
    assert load_facts(rolled).states == fb.states


def test_export_refuses_to_write_into_the_snapshot(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["export", FACTS, "-o", FACTS / "states" / "facts.csv"], capsys)
    assert (code, out) == (2, "") and "refusing to write inside an input folder" in err
    assert not (FACTS / "states" / "facts.csv").exists()


# --- 3. Sources anyone can follow ---------------------------------------------------------------

def test_no_local_or_shared_path_in_facts_docs_rules_or_package() -> None:
    offenders = []
    for top in ("facts", "docs", "rules", "ccmcheck"):
        for p in (ROOT / top).rglob("*"):
            if p.is_file() and p.suffix in (".yaml", ".md", ".py", ".txt") and "shared/" in p.read_text(encoding="utf-8"):
                offenders.append(str(p.relative_to(ROOT)))
    assert offenders == []


def test_every_2017_source_can_be_found_without_the_repository() -> None:
    for key, src in load_facts(FACTS).snapshot.sources.items():
        assert src.where is None, key
        assert src.title and src.issued_by, key
        assert src.url or "not known" in src.note, key
    assert load_facts(FACTS).snapshot.sources["untc"].url.endswith("XXVI-6.en.xml")


def test_sources_command_and_audit_legend(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(["sources", FACTS], capsys)
    assert code == 0 and "7msp" in out and "https://commons.lib.jmu.edu/cisr-globalcwd/100/" in out
    for extra in ([], ["--explain"], ["--as-of", "2018-08-01"]):
        code, out, _ = _cli(["audit", FACTS, "Croatia", *extra], capsys)
        body, legend = out.split("\nSources cited\n")
        keys = [line.split()[0] for line in legend.splitlines() if not line.startswith("    ")]
        # Croatia's completion "between 2017-07-01 and 2018-07-31" [7msp#18; isu-2018-croatia] is cited on
        # 2017-06-30 too: its date implies the stockpile was not yet destroyed then.
        expected = ["untc", "7msp", "isu-2018-croatia"]
        assert keys == expected, extra
        found = json.loads(run(["audit", str(FACTS), "Croatia", *extra, "--format", "json"]))["findings"]
        full = " ".join(f["explanation"] for f in found)  # the table cuts long explanations
        refs = {part.strip().split("#")[0] for group in re.findall(r"\[([^\[\]]+)\]", full) for part in group.split(";")}
        assert {r for r in refs if " " not in r} == set(keys)  # "[CCM Art. 17(1)]" cites a rule, not a source key
        assert all(len(line) <= 100 or " " not in line.strip() for line in legend.splitlines())
    code, out, _ = _cli(["audit", FACTS, "Croatia", "--format", "markdown"], capsys)
    assert "\n## Sources cited\n\n- `untc`: Convention on Cluster Munitions: status" in out
    code, out, _ = _cli(["audit", FACTS, "Croatia", "--format", "json"], capsys)
    assert "Sources cited" not in out


# --- 4. The bundled snapshot -------------------------------------------------------------------

def test_bundled_snapshot_by_name_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli(["snapshots"], capsys)
    assert code == 0 and re.search(r"^2017 +2017-06-30 +119 ", out, re.M)
    assert run(["evaluate", "2017", "--format", "json"]) == run(["evaluate", str(FACTS), "--format", "json"])
    (tmp_path / "x.csv").write_text("state,fact,status,on,source\nChad,article7.annual_reports.2017,done,2018-05-15,untc\n")
    code, out, err = _cli(["import", "2017", "x.csv"], capsys)  # a bundled snapshot is never written to
    assert (code, out) == (2, "") and "no such facts folder" in err
    (tmp_path / "2017").mkdir()  # a folder of that name here wins over the bundled one
    code, _, err = _cli(["evaluate", "2017"], capsys)
    assert code == 2 and "2017/snapshot.yaml: missing" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0  # answered without building the parser
    assert capsys.readouterr().out == f"ccmcheck {ccmcheck.__version__}\n"
    with pytest.raises(SystemExit) as e:  # the parser's own --version says the same
        main(["--version", "--version"])
    assert e.value.code == 0 and capsys.readouterr().out == f"ccmcheck {ccmcheck.__version__}\n"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'path = "ccmcheck/__init__.py"' in pyproject and '"facts/2017" = "ccmcheck/_bundled_snapshots/2017"' in pyproject


# --- 5. The guide's worked example, built here in a temporary folder ------------------------------

GUIDE = ROOT / "docs" / "yearly-cycle.md"
START, END = "<!-- worked example: generated by tests/test_yearly_cycle.py -->\n", "<!-- end of worked example -->\n"


def worked_example(tmp: Path) -> str:
    """Run the guide's steps in `tmp` and return them as Markdown: each command and what it printed."""
    import contextlib
    import io

    shutil.copytree(FACTS, tmp / "facts" / "2017")
    out: list[str] = []

    def step(text: str, argv: list[str]) -> None:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(argv)
        printed = run_output.getvalue()
        run_output.truncate(0)
        run_output.seek(0)
        shown = " ".join(f'"{a}"' if " " in a else a for a in argv)
        body = (printed + err.getvalue()).replace(str(ROOT) + "/", "")
        status = "" if code == 0 else f"(exit status {code})\n"
        out.append((f"{text}\n\n" if text else "") + f"```\n$ ccmcheck {shown}\n{body}{status}```\n")

    here = Path.cwd()
    os.chdir(tmp)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as run_output:
            step("**1. Roll forward.** The new folder starts with every State file as it was and no published figures:",
                 ["snapshot", "new", "facts/2018", "--from", "facts/2017", "--as-of", "2018-06-30"])
            step("Nothing is known yet about the new period. The report covering 2017 (due 30 April 2018) is `unknown` "
                 "for Croatia, and Chad's \"not submitted, checked on 30 June 2017\" says nothing about 2018:",
                 ["evaluate", "facts/2018", "--state", "Croatia", "--state", "Chad", "--rule", "art7.annual-report",
                  "--format", "csv"])
            step("**2. Export the fill-in template:** one row per fact that would decide an `unknown` finding.",
                 ["export", "facts/2018", "--missing", "-o", "fill-in.xlsx"])
            _add_example_source(tmp / "facts" / "2018")
            (tmp / "entries.csv").write_text(CYCLE_CSV, encoding="utf-8")
            out.append("**3. Cite what you enter.** Every row's `source` must be a key of `sources` in "
                       "`facts/2018/snapshot.yaml`; this example adds one for its invented entries:\n\n"
                       f"```yaml\n{EXAMPLE_SOURCE}```\n\n"
                       "**4. Fill in the rows** (here three, as a CSV; an `.xlsx` works the same). Sri Lanka's "
                       "accession on 1 March 2018 is in the depositary record (`untc`); the two annual reports "
                       "are invented for the example:\n\n"
                       f"```\n$ cat entries.csv\n{CYCLE_CSV}```\n")
            step("**5. Import.** `--dry-run` checks every row and shows what would change:",
                 ["import", "facts/2018", "entries.csv", "--dry-run"])
            step("Then for real. Croatia's and Chad's files gain one line each, in place; Sri Lanka, "
                 "with no file yet, gets one because the row gives its deposit:", ["import", "facts/2018", "entries.csv"])
            out.append(f"```\n$ cat facts/2018/states/sri-lanka.yaml\n"
                       f"{(tmp / 'facts/2018/states/sri-lanka.yaml').read_text(encoding='utf-8')}```\n")
            step("**6. Validate and evaluate.** Croatia met the deadline, Chad met it late, and Sri Lanka's obligations "
                 "run from its entry into force on 1 September 2018:", ["validate", "facts/2018"])
            step("", ["evaluate", "facts/2018", "--state", "Croatia", "--state", "Chad", "--state", "Sri Lanka",
                      "--rule", "art7.annual-report", "--rule", "art7.initial-report", "--rule", "art17.entry-into-force",
                      "--all", "--format", "csv"])
            step("An audit ends with what its source keys stand for:", ["audit", "facts/2018", "Sri Lanka"])
            (tmp / "more.csv").write_text("state,iso3,fact,status,on,source\n"
                                          "Croatia,,reported.2017.stockpile_progress,done,2018-04-20,example\n"
                                          "Atlantis,,article7.annual_reports.2017,done,2018-04-02,example\n",
                                          encoding="utf-8")
            step("A file with one bad row is refused whole: one line per problem, naming the row and the column, "
                 "and no file is changed:", ["import", "facts/2018", "more.csv"])
    finally:
        os.chdir(here)
    return "\n".join(out)


def test_guide_worked_example_is_current(tmp_path: Path) -> None:
    check_section(GUIDE, START, END, worked_example(tmp_path),
                  "CCMCHECK_REGENERATE_DOCS=1 pytest tests/test_yearly_cycle.py -k guide")
