"""The one rule for attributing a dated record to a resource base.

Inclusion periods, attendance periods, assessments and target reviews all need to know
which SRB a learner was in. Every measure uses :func:`attach_srb`, so a learner who moves
from one SRB to another is counted the same way in every report. Measures that count a
learner once in one resource base over a window (progress from baseline, target
reviews) count each learner in one: the latest placement with a result or review
(:func:`srb_eval.measures.progress.latest_placement_results`,
:func:`srb_eval.measures.targets.review_scores`), or the latest placement in the window
(:func:`latest_placements`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import check_argument
from ..params import iso_date
from .columns import need_columns
from .roll import last_day


def attach_srb(records: pd.DataFrame, placements: pd.DataFrame, *, start: str,
               end: str | None = None) -> pd.DataFrame:
    """Add ``srb_id``: the resource base of the placement that covers most of each record.

    Parameters
    ----------
    records : DataFrame
        With ``learner_id`` and the date column(s) named by ``start`` and ``end``.
    placements : DataFrame
        The ``placements`` table (``learner_id``, ``srb_id``, ``start_date``,
        ``end_date``; an empty ``end_date`` means still placed).
    start, end : str
        The columns that give each record's first and last day (inclusive). A record on
        one day (an assessment, a target review) gives only ``start``.

    Returns
    -------
    DataFrame
        A copy of ``records`` (same rows, same order) with ``srb_id`` (replaced if
        present).

    Notes
    -----
    The rule: a record belongs to the learner's placement that overlaps it for the most
    calendar days (dates inclusive); on a tie, for example a move exactly half way through
    a term, the placement that started later. A placement's days are those it is on
    roll (:func:`srb_eval.measures.roll.last_day`): on the day of a same-day transfer
    the learner is in the new placement only. A record that no placement of the learner
    overlaps (before the first placement started, after the last one ended, or with a
    missing date) belongs to no SRB: ``srb_id`` is missing. A one-day record therefore
    belongs to the placement it falls in, and on the day of a same-day transfer to the
    new placement.

    Examples
    --------
    >>> rec = pd.DataFrame({"learner_id": ["L1", "L1", "L1"],
    ...     "period_start": pd.to_datetime(["2023-04-01", "2023-09-01", "2025-01-01"]),
    ...     "period_end": pd.to_datetime(["2023-08-31", "2023-12-31", "2025-03-31"])})
    >>> pl = pd.DataFrame({"learner_id": ["L1", "L1"], "srb_id": ["A", "B"],
    ...     "start_date": pd.to_datetime(["2021-09-01", "2023-09-04"]),
    ...     "end_date": pd.to_datetime(["2023-07-20", "2024-07-19"])})
    >>> attach_srb(rec, pl, start="period_start", end="period_end")["srb_id"].tolist()
    ['A', 'B', nan]
    """
    end = end or start
    for col in ("learner_id", start, end):
        check_argument(col in records.columns, "records", f"a table with a {col!r} column",
                       list(records.columns))
    for col in ("learner_id", "srb_id", "start_date", "end_date"):
        check_argument(col in placements.columns, "placements",
                       f"a table with a {col!r} column", list(placements.columns))
    # learners are joined on integer codes from one factorize of both tables' ids
    n = len(records)
    learner = pd.factorize(pd.concat([records["learner_id"].astype("str"),
                                      placements["learner_id"].astype("str")],
                                     ignore_index=True))[0]
    rec = pd.DataFrame({
        "row": np.arange(n),
        "learner": learner[:n],
        "rec_start": pd.to_datetime(records[start]).astype("datetime64[ns]").to_numpy(),
        "rec_end": pd.to_datetime(records[end]).astype("datetime64[ns]").to_numpy()})
    pl = pd.DataFrame({
        "learner": learner[n:],
        "placement": np.arange(len(placements)),
        "pl_start": pd.to_datetime(placements["start_date"]).astype("datetime64[ns]").to_numpy(),
        "pl_end": last_day(placements).to_numpy()})
    pairs = rec.merge(pl, on="learner", how="inner")
    # the later of the two starts (a missing one ignored, as DataFrame.max does)
    first = pd.Series(np.fmax(pairs["rec_start"].to_numpy(), pairs["pl_start"].to_numpy()),
                      index=pairs.index)
    last = pairs["rec_end"].where(pairs["pl_end"].isna() | (pairs["rec_end"] <= pairs["pl_end"]),
                                  pairs["pl_end"])
    pairs["overlap_days"] = (last - first).dt.days + 1
    pairs = pairs[pairs["overlap_days"] > 0]
    best = (pairs.sort_values(["row", "overlap_days", "pl_start"], kind="stable")
            .drop_duplicates("row", keep="last"))
    # the SRB of the best placement; missing (NaN) where no placement overlaps
    srb = np.full(n, np.nan, dtype=object)
    srb[best["row"].to_numpy()] = placements["srb_id"].astype("str").to_numpy()[
        best["placement"].to_numpy()]
    out = records.copy()
    out["srb_id"] = srb
    return out


def latest_placements(placements: pd.DataFrame, *, window_start: Any = None,
                      window_end: Any = None) -> pd.DataFrame:
    """Each learner's latest placement in the window.

    A placement is in the window when it started by ``window_end`` and its last day on
    roll (:func:`srb_eval.measures.roll.last_day`, worked out over all the learner's
    placements) is missing or not before ``window_start``, as for the learners placed
    of :func:`srb_eval.measures.progress_groups.coverage`. Of those, each learner's
    latest (the latest ``start_date``; of equal starts, the last row) is kept. The
    progress report counts a learner with no assessment result in the SRB of this
    placement (a learner with results: in the SRB of their latest placement with a
    result, :func:`srb_eval.measures.progress.latest_placement_results`), so each
    learner counts in one resource base and its rows add up to its "all" row.

    Parameters
    ----------
    placements : DataFrame
        With ``learner_id``, ``start_date`` and ``end_date``.
    window_start, window_end : None or ISO date "YYYY-MM-DD"
        The window (open when None).

    Returns
    -------
    DataFrame
        The kept rows of ``placements`` (all its columns), in their order.

    Examples
    --------
    >>> p = pd.DataFrame({"learner_id": ["a", "a", "b"], "srb_id": ["S1", "S2", "S1"],
    ...     "start_date": pd.to_datetime(["2022-09-01", "2024-01-08", "2023-09-01"]),
    ...     "end_date": pd.to_datetime(["2024-01-08", None, None])})
    >>> latest_placements(p)["srb_id"].tolist()  # a moved to S2: counted there
    ['S2', 'S1']
    >>> latest_placements(p, window_end="2023-12-31")["srb_id"].tolist()
    ['S1', 'S1']
    """
    need_columns(placements, ["learner_id", "start_date", "end_date"], "placements")
    ws = iso_date(window_start, "window_start", optional=True)
    we = iso_date(window_end, "window_end", optional=True)
    start = pd.to_datetime(placements["start_date"])
    keep = np.ones(len(placements), dtype=bool)
    if we is not None:
        keep &= (start <= we).to_numpy()
    if ws is not None:
        last = last_day(placements)
        keep &= (last.isna() | (last >= ws)).to_numpy()
    order = pd.DataFrame({"learner": placements["learner_id"].astype("str").to_numpy(),
                          "start": start.to_numpy(), "row": np.arange(len(placements))}
                         ).loc[keep]
    order = order.sort_values(["learner", "start", "row"], kind="stable")
    rows = np.sort(order.drop_duplicates("learner", keep="last")["row"].to_numpy())
    return placements.iloc[rows]
