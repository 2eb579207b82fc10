"""The HTML copy of each report (code hidden, with a banner) and the index page."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from ..paths import (
    resolve,
)
from .jobs import PUBLISHED_DIR, JobResult, atomic_write_text, short_error

# --------------------------------------------------------------------------- HTML export


_REPORT_CSS = """
body.jp-Notebook { max-width: 62rem; margin: 0 auto; padding: 0 1.5rem 3rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; }
.srb-banner { position: sticky; top: 0; z-index: 10; background: #17365d; color: #fff;
  font-size: .85rem; line-height: 1.4; padding: .45rem .9rem; margin: 0 -1.5rem 1.2rem;
  display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; }
.srb-banner b { font-weight: 600; }
.srb-banner .srb-report { font-weight: 700; }
.srb-banner.srb-failed { background: #9b1c1c; }
.srb-internal { border: 2px solid #9b1c1c; background: #fdecec; color: #5c0f0f;
  padding: .5rem .9rem; margin: 0 0 1.2rem; font-weight: 600; }
.srb-failure { border: 2px solid #9b1c1c; background: #fdecec; padding: .6rem .9rem;
  margin: 0 0 1.2rem; }
.jp-Cell { padding: 0 !important; }
.jp-OutputArea-output table { font-size: .85rem; }
.jp-OutputArea-output { overflow-x: auto; }  /* a wide table scrolls, never cut off */
details.srb-folded { margin: .2rem 0; }
details.srb-folded > summary { cursor: pointer; padding: .15rem 0; }
details.srb-folded[open] > summary { font-weight: 600; }
.jp-RenderedHTMLCommon table caption { caption-side: top; text-align: left;
  font-weight: 600; padding-bottom: .3rem; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  body.jp-Notebook { max-width: none; padding: 0; font-size: 10.5pt; }
  .srb-banner { position: static; background: none; color: #000; border-bottom: 1px solid #000;
    margin: 0 0 .8rem; }
  .srb-banner.srb-failed { background: none; }
  a { color: inherit; text-decoration: none; }
  h1, h2, h3, h4 { break-after: avoid; }
  table caption, .jp-RenderedImage, img, tr { break-inside: avoid; }
  thead { display: table-header-group; }  /* header rows repeat on every printed page */
  .jp-OutputArea-output { overflow: visible !important; }
  .jp-OutputArea-output table { font-size: 8.5pt; }
  /* a folded table prints open: CSS cannot open a <details>, but can show its content box */
  details.srb-folded::details-content { content-visibility: visible; display: contents; }
  details.srb-folded > summary { list-style: none; font-weight: 600; }
}
"""

#: Opens the folded tables (``<details class="srb-folded">``) before printing and folds
#: them again after, for browsers without ``::details-content`` (the print stylesheet's
#: way); inline, so a report stays one file.
PRINT_OPEN_SCRIPT = """
addEventListener("beforeprint", function () {
  document.querySelectorAll("details.srb-folded:not([open])").forEach(function (d) {
    d.setAttribute("open", ""); d.setAttribute("data-srb-print-opened", "");
  });
});
addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-srb-print-opened]").forEach(function (d) {
    d.removeAttribute("open"); d.removeAttribute("data-srb-print-opened");
  });
});
"""

_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
{%- if resources.srb_math -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.srb_css }}</style>
<script>{{ resources.srb_print_js }}</script>{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.srb_banner }}
{%- endblock body_header -%}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alttext = output | get_metadata('alt', 'image/png') -%}
{%- if alttext %} alt="{{ alttext | escape_html }}"{%- endif %}>
</div>
{%- endblock data_png -%}
"""


class ReportPage(NamedTuple):
    """What :func:`notebook_to_html` learnt from the report it exported."""

    title: str
    stderr: list[str]  #: text the cells wrote to stderr (kept out of the HTML)
    question: str  #: the question the report says it answers ("" if it names none)


def report_question(nb) -> str:
    """The question a report's header says it answers (``header_markdown(question=)``),
    read from its first output that states one; "" if none does."""
    from ..report.notebook import QUESTION_LABEL

    marker = f"**{QUESTION_LABEL}**"
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            text = md if isinstance(md, str) else "".join(md or [])
            for line in text.splitlines():
                if line.startswith(marker):
                    return line[len(marker):].strip()
    return ""


