"""Rows to and from spreadsheets: CSV (UTF-8) and XLSX (openpyxl), chosen by extension.

A text cell that a spreadsheet would run as a formula is written with a leading
apostrophe (`safe.spreadsheet_cell`, the OWASP defence); a cell that already
begins with an apostrophe gets one more. Reading removes exactly one leading
apostrophe from every text cell, so what was exported is read back as it was,
byte for byte, and a person may type `'=...` to mean text. XLSX cells that hold
formulas are refused on reading: a fact is a value someone can cite.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..errors import InputError, Problem
from ..fileio import write_atomic
from ..yaml_io import read_bytes
from .safe import spreadsheet_cell

FORMATS = ("csv", "xlsx")
MAX_COLUMNS = 64  # far more than the columns a fact row has; a cell beyond it is a mistake
XLSX_EPOCH = date(1899, 12, 31)  # Excel shows a time-only cell as a day 0 (1899-12-30) or 1899-12-31
Cell = str | date


def format_of(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise InputError.single(path, "", "", f"unknown spreadsheet type {path.suffix or '(none)'!r}: use .csv or .xlsx")
    return ext


def _escape(text: str) -> str:
    safe = spreadsheet_cell(text)
    return "'" + text if safe == text and text.startswith("'") else safe


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write(path: Path, columns: Iterable[str], rows: Iterable[Mapping[str, Cell]], sheet_title: str = "facts",
          split_by: str | None = None) -> None:
    """Write rows (missing cells blank) to a new .csv or .xlsx file, atomically. With `split_by`, a
    workbook has one sheet per value of that column (sorted; rows keep their order within each),
    a CSV keeps it as a column."""
    cols = list(columns)
    rows = list(rows)
    table = [[r.get(c, "") for c in cols] for r in rows]
    if format_of(path) == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(cols)
        for r in table:
            w.writerow([v.isoformat() if isinstance(v, date) else _escape(v) for v in r])
        write_atomic(path, out.getvalue().encode("utf-8-sig"))  # the BOM tells Excel it is UTF-8
        return
    if split_by is None or not rows:
        write_atomic(path, workbook([(sheet_title, cols, table)]))
        return
    parts: dict[str, list[list[Cell]]] = {}
    for r, line in zip(rows, table):
        parts.setdefault(str(r.get(split_by, "")) or sheet_title, []).append(line)
    write_atomic(path, workbook([(_title(k), cols, parts[k]) for k in sorted(parts)]))


def _title(text: str) -> str:
    """A sheet title Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    clean = re.sub(r"[:\\/?*\[\]]", " ", text).strip()
    return clean if len(clean) <= 31 else clean[:32].rsplit(" ", 1)[0][:31]  # at a word's end


def workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """An .xlsx workbook, one sheet per (title, columns, rows): a bold frozen header with filters,
    dates as dates (yyyy-mm-dd), numbers as numbers, text neutralised."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, cols, table in sheets:
        _sheet(wb.create_sheet(title[:31]), list(cols), table)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(cols: Sequence[str], table: Sequence[Sequence[object]]) -> str:
    """CSV text of rows: dates ISO, None blank, text neutralised (as `write` does)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for r in table:
        w.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v if isinstance(v, int)
                    else _escape(str(v)) for v in r])
    return out.getvalue()


