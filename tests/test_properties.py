"""Properties every valid snapshot must have, on generated snapshots (tests/strategies.py):
no crash, no dependence on the order facts are listed or files are read in,
determinism, findings that only change with the facts as the as-of date moves,
and facts from after the as-of date that change nothing."""
from __future__ import annotations

import copy
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ccmcheck
from ccmcheck.engine import dates
from ccmcheck.facts.model import StateFacts
from ccmcheck.engine.records import Evidence, state_records
from ccmcheck.engine.results import STATUS_ORDER, Evaluation, Finding
from ccmcheck.rules.model import Rule

from strategies import (HORIZON, IN_FORCE, OPENED, SOURCES, SnapshotData, as_of_dates, days, fact_dates,
                        load_snapshot, shuffled, snapshots, with_future_fact)

BOOK = ccmcheck.load_rules()
ENGINES = ("durable", "reference")
FACTS_2017 = Path(__file__).resolve().parent.parent / "facts" / "2017"
PROPERTY = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _json(fb: ccmcheck.FactBase, as_of: date | None, engine: str = "durable") -> str:
    return ccmcheck.evaluate(fb, as_of, rules=BOOK, engine=engine).to_json()


def _snapshot(as_of: date, *states: dict) -> SnapshotData:
    """A hand-written snapshot in the generated format (for the explicit examples)."""
    return SnapshotData({
        "title": "example", "as_of": as_of, "period": {"start": as_of - timedelta(days=364), "end": as_of},
        "sources": SOURCES,
        "convention": {"opened_for_signature": {"on": OPENED, "source": "untc"},
                       "entry_into_force": {"on": IN_FORCE, "source": "untc"}}}, list(states))


# Two extensions granted on one day and two spells of new contamination ending on one day,
# told apart only by their sources: which one a finding cites must not depend on list order.
TIES = _snapshot(
    date(2020, 1, 1),
    {"name": "Chile", "iso3": "CHL",
     "treaty": {"deposit": {"on": date(2010, 12, 16), "kind": "ratification", "source": "untc"}},
     "article3": {"stockpile_at_eif": {"value": True, "source": "msp#3"},
                  "extensions": [{"decided_on": date(2018, 9, 5), "decided_by": "8MSP", "new_deadline": date(2022, 1, 1),
                                  "source": "impl#3"},
                                 {"decided_on": date(2018, 9, 5), "decided_by": "8MSP", "new_deadline": date(2022, 1, 1),
                                  "source": "impl#18"}]},
     "article4": {"contaminated_at_eif": {"value": True, "source": "msp#3"},
                  "new_contamination": [{"hostilities_ended": date(2011, 1, 1), "source": "impl#3"},
                                        {"hostilities_ended": date(2011, 1, 1), "source": "impl#28"}]}},
)


# --- no crash -------------------------------------------------------------------------------------

@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
@PROPERTY
@given(data=snapshots(), as_of=as_of_dates())
def test_generated_snapshots_never_crash_either_engine(data: SnapshotData, as_of: date) -> None:
    fb = load_snapshot(data)
    for engine in ENGINES:
        for when in (None, as_of):
            ev = ccmcheck.evaluate(fb, when, rules=BOOK, engine=engine)
            assert ev.as_of == (when or data.as_of)
            assert sum(sum(c.values()) for c in ev.counts.values()) == len(ev.findings)
            assert all(f.status in STATUS_ORDER for f in ev.findings)
        assert ccmcheck.audit(fb, fb.states[-1].iso3, as_of, rules=BOOK, engine=engine).to_json()


# --- order never matters --------------------------------------------------------------------------

