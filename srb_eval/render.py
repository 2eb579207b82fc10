"""Render a suite of notebooks from a parameter file into a folder of reports.

``render("parameters/demo.yaml")`` validates the parameter file against each notebook's
own ``parameters`` cell, executes every report with papermill (in parallel worker
processes), exports an HTML copy with the code hidden, records the result tables each
notebook wrote, and writes ``index.html`` and ``manifest.json`` (DESIGN.md section 5).

A failing notebook does not stop the others: it is kept with its error, marked in the
index, and :class:`~srb_eval.errors.RenderError` is raised at the end naming the
failed cell. Every file is written under a temporary name and renamed.

Parameter file
--------------
.. code-block:: yaml

    title: Demo suite                # shown on the index page
    data_dir: data/demo              # passed to every notebook that has a data_dir
    parameters: {audience: published}  # defaults for every report (optional)
    reports:
      - notebook: 00_data_quality    # notebooks/<name>.ipynb
        parameters: {audience: internal}
      - notebook: 10_learner_progress
        fan_out: {srb: each}         # one report per SRB in the dataset; or a list

``fan_out`` takes one parameter name and either a list of values or ``each`` (every
``srb_id`` for ``srb``, every ``learner_id`` for ``learner_id``).
"""

from __future__ import annotations

import html
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .errors import ParameterError, RenderError
from .paths import NOTEBOOKS_DIR, PROJECT_ROOT, RENDERED_DIR, resolve
from .provenance import git_state, input_hashes, package_versions, sha256_file
from .report import RESULTS_ENV

KERNEL = "python3"


@dataclass
class Job:
    """One report to execute: a notebook and its parameters."""

    notebook: str
    name: str
    parameters: dict[str, object]


@dataclass
class JobResult:
    """What happened to one report."""

    name: str
    notebook: str
    parameters: dict[str, object]
    status: str  # "ok" or "failed"
    seconds: float
    error: str = ""
    failed_cell: int | None = None
    files: dict[str, str] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)  # table name -> sha256


# --------------------------------------------------------------------------- planning


def notebook_path(name: str) -> Path:
    """``notebooks/<name>.ipynb`` for a bare name; a path as given otherwise."""
    p = Path(name)
    if p.suffix != ".ipynb":
        p = NOTEBOOKS_DIR / f"{name}.ipynb"
    return resolve(p)


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The parameters a notebook declares in its ``parameters`` cell."""
    import papermill

    return papermill.inspect_notebook(str(path))


def load_parameter_file(path: str | os.PathLike) -> dict:
    """Read and structurally check a parameter file."""
    p = resolve(path)
    if not p.is_file():
        raise ParameterError(f"{path}: no such parameter file")
    try:
        spec = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("reports"), list) \
            or not spec["reports"]:
        raise ParameterError(f"{path}: needs a 'reports' list naming at least one notebook")
    allowed = {"title", "data_dir", "parameters", "reports", "description"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ParameterError(f"{path}: unknown top-level key(s) {unknown}; "
                             f"allowed: {sorted(allowed)}")
    return spec


def _fan_values(param: str, values: object, data_dir: str | None) -> list:
    if isinstance(values, list):
        return values
    if values != "each":
        raise ParameterError(f"fan_out {param}: give a list of values or 'each'")
    if data_dir is None:
        raise ParameterError(f"fan_out {param}: 'each' needs data_dir")
    from .io import load_dataset

    ds = load_dataset(resolve(data_dir))
    if param == "srb":
        return sorted(ds.srbs["srb_id"].astype(str))
    if param == "learner_id":
        return sorted(ds.learners["learner_id"].astype(str))
    raise ParameterError(f"fan_out {param}: 'each' is defined for srb and learner_id only")


def plan(spec: Mapping, *, source: str = "parameter file") -> list[Job]:
    """Expand a parameter file into jobs, checking every name against the notebooks.

    Raises
    ------
    ParameterError
        Listing every unknown notebook, misspelt parameter or bad fan-out at once.
    """
    problems: list[str] = []
    jobs: list[Job] = []
    defaults = dict(spec.get("parameters") or {})
    data_dir = spec.get("data_dir")
    for i, entry in enumerate(spec["reports"], start=1):
        if not isinstance(entry, dict) or "notebook" not in entry:
            problems.append(f"reports[{i}]: needs 'notebook'")
            continue
        extra = sorted(set(entry) - {"notebook", "parameters", "fan_out", "name"})
        if extra:
            problems.append(f"reports[{i}] ({entry['notebook']}): unknown key(s) {extra}")
        path = notebook_path(str(entry["notebook"]))
        if not path.is_file():
            problems.append(f"reports[{i}]: notebook {entry['notebook']} not found "
                            f"({path})")
            continue
        declared = notebook_parameters(path)
        params = {k: v for k, v in defaults.items() if k in declared}
        if data_dir is not None and "data_dir" in declared:
            params["data_dir"] = data_dir
        own = dict(entry.get("parameters") or {})
        fan = dict(entry.get("fan_out") or {})
        for name in [*own, *fan]:
            if name not in declared:
                problems.append(
                    f"reports[{i}] ({path.stem}): unknown parameter '{name}'; the notebook "
                    f"declares: {', '.join(declared) or 'none'}")
        params.update(own)
        base = str(entry.get("name") or path.stem)
        if len(fan) > 1:
            problems.append(f"reports[{i}] ({path.stem}): fan_out takes one parameter")
            continue
        if fan:
            (param, values), = fan.items()
            try:
                vals = _fan_values(param, values, params.get("data_dir"))
            except ParameterError as exc:
                problems.append(f"reports[{i}] ({path.stem}): {exc}")
                continue
            for v in vals:
                jobs.append(Job(str(path), f"{base}__{param}-{v}", {**params, param: v}))
        else:
            jobs.append(Job(str(path), base, params))
    names = [j.name for j in jobs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"two reports would share the name(s) {dupes}: add 'name' to one")
    if problems:
        raise ParameterError(f"{source}: {len(problems)} problem(s):\n  - "
                             + "\n  - ".join(problems))
    return jobs


# --------------------------------------------------------------------------- execution


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def notebook_to_html(nb_path: Path, html_path: Path) -> None:
    """Export an executed notebook to HTML with every code cell hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    _atomic_write_text(html_path, body)


