"""The bad-input corpus (tests/bad_input/): every broken snapshot, rules folder or
argument must end in exit code 2 with one `ccmcheck: FILE: SUBJECT: FIELD: message`
line per problem on stderr, nothing on stdout, no traceback, and no change on disk.

Each case is a folder with `expect.yaml`:
- `command`: the argv after `ccmcheck`; `{case}` stands for the case folder;
- `line`: the exact stderr line, without the `ccmcheck: ` prefix (`{case}` allowed
  here too); or, in older cases, `error`: a substring, or a list of substrings, that
  one stderr line must contain;
- `lines` (optional, default 1): how many stderr lines the case produces;
- `must_not_create` (optional): files, relative to the working directory, that a
  YAML tag would have created had it been executed.

Inputs too big to commit (a 30 MB State file, a megabyte of `[`) are generated
into tmp_path by the tests at the end.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ccmcheck import fileio, yaml_io
from ccmcheck.cli import main
from ccmcheck.errors import InputError
from ccmcheck.facts.names import normalise
from ccmcheck.outputs import safe
from ccmcheck.yaml_io import MAX_BYTES

CORPUS = Path(__file__).resolve().parent / "bad_input"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expect.yaml").is_file())
PREFIX = "ccmcheck: "


def _expect(case: Path) -> dict:
    return yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))


def _argv(case: Path) -> list[str]:
    return [str(a).replace("{case}", str(case)) for a in _expect(case)["command"]]


def _wanted(case: Path) -> list[str]:
    ex = _expect(case)
    if "line" in ex:
        return [PREFIX + ex["line"].replace("{case}", str(case))]
    error = ex["error"]
    return [s.replace("{case}", str(case)) for s in ([error] if isinstance(error, str) else error)]


def _tree(root: Path) -> dict[str, str]:
    """Every path under root, with the sha256 of each file's bytes ('dir' for folders)."""
    return {str(p.relative_to(root)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))}


