"""Progress from baseline of every learner, placement, instrument and area.

Every learner in an SRB should be "tracked carefully against the baseline and the target
areas" and make "strong progress from the baseline". :func:`learner_progress` turns the
``assessments`` table into one row per learner x placement x instrument x area: baseline,
latest result, gain, rate, Theil-Sen slope and the expected-progress band.
:func:`trajectory_points` gives every point of those trajectories for figures.
Group summaries are in :mod:`srb_eval.measures.progress_groups`; the Reliable Change
Index and Brooks' ratio gain in :mod:`srb_eval.measures.progress_scales`.

Small numbers are the norm: a learner with one assessment has "no follow-up yet", never
a gain of zero; less than a term between baseline and latest is "too soon to judge".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import ParameterError
from ..params import iso_date
from ..stats.change import RCI_CRITERION, at_9_decimals, rci
from ..stats.trend import group_theil_sen
from . import roll
from .benchmarks import checked_benchmarks, match_benchmarks
from .calendar import year_group
from .columns import check, is_number, need_columns

__all__ = ["BANDS", "BAND_BASES", "DAYS_PER_MONTH", "DAYS_PER_YEAR", "DEFAULT_TOLERANCE",
           "LEARNER_COLUMNS", "MIN_YEARS", "STATUSES", "InstrumentError", "check_areas",
           "dataset_progress", "instrument_facts", "instruments_on_scale", "latest_placement_results",
           "learner_progress", "trajectory_points"]

#: Days in a year for rates ("per year" = per 365.25 days).
DAYS_PER_YEAR = 365.25
#: Days in a month for ages and ratio gains (365.25 / 12).
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
#: Shortest elapsed time, in years, over which progress is judged: one school term
#: (0.25 years = 91.3 days). Shorter spans are "too soon to judge".
MIN_YEARS = 0.25
#: Relative tolerance around the expected rate: "expected" is 75% to 125% of it.
DEFAULT_TOLERANCE = 0.25
#: Values of ``status`` (a progress row is judged only when "measured").
STATUSES: tuple[str, ...] = ("measured", "too soon to judge", "no follow-up yet")
#: Values of ``band``, in order.
BANDS: tuple[str, ...] = ("below", "expected", "above")
#: Values of ``band_basis``: what the band was judged against.
BAND_BASES: tuple[str, ...] = (
    "benchmark", "reliable change", "expected gain per year", "no expectation",
)
#: Learner characteristics joined to progress rows (with ``year_group``).
LEARNER_COLUMNS: tuple[str, ...] = ("birth_month", "sex", "primary_need", "fsm")
_BASELINE_SOURCES = ("flagged", "first on or after start")
_GROUP = ["placement", "instrument", "area"]
_COLUMNS = ["learner_id", "srb_id", "placement_start", "placement_end", "phase", "instrument",
            "scale", "area", "baseline_date", "baseline_score", "baseline_source",
            "outcome_date", "outcome_score", "n_points", "elapsed_days", "elapsed_years",
            "gain", "rate", "slope", "expected_gain_per_year", "progress_ratio", "status",
            "band", "band_basis", *LEARNER_COLUMNS, "year_group"]


class InstrumentError(ParameterError):
    """An instrument lacks what a method needs (e.g. the SD or reliability for the RCI).
    The message names the instrument and the missing column."""


def instrument_facts(instruments: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``instruments`` the progress methods use, one row per instrument."""
    cols = ["instrument", "scale", "sd", "reliability", "expected_gain_per_year"]
    need_columns(instruments, cols, "instruments")
    out = instruments[cols].copy()
    out["instrument"] = out["instrument"].astype("str")
    out["scale"] = out["scale"].astype("str")
    return out.drop_duplicates("instrument")


def _check_options(window_start: Any, window_end: Any, anchor: str, tolerance: float,
                   min_years: float, criterion: float) -> tuple[Any, Any]:
    ws = iso_date(window_start, "window_start", optional=True)
    we = iso_date(window_end, "window_end", optional=True)
    check(ws is None or we is None or ws <= we, "window_end", "on or after window_start",
          f"{window_end} (window_start {window_start})")
    check(anchor in ("baseline", "window"), "anchor", '"baseline" or "window"', anchor)
    check(is_number(tolerance) and 0 <= tolerance < 1, "tolerance",
          "a number from 0 up to (not including) 1", tolerance)
    check(is_number(min_years) and min_years >= 0, "min_years", "a number of 0 or more",
          min_years)
    check(is_number(criterion) and criterion > 0, "criterion", "a positive number", criterion)
    return ws, we


