"""The five rules (entry into force, initial report, annual report, stockpile destruction,
clearance) outside ccmcheck: in OPA Rego (regopy), in a GoRules zen-engine decision, and as a
plain Python function (the floor). `benchmarks/run.py` checks each agrees with ccmcheck on
every finding (status and due date) before it times them. Install with `pip install -e '.[bench]'`.
"""
