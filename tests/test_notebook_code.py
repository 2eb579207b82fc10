"""The report notebooks' code run in this process on the demo data
(``tests/notebook_code.py``), read by two sets of tests that share each run of a notebook
with the same parameters (``notebook_code``, tests/conftest.py). They are one module so
that pytest-xdist (``--dist loadscope``) runs them on one worker, where the runs are
shared.

Published statements: no sentence, table cell, finding or figure label of a published
report states a count or share of a group below the disclosure policy's minimum. What a
reader sees (Markdown and HTML as text, tables as their HTML, and every text of every
figure read from the matplotlib figure itself, which a scan of the rendered HTML cannot
do: figures are images there) is scanned with
:func:`srb_eval.report.text_checks.find_small_group_statements`.

Figure text: text in every figure of the demo suite is at least 9 pt, inside the picture
and not printed over other text (issue 18: "Figure 6.2 has ~6 px text"). Each public
figure function of ``srb_eval.report.plots`` is wrapped to keep the figures it draws, so
every figure is checked as a report draws it (its real labels, titles and sizes).
"""

from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from srb_eval.report.plots import MAX_WIDTH, SMALL_TEXT
from srb_eval.report.text_checks import find_small_group_statements

from .conftest import DEMO
from .notebook_code import FIGURE_FUNCTIONS, report_style

pytestmark = pytest.mark.slow

# ------------------------------------------------------------------ published statements

CASES = [("10_learner_progress", "all"), ("20_inclusion", "all"),
         ("30_estyn_outcomes", None), ("40_capacity", None), ("45_value_for_money", None),
         ("60_comparison", None),
         ("10_learner_progress", "SRB01"), ("20_inclusion", "SRB01"),
         ("10_learner_progress", "SRB05"), ("20_inclusion", "SRB05")]


@pytest.mark.parametrize("notebook, srb", CASES)
def test_published_reports_state_no_count_or_share_of_a_small_group(notebook_code,
                                                                    notebook, srb):
    params = {"data_dir": str(DEMO), "audience": "published"}
    if srb is not None:
        params["srb"] = srb
    run = notebook_code(notebook, **params)
    if run.withheld is not None:  # pragma: no cover - the demo SRBs chosen are publishable
        pytest.fail(f"{notebook} ({srb}) was withheld")
    texts = run.texts
    assert len(texts) > 10
    found = {f: t[:200] for t in texts for f in find_small_group_statements(t)}
    assert not found, found


# ------------------------------------------------------------------------- figure text

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


class Drawn(NamedTuple):
    """A figure a report drew, drawn once more here for its texts."""

    function: str  #: the figure function of ``srb_eval.report.plots`` that made it
    figure: Figure
    texts: list[Text]  #: the texts drawing it prints (see ``_texts``)


@pytest.fixture(scope="module")
def figures(notebook_code) -> list[Drawn]:
    """Every figure the demo suite's notebooks draw, each drawn once for the tests below
    (drawing is most of their time; a figure's texts keep the positions of that draw), in
    the reports' style, as the reports draw them."""
    drawn: list[Drawn] = []
    for name, parameters in RUNS:
        run = notebook_code(name, texts=False, **{"data_dir": str(DEMO), **parameters})
        assert run.withheld is None, (name, parameters, run.withheld)
        assert run.package_future_warnings == [], (name, parameters)
        with report_style():
            drawn += [Drawn(key, fig, _texts(fig)) for key, fig in run.figures]
    return drawn


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
    assert {d.function for d in figures} == set(FIGURE_FUNCTIONS)


def test_no_text_in_a_figure_is_smaller_than_9_pt(figures):
    small = sorted({(d.function, t.get_fontsize(), t.get_text()[:40]) for d in figures
                    for t in d.texts if t.get_fontsize() < SMALL_TEXT})
    assert small == []
    assert SMALL_TEXT >= 9


def test_no_text_is_cut_off_at_the_edge_of_a_figure(figures):
    cut = []
    for key, fig, texts in figures:
        box = fig.bbox
        for t in texts:
            e = t.get_window_extent()
            if e.x0 < box.x0 - 1 or e.y0 < box.y0 - 1 or e.x1 > box.x1 + 1 or \
                    e.y1 > box.y1 + 1:
                cut.append((key, t.get_text()[:40]))
    assert cut == [], "\n".join(map(str, cut))


