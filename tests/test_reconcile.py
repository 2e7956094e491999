"""`reconcile` computes each published figure from the engine's findings; the
expected values come from the figures written in the snapshot, never from here."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

import ccmcheck
from ccmcheck.cli import main
from ccmcheck.yaml_io import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "2017"

FIGURES = [
    {"id": "initial", "where": "para 83", "text": "80 submitted", "value": 80, "source": "7msp#83",
     "measure": {"rules": ["art7.initial-report"], "statuses": ["met", "met_late"]}},
    {"id": "overdue", "where": "para 84", "text": "20 overdue", "value": 20, "source": "7msp#84",
     "measure": {"rules": ["art7.initial-report"], "statuses": ["overdue"]}},
    {"id": "overdue-again", "where": "para 89", "text": "22 overdue", "value": 22, "source": "7msp#89",
     "measure": {"rules": ["art7.initial-report"], "statuses": ["overdue"]}},
    {"id": "in-period", "where": "para 85", "text": "five submitted", "value": 5, "source": "7msp#85",
     "measure": {"rules": ["art7.initial-report"], "statuses": ["met", "met_late"], "changed_during_period": True}},
    {"id": "missed", "where": "para 86", "text": "four missed the deadline", "value": 4, "source": "7msp#86",
     "measure": {"rules": ["art7.initial-report"], "statuses": ["overdue"], "changed_during_period": True}},
    {"id": "to-go", "where": "para 5", "text": "another 29", "value": 29, "source": "7msp#5",
     "measure": {"shortfall": "dap.1.1.universalization"}},
    {"id": "annual", "where": "para 88", "text": "48 submitted", "value": 48, "source": "7msp#88",
     "measure": {"rules": ["art7.annual-report"], "statuses": ["met", "met_late"]}},
    {"id": "va-reports", "where": "para 44", "text": "eight submitted", "value": 8, "source": "7msp#44",
     "measure": {"rules": ["art7.annual-report"], "statuses": ["met", "met_late"], "among": "dap.4.1a.va-focal-point"}},
    {"id": "wrong", "where": "nowhere", "text": "a wrong figure", "value": 81, "source": "7msp#83",
     "measure": {"rules": ["art7.initial-report", "art17.entry-into-force"], "statuses": ["met", "met_late"]}},
    {"id": "meetings", "where": "Section II", "text": "two meetings", "value": 2, "source": "7msp#II",
     "not_computed": "counts meetings, not facts about States"},
]


def _snapshot(tmp_path: Path, figures: list[dict] = FIGURES) -> Path:
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    snap = read_yaml(facts / "snapshot.yaml")
    snap["published"], snap["contradictions"] = figures, []
    (facts / "snapshot.yaml").write_text(yaml.safe_dump(snap, allow_unicode=True), encoding="utf-8")
    return facts


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    r = ccmcheck.reconcile(_snapshot(tmp_path_factory.mktemp("r")))
    return {f.id: f for f in r.figures}


def test_exact_figures_match(result: dict) -> None:
    for fid in ("initial", "in-period", "missed", "to-go", "va-reports"):
        assert result[fid].verdict == "match", result[fid]
    assert set(result["in-period"].counted) == {"Colombia", "Cuba", "Honduras", "Mauritius", "Niger"}
    assert set(result["missed"].counted) == {"Iceland", "Rwanda", "Somalia", "Palau"}


def test_unknown_facts_give_a_range(result: dict) -> None:
    f = result["annual"]
    assert f.verdict == "undetermined" and f.low < 48 < f.high and len(f.possible) == f.high - f.low


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory: pytest.TempPathFactory) -> ccmcheck.Reconciliation:
    return ccmcheck.reconcile(_snapshot(tmp_path_factory.mktemp("c")))


def test_two_figures_for_one_measure_contradict(result: dict, reconciled: ccmcheck.Reconciliation) -> None:
    # 20 and 22 are published for one measure on one date: the one the facts give is a match, the other is not
    assert result["overdue"].low == result["overdue"].high == 20
    assert (result["overdue"].verdict, result["overdue-again"].verdict) == ("match", "contradiction")
    assert "overdue-again" in result["overdue"].note and "overdue" in result["overdue-again"].note
    # ... and the disagreement is reported once, naming the figure the facts support
    [c] = [c for c in reconciled.contradictions if "overdue" in c.figures]
    assert (c.figures, c.supported) == (["overdue", "overdue-again"], ["overdue"])
    assert c.source == "7msp#84; 7msp#89" and "2017-06-30" in c.note


def test_a_figure_is_computed_on_the_date_it_describes(tmp_path: Path) -> None:
    # The same measure published for two dates is no contradiction: each is computed on its own date.
    when = "2016-06-30"
    earlier = ccmcheck.evaluate(FACTS, as_of=when).counts["art7.initial-report"]
    then = sum(earlier.get(s, 0) for s in ("met", "met_late"))
    assert then != 80  # the figures differ, so the dates matter
    figures = [FIGURES[0], {**copy.deepcopy(FIGURES[0]), "id": "initial-then", "value": then, "as_of": when}]
    r = {f.id: f for f in ccmcheck.reconcile(_snapshot(tmp_path, figures)).figures}
    assert (r["initial-then"].as_of, r["initial-then"].verdict, r["initial-then"].low) == (when, "match", then)
    assert (r["initial"].as_of, r["initial"].verdict) == ("2017-06-30", "match")
    assert not ccmcheck.reconcile(_snapshot(tmp_path / "again", figures)).contradictions


def test_mismatch_and_not_computed(result: dict) -> None:
    assert result["wrong"].verdict == "mismatch" and result["wrong"].low == 100  # union: 80 reports, 100 in force
    assert result["meetings"].verdict == "not_computed" and result["meetings"].low is None


def test_changing_one_fact_moves_the_count(tmp_path: Path) -> None:
    facts = _snapshot(tmp_path, FIGURES[:2])
    togo = facts / "states" / "togo.yaml"
    togo.write_text(togo.read_text(encoding="utf-8").replace(
        'initial_report: {status: not_done, checked_on: 2017-06-30, source: "7msp#84"}',
        'initial_report: {status: done, on: 2017-01-10, source: "7msp#84"}'), encoding="utf-8")
    r = {f.id: f for f in ccmcheck.reconcile(facts).figures}
    assert (r["initial"].low, r["initial"].verdict) == (81, "mismatch")
    assert (r["overdue"].low, r["overdue"].verdict) == (19, "mismatch")


def test_a_measure_naming_no_rule_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = [{**FIGURES[0], "measure": {"rules": ["art7.no-such-rule"], "statuses": ["met"]}}]
    assert main(["reconcile", str(_snapshot(tmp_path, bad))]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "snapshot.yaml: initial: measure.rules: no rule 'art7.no-such-rule'" in err


def test_cli_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = _snapshot(tmp_path)
    for fmt in ("table", "json", "markdown"):
        assert main(["reconcile", str(facts), "--format", fmt]) == 0
        assert "overdue-again" in capsys.readouterr().out


@pytest.fixture(scope="module")
def figures_2017() -> dict:
    return {f.id: f for f in ccmcheck.reconcile(FACTS).figures}


def test_2017_no_figure_is_contradicted_by_the_facts(figures_2017: dict) -> None:
    # Every published figure is reproduced or explained; the values come from snapshot.yaml.
    assert not [f.id for f in figures_2017.values() if f.verdict == "mismatch"]
    for f in figures_2017.values():
        if f.verdict == "undetermined":
            assert f.low <= f.published <= f.high and f.possible, f
        if f.verdict == "not_computed":
            assert f.note, f"{f.id} says no reason"


def test_2017_section_ii_is_covered(figures_2017: dict) -> None:
    section_ii = [f for f in figures_2017.values() if f.id.startswith("II.")]
    assert len(section_ii) >= 30
    assert {f.verdict for f in section_ii} <= {"match", "undetermined", "contradiction", "not_computed"}


@pytest.mark.parametrize("fid", ["para18", "para28", "para43", "para52.of", "para53", "para84", "para85.submitted",
                                 "para86", "II.universalization.a.total", "para3.signatories", "para5.to-go"])
def test_2017_spot_checks(figures_2017: dict, fid: str) -> None:
    f = figures_2017[fid]
    assert f.low <= f.published <= f.high and f.verdict in ("match", "undetermined"), f


def test_markdown_shows_markup_from_the_facts_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a figure's words come from a document: Markdown must show them, never run them
    bad = {**copy.deepcopy(FIGURES[0]), "text": "80 <script>alert(1)</script> [here](javascript:alert(1))",
           "note": "see <javascript:alert(2)>"}
    assert main(["reconcile", str(_snapshot(tmp_path, [bad])), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    import re
    assert not re.search(r"(?<!\\)(<script>|\]\(javascript:|<javascript:)", out)  # none unescaped
    assert "\\<script>alert(1)\\</script> [here\\](javascript:alert(1))" in out  # escaped, still readable
