"""Notebook 45_value_for_money executed with papermill: published and internal on the demo
data, and on a dataset without the cost tables (three renders).

Each run must finish without an error or stderr output and print no NaN/None/<NA>; the
published run must show no learner or placement id and no small count; the run without
cost tables must still answer what it can (sufficiency) and say which tables it needs.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from srb_eval import load_dataset

from .conftest import DEMO, MINIMAL, ROOT, demo_report
from .nbcheck import assert_no_ids_nor_small_counts, report_text, run_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "45_value_for_money.ipynb"


def _run(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    return run_notebook(NOTEBOOK, tmp_path, name, cwd=ROOT, **parameters)


HEADINGS = ("What the SRBs cost (2025-26, cash prices)", "What the alternatives cost",
            "A scenario: SRB places instead of placements outside",
            "Cost per learner making at least expected progress in literacy",
            "Are there places for the needs?", "By language of provision",
            "Against the forecast", "How far learners travel", "Read with care",
            "A scenario, not a forecast", "What these figures can and cannot show")


def test_demo_published(request: pytest.FixtureRequest) -> None:
    nb, _ = demo_report(request, "45_value_for_money")  # as the demo suite renders it
    text = report_text(nb)
    ds = load_dataset(DEMO)
    assert_no_ids_nor_small_counts(nb, text, [*ds.learners["learner_id"], *ds.external_placements["placement_id"]])
    for heading in HEADINGS:
        assert heading in text, heading
    assert "£" in text and "Tables this report needs" not in text
    assert "By phase (internal only)" not in text
    assert "srb_eval." not in text  # no code names in a committee paper


def test_demo_internal_in_real_terms_with_other_parameters(tmp_path: Path) -> None:
    nb = _run(tmp_path, "internal", data_dir=str(DEMO), audience="internal",
              financial_year="2024-25", prices="2025-26", scenario_learners="3",
              from_settings="independent_special", new_place_cost=20000.0)
    text = report_text(nb)
    assert "What the SRBs cost (2024-25, cash prices)" in text
    assert "restated in 2025-26 prices" in text and "2025-26 prices" in text
    assert "By phase (internal only)" in text
    assert "by phase, language and primary need (internal only)" in text
    # the placements outside restated in real terms too, the price base named
    assert "placements outside the SRBs in each financial year, in 2025-26 prices" in text
    assert "Placing 3 learners" in text
    assert "£20,000 a place" in text


def test_a_dataset_without_cost_tables_says_which_tables(tmp_path: Path) -> None:
    nb = _run(tmp_path, "minimal", data_dir=str(MINIMAL), audience="internal",
              census_date="2023-10-01")
    text = report_text(nb)
    assert "Tables this report needs" in text
    assert "srb_costs, external_placements" in text
    assert "Are there places for the needs?" in text  # still answered
    assert "What the SRBs cost" not in text and "A scenario" not in text
    assert "Traceback" not in text


def test_a_suite_on_the_demo_without_cost_tables_renders_and_passes_the_audit(tmp_path):
    """The demo without the three value-for-money tables: the data-quality, capacity and
    value-for-money reports render (published and internal), the published ones pass the
    disclosure audit, and report 45 says which tables it needs."""
    import shutil

    import yaml

    from srb_eval.data import schema as S
    from srb_eval.run.render import render

    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    for name in S.COST_TABLES:
        (data / f"{name}.csv").unlink()
    p = tmp_path / "run.yaml"
    p.write_text(yaml.safe_dump({"title": "no costs", "data_dir": str(data), "reports": [
        {"notebook": "00_data_quality", "parameters": {"audience": "internal"}},
        {"notebook": "40_capacity", "parameters": {"audience": "published"}},
        {"notebook": "45_value_for_money", "name": "vfm_published",
         "parameters": {"audience": "published"}},
        {"notebook": "45_value_for_money", "name": "vfm_internal",
         "parameters": {"audience": "internal"}}]}))
    out = tmp_path / "out"
    results = render(p, out=out, jobs=2, progress=False)
    assert [r.status for r in results] == ["ok"] * 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["disclosure_audit"]["passed"] is True
    page = (out / "published" / "vfm_published.html").read_text(encoding="utf-8")
    assert "srb_costs, external_placements" in page
    tables = sorted(f.name for f in (out / "published" / "tables" / "vfm_published").iterdir()
                    if f.suffix == ".csv")
    # the tables that need no money: places against demand (by need, by language, against
    # the forecast) and travel by area
    assert tables == ["forecast_sufficiency.csv", "sufficiency.csv",
                      "sufficiency_by_language.csv", "travel.csv"]
