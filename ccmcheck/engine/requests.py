"""Extension requests beside a deadline: until a Meeting decides, the original deadline stands.

A rule whose deadline an extension moves (`deadline.extended_by`, Art. 3(3) and 4(5))
says in its finding that a request is pending: one submitted on or before the evaluation
date with no extension decided on or after it. A request submitted after the deadline it
asks to extend is noted as such (both articles require the request before the deadline).
The status is not changed: a request is not a decision.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..facts.model import StateFacts
from ..rules.model import Rule
from .results import Finding

PROVISION = {"article3": "Art. 3(3)", "article4": "Art. 4(5)"}


def with_requests(rule: Rule, finding: Finding, st: StateFacts, as_of: date) -> Finding:
    """The finding, its explanation ending with each pending request (unchanged if none). What
    history's memoising decider gives (a status tuple, no explanation) is passed through as it is."""
    if not isinstance(finding, Finding):
        return finding
    extended_by = rule.deadline.extended_by if rule.deadline is not None else None
    if extended_by is None or finding.status in ("met", "met_late"):
        return finding
    section = extended_by.split(".")[0]
    part = getattr(st, section, None)
    if part is None:
        return finding
    notes = []
    for req in sorted(getattr(part, "requests", []), key=lambda r: r.submitted_on):
        if req.submitted_on > as_of or any(req.submitted_on <= e.decided_on <= as_of for e in part.extensions):
            continue
        asked = f", to {req.deadline_requested}" if req.deadline_requested else ""
        text = (f"an extension request submitted on {req.submitted_on}{asked} [{req.source}] is pending: until a "
                f"decision the deadline{f' of {finding.due}' if finding.due else ''} stands")
        if finding.due is not None and req.submitted_on > finding.due:
            text += f"; it was submitted after that deadline ({PROVISION[section]} requires it before)"
        notes.append(text)
    if not notes:
        return finding
    extra = "; ".join(notes)
    return replace(finding, explanation=f"{finding.explanation}; {extra}",
                   explain=finding.explain + [extra] if finding.explain else [])
