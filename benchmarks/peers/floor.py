"""The five rules as one plain Python function over a State's facts: no engine, no records,
no explanations. The floor the engines are measured against."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .common import Findings, _event

DAY = timedelta(days=1)

NOTHING = ("", None, None)


def _seen(obs: Any, as_of: date) -> tuple[str, date | None, date | None]:
    """(value, earliest, latest day done) of an event fact (its observations) as known on `as_of`; value "" =
    unknown. One observation, the common case, is read here in plain Python (a completion date implies not done
    on the days before it); several go through the reading every peer shares (common._event)."""
    if not obs:
        return NOTHING
    if len(obs) > 1:
        e = _event(obs, as_of)
        return (e["v"], date.fromisoformat(e["lo"]) if e["lo"] else None,
                date.fromisoformat(e["hi"]) if e["hi"] else None) if e["v"] else NOTHING
    ev = obs[0]
    if ev.status != "done":
        return (ev.status, None, None) if ev.checked_on >= as_of else NOTHING
    lo, hi = ev.window()
    if hi <= as_of:
        return "done", lo, hi
    through = max([d for d in (lo - DAY if lo is not None else None, ev.not_done_on) if d is not None], default=None)
    return ("not_done", None, None) if through is not None and as_of <= through else NOTHING


def _plus_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February -> 28 February, as dateutil does
        return d.replace(year=d.year + n, day=28)


def _extended(due: date, exts: Any, as_of: date) -> tuple[date | None, date]:
    """(deadline, floor): each extension sets it anew, never earlier; one with no known new
    deadline leaves it unknown (None) but not before the last known one."""
    on, known = due, due
    for e in sorted(exts, key=lambda e: (e.decided_on, e.model_dump_json())):
        if e.decided_on > as_of:
            continue
        if e.new_deadline is None:
            on = None
        else:
            known = max(known, e.new_deadline)
            on = known
    return on, known


def _status(due: date | None, floor: date, seen: tuple[str, date | None, date | None], as_of: date) -> str:
    v, lo, hi = seen
    limit = due or floor
    if due is None and not ((hi <= limit) if v == "done" else (as_of <= limit)):
        return "unknown"
    if v == "done":
        if hi <= limit:
            return "met"
        return "met_late" if lo is not None and lo > due else "met"  # type: ignore[operator]
    if as_of <= limit:
        return "pending"
    return "overdue" if v == "not_done" else "unknown"


def five(st: Any, convention_eif: date, as_of: date) -> list[tuple[str, str, date | None]]:
    """(rule, status, due) for each of the five rules that applies to the State."""
    out: list[tuple[str, str, date | None]] = []
    t, a3, a4 = st.treaty, st.article3, st.article4
    withdrawn = t.withdrawal is not None and t.withdrawal.on <= as_of
    eif = None  # Art. 20(2): from the day a withdrawal takes effect, no entry into force and nothing built on it
    if t.deposit is not None and t.deposit.on <= as_of and not withdrawn:
        if convention_eif > as_of:
            out.append(("art17.entry-into-force", "unknown", None))
        else:
            m = t.deposit.on.month + 6
            eif = max(date(t.deposit.on.year + (m - 1) // 12, (m - 1) % 12 + 1, 1), convention_eif)
            out.append(("art17.entry-into-force", "met" if eif <= as_of else "pending", eif))
    initial = _seen(st.article7.initial_report, as_of)
    if eif is not None:
        due = eif + timedelta(days=180)
        out.append(("art7.initial-report", _status(due, due, initial, as_of), due))
    occurrence = date(as_of.year if (as_of.month, as_of.day) >= (4, 30) else as_of.year - 1, 4, 30)
    annual = _seen(st.article7.annual_reports.get(occurrence.year - 1), as_of)
    year_before = _plus_years(as_of, -1)
    if eif is not None and ((initial[0] == "done" and initial[2] <= year_before) or annual[0] == "done"):  # type: ignore[operator]
        out.append(("art7.annual-report", _status(occurrence, occurrence, annual, as_of), occurrence))
    if eif is not None and a3.stockpile_at_eif is not None and a3.stockpile_at_eif.value:
        due, floor = _extended(_plus_years(eif, 8), a3.extensions, as_of)
        out.append(("art3.stockpile-destruction", _status(due, floor, _seen(a3.destruction_completed, as_of), as_of), due))
    contaminated = a4.contaminated_at_eif is not None and a4.contaminated_at_eif.value
    new = [n.hostilities_ended for n in a4.new_contamination if n.hostilities_ended <= as_of]
    if eif is not None and (contaminated or new):
        options = ([_plus_years(eif, 10)] if contaminated else []) + ([_plus_years(min(new), 10)] if new else [])
        due, floor = _extended(min(options), a4.extensions, as_of)
        out.append(("art4.clearance", _status(due, floor, _seen(a4.clearance_completed, as_of), as_of), due))
    return out


def findings(fb: Any, as_of: date) -> Findings:
    conv = fb.snapshot.convention.entry_into_force.on
    return {(rule, st.name): (status, due.isoformat() if due else None)
            for st in fb.states for rule, status, due in five(st, conv, as_of)}
