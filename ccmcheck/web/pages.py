"""The site's pages, as HTML strings: the index (headline figures, who needs action first, the
scorecard), a page per State, a page per rule, the list of rules and the sources.

Every figure is read from `SiteData` (one evaluation and its scorecard), never counted
twice another way. Every value from the facts or rules is escaped (`markup.esc`).
The scorecard is a complete table without script; `assets/site.js` adds the filters
and sorting. Cells carry their status in `data-status` (and a DAP area's counts in
`data-counts`), which the filters read and the tests compare with `matrix`.
"""
from __future__ import annotations

import json
from datetime import date

from ..engine.areas import AREAS, OTHER, area_of_rule, name_key
from ..engine.results import DONE, STATUS_ORDER, Finding
from ..engine.choices import LAST_KNOWN
from ..engine.scorecard import Cell, Column, cell_status
from ..outputs.legend import cited as cited_keys
from ..outputs.scorecard import symbol
from ..rules.model import Rule
from ..rules.order import rule_sort_key
from . import timeline
from .data import SiteData
from .markup import badge, cited, esc, page, slug, source_entry, status_word, table

SCRIPTS = ("search-index.js", "site.js")


def _frame(d: SiteData, title: str, body: str, root: str) -> str:
    return page(title, body, root=root, snapshot=d.evaluation.snapshot, as_of=d.as_of.isoformat(), lang=d.lang,
                scripts=SCRIPTS)


def _day(v: date | None) -> str:
    return v.isoformat() if v else ""


def _name(name: str, lang: str | None = None) -> str:
    """A State's name, which may be in a right-to-left script (--lang ar): its direction from its text, and its
    language when it is not the page's English (a screen reader then reads it in that language)."""
    attr = f' lang="{esc(lang)}"' if lang else ""
    return f'<bdi dir="auto"{attr}>{esc(name)}</bdi>'


def _lang(d: SiteData, iso3: str | None, name: str) -> str | None:
    """The language of a State's name on the site: `--lang` where the name is a translation, else None (English)."""
    return d.lang if d.lang and iso3 is not None and d.english.get(iso3) != name else None


def state_href(iso3: str, root: str) -> str:
    return f"{root}state/{esc(iso3.lower())}.html"


def rule_href(rule_id: str, root: str) -> str:
    return f"{root}rule/{slug(rule_id)}.html"


def _rule_link(rule_id: str, root: str) -> str:
    return f'<a href="{rule_href(rule_id, root)}"><code>{esc(rule_id)}</code></a>'


def _state_link(iso3: str | None, name: str, root: str, lang: str | None = None) -> str:
    return _name(name, lang) if iso3 is None else f'<a href="{state_href(iso3, root)}">{_name(name, lang)}</a>'


# ---------------------------------------------------------------- index

def headline(d: SiteData) -> dict[str, int]:
    """The index's headline figures, each counted from the evaluation."""
    per_state = [f for f in d.evaluation.findings if f.iso3 is not None]
    standings = [a.standing for a in d.audits.values()]
    return {
        "States in the snapshot": len(d.facts.states),
        "States Parties": sum(s.startswith("State Party") for s in standings),
        "Signatories": sum(s.startswith("Signatory") for s in standings),
        "findings": len(d.evaluation.findings),
        "overdue": sum(f.status == "overdue" for f in per_state),
        "States with an overdue obligation": len({f.iso3 for f in per_state if f.status == "overdue"}),
        "overdue when last checked (unknown now)": sum(cell_status(f) == LAST_KNOWN for f in per_state),
        "unknown (the facts are silent)": sum(f.status == "unknown" for f in per_state),
    }


def needs_action(d: SiteData, status: str = "overdue") -> list[tuple[str, list[Finding]]]:
    """States with overdue findings (or, with `status` LAST_KNOWN, findings overdue when last checked), most
    first, then the longest overdue first."""
    by_state: dict[str, list[Finding]] = {}
    for f in d.evaluation.findings:
        if f.iso3 is not None and cell_status(f) == status:
            by_state.setdefault(f.iso3, []).append(f)
    return sorted(by_state.items(), key=lambda kv: (-len(kv[1]), min(f.due or d.as_of for f in kv[1]),
                                                     name_key(kv[1][0].state)))


