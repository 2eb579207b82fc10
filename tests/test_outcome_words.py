"""The outcomes report (notebook 30) in Welsh and English (issue #19):
srb_eval.report.outcome_words, srb_eval.report.finding_words and the language of the
sentences of report.outcomes, report.quantifiers and report.outcome_notes. The English
words must be those the report has always printed; the Welsh keep every number."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from srb_eval import load_dataset
from srb_eval.measures.outcomes import evaluate
from srb_eval.report import finding_words as FW
from srb_eval.report import findings as F
from srb_eval.report import i18n
from srb_eval.report import outcome_notes as N
from srb_eval.report import outcome_words as W
from srb_eval.report import outcomes as RO
from srb_eval.report import quantifiers as QT
from srb_eval.report import year_on_year as YOY

from .conftest import MINIMAL


@pytest.fixture(scope="module")
def res():
    return evaluate(load_dataset(MINIMAL), academic_year="2022/23", min_n=1)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def test_english_rule_words_are_the_rule_texts():
    for rule in F.check_finding_rules(None):
        assert FW.rule_words(rule) == F.rule_text(rule)


def test_welsh_rule_words_keep_the_shares():
    rule = F.check_finding_rules([{"measure": "progress_literacy", "comparison": "below",
                                   "threshold": "many", "kind": "area_for_development"}])[0]
    with i18n.in_language("cy"):
        text = FW.rule_words(rule)
    # "below 'many' (under 70%)": Estyn's Welsh word and the share
    assert text == ("maes i’w ddatblygu pan fo o leiaf y cynnydd disgwyliedig: llythrennedd "
                    "islaw ‘llawer’ (llai na 70%), ar gyfer yr awdurdod")


def test_english_recommendation_rows_are_the_recorded_recommendations(res):
    found = F.findings(res.measures, audience="internal", min_n=1)
    recs = F.recommendations(found)
    rows = FW.recommendation_rows(found)
    assert [r["recommendation"] for r in rows] == recs["recommendation"].tolist()
    assert [r["number"] for r in rows] == recs["number"].tolist()
    with i18n.in_language("cy"):
        welsh = FW.recommendation_rows(found)
    assert [r["number"] for r in welsh] == recs["number"].tolist()
    assert welsh[0]["recommendation"].startswith("Gwella’r cynnydd y mae dysgwyr yn ei wneud "
                                                 "mewn llythrennedd")


def test_english_tables_are_the_recorded_tables(res):
    d = RO.display_measures(res.measures, group_type="srb_id", audience="internal", min_n=1)
    table = RO.measure_table(d)
    assert W.shown(table) is table


def test_welsh_measure_table_keeps_every_number(res):
    d = RO.display_measures(res.measures, group_type="srb_id", audience="internal", min_n=1)
    table = RO.measure_table(d)
    with i18n.in_language("cy"):
        shown = W.shown(table)
    assert shown.shape == table.shape
    for a, b in zip(table.to_numpy().ravel(), shown.to_numpy().ravel(), strict=True):
        assert _numbers(str(a)) == _numbers(str(b))
    # "half: 1 of 2 (50%)" in Estyn's Welsh word
    assert "hanner: 1 o 2 (50%)" in shown.to_numpy().ravel().tolist()
    assert "o leiaf y cynnydd disgwyliedig: llythrennedd" in shown.columns


def test_welsh_cells_of_every_kind():
    cases = {
        "most: 27 of 29 (93%)": "y rhan fwyaf: 27 o 29 (93%)",
        "more than 24 of 29": "mwy na 24 o 29",
        "<5 of 29": "<5 o 29",
        "too few to judge (n=3)": "rhy ychydig i farnu (n=3)",
        "91.2% (40 learners)": "91.2% (40 o ddysgwyr)",
        "12.5 per 100 (5 exclusions, 40 learners)":
            "12.5 fesul 100 (5 o waharddiadau, 40 o ddysgwyr)",
        "2.5 per 100 (1 exclusion, 40 learners)": "2.5 fesul 100 (1 gwaharddiad, 40 o ddysgwyr)",
        "42 of 158 places (27%)": "42 o 158 o leoedd (27%)",
        "+5 points": "+5 pwynt",
        "-1.2 per 100": "-1.2 fesul 100",
        "no comparison data": "dim data cymharu",
        "[c]": "[c]",
        "5.2": "5.2",
    }
    with i18n.in_language("cy"):
        assert {k: W.cell_words(k) for k in cases} == cases


def test_a_cell_reworded_upstream_warns_in_welsh():
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="nearly none"):
        assert W.cell_words("nearly none of them") == "nearly none of them"


def test_welsh_sentences_keep_the_numbers(res):
    d = RO.display_measures(res.measures, group_type="srb_id", audience="internal", min_n=1)
    english = RO.measure_sentences(d, census_date="2022-10-01")
    with i18n.in_language("cy"):
        welsh = RO.measure_sentences(d, census_date="2022-10-01")
    for a, b in zip(english, welsh, strict=True):
        assert _numbers(a) == _numbers(b), (a, b)
        assert a != b
    first = welsh[d["measure"].eq("progress_literacy").to_numpy()].iloc[0]
    assert first.startswith("Yn ") or first.startswith("Roedd hanner y dysgwyr (1 o 2, 50%)")


def test_welsh_headings_notes_and_caveats_have_no_english(res):
    d = RO.display_measures(res.measures, group_type="srb_id", audience="internal", min_n=1)
    with i18n.in_language("cy"):
        texts = [RO.section_heading(d, s) for s in RO.HEADLINES]
        texts += [N.suppression_note(), N.progress_note(), N.wellbeing_note(),
                  N.inclusion_note(), N.caveats_markdown(), W.main_findings_heading(2, 1),
                  W.comparison_heading(3, 1, comparison_year="2021/22", have_comparison=True)]
    for text in texts:
        for word in (" learners ", " the ", " were ", " of "):
            assert word not in f" {text} ", (word, text)


def test_phrase_words_and_english_finding_sentences_are_unchanged():
    assert QT.finding_sentence(27, 29, "made progress", audience="internal") == (
        "Most learners (27 of 29, 93%) made progress.")
    with i18n.in_language("cy"):
        assert QT.phrase_words("more than 24 of 29") == "mwy na 24 o 29"
        assert QT.phrase_words("27 of 29, 93%") == "27 o 29, 93%"


def test_year_on_year_table_in_welsh_keeps_its_numbers(res):
    yoy = YOY.display_year_on_year(res.measures, None, audience="internal", min_n=1)
    table = yoy[["section", "measure", "this_year", "comparison_year", "change"]]
    with i18n.in_language("cy"):
        shown = W.shown(table)
    assert shown.iloc[0, 0] == "Safonau a chynnydd"
    assert list(shown.columns)[:2] == ["adran", "mesur"]
    for a, b in zip(table.to_numpy().ravel(), shown.to_numpy().ravel(), strict=True):
        assert _numbers(str(a)) == _numbers(str(b))


def test_judgement_in_welsh():
    found = pd.DataFrame({"group_type": ["authority"] * 4,
                          "kind": [F.STRENGTH] * 3 + [F.AREA_FOR_DEVELOPMENT]})
    row = F.indicative_judgement(found).iloc[0]
    with i18n.in_language("cy"):
        text = FW.judgement_markdown(row)
        rules = FW.shown_rules(F.judgement_rules()[["judgement", "estyn_descriptor",
                                                     "rule_text"]])
    assert text.startswith("### Barn ddangosol: Da")
    assert "3 o gryfderau" in text and "1 o feysydd i’w datblygu" in text
    assert list(rules.columns) == ["barn", "disgrifydd Estyn", "testun y rheol"]
    assert rules.iloc[0, 0] == "Rhagorol"
