"""Runs the rule test cases that sit beside each rule (`rules/**/*.cases.yaml`).

A case is data a rule author can write without Python: a State in the facts
format, an as-of date, the findings expected. Each case runs on both engines.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import ccmcheck
from ccmcheck.rules.loader import CASES_SUFFIX, default_rules_dir
from ccmcheck.yaml_io import read_yaml

RULES = default_rules_dir()
CASE_FIELDS = {"state", "iso3", "rule", "status", "due", "met_on", "source", "explanation", "missing"}
SNAPSHOT = {
    "title": "rule case",
    "as_of": None,
    "period": {"start": "2008-12-03", "end": None},
    "sources": {"case": {"title": "a rule test case", "where": "rules/**/*.cases.yaml"}},
    "convention": {
        "opened_for_signature": {"on": "2008-12-03", "source": "case#"},
        "entry_into_force": {"on": "2010-08-01", "source": "case#"},
    },
}


def _cases() -> list[Any]:
    out = []
    for f in sorted(RULES.rglob(f"*{CASES_SUFFIX}")):
        for i, case in enumerate(read_yaml(f)):  # ccmcheck's reader: `on:` is a key, not True
            out.append(pytest.param(case, id=f"{f.relative_to(RULES)}::{i}:{case['name']}"))
    return out


def _as_text(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _write_snapshot(tmp: Path, case: dict[str, Any]) -> Path:
    as_of = _as_text(case["as_of"])
    snap = {**SNAPSHOT, "as_of": as_of, "period": {"start": "2008-12-03", "end": as_of}}
    (tmp / "states").mkdir()
    (tmp / "snapshot.yaml").write_text(yaml.safe_dump(snap), encoding="utf-8")
    (tmp / "states" / "case.yaml").write_text(yaml.safe_dump(case["state"], allow_unicode=True), encoding="utf-8")
    return tmp


@pytest.mark.parametrize("engine", ["durable", "reference"])
@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: dict[str, Any], engine: str, tmp_path: Path) -> None:
    facts = _write_snapshot(tmp_path, case)
    ev = ccmcheck.evaluate(facts, rules=RULES, engine=engine)
    by_rule = {f.rule: f for f in ev.findings}
    for rid in case.get("absent", []):
        assert rid not in by_rule, f"{rid} should not apply: {by_rule.get(rid)}"
    for exp in case.get("expect", []):
        assert exp["rule"] in by_rule, f"no finding for {exp['rule']}; got {sorted(by_rule)}"
        got = by_rule[exp["rule"]].model_dump(mode="json")
        for key, want in exp.items():
            if key == "explanation_contains":
                assert want in got["explanation"], got["explanation"]
            elif key != "rule":
                assert key in CASE_FIELDS, f"unknown case field {key!r}"
                assert got[key] == _as_text(want), f"{exp['rule']}.{key}: {got[key]!r} != {want!r} ({got['explanation']})"
    assert case.get("expect") or case.get("absent"), "a case must expect something"


def test_every_rule_has_cases() -> None:
    covered = {exp["rule"] for p in _cases() for exp in p.values[0].get("expect", [])}
    assert covered == {r.id for r in ccmcheck.load_rules(RULES).rules}
