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
from .i18n import LANGUAGES, N_, area_word, current_language, format_date, join_and
from .i18n import gettext as _
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
    term_words,
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
                               "personal_social": N_("personal and social skills")}
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

# Translators: a number of terms after "for" ("for two terms or more"; Welsh "am" mutates)
_TERMS = {1: N_("one term"), 2: N_("two terms"), 3: N_("three terms"), 4: N_("four terms"),
          5: N_("five terms"), 6: N_("six terms")}
#: The nouns of :data:`MEASURE_WORDS`.
NOUNS = (N_("learners"), N_("leavers"), N_("places"))


def area_label(area: str) -> str:
    """An assessment area as the outcome measures word it, in the report's language
    (:data:`AREA_LABELS`: "personal and social skills")."""
    return _(AREA_LABELS[area]) if area == "personal_social" else area_word(area)


def noun_words(noun: str) -> str:
    """A measure's noun ("learners", "leavers", "places") in the report's language."""
    return _(noun) if noun in NOUNS else noun


def predicate_words(measure: str) -> str:
    """What the learners counted by a measure did, in the report's language (in English,
    the ``predicate`` of :data:`MEASURE_WORDS`)."""
    if measure.startswith("progress_"):
        area = measure.removeprefix("progress_")
        return _("made at least expected progress in {area}").format(area=area_label(area))
    terms = IO.SUSTAINED_TERMS
    words = {
        "leavers_with_award": _("left with at least one accredited qualification"),
        "attendance_rate": _("of possible half-day sessions attended"),
        "persistent_absence": _("were persistently absent (attended fewer than {share} of "
                                "sessions)").format(share=_ABSENT),
        "learners_excluded": _("had at least one fixed-term exclusion"),
        "exclusion_rate": _("fixed-term exclusions per {per} learners").format(
            per=EXCLUSIONS_PER),
        "inclusion_at_least_half": _("spent at least half of their week in mainstream "
                                     "classes"),
        "inclusion_rising": _("spent a rising share of their week in mainstream classes"),
        "inclusion_falling": _("spent a falling share of their week in mainstream classes"),
        "returned_to_mainstream": _("returned to mainstream education"),
        "stayed_after_exit_criterion": _(
            "were still placed after meeting the exit criterion ({share} of core-subject "
            "time in mainstream) for {terms} or more").format(
            share=percent(IO.CORE_EXIT_SHARE),
            terms=_(_TERMS[terms]) if terms in _TERMS else _terms(terms)),
        "unfilled_places": _("places were unfilled"),
    }
    return words[measure]


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
#: The report's sections (English titles; :func:`~srb_eval.report.i18n.gettext` shows
#: them in the report's language).
SECTIONS: dict[str, str] = {
    "standards": N_("Standards and progress"), "wellbeing": N_("Wellbeing"),
    "inclusion": N_("Inclusion"), "transition": N_("Transition and destinations"),
    "strategic": N_("Strategic planning"),
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


def _group_noun(noun: str, group_type: str, label: str) -> str:
    """The noun of a sentence about one group: "learners with ASD as their primary need"
    for a need; the noun itself otherwise (an SRB is named in the sentence's frame)."""
    if group_type == "primary_need":
        return _("{noun} with {need} as their primary need").format(noun=noun, need=label)
    return noun


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


def _places_text(c: np.ndarray, n: np.ndarray, nl_text: np.ndarray, *, published: bool,
                 thresholds: disclosure.Thresholds) -> tuple:
    """Count, n, value and phrase texts and the value shown of a measure of places
    (:func:`_block`): places are public; learners on roll are not, so a row whose roll
    (``nl_text``) is hidden is hidden."""
    sc = share_cells(c, n, audience="internal", min_n=1, thresholds=thresholds,
                     quantifier=False)
    hide = (np.isin(nl_text, hidden_markers(thresholds)) if published
            else np.zeros(len(c), dtype=bool))
    count_text = np.where(hide, disclosure.SUPPRESSED_TEXT, sc["count_text"])
    value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, sc["pct_text"])
    phrase = np.where(hide, disclosure.SUPPRESSED_TEXT,
                      sc["count_text"] + " of " + sc["n_text"] + " places ("
                      + sc["pct_text"] + ")")
    value = np.where(hide, np.nan, sc["value_shown"].to_numpy())
    return count_text, suppression.whole_text(n), value_text, phrase, value


def _sessions_text(c: np.ndarray, n: np.ndarray, nl_text: np.ndarray, *, hide: np.ndarray,
                   markers: list[str]) -> tuple:
    """The texts of a rate of sessions (:func:`_block`): attended of possible, in %, with
    its learners; hidden where ``hide`` or the learners are hidden."""
    with np.errstate(invalid="ignore", divide="ignore"):
        value_text = one_decimal(np.where(n > 0, c / np.where(n > 0, n, 1), np.nan), 100,
                                 "%")
    hide = (hide | np.isin(nl_text, markers)) & (value_text != NO_DATA)
    value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, value_text)
    phrase = np.where(hide, disclosure.SUPPRESSED_TEXT,
                      value_text + " (" + nl_text + " learners)")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(hide | (n <= 0), np.nan, 100 * c / np.where(n > 0, n, 1))
    return suppression.whole_text(c), nl_text, value_text, phrase, value


