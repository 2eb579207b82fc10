"""Estyn-style outcome measures of one school year: the evidence of an authority-wide report.

Estyn found that local authorities "do not collect and analyse data about the various
groups of pupils" in resource bases and so "are unaware of which groups are progressing
well and whether or not resource bases provide value for money" (*Joining in*, 2008,
paragraph 17 and recommendation R5). This module gathers, for one school year, the
measures such a report needs, for the authority, each SRB and each primary need
(:mod:`srb_eval.measures.groups`). It is built only from the public measures of the other
families:

- :func:`progress_outcomes` on :func:`year_progress`: learners making at least expected
  progress per area (:func:`srb_eval.measures.progress.dataset_progress`);
- :func:`~srb_eval.measures.inclusion_outcomes.inclusion_outcomes`: time in mainstream
  classes, trends and the exit review (:mod:`srb_eval.measures.inclusion_outcomes`);
- :func:`occupancy_outcomes`: occupancy and unfilled places
  (:func:`srb_eval.measures.occupancy.occupancy`);
- qualifications (:mod:`srb_eval.measures.qualifications`), attendance and exclusions
  (:mod:`srb_eval.measures.wellbeing`), destinations and stays
  (:mod:`srb_eval.measures.destinations`);
- :func:`evaluate`: all of them for one year, and :func:`outcome_measures`: the tidy
  table of every measure x group (count, n, value) that findings and year-on-year
  comparisons are made from.

The measures know nothing of the reader: the words (Estyn's quantifiers, sentences,
findings) and the disclosure control are in :mod:`srb_eval.report.outcomes`,
:mod:`srb_eval.report.quantifiers` and :mod:`srb_eval.report.findings`.

References
----------
.. [1] Estyn (2008). *Joining in: a survey of resource bases attached to mainstream
   schools in Wales*. Cardiff: Estyn: paragraphs 17 (data on groups of pupils), 21
   (unfilled places "poor value for money"), 24-27 (standards, progress, qualifications,
   personal and social skills, integration), 76 (exit criteria); recommendation R5.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..data import schema as S
from ..errors import ParameterError, check_argument
from ..params import SchoolYear, iso_date, school_year, whole_number

# the public measures of other families, through their modules as they are today
from . import (
    destinations,
    occupancy,
    progress,
    qualifications,
    wellbeing,
)
from .groups import (
    ALL,
    BY,
    GROUP_TYPES,
    authority_dataset,
    authority_name,
    check_by,
    group_index,
    srb_order,
    stack_groups,
)
from .inclusion_outcomes import inclusion_outcomes

__all__ = [
    "AREAS",
    "CENSUS_MONTH_DAY",
    "MEASURES",
    "Outcomes",
    "default_census_date",
    "evaluate",
    "occupancy_outcomes",
    "outcome_measures",
    "progress_outcomes",
    "year_progress",
]

#: The areas of Estyn's "standards and progress" (Joining in, paragraphs 24 and 26).
AREAS: tuple[str, ...] = ("literacy", "numeracy", "communication", "personal_social")
#: Census day of the occupancy count: 1 October (autumn term), as Fig. 3 of the 2020
#: strategy ("Numbers Autumn 2020") is read in :mod:`srb_eval.data.published`.
CENSUS_MONTH_DAY = (10, 1)

#: Every measure of :func:`outcome_measures`, in report order: what its share counts
#: (``unit``: "learners", "sessions", "per_100" or "places") and which way is better.
MEASURES: dict[str, dict[str, str]] = {
    **{f"progress_{a}": {"unit": "learners", "better": "higher"} for a in AREAS},
    "leavers_with_award": {"unit": "learners", "better": "higher"},
    "attendance_rate": {"unit": "sessions", "better": "higher"},
    "persistent_absence": {"unit": "learners", "better": "lower"},
    "learners_excluded": {"unit": "learners", "better": "lower"},
    "exclusion_rate": {"unit": "per_100", "better": "lower"},
    "inclusion_at_least_half": {"unit": "learners", "better": "higher"},
    "inclusion_rising": {"unit": "learners", "better": "higher"},
    "inclusion_falling": {"unit": "learners", "better": "lower"},
    "returned_to_mainstream": {"unit": "learners", "better": "higher"},
    "stayed_after_exit_criterion": {"unit": "learners", "better": "lower"},
    "unfilled_places": {"unit": "places", "better": "lower"},
}


def default_census_date(year: str | SchoolYear) -> pd.Timestamp:
    """The occupancy census day of a school year: 1 October (autumn term).

    Examples
    --------
    >>> default_census_date("2025/26")
    Timestamp('2025-10-01 00:00:00')
    """
    return pd.Timestamp(school_year(year).start.year, *CENSUS_MONTH_DAY)


# --------------------------------------------------------------------------- standards


def year_progress(ds: Any, year: str | SchoolYear, **kwargs: Any) -> pd.DataFrame:
    """:func:`srb_eval.measures.progress.dataset_progress` over one school year.

    Progress is from each placement's baseline to the latest assessment on or before
    31 August of the year; a result counts only if at least one of its assessments falls
    in the year (``window_start`` 1 September, ``window_end`` 31 August). ``kwargs`` go to
    :func:`srb_eval.measures.progress.learner_progress`.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> year_progress(ds, "2022/23")["band"].astype("str").tolist()
    ['expected', 'below']
    """
    y = school_year(year)
    return progress.dataset_progress(ds, window_start=y.start.strftime("%Y-%m-%d"),
                              window_end=y.end.strftime("%Y-%m-%d"), **kwargs)


def progress_outcomes(progress: pd.DataFrame, *, areas: Sequence[str] = AREAS,
                      by: Sequence[str] = BY, combine: str = "all",
                      srb_ids: Sequence[str] = ()) -> pd.DataFrame:
    """How many learners made at least expected progress from baseline, per area and group.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.measures.progress.learner_progress` (or :func:`year_progress`), with
        ``learner_id``, ``srb_id``, ``area``, ``band`` and, to group by need,
        ``primary_need``.
    areas : list of str, default ("literacy", "numeracy", "communication",
        "personal_social")
    by : list of str, default ("srb_id", "primary_need")
        Breakdowns besides the authority.
    combine : {"all", "any"}, default "all"
        A learner assessed in one area with several instruments (or in two placements)
        has several bands. ``"all"``: at least expected progress only if no band is
        "below" (a learner cannot be flattered by one instrument); ``"any"``: if any band
        is expected or above.
    srb_ids : list of str, optional
        Every SRB to show (those without results get zero rows), in order.

    Returns
    -------
    DataFrame
        One row per group x area (authority first, then SRBs, then needs; areas in the
        order given): ``group_type``, ``group``, ``area``, ``n_learners`` (learners with
        any result in the area), ``n_judged`` (learners with an expected-progress band),
        ``n_at_least_expected``, ``n_below``, ``n_not_judged`` (no follow-up yet, too soon
        to judge, or no expectation for the instrument) and ``share_at_least_expected``
        (of ``n_judged``; NaN when 0).

    Notes
    -----
    The bands are those of :func:`srb_eval.measures.progress.learner_progress`. Per group and area:

    .. math:: \\text{share} = \\frac{\\#\\{i : \\text{band}_i \\in
              \\{\\text{expected}, \\text{above}\\}\\}}{\\#\\{i : \\text{band}_i
              \\text{ known}\\}}

    counting learners, not results. Given :func:`year_progress` (as reports give it), a
    learner who moved SRB counts once, in the SRB of their latest placement with a result
    (:func:`srb_eval.measures.progress.latest_placement_results`); given every placement's
    rows (:func:`~srb_eval.measures.progress.learner_progress`), in each SRB they had a
    result in, and once for the authority. Every row carries its n; no row is dropped.

    References
    ----------
    .. [1] Estyn (2008). *Joining in*, paragraph 24: "Most pupils make consistent progress
       in gaining literacy and numeracy skills"; paragraph 26 (personal and social skills).

    Examples
    --------
    >>> p = pd.DataFrame({"learner_id": ["L1", "L1", "L2", "L3"], "srb_id": "A",
    ...     "area": "literacy", "band": ["expected", "below", "above", None]})
    >>> progress_outcomes(p, areas=["literacy"], by=[])[
    ...     ["n_learners", "n_judged", "n_at_least_expected", "n_below"]].values.tolist()
    [[3, 2, 1, 1]]
    """
    keys = check_by(by)
    check_argument(combine in ("all", "any"), "combine", '"all" or "any"', combine,
                   error=ParameterError)
    areas = [areas] if isinstance(areas, str) else list(areas)
    check_argument(len(areas) > 0 and all(a in S.AREAS for a in areas), "areas",
                   "a list of areas from " + ", ".join(S.AREAS), areas, error=ParameterError)
    need = ["learner_id", "srb_id", "area", "band", *[c for c in keys if c != "srb_id"]]
    missing = [c for c in need if c not in progress.columns]
    check_argument(not missing, "progress", "a table from srb_eval.measures.progress.learner_progress "
                   "with columns " + ", ".join(need), missing, error=ParameterError)
    # learners are told apart by integer codes (one factorize of their ids)
    p = progress.loc[progress["area"].isin(areas), need].assign(
        learner_id=lambda d: pd.factorize(d["learner_id"].astype("str"))[0],
        area=lambda d: d["area"].astype("str"),
        banded=lambda d: d["band"].notna(),
        good=lambda d: d["band"].isin(["expected", "above"]),
        bad=lambda d: d["band"].isin(["below"]))
    # a learner's bands in a group and area are combined first, then learners are counted
    per = stack_groups(p, keys).groupby(["group_type", "group", "area", "learner_id"],
                                        sort=False)[["banded", "good", "bad"]].any()
    ok = per["banded"] & (~per["bad"] if combine == "all" else per["good"])
    per = per.assign(ok=ok, below=per["banded"] & ~ok)
    agg = per.groupby(["group_type", "group", "area"], sort=False).agg(
        n_learners=("ok", "size"), n_judged=("banded", "sum"),
        n_at_least_expected=("ok", "sum"), n_below=("below", "sum"))
    groups = group_index(keys, list(srb_ids), agg.index.to_frame(index=False))
    full = pd.MultiIndex.from_tuples([(*g, a) for g in groups for a in areas],
                                     names=["group_type", "group", "area"])
    out = agg.reindex(full).fillna(0).astype("int64").reset_index()
    out["n_not_judged"] = out["n_learners"] - out["n_judged"]
    out["share_at_least_expected"] = (out["n_at_least_expected"] / out["n_judged"]).where(
        out["n_judged"] > 0)
    return out


def occupancy_outcomes(ds: Any, *, census_date: Any) -> pd.DataFrame:
    """Occupancy and unfilled places per SRB at a census date
    (:func:`srb_eval.measures.occupancy.occupancy`, whose columns it returns: ``srb_id``, ``name``,
    ``capacity``, ``on_roll``, ``occupancy``, ``unfilled_places``, ``status``...)."""
    return occupancy.occupancy(ds, iso_date(census_date, "census_date"))


# --------------------------------------------------------------------------- one year


@dataclasses.dataclass(frozen=True)
class Outcomes:
    """Every result table of one school year (see :func:`evaluate`)."""

    academic_year: SchoolYear
    local_authority: str
    census_date: pd.Timestamp
    min_n: int
    supplied: dict[str, bool]
    progress: pd.DataFrame
    awards: pd.DataFrame
    leavers: pd.DataFrame
    attendance: pd.DataFrame
    exclusions: pd.DataFrame
    inclusion: pd.DataFrame
    destinations: pd.DataFrame
    exit_reasons: pd.DataFrame
    stays: pd.DataFrame
    occupancy: pd.DataFrame
    srb_names: dict[str, str]
    measures: pd.DataFrame
    n_placed: int = 0

    @property
    def has_data(self) -> bool:
        """Whether any learner was placed in an SRB in the year (``n_placed``), or anything
        was measured in it.

        Placements are the one table every dataset has, so a year with learners on roll
        has data even when no optional table (attendance, exclusions, assessments,
        inclusion) has a record in it yet, as early in the year or in a dataset of
        placements only: its occupancy and unfilled places are still measured.
        """
        m = self.measures
        return self.n_placed > 0 or bool(len(m) and (m.loc[m["unit"] != "places", "n"] > 0
                                                     ).any())


def evaluate(ds: Any, *, academic_year: str | SchoolYear, min_n: int = 5,
             census_date: Any = None, local_authority: str | None = None,
             combine: str = "all", inclusion_shares: pd.DataFrame | None = None,
             measures_only: bool = False) -> Outcomes:
    """Every outcome measure of one school year, by SRB and by primary need.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        ``"2025/26"`` (1 September 2025 - 31 August 2026).
    min_n : int, default 5
        Fewest learners for a judgement (``judged`` in :func:`outcome_measures`; medians
        of stays).
    census_date : str or date, optional
        Occupancy census, an ISO date such as ``"2025-10-01"``; default
        :func:`default_census_date` (1 October).
    local_authority : str, optional
        Restrict to one authority's SRBs
        (:func:`~srb_eval.measures.groups.authority_dataset`); None: the whole
        dataset, named after its authority.
    combine : {"all", "any"}, default "all"
        See :func:`progress_outcomes`.
    inclusion_shares : DataFrame, optional
        ``term_shares(ds, local_authority)``
        (:func:`~srb_eval.measures.inclusion_outcomes.term_shares`, with the same ``ds``
        and ``local_authority``), when already computed for another year; None: computed
        here.
    measures_only : bool, default False
        True: only the tables the measures are made from (every table but ``awards``,
        ``exit_reasons`` and ``stays``, which are left empty): enough for a year that is
        only compared with, whose ``measures`` alone are shown.

    Returns
    -------
    Outcomes
        The tables of :func:`progress_outcomes` (on :func:`year_progress`),
        :func:`~srb_eval.measures.qualifications.qualification_awards`,
        :func:`~srb_eval.measures.qualifications.leaver_awards`,
        :func:`~srb_eval.measures.wellbeing.attendance_outcomes`,
        :func:`~srb_eval.measures.wellbeing.exclusion_outcomes`,
        :func:`~srb_eval.measures.inclusion_outcomes.inclusion_outcomes`,
        :func:`~srb_eval.measures.destinations.destination_outcomes`,
        :func:`~srb_eval.measures.destinations.exit_reasons`,
        :func:`~srb_eval.measures.destinations.stay_outcomes`,
        :func:`occupancy_outcomes`, and ``measures`` (:func:`outcome_measures`).
        ``supplied`` says which optional tables the dataset has; ``n_placed`` is the
        number of learners placed in an SRB on any day of the year
        (:func:`srb_eval.measures.wellbeing.on_roll_in_year`).

    Raises
    ------
    ParameterError
        A bad school year, ``min_n``, authority or census date (a date not written
        YYYY-MM-DD, such as "01/10/2025", is refused rather than guessed).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> res = evaluate(ds, academic_year="2022/23", min_n=1)
    >>> res.census_date, res.has_data
    (Timestamp('2022-10-01 00:00:00'), True)
    >>> evaluate(ds, academic_year="2022/23", census_date="01/10/2022")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    srb_eval.errors.ParameterError: census_date: must be a date written YYYY-MM-DD or None; got...
    """
    year = school_year(academic_year)
    k = whole_number(min_n, "min_n", minimum=1)
    census = iso_date(census_date, "census_date", optional=True)
    name = authority_name(ds, local_authority)
    ds = authority_dataset(ds, local_authority)
    census = default_census_date(year) if census is None else census
    supplied = {t: ds.has(t) for t in ("assessments", "instruments", "qualifications",
                                       "attendance", "exclusions", "inclusion")}
    ids = srb_order(ds)
    # every recorded award, read once for both award tables
    awards = qualifications.award_records(ds) if supplied["qualifications"] else None
    check_argument(isinstance(measures_only, bool), "measures_only", "True or False",
                   measures_only, error=ParameterError)
    full = not measures_only
    res = Outcomes(
        academic_year=year, local_authority=name, census_date=census, min_n=k,
        supplied=supplied,
        progress=progress_outcomes(year_progress(ds, year), srb_ids=ids, combine=combine),
        awards=(qualifications.qualification_awards(ds, academic_year=year, records=awards)
                if full else pd.DataFrame()),
        leavers=qualifications.leaver_awards(ds, academic_year=year, records=awards),
        attendance=wellbeing.attendance_outcomes(ds, academic_year=year),
        exclusions=wellbeing.exclusion_outcomes(ds, academic_year=year),
        inclusion=inclusion_outcomes(ds, academic_year=year, shares=inclusion_shares),
        destinations=destinations.destination_outcomes(ds, academic_year=year),
        exit_reasons=(destinations.exit_reasons(ds, academic_year=year) if full
                      else pd.DataFrame()),
        stays=(destinations.stay_outcomes(ds, academic_year=year, min_n=k) if full
               else pd.DataFrame()),
        occupancy=occupancy_outcomes(ds, census_date=census),
        srb_names=dict(zip(ds.srbs["srb_id"].astype("str"),
                           ds.srbs["name"].astype("str").fillna(ds.srbs["srb_id"].astype(
                               "str")), strict=True)),
        measures=pd.DataFrame(),
        n_placed=int(wellbeing.on_roll_in_year(ds, year)["learner_id"].nunique()))
    return dataclasses.replace(res, measures=outcome_measures(res))


#: Where each measure's count and n are in the tables of :class:`Outcomes`: (table,
#: count column, n column, column of the learners behind the row), and the optional
#: tables it needs.
SOURCES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    **{f"progress_{a}": ("progress", "n_at_least_expected", "n_judged", "n_judged",
                         ("assessments", "instruments")) for a in AREAS},
    "leavers_with_award": ("leavers", "n_with_award", "n_leavers", "n_leavers", ()),
    "attendance_rate": ("attendance", "sessions_attended", "sessions_possible",
                        "n_learners", ("attendance",)),
    "persistent_absence": ("attendance", "n_persistent_absence", "n_learners",
                           "n_learners", ("attendance",)),
    "learners_excluded": ("exclusions", "n_learners_excluded", "n_learners", "n_learners",
                          ("exclusions",)),
    "exclusion_rate": ("exclusions", "n_exclusions", "n_learners", "n_learners",
                       ("exclusions",)),
    "inclusion_at_least_half": ("inclusion", "n_at_least_half", "n_learners", "n_learners",
                                ("inclusion",)),
    "inclusion_rising": ("inclusion", "n_rising", "n_with_trend", "n_with_trend",
                         ("inclusion",)),
    "inclusion_falling": ("inclusion", "n_falling", "n_with_trend", "n_with_trend",
                          ("inclusion",)),
    "returned_to_mainstream": ("destinations", "n_to_mainstream", "n_leavers", "n_leavers",
                               ()),
    "stayed_after_exit_criterion": ("inclusion", "n_stayed_after_exit_criterion", "n_core",
                                    "n_core", ("inclusion",)),
}


def _places(occupancy: pd.DataFrame) -> pd.DataFrame:
    """Unfilled places of each SRB and their total (learners on roll behind each row)."""
    rows = pd.DataFrame({"measure": "unfilled_places", "group_type": "srb_id",
                         "group": occupancy["srb_id"].astype("str"),
                         "count": occupancy["unfilled_places"].astype("float64"),
                         "n": occupancy["capacity"].astype("float64"),
                         "n_learners": occupancy["on_roll"].astype("float64")})
    total = pd.DataFrame({"measure": ["unfilled_places"], "group_type": ["authority"],
                          "group": [ALL], "count": [rows["count"].sum(min_count=1)],
                          "n": [rows["n"].sum()],
                          "n_learners": [rows["n_learners"].sum(min_count=1)]})
    return pd.concat([total, rows], ignore_index=True)


def outcome_measures(res: Outcomes) -> pd.DataFrame:
    """The tidy table of every measure x group of one year (what findings are made from).

    Parameters
    ----------
    res : Outcomes
        From :func:`evaluate`.

    Returns
    -------
    DataFrame
        One row per measure of :data:`MEASURES` x group (the authority, each SRB, each
        need) whose source table was supplied: ``academic_year``, ``measure``, ``unit``
        ("learners", "sessions", "per_100", "places"), ``better`` ("higher" or "lower"),
        ``group_type``, ``group``, ``group_label`` (SRB name, need code or "all SRBs"),
        ``count``, ``n`` (the share is count / n: learners, sessions or places),
        ``n_learners`` (learners behind the row), ``value`` (the share 0-1, or exclusions
        per 100 learners; NaN when n is 0) and ``judged`` (``n_learners >= min_n``;
        places: capacity > 0).

    Notes
    -----
    .. math:: \\text{value} = \\frac{\\text{count}}{n}

    except for ``exclusion_rate``, whose value is the rate per 100 learners of
    :func:`~srb_eval.measures.wellbeing.exclusion_outcomes`. A group of fewer than
    ``min_n`` learners is not judged: findings are never made from it.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> m = evaluate(ds, academic_year="2022/23", min_n=1).measures
    >>> m.loc[m["group_type"] == "authority", ["measure", "count", "n", "value"]].head(2)
                 measure  count  n  value
    0  progress_literacy      1  2    0.5
    5  progress_numeracy      0  0    NaN
    """
    parts = []
    for measure, (table, count, n, n_learners, needs) in SOURCES.items():
        if not all(res.supplied[t] for t in needs):
            continue
        t = getattr(res, table)
        if table == "progress":
            t = t.loc[t["area"] == measure.removeprefix("progress_")]
        part = pd.DataFrame({"measure": measure, "group_type": t["group_type"].to_numpy(),
                             "group": t["group"].astype("str").to_numpy(),
                             "count": t[count].to_numpy(dtype=float),
                             "n": t[n].to_numpy(dtype=float),
                             "n_learners": t[n_learners].to_numpy(dtype=float)})
        if measure == "exclusion_rate":
            part["value"] = t["rate_per_100"].to_numpy(dtype=float)
        parts.append(part)
    parts.append(_places(res.occupancy))
    m = pd.concat(parts, ignore_index=True)
    share = (m["count"] / m["n"]).where(m["n"] > 0)
    m["value"] = m["value"].where(m["value"].notna(), share) if "value" in m else share
    m["unit"] = m["measure"].map(lambda x: MEASURES[x]["unit"])
    m["better"] = m["measure"].map(lambda x: MEASURES[x]["better"])
    places = m["unit"] == "places"
    m["judged"] = ((places & (m["n"] > 0))
                   | (~places & (m["n_learners"] >= res.min_n) & (m["n_learners"] >= 1)))
    m["academic_year"] = res.academic_year.label
    m["group_label"] = m["group"].where(m["group_type"] != "srb_id", m["group"].map(
        lambda g: res.srb_names.get(g, g)))
    order = {g: i for i, g in enumerate(GROUP_TYPES)}
    mo = {k: i for i, k in enumerate(MEASURES)}
    m = m.assign(_m=m["measure"].map(mo), _g=m["group_type"].map(order)).sort_values(
        ["_m", "_g"], kind="stable")
    for c in ("count", "n", "n_learners"):
        m[c] = m[c].astype("Int64")
    cols = ["academic_year", "measure", "unit", "better", "group_type", "group",
            "group_label", "count", "n", "n_learners", "value", "judged"]
    return m[cols].reset_index(drop=True)
