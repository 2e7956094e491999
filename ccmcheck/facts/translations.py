"""State names in the six UN languages, from the ISO 3166 data and translations `pycountry` ships.

pycountry carries, for each ISO 3166-1 country, its short `name` and where they
exist an `official_name` and a `common_name`, and gettext catalogues
(`iso3166-1.mo`, from Debian's iso-codes) translating them. We read Arabic,
Chinese (simplified, `zh_CN`), French, Russian and Spanish, and English as
written in ISO 3166 ("Bolivia, Plurinational State of"), so that a person may
type a State's name the way their own documents write it.

The facts' own UN English name always comes first: a name found here is only
another way to the same State (see `NameIndex`).
"""
from __future__ import annotations

import gettext
import os
from functools import cache

from ..lazy import lazy_module

pycountry = lazy_module("pycountry")  # loaded on first use: most commands never translate

# The UN's other official languages (English is the facts' own) -> pycountry's catalogue.
LANGUAGES: dict[str, str] = {"ar": "ar", "es": "es", "fr": "fr", "ru": "ru", "zh": "zh_CN"}
_FIELDS = ("name", "official_name", "common_name")


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[LANGUAGES[lang]], fallback=True)


def _country(iso3: str) -> object | None:

    return pycountry.countries.get(alpha_3=iso3)


@cache
def other_names(iso3: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(full names, shorter forms) of a State in ISO English and the five other UN languages.

    Full names are ISO's short, official and common names and their translations;
    shorter forms are what comes before a comma ("Bolivie" for "Bolivie, état
    plurinational de"), which people type but which may also begin another
    State's name ("Congo, The Democratic Republic of the"), so they rank lower.
    """
    country = _country(iso3)
    if country is None:
        return (), ()
    english = [v for f in _FIELDS if (v := getattr(country, f, None))]
    full = dict.fromkeys(english + [_catalogue(lang).gettext(e) for lang in LANGUAGES for e in english])
    short = dict.fromkeys(n.split(",")[0].strip() for n in full if "," in n)
    return tuple(full), tuple(s for s in short if s and s not in full)


@cache
def endonyms() -> dict[str, frozenset[str]]:
    """Every name ISO 3166 has for each country in every language pycountry ships (its own among
    them: "Hrvatska", "Deutschland"), by ISO3: read only when a name is not found otherwise."""
    out: dict[str, set[str]] = {}
    langs = sorted(d for d in os.listdir(pycountry.LOCALES_DIR)
                   if os.path.exists(os.path.join(pycountry.LOCALES_DIR, d, "LC_MESSAGES", "iso3166-1.mo")))
    for lang in langs:
        cat = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for c in pycountry.countries:
            for f in ("name", "common_name"):
                if (v := getattr(c, f, None)):
                    out.setdefault(c.alpha_3, set()).add(cat.gettext(v))
    return {k: frozenset(v) for k, v in out.items()}


def alpha_2(iso3: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a State ("HR" for HRV), if ISO has it."""
    country = _country(iso3)
    return getattr(country, "alpha_2", None)


def iso_country(name: str) -> tuple[str, str] | None:
    """(ISO3, ISO name) of the country `name` means to pycountry (a name, alpha-2 or alpha-3 code, any
    case), or None: to say a State is not in a snapshot rather than guess another one."""
    try:
        c = pycountry.countries.lookup(name.strip())
    except LookupError:
        folded = name.strip().casefold()
        iso3 = next((k for k, names in endonyms().items() if folded in {n.casefold() for n in names}), None)
        c = pycountry.countries.get(alpha_3=iso3) if iso3 else None
        if c is None:
            return None
    return c.alpha_3, getattr(c, "common_name", None) or c.name


def display_name(iso3: str, lang: str, fallback: str) -> str:
    """The State's name in `lang` (a key of LANGUAGES), or `fallback` (the UN English
    name) where pycountry has no translation."""
    country = _country(iso3)
    if country is None:
        return fallback
    for source in (getattr(country, "common_name", None), country.name):  # type: ignore[attr-defined]
        translated = _catalogue(lang).gettext(source) if source else source
        if translated and translated != source:
            return translated
    return fallback
