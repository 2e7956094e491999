"""`ccmcheck deadlines`: what falls due, looking ahead from the snapshot (rendered in outputs.calendar).

Nothing here computes a deadline by itself; the engine does, two ways:
- the snapshot evaluated as of its own as-of date gives each finding of a
  deadline rule with its due date and status (`rules.kinds.is_deadline`:
  obligations and Convention-wide targets, not DAP indicators, which say what a
  report mentioned and appear only with `everything`);
- a recurring obligation (`annually`, the Article 7 annual report) has one
  occurrence per evaluation, so each later due date in the window is projected by
  evaluating the snapshot as of that date: the States it applies to then (States
  Parties owing the report, by the rule's own `applies_when`) each get an entry,
  `pending` as of the as-of date.

By default the window runs from the as-of date to the end of the next calendar
year (at least a year ahead). Statuses are the words `evaluate` uses.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from pydantic import BaseModel, ConfigDict

from . import evaluate as api
from .dates import DateArg, annual_date, as_optional_date, occurrence
from ..errors import InputError
from ..rules.kinds import is_deadline, is_indicator, is_recurring
from ..rules.model import Rule
from ..rules.order import rule_sort_key
from .results import Finding, Status

CONVENTION_UID = "convention"  # stands for the ISO3 code in the UID of a Convention-wide deadline
_CLAUSE = re.compile(r",?\s+(by|within|not later than)\b.*$")


class Deadline(BaseModel):
    """One due date of one State (or of the Convention), with the rule behind it.

    Example: `ccmcheck.deadlines("2017", states=["Chile"]).deadlines[0].what  # "annual transparency report covering 2017"`
    """

    model_config = ConfigDict(frozen=True)

    due: date
    state: str
    iso3: str | None
    rule: str
    kind: str
    title: str  # the rule's title
    what: str  # in plain words, e.g. "annual transparency report covering 2017"
    citation: str  # e.g. "Art. 7(2)", "DAP Action 4.1, para 32(c)"
    status: Status
    met_on: date | None
    projected: bool  # a later occurrence of a recurring obligation, not a finding as of the as-of date
    source: str
    quote: str
    explanation: str
    missing: list[str]

    @property
    def uid(self) -> str:
        """Stable across runs and snapshots: the same rule, State and date give the same UID."""
        return f"{self.rule}.{(self.iso3 or CONVENTION_UID).lower()}.{self.due:%Y%m%d}@ccmcheck"


class Calendar(BaseModel):
    """The deadlines due in a window, with their statuses as of a date.

    Example: `[d.due for d in ccmcheck.deadlines("2017", states=["Chile"]).deadlines]`
    """

    model_config = ConfigDict(frozen=True)

    snapshot: str
    as_of: date
    start: date | None
    end: date | None
    everything: bool  # DAP indicators included
    deadlines: list[Deadline]
    overdue_before: int  # deadlines due before `start` and overdue as of the as-of date (not listed)


def plain_name(rule: Rule, due: date) -> str:
    """The rule's title without its time clause, in lower case, with the year an annual
    report covers: "Annual transparency report by 30 April, ..." -> "annual transparency
    report covering 2017"."""
    what = _CLAUSE.sub("", rule.title).strip() or rule.title
    if len(what) > 1 and not what[1].isupper():
        what = what[0].lower() + what[1:]
    if rule.deadline is not None and rule.deadline.annually is not None:
        what += f" covering {occurrence(rule.deadline.annually, due)[1]}"
    return what


def citation(rule: Rule) -> str:
    return rule.source.provision if rule.source.instrument == "CCM" else f"{rule.source.instrument} {rule.source.provision}"


def default_end(as_of: date) -> date:
    """The end of the calendar year after the as-of date: a year ahead at least."""
    return date(as_of.year + 1, 12, 31)


def _entry(rule: Rule, f: Finding, *, status: Status | None = None, projected: bool = False,
           explanation: str | None = None) -> Deadline:
    assert f.due is not None
    return Deadline(due=f.due, state=f.state, iso3=f.iso3, rule=f.rule, kind=rule.kind, title=rule.title,
                    what=plain_name(rule, f.due), citation=citation(rule), status=status or f.status,
                    met_on=None if projected else f.met_on, projected=projected, source=f.source,
                    quote=rule.source.text, explanation=explanation or f.explanation,
                    missing=[] if projected else list(f.missing))


def _anniversaries(rule: Rule, after: date, end: date) -> list[date]:
    """The rule's annual due dates in (after, end]."""
    assert rule.deadline is not None and rule.deadline.annually is not None
    every = rule.deadline.annually
    return [d for d in (annual_date(y, every) for y in range(after.year, end.year + 1)) if after < d <= end]


def calendar(facts: api.FactsArg, start: DateArg | None = None, end: DateArg | None = None, *,
             states: Iterable[str] = (), rules: api.RulesArg = None, engine: str = "durable",
             everything: bool = False, rule_ids: Iterable[str] = (), as_of: DateArg | None = None) -> Calendar:
    """Every deadline due in [start, end] (both inclusive; default: the as-of date to the
    end of the next calendar year), sorted by date, then State, then rule; statuses as of
    `as_of` (default: the snapshot's as-of date). `everything` adds the DAP indicators.

    Example: `ccmcheck.deadlines("2017", "2017-07-01", "2018-12-31", states=["Croatia"]).deadlines`
    """
    fb, book = api.as_factbase(facts), api.as_rulebook(rules)
    as_of = as_optional_date(as_of, "as_of") or fb.snapshot.as_of
    lo = as_optional_date(start, "start") or as_of
    hi = as_optional_date(end, "end") or max(default_end(as_of), lo)
    if lo > hi:
        raise InputError.single("arguments", "", "", f"--from {lo} is after --to {hi}")
    states, only = list(states), set(rule_ids)
    book.check_ids(sorted(only))
    wanted = [r for r in book.rules if (is_deadline(r) or (everything and is_indicator(r))) and (not only or r.id in only)]
    by_id = {r.id: r for r in wanted}
    ev = api.evaluate(fb, as_of, rules=book, engine=engine, states=states, rule_ids=list(by_id))
    out = [_entry(by_id[f.rule], f) for f in ev.findings if f.due is not None and lo <= f.due <= hi]
    overdue_before = sum(1 for f in ev.findings if f.status == "overdue" and f.due is not None and f.due < lo)
    upcoming = {r.id: [d for d in _anniversaries(r, as_of, hi) if d >= lo] for r in wanted if is_recurring(r)}
    for when in sorted({d for dates in upcoming.values() for d in dates}):
        due_then = [rid for rid, dates in upcoming.items() if when in dates]
        later = api.evaluate(fb, when, rules=book, engine=engine, states=states, rule_ids=due_then)
        for f in later.findings:
            if f.due == when:
                rule = by_id[f.rule]
                out.append(_entry(rule, f, status="pending", projected=True,
                                  explanation=f"{plain_name(rule, when)}, due {when}: not yet due as of {as_of}; "
                                              f"projected (by the facts the snapshot holds, the rule applies to "
                                              f"{f.state} on {when})"))
    out.sort(key=lambda d: (d.due, d.state, rule_sort_key(d.rule)))
    return Calendar(snapshot=ev.snapshot, as_of=as_of, start=lo, end=hi, everything=everything, deadlines=out,
                    overdue_before=overdue_before)

