"""Time in mainstream classes over one school year: the inclusion part of the Estyn-style outcomes.

:func:`inclusion_outcomes` gives, for the authority, each SRB and each primary need, the
learners at or above half the week in mainstream classes, their trends and the exit
review, made only from the public measures of the inclusion family
(:mod:`srb_eval.measures.inclusion`, :mod:`~srb_eval.measures.inclusion_groups`,
:mod:`~srb_eval.measures.inclusion_trends`). :func:`term_shares` is the one table of
termly shares that every year of a report is computed from.
:func:`srb_eval.measures.outcomes.evaluate` gathers it with the other families.

References
----------
.. [1] Estyn (2008). *Joining in: a survey of resource bases attached to mainstream
   schools in Wales*. Cardiff: Estyn: paragraphs 27 (integration), 65 ("as much as 60%
   of their school week") and 76 (exit criteria; "pupils can stay too long in the
   resource base").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import ParameterError, check_argument
from ..params import SchoolYear, school_year
from . import inclusion, inclusion_groups, inclusion_trends
from .attribution import attach_srb
from .groups import (
    ALL,
    BY,
    NOT_RECORDED,
    authority_dataset,
    check_by,
    complete_groups,
    in_year,
    srb_order,
    stack_groups,
    with_needs,
)
from .inclusion import CORE_EXIT_SHARE, TYPICAL_SHARE
from .inclusion_trends import TREND_TOLERANCE

__all__ = ["CORE_EXIT_SHARE", "SUSTAINED_TERMS", "TREND_TOLERANCE", "TYPICAL_SHARE",
           "inclusion_outcomes", "term_shares"]

#: Terms at or above the exit criterion, ending with the latest, before a learner still
#: placed is counted as having stayed after meeting it (the default of
#: :func:`inclusion_outcomes`). The share that counts as "at least half" of the week
#: (``TYPICAL_SHARE``), the exit criterion (``CORE_EXIT_SHARE``) and the trend tolerance
#: (``TREND_TOLERANCE``) are the inclusion family's own.
SUSTAINED_TERMS = 2


def term_shares(ds: Any, local_authority: str | None = None) -> pd.DataFrame | None:
    """Each learner's termly share of time in mainstream classes, in the SRB it belongs to.

    :func:`~srb_eval.measures.inclusion.learner_shares` (``period="term"``) of the
    inclusion records of :func:`~srb_eval.measures.groups.authority_dataset`, attributed
    to SRBs by :func:`srb_eval.measures.attribution.attach_srb`; terms outside any
    placement are left out. None when the dataset has no inclusion records. It does not
    depend on the school year: :func:`inclusion_outcomes` and :func:`evaluate` take it
    (``shares``, ``inclusion_shares``) so that several years are computed from one table.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> term_shares(ds)[["learner_id", "period", "srb_id"]].values.tolist()
    [['L01', '2022/23 autumn', 'SRB01'], ['L01', '2022/23 spring', 'SRB01'], \
['L03', '2020/21 autumn', 'SRB02']]
    """
    ds = authority_dataset(ds, local_authority)
    if ds.inclusion is None or not len(ds.inclusion):
        return None
    shares = attach_srb(inclusion.learner_shares(ds.inclusion, period="term"), ds.placements,
                        start="period_start", end="period_end")
    return shares.loc[shares["srb_id"].notna()]


def _inclusion_counts(latest: pd.DataFrame, trends: pd.DataFrame | None, ds: Any,
                      group_type: str, threshold: float, core_threshold: float
                      ) -> pd.DataFrame:
    """One breakdown of :func:`inclusion_outcomes` from the inclusion family's counts."""
    by = () if group_type == "authority" else (group_type,)
    th = inclusion_groups.threshold_shares(latest, ds.learners, ds.srbs, thresholds=[threshold],
                            core_threshold=core_threshold, by=by, at="latest")
    tc = inclusion_groups.trend_counts(trends, ds.learners, ds.srbs, by=by)

    def label(t: pd.DataFrame) -> Any:
        return ALL if group_type == "authority" else t[group_type].astype("str").fillna(
            NOT_RECORDED).to_numpy()

    part = pd.DataFrame({"group_type": group_type, "group": label(th),
                         "n_learners": th["n"].to_numpy(),
                         "n_at_least_half": th[inclusion.threshold_column(threshold)].to_numpy(),
                         "median_share": th["median_share"].to_numpy(),
                         "n_core": th["core_n"].to_numpy()})
    tpart = pd.DataFrame({"group_type": group_type, "group": label(tc),
                          "n_with_trend": tc["with_trend"].to_numpy(),
                          "n_rising": tc["rising"].to_numpy(),
                          "n_steady": tc["steady"].to_numpy(),
                          "n_falling": tc["falling"].to_numpy()})
    return part.merge(tpart, on=["group_type", "group"], how="outer")


