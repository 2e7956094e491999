"""ccmcheck: Convention on Cluster Munitions compliance, as rules over sourced facts.

    import ccmcheck
    ev = ccmcheck.evaluate("facts/2017")            # findings and counts
    ev.counts["art7.initial-report"]["overdue"]
    ccmcheck.audit("facts/2017", "Croatia").findings
"""
from .api import audit, evaluate
from .changes import Changes, changes
from .errors import CcmcheckError, InputError, Problem
from .facts_loader import FactBase, load_facts
from .reconcile import Reconciliation, reconcile
from .results import Audit, Evaluation, Finding
from .rules_loader import RuleBook, load_rules

__all__ = ["Audit", "CcmcheckError", "Changes", "changes", "Evaluation", "FactBase", "Finding", "InputError", "Problem",
           "Reconciliation", "RuleBook", "audit", "evaluate", "load_facts", "load_rules", "reconcile"]
