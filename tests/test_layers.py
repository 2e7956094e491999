"""The package's layers: every import points down, and no two modules import each other.

Layers, lowest first: the shared base modules (errors, dates, files, YAML), facts,
rules, engine, outputs, then the entry points (api, cli, web and the importers
above them). A module may import its own layer or a lower one, and anything may read
the package's `__version__`; cycles between modules are refused in every layer.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ccmcheck"
LAYERS = {"facts": 1, "rules": 2, "engine": 3, "outputs": 4, "importers": 5, "api": 6, "web": 7, "cli": 8,
          "__main__": 9, "__init__": 9}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    return 9 if len(parts) == 1 else LAYERS.get(parts[1], 0)


def _imports(path: Path) -> set[str]:
    """The ccmcheck modules `path` imports at module level or inside functions."""
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else []))
            if target.split(".")[0] != "ccmcheck":
                continue
            for alias in node.names:  # `from . import api` names a module
                sub = f"{target}.{alias.name}"
                found.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "ccmcheck")
    found.discard(_module(path))
    return found


GRAPH = {_module(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_import_points_down() -> None:
    upward = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets
                    if t in GRAPH and t != "ccmcheck" and _layer(t) > _layer(m) and _layer(m) != 9)
    assert upward == []


def test_no_import_cycle() -> None:
    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [t for t in GRAPH[start] if t in GRAPH]
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(t for t in GRAPH.get(m, ()) if t in GRAPH)
        return seen

    packages = {m for m in GRAPH if (PACKAGE.parent / m.replace(".", "/")).is_dir()}
    cycles = sorted(m for m in GRAPH if m not in packages and m in reach(m))
    assert cycles == []
