"""A folded table (``report.notebook.show_folded``, an HTML ``<details>``) prints open.

CSS cannot open a ``<details>`` element, but its content box (``::details-content``) can
be shown: the report stylesheet does so for print only. The test prints a rendered
report with headless Chromium and reads the PDF's text with Ghostscript (skipped where
either is missing).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from srb_eval.report.notebook import folded_html
from srb_eval.run.html import notebook_to_html

FOLDED_CELL = "FOLDEDCELLTEXT42"


def folded_report(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.show_folded(...)")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": folded_html(
            pd.DataFrame({"learner": [FOLDED_CELL], "gain": [3]}), "SRB01: 1 result")})]
    nb.cells = [nbformat.v4.new_markdown_cell("# A report\n\nBefore the folded table."),
                cell]
    nb_path = tmp_path / "r.ipynb"
    nbformat.write(nb, nb_path)
    html_path = tmp_path / "r.html"
    notebook_to_html(nb_path, html_path, parameters={"audience": "internal"},
                     rendered="03 Dec 2026 20:00 UTC")
    return html_path


def test_the_print_stylesheet_shows_the_content_of_folded_tables(tmp_path: Path):
    page = folded_report(tmp_path).read_text(encoding="utf-8")
    assert '<details class="srb-folded">' in page  # closed: no "open" attribute
    # the report's own print rules (the exporter's stylesheets have print blocks too)
    ours = next(block.split("\n}\n", 1)[0] for block in page.split("@media print")[1:]
                if "@page { size: A4" in block)
    assert "details.srb-folded::details-content" in ours
    assert "content-visibility: visible" in ours
    assert page.count("::details-content") == ours.count("::details-content")  # print only


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("gs")),
                    reason="needs headless Chromium and Ghostscript")
def test_printing_a_report_prints_its_folded_tables_open(tmp_path: Path):
    html_path = folded_report(tmp_path)
    pdf = tmp_path / "r.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    html_path.as_uri()], capture_output=True, timeout=120, check=False)
    assert pdf.exists(), "Chromium did not print the page"
    text = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite",
                           "-sOutputFile=-", str(pdf)], capture_output=True, text=True,
                          timeout=120, check=True).stdout
    assert "Before the folded table" in text  # the page printed
    assert "SRB01: 1 result" in text
    assert FOLDED_CELL in text


def test_a_script_opens_folded_tables_for_print_where_css_cannot(tmp_path: Path):
    from srb_eval.run.html import PRINT_OPEN_SCRIPT
    page = folded_report(tmp_path).read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    assert f"<script>{PRINT_OPEN_SCRIPT}</script>" in head  # inline: one file
    for word in ("beforeprint", "afterprint", "details.srb-folded:not([open])"):
        assert word in PRINT_OPEN_SCRIPT


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("gs")),
                    reason="needs headless Chromium and Ghostscript")
def test_without_details_content_the_script_prints_folded_tables_open(tmp_path: Path):
    """An older browser has no ``::details-content``: the page without that rule (as such
    a browser reads it) still prints the folded table, opened by the script; and
    without the script too, it would not (the check that the test can fail)."""
    html_path = folded_report(tmp_path)
    page = html_path.read_text(encoding="utf-8")
    old_browser = "\n".join(line for line in page.splitlines()
                            if "::details-content" not in line)
    assert "::details-content" not in old_browser

    def printed(text: str, name: str) -> str:
        source, pdf = tmp_path / f"{name}.html", tmp_path / f"{name}.pdf"
        source.write_text(text, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        source.as_uri()], capture_output=True, timeout=120, check=False)
        assert pdf.exists(), "Chromium did not print the page"
        return subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite",
                               "-sOutputFile=-", str(pdf)], capture_output=True, text=True,
                              timeout=120, check=True).stdout

    assert FOLDED_CELL in printed(old_browser, "old")
    from srb_eval.run.html import PRINT_OPEN_SCRIPT
    neither = old_browser.replace(PRINT_OPEN_SCRIPT, "")
    assert FOLDED_CELL not in printed(neither, "neither")
