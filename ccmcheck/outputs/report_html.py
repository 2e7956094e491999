"""The report as one self-contained HTML page: inline CSS and inline SVG charts, no script, no network.

The page is byte-identical from run to run. It opens with the headline figures per
thematic area and the scorecard; then, per area, its charts and one row per rule;
the verification of the published figures (match / undetermined / contradiction...)
is an annex. A print stylesheet keeps rows, charts and short tables whole.
"""
from __future__ import annotations

import html as _html
from datetime import timedelta

from ..engine.progress import AreaReport, Report, Row
from ..engine.reconcile import FigureResult
from ..engine.results import MISSED
from . import breach, charts, legend, scorecard
from .common import change_label, status_label, supported_text
from .report_wording import (VERDICTS, citation, cited, computed, contradiction_parts, headline, indicator_headline,
                             intro, verdict_text, verdict_tally)

LONG_LIST = 12  # longer lists of States are folded into <details> (closed in print too)...
ALWAYS_LISTED = MISSED | {"pending"}  # ...except the States that have something to do
WHOLE_TABLE = 6  # in print, a table of this many rows or fewer is kept on one page
WHOLE_ANNEX_TABLE = 16  # the annex's tables of figures have short rows: kept whole up to this many

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
.cite{display:block;color:#555;font-size:.85em;font-weight:400}
span.cite-inline{color:#555;font-size:.85em}
.status{display:block;margin-bottom:.25rem}
.verdict{display:inline-block;padding:0 .35em;border-radius:3px;font-weight:600;font-size:.85em;border:1px solid}
.v-match{background:#e3f4ea;border-color:#1b7a43;color:#0f5a2f}
.v-undetermined{background:#fff4d6;border-color:#a8730a;color:#6b4800}
.v-mismatch{background:#fde4e1;border-color:#b3261e;color:#8c1d17}
.v-contradiction{background:#efe5f7;border-color:#6a3d9a;color:#4b2a6e}
.v-not_computed{background:#eee;border-color:#777;color:#333}
ul.figs{margin:.2rem 0;padding-left:1.1rem}
ul.headlines{padding-left:1.1rem;margin:.3rem 0 .8rem}ul.headlines li{margin:.25rem 0}
details summary{cursor:pointer}
figure{margin:1rem 0 1.5rem}
figure svg{width:100%;height:auto;max-width:60rem;display:block}
figcaption{font-size:.9rem;color:#333;max-width:60rem}
@media print{
@page{size:A4;margin:12mm 11mm 13mm}
body{font-size:9pt;line-height:1.3}
main{max-width:none;padding:0}
h2{font-size:13pt;margin-top:1rem}h3{font-size:11pt;margin-top:.8rem}
h2,h3,caption{break-after:avoid}
table{font-size:7.5pt;margin:.3rem 0 .6rem}th,td{padding:.12rem .3rem}
thead{display:table-header-group}tfoot{display:table-row-group}
tr,figure,ul.headlines li,.legend,dl.key,table.whole{break-inside:avoid}
#headlines h3{margin:.45rem 0 .1rem}ul.headlines{margin:.1rem 0 .2rem;font-size:8.5pt}ul.headlines li{margin:.08rem 0}
.st{line-height:1.1}
figure{margin:.4rem 0 .8rem}figure svg{max-width:100%;max-height:235mm}figcaption{font-size:8pt}
a{color:inherit;text-decoration:none}
nav{display:none}#progress,#annex{break-before:page}
details>summary{list-style:none}
}
"""


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _verdict(f: FigureResult) -> str:
    return f'<span class="verdict v-{_e(f.verdict)}">{_e(verdict_text(f.verdict))}</span>'


def _figure(f: FigureResult) -> str:
    note = f' <span class="cite">{_e(f.note)}</span>' if f.note else ""
    return (f'“{_e(f.text)}” <span class="cite">{_e(f.where)}; <code>{_e(f.id)}</code></span>'
            f"published <strong>{f.published}</strong>, computed <strong>{_e(computed(f))}</strong>: {_verdict(f)}{note}")


def _names(label: str, names: list[str], status: str | None = None) -> str:
    listed = _e(", ".join(names))
    mark = scorecard.chip(status) + " " if status else ""
    if len(names) > LONG_LIST and status not in ALWAYS_LISTED:
        return f'<details class="status"><summary>{mark}<strong>{_e(label)} ({len(names)})</strong></summary>{listed}</details>'
    return f'<span class="status">{mark}<strong>{_e(label)} ({len(names)})</strong>: {listed}</span>'


def _states(row: Row) -> str:
    if row.target_note is not None:
        lead, _ = headline(row)
        return f'<span class="status">{_e(lead)}</span>' + (_names("States counted", row.tallied) if row.tallied else "")
    return "".join(_names(status_label(s), v, s) for s, v in row.by_status.items()) or "no findings"


def _changes(row: Row) -> str:
    return "".join(_names(change_label(b, a), v) for b, a, v in row.changed) or '<span class="cite">no change</span>'


def _figures(figs: list[FigureResult]) -> str:
    if not figs:
        return '<span class="cite">–</span>'
    return '<ul class="figs">' + "".join(f"<li>{_figure(f)}</li>" for f in figs) + "</ul>"


def _table(caption: str, header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),  # type: ignore[assignment]
           keep_whole: int = WHOLE_TABLE) -> str:
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
    whole = ' class="whole"' if len(rows) <= keep_whole else ""
    return (f"<table{whole}><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>\n")


def _chart(chart: charts.Chart) -> str:
    return (f'<figure id="{chart.key}">\n{chart.svg}\n<figcaption><strong>{_e(chart.title)}.</strong> '
            f"{_e(chart.caption)}</figcaption></figure>\n")


def _headlines(ar: AreaReport) -> str:
    items = []
    for r in ar.headlines:
        lead, parts = headline(r)
        text = "; ".join(f"{scorecard.chip(s)} {n} {_e(lab)}" + (f": {_e(', '.join(names))}" if names else "")
                         for (lab, n, names), s in zip(parts, r.by_status))
        items.append(f'<li><strong>{_e(r.rule.title)}</strong> <span class="cite-inline">({_e(citation(r))})</span>: '
                     f"{_e(lead)}" + (f"; {text}" if text else "") + ".</li>")
    ind = indicator_headline(ar)
    if ind:
        items.append(f"<li>{_e(ind)}</li>")
    return '<ul class="headlines">' + "".join(items) + "</ul>\n" if items else "<p>No rule covers this area yet.</p>\n"


def html(rep: Report) -> str:
    made = charts.area_charts(rep.facts, rep.book, rep.evaluation)
    p = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         f"<title>{_e(rep.title)}</title>\n<style>{CSS}{scorecard.CSS}</style>\n</head>\n<body>\n<main>\n"]
    p.append(f"<header><h1>{_e(rep.title)}</h1>\n" + "".join(
        f"<p class=\"meta\">{_e(x).replace('`ccmcheck report`', '<code>ccmcheck report</code>')}</p>\n" for x in intro(rep))
        + "</header>\n")

    # Who is in breach, first thing on the page; then I. Headline figures
    found = breach.breaches(rep)
    p.append('<section id="breach" aria-labelledby="breach-h"><h2 id="breach-h">Who is in breach</h2>\n'
             f"<p>{_e(breach.paragraph(rep, found))}</p>\n")
    if found:
        p.append(_table(f"Convention obligations overdue as of {rep.as_of}",
                        ["Convention obligation", "States overdue", "States"],
                        [[f"{_e(b.title)}<span class=\"cite\">{_e(b.provision)}</span>", str(len(b.states)),
                          _e(", ".join(b.states))] for b in found], {1}))
    p.append("</section>\n")
    p.append('<section id="headlines" aria-labelledby="headlines-h"><h2 id="headlines-h">I. Headline figures</h2>\n')
    for ar in rep.areas:
        p.append(f'<h3><a href="#{ar.anchor}">{_e(ar.heading)}</a></h3>\n{_headlines(ar)}')
    p.append("</section>\n")

    toc = ['<li><a href="#breach">Who is in breach</a></li>', '<li><a href="#headlines">I. Headline figures</a></li>', '<li><a href="#scorecard">II. Scorecard</a></li>',
           '<li><a href="#progress">III. Progress by thematic area</a><ol>']
    toc += [f'<li><a href="#{ar.anchor}">{_e(ar.heading)}</a></li>' for ar in rep.areas]
    toc += ["</ol></li>", '<li><a href="#annex">Annex. The published figures verified</a></li>']
    p.append('<nav aria-label="Contents"><h2>Contents</h2><ol>' + "".join(toc) + "</ol></nav>\n")

    # II. Scorecard
    sc = rep.scorecard
    p.append('<section id="scorecard" class="scorecard-page" aria-labelledby="scorecard-h">'
             '<h2 id="scorecard-h">II. Scorecard</h2>\n'
             f"<p>One row per State with a finding as of {rep.as_of}: one column per obligation of the Convention and "
             "one per area of the Dubrovnik Action Plan, with the totals per column at the foot "
             "(<code>ccmcheck matrix</code> gives it as CSV).</p>\n")
    p.append(scorecard.html_fragment(sc, f"Scorecard as of {rep.as_of}: {len(sc.rows)} States"))
    p.append("</section>\n")

    # III. Progress per area
    p.append('<section id="progress" aria-labelledby="progress-h"><h2 id="progress-h">III. Progress by thematic area</h2>\n'
             f"<p>Per area, its charts and one row per rule: the DAP action (or the Convention's article) it checks, "
             f"the findings by status with the States behind each count, and the findings whose status changed "
             f"between {rep.period[0] - timedelta(days=1)} and {rep.as_of}.</p>\n")
    for ar in rep.areas:
        p.append(f'<section id="{ar.anchor}" aria-labelledby="{ar.anchor}-h"><h3 id="{ar.anchor}-h">{_e(ar.heading)}</h3>\n')
        p.extend(_chart(c) for c in made.get(ar.area.letter, []))
        if ar.rows:
            rows = [[_e(r.action_label),
                     f"<code>{_e(r.rule.id)}</code><span class=\"rule-title\">{_e(r.rule.title)}</span>"
                     f"<span class=\"cite\">{_e(citation(r))}</span>",
                     _states(r), _changes(r)] for r in ar.rows]
            p.append(_table(f"Table {ar.area.letter}: {_e(ar.area.title)}, as of {rep.as_of}",
                            ["DAP action", "Rule", "Findings by status (States)", "Changed during the period"], rows))
        else:
            p.append("<p>No rule covers this area yet.</p>\n")
        p.append("</section>\n")
    p.append("</section>\n")

    # Annex: verification
    p.append('<section id="annex" aria-labelledby="annex-h"><h2 id="annex-h">Annex. The published figures verified</h2>\n'
             "<p>Each figure the progress report publishes, set against what the facts give. "
             "<strong>Match</strong>: exactly; <strong>undetermined</strong>: within the range unknown facts leave; "
             "<strong>mismatch</strong>: outside it; <strong>contradiction</strong>: the report gives another figure "
             "for the same thing; <strong>not computed</strong>: no rule models it.</p>\n")
    rows = []
    for ar in rep.areas:
        t = verdict_tally(ar.figures)
        rows.append([f'<a href="#annex-{ar.area.letter.lower()}">{_e(ar.heading)}</a>', str(len(ar.figures))]
                    + [str(t[v]) for v in VERDICTS])
    p.append(_table("Published figures per thematic area, by verdict",
                    ["Thematic area", "Published figures", *[verdict_text(v).capitalize() for v in VERDICTS]],
                    rows, set(range(1, 2 + len(VERDICTS)))))
    for ar in rep.areas:
        if not ar.figures:
            continue
        p.append(f'<h3 id="annex-{ar.area.letter.lower()}">{_e(ar.heading)}</h3>\n')
        p.append(_table(f"{_e(ar.heading)}: the figures the report publishes, against what the facts give",
                        ["The report says", "Where", "Published", "Computed", "Verdict"],
                        [[f"“{_e(f.text)}”" + (f'<span class="cite">{_e(f.note)}</span>' if f.note else ""),
                          _e(f.where), str(f.published), _e(computed(f)), _verdict(f)] for f in ar.figures], {2, 3},
                        keep_whole=WHOLE_ANNEX_TABLE))
    if rep.unplaced:
        p.append(f'<h3 id="unplaced">Figures no rule computes, in no area</h3>{_figures(rep.unplaced)}\n')
    p.append('<h3 id="contradictions">Contradictions in the report</h3>\n')
    if rep.contradictions:
        items = []
        for c in rep.contradictions:
            figs = " vs ".join(f"<code>{_e(i)}</code>" + (f" ({_e(pw)})" if pw else "") for i, pw in contradiction_parts(rep, c))
            items.append(f"<li>{figs} <span class=\"cite\">{_e(c.source)}</span>"
                         f"{_e('; '.join(filter(None, [c.note, supported_text(c)])))}</li>")
        p.append("<ul>" + "".join(items) + "</ul>\n")
    else:
        p.append("<p>None recorded.</p>\n")
    p.append("</section>\n" + legend.html(rep.facts.snapshot.sources, cited(rep)) + "</main>\n</body>\n</html>\n")
    return "".join(p)
