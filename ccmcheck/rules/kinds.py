"""What a rule's findings are: a deadline to meet, or an indicator of what a report said.

An indicator rule (the DAP rules that ask whether the annual Article 7 report
mentioned something) has a due date, the report's, but missing it is "not
reported", not a missed treaty deadline: the calendar leaves indicators out and
`evaluate` does not list them among the findings that need action.
"""
from __future__ import annotations

from .model import Rule

DEADLINE_KINDS = ("obligation", "convention-target")


def is_indicator(rule: Rule) -> bool:
    return rule.kind == "indicator"


def is_deadline(rule: Rule) -> bool:
    """A due date someone must meet: an obligation or a Convention-wide target, not an indicator."""
    return rule.kind in DEADLINE_KINDS


def is_recurring(rule: Rule) -> bool:
    """Falls due every year (the annual report), so the calendar projects its next occurrences."""
    return rule.deadline is not None and rule.deadline.annually is not None
