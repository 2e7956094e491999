"""Turn what the matcher found into findings: dates, statuses, explanations.

Matching (which facts a rule's conditions find) is the matcher's job; here is
only arithmetic and the status table:

    evidence of completion        -> met (on/before due), met_late (after), met
                                     with the date named missing (can't tell)
    known not done on the as-of   -> overdue if past due, else pending
    nothing known                 -> pending if not yet due, else unknown

An indicator is decided as an obligation on its occurrence (the report for the
year), then says what that means for a report: met -> reported, overdue (or
seen not yet done, on the due day) -> not_reported, unknown (or nothing known on
the due day) -> unknown. A standing rule's
derived date `holds` once passed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import dates
from .records import Evidence
from .results import CONVENTION, Finding, LastKnown, Status
from ..rules.model import Annually, DateExpr, Period, Rule

Matches = dict[str, list[tuple[Evidence, ...]]]  # role -> the evidence each match of that role found
DATED_KINDS = ("derived-date", "standing")  # kinds whose finding is a date derived per State
_AS_INDICATOR: dict[str, Status] = {"met": "reported", "met_late": "reported", "overdue": "not_reported",
                                    "pending": "not_reported", "unknown": "unknown"}


@dataclass
class Dated:
    """A computed date: the short trail for the one-line explanation, the full
    steps (through any derived dates it builds on) for `--explain`, only if asked for
    (`explain`: they are most of the text, and most evaluations show none of it)."""

    on: date | None
    trail: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    floor: date | None = None  # when `on` is unknown: a date it is known not to be before


@lru_cache(maxsize=256)  # a rule's period, the same for every State
def _fmt_period(p: Period) -> str:
    parts = [f"{n} {unit}{'s' if abs(n) != 1 else ''}" for n, unit in ((p.years, "year"), (p.months, "month"), (p.days, "day")) if n]
    return " + ".join(parts)


def _first(found: list[tuple[Evidence, ...]]) -> Evidence | None:
    return min((m[0] for m in found), key=Evidence.order, default=None)


def _from(expr: DateExpr, base: list[tuple[Evidence, ...]], floor: list[tuple[Evidence, ...]],
          derived: dict[str, Dated], label: str, explain: bool = False) -> Dated:
    """`expr` applied to the earliest matching base fact; `label` names what the date is."""
    if expr.on is not None:
        return Dated(expr.on, [f"fixed date {expr.on}"], steps=[f"{label}: {expr.on}, a fixed date"] if explain else [])
    first = _first(base)
    if first is None or first.latest is None:  # base patterns match dated evidence only
        return Dated(None, missing=[str(expr.from_)],
                     steps=[f"{label}: needs {expr.from_}, which no fact gives"] if explain else [])
    start = first.latest
    trail = [f"{expr.from_} {start} [{first.source}]"]
    steps: list[str] = []
    if explain:
        steps = list(derived[expr.from_].steps) if expr.from_ in derived else [f"{expr.from_}: {start} [{first.source}]"]
    low = _first(floor)
    floor_date = low.latest if low is not None else None
    if expr.at_least and floor_date is None:
        return Dated(None, trail, [expr.at_least],
                     steps + [f"{label}: needs {expr.at_least}, which no fact gives"] if explain else [])
    d = dates.apply(expr, start, floor_date)
    period = _fmt_period(expr.plus)
    step = f" + {period}" if period else ""
    step += ", first of that month" if expr.first_of_month else ""
    step += f", not before {expr.at_least} {floor_date}" if expr.at_least else ""
    trail.append(f"{step.lstrip(' +,')} -> {d}" if step else f"-> {d}")
    if explain:
        steps.append(f"{label}: {d} = {expr.from_} {start}{step}")
    return Dated(d, trail, steps=steps)


def _on(d: Dated) -> date:
    assert d.on is not None
    return d.on


def derived_date(rule: Rule, m: Matches, derived: dict[str, Dated], explain: bool = False) -> Dated:
    assert rule.derive is not None
    when = _from(rule.derive, m.get("base", []), m.get("floor", []), derived, f"{rule.id} ({rule.citation})", explain)
    exc = rule.exception
    if explain and exc is not None and when.on is not None:  # what the general rule gives, for the reader
        general = _from(rule.derive.model_copy(update={"at_least": None}), m.get("base", []), [], derived, "")
        which = (f"the exception applies ({exc.source.instrument} {exc.source.provision}: {exc.why})"
                 if general.on is not None and general.on < when.on else
                 f"the exception ({exc.source.instrument} {exc.source.provision}) does not move it")
        when.steps.append(f"{rule.source.instrument} {rule.source.provision} gives {general.on}; {which}")
    return when


@lru_cache(maxsize=256)  # the same for every State in an evaluation
def _annual(month: int, day: int, as_of: date) -> tuple[date, str, str]:
    due, year = dates.occurrence(Annually(month=month, day=day), as_of)
    return (due, f"the report covering {year}, due {due}",
            f"{due}, the latest {due:%d %B} on or before {as_of}, for calendar year {year}")


def deadline(rule: Rule, m: Matches, as_of: date, derived: dict[str, Dated], explain: bool = False) -> Dated:
    d = rule.deadline
    assert d is not None
    label = f"due ({rule.citation})"
    if d.annually is not None:
        due, trail, step = _annual(d.annually.month, d.annually.day, as_of)
        out = Dated(due, [trail], steps=[f"{label}: {step}"] if explain else [])
    elif d.earliest is not None:
        options = [_from(alt, m.get(f"altbase{i}", []), [], derived, label, explain)
                   for i, alt in enumerate(d.earliest) if m.get(f"alt{i}")]
        known = [o for o in options if o.on is not None]
        if not options:
            return Dated(None, missing=["the facts that make one of its deadlines apply"])
        if len(known) < len(options):
            return Dated(None, missing=[x for o in options for x in o.missing], steps=[x for o in options for x in o.steps])
        out = min(known, key=_on)
        if len(known) > 1 and explain:
            out.steps.append(f"the earliest of {len(known)} deadlines that apply")
    else:
        out = _from(d.expr, m.get("base", []), [], derived, label, explain)
    if out.on is None or not d.extended_by:
        return out
    # Each extension sets the deadline anew (never earlier: that is bad input); one whose new deadline the
    # sources do not give leaves it unknown, but no earlier than the last known one.
    known: date = out.on
    for (ext,) in sorted(m.get("extension", []), key=lambda x: x[0].order()):
        new, decided = ext.new_deadline, ext.earliest
        if new is None:
            out = Dated(None, out.trail + [f"extension decided {decided} [{ext.source}]"], [f"{d.extended_by}.new_deadline"],
                        out.steps + [f"{label}: extension granted {decided} [{ext.source}], its new deadline not known"]
                        if explain else [], floor=known)
            continue
        if new < known:
            raise EarlierExtension(d.extended_by, f"the extension decided on {decided} [{ext.source}] sets the "
                                   f"deadline to {new}, before the deadline it extends ({known})")
        known = new
        note = f"extended on {decided} to {new} [{ext.source}]"
        out = Dated(known, out.trail + [note], steps=out.steps + [f"{label}: {note}"] if explain else [])
    return out


class EarlierExtension(ValueError):
    """An extension's new deadline is before the deadline it extends: the facts are wrong."""

    def __init__(self, fact: str, message: str):
        super().__init__(message)
        self.fact = fact


