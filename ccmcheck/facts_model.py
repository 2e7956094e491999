"""The facts format: what a snapshot folder may say about the Convention and each State.

An absent fact is *unknown*, never a "no". An explicit "no" is an event with
`status: not_done` and the date it was checked on, which says nothing about
later dates. Every fact names its source as `DOC#locator`, DOC being a key of
the snapshot's `sources`.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .yaml_io import FieldError

SourceRef = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    source: SourceRef = Field(min_length=1)
    note: str = ""


class Dated(Sourced):
    """A treaty action: always on a known day."""

    on: date


class Deposit(Dated):
    kind: Literal["ratification", "accession", "acceptance", "approval"]


class Withdrawal(Dated):
    """`on` is the day the withdrawal took effect (Art. 20), not the day of notice."""


class Event(Sourced):
    """Something a State does once: a report, a completion, a designation.

    `done` needs a date, exact (`on`) or bounded (`by`, `between`); `not_done`
    and `partial` need `checked_on`, the day the source saw it not (fully) done.
    """

    status: Literal["done", "not_done", "partial"]
    on: date | None = None
    by: date | None = None
    between: tuple[date, date] | None = None
    checked_on: date | None = None

    @model_validator(mode="after")
    def _dates_fit_status(self) -> "Event":
        given = [k for k in ("on", "by", "between") if getattr(self, k) is not None]
        if self.status == "done":
            if len(given) != 1:
                raise ValueError("a done event needs exactly one of on, by, between")
            if self.checked_on is not None:
                raise FieldError("checked_on", "checked_on is for not_done or partial events")
            if self.between is not None and self.between[0] > self.between[1]:
                raise FieldError("between", "the first date is after the second")
        else:
            if given:
                raise FieldError(given[0], f"a {self.status} event takes checked_on, not {given[0]}")
            if self.checked_on is None:
                raise FieldError("checked_on", f"a {self.status} event needs checked_on")
        return self

    def window(self) -> tuple[date | None, date | None]:
        """Earliest and latest day the event can have happened on (done only)."""
        if self.on is not None:
            return self.on, self.on
        if self.between is not None:
            return self.between
        return None, self.by


class Flag(Sourced):
    value: bool


class Extension(Sourced):
    """An extension granted under Art. 3(3) or 4(5); `new_deadline` absent = not known."""

    decided_on: date
    decided_by: str = Field(min_length=1)
    new_deadline: date | None = None


class NewContamination(Sourced):
    hostilities_ended: date


class Legislation(Sourced):
    value: Literal["adopted", "existing_sufficient", "in_progress", "none"]


class Treaty(_Strict):
    signature: Dated | None = None
    deposit: Deposit | None = None
    withdrawal: Withdrawal | None = None


class Article7(_Strict):
    initial_report: Event | None = None
    annual_reports: dict[int, Event] = Field(default_factory=dict, description="by calendar year covered")


class Article3(_Strict):
    stockpile_at_eif: Flag | None = None
    destruction_completed: Event | None = None
    extensions: list[Extension] = Field(default_factory=list)


class Article4(_Strict):
    contaminated_at_eif: Flag | None = None
    new_contamination: list[NewContamination] = Field(default_factory=list)
    clearance_completed: Event | None = None
    extensions: list[Extension] = Field(default_factory=list)


class Article5(_Strict):
    victims: Flag | None = None
    va_focal_point: Event | None = None
    national_plan: Event | None = None


class Article9(_Strict):
    legislation: Legislation | None = None


class StateFacts(_Strict):
    name: str = Field(min_length=1, description="UN short name")
    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    aliases: list[str] = Field(default_factory=list)
    treaty: Treaty = Field(default_factory=Treaty)
    article7: Article7 = Field(default_factory=Article7)
    article3: Article3 = Field(default_factory=Article3)
    article4: Article4 = Field(default_factory=Article4)
    article5: Article5 = Field(default_factory=Article5)
    article9: Article9 = Field(default_factory=Article9)


class SourceDoc(_Strict):
    title: str = Field(min_length=1)
    where: str = Field(min_length=1, description="file, address or citation")


class Period(_Strict):
    start: date
    end: date


class ConventionFacts(_Strict):
    opened_for_signature: Dated
    entry_into_force: Dated


class Snapshot(_Strict):
    title: str = Field(min_length=1)
    as_of: date
    period: Period
    sources: dict[str, SourceDoc]
    convention: ConventionFacts
