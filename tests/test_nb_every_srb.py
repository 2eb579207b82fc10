"""The progress and inclusion reports execute for every demo SRB, in both audiences.

Issues 3 and 4 ask that ``10_learner_progress`` and ``20_inclusion`` run "for every SRB
and for 'all', for both audiences" (the "all" runs are in ``test_nb_progress.py`` and
``test_nb_inclusion.py``). One ``srb-eval render`` with a fan-out per SRB and audience
renders them all in parallel; each executed notebook is then checked as a reader would
see it: no error, no NaN/None text, and for the published audience no learner id and
no unsuppressed count from 1 to 4.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from srb_eval.run.render import render

from .conftest import DEMO
from .nbcheck import check_report as _check

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("every_srb")
    spec = {"title": "every SRB", "data_dir": str(DEMO), "reports": [
        {"notebook": nb, "name": f"{nb}__{audience}", "parameters": {"audience": audience},
         "fan_out": {"srb": "each"}}
        for nb in ("10_learner_progress", "20_inclusion")
        for audience in ("published", "internal")]}
    params = tmp / "every_srb.yaml"
    params.write_text(yaml.safe_dump(spec))
    out = tmp / "out"
    results = render(params, out=out, jobs=2, progress=False)
    assert [r.status for r in results] == ["ok"] * len(results), [
        (r.name, r.error) for r in results if r.status != "ok"]
    return out


def test_every_srb_and_audience_was_rendered(rendered: Path):
    srbs = sorted(pd.read_csv(DEMO / "srbs.csv")["srb_id"])
    manifest = json.loads((rendered / "manifest.json").read_text())
    got = {(Path(r["notebook_path"]).stem, r["parameters"]["srb"],
            r["parameters"]["audience"]) for r in manifest["reports"]}
    assert got == {(nb, s, a) for nb in ("10_learner_progress", "20_inclusion")
                   for s in srbs for a in ("published", "internal")}


def test_each_report_reads_cleanly(rendered: Path):
    manifest = json.loads((rendered / "manifest.json").read_text())
    for r in manifest["reports"]:
        if r["withheld"]:  # too few learners to publish: header and notice only
            html = (rendered / r["files"]["html"]).read_text()
            assert "Too few learners to publish" in html and "Traceback" not in html
            assert r["parameters"]["audience"] == "published" and not r["results"]
            continue
        nb = nbformat.read(rendered / f"{r['name']}.ipynb", as_version=4)
        text = _check(nb, DEMO, r["parameters"]["audience"])
        assert r["parameters"]["srb"] in text  # the report says which SRB it is about
