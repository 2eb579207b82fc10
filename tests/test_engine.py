"""The papermill engine of reports (srb_eval.run.engine) writes a report's notebook when
its run starts (no cell run yet: papermill's ``notebook_start``) and once when it ends,
however it ends; papermill's own engine also writes it before and after every cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import papermill.engines
import papermill.execute
import papermill.iorw
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from srb_eval.run.engine import ENGINE_NAME
from srb_eval.run.kernel_manager import ReportKernelManager

CELLS = ["x = 1", "print('second', x)", "print('third')"]


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of cells the notebook had run at each of papermill's writes (those of
    its engines and those of ``execute_notebook``)."""
    seen: list[int] = []
    write = papermill.iorw.write_ipynb

    def counted(nb, path):
        seen.append(sum(c.get("execution_count") is not None for c in nb.cells))
        return write(nb, path)

    for module in (papermill.engines, papermill.execute):
        monkeypatch.setattr(module, "write_ipynb", counted)
    return seen


def _run(tmp_path: Path, cells: list[str], engine: str | None = ENGINE_NAME,
         **kwargs) -> Path:
    src, out = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, src)
    papermill.execute_notebook(str(src), str(out), kernel_name="python3", progress_bar=False,
                               engine_name=engine, kernel_manager_class=ReportKernelManager,
                               **kwargs)
    return out


def _outputs(path: Path) -> list[str]:
    return ["".join(o.get("text", "") for o in c.outputs)
            for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_papermills_own_engine_writes_after_every_cell(tmp_path, writes):
    _run(tmp_path, CELLS, engine=None)
    assert len(writes) > 2 * len(CELLS)  # the reason for srb-eval's engine


def test_a_report_notebook_is_written_at_its_start_and_once_when_it_has_run(tmp_path,
                                                                           writes):
    out = _run(tmp_path, CELLS)
    assert writes == [0, len(CELLS)]
    assert _outputs(out) == ["", "second 1\n", "third\n"]


def test_a_report_that_fails_is_written_with_what_ran(tmp_path, writes):
    cells = ["print('ran')", "raise ValueError('stop')", "print('never')"]
    with pytest.raises(papermill.PapermillExecutionError, match="stop"):
        _run(tmp_path, cells)
    assert writes == [0, 2]  # at the end of the run, with the cell that failed
    out = _outputs(tmp_path / "out.ipynb")
    assert "ran\n" in out and "never\n" not in out


def test_a_report_that_runs_out_of_time_is_written_with_what_ran(tmp_path, writes):
    cells = ["print('ran')", "import time; time.sleep(60)", "print('never')"]
    with pytest.raises(Exception, match="(?i)timed? ?out"):
        _run(tmp_path, cells, execution_timeout=2)
    assert writes == [0, 2]  # papermill's engine saves in a `finally`
    out = _outputs(tmp_path / "out.ipynb")
    assert "ran\n" in out and "never\n" not in out


def test_a_report_whose_kernel_dies_is_written_with_what_ran(tmp_path, writes):
    from nbclient.exceptions import DeadKernelError

    cells = ["print('ran')", "import os; os._exit(1)", "print('never')"]
    with pytest.raises(DeadKernelError):
        _run(tmp_path, cells)
    # the cell that ended the kernel has a count only if the kernel said it started
    assert len(writes) == 2 and writes[0] == 0 and writes[1] in (1, 2)
    out = _outputs(tmp_path / "out.ipynb")
    assert "ran\n" in out and "never\n" not in out
