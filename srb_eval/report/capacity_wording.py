"""The capacity report's words: headings and findings worded from its display tables, and
the translated copies of those tables, in the report's language.

The tables of :mod:`srb_eval.report.capacity` are recorded in English (their disclosure
records name their columns and cells); :func:`shown` is the copy a reader sees. Each
``*_heading`` says what a table found and each ``*_sentences`` gives findings built from
the display table, so a published report words only what its table shows. Every
sentence is one message of the catalogue (:mod:`srb_eval.report.i18n`) with named
placeholders; words of the measures layer (statuses, notes, waits) are translated by
matching, and one that no message matches warns (:func:`~srb_eval.report.i18n.unknown_text`).
"""

from __future__ import annotations

import re

import pandas as pd

from ..measures import need_mix as N
from ..measures import occupancy as O
from ..measures import waiting as W
from ..measures.roll import ALL
from . import disclosure
from .capacity import (
    MARKERS,
    NO_DATA,
    display_need_mix,
    display_occupancy,
    display_stays,
    display_waiting_times,
    is_hidden,
    number_text,
    percent_text,
)
from .forecast import OUTLOOK_WORDS, forecast_cell_words, forecast_note_words
from .i18n import (
    N_,
    PHASE_WORDS,
    format_date,
    format_number,
    join_and,
    ngettext,
    pgettext,
    translated_table,
    unknown_text,
)
from .i18n import gettext as _

__all__ = ["CELL_WORDS", "HEADERS", "STATUS_WORDS", "count_of", "fig2_heading",
           "need_mix_heading", "need_mix_sentences", "occupancy_heading",
           "occupancy_sentences", "shown", "stay_heading", "waiting_time_heading",
           "waiting_time_sentences"]

#: The occupancy statuses of :func:`srb_eval.measures.occupancy.occupancy`.
STATUS_WORDS = (N_("over capacity"), N_("full"), N_("under-used"), N_("spare places"),
                N_("no places"), N_("no data"))
#: The other fixed words of the capacity tables: totals, waits, notes of the measures.
CELL_WORDS = (
    # Translators: the total row of a table of resource bases
    N_("all SRBs"),
    # Translators: the total row of a table by primary need
    N_("all needs"),
    N_("referral to panel"), N_("panel to start"), N_("referral to start"),
    N_("too few to judge"), N_("no dates recorded"), N_("no placements started"),
    N_("not reached"), N_("-"))
#: The headers of the capacity tables (their plain headers), for the catalogue.
HEADERS = (
    N_("resource base"), N_("resource bases"), N_("phase"), N_("places"), N_("on roll"),
    N_("occupancy"), N_("unfilled places"), N_("places over"), N_("status"),
    N_("awaiting start"), N_("group"), N_("net spare"), N_("wait"),
    N_("placements with both dates"), N_("placements missing a date"),
    N_("median wait (weeks)"), N_("longest wait (weeks)"), N_("primary need"),
    N_("learners, earlier date"), N_("share, earlier date"), N_("learners, later date"),
    N_("share, later date"), N_("change in share (percentage points)"),
    N_("learners who left"), N_("median stay of those who left (years)"),
    N_("learners on roll"), N_("median time so far (years)"), N_("learners who started"),
    N_("median stay of all who started (years, estimated)"), N_("school year"),
    N_("leavers"), N_("average on roll"), N_("turnover"), N_("sen category"),
    N_("need codes"), N_("jan 2020"), N_("nov 2020"), N_("places needed"),
    N_("likely range (80% of outcomes)"), N_("balance"), N_("outlook"),
    N_("admissions per year"), N_("years of history"), N_("early exit per year"),
    N_("note"))
#: A wait at the start of a finding ("From referral to panel: ...").
_WAIT_OPENINGS = {
    # Translators: the opening of a sentence about a wait: "From referral to panel: ..."
    "referral to panel": N_("From referral to panel"),
    "panel to start": N_("From panel to start"),
    "referral to start": N_("From referral to start")}
#: The columns whose text cells are numbers or words of the measures (statuses, notes,
#: outlooks), so that a word no message matches is said to be untranslated.
_WORDED_COLUMNS = frozenset({"status", "median_weeks", "longest_weeks", "median_completed_years",
                             "median_so_far_years", "km_median_years", "outlook", "balance",
                             "interval_80pct"})
#: The tests of a shift in the need mix (``need_mix_test``'s ``method``).
_METHODS = (N_("chi-square"), N_("Fisher exact"), N_("Freeman-Halton (Monte Carlo)"))


