"""The outcome measures as a report shows them: words, cells, sentences, headings, changes.

:func:`srb_eval.measures.outcomes.outcome_measures` gives numbers (count, n, value) per
measure and group. This module words them for a report's audience under its disclosure
policy (:class:`srb_eval.report.disclosure.Thresholds`):

- :data:`MEASURE_WORDS` and :func:`measure_words`: each measure's section, label, noun,
  predicate and where the report shows it;
- :func:`display_measures`, :func:`measure_table`: cells such as "most: 27 of 29 (93%)",
  suppressed for a published audience;
- :func:`measure_sentences`, :func:`section_heading`: sentences and headings in Estyn's
  words;

``display_*`` functions never return NaN in their text columns. The section tables of
qualifications, destinations and stays are in :mod:`srb_eval.report.outcome_tables`, the
change from a comparison year in :mod:`srb_eval.report.year_on_year`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..measures import inclusion_outcomes as IO
from ..measures import outcomes as M
from ..measures.groups import GROUP_TYPES
from ..measures.wellbeing import EXCLUSIONS_PER, PERSISTENT_ABSENCE_BELOW
from ..params import whole_number
from . import disclosure, suppression
from .outcome_populations import protect_populations
from .quantifiers import (
    NO_DATA,
    NOT_JUDGED,
    TOO_FEW,
    cell_sentence,
    estyn_quantifier,
    hidden_markers,
    sentence_forms,
    share_cells,
)

__all__ = [
    "AREA_LABELS",
    "FIGURES",
    "HEADLINES",
    "MEASURE_WORDS",
    "SECTIONS",
    "TABLES",
    "display_measures",
    "measure_sentences",
    "measure_table",
    "measure_words",
    "one_decimal",
    "percent",
    "section_heading",
]

AREA_LABELS: dict[str, str] = {"literacy": "literacy", "numeracy": "numeracy",
                               "communication": "communication",
                               "personal_social": "personal and social skills"}
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def percent(share: float) -> str:
    """A share as a percentage for prose: ``0.9 -> "90%"``, ``0.125 -> "12.5%"``.

    Examples
    --------
    >>> percent(0.9), percent(0.125)
    ('90%', '12.5%')
    """
    return f"{round(100 * share, 6):g}%"


def _terms(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n)) + (" term" if n == 1 else " terms")


_ABSENT = percent(PERSISTENT_ABSENCE_BELOW)
#: How the report words each measure of :data:`srb_eval.measures.outcomes.MEASURES`:
#: its section, label, noun and predicate (a sentence is "<quantifier> <noun> (<count>
#: of <n>) <predicate>.") and the ``table`` and ``figure`` (keys of :data:`TABLES` and
#: :data:`FIGURES`) that show it.
MEASURE_WORDS: dict[str, dict[str, str]] = {
    **{f"progress_{a}": {
        "section": "standards", "label": f"at least expected progress: {AREA_LABELS[a]}",
        "noun": "learners", "predicate": f"made at least expected progress in {AREA_LABELS[a]}",
        "table": "progress", "figure": "progress"} for a in M.AREAS},
    "leavers_with_award": {
        "section": "standards", "label": "leavers (16+) with an accredited award",
        "noun": "leavers", "predicate": "left with at least one accredited qualification",
        "table": "leavers", "figure": "awards"},
    "attendance_rate": {
        "section": "wellbeing", "label": "attendance (sessions attended)",
        "noun": "learners", "predicate": "of possible half-day sessions attended",
        "table": "wellbeing", "figure": "wellbeing"},
    "persistent_absence": {
        "section": "wellbeing", "label": f"persistently absent (below {_ABSENT})",
        "noun": "learners",
        "predicate": f"were persistently absent (attended fewer than {_ABSENT} of sessions)",
        "table": "wellbeing", "figure": "wellbeing"},
    "learners_excluded": {
        "section": "wellbeing", "label": "learners with a fixed-term exclusion",
        "noun": "learners", "predicate": "had at least one fixed-term exclusion",
        "table": "wellbeing", "figure": "wellbeing"},
    "exclusion_rate": {
        "section": "wellbeing", "label": f"fixed-term exclusions per {EXCLUSIONS_PER} learners",
        "noun": "learners", "predicate": f"fixed-term exclusions per {EXCLUSIONS_PER} learners",
        "table": "wellbeing", "figure": "wellbeing"},
    "inclusion_at_least_half": {
        "section": "inclusion", "label": "at least half the week in mainstream",
        "noun": "learners",
        "predicate": "spent at least half of their week in mainstream classes",
        "table": "inclusion", "figure": "inclusion"},
    "inclusion_rising": {
        "section": "inclusion", "label": "time in mainstream rising",
        "noun": "learners", "predicate": "spent a rising share of their week in mainstream "
        "classes", "table": "inclusion", "figure": "inclusion"},
    "inclusion_falling": {
        "section": "inclusion", "label": "time in mainstream falling",
        "noun": "learners", "predicate": "spent a falling share of their week in mainstream "
        "classes", "table": "inclusion", "figure": "inclusion"},
    "returned_to_mainstream": {
        "section": "transition", "label": "leavers returning to mainstream",
        "noun": "leavers", "predicate": "returned to mainstream education",
        "table": "destinations", "figure": "destinations"},
    "stayed_after_exit_criterion": {
        "section": "transition", "label": "still placed after meeting the exit criterion",
        "noun": "learners", "predicate": "were still placed after meeting the exit criterion "
        f"({percent(IO.CORE_EXIT_SHARE)} of core-subject time in mainstream) for "
        f"{_terms(IO.SUSTAINED_TERMS)} or more", "table": "inclusion", "figure": "inclusion"},
    "unfilled_places": {
        "section": "strategic", "label": "unfilled places (census)",
        "noun": "places", "predicate": "places were unfilled", "table": "occupancy",
        "figure": "occupancy"},
}

#: Table numbers of the report (notebook 30), by key.
TABLES: dict[str, str] = {
    "summary": "Table 1.1", "progress": "Table 2.1", "awards": "Table 2.2",
    "leavers": "Table 2.3", "wellbeing": "Table 3.1", "inclusion": "Table 4.1",
    "destinations": "Table 5.1", "exit_reasons": "Table 5.2", "stays": "Table 5.3",
    "occupancy": "Table 6.1", "waiting": "Table 6.2", "r5": "Table 6.3",
    "quantifiers": "Table A.1", "judgement_rules": "Table A.2",
}
#: Figure numbers of the report (notebook 30), by key.
FIGURES: dict[str, str] = {
    "summary": "Figure 1.1", "progress": "Figure 2.1", "awards": "Figure 2.2",
    "wellbeing": "Figure 3.1", "inclusion": "Figure 4.1", "destinations": "Figure 5.1",
    "occupancy": "Figure 6.1", "r5": "Figure 6.2",
}
SECTIONS: dict[str, str] = {
    "standards": "Standards and progress", "wellbeing": "Wellbeing",
    "inclusion": "Inclusion", "transition": "Transition and destinations",
    "strategic": "Strategic planning",
}
#: Measures that make a section's heading, in order.
HEADLINES: dict[str, tuple[str, ...]] = {
    "standards": tuple(f"progress_{a}" for a in M.AREAS),
    "qualifications": ("leavers_with_award",),
    "wellbeing": ("attendance_rate", "persistent_absence", "learners_excluded"),
    "inclusion": ("inclusion_at_least_half", "inclusion_rising"),
    "transition": ("returned_to_mainstream", "stayed_after_exit_criterion"),
    "strategic": ("unfilled_places",),
}
_WORD_COLUMNS = ("section", "label", "noun", "predicate", "source")


def measure_words(measures: pd.DataFrame, *, min_n: int = 5) -> pd.DataFrame:
    """:func:`srb_eval.measures.outcomes.outcome_measures` with the words of each measure.

    Returns
    -------
    DataFrame
        ``measures`` with ``section``, ``label``, ``noun``, ``predicate`` and ``source``
        (the table and figure that show it) from :data:`MEASURE_WORDS`, and
        ``quantifier``: the Estyn word of a learner measure (:func:`estyn_quantifier`
        with ``min_n``), "too few to judge" for another measure not judged, else "".

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> measure_words(res.measures, min_n=1)[["label", "quantifier"]].iloc[0].tolist()
    ['at least expected progress: literacy', 'half']
    """
    k = whole_number(min_n, "min_n", minimum=1)
    m = measures.drop(columns=[c for c in (*_WORD_COLUMNS, "quantifier")
                               if c in measures.columns])
    spec = pd.DataFrame.from_dict(MEASURE_WORDS, orient="index")
    spec["source"] = [f"{TABLES[t]}, {FIGURES[f]}" for t, f in zip(spec["table"],
                                                                    spec["figure"], strict=True)]
    words = spec.loc[m["measure"], list(_WORD_COLUMNS)].set_axis(m.index)
    m = pd.concat([m, words], axis=1)
    learners = m["unit"] == "learners"
    quantifier = np.where(m["judged"].astype(bool), NOT_JUDGED, TOO_FEW).astype(object)
    if learners.any():
        quantifier[learners.to_numpy()] = estyn_quantifier(
            m.loc[learners, "count"].astype("float64").to_numpy(),
            m.loc[learners, "n"].astype("float64").to_numpy(), min_n=k).to_numpy()
    m["quantifier"] = quantifier
    return m


# --------------------------------------------------------------------------- display


def _group_noun(noun: str, group_type: str, label: str) -> tuple[str, str]:
    """(prefix, noun) for a sentence about one group."""
    if group_type == "srb_id":
        return f"in {label}, ", noun
    if group_type == "primary_need":
        return "", f"{noun} with {label} as their primary need"
    return "", noun


def one_decimal(values: np.ndarray, scale: float = 1.0, suffix: str = "") -> np.ndarray:
    """``values * scale`` as text to one decimal place, rounded half up on the unrounded
    value, with ``suffix``; NaN as "no data".

    Examples
    --------
    >>> one_decimal(np.array([0.9125, np.nan]), 100, "%").tolist()
    ['91.3%', 'no data']
    """
    out = np.full(values.shape, NO_DATA, dtype=object)
    ok = ~np.isnan(values)
    v = np.floor(values[ok] * scale * 10 + 0.5) / 10
    out[ok] = np.char.mod("%.1f", v).astype(object) + suffix
    return out


def _block(sub: pd.DataFrame, *, audience: str, min_n: int,
           thresholds: disclosure.Thresholds) -> pd.DataFrame:
    """Display text of one measure's rows (groups, then the authority row last)."""
    published = audience == "published"
    unit = sub["unit"].iloc[0]
    rows = len(sub)
    total = rows - 1 if (sub["group_type"].iloc[-1] == "authority" and rows > 1) else None
    c, n, nl = (sub[col].astype("float64").to_numpy() for col in ("count", "n", "n_learners"))
    judged = sub["judged"].to_numpy(dtype=bool)
    markers = hidden_markers(thresholds)
    if unit == "learners":
        sc = share_cells(c, n, audience=audience, min_n=min_n, thresholds=thresholds,
                         total=total)
        return sc.rename(columns={"pct_text": "value_text"})[
            ["count_text", "n_text", "value_text", "quantifier", "phrase", "cell",
             "value_shown", "judged"]]

    def counts_text(values: np.ndarray) -> np.ndarray:
        if not published:
            return suppression.whole_text(values)
        # suppression.suppress_counts of a one-column table with its total row
        v = suppression.as_counts(values, "count_columns ('v')")
        return suppression.count_text(v[:, None], thresholds, margin_row=total,
                                      margin_col=None)[:, 0]

    nl_text = counts_text(nl)
    few = published & (nl < thresholds.min_denominator)
    if unit == "places":
        # places are public; learners on roll are not: hide a row whose roll is hidden
        sc = share_cells(c, n, audience="internal", min_n=1, thresholds=thresholds,
                         quantifier=False)
        hide = np.isin(nl_text, markers) if published else np.zeros(rows, dtype=bool)
        count_text = np.where(hide, disclosure.SUPPRESSED_TEXT, sc["count_text"])
        value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, sc["pct_text"])
        phrase = np.where(hide, disclosure.SUPPRESSED_TEXT,
                          sc["count_text"] + " of " + sc["n_text"] + " places ("
                          + sc["pct_text"] + ")")
        value = np.where(hide, np.nan, sc["value_shown"].to_numpy())
        n_text = suppression.whole_text(n)
    elif unit == "sessions":
        with np.errstate(invalid="ignore", divide="ignore"):
            value_text = one_decimal(np.where(n > 0, c / np.where(n > 0, n, 1), np.nan), 100,
                                     "%")
        hide = (few | np.isin(nl_text, markers)) & (value_text != NO_DATA)
        value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, value_text)
        count_text, n_text = suppression.whole_text(c), nl_text
        phrase = np.where(hide, disclosure.SUPPRESSED_TEXT,
                          value_text + " (" + nl_text + " learners)")
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(hide | (n <= 0), np.nan, 100 * c / np.where(n > 0, n, 1))
    else:  # per_100
        v = sub["value"].to_numpy(dtype=float)
        value_text = one_decimal(v)
        count_text, n_text = counts_text(c), nl_text
        # even a rate of zero is hidden for a small group: "0 exclusions, 6 learners"
        # tells a reader something about every one of the six
        hide = (few | np.isin(count_text, markers) | np.isin(n_text, markers)
                ) & (value_text != NO_DATA)
        value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, value_text)
        # and so is its count of exclusions in a published cell (the rate times n)
        count_text = np.where(hide & published & (count_text != NO_DATA),
                              disclosure.SUPPRESSED_TEXT, count_text)
        phrase = (value_text + f" per {EXCLUSIONS_PER} (" + count_text
                  + np.where(count_text == "1", " exclusion, ", " exclusions, ") + n_text
                  + " learners)")
        value = np.where(hide, np.nan, v)
    cell = phrase.copy()
    words = np.where(judged, NOT_JUDGED, TOO_FEW).astype(object)
    no_data = (n == 0) | np.isnan(n) | np.isnan(c)
    if unit == "places":
        cell = np.where(no_data, NO_DATA, cell)
    else:
        cell = np.where(no_data, NO_DATA, np.where(judged, cell, np.where(
            np.isin(n_text, markers) | published, TOO_FEW,
            TOO_FEW + " (n=" + n_text.astype(object) + ")")))
        words = np.where(no_data, NO_DATA, words)
    value = np.where(judged & ~no_data, value, np.nan)
    return pd.DataFrame({"count_text": count_text, "n_text": n_text,
                         "value_text": value_text, "quantifier": words, "phrase": phrase,
                         "cell": cell, "value_shown": value.astype(float),
                         "judged": judged & ~no_data})


