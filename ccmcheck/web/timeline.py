"""A State's status history as a timeline: one row per rule, one bar per interval of `history`,
drawn as inline SVG (no script, no image file), readable without colour.

Each bar carries its status three ways: its colour (the Okabe-Ito colours of the report's
charts), a pattern for the statuses that need attention (hatched overdue, dotted pending),
and a `<title>` a screen reader or a mouse pointer reads ("art7.initial-report: overdue
from 2011-10-29 to 2017-06-30, due 2011-10-28"). The SVG has a title and a description, and
the page gives the same intervals as a table beside it.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..engine.history import Track
from ..outputs.palette import COLOURS as STATUS_COLOURS, OTHER as OTHER_COLOUR
from .markup import esc, status_word

LEFT, RIGHT, ROW, GAP, TOP, AXIS = 210, 890, 16, 6, 8, 26
_DAY = timedelta(days=1)
PATTERNS = {"overdue": "hatch", "not_reported": "hatch", "pending": "dots", "met_late": "back"}


def _x(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return LEFT + (RIGHT - LEFT) * (day - start).days / span


def _defs(key: str) -> str:
    return (f'<defs><pattern id="{key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-opacity=".45" '
            f'stroke-width="2"/></pattern>'
            f'<pattern id="{key}-dots" width="5" height="5" patternUnits="userSpaceOnUse"><circle cx="2.5" cy="2.5" '
            f'r="1" fill="#000" fill-opacity=".45"/></pattern>'
            f'<pattern id="{key}-back" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-opacity=".3" '
            f'stroke-width="1"/></pattern></defs>')


def interval_text(t: Track, start: date, end: date, status: str, due: date | None) -> str:
    return (f"{t.rule}: {status_word(status)} from {start} to {end}" + (f", due {due}" if due else ""))


def svg(key: str, tracks: list[Track], end: date, title: str) -> str:
    """The chart of `tracks` up to `end`; `key` makes its ids unique on the page."""
    first = min((iv.start for t in tracks for iv in t.intervals), default=end)
    start = date(first.year, 1, 1)
    height = TOP + len(tracks) * (ROW + GAP) + AXIS
    out = [f'<svg class="timeline" viewBox="0 0 900 {height}" width="900" height="{height}" role="img" '
           f'aria-labelledby="{key}-t {key}-d" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="{key}-t">{esc(title)}</title>',
           f'<desc id="{key}-d">{esc(_description(tracks, end))}</desc>', _defs(key)]
    axis_y = TOP + len(tracks) * (ROW + GAP)
    for year in range(start.year, end.year + 1):
        x = _x(date(year, 1, 1), start, end)
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{axis_y}"/>')
        if (end.year - start.year) < 12 or (year - start.year) % 2 == 0:
            out.append(f'<text class="year" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">{year}</text>')
    for i, t in enumerate(tracks):
        y = TOP + i * (ROW + GAP)
        out.append(f'<text class="label" x="{LEFT - 8}" y="{y + ROW - 4}" text-anchor="end">{esc(t.rule)}</text>')
        for iv in t.intervals:
            if iv.start > end:
                continue
            x0, x1 = _x(iv.start, start, end), _x(min(iv.end, end) + _DAY, start, end)
            tip = esc(interval_text(t, iv.start, min(iv.end, end), iv.status, iv.due))
            w = max(x1 - x0, 1.0)
            colour = STATUS_COLOURS.get(iv.status, OTHER_COLOUR)
            out.append(f'<g class="bar" data-status="{esc(iv.status)}"><title>{tip}</title>'
                       f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{ROW}" fill="{colour}"/>')
            if iv.status in PATTERNS:
                out.append(f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{ROW}" '
                           f'fill="url(#{key}-{PATTERNS[iv.status]})"/>')
            out.append("</g>")
    out.append(f'<line class="axis" x1="{LEFT}" y1="{axis_y}" x2="{RIGHT}" y2="{axis_y}"/>')
    out.append("</svg>")
    return "".join(out)


def _description(tracks: list[Track], end: date) -> str:
    last = []
    for t in tracks:
        iv = t.on(end)
        last.append(f"{t.rule} {status_word(iv.status)}" if iv else f"{t.rule} no finding")
    return (f"{len(tracks)} rules, one row each, bars coloured by status over time up to {end}. "
            f"On {end}: " + "; ".join(last) + ".")
