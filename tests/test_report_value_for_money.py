"""The value-for-money report's words and display tables (srb_eval.report.value_for_money):
money as text, costs of small groups hidden like counts, the scenario pooled or hidden
when few placements stand behind it, and the tables a dataset lacks named."""

from __future__ import annotations

import pandas as pd
import pytest

from srb_eval import ParameterError, load_dataset
from srb_eval.measures import sufficiency as SU
from srb_eval.measures import value_for_money as V
from srb_eval.report import value_for_money as W
from srb_eval.report import value_for_money_records as R
from srb_eval.report.audit import feasible_ranges
from srb_eval.report.disclosure import SUPPRESSED_TEXT

from .conftest import DEMO

FY = "2025-26"
BAD = ("nan", "NaN", "None", "<NA>", "NaT")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DEMO)


def _clean(df: pd.DataFrame) -> None:
    for v in df.astype("str").to_numpy().ravel():
        assert v not in BAD and "nan" not in v.lower(), v


def test_money_and_parameters():
    assert W.money(1234.5) == "£1,234" or W.money(1234.5) == "£1,235"
    assert W.money(-5) == W.MINUS + "£5"
    assert W.parse_learners("all") is None and W.parse_learners(7) == 7
    with pytest.raises(ParameterError, match="scenario_learners"):
        W.parse_learners("some")
    assert W.parse_settings(" independent_special, alternative_provision") == [
        "independent_special", "alternative_provision"]
    with pytest.raises(ParameterError, match="from_settings"):
        W.parse_settings("boarding")
    text = W.missing_tables_note(["srb_costs", "external_placements"])
    assert text.startswith("This report needs the tables srb_costs, external_placements")
    assert "deflators" in text


def test_alternatives_hide_the_costs_of_small_groups(ds):
    alt = V.alternative_costs(ds, FY)
    internal = W.display_alternatives(alt, audience="internal")
    shown = W.display_alternatives(alt, audience="published")
    _clean(internal)
    _clean(shown)
    small = (alt["placements"] > 0) & (alt["placements"] < 5)
    assert small.sum() == 2  # alternative provision (4) and another authority's SRB (1)
    for i in small[small].index:
        assert shown.loc[i, "placements"] in ("<5", SUPPRESSED_TEXT)
        assert (shown.loc[i, ["fees", "transport", "total cost",
                              "cost per place (a year)"]] == SUPPRESSED_TEXT).all()
    assert internal.loc[small.idxmax(), "total cost"].startswith("£")
    # the record audits clean
    ranges = feasible_ranges([R.alternatives_record(shown, FY)])
    assert len(ranges) == 2 and ranges["passes"].all()  # the two small types


def test_srb_costs_hide_the_filled_figures_of_an_srb_with_few_learners(ds):
    costs = V.srb_unit_costs(ds, FY)
    tiny = costs.copy()
    tiny.loc[1, "mean_on_roll"] = 1.2  # one or two learners on an average day
    shown = W.display_srb_costs(tiny, audience="published")
    _clean(shown)
    cols = ["mean places filled", "cost per filled place-day", "cost of unfilled places"]
    assert (shown.loc[1, cols] == SUPPRESSED_TEXT).all()
    # a second SRB is hidden too, or the total row would give the first away
    hidden = (shown[cols[0]] == SUPPRESSED_TEXT).sum()
    assert hidden == 2 and shown[cols[0]].iloc[-1] != SUPPRESSED_TEXT
    assert (W.display_srb_costs(tiny, audience="internal")[cols[0]] != SUPPRESSED_TEXT).all()
    assert shown.loc[1, "total cost"].startswith("£")  # the SRB's budget is not a learner's