def test_labels_printed_in_a_panel_do_not_overlap(figures):
    # value labels, notes on reference lines, "too few" notes: the texts a figure places
    over = []
    for key, fig, _ in figures:
        for ax in fig.axes:
            placed = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
            boxes = [(t.get_text(), t.get_window_extent().expanded(0.98, 0.9)) for t in placed]
            over += [(key, a, b) for (a, x), (b, y) in combinations(boxes, 2) if x.overlaps(y)]
    assert over == [], "\n".join(map(str, over))


def test_no_figure_is_wider_than_the_report_column(figures):
    # a wider picture is shrunk to the column, and its text with it
    wide = [(key, round(fig.get_figwidth(), 2)) for key, fig, _ in figures
            if fig.get_figwidth() > MAX_WIDTH + 1e-9]
    assert wide == []
    assert MAX_WIDTH * 96 <= 944  # the HTML column: 62rem less 2 x 1.5rem padding


def test_a_figure_shown_as_a_picture_is_given_the_text_alternative_the_report_publishes(
        monkeypatch):
    """``notebook_code.alt_text`` (the runs above, without pixels) gives the text
    ``report.show_figure`` publishes. Four narrow panels of 0 to 2.6 years: drawing the
    figure widens them and settles the ticks of their axis (0 to 2.5), which a figure
    described undrawn states otherwise (0 to 2)."""
    import IPython.display
    import pandas as pd

    from srb_eval.report import notebook as report
    from srb_eval.report.plots import progress
    from srb_eval.report.plots.describe import describe_figure

    from .notebook_code import alt_text

    points = pd.DataFrame(
        [{"learner_id": f"L{i}", "placement_start": pd.Timestamp("2022-09-01"),
          "instrument": "Steps", "area": area, "years": years, "score": 20 + i + 4 * years,
          "expected_gain_per_year": 3.0}
         for i in range(6)
         for area in ("literacy", "numeracy", "communication", "personal_social")
         for years in (0, 1.1, 2.6)])
    published: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda image: published.append(image.alt))
    shown = progress.trajectory_panels(points, instrument="Steps")
    report.show_figure(shown)
    undrawn = progress.trajectory_panels(points, instrument="Steps")
    assert "from 0 to 2." in describe_figure(undrawn)  # not yet what the picture shows
    assert alt_text(undrawn) == published[0]
    assert "from 0.0 to 2.5" in published[0]
    plt.close(shown)
    plt.close(undrawn)


def test_a_run_of_a_reports_code_leaves_the_process_as_it_found_it():
    """The report's setup() styles matplotlib and pandas for the whole process, and its
    parameters cell sets the language; ``run_code`` puts them back, so that the tests
    that run after it in the same process draw and print as before (a figure title of
    ``test_progress.py`` wrapped in the report style)."""
    import matplotlib
    import pandas as pd

    from srb_eval.report import i18n
    from srb_eval.report import notebook as report

    from .notebook_code import DISPLAY_OPTIONS, parameters_of, run_code

    def state() -> tuple:
        return (dict(matplotlib.rcParams), [pd.get_option(o) for o in DISPLAY_OPTIONS],
                i18n.current_language())

    before = state()
    seen: list[tuple] = []
    with pytest.MonkeyPatch.context() as mp:  # the state inside the run, as it ends
        mp.setattr(report, "record", lambda name, df, **_: seen.append(state()) or df)
        run_code("60_comparison", parameters_of("60_comparison", data_dir=str(DEMO),
                                                language="cy"))
    assert seen and all(s[0]["figure.dpi"] == 96 and s[2] == "cy" for s in seen)
    assert state() == before


def test_figures_kept_from_a_run_are_drawn_in_the_reports_style():
    """``report_style`` gives the block the reports' style and puts the process back
    after it: the ``figures`` above are drawn in it, as the reports draw them (drawn in
    matplotlib's own style, a panel of the progress report had ticks 65, 70, 75 instead
    of 70, 80)."""
    import matplotlib

    from .notebook_code import report_style

    before = dict(matplotlib.rcParams)
    with report_style():
        assert matplotlib.rcParams["figure.dpi"] == 96
        assert matplotlib.rcParams["ytick.labelsize"] != before["ytick.labelsize"]
    assert dict(matplotlib.rcParams) == before
