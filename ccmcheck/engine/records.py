"""Evidence: what the matcher sees of one State's facts on one as-of date, typed.

Each fact the catalogue reads (facts/catalog.py) becomes one `Evidence` if it
is known on the as-of date; everything else is unknown. An evidence's `id`
depends only on what is known, never on the order a file lists things in:
findings break ties between same-day facts by it.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable, Collection, Mapping, NamedTuple

from ..facts.catalog import CATALOG
from ..facts.model import ConventionFacts, Dated, Event, Extension, Flag, Legislation, NewContamination, StateFacts
from ..facts.observations import bounds, by_content, conflicts, describe, in_force

DAY = timedelta(days=1)


class Evidence(NamedTuple):  # a tuple: built by the thousand per evaluation, ~4x quicker than a frozen dataclass
    """One fact of a State as known on the as-of date.

    `value` is what a rule tests with `is` (a flag's is a boolean); `earliest`
    and `latest` bound the day it happened (equal for an exact date; both None
    for a fact with no date of its own, such as a flag); `checked_on` is the day
    a source saw a `not_done` or `partial` event, or the last day a `done` one
    implies it was not yet done. An event fact whose observations conflict on the
    as-of date is `conflict`; one no observation decides, though an earlier one saw
    it not done, is `stale` (`checked_on` that day, `was` what it saw). For an extension, `earliest`
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
    was: str | None = None  # `stale` evidence: what the last observation before the as-of date saw
    notes: tuple[str, ...] = ()  # `conflict` evidence: the observations that cannot all be true

    def order(self) -> tuple[date, str]:
        """By the latest day it can have happened on (undated first), then by id: how a
        finding picks one among several."""
        return self.latest or date.min, self.id


class Seen(NamedTuple):
    """What one fact says on the as-of date."""

    value: str | bool
    earliest: date | None
    latest: date | None
    checked_on: date | None
    source: str
    was: str | None = None
    notes: tuple[str, ...] = ()


def _not_done_through(ev: Event) -> tuple[str, date] | None:
    """The last day this observation says the event was not (fully) done, and as what: a check
    says it of its day; `done on D` of every day before D, `between [A, B]` of every day before A,
    `not_done_on` of its day (and so of every earlier one: the event is done once)."""
    if ev.status != "done":
        assert ev.checked_on is not None
        return ev.status, ev.checked_on
    first, _ = ev.window()
    days = [d for d in (first - DAY if first is not None else None, ev.not_done_on) if d is not None]
    return ("not_done", max(days)) if days else None


def _event(facts: tuple[Event, ...], as_of: date) -> Seen | None:
    """A fact's observations as known on the as-of date: done (the most precise completion
    known by then), not (fully) done on it (said or implied), a conflict, or `stale`: nothing
    decides the date, and `checked_on` is the last day known not done before it."""
    obs = by_content(in_force(facts))
    if len(obs) > 1 and conflicts(tuple(obs)) and not all((lo := bounds(ev)[0]) is not None and lo > as_of
                                                           for ev in obs):
        return Seen("conflict", None, None, None, "; ".join(dict.fromkeys(ev.source for ev in obs)),
                    notes=tuple(describe(ev) for ev in obs))
    done = [ev for ev in obs if ev.status == "done" and ev.window()[1] <= as_of]  # type: ignore[operator]
    if done:
        best = min(done, key=lambda ev: (-(ev.window()[0] or date.min).toordinal(), ev.window()[1]))
        lo, hi = best.window()
        return Seen("done", lo, hi, None, best.source)
    unmet = [(through, ev) for ev in obs for through in (_not_done_through(ev),) if through is not None]
    now = [(s, d, ev) for (s, d), ev in unmet if d >= as_of]
    if now:  # "not done" says more about the as-of date than "partly done"
        status, day, ev = max(now, key=lambda x: (x[0] == "not_done", x[1]))
        return Seen(status, None, None, day, ev.source)
    if unmet:
        (status, day), ev = max(unmet, key=lambda x: x[0][1])
        return Seen("stale", None, None, day, ev.source, was=status)
    return None


def _dated(fact: Dated, as_of: date) -> Seen | None:
    return Seen("done", fact.on, fact.on, None, fact.source) if fact.on <= as_of else None


def _flag(fact: Flag, as_of: date) -> Seen | None:
    return Seen(fact.value, None, None, None, fact.source)


def _extension(fact: Extension, as_of: date) -> Seen | None:
    return Seen("granted", fact.decided_on, fact.decided_on, None, fact.source) if fact.decided_on <= as_of else None


def _contamination(fact: NewContamination, as_of: date) -> Seen | None:
    d = fact.hostilities_ended
    return Seen("present", d, d, None, fact.source) if d <= as_of else None


def _value(fact: Legislation, as_of: date) -> Seen | None:
    return Seen(fact.value, None, None, None, fact.source)


VISIBLE: dict[str, Callable[..., Seen | None]] = {  # by catalogue kind: the fact as known on the as-of date, or None
    "event": _event, "dated": _dated, "flag": _flag, "extension": _extension, "contamination": _contamination,
    "value": _value,
}


Wanted = Mapping[str, Collection[str] | None]  # path -> the occurrence keys wanted there (None: all)


Read = Callable[[str], list[tuple[str, Any]]]  # path -> the State's (key, fact) pairs there, whatever the date


def reader(state: StateFacts, convention: ConventionFacts) -> Read:
    """The State's facts by path (those it has: a year with no such fact is left out), each path read
    once: for a caller that asks on many dates (history)."""
    cache: dict[str, list[tuple[str, Any]]] = {}

    def read(path: str) -> list[tuple[str, Any]]:
        if path not in cache:
            cache[path] = [(key, fact) for key, fact in CATALOG[path].read(state, convention) if fact is not None]
        return cache[path]
    return read


class Reading(NamedTuple):
    """Which fact paths to read, with the keys wanted at each and how each is seen on a date:
    worked out once for every State of an evaluation (`Reading.of`)."""

    paths: tuple[tuple[str, Callable[..., Any], Collection[str] | None, Callable[..., Seen | None]], ...]

    @classmethod
    def of(cls, wanted: Wanted | None = None) -> "Reading":
        """Every catalogue path (`wanted` None), or those `wanted` that the catalogue reads (a derived
        date is not read: the engine adds it once derived)."""
        return cls(tuple((path, CATALOG[path].read, None if wanted is None else wanted[path], VISIBLE[CATALOG[path].kind])
                         for path in (CATALOG if wanted is None else wanted) if path in CATALOG))

    def records(self, state: StateFacts, convention: ConventionFacts, as_of: date,
                read: Read | None = None) -> list[Evidence]:
        """`state_records` with this reading."""
        out: list[Evidence] = []
        iso3 = state.iso3
        for path, read_path, keys, visible in self.paths:
            facts = read(path) if read is not None else read_path(state, convention)
            if not facts:
                continue
            rank: dict[str, int] = {}
            for key, fact in facts:
                if fact is None or (keys is not None and key not in keys):
                    continue
                seen = visible(fact, as_of)
                if seen is None:
                    continue
                n = rank[key] = rank.get(key, -1) + 1
                out.append(Evidence(f"{iso3}:{path}:{key}:{n}", iso3, path, key, seen.value, seen.earliest,
                                    seen.latest, seen.checked_on, seen.source,
                                    fact.new_deadline if isinstance(fact, Extension) else None, seen.was, seen.notes))
        return out


def state_records(state: StateFacts, convention: ConventionFacts, as_of: date,
                  wanted: Wanted | None = None, read: Read | None = None) -> list[Evidence]:
    """Every fact about `state` known on `as_of` (only at the paths and keys `wanted`, if
    given), as evidence; `read` (see `reader`) gives the facts at a path, else they are read here.

    Ids are path, key and rank among the known facts at that path and key: a fact
    not yet known (or one more annual report) shifts no other evidence's id.
    """
    return Reading.of(wanted).records(state, convention, as_of, read)


def derived_record(iso3: str, rule_id: str, on: date, source: str) -> Evidence:
    """A date a rule derived (e.g. entry into force), for the rules that build on it."""
    return Evidence(f"{iso3}:{rule_id}", iso3, rule_id, "", "done", on, on, None, source)
