"""`ccmcheck report`: the progress report as a document people read, in Markdown or HTML.

Everything in it comes from the engine: the findings (`evaluate`), the published
figures against what the findings give (`reconcile`) and the findings whose status
changed during the reporting period (`changes`). The document follows the
progress report's layout: a summary by thematic area, then one table per area
(the report's Section III A-G), then the contradictions the snapshot records.

Rules are placed in areas by their id, never by a list of ids: `art17.*`,
`art15.*` and `dap.1.*` are Universalization, `art3.*` and `dap.2.*` Stockpile
destruction, and so on (`AREAS`). A published figure goes with the first rule its
measure names; a figure no rule computes goes to the area its `where` (or `id`)
mentions (a table, a paragraph, a section or a subject), else to a list of its own.

The HTML is one self-contained file (inline CSS and inline SVG charts, see
`charts.py`, no scripts and no network) and byte-identical from run to run.
"""
from __future__ import annotations

import html as _html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate
from ..engine.changes import Change, changes
from ..errors import InputError
from ..facts.loader import FactBase
from ..engine.reconcile import ContradictionResult, FigureResult, reconcile
from ..engine.results import STATUS_ORDER, Evaluation
from ..rules.loader import RuleBook
from ..rules.model import Rule

if TYPE_CHECKING:  # annotations only: charts imports matplotlib, which only HTML needs
    import argparse

    from . import charts


@dataclass(frozen=True)
class AreaDef:
    letter: str
    title: str
    articles: tuple[str, ...]  # first segments of rule ids, e.g. "art3"
    dap_section: str  # the DAP section number, e.g. "2" for dap.2.*
    paragraphs: tuple[int, int]  # the report's paragraphs on the area (Section III)
    keywords: str  # a regular expression for a `where` or `id` that names the area


AREAS: tuple[AreaDef, ...] = (
    AreaDef("A", "Universalization", ("art17", "art15"), "1", (3, 15), r"universali[sz]|signator|states? parties? (to|total)"),
    AreaDef("B", "Stockpile destruction and retention", ("art3",), "2", (16, 27), r"stockpile|retention|retain|art(icle|\.)? ?3\b"),
    AreaDef("C", "Clearance and risk reduction education", ("art4",), "3", (28, 42),
            r"clearance|risk (reduction )?education|contaminat|art(icle|\.)? ?4\b"),
    AreaDef("D", "Victim assistance", ("art5",), "4", (43, 63), r"victim|art(icle|\.)? ?5\b"),
    AreaDef("E", "International cooperation and assistance", ("art6",), "5", (64, 82),
            r"cooperation|assistance|donor|partnership|art(icle|\.)? ?6\b"),
    AreaDef("F", "Transparency measures", ("art7",), "6", (83, 92),
            r"transparen|initial report|annual report|reporting|art(icle|\.)? ?7\b"),
    AreaDef("G", "National implementation measures", ("art9",), "7", (93, 99),
            r"national implementation|\bnim\b|legislation|art(icle|\.)? ?9\b"),
)
OTHER = AreaDef("H", "Other rules", (), "", (0, -1), r"(?!)")

