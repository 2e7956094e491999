"""`ccmcheck site` without a browser: where it refuses to write (one line, exit 2, nothing
written), and the escaping every page relies on (names, notes and URLs are data)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ccmcheck import api
from ccmcheck.facts.model import SourceDoc
from ccmcheck.web import markup, search

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "2017"


def _site(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ccmcheck", "site", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("where,message", [
    ("full", "refusing to write into a folder that is not empty"),
    ("inside", "refusing to write the site over or inside an input"),
    ("missing/site", "its parent folder does not exist"),
])
def test_refuses_bad_targets_in_one_line(tmp_path: Path, where: str, message: str) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine\n")
    target = {"full": full, "inside": FACTS / "site", "missing/site": tmp_path / "missing" / "site"}[where]
    r = _site(str(FACTS), "-o", str(target))
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert (full / "notes.txt").read_text() == "mine\n" and not (FACTS / "site").exists()


def test_bad_language_is_the_clis_message() -> None:
    r = _site(str(FACTS), "-o", "/tmp/never", "--lang", "la")
    assert r.returncode == 2 and r.stdout == "" and "argument --lang: invalid choice: 'la'" in r.stderr


def test_escaping() -> None:
    assert markup.esc('<img src=x onerror="a()">') == "&lt;img src=x onerror=&quot;a()&quot;&gt;"
    assert markup.esc("a\x1b[31mb") == "a\\x1b[31mb"
    assert markup.href("javascript:alert(1)") is None and markup.href("data:text/html,x") is None
    assert markup.href("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2"
    assert markup.href('https://x.org/"onmouseover=a()') is None
    sources = {"7msp": SourceDoc(title="Report")}
    out = markup.cited('done [7msp#84] <b> [other#1]', sources, "../")
    assert out == ('done [<a href="../sources.html#src-7msp">7msp#84</a>] &lt;b&gt; [other#1]')
    entry = markup.source_entry("k", SourceDoc(title="<T>", url="https://example.org/x", note="<n>"))
    assert "<T>" not in entry and "&lt;T&gt;" in entry and 'href="https://example.org/x"' in entry


def test_search_index_names_states_in_six_languages() -> None:
    fb = api.load_facts(FACTS)
    entries = {e["iso3"]: e for e in search.entries(fb, {})}
    assert len(entries) == len(fb.states)
    names = entries["HRV"]["names"]
    for name in ("Croatia", "Croatie", "كرواتيا", "Хорватия", "克罗地亚", "Croacia"):
        assert name in names
    assert "</script>" not in search.script(fb, {}) and search.script(fb, {}).isascii()


def test_the_documented_command_builds_the_site(tmp_path: Path) -> None:
    # docs/web.md: `ccmcheck site 2017 -o out/`, as a person types it
    r = _site("2017", "-o", str(tmp_path / "out"))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert r.stdout.startswith(f"wrote {tmp_path / 'out'}: ") and (tmp_path / "out" / "index.html").is_file()


@pytest.mark.slow  # over 3 s on the 2-core machine (tests/conftest.py): CI runs it, `pytest --slow` too
def test_a_translated_name_says_its_language(tmp_path: Path) -> None:
    # the page is English (<html lang="en">); a State named in French is marked so a screen reader reads it in French
    assert _site("2017", "-o", str(tmp_path / "fr"), "--lang", "fr").returncode == 0
    page = (tmp_path / "fr" / "state" / "hrv.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and '<h1><bdi dir="auto" lang="fr">Croatie</bdi>' in page
    assert _site("2017", "-o", str(tmp_path / "en")).returncode == 0
    assert '<h1><bdi dir="auto">Croatia</bdi>' in (tmp_path / "en" / "state" / "hrv.html").read_text(encoding="utf-8")
