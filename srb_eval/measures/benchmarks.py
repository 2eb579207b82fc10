"""Expectations that progress is read against: benchmark quartiles by starting band,
the Brooks ratio-gain bands and the EEF months-of-progress table.

Each is editable reference data: :func:`read_benchmarks` checks an authority's own
benchmark file, :func:`brooks_bands` and :func:`eef_months_table` read the tables in
``srb_eval/reference/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import DataReadError, DataValidationError, Problem
from ..paths import REFERENCE_DIR
from .columns import check, need_columns

__all__ = ["BENCHMARK_COLUMNS", "brooks_bands", "checked_benchmarks", "eef_months",
           "eef_months_table", "match_benchmarks", "read_benchmarks"]

BENCHMARK_COLUMNS = ("instrument", "area", "phase", "baseline_min", "baseline_max",
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
    raw, label = _raw_benchmarks(path)
    missing = [c for c in BENCHMARK_COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError([Problem(label, None, ", ".join(missing), None,
                                           "required column(s) missing; see read_benchmarks")],
                                  source=label)
    t = raw[list(BENCHMARK_COLUMNS)].apply(lambda s: s.astype("str").str.strip())
    out, problems = _typed_benchmarks(t, label)
    problems += _band_problems(out, t, label)
    if not problems:
        problems += _overlapping_bands(out, t, label)
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")),
                                  source=label)
    return out.reset_index(drop=True)


def _raw_benchmarks(path: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The benchmark table as text (empty for missing), with column names folded and each
    row numbered as a person sees it in the file (the header is row 1); and its label."""
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
    return raw, label


def _typed_benchmarks(t: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The benchmark columns typed (text, area and phase lower case or missing for
    "any", numbers as float, empty limits as -inf / +inf), with the problems of each
    cell: an empty instrument or source, an unknown area or phase, a number that is
    not one."""
    problems: list[Problem] = []
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
    return out, problems


def _band_problems(out: pd.DataFrame, t: pd.DataFrame, label: str) -> list[Problem]:
    """Rows whose quartiles are out of order (LQ <= median <= UQ) or whose band is empty
    (``baseline_min`` not below ``baseline_max``)."""
    lq, md, uq = (out[c] for c in ("lq_gain_per_year", "median_gain_per_year",
                                    "uq_gain_per_year"))
    disorder = (lq > md) | (md > uq)
    problems = [Problem(label, int(i), "lq_gain_per_year", f"{lq[i]:g}/{md[i]:g}/{uq[i]:g}",
                        "quartiles must be in order: lower <= median <= upper")
                for i in out.index[disorder.fillna(False)]]
    inverted = out["baseline_min"] >= out["baseline_max"]
    return problems + [Problem(label, int(i), "baseline_max", t.loc[i, "baseline_max"],
                               "must be above baseline_min")
                       for i in out.index[inverted.fillna(False)]]


def _overlapping_bands(out: pd.DataFrame, t: pd.DataFrame, label: str) -> list[Problem]:
    """Bands of one instrument, area and phase that overlap: in order of ``baseline_min``,
    a band that starts below the end of the one before it."""
    key = ["instrument", "area", "phase"]
    k = out.assign(_row=out.index).fillna({"area": "", "phase": ""})
    k = k.sort_values(key + ["baseline_min", "_row"])
    prev_max = k.groupby(key, sort=False)["baseline_max"].shift()
    overlap = k["baseline_min"] < prev_max
    return [Problem(label, int(r), "baseline_min", t.loc[r, "baseline_min"],
                    "overlaps the band above it for the same instrument, area and phase")
            for r in k.loc[overlap.fillna(False), "_row"]]


def checked_benchmarks(benchmarks: Any) -> pd.DataFrame | None:
    """A checked benchmark table: a path is read with :func:`read_benchmarks`; a
    DataFrame must already be one (numeric columns, as :func:`read_benchmarks` returns)."""
    if benchmarks is None:
        return None
    if isinstance(benchmarks, (str, Path)):
        return read_benchmarks(benchmarks)
    need_columns(benchmarks, list(BENCHMARK_COLUMNS), "benchmarks")
    numeric = all(pd.api.types.is_float_dtype(benchmarks[c]) for c in _BENCH_NUMBERS)
    check(numeric, "benchmarks", "a path or the table read_benchmarks() returns",
          "a DataFrame with non-numeric limits or quartiles")
    return benchmarks


def match_benchmarks(rows: pd.DataFrame, bench: pd.DataFrame) -> pd.DataFrame:
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
    check(not missing, "path", "a CSV with columns min_ratio_gain, label, source",
          f"{p} without {sorted(missing)}")
    t["min_ratio_gain"] = t["min_ratio_gain"].astype(float).fillna(-np.inf)
    return t.sort_values("min_ratio_gain").reset_index(drop=True)


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
    check(not missing, "path", "a CSV with columns min_effect, max_effect, months, source",
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
    months' progress with its published table (-0.01 to 0.01 -> 0, 0.02 to
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


