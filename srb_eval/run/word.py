"""The Word copy of a published report: a committee paper made from the executed notebook.

:func:`notebook_to_docx` writes what the HTML report shows, in the same order, as a Word
document (python-docx): the report's markdown as Word headings, paragraphs and bullet
lists; its tables as real Word tables whose header rows repeat on every page; its figures
as pictures carrying the same text alternative as in the HTML; and, on the last page, who
the paper is for and where it came from. Code, warnings and errors are never copied. No
network is needed.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from ..report.i18n import gettext as _
from ..report.i18n import in_language
from ..report.notebook import audience_word, draft_translation_notice
from .html import dataset_and_audience, report_language, report_title
from .jobs import atomic_write_bytes

__all__ = ["notebook_to_docx"]

#: Width of a figure on an A4 page with the default margins, in inches.
FIGURE_WIDTH_INCHES = 6.3


class _Table(NamedTuple):
    caption: str
    header: list[list[str]]
    body: list[list[str]]


class _TableParser(HTMLParser):
    """The caption, header rows and body rows of an HTML table (a pandas Styler)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.caption: list[str] = []
        self.header: list[list[str]] = []
        self.body: list[list[str]] = []
        self._in: str | None = None  # "caption" or "cell"
        self._section = "body"
        self._row: list[str] | None = None
        self._cell: list[str] = []
        self._skip = 0  # inside <style>

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self._skip += 1
        elif tag == "caption":
            self._in = "caption"
        elif tag == "thead":
            self._section = "header"
        elif tag == "tbody":
            self._section = "body"
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._in, self._cell = "cell", []
        elif tag == "br" and self._in == "cell":
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "style":
            self._skip -= 1
        elif tag == "caption":
            self._in = None
        elif tag in ("td", "th") and self._row is not None and self._in == "cell":
            self._row.append(" ".join("".join(self._cell).split()))
            self._in = None
        elif tag == "tr" and self._row is not None:
            if any(self._row):
                (self.header if self._section == "header" else self.body).append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._in == "caption":
            self.caption.append(data)
        elif self._in == "cell":
            self._cell.append(data)


def _table(html_text: str) -> _Table | None:
    parser = _TableParser()
    parser.feed(html_text)
    if not parser.header and not parser.body:
        return None
    return _Table(" ".join("".join(parser.caption).split()), parser.header, parser.body)


def _blocks(nb) -> Iterator[tuple]:
    """What the report shows, in order: ("markdown", text), ("table", _Table) and
    ("image", png bytes, alt text). Errors and stderr are left out."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            yield ("markdown", cell.source)
            continue
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            if "image/png" in data:
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                yield ("image", base64.b64decode(data["image/png"]), alt)
            elif "text/markdown" in data:
                md = data["text/markdown"]
                yield ("markdown", md if isinstance(md, str) else "".join(md))
            elif "text/html" in data:
                text = data["text/html"]
                table = _table(text if isinstance(text, str) else "".join(text))
                if table is not None:
                    yield ("table", table)


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))")


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PRIVATE = 0xE000  # escaped characters wait in Unicode's private use area while parsing


def _plain(text: str) -> str:
    """Text as a reader sees it: escaped characters restored, HTML entities decoded."""
    return html.unescape("".join(chr(ord(c) - _PRIVATE) if _PRIVATE <= ord(c) < _PRIVATE + 128
                                 else c for c in text))


def _add_text(paragraph, text: str) -> None:
    """Markdown inline text as runs: **bold**, *italic*, `code`, [link](url); a character
    escaped with a backslash (``\\[c\\]``) and HTML entities (``&lt;5``) read as text."""
    text = _ESCAPED.sub(lambda m: chr(_PRIVATE + ord(m.group(1))), text)
    for part in _INLINE.split(text):
        if not part:
            continue
        part = _plain(part) if not _INLINE.fullmatch(part) else part
        if part.startswith("**") and part.endswith("**"):
            paragraph.add_run(_plain(part[2:-2])).bold = True
        elif part.startswith("`") and part.endswith("`"):
            paragraph.add_run(_plain(part[1:-1])).font.name = "Consolas"
        elif part.startswith("[") and "](" in part:
            label, url = (_plain(x) for x in part[1:-1].split("](", 1))
            paragraph.add_run(label if label == url else f"{label} ({url})")
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(_plain(part[1:-1])).italic = True
        else:
            paragraph.add_run(part)


def _markdown_table(doc, lines: list[str]) -> None:
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines
            if not re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", ln)]
    if rows:
        _write_table(doc, _Table("", rows[:1], rows[1:]))


def _add_markdown(doc, text: str) -> None:
    """Headings, bullet and numbered lists, paragraphs and pipe tables of a markdown text.

    Lines of a paragraph are joined; a line ending in two spaces (or a backslash) breaks
    the line, as in markdown.
    """
    paragraph_lines: list[str] = []
    table_lines: list[str] = []

    def flush() -> None:
        if table_lines:
            _markdown_table(doc, table_lines)
            table_lines.clear()
        if paragraph_lines:
            p = doc.add_paragraph()
            for i, ln in enumerate(paragraph_lines):
                _add_text(p, ln.rstrip("\\").strip())
                if i < len(paragraph_lines) - 1:
                    if ln.endswith("  ") or ln.endswith("\\"):
                        p.add_run().add_break()
                    else:
                        p.add_run(" ")
            paragraph_lines.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        bullet = re.match(r"^[-*+]\s+(.*)$", stripped)
        numbered = re.match(r"^\d+[.)]\s+(.*)$", stripped)
        if stripped.startswith("|"):
            if paragraph_lines:
                flush()
            table_lines.append(stripped)
            continue
        if table_lines:
            flush()
        if not stripped:
            flush()
        elif heading:
            flush()
            _add_text(doc.add_heading(level=min(len(heading.group(1)), 4)),
                      heading.group(2).strip())
        elif bullet or numbered:
            flush()
            style = "List Bullet" if bullet else "List Number"
            _add_text(doc.add_paragraph(style=style), (bullet or numbered).group(1))
        elif line.startswith("  ") and not paragraph_lines and len(doc.paragraphs) and \
                doc.paragraphs[-1].style.name.startswith("List"):
            doc.paragraphs[-1].add_run(" ")
            _add_text(doc.paragraphs[-1], stripped)  # a list item's continued line
        else:
            paragraph_lines.append(line)
    flush()


def _write_table(doc, table: _Table) -> None:
    """A Word table: the caption above it, header rows bold and repeated on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if table.caption:
        cap = doc.add_paragraph(style="Caption")
        _add_text(cap, table.caption)
    rows = table.header + table.body
    width = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=width)
    t.style = "Table Grid"
    size = Pt(9)
    # each row's cells listed once (python-docx builds the list anew on every access)
    for i, (row, values) in enumerate(zip(t.rows, rows, strict=True)):
        for j, cell in enumerate(row.cells):
            # a new cell holds one empty paragraph: the text goes in one run of it
            run = cell.paragraphs[0].add_run(values[j] if j < len(values) else "")
            run.font.size = size
            run.bold = i < len(table.header) or None
    # header rows repeat at the top of each page the table runs onto (w:tblHeader)
    trs = doc.element.body.xpath("./w:tbl[last()]/w:tr")
    for tr in trs[:max(len(table.header), 1)]:
        props = tr.find(qn("w:trPr"))
        if props is None:
            props = OxmlElement("w:trPr")
            tr.insert(0, props)
        props.append(OxmlElement("w:tblHeader"))
    doc.add_paragraph()


