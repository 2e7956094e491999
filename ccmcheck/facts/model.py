"""The facts format: what a snapshot folder may say about the Convention and each State.

An absent fact is *unknown*, never a "no". An explicit "no" is an event with
`status: not_done` and the date it was checked on, which says nothing about
later dates. Every fact names its source as `DOC#locator`, DOC being a key of
the snapshot's `sources`.

A State's facts are `Record`s: frozen pydantic dataclasses with slots, validated
as models are, but without a model's per-instance dictionary and set of fields
(two thirds of the memory of 20,000 States' facts). The snapshot's own parts,
one per folder, are pydantic models.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Optional, TypeVar, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StrictBool, Tag,
                      TypeAdapter, WrapSerializer, model_validator)
from pydantic.dataclasses import dataclass
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .indicators import INDICATORS
from ..daterange import Day
from ..errors import FieldError

SourceRef = str


def _year_key(value: object) -> object:
    """A year key is a whole number written as one (`2017`), never `true` or `2017.5`."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"a year is written as a number like 2017, not {value!r}")
    return value


Year = Annotated[int, BeforeValidator(_year_key)]
T = TypeVar("T")


def _by_year(value: dict[int, T]) -> dict[int, T]:
    """Years in order, whatever order the file lists them in: read once per fact per State
    by every evaluation, which then need not sort them."""
    return value if all(a < b for a, b in zip(value, list(value)[1:])) else dict(sorted(value.items()))


def _one_line(value: str) -> str:
    """A title is shown in terminals, Markdown headings and HTML <title>: one line, no
    control characters (an ESC could drive the terminal, a newline forge a heading)."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise ValueError("a title is one line of text, without control characters")
    return value


Title = Annotated[str, AfterValidator(_one_line)]

_URL = re.compile(r"https?://[^\s/<>\"'`\\]+(/[^\s<>\"'`\\]*)?")


def _public_url(value: str) -> str:
    """A source's address is written into Markdown autolinks and HTML attributes: only a
    well-formed http(s) URL, so that nothing in it can close the link and open markup."""
    if not _URL.fullmatch(value):
        raise ValueError("a URL is http:// or https:// and an address without spaces, quotes, backslashes or < >")
    return value


Url = Annotated[str, AfterValidator(_public_url)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Record:
    """A part of a State's facts: what code written for pydantic models calls on them, the same
    names doing the same (`model_validate`, `model_dump`, `model_copy`, `model_fields`, ...)."""

    __slots__ = ()
    model_fields: ClassVar[dict[str, FieldInfo]]

    @classmethod
    def model_validate(cls: type[R], data: Any) -> R:
        return _adapter(cls).validate_python(data)

    @classmethod
    def model_json_schema(cls, mode: Literal["validation", "serialization"] = "validation") -> dict:
        return _adapter(cls).json_schema(mode=mode)

    def model_dump(self, **how: Any) -> Any:
        return _adapter(type(self)).dump_python(self, **how)

    def model_dump_json(self, **how: Any) -> str:
        return _adapter(type(self)).dump_json(self, **how).decode()

    def model_copy(self: R, update: dict[str, Any] | None = None) -> R:
        """A copy with `update`'s fields changed (and, unlike a model's copy, validated)."""
        return replace(self, **(update or {}))  # type: ignore[type-var]


R = TypeVar("R", bound=Record)
FIELDED = (BaseModel, Record)  # what has `model_fields`: for code that walks facts (or rules) field by field


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(cls: type) -> TypeAdapter[Any]:
    """One adapter per record class, made when first needed (a record's own validator and serialiser)."""
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def record(cls: type[R]) -> type[R]:
    """`cls` as a Record: frozen, slotted, keyword-only, unknown fields refused. Each field is
    marked keyword-only itself: pydantic puts fields it does not see so marked first, which
    would put a record's own fields before those it inherits in schemas and error lists."""
    for name in cls.__dict__.get("__annotations__", {}):
        given = cls.__dict__.get(name, PydanticUndefined)
        info = given if isinstance(given, FieldInfo) else Field(default=given)
        info.kw_only = True
        setattr(cls, name, info)
    out = dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))(cls)
    out.model_fields = out.__pydantic_fields__  # type: ignore[attr-defined]
    return out  # type: ignore[return-value]