def _run_bad(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the CLI, check the bad-input contract, and return the stderr lines."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, f"exit code {code}; stderr:\n{err}"
    assert out == ""
    lines = err.splitlines()
    assert lines, "no message on stderr"
    assert "Traceback" not in err
    for line in lines:
        assert line.startswith(PREFIX), line
    return lines


def _file_named(line: str) -> str:
    """The FILE part of `ccmcheck: FILE: ...`."""
    return line[len(PREFIX):].split(": ", 1)[0]


@pytest.fixture
def empty_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder, so anything a case writes to the working directory shows."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        ex = _expect(case)
        assert set(ex) <= {"command", "error", "line", "lines", "must_not_create"}, case.name
        assert ex["command"] and (ex.get("error") or ex.get("line")) and not ("error" in ex and "line" in ex), case.name
        assert any("{case}" in str(a) for a in ex["command"]), case.name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_rejected(case: Path, capsys: pytest.CaptureFixture[str], empty_cwd: Path) -> None:
    before = _tree(case)
    lines = _run_bad(_argv(case), capsys)
    assert _tree(case) == before, "the case folder changed"
    assert list(empty_cwd.iterdir()) == [], "something was written to the working directory"
    ex = _expect(case)
    assert len(lines) == ex.get("lines", 1), "\n".join(lines)
    wanted = _wanted(case)
    if "line" in ex:
        assert wanted[0] in lines, f"no line is exactly\n{wanted[0]}\n" + "\n".join(lines)
    else:
        assert any(all(w in line for w in wanted) for line in lines), f"no line has all of {wanted}:\n" + "\n".join(lines)
    for name in ex.get("must_not_create", []):
        assert not (empty_cwd / name).exists(), f"{name} was created: a YAML tag was executed"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_message_names_a_real_path(case: Path, capsys: pytest.CaptureFixture[str], empty_cwd: Path) -> None:
    """Each line's FILE is a file of the case, a path given on the command line, or a
    missing file whose folder is in the case (and the message says it is missing).
    `arguments` stands for the command line itself when an option is bad."""
    argv = _argv(case)
    for line in _run_bad(argv, capsys):
        named = _file_named(line)
        if named == "arguments":
            assert "argument" in line
            continue
        path = Path(named)
        assert path.is_absolute() and path.is_relative_to(case), line
        if not path.exists() and named not in argv:
            assert path.parent.is_dir() and "missing" in line, line


@pytest.mark.parametrize("case", [c for c in CASES if _expect(c).get("must_not_create")],
                         ids=lambda c: c.name)
def test_tag_payload_would_have_run(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control for the tag cases: an unsafe loader *does* run the payload, so the
    `must_not_create` check above is not vacuous. The payload only touches a file."""
    if shutil.which("touch") is None:
        pytest.skip("no touch command here")
    monkeypatch.chdir(tmp_path)
    tagged = [p for p in case.rglob("*.yaml")
              if p.name != "expect.yaml" and "!!python/" in p.read_text(encoding="utf-8")]
    assert len(tagged) == 1
    yaml.unsafe_load(tagged[0].read_text(encoding="utf-8"))
    for name in _expect(case)["must_not_create"]:
        assert (tmp_path / name).exists()


def _tiny_snapshot(dest: Path) -> Path:
    """A valid two-State snapshot copied from the corpus, to break in tmp_path."""
    shutil.copytree(CORPUS / "audit-unknown-state" / "facts", dest)
    return dest


def test_huge_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    huge = facts / "states" / "afghanistan.yaml"
    with huge.open("ab") as f:
        f.write(b"# " + b"x" * (30 * 1024 * 1024) + b"\n")
    assert huge.stat().st_size > MAX_BYTES
    lines = _run_bad(["validate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{huge}: afghanistan: file is 31.5 MB; the limit is 2 MB"]


def test_deeply_nested_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A megabyte of `[` once ended in a RecursionError inside PyYAML."""
    facts = _tiny_snapshot(tmp_path / "facts")
    deep = facts / "states" / "albania.yaml"
    deep.write_text("name: " + "[" * 1_000_000 + "\n", encoding="utf-8")
    lines = _run_bad(["evaluate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{deep}: albania: line 1: malformed YAML: nested more than 100 levels deep"]


def test_really_empty_facts_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Git keeps no empty folders, so the corpus case holds a .gitkeep; this one is empty."""
    facts = tmp_path / "facts"
    facts.mkdir()
    lines = _run_bad(["validate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{facts / 'snapshot.yaml'}: missing: a snapshot folder needs snapshot.yaml"]


# ---------------------------------------------------------------- files that are not files

def test_state_file_is_a_fifo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reading a FIFO with no writer used to block for ever."""
    facts = _tiny_snapshot(tmp_path / "facts")
    fifo = facts / "states" / "albania.yaml"
    fifo.unlink()
    os.mkfifo(fifo)
    lines = _run_bad(["validate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{fifo}: albania: not a regular file (a folder, FIFO, device or socket)"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_state_file_links_to_a_device(device: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link to /dev/zero passed a size check made on the link's target by name; the
    check is made on the open file."""
    facts = _tiny_snapshot(tmp_path / "facts")
    link = facts / "states" / "albania.yaml"
    link.unlink()
    link.symlink_to(device)
    lines = _run_bad(["evaluate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{link}: albania: not a regular file (a folder, FIFO, device or socket)"]


def test_snapshot_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    snap = facts / "snapshot.yaml"
    snap.unlink()
    snap.mkdir()
    lines = _run_bad(["validate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{snap}: not a regular file (a folder, FIFO, device or socket)"]


def _unlistable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`folder` cannot be listed, as for a user without read permission (the tests may
    run as root, which reads any folder)."""
    real_listdir, real_scandir = os.listdir, os.scandir

    def refuse(real):  # type: ignore[no-untyped-def]
        def call(path=".", *args):  # type: ignore[no-untyped-def]
            if Path(path) == folder:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args)
        return call

    monkeypatch.setattr(os, "listdir", refuse(real_listdir))
    monkeypatch.setattr(os, "scandir", refuse(real_scandir))


def test_states_folder_cannot_be_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Not "no State files": the folder is there and has files; it cannot be read."""
    facts = _tiny_snapshot(tmp_path / "facts")
    _unlistable(monkeypatch, facts / "states")
    lines = _run_bad(["evaluate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{facts / 'states'}: cannot list the folder: Permission denied"]


def test_facts_folder_cannot_be_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    _unlistable(monkeypatch, facts)
    lines = _run_bad(["validate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{facts}: cannot list the folder: Permission denied"]


def test_rules_subfolder_cannot_be_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`Path.rglob` skipped a folder it could not read: its rules silently vanished."""
    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", rules)
    _unlistable(monkeypatch, rules / "ccm" / "art7")
    lines = _run_bad(["rules", "--rules", str(rules)], capsys)
    assert lines == [f"{PREFIX}{rules / 'ccm' / 'art7'}: cannot list the folder: Permission denied"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_states_folder_without_permission(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    (facts / "states").chmod(0)
    try:
        lines = _run_bad(["validate", str(facts)], capsys)
    finally:
        (facts / "states").chmod(0o755)
    assert lines == [f"{PREFIX}{facts / 'states'}: cannot list the folder: Permission denied"]


# ---------------------------------------------------------------- LibYAML and the pure-Python parser agree

def _outcome(load, text: str) -> object:  # type: ignore[no-untyped-def]
    try:
        return "ok", load(text)
    except yaml.YAMLError as e:
        return "error", str(e)


@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
def test_fast_path_reads_every_file_as_the_python_parser_does() -> None:
    """facts/2017, the rules and every corpus file: the same data, or the same error."""
    root = Path(__file__).resolve().parents[1]
    files = [*root.joinpath("facts").rglob("*.yaml"), *root.joinpath("rules").rglob("*.yaml"), *CORPUS.rglob("*.yaml")]
    fast_used = 0
    for f in files:
        text = f.read_bytes().decode("utf-8", errors="replace")
        fast_used += not yaml_io._needs_python(text)
        slow = _outcome(lambda t: yaml.load(t, Loader=yaml_io._Loader), text)  # noqa: S506
        assert _outcome(yaml_io.parse_yaml, text) == slow, f
    assert fast_used > 150  # the fast path is the one taken for ordinary files


# ---------------------------------------------------------------- standard output and error

def _cli(args: list[str], **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def, type-arg]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([sys.executable, "-m", "ccmcheck", *args], env=env, timeout=120, **kw)


def test_stdout_full(tmp_path: Path) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    with open("/dev/full", "w") as full:
        r = _cli(["evaluate", str(facts), "--engine", "reference"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert (r.returncode, r.stderr) == (4, "ccmcheck: standard output: cannot write the result: No space left on device\n")


def test_stdout_closed() -> None:
    r = _cli(["rules"], stdout=None, stderr=subprocess.PIPE, text=True, pass_fds=(),
             preexec_fn=lambda: os.close(1))
    assert (r.returncode, r.stderr) == (4, "ccmcheck: standard output: cannot write the result: standard output is closed\n")


def test_stdout_broken_pipe(tmp_path: Path) -> None:
    """`ccmcheck ... | head -1`: the reader stops early; no traceback, no message."""
    facts = _tiny_snapshot(tmp_path / "facts")
    proc = subprocess.Popen([sys.executable, "-m", "ccmcheck", "evaluate", str(facts), "--all", "--format", "json",
                             "--engine", "reference"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before it writes: its write meets a closed pipe
    err = proc.stderr.read()
    assert (proc.wait(timeout=120), err) == (141, b"")


def test_stderr_closed_error_not_on_stdout(tmp_path: Path) -> None:
    r = _cli(["evaluate", str(tmp_path / "nowhere")], stdout=subprocess.PIPE, stderr=None, text=True,
             preexec_fn=lambda: os.close(2))
    assert (r.returncode, r.stdout) == (2, "")


# ---------------------------------------------------------------- output that cannot carry an attack

def _with_locator(tmp_path: Path, locator: str) -> Path:
    """The tiny snapshot, with Afghanistan's clearance fact cited at `locator`."""
    facts = _tiny_snapshot(tmp_path / "facts")
    f = facts / "states" / "afghanistan.yaml"
    text = f.read_text(encoding="utf-8")
    old = 'clearance_completed: {status: not_done, checked_on: 2017-06-30, source: "7msp#28"}'
    assert old in text
    f.write_text(text.replace(old, old.replace('"7msp#28"', json.dumps("7msp#" + locator))), encoding="utf-8")
    return facts


HOSTILE = "28\x1b[2J\x1b]0:pwned\x07\nforged row\u2028\x0b\x0c\x7f\x85"


def test_table_and_markdown_show_control_characters_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # wide enough that no table cuts the hostile text
    facts = _with_locator(tmp_path, HOSTILE)
    for fmt in ("table", "markdown"):
        for argv in (["evaluate", str(facts), "--all"], ["audit", str(facts), "Afghanistan", "--explain"]):
            assert main([*argv, "--format", fmt, "--engine", "reference"]) == 0
            out = capsys.readouterr().out
            assert "forged row" in out and "\\x1b[2J" in out and "\\n" in out and "\\u2028" in out
            assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", out), fmt
            assert not any(line.startswith("forged row") for line in out.splitlines())


def test_ics_drops_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _with_locator(tmp_path, "28\x1b[2J\x07\x00x")
    assert main(["deadlines", str(facts), "--format", "ics", "--engine", "reference", "--to", "2030-12-31"]) == 0
    out = capsys.readouterr().out
    assert "7msp#28[2Jx" in out.replace("\r\n ", "")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out)


def test_csv_cells_cannot_be_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    f = facts / "states" / "albania.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('name: "Albania"', 'name: "=HYPERLINK(\\"http://x\\")"'),
                 encoding="utf-8")
    assert main(["evaluate", str(facts), "--format", "csv", "--engine", "reference"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    names = {r[0] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in names and not any(n.startswith("=") for n in names)


@pytest.mark.parametrize("value, cell", [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("\tx", "'\tx"), ("\rx", "'\rx"), ("Croatia", "Croatia"), ("", ""),
                                         ("a=b", "a=b")])
def test_spreadsheet_cell(value: str, cell: str) -> None:
    assert safe.spreadsheet_cell(value) == cell


@pytest.mark.parametrize("text, shown", [("a\nb", "a\\nb"), ("\x1b[31m", "\\x1b[31m"), ("a\u2028b\u2029", "a\\u2028b\\u2029"),
                                         ("\x0b\x0c\x7f\x9b", "\\x0b\\x0c\\x7f\\x9b"), ("\u202eevil", "\\u202eevil"),
                                         ("Côte d’Ivoire 日本", "Côte d’Ivoire 日本"), ("a\tb\r", "a\\tb\\r")])
def test_printable(text: str, shown: str) -> None:
    assert safe.printable(text) == shown


def test_error_line_shows_control_characters_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run_bad(["audit", str(tmp_path / "no\x1b[2J"), "Croatia"], capsys)
    assert lines == [f"{PREFIX}{tmp_path}/no\\x1b[2J: no such facts folder"]
    facts = _tiny_snapshot(tmp_path / "facts")
    lines = _run_bad(["audit", str(facts), "Croatia\x1b[2J\nccmcheck: forged"], capsys)
    assert lines == [f"{PREFIX}{facts}: Croatia\\x1b[2J\\nccmcheck: forged: state: no State of that name, ISO3 code or alias"]


@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
def test_chart_text_is_drawn_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """matplotlib parsed "$...$" as mathtext: "$\\frac{$" raised, "$10 and $20" lost its dollars."""
    facts = _tiny_snapshot(tmp_path / "facts")
    f = facts / "states" / "afghanistan.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace('name: "Afghanistan"', 'name: "Afghanistan $\\\\frac{$ $10 and $20"'),
                 encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(facts), "--format", "html", "-o", str(out), "--engine", "reference"]) == 0
    assert capsys.readouterr().err == ""
    assert "Afghanistan $\\frac{$ $10 and $20" in html.unescape(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("asked", ["ХОРВАТИЯ", "хорватия", "Albanië", "ALBANIE", "ａｌｂａｎｉａ", " albania! "])
def test_names_outside_ascii_find_their_state(asked: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    f = facts / "states" / "albania.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("iso3: ALB\n", 'iso3: ALB\naliases: ["Хорватия", "Albanië"]\n'),
                 encoding="utf-8")
    assert main(["audit", str(facts), asked, "--format", "json", "--engine", "reference"]) == 0
    assert json.loads(capsys.readouterr().out)["iso3"] == "ALB"


def test_cyrillic_letters_are_not_folded() -> None:
    """'й' is a letter of its own, not 'и' with an accent; Latin accents do fold."""
    assert normalise("Йемен") != normalise("Иемен")
    assert normalise("Sao Tomé") == normalise("SÃO TOME") == "sao tome"


# ---------------------------------------------------------------- nothing lost

def test_report_written_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails half-way (a full disk) leaves the previous report as it was."""
    facts = _tiny_snapshot(tmp_path / "facts")
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    target.write_text("the previous report\n", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    lines = _run_bad(["report", str(facts), "-o", str(target), "--engine", "reference"], capsys)
    assert lines == [f"{PREFIX}{target}: cannot write the result: No space left on device"]
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]
    monkeypatch.undo()
    assert main(["report", str(facts), "-o", str(target), "--engine", "reference"]) == 0
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_write_atomic_keeps_mode_of_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    fileio.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and target.stat().st_mode & 0o777 == 0o640


def test_check_output_path_refuses_inputs(tmp_path: Path) -> None:
    facts = _tiny_snapshot(tmp_path / "facts")
    data = tmp_path / "data.csv"
    data.write_text("x", encoding="utf-8")
    for bad, why in ((facts / "states" / "new.yaml", "inside an input folder"), (data, "over an input"),
                     (facts, "over an input"), (tmp_path / "missing" / "x", "no such folder"), (tmp_path, "it is a folder")):
        with pytest.raises(InputError, match=why):
            fileio.check_output_path(bad, [facts, data])
    fileio.check_output_path(tmp_path / "fine.md", [facts, data])


@pytest.mark.parametrize("nested", ["".join(" " * i + "a:\n" for i in range(1500)), "- " * 1500 + "x\n"])
def test_deep_block_nesting(nested: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Block nesting (indentation, `- - -`) is bounded as flow nesting is, whichever
    parser reads the file (LibYAML's composer does not count levels)."""
    facts = _tiny_snapshot(tmp_path / "facts")
    deep = facts / "states" / "albania.yaml"
    deep.write_text(nested, encoding="utf-8")
    lines = _run_bad(["validate", str(facts)], capsys)
    line = 1 if nested.startswith("- ") else 100
    assert lines == [f"{PREFIX}{deep}: albania: line {line}: malformed YAML: nested more than 100 levels deep"]


@pytest.mark.parametrize("extra", ["", "# a comment with ! sends the file to the pure-Python parser\n"])
def test_lone_surrogate_escape(extra: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"\\ud800" is no character: LibYAML refuses it and so does the pure-Python parser,
    which would otherwise hand on a string no output can encode."""
    facts = _tiny_snapshot(tmp_path / "facts")
    f = facts / "states" / "albania.yaml"
    f.write_text(extra + f.read_text(encoding="utf-8").replace('name: "Albania"', 'name: "Alba\\ud800nia"'), encoding="utf-8")
    lines = _run_bad(["validate", str(facts)], capsys)
    assert lines == [f"{PREFIX}{f}: albania: line {1 + bool(extra)}: malformed YAML: found invalid Unicode character escape code"]
