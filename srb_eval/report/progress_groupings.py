"""The messages of the learner progress report (10) that name a grouping of learners:
one whole message for each grouping the progress measures support (the columns of
:data:`srb_eval.report.progress.GROUP_TITLES`: SRB, phase, primary need, sex, free
school meals, year group, instrument and area), so that a language can give each
grouping its own form and no grouping word is joined to other words (issue #19); and
:func:`group_value_words`, a group's name in the report's language.

Used by :func:`srb_eval.report.progress.describe_band_range`,
:func:`srb_eval.report.progress_words.group_title` and the figures of
:mod:`srb_eval.report.plots.progress`.
"""

from __future__ import annotations

from collections.abc import Mapping

from .i18n import N_, PHASE_WORDS, area_word, ngettext
from .i18n import gettext as _

__all__ = ["AXIS_NAMES", "BAND_RANGE", "BAND_TITLES", "FEWER_GROUPS", "GAS_TITLES",
           "DIFFERENCE_FOUND", "GROUPINGS", "GROUP_SENTENCES", "NOT_COMPARED", "RATE_TITLES",
           "group_value_words"]

#: The groupings of the progress report (the keys of
#: :data:`srb_eval.report.progress.GROUP_TITLES`), each with every message below.
GROUPINGS = ("srb_id", "phase", "primary_need", "sex", "fsm", "year_group", "instrument",
             "area")

