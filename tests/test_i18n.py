"""Bilingual reports (issue #19): the message catalogues, the language parameter, and a
render of the translated reports in English and Welsh.

The render tests read the Welsh copies of the whole demo suite (``parameters/demo.yaml``
with ``languages: [cy]``) beside the session's English demo render (``rendered_demo``, the
suite ``make report`` renders), so the suite is not rendered in English twice;
``parameters/demo_bilingual.yaml`` is checked to be that suite in both languages, and a
render of one report in both languages shows the index linking each pair (its Welsh copy
is the suite's, so that report is not rendered in Welsh twice). A Welsh render
shows no untranslated message, a translator's change to the Welsh ``.po`` changes the next
Welsh render with no code change, and the Welsh and English renders of the same data hold
the same numbers in every result table.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from srb_eval import ParameterError
from srb_eval.report import i18n
from srb_eval.run.parameters import check_languages, load_parameter_file, plan
from srb_eval.run.render import render

from .conftest import DEMO, ROOT, shared_render

LOCALE = ROOT / "srb_eval" / "locale"
POT = LOCALE / "srb_eval.pot"
WELSH_PO = LOCALE / "cy" / "LC_MESSAGES" / "srb_eval.po"
BILINGUAL = ROOT / "parameters" / "demo_bilingual.yaml"
DEMO_SUITE = ROOT / "parameters" / "demo.yaml"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
#: The reports of the bilingual demo render, in the order of ``demo_bilingual.yaml``.
WELSH_REPORTS = ("00_data_quality", "10_learner_progress__published",
                 "10_learner_progress__internal", "50_learner_profile", "40_capacity",
                 "45_value_for_money__published",
                 "45_value_for_money__internal", "60_comparison__published",
                 "60_comparison__internal", "20_inclusion__published",
                 "20_inclusion__internal", "30_estyn_outcomes")


def _catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def _key(message) -> tuple:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _extracted() -> set[tuple]:
    """The messages the code marks today, extracted as ``make messages`` does."""
    method_map = [("srb_eval/report/**.py", "python"), ("srb_eval/run/**.py", "python"),
                  ("notebooks/*.py", "python")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "N_": None}
    found = set()
    for _file, _line, msg, _comments, context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=keywords):
        found.add((context, msg if isinstance(msg, str) else msg[0]))
    return found


# --------------------------------------------------------------------------- catalogues


def test_template_is_up_to_date_with_the_code():
    """``make messages`` has been run: the .pot holds exactly the messages the code marks."""
    in_pot = {_key(m) for m in _catalogue(POT) if m.id}
    in_code = _extracted()
    assert sorted(in_code - in_pot, key=str) == [], "run `make messages`"
    assert sorted(in_pot - in_code, key=str) == [], "run `make messages`"


def test_welsh_catalogue_translates_every_message_of_the_template():
    pot = {_key(m) for m in _catalogue(POT) if m.id}
    po = _catalogue(WELSH_PO)
    assert {_key(m) for m in po if m.id} == pot
    untranslated = [m.id for m in po if m.id and (
        m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    assert untranslated == []


def test_welsh_translations_keep_every_placeholder():
    for m in _catalogue(WELSH_PO):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) == wanted, (m.id, s)


def test_welsh_catalogue_says_it_is_a_draft_for_a_translator():
    head = WELSH_PO.read_text(encoding="utf-8").split('msgid ""')[0]
    assert "DRAFT TRANSLATION" in head and "translator" in head
    assert "draft" in _catalogue(WELSH_PO).language_team.lower()


def test_catalogues_are_package_data():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*.pot", "locale/*/LC_MESSAGES/*.po"' in text


# --------------------------------------------------------------------------- i18n module


def test_language_is_validated_with_its_name():
    assert i18n.check_language(" CY ") == "cy"
    with pytest.raises(ParameterError, match="language: must be 'en'.*not 'fr'"):
        i18n.check_language("fr")
    with pytest.raises(ParameterError, match="languages: must be"):
        check_languages("cy")
    with pytest.raises(ParameterError, match="listed twice"):
        check_languages(["cy", "CY"])
    assert check_languages(["cy", "en"]) == ["en", "cy"]


def test_messages_numbers_and_dates_follow_the_language():
    assert i18n.current_language() == "en"
    assert i18n.gettext("no data") == "no data"
    with i18n.in_language("cy"):
        assert i18n.gettext("no data") == "dim data"
        assert i18n.pgettext("audience", "internal") == "mewnol"
        assert i18n.format_date(pd.Timestamp("2024-09-03")) == "03 Medi 2024"
        assert i18n.format_date(pd.Timestamp("2024-02-01"), "month") == "Chwefror 2024"
        assert i18n.format_number(12345.25, 1) == "12,345.2"
    assert i18n.current_language() == "en"
    assert i18n.format_date(pd.Timestamp("2024-09-03"), "short") == "03 Sep 2024"


def test_english_numbers_are_those_python_formats():
    """The English reports' numbers did not change: babel rounds the exact binary value
    half to even, as Python's own formatting does."""
    values = [2.675, 0.125, -0.04, 1234.5, 0.45, 99.95, 1e6 + 0.5, -2.5, 3.0]
    for v in values:
        for d in (0, 1, 2):
            want = f"{round(v, d) + 0.0:.{d}f}"
            assert i18n.format_number(v, d, grouping=False) == want, (v, d)


