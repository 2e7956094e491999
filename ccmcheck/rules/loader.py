"""Load and check a rules folder: every `*.yaml` below it except `*.cases.yaml`
(the rule tests that sit beside each rule) and `populations.yaml` (the named
populations rules apply to, expanded here before the plan is compiled)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from ..errors import InputError, Problem
from .plan import Plan, PlanErrors, compile_plan
from ..facts.catalog import CATALOG
from .model import All, Condition, InForce, Rule
from .order import rule_sort_key
from .populations import POPULATIONS_FILE, Populations, load_populations
from ..errors import FieldError
from ..yaml_io import list_files, read_yaml, validation_problems

CASES_SUFFIX = ".cases.yaml"


def default_rules_dir() -> Path:
    """The rules shipped in the wheel, or the repository's `rules/` in a checkout."""
    bundled = Path(__file__).resolve().parents[1] / "_bundled_rules"
    return bundled if bundled.is_dir() else Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class RuleBook:
    """A loaded rules folder: the rules, their files, populations and windows.

    Example: `[r.id for r in ccmcheck.load_rules().rules]`
    """

    path: Path
    rules: tuple[Rule, ...]
    files: dict[str, Path] = field(repr=False)
    plan: Plan = field(repr=False)
    populations: Populations = field(repr=False, default_factory=lambda: Populations(None, {}))
    uses: dict[str, list[str]] = field(repr=False, default_factory=dict)  # rule id -> populations it names directly
    windows: dict[str, tuple[InForce, ...]] = field(repr=False, default_factory=dict)  # rule id -> validity windows
    # Worked out once per book, not per State: out_of_force by (rule, day), and in_force_on's books.
    _out: dict[tuple[str, date], InForce | None] = field(repr=False, compare=False, default_factory=dict)
    _cuts: dict[frozenset[str], "RuleBook"] = field(repr=False, compare=False, default_factory=dict)
    _live: dict[date, tuple[Rule, ...]] = field(repr=False, compare=False, default_factory=dict)

    @property
    def where(self) -> str:
        """The folder as a person names it: "the bundled rules", or its path (never an install path)."""
        return "the bundled rules" if self.path == default_rules_dir() else str(self.path)

    def check_ids(self, rule_ids: Iterable[str]) -> None:
        """InputError naming the first of `rule_ids` that is no rule of this book."""
        unknown = [r for r in rule_ids if r not in self.files]
        if unknown:
            raise InputError.single(self.where, unknown[0], "rule", "no rule with this id (see `ccmcheck rules`)")

    def out_of_force(self, rule_id: str, day: date) -> InForce | None:
        """The window (its own or a population's) that leaves the rule out of force on `day`, if any."""
        key = (rule_id, day)
        if key not in self._out:
            self._out[key] = next((w for w in self.windows.get(rule_id, ()) if not w.covers(day)), None)
        return self._out[key]

    def rules_in_force(self, day: date) -> tuple[Rule, ...]:
        """The rules in force on `day`, in book order: once per day, not per State (history asks for thousands)."""
        if day not in self._live:
            self._live[day] = tuple(r for r in self.rules if self.out_of_force(r.id, day) is None)
        return self._live[day]

    def in_force_on(self, day: date, keep_kinds: tuple[str, ...] = ()) -> "RuleBook":
        """This book cut to the rules in force on `day` (and those of `keep_kinds`, whose dates
        other rules build on), its plan to their patterns: a matcher given it never matches a
        rule that can give no finding that day. This book itself when nothing is cut; one cut
        book per set of rules left out, so a matcher is registered once per set."""
        gone = frozenset(r.id for r in self.rules if r.kind not in keep_kinds and self.out_of_force(r.id, day) is not None)
        if not gone:
            return self
        if gone not in self._cuts:
            self._cuts[gone] = replace(self, rules=tuple(r for r in self.rules if r.id not in gone),
                                       plan=replace(self.plan, patterns=tuple(p for p in self.plan.patterns if p.rule_id not in gone),
                                                  occurrence_field={r: f for r, f in self.plan.occurrence_field.items()
                                                                    if r not in gone}),
                                       _out={}, _cuts={}, _live={})
        return self._cuts[gone]

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def rule_files(root: Path) -> list[Path]:
    return [p for p in list_files(root, "*.yaml", recursive=True)
            if not p.name.endswith(CASES_SUFFIX) and p != root / POPULATIONS_FILE]


