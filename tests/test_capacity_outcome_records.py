"""Disclosure records of the Estyn outcomes (30) and capacity (40) reports: every count a
recorded published table shows is stated in its record (hidden cells as hidden), the
same learners carry the same measure name in both reports, and the demo render audits
clean with them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from srb_eval import load_dataset
from srb_eval.measures.outcomes import evaluate
from srb_eval.report import outcome_populations as populations
from srb_eval.report import outcomes as wording
from srb_eval.report.audit import feasible_ranges
from srb_eval.run.audit import audit_folder

from .conftest import ROOT

MEASURE_TABLES = {"summary", "progress_by_srb", "wellbeing_by_srb", "inclusion_by_srb",
                  "r5_by_need", "leavers_by_srb"}
RECORDED = {
    "30_estyn_outcomes": {"awards", "destinations_by_srb", "stays", "occupancy",
                          "exit_reasons", "waiting_times", *MEASURE_TABLES},
    "40_capacity": {"occupancy", "occupancy_by_phase", "waiting_times", "need_mix",
                    "length_of_stay", "turnover", "forecast", "forecast_inputs"},
}
HIDDEN = ("<5", "[c]")


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_each_count_table_of_30_and_40_carries_a_record_of_what_it_shows(rendered_demo):
    out, _ = rendered_demo
    for report, tables in RECORDED.items():
        folder = out / "published" / "tables" / report
        got = {p.name.removesuffix(".disclosure.json") for p in folder.glob("*.disclosure.json")}
        assert got == tables, report
        for table in tables:
            rec = json.loads((folder / f"{table}.disclosure.json").read_text())
            shown = _rows(folder / f"{table}.csv")
            stated = {}
            for c in rec["cells"]:
                if c["table"] != table:  # known-empty keys, or a count stated twice
                    continue
                cell = shown[c["row"]][c["column"]]
                if table in MEASURE_TABLES:  # "a majority: 19 of 30 (63%)", "[c] of 28"
                    assert c["text"] in cell.split() or c["text"] in ("(" + cell).replace(
                        "(", " ").split() or cell.startswith(("too few", "more than")) or cell == "[c]", (
                        report, table, c, cell)
                    continue
                if table == "forecast_inputs" and cell not in HIDDEN:  # a mean a year:
                    years = int(shown[c["row"]]["years_of_history"])  # mean x years
                    assert int(c["text"]) == round(float(cell) * years), (table, c, cell)
                    cell = c["text"]
                assert c["text"] == cell, (report, table, c)
                stated[(c["row"], c["column"])] = c["text"]
            columns = {col for _, col in stated}
            for i, row in enumerate(shown):  # every hidden count of a recorded column
                if table == "forecast" and i and row["phase"] == shown[i - 1]["phase"]:
                    continue  # a later year: an expectation (hidden with its phase), no count
                for col in columns:
                    if row[col] in HIDDEN:
                        assert (i, col) in stated, (report, table, i, col)


@pytest.mark.slow
def test_the_two_reports_link_the_learners_on_roll_and_audit_clean(rendered_demo):
    out, _ = rendered_demo
    folder = out / "published" / "tables"
    measures = {r: {c["measure"] for c in json.loads(
        (folder / r / "occupancy.disclosure.json").read_text())["cells"]} for r in RECORDED}
    assert measures["30_estyn_outcomes"] == measures["40_capacity"] == {
        "learners_on_roll_2025-10-01", "awaiting_start_2025-10-01"}
    result = audit_folder(out / "published")
    assert not result.error
    mine = result.ranges.loc[result.ranges["report"].isin(list(RECORDED))]
    assert len(mine) > 50 and mine["passes"].all(), mine.loc[~mine["passes"]].to_string()


def test_measures_record_states_each_count_of_a_measure_table():
    """The record of an Estyn measure table: each cell's n, count and percentage."""
    ds = load_dataset(ROOT / "data" / "demo")
    res = evaluate(ds, academic_year="2025/26", min_n=5)
    by_srb = wording.display_measures(res.measures, group_type="srb_id",
                                      audience="published")
    ids = [f"progress_{a}" for a in ("literacy", "numeracy", "communication",
                                     "personal_social")]
    t = wording.measure_table(by_srb, measures=ids)
    rec = populations.measures_record(by_srb, t, table="progress_by_srb",
                                  academic_year="2025/26")
    cells = pd.DataFrame(rec["cells"])
    lit = cells.loc[cells["column"] == "at least expected progress: literacy"]
    # "many: 20 of 28 (71%)" for SRB01: 28 judged, 20 of them at least expected
    first = lit.loc[lit["row"] == 0].set_index("text")["dims"].to_dict()
    assert first == {"28": {"srb_id": "SRB01"},
                     "20": {"srb_id": "SRB01", "progress": "at least expected"}}
    assert any(r["text"] == "71%" for r in rec["ratios"])
    # "too few to judge": n and count hidden; "[c] of 28": the count hidden, n stated
    texts = cells.groupby("row")["text"].apply(list).to_dict()
    assert texts[1] == ["[c]"] * 8
    ranges = feasible_ranges([rec])
    assert len(ranges) > 0 and ranges["passes"].all()


def test_a_learner_counted_in_two_srbs_is_no_contradiction():
    """A learner who moved SRB counts in each SRB and once for the authority: the groups
    then exceed the authority, so neither the protection nor the record adds them up."""
    groups = ["SRB01", "SRB02", "all SRBs"]
    m = pd.DataFrame({
        "academic_year": "2025/26", "measure": "persistent_absence", "unit": "learners",
        "better": "lower", "group_type": ["srb_id", "srb_id", "authority"],
        "group": groups, "group_label": groups, "count": [3, 12, 14], "n": [20, 31, 50],
        "n_learners": [20, 31, 50], "value": [0.15, 12 / 31, 0.28], "judged": True})
    shown = wording.display_measures(m, group_type="srb_id", audience="published")
    table = wording.measure_table(shown)
    rec = populations.measures_record(shown, table, table="wellbeing_by_srb",
                                  academic_year="2025/26", measures=m)
    assert not [p for p in rec["partitions"] if p["dim"] == "srb_id"]
    ranges = feasible_ranges([rec])  # no contradiction raised
    assert ranges["passes"].all()
    with_sum = populations.measures_record(shown, table, table="wellbeing_by_srb",
                                       academic_year="2025/26")
    assert [p for p in with_sum["partitions"] if p["dim"] == "srb_id"]