def _shared_codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``left`` and ``right`` from one factorize over both (missing: -1)."""
    codes, _ = pd.factorize(pd.concat([left, right], ignore_index=True))
    return codes[:len(left)], codes[len(left):]


def _placed_assessments(assessments: pd.DataFrame, placements: pd.DataFrame, ws: Any,
                        we: Any, anchor: str) -> pd.DataFrame:
    """Each assessment with the placement it falls in: dated from the placement's start to
    its last day on roll (:func:`srb_eval.measures.roll.last_day`; or open); with ``anchor="window"`` also inside the window."""
    # learner ids as the integer codes of one factorize over both tables: faster joins
    pl_learner, a_learner = _shared_codes(placements["learner_id"].astype("str"),
                                          assessments["learner_id"].astype("str"))
    pl = pd.DataFrame({
        "placement": np.arange(len(placements)),
        "learner": pl_learner,
        "start": pd.to_datetime(placements["start_date"]).astype("datetime64[ns]").to_numpy(),
        # its last day on roll (roll.last_day): a result on the day of a same-day
        # transfer falls in the new placement only
        "end": roll.last_day(placements).to_numpy()})
    # a placement that ended before the window or started after it has no result in it
    if ws is not None:
        pl = pl.loc[pl["end"].isna() | (pl["end"] >= ws)]
    if we is not None:
        pl = pl.loc[pl["start"] <= we]
    flag = (assessments["is_baseline"].astype("boolean").fillna(False).to_numpy(dtype=bool)
            if "is_baseline" in assessments.columns else False)
    a = pd.DataFrame({
        "learner": a_learner,
        "instrument": assessments["instrument"].astype("category").array,
        "area": assessments["area"].astype("category").array,
        "date": pd.to_datetime(assessments["date"]).astype("datetime64[ns]").to_numpy(),
        "score": pd.to_numeric(assessments["score"], errors="coerce").astype(float).to_numpy(),
        "flag": flag})
    # a result without an instrument or area belongs to no group
    a = a.loc[a["date"].notna() & a["score"].notna() & a["instrument"].notna()
              & a["area"].notna() & a["learner"].isin(pl["learner"])]
    rows = a.merge(pl, on="learner", how="inner")
    inside = (rows["date"] >= rows["start"]) & (rows["end"].isna() | (rows["date"] <= rows["end"]))
    if anchor == "window" and ws is not None:
        inside &= rows["date"] >= ws
    if anchor == "window" and we is not None:
        inside &= rows["date"] <= we
    return rows.loc[inside, [*_GROUP, "date", "score", "flag"]]


def _baseline_and_outcome(rows: pd.DataFrame, ws: Any, we: Any, anchor: str
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (placement, instrument, area): baseline and outcome dates and scores,
    ``n_points``, the group's number ``g``; and the trajectory points (baseline to
    outcome) of each group, with ``g``, sorted by ``g``."""
    # the group's number (in sorted order) once: later reductions group on that integer.
    # One integer per (placement, instrument, area) from the placement's number and the
    # categories' codes, numbered by factorize in sorted order; the rows are then put in
    # group order, stably (a mean of several results on one date sees them in the order
    # the merge gave, as it would after a stable sort by date)
    instrument, area = rows["instrument"].cat, rows["area"].cat
    cell = ((rows["placement"].to_numpy(dtype="int64") * len(instrument.categories)
             + instrument.codes.to_numpy(dtype="int64")) * len(area.categories)
            + area.codes.to_numpy(dtype="int64"))
    g = pd.factorize(cell, sort=True)[0]
    order = np.argsort(g, kind="stable")
    rows = rows.iloc[order].reset_index(drop=True)
    rows["g"] = g[order]
    by_group = rows.groupby("g", sort=False)
    # baseline: the earliest flagged result, else the earliest result of the group
    rows["group_flagged"] = by_group["flag"].transform("any")
    rows["candidate"] = rows["flag"] | ~rows["group_flagged"]
    rows["baseline_date"] = rows["date"].where(rows["candidate"]).groupby(
        rows["g"], sort=False).transform("min")
    at_baseline = rows["candidate"] & (rows["date"] == rows["baseline_date"])
    # outcome: the latest result from the baseline on (up to window_end)
    on_path = rows["date"] >= rows["baseline_date"]
    if anchor == "baseline" and we is not None:
        on_path &= rows["date"] <= we
    points = rows.loc[on_path]
    points = points.assign(outcome_date=points.groupby("g", sort=False)["date"]
                           .transform("max"))
    if anchor == "baseline" and ws is not None:
        points = points.loc[points["outcome_date"] >= ws]  # a result in the window
    groups = points.groupby("g").agg(placement=("placement", "first"),
                                     instrument=("instrument", "first"),
                                     area=("area", "first"),
                                     outcome_date=("date", "max"),
                                     n_points=("date", "size"),
                                     flagged=("group_flagged", "first"),
                                     baseline_date=("baseline_date", "first"))
    at_outcome = points.loc[points["date"] == points["outcome_date"]]
    groups["baseline_score"] = (rows.loc[at_baseline].groupby("g")["score"].mean()
                                .reindex(groups.index))
    groups["outcome_score"] = (at_outcome.groupby("g")["score"].mean()
                               .reindex(groups.index))
    points = points[["g", "date", "baseline_date", "score"]]
    return groups.reset_index(), points


