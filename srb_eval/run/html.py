"""The HTML copy of each report (code hidden, with a banner) and the index page."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..paths import (
    resolve,
)
from ..report.i18n import (
    LANGUAGES,
    N_,
    check_language,
    current_language,
    in_language,
    pgettext,
)
from ..report.i18n import gettext as _
from .jobs import PUBLISHED_DIR, JobResult, atomic_write_text, short_error

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

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
.srb-draft { border-top: 1px solid #888; color: #444; font-size: .85rem; margin-top: 2rem;
  padding-top: .5rem; }
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
{%- block body_footer -%}
{{ resources.srb_footer }}
{{ super() }}
{%- endblock body_footer -%}
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


def report_question(nb: nbformat.NotebookNode) -> str:
    """The question a report's header says it answers (``header_markdown(question=)``),
    read from its first output that states one; "" if none does."""
    from ..report.notebook import QUESTION_LABEL

    marker = f"**{_(QUESTION_LABEL)}**"
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            text = md if isinstance(md, str) else "".join(md or [])
            for line in text.splitlines():
                if line.startswith(marker):
                    return as_written(line[len(marker):].strip())
    return ""


def as_written(markdown: str) -> str:
    r"""A line of report Markdown as the reader sees it: the entities and escapes of
    :func:`srb_eval.report.notebook.inert` undone (for a page that escapes it again).

    >>> as_written("SRB &lt;b&gt; \\[c\\] https:&#47;&#47;x")
    'SRB <b> [c] https://x'
    """
    return html.unescape(re.sub(r"\\([\[\]])", r"\1", markdown))


def report_title(nb: nbformat.NotebookNode, default: str) -> str:
    """The report's title: the first top-level heading it shows (header_markdown)."""
    def heading(text: str) -> str | None:
        for line in text.splitlines():
            if line.startswith("# "):
                return as_written(line[2:].strip())
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


#: Shown at the top of every internal report (in its language: ``_(INTERNAL_NOTICE)``).
INTERNAL_NOTICE = N_("Internal: not for circulation. This report may show learner-level "
                     "detail and small numbers; only reports in the published/ folder of "
                     "a render may be circulated.")


def report_language(parameters: Mapping[str, object]) -> str:
    """The language a report was rendered in (its ``language`` parameter; English for a
    report that has none)."""
    return check_language(parameters.get("language", LANGUAGES[0]))


def dataset_and_audience(parameters: Mapping[str, object]) -> tuple[str, str]:
    """The dataset label and the audience a report was rendered with (its parameters)."""
    from ..report.notebook import dataset_label

    data_dir = parameters.get("data_dir")
    dataset = dataset_label(resolve(str(data_dir))) if isinstance(data_dir, str) else "n/a"
    return dataset, str(parameters.get("audience", "n/a"))


def _banner(*, title: str, name: str, parameters: Mapping[str, object], rendered: str,
            failure: str = "") -> str:
    from .. import __version__
    from ..report.notebook import audience_word

    dataset, audience = dataset_and_audience(parameters)
    others = ", ".join(f"{k}={v}" for k, v in parameters.items()
                       if k not in ("data_dir", "audience"))

    def item(label: str, value: str) -> str:
        return f"<span><b>{html.escape(label)}</b> {value}</span>"

    items = [f'<span class="srb-report">{html.escape(title)}</span>',
             item(_("Dataset:"), html.escape(dataset)),
             item(_("Audience:"), html.escape(audience_word(audience)))]
    if others:
        items.append(item(_("Parameters:"), html.escape(others)))
    items.append(item(_("Rendered:"), html.escape(rendered)))
    items.append(item(_("Report file:"), f"{html.escape(name)} "
                      f"(srb-eval {html.escape(__version__)})"))
    cls = "srb-banner srb-failed" if failure else "srb-banner"
    out = f'<header class="{cls}" role="banner">{"".join(items)}</header>'
    if audience != "published":
        out += (f'<div class="srb-internal" role="note">{html.escape(_(INTERNAL_NOTICE))}'
                "</div>")
    if failure:
        out += ('<div class="srb-failure" role="alert">' + _(
            "<b>This report did not finish:</b> {failure}. What follows is incomplete and "
            "must not be circulated. <b>What to do:</b> the full error is in the log file "
            "{log} (and in {notebook}); most failures name a parameter or a data file to "
            "correct. Correct it and render again, or send the log to whoever maintains "
            "srb-eval for you.").format(
                failure=in_english(html.escape(failure)),
                log=f"logs/{html.escape(name)}.log", notebook=f"{html.escape(name)}.ipynb")
                + "</div>")
    return out


