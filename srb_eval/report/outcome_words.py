"""The outcomes report (notebook 30) in the report's language: table and figure names,
headings, measure labels and the translated copies of its measure tables (issue #19).

The tables of :mod:`srb_eval.report.outcomes`, :mod:`srb_eval.report.year_on_year` and
:mod:`srb_eval.report.outcome_tables` are recorded in English (their disclosure records
name their columns and cells); :func:`shown` makes the copy a reader sees, with the same
numbers. A cell or label that no message matches (reworded upstream) is shown as it is
with an :class:`~srb_eval.report.i18n.UntranslatedWarning`.
"""

from __future__ import annotations

import re

import pandas as pd

from ..measures.wellbeing import EXCLUSIONS_PER, PERSISTENT_ABSENCE_BELOW
from . import disclosure
from .headers import plain_header
from .i18n import (
    LANGUAGES,
    N_,
    current_language,
    ngettext,
    unknown_text,
)
from .i18n import gettext as _
from .outcomes import FIGURES, MEASURE_WORDS, SECTIONS, TABLES, area_label, percent
from .quantifiers import NO_DATA, TOO_FEW, quantifier_table, term_words

__all__ = [
    "cell_words",
    "comparison_heading",
    "figure_name",
    "header_words",
    "name_words",
    "label_words",
    "main_findings_heading",
    "measure_label",
    "section_words",
    "shown",
    "source_words",
    "table_name",
]


def table_name(key: str) -> str:
    """A table of the report by key of :data:`~srb_eval.report.outcomes.TABLES`, in the
    report's language: "Table 2.1" (Welsh "Tabl 2.1")."""
    return _("Table {number}").format(number=TABLES[key].removeprefix("Table "))


def figure_name(key: str) -> str:
    """A figure of the report by key of :data:`~srb_eval.report.outcomes.FIGURES`:
    "Figure 2.1" (Welsh "Ffigur 2.1")."""
    return _("Figure {number}").format(number=FIGURES[key].removeprefix("Figure "))


_NAMED = re.compile(r"(?P<kind>Table|Figure) (?P<number>[\dA-Z]+\.\d+)")


def source_words(source: str) -> str:
    """Where a finding is shown ("Table 2.1, Figure 2.1"; several joined by "; ") with
    each table and figure named in the report's language."""
    def name(m: re.Match) -> str:
        message = _("Table {number}") if m["kind"] == "Table" else _("Figure {number}")
        return message.format(number=m["number"])
    return _NAMED.sub(name, source)


def main_findings_heading(n_strengths: int, n_areas: int) -> str:
    """ "Main findings: 3 strengths and 2 areas for development"."""
    return _("Main findings: {strengths} and {areas}").format(
        strengths=ngettext("{n} strength", "{n} strengths", n_strengths).format(
            n=n_strengths),
        areas=ngettext("{n} area for development", "{n} areas for development",
                       n_areas).format(n=n_areas))


def comparison_heading(better: int, worse: int, *, comparison_year: str | None,
                       have_comparison: bool) -> str:
    """The heading of the year-on-year table: "Compared with 2024/25: 3 measures better,
    1 worse", or why there is no comparison."""
    if comparison_year is None:
        return _("No comparison year")
    if not have_comparison:
        return _("No comparison: the dataset has no records for {year}").format(
            year=comparison_year)
    return ngettext("Compared with {year}: {better} measure better, {worse} worse",
                    "Compared with {year}: {better} measures better, {worse} worse",
                    better).format(year=comparison_year, better=better, worse=worse)


def section_words(key: str) -> str:
    """A section of the report (a key of :data:`~srb_eval.report.outcomes.SECTIONS`)."""
    return _(SECTIONS[key])


# --------------------------------------------------------------------------- labels

_ABSENT = percent(PERSISTENT_ABSENCE_BELOW)


def measure_label(measure: str) -> str:
    """The label of a measure of :data:`~srb_eval.report.outcomes.MEASURE_WORDS` in the
    report's language (the English label in English)."""
    if measure.startswith("progress_"):
        return _("at least expected progress: {area}").format(
            area=area_label(measure.removeprefix("progress_")))
    labels = {
        "leavers_with_award": _("leavers (16+) with an accredited award"),
        "attendance_rate": _("attendance (sessions attended)"),
        "persistent_absence": _("persistently absent (below {share})").format(share=_ABSENT),
        "learners_excluded": _("learners with a fixed-term exclusion"),
        "exclusion_rate": _("fixed-term exclusions per {per} learners").format(
            per=EXCLUSIONS_PER),
        "inclusion_at_least_half": _("at least half the week in mainstream"),
        "inclusion_rising": _("time in mainstream rising"),
        "inclusion_falling": _("time in mainstream falling"),
        "returned_to_mainstream": _("leavers returning to mainstream"),
        "stayed_after_exit_criterion": _("still placed after meeting the exit criterion"),
        "unfilled_places": _("unfilled places (census)"),
    }
    return labels[measure]


_LABEL_MEASURES = {w["label"]: m for m, w in MEASURE_WORDS.items()}


