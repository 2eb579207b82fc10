"""Matched comparison: learners placed in an SRB against similar learners who were not.

The question an evaluator asks first is "compared with what?". This module pairs each
placed learner with a comparison learner (``comparison_learners``,
``comparison_assessments``: learners with additional learning needs who were not
placed) of the same need, phase and sex and the nearest baseline score, and measures
the difference in outcome. It cannot show that the SRB caused the difference: the
groups may differ in what was not recorded (why one learner was placed and the other
not), and learners placed because their baseline was lowest regress towards the mean
(:mod:`srb_eval.measures.regression_to_mean`); matching on the baseline reduces, but
does not remove, that bias when the baseline is measured with error.

Rules
-----
- **Which result.** One instrument and area (a standard score by default, as
  standard scores are comparable across ages). Baseline and outcome follow the
  progress rule (:func:`srb_eval.measures.progress.learner_progress`): the flagged
  baseline, else the first result; the outcome is the latest result. For placed
  learners the results of a whole stay count (a move between SRBs is one stay,
  :func:`srb_eval.measures.moves.srb_stays`), first stay only; for comparison learners
  all their results. Only learners with at least :data:`MIN_YEARS` between baseline
  and outcome.
- **Phase** is the phase of the learner's year group at the baseline (Reception to
  Year 6 primary, Year 7 up secondary), for both groups.
- **Matching** (:func:`match_learners`): exact on :data:`MATCH_ON` (configurable),
  then the nearest baseline within a caliper of :data:`CALIPER_SD` standard deviations
  of the baseline (the SD pooled over both groups, sqrt((s_t^2 + s_c^2) / 2); Cochran &
  Rubin 1973; Austin 2011), one comparison learner per placed learner, without
  replacement. Within each exact stratum the pairs are chosen by optimal matching
  (:func:`optimal_pairs`: ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
  on the pairs within the caliper): as many pairs within the caliper as possible, then
  the smallest total baseline distance (Rosenbaum 1989). When several matchings are
  equally optimal (the same number of pairs and the same total distance, common with
  whole-number scores), the solver's choice is kept: the same for the same data and
  SciPy version, but not a rule a reader can apply by hand, and another solver may
  choose another of them (see :func:`optimal_pairs`). With ``by="propensity"`` the
  distance is on the logit of a propensity score from the baseline and the year group
  (:data:`PROPENSITY_COVARIATES`) instead.
- **Clusters** (multilevel model): a placed learner's first SRB; a comparison learner's
  school (``school_id``; a learner without one is a cluster alone).

References
----------
Cochran, W. G. & Rubin, D. B. (1973). Controlling bias in observational studies: a
review. *Sankhya A*, 35(4), 417-446. Jonker, R. & Volgenant, A. (1987). A shortest
augmenting path algorithm for dense and sparse linear assignment problems. *Computing*,
38(4), 325-340. Rosenbaum, P. R. (1989). Optimal matching for
observational studies. *JASA*, 84(408), 1024-1032. Austin, P. C. (2011). Optimal caliper
widths for propensity-score matching. *Pharmaceutical Statistics*, 10(2), 150-161.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..stats import effects as E
from .calendar import year_group
from .columns import need_columns
from .moves import srb_stays
from .progress import learner_progress

#: Characteristics matched exactly by default.
MATCH_ON: tuple[str, ...] = ("primary_need", "phase", "sex")
#: Caliper, in standard deviations of the variable matched on (the baseline, or the
#: logit of the propensity score).
CALIPER_SD = 0.2
#: Covariates of the propensity score (``match_by="propensity"``), besides exact matching.
PROPENSITY_COVARIATES: tuple[str, ...] = ("baseline", "year_group")
#: Shortest time from baseline to outcome, years (two terms).
MIN_YEARS = 0.5
#: Default instrument and area: the demo's standard-score test, literacy.
DEFAULT_INSTRUMENT = "Standardised Attainment Test"
DEFAULT_AREA = "literacy"
#: Tables the comparison reads.
NEEDED_TABLES: tuple[str, ...] = ("assessments", "instruments", "comparison_learners",
                                  "comparison_assessments")
#: Covariates of the balance table: column and its words.
BALANCE_COVARIATES: dict[str, str] = {
    "baseline": "baseline score",
    "year_group": "year group at baseline",
    "elapsed_years": "years from baseline to outcome",
    "female": "share female",
    "fsm": "share eligible for free school meals",
}
_FRAME_COLUMNS = ["learner_id", "group", "placed", "cluster", "primary_need", "sex",
                  "phase", "year_group", "female", "fsm", "baseline_date", "baseline",
                  "outcome_date", "outcome", "elapsed_years", "gain"]


def compared_pairs(ds: Any, *, instrument: str = DEFAULT_INSTRUMENT,
                   area: str = DEFAULT_AREA) -> list[tuple[str, str]]:
    """The (instrument, area) pairs a comparison report compares.

    ``instrument`` and ``area`` each name one, or ``"all"``: every instrument (area) with
    results of both placed learners (``assessments``) and comparison learners
    (``comparison_assessments``). Named ones are returned as they are, so a name the data
    do not hold reaches :func:`matched_comparison`, which finds no learners.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> a = pd.DataFrame({"instrument": ["T", "T", "U"], "area": ["lit", "num", "lit"]})
    >>> ds = SimpleNamespace(assessments=a, comparison_assessments=a.iloc[:2])
    >>> compared_pairs(ds, instrument="all", area="all")
    [('T', 'lit'), ('T', 'num')]
    >>> compared_pairs(ds, instrument="T", area="num")
    [('T', 'num')]
    """
    if instrument != "all" and area != "all":
        return [(instrument, area)]
    cols = ["instrument", "area"]
    both = ds.assessments[cols].astype("str").drop_duplicates().merge(
        ds.comparison_assessments[cols].astype("str").drop_duplicates())
    if instrument != "all":
        both = both.loc[both["instrument"] == instrument]
    if area != "all":
        both = both.loc[both["area"] == area]
    return list(both.sort_values(cols).itertuples(index=False, name=None))


def missing_tables(ds: Any) -> list[str]:
    """The tables of :data:`NEEDED_TABLES` that ``ds`` lacks (or holds empty).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> missing_tables(SimpleNamespace(has=lambda t: t in ("assessments", "instruments")))
    ['comparison_learners', 'comparison_assessments']
    """
    return [t for t in NEEDED_TABLES if not ds.has(t)]


def _progress_rows(assessments: pd.DataFrame, spans: pd.DataFrame,
                   instruments: pd.DataFrame, people: pd.DataFrame, min_years: float
                   ) -> pd.DataFrame:
    """Baseline and outcome of each learner's first span (see the module rules)."""
    prog = learner_progress(assessments, spans, instruments)
    prog = prog.loc[(prog["status"] == "measured") & (prog["elapsed_years"] >= min_years)]
    prog = prog.sort_values(["learner_id", "placement_start"], kind="stable")
    prog = prog.drop_duplicates("learner_id", ignore_index=True)
    cols = ["learner_id", "birth_month", "sex", "primary_need"] + (
        ["fsm"] if "fsm" in people.columns else [])
    who = people[cols].astype({"learner_id": "str"})
    out = prog.merge(who, on="learner_id", how="left")
    if "fsm" not in out.columns:
        out["fsm"] = pd.NA
    return out


