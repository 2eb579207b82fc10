"""The progress and inclusion reports execute for every demo SRB, in both audiences.

Issues 3 and 4 ask that ``10_learner_progress`` and ``20_inclusion`` run "for every SRB
and for 'all', for both audiences" (the "all" runs are in ``test_nb_progress.py`` and
``test_nb_inclusion.py``). The per-SRB committee set (``parameters/demo_per_srb.yaml``,
published) and the same fan-out for the internal audience are rendered once for the test
session (``tests/conftest.py``); each executed notebook is then checked as a reader would
see it: no error, no NaN/None text, and for the published audience no learner id and
no unsuppressed count from 1 to 4.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from .conftest import DEMO, rendered_notebook
from .nbcheck import check_report as _check

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def renders(rendered_per_srb, rendered_per_srb_internal) -> list[tuple[Path, list]]:
    return [rendered_per_srb, rendered_per_srb_internal]


def test_every_srb_and_audience_was_rendered(renders):
    srbs = sorted(pd.read_csv(DEMO / "srbs.csv")["srb_id"])
    got = {(r.notebook, r.parameters["srb"], r.parameters["audience"])
           for _, results in renders for r in results}
    assert got == {(nb, s, a) for nb in ("10_learner_progress", "20_inclusion")
                   for s in srbs for a in ("published", "internal")}
    assert all(r.status == "ok" for _, results in renders for r in results)


def test_each_report_reads_cleanly(renders):
    for out, results in renders:
        for r in results:
            if r.withheld:  # too few learners to publish: header and notice only
                html = (out / r.files["html"]).read_text()
                assert "Too few learners to publish" in html and "Traceback" not in html
                assert r.parameters["audience"] == "published" and not r.results
                continue
            assert r.warnings == 0, (r.name, "wrote to stderr: see its log")
            text = _check(rendered_notebook(out, r.name), DEMO, r.parameters["audience"])
            assert r.parameters["srb"] in text  # the report says which SRB it is about
