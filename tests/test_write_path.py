"""The write path under hostile conditions (issue 17): what lies around the facts, what the
input file really is, who else is writing, and what the outputs carry."""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from ccmcheck.cli import main
from ccmcheck.facts import transaction
from ccmcheck.outputs import terminal

CORPUS = Path(__file__).resolve().parent / "bad_input"
PREFIX = "ccmcheck: "
ROW = "state,iso3,fact,status,on,source\nAlbania,ALB,article7.annual_reports.2017,done,2018-04-20,untc\n"


def _facts(tmp_path: Path) -> Path:
    facts = tmp_path / "facts"
    shutil.copytree(CORPUS / "audit-unknown-state" / "facts", facts)
    return facts


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def _bad(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    (line,) = err.splitlines()
    return line


def test_import_ignores_links_fifos_and_unreadable_files_beside_the_snapshot(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A link loop, a FIFO and a dangling link beside the State files once made staging copy
    gigabytes or raise shutil.Error; only the files a snapshot is made of are staged."""
    facts = _facts(tmp_path)
    (facts / "loop").symlink_to("..")
    os.mkfifo(facts / "pipe")
    (facts / ".#lock").symlink_to("user@host.1234")
    sheet = tmp_path / "row.csv"
    sheet.write_text(ROW, encoding="utf-8")
    started = time.monotonic()
    assert main(["import", str(facts), str(sheet), "--dry-run"]) == 0
    assert main(["import", str(facts), str(sheet)]) == 0
    assert time.monotonic() - started < 60
    assert "2017: {status: done, on: 2018-04-20" in (facts / "states" / "albania.yaml").read_text(encoding="utf-8")
    capsys.readouterr()


@pytest.mark.parametrize("what", ["fifo", "/dev/zero"])
def test_import_input_must_be_a_regular_file(what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _facts(tmp_path)
    sheet = tmp_path / "in.csv"
    if what == "fifo":
        os.mkfifo(sheet)
    else:
        sheet.symlink_to(what)
    before = _tree(facts)
    assert _bad(["import", str(facts), str(sheet)], capsys) == \
        f"{PREFIX}{sheet}: not a regular file (a folder, FIFO, device or socket)"
    assert _tree(facts) == before


def test_reconcile_against_a_fifo_does_not_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    line = _bad(["reconcile", str(_facts(tmp_path)), "--against", str(fifo), "--rule", "art7.initial-report"], capsys)
    assert line == f"{PREFIX}{fifo}: not a regular file (a folder, FIFO, device or socket)"


def test_xlsx_read_by_its_used_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One cell at XFD1048576 used to mean a billion-cell grid."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["XFD1048576"] = "x"
    wb.save(tmp_path / "far.xlsx")
    started = time.monotonic()
    line = _bad(["import", str(_facts(tmp_path)), str(tmp_path / "far.xlsx")], capsys)
    assert time.monotonic() - started < 20
    assert line == f"{PREFIX}{tmp_path / 'far.xlsx'}: row 1048576: column XFD: beyond the 64 columns a fact row can use"


def test_xlsx_time_only_cell_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import time as clock

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["state", "fact", "status", "on", "source"])
    wb.active.append(["Albania", "article7.annual_reports.2017", "done", clock(0, 0), "untc"])
    wb.save(tmp_path / "t.xlsx")
    line = _bad(["import", str(_facts(tmp_path)), str(tmp_path / "t.xlsx")], capsys)
    assert line.endswith("t.xlsx: row 2: column D: a time of day with no date (Excel's day 0 is 1899-12-30); "
                         "enter the date as YYYY-MM-DD")


def test_a_second_writer_stops_with_one_line_naming_the_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _facts(tmp_path)
    sheet = tmp_path / "row.csv"
    sheet.write_text(ROW, encoding="utf-8")
    monkeypatch.setattr(transaction, "LOCK_WAIT", 0.2)
    before = _tree(facts)
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)", str(facts)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        line = _bad(["import", str(facts), str(sheet)], capsys)
    finally:
        holder.kill()
        holder.wait()
    assert line == (f"{PREFIX}{facts}: locked: another ccmcheck is writing this snapshot (waited 0.2 s for its lock); "
                    "nothing was written, try again")
    assert _tree(facts) == before
    assert main(["import", str(facts), str(sheet)]) == 0  # the lock went with its holder


def test_an_import_that_breaks_evaluation_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An extension earlier than the deadline it extends: every evaluating command would fail after it."""
    facts = _facts(tmp_path)
    sheet = tmp_path / "ext.csv"
    sheet.write_text("state,fact,decided_on,decided_by,new_deadline,source\n"
                     "Afghanistan,article4.extensions,2017-06-01,7MSP,2012-01-01,untc\n", encoding="utf-8")
    before = _tree(facts)
    line = _bad(["import", str(facts), str(sheet)], capsys)
    assert "before the deadline it extends" in line and line.startswith(f"{PREFIX}{sheet}: row 2: ")
    assert _tree(facts) == before


def test_export_xlsx_with_a_control_character_in_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _facts(tmp_path)
    f = facts / "states" / "albania.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('source: "7msp#43"}', 'source: "7msp#43", note: "bell\\x07"}'),
                 encoding="utf-8")
    assert main(["export", str(facts), "-o", str(tmp_path / "x.xlsx")]) == 0
    capsys.readouterr()


def test_matrix_csv_neutralises_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _facts(tmp_path)
    f = facts / "states" / "albania.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('name: "Albania"', 'name: "=1+2"'), encoding="utf-8")
    assert main(["matrix", str(facts), "--format", "csv", "--engine", "reference"]) == 0
    out = capsys.readouterr().out
    assert "\n'=1+2," in out and "\n=1+2" not in out


def test_wide_characters_are_measured_by_display_width() -> None:
    out = terminal.table(["State", "x"], [["丹麦", "M"], ["Chad", "M"]], limit=80)
    rows = out.splitlines()
    assert terminal.display_width(rows[2]) == terminal.display_width(rows[3])
