"""Regression to the mean in the progress report: its table and the sentences that say
what it means, for either audience.

The numbers are :func:`srb_eval.measures.regression_to_mean.regression_summary`'s. A
published table shows the authority's rows only (one per instrument and area), with the
counts exactly as the Reliable Change table beside it shows them (the same results:
standard scores measured over at least a term), so it states no count that table does
not; a mean is shown only for at least the policy's minimum results and an interval only
from :data:`srb_eval.report.progress.MIN_N_INTERVAL`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..measures.columns import need_columns
from . import disclosure
from .disclosure import DEFAULT_THRESHOLDS, Thresholds
from .i18n import N_, area_word
from .i18n import gettext as _
from .progress import MIN_N_INTERVAL
from .progress_records import pair_label
from .progress_wording import hide_small, number_text
from .table_records import table_record

__all__ = ["CAVEAT_LEAD", "REGRESSION_EXPLAINED", "REGRESSION_HEADING", "display_regression",
           "regression_caveat", "regression_estimable", "regression_record",
           "regression_sentences"]

#: The heading of the progress report's regression-to-the-mean table; every caveat names
#: it, so a reader can find the table from any report.
REGRESSION_HEADING = N_("How much of the change is regression to the mean?")

#: How every regression-to-the-mean caveat begins (a reader, and a test, can find it).
CAVEAT_LEAD = N_("Regression to the mean.")

#: What regression to the mean is, in plain words, for every audience.
REGRESSION_EXPLAINED = N_(
    "Learners are placed in a resource base because their scores are low. A low score is "
    "partly bad luck on the day, so a second test tends to come out nearer the average "
    "even when nothing has changed: this is called regression to the mean. How much "
    "depends on how far below the average a learner started and on how reliable the test "
    "is. The table takes it away from each learner's change, so what is left is the "
    "change that chance alone does not explain. It is not a comparison with similar "
    "learners who were not placed.")


def regression_estimable(instruments: pd.DataFrame | None) -> bool:
    """Whether the progress report can show its regression-to-the-mean table on data with
    these instruments: at least one on the standard-score scale with a population mean
    and a reliability (what :func:`~srb_eval.measures.regression_to_mean.change_beyond_regression`
    needs).

    Examples
    --------
    >>> regression_estimable(pd.DataFrame({"scale": ["steps", "standard_score"],
    ...     "mean": [None, 100.0], "reliability": [None, 0.9]}))
    True
    >>> regression_estimable(None)
    False
    """
    if instruments is None or not {"scale", "mean", "reliability"} <= set(instruments.columns):
        return False
    return bool(((instruments["scale"] == "standard_score") & instruments["mean"].notna()
                 & instruments["reliability"].notna()).any())


def regression_caveat(table_shown: bool, *,
                      where: str = "in the learner progress report") -> str:
    """The caveat shown beside every published figure, table and sentence that counts
    improvements (learners who improved, made expected progress or a reliable
    improvement), in every report: Markdown, beginning with :data:`CAVEAT_LEAD`.

    Parameters
    ----------
    table_shown : bool
        Whether the reader has the progress report's table of regression to the mean
        (titled :data:`REGRESSION_HEADING`): in the progress report, whether it shows
        the table; elsewhere :func:`regression_estimable` of the dataset's instruments.
        Without it the caveat says that how much cannot be estimated, instead of
        pointing to a table that is not there.
    where : str
        Where the reader finds that table from the place the caveat is shown ("below",
        "above", "in the learner progress report"; these three in the report's language,
        any other as given).

    Examples
    --------
    >>> print(regression_caveat(True, where="below"))  # doctest: +NORMALIZE_WHITESPACE
    **Regression to the mean.** Learners are placed because their scores are low, and a
    low score is partly chance on the day, so some of the improvement counted here would
    have come without the placement. The table "How much of the change is regression to
    the mean?" below shows how much, for standardised scores.
    >>> regression_caveat(False).endswith("so how much cannot be estimated.")
    True
    """
    text = f"**{_(CAVEAT_LEAD)}** " + _(
        "Learners are placed because their scores are low, and a low score is partly "
        "chance on the day, so some of the improvement counted here would have come "
        "without the placement.")
    if not table_shown:
        return text + " " + _("There is no standardised score with a known reliability "
                              "here, so how much cannot be estimated.")
    pointers = {
        "below": _('The table "{table}" below shows how much, for standardised scores.'),
        "above": _('The table "{table}" above shows how much, for standardised scores.'),
        "in the learner progress report": _(
            'The table "{table}" in the learner progress report shows how much, for '
            "standardised scores."),
    }
    pointer = pointers.get(where) or _(
        'The table "{table}" {where} shows how much, for standardised scores.')
    return text + " " + pointer.format(table=_(REGRESSION_HEADING), where=where)


def display_regression(summary: pd.DataFrame, *, audience: str,
                       shown_counts: pd.DataFrame | None = None,
                       thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A :func:`~srb_eval.measures.regression_to_mean.regression_summary` table for readers.

    Parameters
    ----------
    summary : DataFrame
        ``regression_summary(adjusted)`` (no ``by``: the authority's rows).
    audience : {"internal", "published"}
    shown_counts : DataFrame, optional
        Published: the Reliable Change table as displayed beside it (columns
        ``instrument``, ``area``, ``learners``, ``results measured``); its count texts
        are the ones shown here, so this table states no count that one does not.
        Required for the published audience.
    thresholds : Thresholds

    Returns
    -------
    DataFrame
        ``instrument``, ``area``, ``learners``, ``results measured``, ``average score
        at baseline``, ``average change``, ``expected from regression alone``,
        ``change beyond regression (95% interval)``, as text.
    """
    audience = disclosure.check_audience(audience)
    need_columns(summary, ["instrument", "area", "n_learners", "n", "mean_baseline",
                           "mean_change", "mean_expected_regression",
                           "mean_beyond_regression", "low", "high"], "summary")
    t = summary.reset_index(drop=True)
    out = pd.DataFrame({"instrument": t["instrument"].astype("str"),
                        "area": t["area"].astype("str").str.replace("_", " ")})
    if audience == "published":
        if shown_counts is None:
            raise ValueError("display_regression: a published table needs shown_counts "
                             "(the Reliable Change table as displayed)")
        key = ["instrument", "area"]
        counts = shown_counts.assign(area=shown_counts["area"].astype("str"))[
            [*key, "learners", "results measured"]]
        merged = out.merge(counts, on=key, how="left")
        out["learners"] = merged["learners"].fillna(disclosure.SUPPRESSED_TEXT).to_numpy()
        out["results measured"] = merged["results measured"].fillna(
            disclosure.SUPPRESSED_TEXT).to_numpy()
        n = np.where(merged["results measured"].astype("str").str.fullmatch(r"\d+"),
                     t["n"].to_numpy(), 0)
    else:
        out["learners"] = t["n_learners"].astype("str")
        out["results measured"] = t["n"].astype("str")
        n = t["n"].to_numpy()

    def shown(values: pd.Series, sign: bool = False) -> np.ndarray:
        return hide_small(pd.Series([number_text(v, 1, sign) for v in values], dtype=object),
                          n, audience, thresholds).to_numpy()

    out["average score at baseline"] = shown(t["mean_baseline"])
    out["average change"] = shown(t["mean_change"], sign=True)
    out["expected from regression alone"] = shown(t["mean_expected_regression"], sign=True)
    beyond = [f"{number_text(m, 1, True)} ({number_text(lo, 1, True)} to "
              f"{number_text(hi, 1, True)})" if k >= MIN_N_INTERVAL and pd.notna(lo)
              else number_text(m, 1, True)
              for m, lo, hi, k in zip(t["mean_beyond_regression"], t["low"], t["high"],
                                      n, strict=True)]
    out["change beyond regression (95% interval)"] = hide_small(
        pd.Series(beyond, dtype=object), n, audience, thresholds).to_numpy()
    return out


