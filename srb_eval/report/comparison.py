"""The matched comparison (report 60) for readers: its counts, balance and effects as
display tables, and the sentences that say what they mean and what they cannot show.

The numbers are :func:`srb_eval.measures.comparison.matched_comparison`'s. For a
published audience every count goes through :func:`~srb_eval.report.suppression.suppress_counts`,
a share through :func:`~srb_eval.report.suppression.suppress_percentages`, and a group
of fewer than the policy's ``min_denominator`` learners gets no statistic (a mean, a
standardised difference, an effect or its interval) at all.

Every word is in the report's language (:mod:`srb_eval.report.i18n`). The tables are
recorded in English, as their disclosure records name their columns and cells; the
notebook shows :func:`shown` copies of them, translated.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..measures import comparison as C
from ..stats.effects import MIN_CLUSTERS, PERMUTATION_RESAMPLES
from . import disclosure
from .audit import RECORD_FORMAT, Partition, check_record
from .disclosure import DEFAULT_THRESHOLDS, SUPPRESSED_TEXT, Thresholds
from .i18n import (
    N_,
    PHASE_WORDS,
    area_word,
    format_number,
    ngettext,
    pgettext,
    translated_table,
    unknown_text,
)
from .i18n import gettext as _
from .regression_wording import REGRESSION_HEADING
from .suppression import suppress_counts, suppress_percentages
from .table_records import combine_records, table_record

__all__ = ["BALANCE_NOTE", "LIMITS", "balance_record", "counts_record", "display_balance",
           "display_counts", "display_effects", "display_pairs", "effect_sentences",
           "limits", "matched_on", "matching_dim", "methods_markdown", "missing_tables_note", "note_words",
           "pairs_shown", "show_comparison", "shown", "table_name"]

#: Words for the methods of :func:`srb_eval.measures.comparison.effects_table`.
METHOD_WORDS = {
    "hedges_g": N_("Hedges' g: difference in outcome in standard deviations"),
    "permutation": N_("Mean difference within matched pairs (score points), permutation "
                      "test"),
    "ancova": N_("ANCOVA: difference at the same baseline (score points)"),
    "multilevel": N_("Multilevel ANCOVA, learners within SRBs and schools (score points)"),
}
#: The words of :data:`srb_eval.measures.comparison.BALANCE_COVARIATES`, for the
#: catalogue.
COVARIATE_WORDS = (N_("baseline score"), N_("year group at baseline"),
                   N_("years from baseline to outcome"), N_("share female"),
                   N_("share eligible for free school meals"))
#: The column headers of the tables of this module, for the catalogue.
HEADERS = (N_("group"), N_("learners with a baseline and an outcome"), N_("matched"),
           N_("covariate"), N_("SRB, before matching"), N_("comparison, before matching"),
           N_("standardised difference, before"), N_("SRB, after matching"),
           N_("comparison, after matching"), N_("standardised difference, after"),
           N_("method"), N_("estimate"), N_("95% interval from"), N_("95% interval to"),
           N_("p value"), N_("SRB learners"), N_("comparison learners"), N_("note"),
           N_("pair"), N_("placed learner"), N_("SRB"), N_("comparison learner"),
           N_("need"), N_("phase"), N_("sex"), N_("baseline (placed)"),
           N_("baseline (comparison)"), N_("outcome (placed)"), N_("outcome (comparison)"))
#: A p-value too small to show.
BELOW_0001 = N_("below 0.001")
#: Why an effect is missing (the notes of :func:`srb_eval.measures.comparison.effects_table`
#: and of :func:`display_effects`) and their words, numbers as named groups.
NOTES = (
    (r"fewer than two learners in a group", N_("fewer than two learners in a group")),
    (r"no spread in either group", N_("no spread in either group")),
    (r"no matched pairs", N_("no matched pairs")),
    (r"no clusters given", N_("no clusters given")),
    (r"an ANCOVA needs both groups and at least (?P<n>\d+) learners",
     N_("an ANCOVA needs both groups and at least {n} learners")),
    (r"a multilevel model needs learners from at least (?P<n>\d+) SRBs; these are from "
     r"(?P<k>\d+)",
     N_("a multilevel model needs learners from at least {n} SRBs; these are from {k}")),
    (r"a multilevel model needs both groups and at least (?P<n>\d+) learners",
     N_("a multilevel model needs both groups and at least {n} learners")),
    (r"the multilevel model could not be fitted \(singular matrix\)",
     N_("the multilevel model could not be fitted (singular matrix)")),
    (r"the multilevel model did not converge", N_("the multilevel model did not converge")),
    (r"fewer than (?P<n>\d+) learners in a matched group",
     N_("fewer than {n} learners in a matched group")),
)
_BINARY = {"share female", "share eligible for free school meals"}

#: What a matched, non-randomised comparison can and cannot show (``{table}``: the
#: progress report's table of regression to the mean); shown by :func:`limits`.
LIMITS = N_(
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
    "(the learner progress report's table \"{table}\" shows how "
    "much of a placed learner's change chance alone would give, and the change beyond "
    "regression to the mean). Pairs that could not "
    "be matched are left out, so the answer is about the matched learners only. With "
    "few pairs the interval is wide: an interval that includes 0 means the data cannot "
    "tell a difference from chance, not that there is none.")


def limits() -> str:
    """What the comparison can and cannot show (:data:`LIMITS`), in the report's
    language."""
    return _(LIMITS).format(table=_(REGRESSION_HEADING))


#: What the balance table shows and how to read it.
BALANCE_NOTE = N_(
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
    return ngettext(
        "This report needs the table {tables}, which is not in this dataset. A comparison "
        "group is learners with additional learning needs who were not placed in a "
        "resource base, with results on the same tests (docs/data-dictionary.md: "
        "`comparison_learners` and `comparison_assessments`). Add it and render this "
        "report again.",
        "This report needs the tables {tables}, which are not in this dataset. A "
        "comparison group is learners with additional learning needs who were not placed "
        "in a resource base, with results on the same tests (docs/data-dictionary.md: "
        "`comparison_learners` and `comparison_assessments`). Add them and render this "
        "report again.", len(missing)).format(tables=", ".join(missing))


def note_words(note: str) -> str:
    """A note of the effects table (:data:`NOTES`: why an effect is missing) in the
    report's language; a note it does not know is returned as it is
    (:func:`~srb_eval.report.i18n.unknown_text`).

    Examples
    --------
    >>> note_words("a multilevel model needs learners from at least 10 SRBs; these are from 4")
    'a multilevel model needs learners from at least 10 SRBs; these are from 4'
    """
    known = _known_note(note)
    return unknown_text(note) if known is None else known


def _known_note(note: str) -> str | None:
    """:func:`note_words` of a note of :data:`NOTES`, else None."""
    for pattern, message in NOTES:
        found = re.fullmatch(pattern, note)
        if found:
            return _(message).format(**found.groupdict())
    return None


def _cell_words(text: str) -> str:
    """A text cell of a table of this module: a note of :data:`NOTES` translated, any
    other text (a number, a learner id) as it is."""
    known = _known_note(text)
    return text if known is None else known


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A table of this module as the report shows it: a copy in the report's language
    (headers, groups, methods, covariates, phases and notes translated; numbers, "[c]"
    and learner ids as they are). The English table is the one recorded. A note that no
    message matches (reworded in the stats layer) is shown in English with an
    :class:`~srb_eval.report.i18n.UntranslatedWarning` (:func:`note_words`)."""
    if "note" in table.columns:
        for note in table["note"].dropna().unique():
            if note:
                note_words(note)
    return translated_table(table, [*GROUP_WORDS, *METHOD_WORDS.values(), *COVARIATE_WORDS,
                                    *PHASE_WORDS, BELOW_0001, disclosure.NO_DATA_TEXT],
                            cells=_cell_words)


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
GROUP_WORDS = (N_("placed in an SRB"), N_("comparison: not placed"))


