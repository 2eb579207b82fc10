"""Disclosure records of the learner progress report's published tables, for the audit.

Each function here describes one table family of ``notebooks/10_learner_progress`` (its
display function is in :mod:`srb_eval.report.progress_tables` or
:mod:`srb_eval.report.targets`) as a record of :mod:`srb_eval.report.audit`, built with
:func:`srb_eval.report.table_records.table_record`: what every count cell shows, which
population (*measure*) it counts and which categories add up to which totals.

The populations are named by :func:`progress_measures` from the window and areas that
define them, so the all-SRB report and each per-SRB report of one render name the same
learners alike (a per-SRB report fixes ``srb_id``). Every category list comes from the
dataset (:func:`progress_categories`), never from one report's rows, so the records of
several reports can be audited together. A count that a reader knows to be a subset of
another (results judged of results measured; learners with a follow-up of learners
assessed) is recorded through a yes/no dim and the combinations known to be empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..measures.benchmarks import brooks_bands
from ..measures.progress import BANDS
from .audit import Partition
from .disclosure import DEFAULT_THRESHOLDS, SUPPRESSED_TEXT, Thresholds
from .table_records import table_record

__all__ = ["bands_record", "comparisons_record", "coverage_record", "gains_record",
           "gas_records", "judged_known", "measured_texts", "moves_measures", "pair_label", "progress_categories", "rci_banded_pairs", "progress_measures", "ratio_gain_record",
           "rci_record"]

_STATUSES = ("measured", "too soon to judge", "no follow-up yet")
_RCI = ("reliable improvement", "no reliable change", "reliable deterioration")
_YES_NO = ("yes", "no")
#: The category of reviews not attributed to any resource base.
NO_SRB = "none"


def progress_measures(*, window_start: Any = None, window_end: Any = None,
                      areas: Any = "all") -> dict[str, str]:
    """The names of the populations the progress report counts, from what defines them.

    Two reports with the same window and areas count the same results, learners, targets
    and reviews (a per-SRB report counts those of its resource base, recorded with
    ``srb_id`` fixed), so they get the same names and their records are audited as one.

    Returns
    -------
    dict of str to str
        ``results`` (progress results: learner, instrument and area), ``judged``
        (results judged against an expectation, by band), ``learners`` (learners with a
        result), ``learners_measured`` (with a result measured over at least a term),
        ``placed`` (learners placed), ``ratio_gains``, ``gaps`` (age-equivalent results
        with a baseline gap), ``compared`` (learners compared, one result each),
        ``targets``, ``reviews``, ``area_reviews`` and ``target_learners``.

    Examples
    --------
    >>> progress_measures()["results"]
    'progress results (learner, instrument and area), start of the data to end of the data'
    """
    start = "start of the data" if window_start is None else str(
        pd.Timestamp(window_start).date())
    end = "end of the data" if window_end is None else str(pd.Timestamp(window_end).date())
    where = f", {start} to {end}"
    if areas != "all":
        where += ", areas " + ", ".join(sorted(map(str, areas)))
    targets = f", reviews {start} to {end}"
    return {
        "results": "progress results (learner, instrument and area)" + where,
        "judged": "progress results judged against an expectation" + where,
        "learners": "learners with a progress result" + where,
        "learners_measured": "learners with progress measured over at least a term" + where,
        "placed": "learners placed, by assessment and follow-up" + where,
        "ratio_gains": "ratio gains measured (age-equivalent results)" + where,
        "gaps": "age-equivalent results with a baseline gap known" + where,
        "compared": "learners compared on rate of progress (latest placement)" + where,
        "targets": "targets reviewed" + targets,
        "reviews": "GAS reviews (learner and review date)" + targets,
        "area_reviews": "GAS area scores (learner, review date and area)" + targets,
        "target_learners": "learners with a target reviewed" + targets,
    }


def moves_measures(measures: Mapping[str, str]) -> dict[str, str]:
    """``measures`` (:func:`progress_measures`) with the results judged and the learners
    counted over a stay across a move
    (:func:`srb_eval.measures.moves.progress_across_moves`): other populations than the
    results within a placement, so they are named apart.

    >>> moves_measures(progress_measures())["judged"]
    'progress results over a stay across a move, judged against an expectation, start \
of the data to end of the data'
    """
    where = measures["judged"].removeprefix("progress results judged against an expectation")
    return {**measures,
            "judged": "progress results over a stay across a move, judged against an "
                      "expectation" + where,
            "learners": "learners with a progress result over a stay across a move" + where}


def pair_label(instrument: Any, area: Any) -> str:
    """The category of an instrument and area in records (``"Reading Age, literacy"``)."""
    return f"{instrument}, {area}"


def progress_categories(srbs: pd.DataFrame, learners: pd.DataFrame,
                        assessments: pd.DataFrame | None,
                        targets: pd.DataFrame | None) -> dict[str, list[str]]:
    """Every category of the dims the progress records use, from the whole dataset.

    ``srb_id`` (every resource base), ``primary_need`` (every category of the learners
    table), ``pair`` (every instrument and area assessed, :func:`pair_label`) and
    ``target_area`` (every target area): the same in every report of a render.
    """
    need = learners["primary_need"]
    needs = (list(map(str, need.cat.categories)) if isinstance(need.dtype, pd.CategoricalDtype)
             else sorted(need.dropna().astype("str").unique()))
    # the distinct pairs first (on the categories' codes), then as text
    assessed = None if assessments is None else assessments[
        ["instrument", "area"]].drop_duplicates().astype("str")
    pairs = [] if assessed is None else sorted(
        {pair_label(i, a) for i, a in zip(assessed["instrument"], assessed["area"],
                                           strict=True)})
    areas = [] if targets is None else sorted(targets["area"].astype("str").unique())
    return {"srb_id": sorted(srbs["srb_id"].astype("str").unique()),
            "primary_need": sorted(needs), "pair": pairs, "target_area": areas}


def _record(shown: pd.DataFrame, *, srb: str, keys: Mapping[str, Sequence[str]] | None = None,
            **kwargs: Any) -> dict:
    """:func:`table_record` of ``shown`` with key columns (raw categories) added; in a
    per-SRB report every row is of that resource base (its "all" row too)."""
    s = shown.reset_index(drop=True).copy()
    for col, values in (keys or {}).items():
        s[col] = [srb if srb != "all" and col == "_srb_id" and v == "all" else v
                  for v in map(str, values)]
    return table_record(s, report="", fixed=None if srb == "all" else {"srb_id": srb},
                        **kwargs)


def _srb_partition(measure: str, categories: Mapping[str, Sequence[str]],
                   extra: Sequence[str] = ()) -> Partition:
    return Partition(measure, "srb_id", (*map(str, categories["srb_id"]), *extra))


def _learner_partitions(measure: str, categories: Mapping[str, Sequence[str]]
                        ) -> list[Partition]:
    """Learners by resource base (each learner's progress is of their latest placement,
    :func:`srb_eval.measures.progress.latest_placements`: one SRB each) and by need."""
    return [_srb_partition(measure, categories),
            Partition(measure, "primary_need", tuple(categories["primary_need"]))]


def coverage_record(cov: pd.DataFrame, shown: pd.DataFrame, *, measures: Mapping[str, str],
                    categories: Mapping[str, Sequence[str]], srb: str = "all",
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.progress_tables.display_coverage` table.

    Learners placed are split by three yes/no dims (assessed, a follow-up, progress
    measured; each a subset of the one before); results by status. "more than 44 of 49"
    records the learners without it as ``"<5"``; "fewer than 10 learners" as hidden.
    The learners assessed and measured are also the ``learners`` and
    ``learners_measured`` of the other tables (recorded under those names too).
    """
    texts = dict(zip(shown["item"], shown["value"].astype("str"), strict=True))
    placed, res = measures["placed"], measures["results"]
    flags = {"learners with an assessment": ("assessed", measures["learners"]),
             "learners with a follow-up": ("follow_up", None),
             "learners with progress measured": ("measured", measures["learners_measured"])}
    place_cols: dict[str, dict[str, str]] = {"learners placed": {}}
    other_cols: dict[str, tuple[str, dict[str, str]]] = {}
    row: dict[str, str] = {"learners placed": texts["learners placed"]}
    for item, (dim, also) in flags.items():
        text = texts[item]
        if text.startswith("more than "):
            row[item + " (without)"], place_cols[item + " (without)"] = (
                thresholds.small_count_text, {dim: "no"})
            continue
        count = _count_text(text)
        if count is None:
            continue
        row[item], place_cols[item] = count, {dim: "yes"}
        if also:
            row[item + " (also)"] = count
            other_cols[item + " (also)"] = (also, {})
    status_cols = {}
    for item, status in (("results measured over at least a term", "measured"),
                         ("results too soon to judge", "too soon to judge"),
                         ("results with no follow-up yet", "no follow-up yet")):
        count = _count_text(texts[item])
        if count is not None:
            row[item], status_cols[item] = count, {"status": status}
    if (count := _count_text(texts["results"])) is not None:
        row["results"], status_cols["results"] = count, {}
    frame = pd.DataFrame([row])
    zeros = [{"assessed": "no", "follow_up": "yes"}, {"follow_up": "no", "measured": "yes"}]
    recs = [_record(frame[list(place_cols)], srb=srb, table="coverage", measure=placed,
                    row_dims={}, columns=place_cols, thresholds=thresholds,
                    partitions=[_srb_partition(placed, categories),
                                *(Partition(placed, d, _YES_NO) for d in
                                  ("assessed", "follow_up", "measured"))],
                    known_zeros=zeros),
            _record(frame[list(status_cols)], srb=srb, table="coverage", measure=res,
                    row_dims={}, columns=status_cols, thresholds=thresholds,
                    partitions=_results_partitions(res, categories))]
    for col, (meas, dims) in other_cols.items():
        recs.append(_record(frame[[col]], srb=srb, table="coverage", measure=meas,
                            row_dims={}, columns={col: dims}, thresholds=thresholds,
                            partitions=[_srb_partition(meas, categories)]))
    return _merge(recs)