def report_title(nb, default: str) -> str:
    """The report's title: the first top-level heading it shows (header_markdown)."""
    def heading(text: str) -> str | None:
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return None

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if (h := heading(cell.source)) and "papermill-error" not in cell.source:
                return h
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md and (h := heading(md if isinstance(md, str) else "".join(md))):
                return h
    return default


#: Shown at the top of every internal report and of the top-level index of a render.
INTERNAL_NOTICE = ("Internal: not for circulation. This report may show learner-level "
                   "detail and small numbers; only reports in the published/ folder of a "
                   "render may be circulated.")


def dataset_and_audience(parameters: Mapping[str, object]) -> tuple[str, str]:
    """The dataset label and the audience a report was rendered with (its parameters)."""
    from ..report.notebook import dataset_label

    data_dir = parameters.get("data_dir")
    dataset = dataset_label(resolve(str(data_dir))) if isinstance(data_dir, str) else "n/a"
    return dataset, str(parameters.get("audience", "n/a"))


def _banner(*, title: str, name: str, parameters: Mapping[str, object], rendered: str,
            failure: str = "") -> str:
    from .. import __version__

    dataset, audience = dataset_and_audience(parameters)
    others = ", ".join(f"{k}={v}" for k, v in parameters.items()
                       if k not in ("data_dir", "audience"))
    items = [f'<span class="srb-report">{html.escape(title)}</span>',
             f"<span><b>Dataset:</b> {html.escape(dataset)}</span>",
             f"<span><b>Audience:</b> {html.escape(audience)}</span>"]
    if others:
        items.append(f"<span><b>Parameters:</b> {html.escape(others)}</span>")
    items.append(f"<span><b>Rendered:</b> {html.escape(rendered)}</span>")
    items.append(f"<span><b>Report file:</b> {html.escape(name)} "
                 f"(srb-eval {html.escape(__version__)})</span>")
    cls = "srb-banner srb-failed" if failure else "srb-banner"
    out = f'<header class="{cls}" role="banner">{"".join(items)}</header>'
    if audience != "published":
        out += (f'<div class="srb-internal" role="note">{INTERNAL_NOTICE}</div>')
    if failure:
        out += (f'<div class="srb-failure" role="alert"><b>This report did not finish:</b> '
                f"{html.escape(failure)}. What follows is incomplete and must not be "
                "circulated. <b>What to do:</b> the full error is in the log file "
                f"logs/{html.escape(name)}.log (and in {html.escape(name)}.ipynb); most "
                "failures name a parameter or a data file to correct. Correct it and render "
                "again, or send the log to whoever maintains srb-eval for you.</div>")
    return out


def notebook_to_html(nb_path: Path, html_path: Path, *, name: str | None = None,
                     parameters: Mapping[str, object] | None = None,
                     rendered: str | None = None, failure: str = "",
                     withheld: bool = False) -> ReportPage:
    """Export an executed notebook to HTML that reads as a report.

    Every code cell is hidden; text written to stderr (warnings) is kept out of the
    report and returned so the caller can log it; a fixed banner names the report,
    dataset, audience and render date. No script is loaded from the internet (MathJax
    only when a markdown cell holds a formula).

    A report ``withheld`` (it stopped on purpose after its notice, by raising
    ``ReportWithheld``) is shown without the error papermill recorded for that stop. A
    report that ``failure`` stopped is shown without its traceback (the render writes it
    to the report's log file): a banner says what failed, where, and what to do.

    Returns the report's title, the stderr texts and the question it answers
    (:class:`ReportPage`).
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    name = name or nb_path.stem
    stderr: list[str] = []
    stopped = withheld or bool(failure)  # the error itself goes to the log, not the page
    if stopped:
        nb.cells = [c for c in nb.cells if "papermill-error-cell" not in c.source]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                stderr.append(out.get("text", ""))
            elif stopped and out.get("output_type") == "error":
                continue
            else:
                kept.append(out)
        cell["outputs"] = kept
    title = report_title(nb, name)
    dataset, audience = dataset_and_audience(dict(parameters or {}))
    nb.metadata["title"] = f"{title} | {dataset} | {audience}"
    math = any(cell.cell_type == "markdown" and re.search(r"\$[^$\s][^$]*\$|\\\(|\$\$",
                                                           cell.source)
               for cell in nb.cells)
    rendered = rendered or datetime.now(UTC).strftime("%d %b %Y %H:%M UTC")
    exporter = HTMLExporter(
        template_name="lab", template_file="srb_report.html.j2",
        extra_loaders=[jinja2.DictLoader({"srb_report.html.j2": _TEMPLATE})],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"metadata": {"name": title}, "srb_css": _REPORT_CSS, "srb_math": math,
                 "srb_print_js": PRINT_OPEN_SCRIPT,
                 "srb_banner": _banner(title=title, name=name,
                                       parameters=dict(parameters or {}), rendered=rendered,
                                       failure=failure)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    atomic_write_text(html_path, body)
    return ReportPage(title, stderr, report_question(nb))


_INDEX_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       color: #222; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }
tr.failed td { background: #fde8e8; }
.t { color: #555; font-size: .85rem; }
.meta { color: #555; font-size: .9rem; }
.notice { border: 2px solid #17365d; padding: .6rem .9rem; margin: 1rem 0; }
.internal { border-color: #9b1c1c; background: #fdecec; color: #5c0f0f; font-weight: 600; }
"""


