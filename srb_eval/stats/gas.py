"""Goal Attainment Scaling (GAS): the Kiresuk-Sherman T-score of a set of goals.

Each goal is scored at review on the five-point GAS scale: -2 (much less than expected),
-1 (somewhat less), 0 (the expected outcome), +1 (somewhat more), +2 (much more).

References
----------
.. [1] Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: a general
   method for evaluating comprehensive community mental health programs. *Community
   Mental Health Journal*, 4(6), 443-453. https://doi.org/10.1007/BF01530764
.. [2] Turner-Stokes, L. (2009). Goal attainment scaling (GAS) in rehabilitation: a
   practical guide. *Clinical Rehabilitation*, 23(4), 362-370 (and its erratum,
   *Clinical Rehabilitation* 23(7), 2009, correcting the printed formula).
   https://doi.org/10.1177/0269215508101742
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import ParameterError, check_argument

__all__ = ["DEFAULT_RHO", "GAS_LEVELS", "check_rho", "gas_t_from_sums", "gas_t_score"]

#: Assumed correlation between goal scores (Kiresuk & Sherman 1968).
DEFAULT_RHO = 0.3
#: The GAS attainment levels.
GAS_LEVELS: tuple[float, ...] = (-2.0, -1.0, 0.0, 1.0, 2.0)


def check_rho(rho: Any) -> float:
    """``rho`` as a float, or :class:`~srb_eval.errors.ParameterError` unless 0 <= rho < 1."""
    ok = (isinstance(rho, (int, float, np.integer, np.floating))
          and not isinstance(rho, (bool, np.bool_)) and math.isfinite(float(rho))
          and 0 <= rho < 1)
    check_argument(ok, "rho", "a number from 0 up to (not including) 1", rho,
                   error=ParameterError)
    return float(rho)


def gas_t_from_sums(sum_w: Any, sum_wx: Any, sum_w2: Any, rho: float = DEFAULT_RHO
                    ) -> np.ndarray:
    """The GAS T-score from the sums of a set of goals (one or many sets at once).

    Parameters
    ----------
    sum_w, sum_wx, sum_w2 : float or array-like
        :math:`\\sum w_i`, :math:`\\sum w_i x_i` and :math:`\\sum w_i^2` over the goals.
    rho : float, default 0.3

    Returns
    -------
    numpy.ndarray
        .. math::
            T = 50 + \\frac{10 \\sum_i w_i x_i}
                     {\\sqrt{(1 - \\rho)\\sum_i w_i^2 + \\rho\\left(\\sum_i w_i\\right)^2}}

    Examples
    --------
    Three goals at +1, weights 1: T = 50 + 30 / sqrt(0.7 x 3 + 0.3 x 9) = 63.693.

    >>> round(float(gas_t_from_sums(3, 3, 3)), 3)
    63.693
    """
    rho = check_rho(rho)
    sum_w = np.asarray(sum_w, dtype=float)
    denom = np.sqrt((1 - rho) * np.asarray(sum_w2, dtype=float) + rho * sum_w**2)
    return 50 + 10 * np.asarray(sum_wx, dtype=float) / denom


def gas_t_score(attainment: Any, weights: Any = None, rho: float = DEFAULT_RHO) -> float:
    """The Goal Attainment Scaling T-score of one set of goals.

    Parameters
    ----------
    attainment : array-like of float
        Attainment level of each goal, from -2 to +2 (0 = expected). Missing values
        (goals not yet reviewed) are left out.
    weights : array-like of float, optional
        Positive weight of each goal (default 1 for every goal).
    rho : float, default 0.3
        Assumed correlation between the goals' scores (0 <= rho < 1).

    Returns
    -------
    float
        The T-score; NaN when no goal has been scored.

    Raises
    ------
    srb_eval.errors.ParameterError
        For a level outside -2..+2 or not whole, a weight that is not positive, weights
        of another length, or a bad ``rho``.

    Notes
    -----
    Kiresuk & Sherman (1968), as corrected in Turner-Stokes (2009, erratum):

    .. math::
        T = 50 + \\frac{10 \\sum_i w_i x_i}
                 {\\sqrt{(1 - \\rho)\\sum_i w_i^2 + \\rho\\left(\\sum_i w_i\\right)^2}}

    T = 50 when every goal is met as expected; above 50, more than expected overall. With
    one goal, :math:`T = 50 + 10x`.

    References
    ----------
    .. [1] Kiresuk, T. J., & Sherman, R. E. (1968). *Community Mental Health Journal*,
       4(6), 443-453. https://doi.org/10.1007/BF01530764
    .. [2] Turner-Stokes, L. (2009). *Clinical Rehabilitation*, 23(4), 362-370, and
       erratum. https://doi.org/10.1177/0269215508101742

    Examples
    --------
    Three goals all met as expected give 50. Three goals each at +1 (weights 1, rho 0.3):
    sum wx = 3, denominator sqrt(0.7 x 3 + 0.3 x 9) = sqrt(4.8) = 2.19089, so
    T = 50 + 30 / 2.19089 = 63.693.

    >>> gas_t_score([0, 0, 0])
    50.0
    >>> round(gas_t_score([1, 1, 1]), 3)
    63.693
    """
    rho = check_rho(rho)
    x = np.asarray(attainment, dtype=float).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    check_argument(w.shape == x.shape, "weights", f"one weight per goal ({x.size})", w.size,
                   error=ParameterError)
    ok = ~np.isnan(x)
    check_argument(bool(np.all(np.isin(x[ok], GAS_LEVELS))), "attainment",
                   "levels -2, -1, 0, 1 or 2 (or missing)",
                   x[ok & ~np.isin(x, GAS_LEVELS)].tolist(), error=ParameterError)
    check_argument(bool(np.all(w[ok] > 0)), "weights", "positive numbers", w[ok].tolist(),
                   error=ParameterError)
    x, w = x[ok], w[ok]
    if x.size == 0:
        return math.nan
    denom = math.sqrt((1 - rho) * float(np.sum(w**2)) + rho * float(np.sum(w)) ** 2)
    return 50 + 10 * float(np.sum(w * x)) / denom
