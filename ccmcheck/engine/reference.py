"""A pure-Python matcher for the same patterns: the differential oracle for
durable-rules, and the engine where durable-rules cannot be imported."""
from __future__ import annotations

import json
from collections import defaultdict
from itertools import product

from .matching import Match
from ..rules.plan import Pattern, Plan, Test
from .records import Record


def _passes(plan: Plan, pattern: Pattern, t: Test, rec: Record, trig: Record) -> bool:
    if rec.get("t") != "fact" or rec["s"] != trig["s"] or rec["p"] != t.path:
        return False
    if t.value is not None and rec["v"] != t.value:
        return False
    if t.keyed and rec["k"] != trig[plan.occurrence_field[pattern.rule_id]]:
        return False
    return t.anchor is None or rec["hi"] <= trig[t.anchor]  # type: ignore[operator]


class ReferenceMatcher:
    name = "reference"

    def __init__(self, plan: Plan):
        self._plan = plan

    def session(self) -> "_ReferenceSession":
        return _ReferenceSession(self._plan)


class _ReferenceSession:
    def __init__(self, plan: Plan):
        self._plan = plan
        self._records: list[Record] = []

    def __enter__(self) -> "_ReferenceSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self._records = []

    def add(self, records: list[Record]) -> None:
        self._records.extend(records)

    def fire(self, trigger: Record) -> list[Match]:
        at: dict[object, list[Record]] = defaultdict(list)  # a test only passes records at its path
        for r in self._records:
            at[r.get("p")].append(r)
        out: list[Match] = []
        for p in self._plan.patterns:
            if p.stage != trigger["stage"]:
                continue
            if any(_passes(self._plan, p, t, r, trigger) for t in p.absent for r in at.get(t.path, ())):
                continue
            options = [[r for r in at.get(t.path, ()) if _passes(self._plan, p, t, r, trigger)] for t in p.tests]
            out += [(p.name, combo) for combo in product(*options)]
        return sorted(out, key=lambda m: (m[0], json.dumps(m[1], sort_keys=True)))
