"""Inclusion: the share of a learner's timetable spent in mainstream classes.

Inclusion is the purpose of a resource base: learners are part of the wider school
community and should spend more of their week in mainstream classes over time. This
module turns the ``inclusion`` table (one row per learner x period x subject, see
``docs/data-dictionary.md``) into

- :func:`learner_shares`: the share per learner and period (week, half term, term or
  school year), overall and in the core subjects;
- :func:`attach_srb`: the resource base each learner was in during each period;
- :func:`learner_trends`: each learner's trend (Theil-Sen slope per term) and a word
  for it (rising, steady, falling, too few terms);
- :func:`trend_counts`, :func:`cohort_by_period`: group summaries of those;
- :func:`threshold_shares`: how many learners are at or above the yardsticks from the
  source documents (50%, 60% of the week; 80% of core-subject time);
- :func:`exit_review`: learners who have met the exit criterion for successive periods
  and are still placed (Estyn 2008: "pupils can stay too long in the resource base");
- :func:`subject_breakdown`: where, by subject, inclusion happens and where it does not;
- ``describe_*``: the plain-English sentences a report prints, computed from the
  numbers and worded for the report's audience.

Every computation is vectorised (NumPy / pandas group-bys, no Python loop over
learners) so that tens of millions of weekly rows run on one laptop in seconds.

The yardsticks are parameters; their defaults come from the source documents:

- about 50% of time in mainstream classes, "with the goal of increasing time in
  mainstream classes over time" (seed 003, a city council's description of resource
  bases): :data:`TYPICAL_SHARE`;
- "Many pupils attend mainstream classes for as much as 60% of their school week"
  (Estyn 2008, *Joining in*, paragraph 65): :data:`ESTYN_SHARE`;
- exit when "Mainstream inclusion has already occurred for at least 80% within the
  core subjects" (seed 000, a Welsh local authority's SRB guidance, September 2025,
  Exit Guidelines): :data:`CORE_EXIT_SHARE`.

Calendar (see :func:`learner_shares`): school years start on 1 September; terms are
assigned by the month of a record's ``period_start``: autumn September-December,
spring January-March, summer April-August. Welsh term dates vary by authority and Easter
moves, so a week in early April may belong to the spring term in a given year; at
term level the effect is at most one or two weeks of a term's records.

References
----------
.. [1] Seed 003: a city council's description of Resource Bases and SEN Units
   ("Pupils typically spend around 50% of their time in mainstream classrooms").
.. [2] Estyn (2008). *Joining in: a survey of resource bases attached to mainstream
   schools in Wales*. Cardiff: Estyn. Paragraph 65 ("as much as 60% of their school
   week"); paragraph 76 ("very few have clear exit criteria ... pupils can stay too
   long in the resource base").
.. [3] Seed 000: Monmouthshire County Council (2025). *Specialist Resource Base
   Guidance*, Exit Guidelines ("at least 80% within the core subjects").
.. [4] Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's
   tau. *Journal of the American Statistical Association*, 63(324), 1379-1389.
   doi:10.1080/01621459.1968.10480934. Theil, H. (1950). A rank-invariant method of
   linear and polynomial regression analysis. *Indagationes Mathematicae*, 12, 85-91.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .data.lookup import is_in, positions
from .errors import ParameterError, check_argument
from .report import disclosure
from .stats.trend import group_theil_sen

__all__ = [
    "CORE_EXIT_SHARE",
    "DEFAULT_CORE_SUBJECTS",
    "ESTYN_SHARE",
    "GROUP_TITLES",
    "InclusionData",
    "PERIODS",
    "REFERENCE_LINES",
    "TREND_WORDS",
    "TYPICAL_SHARE",
    "attach_srb",
    "check_report_parameters",
    "cohort_by_period",
    "count_still_placed",
    "describe_exit_review",
    "describe_subjects",
    "describe_thresholds",
    "describe_trends",
    "display_exit_review",
    "display_learners",
    "display_subjects",
    "display_thresholds",
    "display_trend_counts",
    "exit_heading",
    "exit_review",
    "in_window",
    "latest_heading",
    "learner_shares",
    "learner_trends",
    "prepare",
    "srb_labels",
    "subject_breakdown",
    "threshold_column",
    "threshold_shares",
    "trend_counts",
    "trend_heading",
]

#: The core subjects of the Welsh curriculum most SRB timetables record; pass to
#: ``core_subjects=`` to override the inclusion table's own ``core`` flag.
DEFAULT_CORE_SUBJECTS: tuple[str, ...] = ("English", "Welsh", "mathematics", "science")

#: "around 50% of their time in mainstream classrooms" (seed 003).
TYPICAL_SHARE = 0.5
#: "as much as 60% of their school week" (Estyn 2008, paragraph 65).
ESTYN_SHARE = 0.6
#: "at least 80% within the core subjects" (seed 000, exit guidelines).
CORE_EXIT_SHARE = 0.8

#: Reference lines for figures: (share, label, applies to "overall" or "core").
REFERENCE_LINES: tuple[tuple[float, str, str], ...] = (
    (TYPICAL_SHARE, "about 50% (city council, seed 003)", "overall"),
    (ESTYN_SHARE, "as much as 60% (Estyn 2008)", "overall"),
    (CORE_EXIT_SHARE, "80% of core: exit criterion (LA guidance 2025)", "core"),
)

#: Period lengths a share can be computed over.
PERIODS: tuple[str, ...] = ("week", "half_term", "term", "school_year")
#: The words of :func:`learner_trends`, in display order.
TREND_WORDS: tuple[str, ...] = ("rising", "steady", "falling", "too few terms")

#: Absolute tolerance of the "at or above" comparisons, so that floating-point rounding
#: of a ratio never moves a learner across a yardstick (120 / 240 is at 50%).
_EPS = 1e-9
#: Term names and the month (1-12) -> term number (0 autumn, 1 spring, 2 summer).
_TERMS = ("autumn", "spring", "summer")
_TERM_OF_MONTH = np.array([-1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 0, 0, 0])
#: Half terms: month -> half-term number 0..5 and each half term's first month.
_HALF_OF_MONTH = np.array([-1, 2, 2, 3, 4, 4, 5, 5, 5, 0, 0, 1, 1])
_HALF_NAMES = ("autumn 1", "autumn 2", "spring 1", "spring 2", "summer 1", "summer 2")
_HALF_START_MONTH = np.array([9, 11, 1, 3, 4, 6])
_TERM_START_MONTH = np.array([9, 1, 4])
#: Days in a school term on a calendar scale (a year is three terms).
_DAYS_PER_TERM = 365.2425 / 3

_INCLUSION_COLUMNS = ("learner_id", "period_start", "period_end", "subject", "core",
                      "minutes_mainstream", "minutes_timetabled")
_SHARE_COLUMNS = ("learner_id", "period", "period_start", "period_end", "term_index",
                  "minutes_mainstream", "minutes_timetabled", "inclusion_share",
                  "core_minutes_mainstream", "core_minutes_timetabled",
                  "core_inclusion_share")
_GROUP_COLUMNS = ("srb_id", "phase", "primary_need", "sex", "fsm", "statutory_plan",
                  "home_authority")


# --------------------------------------------------------------------------- checks


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    """Raise ValueError naming the parameter ``name`` and what it allows unless ``ok``."""
    check_argument(ok, name, allowed, got, error=ValueError)


def _check_frame(df: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    _check(isinstance(df, pd.DataFrame), name, "a pandas DataFrame", type(df).__name__)
    missing = [c for c in columns if c not in df.columns]  # type: ignore[union-attr]
    _check(not missing, name, "a table with columns " + ", ".join(columns),
           f"a table without {', '.join(missing)}")
    return df  # type: ignore[return-value]


def _check_share(value: object, name: str) -> float:
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and 0 < float(value) <= 1)
    _check(ok, name, "a share above 0 and at most 1 (0.5 = 50%)", value)
    return float(value)  # type: ignore[arg-type]


def _check_int(value: object, name: str, low: int) -> int:
    ok = (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
          and value >= low)
    _check(ok, name, f"a whole number of {low} or more", value)
    return int(value)  # type: ignore[arg-type]


def _check_period(period: object) -> str:
    _check(period in PERIODS, "period", "one of " + ", ".join(map(repr, PERIODS)), period)
    return period  # type: ignore[return-value]


def _check_by(by: object, allowed: Sequence[str], name: str = "by") -> list[str]:
    cols = [by] if isinstance(by, str) else by
    ok = isinstance(cols, (list, tuple)) and all(c in allowed for c in cols) and len(
        set(cols)) == len(cols)
    _check(ok, name, "a list of distinct column names from " + ", ".join(allowed)
           + " (or an empty list for one overall row)", by)
    return list(cols)  # type: ignore[arg-type]


def _check_thresholds(thresholds: object) -> list[float]:
    ok = isinstance(thresholds, (list, tuple)) and len(thresholds) > 0
    _check(ok, "thresholds", "a non-empty list of shares above 0 and at most 1", thresholds)
    out = [_check_share(t, "thresholds") for t in thresholds]  # type: ignore[union-attr]
    names = [threshold_column(t) for t in out]
    _check(len(set(names)) == len(names), "thresholds", "distinct shares", thresholds)
    return out


def _check_core_subjects(core_subjects: object) -> list[str] | None:
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


# --------------------------------------------------------------------------- helpers


def _normalise_text(values: pd.Index | pd.Series) -> pd.Series:
    """Case-folded text with surrounding spaces removed and inner spaces collapsed."""
    s = pd.Series(np.asarray(values, dtype=object)).astype("str")
    return s.str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def _days(values: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """Dates as whole days since 1970-01-01 (float, NaN where missing)."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind == "M":  # plain datetime64: no copy
        v = np.asarray(values)
        out = v.astype("datetime64[D]").astype("int64").astype(float)
        out[np.isnat(v)] = np.nan
        return out
    d = pd.to_datetime(pd.Series(values)).astype("datetime64[ns]")
    out = d.to_numpy().astype("datetime64[D]").astype("int64").astype(float)
    out[d.isna().to_numpy()] = np.nan
    return out


def _arrow_text(values: object) -> pa.ChunkedArray | None:
    """The Arrow array behind a pandas ``str`` Series / Index / array, else None."""
    arr = values.array if isinstance(values, (pd.Series, pd.Index)) else values
    if isinstance(arr, pd.arrays.ArrowStringArray):
        return arr.__arrow_array__()
    return None


def _take_text(values: pd.Series | pd.Index | np.ndarray, pos: np.ndarray):
    """``values[pos]`` as a ``str`` array, missing where ``pos < 0``.

    The same values as ``pd.array(np.asarray(values, dtype=object)[pos], dtype="str")``
    (None where pos < 0), without a round trip through Python objects when ``values`` is
    already Arrow text."""
    pos = np.asarray(pos, dtype=np.int64)
    ca = _arrow_text(values)
    if ca is not None:
        idx = pa.array(pos, mask=pos < 0) if (pos < 0).any() else pa.array(pos)
        return pd.array(ca.take(idx), dtype="str")
    obj = np.asarray(values, dtype=object)
    out = np.full(len(pos), None, dtype=object)
    ok = pos >= 0
    out[ok] = obj[pos[ok]]
    return pd.array(out, dtype="str")


def _take_raw(values: pd.Series | pd.Index, pos: np.ndarray):
    """``values.to_numpy()[pos]`` (``pos`` >= 0), as a ``str`` array for Arrow text."""
    if _arrow_text(values) is not None:
        return _take_text(values, pos)
    return np.asarray(values.to_numpy())[np.asarray(pos, dtype=np.int64)]


#: Codes of large Arrow text columns already made, by (kind, id of the Arrow array). An
#: Arrow array never changes, and an entry lives only as long as its array (a weak
#: reference): a report codes the same columns several times (the inclusion table's
#: learner ids in each year's outcomes, the records' subjects in each subject table).
_CODES: dict[tuple[str, int], tuple[weakref.ref, np.ndarray, pd.Index]] = {}
_CODES_KEEP = 6
_CODES_MIN_ROWS = 1_000_000


def _remember(kind: str, ca: pa.ChunkedArray, codes: np.ndarray, uniq: pd.Index) -> None:
    if len(ca) < _CODES_MIN_ROWS:
        return
    key = (kind, id(ca))
    codes = np.asarray(codes, dtype=np.int64)
    codes.flags.writeable = False

    def forget(ref: weakref.ref, key: tuple[str, int] = key) -> None:
        entry = _CODES.get(key)
        if entry is not None and entry[0] is ref:
            del _CODES[key]

    _CODES[key] = (weakref.ref(ca, forget), codes, uniq)
    while len(_CODES) > _CODES_KEEP:
        del _CODES[next(iter(_CODES))]


def _recall(kind: str, ca: pa.ChunkedArray | None) -> tuple[np.ndarray, pd.Index] | None:
    hit = _CODES.get((kind, id(ca))) if ca is not None else None
    if hit is None or hit[0]() is not ca:
        return None
    return hit[1], hit[2]


def _remember_dense(kind: str, values: pd.Series, codes: np.ndarray, uniq: pd.Index
                    ) -> None:
    """Remember ``values``' codes given as positions in ``uniq`` (sorted; -1 missing),
    renumbered over the values present: exactly ``pd.factorize(values, sort=True)``."""
    ca = _arrow_text(values)
    if ca is None:
        return
    ok = codes >= 0
    every = bool(ok.all())
    used = np.zeros(len(uniq), dtype=bool)
    used[codes if every else codes[ok]] = True
    renumber = np.cumsum(used) - 1
    dense = renumber[codes] if every else np.where(ok, renumber[np.maximum(codes, 0)], -1)
    _remember(kind, ca, dense, uniq[used])


def _subject_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values)`` of the subject column (remembered for Arrow text)."""
    ca = _arrow_text(values)
    hit = _recall("factorize", ca)
    if hit is not None:
        return hit
    codes, uniq = pd.factorize(values)
    codes = np.asarray(codes, dtype=np.int64)
    if ca is not None:
        _remember("factorize", ca, codes, uniq)
    return codes, uniq


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=True)``: codes (-1 missing) and sorted uniques."""
    ca = _arrow_text(values)
    hit = _recall("sorted", ca)
    if hit is not None:
        return hit
    codes, uniq = _sorted_codes_of(values, ca)
    if ca is not None:
        _remember("sorted", ca, codes, uniq)
    return codes, uniq