def test_a_message_missing_from_the_welsh_catalogue_warns():
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="not here"):
        assert i18n.gettext("not here") == "not here"


def test_catalogue_dir_can_point_elsewhere(tmp_path, monkeypatch):
    shutil.copytree(LOCALE, tmp_path / "locale")
    po = tmp_path / "locale" / "cy" / "LC_MESSAGES" / "srb_eval.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "dim data"',
                                                        'msgstr "dim data o gwbl"'),
                  encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path / "locale"))
    with i18n.in_language("cy"):
        assert i18n.gettext("no data") == "dim data o gwbl"


# --------------------------------------------------------------------------- planning


def test_languages_make_a_welsh_copy_of_each_report():
    spec = load_parameter_file(BILINGUAL)
    jobs = plan(spec)
    assert [j.name for j in jobs] == [n + cy for n in WELSH_REPORTS for cy in ("", ".cy")]
    assert [j.parameters["language"] for j in jobs] == ["en", "cy"] * len(WELSH_REPORTS)


def test_a_language_that_is_not_offered_is_refused_before_anything_runs(tmp_path):
    spec = {"title": "t", "data_dir": "data/demo",
            "reports": [{"notebook": "00_data_quality", "parameters": {"language": "fr"}}]}
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(spec))
    with pytest.raises(ParameterError, match="language: must be 'en'.*not 'fr'"):
        plan(load_parameter_file(p))


def test_a_notebook_without_a_language_parameter_is_refused(tmp_path):
    # every report of the suite has one now: a notebook of the user's own without it
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("audience = 'internal'",
                                          metadata={"tags": ["parameters"]})]
    own = tmp_path / "own.ipynb"
    nbformat.write(nb, own)
    spec = {"title": "t", "data_dir": "data/demo", "languages": ["en", "cy"],
            "reports": [{"notebook": str(own)}]}
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(spec))
    with pytest.raises(ParameterError, match="declares no 'language' parameter"):
        plan(load_parameter_file(p), own_notebooks=True)


