"""What the capacity report shows: occupancy, waits, need mix and stays as display
tables, with disclosure control for the audience.

Each ``display_*`` function takes a result of :mod:`srb_eval.measures`
(:mod:`~srb_eval.measures.occupancy`, :mod:`~srb_eval.measures.waiting`,
:mod:`~srb_eval.measures.need_mix`, :mod:`~srb_eval.measures.stays`) and returns a table
of strings (never NaN), in English: the table a render records. The headings and
findings worded from these tables, and their translated copies, are in
:mod:`srb_eval.report.capacity_wording`; the forecast is worded in
:mod:`srb_eval.report.forecast`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.schema import PHASES
from ..errors import ParameterError, check_argument
from ..measures import occupancy as O
from ..measures.roll import ALL
from ..measures.stays import TOO_FEW
from . import disclosure, joint_protection, suppression

__all__ = [
    "MARKERS", "count_text", "display_fig2", "display_length_of_stay", "display_need_mix",
    "display_occupancy", "display_occupancy_summary", "display_stays", "display_turnover",
    "display_waiting_times", "is_hidden", "number_text", "percent_text", "phase_order",
]

NO_DATA = disclosure.NO_DATA_TEXT
#: Display texts that hide a number.
MARKERS = (disclosure.SMALL_COUNT_TEXT, disclosure.SUPPRESSED_TEXT)


def percent_text(x: float) -> str:
    """0.375 -> "37.5%", 1.0 -> "100%", NaN -> "no data" (one decimal, half up)."""
    if x is None or pd.isna(x):
        return NO_DATA
    v = np.floor(1000.0 * float(x) + 0.5) / 10.0
    return f"{v:.1f}".removesuffix(".0") + "%"


def number_text(x: float, decimals: int = 1, *, na: str = NO_DATA) -> str:
    """``1234.56 -> "1,234.6"`` (``decimals`` places, half up); NaN -> ``na``."""
    if x is None or pd.isna(x):
        return na
    v = np.floor(float(x) * 10**decimals + 0.5) / 10**decimals
    return f"{v:,.{decimals}f}"


def count_text(x: object) -> str:
    """``1234 -> "1,234"``; missing -> "no data"."""
    return NO_DATA if x is None or pd.isna(x) else f"{int(x):,}"  # type: ignore[arg-type]


def is_hidden(text: pd.Series) -> pd.Series:
    """Mask of the display cells that hide a number ("<5" or "[c]")."""
    return text.astype("str").isin(MARKERS)


def _roll_suppression(occ: pd.DataFrame, published: bool) -> tuple[pd.Series, pd.Series, str]:
    """Display text of on roll per SRB and per phase, and of the grand total.

    Published: primary and secondary suppression on the SRB x phase table with phase
    totals and the grand total (:func:`srb_eval.report.suppression.suppress_counts`), so that no
    hidden SRB can be recovered from a phase total or the grand total.
    """
    phases = [x for x in PHASES if x in set(occ["phase"])] + sorted(
        set(occ["phase"].dropna()) - set(PHASES))
    on = occ["on_roll"].astype("float64")
    if not published:
        srb = on.map(count_text)
        by_phase = pd.Series({ph: count_text(on[occ["phase"] == ph].sum(min_count=1)
                                            if on[occ["phase"] == ph].notna().all()
                                            else np.nan) for ph in phases}, dtype="str")
        total = count_text(on.sum() if on.notna().all() else np.nan)
        return srb.astype("str"), by_phase, total
    m = pd.DataFrame({ph: np.where(occ["phase"] == ph, on, 0.0) for ph in phases})
    m["total"] = on.to_numpy()
    tot = {ph: (on[occ["phase"] == ph].sum() if on[occ["phase"] == ph].notna().all()
                else np.nan) for ph in phases}
    tot["total"] = on.sum() if on.notna().all() else np.nan
    m.loc[len(m)] = tot
    m["label"] = [f"r{i}" for i in range(len(m) - 1)] + ["TOTAL"]
    # an SRB teaches one phase: its 0 in another phase's column is known, no part
    shown = suppression.suppress_counts(m, phases + ["total"], audience="published",
                                        total_row="TOTAL", total_column="total",
                                        zero_by_design={
                                            ph: np.append((occ["phase"] != ph).to_numpy(
                                                dtype=bool, na_value=True), False)
                                            for ph in phases})
    body = shown.iloc[:-1]
    # each SRB's cell in the column of its phase (the total column when no phase)
    phase = occ["phase"]
    cells = body["total"].to_numpy(dtype=object, na_value=np.nan).copy() if len(occ) else \
        np.array([], dtype=object)
    for ph in phases:
        at = (phase == ph).to_numpy(dtype=bool, na_value=False)
        cells[at] = body[ph].to_numpy(dtype=object, na_value=np.nan)[at]
    srb_text = pd.Series(cells, index=occ.index, dtype="str")
    by_phase = pd.Series({ph: shown.iloc[-1][ph] for ph in phases}, dtype="str")
    return srb_text, by_phase, str(shown.iloc[-1]["total"])


def display_occupancy(occ: pd.DataFrame, *, audience: str,
                      already_published: bool = False) -> pd.DataFrame:
    """The occupancy table a report shows: one row per SRB and a total row, as text.

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`~srb_eval.measures.occupancy.occupancy` or
        :func:`~srb_eval.measures.occupancy.occupancy_from_census`.
    audience : {"internal", "published"}
    already_published : bool, default False
        The counts are already public (e.g. Fig. 3 of the 2020 strategy): shown as they
        are, whatever the audience.

    Returns
    -------
    pandas.DataFrame
        Columns ``srb``, ``phase``, ``places``, ``on_roll``, ``occupancy`` ("37.5%"),
        ``unfilled_places``, ``places_over``, ``status`` and, when the data record it,
        ``awaiting_start``; a last row "all SRBs". For a published audience counts on
        roll from 1 to 4 show "<5", a second SRB (or phase) is hidden ("[c]") where a
        total would give the first away, and everything derived from a hidden count
        (occupancy, unfilled places, places over, status) shows "[c]" too. Never NaN.
    """
    published = disclosure.check_audience(audience) == "published" and not already_published
    srb_text, _, total_text = _roll_suppression(occ, published)
    hide = is_hidden(srb_text)
    cap = occ["capacity"].astype("float64")
    out = pd.DataFrame({
        "srb": occ["name"].astype("str").fillna(occ["srb_id"].astype("str")),
        "phase": occ["phase"].astype("str").fillna(NO_DATA),
        "places": cap.map(count_text),
        "on_roll": srb_text,
        "occupancy": occ["occupancy"].map(percent_text),
        "unfilled_places": occ["unfilled_places"].map(count_text),
        "places_over": occ["places_over"].map(count_text),
        "status": occ["status"].astype("str"),
    })
    for c in ("occupancy", "unfilled_places", "places_over", "status"):
        out[c] = out[c].where(~hide, disclosure.SUPPRESSED_TEXT)
    total_on = occ["on_roll"].astype("float64")
    total_hidden = total_text in MARKERS
    tot_cap = cap.sum()
    total = {
        "srb": O.ALL_SRBS, "phase": ALL, "places": count_text(tot_cap), "on_roll": total_text,
        "occupancy": percent_text(total_on.sum() / tot_cap if tot_cap > 0
                               and total_on.notna().all() else np.nan),
        "unfilled_places": count_text(occ["unfilled_places"].sum()
                                     if total_on.notna().all() else np.nan),
        "places_over": count_text(occ["places_over"].sum()
                                 if total_on.notna().all() else np.nan),
        "status": ""}
    if total_hidden:
        for c in ("occupancy", "unfilled_places", "places_over"):
            total[c] = disclosure.SUPPRESSED_TEXT
    elif published and hide.any():
        # with a hidden SRB, the totals of unfilled places and places over capacity
        # bound the hidden counts (e.g. "none over capacity"): not shown
        for c in ("unfilled_places", "places_over"):
            total[c] = disclosure.SUPPRESSED_TEXT
    out.loc[len(out)] = total
    if occ["awaiting_start"].notna().any():
        wait = pd.DataFrame({"awaiting_start": list(occ["awaiting_start"].astype("float64"))
                             + [occ["awaiting_start"].sum()], "label": list(out["srb"])})
        shown = suppression.suppress_counts(wait, ["awaiting_start"],
                                            audience="published" if published else "internal",
                                            total_row=O.ALL_SRBS)
        out["awaiting_start"] = shown["awaiting_start"].astype("str").to_numpy()
    return out.astype("str")


def display_occupancy_summary(occ: pd.DataFrame, *, audience: str, by: str = "phase",
                              already_published: bool = False) -> pd.DataFrame:
    """:func:`~srb_eval.measures.occupancy.occupancy_summary`
    as a report shows it (text, suppressed if published).

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`~srb_eval.measures.occupancy.occupancy` or
        :func:`~srb_eval.measures.occupancy.occupancy_from_census`.
    audience : {"internal", "published"}
    by : {"phase", "designation"}, default "phase"
    already_published : bool, default False
        As in :func:`display_occupancy`.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``srbs``, ``places``, ``on_roll``, ``occupancy``,
        ``unfilled_places``, ``places_over``, ``net_spare``. Published by phase: the
        phase totals are suppressed consistently with :func:`display_occupancy`.
        Published by designation: only ``group``, ``srbs`` and ``places`` (designations
        overlap, so their on-roll totals could be differenced to reveal a small SRB).
    """
    check_argument(by in ("phase", "designation"), "by", "'phase' or 'designation'", by,
                   error=ParameterError)
    published = disclosure.check_audience(audience) == "published" and not already_published
    s = O.occupancy_summary(occ, by=by)
    out = pd.DataFrame({"group": s["group"].astype("str"),
                        "srbs": s["n_srbs"].map(count_text),
                        "places": s["capacity"].map(count_text)})
    if published and by == "designation":
        return out.astype("str")
    srb_text, by_phase, total_text = _roll_suppression(occ, published)
    roll = s["on_roll"].map(count_text)
    partly_hidden = pd.Series(False, index=s.index)
    if by == "phase":
        roll = s["group"].map(by_phase).fillna(total_text).where(
            s["group"] != O.ALL_SRBS, total_text)
        if published:
            hidden_phases = set(occ["phase"].astype("str")[is_hidden(srb_text)])
            partly_hidden = s["group"].isin(hidden_phases) | (
                (s["group"] == O.ALL_SRBS) & bool(hidden_phases))
    out["on_roll"] = roll.astype("str")
    out["occupancy"] = s["occupancy"].map(percent_text)
    out["unfilled_places"] = s["unfilled_places"].map(count_text)
    out["places_over"] = s["places_over"].map(count_text)
    out["net_spare"] = s["net_spare"].map(count_text)
    hide = is_hidden(out["on_roll"])
    for c in ("occupancy", "unfilled_places", "places_over", "net_spare"):
        out[c] = out[c].where(~hide, disclosure.SUPPRESSED_TEXT)
    for c in ("unfilled_places", "places_over"):
        out[c] = out[c].where(~partly_hidden, disclosure.SUPPRESSED_TEXT)
    return out.astype("str")


def display_waiting_times(summary: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`~srb_eval.measures.waiting.waiting_time_summary`
    as a report shows it (weeks, text, suppressed).

    Returns
    -------
    pandas.DataFrame
        Columns ``interval``, ``group``, ``n``, ``n_excluded``, ``median_weeks``,
        ``longest_weeks``. Published: counts 1-4 as "<5" (with secondary suppression
        against the "all" row of each interval); a median of fewer than 10 placements
        "[c]"; no ``longest_weeks`` column, since a longest wait is one learner's wait.
        Missing statistics are worded from ``note``.
    """
    published = disclosure.check_audience(audience) == "published"
    frames = []
    for interval in dict.fromkeys(summary["interval"]):
        s = summary[summary["interval"] == interval].reset_index(drop=True)
        base = pd.DataFrame({"interval": s["interval"], "group": s["group"],
                             "n": s["n"].astype("float64"),
                             "n_excluded": s["n_excluded"].astype("float64"),
                             "median_weeks": s["median_weeks"],
                             "longest_weeks": s["longest_weeks"]})
        has_total = (s["group"] == ALL).any() and len(s) > 1
        shown = suppression.safe_table(
            base, audience=audience, count_columns=["n", "n_excluded"], n_column="n",
            total_row=ALL if has_total and published else None, id_columns=())
        for c in ("median_weeks", "longest_weeks"):
            text = s[c].map(number_text)
            text = text.where(s[c].notna(), s["note"].replace("", NO_DATA))
            if published:
                text = text.where(~(shown[c].astype("str") == disclosure.SUPPRESSED_TEXT),
                                  disclosure.SUPPRESSED_TEXT)
                text = text.where(~is_hidden(shown["n"]), disclosure.SUPPRESSED_TEXT)
            shown[c] = text
        frames.append(shown.drop(columns="longest_weeks") if published else shown)
    out = pd.concat(frames, ignore_index=True) if frames else summary.iloc[:0]
    return out.astype("str")


