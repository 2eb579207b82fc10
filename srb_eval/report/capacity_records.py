"""Disclosure records of the capacity report's published tables, for the audit.

One function per table of :mod:`srb_eval.report.capacity` that shows counts: learners on
roll and awaiting a start by SRB and by phase (:func:`occupancy_record`,
:func:`occupancy_summary_record`), waits (:func:`waiting_times_record`), the need mix at
two dates (:func:`need_mix_record`), and length of stay with turnover
(:func:`stays_records`). Populations are named by
:func:`srb_eval.report.table_records.measure_name` with the day or year that defines
them, so the Estyn report's occupancy, destinations and stays count the same learners
under the same names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import check_argument
from ..measures import occupancy as O
from ..measures.roll import ALL
from . import disclosure
from .audit import Partition
from .capacity import phase_order
from .table_records import combine_records, known_phase_zeros, measure_name, table_record

__all__ = ["need_mix_record", "occupancy_record", "occupancy_summary_record",
           "stays_records", "waiting_times_record"]


def occupancy_record(occ: pd.DataFrame, shown: pd.DataFrame, *,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> dict:
    """The disclosure record of a :func:`display_occupancy` table (for the audit).

    Learners on roll (measure ``learners_on_roll_<census day>``) and awaiting a start
    (``awaiting_start_<census day>``) per SRB and in all; each SRB is in one phase (the
    table shows it), so its learners in every other phase are recorded as known to be
    empty and the table by phase (:func:`occupancy_summary_record`) adds up with it.
    Places, occupancy and unfilled places are not counts of learners: a shown one
    follows from places and a shown count on roll.
    """
    check_argument(len(shown) == len(occ) + 1, "shown", "display_occupancy(occ) (one row "
                   "per SRB and a total)", len(shown))
    day = pd.Timestamp(occ["census_date"].iloc[0]) if len(occ) else pd.NaT
    ids = occ["srb_id"].astype("str").tolist()
    t = shown.assign(srb_id=[*ids, ALL])
    phases = phase_order(occ["phase"])
    with_phase = occ["phase"].notna().all() and len(phases) > 0
    recs = []
    for pop, col in (("learners_on_roll", "on_roll"), ("awaiting_start", "awaiting_start")):
        if col not in shown.columns or pd.isna(day):
            continue
        m = measure_name(pop, day)
        parts = [Partition(m, "srb_id", tuple(ids))]
        zeros: list = []
        if with_phase:
            parts.append(Partition(m, "phase", tuple(phases)))
            zeros = known_phase_zeros(dict(zip(ids, occ["phase"].astype("str"), strict=True)),
                                      phases)
        recs.append(table_record(t, report="", table="occupancy", measure=m,
                                 row_dims={"srb_id": "srb_id"}, columns={col: {}},
                                 partitions=parts, thresholds=thresholds,
                                 total_labels=(ALL,), known_zeros=zeros))
    return combine_records(recs)


def occupancy_summary_record(occ: pd.DataFrame, shown: pd.DataFrame, *,
                             thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                             ) -> dict:
    """The disclosure record of a :func:`display_occupancy_summary` table by phase.

    Learners on roll per phase and in all (measure ``learners_on_roll_<census day>``, as
    in :func:`occupancy_record`, whose SRBs add up to these phases).
    """
    day = pd.Timestamp(occ["census_date"].iloc[0])
    m = measure_name("learners_on_roll", day)
    phases = phase_order(occ["phase"])
    cols = {"on_roll": {}} if "on_roll" in shown.columns else {}
    return table_record(shown, report="", table="occupancy_by_phase", measure=m,
                        row_dims={"group": "phase"}, columns=cols,
                        partitions=[Partition(m, "phase", tuple(phases))],
                        thresholds=thresholds, total_labels=(O.ALL_SRBS,))


def waiting_times_record(shown: pd.DataFrame, *, since: object, until: object,
                         phases: object,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                         ) -> dict:
    """The disclosure record of a :func:`display_waiting_times` table by phase.

    The placements that started from ``since`` to ``until`` (measure
    ``placements_started_<since>_to_<until>``), per phase: for each interval, ``n`` have
    both dates (dim ``dates (<interval>)`` = "both") and ``n_excluded`` miss one
    ("missing"); the two make up every placement started, the same in each interval.
    """
    m = measure_name("placements_started", since, until)
    ph = phase_order(phases)
    recs = []
    offset = 0
    for interval in dict.fromkeys(shown["interval"]):
        part = shown.loc[shown["interval"] == interval]
        dim = f"dates ({interval})"
        r = table_record(part, report="", table="waiting_times", measure=m,
                         row_dims={"group": "phase"},
                         columns={"n": {dim: "both"}, "n_excluded": {dim: "missing"}},
                         partitions=[Partition(m, "phase", tuple(ph)),
                                     Partition(m, dim, ("both", "missing"))],
                         thresholds=thresholds)
        for c in r["cells"]:
            c["row"] += offset
        offset += len(part)
        recs.append(r)
    return combine_records(recs)


def need_mix_record(change: pd.DataFrame, shown: pd.DataFrame, *, date_from: object,
                    date_to: object, thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> dict:
    """The disclosure record of a :func:`display_need_mix` table.

    Learners on roll by primary need on ``date_from`` and ``date_to`` (measures
    ``learners_on_roll_<day>``, the same learners as the occupancy tables count on that
    day) and each share of the total. When the needs shown do not add up to the total
    (learners with no need recorded), the rest is an unshown category.
    """
    c = change.reset_index(drop=True)
    recs = []
    for n_col, share, total_col, day in (("n_from", "share_from", "n_total_from", date_from),
                                         ("n_to", "share_to", "n_total_to", date_to)):
        m = measure_name("learners_on_roll", day)
        shown_needs = set(c["primary_need"].astype("str"))
        needs = S.NEEDS
        if c[n_col].sum() != c[total_col].max():
            needs = (*needs, "not shown")
        # the whole need vocabulary, as every report partitions learners on roll by
        # need (report 45 too): a need without a row had nobody on roll on either day
        r = table_record(shown, report="", table="need_mix", measure=m,
                         row_dims={"primary_need": "primary_need"}, columns={n_col: {}},
                         partitions=[Partition(m, "primary_need", needs)],
                         thresholds=thresholds, total_labels=("all needs",),
                         known_zeros=[{"primary_need": n} for n in S.NEEDS
                                      if n not in shown_needs])
        r["ratios"] = [{"table": "need_mix", "row": i, "column": share, "text": str(text),
                        "decimals": 0,
                        "numerator": {"measure": m, "dims": {"primary_need": str(g)}},
                        "denominator": {"measure": m, "dims": {}}}
                       for i, (g, text) in enumerate(zip(shown["primary_need"], shown[share],
                                                         strict=True))
                       if g != "all needs"]
        recs.append(r)
    return combine_records(recs)


def stays_records(los_shown: pd.DataFrame, tov_shown: pd.DataFrame, *, census: object,
                  data_start: object, phases: object,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                  ) -> tuple[dict, dict | None]:
    """The disclosure records of the tables of :func:`display_stays`, by phase.

    Length of stay: placements ended and started from ``data_start`` to ``census``
    (``placements_ended_<start>_to_<census>``, ``placements_started_<start>_to_<census>``)
    and learners on roll on the census day (``learners_on_roll_<census>``). Turnover:
    placements ended in each school year (``placements_ended_<year>``); each complete
    school year's leavers are also recorded as part of the leavers since the data began
    (dim ``school_year``: the years shown and "other days"), as a reader can subtract
    them. Mean numbers on roll and rates are not counts.
    """
    ph = tuple(phase_order(phases))
    ended = measure_name("placements_ended", data_start, census)
    cols = {"n_left": ended, "n_on_roll": measure_name("learners_on_roll", census),
            "n_started": measure_name("placements_started", data_start, census)}
    los = combine_records([table_record(
        los_shown, report="", table="length_of_stay", measure=m, row_dims={"group": "phase"},
        columns={c: {}}, partitions=[Partition(m, "phase", ph)], thresholds=thresholds)
        for c, m in cols.items()])
    years = list(dict.fromkeys(tov_shown["school_year"].astype("str")))
    recs = []
    for y in years:
        part = tov_shown.loc[tov_shown["school_year"].astype("str") == y]
        first = int(np.flatnonzero(tov_shown["school_year"].astype("str") == y)[0])
        m = measure_name("placements_ended", y)
        for r in (table_record(part, report="", table="turnover", measure=m,
                               row_dims={"group": "phase"}, columns={"leavers": {}},
                               partitions=[Partition(m, "phase", ph)], thresholds=thresholds),
                  table_record(part, report="", table="turnover (within length_of_stay)",
                               measure=ended, row_dims={"group": "phase"},
                               columns={"leavers": {"school_year": y}},
                               partitions=[Partition(ended, "phase", ph),
                                           Partition(ended, "school_year",
                                                     (*years, "other days"))],
                               thresholds=thresholds)):
            for c in r["cells"]:
                c["row"] += first
            recs.append(r)
    tov = combine_records(recs) if recs else None
    return los, tov
