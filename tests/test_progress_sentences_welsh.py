"""Sentences of the learner progress report (10) that a translator can word and order
freely, for every grouping and count the report can meet (issue #19): the coverage
sentence is one message per form of its counts, and every grouping of
:data:`srb_eval.report.progress.GROUP_TITLES` has its own headings, range sentences and
figure titles."""

from __future__ import annotations

import itertools
import re
import warnings

import pandas as pd
import pytest
from babel.messages.pofile import read_po, write_po

from srb_eval.report import i18n
from srb_eval.report import progress as W

LOCALE = i18n.LOCALE_DIR


def _row(measured: int, too_soon: int, none_yet: int) -> dict:
    total = measured + too_soon + none_yet
    return {"learners_placed": 20, "learners_assessed": 18, "learners_measured": 14,
            "results": total, "results_measured": measured, "results_too_soon": too_soon,
            "results_no_follow_up": none_yet}


def test_coverage_sentence_is_one_message_a_translator_can_reorder(tmp_path, monkeypatch):
    """A catalogue whose every results sentence puts the counts in reverse order: the
    Welsh report follows it for each form of the counts (1 or more of each), so the
    sentence is a whole message, not parts glued in English order."""
    with open(i18n.catalogue_path("cy"), "rb") as f:
        catalogue = read_po(f, locale="cy_GB", domain=i18n.DOMAIN)
    changed = 0
    for message in catalogue:
        if isinstance(message.id, tuple) and message.id[0].startswith("Of their {total}"):
            message.string = ("{no_follow_up} / {too_soon} / {measured} / {total}",) * 5
            changed += 1
    assert changed == 8
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.po", "wb") as f:
        write_po(f, catalogue)
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path))
    for counts in itertools.product((1, 2), (1, 3), (1, 6)):
        with i18n.in_language("cy"):
            text = W.describe_coverage(_row(*counts), audience="internal")
        measured, too_soon, none_yet = counts
        assert text.endswith(f" {none_yet} / {too_soon} / {measured} / {sum(counts)}"), text