def in_english(markup: str) -> str:
    """``markup`` (HTML, already escaped) marked as English when the page is in another
    language: an error message or a quotation left in English."""
    if current_language() == LANGUAGES[0]:
        return markup
    return f'<span lang="en">{markup}</span>'


def _draft_footer(language: str) -> str:
    """The footer of a report in a language other than English: a draft translation."""
    if language == LANGUAGES[0]:
        return ""
    from ..report.notebook import draft_translation_notice

    return (f'<footer class="srb-draft" role="contentinfo">'
            f"{html.escape(draft_translation_notice())}</footer>")


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
    import nbformat

    nb = nbformat.read(str(nb_path), as_version=4)
    language = report_language(dict(parameters or {}))
    with in_language(language):
        return _export(nb, html_path, name=name or nb_path.stem, parameters=parameters,
                       rendered=rendered, failure=failure, withheld=withheld,
                       language=language)


@functools.cache
def report_exporter(language: str) -> HTMLExporter:
    """The exporter of the reports' HTML pages in ``language``, made once per process,
    with its templates compiled.

    nbconvert compiles an exporter's Jinja templates as it first exports (about 0.08 s,
    a quarter of exporting a short report); the exporter keeps them, so each process
    that exports several reports reuses one exporter for each language, and a render
    makes them before its workers fork (:func:`srb_eval.run.render.execute`), which then
    find them made. What differs between reports (title, banner, footer) goes in with
    each export's ``resources``. Each export also sets the exporter's filters for its
    notebook (the code highlighter of the notebook's language, nbconvert's widget
    filter) before it renders, so a page does not depend on the pages exported before
    it (``tests/test_html_export.py``); for the same reason one exporter serves one
    export at a time (the render's workers each export one report at a time, in one
    thread).
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", template_file="srb_report.html.j2",
        extra_loaders=[jinja2.DictLoader({"srb_report.html.j2": _TEMPLATE})],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        language_code=language)
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # compiles the templates
    return exporter


def _export(nb, html_path: Path, *, name: str, parameters: Mapping[str, object] | None,
            rendered: str | None, failure: str, withheld: bool, language: str
            ) -> ReportPage:
    from ..report.i18n import format_date
    from ..report.notebook import audience_word

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
    nb.metadata["title"] = f"{title} | {dataset} | {audience_word(audience)}"
    math = any(cell.cell_type == "markdown" and re.search(r"\$[^$\s][^$]*\$|\\\(|\$\$",
                                                           cell.source)
               for cell in nb.cells)
    if not rendered:
        now = datetime.now(UTC)
        rendered = format_date(now, "short") + now.strftime(" %H:%M UTC")
    resources = {"metadata": {"name": title}, "srb_css": _REPORT_CSS, "srb_math": math,
                 "srb_print_js": PRINT_OPEN_SCRIPT,
                 "srb_banner": _banner(title=title, name=name,
                                       parameters=dict(parameters or {}), rendered=rendered,
                                       failure=failure),
                 "srb_footer": _draft_footer(language)}
    body, _unused = report_exporter(language).from_notebook_node(nb, resources=resources)
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


def language_links(result: JobResult, results: list[JobResult], *, link_base: str = ""
                   ) -> str:
    """Links from a report to its copies in the other languages of the render (each link
    named in its own language and marked with it: ``lang="cy"``); "" when it has none.

    A report's copies share its name: ``NN_name`` in English, ``NN_name.cy`` in Welsh.
    """
    from ..report.i18n import LANGUAGE_NAMES

    own = report_language(result.parameters)
    base = result.name.removesuffix(f".{own}") if own != LANGUAGES[0] else result.name
    links = []
    for other in results:
        language = report_language(other.parameters)
        named = base if language == LANGUAGES[0] else f"{base}.{language}"
        href = other.files.get("html", "")
        if language == own or other.name != named or not href:
            continue
        if link_base:
            href = href.removeprefix(link_base + "/")
        links.append(f'<a href="{html.escape(href)}" lang="{language}" '
                     f'hreflang="{language}">{html.escape(LANGUAGE_NAMES[language])}</a>')
    return f" ({', '.join(links)})" if links else ""


def _index_rows(results: list[JobResult], *, link_base: str, published: bool) -> list[str]:
    rows = []
    for r in results:
        href = r.files.get("html", "")
        if link_base:
            href = href.removeprefix(link_base + "/")
        link = (f'<a href="{html.escape(href)}">{html.escape(r.name)}</a>'
                if href else html.escape(r.name))
        link += language_links(r, results, link_base=link_base)
        docx = r.files.get("docx", "")
        if docx:
            docx = docx.removeprefix(link_base + "/") if link_base else docx
            link += f' (<a href="{html.escape(docx)}">Word</a>)'
        lang = report_language(r.parameters)
        heading = html.escape(r.title) if r.title and r.title != r.name else ""
        if heading and lang != current_language():
            heading = f'<span lang="{lang}">{heading}</span>'
        if r.status == "ok" and r.withheld:
            status = html.escape(_("withheld: too few learners to publish"))
        elif r.status == "ok":
            status = html.escape(pgettext("status", "ok"))
            if r.warnings and not published:
                status += (f' (<a href="logs/{html.escape(r.name)}.log">'
                           + html.escape(_("{n} warning(s)").format(n=r.warnings))
                           + "</a>)")
        else:
            status = html.escape(_("FAILED")) if published else (
                html.escape(_("FAILED {where}: {error}")).format(
                    where=in_english(html.escape(r.where_failed())),
                    error=in_english(html.escape(short_error(r.error, 300)))))
        params = html.escape(", ".join(f"{k}={v}" for k, v in r.parameters.items()
                                       if k != "data_dir"))
        dd = html.escape(str(r.parameters.get("data_dir", "")))
        tables_dir = r.tables_dir.removeprefix(link_base + "/") if link_base else r.tables_dir
        tables = (f'<a href="{html.escape(tables_dir)}/">{len(r.results)}</a>'
                  if r.results else "0")
        cls = "ok" if r.status == "ok" else "failed"
        readers = html.escape(_("anyone: small numbers suppressed")
                              if r.folder == PUBLISHED_DIR else
                              _("the evaluation team only"))
        question = html.escape(r.question) or "-"
        if r.question and lang != current_language():
            question = f'<span lang="{lang}">{question}</span>'
        rows.append(f'<tr class="{cls}"><td>{link}<div class="t">{heading}</div></td>'
                    f"<td>{question}</td><td>{readers}</td>"
                    f"<td>{params}</td><td><code>{dd}</code></td><td>{status}</td>"
                    f"<td>{tables}</td></tr>")
    return rows


def _index_page(title: str, intro: str, rows: list[str], footer: str) -> str:
    heads = "\n".join("".join(f"<th>{html.escape(h)}</th>" for h in line) for line in (
        (_("report"), _("what it answers"), _("who may read it")),
        (_("parameters"), _("dataset"), _("status"), _("result tables"))))
    return f"""<!doctype html>
