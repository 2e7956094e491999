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

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from ccmcheck.cli import main
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
