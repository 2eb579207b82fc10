"""The outcomes report's parameter checks and its explanatory notes, written from the package.

Every number a note quotes (a threshold, a share, a group size) is read from the constant
or the disclosure policy that the calculation uses, so the words cannot drift from the
numbers: the report's notebook copies none of them.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError, check_argument

# the public constants of other families, through their modules as they are today
from ..measures import inclusion as I
from ..measures import inclusion_outcomes as IO
from ..measures import occupancy as C
from ..measures import progress as P
from ..measures.qualifications import KEY_STAGE_4_FROM_YEAR, LEAVER_YEAR_GROUP, POST_16_FROM_YEAR
from ..measures.wellbeing import EXCLUSIONS_PER, PERSISTENT_ABSENCE_BELOW
from ..params import SchoolYear, school_year, whole_number
from . import disclosure
from .findings import AREA_FOR_DEVELOPMENT
from .i18n import format_date, join_and
from .i18n import gettext as _
from .outcomes import percent
from .quantifiers import hidden_markers, quantifier_table

__all__ = [
    "PREVIOUS_YEAR",
    "awards_note",
    "caveats_markdown",
    "check_parameters",
    "exclusion_days_sentence",
    "groups_below_heading",
    "inclusion_note",
    "leavers_caption",
    "places_note",
    "progress_note",
    "suppression_note",
    "wellbeing_note",
]


#: The ``comparison_year`` that names the school year before the one reported.
PREVIOUS_YEAR = "previous"


def check_parameters(academic_year: object, comparison_year: object, min_n: object,
                     indicative_judgement: object
                     ) -> tuple[SchoolYear, SchoolYear | None, int]:
    """The report's school year, comparison year (or None) and ``min_n``, checked.

    ``comparison_year`` is a school year, ``"previous"`` (the school year before
    ``academic_year``) or None (no comparison).

    Raises
    ------
    ParameterError
        Naming the parameter: a school year not written "YYYY/YY", a comparison year
        equal to the year reported, ``min_n`` not a whole number of 1 or more, or
        ``indicative_judgement`` not True or False.

    Examples
    --------
    >>> check_parameters("2025/26", None, 5, False)[0].label
    '2025/26'
    >>> check_parameters("2023/24", "previous", 5, False)[1].label
    '2022/23'
    """
    year = school_year(academic_year, name="academic_year")  # type: ignore[arg-type]
    if comparison_year == PREVIOUS_YEAR:
        comparison_year = f"{year.start.year - 1}/{year.start.year % 100:02d}"
    try:
        previous = None if comparison_year is None else school_year(
            comparison_year, name="comparison_year")  # type: ignore[arg-type]
    except ParameterError:  # the message names every value the parameter takes
        check_argument(False, "comparison_year", 'a school year written "YYYY/YY" (e.g. '
                       f'"2024/25"), "{PREVIOUS_YEAR}" or None', comparison_year,
                       error=ParameterError)
    check_argument(previous is None or previous.label != year.label, "comparison_year",
                   "a school year other than academic_year", comparison_year,
                   error=ParameterError)
    k = whole_number(min_n, "min_n", minimum=1)
    check_argument(isinstance(indicative_judgement, bool), "indicative_judgement",
                   "True or False", indicative_judgement, error=ParameterError)
    return year, previous, k


def suppression_note(thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> str:
    """What a published reader needs to know about the hidden numbers, from the policy.

    Examples
    --------
    >>> suppression_note().split(":")[1].split(",")[0]
    " counts from 1 to 4 read '<5'"
    """
    t = disclosure.check_thresholds(thresholds)
    numbers = {"top": t.min_count - 1, "small": t.small_count_text,
               "hidden": disclosure.SUPPRESSED_TEXT, "min_count": t.min_count,
               "round_to": t.round_to, "n": t.min_denominator}
    if t.round_to:
        return _(
            "Small numbers are suppressed for this published audience: counts from 1 to "
            "{top} read '{small}', '{hidden}' marks a figure hidden so that a small number "
            "cannot be worked out from the totals, counts of {min_count} or more are rounded "
            "to the nearest {round_to}, and percentages of fewer than {n} learners are not "
            "shown. Where a number is hidden the Estyn word is left out too, because a word "
            "and a group's size together can give the number away.").format(**numbers)
    return _(
        "Small numbers are suppressed for this published audience: counts from 1 to {top} "
        "read '{small}', '{hidden}' marks a figure hidden so that a small number cannot be "
        "worked out from the totals, and percentages of fewer than {n} learners are not "
        "shown. Where a number is hidden the Estyn word is left out too, because a word and "
        "a group's size together can give the number away.").format(**numbers)


def progress_note() -> str:
    """How "at least expected progress" is judged (:func:`srb_eval.measures.progress.learner_progress`)."""
    return _(
        "A learner makes **at least expected progress** in an area when the rate of gain "
        "from their baseline is at least {share} of the instrument's expected gain per year "
        "(or, on a standardised score, when the score holds without a reliable fall), "
        "judged over at least one term. A learner assessed with several instruments in an "
        "area counts only if none shows less than expected progress. Learners with no "
        "follow-up assessment yet are not judged.").format(
        share=percent(1 - P.DEFAULT_TOLERANCE))


def awards_note() -> str:
    """What the qualifications table counts (stages by year group, families, levels)."""
    return _("Awards at 14-16 (Years {ks4} and {last}) and post-16 (Year {post16} and "
             "over), grouped into families (Entry Level, Essential Skills Wales, GCSE, ASDAN, "
             "OCN / Agored Cymru, BTEC, Welsh Baccalaureate, other) and levels.").format(
        ks4=KEY_STAGE_4_FROM_YEAR, last=POST_16_FROM_YEAR - 1, post16=POST_16_FROM_YEAR)


def leavers_caption(academic_year: str, *, table: str) -> str:
    """The caption of the leavers' awards table (``table``: its name, "Table 2.3")."""
    return _("{table}: leavers aged 16 or over (Year {year_group} and above) with at least "
             "one accredited award, by SRB, {year}").format(
        table=table, year_group=LEAVER_YEAR_GROUP, year=academic_year)


