"""Presentation helpers that keep the notebooks thin.

A notebook loads data, calls the package's methods and shows what they found. These
helpers do the showing the same way everywhere: a report header, tables without the
index and with no NaN shown to a reader, disclosure control for the audience, result
tables recorded for the manifest, and a provenance section.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from .. import __version__
from ..data.files import spreadsheet_safe
from ..paths import PROJECT_ROOT, resolve
from ..provenance import git_state, package_versions
from .headers import plain_header
from .i18n import N_, format_date, pgettext
from .i18n import gettext as _

if TYPE_CHECKING:
    from . import disclosure

#: Environment variable through which ``srb-eval render`` tells a kernel where to record
#: result tables (``<dir>/<name>.csv``). Unset when a notebook is run by hand.
RESULTS_ENV = "SRB_EVAL_RESULTS_DIR"
#: What a table shows for a missing value (in the report's language: ``_(NO_DATA)``).
NO_DATA = N_("no data")


def setup() -> None:
    """One consistent, accessible look for every report (colour-blind-safe palette).

    Text in figures is drawn as written: names come from the data, and matplotlib would
    otherwise read a ``$...$`` in one as a formula (drawn as maths, or failing the
    report for an unknown command)."""
    import matplotlib
    import seaborn as sns

    sns.set_theme(style="whitegrid", palette="colorblind", context="notebook")
    matplotlib.rcParams.update({"figure.dpi": 96, "savefig.dpi": 96, "figure.figsize": (8, 4),
                                "svg.hashsalt": "srb-eval", "text.parse_math": False})
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_columns", 50)
    warnings.filterwarnings("ignore", message=".*Kernel is running over TCP.*")


def data_path(data_dir: str | os.PathLike) -> Path:
    """Resolve a notebook's ``data_dir`` parameter against the project root."""
    return resolve(data_dir)


#: How the header states the question a report answers (the render's index reads it, in
#: the report's language: ``_(QUESTION_LABEL)``).
QUESTION_LABEL = N_("This report answers:")


def header_markdown(title: str, *, dataset_label: str, audience: str,
                    question: str | None = None,
                    extra: Mapping[str, object] | None = None) -> str:
    """The block at the top of every report: title, the question it answers, dataset,
    audience, data period (in the report's language; ``extra`` labels are given
    translated)."""
    lines = [f"# {title}", ""]
    if question:
        lines.append(f"**{_(QUESTION_LABEL)}** {question}  ")
    if audience == "internal":
        said = _("**Audience:** {audience} (learner-level detail shown; do not circulate)")
    else:
        said = _("**Audience:** {audience} (small numbers suppressed; no learner-level "
                 "detail)")
    lines += [_("**Dataset:** {dataset}").format(dataset=dataset_label) + "  ",
              said.format(audience=audience_word(audience)) + "  "]
    for k, v in (extra or {}).items():
        lines.append(f"**{k}:** {v}  ")
    lines.append(f"**srb-eval:** {__version__}")
    return "\n".join(lines)


def audience_word(audience: str) -> str:
    """The name of an audience ("internal", "published") in the report's language."""
    if audience == "internal":
        return pgettext("audience", "internal")
    if audience == "published":
        return pgettext("audience", "published")
    return audience


def dataset_label(source: str | os.PathLike) -> str:
    """A short, stable name for a dataset folder (relative to the project if inside it)."""
    p = Path(source).resolve()
    try:
        rel = p.relative_to(PROJECT_ROOT)
    except ValueError:
        rel = Path(p.name)
    label = str(rel)
    readme = p / "README.md" if p.is_dir() else None
    if readme is not None and readme.exists() and "synthetic" in readme.read_text(
            encoding="utf-8", errors="replace").lower():
        label += " " + _("(synthetic demo data)")
    return label


#: Characters that would let text from the data act as HTML or as a Markdown link.
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


def inert(text: object) -> str:
    """``text`` with every character that HTML or Markdown would act on neutralised.

    Reports put names from the data (resource bases, instruments, subjects) into
    sentences and headings. A name such as ``<script>...</script>`` or
    ``[see](javascript:...)`` must reach the reader as text, so ``&``, ``<``, ``>``, ``[``
    and ``]`` are written as entities or escaped, and the slashes of ``://`` too, so that
    no address in a name (``https://...``) becomes a link; the reader sees the same
    characters. The report wording uses no HTML or Markdown links, so whole sentences can
    be passed. (A name cannot start a heading or a list: the loader refuses a line break
    in a name, :func:`srb_eval.data.checks.read_columns`.)

    Examples
    --------
    >>> print(inert("<b>SRB</b> [c] & co: https://x"))
    &lt;b&gt;SRB&lt;/b&gt; \\[c\\] &amp; co: https:&#47;&#47;x
    """
    return str(text).translate(_MARKUP).replace("://", ":&#47;&#47;")


