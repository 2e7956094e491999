"""The importers' fixture files, in the public layouts, and how they were made.

The depositary's status page as read on 30 June 2019 is the table facts/2017 gives
(every signature and deposit it holds, from the UN Treaty Collection), plus the four
actions of 2018-19 the public record gives: Sri Lanka's accession of 1 March 2018
(Cluster Munition Monitor 2018), Namibia's ratification of 31 August 2018 (ISU: two days
before the 8MSP, in force 1 February 2019), The Gambia's of 11 December 2018 and the
Philippines' of 3 January 2019 (Cluster Munition Monitor 2022, status of the convention).
Lithuania's withdrawal (notified in 2024) is not on a 2019 page.

The report list and the extension sheet are illustrations for the tests and the guide:
their dates are invented, and the sources they cite say so.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ccmcheck.facts.loader import load_facts
from ccmcheck.importers import untc

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
READ_ON = date(2019, 6, 30)
NEW_2018_19 = {  # name: (signature, deposit, kind)
    "Gambia": (date(2008, 12, 3), date(2018, 12, 11), "ratification"),
    "Namibia": (date(2008, 12, 3), date(2018, 8, 31), "ratification"),
    "Philippines": (date(2008, 12, 3), date(2019, 1, 3), "ratification"),
    "Sri Lanka": (None, date(2018, 3, 1), "accession"),
}
REPORTS_CSV = ("state,report,year,received,link\n"
               "Croatia,annual,2018,2019-04-29,\n"
               "Chad,annual,2018,2019-05-20,\n")
EXTENSIONS_CSV = ("state,fact,submitted_on,deadline_requested,source,note\n"
                  "Bulgaria,article3.requests,2019-03-01,2022-10-01,example,illustrative date: the request's real "
                  "date is in the 9MSP documents\n")
EXAMPLE_SOURCES_CSV = ("key,title,publisher,date,url,note\n"
                       "example,\"Worked example: entries invented for illustration, not a real document\",,,,\n")


def status_2019() -> tuple[list[untc.Participant], dict[int, str]]:
    fb = load_facts(ROOT / "facts" / "2017")
    people, _ = untc.from_facts(fb.states)
    people = [replace(p, notes=()) for p in people]
    by_name = {p.name: p for p in people}
    for name, (sig, dep, kind) in NEW_2018_19.items():
        by_name[name] = untc.Participant(0, name, (), sig, dep, kind)
    ordered = sorted(by_name.values(), key=lambda p: p.name)
    return [replace(p, row=i) for i, p in enumerate(ordered, start=2)], {}


def write_fixtures() -> dict[str, str]:
    people, notes = status_2019()
    return {"untc-status-2019.html": untc.write_html(people, notes, READ_ON),
            "untc-status-2019.txt": untc.write_text(people, notes),
            "reports-2019.csv": REPORTS_CSV, "extension-requests.csv": EXTENSIONS_CSV,
            "example-sources.csv": EXAMPLE_SOURCES_CSV}


if __name__ == "__main__":
    for name, text in write_fixtures().items():
        (FIXTURES / name).write_text(text, encoding="utf-8")
