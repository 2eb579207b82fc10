"""``srb-eval``: a thin command line over the Python API.

Exit codes: 0 success; 1 invalid data, a failed report, or a re-run whose result tables
differ; 2 a path or parameter that cannot be used (missing file, a file of the dataset
that cannot be read, bad arguments, a parameter file that does not match its notebooks,
a folder without a manifest);
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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
    from ..paths import RENDERED_DIR, resolve
    from .jobs import relative
    from .render import render

    out = resolve(args.out) if args.out else RENDERED_DIR / Path(args.params).stem
    results = render(args.params, out=args.out, jobs=args.jobs, progress=not args.quiet)
    print(f"{len(results)} reports rendered; index: {relative(out / 'index.html')}")
    audit = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get(
        "disclosure_audit")
    if audit and audit.get("skipped"):
        print(f"WARNING: disclosure audit not run: {audit['skipped']}", file=sys.stderr)
    elif audit and not audit["passed"]:
        print(f"WARNING: disclosure audit failed: {audit['narrowed']} of {audit['hidden']} "
              f"hidden counts of the published tables can be narrowed; do not circulate "
              f"{relative(out / 'published')} (details: srb-eval audit "
              f"{relative(out / 'published')})", file=sys.stderr)
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from .reproduce import reproduce

    res = reproduce(args.rendered, out=args.out, jobs=args.jobs, progress=not args.quiet)
    print(res.report())
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
    """The argument parser (exposed for tests and docs)."""
    p = argparse.ArgumentParser(prog="srb-eval", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check a dataset and print every problem")
    v.add_argument("path", help="folder of CSV/Parquet files or an Excel workbook")
    v.set_defaults(func=_cmd_validate)

    d = sub.add_parser("demo", help="write a deterministic synthetic dataset")
    d.add_argument("--out", required=True, help="folder to write")
    d.add_argument("--learners", type=int, default=150)
    d.add_argument("--years", type=int, default=4)
    d.add_argument("--seed", type=int, default=2025)
    d.add_argument("--format", choices=("csv", "parquet"), default="csv")
    d.add_argument("--force", action="store_true",
                   help="write into a folder that already holds files (replacing tables)")
    d.set_defaults(func=_cmd_demo)

    r = sub.add_parser("render", help="execute the notebooks a parameter file names")
    r.add_argument("params", help="parameter file, e.g. parameters/demo.yaml")
    r.add_argument("--out", help="output folder (default rendered/<params name>)")
    r.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_render)

    rp = sub.add_parser("reproduce",
                        help="re-run a rendered folder from its manifest and compare tables")
    rp.add_argument("rendered", help="folder written by `srb-eval render` (has manifest.json)")
    rp.add_argument("--out", help="where to write the re-run (default <rendered>-reproduced)")
    rp.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    rp.add_argument("--quiet", action="store_true", help="no progress bar")
    rp.set_defaults(func=_cmd_reproduce)

    au = sub.add_parser("audit", help="check that no hidden count of the published tables "
                        "of rendered folders can be recovered (exit 1 if one can)")
    au.add_argument("rendered_dir", nargs="+",
                    help="folder(s) written by `srb-eval render`, audited together (e.g. "
                         "a suite and its per-SRB fan-out)")
    au.set_defaults(func=_cmd_audit)

    ps = sub.add_parser("pseudonymise",
                        help="replace a pupil number column by a keyed hash (learner_id)")
    ps.add_argument("input", help="CSV file with a pupil number column")
    ps.add_argument("output", help="CSV file to write (never the input)")
    ps.add_argument("--column", default="upn", help="column to replace (default upn)")
    ps.add_argument("--key-file", required=True,
                    help="file holding the secret key (keep it outside the repository)")
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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``srb-eval`` command."""
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
