"""Two-group effects: standardised mean differences, Hedges' g with its interval, a
paired permutation test, and the ANCOVA and multilevel models of a matched comparison
(statsmodels, formula API).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .change import hedges_correction

#: Fewest SRBs (clusters of placed learners) for a multilevel model. With fewer,
#: the between-cluster variance is estimated badly and the standard error of the group
#: effect is too small (Maas & Hox 2005, Methodology 1(3), 86-92; McNeish & Stapleton
#: 2016, Educational Psychology Review 28, 295-314, who advise at least 10 clusters
#: with restricted maximum likelihood, as used here).
MIN_CLUSTERS = 10

#: Sign patterns of the paired permutation test: every one is enumerated (an exact test)
#: while ``2**pairs`` is at most this many (up to 13 pairs), else this many random ones.
#: SciPy's default for ``permutation_test`` and ``monte_carlo_test``.
PERMUTATION_RESAMPLES = 9999

#: Random sign patterns of the permutation test drawn at a time, as a number of pair
#: values (``batch`` of ``scipy.stats.monte_carlo_test``: ``n_resamples`` patterns of n
#: pairs drawn at once would hold n_resamples x n numbers, 3.6 GB for 45,000 pairs). The
#: random numbers are drawn in the same order whatever the batch, so the result is the
#: same; only the memory (about 20 bytes per value) and the time change.
PERMUTATION_BATCH_VALUES = 10_000_000

#: Fewest learners for an ANCOVA of outcome on baseline and group: three coefficients
#: and at least two residual degrees of freedom.
MIN_ANCOVA_N = 5


def standardised_difference(treated: Any, control: Any) -> float:
    """Standardised mean difference of a covariate between two groups (balance).

    .. math:: d = \\frac{\\bar x_t - \\bar x_c}{\\sqrt{(s_t^2 + s_c^2) / 2}}

    with sample variances (``ddof=1``); for a 0/1 covariate the same formula on the
    indicator. Austin (2009) suggests |d| < 0.1 as negligible imbalance.

    Returns NaN when a group has fewer than two values or both variances are 0 (0 when
    the means are equal as well).

    References
    ----------
    .. [1] Austin, P. C. (2009). Balance diagnostics for comparing the distribution of
       baseline covariates between treatment groups in propensity-score matched samples.
       *Statistics in Medicine*, 28(25), 3083-3107. https://doi.org/10.1002/sim.3697

    Examples
    --------
    >>> round(standardised_difference([1, 2, 3], [2, 3, 4]), 4)
    -1.0
    """
    t = np.asarray(treated, dtype=float)
    c = np.asarray(control, dtype=float)
    t, c = t[~np.isnan(t)], c[~np.isnan(c)]
    if len(t) < 2 or len(c) < 2:
        return float("nan")
    diff = t.mean() - c.mean()
    scale = np.sqrt((t.var(ddof=1) + c.var(ddof=1)) / 2)
    if scale == 0:
        return 0.0 if diff == 0 else float("nan")
    return float(diff / scale)


class HedgesG(NamedTuple):
    """Hedges' g of two independent groups and its confidence interval."""

    g: float  #: bias-corrected standardised mean difference, treated - control
    low: float  #: lower end of the interval
    high: float  #: upper end of the interval
    se: float  #: standard error of g
    n_treated: int
    n_control: int
    note: str  #: "" or why g is NaN


