"""Inclusion by group: learners at or above the yardsticks, trend counts, the exit review.

Each function counts learners (one row per learner: their latest period, or their trend)
by SRB, phase or a learner characteristic. Numerators and denominators are columns, so
that the report layer can apply its disclosure policy to them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..params import iso_date, whole_number
from .attribution import attach_srb
from .inclusion import (
    CORE_EXIT_SHARE,
    ESTYN_SHARE,
    TYPICAL_SHARE,
    at_or_above,
    check_by,
    check_share,
    check_table,
    check_thresholds,
    latest_shares,
    share_ratio,
    threshold_column,
)

__all__ = ["GROUP_COLUMNS", "add_groups", "count_still_placed", "exit_review",
           "threshold_shares", "trend_counts"]

#: The columns learners can be grouped by: of the placement (srb_id), of the SRB (phase)
#: and of the learner.
GROUP_COLUMNS: tuple[str, ...] = ("srb_id", "phase", "primary_need", "sex", "fsm",
                                  "statutory_plan", "home_authority")


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    check_argument(ok, name, allowed, got, error=ParameterError)


def add_groups(frame: pd.DataFrame, by: Sequence[str], learners: pd.DataFrame | None,
               srbs: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` with the grouping columns ``by`` it lacks, joined from ``learners`` (on
    learner_id) and ``srbs`` (phase, on srb_id)."""
    out = frame
    learner_cols = [c for c in by if c not in ("srb_id", "phase") and c not in out.columns]
    if learner_cols:
        _check(learners is not None, "learners", f"the learners table (to group by "
               f"{', '.join(learner_cols)})", learners)
        check_table(learners, "learners", ["learner_id", *learner_cols])
        lk = learners[["learner_id", *learner_cols]].drop_duplicates("learner_id")
        out = out.merge(lk, on="learner_id", how="left")
    if "phase" in by and "phase" not in out.columns:
        _check(srbs is not None, "srbs", "the srbs table (to group by phase)", srbs)
        check_table(srbs, "srbs", ["srb_id", "phase"])
        out = out.merge(srbs[["srb_id", "phase"]].drop_duplicates("srb_id"), on="srb_id",
                        how="left")
    return out


