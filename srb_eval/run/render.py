"""Render a suite of notebooks from a parameter file into a folder of reports.

``render("parameters/demo.yaml")`` validates the parameter file against each notebook's
own ``parameters`` cell, executes every report with papermill (in parallel worker
processes), exports an HTML copy with the code hidden, records the result tables each
notebook wrote, and writes ``index.html`` and ``manifest.json`` (docs/design.md).

A failing notebook does not stop the others: it is kept with its error, marked in the
index, and :class:`~srb_eval.errors.RenderError` is raised at the end naming the
failed cell. Everything is written into a staging folder beside the output folder and
swapped in at the end, so an interrupted or crashed run leaves neither a half-written
folder nor a damaged previous render.

Parameter file
--------------
.. code-block:: yaml

    title: Demo suite                # shown on the index page
    data_dir: data/demo              # passed to every notebook that has a data_dir
    parameters: {audience: published}  # defaults for every report (optional)
    reports:
      - notebook: 00_data_quality    # notebooks/<name>.ipynb
        parameters: {audience: internal}
      - notebook: 10_learner_progress
        fan_out: {srb: each}         # one report per SRB in the dataset; or a list

``fan_out`` takes one parameter name and either a list of values or ``each`` (every
``srb_id`` for ``srb``, every ``learner_id`` for ``learner_id``). A report with a
``learner_id`` shows one learner's records, so it is refused unless its audience is
``internal``.

Every parameter is checked before anything runs: its name against the notebook's
``parameters`` cell, its value against the type of the declared default (or the
``name: type = value`` annotation; a ``None`` default accepts anything, a help comment
starting ``str or None:`` also accepts ``null``).
"""

from __future__ import annotations

import ast
import contextlib
import html
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ..errors import ParameterError, RenderError, SrbEvalError
from ..paths import (
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    PROJECT_ROOT,
    PUBLISHED_DATA_DIR,
    RENDERED_DIR,
    resolve,
)
from ..provenance import git_state, input_hashes, package_versions, sha256_file
from ..report.notebook import RESULTS_ENV

KERNEL = "python3"
#: Version of the manifest layout (``srb-eval reproduce`` reads it).
MANIFEST_VERSION = 2
#: Files that belong to the package or the repository and change numbers: hashed too.
REFERENCE_DIRS = (PACKAGE_DIR / "reference", PUBLISHED_DATA_DIR)


@dataclass
class Job:
    """One report to execute: a notebook and the parameters papermill injects."""

    notebook: str
    name: str
    parameters: dict[str, object]


@dataclass
class JobResult:
    """What happened to one report."""

    name: str
    notebook: str
    parameters: dict[str, object]
    status: str  # "ok" or "failed"
    seconds: float
    error: str = ""
    failed_cell: int | None = None  # execution count ("In [n]") of the failed cell
    failed_source: str = ""  # first line of the failed cell's code
    warnings: int = 0  # stderr outputs (warnings) kept out of the HTML, copied to logs/
    title: str = ""
    files: dict[str, str] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)  # table name -> sha256

    @property
    def summary(self) -> str:
        """One line for the terminal: name, status, time, tables or the failed cell."""
        if self.status == "ok":
            extra = (f", {self.warnings} warning(s) in logs/{self.name}.log"
                     if self.warnings else "")
            return f"{self.name}: ok ({self.seconds:.1f} s, {len(self.results)} tables{extra})"
        return f"{self.name}: FAILED {self.where_failed()}: {short_error(self.error)}"

    def where_failed(self) -> str:
        """``at cell In [n] (`first line`)`` or an empty string."""
        if self.failed_cell is None:
            return ""
        src = f" (`{self.failed_source[:60]}`)" if self.failed_source else ""
        return f"at cell In [{self.failed_cell}]{src}"


def short_error(text: str, limit: int = 160) -> str:
    """The first line of an error message, cut to ``limit`` characters."""
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    first = lines[0] if lines else "unknown error"
    if len(lines) > 1:
        first += f" (+{len(lines) - 1} more line(s))"
    return first if len(first) <= limit else first[: limit - 3] + "..."


def relative(path: str | os.PathLike) -> str:
    """``path`` relative to the project root where possible (for messages, manifests)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(p.resolve())


# --------------------------------------------------------------------------- planning


def notebook_path(name: str) -> Path:
    """``notebooks/<name>.ipynb`` for a bare name; a path as given otherwise."""
    p = Path(name)
    if p.suffix != ".ipynb":
        p = NOTEBOOKS_DIR / f"{name}.ipynb"
    return resolve(p)


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The parameters a notebook declares in its ``parameters`` cell."""
    import papermill

    return papermill.inspect_notebook(str(path))


