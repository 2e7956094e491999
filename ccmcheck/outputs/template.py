"""The fill-in template (`export --missing`): the facts worth asking for, most urgent first.

A row asks for one fact of one State. It is asked only if it could change a finding:
- a fact an `unknown` finding misses (engine/gaps.py), except an annual report (or what
  one says) covering a calendar year that ended before the Convention entered into force
  for the State, and anything about a State whose withdrawal took effect on or before the
  evaluation date;
- the completion of a `pending` obligation (stockpile destruction, clearance, the initial
  report): it may have been done early in the period;
- for a State with no fact beyond its treaty actions (new, e.g. from `import-status`), the
  facts that decide which obligations apply to it.
Rows deciding a finding that was overdue when last checked (`last_known`) come first: the
ISU must check those before anything else.
Each row shows the fact's current value (its latest observation: status, date, source),
its thematic area, and which findings it decides. Rows go by area, then by due date (the
earliest, i.e. most urgent, first), the initial report before the annual ones it decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..engine.areas import area_of_rule
from ..engine.dates import occurrence
from ..engine.gaps import file_path
from ..engine.results import Evaluation
from ..facts.loader import FactBase
from ..facts.model import Sourced, StateFacts
from ..facts.observations import latest
from ..facts.rows import existing, spec
from ..rules.loader import RuleBook

CURRENT = ("area", "current_status", "current_date", "current_source")
# Which facts decide whether a new State's obligations apply (rules' populations).
APPLICABILITY = ("article3.stockpile_at_eif", "article4.contaminated_at_eif", "article5.victims", "article9.legislation")
_LATE = date.max


@dataclass
class _Ask:
    state: StateFacts
    fact: str
    area: str
    due: date | None
    decides: list[str]
    stale: bool = False  # decides a finding that was overdue when last checked: asked first


def _year(path: str) -> int | None:
    parts = path.split(".")
    if path.startswith("article7.annual_reports.") or parts[0] == "reported":
        return int(parts[-1] if parts[0] == "article7" else parts[1])
    return None


def current(st: StateFacts, path: str) -> dict[str, str]:
    """The latest observation of the fact the row asks for: status (or value), date, source."""
    sp = spec(path)
    now = existing(st, sp) if sp is not None else None
    if isinstance(now, tuple):  # an event fact's observations
        now = latest(now)
    elif isinstance(now, list):
        now = now[-1] if now else None
    if not isinstance(now, Sourced):
        return {}
    status = getattr(now, "status", None) or str(getattr(now, "value", "") or "")
    when = next((str(getattr(now, k)) for k in ("on", "by", "checked_on", "decided_on", "submitted_on",
                                                "hostilities_ended") if getattr(now, k, None) is not None), "")
    if not when and getattr(now, "between", None):
        when = f"{now.between[0]}..{now.between[1]}"  # type: ignore[attr-defined]
    return {"current_status": status, "current_date": when, "current_source": now.source}


def template_rows(fb: FactBase, ev: Evaluation, book: RuleBook) -> list[dict[str, object]]:
    """The template's rows (cells by column), in the order they are to be filled in."""
    rules = {r.id: r for r in book.rules}
    eif = {f.iso3: f.due for f in ev.findings if f.rule == "art17.entry-into-force" and f.due}
    by_iso = {st.iso3: st for st in fb.states}
    asks: dict[tuple[str, str], _Ask] = {}

    def ask(st: StateFacts, path: str, rule: str, due: date | None, why: str, stale: bool = False) -> None:
        gone = st.treaty.withdrawal
        if gone is not None and gone.on <= ev.as_of:
            return
        year = _year(path)
        if year is not None and st.iso3 in eif and eif[st.iso3] > date(year, 12, 31):
            return  # the year ended before the Convention bound the State: nothing to report on it
        a = asks.get((st.iso3, path))
        if a is None:
            asks[(st.iso3, path)] = _Ask(st, path, area_of_rule(rule).heading, due, [why], stale)
            return
        a.decides.append(why)
        a.stale = a.stale or stale
        if due is not None and (a.due is None or due < a.due):
            a.due = due

    for f in ev.findings:
        st = by_iso.get(f.iso3 or "")
        if st is None:
            continue
        rule = rules[f.rule]
        if f.status == "unknown":
            annual = rule.deadline.annually if rule.deadline is not None else None
            year = occurrence(annual, ev.as_of)[1] if annual is not None else None
            for m in f.missing:
                path = file_path(m, year)
                if path is not None:
                    state = (f.last_known.text() if f.last_known is not None
                             else f"unknown{f', due {f.due}' if f.due else ''}")
                    ask(st, path, f.rule, f.due, f"{f.rule} ({state})", f.last_known is not None)
        elif f.status == "pending" and rule.met_by is not None and not rule.met_by.key:
            path = file_path(rule.met_by.fact, None)
            if path is not None:
                ask(st, path, f.rule, f.due, f"{f.rule} (pending, due {f.due}: completed early?)")
    for st in fb.states:
        told = st.model_dump(exclude_defaults=True, exclude={"name", "iso3", "aliases", "treaty"})
        if not told and st.treaty.deposit is not None:
            for path in APPLICABILITY:
                rule = {"article3": "art3", "article4": "art4", "article5": "art5", "article9": "art9"}[path.split(".")[0]]
                ask(st, path, f"{rule}.x", eif.get(st.iso3), f"which {rule} obligations apply (a new State Party)")
    ordered = sorted(asks.values(), key=lambda a: (not a.stale, a.area, a.due or _LATE, a.state.name,
                                                   a.fact != "article7.initial_report", a.fact))
    return [{"state": a.state.name, "iso3": a.state.iso3, "fact": a.fact, "area": a.area,
             **current(a.state, a.fact), "decides": "; ".join(a.decides)} for a in ordered]