def matching_dim(result: C.MatchedComparison) -> str:
    """The name under which the records of a comparison split its learners into matched
    or not: one name for each matching (the variable matched on, the characteristics
    matched exactly and the caliper asked for, in SDs), so that two reports matching the
    same learners otherwise (by baseline and by propensity) record two breakdowns of one
    population, not two values of one count. Only parameters: the caliper in points is a
    statistic of the learners' scores, which a record must not state more finely than the
    report does.

    Examples
    --------
    >>> import pandas as pd
    >>> r = C.MatchedComparison(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...                         caliper=2.39974, exact=("primary_need", "sex"),
    ...                         by="baseline", caliper_sd=0.2)
    >>> matching_dim(r)
    'matched (on baseline; exactly on primary_need, sex; caliper 0.2 SD)'
    """
    exact = ", ".join(result.exact) or "nothing"
    return f"matched (on {result.by}; exactly on {exact}; caliper {result.caliper_sd:g} SD)"


def counts_record(counts: pd.DataFrame, effects: pd.DataFrame, *, instrument: str,
                  area: str, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                  tables: tuple[str, str] = ("learners", "effects"),
                  matched: str = "matched") -> list[dict]:
    """The disclosure records of a published :func:`display_counts` table and of the
    learner counts of :func:`display_effects` (the same matched learners), for the audit.

    The population is the learners of each group with a baseline and an outcome on
    ``instrument`` and ``area``, split by whether they were matched (dim ``matched``:
    :func:`matching_dim` names each matching); the effects table repeats the matched
    counts.

    Returns
    -------
    list of dict
        ``[record of the counts table, record of the effects table]``.
    """
    measure = (f"learners with a baseline and an outcome on {instrument}, {area} "
               "(matched comparison)")
    parts = [Partition(measure, "group", GROUP_WORDS),
             Partition(measure, matched, ("yes", "no"))]
    common = {"report": "", "measure": measure, "partitions": parts,
              "thresholds": thresholds, "total_labels": ()}
    learners = table_record(counts, table=tables[0], row_dims={"group": "group"},
                            columns={"learners with a baseline and an outcome": {},
                                     "matched": {matched: "yes"}}, **common)
    recs = [table_record(effects[[c]], table=tables[1], row_dims={},
                         columns={c: {matched: "yes"}}, fixed={"group": g}, **common)
            for c, g in (("SRB learners", GROUP_WORDS[0]),
                         ("comparison learners", GROUP_WORDS[1]))]
    return [learners, combine_records(recs)]


