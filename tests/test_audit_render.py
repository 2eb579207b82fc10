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

import pandas as pd
import pytest
import yaml

from srb_eval.errors import RenderError
from srb_eval.report.audit import feasible_ranges
from srb_eval.report.public_facts import FACTS_TABLE, public_facts_record
from srb_eval.run import render as render_module
from srb_eval.run.audit import audit_folder, find_records, read_record
from srb_eval.run.jobs import FACTS_FOLDER
from srb_eval.run.render import render

from .conftest import DEMO

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def audited(rendered_demo, rendered_per_srb):
    """The demo suite and the per-SRB committee set (shared session renders), their
    published reports audited as one."""
    return audit_folder(rendered_demo[0] / "published", rendered_per_srb[0] / "published")


def _table(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_render_audits_its_published_records(rendered_demo, rendered_per_srb):
    for out, _ in (rendered_demo, rendered_per_srb):
        audit = json.loads((out / "manifest.json").read_text())["disclosure_audit"]
        records = list((out / "published").rglob("*.disclosure.json"))
        assert audit["records"] == len(records) > 0 and audit["hidden"] > 0
        assert audit["passed"] and audit["narrowed"] == 0
        assert "Disclosure audit" in (out / "index.html").read_text()
        assert not list((out / "tables").rglob("*.disclosure.json"))  # internal: none
    demo = rendered_demo[0] / "published" / "tables"
    assert {p.name for p in (demo / "20_inclusion__published").glob("*.disclosure.json")} == {
        f"{t}.disclosure.json" for t in (
            "latest_share_by_need", "latest_share_by_phase", "latest_share_by_srb",
            "median_share_by_period", "subjects", "trend_by_srb")}


def test_every_audited_range_holds_the_true_count(audited, rendered_demo, rendered_per_srb,
                                                  rendered_per_srb_internal):
    """Tables published and internal with the same rows and columns: each range the
    audit gives for a hidden cell contains the count the internal render shows."""
    assert not audited.error
    demo, srbs, srbs_internal = (r[0] for r in (rendered_demo, rendered_per_srb,
                                                 rendered_per_srb_internal))
    pairs = {("20_inclusion__published", "trend_by_srb"): (
                 demo / "tables" / "20_inclusion__internal",
                 demo / "published" / "tables" / "20_inclusion__published"),
             ("20_inclusion__srb-SRB01", "trend_by_need"): (
                 srbs_internal / "tables" / "20_inclusion__srb-SRB01",
                 srbs / "published" / "tables" / "20_inclusion__srb-SRB01")}
    checked = 0
    for (pub, table), (internal, published) in pairs.items():
        truth = _table(internal / f"{table}.csv")
        shown = _table(published / f"{table}.csv")
        assert len(truth) == len(shown)
        ranges = audited.ranges
        for r in ranges[(ranges["report"] == pub) & (ranges["table"] == table)].itertuples():
            value = int(truth[r.row][r.column])
            high = math.inf if math.isinf(r.high) else int(r.high)
            assert r.low <= value <= high, (pub, r.row, r.column, value, r.low, high)
            if r.low == high:  # "fixes it at": the audit has recovered the exact count
                assert value == r.low
            checked += 1
    assert checked > 10


def test_the_demo_and_per_srb_suites_pass_the_audit_together(audited):
    """Issue #14's test: every published report of the demo suite and of the per-SRB
    committee set, audited as one, leaves every hidden count as wide as the policy says."""
    result = audited
    assert not result.error
    # every published table of the progress and inclusion reports of both suites (SRB02-04
    # are withheld as too small)
    names = {(f.parent.name, f.name.split(".")[0]) for f in result.files}
    inclusion = {"trend_by_srb", "latest_share_by_srb", "latest_share_by_phase",
                 "latest_share_by_need", "median_share_by_period", "subjects"}
    assert {t for r, t in names if r == "20_inclusion__published"} == inclusion
    for srb in ("SRB01", "SRB05"):
        assert {"trend_by_need", "median_share_by_period", "subjects"} <= {
            t for r, t in names if r == f"20_inclusion__srb-{srb}"}
    progress = {"coverage", "progress_by_area", "bands_by_need", "bands_by_area",
                "reliable_change", "regression_to_the_mean", "ratio_gain", "gas_by_srb",
                "gas_by_area", "group_comparisons"}
    no_rci = progress - {"reliable_change", "regression_to_the_mean"}
    for report, tables in (("10_learner_progress__published",
                            progress | {"bands_by_srb", "bands_across_moves"}),
                           ("10_learner_progress__srb-SRB01", progress),
                           ("10_learner_progress__srb-SRB05", no_rci)):
        assert {t for r, t in names if r == report} == tables, report
    # the Estyn outcomes report's 12 recorded count tables and the capacity report's 8
    assert len({t for r, t in names if r == "30_estyn_outcomes"}) == 12
    assert len({t for r, t in names if r == "40_capacity"}) == 8  # forecast_inputs too
    assert len(result.ranges) > 100  # hidden counts were checked
    narrowed = result.ranges.loc[~result.ranges["passes"]]
    assert narrowed.empty, narrowed.head(10).to_string()


def _capacity_params(tmp_path: Path) -> Path:
    """A parameter file in ``tmp_path`` of one published report 40 on the demo data."""
    spec = {"title": "t", "data_dir": str(DEMO), "reports": [
        {"notebook": "40_capacity", "parameters": {"audience": "published"}}]}
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump(spec))
    return params