def _count_text(text: str) -> str | None:
    """The count a coverage phrase states: "141 of 150 (94%)" -> "141"; None if none.

    "more than 24 of 29" (a small complement) and "fewer than 10 learners" state no
    exact count: recorded as hidden.

    >>> [_count_text(t) for t in ("141 of 150 (94%)", "<5 of 328", "more than 24 of 29",
    ...                            "fewer than 10 learners", "921", "no data")]
    ['141', '<5', '[c]', '[c]', '921', None]
    """
    head = text.split(" of ")[0].strip()
    if text.startswith(("fewer than ", "more than ")):
        return SUPPRESSED_TEXT
    if head in ("no data", ""):
        return None
    return head


def _merge(records: Sequence[dict]) -> dict:
    """One record from records of one table (cells, partitions and ratios together)."""
    out = dict(records[0])
    seen: set = set()
    parts = []
    for r in records:
        for p in r["partitions"]:
            k = (p["measure"], p["dim"])
            if k not in seen:
                seen.add(k)
                parts.append(p)
    out["cells"] = [c for r in records for c in r["cells"]]
    out["partitions"] = parts
    out["ratios"] = [q for r in records for q in r["ratios"]]
    return out


def _results_partitions(measure: str, categories: Mapping[str, Sequence[str]]
                        ) -> list[Partition]:
    """Results by resource base, instrument and area, status and reliable change."""
    return [_srb_partition(measure, categories),
            Partition(measure, "pair", tuple(categories["pair"])),
            Partition(measure, "status", _STATUSES),
            Partition(measure, "rci", (*_RCI, "none"))]


