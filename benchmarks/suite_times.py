"""Where the seconds of ``make test`` go (issue #20).

A pytest plugin that records, for every test, the pytest-xdist worker that ran it, when
it started and ended, and the CPU time it used: the worker's own and that of the
processes the worker started and waited for (papermill kernels, the process pools of
``srb-eval render``), read with ``resource.getrusage`` before and after the test's
setup, call and teardown. A test that waits for a render another worker is running
(``tests/conftest.py``, ``shared_render``) shows the wait as wall time and the render's
CPU time on the worker that rendered it, so the CPU times add up to the work done, and
``CPU / cores`` is the wall time the suite cannot go below on that many cores.

Record a run (the suite exactly as ``make test`` runs it, with this plugin)::

    SRB_TEST_TIMES=/tmp/times PYTEST_ADDOPTS="-p benchmarks.suite_times" make test

Summarise it, as Markdown, on standard output::

    .venv/bin/python benchmarks/suite_times.py /tmp/times
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import defaultdict
from pathlib import Path

import pytest

#: The folder the plugin writes one ``<worker>.jsonl`` file per worker to.
ENV = "SRB_TEST_TIMES"


def _cpu() -> float:
    """CPU seconds (user and system) of this process and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Time one test's setup, call and teardown (teardown includes the module and
    session fixtures that end after it)."""
    folder = os.environ.get(ENV)
    if not folder:
        yield
        return
    start, cpu = time.time(), _cpu()
    yield
    end = time.time()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    record = {"worker": worker, "test": item.nodeid, "start": start, "end": end,
              "wall": end - start, "cpu": _cpu() - cpu}
    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / f"{worker}.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def load(folder: Path) -> list[dict]:
    """Every record of a run, from the ``*.jsonl`` files in ``folder``."""
    return [json.loads(line) for f in sorted(folder.glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def summary(records: list[dict], top: int = 20) -> str:
    """A Markdown summary of a run: each worker's span and totals, the wall and CPU
    time of each test file, and the tests that used the most CPU time."""
    first = min(r["start"] for r in records)
    span = max(r["end"] for r in records) - first
    cpu = sum(r["cpu"] for r in records)
    workers: dict[str, list[dict]] = defaultdict(list)
    files: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        workers[r["worker"]].append(r)
        files[r["test"].split("::")[0]].append(r)
    lines = [f"{len(records)} tests on {len(workers)} worker(s): {span:.0f} s from the "
             f"first test's start to the last one's end; CPU time {cpu:.0f} s in all "
             f"({cpu / max(len(workers), 1):.0f} s per worker).", "",
             "| worker | tests | ends at (s) | wall in tests (s) | CPU (s) |",
             "|---|---:|---:|---:|---:|"]
    for w, rs in sorted(workers.items()):
        lines.append(f"| {w} | {len(rs)} | {max(r['end'] for r in rs) - first:.0f} | "
                     f"{sum(r['wall'] for r in rs):.0f} | {sum(r['cpu'] for r in rs):.0f} |")
    lines += ["", "| test file | tests | worker(s) | wall (s) | CPU (s) |",
              "|---|---:|---|---:|---:|"]
    for name, rs in sorted(files.items(), key=lambda kv: -sum(r["cpu"] for r in kv[1])):
        lines.append(f"| {name} | {len(rs)} | {', '.join(sorted({r['worker'] for r in rs}))}"
                     f" | {sum(r['wall'] for r in rs):.1f} | {sum(r['cpu'] for r in rs):.1f} |")
    lines += ["", f"The {top} tests that used the most CPU time (with their fixtures):", "",
              "| test | worker | wall (s) | CPU (s) |", "|---|---|---:|---:|"]
    for r in sorted(records, key=lambda r: -r["cpu"])[:top]:
        lines.append(f"| {r['test']} | {r['worker']} | {r['wall']:.1f} | {r['cpu']:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the summary of the run recorded in a folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help=f"the folder {ENV} named for the run")
    parser.add_argument("--top", type=int, default=20, help="tests listed by CPU time")
    args = parser.parse_args(argv)
    records = load(args.folder)
    if not records:
        parser.error(f"no records in {args.folder}")
    print(summary(records, args.top), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
