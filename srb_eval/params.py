"""One vocabulary for parameters: how every function and notebook reads a date, a school
year or a whole number given by a person.

Dates are ISO 8601 only (``"2025-10-01"``, or a ``date``/``Timestamp``): "01/10/2025" is
1 October in Wales and 10 January in the United States, so it is refused, with a message
naming the parameter, rather than guessed. School years are written ``"2025/26"``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import ParameterError, check_argument

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The dates a parameter may name: days the tool's arithmetic can hold (pandas'
#: nanosecond timestamps end in April 2262), from the first year any record could date.
EARLIEST_DATE = pd.Timestamp("1900-01-01")
LATEST_DATE = pd.Timestamp("2261-12-31")


def iso_date(value: object, name: str, *, optional: bool = False) -> pd.Timestamp | None:
    """``value`` as a midnight ``Timestamp``; ``ParameterError`` naming ``name`` otherwise.

    Parameters
    ----------
    value : str, date, datetime, Timestamp or numpy datetime64
        A string must be an ISO date ``YYYY-MM-DD`` (surrounding spaces ignored).
    name : str
        The parameter's name, quoted in the error message.
    optional : bool, default False
        Allow ``None`` (returned as ``None``).

    Examples
    --------
    >>> iso_date("2025-10-01", "census_date")
    Timestamp('2025-10-01 00:00:00')
    >>> iso_date("01/10/2025", "census_date")
    Traceback (most recent call last):
    ...
    srb_eval.errors.ParameterError: census_date: must be a date written YYYY-MM-DD; got '01/10/2025'
    """
    allowed = "a date written YYYY-MM-DD" + (" or None" if optional else "")
    if value is None:
        check_argument(optional, name, allowed, value, error=ParameterError)
        return None
    ts = None
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value.strip()):
            try:
                ts = pd.Timestamp(datetime.strptime(value.strip(), "%Y-%m-%d"))
            except ValueError:
                ts = None
    elif isinstance(value, (date, np.datetime64)) and not pd.isna(value):
        ts = pd.Timestamp(value)
        ts = ts.tz_localize(None) if ts.tzinfo else ts
    check_argument(ts is not None, name, allowed, value, error=ParameterError)
    # (9999-12-31, an export's open end, or 0001-01-01 overflowed later as a traceback)
    check_argument(EARLIEST_DATE <= ts <= LATEST_DATE, name,  # type: ignore[operator]
                   f"a date from {EARLIEST_DATE:%Y-%m-%d} to {LATEST_DATE:%Y-%m-%d}", value,
                   error=ParameterError)
    return ts.normalize()  # type: ignore[union-attr]


class SchoolYear(NamedTuple):
    """A school year: ``label`` "2025/26", ``start`` 1 September, ``end`` 31 August."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp


def school_year(label: str | SchoolYear, name: str = "academic_year") -> SchoolYear:
    """Parse a school year written ``"YYYY/YY"`` (1 September to 31 August).

    Examples
    --------
    >>> school_year("2025/26")
    SchoolYear(label='2025/26', start=Timestamp('2025-09-01 00:00:00'), \
end=Timestamp('2026-08-31 00:00:00'))
    """
    if isinstance(label, SchoolYear):
        return label
    m = re.fullmatch(r"\s*(\d{4})/(\d{2})\s*", label) if isinstance(label, str) else None
    ok = m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))
    check_argument(ok, name, 'a school year written "YYYY/YY" with consecutive years, e.g. '
                   '"2025/26"', label, error=ParameterError)
    y = int(m.group(1))  # type: ignore[union-attr]
    return SchoolYear(f"{y}/{(y + 1) % 100:02d}", pd.Timestamp(y, 9, 1),
                      pd.Timestamp(y + 1, 8, 31))


def whole_number(value: object, name: str, *, minimum: int = 0) -> int:
    """``value`` as an ``int`` of at least ``minimum`` (``bool`` is refused)."""
    ok = (isinstance(value, (int, np.integer)) and not isinstance(value, bool)
          and value >= minimum)
    check_argument(ok, name, f"a whole number of {minimum} or more", value,
                   error=ParameterError)
    return int(value)  # type: ignore[arg-type]
