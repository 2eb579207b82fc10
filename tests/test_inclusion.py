"""The inclusion measures and their report words against values worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from srb_eval import ParameterError, load_dataset
from srb_eval.errors import AudienceError
from srb_eval.measures import inclusion as M
from srb_eval.measures import inclusion_data as P
from srb_eval.measures import inclusion_groups as G
from srb_eval.measures import inclusion_trends as T
from srb_eval.measures import subjects as S
from srb_eval.measures.attribution import attach_srb
from srb_eval.report import disclosure, text_checks
from srb_eval.report import inclusion as W
from srb_eval.report import inclusion_tables as D
from srb_eval.report import inclusion_thresholds as TH

from .conftest import MINIMAL

COLS = ["learner_id", "period_start", "period_end", "subject", "core", "minutes_mainstream",
        "minutes_timetabled"]


def inc(rows: list[tuple]) -> pd.DataFrame:
    """An inclusion table from (learner, start, end, subject, core, mainstream, timetabled)."""
    df = pd.DataFrame(rows, columns=COLS)
    df["period_start"] = pd.to_datetime(df["period_start"])
    df["period_end"] = pd.to_datetime(df["period_end"])
    df["core"] = df["core"].astype("boolean")
    return df.astype({"minutes_mainstream": float, "minutes_timetabled": float})


def placements(rows: list[tuple]) -> pd.DataFrame:
    """A placements table from (learner, srb, start, end or None)."""
    df = pd.DataFrame(rows, columns=["learner_id", "srb_id", "start_date", "end_date"])
    df["start_date"] = pd.to_datetime(df["start_date"])
    df["end_date"] = pd.to_datetime(df["end_date"])
    return df


def shares_frame(rows: list[tuple]) -> pd.DataFrame:
    """Shares from (learner, term_index, inclusion_share[, core_share])."""
    df = pd.DataFrame([r if len(r) == 4 else (*r, np.nan) for r in rows],
                      columns=["learner_id", "term_index", "inclusion_share",
                               "core_inclusion_share"])
    df["period"] = "t" + df["term_index"].astype(str)
    start = pd.Timestamp("2020-09-01") + pd.to_timedelta(df["term_index"] * 120, unit="D")
    df["period_start"] = start
    df["period_end"] = start + pd.Timedelta(days=119)
    return df


# --------------------------------------------------------------------------- learner_shares


def test_term_shares_are_ratios_of_sums():
    out = M.learner_shares(inc([
        ("L1", "2023-09-04", "2023-12-20", "English", True, 60, 240),
        ("L1", "2023-09-04", "2023-12-20", "art", False, 120, 120),
        ("L1", "2024-01-08", "2024-03-28", "English", True, 120, 240),
    ]))
    assert out["period"].tolist() == ["2023/24 autumn", "2023/24 spring"]
    # autumn: (60 + 120) / (240 + 120) = 180 / 360 = 0.5; core 60 / 240 = 0.25
    # spring: 120 / 240 = 0.5; core the same
    assert out["minutes_mainstream"].tolist() == [180.0, 120.0]
    assert out["minutes_timetabled"].tolist() == [360.0, 240.0]
    assert out["inclusion_share"].tolist() == [0.5, 0.5]
    assert out["core_minutes_mainstream"].tolist() == [60.0, 120.0]
    assert out["core_minutes_timetabled"].tolist() == [240.0, 240.0]
    assert out["core_inclusion_share"].tolist() == [0.25, 0.5]
    # calendar bounds of the terms, not of the records; 3 terms a school year from 2023
    assert out["period_start"].tolist() == [pd.Timestamp("2023-09-01"),
                                            pd.Timestamp("2024-01-01")]
    assert out["period_end"].tolist() == [pd.Timestamp("2023-12-31"),
                                          pd.Timestamp("2024-03-31")]
    assert out["term_index"].tolist() == [3 * 2023 + 0, 3 * 2023 + 1]
    assert list(out.columns) == ["learner_id", "period", "period_start", "period_end",
                                 "term_index", "minutes_mainstream", "minutes_timetabled",
                                 "inclusion_share", "core_minutes_mainstream",
                                 "core_minutes_timetabled", "core_inclusion_share"]


def test_partial_weeks_are_allocated_by_their_start():
    data = inc([
        ("L1", "2024-01-29", "2024-02-02", "English", True, 120, 240),  # Monday, ISO W05
        ("L1", "2024-01-31", "2024-02-06", "art", False, 60, 60),  # Wednesday to Tuesday
        ("L1", "2024-02-05", "2024-02-09", "English", True, 0, 240),  # Monday, W06
    ])
    week = M.learner_shares(data, period="week")
    assert week["period"].tolist() == ["2024-W05", "2024-W06"]
    assert week["period_start"].tolist() == [pd.Timestamp("2024-01-29"),
                                             pd.Timestamp("2024-02-05")]
    assert week["period_end"].tolist() == [pd.Timestamp("2024-02-04"),
                                           pd.Timestamp("2024-02-11")]
    # W05 holds the whole partial record: (120 + 60) / (240 + 60) = 180 / 300 = 0.6;
    # core 120 / 240 = 0.5. W06: 0 / 240 = 0, a real 0% (minutes were timetabled).
    assert week["inclusion_share"].tolist() == [0.6, 0.0]
    assert week["core_inclusion_share"].tolist() == [0.5, 0.0]
    # one week later on the term scale: 7 days / (365.2425 / 3 days)
    assert week["term_index"].diff().iloc[1] == pytest.approx(7 / (365.2425 / 3))
    term = M.learner_shares(data, period="term")
    # all three in spring 2023/24: 180 / 540 = 1/3; core 120 / 480 = 0.25
    assert term["period"].tolist() == ["2023/24 spring"]
    assert term["inclusion_share"].iloc[0] == pytest.approx(1 / 3)
    assert term["core_inclusion_share"].iloc[0] == 0.25


def test_week_label_uses_the_iso_year_and_terms_split_at_new_year():
    data = inc([
        ("L1", "2024-12-30", "2024-12-31", "English", True, 30, 60),  # Monday
        ("L1", "2025-01-01", "2025-01-03", "English", True, 60, 60),  # Wednesday, same week
    ])
    week = M.learner_shares(data, period="week")
    # 30 December 2024 is in ISO week 1 of 2025: (30 + 60) / (60 + 60) = 0.75
    assert week["period"].tolist() == ["2025-W01"]
    assert week["period_start"].iloc[0] == pd.Timestamp("2024-12-30")
    assert week["period_end"].iloc[0] == pd.Timestamp("2025-01-05")
    assert week["inclusion_share"].iloc[0] == 0.75
    term = M.learner_shares(data, period="term")
    # by month: December is autumn, January spring: 30/60 = 0.5 and 60/60 = 1.0
    assert term["period"].tolist() == ["2024/25 autumn", "2024/25 spring"]
    assert term["inclusion_share"].tolist() == [0.5, 1.0]


@pytest.mark.parametrize("period, date, label, start, end, index", [
    ("term", "2024-03-31", "2023/24 spring", "2024-01-01", "2024-03-31", 6070.0),
    ("term", "2024-04-01", "2023/24 summer", "2024-04-01", "2024-08-31", 6071.0),
    ("term", "2024-08-31", "2023/24 summer", "2024-04-01", "2024-08-31", 6071.0),
    ("term", "2024-09-01", "2024/25 autumn", "2024-09-01", "2024-12-31", 6072.0),
    ("half_term", "2023-10-31", "2023/24 autumn 1", "2023-09-01", "2023-10-31", 6069.0),
    ("half_term", "2023-11-01", "2023/24 autumn 2", "2023-11-01", "2023-12-31", 6069.5),
    ("half_term", "2024-02-29", "2023/24 spring 1", "2024-01-01", "2024-02-29", 6070.0),
    ("half_term", "2024-03-01", "2023/24 spring 2", "2024-03-01", "2024-03-31", 6070.5),
    ("half_term", "2024-05-31", "2023/24 summer 1", "2024-04-01", "2024-05-31", 6071.0),
    ("half_term", "2024-06-01", "2023/24 summer 2", "2024-06-01", "2024-08-31", 6071.5),
    ("school_year", "2024-08-31", "2023/24", "2023-09-01", "2024-08-31", 6069.0),
    ("school_year", "2024-09-01", "2024/25", "2024-09-01", "2025-08-31", 6072.0),
    ("school_year", "1999-12-01", "1999/00", "1999-09-01", "2000-08-31", 5997.0),
])
def test_calendar_rules(period, date, label, start, end, index):
    out = M.learner_shares(inc([("L1", date, date, "English", True, 1, 2)]), period=period)
    assert out["period"].tolist() == [label]
    assert out["period_start"].iloc[0] == pd.Timestamp(start)
    assert out["period_end"].iloc[0] == pd.Timestamp(end)
    assert out["term_index"].iloc[0] == index


def test_a_term_with_nothing_timetabled_is_no_data_not_zero():
    out = M.learner_shares(inc([
        ("L2", "2023-09-04", "2023-12-20", "English", True, 0, 0),
        ("L2", "2023-09-04", "2023-12-20", "art", False, 0, 0),
        ("L2", "2024-01-08", "2024-03-28", "art", False, 30, 60),  # no core timetabled
    ]))
    assert out["minutes_timetabled"].tolist() == [0.0, 60.0]
    assert np.isnan(out["inclusion_share"].iloc[0])  # 0 / 0: no data, not 0%
    assert out["inclusion_share"].iloc[1] == 0.5  # 30 / 60
    assert out["core_inclusion_share"].isna().all()  # no core minutes in either term


def test_core_subjects_override_the_flag_case_insensitively():
    data = inc([
        ("L1", "2023-09-04", "2023-12-20", "ENGLISH ", False, 30, 60),
        ("L1", "2023-09-04", "2023-12-20", " Maths", False, 10, 40),
        ("L1", "2023-09-04", "2023-12-20", "art", True, 100, 100),
    ])
    flagged = M.learner_shares(data)
    # the table's flag: only art is core: 100 / 100
    assert flagged["core_inclusion_share"].iloc[0] == 1.0
    named = M.learner_shares(data, core_subjects=["english", "maths"])
    # by name, case and spaces ignored: (30 + 10) / (60 + 40) = 0.4; overall unchanged
    assert named["core_inclusion_share"].iloc[0] == 0.4
    assert named["inclusion_share"].iloc[0] == flagged["inclusion_share"].iloc[0] == 0.7
    default = M.learner_shares(data, core_subjects=M.DEFAULT_CORE_SUBJECTS)
    # "Maths" is not "mathematics": only English is core: 30 / 60
    assert default["core_inclusion_share"].iloc[0] == 0.5


def test_missing_minutes_and_flags():
    data = inc([
        ("L1", "2023-09-04", "2023-12-20", "English", True, 30, 60),
        ("L1", "2023-09-04", "2023-12-20", "art", False, np.nan, 60),  # left out
        ("L1", "2023-09-04", "2023-12-20", "music", None, 40, 40),  # flag missing: not core
    ])
    out = M.learner_shares(data)
    # (30 + 40) / (60 + 40) = 0.7; core 30 / 60 = 0.5
    assert out["inclusion_share"].iloc[0] == 0.7
    assert out["core_inclusion_share"].iloc[0] == 0.5


def test_learner_shares_empty_and_bad_arguments():
    empty = M.learner_shares(inc([]))
    assert len(empty) == 0 and "inclusion_share" in empty.columns
    data = inc([("L1", "2023-09-04", "2023-12-20", "English", True, 30, 60)])
    with pytest.raises(ParameterError, match="^period: must be one of"):
        M.learner_shares(data, period="month")
    with pytest.raises(ParameterError, match="^core_subjects:"):
        M.learner_shares(data, core_subjects="English")
    with pytest.raises(ParameterError, match="^core_subjects:"):
        M.learner_shares(data, core_subjects=[])
    with pytest.raises(ParameterError, match="^inclusion: .*without core"):
        M.learner_shares(data.drop(columns="core"))


# --------------------------------------------------------------------------- attach_srb


def test_learner_with_two_placements_is_attributed_period_by_period():
    data = inc([
        ("L3", "2021-04-20", "2021-07-20", "English", True, 10, 100),  # before any placement
        ("L3", "2023-04-20", "2023-07-20", "English", True, 20, 100),
        ("L3", "2023-09-04", "2023-12-20", "English", True, 40, 100),
        ("L4", "2023-09-04", "2023-12-20", "English", True, 50, 100),
        ("L5", "2023-09-04", "2023-12-20", "English", True, 50, 100),
    ])
    pl = placements([
        ("L3", "A", "2021-09-01", "2023-07-20"), ("L3", "B", "2023-09-04", None),
        # tie: autumn term 1 Sep - 31 Dec: A 1 Sep - 31 Oct = 61 days, B 1 Nov - 31 Dec = 61
        ("L4", "A", "2023-01-01", "2023-10-31"), ("L4", "B", "2023-11-01", None),
        # A 1 Sep - 15 Oct = 45 days, B 16 Oct - 31 Dec = 77 days
        ("L5", "B", "2022-01-01", "2023-10-15"), ("L5", "A", "2023-10-16", None),
    ])
    out = attach_srb(M.learner_shares(data), pl, start="period_start", end="period_end")
    got = dict(zip(out["learner_id"] + " " + out["period"], out["srb_id"], strict=True))
    assert pd.isna(got["L3 2020/21 summer"])  # no placement overlaps
    assert got["L3 2022/23 summer"] == "A"  # 1 Apr - 20 Jul 2023 in A, none in B
    assert got["L3 2023/24 autumn"] == "B"
    assert got["L4 2023/24 autumn"] == "B"  # tie goes to the later placement
    assert got["L5 2023/24 autumn"] == "A"  # 77 days in A beat 45 days in B
    trends = T.learner_trends(out)
    # L3's trend runs across both SRBs and carries the SRB of the latest period
    assert trends.set_index("learner_id").loc["L3", "srb_id"] == "B"


# --------------------------------------------------------------------------- learner_trends


def test_trend_hand_worked():
    out = T.learner_trends(shares_frame([("L1", 0, 0.2), ("L1", 1, 0.5), ("L1", 2, 0.4)]))
    row = out.iloc[0]
    # pairwise slopes: (0.5-0.2)/1 = 0.3, (0.4-0.2)/2 = 0.1, (0.4-0.5)/1 = -0.1; median 0.1
    assert row["slope_per_term"] == pytest.approx(0.1)
    assert row["trend_change"] == pytest.approx(0.2)  # 0.1 x (2 - 0) terms
    assert row["change"] == pytest.approx(0.2)  # 0.4 - 0.2
    assert (row["n_periods"], row["first_share"], row["latest_share"]) == (3, 0.2, 0.4)
    assert (row["first_period"], row["latest_period"]) == ("t0", "t2")
    assert row["trend"] == "rising"  # 0.2 > 0.05


@pytest.mark.parametrize("first, latest, word", [
    (0.50, 0.55, "steady"),  # 0.55 - 0.50 = 0.050000000000000044 in floats: exactly 5 points
    (0.50, 0.56, "rising"),  # 6 points > 5
    (0.50, 0.45, "steady"),  # -0.04999999999999999: exactly -5 points
    (0.50, 0.44, "falling"),  # -6 points
    (0.30, 0.30, "steady"),
])
def test_trend_tolerance_edges(first, latest, word):
    out = T.learner_trends(shares_frame([("L1", 0, first), ("L1", 1, latest)]))
    assert out["trend"].tolist() == [word]
    # with two periods the slope is the one pairwise slope and trend_change = change
    assert out["trend_change"].iloc[0] == pytest.approx(latest - first)
    assert out["change"].iloc[0] == pytest.approx(latest - first)


def test_single_term_and_no_data_learners_have_too_few_terms():
    out = T.learner_trends(shares_frame([
        ("L1", 0, 0.4),  # one term
        ("L2", 0, np.nan), ("L2", 1, np.nan),  # nothing timetabled in any term
        ("L3", 0, 0.2), ("L3", 1, np.nan), ("L3", 2, 0.4),  # a gap is not a period
    ])).set_index("learner_id")
    assert out.loc["L1", "trend"] == "too few terms"
    assert out.loc["L1", "n_periods"] == 1
    assert np.isnan(out.loc["L1", "change"])  # one period: no follow-up, not a 0 change
    assert np.isnan(out.loc["L1", "slope_per_term"])
    assert out.loc["L2", "trend"] == "too few terms" and out.loc["L2", "n_periods"] == 0
    # L3: two periods with data, (0.4 - 0.2) / (2 - 0) = 0.1 a term, 0.2 over the record
    assert out.loc["L3", "n_periods"] == 2
    assert out.loc["L3", "slope_per_term"] == pytest.approx(0.1)
    assert out.loc["L3", "trend_change"] == pytest.approx(0.2)
    assert out.loc["L3", "trend"] == "rising"
    assert set(out["trend"]) <= set(T.TREND_WORDS)


def test_min_periods_keeps_the_change_but_not_the_slope():
    out = T.learner_trends(shares_frame([("L1", 0, 0.2), ("L1", 1, 0.5)]), min_periods=3)
    assert out["trend"].tolist() == ["too few terms"]
    assert out["change"].iloc[0] == pytest.approx(0.3)  # 0.5 - 0.2
    assert np.isnan(out["slope_per_term"].iloc[0])


def test_weekly_slope_is_expressed_per_term():
    rows = [("L1", "2024-01-08", "2024-01-12", "English", True, 30, 100),
            ("L1", "2024-01-15", "2024-01-19", "English", True, 31, 100),
            ("L1", "2024-01-22", "2024-01-26", "English", True, 32, 100),
            ("L1", "2024-01-29", "2024-02-02", "English", True, 33, 100)]
    out = T.learner_trends(M.learner_shares(inc(rows), period="week"))
    # +0.01 a week; a term is (365.2425 / 3) / 7 = 17.39 weeks: 0.1739 a term
    assert out["slope_per_term"].iloc[0] == pytest.approx(0.01 * 365.2425 / 3 / 7)


def test_theil_sen_agrees_with_scipy():
    # (chunking of the pairs is tested with progress.group_theil_sen, which this uses)
    rng = np.random.default_rng(4)
    rows = []
    for k in range(300):
        terms = np.sort(rng.choice(14, size=rng.integers(1, 13), replace=False))
        shares = np.round(rng.uniform(0, 1, len(terms)), 2)  # rounding makes ties
        shares[rng.uniform(size=len(terms)) < 0.1] = np.nan
        rows += [(f"L{k:03d}", float(t), s) for t, s in zip(terms, shares, strict=True)]
    sh = shares_frame(rows)
    out = T.learner_trends(sh).set_index("learner_id")
    checked = 0
    for lid, g in sh.dropna(subset=["inclusion_share"]).groupby("learner_id"):
        if len(g) >= 2:
            expected = stats.theilslopes(g["inclusion_share"], g["term_index"])[0]
            assert out.loc[lid, "slope_per_term"] == pytest.approx(expected, abs=1e-12)
            checked += 1
        else:
            assert np.isnan(out.loc[lid, "slope_per_term"])
    assert checked > 200


def test_learner_trends_bad_arguments():
    sh = shares_frame([("L1", 0, 0.2), ("L1", 1, 0.5)])
    with pytest.raises(ParameterError, match="^shares: must be one row per learner and period"):
        T.learner_trends(pd.concat([sh, sh]))
    with pytest.raises(ParameterError, match="^tolerance:"):
        T.learner_trends(sh, tolerance=-0.1)
    with pytest.raises(ParameterError, match="^min_periods:"):
        T.learner_trends(sh, min_periods=1)
    empty = T.learner_trends(sh.iloc[:0])
    assert len(empty) == 0 and "trend" in empty.columns


# --------------------------------------------------------------------------- threshold_shares


@pytest.fixture()
def five_learners():
    """Latest terms: L1 exactly 50% (core exactly 80%), L2 59% (core 79%), L3 exactly 60%
    (no core timetabled), L4 30% (core 10%), L5 90% (core 85%)."""
    a, s = "2024-01-08", "2024-03-28"
    data = inc([
        ("L1", "2023-09-04", "2023-12-20", "art", False, 90, 100),  # earlier: ignored
        ("L1", a, s, "English", True, 192, 240), ("L1", a, s, "art", False, 48, 240),
        ("L1", "2024-04-20", "2024-07-20", "art", False, 0, 0),  # later but no data
        ("L2", a, s, "English", True, 79, 100), ("L2", a, s, "art", False, 39, 100),
        ("L3", a, s, "art", False, 144, 240),
        ("L4", a, s, "English", True, 10, 100), ("L4", a, s, "art", False, 50, 100),
        ("L5", a, s, "English", True, 85, 100), ("L5", a, s, "art", False, 95, 100),
    ])
    pl = placements([(f"L{i}", "A" if i < 5 else "B", "2022-09-01", None)
                     for i in range(1, 6)])
    srbs = pd.DataFrame({"srb_id": ["A", "B"], "phase": ["primary", "secondary"]})
    learners = pd.DataFrame({"learner_id": [f"L{i}" for i in range(1, 6)],
                             "primary_need": ["ASD", "ASD", "SLD", "SLD", "ASD"]})
    return M.learner_shares(data), learners, srbs, pl


def test_threshold_shares_hand_worked(five_learners):
    shares, learners, srbs, pl = five_learners
    # shares: L1 (192+48)/(240+240) = 0.5 exactly, core 192/240 = 0.8 exactly;
    # L2 118/200 = 0.59, core 0.79; L3 144/240 = 0.6 exactly, core none;
    # L4 60/200 = 0.3, core 0.1; L5 180/200 = 0.9, core 0.85
    out = G.threshold_shares(shares, learners, srbs, pl, total=True)
    assert out["srb_id"].tolist() == ["A", "B", "all"]
    assert out["n"].tolist() == [4, 1, 5]
    # >= 0.5: A: L1 (exactly), L2, L3 = 3 of 4 (75%); B 1 of 1; all 4 of 5 (80%)
    assert out["at_or_above_50"].tolist() == [3, 1, 4]
    assert out["pct_at_or_above_50"].tolist() == [75.0, 100.0, 80.0]
    # >= 0.6: A: L3 (exactly) = 1 of 4 (25%); B 1; all 2 of 5 (40%)
    assert out["at_or_above_60"].tolist() == [1, 1, 2]
    assert out["pct_at_or_above_60"].tolist() == [25.0, 100.0, 40.0]
    # medians: A (0.3, 0.5, 0.59, 0.6) -> (0.5 + 0.59) / 2 = 0.545; all: 0.59
    assert out["median_share"].tolist() == pytest.approx([0.545, 0.9, 0.59])
    # core: L3 has none, so A has 3; >= 0.8: L1 (exactly) = 1 of 3; B: L5; all 2 of 4
    assert out["core_n"].tolist() == [3, 1, 4]
    assert out["core_at_or_above_80"].tolist() == [1, 1, 2]
    assert out["pct_core_at_or_above_80"].tolist() == pytest.approx([100 / 3, 100, 50])
    # core medians: A (0.1, 0.79, 0.8) -> 0.79; all (0.1, 0.79, 0.8, 0.85) -> 0.795
    assert out["median_core_share"].tolist() == pytest.approx([0.79, 0.85, 0.795])
    assert list(out.columns) == [
        "srb_id", "n", "at_or_above_50", "pct_at_or_above_50", "at_or_above_60",
        "pct_at_or_above_60", "median_share", "core_n", "core_at_or_above_80",
        "pct_core_at_or_above_80", "median_core_share", "no_minutes"]
    assert out["no_minutes"].tolist() == [0, 0, 0]


def test_threshold_shares_by_phase_need_and_period(five_learners):
    shares, learners, srbs, pl = five_learners
    phase = G.threshold_shares(shares, learners, srbs, pl, by=["phase"])
    assert phase["phase"].tolist() == ["primary", "secondary"]
    assert phase["n"].tolist() == [4, 1]
    need = G.threshold_shares(shares, learners, srbs, pl, by=("primary_need",))
    # ASD: L1 0.5, L2 0.59, L5 0.9 -> 3 at or above 50%; SLD: L3 0.6, L4 0.3 -> 1
    assert need["primary_need"].tolist() == ["ASD", "SLD"]
    assert need["at_or_above_50"].tolist() == [3, 1]
    autumn = G.threshold_shares(shares, placements=pl, by=(), at="2023/24 autumn")
    # only L1 has autumn records: 90 / 100 = 0.9
    assert autumn[["n", "at_or_above_60", "median_share"]].iloc[0].tolist() == [1, 1, 0.9]
    assert autumn["core_n"].tolist() == [0]
    with pytest.raises(ParameterError, match="^at: must be 'latest' or a period present"):
        G.threshold_shares(shares, placements=pl, at="2030/31 autumn")
    with pytest.raises(ParameterError, match="^by:"):
        G.threshold_shares(shares, placements=pl, by=["postcode"])
    with pytest.raises(ParameterError, match="^placements:"):
        G.threshold_shares(shares)
    with pytest.raises(ParameterError, match="^thresholds:"):
        G.threshold_shares(shares, placements=pl, thresholds=(0.5, 1.5))
    with pytest.raises(ParameterError, match="^core_threshold:"):
        G.threshold_shares(shares, placements=pl, core_threshold=0)


def test_threshold_shares_keeps_a_group_with_no_timetabled_minutes(five_learners):
    """Issue 16: SRB C's one learner, L6, has inclusion records but no minutes
    timetabled. trend_counts keeps C (n 1, too few terms); threshold_shares kept no row
    for it. Now both keep the group: threshold_shares with n 0 (learners with a share),
    no_minutes 1 and missing percentages and medians."""
    shares, learners, srbs, pl = five_learners
    a, s = "2024-01-08", "2024-03-28"
    extra = M.learner_shares(inc([("L6", a, s, "English", True, 0, 0),
                                  ("L6", a, s, "art", False, 0, 0)]))
    shares = pd.concat([shares, extra], ignore_index=True)
    pl = pd.concat([pl, placements([("L6", "C", "2022-09-01", None)])], ignore_index=True)
    trends = T.learner_trends(attach_srb(shares, pl, start="period_start",
                                         end="period_end"))
    tc = G.trend_counts(trends, by=["srb_id"], total=True)
    assert tc["srb_id"].tolist() == ["A", "B", "C", "all"]
    assert tc["n"].tolist() == [4, 1, 1, 6]
    for at in ("latest", "2023/24 spring"):
        out = G.threshold_shares(shares, placements=pl, by=["srb_id"], total=True, at=at)
        assert out["srb_id"].tolist() == ["A", "B", "C", "all"], at
        assert out["n"].tolist() == [4, 1, 0, 5]
        assert out["no_minutes"].tolist() == [0, 0, 1, 1]
        c = out.set_index("srb_id").loc["C"]
        assert c["at_or_above_50"] == 0 and c["core_n"] == 0
        for col in ("pct_at_or_above_50", "median_share", "pct_core_at_or_above_80",
                    "median_core_share"):
            assert np.isnan(c[col]), col
    # the other groups are as before
    before = G.threshold_shares(five_learners[0], placements=pl, by=["srb_id"], total=True)
    after = G.threshold_shares(shares, placements=pl, by=["srb_id"], total=True)
    pd.testing.assert_frame_equal(after.iloc[:2].drop(columns="no_minutes"),
                                  before.iloc[:2].drop(columns="no_minutes",
                                                       errors="ignore"))


def test_threshold_counts_survive_float_rounding():
    share = (0.3 + 0.3 + 0.3) / 1.8  # exactly one half on paper
    assert share < 0.5  # 0.49999999999999994 in floats
    sh = pd.DataFrame({"learner_id": ["L1"], "srb_id": ["A"], "period": ["p"],
                       "term_index": [0.0], "inclusion_share": [share],
                       "core_inclusion_share": [np.nan]})
    out = G.threshold_shares(sh, by=())
    assert out["at_or_above_50"].tolist() == [1]
    assert out["core_n"].tolist() == [0] and np.isnan(out["pct_core_at_or_above_80"].iloc[0])


def test_threshold_shares_of_nothing():
    sh = pd.DataFrame({"learner_id": pd.array([], dtype="str"),
                       "srb_id": pd.array([], dtype="str"), "period": pd.array([], dtype="str"),
                       "term_index": [], "inclusion_share": [], "core_inclusion_share": []})
    out = G.threshold_shares(sh, by=())
    assert out["n"].tolist() == [0] and out["at_or_above_50"].tolist() == [0]
    assert np.isnan(out["pct_at_or_above_50"].iloc[0])
    assert len(G.threshold_shares(sh)) == 0


# --------------------------------------------------------------------------- exit_review


def test_exit_review_hand_worked():
    sh = shares_frame([
        ("LA", 0, 0.5, 0.7), ("LA", 1, 0.6, 192 / 240), ("LA", 2, 0.6, 0.85),  # exactly 2
        ("LB", 0, 0.5, 0.9), ("LB", 1, 0.5, 0.9), ("LB", 2, 0.5, 0.79),  # latest below
        ("LC", 2, 0.5, 0.9),  # one period only
        ("LD", 0, 0.5, 0.85), ("LD", 1, 0.5, np.nan), ("LD", 2, 0.5, 0.9),  # gap ignored
        ("LE", 1, 0.5, 0.9), ("LE", 2, 0.5, 0.9),  # left before as_of
        ("LF", 0, 0.9, 0.95), ("LF", 1, 0.9, 0.95), ("LF", 2, 0.9, 0.95),
    ])
    as_of = sh["period_end"].max()  # 2020-09-01 + 240 + 119 days = 2021-08-26
    assert as_of == pd.Timestamp("2021-08-26")
    pl = placements([("LA", "A", "2019-09-01", None), ("LB", "A", "2019-09-01", None),
                     ("LC", "A", "2019-09-01", None), ("LD", "B", "2019-09-01", None),
                     ("LE", "A", "2019-09-01", "2021-07-20"),
                     ("LF", "A", "2019-09-01", "2021-08-27")])  # ends after as_of
    out = G.exit_review(sh, pl)
    # LF 3 in a row; LD: 0.85, (gap), 0.9 = 2 since term 0; LA: 0.8 (exactly) and 0.85
    # = 2 since term 1. Most periods first, then the longest-standing.
    assert out["learner_id"].tolist() == ["LF", "LD", "LA"]
    assert out["periods_met"].tolist() == [3, 2, 2]
    assert out["srb_id"].tolist() == ["A", "B", "A"]
    assert out["met_since"].tolist() == [pd.Timestamp("2020-09-01"),
                                         pd.Timestamp("2020-09-01"),
                                         pd.Timestamp("2020-12-30")]  # LA's term 1
    assert out["latest_core_share"].tolist() == [0.95, 0.9, 0.85]
    assert out["latest_period"].tolist() == ["t2"] * 3
    assert list(out.columns) == ["learner_id", "srb_id", "periods_met", "met_since",
                                 "latest_period", "latest_core_share"]
    three = G.exit_review(sh, pl, sustained_periods=3)
    assert three["learner_id"].tolist() == ["LF"]
    one = G.exit_review(sh, pl, sustained_periods=1)
    assert one["learner_id"].tolist() == ["LF", "LD", "LA", "LC"]  # LC: 1 period
    # as_of earlier: LE (left 20 July 2021) was still placed on 1 July 2021
    early = G.exit_review(sh, pl, as_of="2021-07-01")
    assert "LE" in early["learner_id"].tolist()
    assert len(G.exit_review(sh, pl, core_threshold=0.96)) == 0
    assert G.count_still_placed(sh, pl) == 5  # all but LE have core data and are placed
    with pytest.raises(ParameterError, match="^as_of:"):
        G.exit_review(sh, pl, as_of="01/07/2021")
    with pytest.raises(ParameterError, match="^sustained_periods:"):
        G.exit_review(sh, pl, sustained_periods=0)


def test_exit_review_of_nothing():
    sh = shares_frame([("LA", 0, 0.5, np.nan)])
    out = G.exit_review(sh, placements([("LA", "A", "2019-09-01", None)]))
    assert len(out) == 0 and list(out.columns)[:2] == ["learner_id", "srb_id"]


# --------------------------------------------------------------------------- subjects


def test_subjects_shown_names_the_biggest_and_pools_the_rest():
    a, e = "2024-01-08", "2024-03-28"
    data = inc([
        ("a", a, e, "English", True, 60, 600),
        ("b", a, e, "english", True, 0, 500),
        ("a", a, e, "Welsh", True, 10, 20),   # core, small: pooled as core
        ("a", a, e, "Art", False, 100, 300),
        ("a", a, e, "Drama", False, 5, 10),    # a in two pooled subjects: counted once
        ("a", a, e, "Music", False, 0, 10),
        ("b", a, e, "music ", False, 10, 30),
        ("c", a, e, None, False, 10, 30),      # no subject: left out, not pooled
    ])
    data["srb_id"] = data["learner_id"].map({"a": "A", "b": "B", "c": "B"})
    complete = S.subject_breakdown(data, by=())
    assert len(complete) == 5  # the measure stays complete
    # five subjects or fewer: the measure's own tables, untouched
    pd.testing.assert_frame_equal(D.subjects_shown(data, complete, by=(), limit=5), complete)
    pd.testing.assert_frame_equal(D.subjects_shown(data, complete, by=("srb_id",), limit=5),
                                  S.subject_breakdown(data, by=("srb_id",)))
    shown = D.subjects_shown(data, complete, by=(), limit=2)
    assert shown["subject"].tolist() == ["English", "Art", "other core subjects (1)",
                                         "other subjects (2)"]
    assert shown["core"].tolist() == [True, False, True, False]
    # other subjects: Drama (a) and Music (a, b): 2 learners, 5 + 0 + 10 of 10 + 10 + 30
    assert shown["learners_timetabled"].tolist() == [2, 1, 1, 2]
    assert shown["minutes_timetabled"].tolist() == [1100.0, 300.0, 20.0, 50.0]
    assert shown["minutes_mainstream"].tolist() == [60.0, 100.0, 10.0, 15.0]
    named = D.subjects_shown(data, S.subject_breakdown(data, by=(), core_subjects=["welsh"]),
                             by=(), core_subjects=["welsh"], limit=2)
    assert named.set_index("subject")["core"].to_dict() == {
        "English": False, "Art": False, "other core subjects (1)": True,
        "other subjects (2)": False}
    by_srb = D.subjects_shown(data, complete, by=("srb_id",), limit=2)
    assert by_srb[["srb_id", "subject"]].values.tolist() == [
        ["A", "English"], ["A", "Art"], ["A", "other core subjects (1)"],
        ["A", "other subjects (2)"], ["B", "English"], ["B", "other subjects (2)"]]
    with pytest.raises(ValueError, match="^limit:"):
        D.subjects_shown(data, complete, by=(), limit=0)


def test_many_subjects_are_bounded_in_the_heat_map_and_table():
    """9,000 subject names (issue 15: one report kernel grew to 23.8 GB drawing them):
    the heat map and the table name MAX_SUBJECTS_SHOWN and pool the rest."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from srb_eval.report.plots import inclusion as plots

    rng = np.random.default_rng(3)
    n = 20_000
    data = pd.DataFrame({
        "learner_id": [f"L{i % 500}" for i in range(n)],
        "period_start": pd.Timestamp("2024-01-08"), "period_end": pd.Timestamp("2024-03-28"),
        "subject": [f"Subject {i:04d}" for i in rng.permutation(n) % 9000],
        "core": rng.random(n) < 0.3,
        "minutes_mainstream": rng.integers(0, 30, n).astype(float),
        "minutes_timetabled": rng.integers(30, 600, n).astype(float),
        "srb_id": [f"SRB{i % 5}" for i in range(n)]})
    complete = S.subject_breakdown(data, by=())
    assert len(complete) == 9000
    by_srb = D.subjects_shown(data, complete, by=("srb_id",))
    assert by_srb["subject"].nunique() == D.MAX_SUBJECTS_SHOWN + 2
    top = complete.nlargest(D.MAX_SUBJECTS_SHOWN, "minutes_timetabled")["subject"]
    assert set(top) < set(by_srb["subject"])
    fig = plots.subject_heatmap(by_srb)
    try:
        assert fig.get_size_inches()[0] < 30
        assert len(fig.axes[0].get_xticklabels()) == D.MAX_SUBJECTS_SHOWN + 2
    finally:
        plt.close(fig)
    shown = D.display_subjects(D.subjects_shown(data, complete, by=()), audience="internal")
    assert len(shown) == D.MAX_SUBJECTS_SHOWN + 2
    # the pooled rows hold every minute the named rows do not
    assert shown["hours_timetabled"].sum() == pytest.approx(
        complete["minutes_timetabled"].sum() / 60, abs=D.MAX_SUBJECTS_SHOWN + 2)


