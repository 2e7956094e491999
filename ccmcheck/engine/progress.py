"""The progress report's content: what it says, area by area, with no formatting.

Everything comes from two evaluations, each made once: as of the snapshot's date
and as of the day before its reporting period began. From them: the findings, the
published figures against what the findings give (`reconcile.compare`), the
findings whose status changed during the period (`changes.compare`) and the
scorecard. Per thematic area (`areas.AREAS`): headline figures (each Convention
obligation's findings by status, the Convention-wide targets, a summary of the DAP
indicators), then one row per rule. A published figure goes with the first rule
its measure names; a figure no rule computes goes to the area its `where` (or `id`)
mentions, else to a list of its own. Markdown and HTML (outputs/) only word it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .areas import AREAS, DAP_ACTIONS, OTHER, AreaDef, area_of_rule, area_of_text, by_name, dap_action
from .changes import Change, compare as compare_changes
from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate
from .reconcile import ContradictionResult, FigureResult, compare as compare_figures
from .results import Evaluation
from .scorecard import Scorecard, build as build_scorecard, cell_status
from .results import DONE, ordered
from ..facts.loader import FactBase
from ..rules.loader import RuleBook
from ..rules.kinds import is_indicator
from ..rules.model import Rule


@dataclass(frozen=True)
class Row:
    """One rule in an area's table."""

    rule: Rule
    action: str  # "1.1" for DAP rules, "" for the Convention's articles
    action_title: str
    by_status: dict[str, list[str]]  # status -> State names, the statuses its findings have, in reading order
    target_note: tuple[str, str] | None  # for a Convention-wide target: (status, what its finding says)
    tallied: list[str]  # for a Convention-wide target: the States it counts
    figures: list[FigureResult]
    changed: list[tuple[str | None, str | None, list[str]]]  # (status before, status after, names); None: no finding

    @property
    def action_label(self) -> str:
        return f"{self.action} {self.action_title}" if self.action else self.action_title

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.by_status.values())

    @property
    def done(self) -> int:
        return sum(len(v) for s, v in self.by_status.items() if s in DONE)


@dataclass(frozen=True)
class IndicatorSummary:
    """The DAP indicators of an area at a glance: their findings by status, the most and least often done."""

    rules: int
    states: int
    by_status: dict[str, int]
    most: Row | None
    least: Row | None


@dataclass(frozen=True)
class AreaReport:
    area: AreaDef
    rows: list[Row]
    loose_figures: list[FigureResult]  # figures no rule computes, placed here by what they mention

    @property
    def figures(self) -> list[FigureResult]:
        return [f for r in self.rows for f in r.figures] + self.loose_figures

    @property
    def anchor(self) -> str:
        return f"area-{self.area.letter.lower()}"

    @property
    def heading(self) -> str:
        return self.area.heading

    @property
    def headlines(self) -> list[Row]:
        """The obligations, DAP commitments with a deadline and targets of the area, stated one by one."""
        return [r for r in self.rows if not is_indicator(r.rule)]

    @property
    def indicators(self) -> IndicatorSummary | None:
        rows = [r for r in self.rows if is_indicator(r.rule) and r.total]
        if not rows:
            return None
        counts: dict[str, int] = {}
        for r in rows:
            for s, names in r.by_status.items():
                counts[s] = counts.get(s, 0) + len(names)
        # ranked by the share done among the findings the facts decide: an indicator mostly unknown is no "least"
        share = {r.rule.id: r.done / n for r in rows if (n := r.total - len(r.by_status.get("unknown", [])))}
        rated = sorted((r for r in rows if r.rule.id in share), key=lambda r: (share[r.rule.id], r.done))
        return IndicatorSummary(rules=len(rows), states=len({n for r in rows for v in r.by_status.values() for n in v}),
                                by_status={s: counts[s] for s in ordered(counts)},
                                most=rated[-1] if rated and rated[-1].done else None,
                                least=rated[0] if len(rated) > 1 and share[rated[0].rule.id] < share[rated[-1].rule.id] else None)


@dataclass(frozen=True)
class Report:
    title: str
    as_of: date
    period: tuple[date, date]
    engine: str
    n_states: int
    areas: list[AreaReport]
    unplaced: list[FigureResult]  # figures no rule computes that no area claims
    contradictions: list[ContradictionResult]
    figures: list[FigureResult]
    scorecard: Scorecard
    facts: FactBase = field(repr=False)
    book: RuleBook = field(repr=False)
    evaluation: Evaluation = field(repr=False)