def comparison_frame(ds: Any, *, instrument: str = DEFAULT_INSTRUMENT,
                     area: str = DEFAULT_AREA, min_years: float = MIN_YEARS
                     ) -> pd.DataFrame:
    """One row per learner with a baseline and an outcome, placed or in comparison.

    Parameters
    ----------
    ds : Dataset
        With the tables of :data:`NEEDED_TABLES` (see :func:`missing_tables`).
    instrument, area : str
        The result compared.
    min_years : float
        Shortest time from baseline to outcome (years).

    Returns
    -------
    DataFrame
        ``learner_id``, ``group`` ("SRB" or "comparison"), ``placed`` (1 or 0),
        ``cluster``, ``primary_need``, ``sex``, ``phase`` ("primary"/"secondary" by year
        group at baseline), ``year_group``, ``female`` (1/0), ``fsm`` (1/0, NaN unknown),
        ``baseline_date``, ``baseline``, ``outcome_date``, ``outcome``,
        ``elapsed_years``, ``gain``; placed learners first, each group by
        ``learner_id``.

    Raises
    ------
    ParameterError
        A needed table is missing, or ``instrument`` or ``area`` has no results.
    """
    missing = missing_tables(ds)
    check_argument(not missing, "ds", "a dataset with the tables " + ", ".join(NEEDED_TABLES),
                   "a dataset without " + ", ".join(missing), error=ParameterError)
    check_argument(min_years >= 0, "min_years", "0 or more years", min_years,
                   error=ParameterError)

    def results(a: pd.DataFrame) -> pd.DataFrame:
        return a.loc[(a["instrument"].astype("str") == instrument)
                     & (a["area"].astype("str") == area)]

    a_srb, a_cmp = results(ds.assessments), results(ds.comparison_assessments)
    check_argument(len(a_srb) > 0 and len(a_cmp) > 0, "instrument and area",
                   "an instrument and area with results in both assessment tables",
                   f"{instrument} / {area}", error=ParameterError)

    stays = srb_stays(ds.placements)
    spans = stays[["learner_id", "first_srb_id", "start_date", "end_date"]].rename(
        columns={"first_srb_id": "srb_id"})
    placed = _progress_rows(a_srb, spans, ds.instruments, ds.learners, min_years)
    placed["cluster"] = placed["srb_id"].astype("str")

    cl = ds.comparison_learners
    first = a_cmp.groupby(a_cmp["learner_id"].astype("str"))["date"].min()
    school = (cl["school_id"].astype("str") if "school_id" in cl.columns
              else pd.Series(pd.NA, index=cl.index, dtype="str"))
    own = "own:" + cl["learner_id"].astype("str")
    pseudo = pd.DataFrame({"learner_id": cl["learner_id"].astype("str"),
                           "srb_id": school.fillna(own)})
    pseudo["start_date"] = pseudo["learner_id"].map(first)
    pseudo = pseudo.dropna(subset=["start_date"]).assign(end_date=pd.NaT)
    pseudo["end_date"] = pseudo["end_date"].astype("datetime64[ns]")
    compared = _progress_rows(a_cmp, pseudo, ds.instruments, cl, min_years)
    compared["cluster"] = compared["srb_id"].astype("str")

    both = pd.concat([placed.assign(group="SRB", placed=1),
                      compared.assign(group="comparison", placed=0)], ignore_index=True)
    yg = year_group(both["birth_month"], both["baseline_date"])
    out = pd.DataFrame({
        "learner_id": both["learner_id"].astype("str"),
        "group": both["group"],
        "placed": both["placed"].astype("int64"),
        "cluster": both["cluster"],
        "primary_need": both["primary_need"].astype("str"),
        "sex": both["sex"].astype("str"),
        "phase": np.where(yg.fillna(0).to_numpy() <= 6, "primary", "secondary"),
        "year_group": yg,
        "female": (both["sex"].astype("str") == "F").astype("float"),
        "fsm": both["fsm"].astype("Float64").astype("float"),
        "baseline_date": both["baseline_date"],
        "baseline": both["baseline_score"].astype("float"),
        "outcome_date": both["outcome_date"],
        "outcome": both["outcome_score"].astype("float"),
        "elapsed_years": both["elapsed_years"].astype("float"),
        "gain": both["gain"].astype("float"),
    })
    return out[_FRAME_COLUMNS]


