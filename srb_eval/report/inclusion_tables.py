"""The inclusion report's display tables: what a reader sees, disclosure-controlled.

Each ``display_*`` takes a table of the inclusion measures and returns it with plain
column headers, whole percentages and the audience's disclosure control
(:func:`srb_eval.report.suppression.safe_table`); learner-level tables are for internal
reports only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import AudienceError, check_argument
from ..measures.inclusion import (
    CORE_EXIT_SHARE,
    ESTYN_SHARE,
    TYPICAL_SHARE,
    check_share,
    check_thresholds,
    threshold_column,
)
from ..measures.inclusion_groups import threshold_shares
from . import disclosure, joint_protection, suppression
from .cube_protection import count_cube, protect_cube
from .inclusion import GROUP_TITLES, percent_text, share_text
from .table_records import TOTAL

__all__ = ["MAX_PROTECTED_GROUPS", "MAX_SUBJECTS_SHOWN", "cohort_for_audience",
           "display_exit_review", "display_learners", "display_subjects",
           "display_threshold_tables", "display_thresholds", "display_trend_counts",
           "hidden_totals", "protect_trend_counts", "published_threshold_tables",
           "published_trend_by_srb", "shown_overall", "shown_trend_counts", "subjects_shown",
           "threshold_names", "trend_cube", "trend_table_note"]

#: A published table of trend counts is protected as one cube (:func:`protect_trend_counts`)
#: for up to this many groups (an authority's resource bases, or the needs within one).
#: Protection that provably holds takes minutes beyond that, so a published report about
#: more groups shows the total row only (render one report per authority instead).
MAX_PROTECTED_GROUPS = 40

#: Most subjects a report names in its subject table and heat map: those with the most
#: timetabled minutes; the others are pooled into "other core subjects (k)" and "other
#: subjects (k)" (:func:`subjects_shown`). A school timetable has fewer; a heat map of
#: thousands of subject columns took gigabytes to draw. The measure
#: (:func:`srb_eval.measures.subjects.subject_breakdown`) stays complete.
MAX_SUBJECTS_SHOWN = 25

#: The trend counts' categories: learners with two or more periods (a trend) or one.
_PERIODS = ("two or more", "one")
_TRENDS = ("rising", "steady", "falling", "none")
#: Each count column of ``trend_counts`` as its (periods, trend) cell of the cube.
_CELLS = {"n": (TOTAL, TOTAL), "with_trend": ("two or more", TOTAL),
          "too_few_terms": ("one", TOTAL), "rising": ("two or more", "rising"),
          "steady": ("two or more", "steady"), "falling": ("two or more", "falling")}


def _rename_groups(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: GROUP_TITLES[c] for c in df.columns if c in GROUP_TITLES})


def display_thresholds(table: pd.DataFrame, *, audience: str,
                       thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                       core_threshold: float = CORE_EXIT_SHARE,
                       disclosure_thresholds: disclosure.Thresholds =
                       disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``threshold_shares`` table as a reader sees it, disclosure-controlled.

    Counts pass through :func:`srb_eval.report.suppression.safe_table` (total row ``"all"``
    when present), percentages are recomputed from them as text, medians are shown as
    whole percentages and, for a published audience, hidden ("[c]") where fewer than
    ``min_denominator`` learners stand behind them. No NaN: "no data" instead.
    """
    audience = disclosure.check_audience(audience)
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    groups = [c for c in table.columns if c in GROUP_TITLES]
    names = [threshold_column(t) for t in ts]
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    t = table[[*groups, "n", *names, "median_share", "core_n", core_name,
               "median_core_share"]].copy()
    published = audience == "published"
    small_core = published & (t["core_n"].to_numpy() < disclosure_thresholds.min_denominator)
    has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
    shown = suppression.safe_table(
        t, audience=audience, count_columns=["n", *names, "core_n", core_name],
        percent_columns={**{"pct_" + k: (k, "n") for k in names},
                         "pct_" + core_name: (core_name, "core_n")},
        n_column="n", id_columns=(), thresholds=disclosure_thresholds,
        total_row="all" if has_total else None)
    shown["median_share"] = percent_text(shown["median_share"])
    core_median = percent_text(shown["median_core_share"])
    shown["median_core_share"] = core_median.where(~small_core, disclosure.SUPPRESSED_TEXT)
    cols = threshold_names(ts, core_t)
    order = [*groups, "n"] + [c for k in names for c in (k, "pct_" + k)] + [
        "median_share", "core_n", core_name, "pct_" + core_name, "median_core_share"]
    return _rename_groups(shown[order].rename(columns=cols))


