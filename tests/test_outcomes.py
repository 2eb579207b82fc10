"""The outcome measures: srb_eval.measures.outcomes and its groups, wellbeing,
qualifications and destinations modules (every expected value worked by hand in a
comment beside it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval import load_dataset
from srb_eval.errors import ParameterError
from srb_eval.measures import groups as G
from srb_eval.measures import outcomes as M
from srb_eval.measures import qualifications as Q
from srb_eval.measures import stays
from srb_eval.measures import wellbeing as W
from srb_eval.measures.groups import ALL
from srb_eval.params import school_year
from srb_eval.report import findings as F
from srb_eval.report import outcomes as RO
from srb_eval.report import quantifiers as QT

from .conftest import MINIMAL

# --------------------------------------------------------------------------- helpers


def _dataset(tmp_path: Path, **tables: str):
    """The minimal dataset with some tables replaced (CSV text) or removed (None)."""
    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    for name, text in tables.items():
        f = d / f"{name}.csv"
        if text is None:
            f.unlink()
        else:
            f.write_text(text.strip() + "\n", encoding="utf-8")
    return load_dataset(d)


@pytest.fixture(scope="module")
def minimal():
    return load_dataset(MINIMAL)


@pytest.fixture(scope="module")
def minimal_2022(minimal):
    return M.evaluate(minimal, academic_year="2022/23", min_n=1, census_date="2022-10-01")


def _row(measures: pd.DataFrame, measure: str, group: str = ALL) -> pd.Series:
    hit = measures.loc[(measures["measure"] == measure) & (measures["group"] == group)]
    assert len(hit) == 1, (measure, group)
    return hit.iloc[0]


# --------------------------------------------------------------------------- years, authority


def test_school_year_and_census_date():
    for bad in ("2025/27", "2025-26", 2025, "25/26", None):
        with pytest.raises(ParameterError, match="^academic_year:"):
            M.default_census_date(bad)
    assert M.default_census_date("2024/25") == pd.Timestamp("2024-10-01")
    assert M.default_census_date(school_year("2025/26")) == pd.Timestamp("2025-10-01")


def test_authority_name_and_dataset(tmp_path, minimal):
    assert G.authority_name(minimal) == "Test LA"
    assert G.authority_name(minimal, " test la ") == "Test LA"
    with pytest.raises(ParameterError, match="local_authority"):
        G.authority_name(minimal, "Elsewhere")
    ds = _dataset(tmp_path, srbs="""