def _gain_rate_slope(groups: pd.DataFrame, points: pd.DataFrame, min_years: float
                     ) -> pd.DataFrame:
    """Elapsed time, gain, rate, Theil-Sen slope and status of each group."""
    follow = groups["n_points"] >= 2
    days = (groups["outcome_date"] - groups["baseline_date"]) / pd.Timedelta(days=1)
    elapsed_days = days.where(follow)
    elapsed_years = elapsed_days / DAYS_PER_YEAR
    moved = follow & (elapsed_days > 0)
    measured = moved & (elapsed_years >= min_years)
    out = pd.DataFrame(index=groups.index)
    out["outcome_date"] = groups["outcome_date"].where(follow)
    out["outcome_score"] = groups["outcome_score"].where(follow)
    out["elapsed_days"] = elapsed_days.to_numpy(dtype=float)
    out["elapsed_years"] = elapsed_years.to_numpy(dtype=float)
    out["gain"] = (groups["outcome_score"] - groups["baseline_score"]).where(moved)
    out["rate"] = (out["gain"] / elapsed_years).where(measured)
    # Theil-Sen slope per year over every point of the measured groups, which come
    # sorted by group (group_theil_sen orders each group's points by x if they are not)
    on = points.loc[points["g"].isin(groups.loc[measured, "g"])]
    years = (on["date"] - on["baseline_date"]) / pd.Timedelta(days=1) / DAYS_PER_YEAR
    out["slope"] = group_theil_sen(on["g"].to_numpy(), years.to_numpy(),
                                   on["score"].to_numpy()).reindex(groups["g"]).to_numpy()
    status = np.where(measured, 0, np.where(follow, 1, 2))
    out["status"] = pd.Categorical.from_codes(status, categories=list(STATUSES))
    return out