# Dubrovnik Action Plan actions, numbered as in the 7MSP report's tables (shared/sources/ccm-legal-rules.md §2).
DAP_ACTIONS: dict[str, str] = {
    "1.1": "Increase adherence with the Convention", "1.2": "Promote the universalization",
    "1.3": "Reinforce the norms being established by the Convention",
    "2.1": "Develop a resourced plan", "2.2": "Increase exchanges of promising practices",
    "2.3": "Apply an appropriate approach to retention",
    "2.4": "Announce declaration of compliance (on stockpile destruction)", "2.5": "Act upon unexpected developments",
    "3.1": "Assess the extent of the problem", "3.2": "Protect people from harm", "3.3": "Develop a resourced plan",
    "3.4": "Be inclusive when developing the response",
    "3.5": "Manage information for analysis, decision-making and reporting",
    "3.6": "Provide support, assist and cooperate", "3.7": "Apply practice development",
    "3.8": "Promote and expand cooperation",
    "4.1": "Strengthen national capacity", "4.2": "Increase the involvement of victims", "4.3": "Share information",
    "4.4": "Provide support, assist and cooperate",
    "5.1": "Strengthen partnerships at all levels", "5.2": "Communicate challenges and seek assistance",
    "5.3": "Evidence-based needs for better results", "5.4": "Take ownership",
    "5.5": "Respond constructively to requests for assistance",
    "5.6": "Make use of existing tools, cost efficiency and effectiveness", "5.7": "Support implementation support",
    "6.1": "Report in time, initially and annually", "6.2": "Make practical use of reporting",
    "7.1": "Enact national legislation to implement the CCM", "7.2": "Highlight challenges and request assistance",
    "7.3": "Raise awareness of national implementation measures",
}
VERDICTS = ("match", "undetermined", "mismatch", "contradiction", "not_computed")
STATUS_LABELS = {"met": "met", "met_late": "met late", "overdue": "overdue", "pending": "pending", "unknown": "unknown"}
NO_FINDING = "no finding"
LONG_LIST = 12  # HTML: longer lists of States are folded into <details>


def area_of_rule(rule_id: str) -> AreaDef:
    """The thematic area a rule belongs to, from its id's prefix."""
    parts = rule_id.split(".")
    for a in AREAS:
        if parts[0] in a.articles:
            return a
        if parts[0] == "dap" and len(parts) > 1 and parts[1] == a.dap_section:
            return a
    return OTHER


def dap_action(rule_id: str) -> tuple[str, str] | None:
    """(action number, paragraph letter) of a `dap.<section>.<action>[letter].<slug>` id."""
    m = re.match(r"^dap\.(\d+)\.(\d+)([a-z]*)\.", rule_id)
    return (f"{m.group(1)}.{m.group(2)}", m.group(3)) if m else None


def area_of_text(*texts: str) -> AreaDef | None:
    """The area a figure's `where` (or, failing that, its `id`) names: a table,
    a paragraph or section III letter of the report, else a subject."""
    for text in texts:
        t = text.lower()
        m = re.search(r"\btable\s*(\d+)", t)
        if m and 1 <= int(m.group(1)) <= len(AREAS):
            return AREAS[int(m.group(1)) - 1]
        for m in re.finditer(r"(?:\bparas?\.?|\bparagraphs?|#)\s*(\d+)", t):
            for a in AREAS:
                if a.paragraphs[0] <= int(m.group(1)) <= a.paragraphs[1]:
                    return a
        m = re.search(r"\biii\.?\s*([a-g])\b", t)
        if m:
            return AREAS["abcdefg".index(m.group(1))]
        for a in AREAS:
            if re.search(a.keywords, t):
                return a
    return None


@dataclass(frozen=True)
class Row:
    """One rule in an area's table."""

    rule: Rule
    action: str  # "1.1" for DAP rules, "" for the Convention's articles
    action_title: str
    by_status: dict[str, list[str]]  # status -> State names (every status, maybe empty)
    target_note: str  # for a Convention-wide target: what its finding says
    tallied: list[str]  # for a Convention-wide target: the States it counts
    figures: list[FigureResult]
    changed: list[tuple[str, list[str]]]  # ("pending → met", names)

    @property
    def action_label(self) -> str:
        return f"{self.action} {self.action_title}" if self.action else self.action_title


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
        return f"{self.area.letter}. {self.area.title}"


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
    facts: FactBase = field(repr=False)
    book: RuleBook = field(repr=False)
    evaluation: Evaluation = field(repr=False)


def _by_name(names: list[str]) -> list[str]:
    """Alphabetical as a reader expects: Côte d'Ivoire between Costa Rica and Croatia."""
    return sorted(names, key=lambda n: (unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode().casefold(), n))


