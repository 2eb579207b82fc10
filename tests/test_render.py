"""srb-eval render: parameter checks, execution, HTML without code, index and manifest."""

from __future__ import annotations

import html as html_mod
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from srb_eval import ParameterError, RenderError
from srb_eval.paths import NOTEBOOKS_DIR
from srb_eval.provenance import sha256_file
from srb_eval.run.cli import main
from srb_eval.run.parameters import check_value, expected_type, plan
from srb_eval.run.render import render, run_job

from .conftest import MINIMAL, ROOT, learner_ids

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _params(tmp_path: Path, reports: list[dict], data_dir: Path | str = MINIMAL,
            **top) -> Path:
    p = tmp_path / "run.yaml"
    p.write_text(yaml.safe_dump({"title": "test run", "data_dir": str(data_dir), **top,
                                 "reports": reports}))
    return p


def _notebook(path: Path, parameters: str, *cells: str) -> Path:
    """A small notebook: a parameters cell and code cells."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    nbformat.write(nb, path)
    return path


def _per_srb_notebook(tmp_path: Path) -> Path:
    """Records the placements of one SRB: a cheap stand-in for a per-SRB report."""
    return _notebook(
        tmp_path / "per_srb.ipynb",
        'data_dir = "data/demo"  # str: dataset\nsrb = "all"  # str: an srb_id or "all"\n'
        'audience = "published"  # str: internal or published',
        "from IPython.display import Markdown, display\n"
        "from srb_eval import load_dataset\nfrom srb_eval.report import notebook as report\n"
        "ds = load_dataset(report.data_path(data_dir))\n"
        "display(Markdown(f'# Placements in {srb}'))\n"
        "pl = ds.placements[ds.placements['srb_id'] == srb]\n"
        "report.record('placements', pl[['srb_id', 'start_date']])\n"
        "import sys; print('a warning the reader must not see', file=sys.stderr)",
    )


# ------------------------------------------------------------------ checks before running


def test_unknown_parameter_is_refused_before_anything_runs(tmp_path: Path):
    p = _params(tmp_path, [
        {"notebook": "00_data_quality", "parameters": {"audiense": "internal"}},
        {"notebook": "no_such_notebook"},
    ])
    with pytest.raises(ParameterError) as info:
        render(p, out=tmp_path / "out")
    msg = str(info.value)
    assert "unknown parameter 'audiense'" in msg and "no_such_notebook not found" in msg
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["index", "Index.cy"])
def test_a_report_named_like_the_index_is_refused_before_anything_runs(tmp_path: Path,
                                                                        name: str):
    """A report named "index" was rendered, then its HTML replaced by the index page."""
    p = _params(tmp_path, [{"notebook": "00_data_quality", "name": name}])
    with pytest.raises(ParameterError, match="would replace a file render writes"):
        render(p, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_invalid_parameter_file_lists_every_problem_and_cli_exits_2(tmp_path: Path, capsys):
    p = _params(tmp_path, [
        {"notebook": "00_data_quality", "parameters": {"audience": ["internal"]}},
        {"notebook": "00_data_quality", "name": "x", "parameters": {"data_dir": 3}},
        {"notebook": "00_data_quality", "name": "y", "fan_out": {"audience": "all"}},
        {"notebook": "00_data_quality", "name": "z", "colour": "red"},
    ], parameters={"audeince": "published"})
    assert main(["render", str(p), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "parameter 'audience' must be str" in err and "not a list ['internal']" in err
    assert "parameter 'data_dir' must be str" in err
    assert "fan_out audience: give a list of values or 'each'" in err
    assert "unknown key(s) ['colour']" in err
    assert "['audeince'] not declared by any listed notebook" in err
    assert "5 problem(s)" in err
    assert not (tmp_path / "out").exists()


def test_missing_data_dir_and_bad_yaml_are_refused(tmp_path: Path, capsys):
    p = _params(tmp_path, [{"notebook": "00_data_quality"}], data_dir=tmp_path / "nope")
    with pytest.raises(ParameterError, match=r"data_dir .*nope does not exist"):
        plan(yaml.safe_load(p.read_text()))
    bad = tmp_path / "bad.yaml"
    bad.write_text("reports: [unclosed\n")
    assert main(["render", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "not valid YAML" in capsys.readouterr().err
    assert main(["render", str(tmp_path / "missing.yaml")]) == 2
    with pytest.raises(ParameterError, match="jobs: must be at least 1"):
        render(p, jobs=0)


def test_value_types_follow_the_declared_default_or_annotation():
    def decl(default, help_="", tname="None"):
        return {"default": default, "help": help_, "inferred_type_name": tname}

    assert check_value("a", ["x"], decl('"x"')) is not None
    assert check_value("a", "y", decl('"x"')) is None
    assert check_value("n", 2, decl("3")) is None
    assert check_value("n", 2.5, decl("3")) is not None
    assert check_value("n", True, decl("3")) is not None  # a bool is not a count
    assert check_value("f", 1, decl("0.8")) is None  # a whole number is a float
    assert check_value("t", [0.5], decl("[0.5, 0.6]")) is None
    assert check_value("t", 0.5, decl("[0.5, 0.6]")) is not None
    assert check_value("w", ["any", 1], decl("None")) is None  # None default: anything
    assert check_value("s", None, decl('"all"')) is not None
    assert check_value("s", None, decl('"all"', "str or None: an srb_id")) is None
    areas = decl('"all"', 'str or list of str: "all" or areas to report')
    assert check_value("areas", ["literacy"], areas) is None
    assert check_value("areas", 3, areas) is not None
    assert "must be str or list" in check_value("areas", 3, areas)
    assert check_value("n", 2.5, decl("3", "int: years ahead")) is not None
    assert check_value("x", 1, decl('"a"', "text: free wording")) is not None  # no types
    assert check_value("k", "x", decl("1", tname="str")) is None  # annotation wins
    assert check_value("k", 1, decl('"x"', tname="Optional[str]")) is not None
    assert check_value("k", None, decl('"x"', tname="Optional[str]")) is None
    assert expected_type(decl("make_default()")) is None  # an expression: not checked


def test_plan_fans_out_over_a_list(tmp_path: Path):
    spec = yaml.safe_load(_params(tmp_path, [
        {"notebook": "00_data_quality", "fan_out": {"audience": ["internal", "published"]}},
    ]).read_text())
    jobs = plan(spec)
    assert [j.name for j in jobs] == ["00_data_quality__audience-internal",
                                      "00_data_quality__audience-published"]
    assert jobs[1].parameters == {"data_dir": str(MINIMAL), "audience": "published"}


def test_plan_records_the_notebook_defaults_it_will_use(tmp_path: Path):
    """No data_dir or audience given: the notebook's defaults are what the manifest says."""
    spec = {"reports": [{"notebook": "00_data_quality"}]}
    (job,) = plan(spec)
    assert job.parameters == {"data_dir": "data/demo", "audience": "internal"}


