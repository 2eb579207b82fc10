"""notebooks/30_estyn_outcomes: executes for both audiences and keeps learner ids, small
counts, NaN and warnings out of what it shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from srb_eval.disclosure import find_unsuppressed_small_counts

from .conftest import DEMO, MINIMAL, ROOT, learner_ids

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "30_estyn_outcomes.ipynb"
#: Missing values as pandas or Python print them. "None" is matched with its capital only:
#: "none" is Estyn-style English at the end of the quantifier scale ("none: 0 of 8").
MISSING_TEXT = re.compile(r"(?i:\bnan\b)|\bNone\b|<NA>|&lt;NA&gt;")


def _run(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, kernel_name="python3",
                        progress_bar=False, cwd=str(tmp_path))
    return nbformat.read(out, as_version=4)


def _outputs(nb: nbformat.NotebookNode) -> tuple[list[str], list[str]]:
    """(every text, markdown and HTML output except provenance, the stderr streams)."""
    texts, errors = [], []
    for cell in nb.cells:
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                (errors if o.name == "stderr" else texts).append(o.text)
            elif o.output_type == "error":
                errors.append(f"{o.ename}: {o.evalue}")
            else:
                data = o.get("data", {})
                rich = [data[k] for k in ("text/markdown", "text/html") if k in data]
                texts += rich or [data.get("text/plain", "")]
    return texts, errors


def _check(nb: nbformat.NotebookNode, data_dir: Path, audience: str) -> str:
    texts, errors = _outputs(nb)
    assert errors == []
    text = "\n".join(texts)
    assert not MISSING_TEXT.search(text), MISSING_TEXT.search(text).group(0)
    if audience == "published":
        everything = nbformat.writes(nb)  # outputs, metadata and provenance too
        for lid in learner_ids(data_dir):
            assert not re.search(rf"\b{re.escape(lid)}\b", everything), lid
        assert find_unsuppressed_small_counts(text) == []  # markdown and HTML tables
    return text


@pytest.mark.parametrize("audience", ["published", "internal"])
def test_demo_renders(tmp_path: Path, audience: str):
    nb = _run(tmp_path, audience, data_dir=str(DEMO), audience=audience)
    text = _check(nb, DEMO, audience)
    for heading in ("## Main findings: ", "## Standards and progress: ", "## Wellbeing: ",
                    "## Inclusion: ", "## Transition and destinations: ",
                    "## Strategic planning: ", "### Groups of learners (Estyn R5)",
                    "## Recommendations"):
        assert heading in text, heading
    assert any(c.source.startswith("## Caveats") for c in nb.cells
               if c.cell_type == "markdown")
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
    nb = _run(tmp_path, "empty", data_dir=str(data), audience="published",
              academic_year="2010/11", comparison_year="2009/10")
    text = _check(nb, data, "published")
    assert "## No learners were placed in an SRB in 2010/11" in text
    nb = _run(tmp_path, "small", data_dir=str(data), audience="internal",
              academic_year="2022/23", comparison_year="2021/22", min_n=1)
    text = _check(nb, data, "internal")
    assert "## Inclusion: no inclusion records were supplied" in text


def test_bad_parameters_fail_with_the_parameter_named(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError, match="academic_year"):
        _run(tmp_path, "bad", data_dir=str(DEMO), academic_year="2025-26")
    with pytest.raises(pm.PapermillExecutionError, match=r"finding_rules\[0\]"):
        _run(tmp_path, "bad2", data_dir=str(DEMO), finding_rules=[{"measure": "x"}])
