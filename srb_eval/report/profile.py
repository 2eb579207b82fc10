"""Tables and sentences of one learner's profile for the annual review (internal audience
only): the measures of :func:`srb_eval.measures.profile.learner_profile` worded for the
learner, their family and the educational psychologist, in the report's language
(:mod:`srb_eval.report.i18n`). Data values (resource base names, instruments, areas,
needs) are shown as given."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..measures.calendar import year_group, year_group_label
from ..measures.columns import need_columns
from ..measures.profile import LearnerProfile
from ..measures.progress import DAYS_PER_MONTH, DEFAULT_TOLERANCE, STATUSES
from ..measures.progress_scales import SLD_GUIDANCE_MONTHS
from .i18n import (
    N_,
    area_word,
    format_date,
    format_number,
    format_percent,
    ngettext,
    pgettext,
)
from .i18n import gettext as _

__all__ = ["about_table", "placements_table", "attendance_heading", "caveats", "attendance_table", "describe_progress",
           "gas_heading", "verdict_words", "gas_table", "inclusion_heading", "inclusion_table",
           "progress_heading", "progress_table", "ratio_gain_table", "reliable_change_table"]

_BAND_WORDS = {"below": "below expected", "expected": "expected progress",
               "above": "above expected"}
#: The verdicts of :func:`verdict_words` (and the statuses and Reliable Change classes
#: and Brooks bands a profile shows), marked for the catalogue: shown with :func:`_`.
VERDICTS = (N_("expected progress"), N_("above expected"), N_("below expected"),
            N_("no reliable change"), N_("too soon to judge"), N_("no follow-up yet"),
            N_("no expectation set"), N_("measured"), N_("reliable deterioration"),
            N_("reliable improvement"), N_("of doubtful educational significance"),
            N_("modest impact"), N_("useful impact"), N_("substantial impact"),
            N_("remarkable impact"))
#: The words of :func:`srb_eval.measures.calendar.year_group_label` other than "Year N".
YEAR_GROUP_WORDS = (N_("Nursery"), N_("Reception"), N_("pre-school"), N_("Year 14 and over"))
#: A tolerance in words (as :func:`srb_eval.report.progress.fraction_words` gives it).
FRACTIONS = {0.25: N_("a quarter"), 0.5: N_("a half"), 0.1: N_("a tenth")}


def _pct(x: Any) -> str:
    return format_percent(x, missing=_("no data"))


def _num(x: Any, decimals: int = 1) -> str:
    return format_number(x, decimals, grouping=False, missing="-")


def _words(values: pd.Series) -> pd.Series:
    """Verdicts, statuses or bands (English, as the measures give them) in the report's
    language (each distinct word looked up once); a missing value stays missing."""
    words = values.astype(object)
    return words.map({w: _(str(w)) for w in words.dropna().unique()})


def _year_group(group: pd.Series) -> str:
    """The year group of :func:`~srb_eval.measures.calendar.year_group_label` (one value)
    in the report's language: its fixed words translated, "Year 6" as a message with the
    number."""
    label = year_group_label(group).iloc[0]
    if label is None:
        return _("not recorded")
    if label in YEAR_GROUP_WORDS:
        return _(label)
    return _("Year {n}").format(n=int(group.iloc[0]))


def _fraction(x: float) -> str:
    """A tolerance in words in the report's language: 0.25 is "a quarter"."""
    return _(FRACTIONS[x]) if x in FRACTIONS else format_number(100 * x, 0) + "%"


