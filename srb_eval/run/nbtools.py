"""Keep the committed notebooks in step: jupytext sources -> .ipynb -> demo outputs.

Each report is authored as ``notebooks/NN_name.py`` (jupytext percent format, reviewable
diffs) and committed as ``notebooks/NN_name.ipynb`` with its outputs from the demo data,
which CI validates with ``pytest --nbval`` (docs/design.md). ``make notebooks`` runs
:func:`refresh` on every notebook.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..paths import NOTEBOOKS_DIR

KERNEL = "python3"


def code_cells(py_path: Path) -> tuple[str, list[str]]:
    """The parameters cell and the other code cells of a jupytext notebook, as source.

    Used to run a report's code in one process (the benchmark, the scan of published
    statements), as papermill would run it after injecting parameters.
    """
    import jupytext

    code = [c for c in jupytext.read(py_path).cells if c.cell_type == "code"]
    first = next((i for i, c in enumerate(code)
                  if "parameters" in c.metadata.get("tags", [])), None)
    if first is None:
        raise ValueError(f"{py_path}: no cell tagged 'parameters'")
    return code[first].source, [c.source for i, c in enumerate(code) if i != first]


def sync(py_path: Path) -> Path:
    """Write the ``.ipynb`` twin of a jupytext ``.py`` notebook (outputs dropped)."""
    import jupytext

    nb = jupytext.read(py_path)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": KERNEL}
    nb.metadata.setdefault("language_info", {"name": "python"})
    for i, cell in enumerate(nb.cells):  # stable ids keep re-syncs from churning diffs
        cell["id"] = f"cell-{i:02d}"
    out = py_path.with_suffix(".ipynb")
    jupytext.write(nb, out, fmt="ipynb")
    return out


def execute_in_place(ipynb: Path, timeout: int = 600) -> None:
    """Execute a notebook with its default parameters and store the outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ipynb, as_version=4)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout,
                            resources={"metadata": {"path": str(ipynb.parent)}})
    client.execute()
    for cell in nb.cells:  # keep diffs small: no timings or execution metadata
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    tmp = ipynb.with_name(f".{ipynb.stem}.tmp.ipynb")
    nbformat.write(nb, tmp)
    tmp.replace(ipynb)


def refresh(names: list[str] | None = None) -> list[Path]:
    """Sync and execute the named notebooks (``NN_name``; all when ``None``)."""
    sources = sorted(NOTEBOOKS_DIR.glob("[0-9]*.py"))
    if names:
        sources = [p for p in sources if p.stem in names or p.name in names]
    done = []
    for py in sources:
        ipynb = sync(py)
        execute_in_place(ipynb)
        done.append(ipynb)
        print(f"refreshed {ipynb.relative_to(NOTEBOOKS_DIR.parent)}", file=sys.stderr)
    return done


if __name__ == "__main__":  # pragma: no cover - `make notebooks`
    refresh(sys.argv[1:] or None)