def test_plan_fans_out_per_srb_and_per_learner(tmp_path: Path):
    nb = _per_srb_notebook(tmp_path)
    spec = yaml.safe_load(_params(tmp_path, [{"notebook": str(nb),
                                              "fan_out": {"srb": "each"}}]).read_text())
    assert [j.parameters["srb"] for j in plan(spec, own_notebooks=True)] == ["SRB01", "SRB02"]

    learner_nb = _notebook(tmp_path / "one_learner.ipynb",
                           'data_dir = "data/demo"\nlearner_id = None\naudience = "internal"',
                           "x = 1")
    spec = {"data_dir": str(MINIMAL), "reports": [
        {"notebook": str(learner_nb), "fan_out": {"learner_id": "each"}}]}
    jobs = plan(spec, own_notebooks=True)
    assert [j.parameters["learner_id"] for j in jobs] == sorted(learner_ids(MINIMAL))
    assert jobs[0].name == f"one_learner__learner_id-{sorted(learner_ids(MINIMAL))[0]}"
    spec["parameters"] = {"audience": "published"}
    with pytest.raises(ParameterError, match="learner-level reports are never published"):
        plan(spec, own_notebooks=True)
    # a one-learner notebook whose default names a learner is refused too
    profile = _notebook(tmp_path / "profile.ipynb",
                        'data_dir = "data/demo"\nlearner_id = "L01"\naudience = "internal"',
                        "x = 1")
    spec = {"data_dir": str(MINIMAL), "parameters": {"audience": "published"},
            "reports": [{"notebook": str(profile)}]}
    with pytest.raises(ParameterError, match="learner-level reports are never published"):
        plan(spec, own_notebooks=True)


def test_shipped_per_srb_parameter_file_plans_one_published_report_per_srb():
    from srb_eval.data.io import load_dataset
    from srb_eval.run.parameters import load_parameter_file

    path = ROOT / "parameters" / "demo_per_srb.yaml"
    spec = load_parameter_file(path)
    jobs = plan(spec, source=str(path))
    srbs = sorted(load_dataset(ROOT / spec["data_dir"]).srbs["srb_id"])
    notebooks = sorted({Path(j.notebook).stem for j in jobs})
    assert notebooks == ["10_learner_progress", "20_inclusion"]
    for stem in notebooks:
        assert sorted(j.parameters["srb"] for j in jobs
                      if Path(j.notebook).stem == stem) == srbs
    assert {j.parameters["audience"] for j in jobs} == {"published"}


