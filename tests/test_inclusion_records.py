"""The disclosure records of the inclusion report's published tables state every count
the table shows (hidden ones as hidden), under the measure and dims that link them."""

from __future__ import annotations

import pandas as pd

from srb_eval.report import inclusion_records as R
from srb_eval.report import inclusion_tables as T
from srb_eval.report import inclusion_thresholds as TH
from srb_eval.report.audit import check_record, feasible_ranges

SRBS = pd.DataFrame({"srb_id": ["S1", "S2"], "phase": ["primary", "secondary"]})
CATS = {"srb_id": ["S1", "S2"], "primary_need": ["ASD", "SLD"]}
P = {"period": "term", "window_start": None, "window_end": None, "srb": "all"}


def _shown() -> pd.DataFrame:
    t = pd.DataFrame({"srb_id": ["S1", "S2", "all"], "n": [20, 12, 32],
                      "at_or_above_50": [12, 8, 20], "at_or_above_60": [6, 3, 9],
                      "median_share": [0.6, 0.5, 0.55], "core_n": [20, 12, 32],
                      "core_at_or_above_80": [5, 6, 11], "median_core_share": [0.5] * 3})
    return TH.display_threshold_tables([t], audience="published")[0]


def test_threshold_record_states_every_count_cell():
    shown = _shown()
    rec = check_record(R.threshold_record(shown, table="t", measure="m", categories=CATS,
                                          srbs=SRBS))
    counts = ["learners", "at least 50% (learners)", "at least 60% (learners)",
              "learners with core subjects", "at least 80% of core (learners)"]
    stated = {(c["row"], c["column"]): c["text"] for c in rec["cells"] if c["table"] == "t"}
    assert stated == {(i, c): shown.loc[i, c] for i in range(len(shown)) for c in counts}
    assert any(t in ("<5", "[c]") for t in stated.values())  # hidden ones as hidden
    assert {c["measure"] for c in rec["cells"]} == {"m: share of the week",
                                                   "m: share of core subjects"}
    # nested: at least 60% are some of those at 50%; S1 is not secondary
    zeros = [c["dims"] for c in rec["cells"] if c["text"] == "0" and c["table"] != "t"]
    assert {"at least 50%": "no", "at least 60%": "yes"} in zeros
    assert {"srb_id": "S1", "phase": "secondary"} in zeros
    assert {(r["column"], r["numerator"]["dims"].get("srb_id")) for r in rec["ratios"]} >= {
        ("at least 50% (% of learners)", "S1")}
    assert feasible_ranges([rec])["passes"].all()


def test_cohort_record_states_rows_not_shown_as_hidden():
    cohort = pd.DataFrame({"phase": ["primary", "primary", "secondary"],
                           "period": ["a", "b", "a"], "n": [12, 11, 3], "core_n": [12, 10, 3],
                           "median_share": [0.5, 0.5, 0.5]})
    shown = T.cohort_for_audience(cohort, audience="published")
    rec = check_record(R.cohort_record(cohort, shown, table="m", parameters=P, srbs=SRBS))
    cells = [(c["table"], c["dims"].get("phase"), c["column"], c["text"])
             for c in rec["cells"] if c["text"] != "0"]
    assert ("m", "primary", "n", "12") in cells and ("m", "primary", "core_n", "10") in cells
    assert ("m (rows not shown)", "secondary", "n", "[c]") in cells
    assert {c["measure"] for c in rec["cells"]} == {
        "learners with a share in each term, start of the data to end of the data"}


def test_subjects_record_has_one_measure_per_subject():
    shown = pd.DataFrame({"subject": ["English", "art"], "core or other": ["core", "other"],
                          "learners timetabled": ["30", "12"],
                          "learners with mainstream time": ["30", "<5"]})
    rec = check_record(R.subjects_record(shown, table="s", parameters=P))
    assert [(c["row"], c["column"], c["text"]) for c in rec["cells"]] == [
        (0, "learners timetabled", "30"), (0, "learners with mainstream time", "30"),
        (1, "learners timetabled", "12"), (1, "learners with mainstream time", "<5")]
    assert len({c["measure"] for c in rec["cells"]}) == 2
