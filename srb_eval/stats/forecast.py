"""Pieces of the places forecast: a rate as a yearly probability, and the exact quantiles of
a Binomial plus a Poisson count (learners staying plus learners admitted)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

#: Probability mass left out in each tail when the two distributions are tabulated.
TAIL = 1e-12


def rate_to_probability(rate: Any) -> np.ndarray:
    """The probability of at least one event in a year at a constant yearly rate.

    .. math:: p = 1 - e^{-\\lambda}

    Parameters
    ----------
    rate : float or array-like
        Events per person-year (:math:`\\lambda \\ge 0`); NaN stays NaN.

    References
    ----------
    .. [1] Fleurence, R. L. & Hollenbeak, C. S. (2007). Rates and probabilities in
       economic modelling. *PharmacoEconomics* 25(1), 3-6.
       doi:10.2165/00019053-200725010-00002

    Examples
    --------
    >>> float(rate_to_probability(0.5).round(4))
    0.3935
    """
    return -np.expm1(-np.asarray(rate, dtype="float64"))


def binomial_poisson_quantiles(n: int, q: float, mu: float, probs: Any) -> np.ndarray:
    """Quantiles of :math:`T = B + A`, :math:`B \\sim \\text{Binomial}(n, q)` and
    :math:`A \\sim \\text{Poisson}(\\mu)` independent.

    Parameters
    ----------
    n : int
        Learners who could still be on roll (not aged out).
    q : float
        Probability that each of them is (no early exit so far).
    mu : float
        Expected number of admitted learners still on roll.
    probs : array-like of float
        Probabilities of the quantiles wanted (e.g. ``[0.1, 0.9]``).

    Returns
    -------
    numpy.ndarray of int
        For each probability :math:`a`, the smallest :math:`x` with
        :math:`P(T \\le x) \\ge a` (the definition of ``scipy.stats.poisson.ppf``).

    Notes
    -----
    The probability mass function of the sum is the convolution of the two:
    :math:`P(T = x) = \\sum_b P(B = b) P(A = x - b)`. Each is tabulated between its
    :data:`TAIL` and :math:`1 -` :data:`TAIL` quantiles; no simulation, so the result
    is the same on every run. :math:`q \\le 0` or :math:`n = 0` gives :math:`B = 0`;
    :math:`q \\ge 1` gives :math:`B = n`; :math:`\\mu \\le 0` gives :math:`A = 0`.

    Examples
    --------
    With no learners staying the quantiles are Poisson ones:

    >>> binomial_poisson_quantiles(0, 1.0, 3.0, [0.1, 0.9]).tolist()
    [1, 5]
    >>> [int(x) for x in stats.poisson.ppf([0.1, 0.9], 3.0)]
    [1, 5]
    >>> binomial_poisson_quantiles(5, 1.0, 0.0, [0.1, 0.9]).tolist()
    [5, 5]
    """
    if n == 0 or q <= 0:
        lo_b, pmf_b = 0, np.array([1.0])
    elif q >= 1:
        lo_b, pmf_b = n, np.array([1.0])
    else:
        lo_b = int(stats.binom.ppf(TAIL, n, q))
        hi_b = int(stats.binom.isf(TAIL, n, q))
        pmf_b = stats.binom.pmf(np.arange(lo_b, hi_b + 1), n, q)
    if mu <= 0:
        pmf_a = np.array([1.0])
    else:
        hi_a = int(stats.poisson.isf(TAIL, mu))
        pmf_a = stats.poisson.pmf(np.arange(0, hi_a + 1), mu)
    pmf = np.convolve(pmf_b, pmf_a)
    cdf = np.cumsum(pmf) / pmf.sum()
    idx = np.searchsorted(cdf, np.asarray(probs, dtype="float64") - 1e-10, side="left")
    return lo_b + np.minimum(idx, len(cdf) - 1)
