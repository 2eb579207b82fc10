"""Inclusion: the share of a learner's timetable spent in mainstream classes.

Inclusion is the purpose of a resource base: learners are part of the wider school
community and should spend more of their week in mainstream classes over time. This
module turns the ``inclusion`` table (one row per learner x period x subject, see
``docs/data-dictionary.md``) into the share per learner and period
(:func:`learner_shares`) and holds what the other inclusion measures share: the
yardsticks and their sources, the calendar of periods and the parameter checks.

The other inclusion measures: :mod:`srb_eval.measures.inclusion_trends` (each learner's
trend, the cohort by period), :mod:`srb_eval.measures.inclusion_groups` (learners at or
above the yardsticks, trend counts by group, the exit review) ,
:mod:`srb_eval.measures.subjects` (where inclusion happens, by subject) and
:mod:`srb_eval.measures.inclusion_data` (:func:`~srb_eval.measures.inclusion_data.prepare`,
the one call that gives a report its records, shares and trends).

The yardsticks are parameters; their defaults come from the source documents:

- about 50% of time in mainstream classes, "with the goal of increasing time in
  mainstream classes over time" (a city council's description of Resource Bases and SEN
  Units): :data:`TYPICAL_SHARE`;
- "Many pupils attend mainstream classes for as much as 60% of their school week"
  (Estyn 2008, *Joining in*, paragraph 65): :data:`ESTYN_SHARE`;
- exit when "Mainstream inclusion has already occurred for at least 80% within the core
  subjects" (a Welsh local authority's Specialist Resource Base guidance, September 2025,
  Exit Guidelines): :data:`CORE_EXIT_SHARE`.

References
----------
.. [1] A city council's description of Resource Bases and SEN Units ("Pupils typically
   spend around 50% of their time in mainstream classrooms").
.. [2] Estyn (2008). *Joining in: a survey of resource bases attached to mainstream
   schools in Wales*. Cardiff: Estyn. Paragraph 65 ("as much as 60% of their school
   week"); paragraph 76 ("very few have clear exit criteria ... pupils can stay too
   long in the resource base").
.. [3] A Welsh local authority (2025). *Specialist Resource Base Guidance*, September
   2025, Exit Guidelines ("at least 80% within the core subjects").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..data.cells import fold_text
from ..errors import ParameterError, check_argument
from ..params import iso_date
from .calendar import SCHOOL_YEAR_START_MONTH, school_year_label, school_year_of

__all__ = [
    "CORE_EXIT_SHARE", "DEFAULT_CORE_SUBJECTS", "ESTYN_SHARE", "INCLUSION_COLUMNS",
    "PERIODS", "SOURCES", "TYPICAL_SHARE", "at_or_above", "check_by",
    "check_core_subjects", "check_period", "check_share", "check_table",
    "check_thresholds", "core_flags", "latest_shares", "learner_shares", "normalise_text",
    "period_key", "period_table", "records_in_window", "share_ratio", "threshold_column",
]

#: The core subjects of the Welsh curriculum most SRB timetables record; pass to
#: ``core_subjects=`` to override the inclusion table's own ``core`` flag.
DEFAULT_CORE_SUBJECTS: tuple[str, ...] = ("English", "Welsh", "mathematics", "science")

#: "around 50% of their time in mainstream classrooms" (a city council's description).
TYPICAL_SHARE = 0.5
#: "as much as 60% of their school week" (Estyn 2008, *Joining in*, paragraph 65).
ESTYN_SHARE = 0.6
#: "at least 80% within the core subjects" (a local authority's SRB guidance, 2025).
CORE_EXIT_SHARE = 0.8

#: Each yardstick's source, by title, for sentences and figure labels.
SOURCES: dict[float, str] = {
    TYPICAL_SHARE: "a city council's description of Resource Bases and SEN Units",
    ESTYN_SHARE: "Estyn, Joining in, 2008",
    CORE_EXIT_SHARE: "a Welsh local authority's SRB guidance, September 2025",
}

#: Period lengths a share can be computed over.
PERIODS: tuple[str, ...] = ("week", "half_term", "term", "school_year")

#: The columns of the ``inclusion`` table the measures read.
INCLUSION_COLUMNS: tuple[str, ...] = (
    "learner_id", "period_start", "period_end", "subject", "core", "minutes_mainstream",
    "minutes_timetabled")

#: Absolute tolerance of the "at or above" comparisons, so that floating-point rounding
#: of a ratio never moves a learner across a yardstick (120 / 240 is at 50%).
_EPS = 1e-9
#: Terms and half terms: names and first month, in school-year order. A record belongs to
#: the term (half term) whose first month is the latest not after its own month.
_TERM_STARTS = (("autumn", 9), ("spring", 1), ("summer", 4))
_HALF_TERM_STARTS = (("autumn 1", 9), ("autumn 2", 11), ("spring 1", 1), ("spring 2", 3),
                     ("summer 1", 4), ("summer 2", 6))
#: Days in a school term on a calendar scale (a year is three terms): weeks' term_index.
_DAYS_PER_TERM = 365.2425 / 3


# --------------------------------------------------------------------------- checks


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    check_argument(ok, name, allowed, got, error=ParameterError)


def check_table(df: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """``df`` if it is a DataFrame with ``columns``; ``ParameterError`` naming ``name``."""
    _check(isinstance(df, pd.DataFrame), name, "a pandas DataFrame", type(df).__name__)
    missing = [c for c in columns if c not in df.columns]  # type: ignore[union-attr]
    _check(not missing, name, "a table with columns " + ", ".join(columns),
           f"a table without {', '.join(missing)}")
    return df  # type: ignore[return-value]


def check_share(value: object, name: str) -> float:
    """``value`` as a float above 0 and at most 1; ``ParameterError`` otherwise."""
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and 0 < float(value) <= 1)
    _check(ok, name, "a share above 0 and at most 1 (0.5 = 50%)", value)
    return float(value)  # type: ignore[arg-type]


def check_period(period: object) -> str:
    """``period`` if it is one of :data:`PERIODS`; ``ParameterError`` otherwise."""
    _check(period in PERIODS, "period", "one of " + ", ".join(map(repr, PERIODS)), period)
    return period  # type: ignore[return-value]


def check_by(by: object, allowed: Sequence[str], name: str = "by") -> list[str]:
    """Grouping columns: a name or a list of distinct names from ``allowed``."""
    cols = [by] if isinstance(by, str) else by
    ok = (isinstance(cols, (list, tuple)) and all(c in allowed for c in cols)
          and len(set(cols)) == len(cols))
    _check(ok, name, "a list of distinct column names from " + ", ".join(allowed)
           + " (or an empty list for one overall row)", by)
    return list(cols)  # type: ignore[arg-type]


def check_thresholds(thresholds: object) -> list[float]:
    """A non-empty list of distinct shares (see :func:`check_share`)."""
    ok = isinstance(thresholds, (list, tuple)) and len(thresholds) > 0
    _check(ok, "thresholds", "a non-empty list of shares above 0 and at most 1", thresholds)
    out = [check_share(t, "thresholds") for t in thresholds]  # type: ignore[union-attr]
    names = [threshold_column(t) for t in out]
    _check(len(set(names)) == len(names), "thresholds", "distinct shares", thresholds)
    return out


def check_core_subjects(core_subjects: object) -> list[str] | None:
    """``None`` (use the table's core column) or a non-empty list of subject names."""
    if core_subjects is None:
        return None
    ok = (isinstance(core_subjects, (list, tuple)) and len(core_subjects) > 0
          and all(isinstance(s, str) and s.strip() for s in core_subjects))
    _check(ok, "core_subjects", "None (use the table's core column) or a non-empty list of "
           "subject names, e.g. " + repr(list(DEFAULT_CORE_SUBJECTS)), core_subjects)
    return list(core_subjects)  # type: ignore[arg-type]


def threshold_column(share: float, *, prefix: str = "at_or_above") -> str:
    """The column name of a yardstick: 0.5 -> ``"at_or_above_50"``, 0.625 -> ``..._62_5``.

    Examples
    --------
    >>> threshold_column(0.5), threshold_column(0.625), threshold_column(0.8, prefix="x")
    ('at_or_above_50', 'at_or_above_62_5', 'x_80')
    """
    pct = f"{round(float(share) * 100, 6):g}".replace(".", "_")
    return f"{prefix}_{pct}"


def at_or_above(share: pd.Series | np.ndarray, threshold: float) -> np.ndarray:
    """``share >= threshold``, allowing 1e-9 for rounding (False where share is missing).

    Examples
    --------
    >>> at_or_above(np.array([0.5, 0.49, np.nan]), 120 / 240).tolist()
    [True, False, False]
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(share, dtype=float) >= threshold - _EPS


def share_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` where the denominator is above 0, NaN elsewhere.

    Examples
    --------
    >>> share_ratio(pd.Series([60.0, 0.0]), pd.Series([120.0, 0.0])).tolist()
    [0.5, nan]
    """
    return (numerator / denominator).where(denominator > 0)


# --------------------------------------------------------------------------- calendar


def normalise_text(values: pd.Series | pd.Index) -> pd.Series:
    """Case-folded text with surrounding spaces removed and inner spaces collapsed.

    Examples
    --------
    >>> normalise_text(pd.Index([" Maths ", "Design  and tech"])).tolist()
    ['maths', 'design and tech']
    """
    return fold_text(pd.Series(np.asarray(values, dtype=object)))


def _starts(period: str) -> tuple[tuple[str, int], ...]:
    return _TERM_STARTS if period == "term" else _HALF_TERM_STARTS


def _months_into_year(month: np.ndarray | int) -> np.ndarray:
    """Months since the school year began: September 0, ..., August 11."""
    return (np.asarray(month) - SCHOOL_YEAR_START_MONTH) % 12


def period_key(dates: pd.Series, period: str) -> pd.Series:
    """An integer naming each date's period: the school year's start year (school_year);
    ``3 * year + term`` (term); ``6 * year + half term`` (half_term); the Monday's day
    number since 1970-01-01 (week). See :func:`learner_shares` for the calendar.
    Worked out once per distinct date (records share a few hundred dates)."""
    dates = pd.to_datetime(dates)
    codes, distinct = pd.factorize(dates, use_na_sentinel=False)
    keys = _distinct_period_key(pd.Series(distinct, name=dates.name), period)
    return keys.take(codes).set_axis(dates.index)


def _distinct_period_key(dates: pd.Series, period: str) -> pd.Series:
    d = dates.dt.normalize()
    year = school_year_of(d)
    if period == "school_year":
        return year
    if period == "week":
        return (d - pd.Timestamp("1970-01-01")).dt.days - d.dt.day_of_week
    firsts = _months_into_year([month for _, month in _starts(period)])
    number = np.searchsorted(firsts, _months_into_year(d.dt.month), side="right") - 1
    return year * len(firsts) + number


def period_table(keys: np.ndarray, period: str) -> pd.DataFrame:
    """One row per period key (from :func:`period_key`): ``period`` (label),
    ``period_start``, ``period_end`` (its calendar bounds) and ``term_index``."""
    keys = np.asarray(keys, dtype="int64")
    if period == "week":
        start = keys.astype("datetime64[D]")
        iso = pd.DatetimeIndex(start).isocalendar()
        label = iso["year"].astype("str") + "-W" + iso["week"].astype("str").str.zfill(2)
        sept_2000 = (np.datetime64("2000-09-01") - np.datetime64("1970-01-01")).astype(int)
        return pd.DataFrame({
            "key": keys, "period": pd.array(label.to_numpy(), dtype="str"),
            "period_start": start.astype("datetime64[ns]"),
            "period_end": (start + 6).astype("datetime64[ns]"),
            "term_index": 3 * 2000 + (keys - sept_2000) / _DAYS_PER_TERM})
    if period == "school_year":
        names, firsts, year, k = [""], np.array([0]), keys, np.zeros(len(keys), dtype=int)
    else:
        names = [name for name, _ in _starts(period)]
        firsts = _months_into_year([month for _, month in _starts(period)])
        year, k = np.divmod(keys, len(names))
    label = school_year_label(pd.Series(year))
    if period != "school_year":
        label = label + " " + pd.Series(np.asarray(names, dtype=object)[k])
    september = ((year - 1970) * 12 + SCHOOL_YEAR_START_MONTH - 1).astype("datetime64[M]")
    next_first = np.append(firsts, 12)[k + 1]
    return pd.DataFrame({
        "key": keys, "period": pd.array(label.to_numpy(), dtype="str"),
        "period_start": (september + firsts[k]).astype("datetime64[D]").astype(
            "datetime64[ns]"),
        "period_end": ((september + next_first).astype("datetime64[D]") - 1).astype(
            "datetime64[ns]"),
        "term_index": year * 3.0 + k * (3.0 / len(names))})


# --------------------------------------------------------------------------- shares


def core_flags(inclusion: pd.DataFrame, core_subjects: Sequence[str] | None) -> pd.Series:
    """Which records are core: the table's ``core`` flag (missing: not core), or, given
    ``core_subjects``, whether the subject is one of them (compared after
    :func:`normalise_text`)."""
    if core_subjects is None:
        return inclusion["core"].astype("boolean").fillna(False).astype(bool)
    codes, subjects = pd.factorize(inclusion["subject"])
    wanted = set(normalise_text(pd.Index(core_subjects)))
    is_core = normalise_text(subjects).isin(wanted).to_numpy()
    return pd.Series(np.where(codes >= 0, is_core[np.maximum(codes, 0)], False),
                     index=inclusion.index)


def learner_shares(inclusion: pd.DataFrame, *, period: str = "term",
                   core_subjects: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of each learner's timetabled minutes spent in mainstream classes, per period.

    Parameters
    ----------
    inclusion : DataFrame
        The ``inclusion`` table: learner_id, period_start, period_end, subject, core,
        minutes_mainstream, minutes_timetabled (one row per learner x period x subject).
    period : {"term", "week", "half_term", "school_year"}, default "term"
        The period the records are summed over. Each record is assigned by its
        ``period_start`` (see Notes).
    core_subjects : list of str, optional
        Which subjects count as core. ``None`` (default) uses the table's ``core``
        column. A list (for example :data:`DEFAULT_CORE_SUBJECTS`) overrides the column:
        a record is core when its subject matches one of the names, compared
        case-insensitively with surrounding spaces ignored (``" Maths"`` does not match
        ``"mathematics"``: list every spelling your data uses).

    Returns
    -------
    DataFrame
        One row per learner and period with any record, sorted by learner_id and period:

        - ``learner_id``
        - ``period``: readable label: ``"2023/24 autumn"`` (term), ``"2023/24"``
          (school_year), ``"2023/24 autumn 1"`` (half_term), ISO week ``"2024-W05"``
          (week).
        - ``period_start``, ``period_end``: the calendar bounds of the period (not of
          the records in it).
        - ``term_index``: the period's position on a scale of school terms (three per
          school year: ``3 * year + term``, 0 autumn, 1 spring, 2 summer; half terms
          step by 0.5, school years by 3, weeks by 7 days / (365.2425 / 3) days).
          Differences are in terms; the trends use it for their slope.
        - ``minutes_mainstream``, ``minutes_timetabled``: sums over the learner's records
          in the period.
        - ``inclusion_share``: ``minutes_mainstream / minutes_timetabled`` (0 to 1); NaN
          where nothing was timetabled ("no data", never 0%).
        - ``core_minutes_mainstream``, ``core_minutes_timetabled``,
          ``core_inclusion_share``: the same over core subjects only (NaN share where no
          core minutes were timetabled).

    Notes
    -----
    The share is the ratio of sums, so subjects and records weigh by their timetabled
    minutes:

    .. math:: s_{i,p} = \\frac{\\sum_{r \\in (i,p)} m^{\\text{mainstream}}_r}
              {\\sum_{r \\in (i,p)} m^{\\text{timetabled}}_r}

    Calendar: school years start on 1 September. A record belongs to the period that
    contains its ``period_start`` (a record spanning two weeks or two terms counts
    wholly in the first; nothing is split pro rata). Terms by month: autumn
    September-December, spring January-March, summer April-August (Easter moves and
    local authorities set their own dates, so a week in early April may really be
    spring term). Half terms by month: autumn 1 September-October, autumn 2
    November-December, spring 1 January-February, spring 2 March, summer 1 April-May,
    summer 2 June-August. Weeks are ISO 8601 weeks (Monday to Sunday; the label uses
    the ISO year, so 30 December 2024 is ``"2025-W01"``).

    Missing data: a record whose minutes_mainstream or minutes_timetabled is missing, or
    whose learner_id or period_start is missing, is left out of both sums. A core flag
    that is missing counts as not core. A period whose timetabled minutes sum to 0 has
    a NaN share, which reports word as "no data".

    Small n: a share is computed for any learner-period with at least one timetabled
    minute; an empty table gives an empty result with the columns above.

    References
    ----------
    .. [1] ISO 8601 week dates.

    Examples
    --------
    >>> inc = pd.DataFrame({
    ...     "learner_id": ["L1", "L1", "L1"],
    ...     "period_start": pd.to_datetime(["2023-09-04", "2023-09-04", "2024-01-08"]),
    ...     "period_end": pd.to_datetime(["2023-12-20", "2023-12-20", "2024-03-28"]),
    ...     "subject": ["English", "art", "English"], "core": [True, False, True],
    ...     "minutes_mainstream": [60.0, 120.0, 120.0],
    ...     "minutes_timetabled": [240.0, 120.0, 240.0]})
    >>> out = learner_shares(inc)
    >>> out[["period", "inclusion_share", "core_inclusion_share"]].to_dict("list")
    {'period': ['2023/24 autumn', '2023/24 spring'], 'inclusion_share': [0.5, 0.5], \
'core_inclusion_share': [0.25, 0.5]}
    """
    check_table(inclusion, "inclusion", INCLUSION_COLUMNS)
    period = check_period(period)
    core = core_flags(inclusion, check_core_subjects(core_subjects))
    mainstream = pd.to_numeric(inclusion["minutes_mainstream"]).astype(float)
    timetabled = pd.to_numeric(inclusion["minutes_timetabled"]).astype(float)
    counted = (mainstream.notna() & timetabled.notna() & inclusion["learner_id"].notna()
               & inclusion["period_start"].notna()).to_numpy()
    records = pd.DataFrame({
        "learner_id": inclusion["learner_id"].astype("str"),
        "key": period_key(inclusion["period_start"].where(counted), period),
        "minutes_mainstream": mainstream,
        "minutes_timetabled": timetabled,
        "core_minutes_mainstream": mainstream.where(core, 0.0),
        "core_minutes_timetabled": timetabled.where(core, 0.0)},
        copy=False).loc[counted]  # copy=False: the columns are not stacked into one block
    sums = records.astype({"key": "int64"}).groupby(["learner_id", "key"], sort=True).sum()
    sums = sums.reset_index().merge(period_table(sums.index.unique("key"), period),
                                    on="key", how="left")
    sums["inclusion_share"] = share_ratio(sums["minutes_mainstream"],
                                          sums["minutes_timetabled"])
    sums["core_inclusion_share"] = share_ratio(sums["core_minutes_mainstream"],
                                               sums["core_minutes_timetabled"])
    return sums[["learner_id", "period", "period_start", "period_end", "term_index",
                 "minutes_mainstream", "minutes_timetabled", "inclusion_share",
                 "core_minutes_mainstream", "core_minutes_timetabled",
                 "core_inclusion_share"]]


def records_in_window(df: pd.DataFrame, *, start: object = None, end: object = None,
                      column: str = "period_start") -> pd.DataFrame:
    """The rows of ``df`` whose ``column`` date falls in ``[start, end]``, as a DataFrame.

    Parameters
    ----------
    df : DataFrame
    start, end : None, ISO date ``"YYYY-MM-DD"`` or Timestamp
        Inclusive bounds; ``None`` leaves that side open.
    column : str, default "period_start"

    Returns
    -------
    DataFrame
        The rows inside the window, index reset. A missing date is outside any bounded
        window.

    Examples
    --------
    >>> d = pd.DataFrame({"period_start": pd.to_datetime(["2023-09-01", "2024-01-06"])})
    >>> len(records_in_window(d, start="2024-01-01")), len(records_in_window(d))
    (1, 2)
    """
    check_table(df, "df", [column])
    lo, hi = iso_date(start, "start", optional=True), iso_date(end, "end", optional=True)
    if lo is not None and hi is not None:
        _check(lo <= hi, "end", f"on or after start ({lo.date()})", end)
    dates = pd.to_datetime(df[column])
    keep = pd.Series(True, index=df.index)
    if lo is not None:
        keep &= (dates >= lo).fillna(False)
    if hi is not None:
        keep &= (dates <= hi).fillna(False)
    return df.loc[keep.to_numpy()].reset_index(drop=True)


def latest_shares(shares: pd.DataFrame, *, keep_without_share: bool = False) -> pd.DataFrame:
    """One row per learner: their latest period (largest ``term_index``) with a share.

    With ``keep_without_share``, a learner none of whose periods has a share (nothing
    timetabled) keeps their latest period, with the share missing, so that they still
    belong to their group (as in :func:`~srb_eval.measures.inclusion_trends.learner_trends`,
    where they have "too few terms").

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["a", "a", "b"], "term_index": [0.0, 1, 0],
    ...                    "inclusion_share": [0.2, 0.3, None]})
    >>> latest_shares(sh)["inclusion_share"].tolist()
    [0.3]
    >>> latest_shares(sh, keep_without_share=True)["inclusion_share"].tolist()
    [0.3, nan]
    """
    check_table(shares, "shares", ["learner_id", "term_index", "inclusion_share"])
    has = shares["inclusion_share"].notna()
    if keep_without_share:
        has = has | ~has.groupby(shares["learner_id"].to_numpy(), sort=False).transform("any")
    with_share = shares.loc[has.to_numpy()]
    return (with_share.sort_values(["learner_id", "term_index"], kind="stable")
            .drop_duplicates("learner_id", keep="last").reset_index(drop=True))
