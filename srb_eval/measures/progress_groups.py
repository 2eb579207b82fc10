"""Progress of groups of learners: change from baseline with intervals and effect sizes,
expected-progress bands, group comparisons, reliable-change and ratio-gain counts, and
who has progress measured at all (coverage).

Every summary carries its ``n``; statistics that cannot be computed are NaN with a
``note`` column saying why in words, so that a report never prints NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..params import iso_date
from ..stats.bootstrap import DEFAULT_SEED, N_RESAMPLES
from ..stats.change import RCI_CLASSES, TOO_FEW_TO_JUDGE, g_av
from ..stats.group_tests import kruskal_wallis, mann_whitney
from ..stats.intervals import MeanInterval, mean_interval
from .attribution import latest_placements
from .benchmarks import brooks_bands, eef_months
from .columns import check, group_keys, is_number, need_columns
from .progress import BANDS, STATUSES

__all__ = ["COMPARE_MIN_N", "TOO_FEW_TO_COMPARE", "band_count_column", "band_summary",
           "compare_groups", "coverage", "group_label", "group_summary",
           "ratio_gain_summary", "rci_summary"]

#: Fewest learners in each compared group (:func:`compare_groups`).
COMPARE_MIN_N = 5
#: The note of a comparison with groups too small to compare.
TOO_FEW_TO_COMPARE = "too few to compare"
#: The effect size of :func:`group_summary`, in words.
EFFECT_TYPE = "Hedges g_av (standardised mean change)"

def _with_flags(progress: pd.DataFrame) -> pd.DataFrame:
    """``progress`` with the 0/1 columns :func:`group_summary` sums (status and band) and
    the measured rows' gain, rate, baseline and outcome (NaN on the other rows)."""
    df = progress.copy()
    df["_measured"] = df["status"] == STATUSES[0]
    df["_too_soon"] = df["status"] == STATUSES[1]
    df["_none"] = df["status"] == STATUSES[2]
    for b in BANDS:
        df[f"_b_{b}"] = df["band"] == b
    df["_gain"] = df["gain"].where(df["_measured"])
    df["_rate"] = df["rate"].where(df["_measured"])
    df["_base"] = df["baseline_score"].where(df["_measured"])
    df["_out"] = df["outcome_score"].where(df["_measured"])
    return df


