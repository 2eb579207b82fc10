"""Hostile and broken inputs on the command line (#15).

Each case in :data:`CLI_CASES` builds a broken input in a scratch folder, runs
``srb-eval`` on it from that folder (relative paths, as a user types them) and checks:
exit code 1 or 2, a message naming what is wrong and where, no traceback, no input
modified and nothing written anywhere. With the folders of ``tests/bad_inputs`` (each
loaded by ``test_io.py``) they make the corpus counted by :func:`test_corpus_size`.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from srb_eval import DataReadError, RenderError
from srb_eval.run.cli import main

from .conftest import MINIMAL, ROOT

BAD = Path(__file__).parent / "bad_inputs"
KEY = "a-test-key-that-is-long-enough\n"

#: name -> a function that builds the case in a scratch folder (the current directory)
#: and returns the arguments, the exit code and the words the message must contain.
CLI_CASES: dict[str, Callable[[Path, pytest.MonkeyPatch], tuple[list[str], int, list[str]]]] = {}


def case(name: str):
    def register(fn):
        assert name not in CLI_CASES, name
        CLI_CASES[name] = fn
        return fn
    return register


def data(here: Path, name: str = "data") -> Path:
    """A copy of the minimal valid dataset."""
    shutil.copytree(MINIMAL, here / name)
    return here / name


def params(here: Path, spec: object, name: str = "run.yaml") -> Path:
    (here / name).write_text(yaml.safe_dump(spec) if not isinstance(spec, str) else spec)
    return here / name


def deny(monkeypatch: pytest.MonkeyPatch, target: Path, method: str) -> None:
    """Make ``Path.<method>`` refuse ``target`` as chmod 000 would (root ignores chmod)."""
    original = getattr(Path, method)

    def refused(self, *a, **k):
        if Path(self).absolute() == target.absolute():
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return original(self, *a, **k)
    monkeypatch.setattr(Path, method, refused)


def rendered(here: Path, manifest: object, name: str = "rendered") -> Path:
    """A folder that looks like a render, with the given manifest."""
    d = here / name
    (d / "tables").mkdir(parents=True)
    (d / "index.html").write_text("<html></html>")
    (d / "manifest.json").write_text(manifest if isinstance(manifest, str)
                                     else json.dumps(manifest))
    return d


def good_report(**over) -> dict:
    return {"name": "00_data_quality", "notebook": "00_data_quality",
            "parameters": {"data_dir": "data"}, "results": {}, **over}


def export(here: Path, text: str = "UPN,primary_need\nA123456789012,ASD\n") -> list[str]:
    (here / "export.csv").write_text(text)
    (here / "secret.key").write_text(KEY)
    return ["export.csv", "--key-file", "secret.key"]


# ------------------------------------------------------------------------------ validate

@case("validate: missing folder")
def _(here, mp):
    return ["validate", "nowhere"], 2, ["nowhere: no such file or folder"]


@case("validate: a CSV file instead of a folder")
def _(here, mp):
    data(here)
    return ["validate", "data/learners.csv"], 2, ["learners.csv: give a folder"]


@case("validate: empty folder")
def _(here, mp):
    (here / "empty").mkdir()
    return ["validate", "empty"], 2, ["empty: no srb-eval tables found"]


@case("validate: folder of other files")
def _(here, mp):
    (here / "d").mkdir()
    (here / "d" / "pupils.csv").write_text("a\n1\n")
    return ["validate", "d"], 2, ["no srb-eval tables found (found pupils.csv)"]


@case("validate: an empty learners.csv")
def _(here, mp):
    (data(here) / "learners.csv").write_text("")
    return ["validate", "data"], 1, ["learners.csv: cannot be read"]


@case("validate: learners.csv is a folder")
def _(here, mp):
    d = data(here)
    (d / "learners.csv").unlink()
    (d / "learners.csv").mkdir()
    return ["validate", "data"], 2, ["learners.csv: is a folder, not a file"]


@case("validate: inclusion.csv is a folder, with other problems")
def _(here, mp):
    d = data(here)
    (d / "inclusion.csv").unlink()
    (d / "inclusion.csv").mkdir()
    (d / "learners.csv").write_text("learner_id\nL01\nL02\nL03\n")
    return ["validate", "data"], 2, ["inclusion.csv: is a folder, not a file",
                                     "learners.csv", "column"]


@case("validate: an unreadable inclusion.csv, with other problems")
def _(here, mp):
    d = data(here)
    deny(mp, d / "inclusion.csv", "read_bytes")
    with open(d / "exclusions.csv", "a") as fh:
        fh.write("L03,2021-03-01,1,fixed-term,extra\n")
    return ["validate", "data"], 2, [
        "inclusion.csv: the file cannot be read (permission denied)",
        "exclusions.csv, row 3: row 3 has 5 fields"]


@case("validate: a file that fails with an I/O error")
def _(here, mp):
    d = data(here)
    original = Path.read_bytes

    def failing(self):
        if Path(self).absolute() == (d / "targets.csv").absolute():
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))
        return original(self)
    mp.setattr(Path, "read_bytes", failing)
    return ["validate", "data"], 2, ["targets.csv: the file cannot be read (Input/output "
                                     "error)"]


@case("validate: a table file that is a link to nothing")
def _(here, mp):
    d = data(here)
    (d / "targets.csv").unlink()
    (d / "targets.csv").symlink_to(here / "gone.csv")
    return ["validate", "data"], 2, ["targets.csv: is a link to a file that does not exist"]


@case("validate: a table file that is a named pipe")
def _(here, mp):
    d = data(here)
    (d / "attendance.csv").unlink(missing_ok=True)
    os.mkfifo(d / "attendance.csv")
    return ["validate", "data"], 2, ["attendance.csv: is not a regular file (a pipe"]


@case("validate: a binary file named .csv")
def _(here, mp):
    (data(here) / "srbs.csv").write_bytes(bytes(range(128, 256)) * 4)
    return ["validate", "data"], 1, ["srbs.csv, row 1: cannot be read: byte 0x81"]


@case("validate: a text file named .xlsx")
def _(here, mp):
    (here / "book.xlsx").write_text("srb_id,name\n")
    return ["validate", "book.xlsx"], 2, ["book.xlsx: cannot be read as an Excel workbook"]


@case("validate: a garbage .parquet file")
def _(here, mp):
    d = data(here)
    (d / "targets.csv").unlink()
    (d / "targets.parquet").write_bytes(b"PAR1 not really")
    return ["validate", "data"], 1, ["targets.parquet: cannot be read"]


@case("validate: a table given twice")
def _(here, mp):
    d = data(here)
    shutil.copy(d / "srbs.csv", d / "SRBs.csv")
    return ["validate", "data"], 1, ["table srbs is given twice"]


@case("validate: a row with more fields than the header")
def _(here, mp):
    d = data(here)
    with open(d / "exclusions.csv", "a") as fh:
        fh.write("L03,2021-03-01,1,fixed-term,extra\n")
    return ["validate", "data"], 1, ["exclusions.csv, row 3: row 3 has 5 fields, the header "
                                     "has 4: a comma too many"]


@case("validate: a workbook over the size limit")
def _(here, mp):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "srbs"
    wb.active.append(["srb_id"] * 50)
    wb.save(here / "book.xlsx")
    mp.setenv("SRB_EVAL_MAX_WORKBOOK_MB", "0.000001")
    return ["validate", "book.xlsx"], 2, ["book.xlsx: its contents inflate", "over the limit"]


@case("validate: an unreadable folder")
def _(here, mp):
    d = data(here)
    deny(mp, d, "iterdir")
    return ["validate", "data"], 2, ["data: the folder cannot be read (permission denied)"]


@case("validate: an unreadable file")
def _(here, mp):
    d = data(here)
    deny(mp, d / "placements.csv", "read_bytes")
    return ["validate", "data"], 2, ["placements.csv: the file cannot be read (permission"]


@case("validate: required columns missing")
def _(here, mp):
    (data(here) / "learners.csv").write_text("learner_id\nL01\nL02\nL03\n")
    return ["validate", "data"], 1, ["learners.csv", "column"]


@case("validate: more subjects than the limit")
def _(here, mp):
    data(here)
    mp.setenv("SRB_EVAL_MAX_SUBJECTS", "1")
    return ["validate", "data"], 1, ["column subject: names 2 different subjects, more than "
                                     "the 1 allowed"]


# -------------------------------------------------------------------------------- render

@case("render: missing parameter file")
def _(here, mp):
    return ["render", "nothing.yaml"], 2, ["nothing.yaml: no such parameter file"]


@case("render: parameter file is a YAML list")
def _(here, mp):
    params(here, [{"notebook": "00_data_quality"}])
    return ["render", "run.yaml"], 2, ["run.yaml: needs a 'reports' list"]


@case("render: parameter file is a folder")
def _(here, mp):
    (here / "run.yaml").mkdir()
    return ["render", "run.yaml"], 2, ["run.yaml: no such parameter file"]


@case("render: parameter file is not YAML")
def _(here, mp):
    params(here, "reports: [\n  - notebook: x\n\tbad")
    return ["render", "run.yaml"], 2, ["run.yaml: not valid YAML"]


@case("render: parameter file is binary")
def _(here, mp):
    (here / "run.yaml").write_bytes(b"\xff\xfe\x00r\x00e\x81\x90")
    return ["render", "run.yaml"], 2, ["run.yaml: not UTF-8 text"]


@case("render: parameter file with a python tag")
def _(here, mp):
    params(here, "reports:\n  - notebook: !!python/object/apply:os.system ['touch pwned']\n")
    return ["render", "run.yaml"], 2, ["run.yaml: not valid YAML", "is not allowed"]


@case("render: empty parameter file")
def _(here, mp):
    params(here, "")
    return ["render", "run.yaml"], 2, ["run.yaml: needs a 'reports' list"]


@case("render: 'parameters' that is a list")
def _(here, mp):
    params(here, {"parameters": [1, 2], "reports": [{"notebook": "00_data_quality"}]})
    return ["render", "run.yaml"], 2, ["run.yaml: 'parameters' must be a mapping"]


@case("render: a report that is not a mapping")
def _(here, mp):
    params(here, {"reports": ["00_data_quality"]})
    return ["render", "run.yaml"], 2, ["reports[1]: needs 'notebook'"]


@case("render: unreadable parameter file")
def _(here, mp):
    p = params(here, {"data_dir": "data", "reports": [{"notebook": "00_data_quality"}]})
    deny(mp, p, "read_text")
    return ["render", "run.yaml"], 2, ["run.yaml: cannot be read (Permission denied)"]


@case("render: unknown top-level key")
def _(here, mp):
    params(here, {"reports": [{"notebook": "00_data_quality"}], "dat_dir": "x"})
    return ["render", "run.yaml"], 2, ["unknown top-level key(s) ['dat_dir']"]


@case("render: unknown notebook")
def _(here, mp):
    params(here, {"data_dir": str(data(here)), "reports": [{"notebook": "99_nothing"}]})
    return ["render", "run.yaml"], 2, ["reports[1]: notebook 99_nothing not found"]


@case("render: notebook path leaving the project")
def _(here, mp):
    params(here, {"data_dir": str(data(here)),
                  "reports": [{"notebook": "../../../etc/passwd"}]})
    return ["render", "run.yaml"], 2, ["reports[1]: notebook ../../../etc/passwd"]


@case("render: data_dir that is a number")
def _(here, mp):
    params(here, {"data_dir": 5, "reports": [{"notebook": "00_data_quality"}]})
    return ["render", "run.yaml"], 2, ["'data_dir' must be text"]


@case("render: data_dir that does not exist")
def _(here, mp):
    params(here, {"data_dir": str(here / "gone"), "reports": [{"notebook": "00_data_quality"}]})
    return ["render", "run.yaml"], 2, ["data_dir", "gone does not exist"]


@case("render: an unreadable data folder")
def _(here, mp):
    d = data(here)
    params(here, {"data_dir": str(d), "reports": [{"notebook": "00_data_quality"}]})
    scandir = os.scandir

    def refused(path="."):
        if Path(path) == d:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)
    mp.setattr(os, "scandir", refused)
    return ["render", "run.yaml", "--out", "out"], 2, [
        "data: the folder cannot be read (permission denied)"]


@case("render: unknown parameter")
def _(here, mp):
    params(here, {"data_dir": str(data(here)), "reports": [
        {"notebook": "00_data_quality", "parameters": {"min_nn": 5}}]})
    return ["render", "run.yaml"], 2, ["unknown parameter 'min_nn'"]


@case("render: parameter of the wrong type")
def _(here, mp):
    params(here, {"data_dir": str(data(here)), "reports": [
        {"notebook": "00_data_quality", "parameters": {"audience": 3}}]})
    return ["render", "run.yaml"], 2, ["reports[1] (00_data_quality)", "audience"]


@case("render: --out is the data folder")
def _(here, mp):
    d = data(here)
    params(here, {"data_dir": str(d), "reports": [{"notebook": "00_data_quality"}]})
    return ["render", "run.yaml", "--out", "data"], 2, ["holds inputs"]


@case("render: --out holds someone's files")
def _(here, mp):
    params(here, {"data_dir": str(data(here)), "reports": [{"notebook": "00_data_quality"}]})
    (here / "mine").mkdir()
    (here / "mine" / "notes.txt").write_text("keep")
    return ["render", "run.yaml", "--out", "mine"], 2, ["render did not write (notes.txt)"]


@case("render: --jobs 0")
def _(here, mp):
    params(here, {"data_dir": str(data(here)), "reports": [{"notebook": "00_data_quality"}]})
    return ["render", "run.yaml", "--jobs", "0", "--out", "out"], 2, [
        "jobs: must be at least 1"]


# ----------------------------------------------------------------------------- reproduce

@case("reproduce: missing folder")
def _(here, mp):
    return ["reproduce", "nowhere"], 2, ["nowhere: no such folder"]


@case("reproduce: folder without manifest")
def _(here, mp):
    (here / "r").mkdir()
    return ["reproduce", "r"], 2, ["r: no manifest.json"]


@case("reproduce: manifest.json that is an array")
def _(here, mp):
    rendered(here, [good_report()])
    return ["reproduce", "rendered"], 2, ["manifest.json: has no list of reports"]


@case("reproduce: manifest.json with no reports")
def _(here, mp):
    rendered(here, {"reports": []})
    return ["reproduce", "rendered"], 2, ["manifest.json: has no list of reports"]


@case("reproduce: manifest.json that is not JSON")
def _(here, mp):
    rendered(here, "{not json")
    return ["reproduce", "rendered"], 2, ["manifest.json: not readable JSON"]


@case("reproduce: manifest.json that is a folder")
def _(here, mp):
    d = here / "rendered"
    (d / "manifest.json").mkdir(parents=True)
    return ["reproduce", "rendered"], 2, ["rendered: no manifest.json"]


@case("reproduce: a planted notebook")
def _(here, mp):
    (here / "evil.ipynb").write_text("{}")
    rendered(here, {"reports": [good_report(notebook=str(here / "evil"))]})
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "is not one of the project's notebooks", "not run"]


@case("reproduce: a report name leaving the folder")
def _(here, mp):
    rendered(here, {"reports": [good_report(name="../../victim")]})
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "report name '../../victim' is not a plain file name"]


@case("reproduce: a table name leaving the folder, linked outside")
def _(here, mp):
    (here / "secret.txt").write_text("outside")
    d = rendered(here, {"reports": [good_report(
        name="../x", results={"t": "0" * 64})]})
    (d / "tables" / "00_data_quality").mkdir()
    (d / "tables" / "00_data_quality" / "t.csv").symlink_to(here / "secret.txt")
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "tables/../x/t.csv: not a file name render writes"]


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def linked(here: Path, **report) -> Path:
    """A rendered folder whose one report (not run: its notebook is not the project's)
    recorded table ``t`` with the hash of the file ``outside/t.csv`` beside the folder, so
    that a check following a link would find the table unchanged."""
    (here / "outside").mkdir()
    (here / "outside" / "t.csv").write_text("n\n5\n")
    return rendered(here, {"reports": [good_report(
        notebook="not_ours", results={"t": _sha("n\n5\n")}, **report)]})


@case("reproduce: a safe-named table that links outside")
def _(here, mp):
    d = linked(here)
    (d / "tables" / "00_data_quality").mkdir()
    (d / "tables" / "00_data_quality" / "t.csv").symlink_to(here / "outside" / "t.csv")
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "tables/00_data_quality/t.csv: REFUSED: tables/00_data_quality/t.csv is a link "
        "pointing outside the folder", "not followed, read or written through"]


@case("reproduce: a report's table folder that links outside")
def _(here, mp):
    d = linked(here)
    (d / "tables" / "00_data_quality").symlink_to(here / "outside")
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "tables/00_data_quality/t.csv: REFUSED: tables/00_data_quality is a link pointing "
        "outside the folder"]


@case("reproduce: the tables folder links outside")
def _(here, mp):
    d = linked(here)
    (d / "tables").rmdir()
    (here / "outside" / "00_data_quality").mkdir()
    (here / "outside" / "00_data_quality" / "t.csv").write_text("n\n5\n")
    (d / "tables").symlink_to(here / "outside")
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "REFUSED: tables is a link pointing outside the folder"]


@case("reproduce: a report HTML copy that links outside")
def _(here, mp):
    d = linked(here, file_sha256={"00_data_quality.html": _sha("n\n5\n")})
    (d / "00_data_quality.html").symlink_to(here / "outside" / "t.csv")
    return ["reproduce", "rendered", "--out", "again"], 1, [
        "00_data_quality.html: REFUSED: 00_data_quality.html is a link pointing outside"]


@case("reproduce: manifest.json links outside")
def _(here, mp):
    (here / "elsewhere.json").write_text(json.dumps({"reports": [good_report()]}))
    d = here / "rendered"
    d.mkdir()
    (d / "manifest.json").symlink_to(here / "elsewhere.json")
    return ["reproduce", "rendered"], 2, [
        "manifest.json is a link pointing outside the folder", "not followed or read"]


@case("audit: a record folder that links outside")
def _(here, mp):
    (here / "outside").mkdir()
    (here / "outside" / "t.disclosure.json").write_text("{}")
    d = rendered(here, {"reports": [good_report()]})
    (d / "tables" / "r").symlink_to(here / "outside")
    return ["audit", "rendered"], 2, ["tables/r is a link pointing outside the folder"]


@case("reproduce: --out inside the folder")
def _(here, mp):
    rendered(here, {"reports": [good_report()]})
    return ["reproduce", "rendered", "--out", "rendered/again"], 2, [
        "must not be (inside) the folder being reproduced"]


# --------------------------------------------------------------------------------- audit

@case("audit: missing folder")
def _(here, mp):
    return ["audit", "nowhere"], 2, ["nowhere"]


# -------------------------------------------------------------------------- pseudonymise

@case("pseudonymise: output is an existing folder")
def _(here, mp):
    (here / "outdir").mkdir()
    return ["pseudonymise", *export(here)[:1], "outdir", *export(here)[1:],
            "--overwrite"], 2, ["outdir: is a folder"]


@case("pseudonymise: output is a link to nowhere")
def _(here, mp):
    (here / "out.csv").symlink_to(here / "victim.txt")  # (victim.txt must not appear)
    return ["pseudonymise", "export.csv", "out.csv", *export(here)[1:]], 2, [
        "out.csv: is a symbolic link", "never through a link"]


@case("pseudonymise: output in a missing folder")
def _(here, mp):
    return ["pseudonymise", "export.csv", "no/learners.csv", *export(here)[1:]], 2, [
        "no/learners.csv: must be a file in an existing folder (there is no folder"]


@case("pseudonymise: output is the input")
def _(here, mp):
    return ["pseudonymise", "export.csv", "export.csv", *export(here)[1:]], 2, [
        "three different files"]


@case("pseudonymise: output is the key")
def _(here, mp):
    return ["pseudonymise", "export.csv", "secret.key", *export(here)[1:]], 2, [
        "three different files"]


@case("pseudonymise: missing input")
def _(here, mp):
    export(here)
    return ["pseudonymise", "gone.csv", "out.csv", "--key-file", "secret.key"], 2, [
        "gone.csv: no such file"]


@case("pseudonymise: input is a folder")
def _(here, mp):
    export(here)
    (here / "dir.csv").mkdir()
    return ["pseudonymise", "dir.csv", "out.csv", "--key-file", "secret.key"], 2, [
        "dir.csv: is a folder, not a CSV file"]


@case("pseudonymise: missing key file")
def _(here, mp):
    export(here)
    return ["pseudonymise", "export.csv", "out.csv", "--key-file", "none.key"], 2, [
        "none.key not found"]


@case("pseudonymise: short key")
def _(here, mp):
    export(here)
    (here / "secret.key").write_text("abc")
    return ["pseudonymise", "export.csv", "out.csv", "--key-file", "secret.key"], 2, [
        "the key must be at least 16 bytes"]


@case("pseudonymise: blank pupil numbers")
def _(here, mp):
    args = export(here, "UPN,need\nA123456789012,ASD\n,SLD\n")
    return ["pseudonymise", args[0], "out.csv", *args[1:]], 2, [
        "column upn: 1 blank value(s) (rows 3)"]


@case("pseudonymise: no such column")
def _(here, mp):
    args = export(here, "pupil,need\nA123456789012,ASD\n")
    return ["pseudonymise", args[0], "out.csv", *args[1:]], 2, ["no column 'upn'"]


@case("pseudonymise: binary input")
def _(here, mp):
    args = export(here)
    (here / "export.csv").write_bytes(b"UPN\n\x81\x8d\x8f\x90\x9d\n")
    return ["pseudonymise", args[0], "out.csv", *args[1:]], 2, [
        "export.csv: not UTF-8 or Windows-1252 text"]


@case("pseudonymise: output exists")
def _(here, mp):
    args = export(here)
    (here / "out.csv").write_text("someone's file")
    return ["pseudonymise", args[0], "out.csv", *args[1:]], 2, ["out.csv: already exists"]


# ---------------------------------------------------------------------------------- demo

@case("demo: a folder that holds files")
def _(here, mp):
    data(here)
    return ["demo", "--out", "data", "--learners", "10", "--years", "1"], 2, [
        "not an empty folder"]


@case("demo: --out is a file")
def _(here, mp):
    (here / "afile").write_text("mine")
    return ["demo", "--out", "afile", "--learners", "10", "--years", "1", "--force"], 2, [
        "afile: is a file, not a folder"]


def _tree(folder: Path) -> dict[str, object]:
    """Every file (its bytes), folder and link under ``folder``; read with os.listdir and
    open, which no case replaces."""
    out: dict[str, object] = {}
    for n in sorted(os.listdir(folder)):
        p = os.path.join(folder, n)
        if os.path.islink(p):
            out[n] = f"-> {os.readlink(p)}"
        elif os.path.isdir(p):
            out[n] = "dir"
            out.update({f"{n}/{k}": v for k, v in _tree(Path(p)).items()})
        elif not os.path.isfile(p):
            out[n] = "not a regular file"  # a pipe: opening it would wait for a writer
        else:
            with open(p, "rb") as fh:
                out[n] = fh.read()
    return out


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_hostile_cli_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture):
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    rendered_before = _tree(ROOT / "rendered") if (ROOT / "rendered").is_dir() else {}
    argv, code, words = CLI_CASES[name](here, monkeypatch)
    before = _tree(tmp_path)
    rc = main(argv)
    monkeypatch.undo()
    out, err = capsys.readouterr()
    message = out + err
    assert (rc, code) == (code, rc), message
    assert rc in (1, 2)
    for word in words:
        assert word in message, (word, message)
    assert "Traceback" not in message
    assert _tree(tmp_path) == before, "an input was modified or a file written"
    assert not (here / "pwned").exists()
    now = _tree(ROOT / "rendered") if (ROOT / "rendered").is_dir() else {}
    assert now == rendered_before, "the project's rendered/ folder was touched"


# ------------------------------------------------------------------------ the corpus size

def corpus() -> list[str]:
    """Every hostile or broken input of the test suite: the folders of tests/bad_inputs
    (each loaded by ``test_io.test_bad_input_reports_exact_problems``) and the command
    line cases above."""
    folders = sorted(f"bad_inputs/{p.name}" for p in BAD.iterdir() if p.is_dir())
    return folders + [f"cli: {name}" for name in CLI_CASES]


def test_corpus_size():
    cases = corpus()
    print(f"\n{len(cases)} hostile or broken inputs:\n" + "\n".join(f"  {c}" for c in cases))
    assert len(cases) == len(set(cases))
    assert len(cases) >= 60, len(cases)  # the bar (#15)
    assert len(cases) >= 89, "a case of the corpus was lost"  # the corpus as it stands


# ------------------------------------------------------------------------- unreadable paths

def _chmod_works(path: Path) -> bool:
    """Whether chmod 000 really stops this process reading ``path`` (not as root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return False
    return not os.access(path, os.R_OK)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_chmod_000_gives_a_read_error_not_a_traceback(tmp_path: Path, capsys, what: str):
    d = data(tmp_path)
    target = d if what == "folder" else d / "learners.csv"
    target.chmod(0)
    try:
        if not _chmod_works(target):
            pytest.skip("chmod does not stop this user reading (root)")
        assert main(["validate", str(d)]) == 2
        shown = "".join(capsys.readouterr())  # a file is listed with the other problems
        where = target if what == "folder" else target.name
        assert f"{where}: the {what} cannot be read (permission denied)" in shown
        p = params(tmp_path, {"data_dir": str(d), "reports": [{"notebook": "00_data_quality"}]})
        assert main(["render", str(p), "--out", str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err
        assert "cannot be read (permission denied)" in err and "Traceback" not in err
        assert not (tmp_path / "out").exists()
    finally:
        target.chmod(0o755 if what == "folder" else 0o644)


def test_unreadable_parameter_file_by_chmod(tmp_path: Path, capsys):
    p = params(tmp_path, {"reports": [{"notebook": "00_data_quality"}]})
    p.chmod(0)
    try:
        if not _chmod_works(p):
            pytest.skip("chmod does not stop this user reading (root)")
        assert main(["render", str(p)]) == 2
        assert "run.yaml: cannot be read (Permission denied)" in capsys.readouterr().err
    finally:
        p.chmod(0o644)


# ------------------------------------------------------------------ pseudonymise free text

def test_pseudonymise_drops_name_and_free_text_columns_and_says_so(tmp_path: Path, capsys):
    src = tmp_path / "export.csv"
    src.write_text("UPN,Child Name,Notes,Teacher Comments,Remarks,primary_need,exit_reason\n"
                   "A123456789012,Alys Jones,lives with gran,shy,,ASD,moved\n")
    before = src.read_bytes()
    (tmp_path / "k.key").write_text(KEY)
    out = tmp_path / "learners.csv"
    assert main(["pseudonymise", str(src), str(out), "--key-file",
                 str(tmp_path / "k.key")]) == 0
    printed = capsys.readouterr().out
    assert ("dropped 4 identifying or free-text column(s): child_name, notes, "
            "teacher_comments, remarks") in printed
    header = out.read_text().splitlines()[0]
    assert header == "learner_id,primary_need,exit_reason"
    assert "gran" not in out.read_text() and src.read_bytes() == before



def test_pseudonymise_writes_no_cell_a_spreadsheet_would_run(tmp_path: Path, capsys):
    src = tmp_path / "export.csv"
    src.write_text("UPN,primary_need,exit_reason\n"
                   'A123456789012,ASD,"=HYPERLINK(""http://x"",""y"")"\n'
                   "B123456789012,-1,@SUM(1)\n")
    (tmp_path / "k.key").write_text(KEY)
    out = tmp_path / "learners.csv"
    assert main(["pseudonymise", str(src), str(out), "--key-file",
                 str(tmp_path / "k.key")]) == 0
    import pandas as pd

    t = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert t["exit_reason"].tolist() == ["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)"]
    assert t["primary_need"].tolist() == ["ASD", "-1"]  # a number is left as it is



def test_pseudonymise_neutralises_a_formula_header_and_refuses_ambiguous_columns(
        tmp_path: Path, capsys):
    """Outside attack: a header "=HYPERLINK(...)" reached the output as it was; a
    learner_id column already there, or "UPN" beside "Upn", ended in tracebacks."""
    import pandas as pd

    (tmp_path / "k.key").write_text(KEY)
    key = ["--key-file", str(tmp_path / "k.key")]
    src = tmp_path / "export.csv"
    src.write_text('UPN,"=HYPERLINK(""http://evil"",""x"")",sex\nA123456789012,1,F\n')
    out = tmp_path / "learners.csv"
    assert main(["pseudonymise", str(src), str(out), *key]) == 0
    assert list(pd.read_csv(out, dtype=str).columns)[1].startswith("'=")
    for header, message in (("UPN,learner_id,sex", "already has a learner_id column"),
                            ("UPN,sex,Learner ID", "already has a learner_id column"),
                            ("UPN,Upn,sex", "names 'upn' more than once")):
        bad = tmp_path / "bad.csv"
        bad.write_text(header + "\nA123456789012,A123456789012,F\n")
        capsys.readouterr()
        assert main(["pseudonymise", str(bad), str(tmp_path / "o.csv"), *key]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
        assert not (tmp_path / "o.csv").exists()

# ---------------------------------------------------------------- paths on the command line

def test_command_line_paths_are_relative_to_the_current_directory(tmp_path: Path):
    """Run as a user would, from a folder of their own: each relative path means a path
    in that folder, never one in the project folder."""
    data(tmp_path)
    params(tmp_path, {"data_dir": "tests/data/minimal",  # a parameter file: project-relative
                      "reports": [{"notebook": "00_data_quality"}]})
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    exe = [sys.executable, "-m", "srb_eval.run.cli"]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*exe, *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)

    r = run("validate", "data")
    assert r.returncode == 0 and f"{tmp_path / 'data'}: valid" in r.stdout, r.stderr
    # --out mine is this folder's mine/ (holding someone's notes), not <project>/mine
    r = run("render", "run.yaml", "--out", "mine", "--quiet")
    assert r.returncode == 2 and f"{tmp_path / 'mine'}" in r.stderr, r.stderr
    assert "render did not write (notes.txt)" in r.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"
    assert not (ROOT / "mine").exists()
    r = run("reproduce", "mine")
    assert r.returncode == 2 and f"{tmp_path / 'mine'}: no manifest.json" in r.stderr


def test_a_parameter_files_data_dir_stays_relative_to_the_project(tmp_path: Path,
                                                                   monkeypatch):
    from srb_eval.run.parameters import plan

    monkeypatch.chdir(tmp_path)
    (job,) = plan({"data_dir": "tests/data/minimal",
                   "reports": [{"notebook": "00_data_quality"}]})
    assert job.parameters["data_dir"] == "tests/data/minimal"


# --------------------------------------------------------------------------------- full disk

def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    import srb_eval.run.render as render_module

    write = render_module.atomic_write_text

    def no_space(path: Path, text: str) -> None:
        if path.name in ("manifest.json", "index.html"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write(path, text)
    monkeypatch.setattr(render_module, "atomic_write_text", no_space)


def test_a_full_disk_keeps_the_previous_output_and_leaves_no_staging(tmp_path: Path,
                                                                   monkeypatch):
    from srb_eval.run.render import execute

    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"reports": [], "previous": "good render"}')
    _full_disk(monkeypatch)
    with pytest.raises(RenderError, match="No space left on device") as err:
        execute([], out, n_workers=1, progress=False)
    assert "was left as it was" in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]
    assert (out / "manifest.json").read_text() == '{"reports": [], "previous": "good render"}'


@pytest.mark.slow
def test_a_full_disk_during_render_is_a_message(tmp_path: Path, monkeypatch, capsys):
    from .test_render import _notebook

    nb = _notebook(tmp_path / "tiny.ipynb", "x = 1", "y = x + 1")
    p = params(tmp_path, {"reports": [{"notebook": str(nb)}]})
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"reports": [], "previous": "good render"}')
    _full_disk(monkeypatch)
    assert main(["render", str(p), "--out", str(out), "--quiet", "--jobs", "1",
                 "--own-notebooks"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "run.yaml", "tiny.ipynb"]
    assert (out / "manifest.json").read_text() == '{"reports": [], "previous": "good render"}'


def test_a_link_in_a_rendered_folder_is_never_opened(tmp_path: Path, monkeypatch):
    """The file a link points to is not hashed, read or compared; a link inside the
    folder is refused too (render writes none)."""
    import srb_eval.run.reproduce as rep

    d = linked(tmp_path, file_sha256={"index.html": _sha("<html></html>")})
    (d / "tables" / "00_data_quality").mkdir()
    (d / "tables" / "00_data_quality" / "t.csv").symlink_to(tmp_path / "outside" / "t.csv")
    (d / "copy.html").symlink_to(d / "index.html")
    manifest = json.loads((d / "manifest.json").read_text())
    manifest["reports"][0]["file_sha256"]["copy.html"] = _sha("<html></html>")
    opened = []
    sha = rep.sha256_file
    monkeypatch.setattr(rep, "sha256_file", lambda p: opened.append(Path(p)) or sha(p))
    changed = rep.changed_files(d, manifest)
    assert changed == [
        "copy.html: REFUSED: copy.html is a link (to "
        f"{d / 'index.html'}); render writes no links, so it is not followed, read or "
        "written through",
        "tables/00_data_quality/t.csv: REFUSED: tables/00_data_quality/t.csv is a link "
        f"pointing outside the folder (to {tmp_path / 'outside' / 't.csv'}); render writes "
        "no links, so it is not followed, read or written through"], changed
    assert opened == [d / "index.html"]  # the one plain file


def test_unreadable_data_gives_data_read_error_from_the_api(tmp_path: Path, monkeypatch):
    from srb_eval import UnreadableDataError, load_dataset

    d = data(tmp_path)
    deny(monkeypatch, d / "srbs.csv", "read_bytes")
    (d / "learners.csv").write_text("learner_id\nL01\nL02\nL03\n")
    with pytest.raises(DataReadError, match="srbs.csv: the file cannot be read") as err:
        load_dataset(d)
    assert isinstance(err.value, UnreadableDataError) and err.value.exit_code == 2
    # listed with every problem of the files that could be read, which were all checked
    files = {p.file for p in err.value.problems}
    assert {"srbs.csv", "learners.csv"} <= files, files
    (unread,) = [p for p in err.value.problems if p.unreadable]
    assert unread.file == "srbs.csv" and "permission denied" in unread.rule


def test_an_unreadable_file_in_a_workbook_folder_is_listed(tmp_path: Path, monkeypatch):
    """A workbook in a folder that cannot be opened is one problem; the CSV files beside
    it are still read and checked."""
    from srb_eval import UnreadableDataError, load_dataset

    d = data(tmp_path)
    (d / "extra.xlsx").write_text("not a workbook")
    with pytest.raises(UnreadableDataError) as err:
        load_dataset(d)
    (p,) = err.value.problems
    assert p.file == "extra.xlsx" and p.rule.startswith("cannot be read as an Excel workbook")


def test_a_name_with_dollar_signs_is_drawn_as_written():
    """An SRB named "Ysgol $\\alert{x}$" failed the capacity and Estyn reports
    ("Unknown symbol: \\alert"): matplotlib read it as a formula. A report's figures draw
    text as written, and the text alternative says it as written too."""
    import matplotlib
    import pandas as pd

    from srb_eval.report import notebook
    from srb_eval.report.plots import inclusion as IP
    from srb_eval.report.plots.describe import describe_figure

    with matplotlib.rc_context():
        notebook.setup()
        name = "Ysgol $\\alert{x}$ & $x^2$"
        subjects = pd.DataFrame({"srb_id": [name], "subject": ["English"],
                                 "learners_timetabled": [12], "mainstream_share": [0.5]})
        fig = IP.subject_heatmap(subjects, min_n=10)
        fig.canvas.draw()  # would raise ValueError: Unknown symbol
        assert name in describe_figure(fig)


def test_a_parameter_file_with_aliases_is_refused_before_it_expands(tmp_path: Path):
    """Seven levels of nine aliases ("billion laughs") took a render past 6.8 GB."""
    from srb_eval import ParameterError
    from srb_eval.run.parameters import load_parameter_file

    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines += ["title: t", "data_dir: data/demo",
              "reports: [{notebook: 00_data_quality, parameters: {note: *g}}]"]
    p = tmp_path / "laughs.yaml"
    p.write_text("\n".join(lines))
    with pytest.raises(ParameterError, match=r"alias \*a is not allowed"):
        load_parameter_file(p)
    assert main(["render", str(p), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_a_parameter_file_with_a_number_python_cannot_read_is_refused(tmp_path: Path):
    """A parameter of 5,000 digits ended in PyYAML's traceback (Python reads at most
    4,300 digits of an integer)."""
    p = tmp_path / "big.yaml"
    p.write_text("title: t\ndata_dir: data/demo\nreports:\n  - notebook: 00_data_quality\n"
                 "    parameters: {x: " + "9" * 5000 + "}\n")
    assert main(["render", str(p), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("body, message", [
    ("title: t\ndata_dir: data/demo\ndata_dir: data/other\nreports:\n"
     "  - notebook: 00_data_quality\n", "'data_dir' is written twice"),
    ("title: t\ndata_dir: data/demo\nreports:\n  - notebook: 00_data_quality\n"
     "    parameters: {audience: published, audience: internal}\n",
     "'audience' is written twice"),
    ('title: "x\\ud800"\ndata_dir: data/demo\nreports:\n  - notebook: 00_data_quality\n',
     "lone surrogate"),
])
def test_a_parameter_file_with_a_repeated_key_or_a_lone_surrogate_is_refused(
        tmp_path: Path, capsys, body: str, message: str):
    """Outside attack: a key written twice rendered with the last value silently (an
    internal report where the first line said published); a lone surrogate ended in a
    traceback after the reports had run."""
    p = tmp_path / "p.yaml"
    p.write_text(body, encoding="utf-8")
    assert main(["render", str(p), "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_date_the_tool_cannot_hold_is_a_problem_not_a_traceback(tmp_path: Path, capsys):
    """"9999-12-31" (an export's open end), "0001-01-01" or a month "9999-12" stopped
    validate with pandas' OutOfBoundsDatetime and no other problem listed."""
    import datetime as dt

    import pandas as pd

    from srb_eval.data.cells import read_dates, read_months

    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    for name, column, values in (("placements.csv", "start_date", ["9999-12-31"]),
                                 ("placements.csv", "end_date", ["0001-01-01"]),
                                 ("learners.csv", "birth_month", ["9999-12"])):
        t = pd.read_csv(d / name, dtype=str, keep_default_na=False)
        t.loc[0, column] = values[0]
        t.to_csv(d / name, index=False)
    assert main(["validate", str(d)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text and "OutOfBounds" not in text
    assert "row 2, column start_date (value '9999-12-31'): is a date before" in text
    assert "column end_date (value '0001-01-01'): is a date before" in text
    assert "column birth_month (value '9999-12'): is not a month" in text
    # a workbook's date cells too
    cells = pd.Series([dt.datetime(9999, 12, 31), dt.datetime(2025, 1, 2), "2025-01-03"],
                      dtype=object)
    dates, bad = read_dates(cells)
    assert bad.tolist() == [True, False, False]
    assert dates.dtype == "datetime64[ns]" and dates[1] == pd.Timestamp("2025-01-02")
    months, bad, _ = read_months(pd.Series([dt.datetime(9999, 12, 1), "2020-05"],
                                           dtype=object))
    assert months.dtype == "datetime64[ns]" and months[1] == pd.Timestamp("2020-05-01")
    assert bad.tolist() == [True, False]


def test_old_mac_line_ends_and_a_comma_too_many_in_the_first_row(tmp_path: Path, capsys):
    """A file saved as Excel's "CSV (Macintosh)" (\\r alone ends a line) stopped validate
    with a csv module traceback; one field too many in the first data row (a trailing
    comma on every row) made pandas read the first column as row labels and shift every
    value left, giving hundreds of wrong problems, and pseudonymise hashed the wrong
    column without a word."""
    cr, extra = tmp_path / "cr", tmp_path / "extra"
    for d in (cr, extra):
        shutil.copytree(MINIMAL, d)
    p = cr / "placements.csv"
    p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    assert main(["validate", str(cr)]) == 0
    p = extra / "placements.csv"
    lines = p.read_text().splitlines()
    p.write_text("\n".join([lines[0], *(f"{line}," for line in lines[1:])]) + "\n")
    capsys.readouterr()
    assert main(["validate", str(extra)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n  - ") == 1, out
    assert "placements.csv, row 2: row 2 has 9 fields, the header has 8" in out
    export = tmp_path / "export.csv"
    export.write_text("upn,birth_month,sex\nA123456789012,2015-04,M,extra\n"
                      "B123456789012,2014-05,F,extra\n")
    key = tmp_path / "key"
    key.write_bytes(os.urandom(32))
    assert main(["pseudonymise", str(export), str(tmp_path / "out.csv"), "--key-file",
                 str(key)]) == 2
    err = capsys.readouterr().err
    assert "row 2 has 4 fields, the header has 3" in err, err
    assert not (tmp_path / "out.csv").exists()


def test_a_name_cannot_become_a_heading_or_a_link(tmp_path: Path, capsys):
    """An SRB name holding "\\n\\n# NOTICE: this report is void" put a heading of its own
    into the published HTML and Word copies, and an address in a name became a live
    link. A line break in a name or code is a problem; an address stays text."""
    import pandas as pd
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from srb_eval.report.notebook import inert

    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    srbs = pd.read_csv(d / "srbs.csv", dtype=str, keep_default_na=False)
    srbs.loc[0, "name"] = "Ysgol Tywod\n\n# NOTICE: this report is void"
    srbs.loc[1, "local_authority"] = "Tab\there"
    srbs.to_csv(d / "srbs.csv", index=False)
    assert main(["validate", str(d)]) == 1
    out = capsys.readouterr().out
    assert "srbs.csv, row 2, column name" in out and "line break" in out
    assert "srbs.csv, row 3, column local_authority" in out
    html = markdown2html_mistune(inert("In Ysgol https://evil.example/login, most learners"))
    assert "<a" not in html and "https://evil.example/login" in html


def test_a_reliability_of_1_is_a_problem_not_progress_silently_dropped(tmp_path: Path,
                                                                       capsys):
    """Reliability 1 passed validate, and the Reliable Change Index (which needs r < 1)
    then left every standard-score result out of the progress bands, the report saying
    the reliability was missing."""
    import pandas as pd

    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    t = pd.read_csv(d / "instruments.csv", dtype=str, keep_default_na=False)
    t.loc[t["scale"] == "standard_score", "reliability"] = "1"
    t.to_csv(d / "instruments.csv", index=False)
    assert main(["validate", str(d)]) == 1
    assert "column reliability (value '1'): must be less than 1" in capsys.readouterr().out


def test_a_file_mixing_utf8_and_windows_1252_is_refused_not_garbled(tmp_path: Path,
                                                                    capsys):
    """A UTF-8 srbs.csv with one Windows-1252 row appended ("Café") was read whole as
    Windows-1252: "Ysgol Tŷ Wŷdd" became "Ysgol TÅ· WÅ·dd" and validate said valid."""
    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    p = d / "srbs.csv"
    lines = p.read_bytes().decode("utf-8").splitlines()
    head, first, second = lines[0], lines[1].split(","), lines[2].split(",")
    name = head.split(",").index("name")
    first[name], second[name] = "Ysgol Tŷ Wŷdd", "Café"
    p.write_bytes("\n".join([head, ",".join(first)]).encode("utf-8") + b"\n"
                  + ",".join(second).encode("cp1252") + b"\n")
    assert main(["validate", str(d)]) in (1, 2)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "srbs.csv" in text and "mixes UTF-8 text with another encoding (line 3" in text
    # Windows-1252 alone is still read
    p.write_bytes("\n".join([head, ",".join(first).replace("Ysgol Tŷ Wŷdd", "Ysgol Wen"),
                             ",".join(second)]).encode("cp1252") + b"\n")
    assert main(["validate", str(d)]) == 0


def test_a_learner_placed_in_two_srbs_at_once_is_a_problem(tmp_path: Path, capsys):
    """A second open placement for a learner still open at another SRB passed validate,
    and the census counted 94 learners on roll instead of 93."""
    import pandas as pd

    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    t = pd.read_csv(d / "placements.csv", dtype=str, keep_default_na=False)
    first = t.iloc[0].copy()
    other = sorted(set(t["srb_id"]) - {first["srb_id"]})[0]
    later = f"{pd.Timestamp(first['start_date']) + pd.Timedelta(days=30):%Y-%m-%d}"
    t = pd.concat([t, first.to_frame().T.assign(srb_id=other, start_date=later,
                                                end_date="")], ignore_index=True)
    t.loc[0, "end_date"] = ""  # the first still open
    t.to_csv(d / "placements.csv", index=False)
    assert main(["validate", str(d)]) == 1
    out = capsys.readouterr().out
    assert f"row {len(t) + 1}, column start_date" in out and "has not ended" in out, out


def test_a_manifest_naming_the_root_as_its_data_is_not_walked(tmp_path: Path):
    """A received manifest with ``datasets: {"/": ...}`` made reproduce walk and hash
    every file on the machine. The files of a dataset are the table files the loader
    reads, directly in the folder; nothing below it is opened."""
    from srb_eval.run.render import dataset_files

    d = tmp_path / "data"
    shutil.copytree(MINIMAL, d)
    (d / "deep" / "deeper").mkdir(parents=True)
    (d / "deep" / "deeper" / "learners.csv").write_text("x")
    (d / "notes.txt").write_text("not a table")
    names = [p.name for p in dataset_files(d)]
    assert "notes.txt" not in names and "README.md" not in names and "deeper" not in str(
        dataset_files(d))
    assert "learners.csv" in names and len(names) == len(
        [p for p in MINIMAL.iterdir() if p.suffix == ".csv"])
    assert dataset_files("/") == []


def _demo_copy(tmp_path: Path) -> Path:
    """A copy of the demo data to break, in ``tmp_path/data``."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "demo", d)
    return d


def _set_cells(folder: Path, file: str, cells: dict[tuple[int, str], str]):
    """Write ``cells`` ({(row position, column): text}) into a CSV table of ``folder``,
    every other cell as written; returns the table as read (before the edits)."""
    import pandas as pd

    t = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
    before = t.copy()
    for (row, column), value in cells.items():
        t.loc[row, column] = value
    t.to_csv(folder / file, index=False)
    return before


def test_validate_refuses_a_mistyped_price_index_and_a_noncharacter_and_says_little_else(
        tmp_path: Path, capsys):
    """Outside attack: a price index of 1e-300 beside 100 passed and overflowed the
    value-for-money report; U+FFFF in an SRB's name passed and broke the published
    page; a missing column also gave a garbled "KeyError" problem."""
    import pandas as pd

    d = _demo_copy(tmp_path)
    _set_cells(d, "deflators.csv", {(0, "price_index"): "1e-300"})
    _set_cells(d, "srbs.csv", {(0, "name"): "Ysgol\uffffTywod"})
    s = pd.read_csv(d / "srbs.csv", dtype=str, keep_default_na=False)
    s.drop(columns=["age_from"]).to_csv(d / "srbs.csv", index=False)
    assert main(["validate", str(d)]) == 1
    out = capsys.readouterr().out
    assert "deflators.csv, row 2, column price_index (value '1e-300'): price_index must " \
           "lie within a hundredfold" in out
    assert "row 3, column price_index" not in out and "row 4, column price_index" not in out
    assert "srbs.csv, row 2, column name" in out and "U+FFFF" in out
    assert "srbs.csv, column age_from: required column is missing" in out
    assert "KeyError" not in out and "column Srbs" not in out


def test_a_scenario_with_no_places_to_price_names_the_parameter_to_give(tmp_path: Path):
    """Outside attack: every SRB with capacity 0 passed validation and the
    value-for-money report stopped with ZeroDivisionError."""
    import pandas as pd

    from srb_eval import ParameterError, load_dataset
    from srb_eval.measures import value_for_money as V

    d = _demo_copy(tmp_path)
    s = pd.read_csv(d / "srbs.csv", dtype=str, keep_default_na=False)
    _set_cells(d, "srbs.csv", {(i, "capacity"): "0" for i in range(len(s))})
    ds = load_dataset(d)
    year = str(ds.srb_costs["financial_year"].max())
    with pytest.raises(ParameterError, match="unfilled_place_cost: must be given in pounds, "
                                             "since the SRBs have no places"):
        V.scenario(ds, year)
    sc = V.scenario(ds, year, unfilled_place_cost=5000.0, new_place_cost=20000.0)
    assert sc["pounds"].notna().all()


def test_validate_refuses_impossible_sessions_and_minutes_and_overlapping_inclusion(
        tmp_path: Path, capsys):
    """Outside attack: 10,000,000 sessions possible in one term took the authority's
    attendance rate from 92.3% to 0.35%; inclusion rows for the same learner and
    subject starting a day later with 100,000 minutes took a learner past the 80% exit
    criterion. Both passed validate."""
    import pandas as pd

    d = _demo_copy(tmp_path)
    _set_cells(d, "attendance.csv", {(0, "sessions_possible"): "10000000"})
    i = pd.read_csv(d / "inclusion.csv", dtype=str, keep_default_na=False)
    extra = i.iloc[[0]].copy()
    extra["period_start"] = (pd.Timestamp(extra["period_start"].iloc[0])
                             + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    extra["subject"] = extra["subject"].str.upper()  # the same subject, as the key reads it
    extra[["minutes_mainstream", "minutes_timetabled"]] = "100000"
    i.loc[1, "minutes_timetabled"] = "99999999"
    pd.concat([i, extra]).to_csv(d / "inclusion.csv", index=False)
    assert main(["validate", str(d)]) == 1
    out = capsys.readouterr().out
    assert "attendance.csv, row 2, column sessions_possible (value '10000000'): " \
           "sessions_possible must not exceed two half-day sessions" in out
    assert f"inclusion.csv, row {len(i) + 2}, column period_start" in out
    assert "of an earlier period of the same learner and subject: periods must not " \
           "overlap" in out
    assert "inclusion.csv, row 3, column minutes_timetabled (value '99999999'): " \
           "minutes_timetabled must not exceed the minutes of the days" in out


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_audit_refuses_an_entry_named_like_a_record_that_is_not_a_file(
        tmp_path: Path, capsys, kind: str):
    """Outside attack: a folder or a pipe named ``*.disclosure.json`` was skipped and
    the audit still said PASSED for the records it did read."""
    d = tmp_path / "received" / "tables" / "40_capacity"
    d.mkdir(parents=True)
    odd = d / "evil.disclosure.json"
    if kind == "folder":
        odd.mkdir()
    else:
        os.mkfifo(odd)
    assert main(["audit", str(tmp_path / "received")]) == 2
    err = capsys.readouterr().err
    assert "named as a disclosure record but not a file" in err and "PASSED" not in err


def test_validate_names_a_pipe_given_as_the_data(tmp_path: Path, capsys):
    """Outside attack: a pipe or a device as the data path said only "Not a directory"."""
    pipe = tmp_path / "data.csv"
    os.mkfifo(pipe)
    assert main(["validate", str(pipe)]) == 2
    assert "is not a file or a folder (a pipe or a device)" in capsys.readouterr().err


def test_validate_refuses_a_price_base_the_report_cannot_read(tmp_path: Path, capsys):
    """Outside attack: ``price_base: euros`` passed validate; the report then failed."""
    d = _demo_copy(tmp_path)
    _set_cells(d, "srb_costs.csv", {(0, "price_base"): "euros",
                                    (1, "price_base"): "2024-25 prices",
                                    (2, "price_base"): "2025-27 prices"})
    # before its start: one problem, not two
    _set_cells(d, "attendance.csv", {(0, "period_end"): "2000-01-01"})
    assert main(["validate", str(d)]) == 1
    out = capsys.readouterr().out
    assert "srb_costs.csv, row 2, column price_base (value 'euros'): price_base must be " \
           "cash or a year's prices" in out
    assert "row 3, column price_base" not in out
    assert "srb_costs.csv, row 4, column price_base (value '2025-27 prices')" in out
    assert out.count("attendance.csv, row 2,") == 1


def test_render_refuses_a_published_census_on_another_day_before_anything_runs(
        tmp_path: Path, capsys):
    """(review) A published capacity or value-for-money report counts on 1 October; the
    render says so before any report runs, and lets an internal one count on any day."""
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump({"title": "t", "data_dir": str(ROOT / "data" / "demo"),
                                 "reports": [
        {"notebook": "40_capacity", "parameters": {"census_date": "2024-09-02"}},
        {"notebook": "45_value_for_money", "parameters": {"census_date": "2024-01-08",
                                                           "audience": "internal"}}]}))
    assert main(["render", str(p), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "reports[1] (40_capacity): census_date: must be 1 October" in err
    assert "reports[2]" not in err
    assert not (tmp_path / "out").exists()
