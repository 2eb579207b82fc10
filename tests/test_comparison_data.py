"""The comparison group's tables: optional, validated like the rest, in the demo data."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from srb_eval import DataValidationError, load_dataset
from srb_eval.data import schema as S
from srb_eval.data.demo import generate
from srb_eval.measures import quality

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal"
ROOT = HERE.parent


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    out = tmp_path / "dataset"
    shutil.copytree(MINIMAL, out)
    return out


def _write_comparison(folder: Path, learners: str, assessments: str) -> None:
    (folder / "comparison_learners.csv").write_text(
        "learner_id,birth_month,sex,primary_need,phase,school_id,fsm\n" + learners,
        encoding="utf-8")
    (folder / "comparison_assessments.csv").write_text(
        "learner_id,instrument,area,date,score,is_baseline\n" + assessments, encoding="utf-8")


def test_a_dataset_without_the_comparison_tables_is_as_before(minimal: Path):
    ds = load_dataset(minimal)
    assert ds.comparison_learners is None and ds.comparison_assessments is None
    assert not ds.has("comparison_learners")
    assert list(quality.table_summary(ds)["table"]) == list(S.SRB_TABLES)


def test_comparison_tables_load_typed(minimal: Path):
    _write_comparison(minimal, "C01,2014-05,m,autism,primary,SCH1,yes\nC02,2013-01,F,MLD,,,\n",
                      "C01,Std,literacy,2022-10-01,71,true\nC01,Std,literacy,2023-06-01,75,\n")
    ds = load_dataset(minimal)
    c = ds.comparison_learners
    assert c["primary_need"].tolist() == ["ASD", "MLD"]
    assert c["sex"].tolist() == ["M", "F"]
    assert str(c["birth_month"].dtype).startswith("datetime64")
    assert ds.comparison_assessments["score"].tolist() == [71.0, 75.0]
    assert "comparison_learners" not in set(quality.table_summary(ds)["table"])


def test_comparison_tables_are_checked_like_the_others(minimal: Path):
    _write_comparison(
        minimal,
        "C01,2014-05,M,ASD,primary,SCH1,\nL01,2015-03,M,ASD,primary,,\nC03,2014-05,M,XYZ,,,\n",
        "C09,Std,literacy,2022-10-01,71,\nC01,Nope,literacy,2022-10-01,71,\n"
        "C01,Std,literacy,2022-10-01,200,\nC01,Std,literacy,2016-10-01,70,\n")
    with pytest.raises(DataValidationError) as err:
        load_dataset(minimal)
    rules = {(p.file, p.row, p.column): p.rule for p in err.value.problems}
    assert "also in the learners table" in rules[("comparison_learners.csv", 3, "learner_id")]
    assert ("comparison_learners.csv", 4, "primary_need") in rules
    assert "not in the comparison_learners table" in \
        rules[("comparison_assessments.csv", 2, "learner_id")]
    assert "not in the instruments table" in \
        rules[("comparison_assessments.csv", 3, "instrument")]
    assert "above the max score" in rules[("comparison_assessments.csv", 4, "score")]
    assert "aged 2.4" in rules[("comparison_assessments.csv", 5, "date")]


def test_demo_comparison_group_has_its_own_stream():
    """The comparison group leaves the other ten tables as they were, and is seeded."""
    a = generate(60, 2, seed=7)
    b = generate(60, 2, seed=7)
    assert list(a) == list(S.TABLES)
    for name in S.TABLES:
        assert a[name].equals(b[name]), name
    c = a["comparison_learners"]
    assert len(c) == 60 and c["learner_id"].str.startswith("C").all()
    ca = a["comparison_assessments"]
    assert set(ca["learner_id"]) <= set(c["learner_id"])
    assert set(ca["instrument"]) == {"Standardised Attainment Test"}
    assert ca.groupby(["learner_id", "area"], observed=True)["is_baseline"].sum().eq(1).all()
    assert np.isfinite(ca["score"]).all()


def test_demo_readme_says_synthetic_and_lists_the_comparison_tables():
    text = (ROOT / "data" / "demo" / "README.md").read_text(encoding="utf-8")
    assert "Everything in this folder is synthetic" in text
    assert "| `comparison_learners` | 150 |" in text
