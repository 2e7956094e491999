"""Check someone else's list against the facts: `ccmcheck reconcile FACTS_DIR --against LIST.csv`.

Civil-society statements and Monitor tables publish lists such as "States Parties
with overdue initial reports as of 18 June 2015, with their due dates". The list
is a CSV with a `state` column and optionally `status` (a finding status, e.g.
`overdue`) and `due` (YYYY-MM-DD). For one rule and one date, each row gets a
verdict: `agrees` (the facts say the same), `undecided` (the facts cannot say;
the missing facts are named) or `wrong` (the facts say otherwise, and why, with
the date chain of `audit --explain`). Where every row claims the same status, the
States the facts give that status but the list leaves out are named too.

A wrong due date is compared with the rule's own period counted from each other
date in the chain, so that "deposit + 180 days" is recognised for what it is
when Art. 7(1) counts 180 days from entry into force for the State (Art. 17(2)).
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..yaml_io import read_bytes
from ..errors import InputError, Problem
from ..facts.loader import FactBase
from ..rules.model import Period, Rule
from .dates import shift
from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, audit, evaluate, standing
from .results import STATUS_ORDER, Document, Finding

Verdict = Literal["agrees", "undecided", "wrong"]
MAX_LIST_BYTES = 20 * 1024 * 1024  # a list of States is a few kilobytes
COLUMNS = ("state", "status", "due")
CLAIMABLE = tuple(s for s in STATUS_ORDER if s != "unknown")
_CHAIN_DATE = re.compile(r"^([a-z][\w.\-]*)(?: \(.*\))?: (\d{4}-\d{2}-\d{2})\b")


class Row(BaseModel):
    """One row of the list and what the facts say of it."""

    model_config = ConfigDict(frozen=True)

    row: int  # as a spreadsheet numbers it: the header is row 1
    given: str
    state: str
    iso3: str
    list_status: str | None
    list_due: date | None
    status: str | None  # the finding's, or None where the rule gives none
    due: date | None
    verdict: Verdict
    why: list[str]
    chain: list[str]


class Omission(BaseModel):
    """A State the facts give the status every row claims, but the list leaves out."""

    model_config = ConfigDict(frozen=True)

    state: str
    iso3: str
    status: str
    due: date | None
    explanation: str


class ListCheck(Document):

    list: str
    rule: str
    as_of: date
    snapshot: str
    rows: list[Row]
    omitted: list[Omission]


def _period(p: Period) -> str:
    parts = [(p.years, "year"), (p.months, "month"), (p.days, "day")]
    return " ".join(f"{n} {unit}{'s' if abs(n) != 1 else ''}" for n, unit in parts if n) or "0 days"


def _read(path: Path, fb: FactBase) -> list[tuple[int, str, str, str | None, date | None]]:
    """(row, name as given, iso3, status, due) per row; InputError naming every bad row."""
    raw = read_bytes(path, "", MAX_LIST_BYTES)  # a regular file of bounded size: never a FIFO or /dev/zero
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError.single(path, "", "", f"not UTF-8 text (byte {e.start})") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))  # not splitlines(): U+2028 in a cell is no row end
    except csv.Error as e:
        raise InputError.single(path, "", "", f"malformed CSV: {e}") from None
    header = [h.strip().casefold() for h in rows[0]] if rows else []
    if "state" not in header:
        raise InputError.single(path, "row 1", "", "the header needs a `state` column (and optionally status, due)")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or len(set(header)) != len(header):
        what = f"unknown column {unknown[0]!r}" if unknown else "a column named twice"
        raise InputError.single(path, "row 1", "", f"{what}; the columns are {', '.join(COLUMNS)}")
    problems: list[Problem] = []
    out: list[tuple[int, str, str, str | None, date | None]] = []
    first_row: dict[str, int] = {}
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(str(path), f"row {n}", "", f"{len(cells)} cells for {len(header)} columns"))
            continue
        cell = {h: c.strip() for h, c in zip(header, cells)}
        bad = lambda field, msg: problems.append(Problem(str(path), f"row {n}", field, msg))  # noqa: E731
        try:
            iso3 = fb.find(cell["state"]).iso3 if cell["state"] else None
        except InputError as e:
            bad("state", f"{cell['state']!r}: {e.problems[0].message}")
            continue
        if iso3 is None:
            bad("state", "empty")
            continue
        status = cell.get("status", "").casefold().replace(" ", "_") or None
        if status is not None and status not in CLAIMABLE:
            bad("status", f"{cell['status']!r} is not a status; use one of {', '.join(CLAIMABLE)}")
            continue
        due = None
        if cell.get("due"):
            try:
                due = date.fromisoformat(cell["due"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell["due"]) else None
            except ValueError:
                due = None
            if due is None:
                bad("due", f"{cell['due']!r} is not a date (YYYY-MM-DD)")
                continue
        if iso3 in first_row:
            bad("state", f"{cell['state']!r} is the same State as row {first_row[iso3]}")
            continue
        first_row[iso3] = n
        out.append((n, cell["state"], iso3, status, due))
    if problems:
        raise InputError(problems)
    return out


def _due_diagnosis(rule: Rule, f: Finding, list_due: date) -> str:
    """Which other date of the chain, moved by the rule's own period, gives the list's date."""
    dl = rule.deadline
    if dl is None or dl.from_ is None:
        return ""
    chain = [(m.group(1), date.fromisoformat(m.group(2))) for line in f.explain if (m := _CHAIN_DATE.match(line))]
    base = next((f" ({d})" for name, d in chain if name == dl.from_), "")
    for name, d in chain:
        if name not in ("due", dl.from_) and shift(d, dl.plus) == list_due:
            return (f"the list's date is {name} {d} + {_period(dl.plus)}; {rule.source.instrument} "
                    f"{rule.source.provision} counts {_period(dl.plus)} from {dl.from_}{base}")
    return ""


def _row(rule: Rule, n: int, given: str, iso3: str, status: str | None, due: date | None, f: Finding | None,
         fb: FactBase, book: RulesArg, as_of: date, engine: str) -> Row:
    st = next(s for s in fb.states if s.iso3 == iso3)
    wrong: list[str] = []
    open_: list[str] = []
    if f is None:
        gaps = next((u.missing for u in audit(fb, iso3, as_of, rules=book, engine=engine).undecided if u.rule == rule.id), None)
        if gaps:
            open_.append(f"the facts cannot say whether {rule.id} applies to {st.name}: missing {', '.join(gaps)}")
        else:
            wrong.append(f"{rule.id} does not apply to {st.name} as of {as_of}: {standing(st, as_of)}")
        return Row(row=n, given=given, state=st.name, iso3=iso3, list_status=status, list_due=due, status=None, due=None,
                   verdict="wrong" if wrong else "undecided", why=wrong + open_, chain=[])
    missing = f"; missing: {', '.join(f.missing)}" if f.missing else ""
    if status is not None:
        if f.status == "unknown":
            open_.append(f"the list says {status}; the facts cannot decide{missing}")
        elif f.status != status:
            wrong.append(f"the list says {status}; the facts say {f.status}: {f.explanation}")
    if due is not None:
        if f.due is None:
            open_.append(f"the list gives due {due}; the facts give no due date{missing}")
        elif f.due != due:
            hint = _due_diagnosis(rule, f, due)
            wrong.append(f"the list gives due {due}; the facts give {f.due}" + (f": {hint}" if hint else ""))
    verdict: Verdict = "wrong" if wrong else "undecided" if open_ else "agrees"
    return Row(row=n, given=given, state=st.name, iso3=iso3, list_status=status, list_due=due, status=f.status, due=f.due,
               verdict=verdict, why=wrong + open_, chain=f.explain)


def check_list(facts: FactsArg, against: str | Path, rule: str, as_of: date | None = None, *, rules: RulesArg = None,
               engine: str = "durable") -> ListCheck:
    """Each row of the CSV list `against` (columns state, status, due) against what
    the facts and `rule` give as of `as_of` (default: the snapshot's date)."""
    fb, book = as_factbase(facts), as_rulebook(rules)
    ev = evaluate(fb, as_of, rules=book, engine=engine, rule_ids=[rule], explain=True)  # the date chains
    r = book.get(rule)
    rows = _read(Path(against), fb)
    by_iso = {f.iso3: f for f in ev.findings if f.iso3 is not None}
    checked = [_row(r, n, given, iso3, status, due, by_iso.get(iso3), fb, book, ev.as_of, engine)
               for n, given, iso3, status, due in rows]
    claimed = {status for *_, status, _ in rows}
    omitted = []
    if len(claimed) == 1 and None not in claimed:
        on_list = {iso3 for _, _, iso3, _, _ in rows}
        omitted = [Omission(state=f.state, iso3=f.iso3, status=f.status, due=f.due, explanation=f.explanation)
                   for f in ev.findings if f.iso3 is not None and f.iso3 not in on_list and f.status in claimed]
    return ListCheck(list=str(against), rule=rule, as_of=ev.as_of, snapshot=ev.snapshot, rows=checked,
                     omitted=sorted(omitted, key=lambda o: o.state))
