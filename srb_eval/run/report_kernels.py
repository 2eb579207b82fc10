"""The kernels a render's reports run in: their memory settings, and the zygote they are
forked from (:mod:`srb_eval.run.kernels`), started as early as a render can start it.

This module imports nothing heavy (no pandas, papermill or nbconvert), so that
``srb-eval render`` can start the zygote, which imports the libraries and reads the
render's data for about 3 s, before the command itself imports what it needs to check
the parameter file and render (:func:`kernels_for`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

from ..paths import resolve
from .jobs import KERNEL
from .parameters import notebook_path

#: Memory settings for the kernels that execute reports (unless already set).
#: On national data a report allocates and frees gigabytes of short-lived arrays. By
#: default glibc hands freed memory back to the system at once and numpy asks for huge
#: pages, so every new array is page-faulted in again (and compacted): on England-size
#: data that was a quarter of the run, as kernel (system) time. These keep freed
#: memory in the process for reuse (glibc ``mallopt`` tunables, read at start-up:
#: arrays up to 32 MB come from the heap, which is not trimmed below 8 GB) and leave
#: page size to the system (numpy's ``NUMPY_MADVISE_HUGEPAGE``). Numbers are
#: unchanged; only where memory comes from. Elsewhere than Linux/glibc they are ignored.
KERNEL_MEMORY_ENV = {
    "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(8 * 2**30),
    "MALLOC_TOP_PAD_": str(256 * 2**20),
    "NUMPY_MADVISE_HUGEPAGE": "0",
}


def report_zygote(cwd: str | None,
                  read_ahead: list[str]) -> contextlib.AbstractContextManager[str | None]:
    """The zygote of the reports' kernels (:func:`srb_eval.run.kernels.zygote_for_children`)
    with the environment the kernels get, so that every caller asks for the same one.
    ``cwd``: the folder the reports run in; ``read_ahead``: the data folders to read."""
    from .kernels import zygote_for_children

    return zygote_for_children(KERNEL, env={**KERNEL_MEMORY_ENV, **os.environ}, cwd=cwd,
                               read_ahead=read_ahead)


@contextlib.contextmanager
def kernels_for(spec: Mapping) -> Iterator[None]:
    """Start the zygote of the kernels of the reports a parameter file (``spec``, as
    :func:`srb_eval.run.parameters.load_parameter_file` reads it) names, reading the data
    folders it names, for the length of the block.

    A render's own checks (reading every notebook, about 1.5 s) and the zygote's imports
    so run at the same time, and the render finds the zygote running. A parameter file
    whose reports or data folders cannot be made out starts nothing here: the render's
    checks say what is wrong with it."""
    reports = spec.get("reports")
    reports = [r for r in reports if isinstance(r, dict)] if isinstance(reports, list) else []
    try:
        cwd = str(notebook_path(str(reports[0]["notebook"])).parent)
        named = [spec.get("data_dir"), *(r["parameters"].get("data_dir") for r in reports
                                         if isinstance(r.get("parameters"), dict))]
        read = sorted({str(resolve(d)) for d in named if isinstance(d, str)})
    except (LookupError, TypeError, ValueError, OSError):
        yield
        return
    with report_zygote(cwd, read):
        yield
