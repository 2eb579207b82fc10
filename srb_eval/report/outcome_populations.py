"""The populations the Estyn-style outcome measures count, and what their cells say.

Each measure of :data:`srb_eval.measures.outcomes.MEASURES` counts some learners (its n)
split by one yes/no or category dim (:data:`POPULATIONS`); measures of one population
share its name. From the cell texts of :func:`srb_eval.report.outcomes.display_measures`
("19 of 30 (63%)", "[c] of 28", "<5 of 15", "(30 learners)") this module

- protects a published table of measures one population at a time, its groups and
  categories with their sizes as totals (:func:`protect_populations`, the strict rule of
  :func:`srb_eval.report.cube_protection.protect_lines`);
- writes the table's disclosure record (:func:`measures_record`) for the audit.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..measures import outcomes as M
from . import disclosure
from .audit import RECORD_FORMAT, check_record
from .cube_protection import MAX_AUDITED_HIDDEN, protect_lines
from .quantifiers import NO_DATA, NOT_JUDGED, TOO_FEW
from .table_records import measure_name

__all__ = ["POPULATIONS", "cell_counts", "inclusion_report_counts", "measures_record",
           "protect_populations", "shown_numbers"]


#: The population each measure of :data:`srb_eval.measures.outcomes.MEASURES` counts (its
#: n), the dim its count splits them by, that dim's categories and the category counted;
#: measures sharing a population share its name in records. ``None``: not a count of
#: learners (unfilled places: public places less the learners on roll).
POPULATIONS: dict[str, tuple[str, str, tuple[str, ...], str] | None] = {
    **{f"progress_{a}": (f"learners_judged_{a}", "progress",
                         ("at least expected", "below expected"), "at least expected")
       for a in M.AREAS},
    "leavers_with_award": ("leavers_16_plus", "award", ("with an award", "without"),
                           "with an award"),
    "attendance_rate": ("learners_with_attendance", "persistently absent", ("yes", "no"),
                        "yes"),
    "persistent_absence": ("learners_with_attendance", "persistently absent", ("yes", "no"),
                           "yes"),
    "learners_excluded": ("learners_placed", "excluded", ("yes", "no"), "yes"),
    "exclusion_rate": ("learners_placed", "excluded", ("yes", "no"), "yes"),
    "inclusion_at_least_half": ("learners_with_inclusion_latest_term", "at least half",
                                ("yes", "no"), "yes"),
    "inclusion_rising": ("learners_with_inclusion_trend", "trend",
                         ("rising", "steady", "falling"), "rising"),
    "inclusion_falling": ("learners_with_inclusion_trend", "trend",
                          ("rising", "steady", "falling"), "falling"),
    "returned_to_mainstream": ("placements_ended", "destination", (), "mainstream"),
    "stayed_after_exit_criterion": ("learners_with_core_inclusion",
                                    "stayed after exit criterion", ("yes", "no"), "yes"),
    "unfilled_places": None,
}
_OF = re.compile(r"^(?:[^:]*: )?(more than )?(\S+) of (\S+)(?: \((\d+(?:\.\d+)?)%\))?$")
_LEARNERS = re.compile(r"\((\S+) learners\)$")
_PER_100 = re.compile(r"\((\S+) exclusions, (\S+) learners\)$")


def cell_counts(text: str, unit: str, t: disclosure.Thresholds
                 ) -> tuple[str | None, str | None, str | None, str | None]:
    """What one measure cell states: (count, complement, n, percentage) texts or None."""
    if text in (NO_DATA,):
        return None, None, None, None
    if text.startswith(TOO_FEW) or text == disclosure.SUPPRESSED_TEXT:
        return disclosure.SUPPRESSED_TEXT, None, disclosure.SUPPRESSED_TEXT, None
    if unit == "sessions":
        hit = _LEARNERS.search(text)
        return None, None, (hit.group(1) if hit else None), None
    if unit == "per_100":
        hit = _PER_100.search(text)
        return (hit.group(1), None, hit.group(2), None) if hit else (None, None, None, None)
    hit = _OF.match(text)
    if not hit:
        return None, None, None, None
    more, count, n, pct = hit.groups()
    if more:
        return disclosure.SUPPRESSED_TEXT, t.small_count_text, n, None
    return count, None, n, (pct + "%" if pct else None)


def measures_record(display: pd.DataFrame, shown: pd.DataFrame, *, table: str,
                    academic_year: str, rows: str = "group_label",
                    row_column: str | None = None, column: str | None = None,
                    categories: dict[str, Sequence[str]] | None = None,
                    measures: pd.DataFrame | None = None,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of a :func:`measure_table` of :func:`display_measures`.

    Each cell states a count of learners of a population (its n, measure named by
    :data:`POPULATIONS` and the year, e.g. ``learners_with_attendance_2025/26``) and how
    many of them fall in a category ("19 of 30 (63%)": 19 of the 30 are "yes"; "more than
    10 of 15": fewer than 5 are not; "too few to judge": the n is hidden; an exclusion rate
    also counts exclusions, ``exclusions_<year>``). Groups are ``srb_id`` or
    ``primary_need`` with the authority as their total; ``categories`` lists every group of
    each (default: the groups of ``display``). Rates of sessions and places are not counts
    of learners and are not recorded. ``rows`` is as in :func:`measure_table`; the rows of
    ``shown`` are found in ``row_column`` (default its first column) and, with ``column``
    (e.g. a year of the year-on-year table), every cell is in that column. With
    ``measures`` (the :func:`~srb_eval.measures.outcomes.outcome_measures` the display was
    made from), a population's groups are recorded as adding up to the authority only
    where they do for each of its measures (a learner who moved SRB counts in each SRB
    and once for the authority).
    """
    t = disclosure.check_thresholds(thresholds)
    first = shown.columns[0] if row_column is None else row_column
    across = "label" if rows == "group_label" else "group_label"
    pos = {str(v): i for i, v in enumerate(shown[first])}
    texts = {c: [str(v) for v in shown[c].tolist()] for c in dict.fromkeys(shown.columns)}
    cats = {g: tuple(map(str, c)) for g, c in (categories or {}).items()}
    for g in ("srb_id", "primary_need"):
        if g not in cats and (display["group_type"] == g).any():
            cats[g] = tuple(dict.fromkeys(display.loc[display["group_type"] == g, "group"]
                                          .astype("str")))
    adds: dict[tuple[str, str], bool] = {}
    if measures is not None:
        for (me, g), sub in measures.loc[measures["group_type"] != "authority"].groupby(
                ["measure", "group_type"], sort=False):
            whole = measures.loc[(measures["measure"] == me)
                                 & (measures["group_type"] == "authority")]
            ok = len(whole) == 1 and all(
                float(sub[c].sum()) == float(whole[c].iloc[0]) for c in ("count", "n_learners"))
            pop = POPULATIONS.get(me)
            if pop is not None:
                adds[(pop[0], g)] = adds.get((pop[0], g), True) and ok
    cells, ratios, parts = [], [], {}
    # the display's columns as lists of Python objects (one conversion per column)
    fields = dict.fromkeys(("measure", "group_type", "group", "unit", across, rows))
    Row = namedtuple("Row", fields, rename=True)
    for r in map(Row._make, zip(*(display[c].tolist() for c in fields), strict=True)):
        pop = POPULATIONS.get(r.measure)
        col = str(getattr(r, across)) if column is None else column
        at = pos.get(str(getattr(r, rows)))
        if pop is None or at is None or col not in shown.columns:
            continue
        name, dim, kinds, cat = pop
        others = [k for k in kinds if k != cat]
        m = measure_name(name, academic_year)
        dims = {} if r.group_type == "authority" else {r.group_type: str(r.group)}
        if r.group_type in cats and adds.get((name, r.group_type), True):
            parts[(m, r.group_type)] = cats[r.group_type]
        if kinds:
            parts[(m, dim)] = kinds
        count, rest, n, pct = cell_counts(texts[col][at], r.unit, t)
        where = {"table": table, "row": at, "column": col}
        if n is not None:
            cells.append({**where, "measure": m, "dims": dims, "text": n})
        if r.unit == "per_100" and count is not None:
            e = measure_name("exclusions", academic_year)
            if r.group_type in cats:
                parts[(e, r.group_type)] = cats[r.group_type]
            cells.append({**where, "measure": e, "dims": dims, "text": count})
            continue
        if r.unit != "learners":
            continue
        if count is not None:
            cells.append({**where, "measure": m, "dims": {**dims, dim: cat}, "text": count})
        if rest is not None and len(others) == 1:  # else the rest is no one category
            cells.append({**where, "measure": m, "dims": {**dims, dim: others[0]},
                          "text": rest})
        if pct is not None:
            ratios.append({**where, "text": pct, "decimals": len(pct.rstrip("%").partition(
                ".")[2]),
                           "numerator": {"measure": m, "dims": {**dims, dim: cat}},
                           "denominator": {"measure": m, "dims": dims}})
    return check_record({
        "format": RECORD_FORMAT, "report": "",
        "policy": {"min_count": t.min_count, "round_to": t.round_to,
                   "small_count_text": t.small_count_text,
                   "suppressed_text": disclosure.SUPPRESSED_TEXT},
        "cells": cells, "ratios": ratios,
        "partitions": [{"measure": m, "dim": d, "categories": list(c)}
                       for (m, d), c in parts.items()]})


