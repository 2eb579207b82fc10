"""Run a report notebook's code in this process, as papermill runs it (the parameters
cell's defaults, then the given parameters), and keep what a reader of the report sees:
every Markdown, HTML and table output as text, every text of every figure (titles, tick
labels, annotations, legends, read from the matplotlib figure itself, which a scan of the
rendered HTML cannot do: figures are images there), and each figure a public figure
function of ``srb_eval.report.plots`` drew, as it drew it.

``tests/test_notebook_code.py`` reads these runs twice: the published reports state no
count or share of a small group, and the text of every figure is legible. One run per
notebook and parameters serves both (``tests/conftest.py``, ``notebook_code``).
"""

from __future__ import annotations

import contextlib
import inspect
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import IPython.display
import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from srb_eval.errors import ReportWithheld  # noqa: E402
from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report.i18n import current_language, in_language  # noqa: E402
from srb_eval.report.plots import capacity, inclusion, outcomes, progress  # noqa: E402
from srb_eval.report.plots.describe import describe_figure  # noqa: E402
from srb_eval.run.nbtools import code_cells  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The pandas options a report's ``setup()`` sets.
DISPLAY_OPTIONS = ("display.max_rows", "display.max_columns")
PACKAGE = ROOT / "srb_eval"

FIGURE_MODULES = (capacity, inclusion, outcomes, progress)
#: Public functions of the figure modules that return text, not a figure.
NOT_FIGURES = {"describe_share_distribution"}
#: "module.function" of every public figure function, as defined in the package.
FIGURE_FUNCTIONS = {f"{m.__name__.rsplit('.', 1)[-1]}.{name}": f for m in FIGURE_MODULES
                    for name, f in inspect.getmembers(m, inspect.isfunction)
                    if f.__module__ == m.__name__ and not name.startswith("_")
                    and name not in NOT_FIGURES}


@dataclass(frozen=True)
class CodeRun:
    """What one run of a notebook's code showed."""

    #: Every text a reader sees, in order: Markdown and HTML as text, tables as their
    #: HTML, each figure's texts and the alternative text of each figure picture; None
    #: for a run of the figures only.
    texts: list[str] | None
    #: (``module.function``, figure) of every figure a public figure function drew.
    figures: list[tuple[str, Figure]]
    #: The notice of a published report stopped as too small to publish, else None.
    withheld: str | None
    #: FutureWarnings the package's own code raised (``pyproject.toml``'s
    #: ``filterwarnings`` makes them errors in a test; recorded here, so that each test
    #: reading the run decides).
    package_future_warnings: list[str]


def parameters_of(notebook: str, **parameters) -> dict:
    """The parameters a run of ``notebooks/<notebook>.py`` executes with: the defaults of
    its parameters cell overlaid with ``parameters`` (each one the cell declares)."""
    params_cell, _ = code_cells(ROOT / "notebooks" / f"{notebook}.py")
    defaults: dict = {}
    exec(compile(params_cell, notebook, "exec"), defaults)
    declared = {k: v for k, v in defaults.items() if not k.startswith("__")}
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(f"{notebook} declares no parameter {unknown}")
    return {**declared, **parameters}


def _put_back_after(stack: contextlib.ExitStack) -> None:
    """Put back, when ``stack`` closes, what a report's code sets for the whole process:
    the report's ``setup()`` styles matplotlib and pandas (and adds a warnings filter), its
    parameters cell sets the language. Left as the style sets them: seaborn's
    single-letter colours ("k", "r": putting them back needs matplotlib's private colour
    table), which no figure here uses."""
    stack.enter_context(matplotlib.rc_context())
    stack.enter_context(pd.option_context(*[x for name in DISPLAY_OPTIONS
                                            for x in (name, pd.get_option(name))]))
    stack.enter_context(in_language(current_language()))
    stack.enter_context(warnings.catch_warnings())