# --------------------------------------------------------------------------- rendered


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text a reader sees in an HTML page (no style or script), leaving out what is
    marked as another language (``lang="en"`` inside a Welsh page) when ``skip_lang``."""

    def __init__(self, skip_lang: str | None) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []
        self._skip_lang = skip_lang

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        skip = tag in ("style", "script") or (
            self._skip_lang is not None and dict(attrs).get("lang") == self._skip_lang)
        self._open.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        if not any(skip for _tag, skip in self._open):
            self.parts.append(data)


def visible_text(html_text: str, *, skip_lang: str | None = None) -> str:
    """The visible text of a page; ``skip_lang`` leaves out passages in that language."""
    parser = _Text(skip_lang)
    parser.feed(html_text)
    return " ".join(" ".join(parser.parts).split())


def english_fragments(message) -> list[str]:
    """The English words of a catalogue entry long enough to be a sentence of it: its
    msgid cut at placeholders and Markdown emphasis, pieces of three words or more."""
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    pieces = []
    for msgid in ids:
        for piece in re.split(r"\{[^{}]*\}|\*\*|<[^>]+>|`", msgid):
            piece = " ".join(piece.split()).strip(" .,:;()")
            if len(piece.split()) >= 3:
                pieces.append(piece)
    return pieces


def test_the_bilingual_demo_file_is_the_demo_suite_in_both_languages():
    """What the render tests below read: ``demo_bilingual.yaml`` plans the reports of
    ``demo.yaml`` (same names, same parameters) once in English and once in Welsh."""
    def jobs(path: Path) -> set[tuple]:
        return {(j.notebook, j.name, json.dumps(
            {k: v for k, v in j.parameters.items() if k != "language"}, sort_keys=True,
            default=str)) for j in plan(load_parameter_file(path))}

    english = jobs(DEMO_SUITE)
    both = jobs(BILINGUAL)
    assert {n for _nb, n, _p in both} == {n + cy for _nb, n, _p in english
                                          for cy in ("", ".cy")}
    assert {j for j in both if not j[1].endswith(".cy")} == english
    assert {(nb, n.removesuffix(".cy"), p) for nb, n, p in both} == english
    assert sorted(n for _nb, n, _p in english) == sorted(WELSH_REPORTS)


#: The report rendered in both languages by ``bilingual``.
PAIRED = "00_data_quality"


@pytest.fixture(scope="module")
def welsh(tmp_path_factory, bilingual) -> dict[str, Path]:
    """{report: the render folder holding its Welsh copy} for the Welsh copies of the demo
    suite (``demo.yaml``, ``languages: [cy]``): that of ``00_data_quality`` is the one
    ``bilingual`` renders (checked to be the same notebook, data and parameters), the
    others are rendered together."""
    spec = yaml.safe_load(DEMO_SUITE.read_text(encoding="utf-8"))
    spec.update(data_dir=str(DEMO), languages=["cy"])
    path = tmp_path_factory.mktemp("welsh") / "demo_welsh.yaml"
    path.write_text(yaml.safe_dump(spec))
    (job,) = [j for j in plan(load_parameter_file(path)) if j.name == f"{PAIRED}.cy"]
    pair = json.loads((bilingual / "manifest.json").read_text(encoding="utf-8"))["reports"]
    (copy,) = [r for r in pair if r["name"] == f"{PAIRED}.cy"]
    assert (Path(copy["notebook_path"]).stem, copy["parameters"]) == (
        Path(job.notebook).stem, job.parameters)
    spec["reports"] = [r for r in spec["reports"] if r["notebook"] != PAIRED]
    suite = shared_render(tmp_path_factory, "demo_welsh", spec)[0]
    return {n: bilingual if n == PAIRED else suite for n in WELSH_REPORTS}


@pytest.fixture(scope="module")
def english(rendered_demo) -> Path:
    """The English demo suite: the session's render of ``demo.yaml``."""
    return rendered_demo[0]


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    """One report rendered in both languages, with the index that links the pair."""
    spec = {"title": {"en": "One report in English and Welsh",
                      "cy": "Un adroddiad yn Saesneg ac yn Gymraeg"},
            "data_dir": str(DEMO), "languages": ["en", "cy"],
            "reports": [{"notebook": "00_data_quality",
                         "parameters": {"audience": "internal"}}]}
    return shared_render(tmp_path_factory, "pair", spec)[0]


def _page(folder: Path, name: str) -> Path:
    """The HTML page of report ``name`` in a render folder (internal or published)."""
    return next(p for p in (folder / f"{name}.html", folder / "published" / f"{name}.html")
                if p.exists())


@pytest.mark.slow
def test_welsh_render_has_no_untranslated_message(welsh, bilingual):
    suite = welsh["10_learner_progress__published"]
    folders = sorted(set(welsh.values()))
    welsh = [(folder, r) for folder in folders for r in json.loads(
        (folder / "manifest.json").read_text(encoding="utf-8"))["reports"]
        if r["parameters"].get("language") == "cy"]
    assert sorted(r["name"] for _f, r in welsh) == sorted(n + ".cy" for n in WELSH_REPORTS)
    for folder, r in welsh:
        assert r["status"] == "ok" and r["warnings"] == 0, r
        log = (folder / "logs" / f"{r['name']}.log").read_text(encoding="utf-8")
        assert "UntranslatedWarning" not in log
    po = _catalogue(WELSH_PO)
    english = sorted({f for m in po if m.id and m.string != m.id
                      for f in english_fragments(m)})
    assert len(english) > 100
    pages = [*(folder / r["files"]["html"] for folder, r in welsh), suite / "index.cy.html",
             suite / "published" / "index.cy.html", bilingual / "index.cy.html"]
    for page_file in pages:
        page = visible_text(page_file.read_text(encoding="utf-8"), skip_lang="en")
        assert [f for f in english if f in page] == [], page_file


