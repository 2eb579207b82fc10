"""Render a suite of notebooks from a parameter file into a folder of reports.

``render("parameters/demo.yaml")`` validates the parameter file against each notebook's
own ``parameters`` cell, executes every report with papermill (in parallel worker
processes), exports an HTML copy with the code hidden, records the result tables each
notebook wrote, and writes ``index.html`` and ``manifest.json`` (docs/design.md).

A failing notebook does not stop the others: it is kept with its error, marked in the
index, and :class:`~srb_eval.errors.RenderError` is raised at the end naming the
failed cell. Everything is written into a staging folder beside the output folder and
swapped in at the end, so an interrupted or crashed run leaves neither a half-written
folder nor a damaged previous render.

Published reports go to ``published/``; the disclosure records of their tables are
audited together (:func:`srb_eval.run.audit.audit_summary`). If a hidden count can be
narrowed beyond the policy, the render fails with :class:`~srb_eval.errors.RenderError`
naming the cells, and nothing is written (the previous render, if any, is left as it was).
A render whose published tables hold more hidden counts than it audits itself
(:data:`srb_eval.run.audit.MAX_RENDER_AUDIT`) is refused the same way, unless it is run
with ``audit=False`` (``--no-audit``): then the manifest and both indexes say plainly that
the output was not audited. The audit also reads what is public about the SRBs (their phase, language of provision
and area), written into the published folder as a record of its own
(:func:`srb_eval.run.audit.write_public_facts`).

The parameter file is read and checked by :mod:`srb_eval.run.parameters`; the HTML
copies and the index are made by :mod:`srb_eval.run.html`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from ..data.files import FORMATS, current_umask, not_a_file, unreadable
from ..errors import DataReadError, ParameterError, RenderError, ReportWithheld
from ..paths import (
    RENDERED_DIR,
    resolve,
)
from ..provenance import git_state, input_hashes, package_versions, sha256_file
from ..report.i18n import LANGUAGES
from ..report.notebook import RESULTS_ENV
from .audit import audit_summary, write_public_facts
from .html import (
    index_html,
    index_name,
    notebook_to_html,
    published_index_html,
    render_languages,
    report_exporter,
    report_language,
)
from .jobs import (
    KERNEL,
    MANIFEST_VERSION,
    PUBLISHED_DIR,
    REFERENCE_DIRS,
    Job,
    JobResult,
    atomic_write_text,
    output_folder,
    relative,
    short_error,
)
from .output_folder import STAGING_MARK, check_out_dir, clean_stale, swap_in
from .parameters import load_parameter_file, plan
from .report_kernels import KERNEL_MEMORY_ENV, kernels_for, report_zygote

# --------------------------------------------------------------------------- execution


#: How a report's kernel is stopped once its last cell has run (nbclient's
#: ``shutdown_kernel``). "immediate" ends the kernel process at once: by then every cell
#: has replied, every output is in the notebook and every result table is written, so
#: nothing is lost. The default, "graceful", asks the kernel to shut down and waits:
#: a kernel that has loaded the Wales-size data and the report's libraries did not exit
#: within jupyter_client's 2.5 s, so every report waited that long for the SIGTERM that
#: follows, and spent 0.7 s of CPU tearing its interpreter down.
KERNEL_SHUTDOWN = "immediate"

#: Seconds a report's kernel may take to start and answer before the report fails
#: (papermill's ``start_timeout``, 60 by default). A kernel started while other kernels
#: load their data on a busy two-core machine once took longer than 60 s in the test
#: suite ("Kernel didn't respond in 60 seconds"), failing a report that had not begun.
KERNEL_START_TIMEOUT = 300
#: What jupyter_client raises when a kernel ends before it answers its first request: no
#: cell has run. Two kernels started at once can be given the same free TCP port (a
#: known race of jupyter_client's port choice, its issue 487), and the second then ends
#: with "Address already in use"; a report whose kernel so died is run once more.
KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops them cleanly, and die with
    it: if the command itself is killed (SIGKILL, out of memory), Linux sends each
    worker SIGTERM, and the worker's kernel exits when its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        from .zygote import die_with_parent

        die_with_parent(signal.SIGTERM)


def _prepare_workers(jobs: list[Job]) -> None:
    """Make here, before the workers fork, what each would otherwise make for itself at
    its first report: the HTML exporter of each language the reports are in, with
    nbconvert imported and its templates compiled
    (:func:`srb_eval.run.html.report_exporter`), and python-docx where a report is
    published (its Word copy). Together 0.65 s of CPU a worker. Workers forked from
    this process find them made; where workers are not forked (another start method),
    nothing is made. Only a saving: if any of it fails, each worker makes its own, and
    its report says what failed, as before."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    try:
        if any(output_folder(j.parameters) == PUBLISHED_DIR for j in jobs):
            import docx  # noqa: F401 - imported for the workers
        languages = set()
        for job in jobs:
            with contextlib.suppress(ParameterError):  # (the render's checks refuse it)
                languages.add(report_language(job.parameters))
        for language in sorted(languages):
            report_exporter(language)
    except Exception:  # noqa: BLE001, S110 - the workers make their own
        pass


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def plain_traceback(lines: list[str] | None) -> str:
    """A kernel's traceback (``PapermillExecutionError.traceback``) as plain text: the
    terminal colour codes IPython adds are removed."""
    return _ANSI.sub("", "\n".join(lines or []))


