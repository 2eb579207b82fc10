"""No sentence, table cell, finding or figure label of a published report states a count
or share of a group below the disclosure policy's minimum.

Each published notebook's code is run in this process on the demo data, with
``IPython.display.display`` replaced by a collector: Markdown and HTML are kept as text,
tables as their HTML, and every text of every figure (titles, tick labels, annotations,
legends) is read from the matplotlib figure itself, which a scan of the rendered HTML
cannot do (figures are images there). Everything is scanned with
:func:`srb_eval.report.text_checks.find_small_group_statements`.
"""

from __future__ import annotations

import warnings

import IPython.display
import matplotlib
import pytest

from srb_eval.errors import ReportWithheld
from srb_eval.report.text_checks import find_small_group_statements
from srb_eval.run.nbtools import code_cells

from .conftest import DEMO, ROOT

pytestmark = pytest.mark.slow

CASES = [("10_learner_progress", "all"), ("20_inclusion", "all"),
         ("30_estyn_outcomes", None), ("40_capacity", None), ("45_value_for_money", None),
         ("60_comparison", None),
         ("10_learner_progress", "SRB01"), ("20_inclusion", "SRB01"),
         ("10_learner_progress", "SRB05"), ("20_inclusion", "SRB05")]


def shown(notebook: str, **parameters) -> list[str]:
    """Every text a reader of the report sees, figures included."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    texts: list[str] = []

    def collect(*objs, **_):
        for obj in objs:
            if isinstance(obj, Figure):
                texts.extend(t.get_text() for t in obj.findobj(Text) if t.get_text())
                plt.close(obj)
            elif isinstance(obj, IPython.display.Image):
                # a figure shown by report.show_figure: its pixels are not text, its
                # alternative text is published (the figure's own texts are collected
                # from the open figures after the cell)
                texts.append(obj.alt or "")
            elif hasattr(obj, "to_html"):
                texts.append(obj.to_html())
            elif hasattr(obj, "data"):
                texts.append(str(obj.data))
            else:
                texts.append(str(obj))

    params_cell, cells = code_cells(ROOT / "notebooks" / f"{notebook}.py")
    ns: dict = {"__name__": "__main__"}
    saved = IPython.display.display
    IPython.display.display = collect
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(params_cell, notebook, "exec"), ns)
            ns.update(parameters)
            for cell in cells:
                if "provenance" in cell:  # parameters and hashes, no statistics
                    continue
                exec(compile(cell, notebook, "exec"), ns)
                for num in plt.get_fignums():  # figures shown by plt.show()
                    collect(plt.figure(num))
    finally:
        IPython.display.display = saved
        plt.close("all")
    return texts


@pytest.mark.parametrize("notebook, srb", CASES)
def test_published_reports_state_no_count_or_share_of_a_small_group(notebook, srb):
    matplotlib.use("Agg")
    params = {"data_dir": str(DEMO), "audience": "published"}
    if srb is not None:
        params["srb"] = srb
    try:
        texts = shown(notebook, **params)
    except ReportWithheld:  # pragma: no cover - the demo SRBs chosen are publishable
        pytest.fail(f"{notebook} ({srb}) was withheld")
    assert len(texts) > 10
    found = {f: t[:200] for t in texts for f in find_small_group_statements(t)}
    assert not found, found