def test_subject_breakdown_hand_worked():
    a, e = "2024-01-08", "2024-03-28"
    data = inc([
        ("a", a, e, "Art", False, 60, 60),
        ("b", a, e, "art ", False, 0, 60),
        ("c", a, e, "ART", False, 30, 60),
        ("c", "2024-04-22", "2024-07-19", "art", False, 30, 60),
        ("d", a, e, "art", False, 10, 20),  # outside any placement: not in by-SRB tables
        ("b", a, e, "English", True, 30, 120),
        ("a", a, e, "english", True, 0, 0),  # not timetabled
    ])
    pl = placements([("a", "A", "2023-09-01", None), ("b", "A", "2023-09-01", None),
                     ("c", "B", "2023-09-01", None)])
    all_ = S.subject_breakdown(data, by=())
    # "art" is the commonest spelling (2 of 5 rows); English vs english tie: alphabetical
    assert all_["subject"].tolist() == ["English", "art"]  # core first
    assert all_["core"].tolist() == [True, False]
    # art: learners a, b, c, d timetabled; a, c, d with mainstream minutes (c counted once)
    assert all_["learners_timetabled"].tolist() == [1, 4]
    assert all_["learners_in_mainstream"].tolist() == [1, 3]
    # art: (60 + 0 + 30 + 30 + 10) / (60 * 4 + 20) = 130 / 260 = 0.5; English 30 / 120
    assert all_["minutes_mainstream"].tolist() == [30.0, 130.0]
    assert all_["mainstream_share"].tolist() == [0.25, 0.5]
    by_srb = S.subject_breakdown(data, pl)
    assert by_srb[["srb_id", "subject"]].values.tolist() == [
        ["A", "English"], ["A", "art"], ["B", "art"]]
    # A art: a 60/60, b 0/60 -> 60/120 = 0.5, 2 timetabled, 1 in mainstream;
    # B art: c 60/120 = 0.5, 1 and 1
    assert by_srb["learners_timetabled"].tolist() == [1, 2, 1]
    assert by_srb["learners_in_mainstream"].tolist() == [1, 1, 1]
    assert by_srb["mainstream_share"].tolist() == [0.25, 0.5, 0.5]
    named = S.subject_breakdown(data, by=(), core_subjects=["ART"])
    assert named.set_index("subject")["core"].to_dict() == {"art": True, "English": False}
    with pytest.raises(ParameterError, match="^placements:"):
        S.subject_breakdown(data)
    with pytest.raises(ParameterError, match="^by:"):
        S.subject_breakdown(data, pl, by=["phase"])


