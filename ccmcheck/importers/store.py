"""The one way the importers write: the snapshot's write transaction (facts/transaction.py).

Staged, loaded as a whole snapshot, then written all or nothing under the folder's lock;
`based_on` (the bytes a plan was made from) refuses a change another writer overtook.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..errors import CcmcheckError
from ..facts.transaction import write_files as _transaction


def write_files(root: Path, texts: Mapping[Path, str], *, based_on: Mapping[Path, bytes | None] | None = None,
                dry_run: bool = False) -> list[Path]:
    """Write `texts` (file -> new text) into the snapshot `root` as one transaction; InputError
    if the result would not load (nothing written). Returns the files, in order."""
    try:
        _transaction(root, {f: t.encode("utf-8") for f, t in texts.items()}, based_on=based_on, dry_run=dry_run)
    except OSError as e:
        raise CcmcheckError(f"cannot write {e.filename or 'a facts file'}: {e.strerror}; no file was changed") from None
    return sorted(texts)