def balance_record(balance: pd.DataFrame, shown: pd.DataFrame, *, instrument: str,
                   area: str, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                   table: str = "balance", matched: str = "matched") -> dict:
    """The disclosure record of a published :func:`display_balance` table.

    Its means and standardised differences are not counts; its shares (female, free
    school meals) are counts of the learners of :func:`counts_record` (same measure):
    of each group, before matching (all of them) or after (dim ``matched`` = "yes"), those
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
    matched : str, default "matched"
        The dim of the matched learners, as for :func:`counts_record`.

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
                                    Partition(measure, matched, ("yes", "no"))]
    for i, r in enumerate(balance.itertuples(index=False)):
        if r.covariate not in _BINARY:
            continue
        cov = str(r.covariate).removeprefix("share ")
        parts.append(Partition(measure, f"{cov} recorded", ("yes", "no")))
        for when in ("before", "after"):
            for col, group in (("SRB", GROUP_WORDS[0]), ("comparison", GROUP_WORDS[1])):
                base = {"group": group, **({matched: "yes"} if when == "after" else {})}
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
    """``value`` with ``decimals`` places; a value that rounds to zero is "0.0", never
    "-0.0"."""
    if pd.isna(value):
        return disclosure.NO_DATA_TEXT
    return f"{round(float(value), decimals) + 0.0:.{decimals}f}"


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
                BELOW_0001 if r.p_value < 0.001 else f"{r.p_value:.3f}")
        rows.append({"method": METHOD_WORDS[r.method], "estimate": est,
                     "95% interval from": low, "95% interval to": high, "p": p, "SRB learners": r.n_srb,
                     "comparison learners": r.n_comparison, "note": note or ""})
    table = pd.DataFrame(rows)
    return suppress_counts(table, ["SRB learners", "comparison learners"],
                           audience=audience, thresholds=t)


#: The characteristics a comparison can match on exactly, as its sentences name them
#: (:func:`srb_eval.measures.comparison.match_columns`).
MATCH_WORDS = {"primary_need": N_("need"), "phase": N_("phase"), "sex": N_("sex")}


def _exact_words(columns: tuple[str, ...] | list[str]) -> str:
    """The characteristics matched exactly, in words ("need, phase, sex", or "nothing")."""
    return ", ".join(_(MATCH_WORDS[c]) if c in MATCH_WORDS else c for c in columns) or _(
        "nothing")


def matched_on(columns: list[str]) -> str:
    """The ``match_on`` parameter's columns for a report's header: in English their own
    names ("primary_need, phase, sex"), in another language words for them; "nothing"
    for none."""
    words = {"primary_need": pgettext("match column", "primary_need"),
             "phase": pgettext("match column", "phase"), "sex": pgettext("match column", "sex")}
    return ", ".join(words.get(c, c) for c in columns) or _("nothing")


def _matched_by(result: C.MatchedComparison) -> str:
    """What learners were matched on after the exact characteristics, with its caliper."""
    if result.by == "propensity":
        if np.isnan(result.caliper):
            return _("a propensity score (from baseline and year group)")
        return _("a propensity score (from baseline and year group) within {caliper} on "
                 "its logit").format(caliper=format_number(result.caliper, 2,
                                                           grouping=False))
    if np.isnan(result.caliper):
        return _("a baseline score")
    return _("a baseline score within {caliper} points").format(
        caliper=format_number(result.caliper, 1, grouping=False))


def _multilevel_sentence(m: pd.Series) -> str:
    """What the multilevel model says, or why there is none."""
    if not m["note"]:
        return _("Allowing for learners taught together (a multilevel model with "
                 "{clusters} SRBs and schools), the difference is {estimate} points (95% "
                 "interval {low} to {high}).").format(
            clusters=int(m["n_clusters"]), estimate=_fixed(m["estimate"], 1),
            low=_fixed(m["low"], 1), high=_fixed(m["high"], 1))
    few = re.fullmatch(r"a multilevel model needs learners from at least (?P<n>\d+) SRBs; "
                       r"these are from (?P<k>\d+)", m["note"])
    if few:
        return _("No multilevel model: it needs learners from at least {n} SRBs; these are "
                 "from {k}.").format(**few.groupdict())
    small = re.fullmatch(r"a multilevel model needs both groups and at least (?P<n>\d+) "
                         r"learners", m["note"])
    if small:
        return _("No multilevel model: it needs both groups and at least {n} learners."
                 ).format(**small.groupdict())
    return _("No multilevel model: {reason}.").format(reason=note_words(m["note"]))


def _fixed(value: float, decimals: int) -> str:
    return format_number(value, decimals, grouping=False)


def effect_sentences(result: C.MatchedComparison, *, audience: str,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """What the comparison found, in plain words (statistics withheld as the tables
    withhold them), in the report's language."""
    published = disclosure.check_audience(audience) == "published"
    t = disclosure.check_thresholds(thresholds)
    e = result.effects.set_index("method")
    n = int(e.loc["hedges_g", "n_srb"])
    n_placed = int((result.learners["placed"] == 1).sum())
    exact = _exact_words(result.exact)
    out = []
    if published and n < t.min_denominator:
        out.append(_("Fewer than {n} placed learners could be matched, so no effect is "
                     "published: a statistic of so few learners could point at single "
                     "children.").format(n=t.min_denominator))
        return out
    if not published:
        out.append(ngettext(
            "{n} of the {placed} placed learner with a baseline and an outcome was matched "
            "to a comparison learner of the same {exact} and {matched_by}.",
            "{n} of the {placed} placed learners with a baseline and an outcome were "
            "matched to a comparison learner of the same {exact} and {matched_by}.",
            n_placed).format(n=n, placed=n_placed, exact=exact,
                             matched_by=_matched_by(result)))
    else:
        out.append(_("Placed learners were matched to comparison learners of the same "
                     "{exact} and {matched_by}; the table above gives how many.").format(
            exact=exact, matched_by=_matched_by(result)))
    g = e.loc["hedges_g"]
    if np.isnan(g["estimate"]):
        out.append(_("Hedges' g cannot be computed: {reason}.").format(
            reason=note_words(g["note"])))
    else:
        crosses = g["low"] < 0 < g["high"]
        size = _fixed(abs(g["estimate"]), 2)
        numbers = {"size": size, "g": _fixed(g["estimate"], 2), "low": _fixed(g["low"], 2),
                   "high": _fixed(g["high"], 2)}
        if size == _fixed(0.0, 2):
            found = _("At the end, matched placed learners scored the same as their "
                      "comparison learners (Hedges' g {g}, 95% interval {low} to {high}).")
        elif g["estimate"] > 0:
            found = _("At the end, matched placed learners scored {size} standard "
                      "deviations higher than their comparison learners (Hedges' g {g}, "
                      "95% interval {low} to {high}).")
        else:
            found = _("At the end, matched placed learners scored {size} standard "
                      "deviations lower than their comparison learners (Hedges' g {g}, "
                      "95% interval {low} to {high}).")
        out.append(found.format(**numbers) + " " + (
            _("The interval includes 0, so the data cannot tell a difference from chance.")
            if crosses else
            _("The interval excludes 0, so chance alone is an unlikely explanation; the "
              "limits below still apply.")))
    a = e.loc["ancova"]
    if not np.isnan(a["estimate"]):
        out.append(_("Adjusting for the baseline score (ANCOVA), the difference is "
                     "{estimate} points (95% interval {low} to {high}).").format(
            estimate=_fixed(a["estimate"], 1), low=_fixed(a["low"], 1),
            high=_fixed(a["high"], 1)))
    p = e.loc["permutation"]
    if not np.isnan(p["p_value"]):
        out.append(_("A permutation test of the matched pairs, which needs no assumption "
                     "about the shape of the scores and suits small groups, gives p = "
                     "{p}.").format(p=_fixed(p["p_value"], 3)))
    out.append(_multilevel_sentence(e.loc["multilevel"]))
    return out


