"""Display tables of the learner progress report: the measures' tables as a reader sees
them (plain headers, numbers as text, no NaN), with counts and statistics of small
groups hidden for a published audience under the disclosure policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..measures.benchmarks import brooks_bands
from ..measures.columns import need_columns
from ..measures.progress import BANDS
from ..measures.progress_groups import COMPARE_MIN_N, band_count_column
from . import disclosure, joint_protection, suppression
from .disclosure import DEFAULT_THRESHOLDS, Thresholds
from .progress import GROUP_TITLES, MIN_N_INTERVAL, MIN_N_MONTHS
from .progress_wording import (
    few_learners,
    hidden_learner_counts,
    hidden_statuses,
    hide_small,
    line_counts,
    number_text,
    percent_text,
)

__all__ = ["BAND_COUNT_NAMES", "BAND_RESULT_NAMES", "RCI_BAND_NAMES", "comparison_min_n", "display_bands", "display_comparisons", "display_coverage", "display_gains", "hidden_groups",
           "display_ratio_gain", "display_rci", "shown_bands", "shown_rci", "with_total"]

#: Count columns of a band table and their names in :func:`display_bands`.
BAND_COUNT_NAMES = _BAND_NAMES = {"n_learners": "learners", "n_banded": "results judged",
               "n_below": "below expected", "n_expected": "expected",
               "n_above": "above expected"}
#: The counts of results among them, which add up across resource bases, for
#: :func:`srb_eval.report.progress_linked.hidden_parts` (learners add up too, each in the
#: SRB of their latest placement with a result; they are protected across the per-SRB
#: reports by :func:`srb_eval.report.progress_linked.learners_by_need_together`).
BAND_RESULT_NAMES = {k: v for k, v in BAND_COUNT_NAMES.items() if k != "n_learners"}

#: Count columns of an RCI table and the columns of :func:`display_bands` that state the
#: same counts for a standard score judged by reliable change (deterioration = below,
#: no reliable change = expected, improvement = above).
RCI_BAND_NAMES = {"n": "results judged", "n_improved": "above expected",
                  "n_no_change": "expected", "n_deteriorated": "below expected"}

#: Count columns of an RCI table and their names in :func:`display_rci`.
_RCI_NAMES = {"n_learners": "learners", "n": "results measured",
              "n_improved": "reliable improvement", "n_no_change": "no reliable change",
              "n_deteriorated": "reliable deterioration"}


def hidden_groups(table: pd.DataFrame, shown: pd.DataFrame, *, by: str,
                  columns: Sequence[str] = ("learners", "results judged")) -> list[str]:
    """The groups (values of ``by`` in ``table``) any of whose ``columns`` the shown copy
    of a table hides ("<5" or "[c]"), for a figure of the same groups to leave out
    (:func:`srb_eval.report.plots.progress.rate_distribution`, ``hidden``): its labels
    give each group's learners and results.

    >>> t = pd.DataFrame({"primary_need": ["ASD", "SLCN", "SLD", "all"]})
    >>> s = pd.DataFrame({"learners": ["37", "[c]", "12", "63"],
    ...                   "results judged": ["[c]", "[c]", "40", "284"]})
    >>> hidden_groups(t, s, by="primary_need")
    ['ASD', 'SLCN']
    """
    marks = [DEFAULT_THRESHOLDS.small_count_text, disclosure.SUPPRESSED_TEXT]
    gone = np.logical_or.reduce([shown[c].isin(marks).to_numpy() for c in columns])
    return table[by].astype("str").to_numpy()[gone].tolist()


def display_coverage(cov: pd.DataFrame, *, audience: str,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS,
                     part_of_all: bool = False) -> pd.DataFrame:
    """A :func:`~srb_eval.measures.progress_groups.coverage` row as an ``item`` / ``value``
    table for the audience.

    Learner counts are out of the learners placed and result counts out of all results,
    each worded by :func:`srb_eval.report.suppression.count_with_share` ("27 of 29 (93%)";
    published: "<5 of 29", "more than 24 of 29" or "fewer than 10 learners"); the three
    result statuses add up to the results, so they are protected as one line
    (:func:`~srb_eval.report.progress_wording.hidden_statuses`: "[c] of 328"), so that no
    count can be recovered from the others.

    Examples
    --------
    >>> cov = pd.DataFrame({"learners_placed": [20], "learners_assessed": [18],
    ...     "learners_with_follow_up": [16], "learners_measured": [14], "results": [100],
    ...     "results_measured": [80], "results_too_soon": [5], "results_no_follow_up": [15]})
    >>> display_coverage(cov, audience="published")["value"].tolist()  # 18 of 20: 2 hidden
    ... # doctest: +NORMALIZE_WHITESPACE
    ['20', 'more than 15 of 20', 'more than 15 of 20', '14 of 20 (70%)', '100',
     '80 of 100 (80%)', '5 of 100 (5%)', '15 of 100 (15%)']

    ``part_of_all``: the table of a per-SRB report, whose learners are a part of the
    all-SRB report's (each learner counts in one resource base). The learners without
    an assessment, a follow-up or progress measured add up across the per-SRB reports
    to the all-SRB report's, so one small complement ("more than 58 of 63") beside the
    others' exact counts was narrowed by the audit (SRB05's learners without a
    follow-up to 2 to 4, from the all-SRB "144 of 150" and "141 of 150"): where any of
    the three complements is from 1 to ``min_count - 1``, all three learner counts
    show "[c]".

    >>> display_coverage(cov, audience="published", part_of_all=True)["value"].tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    ['20', '[c] of 20', '[c] of 20', '[c] of 20', '100', '80 of 100 (80%)',
     '5 of 100 (5%)', '15 of 100 (15%)']
    """
    audience = disclosure.check_audience(audience)
    row = cov.iloc[0]
    placed, results = int(row["learners_placed"]), int(row["results"])
    items = [("learners placed", suppression.suppress_counts(
        pd.DataFrame({"n": [placed]}), ["n"], audience=audience,
        thresholds=thresholds)["n"].iloc[0])]
    learner_counts = (("learners_assessed", "learners with an assessment"),
                      ("learners_with_follow_up", "learners with a follow-up"),
                      ("learners_measured", "learners with progress measured"))
    hide_all = hidden_learner_counts(row, audience, part_of_all=part_of_all,
                                     thresholds=thresholds)
    for k, name in learner_counts:
        items.append((name, f"{disclosure.SUPPRESSED_TEXT} of {placed:,}" if hide_all
                      else str(suppression.count_with_share(
                          int(row[k]), placed, audience=audience, thresholds=thresholds))))
    small = audience == "published" and placed < thresholds.min_denominator
    items.append(("results", disclosure.SUPPRESSED_TEXT if small else f"{results:,}"))
    hidden = hidden_statuses(row, audience, thresholds)
    for k, name in (("results_measured", "results measured over at least a term"),
                    ("results_too_soon", "results too soon to judge"),
                    ("results_no_follow_up", "results with no follow-up yet")):
        text = (f"{disclosure.SUPPRESSED_TEXT} of {results:,}" if k in hidden else str(
            suppression.count_with_share(int(row[k]), results, audience=audience,
                                         thresholds=thresholds, noun="results")))
        items.append((name, disclosure.SUPPRESSED_TEXT if small else text))
    return pd.DataFrame(items, columns=["item", "value"])


def display_gains(summary: pd.DataFrame, *, audience: str,
                  thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A :func:`group_summary` table of gains as a reader sees it.

    Returns
    -------
    DataFrame
        Group columns (renamed for readers), ``learners``, ``results measured``,
        ``median gain``, ``middle half of gains`` ("q1 to q3"), ``median gain a year``,
        ``mean gain (95% CI)``, ``effect size (g_av)``, ``EEF months (indicative)`` and
        ``note``: text, no NaN. Published: counts under ``thresholds.min_count``
        (5) as "<5", statistics of fewer than ``thresholds.min_denominator`` (10) learners
        or measured results as "[c]".

    Notes
    -----
    Small samples, for every audience: the mean's interval is shown from
    :data:`srb_eval.report.progress.MIN_N_INTERVAL` measured results (below, the mean
    alone, and the note says "no interval under 5 results"); the EEF months from
    :data:`srb_eval.report.progress.MIN_N_MONTHS` ("too few (under 10)" below).
    """
    audience = disclosure.check_audience(audience)
    need_columns(summary, ["instrument", "area", "n_learners", "n_measured", "median_gain",
                            "q1_gain", "q3_gain", "median_rate", "mean_gain", "ci_low",
                            "ci_high", "effect_size", "months_progress", "note"], "summary")
    groups = [c for c in summary.columns if c in GROUP_TITLES]
    s = summary.reset_index(drop=True)
    counts = suppression.safe_table(s[["n_learners", "n_measured"]], audience=audience,
                                    count_columns=["n_learners", "n_measured"], id_columns=(),
                                    thresholds=thresholds)
    out = s[groups].astype(object).copy()
    for g in groups:
        out[g] = out[g].astype("str").str.replace("_", " ")
    out["learners"] = counts["n_learners"].to_numpy()
    out["results measured"] = counts["n_measured"].to_numpy()
    n = np.minimum(s["n_measured"].to_numpy(), s["n_learners"].to_numpy())
    none = s["n_measured"] == 0
    text = {
        "median gain": s["median_gain"].map(number_text),
        "middle half of gains": [f"{number_text(a)} to {number_text(b)}" for a, b in
                                 zip(s["q1_gain"], s["q3_gain"], strict=True)],
        "median gain a year": s["median_rate"].map(number_text),
        "mean gain (95% CI)": [
            number_text(m) + ("" if pd.isna(lo) or k < MIN_N_INTERVAL
                              else f" ({number_text(lo)} to {number_text(hi)})")
            for m, lo, hi, k in zip(s["mean_gain"], s["ci_low"], s["ci_high"],
                                    s["n_measured"], strict=True)],
        "effect size (g_av)": s["effect_size"].map(lambda v: number_text(v, 2)),
        "EEF months (indicative)": [
            "not applicable" if pd.isna(m) and not pd.isna(e) else
            f"too few (under {MIN_N_MONTHS})" if k < MIN_N_MONTHS else
            ("no data" if pd.isna(m) else f"{m:+.0f}")
            for m, e, k in zip(s["months_progress"], s["effect_size"], s["n_measured"],
                               strict=True)],
    }
    for k, v in text.items():
        col = pd.Series(v, index=s.index, dtype=object).where(~none, "no data")
        out[k] = hide_small(col, n, audience, thresholds).to_numpy()
    no_interval = (s["n_measured"] > 0) & (s["n_measured"] < MIN_N_INTERVAL) & s[
        "ci_low"].notna()
    note = s["note"].where(~no_interval, [
        "; ".join(w for w in (f"no interval under {MIN_N_INTERVAL} results", t) if w)
        for t in s["note"]])
    out["note"] = note.replace("", "-").to_numpy()
    return out.rename(columns={g: GROUP_TITLES[g] for g in groups})


