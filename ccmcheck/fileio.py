"""Writing files so that a reader never sees half of one, and never over an input.

(Minimal version from branch yearly-cycle; branch hostile-input owns this module.)
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and
    `os.replace`: the file holds either its old bytes or all the new ones."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_output_path(path: Path, inputs: list[Path]) -> None:
    """Refuse an output file that is one of the inputs or lies inside an input folder."""
    out = Path(path).resolve()
    for inp in inputs:
        src = Path(inp).resolve()
        if out == src or src in out.parents:
            raise InputError.single(path, "", "output", f"would overwrite the input {inp}; choose another file")
    if not out.parent.is_dir():
        raise InputError.single(path, "", "output", "no such folder for the output file")
