"""Ordering and grouping finding statuses, whatever statuses the rules give.

Each rule kind may bring statuses of its own (an obligation's `met`/`overdue`,
an indicator's `reported`/`not_reported`), so code that presents findings takes
the statuses from the findings themselves and orders them with `ordered`; a
status this module has never heard of still shows, after the known ones.
`DONE` and `MISSED` say which statuses a headline reads as "done" and "missed".
"""
from __future__ import annotations

from typing import Iterable

PREFERRED = ("met", "reported", "met_late", "overdue", "not_reported", "pending", "signatory", "unknown")
DONE = frozenset({"met", "met_late", "reported"})
MISSED = frozenset({"overdue", "not_reported"})


def ordered(statuses: Iterable[str]) -> list[str]:
    """The distinct statuses, known ones in `PREFERRED` order, others alphabetically before `unknown`."""
    seen = set(statuses)
    rank = {s: i for i, s in enumerate(PREFERRED)}
    return sorted(seen, key=lambda s: (rank.get(s, rank["unknown"] - 0.5), s))
