"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "data" / "minimal"
DEMO = ROOT / "data" / "demo"

# Notebooks are executed by papermill in these tests: keep kernels quiet and headless.
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


def learner_ids(data_dir: Path) -> list[str]:
    """Every learner id of a dataset, for privacy scans of rendered output."""
    from srb_eval import load_dataset

    return load_dataset(data_dir).learners["learner_id"].astype(str).tolist()


@pytest.fixture(scope="session")
def rendered_demo(tmp_path_factory) -> tuple[Path, list]:
    """``make report``: the shipped demo suite (parameters/demo.yaml) rendered once, as
    (output folder, per-report results), for every test that reads it."""
    from srb_eval.run.render import render

    if not (DEMO / "learners.csv").exists():  # pragma: no cover
        pytest.skip("data/demo has not been generated")
    out = tmp_path_factory.mktemp("rendered") / "demo"
    return out, render(ROOT / "parameters" / "demo.yaml", out=out, progress=False)


@pytest.fixture(scope="session")
def rendered_per_srb(tmp_path_factory) -> tuple[Path, list]:
    """The per-SRB committee set (parameters/demo_per_srb.yaml) rendered once, as
    (output folder, per-report results), for every test that reads it."""
    from srb_eval.run.render import render

    if not (DEMO / "learners.csv").exists():  # pragma: no cover
        pytest.skip("data/demo has not been generated")
    out = tmp_path_factory.mktemp("rendered") / "per_srb"
    return out, render(ROOT / "parameters" / "demo_per_srb.yaml", out=out, jobs=2,
                       progress=False)
