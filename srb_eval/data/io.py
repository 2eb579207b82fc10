"""Read a dataset from CSV, Parquet or Excel, validate it once, return a :class:`Dataset`.

``load_dataset(path)`` accepts a folder of ``<table>.csv`` / ``<table>.parquet`` files, a
folder holding one Excel workbook, or a workbook itself (one sheet per table). It never
writes to the input. Every problem is collected and raised together in one
:class:`~srb_eval.errors.DataValidationError`, each naming file (and sheet), the row
number as a person sees it in the file, the column, the value and the rule broken.

Messy exports are expected: UTF-8 with or without a byte-order mark, Windows-1252 text,
ISO or UK (DD/MM/YYYY) dates, Excel date cells, surrounding spaces and vocabulary codes
in any case. Anything that cannot be read unambiguously is a problem, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as _pa
import pyarrow.compute as _pc

from ..errors import DataReadError, DataValidationError, Problem
from ..provenance import input_hashes
from . import schema as S
from .lookup import is_in, positions, text_array

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "excel",
           ".xlsm": "excel"}
MIN_AGE_YEARS, MAX_AGE_YEARS = 3, 25


# --------------------------------------------------------------------------- Dataset


@dataclass(frozen=True)
class Dataset:
    """The validated tables of one dataset (docs/data-dictionary.md).

    Each attribute is a DataFrame with the columns documented in
    ``docs/data-dictionary.md``: dates as ``datetime64``, vocabulary columns as
    categoricals, flags as nullable booleans, a fresh ``RangeIndex``. Optional tables
    that were not supplied are ``None``.
    """

    srbs: pd.DataFrame
    learners: pd.DataFrame
    placements: pd.DataFrame
    instruments: pd.DataFrame | None = None
    assessments: pd.DataFrame | None = None
    inclusion: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    attendance: pd.DataFrame | None = None
    exclusions: pd.DataFrame | None = None
    qualifications: pd.DataFrame | None = None
    source: str = ""
    files: Mapping[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name, in the order of the data dictionary."""
        return {n: getattr(self, n) for n in S.TABLES if getattr(self, n) is not None}

    def has(self, table: str) -> bool:
        """Whether the optional ``table`` was supplied (and has at least one row)."""
        df = getattr(self, table, None)
        return df is not None and len(df) > 0

    def input_hashes(self) -> dict[str, str]:
        """SHA-256 of every input file, keyed by path (for provenance)."""
        return input_hashes(dict(self.files))


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class _Source:
    table: str
    path: Path
    fmt: str
    sheet: str | None = None

    @property
    def label(self) -> str:
        return self.path.name


def _table_name(stem: str) -> str:
    return stem.strip().lower().replace(" ", "_").replace("-", "_")


def _discover(path: Path) -> tuple[list[_Source], list[Problem], list[str]]:
    """Find the table files under ``path``. Returns sources, problems, unmatched names."""
    if not path.exists():
        raise DataReadError(f"{path}: no such file or folder")
    problems: list[Problem] = []
    if path.is_file():
        if FORMATS.get(path.suffix.lower()) != "excel":
            raise DataReadError(
                f"{path}: give a folder of CSV or Parquet files, or an Excel workbook (.xlsx)"
            )
        workbooks = [path]
        files: list[Path] = []
    else:
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        workbooks = [p for p in files if FORMATS.get(p.suffix.lower()) == "excel"
                     and _table_name(p.stem) not in S.TABLES]
    sources: dict[str, _Source] = {}
    unmatched: list[str] = []
    for wb in workbooks:
        try:
            sheets = pd.ExcelFile(wb, engine="openpyxl").sheet_names
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise DataReadError(f"{wb}: cannot be read as an Excel workbook ({exc})") from exc
        for sheet in sheets:
            name = _table_name(sheet)
            if name not in S.TABLES:
                unmatched.append(f"{wb.name} [sheet {sheet}]")
                continue
            if name in sources:
                problems.append(Problem(wb.name, None, None, None,
                                        f"table {name} is given twice (also in "
                                        f"{sources[name].label})", sheet=sheet))
                continue
            sources[name] = _Source(name, wb, "excel", sheet)
    for f in files:
        fmt = FORMATS.get(f.suffix.lower())
        if fmt is None or (fmt == "excel" and f in workbooks):
            continue
        name = _table_name(f.stem)
        if name not in S.TABLES:
            unmatched.append(f.name)
            continue
        if name in sources:
            problems.append(Problem(f.name, None, None, None,
                                    f"table {name} is given twice (also in "
                                    f"{sources[name].label}); keep one"))
            continue
        sources[name] = _Source(name, f, fmt, "Sheet1" if fmt == "excel" else None)
    return list(sources.values()), problems, unmatched


