"""The library called from several threads at once gives what it gives serially.

durable-rules' host is shared by the whole process (one lock serialises its
sessions); the reference matcher shares nothing. Eight threads start together on
the 2017 snapshot, at different as-of dates and with both engines, some loading
the folder themselves and some sharing one loaded FactBase and RuleBook.
"""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

import ccmcheck

FACTS_2017 = Path(__file__).resolve().parent.parent / "facts" / "2017"
THREADS = 8
# (as-of date, engine, load the folder in the thread?) for each of the eight threads.
JOBS: list[tuple[date | None, str, bool]] = [
    (None, "durable", True),
    (date(2017, 6, 30), "durable", False),
    (date(2017, 6, 30), "reference", False),
    (date(2010, 12, 31), "durable", False),
    (date(2016, 6, 30), "durable", True),
    (date(2019, 6, 1), "durable", False),
    (date(2019, 6, 1), "reference", True),
    (date(2021, 1, 1), "durable", False),
]


@pytest.fixture(scope="module")
def shared() -> tuple[ccmcheck.FactBase, ccmcheck.RuleBook]:
    return ccmcheck.load_facts(FACTS_2017), ccmcheck.load_rules()


def _run(job: tuple[date | None, str, bool], shared: tuple[ccmcheck.FactBase, ccmcheck.RuleBook]) -> str:
    as_of, engine, own = job
    fb, book = shared
    if own:
        return ccmcheck.evaluate(str(FACTS_2017), as_of, engine=engine).to_json()
    return ccmcheck.evaluate(fb, as_of, rules=book, engine=engine).to_json()


@pytest.mark.slow  # among the slowest (tests/conftest.py): CI runs it, `pytest --slow` too
def test_eight_threads_at_once_give_the_serial_results(shared: tuple[ccmcheck.FactBase, ccmcheck.RuleBook]) -> None:
    assert len(JOBS) == THREADS
    fb, book = shared
    serial = {(as_of, engine): ccmcheck.evaluate(fb, as_of, rules=book, engine=engine).to_json()
              for as_of, engine, _ in JOBS}
    start = threading.Barrier(THREADS)

    def job_at_once(job: tuple[date | None, str, bool]) -> str:
        start.wait(timeout=60)  # all eight enter the library together
        return _run(job, shared)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        together = list(pool.map(job_at_once, JOBS))
    for job, got in zip(JOBS, together):
        assert got == serial[job[:2]], job

    # Correct, not merely consistent: serially the two engines agree, and what the threads
    # report counts what the serial run counts (e.g. the 7MSP report's overdue initial reports).
    june = date(2017, 6, 30)
    assert serial[june, "durable"] == serial[june, "reference"]
    overdue = json.loads(serial[june, "durable"])["counts"]["art7.initial-report"]["overdue"]
    assert overdue > 0
    for job, got in zip(JOBS, together):
        if job[0] in (june, None):  # None: the snapshot's own as-of date, 30 Jun 2017
            assert json.loads(got)["counts"]["art7.initial-report"]["overdue"] == overdue, job
