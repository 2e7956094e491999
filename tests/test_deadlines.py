"""`ccmcheck deadlines`: the deadline calendar built from the engine's findings, and its
table, JSON and iCalendar (RFC 5545) renderings."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from ccmcheck import evaluate, load_rules
from ccmcheck.cli import main, run
from ccmcheck.engine.deadlines import Calendar, Deadline, calendar
from ccmcheck.engine.results import STATUS_ORDER
from ccmcheck.outputs.calendar import escape_text, events, fold, to_ics
from ccmcheck.rules.kinds import DEADLINE_KINDS, is_indicator
from ccmcheck.rules.order import rule_sort_key

icalendar = pytest.importorskip("icalendar")

FACTS = str(Path(__file__).resolve().parent.parent / "facts" / "2017")
AS_OF = date(2017, 6, 30)
# The engines agree (the rule cases run on both); the pure-Python one keeps these tests quick.
ENGINE = "reference"


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return calendar(FACTS, engine=ENGINE)


@pytest.fixture(scope="module")
def past() -> Calendar:
    """Every due date from the Convention's entry into force to 2020."""
    return calendar(FACTS, "2010-01-01", "2020-12-31", engine=ENGINE)


def _cli(*args: str) -> str:
    return run(["deadlines", FACTS, "--engine", ENGINE, *args])


def _find(cal: Calendar, iso3: str | None, rule: str) -> list[Deadline]:
    return [d for d in cal.deadlines if d.iso3 == iso3 and d.rule == rule]


# --- what is listed --------------------------------------------------------------

def test_default_window_looks_ahead_from_the_as_of_date(cal: Calendar) -> None:
    assert (cal.start, cal.end) == (AS_OF, date(2018, 12, 31))
    assert cal.deadlines and all(AS_OF <= d.due <= date(2018, 12, 31) for d in cal.deadlines)
    assert cal.overdue_before > 0  # the overdue initial reports, not listed but counted


def test_croatia_year_ahead_in_json() -> None:
    """Done when: no dates given, Croatia's report covering 2017 and its stockpile deadline, nothing earlier."""
    items = json.loads(_cli("--state", "Croatia", "--format", "json"))
    found = {(i["rule"], i["due"]): i for i in items}
    report = found[("art7.annual-report", "2018-04-30")]
    assert report["what"] == "annual transparency report covering 2017" and report["projected"] is True
    assert report["status"] == "pending" and report["citation"] == "Art. 7(2)"
    assert found[("art3.stockpile-destruction", "2018-08-01")]["status"] == "pending"
    assert all(i["due"] >= "2017-06-30" for i in items) and {i["state"] for i in items} == {"Croatia"}


def test_annual_report_projected_for_each_state_owing_it(cal: Calendar) -> None:
    projected = {d.iso3 for d in cal.deadlines if d.rule == "art7.annual-report"}
    owing = {f.iso3 for f in evaluate(FACTS, "2018-04-30", engine=ENGINE, rule_ids=["art7.annual-report"]).findings
             if f.due == date(2018, 4, 30)}
    assert projected == owing and len(projected) > 70
    assert "HRV" in projected and "MDG" not in projected  # Madagascar owes its initial report first
    [mdg] = _find(cal, "MDG", "art7.initial-report")
    assert (mdg.due, mdg.status, mdg.projected) == (date(2018, 4, 30), "pending", False)
    assert all(d.projected and d.status == "pending" for d in cal.deadlines if d.rule == "art7.annual-report")


def test_projection_runs_each_year_of_a_longer_window() -> None:
    two = calendar(FACTS, end="2019-12-31", states=["Croatia"], engine=ENGINE)
    assert [d.due for d in two.deadlines if d.rule == "art7.annual-report"] == [date(2018, 4, 30), date(2019, 4, 30)]
    assert [d.what for d in two.deadlines if d.rule == "art7.annual-report"][1] == \
        "annual transparency report covering 2018"


def test_indicators_only_with_all(cal: Calendar) -> None:
    indicators = {r.id for r in load_rules().rules if is_indicator(r)}
    assert indicators and not {d.rule for d in cal.deadlines} & indicators
    every = calendar(FACTS, states=["Croatia"], engine=ENGINE, everything=True)
    assert {d.rule for d in every.deadlines} & indicators
    assert set(d.rule for d in every.deadlines) > {d.rule for d in cal.deadlines if d.iso3 == "HRV"}