# --------------------------------------------------------------------------- reading


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # raises for the five undefined bytes


def _read(src: _Source) -> pd.DataFrame:
    """Read one table; index = row number as a person sees it in the file."""
    if src.fmt == "csv":
        import io as _io

        text = decode_text(src.path.read_bytes())
        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False,
                         na_values=[], skipinitialspace=False)
        df.index = pd.RangeIndex(2, len(df) + 2)
    elif src.fmt == "parquet":
        df = pd.read_parquet(src.path, engine="pyarrow")
        df.index = pd.RangeIndex(1, len(df) + 1)
    else:
        df = pd.read_excel(src.path, sheet_name=src.sheet, dtype=object, engine="openpyxl")
        df.index = pd.RangeIndex(2, len(df) + 2)
    return df


def _normalise_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


# --------------------------------------------------------------------------- cell readers


#: Bytes a cell may not start or end with for it to be taken as already trimmed: ASCII
#: spaces and controls, and any byte of a multi-byte (possibly space) character.
_MAYBE_SPACE = np.zeros(256, dtype=bool)
_MAYBE_SPACE[:0x21] = True
_MAYBE_SPACE[0x7F:] = True


def _maybe_untrimmed(arr: _pa.ChunkedArray) -> bool:
    """Whether a ``large_string`` array may hold an empty cell, or one that starts or
    ends with a space (conservative: False means stripping changes nothing)."""
    for chunk in arr.chunks:
        n = len(chunk)
        if n == 0:
            continue
        _, off_buf, data_buf = chunk.buffers()
        offsets = np.frombuffer(off_buf, dtype=np.int64)[chunk.offset:chunk.offset + n + 1]
        starts, ends = offsets[:-1], offsets[1:]
        if chunk.null_count:
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            starts, ends = starts[valid], ends[valid]
        if len(starts) == 0:
            continue
        if (ends <= starts).any():
            return True
        data = np.frombuffer(data_buf, dtype=np.uint8)
        if _MAYBE_SPACE[data[starts]].any() or _MAYBE_SPACE[data[ends - 1]].any():
            return True
    return False


def _blank_to_na(s: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed; empty cells as missing."""
    arr = text_array(s)
    if arr is not None and not _maybe_untrimmed(arr):
        return s.astype("str")  # nothing to strip and no empty cell: the same text
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        t = s.astype("str").str.strip()
        t = t.mask(s.isna() | (t == ""))
        return t
    return s


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _read_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dates; return (datetime64 series, mask of cells that could not be read)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        if s.dtype == "datetime64[ns]":
            v = s.to_numpy().view(np.int64)
            rem = v % _DAY_NS
            if not rem.any() or not rem[v != np.iinfo(np.int64).min].any():  # midnight
                return s.astype("datetime64[ns]"), pd.Series(False, index=s.index)
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) else s
        return out.dt.normalize().astype("datetime64[ns]"), pd.Series(False, index=s.index)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    is_ts = s.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64))
                  or hasattr(v, "year")) if s.dtype == object else pd.Series(False, index=s.index)
    if is_ts.any():  # Excel date cells
        out[is_ts] = pd.to_datetime(s[is_ts].astype(object)).dt.normalize()
    text = _blank_to_na(s.where(~is_ts).astype(object))
    todo = text.notna()
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        if fmt.endswith("%S"):
            ok &= parsed == parsed.dt.normalize()  # a time of day is not a date
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]")
        todo.loc[ok[ok].index] = False
    return out, todo


def _read_months(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse YYYY-MM (or MM/YYYY); return (first-of-month dates, bad mask, full-date mask)."""
    if pd.api.types.is_datetime64_any_dtype(s) or s.dtype == object:
        dates = s if pd.api.types.is_datetime64_any_dtype(s) else None
        if dates is None:
            is_ts = s.map(lambda v: hasattr(v, "year") and not isinstance(v, str))
            if is_ts.any():
                dates = pd.to_datetime(s.where(is_ts), errors="coerce")
                full = is_ts & (dates.dt.day != 1)
                text_part = s.where(~is_ts)
                out, bad, full2 = _read_months(_blank_to_na(text_part.astype(object)).astype("str"))
                out = out.where(~is_ts, dates.dt.to_period("M").dt.to_timestamp())
                return out.astype("datetime64[ns]"), bad & ~is_ts, full | full2
        else:
            full = dates.notna() & (dates.dt.day != 1)
            return (dates.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]"),
                    pd.Series(False, index=s.index), full)
    text = _blank_to_na(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = text.notna()
    for fmt in ("%Y-%m", "%m/%Y"):
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]")
        todo.loc[ok[ok].index] = False
    full = pd.Series(False, index=s.index)
    if todo.any():
        full_dates, not_dates = _read_dates(text[todo])
        full.loc[(~not_dates)[~not_dates].index] = True
    return out, todo & ~full, full


