"""Where a render's CPU seconds go: imports, the reports' computations, figures, export.

Samples ``srb-eval render`` and every process it starts (its workers and their kernels)
with py-spy (a sampling profiler, not a dependency of the package:
``pip install py-spy``), then sorts the samples of threads that were running into:

- **import**: a module being imported (a stack through ``importlib._bootstrap``), in the
  kernels (the first cell of each report) and in the command and its workers;
- **figures**: ``Figure.savefig`` (drawing the PNG the report embeds);
- **computation**: the reports' cells below a ``srb_eval`` function (loading and checking
  the data, measures, disclosure protection, tables and sentences);
- **HTML export**, **Word export**, **disclosure audit** (of the whole render);
- **idle**: threads waiting (the kernels' output pipes and message loops): not CPU time.

Usage::

    .venv/bin/python benchmarks/render_profile.py parameters/demo.yaml [--jobs 2]
    .venv/bin/python benchmarks/render_profile.py --samples /tmp/prof.txt   # re-read

It prints seconds (samples / rate) of each kind, and the ``srb_eval`` functions the
cells call that took the most. Sampled time counts every running thread, so it is close
to, not equal to, the CPU time of the process tree.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

KINDS = (  # (kind, test on the joined stack), first match wins
    ("import", lambda s: "_find_and_load" in s),
    ("figures", lambda s: "savefig" in s or "print_figure" in s),
    ("HTML export", lambda s: "notebook_to_html" in s or "nbconvert" in s),
    ("Word export", lambda s: "notebook_to_docx" in s),
    ("disclosure audit", lambda s: "audit_summary" in s),
    ("computation", lambda s: "srb_eval/" in s),
)
IDLE = ("_watch_pipe_fd", "zmq/sugar/__init__.py", "GarbageCollectorThread", "select",
        "poll", "wait")
_CELL = re.compile(r"<module> \(\d+\.py:\d+\)")  # a cell's code, as IPython names it
_PLACE = re.compile(r"\(.*?(site-packages|srb_eval)/")
_LINE = re.compile(r":\d+\)$")


def classify(lines) -> tuple[collections.Counter, collections.Counter]:
    """(samples by kind, samples by the srb_eval function a cell called)."""
    kinds: collections.Counter = collections.Counter()
    called: collections.Counter = collections.Counter()
    for line in lines:
        line = line.rstrip()
        if not line or " " not in line:
            continue
        stack, n = line.rsplit(" ", 1)
        if not n.isdigit():  # a line of a process's command that spans lines (python -c)
            continue
        frames = stack.split(";")
        if any(w in frames[-1] for w in IDLE):
            kind = "idle"
        else:
            # a forked kernel runs below the zygote's frames: those are not computation
            own = ";".join(f for f in frames if "srb_eval/run/zygote.py" not in f)
            kind = next((k for k, test in KINDS if test(own)), "other")
        kinds[kind] += int(n)
        cells = [i for i, f in enumerate(frames) if _CELL.search(f)]
        if kind == "computation" and cells and cells[-1] + 1 < len(frames):
            called[_LINE.sub(")", _PLACE.sub("(", frames[cells[-1] + 1]))] += int(n)
    return kinds, called


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("params", nargs="?", help="parameter file to render")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rate", type=int, default=50, help="samples a second (py-spy -r)")
    ap.add_argument("--samples", type=Path, help="a py-spy raw file to read instead")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    if args.samples is None:
        if not args.params:
            ap.error("give a parameter file, or --samples")
        spy = shutil.which("py-spy")
        if spy is None:
            ap.error("py-spy is not on PATH (pip install py-spy)")
        tmp = Path(tempfile.mkdtemp(prefix="srb-profile-"))
        args.samples = tmp / "samples.txt"
        cmd = [spy, "record", "--subprocesses", "-r", str(args.rate), "-f", "raw", "-o",
               str(args.samples), "--", str(Path(sys.executable).parent / "srb-eval"),
               "render", args.params, "--out", str(tmp / "out"), "--jobs", str(args.jobs),
               "--quiet"]
        print("$ " + " ".join(cmd), flush=True)
        subprocess.run(cmd, cwd=ROOT, check=True)
    with args.samples.open(encoding="utf-8") as fh:
        kinds, called = classify(fh)
    busy = sum(v for k, v in kinds.items() if k != "idle")
    print(f"\nsampled running time: {busy / args.rate:.1f} s")
    for k, v in kinds.most_common():
        share = "" if k == "idle" else f"  {100 * v / busy:4.1f}%"
        print(f"  {v / args.rate:7.1f} s  {k}{share}")
    print(f"\nthe {args.top} srb_eval calls of the cells that took the most:")
    for k, v in called.most_common(args.top):
        print(f"  {v / args.rate:7.1f} s  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
