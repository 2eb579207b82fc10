"""Wellbeing: attendance, persistent absence and fixed-term exclusions in a school year.

Estyn reports wellbeing through attendance and exclusions; an authority "does not use
SEN data well enough" when it cannot give them for its learners with additional needs.
Both measures are given for the authority, each SRB and each primary need
(:mod:`srb_eval.measures.groups`), each record attributed to the SRB the learner was
placed in at the time (:func:`srb_eval.measures.attribution.attach_srb`).

References
----------
.. [1] Welsh Government (2024). *Persistent absenteeism from secondary schools:
   September 2022 to August 2023*: a pupil is persistently absent when absent for more
   than 10% of half-day sessions (the definition changed from 20% in 2023, with the
   guidance *Belonging, engaging and participating*).
.. [2] Welsh Government. *Permanent and fixed-term exclusions from schools* (statistical
   release): rates of fixed-term exclusions per 1,000 pupils.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import ParameterError, check_argument
from ..params import SchoolYear, school_year, whole_number
from . import roll
from .attribution import attach_srb
from .groups import BY, check_by, complete_groups, in_year, srb_order, stack_groups, with_needs

__all__ = ["EXCLUSIONS_PER", "PERSISTENT_ABSENCE_BELOW", "attendance_outcomes",
           "exclusion_outcomes", "on_roll_in_year"]

#: Attendance below this share of possible sessions is persistent absence (Welsh
#: Government definition since 2023: absent for more than 10% of half-day sessions).
PERSISTENT_ABSENCE_BELOW = 0.9
#: Fixed-term exclusions are counted per this many learners (Welsh Government tables use
#: 1,000 pupils; for groups of a few dozen learners 100 reads better).
EXCLUSIONS_PER = 100


def attendance_outcomes(ds: Any, *, academic_year: str | SchoolYear, by: Sequence[str] = BY,
                        persistent_below: float = PERSISTENT_ABSENCE_BELOW) -> pd.DataFrame:
    """Attendance rate and persistent absence in the year, by group.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        Attendance rows whose ``period_start`` falls in the year.
    by : list of str, default ("srb_id", "primary_need")
    persistent_below : float, default 0.9
        A learner whose attendance in the year is below this share is persistently
        absent (Welsh Government: absent for more than 10% of half-day sessions).

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_learners`` (learners with at
        least one possible session), ``sessions_possible``, ``sessions_attended``,
        ``attendance_rate`` (0-1; NaN with no sessions), ``n_persistent_absence`` and
        ``share_persistent_absence`` (of ``n_learners``; NaN with no learner).

    Notes
    -----
    .. math:: \\text{rate}_g = \\frac{\\sum_{i \\in g} \\text{attended}_i}
              {\\sum_{i \\in g} \\text{possible}_i}, \\qquad
              \\text{persistent}_i = \\frac{\\text{attended}_i}{\\text{possible}_i}
              < 0.9

    A rate of sums of half-day sessions, as Welsh Government attendance statistics. Each
    attendance row is attributed to the SRB the learner was placed in during its period;
    rows outside any placement, and rows with a missing number of sessions, are left out.
    A learner's own rate (for persistent absence) is over their rows in the group: a
    learner who moved SRB is judged in each SRB on the sessions there, and once for the
    authority on all of them. Exactly 90% is not persistent absence. Every SRB has a row,
    with zero counts when it had no attendance record.

    References
    ----------
    .. [1] Welsh Government (2024). *Persistent absenteeism from secondary schools:
       September 2022 to August 2023*; Senedd written answer WQ93989 (2024): "absent for
       more than 10% of half day school sessions".

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> attendance_outcomes(ds, academic_year="2022/23", by=[]).columns.tolist()[2:5]
    ['n_learners', 'sessions_possible', 'sessions_attended']
    """
    year = school_year(academic_year)
    keys = check_by(by)
    ok = (isinstance(persistent_below, (int, float)) and not isinstance(persistent_below, bool)
          and 0 <= persistent_below <= 1)
    check_argument(ok, "persistent_below", "a share from 0 to 1", persistent_below,
                   error=ParameterError)
    counts = ["n_learners", "sessions_possible", "sessions_attended", "n_persistent_absence"]
    a = ds.attendance if ds.attendance is not None else pd.DataFrame(
        columns=["learner_id", "period_start", "period_end", "sessions_possible",
                 "sessions_attended"])
    a = attach_srb(a.loc[in_year(a["period_start"], year)], ds.placements,
                   start="period_start", end="period_end")
    a = pd.DataFrame({"learner_id": a["learner_id"].astype("str"),
                      "srb_id": a["srb_id"].astype("str"),
                      "possible": pd.to_numeric(a["sessions_possible"]).astype("float64"),
                      "attended": pd.to_numeric(a["sessions_attended"]).astype("float64")})
    a = a.loc[a["srb_id"].notna()].dropna(subset=["possible", "attended"])
    st = stack_groups(with_needs(a, ds), keys)
    per = st.groupby(["group_type", "group", "learner_id"], sort=False)[
        ["possible", "attended"]].sum()
    per = per.loc[per["possible"] > 0]
    per["persistent"] = per["attended"] / per["possible"] < persistent_below
    agg = per.groupby(["group_type", "group"], sort=False).agg(
        n_learners=("possible", "size"), sessions_possible=("possible", "sum"),
        sessions_attended=("attended", "sum"), n_persistent_absence=("persistent", "sum"))
    out = complete_groups(agg, keys, srb_order(ds), counts)
    out["attendance_rate"] = (out["sessions_attended"] / out["sessions_possible"]).where(
        out["sessions_possible"] > 0)
    out["share_persistent_absence"] = (out["n_persistent_absence"] / out["n_learners"]
                                       ).where(out["n_learners"] > 0)
    return out[["group_type", "group", "n_learners", "sessions_possible", "sessions_attended",
                "attendance_rate", "n_persistent_absence", "share_persistent_absence"]]


def on_roll_in_year(ds: Any, year: str | SchoolYear) -> pd.DataFrame:
    """``learner_id``, ``srb_id`` and ``primary_need`` of every placement on roll on any
    day of the school year (:func:`srb_eval.measures.roll.placed_in_year`: started by
    31 August, last day on roll not before 1 September)."""
    y = school_year(year)
    return with_needs(roll.placed_in_year(ds, y.start, y.end), ds)


def exclusion_outcomes(ds: Any, *, academic_year: str | SchoolYear, by: Sequence[str] = BY,
                       per: int = EXCLUSIONS_PER) -> pd.DataFrame:
    """Fixed-term exclusions in the year: learners excluded, days lost, rate per 100.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        Exclusions whose ``start_date`` falls in the year.
    by : list of str, default ("srb_id", "primary_need")
    per : int, default 100
        The rate is per this many learners on roll (Welsh Government tables use 1,000
        pupils; for groups of a few dozen learners 100 reads better).

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_learners`` (learners placed at
        any time in the year), ``n_exclusions`` (fixed-term exclusions),
        ``n_learners_excluded`` (learners with at least one), ``days_lost`` (school days
        of fixed-term exclusions), ``n_permanent`` (permanent exclusions),
        ``rate_per_100`` (``per * n_exclusions / n_learners``; the column keeps its name
        whatever ``per``) and ``share_excluded`` (``n_learners_excluded / n_learners``).

    Notes
    -----
    .. math:: \\text{rate}_g = \\text{per} \\times \\frac{E_g}{N_g}

    with :math:`E_g` the fixed-term exclusions of learners of group g starting in the
    year while placed in an SRB of the group (attributed on the start date; an exclusion
    outside any placement is left out) and :math:`N_g` the learners placed at any time
    in the year. Without an ``exclusions`` table every count is 0: the report says the
    table was not supplied. NaN rates and shares where no learner was placed.

    References
    ----------
    .. [1] Welsh Government. *Permanent and fixed-term exclusions from schools*
       (statistical release): rates of fixed-term exclusions per 1,000 pupils.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> exclusion_outcomes(ds, academic_year="2022/23", by=[])["n_learners"].tolist()
    [3]
    """
    year = school_year(academic_year)
    keys = check_by(by)
    scale = whole_number(per, "per", minimum=1)
    n = stack_groups(on_roll_in_year(ds, year), keys).groupby(
        ["group_type", "group"], sort=False)["learner_id"].nunique().rename("n_learners")
    counts = ["n_learners", "n_exclusions", "n_learners_excluded", "n_permanent"]
    e = ds.exclusions if ds.exclusions is not None else pd.DataFrame(
        columns=["learner_id", "start_date", "days", "kind"])
    e = e.loc[in_year(e["start_date"], year)]
    e = attach_srb(pd.DataFrame({"learner_id": e["learner_id"].astype("str"),
                                 "start_date": pd.to_datetime(e["start_date"]),
                                 "days": pd.to_numeric(e["days"]).astype("float64"),
                                 "kind": e["kind"].astype("str")}),
                   ds.placements, start="start_date")
    e = with_needs(e.loc[e["srb_id"].notna()], ds)
    fixed = e["kind"] == "fixed-term"
    e = e.assign(fixed=fixed, permanent=e["kind"] == "permanent",
                 fixed_learner=e["learner_id"].where(fixed),
                 fixed_days=e["days"].where(fixed, 0.0))
    ex = stack_groups(e, keys).groupby(["group_type", "group"], sort=False).agg(
        n_exclusions=("fixed", "sum"), n_learners_excluded=("fixed_learner", "nunique"),
        days_lost=("fixed_days", "sum"), n_permanent=("permanent", "sum"))
    out = complete_groups(pd.concat([n, ex], axis=1), keys, srb_order(ds), counts)
    out["days_lost"] = out["days_lost"].fillna(0.0).astype(float)
    out["rate_per_100"] = (scale * out["n_exclusions"] / out["n_learners"]).where(
        out["n_learners"] > 0)
    out["share_excluded"] = (out["n_learners_excluded"] / out["n_learners"]).where(
        out["n_learners"] > 0)
    return out[["group_type", "group", "n_learners", "n_exclusions", "n_learners_excluded",
                "days_lost", "n_permanent", "rate_per_100", "share_excluded"]]
