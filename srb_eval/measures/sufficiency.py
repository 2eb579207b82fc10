"""Sufficiency: places designated for each need and phase against the learners needing
them.

Local authorities must secure sufficient additional learning provision for current and
likely future needs (ALN Code for Wales, ch. 7). The demand counted here is today's:
learners on roll, agreed and waiting to start, and placed outside the authority's SRBs
(``external_placements``), by primary need and phase. On roll follows
:mod:`srb_eval.measures.roll`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import schema as S
from ..params import iso_date
from . import roll

__all__ = ["ALL_PHASES", "served_needs", "sufficiency"]

#: The phase of :func:`sufficiency` without ``by_phase``.
ALL_PHASES = "all phases"


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
                      "primary_need": need,
                      "capacity": pd.to_numeric(s["capacity"], errors="coerce")})
    t = t.explode("primary_need")
    t = t.loc[t["primary_need"].isin(S.NEEDS)]
    return t


def sufficiency(ds: Any, census_date: object, *, by_phase: bool = True) -> pd.DataFrame:
    """Places designated for each need and phase against the learners needing them on a
    day: on roll, agreed and waiting to start, and placed outside the authority's SRBs.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``; ``external_placements`` if supplied.
    census_date : date
        The day counted (``"2025-10-01"``).
    by_phase : bool, default True
        One row per phase and need; False: per need, every phase together (``phase``
        is then ``"all phases"``): fairer where all-through SRBs serve both phases.

    Returns
    -------
    pandas.DataFrame
        One row per phase and need with any place or learner (phases, then needs, in
        vocabulary order): ``phase``, ``primary_need``, ``places`` (of the SRBs of that
        phase designated for the need), ``on_roll`` (learners on roll in an SRB of that
        phase, by their primary need), ``awaiting_start``, ``placed_outside`` (open
        external placements of that phase and need; 0 without the table), ``demand``
        (the sum of the three) and ``places_less_demand`` (below 0: too few places).

    Notes
    -----
    The demand is today's: learners in an SRB, agreed and waiting, and placed outside
    the SRBs, not a forecast (:func:`srb_eval.measures.forecast.forecast_places`
    forecasts places by phase only, not by need). An SRB designated for several needs
    counts its places under each, so places do not add up across needs; a learner on
    roll whose need the SRB is not designated for still counts as demand for that need.
    An all-through SRB is its own phase.
    """
    roll.check_dataset(ds)
    d = iso_date(census_date, "census_date")
    p = roll.placement_table(ds)
    keys = ["phase", "primary_need"]
    if not by_phase:
        p = p.assign(phase=ALL_PHASES)
    on = p.loc[roll.on_roll(p, d).fillna(False).astype(bool)]
    wait = p.loc[((p["panel_date"] <= d) & (p["start_date"] > d)).fillna(False).astype(bool)]

    def learners(frame: pd.DataFrame) -> pd.Series:
        return frame.drop_duplicates(["learner_id", *keys]).groupby(keys).size()

    served = served_needs(ds.srbs)
    if not by_phase:
        served = served.assign(phase=ALL_PHASES)
    parts = {"places": served.groupby(keys)["capacity"].sum(),
             "on_roll": learners(on), "awaiting_start": learners(wait)}
    e = getattr(ds, "external_placements", None)
    if e is not None:
        open_ = (pd.to_datetime(e["start_date"]) <= d) & (
            e["end_date"].isna() | (pd.to_datetime(e["end_date"]) >= d))
        outside = e.loc[open_].astype({"phase": "str", "primary_need": "str"})
        if not by_phase:
            outside = outside.assign(phase=ALL_PHASES)
        parts["placed_outside"] = outside.groupby(keys).size()
    t = pd.DataFrame(parts).fillna(0)
    if "placed_outside" not in t.columns:
        t["placed_outside"] = 0
    t = t.astype("int64").reset_index()
    phases = [*S.PHASES, ALL_PHASES]
    t = t.loc[t["phase"].isin(phases) & t["primary_need"].isin(S.NEEDS)]
    t = t.assign(_p=t["phase"].map(phases.index), _n=t["primary_need"].map(S.NEEDS.index))
    t = t.sort_values(["_p", "_n"]).drop(columns=["_p", "_n"]).reset_index(drop=True)
    t["demand"] = t["on_roll"] + t["awaiting_start"] + t["placed_outside"]
    t["places_less_demand"] = t["places"] - t["demand"]
    return t[["phase", "primary_need", "places", "on_roll", "awaiting_start",
              "placed_outside", "demand", "places_less_demand"]]
