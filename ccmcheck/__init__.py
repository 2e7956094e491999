"""ccmcheck: Convention on Cluster Munitions compliance, as rules over sourced facts.

    import ccmcheck
    ev = ccmcheck.evaluate("facts/2017")            # findings and counts
    ev.counts["art7.initial-report"]["overdue"]
    ccmcheck.audit("facts/2017", "Croatia").findings
    ccmcheck.matrix("facts/2017").rows[0].cells                     # the scorecard: State by obligation
    ccmcheck.deadlines("facts/2017", states=["Croatia"]).deadlines   # the year ahead
    ccmcheck.changes("facts/2017").happened                         # during the period
    pandas.DataFrame(ev.to_records())                                # flat rows

The package is layered, each layer importing only those below it:
`facts` and `rules` (formats and loaders), `engine` (matching, deciding,
what follows from findings), `outputs` (renderers, report, calendar), and on
top `api` (this package's public functions) and `cli`.
"""
from .api import (Audit, Calendar, Change, Changes, ContradictionResult, Deadline, Evaluation, FactBase, FigureResult,
                  Finding, Reconciliation, RuleBook, Scorecard, Undecided, as_date, audit, changes, deadlines, evaluate,
                  load_facts, load_rules, matrix, reconcile)
from .errors import CcmcheckError, InputError, Problem

__all__ = ["Audit", "Calendar", "CcmcheckError", "Change", "Changes", "ContradictionResult", "Deadline", "Evaluation",
           "FactBase", "FigureResult", "Finding", "InputError", "Problem", "Reconciliation", "RuleBook", "Scorecard",
           "Undecided", "as_date", "audit", "changes", "deadlines", "evaluate", "load_facts", "load_rules", "matrix",
           "reconcile"]
