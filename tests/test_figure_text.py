"""Text in every figure of the demo suite is at least 9 pt, inside the picture and not
printed over other text (issue 18: "Figure 6.2 has ~6 px text").

The notebooks' own code is run in this process on the demo data, with each public figure
function of ``srb_eval.report.plots`` wrapped to keep the figures it draws, so every
figure is checked as a report draws it (its real labels, titles and sizes).
"""

from __future__ import annotations

import inspect
import re
from itertools import combinations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report.plots import (  # noqa: E402
    MAX_WIDTH,
    SMALL_TEXT,
    capacity,
    inclusion,
    outcomes,
    progress,
)

from .conftest import DEMO, ROOT  # noqa: E402

pytestmark = pytest.mark.slow

MODULES = (capacity, inclusion, outcomes, progress)
#: Public functions of the figure modules that return text, not a figure.
NOT_FIGURES = {"describe_share_distribution"}
#: (notebook, parameters): together these draw every figure function.
RUNS = [
    ("10_learner_progress", {"audience": "internal"}),
    ("10_learner_progress", {"audience": "published"}),
    ("20_inclusion", {"audience": "published"}),
    ("20_inclusion", {"audience": "internal", "srb": "SRB01"}),
    ("30_estyn_outcomes", {}),
    ("40_capacity", {}),
    ("40_capacity", {"source": "published_fig3", "data_dir": "data/published"}),
    ("50_learner_profile", {}),
]


#: "module.function" of every public figure function, as defined in the package.
FUNCTIONS = {f"{m.__name__.rsplit('.', 1)[-1]}.{name}": f for m in MODULES
             for name, f in inspect.getmembers(m, inspect.isfunction)
             if f.__module__ == m.__name__ and not name.startswith("_")
             and name not in NOT_FIGURES}


def _run_notebook(name: str, parameters: dict) -> None:
    """Run ``notebooks/<name>.py`` here, as papermill would: defaults, then parameters."""
    source = (ROOT / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    cells = re.split(r"^# %%.*$", source, flags=re.M)[1:]
    space: dict = {"__name__": f"notebook_{name}"}
    exec(cells[0], space)  # the parameters cell
    space.update({"data_dir": str(DEMO), **parameters})
    for cell in cells[1:]:
        exec(cell, space)


@pytest.fixture(scope="module")
def figures(monkeypatch_module) -> list[tuple[str, Figure]]:
    """(function, figure) for every figure the demo suite's notebooks draw."""
    drawn: list[tuple[str, Figure]] = []
    for key, f in FUNCTIONS.items():
        module = next(m for m in MODULES if m.__name__.endswith("." + key.split(".")[0]))

        def keep(*args, _f=f, _key=key, **kwargs):
            fig = _f(*args, **kwargs)
            drawn.append((_key, fig))
            return fig

        monkeypatch_module.setattr(module, key.split(".")[1], keep)
    for quiet in ("say", "show"):
        monkeypatch_module.setattr(report, quiet, lambda *a, **k: None)
    monkeypatch_module.setattr(report, "show_figure", lambda fig: None)
    monkeypatch_module.chdir(ROOT)
    for name, parameters in RUNS:
        _run_notebook(name, parameters)
    return drawn


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _texts(fig: Figure) -> list[Text]:
    """The texts drawing ``fig`` prints (tick labels outside the axis range are not)."""
    drawn: dict[int, Text] = {}
    draw = Text.draw

    def record(self, renderer):
        drawn[id(self)] = self
        return draw(self, renderer)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Text, "draw", record)
        FigureCanvasAgg(fig)
        fig.draw_without_rendering()
    return [t for t in drawn.values() if t.get_visible() and t.get_text().strip()]


def test_the_suite_draws_every_figure_function(figures):
    assert {k for k, _ in figures} == set(FUNCTIONS)


def test_no_text_in_a_figure_is_smaller_than_9_pt(figures):
    small = sorted({(key, t.get_fontsize(), t.get_text()[:40]) for key, fig in figures
                    for t in _texts(fig) if t.get_fontsize() < SMALL_TEXT})
    assert small == []
    assert SMALL_TEXT >= 9


def test_no_text_is_cut_off_at_the_edge_of_a_figure(figures):
    cut = []
    for key, fig in figures:
        box = fig.bbox
        for t in _texts(fig):
            e = t.get_window_extent()
            if e.x0 < box.x0 - 1 or e.y0 < box.y0 - 1 or e.x1 > box.x1 + 1 or \
                    e.y1 > box.y1 + 1:
                cut.append((key, t.get_text()[:40]))
    assert cut == [], "\n".join(map(str, cut))


def test_labels_printed_in_a_panel_do_not_overlap(figures):
    # value labels, notes on reference lines, "too few" notes: the texts a figure places
    over = []
    for key, fig in figures:
        _texts(fig)
        for ax in fig.axes:
            placed = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
            boxes = [(t.get_text(), t.get_window_extent().expanded(0.98, 0.9)) for t in placed]
            over += [(key, a, b) for (a, x), (b, y) in combinations(boxes, 2) if x.overlaps(y)]
    assert over == [], "\n".join(map(str, over))


def test_no_figure_is_wider_than_the_report_column(figures):
    # a wider picture is shrunk to the column, and its text with it
    wide = [(key, round(fig.get_figwidth(), 2)) for key, fig in figures
            if fig.get_figwidth() > MAX_WIDTH + 1e-9]
    assert wide == []
    assert MAX_WIDTH * 96 <= 944  # the HTML column: 62rem less 2 x 1.5rem padding
