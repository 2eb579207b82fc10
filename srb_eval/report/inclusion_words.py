"""The inclusion report's words in the report's language (:mod:`srb_eval.report.i18n`):
the period phrases its sentences are built around, the count phrase "14 of 20 learners
(70%)", its group titles, and the translated copies of its tables.

A sentence never joins a period word to other words: each grammatical use of a period
("their latest term", "two or more terms", "from term to term") is a message of its own
for each period, so that a language can give each its own mutation, gender and
preposition (Welsh "eu tymor diweddaraf" but "eu hwythnos ddiweddaraf"), and the sentence
takes it as a named placeholder.

The tables stay English where they are recorded (their disclosure records name their
columns and cells); :func:`shown` makes the copy a reader sees.
"""

from __future__ import annotations

import re

import pandas as pd

from ..measures.inclusion import check_period
from . import disclosure, suppression
from .headers import plain_header
from .i18n import (
    LANGUAGES,
    N_,
    PHASE_WORDS,
    current_language,
    in_language,
    ngettext,
    pgettext,
    unknown_text,
)
from .i18n import gettext as _

__all__ = ["GROUP_WORDS", "PERIOD_PHRASES", "PERIOD_WORDS", "TERM_WORDS", "TREND_WORDS",
           "cell_words", "count_phrase", "group_title", "header_words", "period_label",
           "period_phrase",
           "shown", "srb_label"]

#: Each period of the data model (``period`` parameter) in words.
PERIOD_WORDS = {"week": N_("week"), "half_term": N_("half term"), "term": N_("term"),
                "school_year": N_("school year")}

#: Each period in each of the uses the inclusion report's sentences make of it; a
#: placeholder ``{n}`` is a number (of periods).
PERIOD_PHRASES: dict[str, dict[str, str]] = {
    # Translators: as in "the median learner's ... in each learner's latest term"
    "latest": {"week": N_("latest week"), "half_term": N_("latest half term"),
               "term": N_("latest term"), "school_year": N_("latest school year")},
    # Translators: as in "In their latest term, 14 of 20 learners spent ..."
    "their latest": {"week": N_("their latest week"),
                     "half_term": N_("their latest half term"),
                     "term": N_("their latest term"),
                     "school_year": N_("their latest school year")},
    # Translators: as in "learners with two or more terms of records"
    "two or more": {"week": N_("two or more weeks"), "half_term": N_("two or more half terms"),
                    "term": N_("two or more terms"),
                    "school_year": N_("two or more school years")},
    # Translators: as in "had too few terms to judge"
    "too few": {"week": N_("too few weeks"), "half_term": N_("too few half terms"),
                "term": N_("too few terms"), "school_year": N_("too few school years")},
    # Translators: as in "for 2 or more terms in a row" ({n}: a number of periods)
    "in a row": {"week": N_("{n} or more weeks in a row"),
                 "half_term": N_("{n} or more half terms in a row"),
                 "term": N_("{n} or more terms in a row"),
                 "school_year": N_("{n} or more school years in a row")},
    # Translators: as in "has met it for 2 or more terms" ({n}: a number of periods)
    "or more": {"week": N_("{n} or more weeks"), "half_term": N_("{n} or more half terms"),
                "term": N_("{n} or more terms"), "school_year": N_("{n} or more school years")},
    # Translators: as in "between their first and latest term"
    "first and latest": {"week": N_("their first and latest week"),
                         "half_term": N_("their first and latest half term"),
                         "term": N_("their first and latest term"),
                         "school_year": N_("their first and latest school year")},
    # Translators: as in "a learner with a single term of records"
    "a single": {"week": N_("a single week"), "half_term": N_("a single half term"),
                 "term": N_("a single term"), "school_year": N_("a single school year")},
    # Translators: as in "Median share of timetabled time in mainstream, by term"
    "by": {"week": N_("by week"), "half_term": N_("by half term"), "term": N_("by term"),
           "school_year": N_("by school year")},
    # Translators: as in "The learners change from term to term"
    "from to": {"week": N_("from week to week"), "half_term": N_("from half term to half term"),
                "term": N_("from term to term"),
                "school_year": N_("from school year to school year")},
    # Translators: as in "the median of one term is not the same learners as the next"
    "one": {"week": N_("one week"), "half_term": N_("one half term"), "term": N_("one term"),
            "school_year": N_("one school year")},
}


def period_phrase(use: str, period: str, **numbers: int) -> str:
    """The phrase of ``period`` for one ``use`` (a key of :data:`PERIOD_PHRASES`) in the
    report's language, its ``{n}`` filled from ``numbers``.

    Examples
    --------
    >>> period_phrase("their latest", "half_term"), period_phrase("in a row", "term", n=2)
    ('their latest half term', '2 or more terms in a row')
    """
    text = _(PERIOD_PHRASES[use][check_period(period)])
    return text.format(**numbers) if numbers else text


