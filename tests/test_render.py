"""srb-eval render: parameter checks, execution, HTML without code, index and manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from srb_eval import ParameterError, RenderError
from srb_eval.render import plan, render

from .conftest import MINIMAL, ROOT, learner_ids

pytestmark = pytest.mark.slow


def _params(tmp_path: Path, reports: list[dict], data_dir: Path = MINIMAL) -> Path:
    p = tmp_path / "run.yaml"
    p.write_text(yaml.safe_dump({"title": "test run", "data_dir": str(data_dir),
                                 "reports": reports}))
    return p


def test_unknown_parameter_is_refused_before_anything_runs(tmp_path: Path):
    p = _params(tmp_path, [
        {"notebook": "00_data_quality", "parameters": {"audiense": "internal"}},
        {"notebook": "no_such_notebook"},
    ])
    with pytest.raises(ParameterError) as info:
        render(p, out=tmp_path / "out")
    msg = str(info.value)
    assert "unknown parameter 'audiense'" in msg and "no_such_notebook not found" in msg
    assert not (tmp_path / "out").exists()


def test_plan_fans_out_over_a_list(tmp_path: Path):
    spec = yaml.safe_load(_params(tmp_path, [
        {"notebook": "00_data_quality", "fan_out": {"audience": ["internal", "published"]}},
    ]).read_text())
    jobs = plan(spec)
    assert [j.name for j in jobs] == ["00_data_quality__audience-internal",
                                      "00_data_quality__audience-published"]
    assert jobs[1].parameters == {"data_dir": str(MINIMAL), "audience": "published"}


def test_render_writes_reports_index_and_manifest(tmp_path: Path):
    p = _params(tmp_path, [
        {"notebook": "00_data_quality", "name": "dq_internal",
         "parameters": {"audience": "internal"}},
        {"notebook": "00_data_quality", "name": "dq_published",
         "parameters": {"audience": "published"}},
    ])
    out = tmp_path / "out"
    results = render(p, out=out, jobs=2, progress=False)
    assert [r.status for r in results] == ["ok", "ok"]
    names = sorted(f.name for f in out.iterdir())
    assert names == ["dq_internal.html", "dq_internal.ipynb", "dq_published.html",
                     "dq_published.ipynb", "index.html", "logs", "manifest.json", "tables"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["inputs"]) == {str((MINIMAL / f).relative_to(ROOT)) for f in
                                       sorted(p.name for p in MINIMAL.iterdir())}
    assert manifest["versions"]["pandas"].startswith("3.")
    assert manifest["git"]["commit"]
    tables = manifest["reports"][0]["results"]
    assert set(tables) == {"tables", "coverage"}
    assert all(len(h) == 64 for h in tables.values())
    html = (out / "dq_published.html").read_text()
    assert "import srb_eval" not in html and "from srb_eval" not in html
    assert "Traceback" not in html and "Warning" not in html
    assert not re.search(r">\s*nan\s*<", html, flags=re.I)
    for lid in learner_ids(MINIMAL):
        assert not re.search(rf"\b{lid}\b", html), lid
    index = (out / "index.html").read_text()
    assert 'href="dq_internal.html"' in index and "all rendered" in index
    assert not list(tmp_path.glob(".out.*")), "staging folder left behind"


def test_a_failing_report_does_not_stop_the_others(tmp_path: Path):
    import nbformat

    bad = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("raise ValueError('deliberate failure')")]
    nbformat.write(nb, bad)
    p = _params(tmp_path, [{"notebook": str(bad)},
                           {"notebook": "00_data_quality", "parameters": {"audience":
                                                                          "internal"}}])
    out = tmp_path / "out"
    with pytest.raises(RenderError) as info:
        render(p, out=out, jobs=2, progress=False)
    assert "broken: cell 1: ValueError: deliberate failure" in str(info.value)
    assert (out / "00_data_quality.html").exists()
    assert (out / "broken.ipynb").exists()
    index = (out / "index.html").read_text()
    assert "FAILED at cell 1" in index and "1 failed" in index
