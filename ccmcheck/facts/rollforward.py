"""Start next year's snapshot from last year's: `ccmcheck snapshot new`.

The new folder gets a `snapshot.yaml` with the new as-of date and period, the
same sources and Convention facts, and no published figures (those belong to
the report that will be written from it). Every State file is copied byte for
byte: its dated facts stay (history), nothing is invented for the new period,
and an observation "not done, checked on" the old date says nothing about the
new period, so what needs the new period is `unknown` until facts are entered.
The folder is built beside its destination, loaded like any snapshot, and only
then moved into place.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import InputError, Problem
from .edit import dump, node
from ..yaml_io import read_bytes
from .loader import FactBase, load_facts
from .model import Snapshot


@dataclass(frozen=True)
class Rolled:
    """A new snapshot made from the last one (ccmcheck snapshot new).

    Example: `ccmcheck.new_snapshot("facts/2018", "2017", date(2018, 6, 30)).text()`
    """

    path: Path
    source: Path
    snapshot: Snapshot
    states: int
    dropped_figures: int

    def text(self) -> str:
        s = self.snapshot
        return (f"created {self.path} from {self.source}:\n"
                f"  snapshot.yaml: as of {s.as_of}, period {s.period.start} to {s.period.end}, "
                f"{len(s.sources)} sources carried over\n"
                f"  {self.states} State files carried over unchanged (their dated facts are the history)\n"
                f"  published figures: none ({self.dropped_figures} in {self.source} belong to its report)\n"
                f"next: ccmcheck export {self.path} --missing -o fill-in.xlsx, fill it in, "
                f"ccmcheck import {self.path} fill-in.xlsx\n")


def _fmt(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def snapshot_document(old: Snapshot, as_of: date, start: date, title: str | None, origin: str) -> CommentedMap:
    """The new snapshot.yaml: carried-over sources and Convention facts, the new dates, no figures."""
    def flow(data: dict) -> CommentedMap:
        m = CommentedMap(data)
        m.fa.set_flow_style()
        return m

    def q(v: object) -> object:
        return DoubleQuotedScalarString(v) if isinstance(v, str) else v

    doc = CommentedMap()
    doc["title"] = q(title or f"CCM snapshot as of {as_of} ({_fmt(start)} - {_fmt(as_of)})")
    doc["as_of"] = as_of
    doc["period"] = flow({"start": start, "end": as_of})
    sources = CommentedMap()
    for key, src in old.sources.items():
        sources[key] = CommentedMap({k: q(v) for k, v in src.model_dump(exclude_defaults=True).items()})
    doc["sources"] = sources
    conv = CommentedMap()
    for name in ("opened_for_signature", "entry_into_force"):
        conv[name] = node(getattr(old.convention, name))
    doc["convention"] = conv
    doc.yaml_set_start_comment(f"Rolled forward from {origin} (as of {old.as_of}) by `ccmcheck snapshot new`.\n"
                               "Published figures are left out: add those of the report made from this snapshot.")
    return doc


def _build(dest: Path, doc: CommentedMap, files: Iterable[Path]) -> FactBase:
    """Build the folder beside `dest`, load it like any snapshot, then rename it into place;
    the half-built folder is removed on every exit (an error, Ctrl-C, SIGTERM)."""
    with tempfile.TemporaryDirectory(prefix=f".{dest.name}.", dir=dest.parent) as tmp:
        build = Path(tmp) / dest.name
        (build / "states").mkdir(parents=True)
        (build / "snapshot.yaml").write_text(dump(doc), encoding="utf-8")
        for f in files:  # each read as the loader reads it: a regular file of bounded size
            (build / "states" / f.name).write_bytes(read_bytes(f, f.stem))
        try:
            new = load_facts(build)
        except InputError as e:  # told against the folder it would have become
            raise InputError([Problem(p.file.replace(str(build), str(dest)), p.subject,
                                      "--title" if p.file.endswith("snapshot.yaml") and p.field == "title" else p.field,
                                      p.message) for p in e.problems]) from None
        if dest.exists():
            dest.rmdir()
        build.rename(dest)
    return FactBase(dest, new.snapshot, new.states, {k: dest / "states" / v.name for k, v in new.files.items()},
                    new.names)


def roll_forward(new_dir: str | Path, from_dir: str | Path, as_of: date, *, start: date | None = None,
                 title: str | None = None) -> Rolled:
    """Create NEW_DIR as the snapshot after FROM_DIR, as of `as_of`; raise InputError if it cannot.

    Example: `ccmcheck.new_snapshot("facts/2018", "facts/2017", date(2018, 6, 30))`
    """
    old = load_facts(from_dir)
    dest = Path(new_dir)
    start = start or old.snapshot.as_of + timedelta(days=1)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError.single(dest, "", "", "exists and is not an empty folder; choose a new one")
    if as_of <= old.snapshot.as_of:
        raise InputError.single("arguments", "", "--as-of", f"{as_of} is not after {old.path}'s as-of date {old.snapshot.as_of}")
    if start > as_of:
        raise InputError.single("arguments", "", "--period-start", f"{start} is after the as-of date {as_of}")
    if not dest.parent.is_dir():
        raise InputError.single(dest, "", "", "its parent folder does not exist")
    real, src = dest.resolve(), old.path.resolve()
    if real == src or real.is_relative_to(src) or src.is_relative_to(real):
        raise InputError.single(dest, "", "", f"inside (or around) the snapshot it starts from ({old.path}); "
                                "choose a folder outside it")
    doc = snapshot_document(old.snapshot, as_of, start, title, repr(old.snapshot.title))
    try:
        new = _build(dest, doc, old.files.values())
    except OSError as e:
        raise InputError.single(e.filename or dest, "", "", f"cannot create the snapshot: {e.strerror or e}; "
                                "nothing was created") from None
    return Rolled(dest, old.path, new.snapshot, len(new.states), len(old.snapshot.published))
