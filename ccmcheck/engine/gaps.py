"""Which facts would decide the findings that are `unknown`: the fill-in template.

A finding names what it misses by the fact catalogue's path (`article7.annual_report`);
a State file names the same fact by where it is written (`article7.annual_reports.2017`).
For a fact recorded per year, the year is the one the rule's annual deadline covers on the
evaluation date, as the finding's own due date does.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import dates
from ..facts.catalog import CATALOG
from ..rules.loader import RuleBook
from .results import Evaluation


@dataclass(frozen=True)
class Gap:
    state: str
    iso3: str
    fact: str  # the dotted path in the State file
    decides: str  # the rule and finding it would decide


def file_path(missing: str, year: str | None) -> str | None:
    """The State file path of a fact a finding misses; None for what no State file holds."""
    path = missing.split(" (")[0]
    section, _, name = path.partition(".")
    if path.endswith(".new_deadline") or path in ("article3.extension", "article4.extension"):
        return f"{section}.extensions"
    kind = CATALOG.get(path)
    if kind is None or section == "convention":
        return None
    if kind.keyed:
        if year is None:
            return None
        return f"article7.annual_reports.{year}" if path == "article7.annual_report" else f"reported.{year}.{name}"
    return path


def gaps(ev: Evaluation, book: RuleBook) -> list[Gap]:
    """One entry per (State, fact) that some unknown finding misses, in State and fact order."""
    rules = {r.id: r for r in book.rules}
    out: dict[tuple[str, str], Gap] = {}
    for f in ev.findings:
        if f.status != "unknown" or f.iso3 is None:
            continue
        rule = rules[f.rule]
        annual = rule.deadline.annually if rule.deadline is not None else None
        year = dates.occurrence(annual, ev.as_of)[1] if annual is not None else None
        for m in f.missing:
            path = file_path(m, year)
            if path is None:
                continue
            why = f"{f.rule} (unknown{f', due {f.due}' if f.due else ''})"
            key = (f.state, path)
            if key in out:
                out[key] = Gap(f.state, f.iso3, path, f"{out[key].decides}; {why}")
            else:
                out[key] = Gap(f.state, f.iso3, path, why)
    return [out[k] for k in sorted(out)]
