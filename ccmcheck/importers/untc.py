"""The UN depositary's status table of the Convention (MTDSG chapter XXVI-6), as a person gets it.

The UN Treaty Collection page (treaties.un.org, ViewDetails, mtdsg_no=XXVI-6) shows one
table (`id="ctl00_ContentPlaceHolder1_tblgrid"`) whose first row is the header and then
one row per participant. For this Convention the stored copies (the MTDSG page, and a
scrape of 2013) show four columns, `Participant | Signature | Provisional application(n) |
Approval(AA), Acceptance(A), Accession(a), Ratification`; other treaties' pages (and older
ones) have three, `Participant | Signature | Ratification, Acceptance(A), Approval(AA),
Accession(a)`: both are read, the deposit column found by its header. A participant is the
UN short name with footnote numbers after it (`<sup>`, `<superscript>`); dates are written
`3 Dec 2008`, a deposit's kind as a suffix (`a` accession, `A` acceptance, `AA` approval,
none for ratification), footnote numbers after a date. Provisional application (`n`; Art. 18)
is not a fact of the State file format and is not read. The
page ends with the notes the footnotes point to; a withdrawal is such a note ("... notified
the Secretary-General of its decision to withdraw ..."). The page may say when it was
read: "Status as at : DD-MM-YYYY".

Accepted as: the page saved as HTML; the table copied as text (a browser copies it
tab-separated, footnote numbers run on: `Lithuania3`); or CSV with the same columns.
Notes after a text or CSV table are read as lines starting with their number.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from dateutil.relativedelta import relativedelta

from ..errors import InputError
from ..facts.model import StateFacts

HEADER = ("Participant", "Signature", "Provisional application(n)", "Approval(AA), Acceptance(A), Accession(a), Ratification")
TABLE_ID = "ctl00_ContentPlaceHolder1_tblgrid"
KINDS = {"": "ratification", "a": "accession", "A": "acceptance", "AA": "approval"}
SUFFIX = {v: k for k, v in KINDS.items()}
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                      "Dec"), start=1)}
FULL_MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                           "September", "October", "November", "December"), start=1)}
_DATE = re.compile(r"^(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})\s*(AA|A|a)?\s*([\d,\s]*)$")
_NAME = re.compile(r"^(.*?[^\d,\s])[\s,]*((?:\d+[,\s]*)*)$")
_NOTE = re.compile(r"^\s*(\d{1,3})[.)\t ]\s*(\S.*)$")
_READ = re.compile(r"Status as at\s*:?\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.I)
_NOTICE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(FULL_MONTHS) + r")\s+(\d{4})")


@dataclass(frozen=True)
class Cell:
    day: date | None
    kind: str | None  # deposits: ratification, accession, acceptance, approval
    notes: tuple[int, ...]


@dataclass
class Participant:
    row: int  # 1-based position among the table's rows, header = row 1
    name: str
    notes: tuple[int, ...]
    signature: date | None
    deposit: date | None
    kind: str | None
    deposit_notes: tuple[int, ...] = ()


@dataclass
class StatusTable:
    participants: list[Participant]
    notes: dict[int, str] = field(default_factory=dict)
    read_on: date | None = None

    def withdrawal(self, p: Participant) -> tuple[date, date, int] | None:
        """(notified, took effect, note number) for a participant a note says withdrew: Art. 20(2),
        effective six months after the depositary received the notification."""
        for n in p.notes + p.deposit_notes:
            text = self.notes.get(n, "")
            if "withdraw" not in text.lower():
                continue
            m = _NOTICE.search(text)
            if m is None:
                continue
            notified = date(int(m.group(3)), FULL_MONTHS[m.group(2)], int(m.group(1)))
            return notified, notified + relativedelta(months=6), n
        return None


def parse_date(text: str, where: str) -> Cell:
    """`3 Dec 2008`, `9 Apr 2013 a`, `2 Sep 2014 AA 4`: the day, the kind its suffix says, footnotes."""
    t = " ".join(html.unescape(text).replace("\xa0", " ").split())
    if not t:
        return Cell(None, None, ())
    m = _DATE.match(t)
    if m is None or m.group(2) not in MONTHS:
        raise InputError.single(where, "", "", f"not a date as the depositary writes them (e.g. 3 Dec 2008): {t!r}")
    try:
        day = date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        raise InputError.single(where, "", "", f"no such day: {t!r}") from None
    notes = tuple(int(n) for n in re.findall(r"\d+", m.group(5) or ""))
    return Cell(day, KINDS[m.group(4) or ""], notes)


def _name(text: str) -> tuple[str, tuple[int, ...]]:
    t = " ".join(html.unescape(text).replace("\xa0", " ").split())
    m = _NAME.match(t)
    if m is None:
        return t, ()
    return m.group(1).strip(), tuple(int(n) for n in re.findall(r"\d+", m.group(2)))


class _Tables(HTMLParser):
    """Every table's rows as cells of text, footnote superscripts set apart by a space;
    and the text outside tables, line by line (where the notes are)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.depth = 0
        self.cell: list[str] | None = None
        self.outside: list[str] = []
        self.after: dict[int, int] = {}  # table index -> where the text after it starts in `outside`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append((dict(attrs).get("id") or "", []))
        elif self.depth and tag == "tr":
            self.tables[-1][1].append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []
        elif tag in ("sup", "superscript") and self.cell is not None:
            self.cell.append(" ")
        elif tag in ("br", "p", "div", "li") and not self.depth:
            self.outside.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self.after[len(self.tables) - 1] = len(self.outside)
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            if self.tables and self.tables[-1][1]:
                self.tables[-1][1][-1].append("".join(self.cell))
            self.cell = None
        elif tag in ("p", "div", "li") and not self.depth:
            self.outside.append("\n")

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif not self.depth:
            self.outside.append(data)


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 3 and " ".join(cells[0].split()).lower() == "participant" and \
        " ".join(cells[1].split()).lower() == "signature" and _deposit_column(cells) is not None


