"""Text printed in figures contrasts with what it is printed on (WCAG 2.1 AA, 4.5:1)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import QuadMesh  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from srb_eval.measures.groups import ALL  # noqa: E402
from srb_eval.report.plots import (  # noqa: E402
    BAND_COLOURS,
    MIN_CONTRAST,
    PALETTE,
    contrast_ratio,
    text_colour,
)
from srb_eval.report.plots import inclusion as inc_plots  # noqa: E402
from srb_eval.report.plots import outcomes as out_plots  # noqa: E402
from srb_eval.report.plots import progress as prog_plots  # noqa: E402


def _background(ax, x: float, y: float):
    """The colour under the point (x, y) (data coordinates) of ``ax``."""
    for image in ax.images:  # imshow: cell (row, column) = (round(y), round(x))
        arr = image.get_array()
        r, c = int(round(y)), int(round(x))
        if 0 <= r < arr.shape[0] and 0 <= c < arr.shape[1] and not np.ma.is_masked(arr[r, c]) \
                and np.isfinite(arr[r, c]):
            return image.cmap(image.norm(arr[r, c]))
    for mesh in (c for c in ax.collections if isinstance(c, QuadMesh)):
        arr = mesh.get_array()
        r, c = int(np.floor(y)), int(np.floor(x))
        if arr.ndim == 2 and 0 <= r < arr.shape[0] and 0 <= c < arr.shape[1] \
                and not np.ma.is_masked(arr[r, c]) and np.isfinite(arr[r, c]):
            return mesh.cmap(mesh.norm(arr[r, c]))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible() and \
                patch.get_bbox().contains(x, y) and to_rgba(patch.get_facecolor())[3] > 0:
            return patch.get_facecolor()
    return ax.get_facecolor()


def _low_contrast(fig) -> list[tuple[str, float]]:
    low = []
    for ax in fig.axes:
        for t in ax.texts:
            if not t.get_visible() or not t.get_text().strip() or \
                    t.get_transform() != ax.transData:
                continue
            x, y = t.get_position()
            ratio = contrast_ratio(t.get_color(), _background(ax, x, y))
            if ratio < MIN_CONTRAST:
                low.append((t.get_text(), round(ratio, 2)))
    return low


def test_the_text_colour_rule_reaches_aa_on_every_colour_the_figures_fill_with():
    cividis = matplotlib.colormaps["cividis"]
    fills = [cividis(v) for v in np.linspace(0, 1, 256)] + list(BAND_COLOURS.values()) + \
        list(PALETTE)
    worst = min(contrast_ratio(text_colour(f), f) for f in fills)
    assert worst >= MIN_CONTRAST
    # the rule it replaces (white on cividis below 55%) fell short of AA
    assert min(contrast_ratio("white", cividis(v / 100)) for v in range(0, 55)) < MIN_CONTRAST


def test_band_bar_labels_contrast_with_their_bars():
    rng = np.random.default_rng(4)
    k = 12
    s = pd.DataFrame({"srb_id": [f"SRB{i:02d}" for i in range(k)],
                      "n_below": rng.integers(5, 30, k), "n_expected": rng.integers(5, 30, k),
                      "n_above": rng.integers(5, 30, k)})
    s["n_banded"] = s[["n_below", "n_expected", "n_above"]].sum(axis=1)
    s["n_learners"] = s["n_banded"]
    fig = prog_plots.band_bars(s, group="srb_id")
    assert len(fig.axes[0].texts) >= 2 * k  # the percentages were drawn
    assert _low_contrast(fig) == []


def test_subject_heatmap_labels_contrast_with_their_cells():
    subjects = ["English", "Maths", "Science", "Art", "Music"]
    shares = np.linspace(0, 1, 40)  # every shade of the colour scale
    rows = [(f"SRB{i // 5:02d}", subjects[i % 5], 12, float(v)) for i, v in enumerate(shares)]
    breakdown = pd.DataFrame(rows, columns=["srb_id", "subject", "learners_timetabled",
                                            "mainstream_share"])
    fig = inc_plots.subject_heatmap(breakdown, min_n=1)
    labels = [t for t in fig.axes[0].texts if t.get_text().endswith("%")]
    assert len(labels) == 40
    assert _low_contrast(fig) == []


def test_need_heatmap_labels_contrast_with_their_cells():
    rows = []
    for m in ("attendance_rate", "persistent_absence"):
        for g, v in zip(["ASD", "SLCN", "SLD", "MLD", "SEMH", ALL],
                        [5, 25, 45, 50, 70, 95], strict=True):
            rows.append({"measure": m, "label": m.replace("_", " "), "group_label": g,
                         "group_type": "authority" if g == ALL else "primary_need",
                         "value_shown": float(v), "value_text": f"{v}%", "n_text": "12",
                         "unit": "learners", "cell": f"{v}% (12)", "judged": True})
    display = pd.DataFrame(rows)
    fig = out_plots.need_heatmap(display, measures=["attendance_rate", "persistent_absence"],
                                 title="t")
    assert len(fig.axes[0].texts) == 12
    assert _low_contrast(fig) == []


@pytest.mark.parametrize("colour, expected", [("white", 21.0), ("#767676", 4.54)])
def test_contrast_ratio_matches_the_wcag_examples(colour: str, expected: float):
    # WCAG's own examples: black on white 21:1; #767676 on white the lightest grey at 4.5:1
    other = "black" if colour == "white" else "white"
    assert contrast_ratio(colour, other) == pytest.approx(expected, abs=0.01)
