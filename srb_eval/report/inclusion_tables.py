"""The inclusion report's display tables: what a reader sees, disclosure-controlled.

The tables of learners by threshold share are in
:mod:`srb_eval.report.inclusion_thresholds`.

Each ``display_*`` takes a table of the inclusion measures and returns it with plain
column headers, whole percentages and the audience's disclosure control
(:func:`srb_eval.report.suppression.safe_table`); learner-level tables are for internal
reports only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import AudienceError, check_argument
from . import disclosure, joint_protection, suppression
from .cube_protection import count_cube, protect_cube
from .i18n import format_number
from .i18n import gettext as _
from .inclusion import GROUP_TITLES, group_column, percent_text, with_group_titles
from .inclusion_words import group_title
from .table_records import TOTAL

__all__ = ["MAX_PROTECTED_GROUPS", "MAX_SUBJECTS_SHOWN", "cohort_for_audience",
           "display_exit_review", "display_learners", "display_subjects",
           "display_trend_counts", "hidden_totals", "protect_trend_counts",
           "published_trend_by_srb", "shown_trend_counts", "subjects_shown", "trend_cube",
           "trend_table_note"]

#: A published table of trend counts is protected as one cube (:func:`protect_trend_counts`)
#: for up to this many groups (an authority's resource bases, or the needs within one).
#: Protection that provably holds takes minutes beyond that, so a published report about
#: more groups shows the total row only (render one report per authority instead).
MAX_PROTECTED_GROUPS = 40

#: Most subjects a report names in its subject table and heat map: those with the most
#: timetabled minutes; the others are pooled into "other core subjects (k)" and "other
#: subjects (k)" (:func:`subjects_shown`). A school timetable has fewer; a heat map of
#: thousands of subject columns took gigabytes to draw. The measure
#: (:func:`srb_eval.measures.subjects.subject_breakdown`) stays complete.
MAX_SUBJECTS_SHOWN = 25

#: The trend counts' categories: learners with two or more periods (a trend) or one.
_PERIODS = ("two or more", "one")
_TRENDS = ("rising", "steady", "falling", "none")
#: Each count column of ``trend_counts`` as its (periods, trend) cell of the cube.
_CELLS = {"n": (TOTAL, TOTAL), "with_trend": ("two or more", TOTAL),
          "too_few_terms": ("one", TOTAL), "rising": ("two or more", "rising"),
          "steady": ("two or more", "steady"), "falling": ("two or more", "falling")}


def trend_cube(table: pd.DataFrame, *, categories: Sequence[str]) -> pd.DataFrame:
    """The count cube of a ``trend_counts`` table: learners by group, periods and trend.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`srb_eval.measures.inclusion_groups.trend_counts` grouped by one column
        (``srb_id``, ``phase`` or ``primary_need``), with or without its "all" row.
    categories : sequence of str
        Every category of the group column (groups with no learners count 0).

    Returns
    -------
    pandas.DataFrame
        :func:`srb_eval.report.cube_protection.count_cube` of the learners over the group
        column, ``periods`` ("two or more", "one") and ``trend`` ("rising", "steady",
        "falling", "none"; a learner with one period has none), with every margin
        labelled ``"All"``.

    Examples
    --------
    >>> t = pd.DataFrame({"phase": ["primary"], "n": [3], "rising": [1], "steady": [1],
    ...                   "falling": [0], "too_few_terms": [1]})
    >>> c = trend_cube(t, categories=["primary", "secondary"])
    >>> c.loc[(c["phase"] == "All") & (c["trend"] == "All"), ["periods", "count"]
    ...       ].to_dict("list")
    {'periods': ['two or more', 'one', 'All'], 'count': [2, 1, 3]}
    """
    group = group_column(table)
    rows = table.loc[table[group].astype("str") != "all"]
    groups = [str(c) for c in categories]
    unknown = sorted(set(rows[group].astype("str")) - set(groups))
    check_argument(not unknown, "categories", f"every group of the table (missing "
                   f"{unknown[:3]})", groups[:3])
    cells = {"rising": ("two or more", "rising"), "steady": ("two or more", "steady"),
             "falling": ("two or more", "falling"), "too_few_terms": ("one", "none")}
    units = pd.concat([pd.DataFrame({
        group: np.repeat(rows[group].astype("str").to_numpy(),
                         rows[col].to_numpy(dtype=np.int64)),
        "periods": periods, "trend": trend}) for col, (periods, trend) in cells.items()],
        ignore_index=True)
    units[group] = pd.Categorical(units[group], categories=groups)
    units["periods"] = pd.Categorical(units["periods"], categories=_PERIODS)
    units["trend"] = pd.Categorical(units["trend"], categories=_TRENDS)
    return count_cube(units, [group, "periods", "trend"], total=TOTAL)


def protect_trend_counts(table: pd.DataFrame, *, categories: Sequence[str], measure: str,
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS,
                         outer: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                         srb: str = "all",
                         learners: tuple[pd.DataFrame, pd.DataFrame] | None = None
                         ) -> pd.DataFrame:
    """The counts of a ``trend_counts`` table that a published report may show.

    The table is protected as one cube (:func:`trend_cube`, then
    :func:`srb_eval.report.cube_protection.protect_cube`): counts from 1 to
    ``min_count - 1`` are hidden (``"<5"``) and further cells (``"[c]"``) until no
    hidden count can be narrowed from the rest of the table, its row and column totals
    and the structure every reader knows (learners = one period + two or more; two or
    more = rising + steady + falling).

    Parameters
    ----------
    table : pandas.DataFrame
        From ``trend_counts`` grouped by one column, with its "all" row.
    categories : sequence of str
        Every category of the group column.
    measure : str
        The population's name (as in the table's disclosure record).
    disclosure_thresholds : Thresholds
    outer : (pandas.DataFrame, pandas.DataFrame), optional
        For the table of a report about one SRB (``srb``): the all-SRB report's
        ``trend_counts`` by SRB and its :func:`protect_trend_counts` (what it shows). The
        row of ``srb`` there counts this report's learners less those who moved on to
        another SRB (counted there in their last SRB): the difference, the learners who
        moved on and their trends, is protected with the cube (protect_cube's
        ``parts``). Without it, "rising: 28" here and "27" in the all-SRB row of SRB01
        said that 1 of the 4 learners who moved on was rising.
    srb : str, default "all"
    learners : (pandas.DataFrame, pandas.DataFrame), optional
        The report's table of latest shares by the same group
        (:func:`srb_eval.measures.inclusion_groups.threshold_shares` with its "all" row)
        and what it shows (:func:`srb_eval.report.inclusion_thresholds.display_threshold_tables`).
        Its learners (those with a share) are some of each group's learners here, all of
        them where the two counts are equal: there the same count, so it is hidden here
        wherever it is hidden there (and that table must then hide what this one hides:
        :func:`srb_eval.report.inclusion_thresholds.hide_learners_as`); elsewhere a count
        shown there is a part readers know (protect_cube's ``parts``). Without it,
        SRB05's trend table showed its 11 SLCN learners, which its table of latest
        shares hides: with the all-SRB report's SLCN "at least 60%: 5 of 13", 3 to 5 of
        the 5 were in SRB05.

    Returns
    -------
    pandas.DataFrame
        The rows of ``table``; the group column and ``n``, ``with_trend``,
        ``too_few_terms``, ``rising``, ``steady``, ``falling`` as published text.

    Notes
    -----
    With more than :data:`MAX_PROTECTED_GROUPS` categories only the "all" row is
    protected and returned (as a one-group cube), and :func:`trend_table_note` says why.
    """
    group = group_column(table)
    if len(categories) > MAX_PROTECTED_GROUPS:
        table = table.loc[table[group].astype("str") == "all"]
        cube = trend_cube(table.assign(**{group: "total"}), categories=["total"])
    else:
        cube = trend_cube(table, categories=categories)
    same: list[dict] = []  # counts another table shows of some or all of a cell's units
    if outer is not None and len(categories) <= MAX_PROTECTED_GROUPS:
        values, shown = (o.loc[o["srb_id"].astype("str") == srb] for o in outer)
        if len(values) == 1 and len(shown) == 1:
            same += [{group: TOTAL, "periods": p_, "trend": w,
                      "count": int(values[c].iloc[0]), "text": str(shown[c].iloc[0]),
                      "fixed": True} for c, (p_, w) in _CELLS.items()]
    if learners is not None and len(categories) <= MAX_PROTECTED_GROUPS:
        same += _learner_parts(learners, group)
    dims = [group, "periods", "trend"]
    # 0 by design, as every reader knows: a learner with one period has no trend, and
    # one with two or more has one (not parts of a group: see small_group_parts)
    by_design = pd.Series(((cube["periods"] == "one") & cube["trend"].isin(_TRENDS[:3]))
                          | ((cube["periods"] == "two or more") & (cube["trend"] == "none")),
                          index=cube.index)
    protected = protect_cube(cube, dims, measure=measure, thresholds=disclosure_thresholds,
                             total=TOTAL, known=by_design)
    if same:  # only ever hides more than the table protected on its own
        parts, start, known = _linked_cells(cube, dims, same, protected["text"],
                                            disclosure_thresholds)
        protected = protect_cube(cube, dims, measure=measure,
                                 thresholds=disclosure_thresholds, total=TOTAL,
                                 parts=parts, start=start,
                                 known=by_design if known is None else known | by_design)
    cube = protected
    text = cube.set_index([group, "periods", "trend"])["text"]
    keys = table[group].astype("str").replace({"all": TOTAL})
    out = table[[group]].copy()
    for col, (periods, trend) in _CELLS.items():
        out[col] = [text[(k, periods, trend)] for k in keys]
    return out


def _learner_parts(learners: tuple[pd.DataFrame, pd.DataFrame], group: str) -> list[dict]:
    """The learners a table of latest shares shows for each group, as counts of the
    units of a trend cube's (group, all, all) cells."""
    values, shown = learners
    title = GROUP_TITLES[group]
    check_argument(len(values) == len(shown) and group in values.columns and
                   title in shown.columns, "learners",
                   f"a table of latest shares by {group} and its shown copy",
                   list(shown.columns)[:2])
    return [{group: TOTAL if k == "all" else k, "periods": TOTAL, "trend": TOTAL,
             "count": int(n), "text": text, "fixed": False}
            for k, n, text in zip(values[group].astype("str"), values["n"].astype("int64"),
                                  shown["learners"].astype("str"), strict=True)]


def _linked_cells(cube: pd.DataFrame, dims: list[str], same: list[dict],
                  text: pd.Series, limits: disclosure.Thresholds
                  ) -> tuple[pd.DataFrame | None, pd.Series, pd.Series]:
    """How counts shown elsewhere bear on a cube: ``(parts, start, known)`` for
    :func:`~srb_eval.report.cube_protection.protect_cube`. A count of fewer units than
    its cell is a part (the rest is protected with the cube); a count of all of them is
    the same count: hidden here where hidden there; where shown there, known if that
    table is ``fixed`` (published elsewhere as it is), else left to this protection
    (the other table then hides what this one hides:
    :func:`srb_eval.report.inclusion_thresholds.hide_learners_as`)."""
    markers = [limits.small_count_text, disclosure.SUPPRESSED_TEXT]
    keys = zip(*(cube[d].astype("str") for d in dims), strict=True)
    where = {k: i for i, k in enumerate(keys)}
    counts = cube["count"].to_numpy()
    start, known = text.copy(), pd.Series(False, index=cube.index)
    parts = []
    for c in same:
        i = where.get(tuple(str(c[d]) for d in dims))
        if i is None or c["count"] > counts[i]:
            continue
        if c["count"] < counts[i]:
            parts.append({k: v for k, v in c.items() if k != "fixed"})
        elif c["text"] in markers:
            if start.iloc[i] not in markers:
                start.iloc[i] = disclosure.SUPPRESSED_TEXT
        elif c["fixed"] and limits.round_to is None and str(c["text"]).replace(
                ",", "").isdigit():
            known.iloc[i] = True  # (a rounded count is not exact)
    return (pd.DataFrame(parts) if parts else None), start, known


def published_trend_by_srb(trends: pd.DataFrame, learners: pd.DataFrame, *,
                           categories: Sequence[str], measure: str,
                           disclosure_thresholds: disclosure.Thresholds =
                           disclosure.DEFAULT_THRESHOLDS
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trend counts by SRB of the all-SRB report and what its published table shows
    (:func:`protect_trend_counts`): what a per-SRB report passes as ``outer``.

    Parameters
    ----------
    trends : pandas.DataFrame
        ``inclusion_data.prepare(..., srb="all").trends`` with the report's window and
        period.
    learners : pandas.DataFrame
    categories : sequence of str
        Every SRB of the dataset.
    measure : str
        :func:`srb_eval.report.inclusion_records.population_name` of the all-SRB report.
    disclosure_thresholds : Thresholds

    Returns
    -------
    (counts, shown) : tuple of pandas.DataFrame
    """
    from ..measures.inclusion_groups import trend_counts

    counts = trend_counts(trends, learners, by=["srb_id"], total=True)
    return counts, protect_trend_counts(counts, categories=categories, measure=measure,
                                        disclosure_thresholds=disclosure_thresholds)


def shown_trend_counts(shares: pd.DataFrame, trends: pd.DataFrame, learners: pd.DataFrame,
                       srbs: pd.DataFrame, *, until: object, measure: str,
                       disclosure_thresholds: disclosure.Thresholds =
                       disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame | None:
    """The trend counts by SRB that the all-SRB published inclusion report shows, as
    numbers, for another report counting some of the same learners' trends.

    The Estyn report counts the trend of each learner with a share in its year over
    their record up to the end of the year: where that is the end of the data, it is the
    trend the inclusion report (termly shares, the whole data) shows for the same
    learner in the same SRB, so the inclusion report's counts bound the Estyn report's
    (:func:`srb_eval.report.outcome_populations.protect_populations`, ``known``).

    Parameters
    ----------
    shares, trends : pandas.DataFrame
        ``inclusion_data.prepare(...)`` of the whole data, per term, every SRB: its
        ``shares`` and ``trends``.
    learners, srbs : pandas.DataFrame
        The dataset's tables.
    until : date
        The end of the other report's year.
    measure : str
        :func:`srb_eval.report.inclusion_records.population_name` of that report.
    disclosure_thresholds : Thresholds

    Returns
    -------
    pandas.DataFrame or None
        ``group`` (each srb_id, and the authority as
        :data:`srb_eval.measures.groups.ALL`), ``n`` (learners with two or more
        terms), ``rising``, ``steady``, ``falling``: the numbers the published table
        shows, NaN where it hides one. None where the data go on after ``until`` (the
        trends are not the same).
    """
    from ..measures.groups import ALL
    from ..measures.inclusion_groups import trend_counts

    if not len(shares) or pd.to_datetime(shares["period_start"]).max() > pd.Timestamp(until):
        return None
    counts = trend_counts(trends, learners, by=["srb_id"], total=True)
    cats = sorted(srbs["srb_id"].astype("str").unique())
    protected = protect_trend_counts(counts, categories=cats, measure=measure,
                                     disclosure_thresholds=disclosure_thresholds)
    cols = {"with_trend": "n", "rising": "rising", "steady": "steady", "falling": "falling"}
    seen = joint_protection.shown_counts(counts.loc[counts["srb_id"].astype("str").isin(
        protected["srb_id"].astype("str"))].reset_index(drop=True),
        protected.reset_index(drop=True), {c: c for c in cols}, audience="published")
    group = seen["srb_id"].astype("str").replace({"all": ALL})
    return seen[list(cols)].rename(columns=cols).assign(group=group.to_numpy())[
        ["group", *cols.values()]].reset_index(drop=True)


def trend_table_note(categories: Sequence[str], *, group: str = "srb_id") -> str:
    """What a published report says when a trend table has too many groups to protect.

    >>> trend_table_note(["a"] * 3)
    ''
    """
    if len(categories) <= MAX_PROTECTED_GROUPS:
        return ""
    return _("The table shows all learners only: a published table by {group} is "
             "protected against differencing for up to {most} groups, and this dataset has "
             "{n}. Render a report per authority or per resource base for the breakdown."
             ).format(group=group_title(GROUP_TITLES[group]), most=MAX_PROTECTED_GROUPS,
                      n=format_number(len(categories)))


def hidden_totals(protected: pd.DataFrame) -> list[str]:
    """The counts that a :func:`protect_trend_counts` table hides in its "all" row.

    A sentence about all learners must not state what the table beside it hides.

    >>> hidden_totals(pd.DataFrame({"phase": ["all"], "n": ["30"], "rising": ["[c]"]}))
    ['rising']
    """
    group = group_column(protected)
    total = protected.loc[protected[group].astype("str") == "all"]
    return [c for c in _CELLS if c in total.columns and not total.empty
            and not str(total[c].iloc[0]).replace(",", "").isdigit()]


def display_trend_counts(table: pd.DataFrame, *, audience: str,
                         protected: pd.DataFrame | None = None,
                         disclosure_thresholds: disclosure.Thresholds =
                         disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``trend_counts`` table as a reader sees it, disclosure-controlled.

    Counts of rising / steady / falling / too few terms with the learners judged as
    the percentage base; median first and latest shares as whole percentages, hidden
    for a published audience where fewer than ``min_denominator`` learners were judged.

    For a published audience, pass ``protected`` (:func:`protect_trend_counts` of the
    same table): its counts are shown, a percentage only where its count and its base
    are shown and the base has at least ``min_denominator`` learners, and medians only
    where their base is shown and large enough. Without it, each column is protected on
    its own (:func:`srb_eval.report.suppression.safe_table`), which a reader can undo by
    subtraction across a row: use it for internal reports.
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in table.columns if c in GROUP_TITLES]
    words = ["rising", "steady", "falling"]
    t = table[[*groups, "n", *words, "too_few_terms", "with_trend", "median_first_share",
               "median_latest_share"]].copy()
    if audience == "published" and protected is not None:
        shown = _from_protected(t, protected, words, disclosure_thresholds)
    else:
        has_total = bool(groups) and (t[groups[0]].astype("str") == "all").any()
        shown = suppression.safe_table(
            t, audience=audience, count_columns=["n", *words, "too_few_terms", "with_trend"],
            percent_columns={"pct_" + w: (w, "with_trend") for w in words},
            n_column="with_trend", id_columns=(), thresholds=disclosure_thresholds,
            total_row="all" if has_total else None)
    for c in ("median_first_share", "median_latest_share"):
        shown[c] = percent_text(shown[c])
    order = [*groups, "n", "with_trend"] + [c for w in words for c in (w, "pct_" + w)] + [
        "too_few_terms", "median_first_share", "median_latest_share"]
    cols = {"n": "learners", "with_trend": "learners with two or more periods",
            "too_few_terms": "too few terms", "median_first_share": "median first share",
            "median_latest_share": "median latest share"}
    cols.update({"pct_" + w: f"{w} (%)" for w in words})
    return with_group_titles(shown[order].rename(columns=cols))


def _from_protected(t: pd.DataFrame, protected: pd.DataFrame, words: list[str],
                    limits: disclosure.Thresholds) -> pd.DataFrame:
    """Counts from a protected table; percentages and medians where they are safe."""
    group = group_column(t)
    t = t.loc[t[group].astype("str").isin(protected[group].astype("str"))]
    check_argument(protected[group].astype("str").tolist() == t[group].astype("str").tolist(),
                   "protected", "protect_trend_counts of the same table",
                   protected[group].tolist()[:3])
    shown = t.copy()
    for c in _CELLS:
        shown[c] = protected[c].to_numpy()
    base = t["with_trend"].to_numpy(dtype=np.int64)
    base_ok = shown["with_trend"].str.replace(",", "").str.isdigit().to_numpy() & (
        base >= max(limits.min_denominator, 1))
    for w in words:
        ok = base_ok & shown[w].str.replace(",", "").str.isdigit().to_numpy()
        pct = suppression.suppress_percentages(t[w], t["with_trend"], audience="internal")
        shown["pct_" + w] = np.where(ok | (base == 0), pct.to_numpy(),
                                     disclosure.SUPPRESSED_TEXT)
    for c in ("median_first_share", "median_latest_share"):
        shown[c] = t[c].astype(object).where(base_ok, disclosure.SUPPRESSED_TEXT)
    return shown


def subjects_shown(records: pd.DataFrame, complete: pd.DataFrame, *,
                   by: Sequence[str] = ("srb_id",),
                   core_subjects: Sequence[str] | None = None,
                   limit: int = MAX_SUBJECTS_SHOWN) -> pd.DataFrame:
    """The subject breakdown a report shows: at most ``limit`` subjects by name.

    Parameters
    ----------
    records : DataFrame
        The inclusion records the breakdown is made from (as given to
        :func:`~srb_eval.measures.subjects.subject_breakdown`).
    complete : DataFrame
        ``subject_breakdown(records, by=(), core_subjects=core_subjects)``: every subject.
    by, core_subjects
        As in :func:`~srb_eval.measures.subjects.subject_breakdown`.
    limit : int, default :data:`MAX_SUBJECTS_SHOWN`
        Subjects named: those with the most timetabled minutes in ``complete``.

    Returns
    -------
    DataFrame
        ``subject_breakdown(records, by=by, core_subjects=core_subjects)`` when there are
        ``limit`` subjects or fewer. Otherwise the same breakdown with every other subject
        pooled: its records are counted under "other core subjects (k)" or "other subjects
        (k)" (k subjects, core as in ``complete``), so a learner timetabled in several of
        them counts once; the pooled rows come last in each group.

    Examples
    --------
    >>> from srb_eval.measures.subjects import subject_breakdown
    >>> inc = pd.DataFrame({"learner_id": ["a", "a", "b", "b"],
    ...     "period_start": pd.to_datetime(["2024-01-08"] * 4),
    ...     "period_end": pd.to_datetime(["2024-03-28"] * 4),
    ...     "subject": ["English", "Art", "Music", "Drama"], "core": [True, False, False, False],
    ...     "minutes_mainstream": [60.0, 30, 0, 10], "minutes_timetabled": [120.0, 60, 50, 40]})
    >>> complete = subject_breakdown(inc, by=())
    >>> shown = subjects_shown(inc, complete, by=(), limit=2)
    >>> shown[["subject", "learners_timetabled", "minutes_timetabled"]].to_dict("list")
    {'subject': ['English', 'Art', 'other subjects (2)'], 'learners_timetabled': [1, 1, 1], 'minutes_timetabled': [120.0, 60.0, 90.0]}
    """
    from ..measures.subjects import subject_breakdown, subject_spellings

    check_argument(isinstance(limit, int) and limit >= 1, "limit",
                   "a whole number of 1 or more", limit)
    if len(complete) <= limit:
        return (complete if not by else
                subject_breakdown(records, by=by, core_subjects=core_subjects))
    top = complete.sort_values(["minutes_timetabled", "subject"], ascending=[False, True],
                               kind="stable").head(limit)
    rest = complete.loc[~complete["subject"].isin(top["subject"])]
    n_core = int(rest["core"].sum())
    core_label = f"other core subjects ({n_core:,})"
    other_label = f"other subjects ({len(rest) - n_core:,})"
    spelling = records["subject"].map(
        subject_spellings(records["subject"]).set_index("subject")["spelling"])
    core_spellings = set(rest.loc[rest["core"], "subject"])
    pooled = records.assign(subject=records["subject"].where(
        spelling.isin(top["subject"]) | records["subject"].isna(),
        np.where(spelling.isin(core_spellings), core_label, other_label)))
    shown = subject_breakdown(
        pooled, by=by,
        core_subjects=None if core_subjects is None else [*core_subjects, core_label])
    last = shown["subject"].isin([core_label, other_label])
    return (shown.assign(_last=last).sort_values([*by, "_last"], kind="stable")
            .drop(columns="_last").reset_index(drop=True))


def display_subjects(breakdown: pd.DataFrame, *, audience: str,
                     disclosure_thresholds: disclosure.Thresholds =
                     disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """A ``subject_breakdown`` table as a reader sees it, disclosure-controlled.

    Learner counts suppressed for a published audience; the share of timetabled
    minutes in mainstream as a whole percentage, hidden ("[c]") where fewer than
    ``min_denominator`` learners were timetabled; minutes shown as hours, internal
    only: published, the hours are hidden ("[c]"). Hours add up over resource bases, so
    the all-SRB report's hours less those of the per-SRB reports, split with the shares
    the heat map shows for the larger SRBs, gave back the shares of a group of 9
    learners that the heat map hides, each within 2 points (outside review, L3).

    >>> b = pd.DataFrame({"subject": ["English"], "core": [True],
    ...     "learners_timetabled": [40], "learners_in_mainstream": [30],
    ...     "minutes_mainstream": [600.0], "minutes_timetabled": [1200.0],
    ...     "mainstream_share": [0.5]})
    >>> display_subjects(b, audience="published").iloc[0, 4:].tolist()
    ['[c]', '[c]', '50%']
    """
    audience = disclosure.check_audience(audience)
    groups = [c for c in breakdown.columns if c in GROUP_TITLES]
    t = breakdown[[*groups, "subject", "core", "learners_timetabled",
                   "learners_in_mainstream", "minutes_mainstream", "minutes_timetabled",
                   "mainstream_share"]].copy()
    t["hours_timetabled"] = (t.pop("minutes_timetabled") / 60).round()
    t["hours_in_mainstream"] = (t.pop("minutes_mainstream") / 60).round()
    t["core"] = np.where(t["core"].to_numpy(dtype=bool), "core", "other")
    shown = suppression.safe_table(
        t, audience=audience, count_columns=["learners_timetabled", "learners_in_mainstream"],
        n_column="learners_timetabled", id_columns=(), thresholds=disclosure_thresholds)
    shown["mainstream_share"] = percent_text(shown["mainstream_share"])
    if audience == "published":
        for c in ("hours_timetabled", "hours_in_mainstream"):
            shown[c] = disclosure.SUPPRESSED_TEXT
    order = [*groups, "subject", "core", "learners_timetabled", "learners_in_mainstream",
             "hours_timetabled", "hours_in_mainstream", "mainstream_share"]
    return with_group_titles(shown[order].rename(columns={
        "core": "core or other", "learners_timetabled": "learners timetabled",
        "learners_in_mainstream": "learners with mainstream time",
        "mainstream_share": "share of minutes in mainstream"}))


def display_learners(trends: pd.DataFrame, exit_list: pd.DataFrame | None = None, *,
                     audience: str) -> pd.DataFrame:
    """Internal reports only: each learner's first and latest share and trend word.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (learner-level
    rows are never published). Shares as whole percentages; "too few terms" learners
    show "no follow-up yet" for their change; learners on the exit review list are
    marked.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise AudienceError("audience: learner-level tables are for internal "
                                       "reports only")
    cols = [c for c in ("learner_id", "srb_id") if c in trends.columns]
    t = trends[[*cols, "n_periods", "first_period", "latest_period"]].copy()
    t["first_share"] = percent_text(trends["first_share"])
    t["latest_share"] = percent_text(trends["latest_share"])
    change = pd.Series(np.floor(np.round(100 * trends["change"].to_numpy(float), 9) + 0.5),
                       index=trends.index)
    t["change_points"] = change.map(lambda v: f"{(v or 0.0):+.0f} points", na_action="ignore"
                                    ).astype(object).where(change.notna(), "no follow-up yet")
    t["trend"] = trends["trend"].astype("str")
    if exit_list is not None:
        listed = set(exit_list["learner_id"].astype("str"))
        t["exit_review"] = np.where(t["learner_id"].astype("str").isin(listed), "review",
                                    "")
    return with_group_titles(t.fillna({"first_period": disclosure.NO_DATA_TEXT,
                                    "latest_period": disclosure.NO_DATA_TEXT}))


def display_exit_review(listed: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """Internal reports only: the ``exit_review`` list as a reader sees it.

    Raises :class:`srb_eval.errors.AudienceError` for a published audience (publish
    the count, :func:`describe_exit_review`). The latest core share is shown as a whole
    percentage and met_since as the period's start date.
    """
    audience = disclosure.check_audience(audience)
    if audience == "published":
        raise AudienceError("audience: the exit review list names learners; "
                                       "publish its count (describe_exit_review) instead")
    t = listed[["learner_id", "srb_id", "periods_met", "met_since", "latest_period",
                "latest_core_share"]].copy()
    t["latest_core_share"] = percent_text(t["latest_core_share"])
    return with_group_titles(t).rename(columns={
        "learner_id": "learner", "periods_met": "periods in a row at or above",
        "met_since": "since (period start)", "latest_core_share": "latest core share"})


def cohort_for_audience(cohort: pd.DataFrame, *, audience: str,
                        disclosure_thresholds: disclosure.Thresholds =
                        disclosure.DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The ``cohort_by_period`` rows a report may show: every row for an internal
    audience; for a published one, only periods with at least ``min_denominator``
    learners (a median of fewer is not published), its shares to the whole percentage
    point the report shows. A median of an odd number of learners is one learner's
    share: to ten decimals (11795 of 19090 minutes, 0.6178627554) it found that learner
    again in another report.

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["a", "b"], "n": [12, 3],
    ...                   "median_share": [0.6178627554, 0.5]})
    >>> cohort_for_audience(c, audience="published").to_dict("list")
    {'period': ['a'], 'n': [12], 'median_share': [0.62]}
    """
    audience = disclosure.check_audience(audience)
    if audience == "internal":
        return cohort
    shown = cohort.loc[cohort["n"] >= disclosure_thresholds.min_denominator]
    shares = [c for c in shown.columns if c.endswith("_share")]
    return shown.assign(**{c: shown[c].round(2) for c in shares})
