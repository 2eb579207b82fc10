"""Goal Attainment Scaling (stats.gas, measures.targets, report.targets) against values
worked by hand."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from srb_eval import ParameterError, load_dataset
from srb_eval.measures import targets as T
from srb_eval.measures.attribution import attach_srb
from srb_eval.report import targets as RT
from srb_eval.report.disclosure import Thresholds
from srb_eval.stats import gas as ST

from .conftest import MINIMAL

pytestmark = pytest.mark.filterwarnings("error")


def test_three_goals_as_expected_give_50():
    assert ST.gas_t_score([0, 0, 0]) == 50


def test_three_goals_at_plus_one_by_hand():
    # sum wx = 3; denominator sqrt(0.7 x 3 + 0.3 x 3^2) = sqrt(4.8) = 2.190890
    # T = 50 + 10 x 3 / 2.190890 = 63.693064
    assert ST.gas_t_score([1, 1, 1]) == pytest.approx(63.693064, abs=1e-6)


def test_weighted_goals_by_hand():
    # x = (2, -1), w = (2, 1), rho 0.3: sum wx = 4 - 1 = 3; sum w^2 = 5; (sum w)^2 = 9
    # denominator sqrt(0.7 x 5 + 0.3 x 9) = sqrt(6.2) = 2.489980; T = 50 + 12.048290
    assert ST.gas_t_score([2, -1], weights=[2, 1]) == pytest.approx(50 + 30 / math.sqrt(6.2))
    assert ST.gas_t_score([2, -1], weights=[2, 1]) == pytest.approx(62.048290, abs=1e-6)


def test_one_goal_and_rho_zero():
    # one goal: T = 50 + 10x whatever rho; rho 0, x = (1, 1): 50 + 10 x 2 / sqrt(2)
    assert ST.gas_t_score([-2]) == 30
    assert ST.gas_t_score([1, 1], rho=0) == pytest.approx(50 + 20 / math.sqrt(2))


def test_missing_goals_are_left_out_and_none_scored_is_nan():
    assert ST.gas_t_score([1, np.nan, 1, 1]) == pytest.approx(63.693064, abs=1e-6)
    assert math.isnan(ST.gas_t_score([np.nan, np.nan]))
    assert math.isnan(ST.gas_t_score([]))


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ParameterError, match="attainment"):
        ST.gas_t_score([3, 0])
    with pytest.raises(ParameterError, match="attainment"):
        ST.gas_t_score([0.5])
    with pytest.raises(ParameterError, match="weights"):
        ST.gas_t_score([0, 1], weights=[1, 0])
    with pytest.raises(ParameterError, match="weights"):
        ST.gas_t_score([0, 1], weights=[1])
    with pytest.raises(ParameterError, match="rho"):
        ST.gas_t_score([0], rho=1)


def _targets() -> pd.DataFrame:
    return pd.DataFrame({
        "learner_id": ["A", "A", "A", "A", "B", "B", "C"],
        "target_id": ["1", "2", "3", "4", "1", "2", "1"],
        "area": ["literacy", "literacy", "numeracy", "numeracy", "literacy", "literacy",
                 "literacy"],
        "review_date": pd.to_datetime(["2025-03-20", "2025-03-20", "2025-03-20", None,
                                       "2025-03-20", "2025-09-20", None]),
        "attainment": [1.0, 1.0, 1.0, np.nan, -1.0, 0.0, np.nan],
        "weight": [1.0, 1.0, 1.0, 1.0, 2.0, np.nan, 1.0],
    })


def test_gas_scores_vectorised_agree_with_the_scalar_formula():
    out = T.gas_scores(_targets())
    # A 2025-03-20: three goals at +1 -> 63.693; A's fourth target not reviewed.
    # B 2025-03-20: x = -1, w = 2 -> 50 + 10 x (-2) / sqrt(0.7 x 4 + 0.3 x 4) = 40
    # B 2025-09-20: x = 0, weight missing -> 1 -> 50. C: nothing reviewed -> no row.
    assert out[["learner_id", "n_targets", "n_met"]].values.tolist() == [
        ["A", 3, 3], ["B", 1, 0], ["B", 1, 1]]
    assert out["gas_t"].tolist() == pytest.approx([63.693064, 40, 50], abs=1e-6)
    assert out["share_met"].tolist() == [1, 0, 1]
    for row in out.itertuples():
        t = _targets()
        sel = (t.learner_id == row.learner_id) & (t.review_date == row.review_date)
        assert row.gas_t == pytest.approx(ST.gas_t_score(t.loc[sel, "attainment"],
                                                        t.loc[sel, "weight"].fillna(1)))


def test_gas_scores_by_area_and_empty():
    out = T.gas_scores(_targets(), by=("learner_id", "review_date", "area"))
    a = out.loc[out.learner_id == "A"]
    # literacy: two goals at +1: 50 + 20 / sqrt(0.7 x 2 + 0.3 x 4) = 50 + 20/sqrt(2.6)
    assert a["area"].tolist() == ["literacy", "numeracy"]
    assert a["gas_t"].tolist() == pytest.approx([50 + 20 / math.sqrt(2.6), 60])
    empty = T.gas_scores(_targets().iloc[0:0])
    assert empty.empty and "gas_t" in empty.columns
    with pytest.raises(ParameterError, match="targets"):
        T.gas_scores(_targets().assign(attainment=[5.0] + [0.0] * 6))


def test_attach_srb_uses_the_placement_at_the_review_date():
    placements = pd.DataFrame({
        "learner_id": ["A", "A", "B"], "srb_id": ["S1", "S2", "S1"],
        "start_date": pd.to_datetime(["2020-09-01", "2025-04-01", "2024-09-01"]),
        "end_date": pd.to_datetime(["2025-03-31", None, None])})
    scores = pd.DataFrame({"learner_id": ["A", "A", "B", "B"],
                           "review_date": pd.to_datetime(["2025-03-20", "2025-09-20",
                                                          "2024-03-20", None])})
    out = attach_srb(scores, placements, start="review_date")
    # A's March review is in S1, September in S2; B's 2024 review predates B's placement
    assert out["srb_id"].tolist()[:2] == ["S1", "S2"]
    assert out["srb_id"].isna().tolist() == [False, False, True, True]


def test_review_scores_keep_the_window_and_srb():
    placements = pd.DataFrame({
        "learner_id": ["A", "B"], "srb_id": ["S1", "S2"],
        "start_date": pd.to_datetime(["2020-09-01", "2025-01-01"]),
        "end_date": pd.to_datetime([None, None])})
    # all reviews: A 2025-03-20 (S1, 63.69), B 2025-03-20 (S2, 40), B 2025-09-20 (S2, 50)
    scores, by_area = T.review_scores(_targets(), placements)
    assert scores["gas_t"].tolist() == pytest.approx([63.693064, 40, 50], abs=1e-6)
    assert scores["srb_id"].tolist() == ["S1", "S2", "S2"]
    assert by_area[["learner_id", "area"]].values.tolist() == [
        ["A", "literacy"], ["A", "numeracy"], ["B", "literacy"], ["B", "literacy"]]
    # window to the end of June: B's September review is out; SRB S2 keeps B's March only
    scores, by_area = T.review_scores(_targets(), placements, srb="S2",
                                      window_end="2025-06-30")
    assert scores[["learner_id", "gas_t"]].values.tolist() == [["B", 40.0]]
    assert by_area[["learner_id", "area"]].values.tolist() == [["B", "literacy"]]


def test_gas_summary_by_hand():
    scores = pd.DataFrame({"learner_id": ["A", "A", "B", "C"], "srb_id": ["S1"] * 3 + ["S2"],
                           "n_targets": [3, 2, 4, 1], "n_met": [3, 1, 2, 0],
                           "gas_t": [60.0, 50.0, 40.0, 30.0]})
    out = T.gas_summary(scores, by="srb_id").set_index("srb_id")
    s1 = out.loc["S1"]
    # S1: T = 60, 50, 40: median 50, q1 45, q3 55, mean 50; targets 9, met 6 -> 0.6667
    # T >= 50: 2 of 3
    assert (s1.n_learners, s1.n_reviews, s1.n_targets, s1.n_met) == (2, 3, 9, 6)
    assert (s1.median_t, s1.q1_t, s1.q3_t, s1.mean_t) == (50, 45, 55, 50)
    assert s1.share_met == pytest.approx(6 / 9) and s1.n_t_50_or_more == 2
    total = T.gas_summary(scores)
    assert total["n_reviews"].tolist() == [4] and total["median_t"].tolist() == [45]
    empty = T.gas_summary(scores.iloc[0:0])
    assert empty["n_reviews"].tolist() == [0] and math.isnan(empty["median_t"].iloc[0])


def test_minimal_dataset_end_to_end():
    ds = load_dataset(MINIMAL)
    out = attach_srb(T.gas_scores(ds.targets), ds.placements, start="review_date")
    # L01 2023-03-20: x = (0, 1) -> 50 + 10 / sqrt(0.7 x 2 + 0.3 x 4) = 50 + 10/sqrt(2.6)
    # L02 2022-03-20: x = -1, w = 2 -> 40 (in SRB01)
    assert out[["learner_id", "srb_id"]].values.tolist() == [["L01", "SRB01"],
                                                             ["L02", "SRB01"]]
    assert out["gas_t"].tolist() == pytest.approx([50 + 10 / math.sqrt(2.6), 40])


def test_docstring_examples_run():
    for module in (T, RT, ST):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted >= 1, module.__name__


def test_wording_takes_its_thresholds_from_the_policy():
    row = {"n_targets": 40, "n_met": 30, "n_reviews": 30, "median_t": 51.0, "n_learners": 20,
           "n_t_50_or_more": 20}
    strict = Thresholds.statswales()  # statistics of fewer than 50 learners are hidden
    assert RT.gas_heading(row, audience="published", thresholds=strict) == (
        "Targets: too few learners to report (fewer than 50)")
    assert RT.describe_gas(row, audience="published", thresholds=strict).startswith(
        "Fewer than 50 learners")
    assert RT.gas_heading(row, audience="published").startswith("Targets: 30 of 40")


def test_gas_wording_and_display_control_small_numbers():
    row = {"n_targets": 12, "n_met": 2, "n_reviews": 4, "median_t": 47.0, "n_learners": 10,
           "n_t_50_or_more": 1}
    # published: 2 of 12 -> "<5 of 12"; 4 reviews are too few for a median T
    assert RT.gas_heading(row, audience="published") == (
        "Targets: <5 of 12 targets met or exceeded at review")
    assert RT.gas_heading(row, audience="internal").endswith("median GAS T-score 47")
    assert "<5 of 4 reviews" not in RT.describe_gas(row, audience="published")
    few = {**row, "n_learners": 3}
    assert RT.gas_heading(few, audience="published") == (
        "Targets: too few learners to report (fewer than 10)")
    assert RT.describe_gas(few, audience="published").startswith("Fewer than 10 learners")
    assert "across 3 learners" in RT.describe_gas(few, audience="internal")
    assert RT.gas_heading({"n_targets": 0}, audience="internal") == "Targets: none reviewed yet"
    scores = pd.DataFrame({"learner_id": ["A", "A", "B", "C"], "srb_id": ["S1"] * 3 + ["S2"],
                           "n_targets": [3, 2, 4, 1], "n_met": [3, 1, 2, 0],
                           "gas_t": [60.0, 50.0, 40.0, 30.0]})
    table = T.gas_summary(scores, by="srb_id")
    pub = RT.display_gas(table, audience="published")
    assert not pub.isna().any().any()
    assert set(pub["median T (middle half)"]) == {"[c]"} and set(pub["learners"]) == {"<5"}
    internal = RT.display_gas(table, audience="internal")
    assert internal["median T (middle half)"].tolist() == ["50 (45 to 55)", "30 (30 to 30)"]
    assert internal["% met"].tolist() == ["67%", "0%"]
