"""Status history: the exact days over which each finding's status holds.

A finding can change status only on a breakpoint: a date the State's facts name
(and the day after: a `not_done` seen on a day says nothing of the next), a date
a rule names (and the day after), each annual due date (and the day after), a
date the rules compute from the facts (a due date, a derived date such as entry
into force, a completion date; and the day after), and the day an as-of offset
anchor such as `{as_of: {years: -1}}` reaches any of these. Each State is
evaluated on its own breakpoints only, and the status on a breakpoint holds
until the day before the next one.

Matching is the costly part, and it depends on the date only through the records
known on it, how their dates compare with the trigger's anchors and which of
them the trigger's occurrence keys name; breakpoints that agree on those share
one match, and only deciding (cheap arithmetic) runs on each.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, timedelta
from typing import Iterable, Iterator

from dateutil.relativedelta import relativedelta

from . import decide
from .core import Shared, collector_paused, matcher_for, state_findings, state_matches
from .dates import anchor_date, occurrence
from .evaluate import FactsArg, RulesArg, as_factbase, as_rulebook
from .matching import Matcher
from .records import Evidence, reader
from .results import CONVENTION, Finding, Status
from ..errors import InputError
from ..facts.loader import FactBase
from ..facts.model import FIELDED, StateFacts
from ..rules.loader import RuleBook
from ..rules.model import Annually, AsOfOffset, Period, Rule

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Interval:
    """A finding's status (and due date) on every day from `start` to `end`, both included
    (`from` and `to` in JSON).

    Example: `ccmcheck.history("2017", states=["Chile"]).tracks[0].intervals[0].status`
    """

    start: date
    end: date
    status: Status
    due: date | None

    def contract(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "status": self.status,
                "due": self.due.isoformat() if self.due else None}


@dataclass(frozen=True, slots=True)
class Track:
    """One rule's intervals for one State (or, for a target, the Convention). Days in no
    interval are days with no finding: the rule did not apply (e.g. before the deposit).

    Example: `ccmcheck.history("2017", states=["Chile"]).tracks[0].on(date(2015, 1, 1))`
    """

    rule: str
    state: str
    iso3: str | None
    intervals: tuple[Interval, ...]

    def on(self, day: date) -> Interval | None:
        """The interval holding on `day`, if any."""
        i = bisect_right([iv.start for iv in self.intervals], day) - 1
        return self.intervals[i] if i >= 0 and day <= self.intervals[i].end else None


@dataclass(frozen=True)
class History:
    """Every track of a snapshot from `start` to `end`; the JSON contract is `to_json()`.

    Example: `ccmcheck.history("2017", states=["Chile"]).statuses_on(date(2015, 1, 1))`
    """

    snapshot: str
    engine: str
    start: date
    end: date
    tracks: tuple[Track, ...]

    def statuses_on(self, day: date) -> dict[tuple[str, str | None], Status]:
        """(rule, ISO3) -> status on `day`: what `evaluate` as of that day finds."""
        return {(t.rule, t.iso3): iv.status for t in self.tracks for iv in (t.on(day),) if iv is not None}

    def contract(self) -> dict:
        return {"snapshot": self.snapshot, "from": self.start.isoformat(), "to": self.end.isoformat(),
                "tracks": [{"rule": t.rule, "state": t.state, "iso3": t.iso3,
                            "intervals": [iv.contract() for iv in t.intervals]} for t in self.tracks]}

    def to_json(self) -> str:
        return json.dumps(self.contract(), indent=2, ensure_ascii=False) + "\n"


def dates_in(obj: object) -> Iterator[date]:
    """Every date a fact (or rule) model holds, at any depth."""
    if isinstance(obj, date):
        yield obj
    elif isinstance(obj, FIELDED):
        for name in type(obj).model_fields:
            yield from dates_in(getattr(obj, name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from dates_in(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from dates_in(v)


def _annual(rules: Iterable[Rule]) -> set[Annually]:
    return {r.deadline.annually for r in rules if r.deadline is not None and r.deadline.annually is not None}


@dataclass
class _Context:
    """What every State's history in one run shares."""

    book: RuleBook
    matcher: Matcher
    facts: FactBase
    start: date
    end: date
    offsets: list[Period]
    fixed: set[date]  # dates the rules and the Convention's facts name, and annual due dates
    occurrences: list[Annually]  # the distinct annual deadlines whose occurrence a trigger names
    anchored: dict[str, frozenset[str]]  # anchor -> the fact paths tests with that anchor compare
    derived_anchors: frozenset[str]  # the anchors some test compares a derived date with
    shared: dict[date, Shared] = field(default_factory=dict)

    def shared_on(self, day: date) -> Shared:
        if day not in self.shared:
            self.shared[day] = Shared.of(self.book, day)
        return self.shared[day]

    def around(self, days: Iterable[date]) -> set[date]:
        """Each day, the day after it, and the first day an as-of offset anchor reaches it."""
        out: set[date] = set()
        moves = [relativedelta(years=p.years, months=p.months, days=p.days) for p in self.offsets]
        for d in days:
            out |= {d, d + DAY}
            for p in moves:  # the first as-of day whose anchor, as_of + p, is on or after d
                first = d - p - 3 * DAY
                while first + p < d:
                    first += DAY
                out.add(first)
        return {d for d in out if self.start <= d <= self.end}


