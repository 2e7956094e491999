"""Shell completion for bash, zsh and fish, generated from the argument parser by `shtab`.

Commands, options and choices come from the parser itself, so they never fall
behind it. Arguments are recognised by what they take, not by command: a
FACTS_DIR or another folder completes folder names, a file option file names,
`--rule` the rule ids of the rules in use (`--rules DIR` on the line, else the
bundled ones), a State (`STATE`, `--state`) the State names of the facts
folder already on the line, a FACTS_DIR the bundled snapshot names as well as
folders, and `--status`/`--fail-on` the statuses. For these the script calls back
`ccmcheck completion --words rules|states SHELL -- WORDS...` with the words typed
so far, which prints one candidate a line (nothing, silently, if the folder is
not readable yet).

Install: see README.md, "Shell completion".
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

from ..errors import CcmcheckError
from ..engine.choices import STATUS_ORDER
from ..lazy import lazy_module

# Loaded when a script or the words are asked for, not when the CLI builds its parser.
shtab = lazy_module("shtab")
facts_loader = lazy_module("ccmcheck.facts.loader")
rules_loader = lazy_module("ccmcheck.rules.loader")
bundled_mod = lazy_module("ccmcheck.facts.bundled")

SHELLS = ("bash", "zsh", "fish")
WORDS = ("rules", "states", "facts", "statuses")


def _callback(kind: str, folders: bool = False) -> dict[str, object]:
    """A `.complete` value for shtab: candidates from `ccmcheck completion ... --words KIND`
    (and, with `folders`, the folders that match too)."""
    fn = f"_ccmcheck_{kind}"
    return {
        "bash": fn,
        "zsh": fn,
        "fish": f"(ccmcheck completion --words {kind} fish -- (commandline -opc) 2>/dev/null"
                + ("; __fish_complete_directories (commandline -ct))" if folders else ")"),
        "preamble": {
            # one candidate a line, spaces escaped (bash reads the function's output line by line)
            "bash": f"{fn}() {{\n  local IFS=$'\\n' w\n"
                    f"  for w in $(ccmcheck completion --words {kind} bash -- \"${{COMP_WORDS[@]}}\" 2>/dev/null); do\n"
                    f"    [[ \"$w\" == \"$1\"* ]] && printf '%q\\n' \"$w\"\n  done\n"
                    + ("  compgen -d -- \"$1\"\n" if folders else "") + "}",
            "zsh": f"{fn}() {{\n  local -a w\n"
                   f"  w=(${{(f)\"$(ccmcheck completion --words {kind} zsh -- ${{words[@]}} 2>/dev/null)\"}})\n"
                   f"  compadd -a w\n" + ("  _files -/\n" if folders else "") + "}",
        },
    }


def _mark(parser: argparse.ArgumentParser) -> None:
    """Give each argument of each command what it completes to (shtab's `.complete`)."""
    for action in parser._actions:  # argparse keeps no public list of actions
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _mark(sub)
            continue
        metavar = str(action.metavar or "")
        if action.dest in ("rule", "rule_ids"):
            action.complete = _callback("rules")  # type: ignore[attr-defined]
        elif action.dest in ("state", "states"):
            action.complete = _callback("states")  # type: ignore[attr-defined]
        elif action.dest in ("status", "fail_on"):
            action.complete = _callback("statuses")  # type: ignore[attr-defined]
        elif metavar in ("FACTS_DIR", "OTHER_FACTS_DIR") or action.dest in ("facts", "from_dir"):
            action.complete = _callback("facts", folders=True)  # type: ignore[attr-defined]
        elif metavar.endswith("DIR"):
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
        elif metavar in ("FILE", "LIST.csv") or metavar.endswith((".csv", "FILE")):
            action.complete = shtab.FILE  # type: ignore[attr-defined]


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell` (one of SHELLS)."""
    _mark(parser)
    return shtab.complete(parser, shell=shell)


def words(kind: str, line: Sequence[str]) -> str:
    """Rule ids, or the State names of the first facts folder on the command line, one a line."""
    if kind == "statuses":
        return "".join(f"{s}\n" for s in STATUS_ORDER)
    if kind == "facts":
        return "".join(f"{name}\n" for name in bundled_mod.bundled())
    try:
        if kind == "rules":
            rules_dir = next((line[i + 1] for i, w in enumerate(line[:-1]) if w == "--rules"), None)
            return "".join(f"{r.id}\n" for r in rules_loader.load_rules(rules_dir).rules)
        facts = next((w for w in line[1:] if (Path(w) / "snapshot.yaml").is_file()), None)
        return "".join(f"{st.name}\n" for st in facts_loader.load_facts(facts).states) if facts else ""
    except CcmcheckError:
        return ""
