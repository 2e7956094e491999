"""Evaluate a rule book against a fact base as of a date: the library's core.

Each State is one unit of work: its records go into a matcher session, one
trigger per stage fires the patterns, derived dates are added between stages,
and the session is emptied before the next State. States never see each
other's facts; Convention-wide targets are summed over the per-State matches.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from . import decide
from ..errors import CcmcheckError, InputError
from ..facts.loader import FactBase
from ..facts.model import StateFacts
from .matching import Matcher, trigger
from .records import Record, derived_record, state_records
from .reference import ReferenceMatcher
from .results import Finding
from ..rules.loader import RuleBook
from ..rules.order import finding_sort_key

ENGINES = ("durable", "reference")


def matcher_for(book: RuleBook, engine: str) -> Matcher:
    """durable-rules by default; the reference matcher on request. No silent fallback."""
    if engine == "reference":
        return ReferenceMatcher(book.plan)
    if engine != "durable":
        raise InputError.single("arguments", engine, "engine", f"unknown engine; use one of {', '.join(ENGINES)}")
    try:
        from .durable_adapter import durable_matcher
    except ImportError as e:
        raise CcmcheckError(f"durable-rules cannot be imported here ({e}); it needs Python 3.10-3.12. "
                            "Use --engine reference (the same rules, matched in pure Python).") from None
    return durable_matcher(book.plan)


@dataclass(frozen=True)
class Shared:
    """What every State's session in one evaluation shares, worked out once: each stage's
    trigger without a State (its anchors and occurrence keys take date arithmetic per
    rule), and the fact paths some pattern tests."""

    triggers: tuple[Record, ...]
    tested: frozenset[str]

    @classmethod
    def of(cls, book: RuleBook, as_of: date) -> "Shared":
        rules = {r.id: r for r in book.rules}
        triggers = tuple(trigger(book.plan, rules, "", as_of, stage) for stage in range(book.plan.stages))
        tested = frozenset(t.path for p in book.plan.patterns for t in p.tests + p.absent)
        return cls(triggers, tested)

    def trigger(self, stage: int, iso3: str) -> Record:
        """`matching.trigger(..., iso3, ..., stage)`: the same record, its State filled in."""
        shared = self.triggers[stage]
        return {**shared, "id": f"{iso3}{shared['id']}", "s": iso3}

    def records(self, st: StateFacts, facts: FactBase, as_of: date) -> list[Record]:
        """The State's records that a pattern can test: one at any other path can neither
        match nor block a match, and asserting it is wasted work."""
        return [r for r in state_records(st, facts.snapshot.convention, as_of) if r["p"] in self.tested]


def state_matches(book: RuleBook, matcher: Matcher, facts: FactBase, st: StateFacts, as_of: date,
                  shared: Shared) -> tuple[dict[str, decide.Matches], dict[str, decide.Dated]]:
    """Run one State through the matcher: matches by rule and role, and its derived dates."""
    by_rule: dict[str, decide.Matches] = defaultdict(lambda: defaultdict(list))
    derived: dict[str, decide.Dated] = {}
    with matcher.session() as session:
        session.add(shared.records(st, facts, as_of))
        for stage in range(book.plan.stages):
            for name, recs in session.fire(shared.trigger(stage, st.iso3)):
                rule_id, role = name.split("|")[:2]
                by_rule[rule_id][role].append(recs)
            new: list[Record] = []
            for rule in book.rules:
                if rule.kind in decide.DATED_KINDS and rule.id not in derived and by_rule[rule.id].get("applies"):
                    when = decide.derived_date(rule, by_rule[rule.id], derived)
                    derived[rule.id] = when
                    if when.on is not None:
                        new.append(derived_record(st.iso3, rule.id, when.on, decide.citation(rule)))
            session.add(new)
    return by_rule, derived


def findings(book: RuleBook, matcher: Matcher, facts: FactBase, as_of: date) -> tuple[list[Finding], dict[str, list[str]]]:
    """Every finding for every State and Convention-wide target, in a stable order,
    and for each target rule the ISO3 codes of the States it counts."""
    out: list[Finding] = []
    counted: dict[str, list[str]] = defaultdict(list)
    shared = Shared.of(book, as_of)
    in_force = [r for r in book.rules if book.out_of_force(r.id, as_of) is None]  # outside its window: no finding
    for st in facts.states:
        by_rule, derived = state_matches(book, matcher, facts, st, as_of, shared)
        for rule in in_force:
            m = by_rule.get(rule.id, {})
            if rule.kind == "convention-target":
                if m.get("count"):
                    counted[rule.id].append(st.iso3)
            elif rule.kind in decide.DATED_KINDS:
                if rule.id in derived:
                    out.append(decide.derived(rule, st.name, st.iso3, derived[rule.id], as_of))
            elif m.get("applies"):
                out.append(decide.obligation(rule, st.name, st.iso3, m, as_of, derived))
    targets = [r for r in in_force if r.kind == "convention-target"]
    out += [decide.target(r, counted[r.id], as_of) for r in targets]
    return sorted(out, key=lambda f: finding_sort_key(f.rule, f.state)), {r.id: counted[r.id] for r in targets}