@pytest.mark.slow
def test_pages_carry_their_language_and_link_their_pair(english, welsh, bilingual):
    for folder, name, lang in [(english, n, "en") for n in WELSH_REPORTS] + [
            (welsh[n], n + ".cy", "cy") for n in WELSH_REPORTS]:
        page = _page(folder, name).read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in page
        assert ("Cyfieithiad drafft" in page) == (lang == "cy")
    index = (bilingual / "index.html").read_text(encoding="utf-8")
    assert '<a href="00_data_quality.cy.html" lang="cy" hreflang="cy">Cymraeg</a>' in index
    assert '<a href="00_data_quality.html" lang="en" hreflang="en">English</a>' in index
    assert '<a href="index.cy.html" lang="cy" hreflang="cy">Cymraeg</a>' in index
    welsh_index = (bilingual / "index.cy.html").read_text(encoding="utf-8")
    assert '<html lang="cy">' in welsh_index
    assert '<a href="index.html" lang="en" hreflang="en">English</a>' in welsh_index
    assert "<th>adroddiad</th>" in welsh_index
    # an English report's title in the Welsh index is marked as English
    assert '<span lang="en">Data quality: is the dataset fit to evaluate?</span>' in welsh_index


def _numbers(frame: pd.DataFrame) -> list[list[str]]:
    """Every number in a result table, cell by cell (text cells: the numbers in them)."""
    return [[" ".join(re.findall(r"\d+(?:\.\d+)?", str(v))) for v in row]
            for row in frame.itertuples(index=False)]


@pytest.mark.slow
def test_welsh_and_english_tables_hold_the_same_numbers(english, welsh):
    pairs, reports = 0, set()
    for table in sorted([*(english / "tables").glob("*/*.csv"),
                         *(english / "published" / "tables").glob("*/*.csv")]):
        if table.parent.name not in WELSH_REPORTS:
            continue
        copy = welsh[table.parent.name] / table.relative_to(english).parent.parent / (
            f"{table.parent.name}.cy") / table.name
        a = pd.read_csv(table, dtype=str, keep_default_na=False)
        b = pd.read_csv(copy, dtype=str, keep_default_na=False)
        assert a.shape == b.shape, table
        assert _numbers(a) == _numbers(b), table
        pairs += 1
        reports.add(table.parent.name)
    assert pairs >= 30
    assert reports == set(WELSH_REPORTS)


class _Cells(HTMLParser):
    """The text of every cell (``td``, ``th``) of every table of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _shown_numbers(page: Path) -> list[str]:
    """The numbers of every table cell a page shows, cell by cell (the provenance table,
    whose render time and commit differ, left out)."""
    parser = _Cells()
    parser.feed(page.read_text(encoding="utf-8").split('id="Provenance"')[0]
                .split('id="Tarddiad"')[0])
    return [" ".join(re.findall(r"\d+(?:[.,]\d+)*", c)) for c in parser.cells]


@pytest.mark.slow
def test_welsh_and_english_pages_show_the_same_numbers_in_every_table(english, welsh):
    """The tables a Welsh page shows (translated copies of the recorded English tables)
    hold the numbers of the English page's, cell by cell."""
    for name in WELSH_REPORTS:
        in_english = _shown_numbers(_page(english, name))
        in_welsh = _shown_numbers(_page(welsh[name], name + ".cy"))
        assert len(in_english) > 10, name
        assert in_welsh == in_english, name


@pytest.mark.slow
def test_a_translators_correction_changes_the_next_welsh_render(tmp_path, monkeypatch):
    """Edit one entry of a copy of the Welsh .po; render; the page says the new words."""
    shutil.copytree(LOCALE, tmp_path / "locale")
    po = tmp_path / "locale" / "cy" / "LC_MESSAGES" / "srb_eval.po"
    old = "Ansawdd data: a yw’r set ddata yn addas i’w gwerthuso?"
    new = "Ansawdd y data: a yw’r set ddata yn barod i’w gwerthuso?"
    text = po.read_text(encoding="utf-8")
    assert text.count(f'msgstr "{old}"') == 1
    po.write_text(text.replace(f'msgstr "{old}"', f'msgstr "{new}"'), encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path / "locale"))
    params = tmp_path / "cy.yaml"
    params.write_text(yaml.safe_dump({
        "title": "one Welsh report", "data_dir": "data/demo",
        "reports": [{"notebook": "00_data_quality",
                     "parameters": {"audience": "internal", "language": "cy"}}]}))
    render(params, out=tmp_path / "out", progress=False)
    page = visible_text((tmp_path / "out" / "00_data_quality.html").read_text(
        encoding="utf-8"))
    assert new in page and old not in page