# --------------------------------------------------------------------------- groups


def test_cohort_by_period_hand_worked():
    sh = shares_frame([("a", 0, 0.2, 0.1), ("b", 0, 0.4), ("c", 0, 0.9, 0.5),
                       ("a", 1, 0.5, 0.5), ("b", 1, np.nan)])
    out = T.cohort_by_period(sh)
    # term 0: 0.2, 0.4, 0.9 -> median 0.4; q1 at position 0.5: 0.2 + 0.5 x 0.2 = 0.3;
    # q3 at position 1.5: 0.4 + 0.5 x 0.5 = 0.65. Term 1: one learner with data.
    assert out["n"].tolist() == [3, 1]
    assert out["median_share"].tolist() == pytest.approx([0.4, 0.5])
    assert out["q1_share"].tolist() == pytest.approx([0.3, 0.5])
    assert out["q3_share"].tolist() == pytest.approx([0.65, 0.5])
    assert out["core_n"].tolist() == [2, 1]
    assert out["median_core_share"].tolist() == pytest.approx([0.3, 0.5])
    sh["phase"] = ["p", "p", "s", "p", "p"]
    by = T.cohort_by_period(sh, by=["phase"])
    assert by[["phase", "n"]].values.tolist() == [["p", 2], ["p", 1], ["s", 1]]