@contextlib.contextmanager
def report_style() -> Iterator[None]:
    """The reports' style (``report.setup()``) inside the block, put back after it: a
    figure a run kept is drawn in it, as its report draws it (matplotlib reads some of
    its settings as it draws: the size of tick labels sets how many ticks an axis has)."""
    with contextlib.ExitStack() as stack:
        _put_back_after(stack)
        report.setup()
        yield


def alt_text(fig: Figure) -> str:
    """The text alternative ``report.show_figure`` publishes with ``fig``, without the
    picture: its pixels are not text. The figure is drawn without them (the draw settles
    its axes' ranges, which the text states), in half the time of a picture, at the
    figure's resolution, which the report style makes that of its picture (96 dpi)."""
    fig.draw_without_rendering()
    return describe_figure(fig)


def run_code(notebook: str, parameters: dict, *, texts: bool = True) -> CodeRun:
    """Run ``notebooks/<notebook>.py`` with ``parameters`` here from the project folder,
    its cells in order (the provenance cell left out: parameters and hashes, no
    statistics and no figure), with each public figure function wrapped to keep the
    figures it draws and, with ``texts``, ``IPython.display.display`` replaced by a
    collector of what a reader sees; a figure the report shows as a picture is drawn
    without its pixels and given the text alternative ``report.show_figure`` gives it.
    Without ``texts`` (the figures only) the report's own display functions (``say``,
    ``show``, ``show_figure``) do nothing: no table is written as HTML and no figure
    drawn."""
    parameters_of(notebook, **parameters)  # an unknown parameter is an error
    shown: list[str] = []
    figures: list[tuple[str, Figure]] = []

    def collect(*objs, **_):
        for obj in objs:
            if isinstance(obj, Figure):
                shown.extend(t.get_text() for t in obj.findobj(Text) if t.get_text())
                plt.close(obj)
            elif isinstance(obj, IPython.display.Image):
                # a figure shown by report.show_figure: its pixels are not text, its
                # alternative text is published (the figure's own texts are collected
                # from the open figures after the cell)
                shown.append(obj.alt or "")
            elif hasattr(obj, "to_html"):
                shown.append(obj.to_html())
            elif hasattr(obj, "data"):
                shown.append(str(obj.data))
            else:
                shown.append(str(obj))

    params_cell, cells = code_cells(ROOT / "notebooks" / f"{notebook}.py")
    ns: dict = {"__name__": "__main__"}
    withheld = None
    with contextlib.ExitStack() as stack:
        mp = stack.enter_context(pytest.MonkeyPatch.context())
        for key, f in FIGURE_FUNCTIONS.items():
            module_name, name = key.split(".")
            module = next(m for m in FIGURE_MODULES if m.__name__.endswith("." + module_name))

            def keep(*args, _f=f, _key=key, **kwargs):
                fig = _f(*args, **kwargs)
                figures.append((_key, fig))
                return fig

            mp.setattr(module, name, keep)
        if texts:
            mp.setattr(IPython.display, "display", collect)
            mp.setattr(report, "show_figure", lambda fig: shown.append(alt_text(fig)))
        else:
            for quiet in ("say", "show", "show_figure"):
                mp.setattr(report, quiet, lambda *a, **k: None)
        mp.chdir(ROOT)
        caught = stack.enter_context(warnings.catch_warnings(record=True))
        warnings.simplefilter("ignore")
        warnings.filterwarnings("always", category=FutureWarning)
        stack.callback(plt.close, "all")
        _put_back_after(stack)
        try:
            exec(compile(params_cell, notebook, "exec"), ns)
            ns.update(parameters)
            for cell in cells:
                if "provenance" in cell:  # parameters and hashes, no statistics
                    continue
                exec(compile(cell, notebook, "exec"), ns)
                for num in plt.get_fignums() if texts else []:  # shown by plt.show()
                    collect(plt.figure(num))
        except ReportWithheld as e:
            withheld = str(e)
    ours = [f"{w.filename}:{w.lineno}: {w.message}" for w in caught
            if Path(w.filename).resolve().is_relative_to(PACKAGE)]
    return CodeRun(shown if texts else None, figures, withheld, ours)