<html lang="{current_language()}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_INDEX_CSS}</style></head><body>
<h1>{html.escape(title)}</h1>
{intro}
<table><thead><tr>{heads}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
{footer}
</body></html>
"""


def _footer(manifest: Mapping) -> str:
    git = manifest.get("git", {})
    said = (_("Rendered by srb-eval {version} on Python {python} from commit {commit} (with "
              "uncommitted changes), {finished}.") if git.get("dirty") else
            _("Rendered by srb-eval {version} on Python {python} from commit {commit}, "
              "{finished}."))
    return '<p class="meta">' + html.escape(said.format(
        version=manifest["versions"].get("srb-eval", ""), python=manifest.get("python", ""),
        commit=str(git.get("commit", "unknown"))[:12],
        finished=manifest.get("finished", ""))) + "</p>"


def _withheld_notice(withheld: list[JobResult], n_published: int) -> str:
    names = ", ".join(r.name for r in withheld)
    said = (_("Too few learners to publish: every published report ({names}) covers too few "
              "learners for its figures to be published without pointing to single "
              "children, so it shows only a notice.") if len(withheld) == n_published else
            _("Too few learners to publish: {n} of {total} published reports ({names}) covers "
              "too few learners for its figures to be published without pointing to single "
              "children, so it shows only a notice."))
    return ('\n<p class="notice internal" role="alert">' + html.escape(said.format(
        names=names, n=len(withheld), total=n_published)) + "</p>")


def _audit_notice(audit: Mapping | None) -> str:
    """The internal index's account of the disclosure audit (``srb-eval audit``)."""
    if not audit:
        return ('\n<p class="notice">' + html.escape(_(
            "Disclosure audit: no published table of this render carries a disclosure "
            "record, so nothing was audited.")) + "</p>")
    if audit.get("skipped"):
        return ('\n<p class="notice internal" role="alert">' + _(
            "Not audited: the disclosure audit of the published reports was not run while "
            "rendering ({reason}). Run {command} on the published folder before circulating "
            "it.").format(reason=in_english(html.escape(audit["skipped"])),
                          command="<code>srb-eval audit</code>") + "</p>")
    if audit["passed"]:
        return ('\n<p class="notice">' + html.escape(_(
            "Disclosure audit passed: {hidden} hidden counts in {records} recorded published "
            "tables, none of them recoverable from the rest (tables without a record are "
            "not audited).").format(hidden=audit["hidden"], records=audit["records"]))
            + "</p>")
    # a failed audit fails the render (srb_eval.run.render.audit_failure): no index
    raise ValueError("an index is never written for a render whose audit failed")


