"""Set-up promises: exact pins, conda and pip agree, README gives the two commands."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.match(r"^\s*-?\s*([A-Za-z0-9_.\-\[\]]+)==([^\s#]+)", line)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def test_constraints_pin_every_package_exactly():
    lines = [ln for ln in (ROOT / "constraints.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines and all("==" in ln for ln in lines)
    pins = _pins(lines)
    for core in ("pandas", "numpy", "scipy", "pandera", "papermill", "nbval", "pyarrow"):
        assert core in pins, core
    assert pins["pandas"].startswith("3.")


def test_environment_yml_has_the_same_pins():
    pip_pins = _pins((ROOT / "constraints.txt").read_text().splitlines())
    conda_pins = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert conda_pins == pip_pins
    assert "python=3.11" in (ROOT / "environment.yml").read_text()


def test_makefile_pyproject_and_readme_agree_on_the_supported_pythons():
    """Python 3.11 to 3.13 (what current Debian and Ubuntu ship): the Makefile looks for
    exactly the versions pyproject.toml allows, and the README names them."""
    import tomllib

    from packaging.specifiers import SpecifierSet

    allowed = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())
                           ["project"]["requires-python"])
    makefile = (ROOT / "Makefile").read_text()
    listed = re.search(r"^SUPPORTED_PYTHONS := (.+)$", makefile, re.M).group(1).split()
    minors = [f"3.{m}" for m in range(8, 20)]
    assert listed == [v for v in minors if v in allowed] == ["3.11", "3.12", "3.13"]
    assert "Python 3.11, 3.12 or 3.13" in (ROOT / "README.md").read_text()


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:25])
    assert "make report" in first_screen and "make test" in first_screen
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert "constraints.txt" in makefile and "parameters/demo.yaml" in makefile


def test_git_ignores_everything_in_data_but_the_demo_and_published_folders(tmp_path):
    import shutil
    import subprocess

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        import pytest

        pytest.skip("not a git checkout")
    paths = ["data/mine/learners.csv", "data/export.xlsx", "data/demo/learners.csv",
             "data/published/fig3.csv", "data/README.md"]
    out = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT,
                         capture_output=True, text=True).stdout.split()
    assert out == ["data/mine/learners.csv", "data/export.xlsx"]
    readme = (ROOT / "README.md").read_text()
    assert "`data/mine/` is git-ignored" in " ".join(readme.split())


def test_jupyterlab_lists_each_notebook_once_and_keeps_the_pairing(tmp_path):
    """Lab hides the jupytext sources (jupyter_server_config.json, installed into .venv
    by the Makefile); saving the .ipynb in Lab still writes its paired .py."""
    import json
    from fnmatch import fnmatch

    import jupytext
    from jupytext import AsyncTextFileContentsManager  # what JupyterLab runs
    from traitlets.config import Config

    settings = json.loads((ROOT / "jupyter_server_config.json").read_text())
    # installed where jupyter reads settings of its environment (a *.d folder is read
    # for server extensions only)
    assert "cp jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json" \
        in (ROOT / "Makefile").read_text()
    cfg = jupytext.config.load_jupytext_configuration_file(
        str(ROOT / "notebooks" / "jupytext.toml"))
    assert cfg.formats == ["ipynb,py:percent"]
    sources = sorted((ROOT / "notebooks").glob("*.py"))
    assert sources and all((ROOT / "notebooks" / f"{p.stem}.ipynb").is_file()
                           for p in sources)
    hidden = settings["ContentsManager"]["hide_globs"]
    assert all(any(fnmatch(p.name, g) for g in hidden) for p in sources)
    package = ROOT.glob("srb_eval/**/*.py")
    assert not any(fnmatch(p.name, g) for p in package for g in hidden)

    # the listing and the pairing, through the contents manager JupyterLab uses
    import asyncio
    import shutil

    nb = sources[0].stem
    for name in (f"{nb}.py", f"{nb}.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, tmp_path / name)
    shutil.copy(ROOT / "notebooks" / "jupytext.toml", tmp_path / "jupytext.toml")
    cm = AsyncTextFileContentsManager(root_dir=str(tmp_path), config=Config(settings))

    async def list_and_save() -> list[str]:
        listed = [c["name"] for c in (await cm.get(""))["content"]]
        model = await cm.get(f"{nb}.ipynb")
        model["content"].cells[0].source += "\n# edited in Lab"
        (tmp_path / f"{nb}.py").unlink()
        await cm.save(model, f"{nb}.ipynb")
        return listed

    listed = asyncio.run(list_and_save())
    assert f"{nb}.ipynb" in listed and f"{nb}.py" not in listed
    assert "# edited in Lab" in (tmp_path / f"{nb}.py").read_text()


def test_makefile_stops_clearly_without_a_supported_python(tmp_path):
    import shutil
    import subprocess

    import pytest

    if shutil.which("make") is None:
        pytest.skip("no make")
    for name in ("Makefile", "pyproject.toml", "constraints.txt", "jupyter_server_config.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    cases = [(["PY=/no/such/python"], "/no/such/python is not a Python that runs"),
             (["SUPPORTED_PYTHONS=9.9"], "no python9.9 was found and python3 is")]
    for args, says in cases:
        run = subprocess.run(["make", "venv", *args], cwd=tmp_path, capture_output=True,
                             text=True)
        assert run.returncode != 0 and "No supported Python" in run.stderr, run.stderr
        assert says in run.stderr and "make PY=/path/to/python" in run.stderr
        assert not (tmp_path / ".venv").exists()
    dry = subprocess.run(["make", "-n", "report"], cwd=tmp_path, capture_output=True,
                         text=True).stdout
    assert "[2/3] installing the pinned dependencies" in dry and "--quiet" not in dry
    assert "srb-eval render parameters/demo.yaml --out rendered/demo\n" in dry  # JOBS unset


def test_readme_parameter_files_for_your_own_data_plan(tmp_path):
    """The README's one-report parameter file, and demo.yaml with the learner profile
    made a profile of every learner (README, step 3), are valid parameter files."""
    import yaml

    from srb_eval.run.parameters import plan

    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index("**One report with other parameters.**"):]
    block = block[block.index("```yaml\n") + 8:]
    spec = yaml.safe_load(block[:block.index("```")])
    jobs = plan(spec)
    assert [j.name for j in jobs] == ["20_inclusion"]
    assert "srb-eval render parameters/inclusion_srb02.yaml" in readme

    demo = (ROOT / "parameters" / "demo.yaml").read_text()
    assert "learner_id: L0001" in demo and "fan_out: {learner_id: each}" in readme
    every = yaml.safe_load(demo.replace("learner_id: L0001}", "}\n    fan_out: {learner_id: each}"))
    profiles = [j for j in plan(every) if j.name.startswith("50_learner_profile")]
    learners = (ROOT / "data" / "demo" / "learners.csv").read_text().splitlines()[1:]
    assert len(profiles) == len(learners) > 100


def test_a_render_process_does_without_the_iri_parser_and_still_validates_notebooks():
    """The run layer marks ``rfc3987_syntax`` absent (``srb_eval/run/__init__.py``):
    jsonschema, imported by nbformat, no longer builds its Lark parser (about 1 s of CPU a
    process), and nbformat still accepts a valid notebook and refuses an invalid one."""
    import subprocess
    import sys

    from srb_eval.run import IRI_SYNTAX_MODULE

    code = f"""