def run_job(job: Job, out_dir: str) -> JobResult:
    """Execute one report into ``out_dir`` (runs in a worker process)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out = Path(out_dir)
    results_dir = out / "tables" / job.name
    os.environ[RESULTS_ENV] = str(results_dir)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb_out = out / f"{job.name}.ipynb"
    tmp = out / f".{job.name}.tmp.ipynb"
    t0 = time.perf_counter()
    status, error, cell = "ok", "", None
    # The kernel's own chatter (e.g. "Kernel is running over TCP") goes to a log file,
    # not the reader's terminal.
    log_dir = out / "logs"
    log_dir.mkdir(exist_ok=True)
    saved_stderr = os.dup(2)
    with open(log_dir / f"{job.name}.log", "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                papermill.execute_notebook(
                    job.notebook, str(tmp), parameters=job.parameters, kernel_name=KERNEL,
                    progress_bar=False, cwd=str(Path(job.notebook).parent),
                    log_output=False,
                )
        except PapermillExecutionError as exc:
            status, cell = "failed", exc.cell_index
            error = f"{exc.ename}: {exc.evalue}".strip()
        except Exception as exc:  # noqa: BLE001 - kernel death, bad notebook: keep others
            status, error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
    files = {}
    if tmp.exists():
        tmp.replace(nb_out)
        files["notebook"] = nb_out.name
        try:
            notebook_to_html(nb_out, out / f"{job.name}.html")
            files["html"] = f"{job.name}.html"
        except Exception as exc:  # noqa: BLE001
            if status == "ok":
                status, error = "failed", f"HTML export failed: {exc}"
    results = {}
    if results_dir.is_dir():
        for f in sorted(results_dir.glob("*.csv")):
            results[f.stem] = sha256_file(f)
    return JobResult(job.name, Path(job.notebook).stem, job.parameters, status,
                     round(time.perf_counter() - t0, 2), error, cell, files, results)


def _index_html(title: str, results: list[JobResult], manifest: Mapping) -> str:
    rows = []
    for r in results:
        link = (f'<a href="{html.escape(r.files["html"])}">{html.escape(r.name)}</a>'
                if "html" in r.files else html.escape(r.name))
        status = ("ok" if r.status == "ok" else
                  f"FAILED at cell {r.failed_cell}: {html.escape(r.error[:300])}")
        params = html.escape(", ".join(f"{k}={v}" for k, v in r.parameters.items()
                                       if k != "data_dir"))
        cls = "ok" if r.status == "ok" else "failed"
        rows.append(f'<tr class="{cls}"><td>{link}</td><td>{params}</td>'
                    f'<td>{status}</td><td>{len(r.results)}</td></tr>')
    n_failed = sum(r.status != "ok" for r in results)
    summary = (f"{len(results)} reports, all rendered" if not n_failed
               else f"{len(results)} reports, {n_failed} failed")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }}
tr.failed td {{ background: #fde8e8; }}
.meta {{ color: #555; font-size: .9rem; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{summary}. Dataset: <code>{html.escape(str(manifest.get("data_dir", "")))}</code>.
Provenance (parameters, input hashes, versions, git commit) is in
<a href="manifest.json">manifest.json</a>.</p>
<table><thead><tr><th>report</th><th>parameters</th><th>status</th>
<th>result tables</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
<p class="meta">Rendered by srb-eval {html.escape(manifest["versions"].get("srb-eval", ""))}
from commit {html.escape(str(manifest["git"]["commit"])[:12])}.</p>
</body></html>
"""


