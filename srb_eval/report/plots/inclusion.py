"""Inclusion figures: distributions, trends, rising/steady/falling, subjects.

Each function takes a table from the inclusion measures (:mod:`srb_eval.measures.inclusion`
and its siblings) and returns a matplotlib ``Figure`` in the report style (title, axes
labelled with units, n shown, Okabe-Ito palette). Groups smaller than ``min_n`` are not drawn (a published report passes its
disclosure threshold, so no statistic of a handful of learners is shown); learner-level
panels (:func:`learner_small_multiples`) are for internal reports only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.ticker import MaxNLocator

from ...errors import check_argument, check_min_n
from ...measures.inclusion import CORE_EXIT_SHARE, TYPICAL_SHARE
from ..i18n import N_, PHASE_WORDS, ngettext, unknown_text
from ..i18n import gettext as _
from ..inclusion import reference_lines
from ..inclusion_words import TREND_WORDS, cell_words, period_label
from . import (
    PALETTE,
    SMALL_TEXT,
    bounded_height,
    bounded_width,
    chosen_rows,
    fitted_title,
    new_figure,
    plain_name,
    text_colour,
    with_note,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "WHISKERS",
    "cohort_trend",
    "describe_share_distribution",
    "learner_small_multiples",
    "share_distribution",
    "subject_heatmap",
    "trend_bars",
]

#: Percentiles at the ends of the whiskers of :func:`share_distribution`.
WHISKERS: tuple[int, int] = (10, 90)
_REFERENCE_STYLES = {0: "--", 1: ":", 2: "-."}
_GROUP_NOUNS = {"srb_id": "SRBs", "primary_need": "needs", "phase": "phases",
                "local_authority": "local authorities"}

_TREND_COLOURS = {"rising": PALETTE[2], "steady": PALETTE[7], "falling": PALETTE[3],
                  "too few terms": "0.85"}
#: The axis names of the groups a figure draws (:func:`~srb_eval.report.plots.plain_name`).
_AXIS_NAMES = (N_("resource base"), N_("phase"), N_("primary need"), N_("sex"),
               N_("free school meals"), N_("statutory plan"), N_("home authority"),
               N_("local authority"))
assert set(_TREND_COLOURS) == set(TREND_WORDS)


def _axis_name(group: str) -> str:
    """The name of a group column on an axis, in the report's language."""
    name = plain_name(group)
    return _(name) if name in _AXIS_NAMES else unknown_text(name)


#: The measures by which a figure chooses the groups it draws, for its note.
_MEASURE_WORDS = (N_("median share of all time"), N_("share rising"),
                  N_("mean share across subjects"))
def _chosen_rows(keys: Sequence, values: Sequence[float], *, group: str, by: str
                 ) -> tuple[list, str | None]:
    """:func:`~srb_eval.report.plots.chosen_rows` of a figure's groups by ``group``."""
    return chosen_rows(keys, values, noun=_GROUP_NOUNS.get(group, "groups"), by=by,
                       measures=_MEASURE_WORDS)


def _group_word(value: str) -> str:
    """A group's value as a figure shows it: a phase in the report's language, any other
    value (a name from the data) as given."""
    return _(value) if value in PHASE_WORDS else value


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    check_argument(ok, name, allowed, got)


def _check_min_n(min_n: object) -> int:
    return check_min_n(min_n)


def _n_text(n: int, min_n: int) -> str:
    return f"n={n}" if n >= min_n else _("n<{min_n}, too few to show").format(min_n=min_n)


def _n_hidden(g: str, shown_n: Mapping[str, str] | None) -> bool:
    """Whether the report's table hides group ``g``'s learners (``"[c]"``, ``"<5"``):
    then the table hides the group's shares too, and a figure draws none of them."""
    return (shown_n is not None and g in shown_n
            and not str(shown_n[g]).replace(",", "").isdigit())