Source = Annotated[SourceRef, Field(min_length=1, description="where the fact comes from: DOC#locator, DOC a key of "
                                    "the snapshot's sources (several joined with '; ')")]
Note = Annotated[str, Field(description="anything a reader checking the fact needs to know")]


@record
class Sourced(Record):
    source: Source
    note: Note = ""


class _SourcedModel(_Strict):
    """`Sourced` for the snapshot's figures and contradictions (models, not records)."""

    source: Source
    note: Note = ""


@record
class Dated(Sourced):
    """A treaty action: always on a known day."""

    on: Day


@record
class Deposit(Dated):
    kind: Literal["ratification", "accession", "acceptance", "approval"] = Field(description="the instrument deposited")


@record
class Withdrawal(Dated):
    """`on` is the day the withdrawal took effect (Art. 20), not the day of notice."""


@record
class Event(Sourced):
    """Something a State does once: a report, a completion, a designation.

    `done` needs a date, exact (`on`) or bounded (`by`, `between`), and may say
    `not_done_on`, a day a source saw it not yet done; `not_done` and
    `partial` need `checked_on`, the day the source saw it not (fully) done.
    One such event is one observation; a fact holds a list of them
    (`Observations`). `prevails` (with `prevails_source`) records a person's
    sourced decision that this observation wins over ones it conflicts with.
    """

    status: Literal["done", "not_done", "partial"] = Field(
        description="done (with on, by or between); not_done or partial (with checked_on, the day a source saw it)")
    on: Day | None = None
    by: Day | None = None
    between: tuple[Day, Day] | None = None
    checked_on: Day | None = None
    not_done_on: Day | None = None
    prevails: str | None = Field(default=None, min_length=1, description="why this observation wins over those it "
                                 "conflicts with (a person's decision; needs prevails_source)")
    prevails_source: SourceRef | None = Field(default=None, min_length=1, description="where that decision is "
                                              "recorded: DOC#locator")

    @model_validator(mode="after")
    def _dates_fit_status(self) -> "Event":
        if (self.prevails is None) != (self.prevails_source is None):
            raise FieldError("prevails" if self.prevails is None else "prevails_source",
                             "prevails and prevails_source go together: the decision and where it is recorded")
        given = [k for k in ("on", "by", "between") if getattr(self, k) is not None]
        if self.status == "done":
            if len(given) != 1:
                raise ValueError("a done event needs exactly one of on, by, between")
            if self.checked_on is not None:
                raise FieldError("checked_on", "checked_on is for not_done or partial events")
            if self.between is not None and self.between[0] > self.between[1]:
                raise FieldError("between", "the first date is after the second")
            first, last = self.window()
            if self.not_done_on is not None and self.not_done_on >= (first or last):  # type: ignore[operator]
                raise FieldError("not_done_on", "a day it was not yet done must come before it was done")
            return self
        if given:
            raise FieldError(given[0], f"a {self.status} event takes checked_on, not {given[0]}")
        if self.checked_on is None:
            raise FieldError("checked_on", f"a {self.status} event needs checked_on")
        if self.not_done_on is not None:
            raise FieldError("not_done_on", f"a {self.status} event says when it was seen with checked_on")
        return self

    def window(self) -> tuple[date | None, date | None]:
        """Earliest and latest day the event can have happened on (done only)."""
        if self.on is not None:
            return self.on, self.on
        if self.between is not None:
            return self.between
        return None, self.by


def _shape(value: object) -> str:
    return "Many" if isinstance(value, (list, tuple)) else "One"


def _as_tuple(value: "Event | list[Event]") -> tuple[Event, ...]:
    return (value,) if isinstance(value, Event) else tuple(value)


Observations = Annotated[  # type: ignore[valid-type]
    Union[Annotated[Event, Tag("One")], Annotated[list[Event], Tag("Many"), Field(min_length=1)]],
    Discriminator(_shape), AfterValidator(_as_tuple),
    WrapSerializer(lambda obs, handler: handler(list(obs)), when_used="always")]
