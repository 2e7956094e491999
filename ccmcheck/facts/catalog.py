"""The fact catalogue: every fact path a rule may test, what it holds, and its values.

Rules name facts by these dotted paths (`article7.initial_report`); the rule
compiler checks each path and value against this table, and the engine turns
each fact of a State into evidence at its path.
"""
from __future__ import annotations

from dataclasses import dataclass

from .indicators import INDICATORS


@dataclass(frozen=True)
class FactKind:
    """What a fact path holds and which values a rule may test it for."""

    kind: str
    values: tuple[str, ...]
    keyed: bool = False


EVENT = ("done", "not_done", "partial")
CATALOG: dict[str, FactKind] = {
    "convention.opened_for_signature": FactKind("dated", ("done",)),
    "convention.entry_into_force": FactKind("dated", ("done",)),
    "treaty.signature": FactKind("dated", ("done",)),
    "treaty.deposit": FactKind("dated", ("done",)),
    "treaty.withdrawal": FactKind("dated", ("done",)),
    "article7.initial_report": FactKind("event", EVENT),
    "article7.annual_report": FactKind("event", EVENT, keyed=True),
    "article3.stockpile_at_eif": FactKind("flag", ("yes", "no")),
    "article3.destruction_completed": FactKind("event", EVENT),
    "article3.extension": FactKind("extension", ("granted",)),
    "article4.contaminated_at_eif": FactKind("flag", ("yes", "no")),
    "article4.new_contamination": FactKind("contamination", ("present",)),
    "article4.clearance_completed": FactKind("event", EVENT),
    "article4.extension": FactKind("extension", ("granted",)),
    "article5.victims": FactKind("flag", ("yes", "no")),
    "article5.va_focal_point": FactKind("event", EVENT),
    "article5.national_plan": FactKind("event", EVENT),
    "article9.legislation": FactKind("value", ("adopted", "existing_sufficient", "in_progress", "none")),
    **{f"reported.{name}": FactKind("event", EVENT, keyed=True) for name in INDICATORS},
}
