"""Plain-text tables that fit the terminal.

The width is `COLUMNS` if set, else the terminal's own width, else 80 (the
output goes to a file or a pipe): `shutil.get_terminal_size`. Widths are display
widths (`wcwidth`: a CJK character takes two columns, a combining mark none). A
table wider than the terminal narrows its widest columns first and wraps what no
longer fits onto more lines, at spaces where it can: nothing is cut, and a
State's name or a rule id gives way only when nothing else can. Text that is not
a table (explanations, notes) is wrapped the same way.
"""
from __future__ import annotations

import shutil
from typing import Sequence

from wcwidth import wcswidth, wcwidth

from .safe import printable

GAP = "  "
SHORT = 12  # a column this narrow (a date, a status) is never narrowed
STAGES = (("others", 28), ("last", 30), ("others", 20), ("last", 12), ("others", SHORT), ("kept", 20),
          ("kept", SHORT))
NOTE_INDENT = "    "


def width() -> int:
    return max(shutil.get_terminal_size(fallback=(80, 24)).columns, 40)


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (a character wcwidth does not know counts as one)."""
    if text.isascii() and text.isprintable():  # most cells: one column a character, without asking wcwidth
        return len(text)
    n = wcswidth(text)
    return n if n >= 0 else sum(max(wcwidth(c), 1) for c in text)


def _chunks(word: str, limit: int) -> list[str]:
    """A word wider than `limit`, in pieces that fit (a long address, a name in one script)."""
    if word.isascii() and word.isprintable():  # a column a character
        step = max(limit, 1)
        return [word[i:i + step] for i in range(0, len(word), step)] or [word]
    out, cur = [], ""
    for ch in word:
        if cur and display_width(cur + ch) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    return out + [cur]


def _as_is(text: str) -> bool:
    """Wrapping would leave it as it is, if it fits: no run of spaces to close up, none at either end."""
    return "  " not in text and text.strip(" ") == text


def lines_of(text: str, limit: int) -> list[str]:
    """`text` wrapped at spaces into lines of at most `limit` columns; a word wider than that is split."""
    if display_width(text) <= limit and _as_is(text):
        return [text]  # it fits as it is
    out: list[str] = []
    cur = ""
    for word in text.split(" "):
        if not word:
            continue
        pieces = _chunks(word, limit) if display_width(word) > limit else [word]
        for piece in pieces:
            if not cur:
                cur = piece
            elif display_width(cur) + 1 + display_width(piece) <= limit:
                cur += " " + piece
            else:
                out.append(cur)
                cur = piece
    return out + [cur] if cur or not out else out


def wrap(text: str, limit: int | None = None, indent: str = "", first: str = "") -> str:
    """A paragraph wrapped to the width: `first` starts it, `indent` starts each later line."""
    limit = limit or width()
    first = first or indent
    body = lines_of(printable(text), max(limit - max(len(first), len(indent)), 10))
    return "\n".join((first if i == 0 else indent) + x for i, x in enumerate(body)) + "\n"


def _pad(text: str, w: int) -> str:
    return text + " " * max(w - display_width(text), 0)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], limit: int | None = None,
          keep: Sequence[str] = (), notes: Sequence[str] = ()) -> str:
    """Aligned columns, no line longer than `limit` (default: the terminal's width).

    A column empty in every row is left out. Columns give way in `STAGES`: the last
    column (an explanation, a title) first, then the widest of the others, then the
    last again; short columns (dates, statuses) never, and the columns named in
    `keep` (names people search for: a State, a rule id) only as a last resort. A
    cell wider than its column wraps onto the next lines. `notes` (one per row, may
    be empty) are written whole under their rows, indented."""
    limit = limit or width()
    shown = [i for i in range(len(header)) if not rows or any(str(r[i]) for r in rows)]
    cells = [[printable(str(r[i])) for i in shown] for r in [header, *rows]]  # a newline cannot add a row
    kept = {k for k, i in enumerate(shown) if header[i] in keep}
    widths = [max(map(display_width, {r[i] for r in cells})) for i in range(len(shown))]
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

    blocks: dict[tuple[str, int], list[str]] = {}  # a cell's lines, each padded to its column: cells repeat

    def block(x: str, w: int) -> list[str]:
        if (x, w) not in blocks:
            blocks[x, w] = [_pad(p, w) for p in lines_of(x, w)]
        return blocks[x, w]

    def row(r: Sequence[str]) -> list[str]:
        parts = [block(x, w) for x, w in zip(r, widths)]
        return [GAP.join(p[n] if n < len(p) else " " * w for p, w in zip(parts, widths)).rstrip()
                for n in range(max(map(len, parts)))]

    out = [*row(cells[0]), GAP.join("-" * w for w in widths)]
    for n, r in enumerate(cells[1:]):
        out += row(r)
        if n < len(notes) and notes[n]:
            out += wrap(notes[n], limit, indent=NOTE_INDENT).rstrip("\n").split("\n")
    return "\n".join(out) + "\n"
