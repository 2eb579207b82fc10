"""Count cubes and their protection: what a published table of counts may show.

A *cube* counts units on every combination of some dims' categories and their totals
(the full lattice with margins). :func:`protect_cube` hides small counts (primary
suppression) and then further cells (secondary suppression) until no hidden count can be
narrowed from the rest of the cube, checked by the audit of
:mod:`srb_eval.report.audit`. :func:`protect_lines` is that loop on any set of linear
lines; :func:`audit_table` applies it to one two-way table with its row and column totals
(the check :func:`srb_eval.report.suppression.suppress_counts` runs after its rule of
thumb).

References
----------
.. [1] Office for National Statistics / Government Statistical Service (2014).
   *Disclosure control guidance for tables produced from administrative sources*.
.. [2] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, chapter 4.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .audit_components import Bases
from .audit_ilp import LinearSystem, solve_ranges
from .audit_rules import key_text, need, text_bounds, verdict
from .disclosure import SUPPRESSED_TEXT, Thresholds, check_thresholds

__all__ = ["MAX_AUDITED_HIDDEN", "audit_table", "count_cube", "protect_cube", "protect_lines",
           "small_group_parts"]


def _categories(col: pd.Series, name: str, total: str) -> list:
    need(not col.isna().any(), f"units[{name!r}]", "has missing values")
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
    else:
        values = list(pd.unique(col))
        try:
            cats = sorted(values)
        except TypeError:
            cats = sorted(values, key=str)
    need(total not in map(str, cats), f"units[{name!r}]", f"holds the total label {total!r}")
    return cats


def count_cube(units: pd.DataFrame, dims: list[str], *, total: str = "All") -> pd.DataFrame:
    """Counts of units on every combination of each dim's categories and the total.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit (a learner, a placement...).
    dims : list of str
        Columns of ``units``; categories are the observed values, sorted (for a
        categorical column: all its categories, in their order).
    total : str, default "All"
        The label of a dim's margin.

    Returns
    -------
    pandas.DataFrame
        Columns ``dims`` (text) and ``count`` (int): the full lattice with margins, each
        dim's categories first and ``total`` last, in that nested order.

    Examples
    --------
    >>> u = pd.DataFrame({"phase": ["primary", "primary", "secondary"]})
    >>> count_cube(u, ["phase"]).to_dict("list")
    {'phase': ['primary', 'secondary', 'All'], 'count': [2, 1, 3]}
    """
    need(isinstance(units, pd.DataFrame), "units", "must be a pandas DataFrame")
    need(len(dims) > 0 and all(d in units.columns for d in dims) and len(set(dims)) ==
          len(dims), "dims", f"must be distinct columns of units {list(units.columns)}")
    cats = [_categories(units[d], d, total) for d in dims]
    codes = [pd.Categorical(units[d], categories=c).codes for d, c in zip(dims, cats,
                                                                          strict=True)]
    arr = np.zeros([len(c) + 1 for c in cats], dtype=np.int64)
    np.add.at(arr, tuple(codes), 1)
    for ax, c in enumerate(cats):
        inner = [slice(None)] * len(cats)
        inner[ax] = slice(0, len(c))
        last = [slice(None)] * len(cats)
        last[ax] = len(c)
        arr[tuple(last)] = arr[tuple(inner)].sum(axis=ax)
    labels = [[str(x) for x in c] + [total] for c in cats]
    grid = list(itertools.product(*labels))
    out = pd.DataFrame(grid, columns=dims) if grid else pd.DataFrame(columns=dims)
    out["count"] = arr.ravel()
    return out


def _shown(v: int, t: Thresholds) -> str:
    """Text of a visible count, rounded half up to ``round_to`` when v >= min_count."""
    if t.round_to is not None and v >= t.min_count:
        v = max(t.round_to, int(math.floor(v / t.round_to + 0.5)) * t.round_to)
    return f"{v:,}"


def _shown_bounds(values: np.ndarray, t: Thresholds, *, exact: np.ndarray) -> np.ndarray:
    """What each count says when shown, as ``(low, high)`` rows: what the audit reads
    from the text the table shows (:func:`srb_eval.report.audit_rules.text_bounds` of
    :func:`_shown`), worked out once for each distinct count. ``exact``: counts readers
    know exactly whatever is shown; counts from 1 to ``min_count - 1`` are given
    exactly too (they are hidden, and these bounds are not used for them).

    Examples
    --------
    >>> _shown_bounds(np.array([0, 3, 5, 7, 12, 12]), Thresholds(round_to=5),
    ...               exact=np.zeros(6, dtype=bool)).tolist()
    [[0, 0], [3, 3], [5, 7], [5, 7], [8, 12], [8, 12]]
    """
    v = np.asarray(values, dtype=np.int64)
    out = np.stack([v, v], axis=1)
    read = ~np.asarray(exact, dtype=bool) & ((v < 1) | (v >= t.min_count))
    if read.any():
        pol = {"min_count": t.min_count, "round_to": t.round_to, "small_count_text": "",
               "suppressed_text": ""}
        distinct, where = np.unique(v[read], return_inverse=True)
        said = np.array([text_bounds(_shown(int(x), t), pol, "cube") for x in distinct],
                        dtype=np.int64).reshape(-1, 2)
        out[read] = said[where]
    return out


def _cube_system(cube: pd.DataFrame, dims: list[str], measure: str, total: str):
    """Keys of the cube's rows, its partition lines and the system of their equations."""
    s = LinearSystem()
    for row in cube[dims].astype(str).itertuples(index=False):
        s.var((measure, tuple(sorted((d, c) for d, c in zip(dims, row, strict=True)
                                     if c != total))))
    need(len(s.index) == len(cube), "cube", "has repeated rows")
    lines = []
    keys = list(s.index)
    for dim in dims:
        cats = [c for c in pd.unique(cube[dim].astype(str)) if c != total]
        for k in keys:
            if dim in dict(k[1]):
                continue
            kids = [(measure, tuple(sorted((*k[1], (dim, c))))) for c in cats]
            need(all(x in s.index for x in kids), "cube", "is not a full lattice "
                  "(use count_cube)")
            line = [s.index[k]] + [s.index[x] for x in kids]
            lines.append(np.array(line))
            s.rows.append(({line[0]: 1.0, **{j: -1.0 for j in line[1:]}}, 0.0, 0.0))
    return s, lines, keys


