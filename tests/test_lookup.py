"""srb_eval.data.lookup: Arrow lookups give pandas' answers, for every dtype."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from srb_eval.data import lookup


def _values(seed: int) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    words = np.array([f"L{i:03d}" for i in range(40)], dtype=object)
    v = pd.Series(words[rng.integers(0, 40, 500)], dtype=object)
    v[rng.random(500) < 0.05] = None
    k = pd.Series(pd.unique(words[rng.integers(0, 40, 25)]), dtype=object)
    return v, k


@pytest.mark.parametrize("dtype", ["str", "object", "category"])
@pytest.mark.parametrize("seed", range(3))
def test_is_in_and_positions_match_pandas(dtype, seed):
    v, k = _values(seed)
    values = v.astype(dtype) if dtype != "object" else v
    keys = k.astype("str") if dtype == "str" else k
    assert (lookup.is_in(values, keys) == values.isin(keys).to_numpy()).all()
    want = pd.Index(keys).get_indexer(values.astype(object))
    assert (lookup.positions(values, keys) == want).all()
    # labels from pd.factorize (an Index of text) serve as keys too
    codes, labels = pd.factorize(values.astype("str"), sort=True)
    assert (lookup.positions(values, labels) == codes).all()


def test_positions_give_the_first_of_repeated_keys_and_missing_matches_missing():
    keys = pd.Series(["a", "b", "a", None], dtype="str")
    values = pd.Series(["a", None, "b", "c"], dtype="str")
    assert lookup.positions(values, keys).tolist() == [0, 3, 1, -1]
    assert lookup.positions(values.astype(object), keys.astype(object)).tolist() == [0, 3, 1, -1]
    assert lookup.is_in(values, keys).tolist() == [True, True, True, False]


def test_text_array_only_for_arrow_text():
    assert lookup.text_array(pd.Series(["a"], dtype="str")) is not None
    assert lookup.text_array(pd.Series(["a"], dtype=object)) is None
    assert lookup.text_array(pd.Series([1, 2])) is None


def test_doctests():
    assert doctest.testmod(lookup).failed == 0


def test_missing_categorical_values_match_a_missing_key():
    values = pd.Series(["a", None, "b"], dtype="category")
    assert lookup.positions(values, pd.Series(["b", None, "a"], dtype="str")).tolist() == [
        2, 1, 0]
    assert lookup.positions(values, pd.Series(["b", "a"], dtype="str")).tolist() == [1, -1, 0]