def failing_line(lines: list[str] | None) -> str:
    """The notebook line that raised, from a kernel's traceback: the line IPython marks
    with an arrow in the frame of the notebook cell (its first frame). Empty when the
    traceback has no such line.

    Examples
    --------
    >>> failing_line(["ValueError: bad", "Cell In[3], line 2",
    ...               "      1 x = 1",
    ...               "----> 2 y = check(x)", "", "File ~/srb_eval/x.py:9, in check(x)",
    ...               "----> 9     raise ValueError('bad')"])
    'y = check(x)'
    """
    for line in plain_traceback(lines).splitlines():
        m = re.match(r"^\s*-+>\s*\d+\s(.*)$", line)
        if m and m.group(1).strip():
            return m.group(1).strip()
    return ""


def run_job(job: Job, out_dir: str) -> JobResult:
    """Execute one report into ``out_dir`` (runs in a worker process)."""
    # what runs a report, imported first: a missing one stops the worker (the render
    # says so), not this one report (the helpers below use the same modules)
    import papermill  # noqa: F401

    from . import engine, kernel_manager  # noqa: F401

    out = Path(out_dir)
    folder = output_folder(job.parameters)
    base = out / folder if folder else out
    results_dir = base / "tables" / job.name
    os.environ[RESULTS_ENV] = str(results_dir)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name, value in KERNEL_MEMORY_ENV.items():  # inherited by the kernel papermill starts
        os.environ.setdefault(name, value)
    nb_out = out / f"{job.name}.ipynb"
    tmp = out / f".{job.name}.tmp.ipynb"
    t0 = time.perf_counter()
    # The kernel's own chatter (e.g. "Kernel is running over TCP") goes to a log file,
    # not the reader's terminal.
    log_dir = out / "logs"
    log_dir.mkdir(exist_ok=True)
    log_path = log_dir / f"{job.name}.log"
    status, error, cell, source, withheld = _run_notebook(job, tmp, log_path)
    files: dict[str, str] = {}
    title, n_warnings, question = job.name, 0, ""
    if tmp.exists():
        tmp.replace(nb_out)
        files["notebook"] = nb_out.name
        try:
            failure = ""
            if status != "ok":
                failure = short_error(error, 200)
                if cell is not None:
                    failure += f" (at cell In [{cell}]{', line `' + source + '`' if source else ''})"
            base.mkdir(exist_ok=True)
            title, stderr, question = notebook_to_html(
                nb_out, base / f"{job.name}.html", name=job.name, parameters=job.parameters,
                failure=failure, withheld=bool(withheld))
            files["html"] = "/".join(p for p in (folder, f"{job.name}.html") if p)
            if status == "ok" and folder == PUBLISHED_DIR:  # a committee paper in Word
                files["docx"] = _word_copy(job, nb_out, base, folder)
            n_warnings = len(stderr)
            if stderr:
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write("\n--- stderr output of the notebook's cells (kept out of "
                              "the HTML report) ---\n" + "".join(stderr))
        except Exception as exc:  # noqa: BLE001
            if status == "ok":
                status, error = "failed", f"HTML export failed: {exc}"
    elif status == "ok":  # pragma: no cover - papermill always writes its output
        status, error = "failed", "papermill wrote no notebook"
    results = {}
    if results_dir.is_dir():
        for f in sorted(results_dir.glob("*.csv")):
            results[f.stem] = sha256_file(f)
    hashes = {f: sha256_file(out / f) for f in files.values() if (out / f).is_file()}
    return JobResult(job.name, Path(job.notebook).stem, dict(job.parameters), status,
                     round(time.perf_counter() - t0, 2), error, cell, source, n_warnings,
                     title, files, results, hashes, folder, withheld, question)