def display_bands(table: pd.DataFrame, *, audience: str,
                  labels: dict[str, str] | None = None,
                  thresholds: Thresholds = DEFAULT_THRESHOLDS,
                  hidden: Mapping[str, Any] | None = None,
                  as_c: Mapping[str, Any] | None = None,
                  total: pd.DataFrame | None = None,
                  at_most: Mapping[str, Any] | None = None,
                  known: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A :func:`band_summary` (or :func:`group_summary`) table of bands for readers.

    Returns
    -------
    DataFrame
        Group columns, ``learners``, ``results judged``, counts and percentages below,
        at and above expected progress (percentages of results judged). Published: the
        three band counts and their total are one line of
        :func:`srb_eval.report.suppression.suppress_counts` (with the "all" row, if any, as the
        column total), so a hidden count cannot be recovered by subtraction;
        percentages of groups of fewer than ``thresholds.min_denominator`` (10)
        learners are hidden too. ``hidden``: ``{count column of table: rows}`` hidden
        whatever their size (the counts another published report hides,
        :func:`srb_eval.report.progress_linked.hidden_in_all`); ``as_c``:
        ``{count column: rows}`` whose small counts show as "[c]"
        (:func:`srb_eval.report.progress_linked.hidden_parts`); ``total``: a one-row
        :func:`band_summary` whose results are the sum of the rows (the report's total,
        shown in its tables by SRB and need), the margin the table is protected with;
        ``at_most``: ``{count column: bound of each row}`` readers know from another
        report (:func:`srb_eval.report.progress_linked.part_bounds`);
        ``known``: ``{count column: rows}`` readers know exactly from another table.
    """
    audience = disclosure.check_audience(audience)
    need_columns(table, ["n_learners", "n_banded", "n_below", "n_expected", "n_above"],
                 "table")
    groups = [c for c in table.columns if c in GROUP_TITLES]
    t = table[[*groups, "n_learners", "n_banded", "n_below", "n_expected", "n_above"]
              ].reset_index(drop=True).copy()
    lab = labels or {}
    for g in groups:
        t[g] = t[g].astype("str").map(lambda v: lab.get(v, v.replace("_", " ")))
    small = few_learners(t, audience, thresholds)
    shown = line_counts(t, [(["n_below", "n_expected", "n_above"], "n_banded"),
                            (["n_learners"], None)], audience=audience,
                        group=groups[0] if groups else None, thresholds=thresholds,
                        hide_rows=small, hidden=hidden, as_c=as_c,
                        at_most=at_most, known=known,
                        known_totals=None if total is None else {
                            c: int(total[c].iloc[0]) for c in BAND_RESULT_NAMES})
    out = t[groups].copy()
    for c in ("n_learners", "n_banded"):
        out[c] = shown[c].to_numpy()
    for b in BANDS:
        out[f"n_{b}"] = shown[f"n_{b}"].to_numpy()
        out[f"% {b}"] = percent_text(t, shown, f"n_{b}", "n_banded", audience=audience,
                                     small=small, thresholds=thresholds)
    return out.rename(columns={**_BAND_NAMES, **{g: GROUP_TITLES[g] for g in groups}})


def shown_bands(table: pd.DataFrame, shown: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """The band counts that :func:`display_bands` shows, for the figure drawn beside it.

    ``table`` is the band table and ``shown`` its :func:`display_bands` copy. Published:
    each count is the one the table shows, NaN where it hides it, so that a bar's shares
    (or a sentence's, :func:`srb_eval.report.progress.describe_band_range`) state nothing
    the table hides (:func:`srb_eval.report.joint_protection.shown_counts`);
    ``n_expected_or_above``, if present, is the sum of the shown ``n_expected`` and
    ``n_above``. Internal: ``table`` unchanged.
    """
    out = joint_protection.shown_counts(table.reset_index(drop=True), shown, _BAND_NAMES,
                                   audience=audience)
    if audience == "published" and "n_expected_or_above" in out.columns:
        out["n_expected_or_above"] = out["n_expected"] + out["n_above"]
    return out


def with_total(table: pd.DataFrame, total: pd.DataFrame, by: str) -> pd.DataFrame:
    """``table`` (grouped by ``by``) with the one-row ``total`` appended as ``"all"``."""
    t = total.copy()
    t.insert(0, by, "all")
    out = table.copy()
    out[by] = out[by].astype("str")
    return pd.concat([out, t], ignore_index=True)


def display_rci(summary: pd.DataFrame, *, audience: str,
                thresholds: Thresholds = DEFAULT_THRESHOLDS,
                known: Mapping[str, Any] | None = None,
                as_c: Mapping[str, Any] | None = None,
                hidden: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """An :func:`rci_summary` table for readers (counts and % of results measured;
    the three classes and their total suppressed as one line).

    ``known``: ``{count column: rows}`` readers know from another table (the results
    measured of the table of gains,
    :func:`srb_eval.report.progress_linked.known_from`); ``as_c``: small counts shown
    as "[c]" (:func:`srb_eval.report.progress_linked.hidden_parts`); ``hidden``:
    ``{count column: rows}`` hidden whatever
    their size (the counts the table of bands by instrument and area hides: a standard
    score's band is its reliable change class, :data:`RCI_BAND_NAMES`)."""
    audience = disclosure.check_audience(audience)
    t = summary.reset_index(drop=True).copy()
    groups = [c for c in t.columns if c in GROUP_TITLES]
    cells = ["n_improved", "n_no_change", "n_deteriorated"]
    small = few_learners(t, audience, thresholds)
    shown = line_counts(t, [(cells, "n"), (["n_learners"], None)], audience=audience,
                        thresholds=thresholds, hide_rows=small, known=known, as_c=as_c,
                        hidden=hidden)
    out = t[groups].astype(object).copy()
    for g in groups:
        out[g] = out[g].astype("str").str.replace("_", " ")
    out["reliable change needs"] = t["change_needed"].map(
        lambda v: f"more than {number_text(v)} points").to_numpy()
    out["learners"] = shown["n_learners"].to_numpy()
    out["results measured"] = shown["n"].to_numpy()
    for c, pct in (("n_improved", "% improved"), ("n_no_change", "% no change"),
                   ("n_deteriorated", "% deteriorated")):
        out[_RCI_NAMES[c]] = shown[c].to_numpy()
        out[pct] = percent_text(t, shown, c, "n", audience=audience, small=small,
                                thresholds=thresholds)
    return out.rename(columns={g: GROUP_TITLES[g] for g in groups})


def shown_rci(summary: pd.DataFrame, shown: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """The RCI counts that :func:`display_rci` shows, for the sentence beside it.

    Published: each count as the table shows it, NaN where it hides it
    (:func:`srb_eval.report.joint_protection.shown_counts`), so that a sentence summing the
    rows states no total that would give back a hidden row. Internal: ``summary``.
    """
    return joint_protection.shown_counts(summary.reset_index(drop=True), shown, _RCI_NAMES,
                                    audience=audience)


def display_ratio_gain(summary: pd.DataFrame, *, audience: str,
                       bands: pd.DataFrame | None = None,
                       thresholds: Thresholds = DEFAULT_THRESHOLDS,
                       as_c: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A :func:`ratio_gain_summary` table for readers (band counts and their total
    suppressed as one line, guidance met and not met as another; ``as_c``: small counts
    shown as "[c]", :func:`srb_eval.report.progress_linked.hidden_parts`)."""
    audience = disclosure.check_audience(audience)
    b = brooks_bands() if bands is None else bands
    labels = list(dict.fromkeys(b["label"].astype("str")))
    t = summary.reset_index(drop=True).copy()
    groups = [c for c in t.columns if c in GROUP_TITLES]
    t["_not_meets"] = t["n_gap_known"] - t["n_meets_guidance"]
    shown = line_counts(t, [(list(map(band_count_column, labels)), "n_measured"),
                            (["n_meets_guidance", "_not_meets"], "n_gap_known"),
                            (["n_learners"], None)], audience=audience, thresholds=thresholds,
                        as_c=as_c)
    n = np.minimum(t["n_learners"].to_numpy(), t["n_measured"].to_numpy())
    out = t[groups].astype(object).copy()
    for g in groups:
        out[g] = out[g].astype("str").str.replace("_", " ")
    out["learners"] = shown["n_learners"].to_numpy()
    out["ratio gains measured"] = shown["n_measured"].to_numpy()
    out["median ratio gain (middle half)"] = hide_small(pd.Series([
        "no data" if pd.isna(m) else
        f"{number_text(m, 2)} ({number_text(a, 2)} to {number_text(b_, 2)})"
        for m, a, b_ in zip(t["median_ratio_gain"], t["q1_ratio_gain"], t["q3_ratio_gain"],
                            strict=True)], dtype=object), n, audience, thresholds).to_numpy()
    for lab in labels:
        out[lab] = shown[band_count_column(lab)].to_numpy()
    out["gaps known"] = shown["n_gap_known"].to_numpy()
    out["baseline gap meets placement guidance"] = shown["n_meets_guidance"].to_numpy()
    n_gap = np.minimum(t["n_learners"].to_numpy(), t["n_gap_known"].to_numpy())
    for c, name in (("median_gap_at_baseline_months", "median gap at baseline (months)"),
                    ("median_gap_at_outcome_months", "median gap at latest (months)")):
        out[name] = hide_small(t[c].map(lambda v: number_text(v, 0)).astype(object), n_gap,
                               audience, thresholds).to_numpy()
    return out.rename(columns={g: GROUP_TITLES[g] for g in groups})


def comparison_min_n(audience: str, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    """The least number of learners of a group that a report's comparisons test
    (``min_n`` of :func:`~srb_eval.measures.progress_groups.compare_groups`).

    Internal: :data:`~srb_eval.measures.progress_groups.COMPARE_MIN_N`. Published: at
    least ``thresholds.min_denominator`` too, since a test statistic, a p value and a
    rank-biserial r are statistics of each group compared (r = 1 - 2U/(n1 n2) says how
    often one group's learners out-progress the other's): none is published of a group
    smaller than that.

    Examples
    --------
    >>> comparison_min_n("internal"), comparison_min_n("published")
    (5, 10)
    """
    return disclosure.statistic_min_n(audience, COMPARE_MIN_N, thresholds)



def display_comparisons(comparisons: pd.DataFrame, *, audience: str,
                        thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A :func:`compare_groups` table for readers: p to 3 decimals, effect to 2.

    Published: where small groups were left out of a comparison, its number of learners
    compared is hidden ("[c]"): the same learners compared by another factor with
    nothing left out (free school meals, 128) less this number (sex, 127) is the size of
    the group left out (one learner of unknown sex). Nor does the note name the groups
    left out ("smaller groups left out (fewer than 10)"): a group named as left out of one
    area's comparison but not of another's has no result in the other, a zero of a small
    group.
    """
    audience = disclosure.check_audience(audience)
    c = comparisons.reset_index(drop=True)
    note = c["note"].astype("str")
    if audience == "published":
        # (made anew, not edited: a group's name may hold anything, "; " included; the
        # note of compare_groups is "left out (fewer than n): groups[; no variation]")
        left = note.str.startswith("left out (fewer than ")
        n = note.str.extract(r"^left out \(fewer than ([\d,]+)\)", expand=False)
        flat = note.str.endswith("; no variation")
        note = note.where(~left, "smaller groups left out (fewer than " + n + ")"
                          + flat.map({True: "; no variation", False: ""}))
    counts = suppression.safe_table(c[["n", "min_group_n"]], audience=audience,
                                    count_columns=["n", "min_group_n"], id_columns=(),
                                    thresholds=thresholds)
    if audience == "published":
        left_out = c["note"].astype("str").str.startswith("left out").to_numpy()
        counts["n"] = counts["n"].where(~left_out, disclosure.SUPPRESSED_TEXT)
    tested = c["test"] != ""
    p = c["p_val"].map(lambda v: "no data" if pd.isna(v) else
                       ("below 0.001" if v < 0.001 else f"{v:.3f}"))
    eff = [f"{e:.2f} ({t})" if not pd.isna(e) else "no data"
           for e, t in zip(c["effect"], c["effect_type"], strict=True)]
    return pd.DataFrame({
        "instrument": c["instrument"].astype("str"),
        "area": c["area"].astype("str").str.replace("_", " "),
        "compared by": c["factor"].map(lambda f: GROUP_TITLES.get(f, f)),
        "groups compared": c["groups"].where(tested, "-"),
        "learners": counts["n"].where(tested, "-"),
        "smallest group": counts["min_group_n"],
        "test": c["test"].where(tested, "none"),
        "p value": p.where(tested, "-"),
        "effect size": pd.Series(eff, dtype=object).where(tested, "-"),
        "note": note.replace("", "-"),
    })


