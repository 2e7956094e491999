"""Deadlines as people use them: a table, JSON, or an iCalendar file to import.

The iCalendar output (RFC 5545) is written here, by hand, so that it is
byte-identical from run to run: DTSTAMP is the snapshot's as-of date at midnight
UTC, never the wall clock.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

from ..engine.deadlines import CONVENTION_UID, Calendar, Deadline
from .safe import ics_text
from . import terminal
from .common import markdown_table, status_label

PRODID = "-//ccmcheck//CCM deadlines//EN"
REMIND_DAYS = 30  # `deadlines --remind`: a month's notice to prepare a report
SHORT_LIST = 3  # an event title names up to this many deadlines, then "and N more"


def render(cal: Calendar, fmt: str, remind: int = REMIND_DAYS) -> str:
    """`remind`: ics only, the days before each due date its reminder goes off (0: none)."""
    if fmt == "json":
        return to_json(cal)
    if fmt == "ics":
        return to_ics(cal, remind)
    rows = [[str(d.due), d.state, status_label(d.status), f"{d.what} ({d.citation})"] for d in cal.deadlines]
    if fmt == "markdown":
        return (f"# Deadlines\n\n{cal.snapshot}: due {cal.start} to {cal.end}, status as of {cal.as_of} "
                f"({len(rows)}).\n\n" + markdown_table(["due", "state", "status", "deadline"], rows))
    what = "deadlines and DAP indicators" if cal.everything else "deadlines"
    out = terminal.wrap(f"{cal.snapshot}: {what} due {cal.start} to {cal.end}, status as of {cal.as_of} "
                        f"({len(rows)})") + "\n"
    out += terminal.table(["due", "state", "status", "deadline"], rows) if rows else "None.\n"
    notes = []
    if any(d.projected for d in cal.deadlines):
        notes.append("Annual obligations after the as-of date are projected: each State the rule applies to "
                     "on that date, by the facts the snapshot holds.")
    if cal.overdue_before:
        notes.append(f"Not listed: {cal.overdue_before} deadlines due before {cal.start} and overdue "
                     f"(`--from` an earlier date, or `ccmcheck evaluate --status overdue`).")
    if not cal.everything:
        notes.append("DAP indicators (what an annual report mentions) are not deadlines: `--all` adds them.")
    notes.append("Rule ids, legal text and explanations: `--format json` or `--format ics`.")
    return out + "\n" + "".join(terminal.wrap(n) for n in notes)


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


def events(cal: Calendar) -> list[list[Deadline]]:
    """One event per State per date: the deadlines grouped, in the calendar's order."""
    groups: dict[tuple[date, str], list[Deadline]] = {}
    for d in cal.deadlines:
        groups.setdefault((d.due, d.state), []).append(d)
    return list(groups.values())


def event_uid(group: list[Deadline]) -> str:
    """Stable: the same State and date give the same UID, whatever else falls due that day."""
    d = group[0]
    return f"{(d.iso3 or CONVENTION_UID).lower()}.{d.due:%Y%m%d}@ccmcheck"


def _item(d: Deadline) -> str:
    state = "" if d.status == "pending" else f" [{status_label(d.status)}]"
    return f"{d.what} due ({d.citation}){state}"


def summary(group: list[Deadline]) -> str:
    """The event's title in plain words: "Croatia: annual transparency report covering 2017 due (Art. 7(2))"."""
    items = [_item(d) for d in group]
    if len(items) > SHORT_LIST:
        items = items[:1] + [f"and {len(group) - 1} more"]
    return f"{group[0].state}: " + "; ".join(items)


def _description(group: list[Deadline], cal: Calendar) -> str:
    blocks = []
    for d in group:
        lines = [f"{d.what} ({d.citation})",
                 f"Status as of {cal.as_of}: {status_label(d.status)}" + (f", met on {d.met_on}" if d.met_on else ""),
                 d.explanation]
        if d.missing:
            lines.append("Missing facts: " + "; ".join(d.missing))
        lines += [f"Rule: {d.rule} ({d.title})", f"Legal basis: {d.source}: \"{d.quote}\""]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks + [f"Source: {cal.snapshot} (ccmcheck deadlines)"])


def _alarm(group: list[Deadline], days: int) -> list[str]:
    """A VALARM (RFC 5545 3.6.6): a reminder `days` before the due date."""
    if days <= 0:
        return []
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{days}D",
            f"DESCRIPTION:{escape_text(f'In {days} days: ' + summary(group))}", "END:VALARM"]


def to_ics(cal: Calendar, remind: int = REMIND_DAYS) -> str:
    """The calendar as RFC 5545 text (CRLF line ends); one all-day VEVENT per State and date, each with
    a reminder `remind` days before (none when 0)."""
    stamp = f"{cal.as_of:%Y%m%d}T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text('CCM deadlines: ' + cal.snapshot)}"]
    for group in events(cal):
        due = group[0].due
        lines += ["BEGIN:VEVENT",
                  f"UID:{escape_text(event_uid(group))}",
                  f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape_text(summary(group))}",
                  f"DESCRIPTION:{escape_text(_description(group, cal))}",
                  f"CATEGORIES:{','.join(escape_text(s) for s in sorted({status_label(d.status) for d in group}))}",
                  "TRANSP:TRANSPARENT",
                  *_alarm(group, remind),
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
