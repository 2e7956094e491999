"""`changes` (the report's "during reporting period" column) and `audit --explain`."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import ccmcheck
from ccmcheck.cli import main

FACTS = Path(__file__).resolve().parent.parent / "facts" / "2017"


@pytest.fixture(scope="module")
def fb() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS)


def test_changes_during_the_2017_period(fb: ccmcheck.FactBase) -> None:
    c = {(ch.rule, ch.state): (ch.before, ch.after) for ch in ccmcheck.changes(fb).changes}
    assert c[("art17.entry-into-force", "Madagascar")] == (None, "pending")  # para 3: joined
    assert c[("art3.stockpile-destruction", "France")] == ("pending", "met")  # para 17
    assert c[("art4.clearance", "Mozambique")] == ("pending", "met")  # para 29
    missed = {s for (r, s), (b, a) in c.items() if r == "art7.initial-report" and a == "overdue"}
    assert missed == {"Iceland", "Rwanda", "Somalia", "Palau"}  # para 86
    submitted = {s for (r, s), (b, a) in c.items() if r == "art7.initial-report" and a in ("met", "met_late")}
    assert submitted == {"Colombia", "Cuba", "Honduras", "Mauritius", "Niger"}  # para 85


def test_changes_between_two_snapshots(tmp_path: Path, fb: ccmcheck.FactBase) -> None:
    newer = tmp_path / "facts"
    shutil.copytree(FACTS, newer)
    togo = newer / "states" / "togo.yaml"
    togo.write_text(togo.read_text(encoding="utf-8").replace(
        'initial_report: {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}',
        'initial_report: {status: done, on: 2017-06-01, source: "7msp#84"}'), encoding="utf-8")
    c = ccmcheck.changes(fb, newer).changes
    assert [(ch.rule, ch.state, ch.before, ch.after) for ch in c if ch.rule == "art7.initial-report"] == \
        [("art7.initial-report", "Togo", "overdue", "met_late")]


def test_explain_walks_from_deposit_to_status(fb: ccmcheck.FactBase) -> None:
    (f,) = [f for f in ccmcheck.audit(fb, "Guinea-Bissau").findings if f.rule == "art7.initial-report"]
    text = "\n".join(f.explain)
    for piece in ("CCM Art. 7(1)", "treaty.deposit: 2010-11-29", "2011-05-01", "2011-10-28 = art17.entry-into-force",
                  "not done as of 2017-06-30 [7msp#84]", "status overdue"):
        assert piece in text, piece


def test_explain_for_unknown_names_the_deciding_fact(fb: ccmcheck.FactBase) -> None:
    (f,) = [f for f in ccmcheck.audit(fb, "Chad").findings if f.rule == "dap.4.1a.va-focal-point"]
    assert f.status == "unknown" and f.explain[-1] == "would be decided by: article5.va_focal_point"


def test_explain_only_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(FACTS), "GNB", "--format", "json"]) == 0
    assert '"explain"' not in capsys.readouterr().out
    assert main(["audit", str(FACTS), "GNB", "--format", "json", "--explain"]) == 0
    assert '"explain"' in capsys.readouterr().out
    assert main(["changes", str(FACTS), "--from", "2016-06-30", "--to", str(date(2017, 6, 30))]) == 0
    assert "Madagascar" in capsys.readouterr().out
