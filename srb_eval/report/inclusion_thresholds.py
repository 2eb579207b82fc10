"""The inclusion report's tables of learners by share of time in mainstream classes:
how many learners reach each threshold (at least 50%, at least 60%...) by resource base,
phase and need, as a reader sees them, with the audience's disclosure control.

The three tables count the same learners (a phase is the sum of its resource bases), so
a published report protects them together
(:func:`srb_eval.report.joint_protection.protect_together`); a per-SRB report's tables
are protected with the all-SRB tables of the same render
(:func:`published_threshold_tables`). Trend counts, subjects and learner lists are in
:mod:`srb_eval.report.inclusion_tables`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import check_argument
from ..measures.inclusion import (
    CORE_EXIT_SHARE,
    ESTYN_SHARE,
    TYPICAL_SHARE,
    check_share,
    check_thresholds,
    threshold_column,
)
from ..measures.inclusion_data import InclusionData, learners_in
from ..measures.inclusion_groups import threshold_shares
from ..measures.roll import learners_placed
from . import disclosure, joint_protection, suppression
from .inclusion import (
    GROUP_TITLES,
    group_column,
    percent_text,
    share_text,
    with_group_titles,
)

__all__ = ["display_threshold_tables", "display_thresholds", "hide_learners_as",
           "other_srb_tables", "published_threshold_tables", "shown_overall",
           "threshold_names"]


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
    return with_group_titles(shown[order].rename(columns=cols))


def display_threshold_tables(tables: Sequence[pd.DataFrame], *, audience: str,
                             srbs: pd.DataFrame | None = None,
                             thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                             core_threshold: float = CORE_EXIT_SHARE,
                             disclosure_thresholds: disclosure.Thresholds =
                             disclosure.DEFAULT_THRESHOLDS,
                             outer: pd.DataFrame | Sequence[pd.DataFrame] | None = None,
                             srb: str = "all",
                             outer_values: Sequence[pd.DataFrame] | None = None,
                             others: Mapping[str, pd.DataFrame] | None = None
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
    others : dict of str to pandas.DataFrame, optional
        With ``outer_values``: the tables of the other SRBs whose reports the render
        publishes (:func:`other_srb_tables`), each like ``tables`` (by need, same
        columns). A need's row of the all-SRB table is the sum of the rows of that need
        in every SRB's table (and an unseen remainder), so the reports about two SRBs
        together say more than each alone (SRB01's and SRB05's ASD learners with the
        all-SRB ASD row): every report protects all of them together, in the same way,
        and shows its own.

    Every hidden count must pass the render's audit rule (``strict``: a ``"[c]"`` may not
    be narrowed into or across 1 to ``min_count - 1`` either, see
    :func:`srb_eval.report.audit_rules.verdict`), since the tables carry a disclosure
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
    if audience != "published":
        return shown
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    names = threshold_names(ts, core_t)
    if len(tables) < 2 and outer is None:
        return [_hide_medians(s_, names) for s_ in shown]
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
        more = dict(others or {})
        mine = [display_thresholds(t, audience=audience, **kw) for t in more.values()]
        mine = [_hide_as_outer(m, outers[0], o, list(counts.values()), disclosure_thresholds)
                for m, o in zip(mine, more, strict=True)]
        out = _protect_with_outer([*tables, *more.values()], [*shown, *mine],
                                  list(outer_values), outers, counts=counts,
                                  percents=percents, srbs=srbs,
                                  srb_of=[srb] * len(tables) + list(more),
                                  within=_nested_counts(ts, core_t),
                                  thresholds=disclosure_thresholds)[:len(tables)]
        return [_hide_medians(_hide_core_as_learners(t, o, names), names)
                for t, o in zip(tables, out, strict=True)]
    totals, links = _threshold_links(tables, srbs)
    values = [t.reset_index(drop=True) for t in tables]
    return [_hide_medians(o, names) for o in joint_protection.protect_together(
        values, shown, counts, totals=totals, links=links, percents=percents,
        thresholds=disclosure_thresholds, strict=True, within=_nested_counts(ts, core_t))]


def _hide_medians(shown: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``shown`` with each median hidden where the count of its learners is: a median is
    shown only for 10 learners or more, so a median beside a hidden count says the count
    is at least 10 (SRB05's SLCN median beside its hidden SLCN learners left at most 3
    of the all-SRB report's 13 SLCN learners elsewhere, so at least 2 of its 5 "at
    least 60%" were SRB05's)."""
    out = shown.copy()
    for median, n in (("median_share", "n"), ("median_core_share", "core_n")):
        gone = (out[names[n]] == disclosure.SUPPRESSED_TEXT).to_numpy()
        out[names[median]] = out[names[median]].astype(object).where(
            ~gone, disclosure.SUPPRESSED_TEXT)
    return out


