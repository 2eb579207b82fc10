"""How long learners stay and how often places change hands: length of stay, turnover
and the rate of leaving early (before ageing out of the SRB's age range)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..params import iso_date
from ..stats.forecast import rate_to_probability
from ..stats.survival import group_km_median
from . import roll
from .calendar import school_year_label, school_year_start
from .roll import ALL, DAYS_PER_YEAR

__all__ = ["ALL", "NOT_RECORDED", "TOO_FEW", "exit_rates", "length_of_stay", "turnover"]

#: Note of a median of too few stays.
TOO_FEW = "too few to judge"
#: Group of learners with no primary need recorded (``by="primary_need"``).
NOT_RECORDED = "not recorded"


def length_of_stay(ds: Any, census_date: object, *, by: str | None = "phase",
                   data_from: object = None, min_n: int = 5) -> pd.DataFrame:
    """How long learners stay in an SRB: completed stays, stays so far, Kaplan-Meier.

    Parameters
    ----------
    ds : Dataset
    census_date : date
        Stays are measured as at this day (later dates are ignored).
    by : {"phase", "srb_id", "primary_need", None}, default "phase"
        Groups (``primary_need``: the learner's, "not recorded" when missing); a last
        row ``"all"`` covers every placement.
    data_from : date, optional
        First day the placements are complete (default
        :func:`~srb_eval.measures.roll.observation_start`).
    min_n : int, default 5
        A median of fewer stays than this is not given (``NaN``; "too few to judge").

    Returns
    -------
    pandas.DataFrame
        One row per group: ``group``; ``n_left`` and ``median_completed_years``
        (placements that ended in ``[data_from, census_date]``: the exit cohort);
        ``n_on_roll`` and ``median_so_far_years`` (placements on roll at the census, as
        in :func:`occupancy`: time since their start; one ending on the census day is
        also a completed stay); ``n_started``, ``n_still_placed`` and ``km_median_years``
        (placements started in ``[data_from, census_date]``: the entry cohort, Kaplan-Meier
        median with stays still running treated as censored); ``note``.

    Notes
    -----
    Stay in years :math:`= (\\min(\\text{end}, d) - \\text{start}) / 365.25`.
    The completed-stay median of leavers over-represents short stays in a short window
    and the so-far median of those on roll over-represents long ones; the Kaplan-Meier
    median [1]_ of an entry cohort uses both the completed and the running stays,
    :math:`\\hat S(t) = \\prod_{t_i \\le t} (1 - d_i / n_i)`, median
    :math:`= \\min\\{t: \\hat S(t) \\le 0.5\\}` [2]_, "not reached" (NaN) while more
    than half are still placed.

    References
    ----------
    .. [1] Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
       observations. *JASA* 53(282), 457-481. doi:10.1080/01621459.1958.10501452
    .. [2] Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the median
       survival time. *Biometrics* 38(1), 29-41. doi:10.2307/2530286

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> length_of_stay(ds, "2024-10-01", by=None, data_from="2020-09-01", min_n=1)[
    ...     ["n_left", "median_completed_years", "n_started", "km_median_years"]].round(3)
       n_left  median_completed_years  n_started  km_median_years
    0       2                    2.88          4             3.88
    """
    roll.check_dataset(ds)
    d = iso_date(census_date, "census_date")
    roll.check_choice(by, "by", ["phase", "srb_id", "primary_need", None])
    k = roll.check_whole(min_n, "min_n", 1, 10_000)
    start = roll.data_start(ds, data_from)
    p = roll.placement_table(ds)
    p = p[p["start_date"] <= d].copy()
    p["primary_need"] = p["primary_need"].fillna(NOT_RECORDED)
    ended = p["end_date"].notna() & (p["end_date"] <= d)
    p["years"] = (p["end_date"].where(ended, d) - p["start_date"]).dt.days / DAYS_PER_YEAR
    p["left"] = ended & (p["end_date"] >= start)
    p["on_roll"] = roll.on_roll(p, d)
    p["entry"] = p["start_date"] >= start
    p["ended"] = ended
    frames = [_stays(p, p[by].astype("str"), by, k)] if by is not None else []
    frames.append(_stays(p, pd.Series(ALL, index=p.index, dtype="str"), None, k))
    out = pd.concat(frames, ignore_index=True)
    if out.empty:
        out = pd.DataFrame([{"group": ALL, "n_left": 0, "median_completed_years": np.nan,
                             "n_on_roll": 0, "median_so_far_years": np.nan, "n_started": 0,
                             "n_still_placed": 0, "km_median_years": np.nan,
                             "note": "no placements"}])
    for c in ("n_left", "n_on_roll", "n_started", "n_still_placed"):
        out[c] = out[c].astype("int64")
    for c in ("median_completed_years", "median_so_far_years", "km_median_years"):
        out[c] = out[c].astype("float64")
    out["group"] = out["group"].astype("str")
    out["note"] = out["note"].astype("str")
    return out


def _stays(p: pd.DataFrame, keys: pd.Series, by: str | None, k: int) -> pd.DataFrame:
    """The columns of :func:`length_of_stay` for the groups ``keys`` of the stays ``p``."""
    order = roll.group_order(keys, by)
    left, on, entry = p["left"], p["on_roll"], p["entry"]
    out = pd.DataFrame({
        "n_left": left.groupby(keys).sum(),
        "median_completed_years": p.loc[left, "years"].groupby(keys[left]).median(),
        "n_on_roll": on.groupby(keys).sum(),
        "median_so_far_years": p.loc[on, "years"].groupby(keys[on]).median(),
        "n_started": entry.groupby(keys).sum(),
        "n_still_placed": (entry & ~p["ended"]).groupby(keys).sum(),
        "km": group_km_median(keys[entry], p.loc[entry, "years"], p.loc[entry, "ended"]),
    }).reindex(order)
    for n in ("n_left", "n_on_roll", "n_started", "n_still_placed"):
        out[n] = out[n].fillna(0).astype("int64")
    out["median_completed_years"] = out["median_completed_years"].where(out["n_left"] >= k)
    out["median_so_far_years"] = out["median_so_far_years"].where(out["n_on_roll"] >= k)
    out["km_median_years"] = out["km"].where(out["n_started"] >= k)
    out["note"] = [_stay_note(a, b, c, km, k) for a, b, c, km in zip(
        out["n_left"], out["n_on_roll"], out["n_started"], out.pop("km"), strict=True)]
    return out.rename_axis("group").reset_index()[[
        "group", "n_left", "median_completed_years", "n_on_roll", "median_so_far_years",
        "n_started", "n_still_placed", "km_median_years", "note"]]


def _stay_note(n_left: int, n_on: int, n_entry: int, km: float, k: int) -> str:
    notes = []
    few = [w for w, n in (("completed stays", n_left), ("stays so far", n_on),
                          ("entry cohort", n_entry)) if n < k]
    if few:
        notes.append(f"{TOO_FEW} (fewer than {k}): " + ", ".join(few))
    if n_entry >= k and np.isnan(km):
        notes.append("Kaplan-Meier median not reached: more than half of those admitted "
                     "are still placed")
    return "; ".join(notes)


def turnover(ds: Any, *, until: object, by: str | None = "phase",
             data_from: object = None) -> pd.DataFrame:
    """Annual turnover: leavers in a school year / mean number on roll in that year.

    Parameters
    ----------
    ds : Dataset
    until : date
        Only school years that ended (31 August) on or before this day are counted.
    by : {"phase", "srb_id", None}, default "phase"
        Groups; rows ``"all"`` cover every SRB.
    data_from : date, optional
        First day the placements are complete (default
        :func:`~srb_eval.measures.roll.observation_start`);
        only school years starting on or after it are counted.

    Returns
    -------
    pandas.DataFrame
        One row per group and complete school year: ``group``, ``school_year``
        (``"2024/25"``), ``leavers`` (placements ending in the year),
        ``mean_on_roll`` (learner-days on roll / days in the year), ``turnover``
        (leavers / mean on roll; NaN when nobody was on roll). Empty (with these
        columns) when no complete year is observed.

    Notes
    -----
    The crude turnover rate of workforce statistics [1]_, applied to places:

    .. math:: T_y = \\frac{L_y}{\\bar N_y}, \\quad
              \\bar N_y = \\frac{1}{D_y}\\sum_i \\lvert [s_i, e_i] \\cap y \\rvert

    with :math:`L_y` the placements ending in school year :math:`y` (1 September - 31
    August, :math:`D_y` days), :math:`s_i, e_i` the first and last days of placement
    :math:`i` (an open placement runs to ``until``). A transfer between two SRBs of
    the same phase is a leaver of the first. 0.25 means a quarter of the places changed
    hands in the year.

    References
    ----------
    .. [1] CIPD (2024). *Employee turnover and retention* (factsheet): labour turnover
       rate = leavers in the period / average number employed in the period x 100.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> turnover(ds, until="2024-10-01", by=None, data_from="2022-09-01")[
    ...     ["school_year", "leavers", "mean_on_roll", "turnover"]].round(3)
      school_year  leavers  mean_on_roll  turnover
    0     2022/23        1         2.874     0.348
    1     2023/24        1         2.874     0.348
    """
    roll.check_dataset(ds)
    end = iso_date(until, "until")
    roll.check_choice(by, "by", ["phase", "srb_id", None])
    start = roll.data_start(ds, data_from)
    first = roll.year_of(start) + (0 if (start.month, start.day) == (9, 1) else 1)
    last = roll.year_of(end) - (0 if (end.month, end.day) == (8, 31) else 1)
    cols = ["group", "school_year", "leavers", "mean_on_roll", "turnover"]
    years = np.arange(first, last + 1)
    if years.size == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("mean_on_roll",
                                                                    "turnover") else "str")
                             for c in cols})
    p = roll.placement_table(ds)
    ys = pd.to_datetime([f"{y}-09-01" for y in years]).to_numpy()
    ye = pd.to_datetime([f"{y + 1}-08-31" for y in years]).to_numpy()
    s = p["start_date"].to_numpy()[:, None]
    e = p["last_day"].fillna(end).to_numpy()[:, None]  # one SRB a day (roll.last_day)
    lo = np.maximum(s, ys[None, :])
    hi = np.minimum(e, ye[None, :])
    days = np.clip((hi - lo) / np.timedelta64(1, "D") + 1, 0, None)
    ending = p["end_date"].to_numpy()[:, None]
    with np.errstate(invalid="ignore"):
        leaving = (ending >= ys[None, :]) & (ending <= ye[None, :])
    leaving &= p["end_date"].notna().to_numpy()[:, None]
    year_days = (ye - ys) / np.timedelta64(1, "D") + 1
    labels = [school_year_label(int(y)) for y in years]
    groups = ([by] if by is not None else []) + [None]
    frames = []
    for g in groups:
        keys = (p[g].astype("str") if g is not None
                else pd.Series(ALL, index=p.index, dtype="str"))
        order = roll.group_order(keys, by if g is not None else None) or [ALL]
        dsum = pd.DataFrame(days, columns=labels).groupby(keys.to_numpy()).sum()
        lsum = pd.DataFrame(leaving.astype("int64"), columns=labels).groupby(
            keys.to_numpy()).sum()
        dsum = dsum.reindex(order, fill_value=0)
        lsum = lsum.reindex(order, fill_value=0)
        mean = dsum / year_days[None, :]
        frames.append(pd.DataFrame({
            "group": np.repeat(order, len(labels)),
            "school_year": np.tile(labels, len(order)),
            "leavers": lsum.to_numpy().ravel(),
            "mean_on_roll": mean.to_numpy().ravel()}))
    out = pd.concat(frames, ignore_index=True)
    out["leavers"] = out["leavers"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["turnover"] = np.where(out["mean_on_roll"] > 0,
                                   out["leavers"] / out["mean_on_roll"], np.nan)
    out["group"] = out["group"].astype("str")
    out["school_year"] = out["school_year"].astype("str")
    return out[cols]


def exit_rates(ds: Any, census_date: object, *, history_years: int = 3,
               data_from: object = None) -> pd.DataFrame:
    """Annual rate of leaving early (before ageing out), by phase, from the placements.

    Parameters
    ----------
    ds : Dataset
    census_date : date
        The window ends on this day.
    history_years : int, default 3
        Length of the window, in years before ``census_date`` (cut at ``data_from``).
    data_from : date, optional
        First day the placements are complete (default
        :func:`~srb_eval.measures.roll.observation_start`).

    Returns
    -------
    pandas.DataFrame
        One row per phase of ``srbs``: ``phase``, ``window_from``, ``window_to``,
        ``early_leavers``, ``learner_years`` (time at risk), ``rate_per_year``
        (early leavers / learner-years) and ``annual_exit_probability``
        (:math:`1 - e^{-\\lambda}`); the last two NaN without time at risk.

    Notes
    -----
    A placement's *final school year* is the one in which the learner reaches the SRB's
    ``age_to`` (e.g. the year they turn 11, Year 6, for a 4-11 SRB). An *early leaver*
    ends their placement inside the window before that year begins; leaving in or after
    it is ageing out. Time at risk is the part of each placement inside the window and
    before its final school year:

    .. math:: \\lambda = \\frac{\\text{early leavers}}{\\text{learner-years at risk}},
              \\qquad p = 1 - e^{-\\lambda}

    the constant-hazard conversion of a rate to a one-year probability [1]_. Moves
    between SRBs of one phase count as leaving.

    References
    ----------
    .. [1] Fleurence, R. L. & Hollenbeak, C. S. (2007). Rates and probabilities in
       economic modelling. *PharmacoEconomics* 25(1), 3-6.
       doi:10.2165/00019053-200725010-00002

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> exit_rates(ds, "2024-10-01", data_from="2021-10-01")[
    ...     ["phase", "early_leavers", "learner_years"]].round(3)
           phase  early_leavers  learner_years
    0    primary              1          3.877
    1  secondary              1          3.880
    """
    roll.check_dataset(ds)
    d = iso_date(census_date, "census_date")
    h = roll.check_whole(history_years, "history_years", 1, 50)
    return exit_rates_of(ds, roll.placement_table(ds), d, h, data_from)


def exit_rates_of(ds: Any, p: pd.DataFrame, d: pd.Timestamp, h: int,
                  data_from: object = None) -> pd.DataFrame:
    """:func:`exit_rates` of the placement table ``p`` of ``ds``
    (:func:`~srb_eval.measures.roll.placement_table`), for checked arguments."""
    start = max(d + pd.DateOffset(years=-h), roll.data_start(ds, data_from))
    final_start = school_year_start(p["final_sy"])
    stop = p["last_day"].fillna(d).clip(upper=d)  # one SRB a day (roll.last_day)
    stop = stop.where(final_start.isna() | (stop < final_start),
                      final_start - pd.Timedelta(days=1))
    lo = p["start_date"].clip(lower=start)
    days = ((stop - lo).dt.days + 1).clip(lower=0)
    early = (p["end_date"].notna() & (p["end_date"] >= start) & (p["end_date"] <= d)
             & (final_start.isna() | (p["end_date"] < final_start)))
    phases = roll.phases_of(ds.srbs)
    g = pd.DataFrame({"phase": p["phase"], "days": days, "early": early.astype("int64")})
    agg = g.groupby("phase").agg(early_leavers=("early", "sum"), days=("days", "sum"))
    agg = agg.reindex(phases, fill_value=0)
    out = pd.DataFrame({"phase": pd.Series(phases, dtype="str"), "window_from": start,
                        "window_to": d,
                        "early_leavers": agg["early_leavers"].to_numpy(dtype="int64"),
                        "learner_years": agg["days"].to_numpy(dtype="float64")
                        / DAYS_PER_YEAR})
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(out["learner_years"] > 0, out["early_leavers"] / out["learner_years"],
                        np.nan)
    out["rate_per_year"] = rate
    out["annual_exit_probability"] = rate_to_probability(rate)
    return out