def test_scenario_pools_small_setting_types_and_hides_a_small_scenario(ds):
    # the pounds of a setting type are a mean fee of its learners moved: a statistic,
    # shown for no fewer than min_denominator (10) of them
    sc = V.scenario(ds, FY)
    moved = sc.loc[sc["line"] == "cost avoided", "learners"]
    assert moved.min() < 10 <= moved.sum()
    shown = W.display_scenario(sc, audience="published")
    _clean(shown)
    avoided = shown.loc[shown["line"] == "cost avoided"]
    assert len(avoided) == 1 and avoided["learners"].iloc[0] == f"{int(moved.sum()):,}"
    assert "," in avoided["setting"].iloc[0]
    assert shown["pounds a year"].iloc[-1] == W.money(sc["pounds"].iloc[-1])
    assert len(W.display_scenario(sc, audience="internal")) == len(sc)
    for n in (3, 6, 9):  # fewer than ten moved in all: nothing of it is shown
        few = W.display_scenario(V.scenario(ds, FY, learners=n), audience="published")
        assert (few["pounds a year"] == SUPPRESSED_TEXT).all()
        assert (few["learners"] == SUPPRESSED_TEXT).all()
        assert "not shown" in W.scenario_sentences(few)[0]
    ten = W.display_scenario(V.scenario(ds, FY, learners=10), audience="published")
    s = W.scenario_sentences(ten)[0]
    assert s.startswith("Placing 10 learners") and "a year less" in s


def test_alternatives_hide_the_money_of_fewer_than_ten_placements_and_their_remainder(ds):
    # the attack: "all settings" less the two shown rows gave the fees of 5 placements
    alt = V.alternative_costs(ds, FY)
    shown = W.display_alternatives(alt, audience="published")
    _clean(shown)
    n = alt["placements"].to_numpy()
    part = (alt["setting_type"] != V.ALL_SETTINGS).to_numpy()
    gone = (shown["fees"] == SUPPRESSED_TEXT).to_numpy()
    assert (gone[(n > 0) & (n < 10)]).all()
    assert gone.any() and not gone[~part].any()
    assert n[gone & part].sum() == 0 or n[gone & part].sum() >= 10
    assert (shown["fees"] != SUPPRESSED_TEXT).any()
    internal = W.display_alternatives(alt, audience="internal")
    assert not (internal["fees"] == SUPPRESSED_TEXT).any()


def test_progress_costs_and_sufficiency_read_cleanly(ds):
    pc = V.cost_per_expected_progress(ds, FY)
    names = W.srb_names(ds.srbs)
    for audience in ("internal", "published"):
        shown = W.display_progress_costs(pc, names, audience=audience)
        _clean(shown)
        hidden = W.is_hidden(shown["at least expected"])
        assert (shown.loc[hidden, "cost per learner making at least expected progress"]
                == SUPPRESSED_TEXT).all()
        suff = W.display_sufficiency(SU.sufficiency(ds, "2025-10-01", by_phase=False),
                                     audience=audience, srbs=ds.srbs)
        if audience == "published":
            ranges = feasible_ranges([
                R.progress_costs_record(shown, pc["srb_id"].iloc[:-1].tolist(), FY,
                                        "literacy"),
                R.sufficiency_record(suff, "2025-10-01")])
            assert len(ranges) > 0 and ranges["passes"].all()
        _clean(suff)
        assert suff["primary need"].iloc[-1] == "all needs"
        assert suff["places"].iloc[-1] == "123"
        assert (suff.loc[W.is_hidden(suff["demand"]), "places less demand"]
                == SUPPRESSED_TEXT).all()


CENSUS = "2025-10-01"


def _shown_counts(shown: pd.DataFrame, columns: list[str]) -> list[str]:
    return [str(v) for c in columns for v in shown[c]]


def _recorded(record: dict, table: str) -> list[str]:
    return [c["text"] for c in record["cells"] if c["table"] == table]


