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
    markers = [t.small_count_text, SUPPRESSED_TEXT]
    counts, hidden, as_c_shown, offset = _stacked(values, shown, cols, columns, markers)
    frozen = np.concatenate([np.full(len(v) * len(cols), bool(f)) for v, f in zip(
        values, fixed if fixed is not None else [False] * len(values), strict=True)])
    told = frozen & ~hidden
    if hidden.sum() > MAX_AUDITED_HIDDEN:  # too large: as suppress_counts, not audited
        return [s.copy() for s in shown]
    # each line: a whole row and its parts (the links, then each table's total)
    rows: list[tuple[tuple[int, int], list[tuple[int, int]]]] = [
        (link[0], list(link[1])) for link in links]
    for i, total in enumerate(totals):
        if total is not None:
            rows.append(((i, total), [(i, r) for r in range(len(values[i])) if r != total]))
    joint = _JointLines(counts, offset, cols, t)
    sums = [(cols.index(w), [cols.index(p) for p in ps]) for w, ps in (row_sums or {}).items()]
    joint.add_row_sums(values, sums)
    joint.add_within(values, within or {})
    for whole, parts in rows:
        joint.add_link(whole, parts, sums=sums, within=within or {},
                       group=cols.index(group) if group is not None else None)
    if not joint.lines or not (hidden.any() or joint.named):
        return [s.copy() for s in shown]
    extra = joint.extra
    vals = np.concatenate([np.nan_to_num(counts), np.array(extra, dtype=float)]).astype(
        np.int64)
    unseen = np.concatenate([np.zeros(counts.size, dtype=bool),
                             np.ones(len(extra), dtype=bool)])
    unseen[counts.size + np.array(joint.named, dtype=np.int64)] = False
    loose = np.zeros(vals.size, dtype=bool)
    # (the small counts of a named remainder too: one the fixed tables alone fix is
    # public already, and protect_lines leaves it unseen rather than hide every cell)
    loose[counts.size + np.array(joint.vague + joint.named, dtype=np.int64)] = True
    known = np.concatenate([np.isnan(counts) | told, np.zeros(len(extra), dtype=bool)])
    done, as_c = protect_lines(vals, joint.lines, t, hidden=np.concatenate(
        [hidden, ~unseen[counts.size:]]), known=known, unpublished=unseen,
        strict=strict, shown_as_c=np.concatenate(  # a "[c]" published elsewhere says less
            [frozen & as_c_shown, np.zeros(len(extra), dtype=bool)]), vague=loose)
    more = ((done[:counts.size] & ~hidden) | as_c[:counts.size]) & ~frozen  # as_c: "<5"
    # says too much
    return _hide_more(shown, more, offset, cols, columns, percents or {}, markers)


