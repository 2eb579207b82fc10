"""The section tables of the outcomes report: awards, destinations, exit reasons, stays.

Each takes a result table of :mod:`srb_eval.measures` and returns its text for the
report's audience under the disclosure policy (:class:`srb_eval.report.disclosure.
Thresholds`), with a total row; never NaN.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..measures.destinations import DESTINATION_COLUMNS
from ..measures.groups import ALL
from ..measures.qualifications import LEVELS
from ..params import school_year
from . import disclosure, joint_protection, suppression
from .audit import Partition
from .capacity import phase_order
from .outcomes import one_decimal
from .quantifiers import NO_DATA, TOO_FEW
from .table_records import combine_records, known_phase_zeros, measure_name, table_record

__all__ = ["awards_record", "display_awards", "display_destinations", "display_exit_reasons",
           "display_leavers", "display_stays", "exit_reasons_record", "leavers_records"]


def _breakdown(group_type: object) -> None:
    check_argument(group_type in ("srb_id", "primary_need"), "group_type",
                   "'srb_id' or 'primary_need'", group_type, error=ParameterError)


def _groups(table: pd.DataFrame, group_type: str) -> pd.DataFrame:
    """The rows of one breakdown, then the authority (the total row)."""
    return pd.concat([table.loc[table["group_type"] == group_type],
                      table.loc[table["group_type"] == "authority"]]).reset_index(drop=True)


def _labels(d: pd.DataFrame, group_type: str, srb_names: Mapping[str, str] | None
            ) -> np.ndarray:
    names = dict(srb_names or {})
    label = d["group"].map(lambda g: names.get(g, g)) if group_type == "srb_id" else d["group"]
    return label.to_numpy()


def display_awards(awards: pd.DataFrame, *, audience: str,
                   thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                   ) -> pd.DataFrame:
    """:func:`srb_eval.measures.qualifications.qualification_awards` as a report shows
    it, with a total row.

    Returns
    -------
    DataFrame
        ``stage``, ``family``, one column per level with any award (awards, as text),
        ``awards`` (row total) and ``learners``; a last row "all" / "all awards".
        Published: small numbers of awards hidden with secondary suppression across
        levels and rows (the totals are shown) until every hidden count meets the
        render's audit rule (a "[c]" holds all of 1 to 4 or none of it); small numbers
        of learners hidden.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> display_awards(res.awards, audience="internal").values.tolist()
    [['all', 'all awards', '0', '–']]
    """
    pub = disclosure.check_audience(audience)
    levels = [c for c in LEVELS if c in awards.columns and awards[c].sum() > 0]
    t = awards[["stage", "family", *levels, "awards", "learners"]].copy()
    total = {"stage": "all", "family": "all awards",
             **{c: int(awards[c].sum()) for c in [*levels, "awards"]}, "learners": np.nan}
    t = pd.concat([t, pd.DataFrame([total])], ignore_index=True)
    shown = suppression.suppress_counts(t, levels, audience=pub, thresholds=thresholds,
                                        total_row="all awards" if len(t) > 1 else None,
                                        total_column="awards", strict=True)
    learners = suppression.suppress_counts(t[["learners"]].iloc[:-1], ["learners"],
                                           audience=pub, thresholds=thresholds)["learners"]
    shown["learners"] = [*learners.tolist(), "–"]
    for c in shown.columns:
        shown[c] = shown[c].astype(object).where(shown[c].notna(), NO_DATA)
    return shown.reset_index(drop=True)


def display_destinations(destinations: pd.DataFrame, *, group_type: str = "srb_id",
                         audience: str, srb_names: Mapping[str, str] | None = None,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                         ) -> pd.DataFrame:
    """:func:`srb_eval.measures.destinations.destination_outcomes` for one breakdown as
    text: leavers by destination.

    Returns
    -------
    DataFrame
        ``group`` (SRB name or need; "all SRBs" last), one column per destination with
        any leaver (words: "mainstream", "further education", ...), ``leavers`` (the row
        total). Published: small counts hidden with secondary suppression against the row
        and column totals; a group of fewer than ``thresholds.min_denominator`` leavers
        shows none of its destinations, 0 included ("[c]"): "0, 0, [c], 0" says that all
        of them went to one destination, a share of 100% of a group too small for one.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> display_destinations(res.destinations, audience="internal").values.tolist()
    [['SRB01', '1', '1'], ['SRB02', '0', '0'], ['all SRBs', '1', '1']]
    """
    pub = disclosure.check_audience(audience)
    _breakdown(group_type)
    d = _groups(destinations, group_type)
    dests = [c for c in DESTINATION_COLUMNS if d[c].sum() > 0]
    t = pd.DataFrame({"group": _labels(d, group_type, srb_names)})
    for c in dests:
        t[c] = d[c].to_numpy()
    t["leavers"] = d["n_leavers"].to_numpy()
    few = (t["leavers"] < disclosure.check_thresholds(thresholds).min_denominator).to_numpy()
    shown = suppression.suppress_counts(t, dests, audience=pub, thresholds=thresholds,
                                        total_row=ALL if len(t) > 1 else None,
                                        total_column="leavers",
                                        hide=dict.fromkeys(dests, few))
    return shown.rename(columns={c: c.replace("_", " ") for c in dests}).reset_index(
        drop=True)


def display_exit_reasons(reasons: pd.DataFrame, *, audience: str,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                         ) -> pd.DataFrame:
    """:func:`srb_eval.measures.destinations.exit_reasons` as text, with a total row.

    Published: the reasons are free text typed about individual learners, so a reason is
    shown only when at least ``min_count`` leavers share it; the rest are pooled as "other
    reasons (each fewer than ``min_count`` leavers)", counted with primary and secondary suppression.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> display_exit_reasons(res.exit_reasons, audience="published").values.tolist()
    [['other reasons (each fewer than 5 leavers)', '<5'], ['all leavers', '<5']]
    """
    pub = disclosure.check_audience(audience)
    t = reasons[["exit_reason", "n_leavers"]].copy()
    if pub == "published" and len(t):
        rare = t["n_leavers"] < thresholds.min_count
        pooled = int(t.loc[rare, "n_leavers"].sum())
        t = t.loc[~rare]
        if pooled:
            t = pd.concat([t, pd.DataFrame([{
                "exit_reason": f"other reasons (each fewer than {thresholds.min_count} "
                "leavers)", "n_leavers": pooled}])], ignore_index=True)
    t = pd.concat([t, pd.DataFrame([{"exit_reason": "all leavers",
                                     "n_leavers": int(reasons["n_leavers"].sum())}])],
                  ignore_index=True)
    return suppression.suppress_counts(t, ["n_leavers"], audience=pub, thresholds=thresholds,
                                       total_row="all leavers" if len(t) > 1 else None
                                       ).rename(columns={"exit_reason": "reason",
                                                         "n_leavers": "leavers"})


def exit_reasons_record(shown: pd.DataFrame, *, academic_year: str,
                        thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                        ) -> dict:
    """The disclosure record of a published :func:`display_exit_reasons` table.

    Its rows count the placements that ended in the year (``placements_ended_<year>``,
    the leavers the destinations and stays tables count) by the reason recorded: a dim
    ``exit reason`` whose categories are the reasons the table names (with the pooled
    "other reasons" row), adding up to "all leavers".

    Examples
    --------
    >>> shown = pd.DataFrame({"reason": ["moved school", "other reasons (each fewer than "
    ...                                  "5 leavers)", "all leavers"],
    ...                       "leavers": ["9", "<5", "[c]"]})
    >>> r = exit_reasons_record(shown, academic_year="2025/26")
    >>> [(c["dims"], c["text"]) for c in r["cells"]][1:]
    [({'exit reason': 'other reasons (each fewer than 5 leavers)'}, '<5'), ({}, '[c]')]
    """
    m = measure_name("placements_ended", school_year(academic_year).label)
    total = "all leavers"
    reasons = tuple(str(r) for r in shown["reason"] if str(r) != total)
    rec = table_record(shown, report="", table="exit_reasons", measure=m,
                       row_dims={"reason": "exit reason"}, columns={"leavers": {}},
                       partitions=[Partition(m, "exit reason", reasons)] if reasons else [],
                       thresholds=thresholds, total_labels=(total,))
    for c in rec["cells"]:
        c["dims"] = {d: v for d, v in c["dims"].items() if v != "All"}
    return rec


def display_stays(stays: pd.DataFrame, *, group_type: str = "srb_id", audience: str,
                  srb_names: Mapping[str, str] | None = None,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                  ) -> pd.DataFrame:
    """:func:`srb_eval.measures.destinations.stay_outcomes` for one breakdown as text
    (years to one decimal).

    Returns
    -------
    DataFrame
        ``group``, ``leavers``, ``median_stay_of_leavers_years``, ``on_roll_at_year_end``,
        ``median_time_so_far_years``. A median of fewer than ``min_n`` stays reads "too
        few to judge"; published, a median of fewer than ``min_denominator`` stays is
        "[c]" and small counts are hidden (secondary suppression against the total row).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> display_stays(res.stays, audience="internal").iloc[-1].tolist()
    ['all SRBs', '1', '1.9', '2', '2.0']
    """
    pub = disclosure.check_audience(audience)
    _breakdown(group_type)
    d = _groups(stays, group_type)
    t = pd.DataFrame({"group": _labels(d, group_type, srb_names),
                      "leavers": d["n_left"].to_numpy(),
                      "on_roll_at_year_end": d["n_on_roll"].to_numpy()})
    total = ALL if len(t) > 1 else None
    # the learners placed (leavers + on roll at the end, shown beside the wellbeing
    # shares) of a group too small for a share: neither part is shown, zeros included
    # ("0 leavers" of 6 placed: all 6 stayed), whether or not display_leavers protects
    # the table with its destinations
    placed = t["leavers"].to_numpy(dtype=float) + t["on_roll_at_year_end"].to_numpy(
        dtype=float)
    with np.errstate(invalid="ignore"):
        few = (placed >= 1) & (placed < thresholds.min_denominator)
    shown = suppression.suppress_counts(t, ["leavers"], audience=pub, thresholds=thresholds,
                                        total_row=total, hide={"leavers": few})
    shown["on_roll_at_year_end"] = suppression.suppress_counts(
        t, ["on_roll_at_year_end"], audience=pub, thresholds=thresholds,
        total_row=total, hide={"on_roll_at_year_end": few})["on_roll_at_year_end"]
    for med, n, col in (("median_completed_years", "n_left", "median_stay_of_leavers_years"),
                        ("median_so_far_years", "n_on_roll", "median_time_so_far_years")):
        v = d[med].to_numpy(dtype=float)
        text = np.where(np.isnan(v), np.where(d[n].to_numpy() == 0, NO_DATA, TOO_FEW),
                        one_decimal(v))
        if pub == "published":
            hide = (d[n].to_numpy() < thresholds.min_denominator) & ~np.isnan(v)
            text = np.where(hide, disclosure.SUPPRESSED_TEXT, text)
        shown[col] = text
    return shown[["group", "leavers", "median_stay_of_leavers_years", "on_roll_at_year_end",
                  "median_time_so_far_years"]]


def display_leavers(destinations: pd.DataFrame, stays: pd.DataFrame, *, audience: str,
                    placed: pd.DataFrame | None = None, group_type: str = "srb_id",
                    srb_names: Mapping[str, str] | None = None,
                    total_shown: str | None = None,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The destinations and stays tables of one report (Tables 5.1 and 5.3), protected
    together and against the learners the report counts elsewhere.

    Both count each group's leavers of the year, and the learners placed in the year
    (the number behind each wellbeing share, Table 3.1) are its leavers plus those on
    roll at the year's end. Protected one by one, they gave back hidden leavers (an SRB
    with 15 learners placed and 14 on roll at the end had one leaver).
    :func:`srb_eval.report.joint_protection.protect_together` hides more cells of the two
    tables (never fewer) until no hidden count can be narrowed beyond the render's audit
    rule (a "[c]" holds all of 1 to ``min_count - 1`` or none of it), the learners placed
    being known. Keeping only the small counts wide was not enough: beside 7 learners
    placed, leavers "<5" left a "[c]" on roll of 3 to 6.

    Parameters
    ----------
    destinations, stays : pandas.DataFrame
        :func:`srb_eval.measures.destinations.destination_outcomes` and
        :func:`~srb_eval.measures.destinations.stay_outcomes`.
    audience : {"internal", "published"}
    placed : pandas.DataFrame, optional
        Counts of learners placed that the report shows: ``group_type``, ``group`` and
        ``n_learners`` (e.g. the rows of an outcome measure); several rows per group are
        several shown counts.
    group_type, srb_names, thresholds : as for :func:`display_destinations`
    total_shown : str, optional
        What another table of the report shows for the leavers of all groups (the total
        of :func:`display_exit_reasons`, Table 5.2). Where the protection hides that
        count in the "all" row of either table, it is shown there too: it tells a reader
        nothing the report does not, and the tables then agree (Table 5.1 hid the 15
        leavers that Table 5.2 showed). Only a text that is that count's (as
        :func:`~srb_eval.report.suppression.count_text` writes it) is copied: the other
        table may count otherwise (placements, not learners, if a learner left twice).

    Returns
    -------
    (destinations, stays) : tuple of pandas.DataFrame
        :func:`display_destinations` and :func:`display_stays`, published with the
        further cells hidden ("[c]").
    """
    dest = display_destinations(destinations, group_type=group_type, audience=audience,
                                srb_names=srb_names, thresholds=thresholds)
    st = display_stays(stays, group_type=group_type, audience=audience, srb_names=srb_names,
                       thresholds=thresholds)
    if disclosure.check_audience(audience) != "published" or len(dest) < 2:
        return dest, st
    d, s = _groups(destinations, group_type), _groups(stays, group_type)
    keys = d["group"].astype("str").tolist()
    if s["group"].astype("str").tolist() != keys:
        return dest, st  # not the same groups: nothing to link
    cols = [c for c in dest.columns if c != "group"]  # destinations, then leavers
    raw = [c.replace(" ", "_") for c in cols[:-1]]
    values = [pd.DataFrame({"k": s["n_left"].astype("float64").to_numpy()}),
              pd.DataFrame({"k": s["n_on_roll"].astype("float64").to_numpy()}),
              pd.DataFrame({"k": np.column_stack(
                  [d[c].to_numpy(dtype=float) for c in raw]
                  + [d["n_leavers"].to_numpy(dtype=float)]).ravel()})]
    shown = [pd.DataFrame({"k": st["leavers"].to_numpy()}),
             pd.DataFrame({"k": st["on_roll_at_year_end"].to_numpy()}),
             pd.DataFrame({"k": dest[cols].to_numpy().ravel()})]
    rows, width, last = len(keys), len(cols), len(keys) - 1

    def cell(r: int, c: int) -> tuple[int, int]:
        return 2, r * width + c

    links = [(cell(r, width - 1), [cell(r, c) for c in range(width - 1)])
             for r in range(rows)]
    links += [(cell(last, c), [cell(r, c) for r in range(last)]) for c in range(width)]
    links += [(cell(r, width - 1), [(0, r)]) for r in range(rows)]
    fixed = [False, False, False]
    if placed is not None and len(placed):
        p = placed.loc[placed["group_type"].isin([group_type, "authority"])]
        p = p.loc[p["group"].astype("str").isin(keys)]
        values.append(pd.DataFrame({"k": p["n_learners"].to_numpy(dtype=float)}))
        shown.append(pd.DataFrame({"k": p["n_learners"].astype("int64").astype("str")}))
        links += [((3, i), [(0, keys.index(g)), (1, keys.index(g))])
                  for i, g in enumerate(p["group"].astype("str"))]
        fixed.append(True)
    out = joint_protection.protect_together(values, shown, {"k": "k"}, totals=[last, last, None, *(
        [None] if len(values) > 3 else [])], links=links, fixed=fixed, thresholds=thresholds,
        strict=True)
    st = st.copy()
    st["leavers"] = out[0]["k"].to_numpy()
    st["on_roll_at_year_end"] = out[1]["k"].to_numpy()
    dest = dest.copy()
    dest[cols] = out[2]["k"].to_numpy().reshape(rows, width)
    if total_shown is not None and total_shown != disclosure.SUPPRESSED_TEXT:
        n = float(d["n_leavers"].iloc[last])
        text = suppression.count_text(np.array([[n]]), thresholds, margin_row=None,
                                      margin_col=None)[0, 0]
        for table in (dest, st):  # only the text of the same count
            if total_shown == text and table["leavers"].iloc[last] == \
                    disclosure.SUPPRESSED_TEXT:
                table.loc[table.index[last], "leavers"] = total_shown
    return dest, st