import sys
import srb_eval.run.render
import nbformat, papermill
from nbconvert import HTMLExporter
assert sys.modules["{IRI_SYNTAX_MODULE}"] is None, sys.modules["{IRI_SYNTAX_MODULE}"]
assert "lark" not in sys.modules
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "no such type"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("refused")
"""
    # validated with jsonschema, which the IRI parser belongs to (nbformat's default is
    # fastjsonschema)
    env = {**os.environ, "NBFORMAT_VALIDATOR": "jsonschema"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True)
    assert out.stdout.split() == ["refused"], out.stderr


def test_make_test_runs_the_modules_that_render_first_in_that_order():
    """``tests/conftest.py`` puts the modules with a test marked ``slow`` and nbval's
    notebooks first, keeping every module's order of tests; the Makefile asks
    pytest-xdist to keep that order (it would otherwise put the modules with the most
    tests first)."""
    from types import SimpleNamespace

    from .conftest import pytest_collection_modifyitems

    def item(name: str, path: str, slow: bool = False) -> SimpleNamespace:
        return SimpleNamespace(name=name, path=Path(path),
                               get_closest_marker=lambda m: object() if slow and m == "slow"
                               else None)

    items = [item("a1", "tests/test_a.py"), item("b1", "tests/test_b.py", slow=True),
             item("a2", "tests/test_a.py"), item("b2", "tests/test_b.py", slow=True),
             item("c1", "tests/test_c.py"), item("c2", "tests/test_c.py", slow=True),
             item("cell0", "notebooks/10_x.ipynb"), item("cell1", "notebooks/10_x.ipynb"),
             item("doc", "srb_eval/x.py")]
    pytest_collection_modifyitems(items)
    assert [i.name for i in items] == ["b1", "b2", "c1", "c2", "cell0", "cell1",
                                       "a1", "a2", "doc"]
    makefile = (ROOT / "Makefile").read_text()
    assert "--dist loadscope --no-loadscope-reorder" in makefile
