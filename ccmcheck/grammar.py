"""One grammar for every command: which options a command takes, by what it does.

- a command that evaluates takes `--as-of`;
- a command that prints results takes `--format` (names from `FORMATS`, in that
  order) and `-o FILE`;
- a command that prints State names takes `--lang`;
- the selection options `--state`, `--rule`, `--area`, `--status` mean the same everywhere.

`table` derives command × option from the parser; `DEPARTURES` gives the reason a
command lacks an option its kind would take. tests/test_grammar.py fails when a
command departs without a reason, and when docs/cli.md's table is not `markdown()`.
"""
from __future__ import annotations

import argparse

FORMATS = ("table", "json", "csv", "markdown", "xlsx", "html", "ics", "pdf")
OPTIONS = ("--as-of", "--format", "-o", "--lang", "--state", "--rule", "--area", "--status", "--fail-on")

# What each command is: evaluates (E), prints results (R), prints State names (N), selects findings (S).
KINDS: dict[str, str] = {
    "evaluate": "ERNS", "audit": "ERN", "changes": "ERNS", "reconcile": "ERN", "rules": "R", "deadlines": "ERNS",
    "history": "ERNS", "matrix": "ERN", "report": "ERN", "sources": "R", "site": "EN",
    # Commands that write facts or serve them: none of the kinds, listed so the table shows every command.
    "serve": "", "snapshot": "", "import": "", "import-status": "", "import-reports": "", "source": "", "figure": "",
    "export": "", "validate": "",
}
NEEDS = {"E": ("--as-of",), "R": ("--format", "-o"), "N": ("--lang",),
         "S": ("--state", "--rule", "--area", "--status")}

DEPARTURES: dict[tuple[str, str], str] = {
    ("report", "--as-of"): "the report is the snapshot's: its period ends on the snapshot's as-of date",
    ("reconcile", "--as-of"): "the published figures are as of the snapshot's date (with --against: the list's date)",
    ("audit", "--state"): "the State is the command's argument",
    ("matrix", "--state"): "the scorecard is every State; `evaluate --state` gives one State's",
    ("matrix", "--rule"): "its columns are every obligation and DAP area",
    ("matrix", "--area"): "its columns are every obligation and DAP area",
    ("matrix", "--status"): "a scorecard shows every status side by side",
    ("report", "--state"): "the report is every State's",
    ("report", "--rule"): "the report is every rule's",
    ("report", "--area"): "the report is every area's, in the progress report's order",
    ("report", "--status"): "the report is every status's",
    ("reconcile", "--state"): "a published figure counts every State",
    ("reconcile", "--status"): "a figure has a verdict, not a status",
}


def options_of(parser: argparse.ArgumentParser) -> dict[str, set[str]]:
    """For each command, the option strings it takes (from the parser itself)."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # no public list
    return {name: {s for a in sp._actions for s in a.option_strings} for name, sp in sub.choices.items()}


def departures(parser: argparse.ArgumentParser) -> list[str]:
    """Each (command, option) where a command lacks what its kind needs, without a reason in `DEPARTURES`."""
    have = options_of(parser)
    out = []
    for cmd, kinds in KINDS.items():
        for k in kinds:
            for opt in NEEDS[k]:
                if opt not in have[cmd] and not DEPARTURES.get((cmd, opt)):
                    out.append(f"{cmd} {opt}")
    return out


def formats_of(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = {}
    for name, sp in sub.choices.items():
        fmt = next((a for a in sp._actions if "--format" in a.option_strings), None)
        if fmt is not None and fmt.choices:
            out[name] = list(fmt.choices)
    return out


def markdown(parser: argparse.ArgumentParser) -> str:
    """The command × option table of docs/cli.md: ✓ taken, — not (with the reason as a footnote)."""
    have, formats = options_of(parser), formats_of(parser)
    head = "| Command | " + " | ".join(f"`{o}`" for o in OPTIONS) + " |\n|---|" + "---|" * len(OPTIONS) + "\n"
    notes: list[str] = []
    rows = []
    for cmd in KINDS:
        cells = []
        for o in OPTIONS:
            if o == "--format" and cmd in formats:
                cells.append(" ".join(formats[cmd]))
            elif o in have[cmd]:
                cells.append("✓")
            elif DEPARTURES.get((cmd, o)):
                notes.append(f"{cmd} {o}: {DEPARTURES[(cmd, o)]}")
                cells.append(f"—[^{len(notes)}]")
            else:
                cells.append("")
        rows.append(f"| `{cmd}` | " + " | ".join(cells) + " |\n")
    return head + "".join(rows) + "\n" + "".join(f"[^{i}]: {n}.\n" for i, n in enumerate(notes, start=1))
