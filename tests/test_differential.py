"""durable-rules and the pure-Python reference matcher run the same compiled patterns:
their public JSON must be identical, on the 2017 snapshot at dates across its
history and on generated snapshots."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import ccmcheck

from strategies import SnapshotData, as_of_dates, load_snapshot, snapshots

FACTS_2017 = Path(__file__).resolve().parent.parent / "facts" / "2017"
BOOK = ccmcheck.load_rules()
DATES = [date(2010, 12, 31), date(2016, 6, 30), date(2017, 6, 30), date(2019, 6, 1), date(2021, 1, 1)]


@pytest.fixture(scope="module")
def fb_2017() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS_2017)


def _both(fb: ccmcheck.FactBase, as_of: date | None) -> tuple[str, str]:
    return tuple(ccmcheck.evaluate(fb, as_of, rules=BOOK, engine=e).to_json()  # type: ignore[return-value]
                 for e in ("durable", "reference"))


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_engines_agree_on_the_2017_snapshot(fb_2017: ccmcheck.FactBase, as_of: date) -> None:
    durable, reference = _both(fb_2017, as_of)
    assert durable == reference
    assert '"findings": []' not in durable  # something was compared


def test_engines_agree_on_audits_of_the_2017_snapshot(fb_2017: ccmcheck.FactBase) -> None:
    for state in ("Guinea-Bissau", "Croatia"):
        durable, reference = (ccmcheck.audit(fb_2017, state, date(2019, 6, 1), rules=BOOK, engine=e).to_json()
                              for e in ("durable", "reference"))
        assert durable == reference, state


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=snapshots(), as_of=as_of_dates())
def test_engines_agree_on_generated_snapshots(data: SnapshotData, as_of: date) -> None:
    fb = load_snapshot(data)
    for when in (None, as_of):
        durable, reference = _both(fb, when)
        assert durable == reference
