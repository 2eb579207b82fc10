"""Notebook 40_capacity executed with papermill for the parameter sets of issue #6.

Each run must finish without an error or stderr output, print no NaN/None/<NA>, and a
published run must show no learner id of its dataset. The published Fig. 3 run must
reproduce the figures of the source table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from srb_eval.report import text_checks

from .conftest import DEMO, MINIMAL, ROOT, demo_report, learner_ids, shown_ids
from .nbcheck import NAN_TEXT, run_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "40_capacity.ipynb"
BAD_TEXT = NAN_TEXT


def _run(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    return run_notebook(NOTEBOOK, tmp_path, name, cwd=ROOT, **parameters)


def _texts(nb: nbformat.NotebookNode) -> list[str]:
    """Every text output (markdown, HTML, plain text, streams) of the notebook."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.output_type != "error", f"{o.get('ename')}: {o.get('evalue')}"
            if o.output_type == "stream":
                assert o.name != "stderr", f"stderr output: {o.text[:300]}"
                out.append(o.text)
            for mime, value in o.get("data", {}).items():
                if mime.startswith("text/"):
                    out.append(value if isinstance(value, str) else "".join(value))
    return out


def _provenance_free(nb: nbformat.NotebookNode) -> str:
    """Outputs except the provenance cell (which lists parameters such as 'None')."""
    cells = [c for c in nb.cells if "nbval-ignore-output" not in c.metadata.get("tags", [])]
    return "\n".join(_texts(nbformat.from_dict({**nb, "cells": cells})))


def _check_clean(nb: nbformat.NotebookNode) -> str:
    text = _provenance_free(nb)
    _texts(nb)  # errors and stderr anywhere, provenance included
    return _assert_no_missing(text)


def _assert_no_missing(text: str) -> str:
    assert "<NA>" not in text and "&lt;NA&gt;" not in text, "missing value printed"
    plain = re.sub(r"<[^>]*>", " ", text.replace("&lt;", "‹"))
    bad = BAD_TEXT.findall(plain)
    assert not bad, f"missing values printed: {bad[:5]}"
    return text


@pytest.mark.parametrize("text", ["<td>nan</td>", "median NaN weeks", "<NA>", "None",
                                  "&lt;NA&gt;"])
def test_the_missing_value_check_can_fail(text: str) -> None:
    with pytest.raises(AssertionError):
        _assert_no_missing(text)


def test_shown_ids_finds_what_a_search_for_each_id_finds() -> None:
    """The privacy scans look learner ids up among a text's words (conftest.shown_ids):
    the same ids as a search for each one as a whole word, on texts made to catch a
    difference (ids inside longer words, beside punctuation, ids that are not words)."""
    import random

    rng = random.Random(20)
    ids = ["L0001", "L0010", "L01", "SRB01", "é1", "L-02", "a b", "x.y", "1"]
    pieces = [*ids, "L00010", "xL01", "L01_", "-", " ", ".", "\n", "ée", "<td>", "_", "9"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        want = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
        assert shown_ids(ids, text) == want, text
    assert shown_ids(["L01"], "pupil L01, aged 9") == ["L01"]
    assert shown_ids(["L01"], "pupil L010") == []


def _check_no_ids(nb: nbformat.NotebookNode, data_dir: Path) -> None:
    everything = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert shown_ids(learner_ids(data_dir), everything) == []


def test_demo_published(request: pytest.FixtureRequest) -> None:
    """Read from the demo suite's render shared by the session (tests/conftest.py)."""
    nb, _ = demo_report(request, "40_capacity", name="40_capacity")
    text = _check_clean(nb)
    _check_no_ids(nb, DEMO)
    assert text_checks.find_unsuppressed_small_counts(text) == []
    for heading in ("Waiting for a place", "Need mix", "Length of stay", "Forecast to"):
        assert heading in text, heading
    assert "learner_id" not in text


def test_demo_internal_other_census_and_horizon(tmp_path: Path) -> None:
    nb = _run(tmp_path, "demo_internal", data_dir=str(DEMO), audience="internal",
              census_date="2024-10-01", horizon_years=5)
    text = _check_clean(nb)
    assert "Forecast to 2029/30" in text  # 2024/25 + 5 years
    assert "By designation" in text


def test_published_fig3_agrees_with_the_source_table(tmp_path: Path) -> None:
    nb = _run(tmp_path, "fig3", data_dir="data/published", source="published_fig3",
              audience="published")
    text = _check_clean(nb)
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", text))
    # Fig. 3: numbers autumn 2020 / capacity, occupancy, unfilled places
    for name, on_roll, places, share, unfilled in (
            ("Overmonnow Primary School", 20, 20, "100%", 0),
            ("Pembroke Primary School", 19, 20, "95%", 1),
            ("Deri View Primary School", 3, 8, "37.5%", 5),
            ("Caldicot Secondary School", 49, 55, "89.1%", 6),
            ("Monmouth Comprehensive School", 25, 55, "45.5%", 30)):
        row = re.search(rf"{name} \S+ {places} {on_roll} {re.escape(share)} {unfilled} 0 ",
                        plain)
        assert row, f"{name}: {on_roll}/{places} = {share}, {unfilled} unfilled not shown"
    # totals: 20+19+3+49+25 = 116 on roll; 158 places; 0+1+5+6+30 = 42 unfilled
    assert re.search(r"all SRBs all 158 116 73.4% 42 0", plain)
    assert "42 places unfilled" in plain
    assert "not available" in plain  # sections needing learner records are skipped
    assert "Need mix in Fig. 2: ASD the largest group, 31% in January and 35%" in plain


def test_minimal_dataset_published_is_withheld(tmp_path: Path) -> None:
    """Three learners, two SRBs: too few to publish; the report says so and stops."""
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path, "minimal", data_dir=str(MINIMAL), audience="published",
             census_date="2023-10-01", horizon_years=2)
    assert err.value.ename == "ReportWithheld"
    nb = nbformat.read(tmp_path / "minimal.ipynb", as_version=4)
    shown = "\n".join(str(o.get("data", {}).get("text/markdown", ""))
                      for c in nb.cells for o in c.get("outputs", []))
    assert "Too few learners to publish" in shown
    assert "Occupancy" not in shown  # nothing after the notice
    _check_no_ids(nb, MINIMAL)


def test_minimal_dataset_internal_does_not_break(tmp_path: Path) -> None:
    """Three learners, two SRBs, internal: every section runs or says it is skipped."""
    nb = _run(tmp_path, "minimal", data_dir=str(MINIMAL), audience="internal",
              census_date="2023-10-01", horizon_years=2)
    _check_clean(nb)
