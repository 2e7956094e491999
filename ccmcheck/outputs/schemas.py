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
from typing import Callable

from pydantic import BaseModel, create_model

from ..engine.results import Finding, Status
from ..facts.model import Snapshot, StateFacts
from ..rules.model import Rule

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _findings() -> type[BaseModel]:
    """The document `ccmcheck evaluate --format json` prints (docs/json-contract.md)."""
    return create_model(  # type: ignore[call-overload, no-any-return]
        "Findings",
        __doc__="Findings and counts for a snapshot as of a date: `ccmcheck evaluate --format json`.",
        snapshot=(str, ...), as_of=(date, ...), findings=(list[Finding], ...), counts=(dict[str, dict[Status, int]], ...))


KINDS: dict[str, tuple[Callable[[], type[BaseModel]], str]] = {
    "facts": (lambda: StateFacts, "One State's facts: a file in FACTS_DIR/states/"),
    "snapshot": (lambda: Snapshot, "A facts folder's snapshot.yaml: the period, sources, Convention dates, published figures"),
    "rules": (lambda: Rule, "One rule: a file under rules/ (not the *.cases.yaml beside it)"),
    "findings": (_findings, "The JSON `ccmcheck evaluate --format json` prints"),
}


def schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of one kind of file (a key of KINDS)."""
    model, title = KINDS[kind]
    body = model().model_json_schema(mode="serialization" if kind == "findings" else "validation")
    return {"$schema": DIALECT, **body, "title": title}


def text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
