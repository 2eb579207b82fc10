"""The learner progress report's words in the report's language
(:mod:`srb_eval.report.i18n`): its group titles, and the translated copies of its tables.

The tables stay English where they are recorded (their disclosure records name their
columns and cells); :func:`shown` makes the copy a reader sees. A note or a label of the
measures and stats layers is translated by matching it against the messages here; one no
message matches (reworded upstream) is shown as it is with an
:class:`~srb_eval.report.i18n.UntranslatedWarning`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from . import disclosure
from .headers import plain_header
from .i18n import (
    AREA_WORDS,
    LANGUAGES,
    N_,
    current_language,
    format_date,
    format_number,
    in_language,
    ngettext,
    pgettext,
    unknown_text,
)
from .i18n import gettext as _
from .progress_groupings import GROUP_SENTENCES
from .progress_wording import of_phrase

__all__ = ["COVERAGE_ITEMS", "GROUP_WORDS", "HEADERS", "NOTE_WORDS", "cell_words",
           "BAND_WORDS", "band_word", "count_in_words", "count_words", "group_word", "group_title", "header_words", "note_words", "of_words", "results_by_status",
           "shown"]

#: The progress report's groupings (the English words of
#: :data:`srb_eval.report.progress.GROUP_TITLES`), shown in the report's language.
GROUP_WORDS = {
    # Translators: a grouping of learners, as in "compared by SRB"
    "SRB": N_("SRB"), "phase": N_("phase"), "primary need": N_("primary need"),
    "sex": N_("sex"), "free school meals": N_("free school meals"),
    "year group": N_("year group"), "instrument": N_("instrument"), "area": N_("area")}

def group_title(sentence: str, by: str) -> str:
    """A heading or caption of the progress report that names the grouping ``by`` (a
    column of :data:`~srb_eval.report.progress_groupings.GROUPINGS`), in the report's
    language: one message per grouping
    (:data:`~srb_eval.report.progress_groupings.GROUP_SENTENCES`); another column in
    English, with a warning in another language.

    >>> group_title("Expected progress by {group}", "srb_id")
    'Expected progress by SRB'
    """
    messages = GROUP_SENTENCES[sentence]
    if by in messages:
        return _(messages[by])
    return unknown_text(sentence.format(group=_COLUMN_WORDS.get(by, by.replace("_", " "))))


#: The column headers of the progress report's tables.
HEADERS = (
    N_("item"), N_("value"), N_("instrument"), N_("area"), N_("learners"),
    N_("results measured"), N_("median gain"), N_("middle half of gains"),
    N_("median gain a year"), N_("mean gain (95% CI)"), N_("effect size (Hedges' g)"),
    N_("EEF months (indicative)"), N_("note"), N_("results judged"), N_("below expected"),
    N_("% below"), N_("expected"), N_("% expected"), N_("above expected"), N_("% above"),
    N_("reliable change needs"), N_("reliable improvement"), N_("% improved"),
    N_("no reliable change"), N_("% no change"), N_("reliable deterioration"),
    N_("% deteriorated"), N_("average score at baseline"), N_("average change"),
    N_("expected from regression alone"), N_("change beyond regression (95% interval)"),
    N_("ratio gains measured"), N_("median ratio gain (middle half)"),
    N_("of doubtful educational significance"), N_("modest impact"), N_("useful impact"),
    N_("substantial impact"), N_("remarkable impact"), N_("gaps known"),
    N_("baseline gap meets placement guidance"), N_("median gap at baseline (months)"),
    N_("median gap at latest (months)"), N_("reviews"), N_("targets reviewed"),
    N_("met or exceeded"), N_("% met"), N_("median T (middle half)"),
    N_("reviews with T of 50 or more"), N_("% of reviews"), N_("compared by"),
    N_("groups compared"), N_("smallest group"), N_("test"), N_("p value"),
    N_("effect size"), N_("learner"), N_("baseline"), N_("latest"), N_("gain a year"),
    N_("expected a year"), *GROUP_WORDS.values())

#: The coverage table's items (:func:`srb_eval.report.progress_tables.display_coverage`).
COVERAGE_ITEMS = (
    N_("learners placed"), N_("learners with an assessment"), N_("learners with a follow-up"),
    N_("learners with progress measured"), N_("results"),
    N_("results measured over at least a term"), N_("results too soon to judge"),
    N_("results with no follow-up yet"))

#: Notes of the measures and stats layers (a note cell may join several with "; ").
NOTE_WORDS = (
    N_("too few to judge"), N_("all values equal: no interval"),
    N_("interval not estimable"), N_("no spread in either group"),
    N_("fewer than two learners in a group"), N_("no spread in scores"),
    N_("no progress measured yet"), N_("too few to compare"), N_("fewer than two groups"),
    N_("no variation"))
_NOTE_PATTERNS = (
    (re.compile(r"no interval under (?P<n>[\d,]+) results"),
     N_("no interval under {n} results")),
    (re.compile(r"effect size: (?P<note>.+)"), N_("effect size: {note}")),
    (re.compile(r"left out \(fewer than (?P<n>[\d,]+)\): (?P<groups>.+)"),
     N_("left out (fewer than {n}): {groups}")),
    (re.compile(r"smaller groups left out \(fewer than (?P<n>[\d,]+)\)"),
     N_("smaller groups left out (fewer than {n})")),
)

#: Other words of the progress tables' text cells.
_CELL_WORDS = (
    *COVERAGE_ITEMS, N_("not applicable"), N_("none"), N_("Kruskal-Wallis H"),
    N_("Mann-Whitney U"), N_("hold the score (RCI)"), N_("benchmark quartiles"),
    N_("no free school meals"), N_("unknown"), disclosure.NO_DATA_TEXT)
_CELL_PATTERNS = (
    (re.compile(r"(?P<count>\S+) of (?P<n>[\d,]+) \((?P<percent>[^()]+)\)"),
     N_("{count} of {n} ({percent})")),
    (re.compile(r"(?P<count>\S+) of (?P<n>[\d,]+)"), N_("{count} of {n}")),
    (re.compile(r"more than (?P<points>[\d.,]+) points"), N_("more than {points} points")),
    # Translators: an EEF months cell of a group with too few results measured
    (re.compile(r"too few \(under (?P<n>[\d,]+)\)"), N_("too few (under {n})")),
    (re.compile(r"(?P<effect>'?-?[\d.]+) \(epsilon-squared\)"),
     N_("{effect} (epsilon-squared)")),
    (re.compile(r"(?P<effect>'?-?[\d.]+) \(rank-biserial r\)"),
     N_("{effect} (rank-biserial r)")),
    (re.compile(r"(?P<value>'?[+-]?[\d.,]+) \((?P<low>[+-]?[\d.,]+) to (?P<high>[+-]?[\d.,]+)\)"),
     N_("{value} ({low} to {high})")),
    (re.compile(r"(?P<low>'?[+-]?[\d.,]+) to (?P<high>[+-]?[\d.,]+)"), N_("{low} to {high}")),
    (re.compile(r"(?P<srb>\S+) \((?P<phase>primary|secondary|all-through)\)"),
     N_("{srb} ({phase})")),
)
_SCORE_ON = re.compile(r"(?P<score>\S+) on (?P<date>\d\d \w{3} \d{4})")


def header_words(header: str) -> str:
    """A column header of a progress table (its plain header) in the report's language;
    one no message matches as it is (:func:`~srb_eval.report.i18n.unknown_text`)."""
    plain = plain_header(header)
    return _(plain) if plain in HEADERS else unknown_text(plain)


def note_words(note: str) -> str:
    """A note of the measures or stats layers in the report's language, each part of a
    note joined with "; " on its own; a part no message matches as it is, with a
    warning in another language."""
    parts = []
    for part in note.split("; "):
        if part in NOTE_WORDS:
            parts.append(_(part))
            continue
        for pattern, message in _NOTE_PATTERNS:
            m = pattern.fullmatch(part)
            if m:
                words = m.groupdict()
                if "note" in words:
                    words["note"] = note_words(words["note"])
                if "groups" in words:
                    words["groups"] = ", ".join(
                        _group_value(g) for g in words["groups"].split(", "))
                parts.append(_(message).format(**words))
                break
        else:
            parts.append(unknown_text(part))
    return "; ".join(parts)


def _group_value(value: str) -> str:
    """A group's name from the measures ("free school meals", a need code) in words."""
    if value in ("free school meals", "no free school meals", "unknown"):
        return _(value)
    return value