def hide_learners_as(values: pd.DataFrame, shown: pd.DataFrame, trends: pd.DataFrame,
                     trends_shown: pd.DataFrame, *,
                     thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                     core_threshold: float = CORE_EXIT_SHARE,
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A table of latest shares with its learners hidden where the report's trend table
    hides the same count.

    A group's learners with a share (here) are all its learners with a trend (there)
    when the two counts are equal: one count in two tables. The trend table is protected
    knowing what this one hides
    (:func:`srb_eval.report.inclusion_tables.protect_trend_counts`, ``learners``); where
    it hides a count this one shows, this one hides it too (with the percentages,
    median and "learners with core subjects" that would give it back), or the trend
    table's protection is undone: SRB01's 7 SEMH learners beside the all-SRB report's
    SRB01 row (45 learners, 40 of them rising or steady) left at most 5 with one term,
    so at least 2 of its SEMH learners had a trend.

    Parameters
    ----------
    values, shown : pandas.DataFrame
        A ``threshold_shares`` table with its "all" row and its shown copy
        (:func:`display_threshold_tables`).
    trends, trends_shown : pandas.DataFrame
        ``trend_counts`` by the same group with its "all" row, and
        :func:`srb_eval.report.inclusion_tables.protect_trend_counts` of it.
    thresholds, core_threshold, disclosure_thresholds : as the report's

    Returns
    -------
    pandas.DataFrame
        A copy of ``shown``, only ever hiding more.
    """
    names = threshold_names(check_thresholds(list(thresholds)),
                            check_share(core_threshold, "core_threshold"))
    group = group_column(values)
    markers = [disclosure_thresholds.small_count_text, disclosure.SUPPRESSED_TEXT]
    hid = dict(zip(trends_shown[group].astype("str"), trends_shown["n"].isin(markers),
                   strict=True))
    n_trend = dict(zip(trends[group].astype("str"), trends["n"].astype("int64"), strict=True))
    keys = values[group].astype("str")
    same = np.array([hid.get(k, False) and n_trend.get(k) == int(n) for k, n in zip(
        keys, values["n"].astype("int64"), strict=True)]) & ~shown[names["n"]].isin(
        markers).to_numpy()
    if not same.any():
        return shown
    out = shown.copy()
    for c in [names["n"], *[v for k, v in names.items() if k.startswith("pct_")
                            and not k.startswith("pct_core")], names["median_share"]]:
        out[c] = out[c].astype(object).where(~same, disclosure.SUPPRESSED_TEXT)
    return _hide_core_as_learners(values.reset_index(drop=True), out, names)


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
    groups = [group_column(t) for t in tables]
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
                        srbs: pd.DataFrame | None, srb_of: list[str], within: dict[str, str],
                        thresholds: disclosure.Thresholds) -> list[pd.DataFrame]:
    """Per-SRB reports' threshold tables (``srb_of``: the SRB of each; tables of one SRB
    are one report's) protected with the all-SRB report's."""
    values = [t.reset_index(drop=True) for t in [*tables, *outer_values]]
    totals, links = [], []
    for s_ in dict.fromkeys(srb_of):  # each report's own tables
        at = [i for i, x in enumerate(srb_of) if x == s_]
        t_, l_ = _threshold_links([tables[i] for i in at], srbs)
        totals += t_
        links += [((at[a[0]], a[1]), [(at[x], y) for x, y in b]) for a, b in l_]
    more_totals, more_links = _threshold_links(outer_values, srbs, start=len(tables))
    links += more_links
    own = [group_column(t) for t in tables]
    for j, o in enumerate(values[len(tables):], start=len(tables)):
        group = group_column(o)
        where = {k: r for r, k in enumerate(o[group].astype("str"))}
        parts: dict[str, list[tuple[int, int]]] = {}
        for i, t in enumerate(tables):
            keys = t[own[i]].astype("str").tolist()
            if group == own[i]:  # a group's row there holds its rows here (every SRB's)
                for r, k in enumerate(keys):
                    if k != "all" and k in where:
                        parts.setdefault(k, []).append((i, r))
            if group == "srb_id" and srb_of[i] in where and "all" in keys:  # and its SRB's
                links.append(((i, keys.index("all")), [(j, where[srb_of[i]])]))
        links += [((j, where[k]), rows) for k, rows in parts.items()]
    out = joint_protection.protect_together(
        values, [*shown, *outers], counts, totals=[*totals, *more_totals], links=links,
        percents=percents, fixed=[False] * len(tables) + [True] * len(outers),
        thresholds=thresholds, strict=True, within=within)[:len(tables)]
    by_srb = [j for j, o in enumerate(outer_values) if group_column(o) == "srb_id"]
    if not by_srb:
        return out
    o, o_shown = outer_values[by_srb[0]], outers[by_srb[0]]
    for i, t in enumerate(tables):  # an "all" count equal to the all-SRB row's shown one
        row = (o["srb_id"].astype("str") == srb_of[i]).to_numpy()  # says nothing more
        total = (t[own[i]].astype("str") == "all").to_numpy()
        if not total.any() or not row.any():
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


def other_srb_tables(whole: InclusionData, learners: pd.DataFrame, srbs: pd.DataFrame,
                     placements: pd.DataFrame, *, srb: str,
                     thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                     core_threshold: float = CORE_EXIT_SHARE,
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> dict[str, pd.DataFrame]:
    """The tables by need that the reports about the other SRBs publish, as counts: what
    a per-SRB report passes as ``others`` to :func:`display_threshold_tables`.

    Parameters
    ----------
    whole : InclusionData
        ``inclusion_data.prepare(..., srb="all")`` with the report's window and period.
    learners, srbs, placements : pandas.DataFrame
        The dataset's tables.
    srb : str
        The report's SRB (left out).
    thresholds, core_threshold, disclosure_thresholds : as the report's

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{srb_id: threshold_shares(..., by=["primary_need"], total=True)}`` of the
        learners of each other SRB (:func:`srb_eval.measures.inclusion_data.learners_in`)
        whose published report is not withheld as too small
        (:func:`srb_eval.report.disclosure.too_small_to_publish`), in srb_id order.
    """
    out = {}
    for other in sorted(srbs["srb_id"].astype("str").unique()):
        if other == srb or disclosure.too_small_to_publish(
                learners_placed(placements, other), disclosure_thresholds):
            continue
        mine = learners_in(whole, other)
        if len(mine.latest):
            out[other] = threshold_shares(mine.shares, learners, srbs, thresholds=thresholds,
                                          core_threshold=core_threshold,
                                          by=["primary_need"], total=True)
    return out


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
        group = group_column(table)
        total = seen.loc[seen[group].astype("str") == "all"]
        for c in cols:
            if total[c].isna().any():
                out[c] = np.nan
    return out