def _group_values(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The grouping columns as plain values, so that groups sort alphabetically (not in
    the order of a categorical column's categories)."""
    return pd.DataFrame({c: frame[c].to_numpy() for c in by}, index=frame.index)


def _summarise(work: pd.DataFrame, by: list[str], total: bool, sums: list[str],
               medians: dict[str, str]) -> pd.DataFrame:
    """Sums of ``sums`` and medians (name -> column) per group of ``by``, sorted, with
    an "all" row when ``total``; one row for everything when ``by`` is empty."""
    def one(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        grp = (frame.groupby(keys, observed=True, sort=True, dropna=False) if keys
               else frame.groupby(np.zeros(len(frame), dtype=int), sort=False))
        res = grp[sums].sum()
        for name, col in medians.items():
            res[name] = grp[col].median()
        if not keys and len(res) == 0:  # nothing at all: one row of zeros
            res = pd.DataFrame({**{c: [0] for c in sums}, **{m: [np.nan] for m in medians}})
        return res.reset_index(drop=not keys)

    res = one(work, by)
    if by and total:
        for c in by:
            res[c] = res[c].astype(object).where(res[c].notna(), "not known").astype("str")
        everyone = one(work, []).assign(**{c: "all" for c in by})
        res = pd.concat([res, everyone[res.columns]], ignore_index=True)
    return res


def threshold_shares(shares: pd.DataFrame, learners: pd.DataFrame | None = None,
                     srbs: pd.DataFrame | None = None,
                     placements: pd.DataFrame | None = None, *,
                     thresholds: Sequence[float] = (TYPICAL_SHARE, ESTYN_SHARE),
                     core_threshold: float = CORE_EXIT_SHARE,
                     by: Sequence[str] = ("srb_id",), at: str = "latest",
                     total: bool = False) -> pd.DataFrame:
    """How many learners spend at least 50% / 60% of their week (80% of core) in mainstream.

    Parameters
    ----------
    shares : DataFrame
        From :func:`~srb_eval.measures.inclusion.learner_shares`, with or without
        ``srb_id`` (attached here from ``placements`` when absent, by
        :func:`srb_eval.measures.attribution.attach_srb`).
    learners, srbs, placements : DataFrame, optional
        The dataset's tables: ``learners`` for primary_need (and sex, fsm,
        statutory_plan, home_authority), ``srbs`` for phase, ``placements`` to attach
        srb_id. Needed only for the groupings asked for.
    thresholds : list of float, default (0.5, 0.6)
        Shares of all timetabled time (see :data:`~srb_eval.measures.inclusion.SOURCES`).
    core_threshold : float, default 0.8
        Share of core-subject time (the exit criterion).
    by : list of str, default ("srb_id",)
        Grouping columns from :data:`GROUP_COLUMNS`; ``()`` for one overall row.
    at : str, default "latest"
        ``"latest"``: each learner's latest period with a share; or a period label
        (``"2024/25 spring"``) to count the learners with a share in that period.
    total : bool, default False
        Append a row for all groups together (group columns ``"all"``; group columns
        become text and a missing group value reads ``"not known"``).

    Returns
    -------
    DataFrame
        One row per group (observed combinations, sorted), columns: the ``by`` columns;
        ``n`` (learners with a share); for each threshold t ``at_or_above_<t%>`` and
        ``pct_at_or_above_<t%>`` (e.g. ``at_or_above_50``, ``pct_at_or_above_50``);
        ``median_share``; ``core_n`` (learners with core minutes timetabled in that
        period); ``core_at_or_above_<c%>``, ``pct_core_at_or_above_<c%>``;
        ``median_core_share``; ``no_minutes`` (learners of the group whose period used
        has no share: no minutes timetabled). Percentages are 0-100 and NaN when the
        denominator is 0; shares 0-1.

    Notes
    -----
    .. math:: \\text{pct}_t = 100 \\, \\frac{\\#\\{i : s_i \\ge t\\}}{n}

    "At or above" includes the threshold exactly (120 of 240 minutes is at 50%); the
    comparison allows 1e-9 for floating-point rounding. Each learner counts once, in
    the group (SRB) of the period used; periods outside any placement are left out
    (the learner was not in an SRB then). A learner whose period has no core minutes
    timetabled counts in ``n`` but not in ``core_n``. A learner with records but no
    minutes timetabled at all (with ``at="latest"``: in none of their periods; else in
    the period asked for) has no share: they count in ``no_minutes``, in no ``n`` and
    in no percentage, and their group is kept, as :func:`trend_counts` keeps it (there
    they have "too few terms"); a group of such learners only has ``n`` 0 and missing
    percentages and medians. Medians of an empty group are NaN.

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1", "L2", "L3"], "srb_id": ["A", "A", "B"],
    ...     "period": ["p"] * 3, "term_index": [0.0] * 3,
    ...     "inclusion_share": [120 / 240, 0.4, 0.7],
    ...     "core_inclusion_share": [0.8, None, 0.5]})
    >>> t = threshold_shares(sh)
    >>> t[["srb_id", "n", "at_or_above_50", "core_n", "core_at_or_above_80"]].to_dict(
    ...     "list")
    {'srb_id': ['A', 'B'], 'n': [2, 1], 'at_or_above_50': [1, 1], 'core_n': [1, 1], \
'core_at_or_above_80': [1, 0]}
    """
    check_table(shares, "shares", ["learner_id", "period", "term_index", "inclusion_share",
                                   "core_inclusion_share"])
    ts = check_thresholds(list(thresholds) if isinstance(thresholds, tuple) else thresholds)
    core_t = check_share(core_threshold, "core_threshold")
    cols = check_by(by, GROUP_COLUMNS)
    _check(isinstance(total, (bool, np.bool_)), "total", "True or False", total)
    _check(isinstance(at, str), "at", "'latest' or a period label such as '2024/25 autumn'",
           at)
    if "srb_id" not in shares.columns:
        _check(placements is not None, "placements", "the placements table (shares has no "
               "srb_id column)", placements)
        shares = attach_srb(shares, placements, start="period_start", end="period_end")
    shares = shares.loc[shares["srb_id"].notna().to_numpy()]
    if at == "latest":
        chosen = latest_shares(shares, keep_without_share=True)
    else:
        labels = pd.unique(shares["period"])
        _check(at in set(labels), "at", "'latest' or a period present in shares (e.g. "
               + ", ".join(map(repr, list(labels[-3:]))) + ")", at)
        chosen = shares.loc[(shares["period"] == at).to_numpy()].reset_index(drop=True)
    chosen = add_groups(chosen, cols, learners, srbs)
    share = pd.to_numeric(chosen["inclusion_share"]).astype(float)
    core = pd.to_numeric(chosen["core_inclusion_share"]).astype(float)
    names = [threshold_column(t) for t in ts]
    core_name = threshold_column(core_t, prefix="core_at_or_above")
    work = _group_values(chosen, cols).assign(n=share.notna(), no_minutes=share.isna(),
                               _share=share, core_n=core.notna(),
                               _core=core, **{core_name: at_or_above(core, core_t)},
                               **{k: at_or_above(share, t) for k, t in zip(names, ts,
                                                                           strict=True)})
    res = _summarise(work, cols, total, ["n", "no_minutes", *names, "core_n", core_name],
                     {"median_share": "_share", "median_core_share": "_core"})
    out = res[cols].copy()
    out["n"] = res["n"].astype("int64")
    for name in names:
        out[name] = res[name].astype("int64")
        out["pct_" + name] = 100 * share_ratio(out[name].astype(float), out["n"])
    out["median_share"] = res["median_share"].astype(float)
    out["core_n"] = res["core_n"].astype("int64")
    out[core_name] = res[core_name].astype("int64")
    out["pct_" + core_name] = 100 * share_ratio(out[core_name].astype(float), out["core_n"])
    out["median_core_share"] = res["median_core_share"].astype(float)
    out["no_minutes"] = res["no_minutes"].astype("int64")
    return out.reset_index(drop=True)


def trend_counts(trends: pd.DataFrame, learners: pd.DataFrame | None = None,
                 srbs: pd.DataFrame | None = None, *, by: Sequence[str] = ("srb_id",),
                 total: bool = False) -> pd.DataFrame:
    """How many learners' inclusion is rising, steady or falling, by group.

    Parameters
    ----------
    trends : DataFrame
        From :func:`srb_eval.measures.inclusion_trends.learner_trends` (with ``srb_id``
        when grouping by SRB or phase).
    learners, srbs : DataFrame, optional
        For grouping by need (learners) or phase (srbs).
    by : list of str, default ("srb_id",)
        As in :func:`threshold_shares`; ``()`` for one overall row.
    total : bool, default False
        Append an "all" row (see :func:`threshold_shares`).

    Returns
    -------
    DataFrame
        The ``by`` columns; ``n`` (learners); ``rising``, ``steady``, ``falling``,
        ``too_few_terms`` (counts summing to n); ``with_trend`` (n - too_few_terms, the
        denominator of the first three); ``pct_rising``, ``pct_steady``,
        ``pct_falling`` (0-100 of with_trend, NaN when it is 0);
        ``median_first_share``, ``median_latest_share`` (over learners with a trend:
        "the median share moved from 31% to 44%"; NaN when none).

    Notes
    -----
    Counts only; the words come from the trends. Learners with too few terms are
    reported separately and not in any percentage.

    Examples
    --------
    >>> tr = pd.DataFrame({"learner_id": ["a", "b", "c"], "srb_id": ["A", "A", "A"],
    ...     "first_share": [0.2, 0.5, 0.3], "latest_share": [0.4, 0.5, np.nan],
    ...     "trend": ["rising", "steady", "too few terms"]})
    >>> trend_counts(tr)[["n", "rising", "with_trend", "pct_rising",
    ...                   "median_latest_share"]].to_dict("list")
    {'n': [3], 'rising': [1], 'with_trend': [2], 'pct_rising': [50.0], \
'median_latest_share': [0.45]}
    """
    check_table(trends, "trends", ["learner_id", "trend", "first_share", "latest_share"])
    cols = check_by(by, GROUP_COLUMNS)
    _check(isinstance(total, (bool, np.bool_)), "total", "True or False", total)
    if any(c in ("srb_id", "phase") for c in cols):
        check_table(trends, "trends", ["srb_id"])
    t = add_groups(trends, cols, learners, srbs)
    word = t["trend"].astype("str")
    judged = word != "too few terms"
    work = _group_values(t, cols).assign(
        n=1, rising=word == "rising", steady=word == "steady", falling=word == "falling",
        too_few_terms=~judged, _first=t["first_share"].astype(float).where(judged),
        _latest=t["latest_share"].astype(float).where(judged))
    words = ["rising", "steady", "falling"]
    res = _summarise(work, cols, total, ["n", *words, "too_few_terms"],
                     {"median_first_share": "_first", "median_latest_share": "_latest"})
    out = res[cols].copy()
    for c in ("n", *words, "too_few_terms"):
        out[c] = res[c].astype("int64")
    out["with_trend"] = out["n"] - out["too_few_terms"]
    for w in words:
        out["pct_" + w] = 100 * share_ratio(out[w].astype(float), out["with_trend"])
    out["median_first_share"] = res["median_first_share"].astype(float)
    out["median_latest_share"] = res["median_latest_share"].astype(float)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- exit review


def _placed_at(placements: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """The placements open at ``when``: started on or before it, not ended by it."""
    start, end = pd.to_datetime(placements["start_date"]), pd.to_datetime(
        placements["end_date"])
    open_ = ((start <= when) & (end.isna() | (end > when))).fillna(False).to_numpy()
    return placements.loc[open_]


def _data_end(shares: pd.DataFrame, as_of: object) -> pd.Timestamp | None:
    """``as_of``, or by default the latest period_end in ``shares`` (None if none)."""
    when = iso_date(as_of, "as_of", optional=True)
    if when is None:
        end = pd.to_datetime(shares["period_end"]).max()
        when = None if pd.isna(end) else pd.Timestamp(end).normalize()
    return when


def exit_review(shares: pd.DataFrame, placements: pd.DataFrame, *,
                core_threshold: float = CORE_EXIT_SHARE, sustained_periods: int = 2,
                as_of: object = None) -> pd.DataFrame:
    """Learners who meet the exit criterion (80% of core time in mainstream) yet stay.

    Parameters
    ----------
    shares : DataFrame
        From :func:`~srb_eval.measures.inclusion.learner_shares` (needs learner_id,
        period, period_start, period_end, term_index, core_inclusion_share).
    placements : DataFrame
        The ``placements`` table.
    core_threshold : float, default 0.8
        Share of core-subject time in mainstream that meets the criterion.
    sustained_periods : int, default 2
        Fewest successive periods at or above the threshold, ending with the learner's
        latest period, to be listed.
    as_of : None, ISO date ``"YYYY-MM-DD"`` or Timestamp
        The date at which "still placed" is judged. ``None`` (default): the latest
        ``period_end`` in ``shares`` (the end of the data, so the result does not
        depend on the day it is run).

    Returns
    -------
    DataFrame
        One row per listed learner, most periods first (then met_since, learner_id):
        ``learner_id``; ``srb_id`` (of the placement open at as_of); ``periods_met``
        (length of the current run); ``met_since`` (period_start of the run's first
        period); ``latest_period``; ``latest_core_share``.

    Notes
    -----
    For each learner the periods with a core share (core minutes timetabled) are taken
    in time order; "successive" means successive periods *the learner has core data
    for*: a gap (a term with no records, or with no core minutes timetabled) neither
    breaks nor extends a run. The current run is the run of periods with
    core_inclusion_share >= core_threshold (1e-9 allowed for rounding) that ends with
    the learner's latest such period; it is listed when its length is at least
    ``sustained_periods`` and the learner has a placement open at ``as_of``
    (start_date <= as_of and end_date empty or after as_of; of several, the latest
    started). A learner whose latest period fell below the threshold is not listed,
    however long they met it before.

    References
    ----------
    .. [1] A Welsh local authority (2025). *Specialist Resource Base Guidance*,
       September 2025, Exit Guidelines ("Mainstream inclusion has already occurred for
       at least 80% within the core subjects").
    .. [2] Estyn (2008). *Joining in*, paragraph 76 ("very few have clear exit criteria
       ... As a result, pupils can stay too long in the resource base").

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["L1"] * 3, "period": ["a", "b", "c"],
    ...     "period_start": pd.to_datetime(["2023-09-01", "2024-01-01", "2024-04-01"]),
    ...     "period_end": pd.to_datetime(["2023-12-31", "2024-03-31", "2024-08-31"]),
    ...     "term_index": [0.0, 1, 2], "core_inclusion_share": [0.7, 0.8, 0.9]})
    >>> pl = pd.DataFrame({"learner_id": ["L1"], "srb_id": ["A"],
    ...     "start_date": pd.to_datetime(["2022-09-01"]), "end_date": pd.NaT})
    >>> exit_review(sh, pl)[["learner_id", "periods_met", "latest_period"]].to_dict("list")
    {'learner_id': ['L1'], 'periods_met': [2], 'latest_period': ['c']}
    """
    check_table(shares, "shares", ["learner_id", "period", "period_start", "period_end",
                                   "term_index", "core_inclusion_share"])
    check_table(placements, "placements", ["learner_id", "srb_id", "start_date", "end_date"])
    core_t = check_share(core_threshold, "core_threshold")
    sustained = whole_number(sustained_periods, "sustained_periods", minimum=1)
    when = _data_end(shares, as_of)
    core = pd.to_numeric(shares["core_inclusion_share"]).astype(float)
    d = (shares.loc[core.notna().to_numpy(), ["learner_id", "period", "period_start",
                                              "term_index", "core_inclusion_share"]]
         .sort_values(["learner_id", "term_index"], kind="stable").reset_index(drop=True))
    d["met"] = at_or_above(d["core_inclusion_share"], core_t)
    new_learner = d["learner_id"].ne(d["learner_id"].shift())
    run = (new_learner | d["met"].ne(d["met"].shift())).cumsum()
    d["periods_met"] = d.groupby(run).cumcount() + 1
    d["met_since"] = d.groupby(run)["period_start"].transform("first")
    last = d.drop_duplicates("learner_id", keep="last")
    listed = last.loc[(last["met"] & (last["periods_met"] >= sustained)).to_numpy()]
    if when is not None:
        placed = (_placed_at(placements, when).sort_values(["learner_id", "start_date"],
                                                           kind="stable")
                  .drop_duplicates("learner_id", keep="last")[["learner_id", "srb_id"]])
        listed = listed.merge(placed, on="learner_id", how="inner")
    else:
        listed = listed.iloc[:0].assign(srb_id=pd.Series([], dtype="str"))
    out = listed.rename(columns={"period": "latest_period",
                                 "core_inclusion_share": "latest_core_share"})
    out = out.sort_values(["periods_met", "met_since", "learner_id"],
                          ascending=[False, True, True], kind="stable")
    out = out[["learner_id", "srb_id", "periods_met", "met_since", "latest_period",
               "latest_core_share"]].reset_index(drop=True)
    return out.astype({"learner_id": "str", "srb_id": "str", "periods_met": "int64",
                       "met_since": "datetime64[ns]", "latest_period": "str",
                       "latest_core_share": float})


def count_still_placed(shares: pd.DataFrame, placements: pd.DataFrame, *,
                       as_of: object = None) -> int:
    """Learners with a core share in ``shares`` who have a placement open at ``as_of``.

    The denominator of the exit review's sentence. ``as_of`` as in :func:`exit_review`
    (default: the latest period_end in ``shares``).

    Examples
    --------
    >>> sh = pd.DataFrame({"learner_id": ["a", "b"], "core_inclusion_share": [0.9, 0.5],
    ...     "period_end": pd.to_datetime(["2024-03-31"] * 2)})
    >>> pl = pd.DataFrame({"learner_id": ["a", "b"], "start_date": pd.to_datetime(
    ...     ["2023-09-01"] * 2), "end_date": pd.to_datetime([None, "2024-02-01"])})
    >>> count_still_placed(sh, pl)
    1
    """
    check_table(shares, "shares", ["learner_id", "core_inclusion_share", "period_end"])
    check_table(placements, "placements", ["learner_id", "start_date", "end_date"])
    when = _data_end(shares, as_of)
    if when is None:
        return 0
    with_core = shares.loc[shares["core_inclusion_share"].notna().to_numpy(), "learner_id"]
    placed = _placed_at(placements, when)["learner_id"]
    return int(pd.Series(with_core.unique()).isin(placed).sum())
