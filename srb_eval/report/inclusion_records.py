"""Disclosure records of the inclusion report's published tables, for the audit.

Each function states what one displayed table of :mod:`srb_eval.report.inclusion_tables`
shows, in the record format of :mod:`srb_eval.report.audit` (built with
:func:`srb_eval.report.table_records.table_record`): the population its counts are of,
named from the parameters that define it so that two reports counting the same learners
use the same name (:func:`population_name`, :func:`share_population_name`), and the
categories a reader knows every dim has (:func:`group_categories`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import pandas as pd

from ..measures.inclusion import (
    CORE_EXIT_SHARE,
    ESTYN_SHARE,
    TYPICAL_SHARE,
    check_share,
    check_thresholds,
    threshold_column,
)
from . import disclosure
from .audit import Partition
from .inclusion import GROUP_TITLES, share_text
from .inclusion_thresholds import threshold_names
from .table_records import table_record

__all__ = ["cohort_record", "group_categories", "population_name", "same_learners",
           "share_population_name", "subjects_record", "threshold_record", "trend_record"]


def population_name(parameters: Mapping[str, object]) -> str:
    """The name of the learners an inclusion report counts, from what defines them.

    Two reports with the same period and window count the same learners, so their
    published counts are audited as one. A report about one resource base counts the
    learners the all-SRB report counts in that SRB's row
    (:func:`srb_eval.measures.inclusion_data.learners_in`: the SRB of a learner's latest
    period), so it has the same name: its records fix ``srb_id``.

    >>> population_name({"period": "term", "window_start": None, "window_end": None})
    'learners with inclusion shares per term, start of the data to end of the data'
    """
    start = parameters.get("window_start")
    end = parameters.get("window_end")
    start = "start of the data" if start is None else pd.Timestamp(start).date().isoformat()
    end = "end of the data" if end is None else pd.Timestamp(end).date().isoformat()
    return f"learners with inclusion shares per {parameters['period']}, {start} to {end}"


def group_categories(srbs: pd.DataFrame, learners: pd.DataFrame) -> dict[str, list[str]]:
    """Every category of the dims the inclusion tables group learners by: all resource
    bases of the dataset and every primary need recorded (a missing need as "not
    recorded")."""
    needs = learners["primary_need"].astype("string").fillna("not recorded")
    return {"srb_id": sorted(srbs["srb_id"].astype("str").unique()),
            "primary_need": sorted(needs.unique())}


def trend_record(shown: pd.DataFrame, *, table: str, measure: str,
                 categories: Mapping[str, Sequence[str]],
                 srb: str = "all", shares_measure: str | None = None,
                 disclosure_thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                 ) -> dict:
    """The disclosure record of a :func:`display_trend_counts` table (for the audit).

    ``measure`` names the learners counted (with the period and window that define
    them); ``categories`` gives the complete list of categories of every dim the
    reports of a render group these learners by (``{"srb_id": [...], "primary_need":
    [...]}``, the same in every report, so that their records can be audited together);
    ``srb`` is the resource
    base a per-SRB report is about ("all" otherwise). A learner has "two or more" periods
    (and a trend: rising, steady or falling) or "one" (too few terms, no trend); the
    impossible combinations are recorded as known to be empty.

    ``shares_measure``: the :func:`share_population_name` of the report's tables of
    latest shares, where their learners are this table's (:func:`same_learners`): the
    learners column is stated under its two measures too, so the audit links a need's
    learners here to the same count there (SRB05's 11 SLCN learners here, hidden there,
    narrowed its SLCN "at least 60%" with the all-SRB report's "5 of 13").
    """
    group = next(c for c in GROUP_TITLES if GROUP_TITLES[c] in shown.columns)
    two, one = "two or more", "one"
    columns = {"learners": {}, "learners with two or more periods": {"periods": two},
               "too few terms": {"periods": one}}
    columns.update({w: {"periods": two, "trend": w} for w in ("rising", "steady", "falling")})
    parts = [Partition(measure, d, tuple(map(str, c))) for d, c in categories.items()]
    parts += [Partition(measure, "periods", (two, one)),
              Partition(measure, "trend", ("rising", "steady", "falling", "none"))]
    zeros = [{"periods": one, "trend": w} for w in ("rising", "steady", "falling")]
    zeros.append({"periods": two, "trend": "none"})
    fixed = None if srb == "all" else {"srb_id": srb}
    out = table_record(
        shown, report="", table=table, measure=measure,
        row_dims={GROUP_TITLES[group]: group}, columns=columns, partitions=parts,
        thresholds=disclosure_thresholds,
        ratios={f"{w} (%)": (w, "learners with two or more periods")
                for w in ("rising", "steady", "falling")},
        known_zeros=zeros, fixed=fixed)
    for label in ([] if shares_measure is None else
                  ["share of the week", "share of core subjects"]):
        m = f"{shares_measure}: {label}"
        more = table_record(
            shown, report="", table=table, measure=m, row_dims={GROUP_TITLES[group]: group},
            columns={"learners": {}}, partitions=[Partition(m, d, tuple(map(str, c)))
                                                  for d, c in categories.items()],
            thresholds=disclosure_thresholds, fixed=fixed)
        out["cells"] += more["cells"]
        out["partitions"] += more["partitions"]
    return out


def same_learners(trends: pd.DataFrame, latest: pd.DataFrame) -> bool:
    """Whether a report's trend table and its tables of latest shares count the same
    learners in the same SRBs: every learner with a trend row has a share (a learner
    whose every period had nothing timetabled has a trend row, "too few terms", and no
    latest share).

    >>> t = pd.DataFrame({"learner_id": ["a", "b"], "srb_id": ["S1", "S2"]})
    >>> same_learners(t, t), same_learners(t, t.iloc[:1])
    (True, False)
    """
    def pairs(frame: pd.DataFrame) -> set:
        return set(zip(frame["learner_id"].astype("str"), frame["srb_id"].astype("str"),
                       strict=True))

    return pairs(trends) == pairs(latest)


def share_population_name(parameters: Mapping[str, object], *,
                          latest: pd.DataFrame | None = None,
                          everyone: pd.DataFrame | None = None) -> str:
    """The name of the learners whose latest share the tables by SRB, phase and need
    count (:func:`threshold_record`), from the period and window that define them.

    Each learner counts once, with the share of their latest period, in the SRB of that
    period. A per-SRB report (``parameters["srb"]``) counts the latest period in its
    SRB: the same learners and shares as the all-SRB report's row of that SRB, so the
    same name (its cells fix ``srb_id``), unless some moved on to another SRB. Give its
    ``latest`` shares and the all-SRB report's (``everyone``): where the learners differ
    the per-SRB population gets its own name (its counts are not the all-SRB row's).

    >>> share_population_name({"period": "term", "window_start": None, "window_end": None})
    'latest share in each SRB per term, start of the data to end of the data'
    >>> p = {"period": "term", "window_start": None, "window_end": None, "srb": "S1"}
    >>> share_population_name(p, latest=pd.DataFrame({"learner_id": ["a", "b"]}),
    ...                       everyone=pd.DataFrame({"learner_id": ["a", "b"],
    ...                                              "srb_id": ["S1", "S2"]}))
    'latest share in S1 per term, start of the data to end of the data, learners who moved on included'
    """
    base = population_name({**parameters, "srb": "all"}).removeprefix(
        "learners with inclusion shares")
    srb = str(parameters.get("srb", "all"))
    if srb != "all" and latest is not None and everyone is not None:
        theirs = everyone.loc[everyone["srb_id"].astype("str") == srb, "learner_id"]
        if set(latest["learner_id"]) != set(theirs):
            return f"latest share in {srb}{base}, learners who moved on included"
    return f"latest share in each SRB{base}"


def threshold_record(shown: pd.DataFrame, *, table: str, measure: str,
                     categories: Mapping[str, Sequence[str]], srbs: pd.DataFrame,
                     thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                     core_threshold: float = CORE_EXIT_SHARE, srb: str = "all",
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of a :func:`display_threshold_tables` table (for the audit).

    Parameters
    ----------
    shown : pandas.DataFrame
        The table by SRB, phase or need as published.
    table : str
        Its recorded name (``latest_share_by_srb``...).
    measure : str
        :func:`share_population_name` of the report.
    categories : dict of str to list of str
        :func:`group_categories`: every SRB and need of the dataset.
    srbs : pandas.DataFrame
        The dataset's SRBs (``srb_id``, ``phase``): an SRB counts in its phase only, the
        other phases are recorded known to be empty.
    thresholds, core_threshold, disclosure_thresholds : as the report's
    srb : str, default "all"
        The SRB a per-SRB report is about.

    Returns
    -------
    dict
        A record with every count the table shows, under two measures of the same
        pairs: ``measure + ": share of the week"`` (learners, at least each threshold,
        nested: at least 60% are at least 50%) and ``measure + ": share of core
        subjects"`` (learners, with core subjects, at least the core threshold of
        those), each with the dims ``srb_id``, ``phase`` and ``primary_need``; a
        per-SRB report's cells fix ``srb_id``. The learners column is stated under both (two measures keep the audit's cube small;
        what links the two, e.g. a learner at 50% of the week and 80% of core, is not
        recorded). Groups of the table's dim with no row are recorded as empty.
    """
    ts = check_thresholds(list(thresholds))
    core_t = check_share(core_threshold, "core_threshold")
    names = threshold_names(ts, core_t)
    group = next(c for c in GROUP_TITLES if GROUP_TITLES[c] in shown.columns)
    phases = dict(zip(srbs["srb_id"].astype("str"), srbs["phase"].astype("str"),
                      strict=True))
    cats = {"srb_id": list(map(str, categories["srb_id"])),
            "phase": sorted({str(v) for v in phases.values()}),
            "primary_need": list(map(str, categories["primary_need"]))}
    yes, no = "yes", "no"
    empty = [{"srb_id": str(s_), "phase": p} for s_, ph in phases.items()
             for p in cats["phase"] if p != str(ph)]
    rows = set(shown[GROUP_TITLES[group]].astype("str"))
    if srb == "all" or group != "srb_id":
        empty += [{group: c} for c in cats[group] if c not in rows]
    fixed = None if srb == "all" else {"srb_id": srb}
    dims = {"share": [f"at least {share_text(t)}" for t in ts],
            "core": ["core subjects", f"at least {share_text(core_t)} of core"]}
    counts = {"share": {**{names[threshold_column(t)]: {d: yes}
                           for t, d in zip(ts, dims["share"], strict=True)},
                        names["core_n"]: {dims["core"][0]: yes}},
              "core": {names["core_n"]: {dims["core"][0]: yes},
                       names[threshold_column(core_t, prefix="core_at_or_above")]:
                       {d: yes for d in dims["core"]}}}
    rising = [f"at least {share_text(t)}" for t in sorted(ts)]  # at 60% is at 50%
    nested = {"share": [{a: no, b: yes} for a, b in pairwise(rising)],
              "core": [{dims["core"][0]: no, dims["core"][1]: yes}]}
    core_col = names[threshold_column(core_t, prefix="core_at_or_above")]
    ratios = {"share": {names["pct_" + threshold_column(t)]:
                        (names[threshold_column(t)], names["n"]) for t in ts},
              "core": {names["pct_" + threshold_column(core_t, prefix="core_at_or_above")]:
                       (core_col, names["core_n"])}}
    out: dict = {}
    for part, label in (("share", "share of the week"), ("core", "share of core subjects")):
        m = f"{measure}: {label}"
        parts = [Partition(m, d, tuple(c)) for d, c in cats.items()]
        parts += [Partition(m, d, (yes, no)) for d in
                  (dims[part] if part == "core" else [*dims[part], dims["core"][0]])]
        rec = table_record(
            shown, report="", table=table, measure=m, row_dims={GROUP_TITLES[group]: group},
            columns={names["n"]: {}, **counts[part]}, partitions=parts,
            thresholds=disclosure_thresholds, ratios=ratios[part],
            known_zeros=[*empty, *nested[part]], fixed=fixed)
        if not out:
            out = rec
        else:
            for k in ("cells", "partitions", "ratios"):
                out[k] = out[k] + rec[k]
    return out


def cohort_record(cohort: pd.DataFrame, shown: pd.DataFrame, *, table: str,
                  parameters: Mapping[str, object], srbs: pd.DataFrame,
                  disclosure_thresholds: disclosure.Thresholds =
                  disclosure.DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of a :func:`cohort_for_audience` table (for the audit).

    Its counts are learners with a share in a period (``n``) and those of them with core
    subjects timetabled (``core_n``), by phase in the all-SRB report and for one SRB in
    a per-SRB report: each period's learners are attributed to one SRB, so both reports
    count the same (learner, period) pairs, under one measure named with the period and
    window (``parameters``: the report's). Rows not shown (fewer than
    ``min_denominator`` learners) are recorded as hidden (``"[c]"``) in the table
    ``"<table> (rows not shown)"``.

    Parameters
    ----------
    cohort : pandas.DataFrame
        :func:`srb_eval.measures.inclusion_trends.cohort_by_period` as computed.
    shown : pandas.DataFrame
        Its published rows (:func:`cohort_for_audience`).
    table : str
        The recorded name.
    parameters : dict
        The report's parameters (``period``, ``window_start``, ``window_end``, ``srb``).
    srbs : pandas.DataFrame
        The dataset's SRBs (``srb_id``, ``phase``).
    disclosure_thresholds : Thresholds

    Returns
    -------
    dict
        A record that :func:`srb_eval.report.audit.check_record` accepts.
    """
    srb = str(parameters.get("srb", "all"))
    base = population_name({**parameters, "srb": "all"}).removeprefix(
        f"learners with inclusion shares per {parameters['period']}")
    measure = f"learners with a share in each {parameters['period']}{base}"
    phases = dict(zip(srbs["srb_id"].astype("str"), srbs["phase"].astype("str"),
                      strict=True))
    cats = sorted(set(phases.values()))
    parts = [Partition(measure, "srb_id", tuple(phases)), Partition(measure, "phase",
                                                                    tuple(cats)),
             Partition(measure, "core subjects", ("yes", "no"))]
    empty = [{"srb_id": s_, "phase": p} for s_, ph in phases.items() for p in cats
             if p != ph]
    row_dims = {c: c for c in ("phase", "period") if c in cohort.columns}
    kw = {"measure": measure, "row_dims": row_dims, "partitions": parts,
          "columns": {"n": {}, "core_n": {"core subjects": "yes"}},
          "thresholds": disclosure_thresholds,
          "fixed": None if srb == "all" else {"srb_id": srb}}
    text = shown[[*row_dims, "n", "core_n"]].astype({"n": "int64", "core_n": "int64"})
    out = table_record(text.astype("str"), report="", table=table, known_zeros=empty, **kw)
    gone = cohort.loc[~cohort.index.isin(shown.index), [*row_dims]].assign(
        n=disclosure.SUPPRESSED_TEXT, core_n=disclosure.SUPPRESSED_TEXT)
    if len(gone):
        more = table_record(gone.astype("str"), report="", table=f"{table} (rows not shown)",
                            **kw)
        out["cells"] = out["cells"] + more["cells"]
    return out