def hedges_g(treated: Any, control: Any, *, confidence: float = 0.95) -> HedgesG:
    """Hedges' g of ``treated`` minus ``control`` with a normal-theory interval.

    .. math::

        d = \\frac{\\bar y_t - \\bar y_c}{s_p},\\quad
        s_p^2 = \\frac{(n_t - 1)s_t^2 + (n_c - 1)s_c^2}{n_t + n_c - 2},\\quad
        g = J d,\\quad J = 1 - \\frac{3}{4(n_t + n_c - 2) - 1}

        V_g = J^2 \\left(\\frac{n_t + n_c}{n_t n_c} + \\frac{d^2}{2(n_t + n_c)}\\right),
        \\quad g \\pm z_{1-\\alpha/2} \\sqrt{V_g}

    (Borenstein et al. 2009, equations 4.18-4.24; the interval is the one the EEF's
    eefAnalytics reports for a two-arm comparison without clustering). NaN with a note
    when a group has fewer than two learners or both groups have no spread.

    References
    ----------
    .. [1] Borenstein, M., Hedges, L. V., Higgins, J. P. T. & Rothstein, H. R. (2009).
       *Introduction to Meta-Analysis*, ch. 4. Wiley.
    .. [2] Hedges, L. V. & Olkin, I. (1985). *Statistical Methods for Meta-Analysis*.
       Academic Press.

    Examples
    --------
    >>> r = hedges_g([3, 4, 5], [1, 2, 3])
    >>> round(r.g, 4), round(r.low, 4), round(r.high, 4)
    (1.6, 0.032, 3.168)
    """
    t = np.asarray(treated, dtype=float)
    c = np.asarray(control, dtype=float)
    t, c = t[~np.isnan(t)], c[~np.isnan(c)]
    nt, nc = len(t), len(c)
    nan = float("nan")
    if nt < 2 or nc < 2:
        return HedgesG(nan, nan, nan, nan, nt, nc, "fewer than two learners in a group")
    df = nt + nc - 2
    sp = np.sqrt(((nt - 1) * t.var(ddof=1) + (nc - 1) * c.var(ddof=1)) / df)
    if sp == 0:
        return HedgesG(nan, nan, nan, nan, nt, nc, "no spread in either group")
    d = (t.mean() - c.mean()) / sp
    j = float(hedges_correction(df))
    se = j * np.sqrt((nt + nc) / (nt * nc) + d**2 / (2 * (nt + nc)))
    z = stats.norm.ppf(0.5 + confidence / 2)
    g = j * d
    return HedgesG(float(g), float(g - z * se), float(g + z * se), float(se), nt, nc, "")


class PermutationResult(NamedTuple):
    """A paired permutation test of the mean difference."""

    difference: float  #: mean of the paired differences
    p_value: float  #: two-sided
    n_pairs: int
    exact: bool  #: every sign pattern enumerated (else ``n_resamples`` random ones)