def _render(rule: Rule, status: Status, values: dict[str, object], default: str, trail: list[str]) -> str:
    text = rule.texts.get(status)
    head = text.format_map({k: ("" if v is None else v) for k, v in values.items()}) if text else default
    return head + (f" ({'; '.join(trail)})" if trail else "")


def _explain(rule: Rule, steps: list[str], status: Status, reason: str, missing: list[str], wanted: bool) -> list[str]:
    """The full reasoning, if `wanted`: the operative text, each date and fact, the status, what would decide it."""
    if not wanted:
        return []
    out = [f"{rule.citation}: \"{rule.source.text}\"", *steps, f"status {status}: {reason}"]
    if missing:
        out.append(f"would be decided by: {', '.join(missing)}")
    return out


def obligation(rule: Rule, name: str, iso3: str, m: Matches, as_of: date, derived: dict[str, Dated],
               explain: bool = False) -> Finding:
    """Status of a dated obligation that applies to the State."""
    due = deadline(rule, m, as_of, derived, explain)
    met_by = rule.met_by
    assert met_by is not None
    fact, satisfying = met_by.fact, met_by.satisfying
    conflict: list[Evidence] = []
    stale: list[Evidence] = []
    done: list[Evidence] = []
    still_open: list[Evidence] = []
    for (e,) in m.get("evidence", ()):  # one pass: most obligations see one piece of evidence or none
        (conflict if e.value == "conflict" else stale if e.value == "stale" else
         done if e.value in satisfying else still_open).append(e)
    if len(stale) > 1:
        stale.sort(key=lambda e: (e.checked_on, e.id))
    for seen in (done, still_open):
        if len(seen) > 1:
            seen.sort(key=Evidence.order)
    last_known: LastKnown | None = None
    trail = list(due.trail)
    met_on: date | None = None
    missing: list[str] = []
    lo = hi = None
    if done:
        lo, hi = done[0].earliest, done[0].latest
    latest = hi or as_of  # a fact with no date of its own is known on the as-of date
    # An unknown deadline no earlier than `floor` still decides completion by then, or "not yet due".
    limit = due.on or due.floor
    if limit is None or (due.on is None and not (latest <= limit if done else as_of <= limit)):
        status: Status = "unknown"
        missing = due.missing
        default = "the deadline cannot be computed"
    elif conflict:
        c = conflict[0]
        status, default = "unknown", f"the observations of {fact} conflict: {'; '.join(c.notes)}"
        missing = [f"{fact} (which observation prevails)"]
    elif done:
        r = done[0]
        shown = due.on or f"no earlier than {limit}"
        met_on = lo if lo == hi else None
        when = f"on {hi}" if lo == hi and hi else (f"between {lo} and {hi}" if lo else f"by {latest}")
        trail.append(f"{fact} {r.value} {when} [{r.source}]")
        if met_by.timing == "ignore" or latest <= limit:
            status, default = "met", f"met {when}" + ("" if met_by.timing == "ignore" else f", due {shown}")
        elif lo is not None and due.on is not None and lo > due.on:
            status, default = "met_late", f"met late, {when}, due {due.on}"
        else:
            status, default = "met", f"met {when}; due {due.on}, so whether on time is not known"
            missing = [f"{fact} (exact date)"]
    elif still_open:
        r = still_open[0]
        seen = f"as of {r.checked_on}" if r.checked_on else "with no date"
        trail.append(f"{fact} {str(r.value).replace('_', ' ')} {seen} [{r.source}]")
        if as_of <= limit:
            status, default = "pending", f"not yet done; due {due.on or f'no earlier than {limit}'}"
        elif r.value == "not_done":
            status, default = "overdue", f"overdue since {due.on}"
        else:
            status, default = "unknown", f"{str(r.value).replace('_', ' ')} {seen}; due {due.on}"
            missing = [f"{fact} (whether it is satisfied by {due.on})"]
    elif as_of <= limit and rule.kind != "indicator":
        status, default = "pending", f"due {due.on or f'no earlier than {limit}'}"
    elif as_of <= limit:  # an indicator on its report's due day, nothing known: no fact says what it held
        status, default = "unknown", f"due {due.on}; no fact says whether it was met"
        missing = [fact]
    else:
        status, default = "unknown", f"due {due.on}; no fact says whether it was met"
        missing = [fact]
        last = stale[-1] if stale else None
        if last is not None and last.was == "not_done" and due.on is not None and last.checked_on > due.on:
            then: Status = _AS_INDICATOR["overdue"] if rule.kind == "indicator" else "overdue"
            last_known = LastKnown(status=then, on=last.checked_on, source=last.source)
            default = f"{last_known.text()}; nothing recorded since"
            missing = [f"{fact} (since {last.checked_on})"]
    if rule.kind == "indicator" and last_known is None:
        status, default = _indicator(status, default, due.on)
    values = {"state": name, "iso3": iso3, "due": due.on, "met_on": met_on, "missing": ", ".join(missing), "as_of": as_of}
    return Finding(state=name, iso3=iso3, rule=rule.id, status=status, due=due.on, met_on=met_on,
                   source=rule.citation, explanation=_render(rule, status, values, default, trail), missing=missing,
                   last_known=last_known, met_within=(lo, hi) if lo is not None and hi is not None else None,
                   explain=_explain(rule, due.steps + trail[len(due.trail):], status, default, missing, explain)
                   if explain else [])