def display_need_mix(change: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`~srb_eval.measures.need_mix.need_mix_change`
    as a report shows it: counts, shares, change.

    Returns
    -------
    pandas.DataFrame
        Columns ``primary_need``, ``n_from``, ``share_from``, ``n_to``, ``share_to``,
        ``change_points``, and a last row "all needs". Published: counts 1-4 "<5" with
        secondary suppression against the totals until every hidden count meets the
        render's audit rule (``strict``: a "[c]" of 5 or more is not narrowed to a range
        with some of 1 to 4, as "[c]" of ADHD beside the others and a "<5" could be
        narrowed to 4 to 7); shares suppressed by
        :func:`srb_eval.report.suppression.safe_table` rules; a change "[c]" when either share
        is hidden.
    """
    c = change.reset_index(drop=True)
    t_from = int(c["n_total_from"].max()) if len(c) else 0
    t_to = int(c["n_total_to"].max()) if len(c) else 0
    base = pd.DataFrame({"primary_need": c["primary_need"].astype("str"),
                         "n_from": c["n_from"].astype("float64"),
                         "n_total_from": float(t_from),
                         "n_to": c["n_to"].astype("float64"),
                         "n_total_to": float(t_to)})
    base.loc[len(base)] = {"primary_need": "all needs", "n_from": t_from,
                           "n_total_from": t_from, "n_to": t_to, "n_total_to": t_to}
    shown = suppression.safe_table(
        base, audience=audience, count_columns=["n_from", "n_to"],
        percent_columns={"share_from": ("n_from", "n_total_from"),
                         "share_to": ("n_to", "n_total_to")},
        total_row="all needs", id_columns=(), decimals=0, strict=True)
    pts = list(c["change_points"]) + [np.nan]
    change_text = pd.Series([NO_DATA if pd.isna(v) else f"{v:+.0f}" if abs(v) >= 0.5
                             else "0" for v in pts], dtype="str")
    hide = is_hidden(shown["share_from"]) | is_hidden(shown["share_to"])
    change_text = change_text.where(~hide, disclosure.SUPPRESSED_TEXT)
    change_text.iloc[-1] = ""
    shown["change_points"] = change_text.to_numpy()
    return shown[["primary_need", "n_from", "share_from", "n_to", "share_to",
                  "change_points"]].astype("str")


def display_length_of_stay(los: pd.DataFrame, *, audience: str,
                           thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                           ) -> pd.DataFrame:
    """:func:`~srb_eval.measures.stays.length_of_stay`
    as a report shows it (years to one decimal, suppressed).

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``n_left``, ``median_completed_years``, ``n_on_roll``,
        ``median_so_far_years``, ``n_started``, ``km_median_years``. A missing median is
        "too few to judge" or "not reached"; published, counts below
        ``thresholds.min_count`` are "<5", further counts are hidden ("[c]") so that none
        follows from the "all" row, nor can be narrowed beyond the render's audit rule
        (``strict``), and a median of fewer than
        ``thresholds.min_denominator`` stays "[c]".
    """
    published = disclosure.check_audience(audience) == "published"
    t = thresholds
    out = pd.DataFrame({"group": los["group"].astype("str")})
    # the "all" row is the total of the phases: a hidden phase must not follow from it
    total = ALL if (out["group"] == ALL).sum() == 1 and len(out) > 1 else None
    for n_col, m_col in (("n_left", "median_completed_years"),
                         ("n_on_roll", "median_so_far_years"),
                         ("n_started", "km_median_years")):
        n = los[n_col].astype("float64")
        counts = suppression.suppress_counts(
            pd.DataFrame({"group": out["group"], n_col: n}), [n_col], audience=audience,
            thresholds=t, total_row=total, strict=True)[n_col]
        text = los[m_col].map(number_text)
        missing = los[m_col].isna()
        reached = los["note"].str.contains("not reached", regex=False)
        word = np.where((m_col == "km_median_years") & reached, "not reached", TOO_FEW)
        text = text.where(~missing, pd.Series(word, index=los.index))
        if published:
            text = text.where(~(n < t.min_denominator), disclosure.SUPPRESSED_TEXT)
        out[n_col] = counts.astype("str")
        out[m_col] = text.astype("str")
    return out.astype("str")


def display_turnover(tov: pd.DataFrame, *, audience: str,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> pd.DataFrame:
    """:func:`~srb_eval.measures.stays.turnover` as a report shows it.

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year``, ``group``, ``leavers``, ``mean_on_roll`` (one decimal),
        ``turnover`` ("27%"). Published: leavers 1-4 "<5", with secondary suppression
        against each year's "all" row; a turnover "[c]" where its leavers are hidden or
        where fewer than ``thresholds.min_denominator`` learners were on roll on average
        (the policy: no statistic of a group that small, a rate of 0% included: "0
        leavers, 0%" of a phase of about 5 learners says that none of them left). The
        leavers of such a group are hidden too, 0 included ("[c]", and another count
        of the year with them): beside the mean on roll they would state the rate.
    """
    published = disclosure.check_audience(audience) == "published"
    frames = []
    for year in dict.fromkeys(tov["school_year"]):
        s = tov[tov["school_year"] == year].reset_index(drop=True)
        base = pd.DataFrame({"school_year": s["school_year"], "group": s["group"],
                             "leavers": s["leavers"].astype("float64")})
        has_total = (s["group"] == ALL).any() and len(s) > 1
        few = (s["mean_on_roll"] < thresholds.min_denominator).to_numpy()
        shown = suppression.suppress_counts(base, ["leavers"], audience=audience,
                                            thresholds=thresholds,
                                            total_row=ALL if has_total and published
                                            else None,
                                            hide={"leavers": few})
        shown["mean_on_roll"] = s["mean_on_roll"].map(number_text)
        rate = s["turnover"].map(percent_text)
        if published:
            rate = rate.where((~is_hidden(shown["leavers"]) & ~few) | (rate == NO_DATA),
                              disclosure.SUPPRESSED_TEXT)
        shown["turnover"] = rate
        frames.append(shown)
    if not frames:
        return pd.DataFrame(columns=["school_year", "group", "leavers", "mean_on_roll",
                                     "turnover"], dtype="str")
    return pd.concat(frames, ignore_index=True).astype("str")


def display_stays(los: pd.DataFrame, tov: pd.DataFrame, *, audience: str,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The length of stay and turnover tables of one report, protected together.

    Both count leavers by phase: a phase's leavers since the data began (length of stay)
    are at least its leavers of each complete school year (turnover), with the same
    "all" rows. Protected one by one, the secondary leavers of each year ("<5", with
    their year's all row) and of the whole window ("<5") narrowed each other (a year's
    can then only be 1 to 3). :func:`srb_eval.report.joint_protection.protect_together` hides
    more leaver counts (never fewer) until none of them can be narrowed beyond the render's
    audit rule (a "[c]" holds all of 1 to ``min_count - 1`` or none of it); a turnover
    whose leavers are hidden is hidden too.

    Returns
    -------
    (length_of_stay, turnover) : tuple of pandas.DataFrame
        :func:`display_length_of_stay` and :func:`display_turnover`, published with the
        further cells hidden ("[c]").
    """
    shown_los = display_length_of_stay(los, audience=audience, thresholds=thresholds)
    shown_tov = display_turnover(tov, audience=audience, thresholds=thresholds)
    if disclosure.check_audience(audience) != "published" or tov.empty or los.empty:
        return shown_los, shown_tov
    groups = los["group"].astype("str").tolist()
    keys = zip(tov["school_year"].astype("str"), tov["group"].astype("str"), strict=True)
    leavers = dict(zip(keys, tov["leavers"].astype("float64"), strict=True))
    years, phase = shown_tov["school_year"].astype("str"), shown_tov["group"].astype("str")
    links = []
    for year in dict.fromkeys(years):
        rows = np.flatnonzero(years == year)
        total = [r for r in rows if phase[r] == ALL]
        if len(total) == 1:
            links.append(((1, int(total[0])), [(1, int(r)) for r in rows if r != total[0]]))
    for i, g in enumerate(groups):  # since the data began: at least its complete years
        links.append(((0, i), [(1, int(r)) for r in np.flatnonzero(phase == g)]))
    values = [pd.DataFrame({"k": los["n_left"].astype("float64").to_numpy()}),
              pd.DataFrame({"k": [leavers[k] for k in zip(years, phase, strict=True)]})]
    shown = [pd.DataFrame({"k": shown_los["n_left"].to_numpy()}),
             pd.DataFrame({"k": shown_tov["leavers"].to_numpy()})]
    total_los = groups.index(ALL) if groups.count(ALL) == 1 and len(groups) > 1 else None
    out = joint_protection.protect_together(values, shown, {"k": "k"}, totals=[total_los, None],
                                       links=links, thresholds=thresholds, strict=True)
    shown_los["n_left"] = out[0]["k"].astype("str").to_numpy()
    shown_tov["leavers"] = out[1]["k"].astype("str").to_numpy()
    shown_tov["turnover"] = shown_tov["turnover"].where(
        ~is_hidden(shown_tov["leavers"]) | (shown_tov["turnover"] == NO_DATA),
        disclosure.SUPPRESSED_TEXT)
    return shown_los, shown_tov


def display_fig2(fig2: pd.DataFrame) -> pd.DataFrame:
    """Fig. 2 as text: category, need codes, January and November 2020, change."""
    def pct(v: float) -> str:
        return number_text(v, 1).removesuffix(".0") + "%"

    return pd.DataFrame({
        "sen_category": fig2["sen_category"], "need_codes": fig2["need_codes"],
        "jan_2020": fig2["pct_jan_2020"].map(pct), "nov_2020": fig2["pct_nov_2020"].map(pct),
        "change_points": fig2["change_points"].map(
            lambda v: "0" if abs(v) < 0.05 else f"{v:+.1f}".replace(".0", ""))}).astype("str")


def phase_order(phases: object) -> list[str]:
    """The phases of a set of SRBs, in the schema's order (others after, sorted).

    Examples
    --------
    >>> phase_order(["secondary", "primary", "secondary", None])
    ['primary', 'secondary']
    """
    got = {str(p) for p in pd.Series(phases).dropna()}
    return [p for p in PHASES if p in got] + sorted(got - set(PHASES))
