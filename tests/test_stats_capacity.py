"""The estimators behind the capacity measures, by hand and against SciPy:
Kaplan-Meier (srb_eval.stats.survival), the forecast's quantiles (srb_eval.stats.forecast)
and the test of a shift in need mix (srb_eval.stats.contingency)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from srb_eval.stats import contingency, forecast, survival


def test_kaplan_meier_by_hand():
    # stays (days) 121 censored, 319, 364, 730 ended, 1126, 1491 censored
    t = [121, 319, 364, 730, 1126, 1491]
    ended = [False, True, True, True, False, False]
    km = survival.kaplan_meier(t, ended).set_index("time")
    # 319: 5 at risk, 1 ends: S = 4/5; 364: 4 at risk: S = 0.8 x 3/4 = 0.6;
    # 730: 3 at risk: S = 0.6 x 2/3 = 0.4
    assert km["n_at_risk"].tolist() == [6, 5, 4, 3, 2, 1]
    assert km.loc[319, "survival"] == pytest.approx(0.8)
    assert km.loc[364, "survival"] == pytest.approx(0.6)
    assert km.loc[730, "survival"] == pytest.approx(0.4)
    assert survival.km_median(t, ended) == 730.0


def test_kaplan_meier_not_reached_and_ties():
    assert math.isnan(survival.km_median([1.0, 2.0], [False, False]))  # no event
    # 1 (event), 2 (censored), 3 (event): S(1) = 2/3, S(3) = 0 -> median 3
    assert survival.km_median([1.0, 2.0, 3.0], [True, False, True]) == 3.0
    # ties 1, 1, 2, 2 all events: S(1) = 2/4 = 0.5 <= 0.5 -> median 1
    assert survival.km_median([1.0, 1.0, 2.0, 2.0], [True] * 4) == 1.0
    assert math.isnan(survival.km_median([], []))
    # 1, 2, 3, 4 all events: S(2) = 3/4 x 2/3 = 0.5 (within rounding) -> median 2
    assert survival.km_median([1, 2, 3, 4], [True] * 4) == 2.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kaplan_meier_agrees_with_scipy(seed: int):
    rng = np.random.default_rng(seed)
    t = rng.integers(1, 30, size=60).astype(float)
    ended = rng.random(60) < 0.6
    km = survival.kaplan_meier(t, ended)
    sf = stats.ecdf(stats.CensoredData(uncensored=t[ended], right=t[~ended])).sf
    assert km["time"].tolist() == sf.quantiles.tolist()
    assert km["survival"].to_numpy() == pytest.approx(sf.probabilities, abs=1e-12)


def test_quantiles_match_scipy_for_a_pure_poisson_and_a_pure_binomial():
    for mu in (0.3, 1.0, 4.5, 20.0):
        got = forecast.binomial_poisson_quantiles(0, 1.0, mu, [0.1, 0.9])
        assert got.tolist() == stats.poisson.ppf([0.1, 0.9], mu).tolist()
    for n, q in ((10, 0.3), (40, 0.8)):
        got = forecast.binomial_poisson_quantiles(n, q, 0.0, [0.1, 0.9])
        assert got.tolist() == stats.binom.ppf([0.1, 0.9], n, q).tolist()
    assert forecast.binomial_poisson_quantiles(5, 1.0, 0.0, [0.1, 0.9]).tolist() == [5, 5]
    assert forecast.binomial_poisson_quantiles(0, 0.5, 0.0, [0.1, 0.9]).tolist() == [0, 0]


def test_quantiles_of_the_sum_agree_with_simulation():
    rng = np.random.default_rng(7)
    sims = rng.binomial(30, 0.7, 200_000) + rng.poisson(6.0, 200_000)
    want = np.quantile(sims, [0.1, 0.9], method="inverted_cdf")
    got = forecast.binomial_poisson_quantiles(30, 0.7, 6.0, [0.1, 0.9])
    assert np.abs(got - want).max() <= 1


def test_rate_to_probability():
    assert forecast.rate_to_probability(0.0) == 0.0
    assert forecast.rate_to_probability(math.log(2)) == pytest.approx(0.5)
    assert math.isnan(forecast.rate_to_probability(float("nan")))


def test_independence_test_by_hand():
    # leavers (10, 10) vs joiners (10, 30): chi2 = 3.75, dof 1, V = sqrt(3.75 / 60)
    r = contingency.independence_test([[10, 10], [10, 30]])
    assert r.method == "chi-square" and r.dof == 1
    assert r.chi2 == pytest.approx(3.75)
    assert r.p_val == pytest.approx(0.052808, abs=1e-5)
    assert r.cramers_v == pytest.approx(0.25)
    # [[5, 0], [0, 5]]: Fisher, p = 2 / C(10, 5)
    f = contingency.independence_test([[5, 0], [0, 5]])
    assert f.method == "Fisher exact" and f.p_val == pytest.approx(2 / 252)
    # 3 x 2: Freeman-Halton, exact p = 4 / 924; seeded
    t1 = contingency.independence_test([[5, 0], [1, 1], [0, 5]], seed=1)
    t2 = contingency.independence_test([[5, 0], [1, 1], [0, 5]], seed=1)
    assert t1.method == "Freeman-Halton (Monte Carlo)"
    assert t1.p_val == pytest.approx(4 / 924, abs=0.003) and t1.p_val == t2.p_val


def test_group_km_median_equals_km_median_per_group():
    rng = np.random.default_rng(3)
    g = rng.integers(0, 5, size=200)
    t = rng.integers(1, 20, size=200).astype(float)
    ended = rng.random(200) < 0.5
    got = survival.group_km_median(g, t, ended)
    for label in range(5):
        want = survival.km_median(t[g == label], ended[g == label])
        curve = survival.kaplan_meier(t[g == label], ended[g == label])
        first = curve.loc[curve["survival"] <= 0.5 + survival.TOLERANCE, "time"]
        assert (math.isnan(want) and first.empty) or want == first.iloc[0]
        assert (math.isnan(want) and math.isnan(got[label])) or got[label] == want
