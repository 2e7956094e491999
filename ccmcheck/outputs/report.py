"""`ccmcheck report`: the progress report as a document people read, in Markdown or HTML.

What it says is computed in engine/progress.py (the report's model); this module
picks the rendering (report_markdown.py, report_html.py) and writes the file.
"""
from __future__ import annotations

from pathlib import Path

from ..engine.evaluate import FactsArg, RulesArg
from ..engine.progress import Report, build
from ..errors import InputError

__all__ = ["Report", "build", "command", "output", "render"]


def render(rep: Report, fmt: str) -> str:
    if fmt == "html":
        from .report_html import html  # matplotlib is only needed here

        return html(rep)
    from .report_markdown import markdown

    return markdown(rep)


def command(facts: FactsArg, fmt: str, path: str | None, *, rules: RulesArg = None, engine: str = "durable") -> str:
    """`ccmcheck report`: the text to print, or "" once written to `path`."""
    if path is not None and not Path(path).resolve().parent.is_dir():  # say so before the work, not after
        raise InputError.single(path, "", "", "cannot write the report: no such folder")
    return output(render(build(facts, rules=rules, engine=engine), fmt), path)


def output(text: str, path: str | None) -> str:
    """Write the report to `path` and return nothing to print, or return it for standard output."""
    if path is None:
        return text
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as e:
        raise InputError.single(path, "", "", f"cannot write the report: {e.strerror or e}") from None
    return ""
