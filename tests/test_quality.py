"""Coverage and table summary, against counts worked by hand on tests/data/minimal."""

from __future__ import annotations

from pathlib import Path

from srb_eval import load_dataset
from srb_eval.measures import quality

MINIMAL = Path(__file__).parent / "data" / "minimal"


def test_coverage_hand_worked():
    cov = quality.coverage(load_dataset(MINIMAL)).set_index("srb_id")
    # SRB01: L01 (3 dated steps), L02 (3 dates during 2021-23). SRB02: L02 (nothing
    # after 2023-09-04), L03 (one assessment). "all" counts each learner once.
    assert cov.loc["SRB01", ["learners", "with_baseline", "with_follow_up"]].tolist() == [2, 2, 2]
    assert cov.loc["SRB02", ["learners", "with_baseline", "with_follow_up"]].tolist() == [2, 1, 0]
    assert cov.loc["all", ["learners", "with_baseline", "with_follow_up"]].tolist() == [3, 3, 2]
    assert cov.loc["SRB01", "with_inclusion"] == 1 and cov.loc["SRB02", "with_inclusion"] == 1
    assert cov.loc["SRB01", "with_targets"] == 2 and cov.loc["SRB02", "with_targets"] == 0
    assert cov.loc["all", "without_targets"] == 1
    assert cov.loc["all", "srb_name"] == "All SRBs"


def test_table_summary():
    s = quality.table_summary(load_dataset(MINIMAL)).set_index("table")
    assert s.loc["placements", "rows"] == 4 and s.loc["placements", "learners"] == 3
    assert s.loc["srbs", "learners"] is not None
    assert str(s.loc["placements", "first_date"].date()) == "2020-05-01"
    assert s["supplied"].all()


def test_dates_in_placement_counts_distinct_dates_within_each_placement():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(4)
    start = pd.to_datetime("2024-09-01") + pd.to_timedelta(rng.integers(0, 300, 60), "D")
    end = pd.Series(start + pd.to_timedelta(rng.integers(0, 400, 60), "D"))
    end[::4] = pd.NaT
    placements = pd.DataFrame({"learner_id": [f"L{i % 25}" for i in range(60)],
                               "start_date": start, "end_date": end})
    events = pd.DataFrame({
        "learner_id": [f"L{i}" for i in rng.integers(0, 30, 900)],
        "date": pd.to_datetime("2024-06-01") + pd.to_timedelta(rng.integers(0, 800, 900), "D")})
    events.loc[::50, "date"] = pd.NaT
    got = quality.dates_in_placement(placements, events, "date")
    for i, row in placements.iterrows():  # the definition, one placement at a time
        ev = events.loc[(events["learner_id"] == row["learner_id"]) & events["date"].notna()]
        inside = (ev["date"] >= row["start_date"]) & (
            pd.isna(row["end_date"]) | (ev["date"] <= row["end_date"]))
        assert got[i] == ev.loc[inside, "date"].nunique(), i
    assert (got > 1).any() and (got == 0).any()
