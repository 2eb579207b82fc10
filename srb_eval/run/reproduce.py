"""Re-run a rendered folder from its manifest and show that the numbers are the same.

``reproduce("rendered/demo")`` reads ``manifest.json``, executes the same notebooks with
the same per-report parameters (and so the same ``data_dir``) into a fresh folder, and
compares every result table the original reports recorded by its SHA-256. Where a table
differs, the first differing rows are shown (``pandas.DataFrame.compare`` on the two
CSV files, read as text so that what is compared is what was written). It warns when
the environment (package versions, Python, git commit) or an input file differs from
the manifest, since that is the usual reason for a difference (docs/design.md).

The command line (``srb-eval reproduce RENDERED_DIR [--out DIR]``) exits 0 only when
every table matches and every report ran, 1 when any table differs or any report
failed, and 2 when the folder has no readable manifest.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pandas as pd

from ..errors import DataReadError, ParameterError
from ..paths import NOTEBOOKS_DIR, link_in, resolve
from ..provenance import git_state, input_hashes, package_versions, sha256_file
from .jobs import PUBLISHED_DIR, Job, JobResult, relative, short_error
from .parameters import plan
from .render import dataset_files, default_jobs, execute, reference_hashes

MAX_ROWS = 5
#: A report name as render writes it: a plain file name.
SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
#: A file of a rendered folder: a plain name, or tables/<report>/<table>.csv, either at the
#: top or in the published/ folder.
SAFE_PATH = re.compile(r"(published/)?(tables/[A-Za-z0-9_.-]+/)?[A-Za-z0-9_.-]+")
#: The project's notebooks are named NN_name.
PROJECT_NOTEBOOK = re.compile(r"\d\d_[a-z0-9_]+")


@dataclass
class TableCheck:
    """One recorded result table: the original hash, the reproduced one, the verdict."""

    report: str
    table: str
    status: str  # "match", "differ", "missing" (not produced again), "new" (not in original)
    original: str | None
    reproduced: str | None
    detail: str = ""  # the first differing rows, or why they cannot be shown


@dataclass
class Reproduction:
    """The outcome of :func:`reproduce`."""

    source: Path
    out: Path
    tables: list[TableCheck] = field(default_factory=list)
    failed: list[JobResult] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)  # reports that could not be run
    warnings: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # files edited since rendering
    ran: bool = False  # some report was re-run (and the re-run written to ``out``)

    @property
    def ok(self) -> bool:
        """True when every table matched, every report ran and nothing was edited."""
        return (not self.failed and not self.not_run and not self.changed
                and all(t.status == "match" for t in self.tables))

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def report(self) -> str:
        """The text ``srb-eval reproduce`` prints."""
        lines = [f"warning: {w}" for w in self.warnings]
        lines += [f"CHANGED SINCE RENDERING: {c}" for c in self.changed]
        by_report: dict[str, list[TableCheck]] = {}
        for t in self.tables:
            by_report.setdefault(t.report, []).append(t)
        failed = {r.name: r for r in self.failed}
        for name in [*by_report, *(n for n in failed if n not in by_report)]:
            checks = by_report.get(name, [])
            if name in failed:
                r = failed[name]
                lines.append(f"{name}: FAILED {r.where_failed()}: {short_error(r.error)}")
            for t in checks:
                if t.status == "match":
                    lines.append(f"{name}/{t.table}: match")
                elif t.status == "differ":
                    lines.append(f"{name}/{t.table}: DIFFERS "
                                 f"(sha256 {t.original[:12]} -> {t.reproduced[:12]})")
                elif t.status == "missing":
                    lines.append(f"{name}/{t.table}: MISSING (not recorded by the re-run)")
                else:
                    lines.append(f"{name}/{t.table}: NEW (not in the original manifest)")
                if t.detail:
                    lines.extend("    " + ln for ln in t.detail.splitlines())
        for name in self.not_run:
            lines.append(f"{name}: NOT RUN (the reason is in the warnings)")
        n = len(self.tables)
        n_match = sum(t.status == "match" for t in self.tables)
        verdict = "REPRODUCED" if self.ok else "NOT REPRODUCED"
        lines.append(
            f"{verdict}: {n_match} of {n} result tables match"
            + (f", {n - n_match} {'does' if n - n_match == 1 else 'do'} not"
               if n != n_match else "")
            + (f"; {len(self.failed) + len(self.not_run)} report(s) failed or not run"
               if self.failed or self.not_run else "")
            + (f"; {len(self.changed)} file(s) of the rendered folder changed since "
               "rendering" if self.changed else "")
            + (f". Re-run written to {relative(self.out)}" if self.ran else
               ". No report could be re-run, so nothing was written"))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"source": relative(self.source), "ok": self.ok, "warnings": self.warnings,
                "failed": [r.name for r in self.failed], "not_run": self.not_run,
                "changed": self.changed,
                "tables": [t.__dict__ for t in self.tables]}


def changed_files(folder: Path, manifest: dict) -> list[str]:
    """Files of a rendered folder that are not what the render wrote, by SHA-256.

    Every result table (``tables/<report>/<table>.csv``) is checked against the hash the
    manifest recorded for it, and every report's notebook and HTML copy against theirs
    (manifests written before those hashes were recorded cover tables only). An edited
    number in a table or a report is therefore found even when the re-run matches. A
    file reached through a symbolic link (the file itself or a sub-folder on its way) is
    refused and never opened: render writes no links, and one may point anywhere.
    """
    out = []
    for r in manifest["reports"]:
        tables = tables_dir(r)
        expected = {f"{tables}/{t}.csv": h for t, h in (r.get("results") or {}).items()}
        expected.update(r.get("file_sha256") or {})
        for rel, sha in sorted(expected.items()):
            path = folder / rel
            if not SAFE_PATH.fullmatch(rel) or ".." in rel:
                out.append(f"{rel}: not a file name render writes")
            elif (link := link_in(folder, rel)) is not None:
                out.append(f"{rel}: REFUSED: {link}; render writes no links, so it is not "
                           "followed, read or written through")
            elif not path.is_file():
                out.append(f"{rel}: missing")
            elif sha256_file(path) != sha:
                out.append(f"{rel}: edited (sha256 {str(sha)[:12]} in the manifest, "
                           f"{sha256_file(path)[:12]} now)")
    return out


def tables_dir(report: dict) -> str:
    """Where a manifest's report keeps its result tables, relative to the render folder:
    ``tables/<name>`` or ``published/tables/<name>`` (any other folder is not trusted)."""
    folder = PUBLISHED_DIR if report.get("folder") == PUBLISHED_DIR else ""
    return "/".join(p for p in (folder, "tables", str(report.get("name"))) if p)


_HASHES = {"type": "object", "additionalProperties": {"type": "string"}}
#: The shape of the parts of a manifest that reproduce reads (JSON Schema): a received
#: manifest is data, and one of another shape is refused with every place named, not met
#: by a traceback halfway through a re-run.
MANIFEST_SCHEMA = {
    "type": "object",
    "required": ["reports"],
    "properties": {
        "title": {"type": "string"},
        "data_dir": {"type": ["string", "null"]},
        "inputs": _HASHES,
        "datasets": {"type": "object", "additionalProperties": {
            "type": "object", "properties": {"files": _HASHES}}},
        "notebooks": _HASHES,
        "reference": _HASHES,
        "versions": _HASHES,
        "python": {"type": "string"},
        "git": {"type": "object", "properties": {"commit": {"type": ["string", "null"]},
                                                 "dirty": {"type": ["boolean", "null"]}}},
        "disclosure_audit": {"type": ["object", "null"]},
        "reports": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["name", "parameters"],
            "properties": {  # (name, notebook, parameters: checked by project_job)
                "results": _HASHES,
                "file_sha256": _HASHES,
                "folder": {"type": "string"},
                "notebook_sha256": {"type": ["string", "null"]},
            }}},
    },
}


def load_manifest(rendered_dir: str | os.PathLike) -> dict:
    """The manifest of a rendered folder; :class:`DataReadError` (exit 2) when unusable."""
    d = resolve(rendered_dir)
    path = d / "manifest.json"
    if not d.is_dir():
        raise DataReadError(f"{rendered_dir}: no such folder")
    if (link := link_in(d, "manifest.json")) is not None:
        raise DataReadError(f"{rendered_dir}: {link}; render writes no links, so it is "
                            "not followed or read")
    if not path.is_file():
        raise DataReadError(f"{rendered_dir}: no manifest.json, so this is not a folder "
                            "written by `srb-eval render`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        # (a lone surrogate, "\ud800", is valid JSON but no text to print or write)
        json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    except (OSError, ValueError, RecursionError) as exc:  # (JSON errors, 5,000 digits)
        raise DataReadError(f"{path}: not readable JSON ({short_error(str(exc))})") from exc
    reports = manifest.get("reports") if isinstance(manifest, dict) else None
    if not isinstance(reports, list) or not reports or not all(
            isinstance(r, dict) and {"name", "parameters"} <= set(r) for r in reports):
        raise DataReadError(f"{path}: has no list of reports with their parameters")
    wrong = sorted(jsonschema.Draft202012Validator(MANIFEST_SCHEMA).iter_errors(manifest),
                   key=lambda e: list(map(str, e.absolute_path)))
    if wrong:
        raise DataReadError(f"{path}: is not a manifest render writes:\n  - " + "\n  - ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in wrong[:20]) + (f"\n  ... and {len(wrong) - 20} more"
                                    if len(wrong) > 20 else ""))
    # each report's tables are compared by its name: a name given twice would let one
    # entry's tables go unchecked while the other's are reported as reproduced
    names = [str(r["name"]) for r in reports]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        shown = ", ".join(map(repr, repeated[:5]))
        raise DataReadError(f"{path}: names a report more than once ({shown}), which render "
                            "never writes")
    return manifest


def project_job(report: dict) -> Job:
    """The job that re-runs one report of a manifest, using only the project's notebooks.

    A rendered folder may come from someone else, so nothing in its manifest is trusted:
    the notebook is looked up by its bare name among the project's own
    ``notebooks/NN_name.ipynb`` (a path in the manifest is never followed), the report
    name must be a plain file name (no folder separators, no ``..``), and the parameters
    are checked against the notebook's declared parameters exactly as a parameter file is
    (:func:`srb_eval.run.parameters.plan`).

    Raises
    ------
    ParameterError
        Naming what is wrong; the report is then not run.
    """
    name, notebook = report.get("name"), report.get("notebook")
    if not isinstance(name, str) or not SAFE_NAME.fullmatch(name) or ".." in name:
        raise ParameterError(f"report name {name!r} is not a plain file name (letters, "
                             "digits, '_', '-', '.'): not run")
    if not isinstance(notebook, str) or not PROJECT_NOTEBOOK.fullmatch(notebook) \
            or not (NOTEBOOKS_DIR / f"{notebook}.ipynb").is_file():
        raise ParameterError(f"report {name}: notebook {notebook!r} is not one of the "
                             f"project's notebooks ({relative(NOTEBOOKS_DIR)}/NN_name.ipynb): "
                             "not run")
    parameters = report.get("parameters")
    if not isinstance(parameters, dict):
        raise ParameterError(f"report {name}: parameters are not a mapping: not run")
    spec = {"reports": [{"notebook": notebook, "name": name, "parameters": parameters}]}
    (job,) = plan(spec, source=f"manifest, report {name}")
    return job


def _diff_hashes(kind: str, before: dict[str, str], now: dict[str, str]) -> list[str]:
    out = []
    for f in sorted(set(before) | set(now)):
        a, b = before.get(f), now.get(f)
        if a == b:
            continue
        if b is None:
            out.append(f"{kind} {f} is gone (it was hashed when the reports were rendered)")
        elif a is None:
            out.append(f"{kind} {f} is new (not there when the reports were rendered)")
        else:
            out.append(f"{kind} {f} has changed since rendering "
                       f"(sha256 {a[:12]} -> {b[:12]})")
    return out


def environment_warnings(manifest: dict) -> list[str]:
    """How the current environment and inputs differ from the manifest's."""
    out = []
    before = manifest.get("versions") or {}
    now = package_versions(tuple(k for k in before if k != "python"))
    changed = [f"{k} {before[k]} -> {now.get(k)}" for k in before
               if k != "python" and now.get(k) != before[k]]
    if changed:
        out.append("package versions differ from the manifest: " + ", ".join(changed))
    py = package_versions(())["python"]
    if manifest.get("python") and manifest["python"] != py:
        out.append(f"Python differs from the manifest: {manifest['python']} -> {py}")
    g0, g1 = manifest.get("git") or {}, git_state()
    if g0.get("commit") != g1.get("commit"):
        out.append(f"git commit differs from the manifest: {str(g0.get('commit'))[:12]} -> "
                   f"{str(g1.get('commit'))[:12]}")
    if g0.get("dirty") or g1.get("dirty"):
        out.append("the working tree had uncommitted changes "
                   + ("when rendering" if g0.get("dirty") else "")
                   + (" and " if g0.get("dirty") and g1.get("dirty") else "")
                   + ("now" if g1.get("dirty") else "")
                   + ": the commit alone does not pin the code")
    datasets = manifest.get("datasets")
    if datasets is None and manifest.get("data_dir"):  # manifest version 1
        datasets = {manifest["data_dir"]: {"files": manifest.get("inputs") or {}}}
    for data_dir, ds in (datasets or {}).items():
        if not resolve(data_dir).exists():
            out.append(f"input data_dir {data_dir} no longer exists")
            continue
        out += _diff_hashes("input file", ds.get("files") or {},
                            input_hashes(dataset_files(data_dir)))
    if "reference" in manifest:
        out += _diff_hashes("reference file", manifest["reference"], reference_hashes())
    for nb, h in (manifest.get("notebooks") or {}).items():
        p = resolve(nb.replace("\x00", ""))  # (a NUL names no file: refused below)
        if "\x00" in nb or p.parent != NOTEBOOKS_DIR or not PROJECT_NOTEBOOK.fullmatch(
                p.stem) or p.suffix != ".ipynb":  # a received manifest names no other file
            out.append(f"notebook {short_error(repr(nb), 80)} is not one of the project's "
                       "notebooks: not read")
        elif not p.is_file():
            out.append(f"notebook {nb} is gone")
        elif sha256_file(p) != h:
            out.append(f"notebook {nb} has changed since rendering")
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def table_difference(original: Path, reproduced: Path, *, max_rows: int = MAX_ROWS) -> str:
    """Where two CSV result tables differ: columns, row counts and the first rows."""
    a, b = _read_csv(original), _read_csv(reproduced)
    lines = []
    if list(a.columns) != list(b.columns):
        only_a = [c for c in a.columns if c not in b.columns]
        only_b = [c for c in b.columns if c not in a.columns]
        lines.append(f"columns differ: only in the original {only_a}, only in the "
                     f"re-run {only_b}" if only_a or only_b else
                     "the same columns in a different order")
    if len(a) != len(b):
        lines.append(f"{len(a)} rows in the original, {len(b)} in the re-run")
    common = [c for c in a.columns if c in b.columns]
    n = min(len(a), len(b))
    aa = a[common].iloc[:n].reset_index(drop=True)
    bb = b[common].iloc[:n].reset_index(drop=True)
    diff = aa.compare(bb, result_names=("original", "re-run")) if common else pd.DataFrame()
    if not diff.empty:
        key = common[0]
        diff.index = [f"line {i + 2} ({key}={aa.at[i, key]})" for i in diff.index]
        shown = diff.head(max_rows)
        shown = shown.astype(object).where(shown.notna(), "")  # equal cells: blank
        lines.append(f"{len(diff)} row(s) differ; the first {len(shown)} "
                     "(line numbers of the CSV file; blank = same in both):")
        lines.append(shown.to_string())
    if not lines:
        lines.append("the rows read the same but the bytes differ (line endings or quoting)")
    return "\n".join(lines)


