"""Naming a State the way people do: not in the snapshot, endonyms, ISO alpha-2, typos in imports."""
from __future__ import annotations

from pathlib import Path

import pytest

import ccmcheck
from ccmcheck.facts.rows import nearest_fact

ROOT = Path(__file__).resolve().parent.parent
FACTS = ccmcheck.load_facts(str(ROOT / "facts" / "2017"))


@pytest.mark.parametrize("typed, iso3", [("Hrvatska", "HRV"), ("HR", "HRV"), ("hr", "HRV"), ("Deutschland", "DEU"),
                                         ("Österreich", "AUT"), ("NO", "NOR")])
def test_endonyms_and_alpha_2_codes_resolve(typed: str, iso3: str) -> None:
    assert FACTS.find(typed).iso3 == iso3


@pytest.mark.parametrize("typed, named", [("Sri Lanka", "Sri Lanka (LKA)"), ("USA", "United States (USA)"),
                                          ("United States", "United States (USA)"), ("IN", "India (IND)")])
def test_a_state_not_in_the_snapshot_is_named_as_such(typed: str, named: str) -> None:
    with pytest.raises(ccmcheck.InputError) as e:
        FACTS.find(typed)
    message = str(e.value.problems[0])
    assert f"{named} is not in this snapshot; the snapshot covers {len(FACTS.states)} States" in message
    assert "did you mean" not in message  # USA must not suggest Uganda


def test_a_typo_gets_the_nearest_state_and_nothing_far() -> None:
    with pytest.raises(ccmcheck.InputError, match="did you mean 'Croatia'"):
        FACTS.find("Croatai")
    with pytest.raises(ccmcheck.InputError) as e:
        FACTS.find("xyzzy")
    assert "did you mean" not in str(e.value.problems[0])


def test_import_suggests_the_nearest_fact_path() -> None:
    assert nearest_fact("article7.anual_reports.2016") == "article7.annual_reports.2016"
    assert nearest_fact("artcle4.clearance_completed") == "article4.clearance_completed"
    assert nearest_fact("zzz") is None
