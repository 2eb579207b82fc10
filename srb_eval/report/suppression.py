"""Applying the disclosure policy to numbers and tables: what a report may show.

The policy (audiences, :class:`~srb_eval.report.disclosure.Thresholds`, the marker texts
``"<5"``, ``"[c]"`` and ``"no data"``) is :mod:`srb_eval.report.disclosure`. This module
applies it:

- :func:`suppress_counts` (and :func:`count_text` on checked arrays): primary
  suppression of small counts and secondary (complementary) suppression, so that a
  hidden cell cannot be recovered from a total by subtraction, then rounding;
- :func:`suppress_percentages`: percentages as text, hidden where they would reveal a
  small number;
- :func:`count_with_share`: the "27 of 29 (93%)" phrase of a finding;
- :func:`safe_table`: the one call a notebook makes before showing a group table;
- :func:`as_counts`, :func:`plain_counts`, :func:`whole_text`: the checks and text of
  counts they share.

:func:`suppress_counts`, :func:`suppress_percentages`, :func:`count_with_share` and
:func:`safe_table` take the audience and the thresholds: internal reports show numbers as
they are; no output contains NaN.

References
----------
.. [1] srb-eval ``docs/assumptions_caveats.md``, A5 "Disclosure thresholds".
.. [2] Office for National Statistics / Government Statistical Service (2014).
   *Disclosure control guidance for tables produced from administrative sources*.
   Primary suppression of small cells; secondary suppression so that suppressed cells
   cannot be derived from totals by differencing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AudienceError, check_argument
from .cube_protection import MAX_AUDITED_HIDDEN, audit_table
from .disclosure import (
    DEFAULT_THRESHOLDS,
    NO_DATA_TEXT,
    SUPPRESSED_TEXT,
    Thresholds,
    check_audience,
    check_thresholds,
)
from .table_lines import secondary_cells, small_group_cells

__all__ = [
    "as_counts",
    "count_text",
    "count_with_share",
    "plain_counts",
    "safe_table",
    "suppress_counts",
    "suppress_percentages",
    "whole_text",
]


def _check(ok: bool, name: str, allowed: str, got: object, *,
           error: type[Exception] = ValueError) -> None:
    """Raise ``error`` naming the parameter ``name`` and what it allows unless ``ok``."""
    check_argument(ok, name, allowed, got, error=error)


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


# --- vectorised building blocks ---------------------------------------------------------

def plain_counts(values: Any) -> np.ndarray | None:
    """``values`` as floats when it is already a NumPy array of whole numbers of 0 or more
    (NaN allowed), else None: the fast path of every count check (no pandas round trip,
    the same floats)."""
    if isinstance(values, np.ndarray) and values.ndim <= 1 and values.dtype.kind in "fiu":
        num = np.atleast_1d(values).astype(float)
        with np.errstate(invalid="ignore"):
            bad = (num < 0) | np.isinf(num) | (np.isfinite(num) & (num != np.floor(num)))
        if not bad.any():
            return num
    return None


def as_counts(values: Any, name: str) -> np.ndarray:
    """Counts as a float array (NaN where missing); ValueError for anything not a count."""
    num = plain_counts(values)
    return num if num is not None else _as_counts_checked(values, name)


def _as_counts_checked(values: Any, name: str) -> np.ndarray:
    s = values if isinstance(values, pd.Series) else pd.Series(np.atleast_1d(
        np.asarray(values, dtype=object)))
    missing = s.isna().to_numpy()
    num = pd.to_numeric(s, errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = (np.isnan(num) & ~missing) | (num < 0) | ~(np.isfinite(num) | np.isnan(num))
        bad |= np.isfinite(num) & (num != np.floor(num))
    if bad.any():
        _check(False, name, "whole numbers of 0 or more (or missing)", s[bad].iloc[0])
    return num


def _small(values: np.ndarray, t: Thresholds) -> np.ndarray:
    """Counts from 1 to ``min_count - 1`` (NaN is not small)."""
    with np.errstate(invalid="ignore"):
        return (values >= 1) & (values < t.min_count)


def _rounded(values: np.ndarray, t: Thresholds) -> np.ndarray:
    """Round to ``round_to`` (half up) for display; a non-zero count never becomes 0."""
    if t.round_to is None:
        return values
    base = t.round_to
    with np.errstate(invalid="ignore"):
        r = np.floor(values / base + 0.5) * base
        return np.where(values > 0, np.maximum(r, base), values)


def whole_text(values: np.ndarray) -> np.ndarray:
    """Whole numbers as text with thousands separators; NaN as NO_DATA_TEXT.

    Examples
    --------
    >>> whole_text(np.array([1234.0, np.nan])).tolist()
    ['1,234', 'no data']
    """
    flat = np.asarray(values, dtype=float).ravel()
    out = np.full(flat.shape, NO_DATA_TEXT, dtype=object)
    ok = ~np.isnan(flat)
    if ok.any():
        text = np.empty(int(ok.sum()), dtype=object)
        text[:] = [f"{v:,}" for v in flat[ok].astype(np.int64).tolist()]
        out[ok] = text
    return out.reshape(np.shape(values))


def _percent_text(num: np.ndarray, den: np.ndarray, *, published: bool, t: Thresholds,
                  decimals: int) -> np.ndarray:
    """Percentages as text, suppressed for a published audience (see suppress_percentages)."""
    out = np.full(num.shape, NO_DATA_TEXT, dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
        scale = 10.0 ** decimals
        # 100 * num first so that exact halves (1 of 8 = 12.5%) stay exact, then half up.
        pct = np.floor(100.0 * scale * num / den + 0.5) / scale
    if ok.any():
        out[ok] = np.char.mod(f"%.{decimals}f%%", pct[ok]).astype(object)
    if published:
        hide = ok & ((den < t.min_denominator) | _small(num, t))
        if t.protect_complement:
            hide |= ok & _small(den - num, t)
        out[hide] = SUPPRESSED_TEXT
    return out


def _column_list(table: pd.DataFrame, columns: object, name: str) -> list:
    cols = [columns] if isinstance(columns, str) else list(columns or [])  # type: ignore[call-overload]
    missing = [c for c in cols if c not in table.columns]
    _check(not missing, name, "columns of the table " + repr(list(table.columns)), missing)
    _check(len(set(cols)) == len(cols), name, "a list without repeats", cols)
    return cols


def _total_row_position(table: pd.DataFrame, total_row: object, counts: list) -> int:
    """Position of the total row: by index label, else by a label in a non-count column."""
    hits = np.flatnonzero(table.index == total_row) if total_row in table.index else []
    if len(hits) == 0:
        labels = table.drop(columns=counts).astype(object)
        hits = np.flatnonzero((labels == total_row).any(axis=1).to_numpy())
    _check(len(hits) == 1, "total_row",
           "the label of exactly one row (in the index or in a non-count column)", total_row)
    return int(hits[0])


# --- public functions -------------------------------------------------------------------

def suppress_counts(table: pd.DataFrame, count_columns: Sequence[str], *, audience: str,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS,
                    total_row: str | None = None, total_column: str | None = None,
                    assume_margins: bool = False,
                    hide: Mapping[str, Any] | None = None,
                    zero_by_design: Mapping[str, Any] | None = None,
                    strict: bool = False) -> pd.DataFrame:
    """A display copy of a table of counts, with small numbers suppressed if published.

    Parameters
    ----------
    table : pandas.DataFrame
        A group table, e.g. one row per need and one count column per destination. Other
        columns (labels) are copied unchanged.
    count_columns : list of str
        The columns holding counts (whole numbers of 0 or more; missing allowed).
    audience : {"internal", "published"}
        See :func:`check_audience`.
    thresholds : Thresholds, default Thresholds()
        ``min_count`` and ``round_to`` are used here.
    total_row : str, optional
        The row holding column totals: its index label, or else a label held in one of the
        non-count columns (e.g. ``"All learners"`` in the ``need`` column).
    total_column : str, optional
        The column holding row totals (listed in ``count_columns`` or not).
    assume_margins : bool, default False
        Protect rows and columns as though their totals were known to readers even when
        the table does not show them (set this when the totals appear elsewhere in the
        report, e.g. the number of learners per SRB).
    hide : dict of str to array of bool, optional
        ``{count column: rows}``: published cells that must not be shown whatever their
        size, zeros included (e.g. the numerator of a percentage hidden because its group
        is too small: with its denominator it states the percentage, and ``"0 leavers"``
        of a phase of about 5 learners states the hidden rate of 0%). They are hidden as
        ``"[c]"`` on top of the protection of the small counts, so the margins protect
        them as they protect small counts.

    zero_by_design : dict of str to array of bool, optional
        ``{count column: rows}``: cells that are 0 whatever the data, and readers know it
        (an SRB's count in the column of a phase it does not teach). They show ``"0"`` and
        are no part of a group too small for a share (below).
    strict : bool, default False
        Every hidden cell must pass the render's audit rule (a ``"[c]"`` range holds all
        of 1 to ``min_count - 1`` or none of it), as
        :func:`~srb_eval.report.cube_protection.protect_lines` reads ``strict``; by
        default only the small counts are kept wide.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` in which every count column (and ``total_column``) holds text:
        ``"internal"``: every count as a whole number (``"1,234"``); ``"published"``:
        ``"0"`` for zero, ``thresholds.small_count_text`` (``"<5"``) for 1 to
        ``min_count - 1``, :data:`SUPPRESSED_TEXT` (``"[c]"``) for a cell hidden by
        secondary suppression or as a part of a small group (below), zeros included,
        otherwise the count (rounded to ``round_to`` if set).
        Missing counts are :data:`NO_DATA_TEXT` for both audiences.

    Raises
    ------
    srb_eval.errors.ParameterError
        For an unknown ``audience``.
    ValueError
        For unknown columns, values that are not counts, or a ``total_row`` that does not
        name exactly one row.

    Notes
    -----
    Primary suppression [2]_: a published count :math:`x` with
    :math:`1 \\le x < \\text{min\\_count}` is shown as ``"<5"``.

    Small groups: in a checked line (below) whose total is from 1 to
    ``max(min_denominator, min_count) - 1``, every cell is hidden, zeros included
    (:func:`~srb_eval.report.cube_protection.small_group_parts`): a cell shown beside
    such a total states a share of a group too small for one (``"0"`` beside ``"<5"``:
    the whole group is in the hidden column). An assumed margin is the sum of its line.

    Secondary (complementary) suppression [2]_: a *line* is a row of the count cells with
    its row total, or a column with its column total; the total row and the total column
    are lines too (their margin is the grand total). A line is checked only when its
    total is known to readers: rows when ``total_column`` is given, columns when
    ``total_row`` is given, both when ``assume_margins``. If exactly one member of a
    checked line (cell or shown total) is hidden, it could be recovered by subtraction,
    so the smallest non-zero shown cell of the line is hidden too (first one on ties); if
    the line has no such cell, its total is hidden instead. Row and column passes repeat
    until no line has exactly one hidden member. Cells hidden this way show ``"[c]"``, not
    ``"<5"``, because they need not be small. That rule of thumb misses small counts that
    narrow each other (three hidden cells of a column whose sum is 4: each is 1 or 2), so
    the table is then audited as a whole by integer programming
    (:func:`srb_eval.report.cube_protection.protect_lines`: every line an equation, or,
    where a total counts more than its parts, an inequality) and further cells are hidden
    until every small count can again be any of 1 to ``min_count - 1`` (a hidden count of
    ``min_count`` or more may be narrowed: it could have been shown); small counts that
    still narrow each other are shown as ``"[c]"``. Tables where the rule of thumb hides
    more than :data:`~srb_eval.report.cube_protection.MAX_AUDITED_HIDDEN` cells (5,000:
    beyond the all-Wales data) keep the rule of thumb only. Protection holds within the table; it cannot protect against totals published
    in a different form elsewhere unless ``assume_margins`` is set. Missing counts are treated as known to readers and are
    never chosen. Rounding (``round_to``) is applied on top and does not reduce the
    suppression.

    Internal reports show every count unchanged [1]_.

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5.
    .. [2] ONS/GSS (2014). *Disclosure control guidance for tables produced from
       administrative sources*: primary and secondary suppression.
    .. [3] Welsh Government / StatsWales practice: counts under 5 starred; census counts
       rounded to the nearest 5 (``Thresholds.statswales()``).

    Examples
    --------
    >>> t = pd.DataFrame({"need": ["ASD", "SLCN", "Total"], "mainstream": [12, 10, 22],
    ...                   "special": [3, 6, 9], "other": [8, 9, 17], "total": [23, 25, 48]})
    >>> out = suppress_counts(t, ["mainstream", "special", "other"], audience="published",
    ...                       total_row="Total", total_column="total")
    >>> out.to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'need': ['ASD', 'SLCN', 'Total'], 'mainstream': ['12', '10', '22'],
     'special': ['<5', '[c]', '9'], 'other': ['[c]', '[c]', '17'],
     'total': ['23', '25', '48']}
    """
    published = check_audience(audience) == "published"
    t = check_thresholds(thresholds)
    _check(isinstance(table, pd.DataFrame), "table", "a pandas DataFrame", type(table).__name__)
    counts = _column_list(table, count_columns, "count_columns")
    if total_column is not None:
        _column_list(table, [total_column], "total_column")
        counts = [c for c in counts if c != total_column] + [total_column]
    _check(isinstance(assume_margins, (bool, np.bool_)), "assume_margins", "True or False",
           assume_margins)
    out = table.copy()
    if not counts:
        return out
    values = np.column_stack([as_counts(table[c], f"count_columns ({c!r})") for c in counts])
    if not published:
        text = whole_text(values)
    else:
        margin_row = None if total_row is None else _total_row_position(table, total_row,
                                                                          counts)
        margin_col = None if total_column is None else len(counts) - 1
        margins = {"margin_row": margin_row, "margin_col": margin_col,
                   "assume_margins": bool(assume_margins), "strict": bool(strict)}
        if zero_by_design:
            _column_list(table, list(zero_by_design), "zero_by_design")
            margins["zero_by_design"] = np.column_stack([
                np.zeros(len(table), dtype=bool) if c not in zero_by_design
                else np.asarray(zero_by_design[c], dtype=bool) for c in counts])
        text = count_text(values, t, **margins)
        if hide:
            _column_list(table, list(hide), "hide")
            with np.errstate(invalid="ignore"):
                forced = np.column_stack([
                    np.zeros(len(table), dtype=bool) if c not in hide
                    else np.asarray(hide[c], dtype=bool) for c in counts])
            if forced.any():
                # on top of the protection of the small counts, never instead of it:
                # every cell hidden without ``hide`` stays hidden
                before = np.isin(text, [t.small_count_text, SUPPRESSED_TEXT])
                was_c = text == SUPPRESSED_TEXT
                text = count_text(values, t, hide=before | forced, **margins)
                text[was_c] = SUPPRESSED_TEXT
    for j, c in enumerate(counts):
        out[c] = text[:, j]
    return out


def count_text(values: np.ndarray, t: Thresholds, *, margin_row: int | None,
                margin_col: int | None, assume_margins: bool = False,
                hide: np.ndarray | None = None,
                zero_by_design: np.ndarray | None = None,
                strict: bool = False) -> np.ndarray:
    """The published text of a 2-D array of counts: :func:`suppress_counts` on numbers
    already checked (:func:`as_counts`): primary and secondary suppression, then rounding.

    ``margin_row`` and ``margin_col`` are the positions of the total row and column
    (None: not in the table). The parts of a line whose total is a group too small for
    a share are hidden, zeros included (see :func:`suppress_counts`). ``hide`` (a
    boolean array shaped like ``values``) marks further cells that must not be shown
    whatever their size, zeros included, e.g. the counts of a group too small for a
    share whose total is not in the table: they are hidden as ``"[c]"``, on top of the
    protection of the small counts, and the margins protect them as they protect small
    counts. ``zero_by_design`` (shaped like ``values``) marks cells that are 0 whatever the
    data, which readers know (an SRB's count in the column of a phase it does not teach):
    they are shown as ``"0"`` and are no part of a small group (a group with one part
    that can hold anything states no share). ``strict``: as for
    :func:`~srb_eval.report.cube_protection.audit_table`.

    Examples
    --------
    >>> count_text(np.array([[3.0], [20.0], [23.0]]), Thresholds(), margin_row=2,
    ...            margin_col=None)[:, 0].tolist()
    ['<5', '[c]', '23']
    >>> count_text(np.array([[6.0, 0.0, 6.0], [0.0, 30.0, 30.0], [6.0, 30.0, 36.0]]),
    ...            Thresholds(), margin_row=2, margin_col=2,
    ...            zero_by_design=np.array([[False, True, False], [True, False, False],
    ...                                     [False] * 3]))[0].tolist()
    ['6', '0', '6']
    """
    if zero_by_design is not None:
        by_design = np.asarray(zero_by_design, dtype=bool)
        check_argument(by_design.shape == values.shape and not np.any(values[by_design]),
                       "zero_by_design", "an array shaped like values, True only at zeros",
                       by_design.shape)
    else:
        by_design = None
    primary = _small(values, t)
    forced = np.zeros_like(primary) if hide is None else np.asarray(hide, dtype=bool)
    forced = forced | small_group_cells(values, t, margin_col=margin_col,
                                        margin_row=margin_row,
                                        assume_margins=assume_margins,
                                        hidden=primary | forced, by_design=by_design)
    forced &= ~primary & ~np.isnan(values)
    hidden = secondary_cells(values, primary | forced, margin_col=margin_col,
                             margin_row=margin_row, assume_margins=assume_margins)
    as_c = np.zeros_like(hidden)
    if hidden.sum() <= MAX_AUDITED_HIDDEN:
        hidden, as_c = audit_table(values, hidden, t, margin_row=margin_row,
                                margin_col=margin_col, assume_margins=assume_margins,
                                known=by_design, strict=strict)
    text = whole_text(_rounded(values, t))
    text[primary & ~as_c] = t.small_count_text
    text[hidden & ~(primary & ~as_c)] = SUPPRESSED_TEXT
    return text


def suppress_percentages(numerators: Any, denominators: Any, *, audience: str,
                         thresholds: Thresholds = DEFAULT_THRESHOLDS,
                         decimals: int = 0) -> pd.Series:
    """Percentages as display text, suppressed where they would reveal a small number.

    Parameters
    ----------
    numerators, denominators : array-like of counts
        Same length; whole numbers of 0 or more, numerator at most the denominator;
        missing allowed. Scalars are accepted.
    audience : {"internal", "published"}
        See :func:`check_audience`.
    thresholds : Thresholds, default Thresholds()
        ``min_count``, ``min_denominator`` and ``protect_complement`` are used.
    decimals : int, default 0
        Decimal places shown (rounded half up, from the unrounded counts).

    Returns
    -------
    pandas.Series of str
        ``"93%"`` style text, indexed like ``numerators`` if it is a Series. For a published
        audience :data:`SUPPRESSED_TEXT` (``"[c]"``) where the denominator is below
        ``min_denominator``, or the numerator is from 1 to ``min_count - 1``, or (with
        ``protect_complement``) so is ``denominator - numerator``. :data:`NO_DATA_TEXT`
        where either number is missing or the denominator is 0 (never NaN).

    Notes
    -----
    .. math:: p = 100 \\, \\frac{\\text{numerator}}{\\text{denominator}}

    By default [1]_ percentages with a denominator under 10 are suppressed. A
    percentage of a small numerator is suppressed too, because together with its
    denominator it gives the count back (ONS/GSS [2]_). StatsWales stars percentages of
    fewer than 50 pupils [3]_ (``Thresholds.statswales()``). 0% and 100% are shown (a
    zero count is not suppressed).

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5.
    .. [2] ONS/GSS (2014). *Disclosure control guidance for tables produced from
       administrative sources*.
    .. [3] Welsh Government / StatsWales statistical disclosure practice.

    Examples
    --------
    >>> suppress_percentages([27, 3, 5, 0], [29, 20, 9, 0], audience="internal").tolist()
    ['93%', '15%', '56%', 'no data']
    >>> suppress_percentages([27, 3, 5, 0], [29, 20, 9, 0], audience="published").tolist()
    ['[c]', '[c]', '[c]', 'no data']
    >>> suppress_percentages([20], [29], audience="published").tolist()
    ['69%']
    """
    published = check_audience(audience) == "published"
    t = check_thresholds(thresholds)
    _check(_is_int(decimals) and 0 <= decimals <= 6, "decimals", "a whole number from 0 to 6",
           decimals)
    num = as_counts(numerators, "numerators")
    den = as_counts(denominators, "denominators")
    _check(num.shape == den.shape, "denominators", f"the same length as numerators "
           f"({num.size})", f"length {den.size}")
    with np.errstate(invalid="ignore"):
        over = num > den
    if over.any():
        i = int(np.flatnonzero(over)[0])
        _check(False, "numerators", "at most the denominators",
               f"{num[i]:g} of {den[i]:g} at position {i}")
    index = numerators.index if isinstance(numerators, pd.Series) else None
    return pd.Series(_percent_text(num, den, published=published, t=t, decimals=decimals),
                     index=index, dtype=object)


def count_with_share(count: Any, n: Any, *, audience: str,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS, decimals: int = 0,
                     noun: str = "learners") -> str | pd.Series:
    """The phrase a finding uses for "how many of how many": ``"27 of 29 (93%)"``.

    Parameters
    ----------
    count, n : int or array-like of int
        The number of learners with the finding and the number it is out of. Scalars give
        a str; array-likes give a Series (indexed like ``count`` if it is a Series).
    audience : {"internal", "published"}
        See :func:`check_audience`.
    thresholds : Thresholds, default Thresholds()
    decimals : int, default 0
        Decimal places of the percentage.
    noun : str, default "learners"
        Used in ``"fewer than 10 learners"``.

    Returns
    -------
    str or pandas.Series of str
        Internal: ``"27 of 29 (93%)"``. Published, in this order of precedence:

        - ``"no data"`` if either number is missing or ``n`` is 0;
        - ``"fewer than 10 learners"`` if ``n < min_denominator`` (``n`` is hidden too);
        - ``"[c] of 29"`` if both ``count`` and ``n - count`` are small (only possible
          when ``min_denominator < 2 * min_count - 1``);
        - ``"<5 of 29"`` if ``count`` is from 1 to ``min_count - 1``;
        - ``"more than 24 of 29"`` if ``n - count`` is (with ``protect_complement``), or,
          with ``round_to``, the rounded ``"25 of 30"`` without a percentage;
        - otherwise ``"27 of 29 (93%)"``, counts rounded to ``round_to`` if set (the
          percentage is from the unrounded counts). ``"0 of 29 (0%)"`` is shown.

    Notes
    -----
    Internal reports print the count beside the Estyn quantifier, "most learners (27 of
    29, 93%)"; the published wording follows the rules of
    :func:`suppress_counts` and :func:`suppress_percentages` ([1]_,
    ONS/GSS [2]_): "more than 24 of 29" says no more than ``"<5"`` would about the
    learners without the finding.

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5.
    .. [2] ONS/GSS (2014). *Disclosure control guidance for tables produced from
       administrative sources*.

    Examples
    --------
    >>> count_with_share(27, 29, audience="internal")
    '27 of 29 (93%)'
    >>> count_with_share(3, 29, audience="published")
    '<5 of 29'
    >>> count_with_share(27, 29, audience="published")
    'more than 24 of 29'
    >>> count_with_share(20, 29, audience="published")
    '20 of 29 (69%)'
    >>> count_with_share(6, 8, audience="published")
    'fewer than 10 learners'
    """
    published = check_audience(audience) == "published"
    t = check_thresholds(thresholds)
    _check(_is_int(decimals) and 0 <= decimals <= 6, "decimals", "a whole number from 0 to 6",
           decimals)
    _check(isinstance(noun, str) and noun.strip() != "", "noun", "a non-empty word", noun)
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    c = as_counts(count, "count")
    m = as_counts(n, "n")
    _check(c.shape == m.shape, "n", f"the same length as count ({c.size})", f"length {m.size}")
    with np.errstate(invalid="ignore"):
        over = c > m
    if over.any():
        i = int(np.flatnonzero(over)[0])
        _check(False, "count", "at most n", f"{c[i]:g} of {m[i]:g} at position {i}")

    pct = _percent_text(c, m, published=False, t=t, decimals=decimals)
    if not published:
        text = whole_text(c) + " of " + whole_text(m) + " (" + pct + ")"
    else:
        shown_c, shown_n = whole_text(_rounded(c, t)), whole_text(_rounded(m, t))
        text = shown_c + " of " + shown_n + " (" + pct + ")"
        small_c, small_rest = _small(c, t), t.protect_complement & _small(m - c, t)
        if t.round_to is None:
            more = "more than " + whole_text(m - t.min_count) + " of " + shown_n
        else:
            more = shown_c + " of " + shown_n
        text = np.where(small_rest, more, text)
        text = np.where(small_c, t.small_count_text + " of " + shown_n, text)
        text = np.where(small_c & small_rest, SUPPRESSED_TEXT + " of " + shown_n, text)
        with np.errstate(invalid="ignore"):
            few = m < t.min_denominator
        text = np.where(few, f"fewer than {t.min_denominator} {noun}", text)
    with np.errstate(invalid="ignore"):
        text = np.where(np.isnan(c) | np.isnan(m) | (m == 0), NO_DATA_TEXT, text)
    if scalar:
        return str(text[0])
    index = count.index if isinstance(count, pd.Series) else None
    return pd.Series(text, index=index, dtype=object)


def _refuse_identifiers(df: pd.DataFrame, ids: Sequence[str]) -> None:
    """Refuse a published table that holds an identifier column (``learner_id`` always;
    names compared case-insensitively)."""
    refused = {str(c).lower() for c in ids} | {"learner_id"}
    present = [c for c in df.columns if str(c).lower() in refused]
    if present:
        raise AudienceError(
            f"df: a published table must not contain learner identifiers; column(s) "
            f"{present} are present. Aggregate to groups and drop them, or render with "
            f"audience='internal'.")


def _published_counts(out: pd.DataFrame, df: pd.DataFrame, counts: list[str],
                      percents: Mapping[str, tuple[str, str]], t: Thresholds, *,
                      total_row: str | None, total_column: str | None,
                      assume_margins: bool, n_column: str | None,
                      strict: bool = False) -> pd.DataFrame:
    """The count columns of :func:`safe_table` suppressed for a published table (with
    their totals), and primary suppression of the other numerators, denominators and
    ``n_column``."""
    hide = None
    if n_column is not None and percents:
        # a percentage is hidden if and only if its numerator is: a share of a group
        # too small for one is not shown as its numerator and denominator either
        with np.errstate(invalid="ignore"):
            few = as_counts(df[n_column], f"n_column ({n_column!r})") < t.min_denominator
        hide = {num: few for num, _ in percents.values() if num in counts}
    if counts or total_column is not None:
        out = suppress_counts(out, counts, audience="published", thresholds=t,
                              total_row=total_row, total_column=total_column,
                              assume_margins=assume_margins, hide=hide, strict=strict)
    structured = set(counts) | ({total_column} if total_column is not None else set())
    extra = list(dict.fromkeys(
        [c for pair in percents.values() for c in pair]
        + ([n_column] if n_column is not None else [])))
    extra = [c for c in extra if c not in structured and c not in percents]
    if extra:
        shown = suppress_counts(df[extra], extra, audience="published", thresholds=t)
        for c in extra:
            out[c] = shown[c]
    return out


def _hide_small_complements(out: pd.DataFrame, df: pd.DataFrame, counts: list[str],
                            n: np.ndarray, n_column: str, t: Thresholds) -> None:
    """Hide (in ``out``) each count whose complement within its group is small: "5 of
    n = 9 did" tells a reader that 4 did not."""
    markers = [t.small_count_text, SUPPRESSED_TEXT]
    for c in counts:
        if c == n_column:
            continue
        with np.errstate(invalid="ignore"):
            rest = n - as_counts(df[c], f"count_columns ({c!r})")
            leaks = (rest >= 1) & (rest < t.min_count)
        leaks &= ~out[c].isin(markers).to_numpy()
        if leaks.any():
            col = out[c].astype(object)
            col[leaks] = SUPPRESSED_TEXT
            out[c] = col


def _hide_small_group_statistics(out: pd.DataFrame, df: pd.DataFrame, n: np.ndarray,
                                 skip: set, t: Thresholds) -> None:
    """Hide (in ``out``) every other numeric column (a median, a mean gain...) in the rows
    of groups smaller than ``min_denominator``."""
    with np.errstate(invalid="ignore"):
        small_group = n < t.min_denominator
    for c in df.columns:
        if c in skip or not pd.api.types.is_numeric_dtype(df[c]) or not small_group.any():
            continue
        col = out[c].astype(object)
        col[small_group] = SUPPRESSED_TEXT
        out[c] = col


def safe_table(df: pd.DataFrame, *, audience: str, count_columns: Sequence[str] = (),
               percent_columns: Mapping[str, tuple[str, str]] | None = None,
               id_columns: Sequence[str] = ("learner_id",),
               thresholds: Thresholds = DEFAULT_THRESHOLDS,
               total_row: str | None = None, total_column: str | None = None,
               assume_margins: bool = False, n_column: str | None = None,
               decimals: int = 0, strict: bool = False) -> pd.DataFrame:
    """The one call a notebook makes before showing a group table to its audience.

    Parameters
    ----------
    df : pandas.DataFrame
        The table to show.
    audience : {"internal", "published"}
        See :func:`check_audience`.
    count_columns : sequence of str, default ()
        Count columns, suppressed with :func:`suppress_counts` (with ``total_row``,
        ``total_column`` and ``assume_margins``).
    percent_columns : dict of str to (str, str), optional
        ``{"pct_achieved": ("achieved", "n")}``: each percentage column (added if absent,
        replaced if present) is computed from its numerator and denominator columns with
        :func:`suppress_percentages`. For a published audience it is also suppressed where
        its numerator or denominator cell is suppressed, and numerator and denominator
        columns not in ``count_columns`` get primary suppression.
    id_columns : sequence of str, default ("learner_id",)
        Identifier columns a published table must not contain; ``learner_id`` is always
        refused whatever is listed (compared case-insensitively).
    thresholds : Thresholds, default Thresholds()
    total_row, total_column, assume_margins
        As in :func:`suppress_counts`.
    n_column : str, optional
        The group size column. For a published audience it gets primary suppression, and
        every other numeric column (a median, a mean gain...) that is not a count or a
        percentage shows :data:`SUPPRESSED_TEXT` in rows where ``n < min_denominator``.
    decimals : int, default 0
        Decimal places of the percentages.
    strict : bool, default False
        As in :func:`suppress_counts`.

    Returns
    -------
    pandas.DataFrame
        A display copy. ``"internal"``: ``df`` unchanged except count columns as whole
        numbers (``"12"``, not ``"12.0"``), percentage columns as text and every missing
        value as :data:`NO_DATA_TEXT`. ``"published"``: the same with the suppression
        above. Never contains NaN.

    Raises
    ------
    srb_eval.errors.AudienceError
        (a :class:`~srb_eval.errors.ParameterError`) for a published table holding an
        identifier column: learner-level rows must not be published.
    srb_eval.errors.ParameterError
        For an unknown ``audience``.
    ValueError
        For unknown columns or values that are not counts.

    Notes
    -----
    Implements the disclosure rules [1]_ for tables: no learner identifiers in published
    output; primary and secondary suppression of counts and suppression of percentages
    as ONS/GSS guidance describes [2]_; thresholds as parameters, StatsWales practice via
    ``Thresholds.statswales()`` [3]_. Statistics of small groups follow the percentage
    rule (fewer than ``min_denominator`` learners), since a mean of two learners is
    nearly as revealing as their scores.

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5.
    .. [2] ONS/GSS (2014). *Disclosure control guidance for tables produced from
       administrative sources*.
    .. [3] Welsh Government / StatsWales statistical disclosure practice.

    Examples
    --------
    >>> t = pd.DataFrame({"need": ["ASD", "SLCN"], "achieved": [3, 14], "n": [12, 20],
    ...                   "median_gain": [1.5, None]})
    >>> out = safe_table(t, audience="published", count_columns=["achieved", "n"],
    ...                  percent_columns={"pct": ("achieved", "n")})
    >>> out.to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'need': ['ASD', 'SLCN'], 'achieved': ['<5', '14'], 'n': ['12', '20'],
     'median_gain': [1.5, 'no data'], 'pct': ['[c]', '70%']}
    """
    published = check_audience(audience) == "published"
    t = check_thresholds(thresholds)
    _check(isinstance(df, pd.DataFrame), "df", "a pandas DataFrame", type(df).__name__)
    _check(_is_int(decimals) and 0 <= decimals <= 6, "decimals", "a whole number from 0 to 6",
           decimals)
    counts = _column_list(df, count_columns, "count_columns")
    percents = dict(percent_columns or {})
    for pct, pair in percents.items():
        _check(isinstance(pair, tuple) and len(pair) == 2, "percent_columns",
               "a dict of column name to (numerator column, denominator column)", {pct: pair})
        _column_list(df, list(pair), f"percent_columns ({pct!r})")
    ids = [id_columns] if isinstance(id_columns, str) else list(id_columns)
    if n_column is not None:
        _column_list(df, [n_column], "n_column")

    out = df.copy()
    if published:
        _refuse_identifiers(df, ids)
        out = _published_counts(out, df, counts, percents, t, total_row=total_row,
                                total_column=total_column, assume_margins=assume_margins,
                                n_column=n_column, strict=strict)
    elif counts or total_column is not None:
        out = suppress_counts(out, counts, audience="internal", total_column=total_column)
    markers = [t.small_count_text, SUPPRESSED_TEXT]
    for pct, (num, den) in percents.items():
        text = _percent_text(as_counts(df[num], f"percent_columns ({num!r})"),
                             as_counts(df[den], f"percent_columns ({den!r})"),
                             published=published, t=t, decimals=decimals)
        if published:
            hidden = (out[num].isin(markers) | out[den].isin(markers)).to_numpy()
            text[hidden & (text != NO_DATA_TEXT)] = SUPPRESSED_TEXT
        out[pct] = text
    if published and n_column is not None:
        n = as_counts(df[n_column], f"n_column ({n_column!r})")
        if t.protect_complement:
            _hide_small_complements(out, df, counts, n, n_column, t)
        skip = set(counts) | set(percents) | {n_column, total_column} | {
            c for pair in percents.values() for c in pair}
        _hide_small_group_statistics(out, df, n, skip, t)
    for c in out.columns:
        missing = out[c].isna()
        if missing.any():
            out[c] = out[c].astype(object).where(~missing, NO_DATA_TEXT)
    return out
