"""Figures of the authority-wide evaluation report (notebook 30).

Each function takes a *display* table of :mod:`srb_eval.report.outcomes` (already worded and
disclosure-controlled for the report's audience) and draws only what that table shows:
a hidden cell ("<5", "[c]") or a group too small to judge is not drawn but labelled, so
a published figure reveals nothing its table does not. Every figure has a title, axis
labels with units, shows n, and uses the colour-blind-safe palette of
:mod:`srb_eval.report.plots` (Okabe & Ito 2008).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ...data.schema import DESTINATIONS
from ...errors import check_argument
from ...measures.groups import ALL
from ...measures.qualifications import LEVELS
from .. import disclosure
from ..i18n import N_, unknown_text
from ..i18n import gettext as _
from ..outcome_words import cell_words, header_words, label_words, name_words
from ..outcomes import percent
from ..quantifiers import NO_DATA, TOO_FEW, quantifier_bounds, term_words
from . import (
    MAX_ROWS,
    MAX_WIDTH,
    PALETTE,
    SMALL_TEXT,
    bounded_height,
    fitted_title,
    new_figure,
    select_rows,
    text_colour,
    with_note,
    wrap_text,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Colours: SRBs or groups, the authority, the comparison year.
GROUP_COLOUR = PALETTE[0]
AUTHORITY_COLOUR = PALETTE[1]
COMPARISON_COLOUR = PALETTE[7]
#: Estyn quantifier lines drawn on share axes: (percentage, label).
QUANTIFIER_LINES: tuple[tuple[float, str], ...] = tuple(
    (100 * quantifier_bounds(t)[0], f"{t} ({percent(quantifier_bounds(t)[0])})")
    for t in ("many", "most"))
LEVEL_COLOURS = dict(zip(LEVELS, [PALETTE[i] for i in (9, 0, 4, 2, 1, 3, 7)], strict=True))
DESTINATION_COLOURS = dict(zip([*DESTINATIONS, "not_recorded"],
                               [PALETTE[i % len(PALETTE)] for i in (2, 3, 5, 0, 1, 9, 4, 8,
                                                                     7, 7)], strict=True))


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    check_argument(ok, name, allowed, got)


def _number(text: object) -> float:
    """A count shown in a display table ("1,234"), else NaN (hidden or no data)."""
    s = str(text).replace(",", "")
    return float(s) if re.fullmatch(r"\d+(\.\d+)?", s) else np.nan


def _status(row: pd.Series) -> str:
    """Why a value is not drawn, in the words of the table."""
    if row["cell"] == NO_DATA:
        return _(NO_DATA)
    if not row["judged"]:
        return _(TOO_FEW)
    return _("not drawn: {cell}").format(cell=cell_words(row["cell"]))


def _quantifier_lines() -> str:
    """The dashed lines' words: "many (70%), most (90%)" (Estyn's words in Welsh)."""
    words = term_words()
    return ", ".join(_("{word} ({share})").format(word=words[t], share=percent(share / 100))
                     for share, t in zip((x for x, _w in QUANTIFIER_LINES), ("many", "most"),
                                         strict=True))


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10,
            color="0.3")
    ax.set_xticks([])
    ax.set_yticks([])


def _noun(display: pd.DataFrame) -> str:
    """What the groups of ``display`` are, for :func:`~srb_eval.report.plots.select_rows`."""
    kinds = set(display.get("group_type", pd.Series(dtype=object))) - {"authority"}
    return {"srb_id": "SRBs", "primary_need": "groups by need"}.get(
        kinds.pop() if len(kinds) == 1 else "", "groups")


#: The measure :func:`stacked_counts` chooses its rows by, for each total column.
_COUNT_MEASURES = {"awards": N_("number of awards"), "leavers": N_("number of leavers")}


def _count_measure(total_column: str) -> str:
    """"number of leavers" (the rows' totals), in the report's language."""
    if total_column in _COUNT_MEASURES:
        return _(_COUNT_MEASURES[total_column])
    return unknown_text(f"number of {total_column}")


def _value_label(row: pd.Series) -> str:
    if row["unit"] == "per_100":
        return _("{value} per 100 (n={n})").format(value=row["value_text"], n=row["n_text"])
    return _("{value} (n={n})").format(value=row["value_text"], n=row["n_text"])


def _wrapped_cell(cell: str) -> str:
    """A table cell on two lines for a heatmap square, in the report's language."""
    return str(cell_words(cell)).replace(": ", ":\n").replace(
        " per 100 (", " per 100\n(").replace("more than ", "more than\n").replace(
        " fesul 100 (", " fesul 100\n(").replace("mwy na ", "mwy na\n")


def measure_bars(display: pd.DataFrame, *, measures: Sequence[str], title: str,
                 ncols: int = 2, reference: bool = False) -> Figure:
    """One panel per measure, one bar per group (the authority last, in its own colour).

    Parameters
    ----------
    display : DataFrame
        From :func:`srb_eval.report.outcomes.display_measures` (one breakdown, e.g.
        ``group_type="srb_id"``, whose last row per measure is the authority).
    measures : list of str
        Measure ids, one panel each, in order.
    title : str
        The figure's title (n is added per bar).
    ncols : int, default 2
    reference : bool, default False
        Draw the Estyn "many" (70%) and "most" (90%) lines on share panels of learners
        (for measures where higher is better, such as progress).

    Returns
    -------
    matplotlib.figure.Figure
        Bars of ``value_shown`` (percentage of learners, sessions or places; exclusions
        per 100 learners), each labelled with its value and n; a group whose value is
        hidden, too small to judge or missing has no bar and says why. With more than
        :data:`srb_eval.report.plots.MAX_ROWS` groups each panel draws its own 10 lowest and 10
        highest values (highest at the top) and the authority, every panel is labelled,
        and the title says so.
    """
    d = display.loc[display["measure"].isin(list(measures))]
    panels = [m for m in measures if m in set(d["measure"])]
    if not panels:
        fig, ax = new_figure(8, 2.5)
        _empty(ax, _(NO_DATA))
        ax.set_title(title, fontsize=11)
        return fig
    all_groups = list(dict.fromkeys(d["group_label"]))
    many = len(all_groups) > MAX_ROWS
    note = None
    panel_groups = []
    for m in panels:
        values = (d.loc[d["measure"] == m].drop_duplicates("group_label")
                  .set_index("group_label")["value_shown"].reindex(all_groups).astype(float))
        chosen, note_m = select_rows(all_groups, values.to_numpy(), noun=_noun(d),
                                     by=_("value in each panel"), keep=[ALL])
        # the lowest at the bottom, as the usual order puts the authority there
        panel_groups.append(chosen if not many else
                            [g for g in chosen if g != ALL][::-1]
                            + [g for g in chosen if g == ALL])
        note = note or note_m
    rows = max(len(g) for g in panel_groups)
    nc = max(1, min(ncols, len(panels)))
    nr = int(np.ceil(len(panels) / nc))
    height = bounded_height(0.9 + nr * (0.6 + 0.32 * rows))
    fig, axes = plt.subplots(nr, nc, figsize=(MAX_WIDTH if nc > 1 else 8, height),
                             layout="constrained", squeeze=False)
    plt.close(fig)
    for i, ax in enumerate(axes.ravel()):
        if i >= len(panels):
            ax.set_visible(False)
            continue
        groups = panel_groups[i]
        sub = d.loc[d["measure"] == panels[i]].set_index("group_label").reindex(groups)
        y = np.arange(len(groups))[::-1]
        vals = sub["value_shown"].astype(float).to_numpy()
        unit = sub["unit"].dropna().iloc[0]
        colours = [AUTHORITY_COLOUR if g == ALL else GROUP_COLOUR for g in groups]
        drawn = ~np.isnan(vals)
        ax.barh(y[drawn], vals[drawn], color=np.array(colours, dtype=object)[drawn],
                height=0.62)
        top = 100.0 if unit != "per_100" else max(10.0, float(np.nanmax(vals)) * 1.25
                                                  if drawn.any() else 10.0)
        for j, g in enumerate(groups):
            row = sub.loc[g]
            if isinstance(row, pd.DataFrame) or pd.isna(row.get("cell")):
                continue
            text = _value_label(row) if drawn[j] else _status(row)
            ax.annotate(text, xy=(vals[j] if drawn[j] else 0, y[j]), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=SMALL_TEXT,
                        color="0.15" if drawn[j] else "0.35")
        lines = reference and unit == "learners"
        if lines:
            for x, _label in QUANTIFIER_LINES:
                ax.axvline(x, color="0.45", linestyle="--", linewidth=0.8, zorder=0)
        ax.set_xlim(0, top * 1.45)
        ax.set_ylim(-0.6, len(groups) - 0.4)
        if unit != "per_100":
            ax.set_xticks(range(0, 101, 20))
        ax.set_yticks(y, [name_words(g) for g in groups] if i % nc == 0 or many
                      else [""] * len(groups), fontsize=SMALL_TEXT)
        label = d.loc[d["measure"] == panels[i], "label"].iloc[0]
        ax.set_title(label_words(label), fontsize=9)
        axis = {"learners": _("% of learners (n shown)"),
                "sessions": _("% of possible sessions attended"),
                "per_100": _("exclusions per 100 learners"),
                "places": _("% of places")}[unit]
        ax.set_xlabel(_("{axis}\ndashed: {lines}").format(axis=axis, lines=_quantifier_lines())
                      if lines else axis, fontsize=SMALL_TEXT)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="x", labelsize=SMALL_TEXT)
    fitted_title(fig, with_note(title, note), fontsize=11)
    return fig


