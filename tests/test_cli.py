"""The command line: exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from srb_eval.run.cli import main

MINIMAL = Path(__file__).parent / "data" / "minimal"
BAD = Path(__file__).parent / "bad_inputs"


def test_validate_valid(capsys):
    assert main(["validate", str(MINIMAL)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_invalid_prints_every_problem(tmp_path, capsys):
    shutil.copytree(MINIMAL, tmp_path / "d")
    shutil.copy(BAD / "vocab" / "learners.csv", tmp_path / "d" / "learners.csv")
    assert main(["validate", str(tmp_path / "d")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("4 problems in")
    assert out.count("learners.csv, row") == 4


def test_validate_unreadable_path(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_pseudonymise_replaces_upn_and_never_touches_input(tmp_path, capsys):
    src = tmp_path / "export.csv"
    src.write_text("UPN,First Name,primary_need\nA123456789012,Alys,ASD\n"
                   "a123456789012 ,Alys,ASD\nB123456789012,Bryn,SLD\n")
    before = src.read_bytes()
    key = tmp_path / "secret.key"
    key.write_text("a-test-key-that-is-long-enough\n")
    out = tmp_path / "learners.csv"
    assert main(["pseudonymise", str(src), str(out), "--key-file", str(key)]) == 0
    assert src.read_bytes() == before
    text = out.read_text()
    assert "A123456789012" not in text and "Alys" not in text
    lines = text.splitlines()
    assert lines[0] == "learner_id,primary_need"
    ids = [ln.split(",")[0] for ln in lines[1:]]
    assert ids[0] == ids[1] != ids[2] and ids[0].startswith("P") and len(ids[0]) == 17
    # refuses to overwrite its input and to run without a real key
    assert main(["pseudonymise", str(src), str(src), "--key-file", str(key)]) == 2
    short = tmp_path / "short.key"
    short.write_text("abc")
    assert main(["pseudonymise", str(src), str(out), "--key-file", str(short),
                 "--overwrite"]) == 2
    assert "at least 16 bytes" in capsys.readouterr().err


def test_pseudonym_is_the_keyed_hmac_sha256_of_the_normalised_number():
    import hashlib
    import hmac

    import pandas as pd

    from srb_eval.data.pseudonymise import pseudonym

    key = b"a-test-key-that-is-long-enough"
    got = pseudonym(pd.Series([" a123456789012", "A123 456789012"]), key)
    expected = "P" + hmac.new(key, b"A123456789012", hashlib.sha256).hexdigest()[:16]
    assert got.tolist() == [expected, expected]


def test_pseudonymise_never_overwrites_what_it_did_not_create(tmp_path, capsys):
    src = tmp_path / "export.csv"
    src.write_text("UPN,primary_need\nA123456789012,ASD\n,SLD\n ,MLD\n")
    key = tmp_path / "secret.key"
    key.write_text("a-test-key-that-is-long-enough\n")
    key_before, src_before = key.read_bytes(), src.read_bytes()
    out = tmp_path / "learners.csv"
    cases = [
        ([str(src), str(key), "--key-file", str(key)], "three different files"),
        ([str(key), str(out), "--key-file", str(key)], "three different files"),
        ([str(src), str(out), "--key-file", str(key)], "2 blank value(s) (rows 3, 4)"),
        ([str(src), str(tmp_path / "no" / "x.csv"), "--key-file", str(key)],
         "must be a file in an existing folder"),
        ([str(src), str(tmp_path), "--key-file", str(key), "--overwrite"],
         "must be a file in an existing folder"),
    ]
    for args, message in cases:
        assert main(["pseudonymise", *args]) == 2, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)
    out.write_text("someone's file")
    src.write_text("UPN,primary_need\nA123456789012,ASD\n")
    assert main(["pseudonymise", str(src), str(out), "--key-file", str(key)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "someone's file" and key.read_bytes() == key_before
    assert src_before != src.read_bytes()  # (the test itself rewrote the input above)


def test_demo_refuses_a_folder_that_holds_files(tmp_path, capsys):
    real = tmp_path / "real"
    real.mkdir()
    (real / "learners.csv").write_text("learner_id\nREAL1\n")
    assert main(["demo", "--out", str(real), "--learners", "10", "--years", "1"]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (real / "learners.csv").read_text() == "learner_id\nREAL1\n"
    assert main(["demo", "--out", str(real), "--learners", "10", "--years", "1",
                 "--force"]) == 0
    assert "REAL1" not in (real / "learners.csv").read_text()
    # --force replaces tables (and its own README), never the user's README
    # (outside attack: the user's README.md was overwritten)
    assert main(["demo", "--out", str(real), "--learners", "10", "--years", "1",
                 "--force"]) == 0
    (real / "README.md").write_text("my notes")
    capsys.readouterr()
    assert main(["demo", "--out", str(real), "--learners", "10", "--years", "1",
                 "--force"]) == 2
    assert "is not the README of demo data" in capsys.readouterr().err
    assert (real / "README.md").read_text() == "my notes"
    assert sorted(p.name for p in real.iterdir() if p.name.startswith(".")) == []


def test_version_prints_the_package_version(capsys):
    import importlib.metadata

    import pytest

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == \
        f"srb-eval {importlib.metadata.version('srb-eval')}"


def _help(capsys, *argv: str) -> str:
    import pytest

    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def _options_without_help(text: str) -> list[str]:
    """Options and arguments of a help page listed with no words after them."""
    lines = text.splitlines()
    return [ln.strip() for ln, nxt in zip(lines, [*lines[1:], ""], strict=True)
            if ln.startswith("  ") and not ln.startswith("   ") and "  " not in ln.strip()
            and not nxt.startswith("    ") and ln.strip().startswith(("-", "{"))]


COMMANDS = ("validate", "demo", "render", "reproduce", "audit", "pseudonymise")


def test_help_of_every_command_has_examples_and_exit_codes(capsys):
    top = _help(capsys)
    assert "examples:" in top and "exit codes:" in top and "--version" in top
    assert all(c in top for c in COMMANDS)
    for name in COMMANDS:
        text = _help(capsys, name)
        assert "example" in text and f"srb-eval {name}" in text, name
        assert "exit codes:" in text, name
        assert not _options_without_help(text), (name, _options_without_help(text))
    assert "data_dir:" in _help(capsys, "render")  # what the parameter file holds
    assert "secrets.token_hex" in _help(capsys, "pseudonymise")  # how to make a key file


def test_jobs_default_is_described_the_same_way_everywhere(capsys):
    pages = [" ".join(_help(capsys, c).split()) for c in ("render", "reproduce")]
    assert all("(default: one per core of this machine)" in p for p in pages)
    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    assert "--jobs 2" not in makefile and "JOBS ?= 2" not in makefile


_EARLY = r"""
import contextlib, json, sys
import srb_eval.run.report_kernels as report_kernels
calls = []

