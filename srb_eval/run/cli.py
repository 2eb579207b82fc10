"""``srb-eval``: a thin command line over the Python API.

Exit codes: 0 success; 1 invalid data, a failed report, or a re-run whose result tables
differ; 2 a path or parameter that cannot be used (missing file, a file of the dataset
that cannot be read, bad arguments, a parameter file that does not match its notebooks,
a folder without a manifest);
130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..errors import DataValidationError, SrbEvalError


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..data.io import load_dataset

    try:
        ds = load_dataset(args.path)
    except DataValidationError as err:
        print(str(err))
        return err.exit_code  # 2 when a file could not be read at all
    counts = ", ".join(f"{n} {len(df)}" for n, df in ds.tables.items())
    print(f"{args.path}: valid ({counts} rows)")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from ..data.demo import write_demo

    files = write_demo(args.out, n_learners=args.learners, years=args.years, seed=args.seed,
                       fmt=args.format, force=args.force)
    print(f"wrote {len(files)} files of synthetic data to {args.out}")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    with _report_kernels(args.params):  # before the render's own imports (about 1 s)
        return _render(args)


@contextlib.contextmanager
def _report_kernels(params: str) -> Iterator[None]:
    """Start the zygote of a render's kernels (:func:`srb_eval.run.report_kernels.
    kernels_for`) from the parameter file ``params``; a file that cannot be read starts
    nothing here (the render says why)."""
    from .parameters import load_parameter_file
    from .report_kernels import kernels_for

    try:
        spec = load_parameter_file(params)
    except SrbEvalError:
        spec = {}
    with kernels_for(spec):
        yield


def _render(args: argparse.Namespace) -> int:
    from ..paths import RENDERED_DIR, resolve
    from .jobs import relative
    from .render import render

    out = resolve(args.out) if args.out else RENDERED_DIR / Path(args.params).stem
    results = render(args.params, out=args.out, jobs=args.jobs, progress=not args.quiet,
                     audit=not args.no_audit, own_notebooks=args.own_notebooks)
    print(f"{len(results)} reports rendered; index: {relative(out / 'index.html')}")
    _warn_not_audited(out)
    return 0


def _warn_not_audited(out: Path) -> None:
    """Say on stderr when the published output of a render in ``out`` was not audited."""
    from .jobs import PUBLISHED_DIR, relative

    try:
        audit = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get(
            "disclosure_audit")
    except (OSError, ValueError):
        return
    if audit and audit.get("skipped"):  # a failed audit fails the render (RenderError)
        print(f"WARNING: the published output was NOT audited for disclosure "
              f"({audit['skipped']}): run srb-eval audit on {relative(out / PUBLISHED_DIR)} "
              "before circulating it", file=sys.stderr)


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from .reproduce import reproduce

    res = reproduce(args.rendered, out=args.out, jobs=args.jobs, progress=not args.quiet,
                    audit=not args.no_audit)
    print(res.report())
    if res.ran:
        _warn_not_audited(res.out)
    return res.exit_code


def _cmd_audit(args: argparse.Namespace) -> int:
    from .audit import audit_folder

    res = audit_folder(*args.rendered_dir)
    print(res.report())
    return res.exit_code


def _cmd_pseudonymise(args: argparse.Namespace) -> int:
    from ..data.pseudonymise import pseudonymise_file

    res = pseudonymise_file(args.input, args.output, column=args.column,
                            key_file=args.key_file, drop=args.drop, overwrite=args.overwrite)
    print(f"wrote {args.output}: {res.rows} rows, {args.column} replaced by learner_id")
    others = [c for c in res.dropped if c != args.column.strip().lower()]
    if others:
        print(f"dropped {len(others)} identifying or free-text column(s): "
              f"{', '.join(others)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs): every command's help is
    written for an evaluator, with what it does, a worked example and its exit codes."""
    raw = argparse.RawDescriptionHelpFormatter
    jobs_help = ("reports run at once, each in its own process (default: one per core "
                 "of this machine)")
    p = argparse.ArgumentParser(
        prog="srb-eval", formatter_class=raw,
        description="Evaluate Specialist Resource Bases (SRBs) from a local authority's "
                    "records:\ncheck the data, render the reports (parameterised "
                    "notebooks) into HTML and result tables,\nand re-run or audit a "
                    "rendered folder. Each command has its own help: srb-eval COMMAND -h.",
        epilog="""\
examples:
  srb-eval pseudonymise export.csv learners.csv --key-file ~/srb-eval.key
  srb-eval validate data/mine                  # list every problem in a dataset
  srb-eval render parameters/demo.yaml         # the demo suite into rendered/demo/
  srb-eval reproduce rendered/demo             # re-run it and compare every table
  srb-eval audit rendered/demo/published       # can a hidden count be worked out?
  srb-eval demo --out /tmp/demo                # a synthetic dataset to try things on

exit codes:
  0    success
  1    invalid data, a failed report, a re-run whose tables differ, a failed audit
  2    a path or parameter that cannot be used (missing file, bad arguments, a
       parameter file that does not match its notebooks, a folder without a manifest)
  130  interrupted (nothing half-written is left)

Paths on the command line are relative to the current directory; a relative data_dir
inside a parameter file is relative to the project folder. See README.md.""")
    p.add_argument("--version", action="version",
                   version=f"%(prog)s {importlib.metadata.version('srb-eval')}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser(
        "validate", formatter_class=raw, help="check a dataset and print every problem",
        description="Read a dataset as the reports would and list every problem at once "
                    "(file, row,\ncolumn, value, rule): the tables and columns of "
                    "docs/data-dictionary.md, codes,\ndates, links between tables, and "
                    "anything that looks like a direct identifier\n(a pupil number, an "
                    "e-mail address, a telephone number, a postcode).",
        epilog="""\
example:
  srb-eval validate data/demo
  srb-eval validate ~/exports/srb-2026.xlsx    # one workbook, a sheet per table

exit codes: 0 valid, 1 invalid (every problem printed), 2 unreadable.""")
    v.add_argument("path", help="folder of CSV/Parquet files (one per table) or an Excel "
                                "workbook (one sheet per table)")
    v.set_defaults(func=_cmd_validate)

    d = sub.add_parser(
        "demo", formatter_class=raw, help="write a deterministic synthetic dataset",
        description="Write a synthetic dataset of a fictional local authority (every table "
                    "of\ndocs/data-dictionary.md, with a README). Nothing in it describes "
                    "a real person;\nthe same arguments give byte-identical files on any "
                    "machine. Use it to try the\nreports, or to make test data of any "
                    "size.",
        epilog="""\
examples:
  srb-eval demo --out /tmp/demo
  srb-eval demo --out /tmp/wales --learners 10000 --years 5 --format parquet
  srb-eval validate /tmp/demo && srb-eval render my.yaml   # my.yaml: data_dir: /tmp/demo

data/demo/ (the committed demo) is: srb-eval demo --out data/demo --force
(make demo-data).

exit codes: 0 written, 2 the folder already holds files (without --force) or is a file.""")
    d.add_argument("--out", required=True,
                   help="folder to write (created if missing; must be empty unless --force)")
    d.add_argument("--learners", type=int, default=150,
                   help="number of learners (default 150; 10000 is about all Wales)")
    d.add_argument("--years", type=int, default=4,
                   help="academic years of records, ending July 2026 (default 4)")
    d.add_argument("--seed", type=int, default=2025,
                   help="random seed: the same seed gives the same files (default 2025)")
    d.add_argument("--format", choices=("csv", "parquet"), default="csv",
                   help="file format of the tables (default csv)")
    d.add_argument("--force", action="store_true",
                   help="write into a folder that already holds files (replacing tables)")
    d.set_defaults(func=_cmd_demo)

    r = sub.add_parser(
        "render", formatter_class=raw, help="execute the notebooks a parameter file names",
        description="Execute every report a parameter file names (in parallel), and write "
                    "into one folder:\nthe executed notebooks, an HTML copy of each (no "
                    "code), the result tables each\nreport recorded (tables/<report>/"
                    "*.csv), index.html and manifest.json (parameters,\nSHA-256 of every "
                    "input and table, package versions, git commit). Published reports\n"
                    "and their tables go to <out>/published/, the only folder to "
                    "circulate; their\ndisclosure is audited before anything is written. "
                    "A failed report does not stop\nthe others; it is marked in the index "
                    "and the command exits 1.",
        epilog="""\
the parameter file (YAML):
  title: Our SRBs, 2025/26               # shown on the index page
  data_dir: data/mine                    # relative to the project folder, or absolute
  parameters: {audience: published}      # defaults for every report (optional)
  reports:                               # notebooks/<name>.ipynb, one entry a report
    - notebook: 00_data_quality
      parameters: {audience: internal}   # internal: SRB staff and the psychologist;
    - notebook: 10_learner_progress      # published: small numbers suppressed
      parameters: {audience: published}
      fan_out: {srb: each}               # one report per resource base (or a list)
    - notebook: 50_learner_profile       # internal only; one of your learner_ids,
      parameters: {audience: internal, learner_id: L0001}   # or fan_out: {learner_id: each}
  Every name and value is checked against the notebook's parameters cell before
  anything runs. Parameter files in parameters/ are examples.

examples:
  srb-eval render parameters/demo.yaml                 # into rendered/demo/
  srb-eval render mine.yaml --out rendered/2026-07 --jobs 1

exit codes: 0 every report rendered, 1 a report failed, the disclosure audit failed or
was too large to run (without --no-audit), 2 the parameter file is wrong (every problem listed; nothing was run).

Each report runs in a kernel of its own, forked (on Linux) from one process that has
imported the libraries and read the data once (each report still checks that its data
files are the ones read); SRB_EVAL_FRESH_KERNELS=1 starts each kernel as a new process
instead (slower; the same results).""")
    r.add_argument("params", help="parameter file, e.g. parameters/demo.yaml")
    r.add_argument("--out", help="output folder (default rendered/<params name>); an "
                                 "earlier render there is replaced at the end, never "
                                 "left half-written")
    r.add_argument("--jobs", type=int, default=None, help=jobs_help)
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--no-audit", action="store_true",
                   help="do not audit the disclosure of the published reports (a render "
                        "whose published tables hide more counts than it audits itself is "
                        "otherwise refused); the indexes and the manifest then say that "
                        "the output was not audited: run srb-eval audit on its published "
                        "folder before circulating it")
    r.add_argument("--own-notebooks", action="store_true",
                   help="let the parameter file name notebooks outside the project's "
                        "notebooks/ folder by path (a notebook runs as code: only for "
                        "notebooks you wrote or checked; without it such a file is "
                        "refused)")
    r.set_defaults(func=_cmd_render)

    rp = sub.add_parser(
        "reproduce", formatter_class=raw,
        help="re-run a rendered folder from its manifest and compare tables",
        description="Check a rendered folder against the hashes in its manifest (an "
                    "edited file is\nnamed), re-run the same notebooks with the same "
                    "parameters into a fresh folder,\nand compare every result table by "
                    "SHA-256, showing the first differing rows. It\nwarns when the input "
                    "files or the environment differ from the manifest.",
        epilog="""\
example:
  srb-eval render parameters/demo.yaml && srb-eval reproduce rendered/demo

exit codes: 0 every table matches, 1 a table differs or a report failed,
2 the folder has no readable manifest.""")
    rp.add_argument("rendered", help="folder written by `srb-eval render` (has manifest.json)")
    rp.add_argument("--out", help="where to write the re-run (default <rendered>-reproduced)")
    rp.add_argument("--jobs", type=int, default=None, help=jobs_help)
    rp.add_argument("--quiet", action="store_true", help="no progress bar")
    rp.add_argument("--no-audit", action="store_true",
                    help="do not audit the re-run's published reports for disclosure (as "
                         "render --no-audit; the indexes and the manifest say so). The "
                         "re-run is audited otherwise, whatever the folder's manifest says")
    rp.set_defaults(func=_cmd_reproduce)

    au = sub.add_parser(
        "audit", formatter_class=raw,
        help="check that no hidden count of the published tables of rendered folders can "
             "be recovered (exit 1 if one can)",
        description="Audit the published tables of one or more rendered folders together: "
                    "for every\ncount shown as <5 or [c], find the smallest and largest "
                    "value it can take given\neverything published in those folders "
                    "(integer linear programming), and check\nthat no 0 states the share "
                    "of a group too small for one. Render runs\nthis itself; run it on "
                    "demand for folders circulated together, or for a render\ntoo large "
                    "to audit itself.",
        epilog="""\
example:
  srb-eval audit rendered/demo/published rendered/demo_per_srb/published

exit codes: 0 every hidden count passes, 1 one can be narrowed (the cells are named),
2 a folder cannot be used (missing, no disclosure records, a malformed record).""")
    au.add_argument("rendered_dir", nargs="+",
                    help="folder(s) written by `srb-eval render`, audited together (e.g. "
                         "a suite and its per-SRB fan-out)")
    au.set_defaults(func=_cmd_audit)

    ps = sub.add_parser(
        "pseudonymise", formatter_class=raw,
        help="replace a pupil number column by a keyed hash (learner_id)",
        description="Replace the pupil number column of an export by learner_id = "
                    "HMAC-SHA256(key, number),\nso that the same pupil gets the same id "
                    "in every export made with the same key.\nIdentifier columns (names, "
                    "addresses, dates of birth, contact details) and free-text\ncolumns "
                    "(notes, comments) are dropped, and it prints which. The export and "
                    "the key\nfile are never changed; an existing output file is not "
                    "replaced unless --overwrite.",
        epilog="""\
make a key file once (keep it outside the repository, readable by you only, and use
the same key for every export, or the ids will not match from one year to the next):
  python3 -c "import secrets; print(secrets.token_hex(32))" > ~/srb-eval.key
  chmod 600 ~/srb-eval.key

example:
  srb-eval pseudonymise export.csv data/mine/learners.csv --key-file ~/srb-eval.key
  srb-eval pseudonymise sims.csv learners.csv --column UPN --drop tutor_group \\
      --key-file ~/srb-eval.key   # --drop: header in lower case, spaces as _

exit codes: 0 written, 2 a file that cannot be used (missing, blank numbers, a key
shorter than 16 bytes, an output that exists).""")
    ps.add_argument("input", help="CSV file with a pupil number column")
    ps.add_argument("output", help="CSV file to write (never the input)")
    ps.add_argument("--column", default="upn", help="column to replace (default upn)")
    ps.add_argument("--key-file", required=True,
                    help="file holding the secret key, at least 16 bytes (keep it outside "
                         "the repository; see below for how to make one)")
    ps.add_argument("--drop", nargs="*", default=[],
                    help="other identifying columns to drop (names, addresses, ...)")
    ps.add_argument("--overwrite", action="store_true",
                    help="replace the output file if it exists")
    ps.set_defaults(func=_cmd_pseudonymise)
    return p


#: The arguments that are paths: on the command line they are relative to the current
#: directory, as users expect (the Python API resolves a relative path against the
#: project folder, and a parameter file's ``data_dir`` too: see README).
PATH_ARGUMENTS = ("path", "out", "params", "rendered", "rendered_dir", "input", "output",
                  "key_file")


def from_here(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` with every relative path made absolute against the current directory."""
    for name in PATH_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            setattr(args, name, str(Path(value).expanduser().absolute()))
        elif isinstance(value, list):
            setattr(args, name, [str(Path(v).expanduser().absolute()) for v in value])
    return args


#: Characters a terminal would act on rather than show: control characters other than
#: the line break and tab, so escape sequences (ESC, CSI), the bell and the carriage
#: return, and the bidirectional overrides that reorder what a line shows.
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class EscapedStream:
    """A text stream that writes every terminal control character as its escape
    (``\x1b``): what the command prints may quote a received file's text (a table
    cell that differs, a record's table name), which must not clear the screen, set
    the window title or hide a line."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        # (carriage returns that begin a write are the progress bar's redraw)
        head = len(text) - len(text.lstrip("\r"))
        return self._stream.write(text[:head] + _TERMINAL_CONTROL.sub(
            lambda m: m.group().encode("unicode_escape").decode("ascii"), text[head:]))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``srb-eval`` command."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapedStream(out), EscapedStream(err)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None) -> int:
    args = from_here(build_parser().parse_args(argv))
    try:
        return args.func(args)
    except SrbEvalError as err:
        print(f"srb-eval {args.command}: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as err:  # a path the system refused (permissions, a full disk)
        where = f"{err.filename}: " if err.filename else ""
        print(f"srb-eval {args.command}: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"srb-eval {args.command}: interrupted; nothing half-written was left",
              file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