def label_words(label: object) -> object:
    """A measure's English label (a table header or row) in the report's language."""
    if not isinstance(label, str) or current_language() == LANGUAGES[0]:
        return label
    measure = _LABEL_MEASURES.get(label)
    return measure_label(measure) if measure is not None else unknown_text(label)


# --------------------------------------------------------------------------- cells

_NUMBER = r"[\d,.]+"
_COUNT = r"(?:[\d,]+|<\d+|\[c\])"
_WORDED = re.compile(rf"(?P<word>[a-z][a-z ]*): (?P<count>{_COUNT}) of (?P<n>{_COUNT})"
                     rf" \((?P<pct>[^()]+)\)")
_SHARE = re.compile(rf"(?P<count>{_COUNT}) of (?P<n>{_COUNT}) \((?P<pct>[^()]+)\)")
_OF = re.compile(rf"(?P<count>{_COUNT}) of (?P<n>{_COUNT})")
_MORE = re.compile(rf"more than (?P<count>{_NUMBER}) of (?P<n>{_COUNT})")
_FEW = re.compile(rf"too few to judge \(n=(?P<n>{_COUNT})\)")
_SESSIONS = re.compile(rf"(?P<value>{_NUMBER}%|\[c\]) \((?P<n>{_COUNT}) learners\)")
_RATE = re.compile(rf"(?P<value>{_NUMBER}|\[c\]|no data) per {EXCLUSIONS_PER} "
                   rf"\((?P<count>{_COUNT}|no data) exclusions?, (?P<n>{_COUNT}) learners\)")
_PLACES = re.compile(rf"(?P<count>{_COUNT}) of (?P<n>{_COUNT}) places \((?P<pct>[^()]+)\)")
_CHANGE = re.compile(r"(?P<change>[+-][\d.]+) (?P<unit>points?|per \d+)")
#: Words a cell of these tables may be, whole.
CELL_WORDS = (TOO_FEW, NO_DATA, N_("no comparison data"), N_("no change"),
              N_("better"), N_("worse"))


def cell_words(value: object) -> object:
    """A cell of a measure table in the report's language: "most: 27 of 29 (93%)",
    "91.2% (40 learners)", "12.5 per 100 (5 exclusions, 40 learners)", "+5 points"...;
    numbers, "[c]" and "<5" as they are. A text cell no pattern matches is shown as it is
    with a warning."""
    if not isinstance(value, str) or current_language() == LANGUAGES[0]:
        return value
    if value in CELL_WORDS:
        return _(value)
    if value in ("", "–", disclosure.SUPPRESSED_TEXT) or re.fullmatch(
            rf"{_COUNT}|[+-]?{_NUMBER}%?", value):
        return value
    words = term_words()
    m = _WORDED.fullmatch(value)
    if m and m["word"] in words:
        return _("{word}: {count} of {n} ({percent})").format(
            word=words[m["word"]], count=m["count"], n=m["n"], percent=m["pct"])
    m = _PLACES.fullmatch(value)
    if m:
        return _("{count} of {n} places ({percent})").format(
            count=m["count"], n=m["n"], percent=m["pct"])
    m = _SHARE.fullmatch(value)
    if m:
        return _("{count} of {n} ({percent})").format(count=m["count"], n=m["n"],
                                                      percent=m["pct"])
    m = _MORE.fullmatch(value)
    if m:
        return _("more than {count} of {n}").format(**m.groupdict())
    m = _OF.fullmatch(value)
    if m:
        return _("{count} of {n}").format(**m.groupdict())
    m = _FEW.fullmatch(value)
    if m:
        return _("too few to judge (n={n})").format(n=m["n"])
    m = _SESSIONS.fullmatch(value)
    if m:
        return _("{value} ({n} learners)").format(**m.groupdict())
    m = _RATE.fullmatch(value)
    if m:
        count = m["count"] if m["count"] != NO_DATA else _(NO_DATA)
        rate = m["value"] if m["value"] != NO_DATA else _(NO_DATA)
        # Translators: a rate of fixed-term exclusions per 100 learners, with its counts
        return (_("{rate} per {per} (1 exclusion, {n} learners)") if m["count"] == "1" else
                _("{rate} per {per} ({count} exclusions, {n} learners)")).format(
            rate=rate, per=EXCLUSIONS_PER, count=count, n=m["n"])
    m = _CHANGE.fullmatch(value)
    if m:
        change = m["change"]
        if m["unit"].startswith("per"):
            return _("{change} per {per}").format(change=change, per=EXCLUSIONS_PER)
        return (_("{change} point") if m["unit"] == "point" else
                _("{change} points")).format(change=change)
    return unknown_text(value)


#: Column headers of the outcomes report's tables other than measure labels and levels.
HEADERS = (N_("group"), N_("measure"), N_("section"), N_("change"), N_("comparison year"),
           N_("stage"), N_("family"), N_("awards"), N_("learners"), N_("leavers"),
           N_("reason"), N_("median stay of leavers (years)"), N_("on roll at year end"),
           N_("median time so far (years)"), N_("term"), N_("Estyn's glossary"),
           N_("share used here"))
