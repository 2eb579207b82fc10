"""Wording of the learner progress report: parameter checks, headings and sentences
computed from the numbers, for each audience under the disclosure policy.

The numbers come from :mod:`srb_eval.measures.progress` and
:mod:`srb_eval.measures.progress_groups`; display tables are in
:mod:`srb_eval.report.progress_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AudienceError
from ..measures.benchmarks import brooks_bands
from ..measures.columns import check, need_columns
from ..measures.progress import DEFAULT_TOLERANCE, MIN_YEARS, STATUSES, check_areas
from ..measures.progress_groups import COMPARE_MIN_N
from ..measures.progress_scales import GUIDANCE_MONTHS, SLD_GUIDANCE_MONTHS
from ..params import iso_date
from ..stats.bootstrap import BCA_MAX_N, LARGE_GROUP_RESAMPLES, N_RESAMPLES
from ..stats.change import RCI_CRITERION
from ..stats.gas import GAS_LEVELS
from ..stats.intervals import BOOTSTRAP_MIN_N
from . import disclosure, suppression
from .disclosure import DEFAULT_THRESHOLDS, Thresholds, check_audience
from .i18n import (
    LANGUAGES,
    N_,
    area_word,
    format_number,
    format_percent,
    in_language,
    join_and,
    ngettext,
    unknown_text,
)
from .i18n import gettext as _
from .progress_groupings import (
    BAND_RANGE,
    DIFFERENCE_FOUND,
    FEWER_GROUPS,
    NOT_COMPARED,
    group_value_words,
)
from .progress_wording import (
    hidden_learner_counts,
    hidden_statuses,
    number_text,
    too_few,
)
from .progress_words import (
    band_word,
    count_in_words,
    count_words,
    group_word,
    of_words,
    results_by_status,
)

__all__ = ["COUNTS_DIFFER", "GROUP_TITLES", "MIN_N_INTERVAL", "MIN_N_MONTHS", "band_heading",
           "below_expected", "caveats", "check_report_parameters", "comparisons_heading", "comparisons_note",
           "coverage_heading", "describe_band_range", "describe_bands",
           "describe_comparisons", "describe_coverage", "describe_rci", "describe_untested",
           "figures_note", "fraction_words", "gains_note", "gas_note", "glossary", "introduction",
           "moves_note",
           "ratio_gain_heading", "ratio_gain_note", "rci_note"]

#: Why the tables of results judged and of targets reviewed by SRB count different
#: learners (:func:`srb_eval.report.differences.learner_counts_note`; ``{groups}``: each
#: SRB whose counts differ, "SRB01 (primary) 45 and 41").
COUNTS_DIFFER = N_(
    "The numbers of learners differ between these tables because each counts the learners "
    "with its own records (learners with assessment results judged against expected "
    "progress, then learners with targets reviewed), and a learner can have one kind of "
    "record and not the other: {groups}.")

#: Fewest measured results for which a group's mean gain is shown with its 95% interval.
#: The interval (:func:`srb_eval.stats.intervals.mean_interval`) is Student's t there;
#: its seeded simulated coverage at this n is at least 90% of nominal for normal and
#: right-skewed gains (``tests/test_stats_intervals.py``), while below it the interval is
#: too wide to inform (t(2, 0.975) = 4.3 at n = 3) and the bootstrap interval shown
#: before covered 52% of the time at n = 2.
MIN_N_INTERVAL = 5
#: Fewest measured results for which the indicative EEF months are shown: below, the
#: effect size they are read from moves by more than 0.3 (about four "months") between
#: samples (its standard error is about :math:`\sqrt{2/n}` for a pre-post change), and
#: it is the smallest group a published percentage is given for (10).
MIN_N_MONTHS = 10

#: Reader-facing names of grouping columns.
GROUP_TITLES: dict[str, str] = {
    "srb_id": "SRB", "phase": "phase", "primary_need": "primary need", "sex": "sex",
    "fsm": "free school meals", "year_group": "year group", "instrument": "instrument",
    "area": "area",
}


def check_report_parameters(*, srb: Any, srb_ids: Sequence[str], window_start: Any,
                            window_end: Any, areas: Any) -> dict:
    """Validate the progress report's parameters; raise ParameterError naming the bad one.

    Returns
    -------
    dict
        ``srb`` (``"all"`` or an id), ``window_start`` and ``window_end`` (Timestamp or
        None), ``areas`` (``"all"`` or a list of area codes).
    """
    ids = sorted(map(str, srb_ids))
    check(isinstance(srb, str) and (srb == "all" or srb in ids), "srb",
          '"all" or one of the dataset\'s SRB ids (' + ", ".join(ids) + ")", srb)
    start = iso_date(window_start, "window_start", optional=True)
    end = iso_date(window_end, "window_end", optional=True)
    check(start is None or end is None or start <= end, "window_end",
          f"on or after window_start ({window_start})", window_end)
    keep = check_areas(areas)
    return {"srb": srb, "window_start": start, "window_end": end,
            "areas": "all" if keep is None else keep}


def coverage_heading(row: Any, *, audience: str,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS,
                     part_of_all: bool = False) -> str:
    """The coverage section's heading: how many learners have progress measured.

    Examples
    --------
    >>> coverage_heading({"learners_placed": 20, "learners_measured": 14},
    ...                  audience="internal")
    '14 of 20 learners (70%) have a baseline and a follow-up at least a term later'
    """
    audience = check_audience(audience)
    n = int(row["learners_placed"])
    if n == 0:
        return _("No learners were placed in the window")
    if hidden_learner_counts(row, audience, part_of_all=part_of_all, thresholds=thresholds):
        return _("Learners with a baseline and a follow-up at least a term later")
    return _("{learners} have a baseline and a follow-up at least a term later").format(
        learners=of_words(row["learners_measured"], n, audience, thresholds=thresholds))


def describe_coverage(row: Any, *, audience: str,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS,
                      part_of_all: bool = False) -> str:
    """Sentences about who has no follow-up yet or too short a span (from
    :func:`srb_eval.measures.progress_groups.coverage`).

    Published: nothing is said of fewer than ``thresholds.min_denominator`` learners
    (10 by default), and result counts are
    worded with :func:`srb_eval.report.suppression.count_with_share` (small counts and small
    complements hidden), the three statuses protected as one line
    (:func:`~srb_eval.report.progress_wording.hidden_statuses`: "[c] of 328 results").

    Examples
    --------
    >>> describe_coverage({"learners_placed": 20, "learners_assessed": 18,
    ...     "learners_measured": 14, "results": 100, "results_measured": 80,
    ...     "results_too_soon": 5, "results_no_follow_up": 15}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    '18 of 20 learners placed (90%) have at least one assessment during their
    placement. Of their 100 results (learner, instrument and area), 80 are measured over
    at least a term, 5 are too soon to judge (less than a term between baseline and
    latest assessment) and 15 have no follow-up yet.'
    """
    audience = check_audience(audience)
    n = int(row["learners_placed"])
    if n == 0:
        return _("No learner was placed in this resource base during the window.")
    if too_few(n, audience, thresholds):
        return _("Fewer than {n} learners were placed: too few to describe in a published "
                 "report (the internal version gives the detail).").format(
            n=thresholds.min_denominator)
    first = _("{learners} have at least one assessment during their placement.").format(
        learners=of_words(row["learners_assessed"], n, audience, "learners placed",
                          thresholds))
    if hidden_learner_counts(row, audience, part_of_all=part_of_all, thresholds=thresholds):
        first = _("Of the {n} learners placed, how many have an assessment, a follow-up and "
                  "progress measured is not shown: with the other reports, it would give "
                  "away a small number.").format(n=format_number(n))
    total = int(row["results"])
    if total == 0:
        return first
    if audience == "published":
        hidden = hidden_statuses(row, audience, thresholds)

        def part(k: str) -> str:
            if k in hidden:
                return _("{count} of {n} results").format(
                    count=disclosure.SUPPRESSED_TEXT, n=format_number(total))
            return of_words(row[k], total, audience, "results", thresholds)

        return first + " " + _(
            "Of their {total} results (learner, instrument and area): {measured} measured "
            "over at least a term; {too_soon} too soon to judge (less than a term between "
            "baseline and latest assessment); {no_follow_up} with no follow-up yet.").format(
            total=format_number(total), measured=part("results_measured"),
            too_soon=part("results_too_soon"), no_follow_up=part("results_no_follow_up"))

    measured, too_soon, none_yet = (int(row[k]) for k in (
        "results_measured", "results_too_soon", "results_no_follow_up"))
    return first + " " + results_by_status(total, measured, too_soon, none_yet)


def band_heading(row: Any, *, audience: str,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """Heading from a :func:`~srb_eval.measures.progress_groups.band_summary` row:
    expected progress or better.

    Examples
    --------
    >>> band_heading({"n_banded": 40, "n_expected_or_above": 30, "n_learners": 12},
    ...              audience="internal")
    'Expected progress or better in 30 of 40 results (75%)'
    """
    audience = check_audience(audience)
    if int(row["n_banded"]) == 0:
        return _("No progress could be judged against expectations yet")
    if too_few(row["n_learners"], audience, thresholds):
        return _("Expected progress: too few learners to report (fewer than {n})").format(
            n=thresholds.min_denominator)
    return _("Expected progress or better in {results}").format(results=of_words(
        row["n_expected_or_above"], row["n_banded"], audience, "results", thresholds))


def describe_bands(row: Any, *, audience: str,
                   thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """A sentence from a :func:`~srb_eval.measures.progress_groups.band_summary` row.

    Examples
    --------
    >>> describe_bands({"n_banded": 40, "n_below": 10, "n_expected": 18, "n_above": 12,
    ...                 "n_expected_or_above": 30, "n_learners": 12}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    'Of 40 results judged against an expectation (from 12 learners), 18 results (45%)
    showed expected progress, 12 results (30%) more than expected and 10 results (25%)
    less than expected.'
    """
    audience = check_audience(audience)
    n = int(row["n_banded"])
    if n == 0:
        return _("No result could yet be judged against an expectation.")
    if too_few(n, audience, thresholds) or too_few(row["n_learners"], audience, thresholds):
        return _("Fewer than {n} learners or results could be judged, too few to report in "
                 "a published paper.").format(n=thresholds.min_denominator)

    def share(k: str) -> str:
        with in_language(LANGUAGES[0]):
            text = str(suppression.count_with_share(int(row[k]), n, audience=audience,
                                                    noun="results", thresholds=thresholds))
        count = text.split(" of ")[0]
        if count.startswith("more than "):
            return _("more than {count} results").format(count=count.removeprefix("more than "))
        if "(" in text:
            return _("{count} results ({percent})").format(
                count=count, percent=text.rsplit("(", 1)[1].removesuffix(")"))
        return _("{count} results").format(count=count)

    return _("Of {n} results judged against an expectation (from {learners}), {expected} "
             "showed expected progress, {above} more than expected and {below} less than "
             "expected.").format(
        n=format_number(n), learners=count_words(row["n_learners"], audience, "learners",
                                                 thresholds),
        expected=share("n_expected"), above=share("n_above"), below=share("n_below"))


def _english_band_range(t: pd.DataFrame, big: pd.DataFrame, by: str, minimum: int,
                        lab: dict[str, str]) -> str:
    """:func:`describe_band_range` of a grouping that has no messages, in English."""
    shown = " whose counts the table shows" if len(t) < len(big) else ""
    name = GROUP_TITLES.get(by, by.replace("_", " "))
    if len(t) < 2:
        return (f"Fewer than two {name} groups have at least {minimum} learners with "
                f"results judged{shown}, so groups are not compared here.")
    t = t.assign(_share=t["n_expected_or_above"] / t["n_banded"]).sort_values(
        ["_share", by], kind="stable")
    lo, hi = t.iloc[0], t.iloc[-1]
    plural = name + ("s" if name.isupper() else " groups")
    return (f"Across the {len(t)} {plural} with at least {minimum} learners "
            f"judged{shown}, the share of results at or above expected progress ranged "
            f"from {format_percent(lo['_share'])} ({lab.get(str(lo[by]), str(lo[by]))}) to "
            f"{format_percent(hi['_share'])} ({lab.get(str(hi[by]), str(hi[by]))}).")


def describe_band_range(table: pd.DataFrame, by: str, *, audience: str,
                        labels: dict[str, str] | None = None,
                        thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """Which groups had the highest and lowest share at or above expected progress.

    Only groups with enough learners behind their judged results are compared: at least
    ``thresholds.min_denominator`` (10 by default) for a published audience,
    :data:`~srb_eval.measures.progress_groups.COMPARE_MIN_N` (5) otherwise. A published
    report passes the counts its table shows
    (:func:`~srb_eval.report.progress_tables.shown_bands`): a group whose counts the
    table hides (NaN) is not compared, as its share with its results judged would give
    them back ("82% of 67" is 55 results).

    Examples
    --------
    >>> t = pd.DataFrame({"srb_id": ["A", "B", "C"], "n_banded": [20, 30, 3],
    ...                   "n_learners": [6, 8, 1], "n_expected_or_above": [10, 27, 3]})
    >>> describe_band_range(t, "srb_id", audience="internal")  # doctest: +NORMALIZE_WHITESPACE
    'Across the 2 SRBs with at least 5 learners judged, the share of results at or above
    expected progress ranged from 50% (A) to 90% (B).'
    """
    audience = check_audience(audience)
    need_columns(table, [by, "n_banded", "n_learners", "n_expected_or_above"], "table")
    minimum = thresholds.min_denominator if audience == "published" else COMPARE_MIN_N
    big = table.loc[(table["n_banded"] > 0) & (table["n_learners"] >= minimum)
                    & table[by].notna() & (table[by].astype("str") != "all")]
    t = big.loc[big["n_expected_or_above"].notna()].copy()
    partly = len(t) < len(big)
    if (by, partly) not in BAND_RANGE:  # not a grouping of GROUP_TITLES: in English
        return unknown_text(_english_band_range(t, big, by, minimum, labels or {}))
    if len(t) < 2:
        return _(FEWER_GROUPS[by, partly]).format(minimum=minimum)
    t["_share"] = t["n_expected_or_above"] / t["n_banded"]
    t = t.sort_values(["_share", by], kind="stable")
    lab = labels or {}
    lo, hi = t.iloc[0], t.iloc[-1]

    return _(BAND_RANGE[by, partly]).format(
        k=len(t), minimum=minimum, low=format_percent(lo["_share"]),
        low_group=group_value_words(by, lo[by], lab), high=format_percent(hi["_share"]),
        high_group=group_value_words(by, hi[by], lab))


def describe_rci(summary: pd.DataFrame, *, audience: str,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """A sentence summing a :func:`~srb_eval.measures.progress_groups.rci_summary` table
    over its rows.

    A published report passes the counts its table shows
    (:func:`~srb_eval.report.progress_tables.shown_rci`, NaN where hidden): a sum is
    stated only when every row's count is shown, since the sum of shown and hidden rows
    gives a hidden one back by subtraction.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [75.0, None], "n_learners": [72, 73],
    ...                   "n_improved": [None, None], "n_deteriorated": [None, None]})
    >>> describe_rci(t, audience="published")  # doctest: +NORMALIZE_WHITESPACE
    'Some counts of standard-score results are hidden in the table below to protect small
    groups, so they are not summed here.'
    """
    audience = check_audience(audience)
    rows = len(summary)
    n = summary["n"].sum(min_count=rows) if rows else 0
    if pd.isna(n):
        return _("Some counts of standard-score results are hidden in the table below to "
                 "protect small groups, so they are not summed here.")
    n = int(n)
    if n == 0:
        return _("No standard-score result has been measured over at least a term yet.")
    learners = summary["n_learners"].max()
    if too_few(n, audience, thresholds) or (not pd.isna(learners) and too_few(
            learners, audience, thresholds)):
        return _("Fewer than {n} learners or results were measured on standardised scores: "
                 "too few to report here.").format(n=thresholds.min_denominator)
    sums = [summary[c].sum(min_count=rows) for c in ("n_improved", "n_deteriorated")]
    if any(pd.isna(v) for v in sums):
        return _("Of {n} standard-score results measured over at least a term, some counts "
                 "of reliable improvement or deterioration are hidden in the table below to "
                 "protect small groups, so they are not summed here.").format(
            n=format_number(n))
    improved, worse = (of_words(v, n, audience, "results", thresholds) for v in sums)
    return _("Of {n} standard-score results measured over at least a term, {improved} "
             "showed reliable improvement and {worse} reliable deterioration; the rest "
             "changed by less than the test's measurement error.").format(
        n=format_number(n), improved=improved, worse=worse)


def _difference_found(instrument: str, area: object, factor: str, p_val: float) -> str:
    """"Reading Age Test, literacy, by SRB (p = 0.012)": one message per grouping
    (:data:`~srb_eval.report.progress_groupings.DIFFERENCE_FOUND`); another grouping in
    English, with a warning in another language."""
    words = dict(instrument=instrument, area=area_word(str(area)).replace("_", " "),
                 p=format_number(p_val, 3))
    if factor in DIFFERENCE_FOUND:
        return _(DIFFERENCE_FOUND[factor][0 if p_val < 0.001 else 1]).format(**words)
    english = ("{instrument}, {area}, by {group} (p below 0.001)" if p_val < 0.001 else
               "{instrument}, {area}, by {group} (p = {p})")
    return unknown_text(english.format(group=group_word(factor), **words))


def describe_comparisons(comparisons: pd.DataFrame, *, alpha: float = 0.05,
                         min_n: int = COMPARE_MIN_N) -> str:
    """Which comparisons found a difference (p < alpha), in words (``min_n``: the group
    size :func:`~srb_eval.measures.progress_groups.compare_groups` was given)."""
    c = comparisons.loc[comparisons["test"] != ""]
    if c.empty:
        return ngettext("No comparison could be made: every comparison needs at least {n} "
                        "learner in each group.",
                        "No comparison could be made: every comparison needs at least {n} "
                        "learners in each group.", min_n).format(n=count_in_words(min_n))
    hits = c.loc[c["p_val"] < alpha]
    k = len(c)
    alpha_text = format_number(alpha, None)
    if hits.empty:
        return (_("One comparison was made; none found a difference in the rate of progress "
                  "(all p of {alpha} or more).") if k == 1 else ngettext(
            "{k} comparison was made; none found a difference in the rate of progress (all p "
            "of {alpha} or more).",
            "{k} comparisons were made; none found a difference in the rate of progress (all "
            "p of {alpha} or more).", k)).format(k=k, alpha=alpha_text)
    where = "; ".join(_difference_found(r.instrument, r.area, r.factor, r.p_val)
                      for r in hits.itertuples())
    return (_("One comparison was made; a difference in the rate of progress was found "
              "(p < {alpha}) for: {where}. With several comparisons, one or two "
              "'differences' can arise by chance: treat them as questions for the SRBs, not "
              "conclusions.") if k == 1 else ngettext(
        "{k} comparison was made; a difference in the rate of progress was found (p < "
        "{alpha}) for: {where}. With several comparisons, one or two 'differences' can "
        "arise by chance: treat them as questions for the SRBs, not conclusions.",
        "{k} comparisons were made; a difference in the rate of progress was found (p < "
        "{alpha}) for: {where}. With several comparisons, one or two 'differences' can "
        "arise by chance: treat them as questions for the SRBs, not conclusions.", k)
    ).format(k=k, alpha=alpha_text, where=where)


def below_expected(progress: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """The results below expected progress, one row per learner and area (internal only).

    Returns
    -------
    DataFrame
        ``learner``, ``SRB``, ``instrument``, ``area``, ``baseline`` ("12 on 03 Oct
        2022"), ``latest``, ``gain a year``, ``expected a year`` (the expectation it was
        judged against), sorted by learner, instrument and area.

    Raises
    ------
    srb_eval.errors.AudienceError
        For ``audience="published"``: learner-level rows are never published.
    """
    if check_audience(audience) == "published":
        raise AudienceError("below_expected: a list of learners is for the internal "
                            "audience only; render with audience='internal'.")
    rows = progress.loc[progress["band"] == "below"].sort_values(
        ["learner_id", "instrument", "area"], kind="stable")

    def at(score: pd.Series, when: pd.Series) -> list[str]:  # recorded in English
        return [f"{number_text(s, 0)} on {d:%d %b %Y}"
                for s, d in zip(score, when, strict=True)]

    basis = rows["band_basis"].astype("str")
    expected = np.where(basis == "reliable change", "hold the score (RCI)",
                        np.where(basis == "benchmark", "benchmark quartiles",
                                 rows["expected_gain_per_year"].map(number_text).to_numpy()))
    return pd.DataFrame({
        "learner": rows["learner_id"].astype("str").to_numpy(),
        "SRB": rows["srb_id"].astype("str").to_numpy(),
        "instrument": rows["instrument"].astype("str").to_numpy(),
        "area": rows["area"].astype("str").str.replace("_", " ").to_numpy(),
        "baseline": at(rows["baseline_score"], rows["baseline_date"]),
        "latest": at(rows["outcome_score"], rows["outcome_date"]),
        "gain a year": rows["rate"].map(number_text).to_numpy(),
        "expected a year": expected,
    })


def ratio_gain_heading(ratio: pd.DataFrame, *, audience: str,
                       thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """Heading for the ratio-gain section from a
    :func:`~srb_eval.measures.progress_scales.ratio_gain` table.

    Examples
    --------
    >>> t = pd.DataFrame({"learner_id": ["A", "B", "C"], "status": ["measured"] * 3,
    ...                   "ratio_gain": [0.5, 1.5, 2.5]})
    >>> ratio_gain_heading(t, audience="internal")
    'Age-equivalent scores: median ratio gain 1.50 over 3 results'
    """
    audience = check_audience(audience)
    need_columns(ratio, ["learner_id", "status", "ratio_gain"], "ratio")
    m = ratio.loc[(ratio["status"] == STATUSES[0]) & ratio["ratio_gain"].notna()]
    rg = m["ratio_gain"]
    if (len(rg) == 0 or too_few(len(rg), audience, thresholds)
            or too_few(m["learner_id"].nunique(), audience, thresholds)):
        return _("Age-equivalent scores: too few ratio gains measured to report")
    return ngettext("Age-equivalent scores: median ratio gain {median} over {n} result",
                    "Age-equivalent scores: median ratio gain {median} over {n} results",
                    len(rg)).format(median=format_number(rg.median(), 2),
                                    n=format_number(len(rg)))




def fraction_words(x: float) -> str:
    """A tolerance in words: 0.25 -> "a quarter", 0.5 -> "a half", else a percentage.

    Examples
    --------
    >>> fraction_words(0.25), fraction_words(0.3)
    ('a quarter', '30%')
    """
    words = {0.25: N_("a quarter"), 0.5: N_("a half"), 0.1: N_("a tenth")}
    return _(words[x]) if x in words else format_number(100 * x, None) + "%"


def introduction(*, tolerance: float = DEFAULT_TOLERANCE) -> str:
    """The opening paragraph of the progress report: what is measured, and how."""
    return _(
        'Every learner in a resource base should be "tracked carefully against the baseline '
        'and the target areas", and a good SRB shows "strong progress from the baseline, '
        'which is tracked and monitored". This report follows each learner\'s results on '
        "each instrument and area from a **baseline** (the assessment flagged as the "
        "baseline, else the first after the placement started) to their **latest** "
        "assessment in the window, and judges the rate of progress against what is "
        "**expected** of that instrument: its expected gain a year (within {tolerance} "
        "either way), or, for standardised scores, holding the score within the test's "
        "measurement error (the Reliable Change Index). A result is one learner's progress "
        "on one instrument in one area; a learner assessed in four areas has four "
        "results.").format(tolerance=fraction_words(tolerance))


def gains_note() -> str:
    """How the gains table's interval and effect size are computed, and when they are
    shown, from the package's settings (:mod:`srb_eval.stats.intervals`,
    :mod:`srb_eval.stats.bootstrap`, :mod:`srb_eval.report.progress_tables`)."""
    return _(
        "Gains are in each instrument's own units (steps, standard-score points, months of "
        "age equivalent). The 95% interval of the mean gain is shown from {min_interval} "
        "results measured. Below {bootstrap_min} results it is Student's t-interval, "
        "because a bootstrap interval is too narrow in small groups (in simulation it "
        "covered the true mean about half the time with two results); from {bootstrap_min} "
        "it is a seeded bootstrap (BCa with {resamples} resamples; for groups over "
        "{bca_max} results, percentile with {large_resamples}). The effect size is the mean "
        "change divided by the average spread of baseline and latest scores, corrected for "
        "small groups (Hedges' g_av). EEF months of progress are given for standardised "
        "scores only, from {min_months} results measured, and are **indicative**: the EEF "
        "Toolkit compares groups with and without an approach, while this is one group's "
        "change over time (caveat A3).").format(
        min_interval=MIN_N_INTERVAL, bootstrap_min=BOOTSTRAP_MIN_N,
        resamples=format_number(N_RESAMPLES), bca_max=format_number(BCA_MAX_N),
        large_resamples=format_number(LARGE_GROUP_RESAMPLES), min_months=MIN_N_MONTHS)


def figures_note(min_n: int) -> str:
    """What the published figures leave out (``min_n``: the smallest group drawn)."""
    return _("Panels and lines of fewer than {n} results are not drawn; figures show "
             "medians and quartiles, never single learners.").format(n=min_n)


def rci_note(*, criterion: float = RCI_CRITERION) -> str:
    """What the Reliable Change Index is, with the criterion in use."""
    return _(
        "A standardised score compares a learner with others of the same age, so holding "
        "the score means keeping pace. The Reliable Change Index asks whether a change is "
        "bigger than the test's measurement error: RC = (latest - baseline) / S_diff, "
        "S_diff = sqrt(2) x SD x sqrt(1 - reliability); a change beyond {criterion} S_diff "
        "is reliable.").format(criterion=format_number(criterion, None))


def ratio_gain_note(bands: pd.DataFrame | None = None) -> str:
    """What Brooks' ratio gain is, with its bands and the placement guidance in use."""
    b = brooks_bands() if bands is None else bands
    limits, labels = b["min_ratio_gain"].to_numpy(dtype=float), list(b["label"].astype("str"))
    parts = [_("{limit} {band}").format(limit=format_number(limits[k], 1),
                                        band=band_word(lab.removesuffix(" impact")))
             for k, lab in enumerate(labels[1:-1], start=1)] + [
        _("{limit} {band}").format(limit=format_number(limits[-1], 1),
                                   band=band_word(labels[-1]))]
    return _(
        "Brooks' ratio gain is the gain in age-equivalent months divided by the months "
        "that passed, counted as schools count them, in calendar months between the test "
        "dates (September to March is 6): 1.0 keeps pace with age, below 1.0 the gap "
        "widens. Bands as usually quoted from Brooks (*What works for children and young "
        "people with literacy difficulties?*): below {lowest_limit} {lowest_band}, from "
        "{bands}. The gap is chronological age minus age equivalent (positive = behind); "
        "placement guidance expects at least {guidance} months behind at baseline (for SLD "
        "more than {sld_guidance}).").format(
        lowest_limit=format_number(limits[1], 1), lowest_band=band_word(labels[0]),
        bands=join_and(parts), guidance=GUIDANCE_MONTHS, sld_guidance=SLD_GUIDANCE_MONTHS)


