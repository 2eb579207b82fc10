"""The one calendar every measure uses: school years run from 1 September to 31 August.

Functions take and return pandas objects; a school year is named by the calendar year it
starts in (``2025`` is 2025/26) and labelled ``"2025/26"`` for readers.
"""

from __future__ import annotations

import pandas as pd

#: First month of the school year in Wales and England.
SCHOOL_YEAR_START_MONTH = 9


def school_year_of(dates: pd.Series) -> pd.Series:
    """Start year of the school year (1 September - 31 August) of each date.

    Examples
    --------
    >>> school_year_of(pd.Series(pd.to_datetime(["2025-08-31", "2025-09-01"]))).tolist()
    [2024, 2025]
    """
    return dates.dt.year - (dates.dt.month < SCHOOL_YEAR_START_MONTH).astype("int64")


def school_year_label(start_year: int | pd.Series) -> str | pd.Series:
    """``2025 -> "2025/26"``: the label of the school year starting in September.

    Examples
    --------
    >>> school_year_label(2025)
    '2025/26'
    >>> school_year_label(pd.Series([1999, 2009])).tolist()
    ['1999/00', '2009/10']
    """
    if isinstance(start_year, pd.Series):
        y = start_year.astype("int64")
        return y.astype("str") + "/" + ((y + 1) % 100).astype("str").str.zfill(2)
    return f"{int(start_year)}/{(int(start_year) + 1) % 100:02d}"


def school_year_start(start_year: pd.Series) -> pd.Series:
    """1 September of each school year's start year; NaT where the year is missing.

    Examples
    --------
    >>> school_year_start(pd.Series([2024, None])).tolist()
    [Timestamp('2024-09-01 00:00:00'), NaT]
    """
    y = pd.to_numeric(start_year, errors="coerce").astype("Int64")
    text = y.astype("str").where(y.notna()) + f"-{SCHOOL_YEAR_START_MONTH:02d}-01"
    return pd.to_datetime(text, format="%Y-%m-%d").astype("datetime64[ns]")
