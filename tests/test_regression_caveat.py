"""Every published figure, table and sentence that counts improvements carries the
regression-to-the-mean caveat beside it (issue #16).

Learners are placed in a resource base because their scores are low, so part of any
improvement counted among them is regression to the mean. The scan reads the published
HTML of the demo suite and of the per-SRB set: a table, a figure (by its alternative
text) or a sentence that counts learners or results making expected progress, a reliable
improvement or an impact must have the caveat
(:func:`srb_eval.report.regression_wording.regression_caveat`) in the same notebook cell,
that is between it and the next part of the report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from srb_eval.report.regression_wording import (
    CAVEAT_LEAD,
    REGRESSION_HEADING,
    regression_caveat,
    regression_estimable,
)

#: Words of a count of improvements: expected progress (or better), reliable improvement,
#: learners who improved, Brooks' impact bands.
IMPROVEMENT = re.compile(r"expected progress|reliable improvement|improved|improvement|"
                         r"impact", re.IGNORECASE)
#: A count or a share in a sentence: "58 of 96", "316 results", "72%".
COUNT = re.compile(r"\b\d[\d,]* (?:of [\d,]+ )?(?:results|learners)\b|\b\d[\d,]* of [\d,]+\b"
                   r"|\d%")
#: Sections that state rules or actions rather than count learners (their tables and
#: figures are still scanned).
RULE_SECTIONS = ("Appendix", "Recommendations", "Provenance")
DIGIT = re.compile(r"\d")


def counting_items(page: Path) -> list[tuple[str, bool]]:
    """(what, whether the caveat is in its cell) for every table, figure and sentence of
    a rendered report that counts improvements."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    items = []
    section = ""
    for cell in soup.select("div.jp-Cell"):
        text = cell.get_text(" ", strip=True)
        has_caveat = CAVEAT_LEAD in text
        for el in cell.find_all(["h1", "h2", "h3", "p", "li", "table", "img"]):
            if el.name == "h2":
                section = el.get_text(" ", strip=True)
            if el.name == "table":
                words = el.get_text(" ", strip=True)
                if IMPROVEMENT.search(words) and any(DIGIT.search(td.get_text())
                                                     for td in el.find_all("td")):
                    items.append((f"table: {words[:80]}", has_caveat))
            elif el.name == "img":
                alt = el.get("alt", "")
                if IMPROVEMENT.search(alt):
                    items.append((f"figure: {alt[:80]}", has_caveat))
            elif el.find_parent("table") is None and not section.startswith(RULE_SECTIONS):
                words = el.get_text(" ", strip=True)
                if IMPROVEMENT.search(words) and COUNT.search(words) and CAVEAT_LEAD not in words:
                    items.append((f"{el.name}: {words[:80]}", has_caveat))
    return items


def published_pages(out: Path) -> list[Path]:
    pages = sorted(p for p in (out / "published").glob("*.html") if p.name != "index.html")
    assert pages, f"no published report in {out}"
    return pages


def check_pages(pages: list[Path]) -> list[str]:
    counted = [(page.name, what, ok) for page in pages for what, ok in counting_items(page)]
    assert counted, "no published report counts improvements: the scan has found nothing"
    return [f"{name}: {what}" for name, what, ok in counted if not ok]


def test_every_published_count_of_improvements_in_the_demo_suite_has_the_caveat(
        rendered_demo):
    out, _ = rendered_demo
    pages = published_pages(out)
    assert {p.name for p in pages} >= {"10_learner_progress__published.html",
                                       "30_estyn_outcomes.html",
                                       "60_comparison__published.html"}
    assert check_pages(pages) == []


def test_every_published_count_of_improvements_in_the_per_srb_set_has_the_caveat(
        rendered_per_srb):
    out, _ = rendered_per_srb
    assert check_pages(published_pages(out)) == []


def test_the_progress_report_has_the_table_the_caveat_points_to(rendered_demo):
    out, _ = rendered_demo
    page = (out / "published" / "10_learner_progress__published.html").read_text(
        encoding="utf-8")
    assert REGRESSION_HEADING in page
    assert page.count(CAVEAT_LEAD) >= 5  # bands (3), reliable change, appendix, caveats
    # the comparison report points to the same table by its title
    assert REGRESSION_HEADING in (out / "published" / "60_comparison__published.html"
                                  ).read_text(encoding="utf-8")


def test_the_scan_finds_counts_without_the_caveat(tmp_path: Path):
    page = tmp_path / "r.html"
    page.write_text(
        '<div class="jp-Cell"><h2>Expected progress or better in 611 of 850 results</h2>'
        '<img alt="Figure: Expected progress by resource base (n=850 results)"></div>'
        f'<div class="jp-Cell"><p>72 learners improved.</p><p>{CAVEAT_LEAD} ...</p></div>'
        '<div class="jp-Cell"><h2>Appendix</h2><p>F1: at least expected progress (90%)</p>'
        "</div>")
    assert counting_items(page) == [
        ("h2: Expected progress or better in 611 of 850 results", False),
        ("figure: Figure: Expected progress by resource base (n=850 results)", False),
        ("p: 72 learners improved.", True)]


@pytest.mark.parametrize("shown", [True, False])
def test_the_caveat_points_to_the_table_only_when_there_is_one(shown):
    text = regression_caveat(shown, where="below")
    assert text.startswith(f"**{CAVEAT_LEAD}**")
    assert (f'"{REGRESSION_HEADING}" below' in text) is shown
    assert ("cannot be estimated" in text) is not shown


def test_regression_is_estimable_only_for_a_standard_score_with_mean_and_reliability():
    import pandas as pd

    def inst(scale, mean, reliability):
        return pd.DataFrame({"scale": [scale], "mean": [mean], "reliability": [reliability]})

    assert regression_estimable(inst("standard_score", 100.0, 0.9))
    assert not regression_estimable(inst("standard_score", None, 0.9))
    assert not regression_estimable(inst("standard_score", 100.0, None))
    assert not regression_estimable(inst("steps", 100.0, 0.9))
    assert not regression_estimable(pd.DataFrame({"scale": ["standard_score"]}))