def _bands(res: pd.DataFrame, *, benchmarks: pd.DataFrame | None, tolerance: float,
           criterion: float) -> pd.DataFrame:
    """The expected-progress band of each progress row (see :func:`learner_progress`),
    as categoricals ``band`` (of :data:`BANDS`) and ``band_basis`` (of :data:`BAND_BASES`)."""
    n = len(res)
    band = np.full(n, -1, dtype=np.int8)  # -1: no band
    basis = np.full(n, BAND_BASES.index("no expectation"), dtype=np.int8)

    def banded(low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return np.where(low, BANDS.index("below"), np.where(high, BANDS.index("above"),
                                                            BANDS.index("expected")))

    measured = (res["status"] == STATUSES[0]).to_numpy(dtype=bool)
    rate = at_9_decimals(res["rate"].to_numpy(dtype=float))
    exp = res["expected_gain_per_year"].to_numpy(dtype=float)
    todo = np.ones(n, dtype=bool)
    if benchmarks is not None and len(benchmarks) and n:  # 1. benchmark quartiles
        q = match_benchmarks(res, benchmarks)
        hit = q["lq"].notna().to_numpy()
        sel = hit & measured
        band[sel] = banded(rate[sel] < at_9_decimals(q["lq"].to_numpy()[sel]),
                           rate[sel] > at_9_decimals(q["uq"].to_numpy()[sel]))
        basis[hit] = BAND_BASES.index("benchmark")
        todo &= ~hit
    # 2. standard scores expected to hold: the Reliable Change Index
    standard = res["scale"].eq("standard_score").to_numpy(dtype=bool, na_value=False)
    hold = todo & standard & (np.isnan(exp) | (exp == 0))
    sd, rel = res["sd"].to_numpy(dtype=float), res["reliability"].to_numpy(dtype=float)
    rci_ok = hold & (sd > 0) & (rel >= 0) & (rel < 1)
    sel = rci_ok & measured
    if sel.any():
        rc = at_9_decimals(rci(res["baseline_score"].to_numpy()[sel],
                               res["outcome_score"].to_numpy()[sel], sd=sd[sel],
                               reliability=rel[sel], criterion=criterion).rc)
        band[sel] = banded(rc < -criterion, rc > criterion)
    basis[rci_ok] = BAND_BASES.index("reliable change")
    todo &= ~hold
    # 3. the expected gain per year, within the tolerance
    relative = todo & (exp > 0)
    sel = relative & measured
    band[sel] = banded(rate[sel] < at_9_decimals((1 - tolerance) * exp[sel]),
                       rate[sel] > at_9_decimals((1 + tolerance) * exp[sel]))
    basis[relative] = BAND_BASES.index("expected gain per year")
    band[~measured] = -1
    return pd.DataFrame({
        "band": pd.Categorical.from_codes(band, categories=list(BANDS), ordered=True),
        "band_basis": pd.Categorical.from_codes(basis, categories=list(BAND_BASES))})


def learner_progress(assessments: pd.DataFrame, placements: pd.DataFrame,
                     instruments: pd.DataFrame, *, srbs: pd.DataFrame | None = None,
                     learners: pd.DataFrame | None = None,
                     window_start: Any = None, window_end: Any = None,
                     anchor: str = "baseline", benchmarks: pd.DataFrame | None = None,
                     tolerance: float = DEFAULT_TOLERANCE, min_years: float = MIN_YEARS,
                     criterion: float = RCI_CRITERION) -> pd.DataFrame:
    """Progress from baseline of every learner, placement, instrument and area.

    Parameters
    ----------
    assessments, placements, instruments : DataFrame
        The tables of the data dictionary (as :func:`srb_eval.load_dataset` returns them).
        ``is_baseline`` is optional.
    srbs : DataFrame, optional
        Adds the SRB's ``phase`` (needed by phase-specific benchmarks).
    learners : DataFrame, optional
        Adds ``birth_month``, ``sex``, ``primary_need``, ``fsm`` and ``year_group`` (needed
        by :func:`srb_eval.measures.progress_scales.ratio_gain` and group summaries by
        learner characteristics).
    window_start, window_end : None or "YYYY-MM-DD", optional
        The reporting window (inclusive; None = open). See Notes.
    anchor : {"baseline", "window"}, default "baseline"
        ``"baseline"``: progress from the placement's baseline to the latest assessment
        in the window. ``"window"``: the baseline rule applied to the assessments inside
        the window only (progress during the window).
    benchmarks : DataFrame, optional
        From :func:`srb_eval.measures.benchmarks.read_benchmarks`; where a band matches
        it decides the band.
    tolerance : float, default 0.25
        Relative tolerance around the expected rate (0 <= tolerance < 1).
    min_years : float, default 0.25
        Shortest elapsed time judged (one term); shorter is "too soon to judge".
    criterion : float, default 1.96
        RCI criterion for standard-score bands.

    Returns
    -------
    DataFrame
        One row per learner x placement x instrument x area with at least one
        assessment, sorted by learner, placement start, instrument and area:

        - ``learner_id``, ``srb_id``, ``placement_start``, ``placement_end`` (NaT while
          placed), ``phase`` (with ``srbs``);
        - ``instrument``, ``scale``, ``area``;
        - ``baseline_date``, ``baseline_score``, ``baseline_source`` ("flagged" or "first
          on or after start");
        - ``outcome_date``, ``outcome_score``: the latest assessment (NaT/NaN when there is
          no follow-up);
        - ``n_points``: assessments from baseline to outcome (inclusive);
        - ``elapsed_days``, ``elapsed_years`` (days / 365.25; NaN without a follow-up);
        - ``gain``: outcome - baseline (NaN with no follow-up or zero elapsed time);
        - ``rate``: gain per year, ``slope``: Theil-Sen slope per year over all points
          (both NaN unless ``status == "measured"``);
        - ``expected_gain_per_year`` (from ``instruments``), ``progress_ratio``: rate /
          expected gain per year (NaN where the expectation is not positive);
        - ``status``: "measured", "too soon to judge" or "no follow-up yet";
        - ``band``: "below", "expected", "above" (missing unless measured and an
          expectation exists); ``band_basis``: one of :data:`BAND_BASES`;
        - with ``learners``: ``birth_month``, ``sex``, ``primary_need``, ``fsm``,
          ``year_group`` (at the outcome date, else the baseline date; see
          :func:`srb_eval.measures.calendar.year_group`).

    Notes
    -----
    **Which assessments belong to a placement.** Those of the learner dated from the
    placement's ``start_date`` to its ``end_date`` (or open). An assessment before the
    start is never a baseline (assumption A2).

    **Baseline.** The assessment flagged ``is_baseline`` (the earliest flagged date if
    several), else the first assessment of that instrument and area on or after the
    placement start. ``is_baseline`` False or empty on every row
    means "not flagged", and the fallback applies. Several results on the baseline date
    are averaged (flagged ones only, if flagged).

    **Outcome.** The latest assessment on or before ``window_end``; several results on
    that date are averaged. With ``anchor="baseline"`` the baseline may precede
    ``window_start``; a group counts only if at least one of its assessments falls in the
    window. With ``anchor="window"`` only assessments inside the window are used at all.
    Assessments after ``window_end`` are never used; assessments dated before the
    baseline are not part of the trajectory.

    **No follow-up.** One assessment only: ``status = "no follow-up yet"``, gain NaN,
    never a zero gain. Two results on the baseline date only: zero elapsed time,
    ``status = "too soon to judge"``, gain and rate NaN (no division by zero).

    **Rates.** :math:`\\text{gain} = x_{out} - x_{base}`, elapsed years
    :math:`t = \\text{days}/365.25`, rate = gain / t. Spans shorter than ``min_years``
    (0.25 years, about one term) are "too soon to judge": the gain is given, rate,
    slope and band are not. The slope is Theil-Sen over every point from baseline to
    outcome, time in years since the baseline (:func:`srb_eval.stats.trend.group_theil_sen`).

    **Expected-progress band** (``band_basis``), in this order:

    1. ``"benchmark"``: a benchmark band matches (instrument, area, phase and baseline
       score; the most specific row wins): below = rate < lower quartile, above = rate >
       upper quartile, expected = from LQ to UQ inclusive (DfE Progression Guidance /
       CASPA idea).
    2. ``"reliable change"``: a ``standard_score`` instrument whose expected gain per
       year is 0 or empty. A standard score is already relative to same-age peers, so
       expected progress means holding the score; a relative tolerance around 0 is
       meaningless, so the band is the RCI's verdict (:func:`srb_eval.stats.change.rci`;
       needs ``sd`` and ``reliability``): reliable deterioration = below, no reliable
       change = expected, reliable improvement = above.
    3. ``"expected gain per year"``: expected rate :math:`e > 0`; with tolerance
       :math:`\\tau` (default 0.25): below if rate :math:`< (1-\\tau)e`, above if rate
       :math:`> (1+\\tau)e`, expected otherwise (boundaries are "expected"; rates and
       boundaries are compared at 9 decimals). With the default, a learner gaining 75%
       to 125% of the instrument's expected gain per year is "expected": a band readers
       can state in words, wide enough that one noisy termly result does not flip a
       one-year judgement on the demo instruments.
    4. ``"no expectation"``: none of these; no band.

    Computed for all learners at once: one merge of assessments with placements, then
    group-by reductions over (placement, instrument, area).

    References
    ----------
    .. [1] ``docs/assumptions_caveats.md`` (A2, A8).
    .. [2] Sen, P. K. (1968). *JASA*, 63(324), 1379-1389 (Theil-Sen slope).
    .. [3] Jacobson, N. S., & Truax, P. (1991). *J. Consult. Clin. Psychol.*, 59(1),
       12-19 (RCI).
    .. [4] Department for Education (2010). *Progression Guidance 2010-11*; CASPA
       (Comparison and Analysis of Special Pupil Attainment): quartile bands of progress
       by starting point.

    Examples
    --------
    >>> a = pd.DataFrame({"learner_id": ["L1"] * 3, "instrument": ["Steps"] * 3,
    ...     "area": ["literacy"] * 3,
    ...     "date": pd.to_datetime(["2024-09-10", "2025-01-10", "2025-09-10"]),
    ...     "score": [10.0, 12.0, 16.0]})
    >>> p = pd.DataFrame({"learner_id": ["L1"], "srb_id": ["S1"],
    ...     "start_date": pd.to_datetime(["2024-09-02"]), "end_date": [pd.NaT]})
    >>> i = pd.DataFrame({"instrument": ["Steps"], "scale": ["steps"], "sd": [np.nan],
    ...     "reliability": [np.nan], "expected_gain_per_year": [6.0]})
    >>> r = learner_progress(a, p, i).iloc[0]
    >>> float(r.gain), round(float(r.rate), 4), r.band  # 6 / (365 / 365.25) = 6.0041
    (6.0, 6.0041, 'expected')
    """
    need_columns(assessments, ["learner_id", "instrument", "area", "date", "score"],
                 "assessments")
    need_columns(placements, ["learner_id", "srb_id", "start_date", "end_date"], "placements")
    inst = instrument_facts(instruments)
    ws, we = _check_options(window_start, window_end, anchor, tolerance, min_years, criterion)
    benchmarks = checked_benchmarks(benchmarks)
    if srbs is not None:
        need_columns(srbs, ["srb_id", "phase"], "srbs")
    if learners is not None:
        need_columns(learners, ["learner_id", *LEARNER_COLUMNS], "learners")

    rows = _placed_assessments(assessments, placements, ws, we, anchor)
    groups, points = _baseline_and_outcome(rows, ws, we, anchor)
    pl = pd.DataFrame({
        "learner_id": placements["learner_id"].astype("str"),
        "srb_id": placements["srb_id"].astype("str"),
        "placement_start": pd.to_datetime(placements["start_date"]).astype("datetime64[ns]"),
        "placement_end": pd.to_datetime(placements["end_date"]).astype("datetime64[ns]"),
    }).reset_index(drop=True)
    res = pl.take(groups["placement"]).reset_index(drop=True)
    if srbs is not None:
        phase = srbs.assign(srb_id=srbs["srb_id"].astype("str"),
                            phase=srbs["phase"].astype("str")).drop_duplicates("srb_id")
        res = res.merge(phase[["srb_id", "phase"]], on="srb_id", how="left")
    res["instrument"] = groups["instrument"].astype("str").array
    res["area"] = groups["area"].astype("str").array
    res = res.merge(inst, on="instrument", how="left")
    res["baseline_date"] = groups["baseline_date"].to_numpy()
    res["baseline_score"] = groups["baseline_score"].to_numpy()
    res["baseline_source"] = pd.array(np.asarray(_BASELINE_SOURCES, dtype=object)[
        np.where(groups["flagged"], 0, 1)], dtype="str")
    res["n_points"] = groups["n_points"].to_numpy(dtype="int64")
    res = pd.concat([res, _gain_rate_slope(groups, points, min_years).reset_index(drop=True)],
                    axis=1)
    res[["band", "band_basis"]] = _bands(res, benchmarks=benchmarks, tolerance=tolerance,
                                         criterion=criterion)
    exp = res["expected_gain_per_year"]
    res["progress_ratio"] = (res["rate"] / exp).where(exp > 0)
    if learners is not None:
        who = learners.assign(learner_id=learners["learner_id"].astype("str"))
        who = who[["learner_id", *LEARNER_COLUMNS]].drop_duplicates("learner_id")
        res = res.merge(who, on="learner_id", how="left")
        res["year_group"] = year_group(res["birth_month"],
                                       res["outcome_date"].fillna(res["baseline_date"]))
    # sorted by learner, placement start (none last), instrument and area (as text)
    res["placement"] = groups["placement"].to_numpy()
    res = res.sort_values(["learner_id", "placement_start", "instrument", "area", "placement"],
                          kind="stable", ignore_index=True)
    extra = sorted(set(res["area"].unique()) - set(S.AREAS))
    res["area"] = pd.Categorical(res["area"], categories=[*S.AREAS, *extra])
    return res[[c for c in _COLUMNS if c in res.columns]]


def instruments_on_scale(progress: pd.DataFrame, scale: str) -> list[str]:
    """The instruments of ``progress`` rows on ``scale`` (e.g. ``"standard_score"``), sorted.

    Examples
    --------
    >>> instruments_on_scale(pd.DataFrame({"instrument": ["B", "A", "C"],
    ...     "scale": ["steps", "standard_score", "standard_score"]}), "standard_score")
    ['A', 'C']
    """
    need_columns(progress, ["instrument", "scale"], "progress")
    return sorted(progress.loc[progress["scale"] == scale, "instrument"].astype("str").unique())


def check_areas(areas: Any) -> list[str] | None:
    """``"all"`` (None) or a list of known areas; ``ParameterError`` otherwise."""
    if isinstance(areas, str) and areas == "all":
        return None
    values = [areas] if isinstance(areas, str) else areas
    check(isinstance(values, (list, tuple)) and len(values) > 0
          and all(isinstance(v, str) for v in values), "areas",
          '"all" or a list of areas (' + ", ".join(S.AREAS) + ")", areas)
    bad = [v for v in values if v not in S.AREAS]
    check(not bad, "areas", '"all" or a list of areas from ' + ", ".join(S.AREAS), bad)
    return list(values)


def dataset_progress(ds: Any, *, srb: str = "all", areas: Any = "all", **kwargs: Any
                     ) -> pd.DataFrame:
    """:func:`learner_progress` on a :class:`~srb_eval.data.io.Dataset`, for one SRB or all.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset. Without ``assessments`` or ``instruments`` the result is an
        empty table with the usual columns.
    srb : str, default "all"
        ``"all"`` or an ``srb_id``: the learners whose latest placement with a result
        (:func:`latest_placement_results`) is in that SRB.
    areas : "all" or list of str
        Areas to keep.
    **kwargs
        Passed to :func:`learner_progress` (``window_start``, ``benchmarks``...).

    Returns
    -------
    DataFrame
        :func:`latest_placement_results` of :func:`learner_progress` (each learner's
        latest placement with a result: one result per learner, instrument and area,
        in one resource base), with ``srbs`` and ``learners`` joined. Every report's
        progress (the progress report and its per-SRB reports, the Estyn outcomes by
        school year, value for money) counts a learner once this way.

    Raises
    ------
    srb_eval.errors.ParameterError
        An unknown ``srb`` or area.
    """
    placements = ds.placements
    if srb != "all":
        known = set(ds.srbs["srb_id"].astype("str"))
        check(srb in known, "srb", '"all" or one of ' + ", ".join(sorted(known)), srb)
    keep = check_areas(areas)
    if ds.assessments is None or ds.instruments is None:
        empty_a = pd.DataFrame({"learner_id": pd.Series(dtype="str"),
                                "instrument": pd.Series(dtype="str"),
                                "area": pd.Series(dtype="str"),
                                "date": pd.Series(dtype="datetime64[ns]"),
                                "score": pd.Series(dtype=float)})
        empty_i = pd.DataFrame({c: pd.Series(dtype=float) for c in
                                ("sd", "reliability", "expected_gain_per_year")}).assign(
            instrument=pd.Series(dtype="str"), scale=pd.Series(dtype="str"))
        out = learner_progress(empty_a, placements, empty_i, srbs=ds.srbs,
                               learners=ds.learners, **kwargs)
    else:
        a = ds.assessments
        if keep is not None:
            a = a.loc[a["area"].astype("str").isin(keep)]
        out = latest_placement_results(learner_progress(
            a, placements, ds.instruments, srbs=ds.srbs, learners=ds.learners, **kwargs))
    if srb != "all":
        out = out.loc[(out["srb_id"].astype("str") == srb).to_numpy()].reset_index(drop=True)
    return out


def latest_placement_results(progress: pd.DataFrame) -> pd.DataFrame:
    """The rows of each learner's latest placement with a result: the one rule that
    attributes a learner's progress to one resource base.

    Progress is measured within a placement, so a learner who moved from one resource
    base to another had results in each. Counted in both, the rows of every table by
    resource base added up to more learners than its "all" row (154 against 150 on the
    demo data), and a table of one instrument and area showed more results than
    learners ("gaps known 141" beside "learners 137"): the difference published how many
    learners moved, a small group. With one placement per learner, every learner counts
    once, in the resource base where they were last assessed, as the inclusion report
    counts a learner in the SRB of their latest period with a share
    (:func:`srb_eval.measures.inclusion_data.learners_in`); the rows by resource base add
    up to the "all" row, and a per-SRB report counts exactly that row's learners. The
    latest placement *with a result*, not the latest placement: a learner who has moved
    and has no assessment in the new placement yet keeps the progress measured in the
    last one. The results of an earlier placement are not lost from the evaluation:
    progress over a whole stay across a move is measured by
    :func:`srb_eval.measures.moves.progress_across_moves`.

    Parameters
    ----------
    progress : DataFrame
        :func:`learner_progress` rows (``learner_id``, ``placement_start``).

    Returns
    -------
    DataFrame
        The rows whose ``placement_start`` is the latest of their learner's rows, in
        their order, index reset.

    Examples
    --------
    >>> p = pd.DataFrame({"learner_id": ["a", "a", "b"], "srb_id": ["S1", "S2", "S1"],
    ...     "placement_start": pd.to_datetime(["2022-09-01", "2024-01-08", "2023-09-01"])})
    >>> latest_placement_results(p)["srb_id"].tolist()  # a moved to S2: counted there
    ['S2', 'S1']
    """
    need_columns(progress, ["learner_id", "placement_start"], "progress")
    latest = progress.groupby("learner_id", observed=True, sort=False)[
        "placement_start"].transform("max")
    return progress.loc[(progress["placement_start"] == latest).to_numpy()].reset_index(
        drop=True)


def trajectory_points(assessments: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Every assessment on each progress row's trajectory, with the expected path.

    Parameters
    ----------
    assessments : DataFrame
        The ``assessments`` table.
    progress : DataFrame
        From :func:`learner_progress` (rows to draw).

    Returns
    -------
    DataFrame
        One row per assessment from the baseline date to the outcome date (the baseline
        only, for rows without a follow-up) of each progress row: ``learner_id``,
        ``srb_id``, ``placement_start``, ``instrument``, ``scale``, ``area``, ``date``,
        ``score``, ``years`` (whole days since the baseline date / 365.25),
        ``expected_gain_per_year``, ``expected_score`` (baseline score + expected gain per
        year x years: flat for a standard score expected to hold; NaN where the
        instrument has no expected gain), ``status``, ``band``. Sorted by learner,
        placement, instrument, area and date.
    """
    need_columns(assessments, ["learner_id", "instrument", "area", "date", "score"],
                 "assessments")
    need_columns(progress, ["learner_id", "srb_id", "placement_start", "instrument", "scale",
                            "area", "baseline_date", "outcome_date", "baseline_score",
                            "expected_gain_per_year", "status", "band"], "progress")
    keys = ["learner_id", "placement_start", "instrument", "area"]
    p = progress[["learner_id", "srb_id", "placement_start", "instrument", "scale", "area",
                  "baseline_date", "outcome_date", "baseline_score", "expected_gain_per_year",
                  "status", "band"]].reset_index(drop=True)
    if not isinstance(p["area"].dtype, pd.CategoricalDtype):
        p["area"] = pd.Categorical(p["area"].astype("str"))
    p = p.assign(learner_id=p["learner_id"].astype("str"),
                 instrument=p["instrument"].astype("str"),
                 last=p["outcome_date"].fillna(p["baseline_date"]))
    # in output order; equal sort keys share one number, so rows sort by (order, date)
    p = p.sort_values(keys, kind="stable", na_position="first")
    p["order"] = p.groupby(keys, sort=False, observed=True, dropna=False).ngroup()
    # only the assessments of these instruments; join keys as integer codes: learner ids
    # and instruments of one factorize over both tables, areas as codes of p's categories
    a = assessments.loc[assessments["instrument"].astype("str").isin(p["instrument"].unique()),
                        ["learner_id", "instrument", "area", "date", "score"]]
    a = pd.DataFrame({"learner_id": a["learner_id"].astype("str").array,
                      "instrument": a["instrument"].astype("str").array,
                      "area_code": p["area"].cat.categories.get_indexer(a["area"]),
                      "area_given": a["area"].notna().to_numpy(),
                      "date": pd.to_datetime(a["date"]).astype("datetime64[ns]").to_numpy(),
                      "score": a["score"].astype(float).to_numpy()})
    # an area that no progress row has is no match (code -1, as a missing area)
    a = a.loc[a["date"].notna() & ((a["area_code"] >= 0) | ~a["area_given"])]
    p["learner"], a["learner"] = _shared_codes(p["learner_id"], a["learner_id"])
    p["inst"], a["inst"] = _shared_codes(p["instrument"], a["instrument"])
    p["area_code"] = p["area"].cat.codes.to_numpy()
    # the join, the date filter and the sort on a few columns; the rest taken once at the end
    p["row"] = np.arange(len(p))
    pairs = p[["learner", "inst", "area_code", "row", "order", "baseline_date", "last"]].merge(
        a[["learner", "inst", "area_code", "date", "score"]],
        on=["learner", "inst", "area_code"], how="inner")
    pairs = pairs.loc[(pairs["date"] >= pairs["baseline_date"])
                      & (pairs["date"] <= pairs["last"])]
    pairs = pairs.sort_values(["order", "date"], kind="stable")
    out = p.iloc[pairs["row"].to_numpy()].reset_index(drop=True)
    out["date"] = pairs["date"].to_numpy()
    out["score"] = pairs["score"].to_numpy()
    days = (out["date"] - out["baseline_date"]).dt.days
    out["years"] = days / DAYS_PER_YEAR
    out["expected_score"] = out["baseline_score"] + out["expected_gain_per_year"] * out["years"]
    return out[["learner_id", "srb_id", "placement_start", "instrument", "scale", "area",
                "date", "score", "years", "expected_gain_per_year", "expected_score",
                "status", "band"]].reset_index(drop=True)
