"""The matcher interface both engines implement, and the trigger they join on.

A session holds one unit of work (one State): add all its evidence, then fire
one trigger per stage; each fire returns the patterns of that stage that
matched, each with the evidence its tests matched (in the order of its tests).
Findings never depend on the order evidence was added in, because nothing is
decided before the trigger, nor on the order matches come back in: `decide`
picks among several by date and id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .dates import anchor_date, occurrence
from .records import Evidence
from ..rules.plan import Pattern, Plan
from ..rules.model import Rule

Match = tuple[Pattern, tuple[Evidence, ...]]  # a pattern, and the evidence matched by its tests in order


@dataclass(frozen=True)
class Trigger:
    """What every pattern of a stage joins on: the State, the as-of anchors (by the plan's
    anchor names) and the occurrence keys (by the plan's occurrence fields)."""

    state: str
    stage: int
    anchors: dict[str, date]
    occurrences: dict[str, str]

    def of(self, state: str) -> "Trigger":
        return Trigger(state, self.stage, self.anchors, self.occurrences)


class Session(Protocol):
    def add(self, evidence: list[Evidence]) -> None: ...

    def fire(self, trigger: Trigger) -> list[Match]: ...


class SessionContext(Protocol):
    def __enter__(self) -> Session: ...

    def __exit__(self, *exc: object) -> None: ...


class Matcher(Protocol):
    def session(self) -> SessionContext: ...


def trigger(plan: Plan, rules: dict[str, Rule], iso3: str, as_of: date, stage: int) -> Trigger:
    """The trigger of `stage` for State `iso3` on `as_of`."""
    anchors = {name: anchor_date(anchor, as_of) for name, anchor in plan.anchors.items()}
    occurrences = {}
    for rule_id, field in plan.occurrence_field.items():
        every = rules[rule_id].deadline
        assert every is not None and every.annually is not None  # the plan gives occurrence fields to these only
        occurrences[field] = occurrence(every.annually, as_of)[1]
    return Trigger(iso3, stage, anchors, occurrences)