def _deposit_column(header: list[str]) -> int | None:
    """The column of deposits: the one whose header names ratification or accession."""
    return next((i for i, h in enumerate(header) if i >= 2 and ("ratification" in h.lower() or "accession" in h.lower())),
                None)


def _notes(lines: list[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    last: int | None = None
    for line in lines:
        m = _NOTE.match(line)
        if m:
            last = int(m.group(1))
            out[last] = " ".join(m.group(2).split())
        elif last is not None and line.strip():
            out[last] += " " + " ".join(line.split())
    return out


def _rows(table: list[list[str]], where: str) -> list[Participant]:
    out = []
    col = _deposit_column(table[0])
    assert col is not None  # _is_header checked it
    for i, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(table[0]) - len(cells))
        name, notes = _name(cells[0])
        here = f"{where}: row {i} ({name})"
        sig, dep = parse_date(cells[1], here), parse_date(cells[col], here)
        if sig.kind not in (None, "ratification"):
            raise InputError.single(where, f"row {i}", "Signature", f"{name}: a signature takes no kind suffix: {cells[1].strip()!r}")
        out.append(Participant(i, name, notes + sig.notes, sig.day, dep.day, dep.kind, dep.notes))
    return out


def _read_on(text: str) -> date | None:
    m = _READ.search(text)
    if m is None:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def read(path: Path) -> StatusTable:
    """The status table in FILE (HTML, tab-separated text or CSV); InputError if it is not one."""
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise InputError.single(path, "", "", f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError.single(path, "", "", "not UTF-8 text: save the page as HTML or the table as text/CSV") from None
    if path.suffix.lower() in (".html", ".htm") or re.search(r"<table", raw, re.I):
        return _read_html(raw, str(path))
    lines = raw.splitlines()
    start = next((i for i, line in enumerate(lines) if re.split(r"[\t,]", line)[0].strip().strip('"').lower() == "participant"), None)
    if start is None:
        raise InputError.single(path, "", "", f"no header row {' | '.join(HEADER)!r}: not the depositary's status table")
    head = lines[start]
    if "\t" in head:
        table = [line.split("\t") for line in lines[start:]]
    else:
        table = [r for r in csv.reader(io.StringIO("\n".join(lines[start:])))]
    if not _is_header(table[0]):
        raise InputError.single(path, "row 1", "", f"the header is not {' | '.join(HEADER)!r}")
    # The table ends at its first row that is not a participant (a blank line, then the notes).
    end = next((i for i, cells in enumerate(table[1:], start=1) if not any(c.strip() for c in cells)), len(table))
    notes = _notes(lines[start + end:])
    return StatusTable(_rows(table[:end], str(path)), notes, _read_on("\n".join(lines[:start])))


def _read_html(raw: str, where: str) -> StatusTable:
    parser = _Tables()
    parser.feed(raw)
    found = [i for i, (tid, rows) in enumerate(parser.tables) if tid.lower() == TABLE_ID.lower() and rows] or \
        [i for i, (_, rows) in enumerate(parser.tables) if rows and _is_header(rows[0])]
    if not found or not _is_header(parser.tables[found[0]][1][0]):
        raise InputError.single(where, "", "", f"no table with the header {' | '.join(HEADER)!r}: not the "
                                "depositary's status page")
    i = found[0]
    after = "".join(parser.outside[parser.after.get(i, len(parser.outside)):])
    return StatusTable(_rows(parser.tables[i][1], where), _notes(after.splitlines()), _read_on("".join(parser.outside)))


# ------------------------------------------------------------------ writing (fixtures, round trips)

def format_date(day: date | None, kind: str | None = None) -> str:
    if day is None:
        return ""
    suffix = SUFFIX.get(kind or "ratification", "")
    return f"{day.day} {day.strftime('%b')} {day.year}" + (f" {suffix}" if suffix else "")


def write_html(participants: list[Participant], notes: dict[int, str], read_on: date) -> str:
    """A page in the depositary's layout (the tests' fixtures)."""
    def sup(ns: tuple[int, ...]) -> str:
        return "".join(f"<sup>{n}</sup>" for n in ns)
    rows = "".join(f"<tr><td>{html.escape(p.name)}{sup(p.notes)}</td><td>{format_date(p.signature)}</td><td></td>"
                   f"<td>{format_date(p.deposit, p.kind)}{sup(p.deposit_notes)}</td></tr>\n" for p in participants)
    body = "".join(f"<p>{n}. {html.escape(t)}</p>\n" for n, t in sorted(notes.items()))
    return ("<html><head><title>UNTC</title></head><body>\n<h3>6. Convention on Cluster Munitions</h3>\n"
            f"<p>Status as at : {read_on.day:02d}-{read_on.month:02d}-{read_on.year} 05:00:00 EDT</p>\n"
            f'<table id="{TABLE_ID}">\n<tr>{"".join(f"<td>{h}</td>" for h in HEADER)}</tr>\n'
            f"{rows}</table>\n<h4>Notes:</h4>\n{body}</body></html>\n")


def write_text(participants: list[Participant], notes: dict[int, str]) -> str:
    """The table as a browser copies it: tab-separated, footnote numbers run on."""
    def run(ns: tuple[int, ...]) -> str:
        return ",".join(map(str, ns))
    lines = ["\t".join(HEADER)] + [
        f"{p.name}{run(p.notes)}\t{format_date(p.signature)}\t\t{format_date(p.deposit, p.kind)}"
        + (f" {run(p.deposit_notes)}" if p.deposit_notes else "") for p in participants]
    tail = [""] + [f"{n}. {t}" for n, t in sorted(notes.items())] if notes else []
    return "\n".join(lines + tail) + "\n"


def from_facts(states: list[StateFacts]) -> tuple[list[Participant], dict[int, str]]:
    """The participants and notes a status table would show for these States' treaty facts
    (for round trips: a withdrawal's note gives the notification, six months before it took effect)."""
    out, notes = [], {}
    for st in sorted(states, key=lambda s: s.name):
        t = st.treaty
        if t.signature is None and t.deposit is None:
            continue
        marks: tuple[int, ...] = ()
        if t.withdrawal is not None:
            n = len(notes) + 1
            notified = t.withdrawal.on - relativedelta(months=6)
            notes[n] = (f"On {notified.day} {notified.strftime('%B')} {notified.year}, the Government of {st.name} "
                        "notified the Secretary-General of its decision to withdraw from the Convention, in "
                        "accordance with article 20.")
            marks = (n,)
        out.append(Participant(len(out) + 2, st.name, marks, t.signature.on if t.signature else None,
                               t.deposit.on if t.deposit else None, t.deposit.kind if t.deposit else None))
    return out, notes