@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
@PROPERTY
@given(data=snapshots(min_states=2), as_of=as_of_dates(), seed=st.integers(0, 2**32 - 1))
@example(data=TIES, as_of=date(2020, 1, 1), seed=1)
def test_order_of_files_and_list_items_never_changes_the_json(data: SnapshotData, as_of: date, seed: int) -> None:
    rng = random.Random(seed)
    base = load_snapshot(data)
    # Other State order, other list and key order, and file names that sort in yet another order.
    prefixes = rng.sample(range(10_000), len(data.states))
    other = load_snapshot(shuffled(data, rng), file_name=lambda i, s: f"{prefixes[i]:04d}.yaml")
    reversed_data = SnapshotData(data.snapshot, [dict(s) for s in reversed(data.states)])
    for s in reversed_data.states:  # lists reversed too: every tie flips
        for art in ("article3", "article4"):
            for key in ("extensions", "new_contamination"):
                if s.get(art, {}).get(key):
                    s[art] = {**s[art], key: list(reversed(s[art][key]))}
    third = load_snapshot(reversed_data, file_name=lambda i, s: f"z{len(data.states) - i:03d}.yaml")
    for engine in ENGINES:
        expected = _json(base, as_of, engine)
        assert _json(other, as_of, engine) == expected
        assert _json(third, as_of, engine) == expected


# --- determinism ----------------------------------------------------------------------------------

@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
@PROPERTY
@given(data=snapshots(), as_of=as_of_dates(), engine=st.sampled_from(ENGINES))
def test_evaluating_twice_gives_byte_identical_json(data: SnapshotData, as_of: date, engine: str) -> None:
    fb = load_snapshot(data)
    first = _json(fb, as_of, engine)
    assert _json(fb, as_of, engine) == first
    assert _json(load_snapshot(data), as_of, engine) == first  # a fresh load too


# --- as-of monotonicity ---------------------------------------------------------------------------

def _same_occurrence(rule: Rule, d1: date, d2: date) -> bool:
    """For a rule that recurs annually, a later as-of date may be about another year's report."""
    if rule.deadline is None or rule.deadline.annually is None:
        return True
    return dates.occurrence(rule.deadline.annually, d1) == dates.occurrence(rule.deadline.annually, d2)


def _known(st_: StateFacts, fb: ccmcheck.FactBase, as_of: date) -> Counter[tuple]:
    """What is known about a State on a day: its evidence, without the ids."""
    return Counter(e._replace(id="") for e in state_records(st_, fb.snapshot.convention, as_of))


def check_monotone(fb: ccmcheck.FactBase, before: Evaluation, after: Evaluation) -> None:
    """A finding `overdue` on D stays `overdue` on D2 > D, and `met` stays met, unless a fact
    dated in (D, D2] says otherwise or the observation behind `overdue` stops covering D2.

    "A fact dated in (D, D2]" is read off the records: what is known of the State on D2 but
    not on D (a report, a completion, an extension, a withdrawal...) or on D but not on D2
    (a `not_done` whose `checked_on` falls before D2). When nothing changed, nothing may.
    """
    d, d2 = before.as_of, after.as_of
    assert d < d2
    later: dict[tuple[str, str | None], Finding] = {(f.rule, f.iso3): f for f in after.findings}
    new: dict[str, list[Evidence]] = {}
    gone: dict[str, list[Evidence]] = {}
    for s in fb.states:
        k1, k2 = _known(s, fb, d), _known(s, fb, d2)
        new[s.iso3] = list((k2 - k1).elements())
        gone[s.iso3] = list((k1 - k2).elements())
    anything = any(new.values()) or any(gone.values())

    for f in before.findings:
        if f.status not in ("overdue", "met", "reported", "not_reported"):
            continue
        rule = BOOK.get(f.rule)
        if not _same_occurrence(rule, d, d2) or BOOK.out_of_force(rule.id, d2) is not None:
            continue  # another year's report, or a rule no longer in force on D2 (then no finding)
        f2 = later.get((f.rule, f.iso3))
        where = (f"{f.rule} / {f.state}: {f.status} on {d} -> {f2.status if f2 else 'no finding'} on {d2}; "
                 f"new {new.get(f.iso3 or '')}, gone {gone.get(f.iso3 or '')}")
        changed = anything if f.iso3 is None else bool(new[f.iso3] or gone[f.iso3])
        if not changed:
            assert f2 is not None and f2.status == f.status, where  # nothing happened in between
            continue
        if f2 is None or f.iso3 is None or rule.kind != "obligation":
            continue  # e.g. a withdrawal ends an obligation; a deposit ends signatory status
        assert rule.met_by is not None
        arrived = new[f.iso3]
        if f.status == "met":
            assert f2.status in ("met", "met_late", "unknown"), where  # never open again
            if f2.status == "unknown":
                # An extension whose new deadline the sources do not give leaves the deadline
                # unknown; a completion on or before the last known deadline stays met, but one
                # that was `met` with its timeliness unknown can no longer be decided.
                ext = rule.deadline.extended_by if rule.deadline else None
                assert any(r.path == ext and r.new_deadline is None for r in arrived), where
        elif f2.status in ("met", "met_late"):  # overdue, then a fact meets it
            satisfying = tuple(rule.met_by.is_ or ("done",))
            assert any(r.path == rule.met_by.fact and r.value in satisfying for r in arrived), where
        elif f2.status == "pending":  # never without a fact (an extension)
            assert arrived, where
        elif f2.status == "unknown":  # the observation no longer covers D2, or a new fact
            stale = any(r.path == rule.met_by.fact for r in gone[f.iso3])
            assert stale or arrived, where