def shown_numbers(cell: str, unit: str, t: disclosure.Thresholds) -> tuple[bool, bool, bool]:
    """Whether a measure cell shows its n, its count and its complement as numbers."""
    count, rest, n, _ = cell_counts(cell, unit, t)
    markers = (t.small_count_text, disclosure.SUPPRESSED_TEXT)
    n_ok = n is not None and n not in markers
    c_ok = unit == "learners" and n_ok and count is not None and count not in markers
    return n_ok, c_ok, c_ok or rest is not None  # "more than": the complement is small


def inclusion_report_counts(ds: Any, *, until: object,
                            thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                            ) -> dict[str, pd.DataFrame] | None:
    """What the all-SRB published inclusion report (termly shares, the whole data) shows
    of the learners the Estyn report counts by trend, as :func:`protect_populations`
    takes it (``known``), or None (no inclusion records, or data after ``until``, the
    end of the Estyn report's year: the trends are then not the same).

    See :func:`srb_eval.report.inclusion_tables.shown_trend_counts`.
    """
    from ..measures import inclusion_data
    from .inclusion_records import population_name
    from .inclusion_tables import shown_trend_counts

    if not ds.has("inclusion"):
        return None
    whole = inclusion_data.prepare(ds.inclusion, ds.placements, ds.srbs)
    shown = shown_trend_counts(
        whole.shares, whole.trends, ds.learners, ds.srbs, until=until,
        measure=population_name({"period": "term", "window_start": None,
                                 "window_end": None}), disclosure_thresholds=thresholds)
    return None if shown is None else {POPULATIONS["inclusion_rising"][0]: shown}


