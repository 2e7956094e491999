"""What changed between two evaluations: the "during reporting period" column.

Compare a snapshot with itself at two as-of dates (by default the day before
its period began and its as-of date), or two snapshots with each other.
A State that had no finding of a rule on one side shows `None` there (it
joined, or the rule began or ceased to apply).

Each change is one of two kinds. `happened`: something took place between the
two dates (`pending → met`, `pending → overdue`, `overdue → met_late`, a State
joined, a rule began or ceased to apply). `newly_known`: the earlier status was
`unknown` (the snapshot lacks the facts for the earlier date), or a new finding's
status is `unknown`: the change says more about the facts than about the period.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .dates import DateArg, as_optional_date
from ..errors import InputError
from ..facts.loader import FactBase
from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate, standing
from ..rules.order import finding_sort_key
from .results import Evaluation, Finding, Status

ChangeKind = Literal["happened", "newly_known"]


class Change(BaseModel):
    """One finding whose status differs between two dates or snapshots.

    Example: `c = ccmcheck.changes("2017").happened[0]; print(c.state, c.before, "->", c.after)`
    """

    model_config = ConfigDict(frozen=True)

    state: str
    iso3: str | None
    rule: str
    kind: ChangeKind
    before: Status | None
    after: Status | None
    due: date | None
    explanation: str  # the later finding's; for a finding that disappeared, why there is none


class Changes(BaseModel):
    """The findings whose status changed, each marked as happened or only newly known.

    Example: `len(ccmcheck.changes("2017").happened)  # what changed during the period`
    """

    model_config = ConfigDict(frozen=True)

    before: str
    after: str
    changes: list[Change]

    @property
    def happened(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "happened"]

    @property
    def newly_known(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "newly_known"]

    def to_json(self, include_newly_known: bool = True) -> str:
        out = self.model_dump(mode="json")
        if not include_newly_known:
            out["changes"] = [c for c in out["changes"] if c["kind"] == "happened"]
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def kind_of(before: Status | None, after: Status | None) -> ChangeKind:
    return "newly_known" if before == "unknown" or (before is None and after == "unknown") else "happened"


def changes(facts: FactsArg, against: FactsArg | None = None, *, from_date: DateArg | None = None,
            to_date: DateArg | None = None, rules: RulesArg = None, engine: str = "durable",
            states: tuple[str, ...] | list[str] = (), rule_ids: tuple[str, ...] | list[str] = ()) -> Changes:
    """Findings whose status differs between `facts` as of `from_date` and
    `against` (default: the same facts) as of `to_date`, by State then rule. Two snapshots are
    compared in time order (by as-of date) whichever is given first, unless dates are given.

    Example: `ccmcheck.changes("2017", from_date="2016-06-30", to_date="2017-06-30").happened`
    """
    book = as_rulebook(rules)
    old = as_factbase(facts)
    new = as_factbase(against) if against is not None else old
    if against is not None and from_date is None and to_date is None and new.snapshot.as_of < old.snapshot.as_of:
        old, new = new, old
    start = as_optional_date(from_date, "from_date") or (
        old.snapshot.as_of if against is not None else old.snapshot.period.start - timedelta(days=1))
    end = as_optional_date(to_date, "to_date") or new.snapshot.as_of
    if start > end:
        raise InputError.single("arguments", "", "", f"--from {start} is after --to {end}"
                                + ("" if to_date else " (the as-of date of the later snapshot)"))
    return compare(evaluate(old, start, rules=book, engine=engine, states=states, rule_ids=rule_ids),
                   evaluate(new, end, rules=book, engine=engine, states=states, rule_ids=rule_ids), new,
                   before=f"{old.snapshot.title}, as of {start}", after=f"{new.snapshot.title}, as of {end}")


def compare(earlier: Evaluation, later: Evaluation, later_facts: FactBase, *, before: str, after: str) -> Changes:
    """The findings whose status differs between two evaluations already made (`later_facts`: the snapshot
    of the later one, which says why a finding disappeared)."""
    end = later.as_of
    a = {(f.rule, f.iso3): f for f in earlier.findings}
    b = {(f.rule, f.iso3): f for f in later.findings}
    out = []
    for key in set(a) | set(b):
        was, now = a.get(key), b.get(key)
        if was is not None and now is not None and was.status == now.status:
            continue
        shown = now or was
        assert shown is not None
        was_status, now_status = (was.status if was else None), (now.status if now else None)
        out.append(Change(state=shown.state, iso3=key[1], rule=key[0], kind=kind_of(was_status, now_status),
                          before=was_status, after=now_status, due=shown.due,
                          explanation=now.explanation if now else _gone(shown, later_facts, end)))
    out.sort(key=lambda c: (c.state, finding_sort_key(c.rule, c.state)))
    return Changes(before=before, after=after, changes=out)


def _gone(was: Finding, fb: FactBase, end: date) -> str:
    """Why a finding present at the earlier date has none at the later one."""
    where = ""
    if was.iso3 is not None:
        st = next((s for s in fb.states if s.iso3 == was.iso3), None)
        where = f"; the State: {standing(st, end)}" if st is not None else "; the State is not in the later snapshot"
    return f"no finding as of {end}: the rule no longer applies{where} (was: {was.explanation})"
