"""Figures with one row per group stay readable and bounded with many groups (issue 8).

With more than ``MAX_ROWS`` groups a figure draws only the extremes and says so in its
title; with few it draws every group and adds no note; no figure is taller than
``MAX_HEIGHT`` inches.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from srb_eval.measures.groups import ALL  # noqa: E402
from srb_eval.report.i18n import in_language  # noqa: E402
from srb_eval.report.plots import EXTREME_ROWS, MAX_HEIGHT, MAX_ROWS, select_rows  # noqa: E402
from srb_eval.report.plots import inclusion as inc_plots  # noqa: E402
from srb_eval.report.plots import outcomes as out_plots  # noqa: E402
from srb_eval.report.plots import progress as prog_plots  # noqa: E402

NOTE = "the table lists all"


def _ids(k: int) -> list[str]:
    return [f"SRB{i:03d}" for i in range(1, k + 1)]


def _titles(fig) -> str:
    parts = [fig._suptitle.get_text() if fig._suptitle is not None else ""]
    parts += [ax.get_title() for ax in fig.axes]
    return "\n".join(" ".join(p.split()) for p in parts)  # titles wrap to the figure


def _rows(ax) -> int:
    return sum(1 for t in ax.get_yticklabels() if t.get_text())


def _check(fig, k: int, rows: int, shown: str | None = None) -> None:
    shown = shown or f"{EXTREME_ROWS} lowest and {EXTREME_ROWS} highest"
    try:
        assert fig.get_size_inches()[1] <= MAX_HEIGHT + 1e-9
        text = _titles(fig)
        if k > MAX_ROWS:
            assert rows <= MAX_ROWS
            assert f"{k} SRBs" in text and NOTE in text
            assert shown in text
        else:
            assert rows == k
            assert NOTE not in text
    finally:
        plt.close(fig)


def _latest(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    ids = np.repeat(_ids(k), 12)
    return pd.DataFrame({"learner_id": [f"L{i}" for i in range(len(ids))], "srb_id": ids,
                         "inclusion_share": rng.uniform(0, 1, len(ids)),
                         "core_inclusion_share": rng.uniform(0, 1, len(ids))})


def _breakdown(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    subjects = ["English", "Maths", "Science", "Art"]
    rows = [(g, s, int(rng.integers(5, 20)), float(rng.uniform(0, 1)))
            for g in _ids(k) for s in subjects]
    return pd.DataFrame(rows, columns=["srb_id", "subject", "learners_timetabled",
                                       "mainstream_share"])


@pytest.mark.parametrize("k", [5, 300])
def test_subject_heatmap(k):
    fig = inc_plots.subject_heatmap(_breakdown(k), min_n=1)
    _check(fig, k, _rows(fig.axes[0]))


@pytest.mark.parametrize("k", [5, 300])
def test_share_distribution(k):
    fig = inc_plots.share_distribution(_latest(k), min_n=1)
    _check(fig, k, _rows(fig.axes[0]))


def test_share_distribution_keeps_the_extremes():
    latest = _latest(300)
    fig = inc_plots.share_distribution(latest, min_n=1)
    try:
        shown = [t.get_text().split("\n")[0] for t in fig.axes[0].get_yticklabels()]
        medians = latest.groupby("srb_id")["inclusion_share"].median().sort_values()
        want = list(medians.index[:EXTREME_ROWS]) + list(medians.index[-EXTREME_ROWS:])
        assert shown == want
    finally:
        plt.close(fig)


@pytest.mark.parametrize("k", [5, 300])
def test_trend_bars(k):
    rng = np.random.default_rng(3)
    c = pd.DataFrame({"srb_id": _ids(k), **{w: rng.integers(0, 9, k) for w in
                                             ("rising", "steady", "falling",
                                              "too_few_terms")}})
    c["n"] = c[["rising", "steady", "falling", "too_few_terms"]].sum(axis=1)
    fig = inc_plots.trend_bars(c)
    _check(fig, k, _rows(fig.axes[0]))


@pytest.mark.parametrize("k", [5, 300])
def test_band_bars_and_gas(k):
    rng = np.random.default_rng(4)
    s = pd.DataFrame({"srb_id": _ids(k), "n_below": rng.integers(1, 9, k),
                      "n_expected": rng.integers(1, 9, k), "n_above": rng.integers(1, 9, k)})
    s["n_banded"] = s[["n_below", "n_expected", "n_above"]].sum(axis=1)
    s["n_learners"] = s["n_banded"]
    fig = prog_plots.band_bars(s, group="srb_id")
    _check(fig, k, _rows(fig.axes[0]))
    ids = np.repeat(_ids(k), 6)
    g = pd.DataFrame({"srb_id": ids, "learner_id": [f"L{i}" for i in range(len(ids))],
                      "gas_t": rng.normal(50, 10, len(ids))})
    fig = prog_plots.gas_distribution(g, safe=True)
    _check(fig, k, _rows(fig.axes[0]))


def _display(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for m in ("attendance_rate", "persistent_absence"):
        for g in [*_ids(k), ALL]:
            v = float(rng.uniform(40, 100))
            rows.append({"measure": m, "label": m.replace("_", " "), "group_label": g,
                         "group_type": "authority" if g == ALL else "srb_id",
                         "value_shown": v, "value_text": f"{v:.0f}%", "n_text": "12",
                         "unit": "learners", "cell": f"{v:.0f}% (12)", "judged": True})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("k", [5, 300])
def test_measure_bars(k):
    fig = out_plots.measure_bars(_display(k), measures=["attendance_rate",
                                                        "persistent_absence"], title="t")
    try:
        for ax in fig.axes:
            if ax.get_visible() and k > MAX_ROWS:
                labels = [t.get_text() for t in ax.get_yticklabels()]
                assert len(labels) <= MAX_ROWS and labels[-1] == ALL
    finally:
        _check(fig, k, _rows(fig.axes[0]) - 1)


@pytest.mark.parametrize("k", [5, 300])
def test_stacked_counts(k):
    rng = np.random.default_rng(6)
    a, b = rng.integers(5, 30, k), rng.integers(5, 30, k)
    t = pd.DataFrame({"group": [*_ids(k), ALL], "college": [*map(str, a), str(a.sum())],
                      "work": [*map(str, b), str(b.sum())],
                      "leavers": [*map(str, a + b), str((a + b).sum())]})
    fig = out_plots.stacked_counts(t, label_columns=["group"], count_columns=["college",
                                                                               "work"],
                                   total_column="leavers", colours={}, title="t",
                                   xlabel="leavers", noun="SRBs")
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    if k > MAX_ROWS:
        assert ALL not in labels
        want = (a + b).argsort(kind="stable")[-2 * EXTREME_ROWS:][::-1]
        assert labels == [f"SRB{i + 1:03d}" for i in want]
    _check(fig, k, len(labels) - (k <= MAX_ROWS),
           shown=f"the {2 * EXTREME_ROWS} highest by number of leavers")


@pytest.mark.parametrize("total_label", [ALL, None])  # the report keeps the "all" row
@pytest.mark.parametrize("language, words", [("en", "Nothing to draw"), ("cy", "Dim i’w lunio")])
def test_stacked_counts_with_every_count_hidden_says_nothing_can_be_drawn(language, words,
                                                                          total_label):
    # Table 5.1 of a small year: every destination and leavers count hidden ("[c]", "<5");
    # the figure said "[c] in all" beside bars of nothing on an axis of fractions
    t = pd.DataFrame({"group": ["SRB01", "SRB02", ALL], "college": ["[c]", "<5", "[c]"],
                      "work": ["0", "[c]", "[c]"], "leavers": ["[c]", "[c]", "[c]"]})
    draw = lambda: out_plots.stacked_counts(  # noqa: E731
        t, label_columns=["group"], count_columns=["college", "work"],
        total_column="leavers", colours={}, title="t", xlabel="leavers",
        total_label=total_label)
    with in_language(language):
        fig = draw()
    try:
        (ax,) = fig.axes
        texts = [x.get_text() for x in ax.texts]
        assert len(texts) == 1 and texts[0].startswith(words), texts
        assert not ax.patches and not ax.get_yticklabels()  # no bars, no labels of groups
        assert fig.get_figheight() < 2.2  # the height of one bar, not of two or three
    finally:
        plt.close(fig)
    t.loc[2, "leavers"] = "12"  # the total shown: its outline is drawn as before, when
    fig = draw()  # its row is drawn (left out, it is in the title)
    try:
        texts = [x.get_text() for x in fig.axes[0].texts]
        if total_label is None:
            assert len(fig.axes[0].patches) == 1 and "12 in all" in " ".join(texts)
        else:
            assert texts[0].startswith("Nothing to draw")
    finally:
        plt.close(fig)
    t.loc[:, ["college", "work", "leavers"]] = "0"  # nothing hidden: drawn as before
    fig = draw()
    try:
        assert not any(x.get_text().startswith("Nothing") for x in fig.axes[0].texts)
    finally:
        plt.close(fig)

def test_select_rows():
    keys = _ids(5)
    assert select_rows(keys, [3, 1, 2, 5, 4]) == (keys, None)
    keys = _ids(40)
    vals = np.arange(40, 0, -1, dtype=float)
    vals[0] = np.nan
    shown, note = select_rows(keys, vals, noun="SRBs", by="x", keep=[keys[-1]])
    assert len(shown) <= MAX_ROWS and shown[-1] == keys[-1]
    assert shown[0] == keys[-2] and keys[0] not in shown
    assert note == "39 SRBs: the 10 lowest and 10 highest by x shown; the table lists all"


def test_stacked_counts_row_with_nothing_shown_says_not_drawn():
    # Figure 5.1 beside a shown total: SRBs whose every count is hidden read
    # "not drawn: [c]" (as in Figure 4.1), not "[c] in all; some not shown"
    t = pd.DataFrame({"group": ["SRB01", "SRB02", ALL], "college": ["[c]", "3", "[c]"],
                      "work": ["<5", "[c]", "[c]"], "leavers": ["[c]", "[c]", "15"]})
    fig = out_plots.stacked_counts(t, label_columns=["group"],
                                   count_columns=["college", "work"],
                                   total_column="leavers", colours={}, title="t",
                                   xlabel="leavers")
    try:
        assert [x.get_text() for x in fig.axes[0].texts] == [
            "not drawn: [c]", "[c] in all;\nsome not shown (small numbers)",
            "15 in all;\nsome not shown (small numbers)"]
    finally:
        plt.close(fig)