def need_heatmap(display: pd.DataFrame, *, measures: Sequence[str], title: str) -> Figure:
    """The R5 group analysis: share of learners per measure (rows) and need (columns).

    Parameters
    ----------
    display : DataFrame
        :func:`srb_eval.report.outcomes.display_measures` with ``group_type="primary_need"``.
    measures : list of str
        Measure ids (learner shares and attendance; one row each).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        A grid coloured by the percentage shown (cividis, readable in grey and by
        colour-blind readers), each cell labelled with its value and n; a cell whose
        percentage is not shown is grey and carries the table's text ("<5 of 8", "[c]"),
        groups too small to judge "too few".
    """
    d = display.loc[display["measure"].isin(list(measures))]
    rows = [m for m in measures if m in set(d["measure"])]
    cols = list(dict.fromkeys(d["group_label"]))
    fig, ax = new_figure(2.6 + 0.75 * max(len(cols), 1), 1.8 + 0.5 * max(len(rows), 1))
    if not rows or not cols:
        _empty(ax, _(NO_DATA))
        ax.set_title(title, fontsize=11)
        return fig
    grid = d.pivot(index="measure", columns="group_label", values="value_shown").reindex(
        index=rows, columns=cols).astype(float)
    cells = d.pivot(index="measure", columns="group_label", values="value_text").reindex(
        index=rows, columns=cols)
    table_cells = d.pivot(index="measure", columns="group_label", values="cell").reindex(
        index=rows, columns=cols)
    ns = d.pivot(index="measure", columns="group_label", values="n_text").reindex(
        index=rows, columns=cols)
    judged = d.pivot(index="measure", columns="group_label", values="judged").reindex(
        index=rows, columns=cols)
    labels = d.drop_duplicates("measure").set_index("measure")["label"].reindex(rows)
    ax.imshow(np.where(np.isnan(grid.to_numpy()), np.nan, grid.to_numpy()), cmap="cividis",
              vmin=0, vmax=100, aspect="auto")
    ax.set_facecolor("0.9")
    for i in range(len(rows)):
        for j in range(len(cols)):
            v = grid.iat[i, j]
            if np.isnan(v):
                ok = judged.iat[i, j]
                text = (_wrapped_cell(str(table_cells.iat[i, j]))
                    if (ok is True or ok == 1) else (
                    # Translators: in a heatmap square; break the line if it is long
                    _("too few") if pd.notna(ok) else _(NO_DATA)))
                colour = "0.3"
            else:
                text = _("{value}\nn={n}").format(value=cells.iat[i, j], n=ns.iat[i, j])
                colour = text_colour(matplotlib.colormaps["cividis"](v / 100))
            ax.text(j, i, text, ha="center", va="center", fontsize=SMALL_TEXT, color=colour)
    ax.set_xticks(range(len(cols)), [name_words(c) for c in cols], fontsize=SMALL_TEXT,
                  rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), [wrap_text(str(label_words(x)), 2.2, SMALL_TEXT)
                                     for x in labels], fontsize=SMALL_TEXT)
    ax.set_xlabel(_("primary need (and all SRBs)"))
    ax.set_ylabel(_("measure (% of learners; attendance: % of sessions)"))
    ax.grid(False)
    ax.set_title(title, fontsize=11)
    return fig


