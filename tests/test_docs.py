"""Generated documentation stays in step with what generates it."""
from pathlib import Path

from ccmcheck.cli import run

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_rules_doc_is_current() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == run(["rules", "--format", "markdown"]), \
        "regenerate with: ccmcheck rules --format markdown > docs/rules.md"