def _sorted_codes_of(values: pd.Series, ca: pa.ChunkedArray | None
                     ) -> tuple[np.ndarray, pd.Index]:
    """Text already in order (an inclusion table sorted by learner) is coded from where
    neighbouring values differ, without hashing; anything else is factorized."""
    n = len(values)
    if ca is not None and n > 1 and ca.null_count == 0:
        a, b = ca[:-1], ca[1:]
        if not pc.any(pc.less(b, a)).as_py():
            change = np.empty(n, dtype=bool)
            change[0] = True
            change[1:] = pc.not_equal(b, a).to_numpy(zero_copy_only=False)
            codes = np.cumsum(change, dtype=np.int64) - 1
            uniq = pd.Index(pd.array(ca.take(pa.array(np.flatnonzero(change))), dtype="str"))
            return codes, uniq
    codes, uniq = pd.factorize(values, sort=True)
    return codes.astype(np.int64, copy=False), pd.Index(uniq)


def _from_days(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[ns]")


def _core_flags(inclusion: pd.DataFrame, core_subjects: list[str] | None) -> np.ndarray:
    """Which rows are core subjects (the table's flag, or the subject names given)."""
    if core_subjects is None:
        return inclusion["core"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    codes, uniques = pd.factorize(inclusion["subject"])
    wanted = set(_normalise_text(pd.Index(core_subjects)))
    is_core = _normalise_text(uniques).isin(wanted).to_numpy()
    return np.where(codes >= 0, is_core[np.maximum(codes, 0)], False)


def _period_of_dates(dates: pd.Series, period: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Each date's period key, and one row per key: period, period_start, period_end,
    term_index. Computed on the unique dates only (there are few)."""
    d = pd.to_datetime(dates).astype("datetime64[ns]")
    v = d.to_numpy()
    if len(v) > 1 and v.dtype == "datetime64[ns]":
        # neighbouring records mostly share a date: hash one date per run of equal dates
        change = np.empty(len(v), dtype=bool)
        change[0] = True
        np.not_equal(v[1:], v[:-1], out=change[1:])
        first = np.flatnonzero(change)
        run_codes, uniques = pd.factorize(v[first])
        codes = np.repeat(run_codes, np.diff(np.r_[first, len(v)]))
    else:
        codes, uniques = pd.factorize(d)
    u = pd.DatetimeIndex(uniques).normalize()
    year, month = u.year.to_numpy(), u.month.to_numpy()
    sy = year - (month < 9)
    if period == "school_year":
        key = sy.astype("int64")
    elif period == "term":
        key = sy * 3 + _TERM_OF_MONTH[month]
    elif period == "half_term":
        key = sy * 6 + _HALF_OF_MONTH[month]
    else:  # week: the Monday's day number
        key = _days(u) - u.day_of_week.to_numpy()
    key = np.asarray(key, dtype="int64")
    row_key = np.where(codes >= 0, key[np.maximum(codes, 0)], np.iinfo("int64").min)
    return row_key, _period_table(np.unique(key), period)


def _period_table(keys: np.ndarray, period: str) -> pd.DataFrame:
    """Label, calendar bounds and position (in terms) of each period key."""
    keys = np.asarray(keys, dtype="int64")
    if period == "week":
        start = _from_days(keys)
        end = _from_days(keys + 6)
        iso = pd.DatetimeIndex(start).isocalendar()
        label = (iso["year"].astype("str") + "-W"
                 + iso["week"].astype("str").str.zfill(2)).to_numpy(dtype=object)
        sept = _days(pd.Index([pd.Timestamp("2000-09-01")]))[0]
        term_index = 3 * 2000 + (keys - sept) / _DAYS_PER_TERM
    else:
        per_year = {"school_year": 1, "term": 3, "half_term": 6}[period]
        sy, k = np.divmod(keys, per_year)
        sy_label = pd.Series(sy).astype("str") + "/" + pd.Series(
            (sy + 1) % 100).astype("str").str.zfill(2)
        if period == "school_year":
            label = sy_label
            first_month, next_first = np.full(len(keys), 9), np.full(len(keys), 9)
            start_year, end_year = sy, sy + 1
            term_index = sy * 3.0
        else:
            names = _TERMS if period == "term" else _HALF_NAMES
            months = _TERM_START_MONTH if period == "term" else _HALF_START_MONTH
            label = sy_label + " " + pd.Series(np.asarray(names, dtype=object)[k])
            first_month = months[k]
            next_first = months[(k + 1) % per_year]
            start_year = sy + (first_month < 9)
            end_year = sy + (next_first < 9) + (k + 1 == per_year)
            term_index = sy * 3.0 + k * (3.0 / per_year)
        start = _month_starts(start_year, first_month)
        end = _month_starts(end_year, next_first) - np.timedelta64(1, "D")
        label = label.to_numpy(dtype=object)
    return pd.DataFrame({"key": keys, "period": pd.array(label, dtype="str"),
                         "period_start": start.astype("datetime64[ns]"),
                         "period_end": np.asarray(end).astype("datetime64[ns]"),
                         "term_index": np.asarray(term_index, dtype=float)})


def _month_starts(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    ym = (np.asarray(year, dtype="int64") - 1970) * 12 + np.asarray(month, dtype="int64") - 1
    return ym.astype("datetime64[M]").astype("datetime64[D]")


def _empty_shares() -> pd.DataFrame:
    return pd.DataFrame({
        "learner_id": pd.array([], dtype="str"), "period": pd.array([], dtype="str"),
        "period_start": pd.to_datetime(pd.Series([], dtype="datetime64[ns]")),
        "period_end": pd.to_datetime(pd.Series([], dtype="datetime64[ns]")),
        **{c: pd.Series([], dtype=float) for c in _SHARE_COLUMNS[4:]}})


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _at_or_above(share: np.ndarray, threshold: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return share >= threshold - _EPS


# --------------------------------------------------------------------------- shares


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
          Differences are in terms; :func:`learner_trends` uses it for its slope.
        - ``minutes_mainstream``, ``minutes_timetabled``: sums over the learner's records
          in the period.
        - ``inclusion_share``: ``minutes_mainstream / minutes_timetabled`` (0 to 1); NaN
          where nothing was timetabled ("no data", never 0%).
        - ``core_minutes_mainstream``, ``core_minutes_timetabled``,
          ``core_inclusion_share``: the same over core subjects only (NaN share where no
          core minutes were timetabled).

    Notes
    -----
    The share is the ratio of sums (DESIGN.md section 3), so subjects and records
    weigh by their timetabled minutes:

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
    .. [1] srb-eval DESIGN.md, section 3 (Inclusion).
    .. [2] ISO 8601 week dates.

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
    _check_frame(inclusion, "inclusion", _INCLUSION_COLUMNS)
    period = _check_period(period)
    core_list = _check_core_subjects(core_subjects)
    return _learner_shares(inclusion, period, core_list)[0]


def _learner_shares(inclusion: pd.DataFrame, period: str, core_list: list[str] | None,
                    learners: tuple[np.ndarray, pd.Index] | None = None
                    ) -> tuple[pd.DataFrame, np.ndarray, pd.Index]:
    """:func:`learner_shares`, with each row's learner code and the sorted learner ids.

    ``learners``: the table's ``pd.factorize(learner_id, sort=True)`` if already known."""
    if len(inclusion) == 0:
        return _empty_shares(), np.zeros(0, dtype=np.int64), pd.Index([], dtype="str")
    mm = pd.to_numeric(inclusion["minutes_mainstream"]).to_numpy(dtype=float, na_value=np.nan)
    mt = pd.to_numeric(inclusion["minutes_timetabled"]).to_numpy(dtype=float, na_value=np.nan)
    core = _core_flags(inclusion, core_list)
    lcode, lids = learners if learners is not None else _sorted_codes(inclusion["learner_id"])
    lcode = np.asarray(lcode, dtype=np.int64)
    start = pd.to_datetime(inclusion["period_start"]).astype("datetime64[ns]")
    sv = start.to_numpy()
    nrows = len(sv)
    # runs of records with the same learner and period_start (a term's subjects): the
    # period and the group are found once per run
    change = np.empty(nrows, dtype=bool)
    change[0] = True
    np.not_equal(lcode[1:], lcode[:-1], out=change[1:])
    change[1:] |= sv[1:] != sv[:-1]
    first = np.flatnonzero(change)
    rkey, ptable = _period_of_dates(start.iloc[first], period)
    none = np.iinfo("int64").min
    rows_ok = ~np.isnan(mm) & ~np.isnan(mt)
    if rows_ok.all() and (lcode[first] >= 0).all() and (rkey != none).all():
        valid = None  # every record counts
        del change
        kmin = ptable["key"].min()
        span = int(ptable["key"].max() - kmin + 1)
        group_key = lcode[first] * span + (rkey - kmin)
        gcode, uniq = _ranked(group_key)
        codes = np.repeat(gcode, np.diff(np.r_[first, nrows]))
    else:
        pkey = rkey[np.cumsum(change) - 1]
        valid = rows_ok & (lcode >= 0) & (pkey != none)
        if not valid.any():
            return _empty_shares(), np.zeros(0, dtype=np.int64), lids
        kmin = ptable["key"].min()
        span = int(ptable["key"].max() - kmin + 1)
        codes, uniq = _ranked(lcode[valid] * span + (pkey[valid] - kmin))
    n = len(uniq)
    if valid is not None:
        mm, mt, core = mm[valid], mt[valid], core[valid]
    sums = {
        "minutes_mainstream": np.bincount(codes, weights=mm, minlength=n),
        "minutes_timetabled": np.bincount(codes, weights=mt, minlength=n),
        "core_minutes_mainstream": np.bincount(codes, weights=np.where(core, mm, 0.0),
                                               minlength=n),
        "core_minutes_timetabled": np.bincount(codes, weights=np.where(core, mt, 0.0),
                                               minlength=n),
    }
    out_l, out_k = np.divmod(uniq, span)
    prow = np.searchsorted(ptable["key"].to_numpy(), out_k + kmin)
    shares = pd.DataFrame({
        "learner_id": _take_text(lids, out_l),
        "period": _take_text(ptable["period"], prow),
        "period_start": ptable["period_start"].to_numpy()[prow],
        "period_end": ptable["period_end"].to_numpy()[prow],
        "term_index": ptable["term_index"].to_numpy()[prow],
        "minutes_mainstream": sums["minutes_mainstream"],
        "minutes_timetabled": sums["minutes_timetabled"],
        "inclusion_share": _ratio(sums["minutes_mainstream"], sums["minutes_timetabled"]),
        "core_minutes_mainstream": sums["core_minutes_mainstream"],
        "core_minutes_timetabled": sums["core_minutes_timetabled"],
        "core_inclusion_share": _ratio(sums["core_minutes_mainstream"],
                                       sums["core_minutes_timetabled"]),
    })
    return shares, out_l.astype(np.int64), lids


def _ranked(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes numbering ``values`` in sorted order, and the sorted distinct values."""
    if len(values) > 1 and bool((values[1:] >= values[:-1]).all()):
        # already in order: number where neighbours differ
        change = np.r_[True, values[1:] != values[:-1]]
        return np.cumsum(change) - 1, values[change]
    codes, uniq = pd.factorize(values)
    order = np.argsort(uniq, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], uniq[order]


def in_window(df: pd.DataFrame, *, start: object = None, end: object = None,
              column: str = "period_start") -> pd.DataFrame:
    """Rows whose ``column`` date falls in ``[start, end]`` (either bound optional).

    Parameters
    ----------
    df : DataFrame
    start, end : None, str ``"YYYY-MM-DD"`` or Timestamp
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
    >>> len(in_window(d, start="2024-01-01")), len(in_window(d))
    (1, 2)
    """
    _check_frame(df, "df", [column])
    lo, hi = _as_date(start, "start"), _as_date(end, "end")
    if lo is not None and hi is not None:
        _check(lo <= hi, "end", f"on or after start ({lo.date()})", end)
    keep = pd.Series(True, index=df.index)
    d = pd.to_datetime(df[column])
    if lo is not None:
        keep &= (d >= lo).fillna(False)
    if hi is not None:
        keep &= (d <= hi).fillna(False)
    return df.loc[keep.to_numpy()].reset_index(drop=True)


def _as_date(value: object, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, str):
        _check(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) is not None, name,
               "None or a date written YYYY-MM-DD", value)
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = None
    _check(ts is not None and not pd.isna(ts), name, "None or a date written YYYY-MM-DD",
           value)
    return ts.normalize()  # type: ignore[union-attr]


def _placement_days(placements: pd.DataFrame) -> tuple[np.ndarray, pd.Index, np.ndarray,
                                                         np.ndarray]:
    """Placements' learner codes (missing ids coded too), the learner ids, and start and
    end dates in days."""
    codes, uniq = pd.factorize(placements["learner_id"], use_na_sentinel=False)
    return (codes.astype(np.int64, copy=False), pd.Index(uniq),
            _days(placements["start_date"]), _days(placements["end_date"]))


def _learner_index(ids: pd.Index, puniq: pd.Index) -> np.ndarray:
    """For each of ``ids``, its position in the placements' learner ids (-1 if absent)."""
    if len(ids) == 0 or len(puniq) == 0:
        return np.full(len(ids), -1, dtype=np.int64)
    return np.asarray(puniq.get_indexer(ids), dtype=np.int64)


def _overlap_pos(lp: np.ndarray, s: np.ndarray, e: np.ndarray, pcode: np.ndarray,
                 ps: np.ndarray, pe: np.ndarray) -> np.ndarray:
    """For each row (learner code ``lp`` among the placements', -1 for none; start and end
    ``s``, ``e`` in days), the row number of the placement overlapping it for the most
    days (ties: the later-starting placement, then the first listed); -1 if none does.

    An interval join on integer learner codes: each row is paired with every placement
    of its learner (a handful), then the best pair is kept."""
    n = len(lp)
    out = np.full(n, -1, dtype=np.int64)
    pidx = np.flatnonzero(~np.isnan(ps))
    if n == 0 or len(pidx) == 0:
        return out
    pc_ = pcode[pidx]
    order = np.argsort(pc_, kind="stable")
    pidx = pidx[order]
    n_codes = int(pcode.max()) + 1
    counts = np.bincount(pc_, minlength=n_codes)
    first = np.cumsum(counts) - counts
    has = lp >= 0
    k = np.where(has, counts[np.where(has, lp, 0)], 0)
    # a learner with one placement (most): the row takes it if they overlap at all
    one = np.flatnonzero(k == 1)
    if len(one):
        pp = pidx[first[lp[one]]]
        pe_ = pe[pp]
        pe_ = np.where(np.isnan(pe_), np.inf, pe_)
        overlap = np.minimum(e[one], pe_) - np.maximum(s[one], ps[pp]) + 1
        out[one] = np.where(overlap > 0, pp, -1)
    # several placements: every pair of row and placement, then the best of each row
    rows = np.flatnonzero(k > 1)
    k = k[rows]
    total = int(k.sum())
    if total == 0:
        return out
    rr = np.repeat(rows, k)
    offs = np.arange(total) - np.repeat(np.cumsum(k) - k, k)
    pp = pidx[first[lp[rr]] + offs]
    pe_ = pe[pp]
    pe_ = np.where(np.isnan(pe_), np.inf, pe_)
    hi = np.minimum(e[rr], pe_)
    lo = np.maximum(s[rr], ps[pp])
    overlap = hi - lo + 1
    good = overlap > 0
    rr, pp, overlap = rr[good], pp[good], overlap[good]
    if len(rr) == 0:
        return out
    o = np.lexsort((pp, -ps[pp], -overlap, rr))
    rr, pp = rr[o], pp[o]
    best = np.r_[True, rr[1:] != rr[:-1]]
    out[rr[best]] = pp[best]
    return out


def _attach_pos(learner_id: pd.Series, start: pd.Series, end: pd.Series,
                placements: pd.DataFrame) -> np.ndarray:
    """Row number in ``placements`` of the placement of each (learner, start, end)."""
    n = len(learner_id)
    if n == 0 or len(placements) == 0:
        return np.full(n, -1, dtype=np.int64)
    pcode, puniq, ps, pe = _placement_days(placements)
    codes, uniq = pd.factorize(learner_id, use_na_sentinel=False)
    lp = _learner_index(pd.Index(uniq), puniq)[codes]
    return _overlap_pos(lp, _days(start), _days(end), pcode, ps, pe)


def _overlap_srb(learner_id: pd.Series, start: pd.Series, end: pd.Series,
                 placements: pd.DataFrame) -> np.ndarray:
    """For each (learner, start, end) row, the srb_id of the placement overlapping it
    for the most days (ties: the later-starting placement); missing if none does."""
    pos = _attach_pos(learner_id, start, end, placements)
    out = np.full(len(pos), None, dtype=object)
    ok = pos >= 0
    if ok.any():
        out[ok] = placements["srb_id"].to_numpy(dtype=object)[pos[ok]]
    return out


def attach_srb(shares: pd.DataFrame, placements: pd.DataFrame) -> pd.DataFrame:
    """Add ``srb_id``: the resource base each learner was placed in during each period.

    Parameters
    ----------
    shares : DataFrame
        From :func:`learner_shares` (needs learner_id, period_start, period_end); any
        table with those columns works, for example the ``inclusion`` table itself.
    placements : DataFrame
        The ``placements`` table (learner_id, srb_id, start_date, end_date; an empty
        end_date means still placed).

    Returns
    -------
    DataFrame
        A copy of ``shares`` with ``srb_id`` (replaced if present): the SRB of the
        placement that overlaps the period ``[period_start, period_end]`` for the most
        days. Missing where no placement of the learner overlaps the period (records
        before a placement started or after it ended).

    Notes
    -----
    A learner who moved from one SRB to another is attributed, period by period, to
    the SRB they were in: a term is attributed to the placement covering more of its
    calendar days; on a tie (for example a move exactly half way) to the placement that
    started later. Dates are inclusive. Vectorised as an interval join: a merge on
    learner_id (each learner has a handful of placements) and an overlap computed in
    whole days.

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1", "L1"],
    ...     "period_start": pd.to_datetime(["2023-04-01", "2023-09-01"]),
    ...     "period_end": pd.to_datetime(["2023-08-31", "2023-12-31"])})
    >>> pl = pd.DataFrame({"learner_id": ["L1", "L1"], "srb_id": ["A", "B"],
    ...     "start_date": pd.to_datetime(["2021-09-01", "2023-09-04"]),
    ...     "end_date": pd.to_datetime(["2023-07-20", None])})
    >>> attach_srb(sh, pl)["srb_id"].tolist()
    ['A', 'B']
    """
    _check_frame(shares, "shares", ["learner_id", "period_start", "period_end"])
    _check_frame(placements, "placements", ["learner_id", "srb_id", "start_date",
                                            "end_date"])
    out = shares.copy()
    pos = _attach_pos(shares["learner_id"], shares["period_start"], shares["period_end"],
                      placements)
    out["srb_id"] = _take_text(placements["srb_id"], pos)
    return out


def _shares_with_srb(inclusion: pd.DataFrame, placements: pd.DataFrame, *,
                     period: str = "term") -> pd.DataFrame:
    """``attach_srb(learner_shares(inclusion, period=period), placements)``, joining on
    the learner codes learner_shares already made."""
    _check_frame(inclusion, "inclusion", _INCLUSION_COLUMNS)
    period = _check_period(period)
    shares, row_learner, lids = _learner_shares(inclusion, period, None)
    _check_frame(placements, "placements", ["learner_id", "srb_id", "start_date",
                                            "end_date"])
    out = shares.copy()
    if len(shares) == 0 or len(placements) == 0:
        out["srb_id"] = _take_text(placements["srb_id"], np.full(len(shares), -1))
        return out
    pcode, puniq, ps, pe = _placement_days(placements)
    lp = _learner_index(lids, puniq)[row_learner]
    pos = _overlap_pos(lp, _days(shares["period_start"]), _days(shares["period_end"]),
                       pcode, ps, pe)
    out["srb_id"] = _take_text(placements["srb_id"], pos)
    return out


# --------------------------------------------------------------------------- trends


def _sorted_by_learner(shares: pd.DataFrame, value: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows with a non-missing ``value``, sorted by learner and term_index, and the
    learner code of each row."""
    v = pd.to_numeric(shares[value]).to_numpy(dtype=float, na_value=np.nan)
    d = shares.loc[~np.isnan(v)]
    codes, _ = _sorted_codes(d["learner_id"])
    order = np.lexsort((d["term_index"].to_numpy(dtype=float), codes))
    return d.iloc[order].reset_index(drop=True), codes[order]


def _theil_sen(x: np.ndarray, y: np.ndarray, group: np.ndarray, n_groups: int,
               eligible: np.ndarray) -> np.ndarray:
    """Median of pairwise slopes within each ``eligible`` group (pairs of equal x left
    out), NaN for the other groups and those without a pair of distinct x: the estimator
    of the progress slopes, :func:`srb_eval.progress.group_theil_sen`."""
    slope = np.full(n_groups, np.nan)
    rows = np.flatnonzero(eligible[group]) if len(group) else np.array([], dtype=np.intp)
    if len(rows):
        ts = group_theil_sen(np.asarray(group[rows], dtype=np.int64),
                             np.asarray(x[rows], dtype=float), np.asarray(y[rows], dtype=float))
        slope[ts.index.to_numpy(dtype=np.int64)] = ts.to_numpy()
    return slope


def learner_trends(shares: pd.DataFrame, *, tolerance: float = 0.05,
                   min_periods: int = 2) -> pd.DataFrame:
    """Each learner's inclusion trend: first and latest share, Theil-Sen slope, a word.

    Parameters
    ----------
    shares : DataFrame
        From :func:`learner_shares` (one row per learner and period; needs learner_id,
        period, term_index, inclusion_share). If it has ``srb_id`` (from
        :func:`attach_srb`) the result carries the SRB of the learner's latest period.
    tolerance : float, default 0.05
        How far (as a share, 0.05 = 5 percentage points) the learner's trend line must
        rise or fall between their first and latest period to count as rising or
        falling.
    min_periods : int, default 2
        Fewest periods with a share needed to judge a trend.

    Returns
    -------
    DataFrame
        One row per learner in ``shares``, sorted by learner_id:

        - ``learner_id`` (and ``srb_id`` if ``shares`` has it)
        - ``n_periods``: periods with a share (periods with nothing timetabled are not
          counted)
        - ``first_period``, ``latest_period``, ``first_share``, ``latest_share``
        - ``change``: latest_share - first_share (NaN with fewer than 2 periods: a single
          period is no follow-up, never a zero change)
        - ``slope_per_term``: Theil-Sen slope of the share against ``term_index``, in
          share per school term (NaN below ``min_periods``)
        - ``trend_change``: slope_per_term x terms between the first and latest period,
          the rise of the robust trend line over the learner's record
        - ``trend``: ``"rising"`` if trend_change > tolerance, ``"falling"`` if
          trend_change < -tolerance, ``"steady"`` otherwise, ``"too few terms"`` below
          ``min_periods``.

    Notes
    -----
    Theil-Sen slope (Theil 1950; Sen 1968): the median of the slopes between every pair
    of the learner's periods,

    .. math:: b = \\operatorname{median}_{j<k,\\ t_j \\ne t_k}
              \\frac{s_k - s_j}{t_k - t_j}

    where :math:`t` is ``term_index`` (so the slope is per term whatever the period
    length: weekly data gives the same per-term scale) and :math:`s` the share. It
    agrees with ``scipy.stats.theilslopes`` and is robust to one odd term. The
    classification uses the fitted change over the record,
    :math:`b \\times (t_{\\text{latest}} - t_{\\text{first}})`, compared with
    ``tolerance`` strictly (exactly 5 points is steady) after rounding to 10 decimal
    places (so 0.55 - 0.50 is exactly 0.05). Why not the slope alone: a learner
    followed for three years who gains one point every term (11 points in all) is
    rising, though 0.01 a term is small; why not the raw change: one odd first or
    latest term would decide it.

    Small n: with fewer than ``min_periods`` periods the trend is "too few terms" and
    slope_per_term and trend_change are NaN; with exactly two periods the slope is the
    one pairwise slope and trend_change equals change. Computation: all pairs within
    a learner (k periods give k(k-1)/2 pairs), built with index arithmetic, in chunks;
    term-level data (12 terms in four years) is cheap, years of weekly data per learner
    cost quadratic memory and time.

    References
    ----------
    .. [1] Sen, P. K. (1968). Estimates of the regression coefficient based on
       Kendall's tau. *JASA*, 63(324), 1379-1389. doi:10.1080/01621459.1968.10480934
    .. [2] Theil, H. (1950). A rank-invariant method of linear and polynomial regression
       analysis. *Indagationes Mathematicae*, 12, 85-91.
    .. [3] srb-eval DESIGN.md, section 3 (Inclusion: "Trend: change per term
       (Theil-Sen)").

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1"] * 3 + ["L2"],
    ...     "period": ["a", "b", "c", "a"], "period_start": pd.to_datetime(["2023-09-01",
    ...     "2024-01-01", "2024-04-01", "2023-09-01"]), "term_index": [0.0, 1, 2, 0],
    ...     "inclusion_share": [0.2, 0.5, 0.4, 0.3]})
    >>> learner_trends(sh)[["learner_id", "slope_per_term", "trend"]].to_dict("list")
    {'learner_id': ['L1', 'L2'], 'slope_per_term': [0.1, nan], 'trend': ['rising', \
'too few terms']}
    """
    _check_frame(shares, "shares", ["learner_id", "period", "term_index", "inclusion_share"])
    ok = (isinstance(tolerance, (int, float, np.integer, np.floating))
          and not isinstance(tolerance, (bool, np.bool_)) and 0 <= float(tolerance) < 1)
    _check(ok, "tolerance", "a share from 0 up to (not including) 1, e.g. 0.05", tolerance)
    min_periods = _check_int(min_periods, "min_periods", 2)
    lc_all, luniq = _sorted_codes(shares["learner_id"])
    pcode, _ = pd.factorize(shares["period"], use_na_sentinel=False)
    if len(shares):
        # shares.duplicated(["learner_id", "period"]) on integer codes (missing ids too)
        lk = np.where(lc_all >= 0, lc_all, len(luniq))
        dup = pd.Series(lk * (int(pcode.max()) + 1) + pcode).duplicated().to_numpy()
        if dup.any():
            first = shares.loc[dup, ["learner_id", "period"]].iloc[0]
            _check(False, "shares", "one row per learner and period (as from "
                   "learner_shares)", f"more than one row for {first['learner_id']} in "
                   f"{first['period']}")
    all_ids = luniq
    v = pd.to_numeric(shares["inclusion_share"]).to_numpy(dtype=float, na_value=np.nan)
    rows = np.flatnonzero(~np.isnan(v))
    lc = lc_all[rows]
    tix = shares["term_index"].to_numpy(dtype=float)
    order = np.lexsort((tix[rows], lc))
    rows, lc = rows[order], lc[order]
    _check(not (len(lc) and lc[0] < 0), "shares", "a learner_id in every row with a share",
           "a missing learner_id")
    present = np.unique(lc)  # sorted learner codes with a share
    code = np.searchsorted(present, lc)
    g = len(present)
    n_periods = np.bincount(code, minlength=g)
    starts = (np.cumsum(n_periods) - n_periods).astype(int)
    lasts = starts + n_periods - 1
    x = tix[rows]
    y = v[rows]
    slope = _theil_sen(x, y, code, g, n_periods >= min_periods)
    span = x[lasts] - x[starts] if g else np.array([])
    trend_change = slope * span
    rounded = np.round(trend_change, 10)
    word = np.select([n_periods < min_periods, rounded > tolerance, rounded < -tolerance],
                     [0, 1, 2], 3) if g else np.zeros(0, dtype=np.int64)
    change = np.where(n_periods >= 2, y[lasts] - y[starts], np.nan) if g else np.array([])
    res = pd.DataFrame({
        "learner_id": _take_raw(all_ids, present),
        "n_periods": n_periods.astype("int64"),
        "first_period": _take_raw(shares["period"], rows[starts]),
        "latest_period": _take_raw(shares["period"], rows[lasts]),
        "first_share": y[starts],
        "latest_share": y[lasts],
        "change": change,
        "slope_per_term": slope,
        "trend_change": np.where(n_periods >= min_periods, trend_change, np.nan),
        "trend": _take_text(pd.Index(["too few terms", "rising", "falling", "steady"],
                                     dtype="str"), word),
    })
    if "srb_id" in shares.columns:
        res.insert(1, "srb_id", _take_raw(shares["srb_id"], rows[lasts]))
    missing = all_ids.difference(all_ids[present])
    if len(missing):  # learners whose every period had nothing timetabled
        extra = pd.DataFrame({"learner_id": missing.to_numpy(), "n_periods": 0,
                              "trend": "too few terms"})
        if "srb_id" in res.columns:
            last_srb = (shares.sort_values("term_index", kind="stable")
                        .drop_duplicates("learner_id", keep="last")
                        .set_index("learner_id")["srb_id"])
            extra["srb_id"] = last_srb.reindex(missing).to_numpy()
        res = pd.concat([res, extra], ignore_index=True) if len(res) else extra.reindex(
            columns=res.columns)
        res = res.sort_values("learner_id", kind="stable").reset_index(drop=True)
    res = res.astype({"learner_id": "str", "first_period": "str", "latest_period": "str",
                      "trend": "str", "n_periods": "int64"})
    for c in ("first_share", "latest_share", "change", "slope_per_term", "trend_change"):
        res[c] = res[c].astype(float)
    if "srb_id" in res.columns:
        res["srb_id"] = res["srb_id"].astype("str")
    return res


# --------------------------------------------------------------------------- groups


def _add_groups(frame: pd.DataFrame, by: list[str], learners: pd.DataFrame | None,
                srbs: pd.DataFrame | None) -> pd.DataFrame:
    """Add the grouping columns ``by`` to a learner-level frame (from learners / srbs)."""
    out = frame
    learner_cols = [c for c in by if c not in ("srb_id", "phase") and c not in out.columns]
    if learner_cols:
        _check(learners is not None, "learners", f"the learners table (to group by "
               f"{', '.join(learner_cols)})", learners)
        _check_frame(learners, "learners", ["learner_id", *learner_cols])
        lk = learners[["learner_id", *learner_cols]].drop_duplicates("learner_id")
        out = _left_join(out, lk, "learner_id")
    if "phase" in by and "phase" not in out.columns:
        _check(srbs is not None, "srbs", "the srbs table (to group by phase)", srbs)
        _check_frame(srbs, "srbs", ["srb_id", "phase"])
        out = _left_join(out, srbs[["srb_id", "phase"]].drop_duplicates("srb_id"), "srb_id")
    return out


def _left_join(frame: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    """``frame.merge(right, on=key, how="left")`` for a ``right`` with one row per key
    and no other column in common with ``frame``: a hash lookup and a take per column."""
    if frame.columns.duplicated().any() or right.columns.duplicated().any() or any(
            c in frame.columns for c in right.columns if c != key):
        return frame.merge(right, on=key, how="left")
    pos = positions(frame[key], right[key])
    out = frame.reset_index(drop=True)
    for c in right.columns:
        if c != key:
            out[c] = pd.api.extensions.take(right[c].array, pos, allow_fill=True)
    return out


def _grouped(frame: pd.DataFrame, by: list[str]):
    if by:
        return frame.groupby(by, observed=True, sort=True, dropna=False)
    return frame.groupby(np.zeros(len(frame), dtype=int), sort=False)


def _finish_groups(res: pd.DataFrame, by: list[str], total: pd.DataFrame | None
                   ) -> pd.DataFrame:
    res = res.reset_index(drop=not by)
    if not by:
        return res.reset_index(drop=True)
    if total is not None:
        for c in by:
            res[c] = res[c].astype(object).where(res[c].notna(), "not known").astype("str")
            total[c] = "all"
        res = pd.concat([res, total[res.columns]], ignore_index=True)
    return res


def _latest_or_at(shares: pd.DataFrame, at: str) -> pd.DataFrame:
    """One row per learner: their latest period with a share, or the period ``at``."""
    _check(isinstance(at, str), "at", "'latest' or a period label such as '2024/25 autumn'",
           at)
    has = shares.loc[shares["inclusion_share"].notna().to_numpy()]
    if at == "latest":
        ti = has["term_index"]
        if not (isinstance(ti.dtype, np.dtype) and ti.dtype.kind in "fiu"):
            return (has.sort_values(["learner_id", "term_index"], kind="stable")
                    .drop_duplicates("learner_id", keep="last").reset_index(drop=True))
        # sort_values(["learner_id", "term_index"], kind="stable") and the last row of
        # each learner, on integer learner codes (missing ids last, as one learner)
        codes, _ = _sorted_codes(has["learner_id"])
        codes = np.where(codes < 0, np.iinfo(np.int64).max, codes)
        order = np.lexsort((ti.to_numpy(dtype=float), codes))
        c = codes[order]
        last = np.r_[c[1:] != c[:-1], True] if len(c) else np.zeros(0, dtype=bool)
        return has.iloc[order[last]].reset_index(drop=True)
    labels = pd.unique(shares["period"])
    _check(at in set(labels), "at", "'latest' or a period present in shares (e.g. "
           + ", ".join(map(repr, list(labels[-3:]))) + ")", at)
    return has.loc[(has["period"] == at).to_numpy()].reset_index(drop=True)


def threshold_shares(shares: pd.DataFrame, learners: pd.DataFrame | None = None,
                     srbs: pd.DataFrame | None = None,
                     placements: pd.DataFrame | None = None, *,
                     thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                     core_threshold: float = CORE_EXIT_SHARE,
                     by: Sequence[str] = ("srb_id",), at: str = "latest",
                     total: bool = False) -> pd.DataFrame:
    """How many learners spend at least 50% / 60% of their week (80% of core) in mainstream.

    Parameters
    ----------
    shares : DataFrame
        From :func:`learner_shares`, with or without ``srb_id`` (from
        :func:`attach_srb`; attached here from ``placements`` when absent).
    learners, srbs, placements : DataFrame, optional
        The dataset's tables: ``learners`` for primary_need (and sex, fsm,
        statutory_plan, home_authority), ``srbs`` for phase, ``placements`` to attach
        srb_id. Needed only for the groupings asked for.
    thresholds : list of float, default (0.5, 0.6)
        Shares of all timetabled time (50%: seed 003; 60%: Estyn 2008).
    core_threshold : float, default 0.8
        Share of core-subject time (the exit criterion of seed 000).
    by : list of str, default ("srb_id",)
        Grouping columns from srb_id, phase, primary_need, sex, fsm, statutory_plan,
        home_authority; ``()`` for one overall row.
    at : str, default "latest"
        ``"latest"``: each learner's latest period with a share; or a period label
        (``"2024/25 spring"``) to count the learners with a share in that period.
    total : bool, default False
        Append a row for all groups together (group columns ``"all"``; group columns
        become text and a missing group value reads ``"not known"``).

    Returns
    -------
    DataFrame
        One row per group (observed combinations, sorted), columns: the ``by`` columns;
        ``n`` (learners with a share); for each threshold t ``at_or_above_<t%>`` and
        ``pct_at_or_above_<t%>`` (e.g. ``at_or_above_50``, ``pct_at_or_above_50``);
        ``median_share``; ``core_n`` (learners with core minutes timetabled in that
        period); ``core_at_or_above_<c%>``, ``pct_core_at_or_above_<c%>``;
        ``median_core_share``. Percentages are 0-100 and NaN when the denominator is 0;
        shares 0-1. Numerators and denominators are columns so that
        :func:`srb_eval.report.disclosure.safe_table` can control them.

    Notes
    -----
    .. math:: \\text{pct}_t = 100 \\, \\frac{\\#\\{i : s_i \\ge t\\}}{n}

    "At or above" includes the threshold exactly (120 of 240 minutes is at 50%); the
    comparison allows 1e-9 for floating-point rounding. Each learner counts once, in
    the group (SRB) of the period used; periods outside any placement are left out
    (the learner was not in an SRB then). A learner whose period has no core minutes
    timetabled counts in ``n`` but not in ``core_n``. Medians of an empty group are
    NaN; the report words them and suppresses statistics of groups under its
    disclosure threshold.

    References
    ----------
    .. [1] Seed 003 (about 50% of time in mainstream classes).
    .. [2] Estyn (2008). *Joining in*, paragraph 65 ("as much as 60% of their school
       week").
    .. [3] Seed 000: Monmouthshire County Council (2025). *Specialist Resource Base
       Guidance*, Exit Guidelines ("at least 80% within the core subjects").

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1", "L2", "L3"], "srb_id": ["A", "A", "B"],
    ...     "period": ["p"] * 3, "term_index": [0.0] * 3,
    ...     "inclusion_share": [120 / 240, 0.4, 0.7],
    ...     "core_inclusion_share": [0.8, None, 0.5]})
    >>> t = threshold_shares(sh)
    >>> t[["srb_id", "n", "at_or_above_50", "core_n", "core_at_or_above_80"]].to_dict(
    ...     "list")
    {'srb_id': ['A', 'B'], 'n': [2, 1], 'at_or_above_50': [1, 1], 'core_n': [1, 1], \
'core_at_or_above_80': [1, 0]}
    """
    _check_frame(shares, "shares", ["learner_id", "period", "term_index", "inclusion_share",
                                    "core_inclusion_share"])
    ts = _check_thresholds(list(thresholds) if isinstance(thresholds, tuple)
                           else thresholds)
    core_t = _check_share(core_threshold, "core_threshold")
    cols = _check_by(by, _GROUP_COLUMNS)
    _check(isinstance(total, (bool, np.bool_)), "total", "True or False", total)
    sh = shares
    if "srb_id" not in sh.columns:
        _check(placements is not None, "placements", "the placements table (shares has no "
               "srb_id column)", placements)
        sh = attach_srb(sh, placements)
    sh = sh.loc[sh["srb_id"].notna().to_numpy()]
    latest = _add_groups(_latest_or_at(sh, at), cols, learners, srbs)
    s = latest["inclusion_share"].to_numpy(dtype=float)
    c = pd.to_numeric(latest["core_inclusion_share"]).to_numpy(dtype=float,
                                                               na_value=np.nan)
    work = pd.DataFrame({"_has": ~np.isnan(s), "_share": s, "_core_has": ~np.isnan(c),
                         "_core": c})
    names = [threshold_column(t) for t in ts]
    for t, name in zip(ts, names, strict=True):
        work[name] = _at_or_above(s, t)
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    work[core_name] = _at_or_above(c, core_t)
    for col in cols:
        work[col] = latest[col].to_numpy()

    def summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        grp = _grouped(frame, keys)
        res = pd.DataFrame({"n": grp["_has"].sum()})
        for name in names:
            res[name] = grp[name].sum()
        res["median_share"] = grp["_share"].median()
        res["core_n"] = grp["_core_has"].sum()
        res[core_name] = grp[core_name].sum()
        res["median_core_share"] = grp["_core"].median()
        return res

    if len(work) == 0 and not cols:
        res = pd.DataFrame({"n": [0], **{k: [0] for k in names}, "median_share": [np.nan],
                            "core_n": [0], core_name: [0], "median_core_share": [np.nan]})
    else:
        res = summarise(work, cols)
    tot = summarise(work, []).reset_index(drop=True) if total and cols else None
    if tot is not None and len(tot) == 0:
        tot = pd.DataFrame({"n": [0], **{k: [0] for k in names}, "median_share": [np.nan],
                            "core_n": [0], core_name: [0], "median_core_share": [np.nan]})
    res = _finish_groups(res, cols, tot)
    out = res[cols].copy() if cols else pd.DataFrame(index=res.index)
    out["n"] = res["n"].astype("int64")
    for name in names:
        out[name] = res[name].astype("int64")
        out["pct_" + name] = 100 * _ratio(res[name].to_numpy(float), res["n"].to_numpy(float))
    out["median_share"] = res["median_share"].astype(float)
    out["core_n"] = res["core_n"].astype("int64")
    out[core_name] = res[core_name].astype("int64")
    out["pct_" + core_name] = 100 * _ratio(res[core_name].to_numpy(float),
                                           res["core_n"].to_numpy(float))
    out["median_core_share"] = res["median_core_share"].astype(float)
    return out.reset_index(drop=True)


def trend_counts(trends: pd.DataFrame, learners: pd.DataFrame | None = None,
                 srbs: pd.DataFrame | None = None, *, by: Sequence[str] = ("srb_id",),
                 total: bool = False) -> pd.DataFrame:
    """How many learners' inclusion is rising, steady or falling, by group.

    Parameters
    ----------
    trends : DataFrame
        From :func:`learner_trends` (with ``srb_id`` when grouping by SRB or phase).
    learners, srbs : DataFrame, optional
        For grouping by need (learners) or phase (srbs).
    by : list of str, default ("srb_id",)
        As in :func:`threshold_shares`; ``()`` for one overall row.
    total : bool, default False
        Append an "all" row (see :func:`threshold_shares`).

    Returns
    -------
    DataFrame
        The ``by`` columns; ``n`` (learners); ``rising``, ``steady``, ``falling``,
        ``too_few_terms`` (counts summing to n); ``with_trend`` (n - too_few_terms, the
        denominator of the first three); ``pct_rising``, ``pct_steady``,
        ``pct_falling`` (0-100 of with_trend, NaN when it is 0);
        ``median_first_share``, ``median_latest_share`` (over learners with a trend:
        "the median share moved from 31% to 44%"; NaN when none).

    Notes
    -----
    Counts only; the words come from :func:`learner_trends`. Learners with too few
    terms are reported separately and not in any percentage.

    Examples
    --------
    >>> tr = pd.DataFrame({"learner_id": ["a", "b", "c"], "srb_id": ["A", "A", "A"],
    ...     "first_share": [0.2, 0.5, 0.3], "latest_share": [0.4, 0.5, np.nan],
    ...     "trend": ["rising", "steady", "too few terms"]})
    >>> trend_counts(tr)[["n", "rising", "with_trend", "pct_rising",
    ...                   "median_latest_share"]].to_dict("list")
    {'n': [3], 'rising': [1], 'with_trend': [2], 'pct_rising': [50.0], \
'median_latest_share': [0.45]}
    """
    _check_frame(trends, "trends", ["learner_id", "trend", "first_share", "latest_share"])
    cols = _check_by(by, _GROUP_COLUMNS)
    _check(isinstance(total, (bool, np.bool_)), "total", "True or False", total)
    if any(c in ("srb_id", "phase") for c in cols):
        _check_frame(trends, "trends", ["srb_id"])
    t = _add_groups(trends, cols, learners, srbs)
    word = t["trend"].astype("str").to_numpy()
    judged = word != "too few terms"
    work = pd.DataFrame({
        "_one": 1, "rising": word == "rising", "steady": word == "steady",
        "falling": word == "falling", "too_few_terms": ~judged,
        "_first": np.where(judged, t["first_share"].to_numpy(float), np.nan),
        "_latest": np.where(judged, t["latest_share"].to_numpy(float), np.nan)})
    for col in cols:
        work[col] = t[col].to_numpy()

    def summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        grp = _grouped(frame, keys)
        res = pd.DataFrame({"n": grp["_one"].sum()})
        for w in ("rising", "steady", "falling", "too_few_terms"):
            res[w] = grp[w].sum()
        res["median_first_share"] = grp["_first"].median()
        res["median_latest_share"] = grp["_latest"].median()
        return res

    empty = pd.DataFrame({"n": [0], "rising": [0], "steady": [0], "falling": [0],
                          "too_few_terms": [0], "median_first_share": [np.nan],
                          "median_latest_share": [np.nan]})
    res = empty if (len(work) == 0 and not cols) else summarise(work, cols)
    tot = None
    if total and cols:
        tot = summarise(work, []).reset_index(drop=True) if len(work) else empty.copy()
    res = _finish_groups(res, cols, tot)
    out = res[cols].copy() if cols else pd.DataFrame(index=res.index)
    for c in ("n", "rising", "steady", "falling", "too_few_terms"):
        out[c] = res[c].astype("int64")
    out["with_trend"] = out["n"] - out["too_few_terms"]
    for w in ("rising", "steady", "falling"):
        out["pct_" + w] = 100 * _ratio(out[w].to_numpy(float),
                                       out["with_trend"].to_numpy(float))
    out["median_first_share"] = res["median_first_share"].astype(float)
    out["median_latest_share"] = res["median_latest_share"].astype(float)
    return out.reset_index(drop=True)


def cohort_by_period(shares: pd.DataFrame, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """The cohort's median inclusion share in each period (with quartiles and n).

    Parameters
    ----------
    shares : DataFrame
        From :func:`learner_shares` (with ``srb_id`` to group by SRB, ``phase`` or any
        other column already added to group by it).
    by : list of str, default ()
        Extra grouping columns present in ``shares`` (e.g. ``["phase"]``).

    Returns
    -------
    DataFrame
        One row per group and period, in time order: the ``by`` columns, ``period``,
        ``period_start``, ``term_index``, ``n`` (learners with a share), ``median_share``,
        ``q1_share``, ``q3_share`` (quartiles), ``core_n``, ``median_core_share``.

    Notes
    -----
    Quartiles by linear interpolation between order statistics (``numpy.percentile``'s
    default, Hyndman & Fan 1996 type 7): with n = 1 all three equal the one share; with
    n = 2 the median is their mean. Learners with nothing timetabled in a period are
    not in its n. The learners differ from period to period (joiners and leavers), so
    a change in the median is not the change of any one learner: :func:`learner_trends`
    follows learners.

    References
    ----------
    .. [1] Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages.
       *The American Statistician*, 50(4), 361-365. doi:10.2307/2684934

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["a", "b", "a"], "period": ["p1", "p1", "p2"],
    ...     "period_start": pd.to_datetime(["2023-09-01"] * 2 + ["2024-01-01"]),
    ...     "term_index": [0.0, 0, 1], "inclusion_share": [0.2, 0.4, 0.5],
    ...     "core_inclusion_share": [0.1, None, 0.5]})
    >>> cohort_by_period(sh)[["period", "n", "median_share", "q1_share"]].to_dict("list")
    {'period': ['p1', 'p2'], 'n': [2, 1], 'median_share': [0.30000000000000004, 0.5], \
'q1_share': [0.25, 0.5]}
    """
    _check_frame(shares, "shares", ["period", "period_start", "term_index",
                                    "inclusion_share", "core_inclusion_share"])
    cols = _check_by(by, [c for c in shares.columns if c not in ("period", "term_index")])
    keys = [*cols, "term_index"]
    d = shares[[*keys, "period", "period_start", "inclusion_share", "core_inclusion_share"]]
    g = d.groupby(keys, observed=True, sort=True, dropna=False)
    s = g["inclusion_share"]
    res = pd.DataFrame({"period": g["period"].first(), "period_start": g["period_start"].min(),
                        "n": s.count().astype("int64"), "median_share": s.median(),
                        "q1_share": s.quantile(0.25), "q3_share": s.quantile(0.75),
                        "core_n": g["core_inclusion_share"].count().astype("int64"),
                        "median_core_share": g["core_inclusion_share"].median()})
    res = res.reset_index()
    return res[[*cols, "period", "period_start", "term_index", "n", "median_share",
                "q1_share", "q3_share", "core_n", "median_core_share"]]


# --------------------------------------------------------------------------- exit review


def exit_review(shares: pd.DataFrame, placements: pd.DataFrame, *,
                core_threshold: float = CORE_EXIT_SHARE, sustained_periods: int = 2,
                as_of: object = None) -> pd.DataFrame:
    """Learners who meet the exit criterion (80% of core time in mainstream) yet stay.

    Parameters
    ----------
    shares : DataFrame
        From :func:`learner_shares` (needs learner_id, period, period_start,
        period_end, term_index, core_inclusion_share).
    placements : DataFrame
        The ``placements`` table.
    core_threshold : float, default 0.8
        Share of core-subject time in mainstream that meets the criterion (seed 000).
    sustained_periods : int, default 2
        Fewest successive periods at or above the threshold, ending with the learner's
        latest period, to be listed.
    as_of : None, str ``"YYYY-MM-DD"`` or Timestamp
        The date at which "still placed" is judged. ``None`` (default): the latest
        ``period_end`` in ``shares`` (the end of the data, so the result does not
        depend on the day it is run).

    Returns
    -------
    DataFrame
        One row per listed learner, most periods first (then met_since, learner_id):
        ``learner_id``; ``srb_id`` (of the placement open at as_of); ``periods_met``
        (length of the current run); ``met_since`` (period_start of the run's first
        period); ``latest_period``; ``latest_core_share``.

    Notes
    -----
    For each learner the periods with a core share (core minutes timetabled) are taken
    in time order; "successive" means successive periods *the learner has core data
    for*: a gap (a term with no records, or with no core minutes timetabled) neither
    breaks nor extends a run. The current run is the run of periods with
    core_inclusion_share >= core_threshold (1e-9 allowed for rounding) that ends with
    the learner's latest such period; it is listed when its length is at least
    ``sustained_periods`` and the learner has a placement open at ``as_of``
    (start_date <= as_of and end_date empty or after as_of). A learner whose latest
    period fell below the threshold is not listed, however long they met it before.

    Vectorised: runs are found with a cumulative sum over "the learner or the met/not
    met state changed", then the last row of each learner is read.

    References
    ----------
    .. [1] Seed 000: Monmouthshire County Council (2025). *Specialist Resource Base
       Guidance*, Exit Guidelines ("Mainstream inclusion has already occurred for at
       least 80% within the core subjects").
    .. [2] Estyn (2008). *Joining in*, paragraph 76 ("very few have clear exit criteria
       ... As a result, pupils can stay too long in the resource base").

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1"] * 3, "period": ["a", "b", "c"],
    ...     "period_start": pd.to_datetime(["2023-09-01", "2024-01-01", "2024-04-01"]),
    ...     "period_end": pd.to_datetime(["2023-12-31", "2024-03-31", "2024-08-31"]),
    ...     "term_index": [0.0, 1, 2], "core_inclusion_share": [0.7, 0.8, 0.9]})
    >>> pl = pd.DataFrame({"learner_id": ["L1"], "srb_id": ["A"],
    ...     "start_date": pd.to_datetime(["2022-09-01"]), "end_date": pd.NaT})
    >>> exit_review(sh, pl)[["learner_id", "periods_met", "latest_period"]].to_dict("list")
    {'learner_id': ['L1'], 'periods_met': [2], 'latest_period': ['c']}
    """
    _check_frame(shares, "shares", ["learner_id", "period", "period_start", "period_end",
                                    "term_index", "core_inclusion_share"])
    _check_frame(placements, "placements", ["learner_id", "srb_id", "start_date",
                                            "end_date"])
    core_t = _check_share(core_threshold, "core_threshold")
    sustained = _check_int(sustained_periods, "sustained_periods", 1)
    when = _as_date(as_of, "as_of")
    columns = ["learner_id", "srb_id", "periods_met", "met_since", "latest_period",
               "latest_core_share"]
    if when is None:
        data_end = pd.to_datetime(shares["period_end"]).max()
        when = None if pd.isna(data_end) else pd.Timestamp(data_end).normalize()
    d, code = _sorted_by_learner(shares[["learner_id", "period", "period_start",
                                         "term_index", "core_inclusion_share"]],
                                 "core_inclusion_share")
    if len(d) == 0 or when is None:
        return _empty_exit(columns)
    c = d["core_inclusion_share"].to_numpy(dtype=float)
    met = _at_or_above(c, core_t)
    new_run = np.r_[True, (np.diff(code) != 0) | (met[1:] != met[:-1])]
    run_start = np.flatnonzero(new_run)
    run_id = np.cumsum(new_run) - 1
    length = np.arange(len(d)) - run_start[run_id] + 1
    last = np.r_[np.flatnonzero(np.diff(code) != 0), len(d) - 1]
    pick = last[met[last] & (length[last] >= sustained)]
    cand = pd.DataFrame({
        "learner_id": _take_raw(d["learner_id"], pick),
        "periods_met": length[pick].astype("int64"),
        "met_since": d["period_start"].to_numpy()[run_start[run_id[pick]]],
        "latest_period": _take_raw(d["period"], pick),
        "latest_core_share": c[pick]})
    p = placements[["learner_id", "srb_id", "start_date", "end_date"]]
    start, end = pd.to_datetime(p["start_date"]), pd.to_datetime(p["end_date"])
    open_ = ((start <= when) & (end.isna() | (end > when))).fillna(False).to_numpy()
    p = (p.loc[open_].sort_values(["learner_id", "start_date"], kind="stable")
         .drop_duplicates("learner_id", keep="last")[["learner_id", "srb_id"]])
    out = cand.merge(p, on="learner_id", how="inner")
    if len(out) == 0:
        return _empty_exit(columns)
    out = out.sort_values(["periods_met", "met_since", "learner_id"],
                          ascending=[False, True, True], kind="stable")
    out = out[columns].reset_index(drop=True)
    return out.astype({"learner_id": "str", "srb_id": "str", "latest_period": "str"})


def _empty_exit(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "learner_id": pd.array([], dtype="str"), "srb_id": pd.array([], dtype="str"),
        "periods_met": pd.Series([], dtype="int64"),
        "met_since": pd.Series([], dtype="datetime64[ns]"),
        "latest_period": pd.array([], dtype="str"),
        "latest_core_share": pd.Series([], dtype=float)})[columns]


# --------------------------------------------------------------------------- subjects


def subject_breakdown(inclusion: pd.DataFrame, placements: pd.DataFrame | None = None, *,
                      by: Sequence[str] = ("srb_id",),
                      core_subjects: Sequence[str] | None = None) -> pd.DataFrame:
    """Where inclusion happens: mainstream minutes and learners by SRB and subject.

    Parameters
    ----------
    inclusion : DataFrame
        The ``inclusion`` table (filtered to a window if wanted, see :func:`in_window`).
        If it already has ``srb_id`` that is used; otherwise each record is attributed
        with ``placements``.
    placements : DataFrame, optional
        Needed to group by srb_id when ``inclusion`` has no srb_id column.
    by : ("srb_id",) or (), default ("srb_id",)
        Group by SRB, or ``()`` for all SRBs together.
    core_subjects : list of str, optional
        As in :func:`learner_shares`: ``None`` uses the table's core column.

    Returns
    -------
    DataFrame
        One row per group and subject, sorted by group, core subjects first, then
        subject: the ``by`` columns; ``subject`` (display spelling); ``core`` (bool);
        ``learners_timetabled`` (learners with minutes timetabled in the subject);
        ``learners_in_mainstream`` (learners with any mainstream minutes in it);
        ``minutes_mainstream``, ``minutes_timetabled``; ``mainstream_share``
        (minutes_mainstream / minutes_timetabled, NaN when nothing was timetabled).

    Notes
    -----
    .. math:: \\text{share}_{g,\\text{subject}} =
              \\frac{\\sum m^{\\text{mainstream}}}{\\sum m^{\\text{timetabled}}}

    Subjects are grouped by their name compared case-insensitively, surrounding spaces
    removed and inner spaces collapsed (``"Maths "`` and ``"maths"`` are one subject,
    ``"Maths"`` and ``"mathematics"`` are two), and shown in their most common spelling
    in the whole table (ties: alphabetical first). A subject is core when most of its
    rows are flagged core (``core_subjects=None``) or its name is in ``core_subjects``.
    Records are attributed to the SRB whose placement overlaps the record's own
    period for the most days (as :func:`attach_srb`); records outside any placement are
    left out of by-SRB tables. Records with missing minutes are left out.

    Examples
    --------
    >>> inc = pd.DataFrame({"learner_id": ["a", "b", "b"],
    ...     "period_start": pd.to_datetime(["2024-01-08"] * 3),
    ...     "period_end": pd.to_datetime(["2024-03-28"] * 3),
    ...     "subject": ["Art", "art ", "English"], "core": [False, False, True],
    ...     "minutes_mainstream": [60.0, 0.0, 30.0], "minutes_timetabled": [60.0, 60, 120]})
    >>> subject_breakdown(inc, by=())[["subject", "learners_in_mainstream",
    ...                                "mainstream_share"]].to_dict("list")
    {'subject': ['English', 'Art'], 'learners_in_mainstream': [1, 1], \
'mainstream_share': [0.25, 0.5]}
    """
    _check_frame(inclusion, "inclusion", _INCLUSION_COLUMNS)
    cols = _check_by(by, ("srb_id",))
    core_list = _check_core_subjects(core_subjects)
    mm = pd.to_numeric(inclusion["minutes_mainstream"]).to_numpy(dtype=float, na_value=np.nan)
    mt = pd.to_numeric(inclusion["minutes_timetabled"]).to_numpy(dtype=float, na_value=np.nan)
    lcode, lids = _sorted_codes(inclusion["learner_id"])
    subject_na = inclusion["subject"].isna().to_numpy()
    core = _core_flags(inclusion, core_list)
    if cols:
        if "srb_id" in inclusion.columns:
            srb_col = inclusion["srb_id"]
            if _arrow_text(srb_col) is not None:  # already text: code it as it is
                gcode, gvals = _sorted_codes(srb_col)
            else:
                gcode, gvals = pd.factorize(pd.Series(srb_col.to_numpy(dtype=object),
                                                      dtype="str"), sort=True)
        else:
            _check(placements is not None, "placements", "the placements table (to group "
                   "by srb_id)", placements)
            _check_frame(placements, "placements", ["learner_id", "srb_id", "start_date",
                                                    "end_date"])
            pos = _record_pos(inclusion, lcode, lids, placements)
            gcode, gvals = pd.factorize(pd.Series(_take_text(placements["srb_id"], pos)),
                                        sort=True)
        gcode = np.asarray(gcode, dtype=np.int64)
    else:
        gcode, gvals = None, pd.Index(["all"])
    # subjects: normalised key and display spelling
    scode, suniq = _subject_codes(inclusion["subject"])
    stripped = pd.Series(np.asarray(suniq, dtype=object)).astype("str").str.strip()
    key = _normalise_text(suniq)
    all_subjects = bool((scode >= 0).all())
    rows = np.bincount(scode if all_subjects else scode[scode >= 0], minlength=len(suniq))
    spell = pd.DataFrame({"key": key, "spelling": stripped, "rows": rows})
    spell_rows = spell.groupby(["key", "spelling"], as_index=False)["rows"].sum()
    spelling_of = (spell_rows.sort_values(["key", "rows", "spelling"],
                                      ascending=[True, False, True], kind="stable")
               .drop_duplicates("key").set_index("key")["spelling"])
    kcode_of_u, kvals = pd.factorize(key, sort=True)
    kcode_of_u = np.asarray(kcode_of_u, dtype=np.int64)
    n_k = len(kvals)
    # the records that count (all of them, usually: then no copies are made)
    invalid = np.isnan(mm) | np.isnan(mt) | (lcode < 0) | subject_na
    if gcode is not None:
        invalid |= gcode < 0
    if not all_subjects or invalid.any():
        k = np.where(scode >= 0, kcode_of_u[np.maximum(scode, 0)], -1)
        invalid |= k < 0
        idx = np.flatnonzero(~invalid)
        k_idx, l_idx, mmv, mtv = k[idx], lcode[idx], mm[idx], mt[idx]
        g_idx = gcode[idx] if gcode is not None else None
        core_v = core[idx]
    else:
        k_idx, l_idx, mmv, mtv, g_idx, core_v = kcode_of_u[scode], lcode, mm, mt, gcode, core
    del invalid
    cell = k_idx if g_idx is None else g_idx * n_k + k_idx
    n_cells = len(gvals) * n_k
    sums_m = np.bincount(cell, weights=mmv, minlength=n_cells)
    sums_t = np.bincount(cell, weights=mtv, minlength=n_cells)
    rows_c = np.bincount(cell, minlength=n_cells)
    core_by_key = np.bincount(k_idx[core_v], minlength=n_k)
    rows_by_key = np.bincount(k_idx, minlength=n_k)
    # distinct learners per cell: number the (learner, group) pairs (records come
    # grouped by learner, so pairs are found from where neighbours differ, and hashed
    # only once per run), then mark (pair, subject) in a dense array
    m = len(k_idx)
    if m:
        change = np.empty(m, dtype=bool)
        change[0] = True
        np.not_equal(l_idx[1:], l_idx[:-1], out=change[1:])
        if g_idx is not None:
            change[1:] |= g_idx[1:] != g_idx[:-1]
        starts = np.flatnonzero(change)
        n_g = max(len(gvals), 1)
        g_start = g_idx[starts] if g_idx is not None else np.zeros(len(starts), np.int64)
        pair_of_run, _ = pd.factorize(l_idx[starts] * n_g + g_start)
        n_pairs = int(pair_of_run.max()) + 1
        g_of_pair = np.empty(n_pairs, dtype=np.int64)
        g_of_pair[pair_of_run] = g_start
        del change
        pair_key = np.repeat(pair_of_run, np.diff(np.r_[starts, m]))
        pair_key *= n_k
        pair_key += k_idx
    else:
        pair_key = np.zeros(0, dtype=np.int64)
        n_pairs, g_of_pair = 0, np.zeros(0, dtype=np.int64)

    def distinct(mask: np.ndarray) -> np.ndarray:
        key = pair_key[mask]
        if n_pairs * n_k <= max(8 * m, 1 << 24):
            seen = np.zeros(n_pairs * n_k, dtype=bool)
            seen[key] = True
            hit = np.flatnonzero(seen)
        else:  # very many subjects: hash instead of a dense array
            hit = pd.unique(key)
        p_, k_ = np.divmod(hit, n_k)
        return np.bincount(g_of_pair[p_] * n_k + k_, minlength=n_cells)

    timetabled = distinct(mtv > 0)
    mainstream = distinct(mmv > 0)
    present = np.flatnonzero(rows_c > 0)
    g_of, k_of = np.divmod(present, n_k)
    is_core = core_by_key[k_of] > rows_by_key[k_of] / 2
    out = pd.DataFrame({
        "subject": spelling_of.loc[np.asarray(kvals)[k_of]].to_numpy(),
        "core": is_core,
        "learners_timetabled": timetabled[present].astype("int64"),
        "learners_in_mainstream": mainstream[present].astype("int64"),
        "minutes_mainstream": sums_m[present],
        "minutes_timetabled": sums_t[present],
        "mainstream_share": _ratio(sums_m[present], sums_t[present]),
    })
    if cols:
        out.insert(0, "srb_id", np.asarray(gvals, dtype=object)[g_of])
    sort_keys = [*cols, "_not_core", "_subject_key"]
    out["_not_core"] = ~out["core"]
    out["_subject_key"] = _normalise_text(pd.Index(out["subject"])).to_numpy()
    out = out.sort_values(sort_keys, kind="stable").drop(columns=["_not_core",
                                                                 "_subject_key"])
    out = out.astype({"subject": "str"})
    if cols:
        out["srb_id"] = out["srb_id"].astype("str")
    return out.reset_index(drop=True)


def _record_srb(inclusion: pd.DataFrame, lcode: np.ndarray, placements: pd.DataFrame
                ) -> np.ndarray:
    """srb_id of each inclusion record (object array, None where none)."""
    codes, uniq = pd.factorize(inclusion["learner_id"])
    pos = _record_pos(inclusion, codes, pd.Index(uniq), placements)
    pos[np.asarray(lcode) < 0] = -1
    out = np.full(len(pos), None, dtype=object)
    ok = pos >= 0
    out[ok] = placements["srb_id"].to_numpy(dtype=object)[pos[ok]]
    return out


def _record_pos(inclusion: pd.DataFrame, lcode: np.ndarray, lids: pd.Index,
                placements: pd.DataFrame) -> np.ndarray:
    """Row number in ``placements`` of each inclusion record's placement (-1 if none),
    computed once per distinct (learner, period_start, period_end) and spread back to the
    records (a term's subjects share one lookup). ``lcode``, ``lids``: the records'
    learner codes (-1 missing) and ids."""
    n = len(inclusion)
    if n == 0 or len(placements) == 0:
        return np.full(n, -1, dtype=np.int64)
    s, e = _days(inclusion["period_start"]), _days(inclusion["period_end"])
    no_end = np.isnan(e)
    if no_end.any():
        e = np.where(no_end, s, e)
    del no_end
    lcode = np.asarray(lcode, dtype=np.int64)
    # one lookup per run of records with the same learner, start and end (records come
    # grouped); unordered records give more runs, never a different answer
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(lcode[1:], lcode[:-1], out=change[1:])
    change[1:] |= s[1:] != s[:-1]
    change[1:] |= e[1:] != e[:-1]
    first = np.flatnonzero(change)
    del change
    run = None
    if len(first) > n // 2:  # not grouped: one lookup per distinct triple instead
        lc = pd.factorize(lcode, use_na_sentinel=False)[0].astype(np.int64)
        sc = pd.factorize(s, use_na_sentinel=False)[0].astype(np.int64)
        ec = pd.factorize(e, use_na_sentinel=False)[0].astype(np.int64)
        run = pd.factorize((lc * (sc.max(initial=0) + 1) + sc) * (ec.max(initial=0) + 1)
                           + ec)[0].astype(np.int64)
        first = np.empty(int(run.max()) + 1, dtype=np.int64)
        first[run[::-1]] = np.arange(n - 1, -1, -1)
    pcode, puniq, ps, pe = _placement_days(placements)
    at = _learner_index(lids, puniq)
    lf = lcode[first]
    lp = np.where(lf >= 0, at[np.maximum(lf, 0)], -1) if len(at) else np.full(len(lf), -1)
    pos_first = _overlap_pos(lp, s[first], e[first], pcode, ps, pe)
    # (a record without a learner is in a run, or group, of its own kind: no placement)
    return (np.repeat(pos_first, np.diff(np.r_[first, n])) if run is None
            else pos_first[run])


# --------------------------------------------------------------------------- words


def _half_up(values):
    """Whole percentages of shares, rounded half up (after rounding away float noise:
    0.545 is 54.49999... in floats and shows as 55%)."""
    return np.floor(np.round(100 * np.asarray(values, dtype=float), 9) + 0.5)


def _pct(share: float) -> str:
    """A share as a whole percentage, "no data" when missing."""
    if share is None or pd.isna(share):
        return disclosure.NO_DATA_TEXT
    return f"{_half_up(float(share)):.0f}%"


def _of(count: int, n: int, audience: str, noun: str = "learners") -> str:
    """"14 of 20 learners (70%)" for the audience (small counts controlled)."""
    phrase = disclosure.count_with_share(int(count), int(n), audience=audience, noun=noun)
    m = re.fullmatch(r"(.*) of ([\d,]+) \((.*)\)", phrase)
    if m:
        return f"{m.group(1)} of {m.group(2)} {noun} ({m.group(3)})"
    m = re.fullmatch(r"(.*) of ([\d,]+)", phrase)
    if m:
        return f"{m.group(1)} of {m.group(2)} {noun}"
    return phrase


def _too_few(n: int, audience: str, minimum: int) -> bool:
    return n == 0 or (audience == "published" and n < minimum)


def describe_thresholds(row: Mapping[str, object] | pd.Series, *, audience: str,
                        thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                        core_threshold: float = CORE_EXIT_SHARE,
                        disclosure_thresholds: disclosure.Thresholds =
                        disclosure.DEFAULT_THRESHOLDS) -> str:
    """The sentence a report prints for one row of :func:`threshold_shares`.

    Parameters
    ----------
    row : mapping or Series
        One row of :func:`threshold_shares` (typically ``by=()``).
    audience : {"internal", "published"}
    thresholds, core_threshold : as passed to :func:`threshold_shares`
    disclosure_thresholds : srb_eval.report.disclosure.Thresholds

    Returns
    -------
    str
        E.g. "The median learner spent 44% of their timetabled time in mainstream
        classes; 38 of 95 learners (40%) spent at least 50% and 25 of 95 learners (26%)
        at least 60%. 12 of 80 learners (15%) spent at least 80% of their core-subject
        time in mainstream (the exit criterion)." Counts are worded by
        :func:`srb_eval.report.disclosure.count_with_share`; in a published report a median of
        fewer than ``min_denominator`` learners is not given ("too few to judge").

    Examples
    --------
    >>> row = {"n": 4, "at_or_above_50": 2, "at_or_above_60": 1, "median_share": 0.5,
    ...        "core_n": 0, "core_at_or_above_80": 0, "median_core_share": None}
    >>> describe_thresholds(row, audience="internal")  # doctest: +NORMALIZE_WHITESPACE
    'The median learner spent 50% of their timetabled time in mainstream classes;
    2 of 4 learners (50%) spent at least 50% and 1 of 4 learners (25%) at least 60%.
    No learner had core-subject time timetabled, so the exit criterion cannot be
    judged.'
    """
    audience = disclosure.check_audience(audience)
    ts = _check_thresholds(list(thresholds))
    core_t = _check_share(core_threshold, "core_threshold")
    minimum = disclosure_thresholds.min_denominator
    n = int(row["n"])
    if n == 0:
        return "No learner had any timetabled minutes recorded, so inclusion cannot be judged."
    parts = []
    if _too_few(n, audience, minimum):
        parts.append(f"Fewer than {minimum} learners had inclusion records: too few to "
                     "judge in a published report.")
    else:
        counts = [_of(row[threshold_column(t)], n, audience) for t in ts]
        phrases = [f"{counts[0]} spent at least {_pct(ts[0])}"] + [
            f"{c} at least {_pct(t)}" for c, t in zip(counts[1:], ts[1:], strict=True)]
        listed = phrases[0] if len(phrases) == 1 else (
            ", ".join(phrases[:-1]) + " and " + phrases[-1])
        parts.append(f"The median learner spent {_pct(row['median_share'])} of their "
                     f"timetabled time in mainstream classes; {listed}.")
    core_n = int(row["core_n"])
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    if core_n == 0:
        parts.append("No learner had core-subject time timetabled, so the exit criterion "
                     "cannot be judged.")
    elif _too_few(core_n, audience, minimum):
        parts.append(f"Fewer than {minimum} learners had core subjects timetabled: too few "
                     "to judge the exit criterion in a published report.")
    else:
        parts.append(f"{_capital(_of(row[core_name], core_n, audience))} spent at least "
                     f"{_pct(core_t)} of their core-subject time in mainstream classes "
                     "(the exit criterion).")
    return " ".join(parts)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_trends(row: Mapping[str, object] | pd.Series, *, audience: str,
                    period: str = "term",
                    disclosure_thresholds: disclosure.Thresholds =
                    disclosure.DEFAULT_THRESHOLDS) -> str:
    """The sentence a report prints for one row of :func:`trend_counts`.

    Returns
    -------
    str
        E.g. "Inclusion rose for 14 of 20 learners (70%) with two or more terms of
        records, stayed steady for 4 of 20 learners (20%) and fell for 2 of 20 learners
        (10%); their median share moved from 31% to 44%. 3 learners had too few terms
        to judge." With no learner judged, or (published) fewer than
        ``min_denominator``, it says the trend is too few to judge. ``period`` names
        the unit ("two or more weeks" for weekly shares).

    Examples
    --------
    >>> row = {"n": 3, "rising": 1, "steady": 1, "falling": 0, "too_few_terms": 1,
    ...        "with_trend": 2, "median_first_share": 0.3, "median_latest_share": 0.45}
    >>> describe_trends(row, audience="internal")  # doctest: +NORMALIZE_WHITESPACE
    'Inclusion rose for 1 of 2 learners (50%) with two or more terms of records, stayed
    steady for 1 of 2 learners (50%) and fell for 0 of 2 learners (0%); their median
    share moved from 30% to 45%. 1 learner had too few terms to judge.'
    """
    audience = disclosure.check_audience(audience)
    units = _UNITS[_check_period(period)][1]
    minimum = disclosure_thresholds.min_denominator
    n, judged, few = int(row["n"]), int(row["with_trend"]), int(row["too_few_terms"])
    if judged == 0:
        text = (f"No learner has two or more {units} of inclusion records yet: too few "
                f"{units} to judge a trend.")
        return text if n else "There are no inclusion records to judge a trend from."
    if _too_few(judged, audience, minimum):
        return (f"Fewer than {minimum} learners have two or more {units} of records: too "
                "few to judge trends in a published report.")
    text = (f"Inclusion rose for {_of(row['rising'], judged, audience)} with two or more "
            f"{units} of records, stayed steady for {_of(row['steady'], judged, audience)} "
            f"and fell for {_of(row['falling'], judged, audience)}; their median share "
            f"moved from {_pct(row['median_first_share'])} to "
            f"{_pct(row['median_latest_share'])}.")
    if few:
        if audience == "published" and few < disclosure_thresholds.min_count:
            text += (f" Fewer than {disclosure_thresholds.min_count} learners had too few "
                     f"{units} to judge.")
        else:
            text += f" {few} learner{'s' if few != 1 else ''} had too few {units} to judge."
    return text


def describe_exit_review(n_listed: int, n_placed: int, *, audience: str,
                         core_threshold: float = CORE_EXIT_SHARE,
                         sustained_periods: int = 2, period: str = "term") -> str:
    """The sentence a report prints about :func:`exit_review`.

    Parameters
    ----------
    n_listed : int
        Learners listed by :func:`exit_review`.
    n_placed : int
        Learners still placed with core inclusion records (the denominator).
    audience : {"internal", "published"}
    core_threshold, sustained_periods, period : as used for the review.

    Returns
    -------
    str
        E.g. "12 of 80 learners (15%) still placed have spent at least 80% of their
        core-subject time in mainstream for 2 or more terms in a row: their placements
        should be reviewed against the exit criteria." Counts are disclosure-controlled
        for a published audience; with fewer than 10 learners still placed (the
        disclosure threshold ``min_denominator``) a published sentence gives no count.

    Examples
    --------
    >>> describe_exit_review(0, 20, audience="published")  # doctest: +NORMALIZE_WHITESPACE
    'No learner still placed has spent at least 80% of their core-subject time in
    mainstream classes for 2 or more terms in a row.'
    """
    audience = disclosure.check_audience(audience)
    core_t = _check_share(core_threshold, "core_threshold")
    sustained = _check_int(sustained_periods, "sustained_periods", 1)
    unit = _UNITS[_check_period(period)][1]
    run = f"{sustained} or more {unit} in a row"
    minimum = disclosure.DEFAULT_THRESHOLDS.min_denominator
    if n_listed and audience == "published" and n_placed < minimum:
        return (f"Fewer than {minimum} learners still placed have core-subject records: too "
                "few to report how many meet the exit criterion in a published report.")
    if n_listed == 0:
        if n_placed == 0:
            return ("No learner still placed has core-subject inclusion records, so the "
                    "exit criterion cannot be checked.")
        return (f"No learner still placed has spent at least {_pct(core_t)} of their "
                f"core-subject time in mainstream classes for {run}.")
    verb = "has" if audience == "internal" and n_listed == 1 else "have"
    return (f"{_capital(_of(n_listed, n_placed, audience))} still placed with core-subject "
            f"records {verb} spent at least {_pct(core_t)} of their core-subject time in "
            f"mainstream classes for {run}: their placements should be reviewed against "
            "the exit criteria.")


def describe_subjects(breakdown: pd.DataFrame, *, audience: str,
                      disclosure_thresholds: disclosure.Thresholds =
                      disclosure.DEFAULT_THRESHOLDS) -> str:
    """Where inclusion is highest and lowest, from :func:`subject_breakdown` (``by=()``).

    Returns
    -------
    str
        E.g. "Mainstream time was highest in art (72% of timetabled minutes) and lowest
        in mathematics (31%)." Subjects timetabled for fewer than ``min_denominator``
        learners are left out of a published sentence.

    Examples
    --------
    >>> b = pd.DataFrame({"subject": ["art", "maths"], "learners_timetabled": [12, 12],
    ...                   "mainstream_share": [0.72, 0.31]})
    >>> describe_subjects(b, audience="published")  # doctest: +NORMALIZE_WHITESPACE
    'Mainstream time was highest in art (72% of timetabled minutes) and lowest in
    maths (31%).'
    """
    audience = disclosure.check_audience(audience)
    _check_frame(breakdown, "breakdown", ["subject", "learners_timetabled",
                                          "mainstream_share"])
    b = breakdown.loc[breakdown["mainstream_share"].notna().to_numpy()]
    if audience == "published":
        b = b.loc[(b["learners_timetabled"] >= disclosure_thresholds.min_denominator)
                  .to_numpy()]
    if len(b) == 0:
        return "Too few learners to compare subjects."
    b = b.sort_values(["mainstream_share", "subject"], ascending=[False, True],
                      kind="stable")
    hi, lo = b.iloc[0], b.iloc[-1]
    if len(b) == 1 or hi["mainstream_share"] == lo["mainstream_share"]:
        return (f"Mainstream time was {_pct(hi['mainstream_share'])} of timetabled "
                f"minutes in {'every subject' if len(b) > 1 else hi['subject']}.")
    return (f"Mainstream time was highest in {hi['subject']} "
            f"({_pct(hi['mainstream_share'])} of timetabled minutes) and lowest in "
            f"{lo['subject']} ({_pct(lo['mainstream_share'])}).")


# --------------------------------------------------------------------------- report

#: Reader-facing names of grouping columns.
GROUP_TITLES: dict[str, str] = {"srb_id": "SRB", "phase": "phase",
                                "primary_need": "primary need", "sex": "sex",
                                "fsm": "free school meals",
                                "statutory_plan": "statutory plan",
                                "home_authority": "home authority"}

_UNITS = {"week": ("week", "weeks"), "half_term": ("half term", "half terms"),
          "term": ("term", "terms"), "school_year": ("school year", "school years")}


@dataclass(frozen=True)
class InclusionData:
    """What the inclusion report works from (see :func:`prepare`).

    Attributes
    ----------
    records : DataFrame
        Inclusion records in the window, with ``srb_id`` attached per record (records
        outside any placement dropped), for the chosen SRB.
    shares : DataFrame
        :func:`learner_shares` with ``srb_id`` (:func:`attach_srb`) and ``phase``, in
        the window, periods spent in the chosen SRB only.
    latest : DataFrame
        One row of ``shares`` per learner: their latest period with a share.
    trends : DataFrame
        :func:`learner_trends` of ``shares``.
    as_of : Timestamp or None
        End of the data (the latest period_end), where "still placed" is judged.
    """

    records: pd.DataFrame
    shares: pd.DataFrame
    latest: pd.DataFrame
    trends: pd.DataFrame
    as_of: pd.Timestamp | None


def prepare(inclusion: pd.DataFrame, placements: pd.DataFrame, srbs: pd.DataFrame, *,
            srb: str = "all", window_start: object = None, window_end: object = None,
            period: str = "term", core_subjects: Sequence[str] | None = None,
            tolerance: float = 0.05, min_periods: int = 2) -> InclusionData:
    """Filter and compute everything the inclusion report shows, in one call.

    Parameters
    ----------
    inclusion, placements, srbs : DataFrame
        The dataset's tables.
    srb : str, default "all"
        ``"all"`` or one srb_id: keep the periods (and records) attributed to it.
    window_start, window_end : None or "YYYY-MM-DD"
        Keep records whose period_start is in the window (inclusive), see
        :func:`in_window`.
    period, core_subjects : as in :func:`learner_shares`.
    tolerance, min_periods : as in :func:`learner_trends`.

    Returns
    -------
    InclusionData
    """
    _check(isinstance(srb, str), "srb", "'all' or an srb_id", srb)
    records = in_window(inclusion, start=window_start, end=window_end)
    lcode, lids = _sorted_codes(records["learner_id"])
    pos = _record_pos(records, lcode, lids, placements)
    srb_of = _take_text(placements["srb_id"], pos)
    keep = ~pd.isna(srb_of)
    records = records.assign(srb_id=srb_of)
    if not keep.all():
        records, lcode, pos = records.loc[keep], lcode[keep], pos[keep]
        _remember_dense("sorted", records["learner_id"], lcode, lids)
    if _arrow_text(placements["srb_id"]) is not None:
        # the records' srb_id codes, as _sorted_codes would make them (subject tables)
        pcodes, puniq_srb = pd.factorize(placements["srb_id"], sort=True)
        _remember_dense("sorted", records["srb_id"], np.asarray(pcodes, np.int64)[pos],
                        pd.Index(puniq_srb))
    # learner_shares(records, ...) with the learner codes already made
    _check_frame(records, "inclusion", _INCLUSION_COLUMNS)
    period = _check_period(period)
    core_list = _check_core_subjects(core_subjects)
    shares, row_learner, _ = _learner_shares(records, period, core_list,
                                             learners=(lcode, lids))
    _check_frame(placements, "placements", ["learner_id", "srb_id", "start_date",
                                            "end_date"])
    # the SRB of each learner's period (attach_srb), on integer learner codes
    pcode, puniq, ps, pe = _placement_days(placements)
    lp = _learner_index(lids, puniq)[row_learner] if len(shares) else row_learner
    spos = _overlap_pos(lp, _days(shares["period_start"]), _days(shares["period_end"]),
                        pcode, ps, pe)
    shares["srb_id"] = _take_text(placements["srb_id"], spos)
    has = ~pd.isna(shares["srb_id"].array)
    shares, spos, row_learner = shares.loc[has], spos[has], row_learner[has]
    if srb != "all":
        records = records.loc[(records["srb_id"] == srb).to_numpy()]
        mine = (shares["srb_id"] == srb).to_numpy()
        shares, spos, row_learner = shares.loc[mine], spos[mine], row_learner[mine]
    phase = srbs[["srb_id", "phase"]].drop_duplicates("srb_id")
    shares = _add_phase(shares, spos, placements, phase)
    # latest period with a share of each learner (shares come sorted by learner and
    # term_index: sort again only if they do not)
    with_share = shares["inclusion_share"].notna().to_numpy()
    lat = shares.loc[with_share]
    lc = row_learner[with_share]
    ti = lat["term_index"].to_numpy(dtype=float)
    ordered = bool(np.all((lc[1:] > lc[:-1]) | ((lc[1:] == lc[:-1]) & (ti[1:] >= ti[:-1]))))
    if ordered:
        last = np.r_[lc[1:] != lc[:-1], True] if len(lc) else np.zeros(0, dtype=bool)
        latest = lat.loc[last].reset_index(drop=True)
    else:
        latest = (lat.sort_values(["learner_id", "term_index"], kind="stable")
                  .drop_duplicates("learner_id", keep="last").reset_index(drop=True))
    trends = learner_trends(shares, tolerance=tolerance, min_periods=min_periods)
    end = pd.to_datetime(shares["period_end"]).max() if len(shares) else pd.NaT
    return InclusionData(records=records.reset_index(drop=True), shares=shares,
                         latest=latest, trends=trends,
                         as_of=None if pd.isna(end) else pd.Timestamp(end))


def _add_phase(shares: pd.DataFrame, spos: np.ndarray, placements: pd.DataFrame,
               phase: pd.DataFrame) -> pd.DataFrame:
    """``shares.merge(phase, on="srb_id", how="left").reset_index(drop=True)`` for shares
    whose srb_id is that of placement row ``spos``: the lookup is made once per
    placement."""
    if len(shares) == 0 or len(phase) == 0:
        return shares.merge(phase, on="srb_id", how="left").reset_index(drop=True)
    srb_ids = pd.Index(phase["srb_id"])
    at = np.asarray(srb_ids.get_indexer(placements["srb_id"]), dtype=np.int64)
    rows = at[spos]
    out = shares.reset_index(drop=True)
    out["phase"] = pd.api.extensions.take(phase["phase"].array, rows, allow_fill=True)
    return out


def count_still_placed(shares: pd.DataFrame, placements: pd.DataFrame, *,
                       as_of: object = None) -> int:
    """Learners with a core share in ``shares`` who have a placement open at ``as_of``.

    The denominator of :func:`describe_exit_review`. ``as_of`` as in
    :func:`exit_review` (default: the latest period_end in ``shares``).

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["a", "b"], "core_inclusion_share": [0.9, 0.5],
    ...     "period_end": pd.to_datetime(["2024-03-31"] * 2)})
    >>> pl = pd.DataFrame({"learner_id": ["a", "b"], "start_date": pd.to_datetime(
    ...     ["2023-09-01"] * 2), "end_date": pd.to_datetime([None, "2024-02-01"])})
    >>> count_still_placed(sh, pl)
    1
    """
    _check_frame(shares, "shares", ["learner_id", "core_inclusion_share", "period_end"])
    _check_frame(placements, "placements", ["learner_id", "start_date", "end_date"])
    when = _as_date(as_of, "as_of")
    if when is None:
        end = pd.to_datetime(shares["period_end"]).max()
        if pd.isna(end):
            return 0
        when = pd.Timestamp(end).normalize()
    ids = pd.unique(shares.loc[shares["core_inclusion_share"].notna().to_numpy(),
                               "learner_id"])
    start, stop = pd.to_datetime(placements["start_date"]), pd.to_datetime(
        placements["end_date"])
    open_ = ((start <= when) & (stop.isna() | (stop > when))).fillna(False).to_numpy()
    return int(is_in(pd.Index(ids), placements.loc[open_, "learner_id"]).sum())


def srb_labels(srbs: pd.DataFrame) -> dict[str, str]:
    """``{"SRB01": "SRB01 (primary)"}``: display labels of resource bases with phase."""
    _check_frame(srbs, "srbs", ["srb_id", "phase"])
    phase = srbs["phase"].astype("str").where(srbs["phase"].notna(), "phase not known")
    return dict(zip(srbs["srb_id"].astype("str"), srbs["srb_id"].astype("str") + " ("
                    + phase + ")", strict=True))


def _percent_text(values: pd.Series) -> pd.Series:
    """Shares (0-1) shown as "58%", other cells (suppression markers) unchanged."""
    num = pd.to_numeric(values, errors="coerce")
    text = pd.Series(_half_up(num), index=values.index).map(lambda v: f"{v:.0f}%",
                                                            na_action="ignore")
    return text.astype(object).where(num.notna(), values.astype(object))


def _rename_groups(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: GROUP_TITLES[c] for c in df.columns if c in GROUP_TITLES})


def display_thresholds(table: pd.DataFrame, *, audience: str,
                       thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                       core_threshold: float = CORE_EXIT_SHARE,
                       disclosure_thresholds: disclosure.Thresholds =
                       disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A :func:`threshold_shares` table as a reader sees it, disclosure-controlled.

    Counts pass through :func:`srb_eval.report.disclosure.safe_table` (total row ``"all"``
    when present), percentages are recomputed from them as text, medians are shown as
    whole percentages and, for a published audience, hidden ("[c]") where fewer than
    ``min_denominator`` learners stand behind them. No NaN: "no data" instead.
    """
    audience = disclosure.check_audience(audience)
    ts = _check_thresholds(list(thresholds))
    core_t = _check_share(core_threshold, "core_threshold")
    groups = [c for c in table.columns if c in GROUP_TITLES]
    names = [threshold_column(t) for t in ts]
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    t = table[[*groups, "n", *names, "median_share", "core_n", core_name,
               "median_core_share"]].copy()
    published = audience == "published"
    small_core = published & (t["core_n"].to_numpy() < disclosure_thresholds.min_denominator)
    has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
    shown = disclosure.safe_table(
        t, audience=audience, count_columns=["n", *names, "core_n", core_name],
        percent_columns={**{"pct_" + k: (k, "n") for k in names},
                         "pct_" + core_name: (core_name, "core_n")},
        n_column="n", id_columns=(), thresholds=disclosure_thresholds,
        total_row="all" if has_total else None)
    shown["median_share"] = _percent_text(shown["median_share"])
    core_median = _percent_text(shown["median_core_share"])
    shown["median_core_share"] = core_median.where(~small_core, disclosure.SUPPRESSED_TEXT)
    cols = {"n": "learners"}
    for t_, k in zip(ts, names, strict=True):
        cols[k] = f"at least {_pct(t_)} (learners)"
        cols["pct_" + k] = f"at least {_pct(t_)} (% of learners)"
    cols["median_share"] = "median share in mainstream"
    cols["core_n"] = "learners with core subjects"
    cols[core_name] = f"at least {_pct(core_t)} of core (learners)"
    cols["pct_" + core_name] = f"at least {_pct(core_t)} of core (%)"
    cols["median_core_share"] = "median core share in mainstream"
    order = [*groups, "n"] + [c for k in names for c in (k, "pct_" + k)] + [
        "median_share", "core_n", core_name, "pct_" + core_name, "median_core_share"]
    return _rename_groups(shown[order].rename(columns=cols))


