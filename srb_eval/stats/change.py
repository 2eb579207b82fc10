"""Change of one learner or one group: the Reliable Change Index and Hedges' g_av.

Both take plain numbers or arrays; :mod:`srb_eval.measures.progress_scales` and
:mod:`srb_eval.measures.progress_groups` apply them to progress tables.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..errors import ParameterError, check_argument

__all__ = ["RCI_CLASSES", "RCI_CRITERION", "TOO_FEW_TO_JUDGE", "RciResult", "at_9_decimals",
           "expected_regression", "g_av", "hedges_correction", "rci",
           "standardised_mean_change"]

#: |RC| above this is reliable change (two-sided 5%, Jacobson & Truax 1991).
RCI_CRITERION = 1.96
#: Values of an RCI classification, from worse to better.
RCI_CLASSES: tuple[str, ...] = (
    "reliable deterioration", "no reliable change", "reliable improvement",
)
#: The note given when a group is too small for a statistic.
TOO_FEW_TO_JUDGE = "too few to judge"
#: The note given when both standard deviations of a pre-post change are 0.
NO_SPREAD = "no spread in scores"


def at_9_decimals(x: Any) -> np.ndarray:
    """Values rounded to 9 decimals before they are compared with a band boundary, so
    that floating-point noise cannot move an exact boundary value (a ratio gain of
    exactly 1.4, a change of exactly 1.96 S_diff) to the other side.

    Examples
    --------
    >>> bool(at_9_decimals(0.1 + 0.2) == 0.3)
    True
    """
    return np.round(np.asarray(x, dtype=float), 9)


def _check_positive(value: Any, name: str) -> None:
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and math.isfinite(float(value))
          and value > 0)
    check_argument(ok, name, "a positive number", value, error=ParameterError)


class RciResult(NamedTuple):
    """Reliable Change Index for one or many changes (arrays broadcast)."""

    se: np.ndarray  #: standard error of measurement, SD sqrt(1 - r)
    s_diff: np.ndarray  #: standard error of the difference, sqrt(2 SE^2)
    rc: np.ndarray  #: (x2 - x1) / S_diff
    change_needed: np.ndarray  #: criterion x S_diff: the smallest reliable change
    classification: np.ndarray  #: one of RCI_CLASSES (object array)


def rci(x1: Any, x2: Any, *, sd: Any, reliability: Any,
        criterion: float = RCI_CRITERION) -> RciResult:
    """Reliable Change Index of Jacobson & Truax (1991).

    Parameters
    ----------
    x1, x2 : float or array-like
        Score at baseline and at follow-up.
    sd : float or array-like
        Standard deviation of the instrument in its normative population (> 0).
    reliability : float or array-like
        Reliability :math:`r_{xx}` of the instrument (0 <= r < 1).
    criterion : float, default 1.96
        |RC| above this is reliable (1.96: two-sided 5%).

    Returns
    -------
    RciResult
        ``se``, ``s_diff``, ``rc``, ``change_needed`` and ``classification``
        ("reliable improvement", "no reliable change", "reliable deterioration"), as
        arrays broadcast from the inputs.

    Raises
    ------
    srb_eval.errors.ParameterError
        ``sd`` not positive, ``reliability`` outside [0, 1) or missing, or a bad
        ``criterion``.

    Notes
    -----
    .. math::
        SE = SD\\sqrt{1 - r_{xx}},\\quad S_{diff} = \\sqrt{2\\,SE^2},\\quad
        RC = \\frac{x_2 - x_1}{S_{diff}}

    :math:`|RC| > 1.96` is reliable change; exactly 1.96 is not (RC is compared after
    rounding to 9 decimals, so floating-point noise cannot decide). Higher scores are
    taken as better. A missing score gives NaN ``rc`` and a missing classification.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
       approach to defining meaningful change in psychotherapy research. *Journal of
       Consulting and Clinical Psychology*, 59(1), 12-19.
       https://doi.org/10.1037/0022-006X.59.1.12

    Examples
    --------
    SD 15 and reliability 0.90 (a typical standardised attainment test): SE = 4.743,
    S_diff = 6.708, so a change of more than 13.15 points is reliable.

    >>> r = rci(70, 84, sd=15, reliability=0.9)
    >>> round(float(r.se), 3), round(float(r.s_diff), 3), round(float(r.change_needed), 2)
    (4.743, 6.708, 13.15)
    >>> round(float(r.rc), 3), str(r.classification)
    (2.087, 'reliable improvement')
    """
    _check_positive(criterion, "criterion")
    sd_a = np.asarray(sd, dtype=float)
    r_a = np.asarray(reliability, dtype=float)
    check_argument(bool(np.all(sd_a > 0)), "sd", "a positive number (not missing)", sd,
                   error=ParameterError)
    check_argument(bool(np.all((r_a >= 0) & (r_a < 1))), "reliability",
                   "a number from 0 up to (not including) 1, not missing", reliability,
                   error=ParameterError)
    se = sd_a * np.sqrt(1 - r_a)
    s_diff = np.sqrt(2 * se**2)
    rc = (np.asarray(x2, dtype=float) - np.asarray(x1, dtype=float)) / s_diff
    rc9 = at_9_decimals(rc)
    cls = np.where(rc9 > criterion, RCI_CLASSES[2],
                   np.where(rc9 < -criterion, RCI_CLASSES[0], RCI_CLASSES[1])).astype(object)
    cls = np.where(np.isnan(rc), None, cls)
    return RciResult(se, s_diff, rc, criterion * s_diff, cls)


def hedges_correction(df: Any) -> np.ndarray:
    """Hedges' small-sample correction factor :math:`J = 1 - 3 / (4\\,df - 1)`.

    Parameters
    ----------
    df : int or array-like
        Degrees of freedom (n - 1 for a one-group pre-post change).

    Returns
    -------
    numpy.ndarray
        J; NaN where ``df < 2`` (at ``df = 1`` the factor is 0, so the corrected
        effect would be a meaningless 0).

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size
       and related estimators. *Journal of Educational Statistics*, 6(2), 107-128.
       https://doi.org/10.3102/10769986006002107

    Examples
    --------
    >>> hedges_correction([1, 2, 4]).round(4).tolist()
    [nan, 0.5714, 0.8]
    """
    d = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        j = 1 - 3 / (4 * d - 1)
    return np.where(d >= 2, j, np.nan)


class GavResult(NamedTuple):
    """Hedges' g_av of one or many groups (arrays broadcast)."""

    g_av: np.ndarray  #: Hedges-corrected effect size
    d_av: np.ndarray  #: uncorrected effect size
    note: np.ndarray  #: "" or why the effect is NaN (object array)


