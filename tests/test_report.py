"""`ccmcheck report`: the progress report as Markdown and as one self-contained HTML page.

The expectations come from the snapshot, the rules and the evaluation (whatever figures,
rules and statuses exist), never from a list of ids or counts written here. The browser test opens the page
in headless Chromium: it runs wherever /usr/bin/chromium is installed, and must
run in CI (the CI variable set); elsewhere it is skipped with the reason.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

import ccmcheck
from ccmcheck.cli import main
from ccmcheck.engine import areas, progress
from ccmcheck.outputs import charts, report
from ccmcheck.outputs.report_markdown import markdown
from ccmcheck.yaml_io import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "2017"
AREA_HEADINGS = ["A. Universalization", "B. Stockpile destruction and retention",
                 "C. Clearance and risk reduction education", "D. Victim assistance",
                 "E. International cooperation and assistance", "F. Transparency measures",
                 "G. National implementation measures"]
CHROMIUM = Path(os.environ.get("CCMCHECK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def built() -> progress.Report:
    return report.build(FACTS)


@pytest.fixture(scope="module")
def md(built: progress.Report) -> str:
    return markdown(built)


@pytest.fixture(scope="module")
def html_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The HTML report written twice by the command line, each run from scratch."""
    out = tmp_path_factory.mktemp("html")
    files = out / "one.html", out / "two.html"
    for f in files:
        assert main(["report", str(FACTS), "--format", "html", "-o", str(f)]) == 0
    return files


# ---------------------------------------------------------------- where things go

@pytest.mark.parametrize("rule_id, letter", [
    ("art17.entry-into-force", "A"), ("art15.signatory-only", "A"), ("dap.1.1.universalization", "A"),
    ("art3.stockpile-destruction", "B"), ("dap.2.3.retention", "B"), ("art4.clearance", "C"),
    ("dap.3.2.risk-education-or-marking", "C"), ("art5.anything", "D"), ("dap.4.1a.va-focal-point", "D"),
    ("art6.anything", "E"), ("dap.5.7.isu-contribution", "E"), ("art7.initial-report", "F"), ("dap.6.1.x", "F"),
    ("art9.anything", "G"), ("dap.7.2.legislation-sufficient", "G"), ("art8.anything", "H"), ("dap.9.1.x", "H"),
])
def test_rules_go_to_areas_by_id_prefix(rule_id: str, letter: str) -> None:
    assert areas.area_of_rule(rule_id).letter == letter


def test_dap_action_from_the_id() -> None:
    assert areas.dap_action("dap.4.1a.va-focal-point") == ("4.1", "a")
    assert areas.dap_action("dap.3.2.risk-education-or-marking") == ("3.2", "")
    assert areas.dap_action("art3.stockpile-destruction") is None


@pytest.mark.parametrize("where, letter", [
    ("Table 3 (Section III.C), Develop a resourced plan", "C"), ("Section III.F, para 87", "F"),
    ("para 44", "D"), ("Section II, Victim Assistance (c)", "D"), ("Section II, Universalization (b)", "A"),
    ("Section II, International Cooperation and Assistance (c)", "E"), ("Section III.G", "G"),
    ("nowhere", None),
])
def test_figures_no_rule_computes_go_by_what_they_mention(where: str, letter: str | None) -> None:
    area = areas.area_of_text(where)
    assert (area.letter if area else None) == letter


# ---------------------------------------------------------------- Markdown

def test_markdown_has_every_area_rule_and_figure(built: progress.Report, md: str) -> None:
    snap = ccmcheck.load_facts(FACTS).snapshot
    assert md.startswith(f"# {snap.title}\n")
    for h in AREA_HEADINGS:
        assert f"\n### {h}\n" in md and f"\n### Headlines: {h}\n" in md, h
    for rule in ccmcheck.load_rules().rules:
        assert f"`{rule.id}`" in md, rule.id
    verdicts = {f.id: f.verdict for f in built.figures}
    assert set(verdicts) == {f.id for f in snap.published}
    lines = md.splitlines()
    for fig in snap.published:
        mine = [ln for ln in lines if f"`{fig.id}` “{fig.text}”" in ln]
        assert mine, f"figure {fig.id} is not in the report"
        assert any(f"published {fig.value}, computed" in ln and verdicts[fig.id].replace("_", " ") in ln for ln in mine)
    section = md[md.index("### Contradictions in the report"):md.index("\n## Sources cited\n")]  # the legend follows
    items = [ln for ln in section.splitlines() if ln.startswith("- ")]
    assert len(items) == len(snap.contradictions)
    for c, item in zip(snap.contradictions, items):
        assert all(f"`{i}` (" in item for i in c.figures) and item.count(" vs ") == len(c.figures) - 1


