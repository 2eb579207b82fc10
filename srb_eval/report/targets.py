"""Wording and display tables of target attainment (Goal Attainment Scaling) in the
progress report, for each audience under the disclosure policy. The numbers come from
:mod:`srb_eval.measures.targets`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .disclosure import DEFAULT_THRESHOLDS, Thresholds, check_audience
from .i18n import format_number
from .i18n import gettext as _
from .progress_wording import (
    few_learners,
    hide_small,
    line_counts,
    number_text,
    percent_text,
    too_few,
)
from .progress_words import count_words, of_words

__all__ = ["GAS_COUNT_NAMES", "describe_gas", "display_gas", "gas_heading"]

#: Count columns of a GAS summary and their names in :func:`display_gas`.
GAS_COUNT_NAMES = {"n_learners": "learners", "n_reviews": "reviews",
                   "n_targets": "targets reviewed", "n_met": "met or exceeded",
                   "n_t_50_or_more": "reviews with T of 50 or more"}

_GROUP_TITLES = {"srb_id": "SRB", "area": "area", "primary_need": "primary need",
                 "phase": "phase"}


def gas_heading(row: Any, *, audience: str,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """Heading from a one-row :func:`~srb_eval.measures.targets.gas_summary`: targets met
    and the median T-score.

    Examples
    --------
    >>> gas_heading({"n_targets": 40, "n_met": 30, "n_reviews": 12, "median_t": 53.2},
    ...             audience="internal")
    'Targets: 30 of 40 targets (75%) met or exceeded at review; median GAS T-score 53'
    """
    audience = check_audience(audience)
    if int(row["n_targets"]) == 0:
        return _("Targets: none reviewed yet")
    if "n_learners" in row and too_few(row["n_learners"], audience, thresholds):
        return _("Targets: too few learners to report (fewer than {n})").format(
            n=thresholds.min_denominator)
    met = of_words(row["n_met"], row["n_targets"], audience, "targets", thresholds)
    if too_few(row["n_reviews"], audience, thresholds):
        return _("Targets: {met} met or exceeded at review").format(met=met)
    return _("Targets: {met} met or exceeded at review; median GAS T-score {median}").format(
        met=met, median=format_number(float(row["median_t"]), 0))


def describe_gas(row: Any, *, audience: str,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """A sentence from a one-row :func:`~srb_eval.measures.targets.gas_summary`.

    Examples
    --------
    >>> describe_gas({"n_learners": 10, "n_reviews": 12, "n_t_50_or_more": 9,
    ...               "n_targets": 40}, audience="internal")
    ... # doctest: +NORMALIZE_WHITESPACE
    'In 9 of 12 reviews (75%), the goals set were met as expected or better overall (a
    GAS T-score of 50 or more), across 10 learners.'
    """
    audience = check_audience(audience)
    n = int(row["n_reviews"])
    if n == 0:
        return _("No targets have been reviewed yet.")
    if too_few(row["n_learners"], audience, thresholds):
        return _("Fewer than {n} learners had targets reviewed: too few to describe in a "
                 "published report.").format(n=thresholds.min_denominator)
    return _("In {reviews}, the goals set were met as expected or better overall (a GAS "
             "T-score of 50 or more), across {learners}.").format(
        reviews=of_words(row["n_t_50_or_more"], n, audience, "reviews", thresholds),
        learners=count_words(row["n_learners"], audience, "learners", thresholds))


def display_gas(summary: pd.DataFrame, *, audience: str,
                labels: dict[str, str] | None = None,
                thresholds: Thresholds = DEFAULT_THRESHOLDS,
                total: pd.DataFrame | None = None,
                hidden: Mapping[str, Any] | None = None,
                as_c: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A :func:`~srb_eval.measures.targets.gas_summary` table for readers, disclosure-controlled.

    ``total`` (published): a one-row ``gas_summary`` whose targets are the sum of this
    table's rows and which readers know from another table of the report (the table by
    area adds up to the report's total of targets, shown by SRB): its targets, met and
    not met are the margin the table is protected with
    (:func:`~srb_eval.report.progress_wording.line_counts`). ``hidden``: ``{count column
    of summary: rows}`` hidden whatever their size (the counts another published report
    hides, :func:`~srb_eval.report.progress_linked.hidden_in_all`); ``as_c``: small
    counts shown as "[c]" (:func:`~srb_eval.report.progress_linked.hidden_parts`).

    Returns
    -------
    DataFrame
        Group columns, ``learners``, ``reviews``, ``targets reviewed``, ``met or
        exceeded`` and its ``%``, ``median T (middle half)``, ``reviews with T >= 50`` and
        its ``%``. Published: counts under ``thresholds.min_count`` as "<5", with met /
        not met and T >= 50 / below 50 each suppressed as a line with its total (so a
        hidden count cannot be recovered by subtraction); T-scores and percentages of
        fewer than ``thresholds.min_denominator`` learners as "[c]", and with them the
        counts they are shares of (a percentage is hidden if and only if its numerator
        is).
    """
    audience = check_audience(audience)
    groups = [c for c in summary.columns if c in _GROUP_TITLES]
    t = summary.reset_index(drop=True).copy()
    lab = labels or {}
    for g in groups:
        t[g] = t[g].astype("str").map(lambda v: lab.get(v, v.replace("_", " ")))
    t["_not_met"] = t["n_targets"] - t["n_met"]
    t["_below_50"] = t["n_reviews"] - t["n_t_50_or_more"]
    small = few_learners(t, audience, thresholds)
    known = None
    if total is not None:
        row = total.iloc[0]
        known = {"n_targets": int(row["n_targets"]), "n_met": int(row["n_met"]),
                 "_not_met": int(row["n_targets"]) - int(row["n_met"])}
    shown = line_counts(t, [(["n_met", "_not_met"], "n_targets"),
                            (["n_t_50_or_more", "_below_50"], "n_reviews"),
                            (["n_learners"], None)], audience=audience,
                        group=groups[0] if groups else None, thresholds=thresholds,
                        hide_rows=small, hidden=hidden, known_totals=known, as_c=as_c)
    out = t[groups].copy()
    for c in ("n_learners", "n_reviews", "n_targets", "n_met"):
        out[c] = shown[c].to_numpy()
    out["% met"] = percent_text(t, shown, "n_met", "n_targets", audience=audience,
                                small=small, thresholds=thresholds)
    med = pd.Series([
        "no data" if pd.isna(m) else
        f"{number_text(m, 0)} ({number_text(a, 0)} to {number_text(b, 0)})"
        for m, a, b in zip(t["median_t"], t["q1_t"], t["q3_t"], strict=True)], dtype=object)
    out["median T (middle half)"] = hide_small(med, t["n_learners"], audience,
                                               thresholds).to_numpy()
    out["n_t_50_or_more"] = shown["n_t_50_or_more"].to_numpy()
    out["% T >= 50"] = percent_text(t, shown, "n_t_50_or_more", "n_reviews",
                                    audience=audience, small=small, thresholds=thresholds)
    return out.rename(columns={**GAS_COUNT_NAMES, **{g: _GROUP_TITLES[g] for g in groups}})


