"""What render executes and records: jobs, their results, and small shared helpers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import (
    PACKAGE_DIR,
    PROJECT_ROOT,
    PUBLISHED_DATA_DIR,
)

KERNEL = "python3"
#: Version of the manifest layout (``srb-eval reproduce`` reads it).
MANIFEST_VERSION = 2
#: Files that belong to the package or the repository and change numbers: hashed too.
REFERENCE_DIRS = (PACKAGE_DIR / "reference", PUBLISHED_DATA_DIR)
#: The sub-folder of a render that holds published reports, their result tables and their
#: own index, and nothing else: the one folder that may be circulated.
PUBLISHED_DIR = "published"
#: The folder of the published ``tables/`` holding what is public about the SRBs
#: (:func:`srb_eval.run.audit.write_public_facts`); no report may take its name.
FACTS_FOLDER = "public_facts"


def output_folder(parameters: dict[str, object]) -> str:
    """Where a report's HTML and result tables go, relative to the render folder.

    A report rendered for ``audience: published`` goes to :data:`PUBLISHED_DIR`; every
    other report (internal, or with no audience parameter) stays at the top, which is
    internal and must not be circulated.

    >>> output_folder({"audience": "published"}), output_folder({"audience": "internal"})
    ('published', '')
    """
    return PUBLISHED_DIR if parameters.get("audience") == "published" else ""


@dataclass
class Job:
    """One report to execute: a notebook and the parameters papermill injects."""

    notebook: str
    name: str
    parameters: dict[str, object]


@dataclass
class JobResult:
    """What happened to one report."""

    name: str
    notebook: str
    parameters: dict[str, object]
    status: str  # "ok" or "failed"
    seconds: float
    error: str = ""
    failed_cell: int | None = None  # execution count ("In [n]") of the failed cell
    failed_source: str = ""  # first line of the failed cell's code
    warnings: int = 0  # stderr outputs (warnings) kept out of the HTML, copied to logs/
    title: str = ""
    files: dict[str, str] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)  # table name -> sha256
    file_sha256: dict[str, str] = field(default_factory=dict)  # notebook, HTML -> sha256
    folder: str = ""  # output_folder(): "published" or "" (the internal top folder)
    withheld: str = ""  # why a published report stopped after its notice (ReportWithheld)
    question: str = ""  # the question the report says it answers (its header)

    @property
    def tables_dir(self) -> str:
        """The folder of this report's result tables, relative to the render folder."""
        return "/".join(p for p in (self.folder, "tables", self.name) if p)

    @property
    def summary(self) -> str:
        """One line for the terminal: name, status, time, tables or the failed cell."""
        if self.status == "ok":
            extra = (f", {self.warnings} warning(s) in logs/{self.name}.log"
                     if self.warnings else "")
            if self.withheld:
                extra += f"; withheld: {self.withheld}"
            return f"{self.name}: ok ({self.seconds:.1f} s, {len(self.results)} tables{extra})"
        return f"{self.name}: FAILED {self.where_failed()}: {short_error(self.error)}"

    def where_failed(self) -> str:
        """``at cell In [n] (`first line`)`` or an empty string."""
        if self.failed_cell is None:
            return ""
        src = f" (`{self.failed_source[:60]}`)" if self.failed_source else ""
        return f"at cell In [{self.failed_cell}]{src}"


def short_error(text: str, limit: int = 160) -> str:
    """The first line of an error message, cut to ``limit`` characters."""
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    first = lines[0] if lines else "unknown error"
    if len(lines) > 1:
        first += f" (+{len(lines) - 1} more line(s))"
    return first if len(first) <= limit else first[: limit - 3] + "..."


def relative(path: str | os.PathLike) -> str:
    """``path`` relative to the project root where possible (for messages, manifests)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(p.resolve())


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary name: a reader never sees half."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary name: a reader never sees half."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
