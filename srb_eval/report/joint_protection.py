"""Counts that several published outputs share, protected as one.

A reader does not stop at one table: they subtract across the tables, figures and
sentences of a report. Two rules close those routes:

- :func:`shown_counts`: a published figure or sentence is drawn or worded only from the
  counts the protected table beside it shows, never from the measure's counts;
- :func:`protect_together`: tables of one report that count the same learners (by SRB
  and by phase; length of stay and turnover; learners placed, leavers and those on roll)
  are protected together, through the lines that link them, by the integer-programming
  audit of :func:`srb_eval.report.cube_protection.protect_lines`.

Each table is first protected on its own (:mod:`srb_eval.report.suppression`); these
only ever hide more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import check_argument
from .cube_protection import MAX_AUDITED_HIDDEN, protect_lines
from .disclosure import (
    DEFAULT_THRESHOLDS,
    NO_DATA_TEXT,
    SUPPRESSED_TEXT,
    Thresholds,
    check_audience,
    check_thresholds,
)
from .suppression import as_counts

__all__ = ["protect_together", "shown_counts"]


def shown_counts(values: pd.DataFrame, shown: pd.DataFrame, columns: Mapping[str, str], *,
                 audience: str) -> pd.DataFrame:
    """The counts a protected table shows: what a figure or sentence beside it may use.

    A published figure or sentence that states a count (or a share, which with its group
    size is a count) the table beside it hides undoes that table's protection: a bar of
    18% of 67 results is 12 results, and with the column total a hidden ``"<5"`` follows
    by subtraction. Figures and sentences of a published report are therefore made from
    this table, not from the measure's counts.

    Parameters
    ----------
    values : pandas.DataFrame
        The measure's table the shown table was made from (same rows, same order).
    shown : pandas.DataFrame
        Its display copy (:func:`~srb_eval.report.suppression.safe_table`, :func:`~srb_eval.report.suppression.suppress_counts`...).
    columns : dict of str to str
        ``{column of values: column of shown}`` for each count to read back.
    audience : {"internal", "published"}
        Internal: ``values`` is returned unchanged (nothing is hidden).

    Returns
    -------
    pandas.DataFrame
        A copy of ``values`` in which each listed column holds the number its shown cell
        states (as float; a rounded count as rounded), NaN where the shown cell hides it
        (``"<5"``, ``"[c]"``, ``"no data"``).

    Examples
    --------
    >>> from srb_eval.report.suppression import suppress_counts
    >>> t = pd.DataFrame({"need": ["ASD", "SLD", "all"], "below": [30, 3, 33]})
    >>> shown = suppress_counts(t, ["below"], audience="published", total_row="all")
    >>> shown_counts(t, shown, {"below": "below"}, audience="published")["below"].tolist()
    [nan, nan, 33.0]
    """
    published = check_audience(audience) == "published"
    check_argument(isinstance(values, pd.DataFrame) and isinstance(shown, pd.DataFrame)
           and len(values) == len(shown), "shown", "a table with the rows of values",
           type(shown).__name__)
    for table, cols, name in ((values, list(columns), "columns"),
                              (shown, list(columns.values()), "columns (shown)")):
        missing = [c for c in cols if c not in table.columns]
        check_argument(not missing, name, "columns of the table " + repr(list(table.columns)),
                       missing)
    out = values.copy()
    if not published:
        return out
    for raw, col in columns.items():
        text = shown[col].astype("str").str.replace(",", "", regex=False)
        out[raw] = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
    return out


def protect_together(values: Sequence[pd.DataFrame], shown: Sequence[pd.DataFrame],
                     columns: Mapping[str, str], *, totals: Sequence[int | None],
                     links: Sequence[tuple[tuple[int, int], Sequence[tuple[int, int]]]] = (),
                     percents: Mapping[str, tuple[str, str]] | None = None,
                     fixed: Sequence[bool] | None = None,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS,
                     strict: bool = False,
                     within: Mapping[str, str] | None = None,
                     row_sums: Mapping[str, Sequence[str]] | None = None,
                     group: str | None = None) -> list[pd.DataFrame]:
    """Tables of one report that count the same learners, protected together.

    Each table is protected on its own first (:func:`~srb_eval.report.suppression.safe_table`,
    :func:`~srb_eval.report.suppression.suppress_counts`); but a reader subtracts across tables too: with primary
    learners all in SRB01 and secondary learners all in SRB02, the table by phase and the
    table by SRB give back each other's hidden cells. This hides further cells (never
    fewer) until no small count of any of the tables can be narrowed from all of them
    together (:func:`srb_eval.report.cube_protection.protect_lines`).

    Parameters
    ----------
    values : sequence of pandas.DataFrame
        The count tables (one row per group), as measured.
    shown : sequence of pandas.DataFrame
        Their published copies, same rows in the same order.
    columns : dict of str to str
        ``{count column of values: its column in shown}``, the same in every table.
    totals : sequence of int or None
        Position of each table's total row (the sum of its other rows; a total that
        counts more than its rows is an inequality), or None.
    links : sequence of ((table, row), [(table, row), ...])
        Further lines: each count of the first row is the sum of the counts of the
        listed rows (e.g. a phase is the sum of its SRBs), or, where it counts more, of
        those rows and an unseen remainder (a need's learners in all SRBs and those in
        one SRB); with ``within``, the remainder of a part column is at most the
        remainder of its whole (2 SLCN learners outside SRB05 hold at most 2 of the
        SLCN learners at least at 60%).
    percents : dict of str to (str, str), optional
        ``{percentage column: (numerator column, denominator column)}`` of shown: a
        percentage is hidden where its numerator or denominator now is.
    fixed : sequence of bool, optional
        Tables published elsewhere, in a form this cannot change (e.g. the all-SRB
        report's tables beside a per-SRB report): their shown counts are known in every
        line and never hidden here; their hidden counts stay hidden and are audited with
        the others (only cells of the other tables are hidden to protect them).
    thresholds : Thresholds, default Thresholds()
    strict : bool, default False
        As in :func:`~srb_eval.report.cube_protection.protect_lines`: with True every
        hidden cell must pass the audit's rule (a ``"[c]"`` range holds all of 1 to
        ``min_count - 1`` or none of it), as the render's audit asks of tables that
        carry a disclosure record; with False only the small counts are kept wide.
    within : dict of str to str, optional
        ``{part column: whole column}`` of ``columns``: in every row the part counts some
        of the whole's units (learners at least at 60% are some of those at 50%, who are
        some of the learners), so readers know it is at most the whole: a line of the
        whole, the part and an unseen remainder.
    row_sums : dict of str to list of str, optional
        ``{column: its parts}`` of ``columns``: in every row (a remainder's too) the
        column is the sum of its parts (results judged are those below, at and above
        expected), so a reader subtracts along a row as well.
    group : str, optional
        The column of ``columns`` that counts a group's members (learners). With it, the
        remainder of a link is a group readers can name and work out (a need's learners
        in the resource bases without a published report: the all-SRB count less the
        published reports'), and it is protected as a hidden row of a published table:
        its small counts keep 1 to ``min_count - 1`` open (whatever the group's size: 20
        ASD learners elsewhere, 2 of their results above expected), and where the group
        itself is from 1 to ``max(min_denominator, min_count) - 1`` members, each of its
        other counts is a statistic of a group too small for one and must not follow
        exactly (``vague`` of :func:`~srb_eval.report.cube_protection.protect_lines`). A
        remainder that the fixed tables alone give away (a need the all-SRB report shows
        with 0 results above expected) is public already: left as it is. Without
        ``group``, a remainder is unseen: nothing to protect.

    Returns
    -------
    list of pandas.DataFrame
        Copies of ``shown``; a cell hidden here shows :data:`SUPPRESSED_TEXT`. When the
        tables already hide more than
        :data:`~srb_eval.report.cube_protection.MAX_AUDITED_HIDDEN` cells together (beyond
        the all-Wales data), they are returned as they are, protected one by one, as
        :func:`~srb_eval.report.suppression.suppress_counts` leaves such tables to the
        rule of thumb (the render's audit then refuses them).

    Examples
    --------
    >>> from srb_eval.report.suppression import suppress_counts
    >>> by_phase = pd.DataFrame({"g": ["primary", "secondary", "all"], "k": [20, 4, 24]})
    >>> by_srb = pd.DataFrame({"g": ["S1", "S2", "S3", "all"], "k": [20, 4, 9, 33]})
    >>> t = [suppress_counts(x, ["k"], audience="published", total_row="all")
    ...      for x in (by_phase, by_srb)]
    >>> [x["k"].tolist() for x in t]
    [['[c]', '<5', '24'], ['20', '<5', '[c]', '33']]
    >>> out = protect_together([by_phase, by_srb], t, {"k": "k"}, totals=[2, 3],
    ...                        links=[((0, 0), [(1, 0)]), ((0, 1), [(1, 1)])])
    >>> [x["k"].tolist() for x in out]
    [['[c]', '<5', '24'], ['[c]', '<5', '[c]', '33']]
    """
    t = check_thresholds(thresholds)
    check_argument(len(values) == len(shown) == len(totals), "shown", "one per table of values",
           len(shown))
    cols = list(columns)
    start, offset, cells, as_c_shown = [], [], [], []
    markers = [t.small_count_text, SUPPRESSED_TEXT]
    for v, s in zip(values, shown, strict=True):
        check_argument(len(v) == len(s), "shown", "the rows of values", len(s))
        offset.append(sum(len(c) for c in cells))
        cells.append(np.column_stack([as_counts(v[c], f"values ({c!r})") for c in cols]))
        start.append(np.column_stack([s[columns[c]].isin(markers).to_numpy() for c in cols]))
        as_c_shown.append(np.column_stack([(s[columns[c]] == SUPPRESSED_TEXT).to_numpy()
                                           for c in cols]))
    counts = np.concatenate([c.ravel() for c in cells])
    frozen = np.concatenate([np.full(c.size, bool(f)) for c, f in zip(
        cells, fixed if fixed is not None else [False] * len(cells), strict=True)])
    hidden = np.concatenate([h.ravel() for h in start])
    told = frozen & ~hidden
    if hidden.sum() > MAX_AUDITED_HIDDEN:  # too large: as suppress_counts, not audited
        return [s.copy() for s in shown]
    width = len(cols)

    def at(table: int, row: int, col: int) -> int:
        return (offset[table] + row) * width + col

    rows: list[tuple[tuple[int, int], list[tuple[int, int]]]] = [
        (link[0], list(link[1])) for link in links]
    for i, total in enumerate(totals):
        if total is not None:
            rows.append(((i, total), [(i, r) for r in range(len(values[i])) if r != total]))
    lines, extra = [], []
    named: list[int] = []  # (the positions in extra of the remainders readers can name)
    vague: list[int] = []
    small_group = max(t.min_denominator, t.min_count)
    sums = [(cols.index(w), [cols.index(p) for p in ps]) for w, ps in (row_sums or {}).items()]
    for i, v in enumerate(values):
        for jw, jps in sums:
            for r in range(len(v)):
                line = [at(i, r, jw)] + [at(i, r, jp) for jp in jps]
                if not np.isnan(counts[line]).any():
                    lines.append(np.array(line))
    for i, v in enumerate(values):
        for part, whole in (within or {}).items():
            jp, jw = cols.index(part), cols.index(whole)
            for r in range(len(v)):
                line = [at(i, r, jw), at(i, r, jp)]
                if np.isnan(counts[line]).any():
                    continue
                extra.append(counts[line[0]] - counts[line[1]])
                lines.append(np.array([*line, counts.size + len(extra) - 1]))
    for (ti, ri), parts in rows:
        remainder: dict[int, int] = {}
        g = cols.index(group) if group is not None else None
        # a remainder group readers can name and work out, too small for a statistic:
        # every count of it is a cell to protect, its zeros too
        members = (counts[at(ti, ri, g)] - sum(counts[at(tp, rp, g)] for tp, rp in parts)
                   if g is not None else 0)
        small = 1 <= members < small_group
        for j in range(width):
            line = [at(ti, ri, j)] + [at(tp, rp, j) for tp, rp in parts]
            if np.isnan(counts[line]).any():
                continue
            rest = counts[line[0]] - counts[line[1:]].sum()
            if rest < 0:
                continue  # not a total of these parts
            if rest > 0 or small:  # readers cannot know the remainder: an unseen part
                extra.append(rest)
                line.append(counts.size + len(extra) - 1)
                remainder[j] = len(extra) - 1
                if g is not None and 1 <= rest < t.min_count:
                    named.append(remainder[j])  # a small count of a group readers name
            lines.append(np.array(line))
        if small and g in remainder:
            others = [k for j, k in remainder.items() if j != g]
            named.extend(others)
            vague.extend(others)
            for jw, jps in sums:  # the remainder's own row sums
                if jw in remainder and all(jp in remainder for jp in jps):
                    lines.append(np.array([counts.size + remainder[k]
                                           for k in (jw, *jps)]))
        for part, whole in (within or {}).items():  # a part's remainder is in its whole's
            jp, jw = cols.index(part), cols.index(whole)
            if jp in remainder and jw in remainder:
                rest = extra[remainder[jw]] - extra[remainder[jp]]
                if rest >= 0:
                    extra.append(rest)
                    lines.append(np.array([counts.size + remainder[jw],
                                           counts.size + remainder[jp],
                                           counts.size + len(extra) - 1]))
    if not lines or not (hidden.any() or named):
        return [s.copy() for s in shown]
    vals = np.concatenate([np.nan_to_num(counts), np.array(extra, dtype=float)]).astype(
        np.int64)
    unseen = np.concatenate([np.zeros(counts.size, dtype=bool),
                             np.ones(len(extra), dtype=bool)])
    unseen[counts.size + np.array(named, dtype=np.int64)] = False
    loose = np.zeros(vals.size, dtype=bool)
    # (the small counts of a named remainder too: one the fixed tables alone fix is
    # public already, and protect_lines leaves it unseen rather than hide every cell)
    loose[counts.size + np.array(vague + named, dtype=np.int64)] = True
    known = np.concatenate([np.isnan(counts) | told, np.zeros(len(extra), dtype=bool)])
    done, as_c = protect_lines(vals, lines, t, hidden=np.concatenate(
        [hidden, ~unseen[counts.size:]]), known=known, unpublished=unseen,
        strict=strict, shown_as_c=np.concatenate(  # a "[c]" published elsewhere says less
            [frozen & np.concatenate([a.ravel() for a in as_c_shown]),
             np.zeros(len(extra), dtype=bool)]), vague=loose)
    more = ((done[:counts.size] & ~hidden) | as_c[:counts.size]) & ~frozen  # as_c: "<5"
    # says too much
    out = []
    for i, s in enumerate(shown):
        o = s.copy()
        n = len(s)
        block = more[offset[i] * width:(offset[i] + n) * width].reshape(n, width)
        for j, c in enumerate(cols):
            if block[:, j].any():
                col = o[columns[c]].astype(object).to_numpy().copy()
                col[block[:, j]] = SUPPRESSED_TEXT
                o[columns[c]] = col
        for pct, (num, den) in (percents or {}).items():
            gone = (o[num].isin(markers) | o[den].isin(markers)) & (o[pct] != NO_DATA_TEXT)
            o[pct] = o[pct].astype(object).where(~gone, SUPPRESSED_TEXT)
        out.append(o)
    return out
