"""The inclusion report's display tables: what a reader sees, disclosure-controlled.

Each ``display_*`` takes a table of the inclusion measures and returns it with plain
column headers, whole percentages and the audience's disclosure control
(:func:`srb_eval.report.suppression.safe_table`); learner-level tables are for internal
reports only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import AudienceError
from ..measures.inclusion import (
    CORE_EXIT_SHARE,
    ESTYN_SHARE,
    TYPICAL_SHARE,
    check_share,
    check_thresholds,
    threshold_column,
)
from . import disclosure, suppression
from .audit import Partition
from .inclusion import GROUP_TITLES, percent_text, share_text
from .table_records import table_record

__all__ = ["cohort_for_audience", "display_exit_review", "display_learners",
           "display_subjects", "display_thresholds", "display_trend_counts",
           "group_categories", "population_name", "trend_record"]


def _rename_groups(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: GROUP_TITLES[c] for c in df.columns if c in GROUP_TITLES})


def display_thresholds(table: pd.DataFrame, *, audience: str,
                       thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                       core_threshold: float = CORE_EXIT_SHARE,
                       disclosure_thresholds: disclosure.Thresholds =
                       disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``threshold_shares`` table as a reader sees it, disclosure-controlled.

    Counts pass through :func:`srb_eval.report.suppression.safe_table` (total row ``"all"``
    when present), percentages are recomputed from them as text, medians are shown as
    whole percentages and, for a published audience, hidden ("[c]") where fewer than
    ``min_denominator`` learners stand behind them. No NaN: "no data" instead.
    """
    audience = disclosure.check_audience(audience)
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    groups = [c for c in table.columns if c in GROUP_TITLES]
    names = [threshold_column(t) for t in ts]
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    t = table[[*groups, "n", *names, "median_share", "core_n", core_name,
               "median_core_share"]].copy()
    published = audience == "published"
    small_core = published & (t["core_n"].to_numpy() < disclosure_thresholds.min_denominator)
    has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
    shown = suppression.safe_table(
        t, audience=audience, count_columns=["n", *names, "core_n", core_name],
        percent_columns={**{"pct_" + k: (k, "n") for k in names},
                         "pct_" + core_name: (core_name, "core_n")},
        n_column="n", id_columns=(), thresholds=disclosure_thresholds,
        total_row="all" if has_total else None)
    shown["median_share"] = percent_text(shown["median_share"])
    core_median = percent_text(shown["median_core_share"])
    shown["median_core_share"] = core_median.where(~small_core, disclosure.SUPPRESSED_TEXT)
    cols = {"n": "learners"}
    for t_, k in zip(ts, names, strict=True):
        cols[k] = f"at least {share_text(t_)} (learners)"
        cols["pct_" + k] = f"at least {share_text(t_)} (% of learners)"
    cols["median_share"] = "median share in mainstream"
    cols["core_n"] = "learners with core subjects"
    cols[core_name] = f"at least {share_text(core_t)} of core (learners)"
    cols["pct_" + core_name] = f"at least {share_text(core_t)} of core (%)"
    cols["median_core_share"] = "median core share in mainstream"
    order = [*groups, "n"] + [c for k in names for c in (k, "pct_" + k)] + [
        "median_share", "core_n", core_name, "pct_" + core_name, "median_core_share"]
    return _rename_groups(shown[order].rename(columns=cols))


def display_trend_counts(table: pd.DataFrame, *, audience: str,
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``trend_counts`` table as a reader sees it, disclosure-controlled.

    Counts of rising / steady / falling / too few terms with the learners judged as
    the percentage base; median first and latest shares as whole percentages, hidden
    for a published audience where fewer than ``min_denominator`` learners were judged.
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in table.columns if c in GROUP_TITLES]
    words = ["rising", "steady", "falling"]
    t = table[[*groups, "n", *words, "too_few_terms", "with_trend", "median_first_share",
               "median_latest_share"]].copy()
    has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
    shown = suppression.safe_table(
        t, audience=audience, count_columns=["n", *words, "too_few_terms", "with_trend"],
        percent_columns={"pct_" + w: (w, "with_trend") for w in words},
        n_column="with_trend", id_columns=(), thresholds=disclosure_thresholds,
        total_row="all" if has_total else None)
    for c in ("median_first_share", "median_latest_share"):
        shown[c] = percent_text(shown[c])
    order = [*groups, "n", "with_trend"] + [c for w in words for c in (w, "pct_" + w)] + [
        "too_few_terms", "median_first_share", "median_latest_share"]
    cols = {"n": "learners", "with_trend": "learners with two or more periods",
            "too_few_terms": "too few terms", "median_first_share": "median first share",
            "median_latest_share": "median latest share"}
    cols.update({"pct_" + w: f"{w} (%)" for w in words})
    return _rename_groups(shown[order].rename(columns=cols))


