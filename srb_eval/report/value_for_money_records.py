"""Disclosure records of the value-for-money report's published count tables, for the
audit.

One function per table of :mod:`srb_eval.report.value_for_money` that shows counts:
placements outside the SRBs by setting type (:func:`alternatives_record`), the learners
of the scenario (:func:`scenario_record`), learners by progress per SRB
(:func:`progress_costs_record`), learners and placements by need on the census day
(:func:`sufficiency_record`), by language of provision (:func:`language_record`), by
home area (:func:`travel_record`), placements outside by phase beside the forecast
(:func:`forecast_record`) and placements outside in each financial year
(:func:`alternative_trend_record`). Learners on roll and awaiting a start on a day are named
as the capacity report names them (``learners_on_roll_<day>``,
``awaiting_start_<day>``), so the two reports are audited together.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..data import schema as S
from ..measures import travel as T
from ..measures import value_for_money as V
from ..measures.roll import ALL
from . import disclosure
from .audit import Partition
from .table_records import combine_records, measure_name, table_record
from .value_for_money import ALL_LANGUAGES, LANGUAGE_WORDS, SETTING_WORDS, TRAVEL_COLUMNS

__all__ = ["alternative_trend_record", "alternatives_record", "forecast_record",
           "language_record", "progress_costs_record", "scenario_record",
           "sufficiency_record", "travel_record"]


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
    (``external_placements_open_<day>``) on the census day, by primary need, and the
    demand (``sufficiency_demand_<day>``), the sum of the three in each row; needs
    without a row are known to be empty. (Places less demand is hidden where the demand
    is, and the places are public: it says what the demand says.)"""
    day = pd.Timestamp(census)
    needs = [n for n in shown["primary need"] if n != "all needs"]
    absent = [{"primary_need": n} for n in S.NEEDS if n not in needs]
    recs = []
    for pop, col in _DEMAND_PARTS:
        m = measure_name(pop, day)
        recs.append(table_record(shown, report="", table="sufficiency", measure=m,
                                 row_dims={"primary need": "primary_need"},
                                 columns={col: {}},
                                 partitions=[Partition(m, "primary_need", S.NEEDS)],
                                 thresholds=thresholds, total_labels=("all needs",),
                                 known_zeros=absent))
    return {**combine_records(recs),
            "sums": _demand_sums(day, [{"primary_need": n} for n in needs])}


#: The columns of a table of places against demand, and the population each counts: the
#: last, the demand, is the sum of the others (:func:`_demand_sums`).
_DEMAND_PARTS = (("learners_on_roll", "on roll"),
                 ("awaiting_start", "agreed, awaiting a start"),
                 ("external_placements_open", "placed outside the SRBs"),
                 ("sufficiency_demand", "demand"))


def _demand_sums(day: pd.Timestamp, rows: Sequence[dict]) -> list[dict]:
    """The sums of a record (:func:`srb_eval.report.audit.check_record`) saying that in
    each of ``rows`` (its dims) and in all, the demand on ``day`` is the learners on roll
    plus those awaiting a start plus the placements outside."""
    names = [measure_name(pop, day) for pop, _ in _DEMAND_PARTS]
    return [{"whole": {"measure": names[-1], "dims": dict(dims)},
             "parts": [{"measure": m, "dims": dict(dims)} for m in names[:-1]]}
            for dims in [*rows, {}]]


