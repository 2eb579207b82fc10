"""The disclosure audit on real rendered output: render writes a record beside each
recorded published table, audits them all at once into the manifest and the internal
index, and every range the audit gives contains the true count (read from the internal
render of the same report), so a cell it calls recoverable really is.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
import yaml

from srb_eval.errors import RenderError
from srb_eval.run import render as render_module
from srb_eval.run.audit import audit_folder
from srb_eval.run.render import render

from .conftest import DEMO, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("audit")
    spec = {"title": "audit", "data_dir": str(DEMO), "reports": [
        {"notebook": "20_inclusion", "name": f"inc_{a}", "parameters": {"audience": a}}
        for a in ("published", "internal")] + [
        {"notebook": "20_inclusion", "name": f"inc_SRB01_{a}",
         "parameters": {"audience": a, "srb": "SRB01"}} for a in ("published", "internal")]}
    params = tmp / "audit.yaml"
    params.write_text(yaml.safe_dump(spec))
    out = tmp / "out"
    render(params, out=out, jobs=2, progress=False)
    return out


def _table(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_render_audits_its_published_records(rendered: Path):
    manifest = json.loads((rendered / "manifest.json").read_text())
    audit = manifest["disclosure_audit"]
    assert audit["records"] == 2 and audit["hidden"] > 0
    assert audit["passed"] == (audit["narrowed"] == 0)
    index = (rendered / "index.html").read_text()
    assert "Disclosure audit" in index
    records = sorted(p.name for p in (rendered / "published").rglob("*.disclosure.json"))
    assert records == ["trend_by_need.disclosure.json", "trend_by_srb.disclosure.json"]
    assert not list((rendered / "tables").rglob("*.disclosure.json"))  # internal: none


def test_every_audited_range_holds_the_true_count(rendered: Path):
    result = audit_folder(rendered / "published")
    assert not result.error
    names = {"trend_by_srb": ("inc_published", "inc_internal"),
             "trend_by_need": ("inc_SRB01_published", "inc_SRB01_internal")}
    checked = 0
    for table, (pub, internal) in names.items():
        truth = _table(rendered / "tables" / internal / f"{table}.csv")
        shown = _table(rendered / "published" / "tables" / pub / f"{table}.csv")
        assert len(truth) == len(shown)
        for r in result.ranges[result.ranges["report"] == pub].itertuples():
            value = int(truth[r.row][r.column])
            high = math.inf if math.isinf(r.high) else int(r.high)
            assert r.low <= value <= high, (pub, r.row, r.column, value, r.low, high)
            if r.low == high:  # "fixes it at": the audit has recovered the exact count
                assert value == r.low
            checked += 1
    assert checked == len(result.ranges) > 0


def test_the_demo_and_per_srb_suites_pass_the_audit_together(rendered_demo, tmp_path: Path):
    """Issue #14's test: every published report of the demo suite and of the per-SRB
    committee set, audited as one, leaves every hidden count as wide as the policy says."""
    demo, _ = rendered_demo
    per_srb = tmp_path / "per_srb"
    render(ROOT / "parameters" / "demo_per_srb.yaml", out=per_srb, jobs=2, progress=False)
    result = audit_folder(demo / "published", per_srb / "published")
    assert not result.error
    # the all-SRB trend table and SRB01 and SRB05 by need (SRB02-04 are withheld as too
    # small), and every published table of the progress reports
    names = {(f.parent.name, f.name.split(".")[0]) for f in result.files}
    assert {("20_inclusion__published", "trend_by_srb"),
            ("20_inclusion__srb-SRB01", "trend_by_need")} <= names
    progress = {"coverage", "progress_by_area", "bands_by_need", "bands_by_area",
                "reliable_change", "ratio_gain", "gas_by_srb", "gas_by_area",
                "group_comparisons"}
    for report, tables in (("10_learner_progress__published", progress | {"bands_by_srb"}),
                           ("10_learner_progress__srb-SRB01", progress),
                           ("10_learner_progress__srb-SRB05", progress - {"reliable_change"})):
        assert {t for r, t in names if r == report} == tables, report
    assert len(result.ranges) > 50  # hidden counts were checked
    narrowed = result.ranges.loc[~result.ranges["passes"]]
    assert narrowed.empty, narrowed.head(10).to_string()
    for out in (demo, per_srb):
        assert json.loads((out / "manifest.json").read_text())["disclosure_audit"]["passed"]


def test_a_failed_audit_fails_the_render_and_writes_nothing(tmp_path: Path, monkeypatch):
    failed = {"records": 1, "hidden": 3, "narrowed": 1, "passed": False, "error": "",
              "cells": [{"report": "inc", "table": "trend_by_srb", "row": 3,
                         "column": "falling", "key": "k", "low": 3, "high": 3,
                         "reason": "SRB04 / falling is '<5' but the published cells fix it "
                                   "at 3"}]}
    monkeypatch.setattr(render_module, "audit_summary", lambda folder: failed)
    spec = {"title": "t", "data_dir": str(DEMO), "reports": [
        {"notebook": "40_capacity", "parameters": {"audience": "published"}}]}
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump(spec))
    with pytest.raises(RenderError) as err:
        render(params, out=tmp_path / "out", jobs=1, progress=False)
    message = str(err.value)
    assert "disclosure audit failed: 1 of 3" in message and "fix it at 3" in message
    assert "Nothing was written" in message
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.yaml"]  # no output, no staging
