"""The library API: what the CLI calls and what other tools import.

Each function takes a facts folder (or a loaded `FactBase`), optionally a rules
folder (or a `RuleBook`), and returns typed results (pydantic models) whose
`to_json()` is the public contract (docs/json-contract.md). Every date argument
may be a `date`, a `datetime` or an ISO string (`as_date`).
"""
from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine.dates import DateArg, as_date
from .engine.evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, audit, evaluate
from .engine.results import Audit, Evaluation, Finding, Status, Undecided
from .facts.loader import FactBase, load_facts
from .facts.model import SourceDoc
from .rules.loader import RuleBook, load_rules

if TYPE_CHECKING:
    from .engine.changes import Change, Changes, changes
    from .engine.deadlines import Calendar, Deadline, calendar as deadlines
    from .engine.history import History, Interval, Track, history
    from .engine.lists import ListCheck, check_list
    from .engine.reconcile import ContradictionResult, FigureResult, Reconciliation, reconcile
    from .engine.scorecard import Cell, Column, Scorecard, ScoreRow, scorecard as matrix
    from .facts.bundled import bundled as bundled_snapshots
    from .facts.merge import Summary
    from .facts.observations import Conflict
    from .facts.rollforward import Rolled, roll_forward as new_snapshot

# The rest of the API, each imported from its module on first use (PEP 562), so that a command
# loads only what it runs: `evaluate` never imports ruamel.yaml (merge) or openpyxl (sheets).
_LAZY: dict[str, tuple[str, str]] = {
    **{n: ("engine.changes", n) for n in ("Change", "Changes", "changes")},
    **{n: ("engine.deadlines", n) for n in ("Calendar", "Deadline")}, "deadlines": ("engine.deadlines", "calendar"),
    **{n: ("engine.history", n) for n in ("History", "Interval", "Track", "history")},
    **{n: ("engine.lists", n) for n in ("ListCheck", "check_list")},
    **{n: ("engine.reconcile", n) for n in ("ContradictionResult", "FigureResult", "Reconciliation", "reconcile")},
    **{n: ("engine.scorecard", n) for n in ("Cell", "Column", "Scorecard", "ScoreRow")}, "matrix": ("engine.scorecard", "scorecard"),
    "bundled_snapshots": ("facts.bundled", "bundled"), "Summary": ("facts.merge", "Summary"),
    "Conflict": ("facts.observations", "Conflict"), "Rolled": ("facts.rollforward", "Rolled"), "new_snapshot": ("facts.rollforward", "roll_forward"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Audit", "Calendar", "Cell", "Change", "Changes", "Column", "Conflict", "ContradictionResult", "DateArg", "Deadline",
           "Evaluation", "FactBase", "FactsArg", "FigureResult", "Finding", "History", "Interval", "ListCheck", "Reconciliation", "Rolled", "RuleBook",
           "RulesArg", "ScoreRow", "Scorecard", "SourceDoc", "Status", "Summary", "Track", "Undecided", "as_date", "audit",
           "bundled_snapshots", "changes", "check_list", "conflicts", "deadlines", "evaluate", "export_facts", "history", "import_facts", "load_facts",
           "load_rules", "matrix", "new_snapshot", "reconcile", "sources"]


def conflicts(facts: FactsArg) -> list[Conflict]:
    """Every pair of observations of one State's fact that cannot both be true and that no
    `prevails` resolves: `evaluate` gives `unknown` for what they decide until one is resolved."""
    from .facts.observations import state_conflicts

    return [c for st in as_factbase(facts).states for c in state_conflicts(st)]


def sources(facts: FactsArg) -> dict[str, SourceDoc]:
    """The documents a snapshot's facts cite, by key.

    Example: `ccmcheck.sources("2017")["untc"].title`
    """
    return as_factbase(facts).snapshot.sources


def export_facts(facts: FactsArg, path: str | Path, *, missing: bool = False, as_of: date | None = None,
                 rules: RulesArg = None, engine: str = "durable") -> int:
    """Write the snapshot's facts to a .csv or .xlsx file, one row per fact; with `missing`, the
    fill-in template instead: one row per fact that would decide an unknown finding. Returns the rows written.

    Example: `ccmcheck.export_facts("2017", "facts.xlsx")  # the number of rows written`
    """
    from .facts.merge import EXTRA_COLUMNS
    from .facts.rows import COLUMNS, state_rows
    from .fileio import check_output_path
    from .outputs import sheets
    from .outputs.template import template_rows

    out = Path(path)
    sheets.format_of(out)
    fb = as_factbase(facts)
    check_output_path(out, [fb.path])
    if missing:
        book = as_rulebook(rules)
        rows: list[dict] = template_rows(fb, evaluate(fb, as_of, rules=book, engine=engine), book)
        sheets.write(out, COLUMNS + EXTRA_COLUMNS, rows, "fill-in", split_by="area")  # one sheet per area
    else:
        rows = [r for st in fb.states for r in state_rows(st)]
        sheets.write(out, COLUMNS, rows)
    return len(rows)


def import_facts(facts: str | Path, path: str | Path, *, replace: bool = False, dry_run: bool = False) -> Summary:
    """Merge a .csv or .xlsx file of fact rows into the snapshot's State files: every row
    valid and written, or InputError listing each bad row and nothing written.

    Example: `ccmcheck.import_facts("facts/2018", "rows.xlsx", dry_run=True)`
    """
    from .facts.merge import Row, merge
    from .outputs import sheets

    sheet = Path(path)
    header, rows = sheets.read_sheets(sheet)
    return merge(facts, header, [Row(n, cells, title) for title, n, cells in rows], str(sheet), replace=replace,
                 dry_run=dry_run,
                 check=_evaluates)


def _evaluates(fb: FactBase) -> None:
    """A staged snapshot must also evaluate (the bundled rules refuse facts they show to be
    impossible, e.g. an extension earlier than the deadline it extends) before it is written."""
    evaluate(fb, rules=None, engine="reference")