def protect_cube(cube: pd.DataFrame, dims: list[str], *, measure: str,
                 thresholds: Thresholds, total: str = "All",
                 parts: pd.DataFrame | None = None,
                 start: pd.Series | None = None,
                 known: pd.Series | None = None) -> pd.DataFrame:
    """Primary and secondary suppression of a count cube until its audit passes.

    Parameters
    ----------
    cube : pandas.DataFrame
        From :func:`count_cube` (the full lattice with margins).
    dims : list of str
    measure : str
        The measure's name in records.
    thresholds : Thresholds
        ``min_count`` and ``round_to`` are used.
    total : str, default "All"
    parts : pandas.DataFrame, optional
        Counts of some cells' units that another published table shows for a part of
        them (the all-SRB report's row of an SRB: its learners less those who moved on,
        whom a per-SRB report counts too): the dims of a cube cell, ``count`` (the part's
        true count) and ``text`` (as shown there). Readers know a shown part; the rest
        of the cell (e.g. the learners who moved on, and how many of them are rising) is
        a count nobody publishes that must not be narrowed either, so it is protected
        with the cube. A cell whose part is larger than it (not a part) is left alone.
    start : pandas.Series, optional
        The ``text`` of an earlier protection of the same cube: what it hides stays
        hidden (as it showed it), so the result only ever hides more.
    known : pandas.Series of bool, optional
        Cells readers know exactly whatever this cube shows, because another published
        table shows the same count (the all-SRB report's row of an SRB, when a report
        about that SRB counts exactly its learners): never hidden here, and used by the
        audit of the others. A known cell hidden by ``start`` is shown.

    Returns
    -------
    pandas.DataFrame
        ``cube`` plus ``text`` (what may be published) and ``hidden`` (``""``,
        ``"primary"``, ``"secondary"``).

    Notes
    -----
    Counts from 1 to ``min_count - 1`` are hidden as ``small_count_text`` (primary).
    Then, until the audit of the whole cube (every cell published) passes: a partition
    line (a margin and its parts) with exactly one hidden member hides its smallest
    non-zero visible member; then each hidden cell the audit narrows hides the smallest
    non-zero visible cell on one of its lines (ties by key). Where hidden small counts
    narrow each other (a margin ``"<5"`` with two non-zero parts: each part is at most 3),
    no hiding can help, so those small counts are shown as ``"[c]"`` instead, which says
    less. Every part of a cell too small for a share (fewer than ``min_denominator``, or
    a small count) is hidden too, zeros included (:func:`small_group_parts`): they show
    ``"[c]"``; no other zero is hidden. Visible counts of ``min_count`` or more are
    rounded to ``round_to``. It terminates: at worst every non-zero count is ``"[c]"``.
    Follows ONS/GSS guidance on primary and secondary suppression [1]_ and the audit
    of Hundepool et al. [2]_ (see the module references).

    Examples
    --------
    >>> u = pd.DataFrame({"phase": ["primary"] * 9 + ["secondary"] * 2})
    >>> out = protect_cube(count_cube(u, ["phase"]), ["phase"], measure="learners",
    ...                    thresholds=Thresholds())
    >>> out[["phase", "text", "hidden"]].to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'phase': ['primary', 'secondary', 'All'], 'text': ['[c]', '<5', '11'],
     'hidden': ['secondary', 'primary', '']}
    """
    t = check_thresholds(thresholds)
    need(isinstance(cube, pd.DataFrame) and "count" in cube.columns and
          all(d in cube.columns for d in dims), "cube", "must have the dims and 'count'")
    s, lines, keys = _cube_system(cube.reset_index(drop=True), dims, measure, total)
    vals = cube["count"].to_numpy(dtype=np.int64)
    order = np.empty(len(vals), dtype=np.int64)
    order[np.lexsort(([key_text(k) for k in keys], vals))] = np.arange(len(vals))
    n = len(vals)
    more, known_parts, hide, as_c0 = [], [], [], []
    where = {k: i for i, k in enumerate(keys)}
    pol = {"min_count": t.min_count, "round_to": t.round_to,
           "small_count_text": t.small_count_text, "suppressed_text": SUPPRESSED_TEXT}
    for j, row in enumerate([] if parts is None else parts.itertuples(index=False)):
        key = (measure, tuple(sorted((d, str(getattr(row, d))) for d in dims
                                     if str(getattr(row, d)) != total)))
        i = where.get(key)
        part, text = int(row.count), str(row.text)
        if i is None or part > vals[i]:
            continue
        told = text_bounds(text, pol, "parts") is not None and text not in (
            t.small_count_text, SUPPRESSED_TEXT)
        at = n + len(more)
        more += [part, int(vals[i]) - part]
        known_parts += [told, False]
        hide += [not told, True]
        as_c0 += [text == SUPPRESSED_TEXT, True]  # the rest: nothing says it is small
        a, b = s.var(("part", ((str(j), "shown"),))), s.var(("part", ((str(j), "rest"),)))
        s.rows.append(({i: 1.0, a: -1.0, b: -1.0}, 0.0, 0.0))
        lines.append(np.array([i, at, at + 1]))
    before = np.zeros(n, dtype=bool) if start is None else np.isin(
        np.asarray(start, dtype=object), [t.small_count_text, SUPPRESSED_TEXT])
    before_c = np.zeros(n, dtype=bool) if start is None else (
        np.asarray(start, dtype=object) == SUPPRESSED_TEXT)
    knows = np.zeros(n, dtype=bool) if known is None else np.asarray(known, dtype=bool)
    if more or start is not None or knows.any():
        vals_all = np.concatenate([vals, np.array(more, dtype=np.int64)])
        order_all = np.concatenate([order, n + np.arange(len(more))])
        hidden, as_c = protect_lines(
            vals_all, lines, t, order=order_all, system=s,
            hidden=np.concatenate([before, np.array(hide, dtype=bool)]),
            known=np.concatenate([knows, np.array(known_parts, dtype=bool)]),
            shown_as_c=np.concatenate([before_c, np.array(as_c0, dtype=bool)]))
        hidden, as_c = hidden[:n], as_c[:n]
    else:
        hidden, as_c = protect_lines(vals, lines, t, order=order, system=s)
    primary = (vals >= 1) & (vals < t.min_count)
    out = cube.copy()
    text = np.array([_shown(int(v), t) for v in vals], dtype=object)
    text[hidden] = SUPPRESSED_TEXT
    text[primary & ~as_c] = t.small_count_text
    out["text"] = text
    out["hidden"] = np.where(primary, "primary", np.where(hidden, "secondary", ""))
    return out