def test_trend_counts_hand_worked():
    tr = pd.DataFrame({
        "learner_id": ["a", "b", "c", "d", "e"], "srb_id": ["A", "A", "A", "B", "B"],
        "first_share": [0.2, 0.5, 0.3, 0.1, 0.6], "latest_share": [0.4, 0.5, 0.3, 0.3, 0.4],
        "trend": ["rising", "steady", "too few terms", "rising", "falling"]})
    out = G.trend_counts(tr, total=True)
    assert out["srb_id"].tolist() == ["A", "B", "all"]
    assert out["n"].tolist() == [3, 2, 5]
    assert out[["rising", "steady", "falling", "too_few_terms"]].values.tolist() == [
        [1, 1, 0, 1], [1, 0, 1, 0], [2, 1, 1, 1]]
    assert out["with_trend"].tolist() == [2, 2, 4]
    assert out["pct_rising"].tolist() == [50.0, 50.0, 50.0]
    # medians over learners with a trend: A first (0.2, 0.5) -> 0.35, latest (0.4, 0.5)
    # -> 0.45; all first (0.2, 0.5, 0.1, 0.6) -> 0.35, latest (0.4, 0.5, 0.3, 0.4) -> 0.4
    assert out["median_first_share"].tolist() == pytest.approx([0.35, 0.35, 0.35])
    assert out["median_latest_share"].tolist() == pytest.approx([0.45, 0.35, 0.4])
    none = G.trend_counts(tr.iloc[2:3], by=())
    assert none["with_trend"].tolist() == [0] and np.isnan(none["pct_rising"].iloc[0])