def _run_notebook(job: Job, tmp: Path, log_path: Path
                  ) -> tuple[str, str, int | None, str, str]:
    """Execute the job's notebook with papermill into ``tmp``, this process's stderr (and
    so the kernel's) going to ``log_path``: its status ("ok" or "failed"), error, the
    failing cell and line, and the notice of a report withheld on purpose."""
    from papermill.exceptions import PapermillExecutionError

    status, error, cell, source, withheld = "ok", "", None, "", ""
    saved_stderr = os.dup(2)
    with open(log_path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
        try:
            _papermill_run(job, tmp, log)
        except PapermillExecutionError as exc:
            if exc.ename == ReportWithheld.__name__:  # stopped on purpose, after its notice
                withheld = str(exc.evalue).strip()
            else:
                status, cell = "failed", exc.exec_count
                error = f"{exc.ename}: {exc.evalue}".strip()
                sys.stderr.flush()
                log.write("\n--- the error that stopped this report (kept out of the HTML "
                          "report) ---\n" + plain_traceback(exc.traceback) + "\n")
                log.flush()
            source = failing_line(exc.traceback) or next(
                (ln.strip() for ln in str(exc.source).splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")), "")
        except Exception as exc:  # noqa: BLE001 - kernel death, bad notebook: keep others
            status, error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
    return status, error, cell, source, withheld


def _papermill_run(job: Job, tmp: Path, log: TextIO) -> None:
    """papermill's run of the job's notebook into ``tmp``, once more if its kernel died
    before any cell ran (:data:`KERNEL_DIED_AT_START`)."""
    import papermill

    from .engine import ENGINE_NAME
    from .kernel_manager import ReportKernelManager

    for attempt in (1, 2):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                papermill.execute_notebook(
                    job.notebook, str(tmp), parameters=job.parameters,
                    kernel_name=KERNEL, progress_bar=False,
                    cwd=str(Path(job.notebook).parent), log_output=False,
                    shutdown_kernel=KERNEL_SHUTDOWN,
                    start_timeout=KERNEL_START_TIMEOUT,
                    kernel_manager_class=ReportKernelManager,
                    engine_name=ENGINE_NAME,
                )
            return
        except RuntimeError as exc:  # (no cell ran: see KERNEL_DIED_AT_START)
            if str(exc) != KERNEL_DIED_AT_START or attempt == 2:
                raise
            sys.stderr.flush()
            log.write(f"\n--- {exc}: the report is run once more ---\n")
            log.flush()


def _word_copy(job: Job, nb_out: Path, base: Path, folder: str) -> str:
    """The executed notebook of a published report as a Word document (a committee
    paper) beside its HTML; its path in the output."""
    from .. import __version__
    from .word import notebook_to_docx

    notebook_to_docx(nb_out, base / f"{job.name}.docx", name=job.name,
                     parameters=job.parameters,
                     rendered=datetime.now(UTC).strftime("%d %b %Y %H:%M UTC"),
                     provenance={"srb-eval": __version__})
    return f"{folder}/{job.name}.docx"


def dataset_files(data_dir: str | os.PathLike) -> list[Path]:
    """The files of a dataset that :func:`srb_eval.data.io.load_dataset` reads: one
    workbook, or the regular files directly in the folder with a table file's suffix
    (``.csv``, ``.parquet``, ``.xlsx``; hidden and ``~$`` ones skipped), as
    :func:`srb_eval.data.io.fingerprint` counts them. Nothing below the folder is opened:
    a manifest names the folder, and a received manifest naming ``/`` must not have the
    whole disk read."""
    p = resolve(data_dir)
    if p.is_file():
        return [p]
    if not p.is_dir():
        return []
    try:
        with os.scandir(p) as listing:
            entries = sorted(Path(e.path) for e in listing
                             if not e.name.startswith((".", "~$")))
    except OSError as err:  # a folder that cannot be listed is not skipped
        raise DataReadError(unreadable(Path(err.filename or p))) from err
    return [e for e in entries
            if e.suffix.lower() in FORMATS and not_a_file(e) is None]


def reference_hashes() -> dict[str, str]:
    """SHA-256 of the reference tables shipped with the package and data/published."""
    files = [f for d in REFERENCE_DIRS if d.is_dir() for f in sorted(d.rglob("*"))
             if f.is_file() and not f.name.startswith(".")]
    return input_hashes(files)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """During a run, SIGTERM unwinds like Ctrl-C so the clean-up code runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop every worker process of ``pool`` and the processes they started (kernels
    started as new processes). A kernel forked from the render's zygote ends with the
    worker that asked for it, and with the zygote (``srb_eval.run.kernels``)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    kernels = []
    try:
        import psutil

        for p in procs:
            with contextlib.suppress(psutil.Error):
                kernels += psutil.Process(p.pid).children(recursive=True)
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        psutil = None
    for p in procs:
        with contextlib.suppress(Exception):
            p.terminate()
    if psutil is not None and kernels:
        for k in kernels:
            with contextlib.suppress(psutil.Error):
                k.terminate()
        _, alive = psutil.wait_procs(kernels, timeout=5)
        for k in alive:
            with contextlib.suppress(psutil.Error):
                k.kill()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(5)
    pool.shutdown(wait=False, cancel_futures=True)


def _expected_cost(job: Job) -> int:
    """A stand-in for a report's run time: the length of its notebook's code.

    Used only to start the longest reports first; any order gives the same reports.
    """
    try:
        nb = json.loads(Path(job.notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(len("".join(c.get("source", ""))) for c in nb.get("cells", [])
               if c.get("cell_type") == "code")


def execute(jobs: list[Job], out_dir: Path, *, n_workers: int, progress: bool = True,
            meta: Mapping[str, object] | None = None,
            finalize: Callable[[Path, list[JobResult], dict], None] | None = None,
            protected: list[Path] | None = None,
            audit: bool = True) -> tuple[list[JobResult], dict]:
    """Run ``jobs`` into a staging folder and swap it in as ``out_dir``.

    ``meta`` is merged into the manifest; ``finalize(staging, results, manifest)`` may
    write more files into the staging folder before the swap. Returns the results (in
    job order) and the manifest. Never raises for a failed report; on an exception or
    interrupt, workers and kernels are stopped, the staging folder is removed and an
    earlier ``out_dir`` is left untouched. The published reports' disclosure is audited
    (:func:`srb_eval.run.audit.audit_summary`) unless ``audit`` is False; a failed audit,
    or one too large to run, raises :class:`RenderError` before anything is written.
    """
    data_dirs = sorted({str(j.parameters["data_dir"]) for j in jobs
                        if isinstance(j.parameters.get("data_dir"), str)})
    check_out_dir(out_dir, list(protected or []), [resolve(d) for d in data_dirs])
    # hash the inputs before running: the manifest says what the reports were made from
    try:
        datasets = {d: {"path": str(resolve(d)), "files": input_hashes(dataset_files(d))}
                    for d in data_dirs}
    except PermissionError as exc:
        raise DataReadError(unreadable(Path(exc.filename))) from exc
    notebooks = {relative(n): sha256_file(n) for n in sorted({j.notebook for j in jobs})}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-{os.getpid()}-",
                                    dir=out_dir.parent))
    staging.chmod(0o777 & ~current_umask())
    (staging / STAGING_MARK).write_text(
        "srb-eval render is writing here; a folder left by a run that has ended is removed "
        "by the next render to the same output\n", encoding="utf-8")
    started = datetime.now(UTC)
    try:
        with _sigterm_raises():
            results = _run_reports(jobs, staging, n_workers=n_workers, progress=progress,
                                   data_dirs=data_dirs)
            manifest = _manifest(jobs, results, meta=meta, datasets=datasets,
                                 notebooks=notebooks, started=started, n_workers=n_workers)
            if any(r.folder == PUBLISHED_DIR for r in results):
                _audit_published(staging, jobs, results, manifest, audit=audit,
                                 out_dir=out_dir)
            if finalize is not None:
                finalize(staging, results, manifest)
            atomic_write_text(staging / "manifest.json",
                               json.dumps(manifest, indent=2, default=str) + "\n")
            _write_indexes(staging, results, manifest)
            (staging / STAGING_MARK).unlink()  # (the last step before it is the output)
            swap_in(staging, out_dir)
    except OSError as exc:  # a full disk, a folder taken away: say so, keep the old output
        raise RenderError(
            f"could not write {exc.filename or 'the output'}: {exc.strerror or exc}; "
            f"{relative(out_dir)} was left as it was and nothing half-written was kept"
        ) from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
            if staging.exists():  # a kernel still writing: try once more
                time.sleep(1)
                shutil.rmtree(staging, ignore_errors=True)
    return results, manifest


def _run_reports(jobs: list[Job], staging: Path, *, n_workers: int, progress: bool,
                 data_dirs: list[str]) -> list[JobResult]:
    """Run every job into ``staging`` in ``n_workers`` worker processes, longest first,
    each report's kernel forked from one process that has imported the stack and read
    the data (:mod:`srb_eval.run.kernels`); the results in job order. On an exception or
    interrupt the workers and kernels are stopped."""
    from tqdm import tqdm

    results: list[JobResult] = []
    pool = None
    with contextlib.ExitStack() as zygote:  # (closed after the workers, as they use it)
        try:
            bar = tqdm(total=len(jobs), desc="rendering", unit="report",
                       disable=not progress, file=sys.stderr)
            # the zygote starts while the workers start
            zygote.enter_context(report_zygote(
                str(Path(jobs[0].notebook).parent) if jobs else None,
                [str(resolve(d)) for d in data_dirs]))
            _prepare_workers(jobs)
            pool = ProcessPoolExecutor(max_workers=n_workers, initializer=_worker_init)
            # longest first (the classic LPT rule): a long report started last would
            # leave the other cores idle at the end
            futures = {pool.submit(run_job, j, str(staging)): j
                       for j in sorted(jobs, key=_expected_cost, reverse=True)}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    r = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died: keep the others
                    r = JobResult(job.name, Path(job.notebook).stem, dict(job.parameters),
                                  "failed", 0.0, f"worker process failed: "
                                  f"{type(exc).__name__}: {exc}")
                results.append(r)
                bar.write(r.summary, file=sys.stderr)
                bar.update()
            bar.close()
            pool.shutdown(wait=True)
            pool = None
        except BaseException:
            if pool is not None:
                _stop_pool(pool)
                pool = None
            raise
        finally:
            if pool is not None:  # (stopping it was itself interrupted)
                pool.shutdown(wait=False, cancel_futures=True)
    order = {j.name: i for i, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.name])


def _manifest(jobs: list[Job], results: list[JobResult], *, meta: Mapping | None,
              datasets: dict, notebooks: dict, started: datetime, n_workers: int) -> dict:
    """The render's manifest: parameters, input and notebook hashes, versions, git state,
    times and every report's result (``results`` in job order)."""
    reports = []
    for r, j in zip(results, jobs, strict=True):
        d = asdict(r)
        d["notebook_path"] = relative(j.notebook)
        d["notebook_sha256"] = notebooks[relative(j.notebook)]
        dd = j.parameters.get("data_dir")
        d["data_dir"] = dd
        d["inputs"] = datasets[dd]["files"] if isinstance(dd, str) else {}
        reports.append(d)
    inputs: dict[str, str] = {}
    for ds in datasets.values():
        inputs.update(ds["files"])
    return {
        "manifest_version": MANIFEST_VERSION,
        **(meta or {}),
        "inputs": inputs,
        "datasets": datasets,
        "notebooks": notebooks,
        "reference": reference_hashes(),
        "versions": package_versions(),
        "python": sys.version.split()[0],
        "platform": _platform(),
        "git": git_state(),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "jobs": n_workers,
        "reports": reports,
    }


def _audit_published(staging: Path, jobs: list[Job], results: list[JobResult],
                     manifest: dict, *, audit: bool, out_dir: Path) -> None:
    """Write what anyone knows of the SRBs beside the published reports, then audit every
    published table's record together (``srb-eval audit``), into the manifest; a failed
    or refused audit raises :class:`RenderError`."""
    write_public_facts(staging / PUBLISHED_DIR, sorted({
        str(j.parameters["data_dir"]) for r, j in zip(results, jobs, strict=True)
        if r.folder == PUBLISHED_DIR and isinstance(j.parameters.get("data_dir"), str)}))
    summary = audit_summary(staging / PUBLISHED_DIR, audit=audit)
    manifest["disclosure_audit"] = summary
    if summary and summary.get("refused"):
        raise RenderError(audit_refused(summary, out_dir))
    if summary and summary["passed"] is False:
        raise RenderError(audit_failure(summary, out_dir))


def _write_indexes(staging: Path, results: list[JobResult], manifest: dict) -> None:
    """An index page in each language of the reports, and one of the published reports."""
    for language in render_languages(results):
        atomic_write_text(staging / index_name(language),
                          index_html(results, manifest, language))
        if any(r.folder == PUBLISHED_DIR for r in results):
            (staging / PUBLISHED_DIR).mkdir(exist_ok=True)
            atomic_write_text(staging / PUBLISHED_DIR / index_name(language),
                              published_index_html(results, manifest, language))


def audit_failure(audit: dict, out_dir: Path) -> str:
    """The message of a render whose published tables fail the disclosure audit."""
    cells = "".join(f"\n  - {c['report']}/{c['table']} row {c['row']} column "
                    f"{c['column']!r}: {c['reason']}" for c in audit["cells"][:10])
    more = audit["narrowed"] - min(10, len(audit["cells"]))
    return (f"disclosure audit failed: {audit['narrowed']} of {audit['hidden']} hidden "
            f"counts of the published tables can be narrowed beyond the policy"
            f"{' (' + audit['error'] + ')' if audit.get('error') else ''}:{cells}"
            + (f"\n  ... and {more} more" if more > 0 else "")
            + f"\nNothing was written: {relative(out_dir)} was left as it was. Render the "
            "published reports with stricter thresholds or fewer breakdowns, or render for "
            "the internal audience only.")


def audit_refused(audit: dict, out_dir: Path) -> str:
    """The message of a render too large to audit its own published tables."""
    return (f"disclosure audit not run: the published tables hold {audit['refused']}, so "
            f"they were not checked.\nNothing was written: {relative(out_dir)} was left as "
            "it was. Render the published reports with fewer breakdowns or for fewer "
            "resource bases, or render with --no-audit (the indexes and the manifest then "
            "say the output was not audited) and run srb-eval audit on its published "
            "folder before circulating it.")


def _platform() -> str:
    import platform

    return f"{platform.system()} {platform.release()} {platform.machine()}"


def default_jobs() -> int:
    """One worker per core available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def render(params_file: str | os.PathLike, *, out: str | os.PathLike | None = None,
           jobs: int | None = None, progress: bool = True,
           audit: bool = True, own_notebooks: bool = False) -> list[JobResult]:
    """Render every report a parameter file names; see the module docstring.

    ``audit=False`` (``srb-eval render --no-audit``) skips the disclosure audit of the
    published reports: the manifest and both indexes then say that the output was not
    audited. By default a render whose published tables hold more hidden counts than
    :data:`srb_eval.run.audit.MAX_RENDER_AUDIT` is refused, nothing written.
    ``own_notebooks`` (``--own-notebooks``) lets the parameter file name notebooks
    outside the project's ``notebooks/`` by path (:func:`srb_eval.run.parameters.plan`).

    Returns the per-report results. Raises :class:`RenderError` after writing
    everything when any report failed, and :class:`ParameterError` before running
    anything when the parameter file is wrong.
    """
    if jobs is not None and jobs < 1:
        raise ParameterError(f"jobs: must be at least 1, not {jobs}")
    spec = load_parameter_file(params_file)
    with kernels_for(spec):  # the zygote imports while the parameters are checked
        return _render(spec, params_file, out=out, jobs=jobs, progress=progress,
                       audit=audit, own_notebooks=own_notebooks)


def _render(spec: Mapping, params_file: str | os.PathLike, *,
            out: str | os.PathLike | None, jobs: int | None, progress: bool,
            audit: bool, own_notebooks: bool) -> list[JobResult]:
    plan_jobs = plan(spec, source=str(params_file), own_notebooks=own_notebooks)
    out_dir = resolve(out) if out else RENDERED_DIR / Path(params_file).stem
    n_workers = max(1, min(jobs or default_jobs(), len(plan_jobs)))
    pfile = resolve(params_file)
    title = spec.get("title", Path(params_file).stem)
    titles = title if isinstance(title, dict) else {}
    meta = {"title": titles.get(LANGUAGES[0], next(iter(titles.values()), "")) if titles
            else title,
            **({"titles": titles} if titles else {}),
            "parameter_file": relative(pfile),
            "parameter_file_sha256": sha256_file(pfile),
            "parameters": spec,
            "data_dir": spec.get("data_dir")}
    results, _ = execute(plan_jobs, out_dir, n_workers=n_workers, progress=progress,
                         meta=meta, protected=[pfile.parent], audit=audit)
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise RenderError(
            f"{len(failed)} of {len(results)} reports failed; the others were written "
            f"(see {relative(out_dir / 'index.html')}):\n"
            + "\n".join(f"  - {r.name}: {short_error(r.error)}"
                        + (f" [{r.where_failed()}]" if r.failed_cell is not None else "")
                        for r in failed), failures=[r.name for r in failed])
    return results
