"""The library API: what the CLI calls and what other tools import.

Each function takes a facts folder (or a loaded `FactBase`), optionally a rules
folder (or a `RuleBook`), and returns typed results (pydantic models) whose
`to_json()` is the public contract (docs/json-contract.md). Every date argument
may be a `date`, a `datetime` or an ISO string (`as_date`).
"""
from __future__ import annotations

from .engine.changes import Change, Changes, changes
from .engine.dates import DateArg, as_date
from .engine.deadlines import Calendar, Deadline, calendar as deadlines
from .engine.evaluate import FactsArg, RulesArg, audit, evaluate
from .engine.lists import ListCheck, check_list
from .engine.reconcile import ContradictionResult, FigureResult, Reconciliation, reconcile
from .engine.results import Audit, Evaluation, Finding, Undecided
from .engine.scorecard import Cell, Column, Scorecard, ScoreRow, scorecard as matrix
from .facts.loader import FactBase, load_facts
from .rules.loader import RuleBook, load_rules

__all__ = ["Audit", "Calendar", "Cell", "Change", "Changes", "Column", "ContradictionResult", "DateArg", "Deadline",
           "Evaluation", "FactBase", "FactsArg", "FigureResult", "Finding", "ListCheck", "Reconciliation", "RuleBook",
           "RulesArg", "ScoreRow", "Scorecard", "Undecided", "as_date", "audit", "changes", "check_list", "deadlines",
           "evaluate", "load_facts", "load_rules", "matrix", "reconcile"]
