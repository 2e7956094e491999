"""Generated documentation stays in step with what generates it."""
from pathlib import Path

import pytest

from ccmcheck.cli import run

ROOT = Path(__file__).resolve().parent.parent
FACTS = str(ROOT / "facts" / "2017")


@pytest.mark.parametrize("doc, argv", [
    ("rules.md", ["rules", "--format", "markdown"]),
    ("2017-reconciliation.md", ["reconcile", FACTS, "--format", "markdown"]),
    ("2017-report.md", ["report", FACTS, "--format", "markdown"]),
])
def test_generated_doc_is_current(doc: str, argv: list[str]) -> None:
    assert (ROOT / "docs" / doc).read_text(encoding="utf-8") == run(argv), \
        f"regenerate with: ccmcheck {' '.join(argv).replace(FACTS, 'facts/2017')} > docs/{doc}"