def _rerun_jobs(manifest: Mapping, result: Reproduction) -> tuple[list[Job], dict]:
    """The jobs that re-run a manifest's reports with the project's notebooks, and each
    one's original entry; a report that cannot be re-run, a notebook that changed, a
    report that had failed or recorded no table are added to ``result``."""
    plan_jobs, originals = [], {}
    for r in manifest["reports"]:
        try:
            job = project_job(r)
        except ParameterError as exc:
            result.not_run.append(str(r.get("name")))
            result.warnings.append(str(exc))
            continue
        originals[job.name] = r
        if r.get("notebook_sha256") not in (None, sha256_file(Path(job.notebook))):
            result.warnings.append(
                f"report {job.name}: the project's notebook {relative(job.notebook)} is not "
                "the one rendered (its hash differs from the manifest's); the project's "
                "own notebook is run")
        plan_jobs.append(job)
    for r in manifest["reports"]:
        if r.get("status", "ok") != "ok":
            result.warnings.append(f"report {r['name']} had failed in the original render; "
                                   "only the tables it recorded before failing are compared")
        elif not r.get("results"):
            result.warnings.append(f"report {r['name']} recorded no result tables, so its "
                                   "numbers cannot be compared (only that it runs)")
    return plan_jobs, originals


def _table_check(src: Path, staging: Path, name: str, table: str, orig: Mapping,
                 new: JobResult, warnings: list[str]) -> TableCheck:
    """One result table of report ``name``: the same hash as rendered, or how it differs
    (its rows, where the original file is there to compare). An original file changed
    since the render is said in ``warnings`` (appended to)."""
    a, b = (orig.get("results") or {}).get(table), new.results.get(table)
    if a == b:
        return TableCheck(name, table, "match", a, b)
    status = "missing" if b is None else "new" if a is None else "differ"
    detail = ""
    if status == "differ":
        orig_csv = src / tables_dir(orig) / f"{table}.csv"
        new_csv = staging / new.tables_dir / f"{table}.csv"
        if link_in(src, f"{tables_dir(orig)}/{table}.csv") is not None:
            detail = "(the original is a link, refused above: not compared)"
        elif not orig_csv.is_file():
            detail = f"(the original {relative(orig_csv)} is not there to compare)"
        else:
            if sha256_file(orig_csv) != a:
                warnings.append(f"{relative(orig_csv)} was modified after rendering (its "
                                "hash is not the manifest's); rows shown are from the file")
            try:
                detail = table_difference(orig_csv, new_csv)
            except Exception as exc:  # noqa: BLE001 - show the hashes anyway
                detail = f"(rows cannot be compared: {short_error(str(exc))})"
    return TableCheck(name, table, status, a, b, detail)


