"""Value-for-money measures (srb_eval.measures.value_for_money) against values worked by
hand.

The small dataset is written to CSV and read back with ``load_dataset`` so the functions
see the types of a report. The year is the financial year 2024-25: 1 April 2024 to 31
March 2025, 365 days. Each expected value has its arithmetic in a comment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval import ParameterError, load_dataset
from srb_eval.data.io import write_dataset
from srb_eval.measures import occupancy as O
from srb_eval.measures import sufficiency as SU
from srb_eval.measures import value_for_money as V

FY = "2024-25"
DAYS = 365
# days on roll in 2024-25
A_DAYS = 365  # on roll all year
B_DAYS = 182  # from 1 October 2024: 31+30+31+31+28+31
C_DAYS = 275  # to 31 December 2024: 30+31+30+31+31+30+31+30+31


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> object:
    folder = tmp_path_factory.mktemp("vfm") / "ds"
    srbs = pd.DataFrame([
        ("S1", "Primary SRB", "LA", "primary", 4, 11, 4, "ASD"),
        ("S2", "Secondary SRB", "LA", "secondary", 11, 18, 1, "SLD"),
        ("S3", "No costs SRB", "LA", "primary", 4, 11, 6, "MLD"),
    ], columns=["srb_id", "name", "local_authority", "phase", "age_from", "age_to",
                "capacity", "designation"])
    learners = pd.DataFrame([
        ("A", "2016-01", "ASD"), ("B", "2016-05", "ASD"), ("C", "2015-02", "SEMH"),
        ("D", "2010-03", "SLD"), ("E", "2010-04", "SLD"), ("F", "2017-01", "ASD"),
    ], columns=["learner_id", "birth_month", "primary_need"]).assign(
        sex="M", secondary_needs="", statutory_plan="IDP", fsm="no", home_authority="LA")
    placements = pd.DataFrame([
        # learner, srb, panel, start, end
        ("A", "S1", "", "2023-09-04", ""),            # all year
        ("B", "S1", "", "2024-10-01", ""),            # joins mid-year: roll 1 -> 2
        ("C", "S1", "", "2023-09-04", "2024-12-31"),  # leaves mid-year
        ("D", "S2", "", "2023-09-04", ""),            # S2: two learners in one place
        ("E", "S2", "", "2023-09-04", ""),
        ("F", "S1", "2024-10-01", "2025-04-07", ""),  # agreed, starts the next year
    ], columns=["learner_id", "srb_id", "panel_date", "start_date", "end_date"]).assign(
        referral_date="", exit_reason="", destination="")
    costs = pd.DataFrame([
        # S1: 60,000 + 10,000 + 8,000 + 4,200 = 82,200; S2: 73,000
        ("S1", FY, 60_000, 10_000, 8_000, 4_200, "cash"),
        ("S2", FY, 60_000, 5_000, 2_000, 6_000, "cash"),
        ("S1", "2023-24", 50_000, 10_000, 8_000, 4_000, "cash"),
        ("S2", "2023-24", 50_000, 5_000, 2_000, 6_000, "cash"),
    ], columns=["srb_id", "financial_year", "staffing", "other_running", "place_funding",
                "transport", "price_base"])
    external = pd.DataFrame([
        ("X1", "out_of_county_special", "2023-09-04", "", 40_000, 10_000, "ASD", "primary"),
        ("X2", "out_of_county_special", "2024-10-01", "", 50_000, 10_000, "ASD", "primary"),
        ("X3", "independent_special", "2022-09-05", "", 90_000, 20_000, "ASD", "primary"),
        ("X4", "independent_special", "2022-09-05", "", 95_000, 20_000, "SEMH", "primary"),
        ("X5", "alternative_provision", "2024-04-01", "2024-04-30", 18_250, 0, "ASD",
         "primary"),
        ("X6", "out_of_county_special", "2022-09-05", "2025-01-31", 36_500, 7_300, "ASD",
         "primary"),
        ("X7", "other_authority_srb", "2021-09-01", "2024-03-31", 20_000, 5_000, "SLD",
         "secondary"),
    ], columns=["placement_id", "setting_type", "start_date", "end_date", "annual_fee",
                "annual_transport", "primary_need", "phase"]).assign(home_area="CL1")
    instruments = pd.DataFrame([("Steps", "steps", "", "", "", 6, 0, 120)], columns=[
        "instrument", "scale", "mean", "sd", "reliability", "expected_gain_per_year",
        "min_score", "max_score"])
    assessments = pd.DataFrame([
        # A: 6 steps in 334 days = 6.56 a year, within 25% of 6: expected
        ("A", "Steps", "literacy", "2024-04-15", 10),
        ("A", "Steps", "literacy", "2025-03-15", 16),
        # B: 1 step in 151 days = 2.4 a year: below
        ("B", "Steps", "literacy", "2024-10-15", 10),
        ("B", "Steps", "literacy", "2025-03-15", 11),
    ], columns=["learner_id", "instrument", "area", "date", "score"])
    write_dataset({"srbs": srbs, "learners": learners, "placements": placements,
                   "srb_costs": costs, "external_placements": external,
                   "instruments": instruments, "assessments": assessments}, folder)
    return load_dataset(folder)


def test_financial_year_days_and_bad_years():
    d = V.financial_year_days(FY)
    assert (d[0], d[-1], len(d)) == (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"),
                                     DAYS)
    for bad in ("2024/25", "2024-26", "24-25"):
        with pytest.raises(ParameterError, match="financial_year"):
            V.financial_year_days(bad)


def test_place_days_sum_the_roll_of_every_day_with_a_mid_year_change(ds):
    t = V.place_days(ds, FY).set_index("srb_id")
    s1 = t.loc["S1"]
    assert s1["filled_place_days"] == A_DAYS + B_DAYS + C_DAYS  # 822
    assert s1["place_days"] == 4 * DAYS  # 1,460
    assert s1["unfilled_place_days"] == 4 * DAYS - 822  # 638: never over-full
    # S2: two learners in one place every day: 730 filled, no day with an empty place
    assert (t.loc["S2", "filled_place_days"], t.loc["S2", "unfilled_place_days"]) == (730, 0)
    # the same as the census count of every day, added up
    days = list(V.financial_year_days(FY))
    counts = O.census_counts(ds, days)
    assert counts.loc[counts["srb_id"] == "S1", "on_roll"].sum() == 822


def test_cost_per_place_and_per_filled_place_day(ds):
    t = V.srb_unit_costs(ds, FY).set_index("srb_id")
    assert list(t.index) == ["S1", "S2", V.ALL_SRBS]  # S3 has no costs
    s1 = t.loc["S1"]
    assert s1["total_cost"] == 82_200
    assert s1["cost_per_place"] == pytest.approx(82_200 / 4)  # 20,550
    assert s1["cost_per_filled_place_day"] == pytest.approx(100.0)  # 82,200 / 822
    assert s1["cost_per_filled_place"] == pytest.approx(36_500.0)  # 100 x 365
    assert s1["mean_on_roll"] == pytest.approx(822 / 365)
    assert s1["occupancy"] == pytest.approx(822 / 1460)
    # unfilled places valued at the cost of a commissioned place-day: 82,200 x 638/1,460
    assert s1["unfilled_cost"] == pytest.approx(82_200 * 638 / 1460)  # 35,920.27
    s2 = t.loc["S2"]
    assert s2["cost_per_filled_place_day"] == pytest.approx(73_000 / 730)  # 100
    assert s2["unfilled_cost"] == 0
    total = t.loc[V.ALL_SRBS]
    assert total["total_cost"] == 155_200 and total["capacity"] == 5
    assert total["cost_per_filled_place_day"] == pytest.approx(155_200 / 1552)  # 100
    # S2's over-full days fill none of S1's empty places
    assert total["unfilled_cost"] == pytest.approx(155_200 * 638 / 1825)
    assert (t["price_base"] == "cash").all() and (t["financial_year"] == FY).all()


def test_costs_need_the_table_a_known_year_and_one_price_base(ds, tmp_path):
    with pytest.raises(ParameterError, match="financial_year"):
        V.srb_unit_costs(ds, "2019-20")
    from types import SimpleNamespace
    bare = SimpleNamespace(srbs=ds.srbs, learners=ds.learners, placements=ds.placements,
                           srb_costs=None, external_placements=None)
    assert V.missing_tables(bare) == ["srb_costs", "external_placements"]
    assert V.missing_tables(ds) == []
    with pytest.raises(ParameterError, match="srb_costs"):
        V.srb_unit_costs(bare, FY)
    mixed = SimpleNamespace(**{**bare.__dict__, "srb_costs": ds.srb_costs.assign(
        price_base=["cash", "2025-26 prices", "cash", "cash"])})
    with pytest.raises(ParameterError, match="one price base"):
        V.srb_unit_costs(mixed, FY)


def test_cost_trend_in_real_terms_needs_a_deflator(ds):
    from types import SimpleNamespace
    cash = V.cost_trend(ds)
    assert cash["financial_year"].tolist() == ["2023-24", FY]
    with pytest.raises(ParameterError, match="deflators"):
        V.cost_trend(ds, prices=FY)
    index = pd.DataFrame({"financial_year": ["2023-24", FY], "price_index": [96.0, 100.0]})
    real = V.cost_trend(SimpleNamespace(**{**ds.__dict__, "deflators": index}), prices=FY)
    # 2023-24: 72,000 + 63,000 = 135,000 cash x 100/96 = 140,625 in 2024-25 prices
    assert cash["total_cost"].iloc[0] == 135_000
    assert real["total_cost"].iloc[0] == pytest.approx(140_625)
    assert real["total_cost"].iloc[1] == pytest.approx(155_200)
    assert (real["price_base"] == f"{FY} prices").all()
    short = index.iloc[[1]]
    with pytest.raises(ParameterError, match="none for 2023-24"):
        V.cost_trend(SimpleNamespace(**{**ds.__dict__, "deflators": short}), prices=FY)


def test_alternative_costs_pro_rata_by_setting_type(ds):
    t = V.alternative_costs(ds, FY).set_index("setting_type")
    assert list(t.index) == [*V.S.SETTING_TYPES, V.ALL_SETTINGS]
    ooc = t.loc["out_of_county_special"]
    # X1 all year: 50,000; X2 from 1 October, 182 days: 60,000 x 182/365 = 29,917.81;
    # X6 to 31 January, 306 days: 43,800 x 306/365 = 36,720
    assert ooc["placements"] == 3
    assert ooc["place_years"] == pytest.approx((365 + 182 + 306) / 365)
    expected = 50_000 + 60_000 * 182 / 365 + 43_800 * 306 / 365
    assert ooc["total_cost"] == pytest.approx(expected)
    assert ooc["fees"] == pytest.approx(40_000 + 50_000 * 182 / 365 + 36_500 * 306 / 365)
    assert ooc["cost_per_place"] == pytest.approx(expected / ((365 + 182 + 306) / 365))
    assert ooc["cost_per_place_day"] == pytest.approx(expected / (365 + 182 + 306))
    ap = t.loc["alternative_provision"]  # X5: 30 days of 18,250 a year = 1,500
    assert (ap["placements"], ap["total_cost"]) == (1, pytest.approx(1_500))
    assert ap["cost_per_place_day"] == pytest.approx(50.0)
    other = t.loc["other_authority_srb"]  # X7 ended before the year: nothing
    assert other["placements"] == 0 and other["total_cost"] == 0
    assert np.isnan(other["cost_per_place"])
    assert t.loc[V.ALL_SETTINGS, "placements"] == 3 + 2 + 1  # X3 and X4 all year
    assert t.loc[V.ALL_SETTINGS, "total_cost"] == pytest.approx(
        expected + 110_000 + 115_000 + 1_500)


PARAMS = {"unfilled_place_cost": 2_000, "new_place_cost": 20_000,
          "transport_per_learner": 3_000}


def test_scenario_with_two_setting_types(ds):
    # could move, open on 31 March 2025, need and phase served (S1: primary ASD):
    # out of county X1 (50,000) and X2 (60,000), mean 55,000; independent X3 (110,000).
    # Not X4 (SEMH: no SRB), X5 (alternative provision), X6 (ended 31 January).
    t = V.scenario(ds, FY, **PARAMS).set_index("line", append=True)
    lines = t.reset_index("line")
    avoided = lines.loc[lines["line"] == "cost avoided"].set_index("setting_type")
    assert avoided["learners"].to_dict() == {"out_of_county_special": 2,
                                             "independent_special": 1}
    assert avoided["pounds"].to_dict() == {"out_of_county_special": -110_000,
                                           "independent_special": -110_000}
    by_line = lines.set_index("line")
    # unfilled places: S1 638/365 = 1.75 on average, S2 0: one place
    assert by_line.loc["unfilled SRB places filled", ["learners", "pounds"]].tolist() == [
        1, 2_000]
    assert by_line.loc["new SRB places", ["learners", "pounds"]].tolist() == [2, 40_000]
    assert by_line.loc["transport to an SRB", ["learners", "pounds"]].tolist() == [3, 9_000]
    # -220,000 + 2,000 + 40,000 + 9,000
    assert by_line.loc["net difference a year", "pounds"] == -169_000
    assert "£2,000 a place" in by_line.loc["unfilled SRB places filled", "assumption"]
    assert (by_line["parameter"].iloc[:-1] != "").all()


def test_scenario_shares_n_learners_and_states_its_defaults(ds):
    # 2 learners shared 2:1 -> exact 1.33 and 0.67 -> 1 and 1 (largest remainder)
    t = V.scenario(ds, FY, learners=2, **PARAMS)
    avoided = t.loc[t["line"] == "cost avoided"].set_index("setting_type")
    assert avoided["learners"].tolist() == [1, 1]
    # -55,000 - 110,000 + 2,000 + 20,000 + 6,000
    assert t["pounds"].iloc[-1] == -137_000
    t = V.scenario(ds, FY, learners={"independent_special": 1}, **PARAMS)
    assert t["pounds"].iloc[-1] == -110_000 + 2_000 + 3_000
    with pytest.raises(ParameterError, match="learners"):
        V.scenario(ds, FY, learners=4)
    with pytest.raises(ParameterError, match="from_settings"):
        V.scenario(ds, FY, from_settings=["boarding"])
    d = V.scenario(ds, FY).set_index("line")
    # defaults: place funding per place (10,000 / 5), staffing, other running costs and
    # place funding per place ((78,000 + 67,000) / 5 = 29,000), transport per filled
    # place (10,200 / (1,552/365))
    assert d.loc["unfilled SRB places filled", "pounds"] == pytest.approx(10_000 / 5)
    assert d.loc["new SRB places", "pounds"] == pytest.approx(2 * (145_000 / 5))
    assert d.loc["transport to an SRB", "pounds"] == pytest.approx(3 * 10_200 / (1552 / 365))


def test_cost_per_learner_making_expected_progress(ds):
    t = V.cost_per_expected_progress(ds, FY).set_index("srb_id")
    s1 = t.loc["S1"]
    # on roll in the year: A, B, C; judged: A (expected) and B (below)
    assert (s1["learners"], s1["judged"], s1["at_least_expected"]) == (3, 2, 1)
    assert s1["cost_per_learner"] == pytest.approx(82_200 / 3)
    assert s1["cost_per_expected"] == pytest.approx(82_200)
    assert np.isnan(t.loc["S2", "cost_per_expected"])  # nobody judged
    assert t.loc[V.ALL_SRBS, "at_least_expected"] == 1
    assert t.loc[V.ALL_SRBS, "learners"] == 5


def test_sufficiency_by_need_and_phase(ds):
    t = SU.sufficiency(ds, "2024-11-01").set_index(["phase", "primary_need"])
    # primary ASD: 4 places; on roll A, B; F agreed, starting in April; outside X1, X2,
    # X3, X5 (alternative provision in April: ended), X6 -> X1, X2, X3, X6
    assert t.loc[("primary", "ASD")].tolist() == [4, 2, 1, 4, 7, -3]
    # primary SEMH: no places; C on roll, X4 outside
    assert t.loc[("primary", "SEMH")].tolist() == [0, 1, 0, 1, 2, -2]
    # secondary SLD: one place, two on roll
    assert t.loc[("secondary", "SLD")].tolist() == [1, 2, 0, 0, 2, -1]
    assert t.loc[("primary", "MLD")].tolist() == [6, 0, 0, 0, 0, 6]
    all_ = SU.sufficiency(ds, "2024-11-01", by_phase=False).set_index("primary_need")
    assert (all_["phase"] == SU.ALL_PHASES).all()
    assert all_.loc["ASD", "demand"] == 7


def _with_areas(ds) -> object:
    """The dataset with languages of provision and areas (optional columns):
    S1 Welsh-medium in CL1, S2 English-medium in CL2, S3 neither recorded; learners'
    homes A CL1, B CL2, C CL1, D CL2, E not recorded, F CL1; placements outside in
    Welsh (X1, X3, X7), English (X2, X5, X6) or not recorded (X4), all from CL1."""
    from types import SimpleNamespace
    srbs = ds.srbs.assign(language_of_provision=["welsh", "english", None],
                          school_area=["CL1", "CL2", None])
    learners = ds.learners.assign(home_area=["CL1", "CL2", "CL1", "CL2", None, "CL1"])
    ext = ds.external_placements.assign(language_of_provision=[
        "welsh", "english", "welsh", None, "english", "english", "welsh"])
    return SimpleNamespace(**{**ds.__dict__, "srbs": srbs, "learners": learners,
                              "external_placements": ext})


def test_sufficiency_by_language_of_provision(ds):
    t = SU.sufficiency(_with_areas(ds), "2024-11-01", by_phase=False, by_need=False,
                       by_language=True).set_index("language")
    cols = ["places", "on_roll", "awaiting_start", "placed_outside", "demand",
            "places_less_demand"]
    # 1 November 2024; open outside: X1, X2, X3, X4, X6 (X5 ended in April, X7 in March)
    # Welsh: S1's 4 places; A, B, C on roll; F agreed; X1, X3 outside: 3 + 1 + 2 = 6
    assert t.loc["welsh", cols].tolist() == [4, 3, 1, 2, 6, -2]
    # English: S2's 1 place; D, E on roll; X2, X6 outside: 2 + 2 = 4
    assert t.loc["english", cols].tolist() == [1, 2, 0, 2, 4, -3]
    # not recorded: S3's 6 places; X4 outside
    assert t.loc[SU.NOT_RECORDED, cols].tolist() == [6, 0, 0, 1, 1, 5]
    assert list(t.index) == ["welsh", "english", SU.NOT_RECORDED]  # no bilingual row
    assert (t["primary_need"] == SU.ALL_NEEDS).all()
    # by need too: Welsh ASD is S1's 4 places, A and B on roll, F, X1 and X3
    n = SU.sufficiency(_with_areas(ds), "2024-11-01", by_language=True).set_index(
        ["phase", "language", "primary_need"])
    assert n.loc[("primary", "welsh", "ASD"), cols].tolist() == [4, 2, 1, 2, 5, -1]
    # without the column every SRB's language is "not recorded"
    plain = SU.sufficiency(ds, "2024-11-01", by_phase=False, by_need=False,
                           by_language=True)
    assert plain["language"].tolist() == [SU.NOT_RECORDED]
    assert plain["places"].tolist() == [11]


def test_travel_by_home_area(ds):
    from srb_eval.measures import travel as T
    t = T.travel_by_area(_with_areas(ds), "2024-11-01").set_index("home_area")
    cols = ["on_roll", "in_home_area", "in_another_area", "area_not_recorded",
            "placed_outside"]
    # on roll on 1 November 2024: A, B, C in S1 (CL1); D, E in S2 (CL2)
    # CL1: A and C at home; all five open placements outside are from CL1
    assert t.loc["CL1", cols].tolist() == [2, 2, 0, 0, 5]
    # CL2: B placed in CL1's SRB, D at home: share in another area 1/2
    assert t.loc["CL2", cols].tolist() == [2, 1, 1, 0, 0]
    assert t.loc["CL2", "share_another_area"] == pytest.approx(0.5)
    # E's home is not recorded
    assert t.loc[T.NOT_RECORDED, cols].tolist() == [1, 0, 0, 1, 0]
    assert t.loc[T.ALL_AREAS, cols].tolist() == [5, 3, 1, 1, 5]
    assert t.loc[T.ALL_AREAS, "share_another_area"] == pytest.approx(1 / 4)
    # without areas every learner is "area not recorded"
    none = T.travel_by_area(ds, "2024-11-01").set_index("home_area")
    assert none.loc[T.ALL_AREAS, "area_not_recorded"] == 5


def test_alternative_costs_in_real_terms(ds):
    from types import SimpleNamespace
    cash = V.alternative_cost_trend(ds)
    assert cash["financial_year"].tolist() == ["2023-24", FY]
    assert (cash["price_base"] == "cash").all()
    # 2023-24 (366 days): X1 from 4 September 2023, 210 days of 50,000; X3 110,000,
    # X4 115,000, X6 43,800 and X7 25,000 all year
    y23 = 50_000 * 210 / 366 + 110_000 + 115_000 + 43_800 + 25_000  # 322,488.52
    assert cash["total_cost"].iloc[0] == pytest.approx(y23)
    assert cash["placements"].tolist() == [5, 6]
    with pytest.raises(ParameterError, match="deflators"):
        V.alternative_cost_trend(ds, prices=FY)
    index = pd.DataFrame({"financial_year": ["2023-24", FY], "price_index": [96.0, 100.0]})
    real = V.alternative_cost_trend(SimpleNamespace(**{**ds.__dict__, "deflators": index}),
                                    prices=FY)
    # in 2024-25 prices: 322,488.52 x 100 / 96 = 335,925.54; 2024-25 unchanged
    assert real["total_cost"].iloc[0] == pytest.approx(y23 * 100 / 96)
    assert real["total_cost"].iloc[1] == pytest.approx(cash["total_cost"].iloc[1])
    assert real["cost_per_place"].iloc[0] == pytest.approx(
        cash["cost_per_place"].iloc[0] * 100 / 96)
    assert (real["price_base"] == f"{FY} prices").all()
    assert real["placements"].tolist() == [5, 6]  # counts are not restated


def test_sufficiency_against_the_forecast(ds):
    from srb_eval.measures.forecast import forecast_places
    t = SU.forecast_sufficiency(ds, "2024-11-01", 2)
    f = forecast_places(ds, "2024-11-01", 2)
    f = f.loc[f["year"] >= 1].reset_index(drop=True)
    assert t["forecast_on_roll"].tolist() == f["expected_on_roll"].tolist()
    assert t["year"].tolist() == f["year"].tolist()  # the forecast years, not today
    # placed outside on 1 November 2024: X1, X2, X3, X4, X6, all primary
    outside = t.set_index(["phase", "year"])["placed_outside"]
    assert outside[("primary", 1)] == 5 and outside[("secondary", 1)] == 0
    assert t["demand"].tolist() == pytest.approx(
        (t["forecast_on_roll"] + t["placed_outside"]).tolist())
    assert t["places_less_demand"].tolist() == pytest.approx(
        (t["places"].astype(float) - t["demand"]).tolist())


def test_daily_on_roll_is_the_census_count_of_every_day():
    # #13: place_days paired every day with every placement (census_counts, a month at a
    # time: about 9 CPU s a year at England size); daily_on_roll reads each placement as a run of
    # days. The counts must be census_counts' on every day, in every awkward case.
    from types import SimpleNamespace

    rows = [  # learner, srb, start, end
        ("L1", "S1", "2024-01-01", None),          # all year
        ("L2", "S1", "2024-05-01", "2024-06-30"),  # three overlapping or touching stays
        ("L2", "S1", "2024-06-15", "2024-08-31"),  # in one SRB: once a day
        ("L2", "S1", "2024-09-01", "2024-09-30"),
        ("L3", "S1", "2024-04-10", "2024-10-01"),  # same-day transfer to S2
        ("L3", "S2", "2024-10-01", None),
        ("L4", "S2", "2024-10-01", "2024-10-01"),  # on roll no day (next starts that day)
        ("L4", "S1", "2024-10-01", None),
        ("L5", "S9", "2024-05-01", None),          # SRB not in srbs: not counted
        ("L6", "S2", "2023-01-01", "2024-03-31"),  # ended before the year
        ("L7", "S2", "2025-03-31", None),          # starts on the last day
        ("L8", "S2", None, None),                  # no start: never on roll
        ("L9", "S1", "2024-04-01", "2025-06-01"),  # a stay inside another
        ("L9", "S1", "2024-05-01", "2024-05-02"),
    ]
    p = pd.DataFrame(rows, columns=["learner_id", "srb_id", "start_date", "end_date"])
    p = p.assign(start_date=pd.to_datetime(p["start_date"]),
                 end_date=pd.to_datetime(p["end_date"]), panel_date=pd.NaT)
    srbs = pd.DataFrame({"srb_id": ["S1", "S2", "S3", "S1"]})  # S1 twice, S3 empty
    toy = SimpleNamespace(srbs=srbs, placements=p, learners=pd.DataFrame())
    demo = load_dataset(Path(__file__).resolve().parents[1] / "data" / "demo")
    year = V.financial_year_days(FY)
    for data, days in ((toy, year), (toy, year[::7]), (demo, year)):
        counts = O.census_counts(data, list(days))["on_roll"].to_numpy("int64")
        daily = O.daily_on_roll(data, days)
        assert daily.shape == (len(days), len(pd.unique(data.srbs["srb_id"])))
        assert (daily.ravel() == counts).all()
        assert daily.sum() > 0
    with pytest.raises(ParameterError, match="days"):
        O.daily_on_roll(toy, year[::-1])