def moves_note(*, max_gap_days: int) -> str:
    """How the report measures progress of learners who moved between resource bases.

    >>> moves_note(max_gap_days=62)[:60]
    'The tables above measure progress within each placement: a l'
    """
    return _("The tables above measure progress within each placement: a learner's "
             "baseline restarts when they start in a new resource base. A learner who moves "
             "(for example from a primary to a secondary resource base) is also measured "
             "over their whole stay, from the first placement's baseline to their latest "
             "result: placements count as one stay when the next starts within {days} days "
             "of the end of the last (a summer holiday) and the learner left for another "
             "resource base or no destination was recorded. The table below counts those "
             "results by instrument and area.").format(days=max_gap_days)


def gas_note() -> str:
    """How target attainment is scored."""
    lo, hi = int(min(GAS_LEVELS)), int(max(GAS_LEVELS))
    return _(
        "Each target is scored at review from {low} (much less than expected) to +{high} "
        "(much more); 0 is the expected outcome. A learner's targets at one review are "
        "combined into a Goal Attainment Scaling T-score (Kiresuk & Sherman 1968; "
        "Turner-Stokes 2009): 50 when every target is met as expected, above 50 when more "
        "than expected. Targets not yet reviewed are left out.").format(low=lo, high=hi)


def comparisons_heading(comparisons: pd.DataFrame, *, alpha: float = 0.05) -> str:
    """Heading of the group comparisons: whether any difference was found."""
    tested = comparisons.loc[comparisons["test"] != ""]
    return (_("Group comparisons: no comparison possible with groups this small")
            if tested.empty else
            _("Group comparisons: differences in rate of progress found")
            if (tested["p_val"] < alpha).any() else
            _("Group comparisons: no difference in rate of progress detected"))


