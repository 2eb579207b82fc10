"""Shared fixtures."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat
import pytest

from srb_eval.run.kernels import zygote_for_children
from srb_eval.run.report_kernels import KERNEL_MEMORY_ENV

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "data" / "minimal"
DEMO = ROOT / "data" / "demo"

# Notebooks are executed by papermill in these tests: keep kernels quiet and headless.
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# Every kernel a test starts (papermill, nbval, renders, `srb-eval` commands) is forked
# from one zygote per test process that has imported the stack, as `srb-eval render`
# starts its kernels (srb_eval.run.kernels): jupyter_client's documented
# default-provisioner setting, and the renders' memory settings, so that kernels started
# by the tests and by renders share the zygote's start-up settings.
os.environ.setdefault("JUPYTER_DEFAULT_PROVISIONER_NAME", "srb-eval-fork")
for _name, _value in KERNEL_MEMORY_ENV.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session", autouse=True)
def report_kernels():
    """The zygote of this test process (see above), which has read the demo and minimal
    datasets ahead, as a render's zygote reads its data; ends with the session."""
    with zygote_for_children("python3", cwd=str(ROOT / "notebooks"),
                             read_ahead=[str(DEMO), str(MINIMAL)]) as address:
        yield address


@pytest.fixture(scope="session", autouse=True)
def data_read_ahead():
    """This test process reads the demo and minimal datasets ahead, as its zygote does
    (``srb_eval.data.io.read_ahead``): a test's ``load_dataset`` of either, as their files
    are, gets a deep copy of its own instead of reading and checking the files again (the
    loader is tested on copies of them in ``tmp_path``, and on the files of
    ``tests/bad_inputs``)."""
    from srb_eval.data.io import read_ahead

    for path in (DEMO, MINIMAL):
        read_ahead(path)


@pytest.fixture(scope="session")
def demo_progress_records():
    """``records(srb)``: each published table of the demo's learner progress report for
    ``srb`` with its disclosure record (``report_records`` of
    ``tests/test_progress_records.py``), made once per test process for each SRB; each
    call gets a copy of its own."""
    import copy

    from srb_eval import load_dataset

    from .test_progress_records import report_records

    made: dict[str, dict] = {}

    def records(srb: str) -> dict:
        if srb not in made:
            made[srb] = report_records(load_dataset(DEMO), srb)
        return copy.deepcopy(made[srb])

    return records


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


def learner_ids(data_dir: Path) -> list[str]:
    """Every learner id of a dataset, for privacy scans of rendered output. The dataset is
    read again whenever one of its files changed (tests edit copies of the test data)."""
    path = Path(data_dir).resolve()
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return list(_learner_ids(path, stamp))


@functools.lru_cache(maxsize=16)
def _learner_ids(path: Path, stamp: tuple) -> tuple[str, ...]:
    from srb_eval import load_dataset

    return tuple(load_dataset(path).learners["learner_id"].astype(str))


def shown_ids(ids: Iterable[str], text: str) -> list[str]:
    """The ids of ``ids`` that ``text`` holds as a whole word, as
    ``re.search(rf"\\b{re.escape(i)}\\b", text)`` finds them: an id of word characters
    only is such a match exactly when it is one of the text's runs of word characters, so
    those are looked up in one pass over the text (a search per id took seconds on a
    report holding its figures); any other id is searched for."""
    words = set(re.findall(r"\w+", text))
    return [i for i in ids if (i in words if re.fullmatch(r"\w+", i)
                               else re.search(rf"\b{re.escape(i)}\b", text))]


def shared_render(tmp_path_factory: pytest.TempPathFactory, name: str,
                  spec: Path | dict) -> tuple[Path, list]:
    """Render a suite once per test session and share it, as (output folder, per-report
    results), with every test and every pytest-xdist worker that asks for ``name``.

    ``spec`` is a parameter file or the dict of one. The first worker to ask renders under
    a file lock in the session's common temporary folder; the others wait and read the
    results back from its manifest (the pattern pytest-xdist documents for session
    fixtures). A render that failed is not shared: the next asker renders again.
    """
    import yaml
    from filelock import FileLock

    from srb_eval.run.jobs import JobResult
    from srb_eval.run.render import render

    if not (DEMO / "learners.csv").exists():  # pragma: no cover
        pytest.skip("data/demo has not been generated")
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder every worker's basetemp is made in
    out = root / "shared-renders" / name
    out.parent.mkdir(exist_ok=True)
    with FileLock(str(out) + ".lock"):
        manifest = out / "manifest.json"
        if not manifest.exists():
            params = spec
            if isinstance(spec, dict):
                params = out.parent / f"{name}.yaml"
                params.write_text(yaml.safe_dump(spec))
            render(params, out=out, progress=False)
    fields = {f.name for f in dataclasses.fields(JobResult)}
    reports = json.loads(manifest.read_text())["reports"]
    return out, [JobResult(**{k: v for k, v in r.items() if k in fields}) for r in reports]


def rendered_notebook(out: Path, name: str) -> nbformat.NotebookNode:
    """The executed notebook of report ``name`` in the render folder ``out``."""
    return nbformat.read(out / f"{name}.ipynb", as_version=4)


def result_tables(out: Path, result) -> dict[str, str]:
    """{table name: CSV text} of the result tables one report recorded."""
    return {p.stem: p.read_text() for p in (out / result.tables_dir).glob("*.csv")}