@contextlib.contextmanager
def spy(spec):
    calls.append({"render_imported": "srb_eval.run.render" in sys.modules,
                  "pandas_imported": "pandas" in sys.modules,
                  "data_dir": spec.get("data_dir")})
    yield

report_kernels.kernels_for = spy
from srb_eval.run.cli import main
code = main(["render", sys.argv[1], "--out", sys.argv[2], "--quiet"])
print(json.dumps({"code": code, "calls": calls}))
"""


def test_render_starts_its_kernels_zygote_before_its_own_imports(tmp_path):
    # The zygote imports the libraries and reads the data (about 3 s) while the command
    # imports the render and checks the parameter file: the command must ask for it
    # first, with the parameter file's data folder, before pandas or the render module
    # is imported (a parameter file that fails its check, so that nothing is rendered).
    import json
    import subprocess
    import sys

    params = tmp_path / "p.yaml"
    params.write_text(f"data_dir: {MINIMAL}\nreports:\n"
                      "  - notebook: 00_data_quality\n    parameters: {no_such: 1}\n",
                      encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", _EARLY, str(params), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120, check=False)
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["code"] == 2, run.stderr
    assert got["calls"][0] == {"render_imported": False, "pandas_imported": False,
                               "data_dir": str(MINIMAL)}
    assert not (tmp_path / "out").exists()


def test_the_package_imports_pandas_only_when_its_data_api_is_used():
    import subprocess
    import sys

    code = ("import sys, srb_eval; before = 'pandas' in sys.modules; "
            "from srb_eval import load_dataset, Dataset; "
            "print(before, 'pandas' in sys.modules, load_dataset.__module__, "
            "Dataset.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["False", "True", "srb_eval.data.io", "srb_eval.data.io"]
