"""One learner's profile for the annual person-centred review.

:func:`learner_profile` gathers, for one learner, what the review discusses: who they
are (need, plan, placements), every area's progress against baseline and expected
progress (:mod:`srb_eval.measures.progress`), target attainment as GAS T-scores
(:mod:`srb_eval.measures.targets`), the share of time in mainstream classes over time
(``learner_shares`` of the inclusion measures) and attendance (:func:`attendance_rates`).
It computes nothing of its own beyond attendance rates: it filters the dataset to the
learner and calls the package's measures, so the profile agrees with the group reports.

Learner-level by nature: for an internal audience only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .attribution import attach_srb
from .calendar import school_year_label, school_year_of
from .columns import check, need_columns
from .inclusion import learner_shares
from .progress import dataset_progress, learner_progress, trajectory_points
from .progress_scales import ratio_gain, reliable_change
from .targets import gas_scores

__all__ = ["LearnerProfile", "attendance_rates", "dataset_end_date", "learner_profile"]

_PERIODS = ("period", "school_year")

def attendance_rates(attendance: pd.DataFrame, *, period: str = "period") -> pd.DataFrame:
    """Attendance rate per learner and period: sessions attended / sessions possible.

    Parameters
    ----------
    attendance : DataFrame
        The ``attendance`` table (learner_id, period_start, period_end,
        sessions_possible, sessions_attended).
    period : {"period", "school_year"}, default "period"
        ``"period"``: one row per row of the table (as recorded, usually terms).
        ``"school_year"``: sessions summed over each school year (1 September to 31
        August, by ``period_start``).

    Returns
    -------
    DataFrame
        Sorted by learner and period: ``learner_id``, ``period_start``, ``period_end``
        (for school years: the first start and last end of the rows summed),
        ``school_year`` (e.g. ``"2024/25"``), ``sessions_possible``,
        ``sessions_attended``, ``attendance_rate`` (0-1; NaN where no session was
        possible, which a report words as "no data", never 0%).

    Notes
    -----
    .. math:: \\text{rate} = \\frac{\\sum \\text{sessions attended}}
              {\\sum \\text{sessions possible}}

    A rate of sums (not a mean of termly rates), as in Welsh Government attendance
    statistics (half-day sessions). Rows with a missing count are left out of both sums.

    References
    ----------
    .. [1] Welsh Government. *Absenteeism from primary / secondary schools* statistical
       releases: percentage of half-day sessions attended.

    Examples
    --------
    >>> a = pd.DataFrame({"learner_id": ["L1", "L1"],
    ...     "period_start": pd.to_datetime(["2024-09-02", "2025-01-06"]),
    ...     "period_end": pd.to_datetime(["2024-12-20", "2025-04-04"]),
    ...     "sessions_possible": [140, 0], "sessions_attended": [126, 0]})
    >>> attendance_rates(a)["attendance_rate"].tolist()
    [0.9, nan]
    >>> attendance_rates(a, period="school_year")["attendance_rate"].tolist()
    [0.9]
    """
    need_columns(attendance, ["learner_id", "period_start", "period_end", "sessions_possible",
                               "sessions_attended"], "attendance")
    check(period in _PERIODS, "period", '"period" or "school_year"', period)
    poss = pd.to_numeric(attendance["sessions_possible"]).astype("Float64")
    att = pd.to_numeric(attendance["sessions_attended"]).astype("Float64")
    ok = (poss.notna() & att.notna()).to_numpy(dtype=bool)
    start = pd.to_datetime(attendance["period_start"])
    df = pd.DataFrame({
        "learner_id": attendance["learner_id"].astype("str"),
        "period_start": start,
        "period_end": pd.to_datetime(attendance["period_end"]),
        "school_year": school_year_label(school_year_of(start)),
        "sessions_possible": poss.to_numpy(dtype=float, na_value=np.nan),
        "sessions_attended": att.to_numpy(dtype=float, na_value=np.nan),
    }).loc[ok]
    if period == "school_year":
        df = (df.groupby(["learner_id", "school_year"], sort=True)
              .agg(period_start=("period_start", "min"), period_end=("period_end", "max"),
                   sessions_possible=("sessions_possible", "sum"),
                   sessions_attended=("sessions_attended", "sum"))
              .reset_index())
    df = df.sort_values(["learner_id", "period_start"], kind="stable").reset_index(drop=True)
    poss_v = df["sessions_possible"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        df["attendance_rate"] = np.where(poss_v > 0, df["sessions_attended"].to_numpy(
            dtype=float) / np.where(poss_v > 0, poss_v, 1.0), np.nan)
    for c in ("sessions_possible", "sessions_attended"):
        df[c] = df[c].astype("int64")
    return df[["learner_id", "period_start", "period_end", "school_year", "sessions_possible",
               "sessions_attended", "attendance_rate"]]


def dataset_end_date(ds: Any) -> pd.Timestamp | None:
    """The latest date recorded anywhere in a dataset (the "as at" date of a profile).

    The maximum over placement starts and ends, assessment dates, inclusion and
    attendance period ends, target set and review dates, exclusion starts and award
    dates; None for a dataset with no dates.
    """
    cols = {"placements": ("start_date", "end_date"), "assessments": ("date",),
            "inclusion": ("period_end",), "attendance": ("period_end",),
            "targets": ("set_date", "review_date"), "exclusions": ("start_date",),
            "qualifications": ("award_date",)}
    latest = [getattr(ds, t)[c].max() for t, cs in cols.items() if getattr(ds, t) is not None
              for c in cs if c in getattr(ds, t).columns]
    latest = [x for x in latest if not pd.isna(x)]
    return max(latest) if latest else None


@dataclass(frozen=True)
class LearnerProfile:
    """The tables of one learner's profile (every one may be empty, none is None).

    Attributes
    ----------
    learner_id : str
    as_at : pandas.Timestamp or None
        The dataset's latest date (ages and year group are given at this date).
    learner : Series
        The learner's row of ``learners`` (worded by
        :func:`srb_eval.report.profile.about_table`).
    placements : DataFrame
        The learner's rows of ``placements`` with ``srb_name``.
    progress : DataFrame
        :func:`srb_eval.measures.progress.learner_progress` rows of the learner.
    points : DataFrame
        :func:`srb_eval.measures.progress.trajectory_points` of those rows.
    reliable_change : DataFrame
        :func:`srb_eval.measures.progress_scales.reliable_change` rows (instruments lacking SD or
        reliability are skipped).
    ratio_gain : DataFrame
        :func:`srb_eval.measures.progress_scales.ratio_gain` rows.
    gas : DataFrame
        :func:`srb_eval.measures.targets.gas_scores` per review, with ``srb_id``.
    targets : DataFrame
        The learner's targets (set date, review date, area, attainment, weight).
    inclusion : DataFrame
        :func:`srb_eval.measures.inclusion.learner_shares` per term.
    attendance : DataFrame
        :func:`attendance_rates` per period.
    missing : tuple of str
        Optional tables the dataset does not have (their sections are empty).
    """

    learner_id: str
    as_at: pd.Timestamp | None
    learner: pd.Series
    placements: pd.DataFrame
    progress: pd.DataFrame
    points: pd.DataFrame
    reliable_change: pd.DataFrame
    ratio_gain: pd.DataFrame
    gas: pd.DataFrame
    targets: pd.DataFrame
    inclusion: pd.DataFrame
    attendance: pd.DataFrame
    missing: tuple[str, ...] = ()


def _rows(df: pd.DataFrame | None, learner_id: str) -> pd.DataFrame | None:
    if df is None:
        return None
    return df.loc[df["learner_id"].astype("str") == learner_id].reset_index(drop=True)


def learner_profile(ds: Any, learner_id: str, **progress_kwargs: Any) -> LearnerProfile:
    """Everything the annual review of one learner needs, from a loaded dataset.

    Parameters
    ----------
    ds : Dataset
        From :func:`srb_eval.load_dataset`.
    learner_id : str
        The learner.
    **progress_kwargs
        Passed to :func:`srb_eval.measures.progress.learner_progress` (``window_start``...).

    Returns
    -------
    LearnerProfile

    Raises
    ------
    srb_eval.errors.ParameterError
        When ``learner_id`` is not in the
        dataset.

    Notes
    -----
    The dataset is filtered to the learner first, so a profile costs milliseconds on
    any size of dataset. Progress, GAS, inclusion and attendance are computed by the
    same functions as the group reports (see their docstrings for methods and
    references).
    """
    check(isinstance(learner_id, str) and learner_id.strip() != "", "learner_id",
          "a learner id (text)", learner_id)
    learner_id = learner_id.strip()
    lr = _rows(ds.learners, learner_id)
    if lr is None or lr.empty:
        ids = ds.learners["learner_id"].astype("str")
        check(False, "learner_id", f"a learner of the dataset ({len(ids)} learners, e.g. "
              f"{', '.join(ids.head(3))})", learner_id)
    as_at = dataset_end_date(ds)
    pl = _rows(ds.placements, learner_id)
    names = ds.srbs[["srb_id", "name"]].rename(columns={"name": "srb_name"}).astype(
        {"srb_id": "str"})
    pl = pl.astype({"srb_id": "str"}).merge(names, on="srb_id", how="left")
    pl = pl.sort_values("start_date", kind="stable").reset_index(drop=True)
    missing = tuple(t for t in ("instruments", "assessments", "targets", "inclusion",
                                "attendance") if not ds.has(t))

    a = _rows(ds.assessments, learner_id)
    if a is not None and ds.instruments is not None:
        prog = learner_progress(a, pl, ds.instruments, srbs=ds.srbs, learners=lr,
                                  **progress_kwargs)
        points = trajectory_points(a, prog)
        rc = reliable_change(prog, ds.instruments, errors="skip")
        rg = ratio_gain(prog)
    else:
        empty = dataset_progress(_Empty(ds), **progress_kwargs).iloc[0:0]
        prog = empty
        points = pd.DataFrame(columns=["learner_id", "srb_id", "placement_start",
                                       "instrument", "scale", "area", "date", "score", "years",
                                       "expected_gain_per_year", "expected_score", "status",
                                       "band"])
        rc = pd.DataFrame(columns=["learner_id", "instrument", "area", "rci", "rci_class"])
        rg = pd.DataFrame(columns=["learner_id", "instrument", "area", "ratio_gain",
                                   "ratio_gain_band"])

    t = _rows(ds.targets, learner_id)
    if t is not None:
        gas = attach_srb(gas_scores(t), pl, start="review_date")
        targets = t.sort_values(["set_date", "target_id"], kind="stable").reset_index(
            drop=True)
    else:
        gas = pd.DataFrame(columns=["learner_id", "review_date", "n_targets", "n_met",
                                    "share_met", "sum_w", "sum_wx", "gas_t", "srb_id"])
        targets = pd.DataFrame(columns=["learner_id", "target_id", "area", "set_date",
                                        "review_date", "attainment", "weight"])

    inc = _rows(ds.inclusion, learner_id)
    if inc is not None:
        inclusion = learner_shares(inc, period="term")
    else:
        inclusion = pd.DataFrame(columns=["learner_id", "period", "period_start", "period_end",
                                          "inclusion_share", "core_inclusion_share"])
    att = _rows(ds.attendance, learner_id)
    attendance = (attendance_rates(att) if att is not None else
                  pd.DataFrame(columns=["learner_id", "period_start", "period_end",
                                        "school_year", "sessions_possible",
                                        "sessions_attended", "attendance_rate"]))
    return LearnerProfile(learner_id, as_at, lr.iloc[0], pl, prog, points, rc, rg, gas,
                          targets, inclusion, attendance, missing)


class _Empty:
    """A stand-in dataset without assessments (for an empty progress table)."""

    def __init__(self, ds: Any):
        self.srbs, self.learners = ds.srbs, ds.learners
        self.placements = ds.placements.iloc[0:0]
        self.assessments = self.instruments = None


