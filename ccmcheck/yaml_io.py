"""Safe YAML reading with one-line errors.

Differences from plain `yaml.safe_load`, each closing a way to be silently wrong:
- dates stay strings, so pydantic reports "31 February" against the field;
- only `true`/`false` are booleans (YAML 1.1 also reads `on`, `no`, `yes`);
- a key given twice in one mapping is an error, not "last one wins", and so are two
  keys that become the same once read as a number (`2016:` and `"2016":`);
- explicit tags (`!!int "3"`, `!!timestamp ...`), anchors, aliases and merge keys
  (`<<: *a`) are errors: a facts or rules file has no use for them, and each is a way
  to make a value mean something other than what it says (or to blow up in size);
- the file must be a regular file (not a FIFO or a device), UTF-8 and at most MAX_BYTES;
- nesting deeper than MAX_DEPTH is an error (PyYAML composes recursively, so a
  file of nothing but `[[[[...` would otherwise end in a RecursionError).

Speed: files are parsed with LibYAML (`yaml.CSafeLoader`) carrying the same
resolvers and checks. The pure-Python parser is used only where LibYAML cannot make
a check (a `!`, `&` or `*` anywhere, or brackets nested deeper than MAX_DEPTH) and to
describe an error, so every error message is the pure-Python parser's, whichever ran.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import FieldError, InputError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100
_CORE_TAG = "tag:yaml.org,2002:"
_INTEGER_KEY = re.compile(r"[+-]?[0-9][0-9_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _canonical_key(key: Any) -> Any:
    """The key as the models read it: `2016`, `"2016"`, `" 2016 "` and `2016.0` are all
    the year 2016 to pydantic, so they are one key here too."""
    if isinstance(key, bool):
        return key
    if isinstance(key, float) and key.is_integer():
        return int(key)
    if isinstance(key, str) and _INTEGER_KEY.fullmatch(key.strip()):
        return int(key.strip().replace("_", ""))
    return key


def _shown(key: Any) -> str:
    return repr(key) if isinstance(key, str) else str(key)


class _Checks:
    """The checks made while constructing, whichever parser composed the nodes."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
        seen: dict[Any, Any] = {}
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE_TAG + "merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not accepted", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark) from None
            canon = _canonical_key(key)
            if canon in seen:
                first, first_node = seen[canon]
                what = (f"key {_shown(key)} appears twice" if first == key and type(first) is type(key)
                        else f"keys {_shown(first)} (line {first_node.start_mark.line + 1}) and {_shown(key)} "
                             f"(line {key_node.start_mark.line + 1}) are the same key")
                raise yaml.constructor.ConstructorError(None, None, what, key_node.start_mark)
            seen[canon] = key, key_node
            mapping[key] = self.construct_object(value_node, deep=deep)  # type: ignore[attr-defined]
        return mapping


