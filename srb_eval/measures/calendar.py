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


def calendar_months(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar months from ``start`` to ``end``, as schools count them between two tests.

    The months of the two dates are counted, not their days: 12 x (difference of years)
    + (difference of months). September to March is 6 months whatever the days of the
    month (30 September to 1 March, or 1 September to 31 March), which is how a school
    records that a test was repeated "six months later".

    .. math:: m = 12\\,(y_{end} - y_{start}) + (m_{end} - m_{start})

    References
    ----------
    .. [1] Brooks, G. (2016). *What works for children and young people with literacy
       difficulties?* (5th ed.), introduction: ratio gain is the gain in reading or
       spelling age in months divided by the time elapsed in months between the tests.

    Examples
    --------
    >>> calendar_months(pd.Series(pd.to_datetime(["2024-09-30", "2025-03-01", None])),
    ...                 pd.Series(pd.to_datetime(["2025-03-01", "2025-09-30", "2025-01-01"]))
    ...                 ).tolist()
    [6.0, 6.0, nan]
    """
    s, e = pd.to_datetime(pd.Series(start)), pd.to_datetime(pd.Series(end))
    months = 12 * (e.dt.year - s.dt.year) + (e.dt.month - s.dt.month)
    return months.astype("float64")


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
    A learner's year group in the school year that starts on 1 September of year
    :math:`Y` is their age on 31 August of :math:`Y` minus 4 (children who are 4 on 31
    August start Reception). From the birth month :math:`(b_y, b_m)` alone:

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
    school_year = d.dt.year - (d.dt.month < SCHOOL_YEAR_START_MONTH).astype("Int64")
    age = school_year - b.dt.year - (b.dt.month >= SCHOOL_YEAR_START_MONTH).astype("Int64")
    return (age - 4).astype("Int64")


def year_group_label(group: pd.Series) -> pd.Series:
    """Words for year groups: ``"Reception"``, ``"Year 7"``, ``"Nursery"``...

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
