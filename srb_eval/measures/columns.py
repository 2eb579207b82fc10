"""Argument checks shared by the measures: a table's columns, grouping keys, numbers.

Each raises :class:`~srb_eval.errors.ParameterError` naming the parameter and what it
allows (through :func:`~srb_eval.errors.check_argument`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument

__all__ = ["check", "group_keys", "is_number", "need_columns"]


def check(ok: bool, name: str, allowed: str, got: object) -> None:
    """:func:`~srb_eval.errors.check_argument` raising ``ParameterError``."""
    check_argument(ok, name, allowed, got, error=ParameterError)


def need_columns(df: Any, columns: Sequence[str], name: str) -> None:
    """Raise unless ``df`` is a DataFrame holding ``columns``.

    Examples
    --------
    >>> need_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "progress")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    srb_eval.errors.ParameterError: progress: must be a table with columns a, b; got ...
    """
    check(isinstance(df, pd.DataFrame), name, "a pandas DataFrame", type(df).__name__)
    missing = [c for c in columns if c not in df.columns]
    check(not missing, name, "a table with columns " + ", ".join(columns),
          "a table without " + ", ".join(missing))


def group_keys(df: pd.DataFrame, by: Any, name: str = "by") -> list[str]:
    """``by`` (a column name or a list of them) as a list of columns of ``df``."""
    keys = [by] if isinstance(by, str) else list(by)
    check(all(isinstance(k, str) for k in keys), name, "a column name or list of names", by)
    missing = [k for k in keys if k not in df.columns]
    check(not missing, name, "columns of progress (" + ", ".join(map(str, df.columns))
          + ")", missing)
    return keys


def is_number(x: Any) -> bool:
    """A finite real number (not a bool).

    Examples
    --------
    >>> is_number(0.25), is_number(True), is_number(float("nan"))
    (True, False, False)
    """
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
        x, (bool, np.bool_)) and math.isfinite(float(x))
