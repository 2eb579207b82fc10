"""srb_eval.stats.gas: the Kiresuk-Sherman T-score worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from srb_eval.errors import ParameterError
from srb_eval.stats import gas as G


def test_t_score_by_hand():
    assert G.gas_t_score([0, 0, 0]) == 50.0
    # sum wx = 3; sqrt(0.7 x 3 + 0.3 x 9) = sqrt(4.8) = 2.190890; 50 + 30 / 2.190890
    assert G.gas_t_score([1, 1, 1]) == pytest.approx(63.693064, abs=1e-6)
    # one goal: 50 + 10 x
    assert G.gas_t_score([-2]) == pytest.approx(30.0)
    # weights 2, 1 at +1, -1, rho 0: (2 - 1) / sqrt(4 + 1) = 0.447214 -> 54.472136
    assert G.gas_t_score([1, -1], [2, 1], rho=0) == pytest.approx(54.472136, abs=1e-6)
    assert math.isnan(G.gas_t_score([np.nan]))


def test_sums_form_agrees_with_the_goal_form():
    x, w = np.array([2, -1, 0, 1.0]), np.array([1, 2, 1, 3.0])
    t = G.gas_t_from_sums(w.sum(), (w * x).sum(), (w**2).sum(), rho=0.4)
    assert float(t) == pytest.approx(G.gas_t_score(x, w, rho=0.4))


@pytest.mark.parametrize("args,name", [(([3],), "attainment"), (([1], [0]), "weights"),
                                       (([1], [1, 2]), "weights"), (([1], None, 1.0), "rho")])
def test_bad_arguments_name_the_parameter(args, name):
    with pytest.raises(ParameterError, match=name):
        G.gas_t_score(*args)
