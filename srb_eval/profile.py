"""One learner's profile for the annual person-centred review.

:func:`learner_profile` gathers, for one learner, what the review discusses: who they
are (need, plan, placements), every area's progress against baseline and expected
progress (:mod:`srb_eval.progress`), target attainment as GAS T-scores
(:mod:`srb_eval.targets`), the share of time in mainstream classes over time
(:func:`srb_eval.measures.inclusion.learner_shares`) and attendance (:func:`attendance_rates`).
It computes nothing of its own beyond attendance rates: it filters the dataset to the
learner and calls the package's methods, so the profile agrees with the group reports.

Learner-level by nature: for an internal audience only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import progress as P
from . import targets as T
from .progress import _check, _need_columns

__all__ = ["LearnerProfile", "attendance_heading", "attendance_rates", "attendance_table",
           "dataset_end_date", "describe_progress", "gas_heading", "gas_table",
           "inclusion_heading", "inclusion_table", "learner_profile", "progress_heading",
           "progress_table", "ratio_gain_table", "reliable_change_table"]

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
    _need_columns(attendance, ["learner_id", "period_start", "period_end", "sessions_possible",
                               "sessions_attended"], "attendance")
    _check(period in _PERIODS, "period", '"period" or "school_year"', period)
    poss = pd.to_numeric(attendance["sessions_possible"]).astype("Float64")
    att = pd.to_numeric(attendance["sessions_attended"]).astype("Float64")
    ok = (poss.notna() & att.notna()).to_numpy(dtype=bool)
    start = pd.to_datetime(attendance["period_start"])
    df = pd.DataFrame({
        "learner_id": attendance["learner_id"].astype("str"),
        "period_start": start,
        "period_end": pd.to_datetime(attendance["period_end"]),
        "school_year": _school_year(start),
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


def _school_year(d: pd.Series) -> pd.Series:
    """``"2024/25"`` for dates from 1 September 2024 to 31 August 2025."""
    y = d.dt.year - (d.dt.month < 9).astype("int64")
    return y.astype("str") + "/" + ((y + 1) % 100).astype("str").str.zfill(2)


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
    about : DataFrame
        Two columns, ``item`` and ``value`` (text): birth month, age and year group as
        at ``as_at``, sex, primary and secondary needs, statutory plan, free school
        meals, home authority, current SRB.
    placements : DataFrame
        The learner's rows of ``placements`` with ``srb_name``.
    progress : DataFrame
        :func:`srb_eval.progress.learner_progress` rows of the learner.
    points : DataFrame
        :func:`srb_eval.progress.trajectory_points` of those rows.
    reliable_change : DataFrame
        :func:`srb_eval.progress.reliable_change` rows (instruments lacking SD or
        reliability are skipped).
    ratio_gain : DataFrame
        :func:`srb_eval.progress.ratio_gain` rows.
    gas : DataFrame
        :func:`srb_eval.targets.gas_scores` per review, with ``srb_id``.
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
    about: pd.DataFrame
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


def _about(learner: pd.Series, placements: pd.DataFrame, as_at: pd.Timestamp | None
           ) -> pd.DataFrame:
    birth = pd.Timestamp(learner["birth_month"])
    items = [("Learner", str(learner["learner_id"])), ("Birth month", birth.strftime("%B %Y"))]
    if as_at is not None:
        months = int((as_at - birth).days // P.DAYS_PER_MONTH)
        yg = P.year_group(pd.Series([birth]), pd.Series([as_at]))
        items += [(f"Age on {as_at:%d %B %Y}", f"{months // 12} years {months % 12} months"),
                  (f"Year group on {as_at:%d %B %Y}",
                   str(P.year_group_label(yg).iloc[0]))]

    def text(v: Any, none: str = "not recorded") -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return none
        if isinstance(v, (bool, np.bool_)):
            return "yes" if v else "no"
        return str(v)

    items += [("Sex", text(learner.get("sex"))),
              ("Primary need", text(learner.get("primary_need"))),
              ("Secondary needs", text(learner.get("secondary_needs"), "none recorded")
               .replace(";", ", ")),
              ("Statutory plan", text(learner.get("statutory_plan"))),
              ("Free school meals", text(learner.get("fsm"))),
              ("Home authority", text(learner.get("home_authority")))]
    if len(placements):
        last = placements.sort_values("start_date").iloc[-1]
        where = f"{last['srb_name']} ({last['srb_id']})"
        since = f"since {last['start_date']:%d %B %Y}"
        if pd.isna(last["end_date"]):
            items.append(("Current SRB", f"{where}, {since}"))
        else:
            items.append(("Last SRB", f"{where}, {since[6:]} to {last['end_date']:%d %B %Y}"))
    return pd.DataFrame(items, columns=["item", "value"])


def learner_profile(ds: Any, learner_id: str, **progress_kwargs: Any) -> LearnerProfile:
    """Everything the annual review of one learner needs, from a loaded dataset.

    Parameters
    ----------
    ds : Dataset
        From :func:`srb_eval.load_dataset`.
    learner_id : str
        The learner.
    **progress_kwargs
        Passed to :func:`srb_eval.progress.learner_progress` (``window_start``...).

    Returns
    -------
    LearnerProfile

    Raises
    ------
    srb_eval.progress.ArgumentError
        (a ``ParameterError`` and ``ValueError``) when ``learner_id`` is not in the
        dataset.

    Notes
    -----
    The dataset is filtered to the learner first, so a profile costs milliseconds on
    any size of dataset. Progress, GAS, inclusion and attendance are computed by the
    same functions as the group reports (see their docstrings for methods and
    references).
    """
    _check(isinstance(learner_id, str) and learner_id.strip() != "", "learner_id",
           "a learner id (text)", learner_id)
    learner_id = learner_id.strip()
    lr = _rows(ds.learners, learner_id)
    if lr is None or lr.empty:
        ids = ds.learners["learner_id"].astype("str")
        _check(False, "learner_id", f"a learner of the dataset ({len(ids)} learners, e.g. "
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
        prog = P.learner_progress(a, pl, ds.instruments, srbs=ds.srbs, learners=lr,
                                  **progress_kwargs)
        points = P.trajectory_points(a, prog)
        rc = P.reliable_change(prog, ds.instruments, errors="skip")
        rg = P.ratio_gain(prog)
    else:
        empty = P.dataset_progress(_Empty(ds), **progress_kwargs).iloc[0:0]
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
        gas = T.attach_srb(T.gas_scores(t), pl)
        targets = t.sort_values(["set_date", "target_id"], kind="stable").reset_index(
            drop=True)
    else:
        gas = pd.DataFrame(columns=["learner_id", "review_date", "n_targets", "n_met",
                                    "share_met", "sum_w", "sum_wx", "gas_t", "srb_id"])
        targets = pd.DataFrame(columns=["learner_id", "target_id", "area", "set_date",
                                        "review_date", "attainment", "weight"])

    inc = _rows(ds.inclusion, learner_id)
    if inc is not None:
        from .measures.inclusion import learner_shares

        inclusion = learner_shares(inc, period="term")
    else:
        inclusion = pd.DataFrame(columns=["learner_id", "period", "period_start", "period_end",
                                          "inclusion_share", "core_inclusion_share"])
    att = _rows(ds.attendance, learner_id)
    attendance = (attendance_rates(att) if att is not None else
                  pd.DataFrame(columns=["learner_id", "period_start", "period_end",
                                        "school_year", "sessions_possible",
                                        "sessions_attended", "attendance_rate"]))
    return LearnerProfile(learner_id, as_at, _about(lr.iloc[0], pl, as_at), pl, prog, points,
                          rc, rg, gas, targets, inclusion, attendance, missing)


class _Empty:
    """A stand-in dataset without assessments (for an empty progress table)."""

    def __init__(self, ds: Any):
        self.srbs, self.learners = ds.srbs, ds.learners
        self.placements = ds.placements.iloc[0:0]
        self.assessments = self.instruments = None


# --------------------------------------------------------------------------- report wording
# Tables and sentences of notebooks/50_learner_profile (internal audience only).

_BAND_WORDS = {"below": "below expected", "expected": "expected progress",
               "above": "above expected"}


def _pct(x: Any) -> str:
    return "no data" if x is None or pd.isna(x) else f"{np.floor(100 * float(x) + 0.5):.0f}%"


def _num(x: Any, decimals: int = 1) -> str:
    return "-" if x is None or pd.isna(x) else f"{round(float(x), decimals) + 0.0:.{decimals}f}"


def _verdict(progress: pd.DataFrame) -> pd.Series:
    """Words for each progress row: band, or why there is none."""
    band = progress["band"].astype(object).map(lambda b: _BAND_WORDS.get(b))
    status = progress["status"].astype("str")
    no_exp = (status == P.STATUSES[0]) & band.isna()
    return band.where(band.notna(), status.where(~no_exp, "no expectation set"))


def progress_table(progress: pd.DataFrame) -> pd.DataFrame:
    """One learner's progress rows as a reader sees them.

    Returns
    -------
    DataFrame
        ``SRB``, ``instrument``, ``area``, ``baseline`` ("21 on 03 Oct 2022"),
        ``latest``, ``gain``, ``gain a year``, ``expected a year`` (or "hold the score"
        for a standardised score judged by the RCI), ``progress`` (expected progress,
        above expected, below expected, too soon to judge, no follow-up yet or no
        expectation set).
    """
    _need_columns(progress, ["srb_id", "instrument", "area", "baseline_score",
                             "baseline_date", "outcome_score", "outcome_date", "gain", "rate",
                             "expected_gain_per_year", "band", "band_basis", "status"],
                  "progress")
    p = progress.reset_index(drop=True)
    basis = p["band_basis"].astype("str")
    expected = [("hold the score" if b == "reliable change" else
                 "benchmark" if b == "benchmark" else _num(e))
                for b, e in zip(basis, p["expected_gain_per_year"], strict=True)]
    return pd.DataFrame({
        "SRB": p["srb_id"].astype("str"),
        "instrument": p["instrument"].astype("str"),
        "area": p["area"].astype("str").str.replace("_", " "),
        "baseline": [f"{_num(s, 0)} on {d:%d %b %Y}" for s, d in
                     zip(p["baseline_score"], p["baseline_date"], strict=True)],
        "latest": ["-" if pd.isna(d) else f"{_num(s, 0)} on {d:%d %b %Y}" for s, d in
                   zip(p["outcome_score"], p["outcome_date"], strict=True)],
        "gain": p["gain"].map(lambda v: _num(v, 0)),
        "gain a year": p["rate"].map(_num),
        "expected a year": expected,
        "progress": _verdict(p).to_numpy(),
    })


def progress_heading(progress: pd.DataFrame) -> str:
    """``"Expected progress or better on 5 of 7 measures judged (an instrument in an
    area)"`` for one learner."""
    judged = progress["band"].notna()
    n = int(judged.sum())
    if n == 0:
        return "Progress: none can be judged against an expectation yet"
    ok = int(progress.loc[judged, "band"].isin(["expected", "above"]).sum())
    return (f"Expected progress or better on {ok} of {n} measure"
            f"{'s' if n != 1 else ''} judged (an instrument in an area)")


