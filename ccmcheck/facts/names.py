"""Finding a State by UN name, ISO3 code or alias, the way people type them."""
from __future__ import annotations

import difflib
import unicodedata
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from .model import StateFacts
from .translations import alpha_2, endonyms, iso_country, other_names


@lru_cache(maxsize=1 << 16)  # the same names (the facts', six languages', every endonym) are asked again and again
def normalise(name: str) -> str:
    """Case, accents on Latin letters, punctuation and spacing do not matter:
    'Sao Tomé' = 'sao tome', 'CÔTE D'IVOIRE' = 'cote d ivoire'. Letters of every other
    script are kept as they are (NFKC, case-folded): 'Хорватия' stays Cyrillic, and its
    'й' is not an 'и'. A name with no letter or digit normalises to ''."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch) and kept and _is_latin(kept[-1]):
            continue  # an accent on a Latin letter
        kept.append(ch)
    folded = unicodedata.normalize("NFKC", "".join(kept)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ")


class NameIndex:
    """Every way of naming each State; `clashes` lists names the facts give two States.

    Names from the facts come first; then ISO names in the six UN languages, then
    their shorter forms (facts/translations.py). A name is looked up in the first
    of these tiers that has it; one that names two States there is ambiguous.
    """

    def __init__(self, states: Sequence[StateFacts]):
        self._by_key: dict[str, StateFacts] = {}
        self.clashes: list[tuple[str, str, str]] = []
        for st in states:
            for label in (st.name, st.iso3, *st.aliases):
                key = normalise(label)
                if not key:  # no letter or digit: the loader reports it; it must never match ""
                    continue
                other = self._by_key.setdefault(key, st)
                if other is not st:
                    self.clashes.append((st.iso3, st.name, f"the name {label!r} also names {other.name}"))
        self._states = tuple(states)

    @cached_property
    def _tiers(self) -> list[dict[str, dict[str, StateFacts]]]:
        """Names in the six UN languages, then ISO alpha-2 codes, then the names in every other language
        (endonyms: "Hrvatska"), read only when the facts' own names do not match."""
        tiers: list[dict[str, dict[str, StateFacts]]] = [{}, {}, {}, {}]
        for st in self._states:
            for tier, labels in zip(tiers, (*other_names(st.iso3), (alpha_2(st.iso3) or "",),
                                            endonyms().get(st.iso3, ()))):
                for label in labels:
                    if normalise(label):
                        tier.setdefault(normalise(label), {})[st.iso3] = st
        return tiers

    def find(self, name: str, where: Path | str) -> StateFacts:
        key = normalise(name)
        if not key:
            raise InputError.single(where, name, "state", "a State's name needs a letter or digit")
        st = self._by_key.get(key)
        if st is not None:
            return st
        for tier in self._tiers:
            found = sorted(tier.get(key, {}).values(), key=lambda s: s.name)
            if len(found) == 1:
                return found[0]
            if found:
                raise InputError.single(where, name, "state", f"the name is ambiguous: {' or '.join(s.name for s in found)}")
        raise InputError.single(where, name, "state", self.not_found(name))

    def not_found(self, name: str) -> str:
        """Why `name` finds no State: a country ISO knows that the snapshot does not hold is named as such
        (no guess at another State); a misspelling gets the States whose names are close."""
        known = iso_country(name)
        if known is not None:
            return (f"{known[1]} ({known[0]}) is not in this snapshot; the snapshot covers {len(self._states)} "
                    "States (the States Parties and Signatories it reports on; `ccmcheck evaluate` lists them)")
        key = normalise(name)
        every = {k: st for tier in (self._tiers[0], self._tiers[1]) for k, by in tier.items()
                 for st in by.values()} | self._by_key
        close = difflib.get_close_matches(key, [k for k in every if len(k) > 3], n=3, cutoff=0.75) if len(key) > 3 else []
        suggestions = dict.fromkeys(every[c].name for c in close)
        hint = f"; did you mean {', '.join(map(repr, suggestions))}?" if suggestions else ""
        return f"no State of that name, ISO3 code or alias{hint}"