def _column_area(col: Column) -> str:
    return area_of_rule(col.rules[0]).letter


def _cell(cell: Cell | None, col: Column) -> str:
    if cell is None:
        return '<td class="none" data-status=""><span class="visually-hidden">no finding</span></td>'
    if col.kind == "obligation":
        s = cell.status or ""
        due = cell.due.isoformat() if cell.due and s not in DONE else ""
        return (f'<td class="c st-{esc(s)}" data-status="{esc(s)}" data-area="{_column_area(col)}">'
                f'<span aria-hidden="true" class="sym">{esc(symbol(s))}</span>'
                f'<span class="visually-hidden">{esc(status_word(s))}</span>'
                + (f' <span class="due">{due}</span>' if due else "") + "</td>")
    counts = " ".join(f'<span class="n st-{esc(s)}">{n}<span aria-hidden="true">{esc(symbol(s))}</span>'
                      f'<span class="visually-hidden"> {esc(status_word(s))}</span></span>' for s, n in cell.counts.items())
    return (f'<td class="c" data-status="{esc(" ".join(cell.counts))}" data-counts="{esc(json.dumps(cell.counts))}" '
            f'data-area="{_column_area(col)}">{counts}</td>')


def scorecard(d: SiteData, root: str = "") -> str:
    sc = d.scorecard
    areas = [a for a in (*AREAS, OTHER) if any(_column_area(c) == a.letter for c in sc.columns)]
    status_opts = "".join(f'<option value="{esc(s)}">{esc(status_word(s))}</option>' for s in sc.statuses)
    area_opts = "".join(f'<option value="{a.letter}">{esc(a.heading)}</option>' for a in areas)
    controls = (f'<form class="filters" id="filters" hidden>'
                f'<label>Status <select id="f-status"><option value="">any</option>{status_opts}</select></label> '
                f'<label>Area <select id="f-area"><option value="">all areas</option>{area_opts}</select></label> '
                f'<button type="button" id="f-action">Who needs action first</button> '
                f'<button type="button" id="f-reset">Reset</button>'
                f'<p id="f-count" role="status" aria-live="polite"></p></form>')
    head = ['<th scope="col" aria-sort="ascending" data-sort="name"><button type="button">State</button></th>']
    for i, c in enumerate(sc.columns):
        link = f' <a href="{rule_href(c.key, root)}" class="rl" aria-label="rule {esc(c.key)}">§</a>' \
            if c.kind == "obligation" else ""
        head.append(f'<th scope="col" data-col="{i}" data-area="{_column_area(c)}" data-sort="col">'
                    f'<button type="button" title="{esc(c.title)} ({esc(c.source)})">{esc(c.label)}</button>{link}</th>')
    body = []
    for r in sc.rows:
        statuses = sorted({s for c in r.cells.values() for s in ([c.status] if c.status else list(c.counts))})
        overdue = sum(1 for c in r.cells.values() if c.status == "overdue")
        cells = "".join(_cell(r.cells.get(c.key), c) for c in sc.columns)
        body.append(f'<tr data-iso3="{esc(r.iso3)}" data-name="{esc(name_key(r.state)[0])}" data-overdue="{overdue}" '
                    f'data-statuses="{esc(" ".join(statuses))}"><th scope="row">'
                    f'<a href="{state_href(r.iso3, root)}">{_name(r.state, _lang(d, r.iso3, r.state))}</a></th>{cells}</tr>')
    totals = "".join(f'<td data-totals="{esc(json.dumps(c.totals))}">'
                     + " ".join(f"{n}{esc(symbol(s))}" for s, n in c.totals.items() if n) + "</td>" for c in sc.columns)
    key = ", ".join(f"{esc(symbol(s))} {esc(status_word(s))}" for s in sc.statuses)
    return (f'<section id="scorecard" aria-labelledby="sc-h"><h2 id="sc-h">Scorecard</h2>'
            f"<p>One row per State, one column per Convention obligation and per Dubrovnik Action Plan area "
            f"(as <code>ccmcheck matrix</code>). Key: {key}; a date is when something not done was or is due; "
            f"a DAP area counts the State's indicators by status; an empty cell is no finding.</p>{controls}"
            f'<div class="scroll"><table class="scorecard" id="sc"><caption>Scorecard as of {esc(sc.as_of)}: '
            f'{len(sc.rows)} States</caption><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody>'
            f'<tfoot><tr><th scope="row">Totals</th>{totals}</tr></tfoot></table></div></section>')