def display_threshold_tables(tables: Sequence[pd.DataFrame], *, audience: str,
                             srbs: pd.DataFrame | None = None,
                             thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                             core_threshold: float = CORE_EXIT_SHARE,
                             disclosure_thresholds: disclosure.Thresholds =
                             disclosure.DEFAULT_THRESHOLDS,
                             outer: pd.DataFrame | Sequence[pd.DataFrame] | None = None,
                             srb: str = "all",
                             outer_values: Sequence[pd.DataFrame] | None = None
                             ) -> list[pd.DataFrame]:
    """The ``threshold_shares`` tables of one report (by SRB, by phase, by need), each
    as :func:`display_thresholds` shows it, then protected together.

    They count the same learners: their "all" rows are one count, and a phase is the sum
    of its SRBs (``srbs``: ``srb_id`` and ``phase``). Protected one by one, the table by
    phase gave back a "<5" of the table by SRB where a phase has one SRB (SRB02 "at
    least 60%" = 24 - 20); :func:`srb_eval.report.joint_protection.protect_together` hides
    more cells (never fewer) until no small count of any of them can be narrowed.

    Parameters
    ----------
    tables : sequence of pandas.DataFrame
        ``threshold_shares(..., by=[group], total=True)`` tables, one group column each.
    audience : {"internal", "published"}
    srbs : pandas.DataFrame, optional
        The dataset's SRBs, to link the table by phase to the table by SRB.
    thresholds, core_threshold, disclosure_thresholds : as for :func:`display_thresholds`
    outer : pandas.DataFrame or sequence of pandas.DataFrame, optional
        For the tables of a report about one SRB (``srb``): the tables by SRB, phase and
        need that the all-SRB report of the same data and parameters publishes
        (:func:`published_threshold_tables`; a single table is the table by SRB). Every
        count the table by SRB hides in the row of ``srb`` is hidden in the "all" row of
        these tables too, and they are protected again around it: a per-SRB report
        showing "9" where the all-SRB report shows "[c]" undoes the all-SRB report's
        protection (its learners are those of the all-SRB row, plus any who moved on to
        another SRB).
    srb : str, default "all"
        The SRB the report is about, with ``outer``.
    outer_values : sequence of pandas.DataFrame, optional
        The ``threshold_shares`` tables ``outer`` was made from (same order, same rows).
        With them, these tables are protected together with every all-SRB table (whose
        shown counts readers know and whose hidden counts must stay hidden): a need's
        row here is part of the need's row there, the "all" row here holds the all-SRB
        row of ``srb``, each with an unseen remainder (the other SRBs; learners who moved
        on). Without them, an all-SRB "SLCN at least 60%: 5 of 13" beside this report's
        11 SLCN learners narrowed its hidden SLCN count to 3 to 5.

    Every hidden count must pass the render's audit rule (``strict``: a ``"[c]"`` may not
    be narrowed into or across 1 to ``min_count - 1`` either, see
    :func:`srb_eval.report.audit_ilp.verdict`), since the tables carry a disclosure
    record (:func:`srb_eval.report.inclusion_records.threshold_record`).

    Returns
    -------
    list of pandas.DataFrame
        One shown table per table, in order.
    """
    audience = disclosure.check_audience(audience)
    kw = {"thresholds": thresholds, "core_threshold": core_threshold,
          "disclosure_thresholds": disclosure_thresholds}
    shown = [display_thresholds(t, audience=audience, **kw) for t in tables]
    if audience != "published" or (len(tables) < 2 and outer is None):
        return shown
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    names = threshold_names(ts, core_t)
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    counts = {k: v for k, v in names.items() if not k.startswith(("pct_", "median_"))}
    outers = [] if outer is None else [outer] if isinstance(outer, pd.DataFrame) else list(
        outer)
    if outers:
        shown = [_hide_as_outer(s_, outers[0], srb, list(counts.values()),
                                disclosure_thresholds) for s_ in shown]
    percents = {names["pct_" + k]: (names[k], names["n"])
                for k in map(threshold_column, ts)}
    percents[names["pct_" + core_name]] = (names[core_name], names["core_n"])
    if outer_values is not None:
        check_argument(len(outer_values) == len(outers), "outer_values",
                       "one table per table of outer", len(outer_values))
        out = _protect_with_outer(list(tables), shown, list(outer_values), outers,
                                  counts=counts, percents=percents, srbs=srbs, srb=srb,
                                  within=_nested_counts(ts, core_t),
                                  thresholds=disclosure_thresholds)
        return [_hide_core_as_learners(t, o, names) for t, o in zip(tables, out,
                                                                     strict=True)]
    groups = [_group_column(t) for t in tables]
    keys = [t[g].astype("str").tolist() for t, g in zip(tables, groups, strict=True)]
    totals = [k.index("all") if "all" in k else None for k in keys]
    links = [((0, totals[0]), [(i, totals[i])]) for i in range(1, len(tables))
             if totals[0] is not None and totals[i] is not None]
    if srbs is not None and "srb_id" in groups and "phase" in groups:
        by_srb, by_phase = groups.index("srb_id"), groups.index("phase")
        phase_of = dict(zip(srbs["srb_id"].astype("str"), srbs["phase"].astype("str"),
                            strict=True))
        for r, phase in enumerate(keys[by_phase]):
            if phase == "all":
                continue
            parts = [(by_srb, j) for j, s in enumerate(keys[by_srb]) if s != "all"
                     and phase_of.get(s) == phase]
            links.append(((by_phase, r), parts))
    values = [t.reset_index(drop=True) for t in tables]
    return joint_protection.protect_together(values, shown, counts, totals=totals, links=links,
                                        percents=percents,
                                        thresholds=disclosure_thresholds, strict=True,
                                        within=_nested_counts(ts, core_t))


def _hide_core_as_learners(table: pd.DataFrame, shown: pd.DataFrame,
                           names: dict[str, str]) -> pd.DataFrame:
    """``shown`` with "learners with core subjects" hidden where it equals a hidden
    "learners" in its row (a row hiding 11 learners printed 11 two columns later), with
    the core percentage and median that stand on it."""
    n, core = names["n"], names["core_n"]
    same = (table["core_n"].to_numpy() == table["n"].to_numpy()) & (
        shown[n] == disclosure.SUPPRESSED_TEXT).to_numpy() & ~shown[core].isin(
        [disclosure.SUPPRESSED_TEXT, disclosure.DEFAULT_THRESHOLDS.small_count_text]
        ).to_numpy()
    if not same.any():
        return shown
    out = shown.copy()
    for c in (core, *[v for k, v in names.items() if k.startswith("pct_core")],
              names["median_core_share"]):
        out[c] = out[c].astype(object).where(~same, disclosure.SUPPRESSED_TEXT)
    return out


