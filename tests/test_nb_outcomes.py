"""notebooks/30_estyn_outcomes: executes for both audiences and keeps learner ids, small
counts, NaN and warnings out of what it shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from .conftest import DEMO, MINIMAL, ROOT, demo_report
from .nbcheck import check_report, run_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "30_estyn_outcomes.ipynb"


def _run(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    return run_notebook(NOTEBOOK, tmp_path, name, **parameters)


def _check(nb: nbformat.NotebookNode, data_dir: Path, audience: str) -> str:
    return check_report(nb, data_dir, audience, scan_tables=True)  # HTML tables too


@pytest.mark.parametrize("audience", ["published", "internal"])
def test_demo_renders(request: pytest.FixtureRequest, tmp_path: Path, audience: str):
    if audience == "published":  # as the demo suite renders it (tests/conftest.py)
        nb, _ = demo_report(request, "30_estyn_outcomes", name="30_estyn_outcomes")
    else:
        nb = _run(tmp_path, audience, data_dir=str(DEMO), audience=audience)
    text = _check(nb, DEMO, audience)
    for heading in ("## Main findings: ", "## Standards and progress: ", "## Wellbeing: ",
                    "## Inclusion: ", "## Transition and destinations: ",
                    "## Strategic planning: ", "### Groups of learners (Estyn R5)",
                    "## Recommendations"):
        assert heading in text, heading
    assert "## Caveats" in text
    assert "Table 6.3: every measure by primary need" in text
    assert "Compared with 2024/25" in text
    assert "Indicative judgement" not in text  # off by default
    if audience == "internal":
        # internal cells print count, n and share beside the Estyn word
        assert re.search(r"(a majority|many|most|around half): \d+ of \d+ \(\d+%\)", text)


def test_demo_with_judgement_and_own_rules(tmp_path: Path):
    rules = [{"measure": "attendance_rate", "comparison": "at_least", "threshold": "90%",
              "kind": "strength"},
             {"measure": "progress_*", "comparison": "below", "threshold": "most",
              "kind": "area_for_development"}]
    nb = _run(tmp_path, "judged", data_dir=str(DEMO), audience="published",
              indicative_judgement=True, finding_rules=rules, comparison_year=None)
    text = _check(nb, DEMO, "published")
    assert "### Indicative judgement: " in text
    assert "since September 2022" in text
    assert "F1: strength when attendance (sessions attended) is at least 90%" in text
    assert "### No comparison year" in text


def test_a_year_without_data_and_missing_tables(tmp_path: Path):
    data = tmp_path / "minimal"
    shutil.copytree(MINIMAL, data)
    (data / "inclusion.csv").unlink()
    nb = _run(tmp_path, "empty", data_dir=str(data), audience="internal",
              academic_year="2010/11", comparison_year="2009/10")
    text = _check(nb, data, "internal")
    assert "## No learners were placed in an SRB in 2010/11" in text
    # three learners are too few to publish: the published report stops after its notice
    with pytest.raises(pm.PapermillExecutionError, match="ReportWithheld"):
        _run(tmp_path, "withheld", data_dir=str(data), audience="published",
             academic_year="2010/11", comparison_year="2009/10")
    nb = _run(tmp_path, "small", data_dir=str(data), audience="internal",
              academic_year="2022/23", comparison_year="2021/22", min_n=1)
    text = _check(nb, data, "internal")
    assert "## Inclusion: no inclusion records were supplied" in text


def test_default_year_with_learners_on_roll_and_placements_only(tmp_path: Path):
    """Issue 16: at the default year (2025/26) a dataset of placements only, with
    learners on roll and nobody leaving, is reported on: occupancy and the unfilled-places
    finding, not "No learners were placed"."""
    data = tmp_path / "placements_only"
    data.mkdir()
    for table in ("srbs", "learners", "placements"):
        shutil.copy(MINIMAL / f"{table}.csv", data / f"{table}.csv")
    nb = _run(tmp_path, "placements_only", data_dir=str(data), audience="internal",
              min_n=1)
    text = _check(nb, data, "internal")
    assert "No learners were placed" not in text
    assert "## Main findings: " in text
    assert re.search(r"unfilled", text.split("### Areas for development")[1].split("##")[0])


def test_bad_parameters_fail_with_the_parameter_named(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError, match="academic_year"):
        _run(tmp_path, "bad", data_dir=str(DEMO), academic_year="2025-26")
    with pytest.raises(pm.PapermillExecutionError, match=r"finding_rules\[0\]"):
        _run(tmp_path, "bad2", data_dir=str(DEMO), finding_rules=[{"measure": "x"}])
