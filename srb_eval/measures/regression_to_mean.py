r"""Progress beyond regression to the mean, on standardised scores.

Learners are placed in an SRB because their scores are low (the placement guidance asks
for attainment well below age-related expectations). A low score is partly bad luck on
the day, so a retest drifts back towards the average even with no true change:
regression to the mean. On a standard score whose population mean and reliability are
known, the drift expected from a baseline :math:`x_1` is
:math:`(1 - r_{xx})(\mu - x_1)` (:func:`srb_eval.stats.change.expected_regression`);
the part of a learner's change beyond it is the part regression cannot explain.

- :func:`change_beyond_regression`: one row per result of
  :func:`srb_eval.measures.progress_scales.reliable_change`, with the expected drift and
  the change beyond it;
- :func:`regression_summary`: by group, the mean change, the mean drift expected by
  regression alone and the mean change beyond it, with its n and interval.

This corrects for regression towards the test's population mean only; it is not a
comparison group. It assumes that the learners' scores would regress towards the mean
of the population the test was normed on.

References
----------
.. [1] Barnett, A. G., van der Pols, J. C., & Dobson, A. J. (2005). Regression to the
   mean: what it is and how to deal with it. *International Journal of Epidemiology*,
   34(1), 215-220.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..stats.change import expected_regression
from ..stats.intervals import mean_interval
from .columns import group_keys, need_columns
from .progress import STATUSES

__all__ = ["change_beyond_regression", "regression_summary"]


def change_beyond_regression(reliable: pd.DataFrame, instruments: pd.DataFrame
                             ) -> pd.DataFrame:
    r"""Each standard-score result's change, and how much of it regression explains.

    Parameters
    ----------
    reliable : DataFrame
        From :func:`srb_eval.measures.progress_scales.reliable_change` (one row per
        standard-score result with a baseline and a later follow-up; ``reliability``
        is the instrument's).
    instruments : DataFrame
        The ``instruments`` table; its ``mean`` (the population mean) is used.

    Returns
    -------
    DataFrame
        The rows of ``reliable`` whose instrument has a population mean, with
        ``population_mean``, ``expected_regression`` (the change expected by
        regression alone, :math:`(1 - r_{xx})(\mu - x_1)`) and
        ``change_beyond_regression`` (``change`` minus it). Empty (same columns) when
        there are none.

    Examples
    --------
    >>> reliable = pd.DataFrame({"learner_id": ["a"], "instrument": ["SAT"],
    ...     "area": ["literacy"], "status": ["measured"], "baseline_score": [70.0],
    ...     "outcome_score": [84.0], "change": [14.0], "reliability": [0.9]})
    >>> instruments = pd.DataFrame({"instrument": ["SAT"], "scale": ["standard_score"],
    ...     "mean": [100.0], "sd": [15.0], "reliability": [0.9],
    ...     "expected_gain_per_year": [0.0]})
    >>> change_beyond_regression(reliable, instruments)[
    ...     ["expected_regression", "change_beyond_regression"]].values.tolist()
    [[3.0, 11.0]]
    """
    need_columns(reliable, ["learner_id", "instrument", "area", "status", "baseline_score",
                            "change", "reliability"], "reliable")
    need_columns(instruments, ["instrument", "mean"], "instruments")
    means = pd.DataFrame({"instrument": instruments["instrument"].astype("str"),
                          "population_mean": instruments["mean"].astype(float)}
                         ).drop_duplicates("instrument")
    out = reliable.assign(instrument=reliable["instrument"].astype("str")).merge(
        means.loc[means["population_mean"].notna()], on="instrument", how="inner")
    out["expected_regression"] = expected_regression(
        out["baseline_score"].to_numpy(), mean=out["population_mean"].to_numpy(),
        reliability=out["reliability"].to_numpy())
    out["change_beyond_regression"] = out["change"] - out["expected_regression"]
    return out


def regression_summary(adjusted: pd.DataFrame, by: Any = (), *,
                       confidence: float = 0.95) -> pd.DataFrame:
    r"""Mean change, the part regression to the mean explains and the rest, by group.

    Parameters
    ----------
    adjusted : DataFrame
        From :func:`change_beyond_regression`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area (``"srb_id"``, ``"phase"``...).
    confidence : float, default 0.95
        Of the interval of ``mean_beyond_regression``.

    Returns
    -------
    DataFrame
        One row per instrument, area and group, of the results measured over at least
        a term (``status == "measured"``, as the other progress summaries):
        ``n_learners``, ``n`` (results), ``mean_baseline``, ``mean_change``,
        ``mean_expected_regression``, ``mean_beyond_regression``, and ``low``,
        ``high``, ``ci_method``, ``note`` of the interval of the mean beyond regression
        (:func:`srb_eval.stats.intervals.mean_interval`: none for fewer than its
        minimum results, with the reason in ``note``).

    Notes
    -----
    Every learner's result carries its own expected drift, so the mean beyond
    regression is the mean of the learners' differences,
    :math:`\overline{\Delta} - (1 - r_{xx})(\mu - \overline{x}_1)` for one
    instrument.

    Examples
    --------
    >>> adjusted = pd.DataFrame({"learner_id": ["a", "b"], "instrument": "SAT",
    ...     "area": "literacy", "status": "measured", "baseline_score": [70.0, 80.0],
    ...     "change": [14.0, 4.0], "expected_regression": [3.0, 2.0],
    ...     "change_beyond_regression": [11.0, 2.0]})
    >>> r = regression_summary(adjusted).iloc[0]
    >>> int(r["n"]), float(r["mean_change"]), float(r["mean_expected_regression"])
    (2, 9.0, 2.5)
    >>> float(r["mean_beyond_regression"]), r["ci_method"]
    (6.5, 't')
    """
    keys = group_keys(adjusted, by)
    need_columns(adjusted, ["learner_id", "instrument", "area", "status", "baseline_score",
                            "change", "expected_regression", "change_beyond_regression"],
                 "adjusted")
    rows = adjusted.loc[adjusted["status"] == STATUSES[0]]
    cols = ["instrument", "area", *keys]
    out = (rows.groupby(cols, observed=True, sort=True, dropna=False)
           .agg(n_learners=("learner_id", "nunique"), n=("learner_id", "size"),
                mean_baseline=("baseline_score", "mean"), mean_change=("change", "mean"),
                mean_expected_regression=("expected_regression", "mean"),
                mean_beyond_regression=("change_beyond_regression", "mean"))
           .reset_index())
    intervals = pd.DataFrame(
        [tuple(mean_interval(g["change_beyond_regression"].to_numpy(dtype=float),
                             confidence=confidence))
         for _, g in rows.groupby(cols, observed=True, sort=True, dropna=False)],
        columns=["low", "high", "ci_method", "note"])
    out = pd.concat([out, intervals], axis=1)
    return out.astype({"n_learners": "int64", "n": "int64", "low": float, "high": float})
