"""Named populations and validity windows (issue 8): each population is written once,
rules name it, and the Dubrovnik Action Plan's rules give no finding outside its window."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel

import ccmcheck
from ccmcheck.cli import main
from ccmcheck.rules.loader import default_rules_dir, rule_files
from ccmcheck.rules.model import Leaf, Not, Rule
from ccmcheck.rules.populations import load_populations
from ccmcheck.yaml_io import read_yaml

RULES = default_rules_dir()
FACTS = Path(__file__).resolve().parent.parent / "facts" / "2017"


def _leaves(obj: object) -> list[object]:
    """Every fact test (a leaf, or a `not` of one) inside a parsed rule or population."""
    if isinstance(obj, (Leaf, Not)):
        return [obj]
    if isinstance(obj, BaseModel):
        return [x for name in type(obj).model_fields for x in _leaves(getattr(obj, name))]
    if isinstance(obj, (list, tuple)):
        return [x for v in obj for x in _leaves(v)]
    return []


def test_no_rule_repeats_a_population_condition() -> None:
    pops = load_populations(RULES).named
    defined = {repr(leaf): name for name, pop in pops.items() for leaf in _leaves(pop.when)}
    for f in rule_files(RULES):
        rule = Rule.model_validate(read_yaml(f))
        repeated = [f"{repr(x)} (population {defined[repr(x)]})" for x in _leaves(rule) if repr(x) in defined]
        assert not repeated, f"{f.relative_to(RULES)} repeats {repeated}"


def test_rules_name_populations() -> None:
    naming = [f for f in rule_files(RULES) if "population:" in f.read_text(encoding="utf-8")]
    assert len(naming) >= 30, len(naming)
    book = ccmcheck.load_rules(RULES)
    assert book.uses["dap.4.1.new-victims"] == ["art5-victims"]
    assert book.uses["art3.stockpile-destruction"] == ["art3-obligated"]


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_no_dap_finding_outside_the_action_plan(engine: str) -> None:
    inside = ccmcheck.evaluate(FACTS, date(2020, 12, 31), engine=engine)
    assert any(f.rule.startswith("dap.") for f in inside.findings)
    for day in (date(2024, 6, 30), date(2021, 1, 1), date(2015, 9, 10)):
        ev = ccmcheck.evaluate(FACTS, day, engine=engine)
        assert not [f for f in ev.findings if f.rule.startswith("dap.")], day
        assert any(f.rule.startswith("art7.") for f in ev.findings)  # the Convention's rules still apply


def test_audit_explain_names_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(FACTS), "Croatia", "--as-of", "2024-06-30", "--explain"]) == 0
    out = capsys.readouterr().out
    para = re.search(r"^  dap\.4\.1\.new-victims .*(?:\n    .*)*", out, re.M)  # its paragraph, wrapped
    assert para is not None
    line = " ".join(para.group(0).split())
    assert "no finding on 2024-06-30: the Dubrovnik Action Plan (First to Second Review Conference), " \
           "in force from 2015-09-11 until 2020-12-31" in line
    assert main(["audit", str(FACTS), "Croatia", "--as-of", "2024-06-30", "--format", "json"]) == 0
    gone = {o["rule"] for o in json.loads(capsys.readouterr().out)["out_of_force"]}
    assert gone == {r.id for r in ccmcheck.load_rules(RULES).rules if r.id.startswith("dap.")}


def test_counts_have_each_kinds_statuses() -> None:
    counts = ccmcheck.evaluate(FACTS).counts
    assert counts["dap.2.1.stockpile-progress"] == {"reported": 8, "not_reported": 2, "unknown": 0}
    assert counts["art15.signatory-only"] == {"holds": 18, "unknown": 0}
    assert list(counts["art7.initial-report"]) == ["met", "met_late", "overdue", "pending", "unknown"]


def test_art17_explains_which_paragraph_decided() -> None:
    # Croatia (deposit 17 Aug 2009, among the first thirty): the exception, Art. 17(1).
    # Madagascar (deposit 20 May 2017): the general rule, Art. 17(2).
    first = ccmcheck.audit(FACTS, "Croatia")
    (eif,) = [f for f in first.findings if f.rule == "art17.entry-into-force"]
    assert (eif.due, eif.source) == (date(2010, 8, 1), "CCM Art. 17(1)-(2)")
    assert any("CCM Art. 17(2) gives 2010-02-01; the exception applies (CCM Art. 17(1):" in x for x in eif.explain)
    later = ccmcheck.audit(FACTS, "Madagascar")
    (eif,) = [f for f in later.findings if f.rule == "art17.entry-into-force"]
    assert eif.due == date(2017, 11, 1)
    assert any("CCM Art. 17(2) gives 2017-11-01; the exception (CCM Art. 17(1)) does not move it" in x for x in eif.explain)