def _counts_and_quartiles(g: Any) -> pd.DataFrame:
    """Each group's counts, medians, quartiles, mean gain and band shares (the columns of
    :func:`group_summary` before its intervals and effect sizes), with the means and SDs
    of the measured baselines and outcomes (``_mean_base``, ``_sd_base``...)."""
    out = g.agg(
        scale=("scale", "first"), n=("learner_id", "size"),
        n_learners=("learner_id", "nunique"), n_measured=("_measured", "sum"),
        n_too_soon=("_too_soon", "sum"), n_no_follow_up=("_none", "sum"),
        median_gain=("_gain", "median"), median_rate=("_rate", "median"),
        mean_gain=("_gain", "mean"),
        n_below=("_b_below", "sum"), n_expected=("_b_expected", "sum"),
        n_above=("_b_above", "sum"),
        _mean_base=("_base", "mean"), _mean_out=("_out", "mean"),
        _sd_base=("_base", "std"), _sd_out=("_out", "std"),
    )
    for col, q in (("gain", 0.25), ("gain", 0.75), ("rate", 0.25), ("rate", 0.75)):
        out[f"q{1 if q == 0.25 else 3}_{col}"] = g[f"_{col}"].quantile(q)  # linear, Cython
    out = out.reset_index()
    for c in ("n", "n_learners", "n_measured", "n_too_soon", "n_no_follow_up", "n_below",
              "n_expected", "n_above"):
        out[c] = out[c].astype("int64")
    out["n_banded"] = out["n_below"] + out["n_expected"] + out["n_above"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for b in BANDS:
            out[f"share_{b}"] = (out[f"n_{b}"] / out["n_banded"]).where(out["n_banded"] > 0)
    return out


def group_summary(progress: pd.DataFrame, by: Any = (), *, seed: int = DEFAULT_SEED,
                  confidence: float = 0.95, n_resamples: int = N_RESAMPLES, min_n: int = 2,
                  months_scales: Sequence[str] = ("standard_score",)) -> pd.DataFrame:
    """Change from baseline of groups of learners, per instrument and area.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area, e.g. ``"srb_id"``,
        ``"primary_need"``, ``"phase"``, ``"sex"``, ``"fsm"``, ``"year_group"``.
        Missing values form their own group.
    seed : int, default 2025
        Seed of the bootstrap (the same for every group, so a group's interval does not
        depend on the others).
    confidence : float, default 0.95
    n_resamples : int, default 9999
    min_n : int, default 2
        Fewest measured results for an interval (below: NaN and "too few to judge");
        never fewer than :data:`srb_eval.stats.intervals.T_INTERVAL_MIN_N`.
    months_scales : sequence of str, default ("standard_score",)
        Scales for which the EEF months-of-progress reading is given (see Notes).

    Returns
    -------
    DataFrame
        One row per instrument x area x group, sorted:

        - ``instrument``, ``scale``, ``area``, the ``by`` columns;
        - ``n``: results (progress rows) in the group; ``n_learners``: distinct learners;
          ``n_measured``: rows with ``status == "measured"``, used for every statistic
          below; ``n_too_soon``, ``n_no_follow_up``;
        - ``median_gain``, ``q1_gain``, ``q3_gain``; ``median_rate``, ``q1_rate``,
          ``q3_rate`` (quartiles: linear interpolation, numpy's default);
        - ``mean_gain``, ``ci_low``, ``ci_high``, ``ci_method``: mean gain with its
          interval (:func:`srb_eval.stats.intervals.mean_interval`: Student's t below
          :data:`~srb_eval.stats.intervals.BOOTSTRAP_MIN_N` measured results, where the
          bootstrap undercovers; from there the seeded bootstrap interval,
          :func:`srb_eval.stats.bootstrap.bootstrap_mean`), ``ci_method`` "t",
          "bootstrap" or "" (no interval); whether a report shows it is the report
          layer's rule (:mod:`srb_eval.report.progress_tables`);
        - ``n_banded``, ``n_below``, ``n_expected``, ``n_above``, ``share_below``,
          ``share_expected``, ``share_above`` (of ``n_banded``, 0-1);
        - ``effect_size`` (Hedges-corrected :math:`g_{av}` of the measured rows'
          baseline and latest scores, :func:`srb_eval.stats.change.g_av`), ``effect_type``;
        - ``months_progress``: indicative EEF months
          (:func:`srb_eval.measures.benchmarks.eef_months`), only for
          ``months_scales``;
        - ``note``: why something is missing, in words ("" when nothing is).

    Notes
    -----
    Gains are in the instrument's units, so groups are always split by instrument and
    area. Small groups: n < ``min_n`` gives no interval ("too few to judge"); identical
    gains give no interval ("all values equal: no interval": scipy's bootstrap
    degenerates); fewer than 3 give no effect size. Nothing raises.

    EEF months are given only for age-standardised scores by default: a standard score
    is already relative to same-age peers, so its change is a (weak) analogue of the
    Toolkit's "progress compared with similar pupils". For steps and age-equivalents, a
    pre-post change includes the progress every learner makes with age, and converting
    it to "months of additional progress" would mislead. Either way the reading is
    **indicative** (A3).

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall (BCa intervals, as ``scipy.stats.bootstrap``); Student (1908). The
       probable error of a mean. *Biometrika* 6(1), 1-25 (the t-interval).
    .. [2] Lakens, D. (2013). *Frontiers in Psychology*, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863
    .. [3] Hedges, L. V. (1981). *Journal of Educational Statistics*, 6(2), 107-128.
    .. [4] Education Endowment Foundation. *Teaching and Learning Toolkit*.
    """
    keys = group_keys(progress, by)
    need_columns(progress, ["learner_id", "instrument", "area", "scale", "status", "gain",
                             "rate", "band", "baseline_score", "outcome_score"], "progress")
    check(isinstance(seed, (int, np.integer)), "seed", "a whole number", seed)
    check(is_number(confidence) and 0 < confidence < 1, "confidence",
          "a number between 0 and 1", confidence)
    check(isinstance(n_resamples, (int, np.integer)) and n_resamples >= 100, "n_resamples",
          "a whole number of 100 or more", n_resamples)
    check(isinstance(min_n, (int, np.integer)) and min_n >= 1, "min_n",
          "a whole number of 1 or more", min_n)
    gkeys = ["instrument", "area", *keys]
    df = _with_flags(progress)
    g = df.groupby(gkeys, observed=True, dropna=False, sort=True)
    out = _counts_and_quartiles(g)
    # Hedges g_av of each group (stats.change.g_av) from the measured rows' means and SDs
    effect = g_av(out["_mean_base"], out["_mean_out"], out["_sd_base"], out["_sd_out"],
                  out["n_measured"].to_numpy())
    # an interval of each group's mean gain (stats.intervals.mean_interval: t or bootstrap)
    measured = df["_measured"].to_numpy(dtype=bool)
    gains = df.loc[measured, "_gain"].groupby(g.ngroup().to_numpy()[measured])
    cis = []
    for k in range(len(out)):  # one interval per group
        x = gains.get_group(k).to_numpy() if k in gains.groups else np.array([])
        cis.append(mean_interval(x, seed=seed, confidence=confidence, n_resamples=n_resamples)
                   if len(x) >= min_n else MeanInterval(np.nan, np.nan, "", TOO_FEW_TO_JUDGE))
    out["ci_low"] = [ci.low for ci in cis]
    out["ci_high"] = [ci.high for ci in cis]
    out["ci_method"] = [ci.method for ci in cis]
    notes = []
    for ci, e_note in zip(cis, effect.note, strict=True):
        enote = f"effect size: {e_note}" if e_note else ""
        notes.append("; ".join(w for w in dict.fromkeys([ci.note, enote]) if w))
    out["effect_size"] = effect.g_av
    out["effect_type"] = EFFECT_TYPE
    months = eef_months(out["effect_size"].to_numpy())
    in_scope = out["scale"].astype("str").isin(list(months_scales)).to_numpy()
    out["months_progress"] = np.where(in_scope, months, np.nan)
    out["note"] = notes
    zero = out["n_measured"] == 0
    out.loc[zero, "note"] = "no progress measured yet"
    cols = [*gkeys[:1], "scale", *gkeys[1:], "n", "n_learners", "n_measured", "n_too_soon",
            "n_no_follow_up", "median_gain", "q1_gain", "q3_gain", "median_rate", "q1_rate",
            "q3_rate", "mean_gain", "ci_low", "ci_high", "ci_method", "n_banded", "n_below",
            "n_expected", "n_above", "share_below", "share_expected", "share_above",
            "effect_size", "effect_type", "months_progress", "note"]
    return out[cols]


def band_summary(progress: pd.DataFrame, by: Any = ()) -> pd.DataFrame:
    """Expected-progress bands pooled over instruments and areas, by group.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress`.
    by : str or list of str, default ()
        Grouping columns (``"srb_id"``, ``"primary_need"``...). ``()`` gives one row.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``n_learners`` (distinct learners with a
        result), ``n_results`` (progress rows), ``n_banded`` (measured rows with a
        band), ``n_below``, ``n_expected``, ``n_above``, ``n_expected_or_above``,
        ``share_below``, ``share_expected``, ``share_above``, ``share_expected_or_above``
        (of ``n_banded``, 0-1; NaN when nothing is banded).

    Notes
    -----
    The unit is a result (learner x placement x instrument x area), so a learner
    assessed in four areas counts four times in ``n_banded``; ``n_learners`` says how
    many learners stand behind the results. Bands are comparable across instruments
    because each is judged against its own instrument's expectation (see
    :func:`srb_eval.measures.progress.learner_progress`).
    """
    keys = group_keys(progress, by)
    need_columns(progress, ["learner_id", "band"], "progress")
    df = progress[["learner_id", "band", *keys]].copy()
    for b in BANDS:
        df[f"_b_{b}"] = df["band"] == b
    if keys:
        g = df.groupby(keys, observed=True, dropna=False, sort=True)
    else:
        g = df.assign(_all=0).groupby("_all")
    out = g.agg(n_learners=("learner_id", "nunique"), n_results=("learner_id", "size"),
                n_below=("_b_below", "sum"), n_expected=("_b_expected", "sum"),
                n_above=("_b_above", "sum"))
    out = out.reset_index(drop=not keys)
    if not keys and out.empty:
        out = pd.DataFrame({c: [0] for c in ("n_learners", "n_results", "n_below",
                                             "n_expected", "n_above")})
    for c in ("n_learners", "n_results", "n_below", "n_expected", "n_above"):
        out[c] = out[c].astype("int64")
    out["n_banded"] = out["n_below"] + out["n_expected"] + out["n_above"]
    out["n_expected_or_above"] = out["n_expected"] + out["n_above"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for b in (*BANDS, "expected_or_above"):
            out[f"share_{b}"] = (out[f"n_{b}"] / out["n_banded"]).where(out["n_banded"] > 0)
    return out[[*keys, "n_learners", "n_results", "n_banded", "n_below", "n_expected",
                "n_above", "n_expected_or_above", "share_below", "share_expected",
                "share_above", "share_expected_or_above"]]


def group_label(by: str, value: object) -> str:
    """A group's name for readers: yes/no groups (free school meals) in words."""
    if isinstance(value, (bool, np.bool_)):
        if by == "fsm":
            return "free school meals" if value else "no free school meals"
        return "yes" if value else "no"
    return str(value)


def compare_groups(progress: pd.DataFrame, by: str, *, value: str = "rate",
                   min_n: int = COMPARE_MIN_N,
                   drop_small: bool = False) -> pd.DataFrame:
    """Do groups differ in progress? Kruskal-Wallis or Mann-Whitney, with an effect size.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress`.
    by : str
        The grouping column (``"primary_need"``, ``"srb_id"``, ``"sex"``, ``"fsm"``...).
        Rows with a missing group are left out.
    value : str, default "rate"
        ``"rate"``, ``"gain"``, ``"slope"`` or ``"progress_ratio"``.
    min_n : int, default 5
        Every compared group needs at least this many learners.
    drop_small : bool, default False
        False: if any group is below ``min_n``, no test ("too few to compare").
        True: leave small groups out and compare the rest (if two or more remain); the
        ``note`` names what was left out.

    Returns
    -------
    DataFrame
        One row per instrument x area: ``instrument``, ``area``, ``factor`` (= ``by``),
        ``value``, ``n_groups`` (compared), ``n`` (learners compared), ``min_group_n``,
        ``test`` ("Kruskal-Wallis H", "Mann-Whitney U" or ""), ``statistic``, ``p_val``,
        ``effect``, ``effect_type`` ("epsilon-squared" or "rank-biserial r"), ``groups``
        (the compared groups in order, ``;``-separated), ``note`` ("" when tested, else
        "too few to compare", "fewer than two groups" or "no variation").

    Notes
    -----
    Only measured rows; one row per learner (their latest placement) per instrument and
    area, so that every learner counts once.

    - Kruskal-Wallis H (``scipy.stats.kruskal``, tie-corrected) for k > 2 groups, with
      :math:`\\varepsilon^2_R = H / ((n^2 - 1)/(n + 1)) = H / (n - 1)` (Kelley 1935;
      Tomczak & Tomczak 2014).
    - Mann-Whitney U (``scipy.stats.mannwhitneyu``, two-sided, ``method="auto"``) for
      k = 2, with the rank-biserial correlation :math:`r = 2U_1/(n_1 n_2) - 1` (Kerby
      2014; equal to Wendt's :math:`1 - 2U_2/(n_1n_2)`): the share of pairs in which the
      first group (in sorted order) is higher minus the share in which it is lower, ties
      counting half.

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). *JASA*, 47(260), 583-621.
    .. [2] Mann, H. B., & Whitney, D. R. (1947). *Ann. Math. Statist.*, 18(1), 50-60.
    .. [3] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates
       revisited. *Trends in Sport Sciences*, 21(1), 19-25.
    .. [4] Kerby, D. S. (2014). The simple difference formula: an approach to teaching
       nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.
       https://doi.org/10.2466/11.IT.3.1
    """
    check(isinstance(by, str), "by", "one column name", by)
    group_keys(progress, [by])
    check(value in ("rate", "gain", "slope", "progress_ratio"), "value",
          '"rate", "gain", "slope" or "progress_ratio"', value)
    check(isinstance(min_n, (int, np.integer)) and min_n >= 2, "min_n",
          "a whole number of 2 or more", min_n)
    need_columns(progress, ["learner_id", "instrument", "area", "status", "outcome_date",
                             value], "progress")
    keep = (progress["status"] == STATUSES[0]) & progress[value].notna() & progress[by].notna()
    df = progress[list(dict.fromkeys(["learner_id", "instrument", "area", "outcome_date",
                                      value, by]))].loc[keep]
    df = df.sort_values(["learner_id", "instrument", "area", "outcome_date"], kind="stable")
    df = df.drop_duplicates(["learner_id", "instrument", "area"], keep="last")
    pairs = progress[["instrument", "area"]].drop_duplicates().sort_values(
        ["instrument", "area"])
    rows = []
    # rows of each instrument x area pair (in df order), found once
    pair_rows = df.groupby(["instrument", "area"], observed=True, sort=False).indices
    for inst, area in pairs.itertuples(index=False, name=None):  # instruments x areas
        sub = df.iloc[pair_rows.get((inst, area), np.array([], dtype=np.intp))]
        grouped = sub.groupby(by, observed=True, sort=True)
        sizes = grouped.size()
        small = sizes[sizes < min_n]
        big = sizes[sizes >= min_n]
        row = {"instrument": inst, "area": area, "factor": by, "value": value,
               "n_groups": 0, "n": 0, "min_group_n": int(sizes.min()) if len(sizes) else 0,
               "test": "", "statistic": np.nan, "p_val": np.nan, "effect": np.nan,
               "effect_type": "", "groups": "", "note": ""}
        if len(sizes) < 2:
            row["note"] = "fewer than two groups"
        elif len(small) and not drop_small:
            row["note"] = TOO_FEW_TO_COMPARE
        elif len(big) < 2:
            row["note"] = TOO_FEW_TO_COMPARE
        else:
            labels = list(big.index)
            at = grouped.indices  # each label's rows, in order
            vals = sub[value].to_numpy(dtype=float)
            samples = [vals[at[lab]] for lab in labels]
            allv = np.concatenate(samples)
            row.update(n_groups=len(labels), n=len(allv),
                       min_group_n=int(big.min()),
                       groups="; ".join(group_label(by, x) for x in labels))
            if len(small):
                row["note"] = (f"left out (fewer than {min_n}): "
                               + ", ".join(group_label(by, x) for x in small.index))
            if np.ptp(allv) == 0:
                row["note"] = "; ".join(x for x in (row["note"], "no variation") if x)
            else:
                test = (mann_whitney(*samples) if len(labels) == 2
                        else kruskal_wallis(samples))
                row.update(test._asdict())
        rows.append(row)
    cols = ["instrument", "area", "factor", "value", "n_groups", "n", "min_group_n", "test",
            "statistic", "p_val", "effect", "effect_type", "groups", "note"]
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"n_groups": "int64", "n": "int64", "min_group_n": "int64",
                       "statistic": float, "p_val": float, "effect": float})


