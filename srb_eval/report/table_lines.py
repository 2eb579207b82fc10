"""The lines of a two-way table of counts, and the ONS rule of thumb along them.

A table of counts with a total row and/or a total column is a set of *lines*: each row
and each column, with its margin (the total), which readers know is the sum of its cells
(an assumed margin is one readers can add up although the table does not show it). This
module holds what :func:`srb_eval.report.suppression.count_text` does along those lines
before the integer-programming audit
(:func:`srb_eval.report.cube_protection.audit_table`):

- :func:`table_lines`: the lines of a table, as positions in its flattened cells;
- :func:`small_group_cells`: the cells that are parts of a group too small for a share
  (:func:`srb_eval.report.cube_protection.small_group_parts` on those lines);
- :func:`secondary_cells`: secondary (complementary) suppression by the rule of thumb: a
  line with exactly one hidden member hides its smallest non-zero shown cell, until no
  line changes.

References
----------
.. [1] Office for National Statistics / Government Statistical Service (2014).
   *Disclosure control guidance for tables produced from administrative sources*.
   Primary suppression of small cells; secondary suppression so that suppressed cells
   cannot be derived from totals by differencing.
"""

from __future__ import annotations

import numpy as np

from .cube_protection import small_group_parts
from .disclosure import Thresholds

__all__ = ["secondary_cells", "small_group_cells", "table_lines"]


def _one_pass(values: np.ndarray, hidden: np.ndarray, margin: int | None) -> bool:
    """One pass of secondary suppression along axis 1 (each row is a line).

    A line is its cells plus its margin (column ``margin``; ``None`` when the margin is
    not in the table but assumed known to readers). Where exactly one member of a line is
    hidden, hide the smallest non-zero shown cell of the line, or, if there is none, the
    margin. ``hidden`` is changed in place (it may be a transposed view). Returns whether
    anything changed.
    """
    n_rows, n_cols = values.shape
    cells = np.ones(n_cols, dtype=bool)
    if margin is not None:
        cells[margin] = False
    cell_index = np.flatnonzero(cells)
    if n_rows == 0 or cell_index.size == 0:
        return False
    v = values[:, cell_index]
    h = hidden[:, cell_index]
    n_hidden = h.sum(axis=1) + (hidden[:, margin] if margin is not None else 0)
    needs = n_hidden == 1
    if not needs.any():
        return False
    with np.errstate(invalid="ignore"):
        candidates = np.where(~h & (v > 0), v, np.inf)
    best = candidates.argmin(axis=1)
    has = np.isfinite(candidates.min(axis=1))
    rows = np.flatnonzero(needs & has)
    hidden[rows, cell_index[best[rows]]] = True
    changed = rows.size > 0
    if margin is not None:
        rows_m = np.flatnonzero(needs & ~has & ~hidden[:, margin])
        hidden[rows_m, margin] = True
        changed = changed or rows_m.size > 0
    return changed


def table_lines(shape: tuple[int, int], *, margin_col: int | None, margin_row: int | None,
                assume_margins: bool) -> tuple[list[np.ndarray], int]:
    """The lines of a table as :func:`srb_eval.report.suppression.suppress_counts` reads
    them.

    Each line is ``[margin, cell, cell, ...]`` as positions in the table's flattened
    cells (row by row). ``margin_col`` and ``margin_row`` are the positions of the total
    column and row (``None``: not in the table). A row (column) is a line when the table
    has its margin, or when ``assume_margins`` (readers can add it up): such a margin gets
    an extra position after the cells. Returns ``(lines, number of extra positions)``.

    Examples
    --------
    >>> lines, extra = table_lines((2, 3), margin_col=2, margin_row=None,
    ...                            assume_margins=False)
    >>> [ln.tolist() for ln in lines], extra
    ([[2, 0, 1], [5, 3, 4]], 0)
    """
    n_rows, n_cols = shape
    cells = np.arange(n_rows * n_cols).reshape(shape)
    lines: list[np.ndarray] = []
    extra = 0
    for members, margin, checked in (
            *((cells[r], margin_col, margin_col is not None or assume_margins)
              for r in range(n_rows)),
            *((cells[:, c], margin_row, margin_row is not None or assume_margins)
              for c in range(n_cols))):
        if not checked:
            continue
        if margin is None:
            lines.append(np.concatenate([[n_rows * n_cols + extra], members]))
            extra += 1
        else:
            lines.append(np.concatenate([[members[margin]], np.delete(members, margin)]))
    return lines, extra


