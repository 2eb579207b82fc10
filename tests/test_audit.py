"""The disclosure audit (srb_eval.report.audit) and its command (srb-eval audit).

Hand-built tables with a known recoverable hidden count must fail; protected versions
must pass; protect_cube must always produce tables that pass their own audit.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from srb_eval.report.audit import (
    RECORD_FORMAT,
    AuditError,
    check_record,
    count_cube,
    cube_record,
    feasible_ranges,
    protect_cube,
)
from srb_eval.report.disclosure import Thresholds
from srb_eval.run.cli import main

POLICY = {"min_count": 5, "round_to": None, "small_count_text": "<5", "suppressed_text": "[c]"}
TRENDS = ["falling", "steady", "rising"]


def record(cells, partitions, *, report="r", ratios=(), policy=POLICY):
    """A record from (table, row, column, measure, dims, text) tuples."""
    return {"format": RECORD_FORMAT, "report": report, "policy": dict(policy),
            "cells": [{"table": t, "row": r, "column": c, "measure": m, "dims": d, "text": x}
                      for t, r, c, m, d, x in cells],
            "partitions": [{"measure": m, "dim": d, "categories": list(c)}
                           for m, d, c in partitions],
            "ratios": list(ratios)}


def trend_table(texts, *, table="trend", srb="SRB04", report="r", total="19"):
    """One row of the issue's "Trend by SRB" table: falling, steady, rising, all."""
    cells = [(table, 0, tr, "learners", {"srb_id": srb, "trend": tr}, x)
             for tr, x in zip(TRENDS, texts, strict=True)]
    cells.append((table, 0, "all", "learners", {"srb_id": srb, "trend": "All"}, total))
    return record(cells, [("learners", "trend", TRENDS)], report=report)


def one(df, **where):
    sel = np.ones(len(df), dtype=bool)
    for k, v in where.items():
        sel &= (df[k] == v).to_numpy()
    assert sel.sum() == 1, df
    return df[sel].iloc[0]


# --- hand-built tables with a recoverable hidden count -----------------------------------

def test_falling_is_recovered_by_subtraction():
    out = feasible_ranges([trend_table(["<5", "6", "9"])])
    row = one(out, column="falling")
    assert (row.low, row.high, row.passes) == (4, 4.0, False)
    assert row.reason == "SRB04 / falling is '<5' but the published cells fix it at 4"
    assert row.key == "srb_id=SRB04; trend=falling"


def test_falling_with_a_secondary_suppression_passes():
    out = feasible_ranges([trend_table(["<5", "[c]", "9"])])
    assert out.passes.all() and len(out) == 2
    assert (one(out, column="falling").low, one(out, column="falling").high) == (1, 4)
    assert one(out, column="steady").low == 6  # [c] 6..9: none of 1..4, passes


def two_by_two(a, b, c, d, row_totals, col_totals, grand):
    """Rows phase (primary, secondary), columns band (A, B), with both margins."""
    cells = []
    for i, (ph, xs, rt) in enumerate(zip(["primary", "secondary"], [(a, b), (c, d)],
                                         row_totals, strict=True)):
        for band, x in zip(["A", "B"], xs, strict=True):
            cells.append(("t", i, band, "m", {"phase": ph, "band": band}, x))
        cells.append(("t", i, "All", "m", {"phase": ph, "band": "All"}, rt))
    for band, x in zip(["A", "B", "All"], [*col_totals, grand], strict=True):
        cells.append(("t", 2, band, "m", {"phase": "All", "band": band}, x))
    return record(cells, [("m", "phase", ["primary", "secondary"]), ("m", "band", ["A", "B"])])


def test_two_by_two_with_exact_margins_gives_the_small_cell_away():
    out = feasible_ranges([two_by_two("<5", "[c]", "[c]", "[c]", ["10", "14"],
                                      ["9", "15"], "24")])
    # a + b = 10, a + c = 9, c + d = 14: one degree of freedom, a from 1 to 4 still possible
    assert out.passes.all()
    assert list(out.low) == [1, 6, 5, 6] and list(out.high) == [4, 9, 8, 9]
    out = feasible_ranges([two_by_two("<5", "7", "[c]", "[c]", ["10", "14"],
                                      ["9", "15"], "24")])
    row = one(out, text="<5")
    assert (row.low, row.passes) == (3, False)


def test_a_cell_hidden_in_one_table_and_shown_in_another():
    by_phase = record([("by_phase", 0, "n", "m", {"phase": "primary", "band": "All"}, "<5")],
                      [])
    by_srb = record([("by_srb", 3, "n", "m", {"phase": "primary"}, "3")], [])
    out = feasible_ranges([by_phase, by_srb])
    assert (one(out, table="by_phase").low, one(out, table="by_phase").passes) == (3, False)


def test_a_link_across_two_reports():
    allsrb = trend_table(["<5", "[c]", "[c]"], report="all", total="19")
    per = record([("trend", 0, "steady", "learners", {"srb_id": "SRB04", "trend": "steady"}, "6"),
                  ("trend", 0, "rising", "learners", {"srb_id": "SRB04", "trend": "rising"}, "9")],
                 [], report="SRB04")
    assert feasible_ranges([allsrb]).passes.all()
    out = feasible_ranges([allsrb, per])
    assert not one(out, column="falling").passes
    assert one(out, column="falling").high == 4


def test_rounding_total_5_and_part_5_pin_the_small_part():
    pol = {**POLICY, "round_to": 5}
    cells = [("t", 0, "A", "m", {"g": "A"}, "5"), ("t", 0, "B", "m", {"g": "B"}, "<5"),
             ("t", 0, "All", "m", {}, "5")]
    out = feasible_ranges([record(cells, [("m", "g", ["A", "B"])], policy=pol)])
    row = one(out, column="B")
    assert (row.low, row.high, row.passes) == (1, 2.0, False)
    assert "narrow it to 1 to 2" in row.reason
    cells[2] = ("t", 0, "All", "m", {}, "10")  # 8..12 - (5..7): 1..4 all possible
    assert feasible_ranges([record(cells, [("m", "g", ["A", "B"])], policy=pol)]).passes.all()