def say(text: str) -> None:
    """Display report text (Markdown: headings, emphasis, lists) with :func:`inert`."""
    from IPython.display import Markdown, display

    display(Markdown(inert(text)))


def withhold_if_too_small(n_learners: int, *, audience: str,
                          thresholds: disclosure.Thresholds | None = None) -> None:
    """Stop a published report about too few learners, after showing why.

    For ``audience="published"`` and :func:`~srb_eval.report.disclosure.too_small_to_publish`,
    shows :func:`~srb_eval.report.disclosure.withheld_notice` and raises
    :class:`~srb_eval.errors.ReportWithheld`, which ends the notebook there;
    ``srb-eval render`` keeps the report (header and notice) and marks it withheld.
    Does nothing otherwise.
    """
    from ..errors import ReportWithheld
    from . import disclosure

    t = disclosure.check_thresholds(thresholds or disclosure.DEFAULT_THRESHOLDS)
    if disclosure.check_audience(audience) == "published" and disclosure.too_small_to_publish(
            int(n_learners), t):
        say(disclosure.withheld_notice(t))
        raise ReportWithheld(f"too few learners to publish (fewer than {t.min_learners})")


def display_frame(df: pd.DataFrame, *, na_text: str | None = None, decimals: int = 1
                  ) -> pd.io.formats.style.Styler:
    """A table as a reader sees it: no index, numbers rounded only for display, no NaN
    (``na_text``, default "no data" in the report's language), plain-English column
    headers (:func:`srb_eval.report.headers.plain_header`; a report in another language
    names its columns in that language,
    :func:`srb_eval.report.i18n.translated_table`)."""
    na_text = _(NO_DATA) if na_text is None else na_text
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_float_dtype(s):
            whole = s.dropna().eq(s.dropna().round()).all()
            fmt = "{:,.0f}" if whole else f"{{:,.{decimals}f}}"
            out[c] = s.map(lambda v, f=fmt: na_text if pd.isna(v) else f.format(v))
        elif isinstance(s.dtype, pd.CategoricalDtype):
            out[c] = s.astype(object).where(s.notna(), na_text)
        elif pd.api.types.is_datetime64_any_dtype(s):
            days = {d: format_date(d, "short") for d in s.dropna().unique()}
            out[c] = s.map(days).astype(object).where(s.notna(), na_text)
        elif pd.api.types.is_bool_dtype(s):
            out[c] = s.map({True: _("yes"), False: _("no")}).astype(object).where(
                s.notna(), na_text)
        elif pd.api.types.is_integer_dtype(s):
            out[c] = s.astype(object).where(s.notna(), na_text)
        else:
            out[c] = s.astype(object).map(
                lambda v: na_text if v is None or v is pd.NA or v is pd.NaT
                or (isinstance(v, float) and v != v)
                else format_date(v, "short") if isinstance(v, pd.Timestamp) else v)
    out.columns = [plain_header(c) for c in out.columns]
    # a uuid from the content, so the HTML is identical on every run (nbval compares it)
    uuid = hashlib.sha256(out.to_csv(index=False).encode()).hexdigest()[:10]
    # every cell and header is HTML-escaped: text from the data is shown, never run
    return (out.style.hide(axis="index").set_uuid(uuid).format(escape="html")
            .format_index(escape="html", axis=1))


def show(df: pd.DataFrame, caption: str | None = None, **kwargs) -> None:
    """Display ``df`` with :func:`display_frame` (in a notebook)."""
    from IPython.display import display

    sty = display_frame(df, **kwargs)
    if caption:
        sty = sty.set_caption(html.escape(caption))
    display(sty)


def folded_html(df: pd.DataFrame, summary: str, caption: str | None = None,
                **kwargs) -> str:
    """``df`` as :func:`display_frame` shows it, folded in an HTML ``<details>`` element
    that a reader opens by its ``summary`` line (closed at first). The summary and the
    caption are HTML-escaped, as every cell of the table is: text from the data is shown,
    never run."""
    sty = display_frame(df, **kwargs)
    if caption:
        sty = sty.set_caption(html.escape(caption))
    return (f'<details class="srb-folded"><summary>{html.escape(summary)}</summary>\n'
            f"{sty.to_html()}</details>")


