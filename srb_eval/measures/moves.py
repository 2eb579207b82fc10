"""Progress across a move between SRBs: a learner's stay in SRB provision as one span.

:func:`srb_eval.measures.progress.learner_progress` measures progress within each
placement: its baseline restarts when a placement starts. A learner who moves from a
primary SRB to a secondary one at the end of Year 6 then has two short spans, and two
results either side of the move are never compared. This module joins such placements
into one *stay* and measures progress over it with the same function, so the baseline
rule, the outcome rule and the bands are the ones every progress table uses.

- :func:`srb_stays`: one row per stay. Consecutive placements of a learner are one stay
  when the later starts at most ``max_gap_days`` after the earlier ends (the summer
  holiday between two school years fits) and the earlier did not end with a
  destination other than another SRB (``destination`` "other_srb" or not recorded).
- :func:`progress_across_moves`: :func:`~srb_eval.measures.progress.learner_progress`
  over the stays of two or more placements.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from .columns import need_columns
from .progress import check_areas, learner_progress

__all__ = ["MAX_MOVE_GAP_DAYS", "MOVE_DESTINATION", "progress_across_moves", "srb_stays"]

#: Longest gap, in days, between the end of one placement and the start of the next for
#: the two to be one stay: the summer holiday between two school years (about six
#: weeks in Wales, late July to early September) with room for a late start.
MAX_MOVE_GAP_DAYS = 62
#: The destination that records a move to another SRB (data dictionary, placements).
MOVE_DESTINATION = "other_srb"


def srb_stays(placements: pd.DataFrame, *, max_gap_days: int = MAX_MOVE_GAP_DAYS
              ) -> pd.DataFrame:
    """Each learner's stays in SRB provision: placements joined across moves.

    Parameters
    ----------
    placements : DataFrame
        The ``placements`` table (``learner_id``, ``srb_id``, ``start_date``,
        ``end_date``; ``destination`` if present).
    max_gap_days : int, default :data:`MAX_MOVE_GAP_DAYS`
        Longest gap from one placement's end to the next one's start within a stay
        (0: only a transfer on the same or the next day).

    Returns
    -------
    DataFrame
        One row per stay, by learner and start: ``learner_id``, ``stay`` (0, 1, ... per
        learner), ``first_srb_id`` and ``srb_id`` (of the first and the latest
        placement), ``start_date`` (of the first), ``end_date`` (of the latest; NaT
        while placed), ``n_placements``.

    Examples
    --------
    >>> p = pd.DataFrame({"learner_id": ["L1", "L1", "L2"],
    ...     "srb_id": ["SRB01", "SRB04", "SRB01"],
    ...     "start_date": pd.to_datetime(["2021-09-01", "2023-09-04", "2022-09-01"]),
    ...     "end_date": pd.to_datetime(["2023-07-20", None, None]),
    ...     "destination": ["other_srb", None, None]})
    >>> srb_stays(p)[["learner_id", "first_srb_id", "srb_id", "n_placements"]].values.tolist()
    [['L1', 'SRB01', 'SRB04', 2], ['L2', 'SRB01', 'SRB01', 1]]
    """
    need_columns(placements, ["learner_id", "srb_id", "start_date", "end_date"],
                 "placements")
    ok = (isinstance(max_gap_days, (int, np.integer)) and not isinstance(max_gap_days, bool)
          and max_gap_days >= 0)
    check_argument(ok, "max_gap_days", "a whole number of days, 0 or more", max_gap_days,
                   error=ParameterError)
    p = pd.DataFrame({
        "learner_id": placements["learner_id"].astype("str"),
        "srb_id": placements["srb_id"].astype("str"),
        "start_date": pd.to_datetime(placements["start_date"]).astype("datetime64[ns]"),
        "end_date": pd.to_datetime(placements["end_date"]).astype("datetime64[ns]"),
        "destination": (placements["destination"].astype("str") if "destination" in
                        placements.columns else pd.Series(pd.NA, index=placements.index,
                                                          dtype="str"))})
    p = p.sort_values(["learner_id", "start_date"], kind="stable", ignore_index=True)
    same = p["learner_id"].eq(p["learner_id"].shift())
    gap = (p["start_date"] - p["end_date"].shift()).dt.days
    moved = p["destination"].shift().isna() | p["destination"].shift().eq(MOVE_DESTINATION)
    joined = same & gap.between(0, max_gap_days) & moved
    p["stay"] = (~joined).astype("int64").groupby(p["learner_id"], sort=False).cumsum() - 1
    by_stay = p.groupby(["learner_id", "stay"], sort=True)
    out = by_stay.agg(first_srb_id=("srb_id", "first"), srb_id=("srb_id", "last"),
                      start_date=("start_date", "first"),
                      n_placements=("srb_id", "size"))
    # the latest placement's end, NaT while it is open (not the latest end recorded)
    out.insert(3, "end_date", by_stay["end_date"].last(skipna=False))
    out = out.reset_index()
    out["n_placements"] = out["n_placements"].astype("int64")
    return out


def progress_across_moves(assessments: pd.DataFrame, placements: pd.DataFrame,
                          instruments: pd.DataFrame, *,
                          max_gap_days: int = MAX_MOVE_GAP_DAYS, areas: Any = "all",
                          **kwargs: Any) -> pd.DataFrame:
    """Progress from the first placement's baseline over a stay that crossed a move.

    Parameters
    ----------
    assessments, placements, instruments : DataFrame
        As for :func:`~srb_eval.measures.progress.learner_progress`.
    max_gap_days : int, default :data:`MAX_MOVE_GAP_DAYS`
        As for :func:`srb_stays`.
    areas : "all" or list of str
        Areas to keep, as for :func:`~srb_eval.measures.progress.dataset_progress`.
    **kwargs
        Passed to :func:`~srb_eval.measures.progress.learner_progress` (``srbs``,
        ``learners``, the window, ``benchmarks``, ``tolerance``...).

    Returns
    -------
    DataFrame
        The columns of :func:`~srb_eval.measures.progress.learner_progress`, one row per
        stay of two or more placements x instrument x area: ``srb_id`` is the SRB of
        the latest placement (``phase`` its phase), ``placement_start`` and
        ``placement_end`` the stay's; with ``first_srb_id`` and ``n_placements``.

    Notes
    -----
    The stays are given to ``learner_progress`` as its placements, so its baseline
    rule (the flagged result, else the first on or after the start) applies from the
    start of the first placement, and the outcome is the latest result of the stay.
    Results dated in the gap between two placements belong to no placement and are
    not used.

    Examples
    --------
    >>> a = pd.DataFrame({"learner_id": "L1", "instrument": "Steps", "area": "literacy",
    ...     "date": pd.to_datetime(["2022-09-10", "2023-03-01", "2024-03-01"]),
    ...     "score": [10.0, 12.0, 20.0]})
    >>> p = pd.DataFrame({"learner_id": ["L1", "L1"], "srb_id": ["SRB01", "SRB04"],
    ...     "start_date": pd.to_datetime(["2022-09-01", "2023-09-04"]),
    ...     "end_date": pd.to_datetime(["2023-07-20", None]),
    ...     "destination": ["other_srb", None]})
    >>> i = pd.DataFrame({"instrument": ["Steps"], "scale": ["steps"], "sd": [np.nan],
    ...     "reliability": [np.nan], "expected_gain_per_year": [6.0]})
    >>> r = progress_across_moves(a, p, i).iloc[0]
    >>> r.first_srb_id, r.srb_id, float(r.baseline_score), float(r.outcome_score)
    ('SRB01', 'SRB04', 10.0, 20.0)
    """
    keep = check_areas(areas)
    if keep is not None:
        assessments = assessments.loc[assessments["area"].astype("str").isin(keep)]
    stays = srb_stays(placements, max_gap_days=max_gap_days)
    moved = stays.loc[stays["n_placements"] > 1].reset_index(drop=True)
    spans = moved[["learner_id", "srb_id", "start_date", "end_date"]]
    out = learner_progress(assessments, spans, instruments, **kwargs)
    facts = moved[["learner_id", "start_date", "first_srb_id", "n_placements"]].rename(
        columns={"start_date": "placement_start"})
    return out.merge(facts, on=["learner_id", "placement_start"], how="left")