class PlainDataLoader(yaml.SafeLoader):
    """A YAML loader for files received from someone else: plain data only.

    Text, numbers, true/false, null, lists and mappings load as usual; dates stay as the
    text written (``2025-10-01``), for the notebook to read as an ISO date. Any other tag
    (``!!binary``, ``!!set``, ``!!python/...``, a custom ``!tag``) is refused, so a
    parameter file can never carry a value that would be injected into a report as
    anything but plain data.
    """


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag!r} is not allowed: a parameter file holds plain "
        "text, numbers, true/false, null, lists and mappings only", node.start_mark)


PlainDataLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                yaml.SafeLoader.construct_yaml_str)
for _tag in ("binary", "set", "omap", "pairs"):
    PlainDataLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
PlainDataLoader.add_constructor(None, _refuse_tag)


def load_parameter_file(path: str | os.PathLike) -> dict:
    """Read and structurally check a parameter file (plain data only: see
    :class:`PlainDataLoader`)."""
    p = resolve(path)
    if not p.is_file():
        raise ParameterError(f"{path}: no such parameter file")
    try:
        spec = yaml.load(p.read_text(encoding="utf-8"), Loader=PlainDataLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("reports"), list) \
            or not spec["reports"]:
        raise ParameterError(f"{path}: needs a 'reports' list naming at least one notebook")
    allowed = {"title", "data_dir", "parameters", "reports", "description"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ParameterError(f"{path}: unknown top-level key(s) {unknown}; "
                             f"allowed: {sorted(allowed)}")
    for key in ("title", "data_dir", "description"):
        if key in spec and not isinstance(spec[key], str):
            raise ParameterError(f"{path}: '{key}' must be text, not "
                                 f"{_type_word(spec[key])} {spec[key]!r}")
    if not isinstance(spec.get("parameters") or {}, dict):
        raise ParameterError(f"{path}: 'parameters' must be a mapping of name: value")
    return spec


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
    "list": (list,), "tuple": (list, tuple), "dict": (dict,),
}


def _type_word(value: object) -> str:
    return {type(None): "null", str: "text", bool: "true/false", int: "a whole number",
            float: "a number", list: "a list", dict: "a mapping"}.get(type(value),
                                                                       type(value).__name__)


def _literal_default(decl: Mapping) -> tuple[bool, object]:
    """``(True, value)`` when the declared default is a Python literal."""
    try:
        return True, ast.literal_eval(str(decl.get("default", "")).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _help_types(prefix: str) -> tuple[set[str], bool] | None:
    """Types named at the start of a help comment: ``str or list of str``, ``int | None``."""
    names, allows_none = set(), False
    for alt in re.split(r"\s+or\s+|\s*\|\s*", prefix.strip()):
        alt = alt.strip().lower()
        if alt == "none":
            allows_none = True
        elif m := re.fullmatch(r"(list|tuple)(\s+of\s+[\w ]+|\[.*\])?", alt):
            names.add(m.group(1))
        elif alt in _TYPES or alt == "mapping":
            names.add("dict" if alt == "mapping" else alt)
        else:
            return None
    return (names, allows_none) if names else None


def expected_type(decl: Mapping) -> tuple[tuple[type, ...], bool, str] | None:
    """The types a notebook parameter accepts: ``(types, allows_none, description)``.

    Taken from the annotation papermill reports (``inferred_type_name``) when there is
    one; else from the type of the literal default, widened by the types a help comment
    names at its start (``areas = "all"  # str or list of str: ...``). ``None`` means
    anything goes (a ``None`` default, or a default that is an expression).
    """
    help_text = str(decl.get("help") or "")
    prefix = help_text.split(":", 1)[0] if ":" in help_text[:40] else ""
    from_help = _help_types(prefix) if prefix else None
    allows_none = bool(from_help and from_help[1])
    tname = str(decl.get("inferred_type_name") or "None").strip()
    if tname not in ("", "None"):
        if re.search(r"Optional|None|Any", tname):
            allows_none = True
        inner = re.sub(r"Optional\[(.*)\]", r"\1", tname)
        bases = [re.split(r"\[", part)[0].strip().lower()
                 for part in inner.split("|") if part.strip().lower() != "none"]
        if len(bases) != 1 or bases[0] not in _TYPES:
            return None
        return _TYPES[bases[0]], allows_none, tname
    ok, default = _literal_default(decl)
    if ok and default is None and from_help and from_help[0]:
        names_sorted = [n for n in _TYPES if n in from_help[0]]
        types = tuple({t for n in names_sorted for t in _TYPES[n]})
        return types, True, " or ".join(names_sorted) + " or None"
    if not ok or default is None:
        return None
    names = set(from_help[0]) if from_help else set()
    for py, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"),
                     (list, "list"), (tuple, "tuple"), (dict, "dict")):
        if isinstance(default, py):
            names.add(name)
            break
    else:
        return None
    order = ["bool", "int", "float", "str", "list", "tuple", "dict"]
    names_sorted = [n for n in order if n in names]
    types = tuple({t for n in names_sorted for t in _TYPES[n]})
    return types, allows_none, " or ".join(names_sorted)


