"""Where things live: resolved from the package, never from the current directory.

papermill runs kernels in the caller's directory and nbval in the notebook's own, so
every path a notebook uses is resolved here.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("SRB_EVAL_ROOT", PACKAGE_DIR.parent)).resolve()
REFERENCE_DIR = PACKAGE_DIR / "reference"
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DATA_DIR = DATA_DIR / "demo"
PUBLISHED_DATA_DIR = DATA_DIR / "published"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PARAMETERS_DIR = PROJECT_ROOT / "parameters"
RENDERED_DIR = PROJECT_ROOT / "rendered"


def resolve(path: str | os.PathLike) -> Path:
    """Resolve ``path`` against the project root unless it is absolute."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (PROJECT_ROOT / p).resolve()