def paired_permutation(treated: Any, control: Any, *,
                       n_resamples: int = PERMUTATION_RESAMPLES,
                       seed: int = 2025) -> PermutationResult:
    """Two-sided permutation test of the mean of matched-pair differences.

    Under the null hypothesis of no effect, which member of a pair was placed is
    exchangeable, so the sign of each pair's difference ``d = treated - control`` may be
    flipped: the null distribution of the mean difference is that of
    :math:`\\frac{1}{n}\\sum_i \\varepsilon_i |d_i|` over independent random signs
    :math:`\\varepsilon_i = \\pm 1` (the paired, or one-sample, permutation test: Good
    2005 [1]_).

    - With ``2**n_pairs <= n_resamples`` every sign pattern is enumerated, an exact test
      (``scipy.stats.permutation_test`` of the mean of ``d``, one sample,
      ``permutation_type="samples"``, which SciPy documents as flipping signs).
    - Otherwise ``n_resamples`` random sign patterns, seeded
      (``scipy.stats.monte_carlo_test`` with that null distribution: each sign is
      ``-1`` where a uniform draw of ``numpy.random.default_rng(seed)`` is below 0.5), and
      p = (patterns at least as extreme + 1) / (``n_resamples`` + 1), doubled for two
      sides, as SciPy computes it for random permutations too (Phipson & Smyth 2010
      [2]_). This is the same test as SciPy's random-permutation form, drawn in one
      vectorised pass: SciPy's ``permutation_test`` handles a sample of pairs one pair
      at a time (82 s for 44,542 pairs and 9,999 patterns, against about 6 s here), and
      its p differs from this one only by the random draws.

    One pair gives p = 1. The patterns are drawn in batches of about
    :data:`PERMUTATION_BATCH_VALUES` pair values, which bounds the memory and leaves the
    result as it is.

    References
    ----------
    .. [1] Good, P. I. (2005). *Permutation, Parametric, and Bootstrap Tests of
       Hypotheses* (3rd ed.). Springer. The one-sample (paired) permutation test.
    .. [2] Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero:
       calculating exact p-values when permutations are randomly drawn. *Statistical
       Applications in Genetics and Molecular Biology* 9(1), article 39.

    Examples
    --------
    >>> r = paired_permutation([3, 5], [1, 2])   # differences 2 and 3: 4 sign patterns
    >>> r.difference, r.p_value, r.exact
    (2.5, 0.5, True)
    """
    t = np.asarray(treated, dtype=float)
    c = np.asarray(control, dtype=float)
    keep = ~(np.isnan(t) | np.isnan(c))
    t, c = t[keep], c[keep]
    n = len(t)
    if n == 0:
        return PermutationResult(float("nan"), float("nan"), 0, False)
    if n == 1:  # both sign patterns give the same |difference|
        return PermutationResult(float(t[0] - c[0]), 1.0, 1, True)

    d = t - c
    exact = bool(2**n <= n_resamples)
    if exact:
        res = stats.permutation_test((d,), np.mean, permutation_type="samples",
                                     vectorized=True, n_resamples=n_resamples,
                                     alternative="two-sided", random_state=seed)
    else:
        magnitude = np.abs(d)
        rng = np.random.default_rng(seed)

        def flipped(size: tuple[int, int]) -> np.ndarray:
            """Random sign patterns (one a row) applied to the pairs' |differences|."""
            return np.where(rng.random(size) < 0.5, -magnitude, magnitude)

        res = stats.monte_carlo_test(d, flipped, np.mean, vectorized=True,
                                     n_resamples=n_resamples, alternative="two-sided",
                                     batch=max(1, PERMUTATION_BATCH_VALUES // n))
    return PermutationResult(float(np.mean(d)), float(min(res.pvalue, 1.0)), n, exact)


def propensity_logit(frame: pd.DataFrame, covariates: list[str]) -> np.ndarray:
    """The logit of each learner's propensity score: a logistic regression of the 0/1
    ``placed`` on ``covariates`` (statsmodels ``smf.logit``), its linear predictor.

    NaN for a row with a missing covariate, and for every row when the model cannot be
    fitted (one group only, perfect separation, a singular design).

    Examples
    --------
    >>> f = pd.DataFrame({"placed": [1, 0, 0, 1, 1, 0], "x": [0, 0, 0, 1, 1, 1]})
    >>> propensity_logit(f, ["x"]).round(4).tolist()  # ln(1/2) and ln(2)
    [-0.6931, -0.6931, -0.6931, 0.6931, 0.6931, 0.6931]
    """
    import warnings

    import statsmodels.formula.api as smf

    f = frame[["placed", *covariates]].astype(float)
    out = np.full(len(f), np.nan)
    keep = f.notna().all(axis=1).to_numpy()
    if keep.sum() <= len(covariates) + 1 or f.loc[keep, "placed"].nunique() < 2:
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # separation and non-convergence are failures
        try:
            fit = smf.logit("placed ~ " + " + ".join(covariates), data=f.loc[keep]
                            ).fit(disp=0)
        except Exception:  # noqa: BLE001 - any failed fit gives no scores
            return out
    out[keep] = np.asarray(fit.fittedvalues)
    return out


class ModelEffect(NamedTuple):
    """The coefficient of the group indicator in a model of the outcome."""

    estimate: float  #: adjusted difference, placed - comparison, in score units
    se: float
    low: float
    high: float
    p_value: float
    n: int  #: learners in the model
    n_clusters: int  #: clusters (0 for the ANCOVA)
    note: str  #: "" or why the model was not fitted


def _nan_effect(n: int, n_clusters: int, note: str) -> ModelEffect:
    nan = float("nan")
    return ModelEffect(nan, nan, nan, nan, nan, n, n_clusters, note)


def ancova(frame: pd.DataFrame, *, confidence: float = 0.95) -> ModelEffect:
    """ANCOVA: ordinary least squares of ``outcome ~ baseline + placed``.

    ``frame`` has numeric ``outcome`` and ``baseline`` and a 0/1 ``placed``. The
    coefficient of ``placed`` is the difference in outcome between groups at the same
    baseline (statsmodels ``smf.ols``; classical standard errors). Not fitted (NaN with
    a note) below :data:`MIN_ANCOVA_N` learners or without both groups.

    Examples
    --------
    >>> f = pd.DataFrame({"baseline": [1, 2, 3, 1, 2, 3], "placed": [1, 1, 1, 0, 0, 0],
    ...                   "outcome": [3, 4, 6, 1, 2, 3]})
    >>> round(ancova(f).estimate, 4)
    2.3333
    """
    import statsmodels.formula.api as smf

    f = frame[["outcome", "baseline", "placed"]].astype(float).dropna()
    n = len(f)
    if n < MIN_ANCOVA_N or f["placed"].nunique() < 2:
        return _nan_effect(n, 0, f"an ANCOVA needs both groups and at least {MIN_ANCOVA_N} "
                                  "learners")
    fit = smf.ols("outcome ~ baseline + placed", data=f).fit()
    low, high = fit.conf_int(alpha=1 - confidence).loc["placed"]
    return ModelEffect(float(fit.params["placed"]), float(fit.bse["placed"]), float(low),
                       float(high), float(fit.pvalues["placed"]), n, 0, "")


def multilevel(frame: pd.DataFrame, *, confidence: float = 0.95,
               min_clusters: int = MIN_CLUSTERS) -> ModelEffect:
    """Multilevel ANCOVA: ``outcome ~ baseline + placed`` with a random intercept per
    ``cluster`` (statsmodels ``MixedLM``, restricted maximum likelihood).

    Learners share a cluster with those taught with them (an SRB; for a comparison
    learner, the school). Not fitted (NaN with a note saying why) when the placed
    learners are in fewer than ``min_clusters`` clusters (SRBs; see
    :data:`MIN_CLUSTERS`), without both groups, or when the fit does not converge.
    ``n_clusters`` of the result counts every cluster of the model.
    """
    import warnings

    import statsmodels.formula.api as smf

    f = frame[["outcome", "baseline", "placed", "cluster"]].dropna()
    f = f.astype({"outcome": float, "baseline": float, "placed": float,
                  "cluster": "str"})
    n, k = len(f), f["cluster"].nunique()
    k_placed = f.loc[f["placed"] == 1, "cluster"].nunique()
    if k_placed < min_clusters:
        return _nan_effect(n, k, f"a multilevel model needs learners from at least "
                                 f"{min_clusters} SRBs; these are from {k_placed}")
    if f["placed"].nunique() < 2 or n < MIN_ANCOVA_N + 1:
        return _nan_effect(n, k, "a multilevel model needs both groups and at least "
                                 f"{MIN_ANCOVA_N + 1} learners")
    # centring the baseline leaves the group effect as it is and helps the optimiser;
    # Nelder-Mead then BFGS, as the statsmodels MixedLM notes advise when BFGS alone fails
    f["baseline"] = f["baseline"] - f["baseline"].mean()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = smf.mixedlm("outcome ~ baseline + placed", data=f, groups=f["cluster"]
                              ).fit(reml=True, method=["nm", "bfgs"])
        except np.linalg.LinAlgError:
            return _nan_effect(n, k, "the multilevel model could not be fitted (singular "
                                     "matrix)")
    if not fit.converged or any("converge" in str(w.message).lower() for w in caught):
        return _nan_effect(n, k, "the multilevel model did not converge")
    low, high = fit.conf_int(alpha=1 - confidence).loc["placed"]
    return ModelEffect(float(fit.params["placed"]), float(fit.bse["placed"]), float(low),
                       float(high), float(fit.pvalues["placed"]), n, k, "")