# ------------------------------------------------------------------ rendering


@pytest.mark.slow
def test_render_writes_reports_index_and_manifest(tmp_path: Path):
    p = _params(tmp_path, [
        {"notebook": "00_data_quality", "name": "dq_internal",
         "parameters": {"audience": "internal"}},
        {"notebook": "00_data_quality", "name": "dq_published",
         "parameters": {"audience": "published"}},
    ])
    out = tmp_path / "out"
    stale = tmp_path / ".out.staging-999999999-abc_12"  # left by a run that was killed
    (stale / "tables").mkdir(parents=True)
    (stale / ".srb-eval-staging").write_text("")
    # folders named like a killed run's that render did not write: never deleted
    mine = tmp_path / ".out.old-999999999-mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("three years of work")
    theirs = tmp_path / ".out.staging-999999999-theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    results = render(p, out=out, jobs=2, progress=False)
    assert [r.status for r in results] == ["ok", "ok"]
    assert not stale.exists()
    assert (mine / "thesis.txt").read_text() == "three years of work"
    assert (theirs / "notes.txt").read_text() == "mine"
    assert not (out / ".srb-eval-staging").exists()
    names = sorted(f.name for f in out.iterdir())
    assert names == ["dq_internal.html", "dq_internal.ipynb", "dq_published.ipynb",
                     "index.html", "logs", "manifest.json", "published", "tables"]
    # the published folder holds the published report (HTML and Word), its tables and its
    # own index only
    published = sorted(str(f.relative_to(out / "published"))
                       for f in (out / "published").rglob("*"))
    assert published == ["dq_published.docx", "dq_published.html", "index.html", "tables",
                         "tables/dq_published",
                         "tables/dq_published/coverage.csv", "tables/dq_published/tables.csv"]
    pub_index = (out / "published" / "index.html").read_text()
    assert 'href="dq_published.html"' in pub_index and "dq_internal" not in pub_index
    assert "manifest.json" not in pub_index and "logs/" not in pub_index
    manifest = json.loads((out / "manifest.json").read_text())
    # the table files the loader reads (not the folder's README)
    expected_inputs = {str((MINIMAL / f).relative_to(ROOT)): sha256_file(MINIMAL / f)
                       for f in sorted(p.name for p in MINIMAL.iterdir()
                                       if p.suffix in (".csv", ".parquet", ".xlsx"))}
    assert len(expected_inputs) >= 10
    assert manifest["inputs"] == expected_inputs
    assert manifest["datasets"][str(MINIMAL)]["files"] == expected_inputs
    assert manifest["versions"]["pandas"].startswith("3.")
    assert manifest["python"] == sys.version.split()[0]
    assert manifest["git"]["commit"] and isinstance(manifest["git"]["dirty"], bool)
    assert manifest["started"] <= manifest["finished"]
    assert manifest["parameter_file_sha256"] == sha256_file(p)
    assert manifest["notebooks"] == {
        "notebooks/00_data_quality.ipynb": sha256_file(ROOT / "notebooks" /
                                                       "00_data_quality.ipynb")}
    assert "srb_eval/reference/eef_months.csv" in manifest["reference"]
    rep = manifest["reports"][1]
    assert rep["parameters"] == {"data_dir": str(MINIMAL), "audience": "published"}
    assert rep["notebook_path"] == "notebooks/00_data_quality.ipynb"
    assert rep["inputs"] == expected_inputs
    tables = rep["results"]
    assert set(tables) == {"tables", "coverage"}
    for name, digest in tables.items():
        assert sha256_file(out / "published" / "tables" / "dq_published" / f"{name}.csv"
                           ) == digest
    html = (out / "published" / "dq_published.html").read_text()
    assert "Internal: not for circulation" not in html
    assert "Internal: not for circulation" in (out / "dq_internal.html").read_text()
    assert "import srb_eval" not in html and "from srb_eval" not in html
    assert "Traceback" not in html and "Warning" not in html
    assert not re.search(r">\s*nan\s*<", html, flags=re.I)
    for lid in learner_ids(MINIMAL):
        assert not re.search(rf"\b{lid}\b", html), lid
    # reads as a report: its title, a banner naming dataset, audience and date; no CDN
    assert ("<title>Data quality: is the dataset fit to evaluate? | tests/data/minimal "
            "(synthetic demo data) | published</title>") in html
    banner = re.search(r'<header class="srb-banner".*?</header>', html, flags=re.S).group(0)
    assert "tests/data/minimal" in banner and "<b>Audience:</b> published" in banner
    assert re.search(r"Rendered:</b> \d\d \w{3} \d{4} \d\d:\d\d UTC", banner)
    assert "<script src=" not in html
    # the committed .ipynb outputs stay free of dates; only the HTML carries one
    nb_text = (out / "dq_published.ipynb").read_text()
    assert "Rendered:" not in nb_text
    index = (out / "index.html").read_text()
    assert 'href="dq_internal.html"' in index and "all rendered" in index
    assert 'href="published/dq_published.html"' in index
    assert "Internal: not for circulation" in index and 'href="published/index.html"' in index
    assert sorted(tmp_path.glob(".out.*")) == [mine, theirs], "staging folder left behind"
    assert oct(out.stat().st_mode & 0o777) != oct(0o700), "render folder private to its owner"