def test_a_ratio_pins_a_hidden_numerator():
    cells = [("t", 0, "n", "m", {"g": "A"}, "<5"), ("t", 0, "all", "m", {}, "10")]
    ratio = {"table": "t", "row": 0, "column": "pct", "text": "40%", "decimals": 0,
             "numerator": {"measure": "m", "dims": {"g": "A"}},
             "denominator": {"measure": "m", "dims": {}}}
    out = feasible_ranges([record(cells, [], ratios=[ratio])])
    assert (out.low[0], out.high[0], out.passes[0]) == (4, 4.0, False)
    suppressed = {**ratio, "text": "[c]"}
    assert feasible_ranges([record(cells, [], ratios=[suppressed])]).passes.all()


def test_a_small_total_with_two_small_parts_narrows_them():
    cells = [("t", 0, "A", "m", {"g": "A"}, "<5"), ("t", 0, "B", "m", {"g": "B"}, "<5"),
             ("t", 0, "All", "m", {}, "<5")]
    out = feasible_ranges([record(cells, [("m", "g", ["A", "B"])])])
    assert not out.passes.any()
    assert list(out.high) == [3.0, 3.0, 4.0] and list(out.low) == [1, 1, 2]


def test_same_key_two_texts_intersect_and_all_label_means_unfixed():
    a = record([("t", 0, "x", "m", {"g": "A", "h": "All"}, "[c]")], [])
    b = record([("u", 0, "x", "m", {"g": "A"}, "<5")], [])
    out = feasible_ranges([a, b])
    assert list(out.low) == [1, 1] and list(out.high) == [4.0, 4.0]
    assert out.passes.all()  # the [c] is 1..4 = all of 1..4


def test_contradictory_numbers_are_an_error_naming_the_cells():
    with pytest.raises(AuditError, match="contradictory.*r/t row 0 column 'All'"):
        feasible_ranges([record([("t", 0, "A", "m", {"g": "A"}, "6"),
                                 ("t", 0, "B", "m", {"g": "B"}, "[c]"),
                                 ("t", 0, "All", "m", {}, "5")], [("m", "g", ["A", "B"])])])
    with pytest.raises(AuditError, match="contradictory"):
        feasible_ranges([record([("t", 0, "A", "m", {"g": "A"}, "6"),
                                 ("u", 0, "A", "m", {"g": "A"}, "7")], [])])


@pytest.mark.parametrize("bad, field", [
    ({"format": "nope"}, "record.format"),
    ({"cells": "x"}, "record.cells"),
    ({"policy": {**POLICY, "min_count": 0}}, "record.policy.min_count"),
    ({"cells": [{"table": "t", "row": "0", "column": "c", "measure": "m", "dims": {},
                 "text": "1"}]}, r"record.cells\[0\].row"),
    ({"cells": [{"table": "t", "row": 0, "column": "c", "measure": "m", "dims": {},
                 "text": "about 3"}]}, "text 'about 3' is not a count"),
    ({"partitions": [{"measure": "m", "dim": "g", "categories": ["a", "a"]}]},
     r"record.partitions\[0\].categories"),
])
def test_a_malformed_record_names_the_field(bad, field):
    with pytest.raises(AuditError, match=field):
        feasible_ranges([{**record([], []), **bad}])


def test_check_record_returns_categories_as_text():
    r = check_record(record([("t", 0, "c", "m", {"year": 2025}, "3")],
                            [("m", "year", [2024, 2025])]))
    assert r["cells"][0]["dims"] == {"year": "2025"}
    assert r["partitions"][0]["categories"] == ["2024", "2025"]


# --- count_cube and protect_cube ----------------------------------------------------------

def test_count_cube_is_the_full_lattice():
    u = pd.DataFrame({"a": ["x", "y", "x"], "b": pd.Categorical(["p", "p", "p"],
                                                                categories=["q", "p"])})
    c = count_cube(u, ["a", "b"])
    assert list(c.a) == ["x"] * 3 + ["y"] * 3 + ["All"] * 3
    assert list(c.b) == ["q", "p", "All"] * 3
    assert list(c["count"]) == [0, 2, 2, 0, 1, 1, 0, 3, 3]


def audit_of(protected, dims, t):
    return feasible_ranges([cube_record(protected, dims, measure="m", thresholds=t,
                                        report="r", table="t")])


def test_protect_cube_on_the_issue_row():
    u = pd.DataFrame({"trend": ["falling"] * 4 + ["steady"] * 6 + ["rising"] * 9})
    p = protect_cube(count_cube(u, ["trend"]), ["trend"], measure="m", thresholds=Thresholds())
    assert dict(zip(p.trend, p.text, strict=True)) == {
        "falling": "<5", "rising": "9", "steady": "[c]", "All": "19"}  # smallest is hidden
    assert list(p.hidden) == ["primary", "", "secondary", ""]
    assert audit_of(p, ["trend"], Thresholds()).passes.all()


@pytest.mark.parametrize("n", [1, 2, 5])
def test_tiny_populations(n):
    u = pd.DataFrame({"g": ["a"] * n, "h": ["x"] * n})
    t = Thresholds()
    p = protect_cube(count_cube(u, ["g", "h"]), ["g", "h"], measure="m", thresholds=t)
    assert audit_of(p, ["g", "h"], t).passes.all()
    if n < 5:
        assert set(p.text) <= {"<5", "[c]"}
    else:
        assert set(p.text) == {"5"}


def random_cube(rng, dims, t):
    sizes = rng.integers(1, 5, size=len(dims))
    n = int(rng.integers(1, 40))
    u = pd.DataFrame({d: rng.integers(0, k, size=n).astype(str) for d, k in zip(dims, sizes,
                                                                                  strict=True)})
    return protect_cube(count_cube(u, dims), dims, measure="m", thresholds=t)


@pytest.mark.parametrize("t", [Thresholds(), Thresholds(round_to=5), Thresholds(min_count=3)],
                         ids=["default", "round5", "min3"])
def test_protect_cube_always_passes_its_own_audit(t):
    rng = np.random.default_rng(14)
    for i in range(25):
        dims = ["a", "b", "c"][: 2 + i % 2]
        p = random_cube(rng, dims, t)
        out = feasible_ranges([cube_record(p, dims, measure="m", thresholds=t, report="r",
                                           table="t")], shares=True)
        assert out.passes.all(), (p, out[~out.passes])
        # a zero is hidden only as a part of a group too small for a share (#14)
        zero = p["count"] == 0
        assert p.text[zero].isin(["0", "[c]"]).all()
        assert ((p["count"] >= 1) & (p["count"] < t.min_count) == (p.hidden == "primary")).all()


