"""Named populations: the sets of States a rule applies to, each defined once.

`rules/populations.yaml` names each population with its citation and its
conditions (which may name other populations), like PolicyEngine's
`defined_for` or a Rego helper rule. A rule says `applies_when: {population:
art5-victims}` (or names it inside `all:`/`any:`); before the plan is compiled
the loader replaces each name by the population's conditions, so matchers
never see populations. A population may carry a validity window (`in_force`),
which every rule naming it inherits.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, Problem
from ..errors import FieldError
from ..yaml_io import read_yaml, validation_problems
from .model import All, Any_, Condition, InForce, Leaf, Not, PopulationRef

POPULATIONS_FILE = "populations.yaml"


class Population(BaseModel):
    """A set of States, with where the law (or the counting practice) defines it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    in_force: InForce | None = None
    when: Condition | None = None  # none: every State (a population that is only a window)


@dataclass(frozen=True)
class Populations:
    path: Path | None
    named: dict[str, Population]

    def expand(self, cond: Condition, field: str) -> Condition:
        """`cond` with every population replaced by its conditions (recursively)."""
        out = self._expand(cond, field, ())
        if out is None:
            raise FieldError(field, "names only populations without conditions (windows); say which States")
        return out

    def _expand(self, cond: Condition | None, field: str, trail: tuple[str, ...]) -> Condition | None:
        """None stands for "every State" (a population with no conditions)."""
        if cond is None or isinstance(cond, (Leaf, Not)):
            return cond
        if isinstance(cond, PopulationRef):
            name = cond.population
            if name not in self.named:
                known = ", ".join(sorted(self.named)) or f"none: no {POPULATIONS_FILE}"
                raise FieldError(field, f"unknown population {name!r} (known: {known})")
            if name in trail:
                raise FieldError(field, f"populations name each other in a cycle: {' -> '.join(trail + (name,))}")
            return self._expand(self.named[name].when, field, trail + (name,))
        if isinstance(cond, All):
            parts = [c for c in (self._expand(c, field, trail) for c in cond.all) if c is not None]
            return (parts[0] if len(parts) == 1 else All(all=parts)) if parts else None
        assert isinstance(cond, Any_)
        branches = [self._expand(c, field, trail) for c in cond.any]
        kept = [b for b in branches if b is not None]
        return Any_(any=kept) if len(kept) == len(branches) else None

    def named_in(self, cond: Condition | None, deep: bool = True) -> list[str]:
        """Every population `cond` names (with `deep`, also through other populations), in order."""
        out: list[str] = []

        def walk(c: Condition | None) -> None:
            if isinstance(c, PopulationRef):
                if c.population not in out and c.population in self.named:
                    out.append(c.population)
                    if deep:
                        walk(self.named[c.population].when)
            elif isinstance(c, All):
                for x in c.all:
                    walk(x)
            elif isinstance(c, Any_):
                for x in c.any:
                    walk(x)

        walk(cond)
        return out

    def windows(self, cond: Condition | None) -> list[InForce]:
        """The validity windows of the populations `cond` names."""
        return [w for name in self.named_in(cond) if (w := self.named[name].in_force) is not None]


def load_populations(root: Path) -> Populations:
    """`root/populations.yaml`, checked; no file means no populations."""
    path = root / POPULATIONS_FILE
    if not path.is_file():
        return Populations(None, {})
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, "", "", "expected a mapping of population names to populations")
    problems: list[Problem] = []
    named: dict[str, Population] = {}
    for name, body in data.items():
        try:
            named[str(name)] = Population.model_validate(body)
        except ValidationError as e:
            problems += validation_problems(path, str(name), e)
    pops = Populations(path, named)
    for name, pop in named.items():
        try:
            pops._expand(pop.when, "when", (name,))
        except FieldError as e:
            problems.append(Problem(str(path), name, e.field, str(e.args[0]) if e.args else str(e)))
    if problems:
        raise InputError(problems)
    return pops