def display_trend_counts(table: pd.DataFrame, *, audience: str,
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A :func:`trend_counts` table as a reader sees it, disclosure-controlled.

    Counts of rising / steady / falling / too few terms with the learners judged as
    the percentage base; median first and latest shares as whole percentages, hidden
    for a published audience where fewer than ``min_denominator`` learners were judged.
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in table.columns if c in GROUP_TITLES]
    words = ["rising", "steady", "falling"]
    t = table[[*groups, "n", *words, "too_few_terms", "with_trend", "median_first_share",
               "median_latest_share"]].copy()
    has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
    shown = disclosure.safe_table(
        t, audience=audience, count_columns=["n", *words, "too_few_terms", "with_trend"],
        percent_columns={"pct_" + w: (w, "with_trend") for w in words},
        n_column="with_trend", id_columns=(), thresholds=disclosure_thresholds,
        total_row="all" if has_total else None)
    for c in ("median_first_share", "median_latest_share"):
        shown[c] = _percent_text(shown[c])
    order = [*groups, "n", "with_trend"] + [c for w in words for c in (w, "pct_" + w)] + [
        "too_few_terms", "median_first_share", "median_latest_share"]
    cols = {"n": "learners", "with_trend": "learners with two or more periods",
            "too_few_terms": "too few terms", "median_first_share": "median first share",
            "median_latest_share": "median latest share"}
    cols.update({"pct_" + w: f"{w} (%)" for w in words})
    return _rename_groups(shown[order].rename(columns=cols))


