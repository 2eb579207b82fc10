"""Wording helpers shared by the progress, targets and profile reports: counts out of a
total, numbers as text, and statistics hidden for small groups, each following the
disclosure policy (:mod:`srb_eval.report.disclosure`) and its thresholds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import disclosure, suppression
from .cube_protection import MAX_AUDITED_HIDDEN, protect_lines
from .disclosure import DEFAULT_THRESHOLDS, Thresholds

__all__ = ["LEARNER_COUNTS", "RESULT_STATUSES", "count_phrase", "count_word", "few_learners",
           "hidden_learner_counts", "hidden_statuses", "hide_small", "line_counts", "number_text", "of_phrase", "percent_text",
           "too_few"]

#: The columns of a coverage row that count results by status; they add up to
#: ``results`` (:func:`srb_eval.measures.progress_groups.coverage`).
RESULT_STATUSES = ("results_measured", "results_too_soon", "results_no_follow_up")

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_word(n: int) -> str:
    """A small whole number in words (``5 -> "five"``), larger ones as digits.

    Examples
    --------
    >>> count_word(5), count_word(12)
    ('five', '12')
    """
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def of_phrase(count: Any, n: Any, audience: str, noun: str = "learners",
              thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """``"14 of 20 learners (70%)"`` for the audience (small counts controlled).

    Examples
    --------
    >>> of_phrase(14, 20, "internal")
    '14 of 20 learners (70%)'
    """
    phrase = str(suppression.count_with_share(int(count), int(n), audience=audience,
                                              noun=noun, thresholds=thresholds))
    if " of " in phrase and "(" in phrase:
        head, pct = phrase.rsplit(" (", 1)
        return f"{head} {noun} ({pct}"
    if " of " in phrase:
        return f"{phrase} {noun}"
    return phrase


def count_phrase(n: Any, audience: str, noun: str,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """``"12 learners"``, or ``"<5 learners"`` for a published small count.

    Examples
    --------
    >>> count_phrase(3, "published", "learners"), count_phrase(3, "internal", "learners")
    ('<5 learners', '3 learners')
    """
    n = int(n)
    if audience == "published" and 0 < n < thresholds.min_count:
        return f"{thresholds.small_count_text} {noun}"
    return f"{n:,} {noun}"


def too_few(n: Any, audience: str, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """True for none, or (published) fewer than the policy's minimum denominator."""
    return int(n) == 0 or (audience == "published" and int(n) < thresholds.min_denominator)


def number_text(x: Any, decimals: int = 1, sign: bool = False) -> str:
    """A number rounded for display; ``"no data"`` when missing.

    Examples
    --------
    >>> number_text(2.345), number_text(-0.01), number_text(1.5, sign=True)
    ('2.3', '0.0', '+1.5')
    """
    if x is None or pd.isna(x):
        return "no data"
    v = round(float(x), decimals) + 0.0
    return f"{v:+.{decimals}f}" if sign else f"{v:.{decimals}f}"