def year_on_year_dots(table: pd.DataFrame, *, year: str, comparison_year: str | None,
                      title: str) -> Figure:
    """This year against the comparison year for each authority-wide measure in %.

    Parameters
    ----------
    table : DataFrame
        From :func:`srb_eval.report.year_on_year.display_year_on_year` (``measure``,
        ``value_shown``, ``comparison_shown``, ``change``).
    year, comparison_year : str
        Labels of the two years.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        One row per measure given in % (rates per 100 are left to the table): a grey
        ring for the comparison year, a filled dot for this year, joined by a line;
        values not shown are not drawn and the row says why.
    """
    t = table.loc[~table["this_year"].astype("str").str.contains(" per 100")].reset_index(
        drop=True)
    fig, ax = new_figure(9, 1.4 + 0.36 * max(len(t), 1))
    if len(t) == 0:
        _empty(ax, _(NO_DATA))
        ax.set_title(title, fontsize=11)
        return fig
    y = np.arange(len(t))[::-1]
    now = t["value_shown"].astype(float).to_numpy()
    then = t["comparison_shown"].astype(float).to_numpy()
    both = ~np.isnan(now) & ~np.isnan(then)
    for i in np.flatnonzero(both):
        ax.plot([then[i], now[i]], [y[i], y[i]], color="0.6", linewidth=1.2, zorder=1)
    has_then = ~np.isnan(then)
    ax.scatter(then[has_then], y[has_then], s=42, facecolors="white",
               edgecolors=COMPARISON_COLOUR, linewidths=1.5, zorder=2,
               label=comparison_year or _("comparison year"))
    has_now = ~np.isnan(now)
    ax.scatter(now[has_now], y[has_now], s=42, color=AUTHORITY_COLOUR, zorder=3, label=year)
    for i in range(len(t)):
        if has_now[i]:
            text = (str(cell_words(t["change"].iloc[i])) if both[i] else
                    _("no comparison shown"))
            ax.annotate(text, xy=(101, y[i]), fontsize=SMALL_TEXT, va="center", color="0.25")
        else:
            ax.annotate(_("not drawn: {cell}").format(cell=cell_words(t["this_year"].iloc[i])),
                        xy=(101, y[i]),
                        fontsize=SMALL_TEXT, va="center", color="0.35")
    ax.set_yticks(y, [label_words(m) for m in t["measure"]], fontsize=SMALL_TEXT)
    ax.set_xlim(0, 160)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(_("% of learners (attendance: % of sessions; places: % of places)"))
    fig.legend(fontsize=SMALL_TEXT, frameon=False, loc="outside lower center", ncols=2)
    ax.grid(axis="y", visible=False)
    fitted_title(ax, title, fontsize=11)
    return fig