def render(params_file: str | os.PathLike, *, out: str | os.PathLike | None = None,
           jobs: int | None = None, progress: bool = True) -> list[JobResult]:
    """Render every report a parameter file names; see the module docstring.

    Returns the per-report results. Raises :class:`RenderError` after writing
    everything when any report failed, and :class:`ParameterError` before running
    anything when the parameter file is wrong.
    """
    spec = load_parameter_file(params_file)
    plan_jobs = plan(spec, source=str(params_file))
    out_dir = resolve(out) if out else RENDERED_DIR / Path(params_file).stem
    n_workers = max(1, min(jobs or os.cpu_count() or 1, len(plan_jobs)))
    if jobs is not None and jobs < 1:
        raise ParameterError(f"jobs: must be at least 1, not {jobs}")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    started = datetime.now(UTC)
    results: list[JobResult] = []
    try:
        from tqdm import tqdm

        bar = tqdm(total=len(plan_jobs), desc="rendering", unit="report",
                   disable=not progress, file=sys.stderr)
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            futures = {pool.submit(run_job, j, str(staging)): j for j in plan_jobs}
            for fut in as_completed(futures):
                r = fut.result()
                results.append(r)
                line = (f"{r.name}: ok ({r.seconds:.1f} s, {len(r.results)} tables)"
                        if r.status == "ok" else
                        f"{r.name}: FAILED at cell {r.failed_cell}: {r.error[:200]}")
                bar.write(line, file=sys.stderr)
                bar.update()
        bar.close()
        order = {j.name: i for i, j in enumerate(plan_jobs)}
        results.sort(key=lambda r: order[r.name])
        data_dir = spec.get("data_dir")
        data_files = ([p for p in sorted(resolve(data_dir).rglob("*")) if p.is_file()]
                      if data_dir and resolve(data_dir).is_dir() else [])
        manifest = {
            "title": spec.get("title", Path(params_file).stem),
            "parameter_file": str(params_file),
            "parameters": spec,
            "data_dir": data_dir,
            "inputs": input_hashes(data_files),
            "versions": package_versions(),
            "python": sys.version.split()[0],
            "git": git_state(),
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "jobs": n_workers,
            "reports": [asdict(r) for r in results],
        }
        _atomic_write_text(staging / "manifest.json",
                           json.dumps(manifest, indent=2, sort_keys=False, default=str))
        _atomic_write_text(staging / "index.html",
                           _index_html(manifest["title"], results, manifest))
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
            staging.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise RenderError(
            f"{len(failed)} of {len(results)} reports failed (see {out_dir / 'index.html'}):\n"
            + "\n".join(f"  - {r.name}: cell {r.failed_cell}: {r.error[:300]}"
                        for r in failed), failures=[r.name for r in failed])
    return results


def relative(path: Path) -> str:
    """``path`` relative to the project root where possible (for messages)."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