def _change_label(ch: Change) -> str:
    return f"{STATUS_LABELS[ch.before] if ch.before else NO_FINDING} → {STATUS_LABELS[ch.after] if ch.after else NO_FINDING}"


def build(facts: FactsArg, *, rules: RulesArg = None, engine: str = "durable") -> Report:
    """Evaluate, reconcile and compare the snapshot, and arrange the results by area."""
    fb, book = as_factbase(facts), as_rulebook(rules)
    ev = evaluate(fb, rules=book, engine=engine)
    rec = reconcile(fb, rules=book, engine=engine)
    chg = changes(fb, rules=book, engine=engine)
    names = {st.iso3: st.name for st in fb.states}

    by_rule: dict[str, dict[str, list[str]]] = {r.id: {s: [] for s in STATUS_ORDER} for r in book.rules}
    target_note: dict[str, str] = {}
    for f in ev.findings:
        by_rule[f.rule][f.status].append(f.state)
        if f.iso3 is None:
            target_note[f.rule] = f"{STATUS_LABELS[f.status]}: {f.explanation}"
    figures_of: dict[str, list[FigureResult]] = {}
    loose: dict[str, list[FigureResult]] = {}
    unplaced: list[FigureResult] = []
    snap_figs = {f.id: f for f in fb.snapshot.published}
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
    changed: dict[str, dict[str, list[str]]] = {}
    for ch in chg.changes:
        changed.setdefault(ch.rule, {}).setdefault(_change_label(ch), []).append(ch.state)

    def row(r: Rule) -> Row:
        act = dap_action(r.id)
        number, title = (act[0], DAP_ACTIONS.get(act[0], f"{r.source.instrument} {r.source.provision}")) if act \
            else ("", f"{r.source.instrument} {r.source.provision}")
        if act and act[1]:
            title += f", para ({act[1]})"
        return Row(rule=r, action=number, action_title=title,
                   by_status={s: _by_name(v) for s, v in by_rule[r.id].items()},
                   target_note=target_note.get(r.id, ""),
                   tallied=_by_name([names.get(i, i) for i in ev.tallies.get(r.id, [])]),
                   figures=figures_of.get(r.id, []),
                   changed=[(label, _by_name(states)) for label, states in sorted(changed.get(r.id, {}).items())])

    def order(r: Rule) -> tuple:
        act = dap_action(r.id)
        if act is None:
            return (0, 0, 0, r.id)
        major, minor = act[0].split(".")
        return (1, int(major), int(minor), r.id)

    grouped: dict[str, list[Rule]] = {}
    for r in book.rules:
        grouped.setdefault(area_of_rule(r.id).letter, []).append(r)
    areas = [AreaReport(a, [row(r) for r in sorted(grouped.get(a.letter, []), key=order)], loose.get(a.letter, []))
             for a in AREAS]
    if grouped.get(OTHER.letter):
        areas.append(AreaReport(OTHER, [row(r) for r in sorted(grouped[OTHER.letter], key=order)], []))
    snap = fb.snapshot
    return Report(title=snap.title, as_of=ev.as_of, period=(snap.period.start, snap.period.end), engine=engine,
                  n_states=len(fb.states), areas=areas, unplaced=unplaced, contradictions=rec.contradictions,
                  figures=rec.figures, facts=fb, book=book, evaluation=ev)


# ---------------------------------------------------------------- shared wording

def long_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def computed(f: FigureResult) -> str:
    if f.low is None:
        return "not computed"
    return str(f.low) if f.low == f.high else f"{f.low}–{f.high}"


def verdict_tally(figures: list[FigureResult]) -> dict[str, int]:
    return {v: sum(1 for f in figures if f.verdict == v) for v in VERDICTS}


def _verdict_text(f: FigureResult) -> str:
    return f.verdict.replace("_", " ")


def _counts_line(row: Row) -> str:
    return ", ".join(f"{len(row.by_status[s])} {STATUS_LABELS[s]}" for s in STATUS_ORDER if row.by_status[s]) or "no findings"