def _index_rows(results: list[JobResult], *, link_base: str, published: bool) -> list[str]:
    rows = []
    for r in results:
        href = r.files.get("html", "")
        if link_base:
            href = href.removeprefix(link_base + "/")
        link = (f'<a href="{html.escape(href)}">{html.escape(r.name)}</a>'
                if href else html.escape(r.name))
        docx = r.files.get("docx", "")
        if docx:
            docx = docx.removeprefix(link_base + "/") if link_base else docx
            link += f' (<a href="{html.escape(docx)}">Word</a>)'
        heading = html.escape(r.title) if r.title and r.title != r.name else ""
        if r.status == "ok" and r.withheld:
            status = "withheld: too few learners to publish"
        elif r.status == "ok":
            status = "ok"
            if r.warnings and not published:
                status += (f' (<a href="logs/{html.escape(r.name)}.log">{r.warnings} '
                           "warning(s)</a>)")
        else:
            status = "FAILED" if published else (
                f"FAILED {html.escape(r.where_failed())}: "
                f"{html.escape(short_error(r.error, 300))}")
        params = html.escape(", ".join(f"{k}={v}" for k, v in r.parameters.items()
                                       if k != "data_dir"))
        dd = html.escape(str(r.parameters.get("data_dir", "")))
        tables_dir = r.tables_dir.removeprefix(link_base + "/") if link_base else r.tables_dir
        tables = (f'<a href="{html.escape(tables_dir)}/">{len(r.results)}</a>'
                  if r.results else "0")
        cls = "ok" if r.status == "ok" else "failed"
        readers = ("anyone: small numbers suppressed"
                   if r.folder == PUBLISHED_DIR else
                   "the evaluation team only")
        rows.append(f'<tr class="{cls}"><td>{link}<div class="t">{heading}</div></td>'
                    f"<td>{html.escape(r.question) or '-'}</td><td>{readers}</td>"
                    f"<td>{params}</td><td><code>{dd}</code></td><td>{status}</td>"
                    f"<td>{tables}</td></tr>")
    return rows


