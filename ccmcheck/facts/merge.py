"""Merging spreadsheet rows into a snapshot's State files: all of them or none.

Every row is checked first, with the models the loader uses (facts/rows.py);
then the edited files go to `transaction.write_files`, which stages the folder,
loads it like any other, so the checks across fields and files (a report before the
deposit, a name two States claim) apply too, and only then commits every file, all
or none, under the snapshot's write lock (held from reading the facts to the end).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from ..errors import CcmcheckError, InputError, Problem
from .edit import dump, load, new_state, put
from .loader import FactBase, known_iso3, load_facts
from .model import Sourced, StateFacts
from .names import normalise
from .rows import COLUMNS, WHO, Cell, FactSpec, existing, nearest_fact, observation_identity, parse_fact, spec
from .transaction import locked, write_files

# A row for a State with no file yet may create one only with a treaty action of its own.
CREATES = ("treaty.signature", "treaty.deposit")
# The fill-in template's columns for the reader (area, the fact's latest observation, what it
# decides): read, never imported.
EXTRA_COLUMNS = ("area", "current_status", "current_date", "current_source", "decides")


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: dict[str, Cell]
    sheet: str = ""  # the workbook's sheet, when it has several (the fill-in template: one per area)

    @property
    def label(self) -> str:
        """Where a person finds the row: "row 5", or "sheet 'B. Stockpile ...' row 5"."""
        return f"sheet {self.sheet!r} row {self.number}" if self.sheet else f"row {self.number}"

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
        lines = [f"{sheet} into {facts}{' (dry run: nothing written)' if self.dry_run else ''}:",
                 f"  States created: {len(self.created)}{': ' + ', '.join(self.created) if self.created else ''}",
                 f"  facts added: {self.added}, replaced: {self.replaced}, unchanged: {self.unchanged}",
                 f"  rows left blank (skipped): {self.blank}", files_written(self.files, self.dry_run)]
        return "\n".join(lines) + "\n"


def files_written(files: Sequence[Path], dry_run: bool) -> str:
    """The last lines of every import's summary: how many files it wrote (or would), each by name."""
    return (f"  {'would write' if dry_run else 'wrote'} {len(files)} file{'s' if len(files) != 1 else ''}"
            + "".join(f"\n    {p}" for p in files))


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
        self.seen: dict[tuple[str, str, object], tuple[str, Sourced]] = {}
        self.summary = Summary()

    def bad(self, row: Row, col: str, msg: str) -> None:
        self.problems.append(Problem(self.sheet, row.label, col, msg))

    def state_of(self, row: Row) -> StateFacts | _NewState | None:
        """The State a row is about; a new one if the row creates it; None (with a problem) if unknown."""
        name, iso = row.text("state"), row.text("iso3").upper()
        if not name and not iso:
            self.bad(row, "state", "empty: give the State's name or its iso3")
            return None
        by_name, by_iso = self._find(name), self._find(iso)
        if name and iso and (by_name is not None or by_iso is not None) and (
                by_name is None or by_iso is None or by_name.iso3 != by_iso.iso3):
            self.bad(row, "iso3", f"state {name!r} and iso3 {iso!r} do not name the same State "
                     f"({_who(name, by_name)}; {_who(iso, by_iso)})")
            return None
        if by_iso or by_name:
            return by_iso or by_name
        iso_names = _iso_names()
        named = next((code for code, n in iso_names.items() if normalise(n) == normalise(name)), "") if name else ""
        if name and iso and named and named != iso:
            self.bad(row, "iso3", f"state {name!r} and iso3 {iso!r} do not name the same State "
                     f"(ISO 3166 gives {name!r} the code {named})")
            return None
        iso = iso or named
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
        if not _slug(full) or any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in full):
            self.bad(row, "state", f"{full!r} cannot name a State: it needs a letter or digit and no control character")
            return None
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
        fact, problems = parse_fact(sp, cells, self.fb.snapshot, self.sheet, row.label)
        self.problems += problems
        if who is None or fact is None:
            return
        iso3 = who.iso3
        ident = (getattr(fact, sp.identity) if sp.identity else
                 observation_identity(fact) if sp.observations else None)  # type: ignore[arg-type]
        key = (iso3, path, ident)
        if key in self.seen:
            first, before = self.seen[key]
            if before != fact:
                self.bad(row, "fact", f"{first} gives a different {path} for the same State")
            return
        self.seen[key] = (row.label, fact)
        if isinstance(who, _NewState):
            file, had, index = who.file, None, None
        else:
            file = self.fb.files[iso3]
            had, index = self._existing(who, sp, fact)
        if had is not None and had == fact:
            self.summary.unchanged += 1
            return
        if had is not None and not self.replace:
            what = "observation of " if sp.observations else ""
            self.bad(row, "fact", f"{who.name} already has a different {what}{path} in {file.name}: "
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
        if sp.observations:  # another observation is added beside the others; only the same one is corrected
            for i, ev in enumerate(now or ()):  # type: ignore[union-attr]
                if observation_identity(ev) == observation_identity(fact):  # type: ignore[arg-type]
                    return ev, i
            return None, None
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


def _who(label: str, st: StateFacts | None) -> str:
    return f"{label} is {st.name} ({st.iso3})" if st is not None else f"{label} is no State in the snapshot"


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
          dry_run: bool = False, check: Callable[[FactBase], None] | None = None) -> Summary:
    """Merge the rows into the snapshot's State files, or raise InputError listing every problem.
    The plan is made and written under the snapshot's write lock (facts/transaction.py)."""
    with locked(_folder(facts)):
        plan = _plan(facts, header, rows, sheet, replace)
        texts = {f: dump(doc).encode("utf-8") for f, doc in plan.docs.items()}  # type: ignore[arg-type]
        try:
            write_files(plan.fb.path, texts, dry_run=dry_run, check=check)
        except InputError as e:
            raise InputError([_row_problem(p, plan) for p in e.problems]) from None
        except OSError as e:
            raise CcmcheckError(f"cannot write {e.filename or 'a State file'}: {e.strerror}; no file was changed") from None
    plan.summary.files = sorted(texts)
    plan.summary.dry_run = dry_run
    return plan.summary


