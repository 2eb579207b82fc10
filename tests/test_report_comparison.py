"""Report 60's tables and words: published statistics only for groups of the policy's
minimum, learner rows never published."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from srb_eval.errors import AudienceError
from srb_eval.measures import comparison as C
from srb_eval.report import comparison as W
from srb_eval.report.disclosure import SUPPRESSED_TEXT


def _result(n: int) -> C.MatchedComparison:
    rng = np.random.default_rng(4)
    base = rng.normal(70, 8, n)
    f = pd.DataFrame({
        "learner_id": [f"T{i}" for i in range(n)] + [f"C{i}" for i in range(n)],
        "placed": [1] * n + [0] * n, "cluster": ["SRB1"] * n + ["SCH1"] * n,
        "primary_need": "ASD", "phase": "primary", "sex": ["M", "F"] * n,
        "baseline": np.concatenate([base, base + 0.5]),
        "outcome": np.concatenate([base + rng.normal(3, 4, n), base + rng.normal(1, 4, n)]),
        "year_group": 4.0, "elapsed_years": 2.0,
        "female": np.tile([0.0, 1.0], n), "fsm": np.nan})
    m = C.match_learners(f, exact=["primary_need"], caliper_sd=0.3)
    return C.MatchedComparison(m, C.balance_table(m), C.effects_table(m), m.attrs["caliper"],
                               ("primary_need",))


def test_published_small_groups_get_no_statistic():
    r = _result(6)
    e = W.display_effects(r.effects, audience="published")
    assert (e["estimate"] == SUPPRESSED_TEXT).all() and (e["95% interval from"] ==
                                                          SUPPRESSED_TEXT).all()
    assert set(e["SRB learners"]) == {"6"}
    b = W.display_balance(r.balance, audience="published").set_index("covariate")
    assert (b.filter(like="after") == SUPPRESSED_TEXT).all().all()
    words = " ".join(W.effect_sentences(r, audience="published"))
    assert "no effect is published" in words and "Hedges" not in words
    internal = W.display_effects(r.effects, audience="internal")
    assert (internal["estimate"] != SUPPRESSED_TEXT).all()


def test_published_large_groups_show_the_effect():
    r = _result(30)
    e = W.display_effects(r.effects, audience="published").set_index("method")
    row = e.loc[W.METHOD_WORDS["hedges_g"]]
    assert row["estimate"] != SUPPRESSED_TEXT
    assert float(row["95% interval from"]) < float(row["95% interval to"])
    words = W.effect_sentences(r, audience="published")
    assert any("Hedges' g" in s for s in words)


def test_an_effect_that_rounds_to_zero_is_shown_without_a_sign():
    """The demo's ANCOVA estimate (-0.02 points) showed "-0.0"; a value that rounds to
    zero at the table's decimals shows no sign, and other values keep theirs."""
    r = _result(30)
    effects = r.effects.assign(estimate=[-0.004, -0.02, -0.04, -0.26])
    e = W.display_effects(effects, audience="internal")
    assert e["estimate"].tolist() == ["0.00", "0.0", "0.0", "-0.3"]


def test_pairs_are_internal_only():
    r = _result(3)
    assert len(W.display_pairs(r, audience="internal")) == 3
    with pytest.raises(AudienceError):
        W.display_pairs(r, audience="published")


def test_missing_tables_note_names_them():
    text = W.missing_tables_note(["comparison_learners", "comparison_assessments"])
    assert text.startswith("This report needs the tables comparison_learners, "
                           "comparison_assessments, which are not in this dataset")


def test_counts_record_states_every_count_of_the_learners_and_effects_tables():
    from srb_eval.report.audit import check_record, feasible_ranges
    from srb_eval.report.comparison import counts_record

    counts = pd.DataFrame({"group": ["placed in an SRB", "comparison: not placed"],
                           "learners with a baseline and an outcome": ["71", "147"],
                           "matched": ["<5", "<5"]})
    effects = pd.DataFrame({"method": ["g", "ANCOVA"], "SRB learners": ["<5", "<5"],
                            "comparison learners": ["<5", "<5"]})
    learners, effect = (check_record(r) for r in counts_record(
        counts, effects, instrument="SAT", area="literacy"))
    cells = {(c["dims"].get("group"), c["dims"].get("matched"), c["text"])
             for c in learners["cells"]}
    assert cells == {("placed in an SRB", None, "71"), ("placed in an SRB", "yes", "<5"),
                     ("comparison: not placed", None, "147"),
                     ("comparison: not placed", "yes", "<5")}
    # the effects table repeats the matched counts: the same keys, one unknown each
    assert {(c["dims"]["group"], c["dims"]["matched"]) for c in effect["cells"]} == {
        ("placed in an SRB", "yes"), ("comparison: not placed", "yes")}
    ranges = feasible_ranges([learners, effect])
    assert len(ranges) == 6 and ranges["passes"].all()  # each hidden cell, all 1 to 4