def count_of(text: object) -> int:
    """The number a display count shows, for a plural form ("1,234" -> 1234; a hidden or
    missing count counts as many).

    Examples
    --------
    >>> count_of("1,234"), count_of("1"), count_of("<5")
    (1234, 1, 2)
    """
    digits = str(text).replace(",", "")
    return int(digits) if digits.isdigit() else 2


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A capacity or forecast table as the report shows it: a copy in the report's
    language (headers, phases, statuses, totals, waits, the forecast's outlooks, ranges,
    balances and notes);
    counts, "[c]", names and codes from the data as they are. The English table is the
    one recorded."""
    if "note" in table.columns:
        table = table.assign(note=table["note"].astype(object).map(
            lambda v: forecast_note_words(v) if isinstance(v, str) else v))
    known = {*STATUS_WORDS, *CELL_WORDS, *OUTLOOK_WORDS, *MARKERS, ALL, ""}
    for column in _WORDED_COLUMNS.intersection(table.columns):
        for text in table[column].dropna().astype("str").unique():
            if text not in known and not re.fullmatch(r"-?[\d,.]+%?", text) and \
                    forecast_cell_words(text) == text:
                unknown_text(text)  # a word of the measures reworded: not silent
    return translated_table(table, [*STATUS_WORDS, *CELL_WORDS, *PHASE_WORDS,
                                    *OUTLOOK_WORDS], cells=_cell_words)


def _cell_words(text: str) -> str:
    """A cell that is not a fixed word: the total row of a table by phase (the measures'
    "all", said as "all phases" are in the language), or a forecast's range, balance or
    interval not given."""
    if text == ALL:
        # Translators: the total row of a table by phase (all phases)
        return pgettext("all phases", "all")
    return forecast_cell_words(text)


def occupancy_heading(occ: pd.DataFrame, *, audience: str,
                      already_published: bool = False) -> str:
    """A heading that says what the occupancy table found, in words from the numbers.

    Examples
    --------
    >>> from srb_eval.data.published import load_published_fig3
    >>> from srb_eval.measures.occupancy import occupancy_from_census
    >>> fig3 = load_published_fig3()
    >>> occ = occupancy_from_census(fig3.srbs, fig3.census)
    >>> occupancy_heading(occ, audience="published", already_published=True)
    '1 October 2020: of 5 SRBs, 1 full and 2 under-used; 42 places unfilled'
    """
    t = display_occupancy(occ, audience=audience, already_published=already_published)
    body, total = t.iloc[:-1], t.iloc[-1]
    d = pd.Timestamp(occ["census_date"].iloc[0]) if len(occ) else None
    n = len(body)
    words = {
        "over capacity": lambda c: ngettext("{n} over capacity", "{n} over capacity", c),
        "full": lambda c: ngettext("{n} full", "{n} full", c),
        "under-used": lambda c: ngettext("{n} under-used", "{n} under-used", c)}
    found = [say(c).format(n=c) for word, say in words.items()
             if (c := int(body["status"].eq(word).sum()))]
    if found:
        finding = ngettext("of {n} SRB, {found}", "of {n} SRBs, {found}", n).format(
            n=n, found=join_and(found))
    else:
        finding = ngettext("none of the {n} SRB full or under-used",
                           "none of the {n} SRBs full or under-used", n).format(n=n)
    unfilled = total["unfilled_places"]
    if unfilled not in MARKERS and unfilled != NO_DATA:
        finding = ngettext("{finding}; {n} place unfilled", "{finding}; {n} places unfilled",
                           count_of(unfilled)).format(finding=finding, n=unfilled)
    elif total["on_roll"] not in MARKERS and total["on_roll"] != NO_DATA:
        net = int(occ["capacity"].astype("float64").sum() - occ["on_roll"].sum())
        finding = (ngettext("{finding}; net {n} place spare", "{finding}; net {n} places spare",
                            net) if net >= 0 else
                   _("{finding}; {n} more learners than places")).format(
            finding=finding, n=abs(net))
    if d is None:
        return finding
    return _("{date}: {finding}").format(date=format_date(d, "day"), finding=finding)


def _listing(rows: pd.DataFrame, status: str) -> str:
    """The SRBs of one status with their counts, "; " between them."""
    items = []
    for r in rows.itertuples():
        k = count_of(r.places)
        if status == "over capacity":
            text = ngettext("{srb} ({on_roll} on roll for {places} place, {over} over)",
                            "{srb} ({on_roll} on roll for {places} places, {over} over)", k)
        elif status == "under-used":
            text = ngettext("{srb} ({on_roll} on roll for {places} place, {share} full)",
                            "{srb} ({on_roll} on roll for {places} places, {share} full)", k)
        elif status == "spare places":
            text = ngettext(
                "{srb} ({on_roll} on roll for {places} place, {unfilled} unfilled)",
                "{srb} ({on_roll} on roll for {places} places, {unfilled} unfilled)", k)
        else:
            text = ngettext("{srb} ({on_roll} on roll for {places} place)",
                            "{srb} ({on_roll} on roll for {places} places)", k)
        items.append(text.format(srb=r.srb, on_roll=r.on_roll, places=r.places,
                                 over=r.places_over, share=r.occupancy,
                                 unfilled=r.unfilled_places))
    return "; ".join(items)


def occupancy_sentences(occ: pd.DataFrame, *, audience: str,
                        already_published: bool = False,
                        underused_below: float = O.UNDERUSED_BELOW) -> list[str]:
    """Findings on occupancy: which SRBs are full, which under-used.

    Returns
    -------
    list of str
        Sentences built from :func:`~srb_eval.report.capacity.display_occupancy` (so a
        published report words only what its table shows).

    Examples
    --------
    >>> from srb_eval.data.published import load_published_fig3
    >>> from srb_eval.measures.occupancy import occupancy_from_census
    >>> fig3 = load_published_fig3()
    >>> occ = occupancy_from_census(fig3.srbs, fig3.census)
    >>> occupancy_sentences(occ, audience="published", already_published=True)[0]
    'Full: Overmonnow Primary School (20 on roll for 20 places).'
    """
    t = display_occupancy(occ, audience=audience, already_published=already_published)
    body, total = t.iloc[:-1], t.iloc[-1]
    out = []
    for status, sentence in (
            ("over capacity", N_("Over capacity: {srbs}.")), ("full", N_("Full: {srbs}.")),
            ("under-used", N_("Under-used (fewer than {share} of places filled): {srbs}.")),
            ("spare places", N_("With spare places: {srbs}."))):
        rows = body[body["status"] == status]
        if len(rows):
            out.append(_(sentence).format(srbs=_listing(rows, status),
                                          share=percent_text(underused_below)))
    nothing = body[body["status"].isin(["no places", "no data"])]
    if len(nothing):
        out.append(_("No places or no count recorded: {srbs}.").format(
            srbs=join_and(nothing["srb"])))
    hidden = body[body["status"] == disclosure.SUPPRESSED_TEXT]
    if len(hidden):
        out.append(_("Figures for {srbs} are not shown: the number on roll is small, or would "
                     "let a small number be worked out from the totals.").format(
            srbs=join_and(hidden["srb"])))
    if total["on_roll"] not in MARKERS and total["on_roll"] != NO_DATA:
        out.append(_total_sentence(occ, body, total))
    return out


def _total_sentence(occ: pd.DataFrame, body: pd.DataFrame, total: pd.Series) -> str:
    """The finding of the total row of the occupancy table."""
    values = {"n": len(body), "on_roll": total["on_roll"], "places": total["places"],
              "share": total["occupancy"], "unfilled": total["unfilled_places"],
              "over": total["places_over"]}
    if total["unfilled_places"] not in MARKERS:
        k = count_of(total["unfilled_places"])
        if total["places_over"] not in ("0", NO_DATA):
            return ngettext(
                "Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
                "({share}); {unfilled} place was unfilled, while over-full SRBs held {over} "
                "more learners than places.",
                "Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
                "({share}); {unfilled} places were unfilled, while over-full SRBs held "
                "{over} more learners than places.", k).format(**values)
        return ngettext(
            "Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
            "({share}); {unfilled} place was unfilled.",
            "Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
            "({share}); {unfilled} places were unfilled.", k).format(**values)
    net = int(occ["capacity"].astype("float64").sum() - occ["on_roll"].sum())
    if net >= 0:
        return ngettext(
            "Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
            "({share}): a net {net} place spare.",
            "Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
            "({share}): a net {net} places spare.", net).format(net=net, **values)
    return _("Across all {n} SRBs, {on_roll} learners were on roll for {places} places "
             "({share}): {more} more learners than places.").format(more=-net, **values)


def waiting_time_heading(summary: pd.DataFrame, *, audience: str) -> str:
    """A heading for waits: the median wait from panel to start (all placements).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> from srb_eval.measures.waiting import waiting_time_summary
    >>> s = waiting_time_summary(load_dataset(PROJECT_ROOT / "tests/data/minimal"))
    >>> waiting_time_heading(s, audience="internal")
    'Waiting for a place: a median of 12.5 weeks from panel to start (longest 13.6 weeks)'
    """
    t = display_waiting_times(summary, audience=audience)
    row = t[(t["group"] == ALL) & (t["interval"] == W.WAIT_LABELS["panel_to_start"])]
    if row.empty or not row["median_weeks"].iloc[0][:1].isdigit():
        return _("Waiting for a place: too few placements with dates to judge")
    r = row.iloc[0]
    if "longest_weeks" in r:
        return _("Waiting for a place: a median of {median} weeks from panel to start "
                 "(longest {longest} weeks)").format(median=r["median_weeks"],
                                                     longest=r["longest_weeks"])
    return _("Waiting for a place: a median of {median} weeks from panel to start").format(
        median=r["median_weeks"])


def _wait_opening(interval: str) -> str:
    if interval in _WAIT_OPENINGS:
        return _(_WAIT_OPENINGS[interval])
    return _("From {interval}").format(interval=interval)


def waiting_time_sentences(summary: pd.DataFrame, *, audience: str) -> list[str]:
    """Findings on waits, from the "all" rows of the summary.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> from srb_eval.measures.waiting import waiting_time_summary
    >>> s = waiting_time_summary(load_dataset(PROJECT_ROOT / "tests/data/minimal"))
    >>> waiting_time_sentences(s, audience="internal")[1]
    'From panel to start: median 12.5 weeks, longest 13.6 weeks (4 placements).'
    """
    t = display_waiting_times(summary, audience=audience)
    out = []
    published = disclosure.check_audience(audience) == "published"
    for r in t[t["group"] == ALL].itertuples():
        values = {"wait": _wait_opening(r.interval), "median": r.median_weeks, "n": r.n}
        if r.median_weeks in MARKERS or r.n in MARKERS:
            text = _("{wait}: too few placements to publish a median.")
        elif not r.median_weeks[:1].isdigit():
            values["median"] = (_(r.median_weeks) if r.median_weeks in CELL_WORDS
                                else unknown_text(r.median_weeks))
            text = (_("{wait}: {median} ({n} placements with both dates).") if not published
                    else _("{wait}: too few to judge."))
        elif published:
            text = _("{wait}: median {median} weeks ({n} placements).")
        else:
            text = _("{wait}: median {median} weeks, longest {longest} weeks ({n} "
                     "placements).")
            values["longest"] = r.longest_weeks
        out.append(text.format(**values))
        if r.n_excluded not in ("0", NO_DATA):
            out[-1] += " " + _("{n} placements without both dates were left out.").format(
                n=r.n_excluded)
    return out


def _top_need(change: pd.DataFrame, ok: pd.DataFrame) -> pd.Series:
    return change.loc[change["primary_need"].isin(ok["primary_need"])].sort_values(
        ["n_to", "primary_need"], ascending=[False, True]).iloc[0]


def need_mix_sentences(change: pd.DataFrame, test: pd.DataFrame, *, audience: str,
                       alpha: float = N.ALPHA) -> list[str]:
    """Findings on the need mix and whether it shifted (at level ``alpha``).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> from srb_eval.measures.need_mix import need_mix_change, need_mix_test
    >>> ch = need_mix_change(ds, "2022-10-01", "2024-10-01")
    >>> need_mix_sentences(ch, need_mix_test(ds, "2022-10-01", "2024-10-01"),
    ...                    audience="published")[-1]
    'Too few learners left or joined between the two dates to test whether the mix really shifted (at least 5 of each are needed).'
    """
    body = display_need_mix(change, audience=audience).iloc[:-1]
    out = []
    row = test.iloc[0]
    d1, d2 = format_date(row["date_from"], "day"), format_date(row["date_to"], "day")
    ok = body[~is_hidden(body["share_to"]) & (body["share_to"] != NO_DATA)]
    if len(ok):
        top = _top_need(change, ok)
        r = ok.set_index("primary_need").loc[top["primary_need"]]
        out.append(_("On {date} the largest group by primary need was {need} ({share} of "
                     "learners on roll, {change} percentage points since {since}).").format(
            date=d2, need=top["primary_need"], share=r["share_to"],
            change=r["change_points"], since=d1))
    elif len(body):
        out.append(_("Shares by need on {date} are not shown: the groups are small.").format(
            date=d2))
    if row["method"] == "none":
        out.append(_no_test_sentence(row))
    else:
        p = ("p < 0.001" if row["p_val"] < 0.001 else "p = {p}").format(
            p=format_number(row["p_val"], 3, grouping=False))
        values = {"since": d1, "date": d2, "p": p, "v": format_number(row["cramers_v"], 2, grouping=False),
                  "method": _(row["method"]) if row["method"] in _METHODS
                  else unknown_text(row["method"])}
        out.append((_("The learners who left and those who joined between {since} and {date} "
                      "differed in need mix by more than chance would explain ({method} "
                      "test, {p}; Cramér's V = {v}).") if row["p_val"] < alpha else
                    _("The learners who left and those who joined between {since} and {date} "
                      "differed in need mix by no more than chance could explain ({method} "
                      "test, {p}; Cramér's V = {v}).")).format(**values))
    return out


def _no_test_sentence(row: pd.Series) -> str:
    """Why the need mix was not tested, from the note of the measures."""
    note = str(row["note"])
    if note.startswith(N.TOO_FEW_TEST):
        return _("Too few learners left or joined between the two dates to test whether the "
                 "mix really shifted (at least {n} of each are needed).").format(
            n=int(row["min_n"]))
    if note == "only one need among leavers and joiners: nothing to compare":
        return _("Only one need among leavers and joiners: nothing to compare.")
    return unknown_text(_capitalised(note) + ".")


def need_mix_heading(change: pd.DataFrame, test: pd.DataFrame, *, audience: str,
                     alpha: float = N.ALPHA) -> str:
    """A heading for the need mix: the largest group and whether the mix shifted (at level
    ``alpha``)."""
    t = display_need_mix(change, audience=audience).iloc[:-1]
    ok = t[~is_hidden(t["share_to"]) & (t["share_to"] != NO_DATA)]
    row = test.iloc[0]
    shift = ("none" if row["method"] == "none" else "shift" if row["p_val"] < alpha
             else "unclear")
    if ok.empty:
        return {"none": _("Need mix: too few movers to test for a shift"),
                "shift": _("Need mix: the mix has shifted"),
                "unclear": _("Need mix: no clear shift")}[shift]
    top = _top_need(change, ok)["primary_need"]
    values = {"need": top, "share": ok.set_index("primary_need").loc[top, "share_to"],
              "date": format_date(pd.Timestamp(row["date_from"]), "day")}
    return {"none": _("Need mix: {need} is the largest group ({share}); too few movers to "
                      "test for a shift since {date}"),
            "shift": _("Need mix: {need} is the largest group ({share}); the mix has shifted "
                       "since {date}"),
            "unclear": _("Need mix: {need} is the largest group ({share}); no clear shift "
                         "since {date}")}[shift].format(**values)


def fig2_heading(fig2: pd.DataFrame) -> str:
    """A heading for Fig. 2: the largest category and its change.

    Examples
    --------
    >>> from srb_eval.data.published import load_published_fig2
    >>> fig2_heading(load_published_fig2())
    'Need mix in Fig. 2: ASD the largest group, 31% in January and 35% in November 2020'
    """
    top = fig2.sort_values("pct_nov_2020", ascending=False, kind="stable").iloc[0]
    jan, nov = number_text(top["pct_jan_2020"], 1).removesuffix(".0"), number_text(
        top["pct_nov_2020"], 1).removesuffix(".0")
    return _("Need mix in Fig. 2: {need} the largest group, {jan}% in January and {nov}% in "
             "November 2020").format(need=top["need_codes"], jan=jan, nov=nov)


def stay_heading(los: pd.DataFrame, tov: pd.DataFrame, *, audience: str) -> str:
    """A heading for length of stay and turnover (all SRBs)."""
    t, d = display_stays(los, tov, audience=audience)
    row = t[t["group"] == ALL].iloc[0] if (t["group"] == ALL).any() else t.iloc[0]
    km = row["km_median_years"]
    stay = "stay" if km[:1].isdigit() else "placed" if km == "not reached" else ""
    d = d[d["group"] == ALL]
    turnover = len(d) > 0 and d["turnover"].iloc[-1][:1].isdigit()
    values = {"years": km, "turnover": d["turnover"].iloc[-1] if turnover else "",
              "year": d["school_year"].iloc[-1] if turnover else ""}
    messages = {
        ("stay", True): N_("Length of stay and turnover: half of those admitted stay at "
                           "least {years} years; turnover {turnover} in {year}"),
        ("stay", False): N_("Length of stay and turnover: half of those admitted stay at "
                            "least {years} years"),
        ("placed", True): N_("Length of stay and turnover: more than half of those admitted "
                             "are still placed; turnover {turnover} in {year}"),
        ("placed", False): N_("Length of stay and turnover: more than half of those "
                              "admitted are still placed"),
        ("", True): N_("Length of stay and turnover: turnover {turnover} in {year}"),
        # the measures' TOO_FEW
        ("", False): N_("Length of stay and turnover: too few to judge")}
    return _(messages[stay, turnover]).format(**values)

