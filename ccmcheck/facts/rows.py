"""Facts as spreadsheet rows: one row per fact, and back.

A fact is named by its dotted path in a State file (`treaty.deposit`,
`article7.annual_reports.2017`, `reported.2016.stockpile_progress`,
`article3.extensions`); its fields go in one column each. An event fact is its
observations: one row each, all with the same path. The paths, and which
columns each takes, are read from the model (facts/model.py), so a field added
there is a column here with no second list to keep in step. A row is parsed into
the same pydantic model the loader uses, so a row passes exactly when the same
fact written in a State file would.
"""
from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from pydantic import ValidationError

from ..daterange import parse_day
from ..errors import Problem
from ..yaml_io import validation_problems
from .model import Event, Observations, Record, Snapshot, Sourced, StateFacts

# The columns first, in its order; then the fields the other fact kinds need.
COLUMNS = ("state", "iso3", "fact", "status", "value", "on", "by", "between_from", "between_to", "checked_on",
           "kind", "source", "note", "not_done_on", "decided_on", "decided_by", "new_deadline", "hostilities_ended",
           "submitted_on", "deadline_requested", "prevails", "prevails_source")
WHO = ("state", "iso3", "fact")
DATE_COLUMNS = frozenset({"on", "by", "between_from", "between_to", "checked_on", "not_done_on", "decided_on",
                          "new_deadline", "hostilities_ended", "submitted_on", "deadline_requested"})
# A list item's identity: an extension is the one decided on that day; new contamination, hostilities ended then.
LIST_IDENTITY = {"extensions": "decided_on", "new_contamination": "hostilities_ended", "requests": "submitted_on"}
Cell = str | date


@dataclass(frozen=True)
class FactSpec:
    """Where a fact lives in a State file and which model holds it."""

    path: str
    keys: tuple[str | int, ...]  # the mapping keys from the top of the file (years as ints)
    model: type[Sourced]
    identity: str | None = None  # list facts: the field that tells items apart
    observations: bool = False  # an event fact: a list of observations (one mapping when there is one)

    @property
    def is_list(self) -> bool:
        return self.identity is not None

    def columns(self) -> tuple[str, ...]:
        fields = [f for f in self.model.model_fields if f not in ("source", "note")]
        cols = [c for f in fields for c in (("between_from", "between_to") if f == "between" else (f,))]
        return tuple(cols) + ("source", "note")


def observation_identity(ev: Event) -> tuple[object, ...]:
    """What tells one observation of a fact from another: what it saw, the day it checked and its
    source. A row with the same identity but different fields corrects it (`import --replace`);
    any other row is a further observation, kept beside the others."""
    return ev.status, ev.checked_on, ev.source


def _inner(annotation: object) -> tuple[str, type]:
    """('single' | 'list' | 'by_year' | 'observations', model) for a field's annotation."""
    if annotation == Observations:
        return "observations", Event
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        return _inner(inner) if inner == Observations else ("single", inner)
    if origin is list:
        return "list", args[0]
    if origin is dict:
        return "by_year", args[1]
    return "single", annotation  # type: ignore[return-value]


def fact_paths(model: type[Record] = StateFacts, prefix: str = "") -> list[str]:
    """Every fact's dotted path in the State file format; a year-keyed fact with `YYYY` for the year."""
    out: list[str] = []
    for name, info in model.model_fields.items():
        if model is StateFacts and name in ("name", "iso3", "aliases"):
            continue
        how, inner = _inner(info.annotation)
        path = prefix + name + (".YYYY" if how == "by_year" else "")
        if inner == Observations:  # a year's observations (article7.annual_reports.YYYY)
            inner = Event
        if isinstance(inner, type) and issubclass(inner, Sourced):
            out.append(path)
        elif isinstance(inner, type) and issubclass(inner, Record):
            out += fact_paths(inner, path + ".")
    return out


def nearest_fact(path: str) -> str | None:
    """The fact path `path` most likely means (a typo, or a year where the format has none), or None."""
    import difflib

    generic = re.sub(r"\.(19|20)\d\d(?=\.|$)", ".YYYY", path)
    year = re.search(r"\.((19|20)\d\d)(?=\.|$)", path)
    found = difflib.get_close_matches(generic, fact_paths(), n=1, cutoff=0.7)
    return found[0].replace("YYYY", year.group(1) if year else "YYYY") if found else None


def spec(path: str) -> FactSpec | None:
    """The fact at a dotted path, or None if the State file format has no such fact."""
    parts = path.split(".")
    model: type[Record] = StateFacts
    keys: list[str | int] = []
    i = 0
    while i < len(parts):
        name = parts[i]
        info = model.model_fields.get(name)
        if info is None or (model is StateFacts and name in ("name", "iso3", "aliases")):
            return None
        how, inner = _inner(info.annotation)
        keys.append(name)
        i += 1
        if how == "by_year":
            if i >= len(parts) or not re.fullmatch(r"(19|20)\d\d", parts[i]):
                return None
            keys.append(int(parts[i]))
            i += 1
            how, inner = _inner(inner)
        if how == "observations" or issubclass(inner, Sourced):
            if i != len(parts):
                return None
            return FactSpec(path, tuple(keys), inner, LIST_IDENTITY[name] if how == "list" else None,
                            how == "observations")
        model = inner
    return None


