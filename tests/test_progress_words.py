"""The learner progress report (10) in Welsh (issue #19): its count phrases, the notes of
the measures and stats layers and its tables in the report's language, each number kept,
and English text from another layer that no message matches never shown in silence."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from srb_eval.report import i18n
from srb_eval.report import progress as W
from srb_eval.report.progress_words import (
    band_word,
    count_in_words,
    note_words,
    of_words,
    shown,
)


def test_count_phrases_in_welsh_keep_their_numbers_in_every_published_form():
    cases = [((14, 20, "internal", "results"), "14 o 20 canlyniad (70%)"),
             ((3, 29, "published", "results"), "<5 o 29 canlyniad"),
             ((27, 29, "published", "learners placed"), "mwy na 24 o 29 dysgwr a leolwyd"),
             ((6, 8, "published", "targets"), "llai na 10 targed")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for args, _welsh in cases:
            english = of_words(*args)
            with i18n.in_language("cy"):
                welsh = of_words(*args)
            assert re.findall(r"[\d,%<]+", welsh) == re.findall(r"[\d,%<]+", english)
        with i18n.in_language("cy"):
            assert [of_words(*a) for a, _w in cases[:2]] == [w for _a, w in cases[:2]]
    # the published form of "fewer than" names the minimum denominator, not n
    assert of_words(6, 8, "published", "targets") == "fewer than 10 targets"


def test_notes_of_the_measures_are_translated_or_warn():
    known = "no interval under 5 results; effect size: too few to judge"
    left_out = "left out (fewer than 5): SLD, unknown"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert note_words(known) == known
        with i18n.in_language("cy"):
            assert note_words(known) == ("dim cyfwng o dan 5 canlyniad; maint effaith: rhy "
                                         "ychydig i farnu")
            assert note_words(left_out) == "wedi’u gadael allan (llai na 5): SLD, anhysbys"
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="wobbly"):
        assert note_words("too few to judge; interval wobbly") == (
            "rhy ychydig i farnu; interval wobbly")


def test_a_brooks_band_edited_in_the_reference_data_warns_on_a_welsh_page():
    with i18n.in_language("cy"):
        assert band_word("modest") == "cymedrol"
        with pytest.warns(i18n.UntranslatedWarning, match="middling"):
            assert band_word("middling") == "middling"


def test_a_progress_table_in_welsh_keeps_every_number_and_code():
    table = pd.DataFrame({
        "instrument": ["Reading Age Test", "Small Steps Tracker"],
        "area": ["literacy", "personal social"],
        "learners": ["137", "[c]"],
        "mean gain (95% CI)": ["31.2 (27.1 to 35.5)", "[c]"],
        "effect size": ["0.02 (epsilon-squared)", "'-0.10 (rank-biserial r)"],
        "groups compared": ["no free school meals; free school meals", "ASD; SLD"],
        "SRB": ["SRB01 (primary)", "all"],
        "note": ["-", "too few to compare"]})
    assert shown(table) is table  # English: the recorded table itself
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with i18n.in_language("cy"):
            welsh = shown(table)
    assert list(welsh.columns) == ["offeryn", "maes", "dysgwyr", "enillion cymedrig (cyfwng "
                                   "hyder 95%)", "maint effaith", "grwpiau a gymharwyd",
                                   "CAA", "nodyn"]
    assert welsh.iloc[0].tolist() == [
        "Reading Age Test", "llythrennedd", "137", "31.2 (27.1 i 35.5)",
        "0.02 (epsilon sgwâr)", "dim prydau ysgol am ddim; prydau ysgol am ddim",
        "SRB01 (cynradd)", "-"]
    for en, cy in zip(table.astype(str).to_numpy().ravel(),
                      welsh.astype(str).to_numpy().ravel(), strict=True):
        assert re.findall(r"-?\d+(?:\.\d+)?", en) == re.findall(r"-?\d+(?:\.\d+)?", cy)


def test_comparison_sentences_in_welsh_name_one_or_many_comparisons():
    comparisons = pd.DataFrame({"test": ["Mann-Whitney U"], "p_val": [0.5],
                                "instrument": ["Reading Age Test"], "area": ["literacy"],
                                "factor": ["sex"]})
    with i18n.in_language("cy"):
        one = W.describe_comparisons(comparisons)
        three = W.describe_comparisons(pd.concat([comparisons] * 3, ignore_index=True))
    assert one.startswith("Gwnaed un gymhariaeth;")
    assert three.startswith("Gwnaed 3 cymhariaeth;")
    assert W.describe_comparisons(comparisons).startswith("One comparison was made;")


def test_small_counts_before_a_noun_in_words():
    assert count_in_words(5) == "five"
    with i18n.in_language("cy"):
        assert count_in_words(5) == "pum"
        assert count_in_words(12) == "12"


def test_a_figure_that_leaves_groups_out_says_so_in_welsh():
    """The note of a figure with more groups than it draws (shared by the inclusion and
    progress figures) is a whole message; a measure no message names warns."""
    from srb_eval.report.plots import chosen_rows

    keys = [f"SRB{k:02d}" for k in range(40)]
    values = [float(k) for k in range(40)]
    rows, note = chosen_rows(keys, values, noun="SRBs", by="% below expected",
                             measures=("% below expected",))
    assert note == "40 SRBs: the 10 lowest and 10 highest by % below expected shown; the " \
                   "table lists all"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with i18n.in_language("cy"):
            welsh_rows, welsh = chosen_rows(keys, values, noun="SRBs", by="% below expected",
                                            measures=("% below expected",))
    assert welsh_rows == rows
    assert "% islaw’r disgwyl" in welsh and "40" in welsh and "SRBs" not in welsh
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="wobble"):
        chosen_rows(keys, values, noun="SRBs", by="wobble", measures=())


def test_eef_months_of_a_group_with_too_few_results_is_welsh():
    """The gains table's "too few (under 10)" (fewer results than EEF months need) was
    shown in English on a Welsh page, silently: no message matched it."""
    table = pd.DataFrame({"EEF months (indicative)": ["too few (under 10)", "+3"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", i18n.UntranslatedWarning)
        with i18n.in_language("cy"):
            cells = shown(table).iloc[:, 0].tolist()
    assert cells[1] == "+3" and "10" in cells[0] and "too few" not in cells[0]