def methods_markdown(result: C.MatchedComparison, *, instrument: str, area: str,
                     heading: str | None = None) -> str:
    """How the comparison was made, with every rule's number from the package, under
    ``heading`` (default "## How the comparison was made"), in the report's language."""
    heading = "## " + _("How the comparison was made") if heading is None else heading
    on = (_("logit of a propensity score (a logistic regression of placement on the "
            "baseline and the year group at baseline)") if result.by == "propensity"
          else _("baseline score"))
    return "\n".join([
        heading,
        "- " + _("**Result compared:** {instrument}, {area}. The baseline is the flagged "
                 "result, else the first; the outcome is the latest result. For a placed "
                 "learner the results of a whole stay count (a move between SRBs is one "
                 "stay), for a comparison learner all their results; only learners with at "
                 "least {years} years between baseline and outcome.").format(
            instrument=instrument, area=area_word(area),
            years=format_number(C.MIN_YEARS, None)),
        "- " + _("**Matching:** exactly on {exact} (phase from the year group at baseline), "
                 "then the nearest {on} within {caliper} standard deviations of it (the "
                 "caliper), one comparison learner per placed learner, each used once; "
                 "within each group of equal characteristics the pairs are chosen to match "
                 "as many learners as possible, then to make the baselines closest (optimal "
                 "matching).").format(exact=_exact_words(result.exact), on=on,
                                      caliper=format_number(C.CALIPER_SD, None)),
        "- " + _("**Balance:** the standardised difference of each characteristic "
                 "(difference of means over the pooled standard deviation); below 0.1 in "
                 "size is negligible, above 0.25 a difference the effect may carry."),
        "- " + _("**Effect:** Hedges' g of the outcomes with its 95% interval; the ANCOVA "
                 "(outcome on baseline and group, ordinary least squares); a permutation "
                 "test of the paired differences (exact up to {exact} pairs, else {resamples} "
                 "random sign patterns, seeded); a multilevel ANCOVA with learners within "
                 "SRBs and schools only with learners from at least {clusters} SRBs, as "
                 "fewer clusters give unreliable standard errors.").format(
            exact=format_number(int(np.log2(PERMUTATION_RESAMPLES)), None),
            resamples=format_number(PERMUTATION_RESAMPLES, None), clusters=MIN_CLUSTERS)])


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
    return shown, (_("Too few placed learners to compare: {comparisons}.").format(
        comparisons="; ".join(left)) if left else "")


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
        report.say(f"## {instrument}, {area_word(area)}")
    names = {n: table_name(n, instrument, area, several=several)
             for n in ("learners", "balance", "effects")}
    counts = display_counts(result, audience=audience)
    effects = display_effects(result.effects, audience=audience)
    matched = matching_dim(result)
    records = (counts_record(counts, effects, instrument=instrument, area=area,
                             tables=(names["learners"], names["effects"]), matched=matched)
               if audience == "published" else [None, None])
    sentences = effect_sentences(result, audience=audience)
    report.say(f"{level} " + _("Who was compared"))
    report.show(shown(report.record(names["learners"], counts, disclosure=records[0])),
                caption=_("Learners with a baseline and an outcome, and learners matched"))
    report.say("\n".join("- " + s for s in sentences[:1]))
    report.say(f"{level} " + _("Balance: were the matched groups alike at the start?"))
    report.say(_(BALANCE_NOTE))
    balance = display_balance(result.balance, audience=audience)
    report.show(shown(report.record(names["balance"], balance, disclosure=balance_record(
                    result.balance, balance, instrument=instrument, area=area,
                    table=names["balance"], matched=matched)
                    if audience == "published" else None)),
                caption=_("Means and standardised differences before and after matching"))
    report.say(f"{level} " + _("The effect and its interval"))
    report.show(shown(report.record(names["effects"], effects, disclosure=records[1])),
                caption=_("Difference in outcome, placed minus comparison, by method"))
    report.say("\n".join("- " + s for s in sentences[1:]))
    if audience == "internal":
        report.say(f"{level} " + _("Matched pairs (internal only)"))
        report.show(shown(display_pairs(result, audience=audience)),
                    caption=_("Each placed learner and the comparison learner matched to "
                              "them"))