class _Loader(_Checks, yaml.SafeLoader):
    """The pure-Python parser: every check, with the place of each error."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            event = self.peek_event()
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise yaml.composer.ComposerError(
                    None, None, "anchors and aliases (&, *) are not accepted", event.start_mark)
            tag = getattr(event, "tag", None)
            if tag is not None:
                shown = "!!" + tag[len(_CORE_TAG):] if tag.startswith(_CORE_TAG) else tag
                raise yaml.composer.ComposerError(
                    None, None, f"explicit tags are not accepted ({shown})", event.start_mark)
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self._depth -= 1

    def construct_scalar(self, node: yaml.ScalarNode) -> Any:
        value = super().construct_scalar(node)  # type: ignore[no-untyped-call]
        if isinstance(value, str) and _SURROGATE.search(value):  # LibYAML refuses these escapes too
            raise yaml.constructor.ConstructorError(
                None, None, "found invalid Unicode character escape code", node.start_mark)
        return value


class _FastLoader(_Checks, yaml.CSafeLoader):  # type: ignore[misc]
    """LibYAML's parser with the same resolvers and construction checks; it cannot see
    tags or anchors, so `_needs_python` sends files that could hold them elsewhere."""


def _resolvers() -> dict[Any, list[Any]]:
    return {first: [(tag, rx) for tag, rx in resolvers
                    if tag not in (_CORE_TAG + "timestamp", _CORE_TAG + "bool")]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


for _cls in (_Loader, _FastLoader):
    _cls.yaml_implicit_resolvers = _resolvers()
    _cls.add_implicit_resolver(_CORE_TAG + "bool", re.compile(r"^(?:true|false)$"), list("tf"))
    _cls.add_constructor(_CORE_TAG + "map", _cls.construct_mapping)


_DEEP_BLOCK = re.compile(rf"^[ ?-]{{{MAX_DEPTH // 4},}}", re.M)


def _needs_python(text: str) -> bool:
    """True where only the pure-Python parser can check the file: something that may be
    a tag, an anchor or an alias, or brackets that may nest too deep for LibYAML's
    recursive composer (counting brackets inside quotes too: a false alarm costs speed only).
    Block nesting is bounded by indentation: each level indents, or starts with `- ` or `? `."""
    if "!" in text or "&" in text or "*" in text or _DEEP_BLOCK.search(text):
        return True
    if text.count("[") + text.count("{") <= MAX_DEPTH // 2:
        return False
    depth = deepest = 0
    for ch in re.sub(r"[^\[\]{}]", "", text):
        depth = depth + 1 if ch in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest > MAX_DEPTH // 2


def read_bytes(path: Path, subject: str = "", limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` (MAX_BYTES); InputError for anything else.
    The file is opened without blocking (a FIFO with no writer would hang) and checked
    on the open descriptor, so a link swapped for a device in between is still refused."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise InputError.single(path, subject, "", f"cannot read: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError.single(path, subject, "", "not a regular file (a folder, FIFO, device or socket)")
        if st.st_size > limit:
            raise InputError.single(path, subject, "",
                                    f"file is {st.st_size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(limit + 1)
    except OSError as e:
        raise InputError.single(path, subject, "", f"cannot read: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew after fstat
        raise InputError.single(path, subject, "", f"file is over the limit of {limit / 1e6:.0f} MB")
    return raw


def list_files(folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
    """The files in `folder` (and below it, if `recursive`) whose names match `pattern`,
    sorted; InputError naming a folder that cannot be listed, rather than leaving its
    files out (as `Path.glob` does)."""
    def fail(e: OSError) -> None:
        raise InputError.single(e.filename or folder, "", "", f"cannot list the folder: {e.strerror}")

    out: list[Path] = []
    try:
        walk = os.walk(folder, onerror=fail) if recursive else [(str(folder), [], os.listdir(folder))]
        for top, _, names in walk:
            out += [Path(top) / n for n in names if Path(n).match(pattern)]
    except OSError as e:
        fail(e)
    return sorted(out)


def parse_yaml(text: str) -> Any:
    """Parse YAML text (LibYAML where it can); yaml.YAMLError as the pure-Python parser
    would raise it."""
    if yaml.__with_libyaml__ and not _needs_python(text):
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - CSafeLoader underneath
        except yaml.YAMLError as fast:
            try:
                yaml.load(text, Loader=_Loader)  # noqa: S506 - for the pure-Python parser's message
            except yaml.YAMLError:
                raise
            raise fast  # the two disagree: still an error, in LibYAML's words
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader


def read_yaml(path: Path, subject: str = "") -> Any:
    """Parse one YAML file, or raise InputError naming it and where it broke."""
    raw = read_bytes(path, subject)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError.single(path, subject, "", f"not UTF-8 text (byte {e.start})") from None
    try:
        return parse_yaml(text)
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
        if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's, a record's (facts.model)
            msg = "unknown field"
        elif err["type"] == "value_error":
            # Our validators' messages are sentences of their own; pydantic's prefix adds nothing.
            cause = err.get("ctx", {}).get("error")
            msg = str(cause) if cause is not None else msg.removeprefix("Value error, ")
            if isinstance(cause, FieldError):
                parts.append(cause.field)
        loc = ".".join(parts)
        out.append(Problem(str(path), subject, loc, msg))
    return list(dict.fromkeys(out))  # the members of a union can each report the same problem


def _is_union_tag(part: object) -> bool:
    """pydantic names union members in `loc` (e.g. 'Leaf'); they are not fields."""
    return isinstance(part, str) and (part[:1].isupper() or part.startswith(("literal[", "function-")))
