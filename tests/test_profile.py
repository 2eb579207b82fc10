"""The learner profile (measures.profile, report.profile): attendance rates by hand and
the one-learner profile."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from srb_eval import ParameterError, load_dataset
from srb_eval.data.io import Dataset
from srb_eval.measures import profile as M
from srb_eval.report import profile as PR

from .conftest import MINIMAL

pytestmark = pytest.mark.filterwarnings("error")


def _attendance() -> pd.DataFrame:
    return pd.DataFrame({
        "learner_id": ["L1", "L1", "L1", "L2"],
        "period_start": pd.to_datetime(["2024-09-02", "2025-01-06", "2025-09-01",
                                        "2024-09-02"]),
        "period_end": pd.to_datetime(["2024-12-20", "2025-04-04", "2025-12-19",
                                      "2024-12-20"]),
        "sessions_possible": pd.array([140, 110, 0, 140], dtype="Int64"),
        "sessions_attended": pd.array([126, 99, 0, pd.NA], dtype="Int64"),
    })


def test_attendance_rates_per_period_by_hand():
    out = M.attendance_rates(_attendance())
    # 126 / 140 = 0.9; 99 / 110 = 0.9; 0 possible -> NaN (no data, never 0%);
    # L2's missing count -> row left out
    assert out["learner_id"].tolist() == ["L1", "L1", "L1"]
    assert out["attendance_rate"].tolist()[:2] == [0.9, 0.9]
    assert math.isnan(out["attendance_rate"].iloc[2])
    assert out["school_year"].tolist() == ["2024/25", "2024/25", "2025/26"]


def test_attendance_rates_per_school_year_is_a_rate_of_sums():
    a = _attendance()
    a.loc[1, "sessions_attended"] = 55  # 55 / 110 = 0.5
    out = M.attendance_rates(a, period="school_year")
    # 2024/25: (126 + 55) / (140 + 110) = 181 / 250 = 0.724 (the mean of 0.9 and 0.5
    # would be 0.7); 2025/26: 0 / 0 -> NaN
    assert out["sessions_possible"].tolist() == [250, 0]
    assert out["attendance_rate"].iloc[0] == pytest.approx(0.724)
    assert math.isnan(out["attendance_rate"].iloc[1])
    assert out["period_start"].iloc[0] == pd.Timestamp("2024-09-02")
    assert out["period_end"].iloc[0] == pd.Timestamp("2025-04-04")


def test_attendance_rates_bad_arguments_and_empty():
    with pytest.raises(ParameterError, match="period"):
        M.attendance_rates(_attendance(), period="term")
    with pytest.raises(ParameterError, match="attendance"):
        M.attendance_rates(_attendance().drop(columns="sessions_possible"))
    assert M.attendance_rates(_attendance().iloc[0:0]).empty


def test_profile_of_a_learner_with_two_placements():
    ds = load_dataset(MINIMAL)
    pf = M.learner_profile(ds, "L02")
    assert pf.learner_id == "L02"
    assert pf.placements["srb_id"].tolist() == ["SRB01", "SRB02"]
    about = dict(zip(PR.about_table(pf)["item"], PR.about_table(pf)["value"], strict=True))
    # the minimal dataset's latest date is 22 Aug 2024 (an award); born Nov 2012:
    # age on 22 Aug 2024 = 11 years 9 months; school year 2023/24, age on 31 Aug 2023 = 10
    # -> Year 6
    assert pf.as_at == pd.Timestamp("2024-08-22")
    assert about["Age on 22 August 2024"] == "11 years 9 months"
    assert about["Year group on 22 August 2024"] == "Year 6"
    assert about["Primary need"] == "SLD" and about["Secondary needs"] == "SLCN, ADHD"
    assert about["Free school meals"] == "no"
    assert about["Current SRB"].startswith("Test Secondary SRB (SRB02), since 04 September 2023")
    assert sorted(pf.progress["instrument"]) == ["ReadAge", "Std"]
    assert pf.ratio_gain["ratio_gain"].round(6).tolist() == [0.666667]  # 8 / 12 months
    assert pf.reliable_change["rci_class"].astype(str).tolist() == ["no reliable change"]
    assert pf.gas["gas_t"].tolist() == [40] and pf.gas["srb_id"].tolist() == ["SRB01"]
    assert pf.attendance["attendance_rate"].round(6).tolist() == [round(120 / 140, 6)]
    assert pf.inclusion.empty and pf.missing == ()
    assert pf.points["score"].tolist() == [72, 80, 70, 74]


def test_profile_uses_learner_shares_for_inclusion():
    ds = load_dataset(MINIMAL)
    pf = M.learner_profile(ds, "L01")
    # autumn 2022: (600 + 600) / (2400 + 600) = 0.4, core 600 / 2400 = 0.25;
    # spring 2023: 900 / 2400 = 0.375
    assert pf.inclusion["inclusion_share"].tolist() == pytest.approx([0.4, 0.375])
    assert pf.inclusion["core_inclusion_share"].tolist() == pytest.approx([0.25, 0.375])
    assert pf.progress["band"].astype(str).tolist() == ["expected"]


def test_profile_without_optional_tables():
    full = load_dataset(MINIMAL)
    ds = Dataset(srbs=full.srbs, learners=full.learners, placements=full.placements)
    pf = M.learner_profile(ds, "L01")
    assert set(pf.missing) == {"instruments", "assessments", "targets", "inclusion",
                               "attendance"}
    for table in (pf.progress, pf.points, pf.reliable_change, pf.ratio_gain, pf.gas,
                  pf.targets, pf.inclusion, pf.attendance):
        assert table.empty
    assert "gas_t" in pf.gas.columns and "attendance_rate" in pf.attendance.columns
    assert "band" in pf.progress.columns
    # placements only: the latest date is L03's end, 19 Jul 2024
    assert pf.as_at == pd.Timestamp("2024-07-19")


def test_unknown_learner_is_a_parameter_error():
    ds = load_dataset(MINIMAL)
    with pytest.raises(ParameterError, match="learner_id"):
        M.learner_profile(ds, "L99")
    with pytest.raises(ParameterError, match="learner_id"):
        M.learner_profile(ds, "")


def test_dataset_end_date_none_without_dates():
    class Empty:
        placements = pd.DataFrame({"start_date": pd.Series([], dtype="datetime64[ns]"),
                                   "end_date": pd.Series([], dtype="datetime64[ns]")})
        assessments = inclusion = attendance = targets = exclusions = qualifications = None

    assert M.dataset_end_date(Empty()) is None


def test_profile_on_the_demo_learner(demo_dir):
    if not (demo_dir / "learners.csv").exists():
        pytest.skip("demo data not generated yet")
    ds = load_dataset(demo_dir)
    pf = M.learner_profile(ds, "L0001")
    assert len(pf.progress) > 0 and len(pf.gas) > 0
    assert not pf.progress["status"].isna().any()
    assert np.isfinite(pf.gas["gas_t"]).all()


def test_docstring_examples_run():
    result = doctest.testmod(M, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 2


def test_profile_tables_and_headings_by_hand():
    ds = load_dataset(MINIMAL)
    pf = M.learner_profile(ds, "L01")
    table = PR.progress_table(pf.progress).iloc[0]
    assert table["baseline"] == "10 on 20 Sep 2022" and table["latest"] == "16 on 10 Jul 2023"
    # 6 / (293 / 365.25) = 7.48 a year against 6 expected: within 4.5..7.5 -> expected
    assert table["gain a year"] == "7.5" and table["progress"] == "expected progress"
    assert PR.progress_heading(pf.progress) == (
        "Expected progress or better on 1 of 1 measure judged (an instrument in an area)")
    assert PR.describe_progress(pf.progress) == "Expected progress: literacy (Steps)."
    # 2023-03-20 review: targets T1 (0) and T2 (+1) met; T = 50 + 10/sqrt(2.6) = 56.2
    assert PR.gas_heading(pf.gas) == ("Targets: at the latest review (20 March 2023) 2 of 2 "
                                      "targets were met or exceeded (GAS T-score 56)")
    gas = PR.gas_table(pf.gas, pf.targets).iloc[0]
    assert gas["areas"] == "communication, literacy" and gas["GAS T-score"] == "56"
    # shares 40% (autumn 2022) then 37.5% -> 38%, down 2.5 points -> rounds half up to 3
    assert PR.inclusion_heading(pf.inclusion) == (
        "Time in mainstream classes: 38% in the latest term (2022/23 spring), down 3 "
        "percentage points from the first (2022/23 autumn)")
    assert PR.inclusion_table(pf.inclusion)["in mainstream (core subjects)"].tolist() == [
        "25%", "38%"]
    # 131 / 140 = 93.6% -> 94%
    assert PR.attendance_heading(pf.attendance) == (
        "Attendance: 94% of sessions in 2022/23 (131 of 140 half-day sessions)")
    assert PR.attendance_table(pf.attendance)["attendance"].tolist() == ["94%"]


def test_profile_wording_for_missing_follow_up_and_no_records():
    ds = load_dataset(MINIMAL)
    pf = M.learner_profile(ds, "L03")
    assert PR.progress_heading(pf.progress).startswith("Progress: none can be judged")
    assert PR.describe_progress(pf.progress) == "No follow-up yet: literacy (Std)."
    assert PR.progress_table(pf.progress)["latest"].tolist() == ["-"]
    assert PR.inclusion_heading(pf.inclusion) == "Time in mainstream classes: no records"
    assert PR.attendance_heading(pf.attendance) == "Attendance: no records"
    assert PR.gas_heading(pf.gas) == "Targets: none reviewed yet"


def test_a_change_within_measurement_error_reads_no_reliable_change():
    # L02's standardised score (Std, numeracy) moved 4 points, within the test's error:
    # "no reliable change" in the table, the sentence, the heading and the figure, never
    # "expected progress" (issue 18: a non-reliable drop of 11 points read so)
    import matplotlib

    matplotlib.use("Agg")
    from srb_eval.report.plots import progress as PP

    pf = M.learner_profile(load_dataset(MINIMAL), "L02")
    std = pf.progress["instrument"].astype(str) == "Std"
    assert pf.progress.loc[std, "band_basis"].astype(str).tolist() == ["reliable change"]
    assert pf.progress.loc[std, "band"].astype(str).tolist() == ["expected"]
    table = PR.progress_table(pf.progress)
    assert table.loc[std.to_numpy(), "progress"].tolist() == ["no reliable change"]
    assert "expected progress" not in table["progress"].tolist()
    assert "No reliable change (within the test's measurement error): numeracy (Std)." in \
        PR.describe_progress(pf.progress)
    assert "Expected progress:" not in PR.describe_progress(pf.progress)
    assert PR.progress_heading(pf.progress).startswith("Expected progress or better on 0 of 2")
    assert PR.progress_heading(pf.progress).endswith("no reliable change on 1")
    fig = PP.learner_trajectories(pf.points, progress=pf.progress)
    titles = [ax.get_title() for ax in fig.axes]
    assert any("numeracy: no reliable change" in t for t in titles), titles
    assert not any("expected progress" in t for t in titles), titles
    # a standardised score that fell reliably is still below expected
    fell = pf.progress.assign(band=pd.Categorical(["below", "below"]))
    assert PR.verdict_words(fell).tolist() == ["below expected", "below expected"]


def test_profile_names_each_area_in_the_reports_language():
    """The profile's "Above expected: literacy (Reading Age Test), ..." showed the area
    codes in English on a Welsh page (the demo learner's profile)."""
    import warnings

    from srb_eval.report.i18n import UntranslatedWarning, area_word, in_language

    p = pd.DataFrame({"band": ["above", "expected"], "band_basis": "expected gain per year",
                      "status": "measured", "area": ["literacy", "personal_social"],
                      "instrument": ["Reading Age Test", "Small Steps Tracker"]})
    assert PR.describe_progress(p) == (
        "Above expected: literacy (Reading Age Test). Expected progress: personal social "
        "(Small Steps Tracker).")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        with in_language("cy"):
            text = PR.describe_progress(p)
            words = [area_word(a) for a in ("literacy", "personal_social")]
    assert "literacy" not in text and "personal" not in text
    assert f"{words[0]} (Reading Age Test)" in text and f"{words[1]} (Small Steps" in text


def test_profile_tables_name_their_areas_in_the_reports_language():
    """The profile's tables (progress, GAS reviews) showed area codes ("literacy") in
    English on the Welsh demo profile."""
    import warnings

    from srb_eval.report.i18n import UntranslatedWarning, area_word, in_language

    pf = M.learner_profile(load_dataset(MINIMAL), "L01")
    areas = sorted(set(pf.progress["area"].astype("str")))
    assert list(PR.progress_table(pf.progress)["area"]) == [
        a.replace("_", " ") for a in pf.progress["area"].astype("str")]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        with in_language("cy"):
            shown = PR.progress_table(pf.progress).iloc[:, 2].tolist()
            welsh = {area_word(a).replace("_", " ") for a in areas}
    assert set(shown) == welsh and not set(shown) & set(areas)
