"""Charts for the HTML report, drawn with matplotlib as inline SVG.

No pyplot and no GUI backend: each chart is a `matplotlib.figure.Figure` saved
as SVG (what the Agg backend would do, without any global state). The SVG is
made byte-identical from run to run (a fixed `svg.hashsalt`, no date in the
metadata, which is then dropped altogether), its ids are prefixed so that several
charts can sit in one page, and it carries a <title> and <desc> for screen readers.
Statuses are told apart by colour (Okabe-Ito) and by a hatch or a letter as well,
so that a chart reads in greyscale; the statuses come from the findings.

`AREA_CHARTS` lists, per thematic area, the charts the report draws; one more
chart slots in by adding a line. Which rules a chart draws on goes by id prefix
or kind, as the report does:
- A, States Parties over time: the facts' deposit (and withdrawal) dates, and the
  Convention-wide target rules (kind `convention-target`) for the target line;
- B and C, deadlines per State: the States with an `art3.*` (or `art4.*`) finding,
  with entry into force (`art17.*` derived date), the deadline, extensions and completion;
- D, victim assistance commitments per State: `dap.4.*` findings, State by indicator;
- E, cooperation requested and provided: `dap.5.*` findings by status;
- F, Article 7 reporting: every `art7.*` obligation, findings by status; and over time,
  States by status at each month's end since 2011 (the status history, `engine.history`);
- G, national implementation measures: `dap.7.*` findings by status.
"""
from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Callable

from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..facts.loader import FactBase
from ..engine.history import History, history
from ..engine.results import Evaluation
from ..engine.results import ordered
from ..rules.loader import RuleBook
from . import palette
from .common import status_label as _label
from .scorecard import symbol

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
STATUS_COLOURS = palette.COLOURS  # one palette for every chart, the scorecard and their legends
STATUS_HATCHES = palette.HATCHES
RC = {"svg.hashsalt": "ccmcheck", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10,
      "axes.spines.top": False, "axes.spines.right": False,
      "text.parse_math": False}  # names and notes are drawn as written: "$10 and $20" is not maths


@dataclass(frozen=True)
class Chart:
    key: str  # the HTML id of the chart; also prefixes every id inside its SVG
    title: str
    description: str  # the alt text: what the chart shows, in words (the SVG's <desc>)
    caption: str  # what a sighted reader needs besides the chart (the HTML <figcaption>)
    svg: str


def _svg(fig: Figure, key: str, title: str, description: str) -> str:
    buf = io.StringIO()
    with rc_context({**RC, "svg.hashsalt": f"ccmcheck-{key}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{key}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{key}-{m.group(1)})", text)
    text = re.sub(r'(?:xlink:)?href="#([^"]+)"', lambda m: f'href="#{key}-{m.group(1)}"', text)
    text = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", text)  # HTML gives inline SVG its namespaces
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
                  lambda m: f'<svg {m.group(1)}role="img" aria-labelledby="{key}-title {key}-desc"', text, count=1)
    head_end = text.index(">") + 1
    return (text[:head_end] + f'\n <title id="{key}-title">{escape(title)}</title>'
            f'\n <desc id="{key}-desc">{escape(description)}</desc>' + text[head_end:]).rstrip() + "\n"


