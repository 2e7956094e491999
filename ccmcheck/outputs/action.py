"""What needs action, first: the findings a delegate acts on, most urgent first.

`evaluate`'s default view opens with these groups, in this order (`GROUPS`):

1. `overdue`: an obligation not met by its deadline, longest overdue first;
2. `overdue when last checked`: an `unknown` finding whose latest observation left it
   overdue (`last_known`): nothing recorded since, so it is the first fact to check;
3. `met late`: met after its deadline on a day inside the reporting period (an exact
   date, or a whole range inside it), most late first;
4. `met late, possibly in the period`: met late on a day of a range that only reaches
   into the period. A completion wholly before the period is not listed.

Each finding gets a short `reason` (the fact that decides it, with its source key),
shown whole under its row; the full chain of dates is `audit --explain`'s.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from dateutil.relativedelta import relativedelta

from ..engine.results import LAST_KNOWN, Evaluation, Finding
from .common import status_label


@dataclass(frozen=True)
class Group:
    """One kind of thing that needs action: a title, which findings, and their order."""

    name: str  # as a heading reads it: "overdue"
    select: Callable[[Evaluation, Finding], bool]
    late: Callable[[Evaluation, Finding], date | None]  # the end of the lateness (None: not known)
    order: str  # how the group is sorted, as its heading says it


def _overdue(ev: Evaluation, f: Finding) -> bool:
    return f.status == "overdue"


def _stale(ev: Evaluation, f: Finding) -> bool:
    return f.status == "unknown" and f.last_known is not None


def _met_late_inside(ev: Evaluation, f: Finding) -> bool:
    since = ev.period_start or date.min
    return (f.status == "met_late" and f.met_within is not None
            and since <= f.met_within[0] and f.met_within[1] <= ev.as_of)


def _met_late_partly(ev: Evaluation, f: Finding) -> bool:
    since = ev.period_start or date.min
    return (f.status == "met_late" and f.met_within is not None and not _met_late_inside(ev, f)
            and f.met_within[1] >= since)


GROUPS: tuple[Group, ...] = (
    Group("overdue", _overdue, lambda ev, f: ev.as_of, "longest overdue first"),
    Group("overdue when last checked", _stale, lambda ev, f: f.last_known.on if f.last_known else None,
          "unknown now, nothing recorded since; longest overdue first"),
    Group("met late", _met_late_inside, lambda ev, f: f.met_on, "during the period, most late first"),
    Group("met late, possibly in the period", _met_late_partly, lambda ev, f: f.met_on,
          "the date range reaches into the period"),
)


def late_days(ev: Evaluation, group: Group, f: Finding) -> int | None:
    """Days between the deadline and the as-of date (overdue) or the day it was met (met late)."""
    end = group.late(ev, f)
    return (end - f.due).days if end is not None and f.due is not None else None


def duration(start: date | None, end: date | None) -> str:
    """How long, in years, months and days as a table has room for: "6y 2m", "3m", "12d"; "" when a
    date is not known."""
    if start is None or end is None or end < start:
        return ""
    d = relativedelta(end, start)
    if d.years:
        return f"{d.years}y {d.months}m" if d.months else f"{d.years}y"
    return f"{d.months}m" if d.months else f"{d.days}d"


@dataclass(frozen=True)
class Item:
    """A finding that needs action, in its group."""

    group: str
    finding: Finding
    late_for: str  # "6y 2m"
    reason: str


def reason(f: Finding) -> str:
    """Why, in one line: the fact that decides the finding, with its source key (the step of the
    explanation's chain that cites a source: "article7.initial_report not done as of 2017-06-30
    [7msp#84]"), else the explanation's opening; then the missing facts, if any."""
    text = f.explanation
    head, _, chain = text.partition(" (")
    cited = [c for c in chain.rstrip(")").split("; ") if "[" in c] if chain.endswith(")") else []
    why = cited[-1] if cited else head
    return why + (f" [missing: {'; '.join(f.missing)}]" if f.missing else "")


def needs_action(ev: Evaluation, findings: Sequence[Finding] | None = None) -> list[Item]:
    """The findings that need action, group by group, each group most late first (then the earliest
    deadline first, where the day it was met is not known)."""
    pool = ev.findings if findings is None else findings
    out: list[Item] = []
    for g in GROUPS:
        chosen = [f for f in pool if g.select(ev, f)]
        chosen.sort(key=lambda f: (-(late_days(ev, g, f) or -1), f.due or date.max, f.state, f.rule))
        out += [Item(g.name, f, duration(f.due, g.late(ev, f)), reason(f)) for f in chosen]
    return out


def failed(findings: Sequence[Finding], statuses: Sequence[str], shown: int = 3) -> str:
    """What made `--fail-on` fail, in one line: "25 overdue: Fiji, Comoros, Cabo Verde, …"."""
    parts = []
    for s in statuses:
        hit = [f for f in findings if f.status == s or (s == LAST_KNOWN and f.last_known is not None)]
        states = sorted({f.state for f in hit})
        n = len(hit)
        if n:
            names = ", ".join(states[:shown]) + (", …" if len(states) > shown else "")
            parts.append(f"{n} {status_label(s)}: {names}")
    return "; ".join(parts)
