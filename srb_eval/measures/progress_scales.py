"""Progress on two kinds of scale: the Reliable Change Index for standardised scores and
Brooks' ratio gain for age-equivalent scores, one row per progress row."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..stats.change import RCI_CLASSES, RCI_CRITERION, at_9_decimals, rci
from .benchmarks import brooks_bands
from .calendar import calendar_months
from .columns import check, is_number, need_columns
from .progress import (
    DAYS_PER_MONTH,
    LEARNER_COLUMNS,
    STATUSES,
    InstrumentError,
    instrument_facts,
)

__all__ = ["GUIDANCE_MONTHS", "SLD_GUIDANCE_MONTHS", "age_months", "ratio_gain",
           "reliable_change"]

#: Placement guidance: an age-equivalent at least this many months below chronological age.
GUIDANCE_MONTHS = 24
#: For severe learning difficulties (SLD): more than this many months below.
SLD_GUIDANCE_MONTHS = 36

_NS_PER_DAY = 86_400 * 10**9


def _days(x: pd.Series | np.ndarray) -> np.ndarray:
    """datetime64 values as float days since the epoch (NaT -> NaN)."""
    v = np.asarray(x, dtype="datetime64[ns]")
    out = v.view("i8").astype(float) / _NS_PER_DAY
    out[np.isnat(v)] = np.nan
    return out


def age_months(birth_month: pd.Series, on: pd.Series) -> np.ndarray:
    """Chronological age in months (days / 30.4375) from the 1st of the birth month.

    Examples
    --------
    >>> age_months(pd.Series(pd.to_datetime(["2015-01-01"])),
    ...            pd.Series(pd.to_datetime(["2016-01-01"]))).round(3).tolist()
    [11.992]
    """
    return (_days(on) - _days(birth_month)) / DAYS_PER_MONTH

def reliable_change(progress: pd.DataFrame, instruments: pd.DataFrame, *,
                    criterion: float = RCI_CRITERION, errors: str = "raise"
                    ) -> pd.DataFrame:
    """Reliable Change Index (Jacobson & Truax 1991) for standard-score progress rows.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress`.
    instruments : DataFrame
        The ``instruments`` table (``sd`` and ``reliability`` are used).
    criterion : float, default 1.96
        |RC| above this is reliable.
    errors : {"raise", "skip"}, default "raise"
        What to do when a standard-score instrument with results lacks its SD or
        reliability: raise :class:`InstrumentError`, or leave its rows out.

    Returns
    -------
    DataFrame
        One row per progress row of a ``standard_score`` instrument with a baseline and
        a later follow-up (elapsed time above zero): ``learner_id``, ``srb_id``,
        ``instrument``, ``area``, ``status``, ``baseline_date``, ``outcome_date``,
        ``baseline_score``, ``outcome_score``, ``change`` (outcome - baseline), ``sd``,
        ``reliability``, ``se`` (SD sqrt(1 - r)), ``s_diff`` (sqrt(2 SE^2)), ``rci``
        (change / S_diff), ``change_needed`` (criterion x S_diff) and ``rci_class``
        (categorical of :data:`RCI_CLASSES`). Learner columns of ``progress``
        (``primary_need``...) are kept. Empty (same columns) when there are none.

    Raises
    ------
    InstrumentError
        (``errors="raise"``) naming each standard-score instrument with results whose
        ``sd`` or ``reliability`` is missing; also a ``ValueError``.

    Notes
    -----
    See :func:`srb_eval.stats.change.rci` for the formula. The RCI answers
    "is this change bigger than the test's measurement error?"; it does not depend on
    the time elapsed, so rows that are "too soon to judge" for a rate are included
    (their ``status`` says so). Rows with no follow-up, or a follow-up on the baseline
    date, are left out.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). *Journal of Consulting and Clinical
       Psychology*, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12
    """
    need_columns(progress, ["learner_id", "instrument", "area", "baseline_score",
                             "outcome_score", "gain", "status"], "progress")
    check(errors in ("raise", "skip"), "errors", '"raise" or "skip"', errors)
    inst = instrument_facts(instruments)
    std = inst.loc[inst["scale"] == "standard_score", ["instrument", "sd", "reliability"]]
    rows = progress.loc[progress["gain"].notna()].copy()
    rows["instrument"] = rows["instrument"].astype("str")
    rows = rows.merge(std, on="instrument", how="inner")
    bad = ~((rows["sd"] > 0) & (rows["reliability"] >= 0) & (rows["reliability"] < 1))
    if bad.any():
        if errors == "raise":
            names = sorted(rows.loc[bad, "instrument"].unique())
            facts = std.set_index("instrument").loc[names]
            what = "; ".join(
                f"{name!r} (sd={facts.loc[name, 'sd']}, "
                f"reliability={facts.loc[name, 'reliability']})" for name in names)
            raise InstrumentError(
                "instruments: the Reliable Change Index needs the population SD (> 0) and "
                f"the reliability (0 to below 1) of each standard-score instrument; "
                f"missing or invalid for {what}. Add them to the instruments table or "
                "use errors='skip'.")
        rows = rows.loc[~bad]
    keep = [c for c in ("learner_id", "srb_id", "instrument", "area", "status",
                        "baseline_date", "outcome_date", "baseline_score", "outcome_score")
            if c in rows.columns]
    extra = [c for c in (*LEARNER_COLUMNS, "year_group", "phase") if c in rows.columns]
    out = rows[keep + extra].copy()
    r = rci(out["baseline_score"].to_numpy(), out["outcome_score"].to_numpy(),
            sd=rows["sd"].to_numpy() if len(rows) else 1.0,
            reliability=rows["reliability"].to_numpy() if len(rows) else 0.0,
            criterion=criterion)
    n = len(out)
    out["change"] = out["outcome_score"] - out["baseline_score"]
    out["sd"] = rows["sd"].to_numpy()
    out["reliability"] = rows["reliability"].to_numpy()
    out["se"] = np.broadcast_to(r.se, (n,)).astype(float)
    out["s_diff"] = np.broadcast_to(r.s_diff, (n,)).astype(float)
    out["rci"] = np.broadcast_to(r.rc, (n,)).astype(float)
    out["change_needed"] = np.broadcast_to(r.change_needed, (n,)).astype(float)
    out["rci_class"] = pd.Categorical(np.broadcast_to(r.classification, (n,)),
                                      categories=list(RCI_CLASSES))
    cols = keep + ["change", "sd", "reliability", "se", "s_diff", "rci", "change_needed",
                   "rci_class"] + extra
    return out[cols].reset_index(drop=True)


def ratio_gain(progress: pd.DataFrame, *, bands: pd.DataFrame | None = None,
               scales: Sequence[str] = ("age_equivalent_months",),
               guidance_months: float = GUIDANCE_MONTHS,
               sld_guidance_months: float = SLD_GUIDANCE_MONTHS
               ) -> pd.DataFrame:
    """Brooks' ratio gain and the gap between age-equivalent and chronological age.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress` with ``learners`` given
        (``birth_month`` and ``primary_need`` are needed).
    bands : DataFrame, optional
        Ratio-gain bands (:func:`srb_eval.measures.benchmarks.brooks_bands`, the default).
    scales : sequence of str, default ("age_equivalent_months",)
        Scales whose scores are ages in months.
    guidance_months, sld_guidance_months : float, default 24 and 36
        Placement guidance: an age-equivalent at least 24 months below chronological age
        (for SLD, more than 36 months below).

    Returns
    -------
    DataFrame
        One row per progress row on an age-equivalent instrument: ``learner_id``,
        ``srb_id``, ``instrument``, ``area``, ``primary_need``, ``status``,
        ``baseline_date``, ``outcome_date``, ``baseline_score`` and ``outcome_score``
        (age-equivalent months), ``gain_months``, ``elapsed_months`` (calendar months
        between the test dates, :func:`srb_eval.measures.calendar.calendar_months`),
        ``ratio_gain``, ``ratio_gain_band``, ``age_at_baseline_months``,
        ``age_at_outcome_months`` (chronological), ``gap_at_baseline_months``,
        ``gap_at_outcome_months`` (chronological minus age-equivalent: positive = behind),
        ``guidance_gap_months`` (24, or 36 for SLD) and ``meets_guidance_gap`` (the gap at
        baseline is at least 24 months, or more than 36 for SLD; missing if unknown).

    Notes
    -----
    Brooks' ratio gain is the gain in age-equivalent months divided by the
    chronological months elapsed:

    .. math:: RG = \\frac{AE_{out} - AE_{base}}{m(d_{base}, d_{out})}

    with :math:`m` the calendar months between the test dates, counted as schools count
    them (:func:`srb_eval.measures.calendar.calendar_months`: September to March is 6,
    whatever the days of the month), so that the band does not depend on which half of
    the year a test fell in.

    A ratio gain of 1 keeps pace with age; below 1 the gap widens. Bands (editable
    reference data, assumption A4): below 1.4 of doubtful educational significance, 1.4
    modest, 2.0 useful, 3.0 substantial, 4.0 remarkable impact; a band applies from its
    lower limit (inclusive; compared at 9 decimals). Given only for ``status ==
    "measured"`` (at least one term elapsed; a ratio over a few weeks is noise);
    otherwise NaN and no band. Chronological ages use the 1st of the birth month (A8: up
    to a month too old, so gaps up to a month too large). "Now" is the latest
    assessment.

    References
    ----------
    .. [1] Brooks, G. (2016). *What works for children and young people with literacy
       difficulties? The effectiveness of intervention schemes* (5th ed.). Dyslexia-SpLD
       Trust. Band values not checked against the text here (A4).

    Examples
    --------
    A reading age of 72 months rising to 80 over 12 months elapsed: RG = 8 / 12 = 0.67.
    """
    need_columns(progress, ["learner_id", "srb_id", "instrument", "area", "scale",
                             "status", "baseline_date", "outcome_date", "baseline_score",
                             "outcome_score", "gain", "birth_month", "primary_need"],
                 "progress (with learners= given to learner_progress)")
    check(is_number(guidance_months), "guidance_months", "a number", guidance_months)
    check(is_number(sld_guidance_months), "sld_guidance_months", "a number",
          sld_guidance_months)
    b = brooks_bands() if bands is None else bands
    need_columns(b, ["min_ratio_gain", "label"], "bands")
    b = b.assign(min_ratio_gain=b["min_ratio_gain"].astype(float).fillna(-np.inf))
    b = b.sort_values("min_ratio_gain")
    rows = progress.loc[progress["scale"].astype("str").isin(list(scales))]
    out = rows[["learner_id", "srb_id", "instrument", "area", "primary_need", "status",
                "baseline_date", "outcome_date", "baseline_score", "outcome_score"]].copy()
    out["gain_months"] = rows["gain"]
    elapsed = calendar_months(rows["baseline_date"], rows["outcome_date"]).to_numpy()
    out["elapsed_months"] = elapsed
    measured = (rows["status"] == STATUSES[0]).to_numpy() & (elapsed > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rg = np.where(measured, rows["gain"].to_numpy(dtype=float) / np.where(
            measured, elapsed, 1.0), np.nan)
    out["ratio_gain"] = rg
    labels = b["label"].astype("str").to_numpy()
    pos = np.searchsorted(at_9_decimals(b["min_ratio_gain"].to_numpy()), at_9_decimals(rg),
                          side="right") - 1
    band = np.where(np.isnan(rg) | (pos < 0), None, labels[np.clip(pos, 0, None)])
    out["ratio_gain_band"] = pd.Categorical(band, categories=list(dict.fromkeys(labels)),
                                            ordered=True)
    age_b = age_months(rows["birth_month"], rows["baseline_date"])
    age_o = age_months(rows["birth_month"], rows["outcome_date"])
    out["age_at_baseline_months"] = age_b
    out["age_at_outcome_months"] = age_o
    out["gap_at_baseline_months"] = age_b - rows["baseline_score"].to_numpy(dtype=float)
    out["gap_at_outcome_months"] = age_o - rows["outcome_score"].to_numpy(dtype=float)
    sld = (rows["primary_need"].astype("str") == "SLD").to_numpy()
    out["guidance_gap_months"] = np.where(sld, float(sld_guidance_months),
                                          float(guidance_months))
    gap = out["gap_at_baseline_months"].to_numpy()
    meets = np.where(sld, gap > sld_guidance_months, gap >= guidance_months)
    out["meets_guidance_gap"] = pd.array(meets, dtype="boolean")
    out.loc[np.isnan(gap), "meets_guidance_gap"] = pd.NA
    return out.reset_index(drop=True)