def _context(book: RuleBook, matcher: Matcher, facts: FactBase, start: date, end: date) -> _Context:
    offsets = [a.as_of for a in book.plan.anchors.values() if isinstance(a, AsOfOffset)]
    fixed = set(dates_in(list(book.rules))) | set(dates_in(facts.snapshot.convention))
    fixed |= {d for ws in book.windows.values() for w in ws for d in (w.from_, w.until) if d is not None}  # validity windows
    rules = {r.id: r for r in book.rules}
    occurrences = list(dict.fromkeys(rules[rid].deadline.annually for rid in book.plan.occurrence_field))  # type: ignore[union-attr]
    tests = [t for p in book.plan.patterns for t in p.tests + p.absent if t.anchor is not None]
    anchored = {name: frozenset(t.path for t in tests if t.anchor == name) for name in book.plan.anchors}
    derived = {r.id for r in book.rules if r.kind == "derived-date"}
    derived_anchors = frozenset(name for name, paths in anchored.items() if paths & derived)
    ctx = _Context(book, matcher, facts, start, end, offsets, set(), occurrences, anchored, derived_anchors)
    annual = {occurrence(every, date(y, 12, 31))[0] for every in _annual(book.rules) for y in range(start.year, end.year + 1)}
    ctx.fixed = ctx.around(fixed | annual) | {start}
    return ctx


@lru_cache(maxsize=None)
def _occurrence(month: int, day: int, as_of: date) -> tuple[date, str]:
    """`dates.occurrence`, cached on plain values (the same few recur for every rule and State)."""
    return occurrence(Annually(month=month, day=day), as_of)


Brief = tuple[Status, "date | None", "date | None"]  # a finding's status, due date and completion date
Sample = tuple[dict[str, Brief], list[str]]  # a State's findings on a day by rule, and the targets counting it


def ordinal(d: date | None) -> int:
    """A day as a number for bisecting (0: no date of its own, which every bound lets through)."""
    return d.toordinal() if d is not None else 0


def _said(e: Evidence) -> tuple:
    """What a piece of evidence says, for telling equal matches apart."""
    return e.id, e.value, e.earliest, e.latest, e.checked_on, e.new_deadline, e.was, e.notes


class _Memo:
    """`decide`'s `obligation` and `derived`, remembered while a State's matches stay the same.

    With its matches fixed, an obligation's finding depends on the as-of date only
    through its deadline and whether the date is past it; a deadline that is not
    annual does not depend on the date at all; an annual obligation with no evidence
    either way is pending on its due day and undecided after it, whichever year's
    report it is. A derived date's finding depends only on whether it has passed.
    (The exactness test holds this against `evaluate` on every breakpoint.)
    """

    def __init__(self) -> None:
        self.seen: dict[tuple, tuple[str, Brief]] = {}
        self.deadlines: dict[tuple, decide.Dated] = {}
        self.sigs: dict[tuple[int, int], int] = {}
        self.contents: dict[tuple, int] = {}

    def _sig(self, rule: Rule, m: decide.Matches, derived: dict[str, decide.Dated]) -> tuple[str, int]:
        """What a rule's matches say (and the derived dates), as a number: equal matches from
        different breakpoints share answers. Keyed by identity: the caller keeps both alive."""
        key = (id(m), id(derived))
        sig = self.sigs.get(key)
        if sig is None:
            content = (tuple(sorted((role, tuple(tuple(_said(e) for e in recs)
                                                 for recs in found)) for role, found in m.items())),
                       tuple(sorted((k, v.on, v.floor) for k, v in derived.items())))
            sig = self.sigs[key] = self.contents.setdefault(content, len(self.contents))
        return rule.id, sig

    @staticmethod
    def _brief(f: Finding) -> tuple[str, Brief]:
        return f.rule, (f.status, f.due, f.met_on)

    def obligation(self, rule: Rule, name: str, iso3: str, m: decide.Matches, as_of: date,
                   derived: dict[str, decide.Dated], explain: bool = False) -> tuple[str, Brief]:
        d = rule.deadline
        assert d is not None
        if d.annually is not None and d.extended_by is None and not m.get("evidence"):
            due = _occurrence(d.annually.month, d.annually.day, as_of)[0]
            key: tuple = (self._sig(rule, m, derived), as_of == due)
            if key not in self.seen:
                self.seen[key] = self._brief(decide.obligation(rule, name, iso3, m, as_of, derived))
            rid, (status, _, met_on) = self.seen[key]
            return rid, (status, due, met_on)
        sig = self._sig(rule, m, derived)
        if d.annually is None:
            dl = self.deadlines.get(sig)
            if dl is None:
                dl = self.deadlines[sig] = decide.deadline(rule, m, as_of, derived)
        else:
            dl = decide.deadline(rule, m, as_of, derived)
        limit = dl.on or dl.floor
        key = (sig, dl.on, dl.floor, limit is not None and as_of <= limit)
        if key not in self.seen:
            self.seen[key] = self._brief(decide.obligation(rule, name, iso3, m, as_of, derived))
        return self.seen[key]

    def derived(self, rule: Rule, name: str, iso3: str, when: decide.Dated, as_of: date,
                explain: bool = False) -> tuple[str, Brief]:
        key = (rule.id, when.on, when.on is not None and when.on <= as_of)
        if key not in self.seen:
            self.seen[key] = self._brief(decide.derived(rule, name, iso3, when, as_of))
        return self.seen[key]


