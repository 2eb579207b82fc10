"""Tests of the synthetic data generator :mod:`srb_eval.data.demo`.

Determinism (byte-identical files), the table contract (every table passes
``load_dataset`` and round-trips unchanged), and the built-in truths the reports rely
on, checked over several seeds so that no single lucky seed carries them.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval.data import schema as S
from srb_eval.data.demo import generate, write_demo
from srb_eval.data.io import load_dataset

SEEDS = (2025, 1, 7)
EXTRACT = pd.Timestamp("2026-08-31")  # the default data are as at 31 August 2026


@pytest.fixture(scope="module", params=SEEDS, ids=lambda s: f"seed{s}")
def tables(request: pytest.FixtureRequest) -> dict[str, pd.DataFrame]:
    return generate(150, 4, seed=request.param)


@pytest.fixture(scope="module")
def big() -> dict[str, pd.DataFrame]:
    """A larger authority, for checks that need more than 150 learners."""
    return generate(2000, 5)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())}


def _on_roll(placements: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    end = placements["end_date"].fillna(pd.Timestamp.max)
    return placements[(placements["start_date"] <= day) & (end >= day)]


def _core_share(inclusion: pd.DataFrame) -> pd.DataFrame:
    core = inclusion[inclusion["core"]]
    g = core.groupby(["learner_id", "period_start"])[
        ["minutes_mainstream", "minutes_timetabled"]].sum()
    return (g["minutes_mainstream"] / g["minutes_timetabled"]).rename("share").reset_index()


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    write_demo(tmp_path / "a")
    write_demo(tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert len(a) == 16  # fifteen tables and the README
    assert a == b


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    write_demo(tmp_path / "a", seed=2025)
    write_demo(tmp_path / "b", seed=2026)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["learners.csv"] != b["learners.csv"]
    assert a["assessments.csv"] != b["assessments.csv"]


def test_files_do_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    write_demo(tmp_path / "here", n_learners=60, years=3, seed=11)
    code = ("import sys; from srb_eval.data.demo import write_demo; "
            "write_demo(sys.argv[1], n_learners=60, years=3, seed=11)")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env)
    assert _digests(tmp_path / "here") == _digests(tmp_path / "there")


def test_parquet_is_deterministic_and_loads(tmp_path: Path) -> None:
    write_demo(tmp_path / "a", n_learners=80, years=3, fmt="parquet")
    write_demo(tmp_path / "b", n_learners=80, years=3, fmt="parquet")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    ds = load_dataset(tmp_path / "a")
    assert len(ds.learners) == 80
    assert len(ds.tables) == 15


def test_write_demo_leaves_one_copy_of_each_table(tmp_path: Path) -> None:
    write_demo(tmp_path, n_learners=40, years=2, fmt="parquet")
    files = write_demo(tmp_path, n_learners=40, years=2, fmt="csv", force=True)
    assert not list(tmp_path.glob("*.parquet"))
    assert sorted(p.name for p in files) == sorted(p.name for p in tmp_path.iterdir())
    load_dataset(tmp_path)


def test_write_demo_refuses_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fmt"):
        write_demo(tmp_path, fmt="xlsx")


# --------------------------------------------------------------------------- contract


def test_written_tables_pass_load_dataset_and_round_trip(tmp_path: Path) -> None:
    files = write_demo(tmp_path)
    assert [p.name for p in files] == [f"{t}.csv" for t in S.TABLES] + ["README.md"]
    ds = load_dataset(tmp_path)
    generated = generate()
    assert list(ds.tables) == list(S.TABLES)
    for name, loaded in ds.tables.items():
        pd.testing.assert_frame_equal(loaded, generated[name], check_dtype=False,
                                      check_categorical=False, obj=name)


def test_birth_month_is_written_as_year_and_month(tmp_path: Path) -> None:
    write_demo(tmp_path, n_learners=20, years=1)
    learners = pd.read_csv(tmp_path / "learners.csv", dtype=str)
    assert learners["birth_month"].str.fullmatch(r"\d{4}-\d{2}").all()


def test_columns_and_types_follow_the_schema() -> None:
    tables = generate(60, 2)
    assert list(tables) == list(S.TABLES)
    for name, df in tables.items():
        assert list(df.columns) == list(S.TABLES[name].columns()), name
        assert not any(c in S.IDENTIFIER_COLUMNS for c in df.columns if name != "srbs"), name
        for col, spec in S.TABLES[name].columns().items():
            kind = spec.metadata["kind"]
            if kind in ("date", "month"):
                assert df[col].dtype == "datetime64[ns]", (name, col)
                assert (df[col].dropna() == df[col].dropna().dt.normalize()).all()
            elif kind == "id":
                assert pd.api.types.is_string_dtype(df[col]), (name, col)
    assert tables["learners"]["fsm"].dtype == bool
    assert tables["inclusion"]["core"].dtype == bool
    assert (tables["learners"]["birth_month"].dt.day == 1).all()


def test_readme_says_the_data_are_synthetic(tmp_path: Path) -> None:
    write_demo(tmp_path, n_learners=30, years=2, seed=5)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in text.lower()
    assert "no real person" in text
    assert "seed 5" in text and "30 learners" in text
    for table in S.TABLES:
        assert f"`{table}`" in text


def test_learner_ids_are_padded_sequence_numbers() -> None:
    assert generate(150, 1)["learners"]["learner_id"].iloc[0] == "L0001"
    ids = generate(12_000, 1)["learners"]["learner_id"]
    assert ids.iloc[[0, -1]].tolist() == ["L00001", "L12000"]
    assert ids.is_unique


def test_rejects_empty_sizes() -> None:
    with pytest.raises(ValueError):
        generate(0)
    with pytest.raises(ValueError):
        generate(10, 0)


# --------------------------------------------------------------------------- realism


def test_srbs_cover_all_phases_with_strategy_capacities(tables: dict) -> None:
    srbs = tables["srbs"]
    assert len(srbs) >= 4
    assert set(srbs["phase"]) == set(S.PHASES)
    assert set(srbs["capacity"]) <= {8, 20, 55}
    assert srbs["srb_id"].str.fullmatch(r"SRB\d{2,}").all()
    assert srbs["name"].str.contains("SRB").all()


def test_placement_dates_are_in_order(tables: dict) -> None:
    p = tables["placements"]
    assert (p["referral_date"] <= p["panel_date"]).all()
    assert (p["panel_date"] <= p["start_date"]).all()
    ended = p["end_date"].notna()
    assert (p.loc[ended, "start_date"] <= p.loc[ended, "end_date"]).all()
    assert (p["panel_date"] - p["referral_date"]).dt.days.between(20, 90).all()
    assert (p["start_date"] - p["panel_date"]).dt.days.between(14, 250).all()
    assert p.loc[ended, "destination"].notna().all()
    assert p.loc[ended, "exit_reason"].notna().all()
    assert p.loc[~ended, ["exit_reason", "destination"]].isna().all().all()
    assert p["end_date"].isna().any()  # some still placed


def test_learners_are_age_appropriate_for_their_srb(tables: dict) -> None:
    p = tables["placements"].merge(tables["learners"][["learner_id", "birth_month"]])
    p = p.merge(tables["srbs"][["srb_id", "age_from", "age_to"]])
    age_in = (p["start_date"] - p["birth_month"]).dt.days / 365.25
    age_out = (p["end_date"].fillna(EXTRACT) - p["birth_month"]).dt.days / 365.25
    assert (age_in >= p["age_from"]).all()
    assert (age_out < p["age_to"] + 1).all()


def test_some_learners_have_two_placements_primary_then_secondary(tables: dict) -> None:
    p = tables["placements"].merge(tables["srbs"][["srb_id", "phase"]])
    p = p.sort_values(["learner_id", "start_date"])
    counts = p.groupby("learner_id").size()
    assert 0.01 <= (counts == 2).mean() <= 0.15
    assert counts.max() == 2
    twice = p[p["learner_id"].isin(counts.index[counts == 2])]
    first = twice.groupby("learner_id").nth(0)
    second = twice.groupby("learner_id").nth(1)
    assert (first["phase"] == "primary").all()
    assert (second["phase"] != "primary").all()
    assert (first["destination"] == "other_srb").all()


def test_exits_include_mainstream_returns_and_post_16_destinations() -> None:
    dest = pd.concat([generate(150, 4, seed=s)["placements"]["destination"] for s in SEEDS])
    counts = dest.value_counts()
    for d in ("mainstream", "other_srb", "further_education", "special_school"):
        assert counts[d] > 0, d


def test_some_srb_over_and_some_under_capacity(tables: dict) -> None:
    srbs = tables["srbs"].set_index("srb_id")
    census = _on_roll(tables["placements"], pd.Timestamp("2026-01-21"))
    on_roll = census.groupby("srb_id").size().reindex(srbs.index, fill_value=0)
    assert (on_roll > srbs["capacity"]).any()
    assert (on_roll < srbs["capacity"]).any()
    assert on_roll.sum() < srbs["capacity"].sum()  # unfilled places overall


def test_asd_is_the_most_common_need(tables: dict) -> None:
    needs = tables["learners"]["primary_need"].value_counts()
    assert needs.index[0] == "ASD"
    share = needs / needs.sum()
    assert 0.2 < share["ASD"] < 0.6


def test_some_learners_have_only_one_assessment(tables: dict) -> None:
    a = tables["assessments"]
    series = a.groupby(["learner_id", "instrument", "area"]).size()
    assert (series == 1).any()
    assert (series.groupby("learner_id").max() == 1).any()  # no follow-up yet at all


def test_assessments_are_within_range_age_and_placement(tables: dict) -> None:
    a = tables["assessments"].merge(tables["instruments"])
    assert a["score"].between(a["min_score"], a["max_score"]).all()
    assert (a["score"] == a["score"].round()).all()
    a = a.merge(tables["learners"][["learner_id", "birth_month"]])
    age = (a["date"] - a["birth_month"]).dt.days / 365.25
    assert age.between(3, 25).all()
    assert (a["date"].dt.day_of_week < 5).all()
    by_area = {i: set(g["area"]) for i, g in a.groupby("instrument")}
    assert by_area["Small Steps Tracker"] == {"literacy", "numeracy", "communication",
                                              "personal_social"}
    assert by_area["Reading Age Test"] == {"literacy"}


def test_baseline_flags_mark_first_results_in_about_half_the_srbs(tables: dict) -> None:
    a = tables["assessments"].sort_values("date")
    p = tables["placements"].sort_values("start_date")
    a = pd.merge_asof(a, p[["learner_id", "srb_id", "start_date"]], left_on="date",
                      right_on="start_date", by="learner_id")  # each result's placement
    flagging = a.groupby("srb_id")["is_baseline"].agg(lambda f: f.notna().all())
    unflagged = a.groupby("srb_id")["is_baseline"].agg(lambda f: f.isna().all())
    assert (flagging | unflagged).all()  # an SRB flags all its results or none
    assert flagging.any() and unflagged.any()

    a = a[a["srb_id"].map(flagging)]
    key = ["learner_id", "start_date", "instrument", "area"]
    first = a["date"] == a.groupby(key)["date"].transform("min")
    in_window = a["start_date"] >= pd.Timestamp("2022-09-01")
    expected = first & in_window
    assert (a["is_baseline"].astype(bool) == expected).all()


def test_progress_rates_differ_between_learners(tables: dict) -> None:
    a = tables["assessments"]
    steps = a[a["instrument"] == "Small Steps Tracker"]
    span = steps.groupby(["learner_id", "area"]).agg(
        first=("date", "min"), last=("date", "max"), lo=("score", "first"),
        hi=("score", "last"))
    span = span[(span["last"] - span["first"]).dt.days > 365]
    rate = (span["hi"] - span["lo"]) / ((span["last"] - span["first"]).dt.days / 365.25)
    assert (rate < 2).any() and (rate > 9).any()


def test_inclusion_rises_for_many_and_meets_exit_criterion_for_some(tables: dict) -> None:
    inc = tables["inclusion"]
    assert (inc["minutes_mainstream"] <= inc["minutes_timetabled"]).all()
    assert (inc["minutes_mainstream"] % 5 == 0).all()
    by_core = inc.groupby("core")[["minutes_mainstream", "minutes_timetabled"]].sum()
    share = by_core["minutes_mainstream"] / by_core["minutes_timetabled"]
    assert share[False] > share[True]

    core = _core_share(inc)
    slopes = {lid: np.polyfit(np.arange(len(g)), g["share"], 1)[0]
              for lid, g in core.groupby("learner_id") if len(g) >= 4}
    slopes = pd.Series(slopes)
    assert (slopes > 0.01).mean() > 0.3
    assert (slopes < -0.01).any()

    core["high"] = core["share"] >= 0.8
    core["run"] = core.groupby("learner_id")["high"].transform(
        lambda h: h & h.shift(1, fill_value=False))
    still = tables["placements"].loc[tables["placements"]["end_date"].isna(), "learner_id"]
    review = set(core.loc[core["run"], "learner_id"]) & set(still)
    assert review  # meet the exit criterion yet still placed


def test_targets_follow_a_half_yearly_cycle(tables: dict) -> None:
    t = tables["targets"]
    assert t["target_id"].str.fullmatch(r"T20\d\d[AB]-[1-5]").all()
    per_review = t.groupby(["learner_id", t["target_id"].str[:6]]).size()
    assert per_review.between(3, 5).all()
    open_ = t["review_date"].isna()
    assert open_.any()  # the cycle still open at the extract date
    assert t.loc[open_, "attainment"].isna().all()
    assert t.loc[~open_, "attainment"].isin([-2, -1, 0, 1, 2]).all()
    counts = t["attainment"].value_counts()
    assert counts[[0.0, 1.0]].sum() > counts.drop([0.0, 1.0]).sum()
    days = (t["review_date"] - t["set_date"]).dt.days.dropna()
    assert days.median() > 150
    assert set(t["weight"]) <= {1.0, 2.0}


def test_attendance_and_exclusions_are_plausible(tables: dict) -> None:
    att = tables["attendance"]
    assert (att["sessions_attended"] <= att["sessions_possible"]).all()
    assert att["sessions_possible"].median() in range(100, 160)
    rate = att.groupby("learner_id")[["sessions_attended", "sessions_possible"]].sum()
    rate = rate["sessions_attended"] / rate["sessions_possible"]
    assert 0.85 < rate.median() < 0.99
    assert (rate < 0.9).any()

    exc = tables["exclusions"]
    fixed = exc["kind"] == "fixed-term"
    assert exc.loc[fixed, "days"].between(1, 5).all()
    assert (exc["days"] > 0).all()


def test_need_mix_and_exclusions_at_scale(big: dict) -> None:
    learners = big["learners"]
    share = learners["primary_need"].value_counts(normalize=True)
    fig2 = {"ASD": 0.35, "PMED": 0.17, "SEMH": 0.17, "SLCN": 0.11}  # Fig. 2, 2020 strategy
    for need, expected in fig2.items():
        assert abs(share[need] - expected) < 0.06, need
    assert abs(share[["SLD", "MLD", "PMLD"]].sum() - 0.14) < 0.05
    exc = big["exclusions"].merge(learners[["learner_id", "primary_need"]])
    assert (exc["primary_need"] == "SEMH").mean() > 2 * share["SEMH"]
    assert abs(learners["fsm"].mean() - 0.4) < 0.05
    assert abs((learners["sex"] == "M").mean() - 0.7) < 0.05
    assert (learners["home_authority"] == learners["home_authority"].mode()[0]).mean() > 0.85
    assert learners["statutory_plan"].value_counts().index[0] == "IDP"


def test_qualifications_for_learners_aged_15_to_18(tables: dict) -> None:
    q = tables["qualifications"].merge(tables["learners"][["learner_id", "birth_month"]])
    assert len(q)
    age = (q["award_date"] - q["birth_month"]).dt.days / 365.25
    assert age.between(14.8, 19).all()
    assert q["award_date"].dt.month.isin([7, 8]).all()
    assert {"GCSE", "Entry Level Certificate", "Essential Skills Wales"} <= set(
        q["qualification"])


def test_permanent_exclusion_ends_the_placement() -> None:
    tables = generate(3000, 5, seed=4)
    exc, p = tables["exclusions"], tables["placements"]
    perm = exc[exc["kind"] == "permanent"]
    assert len(perm) > 0
    ends = perm.merge(p, left_on=["learner_id", "start_date"],
                      right_on=["learner_id", "end_date"])
    assert len(ends) == len(perm)
    assert (ends["exit_reason"] == "Permanently excluded").all()


# --------------------------------------------------------------------------- scale


def test_scale_generate_2000_learners_5_years(big: dict) -> None:
    tables = big
    assert len(tables["learners"]) == 2000
    assert all(len(df) > 0 for df in tables.values())
    assert 40 <= len(tables["srbs"]) <= 80  # about one SRB per 30-40 learners
    assert len(tables["inclusion"]) > 100_000
