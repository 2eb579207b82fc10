"""Disclosure records of the learner progress report's published tables
(:mod:`srb_eval.report.progress_records`): each record states every count its table
shows, with hidden cells recorded as hidden, and the records of the all-SRB report and
of the per-SRB reports of the demo data audit clean together."""

from __future__ import annotations

import pandas as pd
import pytest

from srb_eval import load_dataset
from srb_eval.measures import progress as P
from srb_eval.measures import progress_groups as G
from srb_eval.measures import progress_scales as S
from srb_eval.measures import targets as T
from srb_eval.report import progress_linked as L
from srb_eval.report import progress_records as R
from srb_eval.report import progress_tables as D
from srb_eval.report import targets as RT
from srb_eval.report.audit import feasible_ranges

from .conftest import DEMO

PUB = "published"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DEMO)


def report_records(ds, srb: str) -> dict[str, tuple[pd.DataFrame, dict]]:
    """Each published table of the progress report for ``srb`` with its record, made as
    ``notebooks/10_learner_progress`` makes them."""
    measures = R.progress_measures()
    cats = R.progress_categories(ds.srbs, ds.learners, ds.assessments, ds.targets)
    prog = P.dataset_progress(ds, srb=srb, areas="all", window_start=None, window_end=None)
    kw = {"measures": measures, "srb": srb}
    out = {}
    everyone = P.dataset_progress(ds, areas="all", window_start=None, window_end=None)
    cov = G.coverage(everyone, ds.placements, srb=srb)
    shown = D.display_coverage(cov, audience=PUB, part_of_all=srb != "all")
    out["coverage"] = shown, R.coverage_record(cov, shown, categories=cats, **kw)
    summary = G.group_summary(prog)
    gains = D.display_gains(summary, audience=PUB)
    out["progress_by_area"] = gains, R.gains_record(summary, gains, categories=cats, **kw)
    prog_all = None if srb == "all" else P.dataset_progress(
        ds, srb="all", areas="all", window_start=None, window_end=None)
    area_bands = L.bands_by_area(prog, summary, gains, audience=PUB, progress_all=prog_all)
    out["bands_by_area"] = area_bands, R.bands_record(
        summary, area_bands, by="pair", table_name="bands_by_area", categories=cats, **kw)
    others = [] if prog_all is None else L.published_srbs(ds.placements, ds.srbs["srb_id"])
    for by in (["srb_id"] if srb == "all" else []) + ["primary_need"]:
        table, shown = L.bands_by_group(prog, by=by, srb=srb, audience=PUB,
                                        progress_all=prog_all, others=others)
        name = f"bands_by_{'srb' if by == 'srb_id' else 'need'}"
        out[name] = shown, R.bands_record(table, shown, by=by, table_name=name,
                                          categories=cats, **kw)
    rsum = G.rci_summary(S.reliable_change(prog, ds.instruments, errors="skip"))
    if len(rsum):
        shown = L.reliable_change_table(rsum, summary, gains, area_bands, audience=PUB)
        out["reliable_change"] = shown, R.rci_record(
            rsum, shown, categories=cats, judged_pairs=R.rci_banded_pairs(prog),
            measured=R.measured_texts(summary, gains), **kw)
    rgs = G.ratio_gain_summary(S.ratio_gain(prog))
    shown = D.display_ratio_gain(rgs, audience=PUB)
    out["ratio_gain"] = shown, R.ratio_gain_record(rgs, shown, categories=cats, **kw)
    scores, by_area = T.review_scores(ds.targets, ds.placements, srb=srb)
    overall = T.gas_summary(scores)
    scores_all = None if srb == "all" else T.review_scores(ds.targets, ds.placements,
                                                           srb="all")[0]
    gas_srb, shown = L.gas_by_srb(scores, srb=srb, audience=PUB, scores_all=scores_all)
    out["gas_by_srb"] = shown, R.gas_records(gas_srb, shown, by="srb_id",
                                             table_name="gas_by_srb", categories=cats, **kw)
    gas_area = T.gas_summary(by_area, by="area")
    shown = RT.display_gas(gas_area, audience=PUB, total=overall)
    out["gas_by_area"] = shown, R.gas_records(gas_area, shown, by="area",
                                              table_name="gas_by_area", categories=cats, **kw)
    comps = pd.concat([G.compare_groups(prog, by, value="rate", drop_small=True,
                                       min_n=D.comparison_min_n(PUB))
                       for by in (["srb_id"] if srb == "all" else []) + ["sex", "fsm"]],
                      ignore_index=True)
    shown = D.display_comparisons(comps, audience=PUB)
    out["group_comparisons"] = shown, R.comparisons_record(comps, shown, **kw)
    for _, rec in out.values():
        rec["report"] = f"progress_{srb}"
    return out


@pytest.fixture(scope="module")
def all_srb(demo_progress_records):
    return demo_progress_records("all")


