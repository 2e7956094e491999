"""A user's script calling every public function of ccmcheck: mypy --strict must see concrete types."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import assert_type

import ccmcheck

FACTS = "facts/2017"
book = assert_type(ccmcheck.load_rules(), ccmcheck.RuleBook)
facts = assert_type(ccmcheck.load_facts(FACTS), ccmcheck.FactBase)
ev = assert_type(ccmcheck.evaluate(facts, "2017-06-30", rules=book, engine="reference"), ccmcheck.Evaluation)
first = assert_type(ev.findings[0], ccmcheck.Finding)
assert_type(first.status, ccmcheck.Status)
assert_type(ev.counts, dict[str, dict[str, int]])
au = assert_type(ccmcheck.audit(facts, "Croatia", rules=book, engine="reference"), ccmcheck.Audit)
assert_type(au.undecided, list[ccmcheck.Undecided])
assert_type(ccmcheck.matrix(facts, rules=book, engine="reference"), ccmcheck.Scorecard)
cal = assert_type(ccmcheck.deadlines(facts, states=["Croatia"], rules=book, engine="reference"), ccmcheck.Calendar)
assert_type(cal.deadlines, list[ccmcheck.Deadline])
ch = assert_type(ccmcheck.changes(facts, rules=book, engine="reference"), ccmcheck.Changes)
assert_type(ch.happened, list[ccmcheck.Change])
hi = assert_type(ccmcheck.history(facts, states=["Croatia"], rules=book, engine="reference"), ccmcheck.History)
assert_type(hi.tracks, tuple[ccmcheck.Track, ...])
rec = assert_type(ccmcheck.reconcile(facts, rules=book, engine="reference"), ccmcheck.Reconciliation)
assert_type(rec.figures, list[ccmcheck.FigureResult])
assert_type(ccmcheck.sources(facts), dict[str, ccmcheck.SourceDoc])
assert_type(ccmcheck.bundled_snapshots(), dict[str, Path])
assert_type(ccmcheck.as_date("2017-06-30"), date)
assert_type(ccmcheck.export_facts(facts, Path("/tmp/x.csv")), int)
assert_type(ccmcheck.import_facts(FACTS, "rows.csv", dry_run=True), ccmcheck.Summary)
assert_type(ccmcheck.new_snapshot("new", FACTS, date(2018, 6, 30)), ccmcheck.Rolled)
