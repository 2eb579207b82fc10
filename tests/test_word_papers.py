"""Each published report is also a Word committee paper (python-docx reads it back)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from docx import Document

from srb_eval.run.word import notebook_to_docx
from tests.conftest import learner_ids

PLACEHOLDER = "No description has been provided for this image"


def _text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_every_published_report_is_a_word_paper(rendered_demo, demo_dir: Path):
    out, results = rendered_demo
    ids = re.compile(r"\b(" + "|".join(map(re.escape, learner_ids(demo_dir))) + r")\b")
    published = [r for r in results if r.folder == "published" and r.status == "ok"]
    assert published
    for r in results:
        if r.folder != "published":
            assert "docx" not in r.files, r.name  # internal reports are never papers
    index = (out / "published" / "index.html").read_text()
    for r in published:
        assert r.files["docx"] == f"published/{r.name}.docx"
        assert f'href="{r.name}.docx"' in index
        doc = Document(str(out / r.files["docx"]))
        headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
        assert headings[0].style.name == "Heading 1" and headings[0].text == r.title
        assert doc.core_properties.title == r.title
        # real tables, each with a header row repeated on every page
        body = doc.element.body
        for i, table in enumerate(body.xpath("./w:tbl"), start=1):
            assert table.xpath("./w:tr[1]/w:trPr/w:tblHeader"), f"{r.name}: table {i}"
        # every picture with a real description (as in the HTML)
        for pr in body.xpath(".//wp:docPr"):
            assert pr.get("descr", "").startswith("Figure") and PLACEHOLDER not in pr.get(
                "descr"), r.name
        # the audience and provenance on the last page
        last = [p.text for p in doc.paragraphs[-10:]]
        assert "About this paper" in last
        assert any(t.startswith("Audience: published (small numbers are suppressed")
                   for t in last)
        text = _text(doc)
        assert "Traceback" not in text and "Internal: not for circulation" not in text
        assert "&lt;" not in text and "\\[" not in text  # markdown escapes read as text
        assert not ids.search(text), f"{r.name}: a learner id in the Word paper"
    estyn = Document(str(out / "published" / "30_estyn_outcomes.docx"))
    assert len(estyn.tables) >= 10 and len(estyn.inline_shapes) >= 5


def _notebook(path: Path, markdown: str, html_table: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data",
                                           data={"text/markdown": markdown}),
                    nbformat.v4.new_output("display_data", data={"text/html": html_table}),
                    nbformat.v4.new_output("stream", name="stderr", text="a warning"),
                    nbformat.v4.new_output("error", ename="E", evalue="boom",
                                           traceback=["Traceback: boom"])]
    nb.cells = [cell]
    nbformat.write(nb, path)
    return path


def test_markdown_and_tables_become_word_structures(tmp_path: Path):
    md = ("# The title\n\n**Dataset:** demo  \n**Audience:** published\n\n"
          "## A section\n\nCounts read '&lt;5' and \\[c\\] marks a hidden cell; "
          "*see* [the guide](https://example.org).\n\n- first point\n- second **bold**\n\n"
          "1. numbered\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    table = ("<style>td {color: red}</style><table><caption>Table 1: counts</caption>"
             "<thead><tr><th>group</th><th>n</th></tr></thead>"
             "<tbody><tr><td>SRB01</td><td>&lt;5</td></tr></tbody></table>")
    nb = _notebook(tmp_path / "r.ipynb", md, table)
    doc = Document(str(notebook_to_docx(nb, tmp_path / "r.docx", name="r",
                                        parameters={"audience": "published"})))
    styles = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert styles[0] == ("Heading 1", "The title")
    assert ("Normal", "Dataset: demo\nAudience: published") in styles
    assert ("Heading 2", "A section") in styles
    assert ("Normal", "Counts read '<5' and [c] marks a hidden cell; see the guide "
                      "(https://example.org).") in styles
    assert ("List Bullet", "second bold") in styles and ("List Number", "numbered") in styles
    assert ("Caption", "Table 1: counts") in styles
    md_table, html_table = doc.tables
    assert [c.text for c in md_table.rows[1].cells] == ["1", "2"]
    assert [[c.text for c in row.cells] for row in html_table.rows] == [
        ["group", "n"], ["SRB01", "<5"]]
    assert html_table.rows[0].cells[0].paragraphs[0].runs[0].bold
    text = _text(doc)
    assert "a warning" not in text and "boom" not in text and "color: red" not in text


@pytest.mark.parametrize("audience, says", [("internal", "internal (not for circulation)")])
def test_the_last_page_names_the_audience(tmp_path: Path, audience: str, says: str):
    nb = _notebook(tmp_path / "r.ipynb", "# T", "<p>no table</p>")
    doc = Document(str(notebook_to_docx(nb, tmp_path / "r.docx", name="r",
                                        parameters={"audience": audience},
                                        provenance={"srb-eval": "9.9"})))
    last = [p.text for p in doc.paragraphs[-9:]]
    assert f"Audience: {says}" in last and "srb-eval: 9.9" in last
    assert not doc.tables  # HTML without a table adds none
