"""The progress report's thematic areas (Section III A-G) and the DAP's actions.

Rules are placed in areas by their id, never by a list of ids: `art17.*`,
`art15.*` and `dap.1.*` are Universalization, `art3.*` and `dap.2.*` Stockpile
destruction, and so on (`AREAS`). A published figure that no rule computes goes to
the area its `where` (or `id`) mentions: a table, a paragraph, a section or a subject.
The report and the scorecard both arrange findings by these areas.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..errors import InputError


@dataclass(frozen=True)
class AreaDef:
    letter: str
    title: str
    articles: tuple[str, ...]  # first segments of rule ids, e.g. "art3"
    dap_section: str  # the DAP section number, e.g. "2" for dap.2.*
    paragraphs: tuple[int, int]  # the report's paragraphs on the area (Section III)
    keywords: str  # a regular expression for a `where` or `id` that names the area

    @property
    def heading(self) -> str:
        return f"{self.letter}. {self.title}"


AREAS: tuple[AreaDef, ...] = (
    AreaDef("A", "Universalization", ("art17", "art15"), "1", (3, 15), r"universali[sz]|signator|states? parties? (to|total)"),
    AreaDef("B", "Stockpile destruction and retention", ("art3",), "2", (16, 27), r"stockpile|retention|retain|art(icle|\.)? ?3\b"),
    AreaDef("C", "Clearance and risk reduction education", ("art4",), "3", (28, 42),
            r"clearance|risk (reduction )?education|contaminat|art(icle|\.)? ?4\b"),
    AreaDef("D", "Victim assistance", ("art5",), "4", (43, 63), r"victim|art(icle|\.)? ?5\b"),
    AreaDef("E", "International cooperation and assistance", ("art6",), "5", (64, 82),
            r"cooperation|assistance|donor|partnership|art(icle|\.)? ?6\b"),
    AreaDef("F", "Transparency measures", ("art7",), "6", (83, 92),
            r"transparen|initial report|annual report|reporting|art(icle|\.)? ?7\b"),
    AreaDef("G", "National implementation measures", ("art9",), "7", (93, 99),
            r"national implementation|\bnim\b|legislation|art(icle|\.)? ?9\b"),
)
OTHER = AreaDef("H", "Other rules", (), "", (0, -1), r"(?!)")

# Dubrovnik Action Plan actions, numbered as in the 7MSP progress report's Tables 1-7.
DAP_ACTIONS: dict[str, str] = {
    "1.1": "Increase adherence with the Convention", "1.2": "Promote the universalization",
    "1.3": "Reinforce the norms being established by the Convention",
    "2.1": "Develop a resourced plan", "2.2": "Increase exchanges of promising practices",
    "2.3": "Apply an appropriate approach to retention",
    "2.4": "Announce declaration of compliance (on stockpile destruction)", "2.5": "Act upon unexpected developments",
    "3.1": "Assess the extent of the problem", "3.2": "Protect people from harm", "3.3": "Develop a resourced plan",
    "3.4": "Be inclusive when developing the response",
    "3.5": "Manage information for analysis, decision-making and reporting",
    "3.6": "Provide support, assist and cooperate", "3.7": "Apply practice development",
    "3.8": "Promote and expand cooperation",
    "4.1": "Strengthen national capacity", "4.2": "Increase the involvement of victims", "4.3": "Share information",
    "4.4": "Provide support, assist and cooperate",
    "5.1": "Strengthen partnerships at all levels", "5.2": "Communicate challenges and seek assistance",
    "5.3": "Evidence-based needs for better results", "5.4": "Take ownership",
    "5.5": "Respond constructively to requests for assistance",
    "5.6": "Make use of existing tools, cost efficiency and effectiveness", "5.7": "Support implementation support",
    "6.1": "Report in time, initially and annually", "6.2": "Make practical use of reporting",
    "7.1": "Enact national legislation to implement the CCM", "7.2": "Highlight challenges and request assistance",
    "7.3": "Raise awareness of national implementation measures",
}


def area_of_rule(rule_id: str) -> AreaDef:
    """The thematic area a rule belongs to, from its id's prefix."""
    parts = rule_id.split(".")
    for a in AREAS:
        if parts[0] in a.articles:
            return a
        if parts[0] == "dap" and len(parts) > 1 and parts[1] == a.dap_section:
            return a
    return OTHER


def area_letter(text: str) -> str:
    """An area named as a person would: its letter (`B`) or a word of its title (`stockpile`); ValueError otherwise."""
    word = text.strip().lower()
    found = [a.letter for a in AREAS if word == a.letter.lower() or (len(word) >= 4 and word in a.title.lower())]
    if len(found) != 1:
        raise ValueError(f"{'not an area' if not found else 'more than one area'}: {text!r} (choose from "
                         f"{', '.join(f'{a.letter} {a.title}' for a in AREAS)})")
    return found[0]


def rules_of_areas(rule_ids: Iterable[str], letters: Sequence[str], only: Sequence[str] = (),
                   names: tuple[str, str] = ("--area", "--rule")) -> list[str]:
    """The rule ids of the areas `letters` (among `only`, if given): the selection `--area` makes. None is bad
    input, said with the option `names` the caller uses (the CLI's `--area`, the API's `area`)."""
    ids = [r for r in rule_ids if area_of_rule(r).letter in letters and (not only or r in only)]
    if not ids:
        raise InputError.single("arguments", "", names[0], f"no rule of area {', '.join(letters)}"
                                + (f" among {names[1]} {', '.join(only)}" if only else ""))
    return ids


def is_dap(rule_id: str) -> bool:
    """A Dubrovnik Action Plan commitment, as against an obligation of the Convention itself."""
    return rule_id.split(".")[0] == "dap"


def dap_action(rule_id: str) -> tuple[str, str] | None:
    """(action number, paragraph letter) of a `dap.<section>.<action>[letter].<slug>` id."""
    m = re.match(r"^dap\.(\d+)\.(\d+)([a-z]*)\.", rule_id)
    return (f"{m.group(1)}.{m.group(2)}", m.group(3)) if m else None


def area_of_text(*texts: str) -> AreaDef | None:
    """The area a figure's `where` (or, failing that, its `id`) names: a table,
    a paragraph or section III letter of the report, else a subject."""
    for text in texts:
        t = text.lower()
        m = re.search(r"\btable\s*(\d+)", t)
        if m and 1 <= int(m.group(1)) <= len(AREAS):
            return AREAS[int(m.group(1)) - 1]
        for m in re.finditer(r"(?:\bparas?\.?|\bparagraphs?|#)\s*(\d+)", t):
            for a in AREAS:
                if a.paragraphs[0] <= int(m.group(1)) <= a.paragraphs[1]:
                    return a
        m = re.search(r"\biii\.?\s*([a-g])\b", t)
        if m:
            return AREAS["abcdefg".index(m.group(1))]
        for a in AREAS:
            if re.search(a.keywords, t):
                return a
    return None


def by_name(names: list[str]) -> list[str]:
    """Alphabetical as a reader expects: Côte d'Ivoire between Costa Rica and Croatia."""
    return sorted(names, key=name_key)


def name_key(name: str) -> tuple[str, str]:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold(), name
