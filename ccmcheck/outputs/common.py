"""Wording shared by every output (tables, Markdown, the report): each written once.

- `status_label`: a status as people read it ("met late", not `met_late`);
- `change_label`: a change of status ("overdue → met late");
- `markdown_table`: a GitHub-flavoured Markdown table, `|` and new lines escaped;
- `range_text`: a computed figure, exact or a range ("6–9");
- `contradiction_text`: the figures a report gives for the same thing;
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

from ..engine.choices import LAST_KNOWN
from ..engine.reconcile import ContradictionResult, FigureResult
from .safe import markdown_text

NO_FINDING = "no finding"


LABELS = {LAST_KNOWN: "overdue when last checked"}  # the scorecard's and the report's pseudo-status


def status_label(status: str | None) -> str:
    """`met_late` -> "met late"; `last_known` -> "overdue when last checked"; None (no finding on that side of
    a comparison) -> "no finding"."""
    return NO_FINDING if status is None else LABELS.get(status, status.replace("_", " "))


def change_label(before: str | None, after: str | None) -> str:
    return f"{status_label(before)} → {status_label(after)}"


def markdown_cell(text: object) -> str:
    """A table cell shown as written: control characters escaped (a newline adds no row), `|` escaped, no markup
    from the data (`safe.markdown_text`)."""
    return markdown_text(str(text)).replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(markdown_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def range_text(low: int | None, high: int | None) -> str:
    """What the engine computes for a published figure: "6", "6–9", or "not computed"."""
    if low is None or high is None:
        return "not computed"
    return str(low) if low == high else f"{low}–{high}"


def figure_range(f: FigureResult) -> str:
    return range_text(f.low, f.high)


def contradiction_text(c: ContradictionResult, figures: Mapping[str, FigureResult],
                       code: Callable[[str], str] = str) -> str:
    """"`a` (29, Section II) vs `b` (30, para 5) [source]: note"; `code` marks up a figure id."""
    figs = " vs ".join(f"{code(i)} ({figures[i].published}, {figures[i].where})" if i in figures else code(i)
                       for i in c.figures)
    return f"{figs} [{c.source}]: {'; '.join(filter(None, [c.note, supported_text(c, code)]))}"


def supported_text(c: ContradictionResult, code: Callable[[str], str] = str) -> str:
    """Which of the figures the facts reproduce: "the facts give `a`" or "the facts give none of them exactly"."""
    return (f"the facts give {', '.join(map(code, c.supported))}" if c.supported
            else "the facts give none of them exactly")
