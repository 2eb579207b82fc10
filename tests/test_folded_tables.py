"""Long tables folded by group in the HTML (issue 18): one ``<details>`` per group, a
summary line naming and counting it, every text from the data escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from srb_eval.report import notebook as report

HOSTILE = '<script>alert("x")</script> & [link](javascript:x)'


def test_a_folded_table_escapes_its_summary_caption_and_cells():
    df = pd.DataFrame({"learner": [HOSTILE, "L0002"], "gain": [1.5, 2.0]})
    page = report.folded_html(df, f"{HOSTILE}: 2 rows", caption=HOSTILE)
    assert page.startswith('<details class="srb-folded"><summary>')
    assert page.rstrip().endswith("</details>")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "<details" in page and "open" not in page.split(">", 1)[0]  # closed at first


def test_show_by_group_folds_each_group_in_order(monkeypatch: pytest.MonkeyPatch):
    shown: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    df = pd.DataFrame({"SRB": ["SRB02", "SRB01", "SRB02", HOSTILE],
                       "learner": ["L1", "L2", "L3", "L4"]})
    report.show_by_group(df, "SRB", nouns=("result", "results"), names={"SRB01": "SRB01 (primary)"},
                         order=["SRB01", "SRB09"], caption="Results below expected")
    summaries = [s.split("<summary>")[1].split("</summary>")[0] for s in shown]
    # the order given first (a group without rows left out), then as they appear
    assert summaries == ["SRB01 (primary): 1 result", "SRB02: 2 results",
                         "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                         "[link](javascript:x): 1 result"]
    assert all("<script>" not in s for s in shown)
    assert "Results below expected: SRB01 (primary)" in shown[0]
    assert ">SRB<" not in shown[1]  # the grouping column is in the summary, not repeated
    assert shown[1].count("<tr") == 3  # header and two rows


def test_show_by_group_loses_no_row_whose_group_is_missing(monkeypatch: pytest.MonkeyPatch):
    """Every row is shown once: a row with no group value is folded under a group of its
    own, not dropped (and not shown as an empty group)."""
    shown: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    df = pd.DataFrame({"SRB": ["SRB02", None, "SRB02", "SRB01"],
                       "learner": ["L1", "L2", "L3", "L4"]})
    report.show_by_group(df, "SRB")
    assert [s.split("<summary>")[1].split(":")[0] for s in shown] == [
        "SRB02", "nan", "SRB01"]
    assert [s.count("<tr") - 1 for s in shown] == [2, 1, 1]
    assert sorted(x for s in shown for x in ("L1", "L2", "L3", "L4") if f">{x}<" in s) == [
        "L1", "L2", "L3", "L4"]
