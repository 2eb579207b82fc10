"""Regression to the mean: the drift a retest gives with no true change, worked by hand
and checked on simulated learners selected for a low baseline, as SRB learners are."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from srb_eval.errors import ParameterError
from srb_eval.measures.regression_to_mean import change_beyond_regression, regression_summary
from srb_eval.stats.change import expected_regression
from srb_eval.stats.intervals import T_INTERVAL_MIN_N

INSTRUMENTS = pd.DataFrame({
    "instrument": ["SAT", "Steps"], "scale": ["standard_score", "steps"],
    "mean": [100.0, np.nan], "sd": [15.0, np.nan], "reliability": [0.9, 0.8],
    "expected_gain_per_year": [0.0, 6.0]})


def _reliable(baseline, outcome, *, instrument="SAT", status="measured", srb="SRB01"):
    baseline, outcome = np.asarray(baseline, float), np.asarray(outcome, float)
    n = len(baseline)
    return pd.DataFrame({"learner_id": [f"L{i}" for i in range(n)], "srb_id": srb,
                         "instrument": instrument, "area": "literacy", "status": status,
                         "baseline_score": baseline, "outcome_score": outcome,
                         "change": outcome - baseline, "reliability": 0.9})


def test_expected_regression_by_hand():
    # (1 - r)(mu - x1): 0.1 x 30 = 3 up from 70; nothing at the mean; 0.1 x -30 down from 130
    assert expected_regression([70, 100, 130], mean=100, reliability=0.9).tolist() == [
        3.0, 0.0, -3.0]
    # a perfectly reliable test does not regress; a test of reliability 0 regresses fully
    assert expected_regression(70, mean=100, reliability=1.0) == 0.0
    assert expected_regression(70, mean=100, reliability=0.0) == 30.0
    assert np.isnan(expected_regression(70, mean=np.nan, reliability=0.9))
    with pytest.raises(ParameterError, match="reliability"):
        expected_regression(70, mean=100, reliability=1.5)


def test_it_predicts_the_drift_of_learners_selected_for_a_low_baseline():
    """Simulated learners with no true change, placed because their first score was
    below 80: their retests rise, by what the formula says, and nothing is left beyond
    it. Classical test theory: score = true score + error, reliability = var(true) /
    var(score)."""
    rng = np.random.default_rng(20261203)
    r, sd, n = 0.85, 15.0, 400_000
    true = rng.normal(100, sd * np.sqrt(r), n)
    x1 = true + rng.normal(0, sd * np.sqrt(1 - r), n)
    x2 = true + rng.normal(0, sd * np.sqrt(1 - r), n)  # no true change
    placed = x1 < 80
    rel = _reliable(x1[placed], x2[placed])
    rel["reliability"] = r
    adjusted = change_beyond_regression(rel, INSTRUMENTS)
    mean_change = float((x2 - x1)[placed].mean())
    assert mean_change > 2.5  # a clear rise with no true change at all
    assert adjusted["expected_regression"].mean() == pytest.approx(mean_change, abs=0.1)
    assert abs(adjusted["change_beyond_regression"].mean()) < 0.1


def test_only_instruments_with_a_population_mean_are_adjusted():
    rel = pd.concat([_reliable([70, 85], [76, 85]),
                     _reliable([10], [20], instrument="Steps")], ignore_index=True)
    out = change_beyond_regression(rel, INSTRUMENTS)
    assert out["instrument"].tolist() == ["SAT", "SAT"]
    assert out["expected_regression"].tolist() == [3.0, 1.5]
    assert out["change_beyond_regression"].tolist() == [3.0, -1.5]
    assert out["population_mean"].tolist() == [100.0, 100.0]
    assert rel["instrument"].tolist() == ["SAT", "SAT", "Steps"]  # input not modified


@pytest.mark.parametrize("n", [1, 2, 5])
def test_summary_shows_its_n_and_an_interval_only_from_the_minimum(n: int):
    rel = pd.concat([_reliable(np.full(n, 70.0), 70.0 + np.arange(n)),
                     _reliable([70.0], [90.0], status="too soon to judge")],
                    ignore_index=True)
    s = regression_summary(change_beyond_regression(rel, INSTRUMENTS))
    assert len(s) == 1
    row = s.iloc[0]
    assert row["n"] == n and row["n_learners"] == n  # the too-soon result is left out
    assert row["mean_expected_regression"] == pytest.approx(3.0)
    assert row["mean_beyond_regression"] == pytest.approx((n - 1) / 2 - 3.0)
    if n < T_INTERVAL_MIN_N:
        assert np.isnan(row["low"]) and row["note"] == "too few to judge"
    else:
        assert row["low"] < row["mean_beyond_regression"] < row["high"]


def test_summary_by_group_and_empty():
    rel = pd.concat([_reliable([70, 80], [75, 80]), _reliable([60], [70], srb="SRB02")],
                    ignore_index=True)
    s = regression_summary(change_beyond_regression(rel, INSTRUMENTS), by="srb_id")
    assert s["srb_id"].tolist() == ["SRB01", "SRB02"] and s["n"].tolist() == [2, 1]
    empty = regression_summary(change_beyond_regression(rel.iloc[:0], INSTRUMENTS))
    assert empty.empty and {"n", "low", "mean_beyond_regression"} <= set(empty.columns)