def _sheet(ws: Any, cols: list[str], table: Sequence[Sequence[object]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in table:
        ws.append([v if isinstance(v, (date, int)) or v is None else _escape(str(v)) for v in r])
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        widest = max([len(col)] + [len(str(r[i - 1] or "")) for r in table[:500]])
        ws.column_dimensions[letter].width = min(max(widest + 2, 8), 60)
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "D2" if len(cols) > 3 else "A2"  # header row, and who and what stay in view
    ws.auto_filter.ref = ws.dimensions


MAX_SHEET_BYTES = 20 * 1024 * 1024  # a year's facts fill well under 1 MB


def read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    """(header, [(row number as the spreadsheet shows it, {column: cell})]) of a CSV or of a
    workbook's first sheet; rows with no cell skipped. The file must be a regular file under
    MAX_SHEET_BYTES; a CSV is parsed strictly (each row has the header's cells, no quote left
    open, no line break inside a cell)."""
    header, rows = read_sheets(path, every_sheet=False)
    return header, [(n, cells) for _, n, cells in rows]


def read_sheets(path: Path, every_sheet: bool = True) -> tuple[list[str], list[tuple[str, int, dict[str, Cell]]]]:
    """`read`, over every sheet of a workbook (the fill-in template has one per thematic area): each
    sheet has the first one's header; rows are (sheet title, row number, cells), the title "" for a
    CSV or a workbook of one sheet."""
    fmt = format_of(path)
    raw = read_bytes(path, "", MAX_SHEET_BYTES)
    grids = [("", _read_csv(path, raw))] if fmt == "csv" else _read_xlsx(path, raw, every_sheet)
    header: list[str] | None = None
    rows = []
    for title, grid in grids:
        where = f"sheet {title!r} row" if len(grids) > 1 else "row"
        if not grid:
            raise InputError.single(path, f"{where} 1" if title else "", "", "empty: no header row")
        first, head = grid[0]
        if first != 1:
            raise InputError.single(path, f"{where} 1", "", "empty: the header row must be the first row")
        this = [str(h).strip() for h in head]
        if header is not None and this != header:
            raise InputError.single(path, f"{where} 1", "", "its header differs from the first sheet's")
        header = this
        for n, values in grid[1:]:
            cells = {h: v for h, v in zip(header, values) if h}
            if any(v != "" for v in cells.values()):
                rows.append((title if len(grids) > 1 else "", n, cells))
    return header or [], rows


def _read_csv(path: Path, raw: bytes) -> list[tuple[int, list[Cell]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError.single(path, "", "", f"not UTF-8 text (byte {e.start}); save the CSV as UTF-8") from None
    problems: list[Problem] = []
    grid: list[tuple[int, list[Cell]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    width = None
    n = 0
    while True:
        n += 1  # the row as a spreadsheet numbers it: one per record, whatever the cells hold (U+2028)
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append(Problem(str(path), f"row {n}", "", f"malformed CSV: {e} (a quote left open?)"))
            break
        if not any(v.strip() for v in record):
            continue
        if any("\n" in v or "\r" in v for v in record):
            problems.append(Problem(str(path), f"row {n}", "", "a line break inside a cell (a quote left open?); "
                                    "write a note on one line"))
            continue
        if width is None:
            width = len(record)
        elif len(record) != width:
            problems.append(Problem(str(path), f"row {n}", "", f"{len(record)} cells, but the header has {width}"))
            continue
        grid.append((n, [_unescape(v) for v in record]))
    if problems:
        raise InputError(problems)
    return grid


def _read_xlsx(path: Path, raw: bytes, every_sheet: bool) -> list[tuple[str, list[tuple[int, list[Cell]]]]]:
    """Each sheet's (or the first sheet's) title and cells that hold something, by row: read by
    the cells the file has, not by the dimension it declares (one cell at XFD1048576 is one cell)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many types for a file that is not a workbook
        raise InputError.single(path, "", "", f"not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        problems: list[Problem] = []
        out = []
        worksheets = wb.worksheets if every_sheet else wb.worksheets[:1]
        for ws in worksheets:
            where = f"sheet {ws.title!r} row" if len(worksheets) > 1 else "row"
            ws.reset_dimensions()  # ignore the declared size: only the cells present are read
            grid: list[tuple[int, list[Cell]]] = []
            for r in ws.iter_rows():
                cells = [c for c in r if getattr(c, "value", None) is not None]
                if not cells:
                    continue
                row: list[Cell] = []
                for c in cells:
                    here = (str(path), f"{where} {c.row}", f"column {c.column_letter}")
                    if c.column > MAX_COLUMNS:
                        problems.append(Problem(*here, f"beyond the {MAX_COLUMNS} columns a fact row can use"))
                        continue
                    if getattr(c, "data_type", None) == "f":
                        problems.append(Problem(*here, "a formula; enter the value itself"))
                        continue
                    try:
                        value = _cell(c.value)
                    except ValueError as e:
                        problems.append(Problem(*here, str(e)))
                        continue
                    row += [""] * (c.column - 1 - len(row)) + [value]
                grid.append((cells[0].row, row))
            out.append((ws.title, grid))
        if problems:
            raise InputError(problems)
        return out
    except InputError:
        raise
    except Exception as e:  # a damaged sheet inside a readable archive
        raise InputError.single(path, "", "", f"not a readable .xlsx workbook ({type(e).__name__})") from None
    finally:
        wb.close()


def _cell(v: object) -> Cell:
    """A cell's value as text or a date; ValueError for a time of day, which is no date."""
    if v is None:
        return ""
    if isinstance(v, time) or (isinstance(v, datetime) and v.date() <= XLSX_EPOCH):
        raise ValueError("a time of day with no date (Excel's day 0 is 1899-12-30); enter the date as YYYY-MM-DD")
    if isinstance(v, datetime):
        return v.date() if v.time() == datetime.min.time() else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, str):
        return _unescape(v)
    return str(v)
