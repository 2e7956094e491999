"""Charts for the HTML report, drawn with matplotlib as inline SVG.

No pyplot and no GUI backend: each chart is a `matplotlib.figure.Figure` saved
as SVG (what the Agg backend would do, without any global state). The SVG is
made byte-identical from run to run (a fixed `svg.hashsalt`, no date in the
metadata, which is then dropped altogether), its ids are prefixed so that several
charts can sit in one page, and it carries a <title> and <desc> for screen readers.

Which rules a chart draws on goes by id prefix or kind, as the report does:
- States Parties over time: the facts' deposit (and withdrawal) dates, and the
  Convention-wide target rules (kind `convention-target`) for the target line and
  its deadline;
- Article 7 reporting: every `art7.*` obligation, findings by status;
- Article 7 over time: every `art7.*` obligation, States by status on the last
  day of each month (from the status history, `engine.history`);
- deadlines per State: the States with an `art3.*` or `art4.*` finding, with the
  entry into force (`art17.*` derived date), the initial report due
  (`art7.initial-report`), the `art3.*`/`art4.*` deadlines and completions, and the
  extensions the facts record.
"""
from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..facts.loader import FactBase
from ..engine.history import History, history
from ..engine.results import STATUS_ORDER, Evaluation
from ..rules.loader import RuleBook

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
STATUS_COLOURS = {"met": "#009E73", "met_late": "#56B4E9", "overdue": "#D55E00", "pending": "#E69F00", "unknown": "#BBBBBB"}
STATUS_LABELS = {"met": "met", "met_late": "met late", "overdue": "overdue", "pending": "pending", "unknown": "unknown"}
RC = {"svg.hashsalt": "ccmcheck", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10,
      "axes.spines.top": False, "axes.spines.right": False}


@dataclass(frozen=True)
class Chart:
    key: str  # the HTML id of the chart; also prefixes every id inside its SVG
    area: str  # the report area (letter) it belongs to
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
    return Chart("chart-states-parties", "A", "States Parties over time", desc, desc,
                 _svg(fig, "chart-states-parties", "States Parties over time", desc))


def reporting(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """Article 7 reports by status: one stacked bar per `art7.*` obligation."""
    rules = [r for r in book.rules if r.id.startswith("art7.") and r.kind == "obligation"]
    if not rules:
        return None
    counts = {r.id: {s: 0 for s in STATUS_ORDER} for r in rules}
    for f in ev.findings:
        if f.rule in counts:
            counts[f.rule][f.status] += 1
    with rc_context(RC):
        fig = _figure(9, 1.2 + 0.75 * len(rules))
        ax = fig.add_subplot()
        labels = [textwrap.fill(r.title, 34) + f"\n({r.id})" for r in rules]
        y = list(range(len(rules)))[::-1]
        left = [0] * len(rules)
        for s in STATUS_ORDER:
            widths = [counts[r.id][s] for r in rules]
            ax.barh(y, widths, left=left, color=STATUS_COLOURS[s], edgecolor="white", height=0.6,
                    label=f"{STATUS_LABELS[s]}")
            for yi, l, w in zip(y, left, widths):
                if w:
                    ax.text(l + w / 2, yi, str(w), ha="center", va="center", fontsize=9,
                            color="white" if s in ("met", "overdue") else "black")
            left = [a + b for a, b in zip(left, widths)]
        ax.set_yticks(y, labels)
        ax.set_xlabel("States Parties with the obligation")
        ax.set_xlim(0, max(left + [1]) * 1.02)
        fig.legend(loc="outside lower center", ncols=len(STATUS_ORDER), frameon=False, fontsize=9)
        ax.set_title(f"Article 7 reports as of {ev.as_of:%d %B %Y}", loc="left", fontweight="bold")
    parts = []
    for r in rules:
        c = counts[r.id]
        parts.append(f"{r.title} ({r.id}): " + ", ".join(f"{c[s]} {STATUS_LABELS[s]}" for s in STATUS_ORDER if c[s]))
    desc = f"Stacked horizontal bars, one per Article 7 obligation, States by status as of {ev.as_of:%d %B %Y}. " + "; ".join(parts) + "."
    title = f"Article 7 reports as of {ev.as_of:%d %B %Y}"
    return Chart("chart-reporting", "F", title, desc, desc, _svg(fig, "chart-reporting", title, desc))


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


def reporting_over_time(h: History, book: RuleBook) -> Chart | None:
    """Article 7 obligations over time: for each `art7.*` obligation, how many States were in
    each status at the end of each month of the history (e.g. initial reports overdue)."""
    rules = [r for r in book.rules if r.id.startswith("art7.") and r.kind == "obligation"]
    days = _month_ends(h.start, h.end)
    tracks = [t for t in h.tracks if t.rule in {r.id for r in rules}]
    if not rules or not tracks or len(days) < 2:
        return None
    counts = {r.id: {s: [0] * len(days) for s in STATUS_ORDER} for r in rules}
    for t in tracks:
        for i, d in enumerate(days):
            iv = t.on(d)
            if iv is not None:
                counts[t.rule][iv.status][i] += 1
    title = f"Article 7 obligations by status at each month's end, {h.start:%B %Y} to {h.end:%B %Y}"
    with rc_context(RC):
        fig = _figure(9, 1.2 + 2.4 * len(rules))
        axes = fig.subplots(len(rules), 1, sharex=True, squeeze=False)[:, 0]
        for ax, r in zip(axes, rules):
            ax.stackplot(days, *(counts[r.id][s] for s in STATUS_ORDER), step="pre",
                         colors=[STATUS_COLOURS[s] for s in STATUS_ORDER],
                         labels=[STATUS_LABELS[s] for s in STATUS_ORDER], linewidth=0)
            ax.set_title(f"{r.title} ({r.id})", loc="left", fontsize=10)
            ax.set_ylabel("States")
            ax.set_xlim(days[0], days[-1])
            ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        axes[-1].xaxis.set_major_locator(mdates.YearLocator())
        axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=len(STATUS_ORDER), frameon=False, fontsize=9)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
    parts = []
    for r in rules:
        c = counts[r.id]
        peak = max(range(len(days)), key=lambda i: (c["overdue"][i], -i))
        parts.append(f"{r.title} ({r.id}): on {days[-1]:%d %B %Y} "
                     + ", ".join(f"{c[s][-1]} {STATUS_LABELS[s]}" for s in STATUS_ORDER if c[s][-1])
                     + (f"; most overdue: {c['overdue'][peak]}, first on {days[peak]:%d %B %Y}" if c["overdue"][peak] else ""))
    desc = (f"Stacked areas, one panel per Article 7 obligation: the number of States in each status on the last "
            f"day of each month from {h.start:%d %B %Y} to {h.end:%d %B %Y}. " + "; ".join(parts) + ".")
    caption = ("States by status on the last day of each month, from the exact status intervals that "
               "ccmcheck history computes (the statuses evaluate --as-of gives on those days).")
    return Chart("chart-reporting-over-time", "F", title, desc, caption,
                 _svg(fig, "chart-reporting-over-time", title, desc))


