"""Load and check a rules folder: every `*.yaml` below it except `*.cases.yaml`
(the rule tests that sit beside each rule)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from .plan import Plan, PlanErrors, compile_plan
from ..facts.catalog import CATALOG
from .model import Rule
from ..yaml_io import list_files, read_yaml, validation_problems

CASES_SUFFIX = ".cases.yaml"


def default_rules_dir() -> Path:
    """The rules shipped in the wheel, or the repository's `rules/` in a checkout."""
    bundled = Path(__file__).resolve().parents[1] / "_bundled_rules"
    return bundled if bundled.is_dir() else Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class RuleBook:
    path: Path
    rules: tuple[Rule, ...]
    files: dict[str, Path] = field(repr=False)
    plan: Plan = field(repr=False)

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def rule_files(root: Path) -> list[Path]:
    return [p for p in list_files(root, "*.yaml", recursive=True) if not p.name.endswith(CASES_SUFFIX)]


def load_rules(path: str | Path | None = None) -> RuleBook:
    """Read, validate and compile a rules folder; InputError lists every problem."""
    root = Path(path) if path is not None else default_rules_dir()
    if not root.is_dir():
        raise InputError.single(root, "", "", "no such rules folder")
    files = rule_files(root)
    if not files:
        raise InputError.single(root, "", "", "no rule files (*.yaml)")
    problems: list[Problem] = []
    rules: dict[str, Rule] = {}
    where: dict[str, Path] = {}
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
        rules[rule.id] = rule
        where[rule.id] = f
    ordered = tuple(rules[k] for k in sorted(rules))
    plan = None
    if not problems:
        try:
            plan = compile_plan(ordered)
        except PlanErrors as e:
            problems += [Problem(str(where[x.rule_id]), x.rule_id, x.field, str(x)) for x in e.errors]
    if problems or plan is None:
        raise InputError(problems)
    return RuleBook(root, ordered, where, plan)
