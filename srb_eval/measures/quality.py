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
from ..data.lookup import positions


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per table of the data model: whether supplied, rows, learners, date span.

    Returns
    -------
    DataFrame
        ``table``, ``required``, ``supplied`` (bool), ``rows``, ``learners`` (distinct
        ``learner_id``; NA for tables without one), ``first_date``, ``last_date`` (over
        the table's date columns; NaT when none).
    """
    rows = []
    for name, spec in S.TABLES.items():
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


def _learners_with(placements: pd.DataFrame, events: pd.DataFrame | None, date_col: str,
                   *, min_distinct_dates: int = 1) -> pd.Series:
    """Bool per placement row: the learner has >= ``min_distinct_dates`` dated events
    during that placement (start to end, or open)."""
    if events is None or events.empty:
        return pd.Series(False, index=placements.index)
    dates = [events[date_col], placements["start_date"], placements["end_date"]]
    if all(d.dtype.kind == "M" for d in dates):
        counts = _distinct_dates_in_placements(placements, events, date_col)
        if counts is not None:
            return pd.Series(counts >= min_distinct_dates, index=placements.index,
                             name=date_col)
        return _learners_with_codes(placements, events, date_col,
                                    min_distinct_dates=min_distinct_dates)
    p = placements[["learner_id", "start_date", "end_date"]].reset_index(names="_p")
    e = events[["learner_id", date_col]].drop_duplicates()
    m = p.merge(e, on="learner_id", how="inner")
    inside = (m[date_col] >= m["start_date"]) & (
        m["end_date"].isna() | (m[date_col] <= m["end_date"]))
    counts = m.loc[inside].groupby("_p")[date_col].nunique()
    return (counts.reindex(p["_p"]).fillna(0) >= min_distinct_dates).set_axis(
        placements.index)


_DAY_NS = 86_400 * 10**9


def _distinct_dates_in_placements(placements: pd.DataFrame, events: pd.DataFrame,
                                  date_col: str) -> np.ndarray | None:
    """Per placement row, the number of distinct event dates of its learner from start to
    end (or open): what :func:`_learners_with_codes` compares with its threshold.

    Events are coded as ``learner * days + day`` and sorted once; each placement's window
    is then two binary searches, and distinct dates come from a running count of new
    values. Applies when every date is ``datetime64[ns]`` and the event dates are whole
    days (None otherwise, for the general path).
    """
    ev = events[date_col]
    start_s, end_s = placements["start_date"], placements["end_date"]
    if any(d.dtype != "datetime64[ns]" for d in (ev, start_s, end_s)):
        return None
    nat = np.iinfo(np.int64).min
    p_lid = pd.Index(placements["learner_id"])
    lids = pd.Index(pd.unique(p_lid))
    n_p = len(placements)
    if n_p == 0:
        return np.zeros(0, dtype=np.int64)
    p_l = positions(placements["learner_id"], lids)
    e_l = positions(events["learner_id"], lids)
    e_d = ev.to_numpy().view(np.int64)
    ok = (e_l >= 0) & (e_d != nat)
    if not ok.all():
        e_l, e_d = e_l[ok], e_d[ok]
    if len(e_d) == 0:
        return np.zeros(n_p, dtype=np.int64)
    lo, hi = int(e_d.min()), int(e_d.max())
    n_days = (hi - lo) // _DAY_NS + 1
    if n_days * max(len(lids), 1) >= 2**62 or (e_d % _DAY_NS).any():
        return None
    key = e_l * n_days + (e_d - lo) // _DAY_NS
    if len(key) > 1:
        step = key[1:] != key[:-1]
        if not step.all():  # repeats of the same learner and date in a row count once
            key = key[np.concatenate(([True], step))]
        if len(key) > 1 and not (key[1:] >= key[:-1]).all():
            key = np.sort(key)
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    distinct = np.cumsum(new)  # distinct values among key[:i + 1]
    start = start_s.to_numpy().view(np.int64)
    end = end_s.to_numpy().view(np.int64)
    # event day k is on or after start when lo + k * day >= start, i.e. k >= ceil(...)
    k_lo = np.where(start == nat, n_days, -((lo - start) // _DAY_NS))
    k_hi = np.where(end == nat, n_days - 1, (end - lo) // _DAY_NS)
    k_lo = np.clip(k_lo, 0, n_days)
    k_hi = np.clip(k_hi, -1, n_days - 1)
    empty = k_lo > k_hi
    base = p_l * n_days
    first = np.searchsorted(key, base + k_lo, side="left")
    last = np.searchsorted(key, base + k_hi, side="right")
    has = (last > first) & ~empty
    counts = np.zeros(n_p, dtype=np.int64)
    f, la = first[has], last[has]
    counts[has] = distinct[la - 1] - distinct[f] + 1
    return counts


def _learners_with_codes(placements: pd.DataFrame, events: pd.DataFrame, date_col: str,
                         *, min_distinct_dates: int) -> pd.Series:
    """:func:`_learners_with` on integer codes: the distinct (learner, date) pairs of
    the events, joined with the placements of their learner with NumPy (same result)."""
    p_lid = pd.Index(placements["learner_id"])
    lids = pd.Index(pd.unique(p_lid))
    p_l = lids.get_indexer(p_lid).astype(np.int64)
    e_code, e_lids = pd.factorize(events["learner_id"], use_na_sentinel=False)
    e_l = lids.get_indexer(e_lids)[e_code].astype(np.int64) if len(e_lids) else \
        np.zeros(0, dtype=np.int64)
    e_d = events[date_col].to_numpy()
    ok = (e_l >= 0) & ~np.isnat(e_d)
    e_l, e_d = e_l[ok], e_d[ok]
    d_code, d_uniq = pd.factorize(e_d)
    pair = e_l * max(len(d_uniq), 1) + d_code
    cells = len(lids) * max(len(d_uniq), 1)
    if cells <= 4 * len(pair) + 1_000_000:  # distinct (learner, date), in any order
        seen = np.zeros(cells, dtype=bool)
        seen[pair] = True
        pair = np.flatnonzero(seen)
    else:
        pair = pd.unique(pair)
    e_l, e_d = pair // max(len(d_uniq), 1), np.asarray(d_uniq)[pair % max(len(d_uniq), 1)]
    p_order = np.argsort(p_l, kind="stable")
    p_count = np.bincount(p_l, minlength=len(lids))
    p_first = np.cumsum(p_count) - p_count
    cnt = p_count[e_l]
    rep = np.repeat(np.arange(len(e_l)), cnt)
    p_rows = p_order[p_first[e_l][rep] + np.arange(len(rep)) - np.repeat(
        np.cumsum(cnt) - cnt, cnt)]
    d = e_d[rep]
    start = placements["start_date"].to_numpy()[p_rows]
    end = placements["end_date"].to_numpy()[p_rows]
    inside = (d >= start) & (np.isnat(end) | (d <= end))
    counts = np.bincount(p_rows[inside], minlength=len(placements))
    return pd.Series(counts >= min_distinct_dates, index=placements.index, name=date_col)


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
    a = ds.assessments
    counts = None
    if a is not None and not a.empty and all(
            d.dtype.kind == "M" for d in (a["date"], p["start_date"], p["end_date"])):
        counts = _distinct_dates_in_placements(p, a, "date")  # once for both flags
    if counts is not None:
        with_baseline = pd.Series(counts >= 1, index=p.index, name="date")
        with_follow_up = pd.Series(counts >= 2, index=p.index, name="date")
    else:
        with_baseline = _learners_with(p, a, "date")
        with_follow_up = _learners_with(p, a, "date", min_distinct_dates=2)
    flags = pd.DataFrame({
        "learner_id": p["learner_id"],
        "srb_id": p["srb_id"],
        "with_baseline": with_baseline,
        "with_follow_up": with_follow_up,
        "with_inclusion": _learners_with(p, ds.inclusion, "period_start"),
        "with_targets": _learners_with(p, ds.targets, "set_date"),
        "with_attendance": _learners_with(p, ds.attendance, "period_start"),
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