# --------------------------------------------------------------------------- words


def test_sentences_are_computed_and_controlled():
    row = {"n": 20, "rising": 14, "steady": 4, "falling": 2, "too_few_terms": 3,
           "with_trend": 20, "median_first_share": 0.31, "median_latest_share": 0.44}
    assert W.describe_trends(row, audience="internal") == (
        "Inclusion rose for 14 of 20 learners (70%) with two or more terms of records, "
        "stayed steady for 4 of 20 learners (20%) and fell for 2 of 20 learners (10%); "
        "their median share moved from 31% to 44%. 3 learners had too few terms to judge.")
    published = W.describe_trends(row, audience="published")
    assert "stayed steady for <5 of 20 learners and fell for <5 of 20 learners" in published
    assert "Fewer than 5 learners had too few terms" in published
    assert text_checks.find_unsuppressed_small_counts(published) == []
    small = dict(row, with_trend=9)
    assert W.describe_trends(small, audience="published").startswith("Fewer than 10 learners")
    assert "too few terms to judge" in W.describe_trends(dict(row, with_trend=0),
                                                         audience="internal")
    assert "two or more weeks of records" in W.describe_trends(row, audience="internal",
                                                               period="week")
    assert W.trend_heading(row, audience="internal") == (
        "Inclusion rose for 14 of 20 learners (70%) with two or more terms of records")
    t = {"n": 30, "at_or_above_50": 20, "at_or_above_60": 3, "median_share": 0.555,
         "core_n": 25, "core_at_or_above_80": 0, "median_core_share": 0.4}
    text = W.describe_thresholds(t, audience="published")
    assert text == ("The median learner spent 56% of their timetabled time in mainstream "
                    "classes; 20 of 30 learners (67%) spent at least 50% and <5 of 30 "
                    "learners at least 60%. 0 of 25 learners (0%) spent at least 80% of "
                    "their core-subject time in mainstream classes (the exit criterion).")
    assert W.latest_heading(dict(t, n=8), audience="published").endswith(
        "too few learners with records to judge (fewer than 10)")
    assert W.describe_exit_review(1, 28, audience="internal").startswith(
        "1 of 28 learners (4%) still placed with core-subject records has spent")
    assert W.describe_exit_review(3, 40, audience="published").startswith(
        "<5 of 40 learners still placed")
    assert W.exit_heading(0, 0, audience="internal").endswith("core-subject records")
    # 6 of 8: the denominator is below 10, so a published report gives no count
    assert "6" not in W.describe_exit_review(6, 8, audience="published")
    assert W.exit_heading(6, 8, audience="published").endswith("too few learners still "
                                                               "placed to report")
    assert W.exit_heading(6, 8, audience="internal").startswith("Exit criterion: 6 of 8")
    b = pd.DataFrame({"subject": ["art", "maths", "music"], "learners_timetabled": [12, 12, 3],
                      "mainstream_share": [0.72, 0.31, 0.95]})
    assert W.describe_subjects(b, audience="internal").startswith("Mainstream time was "
                                                                  "highest in music (95%")
    assert "highest in art" in W.describe_subjects(b, audience="published")
    assert W.describe_subjects(b.iloc[2:], audience="published") == (
        "Too few learners to compare subjects.")