def test_markdown_counts_match_the_evaluation(built: progress.Report, md: str) -> None:
    """Each rule's row in its area's table of counts gives the evaluation's counts, under the statuses' own headers."""
    lines = md.splitlines()
    for rule_id, by_status in built.evaluation.counts.items():
        at = next(i for i, ln in enumerate(lines) if ln.startswith(f"| `{rule_id}` | ") and ln.endswith(" |")
                  and all(c.strip().isdigit() for c in ln.split("|")[2:-1]))
        header = next(lines[j] for j in range(at, 0, -1) if lines[j].startswith("| rule |"))
        shown = dict(zip([h.strip() for h in header.split("|")[2:-1]], [int(c) for c in lines[at].split("|")[2:-1]]))
        for status, n in by_status.items():
            assert shown.get(status.replace("_", " "), 0) == n, (rule_id, status)


def test_report_opens_with_who_is_in_breach(built: progress.Report, md: str) -> None:
    """The first section names who is in breach of which Convention obligation, in one paragraph and one table,
    computed from the overdue findings of the Convention's own rules (the DAP's are named apart)."""
    first = md.index("\n## ")
    assert md[first:].startswith("\n## Who is in breach\n")
    section = md[first:md.index("## I. Headline figures")]
    ev = built.evaluation
    overdue = [f for f in ev.findings if f.status == "overdue" and f.iso3 and not areas.is_dap(f.rule)]
    assert overdue
    states = {f.state for f in overdue}
    assert f"{len(states)} of the {built.n_states} States in this snapshot are in breach" in section
    for rule in {f.rule for f in overdue}:
        names = sorted(f.state for f in overdue if f.rule == rule)
        title = next(r.title for r in built.book.rules if r.id == rule)
        row = next(x for x in section.splitlines() if x.startswith(f"| {title} ("))
        assert f"| {len(names)} | {', '.join(names)} |" in row
    dap = {f.state for f in ev.findings if f.status == "overdue" and f.iso3 and areas.is_dap(f.rule)}
    assert all(s in section.split("Dubrovnik Action Plan")[1] for s in dap)


def test_report_headline_figures_follow(built: progress.Report, md: str) -> None:
    """Then the headline figures, computed from the findings: "80 of 101 States done; ... 20 overdue: ..."."""
    assert md.index("## I. Headline figures") < md.index("## II. Scorecard as of") < md.index("## III. Progress") < md.index("## Annex")
    ev = built.evaluation
    for rule in (r for r in built.book.rules if r.kind == "obligation" and not areas.is_dap(r.id)):
        mine = [f for f in ev.findings if f.rule == rule.id]
        done = sum(1 for f in mine if f.status in ("met", "met_late"))
        overdue = sorted((f.state for f in mine if f.status == "overdue"), key=areas.name_key)
        line = next(ln for ln in md[:md.index("## II.")].splitlines() if ln.startswith(f"- **{rule.title}**"))
        assert f"{done} of {len(mine)} States done" in line, line
        if overdue:
            assert f"{len(overdue)} overdue: {', '.join(overdue)}" in line, line


def test_commitments_with_a_deadline_are_headlines_and_indicators_are_summed(built: progress.Report) -> None:
    book = built.book
    assert not progress.is_indicator(book.get("dap.4.1a.va-focal-point"))  # a deadline: the end of 2016
    assert progress.is_indicator(book.get("dap.4.1.va-challenges"))  # any mention in the year's report
    assert not progress.is_indicator(book.get("art7.annual-report"))
    area_d = next(a for a in built.areas if a.area.letter == "D")
    assert "dap.4.1a.va-focal-point" in [r.rule.id for r in area_d.headlines]
    ind = area_d.indicators
    assert ind is not None and ind.rules == sum(1 for r in area_d.rows if progress.is_indicator(r.rule) and r.total)
    assert sum(ind.by_status.values()) == sum(r.total for r in area_d.rows if progress.is_indicator(r.rule))


def test_verdicts_are_in_the_annex_only(built: progress.Report, md: str) -> None:
    annex = md.index("## Annex")
    assert "**match**" not in md[:annex] and "**contradiction**" not in md[:annex]
    assert all(f"`{f.id}` “" in md[annex:] for f in built.figures)


