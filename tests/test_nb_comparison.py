"""Notebook 60_comparison executed with papermill: published and internal on the demo
data, and on a dataset without a comparison group (three renders).

Each run must finish without an error or stderr output and print no NaN/None/<NA>; the
published run must show no learner id (placed or comparison) and no small count.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from srb_eval import load_dataset
from srb_eval.report import text_checks

from .conftest import DEMO, MINIMAL, ROOT, demo_report
from .nbcheck import assert_no_ids_nor_small_counts, report_text, run_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "60_comparison.ipynb"


def _run(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    return run_notebook(NOTEBOOK, tmp_path, name, cwd=ROOT, **parameters)


def test_demo_published(request: pytest.FixtureRequest) -> None:
    nb, _ = demo_report(request, "60_comparison")  # as the demo suite renders it
    text = report_text(nb)
    ds = load_dataset(DEMO)
    assert_no_ids_nor_small_counts(nb, text, [*ds.learners["learner_id"], *ds.comparison_learners["learner_id"]])
    for heading in ("Who was compared", "Balance", "The effect and its interval",
                    "What this comparison can and cannot show",
                    "change beyond regression to the mean", "Hedges' g",
                    "95% interval", "No multilevel model"):
        assert heading in text, heading
    assert "Matched pairs" not in text
    assert "srb_eval." not in text  # no code names in a committee paper


def test_demo_internal_lists_the_pairs_and_other_parameters(tmp_path: Path) -> None:
    nb = _run(tmp_path, "internal", data_dir=str(DEMO), audience="internal",
              area="numeracy", match_on="need, phase", match_by="propensity",
              caliper_sd=0.5)
    text = report_text(nb)
    assert "Matched pairs (internal only)" in text
    assert re.search(r"\bL\d{4}\b", text) and re.search(r"\bC\d{4}\b", text)
    assert "Standardised Attainment Test, numeracy" in text
    assert "exactly on need, phase (phase" in text
    assert "nearest logit of a propensity score" in text


def test_a_dataset_without_a_comparison_group_says_which_tables(tmp_path: Path) -> None:
    nb = _run(tmp_path, "minimal", data_dir=str(MINIMAL), audience="internal")
    text = report_text(nb)
    assert "## No comparison group" in text or "No comparison group" in text
    assert "comparison_learners, comparison_assessments" in text
    assert "Traceback" not in text


def test_every_instrument_and_area_in_one_render(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # #16: area="all" gives one section per instrument and area compared, each with its
    # own recorded tables (the kernel records them where a render would)
    results = tmp_path / "tables"
    monkeypatch.setenv("SRB_EVAL_RESULTS_DIR", str(results))
    nb = _run(tmp_path, "all_areas", data_dir=str(DEMO), audience="published", area="all")
    text = report_text(nb)
    assert text_checks.find_unsuppressed_small_counts(text) == []
    for area in ("literacy", "numeracy"):
        assert f"## Standardised Attainment Test, {area}" in text
        assert f"### Standardised Attainment Test, {area}" in text  # how it was made
        for name in ("learners", "balance", "effects"):
            assert (results / f"{name}__standardised_attainment_test__{area}.csv").exists()
        assert (results / f"learners__standardised_attainment_test__{area}"
                          ".disclosure.json").exists()
    assert text.count("### Who was compared") == 2
    assert text.count("What this comparison can and cannot show") == 1
    assert "Result compared:** Standardised Attainment Test, literacy; Standardised " \
           "Attainment Test, numeracy" in text


def test_too_few_learners_for_one_area_leaves_it_out() -> None:
    from srb_eval.report.comparison import pairs_shown

    shown, note = pairs_shown({("SAT", "literacy"): 24, ("SAT", "numeracy"): 0},
                              audience="internal")
    assert shown == [("SAT", "literacy")]
    assert note == "Too few placed learners to compare: SAT, numeracy."


def test_two_matchings_in_one_render_pass_its_audit(tmp_path: Path) -> None:
    """Matched by baseline and by propensity in one render: each report records its
    matched learners as a breakdown of its own (the render's audit refused the two
    before, as one count with two values) and the audit passes."""
    import json

    import yaml

    from srb_eval.run.render import render

    spec = {"title": "two matchings", "data_dir": str(DEMO),
            "reports": [{"notebook": "60_comparison", "name": by,
                         "parameters": {"audience": "published", "match_by": by}}
                        for by in ("baseline", "propensity")]}
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump(spec))
    out = tmp_path / "out"
    render(params, out=out, jobs=1, progress=False)
    audit = json.loads((out / "manifest.json").read_text())["disclosure_audit"]
    assert audit["passed"] and audit["narrowed"] == 0
    dims = {by: [p["dim"] for p in json.loads((out / "published" / "tables" / by /
                                                 "learners.disclosure.json").read_text())[
        "partitions"]] for by in ("baseline", "propensity")}
    assert dims["baseline"][1].startswith("matched (on baseline;")
    assert dims["propensity"][1].startswith("matched (on propensity;")