def describe_progress(progress: pd.DataFrame) -> str:
    """Which areas were above, at or below expected, too soon or without a follow-up."""
    words = _verdict(progress.reset_index(drop=True))
    what = (progress["area"].astype("str").str.replace("_", " ") + " ("
            + progress["instrument"].astype("str") + ")").to_numpy()
    parts = []
    for verdict, lead in (("above expected", "Above expected"),
                          ("expected progress", "Expected progress"),
                          ("below expected", "Below expected"),
                          ("too soon to judge", "Too soon to judge"),
                          ("no follow-up yet", "No follow-up yet"),
                          ("no expectation set", "No expectation set")):
        items = what[(words == verdict).to_numpy()]
        if len(items):
            parts.append(f"{lead}: {', '.join(items)}.")
    return " ".join(parts)


def reliable_change_table(reliable: pd.DataFrame) -> pd.DataFrame:
    """One learner's :func:`srb_eval.progress.reliable_change` rows for readers."""
    r = reliable.reset_index(drop=True)
    return pd.DataFrame({
        "instrument": r["instrument"].astype("str"),
        "area": r["area"].astype("str").str.replace("_", " "),
        "baseline": r["baseline_score"].map(lambda v: _num(v, 0)),
        "latest": r["outcome_score"].map(lambda v: _num(v, 0)),
        "change": r["change"].map(lambda v: _num(v, 0)),
        "reliable change needs": r["change_needed"].map(lambda v: f"more than {_num(v)}"),
        "RCI": r["rci"].map(lambda v: _num(v, 2)),
        "verdict": r["rci_class"].astype("str"),
    })