def check_value(name: str, value: object, decl: Mapping) -> str | None:
    """A problem message when ``value`` does not suit the declared parameter, else None."""
    exp = expected_type(decl)
    if exp is None:
        return None
    types, allows_none, tname = exp
    if value is None:
        return None if allows_none else (
            f"parameter '{name}' must be {tname} (default {decl.get('default')}), not null")
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if ok:
        return None
    return (f"parameter '{name}' must be {tname} (default {decl.get('default')}), not "
            f"{_type_word(value)} {value!r}")


def _fan_values(param: str, values: object, data_dir: object,
                cache: dict | None = None) -> list:
    if isinstance(values, list):
        if not values:
            raise ParameterError(f"fan_out {param}: the list of values is empty")
        return values
    if values != "each":
        raise ParameterError(f"fan_out {param}: give a list of values or 'each', "
                             f"not {values!r}")
    if param not in ("srb", "learner_id"):
        raise ParameterError(f"fan_out {param}: 'each' is defined for srb and learner_id "
                             "only; give a list of values")
    if not isinstance(data_dir, str):
        raise ParameterError(f"fan_out {param}: 'each' needs a data_dir to list the values")
    from ..data.io import load_dataset

    cache = {} if cache is None else cache
    try:
        if data_dir not in cache:
            cache[data_dir] = load_dataset(resolve(data_dir))
        ds = cache[data_dir]
    except SrbEvalError as exc:
        raise ParameterError(
            f"fan_out {param}: 'each' could not read {data_dir}: {short_error(str(exc))} "
            f"(run `srb-eval validate {data_dir}`)") from exc
    if param == "srb":
        return sorted(ds.srbs["srb_id"].astype(str))
    return sorted(ds.learners["learner_id"].astype(str))


def _safe_name(text: object) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip("-.") or "x"


