"""The wording of the outcome measures: srb_eval.report.quantifiers (Estyn's words,
cells, sentences), report.outcomes (display, sentences, headings), report.year_on_year,
report.findings (rules, recommendations, judgement) and report.outcome_notes (every
expected value worked by hand in a comment beside it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval import load_dataset
from srb_eval.errors import ParameterError
from srb_eval.measures import outcomes as M
from srb_eval.measures.groups import ALL
from srb_eval.report import disclosure, text_checks
from srb_eval.report import findings as F
from srb_eval.report import outcome_notes as N
from srb_eval.report import outcomes as RO
from srb_eval.report import quantifiers as QT
from srb_eval.report import year_on_year as YOY

from .conftest import MINIMAL

# --------------------------------------------------------------------------- helpers


def _dataset(tmp_path: Path, **tables: str):
    """The minimal dataset with some tables replaced (CSV text) or removed (None)."""
    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    for name, text in tables.items():
        f = d / f"{name}.csv"
        if text is None:
            f.unlink()
        else:
            f.write_text(text.strip() + "\n", encoding="utf-8")
    return load_dataset(d)


@pytest.fixture(scope="module")
def minimal():
    return load_dataset(MINIMAL)


@pytest.fixture(scope="module")
def minimal_2022(minimal):
    return M.evaluate(minimal, academic_year="2022/23", min_n=1, census_date="2022-10-01")


def _row(measures: pd.DataFrame, measure: str, group: str = ALL) -> pd.Series:
    hit = measures.loc[(measures["measure"] == measure) & (measures["group"] == group)]
    assert len(hit) == 1, (measure, group)
    return hit.iloc[0]


# --------------------------------------------------------------------------- quantifiers


@pytest.mark.parametrize("count, n, word", [
    (0, 10, "none"),
    (1, 11, "very few"),  # 9.1% < 10%
    (1, 10, "few"),  # exactly 10%: "very few" is less than 10%
    (19, 100, "few"),
    (2, 10, "a minority"),  # exactly 20%: "few" is below 20%
    (39, 100, "a minority"),
    (40, 100, "around half"),  # exactly 40%: "a minority" is below 40%
    (49, 100, "around half"),
    (50, 100, "half"),  # exactly half is "half", the more specific term
    (3, 6, "half"),
    (51, 100, "around half"),
    (60, 100, "around half"),  # exactly 60%: "a majority" is over 60%
    (61, 100, "a majority"),
    (69, 100, "a majority"),
    (70, 100, "many"),  # exactly 70%
    (7, 10, "many"),  # 7 / 10 is exactly 0.7 in floating point too
    (89, 100, "many"),
    (90, 100, "most"),  # exactly 90%
    (9, 10, "most"),
    (27, 29, "most"),  # 93.1%: "most learners (27 of 29, 93%)"
    (94, 100, "most"),
    (95, 100, "nearly all"),  # exactly 95%
    (19, 20, "nearly all"),
    (28, 29, "nearly all"),  # 96.6%
    (99, 100, "nearly all"),
    (100, 100, "all"),
    (5, 5, "all"),
    (1, 1000, "very few"),
])
def test_quantifier_at_and_around_every_band_edge(count, n, word):
    assert QT.estyn_quantifier(count, n) == word


def test_quantifier_small_n_and_n_zero():
    # n = 0 is never judged, whatever min_n; n below min_n is "too few to judge"
    assert QT.estyn_quantifier(0, 0) == "too few to judge"
    assert QT.estyn_quantifier(0, 0, min_n=1) == "too few to judge"
    assert QT.estyn_quantifier(3, 4) == "too few to judge"  # 4 < 5
    assert QT.estyn_quantifier(3, 5) == "around half"  # 60%, judged at n = 5
    assert QT.estyn_quantifier(1, 1, min_n=1) == "all"
    assert QT.estyn_quantifier(0, 1, min_n=1) == "none"
    assert QT.estyn_quantifier(1, 2, min_n=2) == "half"


def test_quantifier_vectorised_keeps_index_and_words_missing_values():
    count = pd.Series([27, None, 3], index=["a", "b", "c"])
    out = QT.estyn_quantifier(count, pd.Series([29, 10, 4], index=["a", "b", "c"]))
    assert out.to_dict() == {"a": "most", "b": "no data", "c": "too few to judge"}
    assert QT.estyn_quantifier(np.array([0, 5]), [5, 5]).tolist() == ["none", "all"]


@pytest.mark.parametrize("count, n, min_n, param", [
    (6, 5, 5, "count"),  # more than n
    (-1, 5, 5, "count"),
    (1.5, 5, 5, "count"),
    (1, 5, 0, "min_n"),
    (1, 5, True, "min_n"),
    ([1, 2], [5], 5, "n"),
])
def test_quantifier_bad_arguments_name_the_parameter(count, n, min_n, param):
    with pytest.raises(ParameterError, match=rf"^{param}:"):
        QT.estyn_quantifier(count, n, min_n=min_n)
    with pytest.raises(ParameterError):  # ArgumentError is both
        QT.estyn_quantifier(count, n, min_n=min_n)


def test_quantifier_table_is_editable_reference_data_and_checked():
    t = QT.quantifier_table()
    assert t["term"].tolist()[:3] == ["all", "nearly all", "most"]
    assert (t["source"] != "").all()
    # a two-band table: "all" and otherwise "not all"
    custom = pd.DataFrame({
        "term": ["all", "not all"], "min_share": ["1", "0"], "min_inclusive": ["true", "true"],
        "max_share": ["1", "1"], "max_inclusive": ["true", "false"],
        "sentence_form": ["All", "Not all"], "estyn_meaning": ["", ""],
        "srb_eval_rule": ["", ""], "source": ["test", "test"]})
    assert QT.estyn_quantifier([5, 4], [5, 5], table=custom).tolist() == ["all", "not all"]
    gap = custom.assign(min_share=["1", "0.5"])  # 0 to 0.5 has no word
    with pytest.raises(ParameterError, match="cover every share"):
        QT.estyn_quantifier(1, 5, table=gap)
    with pytest.raises(ParameterError, match="columns"):
        QT.quantifier_table(custom.drop(columns="source"))


def test_quantifier_bounds():
    assert QT.quantifier_bounds("many") == (0.7, True)
    assert QT.quantifier_bounds("A majority") == (0.6, False)  # "over 60%"
    assert QT.quantifier_bounds("very few") == (0.0, False)  # anyone at all
    with pytest.raises(ParameterError, match="^term:"):
        QT.quantifier_bounds("loads")


# --------------------------------------------------------------------------- sentences


def test_finding_sentence_internal_prints_count_and_share():
    pred = "made at least expected progress in literacy"
    assert QT.finding_sentence(27, 29, pred, audience="internal") == (
        "Most learners (27 of 29, 93%) made at least expected progress in literacy.")
    # 20 / 29 = 68.97% -> 69%, "a majority" (over 60%, under 70%)
    assert QT.finding_sentence(20, 29, pred, audience="internal") == (
        "A majority of learners (20 of 29, 69%) made at least expected progress in literacy.")
    assert QT.finding_sentence(3, 6, pred, audience="internal", noun="leavers") == (
        "Half of the leavers (3 of 6, 50%) made at least expected progress in literacy.")
    assert QT.finding_sentence(0, 8, "were excluded", audience="internal") == (
        "No learners (0 of 8, 0%) were excluded.")


def test_finding_sentence_published_suppresses_small_counts_and_their_words():
    pred = "were persistently absent"
    # 29 - 27 = 2 did not: the complement is small, so the count is hidden and no word
    assert QT.finding_sentence(27, 29, pred, audience="published") == (
        "More than 24 of 29 learners were persistently absent.")
    assert QT.finding_sentence(3, 29, pred, audience="published") == (
        "Fewer than 5 of 29 learners were persistently absent.")
    # 20 and 9 are both 5 or more and n >= 10: shown with the word
    assert QT.finding_sentence(20, 29, pred, audience="published") == (
        "A majority of learners (20 of 29, 69%) were persistently absent.")
    # 8 of 8 states a share (all) of a group of fewer than 10: not judged when published,
    # and without the 8, as the table's cell ("too few to judge") gives none: other tables
    # may hide it
    assert QT.finding_sentence(8, 8, pred, audience="published") == (
        "There were too few learners to judge how many were persistently absent.")
    assert QT.finding_sentence(8, 8, pred, audience="internal") == (
        "All learners (8 of 8, 100%) were persistently absent.")
    many = QT.finding_sentence(pd.Series([27, 3, 20, 8], index=list("abcd")),
                              [29, 29, 29, 8], pred, audience="published")
    assert many.index.tolist() == list("abcd")
    # each row is worded on its own, as if asked for alone
    assert many.tolist() == [QT.finding_sentence(c, n, pred, audience="published")
                             for c, n in ((27, 29), (3, 29), (20, 29), (8, 8))]
    for text in many:
        assert text_checks.find_unsuppressed_small_counts(text) == []


def test_finding_sentence_small_n_and_n_zero():
    pred = "left with an award"
    assert QT.finding_sentence(2, 3, pred, audience="internal", noun="leavers") == (
        "There were too few leavers (3) to judge how many left with an award.")
    # 2 and 1 of 3 would each be "<5" beside the total: the three small counts narrow
    # each other (the total is at least 2), so the total is hidden too and not stated
    assert QT.finding_sentence(2, 3, pred, audience="published", noun="leavers") == (
        "There were too few leavers to judge how many left with an award.")
    # 0 of 3: the 0 of a group of 3 is hidden too (#14), so the small counts narrow
    # each other as above
    assert QT.finding_sentence(0, 3, pred, audience="published", noun="leavers") == (
        "There were too few leavers to judge how many left with an award.")
    assert QT.finding_sentence(0, 0, pred, audience="published") == (
        "There is no data on how many learners left with an award.")
    assert QT.finding_sentence([1], [1], pred, audience="internal", min_n=1).tolist() == [
        "All learners (1 of 1, 100%) left with an award."]
    with pytest.raises(ParameterError, match="^predicate:"):
        QT.finding_sentence(1, 2, "", audience="internal")
    with pytest.raises(ParameterError, match="audience"):
        QT.finding_sentence(1, 2, "did", audience="public")


def test_share_cells_secondary_suppression_against_the_total_row():
    # rows A: 3 of 10, B: 10 of 20, total: 13 of 30. Published: A's count 3 is small
    # (primary). Row A then has one hidden cell of (count, complement 7, n 10): its
    # complement is hidden too. Column "count" (3, 10, total 13) has one hidden cell:
    # B's count 10 is hidden, then B's complement 10 (its row). The total row is shown.
    t = QT.share_cells([3, 10, 13], [10, 20, 30], audience="published", total=2)
    assert t["cell"].tolist() == ["<5 of 10", "[c] of 20", "around half: 13 of 30 (43%)"]
    assert t["value_shown"].isna().tolist() == [True, True, False]
    assert t["value_shown"].iloc[2] == pytest.approx(100 * 13 / 30)
    internal = QT.share_cells([3, 10, 13], [10, 20, 30], audience="internal", total=2)
    assert internal["cell"].tolist() == ["a minority: 3 of 10 (30%)",
                                         "half: 10 of 20 (50%)",
                                         "around half: 13 of 30 (43%)"]
    assert not QT.share_cells([], [], audience="published").shape[0]


# --------------------------------------------------------------------------- display


def test_display_measures_internal_and_published_never_nan(minimal_2022):
    m = minimal_2022.measures
    d = RO.display_measures(m, group_type="srb_id", audience="internal", min_n=1)
    cell = d.set_index(["measure", "group"])["cell"]
    assert cell[("progress_literacy", ALL)] == "half: 1 of 2 (50%)"
    assert cell[("attendance_rate", ALL)] == "89.6% (2 learners)"  # 251/280 = 89.64%
    assert cell[("exclusion_rate", ALL)] == "0.0 per 100 (0 exclusions, 3 learners)"
    assert cell[("unfilled_places", "SRB01")] == "6 of 8 places (75%)"
    assert cell[("progress_literacy", "SRB02")] == "no data"
    p = RO.display_measures(m, group_type="srb_id", audience="published", min_n=1)
    pc = p.set_index(["measure", "group"])["cell"]
    # 1 of 2: a group of fewer than 10 is not judged when published (and n = 2 is hidden)
    assert pc[("progress_literacy", ALL)] == "too few to judge"
    assert p.set_index(["measure", "group"]).loc[("progress_literacy", ALL),
                                                 "quantifier"] == "too few to judge"
    assert pc[("attendance_rate", ALL)] == "[c]"  # fewer than 10 learners
    # SRB02 has 1 on roll of 20 places: its unfilled places would give the roll away
    assert pc[("unfilled_places", "SRB02")] == "[c]"
    for frame in (d, p):
        text = frame.drop(columns=["value_shown", "judged"]).astype(str).to_numpy().ravel()
        assert not any(t in ("nan", "None", "<NA>") for t in text)


def test_measure_sentences_for_every_unit(minimal_2022):
    d = RO.display_measures(minimal_2022.measures, audience="internal", min_n=1)
    s = dict(zip(d["measure"], RO.measure_sentences(d, census_date="2022-10-01"),
                 strict=True))
    assert s["progress_literacy"] == (
        "Half of the learners (1 of 2, 50%) made at least expected progress in literacy.")
    assert s["attendance_rate"] == (
        "Learners attended 89.6% of possible half-day sessions (2 learners).")
    assert s["exclusion_rate"] == (
        "There were 0.0 fixed-term exclusions per 100 learners (0 exclusions among 3 "
        "learners).")
    assert s["unfilled_places"] == "25 of 28 places (89%) were unfilled on 1 October 2022."
    assert s["progress_numeracy"] == (
        "There is no data on how many learners made at least expected progress in numeracy.")
    need = RO.display_measures(minimal_2022.measures, group_type="primary_need",
                              audience="internal", min_n=1)
    row = need.loc[(need["measure"] == "persistent_absence") & (need["group"] == "SLD")]
    assert RO.measure_sentences(row).iloc[0] == (
        "All learners with SLD as their primary need (1 of 1, 100%) were persistently absent "
        "(attended fewer than 90% of sessions).")


def test_section_heading_words_without_counts(minimal_2022):
    d = RO.display_measures(minimal_2022.measures, audience="internal", min_n=1)
    assert RO.section_heading(d, "standards") == (
        "half of the learners made at least expected progress in literacy")
    assert RO.section_heading(d, "wellbeing").startswith(
        "attendance was 89.6% of possible sessions; half of the learners were persistently")
    pub = RO.display_measures(minimal_2022.measures, audience="published", min_n=1)
    assert RO.section_heading(pub, "standards") == (
        "too few learners had their progress measured to judge")
    with pytest.raises(ParameterError, match="^section:"):
        RO.section_heading(d, "leadership")


# --------------------------------------------------------------------------- year on year


def test_year_on_year_change_and_direction(minimal):
    a = M.evaluate(minimal, academic_year="2022/23", min_n=1, census_date="2022-10-01")
    b = M.evaluate(minimal, academic_year="2023/24", min_n=1, census_date="2023-10-01")
    y = YOY.year_on_year(b.measures, a.measures).set_index(["measure", "group"])
    # unfilled places: 1 Oct 2023: SRB01 L01 (8 places -> 7 unfilled), SRB02 L02, L03
    # (20 -> 18) = 25 of 28 both years: no change
    r = y.loc[("unfilled_places", ALL)]
    assert r["value"] == pytest.approx(25 / 28) and r["direction"] == "no change"
    # returns to mainstream: 0 of 1 both years (other SRB, then further education)
    assert y.loc[("returned_to_mainstream", ALL), "direction"] == "no change"
    # attendance: 2022/23 only
    assert y.loc[("attendance_rate", ALL), "direction"] == "too few to judge"
    none = YOY.year_on_year(b.measures, None)
    assert set(none["direction"]) == {"no comparison data"}
    t = YOY.display_year_on_year(b.measures, a.measures, audience="internal", min_n=1)
    row = t.loc[t["measure"] == "unfilled places (census)"].iloc[0]
    assert (row["this_year"], row["comparison_year"], row["change"]) == (
        "25 of 28 places (89%)", "25 of 28 places (89%)", "no change")


def test_change_text_rounding():
    ch = np.array([4.6, -0.4, 0.04, -1.25, 1.0])
    unit = np.array(["learners", "learners", "sessions", "per_100", "learners"])
    # 4.6 -> +5 points; -0.4 rounds to 0; 0.04 (one decimal) -> 0.0; -1.25 -> -1.3;
    # exactly one point is singular
    assert YOY.change_text(ch, unit).tolist() == [
        "+5 points", "no change", "no change", "-1.3 per 100", "+1 point"]


# --------------------------------------------------------------------------- findings


def test_finding_rules_fire_at_their_thresholds(minimal_2022):
    m = minimal_2022.measures
    rules = [
        # literacy 1 of 2 = 50%
        {"measure": "progress_literacy", "comparison": "below", "threshold": "many",
         "kind": "area_for_development"},  # 50% < 70%: fires
        {"measure": "progress_literacy", "comparison": "at_least", "threshold": "half",
         "kind": "strength"},  # 50% >= 50%: fires
        {"measure": "progress_literacy", "comparison": "at_least", "threshold": "a majority",
         "kind": "strength"},  # needs over 60%: no
        # attendance 251/280 = 89.6%
        {"measure": "attendance_rate", "comparison": "below", "threshold": "90%",
         "kind": "area_for_development"},  # fires
        {"measure": "attendance_rate", "comparison": "below", "threshold": 0.89,
         "kind": "area_for_development"},  # 89.6% is not below 89%: no
        {"measure": "exclusion_rate", "comparison": "at_most", "threshold": 0,
         "kind": "strength"},  # 0 per 100 <= 0: fires
        # by need: ASD 1/1 (100%), SLD 0/1 (0%) -> SLD only
        {"measure": "progress_*", "comparison": "below", "threshold": "around half",
         "kind": "area_for_development", "scope": "primary_need"},
    ]
    f = F.findings(m, rules, audience="internal", min_n=1)
    got = sorted(zip(f["rule_id"], f["measure"], f["group"], strict=True))
    assert got == [("F1", "progress_literacy", ALL), ("F2", "progress_literacy", ALL),
                   ("F4", "attendance_rate", ALL), ("F6", "exclusion_rate", ALL),
                   ("F7", "progress_literacy", "SLD")]
    assert f["kind"].tolist()[:2] == ["strength", "strength"]  # strengths first
    sld = f.loc[f["group"] == "SLD"].iloc[0]
    assert sld["sentence"] == ("No learners with SLD as their primary need (0 of 1, 0%) made "
                               "at least expected progress in literacy.")
    assert sld["source"] == "Table 2.1, Figure 2.1"
    # the same rules with min_n = 5: no group is big enough, no finding
    m5 = m.assign(judged=m["n_learners"] >= 5)
    assert F.findings(m5, rules, audience="internal").empty


def test_published_findings_leave_out_groups_too_small_to_word(minimal_2022):
    # The measures judge groups of min_n learners; a published report words a share only
    # from min_denominator (10) learners, so "There were too few leavers (8) to judge..."
    # must never be listed as a strength or an area for development.
    m = minimal_2022.measures.assign(judged=True)
    rules = [{"measure": "progress_literacy", "comparison": "below", "threshold": "many",
              "kind": "area_for_development"}]  # literacy 1 of 2 = 50%: fires
    assert "progress_literacy" in set(F.findings(m, rules, audience="internal",
                                                 min_n=1)["measure"])
    published = F.findings(m, rules, audience="published", min_n=1)
    assert published.empty, published[["measure", "group", "sentence"]]


def test_finding_rule_exclusive_quantifier_bound(minimal_2022):
    m = minimal_2022.measures.copy()
    sel = (m["measure"] == "progress_literacy") & (m["group"] == ALL)
    rule = [{"measure": "progress_literacy", "comparison": "at_least",
             "threshold": "a majority", "kind": "strength"}]
    m.loc[sel, "value"] = 0.6  # exactly 60% is not "over 60%"
    assert F.findings(m, rule, audience="internal", min_n=1).empty
    m.loc[sel, "value"] = 0.61
    assert len(F.findings(m, rule, audience="internal", min_n=1)) == 1


@pytest.mark.parametrize("rule, key", [
    ({"measure": "progress_maths", "comparison": "below", "threshold": "many",
      "kind": "strength"}, "measure"),
    ({"measure": "progress_*", "comparison": "under", "threshold": "many",
      "kind": "strength"}, "comparison"),
    ({"measure": "progress_*", "comparison": "above", "threshold": "many",
      "kind": "strength"}, "comparison"),  # a quantifier is a lower bound
    ({"measure": "progress_*", "comparison": "below", "threshold": "loads",
      "kind": "strength"}, "threshold"),
    ({"measure": "progress_*", "comparison": "below", "threshold": 70,
      "kind": "strength"}, "threshold"),  # a share above 1
    ({"measure": "exclusion_rate", "comparison": "below", "threshold": "few",
      "kind": "strength"}, "threshold"),  # a rate needs a number
    ({"measure": "progress_*", "comparison": "below", "threshold": "many",
      "kind": "weakness"}, "kind"),
    ({"measure": "progress_*", "comparison": "below", "threshold": "many",
      "kind": "strength", "scope": "class"}, "scope"),
])
def test_finding_rules_are_checked(rule, key):
    with pytest.raises(ParameterError, match=rf"^finding_rules\[0\]\['{key}'\]"):
        F.check_finding_rules([rule])


def test_finding_rules_shape_errors():
    with pytest.raises(ParameterError, match=r"^finding_rules\[0\]:"):
        F.check_finding_rules([{"measure": "progress_*", "comparison": "below",
                                "threshold": "many", "kind": "strength", "colour": "red"}])
    with pytest.raises(ParameterError, match=r"^finding_rules\[1\]:"):
        F.check_finding_rules([F.DEFAULT_FINDING_RULES[0], {"measure": "progress_*"}])
    with pytest.raises(ParameterError, match="^finding_rules:"):
        F.check_finding_rules("progress below many")
    assert len(F.check_finding_rules(None)) == len(F.DEFAULT_FINDING_RULES)


def test_rule_text():
    r = F.check_finding_rules([
        {"measure": "progress_literacy", "comparison": "below", "threshold": "many",
         "kind": "area_for_development"},
        {"measure": "inclusion_rising", "comparison": "at_least", "threshold": "a majority",
         "kind": "strength", "scope": "srb_id"},
        {"measure": "unfilled_places", "comparison": "at_least", "threshold": 0.1,
         "kind": "area_for_development"}])
    assert F.rule_text(r[0]) == ("area for development when at least expected progress: "
                                 "literacy is below 'many' (under 70%), for the authority")
    assert F.rule_text(r[1]) == ("strength when time in mainstream rising is at least "
                                 "'a majority' (over 60%), for any SRB")
    assert F.rule_text(r[2]) == ("area for development when unfilled places (census) is at "
                                 "least 10%, for the authority")


def _found(kinds: list[tuple[str, str, str]]) -> pd.DataFrame:
    """findings-like rows: (kind, group_type, measure)."""
    rows = []
    for kind, gtype, measure in kinds:
        area = RO.AREA_LABELS.get(measure.removeprefix("progress_"), "")
        rows.append({"kind": kind, "group_type": gtype, "measure": measure,
                     "group_label": {"authority": ALL, "srb_id": "Ysgol A",
                                     "primary_need": "SLD"}[gtype],
                     "label": RO.MEASURE_WORDS[measure]["label"], "area": area,
                     "source": "Table 2.1", "recommendation_template":
                     F.RECOMMENDATIONS[measure]})
    return pd.DataFrame(rows)


def test_recommendations_merge_areas_and_name_groups():
    a = F.AREA_FOR_DEVELOPMENT
    f = _found([(a, "authority", "progress_literacy"), (a, "authority", "progress_numeracy"),
                (a, "primary_need", "progress_numeracy"), (a, "srb_id", "unfilled_places"),
                (F.STRENGTH, "authority", "leavers_with_award")])
    r = F.recommendations(f)
    assert r["number"].tolist() == ["R1", "R2"]
    assert r["recommendation"].iloc[0].startswith(
        "Improve the progress learners make in literacy and numeracy:")
    assert r["recommendation"].iloc[0].endswith(
        "especially numeracy for learners with SLD as their primary need.")
    assert r["recommendation"].iloc[1].endswith("especially in Ysgol A.")
    assert F.recommendations(f.iloc[[4]]).empty


@pytest.mark.parametrize("s, a, judgement", [
    (3, 0, "Excellent"),  # no area for development, 3 strengths
    (2, 0, "Good"),  # fewer than 3 strengths: not Excellent; 0% < 30%
    (3, 1, "Good"),  # 1/4 = 25% < 30%
    (2, 1, "Adequate and needs improvement"),  # 1/3 = 33% < 50%
    (1, 1, "Unsatisfactory and needs urgent improvement"),  # 50% is not below 50%
    (0, 2, "Unsatisfactory and needs urgent improvement"),
    (0, 0, "not judged"),
])
def test_indicative_judgement_rules(s, a, judgement):
    rows = [(F.STRENGTH, "authority", "leavers_with_award")] * s + [
        (F.AREA_FOR_DEVELOPMENT, "authority", "unfilled_places")] * a
    # findings about one SRB or need do not count towards the authority's judgement
    rows += [(F.AREA_FOR_DEVELOPMENT, "srb_id", "unfilled_places")] * 3
    v = F.indicative_judgement(_found(rows))
    assert v["judgement"].iloc[0] == judgement
    assert (v["n_strengths"].iloc[0], v["n_areas_for_development"].iloc[0]) == (s, a)
    assert v["rule"].iloc[0] != ""


def test_judgement_rules_table():
    t = F.judgement_rules()
    assert t["judgement"].tolist() == ["Excellent", "Good", "Adequate and needs improvement",
                                       "Unsatisfactory and needs urgent improvement"]
    assert t["estyn_descriptor"].iloc[0] == "Very strong, sustained performance and practice."
    with pytest.raises(ParameterError, match="columns"):
        F.judgement_rules(t.drop(columns="rule_text"))


def test_published_phrases_never_print_a_small_bound():
    # 6 of 8: the complement 2 is small; "more than 3 of 8" would print a small number
    # (the bound 8 - 5 = 3), so the count is just hidden. 12 of 14: bound 14 - 5 = 9.
    # (and since a group of 8 is below the minimum for a share, it is not judged at all)
    t = QT.share_cells([6, 12], [8, 14], audience="published")
    assert t["cell"].tolist() == ["too few to judge", "more than 9 of 14"]
    assert t["phrase"].tolist()[0] == "[c] of 8"
    for text in t["cell"]:
        assert text_checks.find_unsuppressed_small_counts(text) == []


# --------------------------------------------------------------------------- report notes


def test_report_parameters_are_checked_with_the_parameter_named():
    year, previous, k = N.check_parameters("2025/26", "2024/25", 5, False)
    assert (year.label, previous.label, k) == ("2025/26", "2024/25", 5)
    assert N.check_parameters("2025/26", None, 1, True)[1] is None
    # "previous": the year before the one reported, whichever it is (2000/01 and 1999/00)
    for this, before in (("2023/24", "2022/23"), ("2000/01", "1999/00")):
        assert N.check_parameters(this, "previous", 5, False)[1].label == before
    with pytest.raises(ParameterError, match='"previous" or None; got'):
        N.check_parameters("2025/26", "last", 5, False)
    for args, name in ((("2025-26", None, 5, False), "academic_year"),
                       (("2025/26", "Previous", 5, False), "comparison_year"),
                       (("2025/26", "2025/26", 5, False), "comparison_year"),
                       (("2025/26", "2024", 5, False), "comparison_year"),
                       (("2025/26", None, 0, False), "min_n"),
                       (("2025/26", None, True, False), "min_n"),
                       (("2025/26", None, 5, "yes"), "indicative_judgement")):
        with pytest.raises(ParameterError, match=f"^{name}:"):
            N.check_parameters(*args)


def test_notes_take_their_numbers_from_the_policy_and_the_package():
    assert "counts from 1 to 4 read '<5'" in N.suppression_note()
    strict = N.suppression_note(disclosure.Thresholds.statswales())
    # StatsWales: percentages of fewer than 50, counts rounded to 5
    assert "fewer than 50 learners" in strict and "nearest 5" in strict
    assert "fewer than 10 learners" in N.suppression_note()
    assert "at least 75% of the instrument's" in N.progress_note()
    assert "fewer than 90% of sessions (absent for more than 10%" in N.wellbeing_note()
    assert "more than 5 percentage points" in N.inclusion_note()
    caveats = N.caveats_markdown()
    assert caveats.startswith("## Caveats") and "(75% to 125% of it" in caveats
    assert '"around half" covers 40% to 60%' in caveats
    d = pd.DataFrame({"measure": ["exclusion_rate"], "group_type": ["authority"],
                      "count_text": ["<5"]})
    ex = pd.DataFrame({"group_type": ["authority"], "days_lost": [30.0], "n_permanent": [0],
                       "n_learners_excluded": [12]})
    kw = {"academic_year": "2025/26", "audience": "published"}
    assert N.exclusion_days_sentence(ex, d, **kw) == ""
    assert N.exclusion_days_sentence(ex, d.assign(count_text="12"), **kw) == (
        "Fixed-term exclusions cost 30 school days in 2025/26; there were no permanent "
        "exclusions.")
    # the days lost by 8 learners are a statistic of a small group (second outside attack:
    # "19 school days" beside "8 of 104" learners excluded)
    few = ex.assign(n_learners_excluded=8, days_lost=19.0)
    assert N.exclusion_days_sentence(few, d.assign(count_text="9"), **kw) == ""
    assert "19 school days" in N.exclusion_days_sentence(
        few, d.assign(count_text="9"), academic_year="2025/26", audience="internal")


def test_measure_sentences_word_a_hidden_rate_with_the_policy(minimal_2022):
    strict = disclosure.Thresholds(min_denominator=20)
    d = RO.display_measures(minimal_2022.measures, audience="published", min_n=1,
                            thresholds=strict)
    row = d.loc[d["measure"] == "attendance_rate"]
    assert RO.measure_sentences(row, thresholds=strict).iloc[0] == (
        "Attendance is not shown (fewer than 20 learners).")


def test_a_complement_stated_as_small_is_not_taken_as_shown_by_the_joint_protection():
    """Third outside attack: the Estyn report of 2024/25 on the demo data was refused by
    its own audit. "more than 6 of 11" (PMED numeracy) states a complement of 1 to 4;
    the joint protection took it as shown exactly, so it hid that complement too ("[c]
    of 11"), which says less, and the count could then be narrowed to 2 to 11."""
    from srb_eval.report import outcome_populations as OP
    from srb_eval.report.audit import feasible_ranges

    ds = load_dataset(Path(__file__).parents[1] / "data" / "demo")
    res = M.evaluate(ds, academic_year="2024/25", min_n=5)
    by_need = RO.display_measures(res.measures, group_type="primary_need",
                                  audience="published", min_n=5)
    cell = by_need.loc[(by_need["measure"] == "progress_numeracy")
                       & (by_need["group"] == "PMED"), "cell"].iloc[0]
    assert cell == "more than 6 of 11"
    r5 = RO.measure_table(by_need, rows="label", columns="group_label")
    rec = OP.measures_record(by_need, r5, table="r5_by_need", academic_year="2024/25",
                             rows="label", measures=res.measures)
    ranges = feasible_ranges([rec])
    assert len(ranges) and ranges["passes"].all(), ranges.loc[~ranges["passes"]].to_string()


def test_the_leavers_tables_keep_every_hidden_cell_wide_beside_the_learners_placed():
    """The Estyn report of 2023/24 on the demo data was refused by its own audit. Table
    3.1 shows Ysgol Afon's 7 learners placed; Table 5.3 showed its leavers as "<5" (1 to
    4), so its hidden "[c]" on roll was 3 to 6. The joint protection of the leavers tables
    kept only the small counts wide; the render's audit asks it of every hidden cell (a
    "[c]" holds all of 1 to 4 or none), as for every table that carries a record."""
    from srb_eval.report import outcome_populations as OP
    from srb_eval.report import outcome_tables as T
    from srb_eval.report.audit import feasible_ranges

    ds = load_dataset(Path(__file__).parents[1] / "data" / "demo")
    res = M.evaluate(ds, academic_year="2023/24", min_n=5)
    wellbeing = ["attendance_rate", "persistent_absence", "learners_excluded",
                 "exclusion_rate"]
    by_srb = RO.display_measures(
        res.measures, group_type="srb_id", audience="published", min_n=5,
        known=OP.inclusion_report_counts(ds, until=pd.Timestamp("2024-08-31")))
    t31 = RO.measure_table(by_srb, measures=wellbeing)
    afon = t31.set_index(t31.columns[0]).loc["Ysgol Afon Secondary SRB"]
    assert "7 learners" in " ".join(map(str, afon))
    dest, stays = T.display_leavers(
        res.destinations, res.stays, audience="published", srb_names=res.srb_names,
        placed=res.measures.loc[res.measures["measure"].isin(wellbeing)])
    records = [OP.measures_record(by_srb, t31, table="wellbeing_by_srb",
                                  academic_year="2023/24", measures=res.measures),
               *T.leavers_records(
                   res.destinations, res.stays, dest, stays, academic_year="2023/24",
                   srb_phase=dict(zip(res.occupancy["srb_id"], res.occupancy["phase"],
                                      strict=True)),
                   placed=res.measures.loc[res.measures["measure"] == "learners_excluded"])]
    ranges = feasible_ranges(records)
    assert len(ranges) and ranges["passes"].all(), ranges.loc[~ranges["passes"]].to_string()
    # internal: every count as measured
    internal = T.display_leavers(res.destinations, res.stays, audience="internal",
                                 srb_names=res.srb_names)[1]
    assert sorted(internal["leavers"].tolist()) == sorted(res.stays.loc[
        res.stays["group_type"].isin(["srb_id", "authority"]), "n_left"].astype(str))


def test_a_year_without_awards_or_leavers_has_records_the_audit_reads():
    """The Estyn report of the demo data's first year (2021/22) failed: with no award and
    no leaver, the awards and destinations records broke their tables down by an empty
    list of qualifications and of destinations, which the audit refuses. Such a table is
    its "all" row alone."""
    from srb_eval.report import outcome_tables as T
    from srb_eval.report.audit import feasible_ranges

    ds = load_dataset(Path(__file__).parents[1] / "data" / "demo")
    res = M.evaluate(ds, academic_year="2021/22", min_n=5)
    assert res.awards.empty and int(res.destinations["n_leavers"].sum()) == 0
    aw = T.display_awards(res.awards, audience="published")
    assert aw["awards"].tolist() == ["0"]
    dest, stays = T.display_leavers(res.destinations, res.stays, audience="published",
                                    srb_names=res.srb_names)
    assert (dest["leavers"] == "0").all()
    records = [T.awards_record(aw, academic_year="2021/22"),
               *T.leavers_records(res.destinations, res.stays, dest, stays,
                                  academic_year="2021/22")]
    assert [p["dim"] for p in records[0]["partitions"]] == []
    assert "destination" not in [p["dim"] for p in records[1]["partitions"]]
    ranges = feasible_ranges(records)
    assert ranges["passes"].all(), ranges.loc[~ranges["passes"]].to_string()


def test_the_awards_table_keeps_every_hidden_count_wide(tmp_path):
    """A synthetic dataset (``srb-eval demo --learners 400 --years 6 --seed 11``): the
    Estyn report of 2024/25 was refused by its own audit, its awards table's "[c]" of
    Entry 3 narrowed to 2 to 22 by the row and column totals. The table is protected to
    the audit's rule now (a "[c]" holds all of 1 to 4 or none of it)."""
    from srb_eval.data.demo import write_demo
    from srb_eval.report import outcome_tables as T
    from srb_eval.report.audit import feasible_ranges

    write_demo(tmp_path / "d", n_learners=400, years=6, seed=11)
    res = M.evaluate(load_dataset(tmp_path / "d"), academic_year="2024/25", min_n=5)
    aw = T.display_awards(res.awards, audience="published")
    assert (aw == "[c]").any().any()
    ranges = feasible_ranges([T.awards_record(aw, academic_year="2024/25")])
    assert len(ranges) and ranges["passes"].all(), ranges.loc[~ranges["passes"]].to_string()