def ratio_gain_table(ratio: pd.DataFrame) -> pd.DataFrame:
    """One learner's :func:`srb_eval.progress.ratio_gain` rows for readers."""
    r = ratio.reset_index(drop=True)
    band = r["ratio_gain_band"].astype(object)
    return pd.DataFrame({
        "instrument": r["instrument"].astype("str"),
        "area": r["area"].astype("str").str.replace("_", " "),
        "months elapsed": r["elapsed_months"].map(lambda v: _num(v, 0)),
        "gain (months)": r["gain_months"].map(lambda v: _num(v, 0)),
        "ratio gain": r["ratio_gain"].map(lambda v: _num(v, 2)),
        "Brooks band": band.where(band.notna(), r["status"].astype("str")),
        "gap at baseline (months)": r["gap_at_baseline_months"].map(lambda v: _num(v, 0)),
        "gap at latest (months)": r["gap_at_outcome_months"].map(lambda v: _num(v, 0)),
        "guidance": [f"at least {g:.0f} behind" if g < 36 else f"more than {g:.0f} behind"
                     for g in r["guidance_gap_months"]],
        "baseline gap meets guidance": r["meets_guidance_gap"].map(
            {True: "yes", False: "no"}).astype(object).where(
                r["meets_guidance_gap"].notna(), "no data"),
    })


