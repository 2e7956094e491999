"""Text that other programs will interpret, made inert.

(Minimal version from branch yearly-cycle; branch hostile-input owns this module.)
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """OWASP CSV-injection defence: a cell a spreadsheet would run as a formula
    gets a leading single quote, so it is shown as text."""
    return "'" + value if value.startswith(FORMULA_START) else value
