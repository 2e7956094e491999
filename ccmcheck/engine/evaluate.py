"""The library API: what the CLI calls and what other tools import."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from dateutil.relativedelta import relativedelta

from .core import collector_paused, findings, matcher_for
from .decide import DATED_KINDS
from .dates import DateArg, as_optional_date
from ..facts.loader import FactBase, load_facts
from ..facts.model import StateFacts
from .records import state_records
from .results import Audit, Evaluation, OutOfForce, Undecided, count
from ..rules.loader import RuleBook, load_rules
from ..rules.model import KIND_STATUSES
from ..rules.order import rule_sort_key

FactsArg = str | Path | FactBase
RulesArg = str | Path | RuleBook | None


def as_factbase(facts: FactsArg) -> FactBase:
    return facts if isinstance(facts, FactBase) else load_facts(facts)


def as_rulebook(rules: RulesArg) -> RuleBook:
    return rules if isinstance(rules, RuleBook) else load_rules(rules)


def period_start(fb: FactBase, as_of: date) -> date:
    """The first day of the reporting period that ends on `as_of`: the snapshot's own
    period at its as-of date, else the year up to `as_of`."""
    if as_of == fb.snapshot.as_of:
        return fb.snapshot.period.start
    return as_of - relativedelta(years=1) + timedelta(days=1)


def evaluate(facts: FactsArg, as_of: DateArg | None = None, *, rules: RulesArg = None, engine: str = "durable",
             states: Iterable[str] = (), rule_ids: Iterable[str] = (), explain: bool = False) -> Evaluation:
    """Findings and counts for a snapshot as of a date (default: the snapshot's own).

    `states` and `rule_ids` narrow what is reported. Convention-wide targets
    are counted over every State, but their finding is left out when
    `states` is given (it is about no one State). Each finding's full
    reasoning (`Finding.explain`) is built only with `explain`: it is most of
    an evaluation's memory.

    Example: `ccmcheck.evaluate("2017", "2017-06-30", states=["Chile"]).findings`
    """
    fb, book = as_factbase(facts), as_rulebook(rules)
    when = as_optional_date(as_of, "as_of") or fb.snapshot.as_of
    wanted_rules = list(rule_ids) or [r.id for r in book.rules]
    book.check_ids(wanted_rules)
    wanted_states = {fb.find(s).iso3 for s in states}
    live = book.in_force_on(when, DATED_KINDS)  # rules out of force that day are never matched
    # The collector paused for the findings and all made from them: what is built is kept, and a collection
    # would only walk it (at 20,000 States, the 332,779 findings' order alone set off collections costing 1.4 s of 24).
    with collector_paused():
        every, tallies = findings(live, matcher_for(live, engine), fb, when, explain)
        keep = set(wanted_rules)  # a set: asked once per finding (332,779 at 20,000 States)
        found = [f for f in every if f.rule in keep and (not wanted_states or f.iso3 in wanted_states)]
        return Evaluation(snapshot=fb.snapshot.title, as_of=when, engine=engine, findings=found,
                          counts=count(found, {r: KIND_STATUSES[book.get(r).kind]
                                               for r in sorted(wanted_rules, key=rule_sort_key)}),
                          tallies=tallies, period_start=period_start(fb, when))


def standing(st: StateFacts, as_of: date) -> str:
    """Where the State stands in the treaty on the date, from its treaty actions."""
    t = st.treaty
    if t.withdrawal is not None and t.withdrawal.on <= as_of:
        return f"withdrew (effective {t.withdrawal.on})"
    if t.deposit is not None and t.deposit.on <= as_of:
        return f"State Party ({t.deposit.kind} deposited {t.deposit.on})"
    if t.signature is not None and t.signature.on <= as_of:
        return f"Signatory (signed {t.signature.on})"
    return "not a signatory or State Party on that date"


def audit(facts: FactsArg, state: str, as_of: DateArg | None = None, *, rules: RulesArg = None,
          engine: str = "durable", rule_ids: Iterable[str] = (), explain: bool = True) -> Audit:
    """One State: its standing, every finding about it (with its full reasoning unless `explain`
    is false), and the rules whose applicability its facts leave open (`rule_ids`: only these rules).

    Example: `ccmcheck.audit("2017", "Croatia", as_of="2017-06-30").findings`
    """
    fb, book = as_factbase(facts), as_rulebook(rules)
    st = fb.find(state)
    return state_audit(fb, book, st, evaluate(fb, as_of, rules=book, engine=engine, states=[st.iso3],
                                              rule_ids=rule_ids, explain=explain))


def state_audit(fb: FactBase, book: RuleBook, st: StateFacts, ev: Evaluation) -> Audit:
    """The audit of one State from an evaluation already made (of it alone, or of every State: its own
    findings are taken), so that many States' audits share one evaluation (the static site)."""
    ev = ev.model_copy(update={"findings": [f for f in ev.findings if f.iso3 == st.iso3]})
    known = {e.path for e in state_records(st, fb.snapshot.convention, ev.as_of)} | set(book.files)
    decided = {f.rule for f in ev.findings}
    undecided, out_of_force = [], []
    for rule in book.rules:
        if rule.id not in ev.counts:
            continue
        window = book.out_of_force(rule.id, ev.as_of)
        if window is not None:
            out_of_force.append(OutOfForce(rule=rule.id, window=f"no finding on {ev.as_of}: {window.describe()}"))
            continue
        if rule.id in decided or rule.kind == "convention-target":
            continue
        # A branch that needs a date another rule derives, which it did not derive for this
        # State (e.g. entry into force after a withdrawal), is decided: it does not apply.
        gaps = sorted({t.path for p in book.plan.patterns if p.rule_id == rule.id and p.role == "applies"
                       if not any(t.path in book.files and t.path not in decided for t in p.tests)
                       for t in p.tests if t.path not in known})
        if gaps:
            undecided.append(Undecided(rule=rule.id, missing=gaps))
    return Audit(snapshot=ev.snapshot, as_of=ev.as_of, state=st.name, iso3=st.iso3,
                 standing=standing(st, ev.as_of), findings=ev.findings, undecided=undecided,
                 out_of_force=out_of_force)
