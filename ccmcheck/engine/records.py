"""Flat fact records: what the matcher sees of one State on one as-of date.

Each fact becomes a record with one type per field and no nulls (durable-rules
compares nulls and mixed types strangely): `v` is a string, dates are day
ordinals with 0 for "none", `k` is the occurrence key (a calendar year) or "".
Only what is known as of the date is emitted; everything else is unknown.
A record's `id` depends only on what is known, never on the order a file lists
things in: findings break ties between same-day facts by it.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Iterator, Sequence, TypeVar

from pydantic import BaseModel

from ..facts.model import ConventionFacts, Dated, Event, Extension, Flag, Legislation, NewContamination, StateFacts
from ..facts.indicators import INDICATORS

Record = dict[str, object]


def ordinal(d: date | None) -> int:
    return d.toordinal() if d is not None else 0


_Item = TypeVar("_Item", bound=BaseModel)


def _by_content(items: Sequence[_Item]) -> list[_Item]:
    """List items (extensions, new contamination) in an order set by what they say,
    so that reordering a file's list changes no record id."""
    return sorted(items, key=lambda item: item.model_dump_json())


def _facts(state: StateFacts, convention: ConventionFacts) -> Iterator[tuple[str, str, object]]:
    """(path, key, fact) for every fact the State file and the Convention give."""
    yield "convention.opened_for_signature", "", convention.opened_for_signature
    yield "convention.entry_into_force", "", convention.entry_into_force
    t = state.treaty
    yield "treaty.signature", "", t.signature
    yield "treaty.deposit", "", t.deposit
    yield "treaty.withdrawal", "", t.withdrawal
    yield "article7.initial_report", "", state.article7.initial_report
    for year, report in sorted(state.article7.annual_reports.items()):
        yield "article7.annual_report", str(year), report
    a3, a4, a5 = state.article3, state.article4, state.article5
    yield "article3.stockpile_at_eif", "", a3.stockpile_at_eif
    yield "article3.destruction_completed", "", a3.destruction_completed
    for ext in _by_content(a3.extensions):
        yield "article3.extension", "", ext
    yield "article4.contaminated_at_eif", "", a4.contaminated_at_eif
    for nc in _by_content(a4.new_contamination):
        yield "article4.new_contamination", "", nc
    yield "article4.clearance_completed", "", a4.clearance_completed
    for ext in _by_content(a4.extensions):
        yield "article4.extension", "", ext
    yield "article5.victims", "", a5.victims
    yield "article5.va_focal_point", "", a5.va_focal_point
    yield "article5.national_plan", "", a5.national_plan
    yield "article9.legislation", "", state.article9.legislation
    for year, reported in sorted(state.reported.items()):
        for name in INDICATORS:
            yield f"reported.{name}", str(year), getattr(reported, name)


def _visible(fact: object, as_of: date) -> tuple[str, int, int, int] | None:
    """(value, lo, hi, checked) of a fact as known on `as_of`, or None if unknown then."""
    a = as_of
    if isinstance(fact, Event):
        if fact.status == "done":
            lo, hi = fact.window()
            if hi is not None and hi <= a:
                return "done", ordinal(lo), ordinal(hi), 0
            if fact.not_done_on is not None and a <= fact.not_done_on:
                return "not_done", 0, 0, ordinal(fact.not_done_on)
            return None  # not known to have happened by the as-of date
        if fact.checked_on is None or fact.checked_on < a:
            return None  # a "not yet" says nothing about later days
        return fact.status, 0, 0, ordinal(fact.checked_on)
    if isinstance(fact, Dated):
        return ("done", ordinal(fact.on), ordinal(fact.on), 0) if fact.on <= a else None
    if isinstance(fact, Flag):
        return ("yes" if fact.value else "no"), 0, 0, 0
    if isinstance(fact, Extension):
        if fact.decided_on > a:
            return None
        return "granted", ordinal(fact.decided_on), ordinal(fact.new_deadline), 0
    if isinstance(fact, NewContamination):
        d = fact.hostilities_ended
        return ("present", ordinal(d), ordinal(d), 0) if d <= a else None
    if isinstance(fact, Legislation):
        return fact.value, 0, 0, 0
    raise TypeError(f"no record form for {type(fact).__name__}")


def state_records(state: StateFacts, convention: ConventionFacts, as_of: date) -> list[Record]:
    """Every fact about `state` that is known on `as_of`, as flat records.

    Ids are path, key and rank among the known facts at that path: a fact not
    yet known (or one more annual report) shifts no other record's id.
    """
    out: list[Record] = []
    rank: Counter[tuple[str, str]] = Counter()
    for path, key, fact in _facts(state, convention):
        if fact is None:
            continue
        seen = _visible(fact, as_of)
        if seen is None:
            continue
        v, lo, hi, ck = seen
        n = rank[path, key]
        rank[path, key] += 1
        out.append({"id": f"{state.iso3}:{path}:{key}:{n}", "t": "fact", "s": state.iso3, "p": path, "k": key,
                    "v": v, "lo": lo, "hi": hi, "ck": ck, "src": fact.source})  # type: ignore[attr-defined]
    return out


def derived_record(iso3: str, rule_id: str, on: date, source: str) -> Record:
    """A date a rule derived (e.g. entry into force), for the rules that build on it."""
    d = ordinal(on)
    return {"id": f"{iso3}:{rule_id}", "t": "fact", "s": iso3, "p": rule_id, "k": "",
            "v": "done", "lo": d, "hi": d, "ck": 0, "src": source}
