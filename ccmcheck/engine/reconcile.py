"""Reproduce the figures a progress report publishes, figure by figure.

For each figure the snapshot lists, the engine's findings on the date the
figure describes (its `as_of`, else the snapshot's) give the States that
surely count and those that might (their facts are unknown), hence a range.
Verdicts: `match` (the range is exactly the figure), `undetermined` (the
figure lies inside the range), `mismatch` (outside it), `contradiction`
(another figure published for the same thing on the same date differs, and
the facts do not reproduce this one), `not_computed` (no rule models it; the
snapshot says why). A figure the facts reproduce is `match` even when another
figure contradicts it; each contradiction is reported once, naming the
figures the facts support.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict

from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate
from ..errors import InputError, Problem
from ..facts.model import Contradiction, Figure, Measure
from .results import Document, Evaluation
from ..facts.loader import FactBase
from ..rules.loader import RuleBook
from ..rules.model import KIND_STATUSES

Verdict = Literal["match", "undetermined", "mismatch", "contradiction", "not_computed"]


class FigureResult(BaseModel):
    """One published figure against what the facts and rules compute.

    Example: `[f.id for f in ccmcheck.reconcile("2017").figures if f.verdict != "match"]`
    """

    model_config = ConfigDict(frozen=True)

    id: str
    where: str
    text: str
    source: str
    published: int
    as_of: str  # the date the figure describes, at which it is computed
    low: int | None
    high: int | None
    verdict: Verdict
    counted: list[str]
    possible: list[str]
    note: str


class ContradictionResult(BaseModel):
    """Figures the published report gives for the same thing that disagree.

    Example: `ccmcheck.reconcile("2017").contradictions[0].figures  # the figure ids that disagree`
    """

    figures: list[str]
    source: str
    note: str
    supported: list[str] = []  # the figures among them that the facts reproduce exactly (verdict `match`)


class Reconciliation(Document):
    """Each figure a snapshot publishes against what the engine computes.

    Example: `ccmcheck.reconcile("2017").to_json()  # each published figure with its verdict`
    """


    snapshot: str
    as_of: str
    period_start: str
    figures: list[FigureResult]
    contradictions: list[ContradictionResult]


Index = dict[str, dict[str, set[str]]]  # iso3 -> rule -> statuses


def _index(ev: Evaluation) -> Index:
    out: Index = {}
    for f in ev.findings:
        if f.iso3 is not None:
            out.setdefault(f.iso3, {}).setdefault(f.rule, set()).add(f.status)
    return out


def _in(found: dict[str, set[str]], m: Measure) -> tuple[bool, bool]:
    """(surely counted, possibly counted) for one State's findings of the measure's rules."""
    statuses = set().union(*(found.get(r, set()) for r in m.rules))
    surely = bool(statuses & set(m.statuses))
    return surely, surely or ("unknown" in statuses and "unknown" not in m.statuses)


def _count(m: Measure, end: Index, start: Index) -> tuple[list[str], list[str]]:
    """ISO3 codes surely and possibly (but not surely) counted by a measure."""
    sure, maybe = [], []
    for iso, found in end.items():
        if not any(r in found for r in m.rules) or (m.among and m.among not in found):
            continue
        now_sure, now_maybe = _in(found, m)
        was_sure, was_maybe = _in(start.get(iso, {}), m) if m.changed_during_period else (False, False)
        if now_sure and not was_maybe:
            sure.append(iso)
        elif now_maybe and not was_sure:
            maybe.append(iso)
    return sorted(sure), sorted(maybe)


def _check_references(figures: list[Figure], kinds: dict[str, str], where: str) -> None:
    """Every rule a measure names exists, and every status it counts is one some named rule can give."""
    problems = []
    rule_ids, targets = set(kinds), {r for r, k in kinds.items() if k == "convention-target"}
    for fig in figures:
        m = fig.measure
        if m is None:
            continue
        for field, rid in [("measure.rules", r) for r in m.rules] + [("measure.among", m.among), ("measure.shortfall", m.shortfall)]:
            if rid is not None and rid not in rule_ids:
                problems.append(Problem(where, fig.id, field, f"no rule {rid!r}"))
        possible = {s for r in m.rules if r in kinds for s in KIND_STATUSES[kinds[r]]}
        for s in m.statuses:
            if possible and s not in possible:
                problems.append(Problem(where, fig.id, "measure.statuses", f"{', '.join(m.rules)} never give {s!r}; "
                                        f"they give {', '.join(sorted(possible))}"))
        if m.shortfall is not None and m.shortfall in rule_ids and m.shortfall not in targets:
            problems.append(Problem(where, fig.id, "measure.shortfall", f"{m.shortfall} is not a convention-target rule"))
    if problems:
        raise InputError(problems)


def reconcile(facts: FactsArg, *, rules: RulesArg = None, engine: str = "durable") -> Reconciliation:
    """Every published figure of the snapshot against what the facts and rules compute.

    Example: `ccmcheck.reconcile("2017").figures[0].verdict  # "match"`
    """
    fb, book = as_factbase(facts), as_rulebook(rules)
    snap = fb.snapshot
    day_before = snap.period.start - timedelta(days=1)
    needs_start = any(f.measure is not None and f.measure.changed_during_period for f in snap.published)
    return compare(fb, book, evaluate(fb, snap.as_of, rules=book, engine=engine),
                   evaluate(fb, day_before, rules=book, engine=engine) if needs_start else None,
                   lambda day: evaluate(fb, day, rules=book, engine=engine))


def _same_thing(figures: list[Figure], as_of: date) -> dict[str, list[str]]:
    """figure id -> the other figures published for the same measure on the same date with another value."""
    on = {f.id: f.as_of or as_of for f in figures}
    return {f.id: [o.id for o in figures if o.measure == f.measure and on[o.id] == on[f.id] and o.value != f.value]
            for f in figures if f.measure is not None}


def _contradictions(snap_contradictions: list[Contradiction], same: dict[str, list[str]], results: list[FigureResult]
                    ) -> list[ContradictionResult]:
    """The snapshot's contradictions, then each disagreement it does not list, once; each names the figures the
    facts reproduce."""
    verdict = {r.id: r.verdict for r in results}
    by_id = {r.id: r for r in results}
    out = [ContradictionResult(figures=c.figures, source=c.source, note=c.note,
                               supported=[i for i in c.figures if verdict.get(i) == "match"]) for c in snap_contradictions]
    listed = [set(c.figures) for c in out]
    for fid, others in same.items():
        group = sorted({fid, *others})
        if others and not any(set(group) <= seen for seen in listed):
            listed.append(set(group))
            out.append(ContradictionResult(
                figures=group, source="; ".join(dict.fromkeys(by_id[i].source for i in group)),
                note=f"published for the same measure as of {by_id[fid].as_of} with different values",
                supported=[i for i in group if verdict.get(i) == "match"]))
    return out


def compare(fb: FactBase, book: RuleBook, end_ev: Evaluation, start_ev: Evaluation | None,
            evaluate_on: Callable[[date], Evaluation]) -> Reconciliation:
    """The figures against evaluations already made (as of the snapshot's date, and as of the day before its period
    began, `None` when no figure counts changes during the period); `evaluate_on` evaluates on the other dates
    that figures describe, each date once."""
    snap = fb.snapshot
    _check_references(snap.published, {r.id: r.kind for r in book.rules}, str(fb.path / "snapshot.yaml"))
    evaluations: dict[date, Evaluation] = {snap.as_of: end_ev}
    indexes: dict[date, Index] = {}
    start = _index(start_ev) if start_ev is not None else {}
    names = {st.iso3: st.name for st in fb.states}
    in_contradiction = {fid for c in snap.contradictions for fid in c.figures}
    same = _same_thing(snap.published, snap.as_of)
    results = []
    for fig in snap.published:
        m, on = fig.measure, fig.as_of or snap.as_of
        if m is None:
            results.append(FigureResult(id=fig.id, where=fig.where, text=fig.text, source=fig.source, published=fig.value,
                                        as_of=on.isoformat(), low=None, high=None, verdict="not_computed", counted=[],
                                        possible=[], note=fig.not_computed or ""))
            continue
        if on not in evaluations:
            evaluations[on] = evaluate_on(on)
        ev = evaluations[on]
        if m.shortfall is not None:
            target = book.get(m.shortfall).target or 0
            sure, maybe = [], []
            low = high = max(target - len(ev.tallies[m.shortfall]), 0)
        else:
            if on not in indexes:
                indexes[on] = _index(ev)
            sure, maybe = _count(m, indexes[on], start)
            low, high = len(sure), len(sure) + len(maybe)
        if low == high == fig.value:
            verdict: Verdict = "match"
        elif fig.id in in_contradiction or same[fig.id]:
            verdict = "contradiction"
        elif low <= fig.value <= high:
            verdict = "undetermined"
        else:
            verdict = "mismatch"
        note = "; ".join(filter(None, [fig.note, f"the same measure is published as {', '.join(same[fig.id])}"
                                       if same[fig.id] else ""]))
        results.append(FigureResult(id=fig.id, where=fig.where, text=fig.text, source=fig.source, published=fig.value,
                                    as_of=on.isoformat(), low=low, high=high, verdict=verdict,
                                    counted=sorted(names[i] for i in sure), possible=sorted(names[i] for i in maybe),
                                    note=note))
    return Reconciliation(snapshot=snap.title, as_of=snap.as_of.isoformat(), period_start=snap.period.start.isoformat(),
                          figures=results, contradictions=_contradictions(snap.contradictions, same, results))
