"""A fuzzer for the whole command line: mutated copies of facts/2017 and of the rules.

Each example copies a few States of facts/2017 (and, in some examples, the bundled
rules), mutates one file the way people and attackers break files (a flipped byte, a
key given twice or written another way, a random scalar where a date or a flag goes,
random Unicode in a name, note or source) and runs every command on it: evaluate
(both engines), audit, changes, reconcile, deadlines (table and iCalendar), report,
validate and rules. For every command:

- the exit code is 0 or 2, and nothing escapes `main` (no traceback);
- on 2: nothing on standard output, and standard error is one `ccmcheck: ...` line per
  problem (at least one, none repeated);
- the input files are byte for byte as before;
- on 0, `evaluate` gives the same findings with durable-rules and the reference matcher.

The ordinary suite runs a fixed, derandomised sequence of FUZZ_EXAMPLES examples (a few
seconds). For a release, run a longer one, e.g.:

    CCMCHECK_FUZZ_EXAMPLES=500 python -m pytest -p no:cacheprovider -q -rP tests/test_fuzz.py

The number of examples that ran is printed (`-rP` shows it).
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ccmcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts" / "2017"
RULES = ROOT / "rules"
STATES = ("croatia", "guinea-bissau", "lao-people-s-democratic-republic", "chad", "albania")
FUZZ_EXAMPLES = int(os.environ.get("CCMCHECK_FUZZ_EXAMPLES", "5"))
PREFIX = "ccmcheck: "

DATE_FIELDS = r"on|by|checked_on|not_done_on|decided_on|new_deadline|hostilities_ended|as_of|start|end"
FLAG_FIELDS = r"value|status|kind"
TEXT_FIELDS = r"name|note|source|title|where|text|decided_by"

scalars = st.one_of(
    st.integers(-2**40, 2**40).map(str),
    st.dates().map(str),
    st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
    st.sampled_from(["yes", "no", "on", "off", "~", "null", "true", "false", "[]", "{}", "''", "1e9", ".inf", "0x1F",
                     "2017-06-30T00:00:00", "2017-06-30 12:00", "!!timestamp 2017-02-31", "!!int \"abc\"", "*a", "&a 1",
                     "2017-W01-1", "9999-12-31", "0001-01-01", "20090817"]),
    st.text(max_size=12).map(json.dumps),
)
unicode_text = st.text(st.characters(codec="utf-8"), max_size=40)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str, str]:
    """(file relative to the example folder, kind of mutation, its description), applied by `_apply`."""
    with_rules = draw(st.integers(0, 4)) == 0
    files = ["facts/snapshot.yaml"] + [f"facts/states/{s}.yaml" for s in STATES]
    if with_rules:
        files += sorted(str(Path("rules") / p.relative_to(RULES)) for p in RULES.rglob("*.yaml")
                        if not p.name.endswith(".cases.yaml"))
    target = draw(st.sampled_from(files))
    kind = draw(st.sampled_from(["flip", "duplicate", "retype_key", "date", "flag", "text", "text"]))
    return target, kind, str(draw(st.integers(0, 2**31)))


def _apply(path: Path, kind: str, seed: str, data: st.DataObject) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    pick = int(seed)
    if kind == "flip":
        pos = pick % max(len(raw), 1)
        new = data.draw(st.integers(0, 255), label="byte")
        path.write_bytes(raw[:pos] + bytes([new]) + raw[pos + 1:])
        return
    if kind == "duplicate":
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*[\w\"' ]+:", line)]
        i = keyed[pick % len(keyed)]
        line = lines[i]
        twin = data.draw(st.sampled_from([line, re.sub(r"^(\s*)(\w+):", r'\1"\2":', line),
                                          re.sub(r"^(\s*)(\d+):", r"\1\2.0:", line)]), label="twin")
        lines.insert(i + 1, twin if twin.endswith("\n") else twin + "\n")
    elif kind == "retype_key":
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*\w+:", line)]
        i = keyed[pick % len(keyed)]
        new_key = data.draw(st.sampled_from(['"2016"', "2016", "yes", "on", "<<", "? [a]\n", "1e3", '"name"', "null"]),
                            label="key")
        lines[i] = re.sub(r"^(\s*)\w+:", lambda m: f"{m.group(1)}{new_key}:", lines[i], count=1)
    else:
        fields = {"date": DATE_FIELDS, "flag": FLAG_FIELDS, "text": TEXT_FIELDS}[kind]
        spots = [(i, m) for i, line in enumerate(lines)
                 for m in re.finditer(rf"\b({fields}): (\"[^\"]*\"|[^,}}\n]+)", line)]
        if not spots:
            return
        i, m = spots[pick % len(spots)]
        value = data.draw(scalars, label="scalar") if kind != "text" else json.dumps(data.draw(unicode_text, label="text"))
        lines[i] = lines[i][:m.start(2)] + value + lines[i][m.end(2):]
    path.write_text("".join(lines), encoding="utf-8", errors="surrogatepass")


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _commands(facts: str, rules: list[str]) -> list[list[str]]:
    return [["validate", facts, *rules], ["rules", *rules], ["evaluate", facts, "--format", "json", *rules],
            ["audit", facts, "Croatia", "--explain", *rules], ["changes", facts, *rules], ["reconcile", facts, *rules],
            ["deadlines", facts, *rules], ["deadlines", facts, "--format", "ics", *rules],
            ["report", facts, *rules]]


RAN: list[int] = []
EXITS: dict[int, int] = {}


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],  # no shrinking: each example costs a second
          suppress_health_check=list(HealthCheck))
@given(m=mutation(), data=st.data())
def _fuzz(m: tuple[str, str, str], data: st.DataObject) -> None:
    RAN[0] += 1
    target, kind, seed = m
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "facts" / "states").mkdir(parents=True)
        shutil.copy(FACTS / "snapshot.yaml", root / "facts")
        for s in STATES:
            shutil.copy(FACTS / "states" / f"{s}.yaml", root / "facts" / "states")
        rules: list[str] = []
        if target.startswith("rules/"):
            shutil.copytree(RULES, root / "rules")
            rules = ["--rules", str(root / "rules")]
        _apply(root / target, kind, seed, data)
        before = _tree(root)
        for argv in _commands(str(root / "facts"), rules):
            for engine in (["--engine", "reference"], []) if argv[0] == "evaluate" else ([],):
                code, out, err = _run(argv + engine)
                EXITS[code] = EXITS.get(code, 0) + 1
                assert code in (0, 2), (argv, code, err)
                assert "Traceback" not in err
                if code == 2:
                    lines = err.splitlines()
                    assert out == "" and lines, (argv, err)
                    assert all(line.startswith(PREFIX) for line in lines), (argv, err)
                    assert len(set(lines)) == len(lines), (argv, err)
                else:
                    assert out and err == "", (argv, err)
                if argv[0] == "evaluate" and engine:
                    reference = (code, out)
                elif argv[0] == "evaluate":
                    assert code == reference[0], (argv, err)
                    if code == 0:  # the same findings from both matchers
                        assert _findings(reference[1]) == _findings(out)
                assert _tree(root) == before, argv


def _findings(text: str) -> dict:
    """An evaluation's JSON less the name of its engine (the one thing that may differ)."""
    ev = json.loads(text)
    ev.pop("engine", None)
    return ev


def test_fuzz_every_command() -> None:
    RAN[:] = [0]
    EXITS.clear()
    _fuzz()
    print(f"fuzz: {RAN[0]} examples, {sum(EXITS.values())} command runs, "
          f"{EXITS.get(0, 0)} with exit 0 and {EXITS.get(2, 0)} with exit 2")
    assert RAN[0] == FUZZ_EXAMPLES
    assert EXITS.get(2, 0) > 0 and EXITS.get(0, 0) > 0  # the mutations both break files and leave some usable
