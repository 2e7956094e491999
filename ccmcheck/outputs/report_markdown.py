"""The report in Markdown: headline figures, the scorecard, progress per area, the verification annex.

The charts are in the HTML version only.
"""
from __future__ import annotations

from ..engine.progress import AreaReport, Report, Row
from ..engine.reconcile import ContradictionResult, FigureResult
from . import breach, legend, scorecard
from .common import change_label, contradiction_text, status_label
from .safe import markdown_text
from .report_wording import (VERDICTS, citation, cited, computed, headline, indicator_headline, intro,
                             verdict_text, verdict_tally)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _figure(f: FigureResult) -> str:
    out = f"`{f.id}` “{f.text}” ({f.where}): published {f.published}, computed {computed(f)}: **{verdict_text(f.verdict)}**"
    if f.verdict == "not_computed" and f.note:
        out += f" ({f.note})"
    elif f.note:
        out += f"; {f.note}"
    return out


def _states(row: Row) -> str:
    if row.target_note is not None:
        lead, _ = headline(row)
        return f"{lead}\ncounted ({len(row.tallied)}): {', '.join(row.tallied)}" if row.tallied else lead
    parts = [f"**{status_label(s)} ({len(v)})**: {', '.join(v)}" for s, v in row.by_status.items()]
    return "\n".join(parts) or "no findings"


def _changes(row: Row) -> str:
    return "\n".join(f"{change_label(b, a)} ({len(v)}): {', '.join(v)}" for b, a, v in row.changed) or "no change"


def _headlines(ar: AreaReport) -> list[str]:
    out = []
    for r in ar.headlines:
        lead, parts = headline(r)
        text = "; ".join(f"{n} {lab}" + (f": {', '.join(names)}" if names else "") for lab, n, names in parts)
        out.append(f"- **{r.rule.title}** ({citation(r)}): {lead}" + (f"; {text}" if text else "") + ".")
    ind = indicator_headline(ar)
    if ind:
        out.append(f"- {ind}")
    return (out or ["No rule covers this area yet."]) + [""]


def contradiction(rep: Report, c: ContradictionResult) -> str:
    return markdown_text(contradiction_text(c, {f.id: f for f in rep.figures}, lambda i: f"`{i}`"))


def markdown(rep: Report) -> str:
    found = breach.breaches(rep)
    out = [f"# {rep.title}", "", *intro(rep), "",
           "Charts (States Parties over time, deadlines, victim assistance per State, cooperation, reporting and "
           "reporting over time, national measures) are in the HTML version: `ccmcheck report FACTS_DIR --format html`.", "",
           "## Who is in breach", "", breach.paragraph(rep, found), ""]
    if found:
        out += [_table(["Convention obligation", "States overdue", "States"],
                       [[f"{b.title} ({b.provision})", str(len(b.states)), ", ".join(b.states)] for b in found])]
    out += ["## I. Headline figures", ""]
    for ar in rep.areas:
        out += [f"### Headlines: {ar.heading}", "", *_headlines(ar)]
    out += [scorecard.markdown(rep.scorecard, heading=f"## II. Scorecard as of {rep.as_of}"), ""]
    out += ["## III. Progress by thematic area", ""]
    for ar in rep.areas:
        out += [f"### {ar.heading}", "", f"<a id=\"{ar.anchor}\"></a>", ""]
        if not ar.rows:
            out += ["No rule covers this area yet.", ""]
            continue
        statuses = [s for s in rep.scorecard.statuses]
        statuses += [s for r in ar.rows for s in r.by_status if s not in statuses]
        out += [_table(["rule", *[status_label(s) for s in statuses]],
                       [[f"`{r.rule.id}`", *[str(len(r.by_status.get(s, []))) for s in statuses]] for r in ar.rows])]
        out += [_table(["DAP action", "rule", "findings by status, with the States",
                        f"changed {rep.period[0]} to {rep.as_of}"],
                       [[r.action_label, f"`{r.rule.id}`\n{r.rule.title}\n({citation(r)})", _states(r), _changes(r)]
                        for r in ar.rows])]
    out += ["## Annex. The published figures verified", "",
            "Each figure the progress report publishes, set against what the facts give (match: exactly; undetermined: "
            "within the range unknown facts leave; mismatch: outside it; contradiction: the report gives another figure "
            "for the same thing; not computed: no rule models it).", ""]
    rows = []
    for ar in rep.areas:
        t = verdict_tally(ar.figures)
        rows.append([ar.heading, str(len(ar.figures))] + [str(t[v]) for v in VERDICTS])
    out += [_table(["thematic area", "published figures", *[verdict_text(v) for v in VERDICTS]], rows)]
    for ar in rep.areas:
        if ar.figures:
            out += [f"### Verified: {ar.heading}", ""] + [f"- {_figure(f)}" for f in ar.figures] + [""]
    if rep.unplaced:
        out += ["### Figures no rule computes, in no area", ""] + [f"- {_figure(f)}" for f in rep.unplaced] + [""]
    out += ["### Contradictions in the report", ""]
    out += [f"- {contradiction(rep, c)}" for c in rep.contradictions] or ["None recorded."]
    return "\n".join(out) + "\n" + legend.markdown(rep.facts.snapshot.sources, cited(rep))