def test_methods_name_the_area_in_the_reports_language():
    """The methods' "Result compared: SAT, numeracy" showed the area's code in English on
    a Welsh page."""
    import warnings

    from srb_eval.report.i18n import UntranslatedWarning, area_word, in_language

    r = _result(12)
    assert "**Result compared:** SAT, numeracy." in W.methods_markdown(
        r, instrument="SAT", area="numeracy")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        with in_language("cy"):
            text = W.methods_markdown(r, instrument="SAT", area="numeracy")
            welsh_area = area_word("numeracy")
    assert "numeracy" not in text and f"SAT, {welsh_area}." in text


def test_methods_state_the_permutation_tests_patterns_from_the_package(monkeypatch):
    """The methods said "exact up to 13 pairs, else 9,999 random sign patterns" as fixed
    text: a constant copied into prose (#13). They come from
    ``stats.effects.PERMUTATION_RESAMPLES``, in English and in Welsh."""
    import warnings

    from srb_eval.report.i18n import UntranslatedWarning, in_language

    r = _result(12)
    text = W.methods_markdown(r, instrument="SAT", area="numeracy")
    assert "exact up to 13 pairs, else 9,999 random sign patterns" in text
    monkeypatch.setattr(W, "PERMUTATION_RESAMPLES", 999)
    text = W.methods_markdown(r, instrument="SAT", area="numeracy")
    assert "exact up to 9 pairs, else 999 random sign patterns" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error", UntranslatedWarning)
        with in_language("cy"):
            welsh = W.methods_markdown(r, instrument="SAT", area="numeracy")
    assert "union hyd at 9 pâr, fel arall 999 patrwm" in welsh


def test_two_matchings_of_the_same_learners_are_two_breakdowns_of_one_population():
    """A render with the comparison matched by baseline and again with a wider caliper (or
    by propensity) was refused by its own audit: both recorded their matched learners as
    the one count "matched = yes" of the same population, with two values. Each matching
    is now a breakdown of its own (:func:`matching_dim`), audited together."""
    from srb_eval.report.audit import AuditError, feasible_ranges

    rng = np.random.default_rng(7)
    n = 60
    base = rng.normal(70, 8, n)
    f = pd.DataFrame({
        "learner_id": [f"T{i}" for i in range(n)] + [f"C{i}" for i in range(n)],
        "placed": [1] * n + [0] * n, "primary_need": "ASD",
        "baseline": np.concatenate([base, base + rng.normal(0, 6, n)]),
        "outcome": np.concatenate([base + 3, base + 1])})
    results = []
    for sd in (0.1, 0.5):
        m = C.match_learners(f, exact=["primary_need"], caliper_sd=sd)
        results.append(C.MatchedComparison(m, C.balance_table(m), C.effects_table(m),
                                           m.attrs["caliper"], ("primary_need",),
                                           caliper_sd=sd))
    counts = [W.display_counts(r, audience="published") for r in results]
    assert counts[0]["matched"].tolist() != counts[1]["matched"].tolist()
    dims = [W.matching_dim(r) for r in results]
    assert dims == ["matched (on baseline; exactly on primary_need; caliper 0.1 SD)",
                    "matched (on baseline; exactly on primary_need; caliper 0.5 SD)"]

    def records(dim_of):
        return [rec for i, r in enumerate(results) for rec in W.counts_record(
            counts[i], W.display_effects(r.effects, audience="published"),
            instrument="SAT", area="literacy", matched=dim_of(r),
            tables=(f"learners{i}", f"effects{i}"))]

    ranges = feasible_ranges(records(W.matching_dim))
    assert ranges["passes"].all()
    with pytest.raises(AuditError, match="contradict"):  # one count, two values
        feasible_ranges(records(lambda r: "matched"))
