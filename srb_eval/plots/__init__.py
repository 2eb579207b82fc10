"""Figures in one consistent, accessible style.

One module per topic (``plots.progress``, ``plots.inclusion``, ``plots.capacity``), each
function taking a tidy DataFrame from the matching ``srb_eval`` module and returning a
matplotlib ``Figure``. Every figure has a title, labelled axes with units, shows n, and
uses the colour-blind-safe palette below; large datasets are aggregated or binned, never
drawn as millions of points.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

#: Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008), as seaborn's "colorblind".
PALETTE = sns.color_palette("colorblind")
#: Colours for expected-progress bands and similar ordered three-way classifications.
BAND_COLOURS = {"below": PALETTE[3], "expected": PALETTE[7], "above": PALETTE[2]}


def new_figure(width: float = 8, height: float = 4, **kwargs):
    """A figure and axes in the report style (closed from pyplot's registry on return
    so notebooks show each figure exactly once via ``display``)."""
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained", **kwargs)
    plt.close(fig)
    return fig, ax


def reference_line(ax, value: float, label: str, *, axis: str = "y", colour: str = "0.3"):
    """A labelled dashed reference line (e.g. the 50% inclusion yardstick)."""
    line = ax.axhline if axis == "y" else ax.axvline
    line(value, color=colour, linestyle="--", linewidth=1)
    if axis == "y":
        ax.annotate(label, xy=(1, value), xycoords=("axes fraction", "data"),
                    xytext=(-4, 3), textcoords="offset points", ha="right", va="bottom",
                    fontsize=8, color=colour)
    else:
        ax.annotate(label, xy=(value, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -4), textcoords="offset points", ha="left", va="top",
                    fontsize=8, color=colour, rotation=90)
