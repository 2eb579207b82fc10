"""notebooks/10_learner_progress and 50_learner_profile: execute for all SRBs and single
SRBs, both audiences (the profile refuses "published"), and keep learner ids, small
counts, NaN and warnings out of what they show."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import papermill as pm
import pytest

from .conftest import DEMO, MINIMAL, ROOT, demo_report, learner_ids
from .nbcheck import check_report as _check
from .nbcheck import demo_srb as _demo_srb
from .nbcheck import run_notebook as _run

pytestmark = pytest.mark.slow

PROGRESS = ROOT / "notebooks" / "10_learner_progress.ipynb"
PROFILE = ROOT / "notebooks" / "50_learner_profile.ipynb"
@pytest.mark.parametrize("phase, audience", [
    (None, "published"), (None, "internal"), ("secondary", "internal"),
    ("primary", "published"),  # the secondary SRB (9 learners) is too small to publish
])
def test_progress_on_demo(request: pytest.FixtureRequest, phase: str | None, audience: str):
    """Read from the demo renders shared by the session (tests/conftest.py)."""
    srb = "all" if phase is None else _demo_srb(phase)
    nb, recorded = demo_report(request, "10_learner_progress", srb=srb, audience=audience)
    text = _check(nb, DEMO, audience)
    assert {"coverage", "progress_by_area", "bands_by_need", "gas_by_area",
            "group_comparisons"} <= set(recorded)
    if audience == "published":  # recorded tables are published with the report
        for lid in learner_ids(DEMO):
            assert not any(re.search(rf"\b{lid}\b", t) for t in recorded.values()), lid
        assert "learners with progress measured" in recorded["coverage"]
    assert "a baseline and a follow-up at least a term later" in text
    assert "Expected progress by primary need" in text
    # standardised scores: regression to the mean beside the raw change (issue 16)
    assert "How much of the change is regression to the mean?" in text
    assert "regression_to_the_mean" in recorded
    assert ("Expected progress by SRB" in text) == (srb == "all")
    # learners who moved between SRBs, also measured over the whole stay (issue 16)
    assert ("Progress over a stay across a move" in text) == (srb == "all")
    assert ("bands_across_moves" in recorded) == (srb == "all")
    assert "Group comparisons" in text and "Targets:" in text
    if audience == "internal":
        assert "results below expected progress to discuss at review" in text
        assert re.search(r"\bL\d{4}\b", text)  # internal reports may list learners
    else:
        assert "is in the internal version of this report only" in text
        assert "to discuss at review" not in text


def test_progress_on_minimal_with_a_window_and_areas(tmp_path: Path):
    nb = _run(PROGRESS, tmp_path, "minimal", data_dir=str(MINIMAL), srb="SRB01",
              window_start="2022-09-01", window_end="2023-08-31", areas=["literacy"],
              audience="internal")
    text = _check(nb, MINIMAL, "internal")
    # SRB01 had L01 and L02 placed in the window. L01: Steps literacy 10 -> 16 (20 Sep 2022
    # to 10 Jul 2023). L02: ReadAge baseline 20 Sep 2021 precedes the window (anchor
    # "baseline" keeps it), latest 20 Sep 2022 is inside: 72 -> 80. Both measured.
    assert "2 of 2 learners (100%) have a baseline and a follow-up" in text
    # L02's reading age: 8 / (365 / 30.4375) = 0.67 (of doubtful educational significance)
    assert "median ratio gain 0.67 over 1 result" in text
    assert "No comparison could be made" in text


def test_progress_without_assessments_or_targets_says_so(tmp_path: Path):
    data = tmp_path / "bare"
    shutil.copytree(MINIMAL, data)
    for table in ("assessments", "instruments", "targets", "inclusion", "attendance"):
        (data / f"{table}.csv").unlink()
    nb = _run(PROGRESS, tmp_path, "bare", data_dir=str(data), audience="internal")
    text = _check(nb, data, "internal")
    assert "No assessment records were supplied" in text
    assert "No targets were supplied" in text
    nb = _run(PROFILE, tmp_path, "bare-profile", data_dir=str(data), learner_id="L02")
    text = _check(nb, data, "internal")
    assert "No assessments to track progress from" in text
    assert "Targets: none reviewed yet" in text and "Attendance: no records" in text


def test_profile_on_demo(request: pytest.FixtureRequest):
    nb, _ = demo_report(request, "50_learner_profile", name="50_learner_profile",
                        audience="internal")  # as the demo suite renders it (L0001)
    (cell,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'learner_id = "L0001"' in cell.source
    text = _check(nb, DEMO, "internal")
    assert "Learner profile for the annual review: L0001" in text
    assert "measures judged (an instrument in an area)" in text
    assert "Time in mainstream classes:" in text and "Attendance:" in text


def test_profile_refuses_the_published_audience(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        _run(PROFILE, tmp_path, "refused", data_dir=str(DEMO), learner_id="L0001",
             audience="published")
    assert info.value.ename == "AudienceError"
    assert "internal audience only" in info.value.evalue
