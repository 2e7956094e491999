"""Editing State files in place, the way a careful person would by hand.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and the layout
of every line the edit does not touch (reading and writing back an unedited
facts/2017 State file gives the same bytes). A new fact is written in the
files' own style: one flow mapping per fact, keys in the model's order, placed
among its siblings in the order the format lists them.
"""
from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .model import Record, Sourced, StateFacts
from .rows import FactSpec

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Field order inside a fact, as the State files write them.
_FIELD_ORDER = ("status", "value", "on", "by", "between", "checked_on", "not_done_on", "kind", "decided_on",
                "decided_by", "new_deadline", "submitted_on", "deadline_requested", "hostilities_ended", "source", "note",
                "prevails", "prevails_source")


def _yaml() -> YAML:
    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 4096  # never fold a long flow mapping onto two lines
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda data: True  # the same date twice is written twice, not as &id001
    return y


def load(text: str) -> CommentedMap:
    return _yaml().load(text)


def dump(doc: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def _scalar(name: str, v: object) -> object:
    if isinstance(v, str) and (name in ("note", "prevails") or not _PLAIN.fullmatch(v)):
        return DoubleQuotedScalarString(v)
    return v


def node(fact: Sourced) -> CommentedMap:
    """A fact as a one-line flow mapping: `{status: done, on: 2018-04-20, source: "7msp#30"}`."""
    m = CommentedMap()
    given = {k: getattr(fact, k) for k in type(fact).model_fields}
    for k in sorted(given, key=lambda k: _FIELD_ORDER.index(k) if k in _FIELD_ORDER else len(_FIELD_ORDER)):
        v = given[k]
        if v is None or v == "":
            continue
        if isinstance(v, tuple):
            seq = CommentedSeq(list(v))
            seq.fa.set_flow_style()
            v = seq
        m[k] = _scalar(k, v)
    m.fa.set_flow_style()
    return m


def _order(model: type[Record] | None, key: str | int) -> tuple[int, object]:
    """Where a key sorts among its siblings: the model's field order, years ascending."""
    if isinstance(key, int) or model is None:
        return (0, key)
    names = list(model.model_fields)
    return (names.index(key), key) if key in names else (len(names), key)


def _child_model(model: type[Record] | None, key: str | int) -> type[Record] | None:
    """The model of the mapping found under `key` (None under a by-year mapping's keys)."""
    if model is None or isinstance(key, int):
        return None
    ann = model.model_fields[key].annotation
    for arg in (ann, *getattr(ann, "__args__", ())):
        if isinstance(arg, type) and issubclass(arg, Record):
            return arg
    return None


def _mapping_at(doc: CommentedMap, sp: FactSpec) -> tuple[CommentedMap, type[Record] | None, str | int]:
    """The mapping that holds the fact (created in place, block style, where missing), its model, and the fact's key."""
    parent, model = doc, StateFacts
    by_year_model: type[Record] | None = None
    for key in sp.keys[:-1]:
        if key not in parent:
            child = CommentedMap()
            parent.insert(sum(_order(model, k) < _order(model, key) for k in parent), key, child)
        elif parent.fa.flow_style():
            parent.fa.set_block_style()
        nxt = parent[key]
        if isinstance(key, int):
            model, by_year_model = by_year_model, None
        else:
            sub = _child_model(model, key)
            ann = model.model_fields[key].annotation if model is not None else None
            if getattr(ann, "__origin__", None) is dict:
                by_year_model, model = sub, None
            else:
                model = sub
        parent = nxt
    if parent.fa.flow_style():
        parent.fa.set_block_style()
    return parent, model, sp.keys[-1]


def _observations(parent: CommentedMap, key: str | int, new: CommentedMap, replace_index: int | None) -> None:
    """Add an observation beside those there (one mapping becomes a list of two, in block
    style, the first left as it was written), or correct the one at `replace_index`."""
    now = parent[key]
    if replace_index is not None:
        if isinstance(now, CommentedSeq):
            now[replace_index] = new
        else:
            parent[key] = new
        return
    if not isinstance(now, CommentedSeq):
        now = CommentedSeq([now])
        now.fa.set_block_style()
        parent[key] = now
    now.append(new)


def put(doc: CommentedMap, sp: FactSpec, fact: Sourced, replace_index: int | None = None) -> None:
    """Write the fact at its place: set (or replace) a single fact, add a list item, or add
    (or correct) an observation of an event fact."""
    parent, model, key = _mapping_at(doc, sp)
    new = node(fact)
    if sp.observations and key in parent:
        _observations(parent, key, new, replace_index)
        return
    if sp.is_list:
        if key not in parent:
            parent.insert(sum(_order(model, k) < _order(model, key) for k in parent), key, CommentedSeq())
        seq = parent[key]
        if replace_index is None:
            seq.append(new)
        else:
            seq[replace_index] = new
        return
    if key in parent:
        parent[key] = new
    else:
        parent.insert(sum(_order(model, k) < _order(model, key) for k in parent), key, new)


def new_state(name: str, iso3: str) -> CommentedMap:
    doc = CommentedMap()
    doc["name"] = DoubleQuotedScalarString(name)
    doc["iso3"] = iso3
    return doc