def rci_summary(reliable: pd.DataFrame, by: Any = ()) -> pd.DataFrame:
    """Counts of reliable change by group (measured rows only).

    Parameters
    ----------
    reliable : DataFrame
        From :func:`reliable_change`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area.

    Returns
    -------
    DataFrame
        ``instrument``, ``area``, the ``by`` columns, ``n_learners``, ``n`` (results
        measured over at least a term), ``n_improved``, ``n_no_change``,
        ``n_deteriorated``, ``change_needed`` (points needed for reliable change).
    """
    keys = group_keys(reliable, by)
    need_columns(reliable, ["learner_id", "instrument", "area", "status", "rci_class",
                             "change_needed"], "reliable")
    df = reliable.loc[reliable["status"] == STATUSES[0]].copy()
    for c, cls in zip(("_imp", "_none", "_det"), RCI_CLASSES[::-1], strict=True):
        df[c] = df["rci_class"] == cls
    out = (df.groupby(["instrument", "area", *keys], observed=True, sort=True, dropna=False)
           .agg(n_learners=("learner_id", "nunique"), n=("learner_id", "size"),
                n_improved=("_imp", "sum"), n_no_change=("_none", "sum"),
                n_deteriorated=("_det", "sum"), change_needed=("change_needed", "first"))
           .reset_index())
    for c in ("n_learners", "n", "n_improved", "n_no_change", "n_deteriorated"):
        out[c] = out[c].astype("int64")
    return out