def small_group_cells(values: np.ndarray, t: Thresholds, *, margin_col: int | None,
                      margin_row: int | None, assume_margins: bool,
                      hidden: np.ndarray, by_design: np.ndarray | None = None
                      ) -> np.ndarray:
    """The cells of a table that are parts of a group too small for a share.

    :func:`~srb_eval.report.cube_protection.small_group_parts` on the table's lines
    (:func:`table_lines`): an assumed margin is the sum of its line; a line with a missing
    count (NaN) is no line. ``hidden`` marks the cells hidden already; ``by_design``
    marks zeros that are no part of their lines (see
    :func:`srb_eval.report.suppression.count_text`). Returns a boolean array shaped like
    ``values``.

    Examples
    --------
    >>> small_group_cells(np.array([[3.0, 0.0, 3.0], [20.0, 10.0, 30.0]]), Thresholds(),
    ...                   margin_col=2, margin_row=None, assume_margins=False,
    ...                   hidden=np.zeros((2, 3), dtype=bool)).tolist()
    [[True, True, False], [False, False, False]]
    """
    lines, extra = table_lines(values.shape, margin_col=margin_col, margin_row=margin_row,
                               assume_margins=assume_margins)
    if by_design is not None and np.any(by_design):
        skip = np.flatnonzero(np.asarray(by_design, dtype=bool).ravel())
        lines = [np.concatenate([ln[:1], ln[1:][~np.isin(ln[1:], skip)]]) for ln in lines]
    flat = values.ravel()
    sums = np.full(extra, np.nan)
    for ln in lines:
        if ln[0] >= flat.size:
            sums[ln[0] - flat.size] = flat[ln[1:]].sum()  # NaN if a count is missing
    vals = np.concatenate([flat, sums])
    lines = [ln for ln in lines if not np.isnan(vals[ln]).any()]
    before = np.concatenate([hidden.ravel(), np.zeros(extra, dtype=bool)])
    return small_group_parts(vals, lines, t, hidden=before)[:flat.size].reshape(values.shape)


def secondary_cells(values: np.ndarray, primary: np.ndarray, *, margin_col: int | None,
                    margin_row: int | None, assume_margins: bool) -> np.ndarray:
    """Cells to hide (primary and secondary) so no hidden cell follows from a margin.

    The rule of thumb, along rows then columns until no line changes: a line (see
    :func:`table_lines`) with exactly one hidden member hides its smallest non-zero shown
    cell, or, if none, its margin. ``primary`` (shaped like ``values``) marks the cells
    hidden to start with; it is not changed. The integer-programming audit
    (:func:`srb_eval.report.cube_protection.audit_table`) then checks what this leaves.

    Examples
    --------
    >>> secondary_cells(np.array([[3.0, 20.0, 12.0, 35.0]]),
    ...                 np.array([[True, False, False, False]]), margin_col=3,
    ...                 margin_row=None, assume_margins=False).tolist()
    [[True, False, True, False]]
    """
    hidden = primary.copy()
    do_rows = margin_col is not None or assume_margins
    do_cols = margin_row is not None or assume_margins
    for _ in range(hidden.size + 1):
        changed = do_rows and _one_pass(values, hidden, margin_col)
        changed = (do_cols and _one_pass(values.T, hidden.T, margin_row)) or changed
        if not changed:
            break
    return hidden