def describe_untested(comparisons: pd.DataFrame, *, min_n: int = COMPARE_MIN_N) -> str:
    """Which factors could not be compared, and how often ("" when all were)."""
    untested = comparisons.loc[comparisons["test"] == "", "factor"]
    if not len(untested):
        return ""
    return ngettext("Not compared for want of two groups of at least {n} learner: {which}.",
                    "Not compared for want of two groups of at least {n} learners: {which}.",
                    min_n).format(n=count_in_words(min_n), which=", ".join(
        NOT_COMPARED[f](k).format(k=k) if f in NOT_COMPARED else unknown_text(
            f"by {group_word(f)} ({k} instrument and area pair{'' if k == 1 else 's'})")
        for f, k in untested.value_counts(sort=False).items()))


def comparisons_note(*, min_n: int = COMPARE_MIN_N, named: bool = True) -> str:
    """How groups are compared (``named``: whether the table names the groups left
    out, as an internal report does)."""
    effect = _(
        "The effect size is epsilon-squared (Kruskal-Wallis; 0 = no difference, 1 = complete "
        "separation) or the rank-biserial correlation (Mann-Whitney; from -1 to 1, positive "
        "when the first-named group tends to progress faster).")
    groups = (ngettext(
        "Each comparison uses one result per learner (their latest placement) and only "
        "groups of at least {n} learner; smaller groups are left out and named.",
        "Each comparison uses one result per learner (their latest placement) and only "
        "groups of at least {n} learners; smaller groups are left out and named.", min_n)
        if named else ngettext(
        "Each comparison uses one result per learner (their latest placement) and only "
        "groups of at least {n} learner; smaller groups are left out, and not named, "
        "since which groups have results in each area would itself say something of a "
        "few learners.",
        "Each comparison uses one result per learner (their latest placement) and only "
        "groups of at least {n} learners; smaller groups are left out, and not named, "
        "since which groups have results in each area would itself say something of a "
        "few learners.", min_n))
    return groups.format(n=count_in_words(min_n)) + " " + effect