def _results_zeros() -> list[dict[str, str]]:
    """Only results measured over at least a term have a reliable change class."""
    return [{"status": s, "rci": c} for s in _STATUSES[1:] for c in _RCI]


def gains_record(summary: pd.DataFrame, shown: pd.DataFrame, *, measures: Mapping[str, str],
                 categories: Mapping[str, Sequence[str]], srb: str = "all",
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.progress_tables.display_gains` table
    (by instrument and area): learners with a result and results measured."""
    keys = {"_pair": [pair_label(i, a) for i, a in zip(summary["instrument"],
                                                        summary["area"], strict=True)]}
    learners = _record(shown[["learners"]], srb=srb, keys=keys, table="progress_by_area",
                       measure=measures["learners"], row_dims={"_pair": "pair"},
                       columns={"learners": {}}, thresholds=thresholds,
                       partitions=_learner_partitions(measures["learners"], categories))
    results = _record(shown[["results measured"]], srb=srb, keys=keys,
                      table="progress_by_area", measure=measures["results"],
                      row_dims={"_pair": "pair"},
                      columns={"results measured": {"status": "measured"}},
                      thresholds=thresholds,
                      partitions=_results_partitions(measures["results"], categories),
                      known_zeros=_results_zeros())
    return _merge([learners, results])


def bands_record(table: pd.DataFrame, shown: pd.DataFrame, *, by: str, table_name: str,
                 measures: Mapping[str, str], categories: Mapping[str, Sequence[str]],
                 srb: str = "all", thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.progress_tables.display_bands` table by
    ``by`` (``"srb_id"`` or ``"primary_need"``, with its "all" row; ``"pair"``: a
    :func:`~srb_eval.measures.progress_groups.group_summary` by instrument and area).

    Results judged are split by band (below, expected, above: they add up to the results
    judged) and by ``srb_id`` and ``primary_need``; learners (with a result) by resource
    base and primary need (a learner has one of each: the SRB of their latest placement,
    :func:`srb_eval.measures.progress.latest_placements`).
    """
    judged, learners = measures["judged"], measures["learners"]
    keys = {f"_{by}": [pair_label(i, a) for i, a in zip(
        table["instrument"], table["area"], strict=True)] if by == "pair" else
        table[by].astype("str").replace({"<NA>": "nan"}).tolist()}
    bands = {f"{b} expected" if b != "expected" else "expected": b for b in BANDS}
    columns = {"results judged": {}, **{col: {"band": b} for col, b in bands.items()}}
    ratios = {f"% {b}": (col, "results judged") for col, b in bands.items()}
    row_dims = {f"_{by}": by}
    parts = _judged_partitions(judged, categories)
    counts = _record(shown, srb=srb, keys=keys, table=table_name, measure=judged,
                     row_dims=row_dims, columns=columns, ratios=ratios, partitions=parts,
                     thresholds=thresholds, total_labels=("all",))
    people = _record(shown[["learners"]], srb=srb, keys=keys, table=table_name,
                     measure=learners, row_dims=row_dims, columns={"learners": {}},
                     thresholds=thresholds, total_labels=("all",),
                     partitions=_learner_partitions(learners, categories))
    return _merge([counts, people])


def _judged_partitions(measure: str, categories: Mapping[str, Sequence[str]]
                       ) -> list[Partition]:
    return [_srb_partition(measure, categories),
            Partition(measure, "primary_need", tuple(categories["primary_need"])),
            Partition(measure, "pair", tuple(categories["pair"])),
            Partition(measure, "band", tuple(BANDS))]


def measured_texts(summary: pd.DataFrame, gains: pd.DataFrame) -> dict[str, str]:
    """``{pair: text}``: the results measured of each instrument and area as the table of
    gains (:func:`~srb_eval.report.progress_tables.display_gains` of ``summary``) shows
    them."""
    return {pair_label(i, a): str(t) for i, a, t in zip(
        summary["instrument"], summary["area"], gains["results measured"], strict=True)}


def judged_known(summary: pd.DataFrame, gains: pd.DataFrame,
                 progress: pd.DataFrame) -> dict[str, np.ndarray]:
    """``{"n_banded": rows}`` of a table of bands by instrument and area (``summary``)
    whose results judged readers know: the results measured the table of gains shows,
    for the instruments and areas judged by reliable change (:func:`rci_banded_pairs`),
    whose every measured result is judged (as :func:`rci_record` records them)."""
    banded = set(rci_banded_pairs(progress))
    shown = gains["results measured"].astype("str").str.replace(",", "").str.isdigit()
    return {"n_banded": np.array([pair_label(i, a) in banded for i, a in zip(
        summary["instrument"], summary["area"], strict=True)]) & shown.to_numpy()}


def rci_banded_pairs(progress: pd.DataFrame) -> list[str]:
    """The instruments and areas (:func:`pair_label`) whose results are all judged by
    reliable change (``band_basis``): their bands are the RCI classes, as the report
    says, so the tables of bands and of reliable change state the same counts."""
    basis = progress["band_basis"].astype("str")
    measured = progress["status"] == "measured"
    pairs = progress.assign(_rci=(basis == "reliable change") | ~measured).groupby(
        ["instrument", "area"], observed=True)["_rci"].all()
    return [pair_label(i, a) for (i, a), ok in pairs.items() if ok]


def rci_record(summary: pd.DataFrame, shown: pd.DataFrame, *, measures: Mapping[str, str],
               categories: Mapping[str, Sequence[str]], srb: str = "all",
               judged_pairs: Sequence[str] = (),
               measured: Mapping[str, str] | None = None,
               thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.progress_tables.display_rci` table.

    Its results measured are the results measured of the same instrument and area in the
    table of gains (the same key); the three classes add up to them. For the
    ``judged_pairs`` (:func:`rci_banded_pairs`) they are also the results judged and the
    bands of the table of bands by instrument and area (deterioration = below, no
    reliable change = expected, improvement = above); ``measured``: ``{pair: text}`` of
    their results measured as the table of gains shows them (the same count).
    """
    res = measures["results"]
    pairs = [pair_label(i, a) for i, a in zip(summary["instrument"], summary["area"],
                                              strict=True)]
    columns = {"results measured": {"status": "measured"},
               **{c: {"status": "measured", "rci": c} for c in _RCI}}
    ratios = {pct: (c, "results measured") for pct, c in zip(
        ("% improved", "% no change", "% deteriorated"), _RCI, strict=True)}
    zeros = _results_zeros() + [{"pair": p, "status": "measured", "rci": "none"}
                                for p in pairs]
    counts = _record(shown, srb=srb, keys={"_pair": pairs}, table="reliable_change",
                     measure=res, row_dims={"_pair": "pair"}, columns=columns,
                     ratios=ratios, partitions=_results_partitions(res, categories),
                     thresholds=thresholds, known_zeros=zeros)
    people = _record(shown[["learners"]], srb=srb, keys={"_pair": pairs},
                     table="reliable_change", measure=measures["learners_measured"],
                     row_dims={"_pair": "pair"}, columns={"learners": {}},
                     partitions=[], thresholds=thresholds)
    recs = [counts, people]
    banded = [p in set(judged_pairs) for p in pairs]
    if any(banded):
        rows = shown.reset_index(drop=True).loc[banded].copy()
        rows["results measured"] = [
            (measured or {}).get(p, t) if t == SUPPRESSED_TEXT else t for p, t in zip(
                [p for p, b in zip(pairs, banded, strict=True) if b],
                rows["results measured"].astype("str"), strict=True)]
        as_bands = {"results measured": ("results judged", {}),
                    **{c: (f"{b} expected" if b != "expected" else b, {"band": b})
                       for c, b in zip(_RCI, ("above", "expected", "below"), strict=True)}}
        rows = rows.rename(columns={c: f"{c} (= {name})" for c, (name, _) in
                                    as_bands.items()})
        rec = _record(rows, srb=srb, keys={"_pair": [p for p, b in zip(
            pairs, banded, strict=True) if b]}, table="reliable_change",
            measure=measures["judged"], row_dims={"_pair": "pair"},
            columns={f"{c} (= {name})": dims for c, (name, dims) in as_bands.items()},
            partitions=_judged_partitions(measures["judged"], categories),
            thresholds=thresholds)
        at = [i for i, b in enumerate(banded) if b]
        for cell in rec["cells"]:
            cell["row"] = at[cell["row"]]  # the shown table's row
        recs.append(rec)
    return _merge(recs)


def ratio_gain_record(summary: pd.DataFrame, shown: pd.DataFrame, *,
                      measures: Mapping[str, str], categories: Mapping[str, Sequence[str]],
                      srb: str = "all", bands: pd.DataFrame | None = None,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.progress_tables.display_ratio_gain` table.

    Ratio gains measured are split by Brooks band; results with a baseline gap known by
    whether the gap meets the placement guidance (those that do not are recorded as the
    table implies them: known where both counts are shown, hidden otherwise).
    """
    b = brooks_bands() if bands is None else bands
    labels = list(dict.fromkeys(b["label"].astype("str")))
    pairs = [pair_label(i, a) for i, a in zip(summary["instrument"], summary["area"],
                                              strict=True)]
    rg, gaps = measures["ratio_gains"], measures["gaps"]
    s = shown.reset_index(drop=True).copy()
    meets = "baseline gap meets placement guidance"
    s["gap short of placement guidance"] = _complement(
        s["gaps known"], s[meets],
        summary["n_gap_known"].to_numpy() - summary["n_meets_guidance"].to_numpy(),
        thresholds)
    ratio = _record(s, srb=srb, keys={"_pair": pairs}, table="ratio_gain", measure=rg,
                    row_dims={"_pair": "pair"},
                    columns={"ratio gains measured": {},
                             **{lab: {"brooks": lab} for lab in labels}},
                    partitions=[_srb_partition(rg, categories),
                                Partition(rg, "pair", tuple(categories["pair"])),
                                Partition(rg, "brooks", tuple(labels))],
                    thresholds=thresholds)
    gap = _record(s, srb=srb, keys={"_pair": pairs}, table="ratio_gain", measure=gaps,
                  row_dims={"_pair": "pair"},
                  columns={"gaps known": {}, meets: {"guidance": "met"},
                           "gap short of placement guidance": {"guidance": "not met"}},
                  partitions=[_srb_partition(gaps, categories),
                              Partition(gaps, "pair", tuple(categories["pair"])),
                              Partition(gaps, "guidance", ("met", "not met"))],
                  thresholds=thresholds)
    people = _record(s, srb=srb, keys={"_pair": pairs}, table="ratio_gain",
                     measure=measures["learners"], row_dims={"_pair": "pair"},
                     columns={"learners": {}}, thresholds=thresholds,
                     partitions=_learner_partitions(measures["learners"], categories))
    return _merge([ratio, gap, people])


def _complement(total: pd.Series, part: pd.Series, values: Any,
                thresholds: Thresholds) -> list[str]:
    """What a shown total and part say of the rest: exact when both are shown, else
    ``"<5"`` for a small rest and ``"[c]"`` for any other."""
    out = []
    for t, p, v in zip(total.astype("str"), part.astype("str"), values, strict=True):
        t_, p_ = t.replace(",", ""), p.replace(",", "")
        if t_.isdigit() and p_.isdigit() and thresholds.round_to is None:
            out.append(f"{int(t_) - int(p_):,}")
        elif 1 <= int(v) < thresholds.min_count:
            out.append(thresholds.small_count_text)
        else:
            out.append(SUPPRESSED_TEXT)
    return out


def gas_records(table: pd.DataFrame, shown: pd.DataFrame, *, by: str, table_name: str,
                measures: Mapping[str, str], categories: Mapping[str, Sequence[str]],
                srb: str = "all", thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.targets.display_gas` table by ``by``
    (``"srb_id"``, with an "all" row, or ``"area"``).

    Targets reviewed are split by met (met or exceeded, not met); reviews (by resource
    base) and area scores (by resource base and area) by T-score (50 or more, below);
    the "not met" and "below 50" counts the table implies are recorded too. Learners
    with a target reviewed are split by resource base (each learner's reviews are of
    their latest placement, :func:`srb_eval.measures.targets.review_scores`).
    """
    s = shown.reset_index(drop=True).copy()
    t = table.reset_index(drop=True)
    s["targets not met"] = _complement(s["targets reviewed"], s["met or exceeded"],
                                       t["n_targets"] - t["n_met"], thresholds)
    s["reviews with T below 50"] = _complement(s["reviews"], s["reviews with T of 50 or more"],
                                               t["n_reviews"] - t["n_t_50_or_more"],
                                               thresholds)
    dim = "srb_id" if by == "srb_id" else "target_area"
    keys = {f"_{dim}": t[by].astype("str").replace({"nan": NO_SRB, "<NA>": NO_SRB}).tolist()}
    row_dims = {f"_{dim}": dim}
    targets = measures["targets"]
    reviews = measures["reviews"] if by == "srb_id" else measures["area_reviews"]
    area_part = [Partition(m, "target_area", tuple(categories["target_area"]))
                 for m in (targets, reviews) if by != "srb_id" or m == targets]
    recs = [
        _record(s, srb=srb, keys=keys, table=table_name, measure=targets, row_dims=row_dims,
                columns={"targets reviewed": {}, "met or exceeded": {"met": "yes"},
                         "targets not met": {"met": "no"}},
                ratios={"% met": ("met or exceeded", "targets reviewed")},
                partitions=[_srb_partition(targets, categories, (NO_SRB,)),
                            Partition(targets, "met", _YES_NO), *area_part[:1]],
                thresholds=thresholds),
        _record(s, srb=srb, keys=keys, table=table_name, measure=reviews, row_dims=row_dims,
                columns={"reviews": {}, "reviews with T of 50 or more": {"t_50": "yes"},
                         "reviews with T below 50": {"t_50": "no"}},
                ratios={"% T >= 50": ("reviews with T of 50 or more", "reviews")},
                partitions=[_srb_partition(reviews, categories, (NO_SRB,)),
                            Partition(reviews, "t_50", _YES_NO), *area_part[1:]],
                thresholds=thresholds),
        _record(s, srb=srb, keys=keys, table=table_name, measure=measures["target_learners"],
                row_dims=row_dims, columns={"learners": {}}, thresholds=thresholds,
                # one resource base each (their latest placement, review_scores)
                partitions=[_srb_partition(measures["target_learners"], categories,
                                           (NO_SRB,))])]
    return _merge(recs)


def comparisons_record(comparisons: pd.DataFrame, shown: pd.DataFrame, *,
                       measures: Mapping[str, str], srb: str = "all",
                       thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The record of a :func:`~srb_eval.report.progress_tables.display_comparisons` table.

    ``learners`` counts the learners compared (one result each) on an instrument and
    area; where small groups were left out, it counts those of the groups compared (a
    yes/no dim per factor); the published note names no group left out and gives no size
    (:func:`~srb_eval.report.progress_tables.display_comparisons`). ``smallest group`` is
    the least of the compared groups' sizes, not a count of a named group, so it is not
    recorded (it is never hidden: smaller groups are left out).
    """
    meas = measures["compared"]
    c = comparisons.reset_index(drop=True)
    s = shown.reset_index(drop=True)
    factors = sorted(set(c["factor"].astype("str")))
    rows, where = [], []
    for i in range(len(c)):
        if c.loc[i, "test"] == "":
            continue
        note = str(c.loc[i, "note"])
        row = {"_pair": pair_label(c.loc[i, "instrument"], c.loc[i, "area"]),
               **{f"_{f}": "all" for f in factors}}
        if note.startswith("left out"):
            row[f"_{c.loc[i, 'factor']}"] = "compared"
        rows.append({**row, "count": str(s.loc[i, "learners"])})
        where.append((i, "learners"))
    frame = pd.DataFrame(rows, columns=["_pair", *[f"_{f}" for f in factors], "count"])
    rec = table_record(frame, report="", table="group_comparisons", measure=meas,
                       row_dims={"_pair": "pair", **{f"_{f}": f"{f} group" for f in factors}},
                       columns={"count": {}},
                       partitions=[Partition(meas, f"{f} group", ("compared", "left out"))
                                   for f in factors], thresholds=thresholds,
                       fixed=None if srb == "all" else {"srb_id": srb})
    for cell, (i, col) in zip(rec["cells"], where, strict=True):
        cell.update({"row": i, "column": col})  # the shown table's row and column
    return rec