@pytest.fixture(scope="module")
def srb01(demo_progress_records):
    return demo_progress_records("SRB01")


COUNT_COLUMNS = {
    "bands_by_area": ["learners", "results judged", "below expected", "expected",
                      "above expected"],
    "bands_by_srb": ["learners", "results judged", "below expected", "expected",
                     "above expected"],
    "bands_by_need": ["learners", "results judged", "below expected", "expected",
                      "above expected"],
    "progress_by_area": ["learners", "results measured"],
    "reliable_change": ["learners", "results measured", "reliable improvement",
                        "no reliable change", "reliable deterioration"],
    "gas_by_srb": ["learners", "reviews", "targets reviewed", "met or exceeded",
                   "reviews with T of 50 or more"],
    "gas_by_area": ["learners", "reviews", "targets reviewed", "met or exceeded",
                    "reviews with T of 50 or more"],
}


@pytest.mark.parametrize("name", sorted(COUNT_COLUMNS))
def test_every_shown_count_is_recorded_once_as_shown(all_srb, srb01, name):
    for tables in (all_srb, srb01):
        if name not in tables:
            continue
        shown, rec = tables[name]
        cells = {(c["row"], c["column"]): c["text"] for c in rec["cells"]
                 if c["table"] == name}
        assert len(cells) == sum(1 for c in rec["cells"] if c["table"] == name)
        for col in COUNT_COLUMNS[name]:
            for i, text in enumerate(shown[col].astype(str)):
                assert cells.pop((i, col)) == text, (name, i, col)
        # the rest: counts the table implies (not met, below 50, ...), never a shown one
        assert all(col not in COUNT_COLUMNS[name] for _, col in cells)


def test_hidden_cells_are_recorded_as_hidden(all_srb):
    shown, rec = all_srb["bands_by_need"]
    hidden = {(c["row"], c["column"]) for c in rec["cells"] if c["text"] in ("<5", "[c]")}
    expect = {(i, col) for col in COUNT_COLUMNS["bands_by_need"]
              for i, t in enumerate(shown[col]) if t in ("<5", "[c]")}
    assert hidden == expect and hidden


def test_coverage_record_states_counts_and_small_complements(srb01, ds):
    cov = pd.DataFrame({"learners_placed": [20], "learners_assessed": [18],
                        "learners_with_follow_up": [16], "learners_measured": [14],
                        "results": [100], "results_measured": [80], "results_too_soon": [5],
                        "results_no_follow_up": [15]})
    shown = D.display_coverage(cov, audience=PUB)
    rec = R.coverage_record(cov, shown, measures=R.progress_measures(), srb="all",
                            categories=R.progress_categories(ds.srbs, ds.learners,
                                                             ds.assessments, ds.targets))
    texts = dict(zip(shown["item"], shown["value"], strict=True))
    assert texts["learners with a follow-up"].startswith("more than ")
    without = [c for c in rec["cells"] if c["dims"].get("follow_up") == "no"
               and c["table"] == "coverage"]
    assert [c["text"] for c in without] == ["<5"]
    assert {c["dims"].get("status") for c in rec["cells"] if "status" in c["dims"]} == {
        "measured", "too soon to judge", "no follow-up yet"}
    # a per-SRB report with a small complement states no learner count (their
    # complements add up to the all-SRB report's): recorded as hidden
    shown, rec = srb01["coverage"]
    texts = dict(zip(shown["item"], shown["value"], strict=True))
    assert texts["learners with a follow-up"] == "[c] of 45"
    hidden = [c for c in rec["cells"] if c["table"] == "coverage"
              and {"assessed", "follow_up", "measured"} & set(c["dims"])]
    assert hidden and all(c["text"] == "[c]" for c in hidden)


def test_published_comparisons_name_no_group_left_out_and_test_groups_of_ten(all_srb):
    # a group named as left out of one area's comparison and not of another's has no
    # result there: a zero of a group under five (the attack on SRB05's PMED learner)
    shown, rec = all_srb["group_comparisons"]
    left = shown.loc[shown["note"].str.contains("left out")]
    assert len(left) and (left["note"] == "smaller groups left out (fewer than 10)").all()
    assert (left["learners"] == "[c]").all()
    assert not [c for c in rec["cells"] if "left out" in c["dims"].values()]
    assert all(c["column"] == "learners" for c in rec["cells"])
    tested = shown.loc[shown["test"] != "none", "smallest group"]
    assert len(tested) and (tested.str.replace(",", "").astype(int) >= 10).all()


def test_progress_records_of_all_and_per_srb_reports_audit_clean_together(
        all_srb, srb01, demo_progress_records):
    srb05 = demo_progress_records("SRB05")
    records = [rec for tables in (all_srb, srb01, srb05) for _, rec in tables.values()]
    ranges = feasible_ranges(records)
    assert len(ranges) > 100
    bad = ranges.loc[~ranges["passes"]]
    assert bad.empty, bad[["report", "table", "row", "column", "reason"]].to_string()
