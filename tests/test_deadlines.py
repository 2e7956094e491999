"""`ccmcheck deadlines`: the deadline calendar built from the engine's findings, and its
table, JSON and iCalendar (RFC 5545) renderings."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ccmcheck import load_rules
from ccmcheck.cli import main, run
from ccmcheck.engine.deadlines import DEADLINE_KINDS, Calendar, Deadline, calendar
from ccmcheck.outputs.calendar import escape_text, fold, to_ics

icalendar = pytest.importorskip("icalendar")

FACTS = str(Path(__file__).resolve().parent.parent / "facts" / "2017")
AS_OF = date(2017, 6, 30)
# The engines agree (the rule cases run on both); the pure-Python one keeps these tests quick.
ENGINE = "reference"


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return calendar(FACTS, engine=ENGINE)


def _cli(*args: str) -> str:
    return run(["deadlines", FACTS, "--engine", ENGINE, *args])


def _find(cal: Calendar, iso3: str | None, rule: str) -> list[Deadline]:
    return [d for d in cal.deadlines if d.iso3 == iso3 and d.rule == rule]


# --- what is listed --------------------------------------------------------------

def test_sorted_by_date_then_state_then_rule(cal: Calendar) -> None:
    keys = [(d.due, d.state, d.rule) for d in cal.deadlines]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert cal.deadlines[0].due < cal.deadlines[-1].due


def test_statuses_as_of_the_snapshot_date(cal: Calendar) -> None:
    assert cal.as_of == AS_OF
    for d in cal.deadlines:
        assert d.status != "pending" or d.due > AS_OF or d.kind == "convention-target", d


def test_only_deadline_rules_by_kind(cal: Calendar) -> None:
    kinds = {r.id: r.kind for r in load_rules().rules}
    listed = {d.rule for d in cal.deadlines}
    assert listed <= {rid for rid, k in kinds.items() if k in DEADLINE_KINDS}
    assert "art17.entry-into-force" not in listed
    assert not listed & {rid for rid, k in kinds.items() if k == "derived-date"}
    assert {"art3.stockpile-destruction", "art4.clearance", "art7.initial-report", "art7.annual-report"} <= listed
    assert all(d.kind == kinds[d.rule] for d in cal.deadlines)


def test_croatia_stockpile_and_clearance(cal: Calendar) -> None:
    [stock] = _find(cal, "HRV", "art3.stockpile-destruction")
    [clear] = _find(cal, "HRV", "art4.clearance")
    assert (stock.due, stock.status, stock.label) == (date(2018, 8, 1), "pending", "upcoming")
    assert (clear.due, clear.status, clear.label) == (date(2020, 8, 1), "pending", "upcoming")
    assert stock.source == "CCM Art. 3(2)-(3)"


def test_guinea_bissau_initial_report_missed(cal: Calendar) -> None:
    [d] = _find(cal, "GNB", "art7.initial-report")
    assert (d.due, d.status, d.label) == (date(2011, 10, 28), "overdue", "missed")
    rows = [line.split() for line in _cli("--state", "Guinea-Bissau").splitlines()]
    assert ["2011-10-28", "Guinea-Bissau", "art7.initial-report", "missed", "CCM", "Art.", "7(1)"] in rows


def test_convention_wide_deadline_once(cal: Calendar) -> None:
    wide = [d for d in cal.deadlines if d.iso3 is None]
    assert [d.rule for d in wide] == ["dap.1.1.universalization"]
    assert wide[0].kind == "convention-target" and wide[0].due == date(2020, 12, 31)


def test_window_is_inclusive_and_filters(cal: Calendar) -> None:
    start, end = date(2018, 8, 1), date(2020, 8, 1)
    win = calendar(FACTS, start, end, engine=ENGINE)
    assert win.deadlines == [d for d in cal.deadlines if start <= d.due <= end]
    assert _find(win, "HRV", "art3.stockpile-destruction") and _find(win, "HRV", "art4.clearance")
    assert [d.due for d in calendar(FACTS, date(2018, 8, 1), date(2018, 8, 1), engine=ENGINE).deadlines] \
        == [d.due for d in cal.deadlines if d.due == date(2018, 8, 1)]
    only_from = calendar(FACTS, start=date(2019, 1, 1), engine=ENGINE).deadlines
    assert only_from and all(d.due >= date(2019, 1, 1) for d in only_from)
    only_to = calendar(FACTS, end=date(2011, 12, 31), engine=ENGINE).deadlines
    assert only_to and all(d.due <= date(2011, 12, 31) for d in only_to)


def test_state_filter(cal: Calendar) -> None:
    two = calendar(FACTS, states=["croatia", "GNB"], engine=ENGINE)
    assert {d.iso3 for d in two.deadlines} == {"HRV", "GNB"}
    assert two.deadlines == [d for d in cal.deadlines if d.iso3 in {"HRV", "GNB"}]


# --- table and JSON --------------------------------------------------------------

def test_table() -> None:
    out = _cli("--state", "hrv", "--from", "2018-01-01", "--to", "2020-12-31")
    lines = out.splitlines()
    assert "as of 2017-06-30" in lines[0] and "due 2018-01-01 to 2020-12-31" in lines[0]
    assert lines[2].split() == ["due", "state", "rule", "status", "source"]
    body = [line.split()[:4] for line in lines[4:]]
    assert ["2018-08-01", "Croatia", "art3.stockpile-destruction", "upcoming"] in body
    assert ["2020-08-01", "Croatia", "art4.clearance", "upcoming"] in body
    assert [b[0] for b in body] == sorted(b[0] for b in body)


def test_json_fields(cal: Calendar) -> None:
    items = json.loads(_cli("--format", "json"))
    assert isinstance(items, list) and len(items) == len(cal.deadlines)
    assert set(items[0]) == {"due", "state", "iso3", "rule", "kind", "title", "status", "label", "met_on",
                             "source", "quote", "explanation", "missing", "uid"}
    hrv = [i for i in items if i["iso3"] == "HRV" and i["rule"] == "art3.stockpile-destruction"]
    assert hrv[0]["due"] == "2018-08-01" and hrv[0]["uid"] == "art3.stockpile-destruction.hrv.20180801@ccmcheck"


# --- iCalendar -------------------------------------------------------------------

def test_ics_parses_with_the_right_events(cal: Calendar) -> None:
    text = _cli("--format", "ics")
    parsed = icalendar.Calendar.from_ical(text)
    assert str(parsed["VERSION"]) == "2.0" and "ccmcheck" in str(parsed["PRODID"])
    events = parsed.walk("VEVENT")
    assert len(events) == len(cal.deadlines)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert uids == [d.uid for d in cal.deadlines]
    for e, d in zip(events, cal.deadlines):
        assert e.decoded("DTSTART") == d.due and type(e.decoded("DTSTART")) is date
        assert e["DTSTART"].params.get("VALUE") == "DATE"
        assert e.decoded("DTSTAMP").replace(tzinfo=None).isoformat() == "2017-06-30T00:00:00"
        assert d.explanation in str(e["DESCRIPTION"]) and d.source in str(e["DESCRIPTION"])
    by_uid = {str(e["UID"]): e for e in events}
    stock = by_uid["art3.stockpile-destruction.hrv.20180801@ccmcheck"]
    assert str(stock["SUMMARY"]) == "Croatia: art3.stockpile-destruction due"
    assert stock.decoded("DTSTART") == date(2018, 8, 1)
    assert by_uid["art4.clearance.hrv.20200801@ccmcheck"].decoded("DTSTART") == date(2020, 8, 1)
    gnb = by_uid["art7.initial-report.gnb.20111028@ccmcheck"]
    assert str(gnb["SUMMARY"]) == "Guinea-Bissau: art7.initial-report due (missed)"
    assert "dap.1.1.universalization.convention.20201231@ccmcheck" in by_uid


def test_ics_is_byte_identical_across_runs() -> None:
    first = _cli("--format", "ics", "--from", "2017-01-01")
    second = _cli("--format", "ics", "--from", "2017-01-01")
    assert first.encode("utf-8") == second.encode("utf-8")
    assert "DTSTAMP:20170630T000000Z\r\n" in first


def test_ics_lines_crlf_and_folded() -> None:
    raw = _cli("--format", "ics").encode("utf-8")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    assert b"\r\n " in raw  # long descriptions are folded


def _long_calendar() -> tuple[Calendar, str]:
    text = ("Côte d'Ivoire; a long explanation, with commas; semicolons, a back\\slash and\nnew lines: "
            + "é" * 40 + " " + "x" * 200)
    d = Deadline(due=date(2019, 2, 28), state="Côte d'Ivoire", iso3="CIV", rule="art7.initial-report",
                 kind="obligation", title="Initial report", status="overdue", label="missed", met_on=None,
                 source="CCM Art. 7(1)", quote="not later than 180 days", explanation=text, missing=["a; b", "c"])
    return Calendar(snapshot="Test, snapshot", as_of=AS_OF, start=None, end=None, deadlines=[d]), text


def test_long_description_folds_and_round_trips() -> None:
    cal, text = _long_calendar()
    ics = to_ics(cal)
    raw = ics.encode("utf-8")
    physical = raw.split(b"\r\n")
    assert physical[-1] == b"" and all(len(p) <= 75 for p in physical)
    assert all(p.decode("utf-8") for p in physical[:-1])  # no UTF-8 character split across lines
    desc = [i for i, p in enumerate(physical) if p.startswith(b"DESCRIPTION:")][0]
    assert len(physical[desc]) >= 73 and physical[desc + 1].startswith(b" ")
    unfolded = ics.replace("\r\n ", "")
    assert "\\;" in unfolded and "\\," in unfolded and "\\\\slash" in unfolded and "\\n" in unfolded
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert text in str(event["DESCRIPTION"])
    assert "Missing facts: a; b; c" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == "Côte d'Ivoire: art7.initial-report due (missed)"
    assert event.decoded("DTSTART") == date(2019, 2, 28)
    assert str(event["UID"]) == "art7.initial-report.civ.20190228@ccmcheck"


def test_escape_and_fold_units() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert fold("X" * 75) == "X" * 75 + "\r\n"
    assert fold("X" * 76) == "X" * 75 + "\r\n X\r\n"
    folded = fold("A" * 74 + "é")  # 76 octets: é (2 octets) moves whole to the next line
    assert folded == "A" * 74 + "\r\n é\r\n"
    assert fold("A" * 74 + "\\n") == "A" * 74 + "\r\n \\n\r\n"  # an escape is not split


# --- errors ----------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--from", "2017-02-30"], "argument --from: not a date (YYYY-MM-DD): '2017-02-30'"),
    (["--to", "soon"], "argument --to: not a date (YYYY-MM-DD): 'soon'"),
    (["--state", "Croatai"], "Croatai: state: no State of that name"),
    (["--from", "2020-01-01", "--to", "2019-01-01"], "--from 2020-01-01 is after --to 2019-01-01"),
    (["--format", "csv"], "argument --format: invalid choice"),
])
def test_bad_input_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deadlines", FACTS, "--engine", ENGINE, *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("ccmcheck: ") and message in err