def _intro(rep: Report) -> list[str]:
    return [f"As of {long_date(rep.as_of)}; reporting period {long_date(rep.period[0])} to {long_date(rep.period[1])}.",
            f"Generated by `ccmcheck report` (engine: {rep.engine}) from the facts on {rep.n_states} States and "
            f"{len(rep.book.rules)} rules; every count below is computed, and each figure the progress report "
            "publishes is set against what the facts give (match: exactly; undetermined: within the range unknown "
            "facts leave; mismatch: outside it; contradiction: the report gives another figure for the same thing; "
            "not computed: no rule models it)."]


# ---------------------------------------------------------------- Markdown

def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _md_figure(f: FigureResult) -> str:
    out = f"`{f.id}` “{f.text}” ({f.where}): published {f.published}, computed {computed(f)}: **{_verdict_text(f)}**"
    if f.verdict == "not_computed" and f.note:
        out += f" ({f.note})"
    elif f.note:
        out += f"; {f.note}"
    return out


def _md_states(row: Row) -> str:
    if row.target_note:
        return f"{row.target_note}\ncounted ({len(row.tallied)}): {', '.join(row.tallied)}" if row.tallied else row.target_note
    parts = [f"**{STATUS_LABELS[s]} ({len(v)})**: {', '.join(v)}" for s, v in row.by_status.items() if v]
    return "\n".join(parts) or "no findings"


def _md_changes(row: Row) -> str:
    return "\n".join(f"{label} ({len(v)}): {', '.join(v)}" for label, v in row.changed) or "no change"


def markdown(rep: Report) -> str:
    out = [f"# {rep.title}", "", *_intro(rep), "",
           "Charts (States Parties over time, Article 7 reporting, Article 7 over time, deadlines per State) are in the HTML version: "
           "`ccmcheck report FACTS_DIR --format html`.", "",
           "## I. Summary by thematic area", ""]
    rows = []
    for ar in rep.areas:
        t = verdict_tally(ar.figures)
        rows.append([f"[{ar.heading}](#{ar.anchor})", str(len(ar.rows)), str(len(ar.figures))] + [str(t[v]) for v in VERDICTS])
    out += [_md_table(["thematic area", "rules", "published figures", *[v.replace("_", " ") for v in VERDICTS]], rows)]
    for ar in rep.areas:
        out += [f"### Summary: {ar.heading}", ""]
        if ar.rows:
            out += [_md_table(["rule", *[STATUS_LABELS[s] for s in STATUS_ORDER]],
                              [[f"`{r.rule.id}`", *[str(len(r.by_status[s])) for s in STATUS_ORDER]] for r in ar.rows])]
        else:
            out += ["No rule covers this area yet.", ""]
        if ar.figures:
            out += [_md_table(["the report says", "where", "published", "computed", "verdict"],
                              [[f"“{f.text}”", f.where, str(f.published), computed(f), f"**{_verdict_text(f)}**"]
                               for f in ar.figures])]
        else:
            out += ["No published figure is recorded for this area.", ""]
    out += ["## II. Progress by thematic area", ""]
    for ar in rep.areas:
        out += [f"### {ar.heading}", "", f"<a id=\"{ar.anchor}\"></a>", ""]
        if ar.rows:
            out += [_md_table(["DAP action", "rule", "findings by status, with the States", "published figures",
                               f"changed {rep.period[0]} to {rep.as_of}"],
                              [[r.action_label, f"`{r.rule.id}`\n{r.rule.title}\n({r.rule.source.instrument} {r.rule.source.provision})",
                                _md_states(r), "\n".join(_md_figure(f) for f in r.figures) or "–", _md_changes(r)]
                               for r in ar.rows])]
        else:
            out += ["No rule covers this area yet.", ""]
        if ar.loose_figures:
            out += ["Published figures no rule computes:", ""] + [f"- {_md_figure(f)}" for f in ar.loose_figures] + [""]
    if rep.unplaced:
        out += ["## Figures no rule computes, in no area", ""] + [f"- {_md_figure(f)}" for f in rep.unplaced] + [""]
    out += ["## III. Contradictions in the report", ""]
    out += [f"- {_contradiction_text(rep, c)}" for c in rep.contradictions] or ["None recorded."]
    return "\n".join(out) + "\n"