def _read_bools(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    text = _blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                             else str(int(v)) if isinstance(v, (bool, np.bool_))
                                             else str(v)))
    low = text.str.lower()
    low = low.str.replace(r"\.0$", "", regex=True)
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(S.TRUE_WORDS)] = True
    out[low.isin(S.FALSE_WORDS)] = False
    bad = text.notna() & out.isna()
    return out, bad


def _read_numbers(s: pd.Series, whole: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (numbers, not-a-number mask, not-whole mask)."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        num = s.astype("float64")
        bad = pd.Series(False, index=s.index)
    else:
        text = _blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                                 else str(v)))
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = text.notna() & num.isna()
    notwhole = pd.Series(False, index=s.index)
    if whole:
        notwhole = num.notna() & (num != np.round(num))
        num = num.where(~notwhole).round().astype("Int64")
    return num, bad, notwhole


def _canonical_map(vocab: str) -> dict[str, str]:
    codes = S.VOCABULARIES[vocab]
    m = {c.lower(): c for c in codes}
    m.update(S.ALIASES.get(vocab, {}))
    return m


def _read_vocab(s: pd.Series, vocab: str) -> pd.Series:
    """Canonical codes; unknown codes kept as given (so validation can name them)."""
    text = _blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                             else str(v)))
    canon = text.str.lower().map(_canonical_map(vocab))
    return canon.where(canon.notna(), text).astype("str").where(text.notna())


def _read_vocab_list(s: pd.Series, vocab: str) -> tuple[pd.Series, pd.Series]:
    """Canonical ``;``-joined codes; second value: the unknown items per cell (or NA)."""
    text = _blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                             else str(v)))
    present = text.dropna()
    if present.empty:
        return text, pd.Series(pd.NA, index=s.index, dtype=object)
    items = present.str.split(";").explode().str.strip()
    items = items[items != ""]
    canon = items.str.lower().map(_canonical_map(vocab))
    unknown = items[canon.isna()]
    joined = canon.dropna().groupby(level=0).agg(lambda v: ";".join(dict.fromkeys(v)))
    out = pd.Series(pd.NA, index=s.index, dtype="str")
    out.loc[joined.index] = joined
    bad = unknown.groupby(level=0).agg(", ".join).reindex(s.index)
    return out, bad


# --------------------------------------------------------------------------- fast paths
#
# National datasets have tens of millions of rows. The helpers below give the same
# answers as the obvious pandas calls (``Series.isin``, ``Series.map``,
# ``DataFrame.duplicated``, ``pd.Categorical``) but work on integer codes or on the
# Arrow arrays behind pandas' ``str`` columns, which is several times faster.


