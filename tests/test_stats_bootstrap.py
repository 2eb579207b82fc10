"""srb_eval.stats.bootstrap: the interval is scipy's, seeded, for every group size."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from srb_eval.stats import bootstrap as B


def _scipy(x, method, n_resamples, seed=2025):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = stats.bootstrap((x,), np.mean, n_resamples=n_resamples, method=method,
                            rng=np.random.default_rng(seed))
    return float(r.confidence_interval.low), float(r.confidence_interval.high)


@pytest.mark.parametrize("n", [3, 20, 300])
def test_small_groups_agree_with_scipy_bca(n):
    x = np.random.default_rng(n).normal(size=n)
    lo, hi, note = B.bootstrap_mean(x, seed=2025)
    assert (lo, hi) == _scipy(x, "BCa", 9999) and note == ""


def test_large_group_of_many_values_is_scipys_percentile_with_fewer_resamples():
    x = np.random.default_rng(1).normal(size=B.BCA_MAX_N + 1)
    lo, hi, _ = B.bootstrap_mean(x, seed=7)
    assert (lo, hi) == _scipy(x, "percentile", B.LARGE_GROUP_RESAMPLES, seed=7)


def test_large_group_of_few_values_is_resampled_by_counts():
    x = np.random.default_rng(2).integers(0, 5, 5000).astype(float)
    lo, hi, _ = B.bootstrap_mean(x, seed=3)
    means = B.resample_means_by_counts(x, seed=3, n_resamples=B.LARGE_GROUP_RESAMPLES)
    assert len(means) == B.LARGE_GROUP_RESAMPLES
    assert (lo, hi) == pytest.approx(tuple(np.percentile(means, [2.5, 97.5])), abs=1e-9)
    # the counts bootstrap has the ordinary bootstrap's spread: SE of a mean = s / sqrt(n)
    assert means.std() == pytest.approx(x.std() / math.sqrt(len(x)), rel=0.1)


def test_degenerate_groups_are_nan_with_a_note():
    assert B.bootstrap_mean([4.0])[2] == "too few to judge"
    assert B.bootstrap_mean([4.0, 4.0, 4.0])[2] == "all values equal: no interval"
    assert B.bootstrap_mean([1.0, 2.0, 3.0], min_n=5)[2] == "too few to judge"
