"""The inclusion report (20) in Welsh and English (issue #19): its period phrases, count
phrases, sentences and translated tables."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from srb_eval.measures.inclusion import PERIODS
from srb_eval.report import inclusion as words
from srb_eval.report import inclusion_words as W
from srb_eval.report.i18n import UntranslatedWarning, in_language


@pytest.fixture
def no_untranslated():
    """Fail on any UntranslatedWarning inside the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        yield


def test_every_period_phrase_is_a_whole_welsh_phrase_for_every_period(no_untranslated):
    with in_language("cy"):
        for use, phrases in W.PERIOD_PHRASES.items():
            assert set(phrases) == set(PERIODS), use
            texts = {p: W.period_phrase(use, p, n=2) for p in PERIODS}
            assert len(set(texts.values())) == len(PERIODS), use  # each period its own words
            for english in phrases.values():
                assert english.format(n=2) not in texts.values(), use
    # the gender of the noun decides the mutation of the adjective, as a translator wrote it
    with in_language("cy"):
        assert W.period_phrase("their latest", "week") == "eu hwythnos ddiweddaraf"
        assert W.period_phrase("their latest", "term") == "eu tymor diweddaraf"
        assert W.period_phrase("in a row", "half_term", n=3) == "3 neu fwy o hanner tymhorau yn olynol"


def test_english_period_phrases_are_the_words_the_report_always_had():
    assert W.period_phrase("two or more", "half_term") == "two or more half terms"
    assert W.period_phrase("or more", "school_year", n=2) == "2 or more school years"
    assert W.period_phrase("from to", "week") == "from week to week"


def test_count_phrases_in_welsh_keep_the_published_counts(no_untranslated):
    cases = [((14, 20, "internal"), "14 o 20 dysgwr (70%)"),
             ((3, 29, "published"), "<5 o 29 dysgwr"),
             ((27, 29, "published"), "mwy na 24 o 29 dysgwr"),
             ((6, 8, "published"), "llai na 10 o ddysgwyr"),
             ((float("nan"), 1234, "published"), "[c] o 1,234 dysgwr")]
    for (count, n, audience), welsh in cases:
        with in_language("cy"):
            assert W.count_phrase(count, n, audience=audience) == welsh
    assert W.count_phrase(27, 29, audience="published") == "more than 24 of 29 learners"


def test_welsh_sentences_name_the_period_in_welsh(no_untranslated):
    row = {"n": 30, "rising": 14, "steady": 10, "falling": 3, "too_few_terms": 3,
           "with_trend": 27, "median_first_share": 0.3, "median_latest_share": 0.45}
    with in_language("cy"):
        text = words.describe_trends(row, audience="internal", period="week")
        heading = words.latest_heading({"n": 20, "at_or_above_50": 14}, audience="internal",
                                       period="half_term")
        exit_text = words.exit_heading(3, 40, audience="published", period="school_year")
    assert "dwy wythnos neu fwy" in text and "rhy ychydig o wythnosau" in text
    assert "14 o 27 dysgwr (52%)" in text
    assert heading.startswith("Yn eu hanner tymor diweddaraf, treuliodd 14 o 20 dysgwr (70%)")
    assert exit_text.endswith("2 neu fwy o flynyddoedd ysgol")
    english = words.describe_trends(row, audience="internal", period="week")
    assert "with two or more weeks of records" in english


def test_welsh_report_text_has_no_untranslated_message(no_untranslated):
    row = {"n": 40, "at_or_above_50": 20, "at_or_above_60": 12, "median_share": 0.5,
           "core_n": 40, "core_at_or_above_80": 7, "median_core_share": 0.4}
    with in_language("cy"):
        texts = [words.describe_yardsticks(), words.describe_yardsticks([0.55], 0.7),
                 words.caveats(), words.caveats(thresholds=[0.55]),
                 words.describe_thresholds(row, audience="published"),
                 words.describe_trend_rule(tolerance=0.05, period="half_term"),
                 words.describe_exit_review(12, 80, audience="internal"),
                 words.describe_exit_review(1, 80, audience="internal"),
                 words.trend_heading({"with_trend": 4, "rising": 1}, audience="published")]
    for text in texts:
        assert "learners" not in text and "yardstick" not in text, text