def wellbeing_note() -> str:
    """How attendance, persistent absence and exclusions are measured."""
    return _(
        "Attendance is the share of possible half-day sessions attended; a learner is "
        "**persistently absent** when they attend fewer than {attended} of sessions (absent "
        "for more than {absent}: the Welsh Government's definition since 2023). Exclusions "
        "are fixed-term exclusions that started in the year while the learner was placed in "
        "the SRB.").format(attended=percent(PERSISTENT_ABSENCE_BELOW),
                           absent=percent(1 - PERSISTENT_ABSENCE_BELOW))


def inclusion_note() -> str:
    """How time in mainstream classes, its trend and the exit criterion are measured."""
    return _(
        "The share of each learner's timetable spent in mainstream classes, in their latest "
        "term of the year, against about {typical} (a city council's description of "
        "resource bases) and Estyn's \"as much as {estyn}\"; the trend is the robust "
        "(Theil-Sen) slope of the learner's termly shares over their record, rising or "
        "falling by more than {points} percentage points. The exit criterion is at least "
        "{exit} of core-subject time in mainstream classes; Estyn (2008) warned that "
        "without clear exit criteria \"pupils can stay too long in the resource "
        "base\".").format(typical=percent(IO.TYPICAL_SHARE), estyn=percent(I.ESTYN_SHARE),
                          points=f"{100 * IO.TREND_TOLERANCE:g}",
                          exit=percent(IO.CORE_EXIT_SHARE))


def places_note(census_date: pd.Timestamp) -> str:
    """When places are counted, and the yardstick for an under-used SRB."""
    return _(
        "Places and learners on roll on {date}. Estyn (2008) found that unfilled places in "
        "resource bases represent \"poor value for money\"; \"under-used\" (fewer than "
        "{share} of places filled) is a local yardstick.").format(
        date=format_date(census_date, "day"), share=percent(C.UNDERUSED_BELOW))


def exclusion_days_sentence(exclusions: pd.DataFrame, display: pd.DataFrame, *,
                            academic_year: str, audience: str,
                            thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                            ) -> str:
    """School days lost to fixed-term exclusions and whether there were permanent ones,
    for the authority; "" when the number of exclusions is hidden from the audience, or
    when, published, the learners excluded number from 1 to ``min_denominator - 1`` (the
    days lost are a sum over those learners, with the shown number of exclusions a
    mean: statistics of a small group).

    ``exclusions`` is :func:`srb_eval.measures.wellbeing.exclusion_outcomes`; ``display``
    is :func:`srb_eval.report.outcomes.display_measures` of the same year.
    """
    shown = display.loc[(display["measure"] == "exclusion_rate")
                        & (display["group_type"] == "authority"), "count_text"]
    if len(shown) == 0 or shown.iloc[0] in hidden_markers(thresholds):
        return ""
    ex = exclusions.loc[exclusions["group_type"] == "authority"].iloc[0]
    excluded = int(ex["n_learners_excluded"])
    if 0 < excluded < disclosure.statistic_min_n(audience, 1, thresholds):
        return ""
    permanent = int(ex["n_permanent"])
    days = f"{ex['days_lost']:g}"
    if permanent == 0:
        return _("Fixed-term exclusions cost {days} school days in {year}; there were no "
                 "permanent exclusions.").format(days=days, year=academic_year)
    if permanent == 1:
        return _("Fixed-term exclusions cost {days} school days in {year}; there was some "
                 "permanent exclusion.").format(days=days, year=academic_year)
    return _("Fixed-term exclusions cost {days} school days in {year}; there were some "
             "permanent exclusions.").format(days=days, year=academic_year)