"""An event fact: one observation (a mapping, as facts/2017 writes them) or a list of
them, each with its own source; always a tuple of `Event` once loaded."""


@record
class Flag(Sourced):
    value: StrictBool = Field(description="true or false")  # `true`/`false` only: "yes" or "off" in a facts file is a typo, not a boolean


@record
class Extension(Sourced):
    """An extension granted under Art. 3(3) or 4(5); `new_deadline` absent = not known."""

    decided_on: Day
    decided_by: str = Field(min_length=1, description="the meeting that granted it, e.g. 7MSP")
    new_deadline: Day | None = None


@record
class ExtensionRequest(Sourced):
    """A request for an extension under Art. 3(3) or 4(5), before any decision on it.

    Until a Meeting decides (an `Extension` decided on or after `submitted_on`),
    the original deadline stands; the request is reported beside the finding.
    """

    submitted_on: Day
    deadline_requested: Day | None = None


@record
class NewContamination(Sourced):
    hostilities_ended: Day


@record
class Legislation(Sourced):
    value: Literal["adopted", "existing_sufficient", "in_progress", "none"] = Field(
        description="national implementation measures under Art. 9")


@record
class Treaty(Record):
    signature: Dated | None = Field(default=None, description="the day the State signed the Convention")
    deposit: Deposit | None = Field(default=None, description="the day it deposited its instrument (Art. 16-17)")
    withdrawal: Withdrawal | None = Field(default=None, description="the day its withdrawal took effect (Art. 20)")


@record
class Article7(Record):
    initial_report: Observations | None = Field(default=None, description="the Art. 7(1) report, due 180 days after entry into force for the State")
    annual_reports: Annotated[dict[Year, Observations], AfterValidator(_by_year)] = Field(default_factory=dict, description="by calendar year covered")


@record
class Article3(Record):
    stockpile_at_eif: Flag | None = Field(default=None, description="held cluster munitions when the Convention entered into force for it")
    destruction_completed: Observations | None = Field(default=None, description="stockpile destruction completed (Art. 3(2))")
    extensions: list[Extension] = Field(default_factory=list, description="extensions granted under Art. 3(3)")
    requests: list[ExtensionRequest] = Field(default_factory=list, description="extension requests submitted under Art. 3(3)")


@record
class Article4(Record):
    contaminated_at_eif: Flag | None = Field(default=None, description="had cluster munition remnants on its territory at entry into force")
    new_contamination: list[NewContamination] = Field(default_factory=list, description="areas contaminated after entry into force (Art. 4(1)(b))")
    clearance_completed: Observations | None = Field(default=None, description="clearance and destruction completed (Art. 4(1))")
    extensions: list[Extension] = Field(default_factory=list, description="extensions granted under Art. 4(5)")
    requests: list[ExtensionRequest] = Field(default_factory=list, description="extension requests submitted under Art. 4(5)")


@record
class Article5(Record):
    victims: Flag | None = Field(default=None, description="cluster munition victims in areas under its jurisdiction or control")
    va_focal_point: Observations | None = Field(default=None, description="a focal point for victim assistance designated (Art. 5(2)(g))")
    national_plan: Observations | None = Field(default=None, description="a national victim assistance plan (Art. 5(2)(c))")


@record
class Article9(Record):
    legislation: Legislation | None = Field(default=None, description="national implementation measures (Art. 9)")


Reported = record(type("Reported", (Record,), {  # one field per indicator, from the list of them
    "__doc__": "What the State reported for one calendar year: one event per indicator (ccmcheck/indicators.py).",
    "__annotations__": {name: Optional[Observations] for name in INDICATORS},
    **{name: Field(default=None, description=text) for name, text in INDICATORS.items()}}))


