"""Load a snapshot folder: `snapshot.yaml` plus `states/*.yaml`, one file per State.

Every problem in every file is collected before failing, so `ccmcheck validate`
can list them all. Nothing on disk is ever written.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..daterange import LATEST
from .bundled import resolve
from .model import Event, Snapshot, StateFacts
from .names import NameIndex, normalise
from ..yaml_io import list_files, read_yaml, validation_problems


@dataclass(frozen=True)
class FactBase:
    """A loaded snapshot: the Convention's facts and every State's, in name order.

    Example: `ccmcheck.load_facts("2017").find("Hrvatska").iso3  # "HRV"`
    """

    path: Path
    snapshot: Snapshot
    states: tuple[StateFacts, ...]
    files: dict[str, Path] = field(repr=False)
    names: NameIndex = field(repr=False)

    def find(self, name: str) -> StateFacts:
        """The State called `name` (UN name, ISO3 or alias, any case); InputError if none."""
        return self.names.find(name, self.path)


@cache
def known_iso3() -> frozenset[str]:
    lines = (Path(__file__).with_name("iso3166_alpha3.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("\t")[0] for line in lines if line and not line.startswith("#"))


def load_facts(path: str | Path) -> FactBase:
    """Read and check a snapshot folder (or a bundled snapshot's name); raise InputError listing every problem.

    Example: `ccmcheck.load_facts("facts/2017").snapshot.as_of  # date(2017, 6, 30)`
    """
    root = resolve(path)
    if not root.is_dir():
        raise InputError.single(root, "", "", "no such facts folder")
    snap_file = root / "snapshot.yaml"
    if snap_file not in list_files(root, "snapshot.yaml"):
        raise InputError.single(snap_file, "", "", "missing: a snapshot folder needs snapshot.yaml")
    snap_data = _mapping(snap_file, "")
    try:
        snapshot = Snapshot.model_validate(snap_data)
    except ValidationError as e:
        raise InputError(validation_problems(snap_file, "", e)) from None
    unlisted = [Problem(str(snap_file), "", fld, f"source {doc!r} is not listed in sources")
                for fld, doc in _unlisted_sources(snap_data, snapshot)]
    if unlisted:
        raise InputError(unlisted)
    state_dir = root / "states"
    files = list_files(state_dir, "*.yaml") if state_dir.is_dir() else []
    if not files:
        raise InputError.single(state_dir, "", "", "no State files (states/*.yaml)")
    problems: list[Problem] = []
    states: list[StateFacts] = []
    by_iso: dict[str, Path] = {}
    for f in files:
        try:
            data = _mapping(f, f.stem)
        except InputError as e:
            problems.extend(e.problems)
            continue
        try:
            st = StateFacts.model_validate(data)
        except ValidationError as e:
            problems.extend(validation_problems(f, _subject(data, f), e))
            continue
        problems.extend(_check_state(f, st, data, snapshot))
        if st.iso3 in by_iso:
            problems.append(Problem(str(f), st.name, "iso3", f"{st.iso3} is also given by {by_iso[st.iso3].name}"))
            continue
        by_iso[st.iso3] = f
        states.append(st)
    names = NameIndex(states)
    problems.extend(Problem(str(by_iso[iso]), n, "aliases", msg) for iso, n, msg in names.clashes)
    if problems:
        raise InputError(problems)
    states.sort(key=lambda s: s.name)
    return FactBase(root, snapshot, tuple(states), by_iso, names)


def _mapping(path: Path, subject: str) -> dict:
    data = read_yaml(path, subject)
    if not isinstance(data, dict):
        raise InputError.single(path, subject, "", "expected a mapping of fields at the top level")
    return data


def _subject(data: dict, f: Path) -> str:
    """The State's name as the file gives it, so every problem with a State names it
    the same way; the file's stem when the name itself is missing or unusable."""
    name = data.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else f.stem


def _sources(data: object, where: str):
    """(dotted field, source ref) for every fact in a file's data (already validated:
    walking the plain data is several times faster than walking the models)."""
    if isinstance(data, dict):
        for k, v in data.items():
            at = f"{where}.{k}" if where else str(k)
            if k in ("source", "prevails_source") and isinstance(v, str):
                yield at, v
            elif isinstance(v, (dict, list)):
                yield from _sources(v, at)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _sources(v, f"{where}.{i}")


def _unlisted_sources(data: dict, snap: Snapshot):
    """(field, document) for each cited document the snapshot does not list."""
    for fld, refs in _sources(data, ""):
        for ref in refs.split(";"):
            doc = ref.strip().split("#", 1)[0]
            if doc not in snap.sources:
                yield fld, doc


def _check_state(f: Path, st: StateFacts, data: dict, snap: Snapshot) -> list[Problem]:
    """Checks across fields: sources exist, codes exist, dates are possible."""
    out: list[Problem] = []

    def bad(fld: str, msg: str) -> None:
        out.append(Problem(str(f), st.name, fld, msg))

    for fld, label in [("name", st.name)] + [(f"aliases.{i}", a) for i, a in enumerate(st.aliases)]:
        if not normalise(label):
            bad(fld, f"{label!r} has no letter or digit, so no one could name the State by it")
        elif any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in label):
            bad(fld, "a name has no control characters")
        elif any(ch in "<>[]" for ch in label):
            bad(fld, "a name is plain text, without < > [ ] (they open markup in Markdown and HTML)")
    if st.iso3 not in known_iso3():
        bad("iso3", f"{st.iso3} is not an ISO 3166-1 alpha-3 code")
    for fld, doc in _unlisted_sources(data, snap):
        bad(fld, f"source {doc!r} is not listed in snapshot.yaml sources")
    opened = snap.convention.opened_for_signature.on
    t = st.treaty
    for name in ("signature", "deposit"):
        act = getattr(t, name)
        if act is not None and act.on < opened:
            bad(f"treaty.{name}.on", f"{act.on} is before the Convention opened for signature on {opened}")
    if t.withdrawal is not None and (t.deposit is None or t.withdrawal.on <= t.deposit.on):
        bad("treaty.withdrawal.on", "a withdrawal needs an earlier deposit")
    years = [(f"article7.annual_reports.{y}", y) for y in st.article7.annual_reports]
    years += [(f"reported.{y}", y) for y in st.reported]
    impossible = {fld for fld, year in years if not opened.year <= year <= LATEST.year}
    for fld, year in years:
        if fld in impossible:
            bad(fld, f"{year} is not a year of the Convention's life ({opened.year} to {LATEST.year})")
    for fld, year, ev in _reports(st):
        if ev.status != "done" or f"article7.annual_reports.{year}" in impossible:
            continue
        first, last = ev.window()
        if year is not None and (last or first) <= date(year, 12, 31):  # type: ignore[operator]
            bad(fld, f"submitted {'by ' if first is None else ''}{first or last}, but a report covering {year} "
                     f"cannot be submitted before the year ends")
            continue
        if t.deposit is None:
            bad(fld, "a submitted report, but the State has deposited no instrument")
        elif (first or last) < t.deposit.on:  # type: ignore[operator]
            bad(fld, f"submitted {'by ' if first is None else ''}{first or last}, before the State's deposit on {t.deposit.on}")
    return out


def _reports(st: StateFacts) -> list[tuple[str, int | None, Event]]:
    """Article 7 reports, each observation (a single one named as the fact, one of a list by its
    index) with the year it covers (None for the initial report): only a State that has
    deposited can submit one."""
    facts: list[tuple[str, int | None, tuple[Event, ...]]] = [
        (f"article7.annual_reports.{y}", y, obs) for y, obs in st.article7.annual_reports.items()]
    if st.article7.initial_report is not None:
        facts.insert(0, ("article7.initial_report", None, st.article7.initial_report))
    return [(fld if len(obs) == 1 else f"{fld}.{i}", year, ev) for fld, year, obs in facts for i, ev in enumerate(obs)]
