"""The library API: what the CLI calls and what other tools import.

Each function takes a facts folder (or a loaded `FactBase`), optionally a rules
folder (or a `RuleBook`), and returns typed results (pydantic models) whose
`to_json()` is the public contract (docs/json-contract.md).
"""
from __future__ import annotations

from .engine.changes import Change, Changes, changes
from .engine.deadlines import Calendar, Deadline, calendar as deadlines
from .engine.evaluate import FactsArg, RulesArg, audit, evaluate
from .engine.reconcile import Reconciliation, reconcile
from .engine.results import Audit, Evaluation, Finding
from .engine.scorecard import Cell, Column, Scorecard, ScoreRow, scorecard as matrix
from .facts.loader import FactBase, load_facts
from .rules.loader import RuleBook, load_rules

__all__ = ["Audit", "Calendar", "Cell", "Change", "Changes", "Column", "Deadline", "Evaluation", "FactBase", "FactsArg", "Finding",
           "ScoreRow", "Scorecard",
           "Reconciliation", "RuleBook", "RulesArg", "audit", "changes", "deadlines", "evaluate", "load_facts",
           "load_rules", "matrix", "reconcile"]
