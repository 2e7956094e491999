"""The library is typed: py.typed ships, mypy --strict sees concrete types in a user's script, and every
public class and function has a docstring with an example."""
from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import ccmcheck

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "typing"


def test_py_typed_ships() -> None:
    assert (ROOT / "ccmcheck" / "py.typed").is_file()
    assert 'packages = ["ccmcheck"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # the whole folder


def test_mypy_strict_sees_concrete_types() -> None:
    pytest.importorskip("mypy")
    script, wrong = HERE / "user_script.py", HERE / "wrong_type.py"
    called = {n for n in ccmcheck.__all__ if inspect.isfunction(getattr(ccmcheck, n))}
    used = {n for n in called if f"ccmcheck.{n}(" in script.read_text(encoding="utf-8")}
    assert used == called, f"the script must call every public function: {sorted(called - used)}"
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script), str(wrong)],
                         capture_output=True, text=True, cwd=ROOT)
    errors = [x for x in run.stdout.splitlines() if ": error:" in x]
    assert len(errors) == 1 and "wrong_type.py" in errors[0], run.stdout  # the wrong one only (assert_type rejects Any too)
    assert 'Expression is of type "Evaluation", not "Audit"' in errors[0]


def test_every_public_name_has_a_docstring_with_an_example() -> None:
    missing = []
    for name in ccmcheck.__all__:
        obj = getattr(ccmcheck, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        doc = inspect.getdoc(obj) or ""
        if ">>>" not in doc and "Example" not in doc:
            missing.append(name)
    assert missing == []
