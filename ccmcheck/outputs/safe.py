"""Output that cannot carry an attack: text from facts and rules files (names, notes,
sources) is data, and must not act as a terminal command, a table row, a spreadsheet
formula or a calendar property when it is shown.

- `printable`: for terminals, Markdown and error lines: control characters (ANSI
  escapes, newlines, tabs, VT, FF, DEL, C1), line and paragraph separators and
  bidirectional overrides are shown escaped (`\\x1b`, `\\n`, `\\u2028`), never raw;
- `spreadsheet_cell`: for CSV and XLSX exports: a cell that begins with
  `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP, "CSV
  Injection"), so no spreadsheet reads it as a formula, and the control characters
  an XLSX file cannot hold are shown escaped (`\x07`); `csv_text` writes a whole CSV
  through it, so every CSV writer (evaluate, audit, history, matrix) neutralises alike;
- `ics_text`: for iCalendar TEXT values: the control characters RFC 5545 forbids are
  removed (newlines are escaped as `\\n` before this, by the calendar writer).
"""
from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Sequence

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 and C1 controls and DEL; line/paragraph separators; bidi embeddings, overrides
# and isolates (which can make text read differently from what it is); the BOM.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's IllegalCharacterError
_ICS_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def printable(text: str) -> str:
    """`text` with every control character shown escaped, on one line."""
    return _UNSAFE.sub(_escape, text)


_MARKUP = re.compile(r"<(?=[A-Za-z/!?])|\]\(")  # raw HTML or an autolink opens with `<`; an inline link with `](`


def markdown_text(text: str) -> str:
    """`printable` text that Markdown shows as written: no raw HTML, no autolink, no inline link
    (`<script>`, `<javascript:...>`, `[x](javascript:...)` are escaped; `->` and `[7msp#84]` stay)."""
    return _MARKUP.sub(lambda m: "\\" + m.group(0), printable(text))


def printable_lines(text: str) -> str:
    """`printable` for a document of several lines: its line ends are kept."""
    return "\n".join(map(printable, text.split("\n")))


def spreadsheet_cell(value: str) -> str:
    """A cell no spreadsheet will run: formula-starting text gets a leading `'`; the
    control characters XLSX cannot store are escaped."""
    value = _XLSX_ILLEGAL.sub(_escape, value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(rows: Iterable[Sequence[object]], lineterminator: str = "\n") -> str:
    """Rows as CSV text, every text cell through `spreadsheet_cell`."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=lineterminator).writerows(
        [spreadsheet_cell(v) if isinstance(v, str) else v for v in r] for r in rows)
    return buf.getvalue()


def ics_text(value: str) -> str:
    """An iCalendar TEXT value without the control characters RFC 5545 forbids."""
    return _ICS_FORBIDDEN.sub("", value)