def _order(r: Rule) -> tuple:
    """The Convention's articles first, by provision (Art. 7(1) before 7(2)), then DAP actions by number."""
    act = dap_action(r.id)
    if act is None:
        return (0, 0, 0, r.source.provision, r.id)
    major, minor = act[0].split(".")
    return (1, int(major), int(minor), "", r.id)


def build(facts: FactsArg, *, rules: RulesArg = None, engine: str = "durable", newly_known: bool = False) -> Report:
    """Evaluate the snapshot at its two dates, once each, and arrange what follows by area. The changes
    during the period leave out those from or to `unknown` (what only became known, or stopped being),
    unless `newly_known`."""
    fb, book = as_factbase(facts), as_rulebook(rules)
    snap = fb.snapshot
    day_before = snap.period.start - timedelta(days=1)
    ev = evaluate(fb, snap.as_of, rules=book, engine=engine)
    start_ev = evaluate(fb, day_before, rules=book, engine=engine)
    rec = compare_figures(fb, book, ev, start_ev, lambda day: evaluate(fb, day, rules=book, engine=engine))
    chg = compare_changes(start_ev, ev, fb, before=f"{snap.title}, as of {day_before}", after=f"{snap.title}, as of {snap.as_of}")
    names = {st.iso3: st.name for st in fb.states}

    by_rule: dict[str, dict[str, list[str]]] = {r.id: {} for r in book.rules}
    target_note: dict[str, tuple[str, str]] = {}
    for f in ev.findings:  # an unknown finding overdue when last checked is listed apart (`last_known`)
        by_rule[f.rule].setdefault(cell_status(f) if f.iso3 is not None else f.status, []).append(f.state)
        if f.iso3 is None:
            target_note[f.rule] = (f.status, f.explanation)
    figures_of: dict[str, list[FigureResult]] = {}
    loose: dict[str, list[FigureResult]] = {}
    unplaced: list[FigureResult] = []
    snap_figs = {f.id: f for f in snap.published}
    for fr in rec.figures:
        m = snap_figs[fr.id].measure
        first = (m.rules[0] if m.rules else m.shortfall) if m is not None else None
        if first is not None:
            figures_of.setdefault(first, []).append(fr)
            continue
        a = area_of_text(fr.where, fr.id)
        if a is None:
            unplaced.append(fr)
        else:
            loose.setdefault(a.letter, []).append(fr)
    changed: dict[str, dict[tuple[str | None, str | None], list[str]]] = {}
    for ch in chg.changes if newly_known else [c for c in chg.changes if "unknown" not in (c.before, c.after)]:
        changed.setdefault(ch.rule, {}).setdefault(_transition(ch), []).append(ch.state)

    def row(r: Rule) -> Row:
        act = dap_action(r.id)
        number, title = (act[0], DAP_ACTIONS.get(act[0], f"{r.source.instrument} {r.source.provision}")) if act \
            else ("", f"{r.source.instrument} {r.source.provision}")
        if act and act[1]:
            title += f", para ({act[1]})"
        found = by_rule[r.id]
        rank = ordered(found)
        return Row(rule=r, action=number, action_title=title,
                   by_status={s: by_name(found[s]) for s in rank},
                   target_note=target_note.get(r.id),
                   tallied=by_name([names.get(i, i) for i in ev.tallies.get(r.id, [])]),
                   figures=figures_of.get(r.id, []),
                   changed=[(b, a, by_name(v)) for (b, a), v in sorted(changed.get(r.id, {}).items(), key=_transition_key)])

    grouped: dict[str, list[Rule]] = {}
    for r in book.rules:
        if book.out_of_force(r.id, ev.as_of) is None:  # a rule out of force gives no finding: the intro says so
            grouped.setdefault(area_of_rule(r.id).letter, []).append(r)
    areas = [AreaReport(a, [row(r) for r in sorted(grouped.get(a.letter, []), key=_order)], loose.get(a.letter, []))
             for a in AREAS]
    if grouped.get(OTHER.letter):
        areas.append(AreaReport(OTHER, [row(r) for r in sorted(grouped[OTHER.letter], key=_order)], []))
    return Report(title=snap.title, as_of=ev.as_of, period=(snap.period.start, snap.period.end), engine=engine,
                  n_states=len(fb.states), areas=areas, unplaced=unplaced, contradictions=rec.contradictions,
                  figures=rec.figures, scorecard=build_scorecard(ev, book), facts=fb, book=book, evaluation=ev)


def _transition(ch: Change) -> tuple[str | None, str | None]:
    return ch.before, ch.after


def _transition_key(item: tuple[tuple[str | None, str | None], list[str]]) -> tuple[str, str]:
    (before, after), _ = item
    return before or "", after or ""
