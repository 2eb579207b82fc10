"""Progress across a move between SRBs, worked by hand: which placements make one stay,
and that the baseline of the first placement meets the latest result of the last."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from srb_eval.errors import ParameterError
from srb_eval.measures.moves import MAX_MOVE_GAP_DAYS, progress_across_moves, srb_stays
from srb_eval.measures.progress import learner_progress

INSTRUMENTS = pd.DataFrame({"instrument": ["Steps"], "scale": ["steps"], "sd": [np.nan],
                            "reliability": [np.nan], "expected_gain_per_year": [6.0]})


def _placements(rows):
    return pd.DataFrame(rows, columns=["learner_id", "srb_id", "start_date", "end_date",
                                       "destination"]).assign(
        start_date=lambda d: pd.to_datetime(d["start_date"]),
        end_date=lambda d: pd.to_datetime(d["end_date"]))


PLACEMENTS = _placements([
    # a move at the end of Year 6: 20 July to 4 September is 46 days
    ("L1", "SRB01", "2021-09-01", "2023-07-20", "other_srb"),
    ("L1", "SRB04", "2023-09-04", None, None),
    # back to mainstream, then placed again: two stays
    ("L2", "SRB01", "2021-09-01", "2022-07-20", "mainstream"),
    ("L2", "SRB02", "2022-09-05", None, None),
    # a gap of a whole term: two stays
    ("L3", "SRB01", "2021-09-01", "2022-07-20", "other_srb"),
    ("L3", "SRB04", "2023-01-09", None, None),
    # three placements, a same-day transfer then a summer move: one stay
    ("L4", "SRB01", "2020-09-01", "2021-02-01", None),
    ("L4", "SRB02", "2021-02-01", "2022-07-20", "other_srb"),
    ("L4", "SRB05", "2022-09-05", "2024-07-19", "mainstream"),
])


def test_which_placements_make_one_stay():
    s = srb_stays(PLACEMENTS)
    got = {(r.learner_id, r.stay): (r.first_srb_id, r.srb_id, r.n_placements)
           for r in s.itertuples()}
    assert got == {("L1", 0): ("SRB01", "SRB04", 2),
                   ("L2", 0): ("SRB01", "SRB01", 1), ("L2", 1): ("SRB02", "SRB02", 1),
                   ("L3", 0): ("SRB01", "SRB01", 1), ("L3", 1): ("SRB04", "SRB04", 1),
                   ("L4", 0): ("SRB01", "SRB05", 3)}
    l4 = s.loc[s["learner_id"] == "L4"].iloc[0]
    assert l4["start_date"] == pd.Timestamp("2020-09-01")
    assert l4["end_date"] == pd.Timestamp("2024-07-19")
    assert pd.isna(s.loc[s["learner_id"] == "L1", "end_date"].iloc[0])  # still placed
    # a shorter allowed gap splits the summer move; a longer one joins the term's gap
    assert len(srb_stays(PLACEMENTS, max_gap_days=30)) == 8
    assert srb_stays(PLACEMENTS, max_gap_days=200).query("learner_id == 'L3'")[
        "n_placements"].tolist() == [2]
    assert MAX_MOVE_GAP_DAYS >= 46


def test_progress_spans_the_move_where_each_placement_alone_cannot():
    a = pd.DataFrame({"learner_id": "L1", "instrument": "Steps", "area": "literacy",
                      "date": pd.to_datetime(["2022-09-12", "2023-03-06", "2024-03-04"]),
                      "score": [10.0, 12.0, 20.0]})
    within = learner_progress(a, PLACEMENTS, INSTRUMENTS)
    # per placement: 10 -> 12 in SRB01; one result only in SRB04 (no follow-up)
    assert within["gain"].tolist()[:1] == [2.0]
    assert within["status"].tolist() == ["measured", "no follow-up yet"]
    across = progress_across_moves(a, PLACEMENTS, INSTRUMENTS)
    assert len(across) == 1
    r = across.iloc[0]
    assert (r["first_srb_id"], r["srb_id"], r["n_placements"]) == ("SRB01", "SRB04", 2)
    assert (r["baseline_score"], r["outcome_score"], r["gain"]) == (10.0, 20.0, 10.0)
    # 12 Sep 2022 to 4 Mar 2024: 539 days
    assert r["elapsed_days"] == 539
    assert r["rate"] == pytest.approx(10 / (539 / 365.25))
    assert r["placement_start"] == pd.Timestamp("2021-09-01")


def test_learners_who_did_not_move_are_left_out_and_inputs_kept():
    before = PLACEMENTS.copy()
    a = pd.DataFrame({"learner_id": "L2", "instrument": "Steps", "area": "literacy",
                      "date": pd.to_datetime(["2021-10-01", "2023-03-01"]),
                      "score": [5.0, 9.0]})
    assert progress_across_moves(a, PLACEMENTS, INSTRUMENTS).empty
    pd.testing.assert_frame_equal(PLACEMENTS, before)


def test_bad_gap_is_refused():
    with pytest.raises(ParameterError, match="max_gap_days"):
        srb_stays(PLACEMENTS, max_gap_days=-1)


def test_areas_keep_only_those_areas_and_an_unknown_area_is_refused():
    a = pd.DataFrame({"learner_id": "L1", "instrument": "Steps",
                      "area": ["literacy", "numeracy", "literacy", "numeracy"],
                      "date": pd.to_datetime(["2022-09-12", "2022-09-12", "2024-03-04",
                                              "2024-03-04"]),
                      "score": [10.0, 4.0, 20.0, 9.0]})
    both = progress_across_moves(a, PLACEMENTS, INSTRUMENTS)
    assert sorted(both["area"].astype("str")) == ["literacy", "numeracy"]
    one = progress_across_moves(a, PLACEMENTS, INSTRUMENTS, areas=["numeracy"])
    assert one["area"].astype("str").tolist() == ["numeracy"]
    assert one["gain"].tolist() == [5.0]
    with pytest.raises(ParameterError, match="areas"):
        progress_across_moves(a, PLACEMENTS, INSTRUMENTS, areas=["flying"])
