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
from .outcomes import percent
from .quantifiers import hidden_markers, quantifier_table

__all__ = [
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


def check_parameters(academic_year: object, comparison_year: object, min_n: object,
                     indicative_judgement: object
                     ) -> tuple[SchoolYear, SchoolYear | None, int]:
    """The report's school year, comparison year (or None) and ``min_n``, checked.

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
    """
    year = school_year(academic_year, name="academic_year")  # type: ignore[arg-type]
    previous = None if comparison_year is None else school_year(
        comparison_year, name="comparison_year")  # type: ignore[arg-type]
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
    rounded = (f", counts of {t.min_count} or more are rounded to the nearest {t.round_to}"
               if t.round_to else "")
    return ("Small numbers are suppressed for this published audience: counts from 1 to "
            f"{t.min_count - 1} read '{t.small_count_text}', '{disclosure.SUPPRESSED_TEXT}' "
            "marks a figure hidden so that a small number cannot be worked out from the "
            f"totals{rounded}, and percentages of fewer than {t.min_denominator} learners are "
            "not shown. Where a number is hidden the Estyn word is left out too, because a "
            "word and a group's size together can give the number away.")


def progress_note() -> str:
    """How "at least expected progress" is judged (:func:`srb_eval.measures.progress.learner_progress`)."""
    return (
        "A learner makes **at least expected progress** in an area when the rate of gain "
        f"from their baseline is at least {percent(1 - P.DEFAULT_TOLERANCE)} of the "
        "instrument's expected gain per year (or, on a standardised score, when the score "
        "holds without a reliable fall), judged over at least one term. A learner assessed "
        "with several instruments in an area counts only if none shows less than expected "
        "progress. Learners with no follow-up assessment yet are not judged.")


def awards_note() -> str:
    """What the qualifications table counts (stages by year group, families, levels)."""
    return (f"Awards at 14-16 (Years {KEY_STAGE_4_FROM_YEAR} and {POST_16_FROM_YEAR - 1}) and "
            f"post-16 (Year {POST_16_FROM_YEAR} and over), grouped into families (Entry "
            "Level, Essential Skills Wales, GCSE, ASDAN, OCN / Agored Cymru, BTEC, Welsh "
            "Baccalaureate, other) and levels.")


def leavers_caption(academic_year: str) -> str:
    """What the leavers' awards table counts, after its table number."""
    return (f"leavers aged 16 or over (Year {LEAVER_YEAR_GROUP} and above) with at least one "
            f"accredited award, by SRB, {academic_year}")


def wellbeing_note() -> str:
    """How attendance, persistent absence and exclusions are measured."""
    return (
        "Attendance is the share of possible half-day sessions attended; a learner is "
        f"**persistently absent** when they attend fewer than {percent(PERSISTENT_ABSENCE_BELOW)}"
        f" of sessions (absent for more than {percent(1 - PERSISTENT_ABSENCE_BELOW)}: the "
        "Welsh Government's definition since 2023). Exclusions are fixed-term exclusions "
        "that started in the year while the learner was placed in the SRB.")


def inclusion_note() -> str:
    """How time in mainstream classes, its trend and the exit criterion are measured."""
    return (
        "The share of each learner's timetable spent in mainstream classes, in their "
        f"latest term of the year, against about {percent(IO.TYPICAL_SHARE)} (a city "
        "council's description of resource bases) and Estyn's \"as much as "
        f"{percent(I.ESTYN_SHARE)}\"; the trend is the robust (Theil-Sen) slope of the "
        "learner's termly shares over their record, rising or falling by more than "
        f"{100 * IO.TREND_TOLERANCE:g} percentage points. The exit criterion is at least "
        f"{percent(IO.CORE_EXIT_SHARE)} of core-subject time in mainstream classes; Estyn "
        "(2008) warned that without clear exit criteria \"pupils can stay too long in the "
        "resource base\".")


def places_note(census_date: pd.Timestamp) -> str:
    """When places are counted, and the yardstick for an under-used SRB."""
    return (
        f"Places and learners on roll on {census_date.day} {census_date:%B %Y}. Estyn "
        "(2008) found that unfilled places in resource bases represent \"poor value for "
        f"money\"; \"under-used\" (fewer than {percent(C.UNDERUSED_BELOW)} of places filled) "
        "is a local yardstick.")


def exclusion_days_sentence(exclusions: pd.DataFrame, display: pd.DataFrame, *,
                            academic_year: str,
                            thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                            ) -> str:
    """School days lost to fixed-term exclusions and whether there were permanent ones,
    for the authority; "" when the number of exclusions is hidden from the audience.

    ``exclusions`` is :func:`srb_eval.measures.wellbeing.exclusion_outcomes`; ``display``
    is :func:`srb_eval.report.outcomes.display_measures` of the same year.
    """
    shown = display.loc[(display["measure"] == "exclusion_rate")
                        & (display["group_type"] == "authority"), "count_text"]
    if len(shown) == 0 or shown.iloc[0] in hidden_markers(thresholds):
        return ""
    ex = exclusions.loc[exclusions["group_type"] == "authority"].iloc[0]
    permanent = int(ex["n_permanent"])
    return (f"Fixed-term exclusions cost {ex['days_lost']:g} school days in {academic_year}; "
            f"there {'was' if permanent == 1 else 'were'} {'no' if permanent == 0 else 'some'}"
            f" permanent exclusion{'s' if permanent != 1 else ''}.")


def groups_below_heading(found: pd.DataFrame) -> str:
    """The heading of the R5 section: which groups by primary need fall below a rule."""
    weak = found.loc[(found["group_type"] == "primary_need")
                     & (found["kind"] == AREA_FOR_DEVELOPMENT)] if len(found) else found
    groups = list(dict.fromkeys(weak["group_label"])) if len(weak) else []
    return ("### Groups of learners (Estyn R5): "
            + ("learners with " + " and ".join(groups) + " as their primary need make less "
               "progress than others in some areas" if groups else
               "no group of learners by primary need falls below the rules' thresholds"))


def caveats_markdown(regression: str | None = None) -> str:
    """The report's caveats, with each number from the package; ``regression``
    (:func:`srb_eval.report.regression_wording.regression_caveat`), when given, is one
    more caveat."""
    q = quantifier_table().set_index("term")
    nearly_all = percent(q.loc["nearly all", "min_share"])
    around = (percent(q.loc["around half", "min_share"]),
              percent(q.loc["around half", "max_share"]))
    tol = P.DEFAULT_TOLERANCE
    return f"""## Caveats
- **Expected progress** uses each instrument's expected gain per year ({percent(1 - tol)} to \
{percent(1 + tol)} of it is "expected") or, for standardised scores, the Reliable Change \
Index; instruments differ in what a year's progress means, so areas are comparable only \
roughly. A learner needs a baseline and a follow-up at least a term apart to be judged (A2).
- **Estyn's words** overlap in the glossary; this report uses one mapping (Table A.1): \
"nearly all" is {nearly_all} or more but not all, and "around half" covers {around[0]} to \
{around[1]} except exactly half, closing the glossary's gap between "a minority" and "a \
majority" (A6). In published reports a word is shown only beside numbers that are shown.
- **Attendance** counts the sessions recorded while the learner was placed in an SRB. \
Persistent absence follows the Welsh Government's definition since 2023 (absent for more \
than {percent(1 - PERSISTENT_ABSENCE_BELOW)} of sessions; before 2023 it was 20%, so older \
published figures are not comparable).
- **Exclusions** are attributed to the SRB the learner was placed in on the first day of \
the exclusion; the rate is per {EXCLUSIONS_PER} learners placed at any time in the year \
(Welsh Government tables use 1,000 pupils).
- **Qualifications**: names are grouped into families by keywords (A15), a GCSE without a \
recorded level takes it from its grade, and grades such as "U" or "not achieved" are not \
awards. Leavers are learners whose placement ended in Year {LEAVER_YEAR_GROUP} or above; \
awards up to 31 August after leaving count (results arrive in August).
- **Inclusion** uses each learner's latest term in the year; trends use the learner's whole \
record to the end of the year. Terms are assigned by month, so an early-April week may fall \
in the wrong term.
- **Destinations**: a move to another SRB ends a placement and counts as leaving.
- **Places** are counted on one census day; the capacity is today's.
- **Findings** are facts about the data measured against rules that are parameters, not \
judgements of the quality of teaching; they say where to look. Groups smaller than the \
smallest group judged never make a finding.
- **Small numbers**: with classes of up to eight, one learner moves a percentage by more \
than ten points; changes from year to year in small groups are mostly noise.
- **Demo data**: on `data/demo` every finding is about synthetic learners (A9).""" + (
        f"\n- {regression}" if regression else "")