def _threshold_links(tables: Sequence[pd.DataFrame], srbs: pd.DataFrame | None,
                     start: int = 0) -> tuple[list[int | None], list]:
    """Total rows and phase links of threshold tables numbered from ``start``."""
    groups = [_group_column(t) for t in tables]
    keys = [t[g].astype("str").tolist() for t, g in zip(tables, groups, strict=True)]
    totals = [k.index("all") if "all" in k else None for k in keys]
    links = [((start, totals[0]), [(start + i, totals[i])]) for i in range(1, len(tables))
             if totals[0] is not None and totals[i] is not None]
    if srbs is not None and "srb_id" in groups and "phase" in groups:
        by_srb, by_phase = groups.index("srb_id"), groups.index("phase")
        phase_of = dict(zip(srbs["srb_id"].astype("str"), srbs["phase"].astype("str"),
                            strict=True))
        for r, phase in enumerate(keys[by_phase]):
            if phase == "all":
                continue
            parts = [(start + by_srb, j) for j, s in enumerate(keys[by_srb]) if s != "all"
                     and phase_of.get(s) == phase]
            links.append(((start + by_phase, r), parts))
    return totals, links


def _protect_with_outer(tables: list[pd.DataFrame], shown: list[pd.DataFrame],
                        outer_values: list[pd.DataFrame], outers: list[pd.DataFrame], *,
                        counts: dict[str, str], percents: dict[str, tuple[str, str]],
                        srbs: pd.DataFrame | None, srb: str, within: dict[str, str],
                        thresholds: disclosure.Thresholds) -> list[pd.DataFrame]:
    """A per-SRB report's threshold tables protected with the all-SRB report's."""
    values = [t.reset_index(drop=True) for t in [*tables, *outer_values]]
    totals, links = _threshold_links(tables, srbs)
    more_totals, more_links = _threshold_links(outer_values, srbs, start=len(tables))
    links += more_links
    own = [_group_column(t) for t in tables]
    for j, o in enumerate(values[len(tables):], start=len(tables)):
        group = _group_column(o)
        where = {k: r for r, k in enumerate(o[group].astype("str"))}
        for i, t in enumerate(tables):
            keys = t[own[i]].astype("str").tolist()
            if group == own[i]:  # a group's row there holds its row here
                links += [((j, where[k]), [(i, r)]) for r, k in enumerate(keys)
                          if k != "all" and k in where]
            if group == "srb_id" and srb in where and "all" in keys:  # and the SRB's row
                links.append(((i, keys.index("all")), [(j, where[srb])]))
    out = joint_protection.protect_together(
        values, [*shown, *outers], counts, totals=[*totals, *more_totals], links=links,
        percents=percents, fixed=[False] * len(tables) + [True] * len(outers),
        thresholds=thresholds, strict=True, within=within)[:len(tables)]
    by_srb = [j for j, o in enumerate(outer_values) if _group_column(o) == "srb_id"]
    if not by_srb:
        return out
    o, o_shown = outer_values[by_srb[0]], outers[by_srb[0]]
    row = (o["srb_id"].astype("str") == srb).to_numpy()
    if not row.any():
        return out
    for i, t in enumerate(tables):  # an "all" count equal to the all-SRB row's shown one
        total = (t[own[i]].astype("str") == "all").to_numpy()  # says nothing more
        if not total.any():
            continue
        for raw, col in counts.items():
            same = int(t.loc[total, raw].iloc[0]) == int(o.loc[row, raw].iloc[0])
            text = str(o_shown.loc[row, col].iloc[0])
            if same and text.replace(",", "").isdigit() and shown[i].loc[total, col].iloc[
                    0] == text:
                out[i].loc[total, col] = text
        for pct, (num, den) in percents.items():
            if out[i].loc[total, [num, den]].isin(
                    [disclosure.SUPPRESSED_TEXT, thresholds.small_count_text]).any().any():
                continue
            out[i].loc[total, pct] = shown[i].loc[total, pct]
    return out


def _nested_counts(ts: list[float], core_t: float) -> dict[str, str]:
    """``{count: the count it is part of}`` of a threshold table's columns (as
    :func:`_threshold_names`): at least 60% are some of those at least at 50%, who are
    some of the learners; at least 80% of core are some of those with core subjects."""
    up = [threshold_column(t) for t in sorted(ts, reverse=True)]
    out = dict(zip(up, [*up[1:], "n"], strict=True))
    out[threshold_column(core_t, prefix="core_at_or_above")] = "core_n"
    out["core_n"] = "n"
    return out


def _hide_as_outer(shown: pd.DataFrame, outer: pd.DataFrame, srb: str, columns: list[str],
                   limits: disclosure.Thresholds) -> pd.DataFrame:
    """``shown`` with every count of ``columns`` that ``outer`` hides in the row of
    ``srb`` hidden ("[c]") in its "all" row."""
    group = GROUP_TITLES["srb_id"]
    check_argument(group in outer.columns, "outer", "a shown table by SRB",
                   list(outer.columns)[:3])
    row = outer.loc[outer[group].astype("str") == srb]
    if row.empty:
        return shown
    markers = [limits.small_count_text, disclosure.SUPPRESSED_TEXT]
    key = next(c for c in shown.columns if c in GROUP_TITLES.values())
    total = shown[key].astype("str") == "all"
    out = shown.copy()
    for c in columns:
        if str(row[c].iloc[0]) in markers:
            col = out[c].astype(object)
            out[c] = col.where(~total | col.isin(markers), disclosure.SUPPRESSED_TEXT)
    return out