def _indicator(status: Status, default: str, due: date | None) -> tuple[Status, str]:
    """An obligation-shaped verdict on the year's report, said as what the report held."""
    said = _AS_INDICATOR[status]
    if said == "reported":
        return said, "reported" + default.removeprefix("met")
    if said == "not_reported":
        return said, f"not reported in the report due {due}"
    return said, default.replace("whether it was met", "what the report said")


def derived(rule: Rule, name: str, iso3: str, when: Dated, as_of: date, explain: bool = False) -> Finding:
    """A derived date is `met` once it has passed, `pending` before; a standing
    (e.g. a Signatory not yet ratified) `holds` from its date on."""
    if when.on is None:
        status: Status = "unknown"
        default = "cannot be derived"
    elif rule.kind == "standing":
        status, default = "holds", f"{rule.title}: since {when.on}"
    else:
        status = "met" if when.on <= as_of else "pending"
        default = f"{rule.title}: {when.on}"
    met_on = when.on if status == "met" else None
    values = {"state": name, "iso3": iso3, "due": when.on, "met_on": met_on, "missing": ", ".join(when.missing),
              "as_of": as_of}
    return Finding(state=name, iso3=iso3, rule=rule.id, status=status, due=when.on, met_on=met_on, source=rule.citation,
                   explanation=_render(rule, status, values, default, when.trail), missing=when.missing,
                   explain=_explain(rule, when.steps, status, default, when.missing, explain))


def target(rule: Rule, counted: list[str], as_of: date, explain: bool = False) -> Finding:
    """A Convention-wide target: how many States satisfy `counts`, against `target`."""
    assert rule.target is not None and rule.deadline is not None and rule.deadline.on is not None
    due, n = rule.deadline.on, len(counted)
    if n >= rule.target:
        status: Status = "met"
    else:
        status = "pending" if as_of <= due else "overdue"
    default = f"{n} of the {rule.target} targeted by {due}; {max(rule.target - n, 0)} to go"
    values = {"state": CONVENTION, "iso3": None, "due": due, "met_on": None, "missing": "", "as_of": as_of,
              "count": n, "target": rule.target}
    return Finding(state=CONVENTION, iso3=None, rule=rule.id, status=status, due=due, met_on=None,
                   source=rule.citation, explanation=_render(rule, status, values, default, []), missing=[],
                   explain=_explain(rule, [f"States counted: {n}; target: {rule.target}, by {due}"], status, default, [],
                                    explain))