def band_count_column(label: str) -> str:
    """The column of a band summary that counts ``label``.

    >>> band_count_column("Above expected")
    'n_above_expected'
    """
    return "n_" + "".join(ch if ch.isalnum() else "_" for ch in label.lower()).strip("_")


def ratio_gain_summary(ratio: pd.DataFrame, by: Any = (), *,
                       bands: pd.DataFrame | None = None) -> pd.DataFrame:
    """Ratio gains and age-equivalent gaps by group.

    Parameters
    ----------
    ratio : DataFrame
        From :func:`ratio_gain`.
    by : str or list of str, default ()
        Grouping columns besides instrument and area.
    bands : DataFrame, optional
        The Brooks bands (:func:`brooks_bands`, the default), for the count columns.

    Returns
    -------
    DataFrame
        ``instrument``, ``area``, the ``by`` columns, ``n_learners``, ``n_measured``
        (ratio gains over at least a term), ``median_ratio_gain``, ``q1_ratio_gain``,
        ``q3_ratio_gain``, one count column per band (``n_`` + the label in snake case,
        e.g. ``n_modest_impact``), ``n_gap_known`` (results with a baseline gap),
        ``n_meets_guidance`` (baseline gap meets the placement guidance),
        ``median_gap_at_baseline_months`` and ``median_gap_at_outcome_months``.
    """
    keys = group_keys(ratio, by)
    need_columns(ratio, ["learner_id", "instrument", "area", "status", "ratio_gain",
                          "ratio_gain_band", "gap_at_baseline_months",
                          "gap_at_outcome_months", "meets_guidance_gap"], "ratio")
    b = brooks_bands() if bands is None else bands
    labels = list(dict.fromkeys(b["label"].astype("str")))
    df = ratio.copy()
    df["_rg"] = df["ratio_gain"].where(df["status"] == STATUSES[0])
    df["_known"] = df["meets_guidance_gap"].notna()
    df["_meets"] = df["meets_guidance_gap"].fillna(False).astype(bool)
    agg = {"n_learners": ("learner_id", "nunique"), "n_measured": ("_rg", "count"),
           "median_ratio_gain": ("_rg", "median")}
    for lab in labels:
        df[band_count_column(lab)] = df["ratio_gain_band"].astype("str") == lab
        agg[band_count_column(lab)] = (band_count_column(lab), "sum")
    agg |= {"n_gap_known": ("_known", "sum"), "n_meets_guidance": ("_meets", "sum"),
            "median_gap_at_baseline_months": ("gap_at_baseline_months", "median"),
            "median_gap_at_outcome_months": ("gap_at_outcome_months", "median")}
    g = df.groupby(["instrument", "area", *keys], observed=True, sort=True, dropna=False)
    out = g.agg(**agg)
    out.insert(3, "q1_ratio_gain", g["_rg"].quantile(0.25))
    out.insert(4, "q3_ratio_gain", g["_rg"].quantile(0.75))
    out = out.reset_index()
    for c in ("n_learners", "n_measured", "n_gap_known", "n_meets_guidance",
              *map(band_count_column, labels)):
        out[c] = out[c].astype("int64")
    return out