def gas_heading(gas: pd.DataFrame) -> str:
    """Heading from one learner's GAS scores: the latest review."""
    g = gas.dropna(subset=["gas_t"]) if len(gas) else gas
    if len(g) == 0:
        return "Targets: none reviewed yet"
    last = g.sort_values("review_date").iloc[-1]
    return (f"Targets: at the latest review ({pd.Timestamp(last['review_date']):%d %B %Y}) "
            f"{int(last['n_met'])} of {int(last['n_targets'])} targets were met or exceeded "
            f"(GAS T-score {float(last['gas_t']):.0f})")


def gas_table(gas: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """One learner's reviews: date, SRB, targets reviewed and met, areas, T-score.

    ``targets`` supplies the areas of each review's targets (reviewed targets only).
    """
    g = gas.sort_values("review_date").reset_index(drop=True)
    t = targets.loc[targets["attainment"].notna() & targets["review_date"].notna()]
    areas = (t.assign(area=t["area"].astype("str").str.replace("_", " "))
             .groupby("review_date")["area"]
             .agg(lambda s: ", ".join(sorted(set(s)))))
    return pd.DataFrame({
        "review": g["review_date"].map(lambda d: f"{pd.Timestamp(d):%d %b %Y}"),
        "SRB": g["srb_id"].astype(object).where(g["srb_id"].notna(), "-"),
        "targets reviewed": g["n_targets"].astype("int64"),
        "met or exceeded": g["n_met"].astype("int64"),
        "areas": g["review_date"].map(areas).fillna("-"),
        "GAS T-score": g["gas_t"].map(lambda v: _num(v, 0)),
    })


def inclusion_heading(shares: pd.DataFrame) -> str:
    """Latest term's share in mainstream and the change since the first term."""
    s = shares.dropna(subset=["inclusion_share"]) if len(shares) else shares
    if len(s) == 0:
        return "Time in mainstream classes: no records"
    s = s.sort_values("period_start")
    first, last = s.iloc[0], s.iloc[-1]
    head = (f"Time in mainstream classes: {_pct(last['inclusion_share'])} in the latest "
            f"term ({last['period']})")
    if len(s) == 1:
        return head
    diff = float(last["inclusion_share"]) - float(first["inclusion_share"])
    pts = np.floor(abs(100 * diff) + 0.5)
    move = ("the same as" if pts == 0 else
            f"{'up' if diff > 0 else 'down'} {pts:.0f} percentage points from")
    return head + f", {move} the first ({first['period']})"


def inclusion_table(shares: pd.DataFrame) -> pd.DataFrame:
    """One learner's termly shares (from ``learner_shares``) for readers."""
    s = shares.sort_values("period_start").reset_index(drop=True)
    return pd.DataFrame({
        "term": s["period"].astype("str"),
        "minutes timetabled": s["minutes_timetabled"].map(
            lambda v: "-" if pd.isna(v) else f"{float(v):,.0f}"),
        "in mainstream (all subjects)": s["inclusion_share"].map(_pct),
        "in mainstream (core subjects)": s["core_inclusion_share"].map(_pct),
    })


def attendance_heading(rates: pd.DataFrame) -> str:
    """Attendance over the latest school year with records (rate of sums)."""
    if len(rates) == 0:
        return "Attendance: no records"
    latest = rates["school_year"].max()
    y = rates.loc[rates["school_year"] == latest]
    poss, att = int(y["sessions_possible"].sum()), int(y["sessions_attended"].sum())
    if poss == 0:
        return f"Attendance: no sessions possible in {latest}"
    return (f"Attendance: {_pct(att / poss)} of sessions in {latest} "
            f"({att} of {poss} half-day sessions)")


def attendance_table(rates: pd.DataFrame) -> pd.DataFrame:
    """One learner's attendance rates for readers."""
    r = rates.sort_values("period_start").reset_index(drop=True)
    return pd.DataFrame({
        "period": [f"{a:%d %b %Y} to {b:%d %b %Y}" for a, b in
                   zip(r["period_start"], r["period_end"], strict=True)],
        "school year": r["school_year"].astype("str"),
        "sessions possible": r["sessions_possible"].astype("int64"),
        "sessions attended": r["sessions_attended"].astype("int64"),
        "attendance": r["attendance_rate"].map(_pct),
    })