def match_columns(exact: Any) -> list[str]:
    """The columns to match exactly: a sequence, or a comma-separated string, each one
    of :data:`MATCH_ON` (``"need"`` is read as ``primary_need``).

    Raises
    ------
    ParameterError
        A column that is not one of :data:`MATCH_ON`.

    Examples
    --------
    >>> match_columns("need, sex")
    ['primary_need', 'sex']
    >>> match_columns("")
    []
    """
    items = [x.strip() for x in exact.split(",")] if isinstance(exact, str) else list(exact)
    cols = ["primary_need" if x == "need" else x for x in items if x]
    bad = [c for c in cols if c not in MATCH_ON]
    check_argument(not bad, "match_on", "columns from " + ", ".join(MATCH_ON), exact,
                   error=ParameterError)
    return cols


def optimal_pairs(x: Any, y: Any, caliper: float) -> tuple[np.ndarray, np.ndarray]:
    """Optimal one-to-one pairs of two groups within a caliper (one exact stratum).

    Pairs ``x[i]`` (a placed learner) with ``y[j]`` (a comparison learner) only when
    ``|x[i] - y[j]| <= caliper``, each at most once, choosing first as many pairs as
    possible and then, among those, the smallest total distance (optimal matching with
    a caliper; Rosenbaum 1989).

    Only the pairs within the caliper enter the problem: a sparse graph of the placed
    learners (rows) and the comparison learners plus one "unmatched" column per placed
    learner, solved by ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
    (LAPJVsp, Jonker & Volgenant 1987). A pair weighs ``1 + distance``; placed learner
    ``i``'s own unmatched column weighs ``1 + W`` with ``W = caliper * (min(nx, ny) + 1)
    + 1``, more than any total distance of allowed pairs, so a full matching (every
    placed learner matched, to a comparison learner or to its unmatched column) always
    exists and the lightest one has the fewest unmatched, then the smallest total
    distance. The constant 1 (the solver takes no zero weights) adds ``len(x)`` to every
    full matching, so it changes no choice. This is the objective of
    ``scipy.optimize.linear_sum_assignment`` on the dense matrix of distances with ``W``
    outside the caliper, with memory in proportion to the pairs within the caliper.

    Ties: with whole-number scores several matchings can be equally optimal (the same
    number of pairs and the same total distance). Which of them is returned is the
    solver's, and depends on the order of the learners and of the edges: the graph is
    built in one canonical form (columns in the order of ``y`` within each row), so the
    choice is the same for the same input and SciPy version (:func:`match_learners`
    orders each group by ``learner_id``). ``linear_sum_assignment`` on the dense matrix
    (used before) chose other optimal matchings on the demo and England-size data, with
    the same number of pairs and the same total distance; every one of them meets the
    rule above.

    Parameters
    ----------
    x, y : array-like of float
        The variable matched on, of the placed and of the comparison learners (no NaN).
    caliper : float
        Largest distance of a pair (>= 0).

    Returns
    -------
    rows, cols : ndarray of int
        Positions in ``x`` and in ``y`` of the pairs, ``rows`` increasing.

    Examples
    --------
    >>> rows, cols = optimal_pairs([70.0, 71.5], [71.0, 74.0], 3.0)  # not 71.5-71 first
    >>> rows.tolist(), cols.tolist()
    ([0, 1], [0, 1])
    >>> optimal_pairs([60.0], [80.0], 3.0)[0].tolist()
    []
    """
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    none = np.array([], dtype=np.intp)
    if len(x) == 0 or len(y) == 0:
        return none, none
    rows, cols = min_weight_full_bipartite_matching(_caliper_graph(x, y, caliper))
    real = cols < len(y)
    return rows[real], cols[real]


