"""Writing a snapshot folder as a transaction: all of a change or none of it.

Every command that changes a snapshot's files (`import`, and any future writer) goes
through `write_files`, which:

1. takes an exclusive lock on the snapshot folder (`locked`: an advisory `flock` on the
   folder itself, so no file is added to it); a second writer waits up to LOCK_WAIT
   seconds, then stops with one line naming the locked folder;
2. stages a copy of only the files a snapshot is made of (`snapshot.yaml`,
   `states/*.yaml`), each read as the loader reads it (a regular file, at most the
   loader's size limit; no folder is walked, so no link is followed into a loop),
   with the changes applied;
3. loads the staged copy with `load_facts`, the checks every reading command makes, and
   refuses the change if the result is not a valid snapshot (problems name the real files);
4. writes each changed file to a temporary file beside it, then, with SIGINT, SIGTERM
   and SIGHUP held back, renames them all into place; if a rename fails, the files
   already renamed are put back before the error is raised;
5. removes the staging copy and every temporary file on every exit, whatever the error.

An interruption (Ctrl-C, SIGTERM, any exception) before step 4's renames leaves the
folder as it was; one arriving during them is delivered after them, so the folder is
then wholly as it was or wholly changed. Only a power cut or SIGKILL inside the renames
(a few system calls) can leave some files renamed and others not.
"""
from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

from ..errors import InputError, Problem
from ..fileio import mode_for
from ..yaml_io import list_files, read_bytes
from .loader import FactBase, load_facts

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: no lock, the rest still holds
    fcntl = None  # type: ignore[assignment]

