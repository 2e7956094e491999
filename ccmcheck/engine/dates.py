"""Date arithmetic for deadlines (python-dateutil), kept apart from matching."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from ..daterange import parse_day
from ..errors import InputError
from ..rules.model import Annually, AsOfOffset, DateExpr, Period

DateArg = date | datetime | str


def as_date(value: DateArg, name: str = "date") -> date:
    """What every public function taking a date accepts: a `date`, a `datetime`
    (its calendar date; the time is ignored) or an ISO string `YYYY-MM-DD`.

    Example: `ccmcheck.as_date("2017-06-30") == date(2017, 6, 30)`
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_day(value)  # the one definition of a date (not 20180430, not 2018-W18-1)
        except ValueError:
            pass
    raise InputError.single("arguments", "", name, f"not a date (YYYY-MM-DD): {value!r}")


def as_optional_date(value: DateArg | None, name: str = "date") -> date | None:
    return None if value is None else as_date(value, name)


@lru_cache(maxsize=65536)  # the same few dates and periods recur across States and as-of dates
def shift(d: date, p: Period) -> date:
    """`d` moved by a period; month ends clamp (31 Aug + 6 months = 28/29 Feb)."""
    return d + relativedelta(years=p.years, months=p.months, days=p.days)


def anchor_date(anchor: str | AsOfOffset | date, as_of: date) -> date:
    if isinstance(anchor, date):
        return anchor
    if isinstance(anchor, AsOfOffset):
        return shift(as_of, anchor.as_of)
    return as_of


def occurrence(every: Annually, as_of: date) -> tuple[date, str]:
    """The latest annual due date on or before `as_of`, and the calendar year it covers."""
    return _occurrence(every.month, every.day, as_of)


@lru_cache(maxsize=1024)  # one evaluation asks it once per finding of a yearly rule, always the same
def _occurrence(month: int, day: int, as_of: date) -> tuple[date, str]:
    year = as_of.year
    due = _clamped(year, month, day)
    if due > as_of:
        year -= 1
        due = _clamped(year, month, day)
    return due, str(year - 1)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, 1) + relativedelta(day=day)


def annual_date(year: int, every: Annually) -> date:
    """The year's due date (31 Feb clamps to the month's end)."""
    return _clamped(year, every.month, every.day)


def apply(expr: DateExpr, base: date, floor: date | None) -> date:
    """base + plus, to the first of the month if asked, and not before `floor`."""
    d = shift(base, expr.plus)
    if expr.first_of_month:
        d = d.replace(day=1)
    return max(d, floor) if floor is not None else d