def test_statuses_are_evaluate_words(past: Calendar) -> None:
    assert {d.status for d in past.deadlines} <= set(STATUS_ORDER)
    assert {"met", "overdue", "pending"} <= {d.status for d in past.deadlines}
    table = _cli("--from", "2010-01-01", "--to", "2020-12-31")
    for word in ("upcoming", "missed"):
        assert word not in table
    assert "met late" in table  # Honduras and Niger


def test_sorted_by_date_then_state_then_rule(past: Calendar) -> None:
    keys = [(d.due, d.state, rule_sort_key(d.rule)) for d in past.deadlines]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_only_deadline_rules(past: Calendar) -> None:
    kinds = {r.id: r.kind for r in load_rules().rules}
    listed = {d.rule for d in past.deadlines}
    assert listed <= {rid for rid, k in kinds.items() if k in DEADLINE_KINDS}
    assert "art17.entry-into-force" not in listed
    assert {"art3.stockpile-destruction", "art4.clearance", "art7.initial-report", "art7.annual-report"} <= listed


def test_past_deadlines_keep_their_as_of_status(past: Calendar) -> None:
    [d] = _find(past, "GNB", "art7.initial-report")
    assert (d.due, d.status, d.projected) == (date(2011, 10, 28), "overdue", False)
    [stock] = _find(past, "HRV", "art3.stockpile-destruction")
    [clear] = _find(past, "HRV", "art4.clearance")
    assert (stock.due, stock.status, clear.due, clear.status) == (date(2018, 8, 1), "pending", date(2020, 8, 1), "pending")
    assert past.overdue_before == 0


def test_convention_wide_deadline_once(past: Calendar) -> None:
    wide = [d for d in past.deadlines if d.iso3 is None]
    assert [d.rule for d in wide] == ["dap.1.1.universalization"]
    assert wide[0].kind == "convention-target" and wide[0].due == date(2020, 12, 31)


def test_window_is_inclusive_and_accepts_dates_datetimes_and_strings(past: Calendar) -> None:
    start, end = date(2018, 8, 1), date(2020, 8, 1)
    for lo, hi in ((start, end), (datetime(2018, 8, 1, 12, 0), "2020-08-01")):
        win = calendar(FACTS, lo, hi, engine=ENGINE)
        assert [d for d in win.deadlines if not d.projected] == \
            [d for d in past.deadlines if start <= d.due <= end and not d.projected]
    assert _find(win, "HRV", "art3.stockpile-destruction") and _find(win, "HRV", "art4.clearance")


def test_state_filter(past: Calendar) -> None:
    two = calendar(FACTS, "2010-01-01", "2020-12-31", states=["croatia", "GNB"], engine=ENGINE)
    assert {d.iso3 for d in two.deadlines} == {"HRV", "GNB"}
    assert two.deadlines == [d for d in past.deadlines if d.iso3 in {"HRV", "GNB"}]


# --- table and JSON --------------------------------------------------------------

def test_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = _cli("--state", "hrv")
    lines = out.splitlines()
    flat = " ".join(out.split())
    assert "2017-06-30 to 2018-12-31" in flat and "status as of 2017-06-30" in flat
    assert max(len(x) for x in lines) <= 100
    assert ["2018-04-30", "Croatia", "pending", "annual", "transparency", "report", "covering", "2017", "(Art.",
            "7(2))"] in [x.split() for x in lines]
    assert "--all" in out  # says how to add the DAP indicators


def test_json_fields(cal: Calendar) -> None:
    items = json.loads(_cli("--format", "json"))
    assert isinstance(items, list) and len(items) == len(cal.deadlines)
    assert set(items[0]) == {"due", "state", "iso3", "rule", "kind", "title", "what", "citation", "status", "met_on",
                             "projected", "source", "quote", "explanation", "missing", "uid"}
    hrv = [i for i in items if i["iso3"] == "HRV" and i["rule"] == "art3.stockpile-destruction"]
    assert hrv[0]["due"] == "2018-08-01" and hrv[0]["uid"] == "art3.stockpile-destruction.hrv.20180801@ccmcheck"


# --- iCalendar -------------------------------------------------------------------

