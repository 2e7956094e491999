"""Which State a public list means by a name: the snapshot's States first, then ISO 3166 (pycountry).

A name that resolves to neither is an error naming the row, with the nearest names as suggestions.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pycountry

from ..errors import InputError
from ..facts.loader import FactBase
from ..facts.model import StateFacts
from ..facts.names import normalise


@dataclass(frozen=True)
class NewState:
    """A State the snapshot does not hold yet: the list's (UN short) name, ISO 3166's code and name."""

    name: str
    iso3: str
    iso_name: str


def known(fb: FactBase, name: str) -> StateFacts | None:
    try:
        return fb.find(name)
    except InputError:
        return None


def _forms(name: str) -> set[str]:
    """The ways a UN or ISO name is written: as is, without a parenthesis, the inverted form
    put back in order ('Congo, The Democratic Republic of the' -> 'the Democratic Republic of the Congo')."""
    out = {name, re.sub(r"\s*\(.*?\)", "", name)}
    if ", " in name:
        head, tail = name.split(", ", 1)
        out.add(f"{tail} {head}")
    return {re.sub(r"^the ", "", normalise(x)) for x in out if x}


def _iso_index() -> dict[str, object]:
    index: dict[str, object] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            for form in _forms(getattr(c, attr, "") or ""):
                index.setdefault(form, c)
    return index


def iso_country(name: str) -> NewState | None:
    """The ISO 3166 country a name means: by its name, official or common name, in any of the
    forms UN and ISO lists write them, or by its code."""
    index = _iso_index()
    c = next((index[f] for f in _forms(name) if f in index), None)
    if c is None and re.fullmatch(r"[A-Za-z]{3}", name.strip()):
        c = pycountry.countries.get(alpha_3=name.strip().upper())
    if c is None:
        return None
    return NewState(name, c.alpha_3, c.name)  # type: ignore[attr-defined]


def suggestions(fb: FactBase, name: str) -> str:
    """'; did you mean X, Y?' from the snapshot's States and ISO 3166's names ('' if nothing is near)."""
    pool = {st.name: st.name for st in fb.states} | {c.name: c.name for c in pycountry.countries}
    near = difflib.get_close_matches(name, list(pool), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(near)}?" if near else ""
