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
    sc = V.scenario(ds, FY, learners=6)
    assert sc.loc[sc["line"] == "cost avoided", "learners"].min() < 5
    shown = W.display_scenario(sc, audience="published")
    _clean(shown)
    avoided = shown.loc[shown["line"] == "cost avoided"]
    assert len(avoided) == 1 and avoided["learners"].iloc[0] == "6"
    assert "," in avoided["setting"].iloc[0]
    assert shown["pounds a year"].iloc[-1] == W.money(sc["pounds"].iloc[-1])
    assert len(W.display_scenario(sc, audience="internal")) == len(sc)
    few = W.display_scenario(V.scenario(ds, FY, learners=3), audience="published")
    assert (few["pounds a year"] == SUPPRESSED_TEXT).all()
    assert (few["learners"] == SUPPRESSED_TEXT).all()
    assert "not shown" in W.scenario_sentences(few)[0]
    s = W.scenario_sentences(shown)[0]
    assert s.startswith("Placing 6 learners") and "a year less" in s


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