def groups_below_heading(found: pd.DataFrame) -> str:
    """The heading of the R5 section: which groups by primary need fall below a rule."""
    weak = found.loc[(found["group_type"] == "primary_need")
                     & (found["kind"] == AREA_FOR_DEVELOPMENT)] if len(found) else found
    groups = list(dict.fromkeys(weak["group_label"])) if len(weak) else []
    if groups:
        return "### " + _("Groups of learners (Estyn R5): learners with {needs} as their "
                          "primary need make less progress than others in some "
                          "areas").format(needs=join_and(groups))
    return "### " + _("Groups of learners (Estyn R5): no group of learners by primary need "
                      "falls below the rules' thresholds")


def caveats_markdown(regression: str | None = None) -> str:
    """The report's caveats, with each number from the package; ``regression``
    (:func:`srb_eval.report.regression_wording.regression_caveat`), when given, is one
    more caveat."""
    q = quantifier_table().set_index("term")
    nearly_all = percent(q.loc["nearly all", "min_share"])
    around = (percent(q.loc["around half", "min_share"]),
              percent(q.loc["around half", "max_share"]))
    tol = P.DEFAULT_TOLERANCE
    items = [
        _("**Expected progress** uses each instrument's expected gain per year ({low} to "
          "{high} of it is \"expected\") or, for standardised scores, the Reliable Change "
          "Index; instruments differ in what a year's progress means, so areas are "
          "comparable only roughly. A learner needs a baseline and a follow-up at least a "
          "term apart to be judged (A2).").format(low=percent(1 - tol), high=percent(1 + tol)),
        _("**Estyn's words** overlap in the glossary; this report uses one mapping ({table}): "
          "\"nearly all\" is {nearly_all} or more but not all, and \"around half\" covers "
          "{low} to {high} except exactly half, closing the glossary's gap between \"a "
          "minority\" and \"a majority\" (A6). In published reports a word is shown only "
          "beside numbers that are shown.").format(
            table=_("Table {number}").format(number="A.1"), nearly_all=nearly_all,
            low=around[0], high=around[1]),
        _("**Attendance** counts the sessions recorded while the learner was placed in an "
          "SRB. Persistent absence follows the Welsh Government's definition since 2023 "
          "(absent for more than {absent} of sessions; before 2023 it was 20%, so older "
          "published figures are not comparable).").format(
            absent=percent(1 - PERSISTENT_ABSENCE_BELOW)),
        _("**Exclusions** are attributed to the SRB the learner was placed in on the first "
          "day of the exclusion; the rate is per {per} learners placed at any time in the "
          "year (Welsh Government tables use 1,000 pupils).").format(per=EXCLUSIONS_PER),
        _("**Qualifications**: names are grouped into families by keywords (A15), a GCSE "
          "without a recorded level takes it from its grade, and grades such as \"U\" or "
          "\"not achieved\" are not awards. Leavers are learners whose placement ended in "
          "Year {year_group} or above; awards up to 31 August after leaving count (results "
          "arrive in August).").format(year_group=LEAVER_YEAR_GROUP),
        _("**Inclusion** uses each learner's latest term in the year; trends use the "
          "learner's whole record to the end of the year. Terms are assigned by month, so "
          "an early-April week may fall in the wrong term."),
        _("**Destinations**: a move to another SRB ends a placement and counts as leaving."),
        _("**Places** are counted on one census day; the capacity is today's."),
        _("**Findings** are facts about the data measured against rules that are "
          "parameters, not judgements of the quality of teaching; they say where to look. "
          "Groups smaller than the smallest group judged never make a finding."),
        _("**Small numbers**: with classes of up to eight, one learner moves a percentage by "
          "more than ten points; changes from year to year in small groups are mostly "
          "noise."),
        _("**Demo data**: on `data/demo` every finding is about synthetic learners (A9)."),
    ]
    if regression:
        items.append(regression)
    return "## " + _("Caveats") + "\n" + "\n".join("- " + item for item in items)
