"""Compile rule conditions into match patterns: the part of a rule a matcher decides.

A pattern is a conjunction of fact tests (plus tests that must *not* match)
over one State's records, joined on a trigger that carries the as-of date, its
anchors and occurrence keys. Every rule becomes a few patterns, one per role:
`applies` (one per disjunct of `applies_when`), `evidence` (what `met_by`
names), `base`/`floor`/`extension` (the facts a date is computed from),
`alt<i>`/`altbase<i>` (deadline alternatives) and `count` (target rules).
The durable-rules adapter and the reference matcher both run these patterns.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import product

from pydantic import BaseModel

from ..facts.catalog import CATALOG
from .model import All, Any_, AsOfOffset, Condition, Leaf, Not, Rule


@dataclass(frozen=True)
class Test:
    """One fact test: the State has a record at `path` (with `value`, key, date bound)."""

    path: str
    value: str | bool | None  # typed as the evidence's (catalogue `typed`): a flag's is a boolean
    keyed: bool = False
    anchor: str | None = None


@dataclass(frozen=True)
class Pattern:
    name: str
    rule_id: str
    role: str
    stage: int
    tests: tuple[Test, ...]
    absent: tuple[Test, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Everything a matcher needs: the patterns, the stages, and the trigger's fields."""

    patterns: tuple[Pattern, ...]
    stages: int
    anchors: dict[str, "Anchorish"]
    occurrence_field: dict[str, str]  # rule id -> trigger field holding its occurrence key


Anchorish = str | AsOfOffset | date


class PlanError(ValueError):
    def __init__(self, rule_id: str, field: str, message: str):
        self.rule_id, self.field = rule_id, field
        super().__init__(message)


def dnf(cond: Condition) -> list[tuple[list[Leaf], list[Leaf]]]:
    """Disjunctive normal form: a list of (leaves that must match, leaves that must not)."""
    if isinstance(cond, Leaf):
        return [([cond], [])]
    if isinstance(cond, Not):
        return [([], [cond.not_])]
    if isinstance(cond, Any_):
        return [branch for c in cond.any for branch in dnf(c)]
    assert isinstance(cond, All)
    out = []
    for combo in product(*(dnf(c) for c in cond.all)):
        out.append((_implied_dropped([l for pos, _ in combo for l in pos]), [l for _, neg in combo for l in neg]))
    return out


def _implied_dropped(leaves: list[Leaf]) -> list[Leaf]:
    """Leaves without those another one implies: a repeated leaf, or "has fact F" beside
    "has fact F on or before D" (populations built on each other name a fact twice)."""
    out: list[Leaf] = []
    for i, leaf in enumerate(leaves):
        same = [o for o in leaves if (o.fact, o.is_, o.key) == (leaf.fact, leaf.is_, leaf.key)]
        if leaf in leaves[:i] or (leaf.on_or_before is None and any(o.on_or_before is not None for o in same)):
            continue
        out.append(leaf)
    return out


