"""`ccmcheck matrix`: the scorecard, State by obligation, agrees with `evaluate`.

Expectations come from the evaluation itself (whatever rules and statuses it has),
never from a hard-coded count.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

import ccmcheck
from ccmcheck.cli import main, run
from ccmcheck.engine import scorecard as engine_scorecard
from ccmcheck.engine.areas import area_of_rule, by_name, is_dap
from ccmcheck.engine.results import Evaluation, Finding
from ccmcheck.outputs import scorecard as out

ROOT = Path(__file__).resolve().parent.parent
FACTS = str(ROOT / "facts" / "2017")


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    return ccmcheck.evaluate(FACTS)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run(["matrix", FACTS, "--format", "csv"]))))


def test_csv_has_one_row_per_state_with_a_finding(ev: Evaluation, rows: list[dict[str, str]]) -> None:
    states = {f.iso3 for f in ev.findings if f.iso3 is not None}
    assert len(rows) == len({r["iso3"] for r in rows}) == len(states)
    assert {r["iso3"] for r in rows} == states


def test_csv_counts_per_column_equal_evaluate(ev: Evaluation, rows: list[dict[str, str]]) -> None:
    obligations = sorted({f.rule for f in ev.findings if f.iso3 is not None and not is_dap(f.rule)})
    assert obligations and all(rule in rows[0] and f"{rule} due" in rows[0] for rule in obligations)
    for rule in obligations:
        wide = {f.status for f in ev.findings if f.rule == rule and f.iso3 is None}
        assert not wide, "a Convention-wide finding of an obligation column would be in no row"
        for status, n in ev.counts[rule].items():
            assert sum(1 for r in rows if r[rule] == status) == n, (rule, status)
    # a DAP area's columns add up its indicators' counts
    for area in {area_of_rule(f.rule) for f in ev.findings if is_dap(f.rule) and f.iso3 is not None}:
        key = f"dap.{area.dap_section}"
        for status in {f.status for f in ev.findings}:
            expected = sum(1 for f in ev.findings if f.iso3 and is_dap(f.rule) and area_of_rule(f.rule) == area
                           and f.status == status)
            assert sum(int(r[f"{key} {status}"] or 0) for r in rows) == expected, (key, status)


def test_a_cell_is_the_finding(ev: Evaluation) -> None:
    sc = ccmcheck.matrix(FACTS)
    by_state = {r.iso3: r for r in sc.rows}
    for f in ev.findings:
        if f.iso3 is not None and not is_dap(f.rule):
            cell = by_state[f.iso3].cells[f.rule]
            assert (cell.status, cell.due, cell.met_on) == (f.status, f.due, f.met_on)
    assert [r.state for r in sc.rows] == by_name([r.state for r in sc.rows])


def test_as_of_is_honoured() -> None:
    later = ccmcheck.matrix(FACTS, date(2019, 1, 1))
    assert later.as_of == date(2019, 1, 1)
    assert later.to_json() != ccmcheck.matrix(FACTS).to_json()


def test_statuses_come_from_the_findings() -> None:
    """A rule kind with statuses of its own (an indicator's `reported`) shows, with its own letter."""
    book = ccmcheck.load_rules()
    rule = next(r.id for r in book.rules if r.id.startswith("dap.4."))
    base = dict(iso3="ZZZ", state="Zedland", due=None, met_on=None, source="s", explanation="e", missing=[])
    found = [Finding(rule=rule, status="reported", **base),
             Finding(rule="art7.initial-report", status="holds", **base)]
    sc = engine_scorecard.build(Evaluation.model_construct(snapshot="t", as_of=date(2017, 6, 30), engine="x",
                                                           findings=found, counts={}, tallies={}), book)
    assert sc.statuses == ["reported", "holds"]
    assert sc.rows[0].cells["dap.4"].counts == {"reported": 1}
    assert [c.totals for c in sc.columns] == [{"reported": 0, "holds": 1}, {"reported": 1, "holds": 0}]
    text = out.table(sc)
    assert "1R" in text and "H reported" not in text and "R reported, H holds" in text
    assert out.symbol("a_new_status") == "A"


def test_html_has_a_letter_with_every_colour_and_anchors(tmp_path: Path) -> None:
    sc = ccmcheck.matrix(FACTS)
    page = out.html(sc)
    assert page == out.html(ccmcheck.matrix(FACTS)), "deterministic"
    assert "<script" not in page.lower()
    chips = re.findall(r'<span class="st" style="background:(#[0-9A-Fa-f]{6});color:(?:white|black)" title="([^"]+)">'
                       r'(?:<span class="st-n">\d+</span>)?([^<]+)</span>', page)
    assert chips and all(letter.strip() for _, _, letter in chips)
    by_status = {title: (colour, letter) for colour, title, letter in chips}
    assert len({l for _, l in by_status.values()}) == len(by_status), "one letter per status"
    assert len({c for c, _ in by_status.values()}) == len(by_status), "one colour per status"
    ids = re.findall(r'<tr id="(state-[a-z]{3})">', page)
    assert len(ids) == len(set(ids)) == len(sc.rows)
    assert all(f'id="{h}"' in page for h in re.findall(r'href="#([^"]+)"', page))


def test_table_fits_a_narrow_terminal() -> None:
    sc = ccmcheck.matrix(FACTS)
    # Indicators count reported / not reported / unknown apart, so the DAP columns need a terminal of about 110.
    wide, narrow = out.table(sc, 120), out.table(sc, 100)
    assert max(map(len, wide.splitlines())) <= 120 and max(map(len, narrow.splitlines())) <= 100
    head = {t: next(ln for ln in t.splitlines() if ln.startswith("State ")) for t in (wide, narrow)}
    dap = [c.label for c in sc.columns if c.kind != "obligation"]
    assert dap and all(f"  {label}" in head[wide] for label in dap)
    assert not any(label in head[narrow] for label in dap) and "DAP columns are left out" in narrow
    assert all(f"  {c.label}" in head[narrow] for c in sc.columns if c.kind == "obligation")


def test_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["matrix", FACTS, "--format", "pdf"]) == 2
    assert capsys.readouterr().out == ""
    assert main(["matrix", FACTS]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 100
    sc = ccmcheck.matrix(FACTS)
    assert sum(1 for ln in lines if ln.startswith("total ")) == len(sc.statuses)