def _caliper_graph(x: np.ndarray, y: np.ndarray, caliper: float) -> Any:
    """The sparse graph of :func:`optimal_pairs`: ``len(x)`` rows, ``len(y) + len(x)``
    columns, each placed learner's pairs within the caliper, then its unmatched column."""
    from scipy.sparse import csr_array

    nx, ny = len(x), len(y)
    # the comparison learners within the caliper of each placed learner: a window of
    # the sorted values, widened by a hair against rounding, then the exact rule
    order = np.argsort(y, kind="stable")
    ys = y[order]
    pad = 1e-9 * (caliper + np.abs(x).max() + np.abs(y).max())
    lo = np.searchsorted(ys, x - caliper - pad, side="left")
    counts = np.searchsorted(ys, x + caliper + pad, side="right") - lo
    rows = np.repeat(np.arange(nx, dtype=np.int32), counts)
    at = np.arange(len(rows))  # the k-th edge is number k - (its row's first) in the window
    at += (lo - (np.cumsum(counts) - counts))[rows]
    cols = order.astype(np.int32)[at]
    dist = x[rows]
    dist -= y[cols]
    np.abs(dist, out=dist)
    keep = dist <= caliper
    rows, cols, dist = rows[keep], cols[keep], dist[keep]
    # compressed sparse rows; weights as in optimal_pairs
    big = caliper * (min(nx, ny) + 1) + 1.0
    n = len(rows) + nx
    index = np.int32 if n < 2**31 else np.int64
    indptr = np.zeros(nx + 1, dtype=index)
    np.cumsum(np.bincount(rows, minlength=nx) + 1, out=indptr[1:])
    at = np.arange(len(rows)) + rows
    own = indptr[1:] - 1
    weight = np.empty(n)
    column = np.empty(n, dtype=index)
    weight[at], column[at] = 1.0 + dist, cols
    weight[own], column[own] = 1.0 + big, ny + np.arange(nx)
    graph = csr_array((weight, column, indptr), shape=(nx, ny + nx))
    graph.sort_indices()  # canonical: the solver's choice among ties depends on the order
    return graph


