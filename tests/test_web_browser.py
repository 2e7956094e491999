"""The site as a person uses it, in a real headless Chromium (Playwright driving the system
/usr/bin/chromium; no browser is downloaded). The site is written once with `ccmcheck site`
and opened from disk (file://); the served pages are opened from `ccmcheck serve`.

Every page load is watched: a console error, an uncaught exception or a request to any
address but the file system or the local server fails the test. What the pages show is
compared with the library's `evaluate` and `matrix`, never with numbers written here. The
screenshots under docs/ (index and Croatia, desktop and phone width) are written by
`test_screenshots`, from the same run.

Runs wherever /usr/bin/chromium (or CCMCHECK_CHROMIUM) is installed, and must run in CI (the
CI variable set; .ci/run installs Debian's chromium); elsewhere it is skipped with the reason.
"""
from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path
from typing import Iterator

import pytest

from ccmcheck import api
from ccmcheck.cli import run
from ccmcheck.rules.order import rule_sort_key
from ccmcheck.web import site

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "2017"
DOCS = ROOT / "docs"
CHROMIUM = Path(os.environ.get("CCMCHECK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium); CI is not set, so "
                                       "the browser tests are skipped")


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web") / "site"
    site.build(FACTS, out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing, and CI requires the browser tests"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


class Watched:
    """A page whose console errors, uncaught exceptions and outgoing requests are recorded."""

    def __init__(self, browser: object, viewport: dict, local: str = "") -> None:
        self.context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.local = local

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            parts = urllib.parse.urlsplit(url)
            if parts.scheme == "file" or (parts.scheme == "http" and parts.hostname == "127.0.0.1"):
                route.continue_()  # type: ignore[attr-defined]
            else:
                self.outside.append(url)
                route.abort()  # type: ignore[attr-defined]

        self.context.route("**/*", guard)
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        self.context.close()
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.outside, f"requests leaving the machine: {self.outside}"


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    w = Watched(browser, DESKTOP)
    yield w.page
    w.close()


@pytest.fixture(scope="module")
def matrix() -> dict:
    return json.loads(run(["matrix", str(FACTS), "--format", "json"]))


@pytest.fixture(scope="module")
def evaluation() -> dict:
    return json.loads(run(["evaluate", str(FACTS), "--format", "json"]))


def _visible_rows(page: object) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#sc tbody tr", "rs => rs.filter(r => r.offsetParent !== null).map(r => r.dataset.iso3)")


def test_filter_overdue_then_open_a_state_and_read_its_history(page: object, site_dir: Path, matrix: dict) -> None:
    page.goto((site_dir / "index.html").as_uri())
    assert len(_visible_rows(page)) == len(matrix["rows"])
    page.select_option("#f-status", "overdue")
    overdue = [r["iso3"] for r in matrix["rows"] if any(c.get("status") == "overdue" for c in r["cells"].values())]
    assert _visible_rows(page) == overdue and overdue
    assert f"Showing {len(overdue)} of {len(matrix['rows'])} States" in page.inner_text("#f-count")
    first = page.locator("#sc tbody tr:not(.hidden-row) th a").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"state/{overdue[0].lower()}.html")
    assert page.inner_text("h1").startswith(name)
    history = api.history(FACTS, states=[overdue[0]], end=api.load_facts(FACTS).snapshot.as_of)
    kinds = {r.id: r.kind for r in api.load_rules().rules}
    chart = page.locator("svg.timeline").first
    labels = chart.locator("text.label").all_text_contents()
    assert labels == sorted((t.rule for t in history.tracks if kinds[t.rule] != "indicator"), key=rule_sort_key)
    years = chart.locator("text.year").all_text_contents()
    assert years and all(y.isdigit() for y in years) and years == sorted(years)
    assert name in chart.locator("title").first.text_content()
    tips = chart.locator("g.bar > title").all_text_contents()
    overdue_track = next(t for t in history.tracks if any(iv.status == "overdue" for iv in t.intervals))
    iv = next(iv for iv in overdue_track.intervals if iv.status == "overdue")
    assert any(t.startswith(f"{overdue_track.rule}: overdue from {iv.start}") for t in tips), tips


def test_sort_a_column_puts_overdue_first(page: object, site_dir: Path, matrix: dict) -> None:
    page.goto((site_dir / "index.html").as_uri())
    col = next(i for i, c in enumerate(matrix["columns"]) if c["key"] == "art7.initial-report")
    page.locator("#sc thead th").nth(col + 1).locator("button").click()
    assert page.get_attribute(f"#sc thead th >> nth={col + 1}", "aria-sort") == "ascending"
    first = page.locator("#sc tbody tr").first.get_attribute("data-iso3")
    row = next(r for r in matrix["rows"] if r["iso3"] == first)
    assert row["cells"]["art7.initial-report"]["status"] == "overdue"
    page.select_option("#f-area", "F")
    shown = page.eval_on_selector_all("#sc thead th", "ths => ths.filter(t => t.offsetParent !== null).length")
    assert shown == 1 + sum(1 for c in matrix["columns"] if c["key"].startswith(("art7", "dap.6")))


@pytest.mark.parametrize("typed", ["Croatie", "كرواتيا", "Хорватия"])
def test_search_by_name_in_another_language(page: object, site_dir: Path, typed: str) -> None:
    page.goto((site_dir / "rules.html").as_uri())
    page.locator("#q").fill(typed)
    first = page.locator("#q-results a").first
    assert first.inner_text().startswith("Croatia")
    assert _contrast(page, "#q-results a bdi", "#q-results") >= 4.5  # readable, not white on the white list
    page.locator("#q").press("Enter")
    page.wait_for_url("**/state/hrv.html")
    assert page.inner_text("h1").startswith("Croatia")


def _contrast(page: object, text: str, ground: str) -> float:
    """WCAG contrast ratio of the element `text`'s colour on the element `ground`'s background."""
    def luminance(css: str) -> float:
        r, g, b = (int(x) / 255 for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        return sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
                   for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b)))
    fg = luminance(page.eval_on_selector(text, "e => getComputedStyle(e).color"))  # type: ignore[attr-defined]
    bg = luminance(page.eval_on_selector(ground, "e => getComputedStyle(e).backgroundColor"))  # type: ignore[attr-defined]
    return (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05)