def show_by_group(df: pd.DataFrame, by: str, *, nouns: tuple[str, str] = ("row", "rows"),
                  names: Mapping[str, str] | None = None, order: list[str] | None = None,
                  caption: str | None = None,
                  counted: Callable[[str, int], str] | None = None, **kwargs) -> None:
    """Display ``df`` one group at a time (in ``order``, default the order in which the
    values of ``by`` first appear; groups without rows are left out), each group's
    rows folded under a line naming the group and counting its rows ("SRB01 (primary):
    48 rows"), so a long learner-level table takes a line per group until opened.

    ``nouns`` name one row and several ("result", "results"); ``names`` gives a group's
    name (default: its value); ``caption`` heads each group's
    table, followed by the group's name (a Word copy, which has no folding, shows one
    captioned table per group); ``counted``, when given, writes that line from the
    group's name and its number of rows in place of ``nouns`` (a sentence in the report's
    language); ``kwargs`` go to :func:`display_frame`.
    """
    names = names or {}
    keys = df[by].astype("str")
    at = keys.groupby(keys, sort=False, dropna=False).indices  # row positions, in order
    for key in [k for k in (order or []) if k in at] + [
            k for k in at if k not in set(order or [])]:
        rows = df.iloc[at[key]].drop(columns=[by])
        name = names.get(key, key)
        line = (counted(name, len(rows)) if counted is not None
                else f"{name}: {len(rows)} {nouns[len(rows) != 1]}")
        show_folded(rows, line,
                    caption=f"{caption}: {name}" if caption else None, **kwargs)


def show_folded(df: pd.DataFrame, summary: str, caption: str | None = None,
                **kwargs) -> None:
    """Display ``df`` folded under ``summary`` (:func:`folded_html`)."""
    from IPython.display import HTML, display

    display(HTML(folded_html(df, summary, caption, **kwargs)))


def show_figure(fig: Figure) -> None:
    """Display ``fig`` (in a notebook) as one PNG with its text alternative.

    The picture is drawn once at the report style's resolution (every figure lays itself
    out with matplotlib's constrained layout, so no second drawing pass trims its
    margins), and carries :func:`srb_eval.report.plots.describe.describe_figure` as its
    ``alt`` text, which the rendered HTML gives screen readers.

    Returns nothing, so that a cell ending with it shows the figure only (it returned the
    text alternative, which a cell ending with it printed as a quoted string under the
    capacity report's first figure).
    """
    from IPython.display import Image, display

    from .plots.describe import describe_figure

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    alt = describe_figure(fig)
    display(Image(data=buffer.getvalue(), format="png", alt=alt))


def record(name: str, df: pd.DataFrame, *, disclosure: Mapping | None = None
           ) -> pd.DataFrame:
    """Record a result table for the manifest (CSV in ``$SRB_EVAL_RESULTS_DIR``).

    ``disclosure`` is the table's disclosure record
    (:func:`srb_eval.report.table_records.table_record`), written beside it as
    ``<name>.disclosure.json`` for the audit of published output; its ``report`` is set
    to the report's name (the folder the tables go to).

    Returns ``df`` unchanged so it can be used inline. Does nothing when the notebook is
    not being rendered by ``srb-eval render``.
    """
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"name: use letters, digits, '_' or '-', not {name!r}")
    target_dir = os.environ.get(RESULTS_ENV)
    if target_dir:
        d = Path(target_dir)
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{name}.csv.tmp"
        spreadsheet_safe(df).to_csv(tmp, index=False, lineterminator="\n",
                                    date_format="%Y-%m-%d", float_format="%.10g")
        tmp.replace(d / f"{name}.csv")
        if disclosure is not None:
            tmp = d / f".{name}.disclosure.json.tmp"
            tmp.write_text(json.dumps({**disclosure, "report": d.name}, indent=1,
                                      ensure_ascii=False) + "\n", encoding="utf-8")
            tmp.replace(d / f"{name}.disclosure.json")
    return df


def provenance_frame(dataset_files: Mapping[str, str], parameters: Mapping[str, object]
                     ) -> pd.DataFrame:
    """Parameters, input hashes, versions and git commit as a two-column table."""
    from ..provenance import input_hashes

    rows = [(_("parameter: {name}").format(name=k), json.dumps(v, default=str))
            for k, v in parameters.items()]
    rows += [(_("input sha256: {file}").format(file=k), v)
             for k, v in input_hashes(dict(dataset_files)).items()]
    rows += [(_("version: {package}").format(package=k), v)
             for k, v in package_versions().items()]
    g = git_state()
    rows += [(_("git commit"), str(g["commit"])), (_("git tree dirty"), str(g["dirty"]))]
    return pd.DataFrame(rows, columns=[_("item"), _("value")])


def draft_translation_notice() -> str:
    """The footer of a report in a language other than English: its wording is a draft
    that a translator has not yet checked (in the report's language)."""
    return _("The Welsh text of this report is a draft translation that a Welsh-language "
             "translator has not yet checked; where it is unclear, the English report "
             "made from the same data is the reference.")