def language_record(shown: pd.DataFrame, census: object, *,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> dict:
    """The record of a :func:`display_language_sufficiency` table: learners on roll
    (``learners_on_roll_<day>``, by their SRB's language), agreed and awaiting a start
    (``awaiting_start_<day>``) and placements outside the SRBs open
    (``external_placements_open_<day>``, by their own language) on the census day, and
    the demand, their sum (``sufficiency_demand_<day>``), by language of provision;
    languages without a row are known to be empty."""
    day = pd.Timestamp(census)
    dim = "language of provision"
    words = tuple(LANGUAGE_WORDS.values())
    present = [w for w in shown[dim] if w != ALL_LANGUAGES]
    absent = [{dim: w} for w in words if w not in present]
    recs = []
    for pop, col in _DEMAND_PARTS:
        m = measure_name(pop, day)
        recs.append(table_record(shown, report="", table="sufficiency_by_language",
                                 measure=m, row_dims={dim: dim}, columns={col: {}},
                                 partitions=[Partition(m, dim, words)],
                                 thresholds=thresholds, total_labels=(ALL_LANGUAGES,),
                                 known_zeros=absent))
    return {**combine_records(recs), "sums": _demand_sums(day, [{dim: w} for w in present])}


def forecast_record(shown: pd.DataFrame, census: object, *,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> dict:
    """The record of a :func:`display_forecast_sufficiency` table: the placements
    outside the SRBs open on the census day (``external_placements_open_<day>``) by
    phase (shown in every forecast year; the forecast itself is not a count)."""
    m = measure_name("external_placements_open", pd.Timestamp(census))
    return table_record(shown, report="", table="forecast_sufficiency", measure=m,
                        row_dims={"phase": "phase"},
                        columns={"placed outside the SRBs (today)": {}},
                        partitions=[Partition(m, "phase", S.PHASES)],
                        thresholds=thresholds)


def travel_record(shown: pd.DataFrame, census: object, *,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS,
                  srb_areas: Sequence[str] | None = None) -> dict:
    """The record of a :func:`display_travel` table: learners on roll on the census day
    (``learners_on_roll_<day>``) by home area and where their SRB is (in their home
    area, another area, an area not recorded), and placements outside the SRBs open
    that day (``external_placements_open_<day>``) by home area. The home areas are the
    table's rows (every area of the data). ``srb_areas`` (the SRBs' school areas, as
    :func:`display_travel` takes them): in a home area without an SRB no learner is in an
    SRB of their home area, as every reader knows, so that 0 is recorded as known, not
    as a count of the data (a "0" beside "[c]" in another area states no share)."""
    day = pd.Timestamp(census)
    areas = tuple(a for a in shown["home area"] if a != T.ALL_AREAS)
    where = "SRB area"
    with_srb = {str(a) for a in srb_areas} if srb_areas is not None else set(areas)
    none_at_home = [{"home_area": a, where: T.WHERE[0]} for a in areas if a not in with_srb]
    on = measure_name("learners_on_roll", day)
    out = measure_name("external_placements_open", day)
    cols = {TRAVEL_COLUMNS[c]: w for c, w in zip(
        ("in_home_area", "in_another_area", "area_not_recorded"), T.WHERE, strict=True)}
    recs = [
        table_record(shown, report="", table="travel", measure=on,
                     row_dims={"home area": "home_area"},
                     columns={TRAVEL_COLUMNS["on_roll"]: {},
                              **{c: {where: w} for c, w in cols.items()}},
                     partitions=[Partition(on, "home_area", areas),
                                 Partition(on, where, T.WHERE)],
                     thresholds=thresholds, total_labels=(T.ALL_AREAS,),
                     known_zeros=none_at_home),
        table_record(shown, report="", table="travel", measure=out,
                     row_dims={"home area": "home_area"},
                     columns={TRAVEL_COLUMNS["placed_outside"]: {}},
                     partitions=[Partition(out, "home_area", areas)],
                     thresholds=thresholds, total_labels=(T.ALL_AREAS,))]
    return combine_records(recs)


def alternative_trend_record(shown: pd.DataFrame, *,
                             thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                             ) -> dict:
    """The record of a :func:`display_alternative_trend` table: in each row the
    placements outside the SRBs open on a day of that financial year
    (``external_placements_open_<1 April>_to_<31 March>``, as :func:`alternatives_record`
    names them)."""
    recs = []
    for i, year in enumerate(shown["financial year"]):
        days = V.financial_year_days(str(year))
        m = measure_name("external_placements_open", days[0], days[-1])
        r = table_record(shown.iloc[[i]], report="", table="alternative_trend", measure=m,
                         row_dims={}, columns={"placements": {}}, partitions=[],
                         thresholds=thresholds)
        recs.append({**r, "cells": [{**c, "row": i} for c in r["cells"]]})
    return combine_records(recs)
