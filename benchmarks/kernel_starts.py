"""How often does a report kernel lose one of its ports to another process at start-up?

jupyter_client picks a kernel's five TCP ports, lets them go, and the kernel binds them
as it starts; a kernel started at the same moment by another process can take one of
them in between. ``srb_eval.run.provisioner.ForkingProvisioner`` starts a forked kernel
that lost a shell, IOPub, stdin or control port again on new ports.

This starts ``--kernels`` kernels one after another (start, wait until ready, stop) in
each of ``--processes`` processes at once, each process with its own zygote, as the test
workers and a render's workers do, and counts the kernels started again, the
heartbeat ports lost (ipykernel binds the heartbeat in a thread of its own: a kernel
that loses it runs on without a heartbeat, which nothing here uses), and the kernels
that could not be started::

    .venv/bin/python benchmarks/kernel_starts.py [--processes 4] [--kernels 250]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


async def _start_and_stop(n: int, cwd: str) -> int:
    """Start, wait for and stop ``n`` kernels in turn; the number that failed."""
    from srb_eval.run.kernel_manager import ReportKernelManager

    failed = 0
    for _ in range(n):
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=cwd)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
        except RuntimeError:
            failed += 1
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
    return failed


def child(n: int, cwd: str) -> None:
    """One process's share (run with ``--child``): prints the kernels that failed."""
    from srb_eval.run.kernels import zygote_for_children

    logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="%(message)s")
    with zygote_for_children("python3", cwd=cwd):
        failed = asyncio.run(_start_and_stop(n, cwd))
    print(f"failed {failed}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--kernels", type=int, default=250, help="kernels per process")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.kernels, os.getcwd())
        return
    with tempfile.TemporaryDirectory() as cwd:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child",
                                   "--kernels", str(args.kernels)], cwd=cwd,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(args.processes)]
        outs = [p.communicate() for p in procs]
        wall = time.perf_counter() - start
    said = "".join(out for out, _ in outs)
    errors = "".join(err for _, err in outs)
    failed = sum(int(line.split()[1]) for line in said.splitlines()
                 if line.startswith("failed "))
    print(f"{args.processes} processes x {args.kernels} kernels in {wall:.0f} s: "
          f"{said.count('starting it on new ports')} started again on new ports, "
          f"{errors.count('Exception in thread Heartbeat')} heartbeat ports lost, "
          f"{failed} failed, {sum(p.returncode != 0 for p in procs)} processes failed")


if __name__ == "__main__":
    main()
