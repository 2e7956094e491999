"""JSON Schemas for editors (ccmcheck/outputs/schemas.py, docs/schemas/, .vscode/settings.json).

Files are read as ccmcheck reads them (dates stay strings) and then passed through JSON,
as an editor's YAML language server sees them (keys become strings); dates are
checked with jsonschema's FormatChecker, as `format: date`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from ccmcheck.cli import main
from ccmcheck.outputs.schemas import KINDS, schema, text
from ccmcheck.rules.loader import CASES_SUFFIX, rule_files
from ccmcheck.yaml_io import read_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schemas"
FACTS = ROOT / "facts" / "2017"
CORPUS = ROOT / "tests" / "bad_input"
# The corpus cases whose problem a schema can see (the others are YAML errors, or checks
# across fields, files or rules that only `ccmcheck validate` makes).
SCHEMA_CASES = ["facts-empty-state-file", "facts-flag-yes-string", "facts-impossible-date", "facts-missing-required-field",
                "facts-snapshot-missing-as-of", "facts-top-level-list", "facts-unknown-field", "facts-wrong-type",
                "rules-bad-period", "rules-no-citation", "rules-top-level-list", "rules-unknown-key"]


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema(kind))
    return jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())


def _as_editor_sees(path: Path) -> object:
    return json.loads(json.dumps(read_yaml(path)))


def _kind(path: Path) -> str:
    return "snapshot" if path.name == "snapshot.yaml" else "facts" if path.parent.name == "states" else "rules"


def _errors(kind: str, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(kind).iter_errors(data)]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_docs_schemas_are_what_the_models_generate(kind: str) -> None:
    on_disk = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert on_disk == text(kind), f"regenerate: ccmcheck schema {kind} > docs/schemas/{kind}.schema.json"


def test_the_schema_command_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "facts"]) == 0
    assert json.loads(capsys.readouterr().out) == schema("facts")


@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
def test_every_file_of_the_2017_facts_and_every_rule_validates() -> None:
    files = [FACTS / "snapshot.yaml", *sorted((FACTS / "states").glob("*.yaml")), *rule_files(ROOT / "rules")]
    assert len(files) > 150
    bad = {str(f.relative_to(ROOT)): errs for f in files if (errs := _errors(_kind(f), _as_editor_sees(f)))}
    assert bad == {}


def test_findings_json_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(FACTS), "--format", "json", "--state", "Croatia"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] and _errors("findings", doc) == []
    doc["findings"][0]["status"] = "late"
    assert _errors("findings", doc)


@pytest.mark.parametrize("case", SCHEMA_CASES)
def test_the_schema_rejects_the_corpus_cases_that_are_schema_errors(case: str) -> None:
    files = [p for p in (CORPUS / case).rglob("*.yaml") if p.name != "expect.yaml" and not p.name.endswith(CASES_SUFFIX)]
    assert any(_errors(_kind(f), _as_editor_sees(f)) for f in files)


def test_a_misspelt_key_and_a_bad_date_are_flagged() -> None:
    croatia = _as_editor_sees(FACTS / "states" / "croatia.yaml")
    assert isinstance(croatia, dict)
    croatia["article7"]["anual_reports"] = croatia["article7"].pop("annual_reports")
    assert _errors("facts", croatia) == ["article7: Additional properties are not allowed ('anual_reports' was unexpected)"]
    croatia = _as_editor_sees(FACTS / "states" / "croatia.yaml")
    croatia["treaty"]["deposit"]["on"] = "17/08/2009"  # type: ignore[index]
    assert _errors("facts", croatia)
    croatia["treaty"]["deposit"]["on"] = "2009-02-30"  # type: ignore[index]
    assert _errors("facts", croatia)


def test_fields_carry_descriptions_for_the_editor() -> None:
    defs = schema("facts")["$defs"]
    assert "Art. 7(1)" in defs["Article7"]["properties"]["initial_report"]["description"]
    assert "DOC#locator" in defs["Event"]["properties"]["source"]["description"]


# --- the editor setting: every file is mapped to its schema, and no other file is ---

def _glob_regex(glob: str) -> re.Pattern[str]:
    """A workspace-relative glob as the YAML language server reads it: ** any folders, * within one."""
    out = re.escape(glob).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.compile(out + r"\Z")


def _schemas_for(rel: str, mapping: dict[str, list[str]]) -> list[str]:
    """The schemas a file gets: those with a matching pattern whose last match is not an
    exclusion (`!pattern`), as vscode-json-languageservice's fileMatch works."""
    out = []
    for schema_path, globs in mapping.items():
        last = None
        for g in globs:
            if _glob_regex(g.lstrip("!")).match(rel):
                last = g
        if last is not None and not last.startswith("!"):
            out.append(schema_path)
    return out


def test_the_editor_setting_maps_every_file_to_its_schema() -> None:
    mapping = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert {Path(p).name for p in mapping} == {f"{k}.schema.json" for k in ("facts", "snapshot", "rules")}
    for p in mapping:
        assert (ROOT / p).is_file(), p
    rules = set(rule_files(ROOT / "rules"))
    every_yaml = [*ROOT.glob("facts/**/*.yaml"), *ROOT.glob("rules/**/*.yaml")]
    for f in every_yaml:
        rel = f.relative_to(ROOT).as_posix()
        got = [Path(s).name for s in _schemas_for(rel, mapping)]
        if f.parent.parent.parent == ROOT / "facts" and f.parent.name == "states":
            assert got == ["facts.schema.json"], rel
        elif f.parent.parent == ROOT / "facts" and f.name == "snapshot.yaml":
            assert got == ["snapshot.schema.json"], rel
        elif f in rules:
            assert got == ["rules.schema.json"], rel
        else:
            assert got == [], rel  # rule cases, and anything else, are not held to a schema
    assert any(p.name.endswith(CASES_SUFFIX) for p in every_yaml)


def test_the_docs_show_the_editor_setting_as_it_is() -> None:
    setting = (ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert setting in (ROOT / "docs" / "facts-format.md").read_text(encoding="utf-8")