def _per_100_text(v: np.ndarray, count_text: np.ndarray, n_text: np.ndarray, *,
                  hide: np.ndarray, markers: list[str], published: bool) -> tuple:
    """The texts of a rate per 100 learners (:func:`_block`) with its count and learners.
    Even a rate of zero is hidden for a small group ("0 exclusions, 6 learners" tells a
    reader something about every one of the six), and so is its count in a published
    cell (the rate times n)."""
    value_text = one_decimal(v)
    hide = (hide | np.isin(count_text, markers) | np.isin(n_text, markers)
            ) & (value_text != NO_DATA)
    value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, value_text)
    count_text = np.where(hide & published & (count_text != NO_DATA),
                          disclosure.SUPPRESSED_TEXT, count_text)
    phrase = (value_text + f" per {EXCLUSIONS_PER} (" + count_text
              + np.where(count_text == "1", " exclusion, ", " exclusions, ") + n_text
              + " learners)")
    return count_text, n_text, value_text, phrase, np.where(hide, np.nan, v)


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
    if unit == "places":
        count_text, n_text, value_text, phrase, value = _places_text(
            c, n, nl_text, published=published, thresholds=thresholds)
    else:
        # a statistic of a group of learners too small for one is hidden
        hide = published & (nl < thresholds.min_denominator)
        if unit == "sessions":
            count_text, n_text, value_text, phrase, value = _sessions_text(
                c, n, nl_text, hide=hide, markers=markers)
        else:
            count_text, n_text, value_text, phrase, value = _per_100_text(
                sub["value"].to_numpy(dtype=float), counts_text(c), nl_text, hide=hide,
                markers=markers, published=published)
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
    for _m, sub in worded.groupby("measure", sort=False):  # a dozen measures
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
    on = (_(" on {date}").format(date=format_date(census_date, "day"))
          if census_date is not None else _(" on the census date"))
    out = []
    for _i, row in display.iterrows():  # one sentence per measure and group
        kind, label = row["group_type"], row["group_label"]
        noun = _group_noun(noun_words(row["noun"]), kind, label)
        srb = label if kind == "srb_id" else None
        need = label if kind == "primary_need" else None
        unit, hidden = row["unit"], row["value_text"] == disclosure.SUPPRESSED_TEXT
        if unit == "learners":
            text = cell_sentence(row, noun=noun, predicate=predicate_words(row["measure"]),
                                 forms=forms, thresholds=t)
        elif row["quantifier"] == NO_DATA:  # the group is named in the sentence
            out.append(_no_data_sentence(unit, srb, need))
            continue
        elif unit == "places":
            text = (_("{count} of {n} places ({share}) were unfilled{on}.").format(
                count=row["count_text"], n=row["n_text"], share=row["value_text"], on=on)
                if not hidden and row["phrase"] != disclosure.SUPPRESSED_TEXT else
                _("Unfilled places are not shown{on} (a small number on roll).").format(on=on))
        elif row["quantifier"] == TOO_FEW:  # the group is named in the sentence
            # its n only where its cell gives it (internal): a published cell does not
            out.append(_too_few_sentence(unit, None if row["cell"] == TOO_FEW
                                         else row["n_text"], srb, need))
            continue
        elif unit == "sessions":
            text = (_("{noun} attended {value} of possible half-day sessions ({n} "
                      "learners).").format(noun=noun, value=row["value_text"],
                                           n=row["n_text"]) if not hidden else
                    (_("Attendance for learners with {need} as their primary need is not "
                       "shown (fewer than {k} learners).") if need is not None else
                     _("Attendance is not shown (fewer than {k} learners).")).format(
                        need=need, k=t.min_denominator))
        else:
            text = ((_("There were {rate} fixed-term exclusions per {per} {noun} (1 exclusion "
                       "among {n} learners).") if row["count_text"] == "1" else
                     _("There were {rate} fixed-term exclusions per {per} {noun} ({count} "
                       "exclusions among {n} learners)."))
                if not hidden else
                (_("The rate of fixed-term exclusions for learners with {need} as their "
                   "primary need is not shown (small numbers: {count} exclusions among {n} "
                   "learners).") if need is not None else
                 _("The rate of fixed-term exclusions is not shown (small numbers: {count} "
                   "exclusions among {n} learners)."))).format(
                rate=row["value_text"], per=EXCLUSIONS_PER, noun=noun, need=need,
                count=row["count_text"], n=row["n_text"])
        if srb is not None:
            text = _("In {srb}, {sentence}").format(srb=srb, sentence=text[:1].lower() + text[1:])
        out.append(text[:1].upper() + text[1:])
    return pd.Series(out, index=display.index, dtype=object)