@pytest.mark.slow
def test_word_paper_carries_the_language(bilingual, tmp_path):
    from docx import Document

    from srb_eval.run.word import notebook_to_docx

    params = {"data_dir": "data/demo", "audience": "internal", "language": "cy"}
    out = notebook_to_docx(bilingual / "00_data_quality.cy.ipynb", tmp_path / "p.docx",
                           name="00_data_quality.cy", parameters=params)
    doc = Document(str(out))
    assert doc.core_properties.language == "cy-GB"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Am y papur hwn" in text and "Cyfieithiad drafft" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error", i18n.UntranslatedWarning)
        notebook_to_docx(bilingual / "00_data_quality.ipynb", tmp_path / "e.docx",
                         name="00_data_quality", parameters={**params, "language": "en"})
    assert Document(str(tmp_path / "e.docx")).core_properties.language == "en-GB"


def test_estyn_words_in_both_languages_come_from_one_table():
    from srb_eval.report import quantifiers

    table = quantifiers.quantifier_table()
    welsh = quantifiers.term_words(language="cy")
    assert list(welsh) == table["term"].tolist()  # the same bands, keyed by the term
    assert [welsh[t] for t in ("nearly all", "most", "many", "a majority", "half",
                               "a minority", "few", "very few")] == [
        "bron pob un", "y rhan fwyaf", "llawer", "mwyafrif", "hanner", "lleiafrif",
        "ychydig", "ychydig iawn"]
    assert len(set(welsh.values())) == len(welsh)
    with i18n.in_language("cy"):
        assert quantifiers.sentence_forms()["most"] == "Y rhan fwyaf o’r"
        assert quantifiers.term_words()["few"] == "ychydig"
    assert quantifiers.sentence_forms()["most"] == "Most"
    # a table of one's own without the Welsh columns still works (English words)
    own = table.drop(columns=list(quantifiers.WELSH_COLUMNS))
    assert quantifiers.term_words(own, language="cy")["most"] == "most"


def test_a_saved_correction_is_read_again(tmp_path, monkeypatch):
    """In a running notebook too: the catalogue is read again once its file changed."""
    import os

    shutil.copytree(LOCALE, tmp_path / "locale")
    po = tmp_path / "locale" / "cy" / "LC_MESSAGES" / "srb_eval.po"
    monkeypatch.setenv(i18n.LOCALE_ENV, str(tmp_path / "locale"))
    with i18n.in_language("cy"):
        assert i18n.gettext("no data") == "dim data"
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "dim data"',
                                                            'msgstr "dim data eto"'),
                      encoding="utf-8")
        stat = po.stat()
        os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert i18n.gettext("no data") == "dim data eto"


def _welsh_english_fragments() -> list[str]:
    return sorted({f for m in _catalogue(WELSH_PO) if m.id and m.string != m.id
                   for f in english_fragments(m)})


def test_welsh_index_pages_of_every_kind_are_in_welsh():
    """Failed, withheld and audited renders: the index words that the demo render does
    not reach are in Welsh too; English error messages are marked as English."""
    from srb_eval.run.html import index_html, published_index_html
    from srb_eval.run.jobs import JobResult

    def result(name, status="ok", **kw):
        return JobResult(name, "nb", {"audience": "published", "language": "cy"}, status,
                         1.0, files={"html": f"published/{name}.html"}, folder="published",
                         **kw)

    results = [result("a.cy", title="Teitl", question="Cwestiwn?"),
               result("b.cy", withheld="too few"),
               result("c.cy", "failed", error="ValueError: bad value", failed_cell=3,
                      failed_source="x = 1"),
               result("d.cy", warnings=2)]
    english = _welsh_english_fragments()
    for audit in (None, {"passed": True, "hidden": 4, "records": 2},
                  {"skipped": "too many hidden counts", "passed": None}):
        manifest = {"title": "Rendrad", "versions": {"srb-eval": "0.1"}, "python": "3.11",
                    "git": {"commit": "abc", "dirty": True}, "finished": "now",
                    "disclosure_audit": audit}
        for page in (index_html(results, manifest, "cy"),
                     published_index_html(results, manifest, "cy")):
            assert '<html lang="cy">' in page
            text = visible_text(page, skip_lang="en")
            assert [f for f in english if f in text] == []
            assert "ValueError: bad value" not in text  # shown, but marked as English
            assert '<span lang="en">ValueError: bad value</span>' in page or \
                "METHODD</td>" in page


def test_welsh_notices_and_failure_banner_are_in_welsh():
    from srb_eval.report import disclosure
    from srb_eval.run.html import _banner

    english = _welsh_english_fragments()
    with i18n.in_language("cy"):
        notice = disclosure.withheld_notice()
        banner = _banner(title="T", name="00_data_quality.cy",
                         parameters={"data_dir": "data/demo", "audience": "internal",
                                     "language": "cy"},
                         rendered="heddiw", failure="KeyError: 'x'")
    for text in (notice, visible_text(banner, skip_lang="en")):
        assert [f for f in english if f in text] == []
    assert "Rhy ychydig o ddysgwyr" in notice
    assert '<span lang="en">KeyError: &#x27;x&#x27;</span>' in banner


