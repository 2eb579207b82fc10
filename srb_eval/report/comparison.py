"""The matched comparison (report 60) for readers: its counts, balance and effects as
display tables, and the sentences that say what they mean and what they cannot show.

The numbers are :func:`srb_eval.measures.comparison.matched_comparison`'s. For a
published audience every count goes through :func:`~srb_eval.report.suppression.suppress_counts`,
a share through :func:`~srb_eval.report.suppression.suppress_percentages`, and a group
of fewer than the policy's ``min_denominator`` learners gets no statistic (a mean, a
standardised difference, an effect or its interval) at all.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..measures import comparison as C
from ..stats.effects import MIN_CLUSTERS
from . import disclosure
from .audit import RECORD_FORMAT, Partition, check_record
from .disclosure import DEFAULT_THRESHOLDS, SUPPRESSED_TEXT, Thresholds
from .regression_wording import REGRESSION_HEADING
from .suppression import suppress_counts, suppress_percentages
from .table_records import combine_records, table_record

__all__ = ["BALANCE_NOTE", "LIMITS", "balance_record", "counts_record", "display_balance",
           "display_counts", "display_effects", "display_pairs", "effect_sentences",
           "methods_markdown", "missing_tables_note", "pairs_shown", "show_comparison",
           "table_name"]

#: Words for the methods of :func:`srb_eval.measures.comparison.effects_table`.
METHOD_WORDS = {
    "hedges_g": "Hedges' g: difference in outcome in standard deviations",
    "permutation": "Mean difference within matched pairs (score points), permutation test",
    "ancova": "ANCOVA: difference at the same baseline (score points)",
    "multilevel": "Multilevel ANCOVA, learners within SRBs and schools (score points)",
}
_BINARY = {"share female", "share eligible for free school meals"}

#: What a matched, non-randomised comparison can and cannot show.
LIMITS = (
    "**What this comparison can and cannot show.** It compares learners placed in a "
    "resource base with learners of the same need, phase and sex and a similar score at "
    "the start who were not placed. It can show whether the placed learners' results "
    "moved differently from those of similar learners; it cannot show that the resource "
    "base caused the difference, because learners were not placed at random. Learners "
    "are placed for reasons the data do not hold (how far behind they were judged to be, "
    "behaviour, parents' wishes, a place being free), and those reasons may also shape "
    "their later results. Matching on the baseline score does not remove regression to "
    "the mean: a placed learner and a comparison learner with the same low score are "
    "expected to regress towards the averages of different groups, so the comparison "
    "learner, from a group with higher scores, tends to rise more by chance alone "
    f"(the learner progress report's table \"{REGRESSION_HEADING}\" shows how "
    "much of a placed learner's change chance alone would give, and the change beyond "
    "regression to the mean). Pairs that could not "
    "be matched are left out, so the answer is about the matched learners only. With "
    "few pairs the interval is wide: an interval that includes 0 means the data cannot "
    "tell a difference from chance, not that there is none.")


#: What the balance table shows and how to read it.
BALANCE_NOTE = (
    "Before matching, placed learners started lower than the comparison group: learners "
    "are placed because their scores are lowest. A standardised difference below 0.1 in "
    "size is negligible; above 0.25 the groups still differ in a way the effect may carry.")


def missing_tables_note(missing: list[str]) -> str:
    """Why report 60 has nothing to compare: the tables it needs and lacks.

    Examples
    --------
    >>> missing_tables_note(["comparison_learners"])[:48]
    'This report needs the table comparison_learners,'
    """
    many = len(missing) > 1
    return (f"This report needs the table{'s' if many else ''} {', '.join(missing)}, "
            f"which {'are' if many else 'is'} not in this dataset. A comparison group is "
            "learners with additional learning needs who were not placed in a resource "
            "base, with results on the same tests (docs/data-dictionary.md: "
            "`comparison_learners` and `comparison_assessments`). Add "
            f"{'them' if many else 'it'} and render this report again.")


def display_counts(result: C.MatchedComparison, *, audience: str,
                   thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Learners with a baseline and an outcome, and learners matched, by group.

    Returns
    -------
    DataFrame
        ``group``, ``learners with a baseline and an outcome``, ``matched``, as text
        (published: small counts suppressed, with secondary suppression).
    """
    f = result.learners
    rows = []
    for placed, words in zip((1, 0), GROUP_WORDS, strict=True):
        g = f.loc[f["placed"] == placed]
        rows.append({"group": words, "learners with a baseline and an outcome": len(g),
                     "matched": int(g["pair"].notna().sum())})
    table = pd.DataFrame(rows)
    return suppress_counts(table, ["learners with a baseline and an outcome", "matched"],
                           audience=audience, thresholds=thresholds)


