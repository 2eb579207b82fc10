"""Text alternatives for figures: what a figure shows, in words a screen reader reads out.

:func:`describe_figure` reads a finished matplotlib figure and says what is written on
it: its title, each panel's title and axes, the groups on its axes, its legend, and the
numbers printed on it (bar labels, "n = 45", cell values). It states nothing that is not
written on the figure itself, so a published figure's description discloses no more than
the picture (bar lengths and point positions are not read out: the tables beside each
figure give the numbers). Long lists are shortened, saying how many were left out.
"""

from __future__ import annotations

import re

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..i18n import gettext as _

__all__ = ["MAX_ITEMS", "describe_figure"]

#: Most groups, legend entries or printed numbers a description lists per panel.
MAX_ITEMS = 12


def _clean(text: str) -> str:
    """One line of plain text: line breaks removed, spaces folded. (Figures draw their
    text as written, ``text.parse_math`` off: a ``$`` in a name is a dollar sign.)"""
    return " ".join(text.split())


def _listed(items: list[str], noun: str, *, unique: bool = True) -> str:
    """``items`` joined (once each when ``unique``), at most :data:`MAX_ITEMS`, with how
    many more there are."""
    items = [i for i in (dict.fromkeys(items) if unique else items) if i]
    if len(items) > MAX_ITEMS:
        more = len(items) - MAX_ITEMS
        items = items[:MAX_ITEMS] + [noun.format(more=more)]
    return ", ".join(items)


def _ticks(ax: Axes, which: str) -> list[str]:
    """The tick labels of one axis that lie within its shown range."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    low, high = sorted(ax.get_xlim() if which == "x" else ax.get_ylim())
    # as matplotlib draws them: a label without a tick position is not shown
    pairs = zip(axis.get_majorticklabels(), axis.get_majorticklocs(), strict=False)
    return [_clean(t.get_text()) for t, at in pairs
            if _clean(t.get_text()) and low - 1e-9 <= at <= high + 1e-9]


def _is_category_axis(ticks: list[str]) -> bool:
    """Tick labels that name groups rather than mark a numeric scale."""
    def numeric(t: str) -> bool:
        return re.fullmatch(r"[\u2212\-+]?[\d.,]+\s*%?", t) is not None
    return bool(ticks) and not all(numeric(t) for t in ticks)


def _panel(ax: Axes) -> str:
    """One panel (axes) in words."""
    parts = []
    title = " ".join(_clean(ax.get_title(loc)) for loc in ("left", "center", "right")
                     if _clean(ax.get_title(loc)))
    if title:
        parts.append(_("Panel: {title}.").format(title=title))
    for which in ("x", "y"):
        label = _clean(ax.get_xlabel() if which == "x" else ax.get_ylabel())
        ticks = _ticks(ax, which)
        if _is_category_axis(ticks):
            parts.append(_("{label} ({axis} axis): {groups}.").format(
                label=label or _("Groups"), axis=which,
                groups=_listed(ticks, _("and {more} more groups"))))
        elif label and len(ticks) >= 2:
            parts.append(_("{axis} axis: {label}, from {low} to {high}.").format(
                axis=which, label=label, low=ticks[0], high=ticks[-1]))
        elif label:
            parts.append(_("{axis} axis: {label}.").format(axis=which, label=label))
    legend = ax.get_legend()
    if legend is not None:
        entries = [_clean(t.get_text()) for t in legend.get_texts()]
        head = _clean(legend.get_title().get_text())
        listed = _listed(entries, _("and {more} more entries"))
        parts.append(_("Legend ({title}): {entries}.").format(title=head, entries=listed)
                     if head else _("Legend: {entries}.").format(entries=listed))
    printed = [_clean(t.get_text()) for t in ax.texts if t.get_visible()]
    if printed:
        parts.append(_("Written on the panel: {labels}.").format(
            labels=_listed(printed, _("and {more} more labels"), unique=False)))
    return " ".join(parts)


def describe_figure(fig: Figure) -> str:
    """A text alternative for ``fig``: its title, then each panel in words.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A finished figure, drawn or not; an axis's range is read as it stands, and
        matplotlib settles it as it draws the figure (an axis of 0 to 2.4 may then run
        to 3), so a figure that is shown is described after it is drawn.

    Returns
    -------
    str
        "Figure: <title>." followed by each panel: its title, its axes (group names on a
        category axis, the label and range of a numeric one), its legend and the numbers
        and labels printed on it, each list cut at :data:`MAX_ITEMS` with the count left
        out. Colour bars are described as a scale. Never empty: a figure without any text
        is "Figure without a title or labels".

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.subplots()
    >>> bars = ax.bar(["ASD", "SLD"], [40, 60])
    >>> labels = ax.bar_label(bars, labels=["40%", "60%"])
    >>> _ = ax.set(title="Expected progress", ylabel="Share of results (%)")
    >>> describe_figure(fig)
    'Figure: Expected progress. Groups (x axis): ASD, SLD. y axis: Share of results (%), \
from 0 to 60. Written on the panel: 40%, 60%.'
    """
    suptitle = fig.get_suptitle()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    # the axes of colour bars: those of the images and meshes drawn on the figure
    scales = [m.colorbar.ax for ax in panels for m in [*ax.images, *ax.collections]
              if getattr(m, "colorbar", None) is not None]
    main = [ax for ax in panels if not any(ax is c for c in scales)]
    titles = [_clean(suptitle)] if _clean(suptitle) else []
    if not titles and len(main) == 1:
        t = _clean(main[0].get_title())
        titles = [t] if t else []
    alone = _("Figure.")
    out = [_("Figure: {title}.").format(title=titles[0]) if titles else alone]
    for ax in main:
        text = _panel(ax)
        if titles and len(main) == 1:
            panel = _("Panel: {title}.").format(title=titles[0])
            text = text.replace(panel + " ", "").replace(panel, "")
        if text:
            out.append(text)
    for ax in panels:
        if any(ax is c for c in scales):
            label = _clean(ax.get_ylabel() or ax.get_xlabel())
            ticks = _ticks(ax, "y") or _ticks(ax, "x")
            scale = (_("Colour scale: {label}").format(label=label) if label
                     else _("Colour scale"))
            out.append(_("{scale} from {low} to {high}.").format(
                scale=scale, low=ticks[0], high=ticks[-1]) if len(ticks) >= 2
                else scale + ".")
    text = " ".join(out)
    return text if text != alone else _("Figure without a title or labels.")
