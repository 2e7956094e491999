"""The State-name index the site's search box reads: each State's names in the six UN
languages (ISO 3166 and its translations, `facts.translations`), its UN English name and
aliases, written as a script file (`assets/search-index.js`) because a page opened from
disk may not fetch a JSON file. The search itself runs in the browser (`assets/site.js`)."""
from __future__ import annotations

import json

from ..facts.loader import FactBase
from ..facts.translations import LANGUAGES, display_name, other_names


def entries(fb: FactBase, english: dict[str, str]) -> list[dict[str, object]]:
    """One entry per State: the name the site shows, its page, and every name to match
    (`english`: ISO3 -> the UN English name, kept when the site is in another language)."""
    out = []
    for st in fb.states:
        full, short = other_names(st.iso3)
        names = dict.fromkeys([st.name, english.get(st.iso3, st.name), *st.aliases, *full, *short,
                               *(display_name(st.iso3, lang, st.name) for lang in LANGUAGES), st.iso3])
        out.append({"iso3": st.iso3, "name": st.name, "href": f"state/{st.iso3.lower()}.html", "names": list(names)})
    return out


def script(fb: FactBase, english: dict[str, str]) -> str:
    """The index as a script that sets `window.CCM_STATES`; ASCII-only JSON, so no character can end the script."""
    return "window.CCM_STATES = " + json.dumps(entries(fb, english), ensure_ascii=True, indent=0) + ";\n"