def index(d: SiteData) -> str:
    figs = "".join(f'<div><dt>{esc(k)}</dt><dd data-figure="{esc(k)}">{v}</dd></div>' for k, v in headline(d).items())
    targets = [f for f in d.evaluation.findings if f.iso3 is None]
    target_html = "".join(f"<p>{_rule_link(f.rule, '')} {badge(f.status)} {cited(f.explanation, d.facts.snapshot.sources, '')}"
                          f"</p>" for f in targets)
    action = []
    for status, word in (("overdue", "overdue"), (LAST_KNOWN, "overdue when last checked")):
        for iso3, fs in needs_action(d, status):
            items = ", ".join(f"{_rule_link(f.rule, '')} (due {_day(f.due)}"
                              + (f"; last checked {f.last_known.on}" if f.last_known else "") + ")" for f in fs)
            action.append(f'<li><a href="{state_href(iso3, "")}">{_name(fs[0].state, _lang(d, iso3, fs[0].state))}</a>: '
                          f"{len(fs)} {word}: {items}</li>")
    counts = _counts_table(d)
    body = (f"<h1>{esc(d.evaluation.snapshot)}</h1><p class=\"lede\">Compliance with the Convention on Cluster "
            f"Munitions as of <strong>{d.as_of}</strong>, rule by rule and State by State, from sourced facts.</p>"
            f'<section aria-labelledby="fig-h"><h2 id="fig-h">Headline figures</h2><dl class="figures">{figs}</dl>'
            f"{target_html}</section>"
            f'<section id="action" aria-labelledby="act-h"><h2 id="act-h">Who needs action first</h2>'
            f"<p>States with overdue obligations, most overdue first, then the longest overdue; then those overdue "
            f"when last checked, with nothing recorded since. Other <code>unknown</code> findings are not listed: "
            f"they say the facts are silent.</p>"
            f'<ol class="action">{"".join(action) or "<li>None overdue.</li>"}</ol></section>'
            f"{scorecard(d)}{counts}")
    return _frame(d, "Overview", body, "")


def _counts_table(d: SiteData) -> str:
    statuses = [s for s in STATUS_ORDER if any(s in c for c in d.evaluation.counts.values())]
    rows = []
    for rid, c in d.evaluation.counts.items():
        rows.append([_rule_link(rid, "")] + [f'<span data-count="{esc(rid)}:{esc(s)}">{c[s]}</span>' if s in c else ""
                                             for s in statuses])
    return ('<section id="counts" aria-labelledby="cn-h"><h2 id="cn-h">Findings per rule</h2>'
            "<p>As <code>ccmcheck evaluate</code> counts them (empty: not a status of that kind of rule).</p>"
            + table("Findings per rule and status", ["rule"] + [esc(status_word(s)) for s in statuses], rows, "counts")
            + "</section>")


# ---------------------------------------------------------------- a State

