"""Merging spreadsheet rows into a snapshot's State files: all of them or none.

Every row is checked first, with the models the loader uses (facts/rows.py);
then the edited folder is staged in a temporary copy and loaded like any other,
so the checks across fields and files (a report before the deposit, a name two
States claim) apply too. Only when nothing is wrong are the files written, each
atomically, and if writing one fails the ones already written are put back.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import CcmcheckError, InputError, Problem
from ..fileio import write_atomic
from .edit import dump, load, new_state, put
from .loader import FactBase, known_iso3, load_facts
from .model import Sourced, StateFacts
from .names import normalise
from .rows import COLUMNS, WHO, Cell, FactSpec, existing, nearest_fact, parse_fact, spec

# A row for a State with no file yet may create one only with a treaty action of its own.
CREATES = ("treaty.signature", "treaty.deposit")
EXTRA_COLUMNS = ("decides",)  # the fill-in template's hint: read, never imported


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: dict[str, Cell]

    def text(self, col: str) -> str:
        v = self.cells.get(col, "")
        return v.isoformat() if isinstance(v, date) else str(v).strip()

    @property
    def blank(self) -> bool:
        """Nothing entered beyond who and what (an unfilled line of the fill-in template)."""
        return all(self.text(c) == "" for c in self.cells if c not in WHO + EXTRA_COLUMNS)


@dataclass
class Summary:
    """What an import did or would do: States created, facts added or replaced.

    Example: `ccmcheck.import_facts("facts/2018", "rows.csv", dry_run=True).text("rows.csv", Path("facts/2018"))`
    """

    created: list[str] = field(default_factory=list)  # "Sri Lanka (LKA)"
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    blank: int = 0
    files: list[Path] = field(default_factory=list)
    dry_run: bool = False

    def text(self, sheet: str, facts: Path) -> str:
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"{sheet} into {facts}{' (dry run: nothing written)' if self.dry_run else ''}:",
                 f"  States created: {len(self.created)}{': ' + ', '.join(self.created) if self.created else ''}",
                 f"  facts added: {self.added}, replaced: {self.replaced}, unchanged: {self.unchanged}",
                 f"  rows left blank (skipped): {self.blank}",
                 f"  {verb} {len(self.files)} file{'s' if len(self.files) != 1 else ''}"
                 + "".join(f"\n    {p}" for p in self.files)]
        return "\n".join(lines) + "\n"


@dataclass
class _NewState:
    name: str
    iso3: str
    file: Path


def _iso_names() -> dict[str, str]:
    """ISO3 -> name, from the ISO 3166 list the package ships."""
    lines = (Path(__file__).with_name("iso3166_alpha3.txt")).read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line and not line.startswith("#"))  # type: ignore[misc]


def _slug(name: str) -> str:
    return normalise(name).replace(" ", "-")


class _Plan:
    """The rows, checked and applied to round-trip documents in memory."""

    def __init__(self, fb: FactBase, sheet: str, replace: bool):
        self.fb, self.sheet, self.replace = fb, sheet, replace
        self.problems: list[Problem] = []
        self.docs: dict[Path, object] = {}  # file -> edited round-trip document
        self.originals: dict[Path, bytes | None] = {}
        self.by_file_rows: dict[Path, list[tuple[Row, FactSpec]]] = {}
        self.new: dict[str, _NewState] = {}  # iso3 -> State to create
        self.seen: dict[tuple[str, str, object], tuple[int, Sourced]] = {}
        self.summary = Summary()

    def bad(self, row: Row, col: str, msg: str) -> None:
        self.problems.append(Problem(self.sheet, f"row {row.number}", col, msg))

    def state_of(self, row: Row) -> StateFacts | _NewState | None:
        """The State a row is about; a new one if the row creates it; None (with a problem) if unknown."""
        name, iso = row.text("state"), row.text("iso3").upper()
        if not name and not iso:
            self.bad(row, "state", "empty: give the State's name or its iso3")
            return None
        by_name, by_iso = self._find(name), self._find(iso)
        if by_name is not None and by_iso is not None and by_name.iso3 != by_iso.iso3:
            self.bad(row, "iso3", f"{iso} is {by_iso.name}, but {name!r} is {by_name.name}")
            return None
        if by_iso or by_name:
            return by_iso or by_name
        iso_names = _iso_names()
        if not iso:
            iso = next((code for code, n in iso_names.items() if normalise(n) == normalise(name)), "")
        if iso in self.new:
            return self.new[iso]
        if row.text("fact") not in CREATES:
            why = self.fb.names.not_found(name or iso)  # not in the snapshot, or a nearby name: say it
            hint = why.partition("; ")[2] if why.startswith("no State of that name") else why
            self.bad(row, "state" if name else "iso3", f"no State {name or iso!r} in {self.fb.path}"
                     + (f": {hint}" if hint else "") + f" (a row with {' or '.join(CREATES)} creates one)")
            return None
        if iso not in known_iso3():
            col = "iso3" if row.text("iso3") else "state"
            self.bad(row, col, f"{iso or name!r} is not in the ISO 3166 list: give the State's iso3")
            return None
        full = name or iso_names[iso]
        target = self.fb.path / "states" / f"{_slug(full)}.yaml"
        if target.exists():
            self.bad(row, "state", f"{target} exists but is not a State {full!r} ({iso})")
            return None
        self.new[iso] = _NewState(full, iso, target)
        return self.new[iso]

    def _find(self, label: str) -> StateFacts | None:
        try:
            return self.fb.find(label) if label else None
        except InputError:
            return None

    def add(self, row: Row) -> None:
        path = row.text("fact")
        sp = spec(path)
        if sp is None:
            near = nearest_fact(path) if path else None
            self.bad(row, "fact", (f"no fact {path!r} in the State file format (docs/facts-format.md)"
                                   + (f"; did you mean {near!r}?" if near else "")) if path
                     else "empty: give the fact's dotted path, e.g. article7.annual_reports.2017")
            return
        who = self.state_of(row)
        cells = {k: v for k, v in row.cells.items() if k not in EXTRA_COLUMNS}
        fact, problems = parse_fact(sp, cells, self.fb.snapshot, self.sheet, f"row {row.number}")
        self.problems += problems
        if who is None or fact is None:
            return
        iso3 = who.iso3
        ident = getattr(fact, sp.identity) if sp.identity else None
        key = (iso3, path, ident)
        if key in self.seen:
            first, before = self.seen[key]
            if before != fact:
                self.bad(row, "fact", f"row {first} gives a different {path} for the same State")
            return
        self.seen[key] = (row.number, fact)
        if isinstance(who, _NewState):
            file, had, index = who.file, None, None
        else:
            file = self.fb.files[iso3]
            had, index = self._existing(who, sp, fact)
        if had is not None and had == fact:
            self.summary.unchanged += 1
            return
        if had is not None and not self.replace:
            self.bad(row, "fact", f"{who.name} already has a different {path} in {file.name}: "
                     f"{_brief(had)}; give --replace to overwrite it")
            return
        doc = self._doc(file, who)
        put(doc, sp, fact, index)  # type: ignore[arg-type]
        self.by_file_rows.setdefault(file, []).append((row, sp))
        if had is None:
            self.summary.added += 1
        else:
            self.summary.replaced += 1

    def _existing(self, st: StateFacts, sp: FactSpec, fact: Sourced) -> tuple[Sourced | None, int | None]:
        now = existing(st, sp)
        if not sp.is_list:
            return now, None  # type: ignore[return-value]
        for i, item in enumerate(now or []):  # type: ignore[union-attr]
            if getattr(item, sp.identity) == getattr(fact, sp.identity):  # type: ignore[arg-type]
                return item, i
        return None, None

    def _doc(self, file: Path, who: StateFacts | _NewState) -> object:
        if file not in self.docs:
            if isinstance(who, _NewState):
                self.originals[file] = None
                self.docs[file] = new_state(who.name, who.iso3)
                self.summary.created.append(f"{who.name} ({who.iso3})")
            else:
                raw = file.read_bytes()
                self.originals[file] = raw
                self.docs[file] = load(raw.decode("utf-8"))
        return self.docs[file]


def _brief(fact: Sourced) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in fact.model_dump(exclude_defaults=True).items()) + "}"


def check_header(header: list[str], sheet: str) -> list[Problem]:
    known = set(COLUMNS) | set(EXTRA_COLUMNS)
    out = [Problem(sheet, "row 1", col or f"column {i + 1}", f"unknown column (columns: {', '.join(COLUMNS)})")
           for i, col in enumerate(header) if col not in known]
    twice = sorted({c for c in header if header.count(c) > 1 and c})
    out += [Problem(sheet, "row 1", c, "column given twice") for c in twice]
    if "fact" not in header:
        out.append(Problem(sheet, "row 1", "fact", "missing column"))
    if "state" not in header and "iso3" not in header:
        out.append(Problem(sheet, "row 1", "state", "missing column (give state or iso3)"))
    return out


def merge(facts: str | Path, header: list[str], rows: list[Row], sheet: str, *, replace: bool = False,
          dry_run: bool = False) -> Summary:
    """Merge the rows into the snapshot's State files, or raise InputError listing every problem."""
    if not Path(facts).is_dir():  # never a bundled snapshot's name: those are read-only
        raise InputError.single(facts, "", "", "no such facts folder (to change a bundled snapshot, start "
                                "from a copy: ccmcheck snapshot new NEW_DIR --from NAME --as-of DATE)")
    fb = load_facts(facts)
    problems = check_header(header, sheet)
    if problems:
        raise InputError(problems)
    plan = _Plan(fb, sheet, replace)
    todo = [r for r in rows if not r.blank]
    plan.summary.blank = len(rows) - len(todo)
    # Rows that create a State go first, so that a later row can be about it.
    for row in sorted(todo, key=lambda r: (r.text("fact") not in CREATES, r.number)):
        plan.add(row)
    if plan.problems:
        raise InputError(sorted(plan.problems, key=lambda p: int(p.subject.split()[1])))
    texts = {f: dump(doc) for f, doc in plan.docs.items()}  # type: ignore[arg-type]
    _check_staged(fb.path, texts, plan)
    plan.summary.files = sorted(texts)
    plan.summary.dry_run = dry_run
    if not dry_run:
        _write_all(texts, plan.originals)
    return plan.summary