def display_subjects(breakdown: pd.DataFrame, *, audience: str,
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A :func:`subject_breakdown` table as a reader sees it, disclosure-controlled.

    Learner counts suppressed for a published audience; the share of timetabled
    minutes in mainstream as a whole percentage, hidden ("[c]") where fewer than
    ``min_denominator`` learners were timetabled; minutes shown as hours.
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in breakdown.columns if c in GROUP_TITLES]
    t = breakdown[[*groups, "subject", "core", "learners_timetabled",
                   "learners_in_mainstream", "minutes_mainstream", "minutes_timetabled",
                   "mainstream_share"]].copy()
    t["hours_timetabled"] = (t.pop("minutes_timetabled") / 60).round()
    t["hours_in_mainstream"] = (t.pop("minutes_mainstream") / 60).round()
    t["core"] = np.where(t["core"].to_numpy(dtype=bool), "core", "other")
    shown = disclosure.safe_table(
        t, audience=audience, count_columns=["learners_timetabled", "learners_in_mainstream"],
        n_column="learners_timetabled", id_columns=(), thresholds=disclosure_thresholds)
    shown["mainstream_share"] = _percent_text(shown["mainstream_share"])
    order = [*groups, "subject", "core", "learners_timetabled", "learners_in_mainstream",
             "hours_timetabled", "hours_in_mainstream", "mainstream_share"]
    return _rename_groups(shown[order].rename(columns={
        "core": "core or other", "learners_timetabled": "learners timetabled",
        "learners_in_mainstream": "learners with mainstream time",
        "mainstream_share": "share of minutes in mainstream"}))


