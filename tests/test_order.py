"""Findings come in `finding_sort_key` order (rule, then State), exactly as a stable sort by that key
gives them: `engine/core.in_order` groups by rule first instead of sorting the whole list (issue 21)."""
from __future__ import annotations

import dataclasses
import random

import ccmcheck
from ccmcheck.engine.core import in_order
from ccmcheck.rules.order import finding_sort_key


def _stable(found: list[ccmcheck.Finding]) -> list[ccmcheck.Finding]:
    return sorted(found, key=lambda f: finding_sort_key(f.rule, f.state))


def test_grouping_gives_the_stable_sort_whatever_the_order_given() -> None:
    found = ccmcheck.evaluate("facts/2017", engine="reference").findings
    assert in_order(list(found)) == list(found)
    rng = random.Random(21)
    for _ in range(5):
        shuffled = list(found)
        rng.shuffle(shuffled)
        got, want = in_order(shuffled), _stable(shuffled)
        assert all(a is b for a, b in zip(got, want)) and len(got) == len(want) == len(found)


def test_ties_keep_their_order_as_a_stable_sort_does() -> None:
    """Two ids with the same sort key ("art7", "art07") and the same State twice: the order given decides."""
    base = ccmcheck.evaluate("facts/2017", states=["Chile"], engine="reference").findings[0]
    made = [dataclasses.replace(base, rule=rule, explanation=str(i))
            for i, rule in enumerate(["art7", "art07", "art7", "art10", "art07"])]
    made += [dataclasses.replace(base, state="Angola", rule="art07", explanation="5")]
    got = in_order(made)
    assert [(f.rule, f.state, f.explanation) for f in got] == \
        [(f.rule, f.state, f.explanation) for f in _stable(made)]
    assert [f.explanation for f in got] == ["5", "0", "1", "2", "4", "3"]