def _get(obj: object, key: str | int) -> object:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, str(key), None)  # type: ignore[union-attr]


def existing(state: StateFacts, sp: FactSpec) -> object:
    """What the State already says at the fact's place: a model, a list of models, or None."""
    obj: object = state
    for k in sp.keys:
        obj = _get(obj, k)
        if obj is None:
            return None
    return obj


def _facts(obj: object, keys: tuple[str | int, ...]) -> Iterator[tuple[str, FactSpec, Sourced]]:
    """(path, spec, fact) for every fact inside a model, in the file format's order."""
    if isinstance(obj, Sourced):
        path = ".".join(map(str, keys))
        sp = spec(path)
        assert sp is not None, path
        yield path, sp, obj
    elif isinstance(obj, tuple):  # an event fact's observations
        path = ".".join(map(str, keys))
        sp = spec(path)
        assert sp is not None and sp.observations, path
        for ev in obj:
            yield path, sp, ev
    elif isinstance(obj, Record):
        for name in type(obj).model_fields:
            if not (keys == () and name in ("name", "iso3", "aliases")):
                yield from _facts(getattr(obj, name), keys + (name,))
    elif isinstance(obj, dict):
        for k in sorted(obj):
            yield from _facts(obj[k], keys + (k,))
    elif isinstance(obj, list):
        for item in obj:
            path = ".".join(map(str, keys))
            sp = spec(path)
            assert sp is not None and sp.is_list, path
            yield path, sp, item


def fact_cells(fact: Sourced) -> dict[str, Cell]:
    """A fact's fields as cells: dates stay dates, flags are `true`/`false`, the rest text."""
    out: dict[str, Cell] = {}
    for name in type(fact).model_fields:
        v = getattr(fact, name)
        if v is None or v == "":
            continue
        if name == "between":
            out["between_from"], out["between_to"] = v
        elif isinstance(v, bool):
            out[name] = "true" if v else "false"
        else:
            out[name] = v if isinstance(v, date) else str(v)
    return out


def state_rows(state: StateFacts) -> list[dict[str, Cell]]:
    """Every fact of one State, one row each (one per observation), in the file format's order."""
    return [{"state": state.name, "iso3": state.iso3, "fact": path, **fact_cells(fact)}
            for path, _, fact in _facts(state, ())]


MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_as_between(sp: FactSpec, cells: dict[str, Cell]) -> dict[str, Cell]:
    """A month-precision `on` cell (`2019-03`) of an event that takes `between` means
    `between: [2019-03-01, 2019-03-31]`: the source gives the month, not the day."""
    raw = cells.get("on")
    m = MONTH.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if m is None or "between" not in sp.model.model_fields or cells.get("between_from") or cells.get("between_to"):
        return cells
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return cells
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
    out = {k: v for k, v in cells.items() if k != "on"}
    out["between_from"], out["between_to"] = date(year, month, 1), last
    return out


def parse_fact(sp: FactSpec, cells: dict[str, Cell], snapshot: Snapshot, where: str, row: str) -> tuple[Sourced | None, list[Problem]]:
    """The row's fact as the loader's model, or the problems, each naming a column."""
    problems: list[Problem] = []

    def bad(col: str, msg: str) -> None:
        problems.append(Problem(where, row, col, msg))

    allowed = sp.columns()
    data: dict[str, object] = {}
    cells = month_as_between(sp, cells)
    for col, raw in cells.items():
        if col in WHO or raw == "":
            continue
        if col not in allowed:
            bad(col, f"{sp.path} takes no {col} (it takes {', '.join(allowed)})")
            continue
        if col in DATE_COLUMNS:
            try:
                data[col] = parse_day(raw)
            except ValueError as e:
                bad(col, str(e))
            continue
        if col == "value" and "value" in sp.model.model_fields and sp.model.model_fields["value"].annotation is bool:
            text = str(raw).strip().lower()
            if text not in ("true", "false"):
                bad(col, f"a flag is true or false, not {raw!r}")
                continue
            data[col] = text == "true"
            continue
        data[col] = raw
    ends = [data.pop(c, None) for c in ("between_from", "between_to")]
    if any(e is not None for e in ends):
        if None in ends:
            bad("between_to" if ends[1] is None else "between_from", "between needs both between_from and between_to")
        else:
            data["between"] = tuple(ends)
    for ref in str(data.get("source", "")).split(";"):
        doc = ref.strip().split("#", 1)[0]
        if doc and doc not in snapshot.sources:
            bad("source", f"{doc!r} is not listed in snapshot.yaml sources (add it: ccmcheck source add FACTS_DIR "
                f"{doc} --title TITLE --publisher BODY --date YYYY-MM-DD --url URL)")
    if problems:
        return None, problems
    try:
        return sp.model.model_validate(data), []
    except ValidationError as e:
        for p in validation_problems(where, row, e):
            col = p.field.split(".")[0] or ("status" if "status" in allowed else "fact")
            bad("between_from" if col == "between" else col, p.message)
        return None, problems