def state(d: SiteData, iso3: str) -> str:
    au = d.audits[iso3]
    root = "../"
    srcs = d.facts.snapshot.sources
    summary = {}
    for f in au.findings:
        summary[f.status] = summary.get(f.status, 0) + 1
    chips = " ".join(f"{badge(s)} {n}" for s, n in sorted(summary.items(), key=lambda kv: STATUS_ORDER.index(kv[0])
                                                              if kv[0] in STATUS_ORDER else 99))
    rows = [[f'<a href="#f-{slug(f.rule)}"><code>{esc(f.rule)}</code></a>', badge(f.status), _day(f.due),
             _day(f.met_on), esc(f.source)] for f in au.findings]
    findings = "".join(_finding(f, srcs, root) for f in au.findings)
    undecided = "".join(f"<li>{_rule_link(u.rule, root)}: missing {esc(', '.join(u.missing))}</li>" for u in au.undecided)
    out_of_force = "".join(f"<li>{_rule_link(o.rule, root)}: {esc(o.window)}</li>" for o in au.out_of_force)
    keys = cited_keys(srcs, texts=[f.explanation for f in au.findings] + [x for f in au.findings for x in f.explain])
    body = (f'<nav aria-label="Breadcrumb" class="crumbs"><a href="../index.html#scorecard">Scorecard</a> › '
            f"{_name(au.state, _lang(d, iso3, au.state))}</nav>"
            f'<h1>{_name(au.state, _lang(d, iso3, au.state))} <span class="iso">{esc(au.iso3)}</span></h1>'
            f'<p class="standing">{esc(au.standing)}; as of {au.as_of}.</p><p>{chips}</p>'
            f"{_deadlines(d, iso3)}{_history(d, iso3, au.state)}"
            f'<section aria-labelledby="fs-h"><h2 id="fs-h">Findings ({len(au.findings)})</h2>'
            + table(f"Every finding about {esc(au.state)} as of {au.as_of}", ["rule", "status", "due", "met on",
                                                                               "legal source"], rows, "findings")
            + f"{findings}</section>"
            + (f'<section aria-labelledby="ud-h"><h2 id="ud-h">Not decided whether these rules apply</h2>'
               f"<ul>{undecided}</ul></section>" if undecided else "")
            + (f'<section aria-labelledby="of-h"><h2 id="of-h">Not in force on {au.as_of}</h2><ul>{out_of_force}</ul>'
               f"</section>" if out_of_force else "")
            + ('<section aria-labelledby="src-h"><h2 id="src-h">Sources cited</h2><dl class="sources">'
               + "".join(source_entry(k, srcs[k]) for k in keys) + "</dl></section>" if keys else ""))
    return _frame(d, au.state, body, root)


def _finding(f: Finding, srcs: dict, root: str) -> str:
    missing = (f"<p>Would be decided by: {esc('; '.join(f.missing))}</p>" if f.missing else "")
    chain = "".join(f"<li>{cited(x, srcs, root)}</li>" for x in f.explain)
    return (f'<article class="finding" id="f-{slug(f.rule)}"><h3>{_rule_link(f.rule, root)} {badge(f.status)}</h3>'
            f"<p>{cited(f.explanation, srcs, root)}</p><p class=\"legal\">Legal source: {esc(f.source)}</p>{missing}"
            f"<details><summary>How this was decided (the date chain)</summary><ol class=\"chain\">{chain}</ol></details>"
            f"</article>")


def _deadlines(d: SiteData, iso3: str) -> str:
    mine = [x for x in d.calendar.deadlines if x.iso3 == iso3]
    cal = d.calendar
    rows = [[esc(x.due), esc(x.what), esc(x.citation), badge(x.status) + (" (projected)" if x.projected else "")]
            for x in mine]
    link = (f'<p><a href="../calendar/{esc(iso3.lower())}.ics" download>Add these deadlines to a calendar (.ics)</a></p>'
            if mine else "")
    return ('<section aria-labelledby="dl-h"><h2 id="dl-h">Deadlines ahead</h2>'
            + (table(f"Due {cal.start} to {cal.end}", ["due", "what", "citation", "status"], rows) if rows
               else f"<p>Nothing falls due from {cal.start} to {cal.end}.</p>") + link + "</section>")