class _Compiler:
    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = {r.id: r for r in rules}
        self.derived = {r.id for r in rules if r.kind in ("derived-date", "standing")}
        self.anchors: dict[str, Anchorish] = {"asof": "as_of"}
        self.occurrence: dict[str, str] = {}
        self.stage_of = self._stages()

    def _stages(self) -> dict[str, int]:
        """Derived dates are computed in dependency order; everything else after them."""
        stage: dict[str, int] = {}

        def visit(rid: str, trail: tuple[str, ...]) -> int:
            if rid in trail:
                raise PlanError(rid, "derive", f"derived dates depend on each other in a cycle: {' -> '.join(trail + (rid,))}")
            if rid not in stage:
                deps = [p for p in _paths(self.rules[rid]) if p in self.derived]
                stage[rid] = 1 + max((visit(d, trail + (rid,)) for d in deps), default=-1)
            return stage[rid]

        for rid in sorted(self.derived):
            visit(rid, ())
        last = 1 + max(stage.values(), default=-1)
        return {rid: stage.get(rid, last) for rid in self.rules}

    def anchor(self, a: Anchorish | None) -> str | None:
        if a is None:
            return None
        for name, known in self.anchors.items():
            if known == a:
                return name
        name = f"a{len(self.anchors)}"
        self.anchors[name] = a
        return name

    def test(self, rule: Rule, field: str, leaf_path: str, value: str | None, keyed: bool, anchor: Anchorish | None) -> Test:
        kind = CATALOG.get(leaf_path)
        if kind is None and leaf_path not in self.derived:
            raise PlanError(rule.id, field, f"unknown fact path {leaf_path!r}")
        values = kind.values if kind else ("done",)
        if value is not None and value not in values:
            raise PlanError(rule.id, field, f"{leaf_path} is never {value!r}; it can be {', '.join(values)}")
        if keyed:
            if not (kind and kind.keyed):
                raise PlanError(rule.id, field, f"{leaf_path} has no occurrences; key: occurrence does not apply")
            if rule.deadline is None or rule.deadline.annually is None:
                raise PlanError(rule.id, field, "key: occurrence needs a deadline that recurs annually")
            every = rule.deadline.annually  # rules due on the same day of the year share one key
            self.occurrence.setdefault(rule.id, f"occ{every.month:02d}{every.day:02d}")
        typed = kind.typed(value) if kind is not None and value is not None else value
        return Test(leaf_path, typed, keyed, self.anchor(anchor))

    def leaf(self, rule: Rule, field: str, leaf: Leaf) -> Test:
        kind = CATALOG.get(leaf.fact)
        value = _flag_value(rule, field, leaf) if kind is not None and kind.kind == "flag" else leaf.is_
        if isinstance(value, bool):
            raise PlanError(rule.id, field, f"{leaf.fact} is not a flag; is: true/false is for flags")
        if value is None:
            if kind is not None and kind.kind == "value":
                raise PlanError(rule.id, field, f"{leaf.fact} holds one of {', '.join(kind.values)}: say which with is:")
            value = kind.values[0] if kind else "done"
        return self.test(rule, field, leaf.fact, value, leaf.key == "occurrence", leaf.on_or_before)

    def condition(self, rule: Rule, role: str, field: str, cond: Condition) -> list[Pattern]:
        out = []
        for i, (pos, neg) in enumerate(dnf(cond)):
            out.append(Pattern(f"{rule.id}|{role}|{i}", rule.id, role, self.stage_of[rule.id],
                               tuple(self.leaf(rule, field, l) for l in pos),
                               tuple(self.leaf(rule, field, l) for l in neg)))
        return out

    def fact(self, rule: Rule, role: str, field: str, path: str, keyed: bool = False) -> Pattern:
        return Pattern(f"{rule.id}|{role}", rule.id, role, self.stage_of[rule.id],
                       (self.test(rule, field, path, None, keyed, None),))

    def date_of(self, rule: Rule, role: str, field: str, path: str, kinds: tuple[str, ...]) -> Pattern:
        """A pattern for a fact a date is computed from: only its dated records (a
        `done` event, a contamination, a derived date) can give one."""
        kind = CATALOG.get(path)
        if kind is not None and kind.kind not in kinds:
            raise PlanError(rule.id, field, f"{path} is a {kind.kind}; a date here comes from a {' or '.join(kinds)}")
        value = kind.values[0] if kind is not None else "done"
        return Pattern(f"{rule.id}|{role}", rule.id, role, self.stage_of[rule.id],
                       (self.test(rule, field, path, value, False, None),))

    def compile(self, rule: Rule) -> list[Pattern]:
        out: list[Pattern] = []
        if rule.applies_when is not None:
            out += self.condition(rule, "applies", "applies_when", rule.applies_when)
        if rule.counts is not None:
            out += self.condition(rule, "count", "counts", rule.counts)
        if rule.met_by is not None:
            kind = CATALOG.get(rule.met_by.fact)
            if kind is not None and kind.kind not in ("event", "value"):
                raise PlanError(rule.id, "met_by.fact", f"{rule.met_by.fact} is a {kind.kind}; met_by needs an event or a value")
            for v in rule.met_by.is_ or ():
                if kind is not None and v not in kind.values:
                    raise PlanError(rule.id, "met_by.is", f"{rule.met_by.fact} is never {v!r}; it can be {', '.join(kind.values)}")
            if kind is not None and kind.kind == "value" and not rule.met_by.is_:
                raise PlanError(rule.id, "met_by.is", f"{rule.met_by.fact} holds one of {', '.join(kind.values)}: say which satisfy it with is:")
            if kind is not None and kind.keyed and rule.met_by.key is None:
                raise PlanError(rule.id, "met_by.key", f"{rule.met_by.fact} is recorded per year: say key: occurrence")
            out.append(self.fact(rule, "evidence", "met_by.fact", rule.met_by.fact, rule.met_by.key == "occurrence"))
        dated = ("dated", "event", "contamination")
        for field, expr in (("derive", rule.derive), ("deadline", rule.deadline)):
            if expr is None:
                continue
            if expr.from_ is not None:
                out.append(self.date_of(rule, "base", f"{field}.from", expr.from_, dated))
            if getattr(expr, "at_least", None):
                out.append(self.date_of(rule, "floor", f"{field}.at_least", expr.at_least, dated))
            if getattr(expr, "extended_by", None):
                out.append(self.date_of(rule, "extension", f"{field}.extended_by", expr.extended_by, ("extension",)))
            for i, alt in enumerate(getattr(expr, "earliest", None) or ()):
                out += self.condition(rule, f"alt{i}", f"{field}.earliest.{i}.when", alt.when)
                if alt.from_ is not None:
                    out.append(self.date_of(rule, f"altbase{i}", f"{field}.earliest.{i}.from", alt.from_, dated))
        return out


def _flag_value(rule: Rule, field: str, leaf: Leaf) -> str:
    """A flag is tested with `is: true` (the default) or `is: false`; the records hold it as yes/no."""
    if leaf.is_ is None or leaf.is_ is True:
        return "yes"
    if leaf.is_ is False:
        return "no"
    raise PlanError(rule.id, field, f"{leaf.fact} is a flag: write is: true or is: false, not is: {leaf.is_!r}")


def _paths(rule: Rule) -> set[str]:
    """Every fact path a rule mentions (for dependency order)."""
    found: set[str] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, Leaf):
            found.add(obj.fact)
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                v = getattr(obj, name)
                if name in ("from_", "at_least", "extended_by", "fact") and isinstance(v, str):
                    found.add(v)
                else:
                    walk(v)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v)

    walk(rule)
    return found


class PlanErrors(ValueError):
    def __init__(self, errors: list[PlanError]):
        self.errors = errors
        super().__init__(str(errors[0]))


def compile_plan(rules: tuple[Rule, ...]) -> Plan:
    """Compile all rules together (anchors and stages are shared); PlanErrors lists bad references."""
    try:
        comp = _Compiler(rules)
    except PlanError as e:
        raise PlanErrors([e]) from None
    patterns: list[Pattern] = []
    errors: list[PlanError] = []
    for r in rules:
        try:
            patterns += comp.compile(r)
        except PlanError as e:
            errors.append(e)
    if errors:
        raise PlanErrors(errors)
    stages = 1 + max(comp.stage_of.values(), default=0)
    return Plan(tuple(patterns), stages, dict(comp.anchors), dict(comp.occurrence))