srb_id,name,local_authority,phase,age_from,age_to,capacity,designation
SRB01,Test Primary SRB,Test LA,primary,4,11,8,ASD;SLD
SRB02,Test Secondary SRB,Other LA,secondary,11,18,20,ASD
""")
    assert G.authority_name(ds) == "Test LA and Other LA"
    sub = G.authority_dataset(ds, "Other LA")
    # SRB02 holds L02 (second placement) and L03
    assert sub.srbs["srb_id"].tolist() == ["SRB02"]
    assert sorted(sub.learners["learner_id"]) == ["L02", "L03"]
    assert sub.placements["srb_id"].tolist() == ["SRB02", "SRB02"]
    assert G.authority_dataset(minimal, "Test LA") is minimal


# --------------------------------------------------------------------------- progress


def _progress_rows() -> pd.DataFrame:
    # learner, srb, area, band (None = not judged), need
    rows = [("L1", "A", "literacy", "expected", "ASD"),
            ("L2", "A", "literacy", "above", "ASD"),   # two instruments,
            ("L2", "A", "literacy", "below", "ASD"),   # one of them below
            ("L3", "A", "literacy", None, "SLD"),      # no follow-up yet
            ("L4", "B", "literacy", "below", "SLD"),
            ("L5", "B", "literacy", "expected", "ASD"),
            ("L6", "A", "literacy", "expected", "ASD"),  # moved from A ...
            ("L6", "B", "literacy", "below", "ASD")]     # ... to B
    return pd.DataFrame(rows, columns=["learner_id", "srb_id", "area", "band",
                                       "primary_need"])


def test_progress_outcomes_counts_learners_not_results():
    out = M.progress_outcomes(_progress_rows(), srb_ids=["A", "B", "C"])
    out["quantifier"] = QT.estyn_quantifier(out["n_at_least_expected"], out["n_judged"],
                                            min_n=2)
    lit = out.loc[out["area"] == "literacy"].set_index("group")
    # authority: 6 learners; judged L1, L2, L4, L5, L6 = 5; at least expected with no band
    # below: L1, L5 = 2 -> 2/5 = 40% "around half"
    assert lit.loc[ALL, ["n_learners", "n_judged", "n_at_least_expected", "n_below",
                           "n_not_judged"]].tolist() == [6, 5, 2, 3, 1]
    assert lit.loc[ALL, "share_at_least_expected"] == pytest.approx(0.4)
    assert lit.loc[ALL, "quantifier"] == "around half"
    # SRB A: L1, L2, L3, L6; judged L1, L2, L6; ok L1, L6 (L6 expected while in A) -> 2/3
    assert lit.loc["A", ["n_learners", "n_judged", "n_at_least_expected"]].tolist() == [4, 3, 2]
    assert lit.loc["A", "quantifier"] == "a majority"  # 66.7%
    # SRB B: L4, L5, L6; ok L5 -> 1/3 = 33.3% "a minority"
    assert lit.loc["B", ["n_judged", "n_at_least_expected"]].tolist() == [3, 1]
    assert lit.loc["B", "quantifier"] == "a minority"
    # SRB C has no results: a zero row, never dropped, never NaN counts
    assert lit.loc["C", ["n_learners", "n_judged"]].tolist() == [0, 0]
    assert lit.loc["C", "quantifier"] == "too few to judge"
    assert np.isnan(lit.loc["C", "share_at_least_expected"])
    # needs: ASD L1, L2, L5, L6 judged 4, ok L1, L5 -> 50% "half"; SLD judged 1 (L4) < 2
    assert lit.loc["ASD", ["n_judged", "n_at_least_expected", "quantifier"]].tolist() == [
        4, 2, "half"]
    assert lit.loc["SLD", ["n_learners", "n_judged", "quantifier"]].tolist() == [
        2, 1, "too few to judge"]
    # areas without results: every group present with zeros
    num = out.loc[(out["area"] == "numeracy") & (out["group"] == ALL)].iloc[0]
    assert (num["n_learners"], num["quantifier"]) == (0, "too few to judge")


def test_progress_outcomes_combine_any():
    out = M.progress_outcomes(_progress_rows(), combine="any", by=[])
    out["quantifier"] = QT.estyn_quantifier(out["n_at_least_expected"], out["n_judged"],
                                            min_n=2)
    lit = out.loc[out["area"] == "literacy"].iloc[0]
    # any band expected or above: L1, L2, L5, L6 -> 4 of 5 = 80% "many"
    assert (lit["n_at_least_expected"], lit["quantifier"]) == (4, "many")
    assert out["group_type"].unique().tolist() == ["authority"]


def test_progress_outcomes_bad_arguments():
    p = _progress_rows()
    with pytest.raises(ParameterError, match="^combine:"):
        M.progress_outcomes(p, combine="most")
    with pytest.raises(ParameterError, match="^by:"):
        M.progress_outcomes(p, by=["sex"])
    with pytest.raises(ParameterError, match="^areas:"):
        M.progress_outcomes(p, areas=["reading"])
    with pytest.raises(ParameterError, match="^progress:"):
        M.progress_outcomes(p.drop(columns="band"))
    empty = M.progress_outcomes(p.iloc[:0], srb_ids=["A"])
    assert (empty["n_learners"] == 0).all() and len(empty) == 4 * 2  # (all, A) x 4 areas


def test_year_progress_reuses_srb_eval_progress(minimal):
    # 2022/23: L01 Steps literacy 10 -> 16 from 20 Sep 2022 to 10 Jul 2023 (293 days,
    # 0.802 years): rate 7.48 a year, within 75%-125% of the expected 6 (4.5-7.5):
    # expected. L02 ReadAge literacy 72 -> 80 over 365 days: 8.0 a year against 12:
    # 67% < 75%: below. L02's numeracy has no assessment in the year: not counted.
    p = M.year_progress(minimal, "2022/23")
    got = p.set_index(["learner_id", "instrument"])["band"].astype("str").to_dict()
    assert got == {("L01", "Steps"): "expected", ("L02", "ReadAge"): "below"}
    assert p.loc[p["learner_id"] == "L01", "rate"].iloc[0] == pytest.approx(
        6 / (293 / 365.25))


# --------------------------------------------------------------------------- evaluate (minimal)


def test_evaluate_minimal_progress_and_attendance(minimal_2022):
    m = RO.measure_words(minimal_2022.measures, min_n=1)
    # literacy: L01 expected, L02 below -> 1 of 2 "half"; by need ASD 1/1, SLD 0/1
    r = _row(m, "progress_literacy")
    assert (r["count"], r["n"], r["quantifier"]) == (1, 2, "half")
    assert _row(m, "progress_literacy", "ASD")["quantifier"] == "all"
    assert _row(m, "progress_literacy", "SLD")["quantifier"] == "none"
    # SRB02 had no literacy result in 2022/23: a zero row
    assert (_row(m, "progress_literacy", "SRB02")["n"], _row(m, "progress_literacy",
            "SRB02")["judged"]) == (0, False)
    # attendance autumn 2022: L01 131/140, L02 120/140 -> 251 / 280 = 89.64%
    r = _row(m, "attendance_rate")
    assert (r["count"], r["n"], r["n_learners"]) == (251, 280, 2)
    assert r["value"] == pytest.approx(251 / 280)
    # persistent absence: L01 93.6% no, L02 85.7% yes -> 1 of 2
    r = _row(m, "persistent_absence")
    assert (r["count"], r["n"], r["quantifier"]) == (1, 2, "half")
    assert _row(m, "persistent_absence", "SLD")["count"] == 1
    assert _row(m, "persistent_absence", "ASD")["count"] == 0


def test_evaluate_minimal_inclusion_destinations_places(minimal_2022):
    m = minimal_2022.measures
    # L01 autumn 2022: (600 + 600) / (2400 + 600) = 40%; spring 2023: 900 / 2400 = 37.5%
    # (latest term, below 50%) -> 0 of 1 at least half; trend (0.375 - 0.40) = -2.5
    # points over one term, within 5: steady
    inc = minimal_2022.inclusion.set_index("group")
    assert inc.loc[ALL, ["n_learners", "n_at_least_half", "n_with_trend", "n_steady",
                           "n_rising", "n_falling"]].tolist() == [1, 0, 1, 1, 0, 0]
    assert inc.loc[ALL, "median_share"] == pytest.approx(0.375)
    # core 25% then 37.5%: never at 80%: nobody stays after meeting the exit criterion
    assert inc.loc[ALL, "n_stayed_after_exit_criterion"] == 0
    # L02 left SRB01 on 20 Jul 2023 for another SRB: 1 leaver, 0 to mainstream
    r = _row(m, "returned_to_mainstream")
    assert (r["count"], r["n"]) == (0, 1)
    assert minimal_2022.destinations.set_index("group").loc[ALL, "other_srb"] == 1
    # 1 Oct 2022: SRB01 8 places, L01 and L02 on roll -> 6 unfilled; SRB02 20 places,
    # L03 -> 19 unfilled; authority 25 of 28
    r = _row(m, "unfilled_places")
    assert (r["count"], r["n"], r["n_learners"]) == (25, 28, 3)
    assert _row(m, "unfilled_places", "SRB01")["count"] == 6
    # exclusions: none started in 2022/23; 3 learners placed in the year
    r = _row(m, "exclusion_rate")
    assert (r["count"], r["n"], r["value"]) == (0, 3, 0.0)


def test_evaluate_minimal_exclusions_2020(minimal):
    ex = W.exclusion_outcomes(minimal, academic_year="2020/21").set_index("group")
    # 2020/21: only L03 (SRB02, SEMH) placed; one fixed-term exclusion of 2 days on
    # 10 Feb 2021 -> 1 exclusion per 1 learner = 100 per 100
    assert ex.loc[ALL, ["n_learners", "n_exclusions", "n_learners_excluded",
                          "n_permanent"]].tolist() == [1, 1, 1, 0]
    assert ex.loc[ALL, "days_lost"] == 2.0
    assert ex.loc[ALL, "rate_per_100"] == pytest.approx(100.0)
    assert ex.loc["SRB02", "rate_per_100"] == pytest.approx(100.0)
    assert ex.loc["SRB01", "n_learners"] == 0 and np.isnan(ex.loc["SRB01", "rate_per_100"])


def test_evaluate_minimal_qualifications_2023(minimal):
    res = M.evaluate(minimal, academic_year="2023/24", min_n=1)
    words = RO.measure_words(res.measures, min_n=1)
    # L03 (born Jan 2008) left on 19 Jul 2024 in Year 11 (age 15 on 31 Aug 2023);
    # awards on 22 Aug 2024 (by 31 Aug 2024) count: 1 of 1 leavers with an award
    r = _row(words, "leavers_with_award")
    assert (r["count"], r["n"], r["quantifier"]) == (1, 1, "all")
    aw = res.awards
    assert aw[["stage", "family"]].values.tolist() == [["14-16", "GCSE"],
                                                       ["14-16", "Entry Level"]]
    assert aw["Level 1"].tolist() == [1, 0] and aw["Entry 3"].tolist() == [0, 1]
    assert aw["awards"].sum() == 2
    # length of stay: 1 Sep 2020 to 19 Jul 2024 = 1,417 days = 3.8795 years
    st = res.stays.set_index("group")
    assert st.loc[ALL, "n_left"] == 1
    assert st.loc[ALL, "median_completed_years"] == pytest.approx(1417 / 365.25)
    los = stays.length_of_stay(minimal, "2024-08-31", by=None, data_from="2023-09-01",
                                  min_n=1)
    assert st.loc[ALL, "median_completed_years"] == los["median_completed_years"].iloc[-1]


def test_evaluate_a_year_without_data(minimal):
    res = M.evaluate(minimal, academic_year="2010/11")
    assert not res.has_data
    m = res.measures
    assert (m.loc[m["unit"] != "places", "n"] == 0).all()
    words = RO.measure_words(m)
    assert (words.loc[m["unit"] == "learners", "quantifier"] == "too few to judge").all()
    found = F.findings(m, audience="published")
    assert len(found) == 1 and found["measure"].iloc[0] == "unfilled_places"  # 28 of 28
    for audience in ("internal", "published"):
        d = RO.display_measures(m, group_type="srb_id", audience=audience)
        text = d[["cell", "value_text", "n_text", "count_text"]].to_numpy().ravel()
        assert not any(isinstance(x, float) for x in text)
        assert "nan" not in " ".join(map(str, text)).lower()


def test_a_year_with_learners_on_roll_but_no_optional_table(tmp_path: Path):
    """Issue 16: placements only (no exclusions, attendance, assessments or inclusion
    table: or none of them recorded yet early in the year) and no leaver in 2025/26, the
    notebook's default year. Two learners are on roll, so the year has data: the report
    must not say "No learners were placed", and the unfilled-places finding its rules
    give is kept (26 of 28 places unfilled)."""
    data = tmp_path / "placements_only"
    data.mkdir()
    for table in ("srbs", "learners", "placements"):
        shutil.copy(MINIMAL / f"{table}.csv", data / f"{table}.csv")
    ds = load_dataset(data)
    res = M.evaluate(ds, academic_year="2025/26")
    assert int(res.occupancy["on_roll"].sum()) == 2  # L01 in SRB01, L02 in SRB02
    assert res.has_data
    assert res.n_placed == 2
    found = F.findings(res.measures, audience="internal", census_date=res.census_date)
    assert "unfilled_places" in found["measure"].tolist()
    # a year before any placement has none
    empty = M.evaluate(ds, academic_year="2010/11")
    assert empty.n_placed == 0 and not empty.has_data


@pytest.mark.parametrize("year", ["2020/21", "2022/23", "2023/24"])
def test_evaluate_measures_only_gives_the_same_measures(minimal, year):
    full = M.evaluate(minimal, academic_year=year, min_n=1)
    part = M.evaluate(minimal, academic_year=year, min_n=1, measures_only=True)
    pd.testing.assert_frame_equal(part.measures, full.measures, check_exact=True)
    for table in ("progress", "leavers", "attendance", "exclusions", "inclusion",
                  "destinations", "occupancy"):
        pd.testing.assert_frame_equal(getattr(part, table), getattr(full, table),
                                      check_exact=True)
    assert part.awards.empty and part.exit_reasons.empty and part.stays.empty
    assert part.has_data == full.has_data


def test_evaluate_bad_arguments(minimal):
    with pytest.raises(ParameterError, match="^census_date:"):
        M.evaluate(minimal, academic_year="2022/23", census_date="autumn")
    # "01/10/2022" is 1 October in Wales and 10 January in the United States: refused
    with pytest.raises(ParameterError, match="^census_date: must be a date written YYYY-MM-DD"):
        M.evaluate(minimal, academic_year="2022/23", census_date="01/10/2022")
    assert M.evaluate(minimal, academic_year="2022/23", min_n=1,
                      census_date="2022-10-01").census_date == pd.Timestamp("2022-10-01")
    with pytest.raises(ParameterError, match="^min_n:"):
        M.evaluate(minimal, academic_year="2022/23", min_n=0)
    with pytest.raises(ParameterError, match="^academic_year:"):
        M.evaluate(minimal, academic_year="22/23")
    with pytest.raises(ParameterError, match="^measures_only:"):
        M.evaluate(minimal, academic_year="2022/23", measures_only="yes")


def test_evaluate_without_optional_tables(tmp_path):
    ds = _dataset(tmp_path, attendance=None, exclusions=None, inclusion=None,
                  qualifications=None, assessments=None)
    res = M.evaluate(ds, academic_year="2023/24", min_n=1)
    assert set(res.measures["measure"]) == {"leavers_with_award", "returned_to_mainstream",
                                            "unfilled_places"}
    # without qualifications nobody has an award: L03 is 0 of 1
    r = _row(res.measures, "leavers_with_award")
    assert (r["count"], r["n"]) == (0, 1)
    assert res.awards.empty and list(res.awards.columns)[:2] == ["stage", "family"]


# --------------------------------------------------------------------------- wellbeing


def test_attendance_exactly_90_percent_is_not_persistent_and_srbs_apart(tmp_path):
    ds = _dataset(tmp_path, attendance="""