def protect_populations(out: pd.DataFrame, thresholds: disclosure.Thresholds,
                         known: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Hide further cells until no hidden count of a population can be narrowed.

    The measures of one population (:data:`POPULATIONS`: learners with attendance records
    behind the attendance rate and persistent absence; learners with a trend behind rising
    and falling) are one table: groups (the authority their total) by the categories of
    the population's dim, with the group sizes (n) as row totals. Each measure is
    protected on its own by :func:`~srb_eval.report.quantifiers.share_cells`, whose
    secondary suppression lets a hidden count of ``min_count`` or more be narrowed; the
    audit of a published table asks that no hidden count be narrowed to part of 1 to
    ``min_count - 1`` (:func:`srb_eval.report.audit_rules.verdict`), so this runs
    :func:`srb_eval.report.cube_protection.protect_lines` on that table (strict) and hides
    the cells it adds: a hidden n makes the cell "[c]", a hidden count "[c] of n".

    ``known`` (``{population name: table}``) gives what another published report shows
    of a larger group of the same learners with the same categories (the inclusion
    report's trend by SRB holds every learner of the Estyn report's trend, with the same
    trend where the year is the last of the data): a table with ``group`` (as in
    ``out``), ``n`` and a column per category, NaN where hidden. Each group's n and
    counts here are at most those, and each count at least that count less the learners
    the other report has beyond these; the protection takes it as readers' knowledge
    (the inclusion report's "steady: 9 of 19" with "rising <5 of 15" and "falling <5 of
    15" here gave each of the two as 2 to 4).
    """
    out = out.copy()
    pops: dict[str, list[str]] = {}
    for m in dict.fromkeys(out["measure"]):
        if POPULATIONS.get(m) is not None:
            pops.setdefault(POPULATIONS[m][0], []).append(m)
    for ids in pops.values():
        _protect_population(out, ids, thresholds, known)
    return out


def _protect_population(out: pd.DataFrame, ids: list[str], t: disclosure.Thresholds,
                        known: Mapping[str, pd.DataFrame] | None) -> None:
    """:func:`protect_populations` for the measures ``ids`` of one population: hides, in
    ``out`` (in place), the cells :func:`protect_lines` adds to their joint table."""
    _, _, kinds, _ = POPULATIONS[ids[0]]
    rows = {m: out.index[out["measure"] == m] for m in ids}
    groups = list(dict.fromkeys(out.loc[rows[ids[0]], "group"].astype("str")))
    if any(list(out.loc[rows[m], "group"].astype("str")) != groups for m in ids):
        return  # not the same groups: left as protected one by one
    r = len(groups)
    counted = [m for m in ids if out.loc[rows[m][0], "unit"] == "learners"]
    cats = list(kinds) if kinds else []
    nk = len(cats)
    n_true = out.loc[rows[ids[0]], "n_learners"].to_numpy(dtype=float)
    x, n_shown, x_shown, x_pub = _stated(out, ids, rows, counted, cats, t)
    if nk:
        missing = np.isnan(x).all(axis=0)
        if missing.sum() == 1:
            x[:, missing] = (n_true - np.nansum(x, axis=1))[:, None]
        if np.isnan(x).any() or np.isnan(n_true).any() or (x < 0).any():
            return
    if np.isnan(n_true).any():
        return
    vals = np.concatenate([n_true, x.ravel()]).astype(np.int64)
    pos_x = r + np.arange(r * nk).reshape(r, nk) if nk else np.zeros((r, 0), dtype=int)
    lines = _population_lines(vals, pos_x)
    hidden = np.concatenate([~n_shown, ~x_shown.ravel() if nk else np.zeros(0, bool)])
    if not lines or hidden.sum() > MAX_AUDITED_HIDDEN:
        return  # (national data: the rule of thumb only, as suppress_counts)
    unseen = np.concatenate([np.zeros(r, dtype=bool), ~x_pub.ravel()])
    hidden &= ~unseen
    other = (known or {}).get(POPULATIONS[ids[0]][0])
    upper, lower = _known_bounds(other, groups, cats, pos_x, n_true, len(vals))
    done, as_c = protect_lines(vals, lines, t, hidden=hidden, unpublished=unseen,
                               strict=True, upper=upper, lower=lower)
    more_n = done[:r] & ~hidden[:r]
    more_x = (done[r:] & ~hidden[r:] & ~unseen[r:]).reshape(r, nk) if nk else \
        np.zeros((r, 0), bool)
    c_x = as_c[r:].reshape(r, nk) if nk else np.zeros((r, 0), bool)
    for m in ids:
        cat = POPULATIONS[m][3]
        k = cats.index(cat) if (m in counted and cat in cats) else None
        hide_count = np.zeros(r, dtype=bool)
        if k is not None:
            hide_count = more_x[:, k] | c_x[:, k]
            if nk == 2:
                hide_count |= more_x[:, 1 - k] | c_x[:, 1 - k]
        _hide_cells(out, rows[m], more_n.copy(), hide_count)


def _stated(out: pd.DataFrame, ids: list[str], rows: Mapping[str, pd.Index],
            counted: list[str], cats: list[str], t: disclosure.Thresholds
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the cells of one population's measures state: ``x`` (groups x categories,
    the counts; NaN for a category no measure counts), whether each group's n is shown,
    whether each count is shown, and whether a cell states it at all (shown or hidden).
    Categories not measured are the rest of n (binary: n - count; the trend's "steady":
    n - rising - falling)."""
    r, nk = len(rows[ids[0]]), len(cats)
    x = np.full((r, nk), np.nan)
    n_shown = np.zeros(r, dtype=bool)
    x_shown = np.zeros((r, nk), dtype=bool)
    x_pub = np.zeros((r, nk), dtype=bool)  # a cell states it (shown or hidden)
    for m in ids:
        unit = out.loc[rows[m][0], "unit"]
        cat = POPULATIONS[m][3]
        got = np.array([shown_numbers(str(c), unit, t)
                        for c in out.loc[rows[m], "cell"]]).reshape(r, 3)
        n_shown |= got[:, 0]
        if m in counted and cat in cats:
            k = cats.index(cat)
            x[:, k] = out.loc[rows[m], "count"].to_numpy(dtype=float)
            x_shown[:, k] |= got[:, 1]
            x_pub[:, k] = True
            if nk == 2:  # the complement: n less a shown count (exact), or stated
                # as "<5" by "more than 24 of 29" (hidden: from 1 to min_count - 1,
                # not known exactly; taken as shown, it fixed the count, whose
                # complement was then hidden as "[c] of 29", which says less than the
                # "<5" and let the count be narrowed to part of 1 to min_count - 1)
                x_shown[:, 1 - k] |= got[:, 1]
                x_pub[:, 1 - k] |= got[:, 2]
    return x, n_shown, x_shown, x_pub


def _population_lines(vals: np.ndarray, pos_x: np.ndarray) -> list[np.ndarray]:
    """The lines of one population's table (cells: the ``r`` groups' n, the last group
    the authority, then the counts at ``pos_x``): the authority's n is the sum of the
    groups' n, each n the sum of its categories, each category's authority count the sum
    of the groups'. A line whose whole is not the sum of its parts is left out (a learner
    who moved SRB counts in each: readers cannot subtract through it)."""
    r, nk = pos_x.shape
    total = r - 1
    lines = [np.array([total, *range(total)])] if r > 1 else []
    if nk:
        lines += [np.array([i, *pos_x[i]]) for i in range(r)]
        lines += [np.array([pos_x[total, k], *pos_x[:total, k]]) for k in range(nk)
                  if r > 1]
    return [ln for ln in lines if vals[ln[0]] == vals[ln[1:]].sum()]


def _known_bounds(other: pd.DataFrame | None, groups: list[str], cats: list[str],
                  pos_x: np.ndarray, n_true: np.ndarray, size: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """What readers know of each cell from ``other`` (see :func:`protect_populations`,
    ``known``): at most the larger group's n and count, at least that count less the
    learners it has beyond this group."""
    upper = np.full(size, np.inf)
    lower = np.zeros(size)
    if other is None or not cats:
        return upper, lower
    rows_of = {str(g): i for i, g in enumerate(other["group"].astype("str"))}
    for i, g in enumerate(groups):
        j = rows_of.get(g)
        if j is None:
            continue
        big = float(other["n"].iloc[j])
        upper[i] = big if np.isfinite(big) else np.inf
        for k, cat in enumerate(cats):
            v = float(other[cat].iloc[j]) if cat in other.columns else np.nan
            if np.isfinite(v):
                upper[pos_x[i, k]] = v
                if np.isfinite(big):
                    lower[pos_x[i, k]] = max(v - (big - n_true[i]), 0.0)
    return upper, lower


def _hide_cells(out: pd.DataFrame, idx: pd.Index, hide_all: np.ndarray,
                hide_count: np.ndarray) -> None:
    """Hide, in ``out`` (in place), one measure's cells at ``idx``: where ``hide_all``,
    the whole cell ("[c]"); where ``hide_count``, its count ("[c] of n"). Cells that
    state no number ("no data", "too few to judge", "[c]") stay."""
    cells = out.loc[idx, "cell"].astype("str").to_numpy()
    judged = out.loc[idx, "judged"].to_numpy(dtype=bool)
    n_text = out.loc[idx, "n_text"].astype("str").to_numpy()
    keep = np.isin(cells, [NO_DATA]) | np.char.startswith(cells.astype(str), TOO_FEW) \
        | (cells == disclosure.SUPPRESSED_TEXT)
    new_all = hide_all & ~keep
    new_count = hide_count & ~hide_all & ~keep
    if not (new_all.any() or new_count.any()):
        return
    cells = np.where(new_all, disclosure.SUPPRESSED_TEXT, cells)
    cells = np.where(new_count, disclosure.SUPPRESSED_TEXT + " of " + n_text, cells)
    hit = new_all | new_count
    out.loc[idx, "cell"] = cells
    out.loc[idx, "phrase"] = np.where(hit, cells, out.loc[idx, "phrase"])
    out.loc[idx, "value_text"] = np.where(hit, disclosure.SUPPRESSED_TEXT,
                                          out.loc[idx, "value_text"])
    out.loc[idx, "quantifier"] = np.where(hit & judged, NOT_JUDGED, out.loc[idx, "quantifier"])
    out.loc[idx, "value_shown"] = np.where(hit, np.nan, out.loc[idx, "value_shown"])
    out.loc[idx, "count_text"] = np.where(new_count | new_all, disclosure.SUPPRESSED_TEXT,
                                          out.loc[idx, "count_text"])
    out.loc[idx, "n_text"] = np.where(new_all, disclosure.SUPPRESSED_TEXT, n_text)
