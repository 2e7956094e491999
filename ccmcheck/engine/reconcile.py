"""Reproduce the figures a progress report publishes, figure by figure.

For each figure the snapshot lists, the engine's findings give the States
that surely count and those that might (their facts are unknown), hence a
range. Verdicts: `match` (the range is exactly the figure), `undetermined`
(the figure lies inside the range), `mismatch` (outside it), `contradiction`
(the report gives another figure for the same thing), `not_computed` (no rule
models it; the snapshot says why).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate
from ..errors import InputError, Problem
from ..facts.model import Figure, Measure
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
                   evaluate(fb, day_before, rules=book, engine=engine) if needs_start else None)


def compare(fb: FactBase, book: RuleBook, end_ev: Evaluation, start_ev: Evaluation | None) -> Reconciliation:
    """The figures against two evaluations already made: as of the snapshot's date and as of the day before its
    period began (`None` when no figure counts changes during the period)."""
    snap = fb.snapshot
    _check_references(snap.published, {r.id: r.kind for r in book.rules}, str(fb.path / "snapshot.yaml"))
    end, start = _index(end_ev), (_index(start_ev) if start_ev is not None else {})
    names = {st.iso3: st.name for st in fb.states}
    in_contradiction = {fid for c in snap.contradictions for fid in c.figures}
    results = []
    for fig in snap.published:
        m = fig.measure
        if m is None:
            results.append(FigureResult(id=fig.id, where=fig.where, text=fig.text, source=fig.source, published=fig.value,
                                        low=None, high=None, verdict="not_computed", counted=[], possible=[],
                                        note=fig.not_computed or ""))
            continue
        if m.shortfall is not None:
            target = book.get(m.shortfall).target or 0
            sure, maybe = [], []
            low = high = max(target - len(end_ev.tallies[m.shortfall]), 0)
        else:
            sure, maybe = _count(m, end, start)
            low, high = len(sure), len(sure) + len(maybe)
        same = [o.id for o in snap.published if o.measure == m and o.value != fig.value]
        if fig.id in in_contradiction or same:
            verdict: Verdict = "contradiction"
        elif low == high == fig.value:
            verdict = "match"
        elif low <= fig.value <= high:
            verdict = "undetermined"
        else:
            verdict = "mismatch"
        note = "; ".join(filter(None, [fig.note, f"the same measure is published as {', '.join(same)}" if same else ""]))
        results.append(FigureResult(id=fig.id, where=fig.where, text=fig.text, source=fig.source, published=fig.value,
                                    low=low, high=high, verdict=verdict, counted=sorted(names[i] for i in sure),
                                    possible=sorted(names[i] for i in maybe), note=note))
    return Reconciliation(snapshot=snap.title, as_of=snap.as_of.isoformat(), period_start=snap.period.start.isoformat(),
                          figures=results, contradictions=[ContradictionResult(figures=c.figures, source=c.source, note=c.note)
                                                           for c in snap.contradictions])