def glossary() -> str:
    """The few technical terms the progress report keeps, in plain English (Markdown).

    >>> print(glossary().splitlines()[0])
    ### Glossary
    """
    return "\n".join([
        "### " + _("Glossary"),
        "- " + _(
            "**RCI (Reliable Change Index)**: whether a change in a standardised score is "
            "larger than the test's own measurement error (Jacobson & Truax 1991). A change "
            "within that error is \"no reliable change\": too small to tell from the error, "
            "whichever way it went."),
        "- " + _(
            "**GAS (Goal Attainment Scaling)**: each target is scored from -2 (much less "
            "than expected) to +2 (much more); a review's targets are combined into a "
            "T-score, where 50 means the targets were met as expected and 10 points is one "
            "standard deviation."),
        "- " + _(
            "**Hedges' g** (here g_av): an effect size, the mean gain divided by the "
            "average spread of baseline and latest scores, corrected for small groups; about "
            "0.2 is usually called small, 0.5 medium and 0.8 large."),
        "- " + _(
            "**Ratio gain (Brooks)**: months of age-equivalent score gained divided by the "
            "months that passed; 1.0 keeps pace with age."),
        "- " + _(
            "**p value**: how often a difference at least this large would arise by chance "
            "if the groups did not differ; below 0.05 counts as a difference found."),
    ])


