"""Who is on roll, and since when the placements are complete: the definitions every
capacity measure (occupancy, waits, need mix, stays, forecast) is built on.

- A learner is *on roll* at day ``d`` when ``start_date <= d`` and (the placement's last
  day on roll, :func:`last_day`, is empty or ``>= d``). Counts are of distinct learners.
- *One SRB a day* (:func:`last_day`): a placement's ``end_date`` is its last day on roll,
  unless another placement of the same learner starts that day (a same-day transfer);
  then its last day is the day before, and on the transfer day the learner is counted in
  the new SRB only.
- A *school year* runs from 1 September to 31 August (:mod:`srb_eval.measures.calendar`).
- Only placements from :func:`observation_start` onwards (or ``data_from``) are used for
  rates and history: an export often omits placements that ended before it began.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import ParameterError, check_argument
from ..params import iso_date
from .calendar import school_year_of

#: Label of the row covering every group.
ALL = "all"
#: Days in a year, for stays in years.
DAYS_PER_YEAR = 365.25


def check_dataset(ds: object) -> Any:
    """``ds`` if it has ``srbs``, ``learners`` and ``placements`` tables, else
    ``ParameterError`` naming ``ds``."""
    ok = all(isinstance(getattr(ds, t, None), pd.DataFrame)
             for t in ("srbs", "learners", "placements"))
    check_argument(ok, "ds", "a srb_eval Dataset (with srbs, learners and placements "
                   "tables)", type(ds).__name__, error=ParameterError)
    return ds


def check_choice(value: object, name: str, allowed: list[Any]) -> Any:
    """``value`` if it is one of ``allowed``, else ``ParameterError`` naming ``name``."""
    check_argument(value in allowed, name, "one of " + ", ".join(map(repr, allowed)), value,
                   error=ParameterError)
    return value


def check_whole(value: object, name: str, lo: int, hi: int) -> int:
    """``value`` as an ``int`` from ``lo`` to ``hi``, else ``ParameterError``."""
    ok = (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
          and lo <= int(value) <= hi)  # type: ignore[arg-type]
    check_argument(ok, name, f"a whole number from {lo} to {hi}", value, error=ParameterError)
    return int(value)  # type: ignore[arg-type]


def check_fraction(value: object, name: str, *, closed_low: bool = False) -> float:
    """``value`` as a float in (0, 1), or [0, 1) with ``closed_low``, else
    ``ParameterError``."""
    ok = (isinstance(value, (int, float, np.floating, np.integer))
          and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value))
          and ((0 <= value < 1) if closed_low else (0 < value < 1)))  # type: ignore[operator]
    check_argument(ok, name, "a number " + ("from 0 up to" if closed_low else "between 0 and")
                   + " 1 (exclusive)", value, error=ParameterError)
    return float(value)  # type: ignore[arg-type]


def census_dates(values: object, name: str = "census_dates") -> list[pd.Timestamp]:
    """One date or a list of dates (ISO, :func:`srb_eval.params.iso_date`) as a list.

    Examples
    --------
    >>> census_dates("2025-10-01")
    [Timestamp('2025-10-01 00:00:00')]
    """
    many = isinstance(values, (list, tuple, pd.Series, pd.DatetimeIndex))
    dates = list(values) if many else [values]  # type: ignore[call-overload]
    check_argument(len(dates) > 0, name, "at least one date", values, error=ParameterError)
    return [iso_date(d, name) for d in dates]  # type: ignore[misc]


def last_day(placements: pd.DataFrame) -> pd.Series:
    """The last day each placement counts on roll: the placement calendar's one rule.

    Parameters
    ----------
    placements : DataFrame
        With ``learner_id``, ``start_date`` and ``end_date`` (empty: still placed).

    Returns
    -------
    Series of datetime64
        Aligned with ``placements``: ``end_date``, or the day before it when another
        placement of the same learner starts on that day; missing while still placed.

    Notes
    -----
    Dates are inclusive, so a placement that ends on the day the learner's next one
    starts (a same-day transfer, as a move from a primary to a secondary SRB is often
    recorded) would count the learner in both SRBs that day. The rule: on the transfer
    day the learner is in the new placement. It is the rule of
    :func:`srb_eval.measures.attribution.attach_srb` for a one-day record, and every count
    of learners on roll (:func:`on_roll`, census counts, occupancy, stays, turnover, the
    forecast, learners placed in a year) and every attribution of a record to an SRB
    uses it. A placement that starts and ends on the day the next one starts is on roll
    on no day. ``end_date`` itself (the day the placement ended: leavers, exit reasons,
    destinations) is unchanged.

    Examples
    --------
    >>> p = pd.DataFrame({"learner_id": ["a", "a", "b"],
    ...     "start_date": pd.to_datetime(["2021-09-01", "2023-09-04", "2021-09-01"]),
    ...     "end_date": pd.to_datetime(["2023-09-04", None, "2023-09-04"])})
    >>> last_day(p).tolist()
    [Timestamp('2023-09-03 00:00:00'), NaT, Timestamp('2023-09-04 00:00:00')]
    """
    start = pd.to_datetime(placements["start_date"]).astype("datetime64[ns]")
    end = pd.to_datetime(placements["end_date"]).astype("datetime64[ns]")
    # (learner, day) as one integer: the learner's code and the day number
    learner = pd.factorize(placements["learner_id"].astype("str"))[0].astype("int64")

    def key(days: pd.Series) -> pd.Series:
        return pd.Series(learner * 1_000_000 + days.to_numpy().astype("datetime64[D]")
                         .astype("int64"), dtype="int64").where(days.notna().to_numpy())

    # placements of each learner starting on each day, looked up at each end date; a
    # placement that starts on its own end date does not count as the next one
    at_end = key(end).map(key(start).value_counts())
    others = at_end.fillna(0).to_numpy() - (start == end).to_numpy()
    moved = end.notna().to_numpy() & (others > 0)
    return end.where(~moved, end - pd.Timedelta(days=1))


def placement_table(ds: Any) -> pd.DataFrame:
    """Placements with their SRB's phase and age range and their learner's need.

    Returns
    -------
    pandas.DataFrame
        One row per placement, in the order of ``ds.placements``: ``learner_id``,
        ``srb_id``, ``referral_date``, ``panel_date``, ``start_date``, ``end_date``,
        ``last_day`` (the last day on roll, :func:`last_day`), ``phase``, ``age_to`` (of the SRB), ``birth_month``, ``primary_need`` (of the
        learner) and ``final_sy``: the start year of the school year in which the
        learner reaches the SRB's ``age_to`` (birthday taken as the 1st of the birth
        month, which decides the school year exactly because school years start on the
        1st of September); missing without a birth month or age range.
    """
    cols = ["learner_id", "srb_id", "referral_date", "panel_date", "start_date", "end_date"]
    out = ds.placements[cols].astype({"learner_id": "str", "srb_id": "str"})
    for c in cols[2:]:
        out[c] = pd.to_datetime(out[c])
    out.insert(len(cols), "last_day", last_day(out))
    srbs = (ds.srbs[["srb_id", "phase", "age_to"]].drop_duplicates("srb_id")
            .astype({"srb_id": "str", "phase": "str"}))
    learners = (ds.learners[["learner_id", "birth_month", "primary_need"]]
                .drop_duplicates("learner_id")
                .astype({"learner_id": "str", "primary_need": "str"}))
    out = out.merge(srbs, on="srb_id", how="left").merge(learners, on="learner_id",
                                                         how="left")
    birth = pd.to_datetime(out["birth_month"])
    age_to = pd.to_numeric(out["age_to"], errors="coerce").astype("float64")
    out["final_sy"] = birth.dt.year + age_to - (birth.dt.month < 9).astype("float64")
    return out


def learners_placed(placements: pd.DataFrame, srb: str = "all") -> int:
    """The number of distinct learners with a placement (in resource base ``srb``).

    >>> learners_placed(pd.DataFrame({"learner_id": ["a", "a", "b"],
    ...                               "srb_id": ["S1", "S2", "S2"]}), srb="S1")
    1
    """
    ids = placements["learner_id"] if srb == "all" else placements.loc[
        placements["srb_id"].astype(str) == str(srb), "learner_id"]
    return int(ids.nunique())


def on_roll(placements: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Mask of the placements on roll at ``day``: started, and their last day on roll
    (the ``last_day`` column of :func:`placement_table`, :func:`last_day`) not before it."""
    return (placements["start_date"] <= day) & (
        placements["last_day"].isna() | (placements["last_day"] >= day))