def plan(spec: Mapping, *, source: str = "parameter file") -> list[Job]:
    """Expand a parameter file into jobs, checking every name against the notebooks.

    Each job's parameters hold what the notebook will use for ``data_dir`` and
    ``audience`` (given or the notebook's default), so the manifest says which data
    and audience every report was made from.

    Raises
    ------
    ParameterError
        Listing every unknown notebook, misspelt or mistyped parameter, bad fan-out,
        missing data folder or learner-level report for a published audience at once.
    """
    problems: list[str] = []
    jobs: list[Job] = []
    defaults = dict(spec.get("parameters") or {})
    data_dir = spec.get("data_dir")
    used_defaults: set[str] = set()
    datasets: dict[str, object] = {}  # data_dir -> Dataset, read once for fan-outs
    n_notebooks = 0
    for i, entry in enumerate(spec["reports"], start=1):
        if not isinstance(entry, dict) or "notebook" not in entry:
            problems.append(f"reports[{i}]: needs 'notebook'")
            continue
        extra = sorted(set(entry) - {"notebook", "parameters", "fan_out", "name"})
        if extra:
            problems.append(f"reports[{i}] ({entry['notebook']}): unknown key(s) {extra}; "
                            "allowed: notebook, name, parameters, fan_out")
        path = notebook_path(str(entry["notebook"]))
        if not path.is_file():
            problems.append(f"reports[{i}]: notebook {entry['notebook']} not found "
                            f"({relative(path)})")
            continue
        try:
            declared = notebook_parameters(path)
        except Exception as exc:  # noqa: BLE001 - unreadable notebook: report, go on
            problems.append(f"reports[{i}]: notebook {relative(path)} cannot be read: "
                            f"{short_error(str(exc))}")
            continue
        n_notebooks += 1
        where = f"reports[{i}] ({path.stem})"
        own = entry.get("parameters") or {}
        fan = entry.get("fan_out") or {}
        if not isinstance(own, dict) or not isinstance(fan, dict):
            problems.append(f"{where}: 'parameters' and 'fan_out' must be mappings")
            continue
        params = {k: v for k, v in defaults.items() if k in declared}
        used_defaults.update(params)
        if data_dir is not None and "data_dir" in declared:
            params["data_dir"] = data_dir
        for name in [*own, *fan]:
            if name not in declared:
                problems.append(
                    f"{where}: unknown parameter '{name}'; the notebook declares: "
                    f"{', '.join(declared) or 'none'}")
        params.update(own)
        for name, value in params.items():
            if name in declared and (msg := check_value(name, value, declared[name])):
                problems.append(f"{where}: {msg}")
        # what the notebook will actually use, recorded for the manifest and the banner
        for name in ("data_dir", "audience"):
            if name in declared and name not in params:
                ok, default = _literal_default(declared[name])
                if ok and default is not None:
                    params[name] = default
        eff_dir = params.get("data_dir")
        if isinstance(eff_dir, str) and not resolve(eff_dir).exists():
            problems.append(f"{where}: data_dir {eff_dir} does not exist "
                            f"({resolve(eff_dir)})")
            continue
        base = _safe_name(entry.get("name") or path.stem)
        if len(fan) > 1:
            problems.append(f"{where}: fan_out takes one parameter, not {sorted(fan)}")
            continue
        if fan:
            (param, values), = fan.items()
            if param not in declared:
                continue
            try:
                vals = _fan_values(param, values, eff_dir, datasets)
            except ParameterError as exc:
                problems.append(f"{where}: {exc}")
                continue
            bad = [m for v in vals if (m := check_value(param, v, declared[param]))]
            if bad:
                problems.append(f"{where}: fan_out {bad[0]}")
                continue
            new = [Job(str(path), f"{base}__{param}-{_safe_name(v)}", {**params, param: v})
                   for v in vals]
        else:
            new = [Job(str(path), base, params)]
        learner_default = (_literal_default(declared["learner_id"])[1]
                           if "learner_id" in declared else None)
        for job in new:
            audience = str(job.parameters.get("audience", "")).strip().lower()
            learner = job.parameters.get("learner_id", learner_default)
            if learner is not None and audience != "internal":
                problems.append(
                    f"{where}: a per-learner report (learner_id) shows one learner's "
                    f"records and cannot have audience {audience or 'unset'!r}; "
                    "set audience: internal (learner-level reports are never published)")
                break
        else:
            jobs.extend(new)
    unused = sorted(set(defaults) - used_defaults)
    if unused and n_notebooks:
        problems.append(f"parameters: {unused} not declared by any listed notebook "
                        "(misspelt?)")
    names = [j.name for j in jobs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"two reports would share the name(s) {dupes}: add 'name' to one")
    if problems:
        raise ParameterError(f"{source}: {len(problems)} problem(s):\n  - "
                             + "\n  - ".join(problems))
    return jobs


# --------------------------------------------------------------------------- HTML export


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


_REPORT_CSS = """
body.jp-Notebook { max-width: 62rem; margin: 0 auto; padding: 0 1.5rem 3rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; }
.srb-banner { position: sticky; top: 0; z-index: 10; background: #17365d; color: #fff;
  font-size: .85rem; line-height: 1.4; padding: .45rem .9rem; margin: 0 -1.5rem 1.2rem;
  display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; }
.srb-banner b { font-weight: 600; }
.srb-banner .srb-report { font-weight: 700; }
.srb-banner.srb-failed { background: #9b1c1c; }
.srb-failure { border: 2px solid #9b1c1c; background: #fdecec; padding: .6rem .9rem;
  margin: 0 0 1.2rem; }
.jp-Cell { padding: 0 !important; }
.jp-OutputArea-output table { font-size: .85rem; }
.jp-RenderedHTMLCommon table caption { caption-side: top; text-align: left;
  font-weight: 600; padding-bottom: .3rem; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
@media print { .srb-banner { position: static; } }
"""

