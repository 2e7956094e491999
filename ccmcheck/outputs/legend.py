"""What the keys in brackets stand for: `[7msp#30]` is paragraph 30 of a document a
reader must be able to find without this repository. Audits and the report end with
this legend of the source keys they cite; `ccmcheck sources` lists them all."""
from __future__ import annotations

import html as _html
import re
import textwrap
from typing import Iterable, Mapping

from ..facts.model import SourceDoc
from . import terminal
from .safe import markdown_text

_BRACKETS = re.compile(r"\[([^\[\]]+)\]")
WIDTH = 100  # terminal text at most this wide (narrower terminals: their width), wrapped between words


def cited(sources: Mapping[str, SourceDoc], refs: Iterable[str] = (), texts: Iterable[str] = ()) -> list[str]:
    """The snapshot's source keys that `refs` (source fields, `7msp#30; untc`) or the bracketed
    citations inside `texts` use, in the order the snapshot lists its sources."""
    docs = set()
    for ref in [*refs, *(m for t in texts for m in _BRACKETS.findall(t))]:
        docs.update(part.strip().split("#", 1)[0] for part in ref.split(";"))
    return [k for k in sources if k in docs]


def describe(src: SourceDoc) -> str:
    """One line a reader can search a library or the web with."""
    parts = [src.title.rstrip(".")]
    made = ", ".join(x for x in (src.issued_by, src.issued_on.isoformat() if src.issued_on else None) if x)
    for piece in (made, f"document symbol {src.symbol}" if src.symbol else None, src.citation, src.url,
                  f"({src.note})" if src.note else None):
        if piece:
            parts.append(piece)
    return ". ".join(parts)


def text(sources: Mapping[str, SourceDoc], keys: list[str], heading: str = "Sources cited") -> str:
    if not keys:
        return ""
    width = max(len(k) for k in keys)
    return f"\n{heading}\n" + "".join(
        textwrap.fill(describe(sources[k]), min(WIDTH, terminal.width()), initial_indent=f"  {k:<{width}}  ", subsequent_indent=" " * (width + 4),
                      break_long_words=False, break_on_hyphens=False) + "\n" for k in keys)


def markdown(sources: Mapping[str, SourceDoc], keys: list[str], heading: str = "Sources cited", level: int = 2) -> str:
    if not keys:
        return ""
    return f"\n{'#' * level} {heading}\n\n" + "".join(f"- `{k}`: {_md_link(sources[k])}\n" for k in keys)


def _md_link(src: SourceDoc) -> str:
    line = markdown_text(describe(src)).replace("|", "\\|")
    return line.replace(src.url, f"<{src.url}>") if src.url else line  # a well-formed http(s) URL (facts.model)


def html(sources: Mapping[str, SourceDoc], keys: list[str], heading: str = "Sources cited") -> str:
    if not keys:
        return ""
    items = []
    for k in keys:
        src = sources[k]
        line = _html.escape(describe(src))
        if src.url:
            url = _html.escape(src.url, quote=True)
            line = line.replace(_html.escape(src.url), f'<a href="{url}">{url}</a>')
        items.append(f"<dt><code>{_html.escape(k)}</code></dt><dd>{line}</dd>")
    return (f'<section id="sources" aria-labelledby="sources-h"><h2 id="sources-h">{_html.escape(heading)}</h2>'
            f"<dl>{''.join(items)}</dl></section>\n")