def test_places_by_language_travel_and_forecast_are_recorded_and_audit_clean(ds):
    from srb_eval.measures import travel as T
    lang = W.display_language_sufficiency(SU.sufficiency(
        ds, CENSUS, by_phase=False, by_need=False, by_language=True), audience="published")
    travel = W.display_travel(T.travel_by_area(ds, CENSUS), audience="published")
    ahead = W.display_forecast_sufficiency(SU.forecast_sufficiency(ds, CENSUS),
                                           audience="published")
    alt = W.display_alternative_trend(V.alternative_cost_trend(ds), audience="published")
    need = W.display_sufficiency(SU.sufficiency(ds, CENSUS, by_phase=False),
                                 audience="published", srbs=ds.srbs)
    for t in (lang, travel, ahead, alt):
        _clean(t)
    records = {"lang": R.language_record(lang, CENSUS),
               "travel": R.travel_record(travel, CENSUS),
               "ahead": R.forecast_record(ahead, CENSUS),
               "alt": R.alternative_trend_record(alt)}
    # every count shown is stated in its record, hidden counts as hidden
    counts = ["on roll", "agreed, awaiting a start", "placed outside the SRBs", "demand"]
    assert sorted(_recorded(records["lang"], "sufficiency_by_language")) == sorted(
        _shown_counts(lang, counts))
    assert sorted(_recorded(records["travel"], "travel")) == sorted(
        _shown_counts(travel, list(W.TRAVEL_COLUMNS.values())))
    assert _recorded(records["ahead"], "forecast_sufficiency") == _shown_counts(
        ahead, ["placed outside the SRBs (today)"])
    assert _recorded(records["alt"], "alternative_trend") == alt["placements"].tolist()
    # languages without a row are known to be empty
    empty = [c["dims"] for c in records["lang"]["cells"] if "known" in c["table"]]
    assert {d["language of provision"] for d in empty} <= set(W.LANGUAGE_WORDS.values())
    # together, and with the table by need (the same learners), no hidden count narrows
    ranges = feasible_ranges([*records.values(), R.sufficiency_record(need, CENSUS)])
    assert len(ranges) > 0 and ranges["passes"].all(), ranges.loc[~ranges["passes"]]
    # a cost or difference that would give back a hidden count is hidden with it
    assert (lang.loc[W.is_hidden(lang["demand"]), "places less demand"]
            == SUPPRESSED_TEXT).all()
    for t in (lang, need):  # a demand is shown only beside all three of its counts
        part_hidden = W.is_hidden(t[counts[0]]) | W.is_hidden(t[counts[1]]) | W.is_hidden(
            t[counts[2]])
        assert W.is_hidden(t.loc[part_hidden, "demand"]).all()
    gone = W.is_hidden(ahead["placed outside the SRBs (today)"])
    assert (ahead.loc[gone, "places less demand"] == SUPPRESSED_TEXT).all()
    assert (alt.loc[W.is_hidden(alt["placements"]), "total cost"] == SUPPRESSED_TEXT).all()


def test_the_bilingual_placements_are_not_given_back_by_the_known_total(ds):
    """Fails on a table by language protected alone: Welsh-medium 0 and English-medium
    12 placements outside, beside the total of 15 that the travel table shows, gave the
    3 bilingual placements back exactly."""
    lang = W.display_language_sufficiency(SU.sufficiency(
        ds, CENSUS, by_phase=False, by_need=False, by_language=True), audience="published")
    row = lang.set_index("language of provision")["placed outside the SRBs"]
    assert W.is_hidden(row[["bilingual"]]).all()
    assert W.is_hidden(row[["English-medium"]]).all()  # else 15 - 0 - 12 = 3


def test_internal_tables_show_every_count(ds):
    from srb_eval.measures import travel as T
    lang = W.display_language_sufficiency(SU.sufficiency(
        ds, CENSUS, by_phase=False, by_need=False, by_language=True), audience="internal")
    # Welsh-medium: SRB01, SRB02 and SRB05, 20 + 8 + 55 places
    assert lang.set_index("language of provision").loc["Welsh-medium", "places"] == "83"
    assert lang["language of provision"].iloc[-1] == W.ALL_LANGUAGES
    travel = W.display_travel(T.travel_by_area(ds, CENSUS), audience="internal")
    assert not W.is_hidden(travel[W.TRAVEL_COLUMNS["on_roll"]]).any()
    detail = W.display_sufficiency(SU.sufficiency(ds, CENSUS, by_language=True),
                                   audience="internal", srbs=ds.srbs)
    assert "language of provision" in detail.columns
    _clean(detail)


