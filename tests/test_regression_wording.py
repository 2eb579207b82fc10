"""The regression-to-the-mean table and sentences: counts only as the Reliable Change
table shows them, means hidden with their count, intervals only from the minimum."""

from __future__ import annotations

import pandas as pd
import pytest

from srb_eval.report.regression_wording import display_regression, regression_sentences


def _summary(n: list[int], low: list[float], high: list[float]) -> pd.DataFrame:
    k = len(n)
    return pd.DataFrame({
        "instrument": "SAT", "area": ["literacy", "numeracy", "personal_social"][:k],
        "n_learners": n, "n": n, "mean_baseline": 70.0, "mean_change": 5.0,
        "mean_expected_regression": 3.0, "mean_beyond_regression": 2.0,
        "low": low, "high": high, "ci_method": "t", "note": ""})


def _rci_shown(results: list[str]) -> pd.DataFrame:
    areas = ["literacy", "numeracy", "personal social"][:len(results)]
    return pd.DataFrame({"instrument": "SAT", "area": areas, "learners": results,
                         "results measured": results})


def test_published_counts_are_those_of_the_reliable_change_table():
    s = _summary([40, 41], [0.5, -1.0], [3.5, 5.0])
    t = display_regression(s, audience="published", shown_counts=_rci_shown(["40", "[c]"]))
    assert t["results measured"].tolist() == ["40", "[c]"]
    # a mean is hidden with its count, so a reader cannot pair it with another n
    assert t["average change"].tolist() == ["+5.0", "[c]"]
    assert t["change beyond regression (95% interval)"].tolist() == ["+2.0 (+0.5 to +3.5)",
                                                                     "[c]"]
    sentences = regression_sentences(s, t)
    assert len(sentences) == 1 and sentences[0].startswith("SAT, literacy")
    assert "more than regression to the mean alone explains" in sentences[0]
    with pytest.raises(ValueError, match="shown_counts"):
        display_regression(s, audience="published")


@pytest.mark.parametrize("n, interval, verdict", [
    (2, False, "too few results to tell"),
    (5, True, "within what regression to the mean alone could explain"),
])
def test_small_groups_internal(n: int, interval: bool, verdict: str):
    s = _summary([n], [-1.0], [5.0])
    t = display_regression(s, audience="internal")
    assert t["results measured"].tolist() == [str(n)]
    assert ("(" in t["change beyond regression (95% interval)"][0]) == interval
    assert verdict in regression_sentences(s, t)[0]


def test_published_small_groups_show_no_means():
    s = _summary([3], [float("nan")], [float("nan")])
    t = display_regression(s, audience="published", shown_counts=_rci_shown(["3"]))
    assert t["average change"].tolist() == ["[c]"]
    assert regression_sentences(s, t) == []
