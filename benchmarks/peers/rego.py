"""The five rules in OPA Rego (five.rego), run by regopy: the policy compiled once into a
bundle, then one query per State."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from .common import Findings, document

POLICY = Path(__file__).with_name("five.rego")


class RegoPeer:
    def __init__(self) -> None:
        from regopy import Interpreter

        self.rego = Interpreter()
        self.rego.add_module("five", POLICY.read_text(encoding="utf-8"))
        self.bundle = self.rego.build("x = data.ccm.findings")

    def findings(self, fb: Any, as_of: date) -> Findings:
        conv = fb.snapshot.convention.entry_into_force.on
        out: Findings = {}
        for st in fb.states:
            self.rego.set_input(document(st, conv, as_of))
            found = json.loads(str(self.rego.query_bundle(self.bundle)))["bindings"]["x"]
            out.update({(rule, st.name): (f["status"], f["due"] or None) for rule, f in found.items()})
        return out