def display_learners(trends: pd.DataFrame, exit_list: pd.DataFrame | None = None, *,
                     audience: str) -> pd.DataFrame:
    """Internal reports only: each learner's first and latest share and trend word.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (learner-level
    rows are never published). Shares as whole percentages; "too few terms" learners
    show "no follow-up yet" for their change; learners on the exit review list are
    marked.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise disclosure.AudienceError("audience: learner-level tables are for internal "
                                       "reports only")
    cols = [c for c in ("learner_id", "srb_id") if c in trends.columns]
    t = trends[[*cols, "n_periods", "first_period", "latest_period"]].copy()
    t["first_share"] = _percent_text(trends["first_share"])
    t["latest_share"] = _percent_text(trends["latest_share"])
    change = pd.Series(np.floor(np.round(100 * trends["change"].to_numpy(float), 9) + 0.5),
                       index=trends.index)
    t["change_points"] = change.map(lambda v: f"{(v or 0.0):+.0f} points", na_action="ignore"
                                    ).astype(object).where(change.notna(), "no follow-up yet")
    t["trend"] = trends["trend"].astype("str")
    if exit_list is not None:
        listed = set(exit_list["learner_id"].astype("str"))
        t["exit_review"] = np.where(t["learner_id"].astype("str").isin(listed), "review",
                                    "")
    return _rename_groups(t.fillna({"first_period": disclosure.NO_DATA_TEXT,
                                    "latest_period": disclosure.NO_DATA_TEXT}))


def display_exit_review(listed: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """Internal reports only: the :func:`exit_review` list as a reader sees it.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (publish
    the count, :func:`describe_exit_review`). The latest core share is shown as a whole
    percentage and met_since as the period's start date.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise disclosure.AudienceError("audience: the exit review list names learners; "
                                       "publish its count (describe_exit_review) instead")
    t = listed[["learner_id", "srb_id", "periods_met", "met_since", "latest_period",
                "latest_core_share"]].copy()
    t["latest_core_share"] = _percent_text(t["latest_core_share"])
    return _rename_groups(t).rename(columns={
        "learner_id": "learner", "periods_met": "periods in a row at or above",
        "met_since": "since (period start)", "latest_core_share": "latest core share"})


