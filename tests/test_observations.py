"""Issue 16: a fact is its dated observations, and a date implies what came before it.

Real States of facts/2017 (Tunisia, Palau) with observations a later year adds, on both
engines, at dates on both sides of every boundary.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ccmcheck import api
from ccmcheck.cli import main
from ccmcheck.engine.core import ENGINES

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts" / "2017"
RULE = "art7.initial-report"
COMOROS_7MSP = '  initial_report: {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}\n'


def _with(tmp_path: Path, state: str, initial_report: str) -> Path:
    """A copy of facts/2017 whose `state` file gives `initial_report` (the YAML under the key)."""
    root = tmp_path / "facts"
    shutil.copytree(FACTS, root)
    f = root / "states" / f"{state}.yaml"
    text = f.read_text(encoding="utf-8")
    assert COMOROS_7MSP in text
    f.write_text(text.replace(COMOROS_7MSP, f"  initial_report:{initial_report}"), encoding="utf-8")
    return root


def _finding(facts: Path, state: str, day: str, engine: str):
    return next(f for f in api.audit(facts, state, day, engine=engine).findings if f.rule == RULE)


TUNISIA = ' {status: done, on: 2019-06-12, not_done_on: 2018-06-25, source: "7msp#84"}\n'
TUNISIA_LIST = ('\n    - {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}\n'
                '    - {status: not_done, checked_on: 2018-06-25, source: "isu-2018-croatia"}\n'
                '    - {status: done, on: 2019-06-12, source: "monitor-2021-ban-policy"}\n')


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("form", [TUNISIA, TUNISIA_LIST], ids=["one-mapping", "list"])
@pytest.mark.parametrize("day, status", [("2011-08-28", "pending"), ("2011-08-29", "overdue"),
                                         ("2018-06-25", "overdue"), ("2018-06-26", "overdue"),
                                         ("2018-09-04", "overdue"), ("2019-06-11", "overdue"),
                                         ("2019-06-12", "met_late")])
def test_done_on_a_day_means_not_done_before_it(tmp_path: Path, engine: str, form: str, day: str, status: str) -> None:
    facts = _with(tmp_path, "tunisia", form)
    f = _finding(facts, "Tunisia", day, engine)
    assert (f.status, f.due) == (status, date(2011, 8, 28))
    if status == "overdue" and day > "2018-06-25":
        assert "not done as of 2019-06-11" in f.explanation  # implied by "done on 2019-06-12"


@pytest.mark.parametrize("engine", ENGINES)
def test_history_has_one_overdue_interval_up_to_the_day_before_completion(tmp_path: Path, engine: str) -> None:
    facts = _with(tmp_path, "tunisia", TUNISIA)
    track = next(t for t in api.history(facts, states=["Tunisia"], rule_ids=[RULE], engine=engine).tracks)
    spans = [(iv.start.isoformat(), iv.end.isoformat(), iv.status) for iv in track.intervals]
    assert spans[1:] == [("2011-08-29", "2019-06-11", "overdue"), ("2019-06-12", spans[-1][1], "met_late")]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("day, status", [("2016-04-19", "pending"), ("2016-04-20", "unknown"),
                                         ("2017-06-30", "unknown"), ("2018-06-30", "unknown")])
def test_conflicting_observations_give_unknown_naming_both(tmp_path: Path, engine: str, day: str, status: str) -> None:
    # Palau-like: one source has the report on 2016-04-20, the 7MSP report counts it missing on 2017-06-30.
    facts = _with(tmp_path, "palau", '\n    - {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}\n'
                                     '    - {status: done, on: 2016-04-20, source: "monitor-2021-ban-policy"}\n')
    f = _finding(facts, "Palau", day, engine)
    assert f.status == status
    if status == "unknown":
        assert "[7msp#84]" in f.explanation and "[monitor-2021-ban-policy]" in f.explanation
        assert f.missing == ["article7.initial_report (which observation prevails)"]


def test_validate_lists_a_conflict_and_prevails_resolves_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _with(tmp_path, "palau", '\n    - {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}\n'
                                     '    - {status: done, on: 2016-04-20, source: "monitor-2021-ban-policy"}\n')
    assert main(["validate", str(facts)]) == 0
    out = capsys.readouterr().out
    assert ("Palau (PLW) article7.initial_report: not done as of 2017-06-30 [7msp#84] conflicts with "
            "done on 2016-04-20 [monitor-2021-ban-policy]") in out
    f = facts / "states" / "palau.yaml"
    f.write_text(f.read_text().replace('source: "7msp#84"}', 'source: "7msp#84", prevails: "the report was received '
                                       'late; the monitor misdated it", prevails_source: "7msp#85"}'))
    assert main(["validate", str(facts)]) == 0
    assert "conflicting observations" not in capsys.readouterr().out
    for engine in ENGINES:
        assert _finding(facts, "Palau", "2017-06-30", engine).status == "overdue"


def test_prevails_needs_its_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _with(tmp_path, "palau", ' {status: not_done, checked_on: 2017-06-30, source: "7msp#84", prevails: "x"}\n')
    assert main(["validate", str(facts)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "palau.yaml" in captured.err and "prevails_source" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_a_bad_observation_in_a_list_is_named_by_its_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _with(tmp_path, "palau", '\n    - {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}\n'
                                     '    - {status: done, source: "7msp#85"}\n')
    assert main(["validate", str(facts)]) == 2
    err = capsys.readouterr().err
    assert "Palau" in err and "article7.initial_report.1" in err and "exactly one of on, by, between" in err


def test_import_adds_an_observation_and_export_writes_one_row_each(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "facts"
    shutil.copytree(FACTS, root)
    sheet = tmp_path / "rows.csv"
    sheet.write_text("state,fact,status,checked_on,source\n"
                     "Comoros,article7.initial_report,not_done,2018-06-25,isu-2018-croatia\n")
    assert main(["import", str(root), str(sheet)]) == 0
    assert (root / "states" / "comoros.yaml").read_text().endswith(
        "  initial_report:\n"
        '    - {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}\n'
        '    - {status: not_done, checked_on: 2018-06-25, source: isu-2018-croatia}\n')
    out = tmp_path / "all.csv"
    assert main(["export", str(root), "-o", str(out)]) == 0
    rows = [line for line in out.read_text().splitlines() if line.startswith("Comoros,COM,article7.initial_report,")]
    assert len(rows) == 2
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in (root / "states").iterdir()}
    assert main(["import", str(root), str(out)]) == 0
    assert "facts added: 0, replaced: 0" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in (root / "states").iterdir()} == before


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rolled") / "facts-2018"
    assert main(["snapshot", "new", str(out), "--from", str(FACTS), "--as-of", "2018-06-30"]) == 0
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_rolling_forward_keeps_what_was_overdue_when_last_checked(rolled: Path, engine: str) -> None:
    before = api.evaluate(FACTS, engine=engine)
    after = api.evaluate(rolled, engine=engine)
    assert [f for f in after.findings if f.status == "overdue"] == []
    was = {f.iso3 for f in before.findings if f.rule == RULE and f.status == "overdue"}
    kept = {f.iso3 for f in after.findings if f.rule == RULE and f.last_known is not None}
    assert len(was) == 20 and kept == was and "COM" in kept
    comoros = next(f for f in after.findings if f.rule == RULE and f.iso3 == "COM")
    assert comoros.status == "unknown"
    assert comoros.last_known is not None and (comoros.last_known.status, comoros.last_known.on.isoformat(),
                                               comoros.last_known.source) == ("overdue", "2017-06-30", "7msp#84")
    assert comoros.explanation.startswith("overdue when last checked on 2017-06-30 [7msp#84]; nothing recorded since")
    # The day of the check itself still decides: overdue, no last_known.
    on_the_day = next(f for f in api.evaluate(rolled, "2017-06-30", engine=engine).findings
                      if f.rule == RULE and f.iso3 == "COM")
    assert (on_the_day.status, on_the_day.last_known) == ("overdue", None)


def test_fail_on_last_known_and_the_default_view(rolled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(rolled), "--fail-on", "overdue"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(rolled), "--fail-on", "last_known"]) == 1
    out = capsys.readouterr().out
    assert "Overdue when last checked (22)" in out and "Comoros" in out


def test_met_late_before_the_period_is_not_listed() -> None:
    # Honduras and Niger reported between 2016-07-01 and 2017-06-30: in 7MSP's period, not 2017-2018's.
    from ccmcheck.outputs.action import needs_action
    for day, listed in (("2017-06-30", True), ("2018-06-30", False)):
        late = [i.finding for i in needs_action(api.evaluate(FACTS, day)) if i.group.startswith("met late")]
        names = {f.state for f in late if f.rule == RULE}
        assert ({"Honduras", "Niger"} <= names) == listed and (names & {"Honduras", "Niger"} == set()) != listed


def test_changes_orders_two_snapshots_by_as_of(rolled: Path) -> None:
    one = api.changes(FACTS, rolled)
    other = api.changes(rolled, FACTS)
    assert one.to_json() == other.to_json()


def test_latest_is_the_observation_speaking_of_the_latest_day() -> None:
    from ccmcheck.facts.model import Event
    from ccmcheck.facts.observations import latest
    check = Event(status="not_done", checked_on=date(2019, 6, 30), source="a")
    done = Event(status="done", on=date(2019, 8, 1), source="b")
    early = Event(status="done", by=date(2018, 1, 1), source="c")
    assert latest((done, check)) == latest((check, done)) == done
    assert latest((early, check)) == check  # a later check says more than an older completion
    same_day = Event(status="done", on=date(2019, 6, 30), source="d")
    assert latest((check, same_day)) == same_day


def test_last_known_in_the_csv_the_counts_and_the_template(rolled: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io
    assert main(["evaluate", str(rolled), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    comoros = next(r for r in rows if r["iso3"] == "COM" and r["rule"] == RULE)
    assert (comoros["status"], comoros["last_known_status"], comoros["last_known_on"],
            comoros["last_known_source"]) == ("unknown", "overdue", "2017-06-30", "7msp#84")
    stale = [r for r in rows if r["last_known_status"]]
    assert len(stale) == 22 and all(r["status"] == "unknown" for r in stale)
    assert all(r["last_known_on"] == "" for r in rows if not r["last_known_status"])
    assert main(["evaluate", str(rolled), "--counts"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.split()[:1] == [RULE])
    assert "unknown  was overdue" in out and line.split()[-1] == "20"
    sheet = tmp_path / "missing.csv"
    assert main(["export", str(rolled), "-o", str(sheet), "--missing"]) == 0
    asked = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    first = [("when last checked" in r["decides"]) for r in asked]
    n = sum(first)
    assert n >= 22 and first == [True] * n + [False] * (len(asked) - n)  # all of them first, then the others
    assert any(r["iso3"] == "COM" and r["fact"] == "article7.initial_report" for r in asked[:n])


def test_the_scorecard_shows_overdue_when_last_checked_apart(rolled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ccmcheck.outputs import palette, scorecard
    sc = api.matrix(rolled)
    col = next(c for c in sc.columns if c.key == RULE)
    comoros = next(r for r in sc.rows if r.iso3 == "COM").cells[RULE]
    assert comoros.status == "last_known" and str(comoros.due) == "2011-06-30"
    stale = [f for f in api.evaluate(rolled).findings
             if f.rule == RULE and f.last_known is not None and f.last_known.status == "overdue"]
    assert col.totals["last_known"] == len(stale) > 0 and col.totals.get("overdue", 0) == 0
    # its own letter and colour, neither overdue's nor unknown's
    assert scorecard.symbol("last_known") not in (scorecard.symbol("overdue"), scorecard.symbol("unknown"))
    assert len({palette.colour(s) for s in ("last_known", "overdue", "unknown")}) == 3
    assert main(["matrix", str(rolled), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "overdue when last checked" in page and palette.colour("last_known").lower() in page.lower()


def test_the_report_names_who_was_overdue_when_last_checked(rolled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(rolled), "--format", "markdown"]) == 0
    breach = capsys.readouterr().out.split("## Who is in breach", 1)[1].split("\n## ", 1)[0]
    assert "no State in this snapshot is overdue" in breach  # none is in breach on the evidence ...
    sentence = next(x for x in breach.split(". ") if "when last checked" in x)  # ... but none is forgotten
    assert "Comoros" in sentence and "Tunisia" in sentence
