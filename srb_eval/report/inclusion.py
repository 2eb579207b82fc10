"""The inclusion report's words: headings, sentences, yardsticks and parameter checks.

Every number in a sentence comes from a table of the inclusion measures
(:mod:`srb_eval.measures.inclusion`, :mod:`~srb_eval.measures.inclusion_trends`,
:mod:`~srb_eval.measures.inclusion_groups`, :mod:`~srb_eval.measures.subjects`) or from
a parameter (the yardsticks, the disclosure thresholds); counts are worded by
:func:`srb_eval.report.suppression.count_with_share` for the report's audience. The
display tables are in :mod:`srb_eval.report.inclusion_tables`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..measures.inclusion import (
    CORE_EXIT_SHARE,
    ESTYN_SHARE,
    SOURCES,
    TYPICAL_SHARE,
    check_core_subjects,
    check_period,
    check_share,
    check_table,
    check_thresholds,
    threshold_column,
)
from ..params import iso_date, whole_number
from . import disclosure
from .i18n import (
    N_,
    format_number,
    join_and,
    ngettext,
    pgettext,
    unknown_text,
)
from .i18n import gettext as _
from .inclusion_words import count_phrase, period_phrase, srb_label

__all__ = [
    "GROUP_TITLES", "REFERENCE_LINES", "UNITS", "caveats", "check_report_parameters",
    "describe_exit_review", "describe_subjects", "describe_thresholds", "describe_trend_rule",
    "describe_trends", "describe_yardsticks", "exit_heading", "group_column",
    "latest_heading", "percent_text", "share_text", "srb_labels", "trend_heading", "whole_percent", "with_group_titles",
]

#: Reader-facing names of grouping columns.
GROUP_TITLES: dict[str, str] = {"srb_id": "SRB", "phase": "phase",
                                "primary_need": "primary need", "sex": "sex",
                                "fsm": "free school meals",
                                "statutory_plan": "statutory plan",
                                "home_authority": "home authority"}

#: Singular and plural of each period, for sentences.
UNITS: dict[str, tuple[str, str]] = {
    "week": ("week", "weeks"), "half_term": ("half term", "half terms"),
    "term": ("term", "terms"), "school_year": ("school year", "school years")}


def whole_percent(values: object) -> np.ndarray:
    """Whole percentages of shares, rounded half up (after rounding away float noise:
    0.545 is 54.49999... in floats and shows as 55%)."""
    return np.floor(np.round(100 * np.asarray(values, dtype=float), 9) + 0.5)


def share_text(share: float) -> str:
    """A share as a whole percentage, "no data" when missing (in the report's language)."""
    if share is None or pd.isna(share):
        return _(disclosure.NO_DATA_TEXT)
    return f"{whole_percent(float(share)):.0f}%"


#: Reference lines for figures: (share, label, applies to "overall" or "core"); each
#: label a message with the share as ``{share}`` (:func:`reference_lines`).
REFERENCE_LINES: tuple[tuple[float, str, str], ...] = (
    (TYPICAL_SHARE, N_("about {share} (a city council's description)"), "overall"),
    (ESTYN_SHARE, N_("as much as {share} (Estyn, Joining in, 2008)"), "overall"),
    (CORE_EXIT_SHARE, N_("{share} of core: exit criterion (local authority SRB guidance, "
                         "2025)"), "core"),
)


def reference_lines() -> list[tuple[float, str, str]]:
    """:data:`REFERENCE_LINES` with their labels in the report's language.

    >>> reference_lines()[0][1]
    "about 50% (a city council's description)"
    """
    return [(v, _(label).format(share=share_text(v)), applies)
            for v, label, applies in REFERENCE_LINES]


def _of(count: int, n: int, audience: str, thresholds: disclosure.Thresholds) -> str:
    """"14 of 20 learners (70%)" (:func:`srb_eval.report.inclusion_words.count_phrase`)."""
    return count_phrase(count, n, audience=audience, thresholds=thresholds)


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    check_argument(ok, name, allowed, got, error=ParameterError)


def _too_few(n: int, audience: str, minimum: int) -> bool:
    return n == 0 or (audience == "published" and n < minimum)


def describe_thresholds(row: Mapping[str, object] | pd.Series, *, audience: str,
                        thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                        core_threshold: float = CORE_EXIT_SHARE,
                        disclosure_thresholds: disclosure.Thresholds =
                        disclosure.DEFAULT_THRESHOLDS) -> str:
    """The sentence a report prints for one row of ``threshold_shares``, in the report's
    language.

    Parameters
    ----------
    row : mapping or Series
        One row of ``threshold_shares`` (typically ``by=()``).
    audience : {"internal", "published"}
    thresholds, core_threshold : as passed to ``threshold_shares``
    disclosure_thresholds : srb_eval.report.disclosure.Thresholds

    Returns
    -------
    str
        E.g. "The median learner spent 44% of their timetabled time in mainstream
        classes; 38 of 95 learners (40%) spent at least 50% and 25 of 95 learners (26%)
        at least 60%. 12 of 80 learners (15%) spent at least 80% of their core-subject
        time in mainstream (the exit criterion)." Counts are worded by
        :func:`srb_eval.report.suppression.count_with_share`; in a published report a median of
        fewer than ``min_denominator`` learners is not given ("too few to judge").

    Examples
    --------
    >>> row = {"n": 4, "at_or_above_50": 2, "at_or_above_60": 1, "median_share": 0.5,
    ...        "core_n": 0, "core_at_or_above_80": 0, "median_core_share": None}
    >>> describe_thresholds(row, audience="internal")  # doctest: +NORMALIZE_WHITESPACE
    'The median learner spent 50% of their timetabled time in mainstream classes;
    2 of 4 learners (50%) spent at least 50% and 1 of 4 learners (25%) at least 60%.
    No learner had core-subject time timetabled, so the exit criterion cannot be
    judged.'
    """
    audience = disclosure.check_audience(audience)
    limits = disclosure_thresholds
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    minimum = disclosure_thresholds.min_denominator
    if pd.isna(row["n"]) or pd.isna(row["core_n"]):
        return _("Counts of learners at each yardstick are hidden in the tables below to "
                 "protect small groups.")
    n = int(row["n"])
    if n == 0:
        return _("No learner had any timetabled minutes recorded, so inclusion cannot be "
                 "judged.")
    parts = []
    if _too_few(n, audience, minimum):
        parts.append(_("Fewer than {n} learners had inclusion records: too few to judge in "
                       "a published report.").format(n=minimum))
    else:
        counts = [_of(row[threshold_column(t)], n, audience, limits) for t in ts]
        phrases = [_("{learners} spent at least {share}").format(
            learners=counts[0], share=share_text(ts[0]))] + [
            _("{learners} at least {share}").format(learners=c, share=share_text(t))
            for c, t in zip(counts[1:], ts[1:], strict=True)]
        parts.append(_("The median learner spent {share} of their timetabled time in "
                       "mainstream classes; {listed}.").format(
            share=share_text(row["median_share"]), listed=join_and(phrases)))
    core_n = int(row["core_n"])
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    if core_n == 0:
        parts.append(_("No learner had core-subject time timetabled, so the exit criterion "
                       "cannot be judged."))
    elif _too_few(core_n, audience, minimum):
        parts.append(_("Fewer than {n} learners had core subjects timetabled: too few to "
                       "judge the exit criterion in a published report.").format(n=minimum))
    else:
        parts.append(_capital(_("{learners} spent at least {share} of their core-subject "
                                "time in mainstream classes (the exit criterion).").format(
            learners=_of(row[core_name], core_n, audience, limits), share=share_text(core_t))))
    return " ".join(parts)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_trends(row: Mapping[str, object] | pd.Series, *, audience: str,
                    period: str = "term",
                    disclosure_thresholds: disclosure.Thresholds =
                    disclosure.DEFAULT_THRESHOLDS, hidden: Sequence[str] = ()) -> str:
    """The sentence a report prints for one row of ``trend_counts``, in the report's
    language.

    ``hidden`` names the counts of this row that the published table beside the
    sentence hides (:func:`srb_eval.report.inclusion_tables.hidden_totals`); if any is
    hidden, the sentence states no count, so that it cannot undo the table's protection.

    Returns
    -------
    str
        E.g. "Inclusion rose for 14 of 20 learners (70%) with two or more terms of
        records, stayed steady for 4 of 20 learners (20%) and fell for 2 of 20 learners
        (10%); their median share moved from 31% to 44%. 3 learners had too few terms
        to judge." With no learner judged, or (published) fewer than
        ``min_denominator``, it says the trend is too few to judge. ``period`` names
        the unit ("two or more weeks" for weekly shares).

    Examples
    --------
    >>> row = {"n": 3, "rising": 1, "steady": 1, "falling": 0, "too_few_terms": 1,
    ...        "with_trend": 2, "median_first_share": 0.3, "median_latest_share": 0.45}
    >>> describe_trends(row, audience="internal")  # doctest: +NORMALIZE_WHITESPACE
    'Inclusion rose for 1 of 2 learners (50%) with two or more terms of records, stayed
    steady for 1 of 2 learners (50%) and fell for 0 of 2 learners (0%); their median
    share moved from 30% to 45%. 1 learner had too few terms to judge.'
    """
    audience = disclosure.check_audience(audience)
    limits = disclosure_thresholds
    period = check_period(period)
    words = {"two_or_more": period_phrase("two or more", period),
             "too_few": period_phrase("too few", period)}
    minimum = disclosure_thresholds.min_denominator
    n, judged, few = int(row["n"]), int(row["with_trend"]), int(row["too_few_terms"])
    if judged == 0:
        if not n:
            return _("There are no inclusion records to judge a trend from.")
        return _("No learner has {two_or_more} of inclusion records yet: {too_few} to judge "
                 "a trend.").format(**words)
    if _too_few(judged, audience, minimum):
        return _("Fewer than {n} learners have {two_or_more} of records: too few to judge "
                 "trends in a published report.").format(n=minimum, **words)
    if audience == "published" and hidden:
        return _("Some counts of rising, steady and falling inclusion are hidden in the "
                 "table below to protect small groups, so they are not stated here.")
    text = _("Inclusion rose for {rising} with {two_or_more} of records, stayed steady for "
             "{steady} and fell for {falling}; their median share moved from {first} to "
             "{latest}.").format(
        rising=_of(row["rising"], judged, audience, limits),
        steady=_of(row["steady"], judged, audience, limits),
        falling=_of(row["falling"], judged, audience, limits),
        first=share_text(row["median_first_share"]),
        latest=share_text(row["median_latest_share"]), **words)
    if few:
        if audience == "published" and few < disclosure_thresholds.min_count:
            text += " " + _("Fewer than {n} learners had {too_few} to judge.").format(
                n=disclosure_thresholds.min_count, **words)
        else:
            text += " " + ngettext("{n} learner had {too_few} to judge.",
                                   "{n} learners had {too_few} to judge.", few).format(
                n=few, **words)
    return text


def describe_exit_review(n_listed: int, n_placed: int, *, audience: str,
                         core_threshold: float = CORE_EXIT_SHARE,
                         sustained_periods: int = 2, period: str = "term",
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS) -> str:
    """The sentence a report prints about ``exit_review``, in the report's language.

    Parameters
    ----------
    n_listed : int
        Learners listed by ``exit_review``.
    n_placed : int
        Learners still placed with core inclusion records (the denominator).
    audience : {"internal", "published"}
    core_threshold, sustained_periods, period : as used for the review.

    Returns
    -------
    str
        E.g. "12 of 80 learners (15%) still placed have spent at least 80% of their
        core-subject time in mainstream for 2 or more terms in a row: their placements
        should be reviewed against the exit criteria." Counts are disclosure-controlled
        for a published audience; with fewer than 10 learners still placed (the
        disclosure threshold ``min_denominator``) a published sentence gives no count.

    Examples
    --------
    >>> describe_exit_review(0, 20, audience="published")  # doctest: +NORMALIZE_WHITESPACE
    'No learner still placed has spent at least 80% of their core-subject time in
    mainstream classes for 2 or more terms in a row.'
    """
    audience = disclosure.check_audience(audience)
    limits = disclosure_thresholds
    core_t = check_share(core_threshold, "core_threshold")
    sustained = whole_number(sustained_periods, "sustained_periods", minimum=1)
    run = period_phrase("in a row", period, n=sustained)
    minimum = disclosure_thresholds.min_denominator
    if n_listed and audience == "published" and n_placed < minimum:
        return _("Fewer than {n} learners still placed have core-subject records: too few "
                 "to report how many meet the exit criterion in a published report."
                 ).format(n=minimum)
    if n_listed == 0:
        if n_placed == 0:
            return _("No learner still placed has core-subject inclusion records, so the "
                     "exit criterion cannot be checked.")
        return _("No learner still placed has spent at least {share} of their core-subject "
                 "time in mainstream classes for {run}.").format(share=share_text(core_t),
                                                                 run=run)
    learners = _of(n_listed, n_placed, audience, limits)
    if audience == "internal" and n_listed == 1:
        text = _("{learners} still placed with core-subject records has spent at least "
                 "{share} of their core-subject time in mainstream classes for {run}: their "
                 "placements should be reviewed against the exit criteria.")
    else:
        text = _("{learners} still placed with core-subject records have spent at least "
                 "{share} of their core-subject time in mainstream classes for {run}: their "
                 "placements should be reviewed against the exit criteria.")
    return _capital(text.format(learners=learners, share=share_text(core_t), run=run))


def describe_subjects(breakdown: pd.DataFrame, *, audience: str,
                      disclosure_thresholds: disclosure.Thresholds =
                      disclosure.DEFAULT_THRESHOLDS) -> str:
    """Where inclusion is highest and lowest, from ``subject_breakdown`` (``by=()``), in
    the report's language (subjects are names from the data, shown as given).

    Returns
    -------
    str
        E.g. "Mainstream time was highest in art (72% of timetabled minutes) and lowest
        in mathematics (31%)." Subjects timetabled for fewer than ``min_denominator``
        learners are left out of a published sentence.

    Examples
    --------
    >>> b = pd.DataFrame({"subject": ["art", "maths"], "learners_timetabled": [12, 12],
    ...                   "mainstream_share": [0.72, 0.31]})
    >>> describe_subjects(b, audience="published")  # doctest: +NORMALIZE_WHITESPACE
    'Mainstream time was highest in art (72% of timetabled minutes) and lowest in
    maths (31%).'
    """
    audience = disclosure.check_audience(audience)
    check_table(breakdown, "breakdown", ["subject", "learners_timetabled",
                                          "mainstream_share"])
    b = breakdown.loc[breakdown["mainstream_share"].notna().to_numpy()]
    if audience == "published":
        b = b.loc[(b["learners_timetabled"] >= disclosure_thresholds.min_denominator)
                  .to_numpy()]
    if len(b) == 0:
        return _("Too few learners to compare subjects.")
    b = b.sort_values(["mainstream_share", "subject"], ascending=[False, True],
                      kind="stable")
    hi, lo = b.iloc[0], b.iloc[-1]
    if len(b) > 1 and hi["mainstream_share"] == lo["mainstream_share"]:
        return _("Mainstream time was {share} of timetabled minutes in every subject."
                 ).format(share=share_text(hi["mainstream_share"]))
    if len(b) == 1:
        return _("Mainstream time was {share} of timetabled minutes in {subject}.").format(
            share=share_text(hi["mainstream_share"]), subject=hi["subject"])
    return _("Mainstream time was highest in {high} ({high_share} of timetabled minutes) "
             "and lowest in {low} ({low_share}).").format(
        high=hi["subject"], high_share=share_text(hi["mainstream_share"]), low=lo["subject"],
        low_share=share_text(lo["mainstream_share"]))


def latest_heading(row: Mapping[str, object] | pd.Series, *, audience: str,
                   period: str = "term", threshold: float = TYPICAL_SHARE,
                   disclosure_thresholds: disclosure.Thresholds =
                   disclosure.DEFAULT_THRESHOLDS) -> str:
    """A heading that says what was found, from a ``threshold_shares`` row, in the
    report's language.

    Examples
    --------
    >>> latest_heading({"n": 20, "at_or_above_50": 14}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    'In their latest term, 14 of 20 learners (70%) spent at least 50% of their
    timetabled time in mainstream classes'
    """
    audience = disclosure.check_audience(audience)
    limits = disclosure_thresholds
    period = check_period(period)
    if pd.isna(row["n"]):
        return _("Time in mainstream classes in each learner's {latest}").format(
            latest=period_phrase("latest", period))
    n = int(row["n"])
    if _too_few(n, audience, disclosure_thresholds.min_denominator):
        return _("Time in mainstream classes: too few learners with records to judge "
                 "(fewer than {n})").format(n=max(disclosure_thresholds.min_denominator, 1))
    count = row[threshold_column(threshold)]
    return _("In {their_latest}, {learners} spent at least {share} of their timetabled time "
             "in mainstream classes").format(
        their_latest=period_phrase("their latest", period),
        learners=_of(count, n, audience, limits), share=share_text(threshold))


def exit_heading(n_listed: int, n_placed: int, *, audience: str, period: str = "term",
                 sustained_periods: int = 2, disclosure_thresholds: disclosure.Thresholds =
                 disclosure.DEFAULT_THRESHOLDS) -> str:
    """A heading that says what was found about the exit criterion, in the report's
    language.

    Examples
    --------
    >>> exit_heading(3, 40, audience="published")
    'Exit criterion: <5 of 40 learners still placed have met it for 2 or more terms'
    >>> exit_heading(0, 40, audience="published")
    'Exit criterion: no learner still placed has met it for 2 or more terms'
    """
    audience = disclosure.check_audience(audience)
    limits = disclosure_thresholds
    sustained = whole_number(sustained_periods, "sustained_periods", minimum=1)
    run = period_phrase("or more", period, n=sustained)
    if n_placed == 0:
        return _("Exit criterion: no learner still placed has core-subject records")
    if n_listed == 0:
        return _("Exit criterion: no learner still placed has met it for {run}").format(run=run)
    minimum = disclosure_thresholds.min_denominator
    if audience == "published" and n_placed < minimum:
        return _("Exit criterion: too few learners still placed to report")
    learners = _of(n_listed, n_placed, audience, limits)
    if audience == "internal" and n_listed == 1:
        text = _("Exit criterion: {learners} still placed has met it for {run}")
    else:
        text = _("Exit criterion: {learners} still placed have met it for {run}")
    return text.format(learners=learners, run=run)


def trend_heading(row: Mapping[str, object] | pd.Series, *, audience: str,
                  period: str = "term", disclosure_thresholds: disclosure.Thresholds =
                  disclosure.DEFAULT_THRESHOLDS, hidden: Sequence[str] = ()) -> str:
    """A heading that says what was found, from a ``trend_counts`` row, in the report's
    language.

    ``hidden``: as in :func:`describe_trends` (a heading without counts if any is hidden).

    Examples
    --------
    >>> trend_heading({"with_trend": 20, "rising": 14}, audience="internal")
    'Inclusion rose for 14 of 20 learners (70%) with two or more terms of records'
    """
    audience = disclosure.check_audience(audience)
    limits = disclosure_thresholds
    two_or_more = period_phrase("two or more", period)
    judged = int(row["with_trend"])
    if _too_few(judged, audience, disclosure_thresholds.min_denominator):
        return _("Trends in inclusion: too few learners with {two_or_more} to judge").format(
            two_or_more=two_or_more)
    if audience == "published" and hidden:
        return _("Trends in inclusion")
    return _("Inclusion rose for {rising} with {two_or_more} of records").format(
        rising=_of(row["rising"], judged, audience, limits), two_or_more=two_or_more)


def srb_labels(srbs: pd.DataFrame) -> dict[str, str]:
    """``{"SRB01": "SRB01 (primary)"}``: display labels of resource bases with phase, in
    the report's language (:func:`srb_eval.report.inclusion_words.srb_label`)."""
    check_table(srbs, "srbs", ["srb_id", "phase"])
    return {str(s): srb_label(str(s), p) for s, p in zip(srbs["srb_id"], srbs["phase"],
                                                          strict=True)}


def group_column(table: pd.DataFrame) -> str:
    """The one group column of ``table`` (a key of :data:`GROUP_TITLES`).

    >>> group_column(pd.DataFrame({"phase": ["primary"], "n": [3]}))
    'phase'
    """
    groups = [c for c in table.columns if c in GROUP_TITLES]
    check_argument(len(groups) == 1, "table", "one group column "
                   f"({', '.join(GROUP_TITLES)})", list(table.columns)[:5])
    return groups[0]


def with_group_titles(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its group columns (``srb_id``, ``phase``...) renamed to their titles
    (:data:`GROUP_TITLES`)."""
    return df.rename(columns={c: GROUP_TITLES[c] for c in df.columns if c in GROUP_TITLES})


def percent_text(values: pd.Series) -> pd.Series:
    """Shares (0-1) shown as "58%", other cells (suppression markers) unchanged."""
    num = pd.to_numeric(values, errors="coerce")
    text = pd.Series(whole_percent(num), index=values.index).map(lambda v: f"{v:.0f}%",
                                                            na_action="ignore")
    return text.astype(object).where(num.notna(), values.astype(object))



#: How each source document words its yardstick (``{share}``: the bold percentage).
_YARDSTICK_WORDS: dict[float, str] = {
    TYPICAL_SHARE: N_("about **{share}** of the time in mainstream classes, \"with the goal of "
                      "increasing time in mainstream classes over time\" (a city council's "
                      "description of resource bases)"),
    ESTYN_SHARE: N_('"as much as **{share}** of their school week" (Estyn, *Joining in*, '
                    '2008)'),
}
#: How the report words a yardstick of its own.
_CHOSEN_YARDSTICK = N_("at least **{share}** of the timetabled time (a yardstick chosen for "
                       "this report)")
#: The sources of :data:`srb_eval.measures.inclusion.SOURCES` the report quotes, as
#: messages (the English words are the sources themselves).
_SOURCE_WORDS = (N_("a Welsh local authority's SRB guidance, September 2025"),)


def describe_yardsticks(thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                        core_threshold: float = CORE_EXIT_SHARE) -> str:
    """The report's introduction: what is measured and the yardsticks it is compared with,
    in the report's language.

    A yardstick from a source document is quoted with its source (by title); any other
    share is named as a yardstick chosen for the report.

    Examples
    --------
    >>> print(describe_yardsticks([0.5], 0.75).splitlines()[-2])  # doctest: +ELLIPSIS
    - about **50%** of the time in mainstream classes, "with the goal of ...
    """
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    items = ["- " + _(_YARDSTICK_WORDS.get(t, _CHOSEN_YARDSTICK)).format(
        share=share_text(t)) + ";" for t in ts]
    if core_t == CORE_EXIT_SHARE:
        items.append("- " + _('the exit criterion: mainstream inclusion "for at least '
                              '**{share}** within the core subjects" ({source}). Estyn warned '
                              'that without clear exit criteria "pupils can stay too long in '
                              'the resource base".').format(
            share=share_text(core_t), source=_source_words(SOURCES[CORE_EXIT_SHARE])))
    else:
        items.append("- " + _("the exit criterion: at least **{share}** of the core-subject "
                              "time in mainstream classes (a criterion chosen for this "
                              "report).").format(share=share_text(core_t)))
    n = len(items)
    sourced = all(t in _YARDSTICK_WORDS for t in ts) and core_t == CORE_EXIT_SHARE
    number = _yardstick_number(n)
    if sourced:
        intro = _("Inclusion is the purpose of a resource base: learners are part of the "
                  "wider school community and should spend more of their week in mainstream "
                  "classes over time. This report measures, for each learner and each period, "
                  "the **share of timetabled minutes spent in mainstream classes** (all "
                  "subjects, and the core subjects alone), and compares it with {number} "
                  "yardsticks from the source documents:")
    else:
        intro = _("Inclusion is the purpose of a resource base: learners are part of the "
                  "wider school community and should spend more of their week in mainstream "
                  "classes over time. This report measures, for each learner and each period, "
                  "the **share of timetabled minutes spent in mainstream classes** (all "
                  "subjects, and the core subjects alone), and compares it with {number} "
                  "yardsticks:")
    return intro.format(number=number) + "\n\n" + "\n".join(items)


def _yardstick_number(n: int) -> str:
    """How many yardsticks, in words up to five (as the number of "yardsticks")."""
    words = {1: pgettext("yardsticks", "one"), 2: pgettext("yardsticks", "two"),
             3: pgettext("yardsticks", "three"), 4: pgettext("yardsticks", "four"),
             5: pgettext("yardsticks", "five")}
    return words.get(n) or format_number(n)


def _source_words(source: str) -> str:
    """A source of :data:`srb_eval.measures.inclusion.SOURCES` in the report's language;
    one no message matches as given, with a warning in another language."""
    return _(source) if source in _SOURCE_WORDS else unknown_text(source)


def describe_trend_rule(*, tolerance: float, period: str = "term") -> str:
    """How a learner's trend is judged, with the tolerance of the trends as given, in the
    report's language.

    Examples
    --------
    >>> describe_trend_rule(tolerance=0.05)  # doctest: +ELLIPSIS
    "A learner's trend ... gains more than 5 percentage points between their first ..."
    """
    period = check_period(period)
    return _("A learner's trend is the Theil-Sen line through their shares (the median of "
             "the slopes between every pair of their periods, so one odd term does not "
             "decide it): *rising* if the line gains more than {points} percentage points "
             "between {first_and_latest}, *falling* if it loses more than {points}, otherwise "
             "*steady*; a learner with {a_single} of records has *too few terms* to judge."
             ).format(points=format_number(100 * float(tolerance), None, grouping=False),
                      first_and_latest=period_phrase("first and latest", period),
                      a_single=period_phrase("a single", period))


def caveats(*, thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
            core_threshold: float = CORE_EXIT_SHARE,
            disclosure_thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
            ) -> str:
    """The report's caveats (Markdown), with the yardsticks and disclosure rules given, in
    the report's language.

    Examples
    --------
    >>> 'shown as "<5"' in caveats()
    True
    """
    ts = check_thresholds(list(thresholds))
    core = share_text(check_share(core_threshold, "core_threshold"))
    sourced = [t for t in ts if t in _SHORT_SOURCES]
    if sourced:
        yardsticks = ngettext(
            "The {named} figure describes typical resource bases ({sources}); the {core} "
            "core criterion is one of several exit criteria in the local authority's "
            "guidance.",
            "The {named} figures describe typical resource bases ({sources}); the {core} "
            "core criterion is one of several exit criteria in the local authority's "
            "guidance.", len(sourced)).format(
            named=join_and([share_text(t) for t in sourced]), core=core,
            sources="; ".join(_(_SHORT_SOURCES[t]) for t in sourced))
    else:
        yardsticks = _("The {core} core criterion is one of several exit criteria in the "
                       "local authority's guidance.").format(core=core)
    t = disclosure_thresholds
    items = [
        _("**Calendar.** Records are assigned to the period containing their start date. "
          "Terms are set by month (autumn September-December, spring January-March, summer "
          "April-August); Easter and local term dates move, so a week in early April may "
          "belong to the spring term in some years."),
        _("**Shares come from the minutes recorded.** A share is the minutes taught in "
          "mainstream classes divided by the minutes timetabled; a period with nothing "
          "timetabled is \"no data\", not 0%. Records outside any placement are left out, "
          "and a learner who moved SRB is counted in the SRB they were in each period."),
        _("**The learners change from period to period.** Medians by period describe "
          "whoever was on roll; trends follow each learner (Theil-Sen), and a learner with "
          "a single period has \"too few terms\" to judge."),
        _("**Yardsticks are descriptions, not targets set for each learner.** {yardsticks}"
          ).format(yardsticks=yardsticks),
        _("**Disclosure control** (assumption A5): in the published version counts of 1 to "
          "{max_hidden} are shown as \"{small}\", percentages and medians of fewer than {n} "
          "learners are hidden (\"{suppressed}\"), and no learner is listed or drawn."
          ).format(max_hidden=t.min_count - 1, small=t.small_count_text, n=t.min_denominator,
                   suppressed=disclosure.SUPPRESSED_TEXT),
        _("**Demo data** (assumption A9): on `data/demo` the findings are synthetic and say "
          "nothing about any real resource base.")]
    return "## " + _("Caveats") + "\n" + "\n".join("- " + i for i in items)


#: Short citations of the yardsticks' sources, for the caveats.
_SHORT_SOURCES: dict[float, str] = {TYPICAL_SHARE: N_("a city council's description"),
                                    ESTYN_SHARE: N_("Estyn 2008")}



def check_report_parameters(*, srb: object, srb_ids: Sequence[str], window_start: object,
                            window_end: object, period: object, core_subjects: object,
                            thresholds: object, core_threshold: object) -> dict:
    """Validate the inclusion report's parameters; raise ParameterError naming the bad one.

    Returns
    -------
    dict
        The parameters normalised: ``srb`` (``"all"`` or an id), ``window_start`` and
        ``window_end`` (Timestamp or None), ``period``, ``core_subjects`` (list or None),
        ``thresholds`` (list of float), ``core_threshold`` (float).
    """
    ids = sorted(map(str, srb_ids))
    _check(isinstance(srb, str) and (srb == "all" or srb in ids), "srb",
           "'all' or one of the dataset's SRB ids (" + ", ".join(ids) + ")", srb)
    start = iso_date(window_start, "window_start", optional=True)
    end = iso_date(window_end, "window_end", optional=True)
    if start is not None and end is not None:
        _check(start <= end, "window_end", f"on or after window_start ({start.date()})",
               window_end)
    return {"srb": srb, "window_start": start, "window_end": end,
            "period": check_period(period),
            "core_subjects": check_core_subjects(core_subjects),
            "thresholds": check_thresholds(thresholds),
            "core_threshold": check_share(core_threshold, "core_threshold")}
