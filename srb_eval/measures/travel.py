"""Travel by area: whether learners are placed in an SRB of the area they live in.

The authority's review of additional learning provision commits to reducing placements
"at significant cost and travel requirements"; Estyn (2008, *Joining in*) found
learners travelling long distances to resource bases. Where ``learners.home_area`` and
``srbs.school_area`` are given (coarse area codes: cluster or catchment, never a
postcode, :mod:`srb_eval.data.schema`), :func:`travel_by_area` counts, for each home
area, the learners on roll on a day in an SRB of their own area and of another area,
and the placements outside the authority's SRBs (``external_placements.home_area``).
On roll follows :mod:`srb_eval.measures.roll`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..params import iso_date
from . import roll

__all__ = ["ALL_AREAS", "NOT_RECORDED", "WHERE", "area_of", "travel_by_area"]

#: Label of the total row over home areas.
ALL_AREAS = "all areas"
#: An area that is not recorded (empty cell or no column).
NOT_RECORDED = "not recorded"
#: Where a learner on roll is placed, against their home area.
WHERE: tuple[str, ...] = ("in home area", "in another area", "area not recorded")


def area_of(table: pd.DataFrame, column: str) -> pd.Series:
    """The area codes of ``column`` as text, :data:`NOT_RECORDED` where empty or where
    ``table`` has no such column.

    >>> area_of(pd.DataFrame({"home_area": ["CL1", None]}), "home_area").tolist()
    ['CL1', 'not recorded']
    """
    if column not in table.columns:
        return pd.Series(NOT_RECORDED, index=table.index, dtype="str")
    col = table[column]
    return col.astype("str").where(col.notna(), NOT_RECORDED)


def travel_by_area(ds: Any, census_date: object) -> pd.DataFrame:
    """Learners on roll on a day by home area: placed in an SRB of their own area, of
    another area, or with an area not recorded; and placements outside the SRBs open
    that day by home area.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``learners`` and ``placements``; reads ``learners.home_area``,
        ``srbs.school_area`` and ``external_placements`` (with ``home_area``) where
        given.
    census_date : date
        The day counted (``"2025-10-01"``).

    Returns
    -------
    pandas.DataFrame
        One row per home area (every area of ``learners`` and ``external_placements``,
        sorted, then :data:`NOT_RECORDED` if any is missing), then :data:`ALL_AREAS`:
        ``home_area``, ``on_roll`` (distinct learners on roll), the :data:`WHERE`
        counts ``in_home_area``, ``in_another_area``, ``area_not_recorded`` (adding up
        to ``on_roll``), ``share_another_area`` (in another area / those with both areas
        recorded; NaN for none) and ``placed_outside`` (external placements open on the
        day; 0 without the table).

    Notes
    -----
    For home area :math:`a`, with :math:`h_i` learner :math:`i`'s home area and
    :math:`s_i` the area of the SRB they are on roll in on day :math:`d`:

    .. math:: \\text{another area}_a = \\#\\{i : h_i = a,\\ s_i \\ne a\\}, \\quad
              \\text{share} = \\frac{\\text{another area}_a}
              {\\#\\{i : h_i = a,\\ s_i \\text{ recorded}\\}}

    Areas are codes, not distances: a learner placed in the next cluster and one placed
    across the county both count as "another area". A learner is on roll in one SRB a
    day (:func:`srb_eval.measures.roll.last_day`).

    Examples
    --------
    Three learners of area A on roll: two in A's SRB, one in B's; one learner of B in
    B's SRB; one placement outside for a learner of A. Area A: 3 on roll, 2 at home, 1
    in another area (share 1/3), 1 placed outside.

    >>> from types import SimpleNamespace
    >>> d = lambda *v: pd.to_datetime(list(v))
    >>> ds = SimpleNamespace(
    ...     srbs=pd.DataFrame({"srb_id": ["SA", "SB"], "school_area": ["A", "B"],
    ...                        "phase": ["primary"] * 2, "age_to": [11, 11]}),
    ...     learners=pd.DataFrame({"learner_id": list("abcd"),
    ...                            "home_area": ["A", "A", "A", "B"],
    ...                            "birth_month": d(*["2016-01-01"] * 4),
    ...                            "primary_need": ["ASD"] * 4}),
    ...     placements=pd.DataFrame({"learner_id": list("abcd"),
    ...         "srb_id": ["SA", "SA", "SB", "SB"], "referral_date": d(*[None] * 4),
    ...         "panel_date": d(*[None] * 4), "start_date": d(*["2024-09-02"] * 4),
    ...         "end_date": d(*[None] * 4)}),
    ...     external_placements=pd.DataFrame({"home_area": ["A"],
    ...         "start_date": d("2024-09-02"), "end_date": d(None)}))
    >>> t = travel_by_area(ds, "2025-10-01")
    >>> t[["home_area", "on_roll", "in_home_area", "in_another_area",
    ...    "placed_outside"]].to_numpy().tolist()
    [['A', 3, 2, 1, 1], ['B', 1, 1, 0, 0], ['all areas', 4, 3, 1, 1]]
    >>> round(float(t["share_another_area"].iloc[0]), 3)
    0.333
    """
    roll.check_dataset(ds)
    d = iso_date(census_date, "census_date")
    p = roll.placement_table(ds)
    on = roll.on_roll(p, d).fillna(False).astype(bool)
    srbs = ds.srbs.drop_duplicates("srb_id")
    learners = ds.learners.drop_duplicates("learner_id")
    srb_area = pd.Series(area_of(srbs, "school_area").to_numpy(),
                         index=srbs["srb_id"].astype("str").to_numpy())
    home = pd.Series(area_of(learners, "home_area").to_numpy(),
                     index=learners["learner_id"].astype("str").to_numpy())
    t = pd.DataFrame({"learner_id": p.loc[on, "learner_id"].astype("str").to_numpy(),
                      "srb_id": p.loc[on, "srb_id"].astype("str").to_numpy()})
    t = t.drop_duplicates("learner_id", keep="last")
    t["home_area"] = t["learner_id"].map(home).fillna(NOT_RECORDED)
    there = t["srb_id"].map(srb_area).fillna(NOT_RECORDED)
    known = (t["home_area"] != NOT_RECORDED) & (there != NOT_RECORDED)
    t["where"] = np.select([known & (there == t["home_area"]), known], list(WHERE[:2]),
                           default=WHERE[2])
    counts = pd.crosstab(t["home_area"], t["where"]).reindex(columns=list(WHERE),
                                                              fill_value=0)
    e = getattr(ds, "external_placements", None)
    outside = pd.Series(dtype="int64")
    areas = set(home) | set(counts.index)
    if e is not None:
        open_ = (pd.to_datetime(e["start_date"]) <= d) & (
            e["end_date"].isna() | (pd.to_datetime(e["end_date"]) >= d))
        e_area = area_of(e, "home_area")
        outside = e_area.loc[open_.fillna(False).astype(bool)].value_counts()
        areas |= set(e_area)
    rows = sorted(areas - {NOT_RECORDED}) + ([NOT_RECORDED] if NOT_RECORDED in areas
                                             else [])
    out = counts.reindex(rows, fill_value=0).astype("int64")
    out.columns = ["in_home_area", "in_another_area", "area_not_recorded"]
    out["placed_outside"] = outside.reindex(rows, fill_value=0).astype("int64")
    out.loc[ALL_AREAS] = out.sum()
    out = out.rename_axis("home_area").reset_index()
    out.insert(1, "on_roll", out[["in_home_area", "in_another_area",
                                  "area_not_recorded"]].sum(axis=1))
    both = out["in_home_area"] + out["in_another_area"]
    out.insert(5, "share_another_area",
               (out["in_another_area"] / both.where(both > 0)).astype("float64"))
    return out