MARKERS = {  # what: (marker, colour, legend label)
    "eif": ("o", "#000000", "entry into force"),
    "initial": ("s", "#0072B2", "initial report due"),
    "art3": ("^", "#E69F00", "stockpile destruction deadline (Art. 3)"),
    "art4": ("D", "#CC79A7", "clearance deadline (Art. 4)"),
    "extension": ("*", "#D55E00", "extension granted"),
    "done": ("P", "#009E73", "completed (on or by)"),
}


def _completed(fb: FactBase, iso3: str, rule_id: str) -> date | None:
    """The latest day the completion fact allows, where a finding is met but gives no single day."""
    st = fb.find(iso3)
    event = st.article3.destruction_completed if rule_id.startswith("art3.") else st.article4.clearance_completed
    return event.window()[1] if event is not None and event.status == "done" else None


def deadlines(fb: FactBase, book: RuleBook, ev: Evaluation) -> Chart | None:
    """One line per State with an Art. 3 or Art. 4 finding: its dates, from entry into force to its deadlines."""
    derived = {r.id for r in book.rules if r.kind == "derived-date" and r.id.startswith("art17.")}
    per: dict[str, dict[str, list[date]]] = {}
    for f in ev.findings:
        if f.iso3 is not None and f.rule.split(".")[0] in ("art3", "art4"):
            marks = per.setdefault(f.iso3, {})
            if f.due is not None:
                marks.setdefault(f.rule.split(".")[0], []).append(f.due)
            done = f.met_on or (_completed(fb, f.iso3, f.rule) if f.status in ("met", "met_late") else None)
            if done is not None:
                marks.setdefault("done", []).append(done)
    if not per:
        return None
    for f in ev.findings:
        if f.iso3 in per:
            if f.rule in derived and (f.met_on or f.due):
                per[f.iso3].setdefault("eif", []).append(f.met_on or f.due)  # type: ignore[arg-type]
            elif f.rule == "art7.initial-report" and f.due is not None:
                per[f.iso3].setdefault("initial", []).append(f.due)
    names = {st.iso3: st.name for st in fb.states}
    for st in fb.states:
        if st.iso3 in per:
            for ext in list(st.article3.extensions) + list(st.article4.extensions):
                if ext.decided_on <= ev.as_of:
                    per[st.iso3].setdefault("extension", []).append(ext.decided_on)
    order = sorted(per, key=lambda i: names[i])
    with rc_context(RC):
        fig = _figure(9, 1.6 + 0.34 * len(order))
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
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=9)
        ax.set_title("Deadlines of States Parties with stockpile or clearance obligations", loc="left",
                     fontweight="bold", pad=14)
    lines = []
    for iso in order:
        m = per[iso]
        bits = [f"{MARKERS[w][2]} {', '.join(d.isoformat() for d in sorted(m[w]))}" for w in MARKERS if m.get(w)]
        lines.append(f"{names[iso]}: " + "; ".join(bits))
    title = "Deadlines of States Parties with stockpile or clearance obligations"
    desc = (f"Timeline, one row per State with an Article 3 or Article 4 finding as of {ev.as_of:%d %B %Y}. "
            + ". ".join(lines) + ".")
    caption = (f"One row per State with an Article 3 or Article 4 finding as of {ev.as_of:%d %B %Y}: its entry into "
               "force, initial report due date, stockpile destruction and clearance deadlines (as extended), "
               "extensions granted and completions; the dashed line is the as-of date. The dates are in the findings "
               "of Section II, areas B and C.")
    return Chart("chart-deadlines", "C", title, desc, caption, _svg(fig, "chart-deadlines", title, desc))


HISTORY_FROM = date(2011, 1, 1)  # the Article 7 chart over time: the first year reports fell due


def all_charts(fb: FactBase, book: RuleBook, ev: Evaluation) -> list[Chart]:
    art7 = [r.id for r in book.rules if r.id.startswith("art7.") and r.kind == "obligation"]
    over_time = None
    if art7 and ev.as_of > HISTORY_FROM:
        h = history(fb, rules=book, engine=ev.engine, rule_ids=art7, start=HISTORY_FROM, end=ev.as_of)
        over_time = reporting_over_time(h, book)
    made = [states_parties(fb, book, ev), reporting(fb, book, ev), over_time, deadlines(fb, book, ev)]
    return [c for c in made if c is not None]
