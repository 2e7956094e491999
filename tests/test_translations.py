"""State names in the six UN languages (facts/translations.py, pycountry's ISO 3166 catalogues):
a State is found by its name in any of them, `--lang` shows names in one of them, and a
mistyped name gets suggestions from all of them."""
from __future__ import annotations

from pathlib import Path

import pytest

from ccmcheck.cli import main
from ccmcheck.errors import InputError
from ccmcheck.facts.model import StateFacts
from ccmcheck.facts.names import NameIndex
from ccmcheck.facts.translations import LANGUAGES, display_name

FACTS = str(Path(__file__).resolve().parents[1] / "facts" / "2017")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["Croatie", "Хорватия", "Croacia", "كرواتيا", "克罗地亚", "CROATIE", "Republic of Croatia",
                                  "République de Croatie"])
def test_a_state_is_found_by_its_name_in_any_un_language(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["audit", FACTS, name], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Croatia (HRV): State Party")


@pytest.mark.parametrize("lang,name", [("fr", "Croatie"), ("es", "Croacia"), ("ru", "Хорватия"), ("ar", "كرواتيا"),
                                       ("zh", "克罗地亚")])
def test_lang_names_states_in_that_language(lang: str, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["audit", FACTS, "Croatia", "--lang", lang], capsys)
    assert code == 0 and out.startswith(f"{name} (HRV)")
    code, out, _ = _run(["evaluate", FACTS, "--lang", lang, "--state", "HRV", "--all"], capsys)
    assert code == 0 and f"\n{name} " in out and "\nCroatia " not in out


def test_lang_in_the_report_and_untranslated_names_stay_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["report", FACTS, "--lang", "fr"], capsys)
    assert code == 0 and "Croatie" in out and "Royaume-Uni" in out
    # pycountry's French catalogue has no entry of its own for Canada: the UN English name stays.
    assert display_name("CAN", "fr", "Canada") == "Canada"
    assert display_name("XXX", "fr", "Atlantis") == "Atlantis"


def test_with_lang_the_english_name_still_finds_the_state(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["audit", FACTS, "Croatia", "--lang", "ru"], capsys)
    assert code == 0 and out.startswith("Хорватия (HRV)")


def test_suggestions_come_from_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["audit", FACTS, "Хорватя"], capsys)  # Russian, one letter short
    assert (code, out) == (2, "")
    assert err.strip().endswith("no State of that name, ISO3 code or alias; did you mean 'Croatia'?")
    code, _, err = _run(["audit", FACTS, "Allemange"], capsys)  # French 'Allemagne', misspelt
    assert code == 2 and "'Germany'" in err


def test_a_name_of_no_state_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["audit", FACTS, "Atlantide"], capsys)
    assert (code, out) == (2, "") and "Atlantide: state: no State of that name" in err


def test_a_name_of_two_states_is_bad_input() -> None:
    """'Corée' (French, before the comma of 'Corée, République de') names both Koreas."""
    index = NameIndex([StateFacts(name="Republic of Korea", iso3="KOR"),
                       StateFacts(name="Democratic People's Republic of Korea", iso3="PRK")])
    with pytest.raises(InputError, match="ambiguous: Democratic People's Republic of Korea or Republic of Korea"):
        index.find("Corée", "facts")
    assert index.find("Corée, République de", "facts").iso3 == "KOR"


def test_the_facts_own_names_come_before_translations() -> None:
    """'Congo' is the Republic of the Congo, though it begins the DR Congo's ISO name."""
    index = NameIndex([StateFacts(name="Congo", iso3="COG"), StateFacts(name="Democratic Republic of the Congo", iso3="COD")])
    assert index.find("Congo", "facts").iso3 == "COG"
    assert index.find("Конго", "facts").iso3 == "COG"
    assert index.find("République démocratique du Congo", "facts").iso3 == "COD"


def test_the_six_languages() -> None:
    assert sorted(LANGUAGES) == ["ar", "es", "fr", "ru", "zh"]  # and English, the facts' own
