"""The scorecard (`ccmcheck matrix`) as a terminal table, CSV, Markdown or HTML.

Every status has a letter as well as a colour (`SYMBOLS`; X for overdue, not O, which reads as a zero after a count), so that the HTML reads
in greyscale and for colour-blind readers; a status no entry here knows (a rule
kind may bring its own) gets its first letter and a neutral colour. The HTML has
no script: rows are sorted by State, each row has an anchor (`#state-afg`) and an
index of initial letters leads to them. The HTML fragment is also the report's
scorecard section.
"""
from __future__ import annotations

import html as _html
import shutil
import textwrap

from ..engine.areas import name_key
from ..engine.scorecard import Cell, Column, Scorecard
from ..engine.results import DONE
from . import palette, terminal
from .common import markdown_table as md_table, status_label
from .safe import csv_text as _safe_csv

SYMBOLS = {"met": "M", "reported": "R", "met_late": "L", "overdue": "X", "not_reported": "N", "pending": "P",
           "holds": "H", "last_known": "W", "unknown": "?"}  # W: was overdue (when last checked), unknown now
# Light tints of the Okabe-Ito colours the charts use: the letter stays legible on each, and their greys differ.
TINTS = palette.COLOURS  # the charts' colours: one palette everywhere


def symbol(status: str) -> str:
    return SYMBOLS.get(status, status[:1].upper())


def legend(sc: Scorecard) -> str:
    return ", ".join(f"{symbol(s)} {status_label(s)}" for s in sc.statuses)


def _due(cell: Cell) -> str:
    """The date worth a glance: when a finding not (yet) done was or is due."""
    return cell.due.isoformat() if cell.due is not None and cell.status not in DONE else ""


def _counts(cell: Cell, sep: str = " ") -> str:
    return sep.join(f"{n}{symbol(s)}" for s, n in cell.counts.items())


def _text(cell: Cell | None, col: Column, with_due: bool) -> str:
    if cell is None:
        return ""
    if col.kind != "obligation":
        return _counts(cell)
    due = _due(cell) if with_due else ""
    return f"{symbol(cell.status or '')} {due}".strip()


def _totals(sc: Scorecard) -> list[list[str]]:
    return [[f"total {status_label(s)}", *[str(c.totals.get(s, 0)) for c in sc.columns]] for s in sc.statuses]


def csv_text(sc: Scorecard) -> str:
    """One row per State; per obligation its status and due date, per DAP area its indicators per status."""
    header = ["state", "iso3"]
    for c in sc.columns:
        header += [c.key, f"{c.key} due"] if c.kind == "obligation" else [f"{c.key} {s}" for s in sc.statuses]
    table: list[list[str]] = [header]
    for r in sc.rows:
        row = [r.state, r.iso3]
        for c in sc.columns:
            cell = r.cells.get(c.key)
            if c.kind == "obligation":
                row += [cell.status or "", cell.due.isoformat() if cell.due else ""] if cell else ["", ""]
            else:
                row += [str(cell.counts.get(s, 0)) if cell else "" for s in sc.statuses]
        table.append(row)
    return _safe_csv(table)  # names are neutralised like every CSV cell


def _key_lines(sc: Scorecard) -> list[str]:
    return [f"{c.label}: {c.title} ({c.source})" for c in sc.columns]