def test_ics_one_event_per_state_and_date(past: Calendar) -> None:
    text = _cli("--format", "ics", "--from", "2010-01-01", "--to", "2020-12-31")
    parsed = icalendar.Calendar.from_ical(text)
    assert str(parsed["VERSION"]) == "2.0" and "ccmcheck" in str(parsed["PRODID"])
    evs = parsed.walk("VEVENT")
    days = sorted({(d.due, d.state) for d in past.deadlines})
    assert len(evs) == len(days) == len(events(past))
    uids = [str(e["UID"]) for e in evs]
    assert len(set(uids)) == len(uids)
    for e in evs:
        assert type(e.decoded("DTSTART")) is date and e["DTSTART"].params.get("VALUE") == "DATE"
        assert e.decoded("DTSTAMP").replace(tzinfo=None).isoformat() == "2017-06-30T00:00:00"
    by_uid = {str(e["UID"]): e for e in evs}
    gnb = by_uid["gnb.20111028@ccmcheck"]
    assert str(gnb["SUMMARY"]) == "Guinea-Bissau: initial transparency report due (Art. 7(1)) [overdue]"
    assert "convention.20201231@ccmcheck" in by_uid


def test_ics_for_one_state_is_small_and_plain() -> None:
    """Done when: plain-language titles, rule id and citation in the description, stable UIDs."""
    first = _cli("--state", "Croatia", "--format", "ics")
    evs = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert 1 <= len(evs) <= 5
    by_uid = {str(e["UID"]): e for e in evs}
    report = by_uid["hrv.20180430@ccmcheck"]
    assert str(report["SUMMARY"]) == "Croatia: annual transparency report covering 2017 due (Art. 7(2))"
    desc = str(report["DESCRIPTION"])
    assert "art7.annual-report" in desc and "CCM Art. 7(2)" in desc and "30 April" in desc
    assert report.decoded("DTSTART") == date(2018, 4, 30)
    stock = by_uid["hrv.20180801@ccmcheck"]
    assert str(stock["SUMMARY"]) == "Croatia: destroy stockpiled cluster munitions due (Art. 3(2)-(3))"
    wider = icalendar.Calendar.from_ical(_cli("--state", "Croatia", "--format", "ics", "--to", "2020-12-31"))
    assert {"hrv.20180430@ccmcheck", "hrv.20180801@ccmcheck"} <= {str(e["UID"]) for e in wider.walk("VEVENT")}


def test_ics_groups_a_states_deadlines_of_one_day() -> None:
    evs = icalendar.Calendar.from_ical(_cli("--state", "Croatia", "--format", "ics", "--all")).walk("VEVENT")
    days = [e.decoded("DTSTART") for e in evs]
    assert len(days) == len(set(days))
    [april] = [e for e in evs if e.decoded("DTSTART") == date(2018, 4, 30)]
    summary, desc = str(april["SUMMARY"]), str(april["DESCRIPTION"])
    assert summary.startswith("Croatia: annual transparency report covering 2017 due (Art. 7(2)); and ")
    assert summary.endswith(" more") and "art7.annual-report" in desc and "dap.2.1.completion-date" in desc


def _long_calendar() -> tuple[Calendar, str]:
    text = ("Côte d'Ivoire; a long explanation, with commas; semicolons, a back\\slash and\nnew lines: "
            + "é" * 40 + " " + "x" * 200)
    d = Deadline(due=date(2019, 2, 28), state="Côte d'Ivoire", iso3="CIV", rule="art7.initial-report",
                 kind="obligation", title="Initial report", what="initial report", citation="Art. 7(1)",
                 status="overdue", met_on=None, projected=False, source="CCM Art. 7(1)",
                 quote="not later than 180 days", explanation=text, missing=["a; b", "c"])
    return Calendar(snapshot="Test, snapshot", as_of=AS_OF, start=None, end=None, everything=False, deadlines=[d],
                    overdue_before=0), text


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
    assert str(event["SUMMARY"]) == "Côte d'Ivoire: initial report due (Art. 7(1)) [overdue]"
    assert event.decoded("DTSTART") == date(2019, 2, 28)
    assert str(event["UID"]) == "civ.20190228@ccmcheck"


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
    (["--format", "pdf"], "argument --format: invalid choice"),
    (["--rule", "art7.initial"], "art7.initial: rule: no rule with this id"),
])
def test_bad_input_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deadlines", FACTS, "--engine", ENGINE, *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("ccmcheck: ") and message in err