#: The two groups of a comparison, as :func:`display_counts` names them.
GROUP_WORDS = ("placed in an SRB", "comparison: not placed")


def counts_record(counts: pd.DataFrame, effects: pd.DataFrame, *, instrument: str,
                  area: str, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                  tables: tuple[str, str] = ("learners", "effects")) -> list[dict]:
    """The disclosure records of a published :func:`display_counts` table and of the
    learner counts of :func:`display_effects` (the same matched learners), for the audit.

    The population is the learners of each group with a baseline and an outcome on
    ``instrument`` and ``area``, split by whether they were matched; the effects table
    repeats the matched counts.

    Returns
    -------
    list of dict
        ``[record of the counts table, record of the effects table]``.
    """
    measure = (f"learners with a baseline and an outcome on {instrument}, {area} "
               "(matched comparison)")
    parts = [Partition(measure, "group", GROUP_WORDS),
             Partition(measure, "matched", ("yes", "no"))]
    common = {"report": "", "measure": measure, "partitions": parts,
              "thresholds": thresholds, "total_labels": ()}
    learners = table_record(counts, table=tables[0], row_dims={"group": "group"},
                            columns={"learners with a baseline and an outcome": {},
                                     "matched": {"matched": "yes"}}, **common)
    recs = [table_record(effects[[c]], table=tables[1], row_dims={},
                         columns={c: {"matched": "yes"}}, fixed={"group": g}, **common)
            for c, g in (("SRB learners", GROUP_WORDS[0]),
                         ("comparison learners", GROUP_WORDS[1]))]
    return [learners, combine_records(recs)]