def match_learners(frame: pd.DataFrame, *, exact: Any = MATCH_ON,
                   caliper_sd: float = CALIPER_SD, by: str = "baseline") -> pd.DataFrame:
    """Pair each placed learner with a comparison learner (rules in the module notes).

    Parameters
    ----------
    frame : DataFrame
        As :func:`comparison_frame` returns (at least ``learner_id``, ``placed``,
        ``baseline`` and the ``exact`` columns).
    exact : str or sequence of str
        Columns matched exactly, from :data:`MATCH_ON` (may be empty; a string is
        comma-separated, as :func:`match_columns` reads it).
    caliper_sd : float
        Largest distance of a pair, in pooled standard deviations of the variable
        matched on (> 0).
    by : {"baseline", "propensity"}
        Match on the baseline score, or on the logit of a propensity score from the
        baseline and the year group at baseline
        (:func:`srb_eval.stats.effects.propensity_logit`, column ``propensity_logit``;
        Austin 2011's caliper of 0.2 SD of the logit). Exact matching applies either way.

    Returns
    -------
    DataFrame
        ``frame`` with ``pair`` (Int64: the same number for the two learners of a pair,
        numbered by placed learner; NA when unmatched) and ``distance`` (absolute
        difference within the pair of the variable matched on). ``attrs["caliper"]`` is
        the caliper in its units (score points for the baseline), ``attrs["by"]`` the
        variable. A group of one learner has no variance: the other group's alone
        gives the SD; with neither (one learner each) the caliper is NaN and only equal
        baselines are matched.

    Examples
    --------
    >>> f = pd.DataFrame({"learner_id": ["T1", "T2", "C1", "C2", "C3"],
    ...     "placed": [1, 1, 0, 0, 0], "sex": ["M", "M", "M", "M", "F"],
    ...     "baseline": [70.0, 75.0, 74.0, 90.0, 70.0]})
    >>> m = match_learners(f, exact=["sex"], caliper_sd=0.5)  # T2 with C1; T1 too far
    >>> m["pair"].tolist()
    [<NA>, 1, 1, <NA>, <NA>]
    """
    exact = match_columns(exact)
    need_columns(frame, ["learner_id", "placed", "baseline", *exact], "frame")
    check_argument(caliper_sd > 0, "caliper_sd", "a number above 0", caliper_sd,
                   error=ParameterError)
    check_argument(by in ("baseline", "propensity"), "match_by",
                   '"baseline" or "propensity"', by, error=ParameterError)
    f = frame.copy()
    if by == "propensity":
        need_columns(frame, list(PROPENSITY_COVARIATES), "frame")
        f["propensity_logit"] = E.propensity_logit(f, list(PROPENSITY_COVARIATES))
    on = "baseline" if by == "baseline" else "propensity_logit"
    f["pair"] = pd.array([pd.NA] * len(f), dtype="Int64")
    f["distance"] = np.nan
    placed = f["placed"] == 1
    variances = np.array([f.loc[placed, on].var(ddof=1), f.loc[~placed, on].var(ddof=1)])
    ok = ~np.isnan(variances)
    caliper = float(caliper_sd * np.sqrt(variances[ok].mean())) if ok.any() else np.nan
    limit = caliper if np.isfinite(caliper) else 0.0
    strata = f.groupby(exact, sort=True, observed=True, dropna=False) if exact else \
        [((), f)]
    pairs = []  # (placed row, comparison row, distance) of every stratum
    for _, g in strata:
        g = g.loc[g[on].notna()]
        t = g.loc[g["placed"] == 1].sort_values("learner_id")
        c = g.loc[g["placed"] == 0].sort_values("learner_id")
        if t.empty or c.empty:
            continue
        x, y = t[on].to_numpy(dtype=float), c[on].to_numpy(dtype=float)
        rows, cols = optimal_pairs(x, y, limit)
        pairs.append(pd.DataFrame({"t": t.index[rows], "c": c.index[cols],
                                   "d": np.abs(x[rows] - y[cols])}))
    if pairs:
        p = pd.concat(pairs).sort_values("t", ignore_index=True)
        number = np.arange(1, len(p) + 1)
        f.loc[p["t"], "pair"] = number
        f.loc[p["c"], "pair"] = number
        f.loc[p["t"], "distance"] = p["d"].to_numpy()
        f.loc[p["c"], "distance"] = p["d"].to_numpy()
    f.attrs["caliper"] = caliper
    f.attrs["by"] = by
    return f


