"""A figure with more groups than it draws says which it drew in the report's language
(issue #19): the note of :func:`srb_eval.report.plots.select_rows` is a whole message with
plural forms, for every figure that uses it (the Estyn outcomes' bars and stacked counts,
the capacity report's occupancy bars, the inclusion and progress figures)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from srb_eval.measures.groups import ALL  # noqa: E402
from srb_eval.report.i18n import UntranslatedWarning, in_language  # noqa: E402
from srb_eval.report.plots import MAX_ROWS, select_rows  # noqa: E402
from srb_eval.report.plots import capacity as cap_plots  # noqa: E402
from srb_eval.report.plots import outcomes as out_plots  # noqa: E402

K = MAX_ROWS + 10
#: English words of the notes that must not reach a Welsh figure.
ENGLISH = ("shown", "the table lists all", "highest", "lowest", "SRBs", "number of",
           "value in each panel", "occupancy")


def _ids(k: int) -> list[str]:
    return [f"SRB{i:03d}" for i in range(1, k + 1)]


def _titles(fig) -> str:
    parts = [fig._suptitle.get_text() if fig._suptitle is not None else ""]
    parts += [ax.get_title() for ax in fig.axes]
    return " ".join(" ".join(parts).split())


def _welsh_title(draw) -> str:
    """The titles of the figure ``draw()`` makes in Welsh, failing on any
    :class:`UntranslatedWarning` of the note."""
    with in_language("cy"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UntranslatedWarning)
        fig = draw()
    try:
        notes = [str(w.message) for w in caught if issubclass(w.category, UntranslatedWarning)]
        assert not [m for m in notes if any(e in m for e in ENGLISH)], notes
        return _titles(fig)
    finally:
        plt.close(fig)


def _display(k: int, group_type: str = "srb_id") -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for g in [*_ids(k), ALL]:
        v = float(rng.uniform(40, 100))
        rows.append({"measure": "attendance_rate", "label": "attendance", "group_label": g,
                     "group_type": "authority" if g == ALL else group_type,
                     "value_shown": v, "value_text": f"{v:.0f}%", "n_text": "12",
                     "unit": "sessions", "cell": f"{v:.0f}% (12)", "judged": True})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("group_type", ["srb_id", "primary_need"])
def test_measure_bars_note_is_welsh(group_type):
    draw = lambda: out_plots.measure_bars(  # noqa: E731
        _display(K, group_type), measures=["attendance_rate"], title="t")
    fig = draw()
    english = _titles(fig)
    plt.close(fig)
    noun = "SRBs" if group_type == "srb_id" else "groups by need"
    assert (f"{K} {noun}: the 10 lowest and 10 highest by value in each panel shown; the "
            "table lists all") in english
    title = _welsh_title(draw)
    assert not [e for e in ENGLISH if e in title], title
    assert str(K) in title and "10" in title


@pytest.mark.parametrize("total", ["leavers", "awards"])
def test_stacked_counts_note_is_welsh(total):
    rng = np.random.default_rng(6)
    a, b = rng.integers(5, 30, K), rng.integers(5, 30, K)
    t = pd.DataFrame({"group": [*_ids(K), ALL], "college": [*map(str, a), str(a.sum())],
                      "work": [*map(str, b), str(b.sum())],
                      total: [*map(str, a + b), str((a + b).sum())]})
    draw = lambda: out_plots.stacked_counts(  # noqa: E731
        t, label_columns=["group"], count_columns=["college", "work"], total_column=total,
        colours={}, title="t", xlabel="x", noun="SRBs")
    fig = draw()
    english = _titles(fig)
    plt.close(fig)
    assert (f"{K} SRBs: the 20 highest by number of {total} shown; the table lists all"
            in english)
    title = _welsh_title(draw)
    assert not [e for e in ENGLISH if e in title], title
    assert f"{K} CAA" in title and "20" in title


def test_occupancy_bars_note_is_welsh():
    rng = np.random.default_rng(7)
    cap = rng.integers(8, 20, K)
    on = rng.integers(6, 24, K)
    occ = pd.DataFrame({"srb_id": _ids(K), "name": _ids(K), "phase": "primary",
                        "designation": "ASD", "census_date": pd.Timestamp("2025-10-01"),
                        "capacity": cap, "on_roll": on, "awaiting_start": 0,
                        "occupancy": on / cap, "unfilled_places": np.maximum(cap - on, 0),
                        "places_over": np.maximum(on - cap, 0), "over_capacity": on > cap})
    occ["status"] = np.where(occ["over_capacity"], "over capacity", "full")
    draw = lambda: cap_plots.occupancy_bars(occ, audience="internal")  # noqa: E731
    fig = draw()
    english = _titles(fig)
    plt.close(fig)
    assert f"{K} SRBs: the 10 lowest and 10 highest by occupancy shown" in english
    title = _welsh_title(draw)
    assert not [e for e in ENGLISH if e in title], title


def test_every_note_and_group_count_has_welsh_for_every_plural_form():
    """Each note kind and each kind of group, at numbers of each Welsh plural form (1, 2,
    3, 6 and others), in Welsh with no warning; in English as the notes always read."""
    from srb_eval.report.plots.selection_words import (
        GROUP_NOUNS,
        NOTE_KINDS,
        group_count,
        selection_note,
    )

    for n in (1, 2, 3, 6, 11, 281):
        with warnings.catch_warnings():
            warnings.simplefilter("error", UntranslatedWarning)
            with in_language("cy"):
                for noun in GROUP_NOUNS:
                    assert str(n) in group_count(noun, n)
                for kind in NOTE_KINDS:
                    note = selection_note(kind, groups="G", k=n, measure="M")
                    assert not [e for e in ENGLISH if e in note], note
    assert group_count("phases", 40) == "40 phases"
    assert selection_note("first", groups="40 phases", k=20) == (
        "40 phases: the first 20 shown; the table lists all")
    with in_language("cy"), pytest.warns(UntranslatedWarning, match="wombats"):
        group_count("wombats", 40)


def test_select_rows_without_values_or_with_few_values_words_its_note():
    keys = _ids(K)
    assert select_rows(keys, noun="SRBs")[1] == (
        f"{K} SRBs: the first 20 shown; the table lists all")
    vals = [np.nan] * (K - 5) + [1.0] * 5
    assert select_rows(keys, vals, noun="SRBs")[1] == (
        f"{K} SRBs: the 5 with a value shown; the table lists all")
    with in_language("cy"), warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        assert "SRBs" not in select_rows(keys, vals, noun="SRBs")[1]


def test_inclusion_figures_name_their_groups_and_axes_in_welsh():
    """A box plot by phase showed "primary" and "secondary" in English on a Welsh page,
    and a grouping without a message ("statutory plan") named its axis in English with
    no warning."""
    from srb_eval.report.plots import inclusion as inc_plots

    rng = np.random.default_rng(8)
    latest = pd.DataFrame({"learner_id": [f"L{i}" for i in range(24)],
                           "phase": ["primary", "secondary"] * 12,
                           "inclusion_share": rng.uniform(0, 1, 24),
                           "core_inclusion_share": rng.uniform(0, 1, 24)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        with in_language("cy"):
            fig = inc_plots.share_distribution(latest, group="phase", min_n=1)
            counts = pd.DataFrame({"statutory_plan": ["IDP", "none"], "rising": [3, 2],
                                   "steady": [4, 1], "falling": [1, 2],
                                   "too_few_terms": [0, 1]})
            counts["n"] = counts[["rising", "steady", "falling", "too_few_terms"]].sum(axis=1)
            trend = inc_plots.trend_bars(counts, group="statutory_plan")
    try:
        ticks = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
        assert "primary" not in ticks and "secondary" not in ticks and "n=12" in ticks
        assert trend.axes[0].get_ylabel() not in ("statutory plan", "")
    finally:
        plt.close(fig)
        plt.close(trend)


def test_rate_figure_of_another_value_warns_on_a_welsh_page():
    """The rate figure's axis of a value other than the progress ratio named the value's
    English column ("rate") on a Welsh page with no warning."""
    from srb_eval.report.plots import progress as prog_plots

    progress = pd.DataFrame({"primary_need": ["ASD", "SLCN"] * 6,
                             "learner_id": [f"L{i}" for i in range(12)],
                             "status": "measured", "rate": np.linspace(1, 4, 12)})
    with in_language("cy"), pytest.warns(UntranslatedWarning, match="'rate'"):
        plt.close(prog_plots.rate_distribution(progress, value="rate"))
