"""Tables and sentences of one learner's profile for the annual review (internal audience
only): the measures of :func:`srb_eval.measures.profile.learner_profile` worded for the
learner, their family and the educational psychologist."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..measures.calendar import year_group, year_group_label
from ..measures.columns import need_columns
from ..measures.profile import LearnerProfile
from ..measures.progress import DAYS_PER_MONTH, DEFAULT_TOLERANCE, STATUSES
from ..measures.progress_scales import SLD_GUIDANCE_MONTHS
from .progress import fraction_words

__all__ = ["about_table", "attendance_heading", "caveats", "attendance_table", "describe_progress",
           "gas_heading", "verdict_words", "gas_table", "inclusion_heading", "inclusion_table",
           "progress_heading", "progress_table", "ratio_gain_table", "reliable_change_table"]

_BAND_WORDS = {"below": "below expected", "expected": "expected progress",
               "above": "above expected"}


def _pct(x: Any) -> str:
    return "no data" if x is None or pd.isna(x) else f"{np.floor(100 * float(x) + 0.5):.0f}%"


def _num(x: Any, decimals: int = 1) -> str:
    return "-" if x is None or pd.isna(x) else f"{round(float(x), decimals) + 0.0:.{decimals}f}"


def about_table(profile: LearnerProfile) -> pd.DataFrame:
    """Who the learner is, as ``item`` / ``value`` text: birth month, age and year group
    as at the profile's date, sex, primary and secondary needs, statutory plan, free
    school meals, home authority, current (or last) SRB."""
    learner, placements, as_at = profile.learner, profile.placements, profile.as_at
    birth = pd.Timestamp(learner["birth_month"])
    items = [("Learner", str(learner["learner_id"])), ("Birth month", birth.strftime("%B %Y"))]
    if as_at is not None:
        months = int((as_at - birth).days // DAYS_PER_MONTH)
        yg = year_group(pd.Series([birth]), pd.Series([as_at]))
        items += [(f"Age on {as_at:%d %B %Y}", f"{months // 12} years {months % 12} months"),
                  (f"Year group on {as_at:%d %B %Y}",
                   str(year_group_label(yg).iloc[0]))]

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


def verdict_words(progress: pd.DataFrame) -> pd.Series:
    """How a learner's profile words each progress row: its band ("expected progress",
    "above expected", "below expected"), or why there is none ("too soon to judge", "no
    follow-up yet", "no expectation set").

    A standardised score judged by the Reliable Change Index (``band_basis`` "reliable
    change") whose change is within the test's measurement error reads "no reliable
    change", never "expected progress": a drop of 11 points that is not reliable is not
    progress, only a change too small to tell from measurement error.

    Examples
    --------
    >>> p = pd.DataFrame({"band": ["expected", "expected", None, None],
    ...     "band_basis": ["reliable change", "expected gain per year", "no expectation",
    ...                    "expected gain per year"],
    ...     "status": ["measured", "measured", "measured", "too soon to judge"]})
    >>> verdict_words(p).tolist()
    ['no reliable change', 'expected progress', 'no expectation set', 'too soon to judge']
    """
    band = progress["band"].astype(object).map(lambda b: _BAND_WORDS.get(b))
    within_error = (progress["band"].astype("str") == "expected") & (
        progress["band_basis"].astype("str") == "reliable change")
    band = band.where(~within_error, "no reliable change")
    status = progress["status"].astype("str")
    no_exp = (status == STATUSES[0]) & band.isna()
    return band.where(band.notna(), status.where(~no_exp, "no expectation set"))


def progress_table(progress: pd.DataFrame) -> pd.DataFrame:
    """One learner's progress rows as a reader sees them.

    Returns
    -------
    DataFrame
        ``SRB``, ``instrument``, ``area``, ``baseline`` ("21 on 03 Oct 2022"),
        ``latest``, ``gain``, ``gain a year``, ``expected a year`` (or "hold the score"
        for a standardised score judged by the RCI), ``progress``
        (:func:`verdict_words`: expected progress, no reliable change, above expected,
        below expected, too soon to judge, no follow-up yet or no expectation set).
    """
    need_columns(progress, ["srb_id", "instrument", "area", "baseline_score",
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
        "progress": verdict_words(p).to_numpy(),
    })


def progress_heading(progress: pd.DataFrame) -> str:
    """``"Expected progress or better on 5 of 7 measures judged (an instrument in an
    area)"`` for one learner; standardised scores with no reliable change are counted
    apart: ``"..., no reliable change on 1"``."""
    judged = progress["band"].notna()
    n = int(judged.sum())
    if n == 0:
        return "Progress: none can be judged against an expectation yet"
    words = verdict_words(progress.loc[judged])
    ok = int(words.isin(["expected progress", "above expected"]).sum())
    same = int((words == "no reliable change").sum())
    return (f"Expected progress or better on {ok} of {n} measure"
            f"{'s' if n != 1 else ''} judged (an instrument in an area)"
            + (f", no reliable change on {same}" if same else ""))


def describe_progress(progress: pd.DataFrame) -> str:
    """Which areas were above, at or below expected, too soon or without a follow-up."""
    words = verdict_words(progress.reset_index(drop=True))
    what = (progress["area"].astype("str").str.replace("_", " ") + " ("
            + progress["instrument"].astype("str") + ")").to_numpy()
    parts = []
    for verdict, lead in (("above expected", "Above expected"),
                          ("expected progress", "Expected progress"),
                          ("no reliable change", "No reliable change (within the test's "
                           "measurement error)"),
                          ("below expected", "Below expected"),
                          ("too soon to judge", "Too soon to judge"),
                          ("no follow-up yet", "No follow-up yet"),
                          ("no expectation set", "No expectation set")):
        items = what[(words == verdict).to_numpy()]
        if len(items):
            parts.append(f"{lead}: {', '.join(items)}.")
    return " ".join(parts)


def reliable_change_table(reliable: pd.DataFrame) -> pd.DataFrame:
    """One learner's :func:`srb_eval.measures.progress_scales.reliable_change` rows for readers."""
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
    """One learner's :func:`srb_eval.measures.progress_scales.ratio_gain` rows for readers."""
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
        "guidance": [f"at least {g:.0f} behind" if g < SLD_GUIDANCE_MONTHS
                     else f"more than {g:.0f} behind"
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




def caveats(*, tolerance: float = DEFAULT_TOLERANCE) -> str:
    """The caveats section of a learner profile (Markdown), from the settings in use."""
    return "\n".join([
        "## Caveats",
        "- **Baseline rule** (A2): the assessment flagged as the baseline, else the first of "
        "that instrument and area on or after the placement start; for a placement that "
        "began before the data, the first assessment in the data.",
        f"- **Expected progress**: within {fraction_words(tolerance)} of the instrument's "
        'expected gain a year is "expected". A standardised score is expected to hold: '
        "a change within the test's measurement error (Reliable Change Index) reads \"no "
        "reliable change\", whichever way it went; only a reliable rise or fall is above "
        "or below expected. Progress over less than a term is too soon to judge.",
        "- **Ratio-gain bands** (A4) are as usually quoted from Brooks and could not be "
        "checked against the text here. **Ages** use the first of the birth month (A8).",
        "- **Inclusion** is the share of timetabled minutes in mainstream classes each term; "
        "terms are set by month (autumn September-December, spring January-March, summer "
        "April-August).",
        "- **Internal only**: this profile is learner-level personal data for the review.",
    ])