def test_verdicts_only_gives_the_same_verdicts_with_fewer_programmes(milp_calls):
    """The render's audit stops a cell's search once its verdict is certain: the same
    passes and reasons as the full audit, the exact range of every cell that fails, and
    fewer integer programmes. Half the cubes keep only their primary suppression (the
    secondary cells shown again), so some cells fail."""
    rng = np.random.default_rng(20)
    t = Thresholds()
    records = []
    for i in range(16):
        dims = ["a", "b", "c"][: 2 + i % 2]
        p = random_cube(rng, dims, t)
        if i % 2:
            p = p.assign(text=p["text"].where(p["hidden"] != "secondary",
                                              p["count"].astype(str)))
        records.append(cube_record(p, dims, measure=f"m{i}", thresholds=t, report="r",
                                   table=f"t{i}"))
    solves = milp_calls
    full = feasible_ranges(records)
    n_full, solves[:] = len(solves), []
    quick = feasible_ranges(records, verdicts_only=True)
    assert 0 < (~full.passes).sum() < len(full)  # both kinds are in the test
    assert quick[["key", "passes", "reason"]].equals(full[["key", "passes", "reason"]])
    bad = ~full.passes
    assert quick.loc[bad, ["low", "high"]].equals(full.loc[bad, ["low", "high"]])
    assert len(solves) < n_full, (len(solves), n_full)


def test_protect_cube_is_deterministic():
    rng = np.random.default_rng(3)
    u = pd.DataFrame({"a": rng.integers(0, 4, 60).astype(str),
                      "b": rng.integers(0, 3, 60).astype(str)})
    c = count_cube(u, ["a", "b"])
    p1 = protect_cube(c, ["a", "b"], measure="m", thresholds=Thresholds())
    p2 = protect_cube(c.sample(frac=1, random_state=1).sort_index(), ["a", "b"], measure="m",
                      thresholds=Thresholds())
    pd.testing.assert_frame_equal(p1, p2)


def test_cube_record_wide_and_sliced():
    u = pd.DataFrame({"srb": ["S1"] * 12 + ["S2"] * 7, "phase": ["p"] * 10 + ["s"] * 9})
    t = Thresholds()
    p = protect_cube(count_cube(u, ["srb", "phase"]), ["srb", "phase"], measure="m",
                     thresholds=t)
    rec = cube_record(p, ["srb", "phase"], measure="m", thresholds=t, report="r",
                      table="t", rows=p.srb != "All", column_dim="phase")
    assert {c["row"] for c in rec["cells"]} == {0, 1}
    assert {c["column"] for c in rec["cells"]} == {"p", "s", "All"}
    assert rec["partitions"][0]["categories"] == ["S1", "S2"]
    assert feasible_ranges([rec]).passes.all()


# --- srb-eval audit RENDERED_DIR ----------------------------------------------------------

def write_record(folder: Path, rec: dict, table: str = "trend") -> Path:
    path = folder / "tables" / rec["report"] / f"{table}.disclosure.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rec))
    return path


