"""Progress from baseline: gains, rates, trajectories, expected-progress bands, RCI, ratio gain.

Every learner in an SRB should be "tracked carefully against the baseline and the
target areas" and make "strong progress from the baseline". This module turns the
``assessments`` table into one row per learner x placement x instrument x area
(:func:`learner_progress`) and summarises and compares groups (:func:`group_summary`,
:func:`band_summary`, :func:`compare_groups`). The methods are those of DESIGN.md
section 3, each cited in its docstring:

- baseline and outcome (assumption A2 of ``docs/assumptions_caveats.md``);
- gain, annualised rate and a Theil-Sen trajectory slope (Sen 1968), computed for all
  learners at once (:func:`group_theil_sen`);
- expected-progress bands from the instrument's expected gain per year, from the
  Reliable Change Index for age-standardised scores, or from a benchmark table of
  quartiles by starting band (:func:`read_benchmarks`);
- Reliable Change Index (Jacobson & Truax 1991, :func:`reliable_change`);
- Brooks' ratio gain for age-equivalent scores (:func:`ratio_gain`);
- group change with bootstrap intervals, a Hedges-corrected standardised mean change and
  its indicative EEF months-of-progress reading (:func:`group_summary`, A3);
- Kruskal-Wallis / Mann-Whitney comparisons with effect sizes (:func:`compare_groups`);
- report wording for ``notebooks/10_learner_progress``: headings and sentences computed
  from the numbers and display tables with disclosure control (``coverage_heading``,
  ``describe_*``, ``display_*``), so the notebook holds no logic.

Everything is vectorised over learners (NumPy reductions over sorted groups, merges), so
the same code serves an SRB of eight and an all-Wales dataset. Loops run only over a
handful of groups (bootstrap intervals, group comparisons) or memory chunks.

Small numbers are the norm: every summary carries its ``n``; statistics that cannot be
computed are NaN in the DataFrame with a ``note`` column saying why in words, so that
a report never prints NaN.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .data import schema as S
from .data.lookup import positions
from .errors import DataValidationError, ParameterError, Problem, check_argument
from .paths import REFERENCE_DIR
from .stats.trend import group_theil_sen

__all__ = [
    "BANDS",
    "BAND_BASES",
    "BCA_MAX_N",
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "DEFAULT_TOLERANCE",
    "GROUP_TITLES",
    "MIN_YEARS",
    "RCI_CLASSES",
    "RCI_CRITERION",
    "STATUSES",
    "ArgumentError",
    "InstrumentError",
    "RciResult",
    "band_heading",
    "band_summary",
    "below_expected",
    "brooks_bands",
    "check_report_parameters",
    "compare_groups",
    "coverage",
    "coverage_heading",
    "dataset_progress",
    "describe_band_range",
    "describe_bands",
    "describe_comparisons",
    "describe_coverage",
    "describe_rci",
    "display_bands",
    "display_comparisons",
    "display_coverage",
    "display_gains",
    "display_ratio_gain",
    "display_rci",
    "eef_months",
    "eef_months_table",
    "group_summary",
    "group_theil_sen",
    "hedges_correction",
    "in_window",
    "learner_progress",
    "ratio_gain",
    "ratio_gain_heading",
    "ratio_gain_summary",
    "rci",
    "rci_summary",
    "read_benchmarks",
    "reliable_change",
    "standardised_mean_change",
    "trajectory_points",
    "with_total",
    "year_group",
    "year_group_label",
]

# --------------------------------------------------------------------------- constants

#: Days in a year for rates ("per year" = per 365.25 days).
DAYS_PER_YEAR = 365.25
#: Days in a month for ages and ratio gains (365.25 / 12).
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
#: Shortest elapsed time, in years, over which progress is judged: one school term
#: (0.25 years = 91.3 days). Shorter spans are "too soon to judge".
MIN_YEARS = 0.25
#: Relative tolerance around the expected rate: "expected" is 75% to 125% of it.
DEFAULT_TOLERANCE = 0.25
#: |RC| above this is reliable change (two-sided 5%, Jacobson & Truax 1991).
RCI_CRITERION = 1.96
#: Default seed of the bootstrap intervals.
DEFAULT_SEED = 2025

#: Values of ``status`` (a progress row is judged only when "measured").
STATUSES: tuple[str, ...] = ("measured", "too soon to judge", "no follow-up yet")
#: Values of ``band``, in order.
BANDS: tuple[str, ...] = ("below", "expected", "above")
#: Values of ``band_basis``: what the band was judged against.
BAND_BASES: tuple[str, ...] = (
    "benchmark", "reliable change", "expected gain per year", "no expectation",
)
#: Values of ``rci_class``.
RCI_CLASSES: tuple[str, ...] = (
    "reliable deterioration", "no reliable change", "reliable improvement",
)
TOO_FEW_TO_JUDGE = "too few to judge"
TOO_FEW_TO_COMPARE = "too few to compare"

_BASELINE_SOURCES = ("flagged", "first on or after start")
_LEARNER_COLUMNS = ("birth_month", "sex", "primary_need", "fsm")
_NS_PER_DAY = 86_400 * 10**9


class ArgumentError(ParameterError, ValueError):
    """A bad argument: a ``ValueError`` (scipy style) that is also a
    :class:`~srb_eval.errors.ParameterError`, so notebooks report it as a parameter
    problem. The message names the parameter and what it allows."""


class InstrumentError(ParameterError, ValueError):
    """An instrument lacks what a method needs (e.g. the SD or reliability for the RCI).
    The message names the instrument and the missing column."""


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    """Raise :class:`ArgumentError` naming ``name`` and what it allows unless ``ok``."""
    check_argument(ok, name, allowed, got, error=ArgumentError)


def _need_columns(df: Any, columns: Sequence[str], name: str) -> None:
    _check(isinstance(df, pd.DataFrame), name, "a pandas DataFrame", type(df).__name__)
    missing = [c for c in columns if c not in df.columns]
    _check(not missing, name, "a table with columns " + ", ".join(columns),
           "a table without " + ", ".join(missing))


def _as_date(value: Any, name: str) -> pd.Timestamp | None:
    """``None`` or a date given as ``"YYYY-MM-DD"``, ``date`` or ``Timestamp``."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            out = pd.Timestamp(datetime.strptime(value.strip(), "%Y-%m-%d"))
        except ValueError:
            _check(False, name, 'None or a date "YYYY-MM-DD"', value)
        return out
    if isinstance(value, (date, pd.Timestamp, np.datetime64)) and not pd.isna(value):
        return pd.Timestamp(value).normalize()
    _check(False, name, 'None or a date "YYYY-MM-DD"', value)
    return None  # pragma: no cover


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
        x, (bool, np.bool_)) and math.isfinite(float(x))


def _r9(x: Any) -> np.ndarray:
    """Values rounded to 9 decimals before they are compared with a band boundary, so
    that floating-point noise cannot move an exact boundary value (a ratio gain of
    exactly 1.4, a change of exactly 1.96 S_diff) to the other side."""
    return np.round(np.asarray(x, dtype=float), 9)


def _days(x: pd.Series | np.ndarray) -> np.ndarray:
    """datetime64 values as float days since the epoch (NaT -> NaN)."""
    v = np.asarray(x, dtype="datetime64[ns]")
    out = v.view("i8").astype(float) / _NS_PER_DAY
    out[np.isnat(v)] = np.nan
    return out


# --------------------------------------------------------------------------- ages


def year_group(birth_month: pd.Series, on: pd.Series) -> pd.Series:
    """National Curriculum year group (Wales and England) on a date.

    Parameters
    ----------
    birth_month : Series of datetime64
        First day of the month of birth (as :func:`srb_eval.load_dataset` reads it).
    on : Series of datetime64
        The date (e.g. of an assessment).

    Returns
    -------
    Series of Int64
        0 = Reception, 1 = Year 1, ..., 13 = Year 13; -1 = Nursery. Missing where either
        date is missing.

    Notes
    -----
    The school year runs from 1 September to 31 August. A learner's year group in the
    school year that starts on 1 September of year :math:`Y` is their age on 31 August
    of :math:`Y` minus 4 (children who are 4 on 31 August start Reception). From the
    birth month :math:`(b_y, b_m)` alone:

    .. math:: \\text{age}_{31\\,Aug\\,Y} = Y - b_y - [b_m > 8],\\qquad
              Y = d_y - [d_m < 9]

    The birth month suffices because 31 August is a month end. The year group is the
    one a learner of that age belongs in; a learner taught out of year group is not
    known to the data.

    Examples
    --------
    >>> b = pd.Series(pd.to_datetime(["2015-08-01", "2015-09-01"]))
    >>> year_group(b, pd.Series(pd.to_datetime(["2020-09-10", "2020-09-10"]))).tolist()
    [1, 0]
    """
    b = pd.to_datetime(pd.Series(birth_month))
    d = pd.to_datetime(pd.Series(on))
    school_year = d.dt.year - (d.dt.month < 9).astype("Int64")
    age = school_year - b.dt.year - (b.dt.month > 8).astype("Int64")
    return (age - 4).astype("Int64")


def year_group_label(group: pd.Series) -> pd.Series:
    """Words for year groups: ``"Reception"``, ``"Year 7"``, ``"Nursery"``, ``"post-16"``...

    Year groups below -1 read ``"pre-school"``, above 13 ``"Year 14 and over"``;
    missing stays missing.

    Examples
    --------
    >>> year_group_label(pd.Series([-1, 0, 7, 14], dtype="Int64")).tolist()
    ['Nursery', 'Reception', 'Year 7', 'Year 14 and over']
    """
    g = pd.Series(group).astype("Int64")
    text = "Year " + g.astype("str")
    text = text.mask(g == 0, "Reception").mask(g == -1, "Nursery").mask(g < -1, "pre-school")
    text = text.mask(g > 13, "Year 14 and over")
    return text.astype(object).where(g.notna(), None)


def _age_months(birth_month: pd.Series, on: pd.Series) -> np.ndarray:
    """Chronological age in months (days / 30.4375) from the 1st of the birth month."""
    return (_days(on) - _days(birth_month)) / DAYS_PER_MONTH


# --------------------------------------------------------------------------- RCI


class RciResult(NamedTuple):
    """Reliable Change Index for one or many changes (arrays broadcast)."""

    se: np.ndarray  #: standard error of measurement, SD sqrt(1 - r)
    s_diff: np.ndarray  #: standard error of the difference, sqrt(2 SE^2)
    rc: np.ndarray  #: (x2 - x1) / S_diff
    change_needed: np.ndarray  #: criterion x S_diff: the smallest reliable change
    classification: np.ndarray  #: one of RCI_CLASSES (object array)


def rci(x1: Any, x2: Any, *, sd: Any, reliability: Any,
        criterion: float = RCI_CRITERION) -> RciResult:
    """Reliable Change Index of Jacobson & Truax (1991).

    Parameters
    ----------
    x1, x2 : float or array-like
        Score at baseline and at follow-up.
    sd : float or array-like
        Standard deviation of the instrument in its normative population (> 0).
    reliability : float or array-like
        Reliability :math:`r_{xx}` of the instrument (0 <= r < 1).
    criterion : float, default 1.96
        |RC| above this is reliable (1.96: two-sided 5%).

    Returns
    -------
    RciResult
        ``se``, ``s_diff``, ``rc``, ``change_needed`` and ``classification``
        ("reliable improvement", "no reliable change", "reliable deterioration"), as
        arrays broadcast from the inputs.

    Raises
    ------
    ArgumentError
        ``sd`` not positive, ``reliability`` outside [0, 1) or missing, or a bad
        ``criterion``.

    Notes
    -----
    .. math::
        SE = SD\\sqrt{1 - r_{xx}},\\quad S_{diff} = \\sqrt{2\\,SE^2},\\quad
        RC = \\frac{x_2 - x_1}{S_{diff}}

    :math:`|RC| > 1.96` is reliable change; exactly 1.96 is not (RC is compared after
    rounding to 9 decimals, so floating-point noise cannot decide). Higher scores are
    taken as better. A missing score gives NaN ``rc`` and a missing classification.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
       approach to defining meaningful change in psychotherapy research. *Journal of
       Consulting and Clinical Psychology*, 59(1), 12-19.
       https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    SD 15 and reliability 0.90 (a typical standardised attainment test): SE = 4.743,
    S_diff = 6.708, so a change of more than 13.15 points is reliable.

    >>> r = rci(70, 84, sd=15, reliability=0.9)
    >>> round(float(r.se), 3), round(float(r.s_diff), 3), round(float(r.change_needed), 2)
    (4.743, 6.708, 13.15)
    >>> round(float(r.rc), 3), str(r.classification)
    (2.087, 'reliable improvement')
    """
    _check(_is_number(criterion) and criterion > 0, "criterion", "a positive number",
           criterion)
    sd_a = np.asarray(sd, dtype=float)
    r_a = np.asarray(reliability, dtype=float)
    _check(bool(np.all(sd_a > 0)), "sd", "a positive number (not missing)", sd)
    _check(bool(np.all((r_a >= 0) & (r_a < 1))), "reliability",
           "a number from 0 up to (not including) 1, not missing", reliability)
    x1_a, x2_a = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    se = sd_a * np.sqrt(1 - r_a)
    s_diff = np.sqrt(2 * se**2)
    rc = (x2_a - x1_a) / s_diff
    rc9 = _r9(rc)
    cls = np.where(rc9 > criterion, RCI_CLASSES[2],
                   np.where(rc9 < -criterion, RCI_CLASSES[0], RCI_CLASSES[1])).astype(object)
    cls = np.where(np.isnan(rc), None, cls)
    return RciResult(se, s_diff, rc, criterion * s_diff, cls)


def _instrument_facts(instruments: pd.DataFrame) -> pd.DataFrame:
    cols = ["instrument", "scale", "sd", "reliability", "expected_gain_per_year"]
    _need_columns(instruments, cols, "instruments")
    out = instruments[cols].copy()
    out["instrument"] = out["instrument"].astype("str")
    out["scale"] = out["scale"].astype("str")
    return out.drop_duplicates("instrument")


def reliable_change(progress: pd.DataFrame, instruments: pd.DataFrame, *,
                    criterion: float = RCI_CRITERION, errors: str = "raise"
                    ) -> pd.DataFrame:
    """Reliable Change Index (Jacobson & Truax 1991) for standard-score progress rows.

    Parameters
    ----------
    progress : DataFrame
        From :func:`learner_progress`.
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
    See :func:`rci` for the formula. The RCI answers "is this change bigger than the
    test's measurement error?"; it does not depend on the time elapsed, so rows that are
    "too soon to judge" for a rate are included (their ``status`` says so). Rows with no
    follow-up, or a follow-up on the baseline date, are left out.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). *Journal of Consulting and Clinical
       Psychology*, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12
    """
    _need_columns(progress, ["learner_id", "instrument", "area", "baseline_score",
                             "outcome_score", "gain", "status"], "progress")
    _check(errors in ("raise", "skip"), "errors", '"raise" or "skip"', errors)
    inst = _instrument_facts(instruments)
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
    extra = [c for c in (*_LEARNER_COLUMNS, "year_group", "phase") if c in rows.columns]
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


# --------------------------------------------------------------------------- benchmarks

_BENCH_COLUMNS = ("instrument", "area", "phase", "baseline_min", "baseline_max",
                  "lq_gain_per_year", "median_gain_per_year", "uq_gain_per_year", "source")
_BENCH_NUMBERS = ("baseline_min", "baseline_max", "lq_gain_per_year", "median_gain_per_year",
                  "uq_gain_per_year")