@st.composite
def _two_days(draw: st.DrawFn, data: SnapshotData) -> tuple[date, date]:
    """D < D2, often on days the facts name (so `not_done` observations are in view)."""
    named = fact_dates(data)

    def pick(lo: date, hi: date) -> st.SearchStrategy[date]:
        inside = [x for x in named if lo <= x <= hi]
        return st.one_of(days(lo, hi), st.sampled_from(inside)) if inside else days(lo, hi)

    d = draw(pick(date(2010, 1, 1), HORIZON - timedelta(days=1)))
    return d, draw(pick(d + timedelta(days=1), HORIZON))


@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
@PROPERTY
@given(st.data())
def test_as_of_monotonicity_on_generated_snapshots(data: st.DataObject) -> None:
    snap = data.draw(snapshots(), label="snapshot")
    d, d2 = data.draw(_two_days(snap), label="D, D2")
    fb = load_snapshot(snap)
    engine = data.draw(st.sampled_from(ENGINES), label="engine")
    check_monotone(fb, ccmcheck.evaluate(fb, d, rules=BOOK, engine=engine),
                   ccmcheck.evaluate(fb, d2, rules=BOOK, engine=engine))


@pytest.fixture(scope="module")
def fb_2017() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS_2017)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(d=days(date(2010, 1, 1), date(2021, 12, 31)), gap=st.integers(1, 4 * 366))
def test_as_of_monotonicity_on_the_2017_snapshot(fb_2017: ccmcheck.FactBase, d: date, gap: int) -> None:
    check_monotone(fb_2017, ccmcheck.evaluate(fb_2017, d, rules=BOOK, engine="reference"),
                   ccmcheck.evaluate(fb_2017, d + timedelta(days=gap), rules=BOOK, engine="reference"))


# --- facts from after the as-of date ----------------------------------------------------------------

@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
@PROPERTY
@given(st.data())
def test_a_fact_dated_after_the_as_of_date_says_only_what_its_date_implies(data: st.DataObject) -> None:
    # A future extension, deposit or `by` changes nothing; "done on D" (or "between [D, ...]") says
    # exactly what "not done, checked the day before D" says (issue 16: a date implies what came before).
    snap = data.draw(snapshots(), label="snapshot")
    as_of = data.draw(days(date(2010, 1, 1), HORIZON), label="as_of")
    more, added, implied = data.draw(with_future_fact(snap, as_of), label="added")
    engine = data.draw(st.sampled_from(ENGINES), label="engine")
    assert _json(load_snapshot(more), as_of, engine) == _json(load_snapshot(implied), as_of, engine), added


def test_a_report_dated_after_the_as_of_date_does_not_change_which_tied_fact_is_cited() -> None:
    # Two spells of new contamination ending on one day; the finding cites one of them. Record ids
    # once counted every fact before them, so one more (still future) annual report moved the tie.
    chile = copy.deepcopy(TIES.states[0])
    chile["article7"] = {"initial_report": {"status": "done", "on": date(2011, 11, 1), "source": "msp#3"}}
    del chile["article3"]["extensions"]
    plain = _snapshot(date(2020, 1, 1), chile)
    more = copy.deepcopy(plain)
    more.states[0]["article7"]["annual_reports"] = {2020: {"status": "done", "on": date(2021, 4, 1), "source": "msp#3"}}
    for engine in ENGINES:
        assert _json(load_snapshot(more), None, engine) == _json(load_snapshot(plain), None, engine)