def cell_words(value: object) -> object:
    """A text cell of a progress table in the report's language: its words translated,
    a count out of a total, an interval, a resource base with its phase, a score on a
    date; anything else (a number, "[c]", a code or name from the data) as it is."""
    if not isinstance(value, str) or value in ("", "-", "'-", disclosure.SUPPRESSED_TEXT):
        return value
    if value in _CELL_WORDS or value in GROUP_WORDS:
        return _(value)
    if value == "all":
        return pgettext("group", "all")
    code = value.replace(" ", "_")
    if code in AREA_WORDS:
        return _(code)
    for pattern, message in _CELL_PATTERNS:
        m = pattern.fullmatch(value)
        if m:
            words = m.groupdict()
            if "phase" in words:
                words["phase"] = _(words["phase"])
            return _(message).format(**words)
    on = _SCORE_ON.fullmatch(value)
    if on:
        return _("{score} on {date}").format(
            score=on["score"], date=format_date(pd.Timestamp(on["date"]), "short"))
    return value


def shown(table: pd.DataFrame, *, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A table of the progress report as a reader sees it: a copy in the report's
    language (headers, words and notes translated; numbers, "[c]", "<5", learner ids,
    instruments and codes from the data as they are; ``labels`` maps a resource base's
    English label to the one to show). The English table is the one recorded; in
    English the copy is the table."""
    if current_language() == LANGUAGES[0]:
        return table
    out = table.copy()
    names = dict(labels or {})
    for c in out.columns:
        if not (out[c].dtype == object or pd.api.types.is_string_dtype(out[c])):
            continue
        head = plain_header(c)
        if head == "note":
            out[c] = out[c].astype(object).map(
                lambda v: note_words(v) if isinstance(v, str) and v not in ("", "-", "'-")
                else v)
        elif head == "groups compared":
            out[c] = out[c].astype(object).map(
                lambda v: "; ".join(_group_value(g) for g in v.split("; "))
                if isinstance(v, str) else v)
        elif head == "instrument":
            continue
        else:
            out[c] = out[c].astype(object).map(
                lambda v: names[v] if isinstance(v, str) and v in names else cell_words(v))
    return out.rename(columns={c: header_words(c) for c in out.columns})


#: The count phrases of the progress report's sentences, one set per noun counted:
#: "14 of 20 learners (70%)" and its published forms
#: (:func:`srb_eval.report.suppression.count_with_share`).
_OF_MESSAGES = {
    "learners": (N_("{count} of {n} learners ({percent})"), N_("{count} of {n} learners"),
                 N_("more than {count} of {n} learners"), N_("fewer than {n} learners")),
    "learners placed": (N_("{count} of {n} learners placed ({percent})"),
                        N_("{count} of {n} learners placed"),
                        N_("more than {count} of {n} learners placed"),
                        N_("fewer than {n} learners placed")),
    "results": (N_("{count} of {n} results ({percent})"), N_("{count} of {n} results"),
                N_("more than {count} of {n} results"), N_("fewer than {n} results")),
    "targets": (N_("{count} of {n} targets ({percent})"), N_("{count} of {n} targets"),
                N_("more than {count} of {n} targets"), N_("fewer than {n} targets")),
    "reviews": (N_("{count} of {n} reviews ({percent})"), N_("{count} of {n} reviews"),
                N_("more than {count} of {n} reviews"), N_("fewer than {n} reviews")),
}
_OF_FORMS = (
    re.compile(r"(?P<count>\S+) of (?P<n>[\d,]+) .+ \((?P<percent>[^()]+)\)"),
    re.compile(r"(?P<count>\S+) of (?P<n>[\d,]+) .+"),
    re.compile(r"more than (?P<count>[\d,]+) of (?P<n>[\d,]+) .+"),
    re.compile(r"fewer than (?P<n>[\d,]+) .+"),
)


def of_words(count: object, n: object, audience: str, noun: str = "learners",
             thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> str:
    """"14 of 20 learners (70%)" (:func:`~srb_eval.report.progress_wording.of_phrase`,
    small counts controlled for the audience) in the report's language; ``noun`` is one
    of "learners", "learners placed", "results", "targets" or "reviews".

    >>> of_words(14, 20, "internal"), of_words(3, 29, "published", "results")
    ('14 of 20 learners (70%)', '<5 of 29 results')
    """
    with in_language(LANGUAGES[0]):
        phrase = of_phrase(count, n, audience, noun, thresholds)
    if current_language() == LANGUAGES[0]:
        return phrase
    if phrase == disclosure.NO_DATA_TEXT:
        return _(phrase)
    more = _OF_FORMS[2].fullmatch(phrase)
    if more and phrase.endswith(" " + noun):
        return _(_OF_MESSAGES[noun][2]).format(**more.groupdict())
    for form, message in zip((_OF_FORMS[0], _OF_FORMS[1], _OF_FORMS[3]),
                             (_OF_MESSAGES[noun][0], _OF_MESSAGES[noun][1],
                              _OF_MESSAGES[noun][3]), strict=True):
        m = form.fullmatch(phrase)
        if m:
            return _(message).format(**m.groupdict())
    return unknown_text(phrase)


def count_words(n: object, audience: str, noun: str,
                thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> str:
    """"12 learners", or "<5 learners" for a published small count, in the report's
    language (``noun``: "learners" or "results").

    >>> count_words(3, "published", "learners"), count_words(1, "internal", "results")
    ('<5 learners', '1 result')
    """
    k = int(n)
    small = audience == "published" and 0 < k < thresholds.min_count
    if noun == "learners":
        return (_("{small} learners").format(small=thresholds.small_count_text) if small
                else ngettext("{n} learner", "{n} learners", k).format(n=format_number(k)))
    if noun == "results":
        return (_("{small} results").format(small=thresholds.small_count_text) if small
                else ngettext("{n} result", "{n} results", k).format(n=format_number(k)))
    raise ValueError(f"noun: 'learners' or 'results', not {noun!r}")


#: The grouping columns of the progress report and their words (the English of
#: :data:`srb_eval.report.progress.GROUP_TITLES`).
_COLUMN_WORDS = {"srb_id": "SRB", "phase": "phase", "primary_need": "primary need",
                 "sex": "sex", "fsm": "free school meals", "year_group": "year group",
                 "instrument": "instrument", "area": "area"}


def group_word(column: str) -> str:
    """A grouping column ("primary_need") in words in the report's language.

    >>> group_word("fsm")
    'free school meals'
    """
    word = _COLUMN_WORDS.get(column)
    return _(word) if word else column.replace("_", " ")


#: Small counts in words, as a number before a noun ("five learners"): each a message
#: in its context, so that a language can give the form a number takes before a noun.
_NUMBER_WORDS = (
    lambda: pgettext("number before a noun", "no"),
    lambda: pgettext("number before a noun", "one"),
    lambda: pgettext("number before a noun", "two"),
    lambda: pgettext("number before a noun", "three"),
    lambda: pgettext("number before a noun", "four"),
    lambda: pgettext("number before a noun", "five"),
    lambda: pgettext("number before a noun", "six"),
    lambda: pgettext("number before a noun", "seven"),
    lambda: pgettext("number before a noun", "eight"),
    lambda: pgettext("number before a noun", "nine"),
    lambda: pgettext("number before a noun", "ten"))


def count_in_words(n: int) -> str:
    """A small whole number in words before a noun (5: "five"; Welsh "pum"), larger ones
    as digits.

    >>> count_in_words(5), count_in_words(12)
    ('five', '12')
    """
    if 0 <= n < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[n]()
    return format_number(n)


#: Brooks' ratio-gain bands (``reference/brooks_bands``), in full and without "impact".
BAND_WORDS = (
    # Translators: Brooks' bands of ratio gain (as in "1.4 modest")
    N_("of doubtful educational significance"), N_("modest"), N_("useful"),
    N_("substantial"), N_("remarkable impact"), N_("remarkable"), N_("modest impact"),
    N_("useful impact"), N_("substantial impact"))


def band_word(label: str) -> str:
    """A band of Brooks' ratio gain from the reference data in the report's language; one
    no message matches (the reference data edited) as it is, with a warning in another
    language."""
    return _(label) if label in BAND_WORDS else unknown_text(label)


#: The internal progress report's sentence on results by status, one whole message for
#: each of "is"/"are" (measured, too soon) and "has"/"have" (no follow-up), each with the
#: plural forms of the number of results: keyed by which of the three counts are 1.
_RESULTS_BY_STATUS = {
    (False, False, False): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "are measured over at least a term, {too_soon} are too soon to "
        "judge (less than a term between baseline and latest assessment) "
        "and {no_follow_up} have no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} are measured over at least a term, {too_soon} are too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} have no follow-up yet.", total),
    (False, False, True): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "are measured over at least a term, {too_soon} are too soon to "
        "judge (less than a term between baseline and latest assessment) "
        "and {no_follow_up} has no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} are measured over at least a term, {too_soon} are too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} has no follow-up yet.", total),
    (False, True, False): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "are measured over at least a term, {too_soon} is too soon to judge "
        "(less than a term between baseline and latest assessment) and "
        "{no_follow_up} have no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} are measured over at least a term, {too_soon} is too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} have no follow-up yet.", total),
    (False, True, True): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "are measured over at least a term, {too_soon} is too soon to judge "
        "(less than a term between baseline and latest assessment) and "
        "{no_follow_up} has no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} are measured over at least a term, {too_soon} is too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} has no follow-up yet.", total),
    (True, False, False): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "is measured over at least a term, {too_soon} are too soon to judge "
        "(less than a term between baseline and latest assessment) and "
        "{no_follow_up} have no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} is measured over at least a term, {too_soon} are too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} have no follow-up yet.", total),
    (True, False, True): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "is measured over at least a term, {too_soon} are too soon to judge "
        "(less than a term between baseline and latest assessment) and "
        "{no_follow_up} has no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} is measured over at least a term, {too_soon} are too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} has no follow-up yet.", total),
    (True, True, False): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "is measured over at least a term, {too_soon} is too soon to judge "
        "(less than a term between baseline and latest assessment) and "
        "{no_follow_up} have no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} is measured over at least a term, {too_soon} is too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} have no follow-up yet.", total),
    (True, True, True): lambda total: ngettext(
        "Of their {total} result (learner, instrument and area), {measured} "
        "is measured over at least a term, {too_soon} is too soon to judge "
        "(less than a term between baseline and latest assessment) and "
        "{no_follow_up} has no follow-up yet.",
        "Of their {total} results (learner, instrument and area), "
        "{measured} is measured over at least a term, {too_soon} is too "
        "soon to judge (less than a term between baseline and latest "
        "assessment) and {no_follow_up} has no follow-up yet.", total),
}



def results_by_status(total: int, measured: int, too_soon: int, no_follow_up: int) -> str:
    """The internal progress report's sentence on ``total`` results by status, in the
    report's language: one whole message for each form the three counts take.

    >>> results_by_status(100, 80, 1, 19)  # doctest: +NORMALIZE_WHITESPACE
    'Of their 100 results (learner, instrument and area), 80 are measured over at least a
    term, 1 is too soon to judge (less than a term between baseline and latest assessment)
    and 19 have no follow-up yet.'
    """
    message = _RESULTS_BY_STATUS[measured == 1, too_soon == 1, no_follow_up == 1](int(total))
    return message.format(total=format_number(total), measured=format_number(measured),
                          too_soon=format_number(too_soon),
                          no_follow_up=format_number(no_follow_up))