def awards_record(shown: pd.DataFrame, *, academic_year: str,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of a :func:`display_awards` table (for the audit).

    Awards of the year (measure ``awards_<year>``) by qualification (stage and family, a
    row) and level (a column; the levels shown are every level with an award), with the
    row totals (``awards``) and the "all" row; the learners with an award of each
    qualification (``award_learners_<year>``: a learner may hold several, so they do not
    add up and have no total).
    """
    y = school_year(academic_year).label
    m, who = measure_name("awards", y), measure_name("award_learners", y)
    t = shown.assign(qualification=(shown["stage"].astype("str") + " / "
                                    + shown["family"].astype("str")))
    body, last = t.iloc[:-1], t["qualification"].iloc[-1]
    levels = [c for c in LEVELS if c in shown.columns]
    # a year without an award shows its "all" row alone: no qualification to break down
    parts = [Partition(m, "qualification", tuple(body["qualification"]))] if len(body) else []
    if levels:
        parts.append(Partition(m, "level", tuple(levels)))
    awards = table_record(t, report="", table="awards", measure=m,
                          row_dims={"qualification": "qualification"},
                          columns={**{c: {"level": c} for c in levels}, "awards": {}},
                          partitions=parts, thresholds=thresholds, total_labels=(last,))
    if body.empty:
        return awards
    learners = table_record(body, report="", table="awards", measure=who,
                            row_dims={"qualification": "qualification"},
                            columns={"learners": {}}, partitions=[], thresholds=thresholds)
    return combine_records([awards, learners])


def leavers_records(destinations: pd.DataFrame, stays: pd.DataFrame, dest_shown: pd.DataFrame,
                    stays_shown: pd.DataFrame, *, academic_year: str,
                    srb_phase: Mapping[str, str] | None = None, group_type: str = "srb_id",
                    placed: pd.DataFrame | None = None,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> tuple[dict, dict]:
    """The disclosure records of the tables of :func:`display_leavers` (Tables 5.1, 5.3).

    Both count the placements that ended in the year (measure
    ``placements_ended_<year>``; the capacity report's turnover counts the same) by group
    (``srb_id`` or ``primary_need``) and, in Table 5.1, by destination (the destinations
    shown are every destination of a leaver); Table 5.3 also counts the learners on roll
    on the year's last day (``learners_on_roll_<YYYY-08-31>``). With ``srb_phase`` (each
    SRB's phase) an SRB's leavers in other phases are recorded as known to be empty, so
    the tables add up with counts by phase. ``placed`` (as for :func:`display_leavers`:
    the learners placed in the year behind the exclusion measures, measure
    ``learners_placed_<year>``) adds that each group's learners placed are its leavers
    and those on roll at the year's end (dim ``at year end``), where that holds for every
    group (a learner who moved SRB in the year is one learner placed in the authority
    but a leaver and on roll).
    """
    _breakdown(group_type)
    y = school_year(academic_year)
    ended = measure_name("placements_ended", y.label)
    on_roll = measure_name("learners_on_roll", y.end)
    d, s = _groups(destinations, group_type), _groups(stays, group_type)
    keys = [*d["group"].astype("str").iloc[:-1], ALL]
    cats = tuple(keys[:-1])
    dests = [c for c in dest_shown.columns if c not in ("group", "leavers")]
    phases = phase_order(list((srb_phase or {}).values()))
    phases_ok = group_type == "srb_id" and bool(phases) and all(
        isinstance((srb_phase or {}).get(k), str) for k in cats)

    def parts(m: str) -> tuple[list[Partition], list[dict]]:
        p = [Partition(m, group_type, cats)]
        if not phases_ok:
            return p, []
        return ([*p, Partition(m, "phase", tuple(phases))],
                known_phase_zeros({k: srb_phase[k] for k in cats}, phases))  # type: ignore[index]

    p_end, z_end = parts(ended)
    dest = table_record(dest_shown.assign(key=keys), report="", table="destinations_by_srb",
                        measure=ended, row_dims={"key": group_type},
                        columns={**{c: {"destination": c} for c in dests}, "leavers": {}},
                        partitions=[*p_end, *([Partition(ended, "destination", tuple(dests))]
                                              if dests else [])],  # none: no leaver
                        thresholds=thresholds, total_labels=(ALL,), known_zeros=z_end)
    skeys = [*s["group"].astype("str").iloc[:-1], ALL]
    p_on, z_on = parts(on_roll)
    st = combine_records([
        table_record(stays_shown.assign(key=skeys), report="", table="stays", measure=ended,
                     row_dims={"key": group_type}, columns={"leavers": {}},
                     partitions=p_end, thresholds=thresholds, total_labels=(ALL,),
                     known_zeros=z_end),
        table_record(stays_shown.assign(key=skeys), report="", table="stays",
                     measure=on_roll, row_dims={"key": group_type},
                     columns={"on_roll_at_year_end": {}}, partitions=p_on,
                     thresholds=thresholds, total_labels=(ALL,), known_zeros=z_on)])
    if placed is not None and len(placed):
        p = placed.loc[placed["group_type"].isin([group_type, "authority"])]
        size = dict(zip(p["group"].astype("str").where(p["group_type"] != "authority", ALL),
                        p["n_learners"].astype("float64"), strict=True))
        both = dict(zip(skeys, (s["n_left"] + s["n_on_roll"]).astype("float64"), strict=True))
        if size and all(size.get(k) == v for k, v in both.items()):
            m = measure_name("learners_placed", y.label)
            end = "at year end"
            p_pl, _ = parts(m)
            st = combine_records([st, table_record(
                stays_shown.assign(key=skeys), report="", table="stays (as learners placed)",
                measure=m, row_dims={"key": group_type},
                columns={"leavers": {end: "left"}, "on_roll_at_year_end": {end: "on roll"}},
                partitions=[*p_pl[:1], Partition(m, end, ("left", "on roll"))],
                thresholds=thresholds, total_labels=(ALL,))])
    return dest, st