def _stacked(values: Sequence[pd.DataFrame], shown: Sequence[pd.DataFrame], cols: list[str],
             columns: Mapping[str, str], markers: list[str]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """The cells of every table in one vector (table by table, row by row, a column of
    ``cols`` after another): the counts, which are hidden, which show "[c]", and each
    table's first row in the stack."""
    offset, cells, start, as_c_shown = [], [], [], []
    for v, s in zip(values, shown, strict=True):
        check_argument(len(v) == len(s), "shown", "the rows of values", len(s))
        offset.append(sum(len(c) for c in cells))
        cells.append(np.column_stack([as_counts(v[c], f"values ({c!r})") for c in cols]))
        start.append(np.column_stack([s[columns[c]].isin(markers).to_numpy() for c in cols]))
        as_c_shown.append(np.column_stack([(s[columns[c]] == SUPPRESSED_TEXT).to_numpy()
                                           for c in cols]))
    return (np.concatenate([c.ravel() for c in cells]),
            np.concatenate([h.ravel() for h in start]),
            np.concatenate([a.ravel() for a in as_c_shown]), offset)


class _JointLines:
    """The lines of :func:`protect_together` over the stacked cells (``counts``), with
    the unseen remainders they need (``extra``: their counts, numbered after the cells),
    the remainders readers can name (``named``) and those that state a statistic of a
    group too small for one (``vague``), both by position in ``extra``."""

    def __init__(self, counts: np.ndarray, offset: list[int], cols: list[str],
                 t: Thresholds) -> None:
        self.counts, self.offset, self.cols, self.t = counts, offset, cols, t
        self.width = len(cols)
        self.lines: list[np.ndarray] = []
        self.extra: list[float] = []
        self.named: list[int] = []
        self.vague: list[int] = []

    def at(self, table: int, row: int, col: int) -> int:
        """The position of a cell in the stack."""
        return (self.offset[table] + row) * self.width + col

    def _remainder(self, value: float) -> int:
        """A new unseen remainder of count ``value``: its position in ``extra``."""
        self.extra.append(value)
        return len(self.extra) - 1

    def add_row_sums(self, values: Sequence[pd.DataFrame],
                     sums: list[tuple[int, list[int]]]) -> None:
        """In every row, a column that is the sum of others (``row_sums``)."""
        for i, v in enumerate(values):
            for jw, jps in sums:
                for r in range(len(v)):
                    line = [self.at(i, r, jw)] + [self.at(i, r, jp) for jp in jps]
                    if not np.isnan(self.counts[line]).any():
                        self.lines.append(np.array(line))

    def add_within(self, values: Sequence[pd.DataFrame], within: Mapping[str, str]) -> None:
        """In every row, a part column at most its whole (``within``): the whole, the part
        and an unseen remainder."""
        for i, v in enumerate(values):
            for part, whole in within.items():
                jp, jw = self.cols.index(part), self.cols.index(whole)
                for r in range(len(v)):
                    line = [self.at(i, r, jw), self.at(i, r, jp)]
                    if np.isnan(self.counts[line]).any():
                        continue
                    k = self._remainder(self.counts[line[0]] - self.counts[line[1]])
                    self.lines.append(np.array([*line, self.counts.size + k]))

    def add_link(self, whole: tuple[int, int], parts: list[tuple[int, int]], *,
                 group: int | None, sums: list[tuple[int, list[int]]],
                 within: Mapping[str, str]) -> None:
        """Each column of the row ``whole`` is the sum of the ``parts`` rows', and of an
        unseen remainder where it counts more (``links``, ``totals``); with ``group`` a
        remainder readers can name (see :func:`protect_together`)."""
        c, t = self.counts, self.t
        ti, ri = whole
        remainder: dict[int, int] = {}
        # a remainder group readers can name and work out, too small for a statistic:
        # every count of it is a cell to protect, its zeros too
        members = (c[self.at(ti, ri, group)] - sum(c[self.at(tp, rp, group)]
                                                    for tp, rp in parts)
                   if group is not None else 0)
        small = 1 <= members < max(t.min_denominator, t.min_count)
        for j in range(self.width):
            line = [self.at(ti, ri, j)] + [self.at(tp, rp, j) for tp, rp in parts]
            if np.isnan(c[line]).any():
                continue
            rest = c[line[0]] - c[line[1:]].sum()
            if rest < 0:
                continue  # not a total of these parts
            if rest > 0 or small:  # readers cannot know the remainder: an unseen part
                remainder[j] = self._remainder(rest)
                line.append(c.size + remainder[j])
                if group is not None and 1 <= rest < t.min_count:
                    self.named.append(remainder[j])  # a small count of a group readers name
            self.lines.append(np.array(line))
        if small and group in remainder:
            others = [k for j, k in remainder.items() if j != group]
            self.named.extend(others)
            self.vague.extend(others)
            for jw, jps in sums:  # the remainder's own row sums
                if jw in remainder and all(jp in remainder for jp in jps):
                    self.lines.append(np.array([c.size + remainder[k] for k in (jw, *jps)]))
        for part, whole_col in within.items():  # a part's remainder is in its whole's
            jp, jw = self.cols.index(part), self.cols.index(whole_col)
            if jp in remainder and jw in remainder:
                rest = self.extra[remainder[jw]] - self.extra[remainder[jp]]
                if rest >= 0:
                    k = self._remainder(rest)
                    self.lines.append(np.array([c.size + remainder[jw], c.size + remainder[jp],
                                                c.size + k]))


def _hide_more(shown: Sequence[pd.DataFrame], more: np.ndarray, offset: list[int],
               cols: list[str], columns: Mapping[str, str],
               percents: Mapping[str, tuple[str, str]], markers: list[str]
               ) -> list[pd.DataFrame]:
    """Copies of ``shown`` with the stacked cells ``more`` hidden, and each percentage
    hidden where its numerator or denominator now is."""
    width = len(cols)
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
        for pct, (num, den) in percents.items():
            gone = (o[num].isin(markers) | o[den].isin(markers)) & (o[pct] != NO_DATA_TEXT)
            o[pct] = o[pct].astype(object).where(~gone, SUPPRESSED_TEXT)
        out.append(o)
    return out
