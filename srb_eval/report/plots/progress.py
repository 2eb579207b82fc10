"""Progress figures: baseline-to-latest slopes, trajectories, rates, bands, GAS, profile.

Each function takes a table from :mod:`srb_eval.measures.progress`, :mod:`srb_eval.measures.targets` or
:mod:`srb_eval.measures.profile` and returns a matplotlib ``Figure`` in the report style: a title,
axes labelled with units, n on every panel or group, the Okabe-Ito palette
(:data:`srb_eval.report.plots.PALETTE`, :data:`srb_eval.report.plots.BAND_COLOURS`). Groups or panels
with fewer than ``min_n`` learners are not drawn ("too few to show"): a published
report passes its disclosure threshold. Individual learners are drawn as unlabelled lines
only when ``aggregate=False`` and there are few of them; published reports always
aggregate (medians and quartiles). No figure ever labels a learner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.lines import Line2D

from ...errors import check_argument, check_min_n
from ...measures.progress import BANDS, DEFAULT_TOLERANCE, STATUSES
from ..i18n import (
    N_,
    area_word,
    format_number,
    ngettext,
    unknown_text,
)
from ..i18n import gettext as _
from ..profile import verdict_words
from ..progress_groupings import (
    AXIS_NAMES,
    BAND_TITLES,
    GAS_TITLES,
    RATE_TITLES,
    group_value_words,
)
from . import (
    BAND_COLOURS,
    PALETTE,
    SMALL_TEXT,
    chosen_rows,
    fitted_title,
    new_figure,
    plain_name,
    reference_line,
    text_colour,
    with_note,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "band_bars",
    "gas_distribution",
    "learner_timeline",
    "learner_trajectories",
    "rate_distribution",
    "slope_chart",
    "trajectory_panels",
]

_UNITS = {"steps": N_("steps"), "standard_score": N_("standard score"),
          "age_equivalent_months": N_("age equivalent, months"), "raw": N_("raw score")}
#: The band words of the slope chart's line ends and of the band bars' legend.
_BAND_ENDS = {"below": N_("below"), "expected": N_("expected"), "above": N_("above"),
              None: N_("not banded")}
_BAND_LEGEND = {"below": N_("below expected progress"), "expected": N_("expected progress"),
                "above": N_("above expected progress")}
_BAND_BARS = {"below": N_("below expected"), "expected": N_("expected"),
              "above": N_("above expected")}
#: The measures a figure chooses its groups by (:func:`~srb_eval.report.plots.chosen_rows`).
_MEASURE_WORDS = (N_("median progress ratio"), N_("% below expected"),
                  N_("median GAS T-score"))
def _area_name(area: str) -> str:
    """An assessment area as a panel title names it, in the report's language."""
    return (_("personal and social skills") if area == "personal_social"
            else plain_name(area_word(area)))


def _axis_name(group: str) -> str:
    """A grouping column on an axis, in the report's language."""
    return _(AXIS_NAMES[group]) if group in AXIS_NAMES else plain_name(group)


def _group_name(by: str, value: object, labels: dict[str, str] | None = None) -> str:
    """A group of the grouping ``by`` on a figure's axis, in the report's language
    (:func:`~srb_eval.report.progress_groupings.group_value_words`; a value from the data
    with "_" read as a space)."""
    word = group_value_words(by, value, labels)
    return plain_name(word) if word == str(value) else word


_NOT_BANDED = "0.6"
_NOUNS = {"srb_id": "SRBs", "primary_need": "needs", "phase": "phases",
          "local_authority": "local authorities"}


def _medians(rows: pd.DataFrame, by: str, value: str, groups: list[str],
             min_n: int) -> np.ndarray:
    """Each group's median ``value`` (NaN for groups of fewer than ``min_n`` learners)."""
    keyed = rows.assign(_g=rows[by].astype("str"))
    med = keyed.groupby("_g")[value].median().reindex(groups)
    if "learner_id" in keyed.columns:
        nl = keyed.groupby("_g")["learner_id"].nunique().reindex(groups, fill_value=0)
    else:
        nl = keyed.groupby("_g")[value].count().reindex(groups, fill_value=0)
    return med.where(nl >= min_n).to_numpy(float)


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    check_argument(ok, name, allowed, got)


def _check_min_n(min_n: object) -> int:
    return check_min_n(min_n)


def _need(df: pd.DataFrame, cols: list[str], name: str) -> None:
    _check(isinstance(df, pd.DataFrame), name, "a DataFrame", type(df).__name__)
    missing = [c for c in cols if c not in df.columns]
    _check(not missing, name, "a table with columns " + ", ".join(cols), missing)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=10,
            color="0.3")
    ax.set_xticks([])
    ax.set_yticks([])


