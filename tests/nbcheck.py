"""Shared checks for the notebook tests: run a notebook, read what a reader sees, and
assert it is clean (no error or stderr, no NaN/None text) and, for the published
audience, holds no learner id and no count from 1 to 4 left unsuppressed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm

from srb_eval.report.text_checks import find_unsuppressed_small_counts
from srb_eval.run.kernel_manager import ReportKernelManager
from srb_eval.run.render import KERNEL_SHUTDOWN

from .conftest import DEMO, learner_ids, shown_ids

#: Missing values as pandas or Python print them. "None" is matched with its capital only:
#: "none" is Estyn-style English at the end of the quantifier scale ("none: 0 of 8").
MISSING_TEXT = re.compile(r"(?i:\bnan\b)|\bNone\b|<NA>|&lt;NA&gt;|\bNaT\b")


def demo_srb(phase: str) -> str:
    """The first demo SRB of ``phase`` (else an all-through one, else the first)."""
    srbs = pd.read_csv(DEMO / "srbs.csv")
    for want in (phase, "all-through"):
        ids = sorted(srbs.loc[srbs["phase"] == want, "srb_id"])
        if ids:
            return ids[0]
    return sorted(srbs["srb_id"])[0]


#: Missing values printed as words, for the capacity and comparison notebook tests.
NAN_TEXT = re.compile(r"(?<![\w-])(nan|NaN|None|<NA>|&lt;NA&gt;)(?![\w-])")


def run_notebook(notebook: Path, tmp_path: Path, name: str, *, cwd: Path | None = None,
                 **parameters) -> nbformat.NotebookNode:
    """Execute ``notebook`` with papermill into ``tmp_path/name.ipynb`` and read it; the
    kernel runs in ``cwd`` (default ``tmp_path``) and is stopped at once when the last
    cell has run, as ``srb-eval render`` stops its kernels
    (``srb_eval.run.render.KERNEL_SHUTDOWN``): a graceful shutdown waits for a kernel that
    has drawn figures to exit, idling this test's worker. The kernel's manager is the
    render's (``ReportKernelManager``)."""
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name="python3",
                        progress_bar=False, cwd=str(cwd or tmp_path),
                        shutdown_kernel=KERNEL_SHUTDOWN, kernel_manager_class=ReportKernelManager)
    return nbformat.read(out, as_version=4)


def outputs(nb: nbformat.NotebookNode) -> tuple[list[str], list[str]]:
    """(every text, markdown and HTML output except provenance, the stderr streams and
    errors)."""
    texts, errors = [], []
    for cell in nb.cells:
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                (errors if o.name == "stderr" else texts).append(o.text)
            elif o.output_type == "error":
                errors.append(f"{o.ename}: {o.evalue}")
            else:
                data = o.get("data", {})
                rich = [data[k] for k in ("text/markdown", "text/html") if k in data]
                texts += rich or [data.get("text/plain", "")]
    return texts, errors


def check_report(nb: nbformat.NotebookNode, data_dir: Path, audience: str, *,
                 scan_tables: bool = False) -> str:
    """Assert the executed report reads cleanly; returns its text.

    ``scan_tables``: also scan the HTML tables for unsuppressed counts (the markdown is
    always scanned).
    """
    texts, errors = outputs(nb)
    assert errors == []
    text = "\n".join(texts)
    found = MISSING_TEXT.search(text)
    assert not found, text[max(found.start() - 200, 0):found.end() + 50]
    if audience == "published":
        everything = nbformat.writes(nb)  # outputs, metadata and provenance too
        assert shown_ids(learner_ids(data_dir), everything) == []
        scanned = text if scan_tables else "\n".join(
            t for t in texts if not t.lstrip().startswith("<"))
        assert find_unsuppressed_small_counts(scanned) == []
    return text


def assert_no_ids_nor_small_counts(nb: nbformat.NotebookNode, text: str,
                                   ids: list[str]) -> None:
    """No id of ``ids`` in any cell output, and no unsuppressed small count in ``text``
    (a published report's :func:`report_text`)."""
    everything = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert shown_ids(ids, everything) == []
    assert find_unsuppressed_small_counts(text) == []


def report_text(nb: nbformat.NotebookNode) -> str:
    """Every text output but the provenance cell's; errors and stderr fail."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.output_type != "error", f"{o.get('ename')}: {o.get('evalue')}"
            if o.output_type == "stream":
                assert o.name != "stderr", f"stderr output: {o.text[:300]}"
            if "nbval-ignore-output" in cell.metadata.get("tags", []):
                continue
            for mime, value in o.get("data", {}).items():
                if mime.startswith("text/"):
                    out.append(value if isinstance(value, str) else "".join(value))
            if o.output_type == "stream":
                out.append(o.text)
    text = "\n".join(out)
    plain = re.sub(r"<[^>]*>", " ", text.replace("&lt;", "‹"))
    assert not NAN_TEXT.findall(plain), NAN_TEXT.findall(plain)[:5]
    return text
