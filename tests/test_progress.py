"""Progress from baseline (measures, stats and report wording): every method against values worked by hand (arithmetic in comments)."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from srb_eval import DataValidationError, ParameterError, load_dataset
from srb_eval.measures import benchmarks as B
from srb_eval.measures import calendar as CAL
from srb_eval.measures import progress as P
from srb_eval.measures import progress_groups as G
from srb_eval.measures import progress_scales as S
from srb_eval.measures import targets as TG
from srb_eval.report import progress as W
from srb_eval.report import progress_tables as D
from srb_eval.stats import bootstrap as BS
from srb_eval.stats import change as CH
from srb_eval.stats import trend as TR

from .conftest import MINIMAL

pytestmark = pytest.mark.filterwarnings("error")

STEPS = pd.DataFrame({"instrument": ["Steps", "Std", "StdNoSd", "Read"],
                      "scale": ["steps", "standard_score", "standard_score",
                                "age_equivalent_months"],
                      "sd": [np.nan, 15.0, np.nan, np.nan],
                      "reliability": [np.nan, 0.9, np.nan, 0.88],
                      "expected_gain_per_year": [6.0, 0.0, 0.0, 12.0]})


def _a(*rows) -> pd.DataFrame:
    """assessments from (learner, instrument, area, date, score[, is_baseline]) tuples."""
    rows = [r if len(r) == 6 else (*r, pd.NA) for r in rows]
    df = pd.DataFrame(rows, columns=["learner_id", "instrument", "area", "date", "score",
                                     "is_baseline"])
    df["date"] = pd.to_datetime(df["date"])
    df["score"] = df["score"].astype(float)
    df["is_baseline"] = df["is_baseline"].astype("boolean")
    return df


def _p(*rows) -> pd.DataFrame:
    """placements from (learner, srb, start, end) tuples."""
    df = pd.DataFrame(rows, columns=["learner_id", "srb_id", "start_date", "end_date"])
    df["start_date"] = pd.to_datetime(df["start_date"])
    df["end_date"] = pd.to_datetime(df["end_date"])
    return df


PLACED = _p(("L1", "S1", "2024-09-02", None))


def _one(a, placements=PLACED, **kw) -> pd.Series:
    out = P.learner_progress(a, placements, STEPS, **kw)
    assert len(out) == 1
    return out.iloc[0]


# --------------------------------------------------------------------------- progress rows


def test_three_points_gain_rate_slope_by_hand():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                ("L1", "Steps", "literacy", "2025-01-10", 12),
                ("L1", "Steps", "literacy", "2025-09-10", 16)))
    # 10 Sep 2024 -> 10 Sep 2025 = 365 days = 365 / 365.25 = 0.999316 years
    assert r.elapsed_days == 365
    assert r.elapsed_years == pytest.approx(365 / 365.25)
    assert r.gain == 6  # 16 - 10
    assert r.rate == pytest.approx(6 / (365 / 365.25))  # 6 x 365.25 / 365 = 6.004110
    assert r.rate == pytest.approx(6.004110, abs=1e-6)
    # pairwise slopes per year: 10 Sep -> 10 Jan = 122 days; 10 Jan -> 10 Sep = 243 days
    # 2 / (122/365.25) = 5.98770, 6 / (365/365.25) = 6.00411, 4 / (243/365.25) = 6.01235
    assert r.slope == pytest.approx(6.00411, abs=1e-5)
    assert r.n_points == 3
    assert r.status == "measured"
    assert r.baseline_source == "first on or after start"
    # progress ratio 6.004110 / 6 = 1.000685, inside 0.75..1.25 -> expected
    assert r.progress_ratio == pytest.approx(1.000685, abs=1e-6)
    assert r.band == "expected" and r.band_basis == "expected gain per year"


def test_n0_empty_tables_give_empty_result_with_columns():
    out = P.learner_progress(_a(), PLACED, STEPS)
    assert out.empty
    assert {"gain", "rate", "slope", "status", "band"} <= set(out.columns)
    out = P.learner_progress(_a(("L1", "Steps", "literacy", "2024-09-10", 10)),
                             _p(), STEPS)
    assert out.empty


def test_n1_one_assessment_is_no_follow_up_never_zero_gain():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10)))
    assert r.status == "no follow-up yet"
    assert math.isnan(r.gain) and math.isnan(r.rate) and math.isnan(r.slope)
    assert pd.isna(r.outcome_date) and math.isnan(r.outcome_score)
    assert pd.isna(r.band) and r.n_points == 1 and r.baseline_score == 10


def test_n2_two_points_slope_equals_rate():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                ("L1", "Steps", "literacy", "2025-03-10", 13)))
    # 10 Sep -> 10 Mar = 181 days; rate = 3 / (181/365.25) = 6.053867
    assert r.rate == pytest.approx(3 * 365.25 / 181)
    assert r.slope == pytest.approx(r.rate)


def test_zero_elapsed_two_results_same_day_too_soon_no_warning():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                ("L1", "Steps", "literacy", "2024-09-10", 14)))
    assert r.status == "too soon to judge"
    assert r.elapsed_days == 0
    assert math.isnan(r.gain) and math.isnan(r.rate) and math.isnan(r.slope)
    assert r.baseline_score == 12  # (10 + 14) / 2: results on the baseline date averaged
    assert pd.isna(r.band)


@pytest.mark.parametrize(("second", "status"), [("2024-12-10", "too soon to judge"),
                                                ("2024-12-11", "measured")])
def test_one_term_boundary(second, status):
    # 10 Sep -> 10 Dec = 91 days = 0.2491 years < 0.25; -> 11 Dec = 92 days = 0.2519
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                ("L1", "Steps", "literacy", second, 12)))
    assert r.status == status
    assert r.gain == 2  # a gain is given even when too soon
    assert math.isnan(r.rate) == (status != "measured")


def test_flagged_baseline_wins_and_earlier_results_are_not_trajectory():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-05", 5, False),
                ("L1", "Steps", "literacy", "2024-10-01", 8, True),
                ("L1", "Steps", "literacy", "2025-10-01", 14, False)))
    assert r.baseline_source == "flagged" and r.baseline_score == 8
    assert r.gain == 6 and r.n_points == 2  # the 5 before the flagged baseline is ignored
    # 1 Oct 2024 -> 1 Oct 2025 = 365 days
    assert r.rate == pytest.approx(6 * 365.25 / 365)


def test_all_flags_false_falls_back_to_first_after_start():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-05", 5, False),
                ("L1", "Steps", "literacy", "2025-09-05", 11, False)))
    assert r.baseline_source == "first on or after start" and r.gain == 6


def test_assessments_outside_the_placement_are_not_used():
    placements = _p(("L1", "S1", "2024-09-02", "2025-07-20"),
                    ("L1", "S2", "2025-09-01", None))
    out = P.learner_progress(_a(
        ("L1", "Steps", "literacy", "2024-06-10", 1, True),  # before start: never baseline
        ("L1", "Steps", "literacy", "2024-09-10", 10),
        ("L1", "Steps", "literacy", "2025-06-10", 14),
        ("L1", "Steps", "literacy", "2025-08-01", 99),  # between placements: nobody's
        ("L1", "Steps", "literacy", "2025-09-10", 20),
        ("L1", "Steps", "literacy", "2026-06-10", 25)), placements, STEPS)
    assert out["srb_id"].tolist() == ["S1", "S2"]
    assert out["baseline_score"].tolist() == [10, 20]
    assert out["gain"].tolist() == [4, 5]
    assert out["n_points"].tolist() == [2, 2]


def test_tied_outcome_date_is_averaged():
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                ("L1", "Steps", "literacy", "2025-09-10", 15),
                ("L1", "Steps", "literacy", "2025-09-10", 17)))
    assert r.outcome_score == 16 and r.gain == 6 and r.n_points == 3
    # slopes: 5/1y', 7/1y' and the tied pair left out -> median of (5, 7) / (365/365.25)
    assert r.slope == pytest.approx(6 * 365.25 / 365)


def test_missing_is_baseline_column_and_missing_scores():
    a = _a(("L1", "Steps", "literacy", "2024-09-10", 10),
           ("L1", "Steps", "literacy", "2025-01-10", np.nan),
           ("L1", "Steps", "literacy", "2025-09-10", 16)).drop(columns="is_baseline")
    r = _one(a)
    assert r.gain == 6 and r.n_points == 2  # the missing score is left out


WINDOW_ROWS = (("L1", "Steps", "literacy", "2024-09-10", 10),
               ("L1", "Steps", "literacy", "2025-03-10", 12),
               ("L1", "Steps", "literacy", "2025-09-10", 16),
               ("L1", "Steps", "literacy", "2026-03-10", 20))


def test_window_anchor_baseline_keeps_the_placement_baseline():
    r = _one(_a(*WINDOW_ROWS), window_start="2025-09-01", window_end="2025-12-31")
    assert r.baseline_score == 10 and r.outcome_score == 16  # 2026 result is after the window
    assert r.gain == 6 and r.n_points == 3


def test_window_anchor_window_uses_first_in_window():
    r = _one(_a(*WINDOW_ROWS), window_start="2025-01-01", window_end="2026-12-31",
             anchor="window")
    assert r.baseline_score == 12 and r.outcome_score == 20 and r.gain == 8


def test_window_without_assessments_drops_the_row():
    out = P.learner_progress(_a(*WINDOW_ROWS[:2]), PLACED, STEPS, window_start="2026-01-01")
    assert out.empty


def test_window_end_before_flagged_baseline_drops_the_row():
    out = P.learner_progress(_a(("L1", "Steps", "literacy", "2024-09-10", 5),
                                ("L1", "Steps", "literacy", "2025-09-10", 10, True)),
                             PLACED, STEPS, window_end="2025-06-30")
    assert out.empty  # the baseline is after the window: nothing to report


@pytest.mark.parametrize(("gain", "band"), [(17.6, "below"), (18, "expected"), (30, "expected"),
                                            (30.4, "above")])
def test_relative_tolerance_band_boundaries(gain, band):
    # 1 Sep 2020 -> 1 Sep 2024 = 1461 days = exactly 4.0 years of 365.25 days;
    # expected 6 a year, tolerance 0.25: below < 4.5 a year, above > 7.5 a year
    # 17.6 / 4 = 4.4 -> below; 18 / 4 = 4.5 -> expected (boundary); 30 / 4 = 7.5 ->
    # expected (boundary); 30.4 / 4 = 7.6 -> above
    r = _one(_a(("L1", "Steps", "literacy", "2020-09-01", 10),
                ("L1", "Steps", "literacy", "2024-09-01", 10 + gain)),
             placements=_p(("L1", "S1", "2020-09-01", None)))
    assert r.elapsed_years == 4.0
    assert r.band == band


@pytest.mark.parametrize(("change", "band"), [(13, "expected"), (14, "above"), (-14, "below")])
def test_standard_score_band_is_reliable_change(change, band):
    # SD 15, r 0.9: change needed 1.96 x 6.708 = 13.148 points
    r = _one(_a(("L1", "Std", "numeracy", "2024-09-10", 80),
                ("L1", "Std", "numeracy", "2025-09-10", 80 + change)))
    assert r.band == band and r.band_basis == "reliable change"
    assert math.isnan(r.progress_ratio)


def test_standard_score_without_sd_has_no_band():
    r = _one(_a(("L1", "StdNoSd", "numeracy", "2024-09-10", 80),
                ("L1", "StdNoSd", "numeracy", "2025-09-10", 99)))
    assert pd.isna(r.band) and r.band_basis == "no expectation" and r.gain == 19


def test_learner_columns_and_year_group():
    learners = pd.DataFrame({"learner_id": ["L1"], "birth_month": pd.to_datetime(["2015-08-01"]),
                             "sex": ["F"], "primary_need": ["ASD"], "fsm": [True]})
    r = _one(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                ("L1", "Steps", "literacy", "2025-09-10", 16)), learners=learners)
    # outcome 10 Sep 2025: school year 2025/26; age on 31 Aug 2025 = 2025 - 2015 = 10 -> Y6
    assert r.year_group == 6 and r.primary_need == "ASD"


def test_bad_arguments_name_the_parameter():
    a = _a(("L1", "Steps", "literacy", "2024-09-10", 10))
    with pytest.raises(ParameterError, match="window_start"):
        P.learner_progress(a, PLACED, STEPS, window_start="10/09/2024")
    with pytest.raises(ParameterError, match="window_end"):
        P.learner_progress(a, PLACED, STEPS, window_start="2025-01-01",
                           window_end="2024-01-01")
    with pytest.raises(ParameterError, match="anchor"):
        P.learner_progress(a, PLACED, STEPS, anchor="start")
    with pytest.raises(ParameterError, match="tolerance"):
        P.learner_progress(a, PLACED, STEPS, tolerance=1.5)
    with pytest.raises(ParameterError, match="assessments"):
        P.learner_progress(a.drop(columns="score"), PLACED, STEPS)


# --------------------------------------------------------------------------- year groups


def test_year_group_by_hand():
    b = pd.Series(pd.to_datetime(["2015-08-01", "2015-09-01", "2015-08-01", "2015-08-01"]))
    d = pd.Series(pd.to_datetime(["2020-09-10", "2020-09-10", "2021-08-31", "2021-09-01"]))
    # 2015-08 on 10 Sep 2020: age on 31 Aug 2020 = 5 -> Year 1; 2015-09: 4 -> Reception;
    # 31 Aug 2021 is still school year 2020/21 -> Year 1; 1 Sep 2021 -> Year 2
    assert CAL.year_group(b, d).tolist() == [1, 0, 1, 2]
    labels = CAL.year_group_label(pd.Series([-2, -1, 0, 13, 14, None], dtype="Int64"))
    assert labels.tolist() == ["pre-school", "Nursery", "Reception", "Year 13",
                               "Year 14 and over", None]


# --------------------------------------------------------------------------- Theil-Sen


def test_theil_sen_agrees_with_scipy_on_random_cases():
    rng = np.random.default_rng(7)
    groups, xs, ys, expected = [], [], [], {}
    for g in range(300):
        k = int(rng.integers(2, 14))
        x = rng.integers(0, 8, k).astype(float)  # many ties in x
        y = rng.normal(0, 5, k).round(0)  # ties in y
        if np.ptp(x) == 0:
            continue
        groups += [g] * k
        xs.append(x)
        ys.append(y)
        expected[g] = stats.theilslopes(y, x).slope
    got = TR.group_theil_sen(groups, np.concatenate(xs), np.concatenate(ys), max_pairs=50)
    assert list(got.index) == sorted(expected)
    np.testing.assert_allclose(got.to_numpy(), [expected[g] for g in got.index], rtol=1e-12,
                               atol=1e-12)


def test_theil_sen_sorted_integer_groups_match_any_labels():
    # sorted integer groups (the fast path) give what the same labels as a list give
    rng = np.random.default_rng(3)
    g = np.sort(rng.integers(0, 40, 400))
    x = rng.integers(0, 6, 400).astype(float)
    y = rng.normal(0, 5, 400).round(1)
    fast = TR.group_theil_sen(g, x, y)
    slow = TR.group_theil_sen(list(g), x, y)
    pd.testing.assert_series_equal(fast, slow, check_exact=True)
    shuffled = rng.permutation(400)
    pd.testing.assert_series_equal(TR.group_theil_sen(g[shuffled], x[shuffled], y[shuffled]),
                                   slow, check_exact=True)


def test_theil_sen_degenerate_groups_are_nan_without_warning():
    got = TR.group_theil_sen(["a", "b", "b", "c", "c", "c"], [0, 1, 1, 0, 1, np.nan],
                            [1, 2, 3, 0, 10, 5])
    # a: one point; b: equal x only; c: the NaN point dropped -> slope 10 / 1
    assert math.isnan(got["a"]) and math.isnan(got["b"]) and got["c"] == 10
    empty = TR.group_theil_sen([], [], [])
    assert empty.empty


def test_theil_sen_is_robust_to_one_odd_result():
    # y = 2x except one wild value: slopes 2,2,2,2,2,2 and the four through the outlier
    got = TR.group_theil_sen([0] * 5, [0, 1, 2, 3, 4], [0, 2, 4, 60, 8])
    assert got[0] == 2


# --------------------------------------------------------------------------- RCI


def test_rci_published_worked_example():
    r = CH.rci(70, 84, sd=15, reliability=0.9)
    # SE = 15 sqrt(0.1) = 4.7434; S_diff = sqrt(2 x 4.7434^2) = 6.7082;
    # change needed = 1.96 x 6.7082 = 13.148; RC = 14 / 6.7082 = 2.0870
    assert float(r.se) == pytest.approx(4.743416, abs=1e-6)
    assert float(r.s_diff) == pytest.approx(6.708204, abs=1e-6)
    assert float(r.change_needed) == pytest.approx(13.14808, abs=1e-5)
    assert float(r.rc) == pytest.approx(2.086997, abs=1e-6)
    assert r.classification.tolist() == "reliable improvement"


def test_rci_boundary_and_directions():
    s_diff = 15 * math.sqrt(0.1) * math.sqrt(2)
    r = CH.rci([0, 0, 0, 0], [1.96 * s_diff, 1.97 * s_diff, -1.97 * s_diff, np.nan], sd=15,
              reliability=0.9)
    assert r.classification.tolist() == ["no reliable change", "reliable improvement",
                                         "reliable deterioration", None]


def test_rci_bad_arguments():
    with pytest.raises(ParameterError, match="sd"):
        CH.rci(1, 2, sd=np.nan, reliability=0.9)
    with pytest.raises(ParameterError, match="reliability"):
        CH.rci(1, 2, sd=15, reliability=1.0)


def _std_progress():
    a = _a(("L1", "Std", "numeracy", "2024-09-10", 70),
           ("L1", "Std", "numeracy", "2025-09-10", 84),
           ("L2", "StdNoSd", "numeracy", "2024-09-10", 70),
           ("L2", "StdNoSd", "numeracy", "2025-09-10", 90),
           ("L3", "Std", "numeracy", "2024-09-10", 70))
    placements = _p(("L1", "S1", "2024-09-02", None), ("L2", "S1", "2024-09-02", None),
                    ("L3", "S1", "2024-09-02", None))
    return P.learner_progress(a, placements, STEPS)


def test_reliable_change_table_and_missing_sd_error():
    prog = _std_progress()
    with pytest.raises(P.InstrumentError, match="StdNoSd") as info:
        S.reliable_change(prog, STEPS)
    assert isinstance(info.value, ParameterError)
    assert "sd" in str(info.value) and "reliability" in str(info.value)
    out = S.reliable_change(prog, STEPS, errors="skip")
    assert out["learner_id"].tolist() == ["L1"]  # L3 has no follow-up, L2 no SD
    row = out.iloc[0]
    assert row.change == 14 and row.rci == pytest.approx(2.086997, abs=1e-6)
    assert row.rci_class == "reliable improvement"
    none = S.reliable_change(prog.iloc[0:0], STEPS)
    assert none.empty and "rci_class" in none.columns


# --------------------------------------------------------------------------- ratio gain


def test_ratio_gain_by_hand_on_the_minimal_dataset():
    ds = load_dataset(MINIMAL)
    prog = P.dataset_progress(ds)
    rg = S.ratio_gain(prog)
    assert len(rg) == 1
    r = rg.iloc[0]
    # L02, ReadAge 72 -> 80 months, 20 Sep 2021 -> 20 Sep 2022 = 12 calendar months;
    # RG = 8 / 12 = 0.666667
    assert r.elapsed_months == 12
    assert r.ratio_gain == pytest.approx(8 / 12)
    assert r.ratio_gain_band == "of doubtful educational significance"
    # born 1 Nov 2012: 3245 days to 20 Sep 2021 = 106.6119 months; gap 106.6119 - 72 =
    # 34.6119; 3610 days to 20 Sep 2022 = 118.6037 months; gap 118.6037 - 80 = 38.6037
    assert r.gap_at_baseline_months == pytest.approx(3245 / 30.4375 - 72)
    assert r.gap_at_outcome_months == pytest.approx(3610 / 30.4375 - 80)
    # SLD: guidance "more than 36 months below": 34.6 is not
    assert r.guidance_gap_months == 36 and not r.meets_guidance_gap


def test_ratio_gain_counts_calendar_months_as_schools_do():
    """Issue 16: months between test dates are calendar months (September to March = 6),
    not days / 30.4375, so the same 18-month gain over September-March and over
    March-September is the same ratio gain, 3.0 ("substantial"), not 3.03 and 2.98."""
    learners = pd.DataFrame({"learner_id": ["L1", "L2"],
                             "birth_month": pd.to_datetime(["2014-09-01"] * 2),
                             "sex": ["M", "F"], "primary_need": ["MLD", "MLD"],
                             "fsm": [False, False]})
    prog = P.learner_progress(
        _a(("L1", "Read", "literacy", "2024-09-15", 60), ("L1", "Read", "literacy",
                                                          "2025-03-15", 78),
           ("L2", "Read", "literacy", "2025-03-15", 60), ("L2", "Read", "literacy",
                                                          "2025-09-15", 78)),
        _p(("L1", "S1", "2024-09-02", None), ("L2", "S1", "2024-09-02", None)), STEPS,
        learners=learners)
    rg = S.ratio_gain(prog).set_index("learner_id")
    assert rg["elapsed_months"].tolist() == [6, 6]
    assert rg["ratio_gain"].tolist() == [3.0, 3.0]
    assert rg["ratio_gain_band"].astype("str").tolist() == ["substantial impact"] * 2
    # the day of the month is not counted: 30 September to 1 March is 6 months too
    d = pd.Series(pd.to_datetime(["2024-09-30", "2024-09-01", "2025-08-31"]))
    e = pd.Series(pd.to_datetime(["2025-03-01", "2025-03-31", "2025-09-01"]))
    assert CAL.calendar_months(d, e).tolist() == [6, 6, 1]


@pytest.mark.parametrize(("gain_months", "band"), [(13.9, "of doubtful educational significance"),
                                                   (14, "modest impact"), (20, "useful impact"),
                                                   (30, "substantial impact"),
                                                   (40, "remarkable impact"),
                                                   (-5, "of doubtful educational significance")])
def test_ratio_gain_band_boundaries(gain_months, band):
    # 1 Sep 2020 -> 1 Sep 2024 = 1461 days = 1461 / 30.4375 = 48 months exactly, so a
    # gain of 48 x RG months gives RG: 48 x 1.4 = 67.2 -> 1.4 (modest, inclusive), ...
    learners = pd.DataFrame({"learner_id": ["L1"], "birth_month": pd.to_datetime(["2012-09-01"]),
                             "sex": ["M"], "primary_need": ["MLD"], "fsm": [False]})
    rg_target = gain_months / 10
    prog = P.learner_progress(_a(("L1", "Read", "literacy", "2020-09-01", 60),
                                 ("L1", "Read", "literacy", "2024-09-01",
                                  60 + 48 * rg_target)),
                              _p(("L1", "S1", "2020-09-01", None)), STEPS, learners=learners)
    r = S.ratio_gain(prog).iloc[0]
    assert r.elapsed_months == 48
    assert r.ratio_gain == pytest.approx(rg_target)
    assert r.ratio_gain_band == band
    # born 1 Sep 2012 -> 1 Sep 2020 = 2922 days = 96 months; gap 96 - 60 = 36 >= 24 (MLD)
    assert r.gap_at_baseline_months == pytest.approx(36) and r.meets_guidance_gap


def test_ratio_gain_too_soon_and_no_follow_up_have_no_ratio():
    learners = pd.DataFrame({"learner_id": ["L1"], "birth_month": pd.to_datetime(["2012-09-01"]),
                             "sex": ["M"], "primary_need": ["SLD"], "fsm": [False]})
    prog = P.learner_progress(_a(("L1", "Read", "literacy", "2024-09-10", 60),
                                 ("L1", "Read", "literacy", "2024-10-10", 64)),
                              PLACED, STEPS, learners=learners)
    r = S.ratio_gain(prog).iloc[0]
    assert r.status == "too soon to judge" and math.isnan(r.ratio_gain)
    assert pd.isna(r.ratio_gain_band)
    with pytest.raises(ParameterError, match="birth_month"):
        S.ratio_gain(prog.drop(columns="birth_month"))


# --------------------------------------------------------------------------- effect sizes


def test_hedges_correction_by_hand():
    # df 4: 1 - 3/15 = 0.8; df 2: 1 - 3/7 = 0.571429; df 1: J = 0, reported NaN
    j = CH.hedges_correction([4, 2, 1, 0])
    assert j[0] == pytest.approx(0.8) and j[1] == pytest.approx(4 / 7)
    assert np.isnan(j[2]) and np.isnan(j[3])


def test_standardised_mean_change_by_hand_and_degenerate():
    # means 12 -> 14; both SDs 2 -> d_av = 2 / 2 = 1; g = 1 x (1 - 3/(4x2-1)) = 0.571429
    g, d, note = CH.standardised_mean_change([10, 12, 14], [12, 14, 16])
    assert d == pytest.approx(1.0) and g == pytest.approx(4 / 7) and note == ""
    # identical gains but varying scores: sd(gain) = 0 yet d_av is defined
    g, d, note = CH.standardised_mean_change([10, 20, 30], [13, 23, 33])
    assert d == pytest.approx(3 / 10) and note == ""
    # every score identical: both SDs 0 -> undefined
    assert CH.standardised_mean_change([5, 5, 5], [7, 7, 7])[2] == "no spread in scores"
    # n = 2: too few (df = 1); missing pairs dropped
    assert CH.standardised_mean_change([1, 2, np.nan], [3, 4, 5])[2] == "too few to judge"


def test_eef_months_table_lookup():
    got = B.eef_months([0.0, 0.01, 0.015, 0.09, 0.095, 0.35, 0.36, 0.96, 2.0, -0.3, -0.005,
                        np.nan])
    # 0.015 -> 0.02 -> 1; 0.095 -> 0.10 -> 2; negative mirrors; -0.005 -> -0.01 -> 0
    assert got[:11].tolist() == [0, 0, 1, 1, 2, 4, 5, 12, 12, -4, 0]
    assert np.isnan(got[11])
    table = B.eef_months_table()
    assert table["source"].str.contains("Education Endowment Foundation").all()


# --------------------------------------------------------------------------- groups


def _group_frame() -> pd.DataFrame:
    """Group A: gains 2, 4, 6, 8 over one year (+ one without follow-up); B: one gain;
    C: identical gains 3, 3, 3 with different baselines."""
    rows = []
    for i, g in enumerate([2, 4, 6, 8]):
        rows += [(f"A{i}", "Steps", "literacy", "2020-09-01", 10 + i),
                 (f"A{i}", "Steps", "literacy", "2024-09-01", 10 + i + 4 * g)]
    rows += [("A9", "Steps", "literacy", "2020-09-01", 10)]
    rows += [("B0", "Steps", "literacy", "2020-09-01", 10),
             ("B0", "Steps", "literacy", "2024-09-01", 30)]
    for i in range(3):
        rows += [(f"C{i}", "Steps", "literacy", "2020-09-01", 10 * (i + 1)),
                 (f"C{i}", "Steps", "literacy", "2024-09-01", 10 * (i + 1) + 12)]
    a = _a(*rows)
    ids = sorted(set(a["learner_id"]))
    placements = _p(*[(x, "S" + x[0], "2020-09-01", None) for x in ids])
    return P.learner_progress(a, placements, STEPS)


def test_group_summary_by_hand():
    prog = _group_frame()
    out = G.group_summary(prog, by="srb_id")
    a = out.set_index("srb_id").loc["SA"]
    # gains over exactly 4 years: 8, 16, 24, 32; rates 2, 4, 6, 8
    assert (a.n, a.n_learners, a.n_measured, a.n_no_follow_up) == (5, 5, 4, 1)
    assert a.median_gain == 20 and a.q1_gain == 14 and a.q3_gain == 26  # numpy linear
    assert a.median_rate == 5 and a.q1_rate == 3.5 and a.q3_rate == 6.5
    assert a.mean_gain == 20
    # bands vs expected 6 a year (4.5..7.5): 2, 4 below; 6 expected; 8 above
    assert (a.n_below, a.n_expected, a.n_above, a.n_banded) == (2, 1, 1, 4)
    assert a.share_below == 0.5
    # four results: Student's t-interval (stats.intervals), 20 -/+ t(3) 3.18245 x
    # s / 2 with s = 10.3280: 20 -/+ 16.4340
    ref = stats.t.interval(0.95, 3, loc=20, scale=np.std([8.0, 16, 24, 32], ddof=1) / 2)
    assert (a.ci_low, a.ci_high) == pytest.approx(ref)
    assert (a.ci_low, a.ci_high) == pytest.approx((20 - 16.4340, 20 + 16.4340), abs=1e-3)
    assert a.ci_method == "t"
    # baselines 10, 11, 12, 13 (sd 1.29099); outcomes 18, 27, 36, 45 (sd 11.61895)
    # d_av = 20 / ((1.29099 + 11.61895) / 2) = 3.09838; J(df 3) = 1 - 3/11 = 0.72727
    assert a.effect_size == pytest.approx(3.09838 * (8 / 11), abs=1e-4)
    assert math.isnan(a.months_progress)  # steps: no EEF reading by default
    assert a.note == ""


def test_group_summary_small_and_identical_groups_do_not_crash():
    out = G.group_summary(_group_frame(), by=["srb_id"]).set_index("srb_id")
    b = out.loc["SB"]
    assert b.n_measured == 1 and math.isnan(b.ci_low) and b.note.startswith("too few to judge")
    c = out.loc["SC"]
    assert c.n_measured == 3 and c.mean_gain == 12
    assert math.isnan(c.ci_low) and "all values equal" in c.note
    # identical gains, baselines 10, 20, 30: d_av = 12 / 10 = 1.2; J(df 2) = 4/7
    assert c.effect_size == pytest.approx(1.2 * 4 / 7)


def test_group_summary_months_for_standard_scores_and_zero_measured():
    a = _a(*[(f"L{i}", "Std", "numeracy", "2020-09-01", 70 + 2 * i) for i in range(4)],
           *[(f"L{i}", "Std", "numeracy", "2024-09-01", 73 + 2 * i + (i % 2)) for i in range(4)],
           ("L9", "Std", "literacy", "2020-09-01", 80))
    placements = _p(*[(f"L{i}", "S1", "2020-09-01", None) for i in (*range(4), 9)])
    out = G.group_summary(P.learner_progress(a, placements, STEPS)).set_index("area")
    # baselines 70 72 74 76 (sd 2.58199); outcomes 73 76 77 80 (sd 2.88675); mean change
    # 3.5; d_av = 3.5 / 2.73437 = 1.28000; J(3) = 8/11 -> 0.93091 -> 0.93 -> 11 months
    num = out.loc["numeracy"]
    assert num.effect_size == pytest.approx(0.930911, abs=1e-5)
    assert num.months_progress == 11
    lit = out.loc["literacy"]
    assert lit.n_measured == 0 and lit.note == "no progress measured yet"


def test_group_summary_empty_and_bad_by():
    prog = _group_frame()
    assert G.group_summary(prog.iloc[0:0], by="srb_id").empty
    with pytest.raises(ParameterError, match="by"):
        G.group_summary(prog, by="no_such_column")
    with pytest.raises(ParameterError, match="seed"):
        G.group_summary(prog, seed="x")


def test_band_summary_by_hand():
    out = G.band_summary(_group_frame(), by="srb_id").set_index("srb_id")
    # SA: 2 below, 1 expected, 1 above; SB: rate 5 -> expected; SC: rate 3 x3 -> below
    assert out.loc["SA", ["n_below", "n_expected", "n_above", "n_expected_or_above"]
                   ].tolist() == [2, 1, 1, 2]
    assert out.loc["SA", "share_expected_or_above"] == 0.5
    assert out.loc["SC", "n_below"] == 3 and out.loc["SC", "share_below"] == 1
    total = G.band_summary(_group_frame())
    assert total["n_banded"].tolist() == [8] and total["n_learners"].tolist() == [9]
    empty = G.band_summary(_group_frame().iloc[0:0])
    assert empty["n_banded"].tolist() == [0] and math.isnan(empty["share_below"].iloc[0])


def _compare_frame(groups: dict[str, list[float]]) -> pd.DataFrame:
    """Measured progress rows with given rates (one learner per value)."""
    rows = []
    for g, values in groups.items():
        for i, v in enumerate(values):
            rows.append({"learner_id": f"{g}{i}", "instrument": "Steps", "area": "literacy",
                         "status": "measured", "outcome_date": pd.Timestamp("2025-07-01"),
                         "rate": float(v), "need": g})
    return pd.DataFrame(rows)


def test_compare_two_groups_mann_whitney_rank_biserial():
    out = G.compare_groups(_compare_frame({"a": [1, 2, 3, 4, 5], "b": [6, 7, 8, 9, 10]}),
                           "need").iloc[0]
    # every a below every b: U1 = 0, r = 2 x 0 / 25 - 1 = -1; exact p = 2/252 = 0.0079365
    assert out.test == "Mann-Whitney U" and out.statistic == 0 and out.effect == -1
    assert out.p_val == pytest.approx(2 / 252)
    assert out.n == 10 and out.min_group_n == 5 and out.note == ""


def test_compare_three_groups_kruskal_epsilon_squared():
    out = G.compare_groups(_compare_frame({"a": [1, 2, 3, 4, 5], "b": [6, 7, 8, 9, 10],
                                           "c": [11, 12, 13, 14, 15]}), "need").iloc[0]
    # rank sums 15, 40, 65 (n 15): H = 12/(15x16) x (15^2 + 40^2 + 65^2)/5 - 3x16 = 12.5
    # epsilon^2 = 12.5 / (15 - 1) = 0.892857
    assert out.test == "Kruskal-Wallis H" and out.statistic == pytest.approx(12.5)
    assert out.effect == pytest.approx(12.5 / 14) and out.effect_type == "epsilon-squared"


def test_compare_too_few_drop_small_and_no_variation():
    frame = _compare_frame({"a": [1, 2, 3, 4, 5], "b": [6, 7, 8, 9, 10], "c": [1, 2, 3, 4]})
    out = G.compare_groups(frame, "need").iloc[0]
    assert out.note == "too few to compare" and out.test == "" and out.min_group_n == 4
    out = G.compare_groups(frame, "need", drop_small=True).iloc[0]
    assert out.test == "Mann-Whitney U" and "left out (fewer than 5): c" in out.note
    flat = G.compare_groups(_compare_frame({"a": [3] * 5, "b": [3] * 5}), "need").iloc[0]
    assert flat.note == "no variation" and math.isnan(flat.p_val)
    one = G.compare_groups(_compare_frame({"a": [1, 2, 3, 4, 5]}), "need").iloc[0]
    assert one.note == "fewer than two groups"


def test_compare_names_yes_no_groups_in_words():
    frame = _compare_frame({"a": [1, 2, 3, 4, 5], "b": [6, 7, 8, 9, 10]})
    frame["fsm"] = frame["need"].eq("b")
    out = G.compare_groups(frame, "fsm").iloc[0]
    assert out.groups == "no free school meals; free school meals"
    assert D.display_comparisons(G.compare_groups(frame, "fsm"), audience="internal")[
        "groups compared"].iloc[0] == "no free school meals; free school meals"


def test_compare_counts_each_learner_once():
    frame = _compare_frame({"a": [1, 2, 3, 4, 5], "b": [6, 7, 8, 9, 10]})
    extra = frame.iloc[[0]].assign(outcome_date=pd.Timestamp("2024-07-01"), rate=100.0)
    out = G.compare_groups(pd.concat([frame, extra]), "need").iloc[0]
    assert out.n == 10 and out.statistic == 0  # the older spell of a0 is not counted


# --------------------------------------------------------------------------- benchmarks

BENCH_CSV = """instrument,area,phase,baseline_min,baseline_max,lq_gain_per_year,median_gain_per_year,uq_gain_per_year,source
Steps,,,,20,2,3,4,test
Steps,,,20,,5,6,7,test
Steps,literacy,primary,,,8,9,10,test
"""


def test_read_benchmarks_and_most_specific_match(tmp_path):
    path = tmp_path / "bench.csv"
    path.write_text(BENCH_CSV)
    bench = B.read_benchmarks(path)
    assert bench["baseline_min"].tolist() == [-np.inf, 20, -np.inf]
    srbs = pd.DataFrame({"srb_id": ["S1", "S2"], "phase": ["primary", "secondary"]})
    a = _a(("L1", "Steps", "literacy", "2020-09-01", 10),
           ("L1", "Steps", "literacy", "2024-09-01", 50),  # 10 a year
           ("L2", "Steps", "literacy", "2020-09-01", 10),
           ("L2", "Steps", "literacy", "2024-09-01", 26),  # 4 a year, baseline < 20
           ("L3", "Steps", "numeracy", "2020-09-01", 20),
           ("L3", "Steps", "numeracy", "2024-09-01", 36))  # 4 a year, baseline 20 (band 2)
    placements = _p(("L1", "S1", "2020-09-01", None), ("L2", "S2", "2020-09-01", None),
                    ("L3", "S2", "2020-09-01", None))
    out = P.learner_progress(a, placements, STEPS, srbs=srbs, benchmarks=path)
    assert (out["band_basis"] == "benchmark").all()
    # L1: primary literacy row (8..10): 10 -> expected (boundary). L2: secondary, baseline
    # 10 < 20: band 2..4: 4 -> expected. L3: baseline 20 -> band 5..7: 4 -> below
    assert out["band"].tolist() == ["expected", "expected", "below"]
    same = P.learner_progress(a, placements, STEPS, srbs=srbs, benchmarks=bench)
    assert same["band"].tolist() == out["band"].tolist()


def test_read_benchmarks_reports_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "instrument,area,phase,baseline_min,baseline_max,lq_gain_per_year,"
        "median_gain_per_year,uq_gain_per_year,source\n"
        "Steps,,infant,,20,2,3,4,x\n"      # row 2: unknown phase
        "Steps,,,10,30,5,x,7,\n"           # row 3: median not a number; empty source
        "Steps,,,5,15,7,6,5,x\n"           # row 4: quartiles out of order
        "Steps,,,30,30,1,2,3,x\n")         # row 5: min not below max
    with pytest.raises(DataValidationError) as info:
        B.read_benchmarks(path)
    got = {(p.row, p.column) for p in info.value.problems}
    assert got == {(2, "phase"), (3, "median_gain_per_year"), (3, "source"),
                   (4, "lq_gain_per_year"), (5, "baseline_max")}
    overlap = tmp_path / "overlap.csv"
    overlap.write_text(BENCH_CSV.replace("Steps,,,20,,5", "Steps,,,15,,5"))
    with pytest.raises(DataValidationError, match="overlaps"):
        B.read_benchmarks(overlap)
    missing = tmp_path / "missing.csv"
    missing.write_text("instrument,area\nSteps,\n")
    with pytest.raises(DataValidationError, match="required column"):
        B.read_benchmarks(missing)


# --------------------------------------------------------------------------- datasets


def _naive_progress(ds) -> pd.DataFrame:
    """A slow, obvious reference: loop over placements, instruments and areas."""
    rows = []
    a = ds.assessments
    for p in ds.placements.itertuples():
        mine = a.loc[(a.learner_id == p.learner_id) & (a.date >= p.start_date)
                     & (pd.isna(p.end_date) | (a.date <= (p.end_date if not pd.isna(p.end_date)
                                                          else a.date.max())))]
        for (inst, area), g in mine.groupby(["instrument", "area"], observed=True):
            flagged = g.loc[g.is_baseline.fillna(False).astype(bool)]
            bdate = flagged.date.min() if len(flagged) else g.date.min()
            base = (flagged if len(flagged) else g)
            bscore = base.loc[base.date == bdate, "score"].mean()
            pts = g.loc[g.date >= bdate]
            odate = pts.date.max()
            oscore = pts.loc[pts.date == odate, "score"].mean()
            gain = oscore - bscore if odate > bdate else np.nan
            rows.append((p.learner_id, p.srb_id, p.start_date, inst, str(area), bscore,
                         gain, len(pts)))
    return pd.DataFrame(rows, columns=["learner_id", "srb_id", "placement_start", "instrument",
                                       "area", "baseline_score", "gain", "n_points"])


@pytest.mark.parametrize("data", ["minimal", "demo"])
def test_vectorised_progress_agrees_with_a_naive_loop(data, demo_dir):
    path = MINIMAL if data == "minimal" else demo_dir
    if not (path / "learners.csv").exists():
        pytest.skip("demo data not generated yet")
    ds = load_dataset(path)
    fast = P.dataset_progress(ds)
    # dataset_progress keeps each learner's latest placement with a result
    slow = _naive_progress(ds)
    slow = slow.loc[slow["placement_start"] == slow.groupby("learner_id")[
        "placement_start"].transform("max")]
    key = ["learner_id", "placement_start", "instrument", "area"]
    fast = fast.assign(area=fast["area"].astype("str")).sort_values(key).reset_index(drop=True)
    slow = slow.sort_values(key).reset_index(drop=True)
    assert len(fast) == len(slow)
    pd.testing.assert_frame_equal(
        fast[key + ["srb_id", "baseline_score", "gain", "n_points"]],
        slow[key + ["srb_id", "baseline_score", "gain", "n_points"]], check_dtype=False)
    ts = [stats.theilslopes(g.score, (g.date - g.date.min()).dt.days / 365.25).slope
          for _, g in P.trajectory_points(ds.assessments, fast.loc[
              fast.status == "measured"].head(40)).groupby(key, observed=True)]
    np.testing.assert_allclose(sorted(ts), sorted(fast.loc[fast.status == "measured"]
                                                  .head(40)["slope"]), rtol=1e-9)


def test_dataset_progress_filters_srb_and_areas():
    ds = load_dataset(MINIMAL)
    out = P.dataset_progress(ds, srb="SRB02")
    assert out["learner_id"].tolist() == ["L03"]
    out = P.dataset_progress(ds, areas=["numeracy"])
    assert out["area"].astype("str").tolist() == ["numeracy"]
    with pytest.raises(ParameterError, match="srb"):
        P.dataset_progress(ds, srb="SRB99")
    with pytest.raises(ParameterError, match="areas"):
        P.dataset_progress(ds, areas=["maths"])


def test_trajectory_points_expected_path():
    prog = P.learner_progress(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                                 ("L1", "Steps", "literacy", "2025-09-10", 16),
                                 ("L1", "Steps", "literacy", "2026-09-10", 30)),
                              PLACED, STEPS, window_end="2025-12-31")
    pts = P.trajectory_points(_a(("L1", "Steps", "literacy", "2024-09-10", 10),
                                 ("L1", "Steps", "literacy", "2025-09-10", 16),
                                 ("L1", "Steps", "literacy", "2026-09-10", 30)), prog)
    assert pts["score"].tolist() == [10, 16]  # the 2026 result is after the outcome
    # expected after 365 days: 10 + 6 x 365/365.25 = 15.99589
    assert pts["expected_score"].tolist() == pytest.approx([10, 10 + 6 * 365 / 365.25])


def test_docstring_examples_run():
    from srb_eval.report import progress_tables, progress_wording

    for module in (P, G, S, B, CAL, W, progress_tables, progress_wording):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__


# --------------------------------------------------------------------------- vectorised
# group statistics agree with their scalar definitions


def test_group_summary_effect_size_matches_the_scalar_function():
    prog = _group_frame()
    out = G.group_summary(prog, by="srb_id").set_index("srb_id")
    for srb, sub in prog.loc[prog["status"] == "measured"].groupby("srb_id"):
        g, _, _ = CH.standardised_mean_change(sub["baseline_score"], sub["outcome_score"])
        assert out.loc[srb, "effect_size"] == pytest.approx(g, nan_ok=True)


def test_large_groups_get_the_percentile_interval():
    rng = np.random.default_rng(3)
    x = rng.normal(10, 3, BS.BCA_MAX_N + 1)
    lo, hi, note = BS.bootstrap_mean(x, seed=2025, confidence=0.95, n_resamples=999,
                                    min_n=2)
    ref = stats.bootstrap((x,), np.mean, n_resamples=999, method="percentile",
                          rng=np.random.default_rng(2025))
    assert (lo, hi, note) == (pytest.approx(ref.confidence_interval.low),
                              pytest.approx(ref.confidence_interval.high), "")


def test_large_groups_use_at_most_1999_resamples():
    rng = np.random.default_rng(4)
    x = rng.normal(10, 3, BS.BCA_MAX_N + 1)
    lo, hi, _ = BS.bootstrap_mean(x, seed=2025, confidence=0.95, n_resamples=9999, min_n=2)
    ref = stats.bootstrap((x,), np.mean, n_resamples=BS.LARGE_GROUP_RESAMPLES,
                          method="percentile", rng=np.random.default_rng(2025))
    assert BS.LARGE_GROUP_RESAMPLES == 1999
    assert (lo, hi) == (pytest.approx(ref.confidence_interval.low),
                        pytest.approx(ref.confidence_interval.high))
    small = x[:BS.BCA_MAX_N]  # up to BCA_MAX_N: all 9,999 resamples and BCa
    lo, hi, _ = BS.bootstrap_mean(small, seed=7, confidence=0.95, n_resamples=9999, min_n=2)
    ref = stats.bootstrap((small,), np.mean, n_resamples=9999, method="BCa",
                          rng=np.random.default_rng(7))
    assert (lo, hi) == (pytest.approx(ref.confidence_interval.low),
                        pytest.approx(ref.confidence_interval.high))


# --------------------------------------------------------------------------- summaries


def test_rci_summary_and_ratio_gain_summary_by_hand():
    a = _a(("L1", "Std", "numeracy", "2024-09-10", 70), ("L1", "Std", "numeracy", "2025-09-10", 84),
           ("L2", "Std", "numeracy", "2024-09-10", 70), ("L2", "Std", "numeracy", "2025-09-10", 75),
           ("L3", "Std", "numeracy", "2024-09-10", 70), ("L3", "Std", "numeracy", "2024-10-10", 50))
    placements = _p(*[(x, "S1", "2024-09-02", None) for x in ("L1", "L2", "L3")])
    rc = S.reliable_change(P.learner_progress(a, placements, STEPS), STEPS)
    out = G.rci_summary(rc).iloc[0]
    # L1 +14 improved; L2 +5 no change; L3 is too soon (30 days) so not counted
    assert (out.n, out.n_improved, out.n_no_change, out.n_deteriorated) == (2, 1, 1, 0)
    assert out.change_needed == pytest.approx(13.14808, abs=1e-5)

    ds = load_dataset(MINIMAL)
    rgs = G.ratio_gain_summary(S.ratio_gain(P.dataset_progress(ds))).iloc[0]
    assert (rgs.n_measured, rgs.n_of_doubtful_educational_significance, rgs.n_modest_impact,
            rgs.n_gap_known, rgs.n_meets_guidance) == (1, 1, 0, 1, 0)
    assert rgs.median_ratio_gain == pytest.approx(8 / 12)  # 12 calendar months


def test_coverage_by_hand_on_the_minimal_dataset():
    ds = load_dataset(MINIMAL)
    prog = P.dataset_progress(ds)
    cov = G.coverage(prog, ds.placements).iloc[0]
    # 3 learners placed; all assessed; L01 and L02 measured; L03 one result only
    assert cov.tolist() == [3, 3, 2, 2, 4, 3, 0, 1]
    win = G.coverage(P.dataset_progress(ds, window_start="2024-08-01"), ds.placements,
                     srb="SRB02", window_start="2024-08-01")
    # SRB02 placements overlapping Aug 2024 on: L02 (open) only; L03 ended 19 Jul 2024
    assert win["learners_placed"].tolist() == [1]


def test_headings_and_sentences_control_small_counts():
    row = {"learners_placed": 12, "learners_measured": 3, "learners_assessed": 12,
           "results": 30, "results_measured": 1, "results_too_soon": 0,
           "results_no_follow_up": 29}
    assert W.coverage_heading(row, audience="published") == (
        "<5 of 12 learners have a baseline and a follow-up at least a term later")
    text = W.describe_coverage(row, audience="published")
    # 1 and 29 of 30: the 1 is hidden, and so is the 29 (its complement would reveal it)
    assert "<5 of 30 results measured over at least a term" in text
    assert "more than 25 of 30 results with no follow-up yet" in text
    assert "0 of 30 results (0%) too soon to judge" in text
    internal = W.describe_coverage(row, audience="internal")
    assert "1 is measured" in internal and "29 have no follow-up yet" in internal
    assert W.describe_coverage({**row, "learners_placed": 9}, audience="published"
                               ).startswith("Fewer than 10 learners were placed")
    few = {"n_banded": 8, "n_below": 1, "n_expected": 4, "n_above": 3,
           "n_expected_or_above": 7, "n_learners": 3}
    assert W.describe_bands(few, audience="published").startswith(
        "Fewer than 10 learners or results")
    assert W.band_heading(few, audience="published") == (
        "Expected progress: too few learners to report (fewer than 10)")
    many = {**few, "n_banded": 40, "n_expected_or_above": 38, "n_learners": 12}
    # 38 of 40: the 2 not at expected would be revealed -> "more than 35 of 40"
    assert W.band_heading(many, audience="published") == (
        "Expected progress or better in more than 35 of 40 results")
    assert "1 results (13%)" in W.describe_bands(few, audience="internal")
    none = {"n_banded": 0, "n_expected_or_above": 0, "n_learners": 0}
    assert W.band_heading(none, audience="internal").startswith("No progress")


def test_describe_band_range_uses_learner_counts():
    t = pd.DataFrame({"need": ["A", "B", "C", "all"], "n_banded": [40, 50, 60, 150],
                      "n_learners": [10, 12, 4, 26], "n_expected_or_above": [10, 45, 60, 115]})
    # C has 4 learners: left out; A 25%, B 90%; the "all" row is not a group
    assert W.describe_band_range(t, "need", audience="published") == (
        "Across the 2 need groups with at least 10 learners judged, the share of results at "
        "or above expected progress ranged from 25% (A) to 90% (B).")
    assert W.describe_band_range(t.iloc[:1], "need", audience="internal").startswith(
        "Fewer than two need groups")


def _sized_groups(sizes: dict[str, int]) -> pd.DataFrame:
    """Standard-score progress: in SRB ``s``, ``n`` learners with baseline 80 + i and
    outcome 80 + i + 3 + (i % 3) (gains 3, 4, 5, 3, 4, 5...) over four years."""
    rows, pl = [], []
    for srb, n in sizes.items():
        for i in range(n):
            lid = f"{srb}-{i}"
            rows += [(lid, "Std", "literacy", "2020-09-01", 80 + i),
                     (lid, "Std", "literacy", "2024-09-01", 80 + i + 3 + (i % 3))]
            pl.append((lid, srb, "2020-09-01", None))
    return P.learner_progress(_a(*rows), _p(*pl), STEPS)


def test_gains_show_an_interval_and_months_only_where_they_are_honest():
    """Issue 16: a 95% interval was shown from two learners (bootstrap, coverage 52%)
    and EEF months from three. Intervals are Student's t below the bootstrap's minimum
    and shown from MIN_N_INTERVAL measured results; EEF months from MIN_N_MONTHS."""
    from srb_eval.stats.intervals import t_interval

    prog = _sized_groups({"S2": 2, "S3": 3, "S5": 5, "S12": 12})
    summary = G.group_summary(prog, by="srb_id")
    s = summary.set_index("srb_id")
    assert s["ci_method"].to_dict() == {"S12": "t", "S2": "t", "S3": "t", "S5": "t"}
    gains5 = prog.loc[prog["srb_id"] == "S5", "gain"].to_numpy()  # 3, 4, 5, 3, 4
    assert (s.loc["S5", "ci_low"], s.loc["S5", "ci_high"]) == t_interval(gains5)
    shown = D.display_gains(summary, audience="internal").set_index("SRB")
    col, months = "mean gain (95% CI)", "EEF months (indicative)"
    assert W.MIN_N_INTERVAL == 5 and W.MIN_N_MONTHS == 10
    assert shown.loc["S2", col] == "3.5"  # no interval from 2 results
    assert shown.loc["S3", col] == "4.0"
    lo, hi = t_interval(gains5)
    assert shown.loc["S5", col] == f"3.8 ({lo:.1f} to {hi:.1f})"
    for srb in ("S2", "S3", "S5"):
        assert shown.loc[srb, months] == "too few (under 10)"
    assert shown.loc["S12", months] not in ("too few (under 10)", "no data", "not applicable")
    assert "no interval under 5 results" in shown.loc["S3", "note"]
    assert "no interval" not in shown.loc["S5", "note"]


def test_display_tables_never_show_nan_and_suppress_for_publication():
    prog = _group_frame()
    summary = G.group_summary(prog, by="srb_id")
    shown = D.display_gains(summary, audience="published")
    assert not shown.isna().any().any()
    # every SRB has fewer than 10 measured results: statistics hidden, counts "<5"
    assert set(shown["median gain"]) == {"[c]"} and set(shown["learners"]) == {"<5", "5"}
    internal = D.display_gains(summary, audience="internal").set_index("SRB")
    assert internal.loc["SA", "median gain"] == "20.0"
    assert internal.loc["SA", "middle half of gains"] == "14.0 to 26.0"
    assert internal.loc["SB", "mean gain (95% CI)"] == "20.0"  # no interval for n = 1
    assert internal.loc["SA", "EEF months (indicative)"] == "not applicable"
    bands = D.with_total(G.band_summary(prog, by="srb_id"), G.band_summary(prog), "srb_id")
    pub = D.display_bands(bands, audience="published")
    assert pub.columns.tolist()[:3] == ["SRB", "learners", "results judged"]
    # small counts hidden: "<5", or "[c]" where small counts would narrow each other
    # through the totals (suppression.suppress_counts audits the table)
    below = set(pub["below expected"])
    assert not pub.isna().any().any() and below - {"0"} and below - {"0"} <= {"<5", "[c]"}
    cmp = G.compare_groups(_compare_frame({"a": [1, 2, 3, 4, 5], "b": [6, 7, 8, 9, 10]}),
                           "need")
    d = D.display_comparisons(cmp, audience="published").iloc[0]
    assert (d["p value"], d["effect size"], d["learners"]) == (
        "0.008", "-1.00 (rank-biserial r)", "10")
    assert "found (p < 0.05) for: Steps, literacy, by need (p = 0.008)" in (
        W.describe_comparisons(cmp))


def test_below_expected_is_internal_only():
    prog = _group_frame()
    with pytest.raises(ParameterError, match="internal"):
        W.below_expected(prog, audience="published")
    out = W.below_expected(prog, audience="internal")
    # A0 (rate 2), A1 (rate 4), C0-C2 (rate 3) are below 4.5 a year
    assert out["learner"].tolist() == ["A0", "A1", "C0", "C1", "C2"]
    assert out.iloc[0]["baseline"] == "10 on 01 Sep 2020"
    assert out.iloc[0]["gain a year"] == "2.0" and out.iloc[0]["expected a year"] == "6.0"


def test_in_window_and_report_parameters():
    df = pd.DataFrame({"d": pd.to_datetime(["2024-01-01", "2024-06-01", None]),
                       "srb_id": ["S1", "S2", "S1"]})
    assert TG.window_mask(df, "d", window_start="2024-02-01").tolist() == [False, True, False]
    assert TG.window_mask(df, "d", srb="S1").tolist() == [True, False, False]
    df.loc[1, "srb_id"] = None  # a review before any placement belongs to no SRB
    assert TG.window_mask(df, "d").tolist() == [True, False, False]
    p = W.check_report_parameters(srb="all", srb_ids=["S1"], window_start=None,
                                  window_end="2025-07-31", areas=["literacy"])
    assert p["window_end"] == pd.Timestamp("2025-07-31") and p["areas"] == ["literacy"]
    with pytest.raises(ParameterError, match="srb"):
        W.check_report_parameters(srb="S9", srb_ids=["S1"], window_start=None,
                                  window_end=None, areas="all")
    with pytest.raises(ParameterError, match="areas"):
        W.check_report_parameters(srb="all", srb_ids=["S1"], window_start=None,
                                  window_end=None, areas=["maths"])
    with pytest.raises(ParameterError, match="window_start"):
        W.check_report_parameters(srb="all", srb_ids=["S1"], window_start="2024-13-01",
                                  window_end=None, areas="all")


def test_ratio_gain_heading_singular_and_suppressed():
    one = pd.DataFrame({"learner_id": ["A"], "status": ["measured"], "ratio_gain": [0.5]})
    assert W.ratio_gain_heading(one, audience="internal").endswith("over 1 result")
    assert "too few" in W.ratio_gain_heading(one, audience="published")


# --------------------------------------------------------------------------- figures


def _texts(fig) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def test_figures_show_n_and_never_label_learners():
    from matplotlib.figure import Figure

    from srb_eval.report.plots import progress as PP

    prog = _group_frame()
    pts = P.trajectory_points(_a(*[(r.learner_id, "Steps", "literacy", d, s)
                                   for r in prog.itertuples()
                                   for d, s in ((r.baseline_date, r.baseline_score),
                                                (r.outcome_date, r.outcome_score))
                                   if not pd.isna(d)]), prog)
    figs = [PP.slope_chart(prog, instrument="Steps", aggregate=True),
            PP.slope_chart(prog, instrument="Steps", aggregate=False),
            PP.trajectory_panels(pts, instrument="Steps", aggregate=True),
            PP.trajectory_panels(pts, instrument="Steps", aggregate=False),
            PP.rate_distribution(prog, by="srb_id", show_points=True),
            PP.band_bars(G.band_summary(prog, by="srb_id"), group="srb_id")]
    ids = set(prog["learner_id"])
    for fig in figs:
        assert isinstance(fig, Figure)
        text = _texts(fig)
        assert "n=" in text
        assert not any(lid in text.split() for lid in ids)
    # 8 measured results, 8 learners behind them (A9 has no follow-up)
    assert "(n=8 results, 8 learners)" in _texts(figs[0])
    assert "too few to show" in _texts(PP.slope_chart(prog, instrument="Steps", min_n=10))
    assert "too few to show" in _texts(PP.rate_distribution(prog, by="srb_id", min_n=5))


def test_figures_of_empty_tables_do_not_crash():
    from srb_eval.measures.profile import attendance_rates
    from srb_eval.report.plots import progress as PP

    empty = _group_frame().iloc[0:0]
    assert "no measured progress" in _texts(PP.slope_chart(empty, instrument="Steps"))
    assert "too few results" in _texts(PP.rate_distribution(empty, by="srb_id"))
    gas = pd.DataFrame({"learner_id": [], "review_date": pd.Series([], dtype="datetime64[ns]"),
                        "gas_t": pd.Series([], dtype=float), "srb_id": []})
    assert "too few reviews" in _texts(PP.gas_distribution(gas))
    inc = pd.DataFrame({"period_start": [], "period_end": [], "inclusion_share": [],
                        "core_inclusion_share": []})
    att = attendance_rates(pd.DataFrame({c: [] for c in (
        "learner_id", "period_start", "period_end", "sessions_possible",
        "sessions_attended")}).astype({"period_start": "datetime64[ns]",
                                       "period_end": "datetime64[ns]"}))
    fig = PP.learner_timeline(gas, inc, att)
    text = _texts(fig)
    assert "no reviewed targets yet" in text and "no inclusion records yet" in text
    assert "no attendance records yet" in text
    # a newly placed learner: no made-up 0-1 "%" scale and no dates on empty panels
    fig.draw_without_rendering()
    for ax in fig.axes:
        assert not ax.get_ylabel()
        assert not [t for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
    assert not [t for t in fig.axes[2].get_xticklabels() if t.get_visible() and t.get_text()]


def test_profile_figures_with_one_point_and_one_learner():
    from srb_eval.measures.profile import learner_profile
    from srb_eval.report.plots import progress as PP

    ds = load_dataset(MINIMAL)
    for lid in ("L01", "L02", "L03"):
        pf = learner_profile(ds, lid)
        fig = PP.learner_trajectories(pf.points, progress=pf.progress)
        fig.canvas.draw()
        assert "assessment" in _texts(fig)
        PP.learner_timeline(pf.gas, pf.inclusion, pf.attendance).canvas.draw()
    pf = learner_profile(ds, "L03")
    assert "no follow-up yet (n=1 assessment)" in _texts(PP.learner_trajectories(pf.points, progress=pf.progress))


def test_display_bands_secondary_suppression_along_the_row():
    t = pd.DataFrame({"srb_id": ["S1", "S2", "all"], "n_learners": [9, 20, 29],
                      "n_banded": [9, 40, 49], "n_below": [5, 10, 15], "n_expected": [0, 10, 10],
                      "n_above": [4, 20, 24]})
    out = D.display_bands(t, audience="published").set_index("SRB")
    # S1: 4 is "<5"; S1's 9 results (< 10) show none of their parts, its 0 included (a 0
    # beside "<5" states a share, #14); the column totals of "all" would then reveal S1's
    # cells from S2's, so S2's are hidden as well
    assert out.loc["S1", ["below expected", "expected", "above expected"]].tolist() == [
        "[c]", "[c]", "<5"]
    assert out.loc["S2", ["below expected", "expected", "above expected"]].tolist() == [
        "[c]", "[c]", "[c]"]
    # S1 has 9 learners (< 10): its percentages are hidden whatever their counts
    assert set(out.loc["S1", ["% below", "% expected", "% above"]]) == {"[c]"}
    assert out.loc["S2", ["% below", "% expected", "% above"]].tolist() == ["[c]"] * 3
    assert out.loc["all", "% above"] == "49%"  # 24 / 49 = 48.98%


def test_safe_figures_hide_small_counts_and_single_values():
    from srb_eval.report.plots import progress as PP

    prog = _group_frame()
    t = pd.DataFrame({"srb_id": ["S1", "S2"], "n_learners": [20, 20], "n_banded": [20, 20],
                      "n_below": [3, 5], "n_expected": [10, 5], "n_above": [7, 10]})
    text = _texts(PP.band_bars(t, group="srb_id", min_count=5))
    # S1 has a band count of 3: its bar would reveal it; S2 is drawn
    assert "S1 (too few to show)" in text and "S2 (n=20 results, 20 learners)" in text
    safe = _texts(PP.slope_chart(prog, instrument="Steps", safe=True))
    assert "below\n" in safe + "\n" and "below (" not in safe
    frame = _compare_frame({"a": [1, 2, 3, 4, 5, 6, 100]})  # 100 is an outlier

    def fliers(fig) -> list:
        return [x for ln in fig.axes[0].get_lines() if ln.get_marker() not in ("None", "")
                for x in ln.get_xdata()]

    assert fliers(PP.rate_distribution(frame, by="need", value="rate")) == [100]
    assert fliers(PP.rate_distribution(frame, by="need", value="rate", safe=True)) == []


def test_display_coverage_hides_small_groups_for_publication():
    cov = pd.DataFrame({"learners_placed": [9], "learners_assessed": [9],
                        "learners_with_follow_up": [9], "learners_measured": [8],
                        "results": [53], "results_measured": [51], "results_too_soon": [1],
                        "results_no_follow_up": [1]})
    pub = D.display_coverage(cov, audience="published")["value"].tolist()
    # 9 learners: every share is "fewer than 10 learners"; 53 = 51 + 1 + 1 would reveal
    # the two 1s from "<5", so the result counts are hidden altogether
    assert pub == ["9"] + ["fewer than 10 learners"] * 3 + ["[c]"] * 4
    internal = D.display_coverage(cov, audience="internal")["value"].tolist()
    assert internal[4:] == ["53", "51 of 53 (96%)", "1 of 53 (2%)", "1 of 53 (2%)"]


def test_large_groups_of_few_values_are_resampled_by_counts():
    # 5,000 whole-number gains (11 distinct values): the multinomial-count bootstrap has the
    # distribution of the ordinary one, so its interval agrees with scipy's to Monte Carlo
    # error, and the same seed gives the same numbers
    rng = np.random.default_rng(11)
    x = rng.integers(-5, 6, 5000).astype(float)
    lo, hi, note = BS.bootstrap_mean(x, seed=2025, confidence=0.95, n_resamples=9999,
                                    min_n=2)
    assert note == ""
    ref = stats.bootstrap((x,), np.mean, n_resamples=BS.LARGE_GROUP_RESAMPLES,
                          method="percentile", rng=np.random.default_rng(2025))
    se = x.std(ddof=1) / np.sqrt(len(x))
    assert abs(lo - ref.confidence_interval.low) < 0.3 * se  # Monte Carlo sd ~0.09 se
    assert abs(hi - ref.confidence_interval.high) < 0.3 * se
    assert (lo, hi) != (ref.confidence_interval.low, ref.confidence_interval.high)
    assert BS.bootstrap_mean(x, seed=2025, confidence=0.95, n_resamples=9999,
                            min_n=2) == (lo, hi, note)
    # the resampled means: centred on the sample mean with the bootstrap's spread
    means = BS.resample_means_by_counts(x, seed=1, n_resamples=4000)
    assert means.mean() == pytest.approx(x.mean(), abs=0.05 * se)
    assert means.std() == pytest.approx(x.std() / np.sqrt(len(x)), rel=0.05)


def test_published_comparison_notes_name_no_group_whatever_its_name_holds():
    # (review) a group named "Beech; Oak SRB" ended an edited note early and was published
    c = pd.DataFrame({
        "instrument": ["A", "A", "A"], "area": ["literacy"] * 3, "factor": ["srb_id"] * 3,
        "value": ["rate"] * 3, "n_groups": [2, 2, 0], "n": [30, 30, 0],
        "min_group_n": [12, 12, 3], "test": ["Mann-Whitney U", "", ""],
        "statistic": [1.0, np.nan, np.nan], "p_val": [0.5, np.nan, np.nan],
        "effect": [0.1, np.nan, np.nan], "effect_type": ["rank-biserial r", "", ""],
        "groups": ["A; B", "A; B", ""],
        "note": ["left out (fewer than 10): Beech; Oak SRB, Elm",
                 "left out (fewer than 10): Beech; Oak; no variation", "too few to compare"]})
    shown = D.display_comparisons(c, audience="published")
    assert shown["note"].tolist() == ["smaller groups left out (fewer than 10)",
                                      "smaller groups left out (fewer than 10); no variation",
                                      "too few to compare"]
    assert D.display_comparisons(c, audience="internal")["note"].tolist()[0] == \
        "left out (fewer than 10): Beech; Oak SRB, Elm"


def test_the_expected_path_ends_at_the_last_term_drawn():
    # (second outside attack) the dashed path ran to one learner's longest follow-up,
    # 3.67 years, inside a term of too few results to draw
    from srb_eval.report.plots import progress as PP

    ids = [f"L{i:02d}" for i in range(12)]
    years = [0.0] * 12 + [1.0] * 12 + [3.67]
    pts = pd.DataFrame({"learner_id": ids + ids + ["L00"],
                        "placement_start": pd.Timestamp("2022-09-01"),
                        "instrument": "Steps", "area": "literacy", "years": years,
                        "score": np.arange(25, dtype=float), "expected_gain_per_year": 6.0})
    ax = PP.trajectory_panels(pts, instrument="Steps", aggregate=True, min_n=10).axes[0]
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_xdata()[-1] == 1.0
    lines = PP.trajectory_panels(pts, instrument="Steps", aggregate=False, min_n=10).axes[0]
    assert [ln for ln in lines.get_lines() if ln.get_linestyle() == "--"][0].get_xdata()[-1] \
        == 3.67