def read_benchmarks(path: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read and check a benchmark table of expected gains by starting band and phase.

    The DfE Progression Guidance and CASPA idea: learners with similar starting points
    are compared with the spread of gains that such learners usually make. A benchmark
    row gives, for one instrument (optionally one area and one phase) and one band of
    baseline scores, the lower quartile, median and upper quartile of the gain per year.

    Parameters
    ----------
    path : str, Path or DataFrame
        A CSV file (UTF-8) with the columns below, or a DataFrame holding them.

        ==================== ==========================================================
        column               meaning
        ==================== ==========================================================
        instrument           instrument name, as in the ``instruments`` table
        area                 area code (``literacy``...), or empty = any area
        phase                ``primary``, ``secondary``, ``all-through``; empty = any
        baseline_min         lowest baseline score of the band (inclusive); empty = none
        baseline_max         band upper limit (exclusive); empty = no upper limit
        lq_gain_per_year     lower quartile of the gain per year, in score units
        median_gain_per_year median gain per year
        uq_gain_per_year     upper quartile of the gain per year
        source               where the figures come from (required)
        ==================== ==========================================================

    Returns
    -------
    DataFrame
        The same columns, numbers as float (empty limits as -inf / +inf), ``area`` and
        ``phase`` as str with missing for "any".

    Raises
    ------
    srb_eval.errors.DataValidationError
        Listing every problem with its row (as a person sees it in the file), column,
        value and rule: a missing column, a number that is not a number, quartiles out of
        order (LQ <= median <= UQ), ``baseline_min`` not below ``baseline_max``, an
        unknown area or phase, an empty source or instrument, or two bands of the same
        instrument, area and phase that overlap.
    srb_eval.errors.DataReadError
        If the file does not exist.

    Examples
    --------
    >>> t = pd.DataFrame({"instrument": ["Steps"], "area": [""], "phase": ["primary"],
    ...                   "baseline_min": [""], "baseline_max": ["20"],
    ...                   "lq_gain_per_year": ["3"], "median_gain_per_year": ["5"],
    ...                   "uq_gain_per_year": ["7"], "source": ["LA data 2024"]})
    >>> read_benchmarks(t)[["baseline_min", "baseline_max", "uq_gain_per_year"]].iloc[0].tolist()
    [-inf, 20.0, 7.0]
    """
    from .errors import DataReadError

    if isinstance(path, pd.DataFrame):
        raw = path.astype(object).astype("str").where(path.notna(), "")
        label = "benchmarks"
    else:
        p = Path(path)
        if not p.exists():
            raise DataReadError(f"{p}: no such benchmark file")
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        label = p.name
    raw = raw.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_"))
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    problems: list[Problem] = []
    missing = [c for c in _BENCH_COLUMNS if c not in raw.columns]
    if missing:
        problems.append(Problem(label, None, ", ".join(missing), None,
                                "required column(s) missing; see read_benchmarks"))
        raise DataValidationError(problems, source=label)
    t = raw[list(_BENCH_COLUMNS)].apply(lambda s: s.astype("str").str.strip())
    out = pd.DataFrame(index=t.index)
    for c in ("instrument", "source"):
        empty = t[c] == ""
        problems += [Problem(label, int(i), c, "", "must not be empty")
                     for i in t.index[empty]]
        out[c] = t[c]
    for c, vocab in (("area", S.AREAS), ("phase", S.PHASES)):
        v = t[c].str.lower()
        bad = (v != "") & ~v.isin(vocab)
        problems += [Problem(label, int(i), c, t.loc[i, c],
                             f"must be empty (any) or one of {', '.join(vocab)}")
                     for i in t.index[bad]]
        out[c] = v.where(v != "", None)
    for c in _BENCH_NUMBERS:
        num = pd.to_numeric(t[c].where(t[c] != ""), errors="coerce")
        bad = (t[c] != "") & (num.isna() | ~np.isfinite(num.astype(float)))
        required = c not in ("baseline_min", "baseline_max")
        bad |= required & (t[c] == "")
        problems += [Problem(label, int(i), c, t.loc[i, c],
                             "must be a number" + ("" if required else " or empty"))
                     for i in t.index[bad]]
        out[c] = num.astype(float)
    out["baseline_min"] = out["baseline_min"].fillna(-np.inf)
    out["baseline_max"] = out["baseline_max"].fillna(np.inf)
    lq, md, uq = (out[c] for c in ("lq_gain_per_year", "median_gain_per_year",
                                    "uq_gain_per_year"))
    disorder = (lq > md) | (md > uq)
    problems += [Problem(label, int(i), "lq_gain_per_year", f"{lq[i]:g}/{md[i]:g}/{uq[i]:g}",
                         "quartiles must be in order: lower <= median <= upper")
                 for i in out.index[disorder.fillna(False)]]
    inverted = out["baseline_min"] >= out["baseline_max"]
    problems += [Problem(label, int(i), "baseline_max", t.loc[i, "baseline_max"],
                         "must be above baseline_min")
                 for i in out.index[inverted.fillna(False)]]
    if not problems:
        key = ["instrument", "area", "phase"]
        k = out.assign(_row=out.index).fillna({"area": "", "phase": ""})
        k = k.sort_values(key + ["baseline_min", "_row"])
        prev_max = k.groupby(key, sort=False)["baseline_max"].shift()
        overlap = k["baseline_min"] < prev_max
        problems += [Problem(label, int(r), "baseline_min", t.loc[r, "baseline_min"],
                             "overlaps the band above it for the same instrument, area and "
                             "phase")
                     for r in k.loc[overlap.fillna(False), "_row"]]
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")),
                                  source=label)
    return out.reset_index(drop=True)


def _as_benchmarks(benchmarks: Any) -> pd.DataFrame | None:
    """A checked benchmark table: a path is read with :func:`read_benchmarks`; a
    DataFrame must already be one (numeric columns, as :func:`read_benchmarks` returns)."""
    if benchmarks is None:
        return None
    if isinstance(benchmarks, (str, Path)):
        return read_benchmarks(benchmarks)
    _need_columns(benchmarks, list(_BENCH_COLUMNS), "benchmarks")
    numeric = all(pd.api.types.is_float_dtype(benchmarks[c]) for c in _BENCH_NUMBERS)
    _check(numeric, "benchmarks", "a path or the table read_benchmarks() returns",
           "a DataFrame with non-numeric limits or quartiles")
    return benchmarks


def _match_benchmarks(rows: pd.DataFrame, bench: pd.DataFrame) -> pd.DataFrame:
    """LQ and UQ gain per year for each row (NaN where no band matches).

    The most specific benchmark wins: area and phase given, then area only, then phase
    only, then neither. Within a level, the band with ``baseline_min <= baseline <
    baseline_max`` (``merge_asof``; bands of one key do not overlap).
    """
    out = pd.DataFrame({"lq": np.nan, "uq": np.nan}, index=rows.index)
    if bench is None or bench.empty or rows.empty:
        return out
    left = pd.DataFrame({
        "_row": np.arange(len(rows)),
        "instrument": rows["instrument"].astype("str").to_numpy(),
        "area": rows["area"].astype("str").to_numpy(),
        "phase": (rows["phase"].astype("str").to_numpy() if "phase" in rows.columns
                  else np.full(len(rows), "")),
        "baseline_score": rows["baseline_score"].to_numpy(dtype=float),
    }).sort_values("baseline_score", kind="stable")
    lq = np.full(len(rows), np.nan)
    uq = np.full(len(rows), np.nan)
    done = np.zeros(len(rows), dtype=bool)
    for use_area, use_phase in ((True, True), (True, False), (False, True), (False, False)):
        b = bench.loc[(bench["area"].notna() == use_area) & (bench["phase"].notna() == use_phase)]
        if b.empty:
            continue
        by = ["instrument"] + (["area"] if use_area else []) + (["phase"] if use_phase else [])
        right = b[by + ["baseline_min", "baseline_max", "lq_gain_per_year",
                        "uq_gain_per_year"]].astype({c: "str" for c in by})
        right = right.sort_values("baseline_min", kind="stable")
        cand = left.loc[~done[left["_row"].to_numpy()]]
        if cand.empty:
            break
        m = pd.merge_asof(cand, right, left_on="baseline_score", right_on="baseline_min",
                          by=by, direction="backward")
        hit = (m["baseline_score"] < m["baseline_max"]).to_numpy()
        idx = m["_row"].to_numpy()[hit]
        lq[idx] = m["lq_gain_per_year"].to_numpy()[hit]
        uq[idx] = m["uq_gain_per_year"].to_numpy()[hit]
        done[idx] = True
    out["lq"], out["uq"] = lq, uq
    return out


# --------------------------------------------------------------------------- progress


def _factorize_str(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values.astype("str"), sort=True)``, from the codes if categorical."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.cat.codes.to_numpy(dtype=np.int64)
        used = np.flatnonzero(np.bincount(cat[cat >= 0],
                                          minlength=len(values.cat.categories)))
        small, names = pd.factorize(pd.Series(values.cat.categories[used]).astype("str"),
                                    sort=True)
        if len(names) == len(used) and (small >= 0).all():
            remap = np.full(len(values.cat.categories) + 1, -1, dtype=np.int64)
            remap[used] = small
            return remap[cat], names
    return pd.factorize(values.astype("str"), sort=True)


def _lexsort_days(d: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``np.lexsort((d, key))`` (int64 ``key``, then nanosecond dates ``d``). When every
    date is a midnight, one stable sort of key x days + day gives the same order, faster
    (the keys come nearly sorted)."""
    if len(d) and not (d % _NS_PER_DAY).any():
        day = d // _NS_PER_DAY
        lo, span = int(day.min()), int(day.max()) - int(day.min()) + 1
        if (max(abs(int(key.min())), abs(int(key.max()))) + 1) * span < 2**62:
            return np.argsort(key * span + (day - lo), kind="stable")
    return np.lexsort((d, key))


def _reduce(ufunc: np.ufunc, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return ufunc.reduceat(values, starts) if len(values) else values[:0]


def learner_progress(assessments: pd.DataFrame, placements: pd.DataFrame,
                     instruments: pd.DataFrame, *, srbs: pd.DataFrame | None = None,
                     learners: pd.DataFrame | None = None,
                     window_start: Any = None, window_end: Any = None,
                     anchor: str = "baseline", benchmarks: pd.DataFrame | None = None,
                     tolerance: float = DEFAULT_TOLERANCE,
                     min_years: float = MIN_YEARS,
                     criterion: float = RCI_CRITERION) -> pd.DataFrame:
    """Progress from baseline of every learner, placement, instrument and area.

    Parameters
    ----------
    assessments, placements, instruments : DataFrame
        The tables of DESIGN.md section 2 (as :func:`srb_eval.load_dataset` returns them).
        ``is_baseline`` is optional.
    srbs : DataFrame, optional
        Adds the SRB's ``phase`` (needed by phase-specific benchmarks).
    learners : DataFrame, optional
        Adds ``birth_month``, ``sex``, ``primary_need``, ``fsm`` and ``year_group`` (needed
        by :func:`ratio_gain` and group summaries by learner characteristics).
    window_start, window_end : None or "YYYY-MM-DD", optional
        The reporting window (inclusive; None = open). See Notes.
    anchor : {"baseline", "window"}, default "baseline"
        ``"baseline"``: progress from the placement's baseline to the latest assessment
        in the window. ``"window"``: the baseline rule applied to the assessments inside
        the window only (progress during the window).
    benchmarks : DataFrame, optional
        From :func:`read_benchmarks`; where a band matches it decides the band.
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
          :func:`year_group`).

    Notes
    -----
    **Which assessments belong to a placement.** Those of the learner dated from the
    placement's ``start_date`` to its ``end_date`` (or open). An assessment before the
    start is never a baseline (assumption A2).

    **Baseline.** The assessment flagged ``is_baseline`` (the earliest flagged date if
    several), else the first assessment of that instrument and area on or after the
    placement start (DESIGN.md section 3). ``is_baseline`` False or empty on every row
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
    outcome, time in years since the baseline (:func:`group_theil_sen`).

    **Expected-progress band** (``band_basis``), in this order:

    1. ``"benchmark"``: a benchmark band matches (instrument, area, phase and baseline
       score; the most specific row wins): below = rate < lower quartile, above = rate >
       upper quartile, expected = from LQ to UQ inclusive (DfE Progression Guidance /
       CASPA idea).
    2. ``"reliable change"``: a ``standard_score`` instrument whose expected gain per
       year is 0 or empty. A standard score is already relative to same-age peers, so
       expected progress means holding the score; a relative tolerance around 0 is
       meaningless, so the band is the RCI's verdict (:func:`rci`; needs ``sd`` and
       ``reliability``): reliable deterioration = below, no reliable change = expected,
       reliable improvement = above.
    3. ``"expected gain per year"``: expected rate :math:`e > 0`; with tolerance
       :math:`\\tau` (default 0.25): below if rate :math:`< (1-\\tau)e`, above if rate
       :math:`> (1+\\tau)e`, expected otherwise (boundaries are "expected"; rates and
       boundaries are compared at 9 decimals). With the default, a learner gaining 75%
       to 125% of the instrument's expected gain per year is "expected": a band readers
       can state in words, wide enough that one noisy termly result does not flip a
       one-year judgement on the demo instruments.
    4. ``"no expectation"``: none of these; no band.

    Vectorised: one merge of assessments with placements, then NumPy reductions over
    groups sorted by (placement, instrument, area, date).

    References
    ----------
    .. [1] srb-eval DESIGN.md section 3 and ``docs/assumptions_caveats.md`` (A2, A8).
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
    _need_columns(assessments, ["learner_id", "instrument", "area", "date", "score"],
                  "assessments")
    _need_columns(placements, ["learner_id", "srb_id", "start_date", "end_date"],
                  "placements")
    inst = _instrument_facts(instruments)
    ws, we = _as_date(window_start, "window_start"), _as_date(window_end, "window_end")
    _check(ws is None or we is None or ws <= we, "window_end",
           "on or after window_start", f"{window_end} (window_start {window_start})")
    _check(anchor in ("baseline", "window"), "anchor", '"baseline" or "window"', anchor)
    _check(_is_number(tolerance) and 0 <= tolerance < 1, "tolerance",
           "a number from 0 up to (not including) 1", tolerance)
    _check(_is_number(min_years) and min_years >= 0, "min_years", "a number of 0 or more",
           min_years)
    _check(_is_number(criterion) and criterion > 0, "criterion", "a positive number",
           criterion)
    benchmarks = _as_benchmarks(benchmarks)
    if srbs is not None:
        _need_columns(srbs, ["srb_id", "phase"], "srbs")
    if learners is not None:
        _need_columns(learners, ["learner_id", *_LEARNER_COLUMNS], "learners")

    # ---- assessments of each placement (joined on integer codes: strings are slow)
    p_lid = placements["learner_id"].astype("str")
    p_start = pd.to_datetime(placements["start_date"]).astype("datetime64[ns]").to_numpy()
    p_end = pd.to_datetime(placements["end_date"]).astype("datetime64[ns]").to_numpy()
    # a placement that ended before the window or started after it has no result in it
    # (its assessments all fall outside), so it is left out of the join from the start
    live = np.ones(len(placements), dtype=bool)
    if ws is not None:
        live &= np.isnat(p_end) | (p_end >= ws.to_datetime64())
    if we is not None:
        live &= p_start <= we.to_datetime64()
    learners_placed = pd.Index(pd.unique(p_lid[live]))
    inst_code, inst_names = _factorize_str(assessments["instrument"])
    area_code, area_names = _factorize_str(assessments["area"])
    a_lcode, a_lids = pd.factorize(assessments["learner_id"].astype("str"),
                                   use_na_sentinel=False)
    a_date = pd.to_datetime(assessments["date"]).astype("datetime64[ns]").to_numpy()
    a_score = pd.to_numeric(assessments["score"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    a_flag = (assessments["is_baseline"].astype("boolean").fillna(False).to_numpy(
        dtype=bool) if "is_baseline" in assessments.columns
        else np.zeros(len(assessments), dtype=bool))
    a_l = learners_placed.get_indexer(a_lids)[a_lcode].astype(np.int64)
    a_rows = np.flatnonzero((a_l >= 0) & ~np.isnat(a_date) & ~np.isnan(a_score))
    p_l = np.where(live, learners_placed.get_indexer(p_lid), -1).astype(np.int64)
    # inner join of assessments with the placements of their learner, in the order of an
    # inner merge: assessments in order, each with its learner's live placements in order
    p_order = np.argsort(p_l, kind="stable")
    p_order = p_order[(p_l[p_order] >= 0)]
    p_count = np.bincount(p_l[live], minlength=len(learners_placed))
    p_first = np.cumsum(p_count) - p_count
    cnt = p_count[a_l[a_rows]]
    rep = np.repeat(np.arange(len(a_rows)), cnt)
    within = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    p_rows = p_order[p_first[a_l[a_rows]][rep] + within]
    a_rows = a_rows[rep]
    d = a_date[a_rows]
    end = p_end[p_rows]
    inside = (d >= p_start[p_rows]) & (np.isnat(end) | (d <= end))
    if anchor == "window":
        if ws is not None:
            inside &= d.view("i8") >= ws.value
        if we is not None:
            inside &= d.view("i8") <= we.value
    a_rows, pl = a_rows[inside], p_rows[inside]

    # ---- sort into groups (placement, instrument, area), then by date
    inst_code = inst_code[a_rows].astype(np.int64)
    area_code = area_code[a_rows].astype(np.int64)
    key = (pl * max(len(inst_names), 1) + inst_code) * max(len(area_names), 1) + area_code
    d = a_date[a_rows].view("i8")
    order = _lexsort_days(d, key)
    key, d = key[order], d[order]
    score = a_score[a_rows[order]]
    flag = a_flag[a_rows[order]]
    n = len(key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if n else np.array([], int)
    gid = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    big = np.iinfo(np.int64).max

    first_flag = _reduce(np.minimum, np.where(flag, d, big), starts)
    first_any = _reduce(np.minimum, d, starts)
    flagged = first_flag < big
    base_d = np.where(flagged, first_flag, first_any)
    is_base = (d == base_d[gid]) & (flag | ~flagged[gid])
    point = d >= base_d[gid]
    if anchor == "baseline" and we is not None:
        point &= d <= we.value
    pd_ = np.where(point, d, np.iinfo(np.int64).min)
    out_d = _reduce(np.maximum, pd_, starts)
    group_ok = out_d > np.iinfo(np.int64).min  # baseline on or before window_end
    if anchor == "baseline" and ws is not None:
        group_ok &= out_d >= ws.value
    n_points = _reduce(np.add, point.astype(np.int64), starts)
    base_sum = _reduce(np.add, np.where(is_base, score, 0.0), starts)
    base_n = _reduce(np.add, is_base.astype(np.int64), starts)
    is_out = point & (d == out_d[gid])
    out_sum = _reduce(np.add, np.where(is_out, score, 0.0), starts)
    out_n = _reduce(np.add, is_out.astype(np.int64), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        base_score = base_sum / base_n
        out_score = out_sum / np.maximum(out_n, 1)

    follow = n_points >= 2
    elapsed_days = np.where(follow, (out_d - base_d) / _NS_PER_DAY, np.nan)
    elapsed_years = elapsed_days / DAYS_PER_YEAR
    moved = follow & (elapsed_days > 0)
    measured = moved & (elapsed_years >= min_years)
    gain = np.where(moved, out_score - base_score, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(measured, gain / np.where(measured, elapsed_years, 1.0), np.nan)

    # Theil-Sen over the points of measured groups
    slope = np.full(len(starts), np.nan)
    use = point & measured[gid]
    if use.any():
        t = (d[use] - base_d[gid[use]]) / _NS_PER_DAY / DAYS_PER_YEAR
        ts = group_theil_sen(gid[use], t, score[use])
        slope[ts.index.to_numpy(dtype=np.int64)] = ts.to_numpy()

    # ---- one row per kept group, in the order of the result: learner, placement start,
    # instrument, area (as text; ties keep the group order), built by taking each column
    first_row = order[starts]
    grp = np.flatnonzero(group_ok)
    g_p = pl[first_row][grp]
    g_inst = inst_code[first_row][grp]
    g_area = area_code[first_row][grp]
    p_lsorted, p_lnames = pd.factorize(p_lid, sort=True)
    start_key = p_start.view("i8")[g_p]
    start_key = np.where(start_key == np.iinfo(np.int64).min, np.iinfo(np.int64).max,
                         start_key)
    grp = grp[np.lexsort((g_area, g_inst, start_key, p_lsorted[g_p]))]
    g_p = pl[first_row][grp]
    g_inst = inst_code[first_row][grp]
    g_area = area_code[first_row][grp]

    def take(values: Any, rows: np.ndarray) -> Any:
        """Rows of a column (pandas arrays keep their dtype; -1 gives a missing value)."""
        arr = values.array if isinstance(values, pd.Series) else values
        if isinstance(arr, np.ndarray):
            return arr[rows]
        return arr.take(rows, allow_fill=True)

    def names(labels: pd.Index, codes: np.ndarray) -> Any:
        return pd.array(labels, dtype="str").take(codes) if len(codes) else pd.array(
            [], dtype="str")

    no_follow = ~follow[grp]
    res = pd.DataFrame({
        "learner_id": take(p_lid.reset_index(drop=True), g_p),
        "srb_id": take(placements["srb_id"].astype("str").reset_index(drop=True), g_p),
        "placement_start": p_start[g_p],
        "placement_end": p_end[g_p],
        "instrument": names(inst_names, g_inst),
        "area": names(area_names, g_area),
        "baseline_date": base_d[grp].astype("datetime64[ns]"),
        "baseline_score": base_score[grp],
        "baseline_source": names(pd.Index(list(_BASELINE_SOURCES)),
                                 np.where(flagged[grp], 0, 1)),
        "outcome_date": np.where(no_follow, np.iinfo(np.int64).min, out_d[grp]).astype(
            "datetime64[ns]"),
        "outcome_score": np.where(follow[grp], out_score[grp], np.nan),
        "n_points": n_points[grp],
        "elapsed_days": elapsed_days[grp],
        "elapsed_years": elapsed_years[grp],
        "gain": gain[grp],
        "rate": rate[grp],
        "slope": slope[grp],
        "status": pd.Categorical.from_codes(
            np.where(measured, 0, np.where(follow, 1, 2))[grp], categories=list(STATUSES)),
    })
    if srbs is not None:
        ph = pd.DataFrame({"srb_id": srbs["srb_id"].astype("str"),
                           "phase": srbs["phase"].astype("str")}).drop_duplicates("srb_id")
        # positions looked up once per distinct value, then spread by integer codes
        p_scode, p_snames = pd.factorize(placements["srb_id"].astype("str"))
        at = np.append(pd.Index(ph["srb_id"]).get_indexer(p_snames), -1)[p_scode[g_p]]
        res.insert(4, "phase", take(ph["phase"].reset_index(drop=True), at))
    at = np.append(pd.Index(inst["instrument"]).get_indexer(inst_names), -1)[g_inst]
    for c in ("scale", "sd", "reliability", "expected_gain_per_year"):
        res[c] = take(inst[c].reset_index(drop=True), at)
    bands = _bands(res, benchmarks=benchmarks, tolerance=tolerance, criterion=criterion)
    res["band"], res["band_basis"] = bands["band"], bands["band_basis"]
    exp = res["expected_gain_per_year"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        res["progress_ratio"] = np.where(exp > 0, res["rate"].to_numpy() / np.where(
            exp > 0, exp, 1.0), np.nan)
    if learners is not None:
        lr = learners[["learner_id", *_LEARNER_COLUMNS]].drop_duplicates("learner_id")
        at = np.append(pd.Index(lr["learner_id"].astype("str")).get_indexer(p_lnames),
                       -1)[p_lsorted[g_p]]
        for c in _LEARNER_COLUMNS:
            res[c] = take(lr[c].reset_index(drop=True), at)
        res["year_group"] = year_group(res["birth_month"],
                                       res["outcome_date"].fillna(res["baseline_date"]))
    used = pd.Index(area_names[np.unique(g_area)] if len(g_area) else [], dtype=object)
    cats = pd.Index([*S.AREAS, *sorted(set(used) - set(S.AREAS))])
    res["area"] = pd.Categorical.from_codes(
        np.append(cats.get_indexer(area_names), -1)[g_area] if len(g_area) else
        np.array([], dtype=np.int64), categories=cats)
    cols = ["learner_id", "srb_id", "placement_start", "placement_end",
            *(["phase"] if srbs is not None else []), "instrument", "scale", "area",
            "baseline_date", "baseline_score", "baseline_source", "outcome_date",
            "outcome_score", "n_points", "elapsed_days", "elapsed_years", "gain", "rate",
            "slope", "expected_gain_per_year", "progress_ratio", "status", "band",
            "band_basis",
            *([*_LEARNER_COLUMNS, "year_group"] if learners is not None else [])]
    return res[cols]


def _bands(res: pd.DataFrame, *, benchmarks: pd.DataFrame | None, tolerance: float,
           criterion: float) -> pd.DataFrame:
    """The expected-progress band of each progress row (see learner_progress), as
    categoricals ``band`` (of :data:`BANDS`) and ``band_basis`` (of :data:`BAND_BASES`)."""
    n = len(res)
    below, expected, above = (BANDS.index(b) for b in ("below", "expected", "above"))
    band = np.full(n, -1, dtype=np.int8)  # -1: no band
    basis = np.full(n, BAND_BASES.index(BAND_BASES[3]), dtype=np.int8)

    def banded(low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return np.where(low, below, np.where(high, above, expected))

    if n:
        measured = (res["status"] == STATUSES[0]).to_numpy(dtype=bool)
        rate = res["rate"].to_numpy(dtype=float)
        exp = res["expected_gain_per_year"].to_numpy(dtype=float)
        standard = res["scale"].eq("standard_score").to_numpy(dtype=bool, na_value=False)
        sd = res["sd"].to_numpy(dtype=float)
        rel = res["reliability"].to_numpy(dtype=float)
        todo = np.ones(n, dtype=bool)

        if benchmarks is not None and len(benchmarks):
            q = _match_benchmarks(res, benchmarks)
            hit = q["lq"].notna().to_numpy()
            lq, uq = q["lq"].to_numpy(), q["uq"].to_numpy()
            sel = hit & measured
            r9 = _r9(rate[sel])
            band[sel] = banded(r9 < _r9(lq[sel]), r9 > _r9(uq[sel]))
            basis[hit] = 0
            todo &= ~hit

        std = todo & standard & (np.isnan(exp) | (exp == 0))
        rci_ok = std & (sd > 0) & (rel >= 0) & (rel < 1)
        if rci_ok.any():
            sel = rci_ok & measured
            if sel.any():
                r = rci(res["baseline_score"].to_numpy()[sel],
                        res["outcome_score"].to_numpy()[sel],
                        sd=sd[sel], reliability=rel[sel], criterion=criterion)
                band[sel] = banded(_r9(r.rc) < -criterion, _r9(r.rc) > criterion)
            basis[rci_ok] = 1
        todo &= ~std

        rel_rule = todo & (exp > 0)
        sel = rel_rule & measured
        r9 = _r9(rate[sel])
        band[sel] = banded(r9 < _r9((1 - tolerance) * exp[sel]),
                           r9 > _r9((1 + tolerance) * exp[sel]))
        basis[rel_rule] = 2
        band[~measured] = -1
    return pd.DataFrame({
        "band": pd.Categorical.from_codes(band, categories=list(BANDS), ordered=True),
        "band_basis": pd.Categorical.from_codes(basis, categories=list(BAND_BASES))})


def dataset_progress(ds: Any, *, srb: str = "all", areas: Any = "all", **kwargs: Any
                     ) -> pd.DataFrame:
    """:func:`learner_progress` on a :class:`~srb_eval.data.io.Dataset`, for one SRB or all.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset. Without ``assessments`` or ``instruments`` the result is an
        empty table with the usual columns.
    srb : str, default "all"
        ``"all"`` or an ``srb_id`` (placements in that SRB only).
    areas : "all" or list of str
        Areas to keep.
    **kwargs
        Passed to :func:`learner_progress` (``window_start``, ``benchmarks``...).

    Returns
    -------
    DataFrame
        As :func:`learner_progress`, with ``srbs`` and ``learners`` joined.

    Raises
    ------
    ArgumentError
        An unknown ``srb`` or area.
    """
    placements = ds.placements
    if srb != "all":
        known = set(ds.srbs["srb_id"].astype("str"))
        _check(srb in known, "srb", '"all" or one of ' + ", ".join(sorted(known)), srb)
        placements = placements.loc[placements["srb_id"].astype("str") == srb]
    keep = _check_areas(areas)
    if ds.assessments is None or ds.instruments is None:
        empty_a = pd.DataFrame({"learner_id": pd.Series(dtype="str"),
                                "instrument": pd.Series(dtype="str"),
                                "area": pd.Series(dtype="str"),
                                "date": pd.Series(dtype="datetime64[ns]"),
                                "score": pd.Series(dtype=float)})
        empty_i = pd.DataFrame({c: pd.Series(dtype=float) for c in
                                ("sd", "reliability", "expected_gain_per_year")}).assign(
            instrument=pd.Series(dtype="str"), scale=pd.Series(dtype="str"))
        return learner_progress(empty_a, placements, empty_i, srbs=ds.srbs,
                                learners=ds.learners, **kwargs)
    a = ds.assessments
    if keep is not None:
        a = a.loc[a["area"].astype("str").isin(keep)]
    return learner_progress(a, placements, ds.instruments, srbs=ds.srbs,
                            learners=ds.learners, **kwargs)


def _check_areas(areas: Any) -> list[str] | None:
    if isinstance(areas, str) and areas == "all":
        return None
    values = [areas] if isinstance(areas, str) else areas
    _check(isinstance(values, (list, tuple)) and len(values) > 0
           and all(isinstance(v, str) for v in values), "areas",
           '"all" or a list of areas (' + ", ".join(S.AREAS) + ")", areas)
    bad = [v for v in values if v not in S.AREAS]
    _check(not bad, "areas", '"all" or a list of areas from ' + ", ".join(S.AREAS), bad)
    return list(values)


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
        ``score``, ``years`` (since the baseline date, / 365.25),
        ``expected_gain_per_year``, ``expected_score`` (baseline score + expected gain per
        year x years: flat for a standard score expected to hold; NaN where the
        instrument has no expected gain),
        ``status``, ``band``. Sorted by learner, placement, instrument, area and date.
    """
    _need_columns(assessments, ["learner_id", "instrument", "area", "date", "score"],
                  "assessments")
    _need_columns(progress, ["learner_id", "srb_id", "placement_start", "instrument", "scale",
                             "area", "baseline_date", "outcome_date", "baseline_score",
                             "expected_gain_per_year", "status", "band"], "progress")
    cols = ["learner_id", "srb_id", "placement_start", "instrument", "scale", "area", "date",
            "score", "years", "expected_gain_per_year", "expected_score", "status", "band"]
    # join progress rows with the assessments of the same learner, instrument and area
    # on integer codes (sorted, so code order is string order); strings are slow
    p_lcode, lids = pd.factorize(progress["learner_id"].astype("str"), sort=True)
    p_icode, insts = pd.factorize(progress["instrument"].astype("str"), sort=True)
    p_area = progress["area"].astype("str")
    areas = pd.Index(pd.unique(p_area))
    p_acode = areas.get_indexer(p_area)
    a_l = positions(assessments["learner_id"], lids)
    a_i = positions(assessments["instrument"], insts)
    a_a = positions(assessments["area"], areas)
    a_rows = np.flatnonzero((a_l >= 0) & (a_i >= 0) & (a_a >= 0))
    nk_i, nk_a = max(len(insts), 1), max(len(areas), 1)
    p_key = (p_lcode.astype(np.int64) * nk_i + p_icode) * nk_a + p_acode
    a_key = (a_l[a_rows] * nk_i + a_i[a_rows]) * nk_a + a_a[a_rows]
    # every (progress row, assessment) pair with equal keys: progress rows in order, each
    # with its assessments in table order (the order of an inner merge)
    a_order = np.argsort(a_key, kind="stable")
    a_sorted = a_key[a_order]
    lo = np.searchsorted(a_sorted, p_key, side="left")
    cnt = np.searchsorted(a_sorted, p_key, side="right") - lo
    prow = np.repeat(np.arange(len(progress)), cnt)
    within = np.arange(len(prow)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    arow = a_rows[a_order[np.repeat(lo, cnt) + within]]
    date = pd.to_datetime(assessments["date"]).astype("datetime64[ns]").to_numpy()
    d = date[arow].view("i8")
    base = progress["baseline_date"].astype("datetime64[ns]").to_numpy().view("i8")
    last = progress["outcome_date"].fillna(progress["baseline_date"]).astype(
        "datetime64[ns]").to_numpy().view("i8")
    nat = np.iinfo(np.int64).min
    keep = (d != nat) & (base[prow] != nat) & (last[prow] != nat) & (d >= base[prow]) & (
        d <= last[prow])
    prow, arow, d = prow[keep], arow[keep], d[keep]
    # sorted by learner, placement start, instrument, area (category order), date
    if isinstance(progress["area"].dtype, pd.CategoricalDtype):
        area_cats = progress["area"].cat.categories
    else:
        area_cats = pd.Index(sorted(p_area.unique()))
    area_rank = area_cats.get_indexer(areas)[p_acode]
    start = progress["placement_start"].astype("datetime64[ns]").to_numpy().view("i8")
    # progress rows ranked by those keys (ties share a rank), then one sort by rank and date
    by = np.lexsort((area_rank, p_icode, start, p_lcode))
    keys = np.column_stack([p_lcode, start, p_icode, area_rank])[by]
    step = np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)] if len(by) else np.array([], bool)
    rank = np.empty(len(by), dtype=np.int64)
    rank[by] = np.cumsum(step) - 1
    order = _lexsort_days(d, rank[prow])
    prow, arow, d = prow[order], arow[order], d[order]
    out = progress[["learner_id", "srb_id", "placement_start", "instrument", "scale"]].take(
        prow).reset_index(drop=True)
    out["learner_id"] = out["learner_id"].astype("str")
    out["instrument"] = out["instrument"].astype("str")
    out["area"] = pd.Categorical.from_codes(area_rank[prow], categories=area_cats)
    out["date"] = d.astype("datetime64[ns]")
    out["score"] = assessments["score"].to_numpy(dtype=float, na_value=np.nan)[arow]
    days = (d - base[prow]) // _NS_PER_DAY
    out["years"] = days / DAYS_PER_YEAR
    exp = progress["expected_gain_per_year"].to_numpy(dtype=float)[prow]
    out["expected_gain_per_year"] = exp
    out["expected_score"] = progress["baseline_score"].to_numpy(dtype=float)[prow] + (
        exp * out["years"].to_numpy())
    for c in ("status", "band"):
        out[c] = progress[c].take(prow).reset_index(drop=True)
    return out[cols]


# --------------------------------------------------------------------------- ratio gain


def brooks_bands(path: str | Path | None = None) -> pd.DataFrame:
    """The Brooks ratio-gain bands (``reference/brooks_ratio_gain_bands.csv``).

    Returns
    -------
    DataFrame
        ``min_ratio_gain`` (float, -inf for the lowest band), ``label``, ``source``,
        sorted by ``min_ratio_gain``.
    """
    p = Path(path) if path is not None else REFERENCE_DIR / "brooks_ratio_gain_bands.csv"
    t = pd.read_csv(p, dtype={"label": "str", "source": "str"})
    missing = {"min_ratio_gain", "label", "source"} - set(t.columns)
    _check(not missing, "path", "a CSV with columns min_ratio_gain, label, source",
           f"{p} without {sorted(missing)}")
    t["min_ratio_gain"] = t["min_ratio_gain"].astype(float).fillna(-np.inf)
    return t.sort_values("min_ratio_gain").reset_index(drop=True)


def ratio_gain(progress: pd.DataFrame, *, bands: pd.DataFrame | None = None,
               scales: Sequence[str] = ("age_equivalent_months",),
               guidance_months: float = 24, sld_guidance_months: float = 36
               ) -> pd.DataFrame:
    """Brooks' ratio gain and the gap between age-equivalent and chronological age.

    Parameters
    ----------
    progress : DataFrame
        From :func:`learner_progress` with ``learners`` given (``birth_month`` and
        ``primary_need`` are needed).
    bands : DataFrame, optional
        Ratio-gain bands (:func:`brooks_bands`, the default).
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
        (age-equivalent months), ``gain_months``, ``elapsed_months`` (days / 30.4375),
        ``ratio_gain``, ``ratio_gain_band``, ``age_at_baseline_months``,
        ``age_at_outcome_months`` (chronological), ``gap_at_baseline_months``,
        ``gap_at_outcome_months`` (chronological minus age-equivalent: positive = behind),
        ``guidance_gap_months`` (24, or 36 for SLD) and ``meets_guidance_gap`` (the gap at
        baseline is at least 24 months, or more than 36 for SLD; missing if unknown).

    Notes
    -----
    Brooks' ratio gain is the gain in age-equivalent months divided by the
    chronological months elapsed:

    .. math:: RG = \\frac{AE_{out} - AE_{base}}{(d_{out} - d_{base}) / 30.4375}

    A ratio gain of 1 keeps pace with age; below 1 the gap widens. Bands (editable
    reference data, assumption A4): below 1.4 of doubtful educational significance, 1.4
    modest, 2.0 useful, 3.0 substantial, 4.0 remarkable impact; a band applies from its
    lower limit (inclusive; compared at 9 decimals). Given only for ``status == "measured"`` (at least one term
    elapsed; a ratio over a few weeks is noise); otherwise NaN and no band.
    Chronological ages use the 1st of the birth month (A8: up to a month too old, so
    gaps up to a month too large). "Now" is the latest assessment.

    References
    ----------
    .. [1] Brooks, G. (2016). *What works for children and young people with literacy
       difficulties? The effectiveness of intervention schemes* (5th ed.). Dyslexia-SpLD
       Trust. Band values not checked against the text here (A4).

    Examples
    --------
    A reading age of 72 months rising to 80 over 12 months elapsed: RG = 8 / 12 = 0.67.
    """
    _need_columns(progress, ["learner_id", "srb_id", "instrument", "area", "scale",
                             "status", "baseline_date", "outcome_date", "baseline_score",
                             "outcome_score", "gain", "birth_month", "primary_need"],
                  "progress (with learners= given to learner_progress)")
    _check(_is_number(guidance_months), "guidance_months", "a number", guidance_months)
    _check(_is_number(sld_guidance_months), "sld_guidance_months", "a number",
           sld_guidance_months)
    b = brooks_bands() if bands is None else bands
    _need_columns(b, ["min_ratio_gain", "label"], "bands")
    b = b.assign(min_ratio_gain=b["min_ratio_gain"].astype(float).fillna(-np.inf))
    b = b.sort_values("min_ratio_gain")
    rows = progress.loc[progress["scale"].astype("str").isin(list(scales))]
    out = rows[["learner_id", "srb_id", "instrument", "area", "primary_need", "status",
                "baseline_date", "outcome_date", "baseline_score", "outcome_score"]].copy()
    out["gain_months"] = rows["gain"]
    elapsed = (_days(rows["outcome_date"]) - _days(rows["baseline_date"])) / DAYS_PER_MONTH
    out["elapsed_months"] = elapsed
    measured = (rows["status"] == STATUSES[0]).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        rg = np.where(measured, rows["gain"].to_numpy(dtype=float) / np.where(
            measured, elapsed, 1.0), np.nan)
    out["ratio_gain"] = rg
    labels = b["label"].astype("str").to_numpy()
    pos = np.searchsorted(_r9(b["min_ratio_gain"].to_numpy()), _r9(rg), side="right") - 1
    band = np.where(np.isnan(rg) | (pos < 0), None, labels[np.clip(pos, 0, None)])
    out["ratio_gain_band"] = pd.Categorical(band, categories=list(dict.fromkeys(labels)),
                                            ordered=True)
    age_b = _age_months(rows["birth_month"], rows["baseline_date"])
    age_o = _age_months(rows["birth_month"], rows["outcome_date"])
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


# --------------------------------------------------------------------------- effect sizes


def hedges_correction(df: Any) -> np.ndarray:
    """Hedges' small-sample correction factor :math:`J = 1 - 3 / (4\\,df - 1)`.

    Parameters
    ----------
    df : int or array-like
        Degrees of freedom (n - 1 for a one-group pre-post change).

    Returns
    -------
    numpy.ndarray
        J; NaN where ``df < 2`` (at ``df = 1`` the factor is 0, so the corrected
        effect would be a meaningless 0).

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size
       and related estimators. *Journal of Educational Statistics*, 6(2), 107-128.
       https://doi.org/10.3102/10769986006002107

    Examples
    --------
    >>> hedges_correction([1, 2, 4]).round(4).tolist()
    [nan, 0.5714, 0.8]
    """
    d = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        j = 1 - 3 / (4 * d - 1)
    return np.where(d >= 2, j, np.nan)


def standardised_mean_change(baseline: Any, outcome: Any) -> tuple[float, float, str]:
    """Standardised mean change of one group, Hedges-corrected (:math:`g_{av}`).

    Parameters
    ----------
    baseline, outcome : array-like of float
        Paired scores (pairs with a missing value are dropped).

    Returns
    -------
    (float, float, str)
        ``(g_av, d_av, note)``: the corrected and uncorrected effect size, and ``""`` or
        the reason they are NaN ("too few to judge" for fewer than 3 pairs; "no spread in
        scores" when both standard deviations are 0).

    Notes
    -----
    Cohen's :math:`d_{av}` (Lakens 2013, eq. 10) divides the mean change by the average
    of the baseline and outcome standard deviations (``ddof=1``), and Hedges' correction
    with :math:`df = n - 1` gives :math:`g_{av}`:

    .. math::
        d_{av} = \\frac{\\bar x_{out} - \\bar x_{base}}{(s_{base} + s_{out}) / 2},\\qquad
        g_{av} = d_{av}\\left(1 - \\frac{3}{4(n-1) - 1}\\right)

    Why :math:`d_{av}` and not :math:`d_z` = mean(gain) / sd(gain): :math:`d_z` is
    inflated by the correlation between baseline and outcome (by about
    :math:`1/\\sqrt{2(1-r)}`, over 2x for a test with r = 0.9), while :math:`d_{av}`
    is on the same scale as the between-group effect sizes of the EEF Toolkit, so the
    months-of-progress reading is less exaggerated (Lakens 2013 recommends
    :math:`g_{av}` for this reason). Consequences for small and degenerate groups:
    identical gains (sd of gains 0) still have a defined :math:`g_{av}` if the scores
    themselves vary; with both standard deviations 0 it is undefined (NaN, "no spread
    in scores"); fewer than 3 pairs give NaN ("too few to judge"), because at
    :math:`df = 1` the correction is 0.

    References
    ----------
    .. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate
       cumulative science: a practical primer for t-tests and ANOVAs. *Frontiers in
       Psychology*, 4, 863. https://doi.org/10.3389/fpsyg.2013.00863
    .. [2] Hedges, L. V. (1981). *Journal of Educational Statistics*, 6(2), 107-128.

    Examples
    --------
    >>> g, d, note = standardised_mean_change([10, 12, 14], [12, 14, 16])
    >>> round(d, 3), round(g, 3), note
    (1.0, 0.571, '')
    """
    x = np.asarray(baseline, dtype=float)
    y = np.asarray(outcome, dtype=float)
    _check(x.shape == y.shape, "outcome", "the same length as baseline", (x.size, y.size))
    ok = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[ok], y[ok]
    if len(x) < 3:
        return math.nan, math.nan, TOO_FEW_TO_JUDGE
    s = (np.std(x, ddof=1) + np.std(y, ddof=1)) / 2
    if s == 0:
        return math.nan, math.nan, "no spread in scores"
    d = float((y.mean() - x.mean()) / s)
    return float(d * hedges_correction(len(x) - 1)), d, ""


def eef_months_table(path: str | Path | None = None) -> pd.DataFrame:
    """The EEF months-of-progress table (``reference/eef_months.csv``).

    Returns
    -------
    DataFrame
        ``min_effect``, ``max_effect`` (+inf for the top row), ``months``, ``source``.
    """
    p = Path(path) if path is not None else REFERENCE_DIR / "eef_months.csv"
    t = pd.read_csv(p, dtype={"source": "str"})
    missing = {"min_effect", "max_effect", "months", "source"} - set(t.columns)
    _check(not missing, "path", "a CSV with columns min_effect, max_effect, months, source",
           f"{p} without {sorted(missing)}")
    t["max_effect"] = t["max_effect"].astype(float).fillna(np.inf)
    return t.sort_values("min_effect").reset_index(drop=True)


def eef_months(effect: Any, *, table: pd.DataFrame | None = None) -> np.ndarray:
    """Indicative EEF months of progress for effect sizes.

    Parameters
    ----------
    effect : float or array-like
        Effect sizes (NaN gives NaN).
    table : DataFrame, optional
        :func:`eef_months_table` (the default).

    Returns
    -------
    numpy.ndarray of float
        Months (whole numbers), negative for negative effects.

    Notes
    -----
    The EEF Teaching and Learning Toolkit converts an effect size into additional
    months' progress with the table in DESIGN.md section 3 (-0.01 to 0.01 -> 0, 0.02 to
    0.09 -> 1, ..., 0.96 and above -> 12; negative effects mirror). The table is at two
    decimals, so the effect is rounded to two decimals (half away from zero) and its
    absolute value looked up; the sign is then applied. The Toolkit describes controlled
    comparisons; readings of a one-group change are **indicative** only (A3).

    References
    ----------
    .. [1] Education Endowment Foundation. *Teaching and Learning Toolkit*: converting
       effect sizes into months' progress.

    Examples
    --------
    >>> eef_months([0.0, 0.015, 0.3, -0.3, 1.4]).tolist()
    [0.0, 1.0, 4.0, -4.0, 12.0]
    """
    t = eef_months_table() if table is None else table
    e = np.asarray(effect, dtype=float)
    a = np.floor(np.abs(e) * 100 + 0.5) / 100  # half away from zero, two decimals
    lo = t["min_effect"].to_numpy(dtype=float)
    hi = t["max_effect"].astype(float).fillna(np.inf).to_numpy()
    months = t["months"].to_numpy(dtype=float)
    pos = np.searchsorted(lo, a + 1e-9, side="right") - 1
    ok = (pos >= 0) & ~np.isnan(a)
    pos = np.clip(pos, 0, None)
    ok &= a <= hi[pos] + 1e-9
    out = np.where(ok, months[pos] * np.sign(e), np.nan)
    return out + 0.0  # no negative zero


# --------------------------------------------------------------------------- groups


def _group_keys(progress: pd.DataFrame, by: Any, name: str = "by") -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    _check(all(isinstance(k, str) for k in keys), name, "a column name or list of names", by)
    missing = [k for k in keys if k not in progress.columns]
    _check(not missing, name, "columns of progress (" + ", ".join(map(str, progress.columns))
           + ")", missing)
    return keys


#: Largest group given a BCa interval; larger groups get the percentile interval (the
#: BCa jackknife costs O(n^2), and for large n the two agree closely).
BCA_MAX_N = 1000
#: Resamples for groups larger than :data:`BCA_MAX_N` (at most): 1,999 is ample for a
#: percentile interval (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993,
#: advise 1,000 or more for interval endpoints),
#: and the cost of a bootstrap grows with n x resamples (an all-England group of
#: 100,000 results at 9,999 resamples is a billion draws).
LARGE_GROUP_RESAMPLES = 1999
_BOOTSTRAP_CELLS = 10_000_000  # values drawn per batch (bounds memory to ~80 MB)


_BOOTSTRAP_BLOCK = 1 << 16  # values gathered per block (stays in cache)
_BOOTSTRAP_BLOCK_LARGE = 1 << 20  # per block when drawing and averaging overlap
_BOOTSTRAP_PIPELINE = 20_000_000  # values drawn from which drawing and averaging overlap


class _Resampled(NamedTuple):
    """A bootstrap distribution handed to ``scipy.stats.bootstrap`` (``bootstrap_result``)."""

    bootstrap_distribution: np.ndarray


def _bootstrap_means(x: np.ndarray, *, seed: int, n_resamples: int) -> np.ndarray:
    """The means of ``n_resamples`` bootstrap resamples of ``x``, identical to those of
    ``scipy.stats.bootstrap(..., rng=np.random.default_rng(seed), vectorized=True)``.

    scipy draws the indices row by row (``rng.integers(0, n, (batch, n))``, int64) and
    takes ``np.mean(x[idx], axis=-1)``; the integers form one stream whatever the batch,
    so drawing and averaging it in cache-sized blocks gives the same numbers, faster.
    """
    rng = np.random.default_rng(seed)
    n = len(x)
    out = np.empty(n_resamples, dtype=float)
    if n * n_resamples < _BOOTSTRAP_PIPELINE:
        rows = max(1, _BOOTSTRAP_BLOCK // n)
        for k in range(0, n_resamples, rows):
            r = min(rows, n_resamples - k)
            out[k:k + r] = np.take(x, rng.integers(0, n, (r, n))).mean(axis=-1)
        return out
    # large samples: one helper thread draws the next block of indices (numpy releases
    # the GIL) while this one averages the current block; blocks are drawn one after
    # another from the one generator, so the stream is the same as above
    rows = max(1, _BOOTSTRAP_BLOCK_LARGE // n)
    spans = [(k, min(rows, n_resamples - k)) for k in range(0, n_resamples, rows)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt = pool.submit(rng.integers, 0, n, (spans[0][1], n))
        for i, (k, r) in enumerate(spans):
            idx = nxt.result()
            if i + 1 < len(spans):
                nxt = pool.submit(rng.integers, 0, n, (spans[i + 1][1], n))
            out[k:k + r] = np.take(x, idx).mean(axis=-1)
    return out


def _bootstrap_means_by_counts(x: np.ndarray, *, seed: int, n_resamples: int
                               ) -> np.ndarray:
    """The means of ``n_resamples`` bootstrap resamples of ``x``, drawn as counts.

    A resample of n values drawn with replacement from ``x`` holds each distinct value
    :math:`v_k` (present :math:`m_k` times) :math:`c_k` times, with
    :math:`(c_1, ..., c_K) \\sim \\text{Multinomial}(n, m_k / n)`, and its mean is
    :math:`\\sum_k c_k v_k / n`: the same distribution as the ordinary bootstrap (Efron &
    Tibshirani 1993, ch. 6), drawn in O(K) per resample instead of O(n). Used for large
    groups of few distinct values (scores are whole steps, points or months).
    """
    rng = np.random.default_rng(seed)
    values, counts = np.unique(x, return_counts=True)
    n = len(x)
    draws = rng.multinomial(n, counts / n, size=n_resamples)
    return (draws @ values) / n


#: A large group is resampled by counts (:func:`_bootstrap_means_by_counts`) when it has
#: at most one distinct value per this many results.
_COUNTS_RATIO = 16


def _bootstrap_mean(x: np.ndarray, *, seed: int, confidence: float, n_resamples: int,
                    min_n: int) -> tuple[float, float, str]:
    """Seeded bootstrap interval of the mean (BCa up to BCA_MAX_N values, percentile
    above); NaN with a note when degenerate."""
    if len(x) < max(min_n, 2):
        return math.nan, math.nan, TOO_FEW_TO_JUDGE
    if np.ptp(x) == 0:
        return math.nan, math.nan, "all values equal: no interval"
    if len(x) <= BCA_MAX_N:
        # drawn exactly as scipy draws them (same generator, same stream, same sums)
        resampled = _bootstrap_means(x, seed=seed, n_resamples=n_resamples)
    else:
        b = min(n_resamples, LARGE_GROUP_RESAMPLES)
        few_values = len(np.unique(x)) * _COUNTS_RATIO <= len(x)
        resampled = (_bootstrap_means_by_counts if few_values else _bootstrap_means)(
            x, seed=seed, n_resamples=b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # scipy computes the interval from the resampled means
        res = stats.bootstrap((x,), np.mean, confidence_level=confidence, n_resamples=0,
                              method="BCa" if len(x) <= BCA_MAX_N else "percentile",
                              vectorized=True, batch=max(1, _BOOTSTRAP_CELLS // len(x)),
                              bootstrap_result=_Resampled(resampled))
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return math.nan, math.nan, "interval not estimable"
    return lo, hi, ""


def group_summary(progress: pd.DataFrame, by: Any = (), *, seed: int = DEFAULT_SEED,
                  confidence: float = 0.95, n_resamples: int = 9999, min_n: int = 2,
                  months_scales: Sequence[str] = ("standard_score",)) -> pd.DataFrame:
    """Change from baseline of groups of learners, per instrument and area.

    Parameters
    ----------
    progress : DataFrame
        From :func:`learner_progress`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area, e.g. ``"srb_id"``,
        ``"primary_need"``, ``"phase"``, ``"sex"``, ``"fsm"``, ``"year_group"``.
        Missing values form their own group.
    seed : int, default 2025
        Seed of the bootstrap (the same for every group, so a group's interval does not
        depend on the others).
    confidence : float, default 0.95
    n_resamples : int, default 9999
    min_n : int, default 2
        Fewest measured results for an interval (below: NaN and "too few to judge").
    months_scales : sequence of str, default ("standard_score",)
        Scales for which the EEF months-of-progress reading is given (see Notes).

    Returns
    -------
    DataFrame
        One row per instrument x area x group, sorted:

        - ``instrument``, ``scale``, ``area``, the ``by`` columns;
        - ``n``: results (progress rows) in the group; ``n_learners``: distinct learners;
          ``n_measured``: rows with ``status == "measured"``, used for every statistic
          below; ``n_too_soon``, ``n_no_follow_up``;
        - ``median_gain``, ``q1_gain``, ``q3_gain``; ``median_rate``, ``q1_rate``,
          ``q3_rate`` (quartiles: linear interpolation, numpy's default);
        - ``mean_gain``, ``ci_low``, ``ci_high``: mean gain with its seeded bootstrap
          interval (``scipy.stats.bootstrap``: BCa for groups of up to 1,000 results,
          percentile above, where BCa's O(n^2) jackknife is slow and the two agree,
          with at most :data:`LARGE_GROUP_RESAMPLES` resamples, drawn as multinomial
          counts of the distinct gains when they are few (the same distribution; see
          ``_bootstrap_means_by_counts``));
        - ``n_banded``, ``n_below``, ``n_expected``, ``n_above``, ``share_below``,
          ``share_expected``, ``share_above`` (of ``n_banded``, 0-1);
        - ``effect_size`` (Hedges-corrected :math:`g_{av}`, see
          :func:`standardised_mean_change`), ``effect_type``;
        - ``months_progress``: indicative EEF months (:func:`eef_months`), only for
          ``months_scales``;
        - ``note``: why something is missing, in words ("" when nothing is).

    Notes
    -----
    Gains are in the instrument's units, so groups are always split by instrument and
    area. Small groups: n < ``min_n`` gives no interval ("too few to judge"); identical
    gains give no interval ("all values equal: no interval": scipy's bootstrap
    degenerates); fewer than 3 give no effect size. Nothing raises.

    EEF months are given only for age-standardised scores by default: a standard score
    is already relative to same-age peers, so its change is a (weak) analogue of the
    Toolkit's "progress compared with similar pupils". For steps and age-equivalents, a
    pre-post change includes the progress every learner makes with age, and converting
    it to "months of additional progress" would mislead. Either way the reading is
    **indicative** (A3).

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall (BCa intervals, as ``scipy.stats.bootstrap``).
    .. [2] Lakens, D. (2013). *Frontiers in Psychology*, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863
    .. [3] Hedges, L. V. (1981). *Journal of Educational Statistics*, 6(2), 107-128.
    .. [4] Education Endowment Foundation. *Teaching and Learning Toolkit*.
    """
    keys = _group_keys(progress, by)
    _need_columns(progress, ["learner_id", "instrument", "area", "scale", "status", "gain",
                             "rate", "band", "baseline_score", "outcome_score"], "progress")
    _check(isinstance(seed, (int, np.integer)), "seed", "a whole number", seed)
    _check(_is_number(confidence) and 0 < confidence < 1, "confidence",
           "a number between 0 and 1", confidence)
    _check(isinstance(n_resamples, (int, np.integer)) and n_resamples >= 100, "n_resamples",
           "a whole number of 100 or more", n_resamples)
    _check(isinstance(min_n, (int, np.integer)) and min_n >= 1, "min_n",
           "a whole number of 1 or more", min_n)
    gkeys = ["instrument", "area", *keys]
    df = progress.copy()
    df["_measured"] = df["status"] == STATUSES[0]
    df["_too_soon"] = df["status"] == STATUSES[1]
    df["_none"] = df["status"] == STATUSES[2]
    for b in BANDS:
        df[f"_b_{b}"] = df["band"] == b
    df["_gain"] = df["gain"].where(df["_measured"])
    df["_rate"] = df["rate"].where(df["_measured"])
    df["_base"] = df["baseline_score"].where(df["_measured"])
    df["_out"] = df["outcome_score"].where(df["_measured"])
    g = df.groupby(gkeys, observed=True, dropna=False, sort=True)
    out = g.agg(
        scale=("scale", "first"), n=("learner_id", "size"),
        n_learners=("learner_id", "nunique"), n_measured=("_measured", "sum"),
        n_too_soon=("_too_soon", "sum"), n_no_follow_up=("_none", "sum"),
        median_gain=("_gain", "median"), median_rate=("_rate", "median"),
        mean_gain=("_gain", "mean"),
        n_below=("_b_below", "sum"), n_expected=("_b_expected", "sum"),
        n_above=("_b_above", "sum"),
        _mean_base=("_base", "mean"), _mean_out=("_out", "mean"),
        _sd_base=("_base", "std"), _sd_out=("_out", "std"),
    )
    for col, q in (("gain", 0.25), ("gain", 0.75), ("rate", 0.25), ("rate", 0.75)):
        out[f"q{1 if q == 0.25 else 3}_{col}"] = g[f"_{col}"].quantile(q)  # linear, Cython
    out = out.reset_index()
    for c in ("n", "n_learners", "n_measured", "n_too_soon", "n_no_follow_up", "n_below",
              "n_expected", "n_above"):
        out[c] = out[c].astype("int64")
    out["n_banded"] = out["n_below"] + out["n_expected"] + out["n_above"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for b in BANDS:
            out[f"share_{b}"] = (out[f"n_{b}"] / out["n_banded"]).where(out["n_banded"] > 0)

    # Hedges g_av, vectorised (the same formula as standardised_mean_change)
    nm = out["n_measured"].to_numpy()
    spread = ((out["_sd_base"] + out["_sd_out"]) / 2).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        d_av = (out["_mean_out"] - out["_mean_base"]).to_numpy(dtype=float) / spread
    few_e = nm < 3
    flat = ~few_e & (spread == 0)
    effect = np.where(few_e | flat, np.nan, d_av * hedges_correction(nm - 1))
    enote = np.where(few_e, "effect size: " + TOO_FEW_TO_JUDGE,
                     np.where(flat, "effect size: no spread in scores", ""))

    # bootstrap intervals: one scipy.stats.bootstrap call per group (numpy slices)
    gid = g.ngroup().to_numpy()
    meas = df["_measured"].to_numpy(dtype=bool)
    order = np.argsort(gid[meas], kind="stable")
    gains = df["_gain"].to_numpy(dtype=float)[meas][order]
    bounds = np.searchsorted(gid[meas][order], np.arange(len(out) + 1))
    ci_lo, ci_hi, notes = [], [], []
    for k in range(len(out)):  # one interval per group
        lo, hi, note = _bootstrap_mean(gains[bounds[k]:bounds[k + 1]], seed=seed,
                                       confidence=confidence, n_resamples=n_resamples,
                                       min_n=min_n)
        ci_lo.append(lo)
        ci_hi.append(hi)
        words = [w for w in dict.fromkeys([note, enote[k]]) if w]
        notes.append("; ".join(words))
    out["ci_low"], out["ci_high"] = ci_lo, ci_hi
    out["effect_size"] = effect
    out["effect_type"] = "Hedges g_av (standardised mean change)"
    months = eef_months(out["effect_size"].to_numpy())
    in_scope = out["scale"].astype("str").isin(list(months_scales)).to_numpy()
    out["months_progress"] = np.where(in_scope, months, np.nan)
    out["note"] = notes
    zero = out["n_measured"] == 0
    out.loc[zero, "note"] = "no progress measured yet"
    cols = [*gkeys[:1], "scale", *gkeys[1:], "n", "n_learners", "n_measured", "n_too_soon",
            "n_no_follow_up", "median_gain", "q1_gain", "q3_gain", "median_rate", "q1_rate",
            "q3_rate", "mean_gain", "ci_low", "ci_high", "n_banded", "n_below",
            "n_expected", "n_above", "share_below", "share_expected", "share_above",
            "effect_size", "effect_type", "months_progress", "note"]
    return out[cols]


def band_summary(progress: pd.DataFrame, by: Any = ()) -> pd.DataFrame:
    """Expected-progress bands pooled over instruments and areas, by group.

    Parameters
    ----------
    progress : DataFrame
        From :func:`learner_progress`.
    by : str or list of str, default ()
        Grouping columns (``"srb_id"``, ``"primary_need"``...). ``()`` gives one row.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``n_learners`` (distinct learners with a
        result), ``n_results`` (progress rows), ``n_banded`` (measured rows with a
        band), ``n_below``, ``n_expected``, ``n_above``, ``n_expected_or_above``,
        ``share_below``, ``share_expected``, ``share_above``, ``share_expected_or_above``
        (of ``n_banded``, 0-1; NaN when nothing is banded).

    Notes
    -----
    The unit is a result (learner x placement x instrument x area), so a learner
    assessed in four areas counts four times in ``n_banded``; ``n_learners`` says how
    many learners stand behind the results. Bands are comparable across instruments
    because each is judged against its own instrument's expectation (see
    :func:`learner_progress`).
    """
    keys = _group_keys(progress, by)
    _need_columns(progress, ["learner_id", "band"], "progress")
    df = progress[["learner_id", "band", *keys]].copy()
    for b in BANDS:
        df[f"_b_{b}"] = df["band"] == b
    if keys:
        g = df.groupby(keys, observed=True, dropna=False, sort=True)
    else:
        g = df.assign(_all=0).groupby("_all")
    out = g.agg(n_learners=("learner_id", "nunique"), n_results=("learner_id", "size"),
                n_below=("_b_below", "sum"), n_expected=("_b_expected", "sum"),
                n_above=("_b_above", "sum"))
    out = out.reset_index(drop=not keys)
    if not keys and out.empty:
        out = pd.DataFrame({c: [0] for c in ("n_learners", "n_results", "n_below",
                                             "n_expected", "n_above")})
    for c in ("n_learners", "n_results", "n_below", "n_expected", "n_above"):
        out[c] = out[c].astype("int64")
    out["n_banded"] = out["n_below"] + out["n_expected"] + out["n_above"]
    out["n_expected_or_above"] = out["n_expected"] + out["n_above"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for b in (*BANDS, "expected_or_above"):
            out[f"share_{b}"] = (out[f"n_{b}"] / out["n_banded"]).where(out["n_banded"] > 0)
    return out[[*keys, "n_learners", "n_results", "n_banded", "n_below", "n_expected",
                "n_above", "n_expected_or_above", "share_below", "share_expected",
                "share_above", "share_expected_or_above"]]


def _group_label(by: str, value: object) -> str:
    """A group's name for readers: yes/no groups (free school meals) in words."""
    if isinstance(value, (bool, np.bool_)):
        if by == "fsm":
            return "free school meals" if value else "no free school meals"
        return "yes" if value else "no"
    return str(value)


def _kruskal(values: np.ndarray, sizes: Sequence[int]) -> tuple[float, float]:
    """``scipy.stats.kruskal(*samples)`` (statistic, p-value) for the samples of
    ``sizes`` concatenated in ``values``, with scipy's arithmetic step for step (so the
    same numbers) but without its per-sample checks, which dominate with thousands of
    groups (every resource base in England).

    :math:`H = \\left(\\frac{12}{N(N+1)} \\sum_j R_j^2 / n_j - 3(N+1)\\right) / C`,
    :math:`C = 1 - \\sum (t^3 - t) / (N^3 - N)` over tied groups of size t, p from the
    chi-squared distribution with k - 1 degrees of freedom (Kruskal & Wallis 1952).
    """
    from scipy import special

    n = len(values)
    ranked = stats.rankdata(values)  # average ranks, as scipy
    t = np.unique(values, return_counts=True)[1].astype(float)
    ties = 1 - np.sum(t**3 - t) / (n**3 - n)
    starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.intp)
    rank_sums = np.add.reduceat(ranked, starts)  # sums of half-integers: exact
    ssbn = sum((rank_sums**2 / np.asarray(sizes, dtype=float)).tolist())
    h = (12.0 / (n * (n + 1)) * ssbn - 3 * (n + 1)) / ties
    return float(h), float(special.chdtrc(float(len(sizes) - 1), h))


def compare_groups(progress: pd.DataFrame, by: str, *, value: str = "rate", min_n: int = 5,
                   drop_small: bool = False) -> pd.DataFrame:
    """Do groups differ in progress? Kruskal-Wallis or Mann-Whitney, with an effect size.

    Parameters
    ----------
    progress : DataFrame
        From :func:`learner_progress`.
    by : str
        The grouping column (``"primary_need"``, ``"srb_id"``, ``"sex"``, ``"fsm"``...).
        Rows with a missing group are left out.
    value : str, default "rate"
        ``"rate"``, ``"gain"``, ``"slope"`` or ``"progress_ratio"``.
    min_n : int, default 5
        Every compared group needs at least this many learners.
    drop_small : bool, default False
        False: if any group is below ``min_n``, no test ("too few to compare").
        True: leave small groups out and compare the rest (if two or more remain); the
        ``note`` names what was left out.

    Returns
    -------
    DataFrame
        One row per instrument x area: ``instrument``, ``area``, ``factor`` (= ``by``),
        ``value``, ``n_groups`` (compared), ``n`` (learners compared), ``min_group_n``,
        ``test`` ("Kruskal-Wallis H", "Mann-Whitney U" or ""), ``statistic``, ``p_val``,
        ``effect``, ``effect_type`` ("epsilon-squared" or "rank-biserial r"), ``groups``
        (the compared groups in order, ``;``-separated), ``note`` ("" when tested, else
        "too few to compare", "fewer than two groups" or "no variation").

    Notes
    -----
    Only measured rows; one row per learner (their latest placement) per instrument and
    area, so that every learner counts once.

    - Kruskal-Wallis H (``scipy.stats.kruskal``, tie-corrected) for k > 2 groups, with
      :math:`\\varepsilon^2_R = H / ((n^2 - 1)/(n + 1)) = H / (n - 1)` (Kelley 1935;
      Tomczak & Tomczak 2014).
    - Mann-Whitney U (``scipy.stats.mannwhitneyu``, two-sided, ``method="auto"``) for
      k = 2, with the rank-biserial correlation :math:`r = 2U_1/(n_1 n_2) - 1` (Kerby
      2014; equal to Wendt's :math:`1 - 2U_2/(n_1n_2)`): the share of pairs in which the
      first group (in sorted order) is higher minus the share in which it is lower, ties
      counting half.

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). *JASA*, 47(260), 583-621.
    .. [2] Mann, H. B., & Whitney, D. R. (1947). *Ann. Math. Statist.*, 18(1), 50-60.
    .. [3] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates
       revisited. *Trends in Sport Sciences*, 21(1), 19-25.
    .. [4] Kerby, D. S. (2014). The simple difference formula: an approach to teaching
       nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.
       https://doi.org/10.2466/11.IT.3.1
    """
    _check(isinstance(by, str), "by", "one column name", by)
    _group_keys(progress, [by])
    _check(value in ("rate", "gain", "slope", "progress_ratio"), "value",
           '"rate", "gain", "slope" or "progress_ratio"', value)
    _check(isinstance(min_n, (int, np.integer)) and min_n >= 2, "min_n",
           "a whole number of 2 or more", min_n)
    _need_columns(progress, ["learner_id", "instrument", "area", "status", "outcome_date",
                             value], "progress")
    keep = (progress["status"] == STATUSES[0]) & progress[value].notna() & progress[by].notna()
    df = progress[list(dict.fromkeys(["learner_id", "instrument", "area", "outcome_date",
                                      value, by]))].loc[keep]
    df = df.sort_values(["learner_id", "instrument", "area", "outcome_date"], kind="stable")
    df = df.drop_duplicates(["learner_id", "instrument", "area"], keep="last")
    pairs = progress[["instrument", "area"]].drop_duplicates().sort_values(
        ["instrument", "area"])
    rows = []
    # rows of each instrument x area pair (in df order), found once
    pair_rows = df.groupby(["instrument", "area"], observed=True, sort=False).indices
    for inst, area in pairs.itertuples(index=False, name=None):  # instruments x areas
        sub = df.iloc[pair_rows.get((inst, area), np.array([], dtype=np.intp))]
        grouped = sub.groupby(by, observed=True, sort=True)
        sizes = grouped.size()
        small = sizes[sizes < min_n]
        big = sizes[sizes >= min_n]
        row = {"instrument": inst, "area": area, "factor": by, "value": value,
               "n_groups": 0, "n": 0, "min_group_n": int(sizes.min()) if len(sizes) else 0,
               "test": "", "statistic": np.nan, "p_val": np.nan, "effect": np.nan,
               "effect_type": "", "groups": "", "note": ""}
        if len(sizes) < 2:
            row["note"] = "fewer than two groups"
        elif len(small) and not drop_small:
            row["note"] = TOO_FEW_TO_COMPARE
        elif len(big) < 2:
            row["note"] = TOO_FEW_TO_COMPARE
        else:
            labels = list(big.index)
            at = grouped.indices  # each label's rows, in order
            vals = sub[value].to_numpy(dtype=float)
            samples = [vals[at[lab]] for lab in labels]
            allv = np.concatenate(samples)
            row.update(n_groups=len(labels), n=len(allv),
                       min_group_n=int(big.min()),
                       groups="; ".join(_group_label(by, x) for x in labels))
            if len(small):
                row["note"] = (f"left out (fewer than {min_n}): "
                               + ", ".join(_group_label(by, x) for x in small.index))
            if np.ptp(allv) == 0:
                row["note"] = "; ".join(x for x in (row["note"], "no variation") if x)
            elif len(labels) == 2:
                u = stats.mannwhitneyu(samples[0], samples[1], alternative="two-sided")
                n1, n2 = len(samples[0]), len(samples[1])
                row.update(test="Mann-Whitney U", statistic=float(u.statistic),
                           p_val=float(u.pvalue), effect=2 * float(u.statistic) / (n1 * n2) - 1,
                           effect_type="rank-biserial r")
            else:
                h, p = _kruskal(allv, [len(x) for x in samples])
                row.update(test="Kruskal-Wallis H", statistic=h, p_val=p,
                           effect=h / (len(allv) - 1), effect_type="epsilon-squared")
        rows.append(row)
    cols = ["instrument", "area", "factor", "value", "n_groups", "n", "min_group_n", "test",
            "statistic", "p_val", "effect", "effect_type", "groups", "note"]
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"n_groups": "int64", "n": "int64", "min_group_n": "int64",
                       "statistic": float, "p_val": float, "effect": float})


# --------------------------------------------------------------------------- RCI and
# ratio-gain summaries


def rci_summary(reliable: pd.DataFrame, by: Any = ()) -> pd.DataFrame:
    """Counts of reliable change by group (measured rows only).

    Parameters
    ----------
    reliable : DataFrame
        From :func:`reliable_change`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area.

    Returns
    -------
    DataFrame
        ``instrument``, ``area``, the ``by`` columns, ``n_learners``, ``n`` (results
        measured over at least a term), ``n_improved``, ``n_no_change``,
        ``n_deteriorated``, ``change_needed`` (points needed for reliable change).
    """
    keys = _group_keys(reliable, by)
    _need_columns(reliable, ["learner_id", "instrument", "area", "status", "rci_class",
                             "change_needed"], "reliable")
    df = reliable.loc[reliable["status"] == STATUSES[0]].copy()
    for c, cls in zip(("_imp", "_none", "_det"), RCI_CLASSES[::-1], strict=True):
        df[c] = df["rci_class"] == cls
    out = (df.groupby(["instrument", "area", *keys], observed=True, sort=True, dropna=False)
           .agg(n_learners=("learner_id", "nunique"), n=("learner_id", "size"),
                n_improved=("_imp", "sum"), n_no_change=("_none", "sum"),
                n_deteriorated=("_det", "sum"), change_needed=("change_needed", "first"))
           .reset_index())
    for c in ("n_learners", "n", "n_improved", "n_no_change", "n_deteriorated"):
        out[c] = out[c].astype("int64")
    return out


def _slug(label: str) -> str:
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in label.lower()).strip("_")


def ratio_gain_summary(ratio: pd.DataFrame, by: Any = (), *,
                       bands: pd.DataFrame | None = None) -> pd.DataFrame:
    """Ratio gains and age-equivalent gaps by group.

    Parameters
    ----------
    ratio : DataFrame
        From :func:`ratio_gain`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area.
    bands : DataFrame, optional
        The Brooks bands (:func:`brooks_bands`, the default), for the count columns.

    Returns
    -------
    DataFrame
        ``instrument``, ``area``, the ``by`` columns, ``n_learners``, ``n_measured``
        (ratio gains over at least a term), ``median_ratio_gain``, ``q1_ratio_gain``,
        ``q3_ratio_gain``, one count column per band (``n_`` + the label in snake case,
        e.g. ``n_modest_impact``), ``n_gap_known`` (results with a baseline gap),
        ``n_meets_guidance`` (baseline gap meets the placement guidance),
        ``median_gap_at_baseline_months`` and ``median_gap_at_outcome_months``.
    """
    keys = _group_keys(ratio, by)
    _need_columns(ratio, ["learner_id", "instrument", "area", "status", "ratio_gain",
                          "ratio_gain_band", "gap_at_baseline_months",
                          "gap_at_outcome_months", "meets_guidance_gap"], "ratio")
    b = brooks_bands() if bands is None else bands
    labels = list(dict.fromkeys(b["label"].astype("str")))
    df = ratio.copy()
    df["_rg"] = df["ratio_gain"].where(df["status"] == STATUSES[0])
    df["_known"] = df["meets_guidance_gap"].notna()
    df["_meets"] = df["meets_guidance_gap"].fillna(False).astype(bool)
    agg = {"n_learners": ("learner_id", "nunique"), "n_measured": ("_rg", "count"),
           "median_ratio_gain": ("_rg", "median")}
    for lab in labels:
        df[_slug(lab)] = df["ratio_gain_band"].astype("str") == lab
        agg[_slug(lab)] = (_slug(lab), "sum")
    agg |= {"n_gap_known": ("_known", "sum"), "n_meets_guidance": ("_meets", "sum"),
            "median_gap_at_baseline_months": ("gap_at_baseline_months", "median"),
            "median_gap_at_outcome_months": ("gap_at_outcome_months", "median")}
    g = df.groupby(["instrument", "area", *keys], observed=True, sort=True, dropna=False)
    out = g.agg(**agg)
    out.insert(3, "q1_ratio_gain", g["_rg"].quantile(0.25))
    out.insert(4, "q3_ratio_gain", g["_rg"].quantile(0.75))
    out = out.reset_index()
    for c in ("n_learners", "n_measured", "n_gap_known", "n_meets_guidance",
              *map(_slug, labels)):
        out[c] = out[c].astype("int64")
    return out


# --------------------------------------------------------------------------- report wording
# Helpers that keep notebooks/10_learner_progress thin: parameter checks, headings and
# sentences computed from the numbers, and display tables with disclosure control.

#: Reader-facing names of grouping columns.
GROUP_TITLES: dict[str, str] = {
    "srb_id": "SRB", "phase": "phase", "primary_need": "primary need", "sex": "sex",
    "fsm": "free school meals", "year_group": "year group", "instrument": "instrument",
    "area": "area",
}


def check_report_parameters(*, srb: Any, srb_ids: Sequence[str], window_start: Any,
                            window_end: Any, areas: Any) -> dict:
    """Validate the progress report's parameters; raise ParameterError naming the bad one.

    Returns
    -------
    dict
        ``srb`` (``"all"`` or an id), ``window_start`` and ``window_end`` (Timestamp or
        None), ``areas`` (``"all"`` or a list of area codes).
    """
    try:
        ids = sorted(map(str, srb_ids))
        _check(isinstance(srb, str) and (srb == "all" or srb in ids), "srb",
               '"all" or one of the dataset\'s SRB ids (' + ", ".join(ids) + ")", srb)
        start, end = _as_date(window_start, "window_start"), _as_date(window_end,
                                                                       "window_end")
        _check(start is None or end is None or start <= end, "window_end",
               f"on or after window_start ({window_start})", window_end)
        keep = _check_areas(areas)
    except ValueError as err:
        raise ParameterError(str(err)) from None
    return {"srb": srb, "window_start": start, "window_end": end,
            "areas": "all" if keep is None else keep}


def coverage(progress: pd.DataFrame, placements: pd.DataFrame, *, srb: str = "all",
             window_start: Any = None, window_end: Any = None) -> pd.DataFrame:
    """How many learners have a baseline, a follow-up and progress measured.

    Parameters
    ----------
    progress : DataFrame
        From :func:`learner_progress` (already restricted to the SRB and window).
    placements : DataFrame
        The ``placements`` table.
    srb : str, default "all"
    window_start, window_end : optional
        The window: a placement counts if it overlaps it.

    Returns
    -------
    DataFrame
        One row: ``learners_placed`` (distinct learners with a placement in the SRB
        overlapping the window), ``learners_assessed`` (with any result),
        ``learners_with_follow_up`` (a later result than the baseline),
        ``learners_measured`` (progress over at least a term, in any area),
        ``results``, ``results_measured``, ``results_too_soon``,
        ``results_no_follow_up``.
    """
    _need_columns(placements, ["learner_id", "srb_id", "start_date", "end_date"],
                  "placements")
    _need_columns(progress, ["learner_id", "status"], "progress")
    ws, we = _as_date(window_start, "window_start"), _as_date(window_end, "window_end")
    p = placements
    if srb != "all":
        p = p.loc[p["srb_id"].astype("str") == srb]
    keep = np.ones(len(p), dtype=bool)
    if we is not None:
        keep &= (p["start_date"] <= we).to_numpy()
    if ws is not None:
        keep &= (p["end_date"].isna() | (p["end_date"] >= ws)).to_numpy()
    st = progress["status"]
    lid = progress["learner_id"]
    return pd.DataFrame({
        "learners_placed": [p.loc[keep, "learner_id"].nunique()],
        "learners_assessed": [lid.nunique()],
        "learners_with_follow_up": [lid[st != STATUSES[2]].nunique()],
        "learners_measured": [lid[st == STATUSES[0]].nunique()],
        "results": [len(progress)],
        "results_measured": [int((st == STATUSES[0]).sum())],
        "results_too_soon": [int((st == STATUSES[1]).sum())],
        "results_no_follow_up": [int((st == STATUSES[2]).sum())],
    })


def _of(count: Any, n: Any, audience: str, noun: str = "learners",
        thresholds: Any = None) -> str:
    """``"14 of 20 learners (70%)"`` for the audience (small counts controlled)."""
    from .report import disclosure

    t = thresholds or disclosure.DEFAULT_THRESHOLDS
    phrase = str(disclosure.count_with_share(int(count), int(n), audience=audience,
                                             noun=noun, thresholds=t))
    if " of " in phrase and "(" in phrase:
        head, pct = phrase.rsplit(" (", 1)
        return f"{head} {noun} ({pct}"
    if " of " in phrase:
        return f"{phrase} {noun}"
    return phrase


def _count(n: Any, audience: str, noun: str, thresholds: Any = None) -> str:
    """``"12 learners"``, or ``"<5 learners"`` for a published small count."""
    from .report import disclosure

    t = thresholds or disclosure.DEFAULT_THRESHOLDS
    n = int(n)
    if audience == "published" and 0 < n < t.min_count:
        return f"{t.small_count_text} {noun}"
    return f"{n:,} {noun}"


def _too_few(n: Any, audience: str, thresholds: Any = None) -> bool:
    from .report import disclosure

    t = thresholds or disclosure.DEFAULT_THRESHOLDS
    return int(n) == 0 or (audience == "published" and int(n) < t.min_denominator)


def coverage_heading(row: Any, *, audience: str) -> str:
    """The coverage section's heading: how many learners have progress measured.

    Examples
    --------
    >>> coverage_heading({"learners_placed": 20, "learners_measured": 14},
    ...                  audience="internal")
    '14 of 20 learners (70%) have a baseline and a follow-up at least a term later'
    """
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    n = int(row["learners_placed"])
    if n == 0:
        return "No learners were placed in the window"
    return (f"{_of(row['learners_measured'], n, audience)} have a baseline and a follow-up "
            "at least a term later")


def describe_coverage(row: Any, *, audience: str) -> str:
    """Sentences about who has no follow-up yet or too short a span (from :func:`coverage`).

    Published: nothing is said of fewer than 10 learners, and result counts are
    worded with :func:`srb_eval.report.disclosure.count_with_share` (small counts and small
    complements hidden).

    Examples
    --------
    >>> describe_coverage({"learners_placed": 20, "learners_assessed": 18,
    ...     "learners_measured": 14, "results": 100, "results_measured": 80,
    ...     "results_too_soon": 5, "results_no_follow_up": 15}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    '18 of 20 learners placed (90%) have at least one assessment during their
    placement. Of their 100 results (learner, instrument and area), 80 are measured over
    at least a term, 5 are too soon to judge (less than a term between baseline and
    latest assessment) and 15 have no follow-up yet.'
    """
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    n = int(row["learners_placed"])
    if n == 0:
        return "No learner was placed in this resource base during the window."
    if _too_few(n, audience):
        return ("Fewer than 10 learners were placed: too few to describe in a published "
                "report (the internal version gives the detail).")
    first = (f"{_of(row['learners_assessed'], n, audience, 'learners placed')} have at "
             "least one assessment during their placement.")
    total = int(row["results"])
    if total == 0:
        return first
    if audience == "published":
        def part(k: str, verb: str) -> str:
            return f"{_of(row[k], total, audience, 'results')} {verb}"

        return (first + f" Of their {total:,} results (learner, instrument and area): "
                f"{part('results_measured', 'measured over at least a term')}; "
                f"{part('results_too_soon', 'too soon to judge')} (less than a term between "
                "baseline and latest assessment); "
                + part("results_no_follow_up", "with no follow-up yet") + ".")

    def verb(k: str, one: str, many: str) -> str:
        n_k = int(row[k])
        return f"{n_k:,} {one if n_k == 1 else many}"

    return (first + f" Of their {total:,} results (learner, instrument and area), "
            f"{verb('results_measured', 'is', 'are')} measured over at least a term, "
            f"{verb('results_too_soon', 'is', 'are')} too soon to judge (less than a term "
            "between baseline and latest assessment) and "
            f"{verb('results_no_follow_up', 'has', 'have')} no follow-up yet.")


def band_heading(row: Any, *, audience: str) -> str:
    """Heading from a :func:`band_summary` row: expected progress or better.

    Examples
    --------
    >>> band_heading({"n_banded": 40, "n_expected_or_above": 30, "n_learners": 12},
    ...              audience="internal")
    'Expected progress or better in 30 of 40 results (75%)'
    """
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    if int(row["n_banded"]) == 0:
        return "No progress could be judged against expectations yet"
    if _too_few(row["n_learners"], audience):
        return "Expected progress: too few learners to report (fewer than 10)"
    return ("Expected progress or better in "
            + _of(row["n_expected_or_above"], row["n_banded"], audience, noun="results"))


def describe_bands(row: Any, *, audience: str) -> str:
    """A sentence from a :func:`band_summary` row.

    Examples
    --------
    >>> describe_bands({"n_banded": 40, "n_below": 10, "n_expected": 18, "n_above": 12,
    ...                 "n_expected_or_above": 30, "n_learners": 12}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    'Of 40 results judged against an expectation (from 12 learners), 18 results (45%)
    showed expected progress, 12 results (30%) more than expected and 10 results (25%)
    less than expected.'
    """
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    n = int(row["n_banded"])
    if n == 0:
        return "No result could yet be judged against an expectation."
    if _too_few(n, audience) or _too_few(row["n_learners"], audience):
        return (f"Fewer than {disclosure.DEFAULT_THRESHOLDS.min_denominator} learners or "
                "results could be judged, too few to report in a published paper.")

    def share(k: str) -> str:
        text = str(disclosure.count_with_share(int(row[k]), n, audience=audience,
                                               noun="results"))
        return text.split(" of ")[0] + " results" + (
            " (" + text.rsplit("(", 1)[1] if "(" in text else "")

    return (f"Of {n:,} results judged against an expectation (from "
            f"{_count(row['n_learners'], audience, 'learners')}), {share('n_expected')} "
            f"showed expected progress, {share('n_above')} more than expected and "
            f"{share('n_below')} less than expected.")


def describe_band_range(table: pd.DataFrame, by: str, *, audience: str,
                        labels: dict[str, str] | None = None) -> str:
    """Which groups had the highest and lowest share at or above expected progress.

    Only groups with enough learners behind their judged results are compared: at least
    the published minimum (10) for a published audience, 5 otherwise.

    Examples
    --------
    >>> t = pd.DataFrame({"srb_id": ["A", "B", "C"], "n_banded": [20, 30, 3],
    ...                   "n_learners": [6, 8, 1], "n_expected_or_above": [10, 27, 3]})
    >>> describe_band_range(t, "srb_id", audience="internal")
    'Across the 2 SRBs with at least 5 learners judged, the share of results at or above expected progress ranged from 50% (A) to 90% (B).'
    """
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    _need_columns(table, [by, "n_banded", "n_learners", "n_expected_or_above"], "table")
    minimum = disclosure.DEFAULT_THRESHOLDS.min_denominator if audience == "published" else 5
    t = table.loc[(table["n_banded"] > 0) & (table["n_learners"] >= minimum)
                  & table[by].notna() & (table[by].astype("str") != "all")].copy()
    name = GROUP_TITLES.get(by, by.replace("_", " "))
    if len(t) < 2:
        return (f"Fewer than two {name} groups have at least {minimum} learners with "
                "results judged, so groups are not compared here.")
    t["_share"] = t["n_expected_or_above"] / t["n_banded"]
    t = t.sort_values(["_share", by], kind="stable")
    lab = labels or {}
    lo, hi = t.iloc[0], t.iloc[-1]

    def pct(x: float) -> str:
        return f"{math.floor(100 * x + 0.5):.0f}%"

    plural = name + ("s" if name.isupper() else " groups")
    return (f"Across the {len(t)} {plural} with at least {minimum} learners judged, the "
            f"share of results at or above expected progress ranged from {pct(lo['_share'])} "
            f"({lab.get(str(lo[by]), str(lo[by]))}) to {pct(hi['_share'])} "
            f"({lab.get(str(hi[by]), str(hi[by]))}).")


def _num(x: Any, decimals: int = 1, sign: bool = False) -> str:
    if x is None or pd.isna(x):
        return "no data"
    v = round(float(x), decimals) + 0.0
    return f"{v:+.{decimals}f}" if sign else f"{v:.{decimals}f}"


def _hide(text: pd.Series, n: Any, audience: str) -> pd.Series:
    """Statistics of groups under the published minimum shown as "[c]"."""
    from .report import disclosure

    if audience != "published":
        return text
    small = np.asarray(n, dtype=float) < disclosure.DEFAULT_THRESHOLDS.min_denominator
    return text.where(~small, disclosure.SUPPRESSED_TEXT)


def _line_counts(t: pd.DataFrame, lines: Sequence[tuple[Sequence[str], str | None]], *,
                 audience: str, group: str | None = None) -> dict[str, pd.Series]:
    """Count columns as text, suppressed line by line.

    ``lines`` lists ``(cells, total)``: count columns that add up to ``total`` (a column,
    or None). Each line gets primary and secondary suppression
    (:func:`srb_eval.report.disclosure.suppress_counts`) with its total as the row margin and,
    when ``group`` has an ``"all"`` row, that row as the column margin, so that no
    hidden cell can be recovered by subtraction within a line.
    """
    from .report import disclosure

    has_total = group is not None and bool((t[group].astype("str") == "all").any())
    out: dict[str, pd.Series] = {}
    for cells, total in lines:
        cols = [*cells, *([total] if total else [])]
        frame = t[([group] if group else []) + cols]
        shown = disclosure.suppress_counts(frame, list(cells), audience=audience,
                                           total_column=total,
                                           total_row="all" if has_total else None)
        for c in cols:
            out[c] = shown[c]
    return out


def _pct_text(t: pd.DataFrame, shown: dict[str, pd.Series], num: str, den: str, *,
              audience: str, small: np.ndarray) -> np.ndarray:
    """A percentage column as text: suppressed where its counts are hidden, where the
    percentage would reveal a small number, or where ``small`` (too few learners)."""
    from .report import disclosure

    text = disclosure.suppress_percentages(t[num].astype(float), t[den].astype(float),
                                           audience=audience).to_numpy()
    if audience == "published":
        markers = [disclosure.SMALL_COUNT_TEXT, disclosure.SUPPRESSED_TEXT]
        hidden = (shown[num].isin(markers) | shown[den].isin(markers)).to_numpy() | small
        text = np.where(hidden & (text != disclosure.NO_DATA_TEXT),
                        disclosure.SUPPRESSED_TEXT, text)
    return text


def _few_learners(t: pd.DataFrame, audience: str) -> np.ndarray:
    from .report import disclosure

    if audience != "published":
        return np.zeros(len(t), dtype=bool)
    return t["n_learners"].to_numpy() < disclosure.DEFAULT_THRESHOLDS.min_denominator


def display_gains(summary: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """A :func:`group_summary` table of gains as a reader sees it.

    Returns
    -------
    DataFrame
        Group columns (renamed for readers), ``learners``, ``results measured``,
        ``median gain``, ``middle half of gains`` ("q1 to q3"), ``median gain a year``,
        ``mean gain (95% CI)``, ``effect size (g_av)``, ``EEF months (indicative)`` and
        ``note``: text, no NaN. Published: counts under 5 as "<5", statistics of fewer
        than 10 learners or 10 measured results as "[c]".
    """
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    _need_columns(summary, ["instrument", "area", "n_learners", "n_measured", "median_gain",
                            "q1_gain", "q3_gain", "median_rate", "mean_gain", "ci_low",
                            "ci_high", "effect_size", "months_progress", "note"], "summary")
    groups = [c for c in summary.columns if c in GROUP_TITLES]
    s = summary.reset_index(drop=True)
    counts = disclosure.safe_table(s[["n_learners", "n_measured"]], audience=audience,
                                   count_columns=["n_learners", "n_measured"], id_columns=())
    out = s[groups].astype(object).copy()
    for g in groups:
        out[g] = out[g].astype("str").str.replace("_", " ")
    out["learners"] = counts["n_learners"].to_numpy()
    out["results measured"] = counts["n_measured"].to_numpy()
    n = np.minimum(s["n_measured"].to_numpy(), s["n_learners"].to_numpy())
    none = s["n_measured"] == 0
    text = {
        "median gain": s["median_gain"].map(_num),
        "middle half of gains": [f"{_num(a)} to {_num(b)}" for a, b in
                                 zip(s["q1_gain"], s["q3_gain"], strict=True)],
        "median gain a year": s["median_rate"].map(_num),
        "mean gain (95% CI)": [
            _num(m) + ("" if pd.isna(lo) else f" ({_num(lo)} to {_num(hi)})")
            for m, lo, hi in zip(s["mean_gain"], s["ci_low"], s["ci_high"], strict=True)],
        "effect size (g_av)": s["effect_size"].map(lambda v: _num(v, 2)),
        "EEF months (indicative)": [
            "not applicable" if pd.isna(m) and not pd.isna(e) else
            ("no data" if pd.isna(m) else f"{m:+.0f}")
            for m, e in zip(s["months_progress"], s["effect_size"], strict=True)],
    }
    for k, v in text.items():
        col = pd.Series(v, index=s.index, dtype=object).where(~none, "no data")
        out[k] = _hide(col, n, audience).to_numpy()
    out["note"] = s["note"].replace("", "-").to_numpy()
    return out.rename(columns={g: GROUP_TITLES[g] for g in groups})


def display_bands(table: pd.DataFrame, *, audience: str,
                  labels: dict[str, str] | None = None) -> pd.DataFrame:
    """A :func:`band_summary` (or :func:`group_summary`) table of bands for readers.

    Returns
    -------
    DataFrame
        Group columns, ``learners``, ``results judged``, counts and percentages below,
        at and above expected progress (percentages of results judged). Published: the
        three band counts and their total are one line of
        :func:`srb_eval.report.disclosure.suppress_counts` (with the "all" row, if any, as the
        column total), so a hidden count cannot be recovered by subtraction;
        percentages of groups of fewer than 10 learners are hidden too.
    """
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    _need_columns(table, ["n_learners", "n_banded", "n_below", "n_expected", "n_above"],
                  "table")
    groups = [c for c in table.columns if c in GROUP_TITLES]
    t = table[[*groups, "n_learners", "n_banded", "n_below", "n_expected", "n_above"]
              ].reset_index(drop=True).copy()
    lab = labels or {}
    for g in groups:
        t[g] = t[g].astype("str").map(lambda v: lab.get(v, v.replace("_", " ")))
    shown = _line_counts(t, [(["n_below", "n_expected", "n_above"], "n_banded"),
                             (["n_learners"], None)], audience=audience,
                         group=groups[0] if groups else None)
    small = _few_learners(t, audience)
    out = t[groups].copy()
    for c in ("n_learners", "n_banded"):
        out[c] = shown[c].to_numpy()
    for b in BANDS:
        out[f"n_{b}"] = shown[f"n_{b}"].to_numpy()
        out[f"% {b}"] = _pct_text(t, shown, f"n_{b}", "n_banded", audience=audience,
                                  small=small)
    names = {"n_learners": "learners", "n_banded": "results judged",
             "n_below": "below expected", "n_expected": "expected",
             "n_above": "above expected", **{g: GROUP_TITLES[g] for g in groups}}
    return out.rename(columns=names)


def with_total(table: pd.DataFrame, total: pd.DataFrame, by: str) -> pd.DataFrame:
    """``table`` (grouped by ``by``) with the one-row ``total`` appended as ``"all"``."""
    t = total.copy()
    t.insert(0, by, "all")
    out = table.copy()
    out[by] = out[by].astype("str")
    return pd.concat([out, t], ignore_index=True)


def display_rci(summary: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """An :func:`rci_summary` table for readers (counts and % of results measured;
    the three classes and their total suppressed as one line)."""
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    t = summary.reset_index(drop=True).copy()
    groups = [c for c in t.columns if c in GROUP_TITLES]
    cells = ["n_improved", "n_no_change", "n_deteriorated"]
    shown = _line_counts(t, [(cells, "n"), (["n_learners"], None)], audience=audience)
    small = _few_learners(t, audience)
    out = t[groups].astype(object).copy()
    for g in groups:
        out[g] = out[g].astype("str").str.replace("_", " ")
    out["reliable change needs"] = t["change_needed"].map(
        lambda v: f"more than {_num(v)} points").to_numpy()
    out["learners"] = shown["n_learners"].to_numpy()
    out["results measured"] = shown["n"].to_numpy()
    for c, name, pct in (("n_improved", "reliable improvement", "% improved"),
                         ("n_no_change", "no reliable change", "% no change"),
                         ("n_deteriorated", "reliable deterioration", "% deteriorated")):
        out[name] = shown[c].to_numpy()
        out[pct] = _pct_text(t, shown, c, "n", audience=audience, small=small)
    return out.rename(columns={g: GROUP_TITLES[g] for g in groups})


def describe_rci(summary: pd.DataFrame, *, audience: str) -> str:
    """A sentence summing an :func:`rci_summary` table over its rows."""
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    n = int(summary["n"].sum()) if len(summary) else 0
    if n == 0:
        return "No standard-score result has been measured over at least a term yet."
    if _too_few(n, audience) or _too_few(summary["n_learners"].max(), audience):
        return ("Fewer than 10 learners or results were measured on standardised scores: "
                "too few to report here.")
    return (f"Of {n:,} standard-score results measured over at least a term, "
            f"{_of(summary['n_improved'].sum(), n, audience, 'results')} showed reliable "
            f"improvement and {_of(summary['n_deteriorated'].sum(), n, audience, 'results')} "
            "reliable deterioration; the rest changed by less than the test's measurement "
            "error.")


def display_ratio_gain(summary: pd.DataFrame, *, audience: str,
                       bands: pd.DataFrame | None = None) -> pd.DataFrame:
    """A :func:`ratio_gain_summary` table for readers (band counts and their total
    suppressed as one line, guidance met and not met as another)."""
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    b = brooks_bands() if bands is None else bands
    labels = list(dict.fromkeys(b["label"].astype("str")))
    t = summary.reset_index(drop=True).copy()
    groups = [c for c in t.columns if c in GROUP_TITLES]
    t["_not_meets"] = t["n_gap_known"] - t["n_meets_guidance"]
    shown = _line_counts(t, [(list(map(_slug, labels)), "n_measured"),
                             (["n_meets_guidance", "_not_meets"], "n_gap_known"),
                             (["n_learners"], None)], audience=audience)
    n = np.minimum(t["n_learners"].to_numpy(), t["n_measured"].to_numpy())
    out = t[groups].astype(object).copy()
    for g in groups:
        out[g] = out[g].astype("str").str.replace("_", " ")
    out["learners"] = shown["n_learners"].to_numpy()
    out["ratio gains measured"] = shown["n_measured"].to_numpy()
    out["median ratio gain (middle half)"] = _hide(pd.Series([
        "no data" if pd.isna(m) else f"{_num(m, 2)} ({_num(a, 2)} to {_num(b_, 2)})"
        for m, a, b_ in zip(t["median_ratio_gain"], t["q1_ratio_gain"], t["q3_ratio_gain"],
                            strict=True)], dtype=object), n, audience).to_numpy()
    for lab in labels:
        out[lab] = shown[_slug(lab)].to_numpy()
    out["gaps known"] = shown["n_gap_known"].to_numpy()
    out["baseline gap meets placement guidance"] = shown["n_meets_guidance"].to_numpy()
    n_gap = np.minimum(t["n_learners"].to_numpy(), t["n_gap_known"].to_numpy())
    for c, name in (("median_gap_at_baseline_months", "median gap at baseline (months)"),
                    ("median_gap_at_outcome_months", "median gap at latest (months)")):
        out[name] = _hide(t[c].map(lambda v: _num(v, 0)).astype(object), n_gap,
                          audience).to_numpy()
    return out.rename(columns={g: GROUP_TITLES[g] for g in groups})


def display_comparisons(comparisons: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """A :func:`compare_groups` table for readers: p to 3 decimals, effect to 2."""
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    c = comparisons.reset_index(drop=True)
    counts = disclosure.safe_table(c[["n", "min_group_n"]], audience=audience,
                                   count_columns=["n", "min_group_n"], id_columns=())
    tested = c["test"] != ""
    p = c["p_val"].map(lambda v: "no data" if pd.isna(v) else
                       ("below 0.001" if v < 0.001 else f"{v:.3f}"))
    eff = [f"{e:.2f} ({t})" if not pd.isna(e) else "no data"
           for e, t in zip(c["effect"], c["effect_type"], strict=True)]
    return pd.DataFrame({
        "instrument": c["instrument"].astype("str"),
        "area": c["area"].astype("str").str.replace("_", " "),
        "compared by": c["factor"].map(lambda f: GROUP_TITLES.get(f, f)),
        "groups compared": c["groups"].where(tested, "-"),
        "learners": counts["n"].where(tested, "-"),
        "smallest group": counts["min_group_n"],
        "test": c["test"].where(tested, "none"),
        "p value": p.where(tested, "-"),
        "effect size": pd.Series(eff, dtype=object).where(tested, "-"),
        "note": c["note"].replace("", "-"),
    })


def describe_comparisons(comparisons: pd.DataFrame, *, alpha: float = 0.05) -> str:
    """Which comparisons found a difference (p < alpha), in words."""
    c = comparisons.loc[comparisons["test"] != ""]
    if c.empty:
        return ("No comparison could be made: every comparison needs at least five "
                "learners in each group.")
    hits = c.loc[c["p_val"] < alpha]
    k = len(c)
    made = "one comparison was" if k == 1 else f"{k} comparisons were"
    if hits.empty:
        return (f"{made[0].upper()}{made[1:]} made; none found a difference in the rate of "
                f"progress (all p of {alpha} or more).")
    where = "; ".join(
        f"{r.instrument}, {str(r.area).replace('_', ' ')}, by "
        f"{GROUP_TITLES.get(r.factor, r.factor)} (p = "
        f"{'below 0.001' if r.p_val < 0.001 else f'{r.p_val:.3f}'})"
        for r in hits.itertuples())
    return (f"{made[0].upper()}{made[1:]} made; a difference in the rate of progress was "
            f"found (p < {alpha}) for: {where}. With several comparisons, one or two "
            "'differences' can arise by chance: treat them as questions for the SRBs, not "
            "conclusions.")


def below_expected(progress: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """The results below expected progress, one row per learner and area (internal only).

    Returns
    -------
    DataFrame
        ``learner``, ``SRB``, ``instrument``, ``area``, ``baseline`` ("12 on 03 Oct
        2022"), ``latest``, ``gain a year``, ``expected a year`` (the expectation it was
        judged against), sorted by learner, instrument and area.

    Raises
    ------
    srb_eval.errors.AudienceError
        For ``audience="published"``: learner-level rows are never published.
    """
    from .errors import AudienceError
    from .report.disclosure import check_audience

    if check_audience(audience) == "published":
        raise AudienceError("below_expected: a list of learners is for the internal "
                            "audience only; render with audience='internal'.")
    rows = progress.loc[progress["band"] == "below"].sort_values(
        ["learner_id", "instrument", "area"], kind="stable")

    def at(score: pd.Series, when: pd.Series) -> list[str]:
        return [f"{_num(s, 0)} on {d:%d %b %Y}" for s, d in zip(score, when, strict=True)]

    basis = rows["band_basis"].astype("str")
    expected = np.where(basis == "reliable change", "hold the score (RCI)",
                        np.where(basis == "benchmark", "benchmark quartiles",
                                 rows["expected_gain_per_year"].map(_num).to_numpy()))
    return pd.DataFrame({
        "learner": rows["learner_id"].astype("str").to_numpy(),
        "SRB": rows["srb_id"].astype("str").to_numpy(),
        "instrument": rows["instrument"].astype("str").to_numpy(),
        "area": rows["area"].astype("str").str.replace("_", " ").to_numpy(),
        "baseline": at(rows["baseline_score"], rows["baseline_date"]),
        "latest": at(rows["outcome_score"], rows["outcome_date"]),
        "gain a year": rows["rate"].map(_num).to_numpy(),
        "expected a year": expected,
    })


def ratio_gain_heading(ratio: pd.DataFrame, *, audience: str) -> str:
    """Heading for the ratio-gain section from a :func:`ratio_gain` table.

    Examples
    --------
    >>> t = pd.DataFrame({"learner_id": ["A", "B", "C"], "status": ["measured"] * 3,
    ...                   "ratio_gain": [0.5, 1.5, 2.5]})
    >>> ratio_gain_heading(t, audience="internal")
    'Age-equivalent scores: median ratio gain 1.50 over 3 results'
    """
    from .report.disclosure import check_audience

    audience = check_audience(audience)
    _need_columns(ratio, ["learner_id", "status", "ratio_gain"], "ratio")
    m = ratio.loc[(ratio["status"] == STATUSES[0]) & ratio["ratio_gain"].notna()]
    rg = m["ratio_gain"]
    if len(rg) == 0 or _too_few(len(rg), audience) or _too_few(m["learner_id"].nunique(),
                                                                audience):
        return "Age-equivalent scores: too few ratio gains measured to report"
    return (f"Age-equivalent scores: median ratio gain {rg.median():.2f} over "
            f"{len(rg):,} result{'s' if len(rg) != 1 else ''}")


def in_window(df: pd.DataFrame, date: str, *, srb: str = "all", window_start: Any = None,
              window_end: Any = None) -> np.ndarray:
    """Boolean mask of rows whose ``date`` is in the window (and whose ``srb_id`` is ``srb``).

    Rows with a missing date are outside; so are rows with a missing ``srb_id`` when
    ``df`` has that column (a review before any placement belongs to no SRB). Bounds are
    inclusive; None is open.
    """
    _need_columns(df, [date], "df")
    ws, we = _as_date(window_start, "window_start"), _as_date(window_end, "window_end")
    d = pd.to_datetime(df[date])
    keep = np.array(d.notna(), dtype=bool)
    if ws is not None:
        keep &= (d >= ws).fillna(False).to_numpy(dtype=bool)
    if we is not None:
        keep &= (d <= we).fillna(False).to_numpy(dtype=bool)
    if "srb_id" in df.columns:
        keep &= df["srb_id"].notna().to_numpy(dtype=bool)
    if srb != "all":
        _need_columns(df, ["srb_id"], "df")
        keep &= (df["srb_id"].astype("str") == srb).fillna(False).to_numpy(dtype=bool)
    return keep


def display_coverage(cov: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """A :func:`coverage` row as an ``item`` / ``value`` table for the audience.

    Learner counts are out of the learners placed and result counts out of all results,
    each worded by :func:`srb_eval.report.disclosure.count_with_share` ("27 of 29 (93%)";
    published: "<5 of 29", "more than 24 of 29" or "fewer than 10 learners"), so that no
    count can be recovered from the others.

    Examples
    --------
    >>> cov = pd.DataFrame({"learners_placed": [20], "learners_assessed": [18],
    ...     "learners_with_follow_up": [16], "learners_measured": [14], "results": [100],
    ...     "results_measured": [80], "results_too_soon": [5], "results_no_follow_up": [15]})
    >>> display_coverage(cov, audience="published")["value"].tolist()  # 18 of 20: 2 hidden
    ... # doctest: +NORMALIZE_WHITESPACE
    ['20', 'more than 15 of 20', 'more than 15 of 20', '14 of 20 (70%)', '100',
     '80 of 100 (80%)', '5 of 100 (5%)', '15 of 100 (15%)']
    """
    from .report import disclosure

    audience = disclosure.check_audience(audience)
    row = cov.iloc[0]
    placed, results = int(row["learners_placed"]), int(row["results"])
    items = [("learners placed", disclosure.suppress_counts(
        pd.DataFrame({"n": [placed]}), ["n"], audience=audience)["n"].iloc[0])]
    for k, name in (("learners_assessed", "learners with an assessment"),
                    ("learners_with_follow_up", "learners with a follow-up"),
                    ("learners_measured", "learners with progress measured")):
        items.append((name, str(disclosure.count_with_share(int(row[k]), placed,
                                                             audience=audience))))
    small = audience == "published" and placed < disclosure.DEFAULT_THRESHOLDS.min_denominator
    items.append(("results", disclosure.SUPPRESSED_TEXT if small else f"{results:,}"))
    for k, name in (("results_measured", "results measured over at least a term"),
                    ("results_too_soon", "results too soon to judge"),
                    ("results_no_follow_up", "results with no follow-up yet")):
        items.append((name, disclosure.SUPPRESSED_TEXT if small else str(
            disclosure.count_with_share(int(row[k]), results, audience=audience,
                                        noun="results"))))
    return pd.DataFrame(items, columns=["item", "value"])