def _with_populations(rule: Rule, pops: Populations) -> Rule:
    """The rule as the plan compiles it: populations expanded, an exception's floor applied."""
    update: dict[str, object] = {}
    for name in ("applies_when", "counts"):
        cond = getattr(rule, name)
        if cond is not None:
            update[name] = pops.expand(cond, name)
    if rule.deadline is not None and rule.deadline.earliest:
        alts = [a.model_copy(update={"when": pops.expand(a.when, f"deadline.earliest.{i}.when")})
                for i, a in enumerate(rule.deadline.earliest)]
        update["deadline"] = rule.deadline.model_copy(update={"earliest": alts})
    if rule.exception is not None and rule.derive is not None:
        update["derive"] = rule.derive.model_copy(update={"at_least": rule.exception.not_before})
    return rule.model_copy(update=update)


def _conditions(rule: Rule) -> list[Condition]:
    alts = [a.when for a in (rule.deadline.earliest or [])] if rule.deadline is not None else []
    return [c for c in (rule.applies_when, rule.counts, *alts) if c is not None]


def load_rules(path: str | Path | None = None) -> RuleBook:
    """Read, validate and compile a rules folder; InputError lists every problem.

    Example: `ccmcheck.load_rules("rules").rules[0].id`
    """
    root = Path(path) if path is not None else default_rules_dir()
    if not root.is_dir():
        raise InputError.single(root, "", "", "no such rules folder")
    files = rule_files(root)
    if not files:
        raise InputError.single(root, "", "", "no rule files (*.yaml)")
    problems: list[Problem] = []
    try:
        pops: Populations | None = load_populations(root)
    except InputError as e:
        problems += e.problems
        pops = None  # the rules are still checked, but not against broken populations
    rules: dict[str, Rule] = {}
    where: dict[str, Path] = {}
    uses: dict[str, list[str]] = {}
    windows: dict[str, tuple[InForce, ...]] = {}
    for f in files:
        try:
            data = read_yaml(f)
        except InputError as e:
            problems.extend(e.problems)
            continue
        if not isinstance(data, dict):  # as for facts: pydantic would speak of "instance of Rule"
            problems.append(Problem(str(f), f.stem, "", "expected a mapping of fields at the top level"))
            continue
        subject = str(data.get("id", f.stem))
        try:
            rule = Rule.model_validate(data)
        except ValidationError as e:
            problems.extend(validation_problems(f, subject, e))
            continue
        if rule.id in rules:
            problems.append(Problem(str(f), rule.id, "id", f"the id is also used by {where[rule.id]}"))
            continue
        if rule.id in CATALOG:
            problems.append(Problem(str(f), rule.id, "id", "the id is a fact path"))
            continue
        if pops is None:
            continue
        try:
            expanded = _with_populations(rule, pops)
        except FieldError as e:
            problems.append(Problem(str(f), rule.id, e.field, str(e.args[0])))
            continue
        conds = All(all=_conditions(rule)) if _conditions(rule) else None
        uses[rule.id] = pops.named_in(conds, deep=False)
        windows[rule.id] = tuple(w for w in [rule.in_force] if w is not None) + tuple(pops.windows(conds))
        rules[rule.id] = expanded
        where[rule.id] = f
    ordered = tuple(rules[k] for k in sorted(rules, key=rule_sort_key))
    plan = None
    if not problems:
        try:
            plan = compile_plan(ordered)
        except PlanErrors as e:
            problems += [Problem(str(where[x.rule_id]), x.rule_id, x.field, str(x)) for x in e.errors]
    if problems or plan is None or pops is None:
        raise InputError(problems)
    return RuleBook(root, ordered, where, plan, pops, uses, windows)