def hide_small(text: pd.Series, n: Any, audience: str,
               thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.Series:
    """Statistics of groups under the published minimum shown as "[c]"."""
    if audience != "published":
        return text
    small = np.asarray(n, dtype=float) < thresholds.min_denominator
    return text.where(~small, disclosure.SUPPRESSED_TEXT)


def line_counts(t: pd.DataFrame, lines: Sequence[tuple[Sequence[str], str | None]], *,
                audience: str, group: str | None = None,
                thresholds: Thresholds = DEFAULT_THRESHOLDS,
                hide_rows: np.ndarray | None = None,
                hidden: Mapping[str, np.ndarray] | None = None,
                known_totals: Mapping[str, int] | None = None,
                known: Mapping[str, np.ndarray] | None = None,
                as_c: Mapping[str, np.ndarray] | None = None,
                at_most: Mapping[str, np.ndarray] | None = None
                ) -> dict[str, pd.Series]:
    """Count columns as text, suppressed line by line, then audited as one table.

    ``lines`` lists ``(cells, total)``: count columns that add up to ``total`` (a column,
    or None). Each line gets primary and secondary suppression
    (:func:`srb_eval.report.suppression.suppress_counts`) with its total as the row margin
    and, when ``group`` has an ``"all"`` row, that row as the column margin. Published,
    the whole table is then protected by
    :func:`srb_eval.report.cube_protection.protect_lines` with the audit's rule (``strict``:
    a hidden ``"[c]"`` may be narrowed to none or all of 1 to ``min_count - 1``, never
    part of it, as ``srb-eval audit`` checks it): every row of a line with its total,
    every column with its ``"all"`` row (or its ``known_totals``).

    ``hide_rows`` (published): rows whose cells (not their totals) are hidden whatever
    their size, e.g. groups too small for the percentages of those cells
    (:func:`few_learners`): a percentage is hidden if and only if its numerator is.
    ``hidden``: ``{column: rows}`` hidden whatever their size, e.g. the counts another
    published report hides (the all-SRB report's row of a resource base, in that resource
    base's own report). ``known_totals``: ``{column: sum of the rows}`` that readers know
    from another table of the report (a column margin not shown here). ``known``:
    ``{column: rows}`` that readers know exactly from another table (the audit links
    them): never narrowed here. ``as_c``: ``{column: rows}`` whose small counts are shown
    as ``"[c]"`` rather than ``"<5"`` (say less), e.g. parts of a count another report
    hides, since several ``"<5"`` parts would narrow it. ``at_most``: ``{column: bound of
    each row}`` that readers know from another report (``inf``: nothing), e.g. parts of
    a count it shows as ``"48"`` or ``"<5"``.
    """
    has_total = group is not None and bool((t[group].astype("str") == "all").any())
    out: dict[str, pd.Series] = {}
    for cells, total in lines:
        cols = [*cells, *([total] if total else [])]
        frame = t[([group] if group else []) + cols]
        hide = {} if hide_rows is None or total is None else {c: hide_rows for c in cells}
        for c, rows in (hidden or {}).items():
            if c in cols:
                hide[c] = np.asarray(rows, dtype=bool) | hide.get(c, False)
        shown = suppression.suppress_counts(frame, list(cells), audience=audience,
                                            thresholds=thresholds, total_column=total,
                                            total_row="all" if has_total else None,
                                            hide=hide or None)
        for c in cols:
            out[c] = shown[c]
    if audience == "published":
        for c, rows in (as_c or {}).items():
            if c in out:
                small = np.asarray(rows, dtype=bool) & (out[c] == thresholds.small_count_text
                                                        ).to_numpy()
                out[c] = out[c].astype(object).where(~small, disclosure.SUPPRESSED_TEXT)
        _protect_table(t, lines, out, group if has_total else None, thresholds,
                       known_totals or {}, known or {}, at_most or {})
    return out


def _protect_table(t: pd.DataFrame, lines: Sequence[tuple[Sequence[str], str | None]],
                   out: dict[str, pd.Series], group: str | None, thresholds: Thresholds,
                   known_totals: Mapping[str, int], known_cells: Mapping[str, np.ndarray],
                   bounds: Mapping[str, np.ndarray]) -> None:
    """Hide further cells of ``out`` (in place) until the table passes the audit's rule."""
    cols = list(out)
    n = len(t)
    markers = [thresholds.small_count_text, disclosure.SUPPRESSED_TEXT]
    values = np.column_stack([suppression.as_counts(t[c], c) for c in cols]) if n else (
        np.zeros((0, len(cols))))
    if n == 0 or np.isnan(values).any():
        return
    cell = np.arange(n * len(cols)).reshape(n, len(cols))
    vals = list(values.astype(np.int64).ravel())
    known = list(np.column_stack([np.asarray(known_cells.get(c, np.zeros(n, bool)), bool)
                                  for c in cols]).ravel())
    unseen = [False] * len(vals)
    members: list[list[int]] = []
    for cells, total in lines:
        if total is not None:
            for r in range(n):
                members.append([cell[r, cols.index(total)]]
                               + [cell[r, cols.index(c)] for c in cells])
    totals = (t[group].astype("str") == "all").to_numpy() if group else np.zeros(n, bool)
    for j, c in enumerate(cols):
        if totals.any():
            a = int(np.flatnonzero(totals)[0])
            line = [cell[a, j]] + [cell[r, j] for r in range(n) if r != a]
        elif c in known_totals:
            vals.append(int(known_totals[c]))
            known.append(True)
            unseen.append(False)
            line = [len(vals) - 1] + list(cell[:, j])
        else:
            continue
        rest = vals[line[0]] - sum(vals[k] for k in line[1:])
        if rest < 0:
            continue  # not a total of these rows (a learner counts in several)
        if rest > 0:  # readers cannot know the remainder: an unseen row
            vals.append(rest)
            known.append(False)
            unseen.append(True)
            line.append(len(vals) - 1)
        members.append(line)
    start = np.zeros(len(vals), dtype=bool)
    start[:n * len(cols)] = np.column_stack([out[c].isin(markers).to_numpy()
                                             for c in cols]).ravel()
    as_c = np.zeros(len(vals), dtype=bool)
    as_c[:n * len(cols)] = np.column_stack([(out[c] == disclosure.SUPPRESSED_TEXT).to_numpy()
                                            for c in cols]).ravel()
    start &= ~np.array(known)
    if not members or not start.any() or start.sum() > MAX_AUDITED_HIDDEN:
        return
    upper = np.full(len(vals), np.inf)
    upper[:n * len(cols)] = np.column_stack([np.asarray(bounds.get(
        c, np.full(n, np.inf)), dtype=float) for c in cols]).ravel()
    done, as_c = protect_lines(np.array(vals, dtype=np.int64), [np.array(m) for m in members],
                               thresholds, hidden=start, known=np.array(known),
                               unpublished=np.array(unseen), strict=True, shown_as_c=as_c,
                               upper=upper)
    more = ((done & ~start) | as_c)[:n * len(cols)].reshape(n, len(cols))
    for j, c in enumerate(cols):
        if more[:, j].any():
            out[c] = out[c].astype(object).where(~more[:, j], disclosure.SUPPRESSED_TEXT)


def percent_text(t: pd.DataFrame, shown: dict[str, pd.Series], num: str, den: str, *,
                 audience: str, small: np.ndarray,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> np.ndarray:
    """A percentage column as text: suppressed where its counts are hidden, where the
    percentage would reveal a small number, or where ``small`` (too few learners)."""
    text = suppression.suppress_percentages(t[num].astype(float), t[den].astype(float),
                                            audience=audience,
                                            thresholds=thresholds).to_numpy()
    if audience == "published":
        markers = [thresholds.small_count_text, disclosure.SUPPRESSED_TEXT]
        hidden = (shown[num].isin(markers) | shown[den].isin(markers)).to_numpy() | small
        text = np.where(hidden & (text != disclosure.NO_DATA_TEXT),
                        disclosure.SUPPRESSED_TEXT, text)
    return text


def few_learners(t: pd.DataFrame, audience: str,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> np.ndarray:
    """Rows of ``t`` with fewer learners than a published statistic needs."""
    if audience != "published":
        return np.zeros(len(t), dtype=bool)
    return t["n_learners"].to_numpy() < thresholds.min_denominator


#: The columns of a coverage row that count learners, each some of the learners placed.
LEARNER_COUNTS: tuple[str, ...] = ("learners_assessed", "learners_with_follow_up",
                                   "learners_measured")


def hidden_learner_counts(row: Any, audience: str, *, part_of_all: bool,
                          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """Whether a coverage row's learner counts (:data:`LEARNER_COUNTS`) are all hidden.

    Only in a published per-SRB report (``part_of_all``: its learners are a part of the
    all-SRB report's, each learner counting in one resource base): where the learners
    placed less any of the three counts is from 1 to ``thresholds.min_count - 1``. Those
    complements add up across the per-SRB reports to the all-SRB report's, so a small
    one beside the others' exact counts is narrowed ("more than 58 of 63" without a
    follow-up in SRB05 came back as 2 to 4 with the all-SRB "144 of 150" and "141 of
    150"). The table, heading and sentences of the coverage section all follow this.

    >>> row = {"learners_placed": 63, "learners_assessed": 63,
    ...        "learners_with_follow_up": 60, "learners_measured": 58}
    >>> hidden_learner_counts(row, "published", part_of_all=True)
    True
    >>> hidden_learner_counts(row, "published", part_of_all=False)
    False
    """
    if audience != "published" or not part_of_all:
        return False
    placed = int(row["learners_placed"])
    return any(1 <= placed - int(row[k]) < thresholds.min_count for k in LEARNER_COUNTS)


def hidden_statuses(row: Any, audience: str,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> set[str]:
    """The result statuses of a coverage row that a published report must not state.

    The statuses (:data:`RESULT_STATUSES`) add up to the results, so they are one line:
    with "299 of 328 measured" and "25 of 328 with no follow-up" shown, a hidden "<5 too
    soon to judge" is 328 - 299 - 25 = 4. The line gets primary and secondary suppression
    (:func:`srb_eval.report.suppression.suppress_counts`); the statuses it hides beyond
    the small ones (shown as "<5") are returned, except those worded "more than 25 of
    30" anyway (a small complement), which state no exact count. Internal: none.

    Examples
    --------
    >>> row = {"results": 328, "results_measured": 299, "results_too_soon": 4,
    ...        "results_no_follow_up": 25}
    >>> sorted(hidden_statuses(row, "published"))
    ['results_no_follow_up']
    """
    if audience != "published":
        return set()
    line = pd.DataFrame({k: [int(row[k])] for k in (*RESULT_STATUSES, "results")})
    shown = suppression.suppress_counts(line, list(RESULT_STATUSES), audience=audience,
                                        thresholds=thresholds, total_column="results")
    total, m = int(row["results"]), thresholds.min_count
    # "more than 25 of 30" (a small complement) already leaves the count open
    open_ = {k for k in RESULT_STATUSES if thresholds.protect_complement
             and 1 <= total - int(row[k]) < m}
    return {k for k in RESULT_STATUSES
            if shown[k].iloc[0] == disclosure.SUPPRESSED_TEXT and k not in open_}
