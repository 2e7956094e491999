"""`ccmcheck reconcile --against LIST.csv`: someone else's list against the facts, row by row."""
from __future__ import annotations

from ..engine.lists import ListCheck, Row
from .common import markdown_table as markdown
from .terminal import table


def _cell(v: object) -> str:
    return "" if v is None else str(v)


def _summary(c: ListCheck) -> str:
    tally = {v: sum(r.verdict == v for r in c.rows) for v in ("agrees", "wrong", "undecided")}
    out = f"{len(c.rows)} rows: {tally['agrees']} agree, {tally['wrong']} wrong, {tally['undecided']} undecided"
    if c.omitted:
        out += f"; {len(c.omitted)} State{'s' if len(c.omitted) != 1 else ''} left off the list"
    return out


def _detail(r: Row, md: bool) -> list[str]:
    head = f"Row {r.row}, {r.state} ({r.iso3}): {r.verdict}"
    lines = [f"### {head}" if md else head]
    lines += [f"- {w}" if md else f"  {w}" for w in r.why]
    if r.chain:
        lines += ["", "Date chain:" if md else "  date chain:"]
        lines += [f"    {x}" for x in r.chain]
    return lines + [""]


def render(c: ListCheck, fmt: str) -> str:
    if fmt == "json":
        return c.to_json()
    md = fmt == "markdown"
    head = ["row", "listed as", "list", "list due", "facts", "facts due", "verdict"]
    rows = [[str(r.row), r.given, _cell(r.list_status) or "-", _cell(r.list_due) or "-", r.status or "no finding",
             _cell(r.due) or "-", r.verdict] for r in c.rows]
    title = f"{c.list}: {c.rule} as of {c.as_of}"
    facts = f"against {c.snapshot}"
    out = ([f"# {title}", "", f"{facts}. {_summary(c)}.", ""] if md else [title, facts, _summary(c), ""])
    out.append(markdown(head, rows) if md else table(head, rows, keep=tuple(head[2:])))
    for r in c.rows:
        if r.verdict != "agrees":
            out += _detail(r, md)
    if c.omitted:
        out.append(("## " if md else "") + f"Left off the list: the facts give {c.omitted[0].status} as of {c.as_of}")
        out += [f"- {o.state} ({o.iso3}): {o.explanation}" if md else f"  {o.state} ({o.iso3}): {o.explanation}"
                for o in c.omitted]
    return "\n".join(out).rstrip("\n") + "\n"