def _factorize(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(s)``: int64 codes (-1 for missing) and the distinct values."""
    arr = text_array(s)
    if arr is not None:
        enc = _pc.dictionary_encode(arr.combine_chunks())
        codes = enc.indices.fill_null(-1).to_numpy().astype(np.int64)
        return codes, enc.dictionary.to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


_DAY_NS = 86_400 * 10**9


def _key_codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Codes 0..width-1 with equal codes for equal values (missing values share 0).

    Dates at midnight are coded as days since the earliest one (no hashing needed).
    """
    if s.dtype == "datetime64[ns]":
        v = s.to_numpy().view(np.int64)
        ok = v != np.iinfo(np.int64).min
        if len(v) and ok.all():  # no missing dates: no masking needed
            lo, hi = v.min(), v.max()
            if (hi - lo) // _DAY_NS < 10**7 and not (v % _DAY_NS).any():
                return (v - lo) // _DAY_NS + 1, int((hi - lo) // _DAY_NS) + 2
        elif ok.any():
            lo, hi = v[ok].min(), v[ok].max()
            if (hi - lo) // _DAY_NS < 10**7 and not (v[ok] % _DAY_NS).any():
                return np.where(ok, (v - lo) // _DAY_NS + 1, 0), int((hi - lo) // _DAY_NS) + 2
    codes, uniques = _factorize(s)
    return codes + 1, len(uniques) + 1


def _duplicated(df: pd.DataFrame, key: list[str], codes_of=None) -> np.ndarray:
    """``df.duplicated(subset=key, keep=False)`` (missing equals missing), via codes.

    Each key column becomes integer codes (``codes_of(column)`` may supply them as
    ``(codes, width)``, else :func:`_key_codes`); the codes combine into one integer per
    row (re-coded only if it would overflow), and rows whose integer occurs more than
    once are the duplicates: counted directly when the range is small, else found by
    sorting.
    """
    n_rows = len(df)
    limit = max(8 * n_rows, 1 << 20)
    acc, radix = np.zeros(n_rows, dtype=np.int64), 1
    for k in key:
        given = codes_of(k) if codes_of is not None else None
        codes, width = given if given is not None else _key_codes(df[k])
        if radix * width >= 1 << 62:
            acc, distinct = pd.factorize(acc)
            acc, radix = acc.astype(np.int64), max(len(distinct), 1)
        acc = acc * width + codes if radix > 1 else codes.astype(np.int64)
        radix *= width
    if radix <= limit:
        counts = np.bincount(acc, minlength=radix)
        return counts[acc] > 1
    if n_rows < 2 or (acc[1:] > acc[:-1]).all():  # strictly increasing: all distinct
        return np.zeros(n_rows, dtype=bool)
    ordered = np.sort(acc, kind="stable")  # timsort: fast on the runs of exports
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return np.zeros(n_rows, dtype=bool)
    return np.isin(acc, ordered[1:][same])


def _categorical(s: pd.Series, categories: list[str]) -> pd.Categorical:
    """``pd.Categorical(s, categories=categories)``, looking up the distinct values only."""
    codes, uniques = _factorize(s)
    pos = pd.Index(categories).get_indexer(pd.Index(uniques, dtype=object))
    out = np.where(codes < 0, -1, pos[np.maximum(codes, 0)]) if len(pos) else codes
    return pd.Categorical.from_codes(out, categories=categories)


# --------------------------------------------------------------------------- validation


def _plain_rule(check: str, column: str, columns: dict[str, pa.Column]) -> str:
    """Turn a pandera check name into a rule in plain English."""
    col = columns.get(column)
    if check == "not_nullable":
        return "must not be empty"
    m = re.match(r"(greater_than_or_equal_to|less_than_or_equal_to|greater_than|less_than)"
                 r"\((.*)\)", check)
    if m:
        words = {"greater_than_or_equal_to": "at least", "less_than_or_equal_to": "at most",
                 "greater_than": "greater than", "less_than": "less than"}[m.group(1)]
        return f"must be {words} {m.group(2)}"
    if check.startswith("isin("):
        if col is not None and col.metadata.get("vocab"):
            vocab = col.metadata["vocab"]
            return (f"is not a known {vocab.replace('_', ' ')} code; use one of "
                    + ", ".join(S.VOCABULARIES[vocab]))
        allowed = col.checks[[c.name for c in col.checks].index("isin")].statistics[
            "allowed_values"] if col is not None else []
        return "must be one of " + ", ".join(f"{v:g}" if isinstance(v, float) else str(v)
                                             for v in allowed)
    if check.startswith("dtype("):
        return f"has the wrong type (expected {check[6:-1]})"
    return check


def _raw_value(raw: pd.DataFrame, row: int | None, column: str, fallback: object) -> str | None:
    """The cell as written in the file, for messages."""
    if row is not None and column in raw.columns and row in raw.index:
        v = raw.at[row, column]
        if not (v is None or (isinstance(v, float) and np.isnan(v))):
            return _fmt(v)
    return None if fallback is None or pd.isna(fallback) else _fmt(fallback)


def _validate_table(df: pd.DataFrame, raw: pd.DataFrame, spec: S.TableSpec, src: _Source,
                    already: set[tuple[int, str]]) -> list[Problem]:
    columns = spec.columns()
    problems = []
    try:
        # inplace: no copy of the table (nothing is coerced or added, so nothing changes)
        spec.model.validate(df, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        seen: set[tuple] = set()
        for rec in fc.itertuples(index=False):
            check = str(rec.check)
            if check == "column_in_dataframe":
                problems.append(Problem(src.label, None, str(rec.failure_case), None,
                                        "required column is missing", sheet=src.sheet))
                continue
            row = None if pd.isna(rec.index) else int(rec.index)
            column = str(rec.column)
            if rec.schema_context == "DataFrameSchema" and column in df.columns:
                # a row rule: report once per row, at the column the rule names first
                key = (row, check)
                if key in seen:
                    continue
                seen.add(key)
                named = [c for c in re.findall(r"[a-z_]+", check) if c in df.columns]
                column = named[0] if named else column
                value = _raw_value(raw, row, column, None)
                problems.append(Problem(src.label, row, column, value, check,
                                        sheet=src.sheet))
                continue
            if row is not None and (row, column) in already:
                continue
            value = _raw_value(raw, row, column, rec.failure_case)
            problems.append(Problem(src.label, row, column, value,
                                    _plain_rule(check, column, columns), sheet=src.sheet))
    return problems


def _by_unique(s: pd.Series, reader, *args, keep: list | None = None):
    """Run a cell reader once per distinct value and spread the results back.

    Exports repeat the same few values millions of times (dates, codes, subjects), so
    reading the distinct values only keeps loading fast at national scale. With
    ``keep``, a single-result reader's per-row codes and per-distinct-value result
    (missing last) are appended to it, so that later steps can work on codes.
    """
    if not (s.dtype == object or pd.api.types.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype)):
        return reader(s, *args)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) * 2 > len(s):
        return reader(s, *args)
    values = pd.Series([*np.asarray(uniques, dtype=object), None], dtype=object)
    codes = np.where(codes < 0, len(uniques), codes)
    out = reader(values, *args)
    if keep is not None and not isinstance(out, tuple):
        keep.append((codes, out))

    def spread(r: pd.Series) -> pd.Series:
        return r.take(codes).set_axis(s.index)

    return tuple(spread(r) for r in out) if isinstance(out, tuple) else spread(out)


def _read_text(s: pd.Series) -> pd.Series:
    return _blank_to_na(s.astype(object).map(
        lambda v: v if isinstance(v, str) or pd.isna(v) else
        (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    )).astype("str")


def _read_columns(raw: pd.DataFrame, spec: S.TableSpec, src: _Source,
                  vocab_codes: dict | None = None
                  ) -> tuple[pd.DataFrame, list[Problem], set[tuple[int, str]]]:
    """Read every known column by its kind; collect unreadable cells as problems.

    ``vocab_codes`` (optional) receives, per vocabulary column read by distinct value,
    ``(codes, values)``: the column is ``values.take(codes)``.
    """
    columns = spec.columns()
    df = raw.copy(deep=False)  # copy-on-write: columns are replaced, never edited
    problems: list[Problem] = []
    reported: set[tuple[int, str]] = set()

    def flag(mask: pd.Series, column: str, rule: str, values: pd.Series | None = None):
        if not mask.any():
            return
        vals = (values if values is not None else raw[column])[mask]
        for row, v in vals.items():
            problems.append(Problem(src.label, int(row), column,
                                    None if pd.isna(v) else str(v), rule, sheet=src.sheet))
            reported.add((int(row), column))

    for name, col in columns.items():
        if name not in df.columns:
            continue
        kind = col.metadata.get("kind")
        s = df[name]
        if kind in ("id", "text"):
            if pd.api.types.is_string_dtype(s) and not isinstance(s.dtype,
                                                                  pd.CategoricalDtype):
                df[name] = _blank_to_na(s).astype("str")
            else:
                df[name] = _by_unique(s, _read_text)
        elif kind == "date":
            df[name], bad = _by_unique(s, _read_dates)
            flag(bad, name, "is not a date: use YYYY-MM-DD or DD/MM/YYYY")
        elif kind == "month":
            df[name], bad, full = _by_unique(s, _read_months)
            flag(bad, name, "is not a month: use YYYY-MM")
            flag(full, name, "is a full date of birth, which is refused: give the month "
                             "only (YYYY-MM)")
        elif kind == "bool":
            df[name], bad = _by_unique(s, _read_bools)
            flag(bad, name, "is not yes/no: use true/false, yes/no, y/n or 1/0")
        elif kind in ("int", "number"):
            df[name], bad, notwhole = _by_unique(s, _read_numbers, kind == "int")
            flag(bad, name, "is not a number")
            flag(notwhole, name, "must be a whole number")
        elif kind == "vocab":
            kept: list = []
            df[name] = _by_unique(s, _read_vocab, col.metadata["vocab"], keep=kept)
            if vocab_codes is not None and kept:
                vocab_codes[name] = kept[0]
        elif kind == "vocab_list":
            vocab = col.metadata["vocab"]
            df[name], bad = _by_unique(s, _read_vocab_list, vocab)
            flag(bad.notna(), name,
                 f"has codes that are not in the {vocab} vocabulary; use codes from "
                 + ", ".join(S.VOCABULARIES[vocab]) + " separated by ';'",
                 values=raw[name])
    return df, problems, reported


def _check_header(raw: pd.DataFrame, spec: S.TableSpec, src: _Source
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    problems = []
    names = [_normalise_header(c) for c in raw.columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    for d in dupes:
        problems.append(Problem(src.label, 1 if src.fmt != "parquet" else None, d, None,
                                "column appears more than once", sheet=src.sheet))
    raw = raw.copy(deep=False)
    raw.columns = names
    raw = raw.loc[:, ~pd.Index(names).duplicated()]
    unnamed = [c for c in raw.columns if c.startswith("unnamed:")]
    if unnamed:
        raw = raw.drop(columns=[c for c in unnamed if raw[c].isna().all()
                                or (raw[c].astype("str").str.strip() == "").all()])
    if spec.learner_level:
        idents = [c for c in raw.columns if c in S.IDENTIFIER_COLUMNS]
        for c in idents:
            problems.append(Problem(
                src.label, None, c, None,
                "is a direct identifier and is refused: remove it, or replace the pupil "
                "number with a pseudonymous learner_id (`srb-eval pseudonymise`, a keyed "
                "HMAC-SHA256 hash with a key kept outside the repository)",
                sheet=src.sheet))
        raw = raw.drop(columns=idents)
    return raw, problems


def _check_keys(df: pd.DataFrame, spec: S.TableSpec, src: _Source, codes_of=None
                ) -> list[Problem]:
    key = [k for k in spec.key if k in df.columns]
    if len(key) != len(spec.key):
        return []
    repeated = _duplicated(df, key, codes_of)
    if not repeated.any():
        return []
    dup = pd.Series(repeated, index=df.index) & df[key].notna().all(axis=1)
    if not dup.any():
        return []
    d = df.loc[dup, key]
    firsts = pd.Series(d.index, index=d.index).groupby(
        [d[k] for k in key], dropna=False, sort=False).transform("min")
    problems = []
    for row, first in firsts.items():
        if row == first:
            continue
        value = ", ".join(f"{k}={_fmt(df.at[row, k])}" for k in key)
        problems.append(Problem(src.label, int(row), key[0], value,
                                f"duplicate key ({', '.join(key)}): same as row {first}",
                                sheet=src.sheet))
    return problems


def _fmt(v: object) -> str:
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)


#: Columns that name a row of another table: (table, column) -> (table, column).
_REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    **{(t, "learner_id"): ("learners", "learner_id") for t in S.LEARNER_TABLES},
    ("placements", "srb_id"): ("srbs", "srb_id"),
    ("assessments", "instrument"): ("instruments", "instrument"),
}


def _ref_positions(tables: dict[str, pd.DataFrame], child: str, column: str,
                   cache: dict) -> np.ndarray | None:
    """Row of the first occurrence of each ``child.column`` value in the column it refers
    to (-1 where absent; missing matches missing), for text columns; else None.

    Cached in ``cache``, so that the key check and the reference checks look the values
    up once.
    """
    if (child, column) in cache:
        return cache[(child, column)]
    parent, parent_col = _REFERENCES.get((child, column), (None, None))
    out = None
    if child in tables and parent in tables and column in tables[child].columns \
            and parent_col in tables[parent].columns:
        a = text_array(tables[child][column])
        b = text_array(tables[parent][parent_col])
        if a is not None and b is not None:
            out = _pc.index_in(a, value_set=b.combine_chunks()).fill_null(-1).to_numpy(
                zero_copy_only=False)
    cache[(child, column)] = out
    return out


def _ref_key_codes(tables: dict[str, pd.DataFrame], child: str, column: str,
                   cache: dict) -> tuple[np.ndarray, int] | None:
    """Key codes (as :func:`_key_codes`) from the reference lookup, when every value is
    found in a parent column without missing values (None otherwise)."""
    if (child, column) not in _REFERENCES:
        return None
    pos = _ref_positions(tables, child, column, cache)
    if pos is None:
        return None
    parent, parent_col = _REFERENCES[(child, column)]
    p = tables[parent][parent_col]
    if p.isna().any() or int((pos < 0).sum()) != int(tables[child][column].isna().sum()):
        return None  # an unknown value (or a missing parent key): code the column itself
    return pos + 1, len(p) + 1


def _vocab_key_codes(vocab_codes: dict, column: str) -> tuple[np.ndarray, int] | None:
    """Key codes of a vocabulary column read by distinct value (see :func:`_by_unique`)."""
    kept = vocab_codes.get(column)
    if kept is None:
        return None
    codes, values = kept
    v_codes, v_uniques = _factorize(values)
    return v_codes[codes] + 1, len(v_uniques) + 1


def _check_references(tables: dict[str, pd.DataFrame], sources: dict[str, _Source],
                      cache: dict | None = None) -> list[Problem]:
    problems: list[Problem] = []
    cache = {} if cache is None else cache

    def unknown(child: str, column: str, parent: str, parent_col: str):
        if child not in tables or parent not in tables:
            return
        c, p = tables[child], tables[parent]
        if column not in c.columns or parent_col not in p.columns:
            return
        pos = _ref_positions(tables, child, column, cache)
        if pos is not None:
            bad = c[column].notna() & (pos < 0)
        else:
            bad = c[column].notna() & ~is_in(c[column], p[parent_col].dropna())
        src = sources[child]
        for row, v in c.loc[bad, column].items():
            problems.append(Problem(src.label, int(row), column, str(v),
                                    f"unknown {parent_col}: not in the {parent} table",
                                    sheet=src.sheet))

    for t in S.LEARNER_TABLES:
        unknown(t, "learner_id", "learners", "learner_id")
    unknown("placements", "srb_id", "srbs", "srb_id")
    unknown("assessments", "instrument", "instruments", "instrument")

    a = tables.get("assessments")
    if a is not None:
        src = sources["assessments"]
        if "learners" in tables and {"learner_id", "date"} <= set(a.columns):
            pos = _ref_positions(tables, "assessments", "learner_id", cache)
            if pos is not None:  # rows of first occurrences in learners
                at, births = pos, tables["learners"]["birth_month"]
            else:
                births = tables["learners"].set_index("learner_id")["birth_month"]
                births = births[~births.index.duplicated()]
                at = positions(a["learner_id"], births.index.to_series())
            bm = pd.Series(births.to_numpy().take(np.maximum(at, 0)), index=a.index)
            bm[at < 0] = pd.NaT
            age = (a["date"] - bm).dt.days / 365.25
            bad = age.notna() & ((age < MIN_AGE_YEARS) | (age >= MAX_AGE_YEARS + 1))
            for row in a.index[bad]:
                problems.append(Problem(
                    src.label, int(row), "date", _fmt(a.at[row, "date"]),
                    f"learner would be aged {age[row]:.1f} at this assessment; ages "
                    f"{MIN_AGE_YEARS} to {MAX_AGE_YEARS} are allowed (check the date and "
                    "birth_month)", sheet=src.sheet))
        inst = tables.get("instruments")
        if inst is not None and {"instrument", "score"} <= set(a.columns):
            pos = _ref_positions(tables, "assessments", "instrument", cache)
            ins = inst if pos is not None else \
                inst.drop_duplicates("instrument").set_index("instrument")
            for bound, op, word in (("min_score", np.less, "below"),
                                    ("max_score", np.greater, "above")):
                if bound not in ins.columns:
                    continue
                at = pos if pos is not None else positions(a["instrument"],
                                                         ins.index.to_series())
                values = ins[bound].to_numpy(dtype="float64", na_value=np.nan)
                limit = pd.Series(np.append(values, np.nan)[at], index=a.index)
                bad = limit.notna() & op(a["score"], limit).fillna(False)
                for row in a.index[bad]:
                    problems.append(Problem(
                        src.label, int(row), "score", f"{a.at[row, 'score']:g}",
                        f"is {word} the {bound.replace('_', ' ')} of "
                        f"{a.at[row, 'instrument']} ({limit[row]:g})", sheet=src.sheet))
    return problems


def _finish(df: pd.DataFrame, spec: S.TableSpec, vocab_codes: dict | None = None
            ) -> pd.DataFrame:
    """Typed output: vocabulary columns as categoricals, a fresh RangeIndex."""
    out = df.reset_index(drop=True)
    for name, vocab in S.vocabulary_columns(spec.name).items():
        if name in out.columns:
            categories = list(S.VOCABULARIES[vocab])
            kept = (vocab_codes or {}).get(name)
            if kept is not None:  # the column is values.take(codes): look up the values
                codes, values = kept
                pos = pd.Index(categories).get_indexer(pd.Index(values, dtype=object))
                out[name] = pd.Categorical.from_codes(pos[codes], categories=categories)
            else:
                out[name] = _categorical(out[name], categories)
    for name, col in spec.columns().items():
        if name not in out.columns and not col.required:
            if name == "weight":
                out[name] = 1.0
            elif col.metadata.get("kind") == "bool":
                out[name] = pd.array([pd.NA] * len(out), dtype="boolean")
            else:
                out[name] = np.nan
    return out


# --------------------------------------------------------------------------- public API


def load_dataset(path: str | Path, *, tables: Iterable[str] | None = None) -> Dataset:
    """Read, check and type every table of a dataset.

    Parameters
    ----------
    path
        A folder of ``<table>.csv`` or ``<table>.parquet`` files, a folder holding one
        Excel workbook, or an ``.xlsx`` workbook with a sheet per table. Relative paths
        are resolved against the current directory.
    tables
        Read only these optional tables (the required ones are always read).

    Returns
    -------
    Dataset
        Validated tables; see ``docs/data-dictionary.md`` for their columns.

    Raises
    ------
    DataReadError
        The path does not exist or is not a dataset.
    DataValidationError
        One or more problems; ``.problems`` lists every one (file, sheet, row, column,
        value, rule). Nothing is dropped silently.
    """
    root = Path(path).expanduser().resolve()
    found, problems, unmatched = _discover(root)
    wanted = set(S.TABLES) if tables is None else (
        {n for n, s in S.TABLES.items() if s.required} | set(tables))
    unknown_wanted = set(wanted) - set(S.TABLES)
    if unknown_wanted:
        raise ValueError(f"tables: unknown table(s) {sorted(unknown_wanted)}; "
                         f"choose from {list(S.TABLES)}")
    sources = {s.table: s for s in found if s.table in wanted}
    if not sources and not problems:
        hint = f" (found {', '.join(unmatched)})" if unmatched else ""
        raise DataReadError(f"{root}: no srb-eval tables found{hint}; expected files named "
                            + ", ".join(f"{t}.csv" for t in S.TABLES))
    for name, spec in S.TABLES.items():
        if spec.required and name not in sources:
            hint = (f"; files not recognised as tables: {', '.join(unmatched)}"
                    if unmatched else "")
            problems.append(Problem(root.name, None, None, None,
                                    f"required table {name} is missing (expected "
                                    f"{name}.csv, {name}.parquet or a sheet {name}){hint}"))

    typed: dict[str, pd.DataFrame] = {}
    vocab_codes: dict[str, dict] = {}
    positions: dict = {}  # reference lookups, shared by the key and reference checks
    for name in S.TABLES:
        src = sources.get(name)
        if src is None:
            continue
        spec = S.TABLES[name]
        try:
            raw = _read(src)
        except UnicodeDecodeError as exc:
            line = exc.object[:exc.start].count(b"\n") + 1
            problems.append(Problem(src.label, line, None, None,
                                    f"cannot be read: byte {exc.object[exc.start]:#04x} is "
                                    "neither UTF-8 nor Windows-1252 text; save the file as "
                                    "'CSV UTF-8'", sheet=src.sheet))
            continue
        except (pd.errors.ParserError, ValueError, OSError) as exc:
            problems.append(Problem(src.label, None, None, None,
                                    f"cannot be read: {exc}", sheet=src.sheet))
            continue
        raw, p_header = _check_header(raw, spec, src)
        vocab_codes[name] = {}
        df, p_cells, reported = _read_columns(raw, spec, src, vocab_codes[name])
        problems += p_header + p_cells
        problems += _validate_table(df, raw, spec, src, reported)
        typed[name] = df

        def codes_of(column: str, name=name) -> tuple[np.ndarray, int] | None:
            return (_ref_key_codes(typed, name, column, positions)
                    or _vocab_key_codes(vocab_codes[name], column))

        problems += _check_keys(df, spec, src, codes_of)
    problems += _check_references(typed, sources, positions)
    if problems:
        problems.sort(key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or ""))
        raise DataValidationError(problems, source=str(root))
    out = {name: _finish(df, S.TABLES[name], vocab_codes.get(name))
           for name, df in typed.items()}
    files = {name: str(src.path) for name, src in sources.items()}
    return Dataset(**out, source=str(root), files=files)


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the dataset at ``path`` (empty when it is valid)."""
    try:
        load_dataset(path)
    except DataValidationError as err:
        return err.problems
    return []


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a tidy table: file, sheet, row, column, value, rule."""
    return pd.DataFrame(
        [{"file": p.file, "sheet": p.sheet or "", "row": p.row, "column": p.column or "",
          "value": p.value or "", "rule": p.rule} for p in problems],
        columns=["file", "sheet", "row", "column", "value", "rule"],
    ).astype({"row": "Int64"})


def write_dataset(tables: Mapping[str, pd.DataFrame], out: str | Path, *,
                  fmt: str = "csv") -> list[Path]:
    """Write tables as ``<table>.csv`` (ISO dates) or ``.parquet`` files into ``out``.

    Each file is written to a temporary name and renamed, so a reader never sees a
    half-written file.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt: must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        target = out / f"{name}.{fmt}"
        tmp = target.with_name(f".{target.name}.tmp")
        if fmt == "csv":
            df.to_csv(tmp, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        else:
            df.to_parquet(tmp, index=False, engine="pyarrow")
        tmp.replace(target)
        written.append(target)
    return written