def _add_image(doc, png: bytes, alt: str) -> None:
    """A figure with its text alternative (the picture's description in Word)."""
    from docx.shared import Inches

    doc.add_picture(io.BytesIO(png), width=Inches(FIGURE_WIDTH_INCHES))
    for pr in doc.element.body.xpath(".//wp:docPr")[-1:]:
        pr.set("descr", alt or "Figure (no description)")
        pr.set("title", (alt or "Figure").split(". ")[0][:120])


def notebook_to_docx(nb_path: Path, docx_path: Path, *, name: str,
                     parameters: Mapping[str, object] | None = None,
                     rendered: str = "", provenance: Mapping[str, str] | None = None
                     ) -> Path:
    """Write the executed notebook ``nb_path`` as the Word document ``docx_path``.

    Parameters
    ----------
    nb_path : Path
        An executed report notebook (as ``srb-eval render`` writes it).
    docx_path : Path
        Where to write the ``.docx`` (written to a temporary name and renamed).
    name : str
        The report's file name (``30_estyn_outcomes``), named on the last page.
    parameters : mapping, optional
        The report's parameters (dataset and audience are named on the last page).
    rendered : str
        When it was rendered.
    provenance : mapping, optional
        Further lines for the last page (e.g. ``{"srb-eval": "0.1.0"}``).

    Returns
    -------
    Path
        ``docx_path``.
    """
    import nbformat

    nb = nbformat.read(str(nb_path), as_version=4)
    nb.cells = [c for c in nb.cells if "papermill-error-cell" not in c.source]
    language = report_language(dict(parameters or {}))
    with in_language(language):
        return _write_docx(nb, docx_path, name=name, parameters=parameters,
                           rendered=rendered, provenance=provenance, language=language)


def _set_language(doc, language: str) -> None:
    """Tell Word the paper's language (for its spelling checker and screen readers):
    the document's language property and the language of its Normal style's text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = {"en": "en-GB", "cy": "cy-GB"}[language]
    doc.core_properties.language = tag
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _write_docx(nb, docx_path: Path, *, name: str, parameters: Mapping[str, object] | None,
                rendered: str, provenance: Mapping[str, str] | None, language: str) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    _set_language(doc, language)
    title = report_title(nb, name)
    doc.core_properties.title = title
    doc.core_properties.author = "srb-eval"
    for block in _blocks(nb):
        if block[0] == "markdown":
            _add_markdown(doc, block[1])
        elif block[0] == "table":
            _write_table(doc, block[1])
        else:
            _add_image(doc, block[1], block[2])
    dataset, audience = dataset_and_audience(dict(parameters or {}))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(_("About this paper"), level=1)
    others = ", ".join(f"{k}={v}" for k, v in (parameters or {}).items()
                       if k not in ("data_dir", "audience"))
    said = (_("{audience} (small numbers are suppressed and no learner-level detail is "
              "shown)") if audience == "published" else _("{audience} (not for circulation)"))
    facts = [(_("Report"), title),
             (_("Audience"), said.format(audience=audience_word(audience))),
             (_("Dataset"), dataset), (_("Parameters"), others or _("the report's defaults")),
             (_("Rendered"), rendered or "n/a"), (_("Report file"), name),
             *((k, v) for k, v in (provenance or {}).items())]
    for label, value in facts:
        p = doc.add_paragraph()
        p.add_run(_("{label}: ").format(label=label)).bold = True
        p.add_run(str(value))
    doc.add_paragraph(_("The same report, its result tables and the render's manifest "
                        "(parameters, input file hashes, software versions) are in the "
                        "folder this paper came from."))
    if language != "en":
        doc.add_paragraph(draft_translation_notice())
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write_bytes(docx_path, buffer.getvalue())
    return docx_path