def stacked_counts(table: pd.DataFrame, *, label_columns: Sequence[str],
                   count_columns: Sequence[str], total_column: str, colours: dict,
                   title: str, xlabel: str, total_label: str | None = None,
                   noun: str = "groups",
                   thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> Figure:
    """Horizontal stacked bars of the counts a display table shows (awards, destinations).

    Parameters
    ----------
    table : DataFrame
        A display table (text counts after disclosure control), one row per bar.
    label_columns : list of str
        Columns joined to label each bar.
    count_columns : list of str
        The segments, in order; hidden cells ("<5", "[c]") are not drawn.
    total_column : str
        Shown as the bar's n.
    colours : dict
        Segment colours by column.
    title, xlabel : str
    total_label : str, optional
        Label of a total row to leave out of the bars (it is in the title instead).
    noun : str, default "groups"
        What the rows are, plural, one of
        :data:`~srb_eval.report.plots.selection_words.GROUP_NOUNS` ("SRBs"), for the note when there are more than
        :data:`srb_eval.report.plots.MAX_ROWS` (then only the 20 rows with the largest totals
        are drawn, largest at the top, without a row labelled "all SRBs", and the title
        says so).
    thresholds : disclosure.Thresholds
        The disclosure policy the table was made under (which texts mark a hidden count).

    Returns
    -------
    matplotlib.figure.Figure
        With no bars, only a sentence saying so, when every count and total of the rows
        drawn is hidden or 0, and some are hidden (a small year's leavers by destination).
    """
    t = table
    if total_label is not None:
        t = t.loc[~(t[list(label_columns)].astype("str") == total_label).any(axis=1)]
    t = t.reset_index(drop=True)
    labels = t[list(label_columns)].astype("str").agg(": ".join, axis=1).tolist()
    body = [i for i, x in enumerate(labels) if x != ALL] if len(t) > MAX_ROWS else []
    rows, note = select_rows(body, [_number(t[total_column].iloc[i]) for i in body],
                             noun=noun, by=_count_measure(str(total_column)) if body else "",
                             ends="high")
    if note:
        # largest at the top; a total row would dwarf the bars and is in the title
        t = t.iloc[rows[::-1]].reset_index(drop=True)
        title = with_note(title, note)
    # every count hidden or 0, some hidden: say so, rather than draw an empty frame of
    # "[c] in all" labels
    markers = (thresholds.small_count_text, disclosure.SUPPRESSED_TEXT)
    cells = t[[*count_columns, total_column]]
    nothing = (not cells.map(_number).gt(0).any(axis=None)
               and cells.astype("str").isin(markers).any(axis=None))
    fig, ax = new_figure(9, 1.6 + 0.42 * max(0 if nothing else len(t), 1))
    if len(t) == 0 or nothing:
        _empty(ax, _(NO_DATA) if len(t) == 0 else
               _("Nothing to draw: every count is hidden (small numbers) or 0"))
        ax.set_title(title, fontsize=11)
        return fig
    y = np.arange(len(t))[::-1]
    totals = np.array([_number(x) for x in t[total_column]])
    outline = ~np.isnan(totals)
    ax.barh(y[outline], totals[outline], height=0.62, facecolor="none", edgecolor="0.35",
            linewidth=1.0, label=_("total (segments not shown are small numbers)"))
    left = np.zeros(len(t))
    used = []
    for c in count_columns:
        v = np.array([_number(x) for x in t[c]])
        drawn = ~np.isnan(v) & (v > 0)
        if drawn.any():
            ax.barh(y[drawn], v[drawn], left=left[drawn], color=colours.get(c, PALETTE[7]),
                    height=0.62, edgecolor="white",
                    label=header_words(str(c).replace("_", " ")))
            used.append(c)
        left += np.nan_to_num(v)
    hidden = t[list(count_columns)].astype("str").isin(markers).any(axis=1).to_numpy()
    end = np.fmax(left, np.nan_to_num(totals))
    for i in range(len(t)):
        total = str(t[total_column].iloc[i])
        if np.isnan(totals[i]) and left[i] == 0 and total in markers:  # nothing of it shown
            note = _("not drawn: {cell}").format(cell=cell_words(total))
        else:
            note = (_("{total} in all;\nsome not shown (small numbers)") if hidden[i] else
                    _("{total} in all")).format(total=total)
        ax.annotate(note, xy=(end[i], y[i]), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=SMALL_TEXT, color="0.25")
    names = t[list(label_columns)].astype("str").map(name_words).agg(": ".join, axis=1)
    ax.set_yticks(y, names.tolist(), fontsize=SMALL_TEXT)
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.set_xlim(0, max(1.0, float(end.max())) * 1.9)
    ax.set_xlabel(xlabel)
    if used or outline.any():
        fig.legend(fontsize=SMALL_TEXT, frameon=False, loc="outside lower center", ncols=4)
    ax.grid(axis="y", visible=False)
    ax.set_title(title, fontsize=11)
    return fig
