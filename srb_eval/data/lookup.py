"""Looking text values up among other text values: membership and positions.

pandas 3 keeps text columns as Arrow strings. ``Series.isin`` and ``Index.get_indexer``
on millions of them first turn the values into Python objects; pyarrow's hash lookups
(``pyarrow.compute.is_in`` / ``index_in``) give the same answers in C++, ten times
faster on national data. These functions use them for Arrow-backed text and fall back
to pandas for every other dtype, so callers need not care which they have.

Missing values match missing values, as in pandas.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["is_in", "positions", "text_array"]


def text_array(values: Any) -> pa.ChunkedArray | None:
    """The Arrow strings behind a pandas ``str`` Series or Index, as one ``large_string``
    chunked array; None for any other dtype."""
    dtype = getattr(values, "dtype", None)
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    arr = pa.array(values.array)
    arr = arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
    return arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr


def is_in(values: Any, allowed: Any) -> np.ndarray:
    """``values.isin(allowed)`` as a bool array.

    Examples
    --------
    >>> is_in(pd.Series(["a", "b", None], dtype="str"), pd.Series(["b"], dtype="str"))
    array([False,  True, False])
    """
    a, b = text_array(values), text_array(allowed)
    if a is not None and b is not None:
        return pc.is_in(a, value_set=b.combine_chunks()).to_numpy(
            zero_copy_only=False).astype(bool)
    return np.asarray(pd.Series(values).isin(allowed), dtype=bool)


def positions(values: Any, keys: Any) -> np.ndarray:
    """Position of each of ``values`` in ``keys`` (its first occurrence), -1 where absent.

    ``pd.Index(keys).get_indexer(values)`` for unique keys. A categorical ``values`` is
    looked up once per category.

    Examples
    --------
    >>> positions(pd.Series(["b", "z", "a"], dtype="str"), pd.Index(["a", "b"], dtype="str"))
    array([ 1, -1,  0])
    """
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        at = positions(pd.Series(values.cat.categories.astype("str")), keys)
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        missing = np.flatnonzero(pd.Index(keys).isna())  # where a missing value matches
        return np.append(at, missing[0] if len(missing) else -1)[codes]
    a, b = text_array(values), text_array(keys)
    if a is not None and b is None and pd.Index(keys).inferred_type in ("string", "empty"):
        b = text_array(pd.Index(keys).astype("str"))  # e.g. labels from pd.factorize
    if a is not None and b is not None:
        return pc.index_in(a, value_set=b.combine_chunks()).fill_null(-1).to_numpy(
            zero_copy_only=False).astype(np.int64)
    index = pd.Index(keys)
    if index.is_unique:
        return np.asarray(index.get_indexer(values), dtype=np.int64)
    first = np.flatnonzero(~index.duplicated())
    at = index[first].get_indexer(values)
    return np.where(at >= 0, first[at], -1).astype(np.int64)
