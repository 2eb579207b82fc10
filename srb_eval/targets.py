"""Goal Attainment Scaling (GAS) T-scores for IDP outcomes and short-term targets.

Each target is scored at review on the five-point GAS scale: -2 (much less than
expected), -1 (somewhat less), 0 (the expected outcome), +1 (somewhat more), +2 (much
more). :func:`gas_t_score` combines one learner's goals into the Kiresuk-Sherman T-score
(50 = every goal met exactly as expected, SD 10); :func:`gas_scores` does so for every
learner and review at once, :func:`attach_srb` says which SRB each review belongs to and
:func:`gas_summary` summarises groups.

References
----------
.. [1] Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: a general
   method for evaluating comprehensive community mental health programs. *Community
   Mental Health Journal*, 4(6), 443-453. https://doi.org/10.1007/BF01530764
.. [2] Turner-Stokes, L. (2009). Goal attainment scaling (GAS) in rehabilitation: a
   practical guide. *Clinical Rehabilitation*, 23(4), 362-370 (and its erratum,
   *Clinical Rehabilitation* 23(7), 2009, correcting the printed formula).
   https://doi.org/10.1177/0269215508101742
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .progress import _NS_PER_DAY, _check, _group_keys, _is_number, _need_columns, in_window

__all__ = ["DEFAULT_RHO", "GAS_LEVELS", "attach_srb", "describe_gas", "display_gas",
           "gas_heading", "gas_scores", "gas_summary", "gas_t_score"]

#: Assumed correlation between goal scores (Kiresuk & Sherman 1968).
DEFAULT_RHO = 0.3
#: The GAS attainment levels.
GAS_LEVELS: tuple[float, ...] = (-2.0, -1.0, 0.0, 1.0, 2.0)


def _check_rho(rho: Any) -> float:
    _check(_is_number(rho) and 0 <= rho < 1, "rho", "a number from 0 up to (not including) 1",
           rho)
    return float(rho)


def gas_t_score(attainment: Any, weights: Any = None, rho: float = DEFAULT_RHO) -> float:
    """The Goal Attainment Scaling T-score of one set of goals.

    Parameters
    ----------
    attainment : array-like of float
        Attainment level of each goal, from -2 to +2 (0 = expected). Missing values
        (goals not yet reviewed) are left out.
    weights : array-like of float, optional
        Positive weight of each goal (default 1 for every goal).
    rho : float, default 0.3
        Assumed correlation between the goals' scores (0 <= rho < 1).

    Returns
    -------
    float
        The T-score; NaN when no goal has been scored.

    Raises
    ------
    ArgumentError
        (a ``ValueError``) for a level outside -2..+2 or not whole, a weight that is not
        positive, weights of another length, or a bad ``rho``.

    Notes
    -----
    Kiresuk & Sherman (1968), as corrected in Turner-Stokes (2009, erratum):

    .. math::
        T = 50 + \\frac{10 \\sum_i w_i x_i}
                 {\\sqrt{(1 - \\rho)\\sum_i w_i^2 + \\rho\\left(\\sum_i w_i\\right)^2}}

    T = 50 when every goal is met as expected; above 50, more than expected overall. With
    one goal, :math:`T = 50 + 10x`.

    References
    ----------
    .. [1] Kiresuk, T. J., & Sherman, R. E. (1968). *Community Mental Health Journal*,
       4(6), 443-453. https://doi.org/10.1007/BF01530764
    .. [2] Turner-Stokes, L. (2009). *Clinical Rehabilitation*, 23(4), 362-370, and
       erratum. https://doi.org/10.1177/0269215508101742

    Examples
    --------
    Three goals all met as expected give 50. Three goals each at +1 (weights 1, rho 0.3):
    sum wx = 3, denominator sqrt(0.7 x 3 + 0.3 x 9) = sqrt(4.8) = 2.19089, so
    T = 50 + 30 / 2.19089 = 63.693.

    >>> gas_t_score([0, 0, 0])
    50.0
    >>> round(gas_t_score([1, 1, 1]), 3)
    63.693
    """
    rho = _check_rho(rho)
    x = np.asarray(attainment, dtype=float).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    _check(w.shape == x.shape, "weights", f"one weight per goal ({x.size})", w.size)
    ok = ~np.isnan(x)
    _check(bool(np.all(np.isin(x[ok], GAS_LEVELS))), "attainment",
           "levels -2, -1, 0, 1 or 2 (or missing)", x[ok & ~np.isin(x, GAS_LEVELS)].tolist())
    _check(bool(np.all(w[ok] > 0)), "weights", "positive numbers", w[ok].tolist())
    x, w = x[ok], w[ok]
    if x.size == 0:
        return math.nan
    denom = math.sqrt((1 - rho) * float(np.sum(w**2)) + rho * float(np.sum(w)) ** 2)
    return 50 + 10 * float(np.sum(w * x)) / denom


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
        ``gas_t`` (the T-score of :func:`gas_t_score`).

    Notes
    -----
    Only reviewed targets count: a missing ``attainment`` or ``review_date`` means "not
    yet reviewed" and the target is left out (never scored as 0). Missing weights are 1.
    The formula is computed with group sums, so it scales to millions of targets.

    References
    ----------
    .. [1] Kiresuk & Sherman (1968); Turner-Stokes (2009) with erratum (see module).

    Examples
    --------
    >>> t = pd.DataFrame({"learner_id": ["A", "A", "A", "B"],
    ...                   "review_date": pd.to_datetime(["2025-03-20"] * 4),
    ...                   "attainment": [1.0, 1.0, 1.0, None]})
    >>> gas_scores(t)[["learner_id", "n_targets", "gas_t"]].round(3).values.tolist()
    [['A', 3, 63.693]]
    """
    rho = _check_rho(rho)
    keys = list(by) if not isinstance(by, str) else [by]
    _need_columns(targets, ["attainment", *keys], "targets")
    _check(len(keys) > 0, "by", "one or more column names", by)
    x = targets["attainment"].astype(float)
    reviewed = x.notna()
    if "review_date" in targets.columns:
        reviewed &= targets["review_date"].notna()
    bad = reviewed & ~x.isin(GAS_LEVELS)
    _check(not bad.any(), "targets", "attainment levels -2, -1, 0, 1 or 2",
           x[bad].head(5).tolist())
    w = (targets["weight"].astype(float).fillna(1.0) if "weight" in targets.columns
         else pd.Series(1.0, index=targets.index))
    _check(not (reviewed & (w <= 0)).any(), "targets", "positive weights",
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
    denom = np.sqrt((1 - rho) * out["sum_w2"] + rho * out["sum_w"] ** 2)
    out["gas_t"] = 50 + 10 * out["sum_wx"] / denom
    return out.drop(columns="sum_w2")


def attach_srb(df: pd.DataFrame, placements: pd.DataFrame, *, date: str = "review_date"
               ) -> pd.DataFrame:
    """Add the ``srb_id`` of the placement each row's date falls in.

    Parameters
    ----------
    df : DataFrame
        With ``learner_id`` and the ``date`` column (e.g. :func:`gas_scores` output or
        the ``targets`` table).
    placements : DataFrame
        The ``placements`` table.
    date : str, default "review_date"

    Returns
    -------
    DataFrame
        ``df`` (same rows and order) with ``srb_id`` added: the SRB of the learner's
        latest placement that started on or before the date (``merge_asof``). A review
        shortly after a placement ended is therefore counted for that SRB; a date before
        any placement gets a missing ``srb_id``.
    """
    _need_columns(df, ["learner_id", date], "df")
    _need_columns(placements, ["learner_id", "srb_id", "start_date"], "placements")
    _check(date in df.columns, "date", "a column of df", date)
    fast = _attach_srb_by_day(df, placements, date)
    if fast is not None:
        out = df.copy()
        out["srb_id"] = fast
        return out
    left = pd.DataFrame({"_row": np.arange(len(df)),
                         "learner_id": df["learner_id"].astype("str").reset_index(drop=True),
                         "_d": pd.to_datetime(df[date]).astype("datetime64[ns]").reset_index(
                             drop=True)})
    right = pd.DataFrame({
        "learner_id": placements["learner_id"].astype("str").reset_index(drop=True),
        "_d": pd.to_datetime(placements["start_date"]).astype("datetime64[ns]").reset_index(
            drop=True),
        "srb_id": placements["srb_id"].astype("str").reset_index(drop=True)})
    right = right.sort_values("_d", kind="stable")
    has = left["_d"].notna()
    m = pd.merge_asof(left.loc[has].sort_values("_d", kind="stable"), right, on="_d",
                      by="learner_id", direction="backward")
    srb = pd.Series(pd.NA, index=np.arange(len(df)), dtype="str")
    srb.iloc[m["_row"].to_numpy()] = m["srb_id"].to_numpy()
    out = df.copy()
    out["srb_id"] = srb.to_numpy()
    return out


def _attach_srb_by_day(df: pd.DataFrame, placements: pd.DataFrame, date: str
                       ) -> Any:
    """:func:`attach_srb`'s ``srb_id`` column on integer keys (learner x day), when every
    date is a midnight (else None: the ``merge_asof`` path is used). For each row, the
    last placement in start order (ties: table order) of the same learner that started
    on or before the date, exactly as ``merge_asof(direction="backward")`` picks it."""
    d = pd.to_datetime(df[date]).astype("datetime64[ns]").to_numpy().view("i8")
    start = pd.to_datetime(placements["start_date"]).astype("datetime64[ns]").to_numpy(
        ).view("i8")
    nat = np.iinfo(np.int64).min
    has, ok_start = d != nat, start != nat
    if (d[has] % _NS_PER_DAY).any() or (start[ok_start] % _NS_PER_DAY).any():
        return None
    p_code, lids = pd.factorize(placements["learner_id"].astype("str"))
    inverse, uniq = pd.factorize(df["learner_id"].astype("str"))
    r_code = np.where(inverse >= 0, np.append(pd.Index(lids).get_indexer(uniq), -1)[inverse],
                      -1).astype(np.int64)
    p_rows = np.flatnonzero(ok_start & (p_code >= 0))
    srb = placements["srb_id"].astype("str").array
    pick = np.full(len(df), -1, dtype=np.int64)  # placement row of each row; -1: none
    if len(p_rows) == 0:
        return None
    p_day = start[p_rows] // _NS_PER_DAY
    lo = int(p_day.min())
    span = int(p_day.max()) - lo + 1
    p_key = p_code[p_rows].astype(np.int64) * (span + 1) + (p_day - lo)
    order = np.argsort(p_key, kind="stable")
    p_key, p_rows = p_key[order], p_rows[order]
    rows = np.flatnonzero(has & (r_code >= 0))
    off = np.clip(d[rows] // _NS_PER_DAY - lo, -1, span)
    r_key = r_code[rows] * (span + 1) + off
    pos = np.searchsorted(p_key, r_key, side="right") - 1
    hit = (pos >= 0) & (p_code[p_rows[np.maximum(pos, 0)]] == r_code[rows]) & (off >= 0)
    if not hit.any():
        return None  # (the merge_asof path gives its all-missing column an object dtype)
    pick[rows[hit]] = p_rows[pos[hit]]
    return srb.take(pick, allow_fill=True)


def review_scores(targets: pd.DataFrame, placements: pd.DataFrame, *, srb: str = "all",
                  window_start: Any = None, window_end: Any = None,
                  rho: float = DEFAULT_RHO) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GAS T-scores for a report: per learner x review and per learner x review x area.

    Each score gets the SRB the learner was placed in at the review (:func:`attach_srb`)
    and is kept only when its review date is in the window (bounds inclusive; None is
    open) and, unless ``srb`` is "all", in that SRB
    (:func:`srb_eval.progress.in_window`). Returns ``(scores, scores_by_area)``, the
    columns of :func:`gas_scores` plus ``srb_id``.
    """
    out = []
    for by in (("learner_id", "review_date"), ("learner_id", "review_date", "area")):
        scored = attach_srb(gas_scores(targets, by=by, rho=rho), placements)
        out.append(scored.loc[in_window(scored, "review_date", srb=srb,
                                        window_start=window_start, window_end=window_end)])
    return out[0], out[1]


def gas_summary(scores: pd.DataFrame, by: Any = ()) -> pd.DataFrame:
    """Summary of GAS T-scores by group (SRB, area, need...).

    Parameters
    ----------
    scores : DataFrame
        From :func:`gas_scores` (possibly with columns added, e.g. by :func:`attach_srb`).
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
    keys = _group_keys(scores, by)
    _need_columns(scores, ["learner_id", "n_targets", "n_met", "gas_t"], "scores")
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




# --------------------------------------------------------------------------- report wording

_GROUP_TITLES = {"srb_id": "SRB", "area": "area", "primary_need": "primary need",
                 "phase": "phase"}


def gas_heading(row: Any, *, audience: str) -> str:
    """Heading from a one-row :func:`gas_summary`: targets met and the median T-score.

    Examples
    --------
    >>> gas_heading({"n_targets": 40, "n_met": 30, "n_reviews": 12, "median_t": 53.2},
    ...             audience="internal")
    'Targets: 30 of 40 targets (75%) met or exceeded at review; median GAS T-score 53'
    """
    from .progress import _of, _too_few
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    if int(row["n_targets"]) == 0:
        return "Targets: none reviewed yet"
    if "n_learners" in row and _too_few(row["n_learners"], audience):
        return "Targets: too few learners to report (fewer than 10)"
    head = ("Targets: " + _of(row["n_met"], row["n_targets"], audience, "targets")
            + " met or exceeded at review")
    if _too_few(row["n_reviews"], audience):
        return head
    return head + f"; median GAS T-score {float(row['median_t']):.0f}"


def describe_gas(row: Any, *, audience: str) -> str:
    """A sentence from a one-row :func:`gas_summary`.

    Examples
    --------
    >>> describe_gas({"n_learners": 10, "n_reviews": 12, "n_t_50_or_more": 9,
    ...               "n_targets": 40}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    'In 9 of 12 reviews (75%), the goals set were met as expected or better overall (a
    GAS T-score of 50 or more), across 10 learners.'
    """
    from .progress import _count, _of, _too_few
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    n = int(row["n_reviews"])
    if n == 0:
        return "No targets have been reviewed yet."
    if _too_few(row["n_learners"], audience):
        return ("Fewer than 10 learners had targets reviewed: too few to describe in a "
                "published report.")
    return (f"In {_of(row['n_t_50_or_more'], n, audience, 'reviews')}, the goals set were "
            "met as expected or better overall (a GAS T-score of 50 or more), across "
            f"{_count(row['n_learners'], audience, 'learners')}.")


def display_gas(summary: pd.DataFrame, *, audience: str,
                labels: dict[str, str] | None = None) -> pd.DataFrame:
    """A :func:`gas_summary` table for readers, disclosure-controlled.

    Returns
    -------
    DataFrame
        Group columns, ``learners``, ``reviews``, ``targets reviewed``, ``met or
        exceeded`` and its ``%``, ``median T (middle half)``, ``reviews with T >= 50`` and
        its ``%``. Published: counts under 5 as "<5", with met / not met and T >= 50 /
        below 50 each suppressed as a line with its total (so a hidden count cannot be
        recovered by subtraction); T-scores and percentages of fewer than 10 learners as
        "[c]".
    """
    from .progress import _few_learners, _hide, _line_counts, _num, _pct_text
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    groups = [c for c in summary.columns if c in _GROUP_TITLES]
    t = summary.reset_index(drop=True).copy()
    lab = labels or {}
    for g in groups:
        t[g] = t[g].astype("str").map(lambda v: lab.get(v, v.replace("_", " ")))
    t["_not_met"] = t["n_targets"] - t["n_met"]
    t["_below_50"] = t["n_reviews"] - t["n_t_50_or_more"]
    shown = _line_counts(t, [(["n_met", "_not_met"], "n_targets"),
                             (["n_t_50_or_more", "_below_50"], "n_reviews"),
                             (["n_learners"], None)], audience=audience,
                         group=groups[0] if groups else None)
    small = _few_learners(t, audience)
    out = t[groups].copy()
    for c in ("n_learners", "n_reviews", "n_targets", "n_met"):
        out[c] = shown[c].to_numpy()
    out["% met"] = _pct_text(t, shown, "n_met", "n_targets", audience=audience, small=small)
    med = pd.Series([
        "no data" if pd.isna(m) else f"{_num(m, 0)} ({_num(a, 0)} to {_num(b, 0)})"
        for m, a, b in zip(t["median_t"], t["q1_t"], t["q3_t"], strict=True)], dtype=object)
    out["median T (middle half)"] = _hide(med, t["n_learners"], audience).to_numpy()
    out["n_t_50_or_more"] = shown["n_t_50_or_more"].to_numpy()
    out["% T >= 50"] = _pct_text(t, shown, "n_t_50_or_more", "n_reviews", audience=audience,
                                 small=small)
    return out.rename(columns={
        "n_learners": "learners", "n_reviews": "reviews", "n_targets": "targets reviewed",
        "n_met": "met or exceeded", "n_t_50_or_more": "reviews with T of 50 or more",
        **{g: _GROUP_TITLES[g] for g in groups}})