def balance_table(matched: pd.DataFrame) -> pd.DataFrame:
    """Standardised mean differences of each covariate before and after matching.

    Parameters
    ----------
    matched : DataFrame
        As :func:`match_learners` returns.

    Returns
    -------
    DataFrame
        One row per covariate of :data:`BALANCE_COVARIATES` with any value:
        ``covariate`` (words), ``srb_mean_before``, ``comparison_mean_before``,
        ``smd_before``, ``srb_mean_after``, ``comparison_mean_after``, ``smd_after``
        (:func:`srb_eval.stats.effects.standardised_difference`; |SMD| < 0.1 is
        negligible), and the learners each mean is of: ``n_srb_before``,
        ``n_comparison_before``, ``n_srb_after``, ``n_comparison_after``.
    """
    need_columns(matched, ["placed", "pair"], "matched")
    after = matched["pair"].notna()
    rows = []
    for col, words in BALANCE_COVARIATES.items():
        if col not in matched.columns or matched[col].notna().sum() == 0:
            continue
        x = matched[col].astype("float")
        row = {"covariate": words}
        for when, keep in (("before", pd.Series(True, index=matched.index)), ("after", after)):
            t = x[keep & (matched["placed"] == 1)].dropna()
            c = x[keep & (matched["placed"] == 0)].dropna()
            row |= {f"srb_mean_{when}": t.mean() if len(t) else np.nan,
                    f"comparison_mean_{when}": c.mean() if len(c) else np.nan,
                    f"smd_{when}": E.standardised_difference(t, c),
                    f"n_srb_{when}": len(t), f"n_comparison_{when}": len(c)}
        rows.append(row)
    cols = ["covariate"] + [f"{k}_{w}" for w in ("before", "after")
                            for k in ("srb_mean", "comparison_mean", "smd")] + \
        [f"n_{g}_{w}" for w in ("before", "after") for g in ("srb", "comparison")]
    return pd.DataFrame(rows, columns=cols)