def table(sc: Scorecard, width: int | None = None) -> str:
    """For a terminal of `width` columns (default: this one's, as `COLUMNS` or the terminal says): letters only
    (dates are in the other formats); the DAP columns go first if it is too narrow, and a State's name is never
    cut (at the narrowest, it wraps onto a second line)."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    columns = sc.columns
    natural = _grid(sc, columns, 10_000).splitlines()
    state_w = len(natural[1].split(" ")[0])  # the dashes under "State"
    if max(map(terminal.display_width, natural)) - state_w + NAME_ROOM > width:  # names would wrap too narrow
        columns = [c for c in sc.columns if c.kind == "obligation"]
    grid = _grid(sc, columns, width)
    out = textwrap.fill(f"{sc.snapshot}, as of {sc.as_of}: {len(sc.rows)} States", width) + "\n\n" + grid
    dap = "; DAP columns: the State's indicators per status" if any(c.kind != "obligation" for c in columns) else ""
    notes = [f"Status: {legend(sc)}{dap}.", *[f"{c.label}: {c.title} ({c.source})" for c in columns]]
    if columns != sc.columns:
        notes.append(f"The DAP columns are left out to fit {width} columns; --format csv or html has them.")
    return out + "\n" + "\n".join(textwrap.fill(n, min(width, 100), subsequent_indent="  ") for n in notes) + "\n"


NAME_ROOM = 22  # the least width a State's name wraps to before the DAP columns are left out


def _grid(sc: Scorecard, columns: list[Column], limit: int) -> str:
    rows = [[r.state, *[_text(r.cells.get(c.key), c, False).replace(" ", "") for c in columns]] for r in sc.rows]
    totals = [[f"total {status_label(s)}", *[str(c.totals.get(s, 0)) for c in columns]] for s in sc.statuses]
    grid = terminal.table(["State", *[c.label for c in columns]], rows + totals, limit=limit, keep=("State",))
    return "".join(ln.rstrip() + "\n" for ln in grid.splitlines())


def markdown(sc: Scorecard, heading: str = "") -> str:
    """The key and the table, under `heading` (a Markdown heading line; default: the scorecard's title)."""
    rows = [[r.state, *[_text(r.cells.get(c.key), c, True) for c in sc.columns]] for r in sc.rows]
    totals = [[f"**{t[0]}**", *t[1:]] for t in _totals(sc)]
    return "\n".join([heading or f"# Scorecard: {sc.snapshot}, as of {sc.as_of}", "",
                      f"One row per State with a finding. Status: {legend(sc)}; the date is when a finding not done "
                      "was or is due. A DAP column counts the State's indicators of that area per status.", "",
                      *[f"- `{line.split(':')[0]}`:{line.split(':', 1)[1]}" for line in _key_lines(sc)], "",
                      md_table(["State", *[f"`{c.label}`" for c in sc.columns]], rows + totals)])


# ---------------------------------------------------------------- HTML

CSS = """
table.scorecard{font-size:.8rem;width:auto}
table.scorecard th,table.scorecard td{padding:.1rem .3rem;white-space:nowrap}
table.scorecard tbody th{font-weight:600;white-space:normal;min-width:10em}
table.scorecard thead th{vertical-align:bottom}
table.scorecard tfoot th,table.scorecard tfoot td{background:#f4f6f9;font-variant-numeric:tabular-nums}
table.scorecard td.num{text-align:right}
.st{display:inline-block;white-space:nowrap;margin:.05em 0;min-width:1.3em;padding:0 .25em;border:1px solid #888;border-radius:2px;text-align:center;
font-weight:600;font-family:"DejaVu Sans Mono",monospace;font-size:.9em;color:#111}
.st-due{color:#333;font-size:.85em;margin-left:.25em;font-variant-numeric:tabular-nums;white-space:nowrap}
.st-n{font-weight:400;margin-right:.12em}
.az{font-size:.9rem}.az a{display:inline-block;padding:0 .25em}
dl.key{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .6rem;font-size:.85rem;margin:.5rem 0}
dl.key dt{font-weight:600}dl.key dd{margin:0}
@page scorecard{size:A4 landscape;margin:10mm 10mm 11mm}
.scorecard-page{page:scorecard}
@media print{
table.scorecard{font-size:6.6pt;margin:.2rem 0}table.scorecard th,table.scorecard td{padding:0 .18rem;line-height:1.1}
table.scorecard .st{padding:0 .15em;border-radius:1px;margin:0;line-height:1.05}
dl.key{font-size:7pt;grid-template-columns:max-content 1fr max-content 1fr}
.legend,.az{font-size:7.5pt;margin:.2rem 0}
}
"""


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def chip(status: str, count: int | None = None) -> str:
    """A status as a letter on its colour (with a count before it, for a DAP area)."""
    tint = palette.colour(status)
    n = f'<span class="st-n">{count}</span>' if count is not None else ""
    return f'<span class="st" style="background:{tint};color:{palette.text_on(status)}" title="{_e(status_label(status))}">{n}{_e(symbol(status))}</span>'


def _h_cell(cell: Cell | None, col: Column) -> str:
    if cell is None:
        return "<td></td>"
    if col.kind != "obligation":
        return "<td>" + " ".join(chip(s, n) for s, n in cell.counts.items()) + "</td>"
    due = _due(cell)
    return f'<td>{chip(cell.status or "")}' + (f'<span class="st-due">{due}</span>' if due else "") + "</td>"


def html_fragment(sc: Scorecard, caption: str) -> str:
    """The legend, an index by initial and the table (rows sorted by State, each with an anchor)."""
    initials: dict[str, str] = {}
    for r in sc.rows:
        initials.setdefault(name_key(r.state)[0][:1].upper(), r.iso3)
    index = " ".join(f'<a href="#state-{iso.lower()}">{_e(k)}</a>' for k, iso in initials.items())
    keys = "".join(f"<dt>{_e(c.label)}</dt><dd>{_e(c.title)} ({_e(c.source)})</dd>" for c in sc.columns)
    head = "".join(f'<th scope="col"><abbr title="{_e(c.title)}">{_e(c.label)}</abbr></th>' for c in sc.columns)
    body = "".join(f'<tr id="state-{r.iso3.lower()}"><th scope="row">{_e(r.state)}</th>'
                   + "".join(_h_cell(r.cells.get(c.key), c) for c in sc.columns) + "</tr>" for r in sc.rows)
    foot = "".join(f'<tr><th scope="row">{chip(s)} {_e(status_label(s))}</th>'
                   + "".join(f'<td class="num">{c.totals.get(s, 0)}</td>' for c in sc.columns) + "</tr>"
                   for s in sc.statuses)
    chips = " ".join(f"{chip(s)} {_e(status_label(s))}" for s in sc.statuses)
    return (f'<div class="scorecard-page"><p class="legend">Status: {chips}. The date beside a status is when a finding not done was or is due. '
            "A DAP column counts the State's indicators of that area per status.</p>\n"
            f'<dl class="key">{keys}</dl>\n<p class="az">States: {index}</p>\n'
            f'<table class="scorecard"><caption>{_e(caption)}</caption><thead><tr><th scope="col">State</th>{head}</tr>'
            f"</thead><tbody>{body}</tbody><tfoot>{foot}</tfoot></table></div>\n")


def html(sc: Scorecard) -> str:
    """A page of its own: the fragment with just enough style."""
    title = f"Scorecard: {sc.snapshot}, as of {sc.as_of}"
    base = ("body{font-family:system-ui,\"DejaVu Sans\",sans-serif;margin:1.5rem 2rem;color:#1a1a1a}"
            "table{border-collapse:collapse}th,td{border:1px solid #bbb;text-align:left;vertical-align:top}"
            "thead th{background:#e8edf3}caption{text-align:left;font-weight:600;padding:.3rem 0}"
            "thead{display:table-header-group}tr{break-inside:avoid}")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{base}{CSS}</style>\n</head>\n<body>\n<main>\n<h1>{_e(title)}</h1>\n"
            + html_fragment(sc, f"{len(sc.rows)} States, one row each; totals per column at the foot")
            + "</main>\n</body>\n</html>\n")


def render(sc: Scorecard, fmt: str) -> str:
    if fmt == "json":
        return sc.to_json()
    return {"csv": csv_text, "markdown": markdown, "html": html}.get(fmt, table)(sc)