def latest_heading(row: Mapping[str, object] | pd.Series, *, audience: str,
                   period: str = "term", threshold: float = TYPICAL_SHARE,
                   disclosure_thresholds: disclosure.Thresholds =
                   disclosure.DEFAULT_THRESHOLDS) -> str:
    """A heading that says what was found, from a :func:`threshold_shares` row.

    Examples
    --------
    >>> latest_heading({"n": 20, "at_or_above_50": 14}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    'In their latest term, 14 of 20 learners (70%) spent at least 50% of their
    timetabled time in mainstream classes'
    """
    audience = disclosure.check_audience(audience)
    unit = _UNITS[_check_period(period)][0]
    n = int(row["n"])
    if _too_few(n, audience, disclosure_thresholds.min_denominator):
        return (f"Time in mainstream classes: too few learners with records to judge "
                f"(fewer than {max(disclosure_thresholds.min_denominator, 1)})")
    count = row[threshold_column(threshold)]
    return (f"In their latest {unit}, {_of(count, n, audience)} spent at least "
            f"{_pct(threshold)} of their timetabled time in mainstream classes")


def exit_heading(n_listed: int, n_placed: int, *, audience: str, period: str = "term",
                 sustained_periods: int = 2) -> str:
    """A heading that says what was found about the exit criterion.

    Examples
    --------
    >>> exit_heading(3, 40, audience="published")
    'Exit criterion: <5 of 40 learners still placed have met it for 2 or more terms'
    >>> exit_heading(0, 40, audience="published")
    'Exit criterion: no learner still placed has met it for 2 or more terms'
    """
    audience = disclosure.check_audience(audience)
    sustained = _check_int(sustained_periods, "sustained_periods", 1)
    unit = _UNITS[_check_period(period)][1]
    if n_placed == 0:
        return "Exit criterion: no learner still placed has core-subject records"
    if n_listed == 0:
        return f"Exit criterion: no learner still placed has met it for {sustained} or more {unit}"
    minimum = disclosure.DEFAULT_THRESHOLDS.min_denominator
    if audience == "published" and n_placed < minimum:
        return "Exit criterion: too few learners still placed to report"
    verb = "has" if audience == "internal" and n_listed == 1 else "have"
    return (f"Exit criterion: {_of(n_listed, n_placed, audience)} still placed {verb} met it "
            f"for {sustained} or more {unit}")