def _no_data_sentence(unit: str, srb: str | None, need: str | None) -> str:
    """ "There is no data on attendance in <SRB>." (attendance, exclusions or places)."""
    if srb is not None:
        words = {"sessions": _("There is no data on attendance in {srb}."),
                 "per_100": _("There is no data on exclusions in {srb}."),
                 "places": _("There is no data on places in {srb}.")}
    elif need is not None:
        words = {"sessions": _("There is no data on attendance for learners with {need} as "
                               "their primary need."),
                 "per_100": _("There is no data on exclusions for learners with {need} as "
                              "their primary need."),
                 "places": _("There is no data on places for learners with {need} as their "
                             "primary need.")}
    else:
        words = {"sessions": _("There is no data on attendance."),
                 "per_100": _("There is no data on exclusions."),
                 "places": _("There is no data on places.")}
    return words[unit].format(srb=srb, need=need)


def _too_few_sentence(unit: str, n: str | None, srb: str | None, need: str | None) -> str:
    """ "There were too few learners (3) to judge attendance in <SRB>."; without the
    number when ``n`` is None."""
    if n is None:
        return _too_few_words(unit, srb, need)
    if srb is not None:
        words = {"sessions": _("There were too few learners ({n}) to judge attendance in "
                               "{srb}."),
                 "per_100": _("There were too few learners ({n}) to judge the rate of "
                              "fixed-term exclusions in {srb}.")}
    elif need is not None:
        words = {"sessions": _("There were too few learners ({n}) to judge attendance for "
                               "learners with {need} as their primary need."),
                 "per_100": _("There were too few learners ({n}) to judge the rate of "
                              "fixed-term exclusions for learners with {need} as their "
                              "primary need.")}
    else:
        words = {"sessions": _("There were too few learners ({n}) to judge attendance."),
                 "per_100": _("There were too few learners ({n}) to judge the rate of "
                              "fixed-term exclusions.")}
    return words[unit].format(n=n, srb=srb, need=need)


def _too_few_words(unit: str, srb: str | None, need: str | None) -> str:
    """ "There were too few learners to judge attendance in <SRB>." (no number)."""
    if srb is not None:
        words = {"sessions": _("There were too few learners to judge attendance in {srb}."),
                 "per_100": _("There were too few learners to judge the rate of fixed-term "
                              "exclusions in {srb}.")}
    elif need is not None:
        words = {"sessions": _("There were too few learners to judge attendance for "
                               "learners with {need} as their primary need."),
                 "per_100": _("There were too few learners to judge the rate of fixed-term "
                              "exclusions for learners with {need} as their primary need.")}
    else:
        words = {"sessions": _("There were too few learners to judge attendance."),
                 "per_100": _("There were too few learners to judge the rate of fixed-term "
                              "exclusions.")}
    return words[unit].format(srb=srb, need=need)


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
        return _(NO_DATA)
    if section == "standards":
        judged = d.loc[d["judged"].astype(bool) & (d["quantifier"] != NOT_JUDGED)]
        if len(judged) == 0:
            return _("too few learners had their progress measured to judge")
        english = current_language() == LANGUAGES[0]
        terms = term_words()
        clauses = []
        for w in dict.fromkeys(judged["quantifier"]):  # the quantifiers met, a handful
            areas = join_and(area_label(m.removeprefix("progress_"))
                             for m in judged.loc[judged["quantifier"] == w, "measure"])
            form = forms.get(w, "").lower()
            clauses.append(
                _("{quantifier} learners made at least expected progress in {areas}").format(
                    quantifier=form, areas=areas) if not clauses else
                _("{quantifier} did in {areas}").format(
                    quantifier=form.removesuffix(" of").removesuffix(" of the")
                    if english else terms.get(w, w), areas=areas))
        return "; ".join(clauses)
    parts = []
    for _i, row in d.iterrows():
        if not row["judged"]:
            continue
        if row["unit"] == "learners":
            if row["quantifier"] == NOT_JUDGED:  # published with a number hidden
                continue
            parts.append(_("{quantifier} {noun} {predicate}").format(
                quantifier=forms.get(row["quantifier"], "").lower(),
                noun=noun_words(row["noun"]), predicate=predicate_words(row["measure"])))
        elif row["value_text"] in markers:
            continue
        elif row["unit"] == "sessions":
            parts.append(_("attendance was {value} of possible sessions").format(
                value=row["value_text"]))
        elif row["unit"] == "per_100":
            parts.append(_("{value} fixed-term exclusions per {per} learners").format(
                value=row["value_text"], per=EXCLUSIONS_PER))
        elif row["unit"] == "places":
            parts.append(_("{value} of places were unfilled at the census").format(
                value=row["value_text"]))
    if not parts:
        return _("too few learners to judge")
    return "; ".join(parts[:2])