class _StateRun:
    """One State's breakpoints, each evaluated; matching shared between breakpoints
    that agree on everything it depends on."""

    def __init__(self, ctx: _Context, st: StateFacts):
        self.ctx, self.st = ctx, st
        own = set(dates_in(st)) | set(dates_in(ctx.facts.snapshot.convention))
        self.todo = ctx.fixed | ctx.around(own)
        self.derived: list[int] = []  # the derived dates (day ordinals) seen: dates derived records hold
        # Which records are known changes only on these days (see records._visible).
        self.turns = sorted(own | {d + DAY for d in own})
        self.records: dict[tuple, tuple[tuple, set, list]] = {}
        self.read = reader(st, ctx.facts.snapshot.convention)  # the State's facts, read once for every day

    def _records(self, day: date) -> tuple[tuple, set, list]:
        """The records known on `day` (as what they say), their occurrence keys, and for each
        anchor the dates of the records a test with that anchor can compare."""
        # Known facts change only on `turns`; which years of a yearly fact are asserted, with the occurrence.
        i = (bisect_right(self.turns, day),
             tuple(_occurrence(every.month, every.day, day)[1] for every in self.ctx.occurrences))
        if i not in self.records:
            recs = self.ctx.shared_on(day).records(self.st, self.ctx.facts, day, self.read)
            his = [[ordinal(e.latest) for e in recs if e.path in paths] for paths in self.ctx.anchored.values()]
            self.records[i] = tuple(_said(e) for e in recs), {e.key for e in recs}, his
        return self.records[i]

    def _key(self, day: date) -> tuple:
        """What matching on `day` depends on: the records known then, which of their dates (and
        of the derived dates) each of the trigger's anchors reaches, and which occurrence keys
        name a record."""
        recs, keys, his = self._records(day)
        anchors = tuple((tuple(h <= a for h in dated), bisect_right(self.derived, a) if name in self.ctx.derived_anchors else 0)
                        for (name, x), dated in zip(self.ctx.book.plan.anchors.items(), his)
                        for a in (ordinal(anchor_date(x, day)),))
        occ = tuple(k if k in keys else "" for k in (_occurrence(every.month, every.day, day)[1] for every in self.ctx.occurrences))
        return recs, anchors, occ

    def samples(self) -> dict[date, Sample]:
        """The State evaluated on each of its breakpoints."""
        ctx = self.ctx
        # The derived dates (entry into force, ...) known on the last breakpoint, before the rest: a date the
        # match keys do not account for restarts the State (on facts/2017 that wasted 1,512 of 8,789 samples).
        last = max(self.todo)
        seed = state_matches(ctx.book, ctx.matcher, ctx.facts, self.st, last, ctx.shared_on(last))
        self.derived = sorted({d.on.toordinal() for d in seed[1].values() if d.on is not None})
        while True:  # restarted when a derived date turns up that the match keys did not account for
            samples: dict[date, Sample] = {}
            cache: dict[tuple, tuple] = {self._key(last): seed}
            memo = _Memo()
            pending, fresh = set(self.todo), False
            while pending and not fresh:
                computed: set[date] = set()  # due and completion dates the new samples give
                for day in sorted(pending):
                    key = self._key(day)
                    matched = cache.get(key)
                    if matched is None:
                        matched = cache[key] = state_matches(ctx.book, ctx.matcher, ctx.facts, self.st, day,
                                                             ctx.shared_on(day))
                        new = {d.on.toordinal() for d in matched[1].values() if d.on is not None} - set(self.derived)
                        if new:
                            self.derived = sorted(set(self.derived) | new)
                            fresh = True
                            break
                    found, counted = state_findings(ctx.book, matched, self.st, day, memo)
                    samples[day] = dict(found), counted
                    computed.update(d for _, (_, due, met) in found for d in (due, met))
                if fresh:
                    break
                computed.discard(None)  # type: ignore[arg-type]
                pending = ctx.around(computed) - set(samples)
                self.todo |= pending
            if not fresh:
                return samples


