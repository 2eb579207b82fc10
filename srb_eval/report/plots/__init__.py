"""Figures in one consistent, accessible style.

One module per topic (``plots.progress``, ``plots.inclusion``, ``plots.capacity``), each
function taking a tidy DataFrame from the matching ``srb_eval`` module and returning a
matplotlib ``Figure``. Every figure has a title, labelled axes with units, shows n, and
uses the colour-blind-safe palette below; large datasets are aggregated or binned, never
drawn as millions of points.

Many groups (the rule for every figure with one row, bar or box per group)
--------------------------------------------------------------------------
A figure draws at most :data:`MAX_ROWS` groups. With more (281 SRBs in a Wales-size
dataset), it draws only the groups at the extremes of the figure's own measure: the
:data:`EXTREME_ROWS` lowest and the :data:`EXTREME_ROWS` highest (see
:func:`select_rows`), and its title says so ("281 SRBs: the 10 lowest and 10 highest by
median share shown; the table lists all"). Tables are never cut. A notebook that wants
every group in a picture passes a coarser grouping instead (phase, local authority).
No figure is taller than :data:`MAX_HEIGHT` inches whatever the data
(:func:`bounded_height`, applied by :func:`new_figure`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from ..i18n import gettext as _
from .selection_words import group_count, measure_words, selection_note

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

#: Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008), as seaborn's "colorblind".
PALETTE = sns.color_palette("colorblind")
#: Colours for expected-progress bands and similar ordered three-way classifications.
BAND_COLOURS = {"below": PALETTE[3], "expected": PALETTE[7], "above": PALETTE[2]}


#: Least contrast between text and what it is printed on (WCAG 2.1, 1.4.3, level AA).
MIN_CONTRAST = 4.5
#: Size, in points, of the smallest text a figure prints (value labels, legends, notes on
#: reference lines): 12 px at the reports' 96 dpi. Nothing in a figure is smaller.
SMALL_TEXT = 9


def relative_luminance(colour: Any) -> float:
    """Relative luminance of a matplotlib colour (WCAG 2.1 definition).

    :math:`L = 0.2126 R + 0.7152 G + 0.0722 B`, each channel linearised from sRGB:
    :math:`c / 12.92` for :math:`c \\le 0.04045`, else :math:`((c + 0.055) / 1.055)^{2.4}`.

    References
    ----------
    .. [1] W3C (2018). *Web Content Accessibility Guidelines (WCAG) 2.1*, definitions of
       "relative luminance" and "contrast ratio".
    """
    from matplotlib.colors import to_rgb

    rgb = np.asarray(to_rgb(colour), dtype=float)
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(foreground: Any, background: Any) -> float:
    """WCAG 2.1 contrast ratio :math:`(L_1 + 0.05) / (L_2 + 0.05)`, lighter over darker.

    >>> round(contrast_ratio("white", "black"), 1), round(contrast_ratio("0.5", "0.5"), 1)
    (21.0, 1.0)
    """
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)))
    return (b + 0.05) / (a + 0.05)


def text_colour(background: Any) -> str:
    """"black" or "white": whichever contrasts more with ``background``. One of the two
    always reaches :data:`MIN_CONTRAST` (the worst case, a mid grey, gives 4.58:1).

    >>> text_colour("#ffffff"), text_colour("#00204d"), text_colour((0.5, 0.5, 0.45))
    ('black', 'white', 'black')
    """
    return ("black" if contrast_ratio("black", background) >= contrast_ratio("white", background)
            else "white")


#: Plain English for the column names and codes a figure would otherwise show as they are
#: stored (an axis reading "srb id"); anything else is shown with "_" read as a space.
PLAIN_NAMES = {"srb_id": "resource base", "primary_need": "primary need",
               "fsm": "free school meals", "year_group": "year group",
               "local_authority": "local authority",
               "personal_social": "personal and social skills"}


def plain_name(value: object) -> str:
    """How a figure names a column or code: :data:`PLAIN_NAMES`, else ``_`` as a space.

    >>> plain_name("srb_id"), plain_name("personal_social"), plain_name("SRB01")
    ('resource base', 'personal and social skills', 'SRB01')
    """
    text = str(value)
    return PLAIN_NAMES.get(text, text.replace("_", " "))


#: Most groups (rows, bars, boxes) one figure draws; with more, only the extremes.
MAX_ROWS = 30
#: Groups drawn at each end when there are more than :data:`MAX_ROWS`.
EXTREME_ROWS = 10
#: Tallest figure, in inches, whatever the data.
MAX_HEIGHT = 20.0
#: Widest figure, in inches: the reports' text column (62rem less its padding, 944 px)
#: at 96 dpi is 9.8 inches; a wider picture is shrunk to fit, and its 9 pt text with it
#: (the Estyn report's 13-inch Figure 6.2 printed 6.5 pt labels at about 6 px).
MAX_WIDTH = 9.5


def bounded_height(height: float) -> float:
    """``height`` capped at :data:`MAX_HEIGHT` inches."""
    return float(min(height, MAX_HEIGHT))


def bounded_width(width: float) -> float:
    """``width`` capped at :data:`MAX_WIDTH` inches (so the report never shrinks it)."""
    return float(min(width, MAX_WIDTH))


def select_rows(keys: Sequence, values: Sequence[float] | None = None, *,
                noun: str = "groups", by: str | None = None, max_rows: int | None = None,
                extremes: int | None = None, keep: Sequence = (),
                ends: str = "both") -> tuple[list, str | None]:
    """Which groups a figure draws, and the note saying what was left out.

    Parameters
    ----------
    keys : sequence
        The groups in the figure's usual order (one row, bar or box each).
    values : sequence of float, optional
        The figure's measure for each group (NaN: nothing shown for the group), used to
        pick the extremes. Without values the first ``2 * extremes`` groups are drawn.
    noun : str, default "groups"
        What the groups are, plural, one of
        :data:`~srb_eval.report.plots.selection_words.GROUP_NOUNS` ("SRBs"); the note
        counts them in the report's language
        (:func:`~srb_eval.report.plots.selection_words.group_count`).
    by : str, optional
        The measure's name for the note, in the report's language ("median share");
        default "value".
    max_rows : int, optional
        Default :data:`MAX_ROWS` (read when called).
    extremes : int, optional
        Default :data:`EXTREME_ROWS`, at most half of ``max_rows``.
    keep : sequence, default ()
        Keys always drawn (e.g. the authority's own row), after the others; they do not
        count towards the groups named in the note.
    ends : {"both", "high"}, default "both"
        "high": the ``2 * extremes`` highest values only, in ascending order (for counts,
        where the lowest are mostly zero); the note reads "281 SRBs: the 20 highest by
        number of leavers shown; the table lists all".

    Returns
    -------
    (list, str or None)
        The keys to draw and the note, in the report's language
        (:func:`~srb_eval.report.plots.selection_words.selection_note`). Up to
        ``max_rows`` groups: every key in its own order and no note. More: the
        ``extremes`` lowest then the ``extremes`` highest values in ascending order
        (groups with no value are not drawn; ties broken by the usual order), then
        ``keep``; the note reads "281 SRBs: the 10 lowest and 10 highest by median share
        shown; the table lists all".
    """
    max_rows = MAX_ROWS if max_rows is None else int(max_rows)
    keys = list(keys)
    kept = [k for k in keys if k in set(keep)]
    rest = [k for k in keys if k not in set(keep)]
    if len(keys) <= max_rows:
        return keys, None
    k = EXTREME_ROWS if extremes is None else int(extremes)
    k = min(k, max(1, (max_rows - len(kept)) // 2))
    groups = group_count(noun, len(rest))
    if values is None:
        return rest[:2 * k] + kept, selection_note("first", groups=groups, k=2 * k)
    measure = _("value") if by is None else by
    vals = np.asarray(values, dtype=float)
    idx = [i for i, key in enumerate(keys) if key not in set(keep) and not np.isnan(vals[i])]
    order = sorted(idx, key=lambda i: (vals[i], i))
    if len(order) <= 2 * k:
        chosen, note = order, selection_note("with_value", groups=groups, k=len(order))
    elif ends == "high":
        chosen, note = order[-2 * k:], selection_note("highest", groups=groups, k=2 * k,
                                                      measure=measure)
    else:
        chosen, note = order[:k] + order[-k:], selection_note(
            "lowest_and_highest", groups=groups, k=k, measure=measure)
    return [keys[i] for i in chosen] + kept, note


def chosen_rows(keys: Sequence, values: Sequence[float], *, noun: str, by: str,
                measures: Collection[str]) -> tuple[list, str | None]:
    """:func:`select_rows` of a figure's groups (``noun``: what they are, plural; ``by``:
    the measure they are chosen by, in English, one of ``measures``, messages marked
    with :func:`~srb_eval.report.i18n.N_`), with its note (if any) in the report's
    language; a measure not in ``measures`` is named as it is, with a warning in another
    language (:func:`~srb_eval.report.plots.selection_words.measure_words`).

    >>> chosen_rows(["a", "b"], [1.0, 2.0], noun="SRBs", by="median", measures=())
    (['a', 'b'], None)
    """
    if len(keys) <= MAX_ROWS:  # every group drawn: no note, no measure named
        return list(keys), None
    return select_rows(keys, values, noun=noun, by=measure_words(by, measures))


def with_note(title: str, note: str | None) -> str:
    """``title`` with the :func:`select_rows` note on a line of its own (if any)."""
    return title if not note else f"{title}\n({note})"


def wrap_text(text: str, width: float, fontsize: float) -> str:
    """``text`` broken at spaces into lines that fit ``width`` inches at ``fontsize``
    points, reckoning a character 0.6 em wide on average (DejaVu Sans, the reports'
    font, averages about 0.55 em); lines already broken stay broken.

    >>> print(wrap_text("Reading Age Test: baseline and latest score (n=131)", 3, 12))
    Reading Age Test: baseline and
    latest score (n=131)
    """
    chars = max(12, int(width * 72 / (0.6 * fontsize)))
    return "\n".join(textwrap.fill(line, chars) for line in str(text).split("\n"))


def fitted_title(target: Figure | Axes, text: str, *, share: float = 1.0,
                 **kwargs: Any) -> Text:
    """Set the title of ``target`` (a ``Figure``: its suptitle; an ``Axes``: its title),
    wrapped by :func:`wrap_text` to ``share`` of the figure's width so that no title runs
    off the picture. Returns the title's ``Text``."""
    from matplotlib.figure import Figure

    title = (target.suptitle(text, **kwargs) if isinstance(target, Figure)
             else target.set_title(text, **kwargs))
    width = share * title.get_figure(root=True).get_figwidth() - 0.3
    title.set_text(wrap_text(text, width, title.get_fontsize()))
    return title