def coverage(progress: pd.DataFrame, placements: pd.DataFrame, *, srb: str = "all",
             window_start: Any = None, window_end: Any = None) -> pd.DataFrame:
    """How many learners have a baseline, a follow-up and progress measured.

    Parameters
    ----------
    progress : DataFrame
        The report's :func:`srb_eval.measures.progress.dataset_progress` over every
        resource base (with ``srb_id``; restricted to ``srb`` here), in the window.
    placements : DataFrame
        The ``placements`` table.
    srb : str, default "all"
    window_start, window_end : optional
        The window: a placement counts if it overlaps it.

    Returns
    -------
    DataFrame
        One row: ``learners_placed`` (distinct learners with a placement overlapping
        the window; for one SRB, those counted in it: a learner with a result in the
        SRB of their results, :func:`srb_eval.measures.progress.latest_placement_results`,
        any other in the SRB of their latest placement in the window,
        :func:`srb_eval.measures.attribution.latest_placements`), ``learners_assessed`` (with any result),
        ``learners_with_follow_up`` (a later result than the baseline),
        ``learners_measured`` (progress over at least a term, in any area),
        ``results``, ``results_measured``, ``results_too_soon``,
        ``results_no_follow_up``.
    """
    need_columns(placements, ["learner_id", "srb_id", "start_date", "end_date"],
                 "placements")
    need_columns(progress, ["learner_id", "status"], "progress")
    ws = iso_date(window_start, "window_start", optional=True)
    we = iso_date(window_end, "window_end", optional=True)
    # each learner in one SRB: that of their results (their latest placement with a
    # result), else that of their latest placement in the window
    p = latest_placements(placements, window_start=ws, window_end=we)
    placed = pd.Series(p["srb_id"].astype("str").to_numpy(),
                       index=p["learner_id"].astype("str").to_numpy())
    assessed = progress.drop_duplicates("learner_id")
    placed.update(pd.Series(assessed["srb_id"].astype("str").to_numpy(),
                            index=assessed["learner_id"].astype("str").to_numpy()))
    if srb != "all":
        placed = placed.loc[(placed == srb).to_numpy()]
        progress = progress.loc[(progress["srb_id"].astype("str") == srb).to_numpy()]
    st = progress["status"]
    lid = progress["learner_id"]
    return pd.DataFrame({
        "learners_placed": [len(placed)],
        "learners_assessed": [lid.nunique()],
        "learners_with_follow_up": [lid[st != STATUSES[2]].nunique()],
        "learners_measured": [lid[st == STATUSES[0]].nunique()],
        "results": [len(progress)],
        "results_measured": [int((st == STATUSES[0]).sum())],
        "results_too_soon": [int((st == STATUSES[1]).sum())],
        "results_no_follow_up": [int((st == STATUSES[2]).sum())],
    })