def _group_n(g: str, n: int, min_n: int, shown_n: Mapping[str, str] | None) -> str:
    """A group's n as its label gives it: the figure's own count, or with ``shown_n``
    the count the report's table shows for the group (``"n=45"``; ``"n not shown"``
    where the table hides it, ``"[c]"`` or ``"<5"``), so that no label gives a count
    back that the tables hide."""
    if shown_n is None or g not in shown_n:
        return _n_text(n, min_n)
    text = str(shown_n[g])
    return f"n={text}" if text.replace(",", "").isdigit() else _("n not shown")


def _percent_axis(ax, axis: str = "x") -> None:
    lim = (ax.set_xlim if axis == "x" else ax.set_ylim)
    lim(-2, 102)
    ticks = np.arange(0, 101, 20)
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks)
    (ax.set_xticklabels if axis == "x" else ax.set_yticklabels)([f"{t}%" for t in ticks])


def _reference_lines(ax, kind: str, axis: str = "x") -> None:
    """The source documents' yardsticks as labelled lines (labels go in the legend)."""
    for k, (value, label, applies) in enumerate(reference_lines()):
        if applies == kind:
            line = ax.axvline if axis == "x" else ax.axhline
            line(100 * value, color="0.25", linewidth=1.1, linestyle=_REFERENCE_STYLES[k],
                 label=label, zorder=4)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=10,
            color="0.3")


def share_distribution(latest: pd.DataFrame, *, group: str = "srb_id",
                       group_labels: dict[str, str] | None = None, min_n: int = 1,
                       show_points: bool = False, title: str | None = None,
                       shown_n: Mapping[str, str] | None = None) -> Figure:
    """Box plots of learners' inclusion shares by group, overall and in core subjects.

    Parameters
    ----------
    latest : DataFrame
        One row per learner (e.g. each learner's latest period from
        :func:`srb_eval.measures.inclusion.learner_shares`) with ``inclusion_share``,
        ``core_inclusion_share`` and the ``group`` column.
    group : str, default "srb_id"
        Column whose values make the rows of the plot.
    group_labels : dict, optional
        Display text for each group value (e.g. ``{"SRB01": "SRB01 (primary)"}``).
    min_n : int, default 1
        Groups with fewer learners are not drawn ("too few to show").
    show_points : bool, default False
        Overlay each learner as a dot (internal reports; at most 500 per group).
    title : str, optional
    shown_n : mapping of str to str, optional
        Each group's learners as the report's table shows them (``"45"``, ``"[c]"``):
        a published figure labels a group with that, and draws no box where the table
        hides it ("n not shown"): the table then hides the group's median and shares too,
        which the box would give back. None: the figure's own counts.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the groups: the share of all timetabled time (reference
        lines at the yardsticks of :data:`srb_eval.report.inclusion.REFERENCE_LINES`,
        about 50% and as much as 60%) and the share of core-subject time (reference
        line at the 80% exit criterion). Each group label gives
        its n; boxes show the quartiles and median, whiskers the 10th and 90th
        percentiles (interpolated, so no single learner's value is drawn unless
        ``show_points``); no outliers are drawn.
    """
    min_n = _check_min_n(min_n)
    for c in (group, "inclusion_share", "core_inclusion_share"):
        _check(c in latest.columns, "latest", f"a table with column {c!r}", list(latest.columns))
    groups = sorted(pd.unique(latest[group].dropna().astype("str")))
    keyed = latest.assign(_g=latest[group].astype("str"))
    counts = keyed.groupby("_g")["inclusion_share"].count().reindex(groups, fill_value=0)
    medians = keyed.groupby("_g")["inclusion_share"].median().reindex(groups)
    groups, note = _chosen_rows(groups, medians.where(counts >= min_n).to_numpy(float),
                                group=group, by="median share of all time")
    height = 2.6 + 0.5 * max(len(groups), 1)
    fig, axes = new_figure(10, height, ncols=2, sharey=True)
    labels = group_labels or {}
    panels = (("inclusion_share", _("% of all timetabled time in mainstream"),
               _("Share of all timetabled time"), "overall"),
              ("core_inclusion_share", _("% of core-subject time in mainstream"),
               _("Share of core-subject time"), "core"))
    for ax, (col, axis_label, panel_title, kind) in zip(axes, panels, strict=True):
        stats, positions, ticks = [], [], []
        for i, g in enumerate(groups):
            vals = latest.loc[latest[group].astype("str") == g, col].dropna().to_numpy(float)
            name = labels[g] if g in labels else _group_word(g)
            ticks.append(f"{name}\n({_group_n(g, len(vals), min_n, shown_n)})")
            if len(vals) >= min_n and len(vals) > 0 and not _n_hidden(g, shown_n):
                st = cbook.boxplot_stats(100 * vals, whis=WHISKERS)[0]
                stats.append(st)
                positions.append(i)
                if show_points:
                    pts = 100 * vals[:500]
                    jitter = (np.arange(len(pts)) % 7 - 3) * 0.04
                    ax.scatter(pts, i + jitter, s=10, color=PALETTE[0], alpha=0.6, zorder=3,
                               linewidths=0)
        if stats:
            ax.bxp(stats, positions=positions, orientation="horizontal", widths=0.55,
                   patch_artist=True, showfliers=False,
                   boxprops={"facecolor": PALETTE[0] + (0.25,), "edgecolor": PALETTE[0]},
                   medianprops={"color": PALETTE[0], "linewidth": 2})
        else:
            _empty(ax, _("too few learners to show"))
        _reference_lines(ax, kind, "x")
        _percent_axis(ax, "x")
        ax.set_xlabel(axis_label)
        ax.set_title(panel_title, fontsize=10)
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels(ticks)
        ax.set_ylim(len(groups) - 0.5, -0.5)
    n_all = int(latest["inclusion_share"].notna().sum())
    axes[0].set_ylabel(_axis_name(group))
    handles = [h for ax in axes for h in ax.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside lower center", ncols=1, fontsize=SMALL_TEXT,
               frameon=False)
    sizes = (_("n={n} learners").format(n=n_all) if n_all >= min_n
             else _("fewer than {n} learners").format(n=min_n))
    fitted_title(fig, with_note(title or _("Time in mainstream classes, latest term ({sizes})"
                                           ).format(sizes=sizes), note))
    return fig