def _history(d: SiteData, iso3: str, name: str) -> str:
    tracks = sorted(d.tracks.get(iso3, []), key=lambda t: rule_sort_key(t.rule))
    if not tracks:
        return ""
    main = [t for t in tracks if d.book.get(t.rule).kind != "indicator"]
    indicators = [t for t in tracks if d.book.get(t.rule).kind == "indicator"]
    legend = " ".join(f'<span class="sw sw-{esc(s)}" aria-hidden="true"></span> {esc(status_word(s))}' for s in STATUS_ORDER
                      if any(iv.status == s for t in tracks for iv in t.intervals))
    rows = [[_rule_link(t.rule, "../"), badge(iv.status), esc(iv.start), esc(min(iv.end, d.as_of)), _day(iv.due)]
            for t in tracks for iv in t.intervals if iv.start <= d.as_of]
    out = (f'<section aria-labelledby="hi-h"><h2 id="hi-h">Status history</h2>'
           f"<p>Each rule's status on every day up to {d.as_of} (as <code>ccmcheck history</code>). Key: {legend}; "
           f"overdue is hatched, pending dotted, met late striped.</p>")
    if main:
        out += (f'<figure class="chart">{timeline.svg("tl-main", main, d.as_of, f"Status history of {name}: Convention obligations")}'
                f"<figcaption>Convention obligations and their dates over time.</figcaption></figure>")
    if indicators:
        out += (f"<details><summary>Dubrovnik Action Plan indicators over time ({len(indicators)})</summary>"
                f'<figure class="chart">{timeline.svg("tl-dap", indicators, d.as_of, f"Status history of {name}: DAP indicators")}'
                f"</figure></details>")
    out += ("<details><summary>The same history as a table</summary>"
            + table("Status intervals", ["rule", "status", "from", "to", "due"], rows) + "</details></section>")
    return out


# ---------------------------------------------------------------- rules and sources

def rule(d: SiteData, r: Rule) -> str:
    root = "../"
    found = sorted((f for f in d.evaluation.findings if f.rule == r.id), key=lambda f: name_key(f.state))
    counts = d.evaluation.counts.get(r.id, {})
    chips = " ".join(f"{badge(s)} {n}" for s, n in counts.items())
    rows = [[_state_link(f.iso3, f.state, root, _lang(d, f.iso3, f.state)), badge(f.status), _day(f.due), _day(f.met_on),
             cited(f.explanation, d.facts.snapshot.sources, root)] for f in found]
    window = d.book.out_of_force(r.id, d.as_of)
    in_force = f"<p>{esc(r.in_force.describe())} ({esc(r.in_force.source)}).</p>" if r.in_force else ""
    body = (f'<nav aria-label="Breadcrumb" class="crumbs"><a href="../rules.html">Rules</a> › <code>{esc(r.id)}</code></nav>'
            f"<h1>{esc(r.title)}</h1><p><code>{esc(r.id)}</code>, a rule of kind <em>{esc(r.kind)}</em>.</p>"
            f'<figure class="quote"><blockquote><p>{esc(r.source.text)}</p></blockquote>'
            f"<figcaption>{esc(r.source.instrument)} {esc(r.source.provision)}</figcaption></figure>{in_force}"
            f"<dl class=\"doc\"><dt>What it checks</dt><dd>{esc(r.doc.checks)}</dd><dt>Example</dt><dd>{esc(r.doc.example)}</dd>"
            f"<dt>Limits</dt><dd>{esc(r.doc.limits)}</dd></dl>"
            + (f"<p>No finding on {d.as_of}: {esc(window.describe())}.</p>" if window else "")
            + f'<section aria-labelledby="ev-h"><h2 id="ev-h">Every State under it</h2><p>{chips}</p>'
            + table(f"{esc(r.id)} as of {d.as_of}: {len(found)} findings", ["State", "status", "due", "met on",
                                                                           "why"], rows, "findings")
            + "</section>")
    return _frame(d, r.id, body, root)


def rules_index(d: SiteData) -> str:
    rows = []
    for r in sorted(d.book.rules, key=lambda r: rule_sort_key(r.id)):
        counts = d.evaluation.counts.get(r.id, {})
        rows.append([_rule_link(r.id, ""), esc(r.title), esc(f"{r.source.instrument} {r.source.provision}"),
                     " ".join(f"{badge(s)} {n}" for s, n in counts.items() if n)])
    body = ("<h1>Rules</h1><p>Each rule quotes the provision it checks. Its page shows every State's status.</p>"
            + table(f"{len(rows)} rules", ["rule", "title", "legal source", "findings"], rows, "rules"))
    return _frame(d, "Rules", body, "")


def sources(d: SiteData) -> str:
    srcs = d.facts.snapshot.sources
    body = ("<h1>Sources</h1><p>The documents the facts cite; a key in brackets, such as <code>[7msp#84]</code>, "
            "is a paragraph or page of the document with that key.</p>"
            f'<dl class="sources">{"".join(source_entry(k, v) for k, v in srcs.items())}</dl>')
    return _frame(d, "Sources", body, "")
