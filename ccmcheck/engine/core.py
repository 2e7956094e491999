"""Evaluate a rule book against a fact base as of a date: the library's core.

Each State is one unit of work: its records go into a matcher session, one
trigger per stage fires the patterns, derived dates are added between stages,
and the session is emptied before the next State. States never see each
other's facts; Convention-wide targets are summed over the per-State matches.
"""
from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from . import decide
from ..errors import CcmcheckError, InputError
from ..facts.loader import FactBase
from ..facts.model import StateFacts
from .matching import Matcher, Trigger, trigger
from .records import Evidence, Read, Reading, derived_record
from .reference import ReferenceMatcher
from .requests import with_requests
from .results import Finding
from ..rules.loader import RuleBook
from ..rules.model import Rule
from ..rules.order import rule_sort_key

from .choices import ENGINES


def matcher_for(book: RuleBook, engine: str) -> Matcher:
    """durable-rules by default; the reference matcher on request. No silent fallback."""
    if engine == "reference":
        return ReferenceMatcher(book.plan)
    if engine != "durable":
        raise InputError.single("arguments", engine, "engine", f"unknown engine; use one of {', '.join(ENGINES)}")
    try:
        from .durable_adapter import durable_matcher
    except ImportError as e:
        raise CcmcheckError(f"durable-rules cannot be imported here ({e}); it needs Python 3.10-3.13, built on 3.13 "
                            "with CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject (see the README). "
                            "Use --engine reference (the same rules, matched in pure Python).") from None
    return durable_matcher(book.plan)


@dataclass(frozen=True)
class Shared:
    """What every State's session in one evaluation shares, worked out once: each stage's
    trigger without a State (its anchors and occurrence keys take date arithmetic per
    rule), and which evidence some pattern can match: the paths tested, and at a path
    only tested for one occurrence, that occurrence's key."""

    triggers: tuple[Trigger, ...]
    tested: dict[str, frozenset[str] | None]  # path -> the keys a test there can match (None: any)
    dated: tuple[Rule, ...]  # the rules that derive a date per State (DATED_KINDS), in book order
    reading: Reading  # the fact paths read for every State: those `tested`

    @classmethod
    def of(cls, book: RuleBook, as_of: date) -> "Shared":
        rules = {r.id: r for r in book.rules}
        triggers = tuple(trigger(book.plan, rules, "", as_of, stage) for stage in range(book.plan.stages))
        keys: dict[str, set[str]] = defaultdict(set)
        anywhere: set[str] = set()  # paths some test matches whatever the key
        for p in book.plan.patterns:
            for t in p.tests + p.absent:
                if t.keyed:
                    keys[t.path].add(triggers[0].occurrences[book.plan.occurrence_field[p.rule_id]])
                else:
                    anywhere.add(t.path)
        tested = {path: frozenset(keys[path]) for path in keys} | dict.fromkeys(anywhere)
        return cls(triggers, tested, tuple(r for r in book.rules if r.kind in decide.DATED_KINDS), Reading.of(tested))

    def records(self, st: StateFacts, facts: FactBase, as_of: date, read: Read | None = None) -> list[Evidence]:
        """The State's evidence that a pattern can match: evidence at any other path (or of
        another year) can neither match nor block a match, and asserting it is wasted work."""
        return self.reading.records(st, facts.snapshot.convention, as_of, read)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while findings are built, then as it was. An evaluation
    makes no cycles: what it allocates is kept (findings) or freed as soon as unused, yet each full
    collection it set off walked every fact in memory: 18% of the CPU of 2,000 States, 51 rules."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def state_matches(book: RuleBook, matcher: Matcher, facts: FactBase, st: StateFacts, as_of: date,
                  shared: Shared, explain: bool = False) -> tuple[dict[str, decide.Matches], dict[str, decide.Dated]]:
    """Run one State through the matcher: matches by rule and role, and its derived dates (with
    the steps behind each, for `explain`)."""
    by_rule: dict[str, decide.Matches] = {}
    derived: dict[str, decide.Dated] = {}
    with matcher.session() as session:
        session.add(shared.records(st, facts, as_of))
        for stage in range(book.plan.stages):
            for pattern, found in session.fire(shared.triggers[stage].of(st.iso3)):
                by_rule.setdefault(pattern.rule_id, {}).setdefault(pattern.role, []).append(found)
            new: list[Evidence] = []
            for rule in shared.dated:
                if rule.id not in derived and rule.id in by_rule and by_rule[rule.id].get("applies"):
                    when = decide.derived_date(rule, by_rule[rule.id], derived, explain)
                    derived[rule.id] = when
                    if when.on is not None:
                        new.append(derived_record(st.iso3, rule.id, when.on, rule.citation))
            session.add(new)
    return by_rule, derived