#: Destinations as the leavers' table heads them (:func:`~srb_eval.report.headers.
#: plain_header` of the data model's codes).
DESTINATION_WORDS = (N_("mainstream"), N_("special school"), N_("independent special"),
                     N_("another resource base"), N_("further education"),
                     N_("work based learning"), N_("employment"), N_("other"),
                     N_("unknown"), N_("not recorded"))
#: Levels, stages and families of awards (:mod:`srb_eval.measures.qualifications`).
AWARD_WORDS = (N_("Entry 1"), N_("Entry 2"), N_("Entry 3"), N_("Level 1"), N_("Level 2"),
               N_("Level 3"), N_("14-16"), N_("post-16"), N_("under 14"),
               N_("Essential Skills Wales"), N_("Welsh Baccalaureate"), N_("GCSE"),
               N_("ASDAN"), N_("OCN"), N_("BTEC"), N_("Entry Level"), N_("Other"),
               N_("all awards"))
#: Total rows and pooled rows of the leavers' tables.
TOTAL_WORDS = (N_("all SRBs"), N_("all leavers"), N_("all"))
_POOLED = re.compile(r"other reasons \(each fewer than (?P<n>\d+) leavers\)")


def header_words(header: object) -> object:
    """A column header of the outcomes report's tables (a measure label, a level, a
    destination, a word of the package) in the report's language; a group from the data
    as it is."""
    if not isinstance(header, str):
        return header
    plain = plain_header(header)
    if plain in (*HEADERS, *DESTINATION_WORDS, *AWARD_WORDS, *TOTAL_WORDS):
        return _(plain)
    if re.fullmatch(r"\d{4}/\d{2}", plain):  # a school year
        return plain
    if plain in _LABEL_MEASURES:
        return label_words(plain)
    return plain  # a group from the data (an SRB name, a need code)


def _data_cell(value: object) -> object:
    """A row named from the data (an SRB, a need, an exit reason) as it is; a total or
    pooled row translated."""
    if not isinstance(value, str):
        return value
    if value in TOTAL_WORDS:
        return _(value)
    pooled = _POOLED.fullmatch(value)
    if pooled:
        return _("other reasons (each fewer than {n} leavers)").format(n=pooled["n"])
    return value


def name_words(value: object) -> object:
    """A row name of the outcomes report's tables and figures: a word of the package (a
    total, a stage, a family of awards, a section) translated, a name from the data (an
    SRB, a need, an exit reason) as it is."""
    if isinstance(value, str) and value in (*SECTIONS.values(), *AWARD_WORDS):
        return _(value)
    return _data_cell(value)


def _known_cell(value: object) -> object:
    """A cell that is a word of the package (a section, a stage, a family)."""
    if not isinstance(value, str):
        return value
    if value in (*SECTIONS.values(), *AWARD_WORDS, *TOTAL_WORDS):
        return _(value)
    return unknown_text(value)


def _cell_function(column: object):
    if column in ("group", "reason"):
        return _data_cell
    if column == "measure":
        return label_words
    if column in ("section", "stage", "family"):
        return _known_cell
    if column == "term":
        return _term_cell
    if column == "Estyn's glossary":
        return _meaning_cell
    if column == "share used here":
        return _rule_cell
    return cell_words


def _term_cell(value: object) -> object:
    words = term_words()
    return words[value] if isinstance(value, str) and value in words else value


def _meaning_cell(value: object) -> object:
    """Estyn's meaning of a term: the Welsh of the quantifier table beside the English."""
    if not isinstance(value, str):
        return value
    table = quantifier_table()
    meanings = dict(zip(table["estyn_meaning"], table["estyn_meaning_cy"], strict=True))
    return meanings[value] if value in meanings else unknown_text(value)


#: The shares each Estyn word stands for here (estyn_quantifiers.csv, srb_eval_rule).
RULE_WORDS = (
    N_("count = n"), N_("95% or more, not all (exceptions fewer than 1 in 20; 93% is most)"),
    N_("90% up to (not including) 95%"), N_("70% up to (not including) 90%"),
    N_("over 60% up to (not including) 70%"), N_("exactly 50%"),
    N_("40% to 60% inclusive, except exactly 50% (closes the glossary's gap between a "
       "minority and a majority)"),
    N_("20% up to (not including) 40%"), N_("10% up to (not including) 20%"),
    N_("more than 0% and less than 10%"), N_("count = 0"))


def _rule_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    return _(value) if value in RULE_WORDS else unknown_text(value)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A table of the outcomes report (a measure table of
    :func:`~srb_eval.report.outcomes.measure_table`, the year-on-year table, the awards,
    destinations, exit reasons and stays tables) as a reader sees it, in the report's
    language: the English table is the one recorded, and in English the copy is the
    table. Names from the data (SRBs, needs, exit reasons) stay as they are."""
    if current_language() == LANGUAGES[0]:
        return table
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].astype(object).map(_cell_function(c))
    return out.rename(columns={c: header_words(c) for c in out.columns})