def new_figure(width: float = 8, height: float = 4, **kwargs: Any
               ) -> tuple[Figure, Any]:
    """A figure and axes in the report style (closed from pyplot's registry on return
    so notebooks show each figure exactly once via ``display``); the width is capped at
    :data:`MAX_WIDTH` inches, the height at :data:`MAX_HEIGHT`."""
    fig, ax = plt.subplots(figsize=(bounded_width(width), bounded_height(height)),
                           layout="constrained",
                           **kwargs)
    plt.close(fig)
    return fig, ax


def reference_line(ax: Axes, value: float, label: str, *, axis: str = "y",
                   colour: str = "0.3") -> None:
    """A labelled dashed reference line (e.g. the 50% inclusion yardstick)."""
    line = ax.axhline if axis == "y" else ax.axvline
    line(value, color=colour, linestyle="--", linewidth=1)
    if axis == "y":
        ax.annotate(label, xy=(1, value), xycoords=("axes fraction", "data"),
                    xytext=(-4, 3), textcoords="offset points", ha="right", va="bottom",
                    fontsize=SMALL_TEXT, color=colour)
    else:
        ax.annotate(label, xy=(value, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -4), textcoords="offset points", ha="left", va="top",
                    fontsize=SMALL_TEXT, color=colour, rotation=90)
