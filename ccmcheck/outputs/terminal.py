"""Plain-text tables that fit the terminal.

The width is `COLUMNS` if set, else the terminal's own width, else 80 (the
output goes to a file or a pipe): `shutil.get_terminal_size`. A table wider than
that narrows its widest columns first and cuts what no longer fits with "…";
the full text stays in the JSON and CSV formats. Text that is not a table
(explanations, notes) is wrapped instead.
"""
from __future__ import annotations

import shutil
import textwrap
import unicodedata
from typing import Sequence

from .safe import printable

GAP = "  "
SHORT = 12  # a column this narrow (a date, a status) is never cut
STAGES = (("others", 28), ("last", 30), ("others", 20), ("last", 12), ("others", SHORT), ("kept", 20),
          ("kept", SHORT))
ELLIPSIS = "…"


def width() -> int:
    return max(shutil.get_terminal_size(fallback=(80, 24)).columns, 40)


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: two for a wide (CJK) character, none for a combining mark."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` display columns, with an ellipsis if it was cut."""
    if display_width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > max(limit - 1, 0):
            break
        out, used = out + ch, used + w
    return out + ELLIPSIS


def pad(text: str, limit: int) -> str:
    """`text` cut to `limit` display columns and padded with spaces to exactly that many."""
    shown = cut(text, limit)
    return shown + " " * max(limit - display_width(shown), 0)


def wrap(text: str, limit: int | None = None, indent: str = "", first: str = "") -> str:
    """A paragraph wrapped to the width: `first` starts it, `indent` starts each later line."""
    return "\n".join(textwrap.wrap(printable(text), (limit or width()), initial_indent=first or indent, subsequent_indent=indent,
                                   break_on_hyphens=False, break_long_words=True)) + "\n"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], limit: int | None = None,
          keep: Sequence[str] = ()) -> str:
    """Aligned columns, no line longer than `limit` (default: the terminal's width).

    A column empty in every row is left out. Columns give way in `STAGES`: the last
    column (an explanation, a title) first, then the widest of the others, then the
    last again; short columns (dates, statuses) never, and the columns named in
    `keep` (names people search for: a State, a rule id) only as a last resort.
    What does not fit is cut."""
    limit = limit or width()
    shown = [i for i in range(len(header)) if not rows or any(str(r[i]) for r in rows)]
    cells = [[printable(str(r[i])) for i in shown] for r in [header, *rows]]  # a newline cannot add a row
    kept = {k for k, i in enumerate(shown) if header[i] in keep}
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(shown))]
    last = len(widths) - 1

    def over() -> int:
        return sum(widths) + len(GAP) * last - limit

    for which, floor in STAGES:
        candidates = {"last": [last], "others": [k for k in range(last) if k not in kept], "kept": sorted(kept)}[which]
        for i in sorted(candidates, key=lambda k: -widths[k]):
            if over() <= 0:
                break
            if i != last and widths[i] <= SHORT:
                continue
            least = floor if i == last else max(floor, display_width(cells[0][i]))
            widths[i] = min(widths[i], max(widths[i] - over(), least))
    if over() > 0:
        widths[last] = max(widths[last] - over(), 1)

    def line(r: Sequence[str]) -> str:
        return GAP.join(pad(x, w) for x, w in zip(r, widths)).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]]) + "\n"
