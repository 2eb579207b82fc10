"""Goal Attainment Scaling of IDP outcomes and short-term targets: T-scores per learner
and review (:func:`gas_scores`), the reviews of a report's window and SRB
(:func:`review_scores`) and summaries by group (:func:`gas_summary`).

Each target is scored at review from -2 (much less than expected) to +2 (much more); the
T-score of a set of goals is :func:`srb_eval.stats.gas.gas_t_score` (Kiresuk & Sherman
1968, as corrected by Turner-Stokes 2009).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..params import iso_date
from ..stats.gas import DEFAULT_RHO, GAS_LEVELS, check_rho, gas_t_from_sums
from .attribution import attach_srb
from .columns import check, group_keys, need_columns

__all__ = ["gas_scores", "gas_summary", "review_scores", "window_mask"]

def gas_scores(targets: pd.DataFrame, by: Sequence[str] = ("learner_id", "review_date"), *,
               rho: float = DEFAULT_RHO) -> pd.DataFrame:
    """GAS T-scores of every learner and review period, vectorised.

    Parameters
    ----------
    targets : DataFrame
        The ``targets`` table (``learner_id``, ``review_date``, ``attainment``; ``weight``
        optional, default 1; ``area`` when grouping by it).
    by : sequence of str, default ("learner_id", "review_date")
        The set of goals scored together. Add ``"area"`` for a T-score per area.
    rho : float, default 0.3

    Returns
    -------
    DataFrame
        One row per group of reviewed targets, sorted by ``by``: the ``by`` columns,
        ``n_targets`` (reviewed), ``n_met`` (attainment >= 0: met or exceeded),
        ``share_met`` (0-1), ``sum_w`` and ``sum_wx`` (weights and weighted attainment),
        ``gas_t`` (the T-score of :func:`srb_eval.stats.gas.gas_t_score`).

    Notes
    -----
    Only reviewed targets count: a missing ``attainment`` or ``review_date`` means "not
    yet reviewed" and the target is left out (never scored as 0). Missing weights are 1.
    The formula is computed with group sums, so it scales to millions of targets.

    References
    ----------
    .. [1] Kiresuk & Sherman (1968); Turner-Stokes (2009) with erratum (see
       :mod:`srb_eval.stats.gas`).

    Examples
    --------
    >>> t = pd.DataFrame({"learner_id": ["A", "A", "A", "B"],
    ...                   "review_date": pd.to_datetime(["2025-03-20"] * 4),
    ...                   "attainment": [1.0, 1.0, 1.0, None]})
    >>> gas_scores(t)[["learner_id", "n_targets", "gas_t"]].round(3).values.tolist()
    [['A', 3, 63.693]]
    """
    rho = check_rho(rho)
    keys = list(by) if not isinstance(by, str) else [by]
    need_columns(targets, ["attainment", *keys], "targets")
    check(len(keys) > 0, "by", "one or more column names", by)
    x = targets["attainment"].astype(float)
    reviewed = x.notna()
    if "review_date" in targets.columns:
        reviewed &= targets["review_date"].notna()
    bad = reviewed & ~x.isin(GAS_LEVELS)
    check(not bad.any(), "targets", "attainment levels -2, -1, 0, 1 or 2",
          x[bad].head(5).tolist())
    w = (targets["weight"].astype(float).fillna(1.0) if "weight" in targets.columns
         else pd.Series(1.0, index=targets.index))
    check(not (reviewed & (w <= 0)).any(), "targets", "positive weights",
          w[reviewed & (w <= 0)].head(5).tolist())
    df = targets.loc[reviewed, keys].copy()
    df["_x"] = x[reviewed]
    df["_w"] = w[reviewed]
    df["_wx"] = df["_w"] * df["_x"]
    df["_w2"] = df["_w"] ** 2
    df["_met"] = df["_x"] >= 0
    out = (df.groupby(keys, observed=True, sort=True, dropna=False)
           .agg(n_targets=("_x", "size"), n_met=("_met", "sum"), sum_w=("_w", "sum"),
                sum_wx=("_wx", "sum"), sum_w2=("_w2", "sum"))
           .reset_index())
    out["n_targets"] = out["n_targets"].astype("int64")
    out["n_met"] = out["n_met"].astype("int64")
    out["share_met"] = out["n_met"] / out["n_targets"]
    out["gas_t"] = gas_t_from_sums(out["sum_w"], out["sum_wx"], out["sum_w2"], rho)
    return out.drop(columns="sum_w2")


def window_mask(df: pd.DataFrame, date: str, *, srb: str = "all", window_start: Any = None,
              window_end: Any = None) -> np.ndarray:
    """Boolean mask of rows whose ``date`` is in the window (and whose ``srb_id`` is ``srb``).

    Rows with a missing date are outside; so are rows with a missing ``srb_id`` when
    ``df`` has that column (a review before any placement belongs to no SRB). Bounds are
    inclusive; None is open.
    """
    need_columns(df, [date], "df")
    ws = iso_date(window_start, "window_start", optional=True)
    we = iso_date(window_end, "window_end", optional=True)
    d = pd.to_datetime(df[date])
    keep = np.array(d.notna(), dtype=bool)
    if ws is not None:
        keep &= (d >= ws).fillna(False).to_numpy(dtype=bool)
    if we is not None:
        keep &= (d <= we).fillna(False).to_numpy(dtype=bool)
    if "srb_id" in df.columns:
        keep &= df["srb_id"].notna().to_numpy(dtype=bool)
    if srb != "all":
        need_columns(df, ["srb_id"], "df")
        keep &= (df["srb_id"].astype("str") == srb).fillna(False).to_numpy(dtype=bool)
    return keep


def review_scores(targets: pd.DataFrame, placements: pd.DataFrame, *, srb: str = "all",
                  window_start: Any = None, window_end: Any = None,
                  rho: float = DEFAULT_RHO) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GAS T-scores for a report: per learner x review and per learner x review x area.

    Each score gets the SRB the learner was placed in at the review
    (:func:`srb_eval.measures.attribution.attach_srb`) and is kept only when its review
    date is in the window (bounds inclusive; None is open), it belongs to an SRB and it
    is in the SRB of the learner's latest review in the window: reviews in an earlier
    SRB are not counted, so each learner counts in one resource base and the rows by
    SRB add up to the learners of all SRBs (counted in each SRB, a learner who moved
    published the number who moved as the difference; the rule of the progress results,
    :func:`srb_eval.measures.progress.latest_placement_results`). Unless ``srb`` is
    "all", only the scores in that SRB (:func:`window_mask`). Returns
    ``(scores, scores_by_area)``, the columns of :func:`gas_scores` plus ``srb_id``.
    """
    scores = attach_srb(gas_scores(targets, rho=rho), placements, start="review_date")
    scores = scores.loc[window_mask(scores, "review_date", window_start=window_start,
                                    window_end=window_end)]
    last = scores.sort_values("review_date", kind="stable").drop_duplicates(
        "learner_id", keep="last").set_index("learner_id")["srb_id"]
    scores = scores.loc[(scores["srb_id"].to_numpy()
                         == last.reindex(scores["learner_id"]).to_numpy())]
    # a review's SRB depends only on the learner and the date: the per-area scores take it
    # from ``scores`` rather than attributing every row again
    by_area = gas_scores(targets, by=("learner_id", "review_date", "area"), rho=rho).merge(
        scores[["learner_id", "review_date", "srb_id"]], on=["learner_id", "review_date"],
        how="left")
    scores, by_area = (t.loc[window_mask(t, "review_date", srb=srb, window_start=window_start,
                                         window_end=window_end)] for t in (scores, by_area))
    return scores, by_area


