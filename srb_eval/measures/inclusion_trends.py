"""Inclusion over time: each learner's trend, and the cohort's median share by period.

Both take the per-learner, per-period shares of
:func:`srb_eval.measures.inclusion.learner_shares`. :func:`learner_trends` follows each
learner (a Theil-Sen line through their shares); :func:`cohort_by_period` describes
whoever was on roll in each period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..params import whole_number
from ..stats.trend import group_theil_sen
from .inclusion import check_by, check_table

__all__ = ["TREND_TOLERANCE", "TREND_WORDS", "cohort_by_period", "learner_trends"]

#: The words of :func:`learner_trends`, in display order.
TREND_WORDS: tuple[str, ...] = ("rising", "steady", "falling", "too few terms")
#: How far (as a share: 5 percentage points) a learner's trend line must rise or fall
#: over their record to count as rising or falling.
TREND_TOLERANCE = 0.05


def learner_trends(shares: pd.DataFrame, *, tolerance: float = TREND_TOLERANCE,
                   min_periods: int = 2) -> pd.DataFrame:
    """Each learner's inclusion trend: first and latest share, Theil-Sen slope, a word.

    Parameters
    ----------
    shares : DataFrame
        From :func:`~srb_eval.measures.inclusion.learner_shares` (one row per learner
        and period; needs learner_id, period, term_index, inclusion_share). If it has
        ``srb_id`` the result carries the SRB of the learner's latest period.
    tolerance : float, default 0.05
        How far (as a share, 0.05 = 5 percentage points) the learner's trend line must
        rise or fall between their first and latest period to count as rising or
        falling.
    min_periods : int, default 2
        Fewest periods with a share needed to judge a trend.

    Returns
    -------
    DataFrame
        One row per learner in ``shares``, sorted by learner_id:

        - ``learner_id`` (and ``srb_id`` if ``shares`` has it)
        - ``n_periods``: periods with a share (periods with nothing timetabled are not
          counted)
        - ``first_period``, ``latest_period``, ``first_share``, ``latest_share``
        - ``change``: latest_share - first_share (NaN with fewer than 2 periods: a single
          period is no follow-up, never a zero change)
        - ``slope_per_term``: Theil-Sen slope of the share against ``term_index``, in
          share per school term (NaN below ``min_periods``)
        - ``trend_change``: slope_per_term x terms between the first and latest period,
          the rise of the robust trend line over the learner's record
        - ``trend``: ``"rising"`` if trend_change > tolerance, ``"falling"`` if
          trend_change < -tolerance, ``"steady"`` otherwise, ``"too few terms"`` below
          ``min_periods``.

    Notes
    -----
    Theil-Sen slope (:func:`srb_eval.stats.trend.group_theil_sen`): the median of the
    slopes between every pair of the learner's periods,

    .. math:: b = \\operatorname{median}_{j<k,\\ t_j \\ne t_k}
              \\frac{s_k - s_j}{t_k - t_j}

    where :math:`t` is ``term_index`` (so the slope is per term whatever the period
    length: weekly data gives the same per-term scale) and :math:`s` the share. The
    classification uses the fitted change over the record,
    :math:`b \\times (t_{\\text{latest}} - t_{\\text{first}})`, compared with
    ``tolerance`` strictly (exactly 5 points is steady) after rounding to 10 decimal
    places (so 0.55 - 0.50 is exactly 0.05). Why not the slope alone: a learner
    followed for three years who gains one point every term (11 points in all) is
    rising, though 0.01 a term is small; why not the raw change: one odd first or
    latest term would decide it.

    Small n: with fewer than ``min_periods`` periods the trend is "too few terms" and
    slope_per_term and trend_change are NaN; with exactly two periods the slope is the
    one pairwise slope and trend_change equals change. A learner whose every period had
    nothing timetabled has ``n_periods`` 0 and "too few terms".

    References
    ----------
    .. [1] Sen, P. K. (1968). Estimates of the regression coefficient based on
       Kendall's tau. *JASA*, 63(324), 1379-1389. doi:10.1080/01621459.1968.10480934
    .. [2] Theil, H. (1950). A rank-invariant method of linear and polynomial regression
       analysis. *Indagationes Mathematicae*, 12, 85-91.

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1"] * 3 + ["L2"],
    ...     "period": ["a", "b", "c", "a"], "period_start": pd.to_datetime(["2023-09-01",
    ...     "2024-01-01", "2024-04-01", "2023-09-01"]), "term_index": [0.0, 1, 2, 0],
    ...     "inclusion_share": [0.2, 0.5, 0.4, 0.3]})
    >>> learner_trends(sh)[["learner_id", "slope_per_term", "trend"]].to_dict("list")
    {'learner_id': ['L1', 'L2'], 'slope_per_term': [0.1, nan], 'trend': ['rising', \
'too few terms']}
    """
    check_table(shares, "shares", ["learner_id", "period", "term_index", "inclusion_share"])
    ok = (isinstance(tolerance, (int, float, np.integer, np.floating))
          and not isinstance(tolerance, (bool, np.bool_)) and 0 <= float(tolerance) < 1)
    check_argument(ok, "tolerance", "a share from 0 up to (not including) 1, e.g. 0.05",
                   tolerance, error=ParameterError)
    min_periods = whole_number(min_periods, "min_periods", minimum=2)
    dup = shares.duplicated(["learner_id", "period"]).to_numpy()
    if dup.any():
        first = shares.loc[dup, ["learner_id", "period"]].iloc[0]
        check_argument(False, "shares", "one row per learner and period (as from "
                       "learner_shares)", f"more than one row for {first['learner_id']} in "
                       f"{first['period']}", error=ParameterError)
    # each learner's number, in the sorted order of learner_id: the steps below sort,
    # group and pick rows on that integer rather than on the text
    shares = shares.assign(_learner=pd.factorize(shares["learner_id"], sort=True)[0])
    has = shares.loc[pd.to_numeric(shares["inclusion_share"]).notna().to_numpy()]
    check_argument(bool(has["learner_id"].notna().all()), "shares",
                   "a learner_id in every row with a share", "a missing learner_id",
                   error=ParameterError)
    has = has.sort_values(["_learner", "term_index"], kind="stable")
    first = has.drop_duplicates("_learner", keep="first").set_index("learner_id")
    latest = has.drop_duplicates("_learner", keep="last").set_index("learner_id")
    by_learner = has.groupby("_learner", sort=True)
    n_periods = by_learner.size().set_axis(first.index)
    judged = has.loc[(by_learner["_learner"].transform("size") >= min_periods).to_numpy()]
    slope = group_theil_sen(judged["_learner"].to_numpy(), judged["term_index"],
                            judged["inclusion_share"]).reindex(first["_learner"]).set_axis(
        first.index)
    span = latest["term_index"] - first["term_index"]
    trend_change = (slope * span).where(n_periods >= min_periods)
    rounded = trend_change.round(10)
    res = pd.DataFrame({
        "n_periods": n_periods,
        "first_period": first["period"], "latest_period": latest["period"],
        "first_share": first["inclusion_share"].astype(float),
        "latest_share": latest["inclusion_share"].astype(float),
        "change": (latest["inclusion_share"] - first["inclusion_share"]).where(
            n_periods >= 2).astype(float),
        "slope_per_term": slope.astype(float),
        "trend_change": trend_change.astype(float),
        "trend": np.select([n_periods < min_periods, rounded > tolerance,
                            rounded < -tolerance],
                           ["too few terms", "rising", "falling"], "steady")})
    if "srb_id" in shares.columns:
        # learners with no share at all: the SRB of their latest period
        last_row = (shares.sort_values("term_index", kind="stable")
                    .drop_duplicates("_learner", keep="last").set_index("learner_id"))
        res.insert(0, "srb_id", latest["srb_id"])
    every = pd.Index(shares["learner_id"].dropna().unique()).sort_values()
    res = res.reindex(every)
    res["n_periods"] = res["n_periods"].fillna(0).astype("int64")
    res["trend"] = res["trend"].fillna("too few terms")
    if "srb_id" in shares.columns:
        res["srb_id"] = res["srb_id"].where(res["n_periods"] > 0,
                                            last_row["srb_id"].reindex(every))
    res = res.rename_axis("learner_id").reset_index()
    return res.astype({"learner_id": "str", "first_period": "str", "latest_period": "str",
                       "trend": "str", **({"srb_id": "str"} if "srb_id" in res else {})})


def cohort_by_period(shares: pd.DataFrame, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """The cohort's median inclusion share in each period (with quartiles and n).

    Parameters
    ----------
    shares : DataFrame
        From :func:`~srb_eval.measures.inclusion.learner_shares` (with ``srb_id`` to
        group by SRB, ``phase`` or any other column already added to group by it).
    by : list of str, default ()
        Extra grouping columns present in ``shares`` (e.g. ``["phase"]``).

    Returns
    -------
    DataFrame
        One row per group and period, in time order: the ``by`` columns, ``period``,
        ``period_start``, ``term_index``, ``n`` (learners with a share), ``median_share``,
        ``q1_share``, ``q3_share`` (quartiles), ``core_n``, ``median_core_share``.

    Notes
    -----
    Quartiles by linear interpolation between order statistics (``numpy.percentile``'s
    default, Hyndman & Fan 1996 type 7): with n = 1 all three equal the one share; with
    n = 2 the median is their mean. Learners with nothing timetabled in a period are
    not in its n. The learners differ from period to period (joiners and leavers), so
    a change in the median is not the change of any one learner: :func:`learner_trends`
    follows learners.

    References
    ----------
    .. [1] Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages.
       *The American Statistician*, 50(4), 361-365. doi:10.2307/2684934

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["a", "b", "a"], "period": ["p1", "p1", "p2"],
    ...     "period_start": pd.to_datetime(["2023-09-01"] * 2 + ["2024-01-01"]),
    ...     "term_index": [0.0, 0, 1], "inclusion_share": [0.2, 0.4, 0.5],
    ...     "core_inclusion_share": [0.1, None, 0.5]})
    >>> cohort_by_period(sh)[["period", "n", "median_share", "q1_share"]].to_dict("list")
    {'period': ['p1', 'p2'], 'n': [2, 1], 'median_share': [0.30000000000000004, 0.5], \
'q1_share': [0.25, 0.5]}
    """
    check_table(shares, "shares", ["period", "period_start", "term_index", "inclusion_share",
                                   "core_inclusion_share"])
    cols = check_by(by, [c for c in shares.columns if c not in ("period", "term_index")])
    keys = [*cols, "term_index"]
    d = shares[[*keys, "period", "period_start", "inclusion_share", "core_inclusion_share"]]
    g = d.groupby(keys, observed=True, sort=True, dropna=False)
    s = g["inclusion_share"]
    res = pd.DataFrame({"period": g["period"].first(), "period_start": g["period_start"].min(),
                        "n": s.count().astype("int64"), "median_share": s.median(),
                        "q1_share": s.quantile(0.25), "q3_share": s.quantile(0.75),
                        "core_n": g["core_inclusion_share"].count().astype("int64"),
                        "median_core_share": g["core_inclusion_share"].median()})
    res = res.reset_index()
    return res[[*cols, "period", "period_start", "term_index", "n", "median_share",
                "q1_share", "q3_share", "core_n", "median_core_share"]]
