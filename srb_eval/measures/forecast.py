"""The places each phase will need in the next years: admissions history and forecast.

A cohort-survival roll-forward of today's learners plus a Poisson model of admissions,
by phase of SRB, evaluated at one census a year (see :func:`forecast_places`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..params import iso_date
from ..stats.forecast import binomial_poisson_quantiles
from . import roll
from .calendar import school_year_label, school_year_of
from .occupancy import capacity_at
from .stays import exit_rates_of

__all__ = ["ADMISSIONS_YEARS", "INTERVAL", "MIN_HISTORY_YEARS", "TOO_LITTLE_HISTORY",
           "admissions_history", "forecast_places"]

#: Default years of history behind the admissions mean and the observed exit rate.
ADMISSIONS_YEARS = 3
#: Default coverage of the forecast interval.
INTERVAL = 0.8
#: Fewest years of admissions history for a forecast interval. The interval takes the
#: admissions mean :math:`\hat\lambda` as known; estimated from m years its error adds
#: :math:`\lambda/m` to the Poisson variance :math:`\lambda` of a year's admissions,
#: so the interval is too narrow by :math:`\sqrt{1 + 1/m}`: 41% at one year ("5 to 5"),
#: 22% at two, 15% at three (the default history).
MIN_HISTORY_YEARS = 3
#: Outlook of a year ahead forecast from fewer than :data:`MIN_HISTORY_YEARS` years.
TOO_LITTLE_HISTORY = "too little history"


def _new_on_roll(p: pd.DataFrame, d0: pd.Timestamp, years: int, data_from: pd.Timestamp
                 ) -> tuple[pd.DataFrame, list[pd.Timestamp]]:
    """Learners new on roll in their phase at each of the last ``years`` censuses.

    Returns the learner rows (``phase``, ``census_date``, ``learner_id``, ``c``: school
    years remaining before ageing out, counted from the census's school year) and the
    census dates used (those whose previous census is on or after ``data_from``).
    """
    # learner and phase as integer codes (one factorize each, missing as -1): the same
    # matches as their text, found much faster
    p = p.assign(learner_code=pd.factorize(p["learner_id"])[0],
                 phase_code=pd.factorize(p["phase"])[0])
    key = ["learner_code", "phase_code"]
    rows, used = [], []
    for j in range(years):
        c, prev = d0 + pd.DateOffset(years=-j), d0 + pd.DateOffset(years=-(j + 1))
        if prev < data_from:
            continue
        used.append(c)
        now = p.loc[roll.on_roll(p, c)].sort_values("start_date", kind="stable")
        now = now.drop_duplicates(key, keep="last")
        before = p.loc[roll.on_roll(p, prev), key].drop_duplicates()
        seen = now[key].merge(before, on=key, how="left", indicator=True)
        new = now[(seen["_merge"] == "left_only").to_numpy()]
        rows.append(pd.DataFrame({"phase": new["phase"], "census_date": c,
                                  "learner_id": new["learner_id"],
                                  "c": (new["final_sy"] - roll.year_of(c)).clip(lower=0)}))
    cols = {"phase": "str", "census_date": "datetime64[ns]", "learner_id": "str",
            "c": "float64"}
    out = (pd.concat(rows, ignore_index=True) if rows else
           pd.DataFrame({k: pd.Series(dtype=v) for k, v in cols.items()}))
    return out, used


def admissions_history(ds: Any, census_date: object, *, years: int = 3,
                       data_from: object = None) -> pd.DataFrame:
    """Learners new on roll in each phase at each of the last ``years`` censuses.

    Parameters
    ----------
    ds : Dataset
    census_date : date
        The latest census; earlier ones fall on the same day of earlier years.
    years : int, default 3
    data_from : date, optional
        Years whose previous census falls before this day are not counted
        (default :func:`~srb_eval.measures.roll.observation_start`).

    Returns
    -------
    pandas.DataFrame
        One row per phase and census used: ``phase``, ``census_date``, ``school_year``,
        ``new_on_roll`` (on roll in the phase at this census, not at the one a year
        before), ``on_roll``. Empty when no year is observed.

    Notes
    -----
    "Admissions" are counted census to census so that they match what a census
    counts: a learner admitted and gone between two censuses is not counted, and a
    move from a primary to a secondary SRB is an admission to secondary.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> admissions_history(ds, "2023-10-01", years=2, data_from="2020-09-01")[
    ...     ["phase", "school_year", "new_on_roll", "on_roll"]]
           phase school_year  new_on_roll  on_roll
    0    primary     2023/24            0        1
    1    primary     2022/23            1        2
    2  secondary     2023/24            1        2
    3  secondary     2022/23            0        1
    """
    roll.check_dataset(ds)
    d0 = iso_date(census_date, "census_date")
    n = roll.check_whole(years, "years", 1, 50)
    p = roll.placement_table(ds)
    new, used = _new_on_roll(p, d0, n, roll.data_start(ds, data_from))
    phases = roll.phases_of(ds.srbs)
    if not used:
        return pd.DataFrame({"phase": pd.Series(dtype="str"),
                             "census_date": pd.Series(dtype="datetime64[ns]"),
                             "school_year": pd.Series(dtype="str"),
                             "new_on_roll": pd.Series(dtype="int64"),
                             "on_roll": pd.Series(dtype="int64")})
    grid = pd.MultiIndex.from_product([phases, used], names=["phase", "census_date"])
    counts = new.groupby(["phase", "census_date"]).size().reindex(grid, fill_value=0)
    rolls = []
    for c in used:
        on = p.loc[roll.on_roll(p, c), ["learner_id", "phase"]].drop_duplicates()
        rolls.append(on.groupby("phase").size().rename(c))
    roll_counts = pd.concat(rolls, axis=1).reindex(phases).fillna(0)
    out = counts.rename("new_on_roll").reset_index()
    out["on_roll"] = [int(roll_counts.at[ph, c]) for ph, c in zip(
        out["phase"], out["census_date"], strict=True)]
    out["school_year"] = school_year_label(school_year_of(out["census_date"]))
    out["new_on_roll"] = out["new_on_roll"].astype("int64")
    out["phase"] = out["phase"].astype("str")
    return out[["phase", "census_date", "school_year", "new_on_roll", "on_roll"]]


def forecast_places(ds: Any, census_date: object, horizon_years: int = 3, *,
                    exit_rate: str | float = "observed",
                    admissions_years: int = ADMISSIONS_YEARS, interval: float = INTERVAL,
                    planned_changes: pd.DataFrame | None = None,
                    data_from: object = None) -> pd.DataFrame:
    """Places needed by phase in each of the next years, with an interval, against places.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``learners`` (birth month) and ``placements``.
    census_date : date
        The census the forecast starts from (year 0: learners on roll that day).
    horizon_years : int, default 3
        Years ahead, 1 to 5; year *k* is the census *k* years after ``census_date``.
    exit_rate : "observed" or float, default "observed"
        Annual probability that a learner leaves early (before ageing out): "observed"
        estimates it by phase with :func:`~srb_eval.measures.stays.exit_rates` (last
        ``admissions_years`` years); a number from 0 up to 1 applies it to every phase
        (0: learners leave only by ageing out).
    admissions_years : int, default 3
        Years of history behind the admissions mean (and the observed exit rate).
    interval : float, default 0.8
        Coverage of the forecast interval (0.8: the 10th to 90th percentiles).
    planned_changes : pandas.DataFrame, optional
        Planned openings and changes of places (see :func:`capacity_at`).
    data_from : date, optional
        First day the placements are complete (default
        :func:`~srb_eval.measures.roll.observation_start`).

    Returns
    -------
    pandas.DataFrame
        One row per phase (of ``srbs`` and of new SRBs) and year ``0..horizon_years``:
        ``phase``, ``year``, ``census_date``, ``school_year``, ``capacity`` (places that
        day, with planned changes), ``expected_on_roll`` (places needed), ``on_roll_low``,
        ``on_roll_high`` (the interval), ``expected_current`` (today's learners still on
        roll), ``expected_admitted`` (future admissions still on roll),
        ``current_remaining`` (today's learners not yet aged out: :math:`N_k`),
        ``admitted_remaining`` (of the learners admitted over the years of history, those
        who would not yet have aged out *k* years after their admission:
        :math:`\\#\\{j: c_j \\ge k\\}`, whose share is :math:`P(c \\ge k)` below), ``balance``
        (capacity - expected; negative: places short), ``balance_low``, ``balance_high``
        (capacity - high, capacity - low), ``outlook`` ("short" if even the low end
        exceeds the places, "spare" if even the high end is below them, else
        "uncertain"; "too little history" with fewer than :data:`MIN_HISTORY_YEARS`
        years of admissions history; year 0: "short", "spare" or "exactly full"),
        ``admissions_per_year`` (:math:`\\hat\\lambda`), ``admission_years_used``,
        ``exit_probability`` (:math:`p`), ``interval`` and ``note``.

    Notes
    -----
    A cohort-survival (grade-progression) roll-forward [1]_ of today's learners plus a
    Poisson model of admissions [2]_, by phase of SRB, evaluated at one census a year.

    *Today's learners.* Learner *i*, on roll at the census, has :math:`r_i` school years
    left before ageing out: the school year in which they reach their SRB's ``age_to``
    minus the current school year (a learner already past it: 0). They leave at the end
    of that year, or earlier with the annual early-exit probability :math:`p` of their
    phase (:func:`~srb_eval.measures.stays.exit_rates`). Of the
    :math:`N_k = \\#\\{i: r_i \\ge k\\}` learners not aged out by year *k*, the number
    still on roll is
    :math:`B_k \\sim \\text{Binomial}(N_k, (1-p)^k)`.

    *Admissions.* Learners new on roll in the phase at each of the last
    ``admissions_years`` censuses (:func:`admissions_history`) give the mean
    :math:`\\hat\\lambda`; admissions in a future year are
    :math:`\\text{Poisson}(\\hat\\lambda)`. An admission *t* years before year *k* is
    still on roll with probability :math:`S(t) = P(c \\ge t)(1-p)^t`, where the
    distribution of :math:`c` (school years left at its first census) is that of the
    recent admissions. By the thinning property of the Poisson process [3]_ the admitted
    learners on roll in year *k* are :math:`A_k \\sim \\text{Poisson}(\\mu_k)`,
    :math:`\\mu_k = \\hat\\lambda \\sum_{t=0}^{k-1} S(t)`.

    *Places needed* :math:`T_k = B_k + A_k`: expected
    :math:`N_k(1-p)^k + \\mu_k`; the interval is the exact
    :math:`(1 \\mp \\text{interval})/2` quantiles of the sum (pmfs convolved; no
    simulation, so the result is deterministic). Capacity is
    :func:`capacity_at` the census date. Demand is not capped by capacity.

    Assumptions (documented in the report's caveats): admissions continue at the recent
    mean (no trend; with 3 years a trend cannot be told from noise, and the interval
    ignores the uncertainty in :math:`\\hat\\lambda`, so it is too narrow if demand is
    changing, and with fewer than :data:`MIN_HISTORY_YEARS` years the outlook is "too
    little history" and the note says that no interval should be given); the recent
    admissions' ages represent future ones; exits are
    independent with a constant rate; a primary learner who ages out re-enters only
    through the secondary admissions trend; a planned new SRB adds places, not demand.

    References
    ----------
    .. [1] Shryock, H. S. & Siegel, J. S. (1976). *The Methods and Materials of
       Demography* (condensed ed.), ch. 23: projections of school enrolment by the
       cohort-survival (grade-progression ratio) method. Academic Press.
    .. [2] Cameron, A. C. & Trivedi, P. K. (2013). *Regression Analysis of Count Data*
       (2nd ed.), ch. 1-3. Cambridge University Press.
    .. [3] Kingman, J. F. C. (1993). *Poisson Processes*, section 5.1 (colouring and
       thinning). Oxford University Press.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> fc = forecast_places(ds, "2023-10-01", 2, exit_rate=0.0, data_from="2020-09-01")
    >>> fc[["phase", "year", "capacity", "expected_current", "current_remaining"]]
           phase  year  capacity  expected_current  current_remaining
    0    primary     0         8               1.0                  1
    1    primary     1         8               1.0                  1
    2    primary     2         8               1.0                  1
    3  secondary     0        20               2.0                  2
    4  secondary     1        20               2.0                  2
    5  secondary     2        20               2.0                  2
    """
    roll.check_dataset(ds)
    d0 = iso_date(census_date, "census_date")
    h = roll.check_whole(horizon_years, "horizon_years", 1, 5)
    ay = roll.check_whole(admissions_years, "admissions_years", 1, 20)
    cover = roll.check_fraction(interval, "interval")
    if isinstance(exit_rate, str):
        roll.check_choice(exit_rate, "exit_rate", ["observed"])
    else:
        roll.check_fraction(exit_rate, "exit_rate", closed_low=True)
    start = roll.data_start(ds, data_from)
    p = roll.placement_table(ds)
    dates = [d0 + pd.DateOffset(years=k) for k in range(h + 1)]
    caps = capacity_at(ds.srbs, dates, planned_changes=planned_changes)
    phases = [x for x in S.PHASES if x in set(caps["phase"].dropna())]
    cap = caps.groupby(["phase", "census_date"])["capacity"].sum()

    # today's learners: one row per learner and phase, r = school years left
    now = p.loc[roll.on_roll(p, d0)].sort_values("start_date", kind="stable")
    now = now.drop_duplicates(["learner_id", "phase"], keep="last")
    r_raw = now["final_sy"] - roll.year_of(d0)
    unknown_age = r_raw.isna()
    past_age = (r_raw < 0)
    r = r_raw.clip(lower=0).fillna(h)  # no age known: assumed not to age out

    if isinstance(exit_rate, str):
        er = exit_rates_of(ds, p, d0, ay, data_from=start).set_index("phase")
        p_exit = er["annual_exit_probability"].reindex(phases)
    else:
        p_exit = pd.Series(float(exit_rate), index=phases)
    no_rate = p_exit.isna()
    p_exit = p_exit.fillna(0.0)

    new, used = _new_on_roll(p, d0, ay, start)
    probs = np.array([(1 - cover) / 2, (1 + cover) / 2])
    rows = []
    for ph in phases:
        here = (now["phase"] == ph).to_numpy()
        notes = _phase_notes(len(used), observed=isinstance(exit_rate, str),
                             no_rate=bool(no_rate.get(ph, False)),
                             n_past=int(past_age[here].sum()),
                             n_unknown=int(unknown_age[here].sum()))
        rows += _phase_years(
            ph, r[here].to_numpy(dtype="float64"),
            new.loc[new["phase"] == ph, "c"].to_numpy(dtype="float64"),
            years_used=len(used), p_exit=float(p_exit[ph]), probs=probs, dates=dates,
            capacity=cap, interval=cover, note="; ".join(notes))
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in _COLUMNS})
    return _balance_and_outlook(out)[_COLUMNS]


#: The columns of :func:`forecast_places`, in order.
_COLUMNS = [
    "phase", "year", "census_date", "school_year", "capacity", "expected_on_roll",
    "on_roll_low", "on_roll_high", "expected_current", "expected_admitted",
    "current_remaining", "admitted_remaining", "balance", "balance_low", "balance_high",
    "outlook", "admissions_per_year", "admission_years_used", "exit_probability",
    "interval", "note"]


def _phase_notes(years_used: int, *, observed: bool, no_rate: bool, n_past: int,
                 n_unknown: int) -> list[str]:
    """The notes of one phase's forecast: missing history, exit rate or ages."""
    notes = []
    if not years_used:
        notes.append("no admission history before the census: admissions assumed 0")
    if years_used < MIN_HISTORY_YEARS:
        notes.append(f"no interval: {years_used} year{'' if years_used == 1 else 's'} of "
                     f"admissions history, fewer than {MIN_HISTORY_YEARS}")
    if no_rate and observed:
        notes.append("no time at risk to estimate early exits: assumed 0")
    if n_past:
        notes.append(f"{n_past} on roll past their SRB's age range: assumed to leave "
                     "this year")
    if n_unknown:
        notes.append(f"{n_unknown} without a birth month or age range: assumed to stay")
    return notes


def _phase_years(phase: str, r: np.ndarray, c: np.ndarray, *, years_used: int,
                 p_exit: float, probs: np.ndarray, dates: list, capacity: pd.Series,
                 interval: float, note: str) -> list[dict]:
    """One phase's rows of :func:`forecast_places`, years ``0..len(dates) - 1``.

    ``r``: school years left of each learner on roll today; ``c``: school years left of
    each recent admission at its first census (the formulas of :func:`forecast_places`:
    :math:`N_k`, :math:`(1-p)^k`, :math:`\\mu_k` and the quantiles of their sum).
    """
    h = len(dates) - 1
    lam = len(c) / years_used if years_used else 0.0
    t = np.arange(h)
    surv_c = (c[:, None] >= t[None, :]).mean(axis=0) if len(c) else np.zeros(h)
    s_t = surv_c * (1 - p_exit) ** t  # S(t) = P(c >= t) (1 - p)^t
    rows = []
    for k in range(h + 1):
        nk = int((r >= k).sum())
        qk = (1 - p_exit) ** k
        mu = lam * s_t[:k].sum() if k > 0 else 0.0
        if k == 0:
            lo = hi = nk
        else:
            lo, hi = (int(x) for x in binomial_poisson_quantiles(nk, qk, mu, probs))
        rows.append({
            "phase": phase, "year": k, "census_date": dates[k],
            "school_year": school_year_label(roll.year_of(dates[k])),
            "capacity": capacity.get((phase, dates[k]), pd.NA),
            "expected_on_roll": nk * qk + mu, "on_roll_low": lo, "on_roll_high": hi,
            "expected_current": nk * qk, "expected_admitted": mu, "current_remaining": nk,
            "admitted_remaining": int((c >= k).sum()), "admissions_per_year": lam,
            "admission_years_used": years_used, "exit_probability": p_exit,
            "interval": interval, "note": note})
    return rows


def _balance_and_outlook(out: pd.DataFrame) -> pd.DataFrame:
    """``out`` (rows of :func:`_phase_years`) typed, with the balance against capacity and
    the outlook of each year."""
    out["capacity"] = out["capacity"].astype("Int64")
    for c in ("on_roll_low", "on_roll_high", "current_remaining", "admitted_remaining",
              "admission_years_used", "year"):
        out[c] = out[c].astype("int64")
    capf = out["capacity"].astype("float64")
    out["balance"] = capf - out["expected_on_roll"]
    out["balance_low"] = capf - out["on_roll_high"]
    out["balance_high"] = capf - out["on_roll_low"]
    out["outlook"] = np.select(
        [(out["year"] == 0) & (out["on_roll_low"] > capf),
         (out["year"] == 0) & (out["on_roll_low"] < capf),
         out["year"] == 0,
         out["admission_years_used"] < MIN_HISTORY_YEARS,
         out["on_roll_low"] > capf, out["on_roll_high"] < capf],
        ["short", "spare", "exactly full", TOO_LITTLE_HISTORY, "short", "spare"],
        default="uncertain")
    out["outlook"] = out["outlook"].astype("str")
    out["phase"] = out["phase"].astype("str")
    out["school_year"] = out["school_year"].astype("str")
    out["note"] = out["note"].astype("str")
    return out