learner_id,period_start,period_end,sessions_possible,sessions_attended
L01,2022-09-05,2022-12-20,140,126
L02,2022-09-05,2022-12-20,100,89
L02,2023-09-05,2023-12-20,100,100
L03,2019-09-05,2019-12-20,100,10
""")
    at = W.attendance_outcomes(ds, academic_year="2022/23").set_index("group")
    # L01 126/140 = 90.0% exactly: not persistently absent; L02 89/100: persistent.
    # (L02's autumn 2023 row is in 2023/24; L03's row in 2019 is outside any placement.)
    assert at.loc[ALL, ["n_learners", "sessions_possible", "sessions_attended",
                          "n_persistent_absence"]].tolist() == [2, 240, 215, 1]
    assert at.loc[ALL, "attendance_rate"] == pytest.approx(215 / 240)
    at24 = W.attendance_outcomes(ds, academic_year="2023/24").set_index("group")
    # 2023/24: L02 now in SRB02: 100 of 100
    assert at24.loc["SRB02", ["n_learners", "n_persistent_absence"]].tolist() == [1, 0]
    assert at24.loc["SRB01", "n_learners"] == 0
    pa = W.attendance_outcomes(ds, academic_year="2022/23", persistent_below=0.95)
    assert pa.set_index("group").loc[ALL, "n_persistent_absence"] == 2  # 90% < 95%
    with pytest.raises(ParameterError, match="^persistent_below:"):
        W.attendance_outcomes(ds, academic_year="2022/23", persistent_below=90)


def test_exclusions_rate_per_100_learners(tmp_path):
    ds = _dataset(tmp_path, exclusions="""
