"""Transition and destinations: where the year's leavers went, why, and how long they stayed.

Estyn (*Joining in*, 2008) asks whether resource bases return learners to mainstream
classes and warns that "pupils can stay too long in the resource base" (paragraph 76).
:func:`destination_outcomes` counts the year's leavers by destination,
:func:`exit_reasons` the reasons recorded, and :func:`stay_outcomes` their length of stay
(:func:`srb_eval.measures.stays.length_of_stay`), each for the authority, each SRB and each
primary need (:mod:`srb_eval.measures.groups`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..data import schema as S
from ..params import SchoolYear, school_year, whole_number

# the public measure of another family, through its module as it is today
from . import roll, stays
from .groups import (
    ALL,
    BY,
    NOT_RECORDED,
    check_by,
    complete_groups,
    in_year,
    learner_needs,
    srb_order,
    stack_groups,
    with_needs,
)

__all__ = ["DESTINATION_COLUMNS", "destination_outcomes", "exit_reasons", "stay_outcomes"]

#: The count columns of :func:`destination_outcomes`: the destination vocabulary, then
#: "not_recorded".
DESTINATION_COLUMNS: tuple[str, ...] = (*S.DESTINATIONS, "not_recorded")


def _leavers(ds: Any, year: SchoolYear) -> pd.DataFrame:
    p = ds.placements
    return p.loc[in_year(p["end_date"], year)]


def destination_outcomes(ds: Any, *, academic_year: str | SchoolYear,
                         by: Sequence[str] = BY) -> pd.DataFrame:
    """Leavers in the year by destination, and returns to mainstream, by group.

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_leavers`` (placements that
        ended in the year; a learner who left two SRBs counts in each, once for the
        authority), one count column per destination of :data:`DESTINATION_COLUMNS`,
        ``n_to_mainstream`` (= ``mainstream``) and ``share_to_mainstream`` (NaN with no
        leaver).

    Notes
    -----
    .. math:: \\text{share}_g = \\frac{\\#\\{\\text{leavers of } g \\text{ to mainstream}\\}}
              {\\#\\{\\text{leavers of } g\\}}

    A move to another SRB (``other_srb``) ends a placement and counts as a leaver of that
    SRB, as in :func:`srb_eval.measures.stays.turnover`. A learner counts once per group, with
    their last-listed destination in it.

    References
    ----------
    .. [1] Estyn (2008). *Joining in*: transition and returns to mainstream classes.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> destination_outcomes(ds, academic_year="2022/23", by=[])["n_leavers"].tolist()
    [1]
    """
    year = school_year(academic_year)
    keys = check_by(by)
    p = _leavers(ds, year)
    lv = with_needs(pd.DataFrame({
        "learner_id": p["learner_id"].astype("str").to_numpy(),
        "srb_id": p["srb_id"].astype("str").to_numpy(),
        "destination": p["destination"].astype("str").fillna("not_recorded").to_numpy()}), ds)
    st = stack_groups(lv, keys).drop_duplicates(["group_type", "group", "learner_id"],
                                                keep="last")
    agg = pd.crosstab([st["group_type"], st["group"]], st["destination"]).reindex(
        columns=list(DESTINATION_COLUMNS), fill_value=0)
    agg.columns.name = None
    agg["n_leavers"] = agg.sum(axis=1)
    out = complete_groups(agg, keys, srb_order(ds), ["n_leavers", *DESTINATION_COLUMNS])
    out["n_to_mainstream"] = out["mainstream"]
    out["share_to_mainstream"] = (out["n_to_mainstream"] / out["n_leavers"]).where(
        out["n_leavers"] > 0)
    return out[["group_type", "group", "n_leavers", *DESTINATION_COLUMNS, "n_to_mainstream",
                "share_to_mainstream"]]


def exit_reasons(ds: Any, *, academic_year: str | SchoolYear) -> pd.DataFrame:
    """Reasons recorded for placements that ended in the year (authority-wide).

    Returns
    -------
    DataFrame
        ``exit_reason`` (free text, surrounding spaces removed; "not recorded" when
        empty) and ``n_leavers``, most frequent first (ties alphabetically).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> exit_reasons(ds, academic_year="2010/11").columns.tolist()
    ['exit_reason', 'n_leavers']
    """
    year = school_year(academic_year)
    reason = _leavers(ds, year)["exit_reason"].astype("str").str.strip()
    reason = reason.where(reason.notna() & (reason != ""), NOT_RECORDED)
    out = reason.value_counts().rename_axis("exit_reason").rename("n_leavers").reset_index()
    out = out.sort_values(["n_leavers", "exit_reason"], ascending=[False, True],
                          kind="stable").reset_index(drop=True)
    out["n_leavers"] = out["n_leavers"].astype("int64")
    return out


def stay_outcomes(ds: Any, *, academic_year: str | SchoolYear, by: Sequence[str] = BY,
                  min_n: int = 5) -> pd.DataFrame:
    """Length of stay of the year's leavers (and of those on roll at its end), by group.

    Calls :func:`srb_eval.measures.stays.length_of_stay` with ``census_date`` 31 August
    and ``data_from`` 1 September of the year, for the authority (``by=None``), by SRB
    (``by="srb_id"``) and by the learner's primary need (``by="primary_need"``; every need
    of a placed learner is listed, with zero counts where nobody left or is on roll).

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_left`` (placements that ended in
        the year), ``median_completed_years`` (NaN below ``min_n``), ``n_on_roll`` (at 31
        August), ``median_so_far_years`` (NaN below ``min_n``).

    Notes
    -----
    Stay in years :math:`= (\\min(\\text{end}, d) - \\text{start}) / 365.25`, with
    :math:`d` 31 August; medians as :func:`srb_eval.measures.stays.length_of_stay` gives them.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> stay_outcomes(ds, academic_year="2022/23", by=[], min_n=1)["n_left"].tolist()
    [1]
    """
    year = school_year(academic_year)
    keys = check_by(by)
    k = whole_number(min_n, "min_n", minimum=1)
    cols = ["n_left", "median_completed_years", "n_on_roll", "median_so_far_years"]
    kw = {"data_from": year.start, "min_n": k}
    stay = {b: stays.length_of_stay(ds, year.end, by=b, **kw) for b in keys or [None]}
    # the last row of each breakdown is that of every placement: the authority's
    whole = next(iter(stay.values())).iloc[-1:]
    parts = [whole.set_index("group")[cols].rename(index={roll.ALL: ALL}).assign(
        group_type="authority")]
    if "srb_id" in keys:
        srb = stay["srb_id"]
        parts.append(srb.loc[srb["group"] != roll.ALL].set_index("group")[cols].assign(
            group_type="srb_id"))
    if "primary_need" in keys:
        need = stay["primary_need"]
        needs = sorted(ds.placements[["learner_id"]].astype("str").merge(
            learner_needs(ds), on="learner_id", how="left")["primary_need"]
            .fillna(NOT_RECORDED).unique())
        need = need.loc[need["group"] != roll.ALL].set_index("group")[cols].reindex(needs)
        need[["n_left", "n_on_roll"]] = need[["n_left", "n_on_roll"]].fillna(0)
        parts.append(need.assign(group_type="primary_need"))
    agg = pd.concat(parts).rename_axis("group").reset_index().set_index(
        ["group_type", "group"])[cols]
    return complete_groups(agg, keys, srb_order(ds), ["n_left", "n_on_roll"])[
        ["group_type", "group", *cols]]