def _contradiction_text(rep: Report, c: ContradictionResult) -> str:
    by_id = {f.id: f for f in rep.figures}
    figs = " vs ".join(f"`{i}` ({by_id[i].published}, {by_id[i].where})" if i in by_id else f"`{i}`" for i in c.figures)
    return f"{figs} [{c.source}]: {c.note}" if c.note else f"{figs} [{c.source}]"


# ---------------------------------------------------------------- HTML

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;line-height:1.45;color:#1a1a1a;
background:#fff;margin:0}
main{max-width:80rem;margin:0 auto;padding:1.5rem 2rem 4rem}
h1{font-size:1.7rem;margin:.5rem 0}h2{font-size:1.35rem;margin-top:2.5rem;border-bottom:2px solid #345;padding-bottom:.2rem}
h3{font-size:1.15rem;margin-top:2rem}
.meta{color:#333;max-width:60rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem;font-size:.88rem}
caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top}
th,td{border:1px solid #bbb;padding:.3rem .45rem;vertical-align:top;text-align:left}
thead th{background:#e8edf3}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#888}
code{font-size:.85em;background:#f2f2f2;padding:0 .2em;border-radius:3px}
.rule-title{display:block;margin-top:.15rem}
.cite{display:block;color:#555;font-size:.85em}
.status{display:block;margin-bottom:.25rem}
.verdict{display:inline-block;padding:0 .35em;border-radius:3px;font-weight:600;font-size:.85em;border:1px solid}
.v-match{background:#e3f4ea;border-color:#1b7a43;color:#0f5a2f}
.v-undetermined{background:#fff4d6;border-color:#a8730a;color:#6b4800}
.v-mismatch{background:#fde4e1;border-color:#b3261e;color:#8c1d17}
.v-contradiction{background:#efe5f7;border-color:#6a3d9a;color:#4b2a6e}
.v-not_computed{background:#eee;border-color:#777;color:#333}
ul.figs{margin:.2rem 0;padding-left:1.1rem}
details summary{cursor:pointer}
figure{margin:1rem 0 2rem}
figure svg{width:100%;height:auto;max-width:60rem;display:block}
figcaption{font-size:.9rem;color:#333;max-width:60rem}
"""


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _h_verdict(f: FigureResult) -> str:
    return f'<span class="verdict v-{_e(f.verdict)}">{_e(_verdict_text(f))}</span>'


def _h_figure(f: FigureResult) -> str:
    note = f' <span class="cite">{_e(f.note)}</span>' if f.note else ""
    return (f'“{_e(f.text)}” <span class="cite">{_e(f.where)}; <code>{_e(f.id)}</code></span>'
            f"published <strong>{f.published}</strong>, computed <strong>{_e(computed(f))}</strong>: {_h_verdict(f)}{note}")


def _h_names(label: str, names: list[str]) -> str:
    listed = _e(", ".join(names))
    if len(names) > LONG_LIST:
        return f'<details class="status"><summary><strong>{_e(label)} ({len(names)})</strong></summary>{listed}</details>'
    return f'<span class="status"><strong>{_e(label)} ({len(names)})</strong>: {listed}</span>'


def _h_states(row: Row) -> str:
    if row.target_note:
        out = f'<span class="status">{_e(row.target_note)}</span>'
        return out + (_h_names("States counted", row.tallied) if row.tallied else "")
    parts = [_h_names(STATUS_LABELS[s], v) for s, v in row.by_status.items() if v]
    return "".join(parts) or "no findings"


def _h_changes(row: Row) -> str:
    return "".join(_h_names(label, v) for label, v in row.changed) or '<span class="cite">no change</span>'


def _h_figures(figs: list[FigureResult]) -> str:
    if not figs:
        return '<span class="cite">–</span>'
    return '<ul class="figs">' + "".join(f"<li>{_h_figure(f)}</li>" for f in figs) + "</ul>"


def _h_table(caption: str, header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{h}</th>' for i, h in enumerate(header))
    body = []
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            if i == 0:
                cells.append(f'<th scope="row">{c}</th>')
            elif i in numeric:
                cells.append(f'<td class="num{" zero" if c == "0" else ""}">{c}</td>')
            else:
                cells.append(f"<td>{c}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>\n")


def _h_chart(chart: charts.Chart) -> str:
    return (f'<figure id="{chart.key}">\n{chart.svg}\n<figcaption><strong>{_e(chart.title)}.</strong> '
            f"{_e(chart.caption)}</figcaption></figure>\n")


def html(rep: Report) -> str:
    from . import charts  # matplotlib is only needed here

    made = charts.all_charts(rep.facts, rep.book, rep.evaluation)
    p = []
    p.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             f"<title>{_e(rep.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n")
    p.append(f"<header><h1>{_e(rep.title)}</h1>\n" + "".join(
        f"<p class=\"meta\">{_e(x).replace('`ccmcheck report`', '<code>ccmcheck report</code>')}</p>\n" for x in _intro(rep))
        + "</header>\n")
    glance = '<ol><li><a href="#at-a-glance">At a glance: charts</a></li></ol>' if made else ""
    toc = [f'<li><a href="#summary">I. Summary by thematic area</a>{glance}</li>', '<li><a href="#progress">II. Progress by thematic area</a><ol>']
    toc += [f'<li><a href="#{ar.anchor}">{_e(ar.heading)}</a></li>' for ar in rep.areas]
    toc += ["</ol></li>", '<li><a href="#contradictions">III. Contradictions in the report</a></li>']
    p.append('<nav aria-label="Contents"><h2>Contents</h2><ol>' + "".join(toc) + "</ol></nav>\n")

    # I. Summary
    p.append('<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">I. Summary by thematic area</h2>\n')
    rows = []
    for ar in rep.areas:
        t = verdict_tally(ar.figures)
        rows.append([f'<a href="#{ar.anchor}">{_e(ar.heading)}</a>', str(len(ar.rows)), str(len(ar.figures))]
                    + [str(t[v]) for v in VERDICTS])
    p.append(_h_table("Rules and published figures per thematic area, with the figures' verdicts",
                      ["Thematic area", "Rules", "Published figures", *[v.replace("_", " ").capitalize() for v in VERDICTS]],
                      rows, set(range(1, 3 + len(VERDICTS)))))
    if made:
        p.append('<h3 id="at-a-glance">At a glance</h3>\n')
        p.extend(_h_chart(c) for c in made)
    for ar in rep.areas:
        p.append(f"<h3>{_e(ar.heading)}</h3>\n")
        if ar.rows:
            p.append(_h_table(f"{_e(ar.heading)}: findings per rule and status, as of {rep.as_of}",
                              ["Rule", *[STATUS_LABELS[s].capitalize() for s in STATUS_ORDER]],
                              [[f"<code>{_e(r.rule.id)}</code> <span class=\"cite\">{_e(r.rule.title)}</span>",
                                *[str(len(r.by_status[s])) for s in STATUS_ORDER]] for r in ar.rows],
                              set(range(1, 1 + len(STATUS_ORDER)))))
        else:
            p.append("<p>No rule covers this area yet.</p>\n")
        if ar.figures:
            p.append(_h_table(f"{_e(ar.heading)}: the figures the report publishes, against what the facts give",
                              ["The report says", "Where", "Published", "Computed", "Verdict"],
                              [[f"“{_e(f.text)}”", _e(f.where), str(f.published), _e(computed(f)), _h_verdict(f)]
                               for f in ar.figures], {2, 3}))
        else:
            p.append("<p>No published figure is recorded for this area.</p>\n")
    p.append("</section>\n")

    # II. Progress per area
    p.append('<section id="progress" aria-labelledby="progress-h"><h2 id="progress-h">II. Progress by thematic area</h2>\n'
             f"<p>Per area, one row per rule: the DAP action (or the Convention's article) it checks, the findings by "
             f"status with the States behind each count, the figures the report publishes on it with their verdicts, "
             f"and the findings whose status changed between {rep.period[0] - timedelta(days=1)} and {rep.as_of}.</p>\n")
    for ar in rep.areas:
        p.append(f'<section id="{ar.anchor}" aria-labelledby="{ar.anchor}-h"><h3 id="{ar.anchor}-h">{_e(ar.heading)}</h3>\n')
        if ar.rows:
            rows = [[f"{_e(r.action_label)}",
                     f"<code>{_e(r.rule.id)}</code><span class=\"rule-title\">{_e(r.rule.title)}</span>"
                     f"<span class=\"cite\">{_e(r.rule.source.instrument)} {_e(r.rule.source.provision)}</span>",
                     _h_states(r), _h_figures(r.figures), _h_changes(r)] for r in ar.rows]
            p.append(_h_table(f"Table {ar.area.letter}: {_e(ar.area.title)}, as of {rep.as_of}",
                              ["DAP action", "Rule", "Findings by status (States)", "Published figures and verdicts",
                               "Changed during the period"], rows))
        else:
            p.append("<p>No rule covers this area yet.</p>\n")
        if ar.loose_figures:
            p.append(f"<p>Published figures no rule computes:</p>{_h_figures(ar.loose_figures)}\n")
        p.append("</section>\n")
    if rep.unplaced:
        p.append(f'<section id="unplaced"><h3>Figures no rule computes, in no area</h3>{_h_figures(rep.unplaced)}</section>\n')
    p.append("</section>\n")

    # III. Contradictions
    p.append('<section id="contradictions" aria-labelledby="contradictions-h">'
             '<h2 id="contradictions-h">III. Contradictions in the report</h2>\n')
    if rep.contradictions:
        by_id = {f.id: f for f in rep.figures}
        items = []
        for c in rep.contradictions:
            figs = " vs ".join(f"<code>{_e(i)}</code> ({by_id[i].published}, {_e(by_id[i].where)})" if i in by_id
                               else f"<code>{_e(i)}</code>" for i in c.figures)
            items.append(f"<li>{figs} <span class=\"cite\">{_e(c.source)}</span>{_e(c.note)}</li>")
        p.append("<ul>" + "".join(items) + "</ul>\n")
    else:
        p.append("<p>None recorded.</p>\n")
    p.append("</section>\n</main>\n</body>\n</html>\n")
    return "".join(p)


def render(rep: Report, fmt: str) -> str:
    return html(rep) if fmt == "html" else markdown(rep)


def arguments(sp: argparse.ArgumentParser, engines: tuple[str, ...]) -> None:
    """The `ccmcheck report` arguments (kept here so cli.py gains only a line or two)."""
    sp.add_argument("facts", metavar="FACTS_DIR")
    sp.add_argument("--format", choices=("markdown", "html"), default="markdown")
    sp.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: standard output)")
    sp.add_argument("--rules", metavar="DIR", help="rules folder (default: the bundled rules)")
    sp.add_argument("--engine", choices=engines, default="durable")


def command(facts: FactsArg, fmt: str, path: str | None, *, rules: RulesArg = None, engine: str = "durable") -> str:
    """`ccmcheck report`: the text to print, or "" once written to `path`."""
    if path is not None and not Path(path).resolve().parent.is_dir():  # say so before the work, not after
        raise InputError.single(path, "", "", "cannot write the report: no such folder")
    return output(render(build(facts, rules=rules, engine=engine), fmt), path)


def output(text: str, path: str | None) -> str:
    """Write the report to `path` and return nothing to print, or return it for standard output."""
    if path is None:
        return text
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as e:
        raise InputError.single(path, "", "", f"cannot write the report: {e.strerror or e}") from None
    return ""