def small_group_parts(values: np.ndarray, lines: list[np.ndarray],
                      thresholds: Thresholds, *, hidden: np.ndarray | None = None
                      ) -> np.ndarray:
    """The parts of every line whose whole is a group too small for a share: hidden,
    zeros included.

    A line is ``[whole, part, part, ...]`` (positions in ``values``). Where the whole is
    from 1 to ``max(min_denominator, min_count) - 1`` (a group too small for a
    percentage, or itself a small count), every part is hidden: a part shown beside
    its whole states the group's share (``"0"`` beside ``"<5"``: the rest of the group,
    all of it, is in the hidden column; ``"6"`` of 8: 75%): the rule "no percentage of
    a group smaller than ``min_denominator``" [1]_ applied to the counts of a table. A
    line of one part (a breakdown into one category) states nothing its whole does not.
    A zero that is a part of another line whose whole is a 0 shown (``hidden``: the
    cells hidden already) stays: its category is empty in that larger group, which
    states it (a column "area not recorded" of 0 in all).

    Returns a boolean array shaped like ``values``.

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5, and ``docs/design.md``
       ("No share stated by zeros").

    Examples
    --------
    >>> small_group_parts(np.array([3, 3, 0, 0, 40, 37]), [np.array([0, 1, 2, 3]),
    ...                   np.array([4, 5, 2, 3])], Thresholds()).tolist()
    [False, True, True, True, False, False]
    """
    t = check_thresholds(thresholds)
    vals = np.asarray(values, dtype=float)
    out = np.zeros(len(vals), dtype=bool)
    if not lines:
        return out
    wholes = vals[np.array([int(ln[0]) for ln in lines], dtype=np.int64)]
    with np.errstate(invalid="ignore"):
        small = (wholes >= 1) & (wholes < max(t.min_denominator, t.min_count))
    small &= np.array([len(ln) > 2 for ln in lines])  # a single part is its whole
    if not small.any():
        return out
    out[np.concatenate([np.asarray(ln[1:], dtype=np.int64)
                        for ln, s in zip(lines, small, strict=True) if s])] = True
    before = np.zeros(len(vals), dtype=bool) if hidden is None else np.asarray(hidden, bool)
    zero_whole = [i for i, w in enumerate(wholes) if w == 0]
    while zero_whole:  # the zeros of empty categories, until none is added
        shown_zero = (vals == 0) & ~before & ~out
        empty = [i for i in zero_whole if shown_zero[int(lines[i][0])]]
        if not empty:
            break
        keep = np.zeros(len(vals), dtype=bool)
        keep[np.concatenate([np.asarray(lines[i][1:], dtype=np.int64) for i in empty])] = True
        keep &= out & (vals == 0)
        if not keep.any():
            break
        out &= ~keep
        done = set(empty)
        zero_whole = [i for i in zero_whole if i not in done]
    return out


