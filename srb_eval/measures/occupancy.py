"""Places and learners on roll: census counts, occupancy, unfilled places, capacity over time.

Local authorities must "keep ALP under review" and secure sufficient provision (ALN Code
for Wales, ch. 7); Estyn found unfilled places in resource bases "poor value for money"
(Estyn 2008, *Joining in*). On roll is defined in :mod:`srb_eval.measures.roll`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import ParameterError, check_argument
from ..params import iso_date
from . import roll

__all__ = ["UNDERUSED_BELOW", "ALL_SRBS", "capacity_at", "census_counts", "daily_on_roll",
           "occupancy",
           "occupancy_from_census", "occupancy_summary"]

#: Occupancy below this share of places is called "under-used" (a local choice; see
#: :func:`occupancy`).
UNDERUSED_BELOW = 0.75
#: Label of the total row of :func:`occupancy_summary`.
ALL_SRBS = "all SRBs"


def census_counts(ds: Any, census_dates: object) -> pd.DataFrame:
    """Learners on roll, and agreed but not yet started, per SRB at each census date.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``.
    census_dates : date or list of dates

    Returns
    -------
    pandas.DataFrame
        One row per SRB (every SRB in ``srbs``) and date: ``srb_id``, ``census_date``,
        ``on_roll`` (distinct learners with ``start_date <= d`` and a last day on roll,
        :func:`srb_eval.measures.roll.last_day`, empty or ``>= d``: on the day of a
        same-day transfer, in the new SRB only), ``awaiting_start`` (distinct learners with ``panel_date <= d <
        start_date``: agreed at panel, not yet started).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> census_counts(ds, "2023-10-01")[["srb_id", "on_roll", "awaiting_start"]]
      srb_id  on_roll  awaiting_start
    0  SRB01        1               0
    1  SRB02        2               0
    """
    roll.check_dataset(ds)
    dates = roll.census_dates(census_dates)
    p = ds.placements
    ids = pd.Index(pd.unique(ds.srbs["srb_id"].astype("str")), name="srb_id")
    # Every (census date, placement) pair at once, as NumPy arrays: rows are the
    # placements repeated once per date (a date given twice is counted twice).
    k, n, m = len(dates), len(p), len(ids)
    day = np.repeat(pd.DatetimeIndex(dates).to_numpy(), n)
    start, panel = (np.tile(pd.to_datetime(p[c]).to_numpy(), k)
                    for c in ("start_date", "panel_date"))
    end = np.tile(roll.last_day(p).to_numpy(), k)
    # on roll at d (roll.on_roll): started, and its last day on roll (roll.last_day: the
    # day before a same-day transfer) not before d; awaiting start:
    # agreed at panel on or before d, starting after d (a missing date compares False)
    on = (start <= day) & (np.isnat(end) | (end >= day))
    wait = (panel <= day) & (start > day)
    # the cell (date, SRB) of each pair, -1 for a placement in an SRB not in ``srbs``
    # (not counted), and the learner as an integer code
    srb = np.tile(ids.get_indexer(p["srb_id"].astype("str")), k)
    cell = np.where(srb >= 0, np.repeat(np.arange(k), n) * m + srb, -1)
    learner = np.tile(pd.factorize(p["learner_id"].astype("str"))[0], k)

    def learners(mask: np.ndarray) -> np.ndarray:
        """Distinct learners per cell among the pairs in ``mask`` (cells in date-major
        order): the distinct (cell, learner) pairs, counted per cell."""
        keep = mask & (cell >= 0)
        pairs = pd.DataFrame({"cell": cell[keep], "learner": learner[keep]})
        return np.bincount(pairs.drop_duplicates()["cell"].to_numpy(), minlength=k * m)

    return pd.DataFrame({
        "srb_id": ids.astype("str").take(np.tile(np.arange(m), k)),
        "census_date": pd.Series(dates).repeat(m).to_numpy(),
        "on_roll": pd.array(learners(on), dtype="Int64"),
        "awaiting_start": pd.array(learners(wait), dtype="Int64"),
    })


def daily_on_roll(ds: Any, days: pd.DatetimeIndex) -> np.ndarray:
    """Distinct learners on roll per SRB on each of many days: the ``on_roll`` of
    :func:`census_counts` for ``days``, from each placement's run of days on roll.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``.
    days : DatetimeIndex
        Increasing, without repeats (a year of days, say).

    Returns
    -------
    numpy.ndarray of int64
        ``len(days)`` x SRBs (every SRB in ``srbs``, in its order, as
        :func:`census_counts`).

    Notes
    -----
    The rule of :func:`census_counts` (``start_date <= d`` and the last day on roll,
    :func:`srb_eval.measures.roll.last_day`, empty or ``>= d``) read as a run of days:
    a placement is on roll on ``days[i]`` for ``first <= i < stop``, with ``first`` the
    first day on or after its start and ``stop`` the first day after its last day on
    roll (``np.searchsorted``). A learner's overlapping runs in one SRB are merged, so
    that each learner counts once a day; then each run adds one from its first day to
    its last (a difference array, ``np.cumsum``). Time and memory grow with placements
    plus days x SRBs, not days x placements.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> daily_on_roll(ds, pd.DatetimeIndex(["2023-10-01", "2023-10-02"])).tolist()
    [[1, 2], [1, 2]]
    """
    roll.check_dataset(ds)
    d = pd.DatetimeIndex(days).to_numpy("datetime64[ns]")
    check_argument(bool(np.all(d[1:] > d[:-1])), "days", "increasing days without repeats",
                   "days out of order or repeated", error=ParameterError)
    p = ds.placements
    ids = pd.Index(pd.unique(ds.srbs["srb_id"].astype("str")), name="srb_id")
    start = pd.to_datetime(p["start_date"]).to_numpy("datetime64[ns]")
    end = roll.last_day(p).to_numpy("datetime64[ns]")
    first = np.searchsorted(d, start, side="left")
    stop = np.where(np.isnat(end), len(d), np.searchsorted(d, end, side="right"))
    srb = ids.get_indexer(p["srb_id"].astype("str"))
    keep = (srb >= 0) & ~np.isnat(start) & (first < stop)
    runs = pd.DataFrame({"srb": srb[keep], "learner": pd.factorize(
        p["learner_id"].astype("str"))[0][keep], "first": first[keep], "stop": stop[keep]}
    ).sort_values(["srb", "learner", "first"], kind="stable", ignore_index=True)
    # a run starts a new merged run unless it begins before an earlier run of the same
    # learner in the same SRB has stopped
    who = [runs["srb"], runs["learner"]]
    reached = runs.groupby(who)["stop"].cummax().groupby(who).shift()
    merged = runs.groupby((reached.isna() | (runs["first"] > reached)).cumsum()).agg(
        srb=("srb", "first"), first=("first", "min"), stop=("stop", "max"))
    m, size = len(ids), (len(d) + 1) * len(ids)
    srb, first, stop = (merged[c].to_numpy("int64") for c in ("srb", "first", "stop"))
    change = (np.bincount(first * m + srb, minlength=size)
              - np.bincount(stop * m + srb, minlength=size))
    return change.reshape(len(d) + 1, m)[:-1].cumsum(axis=0)


def _status(capacity: pd.Series, on_roll: pd.Series, share: pd.Series,
            underused_below: float) -> pd.Series:
    cap = capacity.astype("float64")
    on = on_roll.astype("float64")
    out = np.select(
        [np.isnan(on), on > cap, cap == 0, on == cap, share < underused_below],
        ["no data", "over capacity", "no places", "full", "under-used"],
        default="spare places")
    return pd.Series(out, index=capacity.index, dtype="str")


def _occupancy_frame(srbs: pd.DataFrame, counts: pd.DataFrame, d: pd.Timestamp,
                     underused_below: float) -> pd.DataFrame:
    cols = ["srb_id", "name", "phase", "designation", "capacity"]
    missing = [c for c in cols if c not in srbs.columns]
    check_argument(not missing, "srbs", f"a table with columns {cols}", f"missing {missing}",
                   error=ParameterError)
    s = srbs.loc[~srbs["srb_id"].duplicated().to_numpy(), cols]
    srb_id = s["srb_id"].astype("str")
    c = counts.loc[~counts["srb_id"].duplicated().to_numpy()].set_index("srb_id")
    # on pandas' nullable integer arrays: a missing count stays missing
    cap = pd.to_numeric(s["capacity"], errors="coerce").astype("Int64").array
    on = srb_id.map(c["on_roll"]).astype("Int64").array
    waiting = (srb_id.map(c["awaiting_start"]).astype("Int64").array
               if "awaiting_start" in c.columns else pd.array([pd.NA] * len(s), dtype="Int64"))
    cap_f, on_f = (x.to_numpy("float64", na_value=np.nan) for x in (cap, on))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(cap_f > 0, on_f / cap_f, np.nan)
    out = pd.DataFrame({
        "srb_id": srb_id.array, "name": s["name"].array,
        "phase": s["phase"].astype("str").array,
        "designation": s["designation"].astype("str").array,
        "census_date": d, "capacity": cap, "on_roll": on, "awaiting_start": waiting,
        "occupancy": share.astype("float64"),
        "unfilled_places": np.maximum(cap - on, 0), "places_over": np.maximum(on - cap, 0),
        "over_capacity": on > cap})
    out["status"] = _status(out["capacity"], out["on_roll"], out["occupancy"],
                            underused_below)
    return out


def occupancy(ds: Any, census_date: object, *,
              underused_below: float = UNDERUSED_BELOW) -> pd.DataFrame:
    """Learners on roll against places for each SRB at a census date.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``.
    census_date : date
        The day counted (e.g. ``"2025-10-01"``).
    underused_below : float, default 0.75
        Occupancy below this share is called "under-used" (more than a quarter of the
        places empty). A local planning choice, not a published standard: Estyn (2008)
        calls unfilled places "poor value for money" without a threshold.

    Returns
    -------
    pandas.DataFrame
        One row per SRB, in the order of ``srbs``: ``srb_id``, ``name``, ``phase``,
        ``designation``, ``census_date``, ``capacity``, ``on_roll``, ``awaiting_start``
        (agreed at panel, not yet started), ``occupancy`` (on roll / capacity; NaN for
        an SRB with no places), ``unfilled_places`` (capacity - on roll, floor 0),
        ``places_over`` (on roll - capacity, floor 0), ``over_capacity`` (bool) and
        ``status``: "over capacity", "full", "under-used", "spare places", "no places"
        (capacity 0, nobody on roll) or "no data".

    Notes
    -----
    .. math::

       \\text{occupancy}_s = \\frac{\\text{on roll}_s(d)}{\\text{capacity}_s}, \\qquad
       \\text{unfilled}_s = \\max(0, \\text{capacity}_s - \\text{on roll}_s(d))

    On roll at ``d``: ``start_date <= d`` and (the last day on roll empty or ``>= d``),
    distinct learners; the last day on roll is ``end_date``, or the day before it when
    the learner's next placement starts that day (:func:`srb_eval.measures.roll.last_day`). An over-full SRB has 0 unfilled places (its excess does not fill
    another SRB's places), so the total of unfilled places can exceed total capacity
    minus total on roll; :func:`occupancy_summary` reports both. The capacity used is the
    one in ``srbs`` (today's); for changes over time see :func:`capacity_at`. An SRB with
    nobody on roll has on roll 0, not missing.

    References
    ----------
    .. [1] Estyn (2008). *Joining in: a survey of resource bases in mainstream
       schools*, paragraph 21: unfilled places "poor value for money".

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> occupancy(ds, "2023-10-01")[["srb_id", "capacity", "on_roll", "unfilled_places",
    ...                              "status"]]
      srb_id  capacity  on_roll  unfilled_places      status
    0  SRB01         8        1                7  under-used
    1  SRB02        20        2               18  under-used
    """
    roll.check_dataset(ds)
    d = iso_date(census_date, "census_date")
    u = roll.check_fraction(underused_below, "underused_below", closed_low=True)
    return _occupancy_frame(ds.srbs, census_counts(ds, d), d, u)


def occupancy_from_census(srbs: pd.DataFrame, census: pd.DataFrame, *,
                          census_date: object = None,
                          underused_below: float = UNDERUSED_BELOW) -> pd.DataFrame:
    """:func:`occupancy` from a published census count instead of placements.

    Parameters
    ----------
    srbs : pandas.DataFrame
        The ``srbs`` table (``srb_id, name, phase, designation, capacity``).
    census : pandas.DataFrame
        ``srb_id``, ``census_date``, ``on_roll`` (e.g.
        :func:`~srb_eval.data.published.load_published_fig3`).
    census_date : date, optional
        Which census to use when ``census`` holds several; by default its only date.
    underused_below : float, default 0.75
        As in :func:`occupancy`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`occupancy`; ``awaiting_start`` is missing (a census does
        not record it). An SRB without a census row has ``on_roll`` missing and status
        "no data".

    Raises
    ------
    ValueError
        If ``census`` lacks a column, names an SRB not in ``srbs``, holds several dates
        and ``census_date`` is not given, or holds negative or non-whole counts.

    Notes
    -----
    The formulas of :func:`occupancy`.

    References
    ----------
    .. [1] Monmouthshire County Council (2020), Fig. 3 (capacity and numbers, autumn
       2020).

    Examples
    --------
    >>> from srb_eval.data.published import load_published_fig3
    >>> fig3 = load_published_fig3()
    >>> occ = occupancy_from_census(fig3.srbs, fig3.census)
    >>> occ[["srb_id", "on_roll", "capacity", "occupancy", "unfilled_places"]].round(4)
           srb_id  on_roll  capacity  occupancy  unfilled_places
    0  OVERMONNOW       20        20     1.0000                0
    1    PEMBROKE       19        20     0.9500                1
    2   DERI_VIEW        3         8     0.3750                5
    3    CALDICOT       49        55     0.8909                6
    4    MONMOUTH       25        55     0.4545               30
    """
    check_argument(isinstance(census, pd.DataFrame)
                   and {"srb_id", "census_date", "on_roll"} <= set(census.columns), "census",
                   "a DataFrame with columns srb_id, census_date, on_roll",
                   list(getattr(census, "columns", [])), error=ParameterError)
    u = roll.check_fraction(underused_below, "underused_below", closed_low=True)
    c = census.copy()
    c["srb_id"] = c["srb_id"].astype("str")
    c["census_date"] = pd.to_datetime(c["census_date"])
    dates = c["census_date"].dropna().unique()
    if census_date is None:
        check_argument(len(dates) == 1, "census_date",
                       "given when the census holds more (or fewer) than one date",
                       [str(pd.Timestamp(x).date()) for x in dates], error=ParameterError)
        d = pd.Timestamp(dates[0])
    else:
        d = iso_date(census_date, "census_date")
        c = c[c["census_date"] == d]
        check_argument(len(c) > 0, "census_date", "a date present in the census", str(d.date()),
                       error=ParameterError)
    unknown = sorted(set(c["srb_id"]) - set(srbs["srb_id"].astype("str")))
    check_argument(not unknown, "census", "rows for SRBs in srbs only", unknown,
                   error=ParameterError)
    on = pd.to_numeric(c["on_roll"], errors="coerce")
    bad = on.notna() & ((on < 0) | (on != np.floor(on)))
    check_argument(not bad.any(), "census", "whole numbers of 0 or more in on_roll",
                   c.loc[bad, "on_roll"].tolist(), error=ParameterError)
    c["on_roll"] = on.astype("Int64")
    return _occupancy_frame(srbs, c[["srb_id", "on_roll"]], d, u)


def occupancy_summary(occ: pd.DataFrame, *, by: str | None = "phase") -> pd.DataFrame:
    """Totals of an occupancy table by phase or designation, with an all-SRBs row.

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`occupancy` or :func:`occupancy_from_census`.
    by : {"phase", "designation", None}, default "phase"
        ``"designation"`` counts an SRB designated for several needs under each of them,
        so its rows overlap and do not add up to the total.

    Returns
    -------
    pandas.DataFrame
        One row per group (phases in the order primary, secondary, all-through; needs in
        vocabulary order) and a last row labelled ``"all SRBs"`` (the only row when
        ``by`` is None). Columns: ``group``, ``n_srbs``, ``capacity``, ``on_roll``,
        ``unfilled_places`` (sum over SRBs of their unfilled places), ``places_over``
        (sum of places over capacity), ``net_spare`` (capacity - on roll),
        ``occupancy`` (on roll / capacity), ``n_full`` (SRBs full or over capacity),
        ``n_underused``. ``on_roll`` and what derives from it are missing for a group
        with an SRB lacking a count.

    Notes
    -----
    .. math::

       \\text{occupancy}_g = \\frac{\\sum_{s \\in g} \\text{on roll}_s}
       {\\sum_{s \\in g} \\text{capacity}_s}, \\quad
       \\text{net spare}_g = \\sum_s \\text{capacity}_s - \\sum_s \\text{on roll}_s
       = \\text{unfilled}_g - \\text{over}_g

    Examples
    --------
    >>> from srb_eval.data.published import load_published_fig3
    >>> fig3 = load_published_fig3()
    >>> s = occupancy_summary(occupancy_from_census(fig3.srbs, fig3.census))
    >>> s[["group", "capacity", "on_roll", "unfilled_places", "net_spare"]]
           group  capacity  on_roll  unfilled_places  net_spare
    0    primary        48       42                6          6
    1  secondary       110       74               36         36
    2   all SRBs       158      116               42         42
    """
    roll.check_choice(by, "by", ["phase", "designation", None])
    need = ["srb_id", "phase", "designation", "capacity", "on_roll", "unfilled_places",
            "places_over", "status"]
    check_argument(isinstance(occ, pd.DataFrame) and set(need) <= set(occ.columns), "occ",
                   "a table from occupancy()", list(getattr(occ, "columns", [])),
                   error=ParameterError)
    base = occ[need].copy()
    base["phase"] = base["phase"].astype("str")
    base["designation"] = base["designation"].astype("str")
    base["group"] = ALL_SRBS
    parts = []
    if by == "phase":
        g = base.copy()
        g["group"] = g["phase"]
        order = [x for x in S.PHASES if x in set(g["group"])]
        order += sorted(set(g["group"].dropna()) - set(order))
        parts.append((g, order))
    elif by == "designation":
        g = base.copy()
        g["group"] = g["designation"].fillna("none recorded").str.split(";")
        g = g.explode("group")
        g["group"] = g["group"].str.strip()
        order = [x for x in S.NEEDS if x in set(g["group"])]
        order += sorted(set(g["group"]) - set(order))
        parts.append((g, order))
    parts.append((base, [ALL_SRBS]))
    frames = []
    for g, order in parts:
        g = g.copy()
        g["full"] = g["status"].isin(["full", "over capacity"])
        g["under"] = g["status"].eq("under-used")
        g["missing"] = g["on_roll"].isna()
        agg = g.groupby("group", sort=False).agg(
            n_srbs=("srb_id", "nunique"), capacity=("capacity", "sum"),
            on_roll=("on_roll", "sum"), unfilled_places=("unfilled_places", "sum"),
            places_over=("places_over", "sum"), n_full=("full", "sum"),
            n_underused=("under", "sum"), missing=("missing", "sum"))
        frames.append(agg.reindex(order).reset_index())
    out = pd.concat(frames, ignore_index=True)
    for c in ("n_srbs", "capacity", "on_roll", "unfilled_places", "places_over", "n_full",
              "n_underused"):
        out[c] = out[c].astype("Int64")
    gap = out.pop("missing") > 0
    for c in ("on_roll", "unfilled_places", "places_over"):
        out[c] = out[c].mask(gap)
    out["net_spare"] = (out["capacity"] - out["on_roll"]).astype("Int64")
    cap = out["capacity"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["occupancy"] = np.where(cap > 0, out["on_roll"].astype("float64") / cap, np.nan)
    return out[["group", "n_srbs", "capacity", "on_roll", "unfilled_places", "places_over",
                "net_spare", "occupancy", "n_full", "n_underused"]]


def capacity_at(srbs: pd.DataFrame, census_dates: object, *,
                planned_changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The places each SRB has on each date, with planned openings and changes.

    Parameters
    ----------
    srbs : pandas.DataFrame
        The ``srbs`` table; its ``capacity`` holds before any planned change.
    census_dates : date or list of dates
    planned_changes : pandas.DataFrame, optional
        One row per change: ``srb_id``, ``from_date`` (first day of the new capacity),
        ``capacity`` (places from that day; 0 closes an SRB), and ``phase`` (needed for
        an SRB not in ``srbs``, i.e. one that opens; ignored otherwise); ``name``
        optional.

    Returns
    -------
    pandas.DataFrame
        One row per SRB (those in ``srbs``, then new ones) and date: ``srb_id``,
        ``name``, ``phase``, ``census_date``, ``capacity``, ``planned`` (True where a
        planned change set the number).

    Raises
    ------
    ValueError
        ``planned_changes`` without the columns above, with dates or capacities that
        cannot be read (or negative), or opening an SRB without a phase.

    Notes
    -----
    The capacity of SRB *s* on day *d* is that of its latest change with ``from_date
    <= d``; before its first change it is ``srbs.capacity``, or 0 for a new SRB (it is
    not open yet).

    Examples
    --------
    >>> srbs = pd.DataFrame({"srb_id": ["A"], "name": ["A"], "phase": ["primary"],
    ...                      "capacity": [8]})
    >>> plan = pd.DataFrame({"srb_id": ["A", "NEW"], "from_date": ["2027-09-01"] * 2,
    ...                      "capacity": [16, 8], "phase": ["primary", "primary"]})
    >>> capacity_at(srbs, ["2026-10-01", "2027-10-01"], planned_changes=plan)[
    ...     ["srb_id", "census_date", "capacity"]]
      srb_id census_date  capacity
    0      A  2026-10-01         8
    1    NEW  2026-10-01         0
    2      A  2027-10-01        16
    3    NEW  2027-10-01         8
    """
    dates = roll.census_dates(census_dates)
    base = srbs.drop_duplicates("srb_id").copy()
    base = pd.DataFrame({"srb_id": base["srb_id"].astype("str"),
                         "name": base["name" if "name" in base else "srb_id"].astype("str"),
                         "phase": base["phase"].astype("str"),
                         "capacity": pd.to_numeric(base["capacity"], errors="coerce")})
    changes = _planned_changes(planned_changes, base)
    new = changes.loc[~changes["srb_id"].isin(base["srb_id"])].drop_duplicates("srb_id")
    new_rows = pd.DataFrame({"srb_id": new["srb_id"], "name": new["name"],
                             "phase": new["phase"], "capacity": 0.0})
    allsrb = pd.concat([base, new_rows], ignore_index=True)
    frames = []
    for d in dates:
        eff = changes[changes["from_date"] <= d].sort_values("from_date", kind="stable")
        last = eff.drop_duplicates("srb_id", keep="last").set_index("srb_id")["capacity"]
        cap = allsrb["srb_id"].map(last)
        frames.append(pd.DataFrame({
            "srb_id": allsrb["srb_id"], "name": allsrb["name"], "phase": allsrb["phase"],
            "census_date": d, "capacity": cap.fillna(allsrb["capacity"]).astype("Int64"),
            "planned": cap.notna().to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def _planned_changes(planned: pd.DataFrame | None, base: pd.DataFrame) -> pd.DataFrame:
    cols = ["srb_id", "from_date", "capacity", "phase", "name"]
    if planned is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols}).assign(
            from_date=pd.Series(dtype="datetime64[ns]"), capacity=pd.Series(dtype="float64"))
    check_argument(isinstance(planned, pd.DataFrame)
                   and {"srb_id", "from_date", "capacity"} <= set(planned.columns),
                   "planned_changes", "a DataFrame with columns srb_id, from_date, capacity "
                   "(and phase for a new SRB)", list(getattr(planned, "columns", [])),
                   error=ParameterError)
    c = pd.DataFrame({"srb_id": planned["srb_id"].astype("str")})
    c["from_date"] = pd.to_datetime(planned["from_date"], errors="coerce")
    check_argument(c["from_date"].notna().all(), "planned_changes",
                   "dates in from_date", planned.loc[c["from_date"].isna(), "from_date"].tolist(),
                   error=ParameterError)
    cap = pd.to_numeric(planned["capacity"], errors="coerce")
    bad = cap.isna() | (cap < 0) | (cap != np.floor(cap))
    check_argument(not bad.any(), "planned_changes", "whole numbers of 0 or more in capacity",
                   planned.loc[bad, "capacity"].tolist(), error=ParameterError)
    c["capacity"] = cap.astype("float64")
    known = base.set_index("srb_id")
    phase = planned["phase"].astype("str") if "phase" in planned else pd.Series(
        np.nan, index=planned.index, dtype="str")
    phase = phase.str.strip().str.lower()
    is_new = ~c["srb_id"].isin(known.index)
    check_argument(not (is_new & ~phase.isin(S.PHASES)).any(), "planned_changes",
                   "a phase (" + ", ".join(S.PHASES) + ") for each SRB not in srbs",
                   c.loc[is_new & ~phase.isin(S.PHASES), "srb_id"].tolist(), error=ParameterError)
    c["phase"] = phase.where(is_new, c["srb_id"].map(known["phase"]))
    name = planned["name"].astype("str") if "name" in planned else c["srb_id"]
    c["name"] = name.where(is_new, c["srb_id"].map(known["name"]))
    return c


# --------------------------------------------------------------------------- waits
