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


def link_in(folder: Path, relpath: str) -> str | None:
    """Why ``folder/relpath`` must not be opened, when a link is on the way to it.

    Each step of ``relpath`` below ``folder`` (sub-folders and the file itself) is looked
    at with ``lstat``; the first that is a symbolic link is named, with where it points
    and whether that is outside ``folder``. Nothing is opened or followed beyond reading
    the link's own name, so a folder received from someone else cannot make a reader
    read (or write through) a file elsewhere. ``None`` when no step is a link.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "tables").symlink_to("/etc")
    >>> link_in(d, "tables/passwd")
    'tables is a link pointing outside the folder (to /etc)'
    >>> link_in(d, "index.html") is None
    True
    """
    root = folder.resolve()
    here = folder
    for part in Path(relpath).parts:
        here = here / part
        if here.is_symlink():
            name = here.relative_to(folder).as_posix()
            target = os.readlink(here)
            where = here.resolve()  # names only: the target is never opened
            if where != root and root not in where.parents:
                return f"{name} is a link pointing outside the folder (to {target})"
            return f"{name} is a link (to {target})"
    return None
