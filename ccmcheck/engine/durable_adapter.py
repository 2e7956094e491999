"""The only module that imports durable-rules, and the only one that knows its record
format: evidence and triggers go in as flat JSON records with one type per field and no
nulls (durable-rules compares nulls and mixed types strangely): dates as day ordinals (0 for
none), flags as "yes"/"no"; matches come back as the pattern and the evidence asserted.

What it relies on (durable-rules 2.0.28, see docs/engine.md): actions fire as
soon as a pattern matches, so the caller adds every record before the trigger;
a fact no rule matches raises MessageNotHandledException, so a catch-all rule
takes every fact (joined on a fact never asserted, so that it never runs an
action); rulesets cannot be unregistered and session ids are limited, so
each plan is registered once per process and every session reuses sid "0",
retracting all it asserted when it closes; the host is not thread-safe, so one
lock serialises sessions; and a plain Host starts timer threads that dispatch
pending actions (and assert timer pulses) outside that lock, so the host used
here never starts them. Facts are asserted and actions run through the
host's C calls directly (`_DurableSession._call`), as Host.assert_facts does
but without its per-action bookkeeping, which cost a quarter of the time.
Evidence added to a session is asserted with the next trigger, in one call and
before it (durable-rules takes a batch's facts in order): a call and its JSON
fewer per stage, and evidence added after the last trigger is never asserted.
"""
from __future__ import annotations

import copy
import itertools
import json
import re
import threading
from datetime import date
from typing import Any, Callable

import durable_rules_engine
from durable import engine

from .matching import Match, Trigger
from .records import Evidence
from ..rules.plan import Pattern, Plan, Test

Record = dict[str, object]  # a record as durable-rules sees it
_FACT_ID = re.compile(r'"f(\d+)":\{"id": "([^"]*)"')  # in an action's message: test number, id of its fact

_LOCK = threading.RLock()
_HOST: _SyncHost | None = None
_REGISTERED: dict[str, "DurableMatcher"] = {}
_NAMES = itertools.count()


class _SyncHost(engine.Host):
    """A Host that runs actions only inside the calls that queue them.

    engine.Host() starts two timer threads that poll every ruleset for pending
    actions and timers. Nothing here uses timers, and every action already runs
    synchronously in assert_facts/retract_facts; a poll landing between a
    call's assert and its action dispatch would run that action on the timer
    thread, outside the lock, after `fire` has returned: a lost match.
    """

    def _run(self) -> None:
        pass


def _ordinal(d: date | None) -> int:
    return d.toordinal() if d is not None else 0


def _wire_value(v: str | bool) -> str:
    return ("yes" if v else "no") if isinstance(v, bool) else v


def _record(e: Evidence) -> Record:
    """Only what a pattern tests, and the id the match is mapped back by."""
    return {"id": e.id, "t": "fact", "s": e.state, "p": e.path, "k": e.key, "v": _wire_value(e.value),
            "hi": _ordinal(e.latest)}


def _trigger_record(trig: Trigger) -> Record:
    rec: Record = {"id": f"{trig.state}:trigger:{trig.stage}", "t": "eval", "s": trig.state, "stage": trig.stage}
    rec.update((name, _ordinal(d)) for name, d in trig.anchors.items())
    rec.update(trig.occurrences)
    return rec


def _test(plan: Plan, rule_id: str, t: Test) -> dict[str, Any]:
    # The path before the join on `s`: with the join second, once a plan had more than 40
    # patterns, asserting any fact failed with durable-rules error 303 (ERR_MAX_STACK_SIZE).
    conds: list[dict[str, Any]] = [{"t": "fact"}, {"p": t.path}, {"s": {"trig": "s"}}]
    if t.value is not None:
        conds.append({"v": _wire_value(t.value)})
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

    def __init__(self, plan: Plan, definitions: dict[str, dict[str, Any]]):
        self._ruleset = f"ccmcheck{next(_NAMES)}"
        self.patterns = {p.name: p for p in plan.patterns}
        # durable-rules wants a callable per rule, but the session runs actions itself (_call).
        rules = {name: {**definition, "run": _no_action} for name, definition in definitions.items()}
        rules["catch-all"] = {"all": [{"m": {"$ex": {"t": 1}}}, {"never": {"t": "never-asserted"}}], "run": _no_action}
        global _HOST
        if _HOST is None:
            _HOST = _SyncHost()
        _HOST.set_rulesets({self._ruleset: rules})  # it drops the "run" keys of what it is given
        ruleset = _HOST.get_ruleset(self._ruleset)
        self.handle: int = ruleset._handle
        self.handle_result: Callable[[Any, Any], int] = ruleset._handle_result  # raises MessageNotHandledException

    def session(self) -> "_DurableSession":
        return _DurableSession(self)


