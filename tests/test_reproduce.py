"""srb-eval reproduce: re-run from the manifest, compare result tables by hash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from srb_eval.errors import DataReadError
from srb_eval.run.cli import main
from srb_eval.run.reproduce import load_manifest, reproduce, table_difference

from .conftest import DEMO, MINIMAL


def _render(tmp_path: Path, data_dir: Path, name: str = "out") -> Path:
    params = tmp_path / f"{name}.yaml"
    params.write_text(yaml.safe_dump({
        "title": "reproduce test", "data_dir": str(data_dir),
        "reports": [{"notebook": "00_data_quality", "parameters": {"audience": "internal"}}]}))
    out = tmp_path / name
    assert main(["render", str(params), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """One render of the minimal dataset, shared by the tests that only read it."""
    tmp = tmp_path_factory.mktemp("rendered")
    return _render(tmp, MINIMAL)


def _received(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the shared render, as a folder received from someone else, to edit."""
    copy = tmp_path / "received"
    shutil.copytree(rendered, copy)
    return copy


def test_no_readable_manifest_exits_2(tmp_path: Path, capsys):
    assert main(["reproduce", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["reproduce", str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text("{not json")
    assert main(["reproduce", str(tmp_path)]) == 2
    assert "not readable JSON" in capsys.readouterr().err
    (tmp_path / "manifest.json").write_text('{"reports": []}')
    with pytest.raises(DataReadError, match="no list of reports"):
        load_manifest(tmp_path)


def test_table_difference_shows_columns_rows_and_first_differing_rows(tmp_path: Path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("srb_id,n,share\n" + "".join(f"S{i},{i},0.{i}\n" for i in range(10)))
    b.write_text("srb_id,n,share\n" + "".join(f"S{i},{i + (i > 1)},0.{i}\n"
                                              for i in range(10)))
    text = table_difference(a, b)
    assert "8 row(s) differ; the first 5" in text
    assert "line 4 (srb_id=S2)" in text and "line 8 (srb_id=S6)" in text
    assert "line 9 " not in text  # at most five rows shown
    assert "original" in text and "re-run" in text
    b.write_text("srb_id,n\nS0,0\n")
    text = table_difference(a, b)
    assert "only in the original ['share']" in text
    assert "10 rows in the original, 1 in the re-run" in text


@pytest.mark.slow
def test_reproduce_matches_an_unchanged_render(rendered: Path, tmp_path: Path, capsys):
    manifest_before = (rendered / "manifest.json").read_bytes()
    capsys.readouterr()
    out = tmp_path / "again"
    assert main(["reproduce", str(rendered), "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "00_data_quality/coverage: match" in text
    assert "00_data_quality/tables: match" in text
    assert "REPRODUCED: 2 of 2 result tables match" in text
    assert "input file" not in text and "package versions differ" not in text
    assert (rendered / "manifest.json").read_bytes() == manifest_before  # never touched
    again = json.loads((out / "manifest.json").read_text())
    assert again["reproduction_of"]["ok"] is True
    assert json.loads((out / "reproduction.json").read_text())["ok"] is True
    assert again["reports"][0]["results"] == json.loads(
        manifest_before)["reports"][0]["results"]


@pytest.mark.slow
def test_reproduce_detects_a_changed_input_file(tmp_path: Path, capsys):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    out = _render(tmp_path, data)
    srbs = data / "srbs.csv"
    srbs.write_text(srbs.read_text().replace("Test Primary SRB", "Test Primary SRB (renamed)"))
    capsys.readouterr()
    assert main(["reproduce", str(out), "--quiet"]) == 1
    text = capsys.readouterr().out
    assert f"warning: input file {srbs} has changed since rendering" in text
    assert "00_data_quality/coverage: DIFFERS" in text
    assert "00_data_quality/tables: match" in text
    assert "line 2 (srb_id=SRB01)" in text and "Test Primary SRB (renamed)" in text
    assert "NOT REPRODUCED: 1 of 2 result tables match, 1 does not" in text
    assert (tmp_path / "out-reproduced" / "reproduction.json").is_file()
    assert not list(tmp_path.glob(".out*")), "staging folder left behind"


@pytest.mark.slow
def test_reproduce_fails_when_a_report_fails(tmp_path: Path, capsys):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    out = _render(tmp_path, data)
    shutil.rmtree(data)  # the dataset is gone: the report now fails
    result = reproduce(out, progress=False)
    assert not result.ok and result.exit_code == 1
    assert result.not_run == ["00_data_quality"]
    text = result.report()
    assert f"input data_dir {data} no longer exists" in text
    assert f"data_dir {data} does not exist" in text
    assert "NOT REPRODUCED" in text


def _tampered(rendered: Path, tmp_path: Path, **changes) -> Path:
    """A copy of ``rendered`` whose first report's manifest entry has ``changes``."""
    copy = _received(rendered, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["reports"][0].update(changes)
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def _planted_notebook(tmp_path: Path) -> tuple[Path, Path]:
    """A notebook that would leave a marker file if it ever ran."""
    import nbformat

    marker = tmp_path / "planted-notebook-ran"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').write('ran')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "evil.ipynb"
    nbformat.write(nb, path)
    return path, marker


@pytest.mark.parametrize("changes, reason", [
    ({"notebook": "EVIL", "notebook_path": "EVIL"}, "is not one of the project's notebooks"),
    ({"notebook": "../../tmp/evil"}, "is not one of the project's notebooks"),
    ({"name": "../../escaped"}, "is not a plain file name"),
    ({"name": "a/b"}, "is not a plain file name"),
    ({"parameters": {"audience": "internal", "data_dir": 1}}, "parameter 'data_dir' must be"),
    ({"parameters": {"audience": "internal", "evil": "x"}}, "unknown parameter 'evil'"),
    ({"parameters": "not a mapping"}, "parameters are not a mapping"),
])
def test_reproduce_runs_only_the_projects_own_notebooks(rendered: Path, tmp_path: Path,
                                                         changes: dict, reason: str):
    planted, marker = _planted_notebook(tmp_path)
    changes = {k: (str(planted.with_suffix("")) if v == "EVIL" else v)
               for k, v in changes.items()}
    received = _tampered(rendered, tmp_path, **changes)
    (tmp_path / "re-run").mkdir()  # an earlier re-run's folder: not this run's output
    result = reproduce(received, out=tmp_path / "re-run", progress=False)
    assert not result.ok and result.exit_code == 1
    assert len(result.not_run) == 1
    assert any(reason in w for w in result.warnings), result.warnings
    assert not marker.exists(), "a notebook named by the manifest was run"
    assert "No report could be re-run, so nothing was written" in result.report()
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()


def test_reproduce_finds_every_file_edited_after_rendering(rendered: Path, tmp_path: Path):
    received = tmp_path / "received"
    shutil.copytree(rendered, received)
    table = received / "tables" / "00_data_quality" / "coverage.csv"
    table.write_text(table.read_text().replace("1", "7", 1))
    html = received / "00_data_quality.html"
    html.write_text(html.read_text().replace("</body>", "<p>All is well.</p></body>"))
    result = reproduce(received, out=tmp_path / "re-run", progress=False)
    assert not result.ok and result.exit_code == 1
    assert [c.split(":")[0] for c in result.changed] == [
        "00_data_quality.html", "tables/00_data_quality/coverage.csv"]
    text = result.report()
    assert "CHANGED SINCE RENDERING: 00_data_quality.html: edited" in text
    assert "2 file(s) of the rendered folder changed since rendering" in text
    # the re-run itself matches: only the edits are wrong
    assert all(t.status == "match" for t in result.tables)


def test_a_received_manifest_cannot_turn_the_audit_off(tmp_path: Path, capsys):
    """A manifest saying its render ran with --no-audit does not make the re-run skip the
    disclosure audit: only the caller's --no-audit does."""
    params = tmp_path / "published.yaml"
    params.write_text(yaml.safe_dump({
        "title": "reproduce test", "data_dir": str(DEMO),
        "reports": [{"notebook": "40_capacity", "parameters": {"audience": "published"}}]}))
    out = tmp_path / "out"
    assert main(["render", str(params), "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["disclosure_audit"]["audited"] is True
    manifest["disclosure_audit"]["audited"] = False
    (out / "manifest.json").write_text(json.dumps(manifest))

    reproduce(out, out=tmp_path / "re-run", progress=False)
    rerun = json.loads((tmp_path / "re-run" / "manifest.json").read_text())
    assert rerun["disclosure_audit"]["audited"] is True

    assert main(["reproduce", str(out), "--out", str(tmp_path / "unaudited"), "--quiet",
                 "--no-audit"]) in (0, 1)
    rerun = json.loads((tmp_path / "unaudited" / "manifest.json").read_text())
    assert rerun["disclosure_audit"]["audited"] is False
    assert "NOT audited" in capsys.readouterr().err


@pytest.mark.parametrize("where, value", [
    ("results", ["coverage"]), ("file_sha256", "abc"), ("notebooks", ["x"]),
    ("versions", ["numpy"]), ("git", "abc"), ("datasets", {"/tmp/x": "x"}),
    ("disclosure_audit", "x"), ("results", {"coverage": 5}),
])
def test_a_manifest_of_another_shape_is_refused_naming_the_place(rendered: Path,
                                                                  tmp_path: Path, capsys,
                                                                  where: str, value):
    """Outside review: each of these edits ended in a traceback (one after the re-run
    had been written); now exit 2 before anything runs, naming the field."""
    copy = _received(rendered, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    if where in ("results", "file_sha256"):
        manifest["reports"][0][where] = value
    else:
        manifest[where] = value
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert main(["reproduce", str(copy), "--out", str(tmp_path / "re-run"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "is not a manifest render writes" in err and where in err
    assert not (tmp_path / "re-run").exists()


def test_a_manifest_naming_a_report_twice_is_refused(rendered: Path, tmp_path: Path,
                                                     capsys):
    """Outside attack: a second entry of the same name declaring an invented table was
    never compared, and reproduce said "REPRODUCED"."""
    copy = _received(rendered, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    fake = json.loads(json.dumps(manifest["reports"][0]))
    fake["results"] = {"fake": "tables/" + str(fake["name"]) + "/fake.csv"}
    manifest["reports"].insert(0, fake)
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert main(["reproduce", str(copy), "--out", str(tmp_path / "re-run"), "--quiet"]) == 2
    assert "names a report more than once" in capsys.readouterr().err
    assert not (tmp_path / "re-run").exists()


def test_reproduce_reads_no_notebook_a_manifest_names_outside_the_project(rendered: Path,
                                                                           tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for a manifest to read")
    copy = _received(rendered, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["notebooks"] = {str(secret): "0" * 64, "../../etc/passwd": "0" * 64}
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = reproduce(copy, out=tmp_path / "re-run", progress=False)
    outside = [w for w in result.warnings if "is not one of the project's notebooks" in w]
    assert len(outside) == 2
    assert not any("has changed since rendering" in w and "secret" in w
                   for w in result.warnings)


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("{", '{"size": ' + "9" * 5000 + ", ", 1),
    lambda text: text.replace("{", '{"deep": ' + "[" * 200_000 + "]" * 200_000 + ", ", 1),
    lambda text: text.replace("{", '{"note": "\\ud800", ', 1),
], ids=["5000 digits", "nested 200000 deep", "lone surrogate"])
def test_a_manifest_python_cannot_hold_is_refused_not_a_traceback(rendered: Path,
                                                                   tmp_path: Path, capsys,
                                                                   edit):
    copy = _received(rendered, tmp_path)
    text = (copy / "manifest.json").read_text()
    (copy / "manifest.json").write_text(edit(text))
    assert main(["reproduce", str(copy), "--out", str(tmp_path / "re-run"), "--quiet"]) == 2
    assert "not readable JSON" in capsys.readouterr().err
    assert not (tmp_path / "re-run").exists()


def test_a_notebook_name_with_a_nul_is_not_a_projects_notebook(rendered: Path,
                                                              tmp_path: Path):
    copy = _received(rendered, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["notebooks"] = {"notebooks/00_x\u0000.ipynb": "a"}
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = reproduce(copy, out=tmp_path / "re-run", progress=False)
    assert any("is not one of the project's notebooks" in w for w in result.warnings)


def test_reproduce_prints_no_terminal_control_from_a_received_table(rendered: Path,
                                                                     tmp_path: Path, capsys):
    """Outside attack: a received table's cell holding escape sequences (clear the
    screen, set the window title) reached the terminal as they were."""
    import hashlib

    copy = _received(rendered, tmp_path)
    table = next((copy / "tables").rglob("coverage.csv"))
    text = table.read_text(encoding="utf-8")
    cell = text.splitlines()[1].split(",")[0]
    table.write_text(text.replace(cell, "\x1b[2J\x1b]0;owned\x07" + cell, 1), encoding="utf-8")
    manifest = (copy / "manifest.json").read_text(encoding="utf-8")
    old = hashlib.sha256(text.encode("utf-8")).hexdigest()
    new = hashlib.sha256(table.read_bytes()).hexdigest()
    (copy / "manifest.json").write_text(manifest.replace(old, new), encoding="utf-8")
    capsys.readouterr()
    main(["reproduce", str(copy), "--out", str(tmp_path / "re-run"), "--quiet"])
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "DIFFERS" in shown and "\\x1b[2J\\x1b]0;owned\\x07" in shown
    assert "\x1b" not in shown and "\x07" not in shown


def test_the_terminal_filter_escapes_carriage_returns_and_bidi_overrides_in_text():
    """(review) "x\r AUDIT PASSED" wrote over the start of a line, and U+202E reorders
    it; a carriage return that begins a write is the progress bar's and stays."""
    import io

    from srb_eval.run.cli import EscapedStream

    sink = io.StringIO()
    shown = EscapedStream(sink)
    shown.write("\rrendering 50%")
    shown.write("evil\r AUDIT PASSED \u202edesrever\x1b[2J\tend\n")
    assert sink.getvalue() == ("\rrendering 50%evil\\r AUDIT PASSED \\u202edesrever"
                               "\\x1b[2J\tend\n")
