"""Issue 9, item 1: from the day a withdrawal takes effect (Art. 20(2)) a State owes
nothing new, in every rule at once (the withdrawal is tested once, through the
populations built on art17.entry-into-force), and the counts stay consistent."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ccmcheck.cli import main

FACTS = Path(__file__).resolve().parent.parent / "facts" / "2017"


def _withdrawn(tmp_path: Path, effective: str) -> Path:
    """facts/2017 with Croatia (stockpiles, contamination, victims) withdrawn from `effective`."""
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    f = facts / "states" / "croatia.yaml"
    text = f.read_text(encoding="utf-8")
    deposit = "  deposit: {on: 2009-08-17, kind: ratification, source: untc}\n"
    assert deposit in text
    f.write_text(text.replace(deposit, deposit + f"  withdrawal: {{on: {effective}, source: \"legal#Art. 20\"}}\n"),
                 encoding="utf-8")
    return facts


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_withdrawn_state_owes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    facts = _withdrawn(tmp_path, "2018-01-01")
    before = _run(capsys, "audit", str(facts), "Croatia", "--as-of", "2017-06-30", "--format", "json", "--engine", engine)
    assert {"art3.stockpile-destruction", "art4.clearance", "dap.4.1.va-challenges"} <= {f["rule"] for f in before["findings"]}
    after = _run(capsys, "audit", str(facts), "Croatia", "--as-of", "2019-06-01", "--format", "json", "--engine", engine)
    assert after["standing"] == "withdrew (effective 2018-01-01)"
    assert after["findings"] == []  # no art3, art4, art7 or DAP finding, so nothing overdue
    assert after["undecided"] == []


def test_withdrawal_keeps_the_universalization_counts_consistent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Withdrawn before the snapshot's as-of date: one State Party fewer, one more needed for 130.
    facts = _withdrawn(tmp_path, "2017-01-01")
    figures = {f["id"]: f for f in _run(capsys, "reconcile", str(facts), "--format", "json")["figures"]}
    total, needed = figures["II.universalization.a.total"], figures["II.universalization.b"]
    assert (total["low"], total["high"], needed["low"]) == (100, 100, 30)
    assert "Croatia" not in total["counted"]
