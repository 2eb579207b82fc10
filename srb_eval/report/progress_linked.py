"""The learner progress report's published tables protected together.

Two kinds of link make a hidden count recoverable, and this module holds the rules for
both, so that a report calls one function per table:

- tables of one report that state the same counts (the bands by instrument and area and
  the reliable change classes of a standard score; the results measured of the table of
  gains), and
- a per-SRB report against the all-SRB report rendered with it: a resource base's count
  appears in the all-SRB report's row for it and in its own report, and a count the
  all-SRB report hides is the sum of the resource bases' parts.

The display functions (:mod:`srb_eval.report.progress_tables`,
:func:`srb_eval.report.targets.display_gas`) hide what they are told; the functions here
say what to hide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..measures import progress_groups as G
from ..measures.roll import learners_placed
from ..measures.targets import gas_summary
from . import disclosure, joint_protection
from .cube_protection import MAX_AUDITED_HIDDEN
from .disclosure import DEFAULT_THRESHOLDS, Thresholds
from .progress_records import judged_known
from .progress_tables import (
    BAND_COUNT_NAMES,
    BAND_RESULT_NAMES,
    RCI_BAND_NAMES,
    display_bands,
    display_rci,
    with_total,
)
from .targets import GAS_COUNT_NAMES, display_gas

__all__ = ["bands_by_area", "bands_by_group", "gas_by_srb", "hidden_in_all", "hidden_parts",
           "known_from", "learners_by_need_together", "part_bounds", "published_srbs",
           "reliable_change_table", "slice_hidden", "small_remainders"]

#: The columns that identify a result's instrument and area.
PAIRS = ["instrument", "area"]


def bands_by_area(progress: pd.DataFrame, summary: pd.DataFrame, gains: pd.DataFrame, *,
                  audience: str, progress_all: pd.DataFrame | None = None) -> pd.DataFrame:
    """The published table of expected progress by instrument and area.

    ``progress`` is the report's :func:`~srb_eval.measures.progress.dataset_progress`,
    ``summary`` its :func:`~srb_eval.measures.progress_groups.group_summary` and ``gains``
    the shown copy of it (:func:`~srb_eval.report.progress_tables.display_gains`), whose
    results measured readers know (:func:`~srb_eval.report.progress_records.judged_known`).
    ``progress_all``: the all-SRB report's progress, given for a per-SRB report: its
    counts of results are parts of the all-SRB counts (:func:`hidden_parts`,
    :func:`part_bounds`) and its band counts are hidden (:func:`slice_hidden`).
    Returns the :func:`~srb_eval.report.progress_tables.display_bands` table.
    """
    linked = {}
    if progress_all is not None:
        area_all = G.band_summary(progress_all, by=PAIRS)
        area_all_shown = display_bands(area_all, audience=audience,
                                       total=G.band_summary(progress_all))
        linked = {"as_c": hidden_parts(summary, area_all, area_all_shown, on=PAIRS,
                                       columns=BAND_RESULT_NAMES),
                  "at_most": part_bounds(summary, area_all, area_all_shown, on=PAIRS,
                                         columns=BAND_RESULT_NAMES),
                  "hidden": slice_hidden(summary)}
    return display_bands(summary, audience=audience, total=G.band_summary(progress),
                         known=judged_known(summary, gains, progress), **linked)


def bands_by_group(progress: pd.DataFrame, *, by: str, srb: str, audience: str,
                   labels: dict[str, str] | None = None,
                   progress_all: pd.DataFrame | None = None,
                   others: Sequence[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table of expected progress by ``by`` (``"srb_id"`` or ``"primary_need"``),
    with its ``"all"`` row, as measured and as shown.

    ``progress_all``: the all-SRB report's progress, given for the report of resource
    base ``srb``: it hides at least what the all-SRB report hides of its resource base
    (:func:`hidden_in_all`), and where the all-SRB report hides a band count of a group
    (:func:`hidden_parts`), that group's counts of results are hidden here too, as
    ``"[c]"``: the all-SRB row's shown counts less those shown here would narrow the
    other resource bases' parts. ``others``: the other resource bases whose
    published reports the render publishes (:func:`published_srbs`); with them, the
    learners of the table by need are protected together with theirs
    (:func:`learners_by_need_together`).
    """
    table = with_total(G.band_summary(progress, by=by), G.band_summary(progress), by)
    linked = {}
    if progress_all is not None:
        published = disclosure.check_audience(audience) == "published"
        rest = (small_remainders(progress_all, sorted({srb, *map(str, others)}), by=by)
                if others and by == "primary_need" and published else [])
        linked = _linked_to_all(table, _all_srb_tables(progress_all, by=by,
                                                       audience=audience), by=by, srb=srb,
                                rest=rest)
    shown = display_bands(table, audience=audience, labels=labels, **linked)
    if progress_all is not None and others and by == "primary_need":
        shown = learners_by_need_together(progress_all, shown, srb=srb, others=others,
                                          audience=audience)
    return table, shown


