"""Hypothesis strategies for valid snapshot folders, and helpers that write them to
disk and read them back through `load_facts`, so property tests exercise the
same loader (and its checks) as real snapshots.

A generated snapshot is plain data (`SnapshotData`): the `snapshot.yaml`
mapping and one mapping per State file, dates as `datetime.date`. The mix aims
at what real snapshots hold: signatories, States Parties with deposits from
3 Dec 2008 to 2024, reports done on a day, by a day or between two days (some
also seen not yet done before) or seen not done, stockpiles, clearance (with
later contamination), extensions (some without a known new deadline), victim
assistance, legislation, and a few DAP indicators reported for a year (the
`reported` facts). Published figures are not generated. Dates are drawn partly
from a small pool of recurring days (30 April, 1 August, meeting days...) so
that ties and deadline boundaries come up often.
"""
from __future__ import annotations

import copy
import random
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import yaml
from hypothesis import assume, strategies as st

import ccmcheck
from ccmcheck.facts.loader import FactBase
from ccmcheck.facts.indicators import INDICATORS

OPENED = date(2008, 12, 3)  # opened for signature: nothing treaty-related is earlier
IN_FORCE = date(2010, 8, 1)
LAST_DEPOSIT = date(2024, 12, 31)
HORIZON = date(2027, 12, 31)  # the latest day any generated fact or as-of date falls on
SOURCES = {
    "untc": {"title": "UN depositary record (generated)", "where": "generated"},
    "msp": {"title": "Meeting of States Parties progress report (generated; locator: paragraph)", "where": "generated"},
    "impl": {"title": "Implementation data (generated; locator: section)", "where": "generated"},
}
LEGISLATION = ("adopted", "existing_sufficient", "in_progress", "none")

_ISO_FILE = Path(ccmcheck.__file__).parent / "facts" / "iso3166_alpha3.txt"
COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    (code, name.strip())
    for code, name in (line.split("\t", 1) for line in _ISO_FILE.read_text(encoding="utf-8").splitlines()
                       if line and not line.startswith("#"))
)

# Days that recur in the Convention's calendar; drawing from them makes ties and boundaries common.
POOL: tuple[date, ...] = tuple(sorted(
    {OPENED, IN_FORCE, date(2010, 2, 16)}
    | {date(y, m, d) for y in range(2009, HORIZON.year + 1)
       for m, d in ((1, 1), (4, 30), (5, 1), (6, 30), (8, 1), (9, 5), (12, 31))}
))


@dataclass
class SnapshotData:
    """A snapshot as plain data: what `snapshot.yaml` and each `states/*.yaml` hold."""

    snapshot: dict[str, Any]
    states: list[dict[str, Any]] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        return self.snapshot["as_of"]


def days(lo: date, hi: date) -> st.SearchStrategy[date]:
    """A day in [lo, hi], often one of the recurring days of POOL."""
    assert lo <= hi, (lo, hi)
    pooled = [d for d in POOL if lo <= d <= hi]
    any_day = st.dates(min_value=lo, max_value=hi)
    return st.one_of(any_day, st.sampled_from(pooled)) if pooled else any_day


def as_of_dates() -> st.SearchStrategy[date]:
    return days(OPENED, HORIZON)


def _src(doc: str) -> st.SearchStrategy[str]:
    # Few locators, so that two facts of one kind often cite the same place or differ only by it.
    return st.sampled_from([f"{doc}#{n}" for n in (3, 18, 28, 52)])


@st.composite
def done_event(draw: st.DrawFn, lo: date, hi: date = HORIZON, seen_before: bool = True) -> dict[str, Any]:
    """A `done` event whose earliest possible day is on or after `lo`; with `seen_before`,
    one in five also names a day a source saw it not yet done (`not_done_on`, which the
    loader wants before any day it can have been done on)."""
    form = draw(st.sampled_from(("on", "by", "between")))
    a = draw(days(lo, hi))
    ev: dict[str, Any] = {"status": "done", "source": draw(_src("msp"))}
    if form == "between":
        ev["between"] = [a, draw(days(a, hi))]
    else:
        ev[form] = a
    if seen_before and a > OPENED and not draw(st.integers(0, 4)):
        ev["not_done_on"] = draw(days(max(OPENED, a - timedelta(days=3 * 366)), a - timedelta(days=1)))
    return ev


@st.composite
def open_event(draw: st.DrawFn, lo: date, hi: date = HORIZON) -> dict[str, Any]:
    """A `not_done` (mostly) or `partial` observation, checked on a day in [lo, hi]."""
    status = draw(st.sampled_from(("not_done", "not_done", "partial")))
    return {"status": status, "checked_on": draw(days(lo, hi)), "source": draw(_src("msp"))}