@pytest.mark.slow
def test_fan_out_per_srb_renders_one_report_each_and_hides_stderr(tmp_path: Path):
    nb = _per_srb_notebook(tmp_path)
    p = _params(tmp_path, [{"notebook": str(nb), "fan_out": {"srb": "each"}}])
    out = tmp_path / "out"
    results = render(p, out=out, jobs=2, progress=False, own_notebooks=True)
    assert [(r.name, r.status, r.warnings) for r in results] == [
        ("per_srb__srb-SRB01", "ok", 1), ("per_srb__srb-SRB02", "ok", 1)]
    for r, srb in zip(results, ("SRB01", "SRB02"), strict=True):
        csv = (out / r.tables_dir / "placements.csv").read_text()
        assert {line.split(",")[0] for line in csv.splitlines()[1:]} == {srb}
        html = (out / r.files["html"]).read_text()
        assert f"<title>Placements in {srb} | tests/data/minimal" in html
        assert "a warning the reader must not see" not in html
        assert "a warning the reader must not see" in (
            out / "logs" / f"per_srb__srb-{srb}.log").read_text()
        assert "a warning the reader must not see" in (
            out / f"per_srb__srb-{srb}.ipynb").read_text()  # kept in the notebook
    manifest = json.loads((out / "manifest.json").read_text())
    assert [r["parameters"]["srb"] for r in manifest["reports"]] == ["SRB01", "SRB02"]
    assert "1 warning(s)" in (out / "index.html").read_text()


@pytest.mark.slow
def test_a_failing_report_does_not_stop_the_others(tmp_path: Path, capsys):
    bad = _notebook(tmp_path / "broken.ipynb", "x = 1", "y = 2",
                    "# the failing cell\nz = 3\nraise ValueError('deliberate failure')")
    p = _params(tmp_path, [{"notebook": str(bad)},
                           {"notebook": "00_data_quality",
                            "parameters": {"audience": "internal"}}])
    out = tmp_path / "out"
    with pytest.raises(RenderError) as info:
        render(p, out=out, jobs=2, progress=False, own_notebooks=True)
    assert ("broken: ValueError: deliberate failure [at cell In [3] "
            "(`raise ValueError('deliberate failure')`)]") in str(info.value)
    assert info.value.failures == ["broken"]
    assert (out / "00_data_quality.html").exists()
    assert (out / "broken.ipynb").exists()
    html = (out / "broken.html").read_text()
    assert "This report did not finish" in html and "deliberate failure" in html
    # a plain message: what failed, where, what to do; the traceback only in the log
    assert "line `raise ValueError('deliberate failure')`" in html
    assert "What to do:" in html and "logs/broken.log" in html
    for hidden in ("Traceback", "Cell In[", str(tmp_path), "An Exception was encountered"):
        assert hidden not in html, hidden
    log = (out / "logs" / "broken.log").read_text()
    assert "Traceback" in log and "raise ValueError('deliberate failure')" in log
    assert "\x1b[" not in log
    index = (out / "index.html").read_text()
    assert "FAILED at cell In [3]" in index and "1 failed" in index
    manifest = json.loads((out / "manifest.json").read_text())
    assert [r["status"] for r in manifest["reports"]] == ["failed", "ok"]

    # the command line: exit code 1 and a short message naming report and cell
    capsys.readouterr()
    assert main(["render", str(p), "--own-notebooks", "--out", str(out), "--jobs", "2", "--quiet"]) == 1
    err = capsys.readouterr().err
    tail = err[err.index("srb-eval render:"):]
    assert tail.startswith("srb-eval render: 1 of 2 reports failed; the others were written")
    assert "  - broken: ValueError: deliberate failure [at cell In [3]" in tail
    assert len(tail.splitlines()) == 2 and "Traceback" not in err