def published_threshold_tables(shares: pd.DataFrame, learners: pd.DataFrame,
                               srbs: pd.DataFrame, *,
                               thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                               core_threshold: float = CORE_EXIT_SHARE,
                               disclosure_thresholds: disclosure.Thresholds =
                               disclosure.DEFAULT_THRESHOLDS) -> list[pd.DataFrame]:
    """The tables by SRB, phase and need that the all-SRB published report shows.

    Parameters
    ----------
    shares : pandas.DataFrame
        ``inclusion_data.prepare(..., srb="all").shares`` with the report's window and
        period.
    learners, srbs : pandas.DataFrame
        The dataset's tables.
    thresholds, core_threshold, disclosure_thresholds : as the report's

    Returns
    -------
    list of pandas.DataFrame
        :func:`display_threshold_tables` of
        :func:`srb_eval.measures.inclusion_groups.threshold_shares` by ``srb_id``,
        ``phase`` and ``primary_need``, published: what a per-SRB report passes as
        ``outer`` (the first) so as not to show what the all-SRB report hides.
    """
    by_group = [threshold_shares(shares, learners, srbs, thresholds=thresholds,
                                 core_threshold=core_threshold, by=[by], total=True)
                for by in ("srb_id", "phase", "primary_need")]
    return display_threshold_tables(by_group, audience="published", srbs=srbs,
                                    thresholds=thresholds, core_threshold=core_threshold,
                                    disclosure_thresholds=disclosure_thresholds)


def threshold_names(ts: list[float], core_t: float) -> dict[str, str]:
    """Columns of a ``threshold_shares`` table and their names in
    :func:`display_thresholds`."""
    cols = {"n": "learners"}
    for t_ in ts:
        k = threshold_column(t_)
        cols[k] = f"at least {share_text(t_)} (learners)"
        cols["pct_" + k] = f"at least {share_text(t_)} (% of learners)"
    cols["median_share"] = "median share in mainstream"
    cols["core_n"] = "learners with core subjects"
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    cols[core_name] = f"at least {share_text(core_t)} of core (learners)"
    cols["pct_" + core_name] = f"at least {share_text(core_t)} of core (%)"
    cols["median_core_share"] = "median core share in mainstream"
    return cols


def shown_overall(overall: pd.DataFrame,
                  tables: Sequence[tuple[pd.DataFrame, pd.DataFrame]], *, audience: str,
                  thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                  core_threshold: float = CORE_EXIT_SHARE) -> pd.DataFrame:
    """The overall ``threshold_shares`` row as the report's tables show it, for the
    sentences above them.

    Parameters
    ----------
    overall : pandas.DataFrame
        ``threshold_shares(..., by=())``: one row.
    tables : sequence of (table, shown)
        Each ``threshold_shares`` table with its "all" row and its
        :func:`display_thresholds` copy.
    audience : {"internal", "published"}
    thresholds, core_threshold : as passed to ``threshold_shares``

    Returns
    -------
    pandas.DataFrame
        ``overall``; published, each count that the "all" row of any of ``tables`` hides
        is NaN (a sentence stating it would undo that table's protection: "5 of 49
        learners met the exit criterion" beside a table showing ``"[c]"``).
    """
    audience = disclosure.check_audience(audience)
    out = overall.reset_index(drop=True).copy()
    if audience != "published":
        return out
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    cols = {k: v for k, v in threshold_names(ts, core_t).items()
            if not k.startswith(("pct_", "median_"))}
    for table, shown in tables:
        seen = joint_protection.shown_counts(table.reset_index(drop=True), shown, cols,
                                        audience=audience)
        group = _group_column(table)
        total = seen.loc[seen[group].astype("str") == "all"]
        for c in cols:
            if total[c].isna().any():
                out[c] = np.nan
    return out


def trend_cube(table: pd.DataFrame, *, categories: Sequence[str]) -> pd.DataFrame:
    """The count cube of a ``trend_counts`` table: learners by group, periods and trend.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`srb_eval.measures.inclusion_groups.trend_counts` grouped by one column
        (``srb_id``, ``phase`` or ``primary_need``), with or without its "all" row.
    categories : sequence of str
        Every category of the group column (groups with no learners count 0).

    Returns
    -------
    pandas.DataFrame
        :func:`srb_eval.report.cube_protection.count_cube` of the learners over the group
        column, ``periods`` ("two or more", "one") and ``trend`` ("rising", "steady",
        "falling", "none"; a learner with one period has none), with every margin
        labelled ``"All"``.

    Examples
    --------
    >>> t = pd.DataFrame({"phase": ["primary"], "n": [3], "rising": [1], "steady": [1],
    ...                   "falling": [0], "too_few_terms": [1]})
    >>> c = trend_cube(t, categories=["primary", "secondary"])
    >>> c.loc[(c["phase"] == "All") & (c["trend"] == "All"), ["periods", "count"]
    ...       ].to_dict("list")
    {'periods': ['two or more', 'one', 'All'], 'count': [2, 1, 3]}
    """
    group = _group_column(table)
    rows = table.loc[table[group].astype("str") != "all"]
    groups = [str(c) for c in categories]
    unknown = sorted(set(rows[group].astype("str")) - set(groups))
    check_argument(not unknown, "categories", f"every group of the table (missing "
                   f"{unknown[:3]})", groups[:3])
    cells = {"rising": ("two or more", "rising"), "steady": ("two or more", "steady"),
             "falling": ("two or more", "falling"), "too_few_terms": ("one", "none")}
    units = pd.concat([pd.DataFrame({
        group: np.repeat(rows[group].astype("str").to_numpy(),
                         rows[col].to_numpy(dtype=np.int64)),
        "periods": periods, "trend": trend}) for col, (periods, trend) in cells.items()],
        ignore_index=True)
    units[group] = pd.Categorical(units[group], categories=groups)
    units["periods"] = pd.Categorical(units["periods"], categories=_PERIODS)
    units["trend"] = pd.Categorical(units["trend"], categories=_TRENDS)
    return count_cube(units, [group, "periods", "trend"], total=TOTAL)


