"""The five rules in a GoRules zen-engine decision (input -> function node five.js -> output):
one evaluation per batch of States (zen interrupts a function node that runs for more than
a moment of wall time, which on a loaded machine 250 States can exceed; hence batches of BATCH)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from .common import Findings, document

CODE = Path(__file__).with_name("five.js")
BATCH = 50


def decision_graph() -> dict[str, Any]:
    """The JDM document: an input node, the function node, an output node."""
    node = lambda i, kind, **kw: {"id": i, "type": kind, "name": i, "position": {"x": 0, "y": 0}, **kw}  # noqa: E731
    return {"nodes": [node("input", "inputNode"), node("five", "functionNode", content=CODE.read_text(encoding="utf-8")),
                      node("output", "outputNode")],
            "edges": [{"id": "in", "sourceId": "input", "targetId": "five", "type": "edge"},
                      {"id": "out", "sourceId": "five", "targetId": "output", "type": "edge"}]}


class ZenPeer:
    def __init__(self) -> None:
        import zen

        self.decision = zen.ZenEngine().create_decision(json.dumps(decision_graph()))

    def findings(self, fb: Any, as_of: date) -> Findings:
        conv = fb.snapshot.convention.entry_into_force.on
        out: Findings = {}
        for i in range(0, len(fb.states), BATCH):
            batch = fb.states[i:i + BATCH]
            docs = [document(st, conv, as_of) for st in batch]
            result = self.decision.evaluate({"states": docs})["result"]["findings"]
            out.update({(rule, st.name): (f["status"], f["due"] or None)
                        for st, found in zip(batch, result) for rule, f in found.items()})
        return out
