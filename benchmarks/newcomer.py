"""A newcomer's first hour, timed: the README's two commands on a fresh clone.

Clones the repository's committed ``HEAD`` into a temporary folder and times, there,
``make venv`` (the install: a new virtual environment from PyPI with the pinned
constraints; pip's download cache is the machine's, as a newcomer's second install
would find it), ``make report`` (the demo suite) and ``make test`` (every test, on one
pytest-xdist worker per core). Each command's exit code is recorded; a command that
fails stops the run.

Writes ``benchmarks/RESULTS-newcomer.md``::

    .venv/bin/python benchmarks/newcomer.py [--skip-test] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS-newcomer.md"
#: Targets of issue "A newcomer's first hour" (seconds, 2 cores).
TARGETS = {"make test": 240.0}


def timed(cmd: list[str], cwd: Path, log: Path) -> tuple[float, int]:
    """Run ``cmd`` in ``cwd`` with its output to ``log``; (wall seconds, exit code)."""
    t0 = time.perf_counter()
    with log.open("w") as out:
        rc = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                            env={**os.environ, "CI": "true"}, check=False).returncode
    return time.perf_counter() - t0, rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-test", action="store_true", help="time the install and render only")
    ap.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    tmp = Path(tempfile.mkdtemp(prefix="srb-newcomer-"))
    clone = tmp / "srb-eval"
    rows, ok = [], True
    load_before = os.getloadavg()[0]
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        steps = [("make venv", ["make", "venv"]), ("make report", ["make", "report"])]
        if not args.skip_test:
            steps.append(("make test", ["make", "test"]))
        for name, cmd in steps:
            seconds, rc = timed(cmd, clone, tmp / f"{name.replace(' ', '-')}.log")
            target = TARGETS.get(name)
            verdict = "" if target is None else (
                f"{'met' if seconds <= target else 'NOT met'} (target {target:.0f} s)")
            rows.append(f"| `{name}` | {seconds:.0f} | {rc} | {verdict} |")
            print(f"{name}: {seconds:.0f} s, exit {rc}", file=sys.stderr)
            if rc != 0:
                ok = False
                print(f"{name} failed: see {tmp}", file=sys.stderr)
                break
    finally:
        if args.keep or not ok:
            print(f"clone and logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    report = f"""# A newcomer's first hour: install, render, test on a fresh clone

Written by `.venv/bin/python benchmarks/newcomer.py` on
{datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}, for commit {commit}. Each command runs in a
fresh `git clone` of that commit, one after the other, as the README gives them (CI=true);
the install uses this machine's pip download cache.

Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python
{platform.python_version()} for the script; load average (1 min) at the start
{load_before:.2f}, at the end {os.getloadavg()[0]:.2f}.

| command | wall time (s) | exit code | target |
|---|---|---|---|
{chr(10).join(rows)}
"""
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
