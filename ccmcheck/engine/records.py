"""Evidence: what the matcher sees of one State's facts on one as-of date, typed.

Each fact the catalogue reads (facts/catalog.py) becomes one `Evidence` if it
is known on the as-of date; everything else is unknown. An evidence's `id`
depends only on what is known, never on the order a file lists things in:
findings break ties between same-day facts by it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Collection, Mapping

from ..facts.catalog import CATALOG
from ..facts.model import ConventionFacts, Dated, Event, Extension, Flag, Legislation, NewContamination, StateFacts


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact of a State as known on the as-of date.

    `value` is what a rule tests with `is` (a flag's is a boolean); `earliest`
    and `latest` bound the day it happened (equal for an exact date; both None
    for a fact with no date of its own, such as a flag); `checked_on` is the day
    a source saw a `not_done` or `partial` event. For an extension, `earliest`
    and `latest` are the day it was decided and `new_deadline` what it granted.
    """

    id: str
    state: str
    path: str
    key: str  # the occurrence (a calendar year) of a yearly fact, else ""
    value: str | bool
    earliest: date | None
    latest: date | None
    checked_on: date | None
    source: str
    new_deadline: date | None = None

    def order(self) -> tuple[date, str]:
        """By the latest day it can have happened on (undated first), then by id: how a
        finding picks one among several."""
        return self.latest or date.min, self.id


Seen = tuple[str | bool, date | None, date | None, date | None] | None  # value, earliest, latest, checked_on


def _event(fact: Event, as_of: date) -> Seen:
    if fact.status == "done":
        lo, hi = fact.window()
        if hi is not None and hi <= as_of:
            return "done", lo, hi, None
        if fact.not_done_on is not None and as_of <= fact.not_done_on:
            return "not_done", None, None, fact.not_done_on
        return None  # not known to have happened by the as-of date
    if fact.checked_on is None or fact.checked_on < as_of:
        return None  # a "not yet" says nothing about later days
    return fact.status, None, None, fact.checked_on


def _dated(fact: Dated, as_of: date) -> Seen:
    return ("done", fact.on, fact.on, None) if fact.on <= as_of else None


def _flag(fact: Flag, as_of: date) -> Seen:
    return fact.value, None, None, None


def _extension(fact: Extension, as_of: date) -> Seen:
    return ("granted", fact.decided_on, fact.decided_on, None) if fact.decided_on <= as_of else None


def _contamination(fact: NewContamination, as_of: date) -> Seen:
    d = fact.hostilities_ended
    return ("present", d, d, None) if d <= as_of else None


def _value(fact: Legislation, as_of: date) -> Seen:
    return fact.value, None, None, None


VISIBLE: dict[str, Callable[..., Seen]] = {  # by catalogue kind: the fact as known on the as-of date, or None
    "event": _event, "dated": _dated, "flag": _flag, "extension": _extension, "contamination": _contamination,
    "value": _value,
}


Wanted = Mapping[str, Collection[str] | None]  # path -> the occurrence keys wanted there (None: all)


def state_records(state: StateFacts, convention: ConventionFacts, as_of: date,
                  wanted: Wanted | None = None) -> list[Evidence]:
    """Every fact about `state` known on `as_of` (only at the paths and keys `wanted`, if
    given), as evidence.

    Ids are path, key and rank among the known facts at that path and key: a fact
    not yet known (or one more annual report) shifts no other evidence's id.
    """
    out: list[Evidence] = []
    iso3 = state.iso3
    for path in CATALOG if wanted is None else wanted:
        kind = CATALOG.get(path)
        if kind is None:
            continue  # a derived date: the engine adds it once derived
        keys = None if wanted is None else wanted[path]
        visible = VISIBLE[kind.kind]
        rank: dict[str, int] = {}
        for key, fact in kind.read(state, convention):
            if fact is None or (keys is not None and key not in keys):
                continue
            seen = visible(fact, as_of)
            if seen is None:
                continue
            n = rank[key] = rank.get(key, -1) + 1
            value, lo, hi, checked = seen
            out.append(Evidence(f"{iso3}:{path}:{key}:{n}", iso3, path, key, value, lo, hi, checked, fact.source,
                                fact.new_deadline if isinstance(fact, Extension) else None))
    return out


def derived_record(iso3: str, rule_id: str, on: date, source: str) -> Evidence:
    """A date a rule derived (e.g. entry into force), for the rules that build on it."""
    return Evidence(f"{iso3}:{rule_id}", iso3, rule_id, "", "done", on, on, None, source)