def g_av(mean_base: Any, mean_out: Any, sd_base: Any, sd_out: Any, n: Any) -> GavResult:
    """Hedges' :math:`g_{av}` from the summary statistics of paired groups.

    Parameters
    ----------
    mean_base, mean_out : float or array-like
        Mean baseline and mean outcome score of each group.
    sd_base, sd_out : float or array-like
        Their standard deviations (``ddof=1``).
    n : int or array-like
        Pairs in each group.

    Returns
    -------
    GavResult
        ``g_av``, ``d_av`` and ``note``: ``""``, "too few to judge" (fewer than 3
        pairs: at :math:`df = 1` the correction is 0) or "no spread in scores" (both
        standard deviations 0); the effect is NaN where the note is not empty.

    Notes
    -----
    Cohen's :math:`d_{av}` (Lakens 2013, eq. 10) divides the mean change by the average
    of the two standard deviations; Hedges' correction with :math:`df = n - 1` gives
    :math:`g_{av}`:

    .. math::
        d_{av} = \\frac{\\bar x_{out} - \\bar x_{base}}{(s_{base} + s_{out}) / 2},\\qquad
        g_{av} = d_{av}\\left(1 - \\frac{3}{4(n-1) - 1}\\right)

    References
    ----------
    .. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate
       cumulative science: a practical primer for t-tests and ANOVAs. *Frontiers in
       Psychology*, 4, 863. https://doi.org/10.3389/fpsyg.2013.00863
    .. [2] Hedges, L. V. (1981). *Journal of Educational Statistics*, 6(2), 107-128.

    Examples
    --------
    Means 12 and 14, both SDs 2, 3 pairs: d = 2 / 2 = 1, J = 1 - 3/7 = 0.5714.

    >>> r = g_av(12, 14, 2, 2, 3)
    >>> round(float(r.d_av), 3), round(float(r.g_av), 3), str(r.note)
    (1.0, 0.571, '')
    """
    n_a = np.asarray(n)
    spread = (np.asarray(sd_base, dtype=float) + np.asarray(sd_out, dtype=float)) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        d = (np.asarray(mean_out, dtype=float) - np.asarray(mean_base, dtype=float)) / spread
    few = n_a < 3
    flat = ~few & (spread == 0)
    g = np.where(few | flat, np.nan, d * hedges_correction(n_a - 1))
    d = np.where(few | flat, np.nan, d)
    note = np.where(few, TOO_FEW_TO_JUDGE, np.where(flat, NO_SPREAD, "")).astype(object)
    return GavResult(g, d, note)