def trend_heading(row: Mapping[str, object] | pd.Series, *, audience: str,
                  period: str = "term", disclosure_thresholds: disclosure.Thresholds =
                  disclosure.DEFAULT_THRESHOLDS) -> str:
    """A heading that says what was found, from a :func:`trend_counts` row.

    Examples
    --------
    >>> trend_heading({"with_trend": 20, "rising": 14}, audience="internal")
    'Inclusion rose for 14 of 20 learners (70%) with two or more terms of records'
    """
    audience = disclosure.check_audience(audience)
    units = _UNITS[_check_period(period)][1]
    judged = int(row["with_trend"])
    if _too_few(judged, audience, disclosure_thresholds.min_denominator):
        return f"Trends in inclusion: too few learners with two or more {units} to judge"
    return (f"Inclusion rose for {_of(row['rising'], judged, audience)} with two or more "
            f"{units} of records")




def check_report_parameters(*, srb: object, srb_ids: Sequence[str], window_start: object,
                            window_end: object, period: object, core_subjects: object,
                            thresholds: object, core_threshold: object) -> dict:
    """Validate the inclusion report's parameters; raise ParameterError naming the bad one.

    Returns
    -------
    dict
        The parameters normalised: ``srb`` (``"all"`` or an id), ``window_start`` and
        ``window_end`` (Timestamp or None), ``period``, ``core_subjects`` (list or None),
        ``thresholds`` (list of float), ``core_threshold`` (float).
    """
    try:
        ids = sorted(map(str, srb_ids))
        _check(isinstance(srb, str) and (srb == "all" or srb in ids), "srb",
               "'all' or one of the dataset's SRB ids (" + ", ".join(ids) + ")", srb)
        start, end = _as_date(window_start, "window_start"), _as_date(window_end,
                                                                       "window_end")
        if start is not None and end is not None:
            _check(start <= end, "window_end", f"on or after window_start ({start.date()})",
                   window_end)
        return {"srb": srb, "window_start": start, "window_end": end,
                "period": _check_period(period),
                "core_subjects": _check_core_subjects(core_subjects),
                "thresholds": _check_thresholds(thresholds),
                "core_threshold": _check_share(core_threshold, "core_threshold")}
    except ValueError as err:
        raise ParameterError(str(err)) from None