def _figure(width: float, height: float) -> Figure:
    with rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def states_parties(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart:
    """States Parties over time against the Convention-wide targets."""
    as_of = ev.as_of
    steps: dict[date, int] = {}
    for st in fb.states:
        t = st.treaty
        if t.deposit is not None and t.deposit.on <= as_of:
            steps[t.deposit.on] = steps.get(t.deposit.on, 0) + 1
        if t.withdrawal is not None and t.withdrawal.on <= as_of:
            steps[t.withdrawal.on] = steps.get(t.withdrawal.on, 0) - 1
    days, counts, n = [], [], 0
    for d in sorted(steps):
        n += steps[d]
        days.append(d)
        counts.append(n)
    start = fb.snapshot.convention.opened_for_signature.on
    targets = []
    due_of = {f.rule: f.due for f in ev.findings if f.iso3 is None}
    for r in book.rules:
        if r.kind == "convention-target" and r.target is not None and due_of.get(r.id) is not None:
            targets.append((r, due_of[r.id]))
    end = max([as_of] + [d for _, d in targets]) + timedelta(days=200)
    with rc_context(RC):
        fig = _figure(9, 4.6)
        ax = fig.add_subplot()
        ax.step([start] + days + [as_of], [0] + counts + [n], where="post", color="#0072B2", linewidth=2,
                label="States Parties (instruments deposited)")
        ax.plot([as_of], [n], "o", color="#0072B2")
        ax.annotate(f"{n} on {as_of:%d %b %Y}", (as_of, n), textcoords="offset points", xytext=(-8, 8), ha="right")
        for r, due in targets:
            ax.axhline(r.target, color="#D55E00", linestyle="--", linewidth=1.5,
                       label=f"target: {r.target} States Parties ({r.source.instrument} {r.source.provision.split(' (')[0]})")
            ax.axvline(due, color="#555555", linestyle=":", linewidth=1.5, label=f"target deadline: {due:%d %b %Y}")
            ax.plot([as_of, due], [n, r.target], color="#D55E00", linestyle=(0, (1, 2)), linewidth=1,
                    label=f"pace needed: {r.target - n} more in {(due - as_of).days / 365.25:.1f} years")
        period = fb.snapshot.period
        ax.axvspan(period.start, period.end, color="#56B4E9", alpha=0.18, label="reporting period", linewidth=0)
        ax.set_xlim(start, end)
        ax.set_ylim(0, max([n] + [r.target for r, _ in targets]) * 1.12)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_ylabel("States Parties")
        ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        ax.legend(loc="upper left", frameon=False, fontsize=9)
        ax.set_title("States Parties over time", loc="left", fontweight="bold")
    target_words = "; ".join(f"the target is {r.target} by {due:%d %B %Y}, {r.target - n} more" for r, due in targets)
    desc = (f"Step chart of the number of States that had deposited an instrument of ratification or accession, "
            f"from {start:%B %Y} to {as_of:%d %B %Y}: {n} States Parties on {as_of:%d %B %Y}"
            + (f"; {target_words}." if target_words else "."))
    return Chart("chart-states-parties", "States Parties over time", desc, desc,
                 _svg(fig, "chart-states-parties", "States Parties over time", desc))


def _colour(status: str) -> str:
    return palette.colour(status)


def status_bars(ev: Evaluation, rules: list, key: str, title: str, what: str, xlabel: str) -> Chart | None:
    """One stacked horizontal bar per rule: its findings by status (hatched as well as coloured)."""
    rules = [r for r in rules if any(f.rule == r.id for f in ev.findings)]
    if not rules:
        return None
    statuses = ordered(f.status for f in ev.findings if f.rule in {r.id for r in rules})
    counts = {r.id: {s: 0 for s in statuses} for r in rules}
    for f in ev.findings:
        if f.rule in counts:
            counts[f.rule][f.status] += 1
    with rc_context(RC):
        fig = _figure(9, 1.3 + 0.5 * len(rules))
        ax = fig.add_subplot()
        labels = [textwrap.fill(r.title, 46) for r in rules]
        y = list(range(len(rules)))[::-1]
        left = [0] * len(rules)
        for s in statuses:
            widths = [counts[r.id][s] for r in rules]
            ax.barh(y, widths, left=left, color=_colour(s), edgecolor="white", height=0.62, label=_label(s),
                    hatch=STATUS_HATCHES.get(s))
            for yi, l, w in zip(y, left, widths):
                if w:
                    ax.text(l + w / 2, yi, str(w), ha="center", va="center", fontsize=8.5,
                            color=palette.text_on(s),
                            bbox={"boxstyle": "square,pad=0.1", "facecolor": _colour(s), "linewidth": 0})
            left = [a + b for a, b in zip(left, widths)]
        ax.set_yticks(y, labels, fontsize=8.5)
        ax.set_xlabel(xlabel)
        ax.set_xlim(0, max(left + [1]) * 1.02)
        fig.legend(loc="outside lower center", ncols=len(statuses), frameon=False, fontsize=9)
        ax.set_title(title, loc="left", fontweight="bold")
    parts = [f"{r.title} ({r.id}): " + ", ".join(f"{counts[r.id][s]} {_label(s)}" for s in statuses if counts[r.id][s])
             for r in rules]
    desc = f"Stacked horizontal bars, one per {what}, States by status as of {ev.as_of:%d %B %Y}. " + "; ".join(parts) + "."
    caption = (f"One bar per {what}: the States concerned by the status of their finding as of {ev.as_of:%d %B %Y} "
               "(colour and hatching); the States behind each count are in the table below.")
    return Chart(key, title, desc, caption, _svg(fig, key, title, desc))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rules(book: RuleBook, prefix: str, kind: str | None = None) -> list:
    return [r for r in book.rules if r.id.startswith(prefix) and (kind is None or r.kind == kind)]


def reporting(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """Article 7 reports by status: one stacked bar per `art7.*` obligation."""
    return status_bars(ev, _rules(book, "art7.", "obligation"), "chart-reporting",
                       f"Article 7 reports as of {ev.as_of:%d %B %Y}", "Article 7 obligation",
                       "States Parties with the obligation")


def cooperation(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """Cooperation and assistance requested and provided (DAP Actions 5.x), findings by status."""
    return status_bars(ev, _rules(book, "dap.5."), "chart-cooperation",
                       "Cooperation and assistance requested and provided", "DAP Action 5 indicator",
                       "States Parties concerned")


def national_measures(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """National implementation measures (DAP Actions 7.x), findings by status."""
    return status_bars(ev, _rules(book, "dap.7."), "chart-national-measures", "National implementation measures",
                       "DAP Action 7 indicator", "States Parties concerned")


def victim_assistance(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """Victim assistance commitments per State: one row per State, one column per `dap.4.*` indicator."""
    rules = [r for r in _rules(book, "dap.4.") if any(f.rule == r.id and f.iso3 for f in ev.findings)]
    cell = {(f.iso3, f.rule): f.status for f in ev.findings if f.iso3 is not None and f.rule.startswith("dap.4.")}
    names = {f.iso3: f.state for f in ev.findings if (f.iso3, f.rule) in cell}
    # the States with obligations to victims: those with a finding in most indicators, not only the catch-all ones
    isos = sorted((i for i in names if sum(1 for r in rules if (i, r.id) in cell) * 2 > len(rules)), key=lambda i: names[i])
    if not rules or not isos:
        return None
    statuses = ordered(cell[(i, r.id)] for i in isos for r in rules if (i, r.id) in cell)
    with rc_context(RC):
        fig = _figure(9, 2.4 + 0.36 * len(rules))
        ax = fig.add_subplot()
        for yi, r in enumerate(rules):
            for xi, iso in enumerate(isos):
                st = cell.get((iso, r.id))
                if st is None:
                    continue
                ax.add_patch(Rectangle((xi - 0.46, yi - 0.42), 0.92, 0.84, facecolor=_colour(st), edgecolor="white"))
                ax.text(xi, yi, symbol(st), ha="center", va="center", fontsize=8.5, fontweight="bold",
                        color=palette.text_on(st))
        ax.set_xlim(-0.5, len(isos) - 0.5)
        ax.set_ylim(len(rules) - 0.5, -0.5)
        ax.set_yticks(range(len(rules)), [_sentence(textwrap.shorten(r.title.removeprefix("Reported "), 70, placeholder="…"))
                                          for r in rules], fontsize=8)
        ax.xaxis.tick_top()
        ax.set_xticks(range(len(isos)), [textwrap.shorten(names[i], 22, placeholder="…") for i in isos],
                      rotation=35, ha="left", fontsize=8.5)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        handles = [Rectangle((0, 0), 1, 1, facecolor=_colour(st), edgecolor="white", label=f"{symbol(st)} {_label(st)}")
                   for st in statuses]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(statuses), frameon=False, fontsize=9)
        title = f"Victim assistance commitments per State, as of {ev.as_of:%d %B %Y}"
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
    lines = [f"{names[i]}: " + ", ".join(f"{r.title} {_label(cell[(i, r.id)])}" for r in rules if (i, r.id) in cell)
             for i in isos]
    desc = ("Grid, one column per State with victim assistance findings in most DAP Action 4 indicators, one row per "
            "indicator, each cell the status as a colour and a letter. " + ". ".join(lines) + ".")
    caption = (f"One column per State with findings in most DAP Action 4 indicators (the States with Article 5 "
               f"obligations), one row per indicator (\"Reported\" left out of the titles); each cell is the finding's status, as a colour and a letter "
               f"({', '.join(f'{symbol(st)} {_label(st)}' for st in statuses)}). The States behind each count are in "
               "area D's table.")
    return Chart("chart-victim-assistance", title, desc, caption, _svg(fig, "chart-victim-assistance", title, desc))


def _month_ends(start: date, end: date) -> list[date]:
    """`start`, the last day of each month after it and before `end`, and `end`."""
    out, y, m = [start], start.year, start.month
    while True:
        last = date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)
        if last >= end:
            return out + [end] if end > start else out
        if last > start:
            out.append(last)
        y, m = y + m // 12, m % 12 + 1


def _mostly_unknown(by_status: dict[str, list[int]]) -> bool:
    """Whether unknown is most of what a panel would draw (State-months)."""
    total = sum(sum(c) for c in by_status.values())
    return bool(total) and sum(by_status.get("unknown", [])) * 2 > total


def reporting_over_time(h: History, book: RuleBook) -> Chart | None:
    """Article 7 obligations over time: for each `art7.*` obligation, how many States were in
    each status at the end of each month of the history (e.g. initial reports overdue)."""
    rules = [r for r in book.rules if r.id.startswith("art7.") and r.kind == "obligation"]
    days = _month_ends(h.start, h.end)
    tracks = [t for t in h.tracks if t.rule in {r.id for r in rules}]
    if not rules or not tracks or len(days) < 2:
        return None
    statuses = ordered(iv.status for t in tracks for iv in t.intervals)
    counts = {r.id: {s: [0] * len(days) for s in statuses} for r in rules}
    for t in tracks:
        for i, d in enumerate(days):
            iv = t.on(d)
            if iv is not None:
                counts[t.rule][iv.status][i] += 1
    # A range where nothing is known is not drawn as grey: the chart starts where something is known,
    # and a panel still mostly unknown says so.
    known = [sum(counts[r][s][i] for r in counts for s in statuses if s != "unknown") for i in range(len(days))]
    first = next((i for i, n in enumerate(known) if n), 0)
    skipped = days[first] if first else None
    days = days[first:]
    counts = {r: {s: c[first:] for s, c in by.items()} for r, by in counts.items()}
    if len(days) < 2:
        return None
    title = f"Article 7 obligations by status at each month's end, {days[0]:%B %Y} to {h.end:%B %Y}"
    with rc_context(RC):
        fig = _figure(9, 1.2 + 2.4 * len(rules))
        axes = fig.subplots(len(rules), 1, sharex=True, squeeze=False)[:, 0]
        for ax, r in zip(axes, rules):
            areas = ax.stackplot(days, *(counts[r.id][s] for s in statuses), step="pre",
                                 colors=[_colour(s) for s in statuses], labels=[_label(s) for s in statuses], linewidth=0)
            for area, s in zip(areas, statuses):
                area.set_hatch(STATUS_HATCHES.get(s))
            ax.set_title(f"{r.title} ({r.id})", loc="left", fontsize=10)
            if _mostly_unknown(counts[r.id]):
                ax.text(0.5, 0.5, "Mostly unknown: the sources do not say", transform=ax.transAxes, ha="center",
                        va="center", fontsize=11, fontweight="bold", color="#333333",
                        bbox={"facecolor": "white", "edgecolor": "#999999", "boxstyle": "round,pad=0.4"})
            ax.set_ylabel("States")
            ax.set_xlim(days[0], days[-1])
            ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        axes[-1].xaxis.set_major_locator(mdates.YearLocator())
        axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=len(statuses), frameon=False, fontsize=9)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
    parts = []
    for r in rules:
        c = counts[r.id]
        peak = max(range(len(days)), key=lambda i: (c["overdue"][i] if "overdue" in c else 0, -i))
        parts.append(f"{r.title} ({r.id}): on {days[-1]:%d %B %Y} "
                     + ", ".join(f"{c[s][-1]} {_label(s)}" for s in statuses if c[s][-1])
                     + (f"; most overdue: {c['overdue'][peak]}, first on {days[peak]:%d %B %Y}"
                        if "overdue" in c and c["overdue"][peak] else ""))
    desc = (f"Stacked areas, one panel per Article 7 obligation: the number of States in each status on the last "
            f"day of each month from {h.start:%d %B %Y} to {h.end:%d %B %Y}. " + "; ".join(parts) + ".")
    caption = ("States by status on the last day of each month, from the exact status intervals that "
               "ccmcheck history computes (the statuses evaluate --as-of gives on those days)."
               + (f" Nothing is known before {skipped:%B %Y} (every finding unknown), so the chart starts there."
                  if skipped else "")
               + "".join(f" {r.title}: mostly unknown, the sources do not say." for r in rules
                         if _mostly_unknown(counts[r.id])))
    return Chart("chart-reporting-over-time", title, desc, caption,
                 _svg(fig, "chart-reporting-over-time", title, desc))


MARKERS = {  # what: (marker, colour, legend label)
    "eif": ("o", "#000000", "entry into force"),
    "art3": ("^", "#E69F00", "stockpile destruction deadline (Art. 3)"),
    "art4": ("D", "#CC79A7", "clearance deadline (Art. 4)"),
    "extension": ("*", "#D55E00", "extension granted"),
    "done": ("P", "#009E73", "completed (on or by)"),
}
WORK = {"art3": ("stockpile destruction", "stockpile-deadlines"), "art4": ("clearance", "clearance-deadlines")}


def _completed(fb: FactBase, iso3: str, rule_id: str) -> date | None:
    """The latest day the completion fact allows, where a finding is met but gives no single day."""
    st = fb.find(iso3)
    obs = st.article3.destruction_completed if rule_id.startswith("art3.") else st.article4.clearance_completed
    return min((ev.window()[1] for ev in obs or () if ev.status == "done" and ev.window()[1] is not None), default=None)


def deadlines(fb: FactBase, book: RuleBook, ev: Evaluation, article: str) -> Chart | None:
    """One line per State with an `article` (art3 or art4) finding: entry into force, deadline, extensions, completion."""
    derived = {r.id for r in book.rules if r.kind == "derived-date" and r.id.startswith("art17.")}
    per: dict[str, dict[str, list[date]]] = {}
    for f in ev.findings:
        if f.iso3 is not None and f.rule.split(".")[0] == article:
            marks = per.setdefault(f.iso3, {})
            if f.due is not None:
                marks.setdefault(article, []).append(f.due)
            done = f.met_on or (_completed(fb, f.iso3, f.rule) if f.status in ("met", "met_late") else None)
            if done is not None:
                marks.setdefault("done", []).append(done)
    if not per:
        return None
    for f in ev.findings:
        if f.iso3 in per and f.rule in derived and (f.met_on or f.due):
            per[f.iso3].setdefault("eif", []).append(f.met_on or f.due)  # type: ignore[arg-type]
    names = {st.iso3: st.name for st in fb.states}
    for st in fb.states:
        if st.iso3 in per:
            for ext in (st.article3 if article == "art3" else st.article4).extensions:
                if ext.decided_on <= ev.as_of:
                    per[st.iso3].setdefault("extension", []).append(ext.decided_on)
    work, key = WORK[article]
    key = f"chart-{key}"
    order = sorted(per, key=lambda i: names[i])
    with rc_context(RC):
        fig = _figure(9, 1.7 + 0.3 * len(order))
        ax = fig.add_subplot()
        y = {iso: len(order) - 1 - k for k, iso in enumerate(order)}
        lo = min(d for m in per.values() for ds in m.values() for d in ds)
        hi = max(d for m in per.values() for ds in m.values() for d in ds)
        for iso in order:
            ds = [d for ds in per[iso].values() for d in ds]
            ax.plot([min(ds), max(ds)], [y[iso]] * 2, color="#999999", linewidth=1, zorder=1)
        for what, (marker, colour, _) in MARKERS.items():
            xs = [d for iso in order for d in per[iso].get(what, [])]
            ys = [y[iso] for iso in order for _ in per[iso].get(what, [])]
            if xs:
                ax.scatter(xs, ys, marker=marker, color=colour, s=46 if marker != "*" else 90, zorder=3,
                           edgecolors="white", linewidths=0.5)
        ax.axvline(ev.as_of, color="#333333", linestyle="--", linewidth=1)
        ax.annotate(f"as of {ev.as_of:%d %b %Y}", (ev.as_of, len(order) - 0.4), ha="left", va="bottom", fontsize=9,
                    xytext=(4, 0), textcoords="offset points", annotation_clip=False)
        ax.set_yticks(list(y.values()), [names[i] for i in y])
        ax.set_ylim(-0.7, len(order) - 0.3)
        ax.set_xlim(date(lo.year, 1, 1), date(hi.year + 1, 1, 1))
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        shown = [w for w in MARKERS if any(per[iso].get(w) for iso in order)]
        handles = [Line2D([], [], marker=m, color=c, linestyle="", markersize=8 if m != "*" else 11, label=label)
                   for m, c, label in (MARKERS[w] for w in shown)]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(shown), frameon=False, fontsize=9)
        title = f"{work.capitalize()} against deadlines"
        ax.set_title(title, loc="left", fontweight="bold", pad=14)
    lines = []
    for iso in order:
        m = per[iso]
        bits = [f"{MARKERS[w][2]} {', '.join(d.isoformat() for d in sorted(m[w]))}" for w in MARKERS if m.get(w)]
        lines.append(f"{names[iso]}: " + "; ".join(bits))
    desc = (f"Timeline, one row per State with a {work} obligation as of {ev.as_of:%d %B %Y}. " + ". ".join(lines) + ".")
    caption = (f"One row per State with a {work} obligation (Article {article[3:]}) as of {ev.as_of:%d %B %Y}: its entry "
               f"into force, its {work} deadline (as extended), extensions granted and completion; the dashed line is "
               "the as-of date.")
    return Chart(key, title, desc, caption, _svg(fig, key, title, desc))


HISTORY_FROM = date(2011, 1, 1)  # the Article 7 chart over time: the first year reports fell due


def stockpile(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    return deadlines(fb, book, ev, "art3")


def clearance(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    return deadlines(fb, book, ev, "art4")


def reporting_history(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """`reporting_over_time` from January 2011 to the as-of date, with the evaluation's engine."""
    art7 = [r.id for r in book.rules if r.id.startswith("art7.") and r.kind == "obligation"]
    if not art7 or ev.as_of <= HISTORY_FROM:
        return None
    return reporting_over_time(history(fb, rules=book, engine=ev.engine, rule_ids=art7, start=HISTORY_FROM, end=ev.as_of),
                               book)


ChartMaker = Callable[[FactBase, RuleBook, Evaluation], "Chart | None"]
# Per thematic area (its letter), the charts the report draws there, in order; add a line for one more.
AREA_CHARTS: list[tuple[str, ChartMaker]] = [
    ("A", states_parties),
    ("B", stockpile),
    ("C", clearance),
    ("D", victim_assistance),
    ("E", cooperation),
    ("F", reporting),
    ("F", reporting_history),
    ("G", national_measures),
]


def area_charts(fb: FactBase, book: RuleBook, ev: Evaluation) -> dict[str, list[Chart]]:
    """The charts drawn for each area (letter), leaving out those with nothing to draw."""
    out: dict[str, list[Chart]] = {}
    for letter, make in AREA_CHARTS:
        chart = make(fb, book, ev)
        if chart is not None:
            out.setdefault(letter, []).append(chart)
    return out