def test_a_render_title_may_be_given_in_each_language(tmp_path):
    from srb_eval.run.html import index_html

    spec = load_parameter_file(BILINGUAL)
    assert set(spec["title"]) == {"en", "cy"}
    manifest = {"title": spec["title"]["en"], "titles": spec["title"],
                "versions": {}, "git": {}, "disclosure_audit": None}
    assert f"<h1>{spec['title']['cy']}</h1>" in index_html([], manifest, "cy")
    assert f"<h1>{spec['title']['en']}</h1>" in index_html([], manifest, "en")
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump({"title": {"fr": "Titre"}, "reports": [{"notebook": "x"}]}))
    with pytest.raises(ParameterError, match="title \\('fr'\\): must be 'en'"):
        load_parameter_file(p)


# --------------------------------------------------------------------------- Welsh "and"


@pytest.mark.parametrize(("word", "want"), [
    ("Abertawe", "ac"), ("ysgol", "ac"), ("Ynys Môn", "ac"), ("Wrecsam", "ac"),
    ("Ŵyl", "ac"), ("‘Eglwys’", "ac"), ("mae", "ac"), ("Mai", "ac"), ("sydd", "ac"),
    ("fel", "ac"), ("nid", "ac"), ("Caerdydd", "a"), ("Bangor", "a"), ("hanner", "a"),
    ("SRB01", "a"), ("1", "ac"), ("8", "ac"), ("16", "ac"), ("80", "ac"), ("850", "ac"),
    ("8,000", "ac"), ("10", "a"), ("2", "a"), ("100", "a"), ("1,000", "a"),
    ("1,000,000", "a"), ("", "a"), (".", "a"), (") Ysgol", "a"), (", x", "a")])
def test_welsh_and_is_ac_before_a_vowel_and_some_words(word, want):
    assert i18n.welsh_and(word) == want


def test_lists_join_with_and_in_the_language_of_the_report():
    assert i18n.join_and(["SRB01", "SRB02"]) == "SRB01 and SRB02"
    # no comma before "and": the English reports' own lists (capacity's "A, B and C")
    assert i18n.join_and(["A", "B", "C"]) == "A, B and C"
    assert i18n.join_and(["A"]) == "A" and i18n.join_and([]) == ""
    with i18n.in_language("cy"):
        assert i18n.join_and(["Caerdydd", "Abertawe"]) == "Caerdydd ac Abertawe"
        assert i18n.join_and(["Abertawe", "Caerdydd"]) == "Abertawe a Caerdydd"
        assert i18n.join_and(["SRB01", "SRB02", "ysgol"]) == "SRB01, SRB02 ac ysgol"
        assert "a(c)" not in i18n.join_and(["x", "y", "z"])


# --------------------------------------------------------------------------- tables


def test_a_translated_table_keeps_every_number_and_translates_its_words():
    from srb_eval.report import comparison as W

    effects = pd.DataFrame({"method": [W.METHOD_WORDS["hedges_g"]], "estimate": ["0.25"],
                            "p": [W.BELOW_0001], "SRB learners": ["<5"],
                            "note": ["a multilevel model needs learners from at least 10 "
                                     "SRBs; these are from 4"]})
    assert W.shown(effects) is effects  # English: the recorded table itself
    with i18n.in_language("cy"):
        welsh = W.shown(effects)
    assert list(welsh.columns) == ["dull", "amcangyfrif", "gwerth p", "dysgwyr CAA", "nodyn"]
    assert welsh.iloc[0].tolist() == [
        "g Hedges: y gwahaniaeth yn y deilliant mewn gwyriadau safonol", "0.25",
        "llai na 0.001", "<5", "mae angen dysgwyr o 10 CAA o leiaf ar fodel amllefel; "
        "mae’r rhain o 4"]
    assert list(effects.columns) == ["method", "estimate", "p", "SRB learners", "note"]