def test_display_tables_have_no_nan_and_no_small_numbers(five_learners):
    shares, learners, srbs, pl = five_learners
    t = G.threshold_shares(shares, learners, srbs, pl, total=True)
    shown = TH.display_thresholds(t, audience="published")
    assert not shown.isna().any().any()
    text = " ".join(shown.astype(str).to_numpy().ravel())
    assert "nan" not in text.lower()
    for cell in shown["learners"]:
        assert cell in ("<5", "[c]") or int(cell) >= 5
    assert set(shown["median share in mainstream"]) == {"[c]"}  # every n below 10
    internal = TH.display_thresholds(t, audience="internal")
    # 0.545 is 54.4999... in floats: shown half up as 55%
    assert internal["median share in mainstream"].tolist() == ["55%", "90%", "59%"]
    assert internal["at least 50% (% of learners)"].tolist() == ["75%", "100%", "80%"]
    trends = T.learner_trends(attach_srb(shares, pl, start="period_start", end="period_end"))
    counts = D.display_trend_counts(G.trend_counts(trends, total=True), audience="published")
    assert not counts.isna().any().any()
    with pytest.raises(AudienceError):
        D.display_learners(trends, audience="published")
    with pytest.raises(AudienceError):
        D.display_exit_review(G.exit_review(shares, pl), audience="published")
    learners_table = D.display_learners(trends, audience="internal")
    assert "no follow-up yet" in learners_table["change_points"].tolist()
    near_zero = trends.assign(change=-0.004)
    assert D.display_learners(near_zero, audience="internal")["change_points"].iloc[0] == (
        "+0 points")
    subj = D.display_subjects(S.subject_breakdown(inc([
        ("L1", "2024-01-08", "2024-03-28", "art", False, 30, 60)]), by=()),
        audience="published")
    assert subj["learners timetabled"].tolist() == ["<5"]
    assert subj["share of minutes in mainstream"].tolist() == ["[c]"]


