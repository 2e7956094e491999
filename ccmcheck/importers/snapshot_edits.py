"""`ccmcheck source add` and `ccmcheck figure add`: snapshot.yaml edited in place, from the command line or a sheet.

The file is edited with the round-trip editor the State files use (comments, order and
layout of every other line kept). A new source is a block of its known fields; a new
figure is one flow mapping line in `published`. The same key or id given again with the
same content changes nothing; with different content it is refused (no silent overwrite).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import InputError, Problem
from ..facts.edit import dump, load
from ..facts.loader import load_facts
from ..facts.model import Figure, SourceDoc
from ..yaml_io import validation_problems
from .store import write_files


@dataclass
class EditSummary:
    what: str  # "sources" or "figures"
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    file: Path | None = None
    dry_run: bool = False

    def text(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"{self.what} added: {len(self.added)}{': ' + ', '.join(self.added) if self.added else ''}",
                 f"{self.what} already there, unchanged: {len(self.unchanged)}"]
        lines.append(f"{verb} {self.file}" if self.file else "nothing to write")
        return "\n".join(lines) + "\n"


def source_doc(cells: dict[str, object], where: str, subject: str) -> SourceDoc:
    """A source from command-line values or a sheet row (`publisher` is the model's `issued_by`,
    `date` its `issued_on`); InputError naming the field."""
    data = {"title": cells.get("title"), "issued_by": cells.get("publisher"), "issued_on": cells.get("date"),
            "url": cells.get("url"), "symbol": cells.get("symbol"), "citation": cells.get("citation"),
            "note": cells.get("note") or ""}
    data = {k: v for k, v in data.items() if v not in (None, "")}
    try:
        return SourceDoc.model_validate(data)
    except ValidationError as e:
        names = {"issued_by": "publisher", "issued_on": "date"}
        raise InputError([Problem(where, subject, names.get(p.field, p.field), p.message)
                          for p in validation_problems(where, subject, e)]) from None


def _source_node(doc: SourceDoc) -> CommentedMap:
    m = CommentedMap()
    for k in ("title", "issued_by", "issued_on", "symbol", "citation", "url", "note"):
        v = getattr(doc, k)
        if v not in (None, ""):
            m[k] = v if isinstance(v, date) else DoubleQuotedScalarString(v)
    return m


def add_sources(facts: str | Path, sources: dict[str, SourceDoc], *, where: str = "arguments",
                dry_run: bool = False) -> EditSummary:
    """Add each source under its key; equal ones already there are unchanged, different ones refused."""
    root = _folder(facts)
    fb = load_facts(root)
    snap = root / "snapshot.yaml"
    doc = load(snap.read_text(encoding="utf-8"))
    out = EditSummary("sources", dry_run=dry_run)
    problems = []
    for key, src in sources.items():
        if not key or any(c in key for c in "#; ") or key != key.strip():
            problems.append(Problem(where, key or "(empty)", "key", "a source key is one word without '#', ';' or spaces"))
        elif key in fb.snapshot.sources:
            if fb.snapshot.sources[key] == src:
                out.unchanged.append(key)
            else:
                problems.append(Problem(where, key, "key", f"snapshot.yaml already has a different source {key!r} "
                                        "(see `ccmcheck source list`); choose another key"))
        else:
            doc["sources"][key] = _source_node(src)
            out.added.append(key)
    if problems:
        raise InputError(problems)
    if out.added:
        out.file = write_files(root, {snap: dump(doc)}, dry_run=dry_run)[0]
    return out


def figure(cells: dict[str, object], where: str, subject: str) -> Figure:
    """A published figure from command-line values or a sheet row; InputError naming the field."""
    def words(v: object) -> list[str]:
        return [w.strip() for w in str(v or "").replace(";", ",").split(",") if w.strip()]
    measure = None
    if cells.get("rules") or cells.get("shortfall"):
        measure = {"rules": words(cells.get("rules")), "statuses": words(cells.get("statuses")),
                   "among": cells.get("among") or None,
                   "changed_during_period": str(cells.get("changed_during_period") or "").lower() in ("true", "yes", "1"),
                   "shortfall": cells.get("shortfall") or None}
        measure = {k: v for k, v in measure.items() if v not in (None, [], False)}
    data = {"id": cells.get("id"), "where": cells.get("where"), "text": cells.get("text"), "value": cells.get("value"),
            "as_of": cells.get("as_of") or None, "source": cells.get("source"), "measure": measure,
            "not_computed": cells.get("not_computed") or None, "note": cells.get("note") or ""}
    try:
        return Figure.model_validate({k: v for k, v in data.items() if v not in (None, "")})
    except ValidationError as e:
        raise InputError([Problem(where, subject, p.field.split(".")[-1] if p.field.startswith("measure") else p.field,
                                  p.message) for p in validation_problems(where, subject, e)]) from None


def _figure_node(fig: Figure) -> CommentedMap:
    m = CommentedMap()
    dumped = fig.model_dump(mode="python", exclude_defaults=True)
    for k in ("id", "where", "text", "value", "as_of", "source", "measure", "not_computed", "note"):
        if k not in dumped:
            continue
        v = dumped[k]
        if k == "measure":
            inner = CommentedMap()
            for mk, mv in v.items():
                if isinstance(mv, list):
                    seq = CommentedSeq(mv)
                    seq.fa.set_flow_style()
                    inner[mk] = seq
                else:
                    inner[mk] = mv
            inner.fa.set_flow_style()
            m[k] = inner
        else:
            m[k] = DoubleQuotedScalarString(v) if isinstance(v, str) and k != "id" else v
    m.fa.set_flow_style()
    return m


def add_figures(facts: str | Path, figures: list[Figure], *, where: str = "arguments",
                dry_run: bool = False) -> EditSummary:
    """Add each figure to `published`; one with the same id and content is unchanged, a different one refused.
    Each figure's source must be a listed source."""
    root = _folder(facts)
    fb = load_facts(root)
    snap = root / "snapshot.yaml"
    doc = load(snap.read_text(encoding="utf-8"))
    have = {f.id: f for f in fb.snapshot.published}
    out = EditSummary("figures", dry_run=dry_run)
    problems = []
    for fig in figures:
        for ref in fig.source.split(";"):
            key = ref.strip().split("#", 1)[0]
            if key and key not in fb.snapshot.sources:
                problems.append(Problem(where, fig.id, "source", f"{key!r} is not listed in snapshot.yaml sources (add "
                                        f"it: ccmcheck source add {root} {key} --title TITLE --publisher BODY "
                                        "--date YYYY-MM-DD --url URL)"))
        if fig.id in have:
            if have[fig.id] == fig:
                out.unchanged.append(fig.id)
            else:
                problems.append(Problem(where, fig.id, "id", "snapshot.yaml already publishes a different figure "
                                        "with this id"))
            continue
        if "published" not in doc or doc["published"] is None:
            doc["published"] = CommentedSeq()
        doc["published"].append(_figure_node(fig))
        have[fig.id] = fig
        out.added.append(fig.id)
    if problems:
        raise InputError(problems)
    if out.added:
        out.file = write_files(root, {snap: dump(doc)}, dry_run=dry_run)[0]
    return out


def _folder(facts: str | Path) -> Path:
    root = Path(facts)
    if not root.is_dir():
        raise InputError.single(root, "", "", "no such facts folder (a bundled snapshot is read-only: start from a "
                                "copy with ccmcheck snapshot new)")
    return root