_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
{%- if resources.srb_math -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.srb_css }}</style>{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.srb_banner }}
{%- endblock body_header -%}
"""


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


def _dataset_audience(parameters: Mapping[str, object]) -> tuple[str, str]:
    from ..report.notebook import dataset_label

    data_dir = parameters.get("data_dir")
    dataset = dataset_label(resolve(str(data_dir))) if isinstance(data_dir, str) else "n/a"
    return dataset, str(parameters.get("audience", "n/a"))


def _banner(*, title: str, name: str, parameters: Mapping[str, object], rendered: str,
            failure: str = "") -> str:
    from .. import __version__

    dataset, audience = _dataset_audience(parameters)
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
    if failure:
        out += (f'<div class="srb-failure" role="alert"><b>This report did not finish:</b> '
                f"{html.escape(failure)}. What follows is incomplete; the notebook "
                f"{html.escape(name)}.ipynb keeps the full error.</div>")
    return out


def notebook_to_html(nb_path: Path, html_path: Path, *, name: str | None = None,
                     parameters: Mapping[str, object] | None = None,
                     rendered: str | None = None, failure: str = "") -> tuple[str, list[str]]:
    """Export an executed notebook to HTML that reads as a report.

    Every code cell is hidden; text written to stderr (warnings) is kept out of the
    report and returned so the caller can log it; a fixed banner names the report,
    dataset, audience and render date. No script is loaded from the internet (MathJax
    only when a markdown cell holds a formula).

    Returns ``(title, stderr_texts)``.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    name = name or nb_path.stem
    stderr: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                stderr.append(out.get("text", ""))
            else:
                kept.append(out)
        cell["outputs"] = kept
    title = report_title(nb, name)
    dataset, audience = _dataset_audience(dict(parameters or {}))
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
                 "srb_banner": _banner(title=title, name=name,
                                       parameters=dict(parameters or {}), rendered=rendered,
                                       failure=failure)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    _atomic_write_text(html_path, body)
    return title, stderr


# --------------------------------------------------------------------------- execution


#: Memory settings for the kernels that execute reports (unless already set).
#: On national data a report allocates and frees gigabytes of short-lived arrays. By
#: default glibc hands freed memory back to the system at once and numpy asks for huge
#: pages, so every new array is page-faulted in again (and compacted): on England-size
#: data that was a quarter of the run, as kernel (system) time. These keep freed
#: memory in the process for reuse (glibc ``mallopt`` tunables, read at start-up:
#: arrays up to 32 MB come from the heap, which is not trimmed below 8 GB) and leave
#: page size to the system (numpy's ``NUMPY_MADVISE_HUGEPAGE``). Numbers are
#: unchanged; only where memory comes from. Elsewhere than Linux/glibc they are ignored.
KERNEL_MEMORY_ENV = {
    "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(8 * 2**30),
    "MALLOC_TOP_PAD_": str(256 * 2**20),
    "NUMPY_MADVISE_HUGEPAGE": "0",
}


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops them cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run_job(job: Job, out_dir: str) -> JobResult:
    """Execute one report into ``out_dir`` (runs in a worker process)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out = Path(out_dir)
    results_dir = out / "tables" / job.name
    os.environ[RESULTS_ENV] = str(results_dir)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name, value in KERNEL_MEMORY_ENV.items():  # inherited by the kernel papermill starts
        os.environ.setdefault(name, value)
    nb_out = out / f"{job.name}.ipynb"
    tmp = out / f".{job.name}.tmp.ipynb"
    t0 = time.perf_counter()
    status, error, cell, source = "ok", "", None, ""
    # The kernel's own chatter (e.g. "Kernel is running over TCP") goes to a log file,
    # not the reader's terminal.
    log_dir = out / "logs"
    log_dir.mkdir(exist_ok=True)
    log_path = log_dir / f"{job.name}.log"
    saved_stderr = os.dup(2)
    with open(log_path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                papermill.execute_notebook(
                    job.notebook, str(tmp), parameters=job.parameters, kernel_name=KERNEL,
                    progress_bar=False, cwd=str(Path(job.notebook).parent),
                    log_output=False,
                )
        except PapermillExecutionError as exc:
            status, cell = "failed", exc.exec_count
            error = f"{exc.ename}: {exc.evalue}".strip()
            source = next((ln.strip() for ln in str(exc.source).splitlines()
                           if ln.strip() and not ln.lstrip().startswith("#")), "")
        except Exception as exc:  # noqa: BLE001 - kernel death, bad notebook: keep others
            status, error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
    files: dict[str, str] = {}
    title, n_warnings = job.name, 0
    if tmp.exists():
        tmp.replace(nb_out)
        files["notebook"] = nb_out.name
        try:
            failure = ""
            if status != "ok":
                failure = short_error(error, 200)
                if cell is not None:
                    failure += f" (at cell In [{cell}])"
            title, stderr = notebook_to_html(nb_out, out / f"{job.name}.html", name=job.name,
                                             parameters=job.parameters, failure=failure)
            files["html"] = f"{job.name}.html"
            n_warnings = len(stderr)
            if stderr:
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write("\n--- stderr output of the notebook's cells (kept out of "
                              "the HTML report) ---\n" + "".join(stderr))
        except Exception as exc:  # noqa: BLE001
            if status == "ok":
                status, error = "failed", f"HTML export failed: {exc}"
    elif status == "ok":  # pragma: no cover - papermill always writes its output
        status, error = "failed", "papermill wrote no notebook"
    results = {}
    if results_dir.is_dir():
        for f in sorted(results_dir.glob("*.csv")):
            results[f.stem] = sha256_file(f)
    return JobResult(job.name, Path(job.notebook).stem, dict(job.parameters), status,
                     round(time.perf_counter() - t0, 2), error, cell, source, n_warnings,
                     title, files, results)


def dataset_files(data_dir: str | os.PathLike) -> list[Path]:
    """The files of a dataset (a folder, recursively, or one workbook); hidden ones skipped."""
    p = resolve(data_dir)
    if p.is_file():
        return [p]
    if not p.is_dir():
        return []
    return [f for f in sorted(p.rglob("*")) if f.is_file()
            and not any(part.startswith(".") or part == "__pycache__"
                        for part in f.relative_to(p).parts)]


def reference_hashes() -> dict[str, str]:
    """SHA-256 of the reference tables shipped with the package and data/published."""
    files = [f for d in REFERENCE_DIRS if d.is_dir() for f in sorted(d.rglob("*"))
             if f.is_file() and not f.name.startswith(".")]
    return input_hashes(files)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """During a run, SIGTERM unwinds like Ctrl-C so the clean-up code runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop every worker process of ``pool`` and the kernels they started."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    kernels = []
    try:
        import psutil

        for p in procs:
            with contextlib.suppress(psutil.Error):
                kernels += psutil.Process(p.pid).children(recursive=True)
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        psutil = None
    for p in procs:
        with contextlib.suppress(Exception):
            p.terminate()
    if psutil is not None and kernels:
        for k in kernels:
            with contextlib.suppress(psutil.Error):
                k.terminate()
        _, alive = psutil.wait_procs(kernels, timeout=5)
        for k in alive:
            with contextlib.suppress(psutil.Error):
                k.kill()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(5)
    pool.shutdown(wait=False, cancel_futures=True)


