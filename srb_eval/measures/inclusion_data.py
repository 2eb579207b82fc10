"""The inclusion report's data in one call: records, shares, latest shares and trends.

:func:`prepare` is composed of the public measures only (the window, the SRB attribution
rule, :func:`~srb_eval.measures.inclusion.learner_shares`,
:func:`~srb_eval.measures.inclusion.latest_shares` and
:func:`~srb_eval.measures.inclusion_trends.learner_trends`), so each number a report shows
can be checked against the function that defines it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import ParameterError, check_argument
from .attribution import attach_srb
from .inclusion import latest_shares, learner_shares, records_in_window
from .inclusion_trends import TREND_TOLERANCE, learner_trends

__all__ = ["InclusionData", "attach_srb_to_records", "learners_in", "prepare",
           "records_by_learner"]

@dataclass(frozen=True)
class InclusionData:
    """What the inclusion report works from (see :func:`prepare`).

    Attributes
    ----------
    records : DataFrame
        Inclusion records in the window, with ``srb_id`` attached per record (records
        outside any placement dropped), for the chosen SRB.
    shares : DataFrame
        :func:`~srb_eval.measures.inclusion.learner_shares` of those records with ``srb_id``
        (:func:`srb_eval.measures.attribution.attach_srb`) and ``phase``, periods spent
        in the chosen SRB only.
    latest : DataFrame
        :func:`~srb_eval.measures.inclusion.latest_shares` of ``shares``: each learner's
        latest period with a share.
    trends : DataFrame
        :func:`srb_eval.measures.inclusion_trends.learner_trends` of ``shares``.
    as_of : Timestamp or None
        End of the data (the latest period_end), where "still placed" is judged.
    """

    records: pd.DataFrame
    shares: pd.DataFrame
    latest: pd.DataFrame
    trends: pd.DataFrame
    as_of: pd.Timestamp | None


def attach_srb_to_records(records: pd.DataFrame, placements: pd.DataFrame) -> pd.DataFrame:
    """``attach_srb(records, placements, start="period_start", end="period_end")``,
    worked out once per distinct learner and period (a term's subjects share one
    placement) and spread back to the records."""
    keys = ["learner_id", "period_start", "period_end"]
    period = records.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    periods = records.loc[~pd.Series(period).duplicated().to_numpy(), keys]  # in ngroup order
    srb = attach_srb(periods, placements, start="period_start", end="period_end")["srb_id"]
    return records.assign(srb_id=srb.array.take(period))


def prepare(inclusion: pd.DataFrame, placements: pd.DataFrame, srbs: pd.DataFrame, *,
            srb: str = "all", window_start: object = None, window_end: object = None,
            period: str = "term", core_subjects: Sequence[str] | None = None,
            tolerance: float = TREND_TOLERANCE, min_periods: int = 2) -> InclusionData:
    """Filter and compute everything the inclusion report shows, from the public measures.

    Parameters
    ----------
    inclusion, placements, srbs : DataFrame
        The dataset's tables.
    srb : str, default "all"
        ``"all"`` or one srb_id: keep the periods (and records) attributed to it.
    window_start, window_end : None or ISO date "YYYY-MM-DD"
        Keep records whose period_start is in the window (inclusive), see
        :func:`~srb_eval.measures.inclusion.records_in_window`.
    period, core_subjects : as in :func:`~srb_eval.measures.inclusion.learner_shares`.
    tolerance, min_periods : as in
        :func:`srb_eval.measures.inclusion_trends.learner_trends`.

    Returns
    -------
    InclusionData
        Records attributed to an SRB (:func:`attach_srb_to_records`), their
        :func:`~srb_eval.measures.inclusion.learner_shares` attributed period by period
        (:func:`srb_eval.measures.attribution.attach_srb`) with the SRB's phase,
        :func:`~srb_eval.measures.inclusion.latest_shares` and the learners' trends.
    """
    check_argument(isinstance(srb, str), "srb", "'all' or an srb_id", srb,
                   error=ParameterError)
    records = records_in_window(inclusion, start=window_start, end=window_end)
    records = attach_srb_to_records(records, placements)
    records = records.loc[records["srb_id"].notna().to_numpy()]
    shares = learner_shares(records, period=period, core_subjects=core_subjects)
    shares = attach_srb(shares, placements, start="period_start", end="period_end")
    shares = shares.loc[shares["srb_id"].notna().to_numpy()]
    if srb != "all":
        records = records.loc[(records["srb_id"] == srb).to_numpy()]
        shares = shares.loc[(shares["srb_id"] == srb).to_numpy()]
    phase = srbs[["srb_id", "phase"]].drop_duplicates("srb_id")
    shares = shares.merge(phase, on="srb_id", how="left")
    end = pd.to_datetime(shares["period_end"]).max() if len(shares) else pd.NaT
    return InclusionData(
        records=records.reset_index(drop=True), shares=shares, latest=latest_shares(shares),
        trends=learner_trends(shares, tolerance=tolerance, min_periods=min_periods),
        as_of=None if pd.isna(end) else pd.Timestamp(end))


def learners_in(data: InclusionData, srb: str) -> InclusionData:
    """The learners of one resource base, by the one rule every inclusion table of
    learners uses: a learner belongs to the SRB of their latest period with a share in
    the window (of their latest period, if none has a share).

    That is the SRB the all-SRB report counts them in (its tables by SRB and by need,
    its trends), so a report about one SRB counts exactly the learners of the all-SRB
    report's row of that SRB, with the same latest share and the same trend, over every
    period of theirs in the window (also periods in an SRB they were in before). A
    report that counted every learner with a period in the SRB instead (49 learners of
    SRB01 against the all-SRB report's 45) published, as the difference, how many
    learners moved on to another SRB and their trends: a small group. Counts of
    (learner, period) pairs (the median share by period) still attribute each period to
    the SRB of that period (``prepare(..., srb=srb)``), as the all-SRB report does.

    Parameters
    ----------
    data : InclusionData
        :func:`prepare` with ``srb="all"`` (the report's window and period).
    srb : str
        ``"all"`` (``data`` is returned) or one srb_id.

    Returns
    -------
    InclusionData
        ``data`` restricted to the learners whose trend row (one per learner,
        :func:`~srb_eval.measures.inclusion_trends.learner_trends`) carries ``srb``.

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["a", "a", "b"], "srb_id": ["S1", "S2", "S1"],
    ...     "period": ["t1", "t2", "t1"], "term_index": [0.0, 1.0, 0.0],
    ...     "inclusion_share": [0.4, 0.6, 0.5]})
    >>> d = InclusionData(records=sh, shares=sh, latest=latest_shares(sh),
    ...                   trends=learner_trends(sh), as_of=None)
    >>> learners_in(d, "S1").shares["learner_id"].tolist()  # a is S2's (latest period)
    ['b']
    >>> learners_in(d, "S2").shares["srb_id"].tolist()  # with their period in S1
    ['S1', 'S2']
    """
    check_argument(isinstance(srb, str), "srb", "'all' or an srb_id", srb,
                   error=ParameterError)
    if srb == "all":
        return data
    ids = data.trends.loc[(data.trends["srb_id"].astype("str") == srb).to_numpy(),
                          "learner_id"].astype("str")

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["learner_id"].astype("str").isin(ids).to_numpy()].reset_index(
            drop=True)

    return InclusionData(records=keep(data.records), shares=keep(data.shares),
                         latest=keep(data.latest), trends=keep(data.trends),
                         as_of=data.as_of)


def records_by_learner(data: InclusionData) -> pd.DataFrame:
    """``data.records`` with ``srb_id`` set to the SRB each learner is counted in (the
    rule of :func:`learners_in`: the SRB of the learner's latest period with a share),
    for a breakdown of records by SRB that counts learners: each learner in one SRB, as
    the tables of learners count them. By the SRB of each record instead, a learner who
    moved counted in two SRBs (SRB01 49 learners against 45 in the tables, a difference
    of 4 learners who moved on).

    >>> rec = pd.DataFrame({"learner_id": ["a", "a"], "srb_id": ["S1", "S2"]})
    >>> d = InclusionData(records=rec, shares=rec, latest=rec.iloc[1:], as_of=None,
    ...                   trends=pd.DataFrame({"learner_id": ["a"], "srb_id": ["S2"]}))
    >>> records_by_learner(d)["srb_id"].tolist()
    ['S2', 'S2']
    """
    srb = data.trends.set_index(data.trends["learner_id"].astype("str"))["srb_id"]
    ids = data.records["learner_id"].astype("str")
    return data.records.assign(srb_id=srb.reindex(ids).to_numpy())