def inclusion_outcomes(ds: Any, *, academic_year: str | SchoolYear, by: Sequence[str] = BY,
                       threshold: float = TYPICAL_SHARE,
                       core_threshold: float = CORE_EXIT_SHARE,
                       tolerance: float = TREND_TOLERANCE,
                       sustained_periods: int = SUSTAINED_TERMS,
                       shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """Time in mainstream classes: at or above half the week, trends, the exit review.

    Every number comes from :mod:`srb_eval.measures.inclusion`: termly shares
    (:func:`~srb_eval.measures.inclusion.learner_shares`, attributed to SRBs with
    :func:`srb_eval.measures.attribution.attach_srb`),
    :func:`~srb_eval.measures.inclusion_groups.threshold_shares` on each learner's latest term in the
    year, :func:`~srb_eval.measures.inclusion_trends.learner_trends` and
    :func:`~srb_eval.measures.inclusion_groups.trend_counts` over each learner's record up to the end of
    the year, and :func:`~srb_eval.measures.inclusion_groups.exit_review`.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
    by : list of str, default ("srb_id", "primary_need")
    threshold : float, default 0.5
        Share of the week in mainstream (about 50%, as a city council's description of
        Resource Bases and SEN Units puts it).
    core_threshold : float, default 0.8
        The exit criterion: share of core-subject time in mainstream.
    tolerance : float, default 0.05
        Trend tolerance of :func:`~srb_eval.measures.inclusion_trends.learner_trends`.
    sustained_periods : int, default 2
        Terms at or above the exit criterion, ending with the latest, before a learner
        still placed is counted (:func:`~srb_eval.measures.inclusion_groups.exit_review`).
    shares : DataFrame, optional
        :func:`term_shares` of ``ds``, when already computed (it does not depend on the
        year, so a report of two years computes it once); None: computed here.

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_learners`` (learners with a
        share in a term of the year), ``n_at_least_half`` (at or above ``threshold`` in
        their latest term), ``share_at_least_half``, ``median_share``, ``n_core``
        (learners with core-subject time), ``n_with_trend`` (two or more terms), ``n_rising``,
        ``n_steady``, ``n_falling``, ``share_rising``, ``share_falling`` (of
        ``n_with_trend``) and ``n_stayed_after_exit_criterion`` (met the exit criterion
        for ``sustained_periods`` terms and still placed at the end of the data in the
        year).

    Notes
    -----
    .. math:: s_i = \\frac{\\sum \\text{minutes in mainstream}}{\\sum
              \\text{minutes timetabled}}, \\quad
              \\text{share}_g = \\frac{\\#\\{i \\in g : s_i \\ge 0.5\\}}{n_g}

    A trend is the Theil-Sen slope of the learner's termly shares over their record to
    the end of the year (so a learner admitted this year needs two terms). The exit
    review is judged at the end of the last term in the year that has records, and
    counts learners whose latest term is in the year. Shares are NaN where the
    denominator is 0.

    References
    ----------
    .. [1] Estyn (2008) paragraph 65 ("as much as 60% of their school week") and
       paragraph 76 ("pupils can stay too long in the resource base").

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> inclusion_outcomes(ds, academic_year="2022/23", by=[])[
    ...     ["n_learners", "n_at_least_half", "n_with_trend", "n_steady"]].values.tolist()
    [[1, 0, 1, 1]]
    """
    year = school_year(academic_year)
    keys = check_by(by)
    for name, value in (("threshold", threshold), ("core_threshold", core_threshold)):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
        check_argument(ok, name, "a share from 0 to 1", value, error=ParameterError)
    counts = ["n_learners", "n_at_least_half", "n_core", "n_with_trend", "n_rising",
              "n_steady", "n_falling", "n_stayed_after_exit_criterion"]
    agg = pd.DataFrame(columns=[*counts, "median_share"], index=pd.MultiIndex.from_tuples(
        [], names=["group_type", "group"]))
    if ds.inclusion is not None and len(ds.inclusion):
        shares = term_shares(ds) if shares is None else shares
        upto = shares.loc[pd.to_datetime(shares["period_start"]) <= year.end]
        now = in_year(upto["period_start"], year)
        this_year = upto.loc[now].reset_index(drop=True)
        # the record up to the end of the year of each learner with a share in the year
        upto = upto.loc[now.groupby(upto["learner_id"], sort=False).transform("any")
                        ].reset_index(drop=True)
        if len(this_year):
            trends = inclusion_trends.learner_trends(upto, tolerance=tolerance)
            listed = inclusion_groups.exit_review(upto, ds.placements, core_threshold=core_threshold,
                                   sustained_periods=sustained_periods)
            listed = with_needs(listed[["learner_id", "srb_id"]].astype("str"), ds)
            stayed = stack_groups(listed, keys).groupby(["group_type", "group"], sort=False
                                                        ).size()
            # each learner's latest term in the year, picked once for every breakdown
            # (threshold_shares picks the latest again, from one row per learner)
            latest = inclusion.latest_shares(this_year, keep_without_share=True)
            agg = pd.concat([_inclusion_counts(latest, trends, ds, g, threshold,
                                               core_threshold) for g in ("authority", *keys)],
                            ignore_index=True).set_index(["group_type", "group"])
            agg = agg.join(stayed.rename("n_stayed_after_exit_criterion"), how="outer")
    out = complete_groups(agg, keys, srb_order(ds), counts)
    out["median_share"] = out["median_share"].astype(float)
    out["share_at_least_half"] = (out["n_at_least_half"] / out["n_learners"]).where(
        out["n_learners"] > 0)
    for w in ("rising", "falling"):
        out[f"share_{w}"] = (out[f"n_{w}"] / out["n_with_trend"]).where(
            out["n_with_trend"] > 0)
    return out[["group_type", "group", "n_learners", "n_at_least_half", "share_at_least_half",
                "median_share", "n_core", "n_with_trend", "n_rising", "n_steady", "n_falling",
                "share_rising", "share_falling", "n_stayed_after_exit_criterion"]]
