"""The scorecard: one row per State, one column per Convention obligation and per DAP area.

A Convention obligation's cell is the State's finding of that rule (its status,
due date and date met); an `unknown` finding that was overdue when last checked
is the cell status `last_known`, apart from overdue and from plain unknown. A DAP area's cell summarises the State's findings of the
area's indicators: how many of them have each status. Each column carries its
totals per status, so a Convention obligation's totals are `evaluate`'s counts
for the rule (less a Convention-wide finding, which belongs to no State and so
to no row). Which rules are columns goes by id, as the report's areas do: every
rule that is not `dap.*` and has a finding about a State is an obligation
column; `dap.<section>.*` rules make up the column of their area.
"""
from __future__ import annotations

import json
import re
from datetime import date

from pydantic import BaseModel, ConfigDict

from .areas import AREAS, OTHER, area_of_rule, is_dap, name_key
from .choices import LAST_KNOWN
from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook, evaluate
from .results import Evaluation, Finding, ordered
from ..rules.loader import RuleBook


class Cell(BaseModel):
    """One State in one column. For an obligation: its finding; for a DAP area: its indicators by status."""

    model_config = ConfigDict(frozen=True)

    status: str | None = None
    due: date | None = None
    met_on: date | None = None
    counts: dict[str, int] = {}


class Column(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # the rule id, or "dap.<section>" for a DAP area
    kind: str  # "obligation" or "dap-area"
    label: str  # a short header: "art7.initial", "DAP 2"
    title: str  # the rule's title, or the area's
    source: str  # the legal source: "CCM Art. 7(1)", "DAP Actions 2.1-2.3"
    rules: list[str]
    totals: dict[str, int]  # findings per status in the column, every status of `Scorecard.statuses`


class ScoreRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: str
    iso3: str
    cells: dict[str, Cell]  # column key -> cell; a column without a cell: no finding for the State


class Scorecard(BaseModel):
    """One row per State, one column per obligation and DAP area: the matrix.

    Example: `sc = ccmcheck.matrix("2017"); sc.rows[0].cells["art7.initial-report"].status`
    """

    model_config = ConfigDict(frozen=True)

    snapshot: str
    as_of: date
    statuses: list[str]  # every status the cells use, in reading order
    columns: list[Column]
    rows: list[ScoreRow]  # States with a finding in some column, alphabetically

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_defaults=False), indent=2, ensure_ascii=False) + "\n"


def _labels(book: RuleBook, ids: list[str]) -> dict[str, str]:
    """`art3` where a rule is alone under its article; `art7(1)`, `art7(2)` (from the provision, else the id's
    first word) where several share one."""
    heads = {i: i.split(".")[0] for i in ids}
    out = {}
    for i, h in heads.items():
        if list(heads.values()).count(h) == 1:
            out[i] = h
            continue
        para = re.match(r"\D*\d+(\(\d+\))", book.get(i).source.provision)
        out[i] = f"{h}{para.group(1)}" if para else f"{h}.{i.split('.')[1].split('-')[0]}"
    return out if len(set(out.values())) == len(out) else {i: i for i in ids}


def _column_order(book: RuleBook, rule_id: str) -> tuple[int, str, str]:
    """As the report reads: by area (A Universalization first), then by provision (Art. 7(1) before 7(2))."""
    area = area_of_rule(rule_id)
    return ((*AREAS, OTHER).index(area), book.get(rule_id).source.provision, rule_id)


def cell_status(f: Finding) -> str:
    """The finding's status, or `last_known` for an unknown one that was overdue when last checked."""
    return LAST_KNOWN if f.status == "unknown" and f.last_known is not None and f.last_known.status == "overdue" \
        else f.status


def build(ev: Evaluation, book: RuleBook) -> Scorecard:
    """The scorecard of an evaluation already made."""
    per_state = [f for f in ev.findings if f.iso3 is not None]
    obligations = sorted({f.rule for f in per_state if not is_dap(f.rule)}, key=lambda r: _column_order(book, r))
    areas = [a for a in (*AREAS, OTHER) if any(is_dap(f.rule) and area_of_rule(f.rule) == a for f in per_state)]
    status = {id(f): cell_status(f) for f in per_state}
    statuses = ordered(status.values())
    labels = _labels(book, obligations)

    cells: dict[str, dict[str, Cell]] = {}
    names: dict[str, str] = {}
    dap_counts: dict[tuple[str, str], dict[str, int]] = {}
    for f in per_state:
        assert f.iso3 is not None
        names[f.iso3] = f.state
        if is_dap(f.rule):
            key = f"dap.{area_of_rule(f.rule).dap_section}"
            c = dap_counts.setdefault((f.iso3, key), {})
            c[status[id(f)]] = c.get(status[id(f)], 0) + 1
        else:
            cells.setdefault(f.iso3, {})[f.rule] = Cell(status=status[id(f)], due=f.due, met_on=f.met_on)
    for (iso, key), c in dap_counts.items():
        cells.setdefault(iso, {})[key] = Cell(counts={s: c[s] for s in ordered(c)})

    columns = []
    for rid in obligations:
        rule = book.get(rid)
        totals = {s: sum(1 for f in per_state if f.rule == rid and status[id(f)] == s) for s in statuses}
        columns.append(Column(key=rid, kind="obligation", label=labels[rid], title=rule.title,
                              source=f"{rule.source.instrument} {rule.source.provision}", rules=[rid], totals=totals))
    for a in areas:
        key = f"dap.{a.dap_section}"
        rids = sorted({f.rule for f in per_state if is_dap(f.rule) and area_of_rule(f.rule) == a})
        actions = sorted({".".join(r.split(".")[1:3]).rstrip("abcdefghijklmnopqrstuvwxyz") for r in rids},
                         key=lambda n: tuple(int(x) for x in n.split(".")))
        totals = {s: sum(1 for f in per_state if f.rule in rids and status[id(f)] == s) for s in statuses}
        columns.append(Column(key=key, kind="dap-area", label=f"DAP {a.dap_section}", title=a.title,
                              source="DAP Action" + ("s " if len(actions) > 1 else " ") + ", ".join(actions),
                              rules=rids, totals=totals))
    rows = [ScoreRow(state=names[iso], iso3=iso, cells={c.key: cells[iso][c.key] for c in columns if c.key in cells[iso]})
            for iso in sorted(names, key=lambda i: name_key(names[i]))]
    return Scorecard(snapshot=ev.snapshot, as_of=ev.as_of, statuses=statuses, columns=columns, rows=rows)


def scorecard(facts: FactsArg, as_of: date | None = None, *, rules: RulesArg = None, engine: str = "durable") -> Scorecard:
    """Evaluate the snapshot as of a date (default: its own) and arrange the findings State by obligation.

    Example: `ccmcheck.matrix("2017", "2017-06-30").columns[0].label`
    """
    fb, book = as_factbase(facts), as_rulebook(rules)
    return build(evaluate(fb, as_of, rules=book, engine=engine), book)
