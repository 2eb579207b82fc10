"""Rank tests of whether groups differ, each with its effect size (Kruskal-Wallis,
Mann-Whitney)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from scipy import stats

__all__ = ["GroupTest", "kruskal_wallis", "mann_whitney"]


class GroupTest(NamedTuple):
    """The result of a group comparison."""

    test: str  #: "Kruskal-Wallis H" or "Mann-Whitney U"
    statistic: float
    p_val: float
    effect: float
    effect_type: str  #: "epsilon-squared" or "rank-biserial r"


def kruskal_wallis(samples: Sequence[Any]) -> GroupTest:
    """Kruskal-Wallis H test (``scipy.stats.kruskal``, tie-corrected) with
    :math:`\\varepsilon^2_R`.

    Parameters
    ----------
    samples : sequence of array-like
        The values of each group (two or more groups, not all values equal).

    Returns
    -------
    GroupTest
        ``statistic`` H, ``p_val`` from the chi-squared distribution with k - 1 degrees
        of freedom, ``effect`` :math:`\\varepsilon^2_R` (0 = no difference, 1 = complete
        separation).

    Notes
    -----
    .. math::
        H = \\frac{1}{C}\\left(\\frac{12}{N(N+1)} \\sum_j \\frac{R_j^2}{n_j}
            - 3(N+1)\\right),\\quad C = 1 - \\frac{\\sum (t^3 - t)}{N^3 - N},\\quad
        \\varepsilon^2_R = \\frac{H}{(N^2 - 1)/(N + 1)} = \\frac{H}{N - 1}

    with :math:`R_j` the rank sum of group j (average ranks for ties) and t the sizes
    of the groups of tied values.

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
       analysis. *JASA*, 47(260), 583-621. https://doi.org/10.1080/01621459.1952.10483441
    .. [2] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates
       revisited. *Trends in Sport Sciences*, 21(1), 19-25.

    Examples
    --------
    Groups [1, 2], [3, 4], [5, 6]: ranks sum to 3, 7, 11; H = 12/42 x (9 + 49 + 121)/2
    - 21 = 4.571; epsilon-squared = 4.571 / 5 = 0.914.

    >>> r = kruskal_wallis([[1, 2], [3, 4], [5, 6]])
    >>> round(r.statistic, 3), round(r.effect, 3), r.effect_type
    (4.571, 0.914, 'epsilon-squared')
    """
    h, p = stats.kruskal(*samples)
    n = sum(len(s) for s in samples)
    return GroupTest("Kruskal-Wallis H", float(h), float(p), float(h) / (n - 1),
                     "epsilon-squared")


def mann_whitney(first: Any, second: Any) -> GroupTest:
    """Mann-Whitney U test (``scipy.stats.mannwhitneyu``, two-sided, ``method="auto"``)
    with the rank-biserial correlation.

    Parameters
    ----------
    first, second : array-like
        The values of the two groups.

    Returns
    -------
    GroupTest
        ``statistic`` :math:`U_1` (of ``first``), ``p_val``, ``effect`` the rank-biserial
        r (from -1 to 1, positive when ``first`` tends to be higher).

    Notes
    -----
    :math:`r = 2U_1/(n_1 n_2) - 1` (Kerby 2014; equal to Wendt's
    :math:`1 - 2U_2/(n_1n_2)`): the share of pairs in which the first group is higher
    minus the share in which it is lower, ties counting half.

    References
    ----------
    .. [1] Mann, H. B., & Whitney, D. R. (1947). *Ann. Math. Statist.*, 18(1), 50-60.
       https://doi.org/10.1214/aoms/1177730491
    .. [2] Kerby, D. S. (2014). The simple difference formula: an approach to teaching
       nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.
       https://doi.org/10.2466/11.IT.3.1

    Examples
    --------
    [3, 4] against [1, 2]: the first is higher in all 4 pairs, U = 4, r = 8/4 - 1 = 1.

    >>> r = mann_whitney([3, 4], [1, 2])
    >>> r.statistic, r.effect
    (4.0, 1.0)
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    u = stats.mannwhitneyu(a, b, alternative="two-sided")
    return GroupTest("Mann-Whitney U", float(u.statistic), float(u.pvalue),
                     2 * float(u.statistic) / (len(a) * len(b)) - 1, "rank-biserial r")
