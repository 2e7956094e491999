"""The order rules are listed in everywhere: by instrument, article and action number.

Rule ids compared as text put `art15` before `art3` and `dap.10.1` before
`dap.2.1`; a reader expects the Convention's article order and the Dubrovnik
Action Plan's action order. Each run of digits in an id compares as a number.
"""
from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=4096)  # a few dozen rule ids, sorted by again for every finding
def rule_sort_key(rule_id: str) -> tuple[str | int, ...]:
    """`art3` < `art7` < `art15` < `art17` < `dap.2.1` < `dap.4.1` < `dap.4.1a` < `dap.10.1`.

    `re.split` with a group alternates text and digits, always starting with
    text, so the same position always holds the same type."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(rule_id)))


def finding_sort_key(rule_id: str, state: str) -> tuple[tuple[str | int, ...], str]:
    """Findings and counts: by rule, then by State name."""
    return rule_sort_key(rule_id), state
