"""The only module that imports durable-rules.

What it relies on (durable-rules 2.0.28, see docs/engine.md): actions fire as
soon as a pattern matches, so the caller adds every record before the trigger;
a fact no rule matches raises MessageNotHandledException, so a catch-all rule
swallows them; rulesets cannot be unregistered and session ids are limited, so
each plan is registered once per process and every session reuses sid "0",
retracting all it asserted when it closes; the host is not thread-safe, so one
lock serialises sessions.
"""
from __future__ import annotations

import copy
import itertools
import json
import threading
from typing import Any

from durable import engine

from .matching import Match
from .plan import Pattern, Plan, Test
from .records import Record

_LOCK = threading.RLock()
_HOST: engine.Host | None = None
_REGISTERED: dict[str, "DurableMatcher"] = {}
_NAMES = itertools.count()


def _test(plan: Plan, rule_id: str, t: Test) -> dict[str, Any]:
    conds: list[dict[str, Any]] = [{"t": "fact"}, {"s": {"trig": "s"}}, {"p": t.path}]
    if t.value is not None:
        conds.append({"v": t.value})
    if t.keyed:
        conds.append({"k": {"trig": plan.occurrence_field[rule_id]}})
    if t.anchor is not None:
        conds.append({"$lte": {"hi": {"trig": t.anchor}}})
    return {"$and": conds}


def _definition(plan: Plan, pattern: Pattern) -> dict[str, Any]:
    terms: list[dict[str, Any]] = [{"trig": {"$and": [{"t": "eval"}, {"stage": pattern.stage}]}}]
    terms += [{f"f{i}": _test(plan, pattern.rule_id, t)} for i, t in enumerate(pattern.tests)]
    terms += [{f"n{i}$not": _test(plan, pattern.rule_id, t)} for i, t in enumerate(pattern.absent)]
    return {"all": terms}


class DurableMatcher:
    """One registered ruleset for one plan; sessions are serialised."""

    name = "durable"

    def __init__(self, plan: Plan, definitions: dict[str, dict[str, Any]]):
        self._plan = plan
        self._ruleset = f"ccmcheck{next(_NAMES)}"
        self._fired: list[Match] = []
        self._sizes = {p.name: len(p.tests) for p in plan.patterns}
        rules: dict[str, dict[str, Any]] = {}
        for name, definition in definitions.items():
            rules[name] = {**definition, "run": self._recorder(name)}
        rules["catch-all"] = {"all": [{"m": {"$ex": {"t": 1}}}], "run": lambda c: None}
        global _HOST
        if _HOST is None:
            _HOST = engine.Host()
        _HOST.set_rulesets({self._ruleset: rules})  # it drops the "run" keys of what it is given

    def _recorder(self, name: str):
        def record(c: Any) -> None:
            found = c._m  # the named facts of the match
            self._fired.append((name, tuple(found[f"f{i}"] for i in range(self._sizes[name]))))
        return record

    def session(self) -> "_DurableSession":
        return _DurableSession(self)


class _DurableSession:
    def __init__(self, matcher: DurableMatcher):
        self._m = matcher
        self._asserted: list[Record] = []

    def __enter__(self) -> "_DurableSession":
        _LOCK.acquire()
        self._m._fired.clear()
        return self

    def add(self, records: list[Record]) -> None:
        if records:
            _HOST.assert_facts(self._m._ruleset, records)  # type: ignore[union-attr]
            self._asserted.extend(records)

    def fire(self, trigger: Record) -> list[Match]:
        self.add([trigger])
        fired = sorted(self._m._fired, key=lambda m: (m[0], json.dumps(m[1], sort_keys=True)))
        self._m._fired.clear()
        return fired

    def __exit__(self, *exc: object) -> None:
        try:
            if self._asserted:
                _HOST.retract_facts(self._m._ruleset, self._asserted)  # type: ignore[union-attr]
        finally:
            self._asserted = []
            self._m._fired.clear()
            _LOCK.release()


def durable_matcher(plan: Plan) -> DurableMatcher:
    """The matcher for `plan`, registering its ruleset the first time only."""
    definitions = {p.name: _definition(plan, p) for p in plan.patterns}
    key = json.dumps(definitions, sort_keys=True)
    with _LOCK:
        if key not in _REGISTERED:
            _REGISTERED[key] = DurableMatcher(plan, copy.deepcopy(definitions))
        return _REGISTERED[key]
