"""The mix of primary needs on roll, its change between two dates, and whether it shifted.

The same measure as Fig. 2 of a local authority's 2020 SEN strategy (share of pupils by
SEN category at two dates), here for the learners on roll in SRBs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import ParameterError, check_argument
from ..params import iso_date
from ..stats.contingency import independence_test
from . import roll

__all__ = ["ALPHA", "TEST_MIN_N", "TOO_FEW_TEST", "need_flows", "need_mix", "need_mix_change", "need_mix_test"]

#: Note of a need-mix test not run for want of movers.
TOO_FEW_TEST = "too few to test"
#: Significance level at which a report calls the shift in need mix more than chance.
ALPHA = 0.05


def _on_roll_needs(p: pd.DataFrame, d: pd.Timestamp) -> pd.DataFrame:
    """Distinct learners on roll at ``d`` with their primary need."""
    return (p.loc[roll.on_roll(p, d), ["learner_id", "primary_need"]]
            .drop_duplicates("learner_id"))


def _only_in(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``a`` whose ``learner_id`` is not in ``b`` (an anti-join; both distinct)."""
    seen = a.merge(b[["learner_id"]], on="learner_id", how="left", indicator=True)
    return a[(seen["_merge"] == "left_only").to_numpy()]


def need_mix(ds: Any, census_dates: object) -> pd.DataFrame:
    """Learners on roll by primary need at one or more census dates.

    Parameters
    ----------
    ds : Dataset
    census_dates : date or list of dates

    Returns
    -------
    pandas.DataFrame
        One row per date and need present at any of the dates (needs in vocabulary
        order): ``census_date``, ``primary_need``, ``n``, ``n_total`` (learners on roll
        in any SRB), ``share`` (n / n_total; NaN when nobody is on roll).

    Notes
    -----
    .. math:: \text{share}_{j}(d) = \frac{n_j(d)}{N(d)}

    with :math:`n_j(d)` the distinct learners on roll on day *d* whose primary need is
    *j* and :math:`N(d)` all distinct learners on roll (a learner in two SRBs counts
    once). The same measure as Fig. 2 of the 2020 strategy [1]_, which gives it for
    all statemented pupils of the authority rather than SRB learners.

    References
    ----------
    .. [1] Monmouthshire County Council (2020). *Estyn R3: Articulate a clear strategy
       for SEN provision* (consultation draft), Fig 2.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_mix(ds, "2023-10-01")[["primary_need", "n", "n_total", "share"]].round(3)
      primary_need  n  n_total  share
    0          ASD  1        3  0.333
    1          SLD  1        3  0.333
    2         SEMH  1        3  0.333
    """
    roll.check_dataset(ds)
    return _need_mix(roll.placement_table(ds), roll.census_dates(census_dates))