def population_name(parameters: Mapping[str, object]) -> str:
    """The name of the learners an inclusion report counts, from what defines them.

    Two reports with the same period, window and resource base count the same learners,
    so their published counts are audited as one. A per-SRB report counts the periods a
    learner spent in that resource base, which the all-SRB report does not single out (it
    attributes each learner to one resource base), so the two are different counts.

    >>> population_name({"period": "term", "window_start": None, "window_end": None})
    'learners with inclusion shares per term, start of the data to end of the data'
    """
    start = parameters.get("window_start")
    end = parameters.get("window_end")
    start = "start of the data" if start is None else pd.Timestamp(start).date().isoformat()
    end = "end of the data" if end is None else pd.Timestamp(end).date().isoformat()
    srb = parameters.get("srb", "all")
    where = "" if srb == "all" else f", periods while placed in {srb}"
    return (f"learners with inclusion shares per {parameters['period']}, {start} to {end}"
            f"{where}")


def group_categories(srbs: pd.DataFrame, learners: pd.DataFrame) -> dict[str, list[str]]:
    """Every category of the dims the inclusion tables group learners by: all resource
    bases of the dataset and every primary need recorded (a missing need as "not
    recorded")."""
    needs = learners["primary_need"].astype("string").fillna("not recorded")
    return {"srb_id": sorted(srbs["srb_id"].astype("str").unique()),
            "primary_need": sorted(needs.unique())}


def trend_record(shown: pd.DataFrame, *, table: str, measure: str,
                 categories: Mapping[str, Sequence[str]],
                 srb: str = "all",
                 disclosure_thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                 ) -> dict:
    """The disclosure record of a :func:`display_trend_counts` table (for the audit).

    ``measure`` names the learners counted (with the period and window that define
    them); ``categories`` gives the complete list of categories of every dim the
    reports of a render group these learners by (``{"srb_id": [...], "primary_need":
    [...]}``, the same in every report, so that their records can be audited together);
    ``srb`` is the resource
    base a per-SRB report is about ("all" otherwise). A learner has "two or more" periods
    (and a trend: rising, steady or falling) or "one" (too few terms, no trend); the
    impossible combinations are recorded as known to be empty.
    """
    group = next(c for c in GROUP_TITLES if GROUP_TITLES[c] in shown.columns)
    two, one = "two or more", "one"
    columns = {"learners": {}, "learners with two or more periods": {"periods": two},
               "too few terms": {"periods": one}}
    columns.update({w: {"periods": two, "trend": w} for w in ("rising", "steady", "falling")})
    parts = [Partition(measure, d, tuple(map(str, c))) for d, c in categories.items()]
    parts += [Partition(measure, "periods", (two, one)),
              Partition(measure, "trend", ("rising", "steady", "falling", "none"))]
    zeros = [{"periods": one, "trend": w} for w in ("rising", "steady", "falling")]
    zeros.append({"periods": two, "trend": "none"})
    return table_record(
        shown, report="", table=table, measure=measure,
        row_dims={GROUP_TITLES[group]: group}, columns=columns, partitions=parts,
        thresholds=disclosure_thresholds,
        ratios={f"{w} (%)": (w, "learners with two or more periods")
                for w in ("rising", "steady", "falling")},
        known_zeros=zeros, fixed=None if srb == "all" else {"srb_id": srb})


