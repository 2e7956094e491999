"""Safe YAML reading with one-line errors.

Differences from plain `yaml.safe_load`, each closing a way to be silently wrong:
- dates stay strings, so pydantic reports "31 February" against the field;
- only `true`/`false` are booleans (YAML 1.1 also reads `on`, `no`, `yes`);
- a key given twice in one mapping is an error, not "last one wins";
- the file must be UTF-8 and at most MAX_BYTES;
- nesting deeper than MAX_DEPTH is an error (PyYAML composes recursively, so a
  file of nothing but `[[[[...` would otherwise end in a RecursionError).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import FieldError, InputError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100


class _Loader(yaml.SafeLoader):
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)


def read_yaml(path: Path, subject: str = "") -> Any:
    """Parse one YAML file, or raise InputError naming it and where it broke."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError.single(path, subject, "", f"file is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
        raw = path.read_bytes()
    except OSError as e:
        raise InputError.single(path, subject, "", f"cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError.single(path, subject, "", f"not UTF-8 text (byte {e.start})") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError.single(path, subject, where, f"malformed YAML: {what}") from None


def validation_problems(path: Path, subject: str, error: ValidationError) -> list[Problem]:
    """One Problem per pydantic error, with the field as a dotted path."""
    out = []
    for err in error.errors():
        parts = [str(p) for p in err["loc"] if not _is_union_tag(p)]
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "value_error":
            # Our validators' messages are sentences of their own; pydantic's prefix adds nothing.
            cause = err.get("ctx", {}).get("error")
            msg = str(cause) if cause is not None else msg.removeprefix("Value error, ")
            if isinstance(cause, FieldError):
                parts.append(cause.field)
        loc = ".".join(parts)
        out.append(Problem(str(path), subject, loc, msg))
    return out


def _is_union_tag(part: object) -> bool:
    """pydantic names union members in `loc` (e.g. 'Leaf'); they are not fields."""
    return isinstance(part, str) and (part[:1].isupper() or part.startswith(("literal[", "function-")))
