"""ccmcheck: Convention on Cluster Munitions compliance, as rules over sourced facts.

    import ccmcheck
    ev = ccmcheck.evaluate("facts/2017")            # findings and counts
    ev.counts["art7.initial-report"]["overdue"]
    ccmcheck.audit("facts/2017", "Croatia").findings
    ccmcheck.matrix("facts/2017").rows[0].cells                     # the scorecard: State by obligation
    ccmcheck.deadlines("facts/2017", states=["Croatia"]).deadlines   # the year ahead
    ccmcheck.changes("facts/2017").happened                         # during the period
    pandas.DataFrame(ev.to_records())                                # flat rows
    ccmcheck.history("facts/2017", states=["Croatia"]).tracks               # status intervals over time

The package is layered, each layer importing only those below it:
`facts` and `rules` (formats and loaders), `engine` (matching, deciding,
what follows from findings), `outputs` (renderers, report, calendar), and on
top `api` (this package's public functions) and `cli`.
"""
__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

from typing import TYPE_CHECKING, Any

from .errors import CcmcheckError, InputError, Problem

if TYPE_CHECKING:
    from .api import (Audit, Calendar, Change, Changes, ContradictionResult, Deadline, Evaluation, FactBase, FigureResult,
                      Finding, History, Interval, Reconciliation, Rolled, RuleBook, Scorecard, SourceDoc, Status, Summary,
                      Track, Undecided, as_date, audit, bundled_snapshots, changes, deadlines, evaluate, export_facts, history,
                      import_facts, load_facts, load_rules, matrix, new_snapshot, reconcile, sources)

__all__ = ["Audit", "Calendar", "CcmcheckError", "Change", "Changes", "ContradictionResult", "Deadline", "Evaluation",
           "FactBase", "FigureResult", "Finding", "History", "InputError", "Interval", "Problem", "Reconciliation",
           "Rolled", "RuleBook", "Scorecard", "SourceDoc", "Status", "Summary", "Track", "Undecided", "__version__", "as_date",
           "audit", "bundled_snapshots", "changes", "deadlines", "evaluate", "export_facts", "history", "import_facts",
           "load_facts", "load_rules", "matrix", "new_snapshot", "reconcile", "sources"]


def __getattr__(name: str) -> Any:
    """The public API from `.api`, imported on first use (PEP 562): `import ccmcheck` stays cheap."""
    if name in __all__:
        from . import api
        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ccmcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