LOCK_WAIT = 5.0  # seconds a second writer waits for the lock before it stops
_HELD: dict[Path, int] = {}  # folders this process holds the lock on -> nesting depth
_HELD_LOCK = threading.Lock()
_SIGNALS = tuple(s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP")) if s is not None)
# Every folder this process has committed a write to, in order: a signal held back during the renames is
# delivered just after them, so the command line must not then say that nothing was written.
COMMITTED: list[Path] = []


@dataclass(frozen=True)
class Written:
    """What `write_files` did (or, in a dry run, would do), as paths inside the real folder."""

    created: tuple[Path, ...]
    changed: tuple[Path, ...]
    removed: tuple[Path, ...]

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(sorted(self.created + self.changed + self.removed))


@contextlib.contextmanager
def locked(root: str | Path, wait: float | None = None) -> Iterator[Path]:
    """Hold the snapshot folder's write lock for the `with` block (re-entrant within a
    process). Read the facts inside the block to plan a change from what is there now."""
    folder = Path(root).resolve()
    with _HELD_LOCK:
        if folder in _HELD:
            _HELD[folder] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield folder
        finally:
            with _HELD_LOCK:
                _HELD[folder] -= 1
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as e:
        raise InputError.single(root, "", "", f"cannot open the folder to lock it: {e.strerror}") from None
    try:
        _acquire(fd, root, LOCK_WAIT if wait is None else wait)
        with _HELD_LOCK:
            _HELD[folder] = 1
        try:
            yield folder
        finally:
            with _HELD_LOCK:
                del _HELD[folder]
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _acquire(fd: int, root: str | Path, wait: float) -> None:
    if fcntl is None:
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise InputError.single(root, "", "", f"locked: another ccmcheck is writing this snapshot (waited "
                                        f"{wait:g} s for its lock); nothing was written, try again") from None
            time.sleep(0.05)


def _relative(root: Path, name: str | Path) -> Path:
    """A change's path inside the snapshot (given inside `root`, or relative to it):
    `snapshot.yaml` or `states/NAME.yaml`, nothing else."""
    rel = Path(name)
    for base in (root, root.absolute(), root.resolve()):
        if rel.is_relative_to(base) and rel != base:
            rel = rel.relative_to(base)
            break
    parts = rel.parts
    ok = parts == ("snapshot.yaml",) or (len(parts) == 2 and parts[0] == "states" and parts[1].endswith(".yaml")
                                          and not parts[1].startswith(".") and "/" not in parts[1])
    if not ok:
        raise ValueError(f"{name}: not a file a snapshot is made of (snapshot.yaml or states/NAME.yaml)")
    return rel


def snapshot_files(root: Path) -> list[Path]:
    """The files the loader reads from `root`, relative to it: what staging copies."""
    out = [Path("snapshot.yaml")] if os.path.lexists(root / "snapshot.yaml") else []
    states = root / "states"
    if states.is_dir() and not states.is_symlink():
        out += [Path("states") / p.name for p in list_files(states, "*.yaml")]
    return out


def write_files(root: str | Path, changes: Mapping[str | Path, bytes | None], *,
                based_on: Mapping[str | Path, bytes | None] | None = None, dry_run: bool = False,
                check: Callable[[FactBase], None] | None = None) -> Written:
    """Apply `changes` to the snapshot folder `root` as one transaction.

    Contract (for every command that writes facts):
    - `root` is a real snapshot folder (not a bundled snapshot's name); it must load now.
    - `changes` maps a file of the snapshot, `snapshot.yaml` or `states/NAME.yaml`
      (relative to `root`, or absolute inside it), to its new bytes, or to None to
      remove it. Any other path is a ValueError (a bug in the caller).
    - `based_on` (optional) maps files to the bytes the caller read when it planned the
      change (None: the file did not exist). If any differs now, another writer got in
      between: InputError, nothing written. A caller that reads and plans inside
      `with locked(root):` needs no `based_on`.
    - The whole folder with the changes applied must load with `load_facts`; if not,
      InputError listing every problem, each naming the real file, and nothing written.
    - `check` (optional) is called with the staged snapshot once it loads, for checks the
      facts layer cannot make (the api passes an evaluation, which refuses an extension
      earlier than the deadline it extends); its InputError refuses the change likewise.
    - A changed file that is a symbolic link is refused (the rename would replace the link).
    - `dry_run`: everything but the renames; the result says what would be written.
    - Returns `Written`. On any exception (InputError, OSError, KeyboardInterrupt,
      SystemExit) the folder is left exactly as it was, and no temporary file remains.
    """
    folder = Path(root)
    if not folder.is_dir():
        raise InputError.single(root, "", "", "no such facts folder")
    with locked(folder):
        todo = {_relative(folder, k): v for k, v in changes.items()}
        current = _read_all(folder)
        if based_on is not None:
            for k, before in based_on.items():
                rel = _relative(folder, k)
                if current.get(rel) != before:
                    raise InputError.single(folder / rel, "", "", "changed by another writer since it was read; "
                                            "nothing was written, run the command again")
        for rel, new in todo.items():
            if new is not None and (folder / rel).is_symlink():
                raise InputError.single(folder / rel, "", "", "a symbolic link; ccmcheck writes only regular files "
                                        "(replace the link with the file it points to)")
        todo = {rel: new for rel, new in todo.items() if current.get(rel) != new}
        _validate_staged(folder, current, todo, check)
        written = Written(created=tuple(sorted(folder / r for r, v in todo.items() if v is not None and r not in current)),
                          changed=tuple(sorted(folder / r for r, v in todo.items() if v is not None and r in current)),
                          removed=tuple(sorted(folder / r for r, v in todo.items() if v is None and r in current)))
        if not dry_run and todo:
            _commit(folder, todo, current)
        return written


def _read_all(folder: Path) -> dict[Path, bytes]:
    """The bytes of every file the snapshot is made of, read as the loader reads them."""
    return {rel: read_bytes(folder / rel, "") for rel in snapshot_files(folder)}


def _validate_staged(folder: Path, current: Mapping[Path, bytes], todo: Mapping[Path, bytes | None],
                     check: Callable[[FactBase], None] | None) -> None:
    """Load a staged copy of the folder with the changes in it; raise its problems against the real files."""
    with tempfile.TemporaryDirectory(prefix="ccmcheck-stage-") as tmp:
        stage = Path(tmp) / folder.name
        (stage / "states").mkdir(parents=True)
        for rel, data in {**current, **todo}.items():
            if data is not None:
                (stage / rel).write_bytes(data)
        try:
            staged = load_facts(stage)
            if check is not None:
                check(staged)
        except InputError as e:
            raise InputError([_unstaged(p, stage, folder) for p in e.problems]) from None


def _unstaged(p: Problem, stage: Path, folder: Path) -> Problem:
    path = Path(p.file)
    if path == stage or path.is_relative_to(stage):
        return Problem(str(folder / path.relative_to(stage)) if path != stage else str(folder), p.subject, p.field, p.message)
    return p


def _commit(folder: Path, todo: Mapping[Path, bytes | None], current: Mapping[Path, bytes]) -> None:
    """Temporary files beside their targets, then every rename with signals held back;
    put back what was renamed if one fails; remove every temporary file whatever happens."""
    temps: dict[Path, str] = {}
    done: list[Path] = []
    try:
        for rel, data in sorted(todo.items()):
            target = folder / rel
            if data is None:
                continue
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps[rel] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode_for(target))
        with _signals_held():
            try:
                for rel, data in sorted(todo.items()):
                    if data is None:
                        os.unlink(folder / rel)
                    else:
                        os.replace(temps[rel], folder / rel)
                        del temps[rel]
                    done.append(rel)
                _sync_folders(folder, todo)
                COMMITTED.append(folder)  # still with signals held: recorded before any can arrive
            except BaseException:
                _put_back(folder, done, current)
                raise
    finally:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _put_back(folder: Path, done: list[Path], current: Mapping[Path, bytes]) -> None:
    for rel in reversed(done):
        with contextlib.suppress(OSError):
            if rel in current:
                fd, tmp = tempfile.mkstemp(dir=(folder / rel).parent, prefix=f".{rel.name}.", suffix=".tmp")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(current[rel])
                os.replace(tmp, folder / rel)
            else:
                os.unlink(folder / rel)


def _sync_folders(folder: Path, todo: Mapping[Path, bytes | None]) -> None:
    """Make the renames durable: fsync each folder they happened in."""
    for parent in {(folder / rel).parent for rel in todo}:
        with contextlib.suppress(OSError):
            fd = os.open(parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block ends (then they are delivered)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
