"""Who is in breach of which Convention obligation: the report's opening paragraph and table.

A breach is an `overdue` finding of a rule whose source is the Convention itself
(not a Dubrovnik Action Plan commitment, which is political: those are counted in
one sentence after). A State whose finding is unknown now but was overdue when
last checked (`last_known`) is not counted as in breach; the paragraph names it
in a sentence of its own, since nothing recorded since says it complied.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..engine.areas import is_dap
from ..engine.progress import Report
from ..engine.scorecard import cell_status
from ..rules.order import rule_sort_key


@dataclass(frozen=True)
class Breach:
    """One Convention obligation and the States overdue on it."""

    rule: str
    title: str
    provision: str  # "CCM Art. 7(1)"
    states: list[str]


def breaches(rep: Report) -> list[Breach]:
    """The Convention obligations some State is overdue on, in article order, each with its States by name."""
    book = {r.id: r for r in rep.book.rules}
    by_rule: dict[str, list[str]] = {}
    for f in rep.evaluation.findings:
        if f.status == "overdue" and f.iso3 is not None and not is_dap(f.rule):
            by_rule.setdefault(f.rule, []).append(f.state)
    return [Breach(rid, book[rid].title, f"{book[rid].source.instrument} {book[rid].source.provision}",
                   sorted(by_rule[rid])) for rid in sorted(by_rule, key=rule_sort_key)]


def paragraph(rep: Report, found: list[Breach]) -> str:
    """One paragraph: how many States are in breach of what, and the DAP commitments overdue beside."""
    states = sorted({s for b in found for s in b.states})
    dap = sorted({f.state for f in rep.evaluation.findings if f.status == "overdue" and f.iso3 and is_dap(f.rule)})
    if found:
        what = "; ".join(f"{b.title} ({b.provision}): {len(b.states)}" for b in found)
        text = (f"As of {rep.as_of}, {len(states)} of the {rep.n_states} States in this snapshot are in breach of a "
                f"Convention obligation, past its deadline. {what}. The table names them; section III gives each "
                "deadline and its source.")
    else:
        text = f"As of {rep.as_of}, no State in this snapshot is overdue on a Convention obligation."
    stale = sorted({f.state for f in rep.evaluation.findings
                    if f.iso3 and not is_dap(f.rule) and cell_status(f) == "last_known"})
    if stale:
        text += (f" {len(stale)} State{'s were' if len(stale) != 1 else ' was'} overdue on a Convention obligation when "
                 f"last checked and nothing has been recorded since, so whether {'they still are' if len(stale) != 1 else 'it still is'}"
                 f" is unknown: {', '.join(stale)}.")
    if dap:
        text += (f" Beside the Convention's obligations, {len(dap)} States are overdue on a Dubrovnik Action Plan "
                 f"commitment (a political undertaking, not a breach of the Convention): {', '.join(dap)}.")
    return text