def display_measures(measures: pd.DataFrame, *, group_type: str = "authority",
                     audience: str, min_n: int = 5,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS,
                     known: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The measures as a report shows them to its audience, for one breakdown.

    Parameters
    ----------
    measures : DataFrame
        From :func:`srb_eval.measures.outcomes.outcome_measures` (``Outcomes.measures``).
    group_type : {"authority", "srb_id", "primary_need"}, default "authority"
        The rows: the authority alone, or each SRB (or need) followed by the authority as
        the total row.
    audience : {"internal", "published"}
    min_n : int, default 5
    thresholds : disclosure.Thresholds
        The disclosure policy of a published report.
    known : dict of str to pandas.DataFrame, optional
        What other published reports show of larger groups of the same learners, by
        population: see :func:`srb_eval.report.outcome_populations.protect_populations`
        (e.g. :func:`srb_eval.report.inclusion_tables.shown_trend_counts`).

    Returns
    -------
    DataFrame
        The identifying columns (``section``, ``measure``, ``label``, ``noun``,
        ``predicate``, ``unit``, ``better``, ``group_type``, ``group``, ``group_label``,
        ``source``) and the text: ``count_text``, ``n_text``, ``value_text``
        (percentage, attendance rate or rate per 100), ``quantifier``, ``phrase``,
        ``cell`` (what a table cell shows), ``value_shown`` (number a figure may draw:
        percentage or rate per 100; NaN where hidden or not judged) and ``judged``.
        Never NaN in the text columns.

    Notes
    -----
    Each measure is suppressed as one table of its groups with the authority as the
    total row: learner measures by :func:`~srb_eval.report.quantifiers.share_cells`;
    attendance rates and exclusion rates of fewer than ``min_denominator`` learners, or
    of a hidden count, show ``"[c]"``; unfilled places are public, but a row whose number
    on roll is hidden (a small number, or to protect another) is hidden too, since places
    minus unfilled places gives the roll. Internal reports show every number.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> d = display_measures(res.measures, audience="internal", min_n=1)
    >>> d.loc[d["measure"].isin(["progress_literacy", "attendance_rate"]), "cell"].tolist()
    ['half: 1 of 2 (50%)', '89.6% (2 learners)']
    >>> p = display_measures(res.measures, audience="published", min_n=1)
    >>> p.loc[p["measure"] == "progress_literacy", "cell"].tolist()  # n = 2 is small
    ['too few to judge']
    """
    pub = disclosure.check_audience(audience)
    check_argument(group_type in GROUP_TYPES, "group_type", "one of " + ", ".join(
                map(repr, GROUP_TYPES)), group_type, error=ParameterError)
    k = whole_number(min_n, "min_n", minimum=1)
    thresholds = disclosure.check_thresholds(thresholds)
    # the words of the rows shown only (each row's words are its own)
    shown = measures["group_type"].isin([group_type, "authority"]).to_numpy()
    worded = measure_words(measures.loc[shown], min_n=k)
    blocks = []
    for _, sub in worded.groupby("measure", sort=False):  # a dozen measures
        rows = sub.loc[sub["group_type"] == group_type] if group_type != "authority" else \
            sub.iloc[0:0]
        part = pd.concat([rows, sub.loc[sub["group_type"] == "authority"]])
        if len(part) == 0:
            continue
        text = _block(part.reset_index(drop=True), audience=pub, min_n=k,
                      thresholds=thresholds)
        keep = part[["section", "measure", "label", "noun", "predicate", "unit", "better",
                     "group_type", "group", "group_label", "source"]].reset_index(drop=True)
        blocks.append(pd.concat([keep, text.reset_index(drop=True)], axis=1))
    cols = ["section", "measure", "label", "noun", "predicate", "unit", "better",
            "group_type", "group", "group_label", "source", "count_text", "n_text",
            "value_text", "quantifier", "phrase", "cell", "value_shown", "judged"]
    if not blocks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = pd.concat(blocks, ignore_index=True)
    if pub == "published":
        keys = ["measure", "group_type", "group"]
        counts = measures.loc[shown, [*keys, "n_learners", "count"]]
        out = protect_populations(out.merge(counts, on=keys, how="left"), thresholds,
                                  known=known)
    return out[cols]


def measure_table(display: pd.DataFrame, *, rows: str = "group_label",
                  columns: str = "label", measures: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """Pivot :func:`display_measures` into a table of cells (groups x measures or back).

    Parameters
    ----------
    display : DataFrame
        From :func:`display_measures`.
    rows, columns : {"group_label", "label"}
        ``rows="group_label"``: one row per group (the authority last), one column per
        measure; ``rows="label"``: one row per measure (the R5 table).
    measures : list of str, optional
        Measure ids to keep, in order.

    Returns
    -------
    DataFrame
        The first column names the rows ("group" or "measure"); cells as in
        :func:`display_measures` ("no data" where a group has no row).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> d = display_measures(res.measures, audience="internal", min_n=1)
    >>> measure_table(d, measures=["progress_literacy"]).values.tolist()
    [['all SRBs', 'half: 1 of 2 (50%)']]
    """
    check_argument({rows, columns} == {"group_label", "label"}, "rows",
                   '"group_label" or "label" (and columns the other)', (rows, columns),
                   error=ParameterError)
    d = display
    if measures is not None:
        d = d.loc[d["measure"].isin(list(measures))]
        order = {m: i for i, m in enumerate(measures)}
        d = d.assign(_o=d["measure"].map(order)).sort_values("_o", kind="stable")
    wide = d.pivot(index=rows, columns=columns, values="cell").reindex(
        index=list(dict.fromkeys(d[rows])), columns=list(dict.fromkeys(d[columns]))
    ).fillna(NO_DATA)
    wide.columns.name = None
    return wide.rename_axis("group" if rows == "group_label" else "measure").reset_index()


def measure_sentences(display: pd.DataFrame, *, census_date: Any = None,
                      thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                      ) -> pd.Series:
    """One sentence per row of :func:`display_measures`, in Estyn's words.

    Parameters
    ----------
    display : DataFrame
        From :func:`display_measures` (with the same ``thresholds``).
    census_date : date, optional
        Named in sentences about places.
    thresholds : disclosure.Thresholds
        The disclosure policy of a published report.

    Returns
    -------
    Series of str
        Learner measures: "Most learners (27 of 29, 93%) made at least expected progress
        in literacy." (:func:`~srb_eval.report.quantifiers.finding_sentence` wording;
        "In <SRB>, most learners ..." for an SRB, "Most learners with ASD as their
        primary need ..." for a need). Attendance: "Learners attended 91.2% of possible
        half-day sessions (40 learners)." Exclusions: "There were 12.5 fixed-term
        exclusions per 100 learners (5 exclusions among 40 learners)." Places: "42 of
        158 places (27%) were unfilled on 1 October 2025." Hidden values say so, never a
        number.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> d = display_measures(res.measures, audience="internal", min_n=1)
    >>> measure_sentences(d.loc[d["measure"] == "attendance_rate"]).tolist()
    ['Learners attended 89.6% of possible half-day sessions (2 learners).']
    """
    t = disclosure.check_thresholds(thresholds)
    forms = sentence_forms()
    when = (f" on {pd.Timestamp(census_date).day} {pd.Timestamp(census_date):%B %Y}"
            if census_date is not None else " on the census date")
    out = []
    for _, row in display.iterrows():  # one sentence per measure and group
        prefix, noun = _group_noun(row["noun"], row["group_type"], row["group_label"])
        unit, hidden = row["unit"], row["value_text"] == disclosure.SUPPRESSED_TEXT
        where = f" in {row['group_label']}" if row["group_type"] == "srb_id" else (
            f" for learners with {row['group_label']} as their primary need"
            if row["group_type"] == "primary_need" else "")
        if unit == "learners":
            text = cell_sentence(row, noun=noun, predicate=row["predicate"], forms=forms,
                                 thresholds=t, prefix=prefix)
        elif row["quantifier"] == NO_DATA:
            what = {"sessions": "attendance", "per_100": "exclusions", "places": "places"}
            text = f"There is no data on {what[unit]}{where}."
        elif unit == "places":
            text = (f"{prefix}{row['count_text']} of {row['n_text']} places "
                    f"({row['value_text']}) were unfilled{when}."
                    if not hidden and row["phrase"] != disclosure.SUPPRESSED_TEXT else
                    f"{prefix}unfilled places are not shown{when} (a small number on roll).")
        elif row["quantifier"] == TOO_FEW:
            what = "attendance" if unit == "sessions" else "the rate of fixed-term exclusions"
            text = f"There were too few learners ({row['n_text']}) to judge {what}{where}."
        elif unit == "sessions":
            text = (f"{prefix}{noun} attended {row['value_text']} of possible half-day "
                    f"sessions ({row['n_text']} learners)." if not hidden else
                    f"{prefix}attendance{'' if prefix else where} is not shown (fewer than "
                    f"{t.min_denominator} learners).")
        else:
            s = "" if row["count_text"] == "1" else "s"
            text = (f"{prefix}there were {row['value_text']} fixed-term exclusions per "
                    f"{EXCLUSIONS_PER} {noun} ({row['count_text']} exclusion{s} among "
                    f"{row['n_text']} learners)." if not hidden else
                    f"{prefix}the rate of fixed-term exclusions{'' if prefix else where} is "
                    f"not shown (small numbers: {row['count_text']} exclusions among "
                    f"{row['n_text']} learners).")
        out.append(text[:1].upper() + text[1:])
    return pd.Series(out, index=display.index, dtype=object)


def _listed(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def section_heading(display: pd.DataFrame, section: str, *,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> str:
    """What a section found, for its heading, from the authority rows of
    :func:`display_measures` (words only for learner measures: no counts).

    Returns the text after "<Section>: ", starting in lower case: "most learners made at
    least expected progress in literacy and numeracy; many did in communication",
    "attendance was 91.2% of possible sessions; a minority of learners were persistently
    absent", "no data", "too few learners to judge". A measure whose number is hidden
    for the audience (under ``thresholds``) is left out.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> section_heading(display_measures(res.measures, audience="internal", min_n=1),
    ...                 "standards")
    'half of the learners made at least expected progress in literacy'
    """
    check_argument(section in HEADLINES, "section", "one of " + ", ".join(map(repr, HEADLINES)),
                   section, error=ParameterError)
    markers = hidden_markers(disclosure.check_thresholds(thresholds))
    forms = sentence_forms()
    d = display.loc[(display["group_type"] == "authority")
                    & display["measure"].isin(HEADLINES[section])]
    if len(d) == 0:
        return "no data"
    if section == "standards":
        judged = d.loc[d["judged"].astype(bool) & (d["quantifier"] != NOT_JUDGED)]
        if len(judged) == 0:
            return "too few learners had their progress measured to judge"
        clauses = []
        for w in dict.fromkeys(judged["quantifier"]):  # the quantifiers met, a handful
            areas = [AREA_LABELS[m.removeprefix("progress_")]
                     for m in judged.loc[judged["quantifier"] == w, "measure"]]
            form = forms.get(w, "").lower()
            clauses.append(f"{form} learners made at least expected progress in "
                           f"{_listed(areas)}" if not clauses else
                           f"{form.removesuffix(' of').removesuffix(' of the')} did in "
                           f"{_listed(areas)}")
        return "; ".join(clauses)
    parts = []
    for _, row in d.iterrows():
        if not row["judged"]:
            continue
        if row["unit"] == "learners":
            if row["quantifier"] == NOT_JUDGED:  # published with a number hidden
                continue
            parts.append(f"{forms.get(row['quantifier'], '').lower()} {row['noun']} "
                         f"{row['predicate']}")
        elif row["value_text"] in markers:
            continue
        elif row["unit"] == "sessions":
            parts.append(f"attendance was {row['value_text']} of possible sessions")
        elif row["unit"] == "per_100":
            parts.append(f"{row['value_text']} fixed-term exclusions per {EXCLUSIONS_PER} "
                         "learners")
        elif row["unit"] == "places":
            parts.append(f"{row['value_text']} of places were unfilled at the census")
    if not parts:
        return "too few learners to judge"
    return "; ".join(parts[:2])
