"""The committed notebooks are in step with their sources and carry clean demo outputs.

``pytest --nbval`` (pyproject addopts) re-executes every ``notebooks/*.ipynb`` and compares
its outputs with the committed ones; these tests make sure that comparison means
something: every report is there as a jupytext ``.py`` and an ``.ipynb`` built from it
(``make notebooks``), with a parameters cell, a kernelspec and stored outputs free of
warnings and errors, so a reader browsing the repository sees a finished report.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
IPYNBS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
#: Cells whose output may vary between runs (provenance: versions, commit) are tagged
#: ``nbval-ignore-output``; more than this many in one report hides real changes.
MAX_IGNORED_CELLS = 2


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _tags(cell) -> list[str]:
    return sorted(cell.get("metadata", {}).get("tags", []))


def _text(out) -> str:
    if out.get("output_type") == "stream":
        return out.get("text", "")
    data = out.get("data", {})
    return "".join(v if isinstance(v, str) else "".join(v) for k, v in data.items()
                   if k.startswith("text/"))


def test_there_are_notebooks_and_each_has_a_pair():
    assert IPYNBS, "no notebooks/NN_*.ipynb"
    assert _ids(IPYNBS) == _ids(SOURCES), (
        "every notebooks/NN_name.py needs its .ipynb and the reverse: run `make notebooks`")


@pytest.mark.parametrize("ipynb", IPYNBS, ids=_ids(IPYNBS))
def test_ipynb_was_built_from_its_jupytext_source(ipynb: Path):
    import jupytext

    py = ipynb.with_suffix(".py")
    assert py.is_file(), f"{ipynb.name} has no jupytext source {py.name}"
    src = jupytext.read(py)
    nb = nbformat.read(ipynb, as_version=4)
    want = [(c.cell_type, c.source, _tags(c)) for c in src.cells]
    got = [(c.cell_type, c.source, _tags(c)) for c in nb.cells]
    assert got == want, (f"{ipynb.name} differs from {py.name}: run "
                         f"`make notebooks NB={ipynb.stem}`")


@pytest.mark.parametrize("ipynb", IPYNBS, ids=_ids(IPYNBS))
def test_committed_notebook_is_a_finished_report(ipynb: Path):
    nb = nbformat.read(ipynb, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and "parameters" in _tags(code[0]), "the first code cell must be `parameters`"
    assert not any("injected-parameters" in _tags(c) for c in code), (
        "a papermill output was committed instead of `make notebooks` output")
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"not executed top to bottom in one run (execution counts {counts}): "
        "run `make notebooks`")
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert len(outputs) >= 3, "no stored outputs: a reader would see an empty report"
    assert any("text/markdown" in o.get("data", {}) or "text/html" in o.get("data", {})
               for o in outputs), "no rendered text or table stored"
    problems = []
    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"code cell {i}: error {out.get('ename')}: "
                                f"{out.get('evalue')}")
            elif kind == "stream" and out.get("name") == "stderr":
                problems.append(f"code cell {i}: stderr {out.get('text', '')[:120]!r}")
            elif "nbval-ignore-output" not in _tags(cell) and str(ROOT) in _text(out):
                problems.append(f"code cell {i}: output shows this machine's path {ROOT}")
    assert not problems, "\n".join(problems)
    ignored = [i for i, c in enumerate(code) if "nbval-ignore-output" in _tags(c)]
    assert len(ignored) <= MAX_IGNORED_CELLS, (
        f"cells {ignored} are all tagged nbval-ignore-output: sanitize volatile text in "
        "tests/nbval_sanitize.cfg instead")


def test_sanitize_file_patterns_compile():
    """Each [section] of the nbval sanitize file has a regex that compiles."""
    text = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    regexes = re.findall(r"^regex: (.*)$", text, flags=re.M)
    replaces = re.findall(r"^replace: (.*)$", text, flags=re.M)
    assert regexes and len(regexes) == len(replaces)
    for rx in regexes:
        re.compile(rx)
