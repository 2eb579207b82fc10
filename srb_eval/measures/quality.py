"""Data quality: what a dataset holds and which learners lack the records a report needs.

Estyn found that authorities "do not collect and analyse data about the various groups
of pupils" (Joining in, 2008, R5); the first report of the suite therefore says, per
SRB, how many learners have a baseline, a follow-up, inclusion records and targets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import schema as S
from ..data.io import Dataset


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per table of the SRB data model: whether supplied, rows, learners, dates.

    The comparison group's tables (``schema.COMPARISON_TABLES``) are not listed: the
    matched comparison reports on them itself.

    Returns
    -------
    DataFrame
        ``table``, ``required``, ``supplied`` (bool), ``rows``, ``learners`` (distinct
        ``learner_id``; NA for tables without one), ``first_date``, ``last_date`` (over
        the table's date columns; NaT when none).
    """
    rows = []
    for name in S.SRB_TABLES:
        spec = S.TABLES[name]
        df = getattr(ds, name)
        date_cols = [c for c, col in spec.columns().items()
                     if col.metadata.get("kind") == "date"]
        if df is None:
            rows.append((name, spec.required, False, 0, pd.NA, pd.NaT, pd.NaT))
            continue
        # the extremes of each date column, then the extremes of those (as a concat of
        # the whole columns would give, without copying millions of dates)
        dates = pd.concat([pd.Series([df[c].min(), df[c].max()], dtype=df[c].dtype)
                           for c in date_cols if c in df.columns]) if date_cols else \
            pd.Series(dtype="datetime64[ns]")
        learners = df["learner_id"].nunique() if "learner_id" in df.columns else pd.NA
        rows.append((name, spec.required, True, len(df), learners, dates.min(), dates.max()))
    out = pd.DataFrame(rows, columns=["table", "required", "supplied", "rows", "learners",
                                      "first_date", "last_date"])
    return out.astype({"rows": "int64", "learners": "Int64"})


def dates_in_placement(placements: pd.DataFrame, events: pd.DataFrame | None,
                       date_col: str) -> pd.Series:
    """Per placement row, how many distinct dates the learner's events have within it.

    An event is within a placement when its ``date_col`` falls from ``start_date`` to
    ``end_date`` (inclusive; an empty end date means still placed). Events of the same
    learner on the same date count once.

    Returns
    -------
    Series
        Whole numbers, indexed like ``placements`` (0 where the learner has no event in
        the placement, or when ``events`` is missing).

    Examples
    --------
    >>> pl = pd.DataFrame({"learner_id": ["L1", "L1"],
    ...     "start_date": pd.to_datetime(["2022-09-01", "2023-09-01"]),
    ...     "end_date": pd.to_datetime(["2023-07-20", None])})
    >>> ev = pd.DataFrame({"learner_id": ["L1", "L1", "L1"],
    ...     "date": pd.to_datetime(["2022-10-01", "2022-10-01", "2024-01-10"])})
    >>> dates_in_placement(pl, ev, "date").tolist()
    [1, 1]
    """
    if events is None or events.empty:
        return pd.Series(0, index=placements.index, dtype="int64")
    p = placements[["learner_id", "start_date", "end_date"]].reset_index(drop=True)
    p["placement"] = np.arange(len(p))
    e = events[["learner_id", date_col]].dropna().drop_duplicates()
    m = p.merge(e, on="learner_id", how="inner")
    inside = (m[date_col] >= m["start_date"]) & (
        m["end_date"].isna() | (m[date_col] <= m["end_date"]))
    counts = m.loc[inside].groupby("placement").size()
    return pd.Series(counts.reindex(p["placement"], fill_value=0).to_numpy(dtype="int64"),
                     index=placements.index)


def coverage(ds: Dataset) -> pd.DataFrame:
    """Per SRB: learners placed and how many have each kind of record during placement.

    A learner counts for an SRB if they had any placement there. "With a baseline"
    means at least one assessment dated within that placement; "with a follow-up", at
    least two different assessment dates (the minimum for a gain).

    Returns
    -------
    DataFrame
        ``srb_id``, ``srb_name``, ``learners``, ``with_baseline``, ``with_follow_up``,
        ``with_inclusion``, ``with_targets``, ``with_attendance``, and the matching
        ``without_*`` counts for baseline, inclusion and targets. One row per SRB (SRBs
        with no placements have zeros) plus a final ``all`` row counting each learner
        once.
    """
    p = ds.placements
    assessed = dates_in_placement(p, ds.assessments, "date")
    flags = pd.DataFrame({
        "learner_id": p["learner_id"],
        "srb_id": p["srb_id"],
        "with_baseline": assessed >= 1,
        "with_follow_up": assessed >= 2,
        "with_inclusion": dates_in_placement(p, ds.inclusion, "period_start") >= 1,
        "with_targets": dates_in_placement(p, ds.targets, "set_date") >= 1,
        "with_attendance": dates_in_placement(p, ds.attendance, "period_start") >= 1,
    })
    cols = ["with_baseline", "with_follow_up", "with_inclusion", "with_targets",
            "with_attendance"]
    per_learner_srb = flags.groupby(["srb_id", "learner_id"], observed=True)[cols].any()
    by_srb = per_learner_srb.groupby(level="srb_id").agg(["sum"])
    by_srb.columns = cols
    by_srb["learners"] = per_learner_srb.groupby(level="srb_id").size()
    all_row = flags.groupby("learner_id")[cols].any()
    total = pd.DataFrame({**{c: [int(all_row[c].sum())] for c in cols},
                          "learners": [len(all_row)]}, index=pd.Index(["all"], name="srb_id"))
    srbs = ds.srbs.set_index("srb_id")["name"]
    by_srb = by_srb.reindex(srbs.index, fill_value=0)
    out = pd.concat([by_srb, total]).reset_index(names="srb_id")
    out.insert(1, "srb_name", out["srb_id"].map(srbs).fillna("All SRBs"))
    for c in ("baseline", "inclusion", "targets"):
        out[f"without_{c}"] = out["learners"] - out[f"with_{c}"]
    order = ["srb_id", "srb_name", "learners", *cols, "without_baseline",
             "without_inclusion", "without_targets"]
    return out[order].astype({c: "int64" for c in order[2:]})