def _check_out_dir(out_dir: Path, protected: list[Path], inputs: list[Path]) -> None:
    """Refuse to replace a folder that is not an earlier render, or to mix with inputs."""
    out_dir = out_dir.resolve()
    for p in [PROJECT_ROOT, NOTEBOOKS_DIR, PACKAGE_DIR, *protected, *inputs]:
        p = p.resolve()
        if out_dir == p or out_dir in p.parents:
            raise ParameterError(f"--out {out_dir}: would replace {p}, which holds inputs; "
                                 "choose another output folder")
    for p in [NOTEBOOKS_DIR, PACKAGE_DIR, *inputs]:
        if p.resolve() in out_dir.parents:
            raise ParameterError(f"--out {out_dir}: is inside {p.resolve()}, which holds "
                                 "inputs; choose another output folder")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise ParameterError(f"--out {out_dir}: exists and is not a folder")
        if any(out_dir.iterdir()):
            foreign = files_not_rendered(out_dir)
            if foreign:
                shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
                raise ParameterError(
                    f"--out {out_dir}: exists and holds files that srb-eval render did not "
                    f"write ({shown}); refusing to replace it. Choose an empty or new "
                    "folder, or move those files away")


def files_not_rendered(folder: Path) -> list[str]:
    """What in ``folder`` an earlier ``srb-eval render`` did not write (sorted paths).

    An earlier render is recognised by its ``manifest.json``: every file in the folder
    must be one the manifest names (each report's notebook, HTML, log and result tables,
    ``index.html``, ``manifest.json``, a reproduction's ``reproduction.json``). Anything
    else, or a folder with no readable manifest, is someone else's and is never deleted.
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        reports = [r for r in manifest["reports"] if isinstance(r, dict)]
        names = {str(r["name"]) for r in reports}
    except (OSError, ValueError, KeyError, TypeError):
        return sorted(str(p.relative_to(folder)) for p in folder.iterdir())
    expected = {"manifest.json", "index.html", "reproduction.json", "tables", "logs"}
    for r in reports:
        expected.update(str(v) for v in (r.get("files") or {}).values())
    foreign = [p.name for p in folder.iterdir() if p.name not in expected]
    logs, tables = folder / "logs", folder / "tables"
    if logs.is_dir():
        foreign += [f"logs/{p.name}" for p in logs.iterdir()
                    if not (p.suffix == ".log" and p.stem in names)]
    if tables.is_dir():
        for d in tables.iterdir():
            if not (d.is_dir() and d.name in names):
                foreign.append(f"tables/{d.name}")
                continue
            foreign += [f"tables/{d.name}/{f.name}" for f in d.iterdir()
                        if not (f.is_file() and f.suffix == ".csv")]
    return sorted(foreign)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours
        return True
    return True


def _clean_stale(out_dir: Path) -> None:
    """Remove what a killed earlier run left beside ``out_dir`` (its pid is gone).

    A staging folder is deleted; a previous render moved aside for the swap is put
    back when ``out_dir`` itself is missing.
    """
    for d in sorted(out_dir.parent.glob(f".{out_dir.name}.*-*-*")):
        m = re.fullmatch(rf"\.{re.escape(out_dir.name)}\.(staging|old)-(\d+)-\w+", d.name)
        if not m or not d.is_dir() or _pid_alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and not out_dir.exists():
            d.rename(out_dir)
        else:
            shutil.rmtree(d, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging``; the old folder is restored if that fails."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-",
                                dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _expected_cost(job: Job) -> int:
    """A stand-in for a report's run time: the length of its notebook's code.

    Used only to start the longest reports first; any order gives the same reports.
    """
    try:
        nb = json.loads(Path(job.notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(len("".join(c.get("source", ""))) for c in nb.get("cells", [])
               if c.get("cell_type") == "code")


def execute(jobs: list[Job], out_dir: Path, *, n_workers: int, progress: bool = True,
            meta: Mapping[str, object] | None = None,
            finalize: Callable[[Path, list[JobResult], dict], None] | None = None,
            protected: list[Path] | None = None) -> tuple[list[JobResult], dict]:
    """Run ``jobs`` into a staging folder and swap it in as ``out_dir``.

    ``meta`` is merged into the manifest; ``finalize(staging, results, manifest)`` may
    write more files into the staging folder before the swap. Returns the results (in
    job order) and the manifest. Never raises for a failed report; on an exception or
    interrupt, workers and kernels are stopped, the staging folder is removed and an
    earlier ``out_dir`` is left untouched.
    """
    data_dirs = sorted({str(j.parameters["data_dir"]) for j in jobs
                        if isinstance(j.parameters.get("data_dir"), str)})
    _check_out_dir(out_dir, list(protected or []), [resolve(d) for d in data_dirs])
    # hash the inputs before running: the manifest says what the reports were made from
    datasets = {d: {"path": str(resolve(d)), "files": input_hashes(dataset_files(d))}
                for d in data_dirs}
    notebooks = {relative(n): sha256_file(n) for n in sorted({j.notebook for j in jobs})}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-{os.getpid()}-",
                                    dir=out_dir.parent))
    staging.chmod(0o777 & ~_umask())
    started = datetime.now(UTC)
    results: list[JobResult] = []
    pool = None
    try:
        from tqdm import tqdm

        with _sigterm_raises():
            bar = tqdm(total=len(jobs), desc="rendering", unit="report",
                       disable=not progress, file=sys.stderr)
            pool = ProcessPoolExecutor(max_workers=n_workers, initializer=_worker_init)
            # longest first (the classic LPT rule): a long report started last would
            # leave the other cores idle at the end
            futures = {pool.submit(run_job, j, str(staging)): j
                       for j in sorted(jobs, key=_expected_cost, reverse=True)}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    r = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker died: keep the others
                    r = JobResult(job.name, Path(job.notebook).stem, dict(job.parameters),
                                  "failed", 0.0, f"worker process failed: "
                                  f"{type(exc).__name__}: {exc}")
                results.append(r)
                bar.write(r.summary, file=sys.stderr)
                bar.update()
            bar.close()
            pool.shutdown(wait=True)
            pool = None
            order = {j.name: i for i, j in enumerate(jobs)}
            results.sort(key=lambda r: order[r.name])
            reports = []
            for r, j in zip(results, jobs, strict=True):
                d = asdict(r)
                d["notebook_path"] = relative(j.notebook)
                d["notebook_sha256"] = notebooks[relative(j.notebook)]
                dd = j.parameters.get("data_dir")
                d["data_dir"] = dd
                d["inputs"] = datasets[dd]["files"] if isinstance(dd, str) else {}
                reports.append(d)
            inputs: dict[str, str] = {}
            for ds in datasets.values():
                inputs.update(ds["files"])
            manifest = {
                "manifest_version": MANIFEST_VERSION,
                **(meta or {}),
                "inputs": inputs,
                "datasets": datasets,
                "notebooks": notebooks,
                "reference": reference_hashes(),
                "versions": package_versions(),
                "python": sys.version.split()[0],
                "platform": _platform(),
                "git": git_state(),
                "started": started.isoformat(timespec="seconds"),
                "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                "jobs": n_workers,
                "reports": reports,
            }
            if finalize is not None:
                finalize(staging, results, manifest)
            _atomic_write_text(staging / "manifest.json",
                               json.dumps(manifest, indent=2, default=str) + "\n")
            _atomic_write_text(staging / "index.html", _index_html(results, manifest))
            _swap_in(staging, out_dir)
    except BaseException:
        if pool is not None:
            _stop_pool(pool)
            pool = None
        raise
    finally:
        if pool is not None:  # pragma: no cover - defensive
            pool.shutdown(wait=False, cancel_futures=True)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
            if staging.exists():  # a kernel still writing: try once more
                time.sleep(1)
                shutil.rmtree(staging, ignore_errors=True)
    return results, manifest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _platform() -> str:
    import platform

    return f"{platform.system()} {platform.release()} {platform.machine()}"


def _index_html(results: list[JobResult], manifest: Mapping) -> str:
    title = str(manifest.get("title", "srb-eval reports"))
    rows = []
    for r in results:
        link = (f'<a href="{html.escape(r.files["html"])}">{html.escape(r.name)}</a>'
                if "html" in r.files else html.escape(r.name))
        heading = html.escape(r.title) if r.title and r.title != r.name else ""
        if r.status == "ok":
            status = "ok" + (f' (<a href="logs/{html.escape(r.name)}.log">{r.warnings} '
                             "warning(s)</a>)" if r.warnings else "")
        else:
            status = (f"FAILED {html.escape(r.where_failed())}: "
                      f"{html.escape(short_error(r.error, 300))}")
        params = html.escape(", ".join(f"{k}={v}" for k, v in r.parameters.items()
                                       if k != "data_dir"))
        dd = html.escape(str(r.parameters.get("data_dir", "")))
        cls = "ok" if r.status == "ok" else "failed"
        rows.append(f'<tr class="{cls}"><td>{link}<div class="t">{heading}</div></td>'
                    f"<td>{params}</td><td><code>{dd}</code></td><td>{status}</td>"
                    f"<td>{len(r.results)}</td></tr>")
    n_failed = sum(r.status != "ok" for r in results)
    summary = (f"{len(results)} reports, all rendered" if not n_failed
               else f"{len(results)} reports, {n_failed} failed")
    git = manifest.get("git", {})
    dirty = " (with uncommitted changes)" if git.get("dirty") else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       color: #222; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }}
tr.failed td {{ background: #fde8e8; }}
.t {{ color: #555; font-size: .85rem; }}
.meta {{ color: #555; font-size: .9rem; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{summary}. Rendered {html.escape(str(manifest.get("finished", "")))}.
Provenance (parameters, input hashes, versions, git commit, result table hashes) is in
<a href="manifest.json">manifest.json</a>; re-run with
<code>srb-eval reproduce &lt;this folder&gt;</code>.</p>
<table><thead><tr><th>report</th><th>parameters</th><th>dataset</th><th>status</th>
<th>result tables</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
<p class="meta">Rendered by srb-eval {html.escape(manifest["versions"].get("srb-eval", ""))}
on Python {html.escape(str(manifest.get("python", "")))}
from commit {html.escape(str(git.get("commit", "unknown"))[:12])}{dirty}.</p>
</body></html>
"""


