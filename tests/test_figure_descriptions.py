"""Every figure carries a text alternative made from what is written on it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from srb_eval.report.plots.describe import MAX_ITEMS, describe_figure  # noqa: E402

PLACEHOLDER = "No description has been provided for this image"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alts: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def test_every_image_of_every_demo_report_has_a_real_description(rendered_demo):
    out, _ = rendered_demo
    pages = sorted(out.rglob("*.html"))
    seen = 0
    for page in pages:
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        for alt in parser.alts:
            seen += 1
            assert alt and alt != PLACEHOLDER, f"{page.name}: an image without a description"
            assert alt.startswith("Figure") and len(alt) > 40, (page.name, alt)
            # figures name things in plain English, not by their column names or codes
            assert not re.search(r"srb[ _]id|personal[ _]social\b|primary_need", alt), alt
    assert seen >= 20  # the suite's figures were found (about 40 in the demo suite)


def test_a_description_states_only_what_is_written_on_the_figure():
    # bar lengths are not read out: a published figure's text says no more than its picture
    fig = Figure()
    ax = fig.subplots()
    bars = ax.barh(["SRB01", "SRB02"], [37.5, 62.5])
    ax.bar_label(bars, labels=["37.5%", ""])  # the second bar's value is not printed
    ax.set(title="Share at or above expected", xlabel="% of learners")
    text = describe_figure(fig)
    assert "SRB01, SRB02" in text and "37.5%" in text
    assert "62.5" not in text
    assert text.startswith("Figure: Share at or above expected.")


def test_descriptions_of_panels_legends_colour_scales_and_long_lists():
    fig = Figure(layout="constrained")
    left, right = fig.subplots(1, 2)
    fig.suptitle("Two panels")
    groups = [f"G{i:02d}" for i in range(MAX_ITEMS + 3)]
    left.bar(groups, range(len(groups)), label="learners")
    left.legend(title="Counted")
    left.set_title("Left")
    mesh = right.pcolormesh([[0, 1], [2, 3]])
    fig.colorbar(mesh, ax=right, label="share (%)")
    right.set_title("Right")
    text = describe_figure(fig)
    assert text.startswith("Figure: Two panels. Panel: Left.")
    assert "Legend (Counted): learners." in text
    assert f"G{MAX_ITEMS - 1:02d}, and 3 more groups" in text
    assert "Panel: Right." in text and "Colour scale: share (%)" in text
    assert describe_figure(Figure()) == "Figure without a title or labels."


def test_line_breaks_are_folded_and_text_is_said_as_written():
    # figures draw text as written (text.parse_math off: names come from the data), so
    # the description says a dollar sign as one
    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("Gain\n(n = 12)")
    ax.set_ylabel(r"Ysgol $\varepsilon^2$ effect")
    text = describe_figure(fig)
    assert "Figure: Gain (n = 12)." in text and "\n" not in text
    assert r"Ysgol $\varepsilon^2$ effect" in text


@pytest.mark.parametrize("alt", ['a "quoted" <b>bold</b> & more'])
def test_the_html_escapes_a_description(tmp_path: Path, alt: str):
    # a description carries names from the data (SRB and school names): escaped in HTML
    import base64
    import io

    import nbformat

    from srb_eval.run.html import notebook_to_html

    fig = Figure()
    fig.subplots().plot([0, 1])
    png = io.BytesIO()
    fig.savefig(png, format="png")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"image/png": base64.b64encode(png.getvalue()).decode()},
        metadata={"image/png": {"alt": alt}})]
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), cell]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    notebook_to_html(path, tmp_path / "x.html", name="x")
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    parser = _Images()
    parser.feed(page)
    assert parser.alts == [alt]
    assert "<b>bold</b>" not in page


def _axe_ready() -> str | None:
    """Why the axe-core check cannot run here (None when it can)."""
    import os
    import shutil

    root = Path(__file__).resolve().parent / "a11y"
    if shutil.which("node") is None:
        return "no Node.js"
    if not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists():
        return "no Chromium"
    if not (root / "node_modules" / "axe-core").is_dir():
        return "tests/a11y has no node_modules (make a11y installs them)"
    return None


@pytest.mark.skipif(_axe_ready() is not None, reason=str(_axe_ready()))
def test_axe_core_finds_no_wcag_violation_in_the_demo_suite(rendered_demo, tmp_path: Path):
    import subprocess

    script = Path(__file__).resolve().parent / "a11y" / "axe_check.js"
    bad = tmp_path / "bad.html"  # the check itself finds what it should
    bad.write_text('<!doctype html><html lang="en"><head><title>x</title></head><body>'
                   '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>')
    run = subprocess.run(["node", str(script), str(bad)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and "image-alt" in run.stdout, run.stdout + run.stderr
    out, _ = rendered_demo
    pages = sorted(str(p) for p in out.rglob("*.html"))
    run = subprocess.run(["node", str(script), *pages], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith("0 violating elements")