#: :func:`~srb_eval.report.progress.describe_band_range` when fewer than two groups can be
#: compared, for each grouping and whether some groups' counts are hidden in the table.
FEWER_GROUPS = {
    ("srb_id", False): N_("Fewer than two SRB groups have at least {minimum} learners "
        "with results judged, so groups are not compared here."),
    ("srb_id", True): N_("Fewer than two SRB groups have at least {minimum} learners "
        "with results judged whose counts the table shows, so groups are not compared "
        "here."),
    ("phase", False): N_("Fewer than two phase groups have at least {minimum} learners "
        "with results judged, so groups are not compared here."),
    ("phase", True): N_("Fewer than two phase groups have at least {minimum} learners "
        "with results judged whose counts the table shows, so groups are not compared "
        "here."),
    ("primary_need", False): N_("Fewer than two primary need groups have at least "
        "{minimum} learners with results judged, so groups are not compared here."),
    ("primary_need", True): N_("Fewer than two primary need groups have at least "
        "{minimum} learners with results judged whose counts the table shows, so groups "
        "are not compared here."),
    ("sex", False): N_("Fewer than two sex groups have at least {minimum} learners "
        "with results judged, so groups are not compared here."),
    ("sex", True): N_("Fewer than two sex groups have at least {minimum} learners with "
        "results judged whose counts the table shows, so groups are not compared here."),
    ("fsm", False): N_("Fewer than two free school meals groups have at least "
        "{minimum} learners with results judged, so groups are not compared here."),
    ("fsm", True): N_("Fewer than two free school meals groups have at least {minimum} "
        "learners with results judged whose counts the table shows, so groups are not "
        "compared here."),
    ("year_group", False): N_("Fewer than two year group groups have at least "
        "{minimum} learners with results judged, so groups are not compared here."),
    ("year_group", True): N_("Fewer than two year group groups have at least {minimum} "
        "learners with results judged whose counts the table shows, so groups are not "
        "compared here."),
    ("instrument", False): N_("Fewer than two instrument groups have at least "
        "{minimum} learners with results judged, so groups are not compared here."),
    ("instrument", True): N_("Fewer than two instrument groups have at least {minimum} "
        "learners with results judged whose counts the table shows, so groups are not "
        "compared here."),
    ("area", False): N_("Fewer than two area groups have at least {minimum} learners "
        "with results judged, so groups are not compared here."),
    ("area", True): N_("Fewer than two area groups have at least {minimum} learners "
        "with results judged whose counts the table shows, so groups are not compared "
        "here."),
}
#: :func:`~srb_eval.report.progress.describe_band_range`: the range of the groups' shares.
BAND_RANGE = {
    ("srb_id", False): N_("Across the {k} SRBs with at least {minimum} learners "
        "judged, the share of results at or above expected progress ranged from {low} "
        "({low_group}) to {high} ({high_group})."),
    ("srb_id", True): N_("Across the {k} SRBs with at least {minimum} learners judged "
        "whose counts the table shows, the share of results at or above expected "
        "progress ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("phase", False): N_("Across the {k} phase groups with at least {minimum} learners "
        "judged, the share of results at or above expected progress ranged from {low} "
        "({low_group}) to {high} ({high_group})."),
    ("phase", True): N_("Across the {k} phase groups with at least {minimum} learners "
        "judged whose counts the table shows, the share of results at or above expected "
        "progress ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("primary_need", False): N_("Across the {k} primary need groups with at least "
        "{minimum} learners judged, the share of results at or above expected progress "
        "ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("primary_need", True): N_("Across the {k} primary need groups with at least "
        "{minimum} learners judged whose counts the table shows, the share of results "
        "at or above expected progress ranged from {low} ({low_group}) to {high} "
        "({high_group})."),
    ("sex", False): N_("Across the {k} sex groups with at least {minimum} learners "
        "judged, the share of results at or above expected progress ranged from {low} "
        "({low_group}) to {high} ({high_group})."),
    ("sex", True): N_("Across the {k} sex groups with at least {minimum} learners "
        "judged whose counts the table shows, the share of results at or above expected "
        "progress ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("fsm", False): N_("Across the {k} free school meals groups with at least "
        "{minimum} learners judged, the share of results at or above expected progress "
        "ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("fsm", True): N_("Across the {k} free school meals groups with at least {minimum} "
        "learners judged whose counts the table shows, the share of results at or above "
        "expected progress ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("year_group", False): N_("Across the {k} year group groups with at least "
        "{minimum} learners judged, the share of results at or above expected progress "
        "ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("year_group", True): N_("Across the {k} year group groups with at least {minimum} "
        "learners judged whose counts the table shows, the share of results at or above "
        "expected progress ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("instrument", False): N_("Across the {k} instrument groups with at least "
        "{minimum} learners judged, the share of results at or above expected progress "
        "ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("instrument", True): N_("Across the {k} instrument groups with at least {minimum} "
        "learners judged whose counts the table shows, the share of results at or above "
        "expected progress ranged from {low} ({low_group}) to {high} ({high_group})."),
    ("area", False): N_("Across the {k} area groups with at least {minimum} learners "
        "judged, the share of results at or above expected progress ranged from {low} "
        "({low_group}) to {high} ({high_group})."),
    ("area", True): N_("Across the {k} area groups with at least {minimum} learners "
        "judged whose counts the table shows, the share of results at or above expected "
        "progress ranged from {low} ({low_group}) to {high} ({high_group})."),
}
#: The headings and captions of the report that name a grouping, one message each.
GROUP_SENTENCES = {
    "Expected progress by {group}": {
        "srb_id": N_("Expected progress by SRB"),
        "phase": N_("Expected progress by phase"),
        "primary_need": N_("Expected progress by primary need"),
        "sex": N_("Expected progress by sex"),
        "fsm": N_("Expected progress by free school meals"),
        "year_group": N_("Expected progress by year group"),
        "instrument": N_("Expected progress by instrument"),
        "area": N_("Expected progress by area"),
    },
    "Results below, at and above expected progress by {group}": {
        "srb_id": N_("Results below, at and above expected progress by SRB"),
        "phase": N_("Results below, at and above expected progress by phase"),
        "primary_need": N_("Results below, at and above expected progress by primary "
            "need"),
        "sex": N_("Results below, at and above expected progress by sex"),
        "fsm": N_("Results below, at and above expected progress by free school meals"),
        "year_group": N_("Results below, at and above expected progress by year group"),
        "instrument": N_("Results below, at and above expected progress by instrument"),
        "area": N_("Results below, at and above expected progress by area"),
    },
}
#: A grouping column on a figure's axis.
AXIS_NAMES = {
    "srb_id": N_("resource base"),
    "phase": N_("phase"),
    "primary_need": N_("primary need"),
    "sex": N_("sex"),
    "fsm": N_("free school meals"),
    "year_group": N_("year group"),
    "instrument": N_("instrument"),
    "area": N_("area"),
}
#: The titles of the figures by group (:mod:`srb_eval.report.plots.progress`).
RATE_TITLES = {
    "srb_id": N_("Rate of progress by resource base ({sizes})"),
    "phase": N_("Rate of progress by phase ({sizes})"),
    "primary_need": N_("Rate of progress by primary need ({sizes})"),
    "sex": N_("Rate of progress by sex ({sizes})"),
    "fsm": N_("Rate of progress by free school meals ({sizes})"),
    "year_group": N_("Rate of progress by year group ({sizes})"),
    "instrument": N_("Rate of progress by instrument ({sizes})"),
    "area": N_("Rate of progress by area ({sizes})"),
}
BAND_TITLES = {
    ("srb_id", True): N_("Expected progress by resource base (n={n} results)"),
    ("srb_id", False): N_("Expected progress by resource base"),
    ("phase", True): N_("Expected progress by phase (n={n} results)"),
    ("phase", False): N_("Expected progress by phase"),
    ("primary_need", True): N_("Expected progress by primary need (n={n} results)"),
    ("primary_need", False): N_("Expected progress by primary need"),
    ("sex", True): N_("Expected progress by sex (n={n} results)"),
    ("sex", False): N_("Expected progress by sex"),
    ("fsm", True): N_("Expected progress by free school meals (n={n} results)"),
    ("fsm", False): N_("Expected progress by free school meals"),
    ("year_group", True): N_("Expected progress by year group (n={n} results)"),
    ("year_group", False): N_("Expected progress by year group"),
    ("instrument", True): N_("Expected progress by instrument (n={n} results)"),
    ("instrument", False): N_("Expected progress by instrument"),
    ("area", True): N_("Expected progress by area (n={n} results)"),
    ("area", False): N_("Expected progress by area"),
}
#: GAS T-scores by the groupings of the targets tables (:mod:`srb_eval.report.targets`).
GAS_TITLES = {
    "srb_id": N_("Target attainment (GAS T) by resource base (n={n} reviews)"),
    "area": N_("Target attainment (GAS T) by area (n={n} reviews)"),
    "primary_need": N_("Target attainment (GAS T) by primary need (n={n} reviews)"),
    "phase": N_("Target attainment (GAS T) by phase (n={n} reviews)"),
}


