"""Snapshots that travel with the package: `ccmcheck evaluate 2017` from any folder.

A wheel carries the repository's `facts/NAME` folders as `ccmcheck/_bundled_snapshots/NAME`
(pyproject.toml); a source checkout reads `facts/` beside the package. A folder of that
name in the current directory always wins over a bundled snapshot.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def bundled_root() -> Path:
    """Where the bundled snapshots are: inside the installed package, else the checkout's facts/."""
    inside = _PACKAGE / "_bundled_snapshots"
    return inside if inside.is_dir() else _PACKAGE.parent / "facts"


def bundled() -> dict[str, Path]:
    """Bundled snapshot name -> folder, in name order.

    Example: `ccmcheck.bundled_snapshots()  # {"2017": Path(".../_bundled_snapshots/2017")}`
    """
    root = bundled_root()
    if not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if (p / "snapshot.yaml").is_file()}


def resolve(path: str | Path) -> Path:
    """A facts folder as given, or the bundled snapshot of that name when no such folder exists."""
    given = Path(path)
    if given.is_dir():
        return given
    return bundled().get(str(path), given)