def event(lo: date) -> st.SearchStrategy[dict[str, Any] | None]:
    """Unknown (absent), done, or seen not (fully) done: an Article 3, 4, 5 or 7 event."""
    return st.one_of(st.none(), done_event(lo), open_event(lo))


def flag() -> st.SearchStrategy[dict[str, Any] | None]:
    return st.one_of(st.none(), st.builds(lambda v, s: {"value": v, "source": s}, st.booleans(), _src("msp")))


@st.composite
def extension(draw: st.DrawFn, lo: date, bound: date) -> dict[str, Any]:
    """An extension granted at a meeting; some leave the new deadline unknown. A known new
    deadline is not before `bound`, the latest the deadline it extends can be (an earlier
    one is bad input)."""
    decided = draw(days(lo, HORIZON))
    ext: dict[str, Any] = {"decided_on": decided, "decided_by": draw(st.sampled_from(["7MSP", "8MSP", "2RC"])),
                           "source": draw(_src("impl"))}
    if draw(st.integers(0, 3)):  # a quarter of them say nothing about the new deadline
        first = max(decided, bound)
        ext["new_deadline"] = draw(days(first, first + timedelta(days=3650)))
    return ext


@st.composite
def extensions(draw: st.DrawFn, lo: date, bound: date) -> list[dict[str, Any]]:
    """Up to two extensions, decided on different days, each new deadline not before the last."""
    exts = sorted(draw(st.lists(extension(lo, bound), max_size=2, unique_by=lambda e: e["decided_on"])),
                  key=lambda e: e["decided_on"])
    news = sorted(e["new_deadline"] for e in exts if "new_deadline" in e)
    for e in exts:
        if "new_deadline" in e:
            e["new_deadline"] = news.pop(0)
    return exts


def _without_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


@st.composite
def state_data(draw: st.DrawFn, iso3: str, name: str) -> dict[str, Any]:
    """One State file: a signatory, or a State Party with a mix of obligations."""
    party = draw(st.integers(0, 4)) > 0  # four in five are States Parties
    treaty: dict[str, Any] = {}
    if not party:
        treaty["signature"] = {"on": draw(days(OPENED, date(2010, 7, 31))), "source": "untc"}
        return {"name": name, "iso3": iso3, "treaty": treaty}
    deposit = draw(days(OPENED, LAST_DEPOSIT))
    kind = draw(st.sampled_from(("ratification", "accession", "acceptance", "approval")))
    if kind != "accession":
        treaty["signature"] = {"on": draw(days(OPENED, min(deposit, date(2010, 7, 31)))), "source": "untc"}
    treaty["deposit"] = {"on": deposit, "kind": kind, "source": "untc"}
    if deposit < HORIZON and not draw(st.integers(0, 9)):  # one in ten withdraws
        treaty["withdrawal"] = {"on": draw(days(deposit + timedelta(days=1), HORIZON)), "source": "untc"}
    years = list(range(max(deposit.year, 2010), HORIZON.year))
    annual = {y: draw(st.one_of(done_event(max(deposit, date(y + 1, 1, 1))), open_event(date(y + 1, 1, 1))))
              for y in draw(st.lists(st.sampled_from(years), unique=True, max_size=4))} if years else {}
    article7 = _without_none({"initial_report": draw(event(deposit)), "annual_reports": annual})
    # Deadlines an extension may move: Art. 3, 8 years after entry into force (at most 7 months
    # after the deposit, or the Convention's own); Art. 4, 10 years after it or after new contamination.
    eif_bound = max(deposit, IN_FORCE) + timedelta(days=7 * 31)
    article3 = _without_none({
        "stockpile_at_eif": draw(flag()),
        "destruction_completed": draw(event(deposit)),
        "extensions": draw(extensions(deposit, eif_bound + timedelta(days=8 * 366))),
    })
    contamination = draw(st.lists(
        st.builds(lambda d, s: {"hostilities_ended": d, "source": s}, days(deposit, HORIZON), _src("impl")),
        max_size=2))
    latest = max([eif_bound] + [c["hostilities_ended"] for c in contamination])
    article4 = _without_none({
        "contaminated_at_eif": draw(flag()),
        "new_contamination": contamination,
        "clearance_completed": draw(event(deposit)),
        "extensions": draw(extensions(deposit, latest + timedelta(days=10 * 366))),
    })
    article5 = _without_none({
        "victims": draw(flag()),
        "va_focal_point": draw(event(deposit)),
        "national_plan": draw(event(deposit)),
    })
    legislation = draw(st.one_of(st.none(), st.sampled_from(LEGISLATION)))
    article9 = {"legislation": {"value": legislation, "source": "impl#9"}} if legislation else {}
    reported = {y: draw(indicators(y, deposit)) for y in draw(st.lists(st.sampled_from(years), unique=True, max_size=2))
                } if years else {}
    return _without_none({"name": name, "iso3": iso3, "treaty": treaty, "article7": article7,
                          "article3": article3, "article4": article4, "article5": article5,
                          "article9": article9, "reported": reported})


