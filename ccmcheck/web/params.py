"""The API's query parameters, declared once: parsed here as the CLI parses its options (same
names with `_` for `-`, same checks, same one-line messages) and described from the same
table in the OpenAPI document, so the two cannot drift apart.

A parameter the endpoint does not take is an error (as the CLI refuses an unknown option),
and so is a repeated one that is not a list.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Literal, Mapping

from .. import __version__
from ..daterange import ISO_DAY, out_of_range
from ..engine.areas import area_letter, rules_of_areas
from ..engine.core import ENGINES
from ..engine.results import STATUS_ORDER
from ..errors import InputError
from ..facts.translations import LANGUAGES
from ..rules.loader import RuleBook

Kind = Literal["date", "text", "list", "areas", "statuses", "flag", "lang", "engine", "format"]


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    help: str


AS_OF = Param("as_of", "date", "evaluate as of this date, YYYY-MM-DD (default: the snapshot's)")
RULE = Param("rule", "list", "only this rule id (repeatable)")
AREA = Param("area", "areas", "only the rules of this thematic area: its letter A-G or a word of its title "
             "(repeatable; with rule, the rules in both)")
STATE = Param("state", "list", "only this State: UN name, ISO3 code or alias, any case (repeatable)")
LANG = Param("lang", "lang", "State names in this UN language (ar, es, fr, ru, zh)")
ENGINE = Param("engine", "engine", "the matcher: durable (default) or reference (same findings)")
FROM = Param("from", "date", "start date, YYYY-MM-DD (the CLI's --from)")
TO = Param("to", "date", "end date, YYYY-MM-DD (the CLI's --to)")


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    params: tuple[Param, ...]
    media: str = "application/json"


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/evaluate", "Findings and counts for the snapshot (as `ccmcheck evaluate --format json`); with status, "
             "only findings with these statuses, counted again",
             (AS_OF, RULE, AREA, STATE, Param("status", "statuses", "only findings with these statuses, comma-separated"),
              LANG, ENGINE)),
    Endpoint("/audit/{state}", "One State's standing and findings (as `ccmcheck audit STATE --format json`)",
             (AS_OF, RULE, AREA, Param("explain", "flag", "add each finding's date chain (`explain`)"), LANG, ENGINE)),
    Endpoint("/matrix", "The scorecard (as `ccmcheck matrix --format json`)", (AS_OF, LANG, ENGINE)),
    Endpoint("/deadlines", "What falls due per State (as `ccmcheck deadlines --format json`, or ics)",
             (STATE, RULE, AREA, FROM, TO, Param("all", "flag", "add the DAP indicators"),
              Param("format", "format", "json (default) or ics"), LANG, ENGINE)),
    Endpoint("/history", "Each finding's status intervals (as `ccmcheck history --format json`)",
             (STATE, RULE, AREA, FROM, TO, ENGINE)),
    Endpoint("/changes", "Findings whose status changed (as `ccmcheck changes --format json`)",
             (STATE, RULE, AREA, FROM, TO, Param("include_newly_known", "flag", "also changes from unknown"), LANG, ENGINE)),
    Endpoint("/rules", "The rules with their legal sources (as `ccmcheck rules --format json`)", ()),
    Endpoint("/sources", "The documents the facts cite (as `ccmcheck sources --format json`)", ()),
)
BY_PATH = {e.path: e for e in ENDPOINTS}
FLAG_VALUES = {"": True, "1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _bad(name: str, message: str) -> InputError:
    return InputError.single("arguments", "", name, message)


def _date(name: str, text: str) -> date:
    try:
        day = date.fromisoformat(text) if ISO_DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise _bad(name, f"not a date (YYYY-MM-DD): {text!r}")
    if out_of_range(day):
        raise _bad(name, str(out_of_range(day)))
    return day


def _area(text: str) -> str:
    try:
        return area_letter(text)
    except ValueError as e:
        raise _bad("area", str(e)) from None


def _one(p: Param, text: str) -> object:
    if p.kind == "date":
        return _date(p.name, text)
    if p.kind == "statuses":
        names = tuple(s.strip() for s in text.split(",") if s.strip())
        wrong = [s for s in names if s not in STATUS_ORDER]
        if wrong or not names:
            raise _bad(p.name, f"not a status: {', '.join(wrong) or repr(text)} (choose from {', '.join(STATUS_ORDER)})")
        return names
    if p.kind == "flag":
        if text.lower() not in FLAG_VALUES:
            raise _bad(p.name, f"not true or false: {text!r}")
        return FLAG_VALUES[text.lower()]
    choices = {"lang": sorted(LANGUAGES), "engine": list(ENGINES), "format": ["json", "ics"]}.get(p.kind)
    if choices is not None and text not in choices:
        raise _bad(p.name, f"invalid choice: {text!r} (choose from {', '.join(choices)})")
    return text


def parse(endpoint: Endpoint, query: Iterable[tuple[str, str]]) -> dict[str, object]:
    """The endpoint's arguments from the query's (name, value) pairs; InputError naming the first bad one."""
    known = {p.name: p for p in endpoint.params}
    out: dict[str, object] = {p.name: [] if p.kind in ("list", "areas") else None for p in endpoint.params}
    for name, value in query:
        p = known.get(name)
        if p is None:
            allowed = ", ".join(known) or "none"
            raise _bad(name, f"unknown parameter (this endpoint takes: {allowed})")
        if p.kind in ("list", "areas"):
            out[name].append(_area(value) if p.kind == "areas" else value)  # type: ignore[union-attr]
        elif out[name] is not None:
            raise _bad(name, "given twice")
        else:
            out[name] = _one(p, value)
    return out


_SCHEMA: Mapping[str, dict] = {
    "date": {"type": "string", "format": "date"}, "text": {"type": "string"},
    "list": {"type": "array", "items": {"type": "string"}}, "areas": {"type": "array", "items": {"type": "string"}},
    "statuses": {"type": "string"},
    "flag": {"type": "boolean"}, "lang": {"type": "string", "enum": sorted(LANGUAGES)},
    "engine": {"type": "string", "enum": list(ENGINES)}, "format": {"type": "string", "enum": ["json", "ics"]},
}


def openapi() -> dict:
    """The OpenAPI 3.1 description of every endpoint, from `ENDPOINTS`."""
    paths: dict[str, dict] = {}
    error = {"description": "Bad parameter: the CLI's one-line message",
             "content": {"application/json": {"schema": {"type": "object", "required": ["error"],
                                                         "properties": {"error": {"type": "string"}}}}}}
    for e in ENDPOINTS:
        params = [{"name": p.name, "in": "query", "required": False, "description": p.help, "schema": _SCHEMA[p.kind],
                   **({"explode": True} if p.kind in ("list", "areas") else {})} for p in e.params]
        if "{state}" in e.path:
            params.insert(0, {"name": "state", "in": "path", "required": True, "schema": {"type": "string"},
                              "description": "UN name, ISO3 code or alias, any case"})
        ok = {"application/json": {"schema": {"type": "object" if e.path != "/deadlines" else "array"}}}
        if e.path == "/deadlines":
            ok = {**ok, "text/calendar": {"schema": {"type": "string"}}}
        if e.path in ("/rules",):
            ok = {"application/json": {"schema": {"type": "array"}}}
        paths[e.path] = {"get": {"summary": e.summary, "operationId": e.path.strip("/").split("/")[0],
                                 "parameters": params,
                                 "responses": {"200": {"description": "The JSON of docs/json-contract.md", "content": ok},
                                               "400": error}}}
    return {"openapi": "3.1.0",
            "info": {"title": "ccmcheck API", "version": __version__,
                     "description": "Read-only compliance findings for the Convention on Cluster Munitions, "
                                    "as the ccmcheck library and CLI give them (docs/web.md, docs/json-contract.md)."},
            "paths": paths}


def rule_ids(args: Mapping[str, object], book: RuleBook) -> list[str]:
    """The rules the query selects: `rule`, narrowed to the `area`s given (as the CLI's --area)."""
    rules = list(args.get("rule") or [])  # type: ignore[call-overload]
    areas = list(args.get("area") or [])  # type: ignore[call-overload]
    if not areas:
        return rules
    return rules_of_areas((r.id for r in book.rules), areas, rules, names=("area", "rule"))