learner_id,start_date,days,kind
L01,2022-10-03,2,fixed-term
L01,2023-02-01,1.5,fixed-term
L02,2023-03-01,3,fixed-term
L03,2023-05-02,1,permanent
L01,2022-06-01,5,fixed-term
""")
    ex = W.exclusion_outcomes(ds, academic_year="2022/23").set_index("group")
    # 2022/23: placed L01, L02 (SRB01), L03 (SRB02) = 3 learners. Fixed-term in the year:
    # L01 x2 (3.5 days), L02 x1 (3 days) = 3 exclusions, 2 learners, 6.5 days; rate
    # 100 * 3 / 3 = 100 per 100; L03's is permanent. L01's of 1 Jun 2022 is before the
    # year (and before L01's placement).
    assert ex.loc[ALL, ["n_learners", "n_exclusions", "n_learners_excluded",
                          "n_permanent"]].tolist() == [3, 3, 2, 1]
    assert ex.loc[ALL, "days_lost"] == pytest.approx(6.5)
    assert ex.loc[ALL, "rate_per_100"] == pytest.approx(100.0)
    assert ex.loc[ALL, "share_excluded"] == pytest.approx(2 / 3)
    # SRB01: 2 learners, 3 exclusions -> 150 per 100; SRB02: none fixed-term
    assert ex.loc["SRB01", "rate_per_100"] == pytest.approx(150.0)
    assert ex.loc["SRB02", ["n_exclusions", "n_permanent"]].tolist() == [0, 1]
    per1000 = W.exclusion_outcomes(ds, academic_year="2022/23", per=1000)
    assert per1000.set_index("group").loc[ALL, "rate_per_100"] == pytest.approx(1000.0)


# --------------------------------------------------------------------------- qualifications


def test_qualification_family_mapping():
    names = ["WJEC Entry Level Certificate", "Entry Level Certificate", "ELC Science",
             "GCSE", "gcse maths", "TGAU Cymraeg", "Essential Skills Wales",
             "Essential Application of Number Skills", "ESW Communication", "ASDAN",
             "ASDAN Personal Development Programme", "CoPE", "OCN", "Agored Cymru",
             "BTEC Level 1 Sport", "Welsh Baccalaureate Skills Challenge Certificate",
             "Duke of Edinburgh", "", None]
    assert Q.qualification_family(names).tolist() == [
        "Entry Level", "Entry Level", "Entry Level", "GCSE", "GCSE", "GCSE",
        "Essential Skills Wales", "Essential Skills Wales", "Essential Skills Wales",
        "ASDAN", "ASDAN", "ASDAN", "OCN", "OCN", "BTEC", "Welsh Baccalaureate", "Other",
        "Other", "Other"]


def test_qualification_level_and_gcse_grades():
    levels = ["Entry 1", "E2", "entry level 3", "Level 1", "L2", "level 3", None, None,
              None, "Foundation", "Level 1", None]
    families = ["OCN", "OCN", "Entry Level", "ASDAN", "BTEC", "BTEC", "GCSE", "GCSE",
                "GCSE", "GCSE", "GCSE", "OCN"]
    grades = [None, None, None, None, None, None, "C", "4", "G", "B", "C", "C"]
    # GCSE grades fill in a missing or unreadable level ("Foundation" is a tier); a
    # recognised level is kept (Level 1 with grade C); other families never use grades
    assert Q.qualification_level(levels, families=families, grades=grades).tolist() == [
        "Entry 1", "Entry 2", "Entry 3", "Level 1", "Level 2", "Level 3", "Level 2",
        "Level 2", "Level 1", "Level 2", "Level 1", "not recorded"]


def test_awards_not_awarded_grades_and_stages(tmp_path):
    ds = _dataset(tmp_path, qualifications="""
