"""Everything the site shows, computed once: one evaluation (with the full reasoning), its
scorecard, each State's audit drawn from that evaluation, each State's status history up to
the as-of date, and the deadlines ahead. A State page and the scorecard thus read the same
findings, and the site's counts are `evaluate`'s and `matrix`'s by construction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import api
from ..engine.evaluate import state_audit
from ..engine.scorecard import build as build_scorecard
from ..facts.localise import localised


@dataclass(frozen=True)
class SiteData:
    facts: api.FactBase
    book: api.RuleBook
    evaluation: api.Evaluation
    scorecard: api.Scorecard
    audits: dict[str, api.Audit]  # ISO3 -> the State's audit
    tracks: dict[str | None, list[api.Track]]  # ISO3 (None: the Convention) -> its history tracks
    calendar: api.Calendar
    lang: str | None
    english: dict[str, str]  # ISO3 -> the UN English name (the site may name States in another language)

    @property
    def as_of(self) -> date:
        return self.evaluation.as_of


def load(facts: api.FactsArg, as_of: date | None = None, *, lang: str | None = None, rules: api.RulesArg = None,
         engine: str = "durable") -> SiteData:
    """The site's data for a snapshot as of a date (default: its own), State names in `lang` if given."""
    fb = api.load_facts(facts) if not isinstance(facts, api.FactBase) else facts
    english = {st.iso3: st.name for st in fb.states}
    if lang:
        fb = localised(fb, lang)
    book = rules if isinstance(rules, api.RuleBook) else api.load_rules(rules)
    ev = api.evaluate(fb, as_of, rules=book, engine=engine, explain=True)
    audits = {st.iso3: state_audit(fb, book, st, ev) for st in fb.states}
    hist = api.history(fb, end=ev.as_of, rules=book, engine=engine)
    tracks: dict[str | None, list[api.Track]] = {}
    for t in hist.tracks:
        tracks.setdefault(t.iso3, []).append(t)
    cal = api.deadlines(fb, ev.as_of, rules=book, engine=engine)  # due from the as-of date on
    return SiteData(facts=fb, book=book, evaluation=ev, scorecard=build_scorecard(ev, book), audits=audits,
                    tracks=tracks, calendar=cal, lang=lang, english=english)
