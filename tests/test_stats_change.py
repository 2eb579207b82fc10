"""srb_eval.stats.change: RCI and Hedges' g_av against values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from srb_eval.errors import ParameterError
from srb_eval.stats import change as C


def test_rci_worked_example():
    # SD 15, r 0.9: SE = 15 sqrt(0.1) = 4.7434; S_diff = sqrt(2) SE = 6.7082;
    # 14 / 6.7082 = 2.087 > 1.96: reliable improvement; change needed 1.96 x 6.7082 = 13.148
    r = C.rci(70, 84, sd=15, reliability=0.9)
    assert float(r.se) == pytest.approx(4.743416, abs=1e-6)
    assert float(r.s_diff) == pytest.approx(6.708204, abs=1e-6)
    assert float(r.rc) == pytest.approx(2.086996, abs=1e-6)
    assert float(r.change_needed) == pytest.approx(13.148, abs=1e-3)
    assert r.classification == "reliable improvement"


def test_rci_boundary_is_not_reliable_and_directions():
    s_diff = math.sqrt(2) * 10 * math.sqrt(1 - 0.5)  # = 10
    r = C.rci([0, 0, 0, 0], [19.6, 19.7, -19.7, np.nan], sd=10, reliability=0.5)
    assert float(s_diff) == pytest.approx(10)
    assert r.classification.tolist() == ["no reliable change", "reliable improvement",
                                         "reliable deterioration", None]


@pytest.mark.parametrize("kwargs,name", [({"sd": 0, "reliability": 0.9}, "sd"),
                                         ({"sd": 15, "reliability": 1.0}, "reliability"),
                                         ({"sd": 15, "reliability": 0.9, "criterion": -1},
                                          "criterion")])
def test_rci_bad_arguments_name_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        C.rci(1, 2, **kwargs)


def test_hedges_correction_by_hand():
    # J = 1 - 3 / (4 df - 1): df 2 -> 1 - 3/7 = 0.571429; df 9 -> 1 - 3/35 = 0.914286
    assert C.hedges_correction([1, 2, 9]).round(6).tolist()[1:] == [0.571429, 0.914286]
    assert math.isnan(C.hedges_correction(1))


def test_g_av_by_hand_and_degenerate_groups():
    # means 10 -> 13, SDs 2 and 4: d = 3 / 3 = 1; n 10: J = 1 - 3/35; g = 0.914286
    r = C.g_av([10, 10, 10], [13, 13, 13], [2, 2, 0], [4, 4, 0], [10, 2, 10])
    assert r.d_av[0] == pytest.approx(1.0)
    assert r.g_av[0] == pytest.approx(0.914286, abs=1e-6)
    assert np.isnan(r.g_av[1:]).all()
    assert r.note.tolist() == ["", "too few to judge", "no spread in scores"]


def test_standardised_mean_change_is_g_av_of_the_pairs():
    x, y = [10, 12, 14, 11, np.nan], [12, 15, 16, 11, 3]
    g, d, note = C.standardised_mean_change(x, y)
    xs, ys = np.array(x[:4]), np.array(y[:4])
    r = C.g_av(xs.mean(), ys.mean(), xs.std(ddof=1), ys.std(ddof=1), 4)
    assert (g, d, note) == (float(r.g_av), float(r.d_av), "")
    assert C.standardised_mean_change([1, 2], [2, 3])[2] == "too few to judge"
    assert C.standardised_mean_change([1, 1, 1], [2, 2, 2])[2] == "no spread in scores"
    with pytest.raises(ParameterError, match="outcome"):
        C.standardised_mean_change([1, 2, 3], [1, 2])