def gas_summary(scores: pd.DataFrame, by: Any = ()) -> pd.DataFrame:
    """Summary of GAS T-scores by group (SRB, area, need...).

    Parameters
    ----------
    scores : DataFrame
        From :func:`gas_scores` (possibly with columns added, e.g. ``srb_id`` by
        :func:`srb_eval.measures.attribution.attach_srb`).
    by : str or list of str, default ()
        Grouping columns; ``()`` gives one row.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``n_learners``, ``n_reviews`` (T-scores),
        ``n_targets``, ``n_met``, ``share_met`` (targets met or exceeded, 0-1),
        ``median_t``, ``q1_t``, ``q3_t``, ``mean_t``, ``n_t_50_or_more`` and
        ``share_t_50_or_more`` (reviews whose goals were, overall, met as expected or
        better).

    Notes
    -----
    The T-scores of one learner's successive reviews are not independent; the
    summary describes reviews, and ``n_learners`` says how many learners stand behind
    them. Quartiles by linear interpolation.
    """
    keys = group_keys(scores, by)
    need_columns(scores, ["learner_id", "n_targets", "n_met", "gas_t"], "scores")
    df = scores.assign(_ge50=scores["gas_t"] >= 50 - 1e-9)
    g = (df.groupby(keys, observed=True, sort=True, dropna=False) if keys
         else df.assign(_all=0).groupby("_all"))
    out = g.agg(n_learners=("learner_id", "nunique"), n_reviews=("gas_t", "size"),
                n_targets=("n_targets", "sum"), n_met=("n_met", "sum"),
                median_t=("gas_t", "median"), mean_t=("gas_t", "mean"),
                n_t_50_or_more=("_ge50", "sum"))
    out["q1_t"] = g["gas_t"].quantile(0.25)
    out["q3_t"] = g["gas_t"].quantile(0.75)
    out = out.reset_index(drop=not keys)
    if not keys and out.empty:
        out = pd.DataFrame({"n_learners": [0], "n_reviews": [0], "n_targets": [0],
                            "n_met": [0], "median_t": [np.nan], "q1_t": [np.nan],
                            "q3_t": [np.nan], "mean_t": [np.nan], "n_t_50_or_more": [0]})
    for c in ("n_learners", "n_reviews", "n_targets", "n_met", "n_t_50_or_more"):
        out[c] = out[c].astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_met"] = (out["n_met"] / out["n_targets"]).where(out["n_targets"] > 0)
        out["share_t_50_or_more"] = (out["n_t_50_or_more"] / out["n_reviews"]).where(
            out["n_reviews"] > 0)
    return out[[*keys, "n_learners", "n_reviews", "n_targets", "n_met", "share_met",
                "median_t", "q1_t", "q3_t", "mean_t", "n_t_50_or_more",
                "share_t_50_or_more"]]


