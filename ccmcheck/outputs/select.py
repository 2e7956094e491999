"""`--status` on every command that lists things: the same selection, applied to each kind of result."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..engine.changes import Changes
from ..engine.deadlines import Calendar
from ..engine.history import History
from ..engine.results import Audit


def audit(a: Audit, statuses: Sequence[str]) -> Audit:
    """Only the findings with these statuses (all when none are given)."""
    return a.model_copy(update={"findings": [f for f in a.findings if f.status in statuses]}) if statuses else a


def calendar(cal: Calendar, statuses: Sequence[str]) -> Calendar:
    """Only the deadlines whose status (as of the as-of date) is one of these."""
    return cal.model_copy(update={"deadlines": [d for d in cal.deadlines if d.status in statuses]}) if statuses else cal


def changes(c: Changes, statuses: Sequence[str]) -> Changes:
    """Only the changes to one of these statuses."""
    return c.model_copy(update={"changes": [x for x in c.changes if x.after in statuses]}) if statuses else c


def history(h: History, statuses: Sequence[str]) -> History:
    """Only the intervals with these statuses (a track with none left is left out)."""
    if not statuses:
        return h
    tracks = [replace(t, intervals=tuple(iv for iv in t.intervals if iv.status in statuses)) for t in h.tracks]
    return replace(h, tracks=tuple(t for t in tracks if t.intervals))
