"""Typed evidence between the facts, the matchers and `decide`; the explanation trail only on request."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import ccmcheck
from ccmcheck.engine.core import Shared, collector_paused
from ccmcheck.engine.records import Evidence, state_records
from ccmcheck.facts.catalog import CATALOG
from ccmcheck.facts.indicators import INDICATORS
from ccmcheck.facts.model import Event, StateFacts

FACTS = Path(__file__).resolve().parent.parent / "facts" / "2017"
BOOK = ccmcheck.load_rules()
AS_OF = date(2017, 6, 30)


@pytest.fixture(scope="module")
def fb() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS)


def test_evidence_carries_dates_and_booleans_not_wire_values(fb: ccmcheck.FactBase) -> None:
    hrv = {e.path: e for e in state_records(fb.find("Croatia"), fb.snapshot.convention, AS_OF)}
    assert hrv["article3.stockpile_at_eif"].value is True
    deposit = hrv["treaty.deposit"]
    assert (deposit.value, deposit.earliest, deposit.latest, deposit.checked_on) == \
        ("done", date(2009, 8, 17), date(2009, 8, 17), None)
    clearance = hrv["article4.clearance_completed"]
    assert (clearance.value, clearance.latest, clearance.checked_on) == ("not_done", None, date(2017, 6, 30))


def test_every_catalogued_fact_is_read(fb: ccmcheck.FactBase) -> None:
    # One catalogue line per fact: a State that says everything gives evidence at every path.
    done = {"status": "done", "on": "2011-05-01", "source": "s#1"}
    flag = {"value": True, "source": "s#1"}
    extension = {"decided_on": "2012-01-01", "decided_by": "MSP", "source": "s#1"}
    everything = StateFacts.model_validate({
        "name": "Testland", "iso3": "TST",
        "treaty": {"signature": {"on": "2009-01-01", "source": "s#1"},
                   "deposit": {"on": "2010-01-01", "kind": "ratification", "source": "s#1"},
                   "withdrawal": {"on": "2015-01-01", "source": "s#1"}},
        "article7": {"initial_report": done, "annual_reports": {2011: done}},
        "article3": {"stockpile_at_eif": flag, "destruction_completed": done, "extensions": [extension]},
        "article4": {"contaminated_at_eif": flag, "clearance_completed": done, "extensions": [extension],
                     "new_contamination": [{"hostilities_ended": "2012-01-01", "source": "s#1"}]},
        "article5": {"victims": flag, "va_focal_point": done, "national_plan": done},
        "article9": {"legislation": {"value": "adopted", "source": "s#1"}},
        "reported": {2011: dict.fromkeys(INDICATORS, done)},
    })
    evidence = state_records(everything, fb.snapshot.convention, date(2020, 1, 1))
    assert sorted(e.path for e in evidence) == sorted(CATALOG)
    assert {e.path: e.value for e in evidence}["article3.stockpile_at_eif"] is True


def test_only_tested_paths_and_occurrences_are_asserted(fb: ccmcheck.FactBase) -> None:
    shared = Shared.of(BOOK, AS_OF)
    croatia = fb.find("Croatia")
    earlier = (Event(status="done", on=date(2015, 4, 1), source="7msp#30"),)
    a7 = croatia.article7.model_copy(update={"annual_reports": {**croatia.article7.annual_reports, 2014: earlier}})
    hrv = croatia.model_copy(update={"article7": a7})
    every = state_records(hrv, fb.snapshot.convention, AS_OF)
    sent = shared.records(hrv, fb, AS_OF)
    assert {e.key for e in every if e.path == "article7.annual_report"} > {"2016"}  # other years are known...
    assert {e.key for e in sent if e.path == "article7.annual_report"} == {"2016"}  # ...but only 2016's is tested
    assert set(sent) <= set(every)
    assert all(e.path in shared.tested for e in sent)


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_explain_is_built_only_when_asked(fb: ccmcheck.FactBase, engine: str) -> None:
    plain = ccmcheck.evaluate(fb, rules=BOOK, engine=engine)
    full = ccmcheck.evaluate(fb, rules=BOOK, engine=engine, explain=True)
    assert all(f.explain == [] for f in plain.findings)
    assert all(f.explain and f.explain[-1].startswith(("status ", "would be decided by")) for f in full.findings)
    assert plain.to_json() == full.to_json()  # the trail is not in the contract
    gnb = [f for f in ccmcheck.audit(fb, "GNB", rules=BOOK, engine=engine).findings]
    assert gnb == [f for f in full.findings if f.iso3 == "GNB"]


def test_durable_match_falls_back_to_decoding_an_unexpected_message() -> None:
    from ccmcheck.engine.durable_adapter import durable_matcher

    matcher = durable_matcher(BOOK.plan)
    pattern = next(p for p in BOOK.plan.patterns if len(p.tests) == 2)
    ev = [Evidence(f"XXX:{t.path}::0", "XXX", t.path, "", "done", None, None, None, "s") for t in pattern.tests]
    with matcher.session() as session:
        session._by_id.update((e.id, e) for e in ev)
        facts = {f"f{i}": {"t": "fact", "id": e.id} for i, e in reversed(list(enumerate(ev)))}  # id not first
        message = json.dumps({pattern.name: {"trig": {"id": "XXX:trigger:1"}, **facts}})
        assert session._match(message) == (pattern, tuple(ev))


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_the_collector_pause_leaves_no_garbage_and_restores_the_collector(fb: ccmcheck.FactBase, engine: str) -> None:
    """Evaluating and history pause Python's cyclic collector (engine/core.py `collector_paused`): that is safe
    only while they make no reference cycles, and the caller's collector must come back as it was, after an
    error too."""
    import gc

    ccmcheck.evaluate(fb, rules=BOOK, engine=engine)  # registration and caches first
    gc.collect()
    gc.disable()
    try:
        ccmcheck.evaluate(fb, date(2019, 6, 1), rules=BOOK, engine=engine)
        ccmcheck.history(fb, rules=BOOK, engine=engine, states=["Chile", "Croatia", "Lebanon"])
        assert gc.collect() == 0  # nothing only the cyclic collector could have freed
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
    finally:
        gc.enable()
    ccmcheck.evaluate(fb, rules=BOOK, engine=engine)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("a fact the rules show to be impossible")
    assert gc.isenabled()
