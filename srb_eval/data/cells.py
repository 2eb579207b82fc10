"""Reading the cells of one column: dates, months, booleans, numbers and vocabulary codes.

Each reader returns the typed values and a mask of the cells it could not read, so that
the loader can report every unreadable cell with its row and rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as _pa

from . import schema as S
from .lookup import text_array

#: Nanoseconds in a day.
DAY_NS = 86_400 * 10**9

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


def blank_to_na(s: pd.Series) -> pd.Series:
    """Text with surrounding spaces removed; empty cells as missing."""
    arr = text_array(s)
    if arr is not None and not _maybe_untrimmed(arr):
        return s.astype("str")  # nothing to strip and no empty cell: the same text
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        t = s.astype("str").str.strip()
        t = t.mask(s.isna() | (t == ""))
        return t
    return s


def fold_text(s: pd.Series) -> pd.Series:
    """Text as compared: case-folded, surrounding spaces removed, inner spaces collapsed
    (``" English "``, ``"ENGLISH"`` and ``"english"`` are one subject).

    >>> fold_text(pd.Series([" Maths ", "Design  and tech", "MATHS"])).tolist()
    ['maths', 'design and tech', 'maths']
    """
    return s.astype("str").str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")

#: The first and last day a date column can hold (``datetime64[ns]``, pandas'
#: ``Timestamp.min`` and ``Timestamp.max`` to the day).
FIRST_DAY = pd.Timestamp.min.ceil("D")
LAST_DAY = pd.Timestamp.max.floor("D")


#: The time zone of the records: a timestamp with a zone (a Parquet file from a BI tool,
#: midnight in Britain kept in UTC) is read as the date it was in Britain.
RECORDS_ZONE = "Europe/London"


def local_time(s: pd.Series) -> pd.Series:
    """A datetime column as wall-clock time: a column with no zone as written; a zoned
    column whose every value is midnight in its own zone (dates kept as 00:00 UTC) as
    those dates; any other zoned column as the time in :data:`RECORDS_ZONE` (midnight
    in Britain kept in UTC is 23:00 the day before in summer).

    >>> utc = pd.Series(pd.to_datetime(["2025-08-31 23:00", "2025-12-01 00:00"]))
    >>> local_time(utc.dt.tz_localize("UTC")).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2025-09-01 00:00', '2025-12-01 00:00']
    >>> dates = pd.Series(pd.to_datetime(["2025-09-01", "2025-12-01"])).dt.tz_localize("UTC")
    >>> local_time(dates).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2025-09-01 00:00', '2025-12-01 00:00']
    """
    if getattr(s.dt, "tz", None) is None:
        return s
    own = s.dt.tz_localize(None)
    if (own.dropna() == own.dropna().dt.normalize()).all():
        return own
    return s.dt.tz_convert(RECORDS_ZONE).dt.tz_localize(None)


def _in_range(parsed: pd.Series) -> pd.Series:
    """Which parsed dates (of any resolution) lie from :data:`FIRST_DAY` to
    :data:`LAST_DAY`; a date beyond them (``9999-12-31``, an export's "open") is read as
    not a date, for :func:`dates_out_of_range` to name."""
    return parsed.notna() & (parsed >= FIRST_DAY) & (parsed <= LAST_DAY)


def dates_out_of_range(s: pd.Series) -> pd.Series:
    """Which cells hold a date (``YYYY-MM-DD``, ``DD/MM/YYYY`` or a workbook's date)
    before :data:`FIRST_DAY` or after :data:`LAST_DAY`.

    >>> dates_out_of_range(pd.Series(["9999-12-31", "2025-01-01", "x", None])).tolist()
    [True, False, False, False]
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        local = local_time(s)
        return local.notna() & ~_in_range(local)
    out = pd.Series(False, index=s.index)
    for fmt in (None, *_DATE_FORMATS[:2]):
        if fmt is None:  # workbook date cells
            cells = s.map(lambda v: hasattr(v, "year") and not isinstance(v, str))
            if not cells.any():
                continue
            parsed = pd.to_datetime(s.where(cells).astype(object), errors="coerce")
        else:
            parsed = pd.to_datetime(blank_to_na(s.astype(object)), format=fmt,
                                    errors="coerce")
        out |= parsed.notna() & ~_in_range(parsed)
    return out


def read_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dates; return (datetime64 series, mask of cells that could not be read:
    not dates, or dates beyond :data:`FIRST_DAY` and :data:`LAST_DAY`)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        if s.dtype == "datetime64[ns]":
            v = s.to_numpy().view(np.int64)
            rem = v % DAY_NS
            if not rem.any() or not rem[v != np.iinfo(np.int64).min].any():  # midnight
                return s.astype("datetime64[ns]"), pd.Series(False, index=s.index)
        out = local_time(s)
        # a time of day is not a date; a Parquet file's microseconds reach year 9999
        bad = out.notna() & ((out != out.dt.normalize()) | ~_in_range(out))
        return out.where(~bad).astype("datetime64[ns]"), bad
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    is_ts = s.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64))
                  or hasattr(v, "year")) if s.dtype == object else pd.Series(False, index=s.index)
    far = pd.Series(False, index=s.index)
    if is_ts.any():  # Excel date cells
        parsed = pd.to_datetime(s[is_ts].astype(object), errors="coerce")
        ok = _in_range(parsed) & (parsed == parsed.dt.normalize())
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]")
        far.loc[(~ok)[~ok].index] = True
    text = blank_to_na(s.where(~is_ts).astype(object))
    todo = text.notna() | far
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = _in_range(parsed)
        if fmt.endswith("%S"):
            ok &= parsed == parsed.dt.normalize()  # a time of day is not a date
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]")
        todo.loc[ok[ok].index] = False
    return out, todo


