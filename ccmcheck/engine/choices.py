"""The engines and statuses a caller can name: plain constants, importable without the engine
or pydantic (the command line's parser offers them in --help and checks --fail-on with them)."""
from __future__ import annotations

from typing import Literal

ENGINES = ("durable", "reference")

Status = Literal["met", "met_late", "overdue", "pending", "unknown", "reported", "not_reported", "holds"]
# Every status, in display order; each kind of rule uses some of them (rules.model.KIND_STATUSES).
STATUS_ORDER: tuple[Status, ...] = ("met", "met_late", "overdue", "pending", "reported", "not_reported", "holds", "unknown")

LAST_KNOWN = "last_known"  # the pseudo-status of an `unknown` finding with a `last_known` (views, counts, --fail-on)
