"""`ccmcheck report`: the progress report as a document people read, in Markdown or HTML.

What it says is computed in engine/progress.py (the report's model); this module
picks the rendering (report_markdown.py, report_html.py) and writes the file.
"""
from __future__ import annotations

from ..engine.evaluate import FactsArg, RulesArg
from ..engine.progress import Report, build
from ..errors import CcmcheckError

from .safe import printable_lines

__all__ = ["Report", "build", "command", "pdf", "render"]


def render(rep: Report, fmt: str) -> str | bytes:
    """Markdown or HTML text, or the bytes of a PDF (the HTML laid out by WeasyPrint: no browser)."""
    if fmt in ("html", "pdf"):
        from .report_html import html  # matplotlib is only needed here

        page = html(rep)
        return page if fmt == "html" else pdf(page)
    from .report_markdown import markdown

    return printable_lines(markdown(rep))


def pdf(page: str) -> bytes:
    """An HTML page as PDF, laid out by WeasyPrint (print CSS: the page's own @page rules)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: the Pango library is missing
        raise CcmcheckError(f"report --format pdf needs WeasyPrint and Pango ({e}); pip install weasyprint, or "
                            "print the HTML: chromium --headless --print-to-pdf=report.pdf report.html") from None
    return HTML(string=page).write_pdf()


def command(facts: FactsArg, fmt: str, *, rules: RulesArg = None, engine: str = "durable",
            newly_known: bool = False) -> str | bytes:
    """`ccmcheck report`: the document (the CLI writes it to standard output or `-o FILE`)."""
    return render(build(facts, rules=rules, engine=engine, newly_known=newly_known), fmt)