#: The names of terms and half terms in a period label ("2023/24 autumn 1").
TERM_WORDS = (
    # Translators: a school term in a period label, "2023/24 autumn" (the season's name)
    N_("autumn"), N_("spring"), N_("summer"))
_LABEL = re.compile(r"(?P<year>\d{4}/\d{2}) (?P<term>autumn|spring|summer)(?P<half> [12])?")
#: Period labels that read the same in every language: a school year, an ISO week.
_SAME_LABEL = re.compile(r"\d{4}/\d{2}|\d{4}-W\d{2}")


def period_label(label: object, *, strict: bool = False) -> object:
    """A period label of the inclusion measures ("2023/24 autumn", "2023/24 spring 2")
    in the report's language; a school year ("2023/24") and an ISO week ("2024-W05") as
    given. Any other text is returned as it is: with ``strict`` (the text is a period
    label) in another language with an :class:`~srb_eval.report.i18n.UntranslatedWarning`,
    so that a label reworded in the measures is not shown in English silently.

    Examples
    --------
    >>> with in_language("cy"):
    ...     period_label("2023/24 autumn 1"), period_label("2024-W05")
    ('2023/24 hydref 1', '2024-W05')
    """
    if not isinstance(label, str) or current_language() == LANGUAGES[0]:
        return label
    m = _LABEL.fullmatch(label)
    if m:
        return f"{m['year']} {_(m['term'])}{m['half'] or ''}"
    if strict and not _SAME_LABEL.fullmatch(label) and label != disclosure.NO_DATA_TEXT:
        return unknown_text(label)
    return _(label) if label == disclosure.NO_DATA_TEXT else label


#: Reader-facing names of the grouping columns (the English words are those of
#: :data:`srb_eval.report.inclusion.GROUP_TITLES`).
GROUP_WORDS = (N_("SRB"), N_("phase"), N_("primary need"), N_("sex"), N_("free school meals"),
               N_("statutory plan"), N_("home authority"))


def group_title(title: str) -> str:
    """A group title (a value of :data:`srb_eval.report.inclusion.GROUP_TITLES`) in the
    report's language."""
    return _(title) if title in GROUP_WORDS else title


def srb_label(srb: str, phase: object) -> str:
    """A resource base with its phase, "SRB01 (primary)", in the report's language.

    >>> srb_label("SRB01", "primary"), srb_label("SRB02", None)
    ('SRB01 (primary)', 'SRB02 (phase not known)')
    """
    if phase is None or pd.isna(phase):
        return _("{srb} (phase not known)").format(srb=srb)
    text = str(phase)
    return _("{srb} ({phase})").format(srb=srb, phase=_(text) if text in PHASE_WORDS else text)


_PHRASE = re.compile(r"(?P<count>\S+) of (?P<n>[\d,]+)(?: \((?P<percent>[^()]*)\))?")
_MORE = re.compile(r"more than (?P<count>[\d,]+) of (?P<n>[\d,]+)")
_FEWER = re.compile(r"fewer than (?P<n>[\d,]+) learners")


