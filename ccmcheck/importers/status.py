"""`ccmcheck import-status`: the depositary's status table into the State files.

Each participant's signature, deposit (with its kind) and withdrawal (a note of the
table; Art. 20(2): effective six months after the notification was received) becomes
a treaty fact citing the status page (`untc`) and the day it was read. A fact equal in
substance (same day, same kind) to the one a State file holds is unchanged whatever its
citation; a different one is a conflict, refused unless `--replace`. Participants not in
the snapshot are created with the table's (UN short) name, ISO 3166's code, and ISO
3166's name as an alias where it differs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import InputError, Problem
from ..facts.edit import dump, load
from ..facts.loader import load_facts
from ..facts.merge import Row, files_written, plan_rows
from ..facts.model import StateFacts
from ..facts.rows import COLUMNS
from . import untc
from .names import NewState, iso_country, known, suggestions
from .store import write_files

SOURCE_KEY = "untc"


@dataclass
class StatusSummary:
    read_on: date
    participants: int = 0
    created: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # "Namibia: treaty.deposit 2018-08-31 (ratification)"
    replaced: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_table: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    dry_run: bool = False

    def text(self, table: str, facts: str) -> str:
        head = f"{table} (status as read on {self.read_on}) into {facts}"
        lines = [head + (" (dry run: nothing written)" if self.dry_run else "") + ":",
                 f"  participants in the table: {self.participants}",
                 f"  States created: {len(self.created)}{': ' + ', '.join(self.created) if self.created else ''}",
                 f"  treaty facts added: {len(self.added)}, replaced: {len(self.replaced)}, unchanged: {self.unchanged}"]
        lines += [f"    + {a}" for a in self.added] + [f"    ~ {r}" for r in self.replaced]
        if self.not_in_table:
            lines.append(f"  in the snapshot with a treaty action but not in the table: {', '.join(self.not_in_table)}")
        lines.append(files_written(self.files, self.dry_run))
        return "\n".join(lines) + "\n"


def _facts_of(table: untc.StatusTable, p: untc.Participant, source: str) -> list[dict[str, object]]:
    """The treaty facts one participant's row gives, as import rows (without the State)."""
    out: list[dict[str, object]] = []
    if p.signature is not None:
        out.append({"fact": "treaty.signature", "on": p.signature, "source": source})
    if p.deposit is not None:
        out.append({"fact": "treaty.deposit", "on": p.deposit, "kind": p.kind, "source": source})
    w = table.withdrawal(p)
    if w is not None:
        notified, effective, note = w
        out.append({"fact": "treaty.withdrawal", "on": effective, "source": f"{source}; legal#Art. 20(2)",
                    "note": f"notification received {notified} (depositary's note {note}); effective six months "
                            "later (Art. 20(2))"})
    return out


def _same(st: StateFacts | None, row: dict[str, object]) -> bool | None:
    """True if the State holds this fact in substance (day, kind); False if a different one; None if none."""
    if st is None:
        return None
    now = getattr(st.treaty, str(row["fact"]).split(".")[1])
    if now is None:
        return None
    return now.on == row["on"] and getattr(now, "kind", None) == row.get("kind")


def import_status(facts: str | Path, path: str | Path, *, read_on: date | None = None, replace: bool = False,
                  dry_run: bool = False) -> StatusSummary:
    """Merge the status table in `path` into the snapshot `facts`; InputError (nothing written) on any problem."""
    root, file = Path(facts), Path(path)
    if not root.is_dir():
        raise InputError.single(root, "", "", "no such facts folder")
    table = untc.read(file)
    day = read_on or table.read_on
    if day is None:
        raise InputError.single(file, "", "--read-on", "the table does not say when it was read (no 'Status as at'): "
                                "give --read-on YYYY-MM-DD, the day you saved it")
    fb = load_facts(root)
    if SOURCE_KEY not in fb.snapshot.sources:
        raise InputError.single(root / "snapshot.yaml", "sources", SOURCE_KEY, "the status page is not a source yet: "
                                f"ccmcheck source add {root} {SOURCE_KEY} --title \"Convention on Cluster Munitions: "
                                "status (MTDSG chapter XXVI-6)\" --publisher \"United Nations (UN Treaty Collection)\" "
                                "--url URL")
    source = f"{SOURCE_KEY}#status as read on {day}"
    summary = StatusSummary(read_on=day, participants=len(table.participants), dry_run=dry_run)
    problems: list[Problem] = []
    rows: list[Row] = []
    new: dict[str, NewState] = {}
    seen: set[str] = set()
    for p in table.participants:
        st = known(fb, p.name)
        who: StateFacts | NewState | None = st or iso_country(p.name)
        if who is None:
            problems.append(Problem(str(file), f"row {p.row}", "Participant",
                                    f"no State {p.name!r} in {root} or ISO 3166{suggestions(fb, p.name)}"))
            continue
        if who.iso3 in seen:
            problems.append(Problem(str(file), f"row {p.row}", "Participant", f"{p.name!r} is listed twice"))
            continue
        seen.add(who.iso3)
        if st is None:
            new[who.iso3] = who  # type: ignore[assignment]
        for fact in _facts_of(table, p, source):
            same = _same(st, fact)
            if same:
                summary.unchanged += 1
                continue
            label = f"{who.name}: {fact['fact']} {fact['on']}" + (f" ({fact['kind']})" if fact.get("kind") else "")
            (summary.replaced if same is False else summary.added).append(label)
            cells = {"state": p.name if st is None else st.name, "iso3": who.iso3, **{k: v for k, v in fact.items()}}
            rows.append(Row(len(rows) + 2, {k: ("" if v is None else v) for k, v in cells.items()}))  # type: ignore[misc]
    if problems:
        raise InputError(problems)
    summary.created = [f"{s.name} ({s.iso3})" for s in new.values()]
    summary.not_in_table = sorted(st.name for st in fb.states if st.iso3 not in seen
                                  and (st.treaty.signature or st.treaty.deposit))
    if not rows:
        return summary
    try:
        _, texts, before = plan_rows(root, list(COLUMNS), rows, str(file), replace=replace)
    except InputError as e:  # name the participant, not the internal row number
        raise InputError([_named(e_p, rows) for e_p in e.problems]) from None
    for iso3, s in new.items():
        f = next(f for f, t in texts.items() if f"\niso3: {iso3}\n" in t)
        if s.iso_name != s.name:
            doc = load(texts[f])
            aliases = CommentedSeq([DoubleQuotedScalarString(s.iso_name)])
            aliases.fa.set_flow_style()
            doc.insert(2, "aliases", aliases)
            texts[f] = dump(doc)
    summary.files = write_files(root, texts, based_on=before, dry_run=dry_run)
    return summary


def _named(p: Problem, rows: list[Row]) -> Problem:
    if not p.subject.startswith("row "):
        return p
    row = rows[int(p.subject.split()[1]) - 2]
    msg = p.message.replace("give --replace to overwrite it", "give --replace to record the depositary's")
    return Problem(p.file, f"{row.text('state')}", row.text("fact"), msg)
