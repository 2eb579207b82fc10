"""How much faster does ``srb-eval render`` run with one worker per core?

Renders a parameter file (default ``parameters/demo.yaml``, the whole suite on the demo
data) with ``--jobs 1`` and with ``--jobs 2`` through the real command line, into fresh
output folders in a temporary directory, and reports the wall time of each and the
speed-up. Runs are interleaved and repeated (``--repeat``); the best time of each
setting is used, since other work on the machine only ever slows a run down. Checks
that the serial and parallel renders recorded identical result tables (same SHA-256).

It also measures the *kernel floor*: the same number of reports, each a notebook that
only imports the stack the reports use (pandas, the package, its plotting and report
modules) and records one small table, rendered with the parallel setting. No render of
that many reports can be faster; the suite's time over the floor's is the overhead the
reports themselves add (the target is 1.3x).

Writes ``benchmarks/RESULTS-render.md``::

    .venv/bin/python benchmarks/render_parallel.py [--params FILE ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS-render.md"
TARGET = 1.6
#: Target of the parallel suite render's time over the kernel floor's.
FLOOR_TARGET = 1.3
#: The one code cell of a kernel-floor report: the imports of the report notebooks.
FLOOR_CELL = """import pandas as pd
import matplotlib.pyplot as plt
from srb_eval import load_dataset
from srb_eval.report import notebook as report
from srb_eval.report import plots
report.record("floor", pd.DataFrame({"n": [1]}))"""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 ** 2:.1f} GB"
    except OSError:
        pass
    return "unknown"


def srb_eval_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("srb-eval")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "srb_eval.run.cli"]


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def render_once(params: Path, out: Path, jobs: int,
                fresh_kernels: bool = False) -> tuple[float, float, dict]:
    """Wall time, CPU time of the whole process tree (workers, kernels), manifest.
    ``fresh_kernels``: start every kernel as a new process (``SRB_EVAL_FRESH_KERNELS=1``)
    instead of forking it from the render's zygote (``srb_eval.run.kernels``)."""
    cmd = [*srb_eval_cmd(), "render", str(params), "--out", str(out), "--jobs", str(jobs),
           "--quiet"]
    env = {k: v for k, v in os.environ.items() if k != "SRB_EVAL_ZYGOTES"}
    if fresh_kernels:
        env["SRB_EVAL_FRESH_KERNELS"] = "1"
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    if res.returncode != 0:
        sys.exit(f"render failed (exit {res.returncode}):\n{res.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text())
    return seconds, cpu, manifest


def floor_params(folder: Path, n_reports: int) -> Path:
    """A parameter file of ``n_reports`` kernel-floor reports (see the module's docstring)."""
    import nbformat
    import yaml

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('audience = "internal"  # str',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(FLOOR_CELL)]
    notebook = folder / "kernel_floor.ipynb"
    nbformat.write(nb, notebook)
    spec = {"title": "kernel floor", "reports": [
        {"notebook": str(notebook), "name": f"floor_{i}"} for i in range(n_reports)]}
    params = folder / "kernel_floor.yaml"
    params.write_text(yaml.safe_dump(spec))
    return params


def bench_floor(n_reports: int, jobs: int, repeat: int, suite_best: float,
                suite_fresh: float) -> str:
    """Time ``n_reports`` kernel-floor reports with ``--jobs jobs``, with fresh kernels
    (the floor as issue #20 defines it: each kernel starts and imports the stack) and
    with forked ones; its Markdown section."""
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="srb-render-floor-") as tmp:
        params = floor_params(Path(tmp), n_reports)
        for rep in range(repeat):
            for fresh in (True, False):
                seconds, cpu, _ = render_once(params, Path(tmp) / f"run{rep}-{fresh}", jobs,
                                              fresh_kernels=fresh)
                times[fresh].append(seconds)
                print(f"kernel floor --jobs {jobs} {'fresh' if fresh else 'forked'} kernels "
                      f"run {rep + 1}: {seconds:.1f} s (CPU {cpu:.1f} s)", file=sys.stderr)
    fresh_floor, forked_floor = min(times[True]), min(times[False])
    ratio = suite_best / fresh_floor
    return f"""Kernel floor ({n_reports} reports that only import the stack, `--jobs {jobs}`), with
fresh kernels (`SRB_EVAL_FRESH_KERNELS=1`: every kernel starts and imports the stack, the
floor of issue #20): best {fresh_floor:.1f} s (runs: {", ".join(f"{t:.1f}" for t in times[True])}).
**The suite takes {ratio:.2f}x that floor** (target <= {FLOOR_TARGET}x:
{"met" if ratio <= FLOOR_TARGET else "NOT met"}).

With kernels forked from the render's zygote (the default), the same floor takes
{forked_floor:.1f} s (runs: {", ".join(f"{t:.1f}" for t in times[False])}); the suite takes
{suite_best / forked_floor:.2f}x that. The suite with fresh kernels, `--jobs {jobs}`:
{suite_fresh:.1f} s ({suite_fresh / fresh_floor:.2f}x the fresh floor).
"""