def reproduce(rendered_dir: str | os.PathLike, *, out: str | os.PathLike | None = None,
              jobs: int | None = None, progress: bool = True,
              audit: bool = True) -> Reproduction:
    """Re-execute a rendered folder from its manifest and compare the result tables.

    Parameters
    ----------
    rendered_dir
        A folder written by ``srb-eval render`` (it holds ``manifest.json``).
    out
        Where to write the re-run (default: ``<rendered_dir>-reproduced`` beside it);
        never the rendered folder itself.
    jobs
        Worker processes (default: one per core).
    audit
        Audit the re-run's published reports for disclosure, as ``srb-eval render``
        does (default). The caller decides, not the manifest: a received folder whose
        manifest says it was rendered with ``--no-audit`` is still audited when re-run.

    Raises
    ------
    DataReadError
        The folder has no readable manifest (exit code 2).
    """
    src = resolve(rendered_dir)
    manifest = load_manifest(src)
    if jobs is not None and jobs < 1:
        raise ParameterError(f"jobs: must be at least 1, not {jobs}")
    out_dir = resolve(out) if out else src.with_name(f"{src.name}-reproduced")
    if out_dir.resolve() == src.resolve() or src.resolve() in out_dir.resolve().parents:
        raise ParameterError(f"--out {out_dir}: must not be (inside) the folder being "
                             "reproduced; choose another")
    result = Reproduction(source=src, out=out_dir, warnings=environment_warnings(manifest),
                          changed=changed_files(src, manifest))
    plan_jobs, originals = _rerun_jobs(manifest, result)

    def compare(staging: Path, results: list[JobResult], new_manifest: dict) -> None:
        now = {r.name: r for r in results}
        for name, orig in originals.items():
            new = now.get(name)
            if new is None:
                continue
            if new.status != "ok":
                result.failed.append(new)
            before = orig.get("results") or {}
            for table in sorted(set(before) | set(new.results)):
                result.tables.append(_table_check(src, staging, name, table, orig, new,
                                                  result.warnings))
        new_manifest["reproduction_of"] = {
            "folder": relative(src), "started": manifest.get("started"),
            "git": manifest.get("git"), "ok": result.ok}
        (staging / "reproduction.json").write_text(
            json.dumps(result.to_dict(), indent=2, default=str) + "\n", encoding="utf-8")

    if plan_jobs:
        n_workers = max(1, min(jobs or default_jobs(), len(plan_jobs)))
        meta = {"title": f"Re-run of {manifest.get('title', src.name)}",
                "parameter_file": manifest.get("parameter_file"),
                "parameters": manifest.get("parameters"),
                "data_dir": manifest.get("data_dir")}
        execute(plan_jobs, out_dir, n_workers=n_workers, progress=progress, meta=meta,
                finalize=compare, protected=[src], audit=audit)
        result.ran = True
    return result
