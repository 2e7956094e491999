"""JSON Schemas of the file formats, generated from the pydantic models (never written by hand).

An editor with a YAML language server reads them (the mapping of files to schemas is
in `.vscode/settings.json`; docs/facts-format.md says how to set up other editors)
and so completes field names, shows each field's description and flags an unknown
key or a malformed date as it is typed, before `ccmcheck validate` runs.
`ccmcheck validate` stays the authority: the schemas cannot express the checks
across fields and files (a done event's one date, a source listed in the snapshot).

The copies in docs/schemas/ are kept equal to what this module generates by a test;
regenerate them with `ccmcheck schema KIND > docs/schemas/KIND.schema.json`.
"""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Callable

from ..lazy import lazy_module

if TYPE_CHECKING:
    from pydantic import BaseModel

# The models are loaded when a schema is asked for, not when the CLI lists the kinds (--help).
results = lazy_module("ccmcheck.engine.results")
facts_model = lazy_module("ccmcheck.facts.model")
rules_model = lazy_module("ccmcheck.rules.model")

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _findings() -> type[BaseModel]:
    """The document `ccmcheck evaluate --format json` prints (docs/json-contract.md)."""
    from pydantic import create_model

    return create_model(  # type: ignore[call-overload, no-any-return]
        "Findings",
        __doc__="Findings and counts for a snapshot as of a date: `ccmcheck evaluate --format json`.",
        snapshot=(str, ...), as_of=(date, ...), findings=(list[results.Finding], ...),
        counts=(dict[str, dict[results.Status, int]], ...))


KINDS: dict[str, tuple[Callable[[], type[BaseModel]], str]] = {
    "facts": (lambda: facts_model.StateFacts, "One State's facts: a file in FACTS_DIR/states/"),
    "snapshot": (lambda: facts_model.Snapshot, "A facts folder's snapshot.yaml: the period, sources, Convention dates, published figures"),
    "rules": (lambda: rules_model.Rule, "One rule: a file under rules/ (not the *.cases.yaml beside it)"),
    "findings": (_findings, "The JSON `ccmcheck evaluate --format json` prints"),
}


def schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of one kind of file (a key of KINDS)."""
    model, title = KINDS[kind]
    body = model().model_json_schema(mode="serialization" if kind == "findings" else "validation")
    return {"$schema": DIALECT, **body, "title": title}


def text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
