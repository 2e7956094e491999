"""ccmcheck: Convention on Cluster Munitions compliance, as rules over sourced facts.

    import ccmcheck
    ev = ccmcheck.evaluate("facts/2017")            # findings and counts
    ev.counts["art7.initial-report"]["overdue"]
    ccmcheck.audit("facts/2017", "Croatia").findings
    ccmcheck.matrix("facts/2017").rows[0].cells     # the scorecard: State by obligation

The package is layered, each layer importing only those below it:
`facts` and `rules` (formats and loaders), `engine` (matching, deciding,
what follows from findings), `outputs` (renderers, report, calendar), and on
top `api` (this package's public functions) and `cli`.
"""
from .api import (Audit, Calendar, Change, Changes, Deadline, Evaluation, FactBase, Finding, Reconciliation, RuleBook,
                  Scorecard, audit, changes, deadlines, evaluate, load_facts, load_rules, matrix, reconcile)
from .errors import CcmcheckError, InputError, Problem

__all__ = ["Audit", "Calendar", "CcmcheckError", "Change", "Changes", "Deadline", "Evaluation", "FactBase", "Finding",
           "InputError", "Problem", "Reconciliation", "RuleBook", "Scorecard", "audit", "changes", "deadlines", "evaluate",
           "load_facts", "load_rules", "matrix", "reconcile"]
