"""The rule format: what a rule file may say. Data only; nothing here is executed.

Five kinds of rule, each with its own statuses (`KIND_STATUSES`):
- `obligation`: applies to some States, has a deadline, is met by a fact;
- `indicator`: whether the State's Article 7 report for the year reported a topic;
  the kind supplies the occurrence (the report due 30 April covering the
  previous year), so the rule names only its population and the topic's fact;
- `derived-date`: derives a date other rules build on (e.g. entry into force);
- `standing`: where a State stands on the as-of date (e.g. a Signatory that has
  not ratified), dated from a derived date; no deadline, nothing to meet;
- `convention-target`: counts the States that satisfy a condition against a target.

A condition may name a population (`{population: art5-victims}`, defined once in
`rules/populations.yaml`); the loader replaces it by the population's conditions.
A rule or population may carry `in_force: {from, until, source}`: outside that
window the rule gives no finding.
"""
from __future__ import annotations

import string
from datetime import date
from functools import cached_property
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..daterange import MAX_YEARS, Day
from ..errors import FieldError

KIND_STATUSES: dict[str, tuple[str, ...]] = {
    "obligation": ("met", "met_late", "overdue", "pending", "unknown"),
    "indicator": ("reported", "not_reported", "unknown"),
    "derived-date": ("met", "pending", "unknown"),
    "standing": ("holds", "unknown"),
    "convention-target": ("met", "overdue", "pending"),
}
# An indicator is read from the Article 7 report covering the previous calendar year,
# due 30 April (Art. 7(2)); the sources say what a report contained, not when it was filed.
REPORT_DUE = {"month": 4, "day": 30}
INDICATOR_TEXTS = {"reported": "Reported", "not_reported": "Not reported"}
TEXT_FIELDS = {"state", "iso3", "due", "met_on", "missing", "as_of", "count", "target"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    """A length of time; bounded (daterange.MAX_YEARS) so that a date moved by it stays a date."""

    years: int = Field(default=0, ge=-MAX_YEARS, le=MAX_YEARS)
    months: int = Field(default=0, ge=-12 * MAX_YEARS, le=12 * MAX_YEARS)
    days: int = Field(default=0, ge=-366 * MAX_YEARS, le=366 * MAX_YEARS)


class AsOfOffset(_Strict):
    """The as-of date moved by a period, e.g. `{as_of: {years: -1}}`."""

    as_of: Period


Anchor = Union[Literal["as_of"], AsOfOffset, Day]


class Leaf(_Strict):
    """A fact the State must have, optionally with a value and a date bound.

    `is` is a value (`is: adopted`), or for a flag fact a boolean (`is: true`)."""

    fact: str
    is_: bool | str | None = Field(default=None, alias="is")
    key: Literal["occurrence"] | None = None
    on_or_before: Anchor | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class All(_Strict):
    all: list["Condition"] = Field(min_length=1)


class Any_(_Strict):
    any: list["Condition"] = Field(min_length=1)


class Not(_Strict):
    not_: Leaf = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PopulationRef(_Strict):
    """A named population (rules/populations.yaml), replaced by its conditions at load time."""

    population: str = Field(min_length=1)


Condition = Union[Leaf, All, Any_, Not, PopulationRef]
All.model_rebuild()
Any_.model_rebuild()


class DateExpr(_Strict):
    """A date from a fact (or a derived date), moved by a period; or a fixed date."""

    from_: str | None = Field(default=None, alias="from")
    plus: Period = Period()
    first_of_month: bool = False
    at_least: str | None = None
    on: Day | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_base(self) -> "DateExpr":
        if (self.from_ is None) == (self.on is None):
            raise ValueError("a date needs exactly one of from, on")
        return self


class Alternative(DateExpr):
    when: Condition

    @model_validator(mode="after")
    def _plain(self) -> "Alternative":
        if self.at_least is not None or self.first_of_month:
            raise FieldError("at_least", "a deadline alternative is a date plus a period; at_least and first_of_month are for derive")
        return self


class Annually(_Strict):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class Deadline(_Strict):
    """When an obligation falls due; granted extensions (`extended_by`) move it."""

    from_: str | None = Field(default=None, alias="from")
    plus: Period = Period()
    on: Day | None = None
    annually: Annually | None = None
    earliest: list[Alternative] | None = None
    extended_by: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> "Deadline":
        forms = [f for f in ("from_", "on", "annually", "earliest") if getattr(self, f) is not None]
        if len(forms) != 1:
            raise ValueError("a deadline needs exactly one of from, on, annually, earliest")
        if self.from_ is None and self.plus != Period():
            raise FieldError("plus", "plus moves a date taken from a fact; it goes with from")
        return self

    @cached_property
    def expr(self) -> "DateExpr":
        """A `from`/`on` deadline as the date expression it computes (made once, not per State)."""
        return DateExpr.model_validate({"from": self.from_, "on": self.on, "plus": self.plus})


class Citation(_Strict):
    instrument: Literal["CCM", "DAP"]
    provision: str = Field(min_length=1, description="article/paragraph or action/paragraph")
    text: str = Field(min_length=1, description="the operative words quoted")


class InForce(_Strict):
    """The days a rule (or population) is in force, both included; open-ended if one is left out.

    `name` says what is in force (said when a rule gives no finding), `source`
    where the dates come from (e.g. the adoption of the Dubrovnik Action Plan
    and the Review Conference that ends it)."""

    name: str = Field(min_length=1)
    from_: Day | None = Field(default=None, alias="from")
    until: Day | None = None
    source: str = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> "InForce":
        if self.from_ is None and self.until is None:
            raise FieldError("in_force", "a validity window needs from, until or both")
        if self.from_ is not None and self.until is not None and self.until < self.from_:
            raise FieldError("in_force.until", f"{self.until} is before from {self.from_}")
        return self

    def covers(self, day: date) -> bool:
        return (self.from_ is None or self.from_ <= day) and (self.until is None or day <= self.until)

    def describe(self) -> str:
        return f"{self.name}, in force from {self.from_ or 'the start'} until {self.until or 'further notice'}"


class Exception_(_Strict):
    """Catala-style: a paragraph that overrides the rule's general derivation where it
    applies. `not_before` names a date the derived date cannot precede."""

    source: Citation
    not_before: str
    why: str = Field(min_length=1)


class RuleDoc(_Strict):
    checks: str = Field(min_length=1)
    example: str = Field(min_length=1)
    limits: str = Field(min_length=1)


class MetBy(_Strict):
    """The fact that satisfies an obligation.

    `is` lists the values that satisfy it (default: `done`); `timing: ignore`
    makes any such fact satisfy it on time (for indicators, where the sources
    say what a report contained but not when it was filed).
    """

    fact: str
    key: Literal["occurrence"] | None = None
    is_: list[str] | None = Field(default=None, alias="is", min_length=1)
    timing: Literal["strict", "ignore"] = "strict"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @cached_property
    def satisfying(self) -> frozenset[str]:
        """The values that satisfy it (`is`, else `done`): asked once per finding."""
        return frozenset(self.is_ or ("done",))


Kind = Literal["obligation", "indicator", "derived-date", "standing", "convention-target"]


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(\.[a-z0-9-]+)+$")
    title: str = Field(min_length=1)
    kind: Kind = "obligation"
    source: Citation
    in_force: InForce | None = None
    applies_when: Condition | None = None
    reports: str | None = None  # an indicator's topic: the `reported.*` fact for the year
    derive: DateExpr | None = None
    exception: Exception_ | None = None
    deadline: Deadline | None = None
    met_by: MetBy | None = None
    counts: Condition | None = None
    target: int | None = Field(default=None, ge=1)
    texts: dict[str, str] = Field(default_factory=dict)
    doc: RuleDoc

    @cached_property
    def citation(self) -> str:
        """Instrument and provision, as every finding of the rule cites it (worked out once per rule); a rule
        with an exception cites both paragraphs ("Art. 17(2)" excepted by "Art. 17(1)" -> "Art. 17(1)-(2)")."""
        provision = self.source.provision
        if self.exception is not None:
            both = sorted((provision, self.exception.source.provision))
            head = both[0].split("(")[0]
            if all(p.startswith(head + "(") for p in both):
                provision = f"{both[0]}-{both[1][len(head):]}"
            else:
                provision = f"{both[0]}, {both[1]}"
        return f"{self.source.instrument} {provision}"

    @model_validator(mode="before")
    @classmethod
    def _indicator_occurrence(cls, data: object) -> object:
        """An indicator is an obligation-shaped check of one report: the kind supplies the
        occurrence (due 30 April, keyed by year, timing ignored) and the texts."""
        if not isinstance(data, dict) or data.get("kind") != "indicator":
            return data
        for name in ("deadline", "met_by"):
            if name in data:
                raise FieldError(name, f"an indicator rule takes no {name}; the kind supplies the report due 30 April")
        topic = data.get("reports")
        if not isinstance(topic, str) or not topic:
            raise FieldError("reports", "an indicator rule needs reports: the reported.* fact it reads")
        return {**data, "deadline": {"annually": REPORT_DUE},
                "met_by": {"fact": topic, "key": "occurrence", "timing": "ignore"},
                "texts": {**INDICATOR_TEXTS, **(data.get("texts") or {})}}

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> "Rule":
        need = {
            "obligation": ("applies_when", "deadline", "met_by"),
            "indicator": ("applies_when", "deadline", "met_by", "reports"),
            "derived-date": ("applies_when", "derive"),
            "standing": ("applies_when", "derive"),
            "convention-target": ("counts", "target", "deadline"),
        }[self.kind]
        allowed = set(need) | ({"exception"} if self.kind == "derived-date" else set())
        article = "an" if self.kind[0] in "aeiou" else "a"
        for status in self.texts:
            if status not in KIND_STATUSES[self.kind]:
                raise FieldError(f"texts.{status}", f"{article} {self.kind} rule has no status {status!r}; "
                                                    f"its statuses are {', '.join(KIND_STATUSES[self.kind])}")
        if self.exception is not None and self.derive is not None and self.derive.at_least is not None:
            raise FieldError("exception", "give the floor once: as derive.at_least or as an exception")
        for name in ("applies_when", "derive", "deadline", "met_by", "counts", "target", "reports", "exception"):
            present = getattr(self, name) is not None
            if name in need and not present:
                raise FieldError(name, f"{article} {self.kind} rule needs {name}")
            if present and name not in allowed:
                raise FieldError(name, f"{article} {self.kind} rule takes no {name}")
        if self.kind == "convention-target" and self.deadline is not None and self.deadline.on is None:
            raise FieldError("deadline", "a convention-target deadline is a fixed date (on)")
        for status, text in self.texts.items():
            try:
                parsed = list(string.Formatter().parse(text))
            except ValueError as e:  # a lone brace: str.format would fail on it at render time
                raise FieldError(f"texts.{status}", f"not a valid text template: {e}") from None
            for _, name, spec, conversion in parsed:
                allowed = TEXT_FIELDS if self.kind == "convention-target" else TEXT_FIELDS - {"count", "target"}
                if name is not None and name not in allowed:
                    raise FieldError(f"texts.{status}", f"unknown placeholder {{{name}}} for {article} {self.kind} rule; use {sorted(allowed)}")
                if spec or conversion:  # values may be empty strings: a date format would fail at render time
                    raise FieldError(f"texts.{status}", f"write {{{name}}} without a format or conversion")
        return self