@record
class StateFacts(Record):
    name: str = Field(min_length=1, description="UN short name")
    iso3: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code")
    aliases: list[str] = Field(default_factory=list, description="other names people use for the State")
    treaty: Treaty = Field(default_factory=Treaty)
    article7: Article7 = Field(default_factory=Article7)
    article3: Article3 = Field(default_factory=Article3)
    article4: Article4 = Field(default_factory=Article4)
    article5: Article5 = Field(default_factory=Article5)
    article9: Article9 = Field(default_factory=Article9)
    reported: Annotated[dict[Year, Reported], AfterValidator(_by_year)] = Field(default_factory=dict, description="by calendar year reported on")


class SourceDoc(_Strict):
    """A document facts cite, named so that a reader without this repository can find it.

    Example: `ccmcheck.sources("2017")["7msp"].title`
    """

    title: Title = Field(min_length=1)
    issued_by: str | None = Field(default=None, min_length=1, description="the body that issued or keeps it")
    issued_on: date | None = Field(default=None, description="the date it bears")
    symbol: str | None = Field(default=None, min_length=1, description="its official document symbol")
    url: Url | None = Field(default=None, description="a public address (http or https; no spaces, quotes or < >)",
                            json_schema_extra={"pattern": f"^{_URL.pattern}$"})  # editors check what loading checks
    citation: str | None = Field(default=None, min_length=1, description="how it is cited in print (e.g. UNTS volume)")
    note: str = ""
    where: str | None = Field(default=None, min_length=1, description="older snapshots: free text; shown to no one")


class Period(_Strict):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.start > self.end:
            raise FieldError("start", f"the period starts ({self.start}) after it ends ({self.end})")
        return self


class ConventionFacts(_Strict):
    opened_for_signature: Dated
    entry_into_force: Dated


class Measure(_Strict):
    """How the engine computes a published figure.

    Count the States with a finding of one of `rules` whose status is in
    `statuses`; with `among`, only States that also have a finding of that
    rule; with `changed_during_period`, only those whose status was not in
    `statuses` the day before the period began. `shortfall` instead gives a
    Convention-wide target rule's target minus the States it counts.
    """

    rules: list[str] = Field(default_factory=list)
    # each rule's statuses are those of its kind (docs/json-contract.md); reconcile checks they fit
    statuses: list[Literal["met", "met_late", "overdue", "pending", "unknown", "reported", "not_reported", "holds"]] = \
        Field(default_factory=list)
    among: str | None = None
    changed_during_period: bool = False
    shortfall: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Measure":
        if bool(self.rules) == (self.shortfall is not None):
            raise FieldError("rules", "a measure needs exactly one of rules, shortfall")
        if self.rules and not self.statuses:
            raise FieldError("statuses", "a measure over rules needs the statuses it counts")
        if self.shortfall is not None and (self.statuses or self.among or self.changed_during_period):
            raise FieldError("shortfall", "a shortfall takes no statuses, among or changed_during_period")
        return self


class Figure(_SourcedModel):
    """A number the progress report publishes, and how the engine computes it."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.()-]*$")
    where: str = Field(min_length=1, description="section, table or paragraph, as a reader finds it")
    text: str = Field(min_length=1, description="the report's words")
    value: int = Field(ge=0)
    as_of: Day | None = Field(default=None, description="the date the figure describes")
    measure: Measure | None = None
    not_computed: str | None = Field(default=None, min_length=1, description="why no rule computes it")

    @model_validator(mode="after")
    def _measured_or_explained(self) -> "Figure":
        if (self.measure is None) == (self.not_computed is None):
            raise FieldError("measure", "a figure needs exactly one of measure, not_computed")
        return self


class Contradiction(_SourcedModel):
    """Places where the report gives different figures for the same thing."""

    figures: list[str] = Field(min_length=2)


class Snapshot(_Strict):
    title: Title = Field(min_length=1)
    as_of: Day
    period: Period
    sources: dict[str, SourceDoc]
    convention: ConventionFacts
    published: list[Figure] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)

    @model_validator(mode="after")
    def _figures_named_once(self) -> "Snapshot":
        ids = [f.id for f in self.published]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise FieldError("published", f"figure id given twice: {twice[0]}")
        for i, c in enumerate(self.contradictions):
            for fid in c.figures:
                if fid not in ids:
                    raise FieldError(f"contradictions.{i}.figures", f"no published figure {fid!r}")
        return self
