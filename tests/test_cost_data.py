"""The value-for-money tables (srb_costs, external_placements, deflators): optional,
validated like the rest, with a home area that is never a postcode, in the demo data
from a stream of their own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from srb_eval import DataValidationError, load_dataset
from srb_eval.data import schema as S
from srb_eval.data.demo import generate
from srb_eval.measures import quality

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal"
ROOT = HERE.parent
EXTERNAL_HEADER = ("placement_id,setting_type,start_date,end_date,annual_fee,"
                   "annual_transport,primary_need,phase,home_area\n")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    out = tmp_path / "dataset"
    shutil.copytree(MINIMAL, out)
    return out


def _write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")


def test_a_dataset_without_the_cost_tables_is_as_before(minimal: Path):
    ds = load_dataset(minimal)
    assert ds.srb_costs is None and ds.external_placements is None and ds.deflators is None
    assert list(quality.table_summary(ds)["table"]) == list(S.SRB_TABLES)
    assert not set(S.COST_TABLES) & set(S.LEARNER_TABLES)


def test_good_cost_tables_load_typed(minimal: Path):
    _write(minimal, "srb_costs", "srb_id,financial_year,staffing,other_running,"
           "place_funding,transport,price_base\nSRB01,2023-24,90000,5000,12000,8000,cash\n")
    _write(minimal, "external_placements", EXTERNAL_HEADER +
           "X1,Independent special,2023-01-09,,85000,15000,asd,secondary,CL2\n"
           "X2,AP,2023-09-01,2024-03-31,20000,0,SEMH,primary,\n")
    _write(minimal, "deflators", "financial_year,price_index\n2023-24,97.1\n")
    ds = load_dataset(minimal)
    e = ds.external_placements
    assert e["setting_type"].astype(str).tolist() == ["independent_special",
                                                      "alternative_provision"]
    assert e["primary_need"].astype(str).tolist() == ["ASD", "SEMH"]
    assert e["end_date"].isna().tolist() == [True, False]
    assert "language_of_provision" in e.columns  # optional column, added empty
    assert ds.srb_costs["staffing"].iloc[0] == 90000
    assert ds.deflators["price_index"].iloc[0] == pytest.approx(97.1)


def test_bad_cost_tables_name_file_row_column_and_rule(minimal: Path):
    _write(minimal, "srb_costs", "srb_id,financial_year,staffing,other_running,"
           "place_funding,transport,price_base\n"
           "SRB99,2023-24,1,1,1,1,cash\n"
           "SRB01,2023/24,1,1,1,1,cash\n"
           "SRB01,2023-25,1,1,1,1,cash\n"
           "SRB02,2023-24,-5,1,1,1,cash\n")
    _write(minimal, "external_placements", EXTERNAL_HEADER +
           "X1,boarding,2023-01-09,,85000,15000,ASD,secondary,CL2\n"
           "X2,alternative_provision,2023-09-01,2023-08-01,20000,0,SEMH,primary,CF10 1AA\n"
           "X1,alternative_provision,2023-09-01,,20000,0,SEMH,primary,near SA31 1\n")
    _write(minimal, "deflators", "financial_year,price_index\n2023-24,0\n")
    with pytest.raises(DataValidationError) as err:
        load_dataset(minimal)
    rules = {(p.file, p.row, p.column): p.rule for p in err.value.problems}
    assert "not in the srbs table" in rules[("srb_costs.csv", 2, "srb_id")]
    assert "2025-26" in rules[("srb_costs.csv", 3, "financial_year")]
    assert "consecutive" in rules[("srb_costs.csv", 4, "financial_year")]
    assert "at least 0" in rules[("srb_costs.csv", 5, "staffing")]
    assert "setting type" in rules[("external_placements.csv", 2, "setting_type")]
    assert "start_date must not be after end_date" in \
        rules[("external_placements.csv", 3, "start_date")]
    assert rules[("external_placements.csv", 3, "home_area")] == S.HOME_AREA_RULE
    assert rules[("external_placements.csv", 4, "home_area")] == S.HOME_AREA_RULE
    assert "duplicate key" in rules[("external_placements.csv", 4, "placement_id")]
    assert "greater than 0" in rules[("deflators.csv", 2, "price_index")]
    # the postcode is reported once, by its own rule, not again as an identifier
    assert sum(p.column == "home_area" for p in err.value.problems) == 2


def test_external_placements_refuse_identifier_columns(minimal: Path):
    _write(minimal, "external_placements",
           EXTERNAL_HEADER.replace("\n", ",postcode\n") +
           "X1,independent_special,2023-01-09,,85000,15000,ASD,secondary,CL2,CF10 1AA\n")
    with pytest.raises(DataValidationError) as err:
        load_dataset(minimal)
    assert any(p.column == "postcode" and "direct identifier" in p.rule
               for p in err.value.problems)


def test_demo_cost_tables_are_seeded_and_leave_the_others_alone():
    a, b = generate(60, 2, seed=7), generate(60, 2, seed=7)
    for name in S.COST_TABLES:
        assert a[name].equals(b[name]), name
    assert set(a["srb_costs"]["srb_id"]) == set(a["srbs"]["srb_id"])
    e = a["external_placements"]
    assert e["placement_id"].is_unique and e["placement_id"].str.match(r"X\d{4}").all()
    assert (e[["annual_fee", "annual_transport"]] >= 0).all().all()
    assert not e["home_area"].str.contains(S.POSTCODE_SHAPE).any()


def test_demo_readme_lists_the_cost_tables():
    text = (ROOT / "data" / "demo" / "README.md").read_text(encoding="utf-8")
    assert "Everything in this folder is synthetic" in text
    for name in S.COST_TABLES:
        assert f"| `{name}` |" in text


def test_srb_language_and_areas_are_optional_and_validated(minimal: Path):
    srbs = (minimal / "srbs.csv").read_text(encoding="utf-8").splitlines()
    _write(minimal, "srbs", "\n".join(
        [srbs[0] + ",language_of_provision,school_area",
         srbs[1] + ",Welsh-medium,CL1", srbs[2] + ",klingon,SA31 1"]) + "\n")
    learners = (minimal / "learners.csv").read_text(encoding="utf-8").splitlines()
    homes = ["CF10 1AA"] + ["CL1"] * (len(learners) - 2)
    _write(minimal, "learners", "\n".join(
        [learners[0] + ",home_area"] + [f"{r},{h}" for r, h in zip(learners[1:], homes, strict=True)])
        + "\n")
    with pytest.raises(DataValidationError) as err:
        load_dataset(minimal)
    rules = {(p.file, p.row, p.column): p.rule for p in err.value.problems}
    assert "language" in rules[("srbs.csv", 3, "language_of_provision")]
    assert rules[("srbs.csv", 3, "school_area")] == S.HOME_AREA_RULE
    assert rules[("learners.csv", 2, "home_area")] == S.HOME_AREA_RULE
    # the postcode is reported once, by its own rule, not again as an identifier
    assert sum(p.column == "home_area" for p in err.value.problems) == 1
    assert len(err.value.problems) == 3  # "Welsh-medium" is read as welsh


def test_demo_srbs_have_a_language_and_areas():
    t = generate(60, 2, seed=7)
    assert set(t["srbs"]["language_of_provision"]) <= set(S.LANGUAGES)
    assert t["srbs"]["school_area"].str.match(r"CL\d$").all()
    assert t["learners"]["home_area"].str.match(r"CL\d$").all()