def about_table(profile: LearnerProfile) -> pd.DataFrame:
    """Who the learner is, as ``item`` / ``value`` text: birth month, age and year group
    as at the profile's date, sex, primary and secondary needs, statutory plan, free
    school meals, home authority, current (or last) SRB."""
    learner, placements, as_at = profile.learner, profile.placements, profile.as_at
    birth = pd.Timestamp(learner["birth_month"])
    items = [(_("Learner"), str(learner["learner_id"])),
             (_("Birth month"), format_date(birth, "month"))]
    if as_at is not None:
        months = int((as_at - birth).days // DAYS_PER_MONTH)
        yg = year_group(pd.Series([birth]), pd.Series([as_at]))
        on = format_date(as_at)
        items += [(_("Age on {date}").format(date=on),
                   _("{years} years {months} months").format(years=months // 12,
                                                              months=months % 12)),
                  (_("Year group on {date}").format(date=on), _year_group(yg))]

    def text(v: Any, none: str | None = None) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return _("not recorded") if none is None else none
        if isinstance(v, (bool, np.bool_)):
            return _("yes") if v else _("no")
        return str(v)

    items += [(_("Sex"), text(learner.get("sex"))),
              (_("Primary need"), text(learner.get("primary_need"))),
              (_("Secondary needs"), text(learner.get("secondary_needs"), _("none recorded"))
               .replace(";", ", ")),
              (_("Statutory plan"), text(learner.get("statutory_plan"))),
              (_("Free school meals"), text(learner.get("fsm"))),
              (_("Home authority"), text(learner.get("home_authority")))]
    if len(placements):
        last = placements.sort_values("start_date").iloc[-1]
        where = f"{last['srb_name']} ({last['srb_id']})"
        start = format_date(last["start_date"])
        if pd.isna(last["end_date"]):
            items.append((_("Current SRB"), _("{srb}, since {start}").format(
                srb=where, start=start)))
        else:
            items.append((_("Last SRB"), _("{srb}, {start} to {end}").format(
                srb=where, start=start, end=format_date(last["end_date"]))))
    return pd.DataFrame(items, columns=[_("item"), _("value")])


def placements_table(placements: pd.DataFrame) -> pd.DataFrame:
    """One learner's placements for readers: SRB, resource base (names as given),
    started, left, destination, headed in the report's language."""
    return placements[["srb_id", "srb_name", "start_date", "end_date", "destination"]].rename(
        columns={"srb_id": pgettext("column", "SRB"), "srb_name": _("resource base"),
                 "start_date": _("started"), "end_date": _("left"),
                 "destination": _("destination")})


def verdict_words(progress: pd.DataFrame) -> pd.Series:
    """How a learner's profile words each progress row: its band ("expected progress",
    "above expected", "below expected"), or why there is none ("too soon to judge", "no
    follow-up yet", "no expectation set").

    A standardised score judged by the Reliable Change Index (``band_basis`` "reliable
    change") whose change is within the test's measurement error reads "no reliable
    change", never "expected progress": a drop of 11 points that is not reliable is not
    progress, only a change too small to tell from measurement error.

    Examples
    --------
    >>> p = pd.DataFrame({"band": ["expected", "expected", None, None],
    ...     "band_basis": ["reliable change", "expected gain per year", "no expectation",
    ...                    "expected gain per year"],
    ...     "status": ["measured", "measured", "measured", "too soon to judge"]})
    >>> verdict_words(p).tolist()
    ['no reliable change', 'expected progress', 'no expectation set', 'too soon to judge']
    """
    band = progress["band"].astype(object).map(lambda b: _BAND_WORDS.get(b))
    within_error = (progress["band"].astype("str") == "expected") & (
        progress["band_basis"].astype("str") == "reliable change")
    band = band.where(~within_error, "no reliable change")
    status = progress["status"].astype("str")
    no_exp = (status == STATUSES[0]) & band.isna()
    return band.where(band.notna(), status.where(~no_exp, "no expectation set"))


def progress_table(progress: pd.DataFrame) -> pd.DataFrame:
    """One learner's progress rows as a reader sees them.

    Returns
    -------
    DataFrame
        ``SRB``, ``instrument``, ``area``, ``baseline`` ("21 on 03 Oct 2022"),
        ``latest``, ``gain``, ``gain a year``, ``expected a year`` (or "hold the score"
        for a standardised score judged by the RCI), ``progress``
        (:func:`verdict_words`: expected progress, no reliable change, above expected,
        below expected, too soon to judge, no follow-up yet or no expectation set);
        headers and words in the report's language.
    """
    need_columns(progress, ["srb_id", "instrument", "area", "baseline_score",
                             "baseline_date", "outcome_score", "outcome_date", "gain", "rate",
                             "expected_gain_per_year", "band", "band_basis", "status"],
                 "progress")
    p = progress.reset_index(drop=True)
    basis = p["band_basis"].astype("str")
    expected = [(_("hold the score") if b == "reliable change" else
                 _("benchmark") if b == "benchmark" else _num(e))
                for b, e in zip(basis, p["expected_gain_per_year"], strict=True)]
    on = _("{score} on {date}")
    return pd.DataFrame({
        pgettext("column", "SRB"): p["srb_id"].astype("str"),
        _("instrument"): p["instrument"].astype("str"),
        _("area"): p["area"].astype("str").map(area_word).str.replace("_", " "),
        _("baseline"): [on.format(score=_num(s, 0), date=format_date(d, "short")) for s, d in
                        zip(p["baseline_score"], p["baseline_date"], strict=True)],
        _("latest"): ["-" if pd.isna(d) else on.format(score=_num(s, 0),
                                                       date=format_date(d, "short"))
                      for s, d in zip(p["outcome_score"], p["outcome_date"], strict=True)],
        _("gain"): p["gain"].map(lambda v: _num(v, 0)),
        _("gain a year"): p["rate"].map(_num),
        _("expected a year"): expected,
        _("progress"): _words(verdict_words(p)).to_numpy(),
    })


def progress_heading(progress: pd.DataFrame) -> str:
    """``"Expected progress or better on 5 of 7 measures judged (an instrument in an
    area)"`` for one learner; standardised scores with no reliable change are counted
    apart: ``"..., no reliable change on 1"``."""
    judged = progress["band"].notna()
    n = int(judged.sum())
    if n == 0:
        return _("Progress: none can be judged against an expectation yet")
    words = verdict_words(progress.loc[judged])
    ok = int(words.isin(["expected progress", "above expected"]).sum())
    same = int((words == "no reliable change").sum())
    if same:
        return ngettext("Expected progress or better on {ok} of {n} measure judged (an "
                        "instrument in an area), no reliable change on {same}",
                        "Expected progress or better on {ok} of {n} measures judged (an "
                        "instrument in an area), no reliable change on {same}",
                        n).format(ok=ok, n=n, same=same)
    return ngettext("Expected progress or better on {ok} of {n} measure judged (an "
                    "instrument in an area)",
                    "Expected progress or better on {ok} of {n} measures judged (an "
                    "instrument in an area)", n).format(ok=ok, n=n)


def describe_progress(progress: pd.DataFrame) -> str:
    """Which areas were above, at or below expected, too soon or without a follow-up."""
    words = verdict_words(progress.reset_index(drop=True))
    what = np.array([f"{area_word(a).replace('_', ' ')} ({i})" for a, i in zip(
        progress["area"].astype("str"), progress["instrument"].astype("str"), strict=True)],
                    dtype=object)
    parts = []
    for verdict, lead in (("above expected", _("Above expected: {areas}.")),
                          ("expected progress", _("Expected progress: {areas}.")),
                          ("no reliable change", _("No reliable change (within the "
                                                   "test's measurement error): {areas}.")),
                          ("below expected", _("Below expected: {areas}.")),
                          ("too soon to judge", _("Too soon to judge: {areas}.")),
                          ("no follow-up yet", _("No follow-up yet: {areas}.")),
                          ("no expectation set", _("No expectation set: {areas}."))):
        items = what[(words == verdict).to_numpy()]
        if len(items):
            parts.append(lead.format(areas=", ".join(items)))
    return " ".join(parts)


def reliable_change_table(reliable: pd.DataFrame) -> pd.DataFrame:
    """One learner's :func:`srb_eval.measures.progress_scales.reliable_change` rows for readers."""
    r = reliable.reset_index(drop=True)
    more = _("more than {change}")
    return pd.DataFrame({
        _("instrument"): r["instrument"].astype("str"),
        _("area"): r["area"].astype("str").map(area_word).str.replace("_", " "),
        _("baseline"): r["baseline_score"].map(lambda v: _num(v, 0)),
        _("latest"): r["outcome_score"].map(lambda v: _num(v, 0)),
        _("change"): r["change"].map(lambda v: _num(v, 0)),
        _("reliable change needs"): r["change_needed"].map(
            lambda v: more.format(change=_num(v))),
        _("RCI"): r["rci"].map(lambda v: _num(v, 2)),
        _("verdict"): _words(r["rci_class"].astype("str")),
    })


def ratio_gain_table(ratio: pd.DataFrame) -> pd.DataFrame:
    """One learner's :func:`srb_eval.measures.progress_scales.ratio_gain` rows for readers."""
    r = ratio.reset_index(drop=True)
    band = r["ratio_gain_band"].astype(object)
    at_least, more = _("at least {months} behind"), _("more than {months} behind")
    return pd.DataFrame({
        _("instrument"): r["instrument"].astype("str"),
        _("area"): r["area"].astype("str").map(area_word).str.replace("_", " "),
        _("months elapsed"): r["elapsed_months"].map(lambda v: _num(v, 0)),
        _("gain (months)"): r["gain_months"].map(lambda v: _num(v, 0)),
        _("ratio gain"): r["ratio_gain"].map(lambda v: _num(v, 2)),
        _("Brooks band"): _words(band.where(band.notna(), r["status"].astype("str"))),
        _("gap at baseline (months)"): r["gap_at_baseline_months"].map(
            lambda v: _num(v, 0)),
        _("gap at latest (months)"): r["gap_at_outcome_months"].map(lambda v: _num(v, 0)),
        _("guidance"): [(at_least if g < SLD_GUIDANCE_MONTHS else more).format(
                            months=format_number(g, 0)) for g in r["guidance_gap_months"]],
        _("baseline gap meets guidance"): r["meets_guidance_gap"].map(
            {True: _("yes"), False: _("no")}).astype(object).where(
                r["meets_guidance_gap"].notna(), _("no data")),
    })


def gas_heading(gas: pd.DataFrame) -> str:
    """Heading from one learner's GAS scores: the latest review."""
    g = gas.dropna(subset=["gas_t"]) if len(gas) else gas
    if len(g) == 0:
        return _("Targets: none reviewed yet")
    last = g.sort_values("review_date").iloc[-1]
    return _("Targets: at the latest review ({date}) {met} of {n} targets were met or "
             "exceeded (GAS T-score {t})").format(
        date=format_date(last["review_date"]), met=int(last["n_met"]),
        n=int(last["n_targets"]), t=format_number(last["gas_t"], 0))


def gas_table(gas: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """One learner's reviews: date, SRB, targets reviewed and met, areas, T-score.

    ``targets`` supplies the areas of each review's targets (reviewed targets only).
    """
    g = gas.sort_values("review_date").reset_index(drop=True)
    t = targets.loc[targets["attainment"].notna() & targets["review_date"].notna()]
    areas = (t.assign(area=t["area"].astype("str").map(area_word).str.replace("_", " "))
             .groupby("review_date")["area"]
             .agg(lambda s: ", ".join(sorted(set(s)))))
    return pd.DataFrame({
        _("review"): g["review_date"].map(lambda d: format_date(d, "short")),
        pgettext("column", "SRB"): g["srb_id"].astype(object).where(g["srb_id"].notna(),
                                                                     "-"),
        _("targets reviewed"): g["n_targets"].astype("int64"),
        _("met or exceeded"): g["n_met"].astype("int64"),
        _("areas"): g["review_date"].map(areas).fillna("-"),
        _("GAS T-score"): g["gas_t"].map(lambda v: _num(v, 0)),
    })


def inclusion_heading(shares: pd.DataFrame) -> str:
    """Latest term's share in mainstream and the change since the first term."""
    s = shares.dropna(subset=["inclusion_share"]) if len(shares) else shares
    if len(s) == 0:
        return _("Time in mainstream classes: no records")
    s = s.sort_values("period_start")
    first, last = s.iloc[0], s.iloc[-1]
    share, term = _pct(last["inclusion_share"]), last["period"]
    if len(s) == 1:
        return _("Time in mainstream classes: {share} in the latest term ({term})").format(
            share=share, term=term)
    diff = float(last["inclusion_share"]) - float(first["inclusion_share"])
    pts = int(np.floor(abs(100 * diff) + 0.5))
    if pts == 0:
        said = _("Time in mainstream classes: {share} in the latest term ({term}), the same "
                 "as the first ({first})")
    elif diff > 0:
        said = _("Time in mainstream classes: {share} in the latest term ({term}), up "
                 "{points} percentage points from the first ({first})")
    else:
        said = _("Time in mainstream classes: {share} in the latest term ({term}), down "
                 "{points} percentage points from the first ({first})")
    return said.format(share=share, term=term, points=pts, first=first["period"])


def inclusion_table(shares: pd.DataFrame) -> pd.DataFrame:
    """One learner's termly shares (from ``learner_shares``) for readers."""
    s = shares.sort_values("period_start").reset_index(drop=True)
    return pd.DataFrame({
        _("term"): s["period"].astype("str"),
        _("minutes timetabled"): s["minutes_timetabled"].map(
            lambda v: format_number(v, 0, missing="-")),
        _("in mainstream (all subjects)"): s["inclusion_share"].map(_pct),
        _("in mainstream (core subjects)"): s["core_inclusion_share"].map(_pct),
    })


def attendance_heading(rates: pd.DataFrame) -> str:
    """Attendance over the latest school year with records (rate of sums)."""
    if len(rates) == 0:
        return _("Attendance: no records")
    latest = rates["school_year"].max()
    y = rates.loc[rates["school_year"] == latest]
    poss, att = int(y["sessions_possible"].sum()), int(y["sessions_attended"].sum())
    if poss == 0:
        return _("Attendance: no sessions possible in {year}").format(year=latest)
    return _("Attendance: {share} of sessions in {year} ({attended} of {possible} half-day "
             "sessions)").format(share=_pct(att / poss), year=latest, attended=att,
                                 possible=poss)


def attendance_table(rates: pd.DataFrame) -> pd.DataFrame:
    """One learner's attendance rates for readers."""
    r = rates.sort_values("period_start").reset_index(drop=True)
    span = _("{start} to {end}")
    return pd.DataFrame({
        _("period"): [span.format(start=format_date(a, "short"), end=format_date(b, "short"))
                      for a, b in zip(r["period_start"], r["period_end"], strict=True)],
        _("school year"): r["school_year"].astype("str"),
        _("sessions possible"): r["sessions_possible"].astype("int64"),
        _("sessions attended"): r["sessions_attended"].astype("int64"),
        _("attendance"): r["attendance_rate"].map(_pct),
    })




def caveats(*, tolerance: float = DEFAULT_TOLERANCE) -> str:
    """The caveats section of a learner profile (Markdown), from the settings in use."""
    return "\n".join([
        "## " + _("Caveats"),
        "- " + _("**Baseline rule** (A2): the assessment flagged as the baseline, else the "
                 "first of that instrument and area on or after the placement start; for a "
                 "placement that began before the data, the first assessment in the data."),
        "- " + _("**Expected progress**: within {tolerance} of the instrument's expected gain "
                 'a year is "expected". A standardised score is expected to hold: a change '
                 "within the test's measurement error (Reliable Change Index) reads \"no "
                 'reliable change", whichever way it went; only a reliable rise or fall is '
                 "above or below expected. Progress over less than a term is too soon to "
                 "judge.").format(tolerance=_fraction(tolerance)),
        "- " + _("**Ratio-gain bands** (A4) are as usually quoted from Brooks and could not "
                 "be checked against the text here. **Ages** use the first of the birth "
                 "month (A8)."),
        "- " + _("**Inclusion** is the share of timetabled minutes in mainstream classes "
                 "each term; terms are set by month (autumn September-December, spring "
                 "January-March, summer April-August)."),
        "- " + _("**Internal only**: this profile is learner-level personal data for the "
                 "review."),
    ])