def _check_staged(root: Path, texts: dict[Path, str], plan: _Plan) -> None:
    """Load a copy of the folder with the edits in it; report each problem against the row that caused it."""
    with tempfile.TemporaryDirectory(prefix="ccmcheck-import-") as tmp:
        staged = Path(tmp) / "facts"
        shutil.copytree(root, staged)
        for f, text in texts.items():
            (staged / f.relative_to(root)).write_text(text, encoding="utf-8")
        try:
            load_facts(staged)
        except InputError as e:
            out = []
            for p in e.problems:
                real = root / Path(p.file).relative_to(staged) if p.file.startswith(str(staged)) else Path(p.file)
                row = next(((r, sp) for r, sp in plan.by_file_rows.get(real, [])
                            if p.field == sp.path or p.field.startswith(sp.path + ".")), None)
                if row is None:
                    out.append(Problem(str(real), p.subject, p.field, p.message))
                else:
                    r, sp = row
                    rest = p.field[len(sp.path):].lstrip(".").split(".")
                    # A check on the fact as a whole (a report before the deposit) is about its date.
                    col = next((c for c in rest if c in COLUMNS), None) or next(
                        (c for c in ("on", "by", "between_from", "checked_on") if r.text(c)), "fact")
                    out.append(Problem(plan.sheet, f"row {r.number}", col, p.message))
            raise InputError(out) from None


def _write_all(texts: dict[Path, str], originals: dict[Path, bytes | None]) -> None:
    """Write every file atomically; if one fails, put back those already written."""
    done: list[Path] = []
    try:
        for f, text in sorted(texts.items()):
            write_atomic(f, text)
            done.append(f)
    except OSError as e:
        for f in done:
            before = originals[f]
            if before is None:
                f.unlink(missing_ok=True)
            else:
                write_atomic(f, before)
        raise CcmcheckError(f"cannot write {e.filename or 'a State file'}: {e.strerror}; no file was changed") from None