def test_the_awaiting_total_is_not_given_back_by_the_demand(ds):
    """Fails on the table by need protected within itself: its total row showed on roll
    93 and demand 111, the travel table shows the 15 placed outside, so the 3 learners
    awaiting a start ([c] in every table) came back as 111 - 93 - 15. The record now
    states the demand as the sum of its three counts, so the audit sees it too."""
    from srb_eval.measures import travel as T
    need = W.display_sufficiency(SU.sufficiency(ds, CENSUS, by_phase=False),
                                 audience="published", srbs=ds.srbs)
    internal = W.display_sufficiency(SU.sufficiency(ds, CENSUS, by_phase=False),
                                     audience="internal", srbs=ds.srbs)
    travel = W.display_travel(T.travel_by_area(ds, CENSUS), audience="published")
    ahead = W.display_forecast_sufficiency(SU.forecast_sufficiency(ds, CENSUS),
                                           audience="published")
    others = [R.travel_record(travel, CENSUS), R.forecast_record(ahead, CENSUS)]
    total = need["primary need"] == "all needs"
    assert W.is_hidden(need.loc[total, "agreed, awaiting a start"]).all()
    assert not W.is_hidden(travel[W.TRAVEL_COLUMNS["placed_outside"]].iloc[[-1]]).any()
    record = R.sufficiency_record(need, CENSUS)
    assert {c["column"] for c in record["cells"]} >= {"demand"}
    assert len(record["sums"]) == len(need)
    ranges = feasible_ranges([record, *others])
    assert ranges["passes"].all(), ranges.loc[~ranges["passes"]]
    # the table as it was: the total row's demand shown
    leaky = need.copy()
    leaky.loc[total, ["demand", "places less demand"]] = internal.loc[
        total, ["demand", "places less demand"]].to_numpy()
    ranges = feasible_ranges([R.sufficiency_record(leaky, CENSUS), *others])
    awaiting = ranges.loc[(ranges["column"] == "agreed, awaiting a start")
                          & (ranges["key"] == "")]
    assert not ranges["passes"].all()
    assert len(awaiting) == 1 and awaiting["low"].iloc[0] == awaiting["high"].iloc[0]


def test_a_scenario_line_of_no_learners_moved_states_no_mean_of_a_few_placements():
    # (review) a type with 0 moved of 1 placement kept its own line: "the 1 placements
    # ...: £61,234", one learner's fee
    sc = pd.DataFrame({
        "line": ["cost avoided", "cost avoided", "net difference a year"],
        "setting_type": ["out_of_county_special", "independent_special", ""],
        "learners": [10, 0, 10], "pounds": [-500000.0, 0.0, -400000.0],
        "assumption": ["mean annual fee and transport of the 30 placements of this type "
                       "open on 31 March 2026 whose need and phase an SRB serves: £50,000",
                       "mean annual fee and transport of the 1 placements of this type "
                       "open on 31 March 2026 whose need and phase an SRB serves: £61,234",
                       "below 0: the scenario costs less"],
        "parameter": ["learners, from_settings"] * 2 + [""],
        "placements": pd.array([30, 1, pd.NA], dtype="Int64")})
    shown = W.display_scenario(sc, audience="published")
    assert (shown["line"] == "cost avoided").sum() == 1
    assert not shown["assumption"].str.contains("61,234").any()
    assert "61,234" in " ".join(W.display_scenario(sc, audience="internal")["assumption"])


def test_a_home_area_without_an_srb_records_its_zero_as_known(ds):
    """The demo's value-for-money report for 2023-24 (census 2023-10-01) was refused by
    its own audit: CL6 has no SRB, so its "0" learners in an SRB of their home area is a
    fact, not a count, but the record stated it as a count beside CL6's "[c]" in another
    area, a share of 100%. The record now holds it as known, as the protection does."""
    from srb_eval.measures import travel as T

    census = pd.Timestamp("2023-10-01")
    areas = ds.srbs["school_area"].dropna().astype(str)
    assert "CL6" not in set(areas)
    travel = W.display_travel(T.travel_by_area(ds, census), audience="published",
                              srb_areas=areas)
    cl6 = travel.set_index("home area").loc["CL6"]
    assert cl6["in an SRB in their home area"] == "0"
    rec = R.travel_record(travel, census, srb_areas=areas)
    known = [c for c in rec["cells"] if c["table"].endswith("(known to be empty)")]
    assert {c["dims"]["home_area"] for c in known} == {
        a for a in travel["home area"] if a not in set(areas) and a != T.ALL_AREAS}
    assert feasible_ranges([rec], shares=True)["passes"].all()
    # without the SRBs' areas the same zero is a count, and the share check fails
    bare = feasible_ranges([R.travel_record(travel, census)], shares=True)
    assert not bare["passes"].all()
