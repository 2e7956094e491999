"""Writing files without losing data.

Every file ccmcheck writes goes through `write_atomic`: a temporary file in the same
folder, flushed to disk, then renamed over the target, so a full disk, an error or
Ctrl-C leaves the previous file as it was. `check_output_path` refuses, before any
work starts, an output path that would overwrite an input: a file being read, or
any path inside a facts or rules folder being read (a bundled snapshot's name stands
for its folder, and links are followed to what they point at), any bundled snapshot,
or a folder that does not exist.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError
from .facts.bundled import bundled_root, resolve


def check_output_path(path: str | Path, inputs: list[Path]) -> None:
    """InputError unless `path` can be written without touching any of `inputs`
    (files, or folders whose whole content is input)."""
    target = Path(path)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError) as e:  # a link loop
        raise InputError.single(target, "", "", f"cannot write: {getattr(e, 'strerror', None) or e}") from None
    protected = [(resolve(given), given) for given in inputs] + [(bundled_root(), "the bundled snapshots")]
    for real, given in protected:
        src = Path(real).resolve()
        if resolved == src:
            raise InputError.single(target, "", "", f"refusing to write over an input ({given})")
        if src.is_dir() and resolved.is_relative_to(src):
            raise InputError.single(target, "", "", f"refusing to write inside an input folder ({given})")
    if not resolved.parent.is_dir():
        raise InputError.single(target, "", "", "cannot write: no such folder")
    if resolved.is_dir():
        raise InputError.single(target, "", "", "cannot write: it is a folder")
    if resolved.exists() and not resolved.is_file():
        raise InputError.single(target, "", "", "cannot write: not a regular file")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8, `\\n` line ends kept) to `path` through a temporary
    file in the same folder renamed into place; OSError if it cannot."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def mode_for(path: Path) -> int:
    """The existing file's permissions, or what `open()` would give a new one."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
