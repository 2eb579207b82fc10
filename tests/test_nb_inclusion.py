"""notebooks/20_inclusion: executes for all SRBs and single SRBs, both audiences, and
keeps learner ids, small counts, NaN and warnings out of what it shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from .conftest import DEMO, MINIMAL, ROOT, demo_report
from .nbcheck import check_report as _check
from .nbcheck import demo_srb as _demo_srb
from .nbcheck import run_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "20_inclusion.ipynb"


def _run(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    return run_notebook(NOTEBOOK, tmp_path, name, **parameters)


@pytest.mark.parametrize("phase, audience", [
    (None, "published"), (None, "internal"), ("secondary", "internal"),
    ("primary", "published"),  # the secondary SRB (9 learners) is too small to publish
])
def test_demo_renders(request: pytest.FixtureRequest, phase: str | None, audience: str):
    """Read from the demo renders shared by the session (tests/conftest.py)."""
    srb = "all" if phase is None else _demo_srb(phase)
    nb, _ = demo_report(request, "20_inclusion", srb=srb, audience=audience)
    text = _check(nb, DEMO, audience)
    assert "## Exit criterion" in text
    if audience == "internal" and srb != "all":
        assert "Each learner in this resource base" in text
        assert re.search(r"\bL\d{4}\b", text)  # internal reports may list learners
    if audience == "published":
        assert "Each learner in this resource base" not in text
        assert "first and latest share" not in text


def test_minimal_dataset_weekly_with_a_window_and_named_core_subjects(tmp_path: Path):
    nb = _run(tmp_path, "minimal", data_dir=str(MINIMAL), srb="SRB01", audience="internal",
              period="week", window_start="2022-09-01", window_end="2023-08-31",
              core_subjects=["english", "mathematics"])
    text = _check(nb, MINIMAL, "internal")
    # L01 is SRB01's one learner, with records in two weeks: 2022-W36 (5 Sep 2022) and
    # 2023-W01 (6 Jan 2023); latest week 900 / 2400 = 37.5%, below 50%.
    assert "In their latest week, 0 of 1 learners (0%) spent at least 50%" in text
    # 40% then 37.5%: the trend line falls 2.5 points, within 5: steady
    assert "stayed steady for 1 of 1 learners (100%)" in text
    assert "two or more weeks of records" in text


def test_a_dataset_without_inclusion_records_says_so(tmp_path: Path):
    data = tmp_path / "no_inclusion"
    shutil.copytree(MINIMAL, data)
    (data / "inclusion.csv").unlink()
    nb = _run(tmp_path, "none", data_dir=str(data), audience="internal")
    text = _check(nb, data, "internal")
    assert "No inclusion records were supplied" in text