def plan_rows(facts: str | Path, header: list[str], rows: list[Row], sheet: str, *,
              replace: bool = False) -> tuple[Summary, dict[Path, str], dict[Path, bytes | None]]:
    """The rows checked and applied in memory: the summary, each edited file's new text and the
    bytes it was planned from (None for a new file), for `transaction.write_files(based_on=...)`
    to refuse the change if another writer got in between; nothing written. InputError lists
    every problem."""
    plan = _plan(facts, header, rows, sheet, replace)
    texts = {f: dump(doc) for f, doc in plan.docs.items()}  # type: ignore[arg-type]
    plan.summary.files = sorted(texts)
    return plan.summary, texts, plan.originals


def _folder(facts: str | Path) -> Path:
    if not Path(facts).is_dir():  # never a bundled snapshot's name: those are read-only
        raise InputError.single(facts, "", "", "no such facts folder (to change a bundled snapshot, start "
                                "from a copy: ccmcheck snapshot new NEW_DIR --from NAME --as-of DATE)")
    return Path(facts)


def _plan(facts: str | Path, header: list[str], rows: list[Row], sheet: str, replace: bool) -> "_Plan":
    fb = load_facts(_folder(facts))
    problems = check_header(header, sheet)
    if problems:
        raise InputError(problems)
    plan = _Plan(fb, sheet, replace)
    todo = [r for r in rows if not r.blank]
    plan.summary.blank = len(rows) - len(todo)
    # Rows that create a State go first, so that a later row can be about it.
    for row in sorted(todo, key=lambda r: (r.text("fact") not in CREATES, r.number)):
        plan.add(row)
    if plan.problems:  # in the order of the file
        order = {r.label: i for i, r in enumerate(rows)}
        raise InputError(sorted(plan.problems, key=lambda p: order.get(p.subject, -1)))
    return plan


def _row_problem(p: Problem, plan: _Plan) -> Problem:
    """A problem the staged snapshot has, told against the row that caused it where one did."""
    row = next(((r, sp) for r, sp in plan.by_file_rows.get(Path(p.file), [])
                if p.field == sp.path or p.field.startswith(sp.path + ".")), None)
    if row is None:
        return p
    r, sp = row
    rest = p.field[len(sp.path):].lstrip(".").split(".")
    # A check on the fact as a whole (a report before the deposit) is about its date.
    col = next((c for c in rest if c in COLUMNS), None) or next(
        (c for c in ("on", "by", "between_from", "checked_on") if r.text(c)), "fact")
    return Problem(plan.sheet, r.label, col, p.message)