def balance_record(balance: pd.DataFrame, shown: pd.DataFrame, *, instrument: str,
                   area: str, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                   table: str = "balance") -> dict:
    """The disclosure record of a published :func:`display_balance` table.

    Its means and standardised differences are not counts; its shares (female, free
    school meals) are counts of the learners of :func:`counts_record` (same measure):
    of each group, before matching (all of them) or after (``matched`` = "yes"), those
    with the covariate recorded (dim ``"<covariate> recorded"``: yes or no) and those of
    them for whom it holds (dim ``"<covariate>"`` = "yes"). A shown share is recorded as
    the ratio of the two; a hidden one ("[c]") as its hidden count, which the audit
    checks like any other.

    Parameters
    ----------
    balance : pandas.DataFrame
        :func:`srb_eval.measures.comparison.balance_table` (with the ``n_*`` columns).
    shown : pandas.DataFrame
        Its :func:`display_balance` copy.
    instrument, area : str
        As for :func:`counts_record`.
    thresholds : Thresholds
    table : str, default "balance"
        The table's recorded name (:func:`table_name`).

    Returns
    -------
    dict
        A record that :func:`srb_eval.report.audit.check_record` accepts.

    Examples
    --------
    >>> b = pd.DataFrame({"covariate": ["share female"], "srb_mean_before": [0.25],
    ...     "comparison_mean_before": [0.5], "smd_before": [-0.5], "srb_mean_after": [0.25],
    ...     "comparison_mean_after": [0.5], "smd_after": [-0.5], "n_srb_before": [40],
    ...     "n_comparison_before": [80], "n_srb_after": [8], "n_comparison_after": [8]})
    >>> shown = display_balance(b, audience="published")
    >>> r = balance_record(b, shown, instrument="SAT", area="literacy")
    >>> [q["text"] for q in r["ratios"]], [c["text"] for c in r["cells"]]
    (['25%', '50%'], ['[c]', '[c]'])
    """
    measure = (f"learners with a baseline and an outcome on {instrument}, {area} "
               "(matched comparison)")
    t = disclosure.check_thresholds(thresholds)
    cells, ratios, parts = [], [], [Partition(measure, "group", GROUP_WORDS),
                                    Partition(measure, "matched", ("yes", "no"))]
    for i, r in enumerate(balance.itertuples(index=False)):
        if r.covariate not in _BINARY:
            continue
        cov = str(r.covariate).removeprefix("share ")
        parts.append(Partition(measure, f"{cov} recorded", ("yes", "no")))
        for when in ("before", "after"):
            for col, group in (("SRB", GROUP_WORDS[0]), ("comparison", GROUP_WORDS[1])):
                base = {"group": group, **({"matched": "yes"} if when == "after" else {})}
                text = str(shown.iloc[i][f"{col}, {when} matching"])
                where = {"table": table, "row": i, "column": f"{col}, {when} matching"}
                num = {"measure": measure, "dims": {**base, cov: "yes"}}
                if text == SUPPRESSED_TEXT:
                    cells.append({**where, **num, "text": text})
                elif text.endswith("%"):
                    number = text.rstrip("%")
                    ratios.append({**where, "text": text, "numerator": num,
                                   "decimals": len(number.split(".", 1)[1])
                                   if "." in number else 0,
                                   "denominator": {"measure": measure, "dims": {
                                       **base, f"{cov} recorded": "yes"}}})
    return check_record({"format": RECORD_FORMAT, "report": "", "policy": {
        "min_count": t.min_count, "round_to": t.round_to,
        "small_count_text": t.small_count_text, "suppressed_text": SUPPRESSED_TEXT},
        "cells": cells, "partitions": parts, "ratios": ratios})


def _number(value: float, decimals: int) -> str:
    return disclosure.NO_DATA_TEXT if pd.isna(value) else f"{value:.{decimals}f}"