def caveats(*, thresholds: Thresholds = DEFAULT_THRESHOLDS,
            tolerance: float = DEFAULT_TOLERANCE, min_years: float = MIN_YEARS,
            regression: str | None = None) -> str:
    """The caveats section of the progress report (Markdown), from the settings in use;
    ``regression`` (:func:`srb_eval.report.regression_wording.regression_caveat`), when
    given, is one more caveat."""
    low, high = 100 * (1 - tolerance), 100 * (1 + tolerance)
    return "\n".join([
        "## " + _("Caveats"),
        "- " + _(
            "**Baseline rule** (assumption A2): the assessment flagged as the baseline, else "
            "the first assessment of that instrument and area on or after the placement "
            "start. An assessment before the start is never a baseline. For a learner placed "
            'before the data begin, the "baseline" is their first assessment in the data, '
            "not the true start."),
        "- " + _(
            "**Too soon to judge**: progress over less than a term ({years} years) is not "
            'judged; one assessment only is "no follow-up yet", never a gain of zero.'
        ).format(years=format_number(min_years, None)),
        "- " + _(
            "**Expected progress** is judged against each instrument's expected gain a year "
            '(from {low}% to {high}% of it is "expected"), against benchmark quartiles where '
            "supplied, or, for standardised scores, against the test's measurement error "
            "(RCI). The expected gains in the instruments table are the authority's; they are "
            "not national norms for learners with additional learning needs.").format(
            low=format_number(low, None), high=format_number(high, None)),
        "- " + _(
            "**Pre-post change is not a controlled comparison** (A3): effect sizes and EEF "
            "months of progress describe one group's change, labelled indicative."),
        "- " + _(
            "**Brooks' ratio-gain bands** (A4) are as usually quoted; they could not be "
            "checked against Brooks' text here and are kept as editable reference data."),
        "- " + _(
            "**Ages** use the first day of the birth month (A8), so chronological ages and "
            "reading-age gaps may be up to a month too large."),
        "- " + _(
            "**Results, not learners**: band counts are of learner-instrument-area results; "
            "the number of learners behind them is shown beside them. Group comparisons "
            "count each learner once."),
        "- " + _(
            "**Disclosure control** (A5): in the published version counts of 1 to {max_small} "
            'are shown as "{small}", percentages and statistics of fewer than {minimum} are '
            'hidden ("{hidden}"), figures show only medians and quartiles of at least '
            "{minimum} results, and no learner is listed.").format(
            max_small=thresholds.min_count - 1, small=thresholds.small_count_text,
            minimum=thresholds.min_denominator, hidden=disclosure.SUPPRESSED_TEXT),
        "- " + _(
            "**Demo data** (A9): on `data/demo` the findings are synthetic and say nothing "
            "about any real resource base."),
        *([f"- {regression}"] if regression else []),
    ])