def test_value_for_money_words_and_assumptions_in_welsh():
    from srb_eval.report import value_for_money as W

    scenario = pd.DataFrame({
        "line": ["cost avoided", "unfilled SRB places filled", "net difference a year"],
        "setting": ["special school out of county, independent special school", "", ""],
        "learners": ["8", "13", "13"], "pounds a year": ["−£479,300", "£20,673", "[c]"],
        "assumption": ["mean annual fee and transport of the 8 placements of this type open "
                       "on 31 March 2026 whose need and phase an SRB serves: £59,912",
                       "£1,590 a place (2025-26, cash); 34 places unfilled on average over "
                       "the year, each taken to suit any learner",
                       "below 0: the scenario costs less"],
        "parameter": ["learners, from_settings", "unfilled_place_cost", ""]})
    assert W.shown(scenario) is scenario
    with i18n.in_language("cy"):
        welsh = W.shown(scenario)
        assert W.price_words("2024-25", "2025-26 prices") == "2024-25, ym mhrisiau 2025-26"
        assert W.base_words("2025-26 prices") == "prisiau 2025-26"
    assert welsh["llinell"].tolist() == ["cost a osgoir", "lleoedd CAA gwag wedi’u llenwi",
                                         "gwahaniaeth net y flwyddyn"]
    assert welsh["math o leoliad"].iloc[0] == ("ysgol arbennig y tu allan i’r sir, ysgol arbennig "
                                         "annibynnol")
    assert "31 Mawrth 2026" in welsh["rhagdybiaeth"].iloc[0]
    assert welsh["rhagdybiaeth"].iloc[1].startswith("£1,590 y lle (2025-26, arian parod); 34")
    assert _numbers(welsh) == _numbers(scenario)
    assert welsh["paramedr"].tolist() == scenario["parameter"].tolist()  # parameter names
    sufficiency = pd.DataFrame({"phase": ["primary", "all-through", "all phases"],
                                "primary need": ["ASD", "SLCN", "all needs"]})
    with i18n.in_language("cy"):
        assert W.shown(sufficiency).to_dict("list") == {
            "cyfnod": ["cynradd", "pob oed", "pob cyfnod"],
            "prif angen": ["ASD", "SLCN", "pob angen"]}


def test_regression_caveat_in_welsh_names_the_table_in_welsh():
    from srb_eval.report.regression_wording import regression_caveat

    english = regression_caveat(True, where="below")
    with i18n.in_language("cy"):
        welsh = regression_caveat(True, where="below")
    assert english.startswith("**Regression to the mean.** Learners are placed")
    assert welsh.startswith("**Atchwel tuag at y cymedr.**")
    assert "“Faint o’r newid sy’n atchwel tuag at y cymedr?” isod" in welsh


def test_assessment_areas_are_shown_in_the_reports_language():
    """The areas of the data model are codes, not names from the data: a Welsh page
    shows them in Welsh (review: "literacy" was left in English on pages 45 and 60)."""
    assert [i18n.area_word(a) for a in ("literacy", "personal_social")] == [
        "literacy", "personal_social"]
    with i18n.in_language("cy"):
        assert [i18n.area_word(a) for a in ("literacy", "personal_social", "Reading")] == [
            "llythrennedd", "personol a chymdeithasol", "Reading"]


def test_a_sentence_from_another_layer_that_no_message_matches_is_not_silent():
    """Reports 45 and 60 translate the measures' English notes by matching them; a note
    reworded in the measures layer would come out in English on a Welsh page, so it
    warns, as an untranslated catalogue message does."""
    import warnings

    from srb_eval.report.comparison import note_words

    known = "a multilevel model needs both groups and at least 10 learners"
    reworded = "a multilevel model wants more learners"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert note_words(reworded) == reworded  # English: nothing to translate
        with i18n.in_language("cy"):
            assert note_words(known) == ("mae angen y ddau grŵp ac o leiaf 10 o ddysgwyr ar "
                                         "fodel amllefel")
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="wants more"):
        assert note_words(reworded) == reworded


