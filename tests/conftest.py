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
