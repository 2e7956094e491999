"""`ccmcheck site`: write the whole site to a folder, all or nothing.

The pages are written to a new folder beside the target and renamed into place at the
end, so an error leaves no half site. The target must not exist, be empty, or hold a
site this command wrote before (its `ccmcheck-site.txt` marker): it is never a folder
of someone's other files.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from .. import __version__, api
from ..errors import InputError
from ..outputs import calendar
from ..outputs.palette import COLOURS as STATUS_COLOURS
from ..outputs.scorecard import TINTS
from . import pages, search
from .data import SiteData, load

MARKER = "ccmcheck-site.txt"
ASSETS = ("site.css", "site.js")


@dataclass(frozen=True)
class Written:
    path: Path
    files: int
    states: int
    rules: int

    def text(self) -> str:
        return (f"wrote {self.path}: {self.files} files ({self.states} State pages, {self.rules} rule pages); "
                f"open {self.path / 'index.html'}\n")


def files(d: SiteData) -> dict[str, str | bytes]:
    """Every file of the site, by its path inside the site folder."""
    out: dict[str, str | bytes] = {"index.html": pages.index(d), "rules.html": pages.rules_index(d),
                                   "sources.html": pages.sources(d)}
    for iso3 in d.audits:
        out[f"state/{iso3.lower()}.html"] = pages.state(d, iso3)
        mine = [x for x in d.calendar.deadlines if x.iso3 == iso3]
        if mine:
            out[f"calendar/{iso3.lower()}.ics"] = calendar.to_ics(d.calendar.model_copy(update={"deadlines": mine}))
    out["calendar/all.ics"] = calendar.to_ics(d.calendar)
    for r in d.book.rules:
        out[f"rule/{pages.slug(r.id)}.html"] = pages.rule(d, r)
    out["assets/search-index.js"] = search.script(d.facts, d.english)
    for name in ASSETS:
        out[f"assets/{name}"] = resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")
    out["assets/site.css"] = str(out["assets/site.css"]) + status_css()
    out["data/evaluate.json"] = d.evaluation.to_json()
    out["data/matrix.json"] = d.scorecard.to_json()
    out[MARKER] = (f"Written by ccmcheck {__version__} (`ccmcheck site`): {d.evaluation.snapshot}, as of {d.as_of}.\n"
                   "`ccmcheck site` replaces this folder as a whole when run again.\n")
    return out


def status_css() -> str:
    """Each status's colour: the scorecard's tints (outputs.scorecard.TINTS), dark text on each; and the
    timeline's swatches, in the charts' colours (outputs.palette.COLOURS)."""
    return ("".join(f".st-{s} {{ background: {c}; }}\n" for s, c in TINTS.items())
            + "".join(f".sw-{s} {{ background: {c}; }}\n" for s, c in STATUS_COLOURS.items()))


def check_target(out: Path, inputs: list[Path]) -> None:
    """InputError unless `out` may be (re)written: not inside an input, and new, empty or a former site."""
    resolved = out.resolve()
    for given in inputs:
        src = Path(given).resolve()
        if resolved == src or resolved.is_relative_to(src) or src.is_relative_to(resolved):
            raise InputError.single(out, "", "", f"refusing to write the site over or inside an input ({given})")
    if not resolved.parent.is_dir():
        raise InputError.single(out, "", "", "cannot write: its parent folder does not exist")
    if resolved.exists() and not resolved.is_dir():
        raise InputError.single(out, "", "", "cannot write: it exists and is not a folder")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).is_file():
        raise InputError.single(out, "", "", f"refusing to write into a folder that is not empty and holds no "
                                             f"earlier site ({MARKER})")


def write(d: SiteData, out: Path) -> int:
    """Write the site's files to a fresh folder beside `out`, then put it in `out`'s place; the file count."""
    content = files(d)
    out = out.resolve()
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        for rel, data in content.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        tmp.chmod(0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return len(content)


def build(facts: api.FactsArg, out: str | Path, as_of: date | None = None, *, lang: str | None = None,
          rules: api.RulesArg = None, engine: str = "durable") -> Written:
    """The site of a snapshot as of a date (default: its own), written to `out`."""
    target = Path(out)
    fb = facts if isinstance(facts, api.FactBase) else api.load_facts(facts)
    inputs = [Path(fb.path)] + ([Path(rules)] if rules is not None and not isinstance(rules, api.RuleBook) else [])
    check_target(target, inputs)
    d = load(fb, as_of, lang=lang, rules=rules, engine=engine)
    n = write(d, target)
    return Written(path=target, files=n, states=len(d.audits), rules=len(d.book.rules))