def placed_in_year(ds: Any, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """``learner_id`` and ``srb_id`` (text) of every placement on roll on at least one
    day from ``start`` to ``end`` (inclusive): started by ``end``, and its last day on
    roll (:func:`last_day`) missing or not before ``start``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> p = pd.DataFrame({"learner_id": ["a", "a"], "srb_id": ["P", "S"],
    ...     "start_date": pd.to_datetime(["2021-09-01", "2023-09-01"]),
    ...     "end_date": pd.to_datetime(["2023-09-01", None])})
    >>> placed_in_year(SimpleNamespace(placements=p), pd.Timestamp("2023-09-01"),
    ...                pd.Timestamp("2024-08-31"))["srb_id"].tolist()
    ['S']
    """
    p = ds.placements
    start_date = pd.to_datetime(p["start_date"])
    last = last_day(p)
    on = ((start_date <= end) & (last.isna() | (last >= start))).fillna(False).astype(bool)
    return pd.DataFrame({"learner_id": p["learner_id"].astype("str")[on].to_numpy(),
                         "srb_id": p["srb_id"].astype("str")[on].to_numpy()})


def observation_start(ds: Any) -> pd.Timestamp | None:
    """The first day from which the placements are taken to be complete.

    Exports often hold every learner on roll when the data begin (with their original
    start dates, possibly years earlier) but not the placements that had already ended.
    Counting admissions or leavers before that day would undercount them.

    Returns
    -------
    pandas.Timestamp or None
        1 September of the school year of the earliest ``end_date``; if no placement
        has ended, the earliest ``start_date``; ``None`` for an empty table.

    Notes
    -----
    A heuristic, stated in the capacity report's caveats: conservative when the data
    really go back further (it then ignores at most the history before the first
    recorded leaver). Pass ``data_from`` to the measures to override it.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> p = pd.DataFrame({"start_date": pd.to_datetime(["2015-09-01", "2022-01-10"]),
    ...                   "end_date": pd.to_datetime(["2022-11-30", None])})
    >>> observation_start(SimpleNamespace(placements=p))
    Timestamp('2022-09-01 00:00:00')
    """
    p = ds.placements
    ends = pd.to_datetime(p["end_date"]).dropna()
    if len(ends):
        return pd.Timestamp(year_of(ends.min()), 9, 1)
    starts = pd.to_datetime(p["start_date"]).dropna()
    return starts.min().normalize() if len(starts) else None


def year_of(day: pd.Timestamp) -> int:
    """Start year of the school year of one day
    (:func:`~srb_eval.measures.calendar.school_year_of`).

    Examples
    --------
    >>> year_of(pd.Timestamp("2025-08-31")), year_of(pd.Timestamp("2025-09-01"))
    (2024, 2025)
    """
    return int(school_year_of(pd.Series([day])).iloc[0])


def data_start(ds: Any, data_from: object = None) -> pd.Timestamp:
    """``data_from`` (an ISO date) if given, else :func:`observation_start` (1 January 1900
    for no placements)."""
    if data_from is not None:
        return iso_date(data_from, "data_from")  # type: ignore[return-value]
    d = observation_start(ds)
    return d if d is not None else pd.Timestamp("1900-01-01")


def group_order(labels: pd.Series, by: str | None) -> list[str]:
    """The order groups are reported in: phases in vocabulary order (primary, secondary,
    all-through), other groups sorted; the ``"all"`` row last.

    Examples
    --------
    >>> group_order(pd.Series(["secondary", "all", "primary"]), "phase")
    ['primary', 'secondary', 'all']
    """
    present = list(dict.fromkeys(labels.dropna().tolist()))
    if by == "phase":
        first = [x for x in S.PHASES if x in present]
    else:
        first = sorted(x for x in present if x != ALL)
    rest = [x for x in present if x not in first and x != ALL]
    return first + rest + ([ALL] if ALL in present else [])


def phases_of(srbs: pd.DataFrame) -> list[str]:
    """The phases of ``srbs`` present, in vocabulary order."""
    present = set(srbs["phase"].astype("str"))
    return [x for x in S.PHASES if x in present]
