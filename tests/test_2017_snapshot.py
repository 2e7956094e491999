"""The issue's acceptance checks on the bundled 2017 snapshot, against the figures
the 7MSP progress report publishes (cited by paragraph)."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import ccmcheck
from ccmcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts" / "2017"

# 7MSP report para 84, spelled as the report spells them (names resolve through aliases).
PARA_84 = ["Belize", "Bolivia", "Cape Verde", "Comoros", "Congo", "Cook Islands", "Dominic Republic", "Fiji",
           "Guinea", "Guinea Bissau", "Guyana", "Iceland", "Nauru", "Palau", "Rwanda", "Somalia", "South Africa",
           "State of Palestine", "Togo", "Tunisia"]


@pytest.fixture(scope="module")
def fb() -> ccmcheck.FactBase:
    return ccmcheck.load_facts(FACTS)


@pytest.fixture(scope="module")
def ev(fb: ccmcheck.FactBase) -> ccmcheck.Evaluation:
    return ccmcheck.evaluate(fb)


def _states(ev: ccmcheck.Evaluation, rule: str, *statuses: str) -> set[str]:
    return {f.iso3 for f in ev.findings if f.rule == rule and f.status in statuses}  # type: ignore[misc]


def test_snapshot_holds_the_states_that_had_joined(fb: ccmcheck.FactBase, ev: ccmcheck.Evaluation) -> None:
    # para 3: 119 States had joined by 30 Jun 2017, 101 States Parties and 18 signatories.
    assert len(fb.states) == 119
    parties = {f.iso3 for f in ev.findings if f.rule == "art17.entry-into-force"}
    assert len(parties) == 101 and len(fb.states) - len(parties) == 18


def test_initial_reports_match_paras_83_84(fb: ccmcheck.FactBase, ev: ccmcheck.Evaluation) -> None:
    c = ev.counts["art7.initial-report"]
    assert c["met"] + c["met_late"] == 80  # para 83
    assert _states(ev, "art7.initial-report", "overdue") == {fb.find(n).iso3 for n in PARA_84}
    assert c["unknown"] == 0


def test_madagascar_owes_nothing_yet(ev: ccmcheck.Evaluation) -> None:
    mdg = {f.rule: f for f in ev.findings if f.iso3 == "MDG"}
    assert mdg["art17.entry-into-force"].status == "pending" and mdg["art17.entry-into-force"].due == date(2017, 11, 1)
    assert mdg["art7.initial-report"].status == "pending"
    assert mdg["art7.initial-report"].due == date(2018, 4, 30)  # para 87


def test_late_and_ahead_of_deadline_in_the_period(fb: ccmcheck.FactBase, ev: ccmcheck.Evaluation) -> None:
    # para 85: Honduras and Niger late; para 89: both were overdue before.
    assert _states(ev, "art7.initial-report", "met_late") == {fb.find("Honduras").iso3, fb.find("Niger").iso3}


def test_universalization_101_of_130(ev: ccmcheck.Evaluation) -> None:
    (f,) = [f for f in ev.findings if f.rule == "dap.1.1.universalization"]
    assert f.status == "pending" and f.iso3 is None
    assert "101 of the 130" in f.explanation and "29 to go" in f.explanation  # paras 3 and 5


def test_va_focal_point_paras_52_53(fb: ccmcheck.FactBase, ev: ccmcheck.Evaluation) -> None:
    assert len(_states(ev, "dap.4.1a.va-focal-point", "met")) == 6
    assert _states(ev, "dap.4.1a.va-focal-point", "overdue") == {fb.find("Guinea Bissau").iso3, fb.find("Sierra Leone").iso3}


# Corrections from an audit of the facts against the report text (issue 8, item 7).
PARA_56_WRITTEN_TO = ["Afghanistan", "Albania", "Chad", "Croatia", "Iraq", "Lebanon"]
PARA_56_NOT_ASKED = ["Bosnia and Herzegovina", "Guinea-Bissau", "Lao People's Democratic Republic", "Sierra Leone"]
PARA_54_PLAN_INFORMATION = ["Albania", "Bosnia and Herzegovina", "Croatia", "Lao People's Democratic Republic", "Lebanon"]
PARA_71 = ["Australia", "Belgium", "Czech Republic", "Denmark", "France", "Germany", "Italy", "Japan", "Liechtenstein",
           "New Zealand", "Netherlands", "Norway", "Spain", "Sweden", "Switzerland", "United Kingdom"]


def test_va_feedback_unknown_for_states_not_written_to(fb: ccmcheck.FactBase, ev: ccmcheck.Evaluation) -> None:
    # para 56: the Coordinators wrote to six States; those not asked neither gave nor withheld feedback.
    found = {f.iso3: f for f in ev.findings if f.rule == "dap.4.3.va-feedback"}
    for name in PARA_56_NOT_ASKED:
        f = found[fb.find(name).iso3]
        assert f.status == "unknown" and f.missing == ["reported.va_feedback"], f
    assert all(found[fb.find(name).iso3].status != "unknown" for name in PARA_56_WRITTEN_TO)


def test_information_on_a_plan_is_not_a_plan(fb: ccmcheck.FactBase) -> None:
    # para 54: these States "provided information on" a national plan, which does not say one exists.
    for as_of, status in ((date(2017, 6, 30), "pending"), (date(2019, 6, 30), "unknown")):
        found = {f.iso3: f.status for f in ccmcheck.evaluate(fb, as_of, rule_ids=["dap.4.1b.va-national-plan"]).findings}
        assert {found[fb.find(name).iso3] for name in PARA_54_PLAN_INFORMATION} == {status}, as_of


def test_table4_feedback_agrees_with_para56(fb: ccmcheck.FactBase) -> None:
    # Table 4's two are the replies from the six written to (para 56); Montenegro's feedback was not asked for.
    figures = {f.id: f for f in ccmcheck.reconcile(fb).figures}
    assert figures["table4.feedback"].verdict == "not_computed" and "six" in figures["table4.feedback"].note
    assert not [c for c in fb.snapshot.contradictions if "table4.feedback" in c.figures]
    para56 = figures["para56"]
    assert para56.verdict == "undetermined" and para56.counted == ["Albania", "Croatia", "Montenegro"]
    assert para56.possible == sorted(PARA_56_NOT_ASKED)


def test_para_71_providers_cite_section_ii_for_their_2016_report(fb: ccmcheck.FactBase, ev: ccmcheck.Evaluation) -> None:
    # Section II, Cooperation (b): they reported it "through their 2016 Article 7 report".
    found = {f.iso3: f for f in ev.findings if f.rule == "art7.annual-report"}
    for name in PARA_71:
        assert "7msp#II" in found[fb.find(name).iso3].explanation, name


def test_croatia_audit(fb: ccmcheck.FactBase) -> None:
    a = ccmcheck.audit(fb, "croatia")
    due = {f.rule: f.due for f in a.findings}
    assert due["art17.entry-into-force"] == date(2010, 8, 1)
    assert due["art7.initial-report"] == date(2011, 1, 28)
    assert due["art3.stockpile-destruction"] == date(2018, 8, 1)
    assert due["art4.clearance"] == date(2020, 8, 1)


def test_guinea_bissau_stockpile_falls_overdue(fb: ccmcheck.FactBase) -> None:
    now = {f.rule: f for f in ccmcheck.audit(fb, "GNB").findings}
    assert now["art7.initial-report"].due == date(2011, 10, 28) and now["art7.initial-report"].status == "overdue"
    assert now["art3.stockpile-destruction"].due == date(2019, 5, 1)
    assert now["art3.stockpile-destruction"].status == "pending"
    later = {f.rule: f for f in ccmcheck.audit(fb, "Guinea-Bissau", date(2019, 6, 1)).findings}
    assert later["art3.stockpile-destruction"].status == "overdue"


def test_no_finding_defaults_without_a_fact(ev: ccmcheck.Evaluation) -> None:
    for f in ev.findings:
        if f.status == "unknown":
            assert f.missing, f
        if f.status in ("overdue", "met", "met_late") and f.iso3:
            assert "[" in f.explanation, f"{f.rule} {f.state}: explanation cites no fact source"


def test_state_filter_and_rule_filter(fb: ccmcheck.FactBase) -> None:
    ev = ccmcheck.evaluate(fb, states=["Croatia", "chile"], rule_ids=["art4.clearance"])
    assert [(f.state, f.rule) for f in ev.findings] == [("Chile", "art4.clearance"), ("Croatia", "art4.clearance")]
    assert list(ev.counts) == ["art4.clearance"]


def test_cli_evaluate_json_is_the_library_contract(fb: ccmcheck.FactBase, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(FACTS), "--format", "json"]) == 0
    assert capsys.readouterr().out == ccmcheck.evaluate(fb).to_json()


def test_cli_audit_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(FACTS), "Croatia"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Croatia (HRV): State Party")
    for d in ("2010-08-01", "2011-01-28", "2018-08-01", "2020-08-01"):
        assert d in out


def test_cli_unknown_state_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(FACTS), "Croatiaa"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "did you mean 'Croatia'" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_cli_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(FACTS), "--format", fmt, "--rule", "art7.initial-report"]) == 0
    out = capsys.readouterr().out
    assert "Guinea-Bissau" in out and "overdue" in out


def test_adding_a_rule_is_a_yaml_change_only(tmp_path: Path, fb: ccmcheck.FactBase) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "ccm" / "art3" / "retention-report.yaml").write_text("""
id: art3.retention-report
title: Report on retained cluster munitions by 30 April
source: {instrument: CCM, provision: "Art. 3(8)", text: "no later than 30 April of the following year"}
applies_when:
  all:
    - fact: article3.stockpile_at_eif
      is: "yes"
    - fact: art17.entry-into-force
deadline: {annually: {month: 4, day: 30}}
met_by: {fact: article7.annual_report, key: occurrence}
doc: {checks: "a test rule", example: "none", limits: "a test rule"}
""", encoding="utf-8")
    ev = ccmcheck.evaluate(fb, rules=rules)
    assert ev.counts["art3.retention-report"]["met"] >= 1
    assert {f.iso3 for f in ev.findings if f.rule == "art3.retention-report"} == \
        {f.iso3 for f in ev.findings if f.rule == "art3.stockpile-destruction"}


def test_loading_order_does_not_matter(tmp_path: Path, fb: ccmcheck.FactBase) -> None:
    shuffled = tmp_path / "facts"
    shutil.copytree(FACTS, shuffled)
    for i, f in enumerate(sorted((shuffled / "states").glob("*.yaml"), reverse=True)):
        f.rename(f.with_name(f"{i:03d}.yaml"))
    assert ccmcheck.evaluate(shuffled).to_json() == ccmcheck.evaluate(fb).to_json()