@pytest.mark.slow
def test_refuses_to_replace_a_folder_that_is_not_a_render(tmp_path: Path):
    p = _params(tmp_path, [{"notebook": "00_data_quality"}])
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(ParameterError, match=r"render did not write \(notes.txt\)"):
        render(p, out=precious, progress=False)
    with pytest.raises(ParameterError, match="holds inputs"):
        render(p, out=MINIMAL.parent, progress=False)
    assert (precious / "notes.txt").read_text() == "keep me"
    # A manifest.json alone does not make a folder disposable: an earlier render with
    # someone's file added to it (or a file dropped among its tables) is kept as it is.
    out = tmp_path / "out"
    render(p, out=out, progress=False)
    (out / "tables" / "00_data_quality" / "my-analysis.xlsx").write_text("keep me too")
    with pytest.raises(ParameterError, match="tables/00_data_quality/my-analysis.xlsx"):
        render(p, out=out, progress=False)
    (out / "tables" / "00_data_quality" / "my-analysis.xlsx").unlink()
    render(p, out=out, progress=False)  # an unchanged earlier render is replaced


def _processes_of_a_render() -> int:
    """A render of one report runs a worker and a kernel, and the zygote that forks the
    kernel unless kernels are fresh processes here."""
    from srb_eval.run.kernels import forking_supported

    return 3 if forking_supported() else 2


_PROCESSES = _processes_of_a_render()


