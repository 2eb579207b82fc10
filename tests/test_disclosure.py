"""Tests for srb_eval.report.disclosure (the policy) and srb_eval.report.suppression (applying
it to tables): small-number suppression (assumption A5).

Expected values are worked by hand in the comments beside them.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from srb_eval.errors import AudienceError, ParameterError
from srb_eval.report.disclosure import (
    AUDIENCES,
    NO_DATA_TEXT,
    SMALL_COUNT_TEXT,
    SUPPRESSED_TEXT,
    Thresholds,
    check_audience,
)
from srb_eval.report.suppression import (
    count_with_share,
    safe_table,
    suppress_counts,
    suppress_percentages,
)
from srb_eval.report.text_checks import find_small_group_statements, find_unsuppressed_small_counts

MARKERS = {SMALL_COUNT_TEXT, SUPPRESSED_TEXT}


def destinations() -> pd.DataFrame:
    """A 2x3 table of destinations by need, with a total row and a total column.

    ======  ==========  =======  =====  =====
    need    mainstream  special  other  total
    ======  ==========  =======  =====  =====
    ASD     12          3        8      23
    SLCN    10          6        9      25
    Total   22          9        17     48
    ======  ==========  =======  =====  =====
    """
    return pd.DataFrame({"need": ["ASD", "SLCN", "Total"], "mainstream": [12, 10, 22],
                         "special": [3, 6, 9], "other": [8, 9, 17], "total": [23, 25, 48]})


CELLS = ["mainstream", "special", "other"]


# --- constants, thresholds and audience ---------------------------------------------------

def test_markers_and_audiences():
    assert AUDIENCES == ("internal", "published")
    assert SMALL_COUNT_TEXT == "<5" == Thresholds().small_count_text
    assert SUPPRESSED_TEXT == "[c]"
    assert NO_DATA_TEXT == "no data"


def test_threshold_defaults_and_statswales():
    assert Thresholds() == Thresholds(min_count=5, min_denominator=10, round_to=None)
    sw = Thresholds.statswales()
    assert (sw.min_count, sw.min_denominator, sw.round_to) == (5, 50, 5)
    assert Thresholds(min_count=3).small_count_text == "<3"


@pytest.mark.parametrize("kwargs, name", [
    ({"min_count": 0}, "min_count"),
    ({"min_count": 2.5}, "min_count"),
    ({"min_count": True}, "min_count"),
    ({"min_denominator": -1}, "min_denominator"),
    ({"round_to": 0}, "round_to"),
    ({"protect_complement": "yes"}, "protect_complement"),
])
def test_bad_thresholds_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}: must be"):
        Thresholds(**kwargs)


@pytest.mark.parametrize("given, expected", [
    ("internal", "internal"), ("published", "published"), (" Published ", "published"),
    ("INTERNAL", "internal"),
])
def test_check_audience_canonical(given, expected):
    assert check_audience(given) == expected


@pytest.mark.parametrize("bad", ["public", "", "external", None, 1])
def test_bad_audience_names_allowed_values(bad):
    with pytest.raises(ParameterError) as info:
        check_audience(bad)
    message = str(info.value)
    assert message.startswith("audience:")
    assert "'internal'" in message and "'published'" in message
    assert info.value.exit_code == 2


@pytest.mark.parametrize("call", [
    lambda a: suppress_counts(destinations(), CELLS, audience=a),
    lambda a: suppress_percentages([1], [10], audience=a),
    lambda a: count_with_share(1, 10, audience=a),
    lambda a: safe_table(destinations(), audience=a),
])
def test_every_function_checks_audience(call):
    with pytest.raises(ParameterError, match="audience: must be one of 'internal', 'published'"):
        call("public")


# --- primary suppression ------------------------------------------------------------------

def test_counts_at_threshold_edges():
    t = pd.DataFrame({"group": list("abcd"), "n": [0, 1, 4, 5]})
    published = suppress_counts(t, ["n"], audience="published")
    # 0 stays 0; 1 and 4 are 1..min_count-1 -> "<5"; 5 is shown.
    assert published["n"].tolist() == ["0", "<5", "<5", "5"]
    assert published["group"].tolist() == list("abcd")
    internal = suppress_counts(t, ["n"], audience="internal")
    assert internal["n"].tolist() == ["0", "1", "4", "5"]
    # The text follows the threshold.
    three = suppress_counts(t, ["n"], audience="published", thresholds=Thresholds(min_count=3))
    assert three["n"].tolist() == ["0", "<3", "4", "5"]


def test_input_table_not_changed():
    t = destinations()
    before = t.copy()
    suppress_counts(t, CELLS, audience="published", total_row="Total", total_column="total")
    pd.testing.assert_frame_equal(t, before)


def test_internal_counts_unchanged():
    t = destinations()
    out = suppress_counts(t, CELLS, audience="internal", total_row="Total",
                          total_column="total")
    for c in [*CELLS, "total"]:
        assert out[c].astype(int).tolist() == t[c].tolist()
    assert out["need"].tolist() == t["need"].tolist()


def test_thousands_separator_and_nullable_counts():
    t = pd.DataFrame({"n": pd.array([1234, None, 12], dtype="Int64")})
    assert suppress_counts(t, ["n"], audience="internal")["n"].tolist() == [
        "1,234", NO_DATA_TEXT, "12"]


@pytest.mark.parametrize("values", [[1, -1], [1, 2.5], [1, "three"], [1, np.inf]])
def test_non_counts_refused(values):
    t = pd.DataFrame({"n": values})
    with pytest.raises(ValueError, match=r"^count_columns \('n'\): must be whole numbers"):
        suppress_counts(t, ["n"], audience="published")


def test_unknown_column_refused():
    with pytest.raises(ValueError, match="^count_columns: must be columns of the table"):
        suppress_counts(destinations(), ["mainstream", "nope"], audience="published")


# --- secondary suppression ----------------------------------------------------------------

def _lines(n_rows: int, n_cols: int, margin_row: int | None, margin_col: int | None):
    """Each (members of the line, margin) that a reader can use as an equation."""
    rows = [r for r in range(n_rows)]
    cols = [c for c in range(n_cols)]
    out = []
    if margin_col is not None:
        for r in rows:
            out.append(([(r, c) for c in cols if c != margin_col], (r, margin_col)))
    if margin_row is not None:
        for c in cols:
            out.append(([(r, c) for r in rows if r != margin_row], (margin_row, c)))
    return out


def _feasible_values(values, hidden, primary, lines, target, bound):
    """Every value ``target`` can take over integer tables consistent with what is shown.

    Shown cells are fixed; a primary-suppressed cell is 1..4; a secondary one any 0..bound;
    every row and column still adds up to its total. Exhaustive search over the hidden cells.
    """
    cells = list(zip(*np.nonzero(hidden), strict=True))
    ranges = [range(1, 5) if primary[cell] else range(0, bound + 1) for cell in cells]
    found = set()
    for guess in itertools.product(*ranges):
        trial = values.copy()
        for cell, g in zip(cells, guess, strict=True):
            trial[cell] = g
        if all(sum(trial[m] for m in members) == trial[margin] for members, margin in lines):
            found.add(int(trial[target]))
    return found


def test_secondary_suppression_hides_a_second_cell():
    out = suppress_counts(destinations(), CELLS, audience="published", total_row="Total",
                          total_column="total")
    # Hand-worked: ASD special = 3 is primary ("<5"). Row ASD then has one hidden cell and
    # a shown total, so its smallest other non-zero cell (other = 8) is hidden. Column
    # "special" has one hidden cell (3) and total 9: hide SLCN special (6). Column
    # "other" has one hidden cell (8) and total 17: hide SLCN other (9). Row SLCN now has
    # two hidden cells; every row and column has 0 or 2 hidden: stable.
    assert out["special"].tolist() == ["<5", "[c]", "9"]
    assert out["other"].tolist() == ["[c]", "[c]", "17"]
    assert out["mainstream"].tolist() == ["12", "10", "22"]
    assert out["total"].tolist() == ["23", "25", "48"]
    assert out["need"].tolist() == ["ASD", "SLCN", "Total"]


def test_hidden_cell_cannot_be_recovered_from_totals():
    t = destinations()
    shown = suppress_counts(t, CELLS, audience="published", total_row="Total",
                            total_column="total")
    grid = [*CELLS, "total"]
    values = t[grid].to_numpy()
    hidden = shown[grid].isin(MARKERS).to_numpy()
    primary = shown[grid].eq("<5").to_numpy()

    # With primary suppression only, subtraction gives the small cell back: 23 - 12 - 8.
    assert values[0, 3] - values[0, 0] - values[0, 2] == 3
    # After secondary suppression the ASD row total minus what is shown is 23 - 12 = 11:
    # the sum of two hidden cells (3 + 8), not the small cell.
    row_shown = sum(int(x) for x in shown.loc[0, grid[:-1]] if x not in MARKERS)
    assert int(shown.loc[0, "total"]) - row_shown == 11 != 3

    # No row or column has exactly one hidden member.
    lines = _lines(3, 4, margin_row=2, margin_col=3)
    for members, margin in lines:
        assert sum(hidden[m] for m in [*members, margin]) != 1

    # Exhaustive check: every value 1..4 of the small cell fits all the shown totals
    # (others = 11 - a, 9 - a, 6 + a), so it cannot be recovered by any arithmetic.
    assert _feasible_values(values, hidden, primary, lines, (0, 1), bound=25) == {1, 2, 3, 4}
    # and with primary suppression alone it could be.
    assert _feasible_values(values, primary, primary, lines, (0, 1), bound=25) == {3}


def test_total_row_found_by_index_label():
    t = destinations().set_index("need")
    out = suppress_counts(t, CELLS, audience="published", total_row="Total",
                          total_column="total")
    by_column = suppress_counts(destinations(), CELLS, audience="published",
                                total_row="Total", total_column="total")
    assert out.reset_index().equals(by_column)


def test_bad_total_row_refused():
    with pytest.raises(ValueError, match="^total_row: must be the label of exactly one row"):
        suppress_counts(destinations(), CELLS, audience="published", total_row="All")


def test_no_totals_no_secondary_unless_margins_assumed():
    t = destinations().iloc[:2]
    plain = suppress_counts(t, CELLS, audience="published")
    assert plain["special"].tolist() == ["<5", "6"]
    assert plain["other"].tolist() == ["8", "9"]
    # Totals published elsewhere: protect as if they were in the table (same 2x2 block).
    assumed = suppress_counts(t, CELLS, audience="published", assume_margins=True)
    assert assumed["special"].tolist() == ["<5", "[c]"]
    assert assumed["other"].tolist() == ["[c]", "[c]"]
    assert assumed["mainstream"].tolist() == ["12", "10"]


def test_only_row_totals():
    # Row totals only (no total row): ASD row hides its smallest other non-zero cell (8);
    # columns are not checked.
    out = suppress_counts(destinations().iloc[:2], CELLS, audience="published",
                          total_column="total")
    assert out["special"].tolist() == ["<5", "6"]
    assert out["other"].tolist() == ["[c]", "9"]
    assert out["total"].tolist() == ["23", "25"]


def test_zero_cells_are_not_chosen_and_total_hidden_as_last_resort():
    # Row a: 3 is small and the only other cell is 0, so hiding the 0 would not help:
    # the total (10, which counts learners in categories not shown) is hidden instead.
    t = pd.DataFrame({"g": ["a", "b"], "x": [3, 20], "y": [0, 12], "total": [10, 40]})
    out = suppress_counts(t, ["x", "y"], audience="published", total_column="total")
    assert out["x"].tolist() == ["<5", "20"]
    assert out["y"].tolist() == ["0", "12"]
    assert out["total"].tolist() == ["[c]", "40"]


def test_small_total_is_itself_suppressed():
    # Column y: a = 3, b = 0, total 3. Both 3s are primary, and the 0 is hidden too: "0"
    # beside a "<5" total said that a holds all of column y (#14). The three small
    # counts would narrow each other as "<5" (b at most 3), so they show as "[c]".
    t = pd.DataFrame({"g": ["a", "b", "All"], "x": [7, 6, 13], "y": [3, 0, 3]})
    out = suppress_counts(t, ["x", "y"], audience="published", total_row="All")
    assert out["y"].tolist() == ["[c]", "[c]", "[c]"]
    assert out["x"].tolist() == ["7", "6", "13"]


# --- StatsWales thresholds ----------------------------------------------------------------

def test_statswales_rounding_to_five():
    t = pd.DataFrame({"n": [0, 3, 5, 6, 7, 8, 12, 13, 1234]})
    out = suppress_counts(t, ["n"], audience="published", thresholds=Thresholds.statswales())
    # nearest 5, half up: 6 -> 5, 7 -> 5, 8 -> 10, 12 -> 10, 13 -> 15, 1234 -> 1,235.
    assert out["n"].tolist() == ["0", "<5", "5", "5", "5", "10", "10", "15", "1,235"]
    # Internal is never rounded.
    internal = suppress_counts(t, ["n"], audience="internal", thresholds=Thresholds.statswales())
    assert internal["n"].tolist()[-1] == "1,234"


def test_statswales_percentage_denominators():
    sw = Thresholds.statswales()
    out = suppress_percentages([20, 20], [49, 50], audience="published", thresholds=sw)
    assert out.tolist() == ["[c]", "40%"]  # 49 < 50 suppressed; 20/50 = 40%
    assert count_with_share(20, 49, audience="published", thresholds=sw) == (
        "fewer than 50 learners")
    # 20 of 50: counts rounded to 5 (20, 50), the percentage from the unrounded counts.
    assert count_with_share(20, 50, audience="published", thresholds=sw) == "20 of 50 (40%)"
    # 137 of 290 -> 135 of 290 (47.24% -> 47%).
    assert count_with_share(137, 290, audience="published", thresholds=sw) == (
        "135 of 290 (47%)")


# --- percentages --------------------------------------------------------------------------

def test_percentage_denominator_9_vs_10():
    # 5/9 = 55.6% and 5/10 = 50%; published suppresses the first (denominator < 10).
    assert suppress_percentages([5, 5], [9, 10], audience="internal").tolist() == ["56%", "50%"]
    assert suppress_percentages([5, 5], [9, 10], audience="published").tolist() == ["[c]", "50%"]


def test_percentage_small_numerator_and_complement():
    num, den = [0, 1, 4, 5, 16, 26, 30], [30, 30, 30, 30, 30, 30, 30]
    # 0% shown; 1 and 4 reveal small counts; 5/30 = 16.7%; 16/30 = 53.3%; 26/30 leaves 4
    # (small complement); 30/30 = 100% (complement 0 is shown like any zero).
    assert suppress_percentages(num, den, audience="published").tolist() == [
        "0%", "[c]", "[c]", "17%", "53%", "[c]", "100%"]
    off = Thresholds(protect_complement=False)
    assert suppress_percentages(num, den, audience="published", thresholds=off).tolist() == [
        "0%", "[c]", "[c]", "17%", "53%", "87%", "100%"]


def test_percentage_rounding_and_no_data():
    # 1/8 = 12.5% rounds half up to 13%; 12.5 with one decimal; 0 denominators and missing
    # values are "no data", never NaN.
    assert suppress_percentages([1], [8], audience="internal").tolist() == ["13%"]
    assert suppress_percentages([1], [8], audience="internal", decimals=1).tolist() == ["12.5%"]
    out = suppress_percentages(pd.Series([0, np.nan, 3], index=["a", "b", "c"]),
                               pd.Series([0, 10, None], index=["a", "b", "c"]),
                               audience="published")
    assert out.tolist() == [NO_DATA_TEXT] * 3
    assert out.index.tolist() == ["a", "b", "c"]


def test_percentage_argument_errors():
    with pytest.raises(ValueError, match="^numerators: must be at most the denominators"):
        suppress_percentages([11], [10], audience="internal")
    with pytest.raises(ValueError, match="^denominators: must be the same length"):
        suppress_percentages([1, 2], [10], audience="internal")
    with pytest.raises(ValueError, match="^decimals: must be a whole number from 0 to 6"):
        suppress_percentages([1], [10], audience="internal", decimals=-1)


# --- count with share ---------------------------------------------------------------------

@pytest.mark.parametrize("count, n, audience, expected", [
    (27, 29, "internal", "27 of 29 (93%)"),
    (3, 29, "internal", "3 of 29 (10%)"),
    (3, 29, "published", "<5 of 29"),
    (0, 29, "published", "0 of 29 (0%)"),
    (20, 29, "published", "20 of 29 (69%)"),
    (27, 29, "published", "more than 24 of 29"),  # 2 without: complement protected
    (29, 29, "published", "29 of 29 (100%)"),
    (6, 9, "published", "fewer than 10 learners"),
    (5, 10, "published", "5 of 10 (50%)"),
    (0, 0, "published", NO_DATA_TEXT),
    (0, 0, "internal", NO_DATA_TEXT),
])
def test_count_with_share(count, n, audience, expected):
    assert count_with_share(count, n, audience=audience) == expected


def test_count_with_share_vectorised_and_noun():
    out = count_with_share(pd.Series([27, 3, None], index=["x", "y", "z"]), [29, 29, 29],
                           audience="published")
    assert out.tolist() == ["more than 24 of 29", "<5 of 29", NO_DATA_TEXT]
    assert out.index.tolist() == ["x", "y", "z"]
    assert count_with_share(2, 7, audience="published", noun="targets") == (
        "fewer than 10 targets")
    with pytest.raises(ValueError, match="^count: must be at most n"):
        count_with_share(30, 29, audience="internal")


# --- safe_table ---------------------------------------------------------------------------

@pytest.mark.parametrize("column, id_columns", [
    ("learner_id", ("learner_id",)),
    ("Learner_ID", ("learner_id",)),
    ("learner_id", ()),  # always refused
    ("pupil_id", ("learner_id", "pupil_id")),
])
def test_published_table_refuses_identifiers(column, id_columns):
    t = pd.DataFrame({column: ["L1", "L2"], "score": [10, 12]})
    with pytest.raises(AudienceError, match="must not contain learner identifiers") as info:
        safe_table(t, audience="published", id_columns=id_columns)
    assert isinstance(info.value, ParameterError)
    assert column in str(info.value)
    # The same table is fine for an internal report.
    assert safe_table(t, audience="internal", id_columns=id_columns)[column].tolist() == [
        "L1", "L2"]


def test_safe_table_internal_unchanged_except_missing():
    t = pd.DataFrame({"learner_id": ["L1", "L2", None], "need": ["ASD", None, "MLD"],
                      "gain": [1.5, np.nan, -2.0], "n": [3, 1, 40]})
    out = safe_table(t, audience="internal")
    assert out["learner_id"].tolist() == ["L1", "L2", NO_DATA_TEXT]
    assert out["need"].tolist() == ["ASD", NO_DATA_TEXT, "MLD"]
    assert out["gain"].tolist() == [1.5, NO_DATA_TEXT, -2.0]
    pd.testing.assert_series_equal(out["n"], t["n"])


def test_safe_table_percentages_follow_suppressed_cells():
    # Numerator "other" and its percentage of the row total: ASD other (8) is hidden by
    # secondary suppression, so 8/23 = 35% would give it back (and then 23 - 12 - 8 = 3):
    # the percentage is hidden too. SLCN other (9) is hidden as well; 10/25 is shown.
    t = destinations()
    out = safe_table(t, audience="published", count_columns=CELLS, total_row="Total",
                     total_column="total",
                     percent_columns={"pct_other": ("other", "total"),
                                      "pct_mainstream": ("mainstream", "total")})
    assert out["pct_other"].tolist() == ["[c]", "[c]", "35%"]  # 17/48 = 35.4%
    assert out["pct_mainstream"].tolist() == ["52%", "40%", "46%"]  # 12/23, 10/25, 22/48
    internal = safe_table(t, audience="internal", count_columns=CELLS,
                          percent_columns={"pct_other": ("other", "total")})
    assert internal["pct_other"].tolist() == ["35%", "36%", "35%"]  # 8/23, 9/25, 17/48


def test_safe_table_small_group_statistics():
    g = pd.DataFrame({"need": ["ASD", "SLCN", "MLD"], "n": [12, 6, 3],
                      "median_gain": [1.5, 2.0, np.nan], "achieved": [6, 3, 1]})
    out = safe_table(g, audience="published", n_column="n",
                     percent_columns={"pct_achieved": ("achieved", "n")})
    assert out["n"].tolist() == ["12", "6", "<5"]
    assert out["median_gain"].tolist() == [1.5, "[c]", "[c]"]  # n 6 and 3 are below 10
    assert out["achieved"].tolist() == ["6", "<5", "<5"]
    assert out["pct_achieved"].tolist() == ["50%", "[c]", "[c]"]


# --- no "nan" anywhere --------------------------------------------------------------------

def _all_text(obj) -> list[str]:
    if isinstance(obj, pd.DataFrame):
        assert not obj.isna().any().any()
        return [str(v) for v in obj.to_numpy().ravel()] + [str(c) for c in obj.columns]
    if isinstance(obj, pd.Series):
        assert not obj.isna().any()
        return [str(v) for v in obj]
    assert isinstance(obj, str)
    return [obj]


MISSING = [np.nan, None, pd.NA]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("missing", MISSING, ids=["nan", "None", "NA"])
@pytest.mark.parametrize("make", [
    lambda m, a: suppress_counts(pd.DataFrame({"g": ["a", "b", "t"], "x": [3, m, 20],
                                               "y": [m, 7, 20]}),
                                 ["x", "y"], audience=a, total_row="t"),
    lambda m, a: suppress_percentages(pd.Series([3, m, 0], dtype=object),
                                      pd.Series([m, 10, 0], dtype=object), audience=a),
    lambda m, a: count_with_share(pd.Series([m, 3], dtype=object), [29, m], audience=a),
    lambda m, a: count_with_share(m, 29, audience=a),
    lambda m, a: safe_table(pd.DataFrame({"need": ["ASD", m], "n": pd.Series([m, 12],
                                                                             dtype=object),
                                          "achieved": [2, 8],
                                          "gain": pd.Series([m, 1.5], dtype=object),
                                          "when": pd.to_datetime(["2024-01-01", None])}),
                            audience=a, count_columns=["n"], n_column="n",
                            percent_columns={"pct": ("achieved", "n")}),
], ids=["suppress_counts", "suppress_percentages", "count_with_share", "count_with_share_1",
        "safe_table"])
def test_no_nan_text_in_outputs(make, missing, audience):
    for text in _all_text(make(missing, audience)):
        for bad in ("nan", "none", "<na>", "nat"):
            assert bad not in text.lower(), text


# --- scanning rendered text ---------------------------------------------------------------

def test_find_unsuppressed_small_counts():
    html = ("<p>Most learners (27 of 29, 93%) made progress; few (3 of 29) did not.</p>"
            "<td>&lt;5 of 29</td> <5 of 30, 2 learners left, 12 learners stayed, "
            "1,234 pupils, fewer than 10 learners")
    assert find_unsuppressed_small_counts(html) == ["3 of 29", "2 learners"]
    assert find_unsuppressed_small_counts("") == []


def test_published_phrases_pass_the_scan():
    phrases = count_with_share([0, 3, 20, 27, 6], [29, 29, 29, 29, 9], audience="published")
    assert find_unsuppressed_small_counts(" ".join(phrases)) == []
    internal = count_with_share([3], [29], audience="internal")
    assert find_unsuppressed_small_counts(internal.iloc[0]) == ["3 of 29"]


def test_vectorised_on_many_rows():
    rng = np.random.default_rng(1)
    den = rng.integers(0, 200, size=100_000)
    num = rng.integers(0, 200, size=100_000) % (den + 1)
    out = suppress_percentages(num, den, audience="published")
    assert len(out) == 100_000
    expected_hidden = (den > 0) & ((den < 10) | ((num >= 1) & (num < 5))
                                   | ((den - num >= 1) & (den - num < 5)))
    assert (out.eq("[c]").to_numpy() == expected_hidden).all()
    assert (out.eq(NO_DATA_TEXT).to_numpy() == (den == 0)).all()


def test_count_whose_complement_in_its_group_is_small_is_hidden():
    # n = 9 and 5 at or above 50%: showing 5 reveals that 9 - 5 = 4 were below.
    # n = 20 and 12: the complement 8 is not small, so 12 is shown.
    t = pd.DataFrame({"group": ["A", "B"], "n": [9, 20], "at_or_above": [5, 12]})
    out = safe_table(t, audience="published", count_columns=["n", "at_or_above"],
                     n_column="n")
    assert out["at_or_above"].tolist() == [SUPPRESSED_TEXT, "12"]
    inside = safe_table(t, audience="internal", count_columns=["n", "at_or_above"],
                        n_column="n")
    assert inside["at_or_above"].tolist() == ["5", "12"]


def test_plain_counts_is_only_the_fast_path_for_whole_numbers():
    from srb_eval.report.suppression import plain_counts

    got = plain_counts(np.array([3, 0, 12]))
    assert got.dtype == float and got.tolist() == [3.0, 0.0, 12.0]
    assert np.isnan(plain_counts(np.array([1.0, np.nan]))[1])
    for not_plain in (np.array([-1]), np.array([1.5]), np.array([np.inf]),
                      np.array(["3"], dtype=object), [3, 4], pd.Series([3])):
        assert plain_counts(not_plain) is None


def test_a_report_about_too_few_learners_is_withheld():
    from srb_eval.report.disclosure import too_small_to_publish, withheld_notice

    assert too_small_to_publish(12)  # the example of the issue: 12 learners, two SRBs
    assert too_small_to_publish(1) and too_small_to_publish(19)
    assert not too_small_to_publish(20) and not too_small_to_publish(0)
    strict = Thresholds.statswales()
    assert too_small_to_publish(99, strict) and not too_small_to_publish(100, strict)
    assert "fewer than 100 learners" in withheld_notice(strict)
    with pytest.raises(ValueError, match="min_learners"):
        Thresholds(min_learners=-1)
    with pytest.raises(ValueError, match="n_learners"):
        too_small_to_publish(-3)


def test_find_small_group_statements_flags_shares_and_sizes_of_small_groups():
    text = ("<p>All leavers (8 of 8) left with a qualification.</p> Reading (n=3 results, "
            "3 learners) 20 of 29 (69%), 27 of 29, <5 of 30, [c] of 8, n=12, n = 9")
    assert find_small_group_statements(text) == [
        "8 of 8", "n=3", "3 learners", "27 of 29", "n = 9"]
    assert find_small_group_statements("5 of 15 leavers; 0 of 12 (0%)") == []
    strict = Thresholds.statswales()
    assert find_small_group_statements("20 of 40 (50%)", thresholds=strict) == ["20 of 40"]


def _column_ranges(parts: list[int], shown: list[str], total: int) -> dict[int, set[int]]:
    """Every value each hidden part of one column can take, given the shown parts and the
    shown total (brute force over the hidden parts, each 0 to total)."""
    import itertools

    hidden = [i for i, s in enumerate(shown) if s in ("<5", "[c]")]
    rest = total - sum(p for i, p in enumerate(parts) if i not in hidden)
    ranges: dict[int, set[int]] = {i: set() for i in hidden}
    lows = {i: 1 if shown[i] == "<5" else 0 for i in hidden}
    highs = {i: 4 if shown[i] == "<5" else rest for i in hidden}
    for combo in itertools.product(*[range(lows[i], highs[i] + 1) for i in hidden]):
        if sum(combo) == rest:
            for i, v in zip(hidden, combo, strict=True):
                ranges[i].add(v)
    return ranges


def test_small_counts_that_narrow_each_other_through_a_total_get_more_cover():
    # Need mix, learners now: three small counts sum to 93 - 89 = 4, so each would be
    # 1 or 2 (the example). The rule of thumb sees three hidden cells in the
    # column and stops; the audit hides more until every "<5" can be 1 to 4 again.
    parts = [43, 8, 5, 2, 16, 12, 5, 1, 1]
    t = pd.DataFrame({"need": [f"n{i}" for i in range(9)] + ["all"],
                      "learners": parts + [sum(parts)]})
    out = suppress_counts(t, ["learners"], audience="published", total_row="all")
    shown = out["learners"].tolist()
    assert shown[-1] == "93"
    for i, values in _column_ranges(parts, shown[:-1], 93).items():
        assert parts[i] in values
        if shown[i] == "<5":
            assert {1, 2, 3, 4} <= values, (i, shown, values)
        else:
            assert values.isdisjoint({1, 2, 3, 4}) or {1, 2, 3, 4} <= values, (i, values)
    assert shown.count("[c]") >= 1  # a further cell hidden to cover the small ones


def test_a_count_given_away_by_an_assumed_margin_does_not_stop_suppression():
    # Row a: its total (3, known to readers from elsewhere: assume_margins) has one
    # non-zero part, so the 3 follows whatever is hidden; suppression still returns.
    # Its 0 is hidden as a part of a small group (#14).
    t = pd.DataFrame({"g": ["a", "b"], "x": [3, 20], "y": [0, 12]})
    out = suppress_counts(t, ["x", "y"], audience="published", assume_margins=True)
    assert out["x"].iloc[0] in ("<5", "[c]") and out["y"].iloc[0] == "[c]"


def test_a_table_hiding_more_than_150_cells_is_still_protected_within_itself():
    """Issue #14 (Wales-size leaks): a table whose rule of thumb hides more than 150
    cells (one row per SRB at national size) kept the rule of thumb only, and the audit
    of the Wales benchmark narrowed 923 of its hidden counts. Here every line has two or
    more hidden members, yet the small count joining two rectangles of hidden cells (SRB01,
    c3) is recovered exactly by subtraction: rows S000 + S001 less columns c1 + c2."""
    from srb_eval.report.audit import Partition, feasible_ranges
    from srb_eval.report.suppression import count_text
    from srb_eval.report.table_records import table_record

    cols = ["c1", "c2", "c3", "c4", "c5", "c6"]
    pairs = 38  # 152 further hidden cells: over the old limit of 150
    n = 4 + 2 * pairs
    values = np.full((n, len(cols)), 10.0)
    hide = np.zeros(values.shape, dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)]:
        hide[r, c] = True  # two rectangles (each cell [c], e.g. a share's hidden count)
    values[1, 2] = 3  # the bridge between them: a small count
    for p in range(pairs):
        hide[4 + 2 * p:6 + 2 * p, 4:6] = True
    table = np.vstack([values, values.sum(axis=0)])
    table = np.column_stack([table, table.sum(axis=1)])
    hide = np.pad(hide, ((0, 1), (0, 1)))
    text = count_text(table, Thresholds(), margin_row=n, margin_col=len(cols), hide=hide)
    assert np.isin(text, list(MARKERS)).sum() > 150

    srbs = [f"S{i:03d}" for i in range(n)]
    shown = pd.DataFrame(text, columns=[*cols, "total"]).assign(srb=[*srbs, "all"])
    record = table_record(shown, report="r", table="t", measure="learners",
                          row_dims={"srb": "srb_id"},
                          columns={**{c: {"col": c} for c in cols}, "total": {}},
                          partitions=[Partition("learners", "srb_id", tuple(srbs)),
                                      Partition("learners", "col", tuple(cols))],
                          thresholds=Thresholds(), total_labels=("all",))
    ranges = feasible_ranges([record]).set_index(["row", "column"])
    bridge = ranges.loc[(1, "c3")]
    assert shown.loc[1, "c3"] in MARKERS
    # before: "<5" fixed at 3 (the rule of thumb alone)
    assert bridge["low"] <= 1 and bridge["high"] >= 4, bridge["reason"]
    assert bridge["passes"]


def test_zeros_by_design_are_no_parts_of_a_small_group():
    """#14: an SRB teaches one phase, so its 0 in another phase's column is known to
    every reader. Taken for a part, the rule for the parts of small groups hid it with
    the SRB's own count (a group of 6 "all in primary"), and in the demo's occupancy
    table every SRB's count on roll with it."""
    t = pd.DataFrame({"g": ["a", "b", "all"], "primary": [6, 0, 6],
                      "secondary": [0, 30, 30], "total": [6, 30, 36]})
    kw = {"audience": "published", "total_row": "all", "total_column": "total"}
    cols = ["primary", "secondary", "total"]
    design = {"primary": [False, True, False], "secondary": [True, False, False]}
    shown = suppress_counts(t, cols, **kw, zero_by_design=design)
    assert shown[cols].to_numpy().tolist() == [["6", "0", "6"], ["0", "30", "30"],
                                               ["6", "30", "36"]]
    assert suppress_counts(t, cols, **kw).loc[0, "primary"] == "[c]"
    with pytest.raises(ValueError, match="zero_by_design"):  # only ever at zeros
        suppress_counts(t, cols, **kw, zero_by_design={"primary": [True, False, False]})