def render_languages(results: list[JobResult]) -> list[str]:
    """The languages of a render's reports, English first: an index is written in each
    (``index.html`` in the first, ``index.cy.html`` in Welsh)."""
    found = {report_language(r.parameters) for r in results}
    return [code for code in LANGUAGES if code in found or code == LANGUAGES[0]]


def index_name(language: str) -> str:
    """The file name of the index in ``language``: ``index.html``, ``index.cy.html``."""
    return "index.html" if language == LANGUAGES[0] else f"index.{language}.html"


def _other_indexes(results: list[JobResult]) -> str:
    """Links from an index to the same index in the render's other languages."""
    from ..report.i18n import LANGUAGE_NAMES

    links = [f'<a href="{index_name(code)}" lang="{code}" hreflang="{code}">'
             f"{html.escape(LANGUAGE_NAMES[code])}</a>"
             for code in render_languages(results) if code != current_language()]
    return f'<p class="meta">{" | ".join(links)}</p>\n' if links else ""


def index_html(results: list[JobResult], manifest: Mapping, language: str = "en") -> str:
    """The index of a whole render (internal: it lists internal reports too), in
    ``language``."""
    with in_language(language):
        return _index_html(results, manifest)


def render_title(manifest: Mapping) -> str:
    """The title of a render in the current language: its ``titles`` entry for the
    language when the parameter file gave one, else its title."""
    titles = manifest.get("titles") or {}
    return str(titles.get(current_language()) or manifest.get("title", "srb-eval reports"))


