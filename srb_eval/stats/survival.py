"""Survival estimators: the Kaplan-Meier curve and its median, for stays with an end or not.

A stay that has ended is an *event*; a stay still running at the day of measurement is
*censored*: it is known to last at least as long as it has so far.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Tolerance when comparing the survival curve with 0.5 (products of fractions such as
#: 2/3 x 3/4 are not exactly 0.5 in floating point).
TOLERANCE = 1e-12


def kaplan_meier(durations: Any, observed: Any) -> pd.DataFrame:
    """The Kaplan-Meier estimate of the survival function.

    Parameters
    ----------
    durations : array-like of float
        Time from entry to the event or to censoring (e.g. years in an SRB).
    observed : array-like of bool
        True where the event happened (the stay ended), False where censored.

    Returns
    -------
    pandas.DataFrame
        One row per distinct duration, in increasing order: ``time``, ``n_at_risk``
        (durations of at least ``time``), ``events`` (ended at ``time``) and
        ``survival`` (:math:`\\hat S` just after ``time``). Empty for no durations.

    Notes
    -----
    .. math:: \\hat S(t) = \\prod_{t_i \\le t} \\left(1 - \\frac{d_i}{n_i}\\right)

    with :math:`d_i` the events at time :math:`t_i` and :math:`n_i` those still at risk
    just before it. A censored duration tied with an event counts as at risk at that time
    (the usual convention). The curve only drops at event times; with no censoring it is
    one minus the empirical distribution function. It agrees with
    ``scipy.stats.ecdf(scipy.stats.CensoredData(...)).sf``.

    References
    ----------
    .. [1] Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
       observations. *Journal of the American Statistical Association* 53(282),
       457-481. doi:10.1080/01621459.1958.10501452

    Examples
    --------
    Stays of 1, 2 (still running) and 3 years: at 1 year 1 of 3 ends (S = 2/3); at 2
    years nobody ends; at 3 years the last one at risk ends (S = 0).

    >>> kaplan_meier([1.0, 2.0, 3.0], [True, False, True]).round(4)
       time  n_at_risk  events  survival
    0   1.0          3       1    0.6667
    1   2.0          2       0    0.6667
    2   3.0          1       1    0.0000
    """
    t = pd.Series(np.asarray(durations, dtype="float64"))
    ended = pd.Series(np.asarray(observed, dtype=bool))
    table = pd.DataFrame({"time": t, "events": ended.astype("int64"), "n": 1})
    table = table.groupby("time", sort=True).sum()
    # at risk at t: everyone whose duration is t or longer
    n_at_risk = table["n"][::-1].cumsum()[::-1]
    survival = (1.0 - table["events"] / n_at_risk).cumprod()
    return pd.DataFrame({"time": table.index.to_numpy(dtype="float64"),
                         "n_at_risk": n_at_risk.to_numpy(dtype="int64"),
                         "events": table["events"].to_numpy(dtype="int64"),
                         "survival": survival.to_numpy(dtype="float64")})


def km_median(durations: Any, observed: Any) -> float:
    """The Kaplan-Meier median: the first time the survival curve reaches one half.

    Parameters
    ----------
    durations, observed : array-like
        As in :func:`kaplan_meier`.

    Returns
    -------
    float
        :math:`\\min\\{t : \\hat S(t) \\le 0.5\\}`; NaN when the curve never reaches 0.5
        ("not reached": more than half still censored above the last event), when no
        duration is observed, or for no durations.

    Notes
    -----
    The definition of Brookmeyer and Crowley [1]_. With no censoring it is the lower
    median of the durations (the smaller of the two middle values), not their mean.

    References
    ----------
    .. [1] Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the median
       survival time. *Biometrics* 38(1), 29-41. doi:10.2307/2530286

    Examples
    --------
    >>> km_median([1.0, 2.0, 3.0], [True, False, True])
    3.0
    >>> km_median([1.0, 1.0, 2.0, 2.0], [True, True, True, True])
    1.0
    >>> km_median([1.0, 2.0], [False, False])
    nan
    """
    t = np.asarray(durations, dtype="float64")
    medians = group_km_median(np.zeros(len(t)), t, observed)
    return float(medians.iloc[0]) if len(medians) else float("nan")


def group_km_median(groups: Any, durations: Any, observed: Any) -> pd.Series:
    """:func:`km_median` within each group, for all groups at once.

    Parameters
    ----------
    groups : array-like
        Group label of each duration (missing labels are left out).
    durations, observed : array-like
        As in :func:`kaplan_meier`.

    Returns
    -------
    pandas.Series
        The Kaplan-Meier median per group (index: the sorted group labels); NaN where
        not reached.

    Notes
    -----
    The estimator of :func:`kaplan_meier` written with ``groupby``: at-risk counts are
    reversed cumulative sums within each group and the curve a cumulative product within
    each group, so each group's median equals :func:`km_median` on its durations.

    Examples
    --------
    >>> group_km_median(["a", "a", "a", "b"], [1.0, 2.0, 3.0, 5.0],
    ...                 [True, False, True, False]).to_dict()
    {'a': 3.0, 'b': nan}
    """
    table = pd.DataFrame({"group": pd.Series(np.asarray(groups, dtype=object)),
                          "time": np.asarray(durations, dtype="float64"),
                          "events": np.asarray(observed, dtype=bool).astype("int64"),
                          "n": 1}).dropna(subset=["group"])
    table = table.groupby(["group", "time"], sort=True).sum()
    n_at_risk = table["n"][::-1].groupby(level="group").cumsum()[::-1]
    survival = (1.0 - table["events"] / n_at_risk).groupby(level="group").cumprod()
    labels = table.index.get_level_values("group").unique()
    reached = survival[survival <= 0.5 + TOLERANCE].reset_index()
    return (reached.groupby("group")["time"].first().reindex(labels)
            .astype("float64").rename("km_median"))
