"""`ccmcheck deadlines`: the engine's deadlines as a calendar (rendered in outputs.calendar).

Nothing here computes a deadline. The snapshot is evaluated once, as of its own
as-of date, and every finding of a deadline rule (kind `obligation` or
`convention-target`) with a due date becomes one entry; `--from`/`--to` only
choose which due dates are listed. Derived-date rules (entry into force) are not
deadlines and are left out.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from pydantic import BaseModel, ConfigDict

from . import evaluate as api
from ..errors import InputError
from .results import Status

DEADLINE_KINDS = ("obligation", "convention-target")
LABELS: dict[str, str] = {"overdue": "missed", "pending": "upcoming", "met": "met", "met_late": "met late",
                          "unknown": "unknown"}
CONVENTION_UID = "convention"  # stands for the ISO3 code in the UID of a Convention-wide deadline


class Deadline(BaseModel):
    """One due date: a finding of a deadline rule, with the rule's title and kind."""

    model_config = ConfigDict(frozen=True)

    due: date
    state: str
    iso3: str | None
    rule: str
    kind: str
    title: str
    status: Status
    label: str
    met_on: date | None
    source: str
    quote: str
    explanation: str
    missing: list[str]

    @property
    def uid(self) -> str:
        """Stable across runs and snapshots: the same rule, State and date give the same UID."""
        return f"{self.rule}.{(self.iso3 or CONVENTION_UID).lower()}.{self.due:%Y%m%d}@ccmcheck"


class Calendar(BaseModel):
    model_config = ConfigDict(frozen=True)

    snapshot: str
    as_of: date
    start: date | None
    end: date | None
    deadlines: list[Deadline]


def calendar(facts: api.FactsArg, start: date | None = None, end: date | None = None, *,
             states: Iterable[str] = (), rules: api.RulesArg = None, engine: str = "durable") -> Calendar:
    """Every deadline due in [start, end] (both inclusive, either open), sorted by date,
    then State, then rule; statuses as of the snapshot's as-of date."""
    if start is not None and end is not None and start > end:
        raise InputError.single("arguments", "", "", f"--from {start} is after --to {end}")
    fb, book = api.as_factbase(facts), api.as_rulebook(rules)
    by_id = {r.id: r for r in book.rules}
    ev = api.evaluate(fb, rules=book, engine=engine, states=states)
    out = []
    for f in ev.findings:
        rule = by_id[f.rule]
        if rule.kind not in DEADLINE_KINDS or f.due is None:
            continue
        if (start is not None and f.due < start) or (end is not None and f.due > end):
            continue
        out.append(Deadline(due=f.due, state=f.state, iso3=f.iso3, rule=f.rule, kind=rule.kind, title=rule.title,
                            status=f.status, label=LABELS[f.status], met_on=f.met_on, source=f.source,
                            quote=rule.source.text, explanation=f.explanation, missing=list(f.missing)))
    out.sort(key=lambda d: (d.due, d.state, d.rule))
    return Calendar(snapshot=ev.snapshot, as_of=ev.as_of, start=start, end=end, deadlines=out)
