"""The dates ccmcheck accepts: written `YYYY-MM-DD`, from EARLIEST to LATEST.

A bound on dates keeps every computation inside Python's calendar: a deadline is a
fact's date moved by at most MAX_YEARS (rules' `plus` and `as_of` offsets are bounded
too), and the day after it is still a date, so evaluation, `changes`, `report` and
iCalendar output cannot overflow. A date outside the bound in a facts or rules file,
or in `--as-of`, `--from` or `--to`, is bad input (exit 2), checked when it is read.

A date must be written as a date: an integer (`20090817`, a Unix time) or a date
with a time is an error, never read as a day.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MAX_YEARS = 200  # the longest period a rule may add to a date (years, or the same in months or days)
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The same rule for editors (JSON Schema): YYYY-MM-DD, years EARLIEST.year to LATEST.year.
DAY_PATTERN = r"^(19[0-9][0-9]|2[01][0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def out_of_range(d: date) -> str | None:
    """Why `d` is not accepted, or None."""
    if EARLIEST <= d <= LATEST:
        return None
    return f"{d.isoformat()} is outside the dates ccmcheck accepts ({EARLIEST} to {LATEST})"


def _written_as_day(value: Any) -> Any:
    if isinstance(value, datetime):
        raise ValueError("a date is written YYYY-MM-DD, without a time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return value  # pydantic parses it, and names an impossible day (31 February)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"a date is written YYYY-MM-DD, not {type(value).__name__ if not isinstance(value, bool) else 'true/false'}")
    raise ValueError(f"a date is written YYYY-MM-DD; {value!r} is not")


def parse_day(value: object) -> date:
    """The one reading of a date that every input shares (State files, spreadsheet
    cells, command-line options): a `date`, or text `YYYY-MM-DD` naming a real day
    between EARLIEST and LATEST. ValueError saying why otherwise (`20180430`,
    `2018-W18-1`, a time of day, `true`)."""
    d = _written_as_day(value.strip() if isinstance(value, str) else value)
    if not isinstance(d, date):
        try:
            d = date.fromisoformat(d)
        except ValueError:
            raise ValueError(f"not a date: {value!r} is no day of the calendar") from None
    return _in_range(d)


def _in_range(d: date) -> date:
    why = out_of_range(d)
    if why:
        raise ValueError(why)
    return d


Day = Annotated[date, BeforeValidator(_written_as_day), AfterValidator(_in_range),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN})]
"""A date field of a facts or rules file."""