class _DurableSession:
    def __init__(self, matcher: DurableMatcher):
        self._m = matcher
        self._asserted: list[str] = []  # the JSON of each batch asserted, to retract it with
        self._pending: list[Record] = []  # evidence added, asserted with the next trigger
        self._by_id: dict[str, Evidence] = {}
        self._fired: list[Match] = []

    def __enter__(self) -> "_DurableSession":
        _LOCK.acquire()
        return self

    def _call(self, change: Callable[[int, str], Any], text: str) -> None:
        """Assert or retract, then run every action that became due, one at a time, as the
        host does; an action that fails is abandoned and its error raised, not swallowed."""
        m, core = self._m, durable_rules_engine
        state_handle = m.handle_result(change(m.handle, text), text)
        started = core.start_action_for_state(m.handle, state_handle)
        if not started:
            return
        # started[0] is the session's state. No rule reads it and no action changes it, so
        # unlike the host this does not write it back (update_state) after each action.
        message = started[1]
        while message:
            try:
                self._fired.append(self._match(message))
            except BaseException:
                core.abandon_action(m.handle, state_handle)
                raise
            message = core.complete_and_start_action(m.handle, state_handle)

    def _match(self, message: str) -> Match:
        """One action's message, {pattern name: {"trig": trigger, "f0": fact, ...}}, as the
        pattern and the evidence asserted. The facts are the JSON this module wrote (the id
        first, no quotes inside), so a regular expression finds the ids faster than decoding
        the message; anything else is decoded."""
        pattern = self._m.patterns.get(message[2:message.index('"', 2)])
        found = _FACT_ID.findall(message)
        by_id = self._by_id
        if pattern is not None and len(found) == len(pattern.tests):
            if len(found) == 1:
                return pattern, (by_id[found[0][1]],)
            ids = dict(found)
        else:
            ((name, facts),) = json.loads(message).items()
            pattern, ids = self._m.patterns[name], {k[1:]: v["id"] for k, v in facts.items() if k.startswith("f")}
        return pattern, tuple(by_id[ids[str(i)]] for i in range(len(pattern.tests)))

    def _assert(self, records: list[Record]) -> None:
        text = json.dumps(records, ensure_ascii=False)
        self._call(durable_rules_engine.assert_facts, text)
        self._asserted.append(text)

    def add(self, evidence: list[Evidence]) -> None:
        if evidence:
            self._by_id.update((e.id, e) for e in evidence)
            self._pending += [_record(e) for e in evidence]

    def fire(self, trigger: Trigger) -> list[Match]:
        batch, self._pending = self._pending, []
        batch.append(_trigger_record(trigger))  # last: every fact is in before a rule can fire
        self._assert(batch)
        fired, self._fired = self._fired, []
        return fired

    def __exit__(self, *exc: object) -> None:
        try:
            if self._asserted:
                self._call(durable_rules_engine.retract_facts, "[" + ",".join(t[1:-1] for t in self._asserted) + "]")
        finally:
            self._asserted, self._pending, self._by_id, self._fired = [], [], {}, []
            _LOCK.release()


def _no_action(c: Any) -> None:
    pass


def durable_matcher(plan: Plan) -> DurableMatcher:
    """The matcher for `plan`, registering its ruleset the first time only."""
    definitions = {p.name: _definition(plan, p) for p in plan.patterns}
    key = json.dumps(definitions, sort_keys=True)
    with _LOCK:
        if key not in _REGISTERED:
            _REGISTERED[key] = DurableMatcher(plan, copy.deepcopy(definitions))
        return _REGISTERED[key]