def _need_mix(p: pd.DataFrame, dates: list[pd.Timestamp]) -> pd.DataFrame:
    """:func:`need_mix` of the placement table ``p`` (:func:`roll.placement_table`)."""
    frames = []
    for d in dates:
        on = _on_roll_needs(p, d)
        counts = on.groupby("primary_need").size()
        frames.append(pd.DataFrame({"census_date": d, "primary_need": counts.index.astype(
            "str"), "n": counts.to_numpy(), "n_total": len(on)}))
    out = pd.concat(frames, ignore_index=True)
    present = set(out["primary_need"])
    needs = [x for x in S.NEEDS if x in present] + sorted(present - set(S.NEEDS))
    grid = pd.MultiIndex.from_product([dates, needs], names=["census_date", "primary_need"])
    totals = out.drop_duplicates("census_date").set_index("census_date")["n_total"]
    full = (out.set_index(["census_date", "primary_need"])["n"].reindex(grid, fill_value=0)
            .reset_index())
    full["n_total"] = full["census_date"].map(totals).fillna(0).astype("int64")
    full["n"] = full["n"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        full["share"] = np.where(full["n_total"] > 0, full["n"] / full["n_total"], np.nan)
    full["primary_need"] = full["primary_need"].astype("str")
    return full


def need_flows(ds: Any, date_from: object, date_to: object) -> pd.DataFrame:
    """The learners who left and joined between two dates, with their primary need.

    Returns
    -------
    pandas.DataFrame
        One row per learner: ``learner_id``, ``primary_need`` and ``flow``: "leaver" (on
        roll in some SRB at ``date_from``, in none at ``date_to``) or "joiner" (the
        reverse). Leavers first.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_flows(ds, "2022-10-01", "2024-10-01")[["primary_need", "flow"]]
      primary_need    flow
    0         SEMH  leaver
    """
    roll.check_dataset(ds)
    d1, d2 = iso_date(date_from, "date_from"), iso_date(date_to, "date_to")
    return _need_flows(roll.placement_table(ds), d1, d2)


def _need_flows(p: pd.DataFrame, d1: pd.Timestamp, d2: pd.Timestamp) -> pd.DataFrame:
    """:func:`need_flows` of the placement table ``p`` (:func:`roll.placement_table`)."""
    a, b = _on_roll_needs(p, d1), _on_roll_needs(p, d2)
    out = pd.concat([_only_in(a, b).assign(flow="leaver"), _only_in(b, a).assign(flow="joiner")],
                    ignore_index=True)
    out["flow"] = out["flow"].astype("str")
    return out


def need_mix_change(ds: Any, date_from: object, date_to: object) -> pd.DataFrame:
    """The need mix on roll at two dates and its change, as in Fig. 2 of the strategy.

    Parameters
    ----------
    ds : Dataset
    date_from, date_to : date

    Returns
    -------
    pandas.DataFrame
        One row per need present at either date: ``primary_need``, ``n_from``,
        ``n_total_from``, ``share_from``, ``n_to``, ``n_total_to``, ``share_to``,
        ``change_points`` (100 x (share_to - share_from), percentage points),
        ``leavers`` (on roll at ``date_from`` but not ``date_to``) and ``joiners`` (the
        reverse). Shares are NaN when nobody is on roll at that date.

    Notes
    -----
    .. math:: \\Delta_j = 100\\,(n_{j,2}/N_2 - n_{j,1}/N_1)

    The change is made by the learners who left and joined in between (those on roll at
    both dates are the same learners); :func:`need_mix_test` tests it on those flows.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_mix_change(ds, "2022-10-01", "2024-10-01")[
    ...     ["primary_need", "n_from", "n_to", "change_points", "leavers", "joiners"]]
      primary_need  n_from  n_to  change_points  leavers  joiners
    0          ASD       1     1      16.666667        0        0
    1          SLD       1     1      16.666667        0        0
    2         SEMH       1     0     -33.333333        1        0
    """
    roll.check_dataset(ds)
    d1, d2 = iso_date(date_from, "date_from"), iso_date(date_to, "date_to")
    p = roll.placement_table(ds)  # built once for the mix and the flows
    mix = _need_mix(p, [d1, d2])
    flows = _need_flows(p, d1, d2)
    leavers = flows[flows["flow"] == "leaver"]
    joiners = flows[flows["flow"] == "joiner"]
    a = mix[mix["census_date"] == d1].set_index("primary_need")
    b = mix[mix["census_date"] == d2].set_index("primary_need")
    out = pd.DataFrame({
        "primary_need": a.index.astype("str"),
        "n_from": a["n"].to_numpy(), "n_total_from": a["n_total"].to_numpy(),
        "share_from": a["share"].to_numpy(),
        "n_to": b["n"].reindex(a.index).to_numpy(),
        "n_total_to": b["n_total"].reindex(a.index).to_numpy(),
        "share_to": b["share"].reindex(a.index).to_numpy()})
    out["change_points"] = (100 * (out["share_to"] - out["share_from"])).round(10)
    out["leavers"] = out["primary_need"].map(leavers.groupby("primary_need").size()
                                             ).fillna(0).astype("int64")
    out["joiners"] = out["primary_need"].map(joiners.groupby("primary_need").size()
                                             ).fillna(0).astype("int64")
    order = {n: i for i, n in enumerate(S.NEEDS)}
    out = out.sort_values("primary_need", key=lambda s: s.map(order).fillna(99),
                          kind="stable")
    return out.reset_index(drop=True)


#: Leavers and joiners :func:`need_mix_test` needs at least of each for a test.
TEST_MIN_N = 5


def need_mix_test(ds: Any, date_from: object, date_to: object, *, min_n: int = TEST_MIN_N,
                  n_resamples: int = 9999, seed: int = 2025) -> pd.DataFrame:
    """Is the shift in need mix between two dates more than chance?

    Compares the primary needs of the learners who *left* (on roll at ``date_from``,
    not at ``date_to``) with those who *joined* (the reverse): the mix changes only
    through them, and unlike the two rolls they are independent groups of different
    learners.

    Parameters
    ----------
    ds : Dataset
    date_from, date_to : date
    min_n : int, default 5
        Fewer leavers or fewer joiners than this: "too few to test".
    n_resamples : int, default 9999
        Monte Carlo tables for the Freeman-Halton test.
    seed : int, default 2025
        Seed of ``numpy.random.default_rng`` for the Monte Carlo test (same seed, same
        p-value).

    Returns
    -------
    pandas.DataFrame
        One row: ``date_from``, ``date_to``, ``n_leavers``, ``n_joiners``, ``n_needs``
        (needs among them), ``method`` ("chi-square", "Fisher exact",
        "Freeman-Halton (Monte Carlo)" or "none"), ``chi2`` (Pearson statistic),
        ``dof``, ``p_val``, ``cramers_v`` (effect size), ``min_n`` (as given) and
        ``note`` ("" or why there is no test).

    Notes
    -----
    Needs x {leavers, joiners} contingency table, needs with no learner dropped.

    - Fewer than ``min_n`` leavers or joiners, or only one need among them: no test.
    - Otherwise :func:`srb_eval.stats.contingency.independence_test`: Pearson's
      chi-square test (no continuity correction) when the expected counts meet
      Cochran's rule [1]_ (none below 1 and at most 20% below 5), else Fisher's exact
      test for a 2 x 2 table, or its r x 2 extension by Freeman and Halton [2]_ with a
      seeded Monte Carlo p-value (``scipy.stats.fisher_exact`` with
      ``MonteCarloMethod``).

    Effect size: Cramér's V [3]_,

    .. math:: \\chi^2 = \\sum_{ij} \\frac{(O_{ij} - E_{ij})^2}{E_{ij}}, \\quad
              V = \\sqrt{\\frac{\\chi^2}{N(\\min(r, c) - 1)}}

    With the small numbers of a single authority the test has little power: "no
    evidence of a shift" is not evidence of no shift.

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
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_mix_test(ds, "2022-10-01", "2024-10-01").loc[0, ["method", "note"]].tolist()
    ['none', 'too few to test (fewer than 5 leavers or joiners)']
    """
    d1, d2 = iso_date(date_from, "date_from"), iso_date(date_to, "date_to")
    k = roll.check_whole(min_n, "min_n", 1, 10_000)
    m = roll.check_whole(n_resamples, "n_resamples", 99, 1_000_000)
    check_argument(isinstance(seed, (int, np.integer)) and not isinstance(seed, bool), "seed",
                   "a whole number", seed, error=ParameterError)
    flows = need_flows(ds, d1, d2)
    leavers = flows[flows["flow"] == "leaver"]
    joiners = flows[flows["flow"] == "joiner"]
    table = pd.concat([leavers.groupby("primary_need").size().rename("leavers"),
                       joiners.groupby("primary_need").size().rename("joiners")],
                      axis=1).fillna(0).astype("int64")
    table = table[table.sum(axis=1) > 0]
    row = {"date_from": d1, "date_to": d2, "n_leavers": len(leavers),
           "n_joiners": len(joiners), "n_needs": len(table), "method": "none",
           "chi2": np.nan, "dof": pd.NA, "p_val": np.nan, "cramers_v": np.nan, "min_n": k,
           "note": ""}
    if len(leavers) < k or len(joiners) < k:
        row["note"] = f"{TOO_FEW_TEST} (fewer than {k} leavers or joiners)"
    elif len(table) < 2:
        row["note"] = "only one need among leavers and joiners: nothing to compare"
    else:
        test = independence_test(table.to_numpy(), n_resamples=m, seed=int(seed))
        row.update(test._asdict())
    out = pd.DataFrame([row])
    out["dof"] = out["dof"].astype("Int64")
    out["method"] = out["method"].astype("str")
    out["note"] = out["note"].astype("str")
    return out
