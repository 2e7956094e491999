"""What the observations of one event fact say together.

Each observation bounds the day the event was done (its completion day): `done on D`
puts it on D, `done between [A, B]` in A..B, `done by D` on or before D; `not done`
or `partial` checked on C, and `not_done_on` C, put it after C. Observations that
leave no day possible cannot all be true: they conflict, and nothing picks one of
them, unless a person has said which prevails (`prevails`, with its source).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Iterator

from .model import Event, StateFacts

DAY = timedelta(days=1)


def bounds(ev: Event) -> tuple[date | None, date | None]:
    """The earliest and latest possible completion day this observation leaves (None: no bound);
    the latest is None also for "not yet done", which says nothing about later days."""
    if ev.status != "done":
        assert ev.checked_on is not None
        return ev.checked_on + DAY, None
    first, last = ev.window()
    if ev.not_done_on is not None:
        first = max(first or ev.not_done_on, ev.not_done_on + DAY)
    return first, last


def compatible(a: Event, b: Event) -> bool:
    """Whether both observations can be true: some completion day fits both."""
    (alo, ahi), (blo, bhi) = bounds(a), bounds(b)
    lo = max((d for d in (alo, blo) if d is not None), default=None)
    hi = min((d for d in (ahi, bhi) if d is not None), default=None)
    return lo is None or hi is None or lo <= hi


def by_content(obs: Iterable[Event]) -> list[Event]:
    """Observations in an order set by what they say, not by the order a file lists them."""
    obs = list(obs)
    if len(obs) < 2:  # nearly every fact: one observation, and its JSON is the costly part
        return obs
    return sorted(obs, key=lambda ev: ev.model_dump_json())


def seen_on(ev: Event) -> date:
    """The day an observation speaks of: the day checked, or the latest day it was done on."""
    if ev.status != "done":
        assert ev.checked_on is not None
        return ev.checked_on
    return ev.window()[1]  # type: ignore[return-value]


def latest(obs: tuple[Event, ...]) -> Event:
    """The latest observation (of those in force): the one speaking of the latest day; on the
    same day, `done` over `partial` over `not_done`, then by content (not by file order)."""
    rank = {"not_done": 0, "partial": 1, "done": 2}
    return max(by_content(in_force(obs)), key=lambda ev: (seen_on(ev), rank[ev.status]))


def in_force(obs: tuple[Event, ...]) -> tuple[Event, ...]:
    """The observations that count: all of them, or where some prevail (a person's sourced
    decision), those and the ones compatible with every one of them."""
    winners = [ev for ev in obs if ev.prevails is not None]
    if not winners:
        return obs
    return tuple(ev for ev in obs if ev.prevails is not None or all(compatible(ev, w) for w in winners))


def conflicts(obs: tuple[Event, ...]) -> list[tuple[Event, Event]]:
    """Each pair of observations in force that cannot both be true, in content order."""
    ordered = by_content(in_force(obs))
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:] if not compatible(a, b)]


def describe(ev: Event) -> str:
    """An observation as a reader says it: "done on 2016-04-20 [7msp#30]"."""
    if ev.status == "done":
        when = (f"on {ev.on}" if ev.on is not None else
                f"between {ev.between[0]} and {ev.between[1]}" if ev.between is not None else f"by {ev.by}")
        seen = f", not done on {ev.not_done_on}" if ev.not_done_on is not None else ""
        return f"done {when}{seen} [{ev.source}]"
    return f"{ev.status.replace('_', ' ')} as of {ev.checked_on} [{ev.source}]"


@dataclass(frozen=True)
class Conflict:
    """Two observations of one State's fact that cannot both be true."""

    state: str
    iso3: str
    fact: str  # the dotted path in the State file, e.g. article7.initial_report
    first: Event
    second: Event

    def text(self) -> str:
        return f"{self.state} ({self.iso3}) {self.fact}: {describe(self.first)} conflicts with {describe(self.second)}"


def event_facts(st: StateFacts) -> Iterator[tuple[str, tuple[Event, ...]]]:
    """(dotted path, observations) for every event fact a State file holds."""
    one = {"article7.initial_report": st.article7.initial_report,
           "article3.destruction_completed": st.article3.destruction_completed,
           "article4.clearance_completed": st.article4.clearance_completed,
           "article5.va_focal_point": st.article5.va_focal_point,
           "article5.national_plan": st.article5.national_plan}
    for path, obs in one.items():
        if obs is not None:
            yield path, obs
    for year, obs in sorted(st.article7.annual_reports.items()):
        yield f"article7.annual_reports.{year}", obs
    for year, reported in sorted(st.reported.items()):
        for name in type(reported).model_fields:
            obs = getattr(reported, name)
            if obs is not None:
                yield f"reported.{year}.{name}", obs


def state_conflicts(st: StateFacts) -> list[Conflict]:
    """Every conflict among a State's observations that no `prevails` resolves."""
    return [Conflict(st.name, st.iso3, path, a, b) for path, obs in event_facts(st) for a, b in conflicts(obs)]
