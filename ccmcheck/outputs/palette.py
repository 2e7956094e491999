"""One colour per status, the same in every chart, the scorecard and their legends.

The eight colours of Okabe and Ito's palette ("Color Universal Design", 2008),
chosen to stay apart for readers with any common colour-vision deficiency, and a
light grey for `unknown` (nothing known: no colour of its own); black for an
unknown finding that was overdue when last checked (`last_known`). No two statuses
share a colour: `met` and `reported` differ, as do `overdue` and `not_reported`.
Each status also has a letter (`scorecard.symbol`), so colour is never the only cue.
"""
from __future__ import annotations

COLOURS: dict[str, str] = {
    "met": "#009E73",  # bluish green
    "met_late": "#56B4E9",  # sky blue
    "overdue": "#D55E00",  # vermilion
    "pending": "#F0E442",  # yellow
    "reported": "#0072B2",  # blue
    "not_reported": "#CC79A7",  # reddish purple
    "holds": "#E69F00",  # orange
    "last_known": "#000000",  # black: overdue when last checked, unknown now (the palette's eighth colour)
    "unknown": "#BBBBBB",  # grey: nothing known
}
OTHER = "#777777"
# Charts fill areas with a pattern too, so that print in grey keeps statuses apart.
HATCHES: dict[str, str] = {"met_late": "\\\\", "overdue": "///", "not_reported": "---", "pending": "..", "holds": "xx"}
_DARK = {"#009E73", "#D55E00", "#0072B2", "#CC79A7", "#777777", "#000000"}  # white text reads best on these


def colour(status: str) -> str:
    """The status's colour (a status not in the palette: dark grey)."""
    return COLOURS.get(status, OTHER)


def text_on(status: str) -> str:
    """The colour of a label written on the status's colour: white or black, whichever contrasts more."""
    return "white" if colour(status) in _DARK else "black"
