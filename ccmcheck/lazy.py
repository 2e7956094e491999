"""Modules imported when first used, not when named: a command pays only for what it runs
(`ccmcheck --version` never loads pydantic's models, `evaluate` never loads matplotlib).

The module is imported by the ordinary import system on the first attribute read, and nothing
is put in `sys.modules` before then. (importlib's LazyLoader did put a placeholder there: an
interruption while it ran left a half-run module behind, and `from ... import` of it then
failed with an ImportError instead of the interruption.)
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Deferred:
    """Stands for a module in the namespace that named it; reads go to the module itself."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def lazy_module(name: str) -> Any:
    """The module `name`, imported on its first attribute read (then every read is the module's own)."""
    return _Deferred(name)
