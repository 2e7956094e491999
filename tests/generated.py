"""Documentation sections that tests generate: one check for all of them."""
from __future__ import annotations

import os
from pathlib import Path


def check_section(doc: Path, start: str, end: str, generated: str, command: str) -> None:
    """The text between the `start` and `end` markers of `doc` is `generated` (with a blank line each side);
    with CCMCHECK_REGENERATE_DOCS set, it is written there first. `command` regenerates it."""
    text = doc.read_text(encoding="utf-8")
    assert start in text and end in text, f"{doc.name}: the markers {start.strip()!r} and {end.strip()!r}"
    head, tail = text[:text.index(start) + len(start)], text[text.index(end):]
    if os.environ.get("CCMCHECK_REGENERATE_DOCS"):
        doc.write_text(f"{head}\n{generated}\n{tail}", encoding="utf-8")
        text = doc.read_text(encoding="utf-8")
    assert text[len(head):text.index(end)] == f"\n{generated}\n", f"regenerate with: {command}"
