"""Runs the rule test cases that sit beside each rule (`rules/**/*.cases.yaml`),
and the population cases beside `rules/populations.yaml`.

A case is data a rule author can write without Python: a State in the facts
format, an as-of date, the findings expected (for a population: the populations
the State is and is not in). Each case runs on both engines.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import shutil

import pytest
import yaml

import ccmcheck
from ccmcheck.rules.loader import CASES_SUFFIX, default_rules_dir
from ccmcheck.rules.populations import POPULATIONS_FILE, load_populations
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


POPULATION_CASES = RULES / POPULATIONS_FILE.replace(".yaml", CASES_SUFFIX)


def _cases() -> list[Any]:
    out = []
    for f in sorted(p for p in RULES.rglob(f"*{CASES_SUFFIX}") if p != POPULATION_CASES):
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


def _population_cases() -> list[Any]:
    return [pytest.param(case, id=f"{POPULATION_CASES.name}::{i}:{case['name']}")
            for i, case in enumerate(read_yaml(POPULATION_CASES))]


@pytest.fixture(scope="module")
def probe_rules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per population, a small rules folder: the populations, the derived dates they
    build on, and one Convention-wide count whose States are the population's members
    (outside its window, none). Small books: one with every rule and every probe is
    more than durable-rules' stack allows (error 303)."""
    named = load_populations(RULES).named
    derived = [f for f in RULES.rglob("*.yaml") if "kind: derived-date" in f.read_text(encoding="utf-8")]
    out = {}
    for name, pop in named.items():
        if pop.when is None:
            continue  # a window only: no States of its own to count
        root = tmp_path_factory.mktemp(f"probe-{name}")
        shutil.copy(RULES / POPULATIONS_FILE, root / POPULATIONS_FILE)
        for f in derived:
            shutil.copy(f, root / f.name)
        probe = {"id": f"probe.{name}", "title": f"members of {name}", "kind": "convention-target",
                 "source": {"instrument": "CCM", "provision": "populations.yaml", "text": pop.source},
                 # a Convention fact every State's records carry, so that a population of only
                 # absences (not-withdrawn) still has a fact to match
                 "counts": {"all": [{"population": name}, {"fact": "convention.opened_for_signature"}]},
                 "target": 1, "deadline": {"on": "2100-01-01"}, "doc": {"checks": "-", "example": "-", "limits": "-"}}
        (root / "probe.yaml").write_text(yaml.safe_dump(probe), encoding="utf-8")
        out[name] = root
    return out


@pytest.mark.parametrize("engine", ["durable", "reference"])
@pytest.mark.parametrize("case", _population_cases())
def test_population_case(case: dict[str, Any], engine: str, probe_rules: dict[str, Path], tmp_path: Path) -> None:
    facts = _write_snapshot(tmp_path, case)
    iso3 = case["state"]["iso3"]
    assert case.get("members") or case.get("not_members"), "a case must expect something"
    for name in case.get("members", []) + case.get("not_members", []):
        assert name in probe_rules, f"no population {name!r} with conditions"
        counted = ccmcheck.evaluate(facts, rules=probe_rules[name], engine=engine).tallies.get(f"probe.{name}", [])
        want = name in case.get("members", [])
        assert (iso3 in counted) == want, f"{iso3} {'not ' if want else ''}in {name}, expected the opposite"


def test_every_population_has_cases() -> None:
    named = {n for n, p in load_populations(RULES).named.items() if p.when is not None}
    covered = {n for p in _population_cases() for n in p.values[0].get("members", [])}
    assert named <= covered, f"populations no case shows a member of: {sorted(named - covered)}"