@st.composite
def indicators(draw: st.DrawFn, year: int, deposit: date) -> dict[str, Any]:
    """What a State reported for `year` on a few DAP indicators (ccmcheck/facts/indicators.py)."""
    lo = max(deposit, date(year + 1, 1, 1))
    names = draw(st.lists(st.sampled_from(sorted(INDICATORS)), unique=True, min_size=1, max_size=4))
    return {n: draw(st.one_of(done_event(lo), open_event(lo))) for n in names}


@st.composite
def snapshots(draw: st.DrawFn, min_states: int = 1, max_states: int = 8) -> SnapshotData:
    """A valid snapshot of a few States with distinct ISO3 codes and names."""
    picked = draw(st.lists(st.sampled_from(COUNTRIES), min_size=min_states, max_size=max_states,
                           unique_by=lambda c: c[0]))
    as_of = draw(days(date(2010, 1, 1), HORIZON))
    snap = {
        "title": "generated snapshot",
        "as_of": as_of,
        "period": {"start": as_of - timedelta(days=364), "end": as_of},
        "sources": copy.deepcopy(SOURCES),
        "convention": {"opened_for_signature": {"on": OPENED, "source": "untc"},
                       "entry_into_force": {"on": IN_FORCE, "source": "untc#Art. 17"}},
    }
    return SnapshotData(snap, [draw(state_data(code, name)) for code, name in picked])


def _plain(obj: Any) -> Any:
    """Dates as ISO strings, everything else as is (yaml.safe_dump takes the rest)."""
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "state"


def shuffled(data: SnapshotData, rng: random.Random) -> SnapshotData:
    """The same facts listed in another order: States, list items and annual report keys."""
    out = copy.deepcopy(data)
    rng.shuffle(out.states)
    for s in out.states:
        for art in ("article3", "article4"):
            for key in ("extensions", "new_contamination"):
                items = s.get(art, {}).get(key)
                if items:
                    rng.shuffle(items)
        for holder, key in ((s.get("article7", {}), "annual_reports"), (s, "reported")):
            if holder.get(key):
                keys = list(holder[key])
                rng.shuffle(keys)
                holder[key] = {k: holder[key][k] for k in keys}
    return out


def write_snapshot(data: SnapshotData, root: Path, file_name: Callable[[int, dict[str, Any]], str] | None = None) -> Path:
    """Write `data` as a snapshot folder under `root`; `file_name(i, state)` names State files."""
    name_of = file_name or (lambda i, s: f"{slug(s['name'])}-{s['iso3'].lower()}.yaml")
    (root / "states").mkdir(parents=True, exist_ok=True)
    dump = lambda obj: yaml.safe_dump(_plain(obj), sort_keys=False, allow_unicode=True)  # noqa: E731
    (root / "snapshot.yaml").write_text(dump(data.snapshot), encoding="utf-8")
    for i, s in enumerate(data.states):
        (root / "states" / name_of(i, s)).write_text(dump(s), encoding="utf-8")
    return root


def load_snapshot(data: SnapshotData, file_name: Callable[[int, dict[str, Any]], str] | None = None) -> FactBase:
    """Write `data` to a temporary folder and load it with `load_facts`.

    The FactBase keeps everything it needs in memory, so the folder is removed.
    """
    with tempfile.TemporaryDirectory(prefix="ccmcheck-gen-") as tmp:
        return ccmcheck.load_facts(write_snapshot(data, Path(tmp), file_name))


def _later(lo: date) -> st.SearchStrategy[date]:
    """A day from `lo` to a few years after it."""
    return days(lo, lo + timedelta(days=3 * 366))


def _implied(data: SnapshotData, state: int, ev: dict[str, Any]) -> SnapshotData:
    """`data` with the done event `ev` of State `state` replaced by what its date implies before
    it: not done on the day before its earliest possible day."""
    out = copy.deepcopy(data)
    first = ev["on"] if "on" in ev else ev["between"][0]
    seen = {"status": "not_done", "checked_on": first - timedelta(days=1), "source": ev["source"]}

    def swap(obj: Any) -> Any:
        if obj == ev:
            return seen
        if isinstance(obj, dict):
            return {k: swap(v) for k, v in obj.items()}
        return obj

    out.states[state] = swap(out.states[state])
    return out