def test_coverage_sentence_in_welsh_for_every_form_of_its_counts():
    """Each form of the counts (is/are, has/have, and the Welsh plural forms of the
    number of results) has a Welsh sentence with every number in it; English reads as it
    always has."""
    assert W.describe_coverage(_row(1, 2, 1), audience="internal").endswith(
        "Of their 4 results (learner, instrument and area), 1 is measured over at least a "
        "term, 2 are too soon to judge (less than a term between baseline and latest "
        "assessment) and 1 has no follow-up yet.")
    for counts in itertools.product((0, 1, 2), (0, 1, 3), (1, 6)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", i18n.UntranslatedWarning)
            with i18n.in_language("cy"):
                text = W.describe_coverage(_row(*counts), audience="internal")
        welsh = text.split("O’u ", 1)[1]
        assert [int(x) for x in re.findall(r"\d+", welsh)] == [
            sum(counts), *counts]
        assert " are " not in text and " is " not in text


#: Two groups of each grouping, as the progress table holds them.
GROUP_VALUES = {"srb_id": ["SRB01", "SRB02"], "phase": ["primary", "secondary"],
                "primary_need": ["ASD", "SLCN"], "sex": ["F", "unknown"],
                "fsm": [True, False], "year_group": [3, 9],
                "instrument": ["Reading Age Test", "Small Steps Tracker"],
                "area": ["literacy", "personal_social"]}
#: The groupings of the targets tables (GAS T-scores by SRB, area, need and phase).
GAS_GROUPINGS = ("srb_id", "area", "primary_need", "phase")
#: English a Welsh sentence or title on these groups must not show.
ENGLISH_WORDS = ("progress", "groups", "Fewer", "Across", "Target", "Rate of", "by ",
                 "True", "False", "free school meals", "primary", "literacy", "personal")


def _bands(by: str, learners: tuple[int, int] = (12, 15)) -> pd.DataFrame:
    return pd.DataFrame({by: GROUP_VALUES[by], "n_banded": [30, 40],
                         "n_learners": list(learners), "n_below": [6, 4],
                         "n_expected": [14, 16], "n_above": [10, 20],
                         "n_expected_or_above": [24, 36]})


def test_every_grouping_of_the_report_has_its_messages():
    from srb_eval.report.progress_groupings import GROUPINGS

    assert set(GROUPINGS) == set(W.GROUP_TITLES)


@pytest.mark.parametrize("by", sorted(GROUP_VALUES))
def test_band_range_and_headings_in_welsh_for_every_grouping(by):
    """describe_band_range and the headings of the report for each grouping the
    measures support: Welsh with no English and no UntranslatedWarning (a grouping other
    than SRB and primary need fell back to English with a warning, or had no heading)."""
    from srb_eval.report.progress_words import group_title

    english = W.describe_band_range(_bands(by), by, audience="internal")
    assert "ranged from 80% (" in english and "90% (" in english
    hidden = _bands(by)
    hidden.loc[0, "n_expected_or_above"] = float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("error", i18n.UntranslatedWarning)
        with i18n.in_language("cy"):
            texts = [W.describe_band_range(_bands(by), by, audience="internal"),
                     W.describe_band_range(_bands(by, (12, 2)), by, audience="internal"),
                     W.describe_band_range(hidden, by, audience="internal"),
                     group_title("Expected progress by {group}", by),
                     group_title("Results below, at and above expected progress by {group}",
                                 by)]
    assert "80%" in texts[0] and "90%" in texts[0]
    for text in texts:
        assert not [w for w in ENGLISH_WORDS if w in text], text


@pytest.mark.parametrize("by", sorted(GROUP_VALUES))
def test_group_figures_in_welsh_for_every_grouping(by):
    """The figures by group (band bars, rate of progress; GAS T-scores for the groupings
    of the targets tables): titles, axis and group names in Welsh, with no warning."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from srb_eval.report.plots import progress as plots
    values = GROUP_VALUES[by] * 6
    progress = pd.DataFrame({by: values, "learner_id": [f"L{i}" for i in range(12)],
                             "status": "measured",
                             "progress_ratio": [0.8 + 0.05 * i for i in range(12)]})
    scores = progress.rename(columns={"progress_ratio": "gas_t"}).assign(
        gas_t=lambda t: 40 + 20 * t["gas_t"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", i18n.UntranslatedWarning)
        with i18n.in_language("cy"):
            figures = [plots.band_bars(_bands(by), group=by),
                       plots.rate_distribution(progress, by=by)]
            if by in GAS_GROUPINGS:
                figures.append(plots.gas_distribution(scores, group=by))
    for fig in figures:
        ax = fig.axes[0]
        texts = [ax.get_title(), ax.get_ylabel(),
                 *(t.get_text() for t in ax.get_yticklabels())]
        plt.close(fig)
        for text in texts:
            assert not [w for w in ENGLISH_WORDS if w in " ".join(text.split())], text


def test_groupings_not_compared_are_whole_messages_per_grouping(tmp_path, monkeypatch):
    """"by free school meals (2 instrument and area pairs)" is one message per grouping
    (a language words each grouping with its own preposition and form), not "by {group}"
    filled with the grouping's word: a catalogue that words each its own way is followed."""
    with open(i18n.catalogue_path("cy"), "rb") as f:
        catalogue = read_po(f, locale="cy_GB", domain=i18n.DOMAIN)
    marked = 0
    for message in catalogue:
        if (isinstance(message.id, tuple) and message.id[0].startswith("by ")
                and "instrument and area pair" in message.id[0]):
            word = message.id[0][3:].split(" (")[0]
            message.string = (f"<{word}> {{k}}",) * 5
            marked += 1
    assert marked == len(W.GROUP_TITLES)
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.po", "wb") as f:
        write_po(f, catalogue)
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path))
    comparisons = pd.DataFrame({"factor": list(W.GROUP_TITLES) * 2, "test": ""})
    with warnings.catch_warnings():
        warnings.simplefilter("error", i18n.UntranslatedWarning)
        with i18n.in_language("cy"):
            text = W.describe_untested(comparisons)
    for by, word in W.GROUP_TITLES.items():
        assert f"<{word}> 2" in text, (by, text)
    english = W.describe_untested(comparisons)
    assert "by free school meals (2 instrument and area pairs)" in english


def test_differences_found_are_whole_messages_per_grouping(tmp_path, monkeypatch):
    """"Reading Age Test, literacy, by SRB (p = 0.012)" is one message per grouping, not
    "by {group}" filled with the grouping's word: a catalogue that words each grouping its
    own way is followed, for p below 0.001 and above."""
    with open(i18n.catalogue_path("cy"), "rb") as f:
        catalogue = read_po(f, locale="cy_GB", domain=i18n.DOMAIN)
    marked = 0
    for message in catalogue:
        if isinstance(message.id, str) and message.id.startswith("{instrument}, {area}, by "):
            word = message.id.split(", by ")[1].split(" (p")[0]
            message.string = f"<{word}> {{instrument}} {{area}}" + (
                " {p}" if "{p}" in message.id else " <0.001")
            marked += 1
    assert marked == 2 * len(W.GROUP_TITLES)
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.po", "wb") as f:
        write_po(f, catalogue)
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path))
    factors = list(W.GROUP_TITLES)
    comparisons = pd.DataFrame({"instrument": "RAT", "area": "numeracy", "factor": factors,
                                "test": "Kruskal-Wallis H",
                                "p_val": [0.0001, 0.02] * (len(factors) // 2)})
    english = W.describe_comparisons(comparisons)
    assert "RAT, numeracy, by free school meals (p below 0.001); RAT, numeracy, by year group (p = 0.020)" in english
    with warnings.catch_warnings():
        warnings.simplefilter("error", i18n.UntranslatedWarning)
        with i18n.in_language("cy"):
            text = W.describe_comparisons(comparisons)
            area = i18n.area_word("numeracy")
    for (by, word), p in zip(W.GROUP_TITLES.items(), comparisons["p_val"], strict=True):
        assert f"<{word}> RAT {area} " + ("<0.001" if p < 0.001 else "0") in text, (by, text)
