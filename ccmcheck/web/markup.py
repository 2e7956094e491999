"""Escaping and the frame every page shares.

Everything from facts and rules files (names, notes, explanations, URLs) is data:
`esc` escapes it for text and attributes, `href` admits only http(s) addresses
(anything else is shown as text, never linked), and `cited` links the bracketed
source keys of an explanation (`[7msp#84]`) to the sources page only after the
text is escaped. Pages link to one another by relative paths, so the site works
from disk (file://) and under any folder of a web host.
"""
from __future__ import annotations

import html
import re
from typing import Iterable, Mapping

from ..facts.model import SourceDoc
from ..outputs.safe import printable
from ..outputs.common import status_label

_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)
_KEYS = re.compile(r"\[([^\[\]]+)\]")
_KEY = re.compile(r"^[A-Za-z0-9_.-]+$")


def esc(value: object) -> str:
    """Text safe in an element or a quoted attribute; control characters shown escaped."""
    return html.escape(printable(str(value)), quote=True)


def href(url: str | None) -> str | None:
    """The escaped address if it is http(s), else None (javascript:, data: and the like are never links)."""
    return esc(url) if url and _URL.match(url) else None


def slug(text: str) -> str:
    """An id/file-name-safe form of a rule id or source key (they are already plain, this keeps it so)."""
    return re.sub(r"[^a-z0-9._-]", "-", text.lower())


def status_word(status: str | None) -> str:
    """A status in words, as every output says it ("met late", "overdue when last checked", "no finding")."""
    return status_label(status)


def badge(status: str | None) -> str:
    """A status as a word on its colour (the word carries the meaning; the colour only helps)."""
    if status is None:
        return '<span class="st st-none">no finding</span>'
    return f'<span class="st st-{esc(status)}">{esc(status_word(status))}</span>'


def cited(text: str, sources: Mapping[str, SourceDoc], root: str) -> str:
    """`text` escaped, each bracketed source key that the snapshot lists linked to its entry on the sources page."""
    def link(m: re.Match[str]) -> str:
        parts = []
        for part in m.group(1).split(";"):
            key = part.strip().split("#", 1)[0]
            shown = esc(part.strip())
            parts.append(f'<a href="{root}sources.html#src-{slug(key)}">{shown}</a>'
                         if _KEY.match(key) and key in sources else shown)
        return "[" + "; ".join(parts) + "]"
    out, last = [], 0
    for m in _KEYS.finditer(text):
        out.append(esc(text[last:m.start()]))
        out.append(link(m))
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def source_entry(key: str, src: SourceDoc) -> str:
    """One document, described so a reader can find it, with its public link when it has one."""
    made = ", ".join(x for x in (src.issued_by, src.issued_on.isoformat() if src.issued_on else None) if x)
    bits = [f"<cite>{esc(src.title)}</cite>"]
    bits += [esc(x) for x in (made, f"document symbol {src.symbol}" if src.symbol else None, src.citation) if x]
    url = href(src.url)
    if url:
        bits.append(f'<a href="{url}" rel="noopener noreferrer">{url}</a>')
    elif src.url:
        bits.append(esc(src.url))
    if src.note:
        bits.append(f"({esc(src.note)})")
    return (f'<dt id="src-{slug(key)}"><code>{esc(key)}</code></dt>'
            f'<dd>{". ".join(bits)}</dd>')


def table(caption: str, head: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """A table of cells already marked up; the first cell of each row is its header."""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join("<tr>" + "".join(f'<th scope="row">{c}</th>' if i == 0 else f"<td>{c}</td>"
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    klass = f' class="{cls}"' if cls else ""
    return (f'<div class="scroll"><table{klass}><caption>{caption}</caption><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def page(title: str, body: str, *, root: str, snapshot: str, as_of: str, lang: str | None = None,
         scripts: Iterable[str] = ()) -> str:
    """A whole page: the navigation (with the search box), `body` as the main content, the footer."""
    js = "".join(f'<script src="{root}assets/{s}" defer></script>' for s in scripts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>{esc(title)} · CCM compliance</title>
<link rel="stylesheet" href="{root}assets/site.css">
{js}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<nav aria-label="Site">
<a class="home" href="{root}index.html">CCM compliance</a>
<ul>
<li><a href="{root}index.html#scorecard">Scorecard</a></li>
<li><a href="{root}rules.html">Rules</a></li>
<li><a href="{root}sources.html">Sources</a></li>
</ul>
</nav>
<div class="search" role="search" data-root="{root}" hidden>
<label for="q">Find a State <span class="hint">(in Arabic, Chinese, English, French, Russian or Spanish)</span></label>
<input id="q" type="search" autocomplete="off" aria-describedby="q-hint" aria-controls="q-results" aria-expanded="false">
<span id="q-hint" class="visually-hidden">Type part of a name; results appear below.</span>
<ul id="q-results" class="results" aria-live="polite"></ul>
</div>
</header>
<main id="main" tabindex="-1">
{body}
</main>
<footer>
<p>{esc(snapshot)}; findings as of {esc(as_of)}{f", State names in {esc(lang)}" if lang else ""}. Generated by ccmcheck
from sourced facts and rules that quote the Convention and the Dubrovnik Action Plan. <code>unknown</code> means the facts
are silent, never a polite <code>overdue</code>.</p>
</footer>
</body>
</html>
"""
