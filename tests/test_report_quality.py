"""srb_eval.report.quality: what each audience reads in the data-quality report."""

from __future__ import annotations

import pytest

from srb_eval import load_dataset
from srb_eval.errors import Problem
from srb_eval.measures import quality
from srb_eval.report import quality as wording
from srb_eval.report.disclosure import Thresholds

from .conftest import MINIMAL


@pytest.fixture(scope="module")
def minimal():
    return load_dataset(MINIMAL)


def test_headings_count_the_problems():
    p = Problem("learners.csv", 2, "sex", "Q", "unknown code")
    assert wording.problems_heading([]) == "## The dataset passed every check"
    assert wording.problems_heading([p]).startswith("## The dataset has 1 problem to fix")
    assert wording.problems_heading([p, p]).startswith("## The dataset has 2 problems to fix")


def test_published_problems_show_no_values():
    p = [Problem("learners.csv", 2, "sex", "Q", "unknown code"),
         Problem("learners.csv", 3, "sex", "Z", "unknown code"),
         Problem("srbs.csv", 2, "phase", "x", "unknown code")]
    note, table = wording.display_problems(p, audience="internal")
    assert note == "" and "Q" in table["value"].tolist()
    note, table = wording.display_problems(p, audience="published")
    assert "not shown" in note and "value" not in table.columns
    assert table["cells"].tolist() == [2, 1]


def test_coverage_sentence_counts_from_the_data_and_thresholds_from_the_policy(minimal):
    cov = quality.coverage(minimal)
    all_row = cov.iloc[-1]
    text = wording.coverage_sentence(cov, audience="internal")
    assert text.startswith(f"Of {all_row.learners} learners placed in an SRB, "
                           f"{all_row.with_baseline} have at least one assessment")
    strict = wording.coverage_sentence(cov, audience="published",
                                       thresholds=Thresholds(min_count=10))
    assert strict.startswith("Counts below 10 are shown as '<10'")


def test_missing_tables_are_named(minimal):
    summary = quality.table_summary(minimal)
    assert wording.missing_tables_sentence(summary) == "All 10 tables were supplied."
    summary.loc[summary["table"] == "targets", "supplied"] = False
    assert wording.missing_tables_sentence(summary).endswith("those sections): targets.")
