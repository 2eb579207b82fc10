"""The benchmark's three implementations agree: package == naive == DuckDB (small data).

``benchmarks/run.py`` times the package's functions against a naive reference
(``benchmarks/naive.py``) and an independent DuckDB SQL version
(``benchmarks/duckdb_ref.py``); a speed-up only counts if the answers are the same. These
tests run the agreement checks of every metric family on a 300-learner, three-year
synthetic dataset (and the loader's checks on a deliberately broken one), so a change
in a metric module that the references do not share fails here, not in a benchmark run.
Tolerances: ``benchmarks.run.RTOL`` / ``ATOL`` for numbers, exact for keys, text and dates.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from benchmarks import duckdb_ref, naive, run  # noqa: E402
from srb_eval.data.demo import _for_files, generate, write_demo  # noqa: E402
from srb_eval.data.io import load_dataset, write_dataset  # noqa: E402

SIZE = run.Size("test", "test", 300, 3, None, 1)
METRICS = [f for f in run.FAMILIES if f != "loading"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench300")
    write_demo(out, n_learners=SIZE.learners, years=SIZE.years, seed=2025, fmt="parquet")
    return out


@pytest.fixture(scope="module")
def ds(folder: Path):
    return load_dataset(folder)


def _all(family: str, inp) -> dict[str, dict[str, pd.DataFrame]]:
    return {impl: run.canonical(family, impl, run.run_impl(family, impl, inp, SIZE))
            for impl in run.IMPLS}


@pytest.mark.parametrize("family", METRICS)
def test_metric_family_agrees(family: str, ds):
    res = _all(family, ds)
    assert all(len(t) for t in res["package"].values()), "empty result: nothing compared"
    assert run.compare(family, res["package"], res["naive"]) == []
    assert run.compare(family, res["package"], res["duckdb"]) == []


def test_loading_agrees_on_valid_data(folder: Path):
    res = _all("loading", folder)
    assert res["package"]["problems"].empty
    for impl in ("naive", "duckdb"):
        assert run.compare("loading", res["package"], res[impl]) == []


def _broken(tmp_path: Path) -> Path:
    """A Parquet dataset with one problem of each kind the loader checks."""
    t = _for_files(generate(120, 2, seed=7))
    lr = t["learners"].astype({"sex": object})
    lr.loc[2, "sex"] = "Maybe"                                      # vocabulary
    lr = pd.concat([lr, lr.iloc[[4]]], ignore_index=True)            # duplicate key
    pl = t["placements"].astype({"srb_id": object})
    pl.loc[1, "srb_id"] = "NOPE"                                     # unknown SRB
    pl.loc[3, "end_date"] = pl.loc[3, "start_date"] - pd.Timedelta(days=30)  # row rule
    a = t["assessments"].astype({"learner_id": object, "area": object})
    a.loc[9, "learner_id"] = "LXXXX"                                 # unknown learner
    a.loc[19, "date"] = pd.Timestamp("1990-01-10")                   # age at assessment
    a.loc[29, "score"] = 999                                         # above max_score
    a.loc[39, "area"] = None                                         # empty required cell
    tg = t["targets"].copy()
    tg.loc[6, "attainment"] = 5                                      # not an allowed level
    s = t["srbs"].copy()
    s.loc[0, "capacity"] = -1                                        # below the range
    out = tmp_path / "broken"
    write_dataset({**t, "learners": lr, "placements": pl, "assessments": a, "targets": tg,
                   "srbs": s}, out, fmt="parquet")
    return out


def test_loading_agrees_on_broken_data(tmp_path: Path):
    folder = _broken(tmp_path)
    res = _all("loading", folder)
    found = set(map(tuple, res["package"]["problems"].to_numpy().tolist()))
    expected = {("learners", 3, "sex"), ("learners", 121, "learner_id"),
                ("placements", 2, "srb_id"), ("placements", 4, "start_date"),
                ("assessments", 10, "learner_id"), ("assessments", 20, "date"),
                ("assessments", 30, "score"), ("assessments", 40, "area"),
                ("targets", 7, "attainment"), ("srbs", 1, "capacity")}
    assert expected <= found
    for impl in ("naive", "duckdb"):
        assert run.compare("loading", res["package"], res[impl]) == [], impl


def test_compare_reports_a_difference(ds):
    res = run.canonical("targets", "package", run.run_impl("targets", "package", ds, SIZE))
    other = {k: v.copy() for k, v in res.items()}
    other["scores"].loc[other["scores"].index[3], "gas_t"] += 1e-6
    diffs = run.compare("targets", res, other)
    assert len(diffs) == 1 and "scores.gas_t: 1 of" in diffs[0]
    other["scores"] = other["scores"].iloc[1:]
    assert any("rows" in d for d in run.compare("targets", res, other))


def test_naive_subsample_matches_package_on_same_learners(ds):
    """The benchmark compares a naive run on a subsample with the package on the same
    learners: subsampling must keep each learner's records whole."""
    ids = run.sample_ids(ds, 40)
    sub = run.subsample(ds, ids)
    assert set(sub.learners["learner_id"]) == set(ids)
    assert set(sub.inclusion["learner_id"]) <= set(ids)
    pk = run.canonical("inclusion", "package", run.package_inclusion(sub))
    assert run.compare("inclusion", pk, naive.inclusion(sub)) == []
    assert dataclasses.replace(sub) is not ds


def test_duckdb_uses_every_core():
    con = duckdb_ref.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    assert int(threads) == (os.cpu_count() or 1)
