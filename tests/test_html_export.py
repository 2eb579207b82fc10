"""A process reuses one HTML exporter per language (``run.html.report_exporter``), and a
page does not depend on what the exporter exported before it."""

from __future__ import annotations

from pathlib import Path

import nbformat

from srb_eval.run.html import notebook_to_html, report_exporter

RENDERED = "05 Dec 2026 08:00 UTC"


def _report(tmp_path: Path, name: str, title: str, text: str, figure: bool) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.show(...)")
    data = {"text/html": f"<p>{text}</p>"}
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    if figure:  # a figure with its text alternative, as report.show_figure gives it
        cell.outputs.append(nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo="},
            metadata={"image/png": {"alt": f"alt of {title}"}}))
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nThe formula $a/b$."
                                              if figure else f"# {title}"), cell]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _export(path: Path, out: Path, language: str) -> str:
    notebook_to_html(path, out, parameters={"audience": "internal", "language": language},
                     rendered=RENDERED)
    return out.read_text(encoding="utf-8")


def test_pages_exported_one_after_another_are_as_if_each_were_the_first(tmp_path: Path):
    first = _report(tmp_path, "first", "Report one", "TEXTONE", figure=True)
    second = _report(tmp_path, "second", "Report two", "TEXTTWO", figure=False)
    report_exporter.cache_clear()  # as in a new process
    alone = _export(first, tmp_path / "a.html", "en")
    other = _export(second, tmp_path / "b.html", "en")
    welsh = _export(second, tmp_path / "c.html", "cy")
    again = _export(first, tmp_path / "d.html", "en")
    assert again == alone  # nothing of the pages between was kept
    assert "TEXTTWO" in other and "TEXTONE" not in other and "alt of" not in other
    assert "Report one" not in other and "MathJax" in alone and "MathJax" not in other
    assert '<html lang="cy"' in welsh and '<html lang="en"' in again
    # one exporter per language, made once
    assert report_exporter.cache_info().misses == 2
    assert report_exporter("en") is report_exporter("en")
    assert report_exporter("en") is not report_exporter("cy")
