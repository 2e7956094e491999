"""The fact catalogue: every fact path a rule may test, what it holds, its values, and
where a State's facts keep it.

Rules name facts by these dotted paths (`article7.initial_report`); the rule
compiler checks each path and value against this table, and the engine reads
each fact of a State through its entry's `read` and turns it into evidence of
the entry's kind. Adding a fact is one line here (and its field in the model).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Sequence

from .indicators import INDICATORS
from .model import ConventionFacts, Event, Sourced, StateFacts

Kind = Literal["dated", "event", "flag", "extension", "contamination", "value"]
Fact = Sourced | tuple[Event, ...]  # an event fact is its observations
Read = Callable[[StateFacts, ConventionFacts], Iterable[tuple[str, Fact | None]]]  # (occurrence key, fact)


@dataclass(frozen=True)
class FactKind:
    """What a fact path holds, which values a rule may test it for, and how to read it.

    `values` are the words rules use (`is: "yes"`); `typed` gives the value the
    evidence carries for each (a flag's are booleans). `keyed` facts occur once
    per calendar year, the occurrence key.
    """

    kind: Kind
    values: tuple[str, ...]
    read: Read
    keyed: bool = False

    def typed(self, word: str) -> str | bool:
        return FLAG_WORDS[word] if self.kind == "flag" else word


FLAG_WORDS = {"yes": True, "no": False}


def _one(get: Callable[[StateFacts, ConventionFacts], Fact | None]) -> Read:
    return lambda st, conv: (("", get(st, conv)),)


def _by_content(items: Sequence[Sourced]) -> list[Sourced]:
    """List items (extensions, new contamination) in an order set by what they say,
    so that reordering a file's list changes no evidence id."""
    return sorted(items, key=lambda item: item.model_dump_json())


def _listed(get: Callable[[StateFacts], Sequence[Sourced]]) -> Read:
    return lambda st, conv: (("", item) for item in _by_content(get(st)))


def _yearly(get: Callable[[StateFacts], dict[int, tuple[Event, ...]]]) -> Read:
    def read(st: StateFacts, conv: ConventionFacts) -> list[tuple[str, Fact | None]]:
        return [(str(year), fact) for year, fact in get(st).items()]  # in year order (facts.model)
    return read


def _indicator(name: str) -> Read:
    def read(st: StateFacts, conv: ConventionFacts) -> list[tuple[str, Fact | None]]:
        return [(str(year), fact) for year, reported in st.reported.items()  # in year order (facts.model)
                if (fact := getattr(reported, name)) is not None]
    return read


EVENT = ("done", "not_done", "partial")
FLAG = tuple(FLAG_WORDS)
CATALOG: dict[str, FactKind] = {
    "convention.opened_for_signature": FactKind("dated", ("done",), _one(lambda st, c: c.opened_for_signature)),
    "convention.entry_into_force": FactKind("dated", ("done",), _one(lambda st, c: c.entry_into_force)),
    "treaty.signature": FactKind("dated", ("done",), _one(lambda st, c: st.treaty.signature)),
    "treaty.deposit": FactKind("dated", ("done",), _one(lambda st, c: st.treaty.deposit)),
    "treaty.withdrawal": FactKind("dated", ("done",), _one(lambda st, c: st.treaty.withdrawal)),
    "article7.initial_report": FactKind("event", EVENT, _one(lambda st, c: st.article7.initial_report)),
    "article7.annual_report": FactKind("event", EVENT, _yearly(lambda st: st.article7.annual_reports), keyed=True),
    "article3.stockpile_at_eif": FactKind("flag", FLAG, _one(lambda st, c: st.article3.stockpile_at_eif)),
    "article3.destruction_completed": FactKind("event", EVENT, _one(lambda st, c: st.article3.destruction_completed)),
    "article3.extension": FactKind("extension", ("granted",), _listed(lambda st: st.article3.extensions)),
    "article4.contaminated_at_eif": FactKind("flag", FLAG, _one(lambda st, c: st.article4.contaminated_at_eif)),
    "article4.new_contamination": FactKind("contamination", ("present",), _listed(lambda st: st.article4.new_contamination)),
    "article4.clearance_completed": FactKind("event", EVENT, _one(lambda st, c: st.article4.clearance_completed)),
    "article4.extension": FactKind("extension", ("granted",), _listed(lambda st: st.article4.extensions)),
    "article5.victims": FactKind("flag", FLAG, _one(lambda st, c: st.article5.victims)),
    "article5.va_focal_point": FactKind("event", EVENT, _one(lambda st, c: st.article5.va_focal_point)),
    "article5.national_plan": FactKind("event", EVENT, _one(lambda st, c: st.article5.national_plan)),
    "article9.legislation": FactKind("value", ("adopted", "existing_sufficient", "in_progress", "none"),
                                     _one(lambda st, c: st.article9.legislation)),
    **{f"reported.{name}": FactKind("event", EVENT, _indicator(name), keyed=True) for name in INDICATORS},
}