def effects_table(matched: pd.DataFrame, *, confidence: float = 0.95, seed: int = 2025,
                  n_resamples: int = E.PERMUTATION_RESAMPLES,
                  min_clusters: int = E.MIN_CLUSTERS
                  ) -> pd.DataFrame:
    """The effect on the outcome of the matched learners, by four methods.

    Parameters
    ----------
    matched : DataFrame
        As :func:`match_learners` returns.
    confidence : float
        Of the intervals.
    seed, n_resamples : int
        Of the permutation test (exact when ``2**pairs <= n_resamples``).
    min_clusters : int
        Fewest clusters for the multilevel model.

    Returns
    -------
    DataFrame
        One row per ``method``: "hedges_g" (standardised difference in outcome, placed
        minus comparison, with its interval), "permutation" (mean paired difference in
        score units and its two-sided p), "ancova" (difference at equal baseline,
        interval and p), "multilevel" (the same with a random intercept per SRB or
        school). Columns ``method``, ``estimate``, ``low``, ``high``, ``p_value``,
        ``n_srb``, ``n_comparison``, ``n_clusters``, ``note`` (why a row is empty).
    """
    need_columns(matched, ["placed", "pair", "outcome", "baseline"], "matched")
    m = matched.loc[matched["pair"].notna()]
    t = m.loc[m["placed"] == 1].sort_values("pair")
    c = m.loc[m["placed"] == 0].sort_values("pair")
    nt, nc = len(t), len(c)
    g = E.hedges_g(t["outcome"], c["outcome"], confidence=confidence)
    perm = E.paired_permutation(t["outcome"], c["outcome"], seed=seed,
                                n_resamples=n_resamples)
    a = E.ancova(m, confidence=confidence)
    ml = E.multilevel(m, confidence=confidence, min_clusters=min_clusters) \
        if "cluster" in m.columns else E.ModelEffect(*[np.nan] * 5, len(m), 0,
                                                    "no clusters given")
    nan = np.nan
    rows = [
        ("hedges_g", g.g, g.low, g.high, nan, nt, nc, 0, g.note),
        ("permutation", perm.difference, nan, nan, perm.p_value, nt, nc, 0,
         "" if perm.n_pairs else "no matched pairs"),
        ("ancova", a.estimate, a.low, a.high, a.p_value, nt, nc, 0, a.note),
        ("multilevel", ml.estimate, ml.low, ml.high, ml.p_value, nt, nc, ml.n_clusters,
         ml.note),
    ]
    return pd.DataFrame(rows, columns=["method", "estimate", "low", "high", "p_value",
                                       "n_srb", "n_comparison", "n_clusters", "note"])


@dataclass(frozen=True)
class MatchedComparison:
    """Everything report 60 shows (see :func:`matched_comparison`)."""

    learners: pd.DataFrame  #: :func:`match_learners` output
    balance: pd.DataFrame  #: :func:`balance_table` output
    effects: pd.DataFrame  #: :func:`effects_table` output
    caliper: float  #: in the units of the variable matched on
    exact: tuple[str, ...]
    by: str = "baseline"  #: the variable matched on: "baseline" or "propensity"
    caliper_sd: float = CALIPER_SD  #: the caliper as asked, in pooled SDs of that variable


def matched_comparison(ds: Any, *, instrument: str = DEFAULT_INSTRUMENT,
                       area: str = DEFAULT_AREA, exact: Any = MATCH_ON,
                       caliper_sd: float = CALIPER_SD, min_years: float = MIN_YEARS,
                       seed: int = 2025, by: str = "baseline") -> MatchedComparison:
    """The matched comparison of placed and comparison learners, as report 60 shows it.

    :func:`comparison_frame`, then :func:`match_learners`, :func:`balance_table` and
    :func:`effects_table` (parameters as theirs).
    """
    frame = comparison_frame(ds, instrument=instrument, area=area, min_years=min_years)
    matched = match_learners(frame, exact=exact, caliper_sd=caliper_sd, by=by)
    return MatchedComparison(matched, balance_table(matched),
                             effects_table(matched, seed=seed),
                             matched.attrs["caliper"], tuple(match_columns(exact)), by,
                             caliper_sd)