def protect_trend_counts(table: pd.DataFrame, *, categories: Sequence[str], measure: str,
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS,
                         outer: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                         srb: str = "all") -> pd.DataFrame:
    """The counts of a ``trend_counts`` table that a published report may show.

    The table is protected as one cube (:func:`trend_cube`, then
    :func:`srb_eval.report.cube_protection.protect_cube`): counts from 1 to
    ``min_count - 1`` are hidden (``"<5"``) and further cells (``"[c]"``) until no
    hidden count can be narrowed from the rest of the table, its row and column totals
    and the structure every reader knows (learners = one period + two or more; two or
    more = rising + steady + falling).

    Parameters
    ----------
    table : pandas.DataFrame
        From ``trend_counts`` grouped by one column, with its "all" row.
    categories : sequence of str
        Every category of the group column.
    measure : str
        The population's name (as in the table's disclosure record).
    disclosure_thresholds : Thresholds
    outer : (pandas.DataFrame, pandas.DataFrame), optional
        For the table of a report about one SRB (``srb``): the all-SRB report's
        ``trend_counts`` by SRB and its :func:`protect_trend_counts` (what it shows). The
        row of ``srb`` there counts this report's learners less those who moved on to
        another SRB (counted there in their last SRB): the difference, the learners who
        moved on and their trends, is protected with the cube (protect_cube's
        ``parts``). Without it, "rising: 28" here and "27" in the all-SRB row of SRB01
        said that 1 of the 4 learners who moved on was rising.
    srb : str, default "all"

    Returns
    -------
    pandas.DataFrame
        The rows of ``table``; the group column and ``n``, ``with_trend``,
        ``too_few_terms``, ``rising``, ``steady``, ``falling`` as published text.

    Notes
    -----
    With more than :data:`MAX_PROTECTED_GROUPS` categories only the "all" row is
    protected and returned (as a one-group cube), and :func:`trend_table_note` says why.
    """
    group = _group_column(table)
    if len(categories) > MAX_PROTECTED_GROUPS:
        table = table.loc[table[group].astype("str") == "all"]
        cube = trend_cube(table.assign(**{group: "total"}), categories=["total"])
    else:
        cube = trend_cube(table, categories=categories)
    parts = None
    if outer is not None and len(categories) <= MAX_PROTECTED_GROUPS:
        values, shown = (o.loc[o["srb_id"].astype("str") == srb] for o in outer)
        if len(values) == 1 and len(shown) == 1:
            parts = pd.DataFrame([{group: TOTAL, "periods": p_, "trend": w,
                                   "count": int(values[c].iloc[0]),
                                   "text": str(shown[c].iloc[0])}
                                  for c, (p_, w) in _CELLS.items()])
    dims = [group, "periods", "trend"]
    protected = protect_cube(cube, dims, measure=measure, thresholds=disclosure_thresholds,
                             total=TOTAL)
    if parts is not None:  # only ever hides more than the table protected on its own
        protected = protect_cube(cube, dims, measure=measure,
                                 thresholds=disclosure_thresholds, total=TOTAL, parts=parts,
                                 start=protected["text"])
    cube = protected
    text = cube.set_index([group, "periods", "trend"])["text"]
    keys = table[group].astype("str").replace({"all": TOTAL})
    out = table[[group]].copy()
    for col, (periods, trend) in _CELLS.items():
        out[col] = [text[(k, periods, trend)] for k in keys]
    return out


