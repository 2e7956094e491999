"""The matcher interface both engines implement, and the trigger they join on.

A session holds one unit of work (one State): add all its records, then fire
one trigger per stage; each fire returns the patterns of that stage that
matched, with the records they matched. Findings never depend on the order
records were added in, because nothing is decided before the trigger.
"""
from __future__ import annotations

from datetime import date
from typing import Protocol

from .dates import anchor_date, occurrence
from ..rules.plan import Plan
from .records import Record, ordinal
from ..rules.model import Rule

Match = tuple[str, tuple[Record, ...]]  # pattern name, records matched by its tests in order


class Session(Protocol):
    def add(self, records: list[Record]) -> None: ...

    def fire(self, trigger: Record) -> list[Match]: ...


class Matcher(Protocol):
    name: str

    def session(self) -> "SessionContext": ...


class SessionContext(Protocol):
    def __enter__(self) -> Session: ...

    def __exit__(self, *exc: object) -> None: ...


def trigger(plan: Plan, rules: dict[str, Rule], iso3: str, as_of: date, stage: int) -> Record:
    """The fact every pattern joins on: State, stage, as-of anchors, occurrence keys."""
    trig: Record = {"id": f"{iso3}:trigger:{stage}", "t": "eval", "s": iso3, "stage": stage}
    for name, anchor in plan.anchors.items():
        trig[name] = ordinal(anchor_date(anchor, as_of))
    for rule_id, field in plan.occurrence_field.items():
        every = rules[rule_id].deadline.annually  # type: ignore[union-attr]
        trig[field] = occurrence(every, as_of)[1]  # type: ignore[arg-type]
    return trig

