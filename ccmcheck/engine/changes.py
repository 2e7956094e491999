"""What changed between two evaluations: the "during reporting period" column.

Compare a snapshot with itself at two as-of dates (by default the day before
its period began and its as-of date), or two snapshots with each other.
A State that had no finding of a rule on one side shows `None` there (it
joined, or the rule began or ceased to apply).
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate
from .results import Evaluation, Status


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    state: str
    iso3: str | None
    before: Status | None
    after: Status | None
    due: date | None
    explanation: str


class Changes(BaseModel):
    model_config = ConfigDict(frozen=True)

    before: str
    after: str
    changes: list[Change]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def changes(facts: FactsArg, against: FactsArg | None = None, *, from_date: date | None = None,
            to_date: date | None = None, rules: RulesArg = None, engine: str = "durable") -> Changes:
    """Findings whose status differs between `facts` as of `from_date` and
    `against` (default: the same facts) as of `to_date`."""
    book = as_rulebook(rules)
    old = as_factbase(facts)
    new = as_factbase(against) if against is not None else old
    start = from_date or (old.snapshot.as_of if against is not None else old.snapshot.period.start - timedelta(days=1))
    end = to_date or new.snapshot.as_of
    return compare(evaluate(old, start, rules=book, engine=engine), evaluate(new, end, rules=book, engine=engine),
                   before=f"{old.snapshot.title}, as of {start}", after=f"{new.snapshot.title}, as of {end}")


def compare(earlier: Evaluation, later: Evaluation, *, before: str, after: str) -> Changes:
    """The findings whose status differs between two evaluations already made."""
    a = {(f.rule, f.iso3): f for f in earlier.findings}
    b = {(f.rule, f.iso3): f for f in later.findings}
    out = []
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], (b.get(k) or a[k]).state)):
        was, now = a.get(key), b.get(key)
        if was is not None and now is not None and was.status == now.status:
            continue
        shown = now or was
        assert shown is not None
        out.append(Change(rule=key[0], state=shown.state, iso3=key[1], before=was.status if was else None,
                          after=now.status if now else None, due=shown.due, explanation=shown.explanation))
    return Changes(before=before, after=after, changes=out)