def default_jobs() -> int:
    """One worker per core available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def render(params_file: str | os.PathLike, *, out: str | os.PathLike | None = None,
           jobs: int | None = None, progress: bool = True) -> list[JobResult]:
    """Render every report a parameter file names; see the module docstring.

    Returns the per-report results. Raises :class:`RenderError` after writing
    everything when any report failed, and :class:`ParameterError` before running
    anything when the parameter file is wrong.
    """
    if jobs is not None and jobs < 1:
        raise ParameterError(f"jobs: must be at least 1, not {jobs}")
    spec = load_parameter_file(params_file)
    plan_jobs = plan(spec, source=str(params_file))
    out_dir = resolve(out) if out else RENDERED_DIR / Path(params_file).stem
    n_workers = max(1, min(jobs or default_jobs(), len(plan_jobs)))
    pfile = resolve(params_file)
    meta = {"title": spec.get("title", Path(params_file).stem),
            "parameter_file": relative(pfile),
            "parameter_file_sha256": sha256_file(pfile),
            "parameters": spec,
            "data_dir": spec.get("data_dir")}
    results, _ = execute(plan_jobs, out_dir, n_workers=n_workers, progress=progress,
                         meta=meta, protected=[pfile.parent])
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise RenderError(
            f"{len(failed)} of {len(results)} reports failed; the others were written "
            f"(see {relative(out_dir / 'index.html')}):\n"
            + "\n".join(f"  - {r.name}: {short_error(r.error)}"
                        + (f" [{r.where_failed()}]" if r.failed_cell is not None else "")
                        for r in failed), failures=[r.name for r in failed])
    return results