def _sizes(n_results: int, n_learners: int, min_n: int, learners: bool = True) -> str:
    """A figure's "n=12 results, 9 learners", or "fewer than 10 learners" below ``min_n``
    (a published figure states no size of a group too small to show); without
    ``learners``: "n=12 results"."""
    if n_learners < min_n or n_results < min_n:
        return _("fewer than {n} learners").format(n=min_n)
    return (_("n={results} results, {learners} learners").format(
        results=n_results, learners=n_learners) if learners else
        _("n={results} results").format(results=n_results))




def _spread(values: list[float], gap: float) -> list[float]:
    """``values`` moved apart, in their order, so that neighbours are at least ``gap``
    apart: each one closer than ``gap`` to the one below it is pushed up, then the whole
    set is moved down by half of the largest push (labels stay near what they label).

    >>> _spread([10.0, 10.5, 20.0], gap=2.0)
    [9.25, 11.25, 19.25]
    """
    order = np.argsort(values, kind="stable")
    out = np.asarray(values, dtype=float).copy()
    for prev, i in zip(order[:-1], order[1:], strict=True):
        out[i] = max(out[i], out[prev] + gap)
    moved = float((out - np.asarray(values, dtype=float)).max()) if len(out) else 0.0
    return (out - moved / 2).tolist()


def _units(progress: pd.DataFrame) -> str:
    scale = progress["scale"].dropna().astype("str")
    return _(_UNITS.get(scale.iloc[0], N_("score"))) if len(scale) else _("score")


def _grid(n: int, max_cols: int = 3) -> tuple[int, int]:
    cols = min(max(n, 1), max_cols)
    return int(np.ceil(max(n, 1) / cols)), cols