def regression_sentences(summary: pd.DataFrame, shown: pd.DataFrame) -> list[str]:
    """One sentence per row of the table whose means it shows, saying what regression
    explains.

    Parameters
    ----------
    summary : DataFrame
        The ``regression_summary`` the table was made from.
    shown : DataFrame
        :func:`display_regression` of it, for the reader's audience: a row whose means
        it hides gets no sentence, so the text states nothing the table does not.

    Notes
    -----
    The interval decides the words: "more than regression to the mean alone explains"
    only where all of it is above zero, "less than ... would give" only where all of it
    is below, "within what ... could explain" otherwise; with no interval (fewer than
    :data:`~srb_eval.report.progress.MIN_N_INTERVAL` results), "too few results to tell".
    """
    out = []
    for r, (_index, row) in zip(summary.itertuples(index=False), shown.iterrows(), strict=True):
        if row["average change"] in (disclosure.SUPPRESSED_TEXT, "no data"):
            continue
        has_interval = int(r.n) >= MIN_N_INTERVAL and pd.notna(r.low)
        if has_interval and r.low > 0:
            sentence = _("{instrument}, {area}: the average change was {change} points; "
                         "regression to the mean alone would give about {expected}, leaving "
                         "{beyond}: more than regression to the mean alone explains.")
        elif has_interval and r.high < 0:
            sentence = _("{instrument}, {area}: the average change was {change} points; "
                         "regression to the mean alone would give about {expected}, leaving "
                         "{beyond}: less than regression to the mean alone would give.")
        elif has_interval:
            sentence = _("{instrument}, {area}: the average change was {change} points; "
                         "regression to the mean alone would give about {expected}, leaving "
                         "{beyond}: within what regression to the mean alone could explain.")
        else:
            sentence = _("{instrument}, {area}: the average change was {change} points; "
                         "regression to the mean alone would give about {expected}, leaving "
                         "{beyond}: too few results to tell it apart from regression to the "
                         "mean.")
        out.append(sentence.format(
            instrument=row["instrument"], area=area_word(str(r.area)).replace("_", " "),
            change=row["average change"], expected=row["expected from regression alone"],
            beyond=number_text(r.mean_beyond_regression, 1, True)))
    return out


def regression_record(summary: pd.DataFrame, shown: pd.DataFrame, *,
                      measures: Mapping[str, str], srb: str = "all",
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of a published :func:`display_regression` table.

    Its counts are the Reliable Change table's (results measured over at least a term,
    and the learners with them, of each instrument and area), recorded under the same
    measures and keys (:func:`srb_eval.report.progress_records.progress_measures`,
    :func:`~srb_eval.report.progress_records.pair_label`), so the audit sees one
    unknown per count, shown in two tables; the partitions are the Reliable Change
    record's.
    """
    s = shown.reset_index(drop=True).assign(_pair=[
        pair_label(i, a) for i, a in zip(summary["instrument"], summary["area"],
                                         strict=True)])
    fixed = None if srb == "all" else {"srb_id": srb}
    common = {"report": "", "table": "regression_to_the_mean", "row_dims": {"_pair": "pair"},
              "partitions": [], "thresholds": thresholds, "fixed": fixed}
    results = table_record(s, measure=measures["results"],
                           columns={"results measured": {"status": "measured"}}, **common)
    learners = table_record(s, measure=measures["learners_measured"],
                            columns={"learners": {}}, **common)
    return {**results, "cells": results["cells"] + learners["cells"]}