learner_id,award_date,qualification,subject,level,grade
L03,2024-08-22,GCSE,English,,U
L03,2024-08-22,GCSE,Maths,,D
L03,2025-06-10,OCN,Cooking,Entry 3,
L02,2024-06-10,Essential Skills Wales,Communication,E3,Pass
""")
    aw = Q.qualification_awards(ds, academic_year="2023/24")
    # the U is not an award; D is a GCSE at Level 1; L03 in Year 11 -> 14-16.
    # L02 (born Nov 2012) is in Year 6 in 2023/24 -> "under 14"
    got = aw.set_index(["stage", "family"])["awards"].to_dict()
    assert got == {("14-16", "GCSE"): 1, ("under 14", "Essential Skills Wales"): 1}
    assert aw.set_index("family").loc["GCSE", "Level 1"] == 1
    # 10 Jun 2025: L03 (Year 12 in 2024/25) -> post-16
    aw25 = Q.qualification_awards(ds, academic_year="2024/25")
    assert aw25[["stage", "family", "Entry 3"]].values.tolist() == [["post-16", "OCN", 1]]
    lv = Q.leaver_awards(ds, academic_year="2023/24").set_index("group")
    assert lv.loc[ALL, ["n_leavers", "n_with_award"]].tolist() == [1, 1]  # the D counts


def test_stays_by_need_agree_with_length_of_stay_on_each_needs_placements(minimal):
    # stay_outcomes by need: the same numbers as length_of_stay on each need's placements
    import dataclasses

    from srb_eval.measures import destinations as D

    d, start = pd.Timestamp("2024-08-31"), pd.Timestamp("2023-09-01")
    got = D.stay_outcomes(minimal, academic_year="2023/24", by=["primary_need"], min_n=1)
    got = got.loc[got["group_type"] == "primary_need"].set_index("group")
    need = minimal.placements["learner_id"].map(
        minimal.learners.set_index("learner_id")["primary_need"])
    assert sorted(got.index) == sorted(need.astype(str).unique())
    for code in got.index:
        sub = dataclasses.replace(minimal, placements=minimal.placements.loc[need == code])
        los = stays.length_of_stay(sub, d, by=None, data_from=start, min_n=1).iloc[-1]
        for col in ("n_left", "median_completed_years", "n_on_roll", "median_so_far_years"):
            assert got.loc[code, col] == pytest.approx(los[col], nan_ok=True), (code, col)
