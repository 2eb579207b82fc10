"""Figures of the capacity report: occupancy, need mix and the forecast fan chart.

Each function takes a result table of the capacity measures (:mod:`srb_eval.measures`
occupancy, need_mix, forecast) and returns a matplotlib ``Figure`` in the report style of
:mod:`srb_eval.report.plots` (title, labelled axes with units, n shown, the
colour-blind-safe palette). For a published audience a figure draws only
what the matching ``display_`` table shows: a suppressed count is not drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ...measures.forecast import MIN_HISTORY_YEARS
from .. import capacity as C
from .. import disclosure
from .. import forecast as RF
from ..i18n import PHASE_WORDS, format_date, ngettext
from ..i18n import gettext as _
from . import PALETTE, SMALL_TEXT, bounded_width, fitted_title, new_figure, select_rows, with_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Bar colours by occupancy status (colour is never the only cue: each bar is labelled).
STATUS_COLOURS = {
    "over capacity": PALETTE[3],
    "full": PALETTE[0],
    "spare places": PALETTE[2],
    "under-used": PALETTE[8],
    "no places": PALETTE[7],
    "no data": PALETTE[7],
}


def _hidden(text: pd.Series) -> np.ndarray:
    return text.astype("str").isin([disclosure.SMALL_COUNT_TEXT,
                                    disclosure.SUPPRESSED_TEXT]).to_numpy()


def _fit_labels(ax: Any, labels: list[Any]) -> None:
    """Widen the x axis of ``ax`` (never narrower than it is) so that each label written
    after its bar ends inside the axes: a longer label (a hidden count's, or a status in
    another language) is not cut off at the figure's edge. When every label fits, the
    axis is left as it is. The figure is laid out first (its layout narrows the axes
    while a label runs past them), a few times over."""
    fig = ax.get_figure()
    canvas = FigureCanvasAgg(fig)  # the figure is drawn by Agg anyway
    low, high = ax.get_xlim()
    for _attempt in range(4):
        fig.draw_without_rendering()
        renderer = canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        if all(label.get_window_extent(renderer).x1 <= box.x1 for label in labels) and \
                ax.get_xlim()[1] == high:
            return
        right = ax.get_xlim()[1]
        need = high
        for label in labels:  # the text runs from its anchor (data) to its end
            anchor = label.xy[0] - low
            text = label.get_window_extent(renderer).x1 - box.x0 - anchor / (
                right - low) * box.width
            if 0 < text < 0.9 * box.width:
                need = max(need, low + anchor * box.width / (box.width - text) * 1.02)
        if abs(need - right) <= 0.01 * right:
            return
        ax.set_xlim(low, need)


def occupancy_bars(occ: pd.DataFrame, *, audience: str = "internal",
                   already_published: bool = False) -> Figure:
    """Learners on roll against places, one horizontal bar per SRB.

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`srb_eval.measures.occupancy.occupancy` or ``occupancy_from_census``.
    audience : {"internal", "published"}
    already_published : bool, default False
        As in :func:`srb_eval.report.capacity.display_occupancy`.

    Returns
    -------
    matplotlib.figure.Figure
        The outlined bar is the capacity, the filled bar the number on roll (coloured by
        status); each bar is labelled "on roll / places (occupancy)". An SRB whose count
        is suppressed shows its places only, labelled "not shown (small number)".
    """
    shown = C.display_occupancy(occ, audience=audience, already_published=already_published)
    body = shown.iloc[:-1].reset_index(drop=True)
    occ = occ.reset_index(drop=True)
    cap0 = occ["capacity"].astype("float64").to_numpy()
    on0 = occ["on_roll"].astype("float64").to_numpy()
    rate = np.where(_hidden(body["on_roll"]) | ~(cap0 > 0), np.nan,
                    on0 / np.where(cap0 > 0, cap0, 1.0))
    rows, note = select_rows(list(range(len(body))), rate, noun="SRBs", by=_("occupancy"))
    if note:
        rows = rows[::-1]  # fullest at the top
        occ = occ.iloc[rows].reset_index(drop=True)
        body = body.iloc[rows].reset_index(drop=True)
    n = len(body)
    fig, ax = new_figure(8, max(2.2, 0.55 * n + 1.4))
    y = np.arange(n)[::-1]
    cap = occ["capacity"].astype("float64").to_numpy()
    on = occ["on_roll"].astype("float64").to_numpy()
    hide = _hidden(body["on_roll"])
    ax.barh(y, np.nan_to_num(cap), height=0.7, facecolor="none", edgecolor="0.35",
            linewidth=1.2, label=_("places (capacity)"))
    colours = [STATUS_COLOURS.get(s, PALETTE[7]) for s in occ["status"].astype("str")]
    drawn = ~hide & ~np.isnan(on)
    ax.barh(y[drawn], on[drawn], height=0.45, color=np.array(colours, dtype=object)[drawn])
    top = np.nanmax(np.concatenate([np.nan_to_num(cap), np.nan_to_num(on), [1.0]]))
    notes = []
    for i in range(n):
        if hide[i]:
            label = _("{places} places; on roll not shown (small number)").format(
                places=body.loc[i, "places"])
        elif np.isnan(on[i]):
            label = _("{places} places; no count").format(places=body.loc[i, "places"])
        else:
            label = _("{on_roll} / {places} ({occupancy}, {status})").format(
                on_roll=body.loc[i, "on_roll"], places=body.loc[i, "places"],
                occupancy=body.loc[i, "occupancy"], status=_(body.loc[i, "status"]))
        notes.append(ax.annotate(
            label, xy=(max(np.nan_to_num(cap[i]), np.nan_to_num(on[i])), y[i]),
            xytext=(4, 0), textcoords="offset points", va="center", fontsize=SMALL_TEXT))
    ax.set_yticks(y, body["srb"].tolist())
    ax.set_xlim(0, top * 1.75)
    total = shown.iloc[-1]
    d = pd.Timestamp(occ["census_date"].iloc[0]) if n else None
    totals = _("(all SRBs: {on_roll} on roll for {places} places)").format(
        on_roll=total["on_roll"], places=total["places"])
    title = (_("Learners on roll against places on {date}").format(date=format_date(d, "day"))
             if d is not None else _("Learners on roll against places"))
    fitted_title(ax, with_note(f"{title}\n{totals}", note), fontsize=11)
    ax.set_xlabel(_("number of places / learners on roll"))
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor="0.35")]
    labels = [_("places (capacity)")]
    for status in dict.fromkeys(occ["status"].astype("str")[drawn]):
        handles.append(plt.Rectangle((0, 0), 1, 1, color=STATUS_COLOURS.get(status,
                                                                             PALETTE[7])))
        labels.append(_("on roll: {status}").format(status=_(status)))
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4),
               fontsize=SMALL_TEXT, frameon=False)
    ax.grid(axis="y", visible=False)
    _fit_labels(ax, notes)
    return fig


def need_mix_bars(change: pd.DataFrame, test: pd.DataFrame, *,
                  audience: str = "internal") -> Figure:
    """Share of learners on roll by primary need at two dates (grouped bars).

    Parameters
    ----------
    change : pandas.DataFrame
        From :func:`srb_eval.measures.need_mix.need_mix_change`.
    test : pandas.DataFrame
        From :func:`srb_eval.measures.need_mix.need_mix_test` (its dates label the bars).
    audience : {"internal", "published"}

    Returns
    -------
    matplotlib.figure.Figure
        Percent of learners on roll at each date, n of each date in the legend; a
        suppressed share is not drawn (published audience).
    """
    shown = C.display_need_mix(change, audience=audience).iloc[:-1].reset_index(drop=True)
    n = len(change)
    fig, ax = new_figure(8, max(2.2, 0.45 * n + 1.5))
    y = np.arange(n)[::-1]
    d1, d2 = (pd.Timestamp(test["date_from"].iloc[0]), pd.Timestamp(test["date_to"].iloc[0]))
    for k, (col, share, total, d, colour, off) in enumerate((
            ("share_from", "share_from", "n_total_from", d1, PALETTE[7], 0.2),
            ("share_to", "share_to", "n_total_to", d2, PALETTE[0], -0.2))):
        values = 100 * change[share].astype("float64").to_numpy()
        hide = _hidden(shown[col]) | np.isnan(values)
        nt = int(change[total].max()) if n else 0
        ax.barh(y[~hide] + off, values[~hide], height=0.38, color=colour,
                label=_("{date} (n = {n})").format(date=format_date(d, "day_short"), n=nt))
        for i in np.flatnonzero(hide):
            ax.annotate(_("not shown"), xy=(0, y[i] + off), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=SMALL_TEXT, color="0.4")
        del k
    ax.set_yticks(y, change["primary_need"].astype("str").tolist())
    ax.set_xlabel(_("learners on roll (%)"))
    ax.set_title(_("Primary need of learners on roll at two dates"), fontsize=11)
    ax.legend(loc="lower right", fontsize=SMALL_TEXT)
    ax.grid(axis="y", visible=False)
    return fig


def fig2_bars(fig2: pd.DataFrame) -> Figure:
    """Fig. 2 of the 2020 strategy redrawn: share of statemented pupils by SEN category.

    Parameters
    ----------
    fig2 : pandas.DataFrame
        From :func:`srb_eval.data.published.load_published_fig2`.

    Returns
    -------
    matplotlib.figure.Figure
        January and November 2020 shares; n was not published (said in the title).
    """
    n = len(fig2)
    fig, ax = new_figure(8, max(2.2, 0.45 * n + 1.5))
    y = np.arange(n)[::-1]
    ax.barh(y + 0.2, fig2["pct_jan_2020"], height=0.38, color=PALETTE[7],
            label=format_date(pd.Timestamp("2020-01-01"), "month_short"))
    ax.barh(y - 0.2, fig2["pct_nov_2020"], height=0.38, color=PALETTE[0],
            label=format_date(pd.Timestamp("2020-11-01"), "month_short"))
    labels = [f"{c} ({code})" if len(c) < 40 else f"{c[:37]}... ({code})"
              for c, code in zip(fig2["sen_category"], fig2["need_codes"], strict=True)]
    ax.set_yticks(y, labels, fontsize=SMALL_TEXT)
    ax.set_xlabel(_("pupils with a statement of SEN (%)"))
    fitted_title(fig, _("Statemented pupils by SEN category (Fig. 2 of the 2020 strategy)")
                 + "\n" + _("all pupils with statements in the authority; n not published"),
                 fontsize=11)
    ax.legend(loc="lower right", fontsize=SMALL_TEXT)
    ax.grid(axis="y", visible=False)
    return fig


def forecast_fan(fc: pd.DataFrame, *, audience: str = "internal") -> Figure:
    """The forecast of places needed by phase, with its interval, against capacity.

    Parameters
    ----------
    fc : pandas.DataFrame
        From :func:`srb_eval.measures.forecast.forecast_places`.
    audience : {"internal", "published"}

    Returns
    -------
    matplotlib.figure.Figure
        One panel per phase: the expected number on roll (line; year 0 is the count),
        the interval (shaded; not drawn from fewer than
        :data:`~srb_eval.measures.forecast.MIN_HISTORY_YEARS` years of admissions
        history), and the places (stepped line). The panel title gives the
        number on roll now (n). A phase whose forecast is suppressed says so.
    """
    shown = RF.display_forecast(fc, audience=audience)
    phases = list(dict.fromkeys(fc["phase"]))
    k = max(len(phases), 1)
    fig, axes = plt.subplots(1, k, figsize=(bounded_width(4.2 * k), 3.8), layout="constrained",
                             squeeze=False)
    plt.close(fig)
    cover = int(round(100 * float(fc["interval"].iloc[0]))) if len(fc) else 80
    for ax, ph in zip(axes[0], phases, strict=False):
        f = fc[fc["phase"] == ph].sort_values("year")
        s = shown.loc[f.index]
        x = np.arange(len(f))
        phase = (_(ph) if ph in PHASE_WORDS else ph).capitalize()
        if (s["places_needed"] == disclosure.SUPPRESSED_TEXT).all():
            ax.text(0.5, 0.5, _("not shown: worked out\nfrom a count or rate\nof too few learners"),
                    ha="center", va="center", transform=ax.transAxes, fontsize=9)
            ax.set_title(phase, fontsize=10)
            ax.set_xticks(x, f["school_year"].tolist(), rotation=45, fontsize=SMALL_TEXT)
            continue
        if (f["admission_years_used"] >= MIN_HISTORY_YEARS).all():
            ax.fill_between(x, f["on_roll_low"], f["on_roll_high"], color=PALETTE[0],
                            alpha=0.25, linewidth=0,
                            label=_("{cover}% interval").format(cover=cover))
        else:  # too little history for an interval (report.forecast says why)
            ax.text(0.03, 0.03, _("no interval: too little\nadmissions history"),
                    transform=ax.transAxes, fontsize=SMALL_TEXT, va="bottom")
        ax.plot(x, f["expected_on_roll"], color=PALETTE[0], marker="o",
                label=_("expected on roll (places needed)"))
        ax.step(x, f["capacity"].astype("float64"), where="mid", color=PALETTE[3],
                linestyle="--", label=_("places (capacity)"))
        ax.set_xticks(x, f["school_year"].tolist(), rotation=45, fontsize=SMALL_TEXT)
        now = int(f["expected_on_roll"].iloc[0])
        ax.set_title(ngettext("{phase} ({n} on roll now)", "{phase} ({n} on roll now)",
                              now).format(phase=phase, n=now), fontsize=10)
        top = np.nanmax([f["on_roll_high"].max(), f["capacity"].astype("float64").max(), 1])
        ax.set_ylim(0, top * 1.15)
    for ax in axes[0][len(phases):]:
        ax.set_visible(False)
    axes[0][0].set_ylabel(_("learners on roll at the census\n(places needed)"))
    for ax in axes[0]:
        ax.set_xlabel(_("school year"))
    handles, labels = axes[0][0].get_legend_handles_labels()
    if not handles:
        for ax in axes[0]:
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                break
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=SMALL_TEXT)
    fitted_title(fig, _("Forecast places needed by phase, with a {cover}% interval, against "
                        "places").format(cover=cover), fontsize=11)
    return fig