def count_phrase(count: object, n: int, *, audience: str,
                 thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> str:
    """"14 of 20 learners (70%)" for the audience, in the report's language: the counts
    of :func:`srb_eval.report.suppression.count_with_share` (small counts controlled); a
    count hidden in the table beside the sentence (NaN) is "[c] of 20 learners".

    Examples
    --------
    >>> count_phrase(14, 20, audience="internal"), count_phrase(3, 29, audience="published")
    ('14 of 20 learners (70%)', '<5 of 29 learners')
    >>> count_phrase(27, 29, audience="published"), count_phrase(6, 8, audience="published")
    ('more than 24 of 29 learners', 'fewer than 10 learners')
    """
    if pd.isna(count):
        return _("{count} of {n} learners").format(count=disclosure.SUPPRESSED_TEXT,
                                                  n=f"{int(n):,}")
    with in_language(LANGUAGES[0]):
        phrase = str(suppression.count_with_share(int(count), int(n), audience=audience,
                                                  thresholds=thresholds))
    more = _MORE.fullmatch(phrase)
    if more:
        return _("more than {count} of {n} learners").format(**more.groupdict())
    fewer = _FEWER.fullmatch(phrase)
    if fewer:
        return _("fewer than {n} learners").format(**fewer.groupdict())
    m = _PHRASE.fullmatch(phrase)
    if m and m["percent"] is not None:
        return _("{count} of {n} learners ({percent})").format(**m.groupdict())
    if m:
        return _("{count} of {n} learners").format(count=m["count"], n=m["n"])
    if phrase == disclosure.NO_DATA_TEXT:
        return _(phrase)
    return unknown_text(phrase)


#: The words of the inclusion tables' text cells.
TREND_WORDS = (N_("rising"), N_("steady"), N_("falling"), N_("too few terms"))
_CELL_WORDS = (*TREND_WORDS, *PHASE_WORDS, N_("core"), N_("other"), N_("review"),
               N_("no follow-up yet"), disclosure.NO_DATA_TEXT)
#: The column headers of the inclusion tables (those with a yardstick are patterns).
HEADERS = (N_("learners"), N_("median share in mainstream"), N_("learners with core subjects"),
           N_("median core share in mainstream"), N_("learners with two or more periods"),
           N_("rising (%)"), N_("steady (%)"), N_("falling (%)"), N_("median first share"),
           N_("median latest share"), N_("subject"), N_("core or other"),
           N_("learners timetabled"), N_("learners with mainstream time"),
           N_("hours timetabled"), N_("hours in mainstream"),
           N_("share of minutes in mainstream"), N_("learner id"), N_("n periods"),
           N_("first period"), N_("latest period"), N_("first share"), N_("latest share"),
           N_("change in share (percentage points)"), N_("trend"), N_("exit review"), N_("learner"),
           N_("periods in a row at or above"), N_("since (period start)"),
           N_("latest core share"))
_YARDSTICK_HEADERS = (
    (re.compile(r"at least (?P<share>\S+%) \(learners\)"), N_("at least {share} (learners)")),
    (re.compile(r"at least (?P<share>\S+%) \(% of learners\)"),
     N_("at least {share} (% of learners)")),
    (re.compile(r"at least (?P<share>\S+%) of core \(learners\)"),
     N_("at least {share} of core (learners)")),
    (re.compile(r"at least (?P<share>\S+%) of core \(%\)"), N_("at least {share} of core (%)")),
)


def header_words(header: str) -> str:
    """A column header of an inclusion table (its plain header) in the report's language;
    one no message matches as it is (:func:`~srb_eval.report.i18n.unknown_text`)."""
    plain = plain_header(header)
    for pattern, message in _YARDSTICK_HEADERS:
        m = pattern.fullmatch(plain)
        if m:
            return _(message).format(**m.groupdict())
    if plain in (*HEADERS, *GROUP_WORDS, *TREND_WORDS):
        return _(plain)
    return unknown_text(plain)


_POOLED = re.compile(r"other (?P<core>core )?subjects \((?P<k>[\d,]+)\)")
_POINTS = re.compile(r"(?P<points>[+-]?\d+) points")


def cell_words(value: object) -> object:
    """A text cell of an inclusion table in the report's language: its words translated,
    a period label, a pooled subject, a change in points; anything else (a number, "[c]",
    a name from the data) as it is."""
    if not isinstance(value, str):
        return value
    if value in _CELL_WORDS:
        return _(value)
    if value == "all":
        return pgettext("group", "all")
    pooled = _POOLED.fullmatch(value)
    if pooled:
        k = int(pooled["k"].replace(",", ""))
        return (ngettext("other core subjects ({k})", "other core subjects ({k})", k)
                if pooled["core"] else
                ngettext("other subjects ({k})", "other subjects ({k})", k)
                ).format(k=pooled["k"])
    points = _POINTS.fullmatch(value)
    if points:
        return _("{points} points").format(points=points["points"])
    return period_label(value)


#: Columns whose every cell is a period label or a trend word of the measures.
_PERIOD_COLUMNS = ("first_period", "latest_period")
_TREND_COLUMNS = ("trend",)


def _trend_word(value: object) -> object:
    """A trend of the measures in the report's language; one no message matches as it
    is, with a warning in another language."""
    if not isinstance(value, str) or value in ("", disclosure.NO_DATA_TEXT):
        return cell_words(value)
    return _(value) if value in TREND_WORDS else unknown_text(value)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A table of the inclusion report as a reader sees it: a copy in the report's
    language (headers and words translated; numbers, "[c]", "<5", learner ids and names
    from the data as they are). The English table is the one recorded; in English the
    copy is the table. A period label or a trend word that no message matches (reworded
    in the measures) is shown as it is with an
    :class:`~srb_eval.report.i18n.UntranslatedWarning`."""
    if current_language() == LANGUAGES[0]:
        return table
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            words = (_trend_word if c in _TREND_COLUMNS else
                     (lambda v: period_label(v, strict=True)) if c in _PERIOD_COLUMNS
                     else cell_words)
            out[c] = out[c].astype(object).map(words)
    return out.rename(columns={c: header_words(c) for c in out.columns})