def test_keyboard_reaches_skip_link_search_and_filters(page: object, site_dir: Path) -> None:
    page.goto((site_dir / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.locator("#q").focus()
    page.keyboard.type("croa")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "state/hrv.html"
    page.locator("#f-status").focus()
    page.keyboard.press("ArrowDown")  # a select changes with the keyboard alone
    assert page.input_value("#f-status") != ""


def test_site_shows_the_statuses_and_counts_of_evaluate_and_matrix(page: object, site_dir: Path, matrix: dict,
                                                                    evaluation: dict) -> None:
    page.goto((site_dir / "index.html").as_uri())
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('#sc tbody tr')).map(r => [r.dataset.iso3,
        Array.from(r.cells).slice(1).map(c => c.dataset.counts ? JSON.parse(c.dataset.counts) : (c.dataset.status || null))])""")
    keys = [c["key"] for c in matrix["columns"]]
    expected = [[r["iso3"], [(r["cells"][k]["counts"] or r["cells"][k]["status"]) if k in r["cells"] else None
                             for k in keys]] for r in matrix["rows"]]
    assert shown == expected
    totals = page.evaluate("() => Array.from(document.querySelectorAll('#sc tfoot td')).map(c => JSON.parse(c.dataset.totals))")
    assert totals == [c["totals"] for c in matrix["columns"]]
    counts = page.evaluate("() => Object.fromEntries(Array.from(document.querySelectorAll('[data-count]'))"
                           ".map(e => [e.dataset.count, +e.textContent]))")
    assert counts == {f"{r}:{s}": n for r, c in evaluation["counts"].items() for s, n in c.items()}
    figures = page.evaluate("() => Object.fromEntries(Array.from(document.querySelectorAll('[data-figure]'))"
                            ".map(e => [e.dataset.figure, +e.textContent]))")
    assert figures["findings"] == len(evaluation["findings"])
    assert figures["overdue"] == sum(f["status"] == "overdue" for f in evaluation["findings"])
    audit = json.loads(run(["audit", str(FACTS), "Croatia", "--format", "json"]))
    page.goto((site_dir / "state" / "hrv.html").as_uri())
    rows = page.eval_on_selector_all("table.findings tbody tr",
                                     "rs => rs.map(r => [r.cells[0].innerText, r.cells[1].innerText])")
    assert rows == [[f["rule"], f["status"].replace("_", " ")] for f in audit["findings"]]


def test_state_page_links_calendar_and_sources(page: object, site_dir: Path) -> None:
    page.goto((site_dir / "state" / "hrv.html").as_uri())
    ics = page.get_attribute("a[href$='.ics']", "href")
    assert (site_dir / "state" / ics).resolve().read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    links = page.eval_on_selector_all("dl.sources a", "as => as.map(a => a.protocol)")
    assert links and set(links) <= {"https:", "http:"}
    page.locator("details summary").first.press("Enter")  # the date chain opens from the keyboard
    assert page.locator("ol.chain li").first.is_visible() or page.locator("details[open]").count() >= 1


def test_served_pages_and_search(browser: object, web_server: str, matrix: dict) -> None:
    w = Watched(browser, DESKTOP)
    try:
        w.page.goto(web_server + "/")
        w.page.select_option("#f-status", "overdue")
        assert len(_visible_rows(w.page)) == sum(1 for r in matrix["rows"]
                                                 if any(c.get("status") == "overdue" for c in r["cells"].values()))
        w.page.locator("#q").fill("Croatie")
        w.page.locator("#q").press("Enter")
        w.page.wait_for_url("**/state/hrv.html")
        assert w.page.inner_text("h1").startswith("Croatia")
    finally:
        w.close()


def test_screenshots(browser: object, site_dir: Path) -> None:
    """docs/web-*.png, regenerated on every run; at phone width no page is wider than the screen."""
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        w = Watched(browser, viewport)
        try:
            for rel, name in (("index.html", "index"), ("state/hrv.html", "state")):
                w.page.goto((site_dir / rel).as_uri())
                w.page.screenshot(path=str(DOCS / f"web-{name}-{suffix}.png"))
                assert w.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        finally:
            w.close()


def test_printable(page: object, site_dir: Path) -> None:
    """In print, the navigation, search and filters go; the content and the chart stay."""
    page.goto((site_dir / "state" / "hrv.html").as_uri())
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert page.locator("h1").is_visible() and page.locator("svg.timeline").first.is_visible()
    assert len(page.pdf()) > 10_000