def test_a_reworded_assumption_of_the_scenario_warns_on_a_welsh_page():
    """The scenario's assumptions come from the measures layer in English; one that no
    message matches is shown as it is, with a warning in a Welsh report (data values in
    other columns, such as SRB names, are shown as given without one)."""
    import warnings

    from srb_eval.report.value_for_money import shown

    table = pd.DataFrame({"line": ["SRB places"], "setting": ["Ysgol Tywod Primary SRB"],
                          "assumption": ["£9,000 a place (2024-25, 2024-25 prices)"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with i18n.in_language("cy"):
            shown(table)
    reworded = table.assign(assumption=["each place costs £9,000"])
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="each place"):
        out = shown(reworded)
    assert out.iloc[0].tolist()[1:] == ["Ysgol Tywod Primary SRB", "each place costs £9,000"]


def test_capacity_notes_of_the_measures_are_translated_or_warn():
    """Report 40 shows the forecast's notes (English, from the measures layer) translated
    by matching; a note reworded upstream warns on a Welsh page instead of showing English
    in silence. Ranges and balances keep their numbers."""
    import warnings

    from srb_eval.report.capacity_wording import shown
    from srb_eval.report.forecast import forecast_note_words

    notes = ("no interval: 1 year of admissions history, fewer than 2; "
             "<5 on roll past their SRB's age range: assumed to leave this year")
    table = pd.DataFrame({"phase": ["primary", "all"], "interval_80pct": ["45 to 55", "(count)"],
                          "balance": ["6.5 spare", "none spare"], "outlook": ["short", "spare"],
                          "note": [notes, "-"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert shown(table).equals(table)  # English: the recorded table itself
        with i18n.in_language("cy"):
            out = shown(table)
    assert out.columns.tolist() == ["cyfnod", "ystod debygol (80% o’r canlyniadau)",
                                    "gwahaniaeth", "rhagolygon", "nodyn"]
    assert out.iloc[0].tolist() == [
        "cynradd", "45 i 55", "6.5 sbâr", "yn brin",
        "dim cyfwng: 1 blwyddyn o hanes derbyniadau, llai na 2; <5 ar y gofrestr y tu hwnt "
        "i ystod oedran eu CAA: tybir eu bod yn gadael eleni"]
    assert out.iloc[1].tolist() == ["pob cyfnod", "(cyfrif)", "dim sbâr", "sbâr", "-"]
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="admits"):
        assert forecast_note_words("the model admits none") == "the model admits none"
    # a status or a wait's note of the measures reworded warns too; names do not
    waits = pd.DataFrame({"interval": ["panel to start"], "group": ["Ysgol Afon"],
                          "median_weeks": ["too few dates"], "status": ["full"]})
    with i18n.in_language("cy"), pytest.warns(i18n.UntranslatedWarning, match="few dates"):
        out = shown(waits)
    assert out.iloc[0].tolist() == ["panel i ddechrau", "Ysgol Afon", "too few dates", "llawn"]


def test_capacity_sentences_in_welsh_keep_their_numbers_and_dates():
    from srb_eval.data.published import load_published_fig3
    from srb_eval.measures.occupancy import occupancy_from_census
    from srb_eval.report import capacity_wording as CW

    fig3 = load_published_fig3()
    occ = occupancy_from_census(fig3.srbs, fig3.census)
    english = CW.occupancy_heading(occ, audience="published", already_published=True)
    with i18n.in_language("cy"):
        welsh = CW.occupancy_heading(occ, audience="published", already_published=True)
        said = CW.occupancy_sentences(occ, audience="published", already_published=True)
    assert english == "1 October 2020: of 5 SRBs, 1 full and 2 under-used; 42 places unfilled"
    assert welsh == "1 Hydref 2020: o’r 5 CAA, 1 yn llawn a 2 tanddefnyddiedig; 42 lle gwag"
    assert said[0] == "Llawn: Overmonnow Primary School (20 ar y gofrestr ar gyfer 20 lle)."


def test_occupancy_labels_fit_the_figure_in_a_longer_language():
    """Each bar of the occupancy figure is labelled after its end. A long label by the
    longest bar ran past the figure's edge and was cut off: the Welsh status "heb ddigon
    o ddefnydd" in a first draft, and in both languages the label of a hidden count
    ("55 places; on roll not shown (small number)"). The axis is widened until every
    label ends inside it; a figure whose labels fit is drawn as before."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from srb_eval import load_dataset
    from srb_eval.measures.occupancy import occupancy
    from srb_eval.report.plots.capacity import occupancy_bars

    ds = load_dataset(ROOT / "data" / "demo")
    demo = occupancy(ds, pd.Timestamp("2025-10-01"))
    hidden = demo.copy()
    hidden.loc[hidden["capacity"].astype(float).idxmax(), "on_roll"] = 3  # shown as "<5"
    for occ, widened in ((demo, False), (hidden, True)):
        for language in ("en", "cy"):
            with i18n.in_language(language):
                fig = occupancy_bars(occ, audience="published")
            renderer = FigureCanvasAgg(fig).get_renderer()
            fig.draw(renderer)
            ax = fig.axes[0]
            right = ax.get_window_extent(renderer).x1
            ends = [t.get_window_extent(renderer).x1 for t in ax.texts]
            assert len(ends) == len(occ) and max(ends) <= right, (language, max(ends), right)
            assert (ax.get_xlim()[1] > 1.75 * occ["capacity"].max()) == widened