def state_findings(book: RuleBook, matched: tuple[dict[str, decide.Matches], dict[str, decide.Dated]],
                   st: StateFacts, as_of: date, decider: Any = decide, explain: bool = False) -> tuple[list[Finding], list[str]]:
    """One State's findings from its matches (`state_matches`), and the target rules that count it.
    `decider` has `decide`'s `obligation` and `derived` (history passes a memoising one)."""
    by_rule, derived = matched
    out: list[Finding] = []
    counted: list[str] = []
    for rule in book.rules_in_force(as_of):  # outside its window: no finding
        if rule.kind in decide.DATED_KINDS:
            if rule.id in derived:
                out.append(decider.derived(rule, st.name, st.iso3, derived[rule.id], as_of, explain))
            continue
        m = by_rule.get(rule.id)
        if m is None:  # nothing matched: most rules for most States
            continue
        if rule.kind == "convention-target":
            if m.get("count"):
                counted.append(rule.id)
        elif m.get("applies"):
            out.append(with_requests(rule, decider.obligation(rule, st.name, st.iso3, m, as_of, derived, explain),
                                     st, as_of))
    return out, counted


def findings(book: RuleBook, matcher: Matcher, facts: FactBase, as_of: date,
             explain: bool = False) -> tuple[list[Finding], dict[str, list[str]]]:
    """Every finding for every State and Convention-wide target, in a stable order,
    and for each target rule the ISO3 codes of the States it counts; each finding's
    full reasoning (`Finding.explain`) only if `explain`. Its caller (`evaluate`) pauses the
    collector around it (`collector_paused`)."""
    out: list[Finding] = []
    counted: dict[str, list[str]] = defaultdict(list)
    shared = Shared.of(book, as_of)
    in_force = book.rules_in_force(as_of)  # outside its window: no finding
    for st in facts.states:
        try:
            found, counts = state_findings(book, state_matches(book, matcher, facts, st, as_of, shared, explain), st,
                                           as_of, explain=explain)
        except decide.EarlierExtension as e:  # a fact the rules show to be impossible
            raise InputError.single(facts.files.get(st.iso3, facts.path), st.name,
                                    e.fact.replace(".extension", ".extensions"), str(e)) from None
        out += found
        for rule_id in counts:
            counted[rule_id].append(st.iso3)
    targets = [r for r in in_force if r.kind == "convention-target"]
    out += [decide.target(r, counted[r.id], as_of, explain) for r in targets]
    return in_order(out), {r.id: counted[r.id] for r in targets}


def in_order(found: list[Finding]) -> list[Finding]:
    """`found` in `finding_sort_key` order, as a stable sort gives it: grouped by rule first, then each
    group by State (the States come in name order already, so each group sorts in one pass): 0.29 s
    for the whole at 20,000 States, with a key tuple per finding, against a few hundredths."""
    groups: dict[tuple[str | int, ...], list[Finding]] = {}
    for f in found:
        groups.setdefault(rule_sort_key(f.rule), []).append(f)
    out: list[Finding] = []
    for key in sorted(groups):
        out += sorted(groups[key], key=lambda f: f.state)
    return out