# --------------------------------------------------------------------------- report helpers


def test_docstring_examples_run():
    import doctest

    attempted = 0
    for module in (M, P, G, T, S, W, D):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 15


def test_in_window_is_inclusive():
    d = pd.DataFrame({"period_start": pd.to_datetime(["2023-09-01", "2024-01-06", None])})
    assert len(M.records_in_window(d, start="2023-09-01", end="2024-01-06")) == 2
    assert len(M.records_in_window(d, start="2023-09-02")) == 1
    assert len(M.records_in_window(d)) == 3  # no bounds: everything, missing dates too
    with pytest.raises(ParameterError, match="^end: must be on or after start"):
        M.records_in_window(d, start="2024-01-01", end="2023-01-01")
    with pytest.raises(ParameterError, match="^start:"):
        M.records_in_window(d, start="1/9/2023")


def test_check_report_parameters():
    good = dict(srb="all", srb_ids=["SRB01", "SRB02"], window_start=None,
                window_end="2024-07-31", period="term", core_subjects=None,
                thresholds=[0.5, 0.6], core_threshold=0.8)
    p = W.check_report_parameters(**good)
    assert p["window_end"] == pd.Timestamp("2024-07-31") and p["thresholds"] == [0.5, 0.6]
    for bad, message in [({"srb": "SRB09"}, "^srb: .*SRB01, SRB02"),
                         ({"window_start": "2025-01-01"}, "^window_end: must be on or after"),
                         ({"period": "month"}, "^period:"),
                         ({"core_subjects": "English"}, "^core_subjects:"),
                         ({"thresholds": [0.5, 0.5]}, "^thresholds: must be distinct"),
                         ({"core_threshold": 80}, "^core_threshold:")]:
        with pytest.raises(ParameterError, match=message):
            W.check_report_parameters(**{**good, **bad})


def test_prepare_on_the_minimal_dataset():
    ds = load_dataset(MINIMAL)
    data = P.prepare(ds.inclusion, ds.placements, ds.srbs)
    # L01 (SRB01) autumn 2022: (600 + 600) / (2400 + 600) = 0.4, core 600/2400 = 0.25;
    # spring 2023: 900 / 2400 = 0.375. L03 (SRB02) autumn 2020: 0 / 0 = no data.
    got = data.shares.set_index(["learner_id", "period"])
    assert got.loc[("L01", "2022/23 autumn"), "inclusion_share"] == 0.4
    assert got.loc[("L01", "2022/23 autumn"), "core_inclusion_share"] == 0.25
    assert got.loc[("L01", "2022/23 spring"), "inclusion_share"] == 0.375
    assert np.isnan(got.loc[("L03", "2020/21 autumn"), "inclusion_share"])
    assert got.loc[("L03", "2020/21 autumn"), "phase"] == "secondary"
    assert data.latest["learner_id"].tolist() == ["L01"]
    trends = data.trends.set_index("learner_id")
    # 0.375 - 0.4 = -0.025 over one term: steady (within 5 points)
    assert trends.loc["L01", "change"] == pytest.approx(-0.025)
    assert trends.loc["L01", "trend"] == "steady"
    assert trends.loc["L03", "trend"] == "too few terms"
    one = P.prepare(ds.inclusion, ds.placements, ds.srbs, srb="SRB02")
    assert one.shares["learner_id"].tolist() == ["L03"] and len(one.latest) == 0
    window = P.prepare(ds.inclusion, ds.placements, ds.srbs, window_start="2023-01-01")
    assert window.shares["period"].tolist() == ["2022/23 spring"]