def _own_kernels_env() -> dict[str, str]:
    """The environment of a render that starts its own zygote (not this test process's),
    so that every process of the render, kernels included, descends from it."""
    from srb_eval.run.kernels import ZYGOTES_ENV

    return {k: v for k, v in os.environ.items() if k != ZYGOTES_ENV}


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_interrupted_render_leaves_no_staging_and_keeps_the_previous_render(
        tmp_path: Path, sig: str):
    import psutil

    slow = _notebook(tmp_path / "slow.ipynb", "data_dir = ''",
                     "import time\nfrom srb_eval.report import notebook as report\nimport pandas as pd\n"
                     "report.record('t', pd.DataFrame({'a': [1]}))\ntime.sleep(60)")
    p = _params(tmp_path, [{"notebook": str(slow)}])
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"reports": [], "previous": "good render"}')
    # Ctrl-C as a person's terminal delivers it: a test run started in the background of a
    # non-interactive shell inherits SIGINT ignored, which Python then keeps ignoring
    proc = subprocess.Popen([sys.executable, "-m", "srb_eval.run.cli", "render", str(p), "--own-notebooks",
                             "--out", str(out), "--quiet"], cwd=tmp_path,
                            stderr=subprocess.PIPE, text=True, env=_own_kernels_env(),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the notebook has recorded its table
        if list(tmp_path.glob(".out.staging-*/tables/slow/t.csv")):
            break
        time.sleep(0.1)
    else:  # pragma: no cover
        proc.kill()
        pytest.fail("the render never started")
    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= _PROCESSES  # a worker and its kernel (and the zygote)
    proc.send_signal(getattr(signal, sig))
    rc = proc.wait(60)
    assert rc == (130 if sig == "SIGINT" else 143)
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, "worker or kernel left running"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["out", "run.yaml", "slow.ipynb"]
    assert (out / "manifest.json").read_text() == '{"reports": [], "previous": "good render"}'
    assert sorted(f.name for f in out.iterdir()) == ["manifest.json"]


@pytest.mark.slow
def test_full_demo_suite_renders(rendered_demo, demo_dir: Path):
    """``make report``: every report of parameters/demo.yaml renders on the demo data."""
    spec = yaml.safe_load((ROOT / "parameters" / "demo.yaml").read_text())
    out, results = rendered_demo
    assert all(r.status == "ok" for r in results), [r.summary for r in results]
    assert len(results) >= len(spec["reports"])
    manifest = json.loads((out / "manifest.json").read_text())
    index = (out / "index.html").read_text()
    for r in results:
        html = (out / r.files["html"]).read_text()
        assert "Traceback" not in html and "<script src=" not in html
        assert f'href="{r.files["html"]}"' in index
        assert r.results, (f"{r.name} recorded no result table (report.record): "
                           "`srb-eval reproduce` cannot check its numbers")
        # the index says what each report answers and who may read it
        assert r.question.endswith("?") and len(r.question) > 30, r.name
        assert html_mod.escape(r.question) in index, r.name
    published_index = (out / "published" / "index.html").read_text()
    assert index.count("the evaluation team only") == sum(
        r.folder != "published" for r in results)
    assert published_index.count("anyone: small numbers suppressed") == sum(
        r.folder == "published" for r in results) > 0
    assert "the evaluation team only" not in published_index
    assert {r["name"] for r in manifest["reports"]} == {r.name for r in results}
    # nothing internal in the folder to circulate
    for f in (out / "published").rglob("*.html"):
        assert "Internal: not for circulation" not in f.read_text(), f
    assert set(manifest["inputs"]) >= {"data/demo/learners.csv", "data/demo/srbs.csv"}
    # published reports and their tables never show a learner identifier
    ids = re.compile(r"\b(" + "|".join(map(re.escape, learner_ids(demo_dir))) + r")\b")
    published = [r for r in results if r.parameters.get("audience") == "published"]
    assert published, "demo.yaml has no published report"
    for r in published:
        assert r.files["html"] == f"published/{r.name}.html"
        files = [out / r.files["html"], *sorted((out / r.tables_dir).glob("*.csv"))]
        leaks = {f.name: m.group(0) for f in files if (m := ids.search(f.read_text()))}
        assert not leaks, f"{r.name}: learner ids in {leaks}"


def test_report_kernels_get_the_memory_settings(tmp_path: Path, monkeypatch):
    # the kernel executing a report inherits KERNEL_MEMORY_ENV (glibc reads it at start),
    # and a value the user set is kept
    from srb_eval.run.report_kernels import KERNEL_MEMORY_ENV

    monkeypatch.setenv("MALLOC_TOP_PAD_", "12345")
    nb = _notebook(tmp_path / "env.ipynb", "x = 1",
                   "import os\nimport pandas as pd\nfrom srb_eval.report import notebook as report\n"
                   "names = " + repr(sorted(KERNEL_MEMORY_ENV)) + "\n"
                   "report.record('env', pd.DataFrame({'name': names, "
                   "'value': [os.environ.get(n, '') for n in names]}))")
    out = tmp_path / "out"
    render(_params(tmp_path, [{"notebook": str(nb)}]), out=out, jobs=1, progress=False, own_notebooks=True)
    got = dict(line.split(",") for line in
               (out / "tables" / "env" / "env.csv").read_text().splitlines()[1:])
    assert got == {**KERNEL_MEMORY_ENV, "MALLOC_TOP_PAD_": "12345"}


@pytest.mark.parametrize("text, problem", [
    ("!!binary aGVsbG8=", "'tag:yaml.org,2002:binary' is not allowed"),
    ("!!python/object/apply:os.system ['true']", "is not allowed"),
    ("!!set {a: null}", "'tag:yaml.org,2002:set' is not allowed"),
    ("!custom x", "'!custom' is not allowed"),
])
def test_a_parameter_file_holds_plain_data_only(tmp_path: Path, text: str, problem: str):
    from srb_eval.run.parameters import load_parameter_file

    p = tmp_path / "p.yaml"
    p.write_text("data_dir: data/demo\nreports:\n  - notebook: 20_inclusion\n"
                 f"    parameters: {{window_start: {text}}}\n")
    with pytest.raises(ParameterError, match="not valid YAML") as err:
        load_parameter_file(p)
    assert problem in str(err.value) and "line 4" in str(err.value)


def test_a_date_in_a_parameter_file_stays_text_and_types_are_checked(tmp_path: Path):
    from srb_eval.run.parameters import load_parameter_file, plan

    p = tmp_path / "p.yaml"
    p.write_text("data_dir: data/demo\nreports:\n  - notebook: 20_inclusion\n"
                 "    parameters: {window_start: 2024-09-01, window_end: [1, 2]}\n")
    spec = load_parameter_file(p)
    assert spec["reports"][0]["parameters"]["window_start"] == "2024-09-01"
    with pytest.raises(ParameterError, match="parameter 'window_end' must be str or None"):
        plan(spec)


@pytest.mark.slow
def test_workers_and_kernels_die_when_render_is_killed(tmp_path: Path):
    import psutil

    slow = _notebook(tmp_path / "slow.ipynb", "data_dir = ''", "import time\ntime.sleep(120)")
    p = _params(tmp_path, [{"notebook": str(slow)}])
    proc = subprocess.Popen([sys.executable, "-m", "srb_eval.run.cli", "render", str(p), "--own-notebooks",
                             "--out", str(tmp_path / "out"), "--quiet"], cwd=tmp_path,
                            env=_own_kernels_env())
    deadline = time.monotonic() + 60
    children: list = []
    # a worker and its kernel (and the zygote)
    while time.monotonic() < deadline and len(children) < _PROCESSES:
        time.sleep(0.2)
        children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= _PROCESSES, "the render never started its kernel"
    time.sleep(2)
    proc.kill()  # SIGKILL: no chance to clean up
    proc.wait(10)
    _, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, f"left running after SIGKILL: {[c.pid for c in alive]}"


@pytest.mark.slow
def test_a_dataset_too_small_to_publish_gets_a_notice_not_pages_of_c(tmp_path: Path):
    # three learners in two SRBs: the published report stops after its notice; the
    # internal one is rendered in full; both indexes say why
    p = _params(tmp_path, [
        {"notebook": "20_inclusion", "name": "inc_published",
         "parameters": {"audience": "published"}},
        {"notebook": "20_inclusion", "name": "inc_internal",
         "parameters": {"audience": "internal"}},
    ])
    out = tmp_path / "out"
    results = render(p, out=out, jobs=2, progress=False)
    published, internal = results
    assert [r.status for r in results] == ["ok", "ok"]
    assert published.withheld and not internal.withheld
    assert not published.results and internal.results
    html = (out / "published" / "inc_published.html").read_text()
    assert "Too few learners to publish" in html
    for hidden in ("Traceback", "ReportWithheld", "An Exception was encountered", "[c]"):
        assert hidden not in html, hidden
    for index in (out / "index.html", out / "published" / "index.html"):
        text = index.read_text()
        assert "Too few learners to publish" in text and "inc_published" in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert [bool(r["withheld"]) for r in manifest["reports"]] == [True, False]


@pytest.mark.slow
@pytest.mark.parametrize("zygote", ["its own", "this test process's"])
def test_the_reports_of_a_render_find_its_data_read_ahead(tmp_path: Path, zygote: str):
    """A render's zygote (or, where one runs already, a zygote forked from it for the
    render) reads the render's data before it forks the kernels: each report's
    load_dataset gets it without reading the files again, and the same tables."""
    import shutil

    from srb_eval.run.kernels import FRESH_KERNELS_ENV, forking_supported

    if not forking_supported():
        pytest.skip("kernels are fresh processes here")
    data = shutil.copytree(MINIMAL, tmp_path / "data")  # read ahead by nothing else
    probe = _notebook(
        tmp_path / "probe.ipynb", 'data_dir = "data/demo"  # str: dataset',
        "from srb_eval.data import io\nfrom srb_eval.report import notebook as report\n"
        "ahead = io.read_ahead_of(report.data_path(data_dir))\n"
        "ds = io.load_dataset(report.data_path(data_dir))\n"
        "report.record('seen', ds.learners.assign(ahead=ahead))")
    p = _params(tmp_path, [{"notebook": str(probe)}], data_dir=data)
    env = _own_kernels_env() if zygote == "its own" else dict(os.environ)
    env.pop(FRESH_KERNELS_ENV, None)
    subprocess.run([sys.executable, "-m", "srb_eval.run.cli", "render", str(p), "--own-notebooks", "--out",
                    str(tmp_path / "out"), "--quiet"], cwd=tmp_path, env=env, check=True,
                   timeout=300)
    import pandas as pd

    seen = pd.read_csv(tmp_path / "out" / "tables" / "probe" / "seen.csv")
    assert seen["ahead"].all()
    expected = pd.read_csv(data / "learners.csv")
    assert seen["learner_id"].tolist() == expected["learner_id"].tolist()


#: The folder where ``recording_run_job`` writes what a worker found made.
WORKER_STATE_ENV = "SRB_TEST_WORKER_STATE"


def recording_run_job(job, staging: str):
    """``run_job`` that first writes, in the worker, which HTML exporters and whether
    python-docx it found made (a forked worker inherits this function's patching)."""
    from srb_eval.run.html import report_exporter

    state = {"exporters": report_exporter.cache_info().currsize,
             "docx": "docx" in sys.modules}
    (Path(os.environ[WORKER_STATE_ENV]) / f"{job.name}.json").write_text(json.dumps(state))
    return run_job(job, staging)


@pytest.mark.slow
def test_workers_fork_with_the_exporters_of_the_reports_languages_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The render makes each language's HTML exporter (templates compiled) and imports
    python-docx (a report is published) before its workers fork: each worker finds them
    made at its first report."""
    import srb_eval.run.render as render_module
    from srb_eval.run.html import report_exporter

    nb = _notebook(tmp_path / "tiny.ipynb",
                   "data_dir = ''\nlanguage = 'en'\naudience = 'internal'", "print(1)")
    p = _params(tmp_path, [
        {"notebook": str(nb), "name": "tiny_en", "parameters": {"language": "en"}},
        {"notebook": str(nb), "name": "tiny_cy",
         "parameters": {"language": "CY", "audience": "published"}}], data_dir="")
    report_exporter.cache_clear()  # as in a new process
    monkeypatch.delitem(sys.modules, "docx", raising=False)  # (put back after the test)
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv(WORKER_STATE_ENV, str(state))
    monkeypatch.setattr(render_module, "run_job", recording_run_job)
    results = render(p, out=tmp_path / "out", jobs=2, progress=False, own_notebooks=True)
    assert [r.status for r in results] == ["ok", "ok"]
    found = {f.stem: json.loads(f.read_text()) for f in state.iterdir()}
    assert found == {name: {"exporters": 2, "docx": True} for name in ("tiny_en", "tiny_cy")}
    assert (tmp_path / "out" / "published" / "tiny_cy.docx").exists()


@pytest.mark.slow
def test_a_failure_while_preparing_the_workers_leaves_each_worker_to_export(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Preparing the workers is only a saving: if making an exporter fails there, the
    render goes on and each worker makes its own."""
    import srb_eval.run.render as render_module

    def broken(language: str):
        raise RuntimeError(f"no exporter for {language}")

    nb = _notebook(tmp_path / "tiny.ipynb", "data_dir = ''", "print(1)")
    p = _params(tmp_path, [{"notebook": str(nb), "name": "tiny"}], data_dir="")
    monkeypatch.setattr(render_module, "report_exporter", broken)
    results = render(p, out=tmp_path / "out", jobs=1, progress=False, own_notebooks=True)
    assert [r.status for r in results] == ["ok"]
    assert 'class="srb-banner' in (tmp_path / "out" / "tiny.html").read_text(encoding="utf-8")


#: The file ``dying_first_start`` marks once it has failed a report's first start.
DIED_ONCE_ENV = "SRB_TEST_DIED_ONCE"


def dying_first_start(*args, **kwargs):
    """``papermill.execute_notebook`` whose first call fails as a kernel that died as it
    started does (the port race of jupyter_client), before any cell runs."""
    import papermill.execute

    marker = Path(os.environ[DIED_ONCE_ENV])
    if not marker.exists():
        marker.write_text("died")
        raise RuntimeError("Kernel died before replying to kernel_info")
    return papermill.execute.execute_notebook(*args, **kwargs)


@pytest.mark.slow
def test_a_report_whose_kernel_dies_as_it_starts_is_run_once_more(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import papermill

    from srb_eval.run.render import KERNEL_DIED_AT_START

    assert KERNEL_DIED_AT_START == "Kernel died before replying to kernel_info"
    nb = _notebook(tmp_path / "tiny.ipynb", "data_dir = ''", "print('ran')")
    p = _params(tmp_path, [{"notebook": str(nb), "name": "tiny"}], data_dir="")
    monkeypatch.setenv(DIED_ONCE_ENV, str(tmp_path / "died"))
    monkeypatch.setattr(papermill, "execute_notebook", dying_first_start)
    results = render(p, out=tmp_path / "out", jobs=1, progress=False, own_notebooks=True)
    assert [r.status for r in results] == ["ok"]
    assert (tmp_path / "died").exists()  # the first start did die
    log = (tmp_path / "out" / "logs" / "tiny.log").read_text(encoding="utf-8")
    assert "the report is run once more" in log
    # a second death in a row fails the report, with the error
    (tmp_path / "died").unlink()

    def always_dies(*args, **kwargs):
        raise RuntimeError(KERNEL_DIED_AT_START)

    monkeypatch.setattr(papermill, "execute_notebook", always_dies)
    with pytest.raises(RenderError, match="Kernel died before replying"):
        render(p, out=tmp_path / "out2", jobs=1, progress=False, own_notebooks=True)


def test_a_parameter_file_naming_a_notebook_elsewhere_is_refused(tmp_path: Path):
    """A received parameter file named a notebook by path (one that came with it) and
    the render ran its code. Only the project's notebooks run unless the command (never
    the file) says --own-notebooks; a name that climbs out of notebooks/ is a path too."""
    nb = _notebook(tmp_path / "evil.ipynb", 'data_dir = "data/demo"',
                   f"open({str(tmp_path / 'ran')!r}, 'w').write('ran')")
    for entry in ({"notebook": str(nb)}, {"notebook": "../../" + str(nb.with_suffix(""))},
                  {"notebook": str(nb), "name": "00_data_quality"}):
        p = _params(tmp_path, [entry])
        with pytest.raises(ParameterError, match="not one of the project's notebooks"):
            render(p, out=tmp_path / "out", progress=False)
        assert main(["render", str(p), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert not (tmp_path / "ran").exists() and not (tmp_path / "out").exists()
    # the project's own notebooks, by name or by path, are planned as before
    for name in ("00_data_quality", str(NOTEBOOKS_DIR / "00_data_quality.ipynb")):
        (job,) = plan({"data_dir": str(MINIMAL), "reports": [{"notebook": name}]})
        assert job.name == "00_data_quality"
    # with --own-notebooks the file may name one of the user's own
    (job,) = plan(yaml.safe_load(_params(tmp_path, [{"notebook": str(nb)}]).read_text()),
                  own_notebooks=True)
    assert Path(job.notebook) == nb.resolve()