def _index_page(title: str, intro: str, rows: list[str], footer: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_INDEX_CSS}</style></head><body>
<h1>{html.escape(title)}</h1>
{intro}
<table><thead><tr><th>report</th><th>what it answers</th><th>who may read it</th>
<th>parameters</th><th>dataset</th><th>status</th><th>result tables</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
{footer}
</body></html>
"""


def _footer(manifest: Mapping) -> str:
    git = manifest.get("git", {})
    dirty = " (with uncommitted changes)" if git.get("dirty") else ""
    return (f'<p class="meta">Rendered by srb-eval '
            f'{html.escape(str(manifest["versions"].get("srb-eval", "")))} on Python '
            f'{html.escape(str(manifest.get("python", "")))} from commit '
            f'{html.escape(str(git.get("commit", "unknown"))[:12])}{dirty}, '
            f'{html.escape(str(manifest.get("finished", "")))}.</p>')


def _withheld_notice(withheld: list[JobResult], n_published: int) -> str:
    names = ", ".join(html.escape(r.name) for r in withheld)
    every = "Every published report" if len(withheld) == n_published else (
        f"{len(withheld)} of {n_published} published reports")
    return (f'\n<p class="notice internal" role="alert">Too few learners to publish: '
            f"{every} ({names}) covers too few learners for its figures to be published "
            "without pointing to single children, so it shows only a notice.</p>")


def _audit_notice(audit: Mapping | None) -> str:
    """The internal index's account of the disclosure audit (``srb-eval audit``)."""
    if not audit:
        return ("\n<p class=\"notice\">Disclosure audit: no published table of this render "
                "carries a disclosure record, so nothing was audited.</p>")
    if audit.get("skipped"):
        return (f'\n<p class="notice internal" role="alert">Disclosure audit not run while '
                f'rendering: {html.escape(audit["skipped"])}.</p>')
    if audit["passed"]:
        return (f'\n<p class="notice">Disclosure audit passed: {audit["hidden"]} hidden '
                f'counts in {audit["records"]} recorded published tables, none of them '
                "recoverable from the rest (tables without a record are not audited).</p>")
    # a failed audit fails the render (srb_eval.run.render.audit_failure): no index
    raise ValueError("an index is never written for a render whose audit failed")


def index_html(results: list[JobResult], manifest: Mapping) -> str:
    """The index of a whole render (internal: it lists internal reports too)."""
    title = str(manifest.get("title", "srb-eval reports"))
    n_failed = sum(r.status != "ok" for r in results)
    summary = (f"{len(results)} reports, all rendered" if not n_failed
               else f"{len(results)} reports, {n_failed} failed")
    n_pub = sum(r.folder == PUBLISHED_DIR for r in results)
    where = (f'The {n_pub} published report(s) and their own index are in '
             f'<a href="{PUBLISHED_DIR}/index.html">{PUBLISHED_DIR}/</a>: circulate that '
             "folder only." if n_pub else "This render has no published report.")
    intro = (f'<p class="notice internal" role="note">Internal: not for circulation. This '
             f"folder holds internal reports, logs and the manifest. {where}</p>\n"
             f"<p>{summary}. Provenance (parameters, input hashes, versions, git commit, "
             'result table hashes) is in <a href="manifest.json">manifest.json</a>; re-run '
             "with <code>srb-eval reproduce &lt;this folder&gt;</code>.</p>")
    withheld = [r for r in results if r.withheld]
    if withheld:
        intro += _withheld_notice(withheld, n_pub)
    intro += _audit_notice(manifest.get("disclosure_audit"))
    return _index_page(title, intro, _index_rows(results, link_base="", published=False),
                       _footer(manifest))


def _circulation(audit: Mapping | None) -> str:
    """The end of the published index's first notice: may the folder be circulated?"""
    if audit is None:
        return ("; none of its tables carries a disclosure record, so the audit had nothing "
                "to check.</p>")
    if audit["passed"]:
        return "; it passed the disclosure audit and may be circulated as a whole.</p>"
    return ". Circulate it only once <code>srb-eval audit</code> on this folder passes.</p>"


def published_index_html(results: list[JobResult], manifest: Mapping) -> str:
    """The index of the ``published/`` folder: published reports only."""
    title = str(manifest.get("title", "srb-eval reports")) + ": published reports"
    pub = [r for r in results if r.folder == PUBLISHED_DIR]
    intro = ('<p class="notice" role="note">Published reports: small numbers are '
             "suppressed and no learner-level detail is shown. This folder holds only "
             "reports rendered for publication and their result tables"
             + _circulation(manifest.get("disclosure_audit")))
    withheld = [r for r in pub if r.withheld]
    if withheld:
        intro += _withheld_notice(withheld, len(pub))
    audit = manifest.get("disclosure_audit")
    if audit and audit["passed"] is None:
        intro += ('\n<p class="notice internal" role="alert">The disclosure audit was not '
                  "run while rendering (too many hidden counts): run "
                  "<code>srb-eval audit</code> on this folder before circulating it.</p>")
    return _index_page(title, intro, _index_rows(pub, link_base=PUBLISHED_DIR,
                                                 published=True), _footer(manifest))
