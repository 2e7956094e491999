"""ccmcheck: Convention on Cluster Munitions compliance, as rules over sourced facts.

    import ccmcheck
    ev = ccmcheck.evaluate("facts/2017")            # findings and counts
    ev.counts["art7.initial-report"]["overdue"]
    ccmcheck.audit("facts/2017", "Croatia").findings

The package is layered, each layer importing only those below it:
`facts` and `rules` (formats and loaders), `engine` (matching, deciding,
what follows from findings), `outputs` (renderers, report, calendar), and on
top `api` (this package's public functions) and `cli`.
"""
__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

from .api import (Audit, Calendar, Change, Changes, Deadline, Evaluation, FactBase, Finding, Reconciliation, Rolled,
                  RuleBook, SourceDoc, Summary, audit, bundled_snapshots, changes, deadlines, evaluate, export_facts,
                  import_facts, load_facts, load_rules, new_snapshot, reconcile, sources)
from .errors import CcmcheckError, InputError, Problem

__all__ = ["Audit", "Calendar", "CcmcheckError", "Change", "Changes", "Deadline", "Evaluation", "FactBase", "Finding",
           "InputError", "Problem", "Reconciliation", "Rolled", "RuleBook", "SourceDoc", "Summary", "__version__",
           "audit", "bundled_snapshots", "changes", "deadlines", "evaluate", "export_facts", "import_facts",
           "load_facts", "load_rules", "new_snapshot", "reconcile", "sources"]