def _panels(n: int, width_per: float = 3.4, height_per: float = 3.0, **kw):
    rows, cols = _grid(n)
    fig, axes = new_figure(max(width_per * cols + 0.6, 7.0), height_per * rows + 0.8, nrows=rows,
                           ncols=cols, squeeze=False, **kw)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def slope_chart(progress: pd.DataFrame, *, instrument: str, min_n: int = 1,
                aggregate: bool | None = None, max_lines: int = 40, safe: bool = False,
                title: str | None = None, learner_total: bool = True) -> Figure:
    """Baseline-to-latest slope chart of one instrument, one panel per area.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress`; only ``status == "measured"``
        rows are drawn.
    instrument : str
        The instrument (scores of different instruments are not comparable).
    min_n : int, default 1
        Panels with fewer results are not drawn, nor (aggregated) bands with fewer.
    aggregate : bool, optional
        True: one line per band from the median baseline to the median latest score,
        with interquartile bars, line width growing with n, labelled with its n. False: one unlabelled line per
        learner, coloured by band. None (default): False up to ``max_lines`` results in a
        panel, True above.
    max_lines : int, default 40
    safe : bool, default False
        For a published report: band lines are labelled without their n (a band left
        out for being small could otherwise be counted by subtraction) and individual
        lines are never drawn.
    title : str, optional
    learner_total : bool, default True
        False: the title gives the results only, not the learners with progress
        measured (a per-SRB published report, whose coverage table may hide that count:
        :func:`srb_eval.report.progress_tables.display_coverage`, ``part_of_all``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    min_n = _check_min_n(min_n)
    _need(progress, ["instrument", "area", "scale", "status", "band", "baseline_score",
                     "outcome_score"], "progress")
    rows = progress.loc[(progress["instrument"].astype("str") == instrument)
                        & (progress["status"] == STATUSES[0])]
    areas = [a for a in pd.unique(rows["area"].astype("str"))]
    areas = sorted(areas, key=lambda a: list(rows["area"].cat.categories).index(a)
                   if isinstance(rows["area"].dtype, pd.CategoricalDtype) else a)
    fig, axes = _panels(len(areas) or 1, sharey=True)
    units = _units(rows) if len(rows) else _("score")
    if not areas:
        _empty(axes[0], _("no measured progress to show"))
    for ax, area in zip(axes, areas, strict=False):
        sub = rows.loc[rows["area"].astype("str") == area]
        n = len(sub)
        ax.set_title(_("{area} (n={n})").format(area=_area_name(area), n=n) if n >= min_n else
                     _("{area} (n<{n})").format(area=_area_name(area), n=min_n), fontsize=10)
        if n < min_n:
            _empty(ax, _("too few to show"))
            continue
        agg = True if safe else (aggregate if aggregate is not None else n > max_lines)
        ends = []  # (median latest score, label, colour) of each band line
        for band in (*BANDS, None):
            sel = sub["band"].isna() if band is None else sub["band"] == band
            part = sub.loc[sel]
            if part.empty or (agg and len(part) < min_n):
                continue
            colour = BAND_COLOURS[band] if band else _NOT_BANDED
            if agg:
                b = part["baseline_score"].to_numpy(float)
                o = part["outcome_score"].to_numpy(float)
                med = [np.median(b), np.median(o)]
                lo = [np.percentile(b, 25), np.percentile(o, 25)]
                hi = [np.percentile(b, 75), np.percentile(o, 75)]
                ax.plot([0, 1], med, color=colour, linewidth=1 + 4 * len(part) / n,
                        marker="o")
                ax.errorbar([0, 1], med, yerr=[np.subtract(med, lo), np.subtract(hi, med)],
                            fmt="none", ecolor=colour, capsize=3, linewidth=1)
                name = _(_BAND_ENDS[band])
                ends.append((med[1], name if safe else _("{band} ({n})").format(
                    band=name, n=len(part)), colour))
            else:
                xs = np.tile([0.0, 1.0, np.nan], len(part))
                ys = np.column_stack([part["baseline_score"], part["outcome_score"],
                                      np.full(len(part), np.nan)]).ravel()
                ax.plot(xs, ys, color=colour, linewidth=1, alpha=0.7, marker="o",
                        markersize=3)
        if ends:  # each line labelled at its end, labels at least a line of text apart
            low, high = ax.get_ylim()
            ys = _spread([e[0] for e in ends], gap=(high - low) * 0.075)
            for (y, text, colour), at in zip(ends, ys, strict=True):
                ax.annotate(text, xy=(1, y), xytext=(1.05, at), textcoords="data",
                            fontsize=SMALL_TEXT, va="center", color=colour)
        ax.set_xticks([0, 1])
        ax.set_xticklabels([_("baseline"), _("latest")])
        ax.set_xlim(-0.2, 1.55)
    axes[0].set_ylabel(_("score ({units})").format(units=units))
    handles = [Line2D([], [], color=BAND_COLOURS[b], label=_(_BAND_LEGEND[b])) for b in BANDS]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=SMALL_TEXT, frameon=False)
    n_learners = rows["learner_id"].nunique() if "learner_id" in rows.columns else len(rows)
    fitted_title(fig, title or _("{instrument}: baseline and latest score ({sizes})").format(
        instrument=instrument, sizes=_sizes(len(rows), n_learners, min_n, learner_total)))
    return fig


def trajectory_panels(points: pd.DataFrame, *, instrument: str, min_n: int = 1,
                      aggregate: bool | None = None, max_lines: int = 40,
                      bin_years: float = 0.25, title: str | None = None) -> Figure:
    """Trajectories from baseline of one instrument, small multiples by area.

    Parameters
    ----------
    points : DataFrame
        From :func:`srb_eval.measures.progress.trajectory_points`.
    instrument : str
    min_n : int, default 1
        Panels with fewer learners, and aggregated time bins with fewer points, are not
        drawn.
    aggregate : bool, optional
        True: the median score in bins of ``bin_years`` since baseline with the
        interquartile band. False: one unlabelled line per learner and placement. None:
        False up to ``max_lines`` trajectories in a panel.
    max_lines : int, default 40
    bin_years : float, default 0.25 (a term)
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        x: years since baseline; y: score in the instrument's units; dashed: the expected
        path from the median baseline (median baseline + expected gain per year x years)
        where the instrument has a positive expected gain.
    """
    min_n = _check_min_n(min_n)
    _check(isinstance(bin_years, (int, float)) and bin_years > 0, "bin_years",
           "a positive number", bin_years)
    _need(points, ["learner_id", "placement_start", "instrument", "area", "years", "score",
                   "expected_gain_per_year"], "points")
    rows = points.loc[points["instrument"].astype("str") == instrument]
    areas = list(pd.unique(rows["area"].astype("str")))
    if isinstance(rows["area"].dtype, pd.CategoricalDtype):
        cats = [str(c) for c in rows["area"].cat.categories]
        areas.sort(key=cats.index)
    fig, axes = _panels(len(areas) or 1, sharey=True)
    any_agg = False
    if not areas:
        _empty(axes[0], _("no assessments to show"))
    for ax, area in zip(axes, areas, strict=False):
        sub = rows.loc[rows["area"].astype("str") == area]
        key = sub["learner_id"].astype("str") + "|" + sub["placement_start"].astype("str")
        n = key.nunique()
        ax.set_title(_("{area} (n={n})").format(area=_area_name(area), n=n) if n >= min_n else
                     _("{area} (n<{n})").format(area=_area_name(area), n=min_n), fontsize=10)
        if n < min_n:
            _empty(ax, _("too few to show"))
            continue
        agg = aggregate if aggregate is not None else n > max_lines
        b = np.floor(sub["years"].to_numpy(float) / bin_years + 0.5) * bin_years
        if agg:
            grouped = sub.assign(_bin=b).groupby("_bin")
            med = grouped["score"].median()
            q1 = grouped["score"].quantile(0.25)
            q3 = grouped["score"].quantile(0.75)
            count = grouped["score"].size()
            ok = count >= min_n
            ax.fill_between(med.index[ok], q1[ok], q3[ok], color=PALETTE[0], alpha=0.2,
                            linewidth=0)
            ax.plot(med.index[ok], med[ok], color=PALETTE[0], marker="o", markersize=3)
        else:
            order = np.lexsort((sub["years"].to_numpy(float), key.to_numpy()))
            k = key.to_numpy()[order]
            xs = sub["years"].to_numpy(float)[order]
            ys = sub["score"].to_numpy(float)[order]
            brk = np.flatnonzero(k[1:] != k[:-1]) + 1
            ax.plot(np.insert(xs, brk, np.nan), np.insert(ys, brk, np.nan), color=PALETTE[0],
                    linewidth=0.8, alpha=0.6)
        any_agg |= agg
        rate = sub["expected_gain_per_year"].dropna()
        base = sub.loc[sub["years"] == 0, "score"]
        # (aggregated, the path ends at the last term drawn: the longest follow-up lies in
        # a term of too few results to draw, one learner's)
        end = float(med.index[ok].max()) if agg and ok.any() else float(sub["years"].max())
        if len(rate) and float(rate.iloc[0]) > 0 and len(base) and end > 0:
            t = np.array([0.0, end])
            ax.plot(t, float(base.median()) + float(rate.iloc[0]) * t, color="0.3",
                    linestyle="--", linewidth=1.2)
        ax.set_xlabel(_("years since baseline"))
    axes[0].set_ylabel(_("score ({units})").format(units=_units(rows))
                       if "scale" in rows.columns and len(rows) else _("score"))
    handles = [Line2D([], [], color=PALETTE[0], label=_("median and quartiles") if any_agg
                      else _("learners")),
               Line2D([], [], color="0.3", linestyle="--",
                      label=_("expected path from the median baseline"))]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=SMALL_TEXT, frameon=False)
    n_all = (rows["learner_id"].astype("str") + "|" + rows["placement_start"].astype("str")
             ).nunique()
    fitted_title(fig, title or (
        _("{instrument}: progress since baseline (n={n} learners)") if n_all >= min_n else
        _("{instrument}: progress since baseline (fewer than {n} learners)")).format(
        instrument=instrument, n=n_all if n_all >= min_n else min_n))
    return fig


def rate_distribution(progress: pd.DataFrame, *, by: str = "primary_need",
                      value: str = "progress_ratio", min_n: int = 1,
                      show_points: bool = False, tolerance: float = DEFAULT_TOLERANCE,
                      safe: bool = False, title: str | None = None,
                      learner_total: bool = True, hidden: Sequence[str] = ()) -> Figure:
    """Distribution of rates of progress by group (e.g. by primary need), with n.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress`; measured rows with a value.
    by : str, default "primary_need"
    value : str, default "progress_ratio"
        ``"progress_ratio"`` (rate / expected rate: comparable across instruments; 1 =
        the expected rate) or ``"rate"`` (pass rows of one instrument only).
    min_n : int, default 1
        Groups with fewer results or fewer learners are not drawn.
    show_points : bool, default False
        Overlay each result as a dot (internal reports).
    tolerance : float, default 0.25
        Draws the "expected" band 1 - tolerance to 1 + tolerance for progress ratios.
    safe : bool, default False
        For a published report: no outlier points and whiskers at the 10th and 90th
        percentiles, so that no single learner's value is drawn.
    title : str, optional
    learner_total : bool, default True
        False: the title gives the results only, not the learners with progress
        measured (a per-SRB published report, whose coverage table may hide that count:
        :func:`srb_eval.report.progress_tables.display_coverage`, ``part_of_all``).
    hidden : sequence of str
        Groups drawn as "not shown" whatever their size: those whose learners or results
        judged the report's table by the same groups hides
        (:func:`srb_eval.report.progress_tables.hidden_groups`). SRB05's SLCN box,
        labelled "11 learners", gave back the learners its table by need hides, and
        with them SRB01's "<5" SLCN learners; its ASD box, "171 results", the results
        judged that table hides.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal box plots (quartiles; whiskers 1.5 IQR, Tukey, or 10th-90th
        percentiles when ``safe``), one per group, labelled with n.
    """
    min_n = _check_min_n(min_n)
    _need(progress, [by, value, "status"], "progress")
    rows = progress.loc[(progress["status"] == STATUSES[0]) & progress[value].notna()]
    groups = sorted(pd.unique(rows[by].dropna().astype("str")))
    medians = _medians(rows, by, value, groups, min_n).copy()
    # a group its table hides has no median here either: where the figure keeps only the
    # lowest and highest medians, whether a hidden group is drawn would give its rank away
    medians[np.isin(groups, [str(h) for h in hidden])] = np.nan
    groups, note = chosen_rows(groups, medians, noun=_NOUNS.get(by, "groups"),
                               by=f"median {plain_name(value)}", measures=_MEASURE_WORDS)
    fig, ax = new_figure(8, 1.4 + 0.42 * max(len(groups), 1))
    stats, pos, ticks = [], [], []
    for i, g in enumerate(groups):
        sub = rows.loc[rows[by].astype("str") == g]
        vals = sub[value].to_numpy(float)
        nl = sub["learner_id"].nunique() if "learner_id" in sub.columns else len(vals)
        gone = g in set(map(str, hidden))
        ok = len(vals) >= min_n and nl >= min_n and not gone
        ticks.append(_("{group} (n={results} results, {learners} learners)").format(
            group=_group_name(by, g), results=len(vals), learners=nl) if ok else
            (_("{group} (not shown)") if gone else
             _("{group} (too few to show)")).format(group=_group_name(by, g)))
        if ok:
            st = cbook.boxplot_stats(vals, whis=(10, 90) if safe else 1.5)[0]
            if show_points and not safe:
                st["fliers"] = np.array([])
                jitter = (np.arange(len(vals)) % 7 - 3) * 0.04
                ax.scatter(vals[:500], i + jitter[:500], s=9, color=PALETTE[0], alpha=0.5,
                           linewidths=0, zorder=3)
            stats.append(st)
            pos.append(i)
    if stats:
        ax.bxp(stats, positions=pos, orientation="horizontal", widths=0.55, patch_artist=True,
               showfliers=not (show_points or safe),
               boxprops={"facecolor": PALETTE[0] + (0.25,), "edgecolor": PALETTE[0]},
               medianprops={"color": PALETTE[0], "linewidth": 2})
    else:
        ax.text(0.5, 0.5, _("too few results to show"), transform=ax.transAxes, ha="center",
                va="center", color="0.3")
    if value == "progress_ratio":
        ax.axvspan(1 - tolerance, 1 + tolerance, color=BAND_COLOURS["expected"], alpha=0.15,
                   linewidth=0)
        reference_line(ax, 1.0, _("expected rate"), axis="x")
        ax.set_xlabel(_("rate of progress / expected rate\n(1 = expected; shaded: 'expected' "
                        "band)"))
    else:
        ax.set_xlabel(_("{value} (score units per year)").format(
            value=unknown_text(value.replace("_", " "))))
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels(ticks)
    ax.set_ylim(max(len(groups), 1) - 0.5, -0.5)
    ax.set_ylabel(_axis_name(by))
    nl_all = rows["learner_id"].nunique() if "learner_id" in rows else len(rows)
    sizes = _sizes(len(rows), nl_all, min_n, learner_total)
    fitted_title(ax, with_note(title or (
        _(RATE_TITLES[by]).format(sizes=sizes) if by in RATE_TITLES else
        unknown_text(f"Rate of progress by {plain_name(by)} ({sizes})")), note), share=0.6)
    return fig


def band_bars(summary: pd.DataFrame, *, group: str, min_n: int = 1, min_count: int = 1,
              group_labels: dict[str, str] | None = None, title: str | None = None) -> Figure:
    """Share of results below, at or above expected progress, one bar per group.

    Parameters
    ----------
    summary : DataFrame
        From :func:`srb_eval.measures.progress_groups.band_summary` (``n_banded``, ``n_below``,
        ``n_expected``, ``n_above``, ``n_learners`` and the ``group`` column). A published
        report passes the counts its protected table shows
        (:func:`srb_eval.report.joint_protection.shown_counts`): a group with a hidden (NaN)
        count is not drawn ("not shown"), and the title states no total unless every group's is
        shown.
    group : str
    min_n : int, default 1
        Groups with fewer banded results (or learners) are not drawn.
    min_count : int, default 1
        Groups with a band count from 1 to ``min_count - 1`` are not drawn (a bar's
        share times its n would reveal the small count); published reports pass 5.
    group_labels : dict, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal stacked bars (0-100%), each labelled with its n.
    """
    min_n = _check_min_n(min_n)
    _need(summary, [group, "n_banded", "n_below", "n_expected", "n_above", "n_learners"],
          "summary")
    labels = group_labels or {}
    s = summary.sort_values(group).reset_index(drop=True)
    counts = s[["n_banded", "n_learners", *(f"n_{b}" for b in BANDS)]].to_numpy(float)
    total = s["n_banded"].sum(min_count=len(s)) if len(s) else 0
    nb = counts[:, 0]
    with np.errstate(invalid="ignore"):
        ok = (nb >= min_n) & (counts[:, 1] >= min_n) & (nb > 0)
        for c in counts[:, 2:].T:
            ok &= ~((c > 0) & (c < min_count))
    hidden = np.isnan(counts).any(axis=1)  # (the table hides a count: "not shown")
    ok &= ~hidden
    below = np.where(ok, s["n_below"].to_numpy(float) / np.where(nb > 0, nb, 1), np.nan)
    rows, note = chosen_rows(list(range(len(s))), below, noun=_NOUNS.get(group, "groups"),
                             by="% below expected", measures=_MEASURE_WORDS)
    s, ok, nb = s.iloc[rows].reset_index(drop=True), ok[rows], nb[rows]
    hidden = hidden[rows]
    fig, ax = new_figure(8, 1.4 + 0.42 * max(len(s), 1))
    ticks = []
    for i, row in s.iterrows():
        name = _group_name(group, row[group], labels)
        if not ok[i]:
            ticks.append((_("{group} (no results)") if nb[i] == 0 else
                          _("{group} (not shown)") if hidden[i] else
                          _("{group} (too few to show)")).format(group=name))
            continue
        n, nl = int(row["n_banded"]), int(row["n_learners"])
        ticks.append(_("{group} (n={results} results, {learners} learners)").format(
            group=name, results=n, learners=nl))
        left = 0.0
        for b in BANDS:
            w = 100 * row[f"n_{b}"] / n
            ax.barh(i, w, left=left, color=BAND_COLOURS[b], edgecolor="white", height=0.6)
            if w >= 8:
                ax.text(left + w / 2, i, format_number(w, 0) + "%", ha="center", va="center", fontsize=SMALL_TEXT,
                        color=text_colour(BAND_COLOURS[b]))
            left += w
    ax.set_yticks(range(len(s)))
    ax.set_yticklabels(ticks)
    ax.set_ylim(max(len(s), 1) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of results judged"))
    ax.set_ylabel(_axis_name(group))
    handles = [Line2D([], [], color=BAND_COLOURS[b], linewidth=8, label=_(_BAND_BARS[b]))
               for b in BANDS]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.5 / max(
        len(s), 1)), ncols=3, fontsize=SMALL_TEXT, frameon=False)
    sized = not pd.isna(total)
    heading = (_(BAND_TITLES[group, sized]).format(n=int(total) if sized else 0)
               if (group, sized) in BAND_TITLES else unknown_text(
                   f"Expected progress by {plain_name(group)}"
                   + (f" (n={int(total)} results)" if sized else "")))
    fitted_title(ax, with_note(title or heading, note), share=0.6)
    return fig


def gas_distribution(scores: pd.DataFrame, *, group: str = "srb_id", min_n: int = 1,
                     safe: bool = False, title: str | None = None) -> Figure:
    """GAS T-scores by group: box plots with the 50 line (goals met as expected).

    Parameters
    ----------
    scores : DataFrame
        From :func:`srb_eval.measures.targets.gas_scores` with the ``group`` column (e.g. from
        :func:`srb_eval.measures.attribution.attach_srb`).
    group : str, default "srb_id"
    min_n : int, default 1
        Groups with fewer learners are not drawn.
    safe : bool, default False
        For a published report: no outlier points, whiskers at the 10th and 90th
        percentiles.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    min_n = _check_min_n(min_n)
    _need(scores, [group, "gas_t", "learner_id"], "scores")
    rows = scores.loc[scores["gas_t"].notna()]
    groups = sorted(pd.unique(rows[group].dropna().astype("str")))
    groups, note = chosen_rows(groups, _medians(rows, group, "gas_t", groups, min_n),
                               noun=_NOUNS.get(group, "groups"), by="median GAS T-score",
                               measures=_MEASURE_WORDS)
    fig, ax = new_figure(8, 1.4 + 0.42 * max(len(groups), 1))
    stats, pos, ticks = [], [], []
    for i, g in enumerate(groups):
        sub = rows.loc[rows[group].astype("str") == g]
        nl = sub["learner_id"].nunique()
        ok = nl >= min_n
        ticks.append(_("{group} (n={reviews} reviews, {learners} learners)").format(
            group=_group_name(group, g), reviews=len(sub), learners=nl) if ok else
            _("{group} (too few to show)").format(group=_group_name(group, g)))
        if ok:
            stats.append(cbook.boxplot_stats(sub["gas_t"].to_numpy(float),
                                             whis=(10, 90) if safe else 1.5)[0])
            pos.append(i)
    if stats:
        ax.bxp(stats, positions=pos, orientation="horizontal", widths=0.55, patch_artist=True,
               showfliers=not safe,
               boxprops={"facecolor": PALETTE[2] + (0.25,), "edgecolor": PALETTE[2]},
               medianprops={"color": PALETTE[2], "linewidth": 2})
    else:
        ax.text(0.5, 0.5, _("too few reviews to show"), transform=ax.transAxes, ha="center",
                va="center", color="0.3")
    reference_line(ax, 50, _("50 = goals met as expected"), axis="x")
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels(ticks)
    ax.set_ylim(max(len(groups), 1) - 0.5, -0.5)
    ax.set_xlabel(_("GAS T-score (50 = as expected; SD 10)"))
    ax.set_ylabel(_axis_name(group))
    fitted_title(ax, with_note(title or (
        _(GAS_TITLES[group]).format(n=len(rows)) if group in GAS_TITLES else unknown_text(
            f"Target attainment (GAS T) by {plain_name(group)} (n={len(rows)} reviews)")),
        note), share=0.6)
    return fig


def learner_trajectories(points: pd.DataFrame, *, progress: pd.DataFrame,
                         title: str | None = None) -> Figure:
    """One learner's trajectories: a panel per instrument and area, with the expected path.

    Parameters
    ----------
    points : DataFrame
        :func:`srb_eval.measures.progress.trajectory_points` of one learner (internal reports).
    progress : DataFrame
        The learner's progress rows (:func:`srb_eval.measures.progress.learner_progress`)
        the points belong to; each panel's verdict is worded as the profile's table words
        it (:func:`srb_eval.report.profile.verdict_words`: a standardised score within
        measurement error reads "no reliable change").
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        x: date; y: score in the instrument's units; the baseline ringed; dashed: the
        expected path from the baseline; panel titles give the band.
    """
    _need(points, ["instrument", "area", "date", "score", "expected_score", "band",
                   "placement_start"], "points")
    _need(progress, ["instrument", "area", "placement_start", "band", "band_basis", "status"],
          "progress")
    said = pd.Series(verdict_words(progress).to_numpy(), index=pd.MultiIndex.from_arrays(
        [progress["instrument"].astype("str"), progress["area"].astype("str"),
         pd.to_datetime(progress["placement_start"])]))
    keys = points[["instrument", "area", "placement_start"]].drop_duplicates()
    keys = keys.sort_values(["placement_start", "instrument", "area"]).reset_index(drop=True)
    fig, axes = _panels(len(keys) or 1, width_per=3.6, height_per=2.8)
    if keys.empty:
        _empty(axes[0], _("no assessments to show"))
    for ax, k in zip(axes, keys.itertuples(index=False), strict=False):
        sub = points.loc[(points["instrument"] == k.instrument)
                         & (points["area"].astype("str") == str(k.area))
                         & (points["placement_start"] == k.placement_start)]
        sub = sub.sort_values("date")
        word = said.get((str(k.instrument), str(k.area), pd.Timestamp(k.placement_start)),
                        str(sub["status"].iloc[0]))
        ax.plot(sub["date"], sub["score"], color=PALETTE[0], marker="o", markersize=4)
        ax.plot(sub["date"].iloc[:1], sub["score"].iloc[:1], marker="o", markersize=10,
                markerfacecolor="none", markeredgecolor=PALETTE[1], linestyle="none")
        if sub["expected_score"].notna().any():
            ax.plot(sub["date"], sub["expected_score"], color="0.3", linestyle="--",
                    linewidth=1)
        fitted_title(ax, f"{k.instrument}\n" + ngettext(
            "{area}: {verdict} (n={n} assessment)", "{area}: {verdict} (n={n} assessments)",
            len(sub)).format(area=_area_name(str(k.area)), verdict=_(word), n=len(sub)),
                     share=1 / _grid(len(keys))[1], fontsize=SMALL_TEXT)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_xlabel(_("date assessed"))
    axes[0].set_ylabel(_("score (instrument units)"))
    handles = [Line2D([], [], color=PALETTE[0], marker="o", label=_("assessments")),
               Line2D([], [], color=PALETTE[1], marker="o", markerfacecolor="none",
                      linestyle="none", label=_("baseline")),
               Line2D([], [], color="0.3", linestyle="--", label=_("expected path"))]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=SMALL_TEXT, frameon=False)
    fitted_title(fig, title or _("Progress against baseline and expected progress"))
    return fig


def learner_timeline(gas: pd.DataFrame, inclusion: pd.DataFrame, attendance: pd.DataFrame,
                     *, title: str | None = None) -> Figure:
    """One learner over time: GAS T-scores, share of time in mainstream, attendance.

    Parameters
    ----------
    gas : DataFrame
        :func:`srb_eval.measures.targets.gas_scores` of the learner (``review_date``, ``gas_t``).
    inclusion : DataFrame
        :func:`srb_eval.measures.inclusion.learner_shares` of the learner (``period_start``,
        ``period_end``, ``inclusion_share``, ``core_inclusion_share``).
    attendance : DataFrame
        :func:`srb_eval.measures.profile.attendance_rates` of the learner.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Three panels sharing the date axis; an empty table gives a panel that says so
        ("no attendance records yet") with no scale; with no records at all, no dates.
    """
    fig, axes = new_figure(9, 7, nrows=3, sharex=True)
    ax = axes[0]
    g = gas.dropna(subset=["gas_t"]) if len(gas) else gas
    if len(g):
        ax.plot(pd.to_datetime(g["review_date"]), g["gas_t"], color=PALETTE[2], marker="o")
        reference_line(ax, 50, _("50 = as expected"))
        ax.set_title(_("Target attainment at each review (n={n} reviews)").format(n=len(g)),
                     fontsize=10)
    else:
        ax.text(0.5, 0.5, _("no reviewed targets yet"), transform=ax.transAxes, ha="center",
                va="center", color="0.3")
        ax.set_title(_("Target attainment"), fontsize=10)
    ax.set_ylabel(_("GAS T-score"))
    ax = axes[1]
    inc = inclusion.dropna(subset=["inclusion_share"]) if len(inclusion) else inclusion
    if len(inc):
        mid = pd.to_datetime(inc["period_start"]) + (pd.to_datetime(inc["period_end"])
                                                     - pd.to_datetime(inc["period_start"])) / 2
        ax.plot(mid, 100 * inc["inclusion_share"], color=PALETTE[0], marker="o",
                label=_("all subjects"))
        if inc["core_inclusion_share"].notna().any():
            ax.plot(mid, 100 * inc["core_inclusion_share"], color=PALETTE[4], marker="s",
                    linestyle=":", label=_("core subjects"))
        reference_line(ax, 80, _("80% core: exit criterion"))
        ax.set_ylim(-2, 102)
        ax.legend(fontsize=SMALL_TEXT, loc="lower left")
        ax.set_title(_("Time in mainstream classes by term (n={n} terms)").format(n=len(inc)),
                     fontsize=10)
    else:
        ax.text(0.5, 0.5, _("no inclusion records yet"), transform=ax.transAxes, ha="center",
                va="center", color="0.3")
        ax.set_title(_("Time in mainstream classes"), fontsize=10)
    ax.set_ylabel(_("% of timetabled time"))
    ax = axes[2]
    att = attendance.dropna(subset=["attendance_rate"]) if len(attendance) else attendance
    if len(att):
        mid = pd.to_datetime(att["period_start"]) + (pd.to_datetime(att["period_end"])
                                                     - pd.to_datetime(att["period_start"])) / 2
        ax.plot(mid, 100 * att["attendance_rate"], color=PALETTE[1], marker="o")
        reference_line(ax, 90, "90%")
        ax.set_ylim(min(50.0, float(100 * att["attendance_rate"].min()) - 5), 101)
        ax.set_title(_("Attendance by period (n={n} periods)").format(n=len(att)),
                     fontsize=10)
    else:
        ax.text(0.5, 0.5, _("no attendance records yet"), transform=ax.transAxes,
                ha="center", va="center", color="0.3")
        ax.set_title(_("Attendance"), fontsize=10)
    ax.set_ylabel(_("% of sessions attended"))
    ax.set_xlabel(_("date"))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for panel, rows in zip(axes, (g, inc, att), strict=True):
        if not len(rows):  # an empty panel: its words only, no scale of made-up values
            panel.set_ylabel("")
            panel.tick_params(axis="y", left=False, labelleft=False)
            panel.grid(False)
    if not (len(g) or len(inc) or len(att)):  # a learner with no records yet: no dates
        axes[2].set_xlabel("")
        axes[2].tick_params(axis="x", bottom=False, labelbottom=False)
    fitted_title(fig, title or _("Targets, inclusion and attendance over time"))
    return fig