def bench(params: Path, serial: int, par: int, repeat: int) -> tuple[str, bool, float]:
    """Time one parameter file; returns its Markdown section, tables-identical, speed-up."""
    times: dict[int, list[float]] = {serial: [], par: []}
    cpus: dict[int, list[float]] = {serial: [], par: []}
    tables: dict[int, dict] = {}
    n_reports = 0
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="srb-render-bench-") as tmp:
        for rep in range(repeat):
            for jobs in (serial, par) if rep % 2 == 0 else (par, serial):
                out = Path(tmp) / f"jobs{jobs}-run{rep}"
                seconds, cpu, manifest = render_once(params, out, jobs)
                times[jobs].append(seconds)
                cpus[jobs].append(cpu)
                n_reports = len(manifest["reports"])
                tables[jobs] = {r["name"]: r["results"] for r in manifest["reports"]}
                print(f"{params.name} --jobs {jobs} run {rep + 1}: {seconds:.1f} s "
                      f"(CPU {cpu:.1f} s, {n_reports} reports)", file=sys.stderr)
        fresh_suite = min(render_once(params, Path(tmp) / f"fresh-run{rep}", par,
                                      fresh_kernels=True)[0] for rep in range(repeat))
        print(f"{params.name} --jobs {par} fresh kernels: best {fresh_suite:.1f} s",
              file=sys.stderr)
    load_after = os.getloadavg()
    same = tables[serial] == tables[par]
    best = {j: min(t) for j, t in times.items()}
    best_i = {j: t.index(best[j]) for j, t in times.items()}
    cores = {j: cpus[j][best_i[j]] / best[j] for j in times}
    speedup = best[serial] / best[par]
    rel = params.relative_to(ROOT) if params.is_relative_to(ROOT) else params
    section = f"""## `{rel}` ({n_reports} reports)

Command timed: `.venv/bin/srb-eval render {shlex.quote(str(rel))} --out <fresh temp dir>
--jobs N --quiet`, end to end (parameter checks, kernel start-up, execution, HTML
export, manifest); {repeat} run(s) of each setting, interleaved.

| setting | wall time, best (s) | CPU time of that run (s) | cores kept busy (CPU / wall) | all runs, wall (s) |
|---|---|---|---|---|
| `--jobs {serial}` | {best[serial]:.1f} | {cpus[serial][best_i[serial]]:.1f} | {cores[serial]:.2f} | {", ".join(f"{t:.1f}" for t in times[serial])} |
| `--jobs {par}` | {best[par]:.1f} | {cpus[par][best_i[par]]:.1f} | {cores[par]:.2f} | {", ".join(f"{t:.1f}" for t in times[par])} |

**Speed-up: {speedup:.2f}x** (target >= {TARGET}x: {"met" if speedup >= TARGET else "NOT met"}).
Result tables of the serial and parallel renders identical (SHA-256): {"yes" if same else "NO"}.
Load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}.

{bench_floor(n_reports, par, repeat, best[par], fresh_suite)}"""
    return section, same, speedup


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--params", nargs="+", default=["parameters/demo.yaml"],
                    help="parameter file(s) to time (default parameters/demo.yaml)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each setting (best kept)")
    ap.add_argument("--jobs", type=int, nargs=2, default=[1, 2], metavar=("SERIAL", "PAR"))
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    serial, par = args.jobs
    sections, all_same = [], True
    for pf in args.params:
        section, same, _ = bench((ROOT / pf).resolve(), serial, par, args.repeat)
        sections.append(section)
        all_same &= same
    cmd = ("python benchmarks/render_parallel.py --params " + " ".join(args.params)
           + f" --repeat {args.repeat}")
    report = f"""# Parallel rendering: `srb-eval render --jobs {serial}` vs `--jobs {par}`

Written by `.venv/bin/{cmd}` on {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}.
Each setting renders into a fresh output folder; the best time of each setting is used
(other work on a shared machine only ever slows a run down). CPU time is that of the
whole process tree (the command, its workers and their kernels); "cores kept busy"
near 2 for `--jobs 2` means the workers ran side by side, lower means they waited for
a core (other work on the machine) or for each other (the last report finishing alone).

Machine: {os.cpu_count()} cores (`nproc` {len(os.sched_getaffinity(0))}), {cpu_model()},
{memory_gb()} RAM, {platform.system()} {platform.release()}; Python
{platform.python_version()}.

{chr(10).join(sections)}"""
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
