"""Facts and findings are stored lean (issue 21): a State's facts are frozen slotted records and a
finding a frozen slotted dataclass, with no per-instance dictionary or set of fields, yet they
keep the names code written for pydantic models calls (facts/model.py `Record`, results.py `Finding`)."""
from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from datetime import date
from typing import Any, Iterator

import pytest
from pydantic import BaseModel, ValidationError

import ccmcheck
from ccmcheck.facts.model import Record, StateFacts

FACTS = "facts/2017"


def _parts(obj: Any) -> Iterator[Any]:
    """Every record and model inside a State's facts, at any depth."""
    if isinstance(obj, (Record, BaseModel)):
        yield obj
        for name in type(obj).model_fields:
            yield from _parts(getattr(obj, name))
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            yield from _parts(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from _parts(x)


@pytest.fixture(scope="module")
def fb() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS)


def test_every_part_of_a_states_facts_is_a_slotted_record(fb: ccmcheck.FactBase) -> None:
    parts = [p for st in fb.states for p in _parts(st)]
    kinds = {type(p).__name__ for p in parts}
    assert len(parts) > 1000 and {"StateFacts", "Event", "Deposit", "Reported", "Flag"} <= kinds
    assert [p for p in parts if not isinstance(p, Record) or hasattr(p, "__dict__")] == []


def test_findings_are_slotted_and_frozen(fb: ccmcheck.FactBase) -> None:
    ev = ccmcheck.evaluate(fb, engine="reference")
    f = ev.findings[0]
    assert not hasattr(f, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.status = "met"  # type: ignore[misc]
    # the contract as before: the fields to_json writes, nothing excluded leaking in
    assert f.model_dump(mode="json") == ev.contract()["findings"][0]
    assert "explain" not in f.model_dump() and "met_within" not in f.model_dump()


def test_a_record_keeps_the_model_names(fb: ccmcheck.FactBase) -> None:
    chile = fb.find("Chile")
    again = StateFacts.model_validate(chile.model_dump())
    assert again == chile and again is not chile
    assert '"iso3":"CHL"' in chile.model_dump_json()
    assert list(StateFacts.model_fields)[:2] == ["name", "iso3"]
    renamed = chile.model_copy(update={"name": "Chili"})
    assert renamed.name == "Chili" and renamed.iso3 == chile.iso3 and chile.name == "Chile"
    with pytest.raises(ValidationError):  # unlike a model's copy, a record's copy is validated
        chile.model_copy(update={"iso3": "chl"})
    assert pickle.loads(pickle.dumps(chile)) == chile == copy.deepcopy(chile)


def test_an_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as e:
        StateFacts.model_validate({"name": "Zedland", "iso3": "ZZZ", "article7": {"initial_reprot": {}}})
    assert [(x["loc"], x["type"]) for x in e.value.errors()] == [(("article7", "initial_reprot"),
                                                                  "unexpected_keyword_argument")]


def test_years_are_in_order_whatever_order_the_file_gives(fb: ccmcheck.FactBase) -> None:
    """Evaluations read the years in order without sorting them (facts/catalog.py): the records
    keep them in order, so a file listing them backwards gives the same evidence and findings."""
    st = next(s for s in fb.states if s.article7.annual_reports and s.reported)
    data = st.model_dump()
    (year, report), = data["article7"]["annual_reports"].items()
    (_, reported), = data["reported"].items()
    ways = []
    for years in ([year - 1, year], [year, year - 1]):  # each year's facts the same, listed both ways
        data["article7"]["annual_reports"] = {y: report for y in years}
        data["reported"] = {y: reported for y in years}
        again = StateFacts.model_validate(data)
        assert list(again.article7.annual_reports) == list(again.reported) == [year - 1, year]
        ways.append(dataclasses.replace(fb, states=tuple(again if s is st else s for s in fb.states)))
    forwards, backwards = (ccmcheck.evaluate(w, date(2017, 6, 30), states=[st.iso3]) for w in ways)
    assert len(forwards.findings) > 3 and forwards.findings == backwards.findings


@pytest.mark.parametrize("facts", ["facts/2017", "facts/2025"])
def test_the_json_is_the_contract_as_json_dumps_writes_it(facts: str) -> None:
    """`to_json` is written by pydantic's serialiser; it must be the text `json.dumps` writes of the contract."""
    ev = ccmcheck.evaluate(facts, engine="reference")
    assert ev.to_json() == json.dumps(ev.contract(), indent=2, ensure_ascii=False) + "\n"
    au = ccmcheck.audit(facts, ev.findings[0].state, engine="reference", explain=False)
    assert au.to_json() == json.dumps(au.contract(), indent=2, ensure_ascii=False) + "\n"


def test_the_json_escapes_as_json_dumps_does() -> None:
    odd = 'a"b\\c\td\ne\x1b\x7f\u2028\u00e9\U0001f600/<>&\x00'
    f = ccmcheck.Finding(state=odd, iso3="ZZZ", rule="r", status="met", due=date(2017, 1, 1), met_on=None,
                         source=odd, explanation=odd, missing=[odd])
    ev = ccmcheck.Evaluation(snapshot=odd, as_of=date(2017, 6, 30), engine="x", findings=[f],
                             counts={"r": {"met": 1}, "empty": {}})
    assert ev.to_json() == json.dumps(ev.contract(), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(ev.to_json())["findings"][0]["explanation"] == odd