@pytest.fixture(scope="session")
def rendered_demo(tmp_path_factory) -> tuple[Path, list]:
    """``make report``: the shipped demo suite (parameters/demo.yaml) rendered once, as
    (output folder, per-report results), for every test that reads it."""
    return shared_render(tmp_path_factory, "demo", ROOT / "parameters" / "demo.yaml")


@pytest.fixture(scope="session")
def rendered_per_srb(tmp_path_factory) -> tuple[Path, list]:
    """The per-SRB committee set (parameters/demo_per_srb.yaml: the published progress
    and inclusion reports of every SRB) rendered once."""
    return shared_render(tmp_path_factory, "per_srb",
                         ROOT / "parameters" / "demo_per_srb.yaml")


@pytest.fixture(scope="session")
def rendered_per_srb_internal(tmp_path_factory) -> tuple[Path, list]:
    """The internal progress and inclusion reports of every SRB of the demo data (the
    per-SRB set for the evaluation team) rendered once."""
    spec = {"title": "every SRB, internal", "data_dir": str(DEMO),
            "parameters": {"audience": "internal"},
            "reports": [{"notebook": nb, "fan_out": {"srb": "each"}}
                        for nb in ("10_learner_progress", "20_inclusion")]}
    return shared_render(tmp_path_factory, "per_srb_internal", spec)


def demo_report(request: pytest.FixtureRequest, notebook: str, *, srb: str = "all",
                audience: str = "published", name: str | None = None
                ) -> tuple[nbformat.NotebookNode, dict[str, str]]:
    """(executed notebook, {table: CSV text}) of one report of the shared demo renders.

    ``srb="all"`` reads the demo suite (``name``, default ``<notebook>__<audience>``);
    an SRB id reads the per-SRB set of ``audience``. The report is checked to have been
    rendered with exactly that SRB and audience, so a test cannot read the wrong one.
    """
    if srb == "all":
        fixture, name = "rendered_demo", name or f"{notebook}__{audience}"
    else:
        fixture = "rendered_per_srb" if audience == "published" else "rendered_per_srb_internal"
        name = f"{notebook}__srb-{srb}"
    out, results = request.getfixturevalue(fixture)
    (r,) = [r for r in results if r.name == name]
    assert r.notebook == notebook and r.status == "ok", (r.name, r.error)
    assert r.parameters.get("audience") == audience, r.parameters
    assert r.parameters.get("srb", "all") == srb, r.parameters
    assert r.warnings == 0, f"{name} wrote to stderr: see logs/{name}.log"
    return rendered_notebook(out, name), result_tables(out, r)


@pytest.fixture(scope="session")
def notebook_code():
    """``notebook_code(notebook, texts=True, **parameters)``: a run of the notebook's
    code in this process (``tests/notebook_code.py``, ``run_code``), made once per test
    session for each notebook and the parameters it executes with (its defaults overlaid
    with the given ones), for every test that reads it. A run that kept the texts serves
    a test asking for the figures only (``texts=False``), not the other way round."""
    from .notebook_code import CodeRun, parameters_of, run_code

    runs: dict[str, CodeRun] = {}

    def run(notebook: str, *, texts: bool = True, **parameters) -> CodeRun:
        key = json.dumps([notebook, parameters_of(notebook, **parameters)], sort_keys=True,
                         default=str)
        if key not in runs or (texts and runs[key].texts is None):
            runs[key] = run_code(notebook, parameters, texts=texts)
        return runs[key]

    return run


@pytest.fixture
def milp_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every programme the disclosure audit (``srb_eval.report.audit_ilp``) solves, as
    its number of unknowns, in call order: each ``scipy.optimize.milp`` call and each
    solve of a programme it keeps in HiGHS (``highspy.Highs.run``; a solve from the
    basis that is solved again afresh counts twice). Clear the list in place
    (``calls[:] = []``) to count a second search apart."""
    import highspy

    from srb_eval.report import audit_ilp

    calls: list[int] = []
    solve, run = audit_ilp.milp, highspy.Highs.run

    def counted(c, *args, **kwargs):
        calls.append(len(c))
        return solve(c, *args, **kwargs)

    def counted_run(h, *args, **kwargs):
        calls.append(h.getNumCol())
        return run(h, *args, **kwargs)

    monkeypatch.setattr(audit_ilp, "milp", counted)
    monkeypatch.setattr(highspy.Highs, "run", counted_run)
    return calls


@pytest.fixture
def solve_rounds(milp_calls: list[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The programmes each call of ``solve_ranges`` by
    ``srb_eval.report.cube_protection`` (one round of ``protect_lines``) solved, in call
    order (counted by :func:`milp_calls`). Clear it in place to count a second run."""
    from srb_eval.report import cube_protection

    rounds: list[int] = []
    solve = cube_protection.solve_ranges

    def counted(*args, **kwargs):
        before = len(milp_calls)
        out = solve(*args, **kwargs)
        rounds.append(len(milp_calls) - before)
        return out

    monkeypatch.setattr(cube_protection, "solve_ranges", counted)
    return rounds


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules that render or execute notebooks first (those with a test marked
    ``slow``, and nbval's ``notebooks/*.ipynb``), then the quick ones, each module's tests
    in their order. ``make test`` hands each pytest-xdist worker the next module as it
    finishes one, in this order (``--dist loadscope --no-loadscope-reorder``; by default
    pytest-xdist puts the modules with the most tests first), so quick modules at the end
    keep both workers busy to the last: a module that renders, last, left one worker idle
    for the 10 to 20 s of its render."""
    heavy = {item.path for item in items
             if item.get_closest_marker("slow") or item.path.suffix == ".ipynb"}
    items.sort(key=lambda item: item.path not in heavy)