def _index_html(results: list[JobResult], manifest: Mapping) -> str:
    title = render_title(manifest)
    n_failed = sum(r.status != "ok" for r in results)
    summary = (_("{n} reports, all rendered").format(n=len(results)) if not n_failed
               else _("{n} reports, {failed} failed").format(n=len(results), failed=n_failed))
    n_pub = sum(r.folder == PUBLISHED_DIR for r in results)
    index = index_name(current_language())
    where = (_("The {n} published report(s) and their own index are in {folder}: circulate "
               "that folder only.").format(
                   n=n_pub, folder=f'<a href="{PUBLISHED_DIR}/{index}">{PUBLISHED_DIR}/</a>')
             if n_pub else html.escape(_("This render has no published report.")))
    intro = (_other_indexes(results) + '<p class="notice internal" role="note">'
             + html.escape(_("Internal: not for circulation. This folder holds internal "
                             "reports, logs and the manifest.")) + f" {where}</p>\n<p>"
             + _("{summary}. Provenance (parameters, input hashes, versions, git commit, "
                 "result table hashes) is in {manifest}; re-run with {command}.").format(
                     summary=html.escape(summary),
                     manifest='<a href="manifest.json">manifest.json</a>',
                     command="<code>srb-eval reproduce &lt;"
                     + html.escape(_("this folder")) + "&gt;</code>")
             + "</p>")
    withheld = [r for r in results if r.withheld]
    if withheld:
        intro += _withheld_notice(withheld, n_pub)
    intro += _audit_notice(manifest.get("disclosure_audit"))
    return _index_page(title, intro, _index_rows(results, link_base="", published=False),
                       _footer(manifest))


def _circulation(audit: Mapping | None) -> str:
    """The end of the published index's first notice: may the folder be circulated?"""
    if audit is None:
        return html.escape(_("; none of its tables carries a disclosure record, so the audit "
                             "had nothing to check.")) + "</p>"
    if audit["passed"]:
        return html.escape(_("; it passed the disclosure audit and may be circulated as a "
                             "whole.")) + "</p>"
    return _(". Circulate it only once {command} on this folder passes.").format(
        command="<code>srb-eval audit</code>") + "</p>"


def published_index_html(results: list[JobResult], manifest: Mapping,
                         language: str = "en") -> str:
    """The index of the ``published/`` folder: published reports only, in ``language``."""
    with in_language(language):
        return _published_index_html(results, manifest)


def _published_index_html(results: list[JobResult], manifest: Mapping) -> str:
    title = _("{title}: published reports").format(title=render_title(manifest))
    pub = [r for r in results if r.folder == PUBLISHED_DIR]
    intro = (_other_indexes(pub) + '<p class="notice" role="note">' + html.escape(_(
        "Published reports: small numbers are suppressed and no learner-level detail is "
        "shown. This folder holds only reports rendered for publication and their result "
        "tables")) + _circulation(manifest.get("disclosure_audit")))
    withheld = [r for r in pub if r.withheld]
    if withheld:
        intro += _withheld_notice(withheld, len(pub))
    audit = manifest.get("disclosure_audit")
    if audit and audit["passed"] is None:
        intro += ('\n<p class="notice internal" role="alert">' + _(
            "Not audited: the disclosure audit was not run while rendering ({option}), so "
            "nothing has checked that a hidden count cannot be worked out from the rest. "
            "Run {command} on this folder before circulating it.").format(
                option="<code>--no-audit</code>",
                command="<code>srb-eval audit</code>") + "</p>")
    return _index_page(title, intro, _index_rows(pub, link_base=PUBLISHED_DIR,
                                                 published=True), _footer(manifest))
