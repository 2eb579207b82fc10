"""Seeded bootstrap interval of a mean (``scipy.stats.bootstrap``), for groups of any size."""

from __future__ import annotations

import math
import warnings
from typing import Any, NamedTuple

import numpy as np
from scipy import stats

from .change import TOO_FEW_TO_JUDGE

__all__ = ["BCA_MAX_N", "COUNTS_RATIO", "DEFAULT_SEED", "LARGE_GROUP_RESAMPLES",
           "N_RESAMPLES", "bootstrap_mean", "resample_means_by_counts"]

#: Default seed of the bootstrap intervals.
DEFAULT_SEED = 2025
#: Default number of resamples.
N_RESAMPLES = 9999
#: Largest group given a BCa interval; larger groups get the percentile interval (the
#: BCa jackknife costs O(n^2), and for large n the two agree closely).
BCA_MAX_N = 1000
#: Resamples for groups larger than :data:`BCA_MAX_N` (at most): 1,999 is ample for a
#: percentile interval (Efron & Tibshirani 1993 advise 1,000 or more for interval
#: endpoints), and the cost of a bootstrap grows with n x resamples.
LARGE_GROUP_RESAMPLES = 1999
#: A large group is resampled by counts (:func:`resample_means_by_counts`) when it has at
#: most one distinct value per this many values.
COUNTS_RATIO = 16
_BLOCK = 1 << 16  # values drawn per batch of resamples (stays in cache)


class _Resampled(NamedTuple):
    """A bootstrap distribution handed to ``scipy.stats.bootstrap`` (``bootstrap_result``)."""

    bootstrap_distribution: np.ndarray


def resample_means_by_counts(x: Any, *, seed: int, n_resamples: int) -> np.ndarray:
    """Means of ``n_resamples`` bootstrap resamples of ``x``, drawn as multinomial counts.

    A resample of n values drawn with replacement from ``x`` holds each distinct value
    :math:`v_k` (present :math:`m_k` times) :math:`c_k` times, with
    :math:`(c_1, ..., c_K) \\sim \\text{Multinomial}(n, m_k / n)`, and its mean is
    :math:`\\sum_k c_k v_k / n`: the same distribution as the ordinary bootstrap (Efron &
    Tibshirani 1993, ch. 6), drawn in O(K) per resample instead of O(n). Used for large
    groups of few distinct values (scores are whole steps, points or months).

    Examples
    --------
    Every resample of a constant is that constant:

    >>> resample_means_by_counts([2.0, 2.0, 2.0], seed=1, n_resamples=3).tolist()
    [2.0, 2.0, 2.0]
    """
    rng = np.random.default_rng(seed)
    values, counts = np.unique(np.asarray(x, dtype=float), return_counts=True)
    n = int(counts.sum())
    draws = rng.multinomial(n, counts / n, size=n_resamples)
    return (draws @ values) / n


def bootstrap_mean(x: Any, *, seed: int = DEFAULT_SEED, confidence: float = 0.95,
                   n_resamples: int = N_RESAMPLES, min_n: int = 2
                   ) -> tuple[float, float, str]:
    """Seeded bootstrap confidence interval of the mean of ``x``.

    Parameters
    ----------
    x : array-like of float
        The values (no missing values).
    seed : int, default 2025
        Seed of ``numpy.random.default_rng``: the same values give the same interval.
    confidence : float, default 0.95
    n_resamples : int, default 9999
    min_n : int, default 2
        Fewest values for an interval.

    Returns
    -------
    (float, float, str)
        ``(low, high, note)``; NaN bounds with a note in words when there is no
        interval: "too few to judge" (fewer than ``max(min_n, 2)`` values), "all values
        equal: no interval", "interval not estimable".

    Notes
    -----
    Up to :data:`BCA_MAX_N` values: ``scipy.stats.bootstrap`` with the BCa method,
    ``n_resamples`` resamples and ``rng=numpy.random.default_rng(seed)``. Above: the
    percentile method with at most :data:`LARGE_GROUP_RESAMPLES` resamples, drawn as
    multinomial counts (:func:`resample_means_by_counts`) when the values are few
    (at most one distinct value per :data:`COUNTS_RATIO` values), else by scipy.

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall.

    Examples
    --------
    >>> bootstrap_mean([1.0])
    (nan, nan, 'too few to judge')
    >>> lo, hi, note = bootstrap_mean([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> bool(1 <= lo < 3 < hi <= 5), note
    (True, '')
    """
    x = np.asarray(x, dtype=float)
    if len(x) < max(min_n, 2):
        return math.nan, math.nan, TOO_FEW_TO_JUDGE
    if np.ptp(x) == 0:
        return math.nan, math.nan, "all values equal: no interval"
    options: dict[str, Any] = {"confidence_level": confidence, "vectorized": True,
                               "batch": max(1, _BLOCK // len(x))}
    if len(x) <= BCA_MAX_N:
        options |= {"method": "BCa", "n_resamples": n_resamples}
    else:
        b = min(n_resamples, LARGE_GROUP_RESAMPLES)
        options["method"] = "percentile"
        if len(np.unique(x)) * COUNTS_RATIO <= len(x):
            resampled = resample_means_by_counts(x, seed=seed, n_resamples=b)
            options |= {"n_resamples": 0, "bootstrap_result": _Resampled(resampled)}
        else:
            options["n_resamples"] = b
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap((x,), np.mean, rng=np.random.default_rng(seed), **options)
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return math.nan, math.nan, "interval not estimable"
    return lo, hi, ""
