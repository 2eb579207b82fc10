"""srb_eval.stats.group_tests: scipy's tests, effect sizes worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from srb_eval.stats.group_tests import kruskal_wallis, mann_whitney


def test_kruskal_wallis_by_hand_and_scipy():
    # ranks 1..6; rank sums 3, 7, 11; H = 12/(6 x 7) x (9 + 49 + 121)/2 - 3 x 7 = 4.5714
    r = kruskal_wallis([[1, 2], [3, 4], [5, 6]])
    assert r.statistic == pytest.approx(4.571429, abs=1e-6)
    assert r.effect == pytest.approx(4.571429 / 5, abs=1e-6)
    assert r.p_val == stats.kruskal([1, 2], [3, 4], [5, 6]).pvalue


def test_mann_whitney_rank_biserial_by_hand():
    # [1, 5] vs [2, 3, 4]: pairs where first is higher: 5>2, 5>3, 5>4 = 3 of 6 -> U1 = 3
    r = mann_whitney([1, 5], [2, 3, 4])
    assert r.statistic == 3.0 and r.effect == pytest.approx(0.0)
    assert r.p_val == stats.mannwhitneyu([1, 5], [2, 3, 4]).pvalue
    assert mann_whitney([1, 2], [3, 4]).effect == -1.0


@pytest.mark.parametrize("seed", range(5))
def test_kruskal_matches_scipy_with_ties(seed):
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, 6, rng.integers(5, 20)) for _ in range(4)]
    h, p = stats.kruskal(*samples)
    r = kruskal_wallis(samples)
    assert (r.statistic, r.p_val) == (h, p)