def published_trend_by_srb(trends: pd.DataFrame, learners: pd.DataFrame, *,
                           categories: Sequence[str], measure: str,
                           disclosure_thresholds: disclosure.Thresholds =
                           disclosure.DEFAULT_THRESHOLDS
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trend counts by SRB of the all-SRB report and what its published table shows
    (:func:`protect_trend_counts`): what a per-SRB report passes as ``outer``.

    Parameters
    ----------
    trends : pandas.DataFrame
        ``inclusion_data.prepare(..., srb="all").trends`` with the report's window and
        period.
    learners : pandas.DataFrame
    categories : sequence of str
        Every SRB of the dataset.
    measure : str
        :func:`srb_eval.report.inclusion_records.population_name` of the all-SRB report.
    disclosure_thresholds : Thresholds

    Returns
    -------
    (counts, shown) : tuple of pandas.DataFrame
    """
    from ..measures.inclusion_groups import trend_counts

    counts = trend_counts(trends, learners, by=["srb_id"], total=True)
    return counts, protect_trend_counts(counts, categories=categories, measure=measure,
                                        disclosure_thresholds=disclosure_thresholds)


def shown_trend_counts(shares: pd.DataFrame, trends: pd.DataFrame, learners: pd.DataFrame,
                       srbs: pd.DataFrame, *, until: object, measure: str,
                       disclosure_thresholds: disclosure.Thresholds =
                       disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame | None:
    """The trend counts by SRB that the all-SRB published inclusion report shows, as
    numbers, for another report counting some of the same learners' trends.

    The Estyn report counts the trend of each learner with a share in its year over
    their record up to the end of the year: where that is the end of the data, it is the
    trend the inclusion report (termly shares, the whole data) shows for the same
    learner in the same SRB, so the inclusion report's counts bound the Estyn report's
    (:func:`srb_eval.report.outcome_populations.protect_populations`, ``known``).

    Parameters
    ----------
    shares, trends : pandas.DataFrame
        ``inclusion_data.prepare(...)`` of the whole data, per term, every SRB: its
        ``shares`` and ``trends``.
    learners, srbs : pandas.DataFrame
        The dataset's tables.
    until : date
        The end of the other report's year.
    measure : str
        :func:`srb_eval.report.inclusion_records.population_name` of that report.
    disclosure_thresholds : Thresholds

    Returns
    -------
    pandas.DataFrame or None
        ``group`` (each srb_id, and the authority as
        :data:`srb_eval.measures.groups.ALL`), ``n`` (learners with two or more
        terms), ``rising``, ``steady``, ``falling``: the numbers the published table
        shows, NaN where it hides one. None where the data go on after ``until`` (the
        trends are not the same).
    """
    from ..measures.groups import ALL
    from ..measures.inclusion_groups import trend_counts

    if not len(shares) or pd.to_datetime(shares["period_start"]).max() > pd.Timestamp(until):
        return None
    counts = trend_counts(trends, learners, by=["srb_id"], total=True)
    cats = sorted(srbs["srb_id"].astype("str").unique())
    protected = protect_trend_counts(counts, categories=cats, measure=measure,
                                     disclosure_thresholds=disclosure_thresholds)
    cols = {"with_trend": "n", "rising": "rising", "steady": "steady", "falling": "falling"}
    seen = joint_protection.shown_counts(counts.loc[counts["srb_id"].astype("str").isin(
        protected["srb_id"].astype("str"))].reset_index(drop=True),
        protected.reset_index(drop=True), {c: c for c in cols}, audience="published")
    group = seen["srb_id"].astype("str").replace({"all": ALL})
    return seen[list(cols)].rename(columns=cols).assign(group=group.to_numpy())[
        ["group", *cols.values()]].reset_index(drop=True)


def trend_table_note(categories: Sequence[str], *, group: str = "srb_id") -> str:
    """What a published report says when a trend table has too many groups to protect.

    >>> trend_table_note(["a"] * 3)
    ''
    """
    if len(categories) <= MAX_PROTECTED_GROUPS:
        return ""
    return (f"The table shows all learners only: a published table by "
            f"{GROUP_TITLES[group]} is protected against differencing for up to "
            f"{MAX_PROTECTED_GROUPS} groups, and this dataset has {len(categories):,}. "
            "Render a report per authority or per resource base for the breakdown.")


def hidden_totals(protected: pd.DataFrame) -> list[str]:
    """The counts that a :func:`protect_trend_counts` table hides in its "all" row.

    A sentence about all learners must not state what the table beside it hides.

    >>> hidden_totals(pd.DataFrame({"phase": ["all"], "n": ["30"], "rising": ["[c]"]}))
    ['rising']
    """
    group = _group_column(protected)
    total = protected.loc[protected[group].astype("str") == "all"]
    return [c for c in _CELLS if c in total.columns and not total.empty
            and not str(total[c].iloc[0]).replace(",", "").isdigit()]


def _group_column(table: pd.DataFrame) -> str:
    groups = [c for c in table.columns if c in GROUP_TITLES]
    check_argument(len(groups) == 1, "table", "one group column "
                   f"({', '.join(GROUP_TITLES)})", list(table.columns)[:5])
    return groups[0]


def display_trend_counts(table: pd.DataFrame, *, audience: str,
                         protected: pd.DataFrame | None = None,
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``trend_counts`` table as a reader sees it, disclosure-controlled.

    Counts of rising / steady / falling / too few terms with the learners judged as
    the percentage base; median first and latest shares as whole percentages, hidden
    for a published audience where fewer than ``min_denominator`` learners were judged.

    For a published audience, pass ``protected`` (:func:`protect_trend_counts` of the
    same table): its counts are shown, a percentage only where its count and its base
    are shown and the base has at least ``min_denominator`` learners, and medians only
    where their base is shown and large enough. Without it, each column is protected on
    its own (:func:`srb_eval.report.suppression.safe_table`), which a reader can undo by
    subtraction across a row: use it for internal reports.
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in table.columns if c in GROUP_TITLES]
    words = ["rising", "steady", "falling"]
    t = table[[*groups, "n", *words, "too_few_terms", "with_trend", "median_first_share",
               "median_latest_share"]].copy()
    if audience == "published" and protected is not None:
        shown = _from_protected(t, protected, words, disclosure_thresholds)
    else:
        has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
        shown = suppression.safe_table(
            t, audience=audience, count_columns=["n", *words, "too_few_terms", "with_trend"],
            percent_columns={"pct_" + w: (w, "with_trend") for w in words},
            n_column="with_trend", id_columns=(), thresholds=disclosure_thresholds,
            total_row="all" if has_total else None)
    for c in ("median_first_share", "median_latest_share"):
        shown[c] = percent_text(shown[c])
    order = [*groups, "n", "with_trend"] + [c for w in words for c in (w, "pct_" + w)] + [
        "too_few_terms", "median_first_share", "median_latest_share"]
    cols = {"n": "learners", "with_trend": "learners with two or more periods",
            "too_few_terms": "too few terms", "median_first_share": "median first share",
            "median_latest_share": "median latest share"}
    cols.update({"pct_" + w: f"{w} (%)" for w in words})
    return _rename_groups(shown[order].rename(columns=cols))


def _from_protected(t: pd.DataFrame, protected: pd.DataFrame, words: list[str],
                    limits: disclosure.Thresholds) -> pd.DataFrame:
    """Counts from a protected table; percentages and medians where they are safe."""
    group = _group_column(t)
    t = t.loc[t[group].astype("str").isin(protected[group].astype("str"))]
    check_argument(protected[group].astype("str").tolist() == t[group].astype("str").tolist(),
                   "protected", "protect_trend_counts of the same table",
                   protected[group].tolist()[:3])
    shown = t.copy()
    for c in _CELLS:
        shown[c] = protected[c].to_numpy()
    base = t["with_trend"].to_numpy(dtype=np.int64)
    base_ok = shown["with_trend"].str.replace(",", "").str.isdigit().to_numpy() & (
        base >= max(limits.min_denominator, 1))
    for w in words:
        ok = base_ok & shown[w].str.replace(",", "").str.isdigit().to_numpy()
        pct = suppression.suppress_percentages(t[w], t["with_trend"], audience="internal")
        shown["pct_" + w] = np.where(ok | (base == 0), pct.to_numpy(),
                                     disclosure.SUPPRESSED_TEXT)
    for c in ("median_first_share", "median_latest_share"):
        shown[c] = t[c].astype(object).where(base_ok, disclosure.SUPPRESSED_TEXT)
    return shown


def subjects_shown(records: pd.DataFrame, complete: pd.DataFrame, *,
                   by: Sequence[str] = ("srb_id",),
                   core_subjects: Sequence[str] | None = None,
                   limit: int = MAX_SUBJECTS_SHOWN) -> pd.DataFrame:
    """The subject breakdown a report shows: at most ``limit`` subjects by name.

    Parameters
    ----------
    records : DataFrame
        The inclusion records the breakdown is made from (as given to
        :func:`~srb_eval.measures.subjects.subject_breakdown`).
    complete : DataFrame
        ``subject_breakdown(records, by=(), core_subjects=core_subjects)``: every subject.
    by, core_subjects
        As in :func:`~srb_eval.measures.subjects.subject_breakdown`.
    limit : int, default :data:`MAX_SUBJECTS_SHOWN`
        Subjects named: those with the most timetabled minutes in ``complete``.

    Returns
    -------
    DataFrame
        ``subject_breakdown(records, by=by, core_subjects=core_subjects)`` when there are
        ``limit`` subjects or fewer. Otherwise the same breakdown with every other subject
        pooled: its records are counted under "other core subjects (k)" or "other subjects
        (k)" (k subjects, core as in ``complete``), so a learner timetabled in several of
        them counts once; the pooled rows come last in each group.

    Examples
    --------
    >>> from srb_eval.measures.subjects import subject_breakdown
    >>> inc = pd.DataFrame({"learner_id": ["a", "a", "b", "b"],
    ...     "period_start": pd.to_datetime(["2024-01-08"] * 4),
    ...     "period_end": pd.to_datetime(["2024-03-28"] * 4),
    ...     "subject": ["English", "Art", "Music", "Drama"], "core": [True, False, False, False],
    ...     "minutes_mainstream": [60.0, 30, 0, 10], "minutes_timetabled": [120.0, 60, 50, 40]})
    >>> complete = subject_breakdown(inc, by=())
    >>> shown = subjects_shown(inc, complete, by=(), limit=2)
    >>> shown[["subject", "learners_timetabled", "minutes_timetabled"]].to_dict("list")
    {'subject': ['English', 'Art', 'other subjects (2)'], 'learners_timetabled': [1, 1, 1], 'minutes_timetabled': [120.0, 60.0, 90.0]}
    """
    from ..measures.subjects import subject_breakdown, subject_spellings

    check_argument(isinstance(limit, int) and limit >= 1, "limit",
                   "a whole number of 1 or more", limit)
    if len(complete) <= limit:
        return (complete if not by else
                subject_breakdown(records, by=by, core_subjects=core_subjects))
    top = complete.sort_values(["minutes_timetabled", "subject"], ascending=[False, True],
                               kind="stable").head(limit)
    rest = complete.loc[~complete["subject"].isin(top["subject"])]
    n_core = int(rest["core"].sum())
    core_label = f"other core subjects ({n_core:,})"
    other_label = f"other subjects ({len(rest) - n_core:,})"
    spelling = records["subject"].map(
        subject_spellings(records["subject"]).set_index("subject")["spelling"])
    core_spellings = set(rest.loc[rest["core"], "subject"])
    pooled = records.assign(subject=records["subject"].where(
        spelling.isin(top["subject"]) | records["subject"].isna(),
        np.where(spelling.isin(core_spellings), core_label, other_label)))
    shown = subject_breakdown(
        pooled, by=by,
        core_subjects=None if core_subjects is None else [*core_subjects, core_label])
    last = shown["subject"].isin([core_label, other_label])
    return (shown.assign(_last=last).sort_values([*by, "_last"], kind="stable")
            .drop(columns="_last").reset_index(drop=True))


def display_subjects(breakdown: pd.DataFrame, *, audience: str,
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``subject_breakdown`` table as a reader sees it, disclosure-controlled.

    Learner counts suppressed for a published audience; the share of timetabled
    minutes in mainstream as a whole percentage, hidden ("[c]") where fewer than
    ``min_denominator`` learners were timetabled; minutes shown as hours, internal
    only: published, the hours are hidden ("[c]"). Hours add up over resource bases, so
    the all-SRB report's hours less those of the per-SRB reports, split with the shares
    the heat map shows for the larger SRBs, gave back the shares of a group of 9
    learners that the heat map hides, each within 2 points (outside review, L3).

    >>> b = pd.DataFrame({"subject": ["English"], "core": [True],
    ...     "learners_timetabled": [40], "learners_in_mainstream": [30],
    ...     "minutes_mainstream": [600.0], "minutes_timetabled": [1200.0],
    ...     "mainstream_share": [0.5]})
    >>> display_subjects(b, audience="published").iloc[0, 4:].tolist()
    ['[c]', '[c]', '50%']
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in breakdown.columns if c in GROUP_TITLES]
    t = breakdown[[*groups, "subject", "core", "learners_timetabled",
                   "learners_in_mainstream", "minutes_mainstream", "minutes_timetabled",
                   "mainstream_share"]].copy()
    t["hours_timetabled"] = (t.pop("minutes_timetabled") / 60).round()
    t["hours_in_mainstream"] = (t.pop("minutes_mainstream") / 60).round()
    t["core"] = np.where(t["core"].to_numpy(dtype=bool), "core", "other")
    shown = suppression.safe_table(
        t, audience=audience, count_columns=["learners_timetabled", "learners_in_mainstream"],
        n_column="learners_timetabled", id_columns=(), thresholds=disclosure_thresholds)
    shown["mainstream_share"] = percent_text(shown["mainstream_share"])
    if audience == "published":
        for c in ("hours_timetabled", "hours_in_mainstream"):
            shown[c] = disclosure.SUPPRESSED_TEXT
    order = [*groups, "subject", "core", "learners_timetabled", "learners_in_mainstream",
             "hours_timetabled", "hours_in_mainstream", "mainstream_share"]
    return _rename_groups(shown[order].rename(columns={
        "core": "core or other", "learners_timetabled": "learners timetabled",
        "learners_in_mainstream": "learners with mainstream time",
        "mainstream_share": "share of minutes in mainstream"}))


def display_learners(trends: pd.DataFrame, exit_list: pd.DataFrame | None = None, *,
                     audience: str) -> pd.DataFrame:
    """Internal reports only: each learner's first and latest share and trend word.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (learner-level
    rows are never published). Shares as whole percentages; "too few terms" learners
    show "no follow-up yet" for their change; learners on the exit review list are
    marked.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise AudienceError("audience: learner-level tables are for internal "
                                       "reports only")
    cols = [c for c in ("learner_id", "srb_id") if c in trends.columns]
    t = trends[[*cols, "n_periods", "first_period", "latest_period"]].copy()
    t["first_share"] = percent_text(trends["first_share"])
    t["latest_share"] = percent_text(trends["latest_share"])
    change = pd.Series(np.floor(np.round(100 * trends["change"].to_numpy(float), 9) + 0.5),
                       index=trends.index)
    t["change_points"] = change.map(lambda v: f"{(v or 0.0):+.0f} points", na_action="ignore"
                                    ).astype(object).where(change.notna(), "no follow-up yet")
    t["trend"] = trends["trend"].astype("str")
    if exit_list is not None:
        listed = set(exit_list["learner_id"].astype("str"))
        t["exit_review"] = np.where(t["learner_id"].astype("str").isin(listed), "review",
                                    "")
    return _rename_groups(t.fillna({"first_period": disclosure.NO_DATA_TEXT,
                                    "latest_period": disclosure.NO_DATA_TEXT}))


