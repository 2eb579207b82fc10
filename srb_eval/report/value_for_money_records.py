"""Disclosure records of the value-for-money report's published count tables, for the
audit.

One function per table of :mod:`srb_eval.report.value_for_money` that shows counts:
placements outside the SRBs by setting type (:func:`alternatives_record`), the learners
of the scenario (:func:`scenario_record`), learners by progress per SRB
(:func:`progress_costs_record`) and learners and placements by need on the census day
(:func:`sufficiency_record`). Learners on roll and awaiting a start on a day are named
as the capacity report names them (``learners_on_roll_<day>``,
``awaiting_start_<day>``), so the two reports are audited together.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..data import schema as S
from ..measures import value_for_money as V
from ..measures.roll import ALL
from . import disclosure
from .audit import Partition
from .table_records import combine_records, measure_name, table_record
from .value_for_money import SETTING_WORDS

__all__ = ["alternatives_record", "progress_costs_record", "scenario_record",
           "sufficiency_record"]


def alternatives_record(shown: pd.DataFrame, financial_year: str, *,
                        thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                        ) -> dict:
    """The record of a :func:`display_alternatives` table: placements outside the SRBs
    open on a day of the year (``external_placements_open_<1 April>_to_<31 March>``), by
    setting type (every type is a row, so the types add up to the total)."""
    days = V.financial_year_days(financial_year)
    m = measure_name("external_placements_open", days[0], days[-1])
    words = tuple(SETTING_WORDS[t] for t in S.SETTING_TYPES)
    return table_record(shown, report="", table="alternatives", measure=m,
                        row_dims={"setting": "setting_type"}, columns={"placements": {}},
                        partitions=[Partition(m, "setting_type", words)],
                        thresholds=thresholds, total_labels=(V.ALL_SETTINGS,))


def scenario_record(shown: pd.DataFrame, financial_year: str, from_settings: Sequence[str],
                    *, thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> dict:
    """The record of a :func:`display_scenario` table in which every learner who could
    move does (the default): placements of ``from_settings`` open on the year's last
    day whose need and phase an SRB serves, by setting type (a line for several types
    fixes none) and in all (the net line)."""
    day = V.financial_year_days(financial_year)[-1]
    m = measure_name("external_placements_an_srb_serves_" + "_".join(from_settings), day)
    words = tuple(SETTING_WORDS[t] for t in from_settings)
    t = shown.assign(key=[s if s in words else ALL for s in shown["setting"]])
    rows = t.loc[(t["line"] == "cost avoided") | (t["line"] == "net difference a year")]
    return table_record(rows, report="", table="scenario", measure=m,
                        row_dims={"key": "setting_type"}, columns={"learners": {}},
                        partitions=[Partition(m, "setting_type", words)],
                        thresholds=thresholds, total_labels=(ALL,))


def progress_costs_record(shown: pd.DataFrame, srb_ids: Sequence[str], financial_year: str,
                          area: str, *,
                          thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                          ) -> dict:
    """The record of a :func:`display_progress_costs` table: learners on roll in each
    SRB on a day of the year (``learners_placed_<1 April>_to_<31 March>``; the total
    row counts a learner in each SRB of theirs) split by their progress in ``area``."""
    days = V.financial_year_days(financial_year)
    m = measure_name("learners_placed", days[0], days[-1])
    dim = f"progress in {area} over {financial_year}"
    t = shown.assign(srb_id=[*srb_ids, ALL])
    return table_record(t, report="", table="progress_costs", measure=m,
                        row_dims={"srb_id": "srb_id"},
                        columns={"learners on roll in the year": {},
                                 "at least expected": {dim: "at least expected"},
                                 "below expected": {dim: "below expected"},
                                 "not judged": {dim: "not judged"}},
                        partitions=[Partition(m, "srb_id", tuple(srb_ids)),
                                    Partition(m, dim, ("at least expected", "below expected",
                                                       "not judged"))],
                        thresholds=thresholds, total_labels=(ALL,))


def sufficiency_record(shown: pd.DataFrame, census: object, *,
                       thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                       ) -> dict:
    """The record of a :func:`display_sufficiency` table of every phase together:
    learners on roll (``learners_on_roll_<day>``), agreed and awaiting a start
    (``awaiting_start_<day>``) and placements outside the SRBs open
    (``external_placements_open_<day>``) on the census day, by primary need; needs
    without a row are known to be empty."""
    day = pd.Timestamp(census)
    needs = [n for n in shown["primary need"] if n != "all needs"]
    absent = [{"primary_need": n} for n in S.NEEDS if n not in needs]
    recs = []
    for pop, col in (("learners_on_roll", "on roll"),
                     ("awaiting_start", "agreed, awaiting a start"),
                     ("external_placements_open", "placed outside the SRBs")):
        m = measure_name(pop, day)
        recs.append(table_record(shown, report="", table="sufficiency", measure=m,
                                 row_dims={"primary need": "primary_need"},
                                 columns={col: {}},
                                 partitions=[Partition(m, "primary_need", S.NEEDS)],
                                 thresholds=thresholds, total_labels=("all needs",),
                                 known_zeros=absent))
    return combine_records(recs)