def small_remainders(progress_all: pd.DataFrame, others: Sequence[str], *,
                     by: str = "primary_need",
                     thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """The groups (values of ``by``) whose results outside the resource bases with a
    published report (``others``) are a group readers can work out and that is too
    small: the all-SRB report's row less the published reports' rows holds 1 to
    ``max(min_denominator, min_count) - 1`` learners, or a band count from 1 to
    ``min_count - 1``. Each learner's progress is of one resource base, so the rows add
    up. Every published per-SRB report hides those groups' counts of results
    (:func:`bands_by_group`), so that the difference gives none of them; where the
    tables are few enough, :func:`learners_by_need_together` then checks and completes
    that protection by integer programming. On the demo data, ASD: 72 learners in all,
    27 in SRB01 and 37 in SRB05, so 8 elsewhere.
    """
    counts = ["n_learners", "n_banded", "n_below", "n_expected", "n_above"]
    shown_in = progress_all["srb_id"].astype("str").isin(list(map(str, others))).to_numpy()
    whole = G.band_summary(progress_all, by=by).set_index(by)[counts]
    parts = G.band_summary(progress_all.loc[shown_in], by=by).set_index(by)[counts]
    rest = whole.sub(parts.reindex(whole.index).fillna(0))
    group = max(thresholds.min_denominator, thresholds.min_count)
    small = (rest["n_learners"].between(1, group - 1)
             | rest[counts[1:]].apply(lambda c: c.between(1, thresholds.min_count - 1))
             .any(axis=1))
    return [str(g) for g in rest.index[small.to_numpy()]]


def _all_srb_tables(progress_all: pd.DataFrame, *, by: str, audience: str,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[pd.DataFrame, ...]:
    """The all-SRB report's tables by ``by`` and by SRB, as measured and as shown."""
    total_all = G.band_summary(progress_all)
    all_by = with_total(G.band_summary(progress_all, by=by), total_all, by)
    all_srbs = with_total(G.band_summary(progress_all, by="srb_id"), total_all, "srb_id")
    return (all_by, display_bands(all_by, audience=audience, thresholds=thresholds),
            all_srbs, display_bands(all_srbs, audience=audience, thresholds=thresholds))


def _linked_to_all(table: pd.DataFrame, all_tables: tuple[pd.DataFrame, ...], *, by: str,
                   srb: str, rest: Sequence[str] = ()) -> dict:
    """What the table of resource base ``srb`` hides for the all-SRB report's tables
    (:func:`_all_srb_tables`), and the counts of results of the groups in ``rest``
    (:func:`small_remainders`): the ``hidden`` and ``as_c`` of
    :func:`~srb_eval.report.progress_tables.display_bands`."""
    all_by, all_by_shown, all_srbs, all_srbs_shown = all_tables
    parts = hidden_parts(table, all_by, all_by_shown, on=[by], columns=BAND_RESULT_NAMES)
    hidden = hidden_in_all(all_srbs, all_srbs_shown, table, by=by, srb=srb,
                           columns=BAND_COUNT_NAMES)
    # a group whose all-SRB band counts are not all shown hides its counts of results
    # here too (#14): shown, with the all-SRB row's shown counts they narrow the other
    # resource bases' parts, which their own reports hide (the zeros of their small
    # groups included)
    gone = np.logical_or.reduce([parts[c] for c in ("n_below", "n_expected", "n_above")])
    gone |= table[by].astype("str").isin(list(map(str, rest))).to_numpy()
    for c in BAND_RESULT_NAMES:
        hidden[c] = np.asarray(hidden.get(c, False), dtype=bool) | gone
    return {"hidden": hidden, "as_c": parts}


def published_srbs(placements: pd.DataFrame, srb_ids: Sequence[str], *,
                   thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """The resource bases whose published per-SRB report is not withheld as too small
    (:func:`srb_eval.report.disclosure.too_small_to_publish` of the learners ever placed
    there, the rule of the report's withheld notice), sorted.

    >>> p = pd.DataFrame({"learner_id": [f"L{i}" for i in range(25)] + ["L0"],
    ...                   "srb_id": ["S1"] * 25 + ["S2"]})
    >>> published_srbs(p, ["S2", "S1"])
    ['S1']
    """
    return [s for s in sorted(map(str, srb_ids)) if not disclosure.too_small_to_publish(
        learners_placed(placements, s), thresholds)]


def learners_by_need_together(progress_all: pd.DataFrame, shown: pd.DataFrame, *, srb: str,
                              others: Sequence[str], audience: str,
                              thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The published table by need of the report of resource base ``srb`` with its
    learners protected together with the tables by need of the ``others`` (the other
    resource bases with a published report) and the all-SRB report's tables by need and
    by SRB.

    Each learner's progress is of one resource base
    (:func:`srb_eval.measures.attribution.latest_placements`), so a need's learners in
    the all-SRB report are the sum of that need's learners in every resource base, and
    the "all" row of a per-SRB table is that resource base's row of the all-SRB table by
    SRB. Protected one report at a time, the reports about SRB01 and SRB05 with the
    all-SRB report narrowed SRB01's hidden SLCN learners to 1 to 2 (13 in all, 11 in
    SRB05) and the all-SRB report's hidden MLD learners to 2 to 10 (two "<5" parts).
    Every per-SRB report protects all of them the same way
    (:func:`srb_eval.report.joint_protection.protect_together`, the all-SRB tables
    fixed: their shown counts known, their hidden ones kept hidden) and shows its own.

    Parameters
    ----------
    progress_all : pandas.DataFrame
        The all-SRB report's :func:`~srb_eval.measures.progress.dataset_progress`.
    shown : pandas.DataFrame
        The report's table by need as :func:`bands_by_group` shows it.
    srb : str
    others : sequence of str
        The resource bases of :func:`published_srbs` (``srb`` among them or not).
    audience : {"internal", "published"}

    Returns
    -------
    pandas.DataFrame
        A copy of ``shown``, only ever hiding more (internal: ``shown``).
    """
    if disclosure.check_audience(audience) != "published":
        return shown
    by = "primary_need"
    # the all-SRB tables (fixed), and each resource base's rows, made once
    all_tables = _all_srb_tables(progress_all, by=by, audience=audience,
                                 thresholds=thresholds)
    values, shows = [all_tables[0], all_tables[2]], [all_tables[1], all_tables[3]]
    # (in one order in every report, so that each makes the same choices)
    srbs = sorted({str(srb), *map(str, others)})
    rows = dict(tuple(progress_all.groupby(progress_all["srb_id"].astype("str"),
                                           sort=False)))
    rest = small_remainders(progress_all, srbs, by=by, thresholds=thresholds)
    for s in srbs:
        mine = rows.get(s, progress_all.iloc[:0])
        t = with_total(G.band_summary(mine, by=by), G.band_summary(mine), by)
        values.append(t)
        # (as bands_by_group shows the table of resource base s)
        shows.append(shown if s == srb else display_bands(
            t, audience=audience, thresholds=thresholds,
            **_linked_to_all(t, all_tables, by=by, srb=s, rest=rest)))
    values = [v.reset_index(drop=True) for v in values]
    keys = [v[by if i != 1 else "srb_id"].astype("str").tolist()
            for i, v in enumerate(values)]
    totals = [k.index("all") if "all" in k else None for k in keys]
    links = []
    for r, need in enumerate(keys[0]):
        if need == "all":
            continue
        parts = [(i, keys[i].index(need)) for i in range(2, len(values)) if need in keys[i]]
        if parts:
            links.append(((0, r), parts))
    for i, s in enumerate(srbs, start=2):
        if s in keys[1] and totals[i] is not None:
            links.append(((1, keys[1].index(s)), [(i, totals[i])]))
    bands = ["n_below", "n_expected", "n_above"]
    marks = [thresholds.small_count_text, disclosure.SUPPRESSED_TEXT]
    n_hidden = sum(int(sh[list(BAND_COUNT_NAMES.values())].isin(marks).to_numpy().sum())
                   for sh in shows)
    if n_hidden <= MAX_AUDITED_HIDDEN:
        out = joint_protection.protect_together(
            values, shows, BAND_COUNT_NAMES, totals=totals, links=links,
            fixed=[True, True] + [False] * len(srbs), thresholds=thresholds, strict=True,
            row_sums={"n_banded": bands}, group="n_learners",
            percents={f"% {b[2:]}": (BAND_COUNT_NAMES[b], BAND_COUNT_NAMES["n_banded"])
                      for b in bands})
    else:  # too many for one programme (all Wales): the learners alone, as before the
        # remainders, and no need's counts of results (hiding only the small remainders'
        # let a need whose remainder is known to be 0 give them back through the "all"
        # row; the "all" row is the all-SRB report's row of this resource base)
        out = joint_protection.protect_together(
            values, shows, {"n_learners": BAND_COUNT_NAMES["n_learners"]}, totals=totals,
            links=links, fixed=[True, True] + [False] * len(srbs), thresholds=thresholds,
            strict=True)
        mine = 2 + srbs.index(str(srb))
        needs = np.asarray(keys[mine]) != "all"
        results = [BAND_COUNT_NAMES[c] for c in BAND_RESULT_NAMES] + [
            f"% {b[2:]}" for b in bands]
        gone = out[mine].copy()
        gone.loc[needs, results] = disclosure.SUPPRESSED_TEXT
        out[mine] = gone
    return out[2 + srbs.index(str(srb))]


def reliable_change_table(rci: pd.DataFrame, summary: pd.DataFrame, gains: pd.DataFrame,
                          area_bands: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """The published table of reliable change by instrument and area.

    ``rci`` is the :func:`~srb_eval.measures.progress_groups.rci_summary`; ``summary``
    and ``gains`` the table of gains as measured and shown; ``area_bands`` the shown
    table of bands by instrument and area (:func:`bands_by_area`). A standard score's band
    is its reliable change class, so what the table of bands hides is hidden here too,
    unless the table of gains shows it (:func:`known_from`). Returns the
    :func:`~srb_eval.report.progress_tables.display_rci` table.
    """
    known = known_from(rci, summary, gains, on=PAIRS, columns={"n": "results measured"})
    hidden = hidden_parts(rci, summary, area_bands, on=PAIRS, columns=RCI_BAND_NAMES,
                          unless=known, texts=[disclosure.SUPPRESSED_TEXT])
    return display_rci(rci, audience=audience, known=known, hidden=hidden, as_c=hidden)


def gas_by_srb(scores: pd.DataFrame, *, srb: str, audience: str,
               labels: dict[str, str] | None = None,
               scores_all: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table of target attainment by resource base, with its ``"all"`` row, as
    measured and as shown (:func:`~srb_eval.report.targets.display_gas`).

    ``scores`` are the report's :func:`~srb_eval.measures.targets.review_scores`;
    ``scores_all``: the all-SRB report's, given for the report of resource base ``srb``,
    which hides at least what the all-SRB report hides of it (:func:`hidden_in_all`).
    """
    table = with_total(gas_summary(scores, by="srb_id"), gas_summary(scores), "srb_id")
    hidden = None
    if scores_all is not None:
        table_all = with_total(gas_summary(scores_all, by="srb_id"), gas_summary(scores_all),
                               "srb_id")
        hidden = hidden_in_all(table_all, display_gas(table_all, audience=audience), table,
                               by="srb_id", srb=srb, columns=GAS_COUNT_NAMES)
    return table, display_gas(table, audience=audience, labels=labels, hidden=hidden)


def hidden_in_all(all_table: pd.DataFrame, all_shown: pd.DataFrame, table: pd.DataFrame, *,
                  by: str, srb: str, columns: Mapping[str, str]) -> dict[str, np.ndarray]:
    """The counts of a per-SRB report that the all-SRB report hides for its resource base.

    A count of resource base ``srb`` appears in the all-SRB report (its row of a table by
    SRB) and in that resource base's own report (the row of ``srb`` or ``"all"`` of
    ``table``, grouped by ``by``): if one report hides what the other shows, a reader of
    both has it. Both reports are rendered from the same data with the same parameters,
    so the per-SRB report hides at least what the all-SRB one does.

    Parameters
    ----------
    all_table, all_shown : pandas.DataFrame
        The all-SRB table by ``srb_id`` (as measured) and its published copy (same rows).
    table : pandas.DataFrame
        The per-SRB report's table (as measured).
    by : str
        Its group column (its rows of ``srb`` and ``"all"`` are the resource base's).
    srb : str
    columns : dict of str to str
        ``{count column of the tables: column of all_shown}``.

    Returns
    -------
    dict of str to numpy.ndarray of bool
        ``{count column: rows of table}`` to hide (the ``hidden`` of
        :func:`display_bands` or :func:`srb_eval.report.targets.display_gas`).

    Examples
    --------
    >>> a = pd.DataFrame({"srb_id": ["S1", "S2", "all"], "k": [9, 3, 12]})
    >>> shown = pd.DataFrame({"srb_id": ["S1", "S2", "all"], "k": ["[c]", "<5", "12"]})
    >>> t = pd.DataFrame({"need": ["A", "B", "all"], "k": [6, 3, 9]})
    >>> hidden_in_all(a, shown, t, by="need", srb="S1", columns={"k": "k"})["k"].tolist()
    [False, False, True]
    """
    markers = [disclosure.DEFAULT_THRESHOLDS.small_count_text, disclosure.SUPPRESSED_TEXT]
    at = all_table["srb_id"].astype("str").to_numpy() == srb
    mine = table[by].astype("str").isin([srb, "all"]).to_numpy()
    return {c: mine & bool(all_shown.loc[at, col].isin(markers).any())
            for c, col in columns.items()}


def _shown_at(table: pd.DataFrame, other: pd.DataFrame, other_shown: pd.DataFrame,
              on: Sequence[str], column: str) -> pd.Series:
    """For each row of ``table``, the text ``other_shown`` gives in ``column`` for the
    row of ``other`` with the same ``on`` values ("" where there is none)."""
    keys = other[list(on)].astype("str").assign(_text=other_shown[column].astype(
        "str").to_numpy())
    found = table[list(on)].astype("str").merge(keys, on=list(on), how="left")
    return found["_text"].fillna("")


def hidden_parts(table: pd.DataFrame, all_table: pd.DataFrame, all_shown: pd.DataFrame, *,
                 on: Sequence[str], columns: Mapping[str, str],
                 thresholds: Thresholds = DEFAULT_THRESHOLDS,
                 unless: Mapping[str, np.ndarray] | None = None,
                 texts: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Counts of a per-SRB report that are parts of a count the all-SRB report hides.

    The all-SRB report's count of a group (a primary need, an instrument and area) is the
    sum of the resource bases' counts of it. Where it is hidden, two ``"<5"`` parts in two
    per-SRB reports would narrow it (to at least 2), so a per-SRB report shows its small
    part as ``"[c]"`` (the ``as_c`` of
    :func:`~srb_eval.report.progress_wording.line_counts`).

    Returns ``{count column: rows of table}``; ``on`` are the group columns shared by
    ``table`` and ``all_table`` (``all_shown`` is the published copy of ``all_table``,
    same rows), ``columns`` maps count columns to columns of ``all_shown``; ``unless``:
    ``{count column: rows}`` left out (counts readers know anyway, :func:`known_from`);
    ``texts``: the shown texts that count as hidden (default ``"<5"`` and ``"[c]"``).

    Examples
    --------
    >>> a = pd.DataFrame({"need": ["A", "B"], "k": [9, 3]})
    >>> shown = pd.DataFrame({"need": ["A", "B"], "k": ["9", "<5"]})
    >>> t = pd.DataFrame({"need": ["B", "A"], "k": [2, 4]})
    >>> hidden_parts(t, a, shown, on=["need"], columns={"k": "k"})["k"].tolist()
    [True, False]
    """
    markers = list(texts or [thresholds.small_count_text, disclosure.SUPPRESSED_TEXT])
    return {c: _shown_at(table, all_table, all_shown, on, col).isin(markers).to_numpy()
            & ~np.asarray((unless or {}).get(c, np.zeros(len(table), bool)), dtype=bool)
            for c, col in columns.items()}


def part_bounds(table: pd.DataFrame, all_table: pd.DataFrame, all_shown: pd.DataFrame, *,
                on: Sequence[str], columns: Mapping[str, str],
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict[str, np.ndarray]:
    """What a reader of the all-SRB report knows of a per-SRB report's counts: each is a
    part of the all-SRB count of its group, so at most what that shows (``"48"``: 48;
    ``"<5"``: 4; hidden: nothing, ``inf``). ``{count column: bound of each row of
    table}``, for the ``at_most`` of
    :func:`~srb_eval.report.progress_wording.line_counts`.

    Examples
    --------
    >>> a = pd.DataFrame({"need": ["A", "B", "C"]})
    >>> shown = pd.DataFrame({"need": ["A", "B", "C"], "k": ["48", "<5", "[c]"]})
    >>> t = pd.DataFrame({"need": ["C", "B", "A"]})
    >>> part_bounds(t, a, shown, on=["need"], columns={"k": "k"})["k"].tolist()
    [inf, 4.0, 48.0]
    """
    out = {}
    for c, col in columns.items():
        text = _shown_at(table, all_table, all_shown, on, col).str.replace(",", "")
        exact = pd.to_numeric(text.where(text.str.isdigit()), errors="coerce")
        out[c] = exact.where(text != thresholds.small_count_text,
                             thresholds.min_count - 1).fillna(np.inf).to_numpy(dtype=float)
    return out


def slice_hidden(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """``{band count column: every row}``: the band counts a per-SRB report hides in its
    table by instrument and area.

    That table is one slice (its resource base) of a three-way table, resource base by
    instrument and area by band, whose margins the all-SRB report publishes (by SRB; by
    instrument and area) and whose other slices the other per-SRB reports do; with them,
    a band count one report hides follows from the others' (the demo's SRB01, SRB05 and
    all-SRB reports narrowed SRB01's below expected in literacy to 3 to 23). Protecting
    one slice against all the others needs every report at once, so a per-SRB report
    shows its results judged by instrument and area, and its bands by need and overall.

    >>> slice_hidden(pd.DataFrame({"n_below": [3, 9]}))["n_below"].tolist()
    [True, True]
    """
    return {c: np.ones(len(table), dtype=bool) for c in ("n_below", "n_expected", "n_above")}


def known_from(table: pd.DataFrame, other: pd.DataFrame, other_shown: pd.DataFrame, *,
               on: Sequence[str], columns: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Counts of ``table`` that another published table of the report states exactly.

    ``{count column of table: rows}`` where the row of ``other`` with the same ``on``
    values shows the same count (``columns`` maps count columns of ``table`` to columns
    of ``other_shown``, the published copy of ``other``): readers know them whatever
    ``table`` shows (the ``known`` of
    :func:`~srb_eval.report.progress_wording.line_counts`).

    Examples
    --------
    >>> o = pd.DataFrame({"area": ["lit", "num"]})
    >>> shown = pd.DataFrame({"area": ["lit", "num"], "n": ["75", "[c]"]})
    >>> t = pd.DataFrame({"area": ["num", "lit"]})
    >>> known_from(t, o, shown, on=["area"], columns={"n": "n"})["n"].tolist()
    [False, True]
    """
    return {c: _shown_at(table, other, other_shown, on, col).str.replace(
        ",", "", regex=False).str.isdigit().to_numpy() for c, col in columns.items()}
