"""A test of independence for a small contingency table: chi-square when Cochran's rule
allows it, otherwise Fisher's exact test or its Freeman-Halton extension."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy import stats


class IndependenceTest(NamedTuple):
    """Result of :func:`independence_test`."""

    method: str
    chi2: float
    dof: int
    p_val: float
    cramers_v: float


def cochran_rule(expected: Any) -> bool:
    """Whether Pearson's chi-square approximation may be used (Cochran 1954).

    True when no expected count is below 1 and at most 20% are below 5.

    Examples
    --------
    >>> cochran_rule([[5.0, 6.0], [4.0, 9.0]])
    False
    >>> cochran_rule([[5.0, 6.0], [5.0, 9.0]])
    True
    """
    e = np.asarray(expected, dtype="float64")
    return bool((e >= 1).all() and (e < 5).mean() <= 0.2)


def independence_test(table: Any, *, n_resamples: int = 9999, seed: int = 2025
                      ) -> IndependenceTest:
    """Are the rows and columns of a table of counts independent?

    Parameters
    ----------
    table : array-like of int, shape (r, c)
        Counts, every row and column with at least one (r, c >= 2).
    n_resamples : int, default 9999
        Monte Carlo tables for the Freeman-Halton test.
    seed : int, default 2025
        Seed of ``numpy.random.default_rng`` for the Monte Carlo p-value.

    Returns
    -------
    IndependenceTest
        ``method`` ("chi-square", "Fisher exact" or "Freeman-Halton (Monte Carlo)"),
        ``chi2`` (Pearson statistic, always given), ``dof``, ``p_val`` and
        ``cramers_v``.

    Notes
    -----
    .. math:: \\chi^2 = \\sum_{ij} \\frac{(O_{ij} - E_{ij})^2}{E_{ij}}, \\quad
              V = \\sqrt{\\frac{\\chi^2}{N(\\min(r, c) - 1)}}

    Pearson's chi-square test without continuity correction
    (``scipy.stats.chi2_contingency``) when the expected counts meet Cochran's rule
    [1]_ (:func:`cochran_rule`); otherwise Fisher's exact test for a 2 x 2 table, or
    the r x c extension of Freeman and Halton [2]_ with a seeded Monte Carlo p-value
    (``scipy.stats.fisher_exact`` with ``MonteCarloMethod``). Effect size: Cramér's V
    [3]_.

    References
    ----------
    .. [1] Cochran, W. G. (1954). Some methods for strengthening the common chi-square
       tests. *Biometrics* 10(4), 417-451. doi:10.2307/3001616
    .. [2] Freeman, G. H. & Halton, J. H. (1951). Note on an exact treatment of
       contingency, goodness of fit and other problems of significance. *Biometrika*
       38(1-2), 141-149. doi:10.1093/biomet/38.1-2.141
    .. [3] Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton
       University Press, p. 282.

    Examples
    --------
    >>> r = independence_test([[10, 10], [10, 30]])
    >>> r.method, round(r.chi2, 4), r.dof, round(r.p_val, 4), round(r.cramers_v, 4)
    ('chi-square', 3.75, 1, 0.0528, 0.25)
    >>> independence_test([[3, 0], [0, 3]]).method
    'Fisher exact'
    """
    obs = np.asarray(table)
    chi = stats.chi2_contingency(obs, correction=False)
    n = obs.sum()
    v = float(np.sqrt(chi.statistic / (n * (min(obs.shape) - 1))))
    if cochran_rule(chi.expected_freq):
        method, p = "chi-square", float(chi.pvalue)
    elif obs.shape == (2, 2):
        method, p = "Fisher exact", float(stats.fisher_exact(obs).pvalue)
    else:
        method = "Freeman-Halton (Monte Carlo)"
        mc = stats.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed))
        p = float(stats.fisher_exact(obs, method=mc).pvalue)
    return IndependenceTest(method, float(chi.statistic), int(chi.dof), p, v)