def test_prepare_is_made_of_the_public_measures():
    """The report's data are the public measures, called one after another."""
    ds = load_dataset(MINIMAL)
    data = P.prepare(ds.inclusion, ds.placements, ds.srbs)
    records = attach_srb(ds.inclusion, ds.placements, start="period_start", end="period_end")
    records = records.loc[records["srb_id"].notna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(P.attach_srb_to_records(ds.inclusion, ds.placements),
                                  attach_srb(ds.inclusion, ds.placements,
                                             start="period_start", end="period_end"))
    pd.testing.assert_frame_equal(data.records, records)
    shares = attach_srb(M.learner_shares(records), ds.placements, start="period_start",
                        end="period_end")
    shares = shares.loc[shares["srb_id"].notna()].merge(ds.srbs[["srb_id", "phase"]],
                                                       on="srb_id", how="left")
    pd.testing.assert_frame_equal(data.shares, shares)
    pd.testing.assert_frame_equal(data.latest, M.latest_shares(shares))
    pd.testing.assert_frame_equal(data.trends, T.learner_trends(shares))


def test_sentences_follow_the_disclosure_thresholds_given():
    lenient = disclosure.Thresholds(min_count=2, min_denominator=5)
    # 6 learners still placed: under the default 10 a published count is withheld ...
    assert W.describe_exit_review(3, 6, audience="published").startswith("Fewer than 10")
    assert W.exit_heading(3, 6, audience="published").endswith("too few learners still "
                                                               "placed to report")
    # ... with a threshold of 5 it is given, worded by count_with_share
    assert W.describe_exit_review(3, 6, audience="published",
                                  disclosure_thresholds=lenient).startswith("3 of 6 learners")
    assert W.exit_heading(3, 6, audience="published", disclosure_thresholds=lenient) == (
        "Exit criterion: 3 of 6 learners (50%) still placed have met it for 2 or more terms")
    caveat = W.caveats(disclosure_thresholds=lenient)
    assert 'counts of 1 to 1 are shown as "<2"' in caveat and "fewer than 5 learners" in caveat


def test_words_take_the_yardsticks_and_tolerance_given():
    assert "**50%**" in W.describe_yardsticks() and "**80%**" in W.describe_yardsticks()
    custom = W.describe_yardsticks([0.7], 0.9)
    assert "**70%**" in custom and "**90%**" in custom and "50%" not in custom
    assert "more than 10 percentage points" in W.describe_trend_rule(tolerance=0.1)
    assert "The 50% and 60% figures" in W.caveats()


# --------------------------------------------------------------------------- figures


def test_figures_show_n_and_hide_small_groups():
    from matplotlib.figure import Figure

    from srb_eval.report.plots import inclusion as P

    # group A: 12 learners, group B: 3
    latest = pd.DataFrame({"srb_id": ["A"] * 12 + ["B"] * 3,
                           "inclusion_share": np.linspace(0.1, 0.9, 15),
                           "core_inclusion_share": np.linspace(0.2, 1.0, 15)})
    fig = P.share_distribution(latest, min_n=10)
    assert isinstance(fig, Figure)
    left = fig.axes[0]
    ticks = [t.get_text() for t in left.get_yticklabels()]
    assert ticks == ["A\n(n=12)", "B\n(n<10, too few to show)"]
    assert len(left.patches) == 1  # one box: B is not drawn
    assert left.get_xlabel() == "% of all timetabled time in mainstream"
    assert "n=15 learners" in fig._suptitle.get_text()
    assert len(left.collections) == 0  # no learner points unless asked
    with_points = P.share_distribution(latest, show_points=True)
    assert len(with_points.axes[0].collections) == 2  # one scatter per group

    cohort = pd.DataFrame({"period": ["2023/24 autumn", "2023/24 spring"],
                           "term_index": [6069.0, 6070.0], "n": [12, 4],
                           "median_share": [0.5, 0.6], "q1_share": [0.4, 0.5],
                           "q3_share": [0.6, 0.7]})
    ax = P.cohort_trend(cohort, min_n=10).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023/24\nautumn\nn=12",
                                                            "2023/24\nspring\nn<10"]
    line = [ln for ln in ax.get_lines() if ln.get_label() == "median learner"][0]
    assert np.isnan(line.get_ydata()[1])  # the small term is not drawn

    shares = pd.DataFrame({"learner_id": [f"L{i:02d}" for i in range(30)],
                           "term_index": 0.0, "inclusion_share": 0.5,
                           "core_inclusion_share": 0.5})
    grid = P.learner_small_multiples(shares, max_panels=24)
    assert sum(a.get_visible() and a.axison for a in grid.axes) == 24
    assert "24 of 30 learners shown" in grid._suptitle.get_text()

    counts = pd.DataFrame({"srb_id": ["A"], "n": [5], "rising": [2], "steady": [1],
                           "falling": [1], "too_few_terms": [1]})
    bars = P.trend_bars(counts).axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()] == ["A (n=5)"]
    assert bars.get_xlabel() == "learners (count)"

    breakdown = pd.DataFrame({"srb_id": ["A", "A", "B"], "subject": ["English", "art", "art"],
                              "learners_timetabled": [12, 12, 3],
                              "mainstream_share": [0.25, 0.5, 0.9]})
    heat = P.subject_heatmap(breakdown, min_n=10).axes[0]
    texts = sorted(t.get_text() for t in heat.texts)
    assert texts == ["25%", "50%", "[c]"]  # B's art (3 learners) hidden; B has no English
    assert [t.get_text() for t in heat.get_yticklabels()] == ["A (n=12)", "B (n<10)"]


def test_published_figures_draw_nothing_of_a_group_whose_table_hides_its_learners():
    # the attack: SRB03's box in the published figure gave the median share that its
    # table hides ("[c]"), read off the pixels; and the heat map gave its subjects' shares
    from srb_eval.report.plots import inclusion as P

    latest = pd.DataFrame({"srb_id": ["A"] * 12 + ["B"] * 14,
                           "inclusion_share": np.linspace(0.1, 0.9, 26),
                           "core_inclusion_share": np.linspace(0.2, 1.0, 26)})
    fig = P.share_distribution(latest, min_n=10, shown_n={"A": "12", "B": "[c]"})
    for ax in fig.axes[:2]:
        assert len(ax.patches) == 1  # A's box only
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "A\n(n=12)", "B\n(n not shown)"]
    assert len(P.share_distribution(latest, min_n=10).axes[0].patches) == 2

    breakdown = pd.DataFrame({"srb_id": ["A", "A", "B", "B"],
                              "subject": ["English", "art", "English", "art"],
                              "learners_timetabled": [12, 12, 14, 14],
                              "mainstream_share": [0.25, 0.5, 0.6, 0.9]})
    heat = P.subject_heatmap(breakdown, min_n=10, shown_n={"A": "12", "B": "[c]"}).axes[0]
    assert sorted(t.get_text() for t in heat.texts) == ["25%", "50%", "[c]", "[c]"]
    assert [t.get_text() for t in heat.get_yticklabels()] == ["A (n=12)", "B (n not shown)"]
