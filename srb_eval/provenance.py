"""What a rendered report was made from: parameters, input hashes, versions, git commit.

Recorded in every rendered report and in ``manifest.json`` so an evaluator can re-run a
report and show that the numbers are the same (docs/design.md, "Rendering and reproduction").
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from .paths import PROJECT_ROOT

#: Packages whose versions change printed numbers or their formatting.
TRACKED_PACKAGES = (
    "srb-eval", "pandas", "numpy", "scipy", "highspy", "pandera", "pyarrow", "openpyxl",
    "matplotlib", "seaborn", "papermill", "nbconvert", "nbformat", "ipykernel", "pyyaml",
)


def package_versions(packages: tuple[str, ...] = TRACKED_PACKAGES) -> dict[str, str]:
    """Installed version of each package (``"not installed"`` when absent)."""
    out = {"python": platform.python_version()}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_state(root: Path = PROJECT_ROOT) -> dict[str, object]:
    """The git commit of ``root`` and whether its tracked files differ from it."""
    def run(*args: str) -> str | None:
        try:
            res = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                 text=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return res.stdout.strip() if res.returncode == 0 else None

    commit = run("rev-parse", "HEAD")
    status = run("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit or "unknown", "dirty": bool(status) if status is not None else None}


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_hashes(files: list[str | Path] | dict[str, str]) -> dict[str, str]:
    """SHA-256 of each input file, keyed by its path relative to the project if inside it."""
    paths = files.values() if isinstance(files, dict) else files
    out = {}
    for f in sorted({str(p) for p in paths}):
        p = Path(f)
        try:
            key = str(p.resolve().relative_to(PROJECT_ROOT))
        except ValueError:
            key = str(p.resolve())
        out[key] = sha256_file(p)
    return out
