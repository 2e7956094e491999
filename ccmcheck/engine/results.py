"""Typed results: findings, an evaluation, a single State's audit. `to_json` is the
public contract other tools read (docs/json-contract.md); keep it stable."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Annotated, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .choices import LAST_KNOWN, STATUS_ORDER, Status  # noqa: F401  (re-exported: the results' vocabulary)

DONE = frozenset({"met", "met_late", "reported"})  # what a headline reads as "done"
MISSED = frozenset({"overdue", "not_reported"})  # ... and as "missed"


def ordered(statuses: Iterable[str]) -> list[str]:
    """The distinct statuses present, in `STATUS_ORDER` (code that presents findings takes the statuses from
    the findings, since each rule kind brings its own); one not in that order still shows, before `unknown`."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return sorted(set(statuses), key=lambda s: (rank.get(s, rank["unknown"] - 0.5), s))


CONVENTION = "Convention on Cluster Munitions"


class Document(BaseModel):
    """A frozen result whose JSON is its fields as they are (reconciliation, a list check)."""

    model_config = ConfigDict(frozen=True)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


class LastKnown(BaseModel):
    """What an `unknown` finding was when last observed: the status then (e.g. `overdue`), the
    day of that observation and its source. Only for an obligation left unmet past its due date."""

    model_config = ConfigDict(frozen=True)

    status: Status
    on: date
    source: str

    def text(self) -> str:
        return f"{self.status.replace('_', ' ')} when last checked on {self.on} [{self.source}]"




# A frozen dataclass with slots, not a pydantic model: an evaluation of 20,000 States makes about
# 340,000 findings, and a model's per-instance dictionary and set of fields were two thirds of their
# memory. Pydantic still serialises them inside the results (`to_json`) and gives their schema
# (`ccmcheck schema findings`; the docstring is its description); `dataclasses.replace` copies one.
@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one State (or, for targets, on the whole Convention).

    Example: `f = ccmcheck.evaluate("2017").findings[0]; print(f.state, f.rule, f.status, f.due)`
    """

    state: str
    iso3: str | None
    rule: str
    status: Status
    due: date | None
    met_on: date | None
    source: str
    explanation: str
    missing: list[str]
    last_known: LastKnown | None = None  # for an `unknown` finding: what it was when last observed
    # met on a day in this range (not in the contract)
    met_within: Annotated[tuple[date, date] | None, Field(exclude=True)] = None
    # the full reasoning; in JSON only on request
    explain: Annotated[list[str], Field(exclude=True)] = field(default_factory=list)

    def model_dump(self, mode: Literal["json", "python"] = "python") -> dict:
        """The fields of the contract (with mode="json", as `to_json` writes them), under the name
        tools written against the pydantic `Finding` call it by."""
        return _finding_adapter().dump_python(self, mode=mode)


@lru_cache(maxsize=None)
def _finding_adapter() -> TypeAdapter[Finding]:
    return TypeAdapter(Finding)


def count(findings: list[Finding], statuses: dict[str, tuple[str, ...]]) -> dict[str, dict[str, int]]:
    """Findings per rule and status: for each rule (id -> the statuses of its kind),
    every status of its kind, zeros included."""
    out = {rid: {s: 0 for s in own} for rid, own in statuses.items()}
    for f in findings:
        out[f.rule][f.status] += 1
    return out


CONTRACT_FIELDS = {"snapshot", "as_of", "findings", "counts"}  # what `Evaluation.to_json` writes (json-contract.md)
RECORD_COLUMNS = ("snapshot", "as_of", "state", "iso3", "rule", "status", "due", "met_on", "source", "explanation",
                  "missing")


class Evaluation(BaseModel):
    """Every finding of every rule on every State of a snapshot as of a date, and the counts per rule and status.

    Example: `ev = ccmcheck.evaluate("2017"); ev.counts["art7.initial-report"]["overdue"]  # 20`
    """

    model_config = ConfigDict(frozen=True)

    snapshot: str
    as_of: date
    engine: str
    findings: list[Finding]
    counts: dict[str, dict[str, int]]
    tallies: dict[str, list[str]] = {}  # target rule -> ISO3 of the States it counts (not in the contract)
    period_start: date | None = None  # the first day of the reporting period ending on `as_of` (not in the contract)

    def contract(self) -> dict:
        return self.model_dump(mode="json", include=CONTRACT_FIELDS)

    def to_json(self) -> str:
        """`contract()` as JSON, written by pydantic's serialiser: the same text `json.dumps(...,
        indent=2, ensure_ascii=False)` writes, five times as fast (0.005 s for facts/2017)."""
        return self.model_dump_json(include=CONTRACT_FIELDS, indent=2) + "\n"

    def to_records(self) -> list[dict[str, str | date | None]]:
        """One flat row per finding (`RECORD_COLUMNS`), for `pandas.DataFrame(ev.to_records())`,
        `csv.DictWriter` or a spreadsheet: dates stay `date` (None when absent), missing
        facts are joined with "; ", and each row repeats the snapshot and as-of date so
        rows of several evaluations can be stacked."""
        return [{"snapshot": self.snapshot, "as_of": self.as_of, "state": f.state, "iso3": f.iso3, "rule": f.rule,
                 "status": f.status, "due": f.due, "met_on": f.met_on, "source": f.source,
                 "explanation": f.explanation, "missing": "; ".join(f.missing)} for f in self.findings]


class Undecided(BaseModel):
    """A rule whose applicability to the State the facts cannot decide.

    Example: `ccmcheck.audit("2017", "Croatia").undecided  # rules whose applicability a missing fact leaves open`
    """

    rule: str
    missing: list[str]


class OutOfForce(BaseModel):
    """A rule that gives no finding on the as-of date because it is not in force then."""

    rule: str
    window: str


class Audit(BaseModel):
    """One State on a date: its standing, every finding about it, and the rules whose applicability is undecided.

    Example: `ccmcheck.audit("2017", "Croatia").standing  # "State Party (ratification deposited 2009-08-17)"`
    """

    model_config = ConfigDict(frozen=True)

    snapshot: str
    as_of: date
    state: str
    iso3: str
    standing: str
    findings: list[Finding]
    undecided: list[Undecided]
    out_of_force: list[OutOfForce] = []

    def contract(self, explain: bool = False) -> dict:
        out = self.model_dump(mode="json")
        if explain:
            for f, d in zip(self.findings, out["findings"]):
                d["explain"] = f.explain
        return out

    def to_json(self, explain: bool = False) -> str:
        if not explain:  # pydantic's serialiser: the same text, quicker
            return self.model_dump_json(indent=2) + "\n"
        return json.dumps(self.contract(explain), indent=2, ensure_ascii=False) + "\n"