def _intervals(points: list[tuple[date, Status | None, date | None]], end: date) -> tuple[Interval, ...]:
    """Merge (day, status, due) samples, in day order, into intervals; None is no finding."""
    runs: list[list] = []
    for i, (day, status, due) in enumerate(points):
        last = points[i + 1][0] - DAY if i + 1 < len(points) else end
        if status is None:
            continue
        if runs and runs[-1][2] == status and runs[-1][3] == due and runs[-1][1] + DAY == day:
            runs[-1][1] = last
        else:
            runs.append([day, last, status, due])
    return tuple(Interval(a, b, s, d) for a, b, s, d in runs)


def _state_tracks(st: StateFacts, samples: dict[date, Sample], rule_ids: list[str], end: date) -> list[Track]:
    days = sorted(samples)
    none = (None, None, None)
    found = {rid for d in days for rid in samples[d][0]}
    tracks = []
    for rid in (r for r in rule_ids if r in found):
        points = [(d, *samples[d][0].get(rid, none)[:2]) for d in days]
        intervals = _intervals(points, end)
        if intervals:
            tracks.append(Track(rid, st.name, st.iso3, intervals))
    return tracks


def _target_track(book: RuleBook, rule: Rule, per_state: dict[str, dict[date, Sample]], end: date) -> Track:
    """A Convention-wide target on every day any State's count could change."""
    changes: dict[date, dict[str, bool]] = defaultdict(dict)
    for iso3, samples in per_state.items():
        was = None
        for day in sorted(samples):
            now = rule.id in samples[day][1]
            if now != was:
                changes[day][iso3] = now
                was = now
    days = sorted(set(changes) | {d for s in per_state.values() for d in s})
    counted: dict[str, bool] = {}
    points: list[tuple[date, Status | None, date | None]] = []
    for day in days:
        counted.update(changes.get(day, {}))
        if book.out_of_force(rule.id, day) is not None:  # outside its window: no finding
            points.append((day, None, None))
            continue
        f = decide.target(rule, sorted(i for i, c in counted.items() if c), day)
        points.append((day, f.status, f.due))
    return Track(rule.id, CONVENTION, None, _intervals(points, end))


def default_end(facts: FactBase, book: RuleBook) -> date:
    """The day after the latest date the facts or the rules name (and no earlier than the
    snapshot's as-of date)."""
    named = [*dates_in(list(book.rules)), *dates_in(facts.snapshot.convention), facts.snapshot.as_of,
             *(d for st in facts.states for d in dates_in(st))]
    return max(named) + DAY


def history(facts: FactsArg, *, start: date | None = None, end: date | None = None, rules: RulesArg = None,
            engine: str = "durable", states: Iterable[str] = (), rule_ids: Iterable[str] = ()) -> History:
    """For each State and rule, the intervals over which its finding's status holds, from
    `start` (default: the day the Convention opened for signature) to `end` (default: the
    day after the latest date the facts or rules name). On any day in that range the
    status equals `evaluate(facts, as_of=day)`'s. `states` and `rule_ids` narrow it as
    for `evaluate` (targets are left out when `states` is given).

    Example: `ccmcheck.history("2017", states=["Croatia"], rule_ids=["art7.initial-report"]).tracks`
    """
    fb, book = as_factbase(facts), as_rulebook(rules)
    start = start or fb.snapshot.convention.opened_for_signature.on
    end = end or default_end(fb, book)
    if end < start:
        raise InputError.single("arguments", f"{start} .. {end}", "to", "the end date is before the start date")
    wanted = list(rule_ids) or [r.id for r in book.rules]
    book.check_ids(wanted)
    chosen = {fb.find(s).iso3 for s in states}
    targets = [r for r in book.rules if r.kind == "convention-target" and r.id in wanted and not chosen]
    ctx = _context(book, matcher_for(book, engine), fb, start, end)
    with collector_paused():
        per_state = {st.iso3: _StateRun(ctx, st).samples() for st in fb.states if not chosen or st.iso3 in chosen}
    tracks = [t for st in fb.states if st.iso3 in per_state
              for t in _state_tracks(st, per_state[st.iso3], wanted, end)]
    tracks += [_target_track(book, r, per_state, end) for r in targets]
    tracks.sort(key=lambda t: (t.rule, t.state))
    return History(fb.snapshot.title, engine, start, end, tuple(tracks))