def test_a_failed_audit_fails_the_render_and_writes_nothing(tmp_path: Path, monkeypatch):
    failed = {"records": 1, "hidden": 3, "narrowed": 1, "passed": False, "error": "",
              "cells": [{"report": "inc", "table": "trend_by_srb", "row": 3,
                         "column": "falling", "key": "k", "low": 3, "high": 3,
                         "reason": "SRB04 / falling is '<5' but the published cells fix it "
                                   "at 3"}]}
    monkeypatch.setattr(render_module, "audit_summary", lambda folder, **kw: failed)
    params = _capacity_params(tmp_path)
    with pytest.raises(RenderError) as err:
        render(params, out=tmp_path / "out", jobs=1, progress=False)
    message = str(err.value)
    assert "disclosure audit failed: 1 of 3" in message and "fix it at 3" in message
    assert "Nothing was written" in message
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.yaml"]  # no output, no staging


def test_a_render_too_large_to_audit_is_refused_unless_told_not_to_audit(
        tmp_path: Path, monkeypatch, capsys):
    """Above the hidden counts a render audits itself it used to publish unaudited output
    with a warning: it now refuses (the count and the limit named, nothing written)
    unless run with --no-audit, when the manifest and both indexes say plainly that the
    output was not audited."""
    from srb_eval.run import audit as audit_module
    from srb_eval.run.cli import main

    monkeypatch.setattr(render_module, "audit_summary", lambda folder, **kw: (
        audit_module.audit_summary(folder, max_hidden=2, **kw)))
    params = _capacity_params(tmp_path)
    with pytest.raises(RenderError) as err:
        render(params, out=tmp_path / "out", jobs=1, progress=False)
    message = str(err.value)
    assert "disclosure audit not run" in message and "more than the 2 a render" in message
    assert "hidden counts" in message and "--no-audit" in message
    assert "Nothing was written" in message
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.yaml"]  # no output, no staging

    out = tmp_path / "out"
    assert main(["render", str(params), "--out", str(out), "--jobs", "1", "--quiet",
                 "--no-audit"]) == 0
    assert "NOT audited" in capsys.readouterr().err
    audit = json.loads((out / "manifest.json").read_text())["disclosure_audit"]
    assert audit["audited"] is False and audit["passed"] is None
    assert audit["skipped"] == audit_module.NOT_AUDITED and audit["hidden"] > 2
    for index in (out / "index.html", out / "published" / "index.html"):
        page = index.read_text()
        assert "Not audited" in page and "--no-audit" in page, index
        assert "passed the disclosure audit" not in page


def test_knowing_each_srbs_phase_language_and_area_narrows_nothing(rendered_demo,
                                                                   rendered_per_srb):
    """An attacker knows what the SRBs are: their phase, language of provision and school
    area are public. Render writes them into each published folder as a record of counts
    that must be 0, which its own audit reads; audited across both suites, with the facts
    rebuilt for the records of both, no hidden count is narrowed."""
    folders = [out / "published" for out, _ in (rendered_demo, rendered_per_srb)]
    for folder in folders:
        facts = folder / "tables" / FACTS_FOLDER / f"{FACTS_TABLE}.disclosure.json"
        record = read_record(facts)
        assert record["cells"] and {c["text"] for c in record["cells"]} == {"0"}
        assert not record["partitions"] and not record["ratios"]
    records = [read_record(f) for folder in folders for f in find_records(folder)]
    zeros = public_facts_record(records, pd.read_csv(DEMO / "srbs.csv", dtype=str))
    assert len(zeros["cells"]) > 100  # the facts reach the published tables
    ranges = feasible_ranges([*records, zeros], verdicts_only=True)
    narrowed = ranges.loc[~ranges["passes"]]
    assert len(ranges) > 500 and narrowed.empty, narrowed.head(10).to_string()


def _small(text: str, min_den: int, small_text: str) -> bool:
    if text == small_text:
        return True
    digits = text.replace(",", "")
    return digits.isdigit() and 0 < int(digits) < min_den


def test_no_published_table_shows_a_zero_of_a_group_below_min_denominator(
        rendered_demo, rendered_per_srb):
    """Issue #14's zeros: in every published table of both suites, no part of a group
    whose total the table shows as "<5" or below min_denominator is "0", nor are all
    parts but one of a group whose total is hidden (bands_by_need's SPLD on main: "0",
    "<5", "0" of a hidden total), except the 0 of a category that the table shows as 0
    for everyone (an "area not recorded" column of 0 in every area)."""
    from srb_eval.report.disclosure import DEFAULT_THRESHOLDS

    min_den = DEFAULT_THRESHOLDS.min_denominator
    found, lines = [], 0
    for out, _ in (rendered_demo, rendered_per_srb):
        for f in find_records(out / "published"):
            rec = read_record(f)
            small_text = rec["policy"]["small_count_text"]
            text = {}
            for c in rec["cells"]:
                dims = frozenset((d, v) for d, v in c["dims"].items() if v != "All")
                text[(c["table"], c["measure"], dims)] = c["text"]
            for p in rec["partitions"]:
                for (table, meas, dims), whole in list(text.items()):
                    if meas != p["measure"] or p["dim"] in dict(dims):
                        continue
                    parts = {cat: text.get((table, meas, dims | {(p["dim"], cat)}))
                             for cat in p["categories"]}
                    parts = {k: v for k, v in parts.items() if v is not None}
                    small = _small(whole, min_den, small_text)
                    if len(parts) < 2 or not (small or whole == rec["policy"][
                            "suppressed_text"]):
                        continue
                    lines += 1
                    zeros = [cat for cat, t in parts.items() if t == "0" and text.get(
                        (table, meas, frozenset({(p["dim"], cat)}))) != "0"]
                    # a hidden total (it may be small): one part left beside zeros
                    if zeros and (small or len(parts) - len(zeros) <= 1):
                        found.append((f.parent.name, table, sorted(dims), zeros, whole))
    assert lines > 20  # small groups were looked at
    assert not found, found[:10]
