"""A snapshot's States named in another UN language.

It sits above the loader, the name index and the translations (it needs all
three), so that none of them has to import another back.
"""
from __future__ import annotations

import dataclasses

from .loader import FactBase
from .names import NameIndex, normalise
from .translations import display_name


def localised(facts: FactBase, lang: str) -> FactBase:
    """The same facts with each State named in `lang`; its UN English name stays an alias,
    so every way of naming it still finds it."""
    states = tuple(sorted((st.model_copy(update={"name": name, "aliases": [*st.aliases, st.name]})
                           if (name := display_name(st.iso3, lang, st.name)) != st.name else st
                           for st in facts.states), key=lambda s: normalise(s.name)))
    return dataclasses.replace(facts, states=states, names=NameIndex(states))
