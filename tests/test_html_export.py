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


def test_a_title_and_question_from_data_are_escaped_once(tmp_path: Path):
    """The title and question come from the report's Markdown, where names from the
    data are already written as entities (``report.notebook.inert``); the page and the
    index escaped them again, showing "&lt;/td&gt;" to the reader."""
    from srb_eval.report.notebook import QUESTION_LABEL, inert
    from srb_eval.run.html import report_question, report_title

    name = "Ysgol <b>Tŷ</b> [c] & https://x"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.say(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": inert(
        f"# Outcomes in {name}\n\n**{QUESTION_LABEL}** How is {name} doing?")})]
    nb.cells = [cell]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    assert report_title(nb, "r") == f"Outcomes in {name}"
    assert report_question(nb) == f"How is {name} doing?"
    page = _export(path, tmp_path / "r.html", "en")
    assert "<title>Outcomes in Ysgol &lt;b&gt;Tŷ&lt;/b&gt; [c] &amp; https://x" in page
    assert "&amp;lt;" not in page and "<b>Tŷ</b>" not in page