#: :func:`~srb_eval.report.progress.describe_untested`: a grouping not compared, with the
#: number of instrument and area pairs (plural forms), one message per grouping.
NOT_COMPARED = {
    "srb_id": lambda k: ngettext("by SRB ({k} instrument and area pair)",
                              "by SRB ({k} instrument and area pairs)", k),
    "phase": lambda k: ngettext("by phase ({k} instrument and area pair)",
                              "by phase ({k} instrument and area pairs)", k),
    "primary_need": lambda k: ngettext("by primary need ({k} instrument and area pair)",
                              "by primary need ({k} instrument and area pairs)", k),
    "sex": lambda k: ngettext("by sex ({k} instrument and area pair)",
                              "by sex ({k} instrument and area pairs)", k),
    "fsm": lambda k: ngettext("by free school meals ({k} instrument and area pair)",
                              "by free school meals ({k} instrument and area pairs)", k),
    "year_group": lambda k: ngettext("by year group ({k} instrument and area pair)",
                              "by year group ({k} instrument and area pairs)", k),
    "instrument": lambda k: ngettext("by instrument ({k} instrument and area pair)",
                              "by instrument ({k} instrument and area pairs)", k),
    "area": lambda k: ngettext("by area ({k} instrument and area pair)",
                              "by area ({k} instrument and area pairs)", k),
}

#: :func:`~srb_eval.report.progress.describe_comparisons`: a comparison by a grouping that
#: found a difference, (p below 0.001, p = {p}), one pair of messages per grouping.
DIFFERENCE_FOUND = {
    "srb_id": (N_("{instrument}, {area}, by SRB (p below 0.001)"),
              N_("{instrument}, {area}, by SRB (p = {p})")),
    "phase": (N_("{instrument}, {area}, by phase (p below 0.001)"),
             N_("{instrument}, {area}, by phase (p = {p})")),
    "primary_need": (N_("{instrument}, {area}, by primary need (p below 0.001)"),
                    N_("{instrument}, {area}, by primary need (p = {p})")),
    "sex": (N_("{instrument}, {area}, by sex (p below 0.001)"),
           N_("{instrument}, {area}, by sex (p = {p})")),
    "fsm": (N_("{instrument}, {area}, by free school meals (p below 0.001)"),
           N_("{instrument}, {area}, by free school meals (p = {p})")),
    "year_group": (N_("{instrument}, {area}, by year group (p below 0.001)"),
                  N_("{instrument}, {area}, by year group (p = {p})")),
    "instrument": (N_("{instrument}, {area}, by instrument (p below 0.001)"),
                  N_("{instrument}, {area}, by instrument (p = {p})")),
    "area": (N_("{instrument}, {area}, by area (p below 0.001)"),
            N_("{instrument}, {area}, by area (p = {p})")),
}

def group_value_words(by: str, value: object, labels: Mapping[str, str] | None = None
                      ) -> str:
    """A group of the grouping ``by`` as a sentence or a figure names it, in the report's
    language: its label in ``labels`` (a resource base's name), a yes/no group of free
    school meals in words, a phase, an area or "unknown" translated; any other value (a
    code or name from the data) as it is.

    >>> group_value_words("fsm", True), group_value_words("phase", "primary")
    ('free school meals', 'primary')
    >>> group_value_words("srb_id", "SRB01", {"SRB01": "Ysgol Tywod"})
    'Ysgol Tywod'
    """
    text = str(value)
    if labels and text in labels:
        return labels[text]
    if by == "fsm" and text in ("True", "False"):
        return _("free school meals") if text == "True" else _("no free school meals")
    if by == "phase" and text in PHASE_WORDS:
        return _(text)
    if by == "area":
        return _("personal and social skills") if text == "personal_social" else area_word(text)
    if text == "unknown":
        return _("unknown")
    return text
