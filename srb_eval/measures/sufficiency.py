"""Sufficiency: places designated for each need and phase against the learners needing
them.

Local authorities must secure sufficient additional learning provision for current and
likely future needs (ALN Code for Wales, ch. 7). The demand counted here is today's:
learners on roll, agreed and waiting to start, and placed outside the authority's SRBs
(``external_placements``), by primary need, phase and language of provision
(:func:`sufficiency`); and the demand the capacity report's forecast gives, by phase
(:func:`forecast_sufficiency`). On roll follows :mod:`srb_eval.measures.roll`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import schema as S
from ..params import iso_date
from . import forecast, roll

__all__ = ["ALL_NEEDS", "ALL_PHASES", "NOT_RECORDED", "forecast_sufficiency", "language_of", "served_needs",
           "sufficiency"]

#: The phase of :func:`sufficiency` without ``by_phase``.
ALL_PHASES = "all phases"
#: The need of :func:`sufficiency` without ``by_need``.
ALL_NEEDS = "all needs"
#: The language of an SRB or placement whose language of provision is not recorded.
NOT_RECORDED = "not recorded"


def language_of(table: pd.DataFrame) -> pd.Series:
    """Each row's ``language_of_provision`` as text, :data:`NOT_RECORDED` where the cell
    is empty or the table has no such column.

    >>> language_of(pd.DataFrame({"language_of_provision": ["welsh", None]})).tolist()
    ['welsh', 'not recorded']
    >>> language_of(pd.DataFrame({"srb_id": ["S"]})).tolist()
    ['not recorded']
    """
    if "language_of_provision" not in table.columns:
        return pd.Series(NOT_RECORDED, index=table.index, dtype="str")
    col = table["language_of_provision"]
    return col.astype("str").where(col.notna(), NOT_RECORDED)


def served_needs(srbs: pd.DataFrame) -> pd.DataFrame:
    """``phase`` and ``primary_need`` pairs an SRB is designated for, with its places
    (an all-through SRB's phase is "all-through").

    >>> s = pd.DataFrame({"srb_id": ["P"], "phase": ["primary"], "capacity": [8],
    ...                   "designation": ["ASD;SEMH"]})
    >>> served_needs(s)[["primary_need", "capacity"]].to_numpy().tolist()
    [['ASD', 8], ['SEMH', 8]]
    """
    s = srbs.drop_duplicates("srb_id")
    need = s["designation"].astype("str").str.split(";")
    t = pd.DataFrame({"srb_id": s["srb_id"].astype("str"), "phase": s["phase"].astype("str"),
                      "language": language_of(s), "primary_need": need,
                      "capacity": pd.to_numeric(s["capacity"], errors="coerce")})
    t = t.explode("primary_need")
    t = t.loc[t["primary_need"].isin(S.NEEDS)]
    return t


def sufficiency(ds: Any, census_date: object, *, by_phase: bool = True,
                by_language: bool = False, by_need: bool = True) -> pd.DataFrame:
    """Places designated for each need and phase (and language of provision) against the
    learners needing them on a day: on roll, agreed and waiting to start, and placed
    outside the authority's SRBs.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``; ``external_placements`` if supplied.
    census_date : date
        The day counted (``"2025-10-01"``).
    by_phase : bool, default True
        One row per phase and need; False: per need, every phase together (``phase``
        is then ``"all phases"``): fairer where all-through SRBs serve both phases.
    by_language : bool, default False
        Also one row per language of provision (``language``): an SRB's places, its
        learners on roll and awaiting a start count under the SRB's
        ``srbs.language_of_provision``; a placement outside under its own
        ``external_placements.language_of_provision``; :data:`NOT_RECORDED` where
        empty or absent. Welsh-medium places serve Welsh-medium demand only.
    by_need : bool, default True
        False: every need together (``primary_need`` is then ``"all needs"``, and an
        SRB's places count once, whatever its designation).

    Returns
    -------
    pandas.DataFrame
        One row per phase (language) and need with any place or learner (phases,
        languages, then needs, in vocabulary order): ``phase``, with ``by_language``
        ``language``, ``primary_need``, ``places`` (of the SRBs of that phase designated
        for the need), ``on_roll`` (learners on roll in an SRB of that phase, by their
        primary need), ``awaiting_start``, ``placed_outside`` (open external placements
        of that phase and need; 0 without the table), ``demand`` (the sum of the three)
        and ``places_less_demand`` (below 0: too few places).

    Examples
    --------
    A Welsh-medium primary SRB of 8 ASD places with 3 ASD learners on roll, 1 agreed to
    start later, and 2 primary ASD learners placed outside, one in a Welsh-medium
    setting: Welsh-medium demand 3 + 1 + 1 = 5 against 8 places (+3); English-medium
    demand 1 against no places (-1).

    >>> from types import SimpleNamespace
    >>> d = lambda *v: pd.to_datetime(list(v))
    >>> ds = SimpleNamespace(
    ...     srbs=pd.DataFrame({"srb_id": ["W"], "phase": ["primary"], "capacity": [8],
    ...                        "designation": ["ASD"], "age_to": [11],
    ...                        "language_of_provision": ["welsh"]}),
    ...     learners=pd.DataFrame({"learner_id": list("abcd"), "primary_need": ["ASD"] * 4,
    ...                            "birth_month": d(*["2016-01-01"] * 4)}),
    ...     placements=pd.DataFrame({"learner_id": list("abcd"), "srb_id": ["W"] * 4,
    ...         "referral_date": d(*[None] * 4),
    ...         "panel_date": d("2024-09-01", "2024-09-01", "2024-09-01", "2025-09-01"),
    ...         "start_date": d("2024-09-02", "2024-09-02", "2024-09-02", "2025-11-03"),
    ...         "end_date": d(*[None] * 4)}),
    ...     external_placements=pd.DataFrame({"phase": ["primary"] * 2,
    ...         "primary_need": ["ASD"] * 2, "start_date": d("2024-01-08", "2024-01-08"),
    ...         "end_date": d(None, None), "language_of_provision": ["welsh", "english"]}))
    >>> t = sufficiency(ds, "2025-10-01", by_language=True)
    >>> t[["language", "places", "on_roll", "awaiting_start", "placed_outside",
    ...    "places_less_demand"]].to_numpy().tolist()
    [['welsh', 8, 3, 1, 1, 3], ['english', 0, 0, 0, 1, -1]]

    Notes
    -----
    For a phase :math:`h`, language :math:`l` and need :math:`n` on day :math:`d`:

    .. math:: \\text{demand}_{hln} = R_{hln}(d) + A_{hln}(d) + O_{hln}(d), \\qquad
              \\text{places less demand} = c_{hln} - \\text{demand}_{hln}

    with :math:`R` the learners on roll, :math:`A` those agreed and awaiting a start,
    :math:`O` the placements outside open that day and :math:`c` the places of the SRBs
    designated for :math:`n`. The demand is today's, not a forecast
    (:func:`forecast_sufficiency` sets places against the forecast, by phase). An SRB
    designated for several needs counts its places under each, so places do not add up
    across needs; a learner on roll whose need the SRB is not designated for still
    counts as demand for that need. An all-through SRB is its own phase. Sufficiency
    of provision, Welsh-medium provision included, is the authority's duty under the
    Additional Learning Needs Code for Wales (2021), ch. 7, and the language of
    provision is part of each learner's plan (the Additional Learning Needs and
    Education Tribunal (Wales) Act 2018).
    """
    roll.check_dataset(ds)
    d = iso_date(census_date, "census_date")
    p = roll.placement_table(ds)
    keys = ["phase", *(["language"] if by_language else []), "primary_need"]
    srbs = ds.srbs.drop_duplicates("srb_id")
    p = p.assign(language=p["srb_id"].map(pd.Series(
        language_of(srbs).to_numpy(), index=srbs["srb_id"].astype("str").to_numpy()))
        .fillna(NOT_RECORDED))
    if not by_phase:
        p = p.assign(phase=ALL_PHASES)
    if not by_need:
        p = p.assign(primary_need=ALL_NEEDS)
    on = p.loc[roll.on_roll(p, d).fillna(False).astype(bool)]
    wait = p.loc[((p["panel_date"] <= d) & (p["start_date"] > d)).fillna(False).astype(bool)]

    def learners(frame: pd.DataFrame) -> pd.Series:
        return frame.drop_duplicates(["learner_id", *keys]).groupby(keys).size()

    served = served_needs(ds.srbs)
    if not by_need:
        served = pd.DataFrame({"srb_id": srbs["srb_id"].astype("str"),
                               "phase": srbs["phase"].astype("str"),
                               "language": language_of(srbs), "primary_need": ALL_NEEDS,
                               "capacity": pd.to_numeric(srbs["capacity"], errors="coerce")})
    if not by_phase:
        served = served.assign(phase=ALL_PHASES)
    parts = {"places": served.groupby(keys)["capacity"].sum(),
             "on_roll": learners(on), "awaiting_start": learners(wait)}
    e = getattr(ds, "external_placements", None)
    if e is not None:
        open_ = (pd.to_datetime(e["start_date"]) <= d) & (
            e["end_date"].isna() | (pd.to_datetime(e["end_date"]) >= d))
        outside = e.loc[open_].astype({"phase": "str", "primary_need": "str"})
        outside = outside.assign(language=language_of(outside))
        if not by_need:
            outside = outside.assign(primary_need=ALL_NEEDS)
        if not by_phase:
            outside = outside.assign(phase=ALL_PHASES)
        parts["placed_outside"] = outside.groupby(keys).size()
    t = pd.DataFrame(parts).fillna(0)
    if "placed_outside" not in t.columns:
        t["placed_outside"] = 0
    t = t.astype("int64").reset_index()
    phases = [*S.PHASES, ALL_PHASES]
    languages = [*S.LANGUAGES, NOT_RECORDED]
    needs = [*S.NEEDS, ALL_NEEDS]
    t = t.loc[t["phase"].isin(phases) & t["primary_need"].isin(needs)]
    order = {"_p": t["phase"].map(phases.index), "_n": t["primary_need"].map(needs.index)}
    if by_language:
        t = t.loc[t["language"].isin(languages)]
        order["_l"] = t["language"].map(languages.index)
    t = t.assign(**order).sort_values([c for c in ("_p", "_l", "_n") if c in order])
    t = t.drop(columns=list(order)).reset_index(drop=True)
    t["demand"] = t["on_roll"] + t["awaiting_start"] + t["placed_outside"]
    t["places_less_demand"] = t["places"] - t["demand"]
    return t[[*keys, "places", "on_roll", "awaiting_start", "placed_outside", "demand",
              "places_less_demand"]]


def forecast_sufficiency(ds: Any, census_date: object, horizon_years: int = 3,
                         **forecast_options: Any) -> pd.DataFrame:
    """Places by phase against the demand the capacity report's forecast gives in each
    of the next years, and against that demand with today's placements outside the SRBs.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``learners`` and ``placements``; ``external_placements`` if
        supplied.
    census_date : date
        The census the forecast starts from.
    horizon_years : int, default 3
        Years ahead, 1 to 5.
    **forecast_options
        Passed to :func:`srb_eval.measures.forecast.forecast_places` (``exit_rate``,
        ``admissions_years``, ``interval``, ``planned_changes``, ``data_from``).

    Returns
    -------
    pandas.DataFrame
        One row per phase and forecast year ``1..horizon_years``: ``phase``, ``year``,
        ``school_year``, ``census_date``, ``places`` (with planned changes),
        ``forecast_on_roll`` (places needed), ``forecast_low``, ``forecast_high`` (the
        forecast's interval), ``placed_outside`` (external placements of the phase open
        on ``census_date``, held at today's number), ``demand`` (forecast plus placed
        outside), ``places_less_forecast`` and ``places_less_demand`` (below 0: too few
        places) and the forecast's ``outlook``.

    Notes
    -----
    For phase :math:`h` and year :math:`k`, with :math:`c_{hk}` the places,
    :math:`\\hat N_{hk}` the forecast's expected learners on roll (a cohort-survival
    roll-forward of today's learners plus Poisson admissions,
    :func:`~srb_eval.measures.forecast.forecast_places`) and :math:`O_h` the learners
    of phase :math:`h` placed outside the authority's SRBs today:

    .. math:: \\text{demand}_{hk} = \\hat N_{hk} + O_h, \\qquad
              \\text{places less demand} = c_{hk} - \\text{demand}_{hk}

    The forecast is by phase of SRB, not by need or language (its admissions history is
    too short to split), so this table is by phase; an all-through SRB is its own phase.
    Learners placed outside are not in the forecast (it rolls forward the SRBs' own
    learners and admissions): adding them is the demand if every one were placed in an
    SRB, an upper bound (ALN Code for Wales, ch. 7: provision for current and likely
    future needs).
    """
    f = forecast.forecast_places(ds, census_date, horizon_years, **forecast_options)
    f = f.loc[f["year"] >= 1].reset_index(drop=True)
    d = iso_date(census_date, "census_date")
    e = getattr(ds, "external_placements", None)
    outside = pd.Series(dtype="int64")
    if e is not None:
        open_ = (pd.to_datetime(e["start_date"]) <= d) & (
            e["end_date"].isna() | (pd.to_datetime(e["end_date"]) >= d))
        outside = e.loc[open_, "phase"].astype("str").value_counts()
    t = pd.DataFrame({
        "phase": f["phase"].astype("str"), "year": f["year"].astype("int64"),
        "school_year": f["school_year"].astype("str"), "census_date": f["census_date"],
        "places": f["capacity"], "forecast_on_roll": f["expected_on_roll"].astype("float64"),
        "forecast_low": f["on_roll_low"].astype("int64"),
        "forecast_high": f["on_roll_high"].astype("int64")})
    t["placed_outside"] = t["phase"].map(outside).fillna(0).astype("int64")
    t["demand"] = t["forecast_on_roll"] + t["placed_outside"]
    places = t["places"].astype("float64")
    t["places_less_forecast"] = places - t["forecast_on_roll"]
    t["places_less_demand"] = places - t["demand"]
    t["outlook"] = f["outlook"].astype("str")
    return t
