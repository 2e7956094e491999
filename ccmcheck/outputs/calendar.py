"""Deadlines as people use them: a table, JSON, or an iCalendar file to import.

The iCalendar output (RFC 5545) is written here, by hand, so that it is
byte-identical from run to run: DTSTAMP is the snapshot's as-of date at midnight
UTC, never the wall clock.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

from ..engine.deadlines import Calendar, Deadline
from .render import table
from .safe import ics_text, printable

PRODID = "-//ccmcheck//CCM deadlines//EN"


def render(cal: Calendar, fmt: str) -> str:
    if fmt == "json":
        return to_json(cal)
    if fmt == "ics":
        return to_ics(cal)
    window = f"due {cal.start or 'any time'} to {cal.end or 'any time'}" if cal.start or cal.end else "every due date"
    rows = [[str(d.due), d.state, d.rule, d.label, d.source] for d in cal.deadlines]
    head = printable(f"Deadlines: {cal.snapshot}; status as of {cal.as_of}; {window} ({len(rows)})") + "\n\n"
    return head + table(["due", "state", "rule", "status", "source"], rows)


def to_json(cal: Calendar) -> str:
    items = []
    for d in cal.deadlines:
        item = d.model_dump(mode="json")
        item["uid"] = d.uid
        items.append(item)
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


# --- iCalendar (RFC 5545) ---------------------------------------------------------

def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return ics_text(value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str, limit: int = 75) -> str:
    """One content line, folded so no physical line exceeds `limit` octets (RFC 5545 3.1):
    CRLF then a space before each continuation. A fold never splits a UTF-8 character,
    nor (for the sake of lax readers) a backslash escape."""
    parts: list[str] = []
    chunk, size = "", 0
    for token in re.findall(r"\\.|.", line, flags=re.DOTALL):
        n = len(token.encode("utf-8"))
        room = limit if not parts else limit - 1  # a continuation line starts with the space
        if size + n > room and chunk:
            parts.append(chunk)
            chunk, size = "", 0
        chunk += token
        size += n
    parts.append(chunk)
    return "\r\n ".join(parts) + "\r\n"


def _summary(d: Deadline) -> str:
    return f"{d.state}: {d.rule} due" + ("" if d.status == "pending" else f" ({d.label})")


def _description(d: Deadline, cal: Calendar) -> str:
    lines = [d.title,
             f"Status as of {cal.as_of}: {d.label}" + (f" ({d.status})" if d.label != d.status else "")
             + (f", met on {d.met_on}" if d.met_on else ""),
             d.explanation]
    if d.missing:
        lines.append("Missing facts: " + "; ".join(d.missing))
    lines += [f"Legal basis: {d.source}: \"{d.quote}\"", f"Source: {cal.snapshot} (ccmcheck deadlines)"]
    return "\n".join(lines)


def to_ics(cal: Calendar) -> str:
    """The calendar as RFC 5545 text (CRLF line ends); one all-day VEVENT per deadline."""
    stamp = f"{cal.as_of:%Y%m%d}T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text('CCM deadlines: ' + cal.snapshot)}"]
    for d in cal.deadlines:
        lines += ["BEGIN:VEVENT",
                  f"UID:{escape_text(d.uid)}",
                  f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{d.due:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{d.due + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape_text(_summary(d))}",
                  f"DESCRIPTION:{escape_text(_description(d, cal))}",
                  f"CATEGORIES:{escape_text(d.label)}",
                  "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
