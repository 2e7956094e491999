"""`ccmcheck history`: the status a history gives on a day is what `evaluate` as of that
day finds, for every State and rule, with both matchers; on the 2017 snapshot (every
breakpoint of a few States, and the day before each) and on generated snapshots."""
from __future__ import annotations

import dataclasses
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccmcheck
from ccmcheck.cli import main

from strategies import HORIZON, OPENED, SnapshotData, load_snapshot, snapshots

FACTS_2017 = Path(__file__).resolve().parent.parent / "facts" / "2017"
BOOK = ccmcheck.load_rules()
ENGINES = ("durable", "reference")
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def fb_2017() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS_2017)


def _evaluated(fb: ccmcheck.FactBase, day: date, engine: str) -> dict[tuple[str, str | None], tuple]:
    return {(f.rule, f.iso3): (f.status, f.due) for f in ccmcheck.evaluate(fb, day, rules=BOOK, engine=engine).findings}


def _from_history(h: ccmcheck.History, day: date) -> dict[tuple[str, str | None], tuple]:
    return {(t.rule, t.iso3): (iv.status, iv.due) for t in h.tracks for iv in (t.on(day),) if iv is not None}


def _check(fb: ccmcheck.FactBase, h: ccmcheck.History, days: list[date], engine: str) -> int:
    """Compare on each day; returns how many findings were compared."""
    compared = 0
    for day in days:
        expected = _evaluated(fb, day, engine)
        assert _from_history(h, day) == expected, f"{engine}, {day}"
        compared += len(expected)
    return compared


def _breakpoints(h: ccmcheck.History) -> list[date]:
    return sorted({iv.start for t in h.tracks for iv in t.intervals} - {h.start})


def test_guinea_bissau_initial_report_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's example: nothing before the deposit, pending to the due date, overdue
    while the report is seen not done, unknown after the last day a source saw it."""
    assert main(["history", str(FACTS_2017), "--state", "Guinea-Bissau", "--rule", "art7.initial-report",
                 "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (track,) = out["tracks"]
    got = [(iv["from"], iv["to"], iv["status"], iv["due"]) for iv in track["intervals"]]
    assert got == [("2010-11-29", "2011-10-28", "pending", "2011-10-28"),
                   ("2011-10-29", "2017-06-30", "overdue", "2011-10-28"),
                   ("2017-07-01", out["to"], "unknown", "2011-10-28")]


@pytest.mark.parametrize("engine", ENGINES)
def test_2017_every_breakpoint_and_the_day_before(fb_2017: ccmcheck.FactBase, engine: str) -> None:
    """Six States of the 2017 snapshot (Guinea-Bissau and five drawn at random), all rules:
    every day a status changes, the day before it, and 20 random days."""
    rng = random.Random(12)
    picked = [fb_2017.find("Guinea-Bissau")] + rng.sample([s for s in fb_2017.states if s.iso3 != "GNB"], 5)
    fb = dataclasses.replace(fb_2017, states=tuple(sorted(picked, key=lambda s: s.name)))
    h = ccmcheck.history(fb, rules=BOOK, engine=engine, start=date(2010, 8, 1), end=date(2026, 11, 1))
    breaks = _breakpoints(h)
    days = sorted(set(breaks) | {d - DAY for d in breaks} | {h.start, h.end}
                  | {h.start + timedelta(days=rng.randrange((h.end - h.start).days)) for _ in range(20)})
    assert len(breaks) >= 30 and len(days) >= 50  # the DAP window (2015-2020) ends some changes
    assert _check(fb, h, days, engine) > 0


@pytest.mark.slow  # ~16 s each on the shared 2-core machine: CI runs it (tests/conftest.py)
@pytest.mark.parametrize("engine", ENGINES)
def test_2017_all_states_on_random_days(fb_2017: ccmcheck.FactBase, engine: str) -> None:
    """Every State and the Convention-wide target, on days drawn from the breakpoints."""
    h = ccmcheck.history(fb_2017, rules=BOOK, engine=engine, start=date(2010, 8, 1), end=date(2026, 11, 1))
    rng = random.Random(7)
    picked = rng.sample(_breakpoints(h), 4)
    assert _check(fb_2017, h, sorted({*picked, *(d - DAY for d in picked)}), engine) > 0


@pytest.mark.slow  # ~16 s
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=snapshots(max_states=4), seed=st.integers(0, 2**16))
def test_generated_snapshots(data: SnapshotData, seed: int) -> None:
    """At least 50 days per snapshot: breakpoints, the day before each, random days; both matchers."""
    fb = load_snapshot(data)
    rng = random.Random(seed)
    for engine in ENGINES:
        h = ccmcheck.history(fb, rules=BOOK, engine=engine, start=OPENED, end=HORIZON)
        breaks = _breakpoints(h)
        picked = rng.sample(breaks, min(len(breaks), 20))
        days = {*picked, *(d - DAY for d in picked), h.start, h.end}
        while len(days) < 50:
            days.add(OPENED + timedelta(days=rng.randrange((HORIZON - OPENED).days)))
        _check(fb, h, sorted(days), engine)


def test_the_range_clips_and_a_rule_filter_narrows(fb_2017: ccmcheck.FactBase) -> None:
    h = ccmcheck.history(fb_2017, rules=BOOK, engine="reference", start=date(2015, 1, 1), end=date(2015, 12, 31),
                         rule_ids=["art7.initial-report"])
    assert {t.rule for t in h.tracks} == {"art7.initial-report"}
    assert all(h.start <= iv.start <= iv.end <= h.end for t in h.tracks for iv in t.intervals)
    gnb = next(t for t in h.tracks if t.iso3 == "GNB")
    assert [(iv.start, iv.end, iv.status) for iv in gnb.intervals] == [(date(2015, 1, 1), date(2015, 12, 31), "overdue")]


def test_bad_range_and_rule_are_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", str(FACTS_2017), "--from", "2016-01-01", "--to", "2015-01-01"]) == 2
    assert main(["history", str(FACTS_2017), "--rule", "no.such-rule"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 2


@pytest.mark.slow  # ~22 s
def test_reporting_over_time_chart(fb_2017: ccmcheck.FactBase) -> None:
    """The Article 7 chart counts, on its last day, what `evaluate` counts on that day."""
    from ccmcheck.outputs import charts

    art7 = [r.id for r in BOOK.rules if r.id.startswith("art7.") and r.kind == "obligation"]
    h = ccmcheck.history(fb_2017, rules=BOOK, engine="reference", start=date(2011, 1, 1), end=date(2017, 6, 30),
                         rule_ids=art7)
    chart = charts.reporting_over_time(h, BOOK)
    assert chart is not None and chart.svg.startswith("<svg")
    counts = ccmcheck.evaluate(fb_2017, date(2017, 6, 30), rules=BOOK, engine="reference", rule_ids=art7).counts
    initial = counts["art7.initial-report"]
    assert (f"on 30 June 2017 {initial['met']} met, {initial['met_late']} met late, {initial['overdue']} overdue"
            in chart.description)


def test_audit_history_is_one_states_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(FACTS_2017), "guinea bissau", "--history", "--format", "csv", "--engine", "reference",
                 "--as-of", "2018-12-31"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "state,iso3,rule,from,to,status,due"
    assert len(rows) > 10 and all(r.startswith("Guinea-Bissau,GNB,") for r in rows[1:])
    assert "Guinea-Bissau,GNB,art7.initial-report,2011-10-29,2017-06-30,overdue,2011-10-28" in rows
    assert max(r.split(",")[4] for r in rows[1:]) == "2018-12-31"
