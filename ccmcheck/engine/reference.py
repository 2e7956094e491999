"""A pure-Python matcher for the same patterns: the differential oracle for
durable-rules, and the engine where durable-rules cannot be imported."""
from __future__ import annotations

from collections import defaultdict
from itertools import product

from .matching import Match, Trigger
from .records import Evidence
from ..rules.plan import Pattern, Plan, Test


def _passes(plan: Plan, pattern: Pattern, t: Test, e: Evidence, trig: Trigger) -> bool:
    if e.state != trig.state or e.path != t.path:
        return False
    if t.value is not None and e.value != t.value:
        return False
    if t.keyed and e.key != trig.occurrences[plan.occurrence_field[pattern.rule_id]]:
        return False
    if t.anchor is None:
        return True
    return e.latest is None or e.latest <= trig.anchors[t.anchor]  # a fact with no date of its own passes any bound


class ReferenceMatcher:
    def __init__(self, plan: Plan):
        self._plan = plan
        self._stages = [tuple(p for p in plan.patterns if p.stage == s) for s in range(plan.stages)]

    def session(self) -> "_ReferenceSession":
        return _ReferenceSession(self._plan, self._stages)


class _ReferenceSession:
    def __init__(self, plan: Plan, stages: list[tuple[Pattern, ...]]):
        self._plan, self._stages = plan, stages
        self._at: dict[str, list[Evidence]] = defaultdict(list)  # a test only passes evidence at its path

    def __enter__(self) -> "_ReferenceSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self._at = defaultdict(list)

    def add(self, evidence: list[Evidence]) -> None:
        for e in evidence:
            self._at[e.path].append(e)

    def fire(self, trigger: Trigger) -> list[Match]:
        out: list[Match] = []
        for p in self._stages[trigger.stage]:
            if any(_passes(self._plan, p, t, e, trigger) for t in p.absent for e in self._at.get(t.path, ())):
                continue
            options = [[e for e in self._at.get(t.path, ()) if _passes(self._plan, p, t, e, trigger)] for t in p.tests]
            out += [(p, combo) for combo in product(*options)]
        return out
