"""What is public about the SRBs (phase, language of provision, school area) as a record
the audit reads: a hidden count that only these facts give away is found by the render's
audit and by ``srb-eval audit``, and the record holds no count of learners (#14)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from srb_eval.report.audit import RECORD_FORMAT, feasible_ranges
from srb_eval.report.public_facts import FACTS_TABLE, public_facts_record, srb_facts
from srb_eval.run.audit import audit_folder, audit_summary, write_public_facts
from srb_eval.run.jobs import FACTS_FOLDER
from srb_eval.run.output_folder import files_not_rendered
from srb_eval.run.parameters import plan

from .conftest import DEMO

POLICY = {"min_count": 5, "round_to": None, "small_count_text": "<5", "suppressed_text": "[c]"}
SRBS = pd.DataFrame({"srb_id": ["SRB01", "SRB02", "SRB03"],
                     "phase": ["primary", "secondary", "all-through"],
                     "language_of_provision": ["welsh", None, "english"],
                     "school_area": ["CL1", "CL2", None]})


def _cell(table, row, column, dims, text, measure="m"):
    return {"table": table, "row": row, "column": column, "measure": measure,
            "dims": dims, "text": text}


def by_phase_and_srb() -> dict:
    """A table by phase and trend hides the primary phase's falling ('<5') and its total
    ('[c]', falling + rising 6); a table by SRB shows SRB01's learners (9). Alone, the
    primary total can be 7 to 10 and falling 1 to 4. Knowing SRB01 is the only primary
    SRB (SRB02 is secondary), the primary total is 9 and falling 9 - 6 = 3."""
    cells = [_cell("by_phase", 0, "falling", {"phase": "primary", "trend": "falling"}, "<5"),
             _cell("by_phase", 0, "rising", {"phase": "primary", "trend": "rising"}, "6"),
             _cell("by_phase", 0, "all", {"phase": "primary", "trend": "All"}, "[c]"),
             _cell("by_srb", 0, "all", {"srb_id": "SRB01"}, "9")]
    parts = [{"measure": "m", "dim": "phase", "categories": ["primary", "secondary"]},
             {"measure": "m", "dim": "srb_id", "categories": ["SRB01", "SRB02"]},
             {"measure": "m", "dim": "trend", "categories": ["falling", "rising"]}]
    return {"format": RECORD_FORMAT, "report": "r", "policy": POLICY, "cells": cells,
            "partitions": parts, "ratios": []}


def test_srb_facts_name_phase_language_and_area_as_the_records_do():
    facts = srb_facts(SRBS)
    assert facts["SRB01"] == {"phase": "primary", "language of provision": "Welsh-medium",
                              "school_area": "CL1"}
    assert facts["SRB02"]["language of provision"] == "not recorded"
    assert facts["SRB03"]["school_area"] == "not recorded"


def test_the_facts_recover_a_count_the_tables_alone_do_not():
    rec = by_phase_and_srb()
    assert feasible_ranges([rec])["passes"].all()
    facts = public_facts_record([rec], SRBS)
    assert sorted((c["dims"]["srb_id"], c["dims"]["phase"]) for c in facts["cells"]) == [
        ("SRB01", "secondary"), ("SRB02", "primary")]
    ranges = feasible_ranges([rec, facts])
    bad = ranges.loc[~ranges["passes"]]
    assert bad[["column", "text", "low", "high"]].to_numpy().tolist() == [
        ["falling", "<5", 3, 3.0]]


def test_language_and_area_facts():
    parts = [{"measure": "m", "dim": "srb_id", "categories": ["SRB01", "SRB02", "SRB03"]},
             {"measure": "m", "dim": "language of provision",
              "categories": ["Welsh-medium", "English-medium", "not recorded"]},
             {"measure": "m", "dim": "home_area", "categories": ["CL1", "not recorded"]},
             {"measure": "m", "dim": "SRB area",
              "categories": ["in home area", "in another area", "area not recorded"]}]
    zeros = {(c["dims"]["srb_id"], *(v for d, v in c["dims"].items() if d != "srb_id"))
             for c in public_facts_record([{"partitions": parts}], SRBS)["cells"]}
    assert ("SRB01", "English-medium") in zeros and ("SRB01", "Welsh-medium") not in zeros
    assert ("SRB02", "Welsh-medium") in zeros and ("SRB02", "not recorded") not in zeros
    # SRB01 is in CL1: its learners of CL1 are in their home area, nowhere else
    assert {("SRB01", "CL1", "in another area"), ("SRB01", "CL1", "area not recorded")} <= zeros
    assert ("SRB01", "CL1", "in home area") not in zeros
    # SRB02 is in CL2: a learner of CL1 there is in another area
    assert ("SRB02", "CL1", "in home area") in zeros
    # SRB03's area is not recorded, and so is a home area "not recorded"
    assert {("SRB03", "CL1", "in home area"), ("SRB03", "CL1", "in another area"),
            ("SRB01", "not recorded", "in home area")} <= zeros


def test_an_srb_no_published_table_names_is_left_out():
    rec = by_phase_and_srb()
    cells = public_facts_record([rec], SRBS)["cells"]
    assert all(c["dims"]["srb_id"] != "SRB03" for c in cells)


def _folder(tmp_path: Path) -> Path:
    published = tmp_path / "published"
    (published / "tables" / "r").mkdir(parents=True)
    (published / "tables" / "r" / "t.disclosure.json").write_text(
        json.dumps(by_phase_and_srb()))
    return published


def test_the_renders_audit_and_srb_eval_audit_read_the_written_facts(tmp_path):
    published = _folder(tmp_path)
    assert audit_summary(published)["passed"] is True  # the tables alone
    path = write_public_facts(published, [str(DEMO)])  # SRB01 primary, SRB02 secondary
    assert path == published / "tables" / FACTS_FOLDER / f"{FACTS_TABLE}.disclosure.json"
    text = path.read_text()
    assert '"0"' in text and '"9"' not in text and '"6"' not in text  # no learners' count
    summary = audit_summary(published)
    assert summary["passed"] is False and summary["narrowed"] == 1
    assert "fix it at 3" in summary["cells"][0]["reason"]
    assert audit_folder(published).exit_code == 1


def test_no_facts_record_without_a_table_by_srb_and_phase(tmp_path):
    published = _folder(tmp_path)
    rec = by_phase_and_srb()
    rec["partitions"] = rec["partitions"][:1] + rec["partitions"][2:]
    rec["cells"] = rec["cells"][:3]
    (published / "tables" / "r" / "t.disclosure.json").write_text(json.dumps(rec))
    assert write_public_facts(published, [str(DEMO)]) is None
    assert not (published / "tables" / FACTS_FOLDER).exists()


def test_an_srb_two_datasets_describe_differently_has_no_facts(tmp_path):
    other = tmp_path / "other"
    shutil.copytree(DEMO, other)
    srbs = pd.read_csv(other / "srbs.csv", dtype=str)
    srbs.loc[srbs["srb_id"] == "SRB02", "phase"] = "primary"
    srbs.to_csv(other / "srbs.csv", index=False)
    published = _folder(tmp_path)
    path = write_public_facts(published, [str(DEMO), str(other)])
    cells = json.loads(path.read_text())["cells"]
    assert {c["dims"]["srb_id"] for c in cells} == {"SRB01"}


def test_no_report_may_take_the_facts_folders_name():
    spec = {"title": "t", "data_dir": str(DEMO), "reports": [
        {"notebook": "40_capacity", "name": FACTS_FOLDER}]}
    with pytest.raises(Exception, match="public facts"):
        plan(spec)


def test_a_later_render_may_replace_the_facts_it_wrote(tmp_path):
    """The facts folder is render's own: rendering again into the folder replaces it
    (``files_not_rendered`` does not count it as someone else's file)."""
    out = tmp_path / "out"
    (out / "published" / "tables" / FACTS_FOLDER).mkdir(parents=True)
    (out / "published" / "tables" / FACTS_FOLDER / "srbs.disclosure.json").write_text("{}")
    (out / "published" / "tables" / "r").mkdir()
    (out / "manifest.json").write_text(json.dumps({"reports": [
        {"name": "r", "folder": "published", "files": {}}]}))
    assert files_not_rendered(out) == []
    (out / "published" / "tables" / FACTS_FOLDER / "mine.xlsx").write_text("keep")
    assert files_not_rendered(out) == [f"published/tables/{FACTS_FOLDER}/mine.xlsx"]


def test_what_only_looks_like_a_render_is_someone_elses(tmp_path):
    """A folder where a report's log would be, a file or a link where its tables would be:
    named as a render names its files, but not what a render writes, so replacing the
    earlier render must not delete them."""
    out = tmp_path / "out"
    (out / "logs" / "r.log").mkdir(parents=True)
    (out / "logs" / "r.log" / "thesis.docx").write_text("keep")
    (out / "manifest.json").write_text(json.dumps({"reports": [
        {"name": "r", "files": {"html": "r.html"}}]}))
    (out / "tables").write_text("a file, not a folder")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "r.html").symlink_to(elsewhere / "page.html")
    assert files_not_rendered(out) == ["logs/r.log", "r.html", "tables"]
    (out / "tables").unlink()
    (out / "tables").symlink_to(elsewhere)
    assert "tables" in files_not_rendered(out)