def display_exit_review(listed: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """Internal reports only: the ``exit_review`` list as a reader sees it.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (publish
    the count, :func:`describe_exit_review`). The latest core share is shown as a whole
    percentage and met_since as the period's start date.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise AudienceError("audience: the exit review list names learners; "
                                       "publish its count (describe_exit_review) instead")
    t = listed[["learner_id", "srb_id", "periods_met", "met_since", "latest_period",
                "latest_core_share"]].copy()
    t["latest_core_share"] = percent_text(t["latest_core_share"])
    return _rename_groups(t).rename(columns={
        "learner_id": "learner", "periods_met": "periods in a row at or above",
        "met_since": "since (period start)", "latest_core_share": "latest core share"})


def cohort_for_audience(cohort: pd.DataFrame, *, audience: str,
                        disclosure_thresholds: disclosure.Thresholds =
                        disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The ``cohort_by_period`` rows a report may show: every row for an internal
    audience; for a published one, only periods with at least ``min_denominator``
    learners (a median of fewer is not published).

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["a", "b"], "n": [12, 3]})
    >>> cohort_for_audience(c, audience="published")["period"].tolist()
    ['a']
    """
    audience = disclosure.check_audience(audience)
    if audience == "internal":
        return cohort
    return cohort.loc[cohort["n"] >= disclosure_thresholds.min_denominator]