def standardised_mean_change(baseline: Any, outcome: Any) -> tuple[float, float, str]:
    """Standardised mean change of one group, Hedges-corrected (:math:`g_{av}`).

    Parameters
    ----------
    baseline, outcome : array-like of float
        Paired scores (pairs with a missing value are dropped).

    Returns
    -------
    (float, float, str)
        ``(g_av, d_av, note)`` from :func:`g_av` on the pairs' means and standard
        deviations (``ddof=1``).

    Notes
    -----
    Why :math:`d_{av}` and not :math:`d_z` = mean(gain) / sd(gain): :math:`d_z` is
    inflated by the correlation between baseline and outcome (by about
    :math:`1/\\sqrt{2(1-r)}`, over 2x for a test with r = 0.9), while :math:`d_{av}`
    is on the same scale as the between-group effect sizes of the EEF Toolkit, so the
    months-of-progress reading is less exaggerated (Lakens 2013 recommends
    :math:`g_{av}` for this reason). Identical gains still have a defined
    :math:`g_{av}` if the scores themselves vary.

    References
    ----------
    .. [1] Lakens, D. (2013). *Frontiers in Psychology*, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863

    Examples
    --------
    >>> g, d, note = standardised_mean_change([10, 12, 14], [12, 14, 16])
    >>> round(d, 3), round(g, 3), note
    (1.0, 0.571, '')
    """
    x = np.asarray(baseline, dtype=float)
    y = np.asarray(outcome, dtype=float)
    check_argument(x.shape == y.shape, "outcome", "the same length as baseline",
                   (x.size, y.size), error=ParameterError)
    ok = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[ok], y[ok]
    if len(x) < 3:
        return math.nan, math.nan, TOO_FEW_TO_JUDGE
    r = g_av(x.mean(), y.mean(), np.std(x, ddof=1), np.std(y, ddof=1), len(x))
    return float(r.g_av), float(r.d_av), str(r.note)


def expected_regression(baseline: Any, *, mean: Any, reliability: Any) -> np.ndarray:
    r"""The change a retest gives by regression to the mean alone (no true change).

    Parameters
    ----------
    baseline : float or array-like
        Scores at baseline.
    mean : float or array-like
        The population mean of the test (100 for a standard score).
    reliability : float or array-like
        Its test-retest reliability :math:`r_{xx}` (0 to 1).

    Returns
    -------
    numpy.ndarray of float
        :math:`(1 - r_{xx})(\mu - x_1)`: positive below the mean, negative above, 0
        at it or when the test is perfectly reliable; NaN where an input is missing.

    Notes
    -----
    With the baseline and the retest bivariate normal with equal variances and
    correlation :math:`r_{xx}`, the expected retest of a learner who scored
    :math:`x_1` with no true change is
    :math:`E[X_2 \mid x_1] = \mu + r_{xx}(x_1 - \mu)` (Barnett et al. 2005); the
    change expected by regression alone is the difference from :math:`x_1`. It is
    the correction of the Edwards-Nunnally index of reliable change (Speer 1992).
    Learners are placed in an SRB because their scores are low, so part of any rise
    at retest is this regression: gains should be read beyond it.

    References
    ----------
    .. [1] Barnett, A. G., van der Pols, J. C., & Dobson, A. J. (2005). Regression to
       the mean: what it is and how to deal with it. *International Journal of
       Epidemiology*, 34(1), 215-220. https://doi.org/10.1093/ije/dyh299
    .. [2] Speer, D. C. (1992). Clinically significant change: Jacobson and Truax (1991)
       revisited. *Journal of Consulting and Clinical Psychology*, 60(3), 402-408.

    Examples
    --------
    A standard score of 70 (mean 100) on a test of reliability 0.9: a retest is
    expected 3 points higher with no true change.

    >>> float(expected_regression(70, mean=100, reliability=0.9))
    3.0
    >>> expected_regression([100, 115], mean=100, reliability=0.8).round(9).tolist()
    [0.0, -3.0]
    """
    x = np.asarray(baseline, dtype=float)
    r = np.asarray(reliability, dtype=float)
    ok = np.isnan(r) | ((r >= 0) & (r <= 1))
    check_argument(bool(np.all(ok)), "reliability", "a number from 0 to 1", reliability,
                   error=ParameterError)
    return at_9_decimals((1.0 - r) * (np.asarray(mean, dtype=float) - x))