def times_of_day(s: pd.Series) -> pd.Series:
    """Which cells hold a date with a time of day other than midnight (a workbook's or a
    Parquet file's timestamp, or text such as ``2025-09-01 10:30:00``): not a date. A
    timestamp kept in UTC can even fall on the day before its local date.

    >>> times_of_day(pd.Series(["2025-09-01 10:30:00", "2025-09-01", None])).tolist()
    [True, False, False]
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        local = local_time(s)
        return local.notna() & (local != local.dt.normalize())
    out = pd.Series(False, index=s.index)
    if s.dtype == object:  # workbook cells
        cells = s.map(lambda v: hasattr(v, "year") and not isinstance(v, str))
        if cells.any():
            parsed = pd.to_datetime(s.where(cells).astype(object), errors="coerce")
            out |= parsed.notna() & (parsed != parsed.dt.normalize())
    text = blank_to_na(s.astype(object))
    for fmt in _DATE_FORMATS[2:]:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        out |= parsed.notna() & (parsed != parsed.dt.normalize())
    return out


def read_months(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse YYYY-MM (or MM/YYYY); return (first-of-month dates, bad mask, full-date mask)."""
    if pd.api.types.is_datetime64_any_dtype(s) or s.dtype == object:
        dates = s if pd.api.types.is_datetime64_any_dtype(s) else None
        if dates is None:
            is_ts = s.map(lambda v: hasattr(v, "year") and not isinstance(v, str))
            if is_ts.any():
                dates = pd.to_datetime(s.where(is_ts), errors="coerce")
                far = is_ts & ~_in_range(dates)
                dates = dates.where(~far)
                full = is_ts & ~far & (dates.dt.day != 1)
                text_part = s.where(~is_ts)
                out, bad, full2 = read_months(blank_to_na(text_part.astype(object)).astype("str"))
                out = out.where(~is_ts, dates.dt.to_period("M").dt.to_timestamp())
                return out.astype("datetime64[ns]"), (bad & ~is_ts) | far, full | full2
        else:
            full = dates.notna() & (dates.dt.day != 1)
            return (dates.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]"),
                    pd.Series(False, index=s.index), full)
    text = blank_to_na(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = text.notna()
    for fmt in ("%Y-%m", "%m/%Y"):
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = _in_range(parsed)
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[ns]")
        todo.loc[ok[ok].index] = False
    full = pd.Series(False, index=s.index)
    if todo.any():
        full_dates, not_dates = read_dates(text[todo])
        full.loc[(~not_dates)[~not_dates].index] = True
    return out, todo & ~full, full


def read_bools(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no cells as a nullable boolean, and which cells are neither.

    A cell is true when it is one of ``schema.TRUE_WORDS`` and false when one of
    ``schema.FALSE_WORDS`` (any case; "1.0" reads as "1"); blank is missing.

    Examples
    --------
    >>> v, bad = read_bools(pd.Series(["Yes", "n", "", "maybe"]))
    >>> v.tolist(), bad.tolist()
    ([True, False, <NA>, <NA>], [False, False, False, True])
    """
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    text = blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                             else str(int(v)) if isinstance(v, (bool, np.bool_))
                                             else str(v)))
    low = text.str.lower()
    low = low.str.replace(r"\.0$", "", regex=True)
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(S.TRUE_WORDS)] = True
    out[low.isin(S.FALSE_WORDS)] = False
    bad = text.notna() & out.isna()
    return out, bad


#: The largest number a cell may hold: far above any count of minutes, sessions or
#: pounds in an SRB evaluation, and below the 2**53 up to which every whole number is
#: exact in floating point. Infinity and 1e300 are typing or export errors.
MAX_NUMBER = 10**12


def read_numbers(s: pd.Series, whole: bool
                 ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Return (numbers, not-a-number mask, not-whole mask, too-large mask).

    A value that is infinite or larger in size than :data:`MAX_NUMBER` is not read
    (missing) and flagged in the last mask.
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        num = s.astype("float64")
        bad = pd.Series(False, index=s.index)
    else:
        text = blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                                 else str(v)))
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = text.notna() & num.isna()
    too_large = num.notna() & ~(num.abs() <= MAX_NUMBER)
    num = num.where(~too_large)
    notwhole = pd.Series(False, index=s.index)
    if whole:
        notwhole = num.notna() & (num != np.round(num))
        num = num.where(~notwhole).round().astype("Int64")
    return num, bad, notwhole, too_large


def _canonical_map(vocab: str) -> dict[str, str]:
    codes = S.VOCABULARIES[vocab]
    m = {c.lower(): c for c in codes}
    m.update(S.ALIASES.get(vocab, {}))
    return m


def read_vocab(s: pd.Series, vocab: str) -> pd.Series:
    """Canonical codes; unknown codes kept as given (so validation can name them)."""
    text = blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
                                             else str(v)))
    if text.isna().all():  # an optional column left empty (a Parquet file stores floats)
        return text.astype("str")
    canon = text.str.lower().map(_canonical_map(vocab))
    return canon.where(canon.notna(), text).astype("str").where(text.notna())


def read_vocab_list(s: pd.Series, vocab: str) -> tuple[pd.Series, pd.Series]:
    """Canonical ``;``-joined codes; second value: the unknown items per cell (or NA)."""
    text = blank_to_na(s.astype(object).map(lambda v: v if isinstance(v, str) or pd.isna(v)
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




_ISO = r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?\s*"
_DAY_FIRST = r"\s*\d{1,2}/\d{1,2}/\d{4}\s*"


def mixed_date_formats(s: pd.Series) -> pd.Series:
    """Cells written in the less common of two date styles in one column.

    A column holding both ``YYYY-MM-DD`` and ``DD/MM/YYYY`` text has usually been put
    together from two exports, and a month-first date from one of them (``03/04/2024``
    for 4 March) would be read as 3 April without a word. Where both styles occur, the
    cells of the less common style (day-first on a tie) are flagged; Excel date cells
    and a column in one style are never flagged.

    Examples
    --------
    >>> mixed_date_formats(pd.Series(["2024-03-04", "2024-03-05", "04/03/2024"])).tolist()
    [False, False, True]
    """
    if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
        return pd.Series(False, index=s.index)  # typed dates (Parquet): no text styles
    text = s.where(s.map(lambda v: isinstance(v, str)), None).astype(object)
    iso = text.str.fullmatch(_ISO).fillna(False).astype(bool)
    day_first = text.str.fullmatch(_DAY_FIRST).fillna(False).astype(bool)
    if not (iso.any() and day_first.any()):
        return pd.Series(False, index=s.index)
    return day_first if day_first.sum() <= iso.sum() else iso