@st.composite
def with_future_fact(draw: st.DrawFn, data: SnapshotData, as_of: date) -> tuple[SnapshotData, str, SnapshotData]:
    """`data` plus one fact whose earliest possible day is after `as_of`, put where
    the State has no fact yet (or, for lists and annual reports, one more item).

    Mostly a `done` event (a report, a completion, a designation); sometimes
    another dated fact: an extension, new contamination, a withdrawal or a deposit.
    Returns the new data, a description of what was added (for failure output), and what
    the addition implies on `as_of`: the data with, in place of a done event, the observation
    its date implies ("done on D" or "between [D, ...]": not done on the day before D), and
    for any other fact the data as it was.
    """
    out = copy.deepcopy(data)
    i = draw(st.integers(0, len(out.states) - 1))
    s = out.states[i]
    after = as_of + timedelta(days=1)
    treaty = s.setdefault("treaty", {})
    deposit: date | None = treaty.get("deposit", {}).get("on")
    slots: list[tuple[str, str]] = []
    for art, names in (("article3", ("destruction_completed",)), ("article4", ("clearance_completed",)),
                       ("article5", ("va_focal_point", "national_plan"))):
        slots += [(art, n) for n in names if n not in s.get(art, {})]
    if deposit is not None:  # the loader rejects a report from a State that has not deposited
        if "initial_report" not in s.get("article7", {}):
            slots.append(("article7", "initial_report"))
        slots.append(("article7", "annual_reports"))
        slots.append(("reported", "indicator"))
    others = ["article3.extensions", "article4.extensions", "article4.new_contamination"]
    if deposit is not None and "withdrawal" not in treaty:
        others.append("treaty.withdrawal")
    if deposit is None:
        others.append("treaty.deposit")
    if slots and draw(st.integers(0, 3)):  # three in four: a done event
        art, name = draw(st.sampled_from(slots))
        lo = max(after, deposit) if art == "article7" and deposit is not None else after
        ev = draw(done_event(lo, lo + timedelta(days=3 * 366), seen_before=False).filter(lambda e: "by" not in e))
        first = ev["on"] if "on" in ev else ev["between"][0]
        # a report covering a year is submitted after that year ends (the loader refuses one dated before)
        covered = st.integers(2009, max(2009, first.year - 1))
        if name == "indicator":
            year = draw(covered)
            indicator = draw(st.sampled_from(sorted(INDICATORS)))
            that_year = s.setdefault("reported", {}).setdefault(year, {})
            if indicator in that_year:  # already known: one more annual report instead
                name = "annual_reports"
            else:
                that_year[indicator] = ev
                return out, f"{s['iso3']}: reported.{year}.{indicator} = {ev}", _implied(out, i, ev)
        if name == "annual_reports":
            reports = s.setdefault("article7", {}).setdefault("annual_reports", {})
            free = [y for y in range(2009, first.year) if y not in reports]
            assume(free)  # every year it could cover is known already: draw another example
            year = draw(st.sampled_from(free))
            reports[year] = ev
            return out, f"{s['iso3']}: article7.annual_reports.{year} = {ev}", _implied(out, i, ev)
        s.setdefault(art, {})[name] = ev
        return out, f"{s['iso3']}: {art}.{name} = {ev}", _implied(out, i, ev)
    what = draw(st.sampled_from(others))
    art, name = what.split(".")
    if name == "extensions":
        ext = draw(extension(after, after))  # decided after the as-of date: never seen by the evaluation
        s.setdefault(art, {}).setdefault(name, []).append(ext)
        added: Any = ext
    elif name == "new_contamination":
        added = {"hostilities_ended": draw(_later(after)), "source": draw(_src("impl"))}
        s.setdefault(art, {}).setdefault(name, []).append(added)
    elif name == "withdrawal":
        added = {"on": draw(_later(max(after, deposit + timedelta(days=1)))), "source": "untc"}  # type: ignore[operator]
        treaty[name] = added
    else:
        added = {"on": draw(_later(after)), "kind": "accession", "source": "untc"}
        treaty[name] = added
    return out, f"{s['iso3']}: {what} + {added}", data


def fact_dates(data: SnapshotData) -> list[date]:
    """Every day a fact in `data` names: as-of dates worth evaluating on (a `not_done`
    is only seen up to its `checked_on`, a `done` from its last possible day)."""
    found: set[date] = set()

    def walk(obj: Any) -> None:
        if isinstance(obj, date):
            found.add(obj)
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v)

    walk(data.states)
    return sorted(found)