def display_balance(balance: pd.DataFrame, *, audience: str,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The balance table for readers: means and standardised differences, before and
    after matching.

    A published mean or standardised difference is shown only when both groups it
    compares have at least ``thresholds.min_denominator`` learners; a share (female,
    free school meals) only as a percentage that :func:`suppress_percentages` allows,
    and its standardised difference only when both shares are shown.

    Returns
    -------
    DataFrame
        ``covariate``, then for ``before`` and ``after`` matching: ``SRB``,
        ``comparison``, ``standardised difference``, as text.
    """
    published = disclosure.check_audience(audience) == "published"
    t = disclosure.check_thresholds(thresholds)
    out = pd.DataFrame({"covariate": balance["covariate"]})
    for when in ("before", "after"):
        n_t = balance[f"n_srb_{when}"].to_numpy()
        n_c = balance[f"n_comparison_{when}"].to_numpy()
        too_few = published & ((n_t < t.min_denominator) | (n_c < t.min_denominator))
        binary = balance["covariate"].isin(_BINARY).to_numpy()
        texts = {}
        for col, n in (("srb_mean", n_t), ("comparison_mean", n_c)):
            mean = balance[f"{col}_{when}"].to_numpy(dtype=float)
            plain = np.array([_number(v, 1) for v in mean], dtype=object)
            share = suppress_percentages(
                pd.Series(np.where(binary, np.rint(np.nan_to_num(mean) * n), 0)).astype(int),
                pd.Series(n).astype(int), audience=audience, thresholds=t).to_numpy()
            texts[col] = np.where(binary, share, np.where(too_few, SUPPRESSED_TEXT, plain))
        smd = np.array([_number(v, 2) for v in balance[f"smd_{when}"]], dtype=object)
        hidden = too_few | (binary & ((texts["srb_mean"] == SUPPRESSED_TEXT)
                                      | (texts["comparison_mean"] == SUPPRESSED_TEXT)))
        out[f"SRB, {when} matching"] = texts["srb_mean"]
        out[f"comparison, {when} matching"] = texts["comparison_mean"]
        out[f"standardised difference, {when}"] = np.where(hidden, SUPPRESSED_TEXT, smd)
    return out


def display_effects(effects: pd.DataFrame, *, audience: str,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The effects table for readers: one row per method, estimate, 95% interval, p.

    Published: no statistic when either matched group has fewer than
    ``thresholds.min_denominator`` learners; the counts suppressed as counts.

    Returns
    -------
    DataFrame
        ``method``, ``estimate``, ``95% interval from``, ``95% interval to``, ``p``,
        ``SRB learners``,
        ``comparison learners``, ``note``, as text.
    """
    published = disclosure.check_audience(audience) == "published"
    t = disclosure.check_thresholds(thresholds)
    too_few = published and int(min(effects["n_srb"].min(), effects["n_comparison"].min())
                                ) < t.min_denominator
    rows = []
    for r in effects.itertuples(index=False):
        decimals = 2 if r.method == "hedges_g" else 1
        low, high = _number(r.low, decimals), _number(r.high, decimals)
        note = r.note
        if too_few:
            est = low = high = p = SUPPRESSED_TEXT
            note = f"fewer than {t.min_denominator} learners in a matched group"
        else:
            est = _number(r.estimate, decimals)
            p = disclosure.NO_DATA_TEXT if pd.isna(r.p_value) else (
                "below 0.001" if r.p_value < 0.001 else f"{r.p_value:.3f}")
        rows.append({"method": METHOD_WORDS[r.method], "estimate": est,
                     "95% interval from": low, "95% interval to": high, "p": p, "SRB learners": r.n_srb,
                     "comparison learners": r.n_comparison, "note": note or ""})
    table = pd.DataFrame(rows)
    return suppress_counts(table, ["SRB learners", "comparison learners"],
                           audience=audience, thresholds=t)


def effect_sentences(result: C.MatchedComparison, *, audience: str,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """What the comparison found, in plain words (statistics withheld as the tables
    withhold them)."""
    published = disclosure.check_audience(audience) == "published"
    t = disclosure.check_thresholds(thresholds)
    e = result.effects.set_index("method")
    n = int(e.loc["hedges_g", "n_srb"])
    n_placed = int((result.learners["placed"] == 1).sum())
    exact = ", ".join(c.replace("primary_need", "need") for c in result.exact) or "nothing"
    out = []
    if published and n < t.min_denominator:
        out.append(f"Fewer than {t.min_denominator} placed learners could be matched, so "
                   "no effect is published: a statistic of so few learners could point at "
                   "single children.")
        return out
    if result.by == "propensity":
        what = "a propensity score (from baseline and year group)"
        caliper = ("" if np.isnan(result.caliper) else
                   f" within {result.caliper:.2f} on its logit")
    else:
        what = "a baseline score"
        caliper = ("" if np.isnan(result.caliper) else
                   f" within {result.caliper:.1f} points")
    if not published:
        out.append(f"{n} of the {n_placed} placed learners with a baseline and an outcome "
                   f"were matched to a comparison learner of the same {exact} and "
                   f"{what}{caliper}.")
    else:
        out.append(f"Placed learners were matched to comparison learners of the same "
                   f"{exact} and {what}{caliper}; the table above gives how many.")
    g = e.loc["hedges_g"]
    if np.isnan(g["estimate"]):
        out.append(f"Hedges' g cannot be computed: {g['note']}.")
    else:
        crosses = g["low"] < 0 < g["high"]
        size = f"{abs(g['estimate']):.2f}"
        how = ("the same as" if size == "0.00" else
               f"{size} standard deviations {'higher' if g['estimate'] > 0 else 'lower'} than")
        out.append(
            f"At the end, matched placed learners scored {how} their comparison learners "
            f"(Hedges' g {g['estimate']:.2f}, 95% interval {g['low']:.2f} to "
            f"{g['high']:.2f}). "
            + ("The interval includes 0, so the data cannot tell a difference from chance."
               if crosses else
               "The interval excludes 0, so chance alone is an unlikely explanation; "
               "the limits below still apply."))
    a = e.loc["ancova"]
    if not np.isnan(a["estimate"]):
        out.append(f"Adjusting for the baseline score (ANCOVA), the difference is "
                   f"{a['estimate']:.1f} points (95% interval {a['low']:.1f} to "
                   f"{a['high']:.1f}).")
    p = e.loc["permutation"]
    if not np.isnan(p["p_value"]):
        out.append(f"A permutation test of the matched pairs, which needs no assumption "
                   f"about the shape of the scores and suits small groups, gives p = "
                   f"{p['p_value']:.3f}.")
    m = e.loc["multilevel"]
    out.append(f"No multilevel model: it {m['note'].removeprefix('a multilevel model ')}."
               if m["note"] else
               f"Allowing for learners taught together (a multilevel model with "
               f"{int(m['n_clusters'])} SRBs and schools), the difference is "
               f"{m['estimate']:.1f} points (95% interval {m['low']:.1f} to "
               f"{m['high']:.1f}).")
    return out


def methods_markdown(result: C.MatchedComparison, *, instrument: str, area: str,
                     heading: str = "## How the comparison was made") -> str:
    """How the comparison was made, with every rule's number from the package, under
    ``heading``."""
    exact = ", ".join(c.replace("primary_need", "need") for c in result.exact) or "nothing"
    on = ("logit of a propensity score (a logistic regression of placement on the "
          "baseline and the year group at baseline)" if result.by == "propensity"
          else "baseline score")
    return (
        f"{heading}\n"
        f"- **Result compared:** {instrument}, {area}. The baseline is the flagged result, "
        "else the first; the outcome is the latest result. For a placed learner the "
        "results of a whole stay count (a move between SRBs is one stay), for a "
        "comparison learner all their results; only learners with at least "
        f"{C.MIN_YEARS:g} years between baseline and outcome.\n"
        f"- **Matching:** exactly on {exact} (phase from the year group at baseline), "
        f"then the nearest {on} within {C.CALIPER_SD:g} standard deviations of it "
        "(the caliper), one comparison learner per placed learner, each used "
        "once; within each group of equal characteristics the pairs are chosen to match "
        "as many learners as possible, then to make the baselines closest (optimal "
        "matching).\n"
        "- **Balance:** the standardised difference of each characteristic (difference "
        "of means over the pooled standard deviation); below 0.1 in size is negligible, "
        "above 0.25 a difference the effect may carry.\n"
        "- **Effect:** Hedges' g of the outcomes with its 95% interval; the ANCOVA "
        "(outcome on baseline and group, ordinary least squares); a permutation test of "
        "the paired differences (exact up to 13 pairs, else 9,999 random sign patterns, "
        "seeded); a multilevel ANCOVA with learners within SRBs and schools only with "
        f"learners from at least {MIN_CLUSTERS} SRBs, as fewer clusters give "
        "unreliable standard errors.")


def display_pairs(result: C.MatchedComparison, *, audience: str) -> pd.DataFrame:
    """Internal only: each matched pair's learners, baselines and outcomes.

    Raises
    ------
    srb_eval.errors.AudienceError
        For the published audience: learner rows are never published.
    """
    from ..errors import AudienceError

    if disclosure.check_audience(audience) == "published":
        raise AudienceError("audience: matched pairs list learners and are internal only")
    m = result.learners.loc[result.learners["pair"].notna()]
    t = m.loc[m["placed"] == 1].set_index("pair")
    c = m.loc[m["placed"] == 0].set_index("pair")
    return pd.DataFrame({
        "pair": t.index.astype("int64"),
        "placed learner": t["learner_id"].to_numpy(),
        "SRB": t["cluster"].to_numpy(),
        "comparison learner": c.loc[t.index, "learner_id"].to_numpy(),
        "need": t["primary_need"].to_numpy(), "phase": t["phase"].to_numpy(),
        "sex": t["sex"].to_numpy(),
        "baseline (placed)": t["baseline"].to_numpy(),
        "baseline (comparison)": c.loc[t.index, "baseline"].to_numpy(),
        "outcome (placed)": t["outcome"].to_numpy(),
        "outcome (comparison)": c.loc[t.index, "outcome"].to_numpy()})


def pairs_shown(placed: dict[tuple[str, str], int], *, audience: str,
                thresholds: Thresholds = DEFAULT_THRESHOLDS
                ) -> tuple[list[tuple[str, str]], str]:
    """The comparisons (instrument, area) a report shows, and a sentence naming those it
    leaves out.

    ``placed`` counts the placed learners with a baseline and an outcome of each
    comparison. Internal: every one with any such learner; published: those with enough
    to publish (:func:`srb_eval.report.disclosure.too_small_to_publish`).

    Examples
    --------
    >>> pairs_shown({("T", "lit"): 40, ("T", "num"): 3}, audience="published")
    ([('T', 'lit')], 'Too few placed learners to compare: T, num.')
    """
    audience = disclosure.check_audience(audience)
    shown = [p for p, n in placed.items() if n > 0 and not (
        audience == "published" and disclosure.too_small_to_publish(n, thresholds))]
    left = [f"{i}, {a}" for (i, a) in placed if (i, a) not in shown]
    return shown, ("Too few placed learners to compare: " + "; ".join(left) + "."
                   if left else "")


def table_name(name: str, instrument: str, area: str, *, several: bool) -> str:
    """The name under which a comparison's table is recorded: ``name`` for the only
    comparison of a render, else with the instrument and area appended, in letters,
    digits and ``_``.

    Examples
    --------
    >>> table_name("effects", "Standardised Attainment Test", "literacy", several=True)
    'effects__standardised_attainment_test__literacy'
    >>> table_name("effects", "SAT", "literacy", several=False)
    'effects'
    """
    if not several:
        return name
    slug = "__".join(re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")
                     for s in (instrument, area))
    return f"{name}__{slug}"


def show_comparison(result: C.MatchedComparison, *, instrument: str, area: str,
                    audience: str, several: bool = False) -> None:
    """Show one matched comparison in a notebook: who was compared, the balance, the
    effect with its interval (and, internal, the matched pairs), recording its tables.

    With ``several`` comparisons in one report, each is a section headed by its
    instrument and area, and its tables are recorded under :func:`table_name`; with one,
    the sections and table names are those of a single comparison.
    """
    from . import notebook as report

    audience = disclosure.check_audience(audience)
    level = "###" if several else "##"
    if several:
        report.say(f"## {instrument}, {area}")
    names = {n: table_name(n, instrument, area, several=several)
             for n in ("learners", "balance", "effects")}
    counts = display_counts(result, audience=audience)
    effects = display_effects(result.effects, audience=audience)
    records = (counts_record(counts, effects, instrument=instrument, area=area,
                             tables=(names["learners"], names["effects"]))
               if audience == "published" else [None, None])
    sentences = effect_sentences(result, audience=audience)
    report.say(f"{level} Who was compared")
    report.show(report.record(names["learners"], counts, disclosure=records[0]),
                caption="Learners with a baseline and an outcome, and learners matched")
    report.say("\n".join("- " + s for s in sentences[:1]))
    report.say(f"{level} Balance: were the matched groups alike at the start?")
    report.say(BALANCE_NOTE)
    balance = display_balance(result.balance, audience=audience)
    report.show(report.record(names["balance"], balance, disclosure=balance_record(
                    result.balance, balance, instrument=instrument, area=area,
                    table=names["balance"]) if audience == "published" else None),
                caption="Means and standardised differences before and after matching")
    report.say(f"{level} The effect and its interval")
    report.show(report.record(names["effects"], effects, disclosure=records[1]),
                caption="Difference in outcome, placed minus comparison, by method")
    report.say("\n".join("- " + s for s in sentences[1:]))
    if audience == "internal":
        report.say(f"{level} Matched pairs (internal only)")
        report.show(display_pairs(result, audience=audience),
                    caption="Each placed learner and the comparison learner matched to them")