def describe_share_distribution(*, show_points: bool, min_n: int,
                                hidden_not_drawn: bool = False) -> str:
    """The caption of :func:`share_distribution`: how to read the boxes
    (``hidden_not_drawn``: the figure was given the table's counts, ``shown_n``).

    Examples
    --------
    >>> describe_share_distribution(show_points=False, min_n=10)[-47:]
    'groups of fewer than 10 learners are not drawn.'
    """
    low, high = WHISKERS
    if show_points:
        text = _("Each box holds the middle half of the learners, the thick line is the "
                 "median and the whiskers run from the {low}th to the {high}th percentile; "
                 "each dot is a learner.")
    else:
        text = _("Each box holds the middle half of the learners, the thick line is the "
                 "median and the whiskers run from the {low}th to the {high}th percentile; "
                 "groups of fewer than {min_n} learners are not drawn.")
    text = text.format(low=low, high=high, min_n=min_n)
    if hidden_not_drawn:
        text += " " + _("Nor is a group whose number of learners the table below hides: its "
                        "box would give back the shares the table hides.")
    return text


def cohort_trend(cohort: pd.DataFrame, *, group: str | None = None, min_n: int = 1,
                 title: str | None = None, max_ticks: int = 16) -> Figure:
    """The cohort's median share period by period, with the interquartile range.

    Parameters
    ----------
    cohort : DataFrame
        From :func:`srb_eval.measures.inclusion_trends.cohort_by_period` (optionally with a ``group``
        column such as ``phase``).
    group : str, optional
        One line per value of this column.
    min_n : int, default 1
        Periods with fewer learners are not drawn.
    title : str, optional
    max_ticks : int, default 16
        At most this many period labels on the x axis (weekly data is thinned).

    Returns
    -------
    matplotlib.figure.Figure
        Median share (line) and quartiles (band, ungrouped only) against period, with
        the 50% and 60% reference lines; n per period under each label (ungrouped) or
        the range of n in the legend (grouped).
    """
    min_n = _check_min_n(min_n)
    fig, ax = new_figure(9, 4.2)
    periods = (cohort[["term_index", "period"]].drop_duplicates("term_index")
               .sort_values("term_index"))
    pos = {t: i for i, t in enumerate(periods["term_index"])}
    if len(periods) == 0:
        _empty(ax, _("no inclusion records"))
    groups = [None] if group is None else sorted(pd.unique(cohort[group].dropna().astype(
        "str")))
    tick_n = {}
    for k, g in enumerate(groups):
        d = cohort if g is None else cohort.loc[cohort[group].astype("str") == g]
        d = d.sort_values("term_index")
        ok = d["n"].to_numpy() >= min_n
        x = d["term_index"].map(pos).to_numpy(float)
        y = np.where(ok, 100 * d["median_share"].to_numpy(float), np.nan)
        colour = PALETTE[k % len(PALETTE)]
        if g is None:
            lo = np.where(ok, 100 * d["q1_share"].to_numpy(float), np.nan)
            hi = np.where(ok, 100 * d["q3_share"].to_numpy(float), np.nan)
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2, linewidth=0,
                            label=_("middle half of learners (quartiles)"))
            tick_n = dict(zip(d["term_index"], d["n"], strict=True))
            label = _("median learner")
        else:
            ns = d.loc[ok, "n"]
            span = (_("n {low}-{high} per period").format(low=ns.min(), high=ns.max())
                    if len(ns) and ns.min() != ns.max()
                    else _("n {n} per period").format(n=ns.max()) if len(ns)
                    else _("too few to show"))
            label = _("{group} ({span})").format(group=_group_word(g), span=span)
        ax.plot(x, y, marker="o", color=colour, label=label)
    _reference_lines(ax, "overall", "y")
    _percent_axis(ax, "y")
    step = max(1, int(np.ceil(len(periods) / max_ticks)))
    ticks = list(range(0, len(periods), step))
    labels = []
    for i in ticks:
        row = periods.iloc[i]
        text = str(period_label(row["period"], strict=True)).replace(" ", "\n", 1)
        if group is None:
            n = int(tick_n.get(row["term_index"], 0))
            text += "\n" + (f"n={n}" if n >= min_n else f"n<{min_n}")
        labels.append(text)
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, fontsize=SMALL_TEXT)
    ax.set_xlabel(_("period"))
    ax.set_ylabel(_("% of timetabled time in mainstream"))
    if len(periods):
        ax.legend(loc="lower left", fontsize=SMALL_TEXT, frameon=False, ncols=2)
    ax.set_title(title or _("Median share of timetabled time in mainstream classes, by "
                            "period"))
    return fig


