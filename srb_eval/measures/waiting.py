"""Waiting for a place: days from referral to panel, panel to start and referral to start.

Estyn (2008, *Joining in*) found waits for admission to resource bases of "a number of
months"; the ALN Code expects timely provision.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..params import iso_date
from . import roll
from .calendar import school_year_label, school_year_of

__all__ = ["MIN_WAITS", "TOO_FEW", "WAITS", "WAIT_LABELS", "waiting_time_summary",
           "waiting_times"]

DAYS_PER_WEEK = 7.0
#: Note of a group with too few waits for a median.
TOO_FEW = "too few to judge"
#: Default of ``min_n`` in :func:`waiting_time_summary`: a median of fewer waits is not
#: given.
MIN_WAITS = 3
#: The intervals measured: name, first date, second date.
WAITS: tuple[tuple[str, str, str], ...] = (
    ("referral_to_panel", "referral_date", "panel_date"),
    ("panel_to_start", "panel_date", "start_date"),
    ("referral_to_start", "referral_date", "start_date"),
)
WAIT_LABELS: dict[str, str] = {
    "referral_to_panel": "referral to panel",
    "panel_to_start": "panel to start",
    "referral_to_start": "referral to start",
}


def waiting_times(ds: Any, *, since: object = None, until: object = None) -> pd.DataFrame:
    """Days from referral to panel, panel to start and referral to start, per placement.

    Learner-level (internal use only); :func:`waiting_time_summary` aggregates it.

    Parameters
    ----------
    ds : Dataset
    since, until : date, optional
        Keep placements whose ``start_date`` is in ``[since, until]``.

    Returns
    -------
    pandas.DataFrame
        One row per placement: ``learner_id``, ``srb_id``, ``phase``, ``start_date``,
        ``school_year`` (of the start, ``"2024/25"``), ``referral_to_panel_days``,
        ``panel_to_start_days``, ``referral_to_start_days`` (floats; NaN where a date is
        missing or the dates are out of order).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> w = waiting_times(load_dataset(PROJECT_ROOT / "tests/data/minimal"))
    >>> w["panel_to_start_days"].tolist()
    [66.0, 92.0, 95.0, 83.0]
    """
    roll.check_dataset(ds)
    lo = iso_date(since, "since", optional=True)
    hi = iso_date(until, "until", optional=True)
    p = ds.placements
    start = pd.to_datetime(p["start_date"])
    keep = np.ones(len(p), dtype=bool)
    if lo is not None:
        keep &= (start >= lo).to_numpy()
    if hi is not None:
        keep &= (start <= hi).to_numpy()
    p, start = p[keep], start[keep]
    srbs = ds.srbs.drop_duplicates("srb_id")
    phase = pd.Series(srbs["phase"].astype("str").to_numpy(),
                      index=srbs["srb_id"].astype("str").to_numpy())
    srb_id = p["srb_id"].astype("str")
    out = pd.DataFrame({"learner_id": p["learner_id"].to_numpy(), "srb_id": srb_id.to_numpy(),
                        "phase": srb_id.map(phase).to_numpy(), "start_date": start.to_numpy(),
                        "school_year": school_year_label(school_year_of(start)).to_numpy()}
                       ).astype({c: "str" for c in ("learner_id", "srb_id", "phase",
                                                    "school_year")})
    for name, a, b in WAITS:
        # whole days (as Timedelta.days: rounded down); NaN for a missing date
        days = np.floor((pd.to_datetime(p[b]).to_numpy() - pd.to_datetime(p[a]).to_numpy())
                        / np.timedelta64(1, "D"))
        out[f"{name}_days"] = np.where(days >= 0, days, np.nan)
    return out


def waiting_time_summary(ds: Any, *, by: str | None = "phase", since: object = None,
                         until: object = None, min_n: int = MIN_WAITS) -> pd.DataFrame:
    """Median and longest waits for a place, by group, with n and exclusions.

    Parameters
    ----------
    ds : Dataset
    by : {"phase", "srb_id", "school_year", None}, default "phase"
        Group; ``school_year`` is that of the start. Rows for all placements (label
        ``"all"``) follow each interval's groups.
    since, until : date, optional
        Placements whose ``start_date`` falls in ``[since, until]``.
    min_n : int, default 3
        Groups with fewer waits than this get no median or longest (note
        "too few to judge").

    Returns
    -------
    pandas.DataFrame
        One row per interval (referral to panel, panel to start, referral to start) and
        group: ``group``, ``interval`` (words), ``n`` (placements with both dates),
        ``n_excluded`` (placements missing a date, or with dates out of order),
        ``median_days``, ``longest_days``, ``median_weeks``, ``longest_weeks`` and
        ``note`` ("" or "too few to judge" / "no dates recorded" / "no placements
        started").

    Notes
    -----
    .. math:: w_i = \\text{date}_{b,i} - \\text{date}_{a,i} \\ \\text{(days)}, \\quad
              \\tilde w = \\operatorname{median}_i w_i, \\quad
              w_{\\max} = \\max_i w_i, \\quad \\text{weeks} = \\text{days} / 7

    The median is the usual sample median (mean of the two middle values for an even
    n). Missing dates are excluded and counted, never imputed. Estyn (2008) found waits
    of "a number of months" for admission; the ALN Code expects timely provision.

    References
    ----------
    .. [1] Estyn (2008). *Joining in*, paragraph on admissions: "lengthy periods of
       waiting, often a number of months".

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> s = waiting_time_summary(load_dataset(PROJECT_ROOT / "tests/data/minimal"), by=None)
    >>> s[["interval", "n", "median_days", "longest_days"]]
                interval  n  median_days  longest_days
    0  referral to panel  4         31.0          40.0
    1     panel to start  4         87.5          95.0
    2  referral to start  4        123.0         126.0
    """
    roll.check_choice(by, "by", ["phase", "srb_id", "school_year", None])
    k = roll.check_whole(min_n, "min_n", 1, 1000)
    w = waiting_times(ds, since=since, until=until)
    labels = list(WAIT_LABELS.values())
    # one long table: every placement once per interval (groups as categoricals, which
    # group faster than their text)
    days = np.concatenate([w[f"{name}_days"].to_numpy() for name, _, _ in WAITS])
    interval = pd.Categorical.from_codes(np.repeat(np.arange(len(labels)), len(w)),
                                         categories=labels)
    stats = ["count", "size", "median", "max"]  # n, n_all, median_days, longest_days
    frames = []
    if by is not None:
        group = pd.Categorical(w[by].astype("str"))
        long = pd.DataFrame({"interval": interval, "days": days, "group": (
            pd.Categorical.from_codes(np.tile(group.codes, len(WAITS)), group.categories))})
        frames.append(long.groupby(["interval", "group"], observed=True)["days"].agg(stats))
    # the "all" rows of every interval, even with no placements
    every = pd.DataFrame({"interval": interval, "days": days}).groupby(
        "interval", observed=False)["days"].agg(stats)
    every.index = pd.MultiIndex.from_product([labels, [roll.ALL]])
    out = pd.concat([*frames, every]).reset_index()
    out.columns = ["interval", "group", "n", "n_all", "median_days", "longest_days"]
    out["n"] = out["n"].fillna(0).astype("Int64")
    out["n_excluded"] = (out.pop("n_all").fillna(0) - out["n"].astype("float64")).astype(
        "Int64")
    n, excluded = out["n"].to_numpy("int64"), out["n_excluded"].to_numpy("int64")
    few = n < k
    out["note"] = pd.array(np.where(~few, "", np.where(
        n > 0, TOO_FEW, np.where(excluded > 0, "no dates recorded", "no placements started"))),
        dtype="str")
    for c in ("median_days", "longest_days"):
        out[c] = np.where(few, np.nan, out[c].to_numpy("float64"))
    out["median_weeks"] = out["median_days"] / DAYS_PER_WEEK
    out["longest_weeks"] = out["longest_days"] / DAYS_PER_WEEK
    grp_order = roll.group_order(out["group"], by)
    order = np.lexsort((out["group"].map({g: i for i, g in enumerate(grp_order)}).to_numpy(),
                        out["interval"].map({g: i for i, g in enumerate(labels)}).to_numpy()))
    out = out.take(order).astype({"interval": "str", "group": "str"})
    return out[["group", "interval", "n", "n_excluded", "median_days", "longest_days",
                "median_weeks", "longest_weeks", "note"]].reset_index(drop=True)