def listing(folder: Path) -> dict:
    return {str(p): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


def test_cli_passes_fails_and_writes_nothing(tmp_path, capsys):
    write_record(tmp_path, trend_table(["<5", "[c]", "9"], report="all"))
    before = listing(tmp_path)
    assert main(["audit", str(tmp_path)]) == 0
    assert "2 hidden counts checked, 0 narrowed" in capsys.readouterr().out
    # the per-SRB report, published beside it, shows the steady count: falling = 19 - 6 - 9
    per = record([("t", 0, "steady", "learners", {"srb_id": "SRB04", "trend": "steady"}, "6")],
                 [], report="SRB04")
    write_record(tmp_path / "published", per)
    assert main(["audit", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "SRB04 / falling is '<5' but the published cells fix it at 4" in out
    assert "FAILED" in out
    before.update({k: v for k, v in listing(tmp_path).items() if "published" in k})
    assert listing(tmp_path) == before


def test_cli_unusable_folders(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "missing")]) == 2
    assert main(["audit", str(tmp_path)]) == 2
    assert "no disclosure records" in capsys.readouterr().err
    bad = write_record(tmp_path, trend_table(["<5", "[c]", "9"]))
    bad.write_text('{"format": "srb-eval disclosure record 1", "report": ')
    assert main(["audit", str(tmp_path)]) == 2
    assert str(bad) in capsys.readouterr().err
    bad.write_text(json.dumps({**trend_table(["<5", "[c]", "9"]), "cells": [{"row": 0}]}))
    assert main(["audit", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "record.cells[0].table" in err


def test_cli_contradiction_exits_1(tmp_path, capsys):
    write_record(tmp_path, trend_table(["<5", "6", "[c]"], total="5"))
    assert main(["audit", str(tmp_path)]) == 1
    assert "contradictory published cells" in capsys.readouterr().out


def test_rounded_numbers_below_min_count_are_rounded_counts():
    # round_to 4, min_count 5: a count of 5 rounds to "4"; "4" means 5 (never exact 4)
    pol = {**POLICY, "round_to": 4}
    cells = [("t", 0, "A", "m", {"g": "A"}, "4"), ("t", 0, "B", "m", {"g": "B"}, "[c]"),
             ("t", 0, "All", "m", {}, "8")]
    out = feasible_ranges([record(cells, [("m", "g", ["A", "B"])], policy=pol)])
    assert (out.low[0], out.high[0]) == (1, 4.0)  # 6..9 - 5
    with pytest.raises(AuditError, match="not a count of 5 or more rounded to 4"):
        feasible_ranges([record([("t", 0, "A", "m", {"g": "A"}, "2")], [], policy=pol)])


def test_partition_objects_and_empty_input():
    from srb_eval.report.audit import Partition

    rec = trend_table(["<5", "6", "9"])
    rec["partitions"] = [Partition("learners", "trend", tuple(TRENDS))]
    assert feasible_ranges([rec]).low.tolist() == [4]
    empty = feasible_ranges([])
    assert empty.empty and list(empty.columns)[-2:] == ["passes", "reason"]
    assert feasible_ranges([record([("t", 0, "A", "m", {}, "12")], [])]).empty


def test_render_summary_audits_or_says_it_did_not(tmp_path):
    from srb_eval.run.audit import audit_summary

    pol = {"min_count": 5, "round_to": None, "small_count_text": "<5",
           "suppressed_text": "[c]"}
    cell = lambda col, trend, text: {"table": "t", "row": 0, "column": col,  # noqa: E731
                                     "measure": "learners", "text": text,
                                     "dims": {"srb_id": "SRB04", "trend": trend}}
    rec = {"format": "srb-eval disclosure record 1", "report": "r", "policy": pol,
           "partitions": [{"measure": "learners", "dim": "trend",
                           "categories": ["falling", "steady", "rising"]}],
           "cells": [cell("falling", "falling", "<5"), cell("steady", "steady", "6"),
                     cell("rising", "rising", "9"), cell("all", "All", "19")]}
    (tmp_path / "tables" / "r").mkdir(parents=True)
    (tmp_path / "tables" / "r" / "t.disclosure.json").write_text(json.dumps(rec))
    got = audit_summary(tmp_path)
    assert (got["hidden"], got["narrowed"], got["passed"]) == (1, 1, False)
    assert "fix it at 4" in got["cells"][0]["reason"]
    refused = audit_summary(tmp_path, max_hidden=0)  # fails safe: no longer "skipped"
    assert refused["passed"] is False and refused["audited"] is False
    assert refused["refused"] == "1 hidden counts, more than the 0 a render audits itself"
    assert "skipped" not in refused
    skipped = audit_summary(tmp_path, audit=False)  # render --no-audit
    assert skipped["passed"] is None and skipped["audited"] is False
    assert "--no-audit" in skipped["skipped"] and skipped["hidden"] == 1
    assert audit_summary(tmp_path / "tables" / "r") is None  # no records there


# --- the group-share check (issue #14) ----------------------------------------------------

def test_a_small_group_with_every_category_but_one_at_zero_fails_the_share_check():
    """ "0, 0, [c]" of a group of 8 says that all 8 are rising: a share of 100% of a group
    smaller than min_denominator, whatever the "[c]"'s range."""
    out = feasible_ranges([trend_table(["0", "0", "[c]"], total="8")], shares=True)
    bad = out.loc[~out["passes"]]
    assert len(bad) == 1
    row = bad.iloc[0]
    assert (row["report"], row["table"], row["row"], row["column"]) == ("r", "trend", 0,
                                                                        "rising")
    assert "share of 100%" in row["reason"] and "falling, steady" in row["reason"]


def test_a_share_stated_of_a_group_no_table_shows_is_named_by_a_table_of_its_measure():
    """The capacity report of a synthetic dataset (``srb-eval demo --learners 400 --years 6
    --seed 11``, census 2025-10-01): length of stay counts leavers since the data began,
    turnover those of each complete school year, so the leavers on other days are their
    difference; that group of 1 is all primary. No table shows a cell of it, and its
    failing row was named "/ row 0 column ''", which told the user nothing. It is named
    by a table of the same measure now."""
    folder = Path(__file__).parent / "data" / "audit_records" / "share_of_a_group_no_table_shows"
    recs = [json.loads((folder / f"{t}.disclosure.json").read_text())
            for t in ("length_of_stay", "turnover")]
    out = feasible_ranges(recs, shares=True)
    bad = out.loc[~out["passes"]]
    assert len(bad) == 1, out.to_string()
    row = bad.iloc[0]
    assert "school_year=other days" in row["reason"] and "share of 100%" in row["reason"]
    assert row["report"] == "40_pub_2025" and row["table"] in ("length_of_stay", "turnover")
    # no cell of the report is blamed: a user would hide the wrong one
    assert (row["row"], row["column"], row["text"]) == (-1, "(no cell shows this group)", "")


def test_the_share_check_passes_large_groups_hidden_zeros_and_two_open_categories():
    for texts, total in ((["0", "0", "[c]"], "12"), (["[c]", "[c]", "[c]"], "8"),
                         (["0", "<5", "<5"], "5")):
        assert feasible_ranges([trend_table(texts, total=total)], shares=True).passes.all(), texts


def test_a_hidden_zero_another_table_fixes_is_a_zero_for_the_share_check():
    """The "[c]" of steady is derivable: a second table shows the same count as 0."""
    other = record([("other", 0, "steady", "learners", {"srb_id": "SRB04",
                                                       "trend": "steady"}, "0")],
                   [("learners", "trend", TRENDS)], report="r2")
    mine = trend_table(["0", "[c]", "[c]"], total="8")
    assert feasible_ranges([mine], shares=True).passes.all()
    assert not feasible_ranges([mine, other], shares=True).passes.all()


def test_zeros_every_reader_knows_are_not_categories_of_the_breakdown():
    known = record([("trend (known to be empty)", 0, "count", "learners",
                     {"srb_id": "SRB04", "trend": "falling"}, "0")], [])
    mine = trend_table(["0", "[c]", "[c]"], total="8")
    assert feasible_ranges([mine, known], shares=True).passes.all()


def test_protect_cube_hides_the_zeros_of_a_small_group():
    """S2's 7 learners are all secondary: its primary cell showed 0 beside its total of 7
    (a share of 100% of a group smaller than min_denominator, #14). Every part of S2 is
    hidden now, the 0 included, and the share check passes."""
    u = pd.DataFrame({"srb": ["S1"] * 12 + ["S2"] * 7, "phase": ["p"] * 10 + ["s"] * 9})
    t = Thresholds()
    p = protect_cube(count_cube(u, ["srb", "phase"]), ["srb", "phase"], measure="m",
                     thresholds=t)
    s2 = p.loc[p["srb"] == "S2"].set_index("phase")["text"].to_dict()
    assert s2 == {"p": "[c]", "s": "[c]", "All": "7"}
    rec = cube_record(p, ["srb", "phase"], measure="m", thresholds=t, report="r", table="t")
    assert feasible_ranges([rec], shares=True).passes.all()


def test_a_hidden_zero_of_a_small_group_keeps_every_small_value_possible():
    """The 0 of a group of 3 hidden as "[c]" beside a "<5" part would still be at most 3
    (the group is "<5"): then the small counts of the line show as "[c]" too."""
    u = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 20, "h": ["x"] * 3 + ["x"] * 8 + ["y"] * 12})
    t = Thresholds()
    p = protect_cube(count_cube(u, ["g", "h"]), ["g", "h"], measure="m", thresholds=t)
    a = p.loc[p["g"] == "a"].set_index("h")["text"].to_dict()
    assert a["y"] == "[c]" and a["x"] == "[c]"
    rec = cube_record(p, ["g", "h"], measure="m", thresholds=t, report="r", table="t")
    out = feasible_ranges([rec], shares=True)
    assert out.passes.all(), out[~out.passes]


def table_record(shown, row_dim, col_dim, columns, *, total="All"):
    """The record of a two-way table of counts shown by suppress_counts (rows: the
    categories of ``row_dim`` and a total row ``total``; columns: ``columns``, the
    categories of ``col_dim``, and ``n``, their total)."""
    rows = [str(x) for x in shown[row_dim]]
    cells = [("t", i, c, "learners", {row_dim: r, col_dim: c if c != "n" else total},
              str(shown[c].iloc[i])) for i, r in enumerate(rows) for c in [*columns, "n"]]
    return record(cells, [("learners", row_dim, [r for r in rows if r != total]),
                          ("learners", col_dim, list(columns))])


def test_suppress_counts_hides_the_zeros_of_a_small_group():
    """Issue #14's bands_by_need: the SPLD and ADHD groups (one learner each) showed "<5"
    in one band and "0" in the others, which says the whole group is in that band. Every
    part of a group below min_denominator is hidden now, zeros included, and the table
    passes the audit with the group-share check; the table as it was shown fails it."""
    from srb_eval.report.suppression import suppress_counts

    bands = ["below", "expected", "above"]
    t = pd.DataFrame({"need": ["ASD", "SPLD", "ADHD", "SEMH", "All"],
                      "below": [12, 1, 0, 9, 22], "expected": [20, 0, 1, 11, 32],
                      "above": [8, 0, 0, 6, 14], "n": [40, 1, 1, 26, 68]})
    out = suppress_counts(t, bands, audience="published", total_row="All", total_column="n")
    for need in ("SPLD", "ADHD"):
        row = out.loc[out["need"] == need, bands].iloc[0].tolist()
        assert "0" not in row and set(row) <= {"<5", "[c]"}, (need, row)
    ranges = feasible_ranges([table_record(out, "need", "band", bands)], shares=True)
    assert ranges.passes.all(), ranges[~ranges.passes]
    # the old display: the small counts hidden, their zeros shown
    old = out.copy()
    for need, col in (("SPLD", "expected"), ("SPLD", "above"), ("ADHD", "below"),
                      ("ADHD", "above")):
        old.loc[old["need"] == need, col] = "0"
    bad = feasible_ranges([table_record(old, "need", "band", bands)], shares=True)
    assert any("share of 100%" in r for r in bad.loc[~bad.passes, "reason"])


def test_a_group_of_more_than_min_count_below_min_denominator_shows_no_part():
    """A group of 8 (shown: it is 5 or more) split 8, 0, 0: "8" and the two "0"s state a
    share of 100% of a group too small for a percentage; its parts are all "[c]"."""
    from srb_eval.report.suppression import suppress_counts

    t = pd.DataFrame({"srb": ["S1", "S2", "S3", "All"], "falling": [8, 0, 6, 14],
                      "steady": [0, 12, 7, 19], "rising": [0, 10, 9, 19],
                      "n": [8, 22, 22, 52]})
    out = suppress_counts(t, TRENDS, audience="published", total_row="All", total_column="n")
    s1 = out.loc[out["srb"] == "S1", [*TRENDS, "n"]].iloc[0].tolist()
    assert s1 == ["[c]", "[c]", "[c]", "8"]
    ranges = feasible_ranges([table_record(out, "srb", "trend", TRENDS)], shares=True)
    assert ranges.passes.all(), ranges[~ranges.passes]


def test_hide_hides_zeros_too():
    """``hide`` (a group too small for a share, whose total the table does not show):
    its zero is hidden as well, one rule in place of the former ``hide_zeros`` flag."""
    from srb_eval.report.suppression import suppress_counts

    t = pd.DataFrame({"phase": ["primary", "secondary", "All"], "leavers": [0, 12, 12]})
    out = suppress_counts(t, ["leavers"], audience="published", total_row="All",
                          hide={"leavers": np.array([True, False, False])})
    assert out["leavers"].tolist() == ["[c]", "[c]", "12"]


def test_a_category_empty_in_a_larger_group_is_no_category_of_a_small_one():
    """All 150 learners have core subjects (0 of 150 have none, a share the policy
    publishes): that every SPLD learner has them too is the larger group's 0, not a share
    of the SPLD group stated by a zero. A 0 of the small group alone still fails."""
    cats = ["yes", "no"]
    whole = [("t", 0, "learners", "learners", {}, "150"),
             ("t", 0, "with core", "learners", {"core": "yes"}, "150")]
    spld = [("t", 1, "learners", "learners", {"need": "SPLD"}, "<5"),
            ("t", 1, "with core", "learners", {"need": "SPLD", "core": "yes"}, "<5")]
    parts = [("learners", "core", cats), ("learners", "need", ["SPLD", "ASD"])]
    assert feasible_ranges([record(whole + spld, parts)], shares=True).passes.all()
    # 3 of 150 have no core subjects, but none of the SPLD group: that 0 is the group's
    some = [whole[0], ("t", 0, "with core", "learners", {"core": "yes"}, "147")]
    out = feasible_ranges([record(some + spld + [
        ("t", 1, "no core", "learners", {"need": "SPLD", "core": "no"}, "0")], parts)],
        shares=True)
    assert any("share of 100%" in r for r in out.loc[~out.passes, "reason"])


def test_a_group_no_table_shows_counts_only_when_it_is_known_to_be_small():
    """The learners without core subjects in a period are no published group: that all of
    them (however many) are secondary follows from the primary phase's 0 of 40, which the
    policy publishes. A group no table shows but that the tables fix below
    min_denominator is one (all 3 of them in one phase)."""
    phases = ["primary", "secondary"]
    parts = [("learners", "core", ["yes", "no"]), ("learners", "phase", phases)]
    cells = [("t", 0, "learners", "learners", {"phase": "primary"}, "40"),
             ("t", 0, "with core", "learners", {"phase": "primary", "core": "yes"}, "40"),
             ("t", 1, "learners", "learners", {"phase": "secondary"}, "[c]"),
             ("t", 1, "with core", "learners", {"phase": "secondary", "core": "yes"}, "[c]")]
    assert feasible_ranges([record(cells, parts)], shares=True).passes.all()
    # now the table says that 3 learners lack core subjects (all, 43 with: 40 of them
    # primary), so the group of 3 is known small, and all 3 are secondary
    known = cells + [("t", 2, "learners", "learners", {}, "46"),
                     ("t", 2, "with core", "learners", {"core": "yes"}, "43")]
    out = feasible_ranges([record(known, parts)], shares=True)
    assert any(r.startswith("core=no: a group of 3") for r in out.loc[~out.passes, "reason"])


def test_the_share_check_proves_many_parts_at_once(milp_calls):
    """Whether each part of a line can be 1 or more is settled for many parts by one
    programme (each round proves one part at least, and one shows the rest are 0): 40
    groups of "<5" whose falling is "[c]" and whose steady and rising no table shows
    (80 parts to settle) cost a few programmes, not one or more per part."""
    cells = []
    for g in range(40):
        cells += [("t", g, "falling", "learners", {"srb_id": f"S{g:02d}",
                                                   "trend": "falling"}, "[c]"),
                  ("t", g, "all", "learners", {"srb_id": f"S{g:02d}", "trend": "All"}, "<5")]
    rec = record(cells, [("learners", "trend", TRENDS)])
    feasible_ranges([rec], verdicts_only=True)
    base = len(milp_calls)
    milp_calls[:] = []
    out = feasible_ranges([rec], verdicts_only=True, shares=True)
    assert out.passes.all()
    assert len(milp_calls) - base <= 10, (base, len(milp_calls))


def test_counts_their_own_lines_narrow_are_found_without_a_programme(milp_calls,
                                                                     solve_rounds):
    """A "<5" whose line alone narrows it (a known total of 4 with two "<5" parts: each is
    1 to 3) fails by bound propagation, with no integer programme; only the check of the
    "[c]" shown instead solves any (before: 7 programmes a line, which at national size,
    thousands of such cells, took minutes per table)."""
    from srb_eval.report import cube_protection

    rows = 200
    values = np.array([v for _ in range(rows) for v in (4, 2, 2)], dtype=np.int64)
    lines = [np.array([3 * i, 3 * i + 1, 3 * i + 2]) for i in range(rows)]
    known = np.array([i % 3 == 0 for i in range(3 * rows)])
    hidden, as_c = cube_protection.protect_lines(values, lines, Thresholds(), known=known)
    rounds = solve_rounds
    small = ~known
    assert hidden[small].all() and as_c[small].all()  # "[c]": "<5" would say 1 to 3
    assert rounds[0] == 0 and len(milp_calls) <= 2 * rows, (rounds, len(milp_calls))


def test_held_zeros_the_rows_keep_below_min_count_cost_no_programme(solve_rounds):
    """A hidden zero of a small group fails unless it can reach min_count - 1; where
    bound propagation already keeps it below that (a total of 5 shown beside "<5" parts
    4 and 1: each zero is at most 3), it fails whatever its exact high end, so none is
    searched (before: a programme per zero, about 1,000 per round for each of the Estyn
    report's two largest tables at Wales size, 300 of its 330 s). The cells hidden stay
    the same: the zeros fail, the totals are hidden and the small parts show "[c]"."""
    from srb_eval.report import cube_protection

    rows = 50
    values = np.array([v for _ in range(rows) for v in (5, 0, 0, 0, 0, 4, 1)], dtype=np.int64)
    lines = [np.arange(7 * i, 7 * i + 7) for i in range(rows)]
    for strict in (True, False):
        solve_rounds[:] = []
        hidden, as_c = cube_protection.protect_lines(values, lines, Thresholds(),
                                                     strict=strict)
        assert hidden.all() and (as_c == ((values >= 1) & (values < 5))).all()
        assert solve_rounds[0] <= 2 * rows, (strict, solve_rounds)  # before: 5 a line


def test_ranges_with_bound_propagation_are_the_integer_programmes_ranges():
    """solve_ranges skips a programme where a known solution sits at a bound the rows
    imply (bound propagation, rounded only past a tolerance): on random systems with
    fractional coefficients (as a percentage's rows have) and a known solution, every
    range is the one two integer programmes give."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    from srb_eval.report.audit_ilp import LinearSystem, solve_ranges

    rng = np.random.default_rng(14)
    for _ in range(30):
        n, m = int(rng.integers(2, 7)), int(rng.integers(1, 5))
        a = rng.choice([0, 1, -1, 0.5, -0.37, 2], size=(m, n))
        x0 = rng.integers(0, 8, n).astype(float)
        act = a @ x0
        lo = np.where(rng.random(m) < .5, act, act - rng.integers(0, 3, m))
        hi = np.where(rng.random(m) < .5, act, np.where(
            rng.random(m) < .5, math.inf, act + rng.integers(0, 3, m)))
        lb, ub = np.zeros(n), np.where(rng.random(n) < .5, math.inf, 10.0)
        s = LinearSystem()
        for j in range(n):
            s.var(("x", (("j", str(j)),)))
        for i in range(m):
            s.rows.append(({j: float(a[i, j]) for j in range(n) if a[i, j]}, lo[i], hi[i]))
        got = solve_ranges(s, list(range(n)), lb, ub, seen=(x0.copy(), x0.copy()))
        cons = [LinearConstraint(sp.csr_array(a), lo, hi)]
        for j in range(n):
            c = np.zeros(n)
            c[j] = 1.0
            low = milp(c, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
            high = milp(-c, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
            want_high = math.inf if high.x is None else round(high.x[j])
            assert high.x is not None or high.status in (3, 4), high.message
            assert got[j] == (round(low.x[j]), want_high), (a, lo, hi, ub, j)


def test_the_render_audit_and_srb_eval_audit_run_the_share_check(tmp_path, capsys):
    """A folder whose only leak is a share stated by zeros ("0, 0, [c]" of a group of 8:
    every hidden count passes on its own) fails the render's audit and `srb-eval audit`."""
    from srb_eval.run.audit import audit_summary

    (tmp_path / "tables" / "r").mkdir(parents=True)
    (tmp_path / "tables" / "r" / "t.disclosure.json").write_text(
        json.dumps(trend_table(["0", "0", "[c]"], total="8")))
    got = audit_summary(tmp_path)
    assert (got["narrowed"], got["passed"]) == (1, False)
    assert "share of 100%" in got["cells"][0]["reason"]
    assert main(["audit", str(tmp_path)]) == 1
    assert "share of 100%" in capsys.readouterr().out


@pytest.mark.parametrize("standard_output", ["open", "closed", "closed file", "None"])
def test_the_audits_solver_prints_nothing_a_report_would_show(standard_output):
    """HiGHS prints its banner on the process's standard output when the process makes
    its first solver, before an option can silence it; a kernel shows what its process
    prints, so a published report would carry it. The audit's first solver is made with
    that output sent to the null device (``srb_eval.report.audit_ilp``), and a process
    without a standard output (closed, ``sys.stdout`` closed or None) solves as well."""
    import subprocess
    import sys

    before = {"open": "", "closed": "import os; os.close(1)\n",
              "closed file": "import sys; sys.stdout.close()\n",
              "None": "import sys; sys.stdout.close(); sys.stdout = None\n"}
    code = before[standard_output] + (
        "import math, sys, numpy as np\n"
        "from srb_eval.report.audit_ilp import LinearSystem, solve_ranges\n"
        "s = LinearSystem()\n"
        "w, a, b = (s.var(('m', ((k, k),))) for k in 'wab')\n"
        "s.rows.append(({w: 1.0, a: -1.0, b: -1.0}, 0.0, 0.0))\n"
        "lb, ub = np.array([10.0, 0, 0]), np.array([10.0, math.inf, math.inf])\n"
        "sys.stderr.write(f'{solve_ranges(s, [a], lb, ub)} {solve_ranges(s, [b], lb, ub)}')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stderr == "{1: (0, 10.0)} {2: (0, 10.0)}", out.stderr
    assert out.stdout == "", out.stdout


@pytest.mark.parametrize("round_to", [None, 1, 2, 3, 5, 10])
@pytest.mark.parametrize("min_count", [1, 3, 5, 10])
def test_what_a_shown_count_says_is_what_its_text_says(round_to, min_count):
    """The protection reads what every shown count says at once
    (``cube_protection._shown_bounds``); it must be what the audit reads from the text the
    table shows (``text_bounds`` of ``_shown``), whatever the rounding."""
    from srb_eval.report import cube_protection
    from srb_eval.report.audit_rules import text_bounds

    t = Thresholds(min_count=min_count, round_to=round_to)
    rng = np.random.default_rng(min_count)
    v = np.r_[np.arange(0, 400), rng.integers(0, 10**9, 200), np.arange(0, 400)]
    exact = np.arange(len(v)) % 7 == 3  # some counts known exactly whatever is shown
    got = cube_protection._shown_bounds(v, t, exact=exact)
    pol = {"min_count": min_count, "round_to": round_to, "small_count_text": "",
           "suppressed_text": ""}
    want = [(x, x) if e or 1 <= x < min_count else
            text_bounds(cube_protection._shown(int(x), t), pol, "test")
            for x, e in zip(v, exact, strict=True)]
    assert got.tolist() == [list(w) for w in want]


def test_a_programme_highs_leaves_unsolved_stops_the_audit(monkeypatch):
    """A programme HiGHS ends without an answer (numerical trouble, say) is no verdict:
    the audit stops with an error saying so, rather than reading it as unbounded (a
    hidden count that could then be anything would pass)."""
    import highspy

    from srb_eval.report.audit_ilp import LinearSystem, solve_ranges
    from srb_eval.report.audit_rules import AuditError

    monkeypatch.setattr(highspy.Highs, "getModelStatus",
                        lambda self: highspy.HighsModelStatus.kUnknown)
    s = LinearSystem()
    w, a, b = (s.var(("m", ((k, k),))) for k in "wab")
    s.rows.append(({w: 1.0, a: -1.0, b: -1.0}, 0.0, 0.0))
    lb, ub = np.array([10.0, 0, 0]), np.array([10.0, math.inf, math.inf])
    # (a solution at 0 known: only the largest value is searched for, a maximisation)
    seen = (np.zeros(3), np.zeros(3))
    with pytest.raises(AuditError, match="HiGHS ended with 'Unknown'"):
        solve_ranges(s, [a], lb, ub, seen=seen)


def test_ranges_from_kept_programmes_are_those_of_fresh_integer_programmes():
    """The engine keeps each component's programme in HiGHS and solves it again from its
    last basis for every new objective (``audit_ilp._Programme``). On random systems
    with bounded, unbounded and capped counts, every count's range must be the one fresh
    integer programmes give (``scipy.optimize.milp``, minimising and maximising it), and
    the quick search (the protection's: sums of counts, some with lowered upper bounds,
    on one kept programme) must pass and fail the counts their ranges pass and fail."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    from srb_eval.report.audit_ilp import LinearSystem, solve_ranges
    from srb_eval.report.audit_rules import verdict

    rng = np.random.default_rng(11)
    checked = unbounded = failing = 0
    for _ in range(60):
        n, m = int(rng.integers(3, 13)), int(rng.integers(1, 8))
        a = sp.random(m, n, density=0.4, random_state=rng,
                      data_rvs=lambda k: rng.choice([-2, -1, 1, 2], k)).toarray()
        x0 = rng.integers(0, 8, n).astype(float)  # a whole solution: never contradictory
        lo, hi = a @ x0 - rng.integers(0, 3, m), a @ x0 + rng.integers(0, 3, m)
        hi = np.where(rng.random(m) < 0.3, math.inf, hi)
        eq = rng.random(m) < 0.5
        lo, hi = np.where(eq, a @ x0, lo), np.where(eq, a @ x0, hi)
        lb = np.zeros(n)
        # (upper bounds of at least min_count, as the audit's hidden cells from 0 have:
        # the quick search reads a cell from 0 bounded below min_count as failing)
        ub = np.where(rng.random(n) < 0.5, math.inf, np.maximum(x0, 5) + rng.integers(0, 4, n))
        s = LinearSystem()
        for j in range(n):
            s.var(("m", (("j", str(j)),)))
        for i in range(m):
            s.rows.append(({j: float(a[i, j]) for j in np.flatnonzero(a[i])}, lo[i], hi[i]))
        got = solve_ranges(s, list(range(n)), lb, ub)
        quick = solve_ranges(s, list(range(n)), lb, ub, quick=5)
        cons = [LinearConstraint(a, lo, hi)]
        for j in range(n):
            c = np.zeros(n)
            c[j] = 1.0
            low = milp(c, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
            high = milp(-c, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
            want_high = math.inf if high.status in (3, 4) else round(-high.fun)
            assert got[j] == (round(low.fun), want_high), (j, got[j], low.fun, high.status)
            # (a failing count's quick range may be narrower: only the verdict counts)
            assert (bool(verdict("[c]", "<5", 5, *quick[j]))
                    == bool(verdict("[c]", "<5", 5, *got[j]))), (j, quick[j], got[j])
            checked += 1
            failing += bool(verdict("[c]", "<5", 5, *got[j]))
            unbounded += math.isinf(want_high)
    assert checked > 300 and 20 < unbounded < checked - 100  # both kinds, many of each
    assert 20 < failing < checked - 100  # verdicts of both kinds


def test_a_hot_start_that_ends_unknown_is_solved_afresh():
    """HiGHS 1.16 ends this sequence's second solve from the first one's basis with
    status "Unknown" (a fresh solve: unbounded), and the third too (fresh: optimal). The
    kept programme solves such a one again afresh, so its statuses are the fresh ones
    (found by a reviewer's random search over kept programmes)."""
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    from srb_eval.report.audit_ilp import _Programme

    a = np.array([
        [0, 0, 0, 1, -1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 2, 0, 0],
        [0, 0, 0, 0, 0, -2, 0, 1, 0, 1, 0, -1, -2, 0, 1, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1, 2, 0, 0, 0, -1, 0, -1, 0],
        [0, 0, 0, 0, 0, 0, 2, 0, 1, 1, -1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0]], dtype=float)
    lo, hi = np.array([4.0, 9, 9, 23]), np.array([4.0, 9, 9, 24])
    lb = np.zeros(21)
    ub = np.array([7, 3, 8, 4, math.inf, 0, math.inf, 0, math.inf, 6, math.inf, 3,
                   math.inf, math.inf, 8, 8, math.inf, math.inf, 4, math.inf, 2])
    costs = [[1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1],
             [0, 0, 0, 0, -1, -1, -1, -1, -1, -1, 0, 0, -1, -1, -1, -1, 0, -1, -1, 0, -1],
             [1] * 21]
    kept = _Programme(sp.csc_array(a), lo, hi, lb, ub)
    got = [kept.solve(np.array(c, dtype=float)).status for c in costs]
    fresh = [milp(np.array(c, dtype=float), bounds=Bounds(lb, ub),
                  constraints=[LinearConstraint(a, lo, hi)]).status for c in costs]
    assert fresh == [0, 3, 0]
    assert got == fresh


def test_components_solved_side_by_side_give_results_and_errors_in_their_order():
    """``side_by_side`` runs one job a core (HiGHS lets other threads run while it
    solves) but returns as the jobs were given, and raises the first job's error even
    when a later job fails sooner."""
    import time

    from srb_eval.report.audit_components import side_by_side

    def job(i: int, wait: float, fails: bool = False) -> int:
        time.sleep(wait)
        if fails:
            raise AuditError(f"job {i}")
        return i * 10

    assert side_by_side(job, [(0, 0.2), (1, 0.0), (2, 0.1)]) == [0, 10, 20]
    assert side_by_side(job, [(0, 0.0)]) == [0]
    assert side_by_side(job, []) == []
    with pytest.raises(AuditError, match="job 0"):
        side_by_side(job, [(0, 0.2, True), (1, 0.0, True)])


def test_a_sum_of_other_measures_links_their_counts():
    """A "demand" column adding up three populations: with on roll and placed outside
    shown, a shown demand fixes the hidden awaiting count; hidden, it does not."""
    from srb_eval.report.audit import RECORD_FORMAT, check_record, feasible_ranges

    pol = {"min_count": 5, "round_to": None, "small_count_text": "<5",
           "suppressed_text": "[c]"}

    def record(demand: str) -> dict:
        cells = [{"table": "t", "row": 0, "column": m, "measure": m, "dims": {}, "text": t}
                 for m, t in (("on_roll", "93"), ("awaiting", "[c]"), ("outside", "15"),
                              ("demand", demand))]
        return {"format": RECORD_FORMAT, "report": "r", "policy": pol, "cells": cells,
                "partitions": [], "sums": [{"whole": {"measure": "demand", "dims": {}},
                                            "parts": [{"measure": m, "dims": {}} for m in
                                                      ("on_roll", "awaiting", "outside")]}]}

    shown = feasible_ranges([record("111")])
    assert not shown["passes"].iloc[0] and shown["low"].iloc[0] == 3
    assert feasible_ranges([record("[c]")])["passes"].all()
    without = {k: v for k, v in record("1").items() if k != "sums"}
    assert "sums" not in check_record(without)  # records without sums are written as before
    with pytest.raises(AuditError, match=r"record.sums\[0\]"):
        check_record({**record("1"), "sums": [{"whole": {"measure": "d"}, "parts": []}]})
    with pytest.raises(AuditError, match=r"record.sums\[0\].parts\[0\]"):
        check_record({**record("1"), "sums": [{"whole": {"measure": "d", "dims": {}},
                                               "parts": [{"dims": {}}]}]})


@pytest.mark.parametrize("digits", [16, 400, 4301])
def test_a_count_of_more_digits_than_a_report_publishes_is_refused_not_a_traceback(digits):
    """Outside attack: a received record's count of 400 digits ended the audit in an
    OverflowError traceback, and of 4,301 digits in a ValueError one."""
    from srb_eval.report.audit_rules import AuditError, text_bounds

    pol = {"min_count": 5, "round_to": None, "small_count_text": "<5",
           "suppressed_text": "[c]"}
    assert text_bounds("9" * 15, pol, "t") == (10**15 - 1, 10**15 - 1)
    with pytest.raises(AuditError, match="is not a count a report publishes"):
        text_bounds("1" * digits, pol, "t")
    with pytest.raises(AuditError, match="is not a count a report publishes"):
        text_bounds("0" * digits + "19", pol, "t")  # (review: leading zeros)