def protect_lines(values: np.ndarray, lines: list[np.ndarray], thresholds: Thresholds, *,
                  hidden: np.ndarray | None = None, known: np.ndarray | None = None,
                  unpublished: np.ndarray | None = None, order: np.ndarray | None = None,
                  system: LinearSystem | None = None, strict: bool = True,
                  shown_as_c: np.ndarray | None = None, upper: np.ndarray | None = None,
                  lower: np.ndarray | None = None,
                  vague: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hide counts until no hidden count can be narrowed from the others.

    Parameters
    ----------
    values : numpy.ndarray
        The counts (whole numbers >= 0), one per cell.
    lines : list of numpy.ndarray
        Each a list of cell positions ``[total, part, part, ...]``: the total is the sum
        of the parts, and readers know it.
    thresholds : Thresholds
        ``min_count`` and ``round_to`` are used.
    hidden : numpy.ndarray of bool, optional
        Cells already hidden (e.g. by a rule of thumb); small counts and the parts of a
        small group (:func:`small_group_parts`) are always hidden. A zero hidden here is
        hidden for the same reason as those: it is protected like them (below).
    known : numpy.ndarray of bool, optional
        Cells readers know exactly whatever this table shows (e.g. a total published
        elsewhere): never hidden, even when small.
    unpublished : numpy.ndarray of bool, optional
        Cells no reader sees (e.g. learners in categories a table does not show): unknown
        to readers, so nothing to protect; their values are ignored.
    order : numpy.ndarray of int, optional
        Rank of each cell when choosing which to hide (smallest rank first), each rank
        once; by default by value, then position.
    system : LinearSystem, optional
        The lines as equations (built from ``lines`` when not given).
    strict : bool, default True
        Every hidden cell must pass the audit's rule (:func:`srb_eval.report.audit_rules.
        verdict`: a ``"[c]"`` range holds all of 1 to ``min_count - 1`` or none of it), as
        an auditor who does not know the counts must ask of a recorded table. With
        ``False``, only the small counts must keep every value from 1 to
        ``min_count - 1`` possible: a hidden count of ``min_count`` or more may be
        narrowed (it could have been shown), which hides fewer cells.
    shown_as_c : numpy.ndarray of bool, optional
        Hidden small counts already shown as ``"[c]"`` (e.g. by secondary suppression
        before this): judged as ``"[c]"`` (from 0, unbounded), as the audit reads them.
    upper : numpy.ndarray of float, optional
        What readers know each cell to be at most, whatever this table shows (``inf``:
        nothing), e.g. the part of a count another report shows as ``"<5"``.
    lower : numpy.ndarray of float, optional
        What readers know each cell to be at least, whatever this table shows (0:
        nothing), e.g. another report's count of a larger group less the learners it has
        beyond this one.
    vague : numpy.ndarray of bool, optional
        Cells that state a statistic of a group too small for one (a count of the
        results of 8 learners known only by difference): hidden, and each must keep at
        least two values possible, whatever its size (a count of 5 or more may otherwise
        be narrowed). One that ``known`` cells alone fix (the other cells all hidden) is
        public whatever this table shows: it is treated as ``unpublished``, not as a
        cell that hiding could protect (which would hide every cell in vain).

    Returns
    -------
    (hidden, as_c) : tuple of numpy.ndarray of bool
        ``hidden``: every cell not to be shown; ``as_c``: small counts to show as
        ``"[c]"`` rather than ``"<5"`` (where small counts would narrow each other).

    Notes
    -----
    Counts from 1 to ``min_count - 1`` are hidden (primary), and so is every part of a
    line whose whole is a group too small for a share, zeros included
    (:func:`small_group_parts`: ``"0"`` beside a ``"<5"`` group states that all of it is
    in the hidden part). Then, until the audit passes (the integer range of each hidden
    count, given every shown count and every line, by
    :func:`srb_eval.report.audit_ilp.solve_ranges`): a line with exactly one hidden
    member hides its smallest non-zero shown member; then each hidden cell the audit
    narrows hides the smallest non-zero shown cell on one of its lines. A hidden zero is
    narrowed unless every value from 0 to ``min_count - 1`` stays possible (a hidden zero
    that can only be 0 states the share as the ``"0"`` did). Where hidden small
    counts narrow each other (a ``"<5"`` total with two non-zero parts: each part is at
    most 3), no hiding can help, so they are shown as ``"[c]"``, which says less. No
    other zero is hidden. It terminates: at worst every non-zero count is ``"[c]"``; where a
    count follows from ``known`` cells alone (a small total known from elsewhere with one
    non-zero part), nothing here can hide it, and the cells are returned as they stand.
    ONS/GSS guidance on primary and secondary suppression; the audit follows
    Hundepool et al. (2012), *Statistical Disclosure Control*, chapter 4.
    """
    t = check_thresholds(thresholds)
    vals = np.asarray(values, dtype=np.int64)
    n = len(vals)
    if order is None:
        order = np.empty(n, dtype=np.int64)
        order[np.lexsort((np.arange(n), vals))] = np.arange(n)
    need(len(np.unique(order)) == n, "protect_lines", "order must give each cell its own rank")
    if system is None:
        system = LinearSystem()
        system.add_keys(("cell", ((str(j), str(j)),)) for j in range(n))
        for line in lines:
            row = {int(line[0]): 1.0}
            row.update(dict.fromkeys(line[1:].tolist(), -1.0))
            system.rows.append((row, 0.0, 0.0))
    p = _Protection(vals, lines, t, order=order, system=system, hidden=hidden, known=known,
                    unpublished=unpublished, shown_as_c=shown_as_c, vague=vague)
    for _ in range(2 * n + 3):  # each round hides or rewords a cell, or ends
        p.hide_in_lines_with_one_hidden()
        p.hide_zeros_of_hidden_wholes()
        failing, small = p.failing(strict=strict, upper=upper, lower=lower)
        if not failing:
            return p.hidden, p.as_c
        before = (p.hidden.sum(), p.as_c.sum())
        p.widen(failing, small)
        if (p.hidden.sum(), p.as_c.sum()) == before:
            if (p.as_c | ~p.primary).all():
                spare = (vals > 0) & ~p.fixed & ~p.hidden
                if not spare.any():  # what still narrows follows from cells readers know
                    return p.hidden, p.as_c
                p.hidden |= spare
            p.as_c |= p.primary
    return p.hidden, p.as_c  # pragma: no cover - each round above hides or rewords a cell


class _Protection:
    """The state of :func:`protect_lines` between its rounds: the cells hidden so far
    (``hidden``) and the small counts to show as "[c]" (``as_c``), with what does not
    change (the lines, the cells readers know, those no reader sees, those too vague to
    state, what a shown count says) and what the audit's searches keep between rounds."""

    def __init__(self, vals: np.ndarray, lines: list[np.ndarray], t: Thresholds, *,
                 order: np.ndarray, system: LinearSystem, hidden: np.ndarray | None,
                 known: np.ndarray | None, unpublished: np.ndarray | None,
                 shown_as_c: np.ndarray | None, vague: np.ndarray | None) -> None:
        n = len(vals)
        self.vals, self.lines, self.t, self.order, self.system = vals, lines, t, order, system
        self.m = t.min_count
        # which cells each line holds, to count the hidden members of every line at once
        self.members = sp.csr_array((np.ones(sum(map(len, lines)), dtype=np.int64),
                                     (np.repeat(np.arange(len(lines)),
                                                [len(ln) for ln in lines]),
                                      np.concatenate(lines) if lines
                                      else np.zeros(0, dtype=int))),
                                    shape=(len(lines), n))
        # the lines of cell j: line_of.indices[indptr[j]:indptr[j+1]]
        self.line_of = self.members.tocsc()
        self.fixed = fixed = (np.zeros(n, dtype=bool) if known is None
                              else np.asarray(known, dtype=bool))
        self.unseen = (np.zeros(n, dtype=bool) if unpublished is None
                       else np.asarray(unpublished, dtype=bool).copy())
        self.vis = _shown_bounds(vals, t, exact=fixed)  # what a shown count says
        self.loose = (np.zeros(n, dtype=bool) if vague is None
                      else np.asarray(vague, dtype=bool) & ~fixed & ~self.unseen)
        if self.loose.any():  # fixed by the known cells alone: public already
            self._unseen_if_public()
        self.primary = (vals >= 1) & (vals < self.m) & ~fixed & ~self.unseen
        self.hidden = self.primary | self.unseen | self.loose | (
            np.zeros(n, dtype=bool) if hidden is None
            else np.asarray(hidden, dtype=bool) & ~fixed)
        # (a known part is no part: a group with one part left that can hold anything
        # states no share)
        with_fixed = (self.members @ fixed.astype(np.int64)) > 0
        self.hidden |= small_group_parts(
            vals, [np.concatenate([ln[:1], ln[1:][~fixed[ln[1:]]]]) if f else ln
                   for ln, f in zip(lines, with_fixed, strict=True)],
            t, hidden=self.hidden) & ~fixed
        self.as_c = (np.zeros(n, dtype=bool) if shown_as_c is None
                     else np.asarray(shown_as_c, dtype=bool) & self.primary & self.hidden)
        self.seen = (vals.astype(float), vals.astype(float))  # the true counts: a solution
        self.memo: dict = {}
        self.bases = Bases()  # each round's programmes start from the last round's bases
        # (a line with an unseen member is the audit's)
        self.open_line = (self.members @ self.unseen.astype(np.int64)) == 0
        # the parts of each line, without its whole
        self.first = np.array([int(ln[0]) for ln in lines], dtype=np.int64)
        self.parts = self.members - sp.csr_array(
            (np.ones(len(lines), dtype=np.int64), (np.arange(len(lines)), self.first)),
            shape=self.members.shape)
        self.parts.eliminate_zeros()
        self.wide = np.diff(self.parts.indptr) >= 2  # (a single part is its whole)

    def _unseen_if_public(self) -> None:
        """A vague cell that the known cells alone fix is public whatever the table shows:
        unseen, not hidden (see :func:`protect_lines`, ``vague``)."""
        vals, fixed, vis = self.vals, self.fixed, self.vis
        alone = solve_ranges(self.system, np.flatnonzero(self.loose).tolist(),
                             np.where(fixed, vis[:, 0], 0.0).astype(float),
                             np.where(fixed, vis[:, 1], math.inf).astype(float),
                             check_all=False, seen=(vals.astype(float), vals.astype(float)))
        public = [j for j, (lo, hi) in alone.items() if lo == hi]
        self.unseen[public] = True
        self.loose[public] = False

    def hide_smallest(self, cells: np.ndarray) -> bool:
        """Hide the shown non-zero cell of ``cells`` of the smallest rank; whether any."""
        hidden, fixed, vals = self.hidden, self.fixed, self.vals
        cand = cells[~hidden[cells] & ~fixed[cells] & (vals[cells] > 0)]
        if cand.size:
            hidden[cand[self.order[cand].argmin()]] = True
        return bool(cand.size)

    def hide_zeros_of_hidden_wholes(self) -> None:
        """A line whose whole is hidden and that has one part at most that is not 0
        hides its zeros too: they would state that the one part left holds the whole
        group, whatever its size (``"[c]"`` of ``"[c]"``, ``0``, ``0``). Again until no
        line changes."""
        hidden, vals, parts, first = self.hidden, self.vals, self.parts, self.first
        while True:
            shown_zero = ~hidden & ~self.fixed & (vals == 0)
            # (the zeros of a category empty in a larger group, a 0 shown, stay)
            empty = parts[np.flatnonzero((vals[first] == 0) & ~hidden[first])]
            if empty.shape[0]:
                shown_zero &= ~(empty.sum(axis=0) > 0)
            gap = (hidden[first] & ~self.unseen[first] & self.wide
                   & ((parts @ (vals > 0).astype(np.int64)) <= 1)
                   & ((parts @ shown_zero.astype(np.int64)) > 0))
            if not gap.any():
                return
            hidden[(parts[np.flatnonzero(gap)].sum(axis=0) > 0) & shown_zero] = True

    def hide_in_lines_with_one_hidden(self) -> None:
        """In line order, each line with exactly one hidden member hides its smallest
        shown member; again until no line changes."""
        members, hidden = self.members, self.hidden
        changed = True
        while changed:
            changed = False
            count = members @ hidden.astype(np.int64)
            start = 0
            while True:
                ones = np.flatnonzero((count[start:] == 1) & self.open_line[start:])
                if not ones.size:
                    break
                i = start + int(ones[0])
                before = hidden.copy()
                if self.hide_smallest(self.lines[i]):
                    changed = True
                    count += members @ (hidden & ~before).astype(np.int64)
                start = i + 1

    def failing(self, *, strict: bool, upper: np.ndarray | None,
                lower: np.ndarray | None) -> tuple[list[int], np.ndarray]:
        """The hidden cells the audit narrows now (the integer range of each, given every
        shown count and every line), and which hidden cells are small counts still shown
        as "<5" (not as "[c]")."""
        hidden, vals, m = self.hidden, self.vals, self.m
        # zeros hidden on purpose (by the rules above, or by the caller for the same
        # reason): each must keep every value from 0 to min_count - 1 possible, or it
        # states its 0 again
        held = hidden & (vals == 0) & ~self.unseen & ~self.fixed
        small = hidden & self.primary & ~self.as_c
        lb = np.where(hidden, np.where(small, 1, 0), self.vis[:, 0]).astype(float)
        ub = np.where(hidden, np.where(small, m - 1, math.inf), self.vis[:, 1]).astype(float)
        if upper is not None:
            ub = np.minimum(ub, np.asarray(upper, dtype=float))
        if lower is not None:
            lb = np.maximum(lb, np.minimum(np.asarray(lower, dtype=float), ub))
        targets = np.flatnonzero(hidden & ~self.unseen if strict else self.primary | held)
        # (a held zero below m - 1 fails whatever its exact high end: none is searched)
        ranges = solve_ranges(self.system, targets.tolist(), lb, ub, check_all=False,
                              seen=self.seen, quick=m, memo=self.memo,
                              reach=np.flatnonzero(held).tolist(), bases=self.bases)
        if strict:
            failing = [j for j in targets if verdict("<" if small[j] else "[c]", "<", m,
                                                      *ranges[j]) or
                       (held[j] and ranges[j][1] < m - 1)]
        else:
            # (a held zero is 0 in one solution: it passes once it can reach m - 1)
            failing = [j for j in targets if not (ranges[j][0] <= 1 <= m - 1 <= ranges[j][1])]
        if self.loose.any():  # exact ranges (not the quick verdict's) of the vague cells
            exact = solve_ranges(self.system, np.flatnonzero(self.loose).tolist(), lb, ub,
                                 check_all=False, seen=self.seen, bases=self.bases)
            failing = sorted({*failing, *(j for j, (lo, hi) in exact.items() if lo == hi)})
        return failing, small

    def widen(self, failing: list[int], small: np.ndarray) -> None:
        """For each failing cell (smallest rank first), hide the smallest shown non-zero
        cell on one of its lines; where its lines have none left and hold other hidden
        small counts, those narrow each other: show them as "[c]"."""
        hidden, as_c, lines, line_of = self.hidden, self.as_c, self.lines, self.line_of
        for j in sorted(failing, key=lambda j: self.order[j]):
            mine = [lines[i] for i in
                    line_of.indices[line_of.indptr[j]:line_of.indptr[j + 1]]]
            dry = [ln for ln in mine
                   if not (~hidden[ln] & ~self.fixed[ln] & (self.vals[ln] > 0)).any()]
            tied = [ln for ln in dry if (small[ln].sum() - small[j]) > 0]
            if tied:
                for ln in tied:
                    as_c[ln[small[ln]]] = True
                as_c[j] |= bool(small[j])
                continue
            # (a cell on two of its lines comes twice: the smallest rank is one cell)
            mates = np.concatenate(mine) if mine else np.array([], dtype=int)
            if not self.hide_smallest(mates[mates != j]):
                for ln in mine:
                    as_c[ln[small[ln]]] = True
                as_c[j] |= bool(small[j])


#: A published table is checked by integer programming (:func:`audit_table`) when the rule of
#: thumb hides at most this many of its cells (and tables protected together, at most this
#: many together). The all-Wales benchmark's largest, the Estyn report's leavers tables by
#: SRB protected together, hide about 2,800 (281 SRBs); bound propagation in the audit's
#: engine (:func:`srb_eval.report.audit_rules.solve_ranges`) keeps it to tens of seconds.
#: Larger tables keep the rule of thumb only, and the render's audit then refuses them.
#: (It was 150 until the Wales benchmark showed that those tables leaked: 923 hidden
#: counts narrowed.)
MAX_AUDITED_HIDDEN = 5_000


def audit_table(values: np.ndarray, hidden: np.ndarray, t: Thresholds, *,
             margin_row: int | None, margin_col: int | None, assume_margins: bool,
             known: np.ndarray | None = None,
             strict: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Secondary suppression completed until no hidden count of the table can be narrowed.

    The table's lines (each row with its row total, each column with its column total,
    as :func:`srb_eval.report.suppression.suppress_counts` reads them; an assumed margin is a known extra cell) go to
    :func:`protect_lines`, starting from the cells the
    rule of thumb hid. A line with a missing count is not a line (readers cannot
    subtract through it). ``known`` (shaped like ``values``): cells readers know whatever
    the table shows (a zero by design), never hidden. ``strict`` as for
    :func:`protect_lines` (default False: only the small counts are kept wide). Returns
    ``(hidden, as_c)`` shaped like ``values``.
    """
    n_rows, n_cols = values.shape
    missing = np.isnan(values)
    flat = np.where(missing, 0, values).astype(np.int64).ravel()
    cells = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    extra: list[int] = []
    lines: list[np.ndarray] = []

    def add(members: np.ndarray, margin: int | None) -> None:
        if missing.ravel()[members].any():
            return
        if margin is None:
            extra.append(int(flat[members].sum()))
            kinds.append("known")
            total = n_rows * n_cols + len(extra) - 1
        else:
            total = int(members[margin])
            members = np.delete(members, margin)
        lines.append(np.concatenate([[total], members]))

    kinds: list[str] = []

    if margin_col is not None or assume_margins:
        for r in range(n_rows):
            add(cells[r], margin_col)
    if margin_row is not None or assume_margins:
        for c in range(n_cols):
            add(cells[:, c], margin_row)
    if not lines:
        return hidden, np.zeros_like(hidden)
    # A total may count more than its parts (categories the table does not show): then
    # every line of that direction gets an unseen remainder, as readers cannot know
    # which lines are complete.
    remainder = [int(flat[ln[0]] if ln[0] < flat.size else extra[ln[0] - flat.size])
                 - int(flat[ln[1:]].sum()) for ln in lines]
    if any(r < 0 for r in remainder):
        return hidden, np.zeros_like(hidden)  # not totals of these parts: nothing to add
    if any(remainder):
        for i, ln in enumerate(lines):
            extra.append(remainder[i])
            kinds.append("unseen")
            lines[i] = np.append(ln, n_rows * n_cols + len(extra) - 1)
    vals = np.concatenate([flat, np.array(extra, dtype=np.int64)])
    size = n_rows * n_cols
    known = np.concatenate([np.zeros(size, dtype=bool) if known is None
                            else np.asarray(known, dtype=bool).ravel(),
                            np.array([k == "known" for k in kinds], dtype=bool)])
    unseen = np.array([False] * size + [k == "unseen" for k in kinds])
    start = np.concatenate([hidden.ravel(), np.zeros(len(extra), dtype=bool)])
    done, as_c = protect_lines(vals, lines, t, hidden=start, known=known, unpublished=unseen,
                               strict=strict)
    return (done[:size].reshape(n_rows, n_cols) | hidden,
            as_c[:size].reshape(n_rows, n_cols))