def learner_small_multiples(shares: pd.DataFrame, *, max_panels: int = 24, ncols: int = 6,
                            title: str | None = None) -> Figure:
    """One small panel per learner: share overall and in core subjects over time.

    For internal reports only (each panel is labelled with a learner id).

    Parameters
    ----------
    shares : DataFrame
        From :func:`srb_eval.measures.inclusion.learner_shares` (learner_id, term_index, period,
        inclusion_share, core_inclusion_share).
    max_panels : int, default 24
        At most this many learners (the first by learner_id); the title says how many
        are shown.
    ncols : int, default 6
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check(isinstance(max_panels, int) and max_panels >= 1, "max_panels",
           "a whole number of 1 or more", max_panels)
    ids = sorted(pd.unique(shares["learner_id"].dropna().astype("str")))
    shown = ids[:max_panels]
    n = max(len(shown), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(bounded_width(1.9 * ncols + 0.6),
                                                  bounded_height(1.6 * nrows + 1.0)),
                             sharex=True, sharey=True, layout="constrained", squeeze=False)
    plt.close(fig)
    lines = [round(100 * TYPICAL_SHARE), round(100 * CORE_EXIT_SHARE)]
    x0 = shares["term_index"].min() if len(shares) else 0.0
    d = shares.assign(_lid=shares["learner_id"].astype("str")).sort_values(
        ["_lid", "term_index"])
    for k, ax in enumerate(axes.flat):
        if k >= len(shown):
            ax.set_axis_off()
            continue
        one = d.loc[d["_lid"] == shown[k]]
        x = one["term_index"].to_numpy(float) - x0
        ax.plot(x, 100 * one["inclusion_share"].to_numpy(float), marker=".",
                color=PALETTE[0], label=_("all subjects"))
        ax.plot(x, 100 * one["core_inclusion_share"].to_numpy(float), marker=".",
                linestyle="--", color=PALETTE[1], label=_("core subjects"))
        for line in lines:
            ax.axhline(line, color="0.6", linestyle=":", linewidth=0.8)
        ax.set_title(shown[k], fontsize=SMALL_TEXT)
        ax.set_ylim(-2, 102)
        ax.set_yticks([0, *lines, 100])
        ax.tick_params(labelsize=SMALL_TEXT)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    if shown:
        axes.flat[0].legend(fontsize=SMALL_TEXT, frameon=False, loc="lower right")
    fig.supxlabel(_("terms since the first period shown"), fontsize=9)
    fig.supylabel(_("% of timetabled time in mainstream"), fontsize=9)
    fitted_title(fig, title or ngettext(
        "Each learner's share over time ({shown} of {n} learner shown; dotted lines at "
        "{low}% and {high}%)",
        "Each learner's share over time ({shown} of {n} learners shown; dotted lines at "
        "{low}% and {high}%)", len(ids)).format(shown=len(shown), n=len(ids), low=lines[0],
                                                high=lines[1]), fontsize=10)
    return fig


def trend_bars(counts: pd.DataFrame, *, group: str = "srb_id", title: str | None = None) -> Figure:
    """Stacked bars: how many learners' inclusion is rising, steady, falling, by group.

    Parameters
    ----------
    counts : DataFrame
        From :func:`srb_eval.measures.inclusion_groups.trend_counts` (the ``group`` column, rising,
        steady, falling, too_few_terms, n).
    group : str, default "srb_id"
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One bar per group, segments counted in learners; the label gives n. Shows
        counts, so for internal reports (a published report shows the
        disclosure-controlled table instead).
    """
    _check(group in counts.columns, "group", "a column of counts", group)
    words = ("rising", "steady", "falling", "too_few_terms")
    total = int(counts["n"].sum())
    n = counts["n"].to_numpy(float)
    rising = np.divide(counts["rising"].to_numpy(float), n, out=np.full(len(n), np.nan),
                       where=n > 0)
    rows, note = _chosen_rows(list(range(len(counts))), rising, group=group,
                              by="share rising")
    counts = counts.iloc[rows]
    fig, ax = new_figure(8, 1.4 + 0.45 * max(len(counts), 1))
    y = np.arange(len(counts))
    left = np.zeros(len(counts))
    for w in words:
        v = counts[w].to_numpy(float)
        name = w.replace("_", " ")
        ax.barh(y, v, left=left, color=_TREND_COLOURS[name], label=_(name), height=0.6,
                edgecolor="white")
        left += v
    ax.set_yticks(y)
    ax.set_yticklabels([f"{_group_word(g)} (n={n})" for g, n in zip(
        counts[group].astype("str"), counts["n"], strict=True)])
    ax.set_ylim(len(counts) - 0.5, -0.5)
    ax.set_xlabel(_("learners (count)"))
    ax.set_ylabel(_axis_name(group))
    ax.legend(fontsize=SMALL_TEXT, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fitted_title(ax, with_note(title or _("Trend in each learner's share of time in "
                                          "mainstream (n={n})").format(n=total), note))
    return fig


def subject_heatmap(breakdown: pd.DataFrame, *, group: str = "srb_id", min_n: int = 1,
                    title: str | None = None, order: Sequence[str] | None = None,
                    shown_n: Mapping[str, str] | None = None) -> Figure:
    """Heat map of the share of timetabled minutes spent in mainstream, group x subject.

    Parameters
    ----------
    breakdown : DataFrame
        From :func:`srb_eval.measures.subjects.subject_breakdown` (the ``group`` column,
        subject, core, learners_timetabled, mainstream_share).
    group : str, default "srb_id"
    min_n : int, default 1
        Cells with fewer learners timetabled are greyed out and marked "[c]".
    title : str, optional
    order : list of str, optional
        Subject order (default: core subjects first, as in ``breakdown``).
    shown_n : mapping of str to str, optional
        Each group's learners as the report's table shows them: the row labels give
        that instead of the figure's own n, and a group whose learners the table hides
        ("n not shown") has every cell greyed and marked "[c]", as
        :func:`share_distribution` draws no box for it.

    Returns
    -------
    matplotlib.figure.Figure
        Cells annotated with the percentage (hidden cells greyed and marked "[c]";
        subjects not timetabled in a group left blank); the colour scale (cividis, readable with
        colour-vision deficiency) runs from 0% to 100%; row labels give the most
        learners timetabled in any subject of the group as n.
    """
    import seaborn as sns

    min_n = _check_min_n(min_n)
    for c in (group, "subject", "learners_timetabled", "mainstream_share"):
        _check(c in breakdown.columns, "breakdown", f"a table with column {c!r}",
               list(breakdown.columns))
    subjects = list(order) if order is not None else list(pd.unique(breakdown["subject"]))
    groups = sorted(pd.unique(breakdown[group].astype("str")))
    b = breakdown.assign(_g=breakdown[group].astype("str"))
    share = (b.pivot_table(index="_g", columns="subject", values="mainstream_share",
                           aggfunc="first", observed=True)
             .reindex(index=groups, columns=subjects) * 100)
    n = (b.pivot_table(index="_g", columns="subject", values="learners_timetabled",
                       aggfunc="first", observed=True)
         .reindex(index=groups, columns=subjects).fillna(0))
    hidden = n.to_numpy() < min_n
    hidden[[_n_hidden(g, shown_n) for g in groups]] = True  # (the whole row)
    shown = share.mask(hidden)
    groups, note = _chosen_rows(groups, shown.mean(axis=1).to_numpy(float), group=group,
                                by="mean share across subjects")
    if note:
        keep = share.index.get_indexer(groups)
        share, n, shown, hidden = (share.iloc[keep], n.iloc[keep], shown.iloc[keep],
                                   hidden[keep])
    values = share.to_numpy(float)
    annot = np.where(np.isnan(values) | hidden, "",
                     np.char.add(np.round(np.nan_to_num(values)).astype(int).astype(str), "%"))
    fig, ax = new_figure(max(6.0, 0.8 * len(subjects) + 2.5),
                         max(3.2, 1.6 + 0.5 * max(len(groups), 1)))
    if len(groups) and len(subjects):
        sns.heatmap(shown, ax=ax, vmin=0, vmax=100, cmap="cividis", annot=False,
                    linewidths=0.5, linecolor="white",
                    cbar_kws={"label": _("% in mainstream")})
        ax.set_facecolor("0.9")
        ax.grid(False)
        cividis = matplotlib.colormaps["cividis"]
        for r, c in zip(*np.nonzero(annot != ""), strict=True):  # black or white: 4.5:1
            ax.text(c + 0.5, r + 0.5, annot[r, c], ha="center", va="center", fontsize=SMALL_TEXT,
                    color=text_colour(cividis(values[r, c] / 100)))
        if min_n > 1 or shown_n is not None:
            # (every cell of a group whose n is hidden: which subjects it has is its own)
            row_hidden = np.array([_n_hidden(g, shown_n) for g in groups], dtype=bool)
            marked = hidden & ((n.to_numpy() > 0) | row_hidden[:, None])
            for r, c in zip(*np.nonzero(marked), strict=True):
                ax.text(c + 0.5, r + 0.5, "[c]", ha="center", va="center", fontsize=SMALL_TEXT,
                        color="0.3")
        row_n = n.max(axis=1).astype(int)
        ax.set_yticklabels([f"{_group_word(g)} "
                            f"({_group_n(g, int(row_n[g]), min_n, shown_n).split(',')[0]})"
                            for g in groups], rotation=0)
        ax.set_xticklabels([cell_words(s_) for s_ in subjects], rotation=30, ha="right")
    else:
        _empty(ax, _("no inclusion records"))
    ax.set_xlabel(_("subject"))
    ax.set_ylabel(_axis_name(group))
    fitted_title(ax, with_note(title or _("Where inclusion happens: % of timetabled minutes "
                                          "in mainstream, by subject"), note))
    return fig