def display_subjects(breakdown: pd.DataFrame, *, audience: str,
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``subject_breakdown`` table as a reader sees it, disclosure-controlled.

    Learner counts suppressed for a published audience; the share of timetabled
    minutes in mainstream as a whole percentage, hidden ("[c]") where fewer than
    ``min_denominator`` learners were timetabled; minutes shown as hours.
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in breakdown.columns if c in GROUP_TITLES]
    t = breakdown[[*groups, "subject", "core", "learners_timetabled",
                   "learners_in_mainstream", "minutes_mainstream", "minutes_timetabled",
                   "mainstream_share"]].copy()
    t["hours_timetabled"] = (t.pop("minutes_timetabled") / 60).round()
    t["hours_in_mainstream"] = (t.pop("minutes_mainstream") / 60).round()
    t["core"] = np.where(t["core"].to_numpy(dtype=bool), "core", "other")
    shown = suppression.safe_table(
        t, audience=audience, count_columns=["learners_timetabled", "learners_in_mainstream"],
        n_column="learners_timetabled", id_columns=(), thresholds=disclosure_thresholds)
    shown["mainstream_share"] = percent_text(shown["mainstream_share"])
    order = [*groups, "subject", "core", "learners_timetabled", "learners_in_mainstream",
             "hours_timetabled", "hours_in_mainstream", "mainstream_share"]
    return _rename_groups(shown[order].rename(columns={
        "core": "core or other", "learners_timetabled": "learners timetabled",
        "learners_in_mainstream": "learners with mainstream time",
        "mainstream_share": "share of minutes in mainstream"}))


def display_learners(trends: pd.DataFrame, exit_list: pd.DataFrame | None = None, *,
                     audience: str) -> pd.DataFrame:
    """Internal reports only: each learner's first and latest share and trend word.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (learner-level
    rows are never published). Shares as whole percentages; "too few terms" learners
    show "no follow-up yet" for their change; learners on the exit review list are
    marked.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise AudienceError("audience: learner-level tables are for internal "
                                       "reports only")
    cols = [c for c in ("learner_id", "srb_id") if c in trends.columns]
    t = trends[[*cols, "n_periods", "first_period", "latest_period"]].copy()
    t["first_share"] = percent_text(trends["first_share"])
    t["latest_share"] = percent_text(trends["latest_share"])
    change = pd.Series(np.floor(np.round(100 * trends["change"].to_numpy(float), 9) + 0.5),
                       index=trends.index)
    t["change_points"] = change.map(lambda v: f"{(v or 0.0):+.0f} points", na_action="ignore"
                                    ).astype(object).where(change.notna(), "no follow-up yet")
    t["trend"] = trends["trend"].astype("str")
    if exit_list is not None:
        listed = set(exit_list["learner_id"].astype("str"))
        t["exit_review"] = np.where(t["learner_id"].astype("str").isin(listed), "review",
                                    "")
    return _rename_groups(t.fillna({"first_period": disclosure.NO_DATA_TEXT,
                                    "latest_period": disclosure.NO_DATA_TEXT}))


def display_exit_review(listed: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """Internal reports only: the ``exit_review`` list as a reader sees it.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (publish
    the count, :func:`describe_exit_review`). The latest core share is shown as a whole
    percentage and met_since as the period's start date.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise AudienceError("audience: the exit review list names learners; "
                                       "publish its count (describe_exit_review) instead")
    t = listed[["learner_id", "srb_id", "periods_met", "met_since", "latest_period",
                "latest_core_share"]].copy()
    t["latest_core_share"] = percent_text(t["latest_core_share"])
    return _rename_groups(t).rename(columns={
        "learner_id": "learner", "periods_met": "periods in a row at or above",
        "met_since": "since (period start)", "latest_core_share": "latest core share"})


def cohort_for_audience(cohort: pd.DataFrame, *, audience: str,
                        disclosure_thresholds: disclosure.Thresholds =
                        disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The ``cohort_by_period`` rows a report may show: every row for an internal
    audience; for a published one, only periods with at least ``min_denominator``
    learners (a median of fewer is not published).

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["a", "b"], "n": [12, 3]})
    >>> cohort_for_audience(c, audience="published")["period"].tolist()
    ['a']
    """
    audience = disclosure.check_audience(audience)
    if audience == "internal":
        return cohort
    return cohort.loc[cohort["n"] >= disclosure_thresholds.min_denominator]
