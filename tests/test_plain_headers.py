"""Every table a report shows has plain-English column headers (issue #18): no code
names ("srb id", snake_case), no statistical shorthand ("km median years", "interval
80pct", "g av") and no bare "n" or "p". The recorded result tables (tables/*.csv) keep
their column names: only what a reader sees changes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup

from srb_eval.report.headers import PLAIN_HEADERS, plain_header
from srb_eval.report.notebook import display_frame

#: Words a reader should not meet in a header.
JARGON = re.compile(r"\bsrbs?\b|\bsrb id\b|\bn\b|\bp\b(?! value)|\bkm\b|\bpct\b|\bg av\b|"
                    r"\bshare (?:to|from)\b|>=")


def report_headers(out: Path) -> dict[str, set[str]]:
    """{header text: reports showing it} over every HTML report of a render."""
    found: dict[str, set[str]] = {}
    for page in sorted(out.rglob("*.html")):
        if page.name == "index.html":
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for th in soup.select("table thead th"):
            found.setdefault(th.get_text(" ", strip=True), set()).add(page.name)
    return found


def bad_headers(found: dict[str, set[str]]) -> dict[str, set[str]]:
    return {h: pages for h, pages in found.items() if "_" in h or JARGON.search(h)}


def test_the_demo_suite_shows_plain_headers(rendered_demo):
    out, _ = rendered_demo
    found = report_headers(out)
    assert {"learners who left", "resource base", "placements with both dates"} <= set(found)
    assert bad_headers(found) == {}


def test_the_per_srb_set_shows_plain_headers(rendered_per_srb):
    out, _ = rendered_per_srb
    found = report_headers(out)
    assert found
    assert bad_headers(found) == {}


def test_the_recorded_tables_keep_their_column_names(rendered_demo):
    out, _ = rendered_demo
    header = (out / "published" / "tables" / "40_capacity" / "length_of_stay.csv"
              ).read_text(encoding="utf-8").splitlines()[0]
    assert "n_left" in header and "km_median_years" in header


def test_every_plain_header_is_plain():
    assert bad_headers({v: set() for v in PLAIN_HEADERS.values()}) == {}
    assert bad_headers({k: set() for k in PLAIN_HEADERS}) != {}  # the names it replaces


def test_display_frame_shows_plain_headers_and_keeps_the_others():
    df = pd.DataFrame({"srb_id": ["SRB01"], "n_left": [3], "median_gain": [1.5],
                       "SRB": ["x"]})
    shown = display_frame(df).data.columns.tolist()
    assert shown == ["resource base", "learners who left", "median gain", "SRB"]
    assert plain_header("interval_80pct") == PLAIN_HEADERS["interval 80pct"]
