"""Matched comparison: matching, balance, Hedges' g, the permutation test and the models,
each worked by hand on a tiny case; sensible answers at 1, 2 and 5 pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval import load_dataset
from srb_eval.errors import ParameterError
from srb_eval.measures import comparison as C
from srb_eval.stats import effects as E

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
MINIMAL = Path(__file__).parent / "data" / "minimal"


# --------------------------------------------------------------------------- stats


def test_hedges_g_and_its_interval_by_hand():
    # means 4 and 2, both SDs 1: d = 2; J = 1 - 3 / (4 * 4 - 1) = 0.8; g = 1.6
    # V_g = J^2 ((3 + 3) / 9 + d^2 / (2 * 6)) = 0.64 * (2/3 + 1/3) = 0.64, SE 0.8
    r = E.hedges_g([3, 4, 5], [1, 2, 3])
    z = 1.959963984540054
    assert r.g == pytest.approx(1.6)
    assert r.se == pytest.approx(0.8)
    assert (r.low, r.high) == pytest.approx((1.6 - z * 0.8, 1.6 + z * 0.8))
    assert (r.n_treated, r.n_control, r.note) == (3, 3, "")
    # unequal groups and spreads: s_p^2 = (1 * 2 + 2 * 1) / 3
    r = E.hedges_g([1, 3], [0, 1, 2])
    sp = np.sqrt(4 / 3)
    d = (2 - 1) / sp
    j = 1 - 3 / (4 * 3 - 1)
    assert r.g == pytest.approx(j * d)
    assert r.se == pytest.approx(j * np.sqrt(5 / 6 + d**2 / 10))


def test_hedges_g_small_and_degenerate_groups():
    assert np.isnan(E.hedges_g([1], [2, 3]).g)
    assert E.hedges_g([1], [2, 3]).note == "fewer than two learners in a group"
    assert E.hedges_g([2, 2], [2, 2]).note == "no spread in either group"
    assert np.isnan(E.hedges_g([], []).low)


def test_standardised_difference_by_hand():
    # means 2 and 5; variances 1 and 4: SMD = -3 / sqrt(2.5)
    assert E.standardised_difference([1, 2, 3], [3, 5, 7]) == pytest.approx(-3 / np.sqrt(2.5))
    assert E.standardised_difference([0, 1, 1, 0], [0, 1, 1, 0]) == 0.0
    assert np.isnan(E.standardised_difference([1], [2, 3]))


def test_paired_permutation_on_a_tiny_case():
    # differences 1, 2, 4: 8 sign patterns, means +-7/3, +-5/3, +-1/3, +-1;
    # |mean| >= 7/3 in 2 of 8: p = 0.25
    r = E.paired_permutation([2, 4, 9], [1, 2, 5])
    assert r.difference == pytest.approx(7 / 3)
    assert r.p_value == pytest.approx(0.25)
    assert r.exact and r.n_pairs == 3
    one = E.paired_permutation([5], [3])
    assert (one.difference, one.p_value, one.n_pairs) == (2.0, 1.0, 1)
    assert E.paired_permutation([], []).n_pairs == 0
    # many pairs: random sign patterns, seeded
    rng = np.random.default_rng(1)
    t, c = rng.normal(1, 1, 40), rng.normal(0, 1, 40)
    a = E.paired_permutation(t, c, seed=3, n_resamples=999)
    assert not a.exact and a.p_value == E.paired_permutation(t, c, seed=3,
                                                             n_resamples=999).p_value


def test_paired_permutation_enumerates_like_scipys_two_sample_test():
    # up to 2**n <= n_resamples every sign pattern is enumerated: p is scipy's paired
    # two-sample permutation test's, to the bit (8 pairs: 256 patterns)
    from scipy import stats

    rng = np.random.default_rng(1)
    t, c = np.round(rng.normal(110, 15, 8)), np.round(rng.normal(100, 15, 8))

    def mean_difference(x, y, axis):
        return np.mean(x - y, axis=axis)

    ref = stats.permutation_test((t, c), mean_difference, permutation_type="samples",
                                 vectorized=True, n_resamples=999)
    r = E.paired_permutation(t, c, n_resamples=999)
    assert r.exact
    assert 0 < ref.pvalue < 1
    assert r.p_value == ref.pvalue
    assert r.difference == ref.statistic


@pytest.mark.parametrize("shift, seed", [(0.0, 1), (4.0, 2), (8.0, 3)])
def test_random_sign_patterns_estimate_the_exact_p(shift, seed):
    # 14 pairs: 16,384 sign patterns, more than 9,999, so the test draws random ones
    # (scipy.stats.monte_carlo_test). Their p estimates the exact p of every pattern
    # (enumerated by scipy.stats.permutation_test with 16,384 resamples or more) within
    # the Monte Carlo error: 4 standard errors of a proportion of 9,999 draws, doubled
    # for two sides. A test drawing the wrong null (signs not flipped, or flipped on d
    # instead of |d| with another statistic) misses by far more.
    from scipy import stats

    rng = np.random.default_rng(seed)
    t = np.round(rng.normal(100 + shift, 15, 14))
    c = np.round(rng.normal(100, 15, 14))
    exact = stats.permutation_test((t - c,), np.mean, permutation_type="samples",
                                   vectorized=True, n_resamples=2**14).pvalue
    r = E.paired_permutation(t, c, seed=seed)
    assert not r.exact and r.n_pairs == 14
    half = min(exact / 2, 1 - exact / 2)
    assert abs(r.p_value - exact) <= 2 * 4 * np.sqrt(half * (1 - half) / 9999) + 2e-4, (
        r.p_value, exact)
    assert r == E.paired_permutation(t, c, seed=seed)  # seeded: the same again


def test_paired_permutation_draws_in_batches_with_the_same_result(monkeypatch):
    # #13: 9,999 sign patterns of 45,000 pairs drawn at once would hold 3.6 GB of random
    # numbers and as much again for the flipped differences. Drawn in batches the memory
    # is bounded and p is the same, to the bit, as drawn at once (the random numbers come
    # in the same order).
    import tracemalloc

    rng = np.random.default_rng(7)
    t, c = rng.normal(0.03, 1, 500), rng.normal(0, 1, 500)  # p well inside (0, 1)
    monkeypatch.setattr(E, "PERMUTATION_BATCH_VALUES", 100_000, raising=False)
    tracemalloc.start()
    batched = E.paired_permutation(t, c, seed=5, n_resamples=2000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10e6  # at once (2,000 x 500 values, drawn and flipped) about 17 MB
    monkeypatch.setattr(E, "PERMUTATION_BATCH_VALUES", 10**12, raising=False)  # one batch
    at_once = E.paired_permutation(t, c, seed=5, n_resamples=2000)
    assert 0.01 < batched.p_value < 0.99
    assert batched == at_once


def test_ancova_against_least_squares_by_hand():
    f = pd.DataFrame({"baseline": [1, 2, 3, 1, 2, 3], "placed": [1, 1, 1, 0, 0, 0],
                      "outcome": [3, 4, 6, 1, 2, 3]})
    # pooled within-group slope (3 + 2) / (2 + 2) = 1.25; equal mean baselines, so the
    # adjusted difference is the raw one: 13/3 - 2 = 7/3
    r = E.ancova(f)
    assert r.estimate == pytest.approx(7 / 3)
    x = np.column_stack([np.ones(6), f["baseline"], f["placed"]]).astype(float)
    y = f["outcome"].to_numpy(float)
    beta = np.linalg.solve(x.T @ x, x.T @ y)
    resid = y - x @ beta
    s2 = resid @ resid / (6 - 3)
    se = np.sqrt(s2 * np.linalg.inv(x.T @ x)[2, 2])
    assert r.se == pytest.approx(se)
    from scipy import stats
    t = stats.t.ppf(0.975, 3)
    assert (r.low, r.high) == pytest.approx((beta[2] - t * se, beta[2] + t * se))
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(beta[2] / se), 3))
    assert (r.n, r.n_clusters, r.note) == (6, 0, "")


def test_ancova_too_few_learners():
    f = pd.DataFrame({"baseline": [1, 2, 1, 2], "placed": [1, 1, 0, 0],
                      "outcome": [3, 4, 1, 2]})
    r = E.ancova(f)
    assert np.isnan(r.estimate) and "at least 5" in r.note


def _clustered(n_srbs: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_srbs):
        u = rng.normal(0, 2)
        for _ in range(8):
            b = rng.normal(75, 8)
            rows.append((f"SRB{k}", 1, b, 10 + 0.9 * b + 3 + u + rng.normal(0, 4)))
    for k in range(n_srbs):
        u = rng.normal(0, 2)
        for _ in range(8):
            b = rng.normal(75, 8)
            rows.append((f"SCH{k}", 0, b, 10 + 0.9 * b + u + rng.normal(0, 4)))
    return pd.DataFrame(rows, columns=["cluster", "placed", "baseline", "outcome"])


def test_multilevel_only_with_enough_srbs():
    f = _clustered(12)
    r = E.multilevel(f)
    assert r.note == "" and r.n_clusters == 24 and r.n == 192
    assert r.low < 3 < r.high  # the true effect is 3
    few = E.multilevel(_clustered(4))
    assert np.isnan(few.estimate)
    assert few.note == "a multilevel model needs learners from at least 10 SRBs; these " \
                       "are from 4"


# --------------------------------------------------------------------------- matching


def test_matching_a_tiny_table_by_hand():
    f = pd.DataFrame({
        "learner_id": ["T1", "T2", "T3", "C1", "C2", "C3", "C4"],
        "placed": [1, 1, 1, 0, 0, 0, 0],
        "sex": ["M", "M", "F", "M", "M", "F", "M"],
        "baseline": [70.0, 71.5, 60.0, 71.0, 74.0, 80.0, 90.0]})
    sd = np.sqrt((np.var([70, 71.5, 60], ddof=1) + np.var([71, 74, 80, 90], ddof=1)) / 2)
    m = C.match_learners(f, exact=["sex"], caliper_sd=3 / sd)  # a caliper of 3 points
    assert m.attrs["caliper"] == pytest.approx(3.0)
    # Closest pair first would take T2-C1 (0.5) and leave T1 with C2 (4 > 3): one pair.
    # Optimal matching takes T1-C1 (1) and T2-C2 (2.5): two pairs. T3 (F, 60) has no
    # comparison within 3 points (C3: 80); C4 is too far from everyone.
    pairs = m.set_index("learner_id")["pair"]
    assert pairs["T1"] == pairs["C1"] == 1
    assert pairs["T2"] == pairs["C2"] == 2
    assert pairs[["T3", "C3", "C4"]].isna().all()
    assert m.set_index("learner_id")["distance"][["T1", "T2"]].tolist() == [1.0, 2.5]
    # without exact matching on sex T3 still finds no one within the caliper
    assert C.match_learners(f, exact=[], caliper_sd=3 / sd)["pair"].notna().sum() == 4
    with pytest.raises(ParameterError):
        C.match_learners(f, caliper_sd=0)


def test_matching_one_placed_learner():
    f = pd.DataFrame({"learner_id": ["T1", "C1", "C2", "C3"], "placed": [1, 0, 0, 0],
                      "sex": "M", "baseline": [70.0, 72.0, 80.0, 90.0]})
    m = C.match_learners(f, exact=["sex"], caliper_sd=0.3)  # SD of C1-C3 alone: 9.0185
    assert m.attrs["caliper"] == pytest.approx(0.3 * np.std([72, 80, 90], ddof=1))
    assert m.set_index("learner_id")["pair"].tolist()[:2] == [1, 1]
    one_each = C.match_learners(f.iloc[:2], exact=["sex"])
    assert np.isnan(one_each.attrs["caliper"]) and one_each["pair"].isna().all()


def test_matching_holds_only_the_pairs_within_the_caliper():
    # #13: the largest stratum at England size is 8,732 x 11,066 learners, 770 MB a
    # matrix of distances (1.16 matrices at peak, and 125 CPU s for all strata with
    # linear_sum_assignment). The sparse graph holds only the pairs within the caliper:
    # here about 3% of all pairs, so well under a third of one dense matrix.
    import tracemalloc

    rng = np.random.default_rng(3)
    nt, nc = 800, 1200
    f = pd.DataFrame({"learner_id": [f"T{i:04d}" for i in range(nt)]
                      + [f"C{i:04d}" for i in range(nc)],
                      "placed": [1] * nt + [0] * nc,
                      "baseline": np.round(rng.normal(85, 15, nt + nc), 1)})
    tracemalloc.start()
    m = C.match_learners(f, exact=[], caliper_sd=0.05)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 0.3 * nt * nc * 8
    assert m["pair"].max() > 0.9 * nt


def _dense_reference(x, y, caliper):
    """The earlier rule: linear_sum_assignment on the dense matrix, W outside the caliper."""
    from scipy.optimize import linear_sum_assignment

    cost = np.abs(np.subtract.outer(x, y))
    outside = cost > caliper
    cost[outside] = caliper * (min(len(x), len(y)) + 1) + 1.0
    rows, cols = linear_sum_assignment(cost)
    keep = ~outside[rows, cols]
    return rows[keep], cols[keep]


@pytest.mark.parametrize("nx", [1, 2, 5])
@pytest.mark.parametrize("ny", [1, 2, 5])
def test_optimal_pairs_agree_with_linear_sum_assignment(nx, ny):
    # #13: the sparse matching (pairs within the caliper only) reaches the optimum of the
    # dense assignment: as many pairs, the same total distance, on random strata with
    # whole-number scores (many ties), real-valued ones, and calipers from none feasible
    # (0.25 on whole numbers apart) to all.
    rng = np.random.default_rng(100 * nx + ny)
    for trial in range(200):
        whole = trial % 2 == 0
        x = rng.integers(60, 75, nx).astype(float) if whole else rng.normal(70, 5, nx)
        y = rng.integers(60, 75, ny).astype(float) if whole else rng.normal(70, 5, ny)
        caliper = float(rng.choice([0.0, 0.25, 1.0, 2.0, 3.5, 50.0]))
        rows, cols = C.optimal_pairs(x, y, caliper)
        ref_rows, ref_cols = _dense_reference(x, y, caliper)
        assert len(rows) == len(ref_rows)
        assert np.abs(x[rows] - y[cols]).sum() == pytest.approx(
            np.abs(x[ref_rows] - y[ref_cols]).sum(), abs=1e-9)
        assert len(set(rows)) == len(rows) and len(set(cols)) == len(cols)
        assert (np.abs(x[rows] - y[cols]) <= caliper).all()
        assert (np.diff(rows) > 0).all()


def test_balance_table_by_hand():
    f = pd.DataFrame({
        "learner_id": ["T1", "T2", "C1", "C2", "C3"], "placed": [1, 1, 0, 0, 0],
        "baseline": [60.0, 62.0, 61.0, 63.0, 80.0], "year_group": [3, 5, 3, 5, 9],
        "female": [0.0, 1.0, 0.0, 1.0, 1.0],
        "pair": pd.array([1, 2, 1, 2, pd.NA], dtype="Int64")})
    b = C.balance_table(f).set_index("covariate")
    row = b.loc["baseline score"]
    assert row["srb_mean_before"] == 61 and row["comparison_mean_before"] == 68
    assert row["smd_before"] == pytest.approx((61 - 68) / np.sqrt((2 + 109) / 2))
    assert row["smd_after"] == pytest.approx((61 - 62) / np.sqrt((2 + 2) / 2))
    assert (row["n_srb_after"], row["n_comparison_after"], row["n_comparison_before"]) == \
        (2, 2, 3)
    assert b.loc["share female", "smd_after"] == 0.0
    assert "share eligible for free school meals" not in b.index  # no fsm column


def _pairs(n: int) -> pd.DataFrame:
    base = 60.0 + np.arange(n) * 3
    return pd.DataFrame({
        "learner_id": [f"T{i}" for i in range(n)] + [f"C{i}" for i in range(n)],
        "placed": [1] * n + [0] * n, "cluster": ["SRB1"] * n + ["SCH1"] * n,
        "baseline": np.concatenate([base, base + 1]),
        "outcome": np.concatenate([base + 4 + np.arange(n) % 2, base + 2]),
        "pair": pd.array(list(range(1, n + 1)) * 2, dtype="Int64")})


@pytest.mark.parametrize("n", [1, 2, 5])
def test_effects_at_one_two_and_five_pairs(n: int):
    e = C.effects_table(_pairs(n)).set_index("method")
    assert list(e.index) == ["hedges_g", "permutation", "ancova", "multilevel"]
    assert (e["n_srb"] == n).all() and (e["n_comparison"] == n).all()
    assert e.loc["permutation", "estimate"] == pytest.approx(2 + (n // 2) / n)
    assert e.loc["multilevel", "note"].startswith("a multilevel model needs learners from")
    if n == 1:
        assert np.isnan(e.loc["hedges_g", "estimate"])
        assert e.loc["hedges_g", "note"] == "fewer than two learners in a group"
        assert e.loc["permutation", "p_value"] == 1.0
    else:
        assert np.isfinite(e.loc["hedges_g", ["estimate", "low", "high"]].astype(float)).all()
    if n < 5:
        assert np.isnan(e.loc["ancova", "estimate"]) and e.loc["ancova", "note"]
    else:
        assert np.isfinite(e.loc["ancova", "estimate"])
        assert e.loc["permutation", "p_value"] == pytest.approx(2 / 32)  # exact, 32 signs


def test_no_pairs_gives_empty_rows_with_reasons():
    f = _pairs(2).assign(pair=pd.array([pd.NA] * 4, dtype="Int64"))
    e = C.effects_table(f).set_index("method")
    assert e["estimate"].isna().all()
    assert e.loc["permutation", "note"] == "no matched pairs"


# --------------------------------------------------------------------------- dataset


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO)


def test_comparison_frame_on_the_demo(demo):
    f = C.comparison_frame(demo)
    assert list(f["group"].unique()) == ["SRB", "comparison"]
    assert f["learner_id"].is_unique
    assert (f["elapsed_years"] >= C.MIN_YEARS).all()
    assert set(f["phase"]) <= {"primary", "secondary"}
    assert f.loc[f["placed"] == 1, "cluster"].str.startswith("SRB").all()
    assert f.loc[f["placed"] == 0, "cluster"].str.startswith("SCH").all()
    assert (f["gain"] == f["outcome"] - f["baseline"]).all()
    r = C.matched_comparison(demo)
    m = r.learners
    pairs = m.loc[m["pair"].notna()]
    assert pairs.groupby("pair")["placed"].agg(["sum", "size"]).eq([1, 2]).all().all()
    same = pairs.groupby("pair")[list(C.MATCH_ON)].nunique().eq(1).all().all()
    assert same and (pairs["distance"] <= r.caliper + 1e-9).all()
    bal = r.balance.set_index("covariate")
    assert abs(bal.loc["baseline score", "smd_after"]) < abs(
        bal.loc["baseline score", "smd_before"])


def test_propensity_logit_by_hand():
    # one binary covariate: the fitted probabilities are the placed shares of each level,
    # 1/3 at x = 0 and 2/3 at x = 1, so the logits are ln(1/2) and ln(2)
    f = pd.DataFrame({"placed": [1, 0, 0, 1, 1, 0], "x": [0, 0, 0, 1, 1, np.nan]})
    f.loc[5, "x"] = 1
    out = E.propensity_logit(f, ["x"])
    assert out == pytest.approx([np.log(0.5)] * 3 + [np.log(2)] * 3)
    f.loc[0, "x"] = np.nan
    assert np.isnan(E.propensity_logit(f, ["x"])[0])
    # perfect separation: no scores
    sep = pd.DataFrame({"placed": [1, 1, 1, 0, 0, 0], "x": [5, 6, 7, 1, 2, 3]})
    assert np.isnan(E.propensity_logit(sep, ["x"])).all()


def test_propensity_matching_on_the_demo(demo):
    r = C.matched_comparison(demo, by="propensity")
    m = r.learners
    pairs = m.loc[m["pair"].notna()]
    assert r.by == "propensity" and m.attrs["by"] == "propensity"
    assert pairs.groupby("pair")[list(C.MATCH_ON)].nunique().eq(1).all().all()
    d = pairs.groupby("pair")["propensity_logit"].agg(lambda x: x.max() - x.min())
    assert (d <= r.caliper + 1e-9).all() and len(d) > 0
    with pytest.raises(ParameterError):
        C.match_learners(m, by="age")


def test_missing_tables_are_named():
    ds = load_dataset(MINIMAL)
    assert C.missing_tables(ds) == ["comparison_learners", "comparison_assessments"]
    with pytest.raises(ParameterError, match="comparison_learners"):
        C.comparison_frame(ds)
