"""Where two published figures for one thing differ, a sentence says why (issue #18).

Unit tests of :mod:`srb_eval.report.differences`, then the demo renders: the progress
report explains its placement counts and its two learner counts per resource base, the
Estyn outcomes report explains why its median waits differ from the capacity report's.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from srb_eval.errors import ParameterError
from srb_eval.report.differences import (
    estyn_waits_pointer,
    learner_counts_note,
    moved_learners_note,
    results_and_learners_note,
    waits_note,
)


def progress(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"learner_id": [p[0] for p in pairs],
                         "placement_start": pd.to_datetime([p[1] for p in pairs])})


def test_a_move_between_resource_bases_is_explained_without_a_published_count():
    p = progress(("a", "2022-09-01"), ("a", "2024-01-08"), ("b", "2022-09-01"),
                 ("b", "2022-09-01"), ("c", "2023-09-01"))
    internal = moved_learners_note(p, audience="internal")
    assert "1 of the 3 learners moved" in internal
    published = moved_learners_note(p, audience="published")
    assert "some learners moved" in published
    assert not re.search(r"\d", published)


def test_no_move_no_sentence():
    p = progress(("a", "2022-09-01"), ("a", "2022-09-01"), ("b", "2023-09-01"))
    assert moved_learners_note(p, audience="internal") == ""
    with pytest.raises(ParameterError):
        moved_learners_note(p, audience="committee")


def test_learner_counts_compare_only_counts_shown_in_both():
    a = pd.DataFrame({"SRB": ["S1", "S2", "S3", "S4", "all"],
                      "learners": ["49", "<5", "12", "[c]", "150"]})
    b = pd.DataFrame({"SRB": ["S1", "S2", "S3", "S4", "all"],
                      "learners": ["45", "<5", "12", "7", "139"]})
    note = learner_counts_note(a, b, by="SRB", first_counts="results judged",
                               second_counts="targets reviewed")
    assert note.endswith("(learners with results judged, then learners with targets "
                         "reviewed), and a learner can have one kind of record and not the "
                         "other: S1 49 and 45.")
    assert "S2" not in note and "S3" not in note and "S4" not in note and "150" not in note
    assert learner_counts_note(a, a, by="SRB", first_counts="x", second_counts="y") == ""


def test_waits_compare_the_medians_both_reports_show():
    here = pd.DataFrame({"interval": ["referral to panel", "panel to start", "panel to start"],
                         "group": ["all", "all", "primary"], "n": ["12", "12", "7"],
                         "median_weeks": ["8.1", "21.0", "25.0"]})
    there = here.assign(n=["46", "46", "30"], median_weeks=["8.1", "13.6", "[c]"])
    note = waits_note(here, there, here_words="that started in 2025/26",
                      there_words="that started in the three years to 1 October 2025",
                      there_report="the capacity report")
    assert "Panel to start: 21.0 weeks here (12 placements), 13.6 weeks there (46 " in note
    assert "eferral to panel" not in note and "25.0" not in note
    hidden = there.assign(median_weeks=["8.1", "[c]", "[c]"])
    assert waits_note(here, hidden, here_words="x", there_words="y", there_report="z") == ""


def page_text(out, name: str) -> str:
    html = (out / "published" / name).read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def test_results_beside_learners_are_explained_only_where_shown_and_more():
    t = pd.DataFrame({"instrument": ["Reading Age Test", "Spelling Age"],
                      "area": ["literacy", "literacy"], "learners": ["137", "20"],
                      "ratio gains measured": ["131", "[c]"], "gaps known": ["141", "20"]})
    note = results_and_learners_note(t)
    assert "a learner who moved from one resource base to another has a result in each" \
        in note
    assert "Reading Age Test, literacy: gaps known 141, learners 137." in note
    assert "131" not in note and "Spelling Age" not in note  # not more than the learners
    assert results_and_learners_note(t.assign(learners=["[c]", "20"])) == ""  # hidden
    with pytest.raises(ParameterError):
        results_and_learners_note(t.drop(columns="gaps known"))


def test_the_capacity_report_points_to_the_estyn_waits():
    note = estyn_waits_pointer()
    assert "Table 6.2" in note and "not comparable" in note


def test_the_published_reports_say_why_their_figures_differ(rendered_demo):
    out, _ = rendered_demo
    progress_text = page_text(out, "10_learner_progress__published.html")
    # each learner's progress is of one placement (latest_placement_results): no
    # learner is counted twice, so no note of learners who moved, nor of more results
    # than learners
    assert "some learners moved from one resource base to another" not in progress_text
    assert re.search(r"learners with targets reviewed\), and a learner can have one kind of "
                     r"record and not the other: SRB01 \(primary\) \d+ and \d+", progress_text)
    outcomes = page_text(out, "30_estyn_outcomes.html")
    assert re.search(r"median waits here differ from those in the capacity report", outcomes)
    assert not re.search(r"Reading Age Test, literacy: gaps known \d+, learners \d+",
                         progress_text)
    assert estyn_waits_pointer() in page_text(out, "40_capacity.html")