def subjects_record(shown: pd.DataFrame, *, table: str, parameters: Mapping[str, object],
                    disclosure_thresholds: disclosure.Thresholds =
                    disclosure.DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of a :func:`display_subjects` table without group columns.

    Each row counts the learners timetabled in one subject (or pooled subjects) and
    those of them with some time in mainstream; a learner is timetabled in several
    subjects, so the rows are not parts of a whole: one measure per subject, named with
    the report's window and SRB (``parameters``; a per-SRB report counts the learners of
    its SRB, :func:`srb_eval.measures.inclusion_data.learners_in`, with no SRB dim here:
    a measure of its own), with the dim ``mainstream time`` ("some", "none").

    Returns
    -------
    dict
        A record that :func:`srb_eval.report.audit.check_record` accepts.
    """
    srb = str(parameters.get("srb", "all"))
    base = population_name(parameters).removeprefix(
        f"learners with inclusion shares per {parameters['period']}") + (
        "" if srb == "all" else f", learners of {srb}")
    out: dict = {}
    for i, subject in enumerate(shown["subject"].astype("str")):
        m = f"learners with inclusion records{base}: timetabled in {subject}"
        rec = table_record(
            shown.iloc[[i]], report="", table=table, measure=m, row_dims={},
            columns={"learners timetabled": {},
                     "learners with mainstream time": {"mainstream time": "some"}},
            partitions=[Partition(m, "mainstream time", ("some", "none"))],
            thresholds=disclosure_thresholds)
        for c in rec["cells"]:
            c["row"] = i
        if not out:
            out = rec
        else:
            out["cells"] += rec["cells"]
            out["partitions"] += rec["partitions"]
    return out or table_record(shown.iloc[:0], report="", table=table, measure="none",
                               row_dims={}, columns={}, partitions=[],
                               thresholds=disclosure_thresholds)
