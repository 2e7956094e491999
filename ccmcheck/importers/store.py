"""The one way the importers write: stage, check the whole snapshot, then write all or nothing.

Kept to a single function so that it can be switched to the locked write
transaction (issue 17) in one place.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import InputError, Problem
from ..facts.loader import load_facts
from ..facts.merge import write_all


def write_files(root: Path, texts: dict[Path, str], *, dry_run: bool = False) -> list[Path]:
    """Check that the snapshot in `root` with `texts` in place loads, then (unless `dry_run`)
    write every file atomically, putting back those written if one fails. InputError (from the
    loader) if the result is not a valid snapshot; nothing is written then. Returns the files."""
    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="ccmcheck-import-") as tmp:
        staged = Path(tmp) / "facts"
        shutil.copytree(root, staged)
        for f, text in texts.items():
            (staged / Path(f).relative_to(root)).write_text(text, encoding="utf-8")
        try:
            load_facts(staged)
        except InputError as e:  # name the real files, not the staged copies
            raise InputError([Problem(p.file.replace(str(staged), str(root)), p.subject, p.field, p.message)
                              for p in e.problems]) from None
    if not dry_run:
        originals = {f: (Path(f).read_bytes() if Path(f).exists() else None) for f in texts}
        write_all(texts, originals)
    return sorted(texts)