def test_a_source_the_report_does_not_know_is_not_shown_in_english_silently(monkeypatch):
    monkeypatch.setitem(words.SOURCES, words.CORE_EXIT_SHARE, "reworded guidance, 2026")
    with in_language("cy"), pytest.warns(UntranslatedWarning, match="reworded guidance"):
        words.describe_yardsticks()


def test_a_shown_table_translates_words_and_keeps_every_number(no_untranslated):
    table = pd.DataFrame({"SRB": ["SRB01", "all"], "learners": ["12", "[c]"],
                          "at least 50% (learners)": ["<5", "30"],
                          "at least 80% of core (%)": ["25%", "[c]"],
                          "trend": ["rising", "too few terms"],
                          "change_points": ["+3 points", "no follow-up yet"],
                          "latest_period": ["2023/24 spring 2", "2024-W05"],
                          "subject": ["other core subjects (3)", "Welsh"]})
    with in_language("cy"):
        shown = W.shown(table)
    assert list(shown.columns) == [
        "CAA", "dysgwyr", "o leiaf 50% (dysgwyr)", "o leiaf 80% o’r craidd (%)", "tuedd",
        "newid yn y gyfran (pwyntiau canran)", "cyfnod diweddaraf", "pwnc"]
    assert shown.iloc[0].tolist() == ["SRB01", "12", "<5", "25%", "yn codi", "+3 pwynt",
                                      "2023/24 gwanwyn 2", "pynciau craidd eraill (3)"]
    assert shown.iloc[1].tolist() == ["y cyfan", "[c]", "30", "[c]", "rhy ychydig o dymhorau",
                                      "dim asesiad dilynol eto",
                                      "2024-W05", "Welsh"]
    assert W.shown(table) is table  # English: the recorded table itself


def test_a_header_no_message_matches_warns_on_a_welsh_page():
    with in_language("cy"), pytest.warns(UntranslatedWarning, match="brand new column"):
        W.shown(pd.DataFrame({"brand new column": [1]}))


def test_srb_labels_name_the_phase_in_the_reports_language():
    srbs = pd.DataFrame({"srb_id": ["SRB01", "SRB02"], "phase": ["primary", None]})
    assert words.srb_labels(srbs) == {"SRB01": "SRB01 (primary)",
                                      "SRB02": "SRB02 (phase not known)"}
    with in_language("cy"):
        assert words.srb_labels(srbs) == {"SRB01": "SRB01 (cynradd)",
                                          "SRB02": "SRB02 (cyfnod heb ei nodi)"}


def _trend_counts(k: int) -> pd.DataFrame:
    """trend_counts of ``k`` SRBs, more than a figure draws."""
    return pd.DataFrame({"srb_id": [f"S{i:02d}" for i in range(k)], "n": [10] * k,
                         "rising": [i % 10 for i in range(k)], "steady": [2] * k,
                         "falling": [0] * k, "too_few_terms": [0] * k})


def _title(fig) -> str:
    return " ".join(fig.axes[0].get_title().split())


def test_a_figure_that_leaves_groups_out_says_so_in_the_reports_language(no_untranslated):
    from srb_eval.report.plots import inclusion as plots
    from srb_eval.report.plots import select_rows

    counts = _trend_counts(35)
    _rows, english_note = select_rows(list(range(35)), counts["rising"] / 10, noun="SRBs",
                                      by="share rising")
    assert english_note in " ".join(
        _title(plots.trend_bars(counts)).replace("\n", " ").split())
    with in_language("cy"):
        title = _title(plots.trend_bars(counts))
    assert "35 CAA: dangosir y 10 isaf a’r 10 uchaf yn ôl cyfran sy’n codi" in title
    assert "shown" not in title


def test_a_period_label_or_trend_reworded_in_the_measures_warns_on_a_welsh_page():
    learners = pd.DataFrame({"learner_id": ["L1"], "subject": ["Welsh"],
                             "latest_period": ["2023/24 Michaelmas"], "trend": ["climbing"]})
    with in_language("cy"), pytest.warns(UntranslatedWarning) as caught:
        W.shown(learners)
    assert sorted(str(w.message).split(" matches ")[1] for w in caught) == [
        "'2023/24 Michaelmas'", "'climbing'"]
    with in_language("cy"), warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        assert W.shown(learners.iloc[:, :2]).iloc[0].tolist() == ["L1", "Welsh"]
        assert W.period_label("2024/25", strict=True) == "2024/25"
        assert W.period_label("2024-W05", strict=True) == "2024-W05"