def test_each_as_of_date_is_evaluated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = progress.evaluate

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[1] if len(args) > 1 else kwargs.get("as_of"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(progress, "evaluate", counting)
    rep = report.build(FACTS)
    assert len(calls) == len(set(calls)) == 2 and rep.as_of in calls


def test_markdown_and_html_end_with_the_sources_they_cite(md: str, html_files: tuple[Path, Path]) -> None:
    legend = md[md.index("\n## Sources cited\n"):]
    assert "- `7msp`: Convention on Cluster Munitions 7MSP Progress Report" in legend
    assert "<https://commons.lib.jmu.edu/cisr-globalcwd/100/>" in legend
    page = html_files[0].read_text(encoding="utf-8")
    assert '<section id="sources"' in page and '<a href="https://commons.lib.jmu.edu/cisr-globalcwd/100/">' in page
    assert page.index('<section id="sources"') > page.index('id="contradictions"')



def _snapshot_copy(tmp_path: Path) -> tuple[Path, Path]:
    """The 2017 facts with three figures of our own, and the rules plus one whose prefix has no area."""
    facts, rules = tmp_path / "facts", tmp_path / "rules"
    shutil.copytree(FACTS, facts)
    shutil.copytree(ccmcheck.load_rules().path, rules)
    snap = read_yaml(facts / "snapshot.yaml")
    snap["published"] = [
        {"id": "t.first-rule", "where": "somewhere", "text": "reports and entries into force", "value": 80, "source": "7msp#83",
         "measure": {"rules": ["art7.initial-report", "art17.entry-into-force"], "statuses": ["met"]}},
        {"id": "t.lost", "where": "nowhere", "text": "a count of nothing", "value": 2, "source": "7msp#II",
         "not_computed": "counts nothing"},
        {"id": "t.lost-again", "where": "nowhere", "text": "another count", "value": 3, "source": "7msp#II",
         "not_computed": "counts nothing either"},
    ]
    snap["contradictions"] = [{"figures": ["t.lost", "t.lost-again"], "source": "7msp#II", "note": "two and three"}]
    (facts / "snapshot.yaml").write_text(yaml.safe_dump(snap, allow_unicode=True), encoding="utf-8")
    text = (rules / "ccm" / "art7" / "initial-report.yaml").read_text(encoding="utf-8")
    (rules / "art8-copy.yaml").write_text(text.replace("id: art7.initial-report", "id: art8.copy-of-initial-report"),
                                          encoding="utf-8")
    return facts, rules


def test_placement_in_a_snapshot_of_our_own(tmp_path: Path) -> None:
    facts, rules = _snapshot_copy(tmp_path)
    rep = report.build(facts, rules=rules, engine="reference")
    area = {a.area.letter: a for a in rep.areas}
    assert [f.id for r in area["F"].rows for f in r.figures] == ["t.first-rule"]  # its first rule is art7.*
    assert [f.id for f in rep.unplaced] == ["t.lost", "t.lost-again"]
    assert [r.rule.id for r in area["H"].rows] == ["art8.copy-of-initial-report"]
    md = markdown(rep)
    assert "### Figures no rule computes, in no area" in md and "### H. Other rules" in md
    assert "`t.lost` (2, nowhere) vs `t.lost-again` (3, nowhere) [7msp#II]: two and three" in md


def test_output_file_and_bad_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(FACTS), "--format", "markdown", "-o", str(tmp_path / "no-such-dir" / "r.md")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"ccmcheck: {tmp_path / 'no-such-dir' / 'r.md'}: cannot write: no such folder\n"
    assert main(["report", str(FACTS), "--format", "pdf"]) == 2


# ---------------------------------------------------------------- HTML

def test_html_is_one_self_contained_file(html_files: tuple[Path, Path]) -> None:
    page = html_files[0].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    # The sources legend links each document's public address for the reader to follow; the page
    # itself loads nothing: no other reference, and no address anywhere else.
    start = page.index('<section id="sources"')
    legend, text = page[start:page.index("</section>", start)], page[:start] + page[page.index("</section>", start):]
    assert all(r.startswith("http") for r in re.findall(r'<a href="([^"]*)"', legend))
    assert not re.search(r"\b(?:src|xlink:href|action|poster|data)\s*=", legend, flags=re.I)
    refs = re.findall(r"""\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?([^"'\s>]*)""", text, flags=re.I)
    assert refs and all(r.startswith("#") for r in refs), [r for r in refs if not r.startswith("#")]
    assert not re.search(r"https?:|//[a-z]", text, flags=re.I), "a URL in the page"
    for tag in ("<script", "<link", "<iframe", "<img", "<object", "<embed", "@import", "url(http"):
        assert tag not in text.lower(), tag
    ids = Counter(re.findall(r'\bid="([^"]+)"', text))
    assert not [i for i, n in ids.items() if n > 1], "ids must be unique in the page"
    assert all(r in ids for r in re.findall(r'(?:href="#|url\(#)([^")]+)', text)), "a reference to a missing id"


def test_html_is_deterministic(html_files: tuple[Path, Path]) -> None:
    one, two = (f.read_bytes() for f in html_files)
    assert one == two


CHART_KEYS = ["chart-states-parties", "chart-stockpile-deadlines", "chart-clearance-deadlines", "chart-victim-assistance",
              "chart-cooperation", "chart-reporting", "chart-reporting-over-time", "chart-national-measures"]


def test_html_structure_and_charts(html_files: tuple[Path, Path]) -> None:
    text = html_files[0].read_text(encoding="utf-8")
    for h in AREA_HEADINGS:
        assert f">{h}</h3>" in text and f">{h}</a></h3>" in text, h
    assert text.count("<table") == text.count("<caption>") > 7
    sections = re.findall(r'<section id="([a-z-]+)"', text)
    assert sections[:4] == ["breach", "headlines", "scorecard", "progress"] and "annex" in sections
    assert text.index('class="verdict') > text.index('<section id="annex"'), "verdicts belong in the annex"
    svgs = re.findall(r"<svg\b[^>]*>", text)
    assert len(svgs) == len(CHART_KEYS) and all('role="img"' in s and "aria-labelledby" in s for s in svgs)
    assert re.findall(r'<figure id="([^"]+)">', text) == CHART_KEYS
    for key in CHART_KEYS:
        assert f'<title id="{key}-title">' in text and f'<desc id="{key}-desc">' in text, key
    assert "101 States Parties on 30 June 2017" in text  # the deposits counted by the first chart
    # each chart sits in its area's section
    for letter, make in charts.AREA_CHARTS:
        section = text[text.index(f'<section id="area-{letter.lower()}"'):]
        assert section.index('<figure id="chart-') < section.index("</section>"), letter


def test_html_lists_the_states_with_something_to_do_unfolded(built: progress.Report, html_files: tuple[Path, Path]) -> None:
    """Long lists of States are folded (they stay folded in print), but never the overdue or pending ones."""
    import html as _html

    text = html_files[0].read_text(encoding="utf-8")
    longest = max((r for a in built.areas for r in a.rows), key=lambda r: len(r.by_status.get("overdue", [])))
    names = longest.by_status["overdue"]
    assert len(names) > 12, "the snapshot has a long overdue list to check"
    assert f"<strong>overdue ({len(names)})</strong>: {_html.escape(', '.join(names))}</span>" in text
    assert "<details" in text  # and long lists of other statuses are folded


@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
def test_one_more_area_chart_slots_in(built: progress.Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart added to the list of area charts appears in its area, after the others."""
    def extra(fb: object, book: object, ev: object) -> charts.Chart:
        return charts.Chart("chart-extra", "Extra", "an extra chart", "An extra chart.", "<svg></svg>")

    monkeypatch.setattr(charts, "AREA_CHARTS", [*charts.AREA_CHARTS, ("F", extra)])
    text = report.render(built, "html")
    area_f = text[text.index('<section id="area-f"'):text.index('<section id="area-g"')]
    assert area_f.index('id="chart-reporting"') < area_f.index('id="chart-extra"')


# ---------------------------------------------------------------- in a browser

PROBE = """<script>
console.log("ccmcheck-probe: " + document.readyState);
const sizes = [...document.querySelectorAll("figure svg")].map(s => {
  const r = s.getBoundingClientRect(), b = s.getBBox();
  return [s.parentNode.id, Math.round(r.width), Math.round(r.height), Math.round(b.width), Math.round(b.height),
          s.querySelectorAll("path, use, text").length].join(":");
});
document.body.setAttribute("data-svg", sizes.join(" "));
document.body.setAttribute("data-resources", String(performance.getEntriesByType("resource").length));
</script>
</body>"""


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}",
           "--host-resolver-rules=MAP * ~NOTFOUND", *args]  # any network request would fail, and be logged
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, cwd=tmp)


@pytest.mark.slow  # over 3 s on the 2-core machine (tests/conftest.py): CI runs it, `pytest --slow` too
@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason=f"{CHROMIUM} is not installed (apt-get install chromium); CI is not set, so the browser test is skipped")
def test_html_in_headless_chromium(html_files: tuple[Path, Path], tmp_path: Path) -> None:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing, and CI requires the browser test"
    started = time.monotonic()
    page = html_files[0]
    shot = tmp_path / "report.png"
    r = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,4000", page.as_uri())
    assert shot.is_file(), r.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    from PIL import Image  # matplotlib depends on Pillow

    with Image.open(shot) as im:
        assert im.size == (1280, 4000)
        colours = im.convert("RGB").resize((320, 1000)).getcolors(1 << 20)
        assert colours is not None and len(colours) > 50, "the screenshot is (nearly) blank"

    probed = tmp_path / "probe.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE), encoding="utf-8")
    r = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--window-size=1280,4000", "--dump-dom", probed.as_uri())
    dom = r.stdout
    assert 'id="area-g"' in dom and dom.count("<svg") == len(CHART_KEYS), r.stderr[-2000:]
    assert "ccmcheck-probe: " in r.stderr, "console logging was not captured, so errors would go unseen"
    console = [ln for ln in r.stderr.splitlines() if "CONSOLE" in ln and "ccmcheck-probe" not in ln]
    assert not console, console
    for bad in ("Uncaught", "Failed to load resource", "Not allowed to load", "net::ERR_"):
        assert bad not in r.stderr, bad
    assert 'data-resources="0"' in dom, "the page loaded a resource"
    sizes = re.search(r'data-svg="([^"]*)"', dom)
    assert sizes, "the probe did not run"
    drawn_charts = [s.split(":") for s in sizes.group(1).split()]
    assert [c[0] for c in drawn_charts] == CHART_KEYS
    for key, *numbers in drawn_charts:
        width, height, bbox_w, bbox_h, drawn = map(int, numbers)
        assert width > 600 and height > 150 and bbox_w > 300 and bbox_h > 100 and drawn > 30, (key, numbers)

    pdf = tmp_path / "report.pdf"
    r = _chromium(tmp_path, f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), r.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    stated = re.search(r"runs to (\d+) pages for `facts/2017`", (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"))
    assert stated and int(stated.group(1)) == pages, f"the printed report runs to {pages} pages: say so in docs/cli.md"
    print(f"browser test: {time.monotonic() - started:.1f} s, {pages} pages printed")


def test_one_palette_every_status_its_own_colour(html_files: tuple[Path, Path]) -> None:
    """Every status has a colour of its own, the same in the charts, the scorecard chips and their legends."""
    from ccmcheck.engine.choices import LAST_KNOWN, STATUS_ORDER
    from ccmcheck.outputs import palette, scorecard as sc_out

    colours = [palette.colour(s) for s in (*STATUS_ORDER, LAST_KNOWN)]
    assert len(set(colours)) == len(colours)
    assert charts.STATUS_COLOURS is palette.COLOURS and sc_out.TINTS is palette.COLOURS
    page = html_files[0].read_text(encoding="utf-8")
    for status in ("met", "reported", "overdue", "not_reported"):
        assert f'style="background:{palette.colour(status)};color:{palette.text_on(status)}" title="{status.replace("_", " ")}"' in page


def test_changes_during_the_period_leave_out_unknown_unless_asked(built: progress.Report) -> None:
    shown = [t for ar in built.areas for r in ar.rows for t in r.changed]
    assert shown and not [t for t in shown if "unknown" in (t[0], t[1])]
    every = report.build(FACTS, newly_known=True)
    assert [t for ar in every.areas for r in ar.rows for t in r.changed if "unknown" in (t[0], t[1])]


def test_a_mostly_unknown_chart_says_so() -> None:
    assert charts._mostly_unknown({"unknown": [5, 5, 5], "met": [0, 1, 2]})
    assert not charts._mostly_unknown({"unknown": [1, 0, 0], "met": [3, 4, 5]})


@pytest.mark.slow  # WeasyPrint lays out all the report's pages: CI runs it, `pytest --slow` too
def test_pdf_without_a_browser(html_files: tuple[Path, Path], tmp_path: Path) -> None:
    """report --format pdf lays the HTML out with WeasyPrint; its text is the report's."""
    pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    data = report.pdf(html_files[0].read_text(encoding="utf-8"))
    assert data.startswith(b"%PDF-")
    out = tmp_path / "r.pdf"
    out.write_bytes(data)
    text = " ".join(" ".join((p.extract_text() or "") for p in pypdf.PdfReader(out).pages[:3]).split())
    assert "Who is in breach" in text and "in breach of a Convention obligation" in text
